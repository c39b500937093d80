"""The OCR pool under faults: hung jobs, dead workers, a killed server (fake reader).

Deadlines here are several seconds although the fake reader answers at once: the workers run
niced, and on a loaded shared machine a healthy job can wait seconds for a CPU.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
from live_server import Live, ServerFactory
from test_pan_api import JPEG, assert_error, joined, upload, wait_ready
from websockets.sync.client import connect

from support_server.testing import slow_warm_reader_factory

SRC = Path(__file__).resolve().parents[2] / "src"
STARTUP_S = 180.0
"""How long workers may take to start: minutes when the shared machine is very busy."""


async def wait_idle_workers(live: Live, count: int) -> None:
    """Wait until ``count`` workers are warm and idle, as /readyz reports them."""
    deadline = time.monotonic() + STARTUP_S
    async with live.http() as http:
        while time.monotonic() < deadline:
            body = (await http.get("/readyz")).json()
            if body["workers"]["idle"] == count:
                return
            await asyncio.sleep(0.1)
    raise AssertionError(f"never saw {count} idle OCR workers")


async def readyz_until(live: Live, status: str) -> httpx.Response:
    """Poll /readyz until it reports ``status``; return that response."""
    deadline = time.monotonic() + STARTUP_S
    async with live.http() as http:
        while time.monotonic() < deadline:
            response = await http.get("/readyz")
            if response.json()["status"] == status:
                return response
            await asyncio.sleep(0.05)
    raise AssertionError(f"/readyz never said {status!r}")


async def test_hung_job_times_out_while_other_jobs_go_on(start_server: ServerFactory) -> None:
    """A job past the deadline gets 503 ocr_timeout; a job beside it and later jobs succeed."""
    live = await start_server(ocr_workers=2, ocr_timeout_s=8.0)
    await wait_idle_workers(live, 2)
    _, _, token = await joined(live)
    _, _, other = await joined(live)

    async def later_upload() -> httpx.Response:
        await asyncio.sleep(0.3)
        return await upload(live, JPEG, other)

    hung, fine = await asyncio.gather(upload(live, b"HANG" + JPEG, token), later_upload())
    assert fine.status_code == 200
    assert_error(hung, 503, "ocr_timeout")
    assert "8 seconds" in hung.json()["error"]["message"]
    assert "retry-after" in hung.headers
    await wait_idle_workers(live, 2)
    again = await upload(live, JPEG, token)
    assert again.status_code == 200


async def test_readyz_reports_a_pool_whose_worker_hung(start_server: ServerFactory) -> None:
    """After a hung job's worker is killed, /readyz is 503 with the reason until it is back."""
    live = await start_server(
        ocr_workers=1, ocr_timeout_s=5.0, reader_factory=slow_warm_reader_factory
    )
    await wait_ready(live)
    _, _, token = await joined(live)
    first_pids = live.app.ctx.ocr.worker_pids
    assert_error(await upload(live, b"HANG" + JPEG, token), 503, "ocr_timeout")
    lost = await readyz_until(live, "restarting")
    assert lost.status_code == 503
    assert "deadline" in lost.json()["message"]
    assert (await readyz_until(live, "ready")).status_code == 200
    assert live.app.ctx.ocr.worker_pids != first_pids
    assert (await upload(live, JPEG, token)).status_code == 200


async def test_readyz_reports_a_worker_killed_while_idle(start_server: ServerFactory) -> None:
    """An idle worker killed from outside turns /readyz 503 until its replacement is warm."""
    live = await start_server(ocr_workers=1, reader_factory=slow_warm_reader_factory)
    await wait_ready(live)
    (pid,) = live.app.ctx.ocr.worker_pids
    os.kill(pid, signal.SIGKILL)
    lost = await readyz_until(live, "restarting")
    assert lost.status_code == 503
    assert "exited" in lost.json()["message"]
    await readyz_until(live, "ready")
    _, _, token = await joined(live)
    assert (await upload(live, JPEG, token)).status_code == 200


def _children(pid: int) -> set[int]:
    """Process ids whose parent is ``pid`` (Linux /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _poll(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + STARTUP_S
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"never saw {what}")
        time.sleep(0.2)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _readyz_workers(port: int) -> dict[str, int] | None:
    try:
        workers: dict[str, int] = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).json()[
            "workers"
        ]
    except httpx.HTTPError:
        return None
    return workers


def _start_hung_job(port: int) -> socket.socket:
    """Join as a customer and send an upload that hangs its worker; keep the request open."""
    with connect(f"ws://127.0.0.1:{port}/ws/customer") as ws:
        ws.send(json.dumps({"type": "join", "name": "Asha Rao"}))
        token = next(m for m in map(json.loads, ws) if m["type"] == "welcome")["token"]
    body = b"HANG" + JPEG
    request = (
        f"POST /api/pan/extract HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Authorization: Bearer {token}\r\nContent-Type: image/jpeg\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(request + body)
    return sock


def test_workers_die_with_a_killed_server(tmp_path: Path) -> None:
    """After SIGKILL of a real support-server its OCR workers, busy or idle, are soon gone."""
    port = _free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "SUPPORT_PORT": str(port),
        "SUPPORT_DATA_DIR": str(tmp_path / "data"),
        "SUPPORT_OCR_WORKERS": "2",
        "SUPPORT_OCR_TIMEOUT_S": "600",
    }
    code = (
        "from support_server.cli import main;"
        "from support_server.testing import fake_reader_factory;"
        "raise SystemExit(main(reader_factory=fake_reader_factory))"
    )
    server = subprocess.Popen(
        [sys.executable, "-c", code], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        _poll(lambda: (_readyz_workers(port) or {}).get("idle") == 2, "two idle workers")
        hung = _start_hung_job(port)
        _poll(lambda: (_readyz_workers(port) or {}).get("busy") == 1, "a busy worker")
        workers = _children(server.pid)
        assert len(workers) >= 2
        server.send_signal(signal.SIGKILL)
        hung.close()
        server.wait(timeout=10)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
            time.sleep(0.1)
        assert not [pid for pid in workers if _alive(pid)]
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
        if server.stderr is not None:
            server.stderr.close()

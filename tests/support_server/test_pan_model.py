"""PAN API with the real EasyOCR model: the `support-server` command in its own process.

One server for the module (the model loads once), rendered cards from ``panread.testing``,
every bad-upload case through the real decoder, and delivery to the paired employee.
"""

from __future__ import annotations

import io
import json
import os
import random
import socket
import subprocess
import sys
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets
from live_server import PASSWORD, Client
from PIL import Image

pytestmark = pytest.mark.model

MAX_PIXELS = 4_000_000
CLI = str(Path(sys.executable).with_name("support-server"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Server:
    def __init__(self, base: str, env: dict[str, str]) -> None:
        self.base = base
        self.env = env

    @property
    def ws_base(self) -> str:
        return "ws" + self.base.removeprefix("http")

    def http(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=self.base, timeout=120)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A real `support-server` process with the real model, ready (workers warmed)."""
    data = tmp_path_factory.mktemp("model-server")
    port = free_port()
    env = {
        **os.environ,
        "SUPPORT_DATA_DIR": str(data),
        "SUPPORT_USER_UI_DIR": str(data / "no-ui"),
        "SUPPORT_EMPLOYEE_UI_DIR": str(data / "no-ui"),
        "SUPPORT_MAX_IMAGE_PIXELS": str(MAX_PIXELS),
        "SUPPORT_OCR_THREADS": "2",
        "SUPPORT_UPLOAD_RATE_PER_MIN": "100",
        # Reading is under test here, not the deadline: on a loaded shared 2-core machine a
        # niced worker can take tens of seconds per card (test_ocr_pool.py tests deadlines).
        "SUPPORT_OCR_TIMEOUT_S": "600",
    }
    for name in ("priya", "other"):
        subprocess.run(
            [CLI, "employee", "add", name, "--password-stdin"],
            input=PASSWORD + "\n",
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
    log = (data / "server.log").open("w")
    proc = subprocess.Popen(
        [CLI, "--host", "127.0.0.1", "--port", str(port)], env=env, stdout=log, stderr=log
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited: {(data / 'server.log').read_text()}")
            try:
                if httpx.get(base + "/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("server not ready after 180 s")
            time.sleep(0.3)
        yield Server(base, env)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


async def customer(server: Server) -> tuple[Client, str, str]:
    client = Client(await websockets.connect(server.ws_base + "/ws/customer"))
    await client.send({"type": "join", "name": "Asha Rao"})
    welcome = await client.expect("welcome")
    return client, welcome["customer_id"], welcome["token"]


async def login(server: Server, name: str) -> str:
    async with server.http() as http:
        response = await http.post("/api/auth/login", json={"username": name, "password": PASSWORD})
    token: str = response.json()["token"]
    return token


async def extract(server: Server, data: bytes, token: str) -> httpx.Response:
    async with server.http() as http:
        return await http.post(
            "/api/pan/extract",
            files={"image": ("card", data, "application/octet-stream")},
            headers={"Authorization": f"Bearer {token}"},
        )


def sample(seed: int, layout: str) -> Any:
    from panread.testing import make_sample, random_card_spec

    return make_sample(random_card_spec(random.Random(seed), layout), kind="clean", seed=seed)


def png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(out, format="PNG")
    return out.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width x height`` but carries almost no data (a bomb)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body).to_bytes(4, "big")
        return len(body).to_bytes(4, "big") + kind + body + crc

    ihdr = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 2, 0, 0, 0])
    idat = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


@pytest.mark.parametrize(("seed", "layout"), [(11, "new"), (12, "old")])
async def test_real_card_is_read(server: Server, seed: int, layout: str) -> None:
    """A rendered card uploaded by a customer is read by the real model."""
    card = sample(seed, layout)
    _, _, token = await customer(server)
    response = await extract(server, card.data, token)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["pan"] == card.expected["pan"]
    assert body["dob"] == card.expected["dob"]
    assert set(body["confidence"]) >= {"pan", "name", "father_name", "dob"}


async def test_real_result_reaches_paired_employee_and_image_is_protected(
    server: Server,
) -> None:
    """The paired employee gets pan_result and its images; another employee cannot fetch them."""
    card = sample(13, "new")
    client, cid, token = await customer(server)
    priya = await login(server, "priya")
    employee = Client(
        await websockets.connect(
            server.ws_base + "/ws/employee",
            additional_headers={"Authorization": f"Bearer {priya}"},
            max_size=None,
        )
    )
    await employee.expect("welcome")
    await employee.send({"type": "pick", "customer_id": cid})
    await employee.expect("paired")
    response = await extract(server, card.data, token)
    assert response.status_code == 200
    pushed = await employee.expect("pan_result", timeout=60)
    assert pushed["result"]["pan"] == card.expected["pan"]
    other = await login(server, "other")
    async with server.http() as http:
        for url in (pushed["image_url"], pushed["original_url"]):
            image = await http.get(url, headers={"Authorization": f"Bearer {priya}"})
            assert image.status_code == 200
            assert image.headers["content-type"] == "image/jpeg"  # the card read, the upload
            with (
                Image.open(io.BytesIO(image.content)) as kept,
                Image.open(io.BytesIO(card.data)) as sent,
            ):
                assert kept.size == sent.size  # a clean card is all card
            denied = await http.get(url, headers={"Authorization": f"Bearer {other}"})
            assert denied.status_code == 404
    await client.send({"type": "pan_confirm", "fields": {"pan": json.loads(response.text)["pan"]}})
    await employee.expect("pan_confirmed")


@pytest.mark.parametrize(
    ("name", "data", "status", "code"),
    [
        ("text", b"hello, this is not an image at all", 415, "not_an_image"),
        ("gif", None, 415, "unsupported_format"),
        ("truncated", None, 422, "truncated_image"),
        ("too_many_pixels", None, 413, "image_too_large"),
        ("bomb", png_header_only(30_000, 30_000), 413, "decompression_bomb"),
        ("blank", None, 422, "no_card_found"),
    ],
)
async def test_bad_uploads(
    server: Server, name: str, data: bytes | None, status: int, code: str
) -> None:
    """Every kind of bad upload gets its status and error code from the real decoder/model."""
    if name == "truncated":
        full = sample(14, "new").data
        data = full[: len(full) // 2]
    elif name == "too_many_pixels":
        data = png(2500, 2000)
    elif name == "gif":
        out = io.BytesIO()
        Image.new("RGB", (64, 40), "white").save(out, format="GIF")
        data = out.getvalue()
    elif name == "blank":
        data = png(900, 560)
    assert data is not None
    _, _, token = await customer(server)
    response = await extract(server, data, token)
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code

"""Signaling benchmark: N customers and M employees over real WebSockets against a real server.

The server is the ``support-server`` command in its own process (real OCR model); this script
is the load generator. It measures:

- join-to-queue-visible latency (customer sends ``join`` -> an employee's ``queue`` lists them)
- pick-to-paired latency (employee sends ``pick`` -> employee receives ``paired``)
- signal relay latency p50/p99 at a paced rate (default 200 relayed messages/s over all rooms)
- relay throughput (messages per second with every room sending as fast as it can)
- server memory per idle connection (RSS delta / connections)
- ping round-trip p50/p99 on an idle server and while 4 OCR requests run on the real model

Targets: relay p99 < 20 ms at 200 msg/s; ping p99 < 50 ms during OCR load.

    python benchmarks/signaling.py                          # 300 customers, 20 employees
    python benchmarks/signaling.py --customers 1000 --employees 50
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import websockets
from websockets.asyncio.client import ClientConnection

PASSWORD = "benchmark-password"
CLI = str(Path(sys.executable).with_name("support-server"))
Message = dict[str, Any]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


@dataclass
class Peer:
    """One WebSocket with a reader task that dispatches frames to waiting futures."""

    ws: ClientConnection
    name: str
    handlers: list[Callable[[Message, float], bool]] = field(default_factory=list)
    task: asyncio.Task[None] | None = None
    parse_queue: bool = True

    def start(self) -> None:
        self.task = asyncio.get_running_loop().create_task(self._read())

    async def _read(self) -> None:
        try:
            async for raw in self.ws:
                now = time.perf_counter()
                if (
                    not self.parse_queue
                    and isinstance(raw, str)
                    and raw.startswith('{"type":"queue"')
                ):
                    continue
                message = json.loads(raw)
                self.handlers = [h for h in self.handlers if not h(message, now)]
        except websockets.ConnectionClosed:
            return

    def wait_for(
        self, predicate: Callable[[Message], bool]
    ) -> asyncio.Future[tuple[Message, float]]:
        future: asyncio.Future[tuple[Message, float]] = asyncio.get_running_loop().create_future()

        def handler(message: Message, now: float) -> bool:
            if future.done():
                return True
            if predicate(message):
                future.set_result((message, now))
                return True
            return False

        self.handlers.append(handler)
        return future

    def on(self, callback: Callable[[Message, float], None], kind: str) -> None:
        def handler(message: Message, now: float) -> bool:
            if message.get("type") == kind:
                callback(message, now)
            return False

        self.handlers.append(handler)

    async def send(self, message: Message) -> None:
        await self.ws.send(json.dumps(message))


class Server:
    def __init__(self, data_dir: Path, ocr_workers: int) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.ws = f"ws://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "SUPPORT_DATA_DIR": str(data_dir),
            "SUPPORT_USER_UI_DIR": str(data_dir / "none"),
            "SUPPORT_EMPLOYEE_UI_DIR": str(data_dir / "none"),
            "SUPPORT_WS_RATE_PER_S": "2000",
            "SUPPORT_UPLOAD_RATE_PER_MIN": "100000",
            # every simulated client connects from 127.0.0.1
            "SUPPORT_JOINS_PER_ADDRESS_PER_MIN": "1000000",
            "SUPPORT_MAX_CUSTOMER_SOCKETS_PER_ADDRESS": "1000000",
            "SUPPORT_MAX_WAITING": "1000000",
            "SUPPORT_OCR_WORKERS": str(ocr_workers),
            "SUPPORT_OCR_QUEUE": "8",
            "SUPPORT_LOG_LEVEL": "WARNING",
        }
        self.log = (data_dir / "server.log").open("w")
        self.proc = subprocess.Popen(
            [CLI, "--host", "127.0.0.1", "--port", str(self.port)],
            env=self.env,
            stdout=self.log,
            stderr=self.log,
        )

    async def ready(self, timeout: float = 300) -> float:
        start = time.perf_counter()
        async with httpx.AsyncClient(base_url=self.base) as http:
            while time.perf_counter() - start < timeout:
                if self.proc.poll() is not None:
                    raise RuntimeError("server exited; see its log")
                try:
                    if (await http.get("/readyz")).status_code == 200:
                        return time.perf_counter() - start
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(0.3)
        raise RuntimeError("server not ready in time")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)
        self.log.close()


async def gather_limited(coros: list[Awaitable[Any]], limit: int = 100) -> list[Any]:
    semaphore = asyncio.Semaphore(limit)

    async def run(coro: Awaitable[Any]) -> Any:
        async with semaphore:
            return await coro

    return await asyncio.gather(*(run(c) for c in coros))


async def connect(url: str, name: str, **kwargs: Any) -> Peer:
    ws = await websockets.connect(url, max_size=None, open_timeout=60, **kwargs)
    peer = Peer(ws, name)
    peer.start()
    return peer


async def add_employees(data_dir: Path, count: int) -> list[str]:
    from support_server import AccountStore, Settings
    from support_server.db import create_engine, upgrade

    engine = create_engine(Settings(data_dir=data_dir).effective_database_url)
    try:
        await upgrade(engine)
        store = AccountStore(engine)
        names = [f"emp{i:03d}" for i in range(count)]
        existing = {e.name for e in await store.list()}
        await asyncio.gather(
            *(store.add(n, PASSWORD, now=time.time()) for n in names if n not in existing)
        )
    finally:
        await engine.dispose()
    return names


async def run(args: argparse.Namespace) -> dict[str, Any]:
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        names = await add_employees(data_dir, args.employees)
        server = Server(data_dir, args.ocr_workers)
        try:
            results["ready_s"] = await server.ready()
            await measure(server, names, args, results)
        finally:
            server.stop()
    return results


async def measure(
    server: Server, names: list[str], args: argparse.Namespace, results: dict[str, Any]
) -> None:
    pid = server.proc.pid

    # Employees log in and connect; only the first one parses the (large) queue messages.
    async with httpx.AsyncClient(base_url=server.base, timeout=60) as http:

        async def login(name: str) -> str:
            r = await http.post("/api/auth/login", json={"username": name, "password": PASSWORD})
            r.raise_for_status()
            token: str = r.json()["token"]
            return token

        tokens = await gather_limited([login(n) for n in names], limit=4)
    employees: list[Peer] = []
    for name, token in zip(names, tokens, strict=True):
        peer = await connect(
            server.ws + "/ws/employee",
            name,
            additional_headers={"Authorization": f"Bearer {token}"},
        )
        peer.parse_queue = not employees
        welcome = peer.wait_for(lambda m: m["type"] == "welcome")
        await welcome
        employees.append(peer)
    watcher = employees[0]
    await asyncio.sleep(1)
    rss_before = rss_kib(pid)  # after the first sockets, so one-time imports are not counted

    # Customers join; latency = join sent -> watcher's queue lists the name.
    seen_at: dict[str, float] = {}

    def on_queue(message: Message, now: float) -> None:
        for entry in message["customers"]:
            seen_at.setdefault(entry["name"], now)

    watcher.on(on_queue, "queue")
    customers: list[Peer] = []
    customer_ids: dict[str, str] = {}
    sent_at: dict[str, float] = {}
    join_start = time.perf_counter()

    async def join(i: int) -> Peer:
        name = f"cust{i:05d}"
        peer = await connect(server.ws + "/ws/customer", name)
        welcome = peer.wait_for(lambda m: m["type"] == "welcome")
        sent_at[name] = time.perf_counter()
        await peer.send({"type": "join", "name": name})
        message, _ = await welcome
        customer_ids[name] = message["customer_id"]
        return peer

    customers = await gather_limited([join(i) for i in range(args.customers)], limit=50)
    deadline = time.perf_counter() + 60
    while len(seen_at) < len(customers) and time.perf_counter() < deadline:
        await asyncio.sleep(0.05)
    join_lat = [(seen_at[n] - sent_at[n]) * 1000 for n in sent_at if n in seen_at]
    results["join_wall_s"] = time.perf_counter() - join_start
    results["join_visible_ms"] = join_lat
    results["join_missing"] = len(sent_at) - len(join_lat)
    await asyncio.sleep(2)
    connections = len(customers)
    results["rss_before_mib"] = rss_before / 1024
    results["rss_after_mib"] = rss_kib(pid) / 1024
    results["kib_per_connection"] = (rss_kib(pid) - rss_before) / connections

    # Picks: employee i picks customer i (all at once); latency = pick sent -> paired.
    pick_lat: list[float] = []
    rooms: list[tuple[Peer, Peer]] = []

    async def pick(i: int) -> None:
        employee, customer = employees[i], customers[i]
        paired = employee.wait_for(lambda m: m["type"] in ("paired", "error"))
        customer_paired = customer.wait_for(lambda m: m["type"] == "paired")
        start = time.perf_counter()
        await employee.send({"type": "pick", "customer_id": customer_ids[customer.name]})
        message, at = await paired
        if message["type"] != "paired":
            raise RuntimeError(f"pick failed: {message}")
        pick_lat.append((at - start) * 1000)
        await customer_paired
        rooms.append((employee, customer))

    n_rooms = min(len(employees), len(customers))
    await asyncio.gather(*(pick(i) for i in range(n_rooms)))
    results["pick_paired_ms"] = pick_lat

    # Relay at a paced aggregate rate; payload carries the send time.
    relay_lat: list[float] = []

    def on_signal(message: Message, now: float) -> None:
        sent = message["data"].get("t")
        if isinstance(sent, float):
            relay_lat.append((now - sent) * 1000)

    for employee, customer in rooms:
        employee.on(on_signal, "signal")
        customer.on(on_signal, "signal")
    total = int(args.relay_rate * args.relay_seconds)
    interval = 1.0 / args.relay_rate
    candidate = {"candidate": "candidate:1 1 udp 2130706431 192.0.2.1 50000 typ host", "m": 0}
    start = time.perf_counter()
    for k in range(total):
        employee, customer = rooms[k % len(rooms)]
        sender = employee if k % 2 == 0 else customer
        await sender.send(
            {"type": "signal", "data": {"candidate": candidate, "t": time.perf_counter()}}
        )
        delay = start + (k + 1) * interval - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
    await asyncio.sleep(1)
    results["relay_ms"] = relay_lat
    results["relay_sent"] = total

    # Ping RTT: idle, then while OCR requests run on the real model.
    pinger = customers[-1]
    idle = await ping_series(pinger, args.ping_seconds)
    results["ping_idle_ms"] = idle
    results["ping_ocr_ms"], results["ocr_done"] = await ping_during_ocr(
        server, pinger, customer_token=await token_of(server), seconds=args.ping_seconds
    )

    # Throughput: every room's employee sends as fast as it can for a few seconds.
    received = 0
    last_at = 0.0

    def count(message: Message, now: float) -> None:
        nonlocal received, last_at
        received += 1
        last_at = now

    for _, customer in rooms:
        customer.handlers.clear()
        customer.on(count, "signal")
    stop_at = time.perf_counter() + args.burst_seconds

    async def blast(employee: Peer) -> None:
        frame = json.dumps({"type": "signal", "data": {"candidate": candidate}})
        while time.perf_counter() < stop_at:
            for _ in range(10):
                await employee.ws.send(frame)
            await asyncio.sleep(0)

    burst_start = time.perf_counter()
    await asyncio.gather(*(blast(e) for e, _ in rooms))
    await asyncio.sleep(2)
    results["relay_throughput"] = received / max(1e-9, last_at - burst_start)

    for peer in [*customers, *employees]:
        await peer.ws.close()


async def token_of(server: Server) -> str:
    ws = await websockets.connect(server.ws + "/ws/customer")
    await ws.send(json.dumps({"type": "join", "name": "ocr"}))
    while True:
        message = json.loads(await ws.recv())
        if message["type"] == "welcome":
            token: str = message["token"]
            return token


async def ping_series(peer: Peer, seconds: float) -> list[float]:
    rtts: list[float] = []
    stop_at = time.perf_counter() + seconds
    while time.perf_counter() < stop_at:
        pong = peer.wait_for(lambda m: m["type"] == "pong")
        start = time.perf_counter()
        await peer.send({"type": "ping"})
        _, at = await pong
        rtts.append((at - start) * 1000)
        await asyncio.sleep(0.02)
    return rtts


async def ping_during_ocr(
    server: Server, peer: Peer, customer_token: str, seconds: float
) -> tuple[list[float], int]:
    from panread.testing import make_sample, random_card_spec

    card = make_sample(random_card_spec(random.Random(7), "new"), kind="clean", seed=7).data
    done = 0
    running = True

    async def ocr_loop(http: httpx.AsyncClient) -> None:
        nonlocal done
        while running:
            r = await http.post(
                "/api/pan/extract",
                files={"image": ("card.png", card, "image/png")},
                headers={"Authorization": f"Bearer {customer_token}"},
            )
            if r.status_code == 200:
                done += 1
            else:
                await asyncio.sleep(0.2)

    async with httpx.AsyncClient(base_url=server.base, timeout=300) as http:
        workers = [asyncio.create_task(ocr_loop(http)) for _ in range(4)]
        await asyncio.sleep(1.0)  # let all four requests reach the pool
        rtts = await ping_series(peer, seconds)
        running = False
        await asyncio.gather(*workers)
    return rtts, done


def report(args: argparse.Namespace, r: dict[str, Any]) -> None:
    rows: list[tuple[str, str, str]] = []

    def lat(label: str, values: list[float], target: str = "") -> None:
        rows.append(
            (
                label,
                f"n={len(values)} p50={pct(values, 50):.1f} p99={pct(values, 99):.1f} "
                f"max={max(values, default=float('nan')):.1f} ms",
                target,
            )
        )

    rows.append(("server ready (model warm)", f"{r['ready_s']:.1f} s", ""))
    rows.append(
        (
            "customers / employees",
            f"{args.customers} / {args.employees} (joined in {r['join_wall_s']:.1f} s)",
            "",
        )
    )
    lat("join -> visible in queue", r["join_visible_ms"])
    if r["join_missing"]:
        rows.append(("join never visible", str(r["join_missing"]), ""))
    lat("pick -> paired", r["pick_paired_ms"])
    lat(f"signal relay @ {args.relay_rate:.0f} msg/s", r["relay_ms"], "p99 < 20 ms")
    rows.append(("relay delivered", f"{len(r['relay_ms'])} / {r['relay_sent']}", ""))
    rows.append(("relay throughput (saturated)", f"{r['relay_throughput']:.0f} msg/s", ""))
    rows.append(
        (
            "server RSS",
            f"{r['rss_before_mib']:.0f} -> {r['rss_after_mib']:.0f} MiB "
            f"({r['kib_per_connection']:.1f} KiB per idle customer connection)",
            "",
        )
    )
    lat("ping RTT idle", r["ping_idle_ms"])
    lat("ping RTT during 4 OCR requests", r["ping_ocr_ms"], "p99 < 50 ms")
    rows.append(("OCR requests completed meanwhile", str(r["ocr_done"]), ""))
    width = max(len(a) for a, _, _ in rows)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"\nsignaling benchmark ({os.cpu_count()} CPUs, load average {load}, "
        "server in its own process)"
    )
    for label, value, target in rows:
        print(f"  {label.ljust(width)}  {value}" + (f"   [target {target}]" if target else ""))
    relay_p99 = pct(r["relay_ms"], 99)
    ping_p99 = pct(r["ping_ocr_ms"], 99)
    ok = relay_p99 < 20 and ping_p99 < 50
    print(
        f"SUMMARY signaling: {args.customers} customers/{args.employees} employees, "
        f"join->visible p99 {pct(r['join_visible_ms'], 99):.0f} ms, "
        f"pick->paired p99 {pct(r['pick_paired_ms'], 99):.0f} ms, "
        f"relay p50/p99 {pct(r['relay_ms'], 50):.1f}/{relay_p99:.1f} ms @ {args.relay_rate:.0f}/s, "
        f"{r['relay_throughput']:.0f} msg/s max, {r['kib_per_connection']:.1f} KiB/conn, "
        f"ping p99 under OCR {ping_p99:.1f} ms -> {'PASS' if ok else 'FAIL'}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--customers", type=int, default=300)
    parser.add_argument("--employees", type=int, default=20)
    parser.add_argument("--relay-rate", type=float, default=200.0, help="relayed messages/s")
    parser.add_argument("--relay-seconds", type=float, default=10.0)
    parser.add_argument("--burst-seconds", type=float, default=3.0)
    parser.add_argument("--ping-seconds", type=float, default=10.0)
    parser.add_argument("--ocr-workers", type=int, default=1, help="server OCR processes")
    # `nox -s bench -- ...` passes the same arguments to every benchmark: ignore foreign ones.
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        print(f"signaling.py: ignoring arguments {' '.join(unknown)}", file=sys.stderr)
    if args.employees < 1 or args.customers < args.employees:
        parser.error("need at least 1 employee and at least as many customers as employees")
    results = asyncio.run(run(args))
    report(args, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Two real ``support-server`` processes on one real Redis: crashes, restarts and WebRTC."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from live_server import Client
from server_process import ServerProcess, server_env
from test_aiortc import video_call
from test_signaling import closed_with
from websockets.exceptions import ConnectionClosed

from support_server._redis_cluster import HEARTBEAT_TTL_S
from support_server.testing import RedisServer

GRACE_S = 8.0


@contextmanager
def two_processes(tmp_path: Path, **settings: str) -> Iterator[tuple[ServerProcess, ServerProcess]]:
    """Processes A and B sharing a fresh Redis and one accounts database."""
    redis = RedisServer(tmp_path / "redis")
    redis.start()
    env = server_env(
        tmp_path / "data",
        redis_url=redis.url,
        reconnect_grace_s=str(GRACE_S),
        ws_rate_per_s="100",
        upload_rate_per_min="100",
        **settings,
    )
    started: list[ServerProcess] = []
    try:
        for name in ("a", "b"):
            started.append(ServerProcess.start(env, tmp_path / f"server-{name}.log"))
        yield started[0], started[1]
    finally:
        for server in started:
            server.stop()
        redis.stop()


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[tuple[ServerProcess, ServerProcess]]:
    """Processes A and B sharing a fresh Redis and one accounts database."""
    with two_processes(tmp_path) as pair:
        yield pair


def welcome(client: Client) -> dict[str, str]:
    return next(m for m in client.seen if m["type"] == "welcome")


async def test_sigkill_mid_call_both_resume_on_the_other_process(
    servers: tuple[ServerProcess, ServerProcess],
) -> None:
    """A dies mid-call: customer and employee reconnect to B, same room, PAN result kept."""
    a, b = servers
    customer = await a.customer("Asha Rao")
    token = welcome(customer)["token"]
    async with a.http() as http:
        upload = await http.post(
            "/api/pan/extract",
            content=b"\xff\xd8\xff fake jpeg",
            headers={"Authorization": f"Bearer {token}", "Content-Type": "image/jpeg"},
        )
    assert upload.status_code == 200, upload.text
    employee = await a.employee("priya")
    await employee.expect_queue(lambda q: len(q.customers) == 1)
    await employee.send({"type": "pick", "customer_id": welcome(customer)["customer_id"]})
    room = (await employee.expect("paired"))["room_id"]
    image_url = (await employee.expect("pan_result"))["image_url"]
    await customer.expect("paired")

    a.kill()
    again = Client(await b.raw_socket("/ws/customer"))
    await again.send({"type": "resume", "token": token})
    assert (await again.expect("welcome", skip=()))["resumed"] is True
    assert (await again.expect("paired", skip=()))["room_id"] == room
    back = await b.employee("priya")
    paired = await back.expect("paired")
    assert paired["room_id"] == room
    assert paired["customer"]["pan_status"] == "read"
    assert (await back.expect("pan_result"))["image_url"] == image_url
    session = await b.login("priya")
    async with b.http() as http:
        image = await http.get(image_url, headers={"Authorization": f"Bearer {session}"})
    assert image.status_code == 200
    await back.send({"type": "signal", "data": {"candidate": {"candidate": "x"}}})
    assert (await again.expect("signal", skip=("peer_reconnected",)))["data"]["candidate"]


async def test_joins_on_a_reach_an_employee_on_b_as_numbered_changes(
    servers: tuple[ServerProcess, ServerProcess],
) -> None:
    """An employee on B gets one snapshot, then each join on A as one ``added`` change at the
    back, numbered one after another in the order of the joins."""
    a, b = servers
    employee = await b.employee("priya")
    snapshot = await employee.expect("queue", skip=())
    names = [f"Customer {i}" for i in range(8)]
    joined = [welcome(await a.customer(name))["customer_id"] for name in names]
    changes: list[dict[str, Any]] = []
    while len(changes) < len(names):
        changes.extend((await employee.expect("queue_changes", skip=()))["changes"])
    assert [c["seq"] for c in changes] == list(range(snapshot["seq"] + 1, snapshot["seq"] + 9))
    assert [(c["op"], c["position"]) for c in changes] == [("added", i + 1) for i in range(8)]
    assert [c["customer"]["customer_id"] for c in changes] == joined
    assert employee.queue.ids == joined
    assert [m["type"] for m in employee.seen].count("queue") == 1


async def test_members_of_a_dead_process_expire_once(
    servers: tuple[ServerProcess, ServerProcess],
) -> None:
    """A customer whose process died never returns: the employee on B hears it exactly once."""
    a, b = servers
    customer = await a.customer("Gone")
    employee = await b.employee("priya")
    await employee.expect_queue(lambda q: len(q.customers) == 1)
    await employee.send({"type": "pick", "customer_id": welcome(customer)["customer_id"]})
    await employee.expect("paired")
    a.kill()
    await employee.expect("peer_reconnecting", timeout=HEARTBEAT_TTL_S + 10)
    await employee.expect("customer_left", timeout=GRACE_S + 10)
    await employee.nothing(wait=2, skip=("queue",))


async def test_sigterm_closes_with_1001_and_the_customer_resumes_elsewhere(
    servers: tuple[ServerProcess, ServerProcess],
) -> None:
    """SIGTERM closes sockets with 1001; the customer resumes on B in the same queue place."""
    a, b = servers
    first = await a.customer("First")
    await b.customer("Second")
    a.signal(signal.SIGTERM)
    assert await closed_with(first) == 1001
    again = Client(await b.raw_socket("/ws/customer"))
    await again.send({"type": "resume", "token": welcome(first)["token"]})
    await again.expect("welcome", skip=())
    position = await again.expect("queue_position", skip=())
    assert position["position"] == 1
    assert position["waiting"] == 2


async def test_aiortc_call_through_two_processes(
    servers: tuple[ServerProcess, ServerProcess],
) -> None:
    """Real aiortc peers on A (customer) and B (employee) connect and exchange video."""
    a, b = servers
    customer = await a.customer("Video Customer")
    employee = await b.employee("priya")
    await employee.expect_queue(lambda q: len(q.customers) == 1)
    await employee.send({"type": "pick", "customer_id": welcome(customer)["customer_id"]})
    await employee.expect("paired")
    await customer.expect("paired")

    await video_call(employee, customer)


async def test_a_killed_process_does_not_hold_an_address_budget(tmp_path: Path) -> None:
    """Sockets an address holds on A count on B until A is killed; then, once A's heartbeat
    has run out, B admits that address's sockets again (no lock-out by a dead process)."""
    with two_processes(tmp_path, max_customer_sockets_per_address="2", ws_join_timeout_s="600") as (
        a,
        b,
    ):
        held = [Client(await a.raw_socket("/ws/customer")) for _ in "12"]
        for client in held:  # a pong: A has counted the socket
            await client.send({"type": "ping"})
            await client.expect("pong")
        refused = Client(await b.raw_socket("/ws/customer"))
        await refused.expect_error("too_many_connections")
        assert await closed_with(refused) == 4429
        a.kill()
        for client in held:
            client.ws.transport.abort()
        deadline = time.monotonic() + HEARTBEAT_TTL_S * 3
        while True:
            client = Client(await b.raw_socket("/ws/customer"))
            with contextlib.suppress(ConnectionClosed):  # a refused socket closes at once
                await client.send({"type": "ping"})
            message = await client.recv()  # `pong` if admitted, else the refusal
            if message["type"] == "pong":
                break
            assert message["code"] == "too_many_connections"
            assert time.monotonic() < deadline, "a dead process still holds the budget"
            await asyncio.sleep(0.5)
        await client.send({"type": "join", "name": "After the crash"})
        await client.expect("welcome")

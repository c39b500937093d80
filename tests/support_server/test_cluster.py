"""Cluster mode: two real servers sharing one real Redis (and one accounts database)."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from live_server import PASSWORD, Client, Live, ServerFactory
from test_signaling import (
    CANDIDATE,
    OFFER,
    closed_with,
    exchange_offer_and_answer,
    race_to_pick,
)

from support_server._redis_limits import RedisAddressLimits, RedisLoginThrottle
from support_server._redis_state import connect_redis
from support_server.testing import RedisServer

GRACE_S = 1.0


@pytest_asyncio.fixture
async def redis_url(redis_server: RedisServer) -> AsyncIterator[str]:
    """The session's Redis, emptied for this test."""
    client = connect_redis(redis_server.url)
    await client.flushdb()
    await client.aclose()
    yield redis_server.url


@pytest_asyncio.fixture
async def pair_of_servers(start_server: ServerFactory, redis_url: str) -> tuple[Live, Live]:
    """Two servers (A, B) on the same Redis and the same accounts database."""
    a = await start_server(redis_url=redis_url)
    b = await start_server(redis_url=redis_url)
    return a, b


async def welcome_of(client: Client) -> dict[str, str]:
    return next(m for m in client.seen if m["type"] == "welcome")


async def test_one_queue_oldest_first_on_every_process(pair_of_servers: tuple[Live, Live]) -> None:
    """Customers joining on A and on B form one queue that employees on both see alike."""
    a, b = pair_of_servers
    first = await a.customer("First")
    second = await b.customer("Second")
    third = await a.customer("Third")
    on_a = await a.employee("ana")
    on_b = await b.employee("bo")
    names = ["First", "Second", "Third"]
    for employee in (on_a, on_b):
        queue = await employee.expect_queue(lambda q: len(q.customers) == 3)
        assert [c["name"] for c in queue.customers] == names
    for client, position in ((first, 1), (second, 2), (third, 3)):
        assert (await client.expect("queue_position", skip=()))["position"] == position


async def test_pick_race_across_processes_has_one_winner(
    pair_of_servers: tuple[Live, Live],
) -> None:
    """Employees on A and B pick the same customer at once: one is paired, one already_taken;
    the customer sees the winner's display name, never a login name."""
    a, b = pair_of_servers
    customer = await a.customer()
    cid = (await welcome_of(customer))["customer_id"]
    for login, shown in (("login.one", "Ana"), ("login.two", "Bo")):
        await a.app.ctx.accounts.add(login, PASSWORD, now=time.time(), display_name=shown)
    one = await a.employee("login.one")
    two = await b.employee("login.two")
    for e in (one, two):
        await e.expect_queue(lambda q: q.ids == [cid])
    outcomes = await race_to_pick(cid, one, two)
    assert sorted(m["type"] for m in outcomes) == ["error", "paired"]
    [error] = [m for m in outcomes if m["type"] == "error"]
    assert error["code"] == "already_taken"
    assert (await customer.expect("paired"))["employee"]["name"] in ("Ana", "Bo")
    assert "login." not in json.dumps(customer.seen)


async def cross_pair(a: Live, b: Live) -> tuple[Client, Client, str]:
    """A customer on A paired with an employee on B."""
    customer = await a.customer("Asha Rao")
    cid = (await welcome_of(customer))["customer_id"]
    employee = await b.employee()
    await employee.expect_queue(lambda q: cid in q.ids)
    await employee.send({"type": "pick", "customer_id": cid})
    await employee.expect("paired")
    await customer.expect("paired")
    return customer, employee, cid


async def test_signals_cross_processes(pair_of_servers: tuple[Live, Live]) -> None:
    """Offer, answer and ICE candidates reach the other member on the other process."""
    a, b = pair_of_servers
    customer, employee, _ = await cross_pair(a, b)
    await exchange_offer_and_answer(employee, customer)
    await customer.send({"type": "signal", "data": CANDIDATE})
    assert (await employee.expect("signal"))["data"] == CANDIDATE


async def test_signals_within_one_process_of_a_cluster(
    pair_of_servers: tuple[Live, Live],
) -> None:
    """Members of a room on the same process relay through it; a member without a room is
    refused with ``not_in_room``."""
    a, _ = pair_of_servers
    alone = await a.customer("Alone")
    customer, employee, _ = await cross_pair(a, a)
    await exchange_offer_and_answer(employee, customer)
    await alone.send({"type": "signal", "data": CANDIDATE})
    assert (await alone.expect_error("not_in_room"))["request"] == "signal"


async def test_pan_upload_on_a_reaches_the_employee_on_b(
    pair_of_servers: tuple[Live, Live],
) -> None:
    """A PAN read on A is pushed to the employee on B, whose process serves the image too."""
    a, b = pair_of_servers
    customer, employee, _ = await cross_pair(a, b)
    token = (await welcome_of(customer))["token"]
    async with a.http() as http:
        response = await http.post(
            "/api/pan/extract",
            content=b"\xff\xd8\xff fake jpeg",
            headers={"Authorization": f"Bearer {token}", "Content-Type": "image/jpeg"},
        )
    assert response.status_code == 200, response.text
    result = await employee.expect("pan_result")
    assert result["result"]["pan"] == "ABCPE1234F"
    session = await b.login("priya")
    for server in (b, a):
        async with server.http() as http:
            image = await http.get(
                result["image_url"], headers={"Authorization": f"Bearer {session}"}
            )
        assert image.status_code == 200
        assert image.content.startswith(b"\xff\xd8\xff")
    fields = {"pan": "ABCPE1234F", "name": "Asha Rao", "father_name": None, "dob": None}
    await customer.send({"type": "pan_confirm", "fields": fields})
    assert (await employee.expect("pan_confirmed"))["fields"]["pan"] == "ABCPE1234F"


async def test_end_call_puts_the_customer_back_at_the_front(
    pair_of_servers: tuple[Live, Live],
) -> None:
    """The employee on B ends the call: the customer on A is told and is first again."""
    a, b = pair_of_servers
    early = await b.customer("Early")
    customer, employee, cid = await cross_pair(a, b)
    await early.expect("queue_position", where=lambda m: m["waiting"] == 1)
    await employee.send({"type": "leave"})
    await employee.expect("call_ended")
    await customer.expect("employee_left", skip=())
    position = await customer.expect("queue_position", skip=())
    assert position["position"] == 1
    assert position["waiting"] == 2
    queue = await employee.expect_queue(lambda q: len(q.customers) == 2)
    assert queue.ids[0] == cid


async def test_customer_resumes_on_the_other_process(pair_of_servers: tuple[Live, Live]) -> None:
    """A customer whose socket on A died resumes on B into the same room."""
    a, b = pair_of_servers
    customer, employee, cid = await cross_pair(a, b)
    token = (await welcome_of(customer))["token"]
    customer.ws.transport.abort()
    await employee.expect("peer_reconnecting")
    again = Client(await b.raw_socket("/ws/customer"))
    await again.send({"type": "resume", "token": token})
    welcome = await again.expect("welcome", skip=())
    assert welcome["customer_id"] == cid
    await again.expect("paired", skip=())
    await employee.expect("peer_reconnected")
    await employee.send({"type": "signal", "data": OFFER})
    assert (await again.expect("signal"))["data"] == OFFER


async def test_resume_elsewhere_replaces_the_open_socket(
    pair_of_servers: tuple[Live, Live],
) -> None:
    """Resuming on B while the socket on A is still open closes the one on A with 4409."""
    a, b = pair_of_servers
    first = await a.customer()
    token = (await welcome_of(first))["token"]
    again = Client(await b.raw_socket("/ws/customer"))
    await again.send({"type": "resume", "token": token})
    await again.expect("welcome", skip=())
    assert await closed_with(first) == 4409
    await again.send({"type": "ping"})
    await again.expect("pong")


async def test_grace_expires_once_for_the_cluster(pair_of_servers: tuple[Live, Live]) -> None:
    """A customer gone past the grace period: the employee on the other process hears it once."""
    a, b = pair_of_servers
    customer, employee, _ = await cross_pair(a, b)
    customer.ws.transport.abort()
    await employee.expect("peer_reconnecting")
    await employee.expect("customer_left", timeout=5)
    await employee.nothing(wait=GRACE_S * 2, skip=("queue",))


async def wait_ready(live: Live, timeout: float = 20.0) -> None:
    """Poll /readyz until it answers 200."""
    async with live.http() as http:
        for _ in range(int(timeout / 0.2)):
            if (await http.get("/readyz")).status_code == 200:
                return
            await asyncio.sleep(0.2)
    pytest.fail("/readyz did not answer 200")


async def test_redis_down_then_back(
    start_server: ServerFactory, tmp_path: Path, redis_url: str
) -> None:
    """Without Redis: /readyz 503 and a clear error; once it is back (empty), the same server
    works again and closes the sockets whose sessions Redis lost with 1001."""
    redis = RedisServer(tmp_path / "own-redis")
    redis.start()
    try:
        live = await start_server(redis_url=redis.url)
        await wait_ready(live)
        waiting = await live.customer("Before")
        redis.stop()
        async with live.http() as http:
            ready = await http.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["status"] == "state_unavailable"
        client = Client(await live.raw_socket("/ws/customer"))
        await client.send({"type": "join", "name": "During"})
        await client.expect_error("unavailable")
        redis.start()
        await wait_ready(live)
        await client.send({"type": "join", "name": "After"})
        await client.expect("welcome")
        assert await closed_with(waiting) == 1001  # Redis came back empty: sessions are gone
        again = Client(await live.raw_socket("/ws/customer"))
        await again.send({"type": "resume", "token": (await welcome_of(waiting))["token"]})
        await again.expect_error("resume_failed")
    finally:
        redis.stop()


async def test_login_back_off_holds_across_processes(pair_of_servers: tuple[Live, Live]) -> None:
    """Wrong passwords spread over A and B count together: the next try is refused (429)."""
    a, b = pair_of_servers
    for server in (a, b):  # lock-outs of a minute: a slow machine cannot outwait one
        assert isinstance(server.app.ctx.login_throttle, RedisLoginThrottle)
        assert server.app.ctx.redis is not None
        server.app.ctx.login_throttle = RedisLoginThrottle(
            server.app.ctx.redis, max_failures=3, base_s=60.0
        )
    await a.add_employee("priya")
    codes = []
    for server in (a, b, a, b):
        async with server.http() as http:
            response = await http.post(
                "/api/auth/login", json={"username": "priya", "password": "wrong password"}
            )
        codes.append(response.status_code)
    assert codes[:3] == [401, 401, 401]
    assert codes[3] == 429


async def test_upload_rate_limit_holds_across_processes(
    start_server: ServerFactory, redis_url: str
) -> None:
    """A customer's upload budget is shared: uploads on A use up what B allows."""
    a = await start_server(redis_url=redis_url, upload_rate_per_min=2)
    b = await start_server(redis_url=redis_url, upload_rate_per_min=2)
    customer = await a.customer()
    token = (await welcome_of(customer))["token"]
    statuses = []
    for server in (a, a, b):
        async with server.http() as http:
            response = await http.post(
                "/api/pan/extract",
                content=b"\xff\xd8\xff fake jpeg",
                headers={"Authorization": f"Bearer {token}", "Content-Type": "image/jpeg"},
            )
        statuses.append(response.status_code)
    assert statuses == [200, 200, 429]


ATTACKER = {"X-Forwarded-For": "203.0.113.7"}
NEIGHBOUR = {"X-Forwarded-For": "198.51.100.20"}


async def test_socket_cap_of_an_address_holds_across_processes(
    start_server: ServerFactory, redis_url: str
) -> None:
    """Sockets of one address on A and B count together: past the cap B refuses one (4429);
    closing one on A gives the address room on B again; other addresses are not affected."""
    capped = {"max_customer_sockets_per_address": 3, "trusted_proxies": ("127.0.0.1",)}
    a = await start_server(redis_url=redis_url, **capped)
    b = await start_server(redis_url=redis_url, **capped)
    on_a = [Client(await a.raw_socket("/ws/customer", additional_headers=ATTACKER)) for _ in "12"]
    for client in on_a:  # a pong: A has counted the socket
        await client.send({"type": "ping"})
        await client.expect("pong")
    held_on_b = Client(await b.raw_socket("/ws/customer", additional_headers=ATTACKER))
    await held_on_b.send({"type": "join", "name": "Third"})
    await held_on_b.expect("welcome")
    for server in (b, a):
        refused = Client(await server.raw_socket("/ws/customer", additional_headers=ATTACKER))
        await refused.expect_error("too_many_connections")
        assert await closed_with(refused) == 4429
    await b.customer("Neighbour", additional_headers=NEIGHBOUR)
    await on_a[0].close()
    await asyncio.sleep(0.3)
    await b.customer("Attacker again", additional_headers=ATTACKER)


async def test_join_budget_of_an_address_holds_across_processes(
    start_server: ServerFactory, redis_url: str
) -> None:
    """Joins of one address on A and B use one budget: the third of two a minute is refused."""
    budget = {"joins_per_address_per_min": 2, "trusted_proxies": ("127.0.0.1",)}
    a = await start_server(redis_url=redis_url, **budget)
    b = await start_server(redis_url=redis_url, **budget)
    await a.customer("First", additional_headers=ATTACKER)
    await b.customer("Second", additional_headers=ATTACKER)
    third = Client(await a.raw_socket("/ws/customer", additional_headers=ATTACKER))
    await third.send({"type": "join", "name": "Third"})
    assert (await third.expect_error("rate_limited"))["request"] == "join"
    await b.customer("Neighbour", additional_headers=NEIGHBOUR)


async def test_socket_counts_made_while_redis_was_away_are_shared_once_it_is_back(
    tmp_path: Path,
) -> None:
    """Without Redis a process still holds the cap for its own sockets; once Redis is back its
    counts are written again, so other processes count them, and released on close."""
    redis = RedisServer(tmp_path / "own-redis")
    redis.start()
    client = connect_redis(redis.url)
    address = "203.0.113.7"
    try:
        a, b = (
            RedisAddressLimits(client, proc_id=proc, max_sockets=2, joins_per_min=10)
            for proc in ("p_a", "p_b")
        )
        redis.stop()
        assert [await a.open_socket(address) for _ in "123"] == [True, True, False]
        redis.start()
        await client.set("desk:alive:p_a", 1)  # A's heartbeat
        await a.sync()
        assert not await b.open_socket(address)
        await a.close_socket(address)
        assert await b.open_socket(address)
    finally:
        await client.aclose()
        redis.stop()


async def test_sockets_opened_at_once_are_all_counted_for_other_processes(redis_url: str) -> None:
    """Many customer sockets opened on A at the same moment all count against the address on
    B: A's count in Redis ends at the number it holds, not at an older value written late."""
    client = connect_redis(redis_url)
    address = "203.0.113.9"
    try:
        a, b = (
            RedisAddressLimits(client, proc_id=proc, max_sockets=201, joins_per_min=10)
            for proc in ("p_a", "p_b")
        )
        await client.set("desk:alive:p_a", 1)  # A's heartbeat
        opened = await asyncio.gather(*(a.open_socket(address) for _ in range(200)))
        assert all(opened)
        assert await client.hget("desk:sockets:p_a", address) == b"200"
        assert await b.open_socket(address)
        assert not await b.open_socket(address)
    finally:
        await client.aclose()

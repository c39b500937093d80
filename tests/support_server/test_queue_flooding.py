"""One client cannot fill the queue: per-address caps, a queue cap, short ghosts, idle sockets."""

from __future__ import annotations

import asyncio

from live_server import Client, Live, ServerFactory
from test_signaling import closed_with, pair

ATTACKER = {"X-Forwarded-For": "203.0.113.7"}
NEIGHBOUR = {"X-Forwarded-For": "198.51.100.20"}
PROXIED = {"trusted_proxies": ("127.0.0.1",)}


async def test_one_address_cannot_open_more_customer_sockets_than_its_cap(
    start_server: ServerFactory,
) -> None:
    """Past the per-address socket cap a socket is refused; another address still joins."""
    live = await start_server(max_customer_sockets_per_address=3, **PROXIED)
    held = [Client(await live.raw_socket("/ws/customer", additional_headers=ATTACKER))]
    held += [Client(await live.raw_socket("/ws/customer", additional_headers=ATTACKER))]
    held += [Client(await live.raw_socket("/ws/customer", additional_headers=ATTACKER))]
    refused = Client(await live.raw_socket("/ws/customer", additional_headers=ATTACKER))
    await refused.expect_error("too_many_connections")
    assert await closed_with(refused) == 4429
    await live.customer("Neighbour", additional_headers=NEIGHBOUR)
    await held[0].close()
    await asyncio.sleep(0.2)
    await live.customer("Attacker again", additional_headers=ATTACKER)


async def test_one_address_cannot_join_faster_than_its_cap(start_server: ServerFactory) -> None:
    """Join-and-drop from one address is refused past its join budget; others still join."""
    live = await start_server(joins_per_address_per_min=3, **PROXIED)
    employee = await live.employee()
    for n in range(3):
        ghost = await live.customer(f"Ghost {n}", additional_headers=ATTACKER)
        await ghost.close()
    flood = Client(await live.raw_socket("/ws/customer", additional_headers=ATTACKER))
    await flood.send({"type": "join", "name": "Ghost 4"})
    error = await flood.expect_error("rate_limited")
    assert error["request"] == "join"
    neighbour = await live.customer("Neighbour", additional_headers=NEIGHBOUR)
    await neighbour.expect("queue_position")
    queue = await employee.expect_queue(lambda q: "Neighbour" in [c["name"] for c in q.customers])
    assert "Ghost 4" not in [c["name"] for c in queue.customers]


async def test_a_full_queue_answers_queue_full(start_server: ServerFactory) -> None:
    """At the queue cap a join gets queue_full in plain words; a place freed lets one in."""
    live = await start_server(max_waiting=2)
    first = await live.customer("First")
    await live.customer("Second")
    late = Client(await live.raw_socket("/ws/customer"))
    await late.send({"type": "join", "name": "Third"})
    error = await late.expect_error("queue_full")
    assert error["request"] == "join"
    assert "queue is full" in error["message"]
    await first.send({"type": "leave"})
    await first.expect("bye", skip=("queue_position",))
    await late.send({"type": "join", "name": "Third"})
    await late.expect("welcome")


async def test_a_ghost_that_never_reached_an_employee_leaves_the_queue_soon(
    start_server: ServerFactory,
) -> None:
    """A waiting customer whose socket is gone is dropped after the short waiting grace."""
    live = await start_server(reconnect_grace_s=30.0, waiting_grace_s=0.3)
    employee = await live.employee()
    ghost = await live.customer("Ghost")
    await employee.expect_queue(lambda q: len(q.customers) == 1)
    await ghost.close()
    await employee.expect_queue(lambda q: q.customers == [], timeout=3)


async def test_a_customer_who_was_in_a_call_keeps_the_normal_grace(
    start_server: ServerFactory,
) -> None:
    """A customer sent back to the queue after a call keeps their place for the full grace."""
    live = await start_server(reconnect_grace_s=30.0, waiting_grace_s=0.3)
    customer, employee, _ = await pair(live)
    await employee.send({"type": "leave"})
    await customer.expect("employee_left")
    await customer.close()
    await employee.nothing(1.0, skip=("queue_changes", "call_ended"))
    snapshot = await live.app.ctx.desk.queue_message()
    assert [c["name"] for c in snapshot["customers"]] == ["Asha Rao"]


async def test_a_socket_that_never_joins_is_closed(start_server: ServerFactory) -> None:
    """A customer socket without join or resume is closed after the join timeout (4408)."""
    live = await start_server(ws_join_timeout_s=0.5)
    idle = Client(await live.raw_socket("/ws/customer"))
    await idle.send({"type": "ping"})
    await idle.expect("pong")
    await idle.expect_error("join_timeout")
    assert await closed_with(idle) == 4408
    joined = await live.customer("Asha Rao")
    await asyncio.sleep(0.8)
    await joined.send({"type": "ping"})
    await joined.expect("pong")


async def test_an_employee_socket_without_login_is_closed_at_once(live: Live) -> None:
    """An employee socket that does not authenticate never waits: 4401 straight away."""
    client = Client(await live.raw_socket("/ws/employee"))
    await client.expect_error("unauthorized")
    assert await closed_with(client, timeout=1.0) == 4401

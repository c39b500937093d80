"""Protocol tests: a real server and real WebSocket clients through every lifecycle path."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
import websockets
from live_server import Client, Live, Message, ServerFactory, make_settings
from websockets.exceptions import ConnectionClosed, InvalidStatus

from support_server import create_app
from support_server.testing import fake_reader_factory, running_server

OFFER = {"description": {"type": "offer", "sdp": "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\n"}}
ANSWER = {"description": {"type": "answer", "sdp": "v=0\r\n"}}
CANDIDATE = {"candidate": {"candidate": "candidate:1 1 udp 1 127.0.0.1 9 typ host"}}


async def closed_with(client: Client, timeout: float = 5.0) -> int | None:
    """Read until the server closes the socket; return the close code."""
    try:
        while True:
            await asyncio.wait_for(client.ws.recv(), timeout)
    except ConnectionClosed as exc:
        return exc.rcvd.code if exc.rcvd else None


async def pair(live: Live, name: str = "Asha Rao") -> tuple[Client, Client, str]:
    """A customer and an employee in a room; returns (customer, employee, customer_id)."""
    customer = Client(await live.raw_socket("/ws/customer"))
    await customer.send({"type": "join", "name": name})
    welcome = await customer.expect("welcome")
    employee = await live.employee()
    await employee.expect_queue(lambda q: welcome["customer_id"] in q.ids)
    await employee.send({"type": "pick", "customer_id": welcome["customer_id"]})
    await employee.expect("paired")
    await customer.expect("paired")
    return customer, employee, welcome["customer_id"]


async def test_join_gets_welcome_and_position(live: Live) -> None:
    """A joining customer gets a welcome with id, token and ICE servers, then its position."""
    client = Client(await live.raw_socket("/ws/customer"))
    await client.send({"type": "join", "name": "  Asha   Rao "})
    welcome = await client.recv()
    assert welcome["type"] == "welcome"
    assert welcome["customer_id"].startswith("c_")
    assert len(welcome["token"]) >= 32
    assert welcome["resumed"] is False
    assert welcome["ice_servers"] == []
    position = await client.recv()
    assert position == {
        "type": "queue_position",
        "position": 1,
        "waiting": 1,
        "estimated_wait_s": None,
    }


async def test_a_customer_learns_when_their_position_changes(live: Live) -> None:
    """A waiting customer is told of a leave ahead of them; a join behind them alone changes
    nothing they are told at once."""
    first = await live.customer("First")
    await first.expect("queue_position", skip=())
    second = await live.customer("Second")
    assert (await second.expect("queue_position", skip=()))["position"] == 2
    await first.nothing(wait=1.5)
    await first.send({"type": "leave"})
    await first.expect("bye", skip=())
    moved = await second.expect("queue_position", skip=())
    assert moved == {
        "type": "queue_position",
        "position": 1,
        "waiting": 1,
        "estimated_wait_s": None,
    }


async def test_employee_sees_the_queue_live_oldest_first(live: Live) -> None:
    """The employee gets the queue on connect, then every change, oldest first."""
    employee = await live.employee()
    assert (await employee.expect("queue", skip=()))["customers"] == []
    await live.customer("Asha Rao")
    await live.customer("Bala")
    queue = await employee.expect_queue(lambda q: len(q.customers) == 2)
    names = [c["name"] for c in queue.customers]
    assert names == ["Asha Rao", "Bala"]
    assert all(m["type"] != "queue" for m in employee.seen[2:])  # changes, not the whole queue
    entry = queue.customers[0]
    assert set(entry) == {"customer_id", "name", "waiting_since", "pan_status"}
    assert entry["pan_status"] == "none"
    assert entry["waiting_since"].endswith("Z")


async def exchange_offer_and_answer(employee: Client, customer: Client) -> None:
    """The employee's offer reaches the customer and the customer's answer the employee,
    verbatim."""
    await employee.send({"type": "signal", "data": OFFER})
    assert (await customer.expect("signal", skip=()))["data"] == OFFER
    await customer.send({"type": "signal", "data": ANSWER})
    assert (await employee.expect("signal"))["data"] == ANSWER


async def test_pick_pairs_and_signals_are_relayed_inside_the_room(live: Live) -> None:
    """Offer, answer and candidates flow verbatim between the two members of a room only."""
    customer, employee, _ = await pair(live)
    bystander = await live.customer("Bystander")
    await exchange_offer_and_answer(employee, customer)
    await customer.send({"type": "signal", "data": CANDIDATE})
    assert (await employee.expect("signal"))["data"] == CANDIDATE
    await bystander.nothing(skip=("queue_position",))


async def test_signal_outside_a_room_is_an_error(live: Live) -> None:
    """A waiting customer's signal gets not_in_room and the socket stays usable."""
    customer = await live.customer()
    await customer.send({"type": "signal", "data": OFFER})
    error = await customer.expect_error("not_in_room")
    assert error["request"] == "signal"
    await customer.send({"type": "ping"})
    await customer.expect("pong")


async def race_to_pick(customer_id: str, *employees: Client) -> list[Message]:
    """Each employee's answer to a ``pick`` of ``customer_id`` sent by all at once."""
    pick = json.dumps({"type": "pick", "customer_id": customer_id})
    await asyncio.gather(*(e.ws.send(pick) for e in employees))
    answers = []
    for e in employees:
        message = await e.recv()
        while message["type"] in ("queue", "queue_changes"):
            message = await e.recv()
        answers.append(message)
    return answers


async def test_two_employees_racing_for_one_customer(live: Live) -> None:
    """Two simultaneous picks: exactly one is paired, the other gets already_taken."""
    customer = await live.customer()
    [cid] = [m["customer_id"] for m in customer.seen if m["type"] == "welcome"]
    one = await live.employee("one")
    two = await live.employee("two")
    for e in (one, two):
        await e.expect_queue(lambda q: len(q.customers) == 1)
    results = await race_to_pick(cid, one, two)
    kinds = sorted(m["type"] for m in results)
    assert kinds == ["error", "paired"]
    [error] = [m for m in results if m["type"] == "error"]
    assert error["code"] == "already_taken"
    assert (await customer.expect("paired"))["employee"]["name"] == "Support agent"


async def test_pick_of_unknown_customer(live: Live) -> None:
    """Picking a customer id that is not waiting answers not_found."""
    employee = await live.employee()
    await employee.send({"type": "pick", "customer_id": "c_nobody"})
    await employee.expect_error("not_found")


async def test_employee_leave_sends_customer_to_front(live: Live) -> None:
    """After the employee leaves, the customer is told and is first in the queue again."""
    early = await live.customer("Early")
    customer, employee, cid = await pair(live, "Picked")
    await early.expect("queue_position", where=lambda m: m["waiting"] == 1)
    await employee.send({"type": "leave"})
    assert await employee.expect("call_ended") == {
        "type": "call_ended",
        "reason": "employee_left",
    }
    await customer.expect("employee_left", skip=())
    position = await customer.expect("queue_position", skip=())
    assert position["position"] == 1
    assert position["waiting"] == 2
    assert position["estimated_wait_s"] is not None
    queue = await employee.expect_queue(lambda q: len(q.customers) == 2)
    assert queue.ids[0] == cid


async def test_customer_leave_tells_employee(live: Live) -> None:
    """A customer leaving: bye and close 1000 for them, customer_left for the employee."""
    customer, employee, _ = await pair(live)
    await customer.send({"type": "leave"})
    await customer.expect("bye", skip=())
    assert await closed_with(customer) == 1000
    await employee.expect("customer_left")
    await employee.send({"type": "signal", "data": OFFER})
    await employee.expect_error("not_in_room")


async def test_abrupt_customer_disconnect_then_resume_within_grace(live: Live) -> None:
    """A customer vanishing without a close frame can resume into the room; the employee is told."""
    customer, employee, cid = await pair(live)
    token = next(m["token"] for m in customer.seen if m["type"] == "welcome")
    customer.ws.transport.abort()
    await employee.expect("peer_reconnecting")
    again = Client(await live.raw_socket("/ws/customer"))
    await again.send({"type": "resume", "token": token})
    welcome = await again.expect("welcome", skip=())
    assert welcome["resumed"] is True
    assert welcome["customer_id"] == cid
    await again.expect("paired", skip=())
    await employee.expect("peer_reconnected")
    await employee.send({"type": "signal", "data": OFFER})
    assert (await again.expect("signal"))["data"] == OFFER


async def test_resume_after_grace_fails_and_employee_is_told(live: Live) -> None:
    """Past the grace period the room is gone: customer_left, and resume_failed on resume."""
    customer, employee, _ = await pair(live)
    token = next(m["token"] for m in customer.seen if m["type"] == "welcome")
    customer.ws.transport.abort()
    await employee.expect("peer_reconnecting")
    await employee.expect("customer_left", timeout=5)
    again = Client(await live.raw_socket("/ws/customer"))
    await again.send({"type": "resume", "token": token})
    await again.expect_error("resume_failed")
    await again.send({"type": "join", "name": "Asha again"})
    assert (await again.expect("welcome"))["resumed"] is False


async def test_waiting_customer_keeps_place_while_reconnecting(live: Live) -> None:
    """A waiting customer who drops and resumes in time keeps their position."""
    first = await live.customer("First")
    token = next(m["token"] for m in first.seen if m["type"] == "welcome")
    second = await live.customer("Second")
    await second.expect("queue_position", skip=())
    await first.close()
    again = Client(await live.raw_socket("/ws/customer"))
    await again.send({"type": "resume", "token": token})
    await again.expect("welcome", skip=())
    position = await again.expect("queue_position", skip=())
    assert position["position"] == 1
    assert position["waiting"] == 2


async def test_resume_replaces_older_socket(live: Live) -> None:
    """Resuming on a new socket while the old one is open closes the old one with 4409."""
    first = await live.customer()
    token = next(m["token"] for m in first.seen if m["type"] == "welcome")
    again = Client(await live.raw_socket("/ws/customer"))
    await again.send({"type": "resume", "token": token})
    await again.expect("welcome", skip=())
    assert await closed_with(first) == 4409
    await again.send({"type": "ping"})
    await again.expect("pong")


async def test_employee_drop_and_reconnect_keeps_room(start_server: ServerFactory) -> None:
    """An employee whose connection dies reconnects into the same room in time."""
    # a grace long enough for a fresh login on a busy machine (the default test grace is 1 s)
    live = await start_server(reconnect_grace_s=30.0)
    customer, employee, cid = await pair(live)
    employee.ws.transport.abort()
    await customer.expect("peer_reconnecting", skip=())
    back = await live.employee()
    paired = await back.expect("paired")
    assert paired["customer"]["customer_id"] == cid
    await customer.expect("peer_reconnected", skip=())


async def test_employee_gone_past_grace_returns_customer_to_queue(live: Live) -> None:
    """An employee gone past the grace period: the customer is told and queued at the front."""
    customer, employee, _ = await pair(live)
    employee.ws.transport.abort()
    await customer.expect("peer_reconnecting", skip=())
    await customer.expect("employee_left", skip=(), timeout=5)
    position = await customer.expect("queue_position", skip=())
    assert position["position"] == 1


async def test_second_employee_socket_replaces_first(live: Live) -> None:
    """The same employee connecting again takes over; the old socket closes with 4409."""
    first = await live.employee()
    second = await live.employee()
    assert await closed_with(first) == 4409
    await second.send({"type": "ping"})
    await second.expect("pong")


async def test_peer_vanishing_mid_negotiation_is_reported(live: Live) -> None:
    """If the customer vanishes right after the offer, the employee hears about it."""
    customer, employee, _ = await pair(live)
    await employee.send({"type": "signal", "data": OFFER})
    await customer.expect("signal", skip=())
    customer.ws.transport.abort()
    await employee.expect("peer_reconnecting")


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("not json", "bad_json"),
        ("[1, 2]", "bad_json"),
        ('{"no_type": 1}', "bad_message"),
        ('{"type": "hello"}', "unknown_type"),
        ('{"type": "pick", "customer_id": "c_x"}', "not_allowed"),
        ('{"type": "signal", "data": {}}', "not_joined"),
        ('{"type": "join", "name": "   "}', "invalid_name"),
        ('{"type": "join", "name": "' + "x" * 65 + '"}', "invalid_name"),
        ('{"type": "resume", "token": "nope"}', "resume_failed"),
    ],
)
async def test_bad_customer_frames_get_errors_and_socket_stays_usable(
    live: Live, frame: str, code: str
) -> None:
    """Malformed, unknown or wrong-role frames get an error frame; the socket keeps working."""
    client = Client(await live.raw_socket("/ws/customer"))
    await client.ws.send(frame)
    await client.expect_error(code)
    await client.send({"type": "join", "name": "Still here"})
    await client.expect("welcome")


async def test_binary_frame_is_refused(live: Live) -> None:
    """A binary frame is answered with bad_json."""
    client = await live.customer()
    await client.ws.send(b"\x00\x01")
    await client.expect_error("bad_json")


async def test_join_twice_is_already_joined(live: Live) -> None:
    """A second join on the same socket is refused."""
    client = await live.customer()
    await client.send({"type": "join", "name": "Again"})
    await client.expect_error("already_joined")


async def test_employee_cannot_send_customer_messages(live: Live) -> None:
    """An employee sending join or pan_confirm gets not_allowed."""
    employee = await live.employee()
    await employee.send({"type": "join", "name": "x"})
    error = await employee.expect_error("not_allowed")
    assert error["request"] == "join"
    await employee.send({"type": "pan_confirm", "fields": {}})
    await employee.expect_error("not_allowed")
    await employee.send({"type": "pick"})
    await employee.expect_error("bad_message")


async def test_pan_confirm_validation_and_delivery(live: Live) -> None:
    """pan_confirm is normalised, acknowledged, and forwarded to the paired employee."""
    customer, employee, _ = await pair(live)
    await customer.send(
        {"type": "pan_confirm", "fields": {"pan": "abcpe1234f", "dob": "1990-13-01"}}
    )
    error = await customer.expect_error("bad_message")
    assert "dob" in error["message"]
    fields = {"pan": "abcpe1234f", "name": "Asha Rao", "father_name": None, "dob": "1990-01-31"}
    await customer.send({"type": "pan_confirm", "fields": fields})
    ack = await customer.expect("pan_confirmed")
    assert ack["fields"]["pan"] == "ABCPE1234F"
    forwarded = await employee.expect("pan_confirmed")
    assert forwarded["fields"] == ack["fields"]


async def test_oversized_frame_closes_with_1009(live: Live) -> None:
    """A frame over 64 KiB closes the socket with code 1009."""
    client = await live.customer()
    await client.ws.send(json.dumps({"type": "ping", "pad": "x" * 70_000}))
    assert await closed_with(client) == 1009


async def test_forged_origin_is_refused(live: Live) -> None:
    """A browser origin other than the server's own gets origin_not_allowed and close 4403."""
    client = Client(await live.raw_socket("/ws/customer", origin="https://evil.example"))
    await client.expect_error("origin_not_allowed")
    assert await closed_with(client) == 4403


async def test_same_origin_is_accepted(live: Live) -> None:
    """The page's own origin may connect."""
    client = Client(await live.raw_socket("/ws/customer", origin=live.base))
    await client.send({"type": "ping"})
    await client.expect("pong")


async def test_origin_allowlist(start_server: ServerFactory) -> None:
    """With SUPPORT_ALLOWED_ORIGINS set, listed origins pass and others are refused."""
    live = await start_server(allowed_origins=("https://desk.example",))
    ok = Client(await live.raw_socket("/ws/customer", origin="https://desk.example"))
    await ok.send({"type": "ping"})
    await ok.expect("pong")
    bad = Client(await live.raw_socket("/ws/customer", origin=live.base))
    await bad.expect_error("origin_not_allowed")


async def test_unauthenticated_employee_is_refused(live: Live) -> None:
    """An employee socket without a login gets unauthorized and close 4401."""
    client = Client(await live.raw_socket("/ws/employee"))
    await client.expect_error("unauthorized")
    assert await closed_with(client) == 4401
    bad = Client(
        await live.raw_socket("/ws/employee", additional_headers={"Authorization": "Bearer nope"})
    )
    await bad.expect_error("unauthorized")


async def test_employee_socket_accepts_the_session_cookie(live: Live) -> None:
    """Browsers authenticate the employee socket with the login cookie."""
    await live.add_employee("cookie")
    token = await live.login("cookie")
    client = Client(
        await live.raw_socket(
            "/ws/employee", additional_headers={"Cookie": f"support_session={token}"}
        )
    )
    welcome = await client.expect("welcome")
    assert welcome["employee"]["name"] == "Support agent"  # no display name set
    assert welcome["employee"]["id"].startswith("e_")


async def test_rate_limit(start_server: ServerFactory) -> None:
    """Messages beyond the per-connection rate get rate_limited and are dropped."""
    live = await start_server(ws_rate_per_s=2.0)
    client = await live.customer()
    for _ in range(10):
        await client.send({"type": "ping"})
    kinds: list[str] = []
    while len(kinds) < 10:
        message = await client.recv()
        if message["type"] != "queue_position":
            kinds.append(str(message.get("code", message["type"])))
    assert "rate_limited" in kinds
    assert kinds.count("pong") < 10


async def test_ping_pong_on_both_sockets(live: Live) -> None:
    """ping is answered with pong, before joining and for employees too."""
    customer = await live.customer(name=None)
    await customer.send({"type": "ping"})
    await customer.expect("pong", skip=())
    employee = await live.employee()
    await employee.send({"type": "ping"})
    await employee.expect("pong")


async def test_websocket_unknown_path_is_not_upgraded(live: Live) -> None:
    """Only the two socket paths exist."""
    with pytest.raises(InvalidStatus):
        await websockets.connect(live.ws_base + "/ws/other")


async def test_server_shutdown_closes_sockets_with_1001(tmp_path: Path) -> None:
    """Stopping the server closes every socket with 1001 (going away), not 1000."""
    app = create_app(
        make_settings(tmp_path), reader_factory=fake_reader_factory, name="shutdown_1001"
    )
    async with running_server(app) as base:
        live = Live(app=app, base=base)
        customer = await live.customer()
        employee = await live.employee()
    assert await closed_with(customer) == 1001
    assert await closed_with(employee) == 1001

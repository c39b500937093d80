"""What a hostile WebSocket client cannot do: a real server, real sockets, real frames."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import pytest
from live_server import Client, Live, ServerFactory
from test_signaling import CANDIDATE, closed_with, pair


async def test_error_frames_never_echo_a_long_type(live: Live) -> None:
    """A 60,000-character unknown type comes back as a short excerpt, not whole."""
    client = Client(await live.raw_socket("/ws/customer"))
    await client.ws.send(json.dumps({"type": "x" * 60_000}))
    raw = await client.ws.recv()
    assert len(raw) < 300
    error = json.loads(raw)
    assert error["code"] == "unknown_type"
    assert error["request"].startswith("xxxx")


async def test_error_frames_never_echo_a_long_field_name(live: Live) -> None:
    """An unknown 60,000-character pan_confirm field is named by an excerpt only."""
    client = await live.customer()
    await client.expect("queue_position")
    await client.send({"type": "pan_confirm", "fields": {"f" * 60_000: "x"}})
    raw = await client.ws.recv()
    assert len(raw) < 300
    assert json.loads(raw)["code"] == "bad_message"


@pytest.mark.parametrize(
    "name",
    [
        "Asha\u202eoaR",  # right-to-left override: shows as "AshaRao" backwards
        "Asha\u2066Rao\u2069",  # bidi isolate
        "As\u200bha",  # zero-width space
        "Asha\u200dRao",  # zero-width joiner
        "Asha\x00Rao",  # NUL
        "Asha\x1bRao",  # escape
        "Asha\ufeffRao",  # byte order mark
        "A" + "\u0301" * 10,  # accents stacked over the neighbours
    ],
)
async def test_join_refuses_names_that_hide_what_they_are(live: Live, name: str) -> None:
    """A customer name with controls, bidi overrides or zero-width characters is refused."""
    employee = await live.employee()
    await employee.expect("queue", skip=())
    client = Client(await live.raw_socket("/ws/customer"))
    await client.send({"type": "join", "name": name})
    error = await client.expect_error("invalid_name")
    assert "character" in error["message"] or "accents" in error["message"]
    await employee.nothing(0.3)
    await client.send({"type": "join", "name": "Asha Rao"})
    await client.expect("welcome")


async def test_join_keeps_names_in_any_script(live: Live) -> None:
    """Names in Indian scripts, with their combining signs, are shown as typed (NFC)."""
    employee = await live.employee()
    await employee.expect("queue", skip=())
    names = ["आशा राव", "ஆஷா ராவ்", "José Ñúñez", "Zoe\u0308"]  # e + combining diaeresis
    for name in names:
        await live.customer(name)
    queue = await employee.expect_queue(lambda q: len(q.customers) == len(names))
    shown = [c["name"] for c in queue.customers]
    assert shown == ["आशा राव", "ஆஷா ராவ்", "José Ñúñez", "Zo\u00eb"]


async def test_a_reader_that_stops_reading_is_cut_off_alone(start_server: ServerFactory) -> None:
    """Past the outbox byte cap a stalled reader is closed (1008); other sockets carry on."""
    live = await start_server(ws_max_outbox_bytes=200_000, ws_rate_per_s=1000.0)
    sender = await live.customer("Sender")
    stalled = await live.employee("priya", max_queue=1)
    await stalled.send({"type": "pick", "customer_id": sender.seen[0]["customer_id"]})
    await stalled.expect("paired")
    other_customer = await live.customer("Bystander")
    other_employee = await live.employee("ravi")
    await other_employee.send(
        {"type": "pick", "customer_id": other_customer.seen[0]["customer_id"]}
    )
    await other_employee.expect("paired")
    blob = {"candidate": {"candidate": "x" * 50_000}}
    for _ in range(300):  # 15 MB for a reader that reads nothing
        await sender.send({"type": "signal", "data": blob})
    await other_employee.send({"type": "signal", "data": CANDIDATE})
    relayed = await other_customer.expect("signal", skip=("queue_position", "paired"))
    assert relayed["data"] == CANDIDATE
    assert await closed_with(stalled, timeout=15.0) == 1008
    await sender.expect("peer_reconnecting", timeout=5.0, skip=("queue_position", "paired"))


async def test_a_reader_that_falls_behind_gets_every_message_in_order(
    start_server: ServerFactory,
) -> None:
    """Signals sent while the reader is megabytes behind (some written at once, the rest
    queued behind the full socket) all arrive, in the order they were sent."""
    live = await start_server(ws_max_outbox_bytes=50_000_000, ws_rate_per_s=1000.0)
    customer, employee, _ = await pair(live)
    count = 150
    for n in range(count):  # 7.5 MB while the employee reads nothing
        await customer.send({"type": "signal", "data": {"n": n, "pad": "x" * 50_000}})
    await asyncio.sleep(0.5)
    received = [(await employee.expect("signal"))["data"]["n"] for _ in range(count)]
    assert received == list(range(count))


TURN = {
    "stun_urls": ("stun:stun.example.org:3478",),
    "turn_urls": ("turn:turn.example.org:3478",),
    "turn_secret": "s3cret",
}


def turn_expiry(ice_servers: list[dict[str, Any]], member_id: str) -> int:
    """The expiry time in the TURN username of ``ice_servers`` (checking whose it is)."""
    stun, turn = ice_servers
    assert stun == {"urls": ["stun:stun.example.org:3478"]}
    assert turn["urls"] == ["turn:turn.example.org:3478"]
    assert len(turn["credential"]) == 28
    expiry, member = turn["username"].split(":")
    assert member == member_id
    return int(expiry)


async def test_turn_credentials_only_once_paired_and_short_lived(
    start_server: ServerFactory,
) -> None:
    """A joining customer gets STUN only; TURN credentials (10 minutes) come with paired."""
    live = await start_server(**TURN)
    customer = Client(await live.raw_socket("/ws/customer"))
    await customer.send({"type": "join", "name": "Asha Rao"})
    welcome = await customer.expect("welcome")
    assert welcome["ice_servers"] == [{"urls": ["stun:stun.example.org:3478"]}]
    employee = await live.employee()
    employee_welcome = employee.seen[0]
    expiry = turn_expiry(employee_welcome["ice_servers"], employee_welcome["employee"]["id"])
    assert expiry - time.time() <= 600 + 1
    await employee.send({"type": "pick", "customer_id": welcome["customer_id"]})
    paired = await customer.expect("paired")
    expiry = turn_expiry(paired["ice_servers"], welcome["customer_id"])
    assert 600 - 5 <= expiry - time.time() <= 600 + 1


async def test_turn_credentials_are_renewed_during_a_call_only(
    start_server: ServerFactory,
) -> None:
    """Before the credentials expire, members in a call get fresh ones; waiting ones do not."""
    live = await start_server(turn_ttl_s=2, **TURN)
    waiting = await live.customer("Waiting")
    calling = await live.customer("Calling")
    employee = await live.employee()
    customer_id = calling.seen[0]["customer_id"]
    await employee.send({"type": "pick", "customer_id": customer_id})
    paired = await calling.expect("paired")
    first = turn_expiry(paired["ice_servers"], customer_id)
    renewed = await calling.expect("ice_servers", timeout=3.0)
    assert turn_expiry(renewed["ice_servers"], customer_id) >= first
    await employee.expect("ice_servers", timeout=3.0, skip=("queue", "queue_changes", "paired"))
    await waiting.nothing(1.5, skip=("queue_position",))

"""Contract tests of the desk service over each live-state backend (queue, rooms, relays)."""

from __future__ import annotations

import asyncio
import json
from typing import Any, cast

import pytest
from desk_harness import GRACE, WAITING_GRACE, Harness, RecordingSocket, memory_harness
from queue_view import QueueView
from sanic.server.websockets.impl import WebsocketImplProtocol

from support_server import (
    CustomerPan,
    Delivery,
    Desk,
    Hub,
    HubError,
    MemoryImageStore,
    Outcome,
    QueueChange,
    QueueEvent,
    QueueOp,
    WaitChanged,
)
from support_server import _desk as desk_module
from support_server._cluster import Cluster
from support_server._connections import Connection, Sockets
from support_server._desk import WAITING_REFRESH_S


def to(outcome: Outcome | list[Delivery], member: str) -> list[dict[str, Any]]:
    deliveries = outcome.deliveries if isinstance(outcome, Outcome) else outcome
    return [d.message for d in deliveries if d.to == member]


def types(outcome: Outcome | list[Delivery], member: str) -> list[str]:
    return [m["type"] for m in to(outcome, member)]


REMOTE_SEEDS = 5


async def queue_ids(hub: Harness) -> list[str]:
    return [c["customer_id"] for c in (await hub.queue_message())["customers"]]


async def join(hub: Harness, name: str, now: float = 0.0) -> str:
    cid, _, _ = await hub.join(name, now)
    return cid


async def test_join_appends_to_queue_in_fifo_order(hub: Harness) -> None:
    """Customers are queued oldest first and each is told its 1-based position at once."""
    a = await join(hub, "A", 1)
    b, _, outcome = await hub.join("B", 2)
    c = await join(hub, "C", 3)
    assert await queue_ids(hub) == [a, b, c]
    assert to(outcome, b) == [
        {"type": "queue_position", "position": 2, "waiting": 2, "estimated_wait_s": None}
    ]


async def test_join_sends_employees_one_small_change(hub: Harness) -> None:
    """A join reaches a connected employee as one numbered ``added`` change after their
    snapshot, listing name, time and PAN status."""
    connected = await hub.employee_connect("e_1", "Priya", 0)
    [snapshot] = to(connected, "e_1")
    assert snapshot == {"type": "queue", "seq": 0, "customers": []}
    cid, token, _ = await hub.join("Asha Rao", 1764000000.5)
    assert token.startswith("t_")
    assert cid.startswith("c_")
    entry = {
        "customer_id": cid,
        "name": "Asha Rao",
        "waiting_since": "2025-11-24T16:00:00.500Z",
        "pan_status": "none",
    }
    assert await hub.take_queue_changes() == {
        "type": "queue_changes",
        "changes": [{"seq": 1, "op": "added", "position": 1, "customer": entry}],
        "waiting": 1,
    }
    assert await hub.take_queue_changes() is None


async def test_queue_changes_are_numbered_and_rebuild_the_queue(hub: Harness) -> None:
    """Added at the back or front, updated, removed: the changes after a snapshot, applied
    in order, give the queue as it is."""
    await hub.employee_connect("e_1", "P", 0)
    a, b = await join(hub, "A"), await join(hub, "B")
    view = QueueView()
    view.apply(await hub.queue_message())
    c = await join(hub, "C")
    await hub.pick("e_1", b, 1)
    await hub.set_pan_result(c, CustomerPan({"pan": "ABCPE1234F"}, "i_1", b"x", "image/png"))
    await hub.employee_leave("e_1", 2)
    message = await hub.take_queue_changes()
    assert message is not None
    assert [(ch["seq"], ch["op"]) for ch in message["changes"]] == [
        (1, "added"),
        (2, "added"),
        (3, "added"),
        (4, "removed"),
        (5, "updated"),
        (6, "added"),
    ]
    assert message["changes"][-1]["position"] == 1  # back at the front
    view.apply(message)
    assert view.customers == (await hub.queue_message())["customers"]
    assert view.ids == [b, a, c]


async def test_employee_connect_sends_the_queue_at_once(hub: Harness) -> None:
    """An employee connecting receives the whole current queue."""
    a = await join(hub, "A")
    outcome = await hub.employee_connect("e_1", "Priya", 5)
    [queue] = to(outcome, "e_1")
    assert queue["seq"] == 1
    assert [c["customer_id"] for c in queue["customers"]] == [a]


async def test_queue_sync_sends_a_fresh_snapshot(hub: Harness) -> None:
    """An employee who asks for the queue again gets the current snapshot."""
    await hub.employee_connect("e_1", "Priya", 0)
    a = await join(hub, "A")
    outcome = await hub.desk.queue_sync("e_1")
    assert to(outcome, "e_1") == [await hub.queue_message()]
    assert [c["customer_id"] for c in to(outcome, "e_1")[0]["customers"]] == [a]


async def test_positions_are_sent_only_when_they_change(hub: Harness) -> None:
    """After a pick at the front everyone behind gets one new position; a change of only the
    number waiting waits for the refresh interval."""
    await hub.employee_connect("e_1", "P", 0)
    a, b, c = await join(hub, "A"), await join(hub, "B"), await join(hub, "C")
    assert await hub.position_updates() == []  # each was told at join; only 'waiting' grew
    await hub.pick("e_1", a, 1)
    updates = {d.to: d.message["position"] for d in await hub.position_updates()}
    assert updates == {b: 1, c: 2}
    assert await hub.position_updates() == []
    await join(hub, "D", 2)
    assert await hub.position_updates() == []
    hub.clock.now = 2 + WAITING_REFRESH_S
    refreshed = {d.to: d.message["waiting"] for d in await hub.position_updates()}
    assert refreshed == {b: 3, c: 3}


async def test_positions_further_back_are_sent_less_often(
    hub: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new place ``p`` waits ``p * POSITION_INTERVAL_PER_PLACE_S`` after the customer's last
    update (at least a second): a long queue's far end is told less often than its front."""
    monkeypatch.setattr(desk_module, "POSITION_INTERVAL_PER_PLACE_S", 1.0)
    await hub.employee_connect("e_1", "P", 0)
    a, b, c, d = [await join(hub, name) for name in "ABCD"]
    await hub.pick("e_1", a, 1)
    told: list[dict[str, int]] = []
    for now in (1, 2, 3):
        hub.clock.now = now
        told.append({u.to: u.message["position"] for u in await hub.position_updates()})
    assert told == [{b: 1}, {c: 2}, {d: 3}]


async def test_a_long_queue_position_pass_lets_other_work_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Going through a long queue's positions, the desk lets other tasks run in between (a
    join or a relayed signal does not wait for the whole queue)."""
    monkeypatch.setattr(desk_module, "POSITIONS_PER_STEP", 10)
    hub = memory_harness()
    waiting = [await join(hub, f"C{n}") for n in range(25)]
    await hub.employee_connect("e_1", "P", 0)
    await hub.pick("e_1", waiting[0], 1)
    finished: list[str] = []

    async def pass_() -> None:
        updates = await hub.position_updates()
        assert {u.to for u in updates} == set(waiting[1:])
        finished.append("positions")

    async def other() -> None:
        finished.append("other")

    await asyncio.gather(pass_(), other())
    assert finished == ["other", "positions"]


async def test_live_state_announces_changes_and_wait_changes(hub: Harness) -> None:
    """The live state tells its listeners of each queue change, numbered, and of a possible
    change of the estimated wait (an employee online or gone, a call ended)."""
    events: list[QueueEvent] = []
    hub.state.listen(events.append)
    await hub.employee_connect("e_1", "P", 0)
    a = await join(hub, "A")
    await hub.pick("e_1", a, 1)
    await hub.customer_leave(a, 2)
    await hub.take_queue_changes()  # every change has arrived
    kinds = [(e.seq, e.op, e.waiting) if isinstance(e, QueueChange) else "wait" for e in events]
    assert kinds == ["wait", (1, QueueOp.ADDED, 1), (2, QueueOp.REMOVED, 0), "wait"]
    assert isinstance(events[0], WaitChanged)


async def test_pick_pairs_both_sides_and_removes_from_queue(hub: Harness) -> None:
    """A pick creates a room, tells both members and takes the customer off the queue."""
    await hub.employee_connect("e_1", "Priya", 0)
    a = await join(hub, "Asha")
    b = await join(hub, "Bala")
    outcome = await hub.pick("e_1", b, 10)
    [cust] = to(outcome, b)
    assert cust["type"] == "paired"
    assert cust["employee"] == {"name": "Priya"}
    [emp] = to(outcome, "e_1")
    assert emp["type"] == "paired"
    assert emp["room_id"] == cust["room_id"]
    assert emp["customer"] == {"customer_id": b, "name": "Bala", "pan_status": "none"}
    assert await queue_ids(hub) == [a]
    assert await hub.room_of(b) == await hub.room_of("e_1") == cust["room_id"]


async def test_an_employee_reconnecting_under_a_new_name_is_paired_under_it(
    hub: Harness,
) -> None:
    """A display name changed between two connects is the one the next customer sees."""
    await hub.employee_connect("e_1", "Support agent", 0)
    await hub.employee_connect("e_1", "Priya", 1)
    cid = await join(hub, "A", 2)
    outcome = await hub.pick("e_1", cid, 3)
    assert to(outcome, cid)[0]["employee"] == {"name": "Priya"}


async def test_second_pick_of_same_customer_is_already_taken(hub: Harness) -> None:
    """Two employees picking one customer: the first wins, the second gets already_taken."""
    await hub.employee_connect("e_1", "P", 0)
    await hub.employee_connect("e_2", "Q", 0)
    a = await join(hub, "A")
    await hub.pick("e_1", a, 1)
    with pytest.raises(HubError) as err:
        await hub.pick("e_2", a, 1)
    assert err.value.code == "already_taken"
    assert await hub.room_of("e_2") is None


async def test_pick_of_unknown_customer_is_not_found(hub: Harness) -> None:
    """Picking a customer who is not waiting answers not_found."""
    await hub.employee_connect("e_1", "P", 0)
    with pytest.raises(HubError) as err:
        await hub.pick("e_1", "c_nope", 1)
    assert err.value.code == "not_found"


async def test_employee_in_a_room_cannot_pick_again(hub: Harness) -> None:
    """An employee is in at most one room."""
    await hub.employee_connect("e_1", "P", 0)
    a, b = await join(hub, "A"), await join(hub, "B")
    await hub.pick("e_1", a, 1)
    with pytest.raises(HubError) as err:
        await hub.pick("e_1", b, 2)
    assert err.value.code == "already_in_room"
    assert await queue_ids(hub) == [b]


async def test_signal_is_relayed_only_to_the_other_member(hub: Harness) -> None:
    """A signal goes verbatim to the room's other member and nobody else."""
    await hub.employee_connect("e_1", "P", 0)
    a, b = await join(hub, "A"), await join(hub, "B")
    await hub.pick("e_1", a, 1)
    data = {"description": {"type": "offer", "sdp": "v=0"}}
    outcome = await hub.signal("e_1", data)
    assert outcome.deliveries == [Delivery(a, {"type": "signal", "data": data})]
    back = await hub.signal(a, {"candidate": {"candidate": "x"}})
    assert [d.to for d in back.deliveries] == ["e_1"]
    with pytest.raises(HubError) as err:
        await hub.signal(b, data)
    assert err.value.code == "not_in_room"


async def test_employee_leave_puts_customer_at_front(hub: Harness) -> None:
    """When the employee leaves, the customer is told and goes to the front of the queue."""
    await hub.employee_connect("e_1", "P", 0)
    a, b, c = await join(hub, "A"), await join(hub, "B"), await join(hub, "C")
    await hub.pick("e_1", b, 1)
    outcome = await hub.employee_leave("e_1", 61)
    assert to(outcome, b) == [
        {"type": "employee_left"},
        {"type": "queue_position", "position": 1, "waiting": 3, "estimated_wait_s": 60},
    ]
    assert to(outcome, "e_1") == [{"type": "call_ended", "reason": "employee_left"}]
    assert await queue_ids(hub) == [b, a, c]
    assert await hub.room_of(b) is None


async def test_employee_leave_without_room_is_an_error(hub: Harness) -> None:
    """Leave outside a call answers not_in_room."""
    await hub.employee_connect("e_1", "P", 0)
    with pytest.raises(HubError) as err:
        await hub.employee_leave("e_1", 1)
    assert err.value.code == "not_in_room"


async def test_customer_leave_tears_down_room_and_tells_employee(hub: Harness) -> None:
    """When the customer leaves, the room is gone and the employee gets customer_left."""
    await hub.employee_connect("e_1", "P", 0)
    a = await join(hub, "A")
    _, token, _ = await hub.join("B", 0)
    await hub.pick("e_1", a, 1)
    outcome = await hub.customer_leave(a, 5)
    assert types(outcome, "e_1") == ["customer_left"]
    assert await hub.room_of("e_1") is None
    assert not await hub.has_customer(a)
    assert await hub.customer_for_token(token) is not None


async def test_waiting_customer_leave_removes_from_queue_and_token(hub: Harness) -> None:
    """A waiting customer who leaves is gone from the queue and the token stops working."""
    cid, token, _ = await hub.join("A", 0)
    await hub.customer_leave(cid, 1)
    assert await queue_ids(hub) == []
    with pytest.raises(HubError) as err:
        await hub.resume(token, 2)
    assert err.value.code == "resume_failed"


async def test_disconnect_in_room_tells_peer_and_resume_restores_room(hub: Harness) -> None:
    """A dropped customer keeps the room; the employee sees reconnecting then reconnected."""
    await hub.employee_connect("e_1", "P", 0)
    cid, token, _ = await hub.join("A", 0)
    await hub.pick("e_1", cid, 1)
    dropped = await hub.disconnect(cid, 10)
    assert types(dropped, "e_1") == ["peer_reconnecting"]
    assert await hub.next_expiry() == 10 + GRACE
    resumed_id, outcome = await hub.resume(token, 20)
    assert resumed_id == cid
    assert types(outcome, cid) == ["paired"]
    assert types(outcome, "e_1") == ["peer_reconnected"]
    assert await hub.next_expiry() is None
    assert (await hub.expire(100)).deliveries == []
    assert await hub.room_of(cid) is not None


async def test_disconnected_waiting_customer_keeps_place_until_grace_ends(hub: Harness) -> None:
    """A waiting customer who drops keeps their place; after the (waiting) grace they are gone."""
    a, b = await join(hub, "A"), await join(hub, "B")
    await hub.disconnect(a, 10)
    assert await queue_ids(hub) == [a, b]
    assert await hub.next_expiry() == 10 + WAITING_GRACE
    assert (await hub.expire(10 + WAITING_GRACE - 1)).deliveries == []
    assert await queue_ids(hub) == [a, b]
    await hub.expire(10 + WAITING_GRACE)
    assert await queue_ids(hub) == [b]


async def test_customer_back_in_the_queue_after_a_call_keeps_the_full_grace(hub: Harness) -> None:
    """A customer who was in a call and is waiting again keeps the normal grace when dropped."""
    await hub.employee_connect("e_1", "P", 0)
    a = await join(hub, "A")
    await hub.pick("e_1", a, 1)
    await hub.employee_leave("e_1", 2)
    await hub.disconnect(a, 10)
    assert await hub.next_expiry() == 10 + GRACE
    await hub.expire(10 + WAITING_GRACE)
    assert await queue_ids(hub) == [a]
    await hub.expire(10 + GRACE)
    assert await queue_ids(hub) == []


async def test_resume_while_waiting_sends_position(hub: Harness) -> None:
    """Resuming a waiting customer re-sends their queue position."""
    await join(hub, "A")
    cid, token, _ = await hub.join("B", 0)
    await hub.disconnect(cid, 1)
    _, outcome = await hub.resume(token, 2)
    assert to(outcome, cid) == [
        {"type": "queue_position", "position": 2, "waiting": 2, "estimated_wait_s": None}
    ]


async def test_customer_gone_past_grace_in_room_tells_employee(hub: Harness) -> None:
    """A customer gone past the grace period in a room: room torn down, employee told."""
    await hub.employee_connect("e_1", "P", 0)
    cid, token, _ = await hub.join("A", 0)
    await hub.pick("e_1", cid, 1)
    await hub.disconnect(cid, 10)
    outcome = await hub.expire(10 + GRACE)
    assert types(outcome, "e_1") == ["customer_left"]
    assert await hub.room_of("e_1") is None
    with pytest.raises(HubError):
        await hub.resume(token, 50)


async def test_employee_gone_past_grace_sends_customer_to_front(hub: Harness) -> None:
    """An employee gone past the grace period: the customer is told and goes to the front."""
    await hub.employee_connect("e_1", "P", 0)
    a, b = await join(hub, "A"), await join(hub, "B")
    await hub.pick("e_1", b, 1)
    dropped = await hub.disconnect("e_1", 5)
    assert types(dropped, b) == ["peer_reconnecting"]
    outcome = await hub.expire(5 + GRACE)
    assert types(outcome, b) == ["employee_left", "queue_position"]
    assert await queue_ids(hub) == [b, a]
    assert (await hub.stats())["employees_online"] == 0


async def test_employee_reconnect_within_grace_restores_room(hub: Harness) -> None:
    """An employee reconnecting in time gets paired again and the customer peer_reconnected."""
    await hub.employee_connect("e_1", "P", 0)
    a = await join(hub, "A")
    await hub.pick("e_1", a, 1)
    await hub.disconnect("e_1", 5)
    outcome = await hub.employee_connect("e_1", "P", 10)
    assert types(outcome, "e_1") == ["queue", "paired"]
    assert types(outcome, a) == ["peer_reconnected"]
    assert (await hub.expire(100)).deliveries == []


async def test_pan_result_waits_for_the_employee_and_is_pushed_on_pick(hub: Harness) -> None:
    """An OCR result stored while waiting reaches the employee right after paired."""
    await hub.employee_connect("e_1", "P", 0)
    a = await join(hub, "A")
    pan = CustomerPan({"pan": "ABCPE1234F"}, "i_1", b"jpeg", "image/jpeg")
    outcome = await hub.set_pan_result(a, pan)
    assert to(outcome, "e_1") == []
    assert (await hub.queue_message())["customers"][0]["pan_status"] == "read"
    picked = await hub.pick("e_1", a, 1)
    assert types(picked, "e_1") == ["paired", "pan_result"]
    assert to(picked, "e_1")[1]["image_url"] == "/api/pan/images/i_1"


async def test_pan_result_during_call_goes_to_the_paired_employee_only(hub: Harness) -> None:
    """A result arriving in a call is pushed to that call's employee only."""
    await hub.employee_connect("e_1", "P", 0)
    await hub.employee_connect("e_2", "Q", 0)
    a = await join(hub, "A")
    await hub.pick("e_1", a, 1)
    pan = CustomerPan({"pan": "ABCPE1234F"}, "i_9", b"png", "image/png")
    outcome = await hub.set_pan_result(a, pan)
    assert types(outcome, "e_1") == ["pan_result"]
    assert to(outcome, "e_2") == []
    assert await hub.image_for("i_9", "e_1") == pan
    assert await hub.image_for("i_9", "e_2") is None
    assert await hub.image_for("i_other", "e_1") is None


async def test_pan_confirm_acknowledges_and_tells_employee(hub: Harness) -> None:
    """Confirmed values are acknowledged to the customer and sent to the paired employee."""
    await hub.employee_connect("e_1", "P", 0)
    a = await join(hub, "A")
    fields = {"pan": "ABCPE1234F", "name": "A", "father_name": None, "dob": "1990-01-31"}
    waiting = await hub.confirm_pan(a, fields)
    assert types(waiting, a) == ["pan_confirmed"]
    assert (await hub.queue_message())["customers"][0]["pan_status"] == "confirmed"
    picked = await hub.pick("e_1", a, 1)
    assert types(picked, "e_1") == ["paired", "pan_confirmed"]
    again = await hub.confirm_pan(a, fields)
    assert types(again, "e_1") == ["pan_confirmed"]


async def test_estimated_wait_uses_handling_times_and_employees_online(hub: Harness) -> None:
    """The estimate is null before any finished call, then scales with position/employees."""
    await hub.employee_connect("e_1", "P", 0)
    await hub.employee_connect("e_2", "Q", 0)
    a = await join(hub, "A")
    assert await hub.estimated_wait_s(1) is None
    await hub.pick("e_1", a, 0)
    await hub.customer_leave(a, 120)
    assert await hub.estimated_wait_s(1) == 60
    assert await hub.estimated_wait_s(4) == 240


async def test_disconnect_of_unknown_member_is_ignored(hub: Harness) -> None:
    """Disconnecting someone who already left changes nothing."""
    assert (await hub.disconnect("c_gone", 1)).deliveries == []


def test_grace_must_be_positive() -> None:
    """A Hub refuses a non-positive grace period."""
    with pytest.raises(ValueError, match="grace_s"):
        Hub(grace_s=0)
    with pytest.raises(ValueError, match="waiting_grace_s"):
        Hub(grace_s=1, waiting_grace_s=0)


async def check_invariants(hub: Harness, customers: set[str], employees: set[str]) -> None:
    """Nobody is stranded: each live customer is either queued or in a room shared with
    exactly one employee, and every room has both members."""
    waiting = await hub.waiting_ids()
    assert len(waiting) == len(set(waiting))
    rooms: dict[str, str] = {}
    for emp in employees:
        customer = await hub.room_customer(emp)
        if customer is not None:
            assert await hub.has_customer(customer)
            assert await hub.room_of(customer) == await hub.room_of(emp)
            assert customer not in rooms.values()
            rooms[emp] = customer
    for cid in customers:
        if not await hub.has_customer(cid):
            assert cid not in waiting
            continue
        in_room = await hub.room_of(cid) is not None
        assert in_room != (cid in waiting)
        if in_room:
            assert cid in rooms.values()
    assert (await hub.stats())["rooms"] == len(rooms)
    assert (await hub.stats())["waiting"] == len(waiting)


@pytest.mark.parametrize("seed", range(20))
async def test_random_operation_sequences_keep_invariants(hub: Harness, seed: int) -> None:
    """Any sequence of joins, picks, leaves, drops, resumes and expiries keeps the Hub sound,
    and an employee's view built from one snapshot and the changes stays the queue."""
    import random

    if hub.remote and seed >= REMOTE_SEEDS:
        pytest.skip(f"{REMOTE_SEEDS} seeds on a networked backend (each check is many calls)")
    rng = random.Random(seed)
    await hub.employee_connect("e_watch", "W", 0)
    view = QueueView()
    view.apply(await hub.queue_message())
    customers: set[str] = set()
    tokens: dict[str, str] = {}
    employees = {f"e_{i}" for i in range(3)}
    now = 0.0
    refusals: list[str] = []
    for _ in range(300):
        now += rng.choice([0.1, 1.0, 5.0, GRACE])
        action = rng.choice(
            ["join", "pick", "eleave", "cleave", "drop", "resume", "econnect", "expire", "signal"]
        )
        try:
            if action == "join":
                cid, token, _ = await hub.join("X", now)
                customers.add(cid)
                tokens[cid] = token
            elif action == "pick" and customers:
                await hub.pick(rng.choice(sorted(employees)), rng.choice(sorted(customers)), now)
            elif action == "eleave":
                await hub.employee_leave(rng.choice(sorted(employees)), now)
            elif action == "cleave" and customers:
                await hub.customer_leave(rng.choice(sorted(customers)), now)
            elif action == "drop":
                member = rng.choice(sorted(employees | customers))
                await hub.disconnect(member, now)
            elif action == "resume" and tokens:
                await hub.resume(tokens[rng.choice(sorted(tokens))], now)
            elif action == "econnect":
                await hub.employee_connect(rng.choice(sorted(employees)), "E", now)
            elif action == "expire":
                await hub.expire(now)
            elif action == "signal" and customers:
                await hub.signal(rng.choice(sorted(customers)), {"candidate": {}})
        except HubError as exc:
            refusals.append(exc.code)
        await check_invariants(hub, customers, employees)
        changes = await hub.take_queue_changes()
        if changes is not None:
            view.apply(changes)
        assert view.customers == (await hub.queue_message())["customers"]
    assert set(refusals) <= {
        "already_taken",
        "already_in_room",
        "not_found",
        "not_in_room",
        "not_joined",
        "resume_failed",
        "unauthorized",
    }


def _pan_of(size: int, image_id: str) -> CustomerPan:
    return CustomerPan({"pan": "ABCPE1234F"}, image_id, b"x" * size, "image/jpeg")


async def test_images_past_the_budget_are_dropped_oldest_first() -> None:
    """Within image_budget bytes in all, the image stored longest ago is dropped first."""
    hub = memory_harness(image_budget=100)
    await hub.employee_connect("e_1", "P", 0)
    a, b, c = await join(hub, "A"), await join(hub, "B"), await join(hub, "C")
    await hub.set_pan_result(a, _pan_of(40, "i_a"))
    await hub.set_pan_result(b, _pan_of(40, "i_b"))
    assert (await hub.stats())["image_bytes"] == 80
    await hub.set_pan_result(c, _pan_of(40, "i_c"))
    assert (await hub.stats())["image_bytes"] == 80
    await hub.pick("e_1", a, 1)
    dropped = await hub.image_for("i_a", "e_1")
    assert dropped is not None
    assert dropped.image == b""  # the result stays, the image is gone
    assert dropped.result == {"pan": "ABCPE1234F"}


async def test_a_new_upload_replaces_the_customers_own_image_in_the_budget() -> None:
    """Re-uploading counts once; a customer who leaves frees their image's bytes."""
    hub = memory_harness(image_budget=100)
    a, b = await join(hub, "A"), await join(hub, "B")
    await hub.set_pan_result(a, _pan_of(40, "i_1"))
    await hub.set_pan_result(a, _pan_of(50, "i_2"))
    await hub.set_pan_result(b, _pan_of(50, "i_3"))
    assert (await hub.stats())["image_bytes"] == 100
    await hub.customer_leave(a, 1)
    assert (await hub.stats())["image_bytes"] == 50


def test_image_budget_must_be_positive() -> None:
    """A zero budget is a configuration error, not a store that keeps nothing."""
    with pytest.raises(ValueError, match="image_budget"):
        MemoryImageStore(budget=0)


class _InterleavingCluster:
    """A cluster whose ``broadcast`` lets another delivery reach the desk's sockets first,
    as a queue flush does while a real broadcast waits on Redis."""

    proc_id = "p_test"
    tick_s = 1.0

    def __init__(self, sockets: Sockets) -> None:
        self.sockets = sockets

    async def broadcast(self, event: dict[str, Any]) -> None:
        if "attached" in event:
            position = {"type": "queue_position", "position": 1}
            self.sockets.deliver([Delivery(event["attached"], position)])


async def test_welcome_is_the_first_message_on_a_socket_even_when_others_interleave() -> None:
    """Whatever else is sent while a socket is being attached, ``welcome`` goes out first."""
    sockets = Sockets()
    desk = Desk(
        Hub(grace_s=GRACE),
        MemoryImageStore(budget=1000),
        sockets,
        auto_expire=False,
        cluster=cast(Cluster, _InterleavingCluster(sockets)),
    )
    ws = RecordingSocket()
    conn = Connection(
        cast(WebsocketImplProtocol, cast(Any, ws)), "customer", rate_per_s=10, metrics=desk.metrics
    )
    await desk.join("Asha", conn)
    conn.close(1000)
    await conn.drain()
    assert [json.loads(text)["type"] for text in ws.sent][:2] == ["welcome", "queue_position"]

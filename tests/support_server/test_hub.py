"""Unit tests of the Hub, the pure queue-and-rooms state machine."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from support_server import CustomerPan, Delivery, Hub, HubError, Outcome

GRACE = 30.0


def make_hub() -> Hub:
    counter = itertools.count(1)
    return Hub(grace_s=GRACE, new_id=lambda prefix: f"{prefix}_{next(counter)}")


def to(outcome: Outcome | list[Delivery], member: str) -> list[dict[str, Any]]:
    deliveries = outcome.deliveries if isinstance(outcome, Outcome) else outcome
    return [d.message for d in deliveries if d.to == member]


def types(outcome: Outcome | list[Delivery], member: str) -> list[str]:
    return [m["type"] for m in to(outcome, member)]


def queue_ids(hub: Hub) -> list[str]:
    return [c["customer_id"] for c in hub.queue_message()["customers"]]


def join(hub: Hub, name: str, now: float = 0.0) -> str:
    cid, _, _ = hub.join(name, now)
    return cid


def test_join_appends_to_queue_in_fifo_order() -> None:
    """Customers are queued oldest first and each knows its 1-based position."""
    hub = make_hub()
    a, b, c = (join(hub, n, t) for n, t in (("A", 1), ("B", 2), ("C", 3)))
    assert queue_ids(hub) == [a, b, c]
    positions = {d.to: d.message for d in hub.queue_deliveries() if d.to in (a, b, c)}
    assert positions[b] == {
        "type": "queue_position",
        "position": 2,
        "waiting": 3,
        "estimated_wait_s": None,
    }


def test_join_reports_a_queue_change_and_employees_see_the_queue() -> None:
    """A join changes the queue; a connected employee's queue lists name, time and PAN status."""
    hub = make_hub()
    hub.employee_connect("e_1", "Priya", 0)
    cid, token, outcome = hub.join("Asha Rao", 1764000000.5)
    assert outcome.queue_changed
    assert token.startswith("t_")
    assert cid.startswith("c_")
    [queue] = to(hub.queue_deliveries(), "e_1")
    assert queue["customers"] == [
        {
            "customer_id": cid,
            "name": "Asha Rao",
            "waiting_since": "2025-11-24T16:00:00.500Z",
            "pan_status": "none",
        }
    ]


def test_employee_connect_sends_the_queue_at_once() -> None:
    """An employee connecting receives the whole current queue."""
    hub = make_hub()
    a = join(hub, "A")
    outcome = hub.employee_connect("e_1", "Priya", 5)
    [queue] = to(outcome, "e_1")
    assert [c["customer_id"] for c in queue["customers"]] == [a]


def test_pick_pairs_both_sides_and_removes_from_queue() -> None:
    """A pick creates a room, tells both members and takes the customer off the queue."""
    hub = make_hub()
    hub.employee_connect("e_1", "Priya", 0)
    a = join(hub, "Asha")
    b = join(hub, "Bala")
    outcome = hub.pick("e_1", b, 10)
    [cust] = to(outcome, b)
    assert cust["type"] == "paired"
    assert cust["employee"] == {"name": "Priya"}
    [emp] = to(outcome, "e_1")
    assert emp["type"] == "paired"
    assert emp["room_id"] == cust["room_id"]
    assert emp["customer"] == {"customer_id": b, "name": "Bala", "pan_status": "none"}
    assert outcome.queue_changed
    assert queue_ids(hub) == [a]
    assert hub.room_of(b) == hub.room_of("e_1") == cust["room_id"]


def test_second_pick_of_same_customer_is_already_taken() -> None:
    """Two employees picking one customer: the first wins, the second gets already_taken."""
    hub = make_hub()
    hub.employee_connect("e_1", "P", 0)
    hub.employee_connect("e_2", "Q", 0)
    a = join(hub, "A")
    hub.pick("e_1", a, 1)
    with pytest.raises(HubError) as err:
        hub.pick("e_2", a, 1)
    assert err.value.code == "already_taken"
    assert hub.room_of("e_2") is None


def test_pick_of_unknown_customer_is_not_found() -> None:
    """Picking a customer who is not waiting answers not_found."""
    hub = make_hub()
    hub.employee_connect("e_1", "P", 0)
    with pytest.raises(HubError) as err:
        hub.pick("e_1", "c_nope", 1)
    assert err.value.code == "not_found"


def test_employee_in_a_room_cannot_pick_again() -> None:
    """An employee is in at most one room."""
    hub = make_hub()
    hub.employee_connect("e_1", "P", 0)
    a, b = join(hub, "A"), join(hub, "B")
    hub.pick("e_1", a, 1)
    with pytest.raises(HubError) as err:
        hub.pick("e_1", b, 2)
    assert err.value.code == "already_in_room"
    assert queue_ids(hub) == [b]


def test_signal_is_relayed_only_to_the_other_member() -> None:
    """A signal goes verbatim to the room's other member and nobody else."""
    hub = make_hub()
    hub.employee_connect("e_1", "P", 0)
    a, b = join(hub, "A"), join(hub, "B")
    hub.pick("e_1", a, 1)
    data = {"description": {"type": "offer", "sdp": "v=0"}}
    outcome = hub.signal("e_1", data)
    assert outcome.deliveries == [Delivery(a, {"type": "signal", "data": data})]
    back = hub.signal(a, {"candidate": {"candidate": "x"}})
    assert [d.to for d in back.deliveries] == ["e_1"]
    with pytest.raises(HubError) as err:
        hub.signal(b, data)
    assert err.value.code == "not_in_room"


def test_employee_leave_puts_customer_at_front() -> None:
    """When the employee leaves, the customer is told and goes to the front of the queue."""
    hub = make_hub()
    hub.employee_connect("e_1", "P", 0)
    a, b, c = join(hub, "A"), join(hub, "B"), join(hub, "C")
    hub.pick("e_1", b, 1)
    outcome = hub.employee_leave("e_1", 61)
    assert types(outcome, b) == ["employee_left"]
    assert to(outcome, "e_1") == [{"type": "call_ended", "reason": "employee_left"}]
    assert queue_ids(hub) == [b, a, c]
    assert hub.room_of(b) is None
    assert hub.position_message(b) == {
        "type": "queue_position",
        "position": 1,
        "waiting": 3,
        "estimated_wait_s": 60,
    }


def test_employee_leave_without_room_is_an_error() -> None:
    """Leave outside a call answers not_in_room."""
    hub = make_hub()
    hub.employee_connect("e_1", "P", 0)
    with pytest.raises(HubError) as err:
        hub.employee_leave("e_1", 1)
    assert err.value.code == "not_in_room"


def test_customer_leave_tears_down_room_and_tells_employee() -> None:
    """When the customer leaves, the room is gone and the employee gets customer_left."""
    hub = make_hub()
    hub.employee_connect("e_1", "P", 0)
    a = join(hub, "A")
    _, token, _ = hub.join("B", 0)
    hub.pick("e_1", a, 1)
    outcome = hub.customer_leave(a, 5)
    assert types(outcome, "e_1") == ["customer_left"]
    assert outcome.queue_changed
    assert hub.room_of("e_1") is None
    assert not hub.has_customer(a)
    assert hub.customer_for_token(token) is not None


def test_waiting_customer_leave_removes_from_queue_and_token() -> None:
    """A waiting customer who leaves is gone from the queue and the token stops working."""
    hub = make_hub()
    cid, token, _ = hub.join("A", 0)
    hub.customer_leave(cid, 1)
    assert queue_ids(hub) == []
    with pytest.raises(HubError) as err:
        hub.resume(token, 2)
    assert err.value.code == "resume_failed"


def test_disconnect_in_room_tells_peer_and_resume_restores_room() -> None:
    """A dropped customer keeps the room; the employee sees reconnecting then reconnected."""
    hub = make_hub()
    hub.employee_connect("e_1", "P", 0)
    cid, token, _ = hub.join("A", 0)
    hub.pick("e_1", cid, 1)
    dropped = hub.disconnect(cid, 10)
    assert types(dropped, "e_1") == ["peer_reconnecting"]
    assert hub.next_expiry() == 10 + GRACE
    resumed_id, outcome = hub.resume(token, 20)
    assert resumed_id == cid
    assert types(outcome, cid) == ["paired"]
    assert types(outcome, "e_1") == ["peer_reconnected"]
    assert hub.next_expiry() is None
    assert hub.expire(100).deliveries == []
    assert hub.room_of(cid) is not None


def test_disconnected_waiting_customer_keeps_place_until_grace_ends() -> None:
    """A waiting customer who drops keeps their place; after the grace period they are gone."""
    hub = make_hub()
    a, b = join(hub, "A"), join(hub, "B")
    hub.disconnect(a, 10)
    assert queue_ids(hub) == [a, b]
    assert hub.expire(10 + GRACE - 1).deliveries == []
    assert queue_ids(hub) == [a, b]
    outcome = hub.expire(10 + GRACE)
    assert outcome.queue_changed
    assert queue_ids(hub) == [b]


def test_resume_while_waiting_sends_position() -> None:
    """Resuming a waiting customer re-sends their queue position."""
    hub = make_hub()
    join(hub, "A")
    cid, token, _ = hub.join("B", 0)
    hub.disconnect(cid, 1)
    _, outcome = hub.resume(token, 2)
    assert to(outcome, cid) == [
        {"type": "queue_position", "position": 2, "waiting": 2, "estimated_wait_s": None}
    ]


def test_customer_gone_past_grace_in_room_tells_employee() -> None:
    """A customer gone past the grace period in a room: room torn down, employee told."""
    hub = make_hub()
    hub.employee_connect("e_1", "P", 0)
    cid, token, _ = hub.join("A", 0)
    hub.pick("e_1", cid, 1)
    hub.disconnect(cid, 10)
    outcome = hub.expire(10 + GRACE)
    assert types(outcome, "e_1") == ["customer_left"]
    assert hub.room_of("e_1") is None
    with pytest.raises(HubError):
        hub.resume(token, 50)


def test_employee_gone_past_grace_sends_customer_to_front() -> None:
    """An employee gone past the grace period: the customer is told and goes to the front."""
    hub = make_hub()
    hub.employee_connect("e_1", "P", 0)
    a, b = join(hub, "A"), join(hub, "B")
    hub.pick("e_1", b, 1)
    dropped = hub.disconnect("e_1", 5)
    assert types(dropped, b) == ["peer_reconnecting"]
    outcome = hub.expire(5 + GRACE)
    assert types(outcome, b) == ["employee_left"]
    assert queue_ids(hub) == [b, a]
    assert hub.stats()["employees_online"] == 0


def test_employee_reconnect_within_grace_restores_room() -> None:
    """An employee reconnecting in time gets paired again and the customer peer_reconnected."""
    hub = make_hub()
    hub.employee_connect("e_1", "P", 0)
    a = join(hub, "A")
    hub.pick("e_1", a, 1)
    hub.disconnect("e_1", 5)
    outcome = hub.employee_connect("e_1", "P", 10)
    assert types(outcome, "e_1") == ["queue", "paired"]
    assert types(outcome, a) == ["peer_reconnected"]
    assert hub.expire(100).deliveries == []


def test_pan_result_waits_for_the_employee_and_is_pushed_on_pick() -> None:
    """An OCR result stored while waiting reaches the employee right after paired."""
    hub = make_hub()
    hub.employee_connect("e_1", "P", 0)
    a = join(hub, "A")
    pan = CustomerPan({"pan": "ABCPE1234F"}, "i_1", b"jpeg", "image/jpeg")
    outcome = hub.set_pan_result(a, pan)
    assert outcome.queue_changed
    assert to(outcome, "e_1") == []
    assert hub.queue_message()["customers"][0]["pan_status"] == "read"
    picked = hub.pick("e_1", a, 1)
    assert types(picked, "e_1") == ["paired", "pan_result"]
    assert to(picked, "e_1")[1]["image_url"] == "/api/pan/images/i_1"


def test_pan_result_during_call_goes_to_the_paired_employee_only() -> None:
    """A result arriving in a call is pushed to that call's employee only."""
    hub = make_hub()
    hub.employee_connect("e_1", "P", 0)
    hub.employee_connect("e_2", "Q", 0)
    a = join(hub, "A")
    hub.pick("e_1", a, 1)
    pan = CustomerPan({"pan": "ABCPE1234F"}, "i_9", b"png", "image/png")
    outcome = hub.set_pan_result(a, pan)
    assert types(outcome, "e_1") == ["pan_result"]
    assert to(outcome, "e_2") == []
    assert hub.image_for("i_9", "e_1") == pan
    assert hub.image_for("i_9", "e_2") is None
    assert hub.image_for("i_other", "e_1") is None


def test_pan_confirm_acknowledges_and_tells_employee() -> None:
    """Confirmed values are acknowledged to the customer and sent to the paired employee."""
    hub = make_hub()
    hub.employee_connect("e_1", "P", 0)
    a = join(hub, "A")
    fields = {"pan": "ABCPE1234F", "name": "A", "father_name": None, "dob": "1990-01-31"}
    waiting = hub.confirm_pan(a, fields)
    assert types(waiting, a) == ["pan_confirmed"]
    assert hub.queue_message()["customers"][0]["pan_status"] == "confirmed"
    picked = hub.pick("e_1", a, 1)
    assert types(picked, "e_1") == ["paired", "pan_confirmed"]
    again = hub.confirm_pan(a, fields)
    assert types(again, "e_1") == ["pan_confirmed"]


def test_estimated_wait_uses_handling_times_and_employees_online() -> None:
    """The estimate is null before any finished call, then scales with position/employees."""
    hub = make_hub()
    hub.employee_connect("e_1", "P", 0)
    hub.employee_connect("e_2", "Q", 0)
    a = join(hub, "A")
    assert hub.estimated_wait_s(1) is None
    hub.pick("e_1", a, 0)
    hub.customer_leave(a, 120)
    assert hub.estimated_wait_s(1) == 60
    assert hub.estimated_wait_s(4) == 240


def test_disconnect_of_unknown_member_is_ignored() -> None:
    """Disconnecting someone who already left changes nothing."""
    hub = make_hub()
    assert hub.disconnect("c_gone", 1).deliveries == []


def test_grace_must_be_positive() -> None:
    """A Hub refuses a non-positive grace period."""
    with pytest.raises(ValueError, match="grace_s"):
        Hub(grace_s=0)


def check_invariants(hub: Hub, customers: set[str], employees: set[str]) -> None:
    """Nobody is stranded: each live customer is either queued or in a room shared with
    exactly one employee, and every room has both members."""
    waiting = hub.waiting_ids()
    assert len(waiting) == len(set(waiting))
    rooms: dict[str, str] = {}
    for emp in employees:
        customer = hub.room_customer(emp)
        if customer is not None:
            assert hub.has_customer(customer)
            assert hub.room_of(customer) == hub.room_of(emp)
            assert customer not in rooms.values()
            rooms[emp] = customer
    for cid in customers:
        if not hub.has_customer(cid):
            assert cid not in waiting
            continue
        in_room = hub.room_of(cid) is not None
        assert in_room != (cid in waiting)
        if in_room:
            assert cid in rooms.values()
    assert hub.stats()["rooms"] == len(rooms)
    assert hub.stats()["waiting"] == len(waiting)


@pytest.mark.parametrize("seed", range(20))
def test_random_operation_sequences_keep_invariants(seed: int) -> None:
    """Any sequence of joins, picks, leaves, drops, resumes and expiries keeps the Hub sound."""
    import random

    rng = random.Random(seed)
    hub = make_hub()
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
                cid, token, _ = hub.join("X", now)
                customers.add(cid)
                tokens[cid] = token
            elif action == "pick" and customers:
                hub.pick(rng.choice(sorted(employees)), rng.choice(sorted(customers)), now)
            elif action == "eleave":
                hub.employee_leave(rng.choice(sorted(employees)), now)
            elif action == "cleave" and customers:
                hub.customer_leave(rng.choice(sorted(customers)), now)
            elif action == "drop":
                member = rng.choice(sorted(employees | customers))
                hub.disconnect(member, now)
            elif action == "resume" and tokens:
                hub.resume(tokens[rng.choice(sorted(tokens))], now)
            elif action == "econnect":
                hub.employee_connect(rng.choice(sorted(employees)), "E", now)
            elif action == "expire":
                hub.expire(now)
            elif action == "signal" and customers:
                hub.signal(rng.choice(sorted(customers)), {"candidate": {}})
        except HubError as exc:
            refusals.append(exc.code)
        check_invariants(hub, customers, employees)
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


def test_images_past_the_budget_are_dropped_oldest_first() -> None:
    """Within image_budget bytes in all, the image stored longest ago is dropped first."""
    counter = itertools.count(1)
    hub = Hub(grace_s=GRACE, new_id=lambda p: f"{p}_{next(counter)}", image_budget=100)
    hub.employee_connect("e_1", "P", 0)
    a, b, c = join(hub, "A"), join(hub, "B"), join(hub, "C")
    hub.set_pan_result(a, _pan_of(40, "i_a"))
    hub.set_pan_result(b, _pan_of(40, "i_b"))
    assert hub.stats()["image_bytes"] == 80
    hub.set_pan_result(c, _pan_of(40, "i_c"))
    assert hub.stats()["image_bytes"] == 80
    hub.pick("e_1", a, 1)
    dropped = hub.image_for("i_a", "e_1")
    assert dropped is not None
    assert dropped.image == b""  # the result stays, the image is gone
    assert dropped.result == {"pan": "ABCPE1234F"}


def test_a_new_upload_replaces_the_customers_own_image_in_the_budget() -> None:
    """Re-uploading counts once; a customer who leaves frees their image's bytes."""
    counter = itertools.count(1)
    hub = Hub(grace_s=GRACE, new_id=lambda p: f"{p}_{next(counter)}", image_budget=100)
    a, b = join(hub, "A"), join(hub, "B")
    hub.set_pan_result(a, _pan_of(40, "i_1"))
    hub.set_pan_result(a, _pan_of(50, "i_2"))
    hub.set_pan_result(b, _pan_of(50, "i_3"))
    assert hub.stats()["image_bytes"] == 100
    hub.customer_leave(a, 1)
    assert hub.stats()["image_bytes"] == 50


def test_image_budget_must_be_positive() -> None:
    """A zero budget is a configuration error, not a hub that keeps nothing."""
    with pytest.raises(ValueError, match="image_budget"):
        Hub(grace_s=GRACE, image_budget=0)

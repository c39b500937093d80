"""The Hub: the queue and rooms as a pure state machine.

No I/O, no asyncio, no clock: every method takes the current time ``now`` (Unix seconds) and
returns an :class:`Outcome`, the messages to deliver (by member id) and whether the queue
changed. The signaling layer maps member ids to sockets, sends the messages, calls
:meth:`Hub.queue_deliveries` after a queue change and :meth:`Hub.expire` when a grace period
may have ended. A shared backend for several server workers can replace this class later by
keeping the same interface.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

__all__ = [
    "CustomerPan",
    "Delivery",
    "Hub",
    "HubError",
    "Outcome",
    "PanStatus",
    "default_new_id",
]

Message = dict[str, Any]
IMAGE_URL_PREFIX = "/api/pan/images/"
_HANDLING_SAMPLES = 20


def default_new_id(prefix: str) -> str:
    """Return a fresh random id such as ``c_3fJx...``; tokens (prefix ``t``) are longer."""
    if prefix == "t":
        return secrets.token_urlsafe(32)
    return f"{prefix}_{secrets.token_urlsafe(9)}"


def iso_utc(ts: float) -> str:
    """Format Unix seconds as ISO 8601 UTC with milliseconds, e.g. ``2026-11-24T09:15:02.123Z``."""
    stamp = dt.datetime.fromtimestamp(ts, tz=dt.UTC)
    return stamp.strftime("%Y-%m-%dT%H:%M:%S.") + f"{stamp.microsecond // 1000:03d}Z"


class HubError(Exception):
    """A request the Hub refuses; ``code`` is the protocol's error code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class PanStatus(StrEnum):
    """What is known about a customer's PAN card."""

    NONE = "none"
    READ = "read"
    CONFIRMED = "confirmed"


@dataclass(frozen=True, slots=True)
class Delivery:
    """One message for one member (customer or employee id)."""

    to: str
    message: Message


@dataclass(slots=True)
class Outcome:
    """What a Hub call produced: messages to deliver, and whether the queue changed."""

    deliveries: list[Delivery] = field(default_factory=list)
    queue_changed: bool = False

    def send(self, to: str, message: Message) -> None:
        self.deliveries.append(Delivery(to, message))

    def merge(self, other: Outcome) -> Outcome:
        self.deliveries.extend(other.deliveries)
        self.queue_changed = self.queue_changed or other.queue_changed
        return self


@dataclass(frozen=True, slots=True)
class CustomerPan:
    """A customer's latest OCR result and the image it came from."""

    result: Message
    image_id: str
    image: bytes
    content_type: str


@dataclass(slots=True)
class _Customer:
    id: str
    token: str
    name: str
    joined_at: float
    connected: bool = True
    disconnected_at: float | None = None
    room_id: str | None = None
    pan: CustomerPan | None = None
    confirmed: Message | None = None

    @property
    def pan_status(self) -> PanStatus:
        if self.confirmed is not None:
            return PanStatus.CONFIRMED
        return PanStatus.READ if self.pan is not None else PanStatus.NONE


@dataclass(slots=True)
class _Employee:
    id: str
    name: str
    connected: bool = True
    disconnected_at: float | None = None
    room_id: str | None = None


@dataclass(frozen=True, slots=True)
class _Room:
    id: str
    customer_id: str
    employee_id: str
    started_at: float


class Hub:
    """Queue and rooms for customers and employees, with a reconnect grace period.

    Customers wait in a FIFO queue; an employee picks one into a room; a dropped member keeps
    their place or room for ``grace_s`` seconds. ``new_id(prefix)`` makes ids and tokens
    (injected so tests can be deterministic). Uploaded card images are kept until their
    customer leaves, within ``image_budget`` bytes in all: past it, the images stored longest
    ago are dropped (their OCR results stay).
    """

    def __init__(
        self,
        *,
        grace_s: float,
        new_id: Callable[[str], str] = default_new_id,
        image_budget: int | None = None,
    ) -> None:
        if grace_s <= 0:
            raise ValueError(f"grace_s must be positive, got {grace_s}")
        if image_budget is not None and image_budget <= 0:
            raise ValueError(f"image_budget must be positive, got {image_budget}")
        self._grace_s = grace_s
        self._new_id = new_id
        self._image_budget = image_budget
        self._image_sizes: OrderedDict[str, int] = (
            OrderedDict()
        )  # customer id -> bytes, oldest first
        self._image_bytes = 0
        self._customers: dict[str, _Customer] = {}
        self._tokens: dict[str, str] = {}
        self._queue: list[str] = []
        self._employees: dict[str, _Employee] = {}
        self._rooms: dict[str, _Room] = {}
        self._handling: deque[float] = deque(maxlen=_HANDLING_SAMPLES)

    # ----------------------------------------------------------------- queries

    @property
    def grace_s(self) -> float:
        return self._grace_s

    def customer_for_token(self, token: str) -> str | None:
        """Return the id of the customer holding ``token``, if any."""
        return self._tokens.get(token)

    def has_customer(self, customer_id: str) -> bool:
        return customer_id in self._customers

    def waiting_ids(self) -> list[str]:
        """Customer ids in queue order (front first)."""
        return list(self._queue)

    def room_of(self, member_id: str) -> str | None:
        """Return the room id of a customer or employee, or ``None``."""
        member = self._customers.get(member_id) or self._employees.get(member_id)
        return None if member is None else member.room_id

    def room_customer(self, employee_id: str) -> str | None:
        """Return the id of the customer in a room with this employee, if any."""
        emp = self._employees.get(employee_id)
        if emp is None or emp.room_id is None:
            return None
        return self._rooms[emp.room_id].customer_id

    def image_for(self, image_id: str, employee_id: str) -> CustomerPan | None:
        """Return a stored PAN image only for the employee paired with its customer.

        The returned ``image`` is empty when the image was dropped to stay within the budget.
        """
        customer_id = self.room_customer(employee_id)
        if customer_id is None:
            return None
        pan = self._customers[customer_id].pan
        if pan is None or not secrets.compare_digest(pan.image_id, image_id):
            return None
        return pan

    def stats(self) -> dict[str, int]:
        """Counts for health pages and logs."""
        return {
            "customers": len(self._customers),
            "waiting": len(self._queue),
            "rooms": len(self._rooms),
            "employees_online": self._employees_online(),
            "image_bytes": self._image_bytes,
        }

    def estimated_wait_s(self, position: int) -> int | None:
        """Estimated wait at a 1-based queue position; ``None`` until a call has finished."""
        per_position = self._wait_per_position()
        return None if per_position is None else round(position * per_position)

    def _wait_per_position(self) -> float | None:
        if not self._handling:
            return None
        mean = sum(self._handling) / len(self._handling)
        return mean / max(1, self._employees_online())

    def queue_deliveries(self) -> list[Delivery]:
        """The current queue for everyone who should see it.

        Each connected waiting customer gets its own ``queue_position``; every connected
        employee gets the same ``queue`` message object (serialise it once).
        """
        out: list[Delivery] = []
        waiting = len(self._queue)
        per_position = self._wait_per_position()
        for index, cid in enumerate(self._queue):
            if self._customers[cid].connected:
                estimate = None if per_position is None else round((index + 1) * per_position)
                message = {
                    "type": "queue_position",
                    "position": index + 1,
                    "waiting": waiting,
                    "estimated_wait_s": estimate,
                }
                out.append(Delivery(cid, message))
        queue_msg = self.queue_message()
        out.extend(Delivery(e.id, queue_msg) for e in self._employees.values() if e.connected)
        return out

    def queue_message(self) -> Message:
        """The employee ``queue`` message for the current state."""
        return {"type": "queue", "customers": self._queue_entries()}

    def position_message(self, customer_id: str) -> Message | None:
        """The ``queue_position`` message for one waiting customer, else ``None``."""
        if customer_id not in self._queue:
            return None
        return self._position_message(self._queue.index(customer_id) + 1, len(self._queue))

    def next_expiry(self) -> float | None:
        """When the earliest grace period ends, or ``None`` if nobody is disconnected."""
        times = [
            c.disconnected_at + self._grace_s
            for c in self._customers.values()
            if c.disconnected_at is not None
        ]
        times.extend(
            e.disconnected_at + self._grace_s
            for e in self._employees.values()
            if e.disconnected_at is not None
        )
        return min(times, default=None)

    # -------------------------------------------------------------- customers

    def join(self, name: str, now: float) -> tuple[str, str, Outcome]:
        """Add a customer at the back of the queue; return ``(customer_id, token, outcome)``."""
        cid = self._new_id("c")
        token = self._new_id("t")
        self._customers[cid] = _Customer(id=cid, token=token, name=name, joined_at=now)
        self._tokens[token] = cid
        self._queue.append(cid)
        return cid, token, Outcome(queue_changed=True)

    def resume(self, token: str, now: float) -> tuple[str, Outcome]:
        """Reattach a customer by token within the grace period; return ``(customer_id, outcome)``.

        A customer in a room gets ``paired`` again and the employee ``peer_reconnected``; a
        waiting customer gets its ``queue_position``.
        """
        cid = self._tokens.get(token)
        if cid is None:
            raise HubError("resume_failed", "Unknown or expired session: join again.")
        c = self._customers[cid]
        c.connected = True
        c.disconnected_at = None
        out = Outcome()
        if c.room_id is not None:
            room = self._rooms[c.room_id]
            emp = self._employees[room.employee_id]
            out.send(cid, self._paired_for_customer(room, emp))
            out.send(emp.id, {"type": "peer_reconnected"})
        else:
            position = self.position_message(cid)
            if position is not None:
                out.send(cid, position)
        return cid, out

    def customer_leave(self, customer_id: str, now: float) -> Outcome:
        """The customer ends the session: out of the queue, or the room is torn down."""
        return self._remove_customer(self._customer(customer_id), now)

    def set_pan_result(self, customer_id: str, pan: CustomerPan) -> Outcome:
        """Store a customer's OCR result; push it to the paired employee if any."""
        c = self._customer(customer_id)
        before = c.pan_status
        c.pan = pan
        self._keep_image(c.id, len(pan.image))
        out = Outcome(queue_changed=c.room_id is None and before != c.pan_status)
        if c.room_id is not None:
            room = self._rooms[c.room_id]
            out.send(room.employee_id, _pan_result_message(pan))
        return out

    def confirm_pan(self, customer_id: str, fields: Message) -> Outcome:
        """Store the customer's confirmed PAN values; acknowledge and tell the employee."""
        c = self._customer(customer_id)
        c.confirmed = dict(fields)
        message: Message = {"type": "pan_confirmed", "fields": dict(fields)}
        out = Outcome(queue_changed=c.room_id is None)
        out.send(customer_id, message)
        if c.room_id is not None:
            out.send(self._rooms[c.room_id].employee_id, message)
        return out

    # -------------------------------------------------------------- employees

    def employee_connect(self, employee_id: str, name: str, now: float) -> Outcome:
        """An employee's socket opened (first time, reconnect, or a newer tab).

        The employee gets the queue, and if still in a room ``paired`` (plus the PAN result and
        confirmation if any) while the customer gets ``peer_reconnected``.
        """
        emp = self._employees.get(employee_id)
        newly_online = emp is None or not emp.connected
        if emp is None:
            emp = _Employee(id=employee_id, name=name)
            self._employees[employee_id] = emp
        emp.connected = True
        emp.disconnected_at = None
        out = Outcome(queue_changed=newly_online and bool(self._queue))
        out.send(employee_id, self.queue_message())
        if emp.room_id is not None:
            room = self._rooms[emp.room_id]
            c = self._customers[room.customer_id]
            out.merge(self._paired_for_employee(room, c))
            out.send(c.id, {"type": "peer_reconnected"})
        return out

    def pick(self, employee_id: str, customer_id: str, now: float) -> Outcome:
        """Atomically take a waiting customer into a new room with this employee."""
        emp = self._employee(employee_id)
        if emp.room_id is not None:
            raise HubError("already_in_room", "You are already in a call: leave it first.")
        c = self._customers.get(customer_id)
        if c is None:
            raise HubError("not_found", "That customer is no longer waiting.")
        if c.room_id is not None:
            raise HubError("already_taken", "Another employee has already taken that customer.")
        self._queue.remove(customer_id)
        room = _Room(self._new_id("r"), customer_id, employee_id, now)
        self._rooms[room.id] = room
        c.room_id = emp.room_id = room.id
        out = Outcome(queue_changed=True)
        out.send(customer_id, self._paired_for_customer(room, emp))
        out.merge(self._paired_for_employee(room, c))
        if not c.connected:
            out.send(employee_id, {"type": "peer_reconnecting"})
        return out

    def employee_leave(self, employee_id: str, now: float) -> Outcome:
        """The employee ends the call; the customer goes back to the front of the queue."""
        emp = self._employee(employee_id)
        if emp.room_id is None:
            raise HubError("not_in_room", "You are not in a call.")
        out = self._close_room_for_employee(emp, now)
        out.send(employee_id, {"type": "call_ended", "reason": "employee_left"})
        return out

    # ------------------------------------------------------------------ both

    def signal(self, member_id: str, data: Message) -> Outcome:
        """Relay a WebRTC signal to the other member of the room."""
        room_id = self.room_of(member_id)
        if room_id is None:
            raise HubError("not_in_room", "Signals need a call: you are not in one.")
        room = self._rooms[room_id]
        other = room.employee_id if member_id == room.customer_id else room.customer_id
        out = Outcome()
        out.send(other, {"type": "signal", "data": data})
        return out

    def disconnect(self, member_id: str, now: float) -> Outcome:
        """A socket went away without ``leave``: start the grace period.

        The other member of a room gets ``peer_reconnecting``; a waiting customer keeps their
        place. Unknown ids are ignored (the member already left).
        """
        out = Outcome()
        member: _Customer | _Employee | None = self._customers.get(member_id)
        if member is None:
            member = self._employees.get(member_id)
        if member is None or not member.connected:
            return out
        member.connected = False
        member.disconnected_at = now
        if member.room_id is not None:
            room = self._rooms[member.room_id]
            other = room.employee_id if member_id == room.customer_id else room.customer_id
            out.send(other, {"type": "peer_reconnecting"})
        if isinstance(member, _Employee) and self._queue:
            out.queue_changed = True  # fewer employees online changes the estimate
        return out

    def expire(self, now: float) -> Outcome:
        """Apply the leave rules to everyone disconnected for longer than the grace period."""
        out = Outcome()
        for emp in list(self._employees.values()):
            if emp.disconnected_at is not None and now - emp.disconnected_at >= self._grace_s:
                if emp.room_id is not None:
                    out.merge(self._close_room_for_employee(emp, now))
                del self._employees[emp.id]
                out.queue_changed = out.queue_changed or bool(self._queue)
        for c in list(self._customers.values()):
            if c.disconnected_at is not None and now - c.disconnected_at >= self._grace_s:
                out.merge(self._remove_customer(c, now))
        return out

    # --------------------------------------------------------------- private

    def _customer(self, customer_id: str) -> _Customer:
        c = self._customers.get(customer_id)
        if c is None:
            raise HubError("not_joined", "No such customer session.")
        return c

    def _employee(self, employee_id: str) -> _Employee:
        emp = self._employees.get(employee_id)
        if emp is None:
            raise HubError("unauthorized", "That employee is not connected.")
        return emp

    def _employees_online(self) -> int:
        return sum(1 for e in self._employees.values() if e.connected)

    def _position_message(self, position: int, waiting: int) -> Message:
        return {
            "type": "queue_position",
            "position": position,
            "waiting": waiting,
            "estimated_wait_s": self.estimated_wait_s(position),
        }

    def _queue_entries(self) -> list[Message]:
        return [
            {
                "customer_id": c.id,
                "name": c.name,
                "waiting_since": iso_utc(c.joined_at),
                "pan_status": c.pan_status.value,
            }
            for c in (self._customers[cid] for cid in self._queue)
        ]

    def _paired_for_customer(self, room: _Room, emp: _Employee) -> Message:
        return {"type": "paired", "room_id": room.id, "employee": {"name": emp.name}}

    def _paired_for_employee(self, room: _Room, c: _Customer) -> Outcome:
        out = Outcome()
        out.send(
            room.employee_id,
            {
                "type": "paired",
                "room_id": room.id,
                "customer": {
                    "customer_id": c.id,
                    "name": c.name,
                    "pan_status": c.pan_status.value,
                },
            },
        )
        if c.pan is not None:
            out.send(room.employee_id, _pan_result_message(c.pan))
        if c.confirmed is not None:
            out.send(room.employee_id, {"type": "pan_confirmed", "fields": dict(c.confirmed)})
        return out

    def _end_room(self, room_id: str, now: float) -> _Room:
        room = self._rooms.pop(room_id)
        self._handling.append(max(0.0, now - room.started_at))
        self._customers[room.customer_id].room_id = None
        emp = self._employees.get(room.employee_id)
        if emp is not None:
            emp.room_id = None
        return room

    def _close_room_for_employee(self, emp: _Employee, now: float) -> Outcome:
        if emp.room_id is None:
            raise RuntimeError("internal error: closing the room of an employee without one")
        room = self._end_room(emp.room_id, now)
        self._queue.insert(0, room.customer_id)
        out = Outcome(queue_changed=True)
        out.send(room.customer_id, {"type": "employee_left"})
        return out

    def _remove_customer(self, c: _Customer, now: float) -> Outcome:
        out = Outcome(queue_changed=True)
        if c.room_id is not None:
            room = self._end_room(c.room_id, now)
            out.send(room.employee_id, {"type": "customer_left"})
        elif c.id in self._queue:
            self._queue.remove(c.id)
        self._customers.pop(c.id, None)
        self._tokens.pop(c.token, None)
        self._image_bytes -= self._image_sizes.pop(c.id, 0)
        return out

    def _keep_image(self, customer_id: str, size: int) -> None:
        """Account for a customer's new image; drop the oldest others past the budget."""
        self._image_bytes -= self._image_sizes.pop(customer_id, 0)
        self._image_sizes[customer_id] = size
        self._image_bytes += size
        budget = self._image_budget
        while budget is not None and self._image_bytes > budget and len(self._image_sizes) > 1:
            oldest, dropped = self._image_sizes.popitem(last=False)
            self._image_bytes -= dropped
            c = self._customers[oldest]
            if c.pan is not None:
                c.pan = replace(c.pan, image=b"")


def _pan_result_message(pan: CustomerPan) -> Message:
    return {
        "type": "pan_result",
        "result": pan.result,
        "image_url": IMAGE_URL_PREFIX + pan.image_id,
    }

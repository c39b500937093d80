"""The Hub: the in-memory live state (one server process).

It implements :class:`~support_server.LiveState` with plain dictionaries. Its methods are
``async`` only to share the interface with the Redis backend: none of them awaits anything, so
each command runs to completion without yielding to the event loop, which makes it atomic.
"""

from __future__ import annotations

import secrets
from collections import deque
from collections.abc import Callable, Collection
from dataclasses import dataclass

from ._state import (
    SIGNAL_NEEDS_ROOM,
    Dropped,
    Expired,
    Message,
    PanRecord,
    PanStatus,
    Position,
    QueueChange,
    QueueEntry,
    QueueEvent,
    QueueListener,
    QueueOp,
    QueueSnapshot,
    RoomView,
    WaitChanged,
    grace_periods,
    refusal,
)

__all__ = ["HANDLING_SAMPLES", "Hub", "default_new_id"]

HANDLING_SAMPLES = 20
"""How many recent call durations the wait estimate averages."""


def default_new_id(prefix: str) -> str:
    """Return a fresh random id such as ``c_3fJx...``; tokens (prefix ``t``) are longer."""
    if prefix == "t":
        return secrets.token_urlsafe(32)
    return f"{prefix}_{secrets.token_urlsafe(9)}"


@dataclass(slots=True)
class _Customer:
    id: str
    token: str
    name: str
    joined_at: float
    connected: bool = True
    disconnected_at: float | None = None
    room_id: str | None = None
    was_paired: bool = False
    pan: PanRecord | None = None
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
    their place or room for ``grace_s`` seconds, or only ``waiting_grace_s`` (default: the
    same) for a customer who never reached an employee. ``new_id(prefix)`` makes ids and
    tokens (injected so tests can be deterministic).
    """

    def __init__(
        self,
        *,
        grace_s: float,
        waiting_grace_s: float | None = None,
        new_id: Callable[[str], str] = default_new_id,
    ) -> None:
        self.grace_s, self.waiting_grace_s = grace_periods(grace_s, waiting_grace_s)
        self._new_id = new_id
        self._customers: dict[str, _Customer] = {}
        self._tokens: dict[str, str] = {}
        self._queue: list[str] = []
        self._employees: dict[str, _Employee] = {}
        self._rooms: dict[str, _Room] = {}
        self._away: dict[int, _Customer | _Employee] = {}
        """Members whose socket went away (by object; some may have come back or gone since):
        the next grace period to end is looked for among them, not among everyone."""
        self._handling: deque[float] = deque(maxlen=HANDLING_SAMPLES)
        self._seq = 0
        self._listeners: list[QueueListener] = []

    def listen(self, listener: QueueListener) -> None:
        self._listeners.append(listener)

    async def start(self) -> None:
        """Nothing to start: the Hub announces each change as it makes it."""

    async def stop(self) -> None:
        """Nothing to stop."""

    # ----------------------------------------------------------------- queries

    async def available(self) -> bool:
        return True

    async def customer_for_token(self, token: str) -> str | None:
        return self._tokens.get(token)

    async def has_customer(self, customer_id: str) -> bool:
        return customer_id in self._customers

    async def room_of(self, member_id: str) -> str | None:
        member = self._customers.get(member_id) or self._employees.get(member_id)
        return None if member is None else member.room_id

    async def room_customer(self, employee_id: str) -> str | None:
        emp = self._employees.get(employee_id)
        if emp is None or emp.room_id is None:
            return None
        return self._rooms[emp.room_id].customer_id

    async def pan_of(self, customer_id: str) -> PanRecord | None:
        c = self._customers.get(customer_id)
        return None if c is None else c.pan

    async def stats(self) -> dict[str, int]:
        return {
            "customers": len(self._customers),
            "waiting": len(self._queue),
            "rooms": len(self._rooms),
            "employees_online": self._employees_online(),
        }

    async def wait_per_position(self) -> float | None:
        return self._wait_per_position()

    async def queue_snapshot(self) -> QueueSnapshot:
        entries = [self._entry(self._customers[cid]) for cid in self._queue]
        return QueueSnapshot(self._seq, entries, self._wait_per_position())

    async def position(self, customer_id: str) -> Position | None:
        if customer_id not in self._queue:
            return None
        index = self._queue.index(customer_id)
        return Position(index + 1, len(self._queue), self._wait_per_position())

    async def positions(self, customer_ids: Collection[str]) -> dict[str, Position]:
        wanted = set(customer_ids)
        waiting = len(self._queue)
        per_position = self._wait_per_position()
        return {
            cid: Position(index + 1, waiting, per_position)
            for index, cid in enumerate(self._queue)
            if cid in wanted
        }

    async def next_expiry(self) -> float | None:
        first: float | None = None
        for key, m in list(self._away.items()):
            current = (
                self._employees.get(m.id) if isinstance(m, _Employee) else self._customers.get(m.id)
            )
            if m.disconnected_at is None or current is not m:
                del self._away[key]  # back, or gone for good
                continue
            at = m.disconnected_at + self._grace(m)
            first = at if first is None else min(first, at)
        return first

    # -------------------------------------------------------------- customers

    async def join(self, name: str, now: float) -> tuple[str, str]:
        cid = self._new_id("c")
        token = self._new_id("t")
        self._customers[cid] = _Customer(id=cid, token=token, name=name, joined_at=now)
        self._tokens[token] = cid
        self._enqueue(cid, front=False)
        return cid, token

    async def resume(self, token: str, now: float) -> tuple[str, RoomView | None]:
        cid = self._tokens.get(token)
        if cid is None:
            raise refusal("resume_failed")
        c = self._customers[cid]
        c.connected = True
        c.disconnected_at = None
        return cid, None if c.room_id is None else self._view(self._rooms[c.room_id])

    async def customer_leave(self, customer_id: str, now: float) -> str | None:
        return self._remove_customer(self._customer(customer_id), now)

    async def set_pan_result(self, customer_id: str, pan: PanRecord) -> str | None:
        c = self._customer(customer_id)
        before = c.pan_status
        c.pan = pan
        self._pan_status_changed(c, before)
        return self._room_employee(c)

    async def confirm_pan(self, customer_id: str, fields: Message) -> str | None:
        c = self._customer(customer_id)
        before = c.pan_status
        c.confirmed = dict(fields)
        self._pan_status_changed(c, before)
        return self._room_employee(c)

    # -------------------------------------------------------------- employees

    async def employee_connect(
        self, employee_id: str, name: str, now: float
    ) -> tuple[bool, RoomView | None]:
        emp = self._employees.get(employee_id)
        newly_online = emp is None or not emp.connected
        if emp is None:
            emp = _Employee(id=employee_id, name=name)
            self._employees[employee_id] = emp
        emp.name = name  # renamed since the last connect
        emp.connected = True
        emp.disconnected_at = None
        if newly_online:
            self._emit(WaitChanged())
        return newly_online, None if emp.room_id is None else self._view(self._rooms[emp.room_id])

    async def pick(self, employee_id: str, customer_id: str, now: float) -> RoomView:
        emp = self._employee(employee_id)
        if emp.room_id is not None:
            raise refusal("already_in_room")
        c = self._customers.get(customer_id)
        if c is None:
            raise refusal("not_found")
        if c.room_id is not None:
            raise refusal("already_taken")
        self._dequeue(customer_id)
        room = _Room(self._new_id("r"), customer_id, employee_id, now)
        self._rooms[room.id] = room
        c.room_id = emp.room_id = room.id
        c.was_paired = True
        return self._view(room)

    async def employee_leave(self, employee_id: str, now: float) -> str:
        emp = self._employee(employee_id)
        if emp.room_id is None:
            raise refusal("not_in_room")
        return self._close_room_for_employee(emp, now)

    # ------------------------------------------------------------------ both

    async def peer(self, member_id: str) -> str:
        room_id = await self.room_of(member_id)
        if room_id is None:
            raise refusal("not_in_room", SIGNAL_NEEDS_ROOM)
        room = self._rooms[room_id]
        return room.employee_id if member_id == room.customer_id else room.customer_id

    async def disconnect(self, member_id: str, now: float) -> Dropped | None:
        member: _Customer | _Employee | None = self._customers.get(member_id)
        if member is None:
            member = self._employees.get(member_id)
        if member is None or not member.connected:
            return None
        member.connected = False
        member.disconnected_at = now
        self._away[id(member)] = member
        peer = None
        if member.room_id is not None:
            room = self._rooms[member.room_id]
            peer = room.employee_id if member_id == room.customer_id else room.customer_id
        if isinstance(member, _Employee):
            self._emit(WaitChanged())  # fewer employees online changes the estimate
        return Dropped(peer)

    async def expire(self, now: float) -> list[Expired]:
        out: list[Expired] = []
        for emp in list(self._employees.values()):
            if emp.disconnected_at is not None and now - emp.disconnected_at >= self.grace_s:
                peer = None
                if emp.room_id is not None:
                    peer = self._close_room_for_employee(emp, now)
                del self._employees[emp.id]
                out.append(Expired(emp.id, True, peer))
        for c in list(self._customers.values()):
            if c.disconnected_at is not None and now - c.disconnected_at >= self._grace(c):
                out.append(Expired(c.id, False, self._remove_customer(c, now)))
        return out

    # --------------------------------------------------------------- private

    def _grace(self, member: _Customer | _Employee) -> float:
        """How long ``member`` may be away: less for a customer no employee has talked to."""
        if isinstance(member, _Customer) and not member.was_paired:
            return self.waiting_grace_s
        return self.grace_s

    def _customer(self, customer_id: str) -> _Customer:
        c = self._customers.get(customer_id)
        if c is None:
            raise refusal("not_joined")
        return c

    def _employee(self, employee_id: str) -> _Employee:
        emp = self._employees.get(employee_id)
        if emp is None:
            raise refusal("unauthorized")
        return emp

    def _emit(self, event: QueueEvent) -> None:
        for listener in self._listeners:
            listener(event)

    def _entry(self, c: _Customer) -> QueueEntry:
        return QueueEntry(c.id, c.name, c.joined_at, c.pan_status, c.connected)

    def _change(
        self, op: QueueOp, c: _Customer, entry: QueueEntry | None, position: int | None
    ) -> None:
        self._seq += 1
        self._emit(QueueChange(self._seq, op, c.id, entry, position, len(self._queue)))

    def _enqueue(self, customer_id: str, *, front: bool) -> None:
        c = self._customers[customer_id]
        if front:
            self._queue.insert(0, customer_id)
        else:
            self._queue.append(customer_id)
        position = 1 if front else len(self._queue)
        self._change(QueueOp.ADDED, c, self._entry(c), position)

    def _dequeue(self, customer_id: str) -> None:
        self._queue.remove(customer_id)
        self._change(QueueOp.REMOVED, self._customers[customer_id], None, None)

    def _pan_status_changed(self, c: _Customer, before: PanStatus) -> None:
        if c.room_id is None and c.pan_status != before:
            self._change(QueueOp.UPDATED, c, self._entry(c), None)

    def _employees_online(self) -> int:
        return sum(1 for e in self._employees.values() if e.connected)

    def _wait_per_position(self) -> float | None:
        if not self._handling:
            return None
        mean = sum(self._handling) / len(self._handling)
        return mean / max(1, self._employees_online())

    def _room_employee(self, c: _Customer) -> str | None:
        return None if c.room_id is None else self._rooms[c.room_id].employee_id

    def _view(self, room: _Room) -> RoomView:
        c = self._customers[room.customer_id]
        emp = self._employees[room.employee_id]
        return RoomView(
            room_id=room.id,
            customer_id=c.id,
            customer_name=c.name,
            employee_id=emp.id,
            employee_name=emp.name,
            pan_status=c.pan_status,
            pan=c.pan,
            confirmed=None if c.confirmed is None else dict(c.confirmed),
            customer_connected=c.connected,
            customer_joined_at=c.joined_at,
        )

    def _end_room(self, room_id: str, now: float) -> _Room:
        room = self._rooms.pop(room_id)
        self._handling.append(max(0.0, now - room.started_at))
        self._emit(WaitChanged())
        self._customers[room.customer_id].room_id = None
        emp = self._employees.get(room.employee_id)
        if emp is not None:
            emp.room_id = None
        return room

    def _close_room_for_employee(self, emp: _Employee, now: float) -> str:
        if emp.room_id is None:
            raise RuntimeError("internal error: closing the room of an employee without one")
        room = self._end_room(emp.room_id, now)
        self._enqueue(room.customer_id, front=True)
        return room.customer_id

    def _remove_customer(self, c: _Customer, now: float) -> str | None:
        employee_id = None
        if c.room_id is not None:
            employee_id = self._end_room(c.room_id, now).employee_id
        elif c.id in self._queue:
            self._dequeue(c.id)
        self._customers.pop(c.id, None)
        self._tokens.pop(c.token, None)
        return employee_id

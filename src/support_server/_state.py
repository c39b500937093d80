"""The live-state backend interface: queue, rooms, customer sessions and PAN results.

Two implementations fit it: :class:`~support_server.Hub` (memory, one process) and the Redis
backend (any number of processes). Every command is one atomic step on the shared state and
returns plain facts (who is in which room, whose peer to tell); it never builds wire messages
and never touches sockets: :class:`~support_server.Desk` turns the facts into messages.
Time is passed in (``now``, Unix seconds). Refusals raise :class:`HubError`.

Every change of the queue is numbered (``seq``, one more per change, for the whole desk) and
announced to the listeners registered with :meth:`LiveState.listen`, in ``seq`` order: the desk
turns these into the employees' small ``queue_changes`` messages and into coalesced
``queue_position`` updates. A snapshot carries the ``seq`` of the last change it includes, so a
client applies only the changes after it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

__all__ = [
    "Dropped",
    "Expired",
    "HubError",
    "LiveState",
    "PanRecord",
    "PanStatus",
    "Position",
    "QueueChange",
    "QueueEntry",
    "QueueEvent",
    "QueueListener",
    "QueueOp",
    "QueueSnapshot",
    "RoomView",
    "StateUnavailable",
    "WaitChanged",
    "grace_periods",
    "refusal",
]

Message = dict[str, Any]


class HubError(Exception):
    """A request the live state refuses; ``code`` is the protocol's error code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class StateUnavailable(HubError):
    """The shared live state (Redis) cannot be reached right now."""

    def __init__(self) -> None:
        super().__init__(
            "unavailable", "The desk is briefly unavailable: try again in a few seconds."
        )


REFUSALS = {
    "resume_failed": "Unknown or expired session: join again.",
    "not_joined": "No such customer session.",
    "unauthorized": "That employee is not connected.",
    "already_in_room": "You are already in a call: leave it first.",
    "not_found": "That customer is no longer waiting.",
    "already_taken": "Another employee has already taken that customer.",
    "not_in_room": "You are not in a call.",
}
"""What each refusal of the live state tells the client."""


def refusal(code: str, message: str | None = None) -> HubError:
    """The :class:`HubError` for a refusal ``code`` (with its usual message unless given)."""
    return HubError(code, REFUSALS[code] if message is None else message)


SIGNAL_NEEDS_ROOM = "Signals need a call: you are not in one."


class PanStatus(StrEnum):
    """What is known about a customer's PAN card."""

    NONE = "none"
    READ = "read"
    CONFIRMED = "confirmed"


@dataclass(frozen=True, slots=True)
class PanRecord:
    """A customer's latest OCR result and the id of the image it came from (bytes are kept in
    the image store)."""

    result: Message
    image_id: str
    content_type: str


@dataclass(frozen=True, slots=True)
class RoomView:
    """A room as both members need to see it when they are (re)paired."""

    room_id: str
    customer_id: str
    customer_name: str
    employee_id: str
    employee_name: str
    pan_status: PanStatus
    pan: PanRecord | None
    confirmed: Message | None
    customer_connected: bool
    customer_joined_at: float
    """When the customer joined the queue (for the join-to-pick wait)."""


@dataclass(frozen=True, slots=True)
class QueueEntry:
    """One waiting customer, front of the queue first."""

    customer_id: str
    name: str
    joined_at: float
    pan_status: PanStatus
    connected: bool


@dataclass(frozen=True, slots=True)
class QueueSnapshot:
    """The whole queue after change ``seq``, and the estimated wait per queue position
    (``None`` before any call)."""

    seq: int
    entries: list[QueueEntry]
    wait_per_position: float | None


class QueueOp(StrEnum):
    """What one queue change did."""

    ADDED = "added"
    REMOVED = "removed"
    UPDATED = "updated"


@dataclass(frozen=True, slots=True)
class QueueChange:
    """Change number ``seq`` of the queue: the queue after it is the queue after ``seq - 1``
    with this applied. ``entry`` is set for ``added`` and ``updated``; ``position`` (1-based,
    in the queue after the change) for ``added``; ``waiting`` is the queue length after it."""

    seq: int
    op: QueueOp
    customer_id: str
    entry: QueueEntry | None
    position: int | None
    waiting: int

    def __post_init__(self) -> None:
        if (self.entry is None) != (self.op is QueueOp.REMOVED):
            raise ValueError(f"a queue change {self.op} needs an entry exactly unless removed")
        if (self.position is None) != (self.op is not QueueOp.ADDED):
            raise ValueError(f"a queue change {self.op} has a position exactly when added")


@dataclass(frozen=True, slots=True)
class WaitChanged:
    """The estimated wait per position may have changed (employees online, a call ended)."""


QueueEvent = QueueChange | WaitChanged
QueueListener = Callable[[QueueEvent], None]
"""Called for every queue event of the whole desk, in order; it must not block."""


@dataclass(frozen=True, slots=True)
class Position:
    """One waiting customer's place: 1-based ``position`` of ``waiting``."""

    position: int
    waiting: int
    wait_per_position: float | None


@dataclass(frozen=True, slots=True)
class Dropped:
    """A member's socket went away: ``peer`` (if in a room) must be told."""

    peer: str | None


@dataclass(frozen=True, slots=True)
class Expired:
    """A member whose grace period ended; ``peer`` is the other member of the room it ended."""

    member_id: str
    is_employee: bool
    peer: str | None


class LiveState(Protocol):
    """Queue, rooms, customer sessions and tokens, PAN results: atomic commands, queries.

    A dropped member keeps their place or room for ``grace_s`` seconds; a customer who has
    never been in a room with an employee only for ``waiting_grace_s`` (a socket that joins
    and vanishes must not hold a place in the queue for long).
    """

    grace_s: float
    waiting_grace_s: float

    def listen(self, listener: QueueListener) -> None:
        """Call ``listener`` with every :class:`QueueChange` (in ``seq`` order) and
        :class:`WaitChanged` of the whole desk, whichever process caused it."""
        ...

    async def start(self) -> None:
        """Begin announcing to the listeners (the Redis backend subscribes to the changes)."""
        ...

    async def stop(self) -> None:
        """Stop announcing."""
        ...

    # customers
    async def join(self, name: str, now: float) -> tuple[str, str]:
        """Add a customer at the back of the queue; return ``(customer_id, token)``."""
        ...

    async def resume(self, token: str, now: float) -> tuple[str, RoomView | None]:
        """Reattach a customer by token (``resume_failed`` if unknown); return its room."""
        ...

    async def customer_leave(self, customer_id: str, now: float) -> str | None:
        """Remove a customer (queue or room); return the employee whose room ended."""
        ...

    async def set_pan_result(self, customer_id: str, pan: PanRecord) -> str | None:
        """Store an OCR result; return the paired employee, if any."""
        ...

    async def confirm_pan(self, customer_id: str, fields: Message) -> str | None:
        """Store confirmed PAN values; return the paired employee, if any."""
        ...

    # employees
    async def employee_connect(
        self, employee_id: str, name: str, now: float
    ) -> tuple[bool, RoomView | None]:
        """An employee is online under ``name`` (a new name replaces the old); return
        ``(newly online, their room)``."""
        ...

    async def pick(self, employee_id: str, customer_id: str, now: float) -> RoomView:
        """Atomically take a waiting customer into a new room with this employee."""
        ...

    async def employee_leave(self, employee_id: str, now: float) -> str:
        """End the employee's room; the customer goes to the front. Return the customer."""
        ...

    # both
    async def peer(self, member_id: str) -> str:
        """The other member of ``member_id``'s room (``not_in_room`` if none)."""
        ...

    async def disconnect(self, member_id: str, now: float) -> Dropped | None:
        """Start a member's grace period; ``None`` if unknown or already disconnected."""
        ...

    async def expire(self, now: float) -> list[Expired]:
        """Apply the leave rules to everyone whose grace period ended (each exactly once)."""
        ...

    async def available(self) -> bool:
        """Whether the state can be reached (for ``/readyz``)."""
        ...

    # queries
    async def queue_snapshot(self) -> QueueSnapshot: ...
    async def position(self, customer_id: str) -> Position | None: ...
    async def positions(self, customer_ids: Collection[str]) -> dict[str, Position]:
        """The places of those of ``customer_ids`` who are waiting."""
        ...

    async def wait_per_position(self) -> float | None: ...
    async def next_expiry(self) -> float | None: ...
    async def customer_for_token(self, token: str) -> str | None: ...
    async def has_customer(self, customer_id: str) -> bool: ...
    async def room_of(self, member_id: str) -> str | None: ...
    async def room_customer(self, employee_id: str) -> str | None: ...
    async def pan_of(self, customer_id: str) -> PanRecord | None: ...
    async def stats(self) -> dict[str, int]: ...


def grace_periods(grace_s: float, waiting_grace_s: float | None) -> tuple[float, float]:
    """Both backends' ``(grace_s, waiting_grace_s)``: the waiting grace defaults to the call
    grace, and each must be positive."""
    waiting_grace_s = grace_s if waiting_grace_s is None else waiting_grace_s
    for name, value in (("grace_s", grace_s), ("waiting_grace_s", waiting_grace_s)):
        if value <= 0:
            raise ValueError(f"{name} must be positive, got {value}")
    return grace_s, waiting_grace_s

"""A desk driven directly (no server): a settable clock, fake sockets, one call per command.

``Harness`` mirrors the desk's commands with an explicit ``now`` so that contract tests read
as a timeline, and gives each connected member a recording socket (the desk sends the queue
only to sockets connected to it).
"""

from __future__ import annotations

import itertools
from typing import Any, cast

from sanic.server.websockets.impl import WebsocketImplProtocol

from support_server import CustomerPan, Desk, Hub, ImageStore, LiveState, MemoryImageStore, Outcome
from support_server._connections import Connection
from support_server._outbound import Delivery
from support_server._redis_state import RedisState

GRACE = 30.0
WAITING_GRACE = 5.0
"""The grace of a customer who never reached an employee (shorter than ``GRACE``)."""
Message = dict[str, Any]


class RecordingSocket:
    """Stands in for a WebSocket: records the frames sent and the close."""

    io_proto = None
    """No transport: every frame goes through the connection's outbox and ``send``."""

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.closed: tuple[int, str] | None = None

    async def send(self, text: str) -> None:
        self.sent.append(text)

    async def close(self, code: int, reason: str) -> None:
        self.closed = (code, reason)


class Clock:
    """A clock the test sets."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def counting_ids() -> Any:
    """Deterministic ids: ``c_1``, ``t_2``, ``r_3`` ..."""
    counter = itertools.count(1)
    return lambda prefix: f"{prefix}_{next(counter)}"


class Harness:
    """The desk's commands with the time passed in, as the old Hub took it."""

    def __init__(self, state: LiveState, images: ImageStore, *, remote: bool = False) -> None:
        self.remote = remote
        """Whether the backend is reached over the network (Redis)."""
        self.clock = Clock()
        self.state = state
        self.desk = Desk(state, images, clock=self.clock, auto_expire=False, auto_flush=False)

    def _connection(self, role: str) -> Connection:
        ws = cast(WebsocketImplProtocol, cast(Any, RecordingSocket()))
        return Connection(ws, role, rate_per_s=10, metrics=self.desk.metrics)

    def _at(self, now: float) -> None:
        self.clock.now = now

    async def join(self, name: str, now: float) -> tuple[str, str, Outcome]:
        """The customer joins on a new (recording) socket of this desk."""
        self._at(now)
        return await self.desk.join(name, self._connection("customer"))

    async def resume(self, token: str, now: float) -> tuple[str, Outcome]:
        self._at(now)
        return await self.desk.resume(token)

    async def customer_leave(self, customer_id: str, now: float) -> Outcome:
        self._at(now)
        return await self.desk.customer_leave(customer_id)

    async def set_pan_result(self, customer_id: str, pan: CustomerPan) -> Outcome:
        return await self.desk.set_pan_result(customer_id, pan)

    async def confirm_pan(self, customer_id: str, fields: Message) -> Outcome:
        return await self.desk.confirm_pan(customer_id, fields)

    async def employee_connect(self, employee_id: str, name: str, now: float) -> Outcome:
        """The employee connects on a new (recording) socket of this desk."""
        self._at(now)
        return await self.desk.employee_connect(employee_id, name, self._connection("employee"))

    async def pick(self, employee_id: str, customer_id: str, now: float) -> Outcome:
        self._at(now)
        return await self.desk.pick(employee_id, customer_id)

    async def employee_leave(self, employee_id: str, now: float) -> Outcome:
        self._at(now)
        return await self.desk.employee_leave(employee_id)

    async def signal(self, member_id: str, data: Message) -> Outcome:
        return await self.desk.signal(member_id, data)

    async def disconnect(self, member_id: str, now: float) -> Outcome:
        self._at(now)
        return await self.desk.disconnect(member_id)

    async def expire(self, now: float) -> Outcome:
        self._at(now)
        return await self.desk.expire()

    async def position_updates(self) -> list[Delivery]:
        return await self.desk.position_updates()

    async def queue_message(self) -> Message:
        return await self.desk.queue_message()

    async def take_queue_changes(self) -> Message | None:
        """The queue changes not yet taken, once every change made so far has reached the
        desk (over Redis pub/sub they arrive a little after the command)."""
        if isinstance(self.state, RedisState):
            await self.state.settle()
        return self.desk.take_queue_changes()

    async def position_message(self, customer_id: str) -> Message | None:
        return await self.desk.position_message(customer_id)

    async def estimated_wait_s(self, position: int) -> int | None:
        return await self.desk.estimated_wait_s(position)

    async def image_for(self, image_id: str, employee_id: str) -> CustomerPan | None:
        return await self.desk.image_for(image_id, employee_id)

    async def stats(self) -> dict[str, int]:
        return await self.desk.stats()

    async def waiting_ids(self) -> list[str]:
        return [e.customer_id for e in (await self.state.queue_snapshot()).entries]

    async def next_expiry(self) -> float | None:
        return await self.state.next_expiry()

    async def customer_for_token(self, token: str) -> str | None:
        return await self.state.customer_for_token(token)

    async def has_customer(self, customer_id: str) -> bool:
        return await self.state.has_customer(customer_id)

    async def room_of(self, member_id: str) -> str | None:
        return await self.state.room_of(member_id)

    async def room_customer(self, employee_id: str) -> str | None:
        return await self.state.room_customer(employee_id)


def memory_harness(*, image_budget: int | None = None) -> Harness:
    """A desk over the in-memory Hub and image store."""
    hub = Hub(grace_s=GRACE, waiting_grace_s=WAITING_GRACE, new_id=counting_ids())
    return Harness(hub, MemoryImageStore(budget=image_budget))

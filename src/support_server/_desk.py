"""The desk service: what the socket and HTTP handlers call.

Each command asks the live state (:class:`~support_server.LiveState`) to make one atomic
change, turns the facts it returns into messages (:mod:`support_server._outbound`) and
delivers them to the members' sockets. Commands return the :class:`Outcome` they delivered,
for tests and logs. The desk also keeps one timer for the next grace-period expiry (unless
``auto_expire`` is off: then only :meth:`Desk.expire` applies it, as tests that drive the clock
want).

The queue reaches this process's members without any message whose size grows with the
queue on every change: an employee gets a ``queue`` snapshot on connect (and when they ask),
then the numbered changes the live state announces, batched into one ``queue_changes`` at most
every ``CHANGES_FLUSH_S`` (less often with many employees here). A waiting customer gets
``queue_position`` only when their position or estimate changed, at most once per
``POSITION_INTERVAL_S`` near the front and less often further back (place ``p`` at most every
``p * POSITION_INTERVAL_PER_PLACE_S``), or when only the number waiting changed, at most once per
``WAITING_REFRESH_S``: a long queue costs a bounded number of messages a second.
With ``auto_flush`` off, only :meth:`Desk.take_queue_changes` and :meth:`Desk.position_updates`
take them, as tests that look at each batch want.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from . import _outbound as out
from ._cluster import Cluster
from ._coalesce import Coalescer
from ._connections import Connection, Sockets
from ._images import ImageStore, StoredImage
from ._logging import LOGGER_NAME, log_event
from ._metrics import DeskMetrics
from ._outbound import CloseCode, Delivery, Message, Outcome
from ._state import (
    Dropped,
    HubError,
    LiveState,
    PanRecord,
    Position,
    QueueChange,
    QueueEntry,
    QueueEvent,
    QueueSnapshot,
    RoomView,
)

__all__ = [
    "CHANGES_FLUSH_S",
    "POSITION_INTERVAL_S",
    "WAITING_REFRESH_S",
    "CustomerPan",
    "Desk",
    "IceServers",
]

CHANGES_FLUSH_S = 0.02
"""Minimum interval between two ``queue_changes`` broadcasts; a burst shares one."""
CHANGES_FLUSH_MAX_S = 0.2
CHANGES_FRAMES_PER_S = 5_000
"""Broadcasts are spaced so that they send about this many frames a second at most: with many
employees on this process, each broadcast carries more changes (up to ``CHANGES_FLUSH_MAX_S``)."""
POSITION_INTERVAL_S = 1.0
"""A waiting customer near the front gets at most one ``queue_position`` a second ..."""
POSITION_INTERVAL_PER_PLACE_S = 0.01
"""... and one at place ``p`` at most every ``p`` times this (place 1000: every 10 s)."""
WAITING_REFRESH_S = 10.0
"""A change of only the number of people waiting is sent at most this often."""
SEND_CHUNK = 50
"""Position updates are queued this many at a time, letting other work run in between."""
POSITIONS_PER_STEP = 500
"""Waiting customers whose position update is looked at before other work may run."""
SENT_CHANGES_KEPT = 1000
"""The last changes sent are kept to follow a snapshot that was read before them."""


class IceServers(Protocol):
    """``ice(member_id, now, relay=...)``: a member's ``ice_servers`` list, with TURN (relay)
    servers and their credentials only if ``relay``."""

    def __call__(self, member_id: str, now: float, *, relay: bool = True) -> list[Message]: ...


logger = logging.getLogger(f"{LOGGER_NAME}.desk")


def _no_ice(member_id: str, now: float, *, relay: bool = True) -> list[Message]:
    return []


@dataclass(frozen=True, slots=True)
class CustomerPan:
    """A customer's OCR result, the card cut out as read (``image``) and the picture it came
    from (``original``); both are empty once dropped."""

    result: Message
    image_id: str
    image: bytes
    content_type: str
    original: bytes = b""
    original_type: str = "image/jpeg"


class Desk:
    """Queue, rooms and relays for the members connected to this process.

    With a ``cluster`` (several processes sharing Redis), messages for members on other
    processes are published to them, queue changes are announced to every process, and a
    tick (every ``cluster.tick_s``) keeps this process alive in Redis, starts the grace periods of
    members whose process died, and re-reads when the next grace period ends anywhere.
    """

    def __init__(
        self,
        state: LiveState,
        images: ImageStore,
        sockets: Sockets | None = None,
        *,
        clock: Callable[[], float] = time.time,
        ice: IceServers = _no_ice,
        max_waiting: int | None = None,
        metrics: DeskMetrics | None = None,
        auto_expire: bool = True,
        auto_flush: bool = True,
        cluster: Cluster | None = None,
    ) -> None:
        self.state = state
        self._auto_expire = auto_expire
        self._auto_flush = auto_flush
        self.cluster = cluster
        self._tick_task: asyncio.Task[None] | None = None
        self.images = images
        self.sockets = Sockets() if sockets is None else sockets
        self.clock = clock
        self._ice = ice
        self._max_waiting = max_waiting
        self.metrics = DeskMetrics() if metrics is None else metrics
        self._changes: list[tuple[Message, int]] = []
        self._sent_changes: deque[tuple[Message, int]] = deque(maxlen=SENT_CHANGES_KEPT)
        self._changes_flush = Coalescer(
            self._send_changes, name="queue_changes", interval=CHANGES_FLUSH_S
        )
        self._positions_sent: dict[str, _SentPosition] = {}
        self._positions_flush = Coalescer(
            self._send_positions, name="queue_positions", interval=POSITION_INTERVAL_S
        )
        self._waiting_refresh: asyncio.TimerHandle | None = None
        state.listen(self._on_queue_event)
        self._expiry_handle: asyncio.TimerHandle | None = None
        self._expiry_at: float | None = None
        self._expiry_task: asyncio.Task[None] | None = None

    # -------------------------------------------------------------- customers

    async def join(self, name: str, conn: Connection | None = None) -> tuple[str, str, Outcome]:
        """Queue a new customer (on ``conn`` if given: attach it and send ``welcome``).

        Refused with ``queue_full`` while ``max_waiting`` customers wait (joins racing on
        several processes may pass it by a few).
        """
        if self._max_waiting is not None and await self._queue_is_full(self._max_waiting):
            raise HubError(
                "queue_full",
                "The queue is full right now, so you could not join it. "
                "Please try again in a few minutes.",
            )
        now = self.clock()
        customer_id, token = await self.state.join(name, now)
        if conn is not None:
            await self._welcome_customer(conn, customer_id, token, resumed=False, now=now)
            log_event(logger, logging.INFO, "customer_joined", customer=customer_id)
        outcome = Outcome()
        await self._send_position(outcome, customer_id)
        return customer_id, token, await self.apply(outcome)

    async def _queue_is_full(self, max_waiting: int) -> bool:
        return (await self.state.stats())["waiting"] >= max_waiting

    async def resume(self, token: str, conn: Connection | None = None) -> tuple[str, Outcome]:
        """Reattach a customer by token: ``paired`` again in a room, else its position."""
        now = self.clock()
        customer_id, room = await self.state.resume(token, now)
        if conn is not None:
            await self._welcome_customer(conn, customer_id, token, resumed=True, now=now)
            log_event(logger, logging.INFO, "customer_resumed", customer=customer_id)
        outcome = Outcome()
        if room is not None:
            outcome.send(customer_id, self._paired_for_customer(room, now))
            outcome.send(room.employee_id, out.peer_reconnected())
        else:
            await self._send_position(outcome, customer_id)
        return customer_id, await self.apply(outcome, deadlines=True)

    async def customer_leave(self, customer_id: str, conn: Connection | None = None) -> Outcome:
        """The customer ends the session (on ``conn``: ``bye`` and a normal close)."""
        employee_id = await self.state.customer_leave(customer_id, self.clock())
        await self.images.discard(customer_id)
        if conn is not None:
            conn.finished = True
            self.sockets.detach(conn)
            conn.send(out.bye())
            conn.close(CloseCode.NORMAL, "bye")
            log_event(logger, logging.INFO, "customer_left", customer=customer_id)
        outcome = Outcome()
        if employee_id is not None:
            outcome.send(employee_id, out.customer_left())
        return await self.apply(outcome)

    async def set_pan_result(self, customer_id: str, pan: CustomerPan) -> Outcome:
        """Store a customer's OCR result and image; push it to the paired employee if any."""
        await self.images.put(
            customer_id,
            StoredImage(pan.image_id, pan.image, pan.content_type, pan.original, pan.original_type),
        )
        record = PanRecord(pan.result, pan.image_id, pan.content_type)
        try:
            employee_id = await self.state.set_pan_result(customer_id, record)
        except HubError:
            await self.images.discard(customer_id)
            raise
        outcome = Outcome()
        if employee_id is not None:
            outcome.send(employee_id, out.pan_result(record.result, record.image_id))
            _log_result_shown(employee_id, customer_id)
        return await self.apply(outcome)

    async def confirm_pan(self, customer_id: str, fields: Message) -> Outcome:
        """Store the customer's confirmed PAN values; acknowledge and tell the employee."""
        employee_id = await self.state.confirm_pan(customer_id, fields)
        message = out.pan_confirmed(fields)
        outcome = Outcome()
        outcome.send(customer_id, message)
        if employee_id is not None:
            outcome.send(employee_id, message)
        return await self.apply(outcome)

    # -------------------------------------------------------------- employees

    async def employee_connect(
        self, employee_id: str, name: str, conn: Connection | None = None
    ) -> Outcome:
        """An employee's socket opened: the queue, and ``paired`` again if still in a room.

        ``name`` is the one customers see (the account's display name, never the login).
        """
        now = self.clock()
        if conn is not None:
            employee = {"id": employee_id, "name": name}
            await self._attach(
                employee_id, conn, out.employee_welcome(employee, self._ice(employee_id, now))
            )
            log_event(logger, logging.INFO, "employee_connected", employee=employee_id)
        _, room = await self.state.employee_connect(employee_id, name, now)
        outcome = await self._snapshot_for(employee_id)
        if room is not None:
            outcome.merge(_paired_for_employee(room))
            outcome.send(room.customer_id, out.peer_reconnected())
        return await self.apply(outcome, deadlines=True)

    async def pick(self, employee_id: str, customer_id: str) -> Outcome:
        """Take a waiting customer into a new room with this employee (atomic)."""
        now = self.clock()
        room = await self.state.pick(employee_id, customer_id, now)
        self.metrics.picked(now - room.customer_joined_at)
        outcome = Outcome()
        outcome.send(customer_id, self._paired_for_customer(room, now))
        outcome.merge(_paired_for_employee(room))
        if not room.customer_connected:
            outcome.send(employee_id, out.peer_reconnecting())
        log_event(logger, logging.INFO, "picked", employee=employee_id, customer=customer_id)
        return await self.apply(outcome)

    async def employee_leave(self, employee_id: str) -> Outcome:
        """The employee ends the call; the customer goes back to the front of the queue."""
        customer_id = await self.state.employee_leave(employee_id, self.clock())
        outcome = Outcome()
        outcome.send(customer_id, out.employee_left())
        await self._send_position(outcome, customer_id)
        outcome.send(employee_id, out.call_ended("employee_left"))
        log_event(logger, logging.INFO, "employee_left_call", employee=employee_id)
        return await self.apply(outcome)

    # ------------------------------------------------------------------ both

    async def signal(self, member_id: str, data: Message) -> Outcome:
        """Relay a WebRTC signal to the other member of the room (with a cluster, the lookup
        of the peer and the hand-over to its process are one step)."""
        message = out.signal(data)
        outcome = Outcome()
        if self.cluster is None:
            outcome.send(await self.state.peer(member_id), message)
            return await self.apply(outcome)
        peer, here = await self.cluster.relay(member_id, message)
        outcome.send(peer, message)
        if here:
            self.sockets.deliver(outcome.deliveries)
        return outcome

    async def disconnect(self, member_id: str) -> Outcome:
        """A member's socket went away without ``leave``: the grace period starts."""
        dropped = await self.state.disconnect(member_id, self.clock())
        outcome = Outcome()
        if dropped is not None and dropped.peer is not None:
            outcome.send(dropped.peer, out.peer_reconnecting())
        return await self.apply(outcome, deadlines=True)

    async def connection_lost(self, conn: Connection) -> None:
        """A socket ended: start the grace period unless the member left or was replaced."""
        if self.sockets.detach(conn) and not conn.finished and conn.member_id is not None:
            log_event(logger, logging.INFO, "ws_dropped", role=conn.role, member=conn.member_id)
            await self.disconnect(conn.member_id)

    async def expire(self) -> Outcome:
        """Apply the leave rules to everyone whose grace period has ended."""
        expired = await self.state.expire(self.clock())
        outcome = Outcome()
        for gone in expired:
            if not gone.is_employee:
                await self.images.discard(gone.member_id)
            if gone.peer is not None:
                notice = out.employee_left() if gone.is_employee else out.customer_left()
                outcome.send(gone.peer, notice)
                if gone.is_employee:
                    await self._send_position(outcome, gone.peer)
        if expired:
            log_event(logger, logging.INFO, "grace_expired", members=len(expired))
        return await self.apply(outcome, deadlines=True)

    async def renew_ice(self) -> None:
        """Send fresh ``ice_servers`` (TURN credentials) to every member here who may relay:
        employees, and customers in a room. Run at least every half credential lifetime."""
        now = self.clock()
        for conn in self.sockets.all():
            member_id = conn.member_id
            if member_id is None:
                continue
            if conn.role == "employee" or await self.state.room_of(member_id) is not None:
                conn.send(out.ice_servers_message(self._ice(member_id, now)))

    # ---------------------------------------------------------------- queries

    async def image_for(self, image_id: str, employee_id: str) -> CustomerPan | None:
        """A stored PAN image, only for the employee paired with its customer."""
        customer_id = await self.state.room_customer(employee_id)
        if customer_id is None:
            return None
        pan = await self.state.pan_of(customer_id)
        image = await self.images.get(customer_id, image_id)
        if pan is None or image is None or pan.image_id != image.image_id:
            return None
        return CustomerPan(
            pan.result,
            image.image_id,
            image.data,
            image.content_type,
            image.original,
            image.original_type,
        )

    async def estimated_wait_s(self, position: int) -> int | None:
        """Estimated wait at a 1-based queue position; ``None`` until a call has finished."""
        per_position = await self.state.wait_per_position()
        return None if per_position is None else round(position * per_position)

    async def position_message(self, customer_id: str) -> Message | None:
        """The ``queue_position`` message for one waiting customer, else ``None``."""
        position = await self.state.position(customer_id)
        return None if position is None else _position_message(position)

    async def queue_message(self) -> Message:
        """The employees' ``queue`` snapshot for the current state."""
        return _queue_message(await self.state.queue_snapshot())

    async def queue_sync(self, employee_id: str) -> Outcome:
        """Send an employee a fresh ``queue`` snapshot (their client saw a gap in the changes).

        A snapshot still unsent at the tail of their outbox is replaced rather than followed.
        """
        outcome = await self._snapshot_for(employee_id)
        self.sockets.deliver(outcome.deliveries, snapshot=True)
        return outcome

    async def _snapshot_for(self, employee_id: str) -> Outcome:
        """An employee's ``queue`` snapshot, followed by the changes after it that were already
        sent to the employees here (with Redis, a change can reach this process before the
        snapshot that includes it, or after one that does not)."""
        snapshot = await self.state.queue_snapshot()
        outcome = Outcome()
        outcome.send(employee_id, _queue_message(snapshot))
        later = [(c, waiting) for c, waiting in self._sent_changes if c["seq"] > snapshot.seq]
        if later:
            outcome.send(employee_id, out.queue_changes([c for c, _ in later], later[-1][1]))
        return outcome

    async def position_updates(self) -> list[Delivery]:
        """The ``queue_position`` updates due to the waiting customers connected here (see the
        module's docstring for when one is due). Marks them as sent; the ones not due yet are
        looked at again when the first of them is. A long queue is gone through in steps of
        ``POSITIONS_PER_STEP``, letting other work run in between."""
        now = self.clock()
        positions = await self.state.positions(self.sockets.customers())
        sent = self._positions_sent
        gone = {c: s for c, s in sent.items() if c not in positions}
        deliveries: list[Delivery] = []
        next_due: float | None = None
        for n, (customer_id, position) in enumerate(positions.items(), 1):
            last = sent.get(customer_id)
            due = None if last is None else last.due_at(position)
            if last is None or (due is not None and due <= now):
                message = _position_message(position)
                deliveries.append(Delivery(customer_id, message))
                sent[customer_id] = _SentPosition(message, now)
            elif due is not None:
                next_due = due if next_due is None else min(next_due, due)
            if n % POSITIONS_PER_STEP == 0:
                await asyncio.sleep(0)
        for customer_id, entry in gone.items():
            if sent.get(customer_id) is entry:  # not told anew while this ran
                del sent[customer_id]
        if next_due is not None and self._waiting_refresh is None:
            self._waiting_refresh = asyncio.get_running_loop().call_later(
                max(POSITION_INTERVAL_S, next_due - now), self._refresh_waiting
            )
        return deliveries

    async def stats(self) -> dict[str, int]:
        """Counts for health pages and logs."""
        return {**await self.state.stats(), "image_bytes": await self.images.bytes_used()}

    # --------------------------------------------------------------- delivery

    async def apply(self, outcome: Outcome, *, deadlines: bool = False) -> Outcome:
        """Deliver an outcome's messages (and, when grace periods may have changed, reschedule
        the expiry timer)."""
        missed: list[Delivery] | None = None if self.cluster is None else []
        self.sockets.deliver(outcome.deliveries, missed=missed)
        if missed and self.cluster is not None:
            await self.cluster.publish(missed)
        if deadlines and self._auto_expire:
            await self._schedule_expiry()
        return outcome

    # ------------------------------------------------------------------ queue

    def _on_queue_event(self, event: QueueEvent) -> None:
        """The live state announced a queue event (of any process): batch it for the
        employees here and let the customers' positions be looked at."""
        if isinstance(event, QueueChange) and self.sockets.has_employees():
            entry = None if event.entry is None else _wire_entry(event.entry)
            change = out.queue_change(
                event.seq, event.op.value, event.customer_id, entry, event.position
            )
            self._changes.append((change, event.waiting))
            if self._auto_flush:
                self._changes_flush.request()
        if self._auto_flush:
            self._positions_flush.request()

    def take_queue_changes(self) -> Message | None:
        """The changes not yet sent, as one ``queue_changes`` message (``None`` if there are
        none); they count as sent."""
        changes, self._changes = self._changes, []
        if not changes:
            return None
        self._sent_changes.extend(changes)
        return out.queue_changes([c for c, _ in changes], changes[-1][1])

    async def _send_changes(self) -> None:
        message = self.take_queue_changes()
        employees = self.sockets.employees()
        if message is None or not employees:
            return
        self.sockets.deliver([Delivery(e, message) for e in employees])
        spacing = len(employees) / CHANGES_FRAMES_PER_S
        self._changes_flush.interval = min(CHANGES_FLUSH_MAX_S, max(CHANGES_FLUSH_S, spacing))

    async def _send_positions(self) -> None:
        deliveries = await self.position_updates()
        for start in range(0, len(deliveries), SEND_CHUNK):
            if start:
                await asyncio.sleep(0)
            self.sockets.deliver(deliveries[start : start + SEND_CHUNK])

    def _refresh_waiting(self) -> None:
        self._waiting_refresh = None
        self._positions_flush.request()

    async def _send_position(self, outcome: Outcome, customer_id: str) -> None:
        """Add the customer's ``queue_position`` to ``outcome`` now (if waiting)."""
        position = await self.state.position(customer_id)
        if position is not None:
            message = _position_message(position)
            outcome.send(customer_id, message)
            self._positions_sent[customer_id] = _SentPosition(message, self.clock())

    async def _schedule_expiry(self) -> None:
        at = await self.state.next_expiry()
        if at == self._expiry_at:
            return
        if self._expiry_handle is not None:
            self._expiry_handle.cancel()
            self._expiry_handle = None
        self._expiry_at = at
        if at is not None:
            delay = max(0.0, at - self.clock()) + 0.01
            self._expiry_handle = asyncio.get_running_loop().call_later(delay, self._start_expiry)

    def _start_expiry(self) -> None:
        self._expiry_handle = None
        self._expiry_at = None
        self._expiry_task = asyncio.get_running_loop().create_task(self._expire())

    async def _expire(self) -> None:
        try:
            await self.expire()
        except Exception:
            logger.exception("event=grace_expiry_failed")

    async def start(self) -> None:
        """Follow the live state's queue changes; join the cluster, if any: listen for other
        processes and start the tick."""
        await self.state.start()
        if self.cluster is None:
            return
        await self.cluster.start(self._on_cluster_event)
        self._tick_task = asyncio.get_running_loop().create_task(self._tick_loop())

    async def _on_cluster_event(self, event: dict[str, Any]) -> None:
        """A message from another process (or routed here through Redis)."""
        if "to" in event:
            conn = self.sockets.get(event["to"])
            if conn is not None:
                conn.send_text(event["text"])
            return
        if self.cluster is None or event.get("from") == self.cluster.proc_id:
            return
        if "attached" in event:
            old = self.sockets.get(event["attached"])
            if old is not None:
                old.finished = True
                self.sockets.detach(old)
                old.close(CloseCode.REPLACED, "replaced")

    async def _tick_loop(self) -> None:
        if self.cluster is None:
            return
        while True:
            try:
                if await self.cluster.state_lost():
                    self._close_all("live state lost")
                dropped = await self.cluster.tick(self.clock())
                await self.apply(_dropped_outcome(dropped), deadlines=True)
            except asyncio.CancelledError:
                raise
            except HubError:
                pass  # Redis unreachable: the next tick tries again
            except Exception:
                logger.exception("event=cluster_tick_failed")
            await asyncio.sleep(self.cluster.tick_s)

    async def shutdown(self) -> None:
        """Close every socket here with 1001 (server stopping); their grace periods start."""
        if self._tick_task is not None:
            self._tick_task.cancel()
        self._changes_flush.cancel()
        self._positions_flush.cancel()
        for handle in (self._waiting_refresh, self._expiry_handle):
            if handle is not None:
                handle.cancel()
        conns = self._close_all("server shutting down")
        for conn in conns:
            if conn.member_id is not None:
                with contextlib.suppress(Exception):
                    await self.disconnect(conn.member_id)
        if self._expiry_task is not None and not self._expiry_task.done():
            self._expiry_task.cancel()
        await asyncio.gather(*(c.drain() for c in conns), return_exceptions=True)
        if self.cluster is not None:
            await self.cluster.stop()
        await self.state.stop()

    def _close_all(self, reason: str) -> list[Connection]:
        """Close every socket here with 1001: their members reconnect (and resume if they can)."""
        conns = self.sockets.all()
        if conns and reason != "server shutting down":
            log_event(logger, logging.WARNING, "closing_all_sockets", reason=reason)
        for conn in conns:
            self.sockets.detach(conn)
            conn.finished = True
            conn.close(CloseCode.GOING_AWAY, reason)
        return conns

    async def _attach(self, member_id: str, conn: Connection, welcome: Message) -> None:
        """Attach ``conn`` and queue its ``welcome`` before anything else can reach it."""
        self.sockets.attach(member_id, conn)
        conn.send(welcome)
        if self.cluster is not None:
            await self.cluster.broadcast({"attached": member_id})

    async def _welcome_customer(
        self, conn: Connection, customer_id: str, token: str, *, resumed: bool, now: float
    ) -> None:
        ice = self._ice(customer_id, now, relay=False)  # TURN only once paired
        welcome = out.customer_welcome(customer_id, token, resumed=resumed, ice_servers=ice)
        await self._attach(customer_id, conn, welcome)

    def _paired_for_customer(self, room: RoomView, now: float) -> Message:
        ice = self._ice(room.customer_id, now)
        return out.paired_for_customer(room.room_id, room.employee_name, ice)


def _dropped_outcome(dropped: list[tuple[str, Dropped]]) -> Outcome:
    outcome = Outcome()
    for _, d in dropped:
        if d.peer is not None:
            outcome.send(d.peer, out.peer_reconnecting())
    return outcome


def _estimate(position: Position) -> int | None:
    """The estimated wait in seconds at ``position`` (``None`` until there is a basis)."""
    per = position.wait_per_position
    return None if per is None else round(position.position * per)


def _position_message(position: Position) -> Message:
    return out.queue_position(position.position, position.waiting, _estimate(position))


def _wire_entry(entry: QueueEntry) -> Message:
    return out.queue_entry(entry.customer_id, entry.name, entry.joined_at, entry.pan_status.value)


def _queue_message(snapshot: QueueSnapshot) -> Message:
    return out.queue(snapshot.seq, [_wire_entry(e) for e in snapshot.entries])


@dataclass(frozen=True, slots=True)
class _SentPosition:
    """The last ``queue_position`` sent to a customer, and when (desk clock)."""

    message: Message
    at: float

    def due_at(self, current: Position) -> float | None:
        """When the customer's ``current`` position is to be sent (desk clock; ``None``: it is
        what was sent): its place's interval after the last one if the position or estimate
        changed, else ``WAITING_REFRESH_S`` after it if only the number waiting did."""
        sent = self.message
        if current.position != sent["position"] or _estimate(current) != sent["estimated_wait_s"]:
            place = current.position
            return self.at + max(POSITION_INTERVAL_S, place * POSITION_INTERVAL_PER_PLACE_S)
        if current.waiting != sent["waiting"]:
            return self.at + WAITING_REFRESH_S
        return None


def _log_result_shown(employee_id: str, customer_id: str) -> None:
    """The audit line for an employee shown a customer's PAN result (no PAN, no name)."""
    log_event(logger, logging.INFO, "pan_result_viewed", employee=employee_id, customer=customer_id)


def _paired_for_employee(room: RoomView) -> Outcome:
    outcome = Outcome()
    outcome.send(
        room.employee_id,
        out.paired_for_employee(
            room.room_id, room.customer_id, room.customer_name, room.pan_status.value
        ),
    )
    if room.pan is not None:
        outcome.send(room.employee_id, out.pan_result(room.pan.result, room.pan.image_id))
        _log_result_shown(room.employee_id, room.customer_id)
    if room.confirmed is not None:
        outcome.send(room.employee_id, out.pan_confirmed(room.confirmed))
    return outcome

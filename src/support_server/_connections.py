"""Live WebSocket connections and the glue between them and the Hub.

:class:`Signaling` owns the queue-and-rooms backend (a :class:`~support_server.Hub`, or
anything implementing :class:`~support_server.HubBackend`): handlers call it and pass the
outcome to :meth:`Signaling.apply`, which delivers the resulting messages to sockets,
coalesces queue broadcasts (at most one every ``QUEUE_FLUSH_S``, less often for big queues) and
keeps one timer for the next grace-period expiry. Each :class:`Connection` has an outbox
drained by its own writer task, so a slow socket never blocks the others.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from sanic.server.websockets.impl import WebsocketImplProtocol

from ._backend import HubBackend
from ._hub import Delivery, Outcome
from ._logging import LOGGER_NAME, log_event
from ._messages import Message, dumps, error_message
from ._ratelimit import TokenBucket

__all__ = ["QUEUE_FLUSH_S", "Connection", "Signaling"]

QUEUE_FLUSH_S = 0.02
"""Minimum interval between two queue broadcasts; bursts of changes share one broadcast."""
QUEUE_FLUSH_MAX_S = 0.5
QUEUE_BYTES_PER_S = 25_000_000
"""Queue broadcasts are spaced so that they send at most about this many bytes per second: a
long queue watched by many employees is re-sent less often (up to ``QUEUE_FLUSH_MAX_S``)."""
MAX_OUTBOX = 2_000
"""A socket this far behind is closed rather than buffered without bound."""

logger = logging.getLogger(f"{LOGGER_NAME}.signaling")


@dataclass(frozen=True, slots=True)
class _Close:
    code: int
    reason: str


@dataclass(slots=True)
class _Snapshot:
    """A queue broadcast: replaced in place by a newer one while it is the unsent tail."""

    text: str


class Connection:
    """One WebSocket: an outbox with a writer task, a rate limiter, and its member id."""

    def __init__(self, ws: WebsocketImplProtocol, role: str, *, rate_per_s: float) -> None:
        self.ws = ws
        self.role = role
        self.member_id: str | None = None
        self.bucket = TokenBucket(rate_per_s, max(1.0, 2 * rate_per_s))
        self.finished = False
        """Set when the member left on purpose or was replaced: no grace period follows."""
        self._outbox: deque[str | _Snapshot | _Close] = deque()
        self._wakeup = asyncio.Event()
        self._closing = False
        self._writer = asyncio.get_running_loop().create_task(self._write_loop())

    @property
    def closing(self) -> bool:
        return self._closing

    def send_text(self, text: str, *, snapshot: bool = False) -> None:
        """Queue one text frame (dropped once the socket is closing).

        A ``snapshot`` (queue state) replaces an older snapshot still waiting at the tail of
        the outbox, so a slow reader gets the latest queue once instead of every version;
        the order relative to other messages is unchanged.
        """
        if self._closing:
            return
        if snapshot and self._outbox and isinstance(self._outbox[-1], _Snapshot):
            self._outbox[-1].text = text
            return
        if len(self._outbox) >= MAX_OUTBOX:
            log_event(logger, logging.WARNING, "ws_slow_consumer", role=self.role)
            self.close(1008, "too slow")
            return
        self._outbox.append(_Snapshot(text) if snapshot else text)
        self._wakeup.set()

    def send(self, message: Message) -> None:
        self.send_text(dumps(message))

    def error(self, code: str, message: str, request: str | None = None) -> None:
        self.send(error_message(code, message, request))

    def close(self, code: int, reason: str = "") -> None:
        """Queue a close frame after everything already queued."""
        if not self._closing:
            self._closing = True
            self._outbox.append(_Close(code, reason))
            self._wakeup.set()

    async def drain(self) -> None:
        """Wait until the writer has sent everything (and the close frame, if queued)."""
        if self._closing:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(asyncio.shield(self._writer), timeout=5)

    async def stop(self) -> None:
        """Stop the writer task (the handler is returning)."""
        if not self._writer.done():
            self._writer.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._writer

    async def _write_loop(self) -> None:
        try:
            while True:
                while not self._outbox:
                    self._wakeup.clear()
                    await self._wakeup.wait()
                item = self._outbox.popleft()
                if isinstance(item, _Close):
                    await self.ws.close(item.code, item.reason)
                    return
                await self.ws.send(item.text if isinstance(item, _Snapshot) else item)
        except asyncio.CancelledError:
            raise
        except Exception:
            self._closing = True


class Signaling:
    """The Hub plus the sockets of its members."""

    def __init__(self, hub: HubBackend, *, clock: Callable[[], float] = time.time) -> None:
        self.hub = hub
        self.clock = clock
        self._connections: dict[str, Connection] = {}
        self._flush_handle: asyncio.TimerHandle | None = None
        self._last_flush = 0.0
        self._flush_interval = QUEUE_FLUSH_S
        self._expiry_handle: asyncio.TimerHandle | None = None
        self._expiry_at: float | None = None

    # ------------------------------------------------------------ connections

    def connection(self, member_id: str) -> Connection | None:
        return self._connections.get(member_id)

    def attach(self, member_id: str, conn: Connection) -> None:
        """Make ``conn`` the live socket of ``member_id``; an older one is closed with 4409."""
        old = self._connections.get(member_id)
        if old is not None and old is not conn:
            old.finished = True
            old.close(4409, "replaced")
        conn.member_id = member_id
        self._connections[member_id] = conn

    def detach(self, conn: Connection) -> bool:
        """Forget ``conn``; return whether it was the member's live socket."""
        if conn.member_id is None:
            return False
        if self._connections.get(conn.member_id) is conn:
            del self._connections[conn.member_id]
            return True
        return False

    def connection_lost(self, conn: Connection) -> None:
        """A socket ended: start the grace period unless the member left or was replaced."""
        if self.detach(conn) and not conn.finished and conn.member_id is not None:
            log_event(logger, logging.INFO, "ws_dropped", role=conn.role, member=conn.member_id)
            self.apply(self.hub.disconnect(conn.member_id, self.clock()))

    # --------------------------------------------------------------- delivery

    def apply(self, outcome: Outcome) -> None:
        """Deliver an outcome's messages, then schedule the queue broadcast and expiry timer."""
        self.deliver(outcome.deliveries)
        if outcome.queue_changed:
            self._schedule_flush()
        self._schedule_expiry()

    def deliver(self, deliveries: list[Delivery], *, snapshot: bool = False) -> int:
        """Queue each message on its member's socket; return the bytes queued."""
        cache: dict[int, str] = {}
        sent = 0
        for d in deliveries:
            conn = self._connections.get(d.to)
            if conn is None:
                continue
            text = cache.get(id(d.message))
            if text is None:
                text = dumps(d.message)
                cache[id(d.message)] = text
            conn.send_text(text, snapshot=snapshot)
            sent += len(text)
        return sent

    def flush_queue_now(self) -> None:
        """Send the current queue to everyone now (also used by tests and shutdown)."""
        if self._flush_handle is not None:
            self._flush_handle.cancel()
            self._flush_handle = None
        self._last_flush = time.monotonic()
        sent = self.deliver(self.hub.queue_deliveries(), snapshot=True)
        self._flush_interval = min(QUEUE_FLUSH_MAX_S, max(QUEUE_FLUSH_S, sent / QUEUE_BYTES_PER_S))

    def _schedule_flush(self) -> None:
        if self._flush_handle is not None:
            return
        loop = asyncio.get_running_loop()
        delay = max(0.0, self._last_flush + self._flush_interval - time.monotonic())
        self._flush_handle = loop.call_later(delay, self._flush)

    def _flush(self) -> None:
        self._flush_handle = None
        self.flush_queue_now()

    def _schedule_expiry(self) -> None:
        at = self.hub.next_expiry()
        if at == self._expiry_at:
            return
        if self._expiry_handle is not None:
            self._expiry_handle.cancel()
            self._expiry_handle = None
        self._expiry_at = at
        if at is not None:
            delay = max(0.0, at - self.clock()) + 0.01
            self._expiry_handle = asyncio.get_running_loop().call_later(delay, self._expire)

    def _expire(self) -> None:
        self._expiry_handle = None
        self._expiry_at = None
        outcome = self.hub.expire(self.clock())
        if outcome.deliveries or outcome.queue_changed:
            log_event(logger, logging.INFO, "grace_expired")
        self.apply(outcome)

    async def shutdown(self) -> None:
        """Cancel timers and close every socket (server stopping)."""
        for handle in (self._flush_handle, self._expiry_handle):
            if handle is not None:
                handle.cancel()
        conns = list(self._connections.values())
        for conn in conns:
            conn.finished = True
            conn.close(1001, "server shutting down")
        await asyncio.gather(*(c.drain() for c in conns), return_exceptions=True)

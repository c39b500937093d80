"""Live WebSocket connections of this process.

Each :class:`Connection` has an outbox drained by its own writer task, so a slow socket never
blocks the others; a frame with nothing queued ahead of it is written to the socket at once,
without that hop. :class:`Sockets` maps member ids to this process's live connections and
queues messages on them, serialising each message once however many members get it;
:class:`~support_server.Desk` decides what to send.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from asyncio import Transport
from collections import deque
from dataclasses import dataclass

from sanic.server.websockets.impl import WebsocketImplProtocol
from websockets.frames import Frame, Opcode
from websockets.protocol import State

from ._logging import LOGGER_NAME, log_event
from ._metrics import DeskMetrics
from ._outbound import CloseCode, Delivery, Message, dumps, error_message
from ._ratelimit import TokenBucket

__all__ = ["DEFAULT_MAX_OUTBOX_BYTES", "MAX_OUTBOX", "Connection", "Sockets", "text_frame"]

MAX_OUTBOX = 2_000
"""A socket this many messages behind is closed rather than buffered without bound."""
DEFAULT_MAX_OUTBOX_BYTES = 4_000_000
"""... or this many bytes behind (``SUPPORT_WS_MAX_OUTBOX_BYTES``)."""

logger = logging.getLogger(f"{LOGGER_NAME}.signaling")


def text_frame(text: str) -> bytes:
    """``text`` as one whole WebSocket text frame as the server sends it (unmasked, and no
    extension is ever negotiated), so the same bytes serve every member a message goes to."""
    return Frame(Opcode.TEXT, text.encode()).serialize(mask=False)


@dataclass(frozen=True, slots=True)
class _Close:
    code: int
    reason: str


@dataclass(slots=True)
class _Frame:
    """A text frame waiting in the outbox and its size in bytes (UTF-8).

    A ``snapshot`` (a queue broadcast) is replaced in place by a newer one while it is the
    unsent tail.
    """

    text: str
    size: int
    snapshot: bool


class Connection:
    """One WebSocket: an outbox with a writer task, a rate limiter, and its member id."""

    def __init__(
        self,
        ws: WebsocketImplProtocol,
        role: str,
        *,
        rate_per_s: float,
        metrics: DeskMetrics,
        max_outbox_bytes: int = DEFAULT_MAX_OUTBOX_BYTES,
    ) -> None:
        self.ws = ws
        self.role = role
        self.metrics = metrics
        self.member_id: str | None = None
        self.bucket = TokenBucket(rate_per_s, max(1.0, 2 * rate_per_s))
        self.finished = False
        """Set when the member left on purpose or was replaced: no grace period follows."""
        self._max_outbox_bytes = max_outbox_bytes
        self._outbox: deque[_Frame | _Close] = deque()
        self._outbox_bytes = 0
        self._wakeup = asyncio.Event()
        self._closing = False
        self._writer = asyncio.get_running_loop().create_task(self._write_loop())

    @property
    def closing(self) -> bool:
        return self._closing

    def send_text(self, text: str, *, snapshot: bool = False, frame: bytes | None = None) -> None:
        """Send one text message, or queue it behind the ones still waiting (dropped once the
        socket is closing). ``frame``, if given, is ``text_frame(text)`` already built.

        A ``snapshot`` (queue state) replaces an older snapshot still waiting at the tail of
        the outbox, so a slow reader gets the latest queue once instead of every version;
        the order relative to other messages is unchanged. A reader so slow that its outbox
        holds ``MAX_OUTBOX`` messages or ``max_outbox_bytes`` bytes is cut off (``1008``).
        """
        if self._closing:
            return
        if not self._outbox:
            transport = self._writable_transport()
            if transport is not None:
                transport.write(text_frame(text) if frame is None else frame)
                self.metrics.message_out(self.role)
                return
        size = len(text.encode())
        tail = self._outbox[-1] if self._outbox else None
        if snapshot and isinstance(tail, _Frame) and tail.snapshot:
            self._outbox_bytes += size - tail.size
            tail.text, tail.size = text, size
        else:
            self._outbox.append(_Frame(text, size, snapshot))
            self._outbox_bytes += size
        if len(self._outbox) > MAX_OUTBOX or self._outbox_bytes > self._max_outbox_bytes:
            self._cut_off()
            return
        self._wakeup.set()

    def _writable_transport(self) -> Transport | None:
        """The socket's transport if a frame may be written to it right now: the WebSocket is
        open, no frame of this connection is being sent (the writer task holds the socket's
        send lock while it sends one) and the transport's buffer is below its high-water mark.
        """
        ws = self.ws
        io = ws.io_proto  # None until the socket is set up (and in unit tests' fake sockets)
        if (
            io is None
            or io.transport is None
            or ws.ws_proto.state is not State.OPEN
            or ws.conn_mutex.locked()
            or not io._can_write.is_set()
            or io.transport.is_closing()
        ):
            return None
        return io.transport

    def _cut_off(self) -> None:
        """Drop everything queued and fail the connection at once (the reader is stuck)."""
        log_event(
            logger,
            logging.WARNING,
            "ws_slow_consumer",
            role=self.role,
            messages=len(self._outbox),
            bytes=self._outbox_bytes,
        )
        self._closing = True
        self._outbox.clear()
        self._outbox_bytes = 0
        self._writer.cancel()
        self.ws.fail_connection(CloseCode.TOO_SLOW, "too slow")

    def send(self, message: Message) -> None:
        self.send_text(dumps(message))

    def error(self, code: str, message: str, request: str | None = None) -> None:
        self.metrics.error(code, "ws")
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
                self._outbox_bytes -= item.size
                await self.ws.send(item.text)
                self.metrics.message_out(self.role)
        except asyncio.CancelledError:
            raise
        except Exception:
            self._closing = True


class Sockets:
    """This process's live connections by member id."""

    def __init__(self) -> None:
        self._connections: dict[str, Connection] = {}
        self._employees: set[str] = set()  # queue changes go to them many times a second

    def get(self, member_id: str) -> Connection | None:
        return self._connections.get(member_id)

    def employees(self) -> list[str]:
        """Ids of the employees connected to this process."""
        return list(self._employees)

    def has_employees(self) -> bool:
        return bool(self._employees)

    def customers(self) -> list[str]:
        """Ids of the customers connected to this process."""
        return [m for m, c in self._connections.items() if c.role == "customer"]

    def all(self) -> list[Connection]:
        return list(self._connections.values())

    def attach(self, member_id: str, conn: Connection) -> None:
        """Make ``conn`` the live socket of ``member_id``; an older one is closed as replaced."""
        old = self._connections.get(member_id)
        if old is not None and old is not conn:
            old.finished = True
            old.close(CloseCode.REPLACED, "replaced")
        conn.member_id = member_id
        self._connections[member_id] = conn
        if conn.role == "employee":
            self._employees.add(member_id)

    def detach(self, conn: Connection) -> bool:
        """Forget ``conn``; return whether it was the member's live socket."""
        if conn.member_id is None:
            return False
        if self._connections.get(conn.member_id) is conn:
            del self._connections[conn.member_id]
            self._employees.discard(conn.member_id)
            return True
        return False

    def deliver(
        self,
        deliveries: list[Delivery],
        *,
        snapshot: bool = False,
        missed: list[Delivery] | None = None,
    ) -> int:
        """Send (or queue) each message on its member's socket here; return the bytes of text.

        A message going to several members is serialised, and framed, once. Messages for
        members without a socket here are skipped, or added to ``missed``.
        """
        cache: dict[int, tuple[str, bytes]] = {}
        sent = 0
        for d in deliveries:
            conn = self._connections.get(d.to)
            if conn is None:
                if missed is not None:
                    missed.append(d)
                continue
            encoded = cache.get(id(d.message))
            if encoded is None:
                text = dumps(d.message)
                encoded = cache[id(d.message)] = (text, text_frame(text))
            conn.send_text(encoded[0], snapshot=snapshot, frame=encoded[1])
            sent += len(encoded[0])
        return sent

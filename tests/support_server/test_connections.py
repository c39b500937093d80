"""Unit tests of a connection's outbox (with a fake socket that can stall)."""

from __future__ import annotations

import asyncio
from typing import Any, cast

from sanic.server.websockets.impl import WebsocketImplProtocol

from support_server._connections import Connection
from support_server._metrics import DeskMetrics


class StallingSocket:
    """Records frames; each send waits until ``release`` is set."""

    io_proto = None
    """No transport: every frame goes through the connection's outbox and ``send``."""

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.closed: tuple[int, str] | None = None
        self.release = asyncio.Event()

    async def send(self, text: str) -> None:
        await self.release.wait()
        self.sent.append(text)

    async def close(self, code: int, reason: str) -> None:
        self.closed = (code, reason)


def connection(ws: StallingSocket) -> Connection:
    return Connection(
        cast(WebsocketImplProtocol, cast(Any, ws)), "employee", rate_per_s=10, metrics=DeskMetrics()
    )


async def test_newer_queue_snapshot_replaces_unsent_one_at_the_tail() -> None:
    """A slow reader gets the latest queue once, and other messages keep their order."""
    ws = StallingSocket()
    conn = connection(ws)
    conn.send_text("a")
    await asyncio.sleep(0)  # the writer takes "a" and stalls on it
    conn.send_text("q1", snapshot=True)
    conn.send_text("q2", snapshot=True)
    conn.send_text("b")
    conn.send_text("q3", snapshot=True)
    conn.close(1000, "bye")
    ws.release.set()
    await conn.drain()
    assert ws.sent == ["a", "q2", "b", "q3"]
    assert ws.closed == (1000, "bye")


async def test_nothing_is_queued_after_close() -> None:
    """Messages after close are dropped; the close frame goes last."""
    ws = StallingSocket()
    ws.release.set()
    conn = connection(ws)
    conn.send_text("a")
    conn.close(4409, "replaced")
    conn.send_text("late")
    await conn.drain()
    assert ws.sent == ["a"]
    assert ws.closed == (4409, "replaced")

"""The interface through which server processes reach each other's sockets.

:class:`~support_server._redis_cluster.RedisCluster` implements it on Redis pub/sub.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from ._outbound import Delivery, Message
from ._state import Dropped

__all__ = ["Cluster"]


class Cluster(Protocol):
    """What the desk needs to reach members connected to other processes."""

    proc_id: str
    tick_s: float
    """How often :meth:`tick` should run."""

    async def start(self, handler: Callable[[dict[str, Any]], Awaitable[None]]) -> None:
        """Listen for messages to this process; ``handler`` gets each one (decoded)."""
        ...

    async def publish(self, deliveries: list[Delivery]) -> None:
        """Send messages to members whose sockets are on other processes."""
        ...

    async def relay(self, member_id: str, message: Message) -> tuple[str, bool]:
        """Send ``message`` to the other member of ``member_id``'s room if that member's
        socket is on another process, in one step; return ``(peer, on this process)``
        (``not_in_room`` if there is no room)."""
        ...

    async def broadcast(self, event: dict[str, Any]) -> None:
        """Tell every other process (``attached``)."""
        ...

    async def tick(self, now: float) -> list[tuple[str, Dropped]]:
        """Heartbeat, and the members of dead processes whose grace period starts now."""
        ...

    async def state_lost(self) -> bool:
        """Whether this process's members' state was lost since the last call: Redis came
        back empty, or this process stalled past its heartbeat and may have been reaped."""
        ...

    async def stop(self) -> None: ...

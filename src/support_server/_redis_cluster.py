"""Server processes sharing one Redis reach each other's sockets through pub/sub.

Like python-socketio's ``AsyncRedisManager``, every process listens on Redis pub/sub and
re-subscribes with back-off after Redis went away. Unlike it, a message for one member is
published only to the channel of the process holding that member's socket (the live state
records the ``holder``; one Lua script looks it up and publishes). A broadcast channel carries
what every process must hear: a member attached somewhere (an older socket of theirs elsewhere
closes as replaced). Queue changes have a channel of their own, which the live state follows
(:class:`~support_server._redis_state.RedisState`). Each process also refreshes a heartbeat
key; any process finding a dead one's heartbeat gone starts the grace periods of its members.
A process that was only stalled past its heartbeat closes its sockets (1001) when it wakes, so
that its members reconnect and resume rather than sit on sockets the cluster thinks are gone.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from ._logging import LOGGER_NAME, log_event
from ._outbound import Delivery, Message, dumps
from ._redis_lua import SCRIPTS
from ._redis_pubsub import subscribe_forever
from ._redis_state import RedisState
from ._state import SIGNAL_NEEDS_ROOM, Dropped, StateUnavailable, refusal

__all__ = ["HEARTBEAT_TTL_S", "RedisCluster"]

logger = logging.getLogger(f"{LOGGER_NAME}.cluster")

HEARTBEAT_S = 1.0
"""How often a process says it is alive; it counts as dead after ``HEARTBEAT_TTL_S``."""
HEARTBEAT_TTL_S = 10.0


class RedisCluster:
    """:class:`Cluster` over Redis pub/sub, for a :class:`RedisState` on the same client."""

    def __init__(self, client: Redis, state: RedisState) -> None:
        self.client = client
        self.state = state
        self.proc_id = state.proc_id
        self.tick_s = HEARTBEAT_S
        self._lapsed = False
        self._own = state.key("proc", self.proc_id)
        self._all = state.key("all")
        self._listener: asyncio.Task[None] | None = None
        self._route = client.register_script(SCRIPTS["route"])
        self._relay = client.register_script(SCRIPTS["relay"])

    async def start(self, handler: Callable[[dict[str, Any]], Awaitable[None]]) -> None:
        async def decoded(data: bytes) -> None:
            await handler(json.loads(data))

        ready = asyncio.Event()
        self._listener = asyncio.get_running_loop().create_task(
            subscribe_forever(self.client, [self._own, self._all], decoded, ready=ready)
        )
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(ready.wait(), timeout=5)
        with contextlib.suppress(StateUnavailable):
            await self.state.heartbeat(HEARTBEAT_TTL_S)
            await self.state.lost_data()

    async def publish(self, deliveries: list[Delivery]) -> None:
        if not deliveries:
            return
        cache: dict[int, str] = {}
        args: list[str] = [self.state.prefix]
        for d in deliveries:
            text = cache.get(id(d.message))
            if text is None:
                text = cache[id(d.message)] = dumps(d.message)
            args.extend((d.to, json.dumps({"to": d.to, "text": text})))
        try:
            await self._route(args=args)
        except RedisError as exc:
            raise StateUnavailable() from exc

    async def relay(self, member_id: str, message: Message) -> tuple[str, bool]:
        try:
            raw = await self._relay(
                args=[self.state.prefix, member_id, self.proc_id, dumps(message)]
            )
        except RedisError as exc:
            raise StateUnavailable() from exc
        result = json.loads(raw)
        if "err" in result:
            raise refusal(result["err"], SIGNAL_NEEDS_ROOM)
        return result["peer"], bool(result["here"])

    async def broadcast(self, event: dict[str, Any]) -> None:
        try:
            await self.client.publish(self._all, json.dumps({**event, "from": self.proc_id}))
        except RedisError as exc:
            raise StateUnavailable() from exc

    async def tick(self, now: float) -> list[tuple[str, Dropped]]:
        if await self.state.heartbeat(HEARTBEAT_TTL_S):
            log_event(logger, logging.WARNING, "heartbeat_lapsed", process=self.proc_id)
            self._lapsed = True
        return await self.state.reap(now)

    async def state_lost(self) -> bool:
        lapsed, self._lapsed = self._lapsed, False
        return await self.state.lost_data() or lapsed

    async def stop(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._listener
        with contextlib.suppress(StateUnavailable):
            await self.state.retire()

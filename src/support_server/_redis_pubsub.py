"""A Redis pub/sub subscription that lives as long as its task: it re-subscribes with back-off
after Redis went away, as python-socketio's ``AsyncRedisManager`` does."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from redis.asyncio import Redis
from redis.exceptions import RedisError

from ._logging import LOGGER_NAME, log_event

__all__ = ["subscribe_forever"]

logger = logging.getLogger(f"{LOGGER_NAME}.cluster")

_RETRY_MAX_S = 2.0


async def subscribe_forever(
    client: Redis,
    channels: list[str],
    handler: Callable[[bytes], Awaitable[None]],
    *,
    ready: asyncio.Event,
    on_subscribed: Callable[[], Awaitable[None]] | None = None,
) -> None:
    """Pass every message on ``channels`` to ``handler``, one at a time, in order, until
    cancelled. ``ready`` is set once subscribed; ``on_subscribed`` runs after each
    (re)subscription, before the messages that follow it are handled."""
    delay = 0.1
    while True:
        pubsub = client.pubsub(ignore_subscribe_messages=True)
        try:
            await pubsub.subscribe(*channels)
            if on_subscribed is not None:
                await on_subscribed()
            ready.set()
            if delay > 0.1:
                log_event(logger, logging.INFO, "redis_pubsub_back")
            delay = 0.1
            while True:
                message = await pubsub.get_message(timeout=1.0)
                if message is None or message.get("type") != "message":
                    continue
                try:
                    await handler(message["data"])
                except (RedisError, OSError):
                    raise
                except Exception:
                    logger.exception("event=pubsub_message_failed")
        except asyncio.CancelledError:
            raise
        except (RedisError, OSError) as exc:
            log_event(logger, logging.WARNING, "redis_pubsub_lost", error=type(exc).__name__)
            await asyncio.sleep(delay)
            delay = min(_RETRY_MAX_S, delay * 2)
        finally:
            with contextlib.suppress(Exception):
                await pubsub.aclose()  # type: ignore[no-untyped-call]

"""A coroutine run every few seconds in the background while the server runs."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from ._logging import LOGGER_NAME

__all__ = ["Periodic"]

logger = logging.getLogger(LOGGER_NAME)


class Periodic:
    """Calls ``job()`` every ``interval_s`` seconds between :meth:`start` and :meth:`close`.

    A job that fails is logged (as ``event=<name>_failed``) and tried again next time.
    """

    def __init__(self, name: str, job: Callable[[], Awaitable[object]], interval_s: float) -> None:
        if interval_s <= 0:
            raise ValueError(f"interval_s must be positive, got {interval_s}")
        self.name = name
        self.interval_s = interval_s
        self._job = job
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run())

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval_s)
            try:
                await self._job()
            except Exception:
                logger.exception("event=%s_failed", self.name)

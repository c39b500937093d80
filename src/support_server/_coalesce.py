"""Coalescing: run a job soon after it is asked for, but at most once per interval.

The desk sends queue changes to employees and queue positions to customers through these, so
that a burst of changes costs one broadcast instead of one per change.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from ._logging import LOGGER_NAME

__all__ = ["Coalescer"]

logger = logging.getLogger(f"{LOGGER_NAME}.desk")


class Coalescer:
    """Runs ``job`` after :meth:`request`: no sooner than ``delay`` after the request, no
    sooner than ``interval`` after the previous run began, and never twice at once. Requests
    made before a run starts share it; a request made during a run gets a run after it."""

    def __init__(
        self, job: Callable[[], Awaitable[None]], *, name: str, interval: float, delay: float = 0
    ) -> None:
        if interval < 0 or delay < 0:
            raise ValueError(f"{name}: interval and delay must not be negative")
        self.interval = interval
        """Seconds between the starts of two runs; the job may change it."""
        self._job = job
        self._name = name
        self._delay = delay
        self._handle: asyncio.TimerHandle | None = None
        self._task: asyncio.Task[None] | None = None
        self._requested = False
        self._last_start = -float("inf")

    def request(self) -> None:
        """Ask for a run (one is scheduled unless one is already due or running)."""
        self._requested = True
        if self._handle is None and (self._task is None or self._task.done()):
            self._arm()

    def cancel(self) -> None:
        """Stop: drop a scheduled run and cancel a running one."""
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
        if self._task is not None and not self._task.done():
            self._task.cancel()

    def _arm(self) -> None:
        loop = asyncio.get_running_loop()
        wait = max(self._delay, self._last_start + self.interval - loop.time())
        self._handle = loop.call_later(wait, self._start)

    def _start(self) -> None:
        self._handle = None
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        self._requested = False
        self._last_start = asyncio.get_running_loop().time()
        try:
            await self._job()
        except Exception:
            logger.exception("event=%s_failed", self._name)
        if self._requested:
            self._arm()

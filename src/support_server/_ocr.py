"""The OCR worker pool: PAN reading in separate processes, never on the event loop.

Each worker process builds one reader with a picklable ``reader_factory`` (module-level
function), warms it up in the pool initializer, then serves jobs. The pool admits at most
``ocr_workers + ocr_queue`` jobs at once; past that :class:`OcrBusyError` (HTTP 503).
Results cross the process boundary as plain tuples, because some panread exceptions take
keyword arguments and would not unpickle. With each result comes the preview the server keeps
of the image (see :mod:`._preview`).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import multiprocessing
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from ._logging import LOGGER_NAME, log_event
from ._preview import make_preview

__all__ = [
    "CardReader",
    "OcrBusyError",
    "OcrFailedError",
    "OcrPool",
    "OcrResult",
    "ReaderFactory",
    "default_reader_factory",
]

logger = logging.getLogger(f"{LOGGER_NAME}.ocr")


class CardLike(Protocol):
    def to_dict(self) -> dict[str, Any]: ...


class CardReader(Protocol):
    """What a worker needs from a reader: ``panread.PanReader`` fits."""

    def warm_up(self) -> None: ...

    def read(self, source: bytes) -> CardLike: ...


ReaderFactory = Callable[[int, int, int], CardReader]
"""``factory(max_bytes, max_pixels, threads) -> reader``; must be a picklable module-level
function because it is sent to spawned worker processes."""


def default_reader_factory(max_bytes: int, max_pixels: int, threads: int) -> CardReader:
    """Build the real EasyOCR-backed ``panread.PanReader`` with the server's limits."""
    from panread import PanReader, ReadLimits

    reader: CardReader = PanReader(
        limits=ReadLimits(max_bytes=max_bytes, max_pixels=max_pixels), threads=threads
    )
    return reader


class OcrBusyError(Exception):
    """Too many OCR jobs are pending; retry after ``retry_after`` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"OCR queue full, retry after {retry_after}s")
        self.retry_after = retry_after


class OcrFailedError(Exception):
    """The reader refused the image; ``code`` is the panread error code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


# One reader per worker process. This module-level slot lives only in the spawned worker
# processes (the pool initializer fills it); ProcessPoolExecutor offers no other place to keep
# per-process state between jobs.
_WORKER_READER: list[CardReader] = []


WORKER_NICENESS = 10
"""OCR workers run at a lower CPU priority, so the event loop (signaling) stays responsive
while the model reads cards on the same cores."""


def _init_worker(factory: ReaderFactory, max_bytes: int, max_pixels: int, threads: int) -> None:
    with contextlib.suppress(OSError, AttributeError):
        os.nice(WORKER_NICENESS)
    os.environ.setdefault("OMP_NUM_THREADS", str(threads))
    reader = factory(max_bytes, max_pixels, threads)
    torch = sys.modules.get("torch")
    if torch is not None:  # only if the reader uses it: importing torch takes seconds
        torch.set_num_threads(threads)
    reader.warm_up()
    _WORKER_READER.append(reader)


def _read_job(data: bytes) -> tuple[str, Any, Any]:
    """Run in a worker: ``("ok", card_dict, preview)`` or ``("error", code, message)``."""
    from panread import PanReadError

    try:
        card = _WORKER_READER[0].read(data)
    except PanReadError as exc:
        return ("error", exc.code, exc.message)
    return ("ok", card.to_dict(), make_preview(data))


def _ready_job() -> int:
    """Run in a worker: returns once the worker's reader is built and warm."""
    return os.getpid()


@dataclass(frozen=True, slots=True)
class OcrResult:
    """A card read in a worker, and the upright JPEG preview of its image (None if none)."""

    card: dict[str, Any]
    preview: bytes | None


@dataclass(frozen=True, slots=True)
class OcrConfig:
    workers: int
    queue: int
    threads: int
    max_bytes: int
    max_pixels: int


class OcrPool:
    """A bounded pool of OCR worker processes (spawn context)."""

    def __init__(self, config: OcrConfig, factory: ReaderFactory) -> None:
        self._config = config
        self._factory = factory
        self._executor: concurrent.futures.ProcessPoolExecutor | None = None
        self._pending = 0
        self._ready = asyncio.Event()
        self._failed: str | None = None
        self._warm_task: asyncio.Task[None] | None = None
        self._durations: list[float] = []

    @property
    def ready(self) -> bool:
        """Whether the workers are loaded and warmed."""
        return self._ready.is_set()

    @property
    def failure(self) -> str | None:
        """Why the workers could not start, if they could not."""
        return self._failed

    @property
    def capacity(self) -> int:
        return self._config.workers + self._config.queue

    @property
    def pending(self) -> int:
        return self._pending

    def start(self) -> None:
        """Create the processes and warm them up in the background (see :attr:`ready`)."""
        ctx = multiprocessing.get_context("spawn")
        self._executor = concurrent.futures.ProcessPoolExecutor(
            max_workers=self._config.workers,
            mp_context=ctx,
            initializer=_init_worker,
            initargs=(
                self._factory,
                self._config.max_bytes,
                self._config.max_pixels,
                self._config.threads,
            ),
        )
        self._warm_task = asyncio.get_running_loop().create_task(self._warm())

    async def _warm(self) -> None:
        loop = asyncio.get_running_loop()
        executor = self._executor
        if executor is None:
            return
        try:
            pids = await asyncio.gather(
                *(loop.run_in_executor(executor, _ready_job) for _ in range(self._config.workers))
            )
        except Exception as exc:
            self._failed = f"{type(exc).__name__}: {exc}"
            log_event(logger, logging.ERROR, "ocr_workers_failed", error=self._failed)
            return
        log_event(logger, logging.INFO, "ocr_workers_ready", workers=len(set(pids)))
        self._ready.set()

    async def wait_ready(self) -> None:
        await self._ready.wait()

    def retry_after(self) -> int:
        """A fair ``Retry-After`` in seconds for a refused job."""
        typical = 3.0
        if self._durations:
            typical = sum(self._durations) / len(self._durations)
        waves = max(1, self._pending // max(1, self._config.workers))
        return max(1, round(typical * waves))

    async def read(self, data: bytes) -> OcrResult:
        """Read a card in a worker; raise :class:`OcrBusyError` or :class:`OcrFailedError`."""
        executor = self._executor
        if executor is None:
            raise OcrFailedError("ocr_unavailable", "The OCR workers are not running.")
        if self._pending >= self.capacity:
            raise OcrBusyError(self.retry_after())
        self._pending += 1
        loop = asyncio.get_running_loop()
        started = loop.time()
        try:
            status, value, extra = await loop.run_in_executor(executor, _read_job, data)
        except concurrent.futures.process.BrokenProcessPool:
            if self._executor is executor:  # the first of the failed jobs replaces the pool
                self._restart()
            raise OcrFailedError(
                "ocr_unavailable", "The OCR worker crashed; please try again."
            ) from None
        finally:
            self._pending -= 1
        self._durations = [*self._durations[-19:], loop.time() - started]
        if status == "error":
            raise OcrFailedError(str(value), str(extra))
        if not isinstance(value, dict):
            raise OcrFailedError("ocr_unavailable", "The OCR worker returned no result.")
        return OcrResult(value, extra if isinstance(extra, bytes) else None)

    def _restart(self) -> None:
        log_event(logger, logging.ERROR, "ocr_pool_broken")
        old = self._executor
        self._ready.clear()
        if old is not None:
            old.shutdown(wait=False, cancel_futures=True)
        self.start()

    async def close(self) -> None:
        """Stop the worker processes."""
        if self._warm_task is not None and not self._warm_task.done():
            self._warm_task.cancel()
        executor, self._executor = self._executor, None
        if executor is None:
            return
        # ProcessPoolExecutor cannot stop a worker that is still loading its model (3.11 has no
        # terminate_workers()), so stop the processes directly instead of waiting for them.
        processes = list(getattr(executor, "_processes", {}).values())
        executor.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            with contextlib.suppress(Exception):
                process.terminate()
        await asyncio.get_running_loop().run_in_executor(None, _join_all, processes)


def _join_all(processes: list[Any]) -> None:
    for process in processes:
        with contextlib.suppress(Exception):
            process.join(timeout=5)

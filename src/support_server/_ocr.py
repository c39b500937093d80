"""The OCR worker pool: PAN reading in separate processes, never on the event loop.

Each worker is a spawned process running :func:`._ocr_worker.worker_main` behind a pipe; it
builds one reader with a picklable ``reader_factory`` and warms it up before it takes jobs.
The pool admits at most ``workers + queue`` jobs at once (past that :class:`OcrBusyError`,
HTTP 503 ``busy``). Every job has a deadline: a worker still busy after ``timeout_s`` is
killed and replaced, the job gets :class:`OcrTimeoutError` (HTTP 503 ``ocr_timeout``) and
the other workers' jobs go on. A worker that dies, busy or idle, is replaced as well. The
pool's :meth:`OcrPool.health` says whether any worker can take a job, and if not, why.

Waiting on a worker's pipe happens in a small thread pool owned by the pool (one thread per
worker at most), so a slow or stuck worker never blocks the event loop.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import multiprocessing
import multiprocessing.connection
from dataclasses import dataclass
from enum import Enum
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from ._logging import LOGGER_NAME, log_event
from ._ocr_worker import CardReader, ReaderFactory, worker_main

__all__ = [
    "CardReader",
    "OcrBusyError",
    "OcrConfig",
    "OcrFailedError",
    "OcrHealth",
    "OcrPool",
    "OcrResult",
    "OcrTimeoutError",
    "ReaderFactory",
    "default_reader_factory",
]

logger = logging.getLogger(f"{LOGGER_NAME}.ocr")


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
    """The reader refused the image, or no worker could read it; ``code`` names why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class OcrTimeoutError(OcrFailedError):
    """The job ran past the deadline; its worker was killed and is being replaced."""

    def __init__(self, timeout_s: float) -> None:
        super().__init__(
            "ocr_timeout",
            f"Reading this image took longer than {timeout_s:g} seconds, so it was stopped. "
            "Try again with a clearer, smaller photo of the card.",
        )
        self.timeout_s = timeout_s


@dataclass(frozen=True, slots=True)
class OcrResult:
    """A card read in a worker: its fields, the card cut out as read (a JPEG) and the upright
    JPEG preview of the whole picture (None if none could be made)."""

    card: dict[str, Any]
    crop: bytes | None
    preview: bytes | None


@dataclass(frozen=True, slots=True)
class OcrConfig:
    workers: int
    queue: int
    threads: int
    max_bytes: int
    max_pixels: int
    timeout_s: float


@dataclass(frozen=True, slots=True)
class OcrHealth:
    """Whether a job can be read now; ``reason`` says why not; ``workers`` counts states."""

    ready: bool
    status: str
    reason: str | None
    workers: dict[str, int]


class _State(Enum):
    STARTING = "starting"
    IDLE = "idle"
    BUSY = "busy"
    DEAD = "dead"


class _Worker:
    """One worker process, the pool's end of its pipe, and what it is doing."""

    def __init__(self, process: BaseProcess, conn: Connection) -> None:
        self.process = process
        self.conn = conn
        self.state = _State.STARTING

    @property
    def pid(self) -> int | None:
        return self.process.pid


def _await_ready(conn: Connection) -> tuple[str, Any]:
    """Block until the worker reports ``ready``/``failed``; ``("died", None)`` if it exits."""
    try:
        message: tuple[str, Any] = conn.recv()
    except (EOFError, OSError):
        return ("died", None)
    return message


def _exchange(conn: Connection, data: bytes, timeout_s: float) -> tuple[str, Any, Any]:
    """Send one job and wait for its answer; ``("timeout", ..)`` or ``("died", ..)`` if none."""
    try:
        conn.send_bytes(data)
        if not conn.poll(timeout_s):
            return ("timeout", None, None)
        answer: tuple[str, Any, Any] = conn.recv()
    except (EOFError, OSError):
        return ("died", None, None)
    return answer


class OcrPool:
    """A bounded pool of OCR worker processes (spawn context) with per-job deadlines."""

    def __init__(self, config: OcrConfig, factory: ReaderFactory) -> None:
        self._config = config
        self._factory = factory
        self._context = multiprocessing.get_context("spawn")
        self._threads = concurrent.futures.ThreadPoolExecutor(
            max_workers=2 * config.workers, thread_name_prefix="ocr-pipe"
        )
        self._workers: list[_Worker] = []
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._tasks: set[asyncio.Task[Any]] = set()
        self._pending = 0
        self._failed: str | None = None
        self._last_loss: str | None = None
        self._closing = False
        self._durations: list[float] = []

    # ------------------------------------------------------------- state

    @property
    def capacity(self) -> int:
        return self._config.workers + self._config.queue

    @property
    def pending(self) -> int:
        return self._pending

    @property
    def worker_pids(self) -> list[int]:
        """The process ids of the live workers (for operators and tests)."""
        return [w.pid for w in self._workers if w.pid is not None and w.state is not _State.DEAD]

    def health(self) -> OcrHealth:
        """Ready while a worker is idle or busy within its deadline; else why not."""
        counts = {state.value: 0 for state in _State if state is not _State.DEAD}
        for worker in self._workers:
            if worker.state is not _State.DEAD:
                counts[worker.state.value] += 1
        if counts["idle"] or counts["busy"]:
            return OcrHealth(True, "ready", None, counts)
        if self._failed is not None:
            return OcrHealth(False, "failed", self._failed, counts)
        if self._last_loss is not None:
            return OcrHealth(False, "restarting", self._last_loss, counts)
        return OcrHealth(False, "starting", None, counts)

    # ------------------------------------------------------------- lifecycle

    def start(self) -> None:
        """Start the worker processes; they warm up in the background (see :meth:`health`)."""
        for _ in range(self._config.workers):
            self._spawn()

    def _spawn(self) -> None:
        ours, theirs = self._context.Pipe(duplex=True)
        config = self._config
        process = self._context.Process(
            target=worker_main,
            args=(theirs, self._factory, config.max_bytes, config.max_pixels, config.threads),
            name="ocr-worker",
            daemon=True,
        )
        process.start()
        theirs.close()
        worker = _Worker(process, ours)
        self._workers.append(worker)
        asyncio.get_running_loop().add_reader(process.sentinel, self._on_exit, worker)
        self._track(self._warm(worker))

    def _track(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _warm(self, worker: _Worker) -> None:
        loop = asyncio.get_running_loop()
        kind, detail = await loop.run_in_executor(self._threads, _await_ready, worker.conn)
        if self._closing:
            return
        if kind == "ready" and worker.state is _State.STARTING:
            worker.state = _State.IDLE
            self._idle.put_nowait(worker)
            log_event(logger, logging.INFO, "ocr_worker_ready", pid=worker.pid)
            return
        if kind == "failed":
            self._failed = str(detail)
        else:
            self._failed = "an OCR worker exited while loading its reader"
        log_event(logger, logging.ERROR, "ocr_workers_failed", error=self._failed)
        self._kill(worker)
        worker.conn.close()

    def _on_exit(self, worker: _Worker) -> None:
        """A worker process ended (killed, crashed or finished): forget it, maybe replace it."""
        loop = asyncio.get_running_loop()
        loop.remove_reader(worker.process.sentinel)
        was = worker.state
        worker.state = _State.DEAD
        worker.process.join(timeout=0)
        if was is _State.IDLE:  # otherwise a thread still waits on the pipe and closes it
            worker.conn.close()
        self._workers.remove(worker)
        if self._closing or was is _State.STARTING:
            return  # a worker that never got ready is a start failure (_warm reports it)
        if was is not _State.DEAD:  # not killed by us past a deadline: it crashed or was killed
            exitcode = worker.process.exitcode
            log_event(logger, logging.ERROR, "ocr_worker_exited", pid=worker.pid, code=exitcode)
            self._last_loss = f"an OCR worker exited (exit code {exitcode}) and is being replaced"
        self._spawn()

    def _kill(self, worker: _Worker) -> None:
        with contextlib.suppress(Exception):
            worker.process.kill()

    async def close(self) -> None:
        """Stop the worker processes (even ones still loading their model)."""
        self._closing = True
        loop = asyncio.get_running_loop()
        for task in list(self._tasks):
            task.cancel()
        workers, self._workers = list(self._workers), []
        for worker in workers:
            loop.remove_reader(worker.process.sentinel)
            self._kill(worker)
        await loop.run_in_executor(None, _join_all, workers)
        self._threads.shutdown(wait=False, cancel_futures=True)

    # ------------------------------------------------------------- jobs

    def retry_after(self) -> int:
        """A fair ``Retry-After`` in seconds for a refused job."""
        typical = 3.0
        if self._durations:
            typical = sum(self._durations) / len(self._durations)
        waves = max(1, self._pending // max(1, self._config.workers))
        return max(1, round(typical * waves))

    async def read(self, data: bytes) -> OcrResult:
        """Read a card in a worker.

        Raises :class:`OcrBusyError` when the pool is full, :class:`OcrTimeoutError` past the
        deadline, :class:`OcrFailedError` when the reader refuses the image or no worker can.
        """
        if self._failed is not None and not self._idle.qsize():
            raise OcrFailedError("ocr_unavailable", "The OCR workers are not running.")
        if self._pending >= self.capacity:
            raise OcrBusyError(self.retry_after())
        self._pending += 1
        try:
            worker = await self._next_idle()
            # The job owns the worker until it answers or is killed, even if the request is
            # cancelled (client gone): shield it so the worker is always returned or replaced.
            job = asyncio.get_running_loop().create_task(self._run(worker, data))
            job.add_done_callback(_retrieve)
            status, value, extra = await asyncio.shield(job)
        finally:
            self._pending -= 1
        if status == "error":
            raise OcrFailedError(str(value), str(extra))
        if status != "ok" or not isinstance(value, dict):
            raise OcrFailedError("ocr_unavailable", "The OCR worker returned no result.")
        crop, preview = extra if isinstance(extra, tuple) and len(extra) == 2 else (None, None)
        return OcrResult(
            value,
            crop if isinstance(crop, bytes) else None,
            preview if isinstance(preview, bytes) else None,
        )

    async def _next_idle(self) -> _Worker:
        """The next idle worker (skipping any that died while idle), waiting up to the deadline."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._config.timeout_s
        while True:
            try:
                worker = await asyncio.wait_for(self._idle.get(), deadline - loop.time())
            except TimeoutError:
                raise OcrBusyError(self.retry_after()) from None
            if worker.state is _State.IDLE:
                return worker

    async def _run(self, worker: _Worker, data: bytes) -> tuple[str, Any, Any]:
        loop = asyncio.get_running_loop()
        timeout = self._config.timeout_s
        worker.state = _State.BUSY
        started = loop.time()
        answer = await loop.run_in_executor(self._threads, _exchange, worker.conn, data, timeout)
        status = answer[0]
        if status == "timeout":
            log_event(logger, logging.ERROR, "ocr_timeout", pid=worker.pid, timeout_s=timeout)
            self._last_loss = (
                f"an OCR job ran past its {timeout:g} s deadline; its worker was killed "
                "and is being replaced"
            )
            worker.state = _State.DEAD
            self._kill(worker)
            worker.conn.close()
            raise OcrTimeoutError(timeout)
        if status == "died":
            worker.conn.close()
            raise OcrFailedError("ocr_unavailable", "The OCR worker crashed; please try again.")
        self._durations = [*self._durations[-19:], loop.time() - started]
        if worker.state is _State.BUSY:
            worker.state = _State.IDLE
            self._idle.put_nowait(worker)
        return answer


def _retrieve(task: asyncio.Task[Any]) -> None:
    """Mark a shielded job's outcome as seen (its request may be gone)."""
    if not task.cancelled():
        task.exception()


def _join_all(workers: list[_Worker]) -> None:
    for worker in workers:
        with contextlib.suppress(Exception):
            worker.process.join(timeout=5)
        with contextlib.suppress(Exception):
            worker.conn.close()

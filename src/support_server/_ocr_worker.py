"""What runs inside one OCR worker process: build a reader, then answer jobs over a pipe.

The pool (:mod:`._ocr`) starts :func:`worker_main` in a spawned process with one end of a
pipe. The worker first makes sure it never outlives the server (:func:`die_with_parent`),
builds and warms its reader, says ``("ready", pid)`` (or ``("failed", why)``), then answers
each image with ``("ok", card_dict, (crop, preview))`` or ``("error", code, message)``. Results are
plain tuples because some panread exceptions take keyword arguments and would not unpickle.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, Protocol

from ._preview import make_preview

__all__ = ["CardReader", "ReaderFactory", "die_with_parent", "worker_main"]


class CardLike(Protocol):
    def to_dict(self) -> dict[str, Any]: ...


class CardImageLike(Protocol):
    def to_jpeg(self) -> bytes: ...


class ExtractionLike(Protocol):
    @property
    def card(self) -> CardLike: ...

    @property
    def image(self) -> CardImageLike: ...


class CardReader(Protocol):
    """What a worker needs from a reader: ``panread.PanReader`` fits."""

    def warm_up(self) -> None: ...

    def extract(self, source: bytes) -> ExtractionLike: ...


ReaderFactory = Callable[[int, int, int], CardReader]
"""``factory(max_bytes, max_pixels, threads) -> reader``; must be a picklable module-level
function because it is sent to spawned worker processes."""

WORKER_NICENESS = 10
"""OCR workers run at a lower CPU priority, so the event loop (signaling) stays responsive
while the model reads cards on the same cores."""

_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """End this process as soon as its parent (the server) is gone, even after a SIGKILL.

    On Linux the kernel sends SIGKILL when the parent dies (``prctl(PR_SET_PDEATHSIG)``),
    which works even while a job holds the interpreter lock in native code. Everywhere, a
    daemon thread also waits on the parent's sentinel and exits the process when it fires.
    """
    parent = multiprocessing.parent_process()
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if parent is None:
        return
    sentinel = parent.sentinel

    def watch() -> None:
        multiprocessing.connection.wait([sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def worker_main(
    conn: Connection, factory: ReaderFactory, max_bytes: int, max_pixels: int, threads: int
) -> None:
    """The worker process: build the reader, report readiness, then serve jobs until EOF."""
    die_with_parent()
    with contextlib.suppress(OSError, AttributeError):
        os.nice(WORKER_NICENESS)
    os.environ.setdefault("OMP_NUM_THREADS", str(threads))
    try:
        reader = factory(max_bytes, max_pixels, threads)
        torch = sys.modules.get("torch")
        if torch is not None:  # only if the reader uses it: importing torch takes seconds
            torch.set_num_threads(threads)
        reader.warm_up()
    except Exception as exc:
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", os.getpid()))
    while True:
        try:
            data = conn.recv_bytes()
        except (EOFError, OSError):
            return
        conn.send(read_job(reader, data))


def read_job(reader: CardReader, data: bytes) -> tuple[str, Any, Any]:
    """``("ok", card_dict, (crop, preview))`` or ``("error", code, message)`` for one image.

    ``crop`` is the card as read (flat, upright, a JPEG without metadata), ``preview`` the
    whole picture turned upright and shrunk (None if it cannot be decoded).
    """
    from panread import PanReadError

    try:
        extraction = reader.extract(data)
    except PanReadError as exc:
        return ("error", exc.code, exc.message)
    crop = extraction.image.to_jpeg()
    return ("ok", extraction.card.to_dict(), (crop, make_preview(data)))

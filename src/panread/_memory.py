"""Give large buffers back to the system when they are freed.

CRAFT's feature maps and the recogniser's batches are megabytes each and change size with every
picture. glibc's malloc raises its mmap threshold as such blocks are freed, after which they
come from the heap, which fragments and is never returned: in one process reading the 41 real
cards, peak RSS climbed card by card to 2.9 GB, though no card alone needs 2 GB. A fixed
threshold keeps every block of a megabyte or more mapped on its own and unmapped when freed
(peak 1.6 GB over the same cards).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging

__all__ = ["MMAP_THRESHOLD", "map_large_buffers"]

log = logging.getLogger("panread")

MMAP_THRESHOLD = 1 << 20
"""Blocks of at least this many bytes are mapped on their own (glibc's M_MMAP_THRESHOLD)."""
_M_MMAP_THRESHOLD = -3
"""glibc's mallopt() parameter number for the mmap threshold (malloc.h)."""


def map_large_buffers() -> bool:
    """Fix glibc's mmap threshold at :data:`MMAP_THRESHOLD` for this process.

    Returns whether it was set: False where the C library is not glibc (musl, macOS,
    Windows), where nothing needs doing or nothing can be done.
    """
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    done = bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD))
    if not done:
        log.warning("panread could not set the mmap threshold: peak memory may grow")
    return done

"""Large buffers go back to the system when freed, however big blocks came and went before."""

from __future__ import annotations

import platform
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's malloc only")

# Frees one mapped 4 MiB block (glibc then raises its mmap threshold to that size), then
# allocates 64 blocks of 2 MiB with small ones between them, frees the large ones and prints
# how many MiB more the process still holds than at the start.
_FRAGMENT = """
import sys
if sys.argv[1] == "map":
    from panread._memory import map_large_buffers
    assert map_large_buffers()
import numpy as np

def resident() -> int:
    return int(open("/proc/self/statm").read().split()[1]) * 4096 // (1 << 20)

start = resident()
first = np.ones(4 << 20, np.uint8)
del first
large, small = [], []
for _ in range(64):
    large.append(np.ones(2 << 20, np.uint8))
    small.append(bytearray(32768))
del large
print(resident() - start)
"""


def _held_after_freeing(mode: str) -> int:
    out = subprocess.run(
        [sys.executable, "-c", _FRAGMENT, mode], check=True, capture_output=True, text=True
    )
    return int(out.stdout)


def test_freed_large_buffers_are_returned_instead_of_fragmenting_the_heap() -> None:
    """128 MiB of freed 2 MiB blocks pinned by small ones: kept by default, returned once set."""
    default, mapped = _held_after_freeing("default"), _held_after_freeing("map")
    assert mapped < 16
    assert mapped * 4 < default

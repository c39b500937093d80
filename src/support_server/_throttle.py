"""Login throttling: exponential back-off per (username, client address)."""

from __future__ import annotations

import math
from collections import OrderedDict
from dataclasses import dataclass

__all__ = ["LoginThrottle"]


@dataclass(slots=True)
class _Entry:
    failures: int
    locked_until: float


class LoginThrottle:
    """After ``max_failures`` failed logins, each further failure doubles a lock-out.

    Lock-out after failure ``n`` (> max_failures-1) is ``base_s * 2**(n - max_failures)``
    seconds, capped at ``cap_s``. A success clears the key. Time is passed in.
    """

    def __init__(
        self,
        *,
        max_failures: int = 3,
        base_s: float = 1.0,
        cap_s: float = 300.0,
        max_keys: int = 10_000,
    ) -> None:
        self._max_failures = max_failures
        self._base_s = base_s
        self._cap_s = cap_s
        self._max_keys = max_keys
        self._entries: OrderedDict[str, _Entry] = OrderedDict()

    @staticmethod
    def key(username: str, address: str) -> str:
        return f"{username.casefold()}|{address}"

    def retry_after(self, key: str, now: float) -> int:
        """Seconds until ``key`` may try again (0 = now)."""
        entry = self._entries.get(key)
        if entry is None or entry.locked_until <= now:
            return 0
        return max(1, math.ceil(entry.locked_until - now))

    def failure(self, key: str, now: float) -> None:
        entry = self._entries.pop(key, None) or _Entry(0, 0.0)
        entry.failures += 1
        if entry.failures >= self._max_failures:
            delay = self._base_s * 2 ** (entry.failures - self._max_failures)
            entry.locked_until = now + min(self._cap_s, delay)
        self._entries[key] = entry
        while len(self._entries) > self._max_keys:
            self._entries.popitem(last=False)

    def success(self, key: str) -> None:
        self._entries.pop(key, None)

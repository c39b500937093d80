"""Token buckets: per WebSocket connection, and keyed (per uploader)."""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Protocol

__all__ = ["KeyedLimiter", "KeyedRateLimiter", "TokenBucket"]


class KeyedLimiter(Protocol):
    """A rate limit per key (e.g. per uploader), in memory or shared through Redis."""

    async def check(self, key: str) -> tuple[bool, float]:
        """Count one event of ``key``; return ``(allowed, retry_after_seconds)``."""
        ...


@dataclass(slots=True)
class TokenBucket:
    """Allows ``rate`` events per second on average with bursts up to ``burst``.

    Time is passed in (``now``, seconds), so the bucket is pure and testable.
    """

    rate: float
    burst: float
    tokens: float = field(default=-1.0)
    updated: float | None = None

    def __post_init__(self) -> None:
        if self.rate <= 0 or self.burst < 1:
            raise ValueError(f"need rate > 0 and burst >= 1, got {self.rate}, {self.burst}")
        if self.tokens < 0:
            self.tokens = self.burst

    def allow(self, now: float) -> bool:
        """Take one token if available; return whether the event is allowed."""
        if self.updated is not None:
            self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False

    def retry_after(self) -> float:
        """Seconds until the next token."""
        return max(0.0, (1.0 - self.tokens) / self.rate)


class KeyedRateLimiter:
    """One :class:`TokenBucket` per key, keeping at most ``max_keys`` (least recent dropped)."""

    def __init__(self, *, rate: float, burst: float, max_keys: int = 10_000) -> None:
        self._rate = rate
        self._burst = burst
        self._max_keys = max_keys
        self._buckets: OrderedDict[str, TokenBucket] = OrderedDict()

    async def check(self, key: str) -> tuple[bool, float]:
        return self.allow(key, time.monotonic())

    def allow(self, key: str, now: float) -> tuple[bool, float]:
        """Return ``(allowed, retry_after_seconds)`` for one event of ``key``."""
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = TokenBucket(self._rate, self._burst)
            self._buckets[key] = bucket
            if len(self._buckets) > self._max_keys:
                self._buckets.popitem(last=False)
        else:
            self._buckets.move_to_end(key)
        ok = bucket.allow(now)
        return ok, 0.0 if ok else bucket.retry_after()

"""How much of the customer desk one client address may take: open sockets and new joins.

Customers need no login, so the client address (through trusted proxies only, see
:mod:`support_server._proxy`) is what one client is counted by. The counts live in this
process: with several processes behind a load balancer each one holds its own budget.
"""

from __future__ import annotations

from collections import Counter

from ._ratelimit import KeyedRateLimiter

__all__ = ["AddressLimits"]


class AddressLimits:
    """Open customer sockets per address (at most ``max_sockets``) and joins per address
    (``joins_per_min`` a minute, in bursts of as many)."""

    def __init__(self, *, max_sockets: int, joins_per_min: int) -> None:
        if max_sockets < 1 or joins_per_min < 1:
            raise ValueError(
                f"need max_sockets >= 1 and joins_per_min >= 1, got {max_sockets}, {joins_per_min}"
            )
        self.max_sockets = max_sockets
        self._open: Counter[str] = Counter()
        self._joins = KeyedRateLimiter(rate=joins_per_min / 60.0, burst=joins_per_min)

    def open_socket(self, address: str) -> bool:
        """Count a new socket of ``address``; ``False`` (and not counted) past the cap."""
        if self._open[address] >= self.max_sockets:
            return False
        self._open[address] += 1
        return True

    def close_socket(self, address: str) -> None:
        """A socket counted by :meth:`open_socket` has ended."""
        self._open[address] -= 1
        if self._open[address] <= 0:
            del self._open[address]

    def allow_join(self, address: str, now: float) -> tuple[bool, float]:
        """Return ``(allowed, retry_after_seconds)`` for one ``join`` from ``address``."""
        return self._joins.allow(address, now)

"""How much of the customer desk one client address may take: open sockets and new joins.

Customers need no login, so the client address (through trusted proxies only, see
:mod:`support_server._proxy`) is what one client is counted by. :class:`AddressLimits` is the
interface; :class:`MemoryAddressLimits` counts in this process (the embedded desk), and
:class:`~support_server._redis_limits.RedisAddressLimits` counts across a cluster, so that a
client cannot multiply its budget by spreading its sockets over several processes.
"""

from __future__ import annotations

from collections import Counter
from typing import Protocol

from ._ratelimit import KeyedRateLimiter

__all__ = ["AddressLimits", "MemoryAddressLimits"]


class AddressLimits(Protocol):
    """Open customer sockets per address (at most ``max_sockets``) and joins per address."""

    max_sockets: int

    async def open_socket(self, address: str) -> bool:
        """Count a new socket of ``address``; ``False`` (and not counted) past the cap."""
        ...

    async def close_socket(self, address: str) -> None:
        """A socket counted by :meth:`open_socket` has ended."""
        ...

    async def allow_join(self, address: str) -> tuple[bool, float]:
        """Count one ``join`` from ``address``; return ``(allowed, retry_after_seconds)``."""
        ...


class MemoryAddressLimits:
    """:class:`AddressLimits` of one process: ``joins_per_min`` joins a minute, in bursts of as
    many."""

    def __init__(self, *, max_sockets: int, joins_per_min: int) -> None:
        if max_sockets < 1 or joins_per_min < 1:
            raise ValueError(
                f"need max_sockets >= 1 and joins_per_min >= 1, got {max_sockets}, {joins_per_min}"
            )
        self.max_sockets = max_sockets
        self._open: Counter[str] = Counter()
        self._joins = KeyedRateLimiter(rate=joins_per_min / 60.0, burst=joins_per_min)

    async def open_socket(self, address: str) -> bool:
        if self._open[address] >= self.max_sockets:
            return False
        self._open[address] += 1
        return True

    async def close_socket(self, address: str) -> None:
        self._open[address] -= 1
        if self._open[address] <= 0:
            del self._open[address]

    async def allow_join(self, address: str) -> tuple[bool, float]:
        return await self._joins.check(address)

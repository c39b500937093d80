"""Login back-off: per account and client address, with a per-account backstop.

The login handler asks :meth:`LoginThrottle.attempt` *before* it checks the password and
the attempt is counted at once, so concurrent guesses cannot all slip in while the slow hash
runs. A right password then calls :meth:`LoginThrottle.succeeded`, which takes the attempt
back. Two counters back off independently:

- ``account|address``: after ``max_failures`` attempts each further one doubles a lock-out
  (``base_s``, ``2 * base_s``, ... at most ``cap_s``). It locks out one guesser, not the
  employee typing from elsewhere.
- ``account`` (every address together): the same rule after ``account_max_failures``, a
  backstop against guessing spread over many addresses.

Counters forget after ``window_s`` without attempts. :class:`LoginThrottle` is the interface
(async, so that a Redis-backed implementation shared by several processes can replace
:class:`MemoryLoginThrottle` without touching the login flow).
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

__all__ = ["LoginThrottle", "MemoryLoginThrottle"]


class LoginThrottle(Protocol):
    """Counts login attempts atomically and says how long a caller must wait."""

    async def attempt(self, username: str, address: str) -> int:
        """Count one attempt; return 0 to go ahead, else the seconds to wait (not counted)."""
        ...

    async def succeeded(self, username: str, address: str) -> None:
        """The attempt was right: clear the pair's failures and take it off the account's."""
        ...


@dataclass(slots=True)
class _Counter:
    attempts: int
    locked_until: float
    last: float


class MemoryLoginThrottle:
    """:class:`LoginThrottle` in this process's memory (one server process)."""

    def __init__(
        self,
        *,
        max_failures: int = 3,
        account_max_failures: int = 50,
        base_s: float = 1.0,
        cap_s: float = 300.0,
        window_s: float = 900.0,
        max_keys: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._limits = {"pair": max_failures, "account": account_max_failures}
        self._base_s = base_s
        self._cap_s = cap_s
        self._window_s = window_s
        self._max_keys = max_keys
        self._clock = clock
        self._counters: OrderedDict[str, _Counter] = OrderedDict()

    @staticmethod
    def _keys(username: str, address: str) -> dict[str, str]:
        account = username.casefold()
        return {"pair": f"pair|{account}|{address}", "account": f"account|{account}"}

    def _counter(self, key: str, now: float) -> _Counter:
        counter = self._counters.pop(key, None)
        if counter is None or (now - counter.last > self._window_s and counter.locked_until <= now):
            counter = _Counter(0, 0.0, now)
        self._counters[key] = counter
        while len(self._counters) > self._max_keys:
            self._counters.popitem(last=False)
        return counter

    async def attempt(self, username: str, address: str) -> int:
        # No await before the counters change: attempts are atomic within the event loop.
        now = self._clock()
        keys = self._keys(username, address)
        counters = {kind: self._counter(key, now) for kind, key in keys.items()}
        wait = max(c.locked_until - now for c in counters.values())
        if wait > 0:
            return max(1, math.ceil(wait))
        for kind, counter in counters.items():
            counter.attempts += 1
            counter.last = now
            over = counter.attempts - self._limits[kind]
            if over >= 0:
                counter.locked_until = now + min(self._cap_s, self._base_s * 2**over)
        return 0

    async def succeeded(self, username: str, address: str) -> None:
        keys = self._keys(username, address)
        self._counters.pop(keys["pair"], None)
        account = self._counters.get(keys["account"])
        if account is not None:
            account.attempts = max(0, account.attempts - 1)
            if account.attempts < self._limits["account"]:
                account.locked_until = 0.0

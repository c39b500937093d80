"""Login back-off, upload rate limits and per-address caps shared by every process of a
cluster (Redis).

Each check is one Lua script, so it is atomic across processes, and rates read Redis's own
clock (``TIME``), so processes on hosts whose clocks differ agree. The rules are those of
:class:`~support_server._throttle.MemoryLoginThrottle`,
:class:`~support_server._ratelimit.KeyedRateLimiter` and
:class:`~support_server._admission.MemoryAddressLimits`: a client cannot multiply its budget by
spreading its requests or sockets over several processes.

Open customer sockets are counted per process (``P`` is the key prefix, ``desk:``)::

    P sockets:<proc>   hash  client address -> sockets open on that process
    P sockets:procs    set of the processes that have such a hash

A process's hash counts only while that process's heartbeat key (``P alive:<proc>``, see
:mod:`support_server._redis_cluster`) lives: the next check after a process died deletes its
hash, so a killed process's sockets do not hold an address's budget for longer than the
heartbeat's lifetime.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections import Counter

from redis.asyncio import Redis
from redis.exceptions import RedisError

from ._logging import LOGGER_NAME, log_event
from ._state import StateUnavailable

__all__ = ["RedisAddressLimits", "RedisLoginThrottle", "RedisRateLimiter"]

logger = logging.getLogger(f"{LOGGER_NAME}.limits")

_NOW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
"""

_ATTEMPT = (
    _NOW
    + r"""
-- KEYS: pair counter, account counter; ARGV: pair limit, account limit, base, cap, window
local wait = 0
for i = 1, 2 do
  local locked = tonumber(redis.call('HGET', KEYS[i], 'locked_until') or '0')
  if locked - now > wait then wait = locked - now end
end
if wait > 0 then return tostring(wait) end
local base, cap, window = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
for i = 1, 2 do
  local over = redis.call('HINCRBY', KEYS[i], 'attempts', 1) - tonumber(ARGV[i])
  if over >= 0 then
    redis.call('HSET', KEYS[i], 'locked_until', now + math.min(cap, base * 2 ^ over))
  end
  redis.call('PEXPIRE', KEYS[i], math.ceil(window * 1000))
end
return '0'
"""
)

_SUCCEEDED = r"""
-- KEYS: pair counter, account counter; ARGV: account limit
redis.call('DEL', KEYS[1])
local attempts = tonumber(redis.call('HGET', KEYS[2], 'attempts') or '0')
if attempts > 0 then
  attempts = attempts - 1
  redis.call('HSET', KEYS[2], 'attempts', attempts)
  if attempts < tonumber(ARGV[1]) then redis.call('HSET', KEYS[2], 'locked_until', 0) end
end
return 0
"""

_TAKE = (
    _NOW
    + r"""
-- KEYS: bucket; ARGV: rate per second, burst. Returns '0' if allowed, else seconds to wait.
local rate, burst = tonumber(ARGV[1]), tonumber(ARGV[2])
local b = redis.call('HMGET', KEYS[1], 'tokens', 'updated')
local tokens = tonumber(b[1] or burst)
if b[2] then tokens = math.min(burst, tokens + (now - tonumber(b[2])) * rate) end
local allowed = tokens >= 1
if allowed then tokens = tokens - 1 end
redis.call('HSET', KEYS[1], 'tokens', tokens, 'updated', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
if allowed then return '0' end
return tostring((1 - tokens) / rate)
"""
)

_OPEN_SOCKET = r"""
-- ARGV: prefix, this process, address, its sockets here before this one, cap.
-- Returns 1 (counted) or 0 (over the cap).
local P, proc, addr = ARGV[1], ARGV[2], ARGV[3]
local mine, cap = tonumber(ARGV[4]), tonumber(ARGV[5])
local procs = P .. 'sockets:procs'
local total = mine
for _, other in ipairs(redis.call('SMEMBERS', procs)) do
  if other ~= proc then
    if redis.call('EXISTS', P .. 'alive:' .. other) == 1 then
      total = total + tonumber(redis.call('HGET', P .. 'sockets:' .. other, addr) or '0')
    else
      redis.call('DEL', P .. 'sockets:' .. other)
      redis.call('SREM', procs, other)
    end
  end
end
if total >= cap then return 0 end
redis.call('HSET', P .. 'sockets:' .. proc, addr, mine + 1)
redis.call('SADD', procs, proc)
return 1
"""


class RedisLoginThrottle:
    """:class:`~support_server._throttle.LoginThrottle` on Redis, for a cluster."""

    def __init__(
        self,
        client: Redis,
        *,
        max_failures: int = 3,
        account_max_failures: int = 50,
        base_s: float = 1.0,
        cap_s: float = 300.0,
        window_s: float = 900.0,
        prefix: str = "desk:",
    ) -> None:
        self._limits = (max_failures, account_max_failures)
        self._timing = (base_s, cap_s, window_s)
        self._prefix = prefix
        self._attempt = client.register_script(_ATTEMPT)
        self._succeeded = client.register_script(_SUCCEEDED)

    def _keys(self, username: str, address: str) -> list[str]:
        account = username.casefold()
        return [f"{self._prefix}login:pair|{account}|{address}", f"{self._prefix}login:{account}"]

    async def attempt(self, username: str, address: str) -> int:
        try:
            raw = await self._attempt(
                keys=self._keys(username, address), args=[*self._limits, *self._timing]
            )
        except RedisError as exc:
            raise StateUnavailable() from exc
        wait = float(raw)
        return 0 if wait <= 0 else max(1, math.ceil(wait))

    async def succeeded(self, username: str, address: str) -> None:
        try:
            await self._succeeded(keys=self._keys(username, address), args=[self._limits[1]])
        except RedisError as exc:
            raise StateUnavailable() from exc


class RedisRateLimiter:
    """A token bucket per key on Redis (``rate`` per second, bursts up to ``burst``)."""

    def __init__(self, client: Redis, *, rate: float, burst: float, name: str) -> None:
        self._rate = rate
        self._burst = burst
        self._prefix = f"desk:rate:{name}:"
        self._take = client.register_script(_TAKE)

    async def check(self, key: str) -> tuple[bool, float]:
        """Take one token for ``key``; return ``(allowed, retry_after_seconds)``."""
        try:
            raw = await self._take(keys=[self._prefix + key], args=[self._rate, self._burst])
        except RedisError as exc:
            raise StateUnavailable() from exc
        retry = float(raw)
        return retry <= 0, retry


class RedisAddressLimits:
    """:class:`~support_server._admission.AddressLimits` counted across a cluster.

    This process's own sockets are counted here (the truth for this process) and written to
    its hash in Redis; a socket is admitted while the address's sockets on every live process
    stay under the cap. While Redis is unreachable each process still holds the cap for its
    own sockets, and a write that failed is repaired by :meth:`sync`.
    """

    def __init__(
        self,
        client: Redis,
        *,
        proc_id: str,
        max_sockets: int,
        joins_per_min: int,
        prefix: str = "desk:",
    ) -> None:
        self.max_sockets = max_sockets
        self._client = client
        self._proc = proc_id
        self._prefix = prefix
        self._key = f"{prefix}sockets:{proc_id}"
        self._open: Counter[str] = Counter()
        self._stale = False
        self._writes = asyncio.Lock()
        """Held while counts are written: each write sets a count outright, so two of them
        running at once (on two pooled connections) could land in the wrong order."""
        self._open_socket = client.register_script(_OPEN_SOCKET)
        self._joins = RedisRateLimiter(
            client, rate=joins_per_min / 60.0, burst=joins_per_min, name="join"
        )

    async def open_socket(self, address: str) -> bool:
        mine = self._open[address]
        if mine >= self.max_sockets:
            return False
        self._open[address] = mine + 1  # reserved before the await: concurrent opens count
        try:
            async with self._writes:
                admitted = bool(
                    await self._open_socket(
                        args=[self._prefix, self._proc, address, mine, self.max_sockets]
                    )
                )
        except RedisError as exc:
            log_event(logger, logging.WARNING, "address_count_unshared", error=type(exc).__name__)
            self._stale = True
            return True
        if not admitted:
            self._forget(address)
        return admitted

    def _forget(self, address: str) -> int:
        """Uncount one socket of ``address`` here; return how many are left."""
        left = self._open[address] - 1
        if left > 0:
            self._open[address] = left
        else:
            del self._open[address]
        return left

    async def close_socket(self, address: str) -> None:
        left = self._forget(address)
        try:
            async with self._writes:
                if left > 0:
                    await self._client.hset(self._key, address, left)
                else:
                    await self._client.hdel(self._key, address)
        except RedisError as exc:
            log_event(logger, logging.WARNING, "address_count_unshared", error=type(exc).__name__)
            self._stale = True

    async def allow_join(self, address: str) -> tuple[bool, float]:
        return await self._joins.check(address)

    async def sync(self) -> None:
        """Write this process's counts to Redis again if a write failed (Redis was away)."""
        if not self._stale:
            return
        try:
            async with self._writes, self._client.pipeline(transaction=True) as pipe:
                pipe.delete(self._key)
                if self._open:
                    pipe.hset(self._key, items=[x for pair in self._open.items() for x in pair])
                    pipe.sadd(f"{self._prefix}sockets:procs", self._proc)
                await pipe.execute()
        except RedisError as exc:
            raise StateUnavailable() from exc
        self._stale = False

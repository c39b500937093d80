"""Login back-off and upload rate limits shared by every process of a cluster (Redis).

Each check is one Lua script, so it is atomic across processes, and it reads Redis's own clock
(``TIME``), so processes on hosts whose clocks differ agree. The rules are those of
:class:`~support_server._throttle.MemoryLoginThrottle` and
:class:`~support_server._ratelimit.KeyedRateLimiter`: a client cannot multiply its budget by
spreading its requests over several processes.
"""

from __future__ import annotations

import math

from redis.asyncio import Redis
from redis.exceptions import RedisError

from ._state import StateUnavailable

__all__ = ["RedisLoginThrottle", "RedisRateLimiter"]

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

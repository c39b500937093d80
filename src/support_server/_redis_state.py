"""The live state on Redis, shared by every server process (``SUPPORT_REDIS_URL``).

Each command runs one Lua script (:mod:`support_server._redis_lua`), so it is atomic across
processes: of two employees picking one customer on two processes, exactly one wins. Every
member record names its ``holder``, the process whose socket it is on; commands that attach a
member make this process the holder, and :meth:`RedisState.disconnect` only starts the grace
period of a member this process still holds (a member who already reconnected elsewhere is
left alone). Images live beside the state with a TTL, so any process can serve them.

The scripts number, log and publish every queue change atomically with it; each process
follows the changes channel (:meth:`RedisState.start`) and announces the changes to its
listeners in order, reading any it missed (a gap in the numbers, or a re-subscription after
Redis went away) from the log first.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
from collections.abc import Callable, Collection
from typing import Any, cast

from redis.asyncio import Redis
from redis.commands.core import AsyncScript
from redis.exceptions import RedisError

from ._hub import HANDLING_SAMPLES, default_new_id
from ._images import StoredImage
from ._redis_lua import SCRIPTS
from ._redis_pubsub import subscribe_forever
from ._state import (
    SIGNAL_NEEDS_ROOM,
    Dropped,
    Expired,
    Message,
    PanRecord,
    PanStatus,
    Position,
    QueueChange,
    QueueEntry,
    QueueEvent,
    QueueListener,
    QueueOp,
    QueueSnapshot,
    RoomView,
    StateUnavailable,
    WaitChanged,
    grace_periods,
    refusal,
)

__all__ = ["IMAGE_TTL_S", "RedisImageStore", "RedisState", "connect_redis"]

IMAGE_TTL_S = 86_400
"""Longest time an uploaded image is kept (it goes sooner, when its customer leaves)."""
_PING_TIMEOUT_S = 1.0


def connect_redis(url: str) -> Redis:
    """A client for ``url`` that fails fast (about a second) while Redis is unreachable."""
    client: Redis = Redis.from_url(
        url, socket_connect_timeout=1.0, socket_timeout=2.0, health_check_interval=10
    )
    return client


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _list(value: Any) -> list[Any]:
    """cjson encodes an empty Lua table as ``{}``: read it as an empty list."""
    return value if isinstance(value, list) else []


def _pan(raw: Any) -> PanRecord | None:
    if not raw:
        return None
    data = json.loads(raw)
    return PanRecord(data["result"], data["image_id"], data["content_type"])


def _status(has_pan: bool, has_confirmed: bool) -> PanStatus:
    if has_confirmed:
        return PanStatus.CONFIRMED
    return PanStatus.READ if has_pan else PanStatus.NONE


def _room(data: dict[str, Any]) -> RoomView:
    pan = _pan(data.get("pan"))
    confirmed = json.loads(data["confirmed"]) if data.get("confirmed") else None
    return RoomView(
        room_id=data["room_id"],
        customer_id=data["customer_id"],
        customer_name=data["customer_name"],
        employee_id=data["employee_id"],
        employee_name=data["employee_name"],
        pan_status=_status(pan is not None, confirmed is not None),
        pan=pan,
        confirmed=confirmed,
        customer_connected=bool(data["customer_connected"]),
        customer_joined_at=float(data["customer_joined_at"]),
    )


def _dropped(data: dict[str, Any]) -> tuple[str, Dropped]:
    return data["member"], Dropped(data.get("peer"))


def _entry(fields: list[Any]) -> QueueEntry:
    cid, name, joined, has_pan, confirmed, connected = fields
    return QueueEntry(cid, name, float(joined), _status(has_pan, confirmed), connected)


def _change(data: dict[str, Any]) -> QueueChange:
    entry = data.get("entry")
    position = data.get("position")
    return QueueChange(
        int(data["seq"]),
        QueueOp(data["op"]),
        data["customer_id"],
        None if entry is None else _entry(entry),
        None if position is None else int(position),
        int(data["waiting"]),
    )


class RedisState:
    """:class:`~support_server.LiveState` on Redis; ``proc_id`` names this server process."""

    def __init__(
        self,
        client: Redis,
        *,
        grace_s: float,
        waiting_grace_s: float | None = None,
        proc_id: str,
        prefix: str = "desk:",
        new_id: Callable[[str], str] = default_new_id,
    ) -> None:
        self.grace_s, self.waiting_grace_s = grace_periods(grace_s, waiting_grace_s)
        self.client = client
        self.proc_id = proc_id
        self.prefix = prefix
        self._new_id = new_id
        self._epoch: str | None = None
        self._beating = False
        self._scripts: dict[str, AsyncScript] = {
            name: client.register_script(source) for name, source in SCRIPTS.items()
        }
        self._listeners: list[QueueListener] = []
        self._seen: int | None = None
        """Number of the last queue change announced (``None``: not following yet)."""
        self._follower: asyncio.Task[None] | None = None
        self._pings: dict[str, asyncio.Future[None]] = {}

    # ------------------------------------------------------------ queue changes

    def listen(self, listener: QueueListener) -> None:
        self._listeners.append(listener)

    async def start(self) -> None:
        """Follow the queue changes channel (within about 5 s, else in the background)."""
        if self._follower is not None:
            return
        ready = asyncio.Event()
        self._follower = asyncio.get_running_loop().create_task(
            subscribe_forever(
                self.client,
                [self.key("qevents")],
                self._on_event,
                ready=ready,
                on_subscribed=self._catch_up,
            )
        )
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(ready.wait(), timeout=5)

    async def stop(self) -> None:
        if self._follower is not None:
            self._follower.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._follower
            self._follower = None

    async def settle(self) -> None:
        """Wait until every queue change made so far has been announced here."""
        token = secrets.token_hex(8)
        arrived = self._pings[token] = asyncio.get_running_loop().create_future()
        try:
            await self._redis(self.client.publish(self.key("qevents"), json.dumps({"ping": token})))
            await asyncio.wait_for(arrived, timeout=5)
        finally:
            self._pings.pop(token, None)

    def _emit(self, event: QueueEvent) -> None:
        for listener in self._listeners:
            listener(event)

    async def _catch_up(self) -> None:
        """Just (re)subscribed: announce the changes made while this process was not."""
        latest = int(await self.client.get(self.key("qchange")) or 0)
        if self._seen is None or latest < self._seen:  # first start, or Redis lost the desk
            self._seen = latest
        elif latest > self._seen:
            await self._announce_logged(self._seen, latest)

    async def _announce_logged(self, after: int, upto: int) -> None:
        """Announce the logged changes after number ``after`` up to ``upto``. Changes no
        longer logged are skipped: employees see the gap and ask for a snapshot."""
        logged = await self.client.zrangebyscore(self.key("qlog"), after + 1, upto)
        for raw in cast(list[bytes], logged):
            self._emit(_change(json.loads(raw)))
        self._seen = upto

    async def _on_event(self, raw: bytes) -> None:
        data = json.loads(raw)
        if "ping" in data:
            arrived = self._pings.get(data["ping"])
            if arrived is not None and not arrived.done():
                arrived.set_result(None)
            return
        if "wait" in data:
            self._emit(WaitChanged())
            return
        change = _change(data)
        if self._seen is not None:
            if change.seq <= self._seen:
                return  # already announced from the log
            if change.seq > self._seen + 1:
                await self._announce_logged(self._seen, change.seq - 1)
        self._seen = change.seq
        self._emit(change)

    def key(self, *parts: str) -> str:
        return self.prefix + ":".join(parts)

    async def _run(self, name: str, *args: str | float) -> dict[str, Any]:
        try:
            raw = await self._scripts[name](args=[self.prefix, *args])
        except RedisError as exc:
            raise StateUnavailable() from exc
        result: dict[str, Any] = json.loads(raw)
        return result

    async def _redis(self, call: Any) -> Any:
        try:
            return await call
        except RedisError as exc:
            raise StateUnavailable() from exc

    @staticmethod
    def _check(result: dict[str, Any], message: str | None = None) -> dict[str, Any]:
        if "err" in result:
            raise refusal(result["err"], message)
        return result

    # ----------------------------------------------------------------- queries

    async def available(self) -> bool:
        try:
            return bool(await asyncio.wait_for(self.client.ping(), _PING_TIMEOUT_S))
        except (RedisError, OSError, TimeoutError):
            return False

    async def customer_for_token(self, token: str) -> str | None:
        value = await self._redis(self.client.get(self.key("tok", token)))
        return None if value is None else _text(value)

    async def has_customer(self, customer_id: str) -> bool:
        return bool(await self._redis(self.client.exists(self.key("c", customer_id))))

    async def room_of(self, member_id: str) -> str | None:
        async with self.client.pipeline(transaction=False) as pipe:
            pipe.hget(self.key("c", member_id), "room")
            pipe.hget(self.key("e", member_id), "room")
            customer_room, employee_room = await self._redis(pipe.execute())
        room = customer_room or employee_room
        return None if room is None else _text(room)

    async def room_customer(self, employee_id: str) -> str | None:
        room = await self._redis(self.client.hget(self.key("e", employee_id), "room"))
        if room is None:
            return None
        customer = await self._redis(self.client.hget(self.key("r", _text(room)), "customer"))
        return None if customer is None else _text(customer)

    async def pan_of(self, customer_id: str) -> PanRecord | None:
        return _pan(await self._redis(self.client.hget(self.key("c", customer_id), "pan")))

    async def stats(self) -> dict[str, int]:
        async with self.client.pipeline(transaction=False) as pipe:
            pipe.scard(self.key("customers"))
            pipe.zcard(self.key("queue"))
            pipe.scard(self.key("rooms"))
            pipe.scard(self.key("online"))
            customers, waiting, rooms, online = await self._redis(pipe.execute())
        return {
            "customers": customers,
            "waiting": waiting,
            "rooms": rooms,
            "employees_online": online,
        }

    @staticmethod
    def _per_position(handling: list[Any], online: int) -> float | None:
        samples = [float(h) for h in handling[:HANDLING_SAMPLES]]
        if not samples:
            return None
        return sum(samples) / len(samples) / max(1, online)

    async def wait_per_position(self) -> float | None:
        async with self.client.pipeline(transaction=False) as pipe:
            pipe.lrange(self.key("handling"), 0, -1)
            pipe.scard(self.key("online"))
            handling, online = await self._redis(pipe.execute())
        return self._per_position(handling, online)

    async def queue_snapshot(self) -> QueueSnapshot:
        data = await self._run("snapshot")
        entries = [_entry(fields) for fields in _list(data["entries"])]
        per_position = self._per_position(_list(data["handling"]), data["online"])
        return QueueSnapshot(int(data["seq"]), entries, per_position)

    async def position(self, customer_id: str) -> Position | None:
        async with self.client.pipeline(transaction=True) as pipe:
            pipe.zrank(self.key("queue"), customer_id)
            pipe.zcard(self.key("queue"))
            pipe.lrange(self.key("handling"), 0, -1)
            pipe.scard(self.key("online"))
            rank, waiting, handling, online = await self._redis(pipe.execute())
        if rank is None:
            return None
        return Position(rank + 1, waiting, self._per_position(handling, online))

    async def positions(self, customer_ids: Collection[str]) -> dict[str, Position]:
        # The whole queue in one reply: thousands of ZRANKs would cost far more to encode and
        # parse here than the ids do.
        wanted = set(customer_ids)
        if not wanted:
            return {}
        async with self.client.pipeline(transaction=True) as pipe:
            pipe.zrange(self.key("queue"), 0, -1)
            pipe.lrange(self.key("handling"), 0, -1)
            pipe.scard(self.key("online"))
            queue, handling, online = await self._redis(pipe.execute())
        per_position = self._per_position(handling, online)
        waiting = len(queue)
        places = (_text(cid) for cid in queue)
        return {
            cid: Position(index + 1, waiting, per_position)
            for index, cid in enumerate(places)
            if cid in wanted
        }

    async def next_expiry(self) -> float | None:
        first = await self._redis(self.client.zrange(self.key("deadlines"), 0, 0, withscores=True))
        return float(first[0][1]) if first else None

    # -------------------------------------------------------------- customers

    async def join(self, name: str, now: float) -> tuple[str, str]:
        cid, token = self._new_id("c"), self._new_id("t")
        await self._run("join", cid, token, name, now, self.proc_id)
        return cid, token

    async def resume(self, token: str, now: float) -> tuple[str, RoomView | None]:
        data = self._check(await self._run("resume", token, self.proc_id))
        room = data.get("room")
        return data["customer_id"], None if room is None else _room(room)

    async def customer_leave(self, customer_id: str, now: float) -> str | None:
        data = self._check(await self._run("customer_leave", customer_id, now))
        employee: str | None = data.get("employee")
        return employee

    async def set_pan_result(self, customer_id: str, pan: PanRecord) -> str | None:
        record = {"result": pan.result, "image_id": pan.image_id, "content_type": pan.content_type}
        data = self._check(await self._run("set_pan", customer_id, json.dumps(record)))
        employee: str | None = data.get("employee")
        return employee

    async def confirm_pan(self, customer_id: str, fields: Message) -> str | None:
        data = self._check(await self._run("confirm_pan", customer_id, json.dumps(fields)))
        employee: str | None = data.get("employee")
        return employee

    # -------------------------------------------------------------- employees

    async def employee_connect(
        self, employee_id: str, name: str, now: float
    ) -> tuple[bool, RoomView | None]:
        data = await self._run("employee_connect", employee_id, name, self.proc_id)
        room = data.get("room")
        return bool(data["newly"]), None if room is None else _room(room)

    async def pick(self, employee_id: str, customer_id: str, now: float) -> RoomView:
        data = self._check(
            await self._run("pick", employee_id, customer_id, now, self._new_id("r"))
        )
        return _room(data["room"])

    async def employee_leave(self, employee_id: str, now: float) -> str:
        customer: str = self._check(await self._run("employee_leave", employee_id, now))["customer"]
        return customer

    # ------------------------------------------------------------------ both

    async def peer(self, member_id: str) -> str:
        peer: str = self._check(await self._run("peer", member_id), SIGNAL_NEEDS_ROOM)["peer"]
        return peer

    async def disconnect(self, member_id: str, now: float) -> Dropped | None:
        data = await self._run(
            "disconnect", member_id, now, self.grace_s, self.waiting_grace_s, self.proc_id
        )
        dropped = data.get("dropped")
        return None if dropped is None else _dropped(dropped)[1]

    async def expire(self, now: float) -> list[Expired]:
        data = await self._run("expire", now)
        return [
            Expired(e["member"], bool(e["employee"]), e.get("peer")) for e in _list(data["expired"])
        ]

    # ----------------------------------------------------------- processes

    async def heartbeat(self, ttl_s: float) -> bool:
        """Say that this process is alive for ``ttl_s`` more seconds.

        Return whether the previous heartbeat had already run out (this process was stalled
        so long that others may have taken it for dead and started its members' grace).
        """
        key = self.key("alive", self.proc_id)
        previous = await self._redis(self.client.set(key, 1, px=int(ttl_s * 1000), get=True))
        lapsed = self._beating and previous is None
        self._beating = True
        return lapsed

    async def reap(self, now: float) -> list[tuple[str, Dropped]]:
        """Start the grace periods of members held by processes whose heartbeat ended."""
        data = await self._run("reap", now, self.grace_s, self.waiting_grace_s)
        return [_dropped(d) for d in _list(data["dropped"])]

    async def lost_data(self) -> bool:
        """Whether Redis lost the desk since this process last looked (a restart without
        persistence, or a flush): its epoch key changed or vanished."""
        key = self.key("epoch")
        await self._redis(self.client.set(key, self._new_id("x"), nx=True))
        epoch = _text(await self._redis(self.client.get(key)))
        lost = self._epoch is not None and epoch != self._epoch
        self._epoch = epoch
        if lost:
            self._seen = None  # the numbering of queue changes starts again
        return lost

    async def retire(self) -> None:
        """This process stops: it no longer claims to be alive."""
        await self._redis(self.client.delete(self.key("alive", self.proc_id)))


class RedisImageStore:
    """:class:`~support_server.ImageStore` on Redis: one hash per customer, with a TTL."""

    def __init__(self, client: Redis, *, prefix: str = "desk:", ttl_s: int = IMAGE_TTL_S) -> None:
        self.client = client
        self.prefix = prefix
        self.ttl_s = ttl_s

    def _key(self, customer_id: str) -> str:
        return f"{self.prefix}img:{customer_id}"

    async def put(self, customer_id: str, image: StoredImage) -> None:
        key = self._key(customer_id)
        try:
            async with self.client.pipeline(transaction=True) as pipe:
                pipe.delete(key)
                pipe.hset(
                    key,
                    mapping={
                        "image_id": image.image_id,
                        "content_type": image.content_type,
                        "data": image.data,
                    },
                )
                pipe.expire(key, self.ttl_s)
                await pipe.execute()
        except RedisError as exc:
            raise StateUnavailable() from exc

    async def get(self, customer_id: str, image_id: str) -> StoredImage | None:
        try:
            found = await self.client.hmget(
                self._key(customer_id), ["image_id", "content_type", "data"]
            )
        except RedisError as exc:
            raise StateUnavailable() from exc
        stored_id, content_type, data = (cast(bytes | None, v) for v in found)
        if stored_id is None or not secrets.compare_digest(_text(stored_id), image_id):
            return None
        return StoredImage(image_id, data or b"", _text(content_type))

    async def discard(self, customer_id: str) -> None:
        try:
            await self.client.delete(self._key(customer_id))
        except RedisError as exc:
            raise StateUnavailable() from exc

    async def bytes_used(self) -> int:
        return 0

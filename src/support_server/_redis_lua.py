"""The Lua scripts of the Redis live state: each command is one script, so it is atomic.

Keys (``P`` is the key prefix, ``desk:`` by default)::

    P c:<id>        hash  customer: token name joined_at connected disc_at room was_paired pan
                          confirmed holder
    P tok:<token>   string -> customer id
    P customers     set of customer ids
    P queue         sorted set of waiting customer ids, score = place (front = lowest)
    P qseq          counter for queue places at the back
    P e:<id>        hash  employee: name connected disc_at room holder
    P employees     set of employee ids;  P online: set of connected employee ids
    P r:<id>        hash  room: customer employee started;  P rooms: set of room ids
    P handling      list of recent call durations (newest first, at most 20)
    P deadlines     sorted set "c:<id>" / "e:<id>" -> when the grace period ends
    P alive:<proc>  string with a TTL, refreshed by each live server process
    P procs         set of server process ids that hold members
    P qchange       number of the last queue change
    P qlog          sorted set: the last ``QUEUE_LOG`` queue changes (JSON), score = number
    P qevents       pub/sub channel: each queue change (JSON, as in ``qlog``), in order, and
                    ``{"wait": true}`` when the estimated wait may have changed

``holder`` is the server process whose socket a member is on; messages for the member are
published to that process's channel. A script that changes the queue numbers the change, logs
it and publishes it in the same atomic step, so every process hears the same changes in the same
order (and one that missed some reads them from the log). Scripts answer JSON (``cjson``); a
refusal is ``{"err": code}``.
"""

from __future__ import annotations

__all__ = ["QUEUE_LOG", "SCRIPTS"]

QUEUE_LOG = 1000
"""How many recent queue changes Redis keeps for processes that missed some."""

_COMMON = r"""
local P = ARGV[1]
local function key(kind, id) return P .. kind .. ':' .. id end
local function member_key(id)
  local k = key('c', id)
  if redis.call('EXISTS', k) == 1 then return k, 'c' end
  k = key('e', id)
  if redis.call('EXISTS', k) == 1 then return k, 'e' end
  return nil, nil
end
local function view(rid)
  local r = redis.call('HMGET', key('r', rid), 'customer', 'employee')
  local c = redis.call('HMGET', key('c', r[1]), 'name', 'pan', 'confirmed', 'connected',
                      'joined_at')
  local ename = redis.call('HGET', key('e', r[2]), 'name')
  return {room_id = rid, customer_id = r[1], customer_name = c[1], employee_id = r[2],
          employee_name = ename, pan = c[2], confirmed = c[3],
          customer_connected = (c[4] == '1'), customer_joined_at = tonumber(c[5])}
end
local function entry_of(cid)
  local c = redis.call('HMGET', key('c', cid), 'name', 'joined_at', 'pan', 'confirmed', 'connected')
  return {cid, c[1], c[2], c[3] and true or false, c[4] and true or false, c[5] == '1'}
end
local function queue_changed(op, cid, position)
  local seq = redis.call('INCR', P .. 'qchange')
  local waiting = redis.call('ZCARD', P .. 'queue')
  local change = {seq = seq, op = op, customer_id = cid, waiting = waiting}
  if op ~= 'removed' then change.entry = entry_of(cid) end
  if position then change.position = position end
  local text = cjson.encode(change)
  redis.call('ZADD', P .. 'qlog', seq, text)
  redis.call('ZREMRANGEBYSCORE', P .. 'qlog', '-inf', seq - QUEUE_LOG)
  redis.call('PUBLISH', P .. 'qevents', text)
end
local function wait_changed()
  redis.call('PUBLISH', P .. 'qevents', '{"wait":true}')
end
local function end_room(rid, now)
  local rk = key('r', rid)
  local r = redis.call('HMGET', rk, 'customer', 'employee', 'started')
  redis.call('LPUSH', P .. 'handling', math.max(0, now - tonumber(r[3])))
  redis.call('LTRIM', P .. 'handling', 0, 19)
  redis.call('HDEL', key('c', r[1]), 'room')
  if redis.call('EXISTS', key('e', r[2])) == 1 then redis.call('HDEL', key('e', r[2]), 'room') end
  redis.call('DEL', rk)
  redis.call('SREM', P .. 'rooms', rid)
  wait_changed()
  return r[1], r[2]
end
local function queue_front(cid)
  local first = redis.call('ZRANGE', P .. 'queue', 0, 0, 'WITHSCORES')
  local score
  if first[2] then score = tonumber(first[2]) - 1 else score = redis.call('INCR', P .. 'qseq') end
  redis.call('ZADD', P .. 'queue', score, cid)
  queue_changed('added', cid, 1)
end
local function close_room_for_employee(eid, now)
  local rid = redis.call('HGET', key('e', eid), 'room')
  local cid = end_room(rid, now)
  queue_front(cid)
  return cid
end
local function remove_customer(cid, now)
  local ck = key('c', cid)
  local c = redis.call('HMGET', ck, 'room', 'token')
  local emp = nil
  if c[1] then
    local _, e = end_room(c[1], now)
    emp = e
  elseif redis.call('ZREM', P .. 'queue', cid) == 1 then
    queue_changed('removed', cid)
  end
  if c[2] then redis.call('DEL', key('tok', c[2])) end
  redis.call('DEL', ck)
  redis.call('SREM', P .. 'customers', cid)
  redis.call('ZREM', P .. 'deadlines', 'c:' .. cid)
  return emp
end
local function peer_in(rid, id)
  local r = redis.call('HMGET', key('r', rid), 'customer', 'employee')
  if r[1] == id then return r[2] end
  return r[1]
end
local function attach(k, kind, id, proc)
  local old = redis.call('HMGET', k, 'holder', 'connected')
  redis.call('HSET', k, 'connected', '1', 'holder', proc)
  redis.call('HDEL', k, 'disc_at')
  redis.call('ZREM', P .. 'deadlines', kind .. ':' .. id)
  redis.call('SADD', P .. 'procs', proc)
  if old[2] == '1' and old[1] and old[1] ~= proc then return old[1] end
  return nil
end
local function disconnect(id, now, grace, waiting_grace, proc)
  local k, kind = member_key(id)
  if k == nil then return nil end
  local m = redis.call('HMGET', k, 'connected', 'holder', 'room', 'was_paired')
  if m[1] ~= '1' or m[2] ~= proc then return nil end
  redis.call('HSET', k, 'connected', '0', 'disc_at', now)
  if kind == 'c' and not m[4] then grace = waiting_grace end
  redis.call('ZADD', P .. 'deadlines', now + grace, kind .. ':' .. id)
  local peer = nil
  if m[3] then peer = peer_in(m[3], id) end
  if kind == 'e' then
    redis.call('SREM', P .. 'online', id)
    wait_changed()  -- fewer employees online changes the estimate
  end
  return {member = id, peer = peer}
end
"""

_JOIN = r"""
local cid, token, name, now, proc = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
redis.call('HSET', key('c', cid), 'token', token, 'name', name, 'joined_at', now,
           'connected', '1', 'holder', proc)
redis.call('SET', key('tok', token), cid)
redis.call('ZADD', P .. 'queue', redis.call('INCR', P .. 'qseq'), cid)
redis.call('SADD', P .. 'customers', cid)
redis.call('SADD', P .. 'procs', proc)
queue_changed('added', cid, redis.call('ZCARD', P .. 'queue'))
return cjson.encode({})
"""

_RESUME = r"""
local token, proc = ARGV[2], ARGV[3]
local cid = redis.call('GET', key('tok', token))
if not cid then return cjson.encode({err = 'resume_failed'}) end
local ck = key('c', cid)
local previous = attach(ck, 'c', cid, proc)
local out = {customer_id = cid, previous = previous}
local rid = redis.call('HGET', ck, 'room')
if rid then out.room = view(rid) end
return cjson.encode(out)
"""

_CUSTOMER_LEAVE = r"""
local cid, now = ARGV[2], tonumber(ARGV[3])
if redis.call('EXISTS', key('c', cid)) == 0 then return cjson.encode({err = 'not_joined'}) end
return cjson.encode({employee = remove_customer(cid, now)})
"""

_SET_PAN = r"""
local cid, pan = ARGV[2], ARGV[3]
local ck = key('c', cid)
if redis.call('EXISTS', ck) == 0 then return cjson.encode({err = 'not_joined'}) end
local c = redis.call('HMGET', ck, 'pan', 'confirmed', 'room')
redis.call('HSET', ck, 'pan', pan)
if (not c[3]) and (not c[1]) and (not c[2]) then queue_changed('updated', cid) end
local out = {}
if c[3] then out.employee = redis.call('HGET', key('r', c[3]), 'employee') end
return cjson.encode(out)
"""

_CONFIRM_PAN = r"""
local cid, fields = ARGV[2], ARGV[3]
local ck = key('c', cid)
if redis.call('EXISTS', ck) == 0 then return cjson.encode({err = 'not_joined'}) end
local before = redis.call('HGET', ck, 'confirmed')
redis.call('HSET', ck, 'confirmed', fields)
local rid = redis.call('HGET', ck, 'room')
if (not rid) and (not before) then queue_changed('updated', cid) end
local out = {}
if rid then out.employee = redis.call('HGET', key('r', rid), 'employee') end
return cjson.encode(out)
"""

_EMPLOYEE_CONNECT = r"""
local eid, name, proc = ARGV[2], ARGV[3], ARGV[4]
local ek = key('e', eid)
local newly = true
if redis.call('EXISTS', ek) == 1 then
  newly = redis.call('HGET', ek, 'connected') ~= '1'
else
  redis.call('SADD', P .. 'employees', eid)
end
redis.call('HSET', ek, 'name', name)
local previous = attach(ek, 'e', eid, proc)
redis.call('SADD', P .. 'online', eid)
if newly then wait_changed() end
local out = {newly = newly, previous = previous}
local rid = redis.call('HGET', ek, 'room')
if rid then out.room = view(rid) end
return cjson.encode(out)
"""

_PICK = r"""
local eid, cid, now, rid = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local ek, ck = key('e', eid), key('c', cid)
if redis.call('EXISTS', ek) == 0 then return cjson.encode({err = 'unauthorized'}) end
if redis.call('HEXISTS', ek, 'room') == 1 then return cjson.encode({err = 'already_in_room'}) end
if redis.call('EXISTS', ck) == 0 then return cjson.encode({err = 'not_found'}) end
if redis.call('HEXISTS', ck, 'room') == 1 then return cjson.encode({err = 'already_taken'}) end
redis.call('ZREM', P .. 'queue', cid)
queue_changed('removed', cid)
redis.call('HSET', key('r', rid), 'customer', cid, 'employee', eid, 'started', now)
redis.call('SADD', P .. 'rooms', rid)
redis.call('HSET', ck, 'room', rid, 'was_paired', '1')
redis.call('HSET', ek, 'room', rid)
return cjson.encode({room = view(rid)})
"""

_EMPLOYEE_LEAVE = r"""
local eid, now = ARGV[2], tonumber(ARGV[3])
local ek = key('e', eid)
if redis.call('EXISTS', ek) == 0 then return cjson.encode({err = 'unauthorized'}) end
if redis.call('HEXISTS', ek, 'room') == 0 then return cjson.encode({err = 'not_in_room'}) end
return cjson.encode({customer = close_room_for_employee(eid, now)})
"""

_PEER = r"""
local id = ARGV[2]
local k = member_key(id)
local rid = nil
if k then rid = redis.call('HGET', k, 'room') end
if not rid then return cjson.encode({err = 'not_in_room'}) end
return cjson.encode({peer = peer_in(rid, id)})
"""

_DISCONNECT = r"""
local id, now, proc = ARGV[2], tonumber(ARGV[3]), ARGV[6]
local d = disconnect(id, now, tonumber(ARGV[4]), tonumber(ARGV[5]), proc)
if d == nil then return cjson.encode({}) end
return cjson.encode({dropped = d})
"""

_EXPIRE = r"""
local now = tonumber(ARGV[2])
local due = redis.call('ZRANGEBYSCORE', P .. 'deadlines', '-inf', now)
local out = {}
for _, m in ipairs(due) do
  if string.sub(m, 1, 2) == 'e:' then
    local eid = string.sub(m, 3)
    local ek = key('e', eid)
    local peer = nil
    if redis.call('HEXISTS', ek, 'room') == 1 then peer = close_room_for_employee(eid, now) end
    redis.call('DEL', ek)
    redis.call('SREM', P .. 'employees', eid)
    redis.call('SREM', P .. 'online', eid)
    redis.call('ZREM', P .. 'deadlines', m)
    table.insert(out, {member = eid, employee = true, peer = peer})
  end
end
for _, m in ipairs(due) do
  if string.sub(m, 1, 2) == 'c:' then
    local cid = string.sub(m, 3)
    redis.call('ZREM', P .. 'deadlines', m)
    if redis.call('EXISTS', key('c', cid)) == 1 then
      table.insert(out, {member = cid, employee = false, peer = remove_customer(cid, now)})
    end
  end
end
return cjson.encode({expired = out})
"""

_REAP = r"""
-- members held by server processes whose heartbeat ended: their grace periods start now
local now, grace, waiting_grace = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local out = {}
for _, proc in ipairs(redis.call('SMEMBERS', P .. 'procs')) do
  if redis.call('EXISTS', P .. 'alive:' .. proc) == 0 then
    redis.call('SREM', P .. 'procs', proc)
    for _, set in ipairs({'customers', 'employees'}) do
      for _, id in ipairs(redis.call('SMEMBERS', P .. set)) do
        local d = disconnect(id, now, grace, waiting_grace, proc)
        if d then table.insert(out, d) end
      end
    end
  end
end
return cjson.encode({dropped = out})
"""

_SNAPSHOT = r"""
local ids = redis.call('ZRANGE', P .. 'queue', 0, -1)
local entries = {}
for i, cid in ipairs(ids) do entries[i] = entry_of(cid) end
local handling = redis.call('LRANGE', P .. 'handling', 0, -1)
return cjson.encode({seq = tonumber(redis.call('GET', P .. 'qchange') or '0'), entries = entries,
                     handling = handling, online = redis.call('SCARD', P .. 'online')})
"""

_ROUTE = r"""
-- publish each payload to the channel of the process holding its member
for i = 2, #ARGV, 2 do
  local k = member_key(ARGV[i])
  if k then
    local holder = redis.call('HGET', k, 'holder')
    if holder then redis.call('PUBLISH', P .. 'proc:' .. holder, ARGV[i + 1]) end
  end
end
return 0
"""

_RELAY = r"""
-- a signal from ARGV[2] to the other member of its room: published to the process holding that
-- member's socket unless it is ARGV[3] (the caller delivers it itself)
local id, proc, text = ARGV[2], ARGV[3], ARGV[4]
local k = member_key(id)
local rid = nil
if k then rid = redis.call('HGET', k, 'room') end
if not rid then return cjson.encode({err = 'not_in_room'}) end
local peer = peer_in(rid, id)
local pk = member_key(peer)
local holder = nil
if pk then holder = redis.call('HGET', pk, 'holder') end
if holder and holder ~= proc then
  redis.call('PUBLISH', P .. 'proc:' .. holder, cjson.encode({to = peer, text = text}))
  return cjson.encode({peer = peer, here = false})
end
return cjson.encode({peer = peer, here = true})
"""

SCRIPTS = {
    name: f"local QUEUE_LOG = {QUEUE_LOG}" + _COMMON + body
    for name, body in {
        "join": _JOIN,
        "resume": _RESUME,
        "customer_leave": _CUSTOMER_LEAVE,
        "set_pan": _SET_PAN,
        "confirm_pan": _CONFIRM_PAN,
        "employee_connect": _EMPLOYEE_CONNECT,
        "pick": _PICK,
        "employee_leave": _EMPLOYEE_LEAVE,
        "peer": _PEER,
        "disconnect": _DISCONNECT,
        "expire": _EXPIRE,
        "reap": _REAP,
        "snapshot": _SNAPSHOT,
        "route": _ROUTE,
        "relay": _RELAY,
    }.items()
}
"""Each command's script, with the shared helpers in front."""

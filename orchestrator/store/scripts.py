"""The Lua scripts of the Redis store: each runs atomically on the server.

Key layout and hash fields: :mod:`orchestrator.store.keys`. ``COMMIT`` and ``CREATE_EXECUTION`` touch
only one execution's keys (one cluster slot); the coordination scripts that mark an execution ready also
touch the global ready list, as a single Redis server allows.
"""

from __future__ import annotations

_NOW_MS = "local clock = redis.call('TIME'); local now = clock[1] * 1000 + math.floor(clock[2] / 1000)"
"""Lua: the server's time in milliseconds, as ``now`` (one clock for every process)."""

CREATE_EXECUTION = """
-- create_execution: store a new execution unless its ARN exists already.
-- KEYS[1] execution hash
-- ARGV[1] record (JSON)   ARGV[2] record status   ARGV[3] interpreter state (JSON)
-- Returns 1 when created, 0 when the execution exists (nothing written).
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'record', ARGV[1], 'status', ARGV[2], 'state', ARGV[3], 'version', 0)
return 1
"""

START_EXECUTION = """
-- start_execution: create an execution with its first step taken (version 1), unless its ARN exists
-- already (then nothing is written).
-- KEYS[1] execution hash   KEYS[2] history list   KEYS[3] outbox   KEYS[4] active set   KEYS[5] lease
-- ARGV[1] record (JSON)   ARGV[2] record status   ARGV[3] interpreter state (JSON)
-- ARGV[4] outbox (JSON list)   ARGV[5] the execution ARN
-- ARGV[6] retention in milliseconds   ARGV[7] terminal statuses, space-separated
-- ARGV[8] the creator (it holds the lease)   ARGV[9] lease time to live in milliseconds
-- ARGV[10..] history events (JSON)
-- Returns 1 when created, 0 when the execution exists. An outbox makes the execution active, so the
-- orphan scan carries it out should its creator die first (once the lease expires); a finished one
-- expires after the retention.
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'record', ARGV[1], 'status', ARGV[2], 'state', ARGV[3], 'version', 1)
redis.call('SET', KEYS[5], ARGV[8], 'PX', ARGV[9])
local last = #ARGV
for first = 10, last, 1000 do
  redis.call('RPUSH', KEYS[2], unpack(ARGV, first, math.min(first + 999, last)))
end
if ARGV[4] ~= '[]' then
  redis.call('SET', KEYS[3], ARGV[4])
  redis.call('SADD', KEYS[4], ARGV[5])
end
for terminal in string.gmatch(ARGV[7], '%S+') do
  if ARGV[2] == terminal then
    for index = 1, 3 do redis.call('PEXPIRE', KEYS[index], ARGV[6]) end
    break
  end
end
return 1
"""

COMMIT = """
-- commit: move one execution by one version; the version is the fencing token.
-- KEYS[1] execution hash   KEYS[2] history list   KEYS[3] inbox list   KEYS[4] outbox
-- ARGV[1] expected version
-- ARGV[2] new interpreter state (JSON)
-- ARGV[3] new record (JSON), or '' to keep the stored one   ARGV[4] the new record's status
-- ARGV[5] how many inbox events were applied (trimmed from the inbox's head)
-- ARGV[6] '1' to replace the outbox with ARGV[7], '0' to keep it   ARGV[7] outbox (JSON list)
-- ARGV[8] retention in milliseconds   ARGV[9] terminal statuses, space-separated
-- ARGV[10..] history events (JSON) to append
-- Returns {1, new version}, or {0, current version} when ARGV[1] is stale (nothing written).
-- Once the stored status is terminal, every key of the execution expires after the retention; a record
-- that is not terminal (a redriven execution running again) makes them persistent again.
local current = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
if current ~= tonumber(ARGV[1]) then return {0, current} end
redis.call('HSET', KEYS[1], 'state', ARGV[2])
if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], 'record', ARGV[3], 'status', ARGV[4]) end
local last = #ARGV
for first = 10, last, 1000 do
  redis.call('RPUSH', KEYS[2], unpack(ARGV, first, math.min(first + 999, last)))
end
local consumed = tonumber(ARGV[5])
if consumed > 0 then redis.call('LTRIM', KEYS[3], consumed, -1) end
if ARGV[6] == '1' then
  if ARGV[7] == '[]' then redis.call('DEL', KEYS[4]) else redis.call('SET', KEYS[4], ARGV[7]) end
end
local version = redis.call('HINCRBY', KEYS[1], 'version', 1)
local status = redis.call('HGET', KEYS[1], 'status')
local finished = false
for terminal in string.gmatch(ARGV[9], '%S+') do
  if status == terminal then
    for _, key in ipairs(KEYS) do redis.call('PEXPIRE', key, ARGV[8]) end
    finished = true
    break
  end
end
if not finished and ARGV[3] ~= '' then
  for _, key in ipairs(KEYS) do redis.call('PERSIST', key) end
end
return {1, version}
"""

POST = f"""
-- post: append an input event to an execution's inbox; mark it ready if the inbox was empty and no one
-- holds its lease.
-- KEYS[1] inbox list   KEYS[2] execution hash   KEYS[3] active set   KEYS[4] ready list   KEYS[5] lease
-- KEYS[6] queued hash
-- ARGV[1] the event (JSON)   ARGV[2] the execution ARN
-- Returns the inbox length. A finished execution's keys expire; its inbox expires with them.
-- An execution whose inbox already held events is ready already; one whose lease is held is marked
-- ready by its holder's RELEASE (events left in the inbox), or by the orphan scan if the holder dies.
-- So one ready entry per batch of events, and none that its holder would find empty.
redis.call('SADD', KEYS[3], ARGV[2])
local length = redis.call('RPUSH', KEYS[1], ARGV[1])
local ttl = redis.call('PTTL', KEYS[2])
if ttl > 0 then redis.call('PEXPIRE', KEYS[1], ttl) end
if length == 1 and redis.call('EXISTS', KEYS[5]) == 0 then
  {_NOW_MS}
  redis.call('RPUSH', KEYS[4], ARGV[2])
  redis.call('HSET', KEYS[6], ARGV[2], now)
end
return length
"""

CLEAR_OUTBOX = """
-- clear_outbox: drop the outbox if the execution is still at the version that wrote it.
-- KEYS[1] execution hash   KEYS[2] outbox
-- ARGV[1] version
-- Returns 1 when cleared, 0 when the version moved on.
if tonumber(redis.call('HGET', KEYS[1], 'version') or '0') ~= tonumber(ARGV[1]) then return 0 end
redis.call('DEL', KEYS[2])
return 1
"""

ACQUIRE = """
-- acquire: take an execution's lease, or renew it for the owner holding it.
-- KEYS[1] lease   KEYS[2] queued hash
-- ARGV[1] owner   ARGV[2] time to live in milliseconds   ARGV[3] the execution ARN
-- Returns 1 when ARGV[1] holds the lease now, 0 when another owner does. Taking the lease ends the
-- execution's wait in the ready list: from here, its holder's RELEASE (or the orphan scan, should the
-- holder die) marks it ready again.
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('HDEL', KEYS[2], ARGV[3])
return 1
"""

RELEASE = f"""
-- release: give a lease up; an execution with input events left is marked ready again.
-- KEYS[1] lease   KEYS[2] inbox list   KEYS[3] ready list   KEYS[4] queued hash
-- ARGV[1] owner   ARGV[2] execution ARN
-- Returns 1 when the execution was marked ready, else 0.
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
if redis.call('LLEN', KEYS[2]) == 0 then return 0 end
{_NOW_MS}
redis.call('RPUSH', KEYS[3], ARGV[2])
redis.call('HSET', KEYS[4], ARGV[2], now)
return 1
"""


REQUEUE_ORPHAN = f"""
-- requeue_orphan: mark an active execution ready when it has work but no lease (its coordinator died)
-- and is not waiting in the ready list; forget it (SREM from the active set) when it has no work left.
-- KEYS[1] inbox list   KEYS[2] outbox   KEYS[3] lease   KEYS[4] ready list   KEYS[5] active set
-- KEYS[6] queued hash
-- ARGV[1] execution ARN   ARGV[2] how long (ms) a ready entry may wait before it counts as lost
-- An entry is lost when a coordinator pops it and dies before taking the lease; a backlog older than
-- ARGV[2] gets one extra entry per scan, which costs a coordinator one empty round.
-- Returns 1 when the execution was marked ready, else 0.
if redis.call('EXISTS', KEYS[1], KEYS[2]) == 0 then
  redis.call('SREM', KEYS[5], ARGV[1])
  redis.call('HDEL', KEYS[6], ARGV[1])
  return 0
end
if redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
{_NOW_MS}
local queued = redis.call('HGET', KEYS[6], ARGV[1])
if queued and now - tonumber(queued) < tonumber(ARGV[2]) then return 0 end
redis.call('RPUSH', KEYS[4], ARGV[1])
redis.call('HSET', KEYS[6], ARGV[1], now)
return 1
"""

CLAIM_DUE_TIMERS = """
-- claim_due_timers: remove and return the timers due by now, earliest first.
-- KEYS[1] timers sorted set
-- ARGV[1] now (epoch seconds)   ARGV[2] at most this many
-- Returns the claimed members; no other caller can claim them again.
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])
for _, member in ipairs(due) do redis.call('ZREM', KEYS[1], member) end
return due
"""

COMMIT_SETTLE = f"""
-- commit_settle: a commit that leaves nothing to carry out but posts, made together with those posts and
-- the release of the lease (a child execution's last step: commit, report to the parent, release).
-- KEYS[1] execution hash   KEYS[2] history list   KEYS[3] inbox list   KEYS[4] outbox   KEYS[5] lease
-- KEYS[6] ready list   KEYS[7] queued hash   KEYS[8] active set
-- KEYS[9..] three per post: the target's inbox list, execution hash and lease
-- ARGV[1] expected version   ARGV[2] new interpreter state (JSON)
-- ARGV[3] new record (JSON), or '' to keep the stored one   ARGV[4] the new record's status
-- ARGV[5] how many inbox events were applied   ARGV[6] retention in milliseconds
-- ARGV[7] terminal statuses, space-separated   ARGV[8] the lease owner   ARGV[9] the execution ARN
-- ARGV[10] number of posts P   ARGV[11 .. 10 + 2P] (event JSON, target ARN) per post
-- ARGV[11 + 2P ..] history events (JSON) to append
-- Returns {{1, new version}}, or {{0, current version}} when ARGV[1] is stale (nothing written, lease kept).
-- Posts and release as POST and RELEASE do.
local current = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
if current ~= tonumber(ARGV[1]) then return {{0, current}} end
{_NOW_MS}
redis.call('HSET', KEYS[1], 'state', ARGV[2])
if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], 'record', ARGV[3], 'status', ARGV[4]) end
local posts = tonumber(ARGV[10])
local first_event = 11 + 2 * posts
local last = #ARGV
for first = first_event, last, 1000 do
  redis.call('RPUSH', KEYS[2], unpack(ARGV, first, math.min(first + 999, last)))
end
local consumed = tonumber(ARGV[5])
if consumed > 0 then redis.call('LTRIM', KEYS[3], consumed, -1) end
redis.call('DEL', KEYS[4])
local version = redis.call('HINCRBY', KEYS[1], 'version', 1)
local status = redis.call('HGET', KEYS[1], 'status')
for terminal in string.gmatch(ARGV[7], '%S+') do
  if status == terminal then
    for index = 1, 4 do redis.call('PEXPIRE', KEYS[index], ARGV[6]) end
    break
  end
end
for index = 0, posts - 1 do
  local inbox, hash, lease = KEYS[9 + 3 * index], KEYS[10 + 3 * index], KEYS[11 + 3 * index]
  local event, target = ARGV[11 + 2 * index], ARGV[12 + 2 * index]
  redis.call('SADD', KEYS[8], target)
  local length = redis.call('RPUSH', inbox, event)
  local ttl = redis.call('PTTL', hash)
  if ttl > 0 then redis.call('PEXPIRE', inbox, ttl) end
  if length == 1 and redis.call('EXISTS', lease) == 0 then
    redis.call('RPUSH', KEYS[6], target)
    redis.call('HSET', KEYS[7], target, now)
  end
end
if redis.call('GET', KEYS[5]) == ARGV[8] then redis.call('DEL', KEYS[5]) end
if redis.call('LLEN', KEYS[3]) > 0 then
  redis.call('RPUSH', KEYS[6], ARGV[9])
  redis.call('HSET', KEYS[7], ARGV[9], now)
end
return {{1, version}}
"""

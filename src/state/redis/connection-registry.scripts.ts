import { luaScript } from './lua-script.ts';

// Every script gets KEYS[1] = the `live` sorted set and ARGV[1] = the key
// prefix; the other keys are built from the prefix, which carries a hash tag
// so that on Redis Cluster they all live in KEYS[1]'s slot. Deadlines use the
// Redis clock (TIME), so nodes with skewed clocks still agree on who expired.

const PRELUDE = `
local live, p = KEYS[1], ARGV[1]
local function now()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function forget(sid)
  local skey = p .. 's:' .. sid
  local uid = redis.call('HGET', skey, 'userId')
  if uid then redis.call('ZREM', p .. 'u:' .. uid, sid) end
  redis.call('DEL', skey)
  redis.call('ZREM', live, sid)
end
local function alive(sid, t)
  local deadline = redis.call('ZSCORE', live, sid)
  return deadline and tonumber(deadline) > t
end
`;

/**
 * ARGV: prefix, ttlMs, then per socket: id, userId, role, connectedAt, connectedAtMs, transport, nodeId.
 * Returns the user ids that had no socket before (they went online). A user
 * counts as online while their socket set is not empty, expired members
 * included until swept, so going online and offline pair up exactly.
 */
export const UPSERT = luaScript(`${PRELUDE}
local deadline = now() + tonumber(ARGV[2])
local online = {}
for i = 3, #ARGV, 7 do
  local sid, uid = ARGV[i], ARGV[i + 1]
  local ukey = p .. 'u:' .. uid
  local first = redis.call('ZCARD', ukey) == 0
  redis.call('HSET', p .. 's:' .. sid, 'userId', uid, 'userRole', ARGV[i + 2], 'connectedAt', ARGV[i + 3], 'transport', ARGV[i + 5], 'nodeId', ARGV[i + 6])
  redis.call('ZADD', ukey, ARGV[i + 4], sid)
  redis.call('ZADD', live, deadline, sid)
  if first then online[#online + 1] = uid end
end
return online`);

/** ARGV: prefix, then pairs of socket id, user id. Removes them; returns the user ids left with no socket (they went offline). */
export const REMOVE = luaScript(`${PRELUDE}
local offline = {}
for i = 2, #ARGV, 2 do
  local sid, ukey = ARGV[i], p .. 'u:' .. ARGV[i + 1]
  redis.call('DEL', p .. 's:' .. sid)
  redis.call('ZREM', live, sid)
  if redis.call('ZREM', ukey, sid) == 1 and redis.call('ZCARD', ukey) == 0 then offline[#offline + 1] = ARGV[i + 1] end
end
return offline`);

/** ARGV: prefix, ttlMs, socket ids. Moves the deadline of those still present; returns the ids that are gone (to be re-added). */
export const REFRESH = luaScript(`${PRELUDE}
local deadline = now() + tonumber(ARGV[2])
local missing = {}
for i = 3, #ARGV do
  if redis.call('ZSCORE', live, ARGV[i]) then
    redis.call('ZADD', live, deadline, ARGV[i])
  else
    missing[#missing + 1] = ARGV[i]
  end
end
return missing`);

/**
 * ARGV: prefix, limit, ttlMs. Deletes up to `limit` expired sockets, whichever
 * node owned them. Returns [userId, lastSeenMs, ...] for the users this left
 * with no socket: the one script that empties a user's set reports it, so
 * exactly one node announces that user offline. lastSeen is the last
 * heartbeat of their newest expired socket (deadline - ttl).
 */
export const SWEEP = luaScript(`${PRELUDE}
local dead = redis.call('ZRANGEBYSCORE', live, '-inf', string.format('%d', now()), 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[2]))
local ttl, seen, order, out = tonumber(ARGV[3]), {}, {}, {}
for i = 1, #dead, 2 do
  local sid, deadline = dead[i], tonumber(dead[i + 1])
  local uid = redis.call('HGET', p .. 's:' .. sid, 'userId')
  forget(sid)
  if uid then
    if seen[uid] == nil then order[#order + 1] = uid end
    if seen[uid] == nil or deadline > seen[uid] then seen[uid] = deadline end
  end
end
for _, uid in ipairs(order) do
  if redis.call('ZCARD', p .. 'u:' .. uid) == 0 then
    out[#out + 1] = uid
    out[#out + 1] = string.format('%d', seen[uid] - ttl)
  end
end
return out`);

/** ARGV: prefix, socket ids. Returns [id, [field, value, ...]] for each live one. */
export const READ = luaScript(`${PRELUDE}
local t, out = now(), {}
for i = 2, #ARGV do
  if alive(ARGV[i], t) then
    out[#out + 1] = ARGV[i]
    out[#out + 1] = redis.call('HGETALL', p .. 's:' .. ARGV[i])
  end
end
return out`);

/**
 * ARGV: prefix, userId, mode ('any' or 'all'). 'any' returns 1 or 0 (stops at
 * the first live socket); 'all' returns [id, [field, value, ...]] per live
 * socket. Dead members are skipped, not deleted: only SWEEP deletes them, so
 * that the user's going offline is reported by the script that did it.
 */
export const USER = luaScript(`${PRELUDE}
local t, out = now(), {}
for _, sid in ipairs(redis.call('ZRANGE', p .. 'u:' .. ARGV[2], 0, -1)) do
  if alive(sid, t) then
    if ARGV[3] == 'any' then return 1 end
    out[#out + 1] = sid
    out[#out + 1] = redis.call('HGETALL', p .. 's:' .. sid)
  end
end
if ARGV[3] == 'any' then return 0 end
return out`);

/** ARGV: prefix, then user ids. 1 or 0 per user: whether any of their sockets is alive. */
export const ONLINE_AMONG = luaScript(`${PRELUDE}
local t, out = now(), {}
for i = 2, #ARGV do
  local online = 0
  for _, sid in ipairs(redis.call('ZRANGE', p .. 'u:' .. ARGV[i], 0, -1)) do
    if alive(sid, t) then online = 1 break end
  end
  out[#out + 1] = online
end
return out`);

/** ARGV: prefix. Ids of live sockets. */
export const LIVE_IDS = luaScript(`${PRELUDE}
return redis.call('ZRANGEBYSCORE', live, string.format('(%d', now()), '+inf')`);

/** ARGV: prefix. Number of live sockets. */
export const COUNT = luaScript(`${PRELUDE}
return redis.call('ZCOUNT', live, string.format('(%d', now()), '+inf')`);

/** ARGV: prefix, socket id, transport. No-op for an unknown socket. */
export const SET_TRANSPORT = luaScript(`${PRELUDE}
local skey = p .. 's:' .. ARGV[2]
if redis.call('EXISTS', skey) == 1 then redis.call('HSET', skey, 'transport', ARGV[3]) end
return 0`);

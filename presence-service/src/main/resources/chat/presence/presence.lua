-- Presence and typing, one atomic script per operation (see PresenceStore for the contract).
-- ARGV: op, prefix, now (ms), presence TTL (ms), typing TTL (ms), then the operation's arguments.
-- Keys (all under the prefix):
--   gateways       ZSET  gatewayId -> last heartbeat or join (ms)
--   confirmed      SET   gateways that heartbeated since they were last (re)registered
--   g:<gw>         SET   connection ids held by a gateway
--   c:<conn>       HASH  u -> userId, g -> gatewayId
--   ct:<conn>      SET   thread ids the connection joined
--   t:<thread>     HASH  connectionId -> userId (who is online)
--   ty:<thread>    ZSET  userId -> typing expiry (ms)
--   typing         ZSET  "<thread>|<user>" -> typing expiry (ms), for the sweeper
--   version        version of the last change: max(previous + 1, now * 1000), so it keeps
--                  increasing even after Redis lost its data
-- Returns { {thread, {users}, ...} presence changes, {thread, {users}, ...} typing changes, version, extra }.

local op, P = ARGV[1], ARGV[2]
local now, presenceTtl, typingTtl = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])

local changedPresence, changedTyping = {}, {}
local presenceOrder, typingOrder = {}, {}

local function markPresence(thread)
  if not changedPresence[thread] then
    changedPresence[thread] = true
    presenceOrder[#presenceOrder + 1] = thread
  end
end

local function markTyping(thread)
  if not changedTyping[thread] then
    changedTyping[thread] = true
    typingOrder[#typingOrder + 1] = thread
  end
end

local function online(thread)
  local seen, out = {}, {}
  for _, user in ipairs(redis.call('HVALS', P .. 't:' .. thread)) do
    if not seen[user] then
      seen[user] = true
      out[#out + 1] = user
    end
  end
  return out
end

local function typing(thread)
  return redis.call('ZRANGE', P .. 'ty:' .. thread, 0, -1)
end

local function isOnline(thread, user)
  for _, u in ipairs(redis.call('HVALS', P .. 't:' .. thread)) do
    if u == user then
      return true
    end
  end
  return false
end

local function clearTyping(thread, user)
  if redis.call('ZREM', P .. 'ty:' .. thread, user) == 1 then
    redis.call('ZREM', P .. 'typing', thread .. '|' .. user)
    markTyping(thread)
  end
end

local function dropFromThread(conn, thread)
  local key = P .. 't:' .. thread
  local user = redis.call('HGET', key, conn)
  if not user then
    return
  end
  redis.call('HDEL', key, conn)
  redis.call('SREM', P .. 'ct:' .. conn, thread)
  if not isOnline(thread, user) then
    markPresence(thread)
    clearTyping(thread, user)
  end
end

local function forgetConnection(conn)
  local gw = redis.call('HGET', P .. 'c:' .. conn, 'g')
  if gw then
    redis.call('SREM', P .. 'g:' .. gw, conn)
  end
  redis.call('DEL', P .. 'c:' .. conn, P .. 'ct:' .. conn)
end

local function forgetIfIdle(conn)
  if redis.call('SCARD', P .. 'ct:' .. conn) == 0 then
    forgetConnection(conn)
  end
end

local function disconnect(conn)
  for _, thread in ipairs(redis.call('SMEMBERS', P .. 'ct:' .. conn)) do
    dropFromThread(conn, thread)
  end
  forgetConnection(conn)
end

local function removeGateway(gw)
  for _, conn in ipairs(redis.call('SMEMBERS', P .. 'g:' .. gw)) do
    disconnect(conn)
  end
  redis.call('DEL', P .. 'g:' .. gw)
  redis.call('ZREM', P .. 'gateways', gw)
  redis.call('SREM', P .. 'confirmed', gw)
end

local function sweepTyping()
  local expired = redis.call('ZRANGEBYSCORE', P .. 'typing', '-inf', now, 'LIMIT', 0, 1000)
  for _, entry in ipairs(expired) do
    local sep = string.find(entry, '|', 1, true)
    local thread, user = string.sub(entry, 1, sep - 1), string.sub(entry, sep + 1)
    redis.call('ZREM', P .. 'typing', entry)
    if redis.call('ZREM', P .. 'ty:' .. thread, user) == 1 then
      markTyping(thread)
    end
  end
end

local function sweepGateways()
  for _, gw in ipairs(redis.call('ZRANGEBYSCORE', P .. 'gateways', '-inf', now - presenceTtl, 'LIMIT', 0, 100)) do
    removeGateway(gw)
  end
end

local extra = 0
local ops = {}

ops.join = function(thread, user, conn, gw)
  redis.call('ZADD', P .. 'gateways', 'GT', now, gw)
  local previousGw = redis.call('HGET', P .. 'c:' .. conn, 'g')
  if previousGw and previousGw ~= gw then
    redis.call('SREM', P .. 'g:' .. previousGw, conn)
  end
  local wasOnline = isOnline(thread, user)
  redis.call('HSET', P .. 't:' .. thread, conn, user)
  redis.call('HSET', P .. 'c:' .. conn, 'u', user, 'g', gw)
  redis.call('SADD', P .. 'ct:' .. conn, thread)
  redis.call('SADD', P .. 'g:' .. gw, conn)
  if not wasOnline then
    markPresence(thread)
  end
  extra = { online(thread), typing(thread) }
end

ops.leave = function(thread, user, conn)
  dropFromThread(conn, thread)
  forgetIfIdle(conn)
end

ops.disconnect = function(conn)
  disconnect(conn)
end

ops.heartbeat = function(gw)
  local registered = redis.call('ZSCORE', P .. 'gateways', gw)
  local confirmed = redis.call('SADD', P .. 'confirmed', gw) == 0
  extra = (registered and confirmed) and 1 or 0
  redis.call('ZADD', P .. 'gateways', 'GT', now, gw)
end

ops.removeGateway = function(gw)
  removeGateway(gw)
end

ops.removeMember = function(thread, user)
  local key = P .. 't:' .. thread
  local entries = redis.call('HGETALL', key)
  for i = 1, #entries, 2 do
    if entries[i + 1] == user then
      dropFromThread(entries[i], thread)
      forgetIfIdle(entries[i])
    end
  end
  clearTyping(thread, user)
end

ops.typingStart = function(thread, user)
  local expiry = now + typingTtl
  if redis.call('ZADD', P .. 'ty:' .. thread, expiry, user) == 1 then
    markTyping(thread)
  end
  redis.call('ZADD', P .. 'typing', expiry, thread .. '|' .. user)
end

ops.typingStop = function(thread, user)
  clearTyping(thread, user)
end

ops.sweep = function()
  sweepTyping()
  sweepGateways()
end

ops.sweepTyping = function()
  sweepTyping()
end

ops.snapshot = function(thread)
  extra = { online(thread), typing(thread) }
end

local fn = ops[op]
if not fn then
  return redis.error_reply('ERR unknown presence operation ' .. tostring(op))
end
fn(ARGV[6], ARGV[7], ARGV[8], ARGV[9])

local presence, typingLists = {}, {}
for _, thread in ipairs(presenceOrder) do
  presence[#presence + 1] = thread
  presence[#presence + 1] = online(thread)
end
for _, thread in ipairs(typingOrder) do
  typingLists[#typingLists + 1] = thread
  typingLists[#typingLists + 1] = typing(thread)
end
local version = 0
if #presenceOrder > 0 or #typingOrder > 0 then
  version = redis.call('INCR', P .. 'version')
  local floor = now * 1000
  if version < floor then
    version = floor
    redis.call('SET', P .. 'version', string.format('%.0f', floor))
  end
end
return { presence, typingLists, version, extra }

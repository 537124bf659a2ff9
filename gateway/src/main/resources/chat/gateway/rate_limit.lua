-- One token bucket per key, shared by every gateway: takes one token if there is one.
-- KEYS[1] the bucket; ARGV[1] tokens regained per second; ARGV[2] burst (the bucket's size).
-- Redis's own clock, so gateways whose clocks differ still share one rate. Returns 1 (taken) or 0.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local perMs = tonumber(ARGV[1]) / 1000
local burst = tonumber(ARGV[2])
local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(bucket[1]) or burst
local at = tonumber(bucket[2]) or now
if now > at then
  tokens = math.min(burst, tokens + (now - at) * perMs)
  at = now
end
local taken = 0
if tokens >= 1 then
  tokens = tokens - 1
  taken = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(at))
-- A bucket idle long enough to be full again is the same as no bucket.
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / math.max(perMs, 0.000001)) + 1000)
return taken

package redisallowance

import "github.com/redis/go-redis/v9"

// script is the allowance's rule (the one wrapper.LocalAllowance keeps in
// memory), run by Redis itself: each Take and each Observe is one atomic
// round trip, on Redis's clock (TIME), so that workers whose clocks
// disagree agree on when an hour ends. Times are Unix milliseconds; 0 is
// "none". The count lives in a hash whose field names are the format
// (version 2 of the key).
//
// KEYS[1]: the hash. ARGV: op ("take" or "observe"), reserve, the
// answer's limit, remaining and reset, used_up ("t": the answer said no
// call is left), the longest hour and the straddle margin in ms, the TTL
// in ms. Answers {granted, until, limit, remaining, said, now}.
var script = redis.NewScript(`
local key = KEYS[1]
local op, reserve = ARGV[1], tonumber(ARGV[2])
local rlLimit, rlRemaining, rlReset, usedUp = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), ARGV[6] == "t"
local hour, straddle, ttl = tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9])
local t = redis.call("TIME")
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)

local names = {"known", "limit", "remaining", "reset", "said", "pending", "straddling", "carried", "unsettled", "ended", "blind"}
local w = {}
local stored = redis.call("HMGET", key, unpack(names))
for i, n in ipairs(names) do w[n] = tonumber(stored[i]) or 0 end

local function newHour(ended)
  local carried = math.min(w.straddling, w.pending)
  w.remaining, w.reset, w.said = math.max(w.limit - carried, 0), 0, 0
  w.known = (w.limit > 0) and 1 or 0
  w.ended = ended
  w.carried, w.unsettled, w.pending, w.straddling = carried, w.pending, 0, 0
end

local function sameSecond(a, b) return math.floor(a / 1000) == math.floor(b / 1000) end

local function settle(reset)
  if w.unsettled > 0 and sameSecond(reset, w.ended) then
    w.unsettled = w.unsettled - 1
    if w.carried > w.unsettled then
      w.remaining = math.min(w.remaining + w.carried - w.unsettled, w.limit)
      w.carried = w.unsettled
    end
    return
  end
  w.pending = math.max(w.pending - 1, 0)
end

local out = {0, 0, 0, 0, 0, now}
if op == "take" then
  if w.known == 1 and w.reset ~= 0 and now >= w.reset then newHour(w.reset) end
  if w.known == 0 then
    w.blind, w.pending = w.blind + 1, w.pending + 1
    out = {1, 0, 0, 0, 0, now}
  else
    if w.reset == 0 and now >= w.ended + hour then newHour(w.ended + hour) end
    if w.remaining <= reserve then
      local untilMs = w.reset
      if untilMs == 0 then untilMs = w.ended + hour end
      out = {0, untilMs, w.limit, w.remaining, w.said, now}
    else
      w.remaining, w.pending = w.remaining - 1, w.pending + 1
      if w.reset ~= 0 and w.reset - now < straddle then w.straddling = w.straddling + 1 end
      out = {1, 0, w.limit, w.remaining, 0, now}
    end
  end
else
  if rlLimit > 0 then w.limit = rlLimit end
  settle(rlReset)
  if rlRemaining > 0 or usedUp then
    local reset, said = rlReset, 0
    if reset > now + hour then reset, said = now + hour, rlReset end
    if reset <= now then
      if usedUp and (reset > w.ended or (reset == w.ended and w.remaining < w.limit / 2)) then newHour(reset) end
    elseif w.known == 0 or w.reset == 0 then
      local remaining = rlRemaining
      if w.known == 1 then
        remaining = math.min(remaining, w.remaining)
      else
        remaining = math.max(remaining - math.max(w.blind - 1, 0), 0)
        w.blind = 0
      end
      w.known, w.remaining, w.reset, w.said, w.carried = 1, remaining, reset, said, 0
    elseif reset > w.reset then
      w.remaining, w.reset, w.said, w.straddling = rlRemaining, reset, said, 0
    elseif reset == w.reset then
      w.remaining = math.min(w.remaining, rlRemaining)
    end
  end
end

local fields = {}
for _, n in ipairs(names) do
  table.insert(fields, n)
  table.insert(fields, tostring(w[n]))
end
redis.call("HSET", key, unpack(fields))
redis.call("PEXPIRE", key, ttl)
return out
`)

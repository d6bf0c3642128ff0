/**
 * Lua run by Redis for the writes that must be atomic. A script runs alone on the server, so
 * "is this number free in this window?" and "take it" cannot interleave with another booking's.
 * Key prefixes come in as arguments so `redis-keys.ts` stays the one place that spells them.
 */

/**
 * Saves a booking and (re)allocates its conference number.
 *
 * KEYS: 1 booking hash, 2 organiser's bookings zset, 3 all bookings zset.
 * ARGV: 1 id, 2 booking JSON (without number), 3 status, 4 sequence, 5 expected stored sequence
 * ('' = must not exist), 6 window start ms, 7 window end ms, 8 endsAt ms, 9 organiser id,
 * 10 number-key prefix, 11 booking-key prefix, 12.. candidate numbers in order of preference.
 *
 * Returns the number; errors `CONFGATE_EXISTS`, `CONFGATE_MISSING`, `CONFGATE_CHANGED`,
 * `CONFGATE_NO_FREE_NUMBER`. A number's zset holds only active bookings, scored by window end:
 * the overlapping candidates are those ending at or after our start, then checked on their start.
 */
export const saveBookingScript = `
local id = ARGV[1]
local exists = redis.call('EXISTS', KEYS[1]) == 1
if ARGV[5] == '' then
  if exists then return redis.error_reply('CONFGATE_EXISTS') end
else
  if not exists then return redis.error_reply('CONFGATE_MISSING') end
  if redis.call('HGET', KEYS[1], 'sequence') ~= ARGV[5] then return redis.error_reply('CONFGATE_CHANGED') end
end
local current = false
if exists then current = redis.call('HGET', KEYS[1], 'number') end
local ws, we = tonumber(ARGV[6]), tonumber(ARGV[7])
local numberPrefix, bookingPrefix = ARGV[10], ARGV[11]
local function free(n)
  local holders = redis.call('ZRANGEBYSCORE', numberPrefix .. n, ws, '+inf')
  for _, other in ipairs(holders) do
    -- A member whose hash is gone (removed by hand) holds nothing.
    local otherStart = other ~= id and redis.call('HGET', bookingPrefix .. other, 'windowStart')
    if otherStart and tonumber(otherStart) <= we then return false end
  end
  return true
end
local number = current
if ARGV[3] == 'active' then
  if not (current and free(current)) then
    number = false
    for i = 12, #ARGV do
      if free(ARGV[i]) then number = ARGV[i] break end
    end
    if not number then return redis.error_reply('CONFGATE_NO_FREE_NUMBER') end
    if current then redis.call('ZREM', numberPrefix .. current, id) end
  end
  redis.call('ZADD', numberPrefix .. number, we, id)
else
  if not current then return redis.error_reply('CONFGATE_MISSING') end
  redis.call('ZREM', numberPrefix .. current, id)
end
redis.call('HSET', KEYS[1], 'data', ARGV[2], 'number', number, 'status', ARGV[3], 'sequence', ARGV[4],
  'windowStart', ARGV[6], 'windowEnd', ARGV[7], 'organizerId', ARGV[9])
redis.call('ZADD', KEYS[2], ARGV[8], id)
redis.call('ZADD', KEYS[3], ARGV[8], id)
return number
`;

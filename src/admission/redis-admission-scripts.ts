/**
 * Admission's Lua, one script per decision: Redis runs a script alone, so "is there a free slot?"
 * and "take it" cannot interleave with another instance's admission. The decision mirrors
 * `admission-rules.ts` step for step; the shared case table in the tests holds them together.
 * Time (`now`) comes from the controller, so every instance must keep its clock in sync (NTP).
 * Keys come in `KEYS[]`, and key prefixes as arguments, so `src/store/redis-keys.ts` stays the only
 * place that spells them.
 */

/**
 * Frees one participant (record, live-set entry, lease). `P.participant`, `P.live`, `LEASES` are set by the caller.
 * `revokeParticipant` also remembers that the slot was taken from its instance (`REVOKED`, set by the caller), so
 * that instance learns the call lost its slot instead of re-asserting it.
 */
const FREE_PARTICIPANT = `
local function freeParticipant(id)
  local key = P.participant .. id
  local bookingId = redis.call('HGET', key, 'bookingId')
  redis.call('ZREM', LEASES, id)
  if not bookingId then return false end
  redis.call('DEL', key)
  redis.call('SREM', P.live .. bookingId, id)
  return true
end
local function revokeParticipant(id, now)
  redis.call('ZADD', REVOKED, now, id)
  return freeParticipant(id)
end`;

/** `constantTimeEqual` of `admission-rules.ts`: XOR-accumulates over every byte, no early exit on the first difference. */
export const SAME_CODE = `
local function sameCode(a, b)
  if #a ~= #b or #a == 0 then return false end
  local diff = 0
  for i = 1, #a do diff = bit.bor(diff, bit.bxor(string.byte(a, i), string.byte(b, i))) end
  return diff == 0
end`;

/**
 * Shared by lookup, admit and the failure count.
 * KEYS: 1 number zset (store), 2 subject's failures, 3 number's failures, 4 leases, 5 alert stream,
 * 6 subject's alerted flag, 7 number's alerted flag, 8 revoked participants, 9 subject's proven flag,
 * 10 number's attack budget spent (wrong codes from new subjects while attacked), 11 its alerted flag.
 * ARGV: 1 now, 2 number, 3 code, 4 attempt id, 5 source, 6 call id, 7 via, 8 instance id,
 * 9 lease ms, 10 subject limit, 11 subject window ms, 12 number limit, 13 number window ms,
 * 14 ended-notice ms, 15 subject scope, 16 subject id, 17 alert channel, 18 stream max length,
 * 19 booking prefix, 20 participant prefix, 21 live prefix, 22 lock prefix, 23 the instant
 * before which an ended lease may be freed (now, or earlier while the asking instance recovers from an outage),
 * 24 new subject limit on an attacked conference, 25 hold step ms, 26 hold max ms, 27 '1' when the caller
 * already waited its hold, 28 ms a subject stays proven after an admission, 29 attack budget,
 * 30 attack budget window ms.
 */
const DECISION_PRELUDE = `
local now = tonumber(ARGV[1])
local number, attemptId, callId, instanceId = ARGV[2], ARGV[4], ARGV[6], ARGV[8]
local subjectMax, subjectWindow = tonumber(ARGV[10]), tonumber(ARGV[11])
local numberMax, numberWindow = tonumber(ARGV[12]), tonumber(ARGV[13])
local newSubjectMax = tonumber(ARGV[24])
local budgetMax, budgetWindow = tonumber(ARGV[29]), tonumber(ARGV[30])
local numberCount = 0
-- When a spent attack budget has room again (ms), or '' when no budget stopped the caller.
local retryAt = ''
local P = { booking = ARGV[19], participant = ARGV[20], live = ARGV[21], lock = ARGV[22] }
local LEASES, REVOKED = KEYS[4], KEYS[8]
local alerts = {}

-- Sliding window: a failure at t counts while now - t < window.
local function failures(key, window)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  return redis.call('ZCARD', key)
end

-- One alert per subject and window: the flag's TTL is the window.
local function alert(flagKey, kind, scope, subject, count, limit, window)
  if not redis.call('SET', flagKey, '1', 'PX', window, 'NX') then return end
  local event = cjson.encode({ kind = kind, scope = scope, subject = subject, number = number,
    count = count, limit = limit, windowMs = window, at = now, callId = callId, instanceId = instanceId })
  redis.call('XADD', KEYS[5], 'MAXLEN', '~', ARGV[18], '*', 'event', event)
  redis.call('PUBLISH', ARGV[17], event)
  alerts[#alerts + 1] = event
end

local function recordFailure(key, window, limit, flagKey, kind, scope, subject)
  redis.call('ZADD', key, now, attemptId)
  redis.call('PEXPIRE', key, window)
  local count = redis.call('ZCARD', key)
  if count >= limit then alert(flagKey, kind, scope, subject, count, limit, window) end
end

local function subjectFailed()
  recordFailure(KEYS[2], subjectWindow, subjectMax, KEYS[6], 'too-many-attempts', ARGV[15], ARGV[16])
end

local function alertsJson()
  if #alerts == 0 then return '' end
  return '[' .. table.concat(alerts, ',') .. ']'
end

-- Limits first: a locked-out caller learns nothing, not even whether the number exists. An attacked
-- conference (numberCount >= numberMax) is never closed to a proven subject: one not admitted lately
-- gets the stricter new-subject limit there, and none once the conference's attack budget is spent.
local function limitReached()
  local subjectCount = failures(KEYS[2], subjectWindow)
  if subjectCount >= subjectMax then
    alert(KEYS[6], 'too-many-attempts', ARGV[15], ARGV[16], subjectCount, subjectMax, subjectWindow)
    return true
  end
  numberCount = failures(KEYS[3], numberWindow)
  if numberCount < numberMax or redis.call('EXISTS', KEYS[9]) == 1 then return false end
  if subjectCount >= newSubjectMax then
    alert(KEYS[6], 'too-many-attempts', ARGV[15], ARGV[16], subjectCount, newSubjectMax, subjectWindow)
    return true
  end
  local spent = failures(KEYS[10], budgetWindow)
  if spent >= budgetMax then
    local oldest = redis.call('ZRANGE', KEYS[10], 0, 0, 'WITHSCORES')[2]
    retryAt = string.format('%d', tonumber(oldest) + budgetWindow)
    alert(KEYS[11], 'attack-budget-spent', 'conference', number, spent, budgetMax, budgetWindow)
    return true
  end
  return false
end

local function bookingFacts(id)
  if not id then return nil end
  local h = redis.call('HMGET', P.booking .. id, 'data', 'status', 'windowStart', 'windowEnd')
  if not h[1] or h[2] ~= 'active' then return nil end
  local d = cjson.decode(h[1])
  return { id = id, ws = tonumber(h[3]), we = tonumber(h[4]), code = string.format('%d', d.accessCode),
    cap = tonumber(d.estimatedConnections), language = d.language, start = d.start, timeZone = d.timeZone, title = d.title or '' }
end

-- pickConference(): the current booking, else the nearer of the next one and one that ended recently.
local function pickConference()
  local nextBooking = bookingFacts(redis.call('ZRANGEBYSCORE', KEYS[1], now, '+inf', 'LIMIT', 0, 1)[1])
  if nextBooking and nextBooking.ws <= now then return nextBooking end
  local previous = bookingFacts(redis.call('ZREVRANGEBYSCORE', KEYS[1], '(' .. now, '-inf', 'LIMIT', 0, 1)[1])
  if previous and now - previous.we > tonumber(ARGV[14]) then previous = nil end
  if not nextBooking then return previous end
  if not previous then return nextBooking end
  if nextBooking.ws - now <= now - previous.we then return nextBooking end
  return previous
end`;

/** Counts one failure against the subject (an IVR call left without a key). Same KEYS and ARGV as admit. Returns the alerts JSON or ''. */
export const countFailureScript = `${DECISION_PRELUDE}
subjectFailed()
return alertsJson()
`;

/**
 * Returns {'too-many-attempts', alerts, '', retry at ('' unless the attack budget is spent)} |
 * {'unknown', alerts} | {'known', '', language}. Same KEYS and ARGV as admit.
 */
export const lookupScript = `${DECISION_PRELUDE}
if limitReached() then return { 'too-many-attempts', alertsJson(), '', retryAt } end
local c = pickConference()
if not c then
  subjectFailed()
  return { 'unknown', alertsJson() }
end
return { 'known', '', c.language }
`;

/**
 * Decides one admission and, when admitted, reserves the slot: participant record, live set,
 * lease, and the subject's proven flag. Same KEYS and ARGV as lookup, then optionally ARGV 31 the
 * placement key prefix and 32.. the ids of the MCUs routing sees up. Returns {kind, alerts JSON or
 * '', language, extra...}: `admitted` adds the booking id, the MCU the conference is placed on if
 * among those ('' if not) and the booking's title; `not-open` the booking's local start and time
 * zone; `hold` the ms to wait before asking again, held (`holdMs` of the rules); `too-many-attempts`
 * when a spent attack budget has room again ('' for another limit).
 */
export const admitScript = `${DECISION_PRELUDE}
${SAME_CODE}
${FREE_PARTICIPANT}

-- Participants whose lease ended are freed here too, so a dead instance's slots are free at once;
-- but while the asking instance recovers from an outage (ARGV 23 < now), a lease that ended during
-- it still counts: its instance may be alive and about to re-assert it.
local function liveCount(bookingId)
  local n = 0
  for _, id in ipairs(redis.call('SMEMBERS', P.live .. bookingId)) do
    local lease = tonumber(redis.call('ZSCORE', LEASES, id))
    if lease and lease >= math.min(now, tonumber(ARGV[23])) then n = n + 1 else
      revokeParticipant(id, now)
      redis.call('SREM', P.live .. bookingId, id)
    end
  end
  return n
end

if limitReached() then return { 'too-many-attempts', alertsJson(), '', retryAt } end
local c = pickConference()
if not c then
  subjectFailed()
  return { 'unknown', alertsJson() }
end
if now < c.ws then return { 'not-open', '', c.language, c.start, c.timeZone } end
if now > c.we then return { 'ended', '', c.language } end
if ARGV[27] ~= '1' and numberCount >= numberMax then
  local hold = math.min(tonumber(ARGV[26]), (numberCount - numberMax + 1) * tonumber(ARGV[25]))
  if hold > 0 then return { 'hold', '', c.language, string.format('%d', hold) } end
end
if not sameCode(ARGV[3], c.code) then
  subjectFailed()
  recordFailure(KEYS[3], numberWindow, numberMax, KEYS[7], 'under-attack', 'conference', number)
  -- spendsAttackBudget(): the code was checked on an attacked conference for a subject not proven.
  if numberCount >= numberMax and redis.call('EXISTS', KEYS[9]) == 0 then
    recordFailure(KEYS[10], budgetWindow, budgetMax, KEYS[11], 'attack-budget-spent', 'conference', number)
  end
  return { 'wrong-code', alertsJson(), c.language }
end
if redis.call('EXISTS', P.lock .. c.id) == 1 then return { 'locked', '', c.language } end
if liveCount(c.id) >= c.cap then return { 'full', '', c.language } end
redis.call('HSET', P.participant .. attemptId, 'participantId', attemptId, 'bookingId', c.id, 'number', number,
  'source', ARGV[5], 'callId', callId, 'via', ARGV[7], 'instanceId', instanceId, 'joinedAt', now)
redis.call('SADD', P.live .. c.id, attemptId)
redis.call('ZADD', LEASES, now + tonumber(ARGV[9]), attemptId)
if tonumber(ARGV[28]) > 0 then redis.call('SET', KEYS[9], '1', 'PX', ARGV[28]) end
-- Where the conference already is, if on an MCU routing sees up (ARGV 31: placement key prefix,
-- 32..: MCU ids): routing then skips its placement script, which would only read the same key.
local placedOn = ''
if #ARGV > 31 then
  local current = redis.call('GET', ARGV[31] .. c.id)
  for i = 32, #ARGV do
    if ARGV[i] == current then placedOn = current end
  end
end
return { 'admitted', '', c.language, c.id, placedOn, c.title }
`;

/**
 * Frees one participant: only the first call finds its record, so only it frees the slot. Released
 * by another instance than its own (an admin's kick that reached no instance), the slot is revoked:
 * its instance ends the call at its next renewal rather than re-assert it.
 * KEYS: 1 leases, 2 revoked participants. ARGV: 1 participant id, 2 participant prefix, 3 live
 * prefix, 4 releasing instance id, 5 now. Returns 1 or 0.
 */
export const releaseScript = `
local P = { participant = ARGV[2], live = ARGV[3] }
local LEASES, REVOKED = KEYS[1], KEYS[2]
${FREE_PARTICIPANT}
local owner = redis.call('HGET', P.participant .. ARGV[1], 'instanceId')
if owner and owner ~= ARGV[4] then return revokeParticipant(ARGV[1], tonumber(ARGV[5])) and 1 or 0 end
if freeParticipant(ARGV[1]) then return 1 end
return 0
`;

/**
 * Extends the leases of one instance's participants in one call.
 * KEYS: 1 leases. ARGV: 1 new deadline (ms), 2.. participant ids. Returns the ids no longer held.
 */
export const renewScript = `
local lost = {}
for i = 2, #ARGV do
  if redis.call('ZSCORE', KEYS[1], ARGV[i]) then
    redis.call('ZADD', KEYS[1], ARGV[1], ARGV[i])
  else
    lost[#lost + 1] = ARGV[i]
  end
end
return lost
`;

/**
 * Frees up to a batch of participants whose lease ended before now, and forgets revoked ids older
 * than the given age. Every instance may run it at any time: each expired participant is freed by
 * exactly one run.
 * KEYS: 1 leases, 2 revoked participants. ARGV: 1 now, 2 batch size, 3 participant prefix, 4 live prefix,
 * 5 ms a revoked id is remembered. Returns the freed ids.
 */
export const reapScript = `
local P = { participant = ARGV[3], live = ARGV[4] }
local LEASES, REVOKED = KEYS[1], KEYS[2]
${FREE_PARTICIPANT}
local now = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', REVOKED, '-inf', now - tonumber(ARGV[5]))
local ids = redis.call('ZRANGEBYSCORE', LEASES, '-inf', '(' .. ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, id in ipairs(ids) do revokeParticipant(id, now) end
return ids
`;

/**
 * Re-asserts participants this instance still carries but the store no longer holds (a restart
 * without persistence, a failover that lost recent writes): each is written again, with this
 * instance's id and a fresh lease, even past the conference's cap (a connected caller is never cut
 * for it; new callers are refused until the count is back under the cap). A participant whose
 * slot was revoked (reaped while this instance was cut off, or released by another) is not
 * written again: its slot may be taken.
 * KEYS: 1 leases, 2 revoked participants. ARGV: 1 lease deadline, 2 participant prefix, 3 live prefix,
 * 4 instance id, then 7 per participant: id, booking id, number, source, call id, via, joined at.
 * Returns the ids revoked meanwhile (lost).
 */
export const reassertScript = `
local lost = {}
for i = 5, #ARGV, 7 do
  local id, bookingId = ARGV[i], ARGV[i + 1]
  if redis.call('ZSCORE', KEYS[2], id) then
    lost[#lost + 1] = id
  else
    redis.call('HSET', ARGV[2] .. id, 'participantId', id, 'bookingId', bookingId, 'number', ARGV[i + 2],
      'source', ARGV[i + 3], 'callId', ARGV[i + 4], 'via', ARGV[i + 5], 'instanceId', ARGV[4], 'joinedAt', ARGV[i + 6])
    redis.call('SADD', ARGV[3] .. bookingId, id)
    redis.call('ZADD', KEYS[1], ARGV[1], id)
  end
end
return lost
`;

/**
 * Locks or unlocks a conference. KEYS: 1 booking hash, 2 lock flag. ARGV: 1 '1' lock / '0' unlock,
 * 2 now, 3 ms the flag outlives the booking's window. Returns 0 when the booking does not exist.
 */
export const lockScript = `
local windowEnd = redis.call('HGET', KEYS[1], 'windowEnd')
if not windowEnd then return 0 end
if ARGV[1] == '1' then
  redis.call('SET', KEYS[2], '1', 'PX', math.max(tonumber(windowEnd) - tonumber(ARGV[2]), 0) + tonumber(ARGV[3]))
else
  redis.call('DEL', KEYS[2])
end
return 1
`;

/**
 * Reads a conference's participants with their lease deadlines, in one step.
 * KEYS: 1 live set, 2 leases. ARGV: 1 participant prefix. Returns one HGETALL array per participant, plus `leaseUntil`.
 */
export const liveScript = `
local out = {}
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local h = redis.call('HGETALL', ARGV[1] .. id)
  if #h > 0 then
    h[#h + 1] = 'leaseUntil'
    h[#h + 1] = redis.call('ZSCORE', KEYS[2], id) or '0'
    out[#out + 1] = h
  end
end
return out
`;

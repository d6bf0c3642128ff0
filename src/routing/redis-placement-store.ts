import type { RedisClient } from '../store/redis-connection';
import { redisKeys } from '../store/redis-keys';
import type { Placement, PlacementRequest, PlacementStore } from './placement-store';

/**
 * KEYS: placement, booking hash, live set of the booking.
 * ARGV: now, bookingId, participantId, n, MCU conferences key prefix, MCU ports key prefix, the lost MCU
 * (PlacementRequest.lost, '' when none), then n × (mcu id, capacity, weight) of the MCUs that are up.
 * Mirrors `chooseMcu` (mcu-choice.ts): fits first, least reserved, highest weight, configuration order.
 * Reply: {'placed', mcuId, title, number} | {'mcu-down', mcuId} | {'no-mcu'} | {'no-booking'}.
 */
const placeScript = `
local now = tonumber(ARGV[1])
local bookingId = ARGV[2]
local me = ARGV[3]
local n = tonumber(ARGV[4])
local b = redis.call('HMGET', KEYS[2], 'data', 'number', 'windowEnd')
if not b[1] then return {'no-booking'} end
local data = cjson.decode(b[1])
local title = data.title or ''
local ports = tonumber(data.estimatedConnections) or 1
local windowEnd = tonumber(b[3]) or now
local confPrefix = ARGV[5]
local portsPrefix = ARGV[6]
local moving = ARGV[7] ~= ''
local current = redis.call('GET', KEYS[1])
if current then
  for i = 0, n - 1 do
    if ARGV[8 + i * 3] == current then return {'placed', current, title, b[2]} end
  end
  local others = 0
  for _, id in ipairs(redis.call('SMEMBERS', KEYS[3])) do
    if id ~= me then others = others + 1 end
  end
  if others > 0 and not moving then return {'mcu-down', current} end
  redis.call('ZREM', confPrefix .. current, bookingId)
  redis.call('HDEL', portsPrefix .. current, bookingId)
  redis.call('DEL', KEYS[1])
end
local best, bestFits, bestReserved, bestWeight = nil, false, 0, 0
for i = 0, n - 1 do
  local id = ARGV[8 + i * 3]
  local capacity = tonumber(ARGV[9 + i * 3])
  local weight = tonumber(ARGV[10 + i * 3])
  local expired = redis.call('ZRANGEBYSCORE', confPrefix .. id, '-inf', '(' .. now)
  if #expired > 0 then
    redis.call('ZREMRANGEBYSCORE', confPrefix .. id, '-inf', '(' .. now)
    redis.call('HDEL', portsPrefix .. id, unpack(expired))
  end
  local reserved = 0
  for _, v in ipairs(redis.call('HVALS', portsPrefix .. id)) do reserved = reserved + tonumber(v) end
  local fits = reserved + ports <= capacity
  if best == nil or (fits and not bestFits) or (fits == bestFits and (reserved < bestReserved or (reserved == bestReserved and weight > bestWeight))) then
    best, bestFits, bestReserved, bestWeight = id, fits, reserved, weight
  end
end
if best == nil then return {'no-mcu'} end
redis.call('SET', KEYS[1], best, 'PXAT', math.max(windowEnd, now + 1000))
redis.call('ZADD', confPrefix .. best, windowEnd, bookingId)
redis.call('HSET', portsPrefix .. best, bookingId, ports)
return {'placed', best, title, b[2]}
`;

interface PlacementCommands {
  confgatePlaceConference(...keysAndArgs: string[]): Promise<string[]>;
}

/**
 * Placement in Redis, shared by every instance: one Lua script per call reads the booking (title,
 * number, `estimatedConnections`, window end), keeps the conference on the MCU it was placed on
 * while that MCU is up, or places it on the least loaded MCU that is up, atomically. One round trip.
 * Moving a conference off a lost MCU is a compare-and-set in the same script: the first instance
 * to ask places it again, the others find its new MCU up and follow.
 */
export class RedisPlacementStore implements PlacementStore {
  private readonly redis: RedisClient & PlacementCommands;

  constructor(redis: RedisClient) {
    if (!('confgatePlaceConference' in redis))
      redis.defineCommand('confgatePlaceConference', { numberOfKeys: 3, lua: placeScript });
    this.redis = redis as RedisClient & PlacementCommands;
  }

  async place(request: PlacementRequest): Promise<Placement> {
    const args = [
      redisKeys.placement(request.bookingId),
      redisKeys.booking(request.bookingId),
      redisKeys.live(request.bookingId),
      String(request.now),
      request.bookingId,
      request.participantId,
      String(request.up.length),
      redisKeys.mcuConferences(''),
      redisKeys.mcuPorts(''),
      request.lost ?? '',
      ...request.up.flatMap((m) => [m.id, String(m.capacity), String(m.weight)]),
    ];
    const [kind, mcuId, title, number] = await this.redis.confgatePlaceConference(...args);
    switch (kind) {
      case 'placed':
        return { kind, mcuId: mcuId!, title: title ?? '', number: number ?? '', bookingId: request.bookingId };
      case 'mcu-down':
        return { kind, mcuId: mcuId! };
      case 'no-mcu':
      case 'no-booking':
        return { kind };
      default:
        throw new Error(`unexpected placement reply ${String(kind)}`);
    }
  }
}

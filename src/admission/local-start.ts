import type { LocalStart } from './admission-port';
import { parseWallClock, wallClockAt } from '../booking/wall-clock';

/**
 * The start the IVR announces for a conference that is not open yet: the booking's own local
 * wall-clock start (`start`, in `timeZone`), and whether that is today in that zone at `now`.
 */
export function localStartOf(start: string, timeZone: string, now: number): LocalStart {
  const wall = parseWallClock(start);
  if (!wall) return { hour: 0, minute: 0, today: false };
  const today = wallClockAt(now, timeZone);
  return {
    hour: wall.hour,
    minute: wall.minute,
    today: today.year === wall.year && today.month === wall.month && today.day === wall.day,
  };
}

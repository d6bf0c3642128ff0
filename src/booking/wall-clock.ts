/**
 * Wall-clock date-times in an IANA time zone, converted to and from UTC instants with the
 * platform's `Intl` time zone data (no library: `Intl` already carries the tz database).
 */

/** A local date and time to the minute, as an organiser types it. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * The canonical IANA name of `timeZone` (`europe/paris` → `Europe/Paris`), or undefined when
 * the platform does not know it.
 */
export function canonicalTimeZone(timeZone: string): string | undefined {
  if (timeZone.length === 0 || timeZone.length > 64) return undefined;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** The wall clock shown in `timeZone` at the UTC instant `utcMs` (seconds dropped). */
export function wallClockAt(utcMs: number, timeZone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(utcMs))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute! };
}

/** `wall` read as if it were UTC, in ms: the arithmetic base for offsets. */
function asUtc(wall: WallClock): number {
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
}

/** Offset of `timeZone` from UTC at `utcMs`, in ms (Paris in winter: +3 600 000). */
function offsetAt(utcMs: number, timeZone: string): number {
  const floored = Math.floor(utcMs / 60_000) * 60_000;
  return asUtc(wallClockAt(floored, timeZone)) - floored;
}

/** Outcome of reading a wall clock in a zone: one instant, or a time skipped by a clock change. */
export type WallClockInstant = { kind: 'instant'; utcMs: number } | { kind: 'skipped' };

/**
 * The UTC instant at which clocks in `timeZone` show `wall`.
 *
 * Around a clock change a wall clock can match two instants (autumn: 02:30 happens twice in
 * Paris) or none (spring: 02:30 is skipped). Zone offsets only change between the day before and
 * the day after, so the two candidate offsets are those 24 h on each side: an ambiguous time takes
 * the earlier instant (as RFC 5545 §3.3.5 and Temporal's `compatible` do); a skipped time is
 * reported so the caller can refuse a start that does not exist.
 */
export function wallClockToUtc(wall: WallClock, timeZone: string): WallClockInstant {
  const local = asUtc(wall);
  const day = 86_400_000;
  const candidates = [...new Set([local - offsetAt(local - day, timeZone), local - offsetAt(local + day, timeZone)])]
    .filter((utc) => asUtc(wallClockAt(utc, timeZone)) === local)
    .sort((a, b) => a - b);
  return candidates.length === 0 ? { kind: 'skipped' } : { kind: 'instant', utcMs: candidates[0]! };
}

/** Parses `YYYY-MM-DDTHH:MM`; undefined when malformed or not a real calendar date/time. */
export function parseWallClock(text: string): WallClock | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute] = m.slice(1).map(Number) as [number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59)
    return undefined;
  return { year, month, day, hour, minute };
}

/** `YYYY-MM-DDTHH:MM` */
export function formatWallClock(w: WallClock): string {
  const p = (n: number, width = 2): string => String(n).padStart(width, '0');
  return `${p(w.year, 4)}-${p(w.month)}-${p(w.day)}T${p(w.hour)}:${p(w.minute)}`;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * The calendar date `months` after (year, month, day), clamped to the month's last day
 * (30 November + 3 months = 28 February), as a comparable `YYYYMMDD` number.
 */
export function addMonths(year: number, month: number, day: number, months: number): number {
  const index = year * 12 + (month - 1) + months;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  return y * 10_000 + m * 100 + Math.min(day, daysInMonth(y, m));
}

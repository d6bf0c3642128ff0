import fc from 'fast-check';
import {
  addMonths,
  canonicalTimeZone,
  parseWallClock,
  wallClockAt,
  wallClockToUtc,
  type WallClock,
} from '../../src/booking/wall-clock';

const utc = (iso: string): number => Date.parse(iso);
const wall = (text: string): WallClock => parseWallClock(text)!;
const instant = (text: string, tz: string): string => {
  const r = wallClockToUtc(wall(text), tz);
  return r.kind === 'instant' ? new Date(r.utcMs).toISOString() : 'skipped';
};

describe('wallClockToUtc on Europe/Paris clock-change days', () => {
  it('spring forward (2026-03-29): 01:59 is CET, 02:00–02:59 do not exist, 03:00 is CEST', () => {
    expect(instant('2026-03-29T01:59', 'Europe/Paris')).toBe('2026-03-29T00:59:00.000Z');
    expect(instant('2026-03-29T02:00', 'Europe/Paris')).toBe('skipped');
    expect(instant('2026-03-29T02:30', 'Europe/Paris')).toBe('skipped');
    expect(instant('2026-03-29T02:59', 'Europe/Paris')).toBe('skipped');
    expect(instant('2026-03-29T03:00', 'Europe/Paris')).toBe('2026-03-29T01:00:00.000Z');
  });

  it('fall back (2026-10-25): 02:00–02:59 happen twice, the earlier (CEST) instant is taken', () => {
    expect(instant('2026-10-25T01:59', 'Europe/Paris')).toBe('2026-10-24T23:59:00.000Z');
    expect(instant('2026-10-25T02:00', 'Europe/Paris')).toBe('2026-10-25T00:00:00.000Z');
    expect(instant('2026-10-25T02:30', 'Europe/Paris')).toBe('2026-10-25T00:30:00.000Z');
    expect(instant('2026-10-25T03:00', 'Europe/Paris')).toBe('2026-10-25T02:00:00.000Z');
  });

  it('ordinary winter and summer days', () => {
    expect(instant('2026-12-01T10:00', 'Europe/Paris')).toBe('2026-12-01T09:00:00.000Z');
    expect(instant('2026-07-01T10:00', 'Europe/Paris')).toBe('2026-07-01T08:00:00.000Z');
  });

  it('other zones: half-hour offsets, southern hemisphere, UTC', () => {
    expect(instant('2026-12-01T10:00', 'Asia/Kolkata')).toBe('2026-12-01T04:30:00.000Z');
    expect(instant('2026-01-15T10:00', 'Australia/Sydney')).toBe('2026-01-14T23:00:00.000Z');
    expect(instant('2026-10-04T02:30', 'Australia/Sydney')).toBe('skipped');
    expect(instant('2026-06-01T00:00', 'UTC')).toBe('2026-06-01T00:00:00.000Z');
  });

  it('round-trips every instant (property): the wall clock read back maps to it, or to the earlier twin', () => {
    const zones = ['Europe/Paris', 'America/New_York', 'Australia/Lord_Howe', 'America/St_Johns', 'Pacific/Chatham'];
    fc.assert(
      fc.property(
        fc.integer({ min: utc('2026-01-01T00:00Z') / 60_000, max: utc('2028-01-01T00:00Z') / 60_000 }),
        fc.constantFrom(...zones),
        (minute, tz) => {
          const t = minute * 60_000;
          const back = wallClockToUtc(wallClockAt(t, tz), tz);
          expect(back.kind).toBe('instant');
          if (back.kind === 'instant') {
            expect(back.utcMs).toBeLessThanOrEqual(t);
            expect(t - back.utcMs).toBeLessThanOrEqual(3_600_000);
            expect(wallClockAt(back.utcMs, tz)).toEqual(wallClockAt(t, tz));
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('parseWallClock', () => {
  it('accepts real dates and refuses impossible ones', () => {
    expect(parseWallClock('2028-02-29T23:59')).toEqual({ year: 2028, month: 2, day: 29, hour: 23, minute: 59 });
    for (const bad of [
      '2027-02-29T10:00',
      '2026-13-01T10:00',
      '2026-12-01T24:00',
      '2026-12-01T10:60',
      '2026-12-01 10:00',
      '2026-12-01T10:00:00',
      '',
    ]) {
      expect(parseWallClock(bad)).toBeUndefined();
    }
  });
});

describe('canonicalTimeZone', () => {
  it('canonicalises known names and refuses unknown ones', () => {
    expect(canonicalTimeZone('Europe/Paris')).toBe('Europe/Paris');
    expect(canonicalTimeZone('europe/paris')).toBe('Europe/Paris');
    expect(canonicalTimeZone('Mars/Olympus_Mons')).toBeUndefined();
    expect(canonicalTimeZone('')).toBeUndefined();
  });
});

describe('addMonths', () => {
  it('clamps to the end of shorter months', () => {
    expect(addMonths(2026, 11, 30, 3)).toBe(20270228);
    expect(addMonths(2027, 11, 30, 3)).toBe(20280229);
    expect(addMonths(2026, 12, 1, 3)).toBe(20270301);
    expect(addMonths(2026, 10, 31, 3)).toBe(20270131);
  });
});

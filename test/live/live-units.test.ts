import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { callRecordsCsv } from '../../src/live/call-record-query';
import { parseCallEvent } from '../../src/call-log/call-events';
import { LiveMetrics } from '../../src/live/live-metrics';
import { compareStreamIds } from '../../src/live/stream-id';

describe('stream ids', () => {
  it('order by time then sequence, numerically (not as text)', () => {
    expect(compareStreamIds('9-0', '10-0')).toBeLessThan(0);
    expect(compareStreamIds('10-2', '10-10')).toBeLessThan(0);
    expect(compareStreamIds('10-10', '10-10')).toBe(0);
    expect(compareStreamIds('1764440000000-1', '1764440000000-0')).toBeGreaterThan(0);
  });
});

describe('call events from the wire', () => {
  it('accepts a valid event and refuses bad JSON, unknown kinds, missing or oversized fields', () => {
    const ok = { kind: 'refused', at: 1, callId: 'c@h', instanceId: 'i', reason: 'full', number: '1234' };
    expect(parseCallEvent(JSON.stringify(ok))).toEqual(ok);
    expect(parseCallEvent('{')).toBeUndefined();
    expect(parseCallEvent(JSON.stringify({ ...ok, kind: 'exploded' }))).toBeUndefined();
    expect(parseCallEvent(JSON.stringify({ ...ok, callId: undefined }))).toBeUndefined();
    expect(parseCallEvent(JSON.stringify({ ...ok, number: '12ab' }))).toBeUndefined();
    expect(parseCallEvent(JSON.stringify({ ...ok, reason: 'x'.repeat(65) }))).toBeUndefined();
  });
});

describe('call records CSV (RFC 4180)', () => {
  it('quotes commas, quotes and line breaks, neutralises formulas, ends lines with CRLF', () => {
    const csv = callRecordsCsv([
      {
        callId: 'a,"b"',
        startedAt: 0,
        source: '127.0.0.2',
        callingNumber: '+33123',
        dialled: 'ivr',
        verdict: 'full',
        durationMs: 10,
        endedBy: 'refused\nx',
      },
    ]);
    const [, row] = csv.split('\r\n');
    expect(row).toBe('"a,""b""",0,127.0.0.2,\'+33123,ivr,,,full,,,,,10,"refused\nx",,1970-01-01T00:00:00.000Z');
    expect(csv.endsWith('\r\n')).toBe(true);
  });
});

describe('Grafana sample', () => {
  it('queries only metrics confgate exports', async () => {
    const dashboard = readFileSync(join(__dirname, '..', '..', 'docker', 'grafana-dashboard.json'), 'utf8');
    const used = new Set(
      [...dashboard.matchAll(/\b((?:confgate|nodejs)_[a-z0-9_]+?)(?:_bucket|_count|_sum)?\b/g)].map((m) => m[1]!),
    );
    const metrics = new LiveMetrics();
    const exported = new Set((await metrics.registry.getMetricsAsJSON()).map((m) => m.name));
    expect([...used].filter((name) => !exported.has(name))).toEqual([]);
    expect(used.size).toBeGreaterThan(10);
  });
});

describe('metrics bookkeeping', () => {
  it('an IVR call whose end was never published stops counting after an hour', async () => {
    const m = new LiveMetrics({ defaultMetrics: false });
    const ringing = (callId: string, at: number) => ({
      kind: 'ringing' as const,
      at,
      callId,
      instanceId: 'i',
      source: '127.0.0.2',
      transport: 'udp' as const,
      dialled: 'ivr' as const,
    });
    m.publish(ringing('lost', 0));
    m.publish(ringing('a', 1_000_000));
    expect(await m.registry.getSingleMetricAsString('confgate_calls_in_ivr')).toMatch(/confgate_calls_in_ivr 2$/m);
    m.publish(ringing('b', 3_700_000));
    expect(await m.registry.getSingleMetricAsString('confgate_calls_in_ivr')).toMatch(/confgate_calls_in_ivr 2$/m);
  });

  it('counts callers moved off a lost MCU and those released because none took them, and their legs per MCU', async () => {
    const m = new LiveMetrics({ defaultMetrics: false });
    const stamp = (callId: string) => ({
      at: 1,
      callId,
      instanceId: 'i',
      participantId: `p-${callId}`,
      bookingId: 'b',
    });
    m.publish({ kind: 'connected', ...stamp('a'), mcu: 'mcu1' });
    m.publish({ kind: 'connected', ...stamp('b'), mcu: 'mcu1' });
    m.publish({ kind: 'moved', ...stamp('a'), from: 'mcu1', to: 'mcu2' });
    m.publish({ kind: 'ended', ...stamp('b'), reason: 'mcu-lost' });
    const moves = await m.registry.getSingleMetricAsString('confgate_mcu_moves_total');
    expect(moves).toMatch(/confgate_mcu_moves_total\{outcome="moved"\} 1$/m);
    expect(moves).toMatch(/confgate_mcu_moves_total\{outcome="failed"\} 1$/m);
    expect(await m.registry.getSingleMetricAsString('confgate_mcu_legs')).toMatch(
      /confgate_mcu_legs\{mcu="mcu2"\} 1$/m,
    );
  });
});

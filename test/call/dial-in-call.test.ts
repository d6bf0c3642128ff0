import type { CallEnd, CallerLeg, IvrMedia, McuBridge, McuMove, McuTarget } from '../../src/call/caller-leg';
import { DialInCall } from '../../src/call/dial-in-call';
import { MemoryCallRecordSink } from '../../src/call-log/call-record';
import { configSchema } from '../../src/config/config-schema';
import { IvrCapacity } from '../../src/ivr/ivr-capacity';
import { ivrSettings } from '../../src/ivr/ivr-settings';
import { createLogger } from '../../src/log/logger';
import { LiveLegs } from '../../src/routing/live-legs';
import type { Route } from '../../src/routing/mcu-pool';
import { SipError } from '../../src/sip';
import { CallEventPublisher } from '../../src/call-log/call-event-publisher';
import type { CallEvent } from '../../src/call-log/call-events';
import { InMemoryAdmission } from '../ivr/support/in-memory-admission';
import { prompts } from '../ivr/support/ivr-endpoint';

/** A caller leg of no particular signalling: what the call's owner asked of it, and a bridge it ends at will. */
class FakeCallerLeg implements CallerLeg {
  readonly refusals: CallEnd[] = [];
  readonly moves: McuTarget[] = [];
  /** Where the connected caller was moved to afterwards (off a lost MCU), and how the bridge was hung up. */
  readonly bridgeMoves: McuTarget[] = [];
  readonly bridgeHangUps: Array<CallEnd | undefined> = [];
  /** What the bridge said before its hang-up (`sayAndHangUp`), as `language/clip`. */
  readonly lastWords: string[] = [];
  endBridge: ((by: 'caller' | 'mcu') => void) | undefined;
  loseMcu: (() => void) | undefined;
  refusedWith: number | undefined;
  readonly gone = false;
  readonly cancelled = false;
  readonly dtmfMethod = undefined;

  constructor(
    readonly identity: CallerLeg['identity'],
    /** How each INVITE to an MCU comes out, in turn (the last one repeats). */
    private readonly move: ReadonlyArray<McuMove['kind'] | 'mcu-refuses'>,
  ) {}

  whenGone(): Promise<void> {
    return new Promise(() => undefined);
  }
  refuse(end: CallEnd): void {
    this.refusals.push(end);
    this.refusedWith = end.status;
  }
  answer(): Promise<IvrMedia | undefined> {
    return Promise.resolve(undefined);
  }
  hangUp(): Promise<void> {
    return Promise.resolve();
  }
  async moveToMcu(target: McuTarget): Promise<McuMove> {
    this.moves.push(target);
    if (this.outcome() === 'mcu-refuses') return { kind: 'mcu-failed', error: new SipError(404, 'Not Found') };
    const bridge: McuBridge = {
      up: true,
      onEnd: (listener) => (this.endBridge = listener),
      onMcuLost: (listener) => (this.loseMcu = listener),
      hangUp: (end) => void this.bridgeHangUps.push(end),
      sayAndHangUp: async (clips, end) => {
        this.lastWords.push(...clips.map((c) => `${c.language}/${c.id}`));
        this.bridgeHangUps.push(end);
      },
      moveTo: async (to) => {
        this.bridgeMoves.push(to);
        return this.outcome() === 'mcu-refuses'
          ? { kind: 'mcu-failed', error: new SipError(408, 'Request Timeout') }
          : { kind: 'connected', bridge };
      },
    };
    return { kind: 'connected', bridge };
  }

  private outcome(): McuMove['kind'] | 'mcu-refuses' {
    const tries = this.moves.length + this.bridgeMoves.length;
    return this.move[Math.min(tries, this.move.length) - 1]!;
  }
}

const mcus = [1, 2].map((i) => ({ id: `mcu${i}`, uri: `sip:{number}@mcu${i}.invalid`, capacity: 10, weight: 1 }));
const routeTo = (i: number): Route => ({
  kind: 'mcu',
  mcu: mcus[i - 1]!,
  uri: `sip:5387@mcu${i === 1 ? '' : i}.invalid`,
});
const NONE: Route = { kind: 'unavailable', why: 'no-mcu' };

/** `other`: where the pool places a conference again, its first MCU left out (none by default). */
function world(other: Route = NONE) {
  const log = createLogger('silent');
  const released: string[] = [];
  const records = new MemoryCallRecordSink(10);
  const events: CallEvent[] = [];
  const legs = new LiveLegs(async (id) => (released.push(id), true), records, log);
  const placements: string[] = [];
  const context = {
    admission: new InMemoryAdmission({ '5387': { code: '8688', language: 'fr' } }),
    pool: {
      mcus,
      anyUp: () => true,
      upIds: () => ['mcu1'],
      routeAdmitted: async () => routeTo(1),
      route: async (_b: string, _p: string, failed: readonly string[] = []) => (
        placements.push(`route without ${failed.join()}`),
        other
      ),
      moveOff: async (_b: string, _p: string, lost: string, failed: readonly string[] = []) => (
        placements.push(`move off ${lost} without ${failed.join()}`),
        failed.length > 0 ? NONE : other
      ),
      health: { reportFailure: () => undefined },
    },
    events: new CallEventPublisher({ publish: (e) => events.push(e) }, 'i1'),
    legs,
    records,
    prompts,
    ivr: ivrSettings(configSchema.parse({})),
    admissionTimeoutMs: 1000,
    retryAfterSeconds: 30,
    log,
  };
  return { context, legs, records, released, events, placements };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

/** The call's owner with a caller of no particular signalling: the steps need nothing from SIP. */
describe('DialInCall', () => {
  it('a direct dial is admitted, moved to the MCU the pool chose, and released once when the MCU hangs up', async () => {
    const { context, legs, records, released } = world();
    const caller = new FakeCallerLeg({ callId: 'c1', address: '192.0.2.7', transport: 'tcp', dialled: '5387*8688' }, [
      'connected',
    ]);
    await new DialInCall(caller, context).run();
    await settle();
    expect(caller.moves).toEqual([{ uri: 'sip:5387@mcu.invalid', participantId: 'p-1' }]);
    expect(context.admission.requests).toMatchObject([{ number: '5387', code: '8688', upMcus: ['mcu1'] }]);
    expect(legs.size).toBe(1);
    caller.endBridge?.('mcu');
    expect(released).toEqual(['p-1']);
    expect(await records.recent(5)).toMatchObject([
      { callId: 'c1', dialled: 'direct', number: '5387', verdict: 'admitted', mcu: 'mcu1', endedBy: 'mcu' },
    ]);
  });

  it('a refused direct dial gets its refusal before any answer and a record with the verdict', async () => {
    const { context, records } = world();
    const caller = new FakeCallerLeg({ callId: 'c2', address: '192.0.2.7', transport: 'udp', dialled: '5387*1111' }, [
      'connected',
    ]);
    await new DialInCall(caller, context).run();
    expect(caller.refusals).toEqual([{ status: 403, reason: 'Wrong Access Code' }]);
    expect(caller.moves).toEqual([]);
    expect(await records.recent(5)).toMatchObject([
      { callId: 'c2', verdict: 'wrong-code', endedBy: 'refused', sipStatus: 403 },
    ]);
  });

  it('a direct dial refused by a spent attack budget is told when to retry; other refusals past a limit are not', async () => {
    const { context } = world();
    const refusals: unknown[] = [];
    for (const retryAfterSeconds of [3000, undefined]) {
      context.admission.admit = async () =>
        retryAfterSeconds === undefined
          ? { kind: 'too-many-attempts' }
          : { kind: 'too-many-attempts', retryAfterSeconds };
      const caller = new FakeCallerLeg({ callId: 'c9', address: '192.0.2.7', transport: 'udp', dialled: '5387*8688' }, [
        'connected',
      ]);
      await new DialInCall(caller, context).run();
      refusals.push(...caller.refusals);
    }
    expect(refusals).toEqual([
      { status: 403, reason: 'Too Many Attempts', retryAfterSeconds: 3000 },
      { status: 403, reason: 'Too Many Attempts' },
    ]);
  });

  it('an MCU refusing an admitted direct dial: 503 with Retry-After to the caller, the slot released', async () => {
    const { context, records, released } = world();
    const caller = new FakeCallerLeg({ callId: 'c3', address: '192.0.2.7', transport: 'udp', dialled: '5387*8688' }, [
      'mcu-refuses',
    ]);
    await new DialInCall(caller, context).run();
    await settle();
    expect(caller.refusals).toEqual([{ status: 503, reason: 'MCU Refused (404)', retryAfterSeconds: 30 }]);
    expect(released).toEqual(['p-1']);
    expect(await records.recent(5)).toMatchObject([{ callId: 'c3', endedBy: 'mcu-failure', sipStatus: 503 }]);
  });

  it('an MCU refusing an admitted direct dial: the conference is placed again without it and the caller connected there', async () => {
    const { context, records, placements } = world(routeTo(2));
    const caller = new FakeCallerLeg({ callId: 'c4', address: '192.0.2.7', transport: 'udp', dialled: '5387*8688' }, [
      'mcu-refuses',
      'connected',
    ]);
    await new DialInCall(caller, context).run();
    await settle();
    expect(caller.refusals).toEqual([]);
    expect(placements).toEqual(['route without mcu1']);
    expect(caller.moves.map((m) => m.uri)).toEqual(['sip:5387@mcu.invalid', 'sip:5387@mcu2.invalid']);
    caller.endBridge?.('caller');
    expect(await records.recent(5)).toMatchObject([{ callId: 'c4', mcu: 'mcu2', endedBy: 'caller' }]);
  });

  it('a connected caller whose MCU is found down is moved to the MCU the conference is placed on again', async () => {
    const { context, legs, records, events, placements } = world(routeTo(2));
    const caller = new FakeCallerLeg({ callId: 'c5', address: '192.0.2.7', transport: 'udp', dialled: '5387*8688' }, [
      'connected',
    ]);
    await new DialInCall(caller, context).run();
    await settle();
    expect(legs.mcuDown('mcu2')).toBe(0);
    expect(legs.mcuDown('mcu1')).toBe(1);
    await settle();
    expect(placements).toEqual(['move off mcu1 without ']);
    expect(caller.bridgeMoves).toEqual([{ uri: 'sip:5387@mcu2.invalid', participantId: 'p-1' }]);
    expect(events.filter((e) => e.kind === 'moved')).toMatchObject([
      { kind: 'moved', callId: 'c5', participantId: 'p-1', from: 'mcu1', to: 'mcu2' },
    ]);
    // Its MCU leg failing later moves it on again, off mcu2 now.
    caller.loseMcu?.();
    await settle();
    expect(placements).toEqual(['move off mcu1 without ', 'move off mcu2 without ']);
    caller.endBridge?.('mcu');
    expect(await records.recent(5)).toMatchObject([{ callId: 'c5', endedBy: 'mcu' }]);
  });

  it('a connected caller whose MCU is lost while no other takes it hears why in its language, is hung up with the Reason, ended mcu-lost', async () => {
    const { context, records, released, events, placements } = world(routeTo(2));
    const caller = new FakeCallerLeg({ callId: 'c6', address: '192.0.2.7', transport: 'udp', dialled: '5387*8688' }, [
      'connected',
      'mcu-refuses',
    ]);
    await new DialInCall(caller, context).run();
    await settle();
    caller.loseMcu?.();
    await settle();
    expect(placements).toEqual(['move off mcu1 without ', 'move off mcu1 without mcu2']);
    expect(caller.lastWords).toEqual(['fr/unavailable', 'fr/goodbye']);
    expect(caller.bridgeHangUps).toEqual([{ status: 503, reason: 'No MCU Available' }]);
    expect(released).toEqual(['p-1']);
    expect(events.filter((e) => e.kind === 'moved')).toEqual([]);
    expect(await records.recent(5)).toMatchObject([{ callId: 'c6', mcu: 'mcu1', endedBy: 'mcu-lost' }]);
  });

  it('an IVR call past the IVR cap is refused 503 with Retry-After before any answer; a direct dial is not capped', async () => {
    const { context, records } = world();
    const ivrCapacity = new IvrCapacity({ total: 10, perSource: 1, exempt: new Set() });
    const held = ivrCapacity.take('192.0.2.7'); // a call of this source already in the IVR
    const caller = new FakeCallerLeg({ callId: 'c4', address: '192.0.2.7', transport: 'udp', dialled: 'conf' }, [
      'connected',
    ]);
    await new DialInCall(caller, { ...context, ivrCapacity }).run();
    expect(caller.refusals).toEqual([{ status: 503, reason: 'IVR Busy', retryAfterSeconds: 30 }]);
    expect(await records.recent(1)).toMatchObject([{ callId: 'c4', verdict: 'ivr-busy-source', sipStatus: 503 }]);
    const direct = new FakeCallerLeg({ callId: 'c5', address: '192.0.2.7', transport: 'udp', dialled: '5387*8688' }, [
      'connected',
    ]);
    await new DialInCall(direct, { ...context, ivrCapacity }).run();
    expect(direct.refusals).toEqual([]);
    // The caller's own IVR step gives its place back however it ends (here: never answered).
    if (held.ok) held.slot.release();
    const next = new FakeCallerLeg({ callId: 'c6', address: '192.0.2.7', transport: 'udp', dialled: 'conf' }, [
      'connected',
    ]);
    await new DialInCall(next, { ...context, ivrCapacity }).run();
    expect(next.refusals).toEqual([]);
    expect(ivrCapacity.calls).toBe(0);
  });
});

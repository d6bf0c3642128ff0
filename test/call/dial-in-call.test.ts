import type { CallEnd, CallerLeg, IvrMedia, McuBridge, McuMove, McuTarget } from '../../src/call/caller-leg';
import { DialInCall } from '../../src/call/dial-in-call';
import { MemoryCallRecordSink } from '../../src/call-log/call-record';
import { configSchema } from '../../src/config/config-schema';
import { ivrSettings } from '../../src/ivr/ivr-settings';
import { createLogger } from '../../src/log/logger';
import { LiveLegs } from '../../src/routing/live-legs';
import type { Route } from '../../src/routing/mcu-pool';
import { SipError } from '../../src/sip';
import { InMemoryAdmission } from '../ivr/support/in-memory-admission';
import { prompts } from '../ivr/support/ivr-endpoint';

/** A caller leg of no particular signalling: what the call's owner asked of it, and a bridge it ends at will. */
class FakeCallerLeg implements CallerLeg {
  readonly refusals: CallEnd[] = [];
  readonly moves: McuTarget[] = [];
  endBridge: ((by: 'caller' | 'mcu') => void) | undefined;
  refusedWith: number | undefined;
  readonly gone = false;
  readonly cancelled = false;
  readonly dtmfMethod = undefined;

  constructor(
    readonly identity: CallerLeg['identity'],
    private readonly move: McuMove['kind'] | 'mcu-refuses',
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
    if (this.move === 'mcu-refuses') return { kind: 'mcu-failed', error: new SipError(404, 'Not Found') };
    const bridge: McuBridge = {
      up: true,
      onEnd: (listener) => (this.endBridge = listener),
      hangUp: () => undefined,
    };
    return { kind: 'connected', bridge };
  }
}

function world() {
  const log = createLogger('silent');
  const released: string[] = [];
  const records = new MemoryCallRecordSink(10);
  const legs = new LiveLegs(async (id) => (released.push(id), true), records, log);
  const route: Route = {
    kind: 'mcu',
    mcu: { id: 'mcu1', uri: 'sip:{number}@mcu.invalid', capacity: 10, weight: 1 },
    uri: 'sip:5387@mcu.invalid',
  };
  const context = {
    admission: new InMemoryAdmission({ '5387': { code: '8688', language: 'fr' } }),
    pool: {
      anyUp: () => true,
      upIds: () => ['mcu1'],
      routeAdmitted: async () => route,
      health: { reportFailure: () => undefined },
    },
    legs,
    records,
    prompts,
    ivr: ivrSettings(configSchema.parse({})),
    admissionTimeoutMs: 1000,
    retryAfterSeconds: 30,
    log,
  };
  return { context, legs, records, released };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

/** The call's owner with a caller of no particular signalling: the steps need nothing from SIP. */
describe('DialInCall', () => {
  it('a direct dial is admitted, moved to the MCU the pool chose, and released once when the MCU hangs up', async () => {
    const { context, legs, records, released } = world();
    const caller = new FakeCallerLeg(
      { callId: 'c1', address: '192.0.2.7', transport: 'tcp', dialled: '5387*8688' },
      'connected',
    );
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
    const caller = new FakeCallerLeg(
      { callId: 'c2', address: '192.0.2.7', transport: 'udp', dialled: '5387*1111' },
      'connected',
    );
    await new DialInCall(caller, context).run();
    expect(caller.refusals).toEqual([{ status: 403, reason: 'Wrong Access Code' }]);
    expect(caller.moves).toEqual([]);
    expect(await records.recent(5)).toMatchObject([
      { callId: 'c2', verdict: 'wrong-code', endedBy: 'refused', sipStatus: 403 },
    ]);
  });

  it('an MCU refusing an admitted direct dial: 503 with Retry-After to the caller, the slot released', async () => {
    const { context, records, released } = world();
    const caller = new FakeCallerLeg(
      { callId: 'c3', address: '192.0.2.7', transport: 'udp', dialled: '5387*8688' },
      'mcu-refuses',
    );
    await new DialInCall(caller, context).run();
    await settle();
    expect(caller.refusals).toEqual([{ status: 503, reason: 'MCU Refused (404)', retryAfterSeconds: 30 }]);
    expect(released).toEqual(['p-1']);
    expect(await records.recent(5)).toMatchObject([{ callId: 'c3', endedBy: 'mcu-failure', sipStatus: 503 }]);
  });
});

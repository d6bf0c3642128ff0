import { join } from 'node:path';
import { DialInCall } from '../../../src/call/dial-in-call';
import { SipCallerLeg } from '../../../src/call/sip/sip-caller-leg';
import { MemoryCallRecordSink } from '../../../src/call-log/call-record';
import { configSchema } from '../../../src/config/config-schema';
import { ivrSettings, type IvrSettings } from '../../../src/ivr/ivr-settings';
import { PromptLibrary } from '../../../src/ivr/prompt-library';
import { createLogger } from '../../../src/log/logger';
import type { CallMedia } from '../../../src/media/call-media';
import { PacingClock } from '../../../src/media/rtp/pacing-clock';
import { RtpPortAllocator } from '../../../src/media/rtp/rtp-port-allocator';
import type { RtpIoChoice } from '../../../src/media/rtp/rtp-socket-backend';
import { LiveLegs } from '../../../src/routing/live-legs';
import { NO_MCU } from '../../../src/routing/mcu-failure';
import type { Route } from '../../../src/routing/mcu-pool';
import { Srf } from '../../../src/sip';
import { InMemoryAdmission } from './in-memory-admission';

export const prompts = PromptLibrary.load(join(__dirname, '..', '..', '..', 'prompts'));

/**
 * This endpoint's MCU pool has an MCU up but places no conference: an admitted direct dial gets
 * routing's refusal, an admitted IVR caller hears its connecting prompt, "service unavailable",
 * goodbye, and a BYE.
 */
export const NO_ROUTING = { status: NO_MCU.status, reason: NO_MCU.reason };

/** An admitted caller, as its call holds it. */
export type AdmittedCaller =
  { answered: true; number: string; language: string; media: CallMedia } | { answered: false; number: string };

/**
 * confgate's dial-in during the IVR on loopback: a SIP UAS whose INVITEs are dial-in calls (SIP caller
 * legs, the IVR, real RTP ports and pacing clock), an in-memory admission that knows conference 5387
 * (code 8688, French), and an MCU pool that places nothing (see {@link NO_ROUTING}).
 */
export async function startIvrEndpoint(
  overrides: Partial<IvrSettings> = {},
  rtpPorts: [number, number] = [31000, 31099],
  rtpIo: RtpIoChoice = 'auto',
) {
  const log = createLogger('silent');
  const srf = new Srf({ listen: [{ protocol: 'udp', host: '127.0.0.1', port: 0 }], log });
  const allocator = new RtpPortAllocator(...rtpPorts);
  const clock = new PacingClock();
  const admission = new InMemoryAdmission({ '5387': { code: '8688', language: 'fr' } });
  const legs = new LiveLegs(async () => true, new MemoryCallRecordSink(100), log);
  const calls: Array<{ call: DialInCall; caller: SipCallerLeg }> = [];
  const unrouted: Route = { kind: 'unavailable', why: 'no-mcu' };
  const context = {
    admission,
    pool: {
      anyUp: () => true,
      upIds: () => [],
      mcus: [],
      routeAdmitted: async () => unrouted,
      route: async () => unrouted,
      moveOff: async () => unrouted,
      health: { reportFailure: () => undefined },
    },
    legs,
    records: new MemoryCallRecordSink(100),
    prompts,
    ivr: { ...ivrSettings(configSchema.parse({})), ...overrides },
    admissionTimeoutMs: 3000,
    retryAfterSeconds: 30,
    log,
  };
  const sip = { srf, media: { allocator, clock, bindAddress: '127.0.0.1', rtpIo }, mediaAddress: '127.0.0.1', log };
  srf.invite((req, res) => {
    const caller = new SipCallerLeg(req, res, sip);
    const call = new DialInCall(caller, context);
    calls.push({ call, caller });
    return call.run();
  });
  await srf.listen();
  /** Waits until every admitted call has ended (its refusal said), or gives up after 15 s. */
  const admittedEnded = async (): Promise<void> => {
    for (let i = 0; i < 750 && legs.size > 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
  };
  return {
    srf,
    allocator,
    clock,
    admission,
    /** The callers admitted so far, in order. */
    get admitted(): AdmittedCaller[] {
      return calls.flatMap(({ call, caller }): AdmittedCaller[] => {
        const admitted = call.admission;
        if (!admitted) return [];
        const { number, ivr } = admitted;
        return ivr && caller.media
          ? [{ answered: true, number, language: ivr.language, media: caller.media }]
          : [{ answered: false, number }];
      });
    },
    remote: `127.0.0.1:${srf.address('udp').port}`,
    /** Waits until every RTP port is free again (closing sockets takes a moment), or gives up after a second. */
    async portsReleased(): Promise<void> {
      await admittedEnded();
      for (let i = 0; i < 50 && allocator.inUse > 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    },
    async close(): Promise<void> {
      await admittedEnded();
      await srf.close();
    },
  };
}

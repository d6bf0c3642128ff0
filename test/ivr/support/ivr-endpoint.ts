import { join } from 'node:path';
import { configSchema } from '../../../src/config/config-schema';
import { ivrInviteHandler, type AdmittedCall } from '../../../src/call/sip/answer-with-ivr-media';
import { ivrSettings, type IvrSettings } from '../../../src/ivr/ivr-settings';
import { PromptLibrary } from '../../../src/ivr/prompt-library';
import { createLogger } from '../../../src/log/logger';
import { PacingClock } from '../../../src/media/rtp/pacing-clock';
import { RtpPortAllocator } from '../../../src/media/rtp/rtp-port-allocator';
import type { RtpIoChoice } from '../../../src/media/rtp/rtp-socket-backend';
import { Srf } from '../../../src/sip';
import { InMemoryAdmission } from './in-memory-admission';

export const prompts = PromptLibrary.load(join(__dirname, '..', '..', '..', 'prompts'));

/** No MCU routing yet (next work): a direct dial admitted in these tests is answered with this. */
export const NO_ROUTING = { status: 503, reason: 'No MCU In This Test' };

/**
 * confgate's IVR phase on loopback: a SIP UAS whose INVITE handler is the IVR, real RTP ports and
 * pacing clock, and an in-memory admission that knows conference 5387 (code 8688, French).
 * Admitted callers are recorded, then hung up (answered) or refused with {@link NO_ROUTING}.
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
  const admitted: AdmittedCall[] = [];
  const hangingUp: Promise<void>[] = [];
  srf.invite(
    ivrInviteHandler({
      srf,
      media: { allocator, clock, bindAddress: '127.0.0.1', rtpIo },
      mediaAddress: '127.0.0.1',
      admission,
      prompts,
      settings: { ...ivrSettings(configSchema.parse({})), ...overrides },
      admissionTimeoutMs: 3000,
      log,
      onAdmitted: (call) => {
        admitted.push(call);
        // As routing does: the caller hears "you are being connected" to its end before anything else happens.
        if (call.answered)
          hangingUp.push(call.connectingPrompt.then(() => call.dialog.destroy()).then(() => call.media.close()));
        else call.res.send(NO_ROUTING.status, NO_ROUTING.reason);
      },
    }),
  );
  await srf.listen();
  return {
    srf,
    allocator,
    clock,
    admission,
    admitted,
    remote: `127.0.0.1:${srf.address('udp').port}`,
    /** Waits until every RTP port is free again (closing sockets takes a moment), or gives up after a second. */
    async portsReleased(): Promise<void> {
      await Promise.all(hangingUp.splice(0));
      for (let i = 0; i < 50 && allocator.inUse > 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    },
    async close(): Promise<void> {
      await Promise.all(hangingUp.splice(0));
      await srf.close();
    },
  };
}

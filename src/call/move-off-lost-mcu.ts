import type { Language } from '../booking/booking';
import type { CallEventPublisher } from '../call-log/call-event-publisher';
import type { PromptLibrary } from '../ivr/prompt-library';
import type { Logger } from '../log/logger';
import type { CallLeg } from '../routing/live-legs';
import { mcuFailureResponse, NO_MCU } from '../routing/mcu-failure';
import type { McuHealth } from '../routing/mcu-health';
import type { McuPool } from '../routing/mcu-pool';
import type { McuBridge } from './caller-leg';
import { noMcuWords } from './no-mcu-words';

/** What moving a caller off its lost MCU needs. */
export interface McuMoveContext {
  pool: Pick<McuPool, 'moveOff' | 'mcus'> & { health: Pick<McuHealth, 'reportFailure'> };
  /** Where the last words to a caller no MCU takes come from. */
  prompts: Pick<PromptLibrary, 'resolve'>;
  log: Logger;
  events?: CallEventPublisher;
}

/**
 * Moves a connected call whose MCU was lost (health found it down, or its MCU leg failed) to another
 * MCU that is up: the conference is placed again (`McuPool.moveOff`, atomic across instances), a new
 * MCU leg is set up and the caller re-INVITEd to it (RFC 3725 §4.1), and a `moved` event published.
 * An MCU that refuses the move is left out and the next one tried; when none takes the caller, it
 * hears "service unavailable" and "goodbye" in `language` on confgate's media
 * ({@link McuBridge.sayAndHangUp}) and is hung up with `Reason: SIP;cause=503;text="No MCU
 * Available"` (RFC 3326), ended as `mcu-lost`.
 */
export async function moveOffLostMcu(
  leg: CallLeg,
  bridge: McuBridge,
  o: McuMoveContext,
  language: Language,
): Promise<void> {
  const lost = leg.mcu;
  if (lost === undefined) return;
  const { callId } = leg.record;
  const failed: string[] = [];
  // Each MCU is tried at most once: the placement leaves the failed ones out.
  while (failed.length < o.pool.mcus.length) {
    const route = await o.pool.moveOff(leg.bookingId, leg.participantId, lost, failed);
    if (leg.ended || route.kind !== 'mcu') break;
    const moved = await bridge.moveTo({ uri: route.uri, participantId: leg.participantId });
    if (leg.ended) return;
    switch (moved.kind) {
      case 'connected': {
        leg.mcu = route.mcu.id;
        o.log.info({ callId, participantId: leg.participantId, from: lost, to: leg.mcu }, 'dial-in: caller moved');
        o.events?.moved(callId, { participantId: leg.participantId, bookingId: leg.bookingId }, lost, leg.mcu);
        return;
      }
      case 'caller-gone':
        return leg.end('caller');
      case 'media-refused':
        return leg.end('media-refused');
      case 'mcu-failed':
        if (mcuFailureResponse(moved.error, 0).mcuUnreachable) o.pool.health.reportFailure(route.mcu.id);
        o.log.info({ callId, mcu: route.mcu.id, err: String(moved.error) }, 'dial-in: MCU refused a moved caller');
        failed.push(route.mcu.id);
    }
  }
  if (leg.ended) return;
  o.log.warn(
    { callId, participantId: leg.participantId, mcu: lost },
    'dial-in: MCU lost and no other takes the caller',
  );
  // The leg stays live while the caller hears why: a drain waits for it, a kick or shutdown cuts it short.
  await bridge.sayAndHangUp(noMcuWords(o.prompts, language), NO_MCU);
  leg.end('mcu-lost');
}

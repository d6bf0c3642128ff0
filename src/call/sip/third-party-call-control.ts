import { SipError, type Dialog, type Srf, type UacInvite } from '../../sip';
import type { McuMove } from '../caller-leg';
import { byeHeaders } from './call-end-headers';
import type { McuLegIdentity } from './mcu-leg-identity';

/** Whether the caller left, and a way to hear it leave (returns the unsubscribe function). */
export interface CallerPresence {
  readonly gone: boolean;
  onGone(listener: () => void): () => void;
}

/** An MCU move that did not connect the caller. */
type NotConnected = Exclude<McuMove, { kind: 'connected' }>;

export const CALLER_GONE: Extract<McuMove, { kind: 'caller-gone' }> = { kind: 'caller-gone' };

/** The MCU answered the offerless INVITE; its 2xx (carrying its offer) waits for our ACK. */
export type McuInvited = { kind: 'invited'; mcu: Dialog } | Extract<McuMove, { kind: 'caller-gone' | 'mcu-failed' }>;

/**
 * RFC 3725 §4.1 flow I, step 1: INVITE the MCU without an offer (`noOffer`, `noAck`), so that it
 * offers in its 2xx. A caller who leaves meanwhile cancels the INVITE (RFC 3261 §9).
 */
export async function inviteMcuWithoutOffer(
  srf: Pick<Srf, 'createUAC'>,
  caller: CallerPresence,
  uri: string,
  identity: McuLegIdentity,
): Promise<McuInvited> {
  let invite: UacInvite | undefined;
  const stopWatching = caller.onGone(() => invite?.cancel());
  try {
    const mcu = await srf.createUAC(
      uri,
      { noOffer: true, noAck: true, ...identity },
      {
        cbRequest: (i) => {
          invite = i;
          if (caller.gone) i.cancel();
        },
      },
    );
    return { kind: 'invited', mcu };
  } catch (error) {
    return caller.gone ? CALLER_GONE : { kind: 'mcu-failed', error };
  } finally {
    stopWatching();
  }
}

/**
 * RFC 3725 §4.1 flow I, steps 2 and 3: re-INVITE the answered caller with the MCU's offer, and ACK
 * the MCU with the caller's answer. Undefined once the media flows between them. A caller who left
 * meanwhile, or refuses the offer, is not connected: the MCU gets its ACK (RFC 3261 §13.2.2.4) and
 * a BYE, and a refusing caller a BYE with `Reason: SIP;cause=<status>;text="Media Refused"`.
 */
export async function reinviteCallerToMcu(
  caller: CallerPresence,
  dialog: Dialog,
  mcu: Dialog,
): Promise<NotConnected | undefined> {
  if (caller.gone) return dropMcu(mcu, dialog, CALLER_GONE);
  let answer: string;
  try {
    answer = await dialog.modify(mcu.remote.sdp);
  } catch (err) {
    if (caller.gone || !dialog.connected) return dropMcu(mcu, dialog, CALLER_GONE);
    const status = err instanceof SipError ? err.status : 500;
    await dropMcu(mcu, dialog, CALLER_GONE);
    await dialog.destroy({ headers: byeHeaders({ status, reason: 'Media Refused' }) });
    return { kind: 'media-refused' };
  }
  await mcu.ack(answer);
  if (!dialog.connected) return dropMcu(mcu, dialog, CALLER_GONE, false);
  return undefined;
}

/** Ends an MCU leg not connected to the caller: its ACK first when none went yet, then a BYE. */
async function dropMcu(mcu: Dialog, dialog: Dialog, result: NotConnected, ack = true): Promise<NotConnected> {
  if (ack) await mcu.ack(dialog.remote.sdp);
  await mcu.destroy();
  return result;
}

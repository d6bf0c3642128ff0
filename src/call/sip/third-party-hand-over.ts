import { SipError, type Dialog, type Srf, type UacInvite } from '../../sip';
import type { McuMove } from '../caller-leg';
import { byeHeaders } from './call-end-headers';
import type { McuLegIdentity } from './mcu-leg-identity';
import { SipMcuBridge } from './sip-mcu-bridge';

/** Whether the caller left, and a way to hear it leave (returns the unsubscribe function). */
export interface CallerPresence {
  readonly gone: boolean;
  onGone(listener: () => void): () => void;
}

const CALLER_GONE: McuMove = { kind: 'caller-gone' };

/**
 * Moves a caller answered by confgate's media to the MCU, RFC 3725 §4.1 flow I (third-party call
 * control): INVITE the MCU without an offer at once, while the caller still hears its connecting
 * prompt (the MCU's 2xx waits for its ACK meanwhile); once `ready` settles, re-INVITE the caller
 * with the MCU's offer and ACK the MCU with the caller's answer; then free the IVR's RTP ports and
 * let INFO go to the MCU. A caller who leaves cancels the INVITE to the MCU, or, if its 2xx came,
 * ACKs it before the BYE (RFC 3261 §13.2.2.4). A caller refusing the MCU's offer gets a BYE with
 * `Reason: SIP;cause=<status>;text="Media Refused"`, and the MCU a BYE.
 */
export async function handOverToMcu(
  srf: Pick<Srf, 'createUAC'>,
  caller: CallerPresence,
  answered: { dialog: Dialog; media: { close(): Promise<void> } },
  uri: string,
  identity: McuLegIdentity,
  ready: Promise<void>,
): Promise<McuMove> {
  const { dialog, media } = answered;
  let invite: UacInvite | undefined;
  const stopWatching = caller.onGone(() => invite?.cancel());
  let mcu: Dialog;
  try {
    mcu = await srf.createUAC(
      uri,
      { noOffer: true, noAck: true, ...identity },
      {
        cbRequest: (i) => {
          invite = i;
          if (caller.gone) i.cancel();
        },
      },
    );
  } catch (error) {
    stopWatching();
    return caller.gone ? CALLER_GONE : { kind: 'mcu-failed', error };
  }
  await ready;
  stopWatching();
  if (caller.gone) {
    await mcu.ack(dialog.remote.sdp);
    await mcu.destroy();
    return CALLER_GONE;
  }
  let answer: string;
  try {
    answer = await dialog.modify(mcu.remote.sdp);
  } catch (err) {
    await mcu.ack(dialog.remote.sdp);
    await mcu.destroy();
    if (caller.gone || !dialog.connected) return CALLER_GONE;
    const status = err instanceof SipError ? err.status : 500;
    await dialog.destroy({ headers: byeHeaders({ status, reason: 'Media Refused' }) });
    return { kind: 'media-refused' };
  }
  await mcu.ack(answer);
  // The media now flows between the caller and the MCU: the IVR's RTP ports are no longer needed.
  await media.close();
  // The IVR took INFO for its digits; from now on INFO goes to the MCU.
  dialog.removeAllListeners('info');
  if (!dialog.connected) {
    await mcu.destroy();
    return CALLER_GONE;
  }
  return { kind: 'connected', bridge: new SipMcuBridge(dialog, mcu) };
}

import type { Dialog } from '../../sip';
import type { CallerIdentity, McuMove } from '../caller-leg';
import type { McuLegIdentity } from './mcu-leg-identity';
import { SipMcuBridge, type SipMcuBridgeContext } from './sip-mcu-bridge';
import { inviteMcuWithoutOffer, reinviteCallerToMcu, type CallerPresence } from './third-party-call-control';

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
  ctx: SipMcuBridgeContext,
  caller: CallerPresence & { identity: CallerIdentity },
  answered: { dialog: Dialog; media: { close(): Promise<void> } },
  uri: string,
  identity: McuLegIdentity,
  ready: Promise<void>,
): Promise<McuMove> {
  const { dialog, media } = answered;
  const invited = await inviteMcuWithoutOffer(ctx.srf, caller, uri, identity);
  if (invited.kind !== 'invited') return invited;
  await ready;
  const notConnected = await reinviteCallerToMcu(caller, dialog, invited.mcu);
  if (notConnected) return notConnected;
  // The media now flows between the caller and the MCU: the IVR's RTP ports are no longer needed.
  await media.close();
  // The IVR took INFO for its digits; from now on INFO goes to the MCU.
  dialog.removeAllListeners('info');
  return { kind: 'connected', bridge: new SipMcuBridge(dialog, invited.mcu, ctx, caller.identity) };
}

import type { B2buaDialogs, Srf, SrfRequest, SrfResponse } from '../../sip';
import type { CallerIdentity, McuMove } from '../caller-leg';
import type { McuLegIdentity } from './mcu-leg-identity';
import { SipMcuBridge, type SipMcuBridgeContext } from './sip-mcu-bridge';

/**
 * A direct dial to the MCU: the caller's INVITE, still unanswered, goes on with its offer, the
 * MCU's answer comes back, ringback and early media (180/183) are relayed; confgate has no media
 * on this path. A CANCEL from the caller cancels the INVITE to the MCU (RFC 3261 §9).
 */
export async function b2buaToMcu(
  ctx: SipMcuBridgeContext & { srf: Pick<Srf, 'createB2BUA'> },
  req: SrfRequest,
  res: SrfResponse,
  uri: string,
  identity: McuLegIdentity,
  caller: CallerIdentity,
): Promise<McuMove> {
  let legs: B2buaDialogs;
  try {
    legs = await ctx.srf.createB2BUA(req, res, uri, { passFailure: false, ...identity });
  } catch (error) {
    // Cancelled, or answered already: the MCU took the call and the caller's side failed (no ACK, BYE before ACK).
    if (req.canceled || res.finalResponseSent) return { kind: 'caller-gone' };
    return { kind: 'mcu-failed', error };
  }
  return { kind: 'connected', bridge: new SipMcuBridge(legs.uas, legs.uac, ctx, caller) };
}

import type { RequestHandler } from '../../sip';
import { DialInCall, type DialInCallContext } from '../dial-in-call';
import { SipCallerLeg, type SipCallerLegContext } from './sip-caller-leg';

/** The dial-in's `srf.invite` handler: each INVITE is one {@link DialInCall} with a {@link SipCallerLeg} as its caller. */
export function sipDialIn(calls: DialInCallContext, sip: SipCallerLegContext): RequestHandler {
  return (req, res) => new DialInCall(new SipCallerLeg(req, res, sip), calls).run();
}

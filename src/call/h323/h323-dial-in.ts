import type { H323Call } from '../../h323';
import { DialInCall, type DialInCallContext } from '../dial-in-call';
import { H323CallerLeg, type H323CallerLegContext } from './h323-caller-leg';

/** The H.323 listener's `call` handler: each Setup is one {@link DialInCall} with an {@link H323CallerLeg} as its caller. */
export function h323DialIn(calls: DialInCallContext, h323: H323CallerLegContext): (call: H323Call) => void {
  return (call) => void new DialInCall(new H323CallerLeg(call, h323), calls).run();
}

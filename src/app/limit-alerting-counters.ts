import type { CallEventPublisher } from '../call-log/call-event-publisher';
import type { Config } from '../config/config-schema';
import type { SipCounters } from '../sip';

/**
 * The SIP counters the dial-in's stack reports to: `counters` (metrics) as given, plus a live
 * alert when an INVITE rate limit refuses a call (`CallEventPublisher.overload`: at most one per
 * limit and source a minute).
 */
export function limitAlertingCounters(
  counters: SipCounters | undefined,
  events: CallEventPublisher | undefined,
  rate: Config['sip']['inviteRate'],
): SipCounters {
  return {
    request: (method) => counters?.request(method),
    response: (method, status) => counters?.response(method, status),
    inviteLimited: (trusted, source, limit) => {
      counters?.inviteLimited?.(trusted, source, limit);
      if (limit === 'total') events?.overload('invite-total', 'total', 'all', rate.total);
      else events?.overload('invite-rate', 'source', source, trusted ? rate.trustedPerSource : rate.perSource);
    },
  };
}

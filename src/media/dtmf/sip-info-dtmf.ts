import { DTMF_EVENT_DIGITS, parseDtmfKey, type DtmfDigit } from './dtmf-digit';

/** The INFO body types confgate reads digits from, for an `Accept` header on a 415. */
export const DTMF_INFO_CONTENT_TYPES = ['application/dtmf-relay', 'application/dtmf'] as const;

/**
 * What an INFO request carried, with the SIP status the SIP layer should answer it with.
 * - `digit`: answer 200 and feed the digit to the call's collector.
 * - `no-digit`: a DTMF body type with no key in it (empty keep-alive INFO, hook flash `!`,
 *   Signal=16): answer 200 and ignore (the legacy INFO usage RFC 6086 describes has no rule for such bodies).
 * - `unsupported-type`: RFC 3261 §21.4.13: answer 415 with `Accept` listing `accept`.
 */
export type SipInfoDtmf =
  | { kind: 'digit'; digit: DtmfDigit; durationMs: number | undefined; sipStatus: 200 }
  | { kind: 'no-digit'; reason: string; sipStatus: 200 }
  | { kind: 'unsupported-type'; contentType: string; accept: string; sipStatus: 415 };

/**
 * Reads a DTMF key from a SIP INFO body; never throws.
 *
 * `application/dtmf-relay` (the Cisco format, no RFC) is `Signal=5\r\nDuration=160` with any
 * case, spaces and line ends; some gateways send `Signal=10`/`11` for `*`/`#` (RFC 4733 event
 * numbers). `application/dtmf` is the bare key (`5`, `#`) or the same event number.
 * An INFO without a body (a keep-alive some endpoints send) is `no-digit`.
 */
export function parseSipInfoDtmf(contentType: string | undefined, body: string): SipInfoDtmf {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === '' && body.trim() === '') return { kind: 'no-digit', reason: 'empty INFO', sipStatus: 200 };
  if (type === 'application/dtmf-relay') {
    const fields = new Map<string, string>();
    for (const line of body.split(/\r\n|\r|\n/)) {
      const eq = line.indexOf('=');
      if (eq > 0) fields.set(line.slice(0, eq).trim().toLowerCase(), line.slice(eq + 1).trim());
    }
    const signal = fields.get('signal');
    if (signal === undefined) return { kind: 'no-digit', reason: 'no Signal= line', sipStatus: 200 };
    return digitResult(signal, parseDuration(fields.get('duration')));
  }
  if (type === 'application/dtmf') return digitResult(body.trim(), undefined);
  return {
    kind: 'unsupported-type',
    contentType: type || '(none)',
    accept: DTMF_INFO_CONTENT_TYPES.join(', '),
    sipStatus: 415,
  };
}

function digitResult(signal: string, durationMs: number | undefined): SipInfoDtmf {
  const digit = /^\d{2}$/.test(signal) ? DTMF_EVENT_DIGITS[Number(signal)] : parseDtmfKey(signal);
  if (digit === undefined)
    return { kind: 'no-digit', reason: `no DTMF key in signal ${JSON.stringify(signal.slice(0, 16))}`, sipStatus: 200 };
  return { kind: 'digit', digit, durationMs, sipStatus: 200 };
}

function parseDuration(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d{1,6}$/.test(text)) return undefined;
  return Number(text);
}

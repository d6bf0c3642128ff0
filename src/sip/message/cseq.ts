import { SipSyntaxError, type ParseResult, attempt, isToken } from './syntax';

/** The largest CSeq number: it "MUST be expressible as a 32-bit unsigned integer" and be below 2**31 when chosen (RFC 3261 §8.1.1.5). */
export const MAX_CSEQ = 2 ** 32 - 1;

/** A CSeq value: sequence number and method (RFC 3261 §20.16). */
export interface CSeq {
  seq: number;
  method: string;
}

/** Parses `1*DIGIT LWS Method`; never throws. */
export function parseCSeq(text: string): ParseResult<CSeq> {
  return attempt(() => readCSeq(text));
}

/** Reads a CSeq value (RFC 3261 §20.16, §25.1); throws {@link SipSyntaxError} (RFC 4475 §3.1.2.4 overlarge values). */
export function readCSeq(text: string): CSeq {
  const t = text.trim();
  let i = 0;
  while (i < t.length && t.charCodeAt(i) >= 0x30 && t.charCodeAt(i) <= 0x39) i++;
  if (i === 0) throw new SipSyntaxError('Bad CSeq number');
  const seq = Number(t.slice(0, i));
  if (i > 10 || seq > MAX_CSEQ) throw new SipSyntaxError('CSeq number out of range');
  const sp = i;
  while (i < t.length && (t.charCodeAt(i) === 0x20 || t.charCodeAt(i) === 0x09)) i++;
  const method = t.slice(i);
  if (i === sp || !isToken(method)) throw new SipSyntaxError('Bad CSeq method');
  return { seq, method };
}

/** Formats a CSeq value. */
export function formatCSeq(cseq: CSeq): string {
  return cseq.seq + ' ' + cseq.method;
}

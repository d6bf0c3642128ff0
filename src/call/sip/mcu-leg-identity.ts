import { isSipUser, uriHost, type UacOptions } from '../../sip';
import type { CallerIdentity } from '../caller-leg';

/** Who the MCU leg says is calling, and the participant id (options of createUAC / createB2BUA). */
export type McuLegIdentity = Pick<UacOptions, 'headers' | 'callingNumber' | 'callingName'>;

/**
 * The caller as the MCU sees it: the From carries the caller's display name and number (MCUs show
 * the display name under the participant's picture), RFC 3325 P-Asserted-Identity the number at
 * the address it called from, and `X-Confgate-Participant` the participant id, so the MCU's logs
 * can be matched to confgate's.
 */
export function mcuLegIdentity(participantId: string, caller: CallerIdentity): McuLegIdentity {
  const { displayName, callingNumber, address } = caller;
  const headers: Record<string, string> = { 'X-Confgate-Participant': participantId };
  const number = callingNumber && isSipUser(callingNumber) ? callingNumber : undefined;
  const name = displayName?.replace(/\p{Cc}/gu, '').trim() || undefined;
  if (number) {
    headers['P-Asserted-Identity'] =
      `${name ? `"${name.replace(/["\\]/g, '')}" ` : ''}<sip:${number}@${uriHost(address)}>`;
  }
  return { headers, callingNumber: number, callingName: name };
}

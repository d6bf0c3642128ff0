/**
 * Reading the callee's fastStart answer (H.323 §8.1.7.2): the proposals it accepted, returned in a
 * CallProceeding, Alerting, Progress, Facility or Connect. An accepted transmit proposal comes back
 * with the callee's RTP address in `mediaChannel`; an accepted receive proposal comes back with its
 * media in `reverseLogicalChannelParameters`.
 */
import type { H2250LogicalChannelParameters, OpenLogicalChannel } from '../../../src/h323/generated/h245-types';
import { readAddress } from './endpoint-identity';
import { formatOf, type MediaFormat } from './media-format';

/** A logical channel the call now has, from fastStart or from an H.245 OpenLogicalChannel exchange. */
export interface OpenChannel {
  direction: 'transmit' | 'receive';
  format: MediaFormat;
  /** the forwardLogicalChannelNumber it is known by */
  number: number;
  /** transmit: where to send RTP */
  rtp?: { host: string; port: number };
}

function h2250(p: { multiplexParameters?: unknown } | undefined): H2250LogicalChannelParameters | undefined {
  const m = p?.multiplexParameters;
  return m !== null && typeof m === 'object' && 'h2250LogicalChannelParameters' in m
    ? (m.h2250LogicalChannelParameters as H2250LogicalChannelParameters)
    : undefined;
}

/** The channels an answer opens; elements the endpoint never proposed are left out. */
export function acceptedChannels(answer: readonly OpenLogicalChannel[]): OpenChannel[] {
  const out: OpenChannel[] = [];
  for (const olc of answer) {
    const reverse = olc.reverseLogicalChannelParameters;
    if (reverse) {
      const format = formatOf(reverse.dataType);
      if (format) out.push({ direction: 'receive', format, number: olc.forwardLogicalChannelNumber });
      continue;
    }
    const forward = olc.forwardLogicalChannelParameters;
    const format = formatOf(forward.dataType);
    const rtp = readAddress(h2250(forward)?.mediaChannel);
    if (format && rtp) out.push({ direction: 'transmit', format, number: olc.forwardLogicalChannelNumber, rtp });
  }
  return out;
}

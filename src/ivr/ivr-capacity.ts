import type { Config } from '../config/config-schema';

/** The caps on calls in the IVR at once (`ivr.maxCalls`, `ivr.maxCallsPerSource`). */
export interface IvrCaps {
  /** All sources together; each IVR call holds an RTP/RTCP port pair, so this stays below the range's pairs. */
  total: number;
  /** One source address; trusted gateways (many callers on one address) are held to the total only. */
  perSource: number;
  /** Lower-case addresses exempt from the per-source cap. */
  exempt: ReadonlySet<string>;
}

/** A call's place in the IVR: `release()` once its IVR step ends (idempotent). */
export interface IvrSlot {
  release(): void;
}

/** A slot, or which cap refused one, and its value. */
export type IvrAdmission = { ok: true; slot: IvrSlot } | { ok: false; limit: 'source' | 'total'; cap: number };

/**
 * Counts this instance's calls in the IVR, per source and in total, so a source (or a flood from
 * many) cannot hold every media port with silent calls: a call past a cap is refused before it is
 * answered. In memory, per instance: the RTP ports it protects are the instance's own.
 */
export class IvrCapacity {
  private readonly perSource = new Map<string, number>();
  private total = 0;

  constructor(private readonly caps: IvrCaps) {}

  /** Calls in the IVR now. */
  get calls(): number {
    return this.total;
  }

  take(address: string): IvrAdmission {
    const source = address.toLowerCase();
    const held = this.perSource.get(source) ?? 0;
    if (this.total >= this.caps.total) return { ok: false, limit: 'total', cap: this.caps.total };
    if (!this.caps.exempt.has(source) && held >= this.caps.perSource)
      return { ok: false, limit: 'source', cap: this.caps.perSource };
    this.total += 1;
    this.perSource.set(source, held + 1);
    let released = false;
    return {
      ok: true,
      slot: {
        release: () => {
          if (released) return;
          released = true;
          this.total -= 1;
          const left = (this.perSource.get(source) ?? 1) - 1;
          if (left === 0) this.perSource.delete(source);
          else this.perSource.set(source, left);
        },
      },
    };
  }
}

/**
 * The caps from the configuration: `ivr.maxCalls`, but below the RTP/RTCP port pairs of
 * `media.rtpPortMin`–`rtpPortMax` (RFC 3550 §11: an even port and the odd one above it), so a full
 * IVR still leaves a pair free; `ivr.maxCallsPerSource`, trusted gateways exempt.
 */
export function ivrCaps(config: Config): IvrCaps {
  const pairs = Math.floor((config.media.rtpPortMax - config.media.rtpPortMin + 1) / 2);
  return {
    total: Math.max(1, Math.min(config.ivr.maxCalls, pairs - 1)),
    perSource: config.ivr.maxCallsPerSource,
    exempt: new Set(config.admission.trustedGateways.map((g) => g.toLowerCase())),
  };
}

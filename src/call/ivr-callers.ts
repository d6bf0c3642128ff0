import { emptyWithin } from '../routing/empty-within';
import type { LegEnd } from '../routing/live-legs';
import type { CallEnd } from './caller-leg';
import { hangUpReason } from './hang-up-reason';

/**
 * The answered callers of this instance still in the IVR (not admitted, so not a live leg yet): a
 * stopping instance hangs them up with a `Reason` (RFC 3326) as it does its live legs, instead of
 * cutting them without a BYE.
 */
export class IvrCallers {
  private readonly callers = new Set<(end: CallEnd | undefined) => Promise<void>>();
  private readonly emptied: Array<() => void> = [];

  get size(): number {
    return this.callers.size;
  }

  /** Registers a caller by how it is hung up; returns the function that forgets it (it left the IVR). */
  add(hangUp: (end: CallEnd | undefined) => Promise<void>): () => void {
    this.callers.add(hangUp);
    return () => {
      if (!this.callers.delete(hangUp) || this.callers.size > 0) return;
      for (const f of this.emptied.splice(0)) f();
    };
  }

  /** Resolves once no caller is in the IVR (at once when none is). */
  whenEmpty(): Promise<void> {
    if (this.callers.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.emptied.push(resolve));
  }

  /** Hangs up every caller in the IVR, telling it why (`shutdown`: 503 shutting down); resolves once all left (or after `timeoutMs`). */
  async hangUpAll(cause: LegEnd, timeoutMs = 2000): Promise<void> {
    for (const hangUp of [...this.callers]) void hangUp(hangUpReason(cause));
    await emptyWithin(this.whenEmpty(), timeoutMs);
  }
}

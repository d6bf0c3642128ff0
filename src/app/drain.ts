import type { CallEnd } from '../call/caller-leg';
import type { Logger } from '../log/logger';
import type { LiveLegs } from '../routing/live-legs';

/** What a drain needs of a group of the instance's calls (its live legs, its callers in the IVR). */
export type DrainedLegs = Pick<LiveLegs, 'size' | 'whenEmpty' | 'hangUpAll'>;

export interface DrainOptions {
  /** Live calls may go on this long after the drain starts (`shutdown.drainSeconds`). */
  drainSeconds: number;
  /** Retry-After of the 503 new calls and OPTIONS get meanwhile (RFC 3261 §20.33). */
  retryAfterSeconds: number;
  log: Logger;
  /** Told once, when the drain starts (the metric). */
  onStart?: () => void;
}

/**
 * A stopping instance that drops no call: once `run` starts, new calls and OPTIONS are refused
 * with 503 and Retry-After (RFC 3261 §21.5.4), so callers and an upstream dispatcher go to another
 * instance, while the calls already up go on until they end, until `drainSeconds` pass, or until
 * `cut()`; those still up then are hung up with `Reason: SIP;cause=503;text="shutting down"`.
 */
export class Drain {
  private started = false;
  private cutNow: (() => void) | undefined;

  constructor(private readonly o: DrainOptions) {}

  /** True from the start of the drain on. */
  get draining(): boolean {
    return this.started;
  }

  /** How a new call (or an OPTIONS ping) is refused while draining; undefined while not draining. */
  refusal(): CallEnd | undefined {
    return this.started
      ? { status: 503, reason: 'Service Unavailable', retryAfterSeconds: this.o.retryAfterSeconds }
      : undefined;
  }

  /**
   * Starts the drain over every group of calls (live legs, callers in the IVR); resolves once no call
   * is left (each ended by itself, or hung up at the deadline or on `cut`).
   */
  async run(...groups: DrainedLegs[]): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.o.onStart?.();
    const { log, drainSeconds } = this.o;
    const calls = (): number => groups.reduce((n, g) => n + g.size, 0);
    log.info({ calls: calls(), drainSeconds }, 'draining: new calls refused, live calls go on');
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'cut'>((resolve) => {
      this.cutNow = () => resolve('cut');
      timer = setTimeout(() => resolve('cut'), drainSeconds * 1000);
    });
    const outcome = await Promise.race([allEmpty(groups).then(() => 'empty' as const), deadline]);
    clearTimeout(timer);
    if (outcome === 'cut') {
      log.warn({ calls: calls() }, 'drain over: hanging up the calls still up');
      await Promise.all(groups.map((g) => g.hangUpAll('shutdown')));
    }
    log.info({ calls: calls() }, 'drain over');
  }

  /** Ends the drain at once (a second SIGTERM): the calls still up are hung up now. */
  cut(): void {
    this.cutNow?.();
  }
}

/** Resolves once every group is empty at the same time (a caller leaving the IVR may become a live leg). */
async function allEmpty(groups: readonly DrainedLegs[]): Promise<void> {
  while (groups.some((g) => g.size > 0)) await Promise.all(groups.map((g) => g.whenEmpty()));
}

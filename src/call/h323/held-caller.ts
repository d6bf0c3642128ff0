import type { CallEnd, HeldCall } from '../caller-leg';

/** What a held caller needs of its leg. */
interface HoldableLeg {
  readonly gone: boolean;
  whenGone(): Promise<void>;
  hangUp(end?: CallEnd): Promise<void>;
}

/**
 * An admitted H.323 caller kept on hold: its "you are being connected" plays out (`ready`), then
 * the line stays open on silence, the caller counted in its conference, until it hangs up or
 * confgate does (booking end, kick, lease lost, shutdown). There is no MCU leg behind it: H.323
 * callers reach the MCU once the H.323↔SIP bridge exists.
 */
export class HeldCaller implements HeldCall {
  private readonly listeners: Array<() => void> = [];
  private ended = false;

  constructor(
    private readonly leg: HoldableLeg,
    ready: Promise<void>,
  ) {
    // Errors of the prompt are the media's (closed meanwhile): the hold goes on either way.
    ready.catch(() => undefined);
    void leg.whenGone().then(() => this.end());
  }

  get up(): boolean {
    return !this.ended && !this.leg.gone;
  }

  onEnd(listener: () => void): void {
    if (this.ended) listener();
    else this.listeners.push(listener);
  }

  hangUp(end: CallEnd | undefined): void {
    void this.leg.hangUp(end);
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    for (const listener of this.listeners.splice(0)) listener();
  }
}

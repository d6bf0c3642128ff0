import type { TimerEntry, TimerTarget, TimerWheel } from '../timer/timer-wheel';
import type { SessionInterval } from './session-timer-negotiation';

/** What the session timer asks its dialog to do. */
export interface SessionTimerOwner {
  /** Send a session refresh (re-INVITE or UPDATE with the current SDP). */
  refreshSession(): void;
  /** The refresher missed its refresh: end the session with BYE. */
  sessionExpired(): void;
}

const FIRE = 1;

/**
 * The running session timer of one dialog (RFC 4028 §10): the refresher refreshes at half the
 * interval; the other side sends BYE when no refresh arrived "the minimum of 32 seconds and
 * one third of the session interval" before it ends. Restarted after every refresh.
 */
export class SessionTimer implements TimerTarget {
  private timer: TimerEntry | null = null;
  private current: SessionInterval | undefined;

  constructor(
    private readonly wheel: TimerWheel,
    private readonly owner: SessionTimerOwner,
  ) {}

  get session(): SessionInterval | undefined {
    return this.current;
  }

  /** (Re)starts the timer for an agreed interval. */
  start(session: SessionInterval): void {
    this.stop();
    this.current = session;
    const ms = session.interval * 1000;
    const delay = session.refresher === 'local' ? ms / 2 : ms - Math.min(32000, ms / 3);
    this.timer = this.wheel.schedule(this, FIRE, delay);
  }

  stop(): void {
    this.wheel.cancel(this.timer);
    this.timer = null;
  }

  onTimer(): void {
    this.timer = null;
    if (!this.current) return;
    if (this.current.refresher === 'local') this.owner.refreshSession();
    else this.owner.sessionExpired();
  }
}

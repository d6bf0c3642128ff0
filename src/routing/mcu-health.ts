import type { Logger } from '../log/logger';
import type { SipResponse } from '../sip';
import { mcuPingUri } from './mcu-uri';
import type { PoolMcu } from './placement-store';

export interface McuHealthSettings {
  intervalMs: number;
  timeoutMs: number;
  /** Consecutive failed pings before an MCU is marked down. */
  downAfterFailures: number;
  /** Consecutive answered pings before a down MCU is up again. */
  upAfterSuccesses: number;
}

/** What health pings need from the SIP stack: an out-of-dialog request (RFC 3261 §11). */
export interface Pinger {
  request(uri: string, opts: { method: string }): Promise<SipResponse>;
}

/** What the last ping round found of an MCU: `inconclusive` when this instance's own ping went unanswered too. */
type PingFinding = 'answered' | 'failed' | 'inconclusive';

interface State {
  up: boolean;
  failures: number;
  successes: number;
  lastPing?: PingFinding;
}

/**
 * Up/down state of each MCU from OPTIONS pings (RFC 3261 §11): any final response from the MCU
 * means it is alive, whatever its status; a ping with no answer within `timeoutMs`, a transaction
 * timeout (408) or a transport failure (503, §8.1.3.1) is a failure. Hysteresis: down after
 * `downAfterFailures` failures in a row, up again after `upAfterSuccesses` answers in a row.
 * MCUs start up, so calls are routed before the first ping round.
 *
 * An unanswered ping may be this instance's fault: starved of CPU, its answers wait in its own
 * receive queue past the timeout, for every MCU at once. So each round also pings this instance's
 * own SIP address (the control); when that goes unanswered too, the round's MCU failures count for
 * nothing. A call's failure counts only while the MCU's last ping failed too, so a burst of INVITE
 * timeouts from one overloaded moment neither marks a healthy MCU down nor holds back its recovery.
 */
export class McuHealth {
  private readonly states = new Map<string, State>();
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;
  private controlUri: string | undefined;

  constructor(
    private readonly mcus: readonly PoolMcu[],
    private readonly pinger: Pinger,
    private readonly settings: McuHealthSettings,
    private readonly log: Logger,
    /** Told each up/down transition (the live view's `mcu` events); {@link McuHealth.report} tells the current state. */
    private readonly onChange?: (id: string, up: boolean) => void,
  ) {
    for (const m of mcus) this.states.set(m.id, { up: true, failures: 0, successes: 0 });
  }

  isUp(id: string): boolean {
    return this.states.get(id)?.up ?? false;
  }

  /** The MCUs that are up, in configuration order. */
  up(): PoolMcu[] {
    return this.mcus.filter((m) => this.isUp(m.id));
  }

  /** Pings every `intervalMs`; `controlUri` is this instance's own SIP address, pinged with each round. */
  start(controlUri?: string): void {
    if (this.timer || this.mcus.length === 0) return;
    this.controlUri = controlUri;
    const tick = (): void => {
      if (!this.round) this.round = this.pingAll().finally(() => (this.round = undefined));
    };
    tick();
    this.timer = setInterval(tick, this.settings.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.round;
  }

  /** One ping to every MCU and to the control, in parallel; resolves when all are answered or timed out. */
  async pingAll(): Promise<void> {
    const [control, ...answers] = await Promise.all([
      this.controlUri === undefined || this.ping(this.controlUri),
      ...this.mcus.map((m) => this.ping(mcuPingUri(m.uri))),
    ]);
    this.mcus.forEach((m, i) => {
      const s = this.states.get(m.id)!;
      if (answers[i] || control) {
        s.lastPing = answers[i] ? 'answered' : 'failed';
        this.record(m, answers[i]!);
      } else {
        s.lastPing = 'inconclusive';
        this.log.info({ mcu: m.id }, 'MCU ping unanswered, and so was our own: not counted');
      }
    });
  }

  /** Tells `onChange` every MCU's current health, for viewers that started after the last transition. */
  report(): void {
    for (const [id, s] of this.states) this.onChange?.(id, s.up);
  }

  /** A failure seen on a call (the MCU did not answer an INVITE) counts like a failed ping while its last ping failed too. */
  reportFailure(id: string): void {
    const m = this.mcus.find((x) => x.id === id);
    if (m && this.states.get(id)!.lastPing === 'failed') this.record(m, false);
  }

  private async ping(uri: string): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>(
      (resolve) => (timer = setTimeout(() => resolve(false), this.settings.timeoutMs)),
    );
    const answer = this.pinger.request(uri, { method: 'OPTIONS' }).then(
      (res) => res.status !== 408 && res.status !== 503,
      () => false,
    );
    try {
      return await Promise.race([answer, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private record(m: PoolMcu, ok: boolean): void {
    const s = this.states.get(m.id)!;
    const before = s.up;
    if (ok) {
      s.failures = 0;
      s.successes++;
      if (!s.up && s.successes >= this.settings.upAfterSuccesses) {
        s.up = true;
        this.log.info({ mcu: m.id, uri: m.uri }, 'MCU up');
      }
    } else {
      s.successes = 0;
      s.failures++;
      if (s.up && s.failures >= this.settings.downAfterFailures) {
        s.up = false;
        this.log.warn({ mcu: m.id, uri: m.uri }, 'MCU down');
      }
    }
    if (s.up !== before) this.onChange?.(m.id, s.up);
  }
}

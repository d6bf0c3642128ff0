import type { MultimediaSystemControlMessage } from '../generated/h245-types';
import type { StartTimer } from './h245-timer';

/** H.245 §8.2 outcome of master-slave determination, as seen by confgate. */
export type MsdStatus = 'master' | 'slave';

/** An MSDSE (H.245 §8.2, Annex C.2) event that ends the procedure. */
export type MsdOutcome = { ok: true; status: MsdStatus } | { ok: false; reason: string };

/** What the MSDSE needs around it: its terminal type, how it sends, its random numbers and timer. */
export interface MsdContext {
  /** H.323 Table 1: terminal type of an entity without MC (50), with MC (60+), MCU (190). */
  terminalType: number;
  send(message: MultimediaSystemControlMessage): void;
  /** A fresh statusDeterminationNumber, 0 … 2^24 − 1 (H.245 §C.2.1.1: random each try). */
  random(): number;
  timer: StartTimer;
  t106Ms: number;
  n100: number;
  done(outcome: MsdOutcome): void;
}

type State = 'idle' | 'outgoing-awaiting-response' | 'incoming-awaiting-response' | 'done';

const MODULO = 0x1000000;
const HALF = 0x800000;

/**
 * Master-slave determination (H.245 §8.2): each side sends its terminal type and a random
 * number; the larger type is master, equal types are decided by the numbers' difference modulo
 * 2^24 (H.245 §C.2.1.5: 0 and 2^23 are indeterminate, retried up to N100 times with new numbers).
 * Each side acknowledges the other's request with the status it found for the other (H.245 §C.2.2).
 * T106 guards a request without answer; on its expiry a MasterSlaveDeterminationRelease is sent.
 */
export class MasterSlaveDetermination {
  private state: State = 'idle';
  private number = 0;
  private retries = 0;
  private stopTimer: (() => void) | undefined;
  private decided: MsdStatus | undefined;

  constructor(private readonly c: MsdContext) {}

  /** The outcome, once both acks are exchanged. */
  get status(): MsdStatus | undefined {
    return this.state === 'done' ? this.decided : undefined;
  }

  /** Starts confgate's own determination (H.245 §C.2.2.1: DETERMINE.request). */
  start(): void {
    if (this.state !== 'idle') return;
    this.sendRequest();
  }

  /** A MasterSlaveDetermination from the peer. */
  onRequest(terminalType: number, number: number): void {
    if (this.state === 'done' || this.state === 'incoming-awaiting-response') {
      // A new request after the decision restarts the procedure (H.245 §C.2.3, "idle" again).
      this.state = 'idle';
    }
    if (this.state === 'idle') this.number = this.c.random();
    const status = this.determine(terminalType, number);
    if (!status) {
      if (this.state === 'outgoing-awaiting-response') {
        // Both asked at once with numbers that decide nothing: try again with a new number.
        if (++this.retries >= this.c.n100) return this.fail('master-slave determination indeterminate N100 times');
        return this.sendRequest();
      }
      this.c.send({ response: { masterSlaveDeterminationReject: { cause: { identicalNumbers: null } } } });
      return;
    }
    this.decided = status;
    this.c.send(ack(status === 'master' ? 'slave' : 'master'));
    this.state = 'incoming-awaiting-response';
    this.armTimer();
  }

  /** A MasterSlaveDeterminationAck from the peer: `decision` is confgate's status as the peer found it. */
  onAck(decision: MsdStatus): void {
    if (this.state === 'outgoing-awaiting-response') {
      this.decided = decision;
      this.c.send(ack(decision === 'master' ? 'slave' : 'master'));
      return this.finish();
    }
    if (this.state === 'incoming-awaiting-response') {
      if (decision !== this.decided) return this.fail('master-slave determination acknowledged with the other status');
      return this.finish();
    }
  }

  /** A MasterSlaveDeterminationReject: the peer found the numbers identical; retried with a new one up to N100 times. */
  onReject(): void {
    if (this.state !== 'outgoing-awaiting-response') return;
    if (++this.retries >= this.c.n100) return this.fail('master-slave determination rejected N100 times');
    this.sendRequest();
  }

  /** A MasterSlaveDeterminationRelease: the peer gave up (its T106 expired). */
  onRelease(): void {
    if (this.state !== 'done' && this.state !== 'idle') this.fail('master-slave determination released by the peer');
  }

  /** Stops the timer (the call ended). */
  dispose(): void {
    this.stopTimer?.();
    this.stopTimer = undefined;
  }

  private sendRequest(): void {
    this.number = this.c.random();
    this.state = 'outgoing-awaiting-response';
    this.c.send({
      request: {
        masterSlaveDetermination: { terminalType: this.c.terminalType, statusDeterminationNumber: this.number },
      },
    });
    this.armTimer();
  }

  /** H.245 §C.2.1.5: confgate's status against the peer's type and number, undefined when indeterminate. */
  private determine(terminalType: number, number: number): MsdStatus | undefined {
    if (terminalType !== this.c.terminalType) return terminalType < this.c.terminalType ? 'master' : 'slave';
    const difference = (((number - this.number) % MODULO) + MODULO) % MODULO;
    if (difference === 0 || difference === HALF) return undefined;
    return difference < HALF ? 'master' : 'slave';
  }

  private armTimer(): void {
    this.stopTimer?.();
    this.stopTimer = this.c.timer(this.c.t106Ms, () => {
      this.stopTimer = undefined;
      this.c.send({ indication: { masterSlaveDeterminationRelease: {} } });
      this.fail('T106 expired: no master-slave determination answer');
    });
  }

  private finish(): void {
    this.dispose();
    this.state = 'done';
    this.c.done({ ok: true, status: this.decided! });
  }

  private fail(reason: string): void {
    this.dispose();
    this.state = 'idle';
    this.retries = 0;
    this.c.done({ ok: false, reason });
  }
}

function ack(peerStatus: MsdStatus): MultimediaSystemControlMessage {
  return {
    response: {
      masterSlaveDeterminationAck: { decision: peerStatus === 'master' ? { master: null } : { slave: null } },
    },
  };
}

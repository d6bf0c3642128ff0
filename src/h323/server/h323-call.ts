import { randomInt } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { MultimediaSystemControlMessage } from '../generated/h245-types';
import { callIdOf, type CallKeys } from '../h225/call-keys';
import type { IncomingSetup, SocketAddress } from '../h225/incoming-setup';
import {
  alerting,
  callProceeding,
  connect,
  facility,
  releaseComplete,
  status,
  type MessageExtras,
} from '../h225/outgoing-messages';
import { Q850, releaseReasonFor } from '../h225/release-reason';
import type { H323AudioCodec } from '../h245/audio-codec';
import { TELEPHONE_EVENT_PAYLOAD_TYPE } from '../h245/confgate-capabilities';
import { answerFastStart } from '../h245/fast-start-answer';
import { H245Session } from '../h245/h245-session';
import { H245_TIMERS, type H245TimerValues, type StartTimer } from '../h245/h245-timer';
import type { LocalMedia } from '../h245/media-address';
import type { SignallingFrame } from '../signalling-frame';
import { keysOf, type H323Key } from '../user-input';
import { dialH245, listenH245, type H245Listener } from './h245-connection';
import { H245Transport } from './h245-transport';
import type { H323FaultKind, H323Logger } from './h323-server-options';

/** Who calls and what they dialled, as the Setup says it. */
export interface H323CallIdentity {
  /** The H.225.0 callIdentifier in hex (the call's id in logs and records). */
  callId: string;
  /** The caller's signalling address and port. */
  address: string;
  port: number;
  /** The dialled alias (destinationAddress or Called Party Number); undefined for a bare `h323:host` call. */
  dialled: string | undefined;
  callerName: string | undefined;
  callingNumber: string | undefined;
  userAgent: string | undefined;
}

/** The audio of an answered call: the codec confgate sends, where to, and the RFC 2833 payload type it takes. */
export interface H323Audio {
  codec: H323AudioCodec;
  remote: SocketAddress;
  telephoneEventPayloadType: number;
}

/** How the call ended: who ended it and, when known, the Q.850 cause. */
export interface H323Release {
  by: 'caller' | 'confgate';
  cause: number | undefined;
}

export interface H323CallEvents {
  /** A key from signalling (H.245 UserInputIndication, Q.931 Keypad IE). */
  key: [H323Key];
  /** The audio channel confgate sends on is set (fast start at the answer, or H.245 later). */
  media: [H323Audio];
  released: [H323Release];
}

/** What a call needs from the server that accepted it. */
export interface H323CallContext {
  send(frame: SignallingFrame): void;
  /** Closes the signalling connection once what was sent has gone. */
  close(): void;
  /** The address confgate listens on for a separate H.245 connection. */
  h245Host: string;
  log: H323Logger;
  fault(kind: H323FaultKind): void;
  timer: StartTimer;
  h245Timers?: H245TimerValues;
  limits: { maxFrameBytes: number; partialFrameTimeoutMs: number };
}

/** Q.931 call states of the called side (Q.931 §2.1.2: N6, N9, N7, N10; N0 once released). */
type CallState = 'present' | 'proceeding' | 'received' | 'active' | 'released';
const Q931_STATE: Record<CallState, number> = { present: 6, proceeding: 9, received: 7, active: 10, released: 0 };
/** H.323 Table 1: terminal type of a terminal (entity without MC), what confgate is towards the caller. */
const TERMINAL_TYPE = 50;

/**
 * One incoming H.323 call (H.323 §8.1): Call Proceeding, Alerting and Connect as the application
 * says, Release Complete with a Q.850 cause and the matching H.225.0 reason; Facility, Information
 * (Keypad IE), Status Enquiry and Notify answered or read; its H.245 session tunnelled or on a
 * separate connection; fast start answered at the Connect. Emits `key`, `media` and `released`.
 */
export class H323Call extends EventEmitter<H323CallEvents> {
  readonly identity: H323CallIdentity;
  private state: CallState = 'present';
  private readonly keys: CallKeys;
  private readonly h245: H245Session;
  private readonly transport: H245Transport;
  private local: LocalMedia | undefined;
  private fastStartAudio = false;
  private h245Listener: H245Listener | undefined;

  constructor(
    private readonly setup: IncomingSetup,
    from: SocketAddress,
    private readonly c: H323CallContext,
  ) {
    super();
    this.keys = setup.keys;
    this.identity = {
      callId: callIdOf(setup.keys),
      address: from.address,
      port: from.port,
      dialled: setup.dialled,
      callerName: setup.callerName,
      callingNumber: setup.callingNumber,
      userAgent: setup.userAgent,
    };
    this.transport = new H245Transport({
      tunnelling: setup.h245Tunnelling,
      sendInFacility: (messages) => this.sendInFacility(messages),
      received: (message) => this.h245.receive(message),
      fault: (kind, detail) => this.fault(kind, detail),
      limits: { ...c.limits, timer: c.timer },
    });
    this.h245 = new H245Session({
      send: (message) => this.transport.send(message),
      timer: c.timer,
      timers: c.h245Timers ?? H245_TIMERS,
      random: () => randomInt(0, 0x1000000),
      terminalType: TERMINAL_TYPE,
      local: () => this.local,
      audioByFastStart: () => this.fastStartAudio,
      events: {
        key: (key) => this.emit('key', key),
        sending: (codec, remote) =>
          this.emit('media', { codec, remote, telephoneEventPayloadType: TELEPHONE_EVENT_PAYLOAD_TYPE }),
        ended: () => this.release(Q850.normalClearing),
        failed: (reason) => c.log.info({ callId: this.identity.callId, reason }, 'H.245 procedure failed'),
      },
    });
  }

  /** The Q.931 call reference the caller chose (Q.931 §4.3). */
  get callReference(): number {
    return this.keys.callReference;
  }

  /** The call is over (released by either side). */
  get released(): boolean {
    return this.state === 'released';
  }

  /** Keys and H.245 the caller sent with its Setup: read once the application listens. */
  start(): void {
    for (const key of keysOf(this.setup.keypad ?? '', 'q931-keypad')) this.emit('key', key);
    for (const message of this.setup.h245) this.h245.receive(message);
  }

  /** Call Proceeding (H.225.0 §7.3.2): sent at once, so the caller's T303 does not expire while confgate decides. */
  proceed(): void {
    if (this.state !== 'present') return;
    this.sendMessage('proceeding', (x) => callProceeding(this.keys, x));
    if (!this.setup.h245Tunnelling && this.setup.h245Address) this.openH245To(this.setup.h245Address);
  }

  /** Alerting (H.225.0 §7.3.3). */
  alert(): void {
    this.proceed();
    if (this.state !== 'proceeding') return;
    this.sendMessage('received', (x) => alerting(this.keys, x));
  }

  /**
   * Connect (H.225.0 §7.3.4) with confgate's media at `local`: the caller's fast start proposals
   * answered when it made usable ones (the audio is then known at once and returned, and emitted
   * as `media`), else the audio comes from H.245 (`media` later). Confgate's H.245 side starts.
   */
  async answer(local: LocalMedia): Promise<H323Audio | undefined> {
    this.proceed();
    if (this.state !== 'proceeding' && this.state !== 'received') return undefined;
    this.local = local;
    const fastStart = this.setup.fastStart && answerFastStart(this.setup.fastStart, local);
    this.fastStartAudio = fastStart !== undefined;
    let h245Address: SocketAddress | undefined;
    if (!this.setup.h245Tunnelling && !this.transport.separateConnection) h245Address = await this.listenForH245();
    if (this.released) return undefined;
    this.sendMessage('active', (x) => connect(this.keys, { ...x, fastStart: fastStart?.channels, h245Address }));
    this.h245.start();
    this.h245.mediaReady();
    if (!fastStart) return undefined;
    const audio = {
      codec: fastStart.codec,
      remote: fastStart.remote,
      telephoneEventPayloadType: TELEPHONE_EVENT_PAYLOAD_TYPE,
    };
    this.emit('media', audio);
    return audio;
  }

  /** Release Complete with a Q.850 cause (H.225.0 §7.3.9); H.245 ends with EndSessionCommand first. */
  release(cause: number): void {
    if (this.released) return;
    this.h245.end();
    this.sendMessage('released', (x) => releaseComplete(this.keys, cause, releaseReasonFor(cause), x));
    this.end({ by: 'confgate', cause });
  }

  /** One message from the caller on the call's connection, decoded. */
  receive(frame: SignallingFrame): void {
    if (this.released) return;
    const type = frame.q931.messageType;
    if (type === 'releaseComplete') {
      const cause = frame.q931.ies.find((e) => e.ie === 'cause');
      return this.end({ by: 'caller', cause: cause?.ie === 'cause' ? cause.value : undefined });
    }
    for (const message of frame.tunnelled?.h245Control ?? []) this.h245.receive(message);
    switch (type) {
      case 'information': {
        const keypad = frame.q931.ies.find((e) => e.ie === 'keypadFacility');
        if (keypad?.ie === 'keypadFacility')
          for (const key of keysOf(keypad.text, 'q931-keypad')) this.emit('key', key);
        return;
      }
      case 'facility':
        return this.onFacility(frame);
      case 'statusEnquiry':
        return this.sendStatus(Q850.responseToStatusEnquiry);
      case 'status':
      case 'notify':
      case 'progress':
        return;
      default:
        // Setup again, Alerting, Connect...: nothing a called side expects (Q.931 §5.8.4).
        this.c.fault('unexpected');
        return this.sendStatus(Q850.messageTypeNotCompatible);
    }
  }

  /** The connection closed: a caller gone without Release Complete ended the call all the same. */
  connectionClosed(): void {
    this.end({ by: 'caller', cause: undefined });
  }

  private onFacility(frame: SignallingFrame): void {
    const body = frame.userInformation?.['h323-uu-pdu']['h323-message-body'];
    if (!body || !('facility' in body)) return;
    const address = body.facility.h245Address;
    if ('startH245' in body.facility.reason && address && 'ipAddress' in address)
      this.openH245To({ address: address.ipAddress.ip.join('.'), port: address.ipAddress.port });
  }

  private openH245To(to: SocketAddress): void {
    if (this.transport.separateConnection) return;
    // Only the caller's own host: an address named in a Setup or Facility would otherwise make confgate
    // open TCP connections to any host a crafted message names. The caller then connects to ours instead.
    if (to.address !== this.identity.address) {
      this.c.log.info(
        { callId: this.identity.callId, h245Address: to.address, caller: this.identity.address },
        "H.245 address is not the caller's: not connected to",
      );
      return;
    }
    const socket = dialH245(to);
    socket.once('connect', () => {
      if (this.released) return socket.destroy();
      this.h245Listener?.close();
      this.transport.attach(socket);
      if (this.state === 'active') this.h245.start();
    });
    socket.once('error', (err) =>
      this.c.log.info({ callId: this.identity.callId, err: String(err) }, 'H.245 connection failed'),
    );
  }

  private async listenForH245(): Promise<SocketAddress> {
    const listener = await listenH245(this.c.h245Host);
    this.h245Listener = listener;
    void listener.accepted.then((socket) => {
      if (this.released) return socket.destroy();
      this.transport.attach(socket);
    });
    return { address: this.c.h245Host, port: listener.port };
  }

  private sendInFacility(messages: MultimediaSystemControlMessage[]): boolean {
    if (this.state === 'present' || this.released) return false;
    this.c.send(facility(this.keys, { h245Tunnelling: true, h245Control: messages }));
    return true;
  }

  private sendStatus(cause: number): void {
    this.c.send(status(this.keys, cause, Q931_STATE[this.state], this.extras()));
  }

  /** Sends one H.225.0 message with the tunnelled H.245 that waits, and moves to `next`. */
  private sendMessage(next: CallState, build: (x: MessageExtras) => SignallingFrame): void {
    const before = this.state;
    this.c.send(build(this.extras()));
    this.state = next;
    // H.245 that could not go before the first answer (Facility needs one) goes now.
    if (before === 'present') this.transport.flush();
  }

  private extras(): MessageExtras {
    return { h245Tunnelling: this.setup.h245Tunnelling, h245Control: this.transport.takeTunnelled() };
  }

  private fault(kind: H323FaultKind, detail: string): void {
    this.c.fault(kind);
    this.c.log.info({ callId: this.identity.callId, kind, detail }, 'H.323 fault');
  }

  private end(how: H323Release): void {
    if (this.state === 'released' && how.by === 'caller') return;
    this.state = 'released';
    this.h245.dispose();
    this.h245Listener?.close();
    this.transport.close();
    this.c.close();
    this.emit('released', how);
    this.removeAllListeners('key');
  }
}

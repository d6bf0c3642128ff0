/**
 * One outgoing H.323 call by the test endpoint (H.323 §8.1 phase A to §8.5 phase E): Setup with or
 * without fastStart, H.245 tunnelled (H.323 §8.2.1) or on its own TCP connection (ours offered in the
 * Setup, or the peer's from its h245Address), the terminal's H.245 procedures, digits sent each of the
 * ways, and ReleaseComplete. Everything seen is kept in {@link CallReport}.
 */
import { randomInt } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { decodeH245Message, encodeH245Message } from '../../../src/h323/asn1-codec';
import type { TransportAddress } from '../../../src/h323/generated/h225-types';
import type { MultimediaSystemControlMessage as H245Message } from '../../../src/h323/generated/h245-types';
import { decodeSignallingFrame } from '../../../src/h323/signalling-frame';
import { frameTpkt } from '../../../src/h323/tpkt';
import { h225Name, h245Name, type CallReport, type Direction } from './call-report';
import type { DialledAlias } from './dialled-alias';
import { newGuid, readAddress } from './endpoint-identity';
import { acceptedChannels, type OpenChannel } from './fast-start-answer';
import { fastStartProposals } from './fast-start-proposals';
import { H245Terminal } from './h245-terminal';
import { heardAudio, type HeardAudio } from './heard-audio';
import { MediaSocket } from './media-socket';
import { RTP_PAYLOAD_TYPE, sessionOf, type MediaFormat } from './media-format';
import { inbandTonePackets, telephoneEventPackets } from './rtp-digits';
import { keypadFrame, releaseCompleteFrame, setupFrame, tunnelFrame, type CallIdentity } from './signalling-messages';
import { TELEPHONE_EVENT_PAYLOAD_TYPE } from './terminal-capabilities';
import { TpktConnection } from './tpkt-connection';
import { alphanumeric, signal, signalUpdate, type DigitMethod } from './user-input';

export interface H323CallOptions {
  host: string;
  port: number;
  /** what is dialled; absent: neither destinationAddress nor Called Party Number (the `conf` case) */
  alias?: DialledAlias;
  callerName?: string;
  callerNumber?: string;
  /** propose the media in the Setup (H.323 §8.1.7); default true */
  fastStart?: boolean;
  /** H.245 inside H.225.0 messages; default true. Without it H.245 gets its own TCP connection */
  h245Tunnelling?: boolean;
  /** without tunnelling: offer our own h245Address in the Setup (default true); else only connect to the peer's */
  offerH245Address?: boolean;
  /** audio formats by preference; default G.711 A-law, µ-law */
  audio?: readonly MediaFormat[];
  /** also propose H.261 video */
  video?: boolean;
  /** keys sent in the Setup's Keypad IE */
  keypadInSetup?: string;
}

export interface DigitOptions {
  /** key press length (signal, RFC 2833, in-band); default 120 ms */
  durationMs?: number;
  /** pause between keys; default 300 ms */
  gapMs?: number;
  /** h245-signal: send the signal without duration, then a signalUpdate with it (default true) */
  signalUpdate?: boolean;
}

const LOOPBACK = /^127\.\d+\.\d+\.\d+$/;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class H323TestCall {
  readonly report: CallReport;
  private readonly start = Date.now();
  private readonly identity: CallIdentity;
  private readonly terminal: H245Terminal;
  private signalling?: TpktConnection;
  private h245?: TpktConnection;
  private h245Listener?: Server;
  private h245Starting = false;
  private watchers: Array<() => void> = [];

  private constructor(
    private readonly options: H323CallOptions,
    private readonly audio: MediaSocket,
    private readonly videoSocket: MediaSocket | undefined,
  ) {
    this.identity = {
      callReference: randomInt(1, 0x8000),
      conferenceID: newGuid(),
      callIdentifier: newGuid(),
      h245Tunnelling: options.h245Tunnelling ?? true,
    };
    this.terminal = new H245Terminal({
      formats: this.formats,
      ports: (session) => this.socketOf(session).ports,
      openTransmitChannel: !(options.fastStart ?? true),
    });
    this.report = {
      established: false,
      messages: [],
      frames: [],
      receiveErrors: [],
      fastStartChannels: [],
      h245: this.terminal.state,
      rtp: audio.received,
      digitsSent: [],
      userInputReceived: [],
    };
  }

  /** Connects to the peer and sends the Setup; the call then runs on its own. Loopback peers only. */
  static async place(options: H323CallOptions): Promise<H323TestCall> {
    if (!LOOPBACK.test(options.host)) throw new Error(`test endpoint: loopback peers only (got ${options.host})`);
    const audio = await MediaSocket.open('127.0.0.1');
    const video = options.video ? await MediaSocket.open('127.0.0.1') : undefined;
    const call = new H323TestCall(options, audio, video);
    try {
      await call.dial();
    } catch (e) {
      await call.close();
      throw e;
    }
    return call;
  }

  private get formats(): MediaFormat[] {
    return [...(this.options.audio ?? ['PCMA', 'PCMU']), ...(this.options.video ? ['H261' as const] : [])];
  }

  private socketOf(session: 1 | 2): MediaSocket {
    return session === 2 && this.videoSocket ? this.videoSocket : this.audio;
  }

  private async dial(): Promise<void> {
    const { host, port } = this.options;
    if (!this.identity.h245Tunnelling && (this.options.offerH245Address ?? true)) await this.listenForH245();
    this.signalling = await TpktConnection.open(host, port, (frame) => this.onSignalling(frame));
    const listener = this.h245Listener?.address();
    const fastStart =
      (this.options.fastStart ?? true)
        ? fastStartProposals(this.formats, (session) => this.socketOf(session).ports)
        : undefined;
    this.sendSignalling(
      setupFrame(this.identity, {
        alias: this.options.alias,
        callerName: this.options.callerName ?? 'confgate-test',
        callerNumber: this.options.callerNumber,
        destination: { host, port },
        source: { host: '127.0.0.1', port: this.signalling.localPort },
        fastStart,
        h245Listener: typeof listener === 'object' && listener ? { host: '127.0.0.1', port: listener.port } : undefined,
        keypad: this.options.keypadInSetup,
      }),
    );
    void this.signalling.done.then(() => {
      this.report.release ??= { by: 'connection-lost' };
      this.changed();
    });
  }

  // ------------------------------------------------------------------ logging and waiting

  private log(direction: Direction, channel: 'h225' | 'h245' | 'h245-tunnelled', name: string): void {
    this.report.messages.push({ direction, channel, name, atMs: Date.now() - this.start });
  }

  private changed(): void {
    for (const w of [...this.watchers]) w();
  }

  /**
   * Waits until `condition` holds, failing after `timeoutMs` with what the call saw so far. Checked on
   * every signalling event and every 50 ms (RTP arrivals are not events).
   */
  until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const stop = (): void => {
        clearTimeout(timer);
        clearInterval(poll);
        this.watchers = this.watchers.filter((w) => w !== check);
      };
      const check = (): void => {
        if (!condition()) return;
        stop();
        resolve();
      };
      const timer = setTimeout(() => {
        stop();
        reject(new Error(`${what}: not within ${timeoutMs} ms; messages so far:\n${this.transcript()}`));
      }, timeoutMs);
      const poll = setInterval(check, 50);
      this.watchers.push(check);
      check();
    });
  }

  /** The message log, one line each, for failure messages. */
  transcript(): string {
    return this.report.messages.map((m) => `${m.atMs} ${m.direction} ${m.channel} ${m.name}`).join('\n');
  }

  /** Connect received (H.225.0 §7.3.3). */
  established(timeoutMs = 10_000): Promise<void> {
    return this.until(() => this.report.established, timeoutMs, 'Connect');
  }

  /** The channels open now, by fastStart or by H.245. */
  openChannels(): OpenChannel[] {
    return [...this.report.fastStartChannels, ...this.terminal.state.channels];
  }

  /** A transmit and a receive audio channel are open (by fastStart or H.245). */
  mediaOpen(timeoutMs = 10_000): Promise<void> {
    const audio = (d: OpenChannel['direction']): boolean =>
      this.openChannels().some((c) => c.direction === d && sessionOf(c.format) === 1);
    return this.until(() => audio('transmit') && audio('receive'), timeoutMs, 'audio channels open');
  }

  /**
   * How much of the G.711 audio received on the open receive channel carries sound (a prompt, a
   * tone) rather than silence; undefined while no G.711 receive channel is open.
   */
  heardAudio(): HeardAudio | undefined {
    const rx = this.openChannels().find((c) => c.direction === 'receive' && sessionOf(c.format) === 1);
    if (rx?.format !== 'PCMA' && rx?.format !== 'PCMU') return undefined;
    return heardAudio(rx.format, this.audio.payloads.get(RTP_PAYLOAD_TYPE[rx.format]) ?? []);
  }

  /** Capability exchange and master/slave determination are done (H.323 §8.2). */
  h245Ready(timeoutMs = 10_000): Promise<void> {
    const s = this.terminal.state;
    return this.until(
      () => s.capabilitiesAcknowledged && s.remoteFormats !== undefined && s.decision !== undefined,
      timeoutMs,
      'TCS and MSD',
    );
  }

  /** The call is over: ReleaseComplete or the connection went. */
  released(timeoutMs = 10_000): Promise<void> {
    return this.until(() => this.report.release !== undefined, timeoutMs, 'release');
  }

  // ------------------------------------------------------------------ receiving

  /** Keeps a received frame and decodes it; a frame that does not decode is reported, not thrown. */
  private received<T>(channel: 'h225' | 'h245', frame: Uint8Array, decode: () => T): T | undefined {
    this.report.frames.push({ direction: 'received', channel, bytes: frame });
    try {
      return decode();
    } catch (e) {
      this.report.receiveErrors.push(`${channel}: ${(e as Error).message}`);
      this.log('received', channel, 'undecodable');
      this.changed();
      return undefined;
    }
  }

  private onSignalling(frame: Uint8Array): void {
    const f = this.received('h225', frame, () => decodeSignallingFrame(frame));
    if (!f) return;
    this.log('received', 'h225', h225Name(f));
    const pdu = f.userInformation?.['h323-uu-pdu'];
    const body = pdu ? (Object.values(pdu['h323-message-body'])[0] as { h245Address?: TransportAddress } | null) : null;
    if (f.tunnelled?.fastStart && this.report.fastStartAccepted === undefined) {
      const accepted = acceptedChannels(f.tunnelled.fastStart);
      this.report.fastStartAccepted = accepted.length > 0;
      this.report.fastStartChannels.push(...accepted);
    }
    for (const ie of f.q931.ies) if (ie.ie === 'keypadFacility') this.report.userInputReceived.push(ie.text);
    if (pdu?.h245Tunneling === false && this.identity.h245Tunnelling && f.q931.messageType !== 'releaseComplete') {
      // H.323 §8.2.1: the callee refused tunnelling; H.245 moves to its own connection.
      this.identity.h245Tunnelling = false;
    }
    const peerH245 = readAddress(body?.h245Address);
    if (peerH245 && !this.identity.h245Tunnelling) void this.connectH245(peerH245);
    for (const m of f.tunnelled?.h245Control ?? []) this.onH245(m, 'h245-tunnelled');
    if (f.q931.messageType === 'connect') {
      this.report.established = true;
      if (this.identity.h245Tunnelling) this.sendH245(this.terminal.start());
    }
    if (f.q931.messageType === 'releaseComplete') {
      const cause = f.q931.ies.find((e) => e.ie === 'cause');
      const reason = body && 'reason' in body ? Object.keys((body as { reason: object }).reason)[0] : undefined;
      this.report.release ??= {
        by: 'peer',
        ...(cause?.ie === 'cause' ? { cause: cause.value } : {}),
        ...(reason ? { reason } : {}),
      };
    }
    this.changed();
  }

  private onH245(m: H245Message, channel: 'h245' | 'h245-tunnelled'): void {
    this.log('received', channel, h245Name(m));
    if ('indication' in m && 'userInput' in m.indication) {
      const ui = m.indication.userInput;
      if ('alphanumeric' in ui) this.report.userInputReceived.push(ui.alphanumeric);
      if ('signal' in ui) this.report.userInputReceived.push(ui.signal.signalType);
    }
    this.sendH245(this.terminal.receive(m));
    this.changed();
  }

  // ------------------------------------------------------------------ separate H.245 connection

  private async listenForH245(): Promise<void> {
    const server = createServer((socket) => {
      if (this.h245) return socket.destroy();
      this.report.separateH245 = 'peer-connected';
      this.adoptH245(new TpktConnection(socket, (frame, payload) => this.onSeparateH245(frame, payload)));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.h245Listener = server;
  }

  /** H.323 §8.2: connect to the address the peer offered, unless an H.245 connection exists or is being made. */
  private async connectH245(to: { host: string; port: number }): Promise<void> {
    if (this.h245 || this.h245Starting || !LOOPBACK.test(to.host)) return;
    this.h245Starting = true;
    try {
      const connection = await TpktConnection.open(to.host, to.port, (frame, payload) =>
        this.onSeparateH245(frame, payload),
      );
      if (this.h245) return void connection.close();
      this.report.separateH245 = 'we-connected';
      this.adoptH245(connection);
    } catch (e) {
      // Both sides may open H.245 at once (each to the other's address); only a call left without one failed.
      if (!this.h245) this.report.receiveErrors.push(`h245 connect to ${to.host}:${to.port}: ${(e as Error).message}`);
    } finally {
      this.h245Starting = false;
    }
  }

  private adoptH245(connection: TpktConnection): void {
    this.h245 = connection;
    this.h245Listener?.close();
    this.sendH245(this.terminal.start());
    this.changed();
  }

  private onSeparateH245(frame: Uint8Array, payload: Uint8Array): void {
    const m = this.received('h245', frame, () => decodeH245Message(payload));
    if (m) this.onH245(m, 'h245');
  }

  // ------------------------------------------------------------------ sending

  private sendSignalling(frame: Uint8Array): void {
    this.report.frames.push({ direction: 'sent', channel: 'h225', bytes: frame });
    // Logged from the bytes, so the log shows what went on the wire.
    const sent = decodeSignallingFrame(frame);
    this.log('sent', 'h225', h225Name(sent));
    for (const m of sent.tunnelled?.h245Control ?? []) this.log('sent', 'h245-tunnelled', h245Name(m));
    this.signalling?.send(frame);
  }

  /** Sends H.245 messages the way this call carries H.245; held back while no separate connection exists yet. */
  private sendH245(messages: H245Message[]): void {
    if (messages.length === 0) return;
    if (this.identity.h245Tunnelling) return this.sendSignalling(tunnelFrame(this.identity, messages));
    for (const m of messages) {
      const frame = frameTpkt(encodeH245Message(m));
      this.report.frames.push({ direction: 'sent', channel: 'h245', bytes: frame });
      this.log('sent', 'h245', h245Name(m));
      this.h245?.send(frame);
    }
  }

  /** The open transmit audio channel; throws when there is none yet. */
  private transmitAudio(): OpenChannel & { rtp: { host: string; port: number } } {
    const c = this.openChannels().find((ch) => ch.direction === 'transmit' && sessionOf(ch.format) === 1);
    if (!c?.rtp) throw new Error(`no transmit audio channel open; messages:\n${this.transcript()}`);
    if (!LOOPBACK.test(c.rtp.host)) throw new Error(`peer RTP address ${c.rtp.host} is not loopback`);
    return c as OpenChannel & { rtp: { host: string; port: number } };
  }

  /** Keys `digits` by `method` (H.323 §10.5), resolving once the last one has been sent. */
  async sendDigits(digits: string, method: DigitMethod, o: DigitOptions = {}): Promise<void> {
    const durationMs = o.durationMs ?? 120;
    const gapMs = o.gapMs ?? 300;
    this.report.digitsSent.push({ digits, method });
    if (method === 'rfc2833' || method === 'inband') {
      const channel = this.transmitAudio();
      if (method === 'rfc2833') {
        const pt = TELEPHONE_EVENT_PAYLOAD_TYPE;
        return this.audio.send(channel.rtp, pt, telephoneEventPackets(digits, durationMs, gapMs));
      }
      if (channel.format !== 'PCMA' && channel.format !== 'PCMU')
        throw new Error(`in-band tones need G.711, the channel is ${channel.format}`);
      return this.audio.send(
        channel.rtp,
        RTP_PAYLOAD_TYPE[channel.format],
        inbandTonePackets(channel.format, digits, durationMs, gapMs),
      );
    }
    for (const [i, digit] of [...digits].entries()) {
      if (i > 0) await sleep(gapMs);
      if (method === 'q931-keypad') this.sendSignalling(keypadFrame(this.identity, digit));
      else if (method === 'h245-alphanumeric') this.sendH245([alphanumeric(digit)]);
      else if (o.signalUpdate ?? true) {
        this.sendH245([signal(digit)]);
        await sleep(durationMs);
        this.sendH245([signalUpdate(durationMs)]);
      } else this.sendH245([signal(digit, durationMs)]);
    }
  }

  /**
   * Clears the call (H.323 §8.5): EndSessionCommand (inside the ReleaseComplete when tunnelled), then
   * ReleaseComplete with `cause`; waits up to `timeoutMs` for the peer to close, then closes everything.
   */
  async hangUp(cause = 16, timeoutMs = 3000): Promise<void> {
    if (!this.report.release && this.signalling?.isOpen) {
      const endSession = this.terminal.endSession();
      if (!this.identity.h245Tunnelling) this.sendH245(endSession);
      this.sendSignalling(releaseCompleteFrame(this.identity, cause, this.identity.h245Tunnelling ? endSession : []));
      this.report.release = { by: 'us', cause };
      await Promise.race([this.signalling.done, sleep(timeoutMs)]);
    }
    await this.close();
  }

  /** Closes sockets without signalling (after the peer released, or on failure). */
  async close(): Promise<void> {
    this.h245Listener?.close();
    await Promise.all([this.signalling?.close(500), this.h245?.close(500)]);
    this.audio.close();
    this.videoSocket?.close();
  }
}

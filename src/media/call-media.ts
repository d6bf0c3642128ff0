import { decodeG711Into, G711_PAYLOAD_TYPE, SAMPLES_PER_20MS, type G711Codec } from './codec/g711';
import { DtmfCollector, type CollectedDigit, type DtmfUsage } from './dtmf/dtmf-collector';
import type { DtmfDigit, DtmfMethod } from './dtmf/dtmf-digit';
import { InbandDtmfDetector } from './dtmf/inband-dtmf-detector';
import { parseSipInfoDtmf, type SipInfoDtmf } from './dtmf/sip-info-dtmf';
import { TelephoneEventDecoder } from './dtmf/telephone-event-decoder';
import { PromptPlayout } from './prompt-playout';
import { OutboundRtpStream } from './rtp/outbound-rtp-stream';
import type { PacingClock } from './rtp/pacing-clock';
import type { RtpPacket } from './rtp/rtp-packet';
import type { RtpPortAllocator } from './rtp/rtp-port-allocator';
import type { RtpIoChoice } from './rtp/rtp-socket-backend';
import { RtpSession, type RtpSessionStats } from './rtp/rtp-session';
import { openRtpSocketPair } from './rtp/open-rtp-socket-pair';
import type { RtpSocketPair } from './rtp/rtp-socket-pair';
import { rtpSocketBackend } from './rtp/select-rtp-socket-backend';
import type { NegotiatedAudio } from './sdp/negotiated-audio';

/** What every call's media shares in one process. */
export interface MediaEndpointContext {
  allocator: RtpPortAllocator;
  clock: PacingClock;
  /** Local address the RTP sockets bind to. */
  bindAddress: string;
  /** Same press by two DTMF methods within this many ms counts once (see DtmfCollector). */
  crossMethodWindowMs?: number;
  /** `media.rtpIo`: the RTP socket I/O backend; default `auto` (the native addon when it loads, else dgram). */
  rtpIo?: RtpIoChoice;
  /** Where `auto` warns, once per process, that it fell back to dgram; default a process warning on stderr. */
  log?: { warn(message: string): void };
}

/**
 * The IVR-phase media of one call: its RTP port pair, prompts played out on the shared pacing clock,
 * and the three DTMF paths (RFC 4733 events, in-band tones, SIP INFO handed over by the SIP layer)
 * merged into one digit stream.
 *
 * Life cycle: `open()` reserves the ports (their number goes in our SDP), `start()` takes the
 * negotiated audio, `close()` at the end of the call frees sockets, ports and the clock slot.
 */
export class CallMedia {
  private readonly collector: DtmfCollector;
  private readonly session: RtpSession;
  private readonly telephoneEvents = new TelephoneEventDecoder();
  private readonly inband: InbandDtmfDetector;
  private audio: NegotiatedAudio | undefined;
  private outbound: OutboundRtpStream | undefined;
  private playout: PromptPlayout | undefined;
  /** Prompts queued before the codec is known (offerless INVITE: the answer comes in the ACK). */
  private readonly beforeStart: Array<{ pcm: Int16Array; onEnd: (() => void) | undefined }> = [];
  private detachClock: (() => void) | undefined;
  private closed = false;
  /** Received audio decoded for the in-band detector, reused packet after packet (grows for a longer ptime). */
  private decoded = new Int16Array(SAMPLES_PER_20MS);

  private constructor(
    private readonly context: MediaEndpointContext,
    sockets: RtpSocketPair,
    onDigit: (digit: CollectedDigit) => void,
  ) {
    this.collector = new DtmfCollector(onDigit, context.crossMethodWindowMs);
    this.inband = new InbandDtmfDetector((digit) => this.collector.offer(digit, 'inband'));
    this.session = new RtpSession(sockets, (packet) => {
      this.receive(packet);
      // Prompts that fell due while the event loop reads datagrams go out now (PacingClock.serveIfDue);
      // after this packet's work, so a prompt's end (and what the IVR does then) never interrupts it.
      context.clock.serveIfDue();
    });
  }

  /** Reserves and binds the call's RTP/RTCP ports; throws RtpPortsExhaustedError (SIP 503) if none is free. */
  static async open(context: MediaEndpointContext, onDigit: (digit: CollectedDigit) => void): Promise<CallMedia> {
    const log = context.log;
    const backend = rtpSocketBackend(context.rtpIo, log ? { warn: (message) => log.warn(message) } : {});
    const sockets = await openRtpSocketPair(context.allocator, context.bindAddress, backend);
    return new CallMedia(context, sockets, onDigit);
  }

  /** Our RTP port, for the SDP. */
  get port(): number {
    return this.session.port;
  }

  /** Applies the negotiated audio; again on a re-INVITE, where codec and remote may change and queued prompts go on. */
  start(audio: NegotiatedAudio): void {
    if (this.closed) return;
    this.audio = audio;
    this.session.setRemote(audio.remote);
    if (this.outbound) this.outbound.payloadType = audio.payloadType;
    else this.outbound = new OutboundRtpStream(audio.payloadType);
    if (this.playout) this.playout.setCodec(audio.codec);
    else {
      this.playout = new PromptPlayout(audio.codec);
      for (const { pcm, onEnd } of this.beforeStart.splice(0)) this.playout.enqueue(pcm, onEnd);
    }
    this.detachClock ??= this.context.clock.add(this);
  }

  /** Queues a prompt (8 kHz linear PCM); `onEnd` runs when it has been sent completely. */
  play(pcm: Int16Array, onEnd?: () => void): void {
    if (this.playout) this.playout.enqueue(pcm, onEnd);
    else if (!this.closed) this.beforeStart.push({ pcm, onEnd });
  }

  /** Barge-in: drops the prompts queued and playing. */
  stopPlayback(): void {
    this.beforeStart.length = 0;
    this.playout?.stop();
  }

  get playing(): boolean {
    return this.beforeStart.length > 0 || (this.playout?.playing ?? false);
  }

  /** Reads a SIP INFO body (RFC 6086); a digit goes into the call's digit stream. The result says what to answer. */
  receiveSipInfo(contentType: string | undefined, body: string): SipInfoDtmf {
    const result = parseSipInfoDtmf(contentType, body);
    if (result.kind === 'digit') this.receiveSignalledKey(result.digit, 'sip-info');
    return result;
  }

  /** A key the call's signalling carried (SIP INFO, H.245 user input, Q.931 Keypad), into the same digit stream. */
  receiveSignalledKey(digit: DtmfDigit, method: DtmfMethod): void {
    if (!this.closed) this.collector.offer(digit, method);
  }

  /** Which DTMF methods the caller used, for the call record and the live view. */
  get dtmf(): Readonly<DtmfUsage> {
    return this.collector.methods;
  }

  get rtpStats(): Readonly<RtpSessionStats> {
    return this.session.stats;
  }

  /** Which RTP I/O backend carries this call's media (`native` or `dgram`). */
  get rtpBackend(): 'native' | 'dgram' {
    return this.session.backend;
  }

  /** Called by the pacing clock every 20 ms (`periods` > 1 after a skipped stall). */
  tick(periods = 1): void {
    const outbound = this.outbound;
    if (!outbound || !this.playout) return;
    const mayPlay = this.audio?.direction === 'sendrecv' || this.audio?.direction === 'sendonly';
    const frame = mayPlay ? this.playout.nextFrame() : undefined;
    const packet = outbound.next(frame, periods);
    if (packet && this.session.send(packet)) outbound.keepLastPacket();
  }

  /** Ends the call's media: frees the clock slot at once, then the sockets and ports (resolved when done). Safe to call twice. */
  close(): Promise<void> {
    this.closed = true;
    this.detachClock?.();
    this.detachClock = undefined;
    this.stopPlayback();
    return this.session.close();
  }

  private receive(packet: RtpPacket): void {
    const audio = this.audio;
    if (!audio) return;
    if (packet.payloadType === audio.telephoneEventPayloadType) {
      const event = this.telephoneEvents.push(packet.timestamp, packet.payload);
      if (event) this.collector.offer(event.digit, 'rfc4733');
      return;
    }
    // Once the caller's equipment has signalled out of band, the collector drops in-band digits as
    // echoes of the events (DtmfCollector): the Goertzel filters would only burn CPU on that call.
    if (!this.collector.wantsInband) return;
    const codec = packet.payloadType === audio.payloadType ? audio.codec : lawOf(packet.payloadType);
    // In-band tones are looked for in either law: a gateway may switch law without a re-INVITE.
    if (!codec) return;
    const samples = packet.payload.length;
    if (samples > this.decoded.length) this.decoded = new Int16Array(samples);
    decodeG711Into(codec, packet.payload, this.decoded);
    this.inband.push(this.decoded, samples);
  }
}

function lawOf(payloadType: number): G711Codec | undefined {
  if (payloadType === G711_PAYLOAD_TYPE.PCMU) return 'PCMU';
  if (payloadType === G711_PAYLOAD_TYPE.PCMA) return 'PCMA';
  return undefined;
}

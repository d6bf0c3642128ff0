import { CallMediaPlayer } from '../../ivr/call-media-player';
import { DigitStream } from '../../ivr/digit-stream';
import type { PromptClip } from '../../ivr/prompt-library';
import type { Logger } from '../../log/logger';
import { CallMedia, type MediaEndpointContext } from '../../media/call-media';
import { G711_PAYLOAD_TYPE } from '../../media/codec/g711';
import { parseDtmfKey, type DtmfMethod } from '../../media/dtmf/dtmf-digit';
import { RtpPortsExhaustedError } from '../../media/rtp/rtp-socket-pair';
import type { NegotiatedAudio } from '../../media/sdp/negotiated-audio';
import type { H323Audio, H323Call, H323Key } from '../../h323';
import type { CallEnd, CallerIdentity, CallerLeg, IvrMedia, McuMove, McuTarget } from '../caller-leg';
import { HeldCaller } from './held-caller';
import { q850CauseFor } from './q850-cause';

/** What every H.323 caller leg shares: the IVR's media endpoint, and what a held caller hears first. */
export interface H323CallerLegContext {
  media: MediaEndpointContext;
  /** The address confgate's H.245 gives for RTP. */
  mediaAddress: string;
  /** "You are being connected", for a direct dial that no IVR greeted. */
  connectingClip: () => PromptClip;
  log: Logger;
}

/**
 * An H.323 caller (H.323 §8): an incoming Setup, answered by Call Proceeding at once; refused by
 * a Release Complete whose Q.850 cause maps the SIP status (RFC 3398 §8.2.6.1); answered by a
 * Connect with confgate's IVR media (the same RTP endpoint as SIP calls), its keys from H.245
 * user input, the Q.931 Keypad IE, RFC 2833 and in-band tones merged into one digit stream. Until
 * H.323 callers can be bridged to the MCU, an admitted one is kept on hold ({@link HeldCaller}).
 */
export class H323CallerLeg implements CallerLeg {
  readonly identity: CallerIdentity;
  private answered: { media: CallMedia; digits: DigitStream } | undefined;
  private refusal: number | undefined;
  private leftUnanswered = false;
  /** Keys sent before the call had media (a Setup's Keypad IE, Information while proceeding), at most a few. */
  private readonly keysBeforeMedia: H323Key[] = [];

  constructor(
    private readonly call: H323Call,
    private readonly ctx: H323CallerLegContext,
  ) {
    const { callId, address, dialled, callerName, callingNumber, userAgent } = call.identity;
    this.identity = {
      callId,
      address,
      transport: 'tcp',
      protocol: 'h323',
      dialled: dialForm(dialled),
      displayName: callerName,
      callingNumber,
      userAgent,
    };
    // Listening from the start: the Setup's own Keypad IE is handed out as soon as the call is.
    call.on('key', (key) => this.receiveKey(key));
    call.once('released', ({ by }) => {
      if (by === 'caller' && !this.answered) this.leftUnanswered = true;
      void this.answered?.media.close();
    });
    call.proceed();
  }

  get gone(): boolean {
    return this.call.released;
  }

  get cancelled(): boolean {
    return this.leftUnanswered;
  }

  get refusedWith(): number | undefined {
    return this.refusal;
  }

  /** RTP telephone events are "RFC 2833" to an H.323 caller (H.245 receiveRTPAudioTelephonyEventCapability). */
  get dtmfMethod(): DtmfMethod | undefined {
    const first = this.answered?.media.dtmf.firstMethod;
    return first === 'rfc4733' ? 'rfc2833' : first;
  }

  whenGone(): Promise<void> {
    if (this.gone) return Promise.resolve();
    return new Promise((resolve) => this.call.once('released', () => resolve()));
  }

  refuse(end: CallEnd): void {
    if (this.gone) return;
    this.refusal = end.status;
    this.call.release(q850CauseFor(end.status));
  }

  async answer(): Promise<IvrMedia | undefined> {
    const answered = await this.answerWithMedia();
    return answered && { prompts: new CallMediaPlayer(answered.media), digits: answered.digits };
  }

  async hangUp(end?: CallEnd): Promise<void> {
    const answered = this.answered;
    if (!answered) return;
    this.call.release(q850CauseFor(end?.status));
    await answered.media.close();
  }

  /**
   * No H.323 caller reaches the MCU yet (the H.323↔SIP bridge is the next issue): the admitted
   * caller is kept on hold, counted in its conference, until it or confgate hangs up. An IVR
   * caller hears the end of its "you are being connected"; a direct dial is answered and hears it.
   */
  async moveToMcu(target: McuTarget, ready: Promise<void> = Promise.resolve()): Promise<McuMove> {
    if (this.gone) return { kind: 'caller-gone' };
    if (!this.answered) {
      const answered = await this.answerWithMedia();
      if (!answered) return this.gone ? { kind: 'caller-gone' } : { kind: 'media-refused' };
      ready = new CallMediaPlayer(answered.media).play([this.ctx.connectingClip()]).then(() => undefined);
    }
    this.ctx.log.info(
      { callId: this.identity.callId, participantId: target.participantId },
      'H.323 caller admitted and held: no MCU bridge for H.323 yet',
    );
    return { kind: 'held', hold: new HeldCaller(this, ready) };
  }

  private async answerWithMedia(): Promise<{ media: CallMedia; digits: DigitStream } | undefined> {
    if (this.answered) return this.answered;
    const digits = new DigitStream();
    let media: CallMedia;
    try {
      media = await CallMedia.open(this.ctx.media, (collected) => digits.push(collected.digit));
    } catch (error) {
      if (!(error instanceof RtpPortsExhaustedError)) throw error;
      this.ctx.log.warn({ callId: this.identity.callId, err: error }, 'H.323 call refused: no RTP port free');
      this.refuse({ status: 503, reason: 'No Media Port Available' });
      return undefined;
    }
    if (this.gone) {
      await media.close();
      return undefined;
    }
    this.answered = { media, digits };
    for (const key of this.keysBeforeMedia.splice(0)) this.receiveKey(key);
    this.call.on('media', (audio) => media.start(negotiated(audio)));
    await this.call.answer({ address: this.ctx.mediaAddress, rtpPort: media.port });
    return this.answered;
  }

  /** A key from signalling into the call's digit stream, or held until the call has one. */
  private receiveKey(key: H323Key): void {
    const digit = parseDtmfKey(key.key);
    if (!digit) return;
    if (this.answered) this.answered.media.receiveSignalledKey(digit, key.method);
    else if (this.keysBeforeMedia.length < KEYS_BEFORE_MEDIA) this.keysBeforeMedia.push(key);
  }
}

/** Keys held before the media exists: more than an entry and its `#` are never needed. */
const KEYS_BEFORE_MEDIA = 32;

/** The H.225.0 audio as the RTP endpoint takes it: G.711 both ways, RFC 2833 on confgate's advertised payload type. */
function negotiated(audio: H323Audio): NegotiatedAudio {
  return {
    codec: audio.codec,
    payloadType: G711_PAYLOAD_TYPE[audio.codec],
    telephoneEventPayloadType: audio.telephoneEventPayloadType,
    remote: audio.remote,
    direction: 'sendrecv',
  };
}

/**
 * The dial form of an H.323 alias for the dial-target parser shared with SIP: room systems key
 * `5387#8688` where SIP URIs carry `5387*8688`, so `#` between number and code reads as `*`.
 */
function dialForm(alias: string | undefined): string | undefined {
  return alias?.replace(/^(\d+)#(\d+)$/, '$1*$2');
}

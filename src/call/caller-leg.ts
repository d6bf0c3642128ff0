import type { DigitSource, PromptPlayer } from '../ivr/ivr-session';
import type { PromptClip } from '../ivr/prompt-library';
import type { DtmfMethod } from '../media/dtmf/dtmf-digit';

/** Who calls and what they dialled, as the caller's signalling says it. */
export interface CallerIdentity {
  /** The call's id in its signalling: SIP Call-ID (RFC 3261 §8.1.1.4), H.225 callIdentifier. */
  callId: string;
  /** The caller's signalling address (IP). */
  address: string;
  transport: 'udp' | 'tcp' | 'tls';
  /** The caller's signalling; SIP when absent. */
  protocol?: 'sip' | 'h323';
  /** Where the dial target is read from: the Request-URI user part, the H.225 destination alias. */
  dialled: string | undefined;
  displayName?: string;
  callingNumber?: string;
  /** The caller's equipment (SIP User-Agent, H.225 vendor). */
  userAgent?: string;
}

/**
 * Why confgate refuses or ends a call, as a SIP status and phrase (RFC 3261 §21): the final
 * response before an answer, the `Reason` of a BYE (RFC 3326) after it. An H.323 leg maps the
 * status to a Q.850 cause for its ReleaseComplete (RFC 3398 §8.2.6.1).
 */
export interface CallEnd {
  status: number;
  reason: string;
  /** When the caller may try again (RFC 3261 §20.33 Retry-After), for a refusal that may pass. */
  retryAfterSeconds?: number;
}

/** The caller's media while the IVR talks with it: prompts out, one stream of keys in. */
export interface IvrMedia {
  prompts: PromptPlayer;
  digits: DigitSource;
}

/** Where an admitted caller goes: the MCU's URI, and the participant the MCU leg names. */
export interface McuTarget {
  uri: string;
  participantId: string;
}

/** A caller and the MCU connected back to back, for the rest of the call. */
export interface McuBridge {
  /** Both sides still up. */
  readonly up: boolean;
  /** Told once, when either side hangs up (the other is hung up already). */
  onEnd(listener: (by: 'caller' | 'mcu') => void): void;
  /**
   * Told when the MCU's side fails without hanging up (it stopped answering requests, its session
   * expired): the caller is still up, waiting to be moved ({@link McuBridge.moveTo}) or released.
   */
  onMcuLost(listener: () => void): void;
  /** Hangs both sides up: the caller with `end` as the reason, when given; frees any media of confgate's. */
  hangUp(end: CallEnd | undefined): void;
  /**
   * Last words to a caller no MCU takes: drops the MCU leg, takes the caller back to confgate's own
   * media (for SIP a re-INVITE, RFC 3261 §14.1), plays `clips`, then
   * hangs it up with `end` (RFC 3326 `Reason`) and frees the media. A caller who refuses or does not
   * answer within a few seconds is hung up at once. Resolves once the caller is hung up or left.
   */
  sayAndHangUp(clips: readonly PromptClip[], end: CallEnd): Promise<void>;
  /**
   * Moves the connected caller to another MCU (RFC 3725 §4.1: a new MCU leg, the caller's media
   * re-negotiated to it) and drops the old MCU leg; `connected` (with this bridge) once moved. On
   * `mcu-failed` the caller is still up and still bridged to the old MCU leg.
   */
  moveTo(target: McuTarget): Promise<McuMove>;
}

/**
 * An admitted caller kept on hold in its conference with no MCU leg behind it (an H.323 caller,
 * until the H.323↔SIP bridge exists): counted against the cap until it ends.
 */
export interface HeldCall {
  readonly up: boolean;
  /** Told once, when the caller leaves or is hung up. */
  onEnd(listener: () => void): void;
  /** Hangs the caller up, with `end` as the reason when given. */
  hangUp(end: CallEnd | undefined): void;
}

/** How moving a caller to the MCU came out. */
export type McuMove =
  | { kind: 'connected'; bridge: McuBridge }
  /** No MCU leg could be made for this caller's signalling: it is held, admitted, in its conference. */
  | { kind: 'held'; hold: HeldCall }
  /** The caller left meanwhile (or was hung up); the MCU leg, if any, is gone too. */
  | { kind: 'caller-gone' }
  /** The MCU refused or did not answer; the caller is still there (unanswered, or answered by our media). */
  | { kind: 'mcu-failed'; error: unknown }
  /** The caller refused the MCU's media and was hung up; the MCU leg is gone. */
  | { kind: 'media-refused' };

/**
 * The caller's side of one call, whatever its signalling: what the call's owner
 * ({@link DialInCall}) asks of it. A SIP leg implements it now (`sip/sip-caller-leg.ts`), an
 * H.323 leg (H.225 Setup/Connect/ReleaseComplete, H.245 UserInputIndication, RTP) next.
 */
export interface CallerLeg {
  readonly identity: CallerIdentity;
  /** The caller left (or was hung up); true from then on. */
  readonly gone: boolean;
  /** The caller gave up before any answer (SIP CANCEL, H.225 ReleaseComplete before Connect). */
  readonly cancelled: boolean;
  /** The refusal status sent before any answer, if one was. */
  readonly refusedWith: number | undefined;
  /** How the caller's first key came (the call record's and live view's DTMF method). */
  readonly dtmfMethod: DtmfMethod | undefined;
  /** Settles once the caller is gone. */
  whenGone(): Promise<void>;
  /** Refuses the call before any answer. */
  refuse(end: CallEnd): void;
  /** Answers with confgate's own media for the IVR; undefined when it could not (the caller was told, or left). */
  answer(): Promise<IvrMedia | undefined>;
  /** Hangs up an answered caller (with `end` as the reason) and frees its media; safe to call again, or after the caller left. */
  hangUp(end?: CallEnd): Promise<void>;
  /**
   * Moves the caller to the MCU: an unanswered caller's own offer goes to it; an answered one's
   * MCU leg is set up at once, and its media moves once `ready` settles (its connecting prompt).
   */
  moveToMcu(target: McuTarget, ready?: Promise<void>): Promise<McuMove>;
}

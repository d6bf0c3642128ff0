import { CallMediaPlayer } from '../../ivr/call-media-player';
import type { PromptClip } from '../../ivr/prompt-library';
import type { CallMedia } from '../../media/call-media';
import { emptyWithin } from '../../routing/empty-within';
import { SrfRequest, type Dialog, type Srf } from '../../sip';
import type { CallEnd, CallerIdentity, McuBridge, McuMove, McuTarget } from '../caller-leg';
import { byeHeaders } from './call-end-headers';
import { mcuLegIdentity } from './mcu-leg-identity';
import { relayMidCallRequests } from './mid-call-relay';
import { reinviteToOwnMedia, type OwnMediaContext } from './reinvite-to-own-media';
import { inviteMcuWithoutOffer, reinviteCallerToMcu, type CallerPresence } from './third-party-call-control';

/** What a bridge needs: the SIP stack for new MCU legs, confgate's media for last words to the caller. */
export interface SipMcuBridgeContext extends OwnMediaContext {
  srf: Pick<Srf, 'createUAC'>;
}

/**
 * A SIP caller and the MCU back to back: mid-call requests are relayed both ways (re-INVITE,
 * UPDATE, INFO), and a BYE on either dialog hangs up the other (RFC 3261 §15). An MCU leg that
 * ends without a BYE (a request to it timed out or got 481, RFC 3261 §12.2.1.2; its session timer
 * expired, RFC 4028 §10) leaves the caller up: the MCU is lost, and the caller can be moved to
 * another by RFC 3725 §4.1 flow I (`moveTo`), whatever way it first reached the MCU, or told why
 * it is released on confgate's own media (`sayAndHangUp`).
 */
export class SipMcuBridge implements McuBridge {
  private ended: ((by: 'caller' | 'mcu') => void) | undefined;
  private lost: (() => void) | undefined;
  private mcu!: Dialog;
  private stopRelays: Array<() => void> = [];
  private readonly presence: CallerPresence;
  /** Set once the MCU leg is given up for last words: the caller's media back on confgate, and what plays there. */
  private lastWords: { media?: CallMedia; player?: CallMediaPlayer } | undefined;
  /** The MCU leg no longer counts (last words, or hung up): its end is nobody's news. */
  private mcuGivenUp = false;

  constructor(
    private readonly caller: Dialog,
    mcu: Dialog,
    private readonly ctx: SipMcuBridgeContext,
    private readonly identity: CallerIdentity,
  ) {
    this.presence = {
      get gone() {
        return !caller.connected;
      },
      onGone(listener) {
        caller.on('destroy', listener);
        return () => caller.off('destroy', listener);
      },
    };
    caller.on('destroy', () => {
      void this.mcu.destroy();
      this.endLastWords();
      this.ended?.('caller');
    });
    this.attach(mcu);
  }

  get up(): boolean {
    return this.caller.connected && this.mcu.connected;
  }

  onEnd(listener: (by: 'caller' | 'mcu') => void): void {
    this.ended = listener;
  }

  onMcuLost(listener: () => void): void {
    this.lost = listener;
  }

  hangUp(end: CallEnd | undefined): void {
    void this.caller.destroy({ headers: byeHeaders(end) });
    void this.mcu.destroy();
    this.endLastWords();
  }

  async sayAndHangUp(clips: readonly PromptClip[], end: CallEnd): Promise<void> {
    const lastWords: NonNullable<SipMcuBridge['lastWords']> = {};
    this.lastWords = lastWords;
    this.mcuGivenUp = true;
    for (const stop of this.stopRelays.splice(0)) stop();
    // The MCU is lost: its leg goes now, before the caller is re-INVITEd away from it.
    void this.mcu.destroy();
    if (this.caller.connected) lastWords.media = await reinviteToOwnMedia(this.ctx, this.caller);
    // A hang-up or the caller's BYE meanwhile has ended the last words (endLastWords).
    if (lastWords.media && this.lastWords === lastWords) {
      lastWords.player = new CallMediaPlayer(lastWords.media);
      await playWithin(lastWords.player, clips);
    }
    this.hangUp(end);
    // A media opened after a hang-up cut the last words short is freed here too.
    await lastWords.media?.close();
  }

  async moveTo(target: McuTarget): Promise<McuMove> {
    const identity = mcuLegIdentity(target.participantId, this.identity);
    const invited = await inviteMcuWithoutOffer(this.ctx.srf, this.presence, target.uri, identity);
    if (invited.kind !== 'invited') return invited;
    const notConnected = await reinviteCallerToMcu(this.presence, this.caller, invited.mcu);
    if (notConnected) return notConnected;
    const old = this.mcu;
    this.attach(invited.mcu);
    // The lost MCU may still be there (legs failed, pings not yet): it must not keep a ghost participant.
    void old.destroy();
    return { kind: 'connected', bridge: this };
  }

  /** Stops the last words, if any, and frees their media. */
  private endLastWords(): void {
    const lastWords = this.lastWords;
    this.lastWords = undefined;
    lastWords?.player?.stop();
    void lastWords?.media?.close();
  }

  /** Makes `mcu` the caller's far side: relays to and from it, and hears it end. */
  private attach(mcu: Dialog): void {
    for (const stop of this.stopRelays) stop();
    this.mcu = mcu;
    // createB2BUA pairs its legs' ends; here a failed MCU leg must not hang the caller up.
    mcu.removeAllListeners('destroy');
    this.stopRelays = [relayMidCallRequests(this.caller, mcu), relayMidCallRequests(mcu, this.caller)];
    mcu.on('destroy', (cause) => {
      if (mcu !== this.mcu || this.mcuGivenUp) return;
      if (!(cause instanceof SrfRequest)) return this.lost?.();
      void this.caller.destroy();
      this.ended?.('mcu');
    });
  }
}

/** Beyond the clips' own length, how long their playout may lag before the caller is hung up anyway. */
const PLAYOUT_SLACK_MS = 2000;

/**
 * Plays `clips` to their end, bounded by their length: a caller whose answer lets us receive only
 * (RFC 3264 §6.1 `sendonly`/`inactive` mirrored) would never have them played out.
 */
async function playWithin(player: CallMediaPlayer, clips: readonly PromptClip[]): Promise<void> {
  const ms = clips.reduce((total, clip) => total + clip.durationMs, PLAYOUT_SLACK_MS);
  await emptyWithin(
    player.play(clips).then(() => undefined),
    ms,
  );
  player.stop();
}

import { CallMediaPlayer } from '../../ivr/call-media-player';
import type { CallMedia } from '../../media/call-media';
import type { DtmfMethod } from '../../media/dtmf/dtmf-digit';
import type { Dialog, Srf, SrfRequest, SrfResponse } from '../../sip';
import type { CallEnd, CallerIdentity, CallerLeg, IvrMedia, McuMove, McuTarget } from '../caller-leg';
import { answerWithIvrMedia, type IvrMediaContext } from './answer-with-ivr-media';
import { b2buaToMcu } from './b2bua-to-mcu';
import { byeHeaders, refusalHeaders } from './call-end-headers';
import { mcuLegIdentity } from './mcu-leg-identity';
import { handOverToMcu } from './third-party-hand-over';

/** What every SIP caller leg shares: the SIP stack and the IVR's media endpoint. */
export interface SipCallerLegContext extends IvrMediaContext {
  srf: Pick<Srf, 'createUAS' | 'createUAC' | 'createB2BUA'>;
}

/**
 * A SIP caller (RFC 3261): an incoming INVITE, refused with a final response, or answered by
 * confgate's media for the IVR and ended by a BYE carrying a `Reason` (RFC 3326). Moved to the MCU
 * as a B2BUA with its own offer when unanswered (direct dial), or by RFC 3725 §4.1 flow I once
 * answered (IVR). It is gone on CANCEL before the answer, on its BYE, or once confgate hung it up.
 */
export class SipCallerLeg implements CallerLeg {
  readonly identity: CallerIdentity;
  private answered: { dialog: Dialog; media: CallMedia } | undefined;
  private left = false;
  private watchingCancel = false;
  private readonly goneListeners = new Set<() => void>();

  constructor(
    private readonly req: SrfRequest,
    private readonly res: SrfResponse,
    private readonly ctx: SipCallerLegContext,
  ) {
    this.identity = {
      callId: req.callId,
      address: req.source_address,
      transport: req.protocol,
      dialled: req.calledNumber,
      displayName: req.msg.from.displayName,
      callingNumber: req.callingNumber || undefined,
      userAgent: req.get('user-agent'),
    };
  }

  get gone(): boolean {
    return this.left || (this.answered === undefined && this.req.canceled);
  }

  get cancelled(): boolean {
    return this.req.canceled;
  }

  get refusedWith(): number | undefined {
    return this.res.status >= 300 ? this.res.status : undefined;
  }

  /** The IVR's media of this call, once answered (its DTMF use and RTP statistics). */
  get media(): CallMedia | undefined {
    return this.answered?.media;
  }

  get dtmfMethod(): DtmfMethod | undefined {
    return this.answered?.media.dtmf.firstMethod;
  }

  whenGone(): Promise<void> {
    return new Promise((resolve) => {
      if (this.gone) return resolve();
      this.onGone(resolve);
    });
  }

  refuse(end: CallEnd): void {
    this.res.send(end.status, end.reason, { headers: refusalHeaders(end) });
  }

  async answer(): Promise<IvrMedia | undefined> {
    const answered = await answerWithIvrMedia(this.ctx, this.req, this.res);
    if (!answered) return undefined;
    this.answered = answered;
    answered.dialog.on('destroy', () => this.leave());
    return { prompts: new CallMediaPlayer(answered.media), digits: answered.digits };
  }

  async hangUp(end?: CallEnd): Promise<void> {
    const answered = this.answered;
    if (!answered) return;
    this.leave();
    await answered.dialog.destroy({ headers: byeHeaders(end) });
    await answered.media.close();
  }

  moveToMcu(target: McuTarget, ready: Promise<void> = Promise.resolve()): Promise<McuMove> {
    const identity = mcuLegIdentity(target.participantId, this.identity);
    if (!this.answered) return b2buaToMcu(this.ctx, this.req, this.res, target.uri, identity, this.identity);
    return handOverToMcu(this.ctx, this, this.answered, target.uri, identity, ready);
  }

  /** Subscribes to the caller leaving (CANCEL, BYE, or hung up by confgate); returns the unsubscribe function. */
  onGone(listener: () => void): () => void {
    if (!this.answered && !this.watchingCancel) {
      this.watchingCancel = true;
      this.req.once('cancel', () => this.leave());
    }
    this.goneListeners.add(listener);
    return () => this.goneListeners.delete(listener);
  }

  private leave(): void {
    if (this.left) return;
    this.left = true;
    for (const listener of [...this.goneListeners]) listener();
    this.goneListeners.clear();
  }
}

import { SrfRequest, type Dialog, type Srf } from '../../sip';
import type { CallEnd, CallerIdentity, McuBridge, McuMove, McuTarget } from '../caller-leg';
import { byeHeaders } from './call-end-headers';
import { mcuLegIdentity } from './mcu-leg-identity';
import { relayMidCallRequests } from './mid-call-relay';
import { inviteMcuWithoutOffer, reinviteCallerToMcu, type CallerPresence } from './third-party-call-control';

/**
 * A SIP caller and the MCU back to back: mid-call requests are relayed both ways (re-INVITE,
 * UPDATE, INFO), and a BYE on either dialog hangs up the other (RFC 3261 §15). An MCU leg that
 * ends without a BYE (a request to it timed out or got 481, RFC 3261 §12.2.1.2; its session timer
 * expired, RFC 4028 §10) leaves the caller up: the MCU is lost, and the caller can be moved to
 * another by RFC 3725 §4.1 flow I (`moveTo`), whatever way it first reached the MCU.
 */
export class SipMcuBridge implements McuBridge {
  private ended: ((by: 'caller' | 'mcu') => void) | undefined;
  private lost: (() => void) | undefined;
  private mcu!: Dialog;
  private stopRelays: Array<() => void> = [];
  private readonly presence: CallerPresence;

  constructor(
    private readonly caller: Dialog,
    mcu: Dialog,
    private readonly srf: Pick<Srf, 'createUAC'>,
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
  }

  async moveTo(target: McuTarget): Promise<McuMove> {
    const identity = mcuLegIdentity(target.participantId, this.identity);
    const invited = await inviteMcuWithoutOffer(this.srf, this.presence, target.uri, identity);
    if (invited.kind !== 'invited') return invited;
    const notConnected = await reinviteCallerToMcu(this.presence, this.caller, invited.mcu);
    if (notConnected) return notConnected;
    const old = this.mcu;
    this.attach(invited.mcu);
    // The lost MCU may still be there (legs failed, pings not yet): it must not keep a ghost participant.
    void old.destroy();
    return { kind: 'connected', bridge: this };
  }

  /** Makes `mcu` the caller's far side: relays to and from it, and hears it end. */
  private attach(mcu: Dialog): void {
    for (const stop of this.stopRelays) stop();
    this.mcu = mcu;
    // createB2BUA pairs its legs' ends; here a failed MCU leg must not hang the caller up.
    mcu.removeAllListeners('destroy');
    this.stopRelays = [relayMidCallRequests(this.caller, mcu), relayMidCallRequests(mcu, this.caller)];
    mcu.on('destroy', (cause) => {
      if (mcu !== this.mcu) return;
      if (!(cause instanceof SrfRequest)) return this.lost?.();
      void this.caller.destroy();
      this.ended?.('mcu');
    });
  }
}

import type { Dialog } from '../../sip';
import { relayMidCallRequests } from './mid-call-relay';
import type { CallEnd, McuBridge } from '../caller-leg';
import { byeHeaders } from './call-end-headers';

/**
 * A SIP caller and the MCU back to back: mid-call requests are relayed both ways (re-INVITE,
 * UPDATE, INFO), and a BYE on either dialog hangs up the other (RFC 3261 §15).
 */
export class SipMcuBridge implements McuBridge {
  private ended: ((by: 'caller' | 'mcu') => void) | undefined;

  constructor(
    private readonly caller: Dialog,
    private readonly mcu: Dialog,
  ) {
    relayMidCallRequests(caller, mcu);
    relayMidCallRequests(mcu, caller);
    caller.on('destroy', () => {
      void mcu.destroy();
      this.ended?.('caller');
    });
    mcu.on('destroy', () => {
      void caller.destroy();
      this.ended?.('mcu');
    });
  }

  get up(): boolean {
    return this.caller.connected && this.mcu.connected;
  }

  onEnd(listener: (by: 'caller' | 'mcu') => void): void {
    this.ended = listener;
  }

  hangUp(end: CallEnd | undefined): void {
    void this.caller.destroy({ headers: byeHeaders(end) });
    void this.mcu.destroy();
  }
}

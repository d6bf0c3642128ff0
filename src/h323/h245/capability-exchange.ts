import type { MultimediaSystemControlMessage, TerminalCapabilitySet } from '../generated/h245-types';
import { audioCodecOf, type H323AudioCodec } from './audio-codec';
import { confgateCapabilities } from './confgate-capabilities';
import type { StartTimer } from './h245-timer';

/** What the capability exchange tells: confgate's set acknowledged or refused, the peer's set received. */
export interface CapabilityExchangeContext {
  send(message: MultimediaSystemControlMessage): void;
  timer: StartTimer;
  t101Ms: number;
  /** confgate's set was acknowledged (ok) or rejected, or T101 expired. */
  outgoingDone(outcome: { ok: true } | { ok: false; reason: string }): void;
  /** The peer's set arrived and was acknowledged. */
  received(peer: PeerCapabilities): void;
}

/** What confgate needs of the peer's capabilities: the G.711 laws it receives, in its order, and whether it is empty. */
export interface PeerCapabilities {
  receiveAudio: H323AudioCodec[];
  /** An empty set (no table): "third-party pause" (H.323 §8.4.6), channels to be closed. */
  empty: boolean;
}

/**
 * Capability exchange (H.245 §8.3, Annex C.3 CESE): outgoing, confgate sends its set and waits
 * for TerminalCapabilitySetAck of the same sequence number (T101 guards the wait; on expiry a
 * TerminalCapabilitySetRelease is sent); incoming, every peer set is acknowledged with its own
 * sequence number, and the peer's receive audio capabilities are kept.
 */
export class CapabilityExchange {
  private sequence = 0;
  private awaiting: number | undefined;
  private stopTimer: (() => void) | undefined;
  private peer: PeerCapabilities | undefined;

  constructor(private readonly c: CapabilityExchangeContext) {}

  /** The peer's capabilities, once received. */
  get peerCapabilities(): PeerCapabilities | undefined {
    return this.peer;
  }

  /** Whether confgate's own set was acknowledged. */
  get sentAndAcknowledged(): boolean {
    return this.sequence > 0 && this.awaiting === undefined;
  }

  /** Sends confgate's set (again, on a SendTerminalCapabilitySet command). */
  send(): void {
    this.sequence = (this.sequence % 255) + 1;
    this.awaiting = this.sequence;
    this.c.send({ request: { terminalCapabilitySet: confgateCapabilities(this.sequence) } });
    this.stopTimer?.();
    this.stopTimer = this.c.timer(this.c.t101Ms, () => {
      this.stopTimer = undefined;
      this.awaiting = undefined;
      this.c.send({ indication: { terminalCapabilitySetRelease: {} } });
      this.c.outgoingDone({ ok: false, reason: 'T101 expired: capability set not acknowledged' });
    });
  }

  onAck(sequenceNumber: number): void {
    if (sequenceNumber !== this.awaiting) return;
    this.settle();
    this.c.outgoingDone({ ok: true });
  }

  onReject(sequenceNumber: number): void {
    if (sequenceNumber !== this.awaiting) return;
    this.settle();
    this.c.outgoingDone({ ok: false, reason: 'capability set rejected' });
  }

  /** The peer's set: acknowledged at once (confgate accepts any set; it only reads the audio it may send). */
  onSet(set: TerminalCapabilitySet): void {
    this.c.send({ response: { terminalCapabilitySetAck: { sequenceNumber: set.sequenceNumber } } });
    this.peer = {
      receiveAudio: (set.capabilityTable ?? []).flatMap((entry) => {
        const capability = entry.capability;
        if (!capability) return [];
        const audio =
          'receiveAudioCapability' in capability
            ? capability.receiveAudioCapability
            : 'receiveAndTransmitAudioCapability' in capability
              ? capability.receiveAndTransmitAudioCapability
              : undefined;
        const codec = audio && audioCodecOf({ audioData: audio });
        return codec ? [codec] : [];
      }),
      empty: set.capabilityTable === undefined,
    };
    this.c.received(this.peer);
  }

  dispose(): void {
    this.stopTimer?.();
    this.stopTimer = undefined;
  }

  private settle(): void {
    this.awaiting = undefined;
    this.dispose();
  }
}

/**
 * The Setup messages of the real capture `../shared/captures/ndpi-h323.pcap` (captures/README.md): the
 * 2002 OpenH323 call (frame 6), the 2006 ABILIS PBX call (frame 47) and the malformed 2007 Setup
 * (frame 65, which Wireshark and Erlang reject), each as one complete TPKT frame ready to be replayed
 * into an H.323 listener. Its callers skip, counted, where ../shared is absent (`needsShared`).
 */
import { frameTpkt } from '../../src/h323/tpkt';
import { captureTpkts, MALFORMED_FRAMES } from '../h323/support/capture-messages';

/** Q.931 protocol discriminator (Q.931 §4.2) and Setup message type (Q.931 table 4-2). */
const Q931 = 0x08;
const SETUP = 0x05;

export interface CapturedSetup {
  /** the capture frame that completed the TPKT */
  frame: number;
  /** the whole TPKT frame, as sent on the wire */
  tpkt: Uint8Array;
  /** false for the frames Wireshark reports malformed */
  valid: boolean;
}

/** Every Setup of the capture, in capture order; call signalling is read from the reassembled TCP streams. */
export function captureSetups(): CapturedSetup[] {
  return captureTpkts()
    .filter(({ payload }) => payload[0] === Q931 && payload.length > 3 && payload[2 + (payload[1]! & 0x0f)] === SETUP)
    .map(({ frame, payload }) => ({ frame, tpkt: frameTpkt(payload), valid: !MALFORMED_FRAMES.includes(frame) }));
}

/** The H.323 messages of ../shared/captures/ndpi-h323.pcap, reassembled from their TCP streams. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeQ931 } from '../../../src/h323/q931-message';
import { TpktReassembler } from '../../../src/h323/tpkt';
import { SHARED_DIR } from '../../support/shared-files';
import { readPcapPayloads, type CapturedPayload } from './pcap';

export const CAPTURE_FILE = join(SHARED_DIR, 'captures', 'ndpi-h323.pcap');
/** Wireshark reports these two malformed (captures/README.md). */
export const MALFORMED_FRAMES = [59, 65];

export interface Tpkt {
  /** frame that completed the TPKT */
  frame: number;
  payload: Uint8Array;
}

export function capturePayloads(): CapturedPayload[] {
  return readPcapPayloads(readFileSync(CAPTURE_FILE));
}

/** TPKT payloads per TCP direction; the duplicated segments of the 2002 call are dropped by sequence number. */
export function captureTpkts(): Tpkt[] {
  const streams = new Map<string, { r: TpktReassembler; seen: Set<number> }>();
  const out: Tpkt[] = [];
  for (const p of capturePayloads()) {
    if (p.transport !== 'tcp' || p.payload.length === 0) continue;
    const key = `${p.srcPort}>${p.dstPort}`;
    const s = streams.get(key) ?? { r: new TpktReassembler(), seen: new Set<number>() };
    streams.set(key, s);
    // TCP keep-alive probes resend the last acknowledged octet
    const keepAlive = p.payload.length === 1 && s.r.buffered === 0 && s.seen.size > 0;
    if (s.seen.has(p.seq) || keepAlive) continue;
    s.seen.add(p.seq);
    for (const payload of s.r.push(p.payload)) out.push({ frame: p.frame, payload });
  }
  return out;
}

export interface CaptureMessage {
  frame: number;
  /** qualified ASN.1 type of `bytes` */
  type:
    | 'H323-MESSAGES.H323-UserInformation'
    | 'H323-MESSAGES.RasMessage'
    | 'MULTIMEDIA-SYSTEM-CONTROL.MultimediaSystemControlMessage';
  bytes: Uint8Array;
  valid: boolean;
}

/** Every PER-encoded message: user-user IEs of Q.931, H.245 PDUs, RAS datagrams. */
export function captureMessages(): CaptureMessage[] {
  const out: CaptureMessage[] = [];
  for (const t of captureTpkts()) {
    const valid = !MALFORMED_FRAMES.includes(t.frame);
    if (t.payload[0] === 0x08) {
      const uu = decodeQ931(t.payload).ies.find((e) => e.ie === 'userUser');
      if (uu?.ie === 'userUser')
        out.push({ frame: t.frame, type: 'H323-MESSAGES.H323-UserInformation', bytes: uu.data, valid });
    } else {
      out.push({
        frame: t.frame,
        type: 'MULTIMEDIA-SYSTEM-CONTROL.MultimediaSystemControlMessage',
        bytes: t.payload,
        valid,
      });
    }
  }
  for (const p of capturePayloads().filter((p) => p.transport === 'udp')) {
    out.push({
      frame: p.frame,
      type: 'H323-MESSAGES.RasMessage',
      bytes: p.payload,
      valid: !MALFORMED_FRAMES.includes(p.frame),
    });
  }
  return out;
}

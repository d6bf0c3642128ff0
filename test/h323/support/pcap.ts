/**
 * A minimal libpcap reader (Ethernet/IPv4/TCP|UDP payloads) for the capture fixture, and a writer that
 * wraps confgate's encoded messages into synthetic loopback-addressed packets for tshark to dissect.
 * Nothing is ever sent: the packets only exist in the file.
 */
import { writeFileSync } from 'node:fs';

export interface CapturedPayload {
  frame: number;
  transport: 'tcp' | 'udp';
  srcPort: number;
  dstPort: number;
  /** TCP sequence number (0 for UDP) */
  seq: number;
  payload: Buffer;
}

/** Transport payloads of every frame, numbered from 1 like Wireshark. */
export function readPcapPayloads(file: Buffer): CapturedPayload[] {
  const le = file.readUInt32LE(0) === 0xa1b2c3d4;
  const u32 = (o: number): number => (le ? file.readUInt32LE(o) : file.readUInt32BE(o));
  const out: CapturedPayload[] = [];
  let at = 24;
  for (let frame = 1; at + 16 <= file.length; frame++) {
    const caplen = u32(at + 8);
    const pkt = file.subarray(at + 16, at + 16 + caplen);
    at += 16 + caplen;
    if (pkt.readUInt16BE(12) !== 0x0800) continue;
    const ip = pkt.subarray(14);
    const ihl = (ip[0]! & 0x0f) * 4;
    const total = ip.readUInt16BE(2);
    const proto = ip[9];
    const l4 = ip.subarray(ihl, total);
    if (proto === 6) {
      const off = (l4[12]! >> 4) * 4;
      out.push({
        frame,
        transport: 'tcp',
        srcPort: l4.readUInt16BE(0),
        dstPort: l4.readUInt16BE(2),
        seq: l4.readUInt32BE(4),
        payload: Buffer.from(l4.subarray(off)),
      });
    } else if (proto === 17) {
      out.push({
        frame,
        transport: 'udp',
        srcPort: l4.readUInt16BE(0),
        dstPort: l4.readUInt16BE(2),
        seq: 0,
        payload: Buffer.from(l4.subarray(8)),
      });
    }
  }
  return out;
}

function checksum(b: Buffer): number {
  let sum = 0;
  for (let i = 0; i < b.length; i += 2) sum += (b[i]! << 8) | (b[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** Writes one packet per payload from 127.0.0.1:srcPort to 127.0.0.2:dstPort, TCP with a running sequence number or UDP. */
export function writePcap(
  path: string,
  packets: Array<{ transport: 'tcp' | 'udp'; srcPort: number; dstPort: number; payload: Uint8Array }>,
): void {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65535, 16);
  header.writeUInt32LE(1, 20);
  const records: Buffer[] = [header];
  const seq = new Map<string, number>();
  packets.forEach((p, i) => {
    const l4 = p.transport === 'tcp' ? Buffer.alloc(20) : Buffer.alloc(8);
    l4.writeUInt16BE(p.srcPort, 0);
    l4.writeUInt16BE(p.dstPort, 2);
    if (p.transport === 'tcp') {
      const key = `${p.srcPort}>${p.dstPort}`;
      const s = seq.get(key) ?? 1000;
      l4.writeUInt32BE(s, 4);
      seq.set(key, s + p.payload.length);
      l4[12] = 5 << 4;
      l4[13] = 0x18; // PSH, ACK
      l4.writeUInt16BE(65535, 14);
    } else {
      l4.writeUInt16BE(8 + p.payload.length, 4);
    }
    const ip = Buffer.alloc(20);
    ip[0] = 0x45;
    ip.writeUInt16BE(20 + l4.length + p.payload.length, 2);
    ip[8] = 64;
    ip[9] = p.transport === 'tcp' ? 6 : 17;
    Buffer.from([127, 0, 0, 1, 127, 0, 0, 2]).copy(ip, 12);
    ip.writeUInt16BE(checksum(ip), 10);
    const eth = Buffer.alloc(14);
    eth.writeUInt16BE(0x0800, 12);
    const pkt = Buffer.concat([eth, ip, l4, Buffer.from(p.payload)]);
    const rec = Buffer.alloc(16);
    rec.writeUInt32LE(1_700_000_000 + i, 0);
    rec.writeUInt32LE(pkt.length, 8);
    rec.writeUInt32LE(pkt.length, 12);
    records.push(rec, pkt);
  });
  writeFileSync(path, Buffer.concat(records));
}

/** UDP payloads of a libpcap capture (Ethernet or Linux cooked, IPv4), for decoding test captures. */
export interface CapturedDatagram {
  timeUs: number;
  sourcePort: number;
  destinationPort: number;
  payload: Buffer;
}

export function readUdpPcap(file: Buffer): CapturedDatagram[] {
  const magic = file.readUInt32LE(0);
  if (magic !== 0xa1b2c3d4) throw new Error(`unsupported pcap magic ${magic.toString(16)}`);
  const linkType = file.readUInt32LE(20);
  const linkHeader = linkType === 1 ? 14 : linkType === 113 ? 16 : -1;
  if (linkHeader < 0) throw new Error(`unsupported link type ${linkType}`);
  const out: CapturedDatagram[] = [];
  for (let at = 24; at + 16 <= file.length;) {
    const included = file.readUInt32LE(at + 8);
    const frame = file.subarray(at + 16, at + 16 + included);
    const timeUs = file.readUInt32LE(at) * 1e6 + file.readUInt32LE(at + 4);
    at += 16 + included;
    const ip = frame.subarray(linkHeader);
    if (ip[0]! >> 4 !== 4 || ip[9] !== 17) continue;
    const udp = ip.subarray((ip[0]! & 0x0f) * 4);
    out.push({
      timeUs,
      sourcePort: udp.readUInt16BE(0),
      destinationPort: udp.readUInt16BE(2),
      payload: udp.subarray(8, udp.readUInt16BE(4)),
    });
  }
  return out;
}

/**
 * A tiny libpcap writer for UDP over IPv4 on Ethernet (the link type SIPp's `play_pcap_audio` and
 * tshark read), used to build RTP captures for tests. Addresses are expected to be loopback ones.
 * Format: libpcap 2.4 global header and per-record headers (microsecond timestamps).
 */
export interface UdpRecord {
  /** Capture time in microseconds since the epoch (or since the capture's start). */
  timeUs: number;
  source: { address: string; port: number };
  destination: { address: string; port: number };
  payload: Uint8Array;
}

const LINKTYPE_ETHERNET = 1;

export function writeUdpPcap(records: readonly UdpRecord[]): Buffer {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeInt32LE(0, 8); // thiszone
  header.writeUInt32LE(0, 12); // sigfigs
  header.writeUInt32LE(65535, 16); // snaplen
  header.writeUInt32LE(LINKTYPE_ETHERNET, 20);
  const parts: Buffer[] = [header];
  records.forEach((record, index) => {
    const frame = ethernetFrame(record, index);
    const recordHeader = Buffer.alloc(16);
    recordHeader.writeUInt32LE(Math.floor(record.timeUs / 1e6), 0);
    recordHeader.writeUInt32LE(Math.round(record.timeUs % 1e6), 4);
    recordHeader.writeUInt32LE(frame.length, 8);
    recordHeader.writeUInt32LE(frame.length, 12);
    parts.push(recordHeader, frame);
  });
  return Buffer.concat(parts);
}

function ethernetFrame(record: UdpRecord, id: number): Buffer {
  const ethernet = Buffer.alloc(14);
  ethernet.writeUInt16BE(0x0800, 12); // IPv4; loopback frames carry zero MAC addresses
  const udpLength = 8 + record.payload.length;
  const ip = Buffer.alloc(20);
  ip[0] = 0x45;
  ip.writeUInt16BE(20 + udpLength, 2);
  ip.writeUInt16BE(id & 0xffff, 4);
  ip.writeUInt16BE(0x4000, 6); // don't fragment
  ip[8] = 64;
  ip[9] = 17; // UDP
  const source = ipv4(record.source.address);
  const destination = ipv4(record.destination.address);
  source.copy(ip, 12);
  destination.copy(ip, 16);
  ip.writeUInt16BE(internetChecksum([ip]), 10);
  const udp = Buffer.alloc(8);
  udp.writeUInt16BE(record.source.port, 0);
  udp.writeUInt16BE(record.destination.port, 2);
  udp.writeUInt16BE(udpLength, 4);
  const payload = Buffer.from(record.payload);
  const pseudo = Buffer.alloc(12);
  source.copy(pseudo, 0);
  destination.copy(pseudo, 4);
  pseudo[9] = 17;
  pseudo.writeUInt16BE(udpLength, 10);
  udp.writeUInt16BE(internetChecksum([pseudo, udp, payload]) || 0xffff, 6); // RFC 768: 0 is sent as all ones
  return Buffer.concat([ethernet, ip, udp, payload]);
}

function ipv4(address: string): Buffer {
  const octets = address.split('.').map(Number);
  if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255))
    throw new Error(`not an IPv4 address: ${address}`);
  return Buffer.from(octets);
}

/** RFC 1071 one's complement sum over the concatenated buffers. */
function internetChecksum(buffers: readonly Buffer[]): number {
  const data = Buffer.concat(buffers);
  let sum = 0;
  for (let i = 0; i + 1 < data.length; i += 2) sum += data.readUInt16BE(i);
  if (data.length % 2 === 1) sum += data[data.length - 1]! << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

import { createSocket, type Socket } from 'node:dgram';
import { connect, type Socket as TcpSocket } from 'node:net';

/** A bare UDP socket on loopback that sends hand-written SIP text and collects what comes back. */
export class RawUdpPeer {
  readonly received: string[] = [];
  private constructor(
    private readonly socket: Socket,
    readonly port: number,
  ) {
    socket.on('message', (m) => this.received.push(m.toString('utf8')));
  }

  static async open(host = '127.0.0.1'): Promise<RawUdpPeer> {
    const socket = createSocket('udp4');
    await new Promise<void>((r) => socket.bind(0, host, () => r()));
    return new RawUdpPeer(socket, socket.address().port);
  }

  send(text: string | Buffer, port: number, host = '127.0.0.1'): void {
    this.socket.send(typeof text === 'string' ? Buffer.from(text.replace(/\n/g, '\r\n')) : text, port, host);
  }

  /** Waits until `count` messages arrived, or `ms` passed; returns what arrived. */
  async waitFor(count: number, ms = 2000): Promise<string[]> {
    const end = Date.now() + ms;
    while (this.received.length < count && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    return this.received;
  }

  close(): void {
    this.socket.close();
  }
}

/** A bare TCP connection for hand-written SIP text. */
export async function rawTcp(
  port: number,
  host = '127.0.0.1',
): Promise<{ socket: TcpSocket; data: () => string; closed: () => boolean }> {
  const socket = connect({ port, host });
  await new Promise<void>((r) => socket.once('connect', () => r()));
  let data = '';
  let closed = false;
  socket.on('data', (d: Buffer) => (data += d.toString('utf8')));
  socket.on('close', () => (closed = true));
  socket.on('error', () => undefined);
  return { socket, data: () => data, closed: () => closed };
}

/** An OPTIONS request with a chosen top Via, CRLF line ends added by the sender. */
export function options(target: string, via: string, extra = ''): string {
  return [
    `OPTIONS sip:${target} SIP/2.0`,
    `Via: ${via}`,
    'Max-Forwards: 70',
    'From: <sip:probe@127.0.0.1>;tag=p1',
    `To: <sip:${target}>`,
    `Call-ID: probe-${Math.random().toString(16).slice(2)}@127.0.0.1`,
    'CSeq: 1 OPTIONS',
    ...(extra ? [extra] : []),
    'Content-Length: 0',
    '',
    '',
  ].join('\n');
}

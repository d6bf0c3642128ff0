import { createSocket, type RemoteInfo, type Socket, type SocketOptions } from 'node:dgram';
import { lookup as dnsLookup } from 'node:dns';
import { isIP, isIPv6 } from 'node:net';
import type { SipLogger } from '../sip-logger';
import type { Flow } from '../message/flow';
import type { InboundHandler } from './inbound-handler';

const UDP_BUFFER_BYTES = 4 * 1024 * 1024;

/**
 * dgram passes every destination through a lookup; the default, `dns.lookup`, answers even an IP
 * literal on a later tick, which costs two extra ticks per datagram sent. Destinations here are
 * addresses already (the transport layer resolved names), so those are answered at once; a name
 * still goes to the resolver.
 */
const lookupAddress: NonNullable<SocketOptions['lookup']> = (host, options, callback) => {
  const family = isIP(host);
  if (family !== 0) callback(null, host, family);
  else dnsLookup(host, options, callback);
};

/**
 * SIP over UDP (RFC 3261 §18): one bound socket, one datagram per message. Datagrams larger than
 * `maxMessageBytes` are dropped with a log line; nothing thrown here can reach the socket.
 */
export class UdpTransport {
  readonly protocol = 'udp' as const;
  private readonly socket: Socket;
  private boundAddress = '';
  private boundPort = 0;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly maxMessageBytes: number,
    private readonly log: SipLogger,
    private readonly onMessage: InboundHandler,
  ) {
    this.socket = createSocket({ type: isIPv6(host) ? 'udp6' : 'udp4', reuseAddr: false, lookup: lookupAddress });
    this.socket.on('message', (data, rinfo) => this.receive(data, rinfo));
    this.socket.on('error', (err) => this.log.warn({ err: err.message, transport: 'udp' }, 'sip udp socket error'));
  }

  /** Binds; resolves with the bound port (useful with port 0). */
  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.socket.once('error', reject);
      this.socket.bind(this.port, this.host, () => {
        this.socket.off('error', reject);
        // A burst of calls must queue in the kernel, not be dropped there: ask for a large receive
        // buffer (the kernel caps it at net.core.rmem_max).
        try {
          this.socket.setRecvBufferSize(UDP_BUFFER_BYTES);
          this.socket.setSendBufferSize(UDP_BUFFER_BYTES);
        } catch (err) {
          this.log.debug({ err: (err as Error).message }, 'sip udp buffer size not changed');
        }
        const a = this.socket.address();
        this.boundAddress = a.address;
        this.boundPort = a.port;
        resolve(a.port);
      });
    });
  }

  get localAddress(): string {
    return this.boundAddress;
  }

  get localPort(): number {
    return this.boundPort;
  }

  /** Sends one datagram; an error (e.g. ICMP-reported) goes to `onError`, never thrown. */
  send(data: Buffer, host: string, port: number, onError?: (err: Error) => void): void {
    this.socket.send(data, port, host, (err) => {
      if (err) {
        this.log.debug({ err: err.message, to: `${host}:${port}` }, 'sip udp send failed');
        onError?.(err);
      }
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      try {
        this.socket.close(() => resolve());
      } catch {
        resolve(); // already closed
      }
    });
  }

  private receive(data: Buffer, rinfo: RemoteInfo): void {
    if (data.length > this.maxMessageBytes) {
      this.log.info(
        { from: `${rinfo.address}:${rinfo.port}`, bytes: data.length },
        'sip udp datagram over the size limit dropped',
      );
      return;
    }
    // Keep-alive CRLFs (RFC 5626 §4.4.1) and stray padding carry no message.
    if (data.length <= 4 && data.every((b) => b === 13 || b === 10)) return;
    const flow: Flow = {
      protocol: 'udp',
      remoteAddress: rinfo.address,
      remotePort: rinfo.port,
      localAddress: this.boundAddress,
      localPort: this.boundPort,
    };
    try {
      this.onMessage(data, flow);
    } catch (err) {
      // The layer above must not throw; if it does, the socket still stays up.
      this.log.error({ err, from: `${rinfo.address}:${rinfo.port}` }, 'sip message handler threw');
    }
  }
}

import { createSocket, type Socket } from 'node:dgram';

/** A plain dgram socket on loopback playing the far end, whatever backend is under test: records what it receives. */
export class UdpPeer {
  readonly received: Array<{ from: number; data: Buffer }> = [];
  /** @param target where `send` goes: the loopback address of the peer's family (confgate binds there in tests). */
  private constructor(
    readonly socket: Socket,
    private readonly target: string,
  ) {
    socket.on('message', (data, from) => this.received.push({ from: from.port, data }));
  }
  static async open(
    type: 'udp4' | 'udp6' = 'udp4',
    address = type === 'udp4' ? '127.0.0.1' : '::1',
    port = 0,
  ): Promise<UdpPeer> {
    const socket = createSocket({ type, recvBufferSize: 4 << 20 });
    await new Promise<void>((resolve) => socket.bind(port, address, resolve));
    return new UdpPeer(socket, type === 'udp4' ? '127.0.0.1' : '::1');
  }
  get port(): number {
    return this.socket.address().port;
  }
  get address(): string {
    return this.socket.address().address;
  }
  /** The bytes received, in arrival order. */
  get datagrams(): Buffer[] {
    return this.received.map((r) => r.data);
  }
  send(port: number, datagram: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) =>
      this.socket.send(datagram, port, this.target, (error) => (error ? reject(error) : resolve())),
    );
  }
  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}

export function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const poll = (): void => {
      if (condition()) resolve();
      else if (Date.now() - started > timeoutMs) reject(new Error('timed out waiting'));
      else setTimeout(poll, 2);
    };
    poll();
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

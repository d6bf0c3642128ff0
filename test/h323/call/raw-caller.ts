/** A bare-bones H.323 caller on the project's codec: it writes frames as given and keeps every frame confgate sends. */
import { connect, type Socket } from 'node:net';
import { encodeH245Message } from '../../../src/h323/asn1-codec';
import type { H323UserInformation } from '../../../src/h323/generated/h225-types';
import type { MultimediaSystemControlMessage } from '../../../src/h323/generated/h245-types';
import type { InformationElement, Q931Message } from '../../../src/h323/q931-message';
import { decodeSignallingFrame, encodeSignallingFrame, type SignallingFrame } from '../../../src/h323/signalling-frame';
import { frameTpkt, TpktReassembler } from '../../../src/h323/tpkt';

export const CALL_REFERENCE = 0x2a2a;

export class RawCaller {
  /** Every TPKT frame confgate sent, as it came (header included), and decoded. */
  readonly frames: Uint8Array[] = [];
  readonly decoded: SignallingFrame[] = [];
  private readonly reassembler = new TpktReassembler();
  private closedFlag = false;

  private constructor(readonly socket: Socket) {
    socket.on('data', (data: Buffer) => {
      for (const payload of this.reassembler.push(data)) {
        const frame = frameTpkt(payload);
        this.frames.push(frame);
        this.decoded.push(decodeSignallingFrame(frame));
      }
    });
    socket.on('close', () => (this.closedFlag = true));
    socket.on('error', () => undefined);
  }

  static async open(port: number): Promise<RawCaller> {
    const socket = connect({ host: '127.0.0.1', port });
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    return new RawCaller(socket);
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  /** The message types confgate sent so far. */
  get types(): string[] {
    return this.decoded.map((f) => f.q931.messageType);
  }

  /** The H.245 messages confgate tunnelled so far. */
  get h245(): MultimediaSystemControlMessage[] {
    return this.decoded.flatMap((f) => f.tunnelled?.h245Control ?? []);
  }

  send(
    messageType: Q931Message['messageType'],
    userInformation: H323UserInformation | undefined,
    ies: InformationElement[] = [],
    h245: MultimediaSystemControlMessage[] = [],
  ): void {
    const q931: Q931Message = { callReference: CALL_REFERENCE, fromDestination: false, messageType, ies };
    if (userInformation && h245.length > 0)
      userInformation['h323-uu-pdu'].h245Control = h245.map((m) => encodeH245Message(m));
    this.socket.write(encodeSignallingFrame(userInformation ? { q931, userInformation } : { q931 }));
  }

  write(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Polls until `check` holds, for up to `ms`. */
export async function until(check: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

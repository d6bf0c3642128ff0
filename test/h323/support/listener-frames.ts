/**
 * A sample of the frames confgate's H.323 listener sends, for the Erlang oracle: two calls from the
 * project's test endpoint into `createH323Server` on loopback, both with tunnelled H.245 (H.323
 * §8.2.1), one with fast start (H.323 §8.1.7) and one opening its audio by H.245 OLC; each answered
 * and then released by confgate. Every PER message in what the endpoint received is returned: the
 * H.225.0 user-user information of each Q.931 message and each H.245 message tunnelled in it.
 */
import { decodePer } from '../../../src/h323/asn1-codec';
import type { H323UserInformation } from '../../../src/h323/generated/h225-types';
import type { MultimediaSystemControlMessage as H245Message } from '../../../src/h323/generated/h245-types';
import { createH323Server, type H323Call } from '../../../src/h323';
import { decodeQ931 } from '../../../src/h323/q931-message';
import { unframeTpkt } from '../../../src/h323/tpkt';
import { h245Name } from '../../support/h323-endpoint/call-report';
import { H323TestCall } from '../../support/h323-endpoint/h323-call';

export interface SentMessage {
  /** `connect fastStart` (a user-user information, and what it carries), `h245 response/openLogicalChannelAck` */
  name: string;
  module: 'H323-MESSAGES' | 'MULTIMEDIA-SYSTEM-CONTROL';
  type: 'H323-UserInformation' | 'MultimediaSystemControlMessage';
  bytes: Uint8Array;
}

const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined };

/** The user-user information of one received call signalling frame, and the H.245 tunnelled in it. */
function messagesOf(tpkt: Uint8Array): SentMessage[] {
  const q931 = decodeQ931(unframeTpkt(tpkt));
  const uu = q931.ies.find((e) => e.ie === 'userUser');
  if (uu?.ie !== 'userUser') return [];
  const pdu = (decodePer('H323-MESSAGES.H323-UserInformation', uu.data) as H323UserInformation)['h323-uu-pdu'];
  const body = Object.values(pdu['h323-message-body'])[0] as { fastStart?: unknown } | null;
  return [
    {
      name: `${q931.messageType}${body?.fastStart ? ' fastStart' : ''}`,
      module: 'H323-MESSAGES',
      type: 'H323-UserInformation',
      bytes: uu.data,
    },
    ...(pdu.h245Control ?? []).map((bytes) => ({
      name: `h245 ${h245Name(decodePer('MULTIMEDIA-SYSTEM-CONTROL.MultimediaSystemControlMessage', bytes) as H245Message)}`,
      module: 'MULTIMEDIA-SYSTEM-CONTROL' as const,
      type: 'MultimediaSystemControlMessage' as const,
      bytes,
    })),
  ];
}

export async function messagesConfgateSends(): Promise<SentMessage[]> {
  const server = await createH323Server({
    host: '127.0.0.1',
    port: 0,
    advertisedHost: '127.0.0.1',
    setupTimeoutMs: 5000,
    partialFrameTimeoutMs: 5000,
    maxFrameBytes: 8192,
    maxConnectionsPerSource: 20,
    log: quiet,
  });
  const calls: H323Call[] = [];
  server.on('call', (call) => {
    calls.push(call);
    call.proceed();
    void call.answer({ address: '127.0.0.1', rtpPort: 41000 + 2 * calls.length });
  });
  try {
    const out: SentMessage[] = [];
    for (const fastStart of [true, false]) {
      const caller = await H323TestCall.place({
        host: '127.0.0.1',
        port: server.port,
        alias: { dialedDigits: '5387' },
        fastStart,
        h245Tunnelling: true,
      });
      try {
        await caller.established();
        await caller.mediaOpen();
        await caller.h245Ready();
        calls[calls.length - 1]!.release(16);
        await caller.released();
      } catch (error) {
        throw new Error(`${String(error)}\n${caller.transcript()}`, { cause: error });
      } finally {
        await caller.close();
      }
      for (const f of caller.report.frames)
        if (f.direction === 'received' && f.channel === 'h225') out.push(...messagesOf(f.bytes));
    }
    return out;
  } finally {
    await server.close();
  }
}

/**
 * Replays one captured call-signalling frame (a Setup from {@link captureSetups}) into an H.323
 * listener on loopback and collects what it answers, so a test can check the answers are well formed.
 * The connection is cleared with a ReleaseComplete on the Setup's call reference (H.225.0 §7.3.9),
 * then closed.
 */
import { decodeQ931 } from '../../src/h323/q931-message';
import { encodeSignallingFrame } from '../../src/h323/signalling-frame';
import { unframeTpkt } from '../../src/h323/tpkt';
import { H225_PROTOCOL } from './h323-endpoint/endpoint-identity';
import { TpktConnection } from './h323-endpoint/tpkt-connection';

export interface ReplayResult {
  /** every TPKT frame the listener sent, in order */
  answers: Uint8Array[];
  /** `closed` when the listener closed the connection, `quiet` when it stopped sending for `quietMs` */
  ended: 'closed' | 'quiet';
}

export interface ReplayOptions {
  /** stop collecting once nothing has arrived for this long (default 1500 ms) */
  quietMs?: number;
  /** stop after this long in any case (default 10 s) */
  timeoutMs?: number;
}

const LOOPBACK = /^127\.\d+\.\d+\.\d+$/;

export async function replayFrame(
  host: string,
  port: number,
  tpkt: Uint8Array,
  o: ReplayOptions = {},
): Promise<ReplayResult> {
  if (!LOOPBACK.test(host)) throw new Error(`replay: loopback listeners only (got ${host})`);
  const answers: Uint8Array[] = [];
  let last = Date.now();
  const connection = await TpktConnection.open(host, port, (frame) => {
    answers.push(frame);
    last = Date.now();
  });
  connection.send(tpkt);
  const quietMs = o.quietMs ?? 1500;
  const deadline = Date.now() + (o.timeoutMs ?? 10_000);
  while (connection.isOpen && Date.now() - last < quietMs && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 50));
  const ended = connection.isOpen ? 'quiet' : 'closed';
  if (connection.isOpen) {
    const callReference = decodeQ931(unframeTpkt(tpkt)).callReference;
    connection.send(
      encodeSignallingFrame({
        q931: {
          callReference,
          fromDestination: false,
          messageType: 'releaseComplete',
          ies: [{ ie: 'cause', codingStandard: 0, location: 0, value: 16 }],
        },
        userInformation: {
          'h323-uu-pdu': {
            'h323-message-body': { releaseComplete: { protocolIdentifier: H225_PROTOCOL } },
            h245Tunneling: false,
          },
        },
      }),
    );
  }
  await connection.close(1000);
  return { answers, ended };
}

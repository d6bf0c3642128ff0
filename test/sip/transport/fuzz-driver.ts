/**
 * Runs INSIDE `unshare -n` (only loopback up): starts fuzz-target.ts, sends it mutated real SIP
 * messages over UDP and over TCP, and after every batch checks that it still answers OPTIONS over
 * both. Prints one JSON line with what happened. Mutations are seeded, so a failure replays.
 */
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { join } from 'node:path';
import { seededRandom } from '../../support/seeded-random';

const PORT = 5060;
const SEED = Number(process.env.FUZZ_SEED ?? 20261129);
const UDP_MESSAGES = Number(process.env.FUZZ_UDP ?? 3000);
const TCP_STREAMS = Number(process.env.FUZZ_TCP ?? 200);
const BATCH = 250;

const rand = seededRandom(SEED);
const pick = <T>(a: readonly T[]): T => a[Math.floor(rand() * a.length)]!;
const int = (n: number): number => Math.floor(rand() * n);

const SDP =
  'v=0\r\no=- 1 1 IN IP4 127.0.0.2\r\ns=-\r\nc=IN IP4 127.0.0.2\r\nt=0 0\r\nm=audio 49170 RTP/AVP 0 101\r\na=rtpmap:101 telephone-event/8000\r\n';
const SEEDS = [
  `INVITE sip:4021@127.0.0.1:${PORT} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.2:5070;branch=z9hG4bK776asdhds;rport\r\nMax-Forwards: 70\r\nTo: <sip:4021@127.0.0.1>\r\nFrom: "Salle A" <sip:room@127.0.0.2>;tag=1928301774\r\nCall-ID: a84b4c76e66710@127.0.0.2\r\nCSeq: 314159 INVITE\r\nContact: <sip:room@127.0.0.2:5070>\r\nSupported: timer\r\nSession-Expires: 1800\r\nContent-Type: application/sdp\r\nContent-Length: ${SDP.length}\r\n\r\n${SDP}`,
  `OPTIONS sip:127.0.0.1:${PORT} SIP/2.0\r\nv: SIP/2.0/UDP 127.0.0.2:5070;branch=z9hG4bKopt1\r\nMax-Forwards: 70\r\nt: <sip:127.0.0.1>\r\nf: <sip:mcu@127.0.0.2>;tag=x1\r\ni: opt-1@127.0.0.2\r\nCSeq: 1 OPTIONS\r\nAccept: application/sdp\r\nl: 0\r\n\r\n`,
  `BYE sip:confgate@127.0.0.1:${PORT} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.2:5070;branch=z9hG4bKbye1\r\nMax-Forwards: 70\r\nTo: <sip:4021@127.0.0.1>;tag=abc\r\nFrom: <sip:room@127.0.0.2>;tag=1928301774\r\nCall-ID: a84b4c76e66710@127.0.0.2\r\nCSeq: 314160 BYE\r\nContent-Length: 0\r\n\r\n`,
  `SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:${PORT};branch=z9hG4bKresp1\r\nTo: <sip:x@127.0.0.2>;tag=t\r\nFrom: <sip:confgate@127.0.0.1>;tag=f\r\nCall-ID: resp-1\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n`,
  `CANCEL sip:4021@127.0.0.1:${PORT} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.2:5070;branch=z9hG4bK776asdhds\r\nMax-Forwards: 70\r\nTo: <sip:4021@127.0.0.1>\r\nFrom: "Salle A" <sip:room@127.0.0.2>;tag=1928301774\r\nCall-ID: a84b4c76e66710@127.0.0.2\r\nCSeq: 314159 CANCEL\r\nContent-Length: 0\r\n\r\n`,
  `INFO sip:confgate@127.0.0.1:${PORT} SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.2:5070;branch=z9hG4bKinfo\r\nMax-Forwards: 70\r\nTo: <sip:4021@127.0.0.1>;tag=abc\r\nFrom: <sip:room@127.0.0.2>;tag=1928301774\r\nCall-ID: a84b4c76e66710@127.0.0.2\r\nCSeq: 314161 INFO\r\nContent-Type: application/dtmf-relay\r\nContent-Length: 24\r\n\r\nSignal=5\r\nDuration=160\r\n`,
];
const TOKENS = [
  '\r\n',
  ';',
  ',',
  ':',
  '<',
  '>',
  '"',
  '\\',
  '%00',
  '%',
  '[',
  ']',
  '@',
  ' ',
  '\t',
  '\r\n ',
  '\x00',
  '\xff',
  'z9hG4bK',
  ';tag=',
  ';rport',
  ';received=',
  'Content-Length: 99999',
  'Content-Length: -1',
  'sips:',
  'tel:+33',
  '[::1]',
  '999999999999',
  'SIP/3.0',
  'INVITE',
  'ACK',
  'Via: SIP/2.0/UDP 127.0.0.3',
  'CSeq: 1 INVITE',
  'Max-Forwards: 0',
  'Require: foo',
  '=?',
  'ä',
  '\u2028',
];

function mutate(text: string): Buffer {
  let b = Buffer.from(text, 'latin1');
  const rounds = 1 + int(6);
  for (let r = 0; r < rounds; r++) {
    const at = int(b.length + 1);
    switch (int(8)) {
      case 0: // flip bytes
        for (let i = 0; i < 1 + int(4); i++) if (b.length) b[int(b.length)] = int(256);
        break;
      case 1: // delete a range
        b = Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + 1 + int(40)))]);
        break;
      case 2: // insert a token
        b = Buffer.concat([b.subarray(0, at), Buffer.from(pick(TOKENS), 'utf8'), b.subarray(at)]);
        break;
      case 3: {
        // duplicate a line
        const lines = b.toString('latin1').split('\r\n');
        const i = int(lines.length);
        lines.splice(i, 0, lines[i] ?? '');
        b = Buffer.from(lines.join('\r\n'), 'latin1');
        break;
      }
      case 4: // truncate
        b = b.subarray(0, at);
        break;
      case 5: // random bytes
        b = Buffer.concat([
          b.subarray(0, at),
          Buffer.from(Array.from({ length: 1 + int(30) }, () => int(256))),
          b.subarray(at),
        ]);
        break;
      case 6: {
        // swap two lines
        const lines = b.toString('latin1').split('\r\n');
        const i = int(lines.length);
        const j = int(lines.length);
        [lines[i], lines[j]] = [lines[j]!, lines[i]!];
        b = Buffer.from(lines.join('\r\n'), 'latin1');
        break;
      }
      default: // grow a header value
        b = Buffer.concat([
          b.subarray(0, at),
          Buffer.alloc(int(3000), pick(['a', ',', ';', ' ', '<'])),
          b.subarray(at),
        ]);
    }
  }
  return b;
}

function optionsPing(n: number, transport: 'UDP' | 'TCP'): Buffer {
  return Buffer.from(
    `OPTIONS sip:127.0.0.1:${PORT} SIP/2.0\r\nVia: SIP/2.0/${transport} 127.0.0.1:1;branch=z9hG4bKping${transport}${n};rport\r\nMax-Forwards: 70\r\nTo: <sip:127.0.0.1>\r\nFrom: <sip:fuzz@127.0.0.1>;tag=p${n}\r\nCall-ID: ping-${transport}-${n}@127.0.0.1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n`,
  );
}

async function main(): Promise<void> {
  const target = spawn(process.execPath, [...process.execArgv, join(__dirname, 'fuzz-target.ts'), String(PORT)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  target.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  await new Promise<void>((resolve, reject) => {
    target.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
    target.once('exit', (c) => reject(new Error(`target exited ${c}: ${stderr}`)));
  });
  const udp = createSocket('udp4');
  await new Promise<void>((r) => udp.bind(0, '127.0.0.1', () => r()));
  const pongs = new Set<string>();
  udp.on('message', (m) => {
    const id = /Call-ID: (ping-UDP-\d+)/.exec(m.toString('latin1'));
    if (id && m.toString('latin1').startsWith('SIP/2.0 200')) pongs.add(id[1]!);
  });
  const alive = (): boolean => target.exitCode === null && target.signalCode === null;
  const waitFor = async (cond: () => boolean, ms: number): Promise<boolean> => {
    const end = Date.now() + ms;
    while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
    return cond();
  };
  /**
   * An OPTIONS over UDP, retransmitted every 500 ms like a real UAC's (Timer E) in case the kernel
   * dropped it behind a burst of fuzz; the same branch, so each copy meets the same transaction.
   */
  const udpPing = async (n: number): Promise<boolean> => {
    for (let attempt = 0; attempt < 4; attempt++) {
      udp.send(optionsPing(n, 'UDP'), PORT, '127.0.0.1');
      if (await waitFor(() => pongs.has(`ping-UDP-${n}`), 500)) return true;
    }
    return false;
  };
  const tcpPing = (n: number): Promise<boolean> =>
    new Promise((resolve) => {
      const s = connect({ port: PORT, host: '127.0.0.1' });
      let data = '';
      const done = (ok: boolean): void => {
        s.destroy();
        resolve(ok);
      };
      s.on('connect', () => s.write(optionsPing(n, 'TCP')));
      s.on('data', (d: Buffer) => {
        data += d.toString('latin1');
        if (data.includes(`ping-TCP-${n}`) && data.startsWith('SIP/2.0 200')) done(true);
      });
      s.on('error', () => done(false));
      setTimeout(() => done(false), 2000);
    });

  let udpSent = 0;
  let tcpSent = 0;
  let pingsFailed = 0;
  let pings = 0;
  for (let i = 0; i < UDP_MESSAGES; i++) {
    udp.send(mutate(pick(SEEDS)), PORT, '127.0.0.1');
    udpSent++;
    if (i % BATCH === BATCH - 1) {
      await new Promise((r) => setImmediate(r));
      pings++;
      if (!(await udpPing(pings))) pingsFailed++;
    }
  }
  for (let i = 0; i < TCP_STREAMS; i++) {
    await new Promise<void>((resolve) => {
      const s = connect({ port: PORT, host: '127.0.0.1' });
      s.on('error', () => resolve());
      s.on('connect', () => {
        // A stream of several mutated messages, cut at random points across writes.
        const stream = Buffer.concat(Array.from({ length: 1 + int(4) }, () => mutate(pick(SEEDS))));
        let at = 0;
        while (at < stream.length) {
          const n = 1 + int(600);
          s.write(stream.subarray(at, at + n));
          at += n;
        }
        tcpSent++;
        setTimeout(
          () => {
            s.destroy();
            resolve();
          },
          int(3) === 0 ? 20 : 0,
        );
      });
    });
    if (i % 50 === 49) {
      pings++;
      if (!(await tcpPing(pings))) pingsFailed++;
    }
  }
  pings++;
  const finalUdp = await udpPing(pings);
  const finalTcp = await tcpPing(pings + 1);
  const result = {
    seed: SEED,
    udpSent,
    tcpSent,
    pings,
    pingsFailed,
    finalUdp,
    finalTcp,
    alive: alive(),
    stderr: stderr.slice(-2000),
  };
  target.kill();
  udp.close();
  process.stdout.write(JSON.stringify(result) + '\n');
}

void main().catch((err: Error) => {
  process.stdout.write(JSON.stringify({ error: err.message }) + '\n');
  process.exit(1);
});

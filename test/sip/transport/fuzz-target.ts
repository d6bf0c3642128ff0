/**
 * The product under fuzzing (started by fuzz-driver.ts inside a private network namespace): a confgate
 * SIP stack on UDP and TCP answering INVITEs like the dial-in front end would (180, then 200 with SDP).
 * Prints `ready <port>` once listening.
 */
import pino from 'pino';
import { Srf } from '../../../src/sip/srf/srf';

const port = Number(process.argv[2]);

async function main(): Promise<void> {
  const srf = new Srf({
    listen: [
      { protocol: 'udp', host: '127.0.0.1', port },
      { protocol: 'tcp', host: '127.0.0.1', port },
    ],
    maxMessageBytes: 8192,
    log: pino({ level: 'error' }, pino.destination(2)),
  });
  srf.invite(async (req, res) => {
    res.send(180);
    const dialog = await srf.createUAS(req, res, {
      localSdp: 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\n',
    });
    dialog.on('modify', (_r, res2) => res2.send(488));
  });
  await srf.listen();
  process.stdout.write(`ready ${port}\n`);
}

void main();

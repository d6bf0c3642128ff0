/**
 * The confgate UAS the SIP benchmark drives (child process of `bench/sip-bench.ts`): UDP on a free
 * loopback port, answers each INVITE with 200 OK and SDP, takes the ACK, answers the BYE. Logs at
 * `info` (one line per call event, as in production) into /dev/null, through the production logger
 * (`createLogger`: same fields and redaction) with a buffered synchronous destination: pino's async
 * mode hands every 4 KB to a libuv worker thread, whose wake-ups on the UAS's own pinned CPU cost
 * more than the write itself (measured: ~0.1 ms per call). Talks to its parent over IPC:
 * sends `{ port }` once listening, answers `stats` with CPU, peak RSS and call counters.
 */
import pino from 'pino';
import { createLogger } from '../src/log/logger';
import { Srf } from '../src/sip';
import { loopbackSdp } from '../test/sip/sipp/test-uas';

const SDP = loopbackSdp();

async function main(): Promise<void> {
  const log = createLogger(
    process.env.BENCH_SIP_LOG_LEVEL ?? 'info',
    pino.destination({ dest: process.env.BENCH_SIP_LOG_FILE ?? '/dev/null', minLength: 4096, sync: true }),
  );
  const srf = new Srf({ listen: [{ protocol: 'udp', host: '127.0.0.1', port: 0 }], log });
  let answered = 0;
  let ended = 0;
  let failed = 0;
  srf.invite(async (req, res) => {
    try {
      const dialog = await srf.createUAS(req, res, { localSdp: SDP });
      answered++;
      dialog.on('destroy', () => ended++);
    } catch {
      failed++;
    }
  });
  await srf.listen();
  process.on('message', (m: unknown) => {
    if (m === 'stats') {
      const cpu = process.cpuUsage();
      process.send?.({
        cpuMs: (cpu.user + cpu.system) / 1000,
        userMs: cpu.user / 1000,
        systemMs: cpu.system / 1000,
        maxRssKb: process.resourceUsage().maxRSS,
        answered,
        ended,
        failed,
        ...srf.stats,
      });
    } else if (m === 'exit') {
      void srf.close().then(() => process.exit(0));
    }
  });
  process.send?.({ port: srf.address('udp').port });
}

void main();

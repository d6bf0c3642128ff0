/**
 * The Setups of the real capture (ndpi-h323.pcap) replayed into confgate's own H.323 listener
 * (`src/main.ts` as its own process). The capture is a foreign test vector: confgate and the replay
 * run inside a private network namespace with loopback alone (test/support/h323-capture-replay-netns.ts
 * under `unshare -n`), so whatever address a Setup names, nothing outside this machine can be reached.
 * Every answer must be well formed (read by confgate's codec and by tshark, H.225.0 §7), the two
 * valid calls are proceeded and answered by the IVR, the malformed one is released, and confgate
 * is alive and answering afterwards.
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { privateLoopbackNamespaceArgs } from '../../bench/fuzz/netns';
import { decodeSignallingFrame } from '../../src/h323/signalling-frame';
import { captureSetups } from '../support/h323-capture-setups';
import type { NetnsReplayReport } from '../support/h323-capture-replay-netns';
import { dissectFrames, haveTshark } from '../support/h323-endpoint/tshark-dissection';
import { sharedPresent } from '../support/shared-files';

const ROOT = join(__dirname, '..', '..');
/** `unshare -n` needs root (or a user namespace); where it is refused the test is skipped, counted. */
const canUnshare = spawnSync('unshare', ['-n', 'true']).status === 0;
const runnable = sharedPresent && canUnshare;
if (sharedPresent && !canUnshare) console.warn('unshare -n not permitted: the replay into confgate is skipped');

/** Runs the replay script in a fresh network namespace with only `lo` up; resolves with its report. */
function replayInNamespace(): Promise<NetnsReplayReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'unshare',
      privateLoopbackNamespaceArgs([
        process.execPath,
        '-r',
        join(ROOT, 'scripts', 'asn1', 'swc-register.js'),
        join(ROOT, 'test', 'support', 'h323-capture-replay-netns.ts'),
      ]),
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.once('exit', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code === 0 && last.startsWith('{')) resolve(JSON.parse(last) as NetnsReplayReport);
      else reject(new Error(`replay in namespace exited ${code}:\n${err.slice(-4000)}`));
    });
  });
}

const bytes = (hex: string): Uint8Array => Buffer.from(hex, 'hex');
const messageTypes = (answers: string[]): string[] =>
  answers.map((a) => decodeSignallingFrame(bytes(a)).q931.messageType);

(runnable ? describe : describe.skip)(
  'replaying the Setups of ndpi-h323.pcap into confgate (private namespace)',
  () => {
    let report: NetnsReplayReport;
    beforeAll(async () => {
      report = await replayInNamespace();
    }, 60_000);

    it('the valid Setups get Call Proceeding then Connect from the IVR; the malformed one a Release Complete', () => {
      const byFrame = Object.fromEntries(report.replays.map((r) => [r.frame, messageTypes(r.answers)]));
      expect(byFrame).toEqual({
        6: ['callProceeding', 'connect'],
        47: ['callProceeding', 'connect'],
        65: ['releaseComplete'],
      });
    });

    it('every answer is read by confgate codec and by tshark, none malformed', () => {
      const answers = [...report.replays, report.again].flatMap((r) => r.answers.map(bytes));
      expect(answers.length).toBe(7);
      if (!haveTshark) return;
      const frames = answers.map((b) => ({ direction: 'received' as const, channel: 'h225' as const, bytes: b }));
      expect(dissectFrames(frames).filter((d) => d.malformed || !d.protocols.includes('h225'))).toEqual([]);
    });

    it('confgate reached for nothing outside loopback', () => {
      // Dialling the Setup's h245Address is what could reach out (H.225.0 §8.1.7); these Setups name
      // none and tunnel nothing, so confgate offers its own address in the Connect instead.
      for (const setup of captureSetups().filter((s) => s.valid)) {
        const body = decodeSignallingFrame(setup.tpkt).userInformation!['h323-uu-pdu']['h323-message-body'];
        expect([setup.frame, 'setup' in body && body.setup.h245Address]).toEqual([setup.frame, undefined]);
      }
      for (const r of report.replays.filter((r) => r.valid)) {
        const connect = decodeSignallingFrame(bytes(r.answers[1]!)).userInformation!['h323-uu-pdu'][
          'h323-message-body'
        ];
        const ip = 'connect' in connect ? connect.connect.h245Address : undefined;
        expect(ip && 'ipAddress' in ip ? [...ip.ipAddress.ip][0] : undefined).toBe(127);
      }
      expect([...report.replays, report.again].flatMap((r) => r.foreignPeers)).toEqual([]);
      expect(report.log).not.toMatch(/ENETUNREACH|EHOSTUNREACH/);
    });

    it('confgate is alive and still answers after the replays', () => {
      expect(report.alive).toBe(true);
      expect(report.health).toBe(200);
      expect([report.again.frame, messageTypes(report.again.answers)]).toEqual([6, ['callProceeding', 'connect']]);
      expect(report.log).toContain('H.323 signalling refused');
    });
  },
);

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const REGISTER = join(__dirname, '..', '..', '..', 'scripts', 'asn1', 'swc-register.js');
const canUnshare = process.getuid?.() === 0 && spawnSync('unshare', ['-n', 'true']).status === 0;

/**
 * Fuzzing the SIP stack with mutated real messages over UDP and TCP. The product and the fuzzer run
 * in a private network namespace with only loopback up (`unshare -n`), so whatever address a
 * mutated Via or Contact names, no packet can leave the machine. The product must stay up and keep
 * answering OPTIONS after every batch.
 */
(canUnshare ? describe : describe.skip)('SIP stack under fuzzing (unshare -n)', () => {
  it('stays up and keeps answering OPTIONS over UDP and TCP', () => {
    const driver = join(__dirname, 'fuzz-driver.ts');
    const run = spawnSync(
      'unshare',
      ['-n', 'sh', '-c', `ip link set lo up && exec "${process.execPath}" -r "${REGISTER}" "${driver}"`],
      {
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    const line = run.stdout.trim().split('\n').pop() ?? '';
    let result: Record<string, unknown>;
    try {
      result = JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new Error(`fuzz driver printed no result: ${run.stdout}\n${run.stderr}`);
    }
    expect(result).toMatchObject({ alive: true, finalUdp: true, finalTcp: true, pingsFailed: 0 });
    // Nothing reached the socket handlers' last-resort catch (logged at error level).
    expect(result.stderr).toBe('');
    expect(result.udpSent).toBeGreaterThanOrEqual(3000);
    expect(result.tcpSent).toBeGreaterThanOrEqual(200);
  });
});

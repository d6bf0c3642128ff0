import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** conf@ with the digits as RFC 4733 events from SIPp's captures, in a private network namespace. */
describe('dial-in through the IVR with RFC 4733 digits', () => {
  it('conf@ + 5387# 8688# played from /usr/share/sip-tester captures: the caller reaches the MCU, slot freed', () => {
    const driver = join(__dirname, 'support', 'rfc4733-driver.ts');
    const register = join(ROOT, 'scripts', 'asn1', 'swc-register.js');
    const out = execFileSync(
      'unshare',
      ['-n', 'sh', '-c', `ip link set lo up && exec "${process.execPath}" -r "${register}" "${driver}"`],
      {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 80_000,
      },
    );
    const result = JSON.parse(out.trim().split('\n').pop()!);
    expect(result.caller).toEqual({ exitCode: 0, successful: 1 });
    expect(result.invites).toHaveLength(1);
    expect(result.invites[0].ruri).toMatch(/^sip:5387@127\.0\.0\.91:\d+$/);
    expect(result.live).toBe(0);
    expect(result.record).toMatchObject({
      dialled: 'ivr',
      number: '5387',
      dtmf: 'rfc4733',
      verdict: 'admitted',
      endedBy: 'mcu',
    });
  }, 90_000);
});

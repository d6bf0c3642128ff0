import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runSipp } from '../../support/sipp';
import { loopbackSdp, startTestUas } from './test-uas';

const scenario = (name: string): { xml: string } => ({ xml: readFileSync(join(__dirname, 'scenarios', name), 'utf8') });

/** SIPp as the caller against a confgate UAS (INVITE → 200 with SDP → ACK → BYE → 200). */
describe('confgate UAS against SIPp', () => {
  let uas: Awaited<ReturnType<typeof startTestUas>>;

  beforeEach(async () => {
    uas = await startTestUas([
      { protocol: 'udp', host: '127.0.0.1', port: 0 },
      { protocol: 'tcp', host: '127.0.0.1', port: 0 },
    ]);
  });
  afterEach(() => uas.srf.close());

  it('completes SIPp built-in uac calls over UDP', async () => {
    const r = await runSipp({
      scenario: 'uac',
      remote: `127.0.0.1:${uas.srf.address('udp').port}`,
      calls: 200,
      rate: 200,
      timeoutSec: 20,
    });
    expect(r).toMatchObject({ exitCode: 0, successful: 200, failed: 0 });
    expect(uas.answered()).toBe(200);
    expect(uas.ended()).toBe(200);
    expect(uas.srf.stats.dialogs).toBe(0);
  });

  it('completes SIPp built-in uac calls over TCP on one reused connection', async () => {
    let connections = 0;
    const r = await runSipp({
      scenario: 'uac',
      remote: `127.0.0.1:${uas.srf.address('tcp').port}`,
      transport: 't1',
      calls: 200,
      rate: 200,
      timeoutSec: 20,
      onStart: () => {
        // Sample the connection count while calls run: one connection for all of them.
        const t = setInterval(() => (connections = Math.max(connections, uas.srf.stats.connections)), 20);
        setTimeout(() => clearInterval(t), 900);
      },
    });
    expect(r).toMatchObject({ exitCode: 0, successful: 200, failed: 0 });
    expect(uas.answered()).toBe(200);
    expect(uas.ended()).toBe(200);
    expect(connections).toBe(1);
  });

  it('completes every call over UDP with 10% packet loss, by retransmission', async () => {
    const r = await runSipp({
      scenario: 'uac',
      remote: `127.0.0.1:${uas.srf.address('udp').port}`,
      calls: 100,
      rate: 50,
      lost: 10,
      timeoutSec: 60,
    });
    expect(r).toMatchObject({ exitCode: 0, successful: 100, failed: 0 });
    expect(r.retransmissions).toBeGreaterThan(0);
    // Each call reached the application once, despite INVITE retransmissions. A call whose ACK was
    // lost ends with the BYE; one whose ACK and BYE were both lost (SIPp's scenario takes our 2xx
    // retransmission for the BYE's 200) is still re-sending its 2xx, to be ended at 64*T1.
    expect(uas.invites()).toBe(100);
    const { dialogs, dialogsAwaitingAck } = uas.srf.stats;
    expect(dialogs).toBe(dialogsAwaitingAck);
  });

  it('answers a CANCEL before answer with 200, and the INVITE with 487', async () => {
    let cancelled = 0;
    uas.srf.invite((req, res) => {
      res.send(180);
      req.on('cancel', () => cancelled++);
    });
    const r = await runSipp({
      scenario: scenario('uac-cancel.xml'),
      remote: `127.0.0.1:${uas.srf.address('udp').port}`,
      calls: 50,
      rate: 50,
      timeoutSec: 20,
    });
    expect(r).toMatchObject({ exitCode: 0, successful: 50, failed: 0 });
    expect(cancelled).toBe(50);
  });

  it('absorbs a retransmitted INVITE and BYE: one call each for the application, the BYE copy answered again', async () => {
    let invites = 0;
    let byes = 0;
    uas.srf.invite(async (req, res) => {
      invites++;
      const dialog = await uas.srf.createUAS(req, res, { localSdp: loopbackSdp() });
      dialog.on('destroy', () => byes++);
    });
    const r = await runSipp({
      scenario: scenario('uac-retransmit.xml'),
      remote: `127.0.0.1:${uas.srf.address('udp').port}`,
      calls: 30,
      rate: 30,
      timeoutSec: 20,
    });
    expect(r).toMatchObject({ exitCode: 0, successful: 30, failed: 0 });
    expect(invites).toBe(30);
    expect(byes).toBe(30);
    // Each BYE copy was answered from the Completed transaction, after SIPp had closed the call.
    expect(Number(r.stats['DeadCallMsgs(C)'])).toBe(30);
  });

  it('routes responses by received/rport to callers on other loopback addresses whose Via names a wrong port', async () => {
    const port = uas.srf.address('udp').port;
    const runs = await Promise.all(
      ['127.0.0.2', '127.0.0.3', '127.0.0.4'].map((localIp) =>
        runSipp({
          scenario: scenario('uac-wrong-via.xml'),
          remote: `127.0.0.1:${port}`,
          localIp,
          calls: 30,
          rate: 30,
          timeoutSec: 20,
        }),
      ),
    );
    for (const r of runs) expect(r).toMatchObject({ exitCode: 0, successful: 30, failed: 0 });
    expect(uas.answered()).toBe(90);
  });
});

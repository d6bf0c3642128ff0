import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { Srf } from '../../../src/sip/srf/srf';
import { freeUdpTcpPort, runSipp } from '../../support/sipp';
import { loopbackSdp } from './test-uas';

const offerless = { xml: readFileSync(join(__dirname, 'scenarios', 'uas-offerless.xml'), 'utf8') };

/**
 * A confgate UAC against SIPp as UAS: an offerless INVITE (SIPp checks Content-Length 0), SIPp's
 * offer in its 200 OK, confgate's answer in the ACK (SIPp checks an m= line in the ACK body), then
 * confgate hangs up with BYE.
 */
describe.each([
  ['udp', 'u1'],
  ['tcp', 't1'],
] as const)('confgate UAC against SIPp UAS over %s', (protocol, sippTransport) => {
  it('places offerless calls, answers in the ACK and hangs up', async () => {
    const srf = new Srf({ listen: [{ protocol, host: '127.0.0.1', port: 0 }], log: pino({ level: 'silent' }) });
    await srf.listen();
    const port = await freeUdpTcpPort('127.0.0.1');
    const calls = 20;
    const sipp = runSipp({ scenario: offerless, localPort: port, transport: sippTransport, calls, timeoutSec: 20 });
    await new Promise((r) => setTimeout(r, 300)); // let SIPp bind
    try {
      const ringing: number[] = [];
      for (let i = 0; i < calls; i++) {
        const dialog = await srf.createUAC(
          `sip:service@127.0.0.1:${port}${protocol === 'tcp' ? ';transport=tcp' : ''}`,
          { noOffer: true, localSdp: loopbackSdp(41000 + 2 * i) },
          { cbProvisional: (res) => ringing.push(res.status) },
        );
        expect(dialog.type).toBe('uac');
        expect(dialog.remote.sdp).toContain('m=audio');
        expect(dialog.local.sdp).toContain(`m=audio ${41000 + 2 * i}`);
        await dialog.destroy();
      }
      expect(ringing).toEqual(new Array(calls).fill(180));
      const r = await sipp;
      expect(r).toMatchObject({ exitCode: 0, successful: calls, failed: 0 });
      expect(srf.stats.dialogs).toBe(0);
    } finally {
      await srf.close();
    }
  });
});

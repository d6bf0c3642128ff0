import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { Dialog } from '../../../src/sip/dialog/dialog';
import { Srf } from '../../../src/sip/srf/srf';
import { loopbackSdp } from '../sipp/test-uas';

/** SIP over TLS (RFC 3261 §26.2) with a self-signed certificate for 127.0.0.1 made by openssl here. */
describe('SIP over TLS', () => {
  let dir: string;
  let cert: Buffer;
  let key: Buffer;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'confgate-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    cert = readFileSync(join(dir, 'cert.pem'));
    key = readFileSync(join(dir, 'key.pem'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('places a call over TLS, verifying the certificate, and hangs up over the same connection', async () => {
    const tls = { cert, key, ca: cert };
    const listen = [{ protocol: 'tls' as const, host: '127.0.0.1', port: 0 }];
    const b = new Srf({ listen, tls, log: pino({ level: 'silent' }) });
    const a = new Srf({ listen, tls, log: pino({ level: 'silent' }) });
    await Promise.all([a.listen(), b.listen()]);
    try {
      const uasDialog = new Promise<Dialog>((resolve) =>
        b.invite(async (req, res) => {
          expect(req.protocol).toBe('tls');
          resolve(await b.createUAS(req, res, { localSdp: loopbackSdp() }));
        }),
      );
      const uac = await a.createUAC(`sips:room@127.0.0.1:${b.address('tls').port}`, { localSdp: loopbackSdp() });
      const uas = await uasDialog;
      const ended = new Promise((r) => uac.once('destroy', r));
      await uas.destroy(); // from B: back over the connection A opened
      await ended;
      expect(a.stats.connections).toBe(1);
      expect(b.stats.connections).toBe(1);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('refuses a peer whose certificate is not trusted', async () => {
    const b = new Srf({
      listen: [{ protocol: 'tls', host: '127.0.0.1', port: 0 }],
      tls: { cert, key },
      log: pino({ level: 'silent' }),
    });
    const a = new Srf({
      listen: [{ protocol: 'tls', host: '127.0.0.1', port: 0 }],
      tls: { cert, key },
      log: pino({ level: 'silent' }),
    });
    await Promise.all([a.listen(), b.listen()]);
    try {
      await expect(
        a.request(`sips:room@127.0.0.1:${b.address('tls').port}`, { method: 'OPTIONS' }),
      ).rejects.toMatchObject({ status: 503 });
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

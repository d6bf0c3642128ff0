import pino from 'pino';
import { Srf } from '../../../src/sip/srf/srf';
import { options, RawUdpPeer } from '../transport/raw-peer';

function invite(port: number, n: number, toTag = ''): string {
  return [
    `INVITE sip:5387@127.0.0.1:${port} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK-limit-${n};rport`,
    'Max-Forwards: 70',
    'From: <sip:room@127.0.0.1>;tag=f1',
    `To: <sip:5387@127.0.0.1>${toTag}`,
    `Call-ID: limit-${n}@127.0.0.1`,
    'CSeq: 1 INVITE',
    'Contact: <sip:room@127.0.0.1>',
    'Content-Length: 0',
    '',
    '',
  ].join('\n');
}

describe('per-source INVITE limit in the user agent core', () => {
  let srf: Srf;
  let port: number;
  let limited: boolean[];
  let handled: number;
  beforeEach(async () => {
    limited = [];
    handled = 0;
    srf = new Srf({
      listen: [{ protocol: 'udp', host: '127.0.0.1', port: 0 }],
      log: pino({ level: 'silent' }),
      counters: { request: () => undefined, response: () => undefined, inviteLimited: (t) => limited.push(t) },
      inviteRate: {
        perSource: { perSecond: 0.001, burst: 2 },
        trusted: { perSecond: 0.001, burst: 2 },
        trustedSources: new Set(),
        maxSources: 100,
        retryAfterSeconds: 7,
      },
    });
    srf.invite((_req, res) => {
      handled++;
      res.send(486);
    });
    await srf.listen();
    port = srf.address('udp').port;
  });
  afterEach(() => srf.close());

  it('answers new INVITEs past the burst 503 with Retry-After, statelessly; OPTIONS and in-dialog requests still answered', async () => {
    const peer = await RawUdpPeer.open();
    for (let n = 1; n <= 5; n++) peer.send(invite(port, n), port);
    const got = await peer.waitFor(5);
    const finals = got.filter((m) => !m.startsWith('SIP/2.0 100'));
    expect(finals.filter((m) => m.startsWith('SIP/2.0 486'))).toHaveLength(2);
    const refused = finals.filter((m) => m.startsWith('SIP/2.0 503'));
    expect(refused).toHaveLength(3);
    for (const r of refused) expect(r).toMatch(/\r\nRetry-After: 7\r\n/);
    expect(handled).toBe(2);
    expect(limited).toEqual([false, false, false]);
    // Only the two admitted INVITEs made transactions.
    expect(srf.stats.serverTransactions).toBe(2);

    peer.received.length = 0;
    peer.send(invite(port, 1), port); // a retransmission of an admitted INVITE: its transaction answers again
    peer.send(options(`confgate@127.0.0.1:${port}`, 'SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK-limit-opt;rport'), port);
    peer.send(invite(port, 6, ';tag=t1'), port); // a re-INVITE in an unknown dialog: 481, not 503
    const after = await peer.waitFor(3);
    expect(after.map((m) => m.slice(0, 11)).sort()).toEqual(['SIP/2.0 200', 'SIP/2.0 481', 'SIP/2.0 486']);
    expect(limited).toHaveLength(3);
    peer.close();
  });
});

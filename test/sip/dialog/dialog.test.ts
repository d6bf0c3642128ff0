import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import pino from 'pino';
import { Srf, type SrfOptions } from '../../../src/sip/srf/srf';
import { SipError } from '../../../src/sip/message/sip-error';
import type { Dialog } from '../../../src/sip/dialog/dialog';
import type { TransportProtocol } from '../../../src/sip/message/flow';
import { loopbackSdp } from '../sipp/test-uas';
import { freeUdpTcpPort } from '../../support/sipp';

const silent = pino({ level: 'silent' });
const started: Srf[] = [];

async function stack(opts: SrfOptions = {}, protocols: TransportProtocol[] = ['udp', 'tcp']): Promise<Srf> {
  const srf = new Srf({
    listen: protocols.map((protocol) => ({ protocol, host: '127.0.0.1', port: 0 })),
    log: silent,
    ...opts,
  });
  await srf.listen();
  started.push(srf);
  return srf;
}

const uriOf = (srf: Srf, protocol: TransportProtocol = 'udp', user = 'room'): string =>
  `sip:${user}@127.0.0.1:${srf.address(protocol).port}${protocol === 'udp' ? '' : `;transport=${protocol}`}`;

function once<T extends unknown[]>(
  emitter: { once(e: string, l: (...a: T) => void): unknown },
  event: string,
): Promise<T> {
  return new Promise((resolve) => emitter.once(event, (...a: T) => resolve(a)));
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close()));
});

describe('dialogs between two confgate stacks', () => {
  it('UAC and UAS: SDP exchanged, INFO passed through, re-INVITE modify, BYE ends both', async () => {
    const b = await stack();
    const a = await stack();
    const uasDialog = new Promise<Dialog>((resolve) => {
      b.invite(async (req, res) => {
        expect(req.protocol).toBe('udp');
        expect(req.calledNumber).toBe('room');
        resolve(await b.createUAS(req, res, { localSdp: loopbackSdp(42000) }));
      });
    });
    const uac = await a.createUAC(uriOf(b), { localSdp: loopbackSdp(43000) });
    const uas = await uasDialog;
    expect(uac.remote.sdp).toContain('m=audio 42000');
    expect(uas.remote.sdp).toContain('m=audio 43000');
    expect(uac.sip.callId).toBe(uas.sip.callId);

    const info = once<[{ body: string }, { send(s: number): void }]>(uas, 'info');
    const infoRes = uac.request({
      method: 'INFO',
      headers: { 'Content-Type': 'application/dtmf-relay' },
      body: 'Signal=5\r\nDuration=160\r\n',
    });
    const [req, res] = await info;
    expect(req.body).toContain('Signal=5');
    res.send(200);
    expect((await infoRes).status).toBe(200);

    uas.once('modify', (req2: { body: string }, res2: { send(s: number, o: object): void }) => {
      expect(req2.body).toContain('m=audio 43002');
      res2.send(200, { body: loopbackSdp(42002) });
    });
    expect(await uac.modify(loopbackSdp(43002))).toContain('m=audio 42002');
    expect(uas.local.sdp).toContain('m=audio 42002');

    const ended = once(uas, 'destroy');
    await uac.destroy();
    await ended;
    expect(a.stats.dialogs).toBe(0);
    expect(b.stats.dialogs).toBe(0);
  });

  it('an ended call is garbage while its transactions linger 64*T1 (RFC 6026 Accepted): they keep no dialog nor the call state hung on it', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const b = await stack();
    const a = await stack();
    b.invite(async (req, res) => {
      const dialog = await b.createUAS(req, res, { localSdp: loopbackSdp(42000) });
      dialog.on('destroy', () => undefined);
    });
    const refs = await (async () => {
      // The application's call state, reachable only through the dialog's listeners and the hooks.
      const callState = { recording: new Array(1000).fill('call state') };
      const uac = await a.createUAC(
        uriOf(b),
        { localSdp: loopbackSdp(43000) },
        { cbProvisional: () => callState.recording.push('ringing') },
      );
      uac.on('destroy', () => callState.recording.push('ended'));
      await uac.destroy();
      return { dialog: new WeakRef(uac), callState: new WeakRef(callState) };
    })();
    // The INVITE client transaction is still in Accepted (Timer M) and the BYE's in Completed (Timer K).
    expect(a.stats.clientTransactions).toBeGreaterThan(0);
    for (let i = 0; i < 5 && (refs.dialog.deref() || refs.callState.deref()); i++) {
      await new Promise((resolve) => setImmediate(resolve));
      gc();
    }
    expect(refs.dialog.deref()).toBeUndefined();
    expect(refs.callState.deref()).toBeUndefined();
  });

  it('createUAC callingName/callingNumber set the From (a quoted display name when needed); a number that is no SIP user is not used', async () => {
    const b = await stack();
    const a = await stack();
    const froms: string[] = [];
    b.invite((req, res) => {
      froms.push(req.get('from') ?? '');
      res.send(486);
    });
    const call = (opts: { callingName?: string; callingNumber?: string }) =>
      a.createUAC(uriOf(b), { localSdp: loopbackSdp(), ...opts }).catch((e: SipError) => e.status);
    expect(await call({ callingName: 'Salle "B" 204', callingNumber: '+33142' })).toBe(486);
    expect(await call({ callingName: 'Ada Lovelace', callingNumber: 'x@evil;lr' })).toBe(486);
    expect(await call({})).toBe(486);
    expect(froms[0]).toMatch(/^"Salle \\"B\\" 204" <sip:\+33142@127\.0\.0\.1>;tag=/);
    expect(froms[1]).toMatch(/^Ada Lovelace <sip:confgate@127\.0\.0\.1>;tag=/);
    expect(froms[2]).toMatch(/^<sip:confgate@127\.0\.0\.1>;tag=/);
  });

  it('a rejected call rejects createUAC with the status; a CANCEL before answer gives 487', async () => {
    const b = await stack();
    const a = await stack();
    b.invite((req, res) => {
      if (req.calledNumber === 'busy') res.send(486);
      else res.send(180); // rings until cancelled
    });
    await expect(a.createUAC(uriOf(b, 'udp', 'busy'), { localSdp: loopbackSdp() })).rejects.toMatchObject({
      status: 486,
    });
    const call = a.createUAC(
      uriOf(b, 'udp', 'ring'),
      { localSdp: loopbackSdp() },
      { cbRequest: (inv) => setTimeout(() => inv.cancel(), 50) },
    );
    await expect(call).rejects.toBeInstanceOf(SipError);
    await expect(call).rejects.toMatchObject({ status: 487 });
  });

  it('B2BUA: A reaches C through B, SDP relayed, ringing relayed, a hang-up on one leg ends the other', async () => {
    const c = await stack();
    const b = await stack();
    const a = await stack();
    let cDialog: Dialog | undefined;
    c.invite(async (req, res) => {
      res.send(180);
      cDialog = await c.createUAS(req, res, { localSdp: loopbackSdp(44000) });
    });
    const legs = new Promise<{ uas: Dialog; uac: Dialog }>((resolve) =>
      b.invite(async (req, res) => resolve(await b.createB2BUA(req, res, uriOf(c)))),
    );
    const ringing: number[] = [];
    const aDialog = await a.createUAC(
      uriOf(b),
      { localSdp: loopbackSdp(45000) },
      { cbProvisional: (r) => ringing.push(r.status) },
    );
    const { uas, uac } = await legs;
    expect(ringing).toContain(180);
    expect(aDialog.remote.sdp).toContain('m=audio 44000');
    expect(cDialog!.remote.sdp).toContain('m=audio 45000');
    const cEnded = once(cDialog!, 'destroy');
    await aDialog.destroy();
    await cEnded;
    expect(uas.connected).toBe(false);
    expect(uac.connected).toBe(false);
    expect(b.stats.dialogs).toBe(0);
  });

  it('B2BUA passes the far end failure back to A (passFailure)', async () => {
    const c = await stack();
    const b = await stack();
    const a = await stack();
    c.invite((_req, res) => res.send(603, 'Decline'));
    b.invite(async (req, res) => {
      await b.createB2BUA(req, res, uriOf(c)).catch(() => undefined);
    });
    await expect(a.createUAC(uriOf(b), { localSdp: loopbackSdp() })).rejects.toMatchObject({ status: 603 });
  });

  it('session timer: the UAC refreshes at half the interval, the UAS sees a refresh; 422 is retried with Min-SE (RFC 4028)', async () => {
    const b = await stack({ sessionTimer: { expires: 2, minSE: 2 } });
    const a = await stack({ sessionTimer: { expires: 1, minSE: 1 } });
    const uasDialog = new Promise<Dialog>((resolve) =>
      b.invite(async (req, res) => resolve(await b.createUAS(req, res, { localSdp: loopbackSdp() }))),
    );
    const uac = await a.createUAC(uriOf(b), { localSdp: loopbackSdp() });
    const uas = await uasDialog;
    // Asked for 1 s, got 422 with Min-SE 2, retried with 2 s; the UAC refreshes.
    expect(uac.session).toEqual({ interval: 2, refresher: 'local' });
    expect(uas.session).toEqual({ interval: 2, refresher: 'remote' });
    await once(uas, 'refresh');
    expect(uas.connected).toBe(true);
    await uac.destroy();
  });

  it('session timer: with a UAC that did not ask, the UAS refreshes (refresher=uas)', async () => {
    const b = await stack({ sessionTimer: { expires: 2, minSE: 1 } });
    const a = await stack({ sessionTimer: { enabled: false } });
    const uasDialog = new Promise<Dialog>((resolve) =>
      b.invite(async (req, res) => resolve(await b.createUAS(req, res, { localSdp: loopbackSdp() }))),
    );
    const uac = await a.createUAC(uriOf(b), { localSdp: loopbackSdp() });
    const uas = await uasDialog;
    expect(uas.session).toEqual({ interval: 2, refresher: 'local' });
    await once(uac, 'refresh');
    expect(uac.connected).toBe(true);
    await uas.destroy();
  });

  it('session timer: the non-refresher hangs up when the refresher stops refreshing (RFC 4028 §10)', async () => {
    const b = await stack({ sessionTimer: { expires: 2, minSE: 1 } });
    const a = await stack({ sessionTimer: { expires: 2, minSE: 1 } });
    const uasDialog = new Promise<Dialog>((resolve) =>
      b.invite(async (req, res) => resolve(await b.createUAS(req, res, { localSdp: loopbackSdp() }))),
    );
    const uac = await a.createUAC(uriOf(b), { localSdp: loopbackSdp() });
    const uas = await uasDialog;
    expect(uac.session?.refresher).toBe('local');
    // A refresher that goes silent: stop the UAC's timer from outside.
    (uac as unknown as { sessionTimer: { stop(): void } }).sessionTimer.stop();
    const started = Date.now();
    const [reason] = await once<[{ reason: string }]>(uas, 'destroy');
    expect(reason).toEqual({ reason: 'session timer expired' });
    // BYE at SE - min(32, SE/3) = 2 - 0.67 s.
    expect(Date.now() - started).toBeGreaterThan(1100);
    await once(uac, 'destroy');
  });

  it('a request too big for UDP goes over TCP (RFC 3261 §18.1.1); in-dialog requests reuse the connection the call came in on', async () => {
    // Peers listen on UDP and TCP on the same port, as §18.1.1's switch of transport assumes.
    const port = await freeUdpTcpPort('127.0.0.1');
    const b = await stack({
      listen: [
        { protocol: 'udp', host: '127.0.0.1', port },
        { protocol: 'tcp', host: '127.0.0.1', port },
      ],
    });
    const a = await stack();
    const uasDialog = new Promise<Dialog>((resolve) =>
      b.invite(async (req, res) => {
        expect(req.protocol).toBe('tcp');
        resolve(await b.createUAS(req, res, { localSdp: loopbackSdp() }));
      }),
    );
    const uac = await a.createUAC(uriOf(b), { localSdp: loopbackSdp(), headers: { 'X-Big': 'z'.repeat(1400) } });
    const uas = await uasDialog;
    expect(a.stats.connections).toBe(1);
    const info = once<[{ protocol: string; source_port: number }, { send(s: number): void }]>(uac, 'info');
    const sent = uas.request({
      method: 'INFO',
      body: 'Signal=1\r\n',
      headers: { 'Content-Type': 'application/dtmf-relay' },
    });
    const [req, res] = await info;
    expect(req.protocol).toBe('tcp');
    expect(req.source_port).toBe(port); // from B's listening socket: the connection A opened to it
    res.send(200);
    expect((await sent).status).toBe(200);
    // Still the one connection A opened: B answered over it instead of connecting back.
    expect(a.stats.connections).toBe(1);
    expect(b.stats.connections).toBe(1);
    await uac.destroy();
  });

  it('answers an out-of-dialog OPTIONS ping (srf.request) and 481 to a request in an unknown dialog', async () => {
    const b = await stack();
    const a = await stack();
    const res = await a.request(uriOf(b, 'tcp'), { method: 'OPTIONS' });
    expect(res.status).toBe(200);
    expect(res.headers.get('allow')).toContain('INVITE');
    expect(res.headers.get('server')).toMatch(/^confgate\//);
    const bye = await a.request(uriOf(b), { method: 'BYE' });
    expect(bye.status).toBe(481);
  });

  it('an INVITE the application never answers gets 100 Trying, then 408 after 5 minutes', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    try {
      const b = await stack({}, ['udp']);
      const a = await stack({}, ['udp']);
      let invites = 0;
      b.invite(() => {
        invites++; // and nothing else
      });
      const ringing: number[] = [];
      const call = a.createUAC(uriOf(b), { localSdp: loopbackSdp() }, { cbProvisional: (r) => ringing.push(r.status) });
      let settled = false;
      call.then(
        () => (settled = true),
        () => (settled = true),
      );
      for (let i = 0; i < 50 && invites === 0; i++) await jest.advanceTimersByTimeAsync(10);
      await jest.advanceTimersByTimeAsync(299_000);
      // Still pending: the 100 Trying stopped the UAC's Timer B (else a 408 at 32 s).
      expect(settled).toBe(false);
      expect(ringing).toEqual([]);
      expect(b.stats.serverTransactions).toBe(1);
      await jest.advanceTimersByTimeAsync(2_000);
      await expect(call).rejects.toMatchObject({ status: 408 });
      expect(invites).toBe(1);
    } finally {
      jest.useRealTimers();
    }
  });

  it('an unreachable peer fails with 408 after Timer B', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    try {
      const a = await stack({}, ['udp']);
      const call = a.request('sip:nobody@127.0.0.1:9', { method: 'OPTIONS' });
      call.catch(() => undefined);
      await Promise.resolve();
      await jest.advanceTimersByTimeAsync(33_000);
      await expect(call).rejects.toMatchObject({ status: 408 });
    } finally {
      jest.useRealTimers();
    }
  });
});

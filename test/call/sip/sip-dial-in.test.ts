import { createLogger } from '../../../src/log/logger';
import { SipError, Srf, type Dialog } from '../../../src/sip';
import { NO_ROUTING, startIvrEndpoint } from '../../ivr/support/ivr-endpoint';

/** SDP with loopback addresses only. */
function callerSdp(
  media = 'm=audio 40000 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n',
): string {
  return `v=0\r\no=caller 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n${media}`;
}

/** What a failed INVITE came back with. */
async function refusal(call: Promise<Dialog>): Promise<{ status: number; reason: string; warning?: string }> {
  try {
    await call;
  } catch (error) {
    if (!(error instanceof SipError)) throw error;
    const warning = error.res?.headers.get('warning');
    return { status: error.status, reason: error.reason, ...(warning ? { warning } : {}) };
  }
  throw new Error('the call was answered');
}

/** The SIP dial-in up to routing, against a confgate UAC on loopback: everything of the IVR phase but the happy path SIPp covers. */
describe('SIP dial-in calls (SipCallerLeg, DialInCall and the IVR)', () => {
  let endpoint: Awaited<ReturnType<typeof startIvrEndpoint>>;
  let caller: Srf;

  beforeEach(async () => {
    endpoint = await startIvrEndpoint({}, [31100, 31199]);
    caller = new Srf({ listen: [{ protocol: 'udp', host: '127.0.0.1', port: 0 }], log: createLogger('silent') });
    await caller.listen();
  });
  afterEach(async () => {
    await caller.close();
    await endpoint.close();
  });

  /** Calls `user@confgate` with `sdp` as offer, or offerless (our SDP then answers in the ACK). */
  const dial = (user: string, sdp: string = callerSdp()): Promise<Dialog> =>
    caller.createUAC(
      `sip:${user}@${endpoint.remote}`,
      sdp === 'offerless' ? { noOffer: true, localSdp: callerSdp() } : { localSdp: sdp },
    );

  async function keys(dialog: Dialog, digits: string): Promise<number[]> {
    const statuses: number[] = [];
    for (const digit of digits) {
      const res = await dialog.request({
        method: 'INFO',
        body: `Signal=${digit}\r\nDuration=160\r\n`,
        contentType: 'application/dtmf-relay',
      });
      statuses.push(res.status);
    }
    return statuses;
  }

  it.each([
    ['538', 484, 'the conference number is incomplete: 4 digits expected'],
    ['alice', 404, 'the conference number has characters other than digits'],
    ['53870', 404, 'the conference number is too long: 4 digits expected'],
    ['5387*86', 484, 'the access code is incomplete: 4 digits expected'],
  ])('refuses %s with %i and a reason, without opening media', async (user, status, reason) => {
    expect(await refusal(dial(user))).toEqual({ status, reason });
    expect(endpoint.allocator.inUse).toBe(0);
    expect(endpoint.admission.entries()).toEqual([]);
  });

  it('a direct dial is admitted before any answer, and handed over unanswered', async () => {
    expect(await refusal(dial('5387%24%248688'))).toEqual(NO_ROUTING);
    expect(endpoint.admission.requests).toEqual([
      {
        number: '5387',
        code: '8688',
        via: 'direct-dial',
        source: expect.objectContaining({ address: '127.0.0.1' }),
        upMcus: [],
      },
    ]);
    expect(endpoint.admitted).toMatchObject([{ answered: false, number: '5387' }]);
    expect(endpoint.allocator.inUse).toBe(0);
  });

  it('a direct dial with a wrong code is refused with 403 and no retry', async () => {
    expect(await refusal(dial('5387*1111'))).toEqual({ status: 403, reason: 'Wrong Access Code' });
    expect(await refusal(dial('4242.1111'))).toEqual({ status: 404, reason: 'Conference Not Found' });
    expect(endpoint.admitted).toEqual([]);
  });

  it('refuses an offer without G.711 audio with 488 and a Warning, and frees the ports it reserved', async () => {
    const video = 'm=video 40002 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n';
    const result = await refusal(dial('conf', callerSdp(video)));
    expect(result.status).toBe(488);
    expect(result.warning).toMatch(/^304 127\.0\.0\.1 "no audio stream offered"$/);
    await endpoint.portsReleased();
    expect(endpoint.allocator.inUse).toBe(0);
  });

  it('a number in the Request-URI asks the code only; INFO digits admit the caller', async () => {
    const dialog = await dial('5387');
    expect(dialog.remote.sdp).toMatch(/m=audio 311\d\d RTP\/AVP 0 101/);
    expect(await keys(dialog, '8688#')).toEqual([200, 200, 200, 200, 200]);
    await new Promise<void>((resolve) => dialog.once('destroy', () => resolve()));
    expect(endpoint.admission.entries()).toEqual(['5387', '5387/8688']);
    expect(endpoint.admitted).toMatchObject([{ answered: true, number: '5387', language: 'fr' }]);
    await endpoint.portsReleased();
    expect(endpoint.allocator.inUse).toBe(0);
  });

  it('an offerless INVITE gets our offer in the 200 and the caller answers in the ACK', async () => {
    const dialog = await dial('5387', 'offerless');
    expect(dialog.remote.sdp).toMatch(/m=audio \d+ RTP\/AVP 0 8 101/);
    await keys(dialog, '8688#');
    await new Promise<void>((resolve) => dialog.once('destroy', () => resolve()));
    expect(endpoint.admission.entries()).toEqual(['5387', '5387/8688']);
  });

  it('answers INFO bodies that carry no digit: 415 for an unknown type, 200 for an empty keep-alive, and carries on', async () => {
    const dialog = await dial('conf');
    const text = await dialog.request({ method: 'INFO', body: 'hello', contentType: 'text/plain' });
    expect(text.status).toBe(415);
    const empty = await dialog.request({ method: 'INFO' });
    expect(empty.status).toBe(200);
    expect(await keys(dialog, '5387#8688#')).toEqual(Array(10).fill(200));
    await new Promise<void>((resolve) => dialog.once('destroy', () => resolve()));
    expect(endpoint.admission.entries()).toEqual(['5387', '5387/8688']);
  });

  it('a caller hanging up during the IVR releases the media at once', async () => {
    const dialog = await dial('conf');
    await keys(dialog, '53');
    expect(endpoint.allocator.inUse).toBe(1);
    await dialog.destroy();
    await endpoint.portsReleased();
    expect(endpoint.allocator.inUse).toBe(0);
    expect(endpoint.clock.size).toBe(0);
    expect(endpoint.admission.entries()).toEqual([]);
  });

  it('100 calls in a row leak no RTP socket, port, pacing slot or dialog (IVR timers: see ivr-session.test.ts)', async () => {
    const count = (kind: string): number => process.getActiveResourcesInfo().filter((r) => r === kind).length;
    // Let sockets of earlier tests finish closing: the baseline is this test's two SIP sockets.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(count('UDPWrap')).toBe(2);
    for (let i = 0; i < 100; i++) {
      const dialog = await dial(i % 2 === 0 ? 'conf' : '5387');
      if (i % 3 === 0) await keys(dialog, '53');
      await dialog.destroy();
    }
    await endpoint.portsReleased();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(endpoint.allocator.inUse).toBe(0);
    expect(endpoint.clock.size).toBe(0);
    expect(endpoint.clock.running).toBe(false);
    expect(endpoint.srf.stats.dialogs).toBe(0);
    expect(count('UDPWrap')).toBe(2);
  });

  it('a wrong code is said and asked again over the same call', async () => {
    const dialog = await dial('conf');
    await keys(dialog, '5387#1111#');
    // Give the admission's answer a moment, then key the right code over the "wrong code" prompt.
    await new Promise((resolve) => setTimeout(resolve, 100));
    await keys(dialog, '8688#');
    await new Promise<void>((resolve) => dialog.once('destroy', () => resolve()));
    expect(endpoint.admission.entries()).toEqual(['5387', '5387/1111', '5387/8688']);
  });
});

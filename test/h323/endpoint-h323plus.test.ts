/**
 * The H.323 test endpoint validated against a real, independent stack: H323Plus's auto-answering
 * `answer.sh` (../shared/h323-client). Every mode the endpoint offers (fastStart or slow start, H.245
 * tunnelled or on its own connection, each dialled form, each way of keying digits) must give an
 * established call with its channels open, and H323Plus must log every digit by the way it was sent.
 * Every frame of every call is dissected by tshark with nothing malformed, and one of each message
 * kind re-encoded by Erlang's asn1 to the same bytes.
 *
 * Skips (counted) where ../shared is absent; builds H323Plus into its cache first when needed.
 */
import { spawnSync } from 'node:child_process';
import { ErlangOracle } from '../../scripts/asn1/erlang-oracle';
import { decodeSignallingFrame } from '../../src/h323/signalling-frame';
import { unframeTpkt } from '../../src/h323/tpkt';
import { freePort } from '../support/free-port';
import { H323PlusAnswerer, ensureH323Plus, H323PLUS_BUILD_TIMEOUT_MS } from '../support/h323plus';
import type { H323PlusEvent } from '../support/h323plus-events';
import type { LoggedFrame } from '../support/h323-endpoint/call-report';
import { H323TestCall, type H323CallOptions } from '../support/h323-endpoint/h323-call';
import { dissectFrames, haveTshark } from '../support/h323-endpoint/tshark-dissection';
import type { DigitMethod } from '../support/h323-endpoint/user-input';
import { needsShared } from '../support/shared-files';

const haveErlc = spawnSync('sh', ['-c', 'command -v erlc']).status === 0;

/** The `via=` H323Plus logs for each way the endpoint sends digits (in-band it does not detect). */
const H323PLUS_VIA: Record<Exclude<DigitMethod, 'inband'>, string> = {
  'h245-alphanumeric': 'h245-alphanumeric',
  'h245-signal': 'h245-signal',
  'q931-keypad': 'q931-keypad',
  rfc2833: 'rfc2833',
};

needsShared(describe)('the H.323 test endpoint against H323Plus answer.sh', () => {
  let answerer: H323PlusAnswerer;
  const allFrames: LoggedFrame[] = [];

  beforeAll(async () => {
    await ensureH323Plus();
    answerer = await H323PlusAnswerer.start(await freePort());
  }, H323PLUS_BUILD_TIMEOUT_MS);

  afterAll(async () => {
    await answerer?.stop();
  });

  /** Places a call, runs `during`, hangs up; returns the call and the answerer's events of that call. */
  async function call(
    options: Omit<H323CallOptions, 'host' | 'port'>,
    during: (c: H323TestCall) => Promise<void>,
  ): Promise<{ c: H323TestCall; events: H323PlusEvent[] }> {
    const since = answerer.events.length;
    const cleared = answerer.clearedCalls();
    const c = await H323TestCall.place({ host: '127.0.0.1', port: answerer.port, ...options });
    try {
      await c.established();
      await during(c);
    } finally {
      await c.hangUp();
      allFrames.push(...c.report.frames);
    }
    await answerer.waitUntil(() => answerer.clearedCalls() > cleared, 5000);
    return { c, events: answerer.events.slice(since) };
  }

  const received = (events: readonly H323PlusEvent[], via: string): string =>
    events
      .filter((e) => e.kind === 'UII_RX' && e.fields.via === via)
      .map((e) => e.fields.value)
      .join('');

  it('fastStart + tunnelled H.245: established, both audio channels started, TCS and MSD done, RTP flows', async () => {
    const { c, events } = await call({ alias: { dialedDigits: '5387' } }, async (c) => {
      await c.mediaOpen();
      await c.h245Ready();
      await answerer.waitUntil((ev) => ev.filter((e) => e.kind === 'CHANNEL_START').length >= 2, 5000);
      // H323Plus sends its null audio device's silence as G.711 A-law, 20 ms a packet.
      await c.until(() => (c.report.rtp.byPayloadType[8] ?? 0) >= 10, 3000, 'ten A-law RTP packets');
    });
    expect(c.report.receiveErrors).toEqual([]);
    // Its null audio device sends digital silence (A-law's quietest code word decodes to ±8): nothing audible.
    expect(c.heardAudio()).toMatchObject({ audiblePackets: 0, peakRms: 8 });
    expect(c.heardAudio()!.packets).toBeGreaterThanOrEqual(10);
    expect(c.report.fastStartAccepted).toBe(true);
    expect(c.report.fastStartChannels.map((ch) => `${ch.direction} ${ch.format}`).sort()).toEqual([
      'receive PCMA',
      'transmit PCMA',
    ]);
    const setup = events.find((e) => e.kind === 'RX_Q931' && e.words[0] === 'Setup');
    expect(setup?.fields).toMatchObject({ faststart: '4', h245tunnel: '1', dest: '5387', src: 'confgate-test' });
    expect(
      events
        .filter((e) => e.kind === 'CHANNEL_START')
        .map((e) => e.fields.dir)
        .sort(),
    ).toEqual(['rx', 'tx']);
    expect(events.some((e) => e.kind === 'RX_H245' && e.words.join(' ') === 'request terminalCapabilitySet')).toBe(
      true,
    );
    expect(c.report.h245.remoteFormats).toEqual(expect.arrayContaining(['PCMA', 'PCMU']));
    expect(c.report.messages.filter((m) => m.direction === 'received').map((m) => m.name)).toEqual(
      expect.arrayContaining(['callProceeding', 'connect', 'releaseComplete']),
    );
    // H323Plus answers our ReleaseComplete with its own (shared/h323-client/README.md).
    expect(events.find((e) => e.kind === 'RX_Q931' && e.words[0] === 'ReleaseComplete')?.fields.cause).toBe('16');
  });

  it.each([
    ['fastStart, tunnelled', { fastStart: true, h245Tunnelling: true }],
    ['slow start, separate H.245', { fastStart: false, h245Tunnelling: false }],
  ] as const)(
    '%s: every digit method reaches H323Plus by its own path',
    async (_name, mode) => {
      for (const method of Object.keys(H323PLUS_VIA) as Array<keyof typeof H323PLUS_VIA>) {
        const { c, events } = await call({ ...mode, alias: { 'h323-ID': 'conf' } }, async (c) => {
          await c.h245Ready();
          await c.mediaOpen();
          await c.sendDigits('5*#', method, { gapMs: 150 });
          await answerer.waitUntil(() => received(answerer.events, H323PLUS_VIA[method]).endsWith('5*#'), 5000);
        });
        expect([method, received(events, H323PLUS_VIA[method])]).toEqual([method, '5*#']);
        if (method === 'h245-signal')
          expect(events.filter((e) => e.kind === 'UII_RX' && e.fields.via === 'h245-signalUpdate')).toHaveLength(3);
        if (!mode.h245Tunnelling) expect(c.report.separateH245).toBeDefined();
        expect(c.report.receiveErrors).toEqual([]);
      }
    },
    90_000,
  );

  it('slow start: the channels are opened by H.245 OpenLogicalChannel both ways', async () => {
    const { c, events } = await call({ fastStart: false }, async (c) => {
      await c.mediaOpen();
    });
    const setup = events.find((e) => e.kind === 'RX_Q931' && e.words[0] === 'Setup');
    expect(setup?.fields.faststart).toBe('0');
    expect(c.report.fastStartChannels).toEqual([]);
    expect(c.report.h245.channels.map((ch) => ch.direction).sort()).toEqual(['receive', 'transmit']);
    expect(events.some((e) => e.kind === 'RX_H245' && e.words.join(' ') === 'request openLogicalChannel')).toBe(true);
    expect(events.some((e) => e.kind === 'RX_H245' && e.words.join(' ') === 'response openLogicalChannelAck')).toBe(
      true,
    );
  });

  it('separate H.245 without offering an address: connects to the one H323Plus gives', async () => {
    const { c, events } = await call({ h245Tunnelling: false, offerH245Address: false }, (c) => c.h245Ready());
    expect(c.report.separateH245).toBe('we-connected');
    expect(events.find((e) => e.kind === 'RX_Q931' && e.words[0] === 'Setup')?.fields).toMatchObject({
      h245tunnel: '0',
      h245addr: 'no',
    });
  });

  it.each([
    ['h323-ID conf', { 'h323-ID': 'conf' }, 'conf'],
    ['dialedDigits with the code', { dialedDigits: '5387*8688' }, '5387*8688'],
    ['url-ID', { 'url-ID': 'h323:5387@127.0.0.1' }, 'h323:5387@127.0.0.1'],
    ['email-ID', { 'email-ID': '5387@127.0.0.1' }, '5387@127.0.0.1'],
  ] as const)('dials %s in destinationAddress', async (_name, alias, shown) => {
    const { events } = await call({ alias, callerNumber: '5551234' }, async () => undefined);
    const setup = events.find((e) => e.kind === 'RX_Q931' && e.words[0] === 'Setup');
    expect(setup?.fields.dest).toBe(shown);
  });

  it('dials with only the Called Party Number IE, and calls with no alias at all', async () => {
    for (const alias of [{ calledPartyNumber: '5387' }, undefined]) {
      const { c, events } = await call(alias ? { alias } : {}, async () => undefined);
      expect(c.report.established).toBe(true);
      expect(events.find((e) => e.kind === 'RX_Q931' && e.words[0] === 'Setup')?.fields.dest).toBe('');
    }
  });

  it('proposes G.722 and H.261 video too: H323Plus (audio only here) picks audio and leaves video out', async () => {
    const { c } = await call({ audio: ['G722', 'PCMA', 'PCMU'], video: true }, (c) => c.mediaOpen());
    expect(c.report.fastStartChannels.length).toBeGreaterThanOrEqual(2);
    expect(c.report.fastStartChannels.some((ch) => ch.format === 'H261')).toBe(false);
  });

  it('records the release when H323Plus hangs up (cause and reason)', async () => {
    const hanger = await H323PlusAnswerer.start(await freePort(), ['--hangup-after', '1']);
    try {
      const c = await H323TestCall.place({ host: '127.0.0.1', port: hanger.port });
      await c.established();
      await c.released(8000);
      allFrames.push(...c.report.frames);
      await c.close();
      expect(c.report.release).toMatchObject({ by: 'peer', cause: 16 });
    } finally {
      await hanger.stop();
    }
  });

  (haveTshark ? it : it.skip)('tshark dissects every frame of every call above, none malformed', () => {
    expect(allFrames.length).toBeGreaterThan(100);
    const dissected = dissectFrames(allFrames);
    const bad = dissected.filter((d) => d.malformed || !/(h225|h245)/.test(d.protocols));
    expect(bad).toEqual([]);
    expect(dissected.filter((d) => d.direction === 'sent' && d.channel === 'h245').length).toBeGreaterThan(10);
  });

  (haveErlc ? it : it.skip)(
    "Erlang's asn1 re-encodes one of each message kind the endpoint sent to the same bytes",
    async () => {
      const oracle = ErlangOracle.start(ErlangOracle.compiledModules());
      try {
        const samples = new Map<string, { type: string; hex: string }>();
        for (const f of allFrames.filter((fr) => fr.direction === 'sent')) {
          if (f.channel === 'h245') {
            const hex = Buffer.from(unframeTpkt(f.bytes)).toString('hex');
            samples.set(`h245 ${hex.slice(0, 4)}`, {
              type: 'MULTIMEDIA-SYSTEM-CONTROL MultimediaSystemControlMessage',
              hex,
            });
            continue;
          }
          const decoded = decodeSignallingFrame(f.bytes);
          const uu = decoded.q931.ies.find((e) => e.ie === 'userUser');
          if (uu?.ie === 'userUser')
            samples.set(`h225 ${decoded.q931.messageType} ${decoded.tunnelled?.fastStart ? 'fs' : ''}`, {
              type: 'H323-MESSAGES H323-UserInformation',
              hex: Buffer.from(uu.data).toString('hex'),
            });
        }
        expect(samples.size).toBeGreaterThan(8);
        for (const [name, s] of samples)
          expect([name, await oracle.ask(`reencode ${s.type} ${s.hex}`)]).toEqual([name, `ok ${s.hex}`]);
      } finally {
        oracle.stop();
      }
    },
    120_000,
  );
});

/**
 * The replay helper: the Setups of the real capture (ndpi-h323.pcap) sent into a real H.323 listener,
 * here H323Plus's `answer.sh` until confgate's own listener replays them too. The valid Setups get
 * a well-formed answer that confgate's codec and tshark both read; the malformed one gets no Connect.
 */
import { decodeSignallingFrame } from '../../src/h323/signalling-frame';
import { freePort } from '../support/free-port';
import { captureSetups } from '../support/h323-capture-setups';
import { replayFrame } from '../support/h323-capture-replay';
import { H323PlusAnswerer, H323PLUS_BUILD_TIMEOUT_MS } from '../support/h323plus';
import { dissectFrames, haveTshark } from '../support/h323-endpoint/tshark-dissection';
import { needsShared } from '../support/shared-files';

needsShared(describe)('replaying the Setups of ndpi-h323.pcap into H323Plus', () => {
  let answerer: H323PlusAnswerer;
  beforeAll(async () => {
    answerer = await H323PlusAnswerer.start(await freePort());
  }, H323PLUS_BUILD_TIMEOUT_MS);
  afterAll(async () => {
    await answerer?.stop();
  });

  it('answers the 2002 OpenH323 and 2006 PBX Setups with well-formed messages, and does not connect the malformed one', async () => {
    const results = [];
    for (const setup of captureSetups()) {
      const r = await replayFrame('127.0.0.1', answerer.port, setup.tpkt, { quietMs: 1000 });
      const types = r.answers.map((a) => decodeSignallingFrame(a).q931.messageType);
      results.push({ frame: setup.frame, valid: setup.valid, types, answers: r.answers });
    }
    const [openH323, pbx, malformed] = results;
    for (const r of [openH323!, pbx!])
      expect([r.frame, r.types]).toEqual([r.frame, expect.arrayContaining(['connect'])]);
    expect(malformed!.types).not.toContain('connect');
    const setupsSeen = answerer.events.filter((e) => e.kind === 'RX_Q931' && e.words[0] === 'Setup');
    expect(setupsSeen.map((e) => e.fields.src)).toEqual(expect.arrayContaining(['m.jemec', 'ABILIS CPX 2000']));
    if (haveTshark) {
      const frames = results.flatMap((r) =>
        r.answers.map((bytes) => ({ direction: 'received' as const, channel: 'h225' as const, bytes })),
      );
      expect(dissectFrames(frames).filter((d) => d.malformed || !d.protocols.includes('h225'))).toEqual([]);
    }
  }, 60_000);
});

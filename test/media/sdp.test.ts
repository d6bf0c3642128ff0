import fc from 'fast-check';
import { parse } from 'sdp-transform';
import { answerAudioOffer } from '../../src/media/sdp/audio-answer';
import { acceptAudioAnswer, createAudioOffer, g711CodecsOf } from '../../src/media/sdp/audio-offer';

const LOCAL = { address: '127.0.0.1', port: 40000, sessionId: '4711', sessionVersion: 1 };

function sdp(lines: string[]): string {
  return `${lines.join('\r\n')}\r\n`;
}

const SOFTPHONE_OFFER = sdp([
  'v=0',
  'o=alice 2890844526 2890844526 IN IP4 127.0.0.2',
  's=-',
  'c=IN IP4 127.0.0.2',
  't=0 0',
  'm=audio 49170 RTP/AVP 0 8 101',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-16',
  'a=sendrecv',
]);

/** What a video room system offers: wideband audio first, H.264 video, BFCP for content. */
const ROOM_SYSTEM_OFFER = sdp([
  'v=0',
  'o=room 1 1 IN IP4 127.0.0.3',
  's=room',
  'c=IN IP4 127.0.0.3',
  'b=AS:2048',
  't=0 0',
  'm=audio 50000 RTP/AVP 9 8 0 96',
  'a=rtpmap:9 G722/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:96 telephone-event/8000',
  'a=fmtp:96 0-15',
  'm=video 50002 RTP/AVP 97',
  'a=rtpmap:97 H264/90000',
  'a=fmtp:97 profile-level-id=42e01f',
  'a=content:main',
  'm=application 50004 TCP/BFCP *',
  'a=floorctrl:c-s',
]);

describe('SDP answer (RFC 3264)', () => {
  test('softphone offer: PCMU with the offered telephone-event number, our address and port, 20 ms', () => {
    const result = answerAudioOffer(SOFTPHONE_OFFER, LOCAL);
    if (!result.ok) throw new Error(result.reason);
    expect(result.audio).toEqual({
      codec: 'PCMU',
      payloadType: 0,
      telephoneEventPayloadType: 101,
      remote: { address: '127.0.0.2', port: 49170 },
      direction: 'sendrecv',
    });
    const answer = parse(result.sdp);
    expect(answer.origin).toMatchObject({ sessionId: 4711, sessionVersion: 1, address: '127.0.0.1' });
    expect(answer.connection).toEqual({ version: 4, ip: '127.0.0.1' });
    expect(answer.media).toHaveLength(1);
    expect(answer.media[0]).toMatchObject({
      type: 'audio',
      port: 40000,
      protocol: 'RTP/AVP',
      payloads: '0 101',
      ptime: 20,
      direction: 'sendrecv',
    });
    expect(answer.media[0]!.fmtp).toEqual([{ payload: 101, config: '0-15' }]);
  });

  test('room system: PCMA (its first G.711), telephone-event 96 kept, video and BFCP refused with port 0 in place', () => {
    const result = answerAudioOffer(ROOM_SYSTEM_OFFER, LOCAL);
    if (!result.ok) throw new Error(result.reason);
    expect(result.audio).toMatchObject({ codec: 'PCMA', payloadType: 8, telephoneEventPayloadType: 96 });
    const media = parse(result.sdp).media;
    expect(media.map((m) => [m.type, m.port, m.protocol, String(m.payloads)])).toEqual([
      ['audio', 40000, 'RTP/AVP', '8 96'],
      ['video', 0, 'RTP/AVP', '97'],
      ['application', 0, 'TCP/BFCP', '*'],
    ]);
  });

  test('an offer without telephone-event is answered without it (in-band and INFO still work)', () => {
    const offer = SOFTPHONE_OFFER.replace(' 0 8 101', ' 8 0').replace(/a=rtpmap:101.*\r\na=fmtp:101.*\r\n/, '');
    const result = answerAudioOffer(offer, LOCAL);
    if (!result.ok) throw new Error(result.reason);
    expect(result.audio).toMatchObject({ codec: 'PCMA', telephoneEventPayloadType: undefined });
    expect(String(parse(result.sdp).media[0]!.payloads)).toBe('8');
  });

  test('static payload types without rtpmap, media-level c=, sendonly and a first refused audio line', () => {
    const offer = sdp([
      'v=0',
      'o=- 1 1 IN IP4 127.0.0.4',
      's=-',
      't=0 0',
      'm=audio 0 RTP/AVP 0',
      'c=IN IP4 127.0.0.4',
      'm=audio 6000 RTP/AVP 18 0',
      'c=IN IP4 127.0.0.5',
      'a=sendonly',
    ]);
    const result = answerAudioOffer(offer, LOCAL);
    if (!result.ok) throw new Error(result.reason);
    expect(result.audio).toMatchObject({
      codec: 'PCMU',
      payloadType: 0,
      remote: { address: '127.0.0.5', port: 6000 },
      direction: 'recvonly',
    });
    expect(parse(result.sdp).media.map((m) => m.port)).toEqual([0, 40000]);
  });

  test('c=0.0.0.0 (hold-style) gives no remote yet; IPv6 loopback is answered in IP6', () => {
    const held = answerAudioOffer(SOFTPHONE_OFFER.replace('c=IN IP4 127.0.0.2', 'c=IN IP4 0.0.0.0'), {
      ...LOCAL,
      address: '::1',
    });
    if (!held.ok) throw new Error(held.reason);
    expect(held.audio.remote).toBeUndefined();
    expect(parse(held.sdp).connection).toEqual({ version: 6, ip: '::1' });
  });

  test.each([
    [
      'video only',
      sdp([
        'v=0',
        'o=- 1 1 IN IP4 127.0.0.2',
        's=-',
        'c=IN IP4 127.0.0.2',
        't=0 0',
        'm=video 5000 RTP/AVP 97',
        'a=rtpmap:97 H264/90000',
      ]),
      304,
    ],
    [
      'no common codec',
      SOFTPHONE_OFFER.replace('RTP/AVP 0 8 101', 'RTP/AVP 18 101').replace(/a=rtpmap:[08] .*\r\n/g, ''),
      305,
    ],
    [
      'PCMU at 16 kHz is not G.711',
      SOFTPHONE_OFFER.replace('RTP/AVP 0 8 101', 'RTP/AVP 99').replace(
        'a=rtpmap:0 PCMU/8000',
        'a=rtpmap:99 PCMU/16000',
      ),
      305,
    ],
    ['SRTP only', SOFTPHONE_OFFER.replace('RTP/AVP', 'RTP/SAVP'), 302],
    ['no c= line', SOFTPHONE_OFFER.replace('c=IN IP4 127.0.0.2\r\n', ''), 399],
    ['not SDP', 'hello world', 399],
    ['empty', '', 399],
    ['v=1', SOFTPHONE_OFFER.replace('v=0', 'v=1'), 399],
  ])('%s → 488 with warning %d and a reason', (_name, offer, warningCode) => {
    const result = answerAudioOffer(offer, LOCAL);
    expect(result).toMatchObject({ ok: false, sipStatus: 488, warningCode });
    if (!result.ok) expect(result.reason.length).toBeGreaterThan(5);
  });

  test('a malformed rtpmap (codec parsed as a number) is a rejection, not a crash (found by the property below)', () => {
    const offer = SOFTPHONE_OFFER.replace('a=rtpmap:0 PCMU/8000', 'a=rtpmap:0 0 ');
    expect([true, false]).toContain(answerAudioOffer(offer, LOCAL).ok);
  });

  test('never throws on arbitrary text, nor on mangled offers and answers', () => {
    fc.assert(fc.property(fc.string(), (text) => expect([true, false]).toContain(answerAudioOffer(text, LOCAL).ok)));
    for (const base of [SOFTPHONE_OFFER, ROOM_SYSTEM_OFFER]) {
      fc.assert(
        fc.property(fc.nat(base.length), fc.nat(base.length), fc.string(), (from, to, insert) => {
          const mangled = base.slice(0, Math.min(from, to)) + insert + base.slice(Math.max(from, to));
          expect([true, false]).toContain(answerAudioOffer(mangled, LOCAL).ok);
          expect([true, false]).toContain(acceptAudioAnswer(mangled).ok);
        }),
        { numRuns: 500 },
      );
    }
  });
});

describe('SDP offer for an offerless INVITE', () => {
  test('offers PCMU, PCMA and telephone-event 101 at 20 ms', () => {
    const offer = parse(createAudioOffer(LOCAL));
    expect(offer.media).toHaveLength(1);
    expect(offer.media[0]).toMatchObject({
      type: 'audio',
      port: 40000,
      protocol: 'RTP/AVP',
      payloads: '0 8 101',
      ptime: 20,
      direction: 'sendrecv',
    });
    expect(offer.media[0]!.rtp.map((r) => r.codec)).toEqual(['PCMU', 'PCMA', 'telephone-event']);
  });

  test('the answer in the ACK: the answerer choice is taken, a refused audio line or foreign codec is a 488', () => {
    const answer = answerAudioOffer(createAudioOffer({ ...LOCAL, address: '127.0.0.9', port: 7000 }), LOCAL, ['PCMA']);
    if (!answer.ok) throw new Error(answer.reason);
    const accepted = acceptAudioAnswer(answer.sdp);
    expect(accepted).toEqual({
      ok: true,
      audio: {
        codec: 'PCMA',
        payloadType: 8,
        telephoneEventPayloadType: 101,
        remote: { address: '127.0.0.1', port: 40000 },
        direction: 'sendrecv',
      },
    });
    expect(acceptAudioAnswer(answer.sdp.replace('m=audio 40000', 'm=audio 0'))).toMatchObject({
      ok: false,
      warningCode: 304,
    });
    expect(acceptAudioAnswer(answer.sdp.replace('RTP/AVP 8 101', 'RTP/AVP 18 101'))).toMatchObject({
      ok: false,
      warningCode: 305,
    });
  });
});

describe('the laws a re-offer proposes to a peer (g711CodecsOf)', () => {
  it("keeps the peer's G.711 laws in its order, and offers both when it has none or cannot be read", () => {
    expect(g711CodecsOf(SOFTPHONE_OFFER)).toEqual(['PCMU', 'PCMA']);
    expect(g711CodecsOf(SOFTPHONE_OFFER.replace('RTP/AVP 0 8 101', 'RTP/AVP 8 0 101'))).toEqual(['PCMA', 'PCMU']);
    expect(g711CodecsOf(SOFTPHONE_OFFER.replace('RTP/AVP 0 8 101', 'RTP/AVP 8 101'))).toEqual(['PCMA']);
    expect(g711CodecsOf(ROOM_SYSTEM_OFFER)).toEqual(['PCMA', 'PCMU']);
    expect(g711CodecsOf(ROOM_SYSTEM_OFFER.replace('RTP/AVP 9 8 0 96', 'RTP/AVP 9 96'))).toEqual(['PCMU', 'PCMA']);
    expect(g711CodecsOf('not sdp')).toEqual(['PCMU', 'PCMA']);
  });
});

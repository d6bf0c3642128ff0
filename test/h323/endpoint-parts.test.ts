/**
 * The H.323 test endpoint's pure parts, before it meets a real peer: fastStart proposals read back as
 * an answer, master/slave determination, two H.245 terminals driving each other to open channels,
 * digits in RTP decoded by confgate's own receivers, H323Plus's event lines, and the Setups taken out
 * of the real capture.
 */
import {
  decodeH245Message,
  encodeH245Message,
  encodeFastStartElement,
  decodeFastStartElement,
} from '../../src/h323/asn1-codec';
import type { MultimediaSystemControlMessage as H245Message } from '../../src/h323/generated/h245-types';
import { decodeSignallingFrame } from '../../src/h323/signalling-frame';
import { decodeG711, type G711Codec } from '../../src/media/codec/g711';
import { InbandDtmfDetector } from '../../src/media/dtmf/inband-dtmf-detector';
import { TelephoneEventDecoder } from '../../src/media/dtmf/telephone-event-decoder';
import { captureSetups } from '../support/h323-capture-setups';
import { h245Address } from '../support/h323-endpoint/endpoint-identity';
import { acceptedChannels } from '../support/h323-endpoint/fast-start-answer';
import { fastStartProposals } from '../support/h323-endpoint/fast-start-proposals';
import { H245Terminal } from '../support/h323-endpoint/h245-terminal';
import { heardAudio } from '../support/h323-endpoint/heard-audio';
import { MediaSocket } from '../support/h323-endpoint/media-socket';
import { decideMasterSlave } from '../support/h323-endpoint/master-slave-determination';
import { inbandTonePackets, telephoneEventPackets } from '../support/h323-endpoint/rtp-digits';
import { parseH323PlusEvent } from '../support/h323plus-events';
import { needsShared } from '../support/shared-files';

const ports = { host: '127.0.0.1', rtp: 40000, rtcp: 40001 };
/** Through the codec both ways, as on the wire. */
const viaWire = (m: H245Message): H245Message => decodeH245Message(encodeH245Message(m));

describe('fastStart (H.323 §8.1.7)', () => {
  it('proposes each format in both directions and reads back the channels a callee accepts', () => {
    const proposals = fastStartProposals(['PCMA', 'PCMU', 'H261'], () => ports);
    expect(proposals).toHaveLength(6);
    const wire = proposals.map((p) => decodeFastStartElement(encodeFastStartElement(p)));
    // A callee accepting A-law both ways: our transmit proposal with its RTP address filled in, our receive one as is.
    const transmit = wire[0]!;
    const params = transmit.forwardLogicalChannelParameters.multiplexParameters;
    if (!('h2250LogicalChannelParameters' in params)) throw new Error('no H.225.0 parameters');
    const answer = [
      {
        ...transmit,
        forwardLogicalChannelParameters: {
          ...transmit.forwardLogicalChannelParameters,
          multiplexParameters: {
            h2250LogicalChannelParameters: {
              ...params.h2250LogicalChannelParameters,
              mediaChannel: h245Address('127.0.0.1', 50000),
            },
          },
        },
      },
      wire[1]!,
    ];
    expect(acceptedChannels(answer)).toEqual([
      { direction: 'transmit', format: 'PCMA', number: 1, rtp: { host: '127.0.0.1', port: 50000 } },
      { direction: 'receive', format: 'PCMA', number: 2 },
    ]);
    // A proposal returned without an RTP address opens nothing to send to.
    expect(acceptedChannels([transmit])).toEqual([]);
  });
});

describe('master/slave determination (H.245 §C.2)', () => {
  it('the larger terminal type wins, then the numbers modulo 2^24, with 0 and 2^23 indeterminate', () => {
    expect(decideMasterSlave({ terminalType: 50, number: 1 }, { terminalType: 190, number: 1 })).toBe('slave');
    expect(decideMasterSlave({ terminalType: 190, number: 1 }, { terminalType: 50, number: 9 })).toBe('master');
    expect(decideMasterSlave({ terminalType: 50, number: 100 }, { terminalType: 50, number: 200 })).toBe('master');
    expect(decideMasterSlave({ terminalType: 50, number: 200 }, { terminalType: 50, number: 100 })).toBe('slave');
    expect(decideMasterSlave({ terminalType: 50, number: 0xffffff }, { terminalType: 50, number: 5 })).toBe('master');
    expect(decideMasterSlave({ terminalType: 50, number: 7 }, { terminalType: 50, number: 7 })).toBe('indeterminate');
    expect(decideMasterSlave({ terminalType: 50, number: 0 }, { terminalType: 50, number: 0x800000 })).toBe(
      'indeterminate',
    );
  });
});

describe('two H.245 terminals (H.323 §8.2, §8.3)', () => {
  it('exchange capabilities, settle master and slave, and open a channel each way', () => {
    const a = new H245Terminal({ formats: ['PCMU', 'PCMA'], ports: () => ports, openTransmitChannel: true });
    const b = new H245Terminal({
      formats: ['PCMA'],
      ports: () => ({ ...ports, rtp: 50000 }),
      openTransmitChannel: true,
    });
    let toB = a.start().map(viaWire);
    let toA = b.start().map(viaWire);
    for (let round = 0; round < 10 && toA.length + toB.length > 0; round++) {
      const nextA = toB.flatMap((m) => b.receive(m)).map(viaWire);
      const nextB = toA.flatMap((m) => a.receive(m)).map(viaWire);
      [toA, toB] = [nextA, nextB];
    }
    expect(a.state.capabilitiesAcknowledged && b.state.capabilitiesAcknowledged).toBe(true);
    expect([a.state.decision, b.state.decision].sort()).toEqual(['master', 'slave']);
    // A prefers µ-law but B receives only A-law.
    expect(a.state.channels).toEqual(
      expect.arrayContaining([
        { direction: 'transmit', format: 'PCMA', number: 1, rtp: { host: '127.0.0.1', port: 50000 } },
        { direction: 'receive', format: 'PCMA', number: 1 },
      ]),
    );
    expect(b.state.channels).toHaveLength(2);
  });

  it('answers round-trip delay, channel close and end of session, and refuses what it does not know', () => {
    const t = new H245Terminal({ formats: ['PCMA'], ports: () => ports, openTransmitChannel: false });
    expect(t.receive({ request: { roundTripDelayRequest: { sequenceNumber: 7 } } })).toEqual([
      { response: { roundTripDelayResponse: { sequenceNumber: 7 } } },
    ]);
    expect(
      t.receive({ request: { closeLogicalChannel: { forwardLogicalChannelNumber: 3, source: { user: null } } } }),
    ).toEqual([{ response: { closeLogicalChannelAck: { forwardLogicalChannelNumber: 3 } } }]);
    const [notSupported] = t
      .receive({ request: { maintenanceLoopRequest: { type: { systemLoop: null } } } })
      .map(viaWire);
    expect(Object.keys((notSupported as { indication: object }).indication)).toEqual(['functionNotSupported']);
    expect(t.receive({ command: { endSessionCommand: { disconnect: null } } })).toEqual([
      { command: { endSessionCommand: { disconnect: null } } },
    ]);
    expect(t.state.endSessionReceived).toBe(true);
    expect(t.endSession()).toEqual([]);
  });
});

describe('digits in RTP, read back by confgate receivers', () => {
  it('RFC 2833 events: one digit per key press through TelephoneEventDecoder', () => {
    const decoder = new TelephoneEventDecoder();
    const packets = telephoneEventPackets('5387*#', 120, 300);
    expect(packets.filter((p) => p.marker)).toHaveLength(6);
    const digits = packets.map((p) => decoder.push(p.timestampOffset, p.payload, p.atMs)?.digit).filter(Boolean);
    expect(digits.join('')).toBe('5387*#');
  });

  it.each<G711Codec>(['PCMA', 'PCMU'])('in-band tones as %s: heard by InbandDtmfDetector', (codec) => {
    const heard: string[] = [];
    const detector = new InbandDtmfDetector((d) => heard.push(d));
    const packets = inbandTonePackets(codec, '8688#', 100, 100);
    for (const p of packets) detector.push(decodeG711(codec, p.payload));
    expect(heard.join('')).toBe('8688#');
    expect(
      heardAudio(
        codec,
        packets.map((p) => p.payload),
      ).audiblePackets,
    ).toBeGreaterThanOrEqual(20);
    expect(heardAudio(codec, [new Uint8Array(160).fill(codec === 'PCMU' ? 0xff : 0xd5)]).audiblePackets).toBe(0);
  });
});

describe('the media socket', () => {
  it('sends in-band tones and RFC 2833 events as one paced RTP stream that another socket receives', async () => {
    const [from, to] = await Promise.all([MediaSocket.open('127.0.0.1'), MediaSocket.open('127.0.0.1')]);
    try {
      const { rtp: port } = to.ports;
      await from.send({ host: '127.0.0.1', port }, 8, inbandTonePackets('PCMA', '42', 80, 80));
      await from.send({ host: '127.0.0.1', port }, 101, telephoneEventPackets('9', 60, 0));
      const expected = inbandTonePackets('PCMA', '42', 80, 80).length + telephoneEventPackets('9', 60, 0).length;
      for (let i = 0; i < 40 && to.received.packets < expected; i++) await new Promise((r) => setTimeout(r, 25));
      expect(to.received.byPayloadType).toEqual({ 8: expected - 5, 101: 5 });
      const heard: string[] = [];
      const detector = new InbandDtmfDetector((d) => heard.push(d));
      for (const payload of to.payloads.get(8)!) detector.push(decodeG711('PCMA', payload));
      expect(heard.join('')).toBe('42');
    } finally {
      from.close();
      to.close();
    }
  });
});

describe("H323Plus's event lines", () => {
  it('reads kind, quoted and bare fields, and ignores other output', () => {
    expect(parseH323PlusEvent('23:29:40.123 UII_RX via=h245-signal value="5" duration_ms=120 token=ip$1/2')).toEqual({
      kind: 'UII_RX',
      time: '23:29:40.123',
      fields: { via: 'h245-signal', value: '5', duration_ms: '120', token: 'ip$1/2' },
      words: [],
      line: '23:29:40.123 UII_RX via=h245-signal value="5" duration_ms=120 token=ip$1/2',
    });
    const q931 = parseH323PlusEvent('00:00:01.000 RX_Q931 Setup crv=5 dest="conf room" faststart=4');
    expect(q931?.words).toEqual(['Setup']);
    expect(q931?.fields).toEqual({ crv: '5', dest: 'conf room', faststart: '4' });
    expect(parseH323PlusEvent('PTLib: something else')).toBeUndefined();
  });
});

needsShared(describe)('the Setups of ndpi-h323.pcap, for replay', () => {
  it('are the 2002, 2006 and malformed 2007 Setups, each one whole TPKT frame', () => {
    const setups = captureSetups();
    expect(setups.map((s) => [s.frame, s.valid])).toEqual([
      [6, true],
      [47, true],
      [65, false],
    ]);
    for (const s of setups) expect((s.tpkt[2]! << 8) | s.tpkt[3]!).toBe(s.tpkt.length);
    const [openH323, pbx, malformed] = setups.map((s) => s.tpkt);
    const names = [openH323!, pbx!].map((t) => {
      const body = decodeSignallingFrame(t).userInformation!['h323-uu-pdu']['h323-message-body'];
      return 'setup' in body ? body.setup.sourceAddress : undefined;
    });
    expect(names).toEqual([[{ 'h323-ID': 'm.jemec' }], [{ 'h323-ID': 'ABILIS CPX 2000' }]]);
    expect(() => decodeSignallingFrame(malformed!)).toThrow();
  });
});

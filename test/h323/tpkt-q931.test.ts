/** TPKT stream reassembly (RFC 1006), Q.931 messages and IEs (Q.931 §4, H.225.0 §7.2), whole signalling frames. */
import { decodeQ931, encodeQ931, type Q931Message } from '../../src/h323/q931-message';
import { decodeSignallingFrame, encodeSignallingFrame } from '../../src/h323/signalling-frame';
import { frameTpkt, TpktReassembler, unframeTpkt } from '../../src/h323/tpkt';
import { WireError } from '../../src/h323/wire-error';
import { PerError } from '../../src/h323/per/per-error';
import { encodeUserInformation } from '../../src/h323/asn1-codec';
import {
  SETUP_IES,
  facilityWithUserInput,
  g711OpenLogicalChannel,
  setupWithFastStart,
  terminalCapabilitySet,
  userInputAlphanumeric,
  userInputSignal,
} from '../fixtures/h323/sample-messages';

const bytes = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex, 'hex'));
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('TPKT reassembly', () => {
  const a = frameTpkt(Uint8Array.of(1, 2, 3));
  const b = frameTpkt(Uint8Array.of(4, 5, 6, 7, 8));

  it('frames a payload with version 3 and a length counting the header', () => {
    expect(hex(a)).toBe('03000007010203');
    expect(unframeTpkt(a)).toEqual(Uint8Array.of(1, 2, 3));
  });

  it('yields several frames carried in one segment', () => {
    expect(new TpktReassembler().push(Buffer.concat([a, b]))).toEqual([
      Uint8Array.of(1, 2, 3),
      Uint8Array.of(4, 5, 6, 7, 8),
    ]);
  });

  it('holds a frame split over segments, at every split point, including inside the header', () => {
    const stream = Buffer.concat([a, b]);
    for (let cut = 1; cut < stream.length; cut++) {
      const r = new TpktReassembler();
      const out = [...r.push(stream.subarray(0, cut)), ...r.push(stream.subarray(cut))];
      expect(out).toEqual([Uint8Array.of(1, 2, 3), Uint8Array.of(4, 5, 6, 7, 8)]);
      expect(r.buffered).toBe(0);
    }
  });

  it('treats a header-only TPKT as a keep-alive and rejects what is not TPKT', () => {
    expect(new TpktReassembler().push(bytes('03000004'))).toEqual([new Uint8Array(0)]);
    expect(() => new TpktReassembler().push(bytes('0800000701'))).toThrow(WireError);
    expect(() => new TpktReassembler().push(bytes('03000002'))).toThrow(/shorter than its header/);
    expect(() => unframeTpkt(Buffer.concat([a, b]))).toThrow(
      /expected exactly one complete frame in 16 octets, found 2 frame/,
    );
    expect(() => unframeTpkt(a.subarray(0, 5))).toThrow(/found none/);
    expect(() => unframeTpkt(Buffer.concat([a, Uint8Array.of(3, 0)]))).toThrow(/trailing octets/);
  });

  it('refuses a frame longer than its maximum as soon as the header arrives, before the body', () => {
    const r = new TpktReassembler(1024);
    expect(() => r.push(bytes('03000401'))).toThrow(/length 1025 is over the 1024 octets accepted/);
    expect(new TpktReassembler(1024).push(bytes('03000008'))).toEqual([]);
  });
});

describe('Q.931', () => {
  const setup: Q931Message = {
    callReference: 0x1234,
    fromDestination: false,
    messageType: 'setup',
    ies: [
      {
        ie: 'bearerCapability',
        codingStandard: 0,
        transferCapability: 8,
        transferMode: 0,
        transferRate: 0x18,
        rateMultiplier: 6,
        layer1Protocol: 5,
      },
      { ie: 'display', text: 'room-a' },
      { ie: 'keypadFacility', text: '5387#' },
      { ie: 'callingPartyNumber', typeOfNumber: 0, numberingPlan: 1, presentation: 0, screening: 3, digits: '17' },
      { ie: 'calledPartyNumber', typeOfNumber: 0, numberingPlan: 1, digits: '5387' },
      { ie: 'userUser', protocolDiscriminator: 5, data: Uint8Array.of(0x20, 0x80) },
    ],
  };

  it('encodes the header, the IEs and the two-octet user-user length', () => {
    expect(hex(encodeQ931(setup))).toBe(
      [
        '08021234',
        '05',
        '0404889886a5',
        '2806726f6f6d2d61',
        '2c053533383723',
        '6c0401833137',
        '70058135333837',
        '7e0003052080',
      ].join(''),
    );
  });

  it('round-trips every message type and IE', () => {
    for (const messageType of [
      'setup',
      'callProceeding',
      'alerting',
      'progress',
      'connect',
      'releaseComplete',
      'facility',
      'information',
      'status',
      'statusEnquiry',
      'notify',
    ] as const) {
      const m: Q931Message = { ...setup, messageType, fromDestination: true };
      expect(decodeQ931(encodeQ931(m))).toEqual(m);
    }
    const release: Q931Message = {
      callReference: 1,
      fromDestination: true,
      messageType: 'releaseComplete',
      ies: [
        { ie: 'cause', codingStandard: 0, location: 1, value: 16 },
        { ie: 'cause', codingStandard: 0, location: 0, recommendation: 0, value: 21, diagnostics: Uint8Array.of(1) },
        { ie: 'other', id: 0xa1, data: new Uint8Array(0) },
        { ie: 'other', id: 0x1e, data: Uint8Array.of(0x80, 0x88) },
      ],
    };
    expect(hex(encodeQ931(release))).toBe(['0802', '80015a', '08028190', '080400809501', 'a1', '1e028088'].join(''));
    expect(decodeQ931(encodeQ931(release))).toEqual(release);
  });

  it('rejects malformed messages with a WireError', () => {
    for (const bad of [
      '',
      '0802',
      '09021234050401',
      '0803123405',
      '08021234ff',
      '080212340504ff',
      '0802123405040488',
      '080212340570',
      '080212340570058135',
      '080212347e0003',
    ]) {
      expect(() => decodeQ931(bytes(bad))).toThrow(WireError);
    }
  });
});

describe('signalling frames', () => {
  it('decode a Setup with fastStart and tunnelled H.245 in full, and encode back the same bytes', () => {
    const userInformation = setupWithFastStart();
    const q931: Q931Message = {
      callReference: 7,
      fromDestination: false,
      messageType: 'setup',
      ies: [...SETUP_IES, { ie: 'userUser', protocolDiscriminator: 5, data: encodeUserInformation(userInformation) }],
    };
    const frame = frameTpkt(encodeQ931(q931));
    const decoded = decodeSignallingFrame(frame);
    expect(decoded.q931).toEqual(q931);
    expect(decoded.userInformation).toEqual(userInformation);
    expect(decoded.tunnelled).toEqual({ fastStart: [g711OpenLogicalChannel], h245Control: [terminalCapabilitySet] });
    expect(hex(encodeSignallingFrame(decoded))).toBe(hex(frame));
  });

  it('encode tunnelled messages given as values into the user-user IE', () => {
    const frame = encodeSignallingFrame({
      q931: { callReference: 7, fromDestination: true, messageType: 'facility', ies: [] },
      userInformation: facilityWithUserInput(),
      tunnelled: { h245Control: [userInputSignal, userInputAlphanumeric] },
    });
    expect(decodeSignallingFrame(frame).tunnelled).toEqual({ h245Control: [userInputSignal, userInputAlphanumeric] });
  });

  it('report a broken tunnelled H.245 message with the octets that carried it', () => {
    const ui = facilityWithUserInput();
    ui['h323-uu-pdu'].h245Control = [Uint8Array.of(0x60)];
    const q931: Q931Message = {
      callReference: 7,
      fromDestination: false,
      messageType: 'facility',
      ies: [{ ie: 'userUser', protocolDiscriminator: 5, data: encodeUserInformation(ui) }],
    };
    const e = (() => {
      try {
        decodeSignallingFrame(frameTpkt(encodeQ931(q931)));
      } catch (err) {
        return err as PerError;
      }
      throw new Error('decoded');
    })();
    expect(e).toBeInstanceOf(PerError);
    expect(e.fullPath).toMatch(
      /^H323-UserInformation\.h323-uu-pdu\.h245Control\[0\] ▸ MultimediaSystemControlMessage\.indication/,
    );
  });

  it('report a broken user-user IE with the field path', () => {
    const q931: Q931Message = {
      callReference: 7,
      fromDestination: false,
      messageType: 'setup',
      ies: [
        { ie: 'userUser', protocolDiscriminator: 5, data: encodeUserInformation(setupWithFastStart()).subarray(0, 40) },
      ],
    };
    expect(() => decodeSignallingFrame(frameTpkt(encodeQ931(q931)))).toThrow(PerError);
  });
});

/**
 * Decoding fixture: the real H.323 capture in ../shared/captures (calls from 2002 and 2006, RAS from
 * 2007 and 2012). Every TPKT is reassembled from the TCP stream, its Q.931 and H.225.0 or H.245 body
 * decoded, and re-encoded; frames 59 and 65, which Wireshark reports malformed, must be rejected.
 */
import {
  decodeH245Message,
  decodeRasMessage,
  decodeUserInformation,
  encodeH245Message,
  encodeRasMessage,
  encodeUserInformation,
} from '../../src/h323/asn1-codec';
import { decodeQ931, type Q931Message } from '../../src/h323/q931-message';
import { PerError } from '../../src/h323/per/per-error';
// These tests skip (counted) where ../shared is absent: a fresh clone has none.
import { needsShared } from '../support/shared-files';
import type { CapturedPayload } from './support/pcap';
import { capturePayloads, captureTpkts, type Tpkt } from './support/capture-messages';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function userInformation(m: Q931Message): Uint8Array {
  const uu = m.ies.find((e) => e.ie === 'userUser');
  if (uu?.ie !== 'userUser') throw new Error('no user-user IE');
  return uu.data;
}

needsShared(describe)('real capture ndpi-h323.pcap', () => {
  let q931: Tpkt[];
  let h245: Tpkt[];
  let ras: CapturedPayload[];
  beforeAll(() => {
    const tpkts = captureTpkts();
    q931 = tpkts.filter((t) => t.payload[0] === 0x08);
    h245 = tpkts.filter((t) => t.payload[0] !== 0x08);
    ras = capturePayloads().filter((p) => p.transport === 'udp');
  });

  it('frames the call signalling of both calls, including the Alerting split over frames 48 and 50', () => {
    expect(q931.map((t) => [t.frame, decodeQ931(t.payload).messageType])).toEqual([
      [6, 'setup'],
      [10, 'callProceeding'],
      [14, 'alerting'],
      [18, 'connect'],
      [47, 'setup'],
      [50, 'alerting'],
      [65, 'setup'],
      [66, 'releaseComplete'],
    ]);
    expect(h245.map((t) => t.frame)).toEqual([25, 27, 29, 30, 32, 32, 34, 36, 38, 39, 41, 42]);
  });

  it('decodes the 2002 OpenH323 Setup: slow start, no tunnelling, h323-ID and vendor', () => {
    const m = decodeQ931(q931[0]!.payload);
    expect(m.ies.map((e) => e.ie)).toEqual(['bearerCapability', 'display', 'userUser']);
    expect(m.ies[1]).toEqual({ ie: 'display', text: 'm.jemec\u0000' });
    const pdu = decodeUserInformation(userInformation(m))['h323-uu-pdu'];
    expect(pdu.h245Tunneling).toBe(false);
    const body = pdu['h323-message-body'];
    if (!('setup' in body)) throw new Error('not a setup');
    expect(body.setup.protocolIdentifier).toBe('0.0.8.2250.0.4');
    expect(body.setup.sourceAddress).toEqual([{ 'h323-ID': 'm.jemec' }]);
    expect(body.setup.fastStart).toBeUndefined();
    expect(Buffer.from(body.setup.sourceInfo.vendor!.productId!).toString()).toMatch(/^Callgen323 pogacsam\0/);
    expect(body.setup.sourceInfo.vendor!.vendor).toEqual({ t35CountryCode: 9, t35Extension: 0, manufacturerCode: 61 });
  });

  it('decodes the Connect h245Address and the 2006 PBX Setup with calling party number 17', () => {
    const connect = decodeUserInformation(userInformation(decodeQ931(q931[3]!.payload)))['h323-uu-pdu'][
      'h323-message-body'
    ];
    if (!('connect' in connect)) throw new Error('not a connect');
    expect(connect.connect.h245Address).toEqual({ ipAddress: { ip: Uint8Array.of(10, 1, 6, 18), port: 1232 } });
    const setup = decodeQ931(q931[4]!.payload);
    expect(setup.ies.find((e) => e.ie === 'callingPartyNumber')).toMatchObject({ digits: '17' });
    expect(decodeUserInformation(userInformation(setup))['h323-uu-pdu'].h245Tunneling).toBe(false);
  });

  it('decodes the separate H.245 channel: TCS with G.711 A-law, MSD, OLC and OLC Ack with RTP/RTCP addresses', () => {
    const msgs = h245.map((t) => decodeH245Message(t.payload));
    const tcs = msgs[0]!;
    if (!('request' in tcs) || !('terminalCapabilitySet' in tcs.request)) throw new Error('not a TCS');
    expect(tcs.request.terminalCapabilitySet.capabilityTable?.[0]?.capability).toEqual({
      receiveAudioCapability: { g711Alaw64k: 30 },
    });
    expect(msgs[1]).toEqual({
      request: { masterSlaveDetermination: { terminalType: 0, statusDeterminationNumber: 9588693 } },
    });
    expect(msgs[8]).toMatchObject({
      request: {
        openLogicalChannel: { forwardLogicalChannelParameters: { dataType: { audioData: { g711Alaw64k: 30 } } } },
      },
    });
    expect(msgs[11]).toMatchObject({
      response: {
        openLogicalChannelAck: {
          forwardMultiplexAckParameters: {
            h2250LogicalChannelAckParameters: {
              mediaChannel: {
                unicastAddress: { iPAddress: { network: Uint8Array.of(10, 1, 6, 18), tsapIdentifier: 2006 } },
              },
              mediaControlChannel: {
                unicastAddress: { iPAddress: { network: Uint8Array.of(10, 1, 6, 18), tsapIdentifier: 2007 } },
              },
            },
          },
        },
      },
    });
  });

  it('decodes the RAS exchanges: ACF bandwidth, the Tandberg RRQ with H.460.18 and the RCF with alternate gatekeepers', () => {
    const byFrame = new Map(ras.filter((p) => p.frame !== 59).map((p) => [p.frame, decodeRasMessage(p.payload)]));
    expect(Object.keys(byFrame.get(60)!)).toEqual(['gatekeeperConfirm']);
    const arq = byFrame.get(63)!;
    if (!('admissionRequest' in arq)) throw new Error('not an ARQ');
    expect(arq.admissionRequest.srcInfo).toEqual([{ dialedDigits: '5295672' }]);
    expect(arq.admissionRequest.gatekeeperIdentifier).toBe('OpenH323 Gatekeeper on mfottekin');
    const acf = byFrame.get(64)!;
    if (!('admissionConfirm' in acf)) throw new Error('not an ACF');
    expect(acf.admissionConfirm.bandWidth).toBe(2560);
    const rrq = byFrame.get(71)!;
    if (!('registrationRequest' in rrq)) throw new Error('not an RRQ');
    expect(rrq.registrationRequest.terminalAlias).toEqual(
      expect.arrayContaining([{ 'h323-ID': '20203@am.sol' }, { dialedDigits: '2098' }]),
    );
    expect(Buffer.from(rrq.registrationRequest.endpointVendor.productId!).toString()).toBe('Tandberg');
    expect(rrq.registrationRequest.featureSet?.supportedFeatures?.[0]?.id).toEqual({ standard: 18 });
    const rcf = byFrame.get(72)!;
    if (!('registrationConfirm' in rcf)) throw new Error('not an RCF');
    expect(rcf.registrationConfirm.alternateGatekeeper).toHaveLength(3);
  });

  it('rejects the malformed frames 59 (GRQ) and 65 (Setup) with typed errors naming the field', () => {
    const grq = ras.find((p) => p.frame === 59)!;
    const e59 = catchError(() => decodeRasMessage(grq.payload));
    expect(e59).toBeInstanceOf(PerError);
    expect(e59.fullPath).toMatch(/^RasMessage\.gatekeeperRequest\./);
    const setup = q931.find((t) => t.frame === 65)!;
    const e65 = catchError(() => decodeUserInformation(userInformation(decodeQ931(setup.payload))));
    expect(e65).toBeInstanceOf(PerError);
    expect(e65.kind).toBe('truncated');
    expect(e65.path).toBe('ExtendedAliasAddress.address');
    expect(e65.fullPath).toBe(
      'H323-UserInformation.h323-uu-pdu.h323-message-body.setup.additionalSourceAddresses[0].address',
    );
  });

  it('re-encodes every decoded message to bytes that decode to the same value, identical bytes where the sender used the same module version', () => {
    const sameBytes: number[] = [];
    const check = (
      frame: number,
      bytes: Uint8Array,
      decode: (b: Uint8Array) => unknown,
      encode: (v: never) => Uint8Array,
    ): void => {
      const v = decode(bytes);
      const again = encode(v as never);
      expect(decode(again)).toEqual(v);
      if (hex(again) === hex(bytes)) sameBytes.push(frame);
    };
    for (const t of q931.filter((t) => t.frame !== 65))
      check(t.frame, userInformation(decodeQ931(t.payload)), decodeUserInformation, encodeUserInformation);
    for (const t of h245) check(t.frame, t.payload, decodeH245Message, encodeH245Message);
    for (const p of ras.filter((p) => p.frame !== 59)) check(p.frame, p.payload, decodeRasMessage, encodeRasMessage);
    // The others differ only in their extension bitmaps: older senders knew fewer additions (X.691 §19.7).
    expect(sameBytes).toEqual(expect.arrayContaining([25, 27, 29, 30, 32, 34, 36, 38, 39, 60, 71, 73, 75]));
  });
});

function catchError(f: () => unknown): PerError {
  try {
    f();
  } catch (e) {
    return e as PerError;
  }
  throw new Error('no error thrown');
}

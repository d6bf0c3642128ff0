/**
 * Wireshark as an independent dissector: confgate's encodings are written into a pcap (synthetic
 * loopback-addressed packets; nothing is sent) and tshark's H.225.0/H.245 fields are compared with
 * what was encoded. No frame may be reported malformed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeRasMessage } from '../../src/h323/asn1-codec';
import type { H323UserInformation } from '../../src/h323/generated/h225-types';
import type { InformationElement, Q931Message } from '../../src/h323/q931-message';
import { encodeSignallingFrame, type TunnelledH245 } from '../../src/h323/signalling-frame';
import {
  admissionConfirm,
  admissionRequest,
  alerting,
  connectWithFastStartAnswer,
  facilityWithUserInput,
  openLogicalChannelAck,
  registrationConfirm,
  registrationRequest,
  releaseComplete,
  setupWithFastStart,
  SETUP_IES,
} from '../fixtures/h323/sample-messages';
import { writePcap } from './support/pcap';
import { haveTshark, tsharkFields } from '../support/h323-endpoint/tshark-dissection';

if (!haveTshark) console.warn('tshark not installed: Wireshark cross-checks skipped (apt-get install tshark)');

const FIELDS = [
  'frame.number',
  'q931.message_type',
  'h225.h323_message_body',
  'h225.RasMessage',
  'h225.dialledDigits',
  'h225.FastStart_item',
  'h245.alphanumeric',
  'h245.signalType',
  'h245.ip4_network',
  'h245.tsapIdentifier',
  'h225.h245Tunnelling',
  'q931.called_party_number.digits',
  'q931.cause_value',
  '_ws.malformed',
];

function signalling(
  messageType: Q931Message['messageType'],
  fromDestination: boolean,
  userInformation: H323UserInformation,
  ies: InformationElement[] = [],
  tunnelled?: TunnelledH245,
): Uint8Array {
  const q931: Q931Message = { callReference: 0x21, fromDestination, messageType, ies };
  return encodeSignallingFrame(tunnelled ? { q931, userInformation, tunnelled } : { q931, userInformation });
}

(haveTshark ? describe : describe.skip)('tshark dissects what confgate encodes', () => {
  let rows: string[][];
  const dir = mkdtempSync(join(tmpdir(), 'confgate-h323-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  beforeAll(() => {
    const connect = connectWithFastStartAnswer();
    const tcp = (payload: Uint8Array, toServer: boolean) => ({
      transport: 'tcp' as const,
      srcPort: toServer ? 31000 : 1720,
      dstPort: toServer ? 1720 : 31000,
      payload,
    });
    const udp = (payload: Uint8Array, toServer: boolean) => ({
      transport: 'udp' as const,
      srcPort: toServer ? 31001 : 1719,
      dstPort: toServer ? 1719 : 31001,
      payload,
    });
    const file = join(dir, 'confgate.pcap');
    writePcap(file, [
      tcp(
        signalling('setup', false, setupWithFastStart(), [
          SETUP_IES[0]!,
          { ie: 'display', text: 'room-a' },
          SETUP_IES[1]!,
        ]),
        true,
      ),
      tcp(signalling('alerting', true, alerting()), false),
      tcp(signalling('connect', true, connect, [], { h245Control: [openLogicalChannelAck] }), false),
      tcp(signalling('facility', false, facilityWithUserInput()), true),
      tcp(
        signalling('releaseComplete', true, releaseComplete('destinationRejection'), [
          { ie: 'cause', codingStandard: 0, location: 1, value: 16 },
        ]),
        false,
      ),
      udp(encodeRasMessage(registrationRequest), true),
      udp(encodeRasMessage(registrationConfirm), false),
      udp(encodeRasMessage(admissionRequest), true),
      udp(encodeRasMessage(admissionConfirm), false),
    ]);
    const r = tsharkFields(file, FIELDS);
    expect(r.status).toBe(0);
    rows = r.rows;
  });

  const field = (frame: number, name: string): string => rows[frame - 1]![FIELDS.indexOf(name)]!;

  it('finds one message per packet, none malformed', () => {
    expect(rows).toHaveLength(9);
    expect(rows.map((r) => r[FIELDS.indexOf('_ws.malformed')])).toEqual(Array(9).fill(''));
    // Q.931 message types: Setup 5, Alerting 1, Connect 7, Facility 0x62, Release Complete 0x5a
    expect(rows.slice(0, 5).map((r) => r[FIELDS.indexOf('q931.message_type')])).toEqual([
      '0x05',
      '0x01',
      '0x07',
      '0x62',
      '0x5a',
    ]);
    // H323-UU-PDU body: setup 0, connect 2, alerting 3, releaseComplete 5, facility 6
    expect(rows.slice(0, 5).map((r) => r[FIELDS.indexOf('h225.h323_message_body')])).toEqual(['0', '3', '2', '6', '5']);
    // RasMessage: RRQ 3, RCF 4, ARQ 9, ACF 10
    expect(rows.slice(5).map((r) => r[FIELDS.indexOf('h225.RasMessage')])).toEqual(['3', '4', '9', '10']);
  });

  it('dissects the Setup: dialled digits, called party number, fastStart and tunnelled TCS', () => {
    expect(field(1, 'h225.dialledDigits')).toBe('5387');
    expect(field(1, 'q931.called_party_number.digits')).toBe('5387');
    expect(field(1, 'h225.FastStart_item').split(';')).toHaveLength(1);
    expect(field(1, 'h225.h245Tunnelling')).toBe('1');
    // the fastStart OLC's RTP and RTCP addresses on loopback
    expect(field(1, 'h245.ip4_network')).toBe('127.0.0.1;127.0.0.1');
    expect(field(1, 'h245.tsapIdentifier')).toBe('40000;40001');
  });

  it('dissects the Connect fastStart answer and the tunnelled OLC Ack addresses', () => {
    expect(field(3, 'h225.FastStart_item').split(';')).toHaveLength(1);
    expect(field(3, 'h245.tsapIdentifier').split(';')).toEqual(['50000', '50001', '50000', '50001']);
  });

  it('dissects the tunnelled UserInputIndications of the Facility', () => {
    expect(field(4, 'h245.alphanumeric')).toBe('1234#');
    expect(field(4, 'h245.signalType')).toBe('#');
  });

  it('dissects the Release Complete cause and the RAS dialled digits', () => {
    expect(field(5, 'q931.cause_value')).toBe('16');
    expect(field(6, 'h225.dialledDigits')).toBe('2098');
    expect(field(8, 'h225.dialledDigits')).toBe('5387');
  });
});

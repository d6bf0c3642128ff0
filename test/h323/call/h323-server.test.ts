/**
 * The H.225.0 listener against a caller on the project's codec: the call flow confgate sends,
 * keys from each signalling path, and bad input (malformed, too long, too slow, too many), which
 * ends in a Release Complete or a closed connection and a counted fault, never a crash. The frames
 * confgate sends are also handed to tshark, which must find none malformed; they are written as
 * sent from TCP 1720, where tshark dissects Q.931 by itself (this tshark accepts no `-d ...,q931`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createH323Server, type H323Call, type H323FaultKind, type H323Server } from '../../../src/h323';
import type { H323UserInformation } from '../../../src/h323/generated/h225-types';
import { encodeFastStartElement } from '../../../src/h323/asn1-codec';
import type { OpenLogicalChannel } from '../../../src/h323/generated/h245-types';
import { encodeSignallingFrame } from '../../../src/h323/signalling-frame';
import { writePcap } from '../support/pcap';
import { haveTshark, tsharkFields } from '../../support/h323-endpoint/tshark-dissection';
import {
  g711OpenLogicalChannel,
  setupWithFastStart,
  terminalCapabilitySet,
  masterSlaveDetermination,
  SETUP_IES,
} from '../../fixtures/h323/sample-messages';
import { CALL_REFERENCE, RawCaller, until } from './raw-caller';

const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined };
const CALL_ID = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i);

function withBody(
  body: H323UserInformation['h323-uu-pdu']['h323-message-body'],
  tunnelling = true,
): H323UserInformation {
  return { 'h323-uu-pdu': { 'h323-message-body': body, h245Tunneling: tunnelling } };
}
/** A Setup proposing G.711 µ-law both ways (H.323 §8.1.7.1): the caller sends on one channel, receives on the other at 127.0.0.1:40010. */
function fastStartSetup(): H323UserInformation {
  const setup = setupWithFastStart();
  const body = setup['h323-uu-pdu']['h323-message-body'];
  const receive: OpenLogicalChannel = {
    forwardLogicalChannelNumber: 2,
    forwardLogicalChannelParameters: { dataType: { nullData: null }, multiplexParameters: { none: null } },
    reverseLogicalChannelParameters: {
      dataType: { audioData: { g711Ulaw64k: 20 } },
      multiplexParameters: {
        h2250LogicalChannelParameters: {
          sessionID: 1,
          mediaChannel: {
            unicastAddress: { iPAddress: { network: Uint8Array.of(127, 0, 0, 1), tsapIdentifier: 40010 } },
          },
        },
      },
    },
  };
  if ('setup' in body)
    body.setup.fastStart = [encodeFastStartElement(g711OpenLogicalChannel), encodeFastStartElement(receive)];
  return setup;
}
const facilityEmpty = (): H323UserInformation => withBody({ empty: null });
const information = (): H323UserInformation =>
  withBody({ information: { protocolIdentifier: '0.0.8.2250.0.4', callIdentifier: { guid: CALL_ID } } });

describe('the H.323 listener', () => {
  let server: H323Server;
  let calls: H323Call[];
  let faults: H323FaultKind[];
  let refused: number;
  const sent: Uint8Array[] = [];

  beforeAll(async () => {
    server = await createH323Server({
      host: '127.0.0.1',
      port: 0,
      advertisedHost: '127.0.0.1',
      setupTimeoutMs: 300,
      partialFrameTimeoutMs: 300,
      maxFrameBytes: 2048,
      maxConnectionsPerSource: 3,
      log: quiet,
      counters: { fault: (k) => faults.push(k), connectionRefused: () => refused++ },
    });
    server.on('call', (call) => calls.push(call));
  });
  beforeEach(() => {
    calls = [];
    faults = [];
    refused = 0;
  });
  afterAll(() => server.close());

  it('runs a fast start call: Call Proceeding, Connect with the answer, tunnelled H.245, keys, Release Complete', async () => {
    const caller = await RawCaller.open(server.port);
    caller.send('setup', fastStartSetup(), [...SETUP_IES, { ie: 'keypadFacility', text: '5' }]);
    await until(() => calls.length === 1);
    const call = calls[0]!;
    const keys: string[] = [];
    call.on('key', (k) => keys.push(`${k.key}:${k.method}`));
    expect(call.identity).toMatchObject({ dialled: '5387', callerName: 'room-a', address: '127.0.0.1' });
    call.proceed();
    const audio = await call.answer({ address: '127.0.0.1', rtpPort: 41000 });
    expect(audio).toEqual({
      codec: 'PCMU',
      remote: { address: '127.0.0.1', port: 40010 },
      telephoneEventPayloadType: 101,
    });
    await until(() => caller.types.includes('connect'));
    caller.send('information', information(), [{ ie: 'keypadFacility', text: '38' }]);
    caller.send(
      'facility',
      facilityEmpty(),
      [],
      [masterSlaveDetermination, { indication: { userInput: { alphanumeric: '7#' } } }],
    );
    caller.send(
      'statusEnquiry',
      withBody({ statusInquiry: { protocolIdentifier: '0.0.8.2250.0.4', callIdentifier: { guid: CALL_ID } } }),
    );
    await until(() => keys.length === 4 && caller.types.includes('status'));
    expect(keys).toEqual(['3:q931-keypad', '8:q931-keypad', '7:h245-alphanumeric', '#:h245-alphanumeric']);
    const released = new Promise((resolve) => call.once('released', resolve));
    call.release(21);
    await expect(released).resolves.toEqual({ by: 'confgate', cause: 21 });
    await until(() => caller.types.includes('releaseComplete'));
    expect(caller.types[0]).toBe('callProceeding');
    expect(caller.types).toContain('connect');
    const connect = caller.decoded.find((f) => f.q931.messageType === 'connect')!;
    expect(connect.tunnelled?.fastStart).toHaveLength(2);
    expect(connect.q931.callReference).toBe(CALL_REFERENCE);
    expect(connect.q931.fromDestination).toBe(true);
    const h245Kinds = caller.h245.map((m) => Object.keys(Object.values(m)[0] as object)[0]);
    expect(h245Kinds).toEqual(
      expect.arrayContaining([
        'terminalCapabilitySet',
        'masterSlaveDetermination',
        'masterSlaveDeterminationAck',
        'endSessionCommand',
      ]),
    );
    const rc = caller.decoded.at(-1)!;
    expect(rc.q931.ies).toContainEqual({ ie: 'cause', codingStandard: 0, location: 1, value: 21 });
    sent.push(...caller.frames);
    caller.close();
  });

  it("hands out the keys of the Setup's Keypad IE to a listener added when the call is handed out", async () => {
    const keys: string[] = [];
    server.once('call', (call) => call.on('key', (k) => keys.push(`${k.key}:${k.method}`)));
    const caller = await RawCaller.open(server.port);
    caller.send('setup', setupWithFastStart(), [...SETUP_IES, { ie: 'keypadFacility', text: '12' }]);
    await until(() => keys.length === 2);
    expect(keys).toEqual(['1:q931-keypad', '2:q931-keypad']);
    caller.close();
  });

  it('answers a malformed UUIE with Release Complete cause 95, and a non-TPKT stream by closing', async () => {
    const caller = await RawCaller.open(server.port);
    // A Setup whose user-user IE holds 3 octets of nothing PER can read.
    caller.write(Uint8Array.from([3, 0, 0, 16, 8, 2, 0x2a, 0x2a, 5, 0x7e, 0, 4, 5, 0xff, 0xff, 0xff]));
    await until(() => caller.types.includes('releaseComplete') && caller.closed);
    expect(caller.decoded[0]!.q931.ies).toContainEqual({ ie: 'cause', codingStandard: 0, location: 1, value: 95 });
    sent.push(...caller.frames);
    const garbage = await RawCaller.open(server.port);
    garbage.write(Buffer.from('GET / HTTP/1.1\r\n\r\n'));
    await until(() => garbage.closed);
    expect(faults).toEqual(['per', 'tpkt']);
    expect(calls).toHaveLength(0);
  });

  it('closes a frame over the maximum from its header, a half-sent frame and a connection without Setup', async () => {
    const long = await RawCaller.open(server.port);
    long.write(Uint8Array.from([3, 0, 0x10, 0x00]));
    await until(() => long.closed);
    const half = await RawCaller.open(server.port);
    half.write(Uint8Array.from([3, 0, 0, 40, 8]));
    const idle = await RawCaller.open(server.port);
    await until(() => half.closed && idle.closed);
    expect(faults.sort()).toEqual(['timeout', 'timeout', 'too-long']);
  });

  it('refuses a second Setup on the connection (multipleCalls) and caps connections per source', async () => {
    const caller = await RawCaller.open(server.port);
    caller.send('setup', setupWithFastStart(), SETUP_IES);
    await until(() => calls.length === 1);
    calls[0]!.proceed();
    const second = setupWithFastStart();
    caller.socket.write(
      encodeSignallingFrame({
        q931: { callReference: 0x0101, fromDestination: false, messageType: 'setup', ies: SETUP_IES },
        userInformation: second,
      }),
    );
    await until(() => caller.decoded.some((f) => f.q931.messageType === 'releaseComplete'));
    const rc = caller.decoded.find((f) => f.q931.messageType === 'releaseComplete')!;
    expect(rc.q931.callReference).toBe(0x0101);
    expect(rc.q931.ies).toContainEqual({ ie: 'cause', codingStandard: 0, location: 1, value: 47 });
    expect(calls[0]!.released).toBe(false);
    sent.push(...caller.frames);
    const others = await Promise.all([
      RawCaller.open(server.port),
      RawCaller.open(server.port),
      RawCaller.open(server.port),
    ]);
    await until(() => refused >= 1);
    for (const c of [caller, ...others]) c.close();
    // The server counts a connection until its side has closed too.
    await new Promise((r) => setTimeout(r, 200));
  });

  it("connects to a Setup's H.245 address only on the caller's own host, never to another one it names", async () => {
    const connectedTo: string[] = [];
    const listeners = await Promise.all(
      ['127.0.0.1', '127.0.0.2'].map(
        (host) =>
          new Promise<Server>((resolve) => {
            const l = createServer((socket) => {
              connectedTo.push(host);
              socket.destroy();
            });
            l.listen(0, host, () => resolve(l));
          }),
      ),
    );
    const setupNaming = (listener: Server, ip: Uint8Array): H323UserInformation => {
      const setup = setupWithFastStart();
      setup['h323-uu-pdu'].h245Tunneling = false;
      delete setup['h323-uu-pdu'].h245Control;
      const body = setup['h323-uu-pdu']['h323-message-body'];
      if ('setup' in body)
        body.setup.h245Address = { ipAddress: { ip, port: (listener.address() as AddressInfo).port } };
      return setup;
    };
    try {
      const other = await RawCaller.open(server.port);
      other.send('setup', setupNaming(listeners[1]!, Uint8Array.of(127, 0, 0, 2)), SETUP_IES);
      await until(() => calls.length === 1);
      calls[0]!.proceed();
      const own = await RawCaller.open(server.port);
      own.send('setup', setupNaming(listeners[0]!, Uint8Array.of(127, 0, 0, 1)), SETUP_IES);
      await until(() => calls.length === 2);
      calls[1]!.proceed();
      await until(() => connectedTo.length === 1);
      // The second Setup's connection came; the first one's, proceeded earlier, never did.
      await new Promise((r) => setTimeout(r, 200));
      expect(connectedTo).toEqual(['127.0.0.1']);
      other.close();
      own.close();
    } finally {
      for (const l of listeners) l.close();
    }
  });

  it('runs slow start with H.245 in the Setup: capabilities, master-slave and an audio channel, all tunnelled', async () => {
    const caller = await RawCaller.open(server.port);
    const setup = setupWithFastStart();
    const body = setup['h323-uu-pdu']['h323-message-body'];
    if ('setup' in body) delete body.setup.fastStart;
    caller.send('setup', setup, SETUP_IES, [terminalCapabilitySet]);
    await until(() => calls.length === 1);
    const call = calls[0]!;
    const media: unknown[] = [];
    call.on('media', (a) => media.push(a));
    await call.answer({ address: '127.0.0.1', rtpPort: 41010 });
    await until(() => caller.h245.some((m) => 'request' in m && 'masterSlaveDetermination' in m.request));
    caller.send(
      'facility',
      facilityEmpty(),
      [],
      [
        { response: { terminalCapabilitySetAck: { sequenceNumber: 1 } } },
        { response: { masterSlaveDeterminationAck: { decision: { master: null } } } },
      ],
    );
    await until(() => caller.h245.some((m) => 'request' in m && 'openLogicalChannel' in m.request));
    caller.send(
      'facility',
      facilityEmpty(),
      [],
      [
        {
          response: {
            openLogicalChannelAck: {
              forwardLogicalChannelNumber: 1,
              forwardMultiplexAckParameters: {
                h2250LogicalChannelAckParameters: {
                  mediaChannel: {
                    unicastAddress: { iPAddress: { network: Uint8Array.of(127, 0, 0, 1), tsapIdentifier: 43000 } },
                  },
                },
              },
            },
          },
        },
      ],
    );
    await until(() => media.length === 1);
    expect(media[0]).toEqual({
      codec: 'PCMU',
      remote: { address: '127.0.0.1', port: 43000 },
      telephoneEventPayloadType: 101,
    });
    caller.send('releaseComplete', withBody({ releaseComplete: { protocolIdentifier: '0.0.8.2250.0.4' } }, false), [
      { ie: 'cause', codingStandard: 0, location: 0, value: 16 },
    ]);
    await until(() => call.released);
    sent.push(...caller.frames);
    caller.close();
  });

  (haveTshark ? it : it.skip)('sends only frames tshark dissects as Q.931/H.225.0 without a malformed one', () => {
    expect(sent.length).toBeGreaterThan(8);
    const dir = mkdtempSync(join(tmpdir(), 'confgate-h323-sent-'));
    try {
      const file = join(dir, 'sent.pcap');
      writePcap(
        file,
        sent.map((payload) => ({ transport: 'tcp' as const, srcPort: 1720, dstPort: 31000, payload })),
      );
      const { status, rows } = tsharkFields(file, ['q931.message_type', 'h225.h323_message_body', '_ws.malformed']);
      expect(status).toBe(0);
      expect(rows).toHaveLength(sent.length);
      for (const row of rows) {
        expect(row[0]).toMatch(/^0x/);
        expect(row[1]).not.toBe('');
        expect(row[2]).toBe('');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

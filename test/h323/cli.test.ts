/** `confgate h323 decode|encode`, run as a process the way engineers use it. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { encodeQ931 } from '../../src/h323/q931-message';
import { encodeUserInformation } from '../../src/h323/asn1-codec';
import { frameTpkt } from '../../src/h323/tpkt';
import { g711OpenLogicalChannel, setupWithFastStart, terminalCapabilitySet } from '../fixtures/h323/sample-messages';
import { buildCli } from './support/build-cli';
import { needsShared } from '../support/shared-files';
import { captureMessages, captureTpkts } from './support/capture-messages';

const root = join(__dirname, '..', '..');
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

const cli = buildCli();

function confgate(args: string[], input: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, input, encoding: 'utf8', timeout: 20000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const setupFrame = frameTpkt(
  encodeQ931({
    callReference: 7,
    fromDestination: false,
    messageType: 'setup',
    ies: [
      { ie: 'calledPartyNumber', typeOfNumber: 0, numberingPlan: 1, digits: '5387' },
      { ie: 'userUser', protocolDiscriminator: 5, data: encodeUserInformation(setupWithFastStart()) },
    ],
  }),
);

describe('confgate h323', () => {
  it('decodes a Setup frame to JSON with its IEs, the H.225.0 body and the tunnelled H.245, and encodes it back', () => {
    const decoded = confgate(['h323', 'decode'], `${hex(setupFrame).replace(/(.{64})/g, '$1\n')}\n`);
    expect(decoded.stderr).toBe('');
    expect(decoded.status).toBe(0);
    const json = JSON.parse(decoded.stdout);
    expect(json.q931).toMatchObject({
      messageType: 'setup',
      callReference: 7,
      ies: [
        { ie: 'calledPartyNumber', digits: '5387' },
        { ie: 'userUser', protocolDiscriminator: 5 },
      ],
    });
    expect(json.userInformation['h323-uu-pdu']['h323-message-body'].setup.destinationAddress).toEqual([
      { dialedDigits: '5387' },
    ]);
    expect(
      json.tunnelled.fastStart[0].forwardLogicalChannelParameters.multiplexParameters.h2250LogicalChannelParameters
        .mediaChannel,
    ).toEqual({
      unicastAddress: { iPAddress: { network: '7f000001', tsapIdentifier: 40000 } },
    });
    expect(json.tunnelled.fastStart[0].forwardLogicalChannelNumber).toBe(
      g711OpenLogicalChannel.forwardLogicalChannelNumber,
    );
    expect(json.tunnelled.h245Control[0].request.terminalCapabilitySet.sequenceNumber).toBe(1);
    expect(Object.keys(json.tunnelled.h245Control[0].request)).toEqual(
      Object.keys((terminalCapabilitySet as { request: object }).request),
    );

    const encoded = confgate(['h323', 'encode'], decoded.stdout);
    expect(encoded.stderr).toBe('');
    expect(encoded.stdout.trim()).toBe(hex(setupFrame));
  });

  needsShared(it)('decodes a standalone H.245 TPKT and a RAS datagram from the real capture', () => {
    const tcs = captureTpkts().find((t) => t.frame === 25)!;
    const h245 = confgate(['h323', 'decode', '--h245'], hex(frameTpkt(tcs.payload)));
    expect(JSON.parse(h245.stdout).h245.request.terminalCapabilitySet.capabilityTable[0].capability).toEqual({
      receiveAudioCapability: { g711Alaw64k: 30 },
    });
    const rrq = captureMessages().find((m) => m.frame === 71)!;
    const ras = confgate(['h323', 'decode', '--ras'], hex(rrq.bytes));
    expect(JSON.parse(ras.stdout).ras.registrationRequest.terminalAlias).toContainEqual({ dialedDigits: '2098' });
    expect(confgate(['h323', 'encode'], ras.stdout).stdout.trim()).toBe(hex(rrq.bytes));
  });

  needsShared(it)('explains what is wrong with the malformed Setup of the real capture (frame 65)', () => {
    const malformed = captureTpkts().find((t) => t.frame === 65)!;
    const e65 = confgate(['h323', 'decode'], hex(frameTpkt(malformed.payload)));
    expect(e65.status).toBe(1);
    expect(e65.stderr).toBe(
      'confgate h323: truncated: ExtendedAliasAddress.address: needs 256 more bits, 176 left (at H323-UserInformation.h323-uu-pdu.h323-message-body.setup.additionalSourceAddresses[0].address)\n',
    );
  });

  it('explains what is wrong with bad input and exits non-zero without a stack trace', () => {
    expect(confgate(['h323', 'decode'], 'zz')).toMatchObject({
      status: 1,
      stderr: 'confgate h323: tpkt: input is not hex octets\n',
    });
    expect(confgate(['h323', 'decode'], '0300000a0802')).toMatchObject({
      status: 1,
      stderr: expect.stringContaining('tpkt: expected exactly one complete frame'),
    });
    expect(confgate(['h323', 'encode'], '{"q931": {"callReference": -1}}')).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('q931.callReference'),
    });
    expect(confgate(['h323', 'encode'], 'not json')).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('input is not JSON'),
    });
    const badValue = confgate(
      ['h323', 'encode'],
      JSON.stringify({
        ras: {
          admissionConfirm: {
            requestSeqNum: 0,
            bandWidth: 1,
            callModel: { direct: null },
            destCallSignalAddress: { ipAddress: { ip: '7f000001', port: 1720 } },
          },
        },
      }),
    );
    expect(badValue).toMatchObject({
      status: 1,
      stderr:
        'confgate h323: constraint: AdmissionConfirm.requestSeqNum: 0 is outside 1..65535 (at RasMessage.admissionConfirm.requestSeqNum)\n',
    });
    expect(confgate(['h323', 'frobnicate'], '')).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('usage: confgate h323 decode'),
    });
  });
});

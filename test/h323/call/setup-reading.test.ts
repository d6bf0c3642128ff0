/** Reading a caller's Setup (H.225.0 §7.3.1): the dial alias in each form, the caller, fastStart, H.245. */
import { encodeH245Message } from '../../../src/h323/asn1-codec';
import type { AliasAddress } from '../../../src/h323/generated/h225-types';
import { aliasText, dialledAlias } from '../../../src/h323/h225/alias-text';
import { readSetup } from '../../../src/h323/h225/incoming-setup';
import type { InformationElement } from '../../../src/h323/q931-message';
import { decodeSignallingFrame, encodeSignallingFrame } from '../../../src/h323/signalling-frame';
import { WireError } from '../../../src/h323/wire-error';
import { masterSlaveDetermination, SETUP_IES, setupWithFastStart } from '../../fixtures/h323/sample-messages';

function setupFrame(change: (ui: ReturnType<typeof setupWithFastStart>) => void = () => undefined, ies = SETUP_IES) {
  const ui = setupWithFastStart();
  change(ui);
  const bytes = encodeSignallingFrame({
    q931: { callReference: 0x1234, fromDestination: false, messageType: 'setup', ies },
    userInformation: ui,
  });
  return decodeSignallingFrame(bytes);
}

const setupBody = (ui: ReturnType<typeof setupWithFastStart>) => {
  const body = ui['h323-uu-pdu']['h323-message-body'];
  if (!('setup' in body)) throw new Error('not a setup');
  return body.setup;
};

describe('the dial alias', () => {
  it('reads every alias form the dial-in takes', () => {
    const cases: Array<[AliasAddress, string | undefined]> = [
      [{ dialedDigits: '5387' }, '5387'],
      [{ 'h323-ID': '5387*8688' }, '5387*8688'],
      [{ 'url-ID': 'h323:5387@conf.example.org' }, '5387'],
      [{ 'url-ID': 'h323:conf@127.0.0.1' }, 'conf'],
      [{ 'email-ID': '5387.8688@example.org' }, '5387.8688'],
      [{ transportID: { ipAddress: { ip: Uint8Array.of(127, 0, 0, 1), port: 1720 } } }, undefined],
    ];
    for (const [alias, text] of cases) expect(aliasText(alias)).toBe(text);
  });

  it('takes dialedDigits before other aliases, then the Called Party Number, then nothing', () => {
    expect(dialledAlias([{ 'h323-ID': 'conf' }, { dialedDigits: '5387' }], '9999')).toBe('5387');
    expect(dialledAlias([{ 'h323-ID': 'conf' }], '9999')).toBe('conf');
    expect(dialledAlias([], '5387#8688')).toBe('5387#8688');
    expect(dialledAlias(undefined, undefined)).toBeUndefined();
    expect(dialledAlias(undefined, '')).toBeUndefined();
  });
});

describe('readSetup', () => {
  it('keeps the call reference, conferenceID and callIdentifier, the caller and its fastStart', () => {
    const setup = readSetup(setupFrame());
    expect(setup.keys.callReference).toBe(0x1234);
    expect(Buffer.from(setup.keys.conferenceId).toString('hex')).toBe('101112131415161718191a1b1c1d1e1f');
    expect(Buffer.from(setup.keys.callIdentifier!).toString('hex')).toBe('a0a1a2a3a4a5a6a7a8a9aaabacadaeaf');
    expect(setup.dialled).toBe('5387');
    expect(setup.callerName).toBe('room-a');
    expect(setup.userAgent).toBe('confgate 0.1.0');
    expect(setup.fastStart).toHaveLength(1);
    expect(setup.h245Tunnelling).toBe(true);
    expect(setup.h245).toHaveLength(1);
    expect(setup.multipleCalls).toBe(false);
  });

  it('reads parallelH245Control, the H.245 address, a Keypad IE and the calling number', () => {
    const ies: InformationElement[] = [
      ...SETUP_IES,
      { ie: 'keypadFacility', text: '8688#' },
      { ie: 'callingPartyNumber', typeOfNumber: 0, numberingPlan: 1, digits: '5551234' },
      { ie: 'display', text: 'Room B' },
    ];
    const setup = readSetup(
      setupFrame((ui) => {
        const body = setupBody(ui);
        body.sourceAddress = [];
        body.parallelH245Control = [encodeH245Message(masterSlaveDetermination)];
        body.h245Address = { ipAddress: { ip: Uint8Array.of(127, 0, 0, 2), port: 30000 } };
        body.multipleCalls = true;
        ui['h323-uu-pdu'].h245Tunneling = false;
        delete ui['h323-uu-pdu'].h245Control;
      }, ies),
    );
    expect(setup.keypad).toBe('8688#');
    expect(setup.callingNumber).toBe('5551234');
    expect(setup.callerName).toBe('Room B');
    expect(setup.h245).toEqual([masterSlaveDetermination]);
    expect(setup.h245Address).toEqual({ address: '127.0.0.2', port: 30000 });
    expect(setup.h245Tunnelling).toBe(false);
    expect(setup.multipleCalls).toBe(true);
  });

  it('refuses what is not a Setup', () => {
    const frame = setupFrame();
    expect(() => readSetup({ ...frame, q931: { ...frame.q931, messageType: 'connect' } })).toThrow(WireError);
    expect(() => readSetup({ q931: frame.q931 })).toThrow(/expected a Setup/);
  });
});

import { decodeH245Message } from '../asn1-codec';
import type { SetupUUIE, TransportAddress } from '../generated/h225-types';
import type { MultimediaSystemControlMessage, OpenLogicalChannel } from '../generated/h245-types';
import type { SignallingFrame } from '../signalling-frame';
import { WireError } from '../wire-error';
import { aliasText, dialledAlias } from './alias-text';
import type { CallKeys } from './call-keys';

/** A host and port, as H.225.0 `TransportAddress` and H.245 `UnicastAddress` give them for IPv4. */
export interface SocketAddress {
  address: string;
  port: number;
}

/** What confgate reads from a caller's Setup (H.225.0 §7.3.1 Setup-UUIE, Q.931 §3.1.14). */
export interface IncomingSetup {
  keys: CallKeys;
  /** The dialled alias: destinationAddress, else the Called Party Number IE. */
  dialled: string | undefined;
  /** The caller's own name: its h323-ID alias, else the Display IE. */
  callerName: string | undefined;
  /** The caller's number: its dialedDigits alias, else the Calling Party Number IE. */
  callingNumber: string | undefined;
  /** The caller's product (`sourceInfo.vendor`), like SIP's User-Agent. */
  userAgent: string | undefined;
  /** fastStart proposals (H.323 §8.1.7), decoded. */
  fastStart: OpenLogicalChannel[] | undefined;
  /** The caller tunnels H.245 in H.225.0 messages (H.323 §8.2.1). */
  h245Tunnelling: boolean;
  /** H.245 the caller sent with the Setup: tunnelled h245Control and parallelH245Control (H.323 §8.2.4). */
  h245: MultimediaSystemControlMessage[];
  /** Where the caller listens for a separate H.245 connection (H.323 §8.2.2). */
  h245Address: SocketAddress | undefined;
  /** Keys sent with the Setup in a Keypad Facility IE (Q.931 §4.5.18). */
  keypad: string | undefined;
  /** The caller asked to run several calls on this connection (H.225.0 §7.3.1 multipleCalls). */
  multipleCalls: boolean;
}

/** Reads a decoded Setup frame; throws {@link WireError} when it is no Setup or lacks its UUIE. */
export function readSetup(frame: SignallingFrame): IncomingSetup {
  const body = frame.userInformation?.['h323-uu-pdu']['h323-message-body'];
  if (frame.q931.messageType !== 'setup' || !body || !('setup' in body))
    throw new WireError('q931', `expected a Setup with its H.225.0 UUIE, got ${frame.q931.messageType}`);
  const setup: SetupUUIE = body.setup;
  const pdu = frame.userInformation!['h323-uu-pdu'];
  const ie = <K extends 'calledPartyNumber' | 'callingPartyNumber' | 'display' | 'keypadFacility'>(
    name: K,
  ): string | undefined => {
    const found = frame.q931.ies.find((e) => e.ie === name);
    if (!found) return undefined;
    return 'digits' in found ? found.digits : 'text' in found ? found.text : undefined;
  };
  const source = setup.sourceAddress ?? [];
  const named = (kind: 'h323-ID' | 'dialedDigits'): string | undefined => {
    const alias = source.find((a) => kind in a);
    return alias ? aliasText(alias) : undefined;
  };
  const parallel = (setup.parallelH245Control ?? []).map((b) => decodeH245Message(b));
  return {
    keys: {
      callReference: frame.q931.callReference,
      conferenceId: setup.conferenceID,
      callIdentifier: setup.callIdentifier?.guid,
    },
    dialled: dialledAlias(setup.destinationAddress, ie('calledPartyNumber')),
    callerName: named('h323-ID') || ie('display') || undefined,
    callingNumber: named('dialedDigits') || ie('callingPartyNumber') || undefined,
    userAgent: vendorName(setup),
    fastStart: frame.tunnelled?.fastStart,
    h245Tunnelling: pdu.h245Tunneling === true,
    h245: [...(frame.tunnelled?.h245Control ?? []), ...parallel],
    h245Address: socketAddress(setup.h245Address),
    keypad: ie('keypadFacility') || undefined,
    multipleCalls: setup.multipleCalls === true,
  };
}

/** An IPv4 H.225.0 transport address as host and port; undefined for any other kind. */
export function socketAddress(address: TransportAddress | undefined): SocketAddress | undefined {
  if (!address || !('ipAddress' in address)) return undefined;
  return { address: address.ipAddress.ip.join('.'), port: address.ipAddress.port };
}

function vendorName(setup: SetupUUIE): string | undefined {
  const vendor = setup.sourceInfo.vendor;
  if (!vendor) return undefined;
  const text = (b: Uint8Array | undefined): string => (b ? Buffer.from(b).toString('latin1').replace(/\0+$/, '') : '');
  const name = [text(vendor.productId), text(vendor.versionId)].filter((s) => s !== '').join(' ');
  return name || undefined;
}

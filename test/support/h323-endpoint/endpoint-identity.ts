/**
 * What the test endpoint says about itself and how it writes addresses: the protocol versions it
 * claims (H.225.0 v4, H.245 v7), its vendor identity (H.225.0 §7.9 EndpointType), and loopback
 * transport addresses in the H.225.0 and H.245 forms.
 */
import { randomBytes } from 'node:crypto';
import type { EndpointType, TransportAddress } from '../../../src/h323/generated/h225-types';
import type { TransportAddress as H245TransportAddress } from '../../../src/h323/generated/h245-types';

/** H.225.0 §7.6 protocolIdentifier of version 4 (itu-t recommendation h 2250 0 4). */
export const H225_PROTOCOL = '0.0.8.2250.0.4';
/** H.245 §7.2 protocolIdentifier of version 7. */
export const H245_PROTOCOL = '0.0.8.245.0.7';

/** A terminal (H.225.0 §7.9, `terminal` present, not an MC), with a recognisable product id. */
export const TEST_TERMINAL: EndpointType = {
  vendor: {
    vendor: { t35CountryCode: 181, t35Extension: 0, manufacturerCode: 21324 },
    productId: Uint8Array.from(Buffer.from('confgate-test-endpoint')),
    versionId: Uint8Array.from(Buffer.from('1')),
  },
  terminal: {},
  mc: false,
  undefinedNode: false,
};

/** Four octets of a dotted IPv4 address. */
export function ipv4Octets(host: string): Uint8Array {
  const octets = host.split('.').map(Number);
  if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255))
    throw new Error(`not an IPv4 address: ${host}`);
  return Uint8Array.from(octets);
}

/** H.225.0 TransportAddress (call signalling, h245Address). */
export function h225Address(host: string, port: number): TransportAddress {
  return { ipAddress: { ip: ipv4Octets(host), port } };
}

/** H.245 TransportAddress (media and media control channels, H.245 §7.2 UnicastAddress). */
export function h245Address(host: string, port: number): H245TransportAddress {
  return { unicastAddress: { iPAddress: { network: ipv4Octets(host), tsapIdentifier: port } } };
}

/** A host and port read back from either form; undefined for anything but IPv4. */
export function readAddress(
  a: TransportAddress | H245TransportAddress | undefined,
): { host: string; port: number } | undefined {
  if (!a) return undefined;
  if ('ipAddress' in a) return { host: Array.from(a.ipAddress.ip).join('.'), port: a.ipAddress.port };
  if ('unicastAddress' in a && 'iPAddress' in a.unicastAddress) {
    const ip = a.unicastAddress.iPAddress;
    return { host: Array.from(ip.network).join('.'), port: ip.tsapIdentifier };
  }
  return undefined;
}

/** A fresh 16-octet GUID for conferenceID and callIdentifier (H.225.0 §7.6). */
export function newGuid(): Uint8Array {
  return Uint8Array.from(randomBytes(16));
}

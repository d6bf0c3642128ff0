import { EventEmitter } from 'node:events';
import type { SipRequest } from '../message/sip-message';
import type { Flow, TransportProtocol } from '../message/flow';

/**
 * A request received from the network as handlers see it (drachtio-srf's `req`): the parsed message,
 * where it came from and over which transport. Emits `cancel` when the caller CANCELs an INVITE
 * before it was answered (RFC 3261 §9.2; the 487 is already sent by then).
 */
export class SrfRequest extends EventEmitter {
  /** True once a CANCEL for this INVITE arrived before the final response. */
  canceled = false;

  constructor(
    /** The parsed message; headers are preserved as received. */
    readonly msg: SipRequest,
    readonly flow: Flow,
  ) {
    super();
  }

  get method(): string {
    return this.msg.method;
  }

  /** The Request-URI as written. */
  get uri(): string {
    return this.msg.uri;
  }

  get callId(): string {
    return this.msg.callId;
  }

  /** The body as text (SDP); `msg.body` has the bytes. */
  get body(): string {
    return this.msg.body.toString('utf8');
  }

  /** The first value of a header (by any spelling, compact forms too), or undefined. */
  get(name: string): string | undefined {
    return this.msg.headers.get(name);
  }

  has(name: string): boolean {
    return this.msg.headers.has(name);
  }

  /** The user part of the Request-URI: the number dialled. */
  get calledNumber(): string {
    return this.msg.requestUri.user ?? '';
  }

  /** The user part of the From URI: the caller. */
  get callingNumber(): string {
    return this.msg.from.uri.user ?? '';
  }

  get source_address(): string {
    return this.flow.remoteAddress;
  }

  get source_port(): number {
    return this.flow.remotePort;
  }

  get protocol(): TransportProtocol {
    return this.flow.protocol;
  }
}

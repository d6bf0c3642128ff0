/**
 * confgate's SIP layer (RFC 3261 and friends), from the wire up:
 * `message/` (parse, build, serialize), `core/` (UAS rules of §8.2), `transport/` (UDP, TCP, TLS, §18),
 * `timer/` (one timer wheel), `transaction/` (§17, RFC 6026), `dialog/` (§12, RFC 4028),
 * `srf/` (the drachtio-srf-shaped call-control API the layers above use).
 */
export * from './message';
export { Srf, type SrfOptions, type SrfStats, type OutOfDialogRequest } from './srf/srf';
export { srfOptionsFromConfig } from './srf/srf-config';
export { SrfRequest } from './srf/srf-request';
export { SrfResponse, type SendOptions, type HeaderInput } from './srf/srf-response';
export { SipError } from './srf/sip-error';
export { UacInvite, type UacOptions, type UacCallbacks } from './srf/uac';
export type { UasOptions } from './srf/uas';
export type { B2buaOptions, B2buaDialogs } from './srf/b2bua';
export type { RequestHandler } from './srf/user-agent-core';
export { Dialog, type DialogRequestOptions } from './dialog/dialog';
export type { SessionTimerConfig, SessionInterval } from './dialog/session-timer-negotiation';
export type { ListenSpec } from './transport/listen-spec';
export type { TlsCredentials } from './transport/stream-transport';
export type { TransactionTimerConfig } from './transaction/transaction-timers';

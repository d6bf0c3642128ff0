/**
 * confgate's SIP layer (RFC 3261 and friends), its one public face. Inside, from the wire up:
 * `message/` (parse, build, serialize; the shared helpers), `transport/` (UDP, TCP, TLS, §18),
 * `timer/` (one timer wheel), `transaction/` (§17, RFC 6026), `dialog/` (§12, RFC 4028),
 * `core/` (the user agent core of §8 with its UAS rules), `srf/` (the drachtio-srf-shaped
 * call-control API). Nothing outside `sip/` imports a deeper path; the layer imports nothing from
 * the application: its settings and logger are passed in.
 */
export * from './message';
export type { SipLogger, SipLogFn } from './sip-logger';
export { Srf, type SrfOptions, type SrfStats, type OutOfDialogRequest } from './srf/srf';
export { SrfRequest } from './dialog/srf-request';
export { SrfResponse, type SendOptions } from './dialog/srf-response';
export { UacInvite, type UacOptions, type UacCallbacks } from './srf/uac';
export type { UasOptions } from './srf/uas';
export type { B2buaOptions, B2buaDialogs } from './srf/b2bua';
export type { RequestHandler } from './core/user-agent-core';
export type { SipCounters } from './core/sip-counters';
export type { InviteLimit, InviteRateLimits } from './core/invite-rate-limiter';
export type { BucketRate } from './core/token-bucket';
export { Dialog, type DialogRequestOptions } from './dialog/dialog';
export type { DialogEvents, DialogEnd } from './dialog/dialog-events';
export type { SessionTimerConfig, SessionInterval } from './dialog/session-timer-negotiation';
export type { ListenSpec } from './transport/listen-spec';
export type { TlsCredentials } from './transport/stream-transport';
export type { TransactionTimerConfig } from './transaction/transaction-timers';

/**
 * confgate's H.323 layer, its one public face for call handling: the H.225.0 call signalling
 * listener (`createH323Server`), a call (`H323Call`: proceed, alert, answer, release; `key`,
 * `media`, `released`), H.245 inside it (tunnelled or separate, fast start), and the Q.850 causes.
 * The wire layer beneath (`asn1-codec`, `signalling-frame`, `tpkt`, `q931-message`) is documented in
 * docs/h323.md. The layer imports nothing from the application: its logger and counters are passed in.
 */
export { createH323Server, H323Server, type H323ServerEvents } from './server/h323-server';
export {
  H323Call,
  type H323Audio,
  type H323CallEvents,
  type H323CallIdentity,
  type H323Release,
} from './server/h323-call';
export type { H323Counters, H323FaultKind, H323Logger, H323ServerOptions } from './server/h323-server-options';
export { H323_LIMITS } from './server/signalling-connection';
export type { H323AudioCodec } from './h245/audio-codec';
export type { LocalMedia } from './h245/media-address';
export type { SocketAddress } from './h225/incoming-setup';
export type { H323Key, H323KeyMethod } from './user-input';
export { Q850 } from './h225/release-reason';

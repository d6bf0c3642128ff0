import { readFileSync } from 'node:fs';
import type { Config } from '../config/config-schema';
import type { InviteRateLimits, ListenSpec, SipLogger, SrfOptions } from '../sip';

/**
 * The Srf options for confgate's `sip` settings: UDP and TCP on `host:port`, TLS on `host:tls.port`
 * with the certificate and key read from their files (RFC 3261 §26.2.1), the timers and limits.
 * `trustedGateways` (`admission.trustedGateways`) get the trusted INVITE rate.
 */
export function srfOptionsFromConfig(
  sip: Config['sip'],
  log: SipLogger,
  trustedGateways: readonly string[] = [],
): SrfOptions {
  const listen: ListenSpec[] = sip.transports.map((protocol) => ({
    protocol,
    host: sip.host,
    port: protocol === 'tls' ? (sip.tls?.port ?? 5061) : sip.port,
  }));
  if (sip.transports.includes('tls') && !sip.tls)
    throw new Error('sip.tls.certFile and sip.tls.keyFile are needed for the tls transport');
  return {
    listen,
    advertisedHost: sip.advertisedHost,
    maxMessageBytes: sip.maxMessageBytes,
    tls: sip.tls ? { cert: readFileSync(sip.tls.certFile), key: readFileSync(sip.tls.keyFile) } : undefined,
    timers: sip.timers,
    sessionTimer: sip.sessionTimer,
    inviteRate: inviteRateLimits(sip.inviteRate, trustedGateways),
    log,
  };
}

function inviteRateLimits(rate: Config['sip']['inviteRate'], trustedGateways: readonly string[]): InviteRateLimits {
  return {
    perSource: { perSecond: rate.perSource, burst: rate.burst },
    total: { perSecond: rate.total, burst: rate.totalBurst },
    trusted: { perSecond: rate.trustedPerSource, burst: rate.trustedBurst },
    trustedSources: new Set(trustedGateways.map((g) => g.toLowerCase())),
    maxSources: rate.maxSources,
    retryAfterSeconds: rate.retryAfterSeconds,
  };
}

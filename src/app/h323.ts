import { h323DialIn } from '../call/h323/h323-dial-in';
import type { H323CallerLegContext } from '../call/h323/h323-caller-leg';
import type { DialInCallContext } from '../call/dial-in-call';
import type { Config } from '../config/config-schema';
import { createH323Server, type H323Counters, type H323Server } from '../h323';
import type { Logger } from '../log/logger';

export interface H323ListenerOptions {
  config: Config;
  calls: DialInCallContext;
  leg: H323CallerLegContext;
  log: Logger;
  counters?: H323Counters;
}

/**
 * Starts the H.323 listener beside SIP when `h323.enabled`: on `sip.host:h323.port`, each call a
 * `DialInCall` with an H.323 caller leg. A port it cannot bind (another confgate, a test beside
 * it) is logged as an error and the dial-in goes on with SIP only; undefined then, or when disabled.
 */
export async function startH323Listener(o: H323ListenerOptions): Promise<H323Server | undefined> {
  const { h323, sip, publicHost } = o.config;
  if (!h323.enabled) return undefined;
  const log = o.log.child({ component: 'h323' });
  try {
    const server = await createH323Server({
      host: sip.host,
      port: h323.port,
      advertisedHost: sip.host === '0.0.0.0' || sip.host === '::' ? publicHost : sip.host,
      maxFrameBytes: h323.maxFrameBytes,
      setupTimeoutMs: h323.setupTimeoutMs,
      partialFrameTimeoutMs: h323.partialFrameTimeoutMs,
      maxConnectionsPerSource: h323.maxConnectionsPerSource,
      log,
      counters: o.counters,
    });
    server.on('call', h323DialIn(o.calls, o.leg));
    log.info({ host: sip.host, port: server.port }, 'H.323 listening');
    return server;
  } catch (err) {
    log.error({ err, port: h323.port }, 'H.323 listener could not start: H.323 calls are not taken');
    return undefined;
  }
}

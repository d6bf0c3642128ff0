/**
 * The URI of this instance's own SIP listener, the control of `McuHealth`'s ping rounds, over
 * UDP when it listens there, else TCP (none for TLS alone: a ping to ourselves needs no security); a
 * wildcard bind is reached on loopback. Its OPTIONS is answered through the same receive queue as the
 * MCUs' answers (with 482 Loop Detected, RFC 3261 §8.2.2.2, as it carries our own Via; any answer will do).
 */
export function controlPingUri(boundHost: string, ports: Partial<Record<'udp' | 'tcp', number>>): string | undefined {
  const host = boundHost === '0.0.0.0' ? '127.0.0.1' : boundHost === '::' ? '[::1]' : bracketed(boundHost);
  if (ports.udp !== undefined) return `sip:${host}:${ports.udp}`;
  if (ports.tcp !== undefined) return `sip:${host}:${ports.tcp};transport=tcp`;
  return undefined;
}

/** An IPv6 literal goes in brackets in a URI (RFC 3261 §19.1.1). */
function bracketed(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

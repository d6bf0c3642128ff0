/**
 * A host as written in a SIP URI or Via sent-by: an IPv6 literal goes between brackets
 * (RFC 3261 §19.1.1 `IPv6reference`, §25.1; RFC 5118 §4), a name or IPv4 address stays as it is,
 * and a host already bracketed is left alone.
 */
export function uriHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** `host:port` with IPv6 brackets (§25.1 `hostport`), the key of a peer in connection maps and logs. */
export function hostPort(host: string, port: number): string {
  return `${uriHost(host)}:${port}`;
}

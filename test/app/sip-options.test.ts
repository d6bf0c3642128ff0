import pino from 'pino';
import { srfOptionsFromConfig } from '../../src/app/sip-options';
import { parseConfig } from '../../src/config/load-config';

describe('srfOptionsFromConfig', () => {
  const log = pino({ level: 'silent' });

  it('maps the defaults: UDP and TCP on 0.0.0.0:5060, RFC timers, 64 KiB messages, 1800 s sessions', () => {
    const o = srfOptionsFromConfig(parseConfig({}).sip, log);
    expect(o.listen).toEqual([
      { protocol: 'udp', host: '0.0.0.0', port: 5060 },
      { protocol: 'tcp', host: '0.0.0.0', port: 5060 },
    ]);
    expect(o.timers).toEqual({ t1: 500, t2: 4000, t4: 5000 });
    expect(o.maxMessageBytes).toBe(65535);
    expect(o.sessionTimer).toEqual({ enabled: true, expires: 1800, minSE: 90 });
  });

  it('maps the INVITE rate, with the trusted gateways (lower-case) at their own rate', () => {
    const config = parseConfig({ admission: { trustedGateways: ['FD00::1', '192.0.2.7'] } });
    const o = srfOptionsFromConfig(config.sip, log, config.admission.trustedGateways);
    expect(o.inviteRate).toEqual({
      perSource: { perSecond: 20, burst: 40 },
      total: { perSecond: 2000, burst: 4000 },
      trusted: { perSecond: 500, burst: 1000 },
      trustedSources: new Set(['fd00::1', '192.0.2.7']),
      maxSources: 10000,
      retryAfterSeconds: 5,
    });
  });

  it('refuses a TLS transport without certificate settings, and bad timer values with their key path', () => {
    expect(() => srfOptionsFromConfig(parseConfig({ sip: { transports: ['tls'] } }).sip, log)).toThrow(/certFile/);
    expect(() => parseConfig({ sip: { timers: { t1: 5 } } })).toThrow(/sip\.timers\.t1/);
  });
});

import { join } from 'node:path';
import { loadConfig, ConfigError } from '../../src/config/load-config';

const root = join(__dirname, '..', '..');

describe('loadConfig', () => {
  it('reads the defaults', () => {
    const c = loadConfig({}, root);
    expect(c.http.port).toBe(8080);
    expect(c.sip.port).toBe(5060);
    expect(c.redisUrl).toBeUndefined();
  });

  it('takes the documented environment variables', () => {
    const c = loadConfig(
      {
        REDIS_URL: 'redis://127.0.0.1:6390/2',
        CONFGATE_HTTP_PORT: '9090',
        CONFGATE_SIP_PORT: '5070',
        CONFGATE_PUBLIC_HOST: 'visio.example.org',
        CONFGATE_ADMIN_TOKEN: 'a-long-enough-admin-token',
        CONFGATE_MCU: 'sip:{number}@mcu1.example.org, sip:{number}@mcu2.example.org',
      },
      root,
    );
    expect(c.redisUrl).toBe('redis://127.0.0.1:6390/2');
    expect(c.http.port).toBe(9090);
    expect(c.sip.port).toBe(5070);
    expect(c.publicHost).toBe('visio.example.org');
    expect(c.mcu.map((m) => m.uri)).toEqual(['sip:{number}@mcu1.example.org', 'sip:{number}@mcu2.example.org']);
    expect(c.mcu[0]!.capacity).toBeGreaterThan(0);
  });

  it('names the key and the rule of an invalid setting', () => {
    expect(() => loadConfig({ CONFGATE_HTTP_PORT: 'eighty' }, root)).toThrow(ConfigError);
    try {
      loadConfig({ CONFGATE_HTTP_PORT: '70000', CONFGATE_MCU: 'http://x' }, root);
    } catch (e) {
      const msg = (e as Error).message;
      expect(msg).toMatch(/http\.port/);
      expect(msg).toMatch(/mcu\.0\.uri: must be a SIP URI/);
    }
    expect.assertions(3);
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configKeys } from '../../src/config/config-keys';

describe('README configuration table', () => {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const keys = configKeys();

  it('finds the nested keys of the schema', () => {
    const paths = keys.map((k) => k.path);
    expect(paths).toEqual(
      expect.arrayContaining(['http.port', 'sip.port', 'redisUrl', 'mcu[].uri', 'booking.numberLength']),
    );
  });

  it.each(keys.map((k) => k.path))('documents `%s`', (path) => {
    expect(readme).toContain(`\`${path}\``);
  });
});

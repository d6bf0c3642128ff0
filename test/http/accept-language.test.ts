import { negotiateLanguage } from '../../src/http/accept-language';

describe('negotiateLanguage', () => {
  it.each([
    [undefined, 'en', 'en'],
    ['', 'fr', 'fr'],
    ['fr', 'en', 'fr'],
    ['fr-CA', 'en', 'fr'],
    ['en-GB,en;q=0.9', 'fr', 'en'],
    ['de-DE, fr;q=0.5, en;q=0.8', 'fr', 'en'],
    ['de-DE, it', 'fr', 'fr'],
    ['en;q=0, fr;q=0.1', 'en', 'fr'],
    ['FR;Q=1', 'en', 'fr'],
    ['fr;Q=0, de', 'en', 'en'],
    ['*', 'fr', 'fr'],
    ['en;q=0.5, fr;q=0.5', 'fr', 'en'],
    [';;;,,,q=', 'en', 'en'],
  ] as const)('%p (fallback %s) → %s', (header, fallback, expected) => {
    expect(negotiateLanguage(header, fallback)).toBe(expected);
  });
});

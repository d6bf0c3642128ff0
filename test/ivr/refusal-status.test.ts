import { refusalStatus } from '../../src/ivr/refusal-status';

describe('refusalStatus', () => {
  it.each([
    ['unknown', 404],
    ['wrong-code', 403],
    ['not-open', 480],
    ['ended', 410],
    ['full', 486],
    ['locked', 403],
    ['too-many-attempts', 403],
    ['unavailable', 503],
    ['attempts-exhausted', 403],
  ] as const)('%s is %i with a reason phrase', (reason, status) => {
    const refusal = refusalStatus(reason);
    expect(refusal.status).toBe(status);
    expect(refusal.reason).toMatch(/^[A-Z][A-Za-z ]+$/);
  });

  it('tells every reason apart by its phrase', () => {
    const reasons = [
      'unknown',
      'wrong-code',
      'not-open',
      'ended',
      'full',
      'locked',
      'too-many-attempts',
      'unavailable',
      'attempts-exhausted',
    ] as const;
    expect(new Set(reasons.map((r) => refusalStatus(r).reason)).size).toBe(reasons.length);
  });
});

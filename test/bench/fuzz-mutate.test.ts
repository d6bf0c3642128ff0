import { fuzzCorpus, type FuzzEndpoints } from '../../bench/fuzz/corpus';
import { MUTATIONS, mutate } from '../../bench/fuzz/mutate';
import { parseMessage, SipRequest, validateRequest } from '../../src/sip';
import { seededRandom } from '../support/seeded-random';

const endpoints: FuzzEndpoints = {
  target: { host: '127.0.0.1', port: 5060 },
  source: { host: '127.0.0.2', port: 40000 },
  transport: 'UDP',
};
const corpus = fuzzCorpus(endpoints, 7);

function mutants(seed: number, count: number): Array<{ bytes: Buffer; mutations: string[] }> {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => mutate(corpus[i % corpus.length]!, random));
}

describe('fuzz corpus', () => {
  it('holds only valid requests, addressed to loopback', () => {
    for (const message of corpus) {
      const outcome = parseMessage(message);
      expect(outcome.ok).toBe(true);
      if (!outcome.ok) continue;
      expect(outcome.value).toBeInstanceOf(SipRequest);
      expect(validateRequest(outcome.value as SipRequest)).toBeUndefined();
      expect(message.toString('latin1')).not.toMatch(/\b(?!127\.)\d+\.\d+\.\d+\.\d+\b/);
    }
  });
});

describe('mutate', () => {
  it('gives the same mutants for the same seed, and others for another seed', () => {
    const a = mutants(42, 200);
    expect(mutants(42, 200)).toEqual(a);
    const b = mutants(43, 200);
    expect(b.filter((m, i) => m.bytes.equals(a[i]!.bytes)).length).toBeLessThan(20);
  });

  it('applies one to three mutations, each of which changes some message', () => {
    for (const m of mutants(1, 500)) expect(m.mutations.length).toBeGreaterThanOrEqual(1);
    for (const m of mutants(1, 500)) expect(m.mutations.length).toBeLessThanOrEqual(3);
    for (const mutation of MUTATIONS) {
      const random = seededRandom(9);
      const changed = corpus.some((message) => !mutation.apply(message, random).equals(message));
      expect({ mutation: mutation.name, changed }).toEqual({ mutation: mutation.name, changed: true });
    }
  });

  it('produces input the parser refuses or reads, never throws on', () => {
    const outcomes = mutants(5, 3000).map((m) => parseMessage(m.bytes));
    expect(outcomes.some((o) => o.ok)).toBe(true);
    expect(outcomes.some((o) => !o.ok)).toBe(true);
  });
});

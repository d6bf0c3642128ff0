/**
 * Mutation tests: every truncation and single-bit flip of the sample encodings. confgate must answer
 * each with a value or a PerError, never another exception, and truncations must be rejected.
 * (That every mutant Erlang/OTP's asn1 rejects is rejected by confgate too is in erlang-oracle.test.ts,
 * which owns the one Erlang process.)
 */
import { confgateRejects, mutants } from './support/mutants';

const all = mutants();

describe('mutated messages', () => {
  it('are answered with a value or a PerError, and every truncation is rejected', () => {
    expect(all.length).toBeGreaterThan(2000);
    // Every mutant is decoded (confgateRejects throws on anything but a PerError), bit flips included.
    const rejected = all.map((m) => confgateRejects(m));
    const acceptedTruncations = all
      .filter((m, i) => m.how.startsWith('truncated') && !rejected[i])
      .map((m) => `${m.sample} ${m.how}`);
    expect(acceptedTruncations).toEqual([]);
    // Both outcomes occur among the bit flips, so they were decoded, not skipped.
    const flips = all.flatMap((m, i) => (m.how.includes('flipped') ? [rejected[i]] : []));
    expect(new Set(flips)).toEqual(new Set([true, false]));
  });
});

/**
 * Mutation tests: every truncation and single-bit flip of the sample encodings. confgate must answer
 * each with a value or a PerError, never another exception; truncations must be rejected; and every
 * mutant that Erlang/OTP's asn1 rejects must be rejected by confgate too.
 */
import { decodePer, encodePer } from '../../src/h323/asn1-codec';
import { PerError } from '../../src/h323/per/per-error';
import { ErlangOracle } from '../../scripts/asn1/erlang-oracle';
import { sampleMessages } from '../fixtures/h323/sample-messages';

interface Mutant {
  sample: string;
  module: string;
  type: string;
  how: string;
  bytes: Uint8Array;
}

function mutants(): Mutant[] {
  const out: Mutant[] = [];
  for (const s of sampleMessages()) {
    const good = encodePer(`${s.module}.${s.type}`, s.value);
    const base = { sample: s.name, module: s.module, type: s.type };
    for (let n = 0; n < good.length; n++) out.push({ ...base, how: `truncated to ${n}`, bytes: good.subarray(0, n) });
    for (let bit = 0; bit < good.length * 8; bit += 3) {
      const flipped = good.slice();
      flipped[bit >> 3]! ^= 0x80 >> (bit & 7);
      out.push({ ...base, how: `bit ${bit} flipped`, bytes: flipped });
    }
  }
  return out;
}

const all = mutants();

function confgateRejects(m: Mutant): boolean {
  try {
    decodePer(`${m.module}.${m.type}`, m.bytes);
    return false;
  } catch (e) {
    if (!(e instanceof PerError)) throw new Error(`${m.sample} ${m.how}: ${String(e)}`);
    return true;
  }
}

describe('mutated messages', () => {
  it('are answered with a value or a PerError, and every truncation is rejected', () => {
    expect(all.length).toBeGreaterThan(2000);
    const acceptedTruncations = all.filter((m) => m.how.startsWith('truncated') && !confgateRejects(m)).map((m) => `${m.sample} ${m.how}`);
    expect(acceptedTruncations).toEqual([]);
  });

  const beamDir = ErlangOracle.compiledModules();
  (beamDir ? it : it.skip)('are rejected by confgate whenever Erlang rejects them', async () => {
    const oracle = await ErlangOracle.start(beamDir);
    try {
      const missed: string[] = [];
      let erlangRejected = 0;
      for (const m of all) {
        const reply = await oracle.ask(`decode ${m.module} ${m.type} ${Buffer.from(m.bytes).toString('hex')}`);
        if (reply === 'ok') continue;
        erlangRejected++;
        if (!confgateRejects(m)) missed.push(`${m.sample} ${m.how}`);
      }
      expect(erlangRejected).toBeGreaterThan(500);
      expect(missed).toEqual([]);
    } finally {
      oracle.stop();
    }
  }, 120000);
});

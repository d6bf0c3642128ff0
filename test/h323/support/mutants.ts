/** Truncations and single-bit flips of the sample encodings, for the mutation tests. */
import { decodePer, encodePer } from '../../../src/h323/asn1-codec';
import { PerError } from '../../../src/h323/per/per-error';
import { sampleMessages } from '../../fixtures/h323/sample-messages';

export interface Mutant {
  sample: string;
  module: string;
  type: string;
  how: string;
  bytes: Uint8Array;
}

/** Every truncation and every third single-bit flip of each sample's encoding. */
export function mutants(): Mutant[] {
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

/** Whether confgate rejects the mutant; anything thrown but a PerError fails the test. */
export function confgateRejects(m: Mutant): boolean {
  try {
    decodePer(`${m.module}.${m.type}`, m.bytes);
    return false;
  } catch (e) {
    if (!(e instanceof PerError)) throw new Error(`${m.sample} ${m.how}: ${String(e)}`, { cause: e });
    return true;
  }
}

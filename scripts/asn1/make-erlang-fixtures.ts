/**
 * Regenerates `test/fixtures/h323/erlang-encodings.json`: the aligned-PER bytes Erlang/OTP's asn1
 * produces for each sample message of `test/fixtures/h323/sample-messages.ts`. Needs erlc (Debian
 * erlang-asn1); run `node -r ./scripts/asn1/swc-register.js scripts/asn1/make-erlang-fixtures.ts`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { typeTable } from '../../src/h323/generated/type-table';
import { sampleMessages } from '../../test/fixtures/h323/sample-messages';
import { erlangTerm } from './erlang-term';
import { ErlangOracle } from './erlang-oracle';

async function main(): Promise<void> {
  const oracle = ErlangOracle.start();
  const out: Record<string, { module: string; type: string; hex: string }> = {};
  try {
    for (const s of sampleMessages()) {
      const term = erlangTerm(typeTable, typeTable.names[`${s.module}.${s.type}`]!, s.value);
      const reply = await oracle.ask(`encode ${s.module} ${s.type} ${term}.`);
      if (!reply.startsWith('ok ')) throw new Error(`${s.name}: Erlang refused: ${reply}`);
      out[s.name] = { module: s.module, type: s.type, hex: reply.slice(3) };
    }
  } finally {
    oracle.stop();
  }
  const file = join(__dirname, '..', '..', 'test', 'fixtures', 'h323', 'erlang-encodings.json');
  writeFileSync(file, JSON.stringify(out, null, 2) + '\n');
  console.log(`wrote ${Object.keys(out).length} Erlang encodings to ${file}`);
}

void main();

/**
 * Cross-tests against Erlang/OTP's asn1 compiler (aligned PER, from the same three module files):
 * Erlang's encodings decode to confgate's values, confgate's encodings decode in Erlang to the same
 * values and re-encode to identical bytes; mutants Erlang rejects are rejected by confgate too. The
 * committed fixture is checked on every run; the live checks run where erlc is installed (CI installs
 * erlang-asn1), compiling once into .cache/ (this is the only test file that starts Erlang, so a cold
 * compile holds one jest worker, not two).
 */
import { encodePer, decodePer } from '../../src/h323/asn1-codec';
import { typeTable } from '../../src/h323/generated/type-table';
import { erlangTerm } from '../../scripts/asn1/erlang-term';
import { ErlangOracle } from '../../scripts/asn1/erlang-oracle';
import encodings from '../fixtures/h323/erlang-encodings.json';
import { sampleMessages } from '../fixtures/h323/sample-messages';
import { captureMessages } from './support/capture-messages';
import { messagesConfgateSends } from './support/listener-frames';
import { confgateRejects, mutants } from './support/mutants';
import { seededRandom } from '../support/seeded-random';
import { sharedPresent } from '../support/shared-files';
import { Abandon, randomValue } from './support/random-values';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const samples = sampleMessages();
const fixture = encodings as Record<string, { module: string; type: string; hex: string }>;
const qualified = (s: { module: string; type: string }): string => `${s.module}.${s.type}`;

describe('Erlang asn1 encodings (committed fixture, made by scripts/asn1/make-erlang-fixtures.ts)', () => {
  it('covers every sample message', () => {
    expect(Object.keys(fixture).sort()).toEqual(samples.map((s) => s.name).sort());
  });

  it.each(samples.map((s) => [s.name, s] as const))(
    '%s: Erlang bytes decode to the value, and confgate encodes the same bytes',
    (name, s) => {
      const erlangHex = fixture[name]!.hex;
      expect(decodePer(qualified(s), Buffer.from(erlangHex, 'hex'))).toEqual(s.value);
      expect(hex(encodePer(qualified(s), s.value))).toBe(erlangHex);
    },
  );
});

// Erlang compiles the module texts of ../shared/asn1: without them, or without erlc, the live checks skip.
const beamDir = sharedPresent ? ErlangOracle.compiledModules() : undefined;
const live = beamDir ? describe : describe.skip;
if (sharedPresent && !beamDir)
  console.warn('erlc not installed: live Erlang cross-checks skipped (apt-get install erlang-asn1)');

live('Erlang asn1, live', () => {
  let oracle: ErlangOracle;
  beforeAll(() => {
    oracle = ErlangOracle.start(beamDir);
  });
  afterAll(() => oracle.stop());

  it('encodes each sample exactly as the committed fixture says (the fixture is not stale)', async () => {
    for (const s of samples) {
      const term = erlangTerm(typeTable, typeTable.names[qualified(s)]!, s.value);
      expect([s.name, await oracle.ask(`encode ${s.module} ${s.type} ${term}.`)]).toEqual([
        s.name,
        `ok ${fixture[s.name]!.hex}`,
      ]);
    }
  });

  it("decodes confgate's encodings to the same values and re-encodes them to identical bytes", async () => {
    for (const s of samples) {
      const mine = hex(encodePer(qualified(s), s.value));
      const term = erlangTerm(typeTable, typeTable.names[qualified(s)]!, s.value);
      expect([s.name, await oracle.ask(`check ${s.module} ${s.type} ${mine} ${term}.`)]).toEqual([
        s.name,
        `ok true ${mine}`,
      ]);
    }
  });

  it('re-encodes every message of the real capture to the same bytes as confgate does', async () => {
    const messages = captureMessages().filter((m) => m.valid);
    expect(messages.length).toBeGreaterThan(30);
    for (const m of messages) {
      const mine = hex(encodePer(m.type, decodePer(m.type, m.bytes)));
      const [module, type] = m.type.split('.');
      expect([m.frame, await oracle.ask(`reencode ${module} ${type} ${hex(m.bytes)}`)]).toEqual([
        m.frame,
        `ok ${mine}`,
      ]);
    }
  });

  it("decodes a sample of what confgate's listener sends and re-encodes it to identical bytes", async () => {
    const sent = await messagesConfgateSends();
    expect(sent.map((m) => m.name)).toEqual(
      expect.arrayContaining([
        'callProceeding',
        'connect fastStart',
        'connect',
        'releaseComplete',
        'h245 request/terminalCapabilitySet',
        'h245 request/masterSlaveDetermination',
        'h245 response/openLogicalChannelAck',
      ]),
    );
    for (const m of sent) {
      const mine = hex(m.bytes);
      expect([m.name, await oracle.ask(`reencode ${m.module} ${m.type} ${mine}`)]).toEqual([m.name, `ok ${mine}`]);
    }
  }, 60_000);

  it('mutants (truncations, bit flips) that Erlang rejects are rejected by confgate too', async () => {
    const missed: string[] = [];
    let erlangRejected = 0;
    for (const m of mutants()) {
      const reply = await oracle.ask(`decode ${m.module} ${m.type} ${hex(m.bytes)}`);
      if (reply === 'ok') continue;
      erlangRejected++;
      if (!confgateRejects(m)) missed.push(`${m.sample} ${m.how}`);
    }
    expect(erlangRejected).toBeGreaterThan(500);
    expect(missed).toEqual([]);
  }, 120000);

  it('agrees on random values of every generated type', async () => {
    const rnd = seededRandom(20261129);
    let checked = 0;
    const erlangEncoderDefects: string[] = [];
    for (const [name, idx] of Object.entries(typeTable.names)) {
      const [module, type] = [name.slice(0, name.indexOf('.')), name.slice(name.indexOf('.') + 1)];
      for (let k = 0; k < 5; k++) {
        let value: unknown;
        try {
          value = randomValue(typeTable, idx, rnd);
        } catch (e) {
          if (e instanceof Abandon) continue;
          throw e;
        }
        const mine = hex(encodePer(name, value));
        expect(decodePer(name, Buffer.from(mine, 'hex'))).toEqual(value);
        const reply = await oracle.ask(`check ${module} ${type} ${mine} ${erlangTerm(typeTable, idx, value)}.`);
        expect([name, reply.slice(0, 8)]).toEqual([name, 'ok true ']);
        const erlangBytes = reply.slice(8);
        if (erlangBytes !== mine) {
          // Erlang's encoder sometimes emits a truncated encoding of large Setup-UUIE values, which
          // Erlang itself cannot decode; anything else would be a disagreement.
          expect([name, (await oracle.ask(`decode ${module} ${type} ${erlangBytes}`)).slice(0, 5)]).toEqual([
            name,
            'error',
          ]);
          erlangEncoderDefects.push(name);
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(2000);
    expect(erlangEncoderDefects.length).toBeLessThan(checked / 100);
  }, 120000);

  it('rejects the malformed capture frames that confgate rejects', async () => {
    for (const m of captureMessages().filter((m) => !m.valid)) {
      const [module, type] = m.type.split('.');
      const reply = await oracle.ask(`decode ${module} ${type} ${hex(m.bytes)}`);
      if (m.frame === 65) expect(reply).toMatch(/^error/);
    }
  });
});

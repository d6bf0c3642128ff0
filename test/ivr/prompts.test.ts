import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeG711 } from '../../src/media/codec/g711';
import { assemblePrompts, type Prompt } from '../../src/ivr/prompt-assembler';
import { PROMPT_LANGUAGES, promptCatalog } from '../../src/ivr/prompt-catalog';
import { PromptLibrary, PromptLibraryError } from '../../src/ivr/prompt-library';
import { promptManifestSchema } from '../../src/ivr/prompt-manifest';

const promptsDir = join(__dirname, '..', '..', 'prompts');
const manifest = promptManifestSchema.parse(JSON.parse(readFileSync(join(promptsDir, 'manifest.json'), 'utf8')));

/** Every prompt the IVR can ask for: each phrase, and "not open" at every minute of the day, today or not. */
function everyPrompt(): Prompt[] {
  const french = promptCatalog('fr');
  // Phrases exist in both languages; the numbers and the not-open sentence are reached through the times below.
  const prompts = [...promptCatalog('en').keys()].filter(
    (id) => french.has(id) && !id.startsWith('number-') && !['not-open', 'starts-at', 'not-today'].includes(id),
  ) as Prompt[];
  for (let hour = 0; hour < 24; hour++) {
    for (let minute = 0; minute < 60; minute++) {
      prompts.push({ kind: 'not-open', start: { hour, minute, today: true } });
    }
  }
  prompts.push({ kind: 'not-open', start: { hour: 0, minute: 0, today: false } });
  return prompts;
}

describe('generated prompts', () => {
  it.each(PROMPT_LANGUAGES)('has a clip in the manifest for every clip id the assembler emits (%s)', (language) => {
    const emitted = new Set(assemblePrompts(everyPrompt(), language));
    const missing = [...emitted].filter((id) => !manifest.clips[language][id]);
    expect(missing).toEqual([]);
    // Sanity: the enumeration reaches numbers, time words and phrases alike.
    expect(emitted).toContain('number-59');
    expect(emitted).toContain(language === 'en' ? 'oclock' : 'heures');
    expect(emitted).toContain('too-many-attempts');
  });

  it.each(PROMPT_LANGUAGES)('matches the catalog text for text, with no clip left over (%s)', (language) => {
    const catalog = Object.fromEntries(promptCatalog(language));
    const recorded = Object.fromEntries(
      Object.entries(manifest.clips[language]).map(([id, entry]) => [id, entry.text]),
    );
    expect(recorded).toEqual(catalog);
  });

  it.each(PROMPT_LANGUAGES)('decodes every file to speech of the stated duration (%s)', (language) => {
    const problems: string[] = [];
    for (const [id, entry] of Object.entries(manifest.clips[language])) {
      const bytes = readFileSync(join(promptsDir, entry.file));
      if (bytes.length !== entry.durationMs * 8)
        problems.push(`${id}: ${bytes.length} bytes for ${entry.durationMs} ms`);
      if (createHash('sha256').update(bytes).digest('hex') !== entry.sha256) problems.push(`${id}: hash differs`);
      const samples = decodeG711('PCMU', bytes);
      let energy = 0;
      let peak = 0;
      for (let i = 0; i < samples.length; i++) {
        const s = samples[i]!;
        energy += s * s;
        if (s > peak) peak = s;
        else if (-s > peak) peak = -s;
      }
      const rms = Math.sqrt(energy / samples.length);
      // Normalised to -3 dBFS by the generator: a silent or truncated file falls far below these.
      if (peak < 16000 || rms < 1000) problems.push(`${id}: too quiet (peak ${peak}, rms ${Math.round(rms)})`);
      if (entry.durationMs < 200) problems.push(`${id}: only ${entry.durationMs} ms`);
    }
    expect(problems).toEqual([]);
  });
});

describe('PromptLibrary', () => {
  it('loads every clip, decoded to 8 kHz linear samples', () => {
    const library = PromptLibrary.load(promptsDir);
    const clip = library.get('fr', 'welcome');
    expect(clip.pcm.length).toBe(clip.durationMs * 8);
    expect(clip.pcm).toEqual(decodeG711('PCMU', readFileSync(join(promptsDir, 'fr', 'welcome.ul'))));
    expect(library.resolve('en', ['number-10', 'oclock']).map((c) => c.id)).toEqual(['number-10', 'oclock']);
    expect(() => library.get('fr', 'oclock')).toThrow(PromptLibraryError);
  });

  describe('refuses stale or damaged prompts at start-up', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'confgate-prompts-test-'));
      cpSync(promptsDir, dir, { recursive: true });
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('a missing manifest', () => {
      rmSync(join(dir, 'manifest.json'));
      expect(() => PromptLibrary.load(dir)).toThrow(/cannot read .*manifest.json/);
    });

    it('a clip missing from the manifest', () => {
      const edited = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
      delete edited.clips.fr.goodbye;
      writeFileSync(join(dir, 'manifest.json'), JSON.stringify(edited));
      expect(() => PromptLibrary.load(dir)).toThrow('prompt fr/goodbye is missing from the manifest');
    });

    it('a missing file', () => {
      rmSync(join(dir, 'en', 'goodbye.ul'));
      expect(() => PromptLibrary.load(dir)).toThrow(/cannot read prompt en\/goodbye.ul/);
    });

    it('a truncated file', () => {
      const file = join(dir, 'en', 'welcome.ul');
      writeFileSync(file, readFileSync(file).subarray(0, 1600));
      expect(() => PromptLibrary.load(dir)).toThrow(/prompt en\/welcome.ul has 1600 bytes/);
    });

    it('a file replaced without regenerating the manifest', () => {
      const file = join(dir, 'en', 'welcome.ul');
      writeFileSync(file, Buffer.alloc(readFileSync(file).length, 0x7f));
      expect(() => PromptLibrary.load(dir)).toThrow('prompt en/welcome.ul does not match its manifest hash');
    });

    it('an invalid manifest', () => {
      writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ format: { encoding: 'L16' } }));
      expect(() => PromptLibrary.load(dir)).toThrow(/invalid prompt manifest/);
    });
  });
});

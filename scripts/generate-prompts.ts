/**
 * Generates every IVR prompt clip from `src/ivr/prompt-catalog.ts` with espeak-ng and sox into
 * 8 kHz mono G.711 μ-law raw files (`prompts/{en,fr}/<id>.ul`) and `prompts/manifest.json`.
 * Run with `npm run prompts:generate`; the output is committed so the product needs no speech
 * engine at run time. Same tool versions, same bytes: sox runs without dither (`-D`) and with
 * its repeatable random seed (`-R`).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Language } from '../src/booking/booking';
import { PROMPT_LANGUAGES, promptCatalog } from '../src/ivr/prompt-catalog';
import { PROMPT_MANIFEST_FILE, type PromptManifest } from '../src/ivr/prompt-manifest';
import { G711_SILENCE, SAMPLES_PER_20MS } from '../src/media/codec/g711';

const VOICES: Record<Language, string> = { en: 'en-gb', fr: 'fr-fr' };
/** Words per minute: a little slower than espeak-ng's 175 for telephone-band intelligibility. */
const SPEED = 150;

function toolVersion(command: string, args: string[]): string {
  return execFileSync(command, args, { encoding: 'utf8' }).trim().split('\n')[0]!;
}

function synthesize(language: Language, text: string, workDir: string): Buffer {
  const wav = join(workDir, 'speech.wav');
  const raw = join(workDir, 'speech.ul');
  execFileSync('espeak-ng', ['-v', VOICES[language], '-s', String(SPEED), '-w', wav, '--', text]);
  // Trim leading/trailing silence, normalise to -3 dBFS, leave 60 ms of tail so assembled words do not run together.
  execFileSync('sox', [
    '-D',
    '-R',
    wav,
    '-t',
    'raw',
    '-e',
    'u-law',
    '-b',
    '8',
    '-r',
    '8000',
    '-c',
    '1',
    raw,
    'silence',
    '1',
    '0.02',
    '0.5%',
    'reverse',
    'silence',
    '1',
    '0.02',
    '0.5%',
    'reverse',
    'norm',
    '-3',
    'pad',
    '0',
    '0.06',
  ]);
  const audio = readFileSync(raw);
  // Whole 20 ms frames (one byte per sample), so a clip maps to whole RTP packets.
  const padded = Buffer.alloc(Math.ceil(audio.length / SAMPLES_PER_20MS) * SAMPLES_PER_20MS, G711_SILENCE.PCMU);
  audio.copy(padded);
  return padded;
}

function main(): void {
  // Run from the repository's root by scripts/generate-prompts.sh.
  const promptsDir = join(process.cwd(), 'prompts');
  const workDir = mkdtempSync(join(tmpdir(), 'confgate-prompts-'));
  const manifest: PromptManifest = {
    format: { encoding: 'PCMU', sampleRate: 8000, channels: 1 },
    generator: {
      espeakNg: toolVersion('espeak-ng', ['--version']),
      sox: toolVersion('sox', ['--version']),
      speed: SPEED,
      voices: VOICES,
    },
    clips: { en: {}, fr: {} },
  };
  try {
    for (const language of PROMPT_LANGUAGES) {
      const dir = join(promptsDir, language);
      mkdirSync(dir, { recursive: true });
      for (const stale of readdirSync(dir)) unlinkSync(join(dir, stale));
      for (const [id, text] of promptCatalog(language)) {
        const audio = synthesize(language, text, workDir);
        const file = `${language}/${id}.ul`;
        writeFileSync(join(promptsDir, file), audio);
        manifest.clips[language][id] = {
          file,
          durationMs: audio.length / 8,
          text,
          sha256: createHash('sha256').update(audio).digest('hex'),
        };
      }
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  writeFileSync(join(promptsDir, PROMPT_MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  const count = PROMPT_LANGUAGES.reduce((n, l) => n + Object.keys(manifest.clips[l]).length, 0);
  process.stdout.write(`prompts: ${count} clips written to ${promptsDir}\n`);
}

main();

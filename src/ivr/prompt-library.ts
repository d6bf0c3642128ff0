import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Language } from '../booking/booking';
import { decodeG711, SAMPLES_PER_20MS } from '../media/codec/g711';
import { PROMPT_LANGUAGES, promptCatalog, type ClipId } from './prompt-catalog';
import { PROMPT_MANIFEST_FILE, promptManifestSchema } from './prompt-manifest';

/** One prompt clip held in memory, decoded once, ready for the call's playout to encode in the negotiated law. */
export interface PromptClip {
  id: ClipId;
  language: Language;
  durationMs: number;
  /** 8 kHz 16-bit linear samples, decoded from the generated G.711 μ-law file. */
  pcm: Int16Array;
}

/** The prompts are missing, damaged or older than the catalog: regenerate them (docs/ivr.md). */
export class PromptLibraryError extends Error {
  override readonly name = 'PromptLibraryError';
}

/** Every prompt clip of every language, loaded once at start-up so a call never touches the disk. */
export class PromptLibrary {
  private constructor(private readonly clips: ReadonlyMap<string, PromptClip>) {}

  /**
   * Reads `manifest.json` and every clip the catalog defines from `dir`, checking each file's
   * size and hash against the manifest. Throws {@link PromptLibraryError} naming what is wrong,
   * so a deployment with stale prompts fails at start-up rather than in a caller's ear.
   */
  static load(dir: string): PromptLibrary {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(join(dir, PROMPT_MANIFEST_FILE), 'utf8'));
    } catch (e) {
      throw new PromptLibraryError(`cannot read ${join(dir, PROMPT_MANIFEST_FILE)}: ${(e as Error).message}`);
    }
    const parsed = promptManifestSchema.safeParse(raw);
    if (!parsed.success) throw new PromptLibraryError(`invalid prompt manifest: ${parsed.error.message}`);
    const clips = new Map<string, PromptClip>();
    for (const language of PROMPT_LANGUAGES) {
      for (const id of promptCatalog(language).keys()) {
        const entry = parsed.data.clips[language][id];
        if (!entry) throw new PromptLibraryError(`prompt ${language}/${id} is missing from the manifest`);
        let pcmu: Buffer;
        try {
          pcmu = readFileSync(join(dir, entry.file));
        } catch (e) {
          throw new PromptLibraryError(`cannot read prompt ${entry.file}: ${(e as Error).message}`);
        }
        if (pcmu.length !== entry.durationMs * 8 || pcmu.length % SAMPLES_PER_20MS !== 0) {
          throw new PromptLibraryError(
            `prompt ${entry.file} has ${pcmu.length} bytes, the manifest says ${entry.durationMs} ms`,
          );
        }
        if (createHash('sha256').update(pcmu).digest('hex') !== entry.sha256) {
          throw new PromptLibraryError(`prompt ${entry.file} does not match its manifest hash`);
        }
        clips.set(key(language, id), { id, language, durationMs: entry.durationMs, pcm: decodeG711('PCMU', pcmu) });
      }
    }
    return new PromptLibrary(clips);
  }

  /** The clip `id` in `language`; every id of the catalog is present once `load` succeeded. */
  get(language: Language, id: ClipId): PromptClip {
    const clip = this.clips.get(key(language, id));
    if (!clip) throw new PromptLibraryError(`prompt ${language}/${id} is not in the catalog`);
    return clip;
  }

  /** The clips of a prompt list, in order. */
  resolve(language: Language, ids: readonly ClipId[]): PromptClip[] {
    return ids.map((id) => this.get(language, id));
  }
}

function key(language: Language, id: ClipId): string {
  return `${language}/${id}`;
}

import { z } from 'zod';

/** File name of the manifest inside the prompts directory. */
export const PROMPT_MANIFEST_FILE = 'manifest.json';

const clipEntrySchema = z
  .object({
    /** Path relative to the prompts directory. */
    file: z.string().regex(/^(en|fr)\/[a-z0-9-]+\.ul$/, 'must be <language>/<clip id>.ul'),
    durationMs: z.number().int().positive(),
    /** The text spoken, as the catalog had it when the clip was generated. */
    text: z.string().min(1),
    /** SHA-256 of the file, hex: a file replaced without regenerating the manifest is detected. */
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .strict();

/** `prompts/manifest.json`, written by `scripts/generate-prompts.ts`. */
export const promptManifestSchema = z
  .object({
    format: z.object({ encoding: z.literal('PCMU'), sampleRate: z.literal(8000), channels: z.literal(1) }).strict(),
    generator: z.record(z.string(), z.unknown()),
    clips: z.object({ en: z.record(z.string(), clipEntrySchema), fr: z.record(z.string(), clipEntrySchema) }).strict(),
  })
  .strict();

export type PromptManifest = z.infer<typeof promptManifestSchema>;

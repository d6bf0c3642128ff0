import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const PackageJson = z.object({ version: z.string().min(1) });

let cached: string | undefined;

/**
 * The product token confgate puts in `Server` (RFC 3261 §20.35) and `User-Agent` (§20.41):
 * `confgate/<version>`, the version read once from package.json (two folders up from both
 * `src/sip/message` and `dist/sip/message`).
 */
export function serverHeaderValue(): string {
  if (cached === undefined) {
    const raw: unknown = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));
    cached = 'confgate/' + PackageJson.parse(raw).version;
  }
  return cached;
}

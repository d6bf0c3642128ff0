/**
 * `npm run asn1:generate`: regenerates `src/h323/generated/` from the ITU ASN.1 modules in
 * `../shared/asn1/` (relative to the repository root).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseModule } from './asn1-parser';
import { generate, type GeneratedFiles } from './table-generator';

export const repoRoot = join(__dirname, '..', '..');
export const asn1Dir = join(repoRoot, '..', 'shared', 'asn1');
export const generatedDir = join(repoRoot, 'src', 'h323', 'generated');

/** The three roots of H.323's wire messages (H.225.0 §7, H.245 Annex A). */
export const ROOTS = [
  'H323-MESSAGES.H323-UserInformation',
  'H323-MESSAGES.RasMessage',
  'MULTIMEDIA-SYSTEM-CONTROL.MultimediaSystemControlMessage',
];

/** Parses the module files and returns the generated file contents by file name. */
export function generateFromShared(): GeneratedFiles {
  const modules = ['h225.asn', 'h235.asn', 'h245.asn'].map((f) => parseModule(readFileSync(join(asn1Dir, f), 'utf8')));
  return generate(modules, ROOTS).files;
}

if (require.main === module) {
  mkdirSync(generatedDir, { recursive: true });
  for (const [name, text] of Object.entries(generateFromShared())) {
    writeFileSync(join(generatedDir, name), text);
    console.log(`wrote src/h323/generated/${name} (${text.length} bytes)`);
  }
}

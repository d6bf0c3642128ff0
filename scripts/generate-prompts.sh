#!/bin/sh
# Regenerates prompts/ (IVR clips and manifest) from src/ivr/prompt-catalog.ts: see docs/ivr.md.
set -eu
cd "$(dirname "$0")/.."
for tool in espeak-ng sox; do
  command -v "$tool" >/dev/null || { echo "generate-prompts: $tool is missing (apt-get install $tool)" >&2; exit 1; }
done
out=.cache/prompt-generator
rm -rf "$out"
npx tsc --outDir "$out" --rootDir . --module node16 --moduleResolution node16 --target ES2022 --strict \
  --skipLibCheck --types node scripts/generate-prompts.ts
node "$out/scripts/generate-prompts.js"

#!/bin/sh
# `npm run lint` (and a step of `npm test`): ESLint with type-aware rules, Prettier in check mode,
# dependency-cruiser's import rules (.dependency-cruiser.cjs), cycles between the top-level folders of
# src/, and the module graph's freshness. Every step runs, so one run lists every kind of failure.
set -u
cd "$(dirname "$0")/.."
failed=""
step() {
  name=$1
  shift
  echo "confgate: lint: $name" >&2
  "$@" || failed="$failed $name"
}
step eslint npx eslint --max-warnings 0 .
step prettier npx prettier --check --log-level warn .
step import-rules npx depcruise --config .dependency-cruiser.cjs --output-type err src test bench scripts
step folder-cycles node -r ./scripts/asn1/swc-register.js scripts/deps/check-folder-cycles.ts
step module-graph sh scripts/module-graph.sh --check
if [ -n "$failed" ]; then
  echo "confgate: lint failed:$failed" >&2
  exit 1
fi

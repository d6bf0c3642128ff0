#!/bin/sh
# The README's test command: sets up what is missing, type-checks, runs jest, prints one summary line.
set -u
cd "$(dirname "$0")/.."
sh scripts/ensure-deps.sh --debian || exit 1
mkdir -p .cache
echo "confgate: type-checking" >&2
npx tsc --noEmit -p tsconfig.json || { echo "tests: 0 passed, 1 failed"; exit 1; }
sh scripts/build-web.sh || { echo "tests: 0 passed, 1 failed"; exit 1; }
npx jest --ci --forceExit --json --outputFile=.cache/jest-results.json "$@"
status=$?
node -e '
  const r = require("./.cache/jest-results.json");
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests + r.numRuntimeErrorTestSuites} failed`);
' || echo "tests: 0 passed, 1 failed"
exit $status

#!/bin/sh
# The README's test command: sets up what is missing, type-checks, lints, runs jest, prints one summary
# line: `tests: N passed, N failed, N skipped` (.ci/run greps for it).
set -u
cd "$(dirname "$0")/.."
sh scripts/ensure-deps.sh --debian || exit 1
mkdir -p .cache
results=.cache/jest-results.json
# A run that crashes before jest writes its results must not print the previous run's numbers.
rm -f "$results"
failed() {
  echo "tests: 0 passed, 1 failed, 0 skipped"
  exit 1
}
echo "confgate: type-checking" >&2
npx tsc --noEmit -p tsconfig.json || failed
echo "confgate: linting" >&2
sh scripts/lint.sh || failed
sh scripts/build-web.sh || failed
npx jest --ci --json --outputFile="$results" "$@"
status=$?
# Suites that fail to run count as failed; jest's pending (skip) and todo tests count as skipped.
node -e '
  const r = require(process.argv[1]);
  const failed = r.numFailedTests + r.numRuntimeErrorTestSuites;
  console.log(`tests: ${r.numPassedTests} passed, ${failed} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
' "./$results" || failed
exit $status

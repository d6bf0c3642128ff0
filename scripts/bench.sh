#!/bin/sh
# `npm run bench`: runs every benchmark in turn; each writes its own section of docs/benchmarks.md.
# Benchmarks send traffic to loopback only and are bounded in count and time. Run one with
# `npm run bench:NAME`; BENCH_ONLY="sip ivr" limits this script to those. The 30-minute soak
# (bench:soak) runs only when named: BENCH_ONLY=soak npm run bench.
set -u
cd "$(dirname "$0")/.."
sh scripts/ensure-deps.sh --debian || exit 1
status=0
for name in ${BENCH_ONLY:-sip-parse sip ivr admission booking dialin live h323 fuzz}; do
  echo "== bench:$name" >&2
  npm run --silent "bench:$name" || { echo "bench:$name failed" >&2; status=1; }
done
echo "report: docs/benchmarks.md" >&2
exit $status

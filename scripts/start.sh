#!/bin/sh
# The README's run command: installs npm packages if missing, builds, starts confgate.
set -eu
cd "$(dirname "$0")/.."
sh scripts/ensure-deps.sh
npx tsc -p tsconfig.build.json
sh scripts/build-web.sh
exec node dist/main.js "$@"

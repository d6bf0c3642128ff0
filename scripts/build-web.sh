#!/bin/sh
# Builds the browser pages into dist/web: web/src/*.ts → ES modules with the pinned tsc (no bundler),
# web/static/*.html beside them, CSS under assets/. `--if-stale` skips the build when nothing in web/
# changed since the last one (tests call it under a lock so parallel workers build once).
set -eu
cd "$(dirname "$0")/.."
stamp=dist/web/.built
if [ "${1:-}" = "--if-stale" ] && [ -f "$stamp" ] && [ -z "$(find web scripts/build-web.sh -newer "$stamp" -print -quit)" ]; then
  exit 0
fi
mkdir -p dist
stage=$(mktemp -d dist/.web-build.XXXXXX)
trap 'rm -rf "$stage"' EXIT
npx tsc -p web/tsconfig.json --outDir "$stage/assets"
cp web/static/*.html "$stage/"
cp web/static/*.css "$stage/assets/"
# The admin dashboard (web/admin, docs/live.md): served at /admin from admin/index.html.
npx tsc -p web/admin/tsconfig.json --outDir "$stage/assets/admin"
mkdir -p "$stage/admin"
cp web/admin/*.html "$stage/admin/"
cp web/admin/*.css "$stage/assets/admin/"
touch "$stage/.built"
rm -rf dist/web
mv "$stage" dist/web

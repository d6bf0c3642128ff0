#!/bin/sh
# Installs what is missing: npm packages and the native RTP I/O addon always; Debian packages the tests
# (and the addon's build) use when run as root.
# Usage: ensure-deps.sh [--debian]
set -eu
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--debian" ]; then
  missing=""
  while read -r bin pkg; do
    case "$bin" in ''|'#'*) continue ;; esac
    command -v "$bin" >/dev/null 2>&1 || missing="$missing $pkg"
  done <<PACKAGES
$(cat scripts/test-packages.txt)
# What node-gyp needs to build the native RTP I/O addon (below).
g++ g++
make make
python3 python3
PACKAGES
  # erlang-asn1 alone lacks the compiler front end on some releases.
  case "$missing" in *erlang-asn1*) missing="$missing erlang-dev" ;; esac
  if [ -n "$missing" ]; then
    if [ "$(id -u)" = 0 ]; then
      echo "confgate: installing Debian packages:$missing" >&2
      export DEBIAN_FRONTEND=noninteractive
      echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections 2>/dev/null || true
      apt-get update -qq
      apt-get install -y -qq --no-install-recommends $missing >/dev/null
    else
      echo "confgate: missing Debian packages:$missing (run as root, or: sudo apt-get install -y$missing)" >&2
    fi
  fi
fi
stamp=node_modules/.confgate-lock
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  echo "confgate: installing npm packages (npm ci)" >&2
  npm ci --no-audit --no-fund >&2
  cp package-lock.json "$stamp"
fi

# The native RTP I/O addon (native/rtp-io, docs/media.md): built with the node-gyp bundled with npm
# against the running Node's own headers (never downloaded); rebuilt only when its sources or Node
# change. Without it (no compiler) confgate still runs, on the slower dgram backend, and says so.
rtp_io=native/rtp-io
rtp_io_hash=$( (node -v; cat "$rtp_io/binding.gyp" "$rtp_io"/src/*) | sha256sum | cut -d' ' -f1)
if [ ! -f "$rtp_io/build/Release/rtp_io.node" ] || [ "$(cat "$rtp_io/build/.confgate-source" 2>/dev/null)" != "$rtp_io_hash" ]; then
  echo "confgate: building the native RTP I/O addon ($rtp_io)" >&2
  node_gyp="$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")/node_modules/node-gyp/bin/node-gyp.js"
  node_dir=$(npm config get nodedir 2>/dev/null || true)
  case "$node_dir" in ''|undefined|null) node_dir=$(dirname "$(dirname "$(readlink -f "$(command -v node)")")") ;; esac
  if [ -f "$node_gyp" ] && [ -f "$node_dir/include/node/node_api.h" ] &&
    (cd "$rtp_io" && node "$node_gyp" rebuild --nodedir="$node_dir" --loglevel=warn) >&2; then
    echo "$rtp_io_hash" > "$rtp_io/build/.confgate-source"
  else
    echo "confgate: WARNING: the native RTP I/O addon could not be built (node-gyp at $node_gyp, Node headers in $node_dir/include/node); RTP falls back to dgram" >&2
  fi
fi

# H323Plus (../shared/h323-client, its README), the real H.323 peer of the H.323 tests: built once into a
# cache, about 6 minutes on 2 cores. As root it starts here in the background, so type-checking, linting
# and the other tests run meanwhile; test/support/h323plus.ts waits for it on the same lock (and builds it
# itself where this did not run). build.sh installs its own Debian build packages.
h323_client=../shared/h323-client
if [ "${1:-}" = "--debian" ] && [ -f "$h323_client/build.sh" ] && [ "$(id -u)" = 0 ]; then
  h323_prefix=${CONFGATE_H323CLIENT_PREFIX:-/opt/h323client}
  h323_hash=$(sha256sum "$h323_client/h323client.cxx" | cut -c1-16)
  if ! grep -q "$h323_hash" "$h323_prefix/BUILDINFO" 2>/dev/null || [ ! -x "$h323_prefix/bin/h323client" ]; then
    echo "confgate: building H323Plus's h323client in the background (log: .cache/h323client-build.log)" >&2
    mkdir -p .cache
    # Checked again under the lock: a build already running may produce it.
    PREFIX=$h323_prefix BUILD_DIR=${CONFGATE_H323CLIENT_BUILD_DIR:-/tmp/h323build} nohup flock /tmp/h323build.lock \
      sh -c 'grep -q "$1" "$PREFIX/BUILDINFO" 2>/dev/null && [ -x "$PREFIX/bin/h323client" ] || nice "$2/build.sh"' \
      h323plus-build "$h323_hash" "$h323_client" >.cache/h323client-build.log 2>&1 </dev/null &
  fi
fi

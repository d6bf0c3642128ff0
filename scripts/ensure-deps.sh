#!/bin/sh
# Installs what is missing: npm packages always; Debian packages the tests use when run as root.
# Usage: ensure-deps.sh [--debian]
set -eu
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--debian" ]; then
  missing=""
  while read -r bin pkg; do
    case "$bin" in ''|'#'*) continue ;; esac
    command -v "$bin" >/dev/null 2>&1 || missing="$missing $pkg"
  done < scripts/test-packages.txt
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

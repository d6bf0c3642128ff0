#!/bin/sh
# Compiles the H.323 ASN.1 modules with Erlang/OTP's asn1 compiler (aligned PER, values as maps) into
# .cache/asn1-erlang/<hash of the module texts>/ and prints that directory. A compiled cache is reused,
# so the ~1 min, ~600 MB compile happens once per checkout (CI: once per run). Concurrent callers wait
# on a lock instead of compiling twice. Exits 3 when erlc is not installed.
set -eu
root="$(cd "$(dirname "$0")/../../.." && pwd)"
asn1="$root/../shared/asn1"
command -v erlc >/dev/null 2>&1 || { echo "erlc not installed" >&2; exit 3; }
hash="$(cat "$asn1/h225.asn" "$asn1/h235.asn" "$asn1/h245.asn" "$0" | sha256sum | cut -c1-16)"
out="$root/.cache/asn1-erlang/$hash"
mkdir -p "$root/.cache/asn1-erlang"
exec 9>"$root/.cache/asn1-erlang/.lock"
flock 9
if [ ! -f "$out/H323-MESSAGES.beam" ]; then
  tmp="$out.tmp.$$"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  cp "$asn1/h225.asn" "$tmp/H323-MESSAGES.asn"
  cp "$asn1/h235.asn" "$tmp/H235-SECURITY-MESSAGES.asn"
  cp "$asn1/h245.asn" "$tmp/MULTIMEDIA-SYSTEM-CONTROL.asn"
  (cd "$tmp" && nice erlc -bper +maps MULTIMEDIA-SYSTEM-CONTROL.asn H235-SECURITY-MESSAGES.asn H323-MESSAGES.asn >&2)
  rm -f "$tmp"/*.erl "$tmp"/*.hrl "$tmp"/*.asn1db
  rm -rf "$out"
  mv "$tmp" "$out"
fi
echo "$out"

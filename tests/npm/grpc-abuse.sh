#!/usr/bin/env bash
# Starts `tracelight serve` with OTLP/gRPC on a free port and runs grpc-abuse.mjs (Node's built-in http2) against it.
# Usage: grpc-abuse.sh TRACELIGHT_BINARY
set -euo pipefail
tracelight=$1
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
pid=
trap '[[ -n $pid ]] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
"$tracelight" serve --db "$work/cache.sqlite" --listen 127.0.0.1:0 --grpc-listen 127.0.0.1:0 >"$work/log" 2>&1 &
pid=$!
port=
for _ in $(seq 100); do
    port=$(sed -n 's|.*listening for OTLP/gRPC on 127\.0\.0\.1:\([0-9]*\).*|\1|p' "$work/log")
    [[ -n $port ]] && break
    sleep 0.1
done
[[ -n $port ]] || { echo "FAIL: serve did not start"; cat "$work/log"; exit 1; }
node "$here/grpc-abuse.mjs" "$port"

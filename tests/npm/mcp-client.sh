#!/usr/bin/env bash
# The real MCP client of @modelcontextprotocol/sdk (pinned) against `tracelight mcp` on a cache filled from the corpus
# and a fixture (mcp-fixture.mjs); then the cache must be byte for byte as it was: the server only reads.
# Usage: mcp-client.sh TRACELIGHT_BINARY CORPUS_DIR. Exits 77 (CTest SKIP_RETURN_CODE) when npm cannot be reached.
set -euo pipefail
tracelight=$1
corpus=$2
source "$(dirname "$0")/common.sh"
cp "$here/mcp-client.mjs" "$here/mcp-fixture.mjs" "$work/"
npm_install @modelcontextprotocol/sdk@1.32.2

db="$work/cache.sqlite"
node "$work/mcp-fixture.mjs" "$work"
"$tracelight" import --db "$db" "$corpus/langfuse" "$corpus/coding-agents" "$work/refund-agent.json" \
    "$work/refund-agent-v2.json" >"$work/import.log" 2>&1 || { cat "$work/import.log"; exit 1; }
# The command line reads a copy, so that the bytes of the server's cache show what the server alone did.
cp "$db" "$work/cli.sqlite"
before=$(sha256sum <"$db")
(cd "$work" && node mcp-client.mjs "$tracelight" "$db" "$work/cli.sqlite" "$corpus")
after=$(sha256sum <"$db")
if [[ $before != "$after" || -s "$db-wal" ]]; then
    echo "FAIL: the cache changed while tracelight mcp served it"
    exit 1
fi
echo "ok the cache is unchanged (the server never writes)"

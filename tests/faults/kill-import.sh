#!/usr/bin/env bash
# SIGKILL at 20 random moments of `tracelight import` of a 20,000-span file, each into a new cache: after each, the
# cache is sound (Debian's sqlite3 says integrity_check ok) and holds either none or all of the file's runs, never a
# part, and importing again completes. The file comes from the project's generator, which says how many runs it wrote.
# Usage: kill-import.sh TRACELIGHT_BINARY GENOTLP_BINARY
set -euo pipefail
tracelight=$1
genotlp=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() {
    echo "FAIL: $*"
    exit 1
}
file=$work/agents.jsonl
generated=$("$genotlp" "$file" 20000 500 7)
runs=$(sed -n 's/.*traces=\([0-9]*\).*/\1/p' <<<"$generated")
[[ -n $runs && $runs -gt 0 ]] || fail "genotlp said: $generated"
count() { "$tracelight" list --db "$db" --json | jq length; }

# A first import, timed, so that the kills fall inside one.
start=$(date +%s%N)
"$tracelight" import --db "$work/timing.sqlite" "$file" >/dev/null 2>&1
took_ms=$((($(date +%s%N) - start) / 1000000))
echo "a whole import takes ${took_ms} ms ($runs runs)"

RANDOM=20261208
complete=0
for round in $(seq 20); do
    # A new cache each round, so that every kill falls in an import of its own.
    db=$work/cache-$round.sqlite
    delay_ms=$((RANDOM % (took_ms + 200) + 20))
    "$tracelight" import --db "$db" "$file" >/dev/null 2>&1 &
    pid=$!
    sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    [[ -e $db ]] || continue # killed before the cache was made
    result=$(sqlite3 "$db" "PRAGMA integrity_check")
    [[ $result == ok ]] || fail "round $round (killed after ${delay_ms} ms): integrity_check: $result"
    have=$(count)
    [[ $have == 0 || $have == "$runs" ]] || fail "round $round (killed after ${delay_ms} ms): $have of $runs runs"
    [[ $have == "$runs" ]] && complete=$((complete + 1))
    echo "round $round: killed after ${delay_ms} ms: integrity ok, $have of $runs runs"
    # The import is run again on what the kill left, and completes.
    again=$("$tracelight" import --db "$db" "$file" 2>&1) || fail "round $round: importing again after the kill: $again"
    [[ $(count) == "$runs" ]] || fail "round $round: after importing again: $(count) of $runs runs"
    rm -f "$db" "$db-wal" "$db-shm"
done
db=$work/cache.sqlite
last=$("$tracelight" import --db "$db" "$file" 2>&1) || fail "the last import: $last"
[[ $(count) == "$runs" ]] || fail "after the last import: $(count) of $runs runs"
[[ $(sqlite3 "$db" "PRAGMA integrity_check") == ok ]] || fail "integrity after the last import"
echo "ok: 20 kills, the file there whole or not at all each time (whole after $complete of them), then imported"

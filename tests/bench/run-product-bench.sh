#!/usr/bin/env bash
# Product-format import benchmark: generates BENCH_SPANS (default 100000) LangSmith runs with genlangsmith and as many
# OTLP JSON Lines spans with genotlp (records of about the same size), imports each into a fresh cache with
# `tracelight import`, and compares throughput per MB. Target: LangSmith no more than 2x slower per MB than OTLP JSON.
#
#   run-product-bench.sh GENOTLP GENLANGSMITH TRACELIGHT WORK_DIR
#
# Exits non-zero only when something fails or a count is wrong; the target is reported as PASS/MISS. Generated files
# are deleted on exit.
set -euo pipefail

if [ $# -ne 4 ]; then
    echo "usage: $0 GENOTLP GENLANGSMITH TRACELIGHT WORK_DIR" >&2
    exit 2
fi
genotlp=$1
genlangsmith=$2
tracelight=$3
work=$4/product-bench-work
spans=${BENCH_SPANS:-100000}

command -v jq >/dev/null 2>&1 || { echo "jq is needed (apt-get install jq)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "GNU time is needed (apt-get install time)" >&2; exit 2; }

cleanup() { rm -rf "$work"; }
trap cleanup EXIT
cleanup
mkdir -p "$work"

seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'; }
max_rss_mb() { awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 * 1024 / 1e6 }' "$1"; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1e6 }'; }

# import NAME FILE → sets <NAME>_s, <NAME>_rss, <NAME>_spans
import() {
    local name=$1 file=$2 db=$work/$1.sqlite t0 t1
    t0=$(date +%s%N)
    /usr/bin/time -v -o "$work/$name.time" "$tracelight" import --db "$db" "$file" >"$work/$name.out"
    t1=$(date +%s%N)
    printf -v "${name}_s" '%s' "$(seconds "$t0" "$t1")"
    printf -v "${name}_rss" '%s' "$(max_rss_mb "$work/$name.time")"
    printf -v "${name}_spans" '%s' "$("$tracelight" list --db "$db" --json | jq '[.[].spans] | add // 0')"
    printf -v "${name}_line" '%s' "$(cat "$work/$name.out")"
}

echo "generating $spans LangSmith runs and $spans OTLP spans …"
ls_gen=$("$genlangsmith" "$work/runs.jsonl" "$spans")
otlp_gen=$("$genotlp" "$work/spans.jsonl" "$spans")
ls_bytes=$(stat -c %s "$work/runs.jsonl")
otlp_bytes=$(stat -c %s "$work/spans.jsonl")

echo "importing OTLP JSON …"
import otlp "$work/spans.jsonl"
echo "importing LangSmith …"
import langsmith "$work/runs.jsonl"

otlp_mbs=$(awk -v b="$otlp_bytes" -v s="$otlp_s" 'BEGIN { printf "%.1f", b / 1e6 / s }')
ls_mbs=$(awk -v b="$ls_bytes" -v s="$langsmith_s" 'BEGIN { printf "%.1f", b / 1e6 / s }')
ratio=$(awk -v a="$otlp_mbs" -v b="$ls_mbs" 'BEGIN { printf "%.2f", a / b }')
verdict=$(awk -v r="$ratio" 'BEGIN { print (r <= 2.0 ? "PASS" : "MISS") }')
count=PASS
[ "$langsmith_spans" -eq "$spans" ] || count=FAIL
[ "$otlp_spans" -eq "$spans" ] || count=FAIL

cat <<SUMMARY

================ Tracelight product-format import benchmark ================
genlangsmith : $ls_gen ($(mb "$ls_bytes") MB)
genotlp      : $otlp_gen ($(mb "$otlp_bytes") MB)
OTLP JSON    : ${otlp_s} s, ${otlp_mbs} MB/s, peak RSS ${otlp_rss} MB; ${otlp_line}
LangSmith    : ${langsmith_s} s, ${ls_mbs} MB/s, peak RSS ${langsmith_rss} MB; ${langsmith_line}
per MB       : LangSmith takes ${ratio}x the time of OTLP JSON
---------------------------------------------------------------------------
[$verdict] LangSmith no more than 2x slower per MB than OTLP JSON (${ratio}x)
[$count] caches hold every record: ${langsmith_spans} runs, ${otlp_spans} spans of ${spans}
===========================================================================
(MB = 10^6 bytes)
SUMMARY

[ "$count" = PASS ]

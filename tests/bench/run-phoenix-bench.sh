#!/usr/bin/env bash
# Phoenix JSON Lines import benchmark: generates the same BENCH_SPANS (default 100000) synthetic spans twice with
# genotlp, as OTLP JSON Lines and as Phoenix span JSON Lines (`genotlp --phoenix`, same seed, so the files differ
# only in format), imports each into a fresh cache with `tracelight import` (best wall time of BENCH_RUNS, default
# 2), and compares the throughput per MB. It also proves both caches hold the same traces with the same figures.
#
#   run-phoenix-bench.sh GENOTLP TRACELIGHT WORK_DIR
#
# Exits non-zero only when something fails or the two imports disagree; the target (Phoenix no more than 2x slower
# per MB than OTLP JSON) is reported as PASS/MISS. Generated files are deleted on exit.
set -euo pipefail

if [ $# -ne 3 ]; then
    echo "usage: $0 GENOTLP TRACELIGHT WORK_DIR" >&2
    exit 2
fi
genotlp=$1
tracelight=$2
work=$3/phoenix-bench-work
spans=${BENCH_SPANS:-100000}
runs=${BENCH_RUNS:-2}

# shellcheck source=need-pkg.sh
source "$(dirname "$0")/need-pkg.sh"
need_pkg jq jq
[ -x /usr/bin/time ] || need_pkg /usr/bin/time time

cleanup() { rm -rf "$work"; }
trap cleanup EXIT
cleanup
mkdir -p "$work"

now_ns() { date +%s%N; }
max_rss_kib() { awk -F': ' '/Maximum resident set size/ { print $2 }' "$1"; }
cpu_s() { awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$1"; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1e6 }'; }

echo "generating $spans spans as OTLP JSON Lines and as Phoenix JSON Lines …"
"$genotlp" "$work/spans.otlp.jsonl" "$spans" >/dev/null
"$genotlp" --phoenix "$work/spans.phoenix.jsonl" "$spans" >/dev/null

# import NAME FILE: best wall time of $runs fresh imports; sets <NAME>_s, <NAME>_cpu (user + system seconds of that
# run: the work done, which other load on the machine disturbs less than the wall time), <NAME>_rss, <NAME>_bytes,
# <NAME>_line.
import() {
    local name=$1 file=$2 best= cpu= rss= line= i t0 t1 s
    for ((i = 1; i <= runs; i++)); do
        rm -f "$work/$name.sqlite"*
        t0=$(now_ns)
        /usr/bin/time -v -o "$work/$name.time" "$tracelight" import --db "$work/$name.sqlite" "$file" >"$work/$name.out"
        t1=$(now_ns)
        s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
        if [ -z "$best" ] || awk -v a="$s" -v b="$best" 'BEGIN { exit !(a < b) }'; then
            best=$s
            cpu=$(cpu_s "$work/$name.time")
            rss=$(max_rss_kib "$work/$name.time")
            line=$(cat "$work/$name.out")
        fi
    done
    printf -v "${name}_s" '%s' "$best"
    printf -v "${name}_cpu" '%s' "$cpu"
    printf -v "${name}_rss" '%s' "$rss"
    printf -v "${name}_bytes" '%s' "$(stat -c %s "$file")"
    printf -v "${name}_line" '%s' "$line"
}
echo "tracelight import, OTLP JSON ($runs runs) …"
import otlp "$work/spans.otlp.jsonl"
echo "tracelight import, Phoenix JSON Lines ($runs runs) …"
import phoenix "$work/spans.phoenix.jsonl"

# The same spans must give the same traces and figures, whichever format carried them. Phoenix writes times in
# microseconds (and jq reads numbers as doubles), so times are compared to the second.
figures='sort_by(.trace_id) | map({trace_id, spans, llm_calls, tool_calls, input_tokens, output_tokens,
    cache_read_tokens, errors, start_s: (.start_ns / 1e9 | floor), end_s: (.end_ns / 1e9 | floor), agent, session_id,
    user_id})'
"$tracelight" list --db "$work/otlp.sqlite" --json | jq -c "$figures" >"$work/otlp.figures"
"$tracelight" list --db "$work/phoenix.sqlite" --json | jq -c "$figures" >"$work/phoenix.figures"
listed=$(jq '[.[].spans] | add // 0' "$work/phoenix.figures")
if cmp -s "$work/otlp.figures" "$work/phoenix.figures" && [ "$listed" -eq "$spans" ]; then same=PASS; else same=FAIL; fi

rate() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.1f", (s > 0 ? b / 1e6 / s : 0) }'; }
per_mb() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.4f", (b > 0 ? s / (b / 1e6) : 0) }'; }
otlp_rate=$(rate "$otlp_bytes" "$otlp_s")
phoenix_rate=$(rate "$phoenix_bytes" "$phoenix_s")
ratio=$(awk -v p="$(per_mb "$phoenix_bytes" "$phoenix_s")" -v o="$(per_mb "$otlp_bytes" "$otlp_s")" \
    'BEGIN { printf "%.2f", (o > 0 ? p / o : 0) }')
cpu_ratio=$(awk -v p="$(per_mb "$phoenix_bytes" "$phoenix_cpu")" -v o="$(per_mb "$otlp_bytes" "$otlp_cpu")" \
    'BEGIN { printf "%.2f", (o > 0 ? p / o : 0) }')
verdict=$(awk -v r="$ratio" 'BEGIN { print (r <= 2.0 ? "PASS" : "MISS") }')
rss_mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k * 1024 / 1e6 }'; }

cat <<SUMMARY

================= Tracelight Phoenix JSON Lines import benchmark =================
input              : $spans spans; OTLP JSON Lines $(mb "$otlp_bytes") MB, Phoenix JSON Lines $(mb "$phoenix_bytes") MB
OTLP JSON import   : ${otlp_s} s (CPU ${otlp_cpu} s), ${otlp_rate} MB/s, peak RSS $(rss_mb "$otlp_rss") MB
  its report       : ${otlp_line}
Phoenix import     : ${phoenix_s} s (CPU ${phoenix_cpu} s), ${phoenix_rate} MB/s, peak RSS $(rss_mb "$phoenix_rss") MB
  its report       : ${phoenix_line}
seconds per MB     : Phoenix / OTLP = ${ratio}x wall, ${cpu_ratio}x CPU
----------------------------------------------------------------------------------
[$verdict] Phoenix no more than 2x slower per MB than OTLP JSON (${ratio}x)
[$same] both caches hold the same traces with the same figures (${listed} of ${spans} spans)
==================================================================================
(MB = 10^6 bytes; best wall time of $runs runs each)
SUMMARY

[ "$same" = PASS ]

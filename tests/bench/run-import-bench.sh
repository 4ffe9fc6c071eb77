#!/usr/bin/env bash
# Import benchmark: generates BENCH_SPANS (default 100000) synthetic OTLP JSON Lines spans with genotlp, then measures
# jq merely parsing the file against `tracelight import` into a fresh SQLite cache (wall time, peak RSS), and proves the
# cache is written and searchable (`tracelight list --json` sums to the generated span count).
#
#   run-import-bench.sh GENOTLP TRACELIGHT WORK_DIR
#
# Exits non-zero only when something fails or the span count is wrong; the performance targets (import no slower than
# jq's parse, peak RSS < 500 MB) are reported as PASS/MISS. Generated files are deleted on exit.
set -euo pipefail

if [ $# -ne 3 ]; then
    echo "usage: $0 GENOTLP TRACELIGHT WORK_DIR" >&2
    exit 2
fi
genotlp=$1
tracelight=$2
work=$3/bench-work
spans=${BENCH_SPANS:-100000}

# Debian tools the benchmark needs: jq (the parse baseline and the JSON check) and GNU time (peak RSS).
# shellcheck source=need-pkg.sh
source "$(dirname "$0")/need-pkg.sh"
need_pkg jq jq
[ -x /usr/bin/time ] || need_pkg /usr/bin/time time

mkdir -p "$work"
input=$work/bench.jsonl
db=$work/fresh.sqlite
cleanup() { rm -f "$input" "$db" "$db"-wal "$db"-shm "$db"-journal "$work"/*.time "$work"/*.out; rmdir "$work" 2>/dev/null || true; }
trap cleanup EXIT
cleanup
mkdir -p "$work"

now_ns() { date +%s%N; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'; }
max_rss_kib() { awk -F': ' '/Maximum resident set size/ { print $2 }' "$1"; }

# ---------------------------------------------------------------------------------------------------------- generate
echo "generating $spans spans …"
gen_out=$("$genotlp" "$input" "$spans")
echo "genotlp: $gen_out"
gen_spans=$(sed -n 's/.*spans=\([0-9]*\).*/\1/p' <<<"$gen_out")
gen_traces=$(sed -n 's/.*traces=\([0-9]*\).*/\1/p' <<<"$gen_out")
bytes=$(stat -c %s "$input")
lines=$(wc -l <"$input")

# ---------------------------------------------------------------------------------------------------------- jq parse
echo "jq -c . (parse only) …"
t0=$(now_ns)
/usr/bin/time -v -o "$work/jq.time" jq -c . "$input" >/dev/null
t1=$(now_ns)
jq_s=$(seconds "$t0" "$t1")
jq_rss=$(max_rss_kib "$work/jq.time")

# ---------------------------------------------------------------------------------------------------------- import
echo "tracelight import into a fresh cache …"
t0=$(now_ns)
/usr/bin/time -v -o "$work/import.time" "$tracelight" import --db "$db" "$input" >"$work/import.out"
t1=$(now_ns)
import_s=$(seconds "$t0" "$t1")
import_rss=$(max_rss_kib "$work/import.time")
import_line=$(cat "$work/import.out")
db_bytes=$(stat -c %s "$db")

# ---------------------------------------------------------------------------------------------------------- check
"$tracelight" list --db "$db" --json >"$work/list.out"
listed_traces=$(jq 'length' "$work/list.out")
listed_spans=$(jq '[.[].spans] | add // 0' "$work/list.out")

# ---------------------------------------------------------------------------------------------------------- summary
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1e6 }'; }
ratio=$(awk -v a="$import_s" -v b="$jq_s" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
spans_per_s=$(awk -v n="$gen_spans" -v s="$import_s" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')
mb_per_s=$(awk -v n="$bytes" -v s="$import_s" 'BEGIN { printf "%.1f", (s > 0 ? n / 1e6 / s : 0) }')
rss_mb=$(awk -v k="$import_rss" 'BEGIN { printf "%.1f", k * 1024 / 1e6 }')
jq_rss_mb=$(awk -v k="$jq_rss" 'BEGIN { printf "%.1f", k * 1024 / 1e6 }')
speed_verdict=$(awk -v a="$import_s" -v b="$jq_s" 'BEGIN { print (a <= b ? "PASS" : "MISS") }')
rss_verdict=$(awk -v k="$import_rss" 'BEGIN { print (k * 1024 < 500e6 ? "PASS" : "MISS") }')
if [ "$listed_spans" -eq "$gen_spans" ]; then count_verdict=PASS; else count_verdict=FAIL; fi

cat <<SUMMARY

==================== Tracelight import benchmark ====================
input             : $gen_spans spans, $gen_traces traces, $lines lines, $bytes bytes ($(mb "$bytes") MB)
jq -c . (parse)   : ${jq_s} s, peak RSS ${jq_rss_mb} MB
tracelight import : ${import_s} s, peak RSS ${rss_mb} MB (${import_rss} KiB)
  its report      : ${import_line}
  throughput      : ${spans_per_s} spans/s, ${mb_per_s} MB/s
  import / jq     : ${ratio}x
cache             : $(mb "$db_bytes") MB; list --json: ${listed_traces} traces, ${listed_spans} spans
---------------------------------------------------------------------
[$speed_verdict] import no slower than jq's parse (${import_s} s vs ${jq_s} s)
[$rss_verdict] import peak RSS < 500 MB (${rss_mb} MB)
[$count_verdict] cache written and searchable: ${listed_spans} of ${gen_spans} spans listed
=====================================================================
(MB = 10^6 bytes)
SUMMARY

[ "$count_verdict" = PASS ]

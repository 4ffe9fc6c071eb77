#!/usr/bin/env bash
# Protobuf import benchmark: generates BENCH_SPANS (default 100000) synthetic spans as OTLP JSON Lines (genotlp),
# converts them to the Collector file exporter's proto records with protobuf's own JSON parser (otlpjson2proto), then
# imports each file into a fresh cache and compares throughput per MB of input. Both caches must list the same spans
# and tokens.
#
#   run-proto-bench.sh GENOTLP OTLPJSON2PROTO TRACELIGHT WORK_DIR
#
# Exits non-zero only when something fails or the caches differ; the target (protobuf import no more than 2x slower
# per MB than OTLP JSON) is reported as PASS/MISS. Generated files are deleted on exit.
set -euo pipefail

if [ $# -ne 4 ]; then
    echo "usage: $0 GENOTLP OTLPJSON2PROTO TRACELIGHT WORK_DIR" >&2
    exit 2
fi
genotlp=$1
converter=$2
tracelight=$3
work=$4/bench-proto-work
spans=${BENCH_SPANS:-100000}

for tool in jq /usr/bin/time; do
    command -v "$tool" >/dev/null 2>&1 || { echo "$tool is needed (apt-get install jq time)" >&2; exit 1; }
done

json=$work/bench.jsonl
proto=$work/bench.pb
cleanup() { rm -rf "$work"; }
trap cleanup EXIT
cleanup
mkdir -p "$work"

now_ns() { date +%s%N; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'; }
max_rss_mb() { awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 * 1024 / 1e6 }' "$1"; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1e6 }'; }

echo "generating $spans spans …"
"$genotlp" "$json" "$spans"
echo "converting to proto records …"
"$converter" "$json" "$proto"
json_bytes=$(stat -c %s "$json")
proto_bytes=$(stat -c %s "$proto")

# import NAME FILE: times `tracelight import` of FILE into a fresh cache; sets NAME_s, NAME_rss
import() {
    local name=$1 file=$2 t0 t1
    t0=$(now_ns)
    /usr/bin/time -v -o "$work/$name.time" "$tracelight" import --db "$work/$name.sqlite" "$file" >"$work/$name.out"
    t1=$(now_ns)
    printf -v "${name}_s" '%s' "$(seconds "$t0" "$t1")"
    printf -v "${name}_rss" '%s' "$(max_rss_mb "$work/$name.time")"
    echo "$name: $(cat "$work/$name.out")"
}
import json "$json"
import proto "$proto"

summary() { "$tracelight" list --db "$1" --json | jq -c '[length, ([.[].spans] | add), ([.[].input_tokens] | add)]'; }
json_list=$(summary "$work/json.sqlite")
proto_list=$(summary "$work/proto.sqlite")
if [ "$json_list" = "$proto_list" ]; then same=PASS; else same=FAIL; fi

rate() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.1f", (s > 0 ? b / 1e6 / s : 0) }'; }
json_rate=$(rate "$json_bytes" "$json_s")
proto_rate=$(rate "$proto_bytes" "$proto_s")
# Seconds per MB of protobuf over seconds per MB of JSON: 2.0 means protobuf is twice as slow per MB.
ratio=$(awk -v a="$proto_rate" -v b="$json_rate" 'BEGIN { printf "%.2f", (a > 0 ? b / a : 0) }')
verdict=$(awk -v r="$ratio" 'BEGIN { print (r <= 2.0 ? "PASS" : "MISS") }')
sps() { awk -v n="$spans" -v s="$1" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }

cat <<SUMMARY

================= Tracelight protobuf import benchmark =================
spans              : $spans
OTLP JSON Lines    : $(mb "$json_bytes") MB, import ${json_s} s, ${json_rate} MB/s, $(sps "$json_s") spans/s, peak RSS ${json_rss} MB
OTLP proto records : $(mb "$proto_bytes") MB, import ${proto_s} s, ${proto_rate} MB/s, $(sps "$proto_s") spans/s, peak RSS ${proto_rss} MB
per MB, proto/JSON : ${ratio}x the time
------------------------------------------------------------------------
[$verdict] protobuf import no more than 2x slower per MB than OTLP JSON (${ratio}x)
[$same] both caches hold the same traces, spans and tokens ($json_list vs $proto_list)
========================================================================
(MB = 10^6 bytes)
SUMMARY

[ "$same" = PASS ]

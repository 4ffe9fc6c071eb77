#!/usr/bin/env bash
# Import against its peers (issue 17), side by side in one run on one generated file:
#   - jq -c '.resourceSpans[].scopeSpans[].spans[].spanId'   parsing only, the floor a user knows
#   - ../shared/bench/naive_import.py                         Python's standard library: json + sqlite3, no index
#   - ../shared/bench/duckdb_import.mjs                       DuckDB's read_json into a table (otel-desktop-viewer)
#   - tracelight import                                        on 1 core, 2 cores and all cores (taskset)
# For each: wall time, CPU time (user + sys), peak RSS and what it left on disk, with ratios to jq and to the peers.
# Tracelight's runs are browsable before they are searchable: its wall time is split into the two (the import prints
# how long the search index took after the files were in).
#
# Then the million-step run: one trace of BENCH_SINGLE_SPANS spans (default 1000000; 0 skips it) generated with
# --single-trace, parsed by jq, imported on all cores, and opened from the cache by `tracelight render` (the
# timeline's snapshot and layout, and one frame painted, from process start).
#
#   run-import-peers.sh GENOTLP TRACELIGHT WORK_DIR [PEERS_DIR]
#
# BENCH_SPANS sets the size (default 100000, about 300 MB). PEERS_DIR defaults to ../shared/bench beside the
# checkout. DuckDB's Node client is installed with npm into WORK_DIR (pinned, as the peers' README says); without
# network that peer is reported as not run, and the others still are. A benchmark, not a test: it fails only when a
# run fails or Tracelight's cache does not hold every span; the targets are printed as PASS/MISS.
set -euo pipefail

if [ $# -lt 3 ] || [ $# -gt 4 ]; then
    echo "usage: $0 GENOTLP TRACELIGHT WORK_DIR [PEERS_DIR]" >&2
    exit 2
fi
genotlp=$1
tracelight=$2
work=$3/peers-work
here=$(cd "$(dirname "$0")" && pwd)
peers=${4:-$here/../../../shared/bench}
spans=${BENCH_SPANS:-100000}
[ -f "$peers/naive_import.py" ] || { echo "no peers at $peers (naive_import.py)" >&2; exit 2; }

# shellcheck source=need-pkg.sh
source "$(dirname "$0")/need-pkg.sh"
need_pkg jq jq
need_pkg python3 python3
need_pkg taskset util-linux
[ -x /usr/bin/time ] || need_pkg /usr/bin/time time

mkdir -p "$work"
input=$work/bench.jsonl
single=$work/single.jsonl
cleanup() { rm -rf "$input" "$single" "$work"/*.sqlite* "$work"/*.duckdb* "$work"/*.time "$work"/*.out "$work"/*.png; }
trap cleanup EXIT
cleanup

echo "generating $spans spans …"
gen_out=$("$genotlp" "$input" "$spans")
gen_spans=$(sed -n 's/.*spans=\([0-9]*\).*/\1/p' <<<"$gen_out")
bytes=$(stat -c %s "$input")
cores=$(nproc)

# run NAME OUTPUT_PATH COMMAND… : wall and CPU seconds, peak RSS (KiB) and bytes left on disk of one run.
declare -A WALL CPU RSS SIZE BROWSABLE FINDINGS
order=()
run() {
    local name=$1 output=$2
    shift 2
    local t0 t1
    t0=$(date +%s%N)
    if ! /usr/bin/time -v -o "$work/$name.time" "$@" >"$work/$name.out" 2>&1; then
        echo "$name failed:" >&2
        tail -5 "$work/$name.out" >&2
        return 1
    fi
    t1=$(date +%s%N)
    local wall cpu rss size=0
    wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
    cpu=$(awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { printf "%.3f", u + s }' "$work/$name.time")
    rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/$name.time")
    if [ -n "$output" ]; then
        size=$(du -cb "$output"* 2>/dev/null | tail -1 | cut -f1)
    fi
    WALL[$name]=$wall CPU[$name]=$cpu RSS[$name]=$rss SIZE[$name]=$size
    # Tracelight: the files are browsable once imported; the search index follows ("search index: N steps, X s").
    local index
    index=$(sed -n 's/^search index: [0-9]* steps, \([0-9.]*\) s$/\1/p' "$work/$name.out" | tail -1)
    # Then the findings ("findings: N runs, X s"): reported on their own, not counted in searchable.
    local found
    found=$(sed -n 's/^findings: [0-9]* runs, \([0-9.]*\) s$/\1/p' "$work/$name.out" | tail -1)
    if [ -n "$found" ]; then
        FINDINGS[$name]=$found
        WALL[$name]=$(awk -v w="$wall" -v f="$found" 'BEGIN { printf "%.3f", w - f }')
        wall=${WALL[$name]}
    fi
    [ -n "$index" ] && BROWSABLE[$name]=$(awk -v w="$wall" -v i="$index" 'BEGIN { printf "%.3f", w - i }')
    order+=("$name")
    echo "  $name: ${wall} s"
}

echo "running the peers and tracelight in turn …"
run jq "" jq -c '.resourceSpans[].scopeSpans[].spans[].spanId' "$input"
run python-naive "$work/naive.sqlite" python3 "$peers/naive_import.py" "$work/naive.sqlite" "$input"

duckdb_note=
duckdb_dir=$work/duckdb
if [ ! -d "$duckdb_dir/node_modules/@duckdb/node-api" ]; then
    mkdir -p "$duckdb_dir"
    if ! command -v npm >/dev/null 2>&1 \
        || ! (cd "$duckdb_dir" && npm install --no-audit --no-fund --silent @duckdb/node-api@1.5.6-r.1 >/dev/null 2>&1); then
        duckdb_note="not run: npm could not install @duckdb/node-api@1.5.6-r.1"
    fi
fi
if [ -z "$duckdb_note" ]; then
    cp "$peers/duckdb_import.mjs" "$duckdb_dir/"
    run duckdb "$work/peer.duckdb" node "$duckdb_dir/duckdb_import.mjs" "$input" "$work/peer.duckdb"
fi

core_counts=$(printf '%s\n' 1 2 "$cores" | awk -v max="$cores" '$1 <= max && !seen[$1]++')
for n in $core_counts; do
    name="tracelight-${n}core"
    [ "$n" = "$cores" ] && [ "$n" -gt 2 ] && name="tracelight-all(${n})"
    rm -f "$work/tl-$n.sqlite"*
    run "$name" "$work/tl-$n.sqlite" taskset -c "0-$((n - 1))" "$tracelight" import --db "$work/tl-$n.sqlite" "$input"
    last_db=$work/tl-$n.sqlite
    last_name=$name
done

listed=$("$tracelight" list --db "$last_db" --json | jq '[.[].spans] | add // 0')

# ---------------------------------------------------------------------------------------------------------- report
jq_wall=${WALL[jq]}
naive_wall=${WALL[python-naive]}
duck_wall=${WALL[duckdb]:-}
tl_wall=${WALL[$last_name]}
tl_size=${SIZE[$last_name]}
echo
echo "==================== import against its peers ===================="
printf 'input: %s spans, %s bytes (%.1f MB), %s cores\n' "$gen_spans" "$bytes" "$(awk -v b="$bytes" 'BEGIN{print b/1e6}')" "$cores"
printf '%-22s %9s %10s %9s %10s %11s %9s %8s\n' "" "wall s" "browsable" "CPU s" "peak MB" "on disk MB" "× jq" "spans/s"
for name in "${order[@]}"; do
    awk -v n="$name" -v w="${WALL[$name]}" -v b="${BROWSABLE[$name]:-}" -v c="${CPU[$name]}" -v k="${RSS[$name]}" \
        -v s="${SIZE[$name]}" -v j="$jq_wall" -v sp="$gen_spans" 'BEGIN {
        printf "%-22s %9.2f %10s %9.2f %10.1f %11s %9.2f %8.0f\n", n, w, (b != "" ? sprintf("%.2f", b) : "-"), c,
            k * 1024 / 1e6, (s > 0 ? sprintf("%.1f", s / 1e6) : "-"), (j > 0 ? w / j : 0), (w > 0 ? sp / w : 0) }'
done
[ -n "$duckdb_note" ] && echo "duckdb                 $duckdb_note"
for name in "${order[@]}"; do
    [ -n "${FINDINGS[$name]:-}" ] && echo "$name: then the findings of its runs in ${FINDINGS[$name]} s (not in the wall time above)"
done
echo "------------------------------------------------------------------"
verdict() { awk -v ok="$1" 'BEGIN { print (ok ? "PASS" : "MISS") }'; }
tl_browsable=${BROWSABLE[$last_name]:-$tl_wall}
echo "[$(verdict "$(awk -v a="$tl_browsable" -v b="$jq_wall" 'BEGIN{print a <= b}')")] tracelight ($last_name) browsable within jq's parse time: $tl_browsable s vs $jq_wall s ($(awk -v a="$tl_browsable" -v b="$jq_wall" 'BEGIN{printf "%.2f", a / b}')×)"
echo "[$(verdict "$(awk -v a="$tl_wall" -v b="$jq_wall" 'BEGIN{print a <= 2 * b}')")] searchable within 2× jq's parse time: $tl_wall s ($(awk -v a="$tl_wall" -v b="$jq_wall" 'BEGIN{printf "%.2f", a / b}')×)"
echo "[$(verdict "$(awk -v a="$tl_wall" -v b="$naive_wall" 'BEGIN{print a * 3 <= b}')")] ≥ 3× faster than the Python importer: $(awk -v a="$naive_wall" -v b="$tl_wall" 'BEGIN{printf "%.2f", a / b}')×"
if [ -n "$duck_wall" ]; then
    echo "[$(verdict "$(awk -v a="$tl_wall" -v b="$duck_wall" 'BEGIN{print a * 3 <= b}')")] ≥ 3× faster than DuckDB: $(awk -v a="$duck_wall" -v b="$tl_wall" 'BEGIN{printf "%.2f", a / b}')×"
fi
echo "[$(verdict "$(awk -v a="$tl_size" -v b="$bytes" 'BEGIN{print a <= b}')")] cache no larger than the input: $(awk -v a="$tl_size" -v b="$bytes" 'BEGIN{printf "%.2f", a / b}')× the input"
echo "[$(verdict "$(awk -v k="${RSS[$last_name]}" 'BEGIN{print k * 1024 <= 500e6}')")] peak RSS ≤ 500 MB"
echo "==================================================================="
[ "$listed" -eq "$gen_spans" ] || { echo "FAIL: the cache lists $listed of $gen_spans spans" >&2; exit 1; }

# ----------------------------------------------------------------------------------------- the million-step run
single_spans=${BENCH_SINGLE_SPANS:-1000000}
[ "$single_spans" -gt 0 ] || exit 0
rm -f "$input" "$work"/*.sqlite* "$work"/*.duckdb*
echo
echo "generating one trace of $single_spans spans …"
"$genotlp" --single-trace "$single" "$single_spans" >/dev/null
single_bytes=$(stat -c %s "$single")
order=()
run jq-single "" jq -c '.resourceSpans[].scopeSpans[].spans[].spanId' "$single"
run tracelight-single "$work/single.sqlite" "$tracelight" import --db "$work/single.sqlite" "$single"
trace_id=$("$tracelight" list --db "$work/single.sqlite" --json | jq -r '.[0].trace_id')
run render-single "" "$tracelight" render --db "$work/single.sqlite" -o "$work/single.png" "$trace_id"
echo
echo "==================== the million-step run ===================="
printf 'input: one trace of %s spans, %s bytes (%.1f MB)\n' "$single_spans" "$single_bytes" "$(awk -v b="$single_bytes" 'BEGIN{print b/1e6}')"
for name in "${order[@]}"; do
    awk -v n="$name" -v w="${WALL[$name]}" -v b="${BROWSABLE[$name]:-}" -v k="${RSS[$name]}" -v s="${SIZE[$name]}" 'BEGIN {
        printf "%-22s %9.2f s %10s %8.1f MB peak %11s\n", n, w, (b != "" ? sprintf("(browsable %.2f s)", b) : ""),
            k * 1024 / 1e6, (s > 0 ? sprintf("%.1f MB on disk", s / 1e6) : "") }'
done
echo "--------------------------------------------------------------"
echo "[$(verdict "$(awk -v a="${BROWSABLE[tracelight-single]:-${WALL[tracelight-single]}}" -v b="${WALL[jq-single]}" 'BEGIN{print a <= 2 * b}')")] import (browsable) within 2× jq's parse: $(awk -v a="${BROWSABLE[tracelight-single]:-${WALL[tracelight-single]}}" -v b="${WALL[jq-single]}" 'BEGIN{printf "%.2f", a / b}')×"
echo "[$(verdict "$(awk -v a="${WALL[render-single]}" -v k="${RSS[render-single]}" 'BEGIN{print a <= 2 && k * 1024 <= 500e6}')")] opened from the cache and drawn in ≤ 2 s and ≤ 500 MB: ${WALL[render-single]} s, $(awk -v k="${RSS[render-single]}" 'BEGIN{printf "%.0f", k * 1024 / 1e6}') MB"
echo "=============================================================="
single_listed=$("$tracelight" list --db "$work/single.sqlite" --json | jq '[.[].spans] | add // 0')
[ "$single_listed" -eq "$single_spans" ] || { echo "FAIL: the cache lists $single_listed of $single_spans spans" >&2; exit 1; }

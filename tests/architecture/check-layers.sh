#!/usr/bin/env bash
# The architecture test: configures the project afresh with `cmake --graphviz` (nothing is built) and checks the
# link graph CMake generates against the layering that HACKING.md describes, independently of the configure-time
# check in cmake/TracelightLayers.cmake:
#   - core links no other target of ours; importers reach neither the store nor SQLite;
#   - nothing below ui (core, store, analysis, itemmodels, importers, collector, services) reaches Qt Gui;
#   - only ui and the executable reach Qt Widgets (render and the command line do not);
#   - every edge between our layers points down.
#
#   check-layers.sh SOURCE_DIR CORPUS_DIR
set -euo pipefail
source_dir=$1
corpus_dir=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cmake -S "$source_dir" -B "$work/build" -DTRACELIGHT_CORPUS_DIR="$corpus_dir" -DBUILD_TESTING=OFF \
    --graphviz="$work/deps.dot" >"$work/configure.log" 2>&1 || {
    cat "$work/configure.log"
    echo "FAIL: the project does not configure"
    exit 1
}

# Edges "from to", by target name, from lines such as:  "node3" -> "node7" [ style = ... ] // a -> b
awk '/->/ && /\/\// { sub(/.*\/\/ /, ""); print $1, $3 }' "$work/deps.dot" | sort -u >"$work/edges"
[ -s "$work/edges" ] || {
    echo "FAIL: no edges in the graphviz output"
    exit 1
}

# closure TARGET: every target and library TARGET reaches.
closure() {
    local -A seen=()
    local queue=("$1") node next
    while [ ${#queue[@]} -gt 0 ]; do
        node=${queue[0]}
        queue=("${queue[@]:1}")
        while read -r next; do
            [ -n "$next" ] || continue
            [ -n "${seen[$next]:-}" ] && continue
            seen[$next]=1
            queue+=("$next")
            echo "$next"
        done < <(awk -v n="$node" '$1 == n { print $2 }' "$work/edges")
    done
}

failed=0
passed=0
check() { # DESCRIPTION CONDITION_STATUS
    if [ "$2" -eq 0 ]; then
        echo "ok   $1"
        passed=$((passed + 1))
    else
        echo "FAIL $1"
        failed=$((failed + 1))
    fi
}
# (grep reads all its input: with pipefail, an early exit would fail the pipeline on SIGPIPE.)
reaches() { closure "$1" | grep -x -- "$2" >/dev/null; }
reaches_any() { closure "$1" | grep -xE -- "$2" >/dev/null; }

# A layer and the layers below it (it may link only those of ours).
declare -A below=(
    [tracelight_core]=""
    [tracelight_store]="tracelight_core"
    [tracelight_analysis]="tracelight_store tracelight_core"
    [tracelight_itemmodels]="tracelight_analysis tracelight_store tracelight_core"
    [tracelight_importers]="tracelight_core tracelight_otlp_proto"
    [tracelight_collector]="tracelight_importers tracelight_store tracelight_core tracelight_otlp_proto"
    [tracelight_services]="tracelight_store tracelight_importers tracelight_collector tracelight_core tracelight_otlp_proto"
    [tracelight_render]="tracelight_analysis tracelight_store tracelight_core"
    [tracelight_cli]="tracelight_render tracelight_services tracelight_analysis tracelight_store tracelight_importers
        tracelight_collector tracelight_core tracelight_otlp_proto"
    [tracelight_ui]="tracelight_render tracelight_itemmodels tracelight_services tracelight_analysis tracelight_store
        tracelight_importers tracelight_collector tracelight_core tracelight_otlp_proto"
)
for layer in "${!below[@]}"; do
    grep -q "^$layer " "$work/edges" || {
        check "$layer exists in the graph" 1
        continue
    }
    bad=""
    for reached in $(closure "$layer" | grep '^tracelight_' | grep -v '_resources_[0-9]*$' || true); do
        [[ " ${below[$layer]//$'\n'/ } " == *" $reached "* ]] || bad+=" $reached"
    done
    check "$layer reaches only the layers below it${bad:+ (also:$bad)}" "$([ -z "$bad" ] && echo 0 || echo 1)"
done

for layer in tracelight_core tracelight_store tracelight_analysis tracelight_itemmodels tracelight_importers \
    tracelight_collector tracelight_services; do
    ! reaches_any "$layer" 'Qt6::(Gui|Widgets|Charts|Svg|OpenGL|OpenGLWidgets)'
    check "$layer reaches no Qt Gui" $?
done
for layer in tracelight_render tracelight_cli; do
    ! reaches_any "$layer" 'Qt6::(Widgets|Charts|OpenGLWidgets)|tracelight_ui'
    check "$layer reaches no Qt Widgets" $?
done
! reaches_any tracelight_importers 'SQLite::SQLite3|tracelight_store'
check "importers reach neither SQLite nor the store" $?
reaches tracelight_ui Qt6::Widgets
check "ui links Qt Widgets (the check sees Qt modules)" $?

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

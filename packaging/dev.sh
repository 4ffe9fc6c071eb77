#!/usr/bin/env bash
# Tracelight's two set-up commands on a fresh Debian 12 machine (as root, or as a user with sudo):
#
#   packaging/dev.sh run    install what is missing, build build/ci (Release, warnings as errors) and open the window
#                           on the bundled sample, with the default cache
#   packaging/dev.sh test   install what is missing, build the same tree and run every test except the benchmarks
#                           (ctest -LE bench), then list the tests that skipped; exits non-zero when a test failed,
#                           or under CI (CI set) when one skipped
#   packaging/dev.sh sanitize   the same tests built with AddressSanitizer and UndefinedBehaviorSanitizer
#                           (the asan preset, build/asan): any memory error, leak or undefined behaviour fails them
#
# Works from any directory. Missing Debian packages are installed with apt-get (apt-get update first); nothing is
# installed when everything is present. Without a display, `run` stops with an error unless TRACELIGHT_HEADLESS_OK=1,
# in which case the window runs under xvfb-run.
set -euo pipefail

# Every list below is what a fresh Debian 12 (debootstrap --variant=minbase, plus git) lacks; CI proves it by running
# this script in such a root (.ci/fresh-root.sh). A new dependency goes here in the same commit that needs it.
#
# Building: compiler and make (build-essential), CMake, Qt 6.4, SQLite, nlohmann/json, zlib, zstd, libzip, protobuf,
# GNU libmicrohttpd and gRPC C++ (the collector's OTLP/HTTP and OTLP/gRPC receivers), cpp-httplib (the tests' HTTP
# client), Graphviz (the agent graph's layout).
# Qt Charts' CMake package needs Qt OpenGL's (libqt6opengl6-dev), which qt6-charts-dev only recommends.
build_packages=(
    build-essential cmake pkg-config
    qt6-base-dev qt6-base-dev-tools qt6-charts-dev qt6-svg-dev libqt6svg6 qt6-qpa-plugins libgl-dev libqt6opengl6-dev
    libsqlite3-dev nlohmann-json3-dev zlib1g-dev libzstd-dev libzip-dev libprotobuf-dev protobuf-compiler libcpp-httplib-dev
    libgraphviz-dev libgrpc++-dev libmicrohttpd-dev
)
run_packages=(fonts-dejavu-core)
headless_packages=(xvfb xauth)
# The tests: Xvfb and fonts for the window tests, jq for the shell tests, pdftotext (poppler-utils) for the PDF
# report test, sqlite3 (the fault tests' independent integrity_check), ca-certificates for npm's registry; the package test (tests/packaging) builds the .deb with CPack (file, dpkg-dev) and validates the
# desktop entry, AppStream metadata and file types with the rest.
test_packages=(
    xvfb xauth jq fonts-dejavu-core poppler-utils ca-certificates sqlite3
    file dpkg-dev desktop-file-utils appstream shared-mime-info libglib2.0-bin
)

usage() {
    echo "usage: $0 run|test|sanitize" >&2
    echo "  run   build build/ci and open the window on resources/samples/refund-agent.otlp.json" >&2
    echo "  test  build build/ci (Release, -Werror) and run the tests except the benchmarks" >&2
    echo "  sanitize  build build/asan (ASan + UBSan) and run the same tests under the sanitizers" >&2
}

# Prints, one a line, the packages among the arguments that are not installed.
missing_packages() {
    local pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || echo "$pkg"
    done
}

# The real-client tests (tests/npm) need Node.js and npm: Debian's nodejs (18) and npm (9) run the pinned packages.
# A machine that already has node and npm from elsewhere keeps them (Debian's npm conflicts with such a nodejs).
node_packages() {
    command -v node >/dev/null 2>&1 || echo nodejs
    command -v npm >/dev/null 2>&1 || echo npm
}

# Installs the packages among the arguments that are missing; does nothing (no apt-get at all) when none is.
install_missing() {
    local missing
    mapfile -t missing < <(missing_packages "$@" | sort -u)
    [ "${#missing[@]}" -eq 0 ] && return 0
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        if ! command -v sudo >/dev/null 2>&1; then
            echo "dev.sh: missing Debian packages (${missing[*]}); run as root or install sudo" >&2
            exit 1
        fi
        sudo=(sudo)
    fi
    echo "dev.sh: installing ${missing[*]}" >&2
    "${sudo[@]}" apt-get -o Acquire::Retries=3 update
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o Acquire::Retries=3 install -y --no-install-recommends \
        "${missing[@]}"
}

# One build tree for both commands (Release, warnings are errors), so `run` after `test` (or the other way round)
# builds nothing. For a debugger, use the `dev` preset (RelWithDebInfo, build/dev): see HACKING.md.
build_dir=build/ci
build() {
    cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DTRACELIGHT_WERROR=ON
    cmake --build "$build_dir" -j"$(nproc)"
}

has_display() {
    [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]
}

cmd_run() {
    local headless=0
    # Checked before the build, so that a machine without a screen fails at once rather than after compiling.
    if ! has_display; then
        if [ "${TRACELIGHT_HEADLESS_OK:-}" = 1 ]; then
            echo "dev.sh: no display (DISPLAY and WAYLAND_DISPLAY are empty): the window will run under xvfb-run," \
                 "invisible" >&2
            headless=1
        else
            echo "no display: DISPLAY and WAYLAND_DISPLAY are empty, so the window cannot open." \
                 "Run from a desktop session (or ssh -X), or set TRACELIGHT_HEADLESS_OK=1 to run it under xvfb-run." >&2
            exit 1
        fi
    fi
    if [ "$headless" = 1 ]; then
        install_missing "${build_packages[@]}" "${run_packages[@]}" "${headless_packages[@]}"
    else
        install_missing "${build_packages[@]}" "${run_packages[@]}"
    fi
    build
    local app=("$build_dir/app/tracelight" resources/samples/refund-agent.otlp.json)
    if [ "$headless" = 1 ]; then
        exec xvfb-run -a -s "-screen 0 1600x1000x24" "${app[@]}"
    fi
    exec "${app[@]}"
}

cmd_test() {
    local node
    mapfile -t node < <(node_packages)
    install_missing "${build_packages[@]}" "${test_packages[@]}" "${node[@]}"
    build
    cd "$build_dir"
    local status=0
    mkdir -p Testing
    QT_QPA_PLATFORM=offscreen ctest --output-on-failure -LE bench 2>&1 | tee Testing/ctest-output.log ||
        status=$?
    report_skips Testing/ctest-output.log Testing/Temporary/LastTest.log || status=$?
    return "$status"
}

cmd_sanitize() {
    local node
    mapfile -t node < <(node_packages)
    install_missing "${build_packages[@]}" "${test_packages[@]}" "${node[@]}"
    cmake --preset asan
    cmake --build build/asan -j"$(nproc)"
    local status=0
    mkdir -p build/asan/Testing
    ctest --preset asan 2>&1 | tee build/asan/Testing/ctest-output.log || status=$?
    report_skips build/asan/Testing/ctest-output.log build/asan/Testing/Temporary/LastTest.log || status=$?
    return "$status"
}

# A test that skips does not run. Lists what skipped: whole CTest tests (SKIP_RETURN_CODE, as CTest's summary lists
# them) and Qt Test functions (QSKIP, from the log CTest keeps of every test's output). Under CI (CI set) a skip
# fails the run.
report_skips() { # CTEST_OUTPUT LAST_TEST_LOG
    local skips
    skips=$(grep -hE '^[[:space:]]*[0-9]+ - .*\((Skipped|Disabled|Not Run)\)$|^SKIP +: ' "$1" "$2" 2>/dev/null || true)
    if [ -z "$skips" ]; then
        echo "dev.sh: no test skipped"
        return 0
    fi
    echo "dev.sh: these tests skipped, so they did not run:"
    echo "$skips" | sed 's/^/    /'
    if [ -n "${CI:-}" ]; then
        echo "dev.sh: CI allows no skipped test (install what they need in dev.sh)" >&2
        return 1
    fi
}

main() {
    if [ $# -ne 1 ]; then
        usage
        exit 2
    fi
    # The repository root is the parent of this script's folder.
    cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."
    case "$1" in
        run) cmd_run ;;
        test) cmd_test ;;
        sanitize) cmd_sanitize ;;
        -h | --help) usage ;;
        *)
            usage
            exit 2
            ;;
    esac
}

# Sourcing the script (for instance to try missing_packages) defines the functions without running anything.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    main "$@"
fi

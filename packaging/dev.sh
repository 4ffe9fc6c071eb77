#!/usr/bin/env bash
# Tracelight's two set-up commands on a fresh Debian 12 machine (as root, or as a user with sudo):
#
#   packaging/dev.sh run    install what is missing, build build/dev (RelWithDebInfo) and open the window on the
#                           bundled sample, with the default cache
#   packaging/dev.sh test   install what is missing, build build/ci (Release, warnings as errors) and run every test
#                           except the benchmark (ctest -LE bench); exits with ctest's status
#
# Works from any directory. Missing Debian packages are installed with apt-get (apt-get update first); nothing is
# installed when everything is present. Without a display, `run` stops with an error unless TRACELIGHT_HEADLESS_OK=1,
# in which case the window runs under xvfb-run.
set -euo pipefail

# Building: compiler and make (build-essential), CMake, Qt 6.4, SQLite, nlohmann/json, zlib, protobuf, cpp-httplib.
build_packages=(
    build-essential cmake pkg-config
    qt6-base-dev qt6-base-dev-tools qt6-charts-dev qt6-svg-dev libqt6svg6 qt6-qpa-plugins libgl-dev
    libsqlite3-dev nlohmann-json3-dev zlib1g-dev libprotobuf-dev protobuf-compiler libcpp-httplib-dev
)
run_packages=(fonts-dejavu-core)
headless_packages=(xvfb xauth)
# The package test (tests/packaging) validates the desktop entry, AppStream metadata and file types with these.
test_packages=(xvfb xauth jq fonts-dejavu-core desktop-file-utils appstream shared-mime-info libglib2.0-bin)

usage() {
    echo "usage: $0 run|test" >&2
    echo "  run   build build/dev and open the window on resources/samples/refund-agent.otlp.json" >&2
    echo "  test  build build/ci (Release, -Werror) and run the tests except the benchmark" >&2
}

# Prints, one a line, the packages among the arguments that are not installed.
missing_packages() {
    local pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || echo "$pkg"
    done
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
    "${sudo[@]}" apt-get update
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
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
    cmake -S . -B build/dev -DCMAKE_BUILD_TYPE=RelWithDebInfo
    cmake --build build/dev -j"$(nproc)"
    local app=(build/dev/app/tracelight resources/samples/refund-agent.otlp.json)
    if [ "$headless" = 1 ]; then
        exec xvfb-run -a "${app[@]}"
    fi
    exec "${app[@]}"
}

cmd_test() {
    install_missing "${build_packages[@]}" "${test_packages[@]}"
    cmake -S . -B build/ci -DCMAKE_BUILD_TYPE=Release -DTRACELIGHT_WERROR=ON
    cmake --build build/ci -j"$(nproc)"
    cd build/ci
    QT_QPA_PLATFORM=offscreen exec ctest --output-on-failure -LE bench
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

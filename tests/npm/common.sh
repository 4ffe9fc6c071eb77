# Shared by the npm tests (sourced): a temporary node project, the skip when npm is unreachable, and
# `tracelight serve` on a free port.  Needs $tracelight set; defines $here, $work, start_serve, stop_serve.
here=$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)
work=$(mktemp -d)
serve_pid=
cleanup() {
    [[ -n $serve_pid ]] && kill "$serve_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# Outside CI an unreachable registry skips the test; under CI (CI set) a test that cannot run fails.
if ! timeout 60 npm ping >/dev/null 2>&1; then
    if [[ -n ${CI:-} ]]; then
        echo "FAIL: the npm registry cannot be reached"
        exit 1
    fi
    echo "SKIP: the npm registry cannot be reached"
    exit 77 # CTest SKIP_RETURN_CODE
fi

# npm_install PACKAGE@VERSION…: into $work, an ES module project.
npm_install() {
    (cd "$work" && echo '{"name":"tracelight-npm-test","private":true,"type":"module"}' >package.json &&
        timeout 300 npm install --no-audit --no-fund --silent "$@")
}

# start_serve DB LOG: runs `tracelight serve` with OTLP/HTTP and OTLP/gRPC on free ports; sets $port and $grpc_port.
start_serve() {
    "$tracelight" serve --db "$1" --listen 127.0.0.1:0 --grpc-listen 127.0.0.1:0 >"$2" 2>&1 &
    serve_pid=$!
    port=
    grpc_port=
    for _ in $(seq 100); do
        port=$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\)/v1/traces.*|\1|p' "$2")
        grpc_port=$(sed -n 's|.*listening for OTLP/gRPC on 127\.0\.0\.1:\([0-9]*\).*|\1|p' "$2")
        [[ -n $port && -n $grpc_port ]] && return 0
        sleep 0.1
    done
    echo "FAIL: serve did not start"
    cat "$2"
    exit 1
}

# stop_serve: SIGTERM, then wait for the clean exit (everything committed).
stop_serve() {
    kill -TERM "$serve_pid"
    wait "$serve_pid"
    serve_pid=
}

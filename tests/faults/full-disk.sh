#!/usr/bin/env bash
# A full disk under the cache (a 2 MiB tmpfs in a private mount namespace): `tracelight import` and `tracelight
# serve` fail with a clear message and no crash, the cache stays as it was (integrity_check ok, nothing half
# imported), and work resumes once space is freed.
# Integrity is checked by Debian's sqlite3 shell. Usage: full-disk.sh TRACELIGHT_BINARY SOURCE_DIR. Needs root (a mount namespace); exits 77 (skip) without it,
# except under CI, where it fails.
set -euo pipefail
tracelight=$1
src=$2
if [[ ${FULL_DISK_INNER:-} != 1 ]]; then
    # A mount namespace of its own; in a chroot (CI's fresh root) / is no mount point, so its propagation stays
    # as it is and the test's folder is made private below instead.
    for propagation in private unchanged; do
        if unshare -m --propagation "$propagation" true 2>/dev/null; then
            exec unshare -m --propagation "$propagation" env FULL_DISK_INNER=1 bash "$0" "$@"
        fi
    done
    if [[ -n ${CI:-} ]]; then
        echo "FAIL: cannot make a private mount namespace (run as root)"
        exit 1
    fi
    echo "SKIP: needs root for a private tmpfs"
    exit 77
fi

dir=$(mktemp -d)
mount --bind "$dir" "$dir"
mount --make-private "$dir"
mount -t tmpfs -o size=2m tmpfs "$dir"
serve_pid=
cleanup() {
    [[ -n $serve_pid ]] && kill "$serve_pid" 2>/dev/null || true
    umount "$dir" 2>/dev/null || true
    umount "$dir" 2>/dev/null || true # the bind mount beneath
    rmdir "$dir" 2>/dev/null || true
}
trap cleanup EXIT
db=$dir/cache.sqlite
sample=$src/resources/samples/refund-agent.otlp.json
loop=$src/resources/samples/refund-agent-retry-loop.otlp.json
fail() {
    echo "FAIL: $*"
    exit 1
}
runs() { "$tracelight" list --db "$db" --json | jq length; }
check_integrity() {
    local result
    result=$(sqlite3 "$db" "PRAGMA integrity_check")
    [[ $result == ok ]] || fail "integrity_check: $result"
}

# 1. An import that fits.
"$tracelight" import --db "$db" "$sample" >/dev/null
[[ $(runs) == 1 ]] || fail "the first import is missing"

# 2. The disk fills up. (a) Not a byte left: the import cannot even open the cache, and says why. (b) A little
# room left: the file's transaction does not fit, and the message names the file and where it stopped. Either way
# exit 1, and the cache is as it was.
fill() { # fill FREE_BYTES: leaves about that much room
    rm -f "$dir/filler"
    local avail
    avail=$(df --output=avail -B1 "$dir" | tail -1)
    if ((avail > $1)); then
        dd if=/dev/zero of="$dir/filler" bs=4096 count=$(((avail - $1) / 4096)) status=none 2>/dev/null || true
    fi
}
fill 0
set +e
out=$("$tracelight" import --db "$db" "$loop" 2>&1)
rc=$?
set -e
[[ $rc == 1 ]] || fail "import on a full disk exited $rc (want 1): $out"
grep -q "disk is full" <<<"$out" || fail "no clear message: $out"
grep -q "free space on the disk of $db" <<<"$out" || fail "the message does not say what to do: $out"
echo "ok: import on a full disk: $out"
fill $((64 * 1024))
set +e
out=$("$tracelight" import --db "$db" "$loop" 2>&1)
rc=$?
set -e
[[ $rc == 1 ]] || fail "import on a nearly full disk exited $rc (want 1): $out"
grep -q "disk is full" <<<"$out" || fail "no clear message: $out"
grep -q "refund-agent-retry-loop.otlp.json: line [0-9]" <<<"$out" || fail "the message does not name the file: $out"
rm -f "$dir/filler"
[[ $(runs) == 1 ]] || fail "a failed import changed the list"
check_integrity
echo "ok: import on a nearly full disk: $(grep -m1 'disk is full' <<<"$out")"

# 3. Space is freed: the same import goes through.
"$tracelight" import --db "$db" "$loop" >/dev/null || fail "import after freeing space"
[[ $(runs) == 2 ]] || fail "the second run is missing after freeing space"
check_integrity
echo "ok: import after freeing space"

# 4. The collector: on a full disk a request gets 503 with Retry-After (not acknowledged), then 200 once freed.
log=$dir/../serve-$$.log
"$tracelight" serve --db "$db" --listen 127.0.0.1:0 --grpc-listen off >"$log" 2>&1 &
serve_pid=$!
port=
for _ in $(seq 100); do
    port=$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\)/v1/traces.*|\1|p' "$log")
    [[ -n $port ]] && break
    sleep 0.1
done
[[ -n $port ]] || fail "serve did not start: $(cat "$log")"
# A request of the sample with its trace id changed (a new run), over bash's /dev/tcp.
body=$(sed 's/62ea7a6dc2b69860d0195151f6e51f43/62ea7a6dc2b69860d0195151f6e5ffff/g' "$sample")
post() {
    local LC_ALL=C # ${#body} in bytes
    exec 3<>"/dev/tcp/127.0.0.1/$port"
    printf 'POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %s\r\nConnection: close\r\n\r\n%s' \
        "${#body}" "$body" >&3
    cat <&3
    exec 3>&-
}
fill 0
answer=$(post)
head -1 <<<"$answer" | grep -q "503" || fail "serve on a full disk answered: $(head -1 <<<"$answer")"
grep -qi "^Retry-After:" <<<"$answer" || fail "no Retry-After: $answer"
grep -q "disk is full" <<<"$answer" || fail "the 503 does not say why: $answer"
echo "ok: serve on a full disk: $(head -1 <<<"$answer" | tr -d '\r')"
rm "$dir/filler"
answer=$(post)
head -1 <<<"$answer" | grep -q "200" || fail "serve after freeing space answered: $(head -1 <<<"$answer")"
kill -TERM "$serve_pid"
wait "$serve_pid" || true
serve_pid=
[[ $(runs) == 3 ]] || fail "the collector's run is missing after freeing space"
check_integrity
echo "ok: serve after freeing space"

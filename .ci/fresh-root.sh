#!/usr/bin/env bash
# The README's commands on a fresh Debian 12 machine: what CI runs (.ci/run), and what anyone with root can run to
# prove that a change installs everything it needs.
#
#   .ci/fresh-root.sh [all|test]
#
#   test  in a throwaway Debian 12 root (debootstrap minbase, plus git as after a clone): packaging/dev.sh test
#   all   (the default, and what CI runs) test, then in the same root TRACELIGHT_HEADLESS_OK=1 packaging/dev.sh run:
#         the window must stay up for 20 s under xvfb-run, and a screenshot of it is kept in the log folder; then the
#         .deb (cpack) from that build, which in a second fresh root `apt-get install ./tracelight_*.deb` must install
#         with every dependency, and whose tracelight must print its version, import the sample and list it
#
# The repository goes in with `git archive` of the work tree's tracked files (nothing untracked, nothing built), and
# ../shared beside it read-only, as CI lays them out. Only the first run on a machine pays for debootstrap: the
# pristine root is kept as a tarball in $TRACELIGHT_CI_CACHE (default /var/cache/tracelight-ci), with Debian's and
# npm's download caches (downloads only: nothing is installed in a new root until dev.sh installs it). Logs and the
# screenshot go to $TRACELIGHT_CI_LOGS (default /var/log/tracelight-ci/<time>). Needs root and a Debian host (it
# installs debootstrap when missing).
#
# A failure says whose it is: "NETWORK" when Debian's or npm's registry could not be reached after retries,
# "PROJECT" otherwise.
set -euo pipefail

suite=bookworm
cache=${TRACELIGHT_CI_CACHE:-/var/cache/tracelight-ci}
logs=${TRACELIGHT_CI_LOGS:-/var/log/tracelight-ci/$(date -u +%Y%m%dT%H%M%SZ)}
pristine=$cache/$suite-minbase-git.tar.gz
repo=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
shared=$(cd "$repo/.." && pwd)/shared
work=
roots=()
started=$SECONDS

say() { echo "fresh-root [$(elapsed)]: $*"; }
elapsed() { printf '%dm%02ds' $(((SECONDS - started) / 60)) $(((SECONDS - started) % 60)); }
die() { # WHOSE MESSAGE
    echo "fresh-root: FAILED ($1): $2" >&2
    exit 1
}

# A failed command's log tells whether a registry could not be reached.
network_trouble() { # LOG
    grep -Eq "Temporary failure resolving|Could not resolve|Failed to fetch|Unable to fetch some archives|\
Could not connect to|Connection timed out|Connection failed|ECONNRESET|ETIMEDOUT|EAI_AGAIN|ENOTFOUND|\
SKIP: the npm registry cannot be reached|FAIL: the npm registry cannot be reached" "$1"
}

cleanup() {
    local root
    for root in "${roots[@]}"; do
        # Kill what is left in the root (an Xvfb, a window), then unmount what we mounted.
        for pid in $(ls /proc | grep -E '^[0-9]+$'); do
            [ "$(readlink "/proc/$pid/root" 2>/dev/null)" = "$root" ] && kill -9 "$pid" 2>/dev/null || true
        done
        mountpoint -q "$root/dev" && umount -R "$root/dev" || true
        for mnt in sys proc var/cache/apt/archives root/.npm; do
            mountpoint -q "$root/$mnt" && umount "$root/$mnt" || true
        done
    done
    [ -n "$work" ] || return 0
    # Never remove a tree that still has a mount in it (a bind mount is the host's own folder).
    if grep -q " $work/" /proc/self/mountinfo; then
        echo "fresh-root: something is still mounted under $work; left in place" >&2
        return 0
    fi
    rm -rf --one-file-system "$work" 2>/dev/null || { sleep 2 && rm -rf --one-file-system "$work"; } || true
}
trap cleanup EXIT

need_host_tools() {
    [ "$(id -u)" -eq 0 ] || die PROJECT "needs root (debootstrap, chroot, mount)"
    local missing=()
    command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
    command -v git >/dev/null 2>&1 || missing+=(git)
    [ ${#missing[@]} -eq 0 ] && return 0
    say "installing ${missing[*]} on the host"
    apt-get -o Acquire::Retries=3 update >/dev/null ||
        die NETWORK "apt-get update on the host failed: Debian's registry cannot be reached"
    DEBIAN_FRONTEND=noninteractive apt-get -o Acquire::Retries=3 install -y --no-install-recommends "${missing[@]}" \
        >/dev/null || die NETWORK "cannot install ${missing[*]} on the host"
}

# The mirror the host's apt uses, so that the root fetches from where the machine is allowed to; empty lets
# debootstrap use its default.
host_mirror() {
    local f
    for f in /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list; do
        [ -f "$f" ] || continue
        sed -nE 's#^URIs:[[:space:]]*(http[^[:space:]]*/debian)/?$#\1#p; s#^deb[[:space:]]+(http[^[:space:]]*/debian)/?[[:space:]]+bookworm[[:space:]].*#\1#p' \
            "$f" | head -n1
        return 0
    done
}

make_pristine() {
    [ -s "$pristine" ] && return 0
    mkdir -p "$cache"
    local tmp try mirror
    mirror=$(host_mirror)
    for try in 1 2 3; do
        tmp=$(mktemp -d "$cache/debootstrap.XXXXXX")
        say "debootstrap $suite (minbase, git), try $try"
        if debootstrap --variant=minbase --include=git "$suite" "$tmp" ${mirror:+"$mirror"} \
            >"$cache/debootstrap.log" 2>&1; then
            tar -C "$tmp" -czf "$pristine.part" . && mv "$pristine.part" "$pristine"
            rm -rf --one-file-system "$tmp"
            say "pristine root cached in $pristine ($(du -h "$pristine" | cut -f1))"
            return 0
        fi
        rm -rf --one-file-system "$tmp"
        tail -n 5 "$cache/debootstrap.log" >&2
        sleep $((try * 20))
    done
    die NETWORK "debootstrap could not fetch Debian $suite after 3 tries (see $cache/debootstrap.log)"
}

# new_root NAME: a fresh root from the pristine tarball in $work/NAME, with /proc, /sys, /dev and the download
# caches mounted.
new_root() {
    local root=$work/$1
    mkdir -p "$root"
    tar -C "$root" -xzf "$pristine"
    # The tarball's top entry is debootstrap's mktemp folder (0700): a Debian machine's / is 0755, and users other
    # than root (the read-only cache test runs as nobody) must be able to reach /usr.
    chmod 0755 "$root"
    roots+=("$root")
    # The network's configuration, as any machine on this network has it: its resolver, the hosts file a Debian
    # installer writes, and the certificate authorities the machine trusts beyond Debian's (a registry behind a TLS
    # proxy). They go where ca-certificates' own update picks them up when dev.sh installs it.
    cp /etc/resolv.conf "$root/etc/resolv.conf"
    printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' >"$root/etc/hosts"
    if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
        mkdir -p "$root/usr/local/share/ca-certificates"
        cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
    fi
    # As in any chroot: packages must not start services on the host's behalf.
    printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
    chmod +x "$root/usr/sbin/policy-rc.d"
    mount -t proc proc "$root/proc"
    mount -t sysfs sys "$root/sys"
    # The host's /dev with its /dev/pts and /dev/shm; a slave, so that nothing mounted or unmounted in the root
    # reaches the host.
    mount --rbind /dev "$root/dev"
    mount --make-rslave "$root/dev"
    mkdir -p "$cache/apt-archives/partial" "$cache/npm" "$root/root/.npm"
    mount --bind "$cache/apt-archives" "$root/var/cache/apt/archives"
    mount --bind "$cache/npm" "$root/root/.npm"
}

# in_root ROOT COMMAND…: runs a bash command in the root as a fresh login of root would, from /work/main.
in_root() {
    local root=$1
    shift
    chroot "$root" /usr/bin/env -i HOME=/root USER=root LOGNAME=root LANG=C.UTF-8 TERM=dumb CI=true \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        bash -c "cd /work/main && $*"
}

# The tracked files of the work tree (a clean clone: HEAD), as git archive writes them, and ../shared read-only.
copy_project() { # ROOT
    local root=$1 tree
    mkdir -p "$root/work/main" "$root/work/shared"
    tree=$(git -C "$repo" stash create 2>/dev/null || true)
    git -C "$repo" archive --format=tar "${tree:-HEAD}" | tar -C "$root/work/main" -x
    [ -d "$shared" ] || die PROJECT "no $shared beside the repository: CI lays shared/ there"
    cp -a "$shared/." "$root/work/shared/"
    chmod -R a-w "$root/work/shared"
}

phase_test() {
    say "packaging/dev.sh test in a fresh Debian 12 root"
    if ! in_root "$root_a" packaging/dev.sh test 2>&1 | tee "$logs/test.log"; then
        network_trouble "$logs/test.log" &&
            die NETWORK "packaging/dev.sh test could not reach a registry (see $logs/test.log)"
        die PROJECT "packaging/dev.sh test failed on a fresh Debian 12 root (see $logs/test.log)"
    fi
    say "packaging/dev.sh test passed"
}

phase_run() {
    say "TRACELIGHT_HEADLESS_OK=1 packaging/dev.sh run in the same root"
    in_root "$root_a" "TRACELIGHT_HEADLESS_OK=1 exec packaging/dev.sh run" >"$logs/run.log" 2>&1 &
    local runner=$! app= t
    # The build comes first (nothing to do after `test`), then xvfb-run starts the window.
    for t in $(seq 1200); do
        app=$(pgrep -f -x 'build/ci/app/tracelight resources/samples/refund-agent\.otlp\.json' | head -n1 || true)
        [ -n "$app" ] && break
        kill -0 "$runner" 2>/dev/null || break
        sleep 1
    done
    if [ -z "$app" ]; then
        cat "$logs/run.log"
        network_trouble "$logs/run.log" && die NETWORK "packaging/dev.sh run could not reach Debian's registry"
        die PROJECT "packaging/dev.sh run did not start the window (see $logs/run.log)"
    fi
    say "the window is up (pid $app); holding it 20 s"
    sleep 20
    if ! kill -0 "$app" 2>/dev/null; then
        cat "$logs/run.log"
        die PROJECT "the window exited within 20 s of starting"
    fi
    # The screenshot: xwd on the window's X display, converted to PNG, with tools installed after the README command
    # ran (so they prove nothing about it).
    # xvfb-run gives the window a display and an X authority file of its own: read both from its environment.
    local display xauthority
    display=$(tr '\0' '\n' <"/proc/$app/environ" | sed -n 's/^DISPLAY=//p')
    xauthority=$(tr '\0' '\n' <"/proc/$app/environ" | sed -n 's/^XAUTHORITY=//p')
    if ! in_root "$root_a" "set -o pipefail; DEBIAN_FRONTEND=noninteractive apt-get -o Acquire::Retries=3 install -y \
        -qq --no-install-recommends x11-apps netpbm && XAUTHORITY='$xauthority' xwd -root -silent -display '$display' \
        | xwdtopnm | pnmtopng >/tmp/window.png" >"$logs/screenshot.log" 2>&1; then
        cat "$logs/screenshot.log"
        network_trouble "$logs/screenshot.log" && die NETWORK "cannot install x11-apps and netpbm for the screenshot"
        die PROJECT "no screenshot of the window"
    fi
    cp "$root_a/tmp/window.png" "$logs/window.png"
    kill "$app" 2>/dev/null || true
    wait "$runner" 2>/dev/null || true
    say "the window stayed up 20 s on the bundled sample; screenshot: $logs/window.png"
}

phase_package() {
    say "the Debian package: build it, install it with apt in a second fresh root"
    in_root "$root_a" "cd build/ci && cpack -G DEB -B /tmp/deb >/tmp/cpack.log 2>&1 || { cat /tmp/cpack.log; exit 1; }" ||
        die PROJECT "cpack could not build the .deb"
    local deb
    deb=$(cd "$root_a/tmp/deb" && ls tracelight_*.deb | head -n1)
    [ -n "$deb" ] || die PROJECT "cpack wrote no tracelight_*.deb"
    cp "$root_a/tmp/deb/$deb" "$logs/"
    new_root install
    local root_b=$work/install
    mkdir -p "$root_b/work/main"
    cp "$logs/$deb" "$root_b/tmp/"
    cp "$repo/resources/samples/refund-agent.otlp.json" "$root_b/tmp/"
    if ! in_root "$root_b" "apt-get -o Acquire::Retries=3 update -qq && DEBIAN_FRONTEND=noninteractive \
        apt-get -o Acquire::Retries=3 install -y -qq /tmp/$deb" >"$logs/install.log" 2>&1; then
        cat "$logs/install.log"
        network_trouble "$logs/install.log" && die NETWORK "apt-get could not reach Debian's registry"
        die PROJECT "apt-get install ./$deb failed on a fresh Debian 12 root"
    fi
    in_root "$root_b" "set -e; cd /tmp; tracelight --version; tracelight import --db /tmp/c.sqlite refund-agent.otlp.json;
        tracelight list --db /tmp/c.sqlite --json >/tmp/list.json; grep -q '\"trace_id\"' /tmp/list.json;
        echo installed package imports and lists the sample" 2>&1 | tee "$logs/package.log"
    [ "${PIPESTATUS[0]}" -eq 0 ] || die PROJECT "the installed package does not run (see $logs/package.log)"
    say "$deb installs with apt on a fresh Debian 12 and runs"
}

main() {
    local what=${1:-all}
    case "$what" in all | test) ;; *)
        sed -n '2,22p' "${BASH_SOURCE[0]}" >&2
        exit 2
        ;;
    esac
    need_host_tools
    mkdir -p "$logs" "$cache"
    work=$(mktemp -d /var/tmp/tracelight-fresh.XXXXXX)
    say "logs in $logs"
    make_pristine
    new_root main
    root_a=$work/main
    copy_project "$root_a"
    phase_test
    if [ "$what" = all ]; then
        phase_run
        phase_package
    fi
    say "done: the README's commands work on a fresh Debian 12 root (total $(elapsed))"
    # The test runner's verdict closes the log.
    grep -E '^[0-9]+% tests passed' "$logs/test.log" | tail -n1
}

main "$@"

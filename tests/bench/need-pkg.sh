# Sourced by the benchmark scripts: need_pkg COMMAND PACKAGE installs the Debian package that provides a tool the
# benchmark needs, when the tool is missing (benchmarks install what they need themselves, as tests do).
need_pkg() {
    command -v "$1" >/dev/null 2>&1 && return 0
    local sudo=
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    echo "installing $2 …"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$2" >/dev/null \
        || { $sudo apt-get update >/dev/null && $sudo env DEBIAN_FRONTEND=noninteractive \
                 apt-get install -y --no-install-recommends "$2" >/dev/null; }
}

#!/usr/bin/env bash
# The Debian package test. Builds the package with cpack from the build tree into a temporary folder, extracts it
# with dpkg -x, and checks:
#   - its control fields and declared dependencies, and that apt accepts it (apt-get install --simulate);
#   - its exact file list and ownership;
#   - that the extracted binary links only system libraries, prints its version, and imports the bundled sample;
#   - desktop-file-validate and appstreamcli validate on the extracted files, and that the desktop entry, the
#     AppStream metadata, the icon and the MIME definition name each other consistently;
#   - the file association: update-mime-database and update-desktop-database on the extracted tree (what Debian's
#     dpkg triggers run on install), then the types Qt (QMimeDatabase) and GLib (gio) give sample files.
#
#   run-package-test.sh BUILD_DIR VERSION MIMETYPEOF SAMPLE
#
# Installs the Debian tools it needs when missing. Nothing is installed on the machine from the package itself.
set -euo pipefail

if [ $# -ne 4 ]; then
    echo "usage: $0 BUILD_DIR VERSION MIMETYPEOF SAMPLE" >&2
    exit 2
fi
build=$1
version=$2
mimetypeof=$3
sample=$4
app_id=io.tracelight.Tracelight

need_pkg() { # COMMAND PACKAGE
    command -v "$1" >/dev/null 2>&1 && return 0
    local sudo=
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    echo "installing $2 …"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$2" >/dev/null \
        || { $sudo apt-get update >/dev/null && $sudo env DEBIAN_FRONTEND=noninteractive \
                 apt-get install -y --no-install-recommends "$2" >/dev/null; }
}
need_pkg dpkg-shlibdeps dpkg-dev
need_pkg desktop-file-validate desktop-file-utils
need_pkg appstreamcli appstream
need_pkg update-mime-database shared-mime-info
need_pkg gio libglib2.0-bin
need_pkg jq jq
need_pkg readelf binutils

work=$(mktemp -d "${TMPDIR:-/tmp}/tracelight-package.XXXXXX")
trap 'rm -rf "$work"' EXIT

passed=0
failed=0
ok() {
    echo "ok   $*"
    passed=$((passed + 1))
}
bad() {
    echo "FAIL $*"
    failed=$((failed + 1))
}
expect_eq() { # WHAT ACTUAL EXPECTED
    if [ "$2" == "$3" ]; then ok "$1"; else bad "$1: got '$2', expected '$3'"; fi
}
expect_true() { # WHAT COMMAND…
    local what=$1
    shift
    if "$@"; then ok "$what"; else bad "$what"; fi
}

# ------------------------------------------------------------------------------------------------------------ build
arch=$(dpkg --print-architecture)
deb_name=tracelight_${version}_${arch}.deb
echo "cpack -G DEB into $work/cpack …"
if ! (cd "$work" && cpack --config "$build/CPackConfig.cmake" -G DEB -B "$work/cpack") >"$work/cpack.log" 2>&1; then
    cat "$work/cpack.log"
    echo "FAIL cpack"
    exit 1
fi
mapfile -t debs < <(find "$work/cpack" -maxdepth 1 -name '*.deb' -printf '%f\n')
expect_eq "cpack writes one package, $deb_name" "${debs[*]}" "$deb_name"
deb=$work/cpack/$deb_name
[ -f "$deb" ] || { echo "FAIL no $deb_name: nothing more to check"; exit 1; }

# ---------------------------------------------------------------------------------------------------------- control
field() { dpkg-deb -f "$deb" "$1"; }
expect_eq "Package" "$(field Package)" tracelight
expect_eq "Version" "$(field Version)" "$version"
expect_eq "Architecture" "$(field Architecture)" "$arch"
expect_true "Maintainer is set" test -n "$(field Maintainer)"
expect_true "Description has a summary and a long description" test "$(field Description | wc -l)" -ge 2
depends=$(field Depends)
echo "Depends: $depends"
depends_names=$(tr ',|' '\n' <<<"$depends" | sed 's/^ *//; s/[ (].*//')
# The libraries the binary links (found by dpkg-shlibdeps), and libqt6svg6 for the SVG icon engine Qt loads at run time.
for pkg in libc6 libstdc++6 libqt6core6 libqt6gui6 libqt6widgets6 libsqlite3-0 libqt6svg6; do
    expect_true "Depends names $pkg" grep -Fxq "$pkg" <<<"$depends_names"
done
expect_eq "Depends names no -dev package" "$(grep -- '-dev$' <<<"$depends_names" || true)" ""
expect_eq "Recommends" "$(field Recommends)" qt6-wayland

# Resolves the dependencies against this machine's packages without installing anything.
if apt-get install --simulate --no-install-recommends "$deb" >"$work/apt.log" 2>&1 \
    && grep -Eq '^Inst tracelight |tracelight is already the newest version' "$work/apt.log"; then
    ok "apt-get install --simulate accepts the package: $(grep -c '^Inst ' "$work/apt.log") package(s) to install"
else
    cat "$work/apt.log"
    bad "apt-get install --simulate $deb_name"
fi

# ------------------------------------------------------------------------------------------------------------ files
dpkg-deb -c "$deb" >"$work/contents"
actual_files=$(awk '$1 !~ /^d/ { sub(/^\./, "", $6); print $6 }' "$work/contents" | sort)
expected_files=$(sort <<EOF
/usr/bin/tracelight
/usr/share/applications/$app_id.desktop
/usr/share/doc/tracelight/copyright
/usr/share/icons/hicolor/scalable/apps/$app_id.svg
/usr/share/metainfo/$app_id.metainfo.xml
/usr/share/mime/packages/$app_id.xml
EOF
)
expect_eq "file list" "$actual_files" "$expected_files"
expect_eq "every entry is owned by root/root" "$(awk '$2 != "root/root"' "$work/contents")" ""
expect_eq "the binary is -rwxr-xr-x" "$(awk '$6 == "./usr/bin/tracelight" { print $1 }' "$work/contents")" -rwxr-xr-x

root=$work/root
dpkg -x "$deb" "$root"
bin=$root/usr/bin/tracelight

# ----------------------------------------------------------------------------------------------------------- binary
expect_eq "no RPATH or RUNPATH in the binary" "$(readelf -d "$bin" | grep -E 'RPATH|RUNPATH' || true)" ""
expect_eq "the binary is stripped" "$(readelf -S "$bin" | grep -cE '\.debug_|\.symtab' || true)" 0
ldd_out=$(env -u LD_LIBRARY_PATH ldd "$bin")
expect_eq "every library resolves (ldd)" "$(grep 'not found' <<<"$ldd_out" || true)" ""
expect_eq "no library from the build tree" "$(grep -F "$build" <<<"$ldd_out" || true)" ""

# The binary runs with a scratch home so that nothing reaches the user's data folder.
run_bin() { env -u LD_LIBRARY_PATH -u TRACELIGHT_DB HOME="$work/home" XDG_DATA_HOME="$work/home/data" "$bin" "$@"; }
mkdir -p "$work/home"
expect_eq "tracelight --version" "$(run_bin --version)" "tracelight $version"

# Expected figures from the sample itself, not from Tracelight:
#   jq '[.resourceSpans[].scopeSpans[].spans[].traceId] | unique | length' SAMPLE   (1 for refund-agent.otlp.json)
#   jq '[.resourceSpans[].scopeSpans[].spans[]] | length' SAMPLE                     (32)
traces=$(jq '[.resourceSpans[].scopeSpans[].spans[].traceId] | unique | length' "$sample")
spans=$(jq '[.resourceSpans[].scopeSpans[].spans[]] | length' "$sample")
cache=$work/cache.sqlite
if import_out=$(run_bin import --db "$cache" "$sample" 2>&1); then
    echo "import: $import_out"
    expect_true "import reports $traces trace(s), $spans spans, all new" \
        grep -Fq ": $traces traces, $spans spans ($spans new)," <<<"$import_out"
else
    bad "tracelight import exited with an error: $import_out"
fi
list_json=$(run_bin list --db "$cache" --json)
expect_eq "list --json: traces" "$(jq length <<<"$list_json")" "$traces"
expect_eq "list --json: spans" "$(jq '[.[].spans] | add' <<<"$list_json")" "$spans"

# ------------------------------------------------------------------------------------------------ desktop, AppStream
desktop=$root/usr/share/applications/$app_id.desktop
metainfo=$root/usr/share/metainfo/$app_id.metainfo.xml
mime_xml=$root/usr/share/mime/packages/$app_id.xml
if out=$(desktop-file-validate "$desktop" 2>&1) && [ -z "$out" ]; then
    ok "desktop-file-validate"
else
    bad "desktop-file-validate: $out"
fi
if out=$(appstreamcli validate --no-net --strict --explain "$metainfo" 2>&1); then
    ok "appstreamcli validate --no-net --strict"
else
    bad "appstreamcli validate --no-net --strict: $out"
fi

desktop_key() { sed -n "s/^$1=//p" "$desktop"; }
expect_eq "Exec runs the installed binary on the files given" "$(desktop_key Exec)" "tracelight %F"
expect_true "Exec's program is in the package" test -x "$root/usr/bin/$(desktop_key Exec | cut -d' ' -f1)"
expect_true "Icon= names the installed icon" test -f "$root/usr/share/icons/hicolor/scalable/apps/$(desktop_key Icon).svg"
expect_true "the icon is an SVG document" grep -q '<svg' "$root/usr/share/icons/hicolor/scalable/apps/$app_id.svg"
desktop_types=$(desktop_key MimeType | tr ';' '\n' | sed '/^$/d' | sort)
xml_types=$(grep -o '<mime-type type="[^"]*"' "$mime_xml" | cut -d'"' -f2 | sort)
metainfo_types=$(sed -n 's|.*<mediatype>\(.*\)</mediatype>.*|\1|p' "$metainfo" | sort)
expect_eq "the desktop entry opens exactly the types the MIME file defines" "$desktop_types" "$xml_types"
expect_eq "AppStream provides the same media types" "$metainfo_types" "$xml_types"
expect_eq "AppStream launchable is the desktop entry" \
    "$(sed -n 's|.*<launchable type="desktop-id">\(.*\)</launchable>.*|\1|p' "$metainfo")" "$app_id.desktop"
expect_eq "AppStream's newest release is this version" \
    "$(grep -o '<release version="[^"]*"' "$metainfo" | head -n1 | cut -d'"' -f2)" "$version"

# ------------------------------------------------------------------------------------------------- file association
# The extracted tree comes first in the data folders, as /usr/share would on install. GLib hides a desktop entry whose TryExec is not on the PATH.
xdg_env=(env PATH="$root/usr/bin:$PATH" XDG_DATA_DIRS="$root/usr/share:/usr/share" XDG_DATA_HOME="$work/home/data"
    XDG_CONFIG_HOME="$work/home/config" HOME="$work/home")
if out=$("${xdg_env[@]}" update-mime-database "$root/usr/share/mime" 2>&1) && [ -z "$out" ]; then
    ok "update-mime-database accepts the MIME definition"
else
    bad "update-mime-database: $out"
fi
"${xdg_env[@]}" update-desktop-database "$root/usr/share/applications"

files=$work/files
mkdir -p "$files"
cp "$sample" "$files/run.otlp.json"
jq -c . "$sample" >"$files/run.otlp.jsonl"
cp "$sample" "$files/run.json"
jq . "$sample" >"$files/pretty-run"
{ printf '{"result": '; jq -c . "$sample"; printf '}\n'; } >"$files/query-result"
jq -c . "$sample" >"$files/collector-output"
printf '{"resourceMetrics": []}\n' >"$files/metrics-only"
printf '{"name": "not a trace", "resourceSpans_count": 0}\n' >"$files/other.json"
# FILE  QT-TYPE  GLIB-TYPE: by glob first, by content when the name says nothing; OTLP metrics are not claimed.
# For a *.json name, which matches application/json's glob, GLib refines the glob's type by content to its
# sub-class, while Qt keeps the glob's type as the shared-mime-info spec says: Qt programs see run.json as JSON.
cases=(
    "run.otlp.json application/x-otlp+json application/x-otlp+json"
    "run.otlp.jsonl application/x-otlp+jsonl application/x-otlp+jsonl"
    "run.json application/json application/x-otlp+json"
    "pretty-run application/x-otlp+json application/x-otlp+json"
    "query-result application/x-otlp+json application/x-otlp+json"
    "collector-output application/x-otlp+json application/x-otlp+json"
    "other.json application/json application/json"
    "metrics-only text/plain text/plain"
)
for row in "${cases[@]}"; do
    read -r file qt_type glib_type <<<"$row"
    expect_eq "Qt: $file is $qt_type" "$("${xdg_env[@]}" "$mimetypeof" "$files/$file")" "$qt_type"
    expect_eq "GLib: $file is $glib_type" \
        "$("${xdg_env[@]}" gio info -a standard::content-type "$files/$file" | sed -n 's/^ *standard::content-type: //p')" \
        "$glib_type"
done
for type in application/x-otlp+json application/x-otlp+jsonl; do
    expect_true "GLib: $app_id.desktop is the default application for $type" \
        grep -q "^Default application for .*: $app_id.desktop$" <("${xdg_env[@]}" gio mime "$type")
done

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

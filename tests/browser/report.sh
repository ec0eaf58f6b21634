#!/bin/sh
# Render the HTML quality report of the Longchuan fixture in headless Chromium:
# the page must render, contain its SVG charts and log no console errors. The
# screenshots go to $BUILD/report-en.png and $BUILD/report-zh.png.
set -eu

: "${THEMEDB:?set THEMEDB to the themedb binary}"
: "${BUILD:?set BUILD to the build folder}"

# Debian's chromium, plus a CJK font so that the Chinese page renders.
missing=""
for package in chromium fonts-wqy-microhei; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed"; then
        missing="$missing $package"
    fi
done
if [ -n "$missing" ]; then
    echo "test-browser: installing$missing"
    if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=""; fi
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q $missing
fi

work="$BUILD/browser"
rm -rf "$work"
mkdir -p "$work"
failures=0
"$THEMEDB" build fixtures/longchuan/manifest.ini -o "$work/theme.db" -q

render() {
    # render LANG: write the page, its rendered DOM, the browser log and a screenshot
    lang=$1
    "$THEMEDB" report "$work/theme.db" --lang "$lang" --html "$work/report-$lang.html" > /dev/null
    profile=$(mktemp -d "$work/profile.XXXXXX")
    flags="--headless --no-sandbox --disable-gpu --disable-background-networking
        --disable-component-update --disable-sync --no-first-run --user-data-dir=$profile
        --enable-logging=stderr --v=0 --window-size=1300,2400"
    # shellcheck disable=SC2086 # flags are words on purpose
    timeout 120 chromium $flags --dump-dom "file://$work/report-$lang.html" \
        > "$work/dom-$lang.html" 2> "$work/chromium-$lang.log"
    rm -rf "$profile"
    profile=$(mktemp -d "$work/profile.XXXXXX")
    # shellcheck disable=SC2086
    timeout 120 chromium $flags --screenshot="$BUILD/report-$lang.png" "file://$work/report-$lang.html" \
        >> "$work/chromium-$lang.log" 2>&1
    rm -rf "$profile"
}

check() {
    # check NAME COMMAND...
    name=$1
    shift
    if "$@"; then
        echo "ok   $name"
    else
        echo "FAIL $name"
        failures=$((failures + 1))
    fi
}

for lang in en zh; do
    render "$lang"
    dom="$work/dom-$lang.html"
    check "$lang page rendered" grep -q "<h1>" "$dom"
    check "$lang metric charts" test "$(grep -o '<svg class="chart metrics"' "$dom" | wc -l)" -ge 6
    check "$lang problem chart" grep -q '<svg class="chart rules"' "$dom"
    check "$lang bars drawn" test "$(grep -o 'class="bar"' "$dom" | wc -l)" -ge 30
    check "$lang no console errors" sh -c "! grep -Eiq 'CONSOLE|Uncaught|Failed to load resource' '$work/chromium-$lang.log'"
    check "$lang screenshot saved" test -s "$BUILD/report-$lang.png"
done
check "zh page in Chinese" grep -q "数据质量报告" "$work/dom-zh.html"

if [ "$failures" -gt 0 ]; then
    echo "test-browser: $failures failures (logs in $work)"
    exit 1
fi
echo "test-browser: all passed; screenshots in $BUILD/report-en.png and $BUILD/report-zh.png"

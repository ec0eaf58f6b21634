#!/bin/sh
# Peak memory of `themedb build` at the end of each stage, for one or more generated
# counties. THEMEDB_TEST_PAUSE stops the build at the start of a stage, and the peak
# resident size so far (VmHWM in /proc/PID/status) is then the peak of every stage
# before it. The last column is the whole build's peak from /usr/bin/time.
#
# Usage: bench/memory_by_stage.sh THEMEDB DIR...   (each DIR written by gen-county)
# Prints one line per DIR: source rows, then the peak in KiB before normalize,
# assemble, link, quality, write, finish, and at the end of the build.
set -eu

themedb=$1
shift

# Count the data rows of every source file of DIR (gzip or plain, minus the header).
count_rows() {
    total=0
    for file in "$1"/*.csv "$1"/*.csv.gz; do
        [ -f "$file" ] || continue
        case $file in
        *.gz) lines=$(zcat "$file" | wc -l) ;;
        *) lines=$(wc -l < "$file") ;;
        esac
        total=$((total + lines - 1))
    done
    echo "$total"
}

# Print VmHWM in KiB of a build stopped at stage $2 of manifest $1.
peak_before() {
    output=$(mktemp -u /tmp/memory_by_stage.XXXXXX.db)
    THEMEDB_TEST_PAUSE=$2 "$themedb" build "$1" -o "$output" -q &
    pid=$!
    while [ "$(sed 's/.*) \(.\).*/\1/' "/proc/$pid/stat" 2>/dev/null || echo gone)" != T ]; do
        sleep 0.05
    done
    awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status"
    kill -KILL "$pid"
    wait "$pid" 2>/dev/null || true
    rm -f "$output" "$output".tmp-*
}

printf '%-28s %10s %10s %10s %10s %10s %10s %10s %10s\n' county rows normalize assemble link quality write \
    finish end
for dir in "$@"; do
    rows=$(count_rows "$dir")
    line=$(printf '%-28s %10s' "$(basename "$dir")" "$rows")
    for stage in normalize assemble link quality write finish; do
        line="$line $(printf '%10s' "$(peak_before "$dir/manifest.ini" "$stage")")"
    done
    output=$(mktemp -u /tmp/memory_by_stage.XXXXXX.db)
    end=$(/usr/bin/time -f '%M' "$themedb" build "$dir/manifest.ini" -o "$output" -q 2>&1 | tail -1)
    rm -f "$output"
    echo "$line $(printf '%10s' "$end")"
done

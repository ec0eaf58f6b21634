#!/bin/sh
# Determinism and privacy of `themedb build` on the Longchuan fixture.
# - Two 2-thread builds and a 1-thread build give the same `themedb hash`.
# - No ID number, credit code or name of the fixture appears in the build log, at the
#   debug level (-v) and in both English and Chinese messages.
set -eu

: "${THEMEDB:?set THEMEDB to the themedb binary}"
: "${BUILD:?set BUILD to the build folder}"
work="$BUILD/e2e-determinism"
rm -rf "$work"
mkdir -p "$work"
failures=0
fixture=fixtures/longchuan

pass() { echo "ok   $1"; }
fail() {
    echo "FAIL $1"
    failures=$((failures + 1))
}

LC_ALL=C.UTF-8 LANGUAGE= "$THEMEDB" build "$fixture/manifest.ini" -o "$work/first.db" -j 2 -v \
    2> "$work/first.log"
"$THEMEDB" build "$fixture/manifest.ini" -o "$work/second.db" -j 2 -q
LANG=zh_CN.UTF-8 LC_ALL= LANGUAGE= "$THEMEDB" build "$fixture/manifest.ini" -o "$work/serial.db" \
    -j 1 -v 2> "$work/serial.log"
for name in first second serial; do
    "$THEMEDB" hash "$work/$name.db" > "$work/$name.hash"
done

# ---- determinism ----

if cmp -s "$work/first.hash" "$work/second.hash"; then
    pass "two builds hash the same"
else
    fail "two builds hash differently"
    diff "$work/first.hash" "$work/second.hash" || true
fi
if cmp -s "$work/first.hash" "$work/serial.hash"; then
    pass "1-thread and 2-thread builds hash the same"
else
    fail "1-thread and 2-thread builds hash differently"
    diff "$work/first.hash" "$work/serial.hash" || true
fi
threads=$(sqlite3 "$work/first.db" "SELECT threads FROM build_run")$(sqlite3 "$work/serial.db" "SELECT threads FROM build_run")
if [ "$threads" = 21 ]; then pass "build_run records the thread counts"; else fail "build_run threads: $threads"; fi
tables=$(grep -c . "$work/first.hash")
if [ "$tables" -ge 14 ] && ! grep -q '^build_run ' "$work/first.hash" && grep -q '^total ' "$work/first.hash"; then
    pass "hash lists every table but build_run, then the total"
else
    fail "hash output is incomplete"
    cat "$work/first.hash"
fi

# A changed value or value type changes the hash, and a new row order does not.
cp "$work/first.db" "$work/changed.db"
sqlite3 "$work/changed.db" "UPDATE vehicle SET brand = brand || 'x' WHERE rowid = (SELECT min(rowid) FROM vehicle)"
if "$THEMEDB" hash "$work/changed.db" | cmp -s - "$work/first.hash"; then
    fail "hash misses a changed value"
else
    pass "hash sees a changed value"
fi
cp "$work/first.db" "$work/typed.db"
sqlite3 "$work/typed.db" "UPDATE reject SET raw = CAST(raw AS TEXT) WHERE reject_id = 1"
if "$THEMEDB" hash "$work/typed.db" | cmp -s - "$work/first.hash"; then
    fail "hash misses a changed value type"
else
    pass "hash sees a changed value type"
fi
sqlite3 "$work/first.db" "CREATE TABLE reordered AS SELECT * FROM person ORDER BY name DESC;
    DELETE FROM person; INSERT INTO person SELECT * FROM reordered; DROP TABLE reordered; VACUUM"
if "$THEMEDB" hash "$work/first.db" | cmp -s - "$work/first.hash"; then
    pass "hash ignores the physical row order"
else
    fail "hash depends on the physical row order"
fi

# ---- privacy in logs ----

# Every ID number, credit code and name of the persons, legal entities and vehicle
# owners, as the sources spell them, one per line. Values under 6 bytes (placeholders
# such as 无, one-character names) are left out because ordinary words contain them.
zcat "$fixture/persons.csv.gz" | awk -F, 'NR > 1 { print $1; print $2 }' > "$work/personal.txt"
iconv -f GB18030 -t UTF-8 "$fixture/legal_entities.csv" |
    awk -F, 'NR > 1 { print $1; print $3; print $4 }' >> "$work/personal.txt"
zcat "$fixture/vehicles.csv.gz" | head -1 | tr ',' '\n' | grep -n -x -e 所有人 -e 所有人证件号码 |
    cut -d: -f1 > "$work/owner-columns.txt"
for column in $(cat "$work/owner-columns.txt"); do
    zcat "$fixture/vehicles.csv.gz" | cut -d, -f"$column" | tail -n +2 >> "$work/personal.txt"
done
tr -d '"' < "$work/personal.txt" | awk 'length($0) >= 6 && $0 !~ /^0+$/' | sort -u > "$work/patterns.txt"
count=$(wc -l < "$work/patterns.txt")
if [ "$count" -ge 4000 ]; then pass "privacy: $count values to look for"; else fail "privacy: only $count values extracted"; fi

for log in first serial; do
    lines=$(wc -l < "$work/$log.log")
    if [ "$lines" -ge 10 ]; then pass "privacy: $log log has $lines lines"; else fail "privacy: $log log is too short"; fi
    if grep -F -f "$work/patterns.txt" "$work/$log.log" > "$work/$log.leaks"; then
        fail "privacy: personal data in the $log log"
        head -5 "$work/$log.leaks"
    else
        pass "privacy: no personal data in the $log log"
    fi
done

if [ "$failures" -ne 0 ]; then
    echo "e2e_determinism: $failures failures"
    exit 1
fi
echo "e2e_determinism: all checks passed"

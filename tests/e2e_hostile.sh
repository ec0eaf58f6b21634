#!/bin/sh
# Hostile input to `themedb build`: every case must end in rejected rows or a clear
# error, never in a crash, a hang or unbounded memory, and a failed build must leave
# the existing output byte-identical. Large inputs are generated here, not committed.
set -eu

: "${THEMEDB:?set THEMEDB to the themedb binary}"
: "${BUILD:?set BUILD to the build folder}"
work="$BUILD/e2e-hostile"
rm -rf "$work"
mkdir -p "$work"
failures=0
header='公民身份号码,姓名,备注'
row_a='441622198001010017,张三,a'
row_b='441622199002150024,李四,b'

measure=""
if [ -x /usr/bin/time ]; then
    measure="/usr/bin/time -f %M -o $work/peak.kib"
else
    echo "skip: peak memory is not measured (install the Debian package time)"
fi

pass() { echo "ok   $1"; }
fail() {
    echo "FAIL $1"
    failures=$((failures + 1))
}

# manifest NAME FILE [ENCODING]: a manifest with one person source reading FILE.
manifest() {
    cat > "$work/$1.ini" <<INI
[build]
as_of = 2026-12-01

[source persons]
kind = person
path = $2
encoding = ${3:-utf-8}
column.id_number = 公民身份号码
column.name = 姓名
INI
}

# build NAME [OUTPUT]: build $work/NAME.ini into OUTPUT, by default $work/NAME.db.
# Stores the exit status in $status and the log in $work/NAME.log. The case fails when
# the build runs past 120 s, dies from a signal, has a sanitizer report, or peaks
# above 256 MiB of memory. The release build stays under 10 MiB on every case here,
# and the rest is room for a sanitizer's shadow memory.
build() {
    status=0
    $measure timeout 120 "$THEMEDB" build "$work/$1.ini" -o "${2:-$work/$1.db}" -j 2 \
        > "$work/$1.log" 2>&1 || status=$?
    if [ "$status" -gt 1 ] || grep -q -e 'Sanitizer' -e 'runtime error' "$work/$1.log"; then
        fail "$1: build crashed or timed out (exit status $status)"
        tail -20 "$work/$1.log"
    fi
    if [ -n "$measure" ]; then
        peak_kib=$(tail -1 "$work/peak.kib")
        [ "$peak_kib" -lt 262144 ] || fail "$1: peak memory $peak_kib KiB"
    fi
}

# expect_rows NAME LOADED "LINE|REASON ...": loaded rows and rejects of $work/NAME.db.
expect_rows() {
    if [ "$status" -ne 0 ]; then
        fail "$1: build failed with status $status"
        tail -5 "$work/$1.log"
        return
    fi
    loaded=$(sqlite3 "$work/$1.db" "SELECT rows_loaded FROM source_file")
    if [ "$loaded" = "$2" ]; then pass "$1: $2 rows loaded"; else fail "$1: $loaded rows loaded, expected $2"; fi
    rejects=$(sqlite3 "$work/$1.db" "SELECT group_concat(line || '|' || reason, ' ') FROM (SELECT * FROM reject ORDER BY line)")
    if [ "$rejects" = "$3" ]; then pass "$1: rejects $3"; else fail "$1: rejects [$rejects], expected [$3]"; fi
}

# expect_error NAME TEXT: the build failed, printed TEXT, and left the old output alone.
expect_error() {
    if [ "$status" -eq 1 ]; then pass "$1: build fails"; else fail "$1: build exited with status $status"; fi
    if grep -q -F -e "$2" "$work/$1.log"; then
        pass "$1: error says '$2'"
    else
        fail "$1: error does not say '$2'"
        cat "$work/$1.log"
    fi
    if cmp -s "$work/keep.db" "$work/keep.before"; then pass "$1: old output unchanged"; else fail "$1: old output changed"; fi
}

# An existing output, which failed builds must leave byte-identical.
printf '%s\n%s\n' "$header" "$row_a" > "$work/good.csv"
manifest good "$work/good.csv"
build good "$work/keep.db"
cp "$work/keep.db" "$work/keep.before"

# ---- very long line, many columns, NUL bytes ----

# A 1 GiB line streamed from a generator: rejected as too_long, read in bounded memory.
{
    printf '%s\n%s\n' "$header" "$row_a"
    head -c 1073741824 /dev/zero | tr '\0' x
    printf '\n%s\n' "$row_b"
} > "$work/huge-line.csv"
manifest huge-line "$work/huge-line.csv"
build huge-line
rm -f "$work/huge-line.csv"
expect_rows huge-line 2 "3|too_long"
if [ -n "$measure" ]; then pass "huge-line: peak memory $peak_kib KiB"; fi

# A row and a header with a million columns.
{
    printf '%s\n%s\n' "$header" "$row_a"
    head -c 1000000 /dev/zero | tr '\0' ,
    printf '\n%s\n' "$row_b"
} > "$work/million-columns.csv"
manifest million-columns "$work/million-columns.csv"
build million-columns
expect_rows million-columns 2 "3|too_many_fields"
{
    head -c 1000000 /dev/zero | tr '\0' ,
    printf '\n%s\n' "$row_a"
} > "$work/million-header.csv"
manifest million-header "$work/million-header.csv"
build million-header "$work/keep.db"
expect_error million-header "is unreadable (too_many_fields)"

printf '%s\n%s\n441622199002150024,李\0四,b\n\0\0\0\n' "$header" "$row_a" > "$work/nul.csv"
manifest nul "$work/nul.csv"
build nul
expect_rows nul 1 "3|nul_byte 4|nul_byte"
printf '公民身份号码,姓\0名,备注\n%s\n' "$row_a" > "$work/nul-header.csv"
manifest nul-header "$work/nul-header.csv"
build nul-header "$work/keep.db"
expect_error nul-header "is unreadable (nul_byte)"

# Random bytes after a valid header: whatever the rows are, the build finishes.
{
    printf '%s\n' "$header"
    head -c 1048576 /dev/urandom
} > "$work/random.csv"
manifest random "$work/random.csv"
build random
if [ "$status" -eq 0 ]; then pass "random: build finishes"; else fail "random: build failed"; fi

# ---- encodings ----

# Invalid UTF-8: a stray byte, an overlong slash, a UTF-16 surrogate, a cut character.
printf '%s\n%s\n1,\377\376,x\n2,\300\257,x\n3,\355\240\200,x\n4,\344\270' "$header" "$row_a" > "$work/utf8.csv"
manifest utf8 "$work/utf8.csv"
build utf8
expect_rows utf8 1 "3|invalid_encoding 4|invalid_encoding 5|invalid_encoding 6|invalid_encoding"

# Invalid GB18030: a bad trail byte, a bad four-byte sequence, a cut sequence at the end.
printf '%s\n%s\n' "$header" "$row_a" | iconv -f UTF-8 -t GB18030 > "$work/gb18030.csv"
printf '1,\201\040,x\n2,\201\060\377\060,x\n3,\301\372\264\250,x\n4,\201' >> "$work/gb18030.csv"
manifest gb18030 "$work/gb18030.csv" gb18030
build gb18030
expect_rows gb18030 2 "3|invalid_encoding 4|invalid_encoding 6|invalid_encoding"
if [ "$(sqlite3 "$work/gb18030.db" "SELECT name FROM person WHERE id_number_raw = '3'")" = 龙川 ]; then
    pass "gb18030: valid row converted"
else
    fail "gb18030: valid row not converted"
fi

# A byte order mark at the start of a later line is dropped, and inside a field kept.
printf '\357\273\277%s\n%s\n\357\273\277%s\n9,王\357\273\277五,c\n' "$header" "$row_a" "$row_b" > "$work/bom.csv"
manifest bom "$work/bom.csv"
build bom
expect_rows bom 3 ""
if [ "$(sqlite3 "$work/bom.db" "SELECT count(*) FROM person WHERE id_number = '441622199002150024'")" = 1 ]; then
    pass "bom: mid-file BOM dropped from the key"
else
    fail "bom: mid-file BOM kept in the key"
fi

# ---- structure ----

printf '%s\n%s\n%s\n9,"王五,c\nmore text' "$header" "$row_a" "$row_b" > "$work/open-quote.csv"
manifest open-quote "$work/open-quote.csv"
build open-quote
expect_rows open-quote 2 "4|unterminated_quote"

: > "$work/empty.csv"
manifest empty "$work/empty.csv"
build empty "$work/keep.db"
expect_error empty "is empty: expected a header line"

printf '%s\r\n' "$header" > "$work/header-only.csv"
manifest header-only "$work/header-only.csv"
build header-only
expect_rows header-only 0 ""

printf '公民身份号码,姓名,姓名\n%s\n' "$row_a" > "$work/duplicate-mapped.csv"
manifest duplicate-mapped "$work/duplicate-mapped.csv"
build duplicate-mapped "$work/keep.db"
expect_error duplicate-mapped "column '姓名' appears 2 times"
printf '公民身份号码,姓名,备注,备注\n%s,d\n' "$row_a" > "$work/duplicate-unmapped.csv"
manifest duplicate-unmapped "$work/duplicate-unmapped.csv"
build duplicate-unmapped
expect_rows duplicate-unmapped 1 ""

# An address of punctuation only has an empty canonical form and must still be written.
printf '号牌号码,住所地址\n粤P12345,<\n粤P12346,-\n粤P12347,（）\n' > "$work/punctuation.csv"
printf '[source vehicles]\nkind = vehicle\npath = punctuation.csv\ncolumn.plate = 号牌号码\ncolumn.owner_address = 住所地址\n' \
    > "$work/punctuation.ini"
build punctuation
expect_rows punctuation 3 ""

# ---- gzip ----

{
    printf '%s\n' "$header"
    seq 100000 199999 | sed 's/^/441622198001/; s/$/,某,x/'
} | gzip -6 > "$work/whole.csv.gz"
size=$(wc -c < "$work/whole.csv.gz")
head -c $((size / 2)) "$work/whole.csv.gz" > "$work/truncated.csv.gz"
manifest truncated "$work/truncated.csv.gz"
build truncated "$work/keep.db"
expect_error truncated "gzip stream is truncated"
{
    head -c $((size / 2)) "$work/whole.csv.gz"
    head -c 4096 /dev/zero | tr '\0' '\377'
    tail -c +$((size / 2 + 4097)) "$work/whole.csv.gz"
} > "$work/corrupt.csv.gz"
manifest corrupt "$work/corrupt.csv.gz"
build corrupt "$work/keep.db"
expect_error corrupt "gzip stream is corrupt"
printf '\037\213' > "$work/magic-only.csv.gz"
manifest magic-only "$work/magic-only.csv.gz"
build magic-only "$work/keep.db"
expect_error magic-only "gzip stream is truncated"

# ---- manifest ----

manifest missing "$work/no-such-file.csv"
build missing "$work/keep.db"
expect_error missing "file not found: $work/no-such-file.csv"

manifest folder "$work"
build folder "$work/keep.db"
expect_error folder "not a regular file: $work"

sed 's/^kind = person/kind = citizen/' "$work/good.ini" > "$work/unknown-kind.ini"
build unknown-kind "$work/keep.db"
expect_error unknown-kind "unknown kind 'citizen'"

{
    cat "$work/good.ini"
    printf '\n[source again]\nkind = person\npath = %s/./good.csv\ncolumn.id_number = 公民身份号码\n' "$work"
} > "$work/same-file.ini"
build same-file "$work/keep.db"
expect_error same-file "source 'again' reads the same file as source 'persons'"

cp "$work/good.csv" "$work/good.before"
manifest output-is-input "$work/good.csv"
build output-is-input "$work/good.csv"
expect_error output-is-input "this source is also the output file"
if cmp -s "$work/good.csv" "$work/good.before"; then pass "output-is-input: source unchanged"; else fail "output-is-input: source overwritten"; fi
sed "s|^as_of = 2026-12-01|&\noutput = $work/good.csv|" "$work/good.ini" > "$work/build-output.ini"
status=0
"$THEMEDB" build "$work/build-output.ini" > "$work/build-output.log" 2>&1 || status=$?
expect_error build-output "this source is also the output file"
if cmp -s "$work/good.csv" "$work/good.before"; then pass "build-output: source unchanged"; else fail "build-output: source overwritten"; fi

cp "$work/good.ini" "$work/manifest-output.ini"
cp "$work/good.ini" "$work/good-ini.before"
build manifest-output "$work/manifest-output.ini"
expect_error manifest-output "the output file is the manifest itself"
if cmp -s "$work/manifest-output.ini" "$work/good-ini.before"; then
    pass "manifest-output: manifest unchanged"
else
    fail "manifest-output: manifest overwritten"
fi

# A truncated stream is reported at the physical line where reading stopped: the line
# after the last complete one that gzip itself can recover.
stopped=$(( $(zcat "$work/truncated.csv.gz" 2>/dev/null | wc -l) + 1 ))
if grep -q "truncated.csv.gz at line $stopped: gzip stream is truncated" "$work/truncated.log"; then
    pass "truncated: error names line $stopped"
else
    fail "truncated: error does not name line $stopped"
    cat "$work/truncated.log"
fi

if [ "$failures" -ne 0 ]; then
    echo "e2e_hostile: $failures failures"
    exit 1
fi
echo "e2e_hostile: all checks passed"

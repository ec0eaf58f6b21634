#!/bin/sh
# End-to-end checks of `themedb build` on the small hand-made sources in tests/data/mini:
# the tables it writes, row conservation, exact links, rejects, and a broken manifest
# that must leave an existing output file byte-identical.
set -eu

: "${THEMEDB:?set THEMEDB to the themedb binary}"
: "${BUILD:?set BUILD to the build folder}"
work="$BUILD/e2e-build"
rm -rf "$work"
mkdir -p "$work"
failures=0

check() {
    # check NAME EXPECTED SQL
    actual=$(sqlite3 "$work/mini.db" "$3")
    if [ "$actual" != "$2" ]; then
        echo "FAIL $1: expected [$2], got [$actual]"
        failures=$((failures + 1))
    else
        echo "ok   $1"
    fi
}

"$THEMEDB" build tests/data/mini/manifest.ini -o "$work/mini.db" -q

for table in build_run source_file reject lineage division address person legal_entity \
             certificate vehicle housing housing_owner link quality_issue quality_metric; do
    check "table $table exists" 1 "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '$table'"
done
check "rows conserved per file" 0 \
    "SELECT count(*) FROM source_file WHERE rows_read != rows_loaded + rows_rejected"
check "rejects match source_file" 1 \
    "SELECT (SELECT sum(rows_rejected) FROM source_file) = (SELECT count(*) FROM reject)"
check "ragged row rejected" "8|field_count" \
    "SELECT r.line, r.reason FROM reject r JOIN source_file f USING (source_file_id) WHERE f.source = 'persons' AND reason = 'field_count'"
check "missing key rejected" "9|missing_key" \
    "SELECT r.line, r.reason FROM reject r JOIN source_file f USING (source_file_id) WHERE f.source = 'persons' AND reason = 'missing_key'"
check "quoted newline keeps line numbers" "4" \
    "SELECT source_line FROM person WHERE name = '王,五'"
check "duplicate person merged, newest row kept" "1|6" \
    "SELECT count(*), max(source_line) FROM person WHERE id_number = '441622198001010017'"
check "placeholder ID is not a key" "|000000000000000000" \
    "SELECT id_number, id_number_raw FROM person WHERE name = '赵六'"
check "vehicle owner by ID" "exact|person" \
    "SELECT owner_match, owner_kind FROM vehicle WHERE plate = '粤P12345'"
check "vehicle owner by credit code" "exact|legal_entity" \
    "SELECT owner_match, owner_kind FROM vehicle WHERE plate_raw = '粤P·A2345'"
check "full-width owner ID links" "441622200003010037|exact" \
    "SELECT owner_id, owner_match FROM vehicle WHERE plate = '粤P55555'"
check "missing owner ID stays unlinked" "none" \
    "SELECT owner_match FROM vehicle WHERE plate = '粤P66666'"
check "co-owners from one cell" "1|张三|exact
2|李四|exact" \
    "SELECT seq, owner_name, owner_match FROM housing_owner ORDER BY seq"
check "gzip source read" "1" "SELECT rows_loaded FROM source_file WHERE source = 'housing'"
check "gb18030 source read" "龙川县示例有限公司" "SELECT name FROM legal_entity"
check "legal representative linked" "1" \
    "SELECT count(*) FROM legal_entity l JOIN person p ON p.person_id = l.legal_rep_person_id"
check "division scope kept" "441622" "SELECT code FROM division WHERE name = '龙川县'"
check "division outside scope dropped" "0" "SELECT count(*) FROM division WHERE code LIKE '4401%'"
check "coordinates from address point" "115.25|24.1" \
    "SELECT longitude, latitude FROM housing"
check "every theme row has lineage" "0" \
    "SELECT count(*) FROM vehicle v WHERE NOT EXISTS (SELECT 1 FROM lineage l WHERE l.row_id = v.vehicle_id)"
check "links carry rule and probability" "0" \
    "SELECT count(*) FROM link WHERE rule = '' OR probability IS NULL"
check "chinese view works" "4" "SELECT count(*) FROM 车辆主题库"

# A broken manifest: every problem is listed and the existing output stays byte-identical.
cp "$work/mini.db" "$work/before.db"
cat > "$work/broken.ini" <<INI
[build]
threads = many

[source persons]
kind = person
path = $(pwd)/tests/data/mini/persons.csv
column.id_number = 身份证号
column.nickname = 昵称

[source cars]
kind = spaceship
path = missing.csv

[source houses]
kind = housing
path = $(pwd)/tests/data/mini/housing.csv.gz
INI
if "$THEMEDB" build "$work/broken.ini" -o "$work/mini.db" 2> "$work/broken.log"; then
    echo "FAIL broken manifest: build succeeded"
    failures=$((failures + 1))
fi
for expected in ":2: invalid thread count 'many'" ":8: unknown field 'nickname'" \
                ":11: unknown kind 'spaceship'" "does not map its key column: add column.location" "missing.csv"; do
    if grep -q -F "$expected" "$work/broken.log"; then
        echo "ok   broken manifest lists: $expected"
    else
        echo "FAIL broken manifest does not list: $expected"
        cat "$work/broken.log"
        failures=$((failures + 1))
    fi
done
if cmp -s "$work/mini.db" "$work/before.db"; then
    echo "ok   broken manifest leaves the output byte-identical"
else
    echo "FAIL broken manifest changed the output file"
    failures=$((failures + 1))
fi

# A header problem is found before any data is read, and named with its manifest line.
sed 's/column.name = 姓名/column.name = 名字/' tests/data/mini/manifest.ini > "$work/header.ini"
sed -i "s|path = |path = $(pwd)/tests/data/mini/|; s|path = $(pwd)/tests/data/mini/\$|path = |" "$work/header.ini"
if "$THEMEDB" build "$work/header.ini" -o "$work/mini.db" 2> "$work/header.log"; then
    echo "FAIL header problem: build succeeded"
    failures=$((failures + 1))
elif grep -q "column '名字' not found in the header" "$work/header.log"; then
    echo "ok   missing header column reported"
else
    echo "FAIL missing header column not reported"
    cat "$work/header.log"
    failures=$((failures + 1))
fi

# Messages follow the locale.
if LANG=zh_CN.UTF-8 LC_ALL= LANGUAGE= "$THEMEDB" build "$work/broken.ini" -o "$work/mini.db" 2>&1 | grep -q "未知的类型"; then
    echo "ok   zh_CN messages"
else
    echo "FAIL zh_CN messages are not Chinese"
    failures=$((failures + 1))
fi

if [ "$failures" -ne 0 ]; then
    echo "e2e_build: $failures failures"
    exit 1
fi
echo "e2e_build: all checks passed"

#!/bin/sh
# End-to-end checks of the quality stage on the Longchuan fixture. Every seeded
# problem that the engine can detect must have its work order with the right rule
# code (the mapping is in docs/quality-rules.md). Metrics must be numerator /
# denominator, identifiers masked, and the output the same whatever the thread
# count. Theme rows must have lineage, the Chinese views must work, and
# `themedb export` / `themedb report` must behave as their help describes.
set -eu

: "${THEMEDB:?set THEMEDB to the themedb binary}"
: "${BUILD:?set BUILD to the build folder}"
work="$BUILD/e2e-quality"
rm -rf "$work"
mkdir -p "$work"
db="$work/theme.db"
failures=0

check() {
    # check NAME EXPECTED SQL
    actual=$(sqlite3 "$db" "$3")
    if [ "$actual" != "$2" ]; then
        echo "FAIL $1: expected [$2], got [$actual]"
        failures=$((failures + 1))
    else
        echo "ok   $1"
    fi
}

check_true() {
    # check_true NAME COMMAND...
    name=$1
    shift
    if "$@"; then
        echo "ok   $name"
    else
        echo "FAIL $name"
        failures=$((failures + 1))
    fi
}

"$THEMEDB" build fixtures/longchuan/manifest.ini -o "$db" -j 2 -q
"$THEMEDB" build fixtures/longchuan/manifest.ini -o "$work/one-thread.db" -j 1 -q

# ---- seeded problems ----------------------------------------------------------
# Generator problem code -> rule codes that report it (docs/quality-rules.md).
sqlite3 "$db" <<'EOF'
CREATE TABLE problem (source TEXT, line INTEGER, field TEXT, problem TEXT);
CREATE TABLE problem_rule (problem TEXT, rule TEXT);
INSERT INTO problem_rule VALUES
 ('id_mistyped', 'id_checksum'), ('id_mistyped', 'id_birth_date'),
 ('id_transposed', 'id_checksum'), ('id_transposed', 'id_birth_date'),
 ('id_legacy15', 'id_nonstandard'), ('id_lowercase_x', 'id_nonstandard'),
 ('id_fullwidth', 'id_nonstandard'), ('uscc_lowercase', 'id_nonstandard'),
 ('plate_format', 'id_nonstandard'), ('id_placeholder', 'placeholder'),
 ('owner_id_missing', 'value_missing'), ('owner_unknown', 'party_not_found'),
 ('name_homophone', 'name_mismatch'), ('name_traditional', 'name_nonstandard'),
 ('name_separator', 'name_mismatch'), ('name_separator', 'name_nonstandard'),
 ('address_abbreviated', 'address_nonstandard'), ('address_abbreviated', 'address_partial'),
 ('address_level_missing', 'address_nonstandard'), ('address_level_missing', 'address_partial'),
 ('stale', 'stale_record'),
 ('duplicate_row', 'duplicate_key'), ('malformed_row', 'row_rejected');
EOF
sqlite3 "$db" ".import --csv --skip 1 fixtures/longchuan/truth/problems.csv problem"

# A problem is detectable when its rule has the data it needs. A misheard name
# needs a linked record, to compare with the base record's name, and a base-table
# name has no second spelling on its own line. An unknown owner needs a valid ID.
sqlite3 "$db" <<'EOF'
CREATE TABLE detectable AS
SELECT p.* FROM problem p
WHERE p.problem IN (SELECT problem FROM problem_rule)
  AND NOT (p.problem = 'name_homophone' AND (p.source IN ('persons') OR NOT EXISTS (
        SELECT 1 FROM link l JOIN source_file f USING (source_file_id)
        WHERE f.source = p.source AND l.source_line = p.line)))
  AND NOT (p.problem = 'owner_unknown' AND EXISTS (
        SELECT 1 FROM problem o WHERE o.source = p.source AND o.line = p.line
        AND o.problem IN ('id_mistyped', 'id_transposed', 'id_placeholder', 'owner_id_missing')));
CREATE TABLE found AS
SELECT d.*, EXISTS (
    SELECT 1 FROM quality_issue q JOIN problem_rule r ON r.rule = q.rule AND r.problem = d.problem
    WHERE q.source = d.source AND q.line = d.line
      AND (q.field = d.field OR d.problem IN ('malformed_row', 'duplicate_row'))) AS hit
FROM detectable d;
EOF
for problem in $(sqlite3 "$db" "SELECT DISTINCT problem FROM problem_rule ORDER BY 1"); do
    check "seeded $problem reported" 0 \
        "SELECT count(*) FROM found WHERE problem = '$problem' AND hit = 0"
done
check "seeded problems present" 1 "SELECT count(DISTINCT problem) >= 17 FROM detectable"
# Fuzzy linkage finds the owner of a mistyped ID; the work order suggests that
# owner's ID, masked like the value.
sqlite3 "$db" "CREATE TABLE truth_link (link_type TEXT, source TEXT, line INTEGER, to_kind TEXT, to_key TEXT)"
sqlite3 "$db" ".import --csv --skip 1 fixtures/longchuan/truth/links.csv truth_link"
check "mistyped IDs get suggestions" 1 \
    "SELECT count(*) >= 20 FROM quality_issue q JOIN problem p ON p.source = q.source AND p.line = q.line AND p.field = q.field
     WHERE p.problem IN ('id_mistyped', 'id_transposed') AND q.rule LIKE 'id_%' AND q.suggestion IS NOT NULL"
check "suggested IDs are the true owners" 0 \
    "SELECT count(*) FROM quality_issue q JOIN problem p ON p.source = q.source AND p.line = q.line AND p.field = q.field
     WHERE p.problem IN ('id_mistyped', 'id_transposed') AND q.rule LIKE 'id_%' AND q.suggestion IS NOT NULL
       AND q.suggestion NOT IN (SELECT substr(to_key, 1, 6) || '********' || substr(to_key, 15) FROM truth_link t
                                WHERE t.source = q.source AND t.line = q.line)"
check "owner id missing in co-owner cell" 1 \
    "SELECT count(*) FROM quality_issue WHERE source = 'housing' AND line = 50 AND field = 'owner_id' AND rule = 'value_missing'"

# ---- work orders ----------------------------------------------------------------
check "issue rule codes known" 0 \
    "SELECT count(*) FROM quality_issue WHERE rule NOT IN (SELECT DISTINCT rule FROM quality_issue WHERE message_zh != '' AND message_en != '')"
check "both languages stored" 0 \
    "SELECT count(*) FROM quality_issue WHERE message_zh = message_en OR message_zh NOT GLOB '*[一-龥]*'"
check "identifiers masked" 0 \
    "SELECT count(*) FROM quality_issue WHERE field IN ('id_number', 'uscc', 'owner_id', 'holder_id', 'legal_rep_id')
       AND length(value) > 4 AND (value NOT LIKE '%*%' OR coalesce(suggestion, '*') NOT LIKE '%*%')"
check "masked form" "441622********" \
    "SELECT substr(value, 1, 14) FROM quality_issue WHERE rule = 'party_not_found' AND value LIKE '441622%' LIMIT 1"
check "suggestion is the standard form" "粤P" \
    "SELECT substr(suggestion, 1, 2) FROM quality_issue WHERE source = 'vehicles' AND field = 'plate' AND rule = 'id_nonstandard' LIMIT 1"
check "one work order per problem" 0 \
    "SELECT count(*) FROM (SELECT 1 FROM quality_issue GROUP BY source, line, field, rule, value HAVING count(*) > 1)"
check "department filled" 0 "SELECT count(*) FROM quality_issue WHERE department = ''"
check "lines point at records" 0 \
    "SELECT count(*) FROM quality_issue WHERE line IS NULL OR line < 2"
check "severity values" 0 "SELECT count(*) FROM quality_issue WHERE severity NOT IN ('error', 'warning', 'info')"

# ---- metrics --------------------------------------------------------------------
check "rate is numerator / denominator" 0 \
    "SELECT count(*) FROM quality_metric WHERE denominator > 0 AND abs(rate - CAST(numerator AS REAL) / denominator) > 1e-12"
check "rate NULL without denominator" 0 \
    "SELECT count(*) FROM quality_metric WHERE (denominator = 0) != (rate IS NULL)"
check "numerator within denominator" 0 "SELECT count(*) FROM quality_metric WHERE numerator > denominator OR numerator < 0"
check "targets for freshness and link rate" 0 \
    "SELECT count(*) FROM quality_metric WHERE (dimension IN ('freshness', 'link_rate')) != (target IS NOT NULL) OR (target IS NOT NULL AND target != 0.9)"
check "link rate per department source" "certificates|housing|vehicles" \
    "SELECT group_concat(source, '|') FROM (SELECT source FROM quality_metric WHERE dimension = 'link_rate' ORDER BY source)"
check "link rate counts linked records" 1 \
    "SELECT numerator = (SELECT count(DISTINCT source_line) FROM link l JOIN source_file f USING (source_file_id) WHERE f.source = 'vehicles')
     FROM quality_metric WHERE source = 'vehicles' AND dimension = 'link_rate'"
check "stale records counted" 1 \
    "SELECT denominator - numerator >= (SELECT count(*) FROM quality_issue WHERE source = 'persons' AND rule = 'stale_record')
     FROM quality_metric WHERE source = 'persons' AND dimension = 'freshness'"
check "field metrics add up" 0 \
    "SELECT count(*) FROM quality_metric s WHERE s.field = '*' AND s.dimension IN ('completeness', 'accuracy')
       AND s.denominator != (SELECT sum(denominator) FROM quality_metric f WHERE f.source = s.source AND f.dimension = s.dimension AND f.field != '*')"
check "same output with one thread" "" \
    "ATTACH '$work/one-thread.db' AS other;
     SELECT 'issue' FROM (SELECT * FROM quality_issue EXCEPT SELECT * FROM other.quality_issue)
     UNION ALL SELECT 'metric' FROM (SELECT * FROM quality_metric EXCEPT SELECT * FROM other.quality_metric)
     UNION ALL SELECT 'count' WHERE (SELECT count(*) FROM quality_issue) != (SELECT count(*) FROM other.quality_issue)"

# ---- lineage and views ------------------------------------------------------------
for pair in person:person_id legal_entity:entity_id certificate:cert_id vehicle:vehicle_id housing:housing_id; do
    table=${pair%%:*}
    key=${pair#*:}
    check "$table rows have lineage" 0 \
        "SELECT count(*) FROM $table t WHERE NOT EXISTS (SELECT 1 FROM lineage l WHERE l.table_name = '$table' AND l.row_id = t.$key)"
done
for view in 车辆主题库 房屋主题库 房屋权利人 地址主题库 自然人 法人 电子证照 关联关系 拒收记录; do
    check "view $view works" 1 "SELECT count(*) > 0 FROM $view"
done
check "view of work orders" 1 "SELECT (SELECT count(*) FROM 数据质量问题工单) = (SELECT count(*) FROM quality_issue)"
check "view of metrics" 1 "SELECT (SELECT count(*) FROM 数据质量指标) = (SELECT count(*) FROM quality_metric)"

# ---- export ---------------------------------------------------------------------
"$THEMEDB" export "$db" quality_issue --department 县公安局 -o "$work/orders-utf8.csv"
"$THEMEDB" export "$db" quality_issue --department 县公安局 --encoding gb18030 -o "$work/orders-gb18030.csv"
iconv -f GB18030 -t UTF-8 "$work/orders-gb18030.csv" > "$work/orders-roundtrip.csv"
check_true "export gb18030 round-trips" cmp -s "$work/orders-utf8.csv" "$work/orders-roundtrip.csv"
check_true "export gb18030 differs from utf-8" sh -c "! cmp -s '$work/orders-utf8.csv' '$work/orders-gb18030.csv'"
check_true "export header row" sh -c "head -1 '$work/orders-utf8.csv' | grep -q '^issue_id,source,department,'"
sqlite3 "$work/import.db" ".import --csv '$work/orders-utf8.csv' orders"
expected=$(sqlite3 "$db" "SELECT count(*) FROM quality_issue WHERE department = '县公安局'")
check_true "export rows of one department" test "$(sqlite3 "$work/import.db" "SELECT count(*) FROM orders")" = "$expected"
check_true "export only that department" test \
    "$(sqlite3 "$work/import.db" "SELECT count(*) FROM orders WHERE department != '县公安局'")" = 0
"$THEMEDB" export "$db" quality_issue --where "severity = 'error' AND source = 'vehicles'" > "$work/errors.csv"
check_true "export --where filters" test "$(($(wc -l < "$work/errors.csv") - 1))" = \
    "$(sqlite3 "$db" "SELECT count(*) FROM quality_issue WHERE severity = 'error' AND source = 'vehicles'")"
"$THEMEDB" export "$db" 数据质量指标 > "$work/metrics.csv"
check_true "export a Chinese view" sh -c "head -1 '$work/metrics.csv' | grep -q '^数据来源,字段,维度'"
printf 'a,"b ""c""","d,e","f\r\ng"\r\n' > "$work/quote-expected.csv"
sqlite3 "$work/quote.db" "CREATE TABLE t (x); INSERT INTO t VALUES ('a'); CREATE TABLE q (a, b, c, d); INSERT INTO q VALUES ('a', 'b \"c\"', 'd,e', 'f' || char(13, 10) || 'g');"
"$THEMEDB" export "$work/quote.db" q | tail -c +10 > "$work/quote-actual.csv"
check_true "export quotes per RFC 4180" cmp -s "$work/quote-expected.csv" "$work/quote-actual.csv"

set +e
"$THEMEDB" export "$db" no_such_table > /dev/null 2> "$work/unknown.err"
code=$?
"$THEMEDB" export "$db" quality_issue --where "1) ; DELETE FROM quality_issue; --" > /dev/null 2>&1
injection=$?
"$THEMEDB" export "$db" vehicle --department 县公安局 > /dev/null 2>&1
no_column=$?
set -e
check_true "export unknown table fails" test "$code" = 1
check_true "export lists valid tables" grep -q "quality_issue" "$work/unknown.err"
check_true "export rejects a second statement" test "$injection" = 1
check "export left the database intact" 1 "SELECT count(*) > 0 FROM quality_issue"
check_true "export filter needs the column" test "$no_column" = 1

# ---- report ---------------------------------------------------------------------
"$THEMEDB" report "$db" --lang en --html "$work/report.html" > "$work/report.txt"
"$THEMEDB" report "$db" --lang zh > "$work/report-zh.txt"
check_true "report names every source" sh -c "for s in persons vehicles housing certificates; do grep -q \"^\$s \" '$work/report.txt' || exit 1; done"
check_true "report lists link rates" grep -q "Link rates" "$work/report.txt"
check_true "report in Chinese" grep -q "数据质量报告" "$work/report-zh.txt"
check_true "html has charts" sh -c "test \$(grep -c '<svg' '$work/report.html') -ge 5"
check_true "html self-contained" sh -c "! grep -Eiq '(src|href)=|@import|url\\(|<script' '$work/report.html'"

if [ "$failures" -gt 0 ]; then
    echo "e2e_quality: $failures failures"
    exit 1
fi
echo "e2e_quality: all passed"

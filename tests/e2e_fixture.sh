#!/bin/sh
# End-to-end build of the synthetic Longchuan county, checked against its truth files:
# non-empty theme tables, row conservation, every exact link present, no link that the
# truth does not list, and the seeded malformed rows in reject.
set -eu

: "${THEMEDB:?set THEMEDB to the themedb binary}"
: "${BUILD:?set BUILD to the build folder}"
work="$BUILD/e2e-fixture"
rm -rf "$work"
mkdir -p "$work"
failures=0
db="$work/theme.db"

"$THEMEDB" build fixtures/longchuan/manifest.ini -o "$db" -q
sqlite3 "$db" <<SQL
.import --csv fixtures/longchuan/truth/links.csv truth_link
.import --csv fixtures/longchuan/truth/problems.csv truth_problem
CREATE VIEW got_link AS
    SELECT l.link_type, f.source, l.source_line AS line, l.to_kind, l.to_key, l.rule
    FROM link l JOIN source_file f USING (source_file_id);
-- Rows whose owner ID was made unusable on purpose: only fuzzy matching can link them.
CREATE VIEW dirty_id_row AS
    SELECT DISTINCT source, CAST(line AS INTEGER) AS line FROM truth_problem
    WHERE problem IN ('id_mistyped', 'id_transposed', 'owner_id_missing', 'id_placeholder', 'owner_unknown');
SQL

check() {
    actual=$(sqlite3 "$db" "$3")
    if [ "$actual" != "$2" ]; then
        echo "FAIL $1: expected [$2], got [$actual]"
        failures=$((failures + 1))
    else
        echo "ok   $1"
    fi
}

for table in vehicle housing housing_owner address person legal_entity certificate; do
    check "$table is not empty" 1 "SELECT count(*) > 0 FROM $table"
done
check "rows conserved per file" 0 "SELECT count(*) FROM source_file WHERE rows_read != rows_loaded + rows_rejected"
# A link whose target's own row was malformed (and so rejected) cannot be made.
check "every exact truth link is present" 0 "
    SELECT count(*) FROM truth_link t
    WHERE NOT EXISTS (SELECT 1 FROM dirty_id_row d WHERE d.source = t.source AND d.line = CAST(t.line AS INTEGER))
      AND t.to_key IN (SELECT id_number FROM person UNION ALL SELECT uscc FROM legal_entity)
      AND NOT EXISTS (SELECT 1 FROM got_link g WHERE g.link_type = t.link_type AND g.source = t.source
                      AND g.line = CAST(t.line AS INTEGER) AND g.to_key = t.to_key)"
check "exact links are all in the truth" 0 "
    SELECT count(*) FROM got_link g
    WHERE g.rule LIKE 'exact%'
      AND NOT EXISTS (SELECT 1 FROM truth_link t WHERE t.link_type = g.link_type AND t.source = g.source
                      AND CAST(t.line AS INTEGER) = g.line AND t.to_key = g.to_key)"
check "owners in no base table stay unlinked" 0 "
    SELECT count(*) FROM got_link g JOIN truth_problem p
      ON p.source = g.source AND CAST(p.line AS INTEGER) = g.line AND p.problem = 'owner_unknown'
    WHERE g.link_type != 'housing_owner'"
check "every malformed row is rejected" 0 "
    SELECT count(*) FROM truth_problem p WHERE p.problem = 'malformed_row'
      AND NOT EXISTS (SELECT 1 FROM reject r JOIN source_file f USING (source_file_id)
                      WHERE f.source = p.source AND r.line = CAST(p.line AS INTEGER))"
check "rejects have a reason" 0 "SELECT count(*) FROM reject WHERE reason = ''"
check "addresses resolved to a division" 1 "SELECT count(*) * 10 > (SELECT count(*) FROM address) * 9 FROM address WHERE division_code IS NOT NULL"
check "houses have coordinates" 1 "SELECT count(*) * 10 > (SELECT count(*) FROM housing) * 9 FROM housing WHERE longitude IS NOT NULL"
check "identifier validity stored" 0 "SELECT count(*) FROM person WHERE id_valid IS NULL"

check "fuzzy links carry weights" 0 "SELECT count(*) FROM link WHERE rule NOT LIKE 'exact%' AND rule != 'subject_owner' AND (weight IS NULL OR json_valid(field_weights) = 0)"
check "link model stored" 1 "SELECT count(*) > 0 FROM link_model WHERE model = 'person' AND field = 'name'"
# The prior is that of a random (reference, person) pair: at most one match per
# reference, so lambda is at most one over the persons.
check "link prior from the population" 1 "
    SELECT m <= 1.0 / (SELECT count(*) FROM person) AND weight < 0
    FROM link_model WHERE model = 'person' AND field = 'prior'"

check "fuzzy links are all in the truth" 0 "
    SELECT count(*) FROM got_link g
    WHERE g.rule NOT LIKE 'exact%' AND g.rule != 'subject_owner'
      AND NOT EXISTS (SELECT 1 FROM truth_link t WHERE t.link_type = g.link_type AND t.source = g.source
                      AND CAST(t.line AS INTEGER) = g.line AND t.to_key = g.to_key)"

check "legacy 15-digit owner IDs link" 0 "
    SELECT count(*) FROM truth_problem p JOIN truth_link t ON t.source = p.source AND t.line = p.line
    WHERE p.problem = 'id_legacy15' AND p.source != 'persons'
      AND NOT EXISTS (SELECT 1 FROM dirty_id_row d WHERE d.source = t.source AND d.line = CAST(t.line AS INTEGER))
      AND NOT EXISTS (SELECT 1 FROM got_link g WHERE g.source = t.source AND g.line = CAST(t.line AS INTEGER)
                      AND g.to_key = t.to_key)"
check "full-width owner IDs link" 0 "
    SELECT count(*) FROM truth_problem p JOIN truth_link t ON t.source = p.source AND t.line = p.line
    WHERE p.problem = 'id_fullwidth' AND p.source != 'persons'
      AND NOT EXISTS (SELECT 1 FROM dirty_id_row d WHERE d.source = t.source AND d.line = CAST(t.line AS INTEGER))
      AND NOT EXISTS (SELECT 1 FROM got_link g WHERE g.source = t.source AND g.line = CAST(t.line AS INTEGER)
                      AND g.to_key = t.to_key)"
check "seeded dirt is exercised" 1 "
    SELECT count(DISTINCT problem) = 2 FROM truth_problem WHERE problem IN ('id_legacy15', 'id_fullwidth') AND source != 'persons'"

# The links, their rules and weights are the same on one thread and on two.
"$THEMEDB" build fixtures/longchuan/manifest.ini -o "$work/one.db" -q -j 1
"$THEMEDB" build fixtures/longchuan/manifest.ini -o "$work/two.db" -q -j 2
links_query="SELECT link_type, from_id, seq, source_file_id, source_line, to_id, rule, weight, probability, field_weights FROM link ORDER BY 1, 2, 3, 4, 5, 6"
if [ "$(sqlite3 "$work/one.db" "$links_query" | md5sum)" = "$(sqlite3 "$work/two.db" "$links_query" | md5sum)" ]; then
    echo "ok   link table identical on 1 and 2 threads"
else
    echo "FAIL link table differs between 1 and 2 threads"
    failures=$((failures + 1))
fi

# eval: precision and recall of owner links against the truth. A link whose owner ID
# is missing rests on the name and the full address. An exact name and village alone
# stay under the threshold 0.99.
"$THEMEDB" eval "$db" fixtures/longchuan/truth/links.csv > "$work/eval.txt"
if awk '$1 == "all" { exit !($6 >= 0.999 && $9 >= 0.995) }' "$work/eval.txt"; then
    echo "ok   eval: precision >= 0.999, reachable recall >= 0.995"
else
    echo "FAIL eval below target"
    cat "$work/eval.txt"
    failures=$((failures + 1))
fi

# explain: a fuzzy link shows its waterfall; an unlinked owner says why.
fuzzy_plate=$(sqlite3 "$db" "SELECT v.plate FROM vehicle v JOIN link l ON l.from_id = v.vehicle_id WHERE l.weight IS NOT NULL ORDER BY v.vehicle_id LIMIT 1")
if "$THEMEDB" explain "$db" vehicle "$fuzzy_plate" | grep -q "address"; then
    echo "ok   explain shows the field weights of a fuzzy link"
else
    echo "FAIL explain of $fuzzy_plate shows no field weights"
    failures=$((failures + 1))
fi
unlinked_plate=$(sqlite3 "$db" "SELECT plate FROM vehicle WHERE owner_match = 'none' ORDER BY vehicle_id LIMIT 1")
if "$THEMEDB" explain "$db" vehicle "$unlinked_plate" | grep -q "not linked"; then
    echo "ok   explain says why an owner is not linked"
else
    echo "FAIL explain of $unlinked_plate does not say why it is not linked"
    failures=$((failures + 1))
fi
if "$THEMEDB" explain "$db" vehicle 粤Z00000 2>/dev/null; then
    echo "FAIL explain of an unknown plate succeeded"
    failures=$((failures + 1))
fi

if [ "$failures" -ne 0 ]; then
    echo "e2e_fixture: $failures failures"
    exit 1
fi
echo "e2e_fixture: all checks passed"

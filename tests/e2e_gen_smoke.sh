#!/bin/sh
# Smoke test of gen-county. A small county with raised dirt rates must decode and parse
# in every file. Every key in its truth tables must be valid and present in its base
# file, as checked by tests/gen_check_county.py independently of the engine and by
# themedb check-id. The same options must give the same bytes, another seed others.
set -eu

gen="$BUILD/gen-county"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! command -v python3 >/dev/null 2>&1; then
    echo "e2e_gen_smoke: python3 is required to check the generated files"
    exit 1
fi

"$gen" --help >"$tmp/help"
grep -q -- "--dirt-address R" "$tmp/help"
status=0
"$gen" --persons 300 --seed 1 --out "$tmp/x" --dirt-id 2 2>/dev/null || status=$?
if [ "$status" -ne 2 ]; then
    echo "e2e_gen_smoke: a rate above 1 exited with $status, expected 2"
    exit 1
fi

dirty="--dirt-id 0.2 --dirt-name 0.2 --dirt-address 0.3 --missing-owner 0.05 --duplicates 0.03 --malformed 0.02"
# shellcheck disable=SC2086 # the options are split on purpose
"$gen" --persons 300 --seed 42 $dirty --out "$tmp/a" 2>/dev/null
python3 tests/gen_check_county.py "$tmp/a"
"$gen" --persons 300 --seed 42 --division 4416 --out "$tmp/city" 2>/dev/null
python3 tests/gen_check_county.py "$tmp/city"

# The engine's own identifier checks agree: every truth key is valid.
tail -n +2 "$tmp/a/truth/links.csv" | cut -d, -f5 | sort -u >"$tmp/keys"
"$THEMEDB" check-id --format tsv --as-of 2026-12-01 <"$tmp/keys" >"$tmp/checked"
invalid=$(awk -F '\t' 'NR > 1 && $3 != "valid"' "$tmp/checked")
if [ -n "$invalid" ]; then
    echo "e2e_gen_smoke: themedb check-id rejects truth keys:"
    echo "$invalid"
    exit 1
fi

# shellcheck disable=SC2086
"$gen" --persons 300 --seed 42 $dirty --out "$tmp/b" 2>/dev/null
if ! diff -r "$tmp/a" "$tmp/b" >/dev/null; then
    echo "e2e_gen_smoke: two runs with seed 42 differ"
    exit 1
fi
# shellcheck disable=SC2086
"$gen" --persons 300 --seed 43 $dirty --out "$tmp/c" 2>/dev/null
if cmp -s "$tmp/a/truth/links.csv" "$tmp/c/truth/links.csv"; then
    echo "e2e_gen_smoke: seeds 42 and 43 give the same links"
    exit 1
fi
for problem in id_mistyped id_transposed id_legacy15 id_fullwidth id_placeholder owner_id_missing \
    name_homophone address_abbreviated address_shorthand duplicate_row stale malformed_row owner_unknown; do
    if ! grep -q ",$problem\$" "$tmp/a/truth/problems.csv"; then
        echo "e2e_gen_smoke: no $problem seeded at raised rates"
        exit 1
    fi
done
echo "e2e_gen_smoke: ok"

/* libFuzzer harness for the identifier module. Each input is checked as every kind
 * and with detection, and the result must keep these invariants:
 * - a valid result has a non-empty normal form equal to its candidate, and checking
 *   the normal form again gives the same kind, validity, reason and normal form;
 * - an invalid result has an empty normal form and no warning;
 * - the reason is "" exactly when the result is valid without a warning, and every
 *   other reason has a description;
 * - a forced kind is kept, and the candidate equals what tdb_id_normalize returns;
 * - a birth date is set only for ID numbers, as 8 digits with a gender. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "themedb/id.h"
#include "util.h"

/* A deterministic stand-in for the gazetteer: region codes ending in an odd digit
 * are unknown. */
static bool even_region_known(const void *context, const char code[6])
{
    (void)context;
    return (code[5] - '0') % 2 == 0;
}

static void require(bool condition, const char *what, tdb_id_kind forced)
{
    if (condition) return;
    fprintf(stderr, "fuzz_id: invariant broken with kind %s: %s\n", tdb_id_kind_name(forced),
            what);
    abort();
}

static void check_recheck(const tdb_id_result *result, tdb_id_kind forced,
                          const tdb_id_options *options)
{
    tdb_id_result again;
    tdb_id_check(result->normalized, strlen(result->normalized), forced, options, &again);
    require(again.kind == result->kind, "re-check changes the kind", forced);
    require(again.valid, "re-check of the normal form is invalid", forced);
    require(strcmp(again.reason, result->reason) == 0, "re-check changes the reason", forced);
    require(strcmp(again.normalized, result->normalized) == 0, "normal form is not stable",
            forced);
    require(strcmp(again.birth_date, result->birth_date) == 0, "re-check changes the birth date",
            forced);
}

static void check_birth_date(const tdb_id_result *result, tdb_id_kind forced)
{
    if (result->birth_date[0] == '\0') {
        require(result->gender == 0, "gender without a birth date", forced);
        return;
    }
    require(result->kind == TDB_ID_NUMBER, "birth date on another kind", forced);
    require(strlen(result->birth_date) == 8, "birth date is not 8 characters", forced);
    for (int i = 0; i < 8; i++)
        require(result->birth_date[i] >= '0' && result->birth_date[i] <= '9',
                "birth date is not digits", forced);
    require(result->gender == 'M' || result->gender == 'F', "gender is not M or F", forced);
}

static void check_one(const char *text, size_t length, tdb_id_kind forced,
                      const tdb_id_options *options)
{
    tdb_id_result result;
    tdb_id_check(text, length, forced, options, &result);

    require(result.reason != NULL, "reason is NULL", forced);
    require((result.reason[0] == '\0') == (result.valid && !result.warning),
            "reason is empty exactly for clean values", forced);
    if (result.reason[0] != '\0')
        require(tdb_id_reason_description(result.reason) != NULL, "reason without description",
                forced);
    if (forced != TDB_ID_UNKNOWN) require(result.kind == forced, "forced kind not kept", forced);
    require(tdb_utf8_valid(result.candidate, strlen(result.candidate)),
            "candidate is not UTF-8", forced);
    check_birth_date(&result, forced);

    if (result.kind != TDB_ID_UNKNOWN) {
        char normal[TDB_ID_TEXT_SIZE];
        size_t written = tdb_id_normalize(text, length, result.kind, normal);
        require(written == strlen(normal), "normalize returns the wrong length", forced);
        require(strcmp(normal, result.candidate) == 0, "normalize differs from candidate", forced);
    }

    if (!result.valid) {
        require(result.normalized[0] == '\0', "invalid with a normal form", forced);
        require(!result.warning, "invalid with a warning", forced);
        return;
    }
    require(result.kind != TDB_ID_UNKNOWN, "valid without a kind", forced);
    require(result.normalized[0] != '\0', "valid with an empty normal form", forced);
    require(strcmp(result.normalized, result.candidate) == 0, "candidate differs when valid",
            forced);
    check_recheck(&result, forced, options);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const tdb_id_options options = {20261204, even_region_known, NULL};
    for (int kind = 0; kind < TDB_ID_KIND_COUNT; kind++)
        check_one((const char *)data, size, (tdb_id_kind)kind, &options);
    return 0;
}

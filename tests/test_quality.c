/* Unit tests of the quality module: masking of identifiers in work orders, metric
 * arithmetic, the rule table, and the issue list. */
#include "test_util.h"

#include <stdio.h>

#include "quality.h"

typedef struct mask_case {
    const char *input;
    const char *expected;
} mask_case;

static void mask_table(void **state)
{
    (void)state;
    static const mask_case cases[] = {
        {"441622197612183174", "441622********3174"},   /* ID number: region and last 4 */
        {"44162219761218317X", "441622********317X"},
        {"91441622MA4W0AB12C", "914416********B12C"},   /* credit code likewise */
        {"441622761218317", "441622*****8317"},      /* 15-digit legacy number */
        {"４４１６２２１９７６１２１８３１７４", "４４１６２２********３１７４"}, /* counted in characters */
        {"12345678", "12****78"},                        /* short: a quarter at each end */
        {"123", "***"},
        {"", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tdb_buf out = {0};
        assert_int_equal(tdb_quality_mask(cases[i].input, strlen(cases[i].input), &out), TDB_OK);
        assert_string_equal(out.data ? out.data : "", cases[i].expected);
        tdb_buf_free(&out);
    }
}

static void mask_keeps_length(void **state)
{
    (void)state;
    const char *input = "441622197612183174";
    tdb_buf out = {0};
    assert_int_equal(tdb_quality_mask(input, strlen(input), &out), TDB_OK);
    assert_int_equal(out.len, strlen(input));
    tdb_buf_free(&out);
}

static void mask_nomem(void **state)
{
    (void)state;
    tdb_buf out = {0};
    tdb_alloc_fail_after(1);
    tdb_status status = tdb_quality_mask("441622197612183174", 18, &out);
    tdb_alloc_fail_after(0);
    assert_int_equal(status, TDB_ERR_NOMEM);
    tdb_buf_free(&out);
}

typedef struct rate_case {
    uint64_t numerator;
    uint64_t denominator;
    bool defined;
    double rate;
} rate_case;

static void rate_table(void **state)
{
    (void)state;
    static const rate_case cases[] = {
        {0, 0, false, 0.0},       /* no denominator: the rate is NULL */
        {5, 0, false, 0.0},
        {0, 10, true, 0.0},
        {9, 10, true, 0.9},
        {10, 10, true, 1.0},
        {1, 3, true, 1.0 / 3.0},
        {545, 574, true, 545.0 / 574.0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bool defined = !cases[i].defined;
        double rate = tdb_quality_rate(cases[i].numerator, cases[i].denominator, &defined);
        assert_int_equal(defined, cases[i].defined);
        assert_true(rate == cases[i].rate);
    }
}

static void rate_large_counts(void **state)
{
    (void)state;
    bool defined;
    double rate = tdb_quality_rate(127000000ULL * 9, 127000000ULL * 10, &defined);
    assert_true(defined);
    assert_true(rate > 0.8999999 && rate < 0.9000001);
}

static void rules_unique_codes(void **state)
{
    (void)state;
    size_t count;
    const tdb_quality_rule *rules = tdb_quality_rules(&count);
    assert_true(count > 0);
    for (size_t i = 0; i < count; i++) {
        assert_int_equal(tdb_quality_rule_find(rules[i].code), (int)i);
        assert_true(rules[i].message_zh[0] != '\0');
        assert_true(rules[i].message_en[0] != '\0');
        assert_true((unsigned)rules[i].dimension < TDB_DIMENSION_COUNT);
    }
    assert_int_equal(tdb_quality_rule_find("no_such_rule"), -1);
    assert_null(tdb_quality_rule_at(count));
}

/* Every reason code of the identifier module that marks a value wrong has a rule. */
static void rules_cover_id_reasons(void **state)
{
    (void)state;
    static const char *const reasons[] = {"unrecognized", "length", "charset", "format", "checksum",
                                          "org_checksum", "birth_date", "region_unknown", "issue_year"};
    for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++) {
        char code[48];
        snprintf(code, sizeof code, "id_%s", reasons[i]);
        assert_true(tdb_quality_rule_find(code) >= 0);
    }
    assert_true(tdb_quality_rule_find("date_future") >= 0);
    assert_true(tdb_quality_rule_find("date_too_old") >= 0);
    assert_true(tdb_quality_rule_find("date_invalid") >= 0);
}

static void names_stable(void **state)
{
    (void)state;
    assert_string_equal(tdb_severity_name(TDB_SEVERITY_ERROR), "error");
    assert_string_equal(tdb_severity_name(TDB_SEVERITY_WARNING), "warning");
    assert_string_equal(tdb_severity_name(TDB_SEVERITY_INFO), "info");
    assert_string_equal(tdb_dimension_name(TDB_DIMENSION_FRESHNESS), "freshness");
    assert_string_equal(tdb_dimension_name(TDB_DIMENSION_LINK_RATE), "link_rate");
}

static void days_epoch(void **state)
{
    (void)state;
    assert_int_equal(tdb_quality_days(19700101), 0);
    assert_int_equal(tdb_quality_days(20000301) - tdb_quality_days(20000228), 2); /* 2000 is a leap year */
    assert_int_equal(tdb_quality_days(19000301) - tdb_quality_days(19000228), 1); /* 1900 is not */
    assert_int_equal(tdb_quality_days(20261201) - tdb_quality_days(20251201), 365);
}

static void line_issue_stored(void **state)
{
    (void)state;
    tdb_quality_issues issues = {0};
    assert_int_equal(tdb_quality_add_line_issue(&issues, 2, 17, "row_rejected", "field_count", 11), TDB_OK);
    assert_int_equal(tdb_quality_add_line_issue(&issues, 2, 18, "no_such_rule", "x", 1), TDB_ERR_INVALID);
    assert_int_equal(issues.count, 1);
    assert_int_equal(issues.items[0].line, 17);
    assert_int_equal(issues.items[0].field, -1);
    assert_false(issues.items[0].has_suggestion);
    assert_string_equal(issues.arena.data + issues.items[0].value_offset, "field_count");
    assert_string_equal(tdb_quality_rule_at(issues.items[0].rule)->code, "row_rejected");
    tdb_quality_issues_free(&issues);
}

/* A work order on an owner ID masks both the value and the suggestion, because the
 * suggestion is an ID that fuzzy linkage proposed. A plate is not masked. */
static void add_issue_masks_ids(void **state)
{
    (void)state;
    uint32_t lines[2] = {2, 7};
    tdb_table table = {.kind = TDB_KIND_VEHICLE, .row_count = 2, .lines = lines};
    tdb_build_state build = {.ingest = {.tables = &table, .table_count = 1}};
    tdb_quality_issues issues = {0};
    const char *value = "441622197612183175";
    const char *suggestion = "441622197612183174";

    assert_int_equal(tdb_quality_add_issue(&issues, &build, (tdb_record_ref){0, 1}, VEHICLE_OWNER_ID,
                                           "id_checksum", -1, value, strlen(value), suggestion,
                                           strlen(suggestion)),
                     TDB_OK);
    assert_int_equal(tdb_quality_add_issue(&issues, &build, (tdb_record_ref){0, 0}, VEHICLE_PLATE,
                                           "id_nonstandard", TDB_SEVERITY_INFO, "粤P·12345", strlen("粤P·12345"),
                                           "粤P12345", strlen("粤P12345")),
                     TDB_OK);
    assert_int_equal(issues.count, 2);
    assert_int_equal(issues.items[0].line, 7);
    assert_int_equal(issues.items[0].severity, TDB_SEVERITY_ERROR);
    assert_string_equal(issues.arena.data + issues.items[0].value_offset, "441622********3175");
    assert_true(issues.items[0].has_suggestion);
    assert_string_equal(issues.arena.data + issues.items[0].suggestion_offset, "441622********3174");
    assert_int_equal(issues.items[1].line, 2);
    assert_string_equal(issues.arena.data + issues.items[1].value_offset, "粤P·12345");
    assert_string_equal(issues.arena.data + issues.items[1].suggestion_offset, "粤P12345");
    tdb_quality_issues_free(&issues);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(mask_table),
        cmocka_unit_test(mask_keeps_length),
        cmocka_unit_test(mask_nomem),
        cmocka_unit_test(rate_table),
        cmocka_unit_test(rate_large_counts),
        cmocka_unit_test(rules_unique_codes),
        cmocka_unit_test(rules_cover_id_reasons),
        cmocka_unit_test(names_stable),
        cmocka_unit_test(days_epoch),
        cmocka_unit_test(line_issue_stored),
        cmocka_unit_test(add_issue_masks_ids),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

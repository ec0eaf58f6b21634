/* Unit tests for the buffer, growth and UTF-8 helpers. */
#include "test_util.h"

#include "util.h"

static void buf_append_and_printf(void **state)
{
    (void)state;
    tdb_buf buf = {0};
    assert_int_equal(tdb_buf_append_str(&buf, "abc"), TDB_OK);
    assert_int_equal(tdb_buf_printf(&buf, "-%d-", 42), TDB_OK);
    assert_int_equal(tdb_buf_append_utf8(&buf, 0x9F99), TDB_OK);
    assert_string_equal(buf.data, "abc-42-\xE9\xBE\x99");
    assert_int_equal(buf.len, 10);
    tdb_buf_free(&buf);
}

static void buf_append_reports_nomem(void **state)
{
    (void)state;
    tdb_buf buf = {0};
    tdb_alloc_fail_after(1);
    assert_int_equal(tdb_buf_append_str(&buf, "abc"), TDB_ERR_NOMEM);
    tdb_alloc_fail_after(0);
    assert_null(buf.data);
    tdb_buf_free(&buf);
}

static void utf8_decode_counts_code_points(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        size_t expected;
    } cases[] = {
        {"", 0}, {"abc", 3}, {"张三", 2}, {"\xF0\xA0\x80\x80x", 2}, {"\xFF\xFE", 2},
    };
    for (size_t i = 0; i < TDB_ARRAY_LEN(cases); i++) {
        int32_t out[16];
        size_t count = tdb_utf8_decode(cases[i].text, strlen(cases[i].text), out, 16);
        assert_int_equal(count, cases[i].expected);
    }
}

static void utf8_valid_rejects_bad_bytes(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        bool valid;
    } cases[] = {
        {"", true},
        {"plain ascii longer than eight", true},
        {"龙川县", true},
        {"abcdefgh龙", true},
        {"\xF0\x9F\x98\x80", true},          /* U+1F600 */
        {"\xC0\xAF", false},                  /* overlong '/' */
        {"\xE0\x80\xAF", false},              /* overlong three-byte form */
        {"\xE9\xBE", false},                  /* truncated */
        {"abcdefgh\xE9\xBE", false},          /* truncated after an ASCII run */
        {"\xED\xA0\x80", false},              /* UTF-16 surrogate */
        {"\xF4\x90\x80\x80", false},          /* past U+10FFFF */
        {"\xFF", false},
        {"a\x80" "b", false},                 /* stray continuation byte */
    };
    for (size_t i = 0; i < TDB_ARRAY_LEN(cases); i++) {
        bool valid = tdb_utf8_valid(cases[i].text, strlen(cases[i].text));
        if (valid != cases[i].valid) fail_msg("case %zu: expected %d", i, cases[i].valid);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(buf_append_and_printf),
        cmocka_unit_test(buf_append_reports_nomem),
        cmocka_unit_test(utf8_decode_counts_code_points),
        cmocka_unit_test(utf8_valid_rejects_bad_bytes),
    };
    return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}

/* Unit tests for text folding. */
#include "test_util.h"

#include "themedb/text.h"
#include "util.h"

typedef struct fold_case {
    const char *input;
    const char *expected;
} fold_case;

static void check_fold(const fold_case *cases, size_t count, tdb_fold_spaces spaces)
{
    for (size_t i = 0; i < count; i++) {
        tdb_buf out = {0};
        assert_int_equal(tdb_text_fold_with(cases[i].input, strlen(cases[i].input), spaces, &out),
                         TDB_OK);
        assert_string_equal(out.data, cases[i].expected);
        tdb_buf_free(&out);
    }
}

static void fold_width_and_case(void **state)
{
    (void)state;
    static const fold_case cases[] = {
        {"", ""},
        {"ＡＢＣ１２３", "ABC123"},
        {"a栋ｂ座", "A栋B座"},
        {"（对面）", "(对面)"},
        {"5－2—301", "5-2-301"},
        {"e\xCC\x81", "\xC3\xA9"}, /* e + combining acute composes to é */
        {"㈱", "(株)"},
    };
    check_fold(cases, TDB_ARRAY_LEN(cases), TDB_FOLD_SPACES_DROP);
}

static void fold_traditional(void **state)
{
    (void)state;
    static const fold_case cases[] = {
        {"龍川縣佗城鎮", "龙川县佗城镇"},
        {"廣東省", "广东省"},
        {"運河北路", "运河北路"},
        {"於潜镇", "于潜镇"},
        /* characters that are also simplified forms stay */
        {"乾县", "乾县"},
        {"后街", "后街"},
        {"里村", "里村"},
        {"著名", "著名"},
        {"後街", "后街"},
    };
    check_fold(cases, TDB_ARRAY_LEN(cases), TDB_FOLD_SPACES_DROP);
}

static void fold_look_alikes(void **state)
{
    (void)state;
    static const fold_case cases[] = {
        {"\xE2\xBB\x93沙市", "长沙市"},       /* U+2ED3 radical */
        {"江\xE2\xBB\x84路", "江西路"},       /* U+2EC4 radical */
        {"\xE2\xBC\x80", "一"},               /* U+2F00 Kangxi radical, folded by NFKC */
        {"\xEF\xA4\x80", "岂"}, /* U+F900 豈, then traditional to simplified */
        {"廻龙镇", "回龙镇"},
        {"峯下村", "峰下村"},
    };
    check_fold(cases, TDB_ARRAY_LEN(cases), TDB_FOLD_SPACES_DROP);
}

static void fold_spaces_drop(void **state)
{
    (void)state;
    static const fold_case cases[] = {
        {" 张  三 ", "张三"},
        {"上海市\xE3\x80\x80静安区\t共和新路", "上海市静安区共和新路"},
        {"a\xE2\x80\x8B" "b\xEF\xBB\xBF", "AB"}, /* zero-width space and BOM */
        {"x\r\ny", "XY"},
        /* U+02D9 folds to a space and U+0307; both go, so a second fold changes nothing */
        {"P\xCB\x99", "P"},
    };
    check_fold(cases, TDB_ARRAY_LEN(cases), TDB_FOLD_SPACES_DROP);
}

static void fold_spaces_collapse(void **state)
{
    (void)state;
    static const fold_case cases[] = {
        {" 张  三 ", "张 三"},
        {"John\xC2\xA0\xC2\xA0Smith", "JOHN SMITH"},
        {"   ", ""},
    };
    check_fold(cases, TDB_ARRAY_LEN(cases), TDB_FOLD_SPACES_COLLAPSE);
}

static void fold_invalid_utf8(void **state)
{
    (void)state;
    static const fold_case cases[] = {
        {"a\xFF" "b", "A\xEF\xBF\xBD" "B"},
        {"\xE9\xBE", "\xEF\xBF\xBD\xEF\xBF\xBD"},
    };
    check_fold(cases, TDB_ARRAY_LEN(cases), TDB_FOLD_SPACES_DROP);
}

static void fold_appends(void **state)
{
    (void)state;
    tdb_buf out = {0};
    assert_int_equal(tdb_buf_append_str(&out, "x:"), TDB_OK);
    assert_int_equal(tdb_text_fold("龍", strlen("龍"), &out), TDB_OK);
    assert_string_equal(out.data, "x:龙");
    /* a leading space is dropped even when OUT already has text */
    assert_int_equal(tdb_text_fold_with(" 张  三", strlen(" 张  三"), TDB_FOLD_SPACES_COLLAPSE, &out),
                     TDB_OK);
    assert_string_equal(out.data, "x:龙张 三");
    tdb_buf_free(&out);
}

static void fold_long_run(void **state)
{
    (void)state;
    /* 200 full-width digits go through utf8proc in several runs */
    tdb_buf input = {0};
    tdb_buf out = {0};
    for (int i = 0; i < 200; i++) assert_int_equal(tdb_buf_append_str(&input, "１"), TDB_OK);
    assert_int_equal(tdb_text_fold(input.data, input.len, &out), TDB_OK);
    assert_int_equal(out.len, 200);
    assert_int_equal(out.data[199], '1');
    tdb_buf_free(&input);
    tdb_buf_free(&out);
}

static void fold_reports_nomem(void **state)
{
    (void)state;
    tdb_buf out = {0};
    tdb_alloc_fail_after(1);
    assert_int_equal(tdb_text_fold("龙川", strlen("龙川"), &out), TDB_ERR_NOMEM);
    tdb_alloc_fail_after(0);
    tdb_buf_free(&out);
}

static void fold_is_idempotent(void **state)
{
    (void)state;
    /* combining marks split by a control character, a spacing accent, 40 marks */
    static const char marks_split[] = "??\xCD\x92\x00\xCD\x95";
    static const char spacing_accent[] = "P\xCB\x99x";
    char many_marks[2 + 40 * 2 + 1] = "a";
    for (int i = 0; i < 40; i++) memcpy(many_marks + 1 + 2 * i, "\xCC\x81", 2);
    const struct {
        const char *text;
        size_t length;
    } cases[] = {
        {marks_split, sizeof marks_split - 1},
        {spacing_accent, sizeof spacing_accent - 1},
        {many_marks, 1 + 40 * 2},
    };
    for (size_t i = 0; i < TDB_ARRAY_LEN(cases); i++) {
        tdb_buf once = {0};
        tdb_buf twice = {0};
        assert_int_equal(tdb_text_fold(cases[i].text, cases[i].length, &once), TDB_OK);
        assert_int_equal(tdb_text_fold(once.data, once.len, &twice), TDB_OK);
        assert_string_equal(once.data, twice.data);
        tdb_buf_free(&once);
        tdb_buf_free(&twice);
    }
}

static void fold_ideograph_table(void **state)
{
    (void)state;
    assert_int_equal(tdb_text_fold_ideograph(0x9F8D), 0x9F99); /* 龍 → 龙 */
    assert_int_equal(tdb_text_fold_ideograph(0x4E7E), 0x4E7E); /* 乾 stays */
    assert_int_equal(tdb_text_fold_ideograph('A'), 'A');
    assert_int_equal(tdb_text_fold_ideograph(0x2EC4), 0x897F); /* ⻄ → 西 */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fold_width_and_case),
        cmocka_unit_test(fold_traditional),
        cmocka_unit_test(fold_look_alikes),
        cmocka_unit_test(fold_spaces_drop),
        cmocka_unit_test(fold_spaces_collapse),
        cmocka_unit_test(fold_invalid_utf8),
        cmocka_unit_test(fold_appends),
        cmocka_unit_test(fold_long_run),
        cmocka_unit_test(fold_reports_nomem),
        cmocka_unit_test(fold_is_idempotent),
        cmocka_unit_test(fold_ideograph_table),
    };
    return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}

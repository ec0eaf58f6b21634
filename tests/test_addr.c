/* Unit tests for the division gazetteer, the address parser and address comparison.
 * The nationwide division files are loaded once for the whole binary. */
#define _POSIX_C_SOURCE 200809L
#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "themedb/address.h"
#include "util.h"

typedef struct fixture {
    tdb_gazetteer *g;
    tdb_address_scratch *scratch;
    tdb_address first;
    tdb_address second;
} fixture;

static int load_gazetteer(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (f == NULL) return -1;
    if (tdb_gazetteer_new(&f->g) != TDB_OK) return -1;
    if (tdb_gazetteer_load_dir(f->g, TDB_DIVISION_DIR, NULL) != TDB_OK) return -1;
    if (tdb_address_scratch_new(&f->scratch) != TDB_OK) return -1;
    *state = f;
    return 0;
}

static int free_gazetteer(void **state)
{
    fixture *f = *state;
    tdb_address_scratch_free(f->scratch);
    tdb_gazetteer_free(f->g);
    free(f);
    return 0;
}

static void parse(fixture *f, const char *text, const char *scope, tdb_address *out)
{
    assert_int_equal(tdb_address_parse(f->g, f->scratch, scope, text, strlen(text), out), TDB_OK);
}

/* Assert that COMPONENT of A is EXPECTED, or absent when EXPECTED is NULL. */
static void assert_value(const tdb_address *a, tdb_addr_component component, const char *expected)
{
    size_t length = 0;
    const char *value = tdb_address_value(a, component, &length);
    if (expected == NULL) {
        assert_null(value);
        return;
    }
    assert_non_null(value);
    char copy[TDB_ADDRESS_TEXT_MAX];
    memcpy(copy, value, length);
    copy[length] = '\0';
    assert_string_equal(copy, expected);
}

/* ---- Gazetteer ------------------------------------------------------------------ */

static void gazetteer_loads_nationwide(void **state)
{
    fixture *f = *state;
    assert_true(tdb_gazetteer_count(f->g) > 600000);
}

static void gazetteer_has_code(void **state)
{
    fixture *f = *state;
    static const struct {
        const char *code;
        size_t digits;
        bool expected;
    } cases[] = {
        {"441622", 6, true},        {"441699", 6, false},       {"44", 2, true},
        {"4416", 4, true},          {"441622123", 9, true},     {"441622123200", 12, true},
        {"441622199909", 6, true},  /* the first six digits of an ID number */
        {"44162", 5, false},        {"44x622", 6, false},
    };
    for (size_t i = 0; i < TDB_ARRAY_LEN(cases); i++)
        assert_int_equal(tdb_gazetteer_has_code(f->g, cases[i].code, cases[i].digits), cases[i].expected);
}

static void gazetteer_village_names(void **state)
{
    fixture *f = *state;
    static const struct {
        uint64_t code;
        const char *name;
    } cases[] = {
        {441622100004ULL, "华新社区"}, /* 华新社区居民委员会 */
        {441622123200ULL, "联城村"},   /* 联城村民委员会 */
        {441622123000ULL, "岩镇镇"},
        {441600000000ULL, "河源市"},
    };
    for (size_t i = 0; i < TDB_ARRAY_LEN(cases); i++) {
        size_t length = 0;
        const char *name = tdb_gazetteer_name(f->g, cases[i].code, &length);
        assert_non_null(name);
        assert_int_equal(length, strlen(cases[i].name));
        assert_memory_equal(name, cases[i].name, length);
    }
}

static void gazetteer_add_rows(void **state)
{
    (void)state;
    tdb_gazetteer *g = NULL;
    assert_int_equal(tdb_gazetteer_new(&g), TDB_OK);
    assert_int_equal(tdb_gazetteer_add(g, "44", 2, TDB_LEVEL_NONE, "广东省", strlen("广东省")), TDB_OK);
    assert_int_equal(tdb_gazetteer_add(g, "4416", 4, TDB_LEVEL_NONE, "河源市", strlen("河源市")), TDB_OK);
    assert_int_equal(tdb_gazetteer_add(g, "441622000000", 12, TDB_LEVEL_COUNTY, "龍川縣",
                                       strlen("龍川縣")), TDB_OK);
    assert_int_equal(tdb_gazetteer_add(g, "12345", 5, TDB_LEVEL_NONE, "x", 1), TDB_ERR_INVALID);
    assert_int_equal(tdb_gazetteer_add(g, "441622000001", 12, TDB_LEVEL_COUNTY, "x", 1), TDB_ERR_INVALID);
    assert_false(tdb_gazetteer_has_code(g, "441622", 6)); /* not indexed yet */
    assert_int_equal(tdb_gazetteer_index(g), TDB_OK);
    assert_int_equal(tdb_gazetteer_count(g), 3);
    assert_true(tdb_gazetteer_has_code(g, "441622", 6));

    size_t length = 0;
    const char *name = tdb_gazetteer_name(g, 441622000000ULL, &length);
    assert_non_null(name);
    assert_memory_equal(name, "龙川县", length); /* folded to simplified */

    tdb_address_scratch *scratch = NULL;
    static tdb_address address;
    assert_int_equal(tdb_address_scratch_new(&scratch), TDB_OK);
    assert_int_equal(tdb_address_parse(g, scratch, NULL, "龙川县中山街", strlen("龙川县中山街"), &address),
                     TDB_OK);
    assert_int_equal(address.code, 441622000000ULL);
    tdb_address_scratch_free(scratch);
    tdb_gazetteer_free(g);
}

static void gazetteer_loads_official_file(void **state)
{
    (void)state;
    char path[] = "/tmp/themedb-divisions-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *file = fdopen(fd, "w");
    assert_non_null(file);
    fputs("code,name,parent_code,level\r\n"
          "440000000000,\"广东省\",,1\r\n"
          "441600000000,\"河源市\",440000000000,2\r\n"
          "441622000000,\"龙川县\",441600000000,3\r\n"
          "441622100000,\"老隆镇\",441622000000,4\r\n",
          file);
    fclose(file);

    tdb_gazetteer *g = NULL;
    assert_int_equal(tdb_gazetteer_new(&g), TDB_OK);
    assert_int_equal(tdb_gazetteer_load_official(g, path), TDB_OK);
    assert_int_equal(tdb_gazetteer_count(g), 4);
    assert_true(tdb_gazetteer_has_code(g, "441622100", 9));
    tdb_gazetteer_free(g);
    unlink(path);
}

static void gazetteer_missing_dir(void **state)
{
    (void)state;
    tdb_gazetteer *g = NULL;
    assert_int_equal(tdb_gazetteer_new(&g), TDB_OK);
    assert_int_equal(tdb_gazetteer_load_dir(g, "/nonexistent-themedb-divisions", NULL), TDB_ERR_IO);
    tdb_gazetteer_free(g);
}

static void gazetteer_reports_nomem(void **state)
{
    (void)state;
    tdb_gazetteer *g = NULL;
    tdb_alloc_fail_after(1);
    assert_int_equal(tdb_gazetteer_new(&g), TDB_ERR_NOMEM);
    tdb_alloc_fail_after(0);
    assert_null(g);
}

/* ---- Division resolution -------------------------------------------------------- */

static void parse_division_codes(void **state)
{
    fixture *f = *state;
    static const struct {
        const char *text;
        const char *scope;
        uint64_t code;
        tdb_addr_level level;
    } cases[] = {
        {"河源市龙川县佗城镇佗城社区中山街5号", NULL, 441622103001ULL, TDB_LEVEL_VILLAGE},
        {"广东省龙川县老隆镇", NULL, 441622100000ULL, TDB_LEVEL_TOWN},   /* city missing */
        {"龍川縣佗城鎮", NULL, 441622103000ULL, TDB_LEVEL_TOWN},
        {"老隆镇华新社区居委会", NULL, 441622100004ULL, TDB_LEVEL_VILLAGE},
        {"龙川县岩镇镇联城村三组", NULL, 441622123200ULL, TDB_LEVEL_VILLAGE},
        {"麻布岗镇宝岗社区", "441622", 0, TDB_LEVEL_VILLAGE},            /* code checked below */
        {"东莞市虎门镇", NULL, 441900121000ULL, TDB_LEVEL_TOWN},
        {"辽宁辽阳", NULL, 211000000000ULL, TDB_LEVEL_CITY},
        {"山东青岛市", NULL, 370200000000ULL, TDB_LEVEL_CITY},
        {"龙川老隆", NULL, 441622100000ULL, TDB_LEVEL_TOWN},
        {"东兴市", NULL, 450681000000ULL, TDB_LEVEL_COUNTY},
        {"东兴区", NULL, 511011000000ULL, TDB_LEVEL_COUNTY},
        {"老隆镇", "441622", 441622100000ULL, TDB_LEVEL_TOWN},
        {"廻龙镇", "441622", 441622119000ULL, TDB_LEVEL_TOWN},
        {"回龙镇", "441622", 441622119000ULL, TDB_LEVEL_TOWN},
        {"广东省广东省河源市", NULL, 441600000000ULL, TDB_LEVEL_CITY},
        {"襄樊市樊城区", NULL, 420606000000ULL, TDB_LEVEL_COUNTY},
        {"中国浙江省杭州市", NULL, 330100000000ULL, TDB_LEVEL_CITY},
        {"上海市虹口区四川北路100号", NULL, 310109000000ULL, TDB_LEVEL_COUNTY},
        {"海南省五指山市", NULL, 469001000000ULL, TDB_LEVEL_COUNTY},    /* no city level */
        {"中山街5号", NULL, 0, TDB_LEVEL_NONE},
        {"", NULL, 0, TDB_LEVEL_NONE},
    };
    for (size_t i = 0; i < TDB_ARRAY_LEN(cases); i++) {
        parse(f, cases[i].text, cases[i].scope, &f->first);
        if (cases[i].code != 0 || cases[i].level == TDB_LEVEL_NONE)
            assert_int_equal(f->first.code, cases[i].code);
        assert_int_equal(f->first.level, cases[i].level);
    }
}

static void parse_village_repeats_town(void **state)
{
    fixture *f = *state;
    parse(f, "佗城镇佗城社区", "441622", &f->first);
    assert_int_equal(f->first.code, 441622103001ULL);
    assert_value(&f->first, TDB_ADDR_TOWN, "佗城镇");
    assert_value(&f->first, TDB_ADDR_VILLAGE, "佗城社区");
    parse(f, "麻布岗镇宝岗社区", "441622", &f->first);
    assert_value(&f->first, TDB_ADDR_TOWN, "麻布岗镇");
    assert_value(&f->first, TDB_ADDR_VILLAGE, "宝岗社区");
}

static void parse_completes_upper_levels(void **state)
{
    fixture *f = *state;
    parse(f, "广东省龙川县老隆镇", NULL, &f->first);
    assert_value(&f->first, TDB_ADDR_CITY, "河源市");
    assert_true(f->first.flags & TDB_ADDR_UPPER_COMPLETED);
    parse(f, "老隆镇", "441622", &f->first);
    assert_true(f->first.flags & TDB_ADDR_UPPER_COMPLETED);
    assert_value(&f->first, TDB_ADDR_PROVINCE, "广东省");
}

static void parse_alias_flags(void **state)
{
    fixture *f = *state;
    parse(f, "辽宁辽阳", NULL, &f->first);
    assert_value(&f->first, TDB_ADDR_PROVINCE, "辽宁省");
    assert_value(&f->first, TDB_ADDR_CITY, "辽阳市");
    assert_true(f->first.flags & TDB_ADDR_ALIAS_USED);
    parse(f, "襄樊市", NULL, &f->first);
    assert_value(&f->first, TDB_ADDR_CITY, "襄阳市");
    assert_true(f->first.flags & TDB_ADDR_RENAMED);
}

static void parse_admin_inside_names(void **state)
{
    fixture *f = *state;
    static const struct {
        const char *text;
        tdb_addr_component component;
        const char *expected;
    } cases[] = {
        {"上海市虹口区四川北路100号", TDB_ADDR_PROVINCE, "上海市"},
        {"上海市虹口区四川北路100号", TDB_ADDR_ROAD, "四川北路"},
        {"上海市虹口区四川北路100号", TDB_ADDR_ROAD_NO, "100号"},
        {"上海市虹口区四川北路100号", TDB_ADDR_TOWN, NULL},
        {"上海市陕西南路200号", TDB_ADDR_PROVINCE, "上海市"},
        {"上海市陕西南路200号", TDB_ADDR_ROAD, "陕西南路"},
        {"青岛市重庆路8号", TDB_ADDR_CITY, "青岛市"},
        {"青岛市重庆路8号", TDB_ADDR_ROAD, "重庆路"},
        {"重庆路8号", TDB_ADDR_PROVINCE, NULL},
        {"重庆路8号", TDB_ADDR_ROAD, "重庆路"},
        {"沧州市運河北路8号", TDB_ADDR_ROAD, "运河北路"},
        {"沧州市運河北路8号", TDB_ADDR_COUNTY, NULL},
        {"丽水市龙泉苑3栋", TDB_ADDR_ESTATE, "龙泉苑"},
        {"丽水市龙泉苑3栋", TDB_ADDR_COUNTY, NULL},
        {"河源市龙川县中山街5号", TDB_ADDR_ROAD, "中山街"},
        {"河源市龙川县中山街5号", TDB_ADDR_CITY, "河源市"},
        {"河源市城区街8号", TDB_ADDR_ROAD, "城区街"},
        {"河源市城区街8号", TDB_ADDR_COUNTY, NULL},
        {"龙川塘路5号", TDB_ADDR_ROAD, "龙川塘路"},
        {"龙川塘路5号", TDB_ADDR_COUNTY, NULL},
        {"温州市龙湾经济技术开发区滨海一道8号", TDB_ADDR_DEVZONE, "龙湾经济技术开发区"},
        {"温州市龙湾经济技术开发区滨海一道8号", TDB_ADDR_COUNTY, NULL},
        {"河源市龙川县河源龙川老隆镇中山街5号", TDB_ADDR_TOWN, "老隆镇"},
        {"河源市龙川县河源龙川老隆镇中山街5号", TDB_ADDR_ROAD, "中山街"},
        {"河源市NULL广东省河源市龙川县老隆镇", TDB_ADDR_TOWN, "老隆镇"},
        {"龙川县老隆镇河源华达贸易有限公司", TDB_ADDR_ESTATE, "河源华达贸易有限公司"},
    };
    for (size_t i = 0; i < TDB_ARRAY_LEN(cases); i++) {
        parse(f, cases[i].text, NULL, &f->first);
        assert_value(&f->first, cases[i].component, cases[i].expected);
    }
}

static void parse_look_alikes(void **state)
{
    fixture *f = *state;
    parse(f, "\xE2\xBB\x93沙市", NULL, &f->first); /* U+2ED3 radical */
    assert_value(&f->first, TDB_ADDR_CITY, "长沙市");
    assert_int_equal(f->first.code, 430100000000ULL);
}

/* ---- Detail components ---------------------------------------------------------- */

static void parse_numbers_and_layout(void **state)
{
    fixture *f = *state;
    static const struct {
        const char *text;
        tdb_addr_component component;
        const char *expected;
    } cases[] = {
        {"3栋1单元502", TDB_ADDR_BUILDING, "3栋"},
        {"3栋1单元502", TDB_ADDR_UNIT, "1单元"},
        {"3栋1单元502", TDB_ADDR_ROOM, "502室"},
        {"3-1-502", TDB_ADDR_BUILDING, "3栋"},
        {"3-1-502", TDB_ADDR_UNIT, "1单元"},
        {"3-1-502", TDB_ADDR_ROOM, "502室"},
        {"一〇二室", TDB_ADDR_ROOM, "102室"},
        {"十二栋", TDB_ADDR_BUILDING, "12栋"},
        {"5栋三零一", TDB_ADDR_ROOM, "301室"},
        {"5幢二十一号房", TDB_ADDR_ROOM, "21室"},
        {"8号楼3层", TDB_ADDR_BUILDING, "8栋"},
        {"8号楼3层", TDB_ADDR_FLOOR, "3层"},
        {"A座1203", TDB_ADDR_BUILDING, "A栋"},
        {"中山路12之3号", TDB_ADDR_ROAD_NO, "12之3号"},
        {"中山路12号附1", TDB_ADDR_ROAD_NO, "12号附1"},
        {"中山路12-3号", TDB_ADDR_ROAD_NO, "12-3号"},
        {"东风公路832弄125号", TDB_ADDR_ROAD_NO, "832弄"},
        {"东风公路832弄125号", TDB_ADDR_BUILDING, "125栋"},
        {"龙川县岩镇镇联城村三组", TDB_ADDR_GROUP, "3组"},
        {"龙川县岩镇镇联城村三组", TDB_ADDR_VILLAGE, "联城村"},
        {"龙川县岩镇镇联城村委会三组", TDB_ADDR_VILLAGE, "联城村"},
        {"龙川县岩镇镇联城村委会三组", TDB_ADDR_ESTATE, NULL},
        {"联城村第五村民小组", TDB_ADDR_GROUP, "5组"},
        {"城南开发区青峰路119号", TDB_ADDR_DEVZONE, "城南开发区"},
        {"城南开发区青峰路119号", TDB_ADDR_ROAD, "青峰路"},
        {"阳光花园5栋", TDB_ADDR_ESTATE, "阳光花园"},
        {"人民路城市广场5楼", TDB_ADDR_ROAD, "人民路"},
        {"人民路城市广场5楼", TDB_ADDR_ESTATE, "城市广场"},
        {"建设大道中海大厦B座", TDB_ADDR_ROAD, "建设大道"},
        {"建设大道中海大厦B座", TDB_ADDR_ESTATE, "中海大厦"},
        {"34幢4号", TDB_ADDR_UNIT, "4单元"},
        {"3栋502号", TDB_ADDR_ROOM, "502室"},
        {"121栋9-459", TDB_ADDR_UNIT, "9单元"},
        {"121栋9-459", TDB_ADDR_ROOM, "459室"},
        {"和平路1980机械厂", TDB_ADDR_ROAD_NO, "1980号"},
        {"青年西路万达SOHO公寓", TDB_ADDR_ESTATE, "万达SOHO公寓"},
        {"李庄二号路238号", TDB_ADDR_ROAD, "李庄二号路"},
        {"李庄二号路238号", TDB_ADDR_ROAD_NO, "238号"},
        {"解放路与人民路交叉口", TDB_ADDR_ROAD, "解放路人民路"},
        {"平安里小区17一10一6", TDB_ADDR_BUILDING, "17栋"},
        {"平安里小区17一10一6", TDB_ADDR_UNIT, "10单元"},
        {"平安里小区17一10一6", TDB_ADDR_ROOM, "6室"},
        {"百花农贸市场74-78号", TDB_ADDR_ROOM, "74-78号"},
        {"长青大道174--178号", TDB_ADDR_ROAD_NO, "174-178号"},
        {"文一路704号金星大厦18楼前台", TDB_ADDR_ESTATE, "金星大厦"},
    };
    for (size_t i = 0; i < TDB_ARRAY_LEN(cases); i++) {
        parse(f, cases[i].text, NULL, &f->first);
        assert_value(&f->first, cases[i].component, cases[i].expected);
    }
}

static void parse_drops_noise(void **state)
{
    fixture *f = *state;
    parse(f, "佗城镇中山街5号(农业银行对面)", "441622", &f->first);
    parse(f, "佗城镇中山街5号", "441622", &f->second);
    assert_true(f->first.flags & TDB_ADDR_NOISE_DROPPED);
    assert_true(f->first.key == f->second.key);
    assert_string_equal(f->first.folded, "佗城镇中山街5号(农业银行对面)");
    parse(f, "中山街5号对面", NULL, &f->first);
    assert_value(&f->first, TDB_ADDR_ROAD_NO, "5号");
    assert_value(&f->first, TDB_ADDR_ESTATE, NULL);
    parse(f, "中山街5号西侧", NULL, &f->first);
    assert_value(&f->first, TDB_ADDR_ROAD_NO, "5号");
    assert_value(&f->first, TDB_ADDR_ESTATE, NULL);
}

static void parse_canonical_string(void **state)
{
    fixture *f = *state;
    parse(f, "佗城镇中山街5号", "441622", &f->first);
    assert_int_equal(f->first.canonical_length, strlen("广东省河源市龙川县佗城镇中山街5号"));
    assert_memory_equal(f->first.text + f->first.canonical_offset, "广东省河源市龙川县佗城镇中山街5号",
                        f->first.canonical_length);
    parse(f, "上海市虹口区", NULL, &f->first); /* the municipality is written once */
    assert_memory_equal(f->first.text + f->first.canonical_offset, "上海市虹口区",
                        f->first.canonical_length);
}

static void parse_without_gazetteer(void **state)
{
    fixture *f = *state;
    assert_int_equal(tdb_address_parse(NULL, f->scratch, NULL, "龙川县老隆镇中山街5号",
                                       strlen("龙川县老隆镇中山街5号"), &f->first),
                     TDB_OK);
    assert_int_equal(f->first.code, 0);
    assert_value(&f->first, TDB_ADDR_COUNTY, "龙川县");
    assert_value(&f->first, TDB_ADDR_TOWN, "老隆镇");
    assert_value(&f->first, TDB_ADDR_ROAD, "中山街");
}

static void parse_long_input(void **state)
{
    fixture *f = *state;
    char text[3000];
    size_t length = 0;
    while (length + 3 < sizeof text - 1) {
        memcpy(text + length, "龙", 3);
        length += 3;
    }
    text[length] = '\0';
    parse(f, text, NULL, &f->first);
    assert_true(f->first.flags & TDB_ADDR_TRUNCATED);
    assert_true(f->first.folded_length <= TDB_ADDRESS_INPUT_MAX);
}

/* ---- Comparison ----------------------------------------------------------------- */

static void compare_levels(void **state)
{
    fixture *f = *state;
    static const struct {
        const char *a;
        const char *b;
        const char *scope;
        tdb_addr_match expected;
    } cases[] = {
        {"广东省河源市龙川县佗城镇中山街5号", "佗城镇中山街5号", NULL, TDB_ADDR_MATCH_EXACT},
        {"3栋1单元502", "3-1-502", NULL, TDB_ADDR_MATCH_EXACT},
        {"东兴市", "东兴区", NULL, TDB_ADDR_MATCH_NONE},
        {"廻龙镇", "回龙镇", NULL, TDB_ADDR_MATCH_EXACT},
        {"廻龙镇", "回龙镇", "441622", TDB_ADDR_MATCH_EXACT},
        {"广东省", "广东省河源市", NULL, TDB_ADDR_MATCH_PARTIAL},
        {"佗城镇中山街5号", "佗城镇", "441622", TDB_ADDR_MATCH_PARTIAL},
        {"佗城镇中山街5号", "佗城镇中山街7号", "441622", TDB_ADDR_MATCH_NONE},
        {"中山街5号", "龙川县中山街5号", NULL, TDB_ADDR_MATCH_PARTIAL},
        {"广东省", "中山街5号", NULL, TDB_ADDR_MATCH_NONE},
        {"广东省河源市", "广西壮族自治区", NULL, TDB_ADDR_MATCH_NONE},
        {"龍川縣佗城鎮", "龙川县佗城镇", NULL, TDB_ADDR_MATCH_EXACT},
    };
    for (size_t i = 0; i < TDB_ARRAY_LEN(cases); i++) {
        parse(f, cases[i].a, cases[i].scope, &f->first);
        parse(f, cases[i].b, cases[i].scope, &f->second);
        assert_string_equal(tdb_addr_match_name(tdb_address_compare(&f->first, &f->second)),
                            tdb_addr_match_name(cases[i].expected));
        assert_int_equal(tdb_address_compare(&f->second, &f->first), cases[i].expected);
    }
}

static void compare_exact_shares_key(void **state)
{
    fixture *f = *state;
    parse(f, "广东省河源市龙川县佗城镇中山街5号", NULL, &f->first);
    parse(f, "佗城镇中山街5号", NULL, &f->second);
    assert_true(f->first.key == f->second.key);
    parse(f, "佗城镇中山街7号", NULL, &f->second);
    assert_true(f->first.key != f->second.key);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(gazetteer_loads_nationwide),
        cmocka_unit_test(gazetteer_has_code),
        cmocka_unit_test(gazetteer_village_names),
        cmocka_unit_test(gazetteer_add_rows),
        cmocka_unit_test(gazetteer_loads_official_file),
        cmocka_unit_test(gazetteer_missing_dir),
        cmocka_unit_test(gazetteer_reports_nomem),
        cmocka_unit_test(parse_division_codes),
        cmocka_unit_test(parse_village_repeats_town),
        cmocka_unit_test(parse_completes_upper_levels),
        cmocka_unit_test(parse_alias_flags),
        cmocka_unit_test(parse_admin_inside_names),
        cmocka_unit_test(parse_look_alikes),
        cmocka_unit_test(parse_numbers_and_layout),
        cmocka_unit_test(parse_drops_noise),
        cmocka_unit_test(parse_canonical_string),
        cmocka_unit_test(parse_without_gazetteer),
        cmocka_unit_test(parse_long_input),
        cmocka_unit_test(compare_levels),
        cmocka_unit_test(compare_exact_shares_key),
    };
    return cmocka_run_group_tests_name("addr", tests, load_gazetteer, free_gazetteer);
}

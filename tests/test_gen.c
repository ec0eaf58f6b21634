/* Unit tests for the synthetic county generator: identifier check characters against
 * published examples, Chinese numerals, calendar arithmetic, text dirt, address
 * rendering and the CSV writer's quoting, encodings and line counting. */
#define _POSIX_C_SOURCE 200809L
#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <zlib.h>

#include "gen.h"

static void ident_id_number(void **state)
{
    (void)state;
    char id[19], legacy[16];

    /* The example number of GB 11643-1999. */
    gen_id_make(id, "110105", gen_days_from_civil(1949, 12, 31), 2);
    assert_string_equal(id, "11010519491231002X");
    gen_id_legacy15(legacy, id);
    assert_string_equal(legacy, "110105491231002");
    assert_int_equal(gen_id_check_char("44162219761218317"), '4');
}

static void ident_credit_code(void **state)
{
    (void)state;
    char code[19];

    /* A widely cited GB 32100 example and the GB 11714 example D2143569-X. */
    gen_uscc_make(code, "91", "350100", "M000100Y");
    assert_string_equal(code, "91350100M000100Y43");
    assert_int_equal(gen_org_check_char("D2143569"), 'X');
}

static void ident_vin(void **state)
{
    (void)state;
    char vin[18];
    gen_rng rng;

    /* The example VIN of ISO 3779 / FMVSS 565, check digit X. */
    assert_int_equal(gen_vin_check_char("1M8GDM9AXKP042788"), 'X');
    gen_rng_seed(&rng, 1, 1);
    for (int i = 0; i < 100; i++) {
        gen_vin_make(&rng, vin, "LSV", 2021);
        assert_int_equal(strlen(vin), 17);
        assert_int_equal(vin[8], gen_vin_check_char(vin));
        assert_int_equal(vin[9], 'M'); /* model year 2021 */
        assert_null(strpbrk(vin, "IOQ"));
    }
}

static void numerals_chinese(void **state)
{
    (void)state;
    static const struct {
        unsigned number;
        const char *expected;
    } cases[] = {
        {0, "零"}, {7, "七"}, {10, "十"}, {12, "十二"}, {20, "二十"}, {25, "二十五"},
        {105, "一百零五"}, {110, "一百一十"}, {301, "三百零一"}, {1001, "一千零一"}, {2020, "二千零二十"},
    };
    for (size_t i = 0; i < TDB_ARRAY_LEN(cases); i++) {
        tdb_buf out = {0};
        assert_int_equal(gen_append_cn_number(&out, cases[i].number), TDB_OK);
        assert_string_equal(out.data, cases[i].expected);
        tdb_buf_free(&out);
    }
    tdb_buf digits = {0};
    assert_int_equal(gen_append_cn_digits(&digits, 301), TDB_OK);
    assert_string_equal(digits.data, "三零一");
    tdb_buf_free(&digits);
}

static void dates_round_trip(void **state)
{
    (void)state;
    int year, month, day;

    assert_int_equal(gen_days_from_civil(1970, 1, 1), 0);
    assert_int_equal(gen_days_from_civil(2000, 3, 1) - gen_days_from_civil(2000, 2, 28), 2);
    assert_int_equal(gen_days_from_civil(1900, 3, 1) - gen_days_from_civil(1900, 2, 28), 1);
    for (int32_t days = -30000; days < 30000; days += 37) {
        gen_civil_from_days(days, &year, &month, &day);
        assert_int_equal(gen_days_from_civil(year, month, day), days);
    }
}

static void rng_deterministic(void **state)
{
    (void)state;
    gen_rng first, second, other;
    gen_rng_seed(&first, 42, 7);
    gen_rng_seed(&second, 42, 7);
    gen_rng_seed(&other, 42, 8);
    int differences = 0;
    for (int i = 0; i < 1000; i++) {
        uint64_t value = gen_rng_next(&first);
        assert_true(value == gen_rng_next(&second));
        differences += value != gen_rng_next(&other);
        uint32_t bounded = gen_rng_below(&first, 7);
        assert_true(bounded < 7);
        (void)gen_rng_below(&second, 7);
    }
    assert_true(differences > 990);
}

static void text_dirt(void **state)
{
    (void)state;
    gen_rng rng;
    gen_rng_seed(&rng, 3, 3);
    tdb_buf out = {0};

    assert_true(gen_text_traditional("龙川县老隆镇", &out));
    assert_string_equal(out.data, "龍川縣老隆鎮");
    tdb_buf_clear(&out);
    assert_false(gen_text_traditional("佗城", &out));
    tdb_buf_clear(&out);
    assert_true(gen_text_homophone(&rng, "张三", &out));
    assert_string_equal(out.data, "章三");
    tdb_buf_clear(&out);
    assert_false(gen_text_homophone(&rng, "佗", &out));
    tdb_buf_clear(&out);
    assert_true(gen_text_separator(&rng, "阿卜杜拉\xC2\xB7艾买提", &out));
    assert_null(strstr(out.data, "\xC2\xB7"));
    tdb_buf_free(&out);

    char surname[16];
    gen_name_surname("欧阳晓明", surname);
    assert_string_equal(surname, "欧阳");
    gen_name_surname("黄伟", surname);
    assert_string_equal(surname, "黄");
}

/* Find an estate address in Longchuan's first urban community. */
static void new_estate_address(gen_geo *geo, gen_rng *rng, gen_address *address)
{
    int32_t village = 0;
    while (!geo->villages[village].urban) village++;
    do gen_address_new(geo, rng, village, address);
    while (address->kind != GEN_ADDRESS_ESTATE);
}

static void address_render(void **state)
{
    (void)state;
    gen_geo geo;
    gen_rng rng;
    gen_address address;
    tdb_buf clean = {0}, dirty = {0};
    gen_rng_seed(&rng, 5, 5);
    assert_int_equal(gen_geo_load(&geo, TDB_DIVISION_DIR, "441622"), TDB_OK);
    assert_true(geo.town_count >= 20);
    assert_string_equal(geo.towns[0].name, "老隆镇");
    new_estate_address(&geo, &rng, &address);
    assert_true(address.longitude >= 115.0 && address.longitude <= 115.6);
    assert_true(address.latitude >= 23.9 && address.latitude <= 24.6);

    assert_int_equal(gen_address_render(&geo, &address, 0, &rng, &clean), TDB_OK);
    assert_non_null(strstr(clean.data, "广东省河源市龙川县老隆镇"));
    assert_non_null(strstr(clean.data, "栋"));
    assert_int_equal(gen_address_render(&geo, &address, GEN_RENDER_SHORTHAND | GEN_RENDER_ABBREVIATED, &rng, &dirty),
                     TDB_OK);
    assert_null(strstr(dirty.data, "广东省"));
    assert_null(strstr(dirty.data, "栋"));
    assert_non_null(strchr(dirty.data, '-'));
    tdb_buf_clear(&dirty);
    assert_int_equal(gen_address_render(&geo, &address, GEN_RENDER_COMMITTEE | GEN_RENDER_TRADITIONAL, &rng, &dirty),
                     TDB_OK);
    assert_non_null(strstr(dirty.data, "居委會"));
    assert_non_null(strstr(dirty.data, "龍川縣"));

    tdb_buf_free(&clean);
    tdb_buf_free(&dirty);
    gen_geo_free(&geo);
}

static char *read_whole(const char *path, size_t *length)
{
    FILE *file = fopen(path, "rb");
    assert_non_null(file);
    static char buffer[4096];
    *length = fread(buffer, 1, sizeof buffer - 1, file);
    buffer[*length] = '\0';
    fclose(file);
    return buffer;
}

static void output_quoting_lines(void **state)
{
    (void)state;
    char dir[] = "/tmp/test_gen_XXXXXX";
    assert_non_null(mkdtemp(dir));
    gen_file_format format = {"quoted.csv", GEN_UTF8, false, true, true};
    gen_file *file = NULL;
    assert_int_equal(gen_file_open(&file, dir, &format), TDB_OK);

    assert_int_equal(gen_file_line(file), 1);
    assert_int_equal(gen_file_field(file, "a\"b"), TDB_OK);
    assert_int_equal(gen_file_field(file, "x\ny"), TDB_OK);
    assert_int_equal(gen_file_end_record(file, false), TDB_OK);
    assert_int_equal(gen_file_line(file), 3); /* the quoted newline spans two lines */
    assert_int_equal(gen_file_repeat_record(file), TDB_OK);
    assert_int_equal(gen_file_line(file), 5);
    assert_int_equal(gen_file_close(file), TDB_OK);

    char path[256];
    size_t length;
    snprintf(path, sizeof path, "%s/quoted.csv", dir);
    const char *bytes = read_whole(path, &length);
    assert_memory_equal(bytes, "\xEF\xBB\xBF\"a\"\"b\",\"x\ny\"\r\n", 17);
    assert_int_equal(length, 3 + 2 * 14);
    unlink(path);
    rmdir(dir);
}

static void output_gb18030_gzip(void **state)
{
    (void)state;
    char dir[] = "/tmp/test_gen_XXXXXX";
    assert_non_null(mkdtemp(dir));
    gen_file_format format = {"gb.csv.gz", GEN_GB18030, true, false, false};
    gen_file *file = NULL;
    assert_int_equal(gen_file_open(&file, dir, &format), TDB_OK);
    assert_int_equal(gen_file_field(file, "龙"), TDB_OK);
    assert_int_equal(gen_file_field(file, "x"), TDB_OK);
    assert_int_equal(gen_file_end_record(file, true), TDB_OK);
    assert_int_equal(gen_file_close(file), TDB_OK);

    char path[256];
    size_t length;
    snprintf(path, sizeof path, "%s/gb.csv.gz", dir);
    const unsigned char *bytes = (const unsigned char *)read_whole(path, &length);
    /* gzip magic, deflate, no flags (so no file name), modification time 0 */
    assert_int_equal(bytes[0], 0x1f);
    assert_int_equal(bytes[1], 0x8b);
    assert_int_equal(bytes[3], 0);
    assert_int_equal(bytes[4] | bytes[5] | bytes[6] | bytes[7], 0);

    gzFile compressed = gzopen(path, "rb");
    assert_non_null(compressed);
    char text[64];
    int count = gzread(compressed, text, sizeof text);
    gzclose(compressed);
    assert_int_equal(count, 6);
    /* 龙 is C1 FA in GB18030; the invalid byte 0xFF goes before the comma. */
    assert_memory_equal(text, "\xC1\xFA\xFF,x\n", 6);
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ident_id_number),    cmocka_unit_test(ident_credit_code),
        cmocka_unit_test(ident_vin),          cmocka_unit_test(numerals_chinese),
        cmocka_unit_test(dates_round_trip),   cmocka_unit_test(rng_deterministic),
        cmocka_unit_test(text_dirt),          cmocka_unit_test(address_render),
        cmocka_unit_test(output_quoting_lines), cmocka_unit_test(output_gb18030_gzip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

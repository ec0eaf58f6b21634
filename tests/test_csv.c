/* Table-driven tests of the CSV reader: every quirk of department exports. */
#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <zlib.h>

#include "csv_reader.h"
#include "util.h"

/* Render every record as "LINE:field|field[!error]\n" so one string compares a file. */
static char *render_records(const void *data, size_t size, tdb_csv_options options,
                            tdb_status *final_status)
{
    tdb_csv_reader *reader = NULL;
    assert_int_equal(tdb_csv_open_memory(data, size, &options, &reader), TDB_OK);
    tdb_buf out = {0};
    tdb_csv_record record;
    tdb_status status;
    while ((status = tdb_csv_next(reader, &record)) == TDB_OK) {
        tdb_buf_printf(&out, "%ld:", record.line);
        for (size_t i = 0; i < record.field_count; i++) {
            if (i > 0) tdb_buf_append_char(&out, '|');
            if (record.error == NULL) tdb_buf_append(&out, record.fields[i], record.lengths[i]);
        }
        if (record.error != NULL) tdb_buf_printf(&out, "!%s", record.error);
        tdb_buf_append_char(&out, '\n');
    }
    *final_status = status;
    tdb_csv_close(reader);
    if (out.data == NULL) return tdb_strdup("");
    return out.data;
}

typedef struct csv_case {
    const char *name;
    const char *input;
    char delimiter;
    const char *expected;
} csv_case;

static const csv_case cases[] = {
    {"plain", "a,b,c\n1,2,3\n", 0, "1:a|b|c\n2:1|2|3\n"},
    {"no final newline", "a,b\n1,2", 0, "1:a|b\n2:1|2\n"},
    {"crlf", "a,b\r\n1,2\r\n", 0, "1:a|b\n2:1|2\n"},
    {"bom", "\xEF\xBB\xBF" "a,b\n", 0, "1:a|b\n"},
    {"bom before quote", "\xEF\xBB\xBF\"a\",b\n", 0, "1:a|b\n"},
    {"bom mid file", "a,b\n\xEF\xBB\xBFx,y\n", 0, "1:a|b\n2:x|y\n"},
    {"quoted delimiter", "\"a,b\",c\n", 0, "1:a,b|c\n"},
    {"doubled quote", "\"say \"\"hi\"\"\",x\n", 0, "1:say \"hi\"|x\n"},
    {"embedded newline", "\"line1\nline2\",x\nnext,y\n", 0, "1:line1\nline2|x\n3:next|y\n"},
    {"embedded crlf", "\"a\r\nb\",x\r\n", 0, "1:a\r\nb|x\n"},
    {"empty fields", ",,\n", 0, "1:||\n"},
    {"blank lines skipped", "a\n\n\r\nb\n", 0, "1:a\n4:b\n"},
    {"tab delimiter", "a\tb\n", '\t', "1:a|b\n"},
    {"chinese", "号牌号码,所有人\n粤P12345,张三\n", 0, "1:号牌号码|所有人\n2:粤P12345|张三\n"},
    {"stray quote kept", "ab\"c,d\n", 0, "1:ab\"c|d\n"},
    {"text after quote", "\"ab\"c,d\n", 0, "1:abc|d\n"},
    {"unterminated quote", "a,\"b\nc\n", 0, "1:|!unterminated_quote\n"},
    {"invalid utf8", "a,\xFF\xFE\nb,c\n", 0, "1:|!invalid_encoding\n2:b|c\n"},
    {"lone cr", "a\rb\n", 0, "1:a\n1:b\n"},
};

static void csv_reads_each_quirk(void **state)
{
    (void)state;
    for (size_t i = 0; i < TDB_ARRAY_LEN(cases); i++) {
        tdb_csv_options options = {.delimiter = cases[i].delimiter};
        tdb_status status;
        char *rendered = render_records(cases[i].input, strlen(cases[i].input), options, &status);
        if (strcmp(rendered, cases[i].expected) != 0)
            fail_msg("case '%s': got [%s] expected [%s]", cases[i].name, rendered,
                     cases[i].expected);
        assert_int_equal(status, TDB_ERR_NOT_FOUND);
        free(rendered);
    }
}

static void csv_rejects_nul_byte(void **state)
{
    (void)state;
    static const char input[] = "a,b\0c\nd,e\n";
    tdb_csv_options options = {0};
    tdb_status status;
    char *rendered = render_records(input, sizeof input - 1, options, &status);
    assert_string_equal(rendered, "1:|!nul_byte\n2:d|e\n");
    free(rendered);
}

static void csv_limits_record_length(void **state)
{
    (void)state;
    size_t size = 5000;
    char *input = malloc(size + 16);
    memset(input, 'x', size);
    memcpy(input + size, "\nok,1\n", 7);
    tdb_csv_options options = {.max_record_bytes = 1000};
    tdb_status status;
    char *rendered = render_records(input, strlen(input), options, &status);
    assert_string_equal(rendered, "1:!too_long\n2:ok|1\n");
    free(rendered);
    free(input);
}

static void csv_limits_field_count(void **state)
{
    (void)state;
    tdb_csv_options options = {.max_fields = 3};
    tdb_status status;
    char *rendered = render_records("a,b,c,d,e\nx\n", 12, options, &status);
    assert_string_equal(rendered, "1:||!too_many_fields\n2:x\n");
    free(rendered);
}

static void csv_converts_gb18030(void **state)
{
    (void)state;
    /* 龙川 in GB18030 is C1FA B4A8; 0x81 0x20 is an invalid sequence. */
    static const char input[] = "\xC1\xFA\xB4\xA8,1\n\x81\x20,2\nok,3\n";
    tdb_csv_options options = {.encoding = TDB_CSV_GB18030};
    tdb_status status;
    char *rendered = render_records(input, sizeof input - 1, options, &status);
    assert_string_equal(rendered, "1:龙川|1\n2:|!invalid_encoding\n3:ok|3\n");
    free(rendered);
}

static size_t gzip_bytes(const char *text, unsigned char *out, size_t capacity)
{
    z_stream stream = {0};
    assert_int_equal(deflateInit2(&stream, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
    stream.next_in = (unsigned char *)text;
    stream.avail_in = (uInt)strlen(text);
    stream.next_out = out;
    stream.avail_out = (uInt)capacity;
    assert_int_equal(deflate(&stream, Z_FINISH), Z_STREAM_END);
    size_t size = capacity - stream.avail_out;
    deflateEnd(&stream);
    return size;
}

static void csv_inflates_gzip(void **state)
{
    (void)state;
    unsigned char compressed[256];
    size_t size = gzip_bytes("a,b\n1,2\n", compressed, sizeof compressed);
    tdb_csv_options options = {0};
    tdb_status status;
    char *rendered = render_records(compressed, size, options, &status);
    assert_string_equal(rendered, "1:a|b\n2:1|2\n");
    assert_int_equal(status, TDB_ERR_NOT_FOUND);
    free(rendered);
}

static void csv_stops_on_truncated_gzip(void **state)
{
    (void)state;
    unsigned char compressed[256];
    size_t size = gzip_bytes("a,b\n1,2\n3,4\n", compressed, sizeof compressed);
    tdb_csv_options options = {0};
    tdb_status status;
    char *rendered = render_records(compressed, size - 6, options, &status);
    assert_int_equal(status, TDB_ERR_FORMAT);
    free(rendered);
}

static void csv_stops_on_corrupt_gzip(void **state)
{
    (void)state;
    unsigned char compressed[256];
    size_t size = gzip_bytes("a,b\n1,2\n3,4\n", compressed, sizeof compressed);
    for (size_t i = 12; i < size - 8; i++) compressed[i] ^= 0x5A;
    tdb_csv_options options = {0};
    tdb_status status;
    char *rendered = render_records(compressed, size, options, &status);
    assert_int_equal(status, TDB_ERR_FORMAT);
    free(rendered);
}

static void csv_hashes_raw_bytes(void **state)
{
    (void)state;
    tdb_csv_options options = {0};
    tdb_csv_reader *first = NULL;
    tdb_csv_reader *second = NULL;
    tdb_csv_record record;
    assert_int_equal(tdb_csv_open_memory("a,b\n", 4, &options, &first), TDB_OK);
    assert_int_equal(tdb_csv_open_memory("a,c\n", 4, &options, &second), TDB_OK);
    while (tdb_csv_next(first, &record) == TDB_OK) {}
    while (tdb_csv_next(second, &record) == TDB_OK) {}
    assert_int_equal(tdb_csv_raw_bytes(first), 4);
    assert_true(tdb_csv_content_hash(first) != tdb_csv_content_hash(second));
    tdb_csv_close(first);
    tdb_csv_close(second);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(csv_reads_each_quirk),
        cmocka_unit_test(csv_rejects_nul_byte),
        cmocka_unit_test(csv_limits_record_length),
        cmocka_unit_test(csv_limits_field_count),
        cmocka_unit_test(csv_converts_gb18030),
        cmocka_unit_test(csv_inflates_gzip),
        cmocka_unit_test(csv_stops_on_truncated_gzip),
        cmocka_unit_test(csv_stops_on_corrupt_gzip),
        cmocka_unit_test(csv_hashes_raw_bytes),
    };
    return cmocka_run_group_tests_name("csv_reader", tests, NULL, NULL);
}

/* libFuzzer harness for the CSV reader with gzip and encoding conversion.
 *
 * The first input byte selects the options: bits 0-1 the delimiter (comma, tab, '|',
 * ';'), bit 2 GB18030 instead of UTF-8, bit 3 small record and field limits (64 bytes,
 * 4 fields) so that the limit paths run on short inputs. The rest is the file. Every
 * record must keep these invariants:
 * - a record is either an error with a known reason code, or fields that are valid
 *   UTF-8 without NUL bytes, each NUL-terminated at its length;
 * - there are never more fields than the field limit, a clean record has at least
 *   one field, and its fields take at most the record limit in bytes;
 * - the raw bytes are capped at 64 KiB, and line numbers start at 1 and never go back;
 * - reading ends with end of input (after the reader consumed every raw byte) or a
 *   corrupt gzip stream, and never returns more records than there are input bytes. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_reader.h"
#include "util.h"

static void require(bool condition, const char *what)
{
    if (condition) return;
    fprintf(stderr, "fuzz_csv: invariant broken: %s\n", what);
    abort();
}

static bool known_reason(const char *reason)
{
    static const char *const reasons[] = {"unterminated_quote", "too_long", "too_many_fields",
                                          "invalid_encoding", "nul_byte"};
    for (size_t i = 0; i < TDB_ARRAY_LEN(reasons); i++)
        if (strcmp(reason, reasons[i]) == 0) return true;
    return false;
}

static void check_record(const tdb_csv_record *record, const tdb_csv_options *options,
                         long previous_line)
{
    require(record->line >= 1, "line number below 1");
    require(record->line >= previous_line, "line numbers go back");
    require(record->raw_length <= 65536, "raw bytes above 64 KiB");
    require(record->raw != NULL, "raw is NULL");
    require(record->field_count <= options->max_fields, "more fields than the limit");
    if (record->error != NULL) {
        require(known_reason(record->error), "unknown reason code");
        return;
    }
    require(record->field_count >= 1, "clean record without fields");
    size_t total = 0;
    for (size_t i = 0; i < record->field_count; i++) {
        const char *field = record->fields[i];
        size_t length = record->lengths[i];
        require(field[length] == '\0', "field not NUL-terminated at its length");
        require(memchr(field, '\0', length) == NULL, "NUL byte inside a clean field");
        require(tdb_utf8_valid(field, length), "clean field is not valid UTF-8");
        total += length;
    }
    require(total <= options->max_record_bytes, "clean record longer than the limit");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char delimiters[] = {',', '\t', '|', ';'};
    if (size == 0) return 0;
    uint8_t selector = data[0];
    tdb_csv_options options = {
        .delimiter = delimiters[selector & 3],
        .encoding = (selector & 4) ? TDB_CSV_GB18030 : TDB_CSV_UTF8,
        .max_record_bytes = (selector & 8) ? 64 : 1 << 20,
        .max_fields = (selector & 8) ? 4 : 1024,
    };
    tdb_csv_reader *reader = NULL;
    tdb_status status = tdb_csv_open_memory(data + 1, size - 1, &options, &reader);
    require(status == TDB_OK, "open failed");

    tdb_csv_record record;
    long previous_line = 1;
    size_t records = 0;
    while ((status = tdb_csv_next(reader, &record)) == TDB_OK) {
        check_record(&record, &options, previous_line);
        previous_line = record.line;
        records++;
        require(records <= size, "more records than input bytes");
    }
    require(status == TDB_ERR_NOT_FOUND || status == TDB_ERR_FORMAT, "unexpected final status");
    if (status == TDB_ERR_NOT_FOUND)
        require(tdb_csv_raw_bytes(reader) == size - 1, "end of input before every byte was read");
    else
        require(tdb_csv_error_message(reader)[0] != '\0', "format error without a message");
    tdb_csv_close(reader);
    return 0;
}

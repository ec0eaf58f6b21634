/* Streaming CSV reader for department exports: RFC 4180 plus the quirks real exports
 * have (UTF-8 BOM, CRLF, quoted fields with embedded newlines and doubled quotes, gzip
 * detected by magic bytes, GB18030 converted to UTF-8). A record that cannot be read
 * cleanly is still returned, with a reason, so that the caller can reject it and go
 * on. Only I/O failures and corrupt compressed streams stop the reader. */
#ifndef THEMEDB_CSV_READER_H
#define THEMEDB_CSV_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "themedb/status.h"

typedef enum tdb_csv_encoding { TDB_CSV_UTF8, TDB_CSV_GB18030 } tdb_csv_encoding;

typedef struct tdb_csv_options {
    char delimiter;             /* 0 means ',' */
    tdb_csv_encoding encoding;
    size_t max_record_bytes;    /* 0 means 1 MiB; longer records are rejected as too_long */
    size_t max_fields;          /* 0 means 1024; more fields are rejected as too_many_fields */
} tdb_csv_options;

/* One record. Pointers stay valid until the next tdb_csv_next or tdb_csv_close. */
typedef struct tdb_csv_record {
    long line;                  /* physical line where the record starts, from 1 */
    size_t field_count;
    const char **fields;        /* NUL-terminated UTF-8 (unless error is set) */
    const size_t *lengths;
    const char *raw;            /* the record's bytes after decoding, capped at 64 KiB */
    size_t raw_length;
    const char *error;          /* NULL, or a reason code: unterminated_quote, too_long,
                                   too_many_fields, invalid_encoding, nul_byte */
} tdb_csv_record;

typedef struct tdb_csv_reader tdb_csv_reader;

/* Open PATH for reading. On failure returns TDB_ERR_IO (errno set) or TDB_ERR_NOMEM,
 * and *READER is NULL. */
tdb_status tdb_csv_open(const char *path, const tdb_csv_options *options,
                        tdb_csv_reader **reader);

/* Read from a memory buffer that the caller keeps alive until tdb_csv_close. */
tdb_status tdb_csv_open_memory(const void *data, size_t size, const tdb_csv_options *options,
                               tdb_csv_reader **reader);

/* Read the next record into *RECORD. Returns TDB_OK with a record (check
 * record->error), TDB_ERR_NOT_FOUND at the end of input, or TDB_ERR_IO /
 * TDB_ERR_FORMAT / TDB_ERR_NOMEM on a failure that stops reading; then
 * tdb_csv_error_message describes it. Blank lines are skipped. */
tdb_status tdb_csv_next(tdb_csv_reader *reader, tdb_csv_record *record);

/* Return a description of the last stopping failure, or "" when there was none. */
const char *tdb_csv_error_message(const tdb_csv_reader *reader);

/* Return the physical line the reader has reached, from 1: after a stopping failure,
 * the line where reading stopped. */
long tdb_csv_line(const tdb_csv_reader *reader);

/* Return the XXH3-64 hash of the raw input bytes consumed so far (the whole file once
 * tdb_csv_next has returned TDB_ERR_NOT_FOUND), and the number of raw bytes. */
uint64_t tdb_csv_content_hash(const tdb_csv_reader *reader);
uint64_t tdb_csv_raw_bytes(const tdb_csv_reader *reader);

/* Close READER; accepts NULL. */
void tdb_csv_close(tdb_csv_reader *reader);

#endif

/* Ingest: stream every source file, map its columns to canonical fields, and keep
 * each record as a row of cells in a per-file table. A record that cannot be parsed,
 * converted or mapped becomes a reject with file, line, reason and raw bytes. */
#ifndef THEMEDB_INGEST_H
#define THEMEDB_INGEST_H

#include <stdint.h>

#include "manifest.h"
#include "util.h"

typedef struct tdb_cell {
    uint32_t offset;   /* into the table's arena */
    uint32_t length;   /* 0 for an empty or unmapped field */
} tdb_cell;

/* The rows of one physical file, with cells indexed [row * field_count + field]. */
typedef struct tdb_table {
    size_t source_index;       /* into manifest->sources */
    tdb_kind kind;
    char *path;                /* the file read */
    size_t field_count;
    size_t row_count;
    size_t row_capacity;
    uint32_t *lines;           /* the line where each row starts */
    tdb_cell *cells;
    tdb_buf arena;
    uint64_t rows_read;
    uint64_t rows_rejected;
    uint64_t content_hash;
    uint64_t bytes;
} tdb_table;

typedef struct tdb_reject {
    uint32_t table;            /* index into the table array */
    uint32_t line;
    const char *reason;        /* static reason code */
    uint32_t detail_offset;    /* detail text and raw bytes live in the reject arena */
    uint32_t detail_length;
    uint32_t raw_offset;
    uint32_t raw_length;
} tdb_reject;

typedef struct tdb_reject_list {
    tdb_reject *items;
    size_t count;
    size_t capacity;
    tdb_buf arena;
} tdb_reject_list;

typedef struct tdb_ingest_result {
    tdb_table *tables;
    size_t table_count;
    tdb_reject_list rejects;
} tdb_ingest_result;

/* Read every source of MANIFEST (headers already checked), sources in parallel on up
 * to THREADS threads. Returns TDB_OK, or the failure that stopped a file (I/O error,
 * corrupt gzip, memory); then MESSAGE names the file and the cause. Bad rows never stop
 * ingest. */
tdb_status tdb_ingest_all(const tdb_manifest *manifest, tdb_ingest_result *result,
                          tdb_buf *message, int threads);

/* Return the cell text (not NUL-terminated) and its length. */
static inline const char *tdb_table_cell(const tdb_table *table, size_t row, size_t field,
                                         size_t *length)
{
    const tdb_cell *cell = &table->cells[row * table->field_count + field];
    *length = cell->length;
    return table->arena.data + cell->offset;
}

void tdb_ingest_result_free(tdb_ingest_result *result);

#endif

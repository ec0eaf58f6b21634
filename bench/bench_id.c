/* Benchmark of the identifier module: validations per second on a generated mix of
 * values shaped like a county's department exports (mostly ID numbers, then credit
 * codes, plates, phones, VINs, property units, certificate numbers and junk).
 *
 * Usage: bench_id [VALUE_COUNT] (default 1000000). Prints one line per measurement.
 * The generator is seeded with a constant, so every run checks the same values. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "themedb/id.h"
#include "util.h"

enum { VALUE_SIZE = 64, MIN_SECONDS = 2 };

typedef struct value_set {
    char (*text)[VALUE_SIZE];
    size_t *length;
    tdb_id_kind *kind; /* the kind the value was generated as */
    size_t count;
} value_set;

/* xorshift64*: a small, fast generator whose quality is enough to vary test data. */
static uint64_t next_random(uint64_t *state)
{
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    return *state * 2685821657736338717ULL;
}

static unsigned pick(uint64_t *state, unsigned bound)
{
    return (unsigned)(next_random(state) % bound);
}

static char id_check_character(const char *digits)
{
    static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (int i = 0; i < 17; i++) sum += (digits[i] - '0') * weights[i];
    return "10X98765432"[sum % 11];
}

static void make_id_number(uint64_t *state, char *out)
{
    static const char *const regions[] = {"441622", "441602", "440524", "110105", "442529"};
    snprintf(out, VALUE_SIZE, "%s%04u%02u%02u%03u", regions[pick(state, 5)],
             1930 + pick(state, 90), 1 + pick(state, 12), 1 + pick(state, 28), pick(state, 1000));
    out[17] = id_check_character(out);
    out[18] = '\0';
    switch (pick(state, 10)) {
    case 0: out[17] = out[17] == '1' ? '2' : '1'; break; /* wrong check character */
    case 1: if (out[17] == 'X') out[17] = 'x'; break;
    case 2: memmove(out + 7, out + 6, 12); out[6] = ' '; break; /* a space inside */
    default: break;
    }
}

static void make_value(uint64_t *state, char *out, tdb_id_kind *kind)
{
    static const char *const uscc[] = {"91441622MA4UABCD92", "12441622456001239R",
                                       "91441622MA4U000J70", "91441622MA4UABCD93"};
    static const char *const plates[] = {"粤P12345", "粤P·1A345", "粤AD12345", "粤p8B2C7", "粤A1234挂"};
    static const char *const phones[] = {"13800138000", "+86 138-0013-8000", "1990012345"};
    static const char *const others[] = {"LSVAA4181E2123456", "441622001001GB00001F00010001",
                                         "粤(2020)龙川县不动产权第0001234号", "不详",
                                         "000000000000000000", "110105491231002"};
    unsigned roll = pick(state, 100);
    if (roll < 55) {
        *kind = TDB_ID_NUMBER;
        make_id_number(state, out);
        return;
    }
    const char *text;
    if (roll < 67) {
        *kind = TDB_ID_USCC;
        text = uscc[pick(state, 4)];
    } else if (roll < 79) {
        *kind = TDB_ID_PLATE;
        text = plates[pick(state, 5)];
    } else if (roll < 89) {
        *kind = TDB_ID_PHONE;
        text = phones[pick(state, 3)];
    } else {
        static const tdb_id_kind other_kinds[] = {TDB_ID_VIN, TDB_ID_PROPERTY_UNIT,
                                                  TDB_ID_CERT_NUMBER, TDB_ID_NUMBER,
                                                  TDB_ID_NUMBER, TDB_ID_NUMBER};
        unsigned which = pick(state, 6);
        *kind = other_kinds[which];
        text = others[which];
    }
    snprintf(out, VALUE_SIZE, "%s", text);
}

static tdb_status value_set_generate(value_set *set, size_t count)
{
    set->text = tdb_calloc(count, sizeof *set->text);
    set->length = tdb_calloc(count, sizeof *set->length);
    set->kind = tdb_calloc(count, sizeof *set->kind);
    if (set->text == NULL || set->length == NULL || set->kind == NULL) return TDB_ERR_NOMEM;
    set->count = count;

    uint64_t state = 0x9E3779B97F4A7C15ULL;
    for (size_t i = 0; i < count; i++) {
        make_value(&state, set->text[i], &set->kind[i]);
        set->length[i] = strlen(set->text[i]);
    }
    return TDB_OK;
}

static void value_set_free(value_set *set)
{
    tdb_free(set->text);
    tdb_free(set->length);
    tdb_free(set->kind);
}

typedef enum mode { MODE_DETECT, MODE_FORCED, MODE_NORMALIZE } mode;

/* Run one pass over SET in MODE with THREADS threads and return the number of valid
 * results (or of non-empty normal forms), so that the work cannot be optimised away. */
static size_t run_pass(const value_set *set, mode run_mode, int threads)
{
    const tdb_id_options options = {20261204, NULL, NULL};
    size_t valid = 0;
    long count = (long)set->count;
    (void)threads;
#pragma omp parallel for num_threads(threads) reduction(+ : valid) schedule(static)
    for (long i = 0; i < count; i++) {
        if (run_mode == MODE_NORMALIZE) {
            char out[TDB_ID_TEXT_SIZE];
            valid += tdb_id_normalize(set->text[i], set->length[i], set->kind[i], out) > 0;
            continue;
        }
        tdb_id_result result;
        tdb_id_kind forced = run_mode == MODE_FORCED ? set->kind[i] : TDB_ID_UNKNOWN;
        tdb_id_check(set->text[i], set->length[i], forced, &options, &result);
        valid += result.valid;
    }
    return valid;
}

/* Repeat passes for at least MIN_SECONDS and print the rate of the fastest pass and
 * the mean rate. The fastest pass is the figure to compare between runs, because
 * other processes on the machine only ever slow a pass down. */
static void measure(const value_set *set, mode run_mode, int threads, const char *label)
{
    size_t passes = 0;
    size_t valid = 0;
    double fastest = 0;
    double start = tdb_now();
    double elapsed = 0;
    do {
        double pass_start = tdb_now();
        valid = run_pass(set, run_mode, threads);
        double pass_time = tdb_now() - pass_start;
        if (passes == 0 || pass_time < fastest) fastest = pass_time;
        passes++;
        elapsed = tdb_now() - start;
    } while (elapsed < MIN_SECONDS);

    double best = (double)set->count / fastest;
    double mean = (double)(passes * set->count) / elapsed;
    printf("%-22s threads=%d  best %6.2f M/s  mean %6.2f M/s  (%zu values x %zu passes, %zu valid)\n",
           label, threads, best / 1e6, mean / 1e6, set->count, passes, valid);
}

int main(int argc, char **argv)
{
    size_t count = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 1000000;
    if (count == 0) {
        fprintf(stderr, "usage: bench_id [VALUE_COUNT]\n");
        return 2;
    }
    value_set set = {0};
    if (value_set_generate(&set, count) != TDB_OK) {
        fprintf(stderr, "bench_id: out of memory for %zu values\n", count);
        value_set_free(&set);
        return 1;
    }

    measure(&set, MODE_DETECT, 1, "check, kind detected");
    measure(&set, MODE_FORCED, 1, "check, kind forced");
    measure(&set, MODE_NORMALIZE, 1, "normal form only");
#ifdef _OPENMP
    int threads = omp_get_num_procs();
    if (threads > 1) measure(&set, MODE_DETECT, threads, "check, kind detected");
#endif

    value_set_free(&set);
    return 0;
}

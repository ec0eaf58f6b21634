/* Benchmark of probabilistic record linkage on a synthetic population.
 *
 * Generates BASE persons and QUERIES department records, most of them dirty copies of
 * a base person (mistyped, swapped, missing or placeholder ID, homophone or mistyped
 * name, missing phone or address) and the rest people absent from the base. Runs
 * tdb_link_run on each thread count and prints the scored candidate pairs per second,
 * the stage timings, and precision and recall against the generator's own truth.
 *
 * A second measure scores many more pairs than blocking proposes. Every query is paired
 * with up to --per-query base records of its village (the address key), the pairs are
 * sorted by query as blocking leaves them, and the module's internal pair comparison
 * runs over them on each thread count.
 *
 * With --pairs-csv FILE it also times Jaro-Winkler alone on the names and address keys
 * of those pairs and writes them to FILE, for bench/duckdb_link_peer.js to score the
 * same pairs with DuckDB.
 *
 * --threshold P sets the match probability of a link (default that of
 * tdb_link_config_init).
 *
 * Usage: bench_link [--base N] [--queries N] [--threads 1,2] [--seed N] [--per-query N]
 *                   [--pairs-csv FILE] [--threshold P] */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "link_compare.h"
#include "link_internal.h"
#include "themedb/link.h"
#include "util.h"

/* Surnames roughly in order of frequency; the generator draws earlier ones more. */
static const char *const surnames[] = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡",
    "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
    "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏",
    "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "欧阳",
};

/* Given-name characters, each with a homophone used to make typos (伟/玮 both wei). */
static const char *const given[][2] = {
    {"伟", "玮"}, {"芳", "方"}, {"娜", "那"}, {"敏", "民"}, {"静", "晶"}, {"强", "墙"},
    {"磊", "雷"}, {"军", "君"}, {"洋", "阳"}, {"勇", "永"}, {"艳", "燕"}, {"杰", "洁"},
    {"涛", "韬"}, {"明", "铭"}, {"超", "潮"}, {"秀", "绣"}, {"霞", "侠"}, {"平", "萍"},
    {"刚", "钢"}, {"桂", "贵"}, {"英", "鹰"}, {"华", "桦"}, {"文", "雯"}, {"辉", "晖"},
    {"丽", "莉"}, {"建", "健"}, {"国", "帼"}, {"玲", "铃"}, {"红", "虹"}, {"志", "智"},
    {"海", "亥"}, {"林", "琳"}, {"春", "椿"}, {"金", "津"}, {"兰", "岚"}, {"梅", "媚"},
    {"斌", "彬"}, {"凤", "奉"}, {"光", "广"}, {"德", "得"},
};

static const char *const towns[] = {
    "老隆镇", "佗城镇", "鹤市镇", "车田镇", "龙母镇", "黄布镇", "紫市镇", "通衢镇",
    "登云镇", "丰稔镇", "四都镇", "上坪镇", "细坳镇", "赤光镇", "回龙镇", "田心镇",
    "铁场镇", "麻布岗镇", "贝岭镇", "新田镇",
};
static const char *const villages[] = {
    "东门村", "西门村", "南山村", "北坑村", "大塘村", "新屋村", "上围村", "下围村", "河背村",
    "石角村", "黄沙村", "莲塘村", "白石村", "高陂村", "龙岗村", "坪山村", "水口村", "社区",
    "长岭村", "田心村", "岭头村", "湖洋村", "竹园村", "松林村", "桥头村",
};
static const char *const regions[] = {"441622", "441621", "441623", "441624", "441625", "441602"};
/* People absent from the base come from other counties, so that their generated IDs
 * never equal a base person's. */
static const char *const other_regions[] = {"441402", "440106", "445202", "441302"};

#define SHARED_PHONE "13800000000"
#define PLACEHOLDER_ID "000000000000000000"

typedef struct person {
    char name[16], id[20], birth[10], phone[12], address[40];
    char gender;
} person;

static uint64_t next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static size_t pick(uint64_t *random, size_t count) { return (size_t)(next_random(random) % count); }

/* Skewed pick: the minimum of two draws favours the start of the list. */
static size_t pick_skewed(uint64_t *random, size_t count)
{
    size_t a = pick(random, count), b = pick(random, count);
    return a < b ? a : b;
}

static bool chance(uint64_t *random, unsigned percent) { return pick(random, 100) < percent; }

static char id_check(const char *id)
{
    static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (int i = 0; i < 17; i++) sum += (id[i] - '0') * weights[i];
    return "10X98765432"[sum % 11];
}

static void make_person(person *out, uint64_t index, bool in_base, uint64_t *random)
{
    size_t first = pick(random, TDB_ARRAY_LEN(given));
    size_t surname = pick_skewed(random, TDB_ARRAY_LEN(surnames));
    if (chance(random, 30))
        snprintf(out->name, sizeof out->name, "%s%s", surnames[surname], given[first][0]);
    else
        snprintf(out->name, sizeof out->name, "%s%s%s", surnames[surname], given[first][0],
                 given[pick(random, TDB_ARRAY_LEN(given))][0]);

    unsigned year = 1930 + (unsigned)pick(random, 90);
    unsigned month = 1 + (unsigned)pick(random, 12), day = 1 + (unsigned)pick(random, 28);
    snprintf(out->birth, sizeof out->birth, "%04u%02u%02u", year, month, day);
    const char *region = in_base ? regions[pick(random, TDB_ARRAY_LEN(regions))]
                                 : other_regions[pick(random, TDB_ARRAY_LEN(other_regions))];
    snprintf(out->id, sizeof out->id, "%s%s%03u", region, out->birth, (unsigned)(index % 1000));
    out->id[17] = id_check(out->id);
    out->id[18] = '\0';

    if (chance(random, 1))
        snprintf(out->phone, sizeof out->phone, "%s", SHARED_PHONE);
    else
        snprintf(out->phone, sizeof out->phone, "1%010" PRIu64, (uint64_t)(next_random(random) % 10000000000ull));
    snprintf(out->address, sizeof out->address, "%s%s", towns[pick(random, TDB_ARRAY_LEN(towns))],
             villages[pick(random, TDB_ARRAY_LEN(villages))]);
    out->gender = (out->id[16] - '0') % 2 ? 'M' : 'F';
}

/* Replace the given name's character at code point POSITION (1 or 2) by its homophone
 * or by another character. */
static void change_given(person *out, uint64_t *random, bool homophone)
{
    int32_t points[8];
    size_t length = tdb_utf8_decode(out->name, strlen(out->name), points, 8);
    size_t surname_length = strncmp(out->name, "欧阳", strlen("欧阳")) == 0 ? 2 : 1;
    if (length <= surname_length) return;
    size_t position = surname_length + pick(random, length - surname_length);
    tdb_buf name = {0};
    for (size_t i = 0; i < length; i++) {
        if (i != position) {
            tdb_buf_append_utf8(&name, points[i]);
            continue;
        }
        const char *replacement = given[pick(random, TDB_ARRAY_LEN(given))][0];
        for (size_t g = 0; homophone && g < TDB_ARRAY_LEN(given); g++) {
            int32_t character;
            tdb_utf8_decode(given[g][0], strlen(given[g][0]), &character, 1);
            if (character == points[i]) replacement = given[g][1];
        }
        tdb_buf_append_str(&name, replacement);
    }
    snprintf(out->name, sizeof out->name, "%s", name.data);
    tdb_buf_free(&name);
}

/* A dirty copy of a base person, as a department would have exported it. */
static void make_dirty_copy(person *out, const person *original, uint64_t *random)
{
    *out = *original;
    size_t kind = pick(random, 100);
    if (kind < 25) {
        size_t digit = 6 + pick(random, 11);
        out->id[digit] = (char)('0' + (out->id[digit] - '0' + 1 + pick(random, 9)) % 10);
    } else if (kind < 40) {
        size_t digit = 6 + pick(random, 10);
        char swap = out->id[digit];
        out->id[digit] = out->id[digit + 1];
        out->id[digit + 1] = swap;
    } else if (kind < 65) {
        out->id[0] = '\0';
        if (chance(random, 50)) out->birth[0] = '\0';
    } else if (kind < 70) {
        snprintf(out->id, sizeof out->id, "%s", PLACEHOLDER_ID);
    } else {
        change_given(out, random, chance(random, 70));
    }
    if (kind < 70 && chance(random, 25)) change_given(out, random, chance(random, 60));
    if (chance(random, 40)) out->phone[0] = '\0';
    if (chance(random, 30)) out->address[0] = '\0';
    if (chance(random, 10)) out->gender = 0;
}

static tdb_link_record as_record(const person *p, bool with_birth_date)
{
    const char *gender = NULL;
    if (p->gender == 'M') gender = "M";
    if (p->gender == 'F') gender = "F";
    return (tdb_link_record){
        .name = p->name[0] ? p->name : NULL,
        .id_number = p->id[0] ? p->id : NULL,
        .birth_date = with_birth_date && p->birth[0] ? p->birth : NULL,
        .phone = p->phone[0] ? p->phone : NULL,
        .address_key = p->address[0] ? p->address : NULL,
        .gender = gender,
    };
}

typedef struct population {
    person *base, *queries;
    tdb_link_record *base_records, *query_records;
    long *truth;
    size_t base_count, query_count, true_links;
} population;

static void generate(population *people, size_t base_count, size_t query_count, uint64_t seed)
{
    uint64_t random = seed;
    people->base_count = base_count;
    people->query_count = query_count;
    people->base = calloc(base_count, sizeof *people->base);
    people->queries = calloc(query_count, sizeof *people->queries);
    people->base_records = calloc(base_count, sizeof *people->base_records);
    people->query_records = calloc(query_count, sizeof *people->query_records);
    people->truth = calloc(query_count, sizeof *people->truth);
    if (!people->base || !people->queries || !people->base_records || !people->query_records ||
        !people->truth) {
        fprintf(stderr, "bench_link: out of memory\n");
        exit(1);
    }

    for (size_t i = 0; i < base_count; i++) {
        make_person(&people->base[i], i, true, &random);
        people->base_records[i] = as_record(&people->base[i], false);
    }
    /* 80 % dirty copies of base persons, 20 % people the base does not hold. */
    for (size_t i = 0; i < query_count; i++) {
        if (chance(&random, 80)) {
            size_t original = pick(&random, base_count);
            make_dirty_copy(&people->queries[i], &people->base[original], &random);
            people->truth[i] = (long)original;
            people->true_links++;
        } else {
            make_person(&people->queries[i], base_count + i, false, &random);
            people->truth[i] = -1;
        }
        bool id_missing = people->queries[i].id[0] == '\0';
        people->query_records[i] = as_record(&people->queries[i], id_missing);
    }
}

static double elapsed_total(const tdb_link_stats *stats)
{
    return stats->seconds_prepare + stats->seconds_block + stats->seconds_score +
           stats->seconds_sample + stats->seconds_model + stats->seconds_resolve;
}

static void report(const population *people, const tdb_link_result *result)
{
    const tdb_link_stats *stats = &result->stats;
    size_t correct = 0;
    for (size_t i = 0; i < result->match_count; i++)
        correct += people->truth[result->matches[i].query] == (long)result->matches[i].base;
    double precision = result->match_count ? (double)correct / (double)result->match_count : 0;
    double recall = people->true_links ? (double)correct / (double)people->true_links : 0;

    printf("threads %d\n", stats->threads);
    for (int rule = 0; rule < TDB_LINK_RULES; rule++) {
        const tdb_link_rule_stats *r = &stats->rules[rule];
        printf("  rule %-13s blocks %9zu  pairs %9zu  oversized %zu (largest %zu, %zu pairs skipped)\n",
               tdb_link_rule_name(rule), r->blocks, r->pairs, r->oversized_blocks,
               r->largest_oversized, r->skipped_pairs);
    }
    printf("  candidate pairs %zu, u sample %zu pairs, EM %d iterations%s\n",
           stats->candidate_pairs, stats->sampled_pairs, stats->em_iterations,
           stats->em_converged ? "" : " (not converged)");
    printf("  seconds: prepare %.3f  block %.3f  score %.3f  u sample %.3f  EM %.3f  resolve %.3f"
           "  total %.3f\n",
           stats->seconds_prepare, stats->seconds_block, stats->seconds_score,
           stats->seconds_sample, stats->seconds_model, stats->seconds_resolve,
           elapsed_total(stats));
    printf("  scored pairs per second: candidate %.2f M, random (u sample) %.2f M\n",
           stats->seconds_score > 0 ? (double)stats->candidate_pairs / stats->seconds_score / 1e6 : 0,
           stats->seconds_sample > 0 ? (double)stats->sampled_pairs / stats->seconds_sample / 1e6 : 0);
    printf("  links %zu, correct %zu, true links %zu: precision %.4f, recall %.4f\n",
           result->match_count, correct, people->true_links, precision, recall);
    printf("  unlinked: %zu queries with two or more equally likely candidates, %zu pairs above "
           "the threshold without evidence\n",
           stats->ambiguous_queries, stats->rejected_without_evidence);
}

/* Pairs of each query with up to PER_QUERY base records of the same address key. */
static tdb_link_pair *village_pairs(const tdb_link_side *base, const tdb_link_side *queries,
                                    size_t per_query, size_t *pair_count)
{
    tdb_link_keyed *by_address = malloc(base->count * sizeof *by_address);
    tdb_link_pair *pairs = malloc(queries->count * per_query * sizeof *pairs);
    if (by_address == NULL || pairs == NULL) {
        fprintf(stderr, "bench_link: out of memory\n");
        exit(1);
    }
    for (size_t i = 0; i < base->count; i++)
        by_address[i] = (tdb_link_keyed){base->entries[i].hashes[LINK_TEXT_ADDRESS], i};
    tdb_link_radix_sort(by_address, base->count);

    size_t count = 0;
    for (size_t q = 0; q < queries->count; q++) {
        uint64_t key = queries->entries[q].hashes[LINK_TEXT_ADDRESS];
        if (key == 0) continue;
        size_t low = 0, high = base->count;
        while (low < high) {
            size_t middle = low + (high - low) / 2;
            if (by_address[middle].key < key)
                low = middle + 1;
            else
                high = middle;
        }
        for (size_t k = low; k < base->count && k < low + per_query && by_address[k].key == key; k++)
            pairs[count++] = (tdb_link_pair){(uint32_t)q, (uint32_t)by_address[k].value, 0, 0};
    }
    free(by_address);
    *pair_count = count;
    return pairs;
}

/* CPU seconds used by the process so far, over all threads. On a machine shared
 * with other work the wall-clock time inflates but the CPU time much less. */
static double cpu_seconds(void)
{
    struct timespec now;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

/* Compare every pair on THREADS threads and return the wall-clock seconds taken; the
 * CPU seconds go to *CPU. */
static double score_pairs(const tdb_link_side *base, const tdb_link_side *queries,
                          tdb_link_pair *pairs, size_t count, int threads, uint64_t *checksum,
                          double *cpu)
{
#ifdef _OPENMP
    omp_set_num_threads(threads);
#else
    (void)threads;
#endif
    double cpu_started = cpu_seconds();
    double started = tdb_now();
    tdb_link_compare_pairs(base, queries, pairs, count);
    double seconds = tdb_now() - started;
    *cpu = cpu_seconds() - cpu_started;
    uint64_t sum = 0;
    for (size_t i = 0; i < count; i++) sum += pairs[i].pattern;
    *checksum = sum;
    return seconds;
}

/* Jaro-Winkler of names plus that of address keys over every pair, on THREADS
 * threads; returns the seconds taken and the sum in *TOTAL. */
static double jaro_winkler_pairs(const tdb_link_side *base, const tdb_link_side *queries,
                                 const tdb_link_pair *pairs, size_t count, int threads,
                                 double *total)
{
#ifdef _OPENMP
    omp_set_num_threads(threads);
#else
    (void)threads;
#endif
    double sum = 0;
    double started = tdb_now();
#pragma omp parallel for schedule(static) reduction(+ : sum)
    for (size_t i = 0; i < count; i++) {
        const tdb_link_entry *query = &queries->entries[pairs[i].query];
        const tdb_link_entry *record = &base->entries[pairs[i].base];
        for (int text = LINK_TEXT_NAME; text <= LINK_TEXT_ADDRESS; text += LINK_TEXT_ADDRESS) {
            sum += tdb_link_jaro_winkler(tdb_link_text(queries->code_points, query, text),
                                         query->text_lengths[text],
                                         tdb_link_text(base->code_points, record, text),
                                         record->text_lengths[text]);
        }
    }
    *total = sum;
    return tdb_now() - started;
}

static void write_pairs_csv(const population *people, const tdb_link_pair *pairs, size_t count,
                            const char *path)
{
    FILE *out = fopen(path, "w");
    if (out == NULL) {
        fprintf(stderr, "bench_link: cannot write %s\n", path);
        exit(1);
    }
    fprintf(out, "name_a,name_b,address_a,address_b\n");
    for (size_t i = 0; i < count; i++) {
        const person *query = &people->queries[pairs[i].query];
        const person *record = &people->base[pairs[i].base];
        fprintf(out, "%s,%s,%s,%s\n", query->name, record->name, query->address, record->address);
    }
    fclose(out);
}

static void measure_throughput(const population *people, const char *threads_list,
                               size_t per_query, const char *pairs_csv)
{
    tdb_link_side base = {0}, queries = {0};
    struct tdb_link_frequencies frequencies;
    size_t generic[TDB_LINK_FIELDS];
    if (tdb_link_prepare_side(people->base_records, people->base_count, &base) != TDB_OK ||
        tdb_link_prepare_side(people->query_records, people->query_count, &queries) != TDB_OK ||
        tdb_link_count_values(&base, &queries, 50, &frequencies, generic) != TDB_OK) {
        fprintf(stderr, "bench_link: preparing the throughput run failed\n");
        exit(1);
    }
    size_t count = 0;
    tdb_link_pair *pairs = village_pairs(&base, &queries, per_query, &count);
    printf("throughput: %zu pairs, each query against up to %zu base records of its village\n",
           count, per_query);

    char list[64];
    snprintf(list, sizeof list, "%s", threads_list);
    for (char *item = strtok(list, ","); item != NULL; item = strtok(NULL, ",")) {
        uint64_t checksum = 0;
        double cpu = 0;
        int threads = atoi(item);
        double seconds = score_pairs(&base, &queries, pairs, count, threads, &checksum, &cpu);
        printf("  threads %d: %.3f s, %.2f M scored pairs per second; %.3f CPU s, %.2f M pairs "
               "per CPU second (checksum %" PRIu64 ")\n",
               threads, seconds, (double)count / seconds / 1e6, cpu, (double)count / cpu / 1e6,
               checksum);
    }
    if (pairs_csv != NULL) {
        snprintf(list, sizeof list, "%s", threads_list);
        for (char *item = strtok(list, ","); item != NULL; item = strtok(NULL, ",")) {
            double total = 0;
            int threads = atoi(item);
            double seconds = jaro_winkler_pairs(&base, &queries, pairs, count, threads, &total);
            printf("  Jaro-Winkler of name and address only, threads %d: %.3f s, %.2f M pairs "
                   "per second (sum %.3f)\n",
                   threads, seconds, (double)count / seconds / 1e6, total);
        }
        write_pairs_csv(people, pairs, count, pairs_csv);
        printf("  pairs written to %s\n", pairs_csv);
    }
    free(pairs);
    tdb_link_frequencies_free(&frequencies);
    tdb_link_side_free(&base);
    tdb_link_side_free(&queries);
}

static void print_model(const tdb_link_model *model)
{
    printf("model: lambda %.3g (%.0f expected matches), prior weight %.2f bits\n", model->lambda,
           model->expected_matches, model->prior_weight);
    for (int field = 0; field < TDB_LINK_FIELDS; field++) {
        printf("  %-10s", tdb_link_field_name(field));
        for (int level = 0; level < model->levels[field]; level++)
            printf("  %s m %.4f u %.6f w %+.2f", tdb_link_level_name(field, level),
                   model->m[field][level], model->u[field][level], model->weight[field][level]);
        printf("\n");
    }
}

static bool same_links(const tdb_link_result *a, const tdb_link_result *b)
{
    if (a->match_count != b->match_count) return false;
    for (size_t i = 0; i < a->match_count; i++) {
        const tdb_link_match *x = &a->matches[i], *y = &b->matches[i];
        if (x->query != y->query || x->base != y->base) return false;
        if (memcmp(&x->weight, &y->weight, sizeof x->weight) != 0) return false;
    }
    return true;
}

int main(int argc, char **argv)
{
    size_t base_count = 1000000, query_count = 100000;
    uint64_t seed = 20261204;
    const char *threads_list = "1,2";
    size_t per_query = 200;
    const char *pairs_csv = NULL;
    double threshold = 0;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--base") == 0) base_count = strtoull(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--queries") == 0) query_count = strtoull(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--threads") == 0) threads_list = argv[i + 1];
        else if (strcmp(argv[i], "--seed") == 0) seed = strtoull(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--per-query") == 0) per_query = strtoull(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--pairs-csv") == 0) pairs_csv = argv[i + 1];
        else if (strcmp(argv[i], "--threshold") == 0) threshold = strtod(argv[i + 1], NULL);
        else {
            fprintf(stderr, "usage: bench_link [--base N] [--queries N] [--threads 1,2] [--seed N] "
                            "[--per-query N] [--pairs-csv FILE] [--threshold P]\n");
            return 2;
        }
    }

    double started = tdb_now();
    population people = {0};
    generate(&people, base_count, query_count, seed);
    printf("population: %zu base, %zu queries (%zu copies of base persons), generated in %.2f s\n",
           base_count, query_count, people.true_links, tdb_now() - started);

    tdb_link_result *first = NULL;
    char list[64];
    snprintf(list, sizeof list, "%s", threads_list);
    for (char *item = strtok(list, ","); item != NULL; item = strtok(NULL, ",")) {
        tdb_link_config config;
        tdb_link_config_init(&config);
        config.threads = atoi(item);
        if (threshold > 0) config.threshold = threshold;
        tdb_link_result *result = NULL;
        tdb_status status = tdb_link_run(&config, people.base_records, base_count,
                                         people.query_records, query_count, &result);
        if (status != TDB_OK) {
            fprintf(stderr, "bench_link: linkage failed: %s\n", tdb_status_str(status));
            return 1;
        }
        report(&people, result);
        if (first == NULL) {
            print_model(&result->model);
            first = result;
        } else {
            printf("  same links and weights as threads %d: %s\n", first->stats.threads,
                   same_links(first, result) ? "yes" : "NO");
            tdb_link_result_free(result);
        }
    }
    tdb_link_result_free(first);
    measure_throughput(&people, threads_list, per_query, pairs_csv);
    free(people.base);
    free(people.queries);
    free(people.base_records);
    free(people.query_records);
    free(people.truth);
    return 0;
}

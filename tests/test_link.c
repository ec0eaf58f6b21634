/* Unit tests for record linkage: comparators, pinyin, blocking, generic values, EM
 * and determinism across thread counts. */
#include "test_util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "link_compare.h"
#include "link_pinyin.h"
#include "themedb/link.h"
#include "util.h"

/* Decode UTF-8 TEXT into POINTS and return the code point count. */
static size_t decode(const char *text, int32_t *points)
{
    return tdb_utf8_decode(text, strlen(text), points, 64);
}

static void levenshtein_chinese(void **state)
{
    (void)state;
    static const struct {
        const char *a, *b;
        size_t bound, expected;
    } cases[] = {
        {"张三", "张三", 2, 0},         {"张三", "李三", 2, 1},
        {"张三丰", "张丰", 2, 1},       {"欧阳娜娜", "欧阳娜", 2, 1},
        {"", "张", 2, 1},               {"王小明", "李大明", 2, 2},
        {"王小明", "李大红", 2, 3},     {"张三", "李四五六", 1, 2},
    };
    for (size_t i = 0; i < TDB_ARRAY_LEN(cases); i++) {
        int32_t a[64], b[64];
        size_t a_length = decode(cases[i].a, a), b_length = decode(cases[i].b, b);
        assert_int_equal(tdb_link_levenshtein(a, a_length, b, b_length, cases[i].bound),
                         cases[i].expected);
    }
}

static void jaro_winkler_chinese(void **state)
{
    (void)state;
    /* Computed by hand on code points:
     * 张三/李三: window 0, one match, Jaro (1/2 + 1/2 + 1) / 3 = 2/3, below 0.7 so no prefix bonus.
     * 欧阳娜娜/欧阳娜: window 1, three matches, no transposition, Jaro (3/4 + 1 + 1) / 3
     *   = 0.916667, common prefix 3: 0.916667 + 0.3 * 0.083333 = 0.941667.
     * 司马相如/司马如相: window 1, four matches, 相 and 如 out of order (one transposition),
     *   Jaro (1 + 1 + 3/4) / 3 = 0.916667, prefix 2: + 0.2 * 0.083333 = 0.933333.
     * 张三丰/张丰三: window 0, one match, Jaro (1/3 + 1/3 + 1) / 3 = 0.555556. */
    static const struct {
        const char *a, *b;
        double expected;
    } cases[] = {
        {"张伟", "张伟", 1.0},
        {"张三", "李三", 2.0 / 3.0},
        {"欧阳娜娜", "欧阳娜", 0.941667},
        {"司马相如", "司马如相", 0.933333},
        {"张三丰", "张丰三", 0.555556},
        {"张三", "王五", 0.0},
    };
    for (size_t i = 0; i < TDB_ARRAY_LEN(cases); i++) {
        int32_t a[64], b[64];
        size_t a_length = decode(cases[i].a, a), b_length = decode(cases[i].b, b);
        double similarity = tdb_link_jaro_winkler(a, a_length, b, b_length);
        assert_true(fabs(similarity - cases[i].expected) < 1e-5);
    }
}

static void edit_class_ids(void **state)
{
    (void)state;
    static const struct {
        const char *a, *b;
        int expected;
    } cases[] = {
        {"441622199003071234", "441622199003071234", 0},
        {"441622199003071234", "441622199030071234", 1}, /* swapped 0 and 3 */
        {"441622199003071234", "441622199003071284", 1}, /* one digit mistyped */
        {"441622199003071234", "44162219900307123", 1},  /* last digit missing */
        {"441622199003071234", "441622199003071243", 1},
        {"441622199003071234", "441622199103071243", 2},
        {"441622199003071234", "4416221990030712", 2},
    };
    for (size_t i = 0; i < TDB_ARRAY_LEN(cases); i++) {
        int32_t a[64], b[64];
        size_t a_length = decode(cases[i].a, a), b_length = decode(cases[i].b, b);
        assert_int_equal(tdb_link_edit_class(a, a_length, b, b_length), cases[i].expected);
    }
}

static void date_class_levels(void **state)
{
    (void)state;
    assert_int_equal(tdb_link_date_class(19900307, 19900307), 0);
    assert_int_equal(tdb_link_date_class(19900307, 19900308), 1);
    assert_int_equal(tdb_link_date_class(19900307, 19900703), 1);
    assert_int_equal(tdb_link_date_class(19900307, 19900370), 1);
    assert_int_equal(tdb_link_date_class(19900307, 19851122), 2);
}

static void pinyin_homophones_equal(void **state)
{
    (void)state;
    int32_t zhang_bow[8], zhang_chapter[8];
    decode("张", zhang_bow);
    decode("章", zhang_chapter);
    assert_int_not_equal(tdb_pinyin_of(zhang_bow[0]), TDB_PINYIN_NONE);
    assert_int_equal(tdb_pinyin_of(zhang_bow[0]), tdb_pinyin_of(zhang_chapter[0]));
    assert_string_equal(tdb_pinyin_syllables[tdb_pinyin_of(zhang_bow[0])], "zhang");
}

static void pinyin_compound_surname_whole(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        size_t surname_length;
        const char *pinyin;
    } cases[] = {
        {"欧阳锋", 2, "ou yang feng"}, {"司马光", 2, "si ma guang"},
        {"诸葛亮", 2, "zhu ge liang"}, {"尉迟恭", 2, "yu chi gong"},
        {"张三", 1, "zhang san"},       {"单雄信", 1, "shan xiong xin"},
        {"欧阳", 1, "ou yang"},
    };
    for (size_t i = 0; i < TDB_ARRAY_LEN(cases); i++) {
        int32_t name[64];
        char text[64];
        size_t length = decode(cases[i].name, name);
        assert_int_equal(tdb_pinyin_surname_length(name, length), cases[i].surname_length);
        tdb_pinyin_format(name, length, text, sizeof text);
        assert_string_equal(text, cases[i].pinyin);
    }
}

/* Synthetic records with their strings stored inline. */
typedef struct sample_record {
    char name[32], id[24], birth[12], phone[16], address[64];
    const char *gender;
} sample_record;

static const char *const surnames[] = {"张", "王", "李", "赵", "陈", "刘", "黄", "周", "吴", "欧阳"};
static const char *const given[] = {"伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇",
                                    "艳", "杰", "涛", "明", "超", "秀", "霞", "平", "刚", "桂"};
static const char *const villages[] = {"老隆镇东门村", "佗城镇佗城村", "鹤市镇鹤市村",
                                       "车田镇车田村", "龙母镇龙母村"};

static uint64_t next_random(uint64_t *state)
{
    *state = *state * 6364136223846793005ull + 1442695040888963407ull;
    return *state >> 33;
}

/* GB 11643 check character of the first 17 digits of ID. */
static char id_check(const char *id)
{
    static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (int i = 0; i < 17; i++) sum += (id[i] - '0') * weights[i];
    return "10X98765432"[sum % 11];
}

static void make_person(sample_record *record, size_t index, uint64_t *random)
{
    unsigned year = 1950 + (unsigned)(next_random(random) % 50);
    unsigned month = 1 + (unsigned)(next_random(random) % 12);
    unsigned day = 1 + (unsigned)(next_random(random) % 28);
    snprintf(record->name, sizeof record->name, "%s%s%s", surnames[next_random(random) % 10],
             given[next_random(random) % 20], given[next_random(random) % 20]);
    snprintf(record->birth, sizeof record->birth, "%04u%02u%02u", year, month, day);
    snprintf(record->id, sizeof record->id, "441622%s%03u", record->birth,
             (unsigned)(index % 1000));
    record->id[17] = id_check(record->id);
    record->id[18] = '\0';
    snprintf(record->phone, sizeof record->phone, "139%08u", (unsigned)(index * 7919 % 100000000));
    snprintf(record->address, sizeof record->address, "%s", villages[index % 5]);
    record->gender = index % 2 ? "M" : "F";
}

static tdb_link_record as_link_record(const sample_record *record)
{
    return (tdb_link_record){
        .name = record->name[0] ? record->name : NULL,
        .id_number = record->id[0] ? record->id : NULL,
        .birth_date = record->birth[0] ? record->birth : NULL,
        .phone = record->phone[0] ? record->phone : NULL,
        .address_key = record->address[0] ? record->address : NULL,
        .gender = record->gender,
    };
}

/* A population of BASE_COUNT persons and queries that copy every other one with one
 * kind of dirt each, plus queries for people who are not in the base. */
typedef struct population {
    sample_record *base, *queries;
    tdb_link_record *base_records, *query_records;
    size_t base_count, query_count;
    long *truth; /* base index of each query, -1 when absent */
} population;

static void dirty_copy(sample_record *query, const sample_record *person, size_t kind)
{
    *query = *person;
    switch (kind % 5) {
    case 0: /* two adjacent digits swapped */
        query->id[10] = person->id[11];
        query->id[11] = person->id[10];
        break;
    case 1: /* ID missing, phone present */
        query->id[0] = '\0';
        break;
    case 2: /* one digit mistyped and no phone */
        query->id[16] = query->id[16] == '9' ? '0' : (char)(query->id[16] + 1);
        query->phone[0] = '\0';
        break;
    case 3: /* ID and phone missing: only name, birth date and village are left */
        query->id[0] = '\0';
        query->phone[0] = '\0';
        break;
    default: /* exact copy whose name conflicted */
        break;
    }
}

static void make_population(population *people, size_t base_count, size_t stranger_count)
{
    uint64_t random = 42;
    memset(people, 0, sizeof *people);
    people->base_count = base_count;
    people->query_count = base_count / 2 + stranger_count;
    people->base = calloc(base_count, sizeof *people->base);
    people->queries = calloc(people->query_count, sizeof *people->queries);
    people->base_records = calloc(base_count, sizeof *people->base_records);
    people->query_records = calloc(people->query_count, sizeof *people->query_records);
    people->truth = calloc(people->query_count, sizeof *people->truth);
    for (size_t i = 0; i < base_count; i++) make_person(&people->base[i], i, &random);
    for (size_t i = 0; i < base_count / 2; i++) {
        dirty_copy(&people->queries[i], &people->base[2 * i], i);
        people->truth[i] = (long)(2 * i);
    }
    for (size_t i = base_count / 2; i < people->query_count; i++) {
        make_person(&people->queries[i], base_count + i, &random);
        people->truth[i] = -1;
    }
    for (size_t i = 0; i < base_count; i++) people->base_records[i] = as_link_record(&people->base[i]);
    for (size_t i = 0; i < people->query_count; i++)
        people->query_records[i] = as_link_record(&people->queries[i]);
}

static void free_population(population *people)
{
    free(people->base);
    free(people->queries);
    free(people->base_records);
    free(people->query_records);
    free(people->truth);
}

static tdb_link_result *run_link(const tdb_link_config *config, const population *people)
{
    tdb_link_result *result = NULL;
    assert_int_equal(tdb_link_run(config, people->base_records, people->base_count,
                                  people->query_records, people->query_count, &result),
                     TDB_OK);
    assert_non_null(result);
    return result;
}

static void em_converges_synthetic(void **state)
{
    (void)state;
    population people;
    make_population(&people, 600, 60);
    tdb_link_config config;
    tdb_link_config_init(&config);
    tdb_link_result *result = run_link(&config, &people);

    assert_true(result->stats.em_converged);
    assert_true(result->stats.em_iterations > 1);
    /* 300 queries copy a base record, and blocking pairs each with its original. The
     * prior is the chance that a random (query, base) pair is one of them. */
    double pair_space = (double)people.query_count * (double)people.base_count;
    assert_true(fabs(result->model.expected_matches - 300.0) < 15.0);
    assert_true(fabs(result->model.lambda * pair_space - result->model.expected_matches) < 1e-6);
    assert_int_equal(result->model.query_count, people.query_count);
    assert_true(result->model.m[TDB_LINK_ID_NUMBER][0] > result->model.u[TDB_LINK_ID_NUMBER][0]);
    assert_true(result->model.weight[TDB_LINK_NAME][0] > 0);
    assert_true(result->model.weight[TDB_LINK_NAME][3] < 0);

    size_t correct = 0;
    for (size_t i = 0; i < result->match_count; i++)
        correct += people.truth[result->matches[i].query] == (long)result->matches[i].base;
    double precision = (double)correct / (double)result->match_count;
    double recall = (double)correct / 300.0;
    assert_true(precision >= 0.95);
    assert_true(recall >= 0.9);
    tdb_link_result_free(result);
    free_population(&people);
}

static void id_deletion_finds_transposition(void **state)
{
    (void)state;
    /* The pair sits in a population, because m and u need more than one pair. */
    population people;
    make_population(&people, 600, 60);
    size_t base_count = people.base_count + 1, query_count = people.query_count + 1;
    tdb_link_record *base = calloc(base_count, sizeof *base);
    tdb_link_record *queries = calloc(query_count, sizeof *queries);
    memcpy(base, people.base_records, people.base_count * sizeof *base);
    memcpy(queries, people.query_records, people.query_count * sizeof *queries);
    /* 0307 typed as 0370, no address: only the one-deletion neighbourhood of the ID
     * brings the pair together. */
    base[base_count - 1] = (tdb_link_record){"陈志强", "441622199003071230", NULL, NULL,
                                             "老隆镇东门村", "M"};
    queries[query_count - 1] = (tdb_link_record){"陈志强", "441622199003701230", NULL, NULL,
                                                 NULL, NULL};
    tdb_link_config config;
    tdb_link_config_init(&config);
    tdb_link_result *result = NULL;
    assert_int_equal(tdb_link_run(&config, base, base_count, queries, query_count, &result),
                     TDB_OK);

    const tdb_link_match *found = NULL;
    for (size_t i = 0; i < result->match_count; i++) {
        if (result->matches[i].query == query_count - 1) found = &result->matches[i];
    }
    assert_non_null(found);
    assert_int_equal(found->base, base_count - 1);
    assert_int_equal(found->rules, 1u << TDB_LINK_RULE_ID_DELETION);
    assert_string_equal(found->rule, "id_deletion");
    assert_int_equal(found->levels[TDB_LINK_ID_NUMBER], 1);
    tdb_link_result_free(result);
    free(base);
    free(queries);
    free_population(&people);
}

/* 300 base records share one phone; a query shares it and has a name close to one
 * of them. The phone is generic, so it neither blocks nor weighs. The records sit in
 * a population, because m and u need more than one pair. */
static void shared_phone_no_link(void **state)
{
    (void)state;
    enum { SHARED = 300 };
    static char names[SHARED][32];
    population people;
    make_population(&people, 600, 60);
    size_t first = people.base_count;
    size_t base_count = first + SHARED + 1, query_count = people.query_count + 2;
    tdb_link_record *base = calloc(base_count, sizeof *base);
    tdb_link_record *queries = calloc(query_count, sizeof *queries);
    memcpy(base, people.base_records, people.base_count * sizeof *base);
    memcpy(queries, people.query_records, people.query_count * sizeof *queries);
    for (size_t i = 0; i < SHARED; i++) {
        snprintf(names[i], sizeof names[i], "%s%s%s", surnames[i % 10], given[i / 10 % 20],
                 given[i % 20]);
        base[first + i] = (tdb_link_record){names[i], NULL, NULL, "13800138000", NULL, NULL};
    }
    base[first].name = "张玮";
    base[first + SHARED] = (tdb_link_record){"张玮", NULL, NULL, "13902020202", NULL, NULL};
    queries[query_count - 2] = (tdb_link_record){"张伟", NULL, NULL, "13800138000", NULL, NULL};
    queries[query_count - 1] = (tdb_link_record){"张玮", NULL, NULL, "13902020202", NULL, NULL};
    tdb_link_config config;
    tdb_link_config_init(&config);
    config.threshold = 0.5;
    tdb_link_result *result = NULL;
    assert_int_equal(tdb_link_run(&config, base, base_count, queries, query_count, &result),
                     TDB_OK);

    assert_int_equal(result->stats.generic_values[TDB_LINK_PHONE], SHARED + 1);
    /* The shared phone gives no link; the phone held by one record does. */
    const tdb_link_match *shared = NULL, *own = NULL;
    for (size_t i = 0; i < result->match_count; i++) {
        if (result->matches[i].query == query_count - 2) shared = &result->matches[i];
        if (result->matches[i].query == query_count - 1) own = &result->matches[i];
    }
    assert_null(shared);
    assert_non_null(own);
    assert_int_equal(own->base, first + SHARED);

    tdb_link_explanation explanation;
    assert_int_equal(tdb_link_score_pair(result, &queries[query_count - 2], &base[first],
                                         &explanation),
                     TDB_OK);
    assert_int_equal(explanation.levels[TDB_LINK_PHONE], TDB_LINK_LEVEL_NULL);
    assert_true(explanation.field_weights[TDB_LINK_PHONE] == 0.0);
    assert_true(explanation.generic_fields & (1u << TDB_LINK_PHONE));
    tdb_link_result_free(result);
    free(base);
    free(queries);
    free_population(&people);
}

/* A company's mistyped credit code on 80 vehicle records, all under its own name:
 * frequent, but not generic, so every record links. */
static void fleet_owner_not_generic(void **state)
{
    (void)state;
    enum { FLEET = 80 };
    population people;
    make_population(&people, 600, 60);
    size_t base_count = people.base_count + 1, query_count = people.query_count + FLEET;
    tdb_link_record *base = calloc(base_count, sizeof *base);
    tdb_link_record *queries = calloc(query_count, sizeof *queries);
    memcpy(base, people.base_records, people.base_count * sizeof *base);
    memcpy(queries, people.query_records, people.query_count * sizeof *queries);
    base[base_count - 1] = (tdb_link_record){"龙川县老隆运输有限公司", "91441622MA4UH3TX2B",
                                             NULL, "07626712345", "老隆镇东门村", NULL};
    for (size_t i = people.query_count; i < query_count; i++)
        queries[i] = (tdb_link_record){"龙川县老隆运输有限公司", "91441622MA4UH3TX28", NULL,
                                       NULL, NULL, NULL};
    tdb_link_config config;
    tdb_link_config_init(&config);
    tdb_link_result *result = NULL;
    assert_int_equal(tdb_link_run(&config, base, base_count, queries, query_count, &result),
                     TDB_OK);

    assert_int_equal(result->stats.generic_values[TDB_LINK_ID_NUMBER], 0);
    assert_int_equal(result->stats.generic_values[TDB_LINK_NAME], 0);
    size_t fleet_links = 0;
    for (size_t i = 0; i < result->match_count; i++) {
        if (result->matches[i].query >= people.query_count &&
            result->matches[i].base == base_count - 1)
            fleet_links++;
    }
    assert_int_equal(fleet_links, FLEET);
    tdb_link_result_free(result);
    free(base);
    free(queries);
    free_population(&people);
}

static void placeholder_id_generic(void **state)
{
    (void)state;
    tdb_link_record base[] = {
        {"李明", "000000000000000000", NULL, NULL, NULL, NULL},
        {"王芳", "000000000000000000", NULL, NULL, "无", NULL},
    };
    tdb_link_record queries[] = {{"李敏", "000000000000000000", NULL, NULL, "无", NULL}};
    tdb_link_config config;
    tdb_link_config_init(&config);
    tdb_link_result *result = NULL;
    assert_int_equal(tdb_link_run(&config, base, 2, queries, 1, &result), TDB_OK);
    assert_int_equal(result->stats.generic_values[TDB_LINK_ID_NUMBER], 3);
    assert_int_equal(result->stats.generic_values[TDB_LINK_ADDRESS], 2);
    assert_int_equal(result->stats.candidate_pairs, 0);
    assert_int_equal(result->match_count, 0);
    tdb_link_result_free(result);
}

static void same_links_one_two_threads(void **state)
{
    (void)state;
    population people;
    make_population(&people, 2000, 200);
    tdb_link_config config;
    tdb_link_config_init(&config);
    config.u_samples = 50000;
    config.threads = 1;
    tdb_link_result *one = run_link(&config, &people);
    config.threads = 2;
    tdb_link_result *two = run_link(&config, &people);

    assert_int_equal(one->stats.threads, 1);
    assert_int_equal(two->stats.threads, 2);
    assert_int_equal(one->stats.candidate_pairs, two->stats.candidate_pairs);
    assert_int_equal(one->stats.em_iterations, two->stats.em_iterations);
    assert_memory_equal(&one->model.m, &two->model.m, sizeof one->model.m);
    assert_memory_equal(&one->model.u, &two->model.u, sizeof one->model.u);
    assert_int_equal(one->match_count, two->match_count);
    assert_true(one->match_count > 0);
    for (size_t i = 0; i < one->match_count; i++) {
        assert_int_equal(one->matches[i].query, two->matches[i].query);
        assert_int_equal(one->matches[i].base, two->matches[i].base);
        assert_memory_equal(&one->matches[i].weight, &two->matches[i].weight, sizeof(double));
        assert_memory_equal(one->matches[i].field_weights, two->matches[i].field_weights,
                            sizeof one->matches[i].field_weights);
    }
    tdb_link_result_free(one);
    tdb_link_result_free(two);
    free_population(&people);
}

static void oversized_block_reported(void **state)
{
    (void)state;
    enum { TWINS = 10 };
    tdb_link_record base[TWINS];
    for (size_t i = 0; i < TWINS; i++)
        base[i] = (tdb_link_record){"刘洋", NULL, "19900101", NULL, NULL, NULL};
    tdb_link_record queries[] = {{"刘阳", NULL, "19900101", NULL, NULL, NULL}};
    tdb_link_config config;
    tdb_link_config_init(&config);
    config.max_block_size = 5;
    tdb_link_result *result = NULL;
    assert_int_equal(tdb_link_run(&config, base, TWINS, queries, 1, &result), TDB_OK);

    const tdb_link_rule_stats *rule = &result->stats.rules[TDB_LINK_RULE_NAME_DATE];
    assert_int_equal(rule->oversized_blocks, 1);
    assert_int_equal(rule->largest_oversized, TWINS + 1);
    assert_int_equal(rule->skipped_pairs, TWINS);
    assert_int_equal(rule->pairs, 0);
    assert_int_equal(result->stats.candidate_pairs, 0);
    tdb_link_result_free(result);
}

static void homophone_name_level(void **state)
{
    (void)state;
    tdb_link_record base[] = {{"张小明", "441622199003071230", NULL, NULL, NULL, NULL}};
    tdb_link_record queries[] = {{"章小明", "441622199003071230", NULL, NULL, NULL, NULL}};
    tdb_link_config config;
    tdb_link_config_init(&config);
    tdb_link_result *result = NULL;
    assert_int_equal(tdb_link_run(&config, base, 1, queries, 1, &result), TDB_OK);

    tdb_link_explanation explanation;
    assert_int_equal(tdb_link_score_pair(result, &queries[0], &base[0], &explanation), TDB_OK);
    assert_int_equal(explanation.levels[TDB_LINK_NAME], 1);
    assert_string_equal(tdb_link_level_name(TDB_LINK_NAME, 1), "same_pinyin");
    assert_int_equal(explanation.levels[TDB_LINK_ID_NUMBER], 0);
    assert_int_equal(explanation.levels[TDB_LINK_BIRTH_DATE], 0);
    tdb_link_result_free(result);
}

/* Two queries copy one base record: best link links both, one-to-one only the
 * heavier. */
static void one_to_one_uses_base_once(void **state)
{
    (void)state;
    population people;
    make_population(&people, 600, 60);
    /* Query 1 becomes a second copy of query 0's base record, with its ID missing. */
    people.queries[1] = people.base[0];
    people.queries[1].id[0] = '\0';
    people.query_records[1] = as_link_record(&people.queries[1]);
    people.truth[1] = 0;

    tdb_link_config config;
    tdb_link_config_init(&config);
    tdb_link_result *best = run_link(&config, &people);
    config.one_to_one = 1;
    tdb_link_result *single = run_link(&config, &people);

    size_t best_to_zero = 0, single_to_zero = 0;
    for (size_t i = 0; i < best->match_count; i++) best_to_zero += best->matches[i].base == 0;
    for (size_t i = 0; i < single->match_count; i++) single_to_zero += single->matches[i].base == 0;
    assert_int_equal(best_to_zero, 2);
    assert_int_equal(single_to_zero, 1);
    assert_true(single->match_count < best->match_count);
    tdb_link_result_free(best);
    tdb_link_result_free(single);
    free_population(&people);
}

static void match_weight_adds_up(void **state)
{
    (void)state;
    population people;
    make_population(&people, 600, 60);
    tdb_link_config config;
    tdb_link_config_init(&config);
    tdb_link_result *result = run_link(&config, &people);
    assert_true(result->match_count > 0);
    for (size_t i = 0; i < result->match_count; i++) {
        const tdb_link_match *match = &result->matches[i];
        double sum = result->model.prior_weight;
        for (int field = 0; field < TDB_LINK_FIELDS; field++) sum += match->field_weights[field];
        assert_true(fabs(sum - match->weight) < 1e-9);
        assert_true(match->probability >= config.threshold);
        if (i > 0) assert_true(result->matches[i - 1].query <= match->query);
    }
    tdb_link_result_free(result);
    free_population(&people);
}

/* Two base records named 林刚 in one village, and a query with that name and
 * village only: each candidate is as likely as the other, so neither is linked. The
 * threshold is 0.5, because a name and a village alone stay under a higher one
 * (name_village_needs_more), and this test is about the tie. */
static void ambiguous_twins_unlinked(void **state)
{
    (void)state;
    population people;
    make_population(&people, 600, 60);
    size_t base_count = people.base_count + 2, query_count = people.query_count + 1;
    tdb_link_record *base = calloc(base_count, sizeof *base);
    tdb_link_record *queries = calloc(query_count, sizeof *queries);
    memcpy(base, people.base_records, people.base_count * sizeof *base);
    memcpy(queries, people.query_records, people.query_count * sizeof *queries);
    base[base_count - 2] = (tdb_link_record){"林刚", "441622195001053834", NULL, NULL,
                                             "通衢镇长岭村", "M"};
    base[base_count - 1] = (tdb_link_record){"林刚", "441622196103175053", NULL, NULL,
                                             "通衢镇长岭村", "M"};
    queries[query_count - 1] = (tdb_link_record){"林刚", NULL, NULL, NULL, "通衢镇长岭村", "M"};

    tdb_link_config config;
    tdb_link_config_init(&config);
    config.threshold = 0.5;
    tdb_link_result *result = NULL;
    assert_int_equal(tdb_link_run(&config, base, base_count, queries, query_count, &result),
                     TDB_OK);
    for (size_t i = 0; i < result->match_count; i++)
        assert_int_not_equal(result->matches[i].query, query_count - 1);
    assert_int_equal(result->stats.ambiguous_queries, 1);

    /* Without the twin the same query links. */
    tdb_link_result_free(result);
    base[base_count - 1] = base[0];
    assert_int_equal(tdb_link_run(&config, base, base_count, queries, query_count, &result),
                     TDB_OK);
    size_t linked = 0;
    for (size_t i = 0; i < result->match_count; i++)
        linked += result->matches[i].query == query_count - 1;
    assert_int_equal(linked, 1);
    tdb_link_result_free(result);
    free(base);
    free(queries);
    free_population(&people);
}

/* In a base of 20,000 persons in 200 villages, eight are named 林刚, one of them in
 * 第003村. A name and a village alone then leave about one chance in twenty that the
 * query is another person, so the pair stays under 0.99; the ID with one digit
 * mistyped on top of them is enough. The old prior, the share of matches among
 * blocked pairs (near 1 here), linked both. */
static void name_village_needs_more(void **state)
{
    (void)state;
    enum { NAMESAKES = 8, VILLAGES = 200 };
    static const char *const ids[NAMESAKES] = {
        "441622195001053834", "441622196103175053", "441622197206118214",
        "441622198309273396", "441622194411306575", "441622195512214118",
        "441622196601096532", "441622197707187791",
    };
    static char villages_of[NAMESAKES][16];
    population people;
    make_population(&people, 20000, 2000);
    for (size_t i = 0; i < people.base_count; i++)
        snprintf(people.base[i].address, sizeof people.base[i].address, "第%03zu村", i % VILLAGES);
    for (size_t i = 0; i < people.query_count; i++) {
        size_t village = people.truth[i] >= 0 ? (size_t)people.truth[i] % VILLAGES : i % VILLAGES;
        snprintf(people.queries[i].address, sizeof people.queries[i].address, "第%03zu村", village);
    }
    size_t first = people.base_count;
    size_t base_count = first + NAMESAKES, query_count = people.query_count + 2;
    tdb_link_record *base = calloc(base_count, sizeof *base);
    tdb_link_record *queries = calloc(query_count, sizeof *queries);
    memcpy(base, people.base_records, people.base_count * sizeof *base);
    memcpy(queries, people.query_records, people.query_count * sizeof *queries);
    for (size_t i = 0; i < NAMESAKES; i++) {
        snprintf(villages_of[i], sizeof villages_of[i], "第%03zu村", i);
        base[first + i] = (tdb_link_record){"林刚", ids[i], NULL, NULL, villages_of[i], "M"};
    }
    size_t target = first + 3;
    tdb_link_record name_village = {"林刚", NULL, NULL, NULL, "第003村", NULL};
    /* The target's ID with its 16th digit mistyped (8 for 3). */
    tdb_link_record with_id = {"林刚", "441622198309273896", NULL, NULL, "第003村", NULL};
    queries[query_count - 2] = name_village;
    queries[query_count - 1] = with_id;

    tdb_link_config config;
    tdb_link_config_init(&config);
    config.threshold = 0.99;
    tdb_link_result *result = NULL;
    assert_int_equal(tdb_link_run(&config, base, base_count, queries, query_count, &result),
                     TDB_OK);

    /* The prior is that of a random pair: at most one match per query among all
     * base records. */
    assert_true(result->model.lambda <= 1.0 / (double)base_count);
    assert_true(result->model.prior_weight < -12.0);

    const tdb_link_match *by_name = NULL, *by_id = NULL;
    for (size_t i = 0; i < result->match_count; i++) {
        if (result->matches[i].query == query_count - 2) by_name = &result->matches[i];
        if (result->matches[i].query == query_count - 1) by_id = &result->matches[i];
    }
    assert_null(by_name);
    assert_non_null(by_id);
    assert_int_equal(by_id->base, target);
    assert_int_equal(by_id->levels[TDB_LINK_ID_NUMBER], 1);
    assert_true(by_id->probability >= 0.99);

    /* The name and village pair has evidence: the probability alone keeps it out. */
    tdb_link_explanation explanation;
    assert_int_equal(tdb_link_score_pair(result, &name_village, &base[target], &explanation),
                     TDB_OK);
    assert_true(explanation.has_evidence);
    assert_int_equal(explanation.levels[TDB_LINK_NAME], 0);
    assert_int_equal(explanation.levels[TDB_LINK_ADDRESS], 0);
    assert_true(explanation.probability < 0.99);
    assert_true(explanation.probability > 0.5);
    tdb_link_result_free(result);
    free(base);
    free(queries);
    free_population(&people);
}

static void birth_date_from_id(void **state)
{
    (void)state;
    static const struct {
        const char *query_id, *query_birth;
        int expected;
    } cases[] = {
        {"441622199003071234", NULL, 0},       /* 18 digits: characters 7-14 */
        {"441622900307123", NULL, 0},          /* 15 digits: 19 + characters 7-12 */
        {"44162219900307123X", NULL, 0},       /* final X */
        {"441622199003081234", NULL, 1},       /* one digit off */
        {"91441622MA4UH3TX2B", NULL, -1},      /* a credit code has no birth date */
        {"9144162219900307TX", NULL, -1},      /* not even with digits in the middle */
        {NULL, "19900307", 0},
        {NULL, "1990-03-07", -1},              /* not YYYYMMDD */
    };
    tdb_link_record base[] = {{"张小明", NULL, "19900307", NULL, NULL, NULL}};
    tdb_link_record queries[] = {{"张小明", NULL, NULL, NULL, NULL, NULL}};
    tdb_link_config config;
    tdb_link_config_init(&config);
    tdb_link_result *result = NULL;
    assert_int_equal(tdb_link_run(&config, base, 1, queries, 1, &result), TDB_OK);
    for (size_t i = 0; i < TDB_ARRAY_LEN(cases); i++) {
        tdb_link_record query = {"张小明", cases[i].query_id, cases[i].query_birth, NULL, NULL, NULL};
        tdb_link_explanation explanation;
        assert_int_equal(tdb_link_score_pair(result, &query, &base[0], &explanation), TDB_OK);
        assert_int_equal(explanation.levels[TDB_LINK_BIRTH_DATE], cases[i].expected);
    }
    tdb_link_result_free(result);
}

static void run_rejects_bad_config(void **state)
{
    (void)state;
    tdb_link_config config;
    tdb_link_config_init(&config);
    config.threshold = 1.5;
    tdb_link_result *result = NULL;
    assert_int_equal(tdb_link_run(&config, NULL, 0, NULL, 0, &result), TDB_ERR_INVALID);
    assert_null(result);
}

static void run_reports_nomem(void **state)
{
    (void)state;
    population people;
    make_population(&people, 100, 10);
    tdb_link_config config;
    tdb_link_config_init(&config);
    /* Every allocation in turn fails once; the run must fail cleanly each time. */
    for (long failing = 1; failing < 80; failing++) {
        tdb_link_result *result = NULL;
        tdb_alloc_fail_after(failing);
        tdb_status status = tdb_link_run(&config, people.base_records, people.base_count,
                                         people.query_records, people.query_count, &result);
        tdb_alloc_fail_after(0);
        if (status == TDB_OK) {
            tdb_link_result_free(result);
            break;
        }
        assert_int_equal(status, TDB_ERR_NOMEM);
        assert_null(result);
    }
    free_population(&people);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(levenshtein_chinese),
        cmocka_unit_test(jaro_winkler_chinese),
        cmocka_unit_test(edit_class_ids),
        cmocka_unit_test(date_class_levels),
        cmocka_unit_test(pinyin_homophones_equal),
        cmocka_unit_test(pinyin_compound_surname_whole),
        cmocka_unit_test(em_converges_synthetic),
        cmocka_unit_test(id_deletion_finds_transposition),
        cmocka_unit_test(shared_phone_no_link),
        cmocka_unit_test(fleet_owner_not_generic),
        cmocka_unit_test(placeholder_id_generic),
        cmocka_unit_test(same_links_one_two_threads),
        cmocka_unit_test(oversized_block_reported),
        cmocka_unit_test(homophone_name_level),
        cmocka_unit_test(one_to_one_uses_base_once),
        cmocka_unit_test(match_weight_adds_up),
        cmocka_unit_test(ambiguous_twins_unlinked),
        cmocka_unit_test(name_village_needs_more),
        cmocka_unit_test(birth_date_from_id),
        cmocka_unit_test(run_rejects_bad_config),
        cmocka_unit_test(run_reports_nomem),
    };
    return cmocka_run_group_tests_name("link", tests, NULL, NULL);
}

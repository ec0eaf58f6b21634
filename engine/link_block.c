/* Blocking for record linkage: each rule turns a record into keys, and a query and a
 * base record that share a key form a candidate pair.
 *
 * For each rule the query keys are sorted and put in a hash set. The base records are
 * probed against the set in parallel, so only base keys that some query shares are
 * kept and sorted. A merge of the two sorted lists yields the blocks. A block with
 * more records than max_block_size is skipped and counted, never cut. Pairs from all
 * rules are then sorted by (query, base) and merged, so each pair is scored once and
 * carries the bits of the rules that proposed it. Keys are 64-bit hashes: two
 * different keys that collide only add a candidate pair, which scoring then rejects. */
#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "link_internal.h"
#include "util.h"

/* One full ID and one key per deleted position (IDs longer than this get no
 * deletion keys, because no identifier of interest is that long). */
#define MAX_DELETION_LENGTH 20
#define MAX_KEYS (MAX_DELETION_LENGTH + 1)

static size_t unique_keys(uint64_t *keys, size_t count)
{
    /* Insertion sort: at most MAX_KEYS values. */
    for (size_t i = 1; i < count; i++) {
        uint64_t key = keys[i];
        size_t j = i;
        while (j > 0 && keys[j - 1] > key) {
            keys[j] = keys[j - 1];
            j--;
        }
        keys[j] = key;
    }
    size_t unique = 0;
    for (size_t i = 0; i < count; i++) {
        if (unique == 0 || keys[unique - 1] != keys[i]) keys[unique++] = keys[i];
    }
    return unique;
}

/* The ID itself and the ID with each position deleted: two IDs one substitution,
 * insertion, deletion or adjacent swap apart share at least one of these keys. */
/* Mix a polynomial hash into a well-spread key that is never 0 (the splitmix64
 * finalizer). */
static uint64_t finish_key(uint64_t hash)
{
    hash ^= hash >> 30;
    hash *= 0xBF58476D1CE4E5B9ull;
    hash ^= hash >> 27;
    hash *= 0x94D049BB133111EBull;
    hash ^= hash >> 31;
    return hash ? hash : 1;
}

/* The ID itself and the ID with each position deleted: two IDs one substitution,
 * insertion, deletion or adjacent swap apart share at least one of these keys.
 *
 * Each key is the polynomial hash sum(c[k] * P^(m-1-k)) mod 2^64 of a string of m code
 * points. With prefix[i] the hash of id[0..i) and suffix[j] the sum over k >= j of
 * id[k] * P^(length-1-k), deleting position i gives prefix[i] * P^(length-1-i) +
 * suffix[i+1], so all keys cost one pass instead of one hash per deletion. */
static size_t id_deletion_keys(const int32_t *id, size_t length, uint64_t keys[MAX_KEYS])
{
    const uint64_t base = 0x100000001B3ull;
    uint64_t prefix[MAX_DELETION_LENGTH + 1], suffix[MAX_DELETION_LENGTH + 1];
    uint64_t powers[MAX_DELETION_LENGTH + 1];
    size_t count = 0;

    if (length > MAX_DELETION_LENGTH) {
        keys[count++] = tdb_link_hash(id, length * sizeof *id, 0x6964);
        return count;
    }
    powers[0] = 1;
    prefix[0] = 0;
    for (size_t i = 0; i < length; i++) {
        powers[i + 1] = powers[i] * base;
        prefix[i + 1] = prefix[i] * base + (uint64_t)(uint32_t)id[i];
    }
    suffix[length] = 0;
    for (size_t i = length; i-- > 0;)
        suffix[i] = suffix[i + 1] + (uint64_t)(uint32_t)id[i] * powers[length - 1 - i];

    keys[count++] = finish_key(suffix[0]);
    if (length < 2) return count;
    for (size_t deleted = 0; deleted < length; deleted++)
        keys[count++] = finish_key(prefix[deleted] * powers[length - 1 - deleted] + suffix[deleted + 1]);
    return unique_keys(keys, count);
}

/* Append the surname's code points, a separator and the pinyin of the given name to
 * KEY; returns the new length. A homophone typo in the given name keeps the key. */
static size_t append_name_sound(const tdb_link_side *side, const tdb_link_entry *entry,
                                int32_t *key, size_t used)
{
    size_t name_length = entry->text_lengths[LINK_TEXT_NAME];
    const int32_t *points = tdb_link_text(side->code_points, entry, LINK_TEXT_NAME);
    const uint16_t *pinyin = side->pinyin + entry->pinyin_offset;

    for (size_t i = 0; i < entry->surname_length; i++) key[used++] = points[i];
    key[used++] = -1;
    for (size_t i = entry->surname_length; i < name_length; i++) {
        /* A character without a reading stands for itself, apart from syllables. */
        key[used++] = pinyin[i] != 0xFFFF ? (int32_t)pinyin[i] : points[i] | 0x40000000;
    }
    return used;
}

static uint64_t name_date_key(const tdb_link_side *side, const tdb_link_entry *entry)
{
    int32_t key[TDB_LINK_MAX_FIELD_LENGTH + 2];
    size_t used = append_name_sound(side, entry, key, 0);
    key[used++] = (int32_t)entry->birth_date;
    return tdb_link_hash(key, used * sizeof *key, 0x6e64);
}

static uint64_t address_name_key(const tdb_link_side *side, const tdb_link_entry *entry)
{
    int32_t key[2 * TDB_LINK_MAX_FIELD_LENGTH + 2];
    size_t address_length = entry->text_lengths[LINK_TEXT_ADDRESS];
    memcpy(key, tdb_link_text(side->code_points, entry, LINK_TEXT_ADDRESS),
           address_length * sizeof *key);
    key[address_length] = -2;
    size_t used = append_name_sound(side, entry, key, address_length + 1);
    return tdb_link_hash(key, used * sizeof *key, 0x616e);
}

static uint64_t address_date_key(const tdb_link_side *side, const tdb_link_entry *entry)
{
    int32_t key[TDB_LINK_MAX_FIELD_LENGTH + 1];
    size_t address_length = entry->text_lengths[LINK_TEXT_ADDRESS];
    memcpy(key, tdb_link_text(side->code_points, entry, LINK_TEXT_ADDRESS),
           address_length * sizeof *key);
    key[address_length] = (int32_t)entry->birth_date;
    return tdb_link_hash(key, (address_length + 1) * sizeof *key, 0x6164);
}

/* Write the keys of ENTRY under RULE to KEYS and return how many.
 * NOTE: a record with a name and nothing else makes no key under any rule, so such a
 * query is never paired: a name alone is too common to block on. */
static size_t rule_keys(int rule, const tdb_link_side *side, const tdb_link_entry *entry,
                        uint64_t keys[MAX_KEYS])
{
    const uint8_t *lengths = entry->text_lengths;
    switch (rule) {
    case TDB_LINK_RULE_ID_DELETION:
        if (lengths[LINK_TEXT_ID] == 0 || (entry->generic & (1u << TDB_LINK_ID_NUMBER)))
            return 0;
        return id_deletion_keys(tdb_link_text(side->code_points, entry, LINK_TEXT_ID),
                                lengths[LINK_TEXT_ID], keys);
    case TDB_LINK_RULE_NAME_DATE:
        if (lengths[LINK_TEXT_NAME] == 0 || entry->birth_date == 0) return 0;
        keys[0] = name_date_key(side, entry);
        return 1;
    case TDB_LINK_RULE_ADDRESS_NAME:
        if (lengths[LINK_TEXT_ADDRESS] == 0 || lengths[LINK_TEXT_NAME] == 0) return 0;
        keys[0] = address_name_key(side, entry);
        return 1;
    case TDB_LINK_RULE_ADDRESS_DATE:
        if (lengths[LINK_TEXT_ADDRESS] == 0 || entry->birth_date == 0) return 0;
        keys[0] = address_date_key(side, entry);
        return 1;
    default:
        if (lengths[LINK_TEXT_PHONE] == 0 || (entry->generic & (1u << TDB_LINK_PHONE)))
            return 0;
        keys[0] = entry->hashes[LINK_TEXT_PHONE];
        return 1;
    }
}

/* Open-addressing set of 64-bit hashes (0 is the empty slot; hashes are never 0). */
typedef struct key_set {
    uint64_t *slots;
    size_t mask;
} key_set;

static size_t key_set_slot(const key_set *set, uint64_t key)
{
    return (size_t)(key * 0x9E3779B97F4A7C15ull >> 20) & set->mask;
}

static tdb_status key_set_build(key_set *set, const tdb_link_keyed *sorted, size_t count)
{
    size_t capacity = 16;
    while (capacity < count * 2) capacity *= 2;
    set->slots = tdb_calloc(capacity, sizeof *set->slots);
    if (set->slots == NULL) return TDB_ERR_NOMEM;
    set->mask = capacity - 1;
    for (size_t i = 0; i < count; i++) {
        if (i > 0 && sorted[i].key == sorted[i - 1].key) continue;
        size_t slot = key_set_slot(set, sorted[i].key);
        while (set->slots[slot] != 0) slot = (slot + 1) & set->mask;
        set->slots[slot] = sorted[i].key;
    }
    return TDB_OK;
}

static bool key_set_contains(const key_set *set, uint64_t key)
{
    size_t slot = key_set_slot(set, key);
    while (set->slots[slot] != 0) {
        if (set->slots[slot] == key) return true;
        slot = (slot + 1) & set->mask;
    }
    return false;
}

/* Sorted (key, query index) of every query under RULE. */
static tdb_status query_keys(int rule, const tdb_link_side *queries, tdb_link_keyed **out,
                             size_t *out_count)
{
    tdb_link_keyed *keys = tdb_malloc(queries->count * MAX_KEYS * sizeof *keys);
    uint8_t *counts = tdb_malloc(queries->count + 1);
    if (keys == NULL || counts == NULL) {
        tdb_free(keys);
        tdb_free(counts);
        return TDB_ERR_NOMEM;
    }

#pragma omp parallel for schedule(static)
    for (size_t i = 0; i < queries->count; i++) {
        uint64_t hashes[MAX_KEYS];
        size_t count = rule_keys(rule, queries, &queries->entries[i], hashes);
        for (size_t k = 0; k < count; k++) keys[i * MAX_KEYS + k] = (tdb_link_keyed){hashes[k], i};
        counts[i] = (uint8_t)count;
    }

    /* Compact the fixed slots in record order. */
    size_t total = 0;
    for (size_t i = 0; i < queries->count; i++) {
        for (size_t k = 0; k < counts[i]; k++) keys[total++] = keys[i * MAX_KEYS + k];
    }
    tdb_free(counts);
    tdb_status status = tdb_link_radix_sort(keys, total);
    if (status != TDB_OK) {
        tdb_free(keys);
        return status;
    }
    *out = keys;
    *out_count = total;
    return TDB_OK;
}

/* One thread's matching base keys. */
typedef struct key_list {
    tdb_link_keyed *items;
    size_t count, capacity;
} key_list;

/* Records whose keys are computed, then prefetched, before any is probed: the set is
 * larger than the caches, so overlapping the misses is what makes probing fast. */
#define PROBE_BATCH 8

static void probe_base_range(int rule, const tdb_link_side *base, const key_set *set,
                             key_list *list, int *failed)
{
    size_t batches = (base->count + PROBE_BATCH - 1) / PROBE_BATCH;
#pragma omp for schedule(static)
    for (size_t batch = 0; batch < batches; batch++) {
        uint64_t hashes[PROBE_BATCH][MAX_KEYS];
        size_t counts[PROBE_BATCH] = {0};
        size_t first = batch * PROBE_BATCH;
        size_t end = first + PROBE_BATCH < base->count ? first + PROBE_BATCH : base->count;

        for (size_t i = first; i < end; i++) {
            counts[i - first] = rule_keys(rule, base, &base->entries[i], hashes[i - first]);
            for (size_t k = 0; k < counts[i - first]; k++)
                __builtin_prefetch(&set->slots[key_set_slot(set, hashes[i - first][k])]);
        }
        for (size_t i = first; i < end; i++) {
            for (size_t k = 0; k < counts[i - first]; k++) {
                uint64_t key = hashes[i - first][k];
                if (!key_set_contains(set, key)) continue;
                void *items = list->items;
                if (tdb_grow(&items, &list->capacity, list->count + 1, sizeof *list->items) != TDB_OK) {
                    *failed = 1;
                    continue;
                }
                list->items = items;
                list->items[list->count++] = (tdb_link_keyed){key, i};
            }
        }
    }
}

/* Sorted (key, base index) of every base key that some query shares. Static
 * scheduling hands each thread a contiguous range in order, so the concatenated lists
 * are in record order whatever the thread count. */
static tdb_status base_keys(int rule, const tdb_link_side *base, const key_set *set,
                            tdb_link_keyed **out, size_t *out_count)
{
    tdb_status status = TDB_OK;
    int threads = 1;
#ifdef _OPENMP
    threads = omp_get_max_threads();
#endif
    key_list *lists = tdb_calloc((size_t)threads, sizeof *lists);
    tdb_link_keyed *all = NULL;
    int failed = 0;
    TDB_FAIL_IF(lists == NULL, TDB_ERR_NOMEM);

#pragma omp parallel num_threads(threads)
    {
        int thread = 0;
#ifdef _OPENMP
        thread = omp_get_thread_num();
#endif
        probe_base_range(rule, base, set, &lists[thread], &failed);
    }
    TDB_FAIL_IF(failed, TDB_ERR_NOMEM);

    size_t total = 0;
    for (int t = 0; t < threads; t++) total += lists[t].count;
    all = tdb_malloc(total * sizeof *all);
    TDB_FAIL_IF(all == NULL, TDB_ERR_NOMEM);
    size_t used = 0;
    for (int t = 0; t < threads; t++) {
        if (lists[t].count) memcpy(all + used, lists[t].items, lists[t].count * sizeof *all);
        used += lists[t].count;
    }
    TDB_FORWARD(tdb_link_radix_sort(all, total));
    *out = all;
    *out_count = total;
    all = NULL;

cleanup:
    if (lists != NULL) {
        for (int t = 0; t < threads; t++) tdb_free(lists[t].items);
    }
    tdb_free(lists);
    tdb_free(all);
    return status;
}

/* Growable list of proposed pairs: key (query << 32 | base), value the rule bit. */
typedef struct pair_list {
    tdb_link_keyed *items;
    size_t count, capacity;
} pair_list;

/* Merge the sorted query and base keys of RULE into blocks and append their pairs. */
static tdb_status emit_blocks(int rule, const tdb_link_config *config,
                              const tdb_link_keyed *query, size_t query_count,
                              const tdb_link_keyed *base, size_t base_count, pair_list *pairs,
                              tdb_link_rule_stats *stats)
{
    size_t q = 0, b = 0;
    while (q < query_count && b < base_count) {
        if (query[q].key < base[b].key) {
            q++;
            continue;
        }
        if (base[b].key < query[q].key) {
            b++;
            continue;
        }
        size_t query_end = q, base_end = b;
        while (query_end < query_count && query[query_end].key == query[q].key) query_end++;
        while (base_end < base_count && base[base_end].key == base[b].key) base_end++;
        size_t queries_in_block = query_end - q, base_in_block = base_end - b;
        size_t records = queries_in_block + base_in_block;
        size_t block_pairs = queries_in_block * base_in_block;

        if (records > config->max_block_size) {
            stats->oversized_blocks++;
            if (records > stats->largest_oversized) stats->largest_oversized = records;
            stats->skipped_pairs += block_pairs;
        } else {
            stats->blocks++;
            void *items = pairs->items;
            tdb_status status = tdb_grow(&items, &pairs->capacity, pairs->count + block_pairs,
                                         sizeof *pairs->items);
            if (status != TDB_OK) return status;
            pairs->items = items;
            for (size_t i = q; i < query_end; i++) {
                for (size_t j = b; j < base_end; j++) {
                    pairs->items[pairs->count++] =
                        (tdb_link_keyed){query[i].value << 32 | base[j].value, 1u << rule};
                }
            }
        }
        q = query_end;
        b = base_end;
    }
    return TDB_OK;
}

/* Sort the pairs appended since START and drop the repeats within them: two records
 * share several keys of one rule when their IDs are equal or nearly so. */
static tdb_status unique_since(pair_list *pairs, size_t start)
{
    size_t count = pairs->count - start;
    if (count == 0) return TDB_OK; /* items may still be NULL */
    tdb_link_keyed *items = pairs->items + start;
    tdb_status status = tdb_link_radix_sort(items, count);
    if (status != TDB_OK) return status;
    size_t unique = 0;
    for (size_t i = 0; i < count; i++) {
        if (unique == 0 || items[unique - 1].key != items[i].key) items[unique++] = items[i];
    }
    pairs->count = start + unique;
    return TDB_OK;
}

static tdb_status block_rule(int rule, const tdb_link_config *config, const tdb_link_side *base,
                             const tdb_link_side *queries, pair_list *pairs,
                             tdb_link_rule_stats *stats)
{
    tdb_status status = TDB_OK;
    tdb_link_keyed *query = NULL, *base_hits = NULL;
    size_t query_count = 0, base_count = 0;
    size_t start = pairs->count;
    key_set set = {0};

    TDB_FORWARD(query_keys(rule, queries, &query, &query_count));
    stats->query_keys = query_count;
    TDB_FORWARD(key_set_build(&set, query, query_count));
    TDB_FORWARD(base_keys(rule, base, &set, &base_hits, &base_count));
    TDB_FORWARD(emit_blocks(rule, config, query, query_count, base_hits, base_count, pairs, stats));
    TDB_FORWARD(unique_since(pairs, start));
    stats->pairs = pairs->count - start;

cleanup:
    tdb_free(query);
    tdb_free(base_hits);
    tdb_free(set.slots);
    return status;
}

/* Sort the proposed pairs by (query, base) and merge duplicates into PAIRS. */
static tdb_status merge_pairs(pair_list *proposed, tdb_link_pair **pairs, size_t *pair_count)
{
    tdb_status status = tdb_link_radix_sort(proposed->items, proposed->count);
    if (status != TDB_OK) return status;

    size_t distinct = 0;
    for (size_t i = 0; i < proposed->count; i++)
        distinct += i == 0 || proposed->items[i].key != proposed->items[i - 1].key;
    tdb_link_pair *merged = tdb_calloc(distinct, sizeof *merged);
    if (merged == NULL) return TDB_ERR_NOMEM;

    size_t used = 0;
    for (size_t i = 0; i < proposed->count; i++) {
        const tdb_link_keyed *item = &proposed->items[i];
        if (i == 0 || item->key != proposed->items[i - 1].key) {
            merged[used++] = (tdb_link_pair){(uint32_t)(item->key >> 32), (uint32_t)item->key,
                                             (uint32_t)item->value, 0};
        } else {
            merged[used - 1].rules |= (uint32_t)item->value;
        }
    }
    *pairs = merged;
    *pair_count = distinct;
    return TDB_OK;
}

tdb_status tdb_link_block(const tdb_link_config *config, const tdb_link_side *base,
                          const tdb_link_side *queries, tdb_link_pair **pairs,
                          size_t *pair_count, tdb_link_stats *stats)
{
    tdb_status status = TDB_OK;
    pair_list proposed = {0};
    *pairs = NULL;
    *pair_count = 0;

    for (int rule = 0; rule < TDB_LINK_RULES; rule++)
        TDB_FORWARD(block_rule(rule, config, base, queries, &proposed, &stats->rules[rule]));
    TDB_FORWARD(merge_pairs(&proposed, pairs, pair_count));

cleanup:
    tdb_free(proposed.items);
    return status;
}

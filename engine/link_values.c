/* Value frequencies for record linkage. A value held by more than generic_count base
 * records or more than generic_count query records is generic: a phone shared by a
 * village office, a placeholder ID, the commonest names. Generic IDs and phones are
 * compared as missing. A generic name is compared, with a weight lowered by its
 * frequency, but never counts as the evidence a link needs. */
#include <stdlib.h>
#include <string.h>

#include "link_internal.h"
#include "util.h"

tdb_status tdb_link_radix_sort(tdb_link_keyed *items, size_t count)
{
    if (count < 2) return TDB_OK;
    tdb_link_keyed *scratch = tdb_malloc(count * sizeof *scratch);
    if (scratch == NULL) return TDB_ERR_NOMEM;

    /* Six passes of 11 bits: 2048 counters stay in the L1 cache. */
    enum { DIGIT_BITS = 11, DIGITS = 1 << DIGIT_BITS, DIGIT_MASK = DIGITS - 1 };
    tdb_link_keyed *from = items;
    tdb_link_keyed *to = scratch;
    for (int shift = 0; shift < 64; shift += DIGIT_BITS) {
        size_t counts[DIGITS] = {0};
        for (size_t i = 0; i < count; i++) counts[(from[i].key >> shift) & DIGIT_MASK]++;
        /* A digit that is the same in every key leaves the order as it is. */
        if (counts[(from[0].key >> shift) & DIGIT_MASK] == count) continue;

        size_t position = 0;
        for (int digit = 0; digit < DIGITS; digit++) {
            size_t digit_count = counts[digit];
            counts[digit] = position;
            position += digit_count;
        }
        for (size_t i = 0; i < count; i++) to[counts[(from[i].key >> shift) & DIGIT_MASK]++] = from[i];
        tdb_link_keyed *swap = from;
        from = to;
        to = swap;
    }
    if (from != items) memcpy(items, from, count * sizeof *items);
    tdb_free(scratch);
    return TDB_OK;
}

static const int text_fields[LINK_TEXTS] = {TDB_LINK_NAME, TDB_LINK_ID_NUMBER, TDB_LINK_PHONE,
                                            TDB_LINK_ADDRESS};

/* Value with its side (bit 63 set for queries) and record index. */
static tdb_status collect_values(const tdb_link_side *base, const tdb_link_side *queries,
                                 int text, tdb_link_keyed **items, size_t *count)
{
    size_t total = 0;
    tdb_link_keyed *values = tdb_malloc((base->count + queries->count) * sizeof *values);
    if (values == NULL) return TDB_ERR_NOMEM;
    for (size_t i = 0; i < base->count; i++) {
        uint64_t hash = base->entries[i].hashes[text];
        if (hash) values[total++] = (tdb_link_keyed){hash, i};
    }
    for (size_t i = 0; i < queries->count; i++) {
        uint64_t hash = queries->entries[i].hashes[text];
        if (hash) values[total++] = (tdb_link_keyed){hash, (1ull << 63) | i};
    }
    *items = values;
    *count = total;
    return TDB_OK;
}

static tdb_link_entry *entry_of(tdb_link_side *base, tdb_link_side *queries, uint64_t value)
{
    if (value >> 63) return &queries->entries[value & ~(1ull << 63)];
    return &base->entries[value];
}

/* Append HASH to a growable array of hashes. */
static tdb_status push_hash(uint64_t **array, size_t *count, size_t *capacity, uint64_t hash)
{
    void *data = *array;
    tdb_status status = tdb_grow(&data, capacity, *count + 1, sizeof **array);
    if (status != TDB_OK) return status;
    *array = data;
    (*array)[(*count)++] = hash;
    return TDB_OK;
}

static int compare_hashes(const void *left, const void *right)
{
    uint64_t a = *(const uint64_t *)left, b = *(const uint64_t *)right;
    return a < b ? -1 : a > b;
}

/* Return true when the records VALUES[0..COUNT) carry more than LIMIT distinct
 * values of text OTHER. SCRATCH has room for COUNT hashes. */
static bool many_distinct(tdb_link_side *base, tdb_link_side *queries,
                          const tdb_link_keyed *values, size_t count, int other, size_t limit,
                          uint64_t *scratch)
{
    size_t named = 0;
    for (size_t i = 0; i < count; i++) {
        uint64_t hash = entry_of(base, queries, values[i].value)->hashes[other];
        if (hash) scratch[named++] = hash;
    }
    if (named <= limit) return false;
    qsort(scratch, named, sizeof *scratch, compare_hashes);
    size_t distinct = 0;
    for (size_t i = 0; i < named; i++) distinct += i == 0 || scratch[i] != scratch[i - 1];
    return distinct > limit;
}

/* Walk runs of equal values of one text kind: mark generic ones, store base name
 * counts, and record distinct names and generic values in FREQUENCIES.
 *
 * A name is generic when more than GENERIC_COUNT base records hold it, or as many
 * query records under more than GENERIC_COUNT distinct IDs. An ID or phone is generic
 * when that many records hold it under more than GENERIC_COUNT distinct names. So a
 * placeholder ID or a dealer's phone is generic, but the name and ID of one company
 * that owns a hundred vehicles are not. */
static tdb_status count_runs(tdb_link_side *base, tdb_link_side *queries, int text,
                             const tdb_link_keyed *values, size_t count, size_t generic_count,
                             struct tdb_link_frequencies *frequencies)
{
    tdb_status status = TDB_OK;
    size_t name_capacity = 0, counts_capacity = 0, generic_capacity = 0;
    uint8_t bit = (uint8_t)(1u << text_fields[text]);
    int other = text == LINK_TEXT_NAME ? LINK_TEXT_ID : LINK_TEXT_NAME;
    uint64_t *scratch = tdb_malloc(count * sizeof *scratch);
    TDB_FAIL_IF(scratch == NULL, TDB_ERR_NOMEM);

    for (size_t start = 0; start < count;) {
        size_t end = start;
        size_t base_records = 0;
        while (end < count && values[end].key == values[start].key) {
            base_records += !(values[end].value >> 63);
            end++;
        }
        size_t query_records = end - start - base_records;
        bool generic = false;
        if (text == LINK_TEXT_NAME && base_records > generic_count)
            generic = true;
        else if (base_records > generic_count || query_records > generic_count)
            generic = many_distinct(base, queries, values + start, end - start, other,
                                    generic_count, scratch);

        for (size_t i = start; i < end; i++) {
            tdb_link_entry *entry = entry_of(base, queries, values[i].value);
            if (generic) entry->generic |= bit;
            if (text == LINK_TEXT_NAME)
                entry->name_count = base_records > UINT32_MAX ? UINT32_MAX : (uint32_t)base_records;
        }
        if (generic) {
            TDB_FORWARD(push_hash(&frequencies->generic_hashes[text],
                                  &frequencies->generic_count[text], &generic_capacity,
                                  values[start].key));
        }
        if (text == LINK_TEXT_NAME && base_records > 0) {
            void *counts = frequencies->name_counts;
            TDB_FORWARD(tdb_grow(&counts, &counts_capacity, frequencies->name_count + 1,
                                 sizeof(uint32_t)));
            frequencies->name_counts = counts;
            frequencies->name_counts[frequencies->name_count] =
                base_records > UINT32_MAX ? UINT32_MAX : (uint32_t)base_records;
            TDB_FORWARD(push_hash(&frequencies->name_hashes, &frequencies->name_count,
                                  &name_capacity, values[start].key));
        }
        start = end;
    }
cleanup:
    tdb_free(scratch);
    return status;
}

static size_t count_flagged(const tdb_link_side *side, uint8_t bit)
{
    size_t count = 0;
    for (size_t i = 0; i < side->count; i++) count += (side->entries[i].generic & bit) != 0;
    return count;
}

tdb_status tdb_link_count_values(tdb_link_side *base, tdb_link_side *queries,
                                 size_t generic_count, struct tdb_link_frequencies *frequencies,
                                 size_t generic_values[TDB_LINK_FIELDS])
{
    tdb_status status = TDB_OK;
    tdb_link_keyed *values = NULL;
    memset(frequencies, 0, sizeof *frequencies);

    for (int text = 0; text < LINK_TEXTS; text++) {
        /* Addresses are shared by whole villages by nature: only placeholders count. */
        if (text == LINK_TEXT_ADDRESS) continue;
        size_t count = 0;
        TDB_FORWARD(collect_values(base, queries, text, &values, &count));
        TDB_FORWARD(tdb_link_radix_sort(values, count));
        TDB_FORWARD(count_runs(base, queries, text, values, count, generic_count, frequencies));
        tdb_free(values);
        values = NULL;
    }

    /* Generic records per field, placeholders included. */
    for (int field = 0; field < TDB_LINK_FIELDS; field++) {
        uint8_t bit = (uint8_t)(1u << field);
        generic_values[field] = count_flagged(base, bit) + count_flagged(queries, bit);
    }

cleanup:
    tdb_free(values);
    return status;
}

void tdb_link_frequencies_free(struct tdb_link_frequencies *frequencies)
{
    if (frequencies == NULL) return;
    tdb_free(frequencies->name_hashes);
    tdb_free(frequencies->name_counts);
    for (int text = 0; text < LINK_TEXTS; text++) tdb_free(frequencies->generic_hashes[text]);
    memset(frequencies, 0, sizeof *frequencies);
}

/* Return the index of HASH in the sorted array HASHES, or -1. */
static long find_hash(const uint64_t *hashes, size_t count, uint64_t hash)
{
    size_t low = 0, high = count;
    while (low < high) {
        size_t middle = low + (high - low) / 2;
        if (hashes[middle] == hash) return (long)middle;
        if (hashes[middle] < hash)
            low = middle + 1;
        else
            high = middle;
    }
    return -1;
}

void tdb_link_apply_frequencies(const struct tdb_link_frequencies *frequencies,
                                tdb_link_entry *entry)
{
    for (int text = 0; text < LINK_TEXTS; text++) {
        uint64_t hash = entry->hashes[text];
        if (hash == 0) continue;
        if (find_hash(frequencies->generic_hashes[text], frequencies->generic_count[text], hash) >= 0)
            entry->generic |= (uint8_t)(1u << text_fields[text]);
    }
    long name = find_hash(frequencies->name_hashes, frequencies->name_count,
                          entry->hashes[LINK_TEXT_NAME]);
    entry->name_count = name >= 0 ? frequencies->name_counts[name] : 0;
}

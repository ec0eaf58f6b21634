/* Internal data of the record linkage module, shared by link_prepare.c, link_block.c,
 * link_model.c and link_run.c. Records are decoded once into flat arrays of code
 * points so that a comparison reads two short runs of memory. */
#ifndef THEMEDB_LINK_INTERNAL_H
#define THEMEDB_LINK_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "themedb/link.h"

/* Fields stored as text in the code point arena (gender and birth date are numbers). */
enum { LINK_TEXT_NAME, LINK_TEXT_ID, LINK_TEXT_PHONE, LINK_TEXT_ADDRESS, LINK_TEXTS };

/* One prepared record, 64 bytes so that a comparison reads one cache line of it. Hash
 * 0 means null; a value found generic keeps its hash and sets its bit
 * (1 << tdb_link_field) in generic. The record's texts follow each other in the code
 * point arena from text_offset, in LINK_TEXT order. */
typedef struct tdb_link_entry {
    uint64_t hashes[LINK_TEXTS];
    uint64_t pinyin_hash;    /* hash of the name's syllables, 0 when there is no name */
    uint32_t text_offset;
    uint8_t text_lengths[LINK_TEXTS]; /* code points; 0 means null */
    uint32_t pinyin_offset;  /* name syllables in the pinyin arena, name length long */
    uint32_t birth_date;     /* YYYYMMDD, 0 when unknown */
    uint32_t name_count;     /* base records with the same name, for the frequency adjustment */
    uint8_t surname_length;  /* code points of the surname */
    uint8_t gender;          /* 0 unknown, 1 male, 2 female */
    uint8_t generic;         /* bit per tdb_link_field */
} tdb_link_entry;

/* Return the code points of TEXT of ENTRY in SIDE's arena. */
static inline const int32_t *tdb_link_text(const int32_t *code_points,
                                           const tdb_link_entry *entry, int text)
{
    uint32_t offset = entry->text_offset;
    for (int before = 0; before < text; before++) offset += entry->text_lengths[before];
    return code_points + offset;
}

/* One side (base or queries), prepared. */
typedef struct tdb_link_side {
    tdb_link_entry *entries; /* aligned to 64 bytes inside entries_allocation */
    void *entries_allocation;
    size_t count;
    int32_t *code_points;
    size_t code_point_count;
    uint16_t *pinyin;
    size_t pinyin_count;
    size_t truncated_values;
} tdb_link_side;

/* Sorted (hash, count) pairs and generic hashes, kept in the result so that
 * tdb_link_score_pair scores a pair exactly as the run did. */
struct tdb_link_frequencies {
    uint64_t *name_hashes; /* distinct base names, sorted */
    uint32_t *name_counts;
    size_t name_count;
    uint64_t *generic_hashes[LINK_TEXTS]; /* sorted */
    size_t generic_count[LINK_TEXTS];
};

/* A candidate pair: query and base index, and the bit of every rule that proposed it. */
typedef struct tdb_link_pair {
    uint32_t query, base;
    uint32_t rules;
    uint32_t pattern; /* comparison levels, encoded by tdb_link_pattern_encode */
} tdb_link_pair;

/* 64-bit key with a 64-bit payload, the unit of tdb_link_radix_sort. */
typedef struct tdb_link_keyed {
    uint64_t key;
    uint64_t value;
} tdb_link_keyed;

/* Sort ITEMS by key, stably (LSD radix sort with a scratch copy). Returns
 * TDB_ERR_NOMEM when the scratch copy cannot be allocated. */
tdb_status tdb_link_radix_sort(tdb_link_keyed *items, size_t count);

/* Hash BYTES with a seed per use, never returning 0 (the null hash). */
uint64_t tdb_link_hash(const void *bytes, size_t length, uint64_t seed);

/* Decode RECORDS into SIDE (code points, pinyin, hashes, birth dates, placeholder
 * values). Returns TDB_ERR_NOMEM on allocation failure, leaving SIDE to be freed. */
tdb_status tdb_link_prepare_side(const tdb_link_record *records, size_t count,
                                 tdb_link_side *side);
void tdb_link_side_free(tdb_link_side *side);

/* Count values over both sides, mark generic values (held by more than GENERIC_COUNT
 * base or query records), store base name counts in every entry, and fill
 * FREQUENCIES. GENERIC_VALUES receives the records found generic per field. */
tdb_status tdb_link_count_values(tdb_link_side *base, tdb_link_side *queries,
                                 size_t generic_count, struct tdb_link_frequencies *frequencies,
                                 size_t generic_values[TDB_LINK_FIELDS]);
void tdb_link_frequencies_free(struct tdb_link_frequencies *frequencies);

/* Mark one entry's generic values and name count from FREQUENCIES (for a pair scored
 * outside a run). */
void tdb_link_apply_frequencies(const struct tdb_link_frequencies *frequencies,
                                tdb_link_entry *entry);

/* Build the de-duplicated candidate pairs of every rule, sorted by query then base.
 * On success *PAIRS is a new array of *PAIR_COUNT pairs owned by the caller. */
tdb_status tdb_link_block(const tdb_link_config *config, const tdb_link_side *base,
                          const tdb_link_side *queries, tdb_link_pair **pairs,
                          size_t *pair_count, tdb_link_stats *stats);

/* Compare one pair and write its levels (TDB_LINK_LEVEL_NULL for missing or generic ID
 * and phone). Returns true when a non-generic value other than gender agrees. */
bool tdb_link_compare_entries(const tdb_link_side *query_side, const tdb_link_entry *query,
                              const tdb_link_side *base_side, const tdb_link_entry *base,
                              int8_t levels[TDB_LINK_FIELDS]);

/* Bit 31 of a pair's pattern: the pair has evidence beyond generic values. */
#define TDB_LINK_PATTERN_EVIDENCE (1u << 31)

/* Compare PAIRS[0..COUNT) in parallel and store each pattern, with
 * TDB_LINK_PATTERN_EVIDENCE set when the pair has evidence. */
void tdb_link_compare_pairs(const tdb_link_side *base, const tdb_link_side *queries,
                            tdb_link_pair *pairs, size_t count);

/* Level counts of each field, and the encoding of a level vector as one integer. */
extern const int tdb_link_level_counts[TDB_LINK_FIELDS];
uint32_t tdb_link_pattern_encode(const int8_t levels[TDB_LINK_FIELDS]);
void tdb_link_pattern_decode(uint32_t pattern, int8_t levels[TDB_LINK_FIELDS]);
size_t tdb_link_pattern_space(void);

/* Estimate u from random pairs (all pairs when there are fewer than config->u_samples)
 * into MODEL. */
tdb_status tdb_link_estimate_u(const tdb_link_config *config, const tdb_link_side *base,
                               const tdb_link_side *queries, tdb_link_model *model,
                               size_t *sampled_pairs);

/* Estimate m by EM, one session per rule over RULE_HISTOGRAMS (pattern counts of the
 * pairs each rule proposed) with u held fixed, and fill the field weights. */
void tdb_link_estimate_m(const tdb_link_config *config,
                         const uint64_t *const rule_histograms[TDB_LINK_RULES],
                         tdb_link_model *model, tdb_link_stats *stats);

/* Estimate the prior of MODEL (lambda, prior_weight, expected_matches, query_count)
 * from PAIRS, sorted by query, and FIELD_SUMS, each pair's weight without the prior:
 * lambda = expected matches / (QUERY_COUNT * model->base_count), the expected matches
 * being computed with that same lambda until it settles. Needs model->base_count.
 * Returns TDB_ERR_NOMEM when an allocation fails. */
tdb_status tdb_link_estimate_prior(const tdb_link_config *config, const tdb_link_pair *pairs,
                                   size_t pair_count, const double *field_sums,
                                   size_t query_count, tdb_link_model *model,
                                   tdb_link_stats *stats);

/* Return the weight of LEVELS under MODEL into FIELD_WEIGHTS and the total (prior
 * included). NAME_COUNT adjusts the exact-name weight by the name's base frequency. */
double tdb_link_weigh(const tdb_link_model *model, const int8_t levels[TDB_LINK_FIELDS],
                      uint32_t name_count, double field_weights[TDB_LINK_FIELDS]);

#endif

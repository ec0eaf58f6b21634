/* Comparison levels and the Fellegi-Sunter model for record linkage.
 *
 * A pair's comparison is a vector of levels, one per field, encoded as one integer
 * (its pattern) so that EM runs over a histogram of a few thousand patterns instead of
 * millions of pairs. u (the level frequencies among non-matches) comes from random
 * pairs, and m (the level frequencies among matches) from EM with u held fixed.
 * lambda, the prior, is the probability that a random (query, base) pair matches:
 * the expected matches over query count times base count, so that it reflects the
 * size of the population and not the share of matches among blocked pairs. Every sum
 * is either an integer count or a serial loop in a fixed order, so the model does not
 * depend on the thread count. */
#include <math.h>
#include <string.h>

#include "link_compare.h"
#include "link_internal.h"
#include "util.h"

/* name: exact, same pinyin, close, different; ID and phone: exact, one edit,
 * different; birth date: exact, close, different; address: exact, partial,
 * different; gender: same, different. */
const int tdb_link_level_counts[TDB_LINK_FIELDS] = {4, 3, 3, 3, 3, 2};

/* Jaro-Winkler similarity from which names (beyond one edit) and address keys count
 * as close. */
#define NAME_CLOSE_JARO_WINKLER 0.9
#define ADDRESS_PARTIAL_JARO_WINKLER 0.9

/* Smallest probability kept in m and u, so that every weight stays finite. */
#define MIN_PROBABILITY 1e-9

uint32_t tdb_link_pattern_encode(const int8_t levels[TDB_LINK_FIELDS])
{
    uint32_t pattern = 0;
    for (int field = TDB_LINK_FIELDS - 1; field >= 0; field--)
        pattern = pattern * (uint32_t)(tdb_link_level_counts[field] + 1) +
                  (uint32_t)(levels[field] + 1);
    return pattern;
}

void tdb_link_pattern_decode(uint32_t pattern, int8_t levels[TDB_LINK_FIELDS])
{
    for (int field = 0; field < TDB_LINK_FIELDS; field++) {
        uint32_t radix = (uint32_t)(tdb_link_level_counts[field] + 1);
        levels[field] = (int8_t)((int)(pattern % radix) - 1);
        pattern /= radix;
    }
}

size_t tdb_link_pattern_space(void)
{
    size_t space = 1;
    for (int field = 0; field < TDB_LINK_FIELDS; field++)
        space *= (size_t)(tdb_link_level_counts[field] + 1);
    return space;
}

static const int32_t *span_points(const tdb_link_side *side, const tdb_link_entry *entry,
                                  int text)
{
    return tdb_link_text(side->code_points, entry, text);
}

static bool same_text(const tdb_link_side *a_side, const tdb_link_entry *a,
                      const tdb_link_side *b_side, const tdb_link_entry *b, int text)
{
    size_t length = a->text_lengths[text];
    return a->hashes[text] == b->hashes[text] && length == b->text_lengths[text] &&
           memcmp(span_points(a_side, a, text), span_points(b_side, b, text),
                  length * sizeof(int32_t)) == 0;
}

/* The pinyin hash covers every syllable, and the code point itself where a character
 * has no reading, so equal hashes mean the names sound the same. */
static bool same_pinyin(const tdb_link_entry *a, const tdb_link_entry *b)
{
    return a->text_lengths[LINK_TEXT_NAME] == b->text_lengths[LINK_TEXT_NAME] &&
           a->pinyin_hash == b->pinyin_hash;
}

static int compare_names(const tdb_link_side *a_side, const tdb_link_entry *a,
                         const tdb_link_side *b_side, const tdb_link_entry *b)
{
    if (same_text(a_side, a, b_side, b, LINK_TEXT_NAME)) return 0;
    if (same_pinyin(a, b)) return 1;

    const int32_t *a_points = span_points(a_side, a, LINK_TEXT_NAME);
    const int32_t *b_points = span_points(b_side, b, LINK_TEXT_NAME);
    size_t a_length = a->text_lengths[LINK_TEXT_NAME];
    size_t b_length = b->text_lengths[LINK_TEXT_NAME];
    /* One edit or one swap of adjacent characters (王小明 / 王明小) is close. */
    if (tdb_link_edit_class(a_points, a_length, b_points, b_length) <= 1) return 2;
    if (tdb_link_jaro_winkler(a_points, a_length, b_points, b_length) >= NAME_CLOSE_JARO_WINKLER)
        return 2;
    return 3;
}

/* Exact, partial (one key is a prefix of the other, or they are close by
 * Jaro-Winkler), different. */
static int compare_addresses(const tdb_link_side *a_side, const tdb_link_entry *a,
                             const tdb_link_side *b_side, const tdb_link_entry *b)
{
    if (same_text(a_side, a, b_side, b, LINK_TEXT_ADDRESS)) return 0;
    const int32_t *a_points = span_points(a_side, a, LINK_TEXT_ADDRESS);
    const int32_t *b_points = span_points(b_side, b, LINK_TEXT_ADDRESS);
    size_t a_length = a->text_lengths[LINK_TEXT_ADDRESS];
    size_t b_length = b->text_lengths[LINK_TEXT_ADDRESS];
    size_t shorter = a_length < b_length ? a_length : b_length;
    if (memcmp(a_points, b_points, shorter * sizeof(int32_t)) == 0) return 1;
    if (tdb_link_jaro_winkler(a_points, a_length, b_points, b_length) >=
        ADDRESS_PARTIAL_JARO_WINKLER)
        return 1;
    return 2;
}

/* ID number or phone: exact, one edit or swap, different; null when missing or
 * generic on either side. */
static int compare_code(const tdb_link_side *a_side, const tdb_link_entry *a,
                        const tdb_link_side *b_side, const tdb_link_entry *b, int text, int field)
{
    if (a->hashes[text] == 0 || b->hashes[text] == 0) return TDB_LINK_LEVEL_NULL;
    if (((a->generic | b->generic) >> field) & 1) return TDB_LINK_LEVEL_NULL;
    if (same_text(a_side, a, b_side, b, text)) return 0;
    return tdb_link_edit_class(span_points(a_side, a, text), a->text_lengths[text],
                               span_points(b_side, b, text), b->text_lengths[text]);
}

bool tdb_link_compare_entries(const tdb_link_side *query_side, const tdb_link_entry *query,
                              const tdb_link_side *base_side, const tdb_link_entry *base,
                              int8_t levels[TDB_LINK_FIELDS])
{
    const tdb_link_side *qs = query_side, *bs = base_side;
    for (int field = 0; field < TDB_LINK_FIELDS; field++) levels[field] = TDB_LINK_LEVEL_NULL;

    if (query->hashes[LINK_TEXT_NAME] && base->hashes[LINK_TEXT_NAME])
        levels[TDB_LINK_NAME] = (int8_t)compare_names(qs, query, bs, base);
    levels[TDB_LINK_ID_NUMBER] =
        (int8_t)compare_code(qs, query, bs, base, LINK_TEXT_ID, TDB_LINK_ID_NUMBER);
    if (query->birth_date && base->birth_date)
        levels[TDB_LINK_BIRTH_DATE] = (int8_t)tdb_link_date_class(query->birth_date, base->birth_date);
    levels[TDB_LINK_PHONE] =
        (int8_t)compare_code(qs, query, bs, base, LINK_TEXT_PHONE, TDB_LINK_PHONE);
    if (query->hashes[LINK_TEXT_ADDRESS] && base->hashes[LINK_TEXT_ADDRESS])
        levels[TDB_LINK_ADDRESS] = (int8_t)compare_addresses(qs, query, bs, base);
    if (query->gender && base->gender)
        levels[TDB_LINK_GENDER] = query->gender == base->gender ? 0 : 1;

    /* Evidence: a non-generic value that agrees at any level short of different.
     * Gender never counts, and a generic name does not either. */
    bool generic_name = ((query->generic | base->generic) >> TDB_LINK_NAME) & 1;
    for (int field = 0; field < TDB_LINK_GENDER; field++) {
        if (levels[field] == TDB_LINK_LEVEL_NULL) continue;
        if (levels[field] >= tdb_link_level_counts[field] - 1) continue;
        if (field == TDB_LINK_NAME && generic_name) continue;
        return true;
    }
    return false;
}

/* Prefetch distances, in pairs: a base entry is fetched this far ahead, and its texts
 * half as far ahead, once the entry has arrived. */
#define PREFETCH_ENTRY 16
#define PREFETCH_TEXT 8

void tdb_link_compare_pairs(const tdb_link_side *base, const tdb_link_side *queries,
                            tdb_link_pair *pairs, size_t count)
{
#pragma omp parallel for schedule(static)
    for (size_t i = 0; i < count; i++) {
        /* Base records are scattered over the arena, so fetch ahead of use. */
        if (i + PREFETCH_ENTRY < count)
            __builtin_prefetch(&base->entries[pairs[i + PREFETCH_ENTRY].base]);
        if (i + PREFETCH_TEXT < count) {
            const tdb_link_entry *ahead = &base->entries[pairs[i + PREFETCH_TEXT].base];
            const int32_t *texts = base->code_points + ahead->text_offset;
            __builtin_prefetch(texts);
            __builtin_prefetch(texts + 16);
        }
        int8_t levels[TDB_LINK_FIELDS];
        bool evidence = tdb_link_compare_entries(queries, &queries->entries[pairs[i].query], base,
                                                 &base->entries[pairs[i].base], levels);
        pairs[i].pattern = tdb_link_pattern_encode(levels) | (evidence ? TDB_LINK_PATTERN_EVIDENCE : 0);
    }
}

/* Pair number I of the u sample: every pair in order when they are few, else a pair
 * drawn by splitmix64 from SEED and I, so that the sample does not depend on threads. */
static void sample_pair(uint64_t seed, uint64_t i, size_t query_count, size_t base_count,
                        bool exhaustive, size_t *query, size_t *base)
{
    if (exhaustive) {
        *query = (size_t)(i / base_count);
        *base = (size_t)(i % base_count);
        return;
    }
    uint64_t state = seed + (i + 1) * 0x9E3779B97F4A7C15ull;
    for (int draw = 0; draw < 2; draw++) {
        uint64_t z = state + (uint64_t)draw * 0x9E3779B97F4A7C15ull;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        z ^= z >> 31;
        if (draw == 0)
            *query = (size_t)(z % query_count);
        else
            *base = (size_t)(z % base_count);
    }
}

#define LEVEL_SLOTS (TDB_LINK_MAX_LEVELS + 1)

tdb_status tdb_link_estimate_u(const tdb_link_config *config, const tdb_link_side *base,
                               const tdb_link_side *queries, tdb_link_model *model,
                               size_t *sampled_pairs)
{
    uint64_t counts[TDB_LINK_FIELDS * LEVEL_SLOTS] = {0};
    uint64_t all_pairs = (uint64_t)base->count * (uint64_t)queries->count;
    bool exhaustive = all_pairs <= config->u_samples;
    uint64_t samples = exhaustive ? all_pairs : config->u_samples;

#pragma omp parallel for schedule(static) reduction(+ : counts[:TDB_LINK_FIELDS * LEVEL_SLOTS])
    for (uint64_t i = 0; i < samples; i++) {
        size_t query = 0, record = 0;
        int8_t levels[TDB_LINK_FIELDS];
        if (i + PREFETCH_ENTRY < samples) {
            sample_pair(config->seed, i + PREFETCH_ENTRY, queries->count, base->count, exhaustive,
                        &query, &record);
            __builtin_prefetch(&base->entries[record]);
            __builtin_prefetch(&queries->entries[query]);
        }
        if (i + PREFETCH_TEXT < samples) {
            sample_pair(config->seed, i + PREFETCH_TEXT, queries->count, base->count, exhaustive,
                        &query, &record);
            __builtin_prefetch(base->code_points + base->entries[record].text_offset);
            __builtin_prefetch(queries->code_points + queries->entries[query].text_offset);
        }
        sample_pair(config->seed, i, queries->count, base->count, exhaustive, &query, &record);
        tdb_link_compare_entries(queries, &queries->entries[query], base, &base->entries[record],
                                 levels);
        for (int field = 0; field < TDB_LINK_FIELDS; field++)
            counts[field * LEVEL_SLOTS + levels[field] + 1]++;
    }

    /* Add half an observation to every level, so that a level never seen among
     * random pairs (two equal ID numbers) gets a small u instead of zero. */
    for (int field = 0; field < TDB_LINK_FIELDS; field++) {
        int levels = tdb_link_level_counts[field];
        uint64_t present = 0;
        for (int level = 0; level < levels; level++) present += counts[field * LEVEL_SLOTS + level + 1];
        model->levels[field] = levels;
        for (int level = 0; level < levels; level++) {
            double observed = (double)counts[field * LEVEL_SLOTS + level + 1] + 0.5;
            model->u[field][level] = observed / ((double)present + 0.5 * levels);
        }
    }
    *sampled_pairs = (size_t)samples;
    return TDB_OK;
}

/* Starting m: most matches agree exactly, a few are close, a few differ. */
static void initial_m(double m[TDB_LINK_FIELDS][TDB_LINK_MAX_LEVELS])
{
    for (int field = 0; field < TDB_LINK_FIELDS; field++) {
        int levels = tdb_link_level_counts[field];
        if (levels == 2) {
            m[field][0] = 0.95;
            m[field][1] = 0.05;
            continue;
        }
        m[field][0] = 0.85;
        for (int level = 1; level < levels - 1; level++) m[field][level] = 0.10 / (levels - 2);
        m[field][levels - 1] = 0.05;
    }
}

/* Fields that agree by construction in the blocks of each rule, so the rule's pairs
 * carry no information on how often matches agree on them. */
static const uint32_t rule_fixed_fields[TDB_LINK_RULES] = {
    [TDB_LINK_RULE_ID_DELETION] = 1u << TDB_LINK_ID_NUMBER,
    [TDB_LINK_RULE_NAME_DATE] = 1u << TDB_LINK_NAME | 1u << TDB_LINK_BIRTH_DATE,
    [TDB_LINK_RULE_ADDRESS_NAME] = 1u << TDB_LINK_ADDRESS | 1u << TDB_LINK_NAME,
    [TDB_LINK_RULE_ADDRESS_DATE] = 1u << TDB_LINK_ADDRESS | 1u << TDB_LINK_BIRTH_DATE,
    [TDB_LINK_RULE_PHONE] = 1u << TDB_LINK_PHONE,
};

/* State of one EM session: the parameters it estimates and the fields it uses. */
typedef struct em_session {
    double m[TDB_LINK_FIELDS][TDB_LINK_MAX_LEVELS];
    double lambda;
    uint32_t fields;  /* bit per field taking part */
    double matches;   /* expected matches in the last E step */
} em_session;

/* Posterior probability that a pair with LEVELS is a match, over SESSION's fields. */
static double match_posterior(const em_session *session, const tdb_link_model *model,
                              const int8_t levels[TDB_LINK_FIELDS])
{
    double match = session->lambda, non_match = 1.0 - session->lambda;
    for (int field = 0; field < TDB_LINK_FIELDS; field++) {
        if (levels[field] == TDB_LINK_LEVEL_NULL || !((session->fields >> field) & 1)) continue;
        match *= session->m[field][levels[field]];
        non_match *= model->u[field][levels[field]];
    }
    return match / (match + non_match);
}

/* One EM step over HISTOGRAM; returns the largest change of lambda or any m. */
static double em_step(const uint64_t *histogram, size_t patterns, const tdb_link_model *model,
                      em_session *session)
{
    double level_sums[TDB_LINK_FIELDS][TDB_LINK_MAX_LEVELS] = {{0}};
    double field_sums[TDB_LINK_FIELDS] = {0};
    double matches = 0, total = 0;

    for (size_t pattern = 0; pattern < patterns; pattern++) {
        if (histogram[pattern] == 0) continue;
        int8_t levels[TDB_LINK_FIELDS];
        tdb_link_pattern_decode((uint32_t)pattern, levels);
        double count = (double)histogram[pattern];
        double expected = count * match_posterior(session, model, levels);
        matches += expected;
        total += count;
        for (int field = 0; field < TDB_LINK_FIELDS; field++) {
            if (levels[field] == TDB_LINK_LEVEL_NULL) continue;
            level_sums[field][levels[field]] += expected;
            field_sums[field] += expected;
        }
    }

    double lambda = fmin(fmax(matches / total, MIN_PROBABILITY), 1.0 - MIN_PROBABILITY);
    double change = fabs(lambda - session->lambda);
    session->lambda = lambda;
    session->matches = matches;
    for (int field = 0; field < TDB_LINK_FIELDS; field++) {
        if (!((session->fields >> field) & 1) || field_sums[field] <= 0) continue;
        for (int level = 0; level < tdb_link_level_counts[field]; level++) {
            double m = fmax(level_sums[field][level] / field_sums[field], MIN_PROBABILITY);
            change = fmax(change, fabs(m - session->m[field][level]));
            session->m[field][level] = m;
        }
    }
    return change;
}

/* Iterate SESSION to convergence; returns true when it met the tolerance. */
static bool run_session(const tdb_link_config *config, const uint64_t *histogram,
                        const tdb_link_model *model, em_session *session,
                        tdb_link_stats *stats)
{
    size_t patterns = tdb_link_pattern_space();
    for (int iteration = 0; iteration < config->em_max_iterations; iteration++) {
        double change = em_step(histogram, patterns, model, session);
        stats->em_iterations++;
        if (change < config->em_tolerance) return true;
    }
    return false;
}

static bool histogram_empty(const uint64_t *histogram)
{
    size_t patterns = tdb_link_pattern_space();
    for (size_t pattern = 0; pattern < patterns; pattern++) {
        if (histogram[pattern]) return false;
    }
    return true;
}

void tdb_link_estimate_m(const tdb_link_config *config,
                         const uint64_t *const rule_histograms[TDB_LINK_RULES],
                         tdb_link_model *model, tdb_link_stats *stats)
{
    const uint32_t all_fields = (1u << TDB_LINK_FIELDS) - 1;
    double pooled[TDB_LINK_FIELDS][TDB_LINK_MAX_LEVELS] = {{0}};
    double pooled_weight[TDB_LINK_FIELDS] = {0};
    bool converged = true;
    stats->em_iterations = 0;
    initial_m(model->m);

    /* One session per rule, each estimating only the fields its blocks leave free.
     * A field's m is the average over the sessions that estimate it, weighted by
     * their expected matches. A session's lambda is the share of matches among its
     * own pairs, which agree on the fixed fields and so are far likelier to match
     * than random pairs. It only serves that session's E step and is not the prior
     * of the model (see tdb_link_estimate_prior). */
    for (int rule = 0; rule < TDB_LINK_RULES; rule++) {
        if (histogram_empty(rule_histograms[rule])) continue;
        em_session session = {.lambda = 0.3, .fields = all_fields & ~rule_fixed_fields[rule]};
        initial_m(session.m);
        converged &= run_session(config, rule_histograms[rule], model, &session, stats);
        for (int field = 0; field < TDB_LINK_FIELDS; field++) {
            if (!((session.fields >> field) & 1)) continue;
            for (int level = 0; level < tdb_link_level_counts[field]; level++)
                pooled[field][level] += session.matches * session.m[field][level];
            pooled_weight[field] += session.matches;
        }
    }
    for (int field = 0; field < TDB_LINK_FIELDS; field++) {
        if (pooled_weight[field] <= 0) continue;
        for (int level = 0; level < tdb_link_level_counts[field]; level++)
            model->m[field][level] =
                fmax(pooled[field][level] / pooled_weight[field], MIN_PROBABILITY);
    }

    stats->em_converged = converged;

    for (int field = 0; field < TDB_LINK_FIELDS; field++) {
        for (int level = 0; level < tdb_link_level_counts[field]; level++)
            model->weight[field][level] = log2(model->m[field][level] / model->u[field][level]);
    }
}

/* Return the number of queries expected to match a base record when every candidate
 * pair's odds are 2^(PRIOR_WEIGHT + field weights). Each query matches at most one
 * base record, so this is the sum over queries of the probability that one of their
 * candidates is the match. ODDS_SCALES contains, per query with candidates, log2 of
 * the sum of 2^(field weights) over its candidates with evidence. */
static double expected_matches(const double *odds_scales, size_t count, double prior_weight)
{
    double matches = 0;
    for (size_t i = 0; i < count; i++) matches += 1.0 / (1.0 + exp2(-(prior_weight + odds_scales[i])));
    return matches;
}

/* Return lambda for EXPECTED matches among PAIR_SPACE pairs, below 1 so that its
 * weight stays finite when every pair of a tiny input matches. */
static double lambda_of(double expected, double pair_space)
{
    return fmin(expected / pair_space, 1.0 - MIN_PROBABILITY);
}

static double prior_weight_of(double lambda) { return log2(lambda / (1.0 - lambda)); }

tdb_status tdb_link_estimate_prior(const tdb_link_config *config, const tdb_link_pair *pairs,
                                   size_t pair_count, const double *field_sums,
                                   size_t query_count, tdb_link_model *model,
                                   tdb_link_stats *stats)
{
    double *odds_scales = NULL;
    size_t scale_count = 0;
    double pair_space = (double)query_count * (double)model->base_count;
    model->query_count = query_count;

    /* Per query, log2 of the summed odds of its candidates with evidence, without the
     * prior. Pairs without evidence are never linked, so they count as non-matches. */
    if (pair_count > 0) {
        odds_scales = tdb_malloc(pair_count * sizeof *odds_scales);
        if (odds_scales == NULL) return TDB_ERR_NOMEM;
    }
    for (size_t start = 0; start < pair_count;) {
        size_t end = start;
        double heaviest = -INFINITY;
        while (end < pair_count && pairs[end].query == pairs[start].query) {
            if (pairs[end].pattern & TDB_LINK_PATTERN_EVIDENCE)
                heaviest = fmax(heaviest, field_sums[end]);
            end++;
        }
        if (heaviest > -INFINITY) {
            double sum = 0;
            for (size_t i = start; i < end; i++) {
                if (pairs[i].pattern & TDB_LINK_PATTERN_EVIDENCE) sum += exp2(field_sums[i] - heaviest);
            }
            odds_scales[scale_count++] = heaviest + log2(sum);
        }
        start = end;
    }

    /* Fixed point of "lambda = expected matches / (queries x base records)". It starts
     * from every query with a candidate matching, and each step can only lower the
     * expected matches, so it settles on the largest fixed point. Queries left out
     * of blocking count as unmatched, which makes the prior err low. At least one
     * match is assumed, so that the prior weight stays finite. */
    double expected = fmax((double)scale_count, 1.0);
    double lambda = lambda_of(expected, pair_space);
    bool converged = false;
    for (int iteration = 0; iteration < config->em_max_iterations && !converged; iteration++) {
        expected = fmax(expected_matches(odds_scales, scale_count, prior_weight_of(lambda)), 1.0);
        double next = lambda_of(expected, pair_space);
        converged = fabs(prior_weight_of(next) - prior_weight_of(lambda)) < config->em_tolerance;
        lambda = next;
        stats->em_iterations++;
    }
    stats->em_converged &= converged;
    model->expected_matches = expected;
    model->lambda = lambda;
    model->prior_weight = prior_weight_of(lambda);
    tdb_free(odds_scales);
    return TDB_OK;
}

double tdb_link_weigh(const tdb_link_model *model, const int8_t levels[TDB_LINK_FIELDS],
                      uint32_t name_count, double field_weights[TDB_LINK_FIELDS])
{
    double total = model->prior_weight;
    for (int field = 0; field < TDB_LINK_FIELDS; field++) {
        int level = levels[field];
        double weight = level == TDB_LINK_LEVEL_NULL ? 0.0 : model->weight[field][level];

        /* An exact name weighs by its own frequency among base records: agreeing on
         * a rare name says more than agreeing on the commonest one. */
        if (field == TDB_LINK_NAME && level == 0 && name_count > 0 && model->base_count > 0) {
            double frequency = (double)name_count / (double)model->base_count;
            weight = log2(model->m[field][0] / frequency);
        }
        field_weights[field] = weight;
        total += weight;
    }
    return total;
}

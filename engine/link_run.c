/* The record linkage run: prepare both sides, block, compare every candidate pair,
 * estimate the model, weigh the pairs, and resolve them into links. Also the scoring
 * of one given pair for `explain`, and the names of fields, levels and rules.
 *
 * Candidate pairs stay sorted by (query, base) from blocking to the result. Each pair
 * is compared and weighed on its own, and every reduction is an integer count or a
 * serial loop, so one or two threads give the same links and the same weights. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "link_internal.h"
#include "log.h"
#include "util.h"

static const char *const field_names[TDB_LINK_FIELDS] = {
    "name", "id_number", "birth_date", "phone", "address", "gender",
};

static const char *const rule_names[TDB_LINK_RULES] = {
    "id_deletion", "name_date", "address_name", "address_date", "phone",
};

static const char *const level_names[TDB_LINK_FIELDS][TDB_LINK_MAX_LEVELS] = {
    {"exact", "same_pinyin", "close", "different"},
    {"exact", "one_edit", "different"},
    {"exact", "close", "different"},
    {"exact", "one_edit", "different"},
    {"exact", "partial", "different"},
    {"same", "different"},
};

const char *tdb_link_field_name(int field)
{
    return field >= 0 && field < TDB_LINK_FIELDS ? field_names[field] : "?";
}

const char *tdb_link_rule_name(int rule)
{
    return rule >= 0 && rule < TDB_LINK_RULES ? rule_names[rule] : "?";
}

const char *tdb_link_level_name(int field, int level)
{
    if (field < 0 || field >= TDB_LINK_FIELDS) return "?";
    if (level == TDB_LINK_LEVEL_NULL) return "null";
    if (level < 0 || level >= tdb_link_level_counts[field]) return "?";
    return level_names[field][level];
}

void tdb_link_config_init(tdb_link_config *config)
{
    memset(config, 0, sizeof *config);
    config->threshold = 0.99;
    config->one_to_one = 0;
    config->threads = 0;
    config->seed = 1;
    config->max_block_size = 1000;
    config->u_samples = 1000000;
    config->em_max_iterations = 100;
    config->em_tolerance = 1e-6;
    config->generic_count = 50;
}

static bool config_valid(const tdb_link_config *config)
{
    return config->threshold > 0 && config->threshold < 1 && config->threads >= 0 &&
           config->max_block_size > 0 && config->u_samples > 0 &&
           config->em_max_iterations >= 0 && config->em_tolerance > 0 &&
           config->generic_count > 0;
}

void tdb_link_result_free(tdb_link_result *result)
{
    if (result == NULL) return;
    tdb_free(result->matches);
    tdb_link_frequencies_free(result->frequencies);
    tdb_free(result->frequencies);
    tdb_free(result);
}

/* Compare every pair in parallel and store its pattern, then count the patterns over
 * the pairs of each rule (RULE_HISTOGRAMS). */
static void compare_pairs(const tdb_link_side *base, const tdb_link_side *queries,
                          tdb_link_pair *pairs, size_t pair_count,
                          uint64_t *rule_histograms[TDB_LINK_RULES])
{
    tdb_link_compare_pairs(base, queries, pairs, pair_count);
    for (size_t i = 0; i < pair_count; i++) {
        uint32_t pattern = pairs[i].pattern & ~TDB_LINK_PATTERN_EVIDENCE;
        for (int rule = 0; rule < TDB_LINK_RULES; rule++) {
            if (pairs[i].rules & (1u << rule)) rule_histograms[rule][pattern]++;
        }
    }
}

/* Store in FIELD_SUMS each pair's sum of field weights, without the prior; the
 * exact-name weight uses the base record's name frequency. */
static void weigh_pairs(const tdb_link_model *model, const tdb_link_side *base,
                        const tdb_link_pair *pairs, size_t pair_count, double *field_sums)
{
#pragma omp parallel for schedule(static)
    for (size_t i = 0; i < pair_count; i++) {
        int8_t levels[TDB_LINK_FIELDS];
        double field_weights[TDB_LINK_FIELDS];
        tdb_link_pattern_decode(pairs[i].pattern & ~TDB_LINK_PATTERN_EVIDENCE, levels);
        field_sums[i] = tdb_link_weigh(model, levels, base->entries[pairs[i].base].name_count,
                                       field_weights) -
                        model->prior_weight;
    }
}

static double probability_of(double weight) { return 1.0 / (1.0 + exp2(-weight)); }

/* Return the lowest weight whose probability reaches THRESHOLD. */
static double weight_threshold(double threshold) { return log2(threshold / (1.0 - threshold)); }

static int compare_by_weight(const void *left, const void *right)
{
    const tdb_link_keyed *a = left, *b = right;
    /* The key contains the weight's order-preserving bits. Ties fall back to (query, base). */
    if (a->key != b->key) return a->key > b->key ? -1 : 1;
    return a->value < b->value ? -1 : a->value > b->value;
}

/* Map a double to a uint64_t with the same order. */
static uint64_t ordered_bits(double value)
{
    uint64_t bits;
    memcpy(&bits, &value, sizeof bits);
    return (bits >> 63) ? ~bits : bits | (1ull << 63);
}

/* Best link: for each query, the heaviest pair with evidence, linked when its
 * probability among the query's candidates reaches the threshold. With odds
 * o = 2^weight per candidate, that probability is o_best / (1 + sum of o), so two
 * equally good candidates (two 林刚 of one village) each get under one half and
 * neither is linked. The sum runs in pair order, the same on any thread count. */
static void resolve_best_links(const tdb_link_config *config, const tdb_link_pair *pairs,
                               size_t pair_count, const double *weights, const bool *evidence,
                               bool *chosen, double *probabilities, size_t *ambiguous)
{
    double minimum = weight_threshold(config->threshold);
    for (size_t start = 0; start < pair_count;) {
        size_t end = start, best = SIZE_MAX;
        while (end < pair_count && pairs[end].query == pairs[start].query) {
            if (evidence[end] && (best == SIZE_MAX || weights[end] > weights[best])) best = end;
            end++;
        }
        if (best != SIZE_MAX) {
            /* log2(1 + sum of odds), shifted by the best weight to stay finite. */
            double scaled = exp2(-weights[best]);
            for (size_t i = start; i < end; i++) {
                if (evidence[i]) scaled += exp2(weights[i] - weights[best]);
            }
            double probability = 1.0 / scaled;
            if (probability >= config->threshold) {
                chosen[best] = true;
                probabilities[best] = probability;
            } else if (weights[best] >= minimum) {
                (*ambiguous)++;
            }
        }
        start = end;
    }
}

/* One-to-one: ELIGIBLE pairs (threshold and evidence) taken greedily by falling
 * weight, skipping any whose query or base record is already linked. */
static tdb_status resolve_one_to_one(const tdb_link_pair *pairs, size_t pair_count,
                                     const double *weights, const bool *eligible,
                                     size_t base_count, size_t query_count, bool *chosen,
                                     double *probabilities)
{
    tdb_status status = TDB_OK;
    tdb_link_keyed *order = NULL;
    bool *base_used = NULL, *query_used = NULL;

    size_t count = 0;
    for (size_t i = 0; i < pair_count; i++) count += eligible[i];
    order = tdb_malloc(count * sizeof *order);
    base_used = tdb_calloc(base_count, sizeof *base_used);
    query_used = tdb_calloc(query_count, sizeof *query_used);
    TDB_FAIL_IF(order == NULL || base_used == NULL || query_used == NULL, TDB_ERR_NOMEM);
    count = 0;
    for (size_t i = 0; i < pair_count; i++) {
        if (eligible[i]) order[count++] = (tdb_link_keyed){ordered_bits(weights[i]), i};
    }
    qsort(order, count, sizeof *order, compare_by_weight);
    for (size_t k = 0; k < count; k++) {
        const tdb_link_pair *pair = &pairs[order[k].value];
        if (base_used[pair->base] || query_used[pair->query]) continue;
        base_used[pair->base] = query_used[pair->query] = true;
        chosen[order[k].value] = true;
        probabilities[order[k].value] = probability_of(weights[order[k].value]);
    }

cleanup:
    tdb_free(order);
    tdb_free(base_used);
    tdb_free(query_used);
    return status;
}

/* Return the name of the first rule whose bit is set in RULES. */
static const char *first_rule(uint32_t rules)
{
    for (int rule = 0; rule < TDB_LINK_RULES; rule++) {
        if (rules & (1u << rule)) return rule_names[rule];
    }
    return "?";
}

/* Build RESULT's matches from the chosen pairs, in (query, base) order. */
static tdb_status collect_matches(const tdb_link_side *base, const tdb_link_pair *pairs,
                                  size_t pair_count, const double *probabilities,
                                  const bool *chosen, tdb_link_result *result)
{
    size_t count = 0;
    for (size_t i = 0; i < pair_count; i++) count += chosen[i];
    result->matches = tdb_calloc(count, sizeof *result->matches);
    if (result->matches == NULL) return TDB_ERR_NOMEM;

    for (size_t i = 0; i < pair_count; i++) {
        if (!chosen[i]) continue;
        tdb_link_match *match = &result->matches[result->match_count++];
        match->query = pairs[i].query;
        match->base = pairs[i].base;
        match->rules = pairs[i].rules;
        match->rule = first_rule(pairs[i].rules);
        tdb_link_pattern_decode(pairs[i].pattern & ~TDB_LINK_PATTERN_EVIDENCE, match->levels);
        match->weight = tdb_link_weigh(&result->model, match->levels,
                                       base->entries[pairs[i].base].name_count,
                                       match->field_weights);
        match->probability = probabilities[i];
    }
    result->stats.links = result->match_count;
    return TDB_OK;
}

/* Evidence and threshold, then resolution. */
static tdb_status select_links(const tdb_link_config *config, const tdb_link_side *base,
                               const tdb_link_side *queries, const tdb_link_pair *pairs,
                               size_t pair_count, const double *weights, tdb_link_result *result)
{
    tdb_status status = TDB_OK;
    tdb_link_stats *stats = &result->stats;
    bool *evidence = tdb_calloc(pair_count, sizeof *evidence);
    bool *eligible = tdb_calloc(pair_count, sizeof *eligible);
    bool *chosen = tdb_calloc(pair_count, sizeof *chosen);
    double *probabilities = tdb_calloc(pair_count, sizeof *probabilities);
    TDB_FAIL_IF(!evidence || !eligible || !chosen || !probabilities, TDB_ERR_NOMEM);

    double minimum = weight_threshold(config->threshold);
    for (size_t i = 0; i < pair_count; i++) {
        evidence[i] = (pairs[i].pattern & TDB_LINK_PATTERN_EVIDENCE) != 0;
        if (weights[i] < minimum) continue;
        stats->pairs_above_threshold++;
        if (!evidence[i]) stats->rejected_without_evidence++;
        eligible[i] = evidence[i];
    }
    if (config->one_to_one) {
        TDB_FORWARD(resolve_one_to_one(pairs, pair_count, weights, eligible, base->count,
                                       queries->count, chosen, probabilities));
    } else {
        resolve_best_links(config, pairs, pair_count, weights, evidence, chosen, probabilities,
                           &stats->ambiguous_queries);
    }
    TDB_FORWARD(collect_matches(base, pairs, pair_count, probabilities, chosen, result));

cleanup:
    tdb_free(evidence);
    tdb_free(eligible);
    tdb_free(chosen);
    tdb_free(probabilities);
    return status;
}

/* Blocking, comparison, model and resolution over prepared sides. */
static tdb_status link_sides(const tdb_link_config *config, const tdb_link_side *base,
                             const tdb_link_side *queries, tdb_link_result *result)
{
    tdb_status status = TDB_OK;
    tdb_link_stats *stats = &result->stats;
    tdb_link_pair *pairs = NULL;
    size_t pair_count = 0;
    double *weights = NULL;
    size_t patterns = tdb_link_pattern_space();
    uint64_t *histograms = tdb_calloc(patterns * TDB_LINK_RULES, sizeof *histograms);
    uint64_t *rule_histograms[TDB_LINK_RULES];
    TDB_FAIL_IF(histograms == NULL, TDB_ERR_NOMEM);
    for (int rule = 0; rule < TDB_LINK_RULES; rule++)
        rule_histograms[rule] = histograms + patterns * (size_t)rule;

    double started = tdb_now();
    TDB_FORWARD(tdb_link_block(config, base, queries, &pairs, &pair_count, stats));
    stats->candidate_pairs = pair_count;
    stats->seconds_block = tdb_now() - started;

    started = tdb_now();
    compare_pairs(base, queries, pairs, pair_count, rule_histograms);
    stats->seconds_score = tdb_now() - started;

    started = tdb_now();
    result->model.base_count = base->count;
    TDB_FORWARD(tdb_link_estimate_u(config, base, queries, &result->model, &stats->sampled_pairs));
    stats->seconds_sample = tdb_now() - started;

    started = tdb_now();
    tdb_link_estimate_m(config, (const uint64_t *const *)rule_histograms, &result->model, stats);
    stats->seconds_model = tdb_now() - started;

    /* The prior depends on the weights of the pairs, so weigh them without it first. */
    started = tdb_now();
    weights = tdb_malloc((pair_count ? pair_count : 1) * sizeof *weights);
    TDB_FAIL_IF(weights == NULL, TDB_ERR_NOMEM);
    weigh_pairs(&result->model, base, pairs, pair_count, weights);
    stats->seconds_score += tdb_now() - started;

    started = tdb_now();
    TDB_FORWARD(tdb_link_estimate_prior(config, pairs, pair_count, weights, queries->count,
                                        &result->model, stats));
    for (size_t i = 0; i < pair_count; i++) weights[i] += result->model.prior_weight;
    stats->seconds_model += tdb_now() - started;

    started = tdb_now();
    TDB_FORWARD(select_links(config, base, queries, pairs, pair_count, weights, result));
    stats->seconds_resolve = tdb_now() - started;

cleanup:
    tdb_free(histograms);
    tdb_free(pairs);
    tdb_free(weights);
    return status;
}

static void log_stats(const tdb_link_stats *stats)
{
    for (int rule = 0; rule < TDB_LINK_RULES; rule++) {
        const tdb_link_rule_stats *rule_stats = &stats->rules[rule];
        TDB_LOG(TDB_LOG_DEBUG, _("linkage rule %s: %zu blocks, %zu pairs"), rule_names[rule],
                rule_stats->blocks, rule_stats->pairs);
        if (rule_stats->oversized_blocks > 0)
            TDB_LOG(TDB_LOG_WARN,
                    _("linkage rule %s: skipped %zu blocks larger than the maximum block size "
                      "(largest %zu records, %zu pairs not compared)"),
                    rule_names[rule], rule_stats->oversized_blocks, rule_stats->largest_oversized,
                    rule_stats->skipped_pairs);
    }
    TDB_LOG(TDB_LOG_INFO, _("linkage: %zu candidate pairs, %zu links"), stats->candidate_pairs,
            stats->links);
    if (stats->candidate_pairs > 0 && !stats->em_converged)
        TDB_LOG(TDB_LOG_WARN, _("linkage: EM did not converge in %d iterations; the weights "
                                "come from the last iteration"),
                stats->em_iterations);
}

tdb_status tdb_link_run(const tdb_link_config *config,
                        const tdb_link_record *base, size_t base_count,
                        const tdb_link_record *queries, size_t query_count,
                        tdb_link_result **result)
{
    tdb_status status = TDB_OK;
    tdb_link_side base_side = {0}, query_side = {0};
    tdb_link_result *run = NULL;
#ifdef _OPENMP
    int saved_threads = omp_get_max_threads();
#endif
    if (result == NULL) return TDB_ERR_INVALID;
    *result = NULL;
    if (config == NULL || !config_valid(config)) return TDB_ERR_INVALID;
    if ((base == NULL && base_count) || (queries == NULL && query_count)) return TDB_ERR_INVALID;
    if (base_count > UINT32_MAX - 1 || query_count > UINT32_MAX - 1) return TDB_ERR_INVALID;
#ifdef _OPENMP
    if (config->threads > 0) omp_set_num_threads(config->threads);
#endif

    run = tdb_calloc(1, sizeof *run);
    TDB_FAIL_IF(run == NULL, TDB_ERR_NOMEM);
    run->frequencies = tdb_calloc(1, sizeof *run->frequencies);
    TDB_FAIL_IF(run->frequencies == NULL, TDB_ERR_NOMEM);
    run->stats.threads = 1;
#ifdef _OPENMP
    run->stats.threads = omp_get_max_threads();
#endif

    double started = tdb_now();
    TDB_FORWARD(tdb_link_prepare_side(base, base_count, &base_side));
    TDB_FORWARD(tdb_link_prepare_side(queries, query_count, &query_side));
    TDB_FORWARD(tdb_link_count_values(&base_side, &query_side, config->generic_count,
                                      run->frequencies, run->stats.generic_values));
    run->stats.truncated_values = base_side.truncated_values + query_side.truncated_values;
    run->stats.seconds_prepare = tdb_now() - started;

    TDB_FORWARD(link_sides(config, &base_side, &query_side, run));
    log_stats(&run->stats);
    *result = run;
    run = NULL;

cleanup:
#ifdef _OPENMP
    omp_set_num_threads(saved_threads);
#endif
    tdb_link_side_free(&base_side);
    tdb_link_side_free(&query_side);
    tdb_link_result_free(run);
    return status;
}

tdb_status tdb_link_score_pair(const tdb_link_result *result, const tdb_link_record *query,
                               const tdb_link_record *base, tdb_link_explanation *out)
{
    tdb_status status = TDB_OK;
    tdb_link_side query_side = {0}, base_side = {0};
    if (result == NULL || query == NULL || base == NULL || out == NULL) return TDB_ERR_INVALID;
    memset(out, 0, sizeof *out);

    TDB_FORWARD(tdb_link_prepare_side(query, 1, &query_side));
    TDB_FORWARD(tdb_link_prepare_side(base, 1, &base_side));
    tdb_link_apply_frequencies(result->frequencies, &query_side.entries[0]);
    tdb_link_apply_frequencies(result->frequencies, &base_side.entries[0]);

    out->has_evidence = tdb_link_compare_entries(&query_side, &query_side.entries[0], &base_side,
                                                 &base_side.entries[0], out->levels);
    out->generic_fields = (uint32_t)(query_side.entries[0].generic | base_side.entries[0].generic);
    out->weight = tdb_link_weigh(&result->model, out->levels, base_side.entries[0].name_count,
                                 out->field_weights);
    out->probability = probability_of(out->weight);

cleanup:
    tdb_link_side_free(&query_side);
    tdb_link_side_free(&base_side);
    return status;
}

/* The quality stage driver. It indexes the links by the source row that carries
 * them and checks each ingest table in parallel into its own issue list. The lists
 * are then concatenated in table order, so issue numbering does not depend on the
 * thread count. */
#include "quality.h"

#include <string.h>

#include "log.h"

const tdb_link *tdb_quality_find_link(const tdb_quality_context *context, tdb_record_ref record,
                                      uint32_t seq)
{
    return tdb_find_link(context->state, record, seq);
}

tdb_entity_kind tdb_quality_entity_kind(tdb_kind kind)
{
    switch (kind) {
    case TDB_KIND_PERSON: return TDB_ENTITY_PERSON;
    case TDB_KIND_LEGAL_ENTITY: return TDB_ENTITY_LEGAL_ENTITY;
    case TDB_KIND_CERTIFICATE: return TDB_ENTITY_CERTIFICATE;
    case TDB_KIND_VEHICLE: return TDB_ENTITY_VEHICLE;
    case TDB_KIND_HOUSING: return TDB_ENTITY_HOUSING;
    default: return TDB_ENTITY_COUNT;
    }
}

/* Move the issues of PART to the end of ALL, rebasing their text offsets. */
static tdb_status append_issues(tdb_quality_issues *all, const tdb_quality_issues *part)
{
    tdb_status status = TDB_OK;
    uint32_t base = (uint32_t)all->arena.len;
    void *items = all->items;
    if (part->count == 0) return TDB_OK;
    TDB_FORWARD(tdb_grow(&items, &all->capacity, all->count + part->count, sizeof(tdb_quality_issue)));
    all->items = items;
    TDB_FORWARD(tdb_buf_append(&all->arena, part->arena.data, part->arena.len));
    for (size_t i = 0; i < part->count; i++) {
        tdb_quality_issue issue = part->items[i];
        issue.value_offset += base;
        issue.suggestion_offset += base;
        all->items[all->count++] = issue;
    }
cleanup:
    return status;
}

tdb_status tdb_quality_run(const tdb_build_state *state, tdb_quality_result *result)
{
    tdb_status status = TDB_OK;
    size_t table_count = state->ingest.table_count;
    tdb_quality_context context = {
        .state = state,
        .as_of_days = tdb_quality_days(state->as_of),
        .freshness_days = state->manifest->freshness_days > 0 ? state->manifest->freshness_days : 365,
    };
    tdb_quality_issues *parts = tdb_calloc(table_count ? table_count : 1, sizeof *parts);
    tdb_status *statuses = tdb_calloc(table_count ? table_count : 1, sizeof *statuses);
    result->counts = tdb_calloc(table_count ? table_count : 1, sizeof *result->counts);
    result->table_count = table_count;
    TDB_FAIL_IF(parts == NULL || statuses == NULL || result->counts == NULL, TDB_ERR_NOMEM);

    /* NOTE: one task per table, so a build with one large source uses one thread
     * here; splitting tables into fixed row chunks would spread it. */
    long tables = (long)table_count;
#pragma omp parallel for schedule(dynamic, 1) num_threads(state->threads)
    for (long t = 0; t < tables; t++)
        statuses[t] = tdb_quality_check_table(&context, (size_t)t, &parts[t], &result->counts[t]);

    for (size_t t = 0; t < table_count; t++) {
        TDB_FORWARD(statuses[t]);
        TDB_FORWARD(append_issues(&result->issues, &parts[t]));
    }
    TDB_LOG(TDB_LOG_INFO, _("quality: %zu issues"), result->issues.count);
cleanup:
    if (parts != NULL) {
        for (size_t t = 0; t < table_count; t++) tdb_quality_issues_free(&parts[t]);
    }
    tdb_free(parts);
    tdb_free(statuses);
    return status;
}

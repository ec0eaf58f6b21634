/* Writing the quality stage's result: quality_issue rows in issue order, and
 * quality_metric rows per source, field and dimension. For consistency,
 * normativity, completeness and accuracy, the field rows of a source add up to its
 * '*' row. Freshness and link rate are counted per record, so they exist only as
 * '*' rows. */
#include "quality.h"

#include <string.h>

static const char *issue_text(const tdb_quality_issues *issues, uint32_t offset)
{
    return issues->arena.data + offset;
}

static tdb_status write_issues(const tdb_build_state *state, const tdb_quality_issues *issues,
                               tdb_writer *writer)
{
    tdb_status status = TDB_OK;
    sqlite3_stmt *statement = NULL;
    TDB_FORWARD(tdb_writer_prepare(
        writer, "INSERT INTO quality_issue VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        &statement));
    for (size_t i = 0; i < issues->count; i++) {
        const tdb_quality_issue *issue = &issues->items[i];
        const tdb_table *table = &state->ingest.tables[issue->table];
        const tdb_source_config *config = &state->manifest->sources[table->source_index];
        const tdb_quality_rule *rule = tdb_quality_rule_at(issue->rule);

        sqlite3_bind_int64(statement, 1, (sqlite3_int64)i + 1);
        tdb_bind_cstr(statement, 2, config->name);
        sqlite3_bind_text(statement, 3, config->department, -1, SQLITE_STATIC);
        sqlite3_bind_int64(statement, 4, (sqlite3_int64)issue->table + 1);
        if (issue->line > 0)
            sqlite3_bind_int64(statement, 5, issue->line);
        else
            sqlite3_bind_null(statement, 5);
        if (issue->field >= 0)
            tdb_bind_cstr(statement, 6, tdb_kind_get(table->kind)->fields[issue->field]);
        else
            sqlite3_bind_null(statement, 6);
        tdb_bind_cstr(statement, 7, issue_text(issues, issue->value_offset));
        tdb_bind_cstr(statement, 8, rule->code);
        tdb_bind_cstr(statement, 9, tdb_severity_name((tdb_severity)issue->severity));
        tdb_bind_cstr(statement, 10, rule->message_zh);
        tdb_bind_cstr(statement, 11, rule->message_en);
        if (issue->has_suggestion)
            tdb_bind_cstr(statement, 12, issue_text(issues, issue->suggestion_offset));
        else
            sqlite3_bind_null(statement, 12);
        TDB_FORWARD(tdb_writer_insert(writer, statement));
    }
cleanup:
    sqlite3_finalize(statement);
    return status;
}

/* The programme's targets: 90 % for freshness and for the link rate. */
static bool dimension_target(tdb_dimension dimension, double *target)
{
    *target = 0.9;
    return dimension == TDB_DIMENSION_FRESHNESS || dimension == TDB_DIMENSION_LINK_RATE;
}

static tdb_status insert_metric(sqlite3_stmt *statement, tdb_writer *writer, const char *source,
                                const char *field, tdb_dimension dimension,
                                const tdb_quality_count *value)
{
    bool defined;
    double target;
    double rate = tdb_quality_rate(value->numerator, value->denominator, &defined);
    tdb_bind_cstr(statement, 1, source);
    tdb_bind_cstr(statement, 2, field);
    tdb_bind_cstr(statement, 3, tdb_dimension_name(dimension));
    sqlite3_bind_int64(statement, 4, (sqlite3_int64)value->numerator);
    sqlite3_bind_int64(statement, 5, (sqlite3_int64)value->denominator);
    if (defined)
        sqlite3_bind_double(statement, 6, rate);
    else
        sqlite3_bind_null(statement, 6);
    if (dimension_target(dimension, &target))
        sqlite3_bind_double(statement, 7, target);
    else
        sqlite3_bind_null(statement, 7);
    return tdb_writer_insert(writer, statement);
}

/* Add the counts of every table of SOURCE into SUM, and the field counts of the
 * field-level dimensions into its '*' row. */
static void sum_source(const tdb_build_state *state, const tdb_quality_result *result, size_t source,
                       tdb_quality_counts *sum)
{
    memset(sum, 0, sizeof *sum);
    for (size_t t = 0; t < result->table_count; t++) {
        if (state->ingest.tables[t].source_index != source) continue;
        for (size_t f = 0; f <= TDB_MAX_FIELDS; f++) {
            for (int d = 0; d < TDB_DIMENSION_COUNT; d++) {
                const tdb_quality_count *from = &result->counts[t].cells[f][d];
                tdb_quality_count *to = &sum->cells[f][d];
                to->measured |= from->measured;
                to->numerator += from->numerator;
                to->denominator += from->denominator;
                if (f == TDB_MAX_FIELDS || d > TDB_DIMENSION_ACCURACY || !from->measured) continue;
                tdb_quality_count *all = &sum->cells[TDB_MAX_FIELDS][d];
                all->measured = true;
                all->numerator += from->numerator;
                all->denominator += from->denominator;
            }
        }
    }
}

static tdb_status write_metrics(const tdb_build_state *state, const tdb_quality_result *result,
                                tdb_writer *writer)
{
    tdb_status status = TDB_OK;
    sqlite3_stmt *statement = NULL;
    TDB_FORWARD(tdb_writer_prepare(writer, "INSERT INTO quality_metric VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                                   &statement));
    for (size_t s = 0; s < state->manifest->source_count; s++) {
        const tdb_source_config *config = &state->manifest->sources[s];
        const tdb_kind_info *info = tdb_kind_get(config->kind);
        tdb_quality_counts sum;
        sum_source(state, result, s, &sum);
        for (size_t f = 0; f <= TDB_MAX_FIELDS; f++) {
            if (f < TDB_MAX_FIELDS && f >= info->field_count) continue;
            const char *field = f == TDB_MAX_FIELDS ? "*" : info->fields[f];
            for (int d = 0; d < TDB_DIMENSION_COUNT; d++) {
                if (!sum.cells[f][d].measured) continue;
                TDB_FORWARD(insert_metric(statement, writer, config->name, field, (tdb_dimension)d,
                                          &sum.cells[f][d]));
            }
        }
    }
cleanup:
    sqlite3_finalize(statement);
    return status;
}

tdb_status tdb_quality_write(const tdb_build_state *state, const tdb_quality_result *result,
                             tdb_writer *writer)
{
    tdb_status status = TDB_OK;
    TDB_FORWARD(write_issues(state, &result->issues, writer));
    TDB_FORWARD(write_metrics(state, result, writer));
cleanup:
    return status;
}

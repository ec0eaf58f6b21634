/* Loading the quality report from a theme database, and the report's labels in
 * English and Chinese. */
#define _POSIX_C_SOURCE 200809L
#include "report.h"

#include <string.h>

static const char *const labels[TDB_LABEL_COUNT][2] = {
    [TDB_LABEL_TITLE] = {"Data-quality report", "数据质量报告"},
    [TDB_LABEL_AS_OF] = {"as of", "基准日期"},
    [TDB_LABEL_METRICS] = {"Metrics per source", "各数据源质量指标"},
    [TDB_LABEL_METRICS_NOTE] = {"target 90 %; ! marks a rate below it",
                                "目标 90%；! 表示低于目标"},
    [TDB_LABEL_SOURCE] = {"source", "数据来源"},
    [TDB_LABEL_DEPARTMENT] = {"department", "责任部门"},
    [TDB_LABEL_RECORDS] = {"records", "记录数"},
    [TDB_LABEL_REJECTED] = {"rejected", "拒收"},
    [TDB_LABEL_PROBLEMS] = {"Largest problem classes", "主要问题类别"},
    [TDB_LABEL_PROBLEMS_NOTE] = {"work orders per rule", "按规则统计的问题工单数"},
    [TDB_LABEL_COUNT_COLUMN] = {"count", "数量"},
    [TDB_LABEL_SEVERITY] = {"severity", "严重程度"},
    [TDB_LABEL_RULE] = {"rule", "规则"},
    [TDB_LABEL_DESCRIPTION] = {"description", "说明"},
    [TDB_LABEL_LINK_RATES] = {"Link rates of department sources", "部门数据信息共享率"},
    [TDB_LABEL_BELOW_TARGET] = {"below target", "未达标"},
    [TDB_LABEL_MEETS_TARGET] = {"meets target", "达标"},
    [TDB_LABEL_NOT_MEASURED] = {"n/a", "无数据"},
    [TDB_LABEL_ISSUES_BY_SOURCE] = {"Work orders per source", "各数据源问题工单"},
    [TDB_LABEL_TOTAL_ISSUES] = {"work orders", "问题工单"},
    [TDB_LABEL_TARGET] = {"target", "目标"},
    [TDB_LABEL_NO_ISSUES] = {"No work orders.", "没有问题工单。"},
    [TDB_LABEL_GENERATED] = {"built", "生成时间"},
    [TDB_LABEL_EXPORT_HINT] = {"Export one department's work orders: themedb export theme.db "
                               "quality_issue --department NAME -o FILE.csv",
                               "导出某部门的问题工单：themedb export theme.db quality_issue "
                               "--department 部门名称 -o 文件.csv"},
    [TDB_LABEL_RULES] = {"Rules that found problems", "发现问题的规则"},
    [TDB_LABEL_ERRORS] = {"errors", "错误级工单"},
};

static const char *const dimension_labels[TDB_DIMENSION_COUNT][2] = {
    [TDB_DIMENSION_CONSISTENCY] = {"consistency", "一致性"},
    [TDB_DIMENSION_NORMATIVITY] = {"normativity", "规范性"},
    [TDB_DIMENSION_COMPLETENESS] = {"completeness", "完整性"},
    [TDB_DIMENSION_ACCURACY] = {"accuracy", "准确性"},
    [TDB_DIMENSION_FRESHNESS] = {"freshness", "鲜活率"},
    [TDB_DIMENSION_LINK_RATE] = {"link rate", "信息共享率"},
};

static const char *const severity_labels[TDB_SEVERITY_COUNT][2] = {
    [TDB_SEVERITY_ERROR] = {"error", "错误"},
    [TDB_SEVERITY_WARNING] = {"warning", "警告"},
    [TDB_SEVERITY_INFO] = {"info", "提示"},
};

const char *tdb_report_text_of(tdb_report_language language, tdb_report_label label)
{
    return labels[label][language == TDB_REPORT_ZH];
}

const char *tdb_report_dimension(tdb_report_language language, tdb_dimension dimension)
{
    return dimension_labels[dimension][language == TDB_REPORT_ZH];
}

tdb_severity tdb_report_severity_of(const char *severity)
{
    for (int s = 0; s < TDB_SEVERITY_COUNT; s++) {
        if (strcmp(severity, tdb_severity_name((tdb_severity)s)) == 0) return (tdb_severity)s;
    }
    return TDB_SEVERITY_INFO;
}

const char *tdb_report_severity(tdb_report_language language, const char *severity)
{
    return severity_labels[tdb_report_severity_of(severity)][language == TDB_REPORT_ZH];
}

static char *column_copy(sqlite3_stmt *statement, int column)
{
    const unsigned char *text = sqlite3_column_text(statement, column);
    return tdb_strdup(text ? (const char *)text : "");
}

static tdb_status prepare(sqlite3 *db, const char *sql, sqlite3_stmt **statement, tdb_buf *message)
{
    if (sqlite3_prepare_v2(db, sql, -1, statement, NULL) == SQLITE_OK) return TDB_OK;
    tdb_buf_printf(message, "%s", sqlite3_errmsg(db));
    return TDB_ERR_SQLITE;
}

static tdb_status load_build(sqlite3 *db, tdb_report *report, tdb_buf *message)
{
    tdb_status status = TDB_OK;
    sqlite3_stmt *statement = NULL;
    TDB_FORWARD(prepare(db, "SELECT name, as_of, version, finished_at FROM build_run ORDER BY run_id LIMIT 1",
                        &statement, message));
    if (sqlite3_step(statement) == SQLITE_ROW) {
        report->name = column_copy(statement, 0);
        report->as_of = column_copy(statement, 1);
        report->version = column_copy(statement, 2);
        report->finished_at = column_copy(statement, 3);
    } else {
        report->name = tdb_strdup("");
        report->as_of = tdb_strdup("");
        report->version = tdb_strdup("");
        report->finished_at = tdb_strdup("");
    }
    TDB_FAIL_IF(!report->name || !report->as_of || !report->version || !report->finished_at, TDB_ERR_NOMEM);
cleanup:
    sqlite3_finalize(statement);
    return status;
}

/* Sources that have metrics, with their row counts and issue counts by severity. */
static tdb_status load_sources(sqlite3 *db, tdb_report *report, tdb_buf *message)
{
    tdb_status status = TDB_OK;
    sqlite3_stmt *statement = NULL;
    size_t capacity = 0;
    TDB_FORWARD(prepare(db,
                        "SELECT f.source, f.department, f.kind, sum(f.rows_loaded), sum(f.rows_rejected), "
                        "  (SELECT count(*) FROM quality_issue q WHERE q.source = f.source AND severity = 'error'), "
                        "  (SELECT count(*) FROM quality_issue q WHERE q.source = f.source AND severity = 'warning'), "
                        "  (SELECT count(*) FROM quality_issue q WHERE q.source = f.source AND severity = 'info') "
                        "FROM source_file f WHERE f.source IN (SELECT source FROM quality_metric) "
                        "GROUP BY f.source ORDER BY min(f.source_file_id)",
                        &statement, message));
    while (sqlite3_step(statement) == SQLITE_ROW) {
        void *sources = report->sources;
        TDB_FORWARD(tdb_grow(&sources, &capacity, report->source_count + 1, sizeof(tdb_report_source)));
        report->sources = sources;
        tdb_report_source *source = &report->sources[report->source_count++];
        memset(source, 0, sizeof *source);
        source->name = column_copy(statement, 0);
        source->department = column_copy(statement, 1);
        source->kind = column_copy(statement, 2);
        TDB_FAIL_IF(!source->name || !source->department || !source->kind, TDB_ERR_NOMEM);
        source->rows_loaded = sqlite3_column_int64(statement, 3);
        source->rows_rejected = sqlite3_column_int64(statement, 4);
        for (int s = 0; s < TDB_SEVERITY_COUNT; s++) source->issues[s] = sqlite3_column_int64(statement, 5 + s);
    }
cleanup:
    sqlite3_finalize(statement);
    return status;
}

static tdb_report_source *find_source(tdb_report *report, const char *name)
{
    for (size_t i = 0; i < report->source_count; i++) {
        if (strcmp(report->sources[i].name, name) == 0) return &report->sources[i];
    }
    return NULL;
}

/* The '*' (whole-source) metrics of every source. */
static tdb_status load_metrics(sqlite3 *db, tdb_report *report, tdb_buf *message)
{
    tdb_status status = TDB_OK;
    sqlite3_stmt *statement = NULL;
    TDB_FORWARD(prepare(db,
                        "SELECT source, dimension, numerator, denominator, rate, target FROM quality_metric "
                        "WHERE field = '*'",
                        &statement, message));
    while (sqlite3_step(statement) == SQLITE_ROW) {
        tdb_report_source *source = find_source(report, (const char *)sqlite3_column_text(statement, 0));
        const char *dimension = (const char *)sqlite3_column_text(statement, 1);
        for (int d = 0; source != NULL && dimension != NULL && d < TDB_DIMENSION_COUNT; d++) {
            if (strcmp(dimension, tdb_dimension_name((tdb_dimension)d)) != 0) continue;
            tdb_report_metric *metric = &source->metrics[d];
            metric->present = true;
            metric->numerator = sqlite3_column_int64(statement, 2);
            metric->denominator = sqlite3_column_int64(statement, 3);
            metric->has_rate = sqlite3_column_type(statement, 4) != SQLITE_NULL;
            metric->rate = sqlite3_column_double(statement, 4);
            metric->has_target = sqlite3_column_type(statement, 5) != SQLITE_NULL;
            metric->target = sqlite3_column_double(statement, 5);
        }
    }
cleanup:
    sqlite3_finalize(statement);
    return status;
}

static tdb_status load_rules(sqlite3 *db, tdb_report *report, tdb_buf *message)
{
    tdb_status status = TDB_OK;
    sqlite3_stmt *statement = NULL;
    size_t capacity = 0;
    TDB_FORWARD(prepare(db,
                        "SELECT rule, severity, min(message_zh), min(message_en), count(*) FROM quality_issue "
                        "GROUP BY rule, severity ORDER BY count(*) DESC, rule, severity",
                        &statement, message));
    while (sqlite3_step(statement) == SQLITE_ROW) {
        void *rules = report->rules;
        TDB_FORWARD(tdb_grow(&rules, &capacity, report->rule_count + 1, sizeof(tdb_report_rule)));
        report->rules = rules;
        tdb_report_rule *rule = &report->rules[report->rule_count++];
        rule->code = column_copy(statement, 0);
        rule->severity = column_copy(statement, 1);
        rule->message_zh = column_copy(statement, 2);
        rule->message_en = column_copy(statement, 3);
        rule->count = sqlite3_column_int64(statement, 4);
        TDB_FAIL_IF(!rule->code || !rule->severity || !rule->message_zh || !rule->message_en, TDB_ERR_NOMEM);
        report->issue_total += rule->count;
    }
cleanup:
    sqlite3_finalize(statement);
    return status;
}

static tdb_report_rule *find_rule(tdb_report *report, const char *code, const char *severity)
{
    for (size_t i = 0; i < report->rule_count; i++) {
        tdb_report_rule *rule = &report->rules[i];
        if (strcmp(rule->code, code) == 0 && strcmp(rule->severity, severity) == 0) return rule;
    }
    return NULL;
}

/* Split each rule's count by source. */
static tdb_status load_rule_sources(sqlite3 *db, tdb_report *report, tdb_buf *message)
{
    tdb_status status = TDB_OK;
    sqlite3_stmt *statement = NULL;
    size_t slots = report->source_count ? report->source_count : 1;
    for (size_t i = 0; i < report->rule_count; i++) {
        report->rules[i].per_source = tdb_calloc(slots, sizeof(long long));
        TDB_FAIL_IF(report->rules[i].per_source == NULL, TDB_ERR_NOMEM);
    }
    TDB_FORWARD(prepare(db, "SELECT rule, severity, source, count(*) FROM quality_issue GROUP BY 1, 2, 3",
                        &statement, message));
    while (sqlite3_step(statement) == SQLITE_ROW) {
        const char *code = (const char *)sqlite3_column_text(statement, 0);
        const char *severity = (const char *)sqlite3_column_text(statement, 1);
        const char *name = (const char *)sqlite3_column_text(statement, 2);
        tdb_report_rule *rule = code && severity ? find_rule(report, code, severity) : NULL;
        tdb_report_source *source = name ? find_source(report, name) : NULL;
        if (rule != NULL && source != NULL)
            rule->per_source[source - report->sources] = sqlite3_column_int64(statement, 3);
    }
cleanup:
    sqlite3_finalize(statement);
    return status;
}

tdb_status tdb_report_load(sqlite3 *db, tdb_report *report, tdb_buf *message)
{
    tdb_status status = TDB_OK;
    TDB_FORWARD(load_build(db, report, message));
    TDB_FORWARD(load_sources(db, report, message));
    TDB_FORWARD(load_metrics(db, report, message));
    TDB_FORWARD(load_rules(db, report, message));
    TDB_FORWARD(load_rule_sources(db, report, message));
cleanup:
    return status;
}

void tdb_report_free(tdb_report *report)
{
    tdb_free(report->name);
    tdb_free(report->as_of);
    tdb_free(report->version);
    tdb_free(report->finished_at);
    for (size_t i = 0; i < report->source_count; i++) {
        tdb_free(report->sources[i].name);
        tdb_free(report->sources[i].department);
        tdb_free(report->sources[i].kind);
    }
    tdb_free(report->sources);
    for (size_t i = 0; i < report->rule_count; i++) {
        tdb_free(report->rules[i].code);
        tdb_free(report->rules[i].severity);
        tdb_free(report->rules[i].message_zh);
        tdb_free(report->rules[i].message_en);
        tdb_free(report->rules[i].per_source);
    }
    tdb_free(report->rules);
    memset(report, 0, sizeof *report);
}

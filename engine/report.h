/* The data-quality report: what the quality stage wrote into a theme database
 * (quality_metric, quality_issue, source_file, build_run), loaded once and printed
 * as a text summary or as one self-contained HTML page.
 *
 * The report is a document in one language, chosen by --lang or the locale. Its
 * labels therefore come from a two-language table here, not from the message
 * catalogue, just as each work order stores its message in both languages. */
#ifndef THEMEDB_REPORT_H
#define THEMEDB_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include <sqlite3.h>

#include "quality.h"
#include "util.h"

typedef enum tdb_report_language { TDB_REPORT_EN, TDB_REPORT_ZH } tdb_report_language;

typedef struct tdb_report_metric {
    bool present;                /* the source has this '*' metric */
    bool has_rate;               /* false when the denominator is 0 */
    bool has_target;
    double rate;
    double target;
    long long numerator;
    long long denominator;
} tdb_report_metric;

typedef struct tdb_report_source {
    char *name;
    char *department;
    char *kind;
    long long rows_loaded;
    long long rows_rejected;
    long long issues[TDB_SEVERITY_COUNT];
    tdb_report_metric metrics[TDB_DIMENSION_COUNT];
} tdb_report_source;

/* Issue count of one rule and severity, with the rule's messages. */
typedef struct tdb_report_rule {
    char *code;
    char *severity;
    char *message_zh;
    char *message_en;
    long long count;
    long long *per_source;       /* count per entry of tdb_report.sources */
} tdb_report_rule;

typedef struct tdb_report {
    char *name;                  /* build_run.name */
    char *as_of;
    char *version;
    char *finished_at;
    tdb_report_source *sources;  /* sources with metrics, in source_file order */
    size_t source_count;
    tdb_report_rule *rules;      /* by count, largest first */
    size_t rule_count;
    long long issue_total;
} tdb_report;

/* The threshold that the report marks rates against: the programme's 90 %. */
#define TDB_REPORT_TARGET 0.9

/* Load the report from the theme database DB. On failure MESSAGE receives the
 * SQLite error (such as a missing table in a file that is not a theme database). REPORT must be zeroed; free it with
 * tdb_report_free whatever the status. */
tdb_status tdb_report_load(sqlite3 *db, tdb_report *report, tdb_buf *message);

void tdb_report_free(tdb_report *report);

/* Label identifiers of the two-language table. */
typedef enum tdb_report_label {
    TDB_LABEL_TITLE,
    TDB_LABEL_AS_OF,
    TDB_LABEL_METRICS,
    TDB_LABEL_METRICS_NOTE,
    TDB_LABEL_SOURCE,
    TDB_LABEL_DEPARTMENT,
    TDB_LABEL_RECORDS,
    TDB_LABEL_REJECTED,
    TDB_LABEL_PROBLEMS,
    TDB_LABEL_PROBLEMS_NOTE,
    TDB_LABEL_COUNT_COLUMN,
    TDB_LABEL_SEVERITY,
    TDB_LABEL_RULE,
    TDB_LABEL_DESCRIPTION,
    TDB_LABEL_LINK_RATES,
    TDB_LABEL_BELOW_TARGET,
    TDB_LABEL_MEETS_TARGET,
    TDB_LABEL_NOT_MEASURED,
    TDB_LABEL_ISSUES_BY_SOURCE,
    TDB_LABEL_TOTAL_ISSUES,
    TDB_LABEL_TARGET,
    TDB_LABEL_NO_ISSUES,
    TDB_LABEL_GENERATED,
    TDB_LABEL_EXPORT_HINT,
    TDB_LABEL_RULES,
    TDB_LABEL_ERRORS,
    TDB_LABEL_COUNT
} tdb_report_label;

/* Return the text of LABEL in LANGUAGE. */
const char *tdb_report_text_of(tdb_report_language language, tdb_report_label label);

/* Return the name of DIMENSION or SEVERITY in LANGUAGE. */
const char *tdb_report_dimension(tdb_report_language language, tdb_dimension dimension);
const char *tdb_report_severity(tdb_report_language language, const char *severity);

/* Return the severity number of the name SEVERITY ("error", ...), INFO when unknown. */
tdb_severity tdb_report_severity_of(const char *severity);

/* Print the text summary or the HTML page to OUT. Return TDB_ERR_IO when writing
 * fails. */
tdb_status tdb_report_print_text(const tdb_report *report, tdb_report_language language, FILE *out);
tdb_status tdb_report_print_html(const tdb_report *report, tdb_report_language language, FILE *out);

#endif

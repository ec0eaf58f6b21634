/* The text summary of the quality report: each source's metrics against the 90 %
 * target, the largest problem classes, and the link rates of department sources.
 * Columns are padded by display width, so Chinese labels (two columns per
 * character) line up on a terminal. */
#include "report.h"

#include <string.h>

/* Return the display width of UTF-8 TEXT: two columns for East Asian wide
 * characters (CJK, full-width forms), one for the rest. */
static size_t display_width(const char *text)
{
    size_t length = strlen(text);
    size_t pos = 0;
    size_t width = 0;
    while (pos < length) {
        int32_t cp = tdb_utf8_next(text, length, &pos);
        bool wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
                    (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
                    (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
                    (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
        width += wide ? 2 : 1;
    }
    return width;
}

/* Print TEXT left-aligned (WIDTH > 0) or right-aligned (WIDTH < 0) in |WIDTH| columns. */
static void print_cell(FILE *out, const char *text, int width)
{
    size_t used = display_width(text);
    size_t wanted = (size_t)(width < 0 ? -width : width);
    size_t padding = used < wanted ? wanted - used : 0;
    if (width < 0) fprintf(out, "%*s", (int)padding, "");
    fputs(text, out);
    if (width > 0) fprintf(out, "%*s", (int)padding, "");
}

static void format_rate(const tdb_report_metric *metric, tdb_report_language language, char *text,
                        size_t size)
{
    if (!metric->present || !metric->has_rate)
        snprintf(text, size, "%s", tdb_report_text_of(language, TDB_LABEL_NOT_MEASURED));
    else
        snprintf(text, size, "%s%.1f%%", metric->rate < TDB_REPORT_TARGET ? "!" : "", metric->rate * 100.0);
}

static void print_metrics(const tdb_report *report, tdb_report_language language, FILE *out)
{
    fprintf(out, "%s (%s)\n", tdb_report_text_of(language, TDB_LABEL_METRICS),
            tdb_report_text_of(language, TDB_LABEL_METRICS_NOTE));
    print_cell(out, tdb_report_text_of(language, TDB_LABEL_SOURCE), 16);
    print_cell(out, tdb_report_text_of(language, TDB_LABEL_RECORDS), -9);
    for (int d = 0; d < TDB_DIMENSION_COUNT; d++) {
        fputs("  ", out);
        print_cell(out, tdb_report_dimension(language, (tdb_dimension)d), -12);
    }
    fputc('\n', out);
    for (size_t i = 0; i < report->source_count; i++) {
        const tdb_report_source *source = &report->sources[i];
        char number[32];
        snprintf(number, sizeof number, "%lld", source->rows_loaded);
        print_cell(out, source->name, 16);
        print_cell(out, number, -9);
        for (int d = 0; d < TDB_DIMENSION_COUNT; d++) {
            char rate[32];
            format_rate(&source->metrics[d], language, rate, sizeof rate);
            fputs("  ", out);
            print_cell(out, source->metrics[d].present ? rate : "-", -12);
        }
        fputc('\n', out);
    }
}

static void print_rules(const tdb_report *report, tdb_report_language language, FILE *out)
{
    fprintf(out, "\n%s (%lld %s)\n", tdb_report_text_of(language, TDB_LABEL_PROBLEMS), report->issue_total,
            tdb_report_text_of(language, TDB_LABEL_TOTAL_ISSUES));
    if (report->rule_count == 0) fprintf(out, "  %s\n", tdb_report_text_of(language, TDB_LABEL_NO_ISSUES));
    for (size_t i = 0; i < report->rule_count && i < 12; i++) {
        const tdb_report_rule *rule = &report->rules[i];
        char number[32];
        snprintf(number, sizeof number, "%lld", rule->count);
        print_cell(out, number, -8);
        fputs("  ", out);
        print_cell(out, tdb_report_severity(language, rule->severity), 9);
        print_cell(out, rule->code, 21);
        fprintf(out, "%s\n", language == TDB_REPORT_ZH ? rule->message_zh : rule->message_en);
    }
}

static void print_link_rates(const tdb_report *report, tdb_report_language language, FILE *out)
{
    fprintf(out, "\n%s\n", tdb_report_text_of(language, TDB_LABEL_LINK_RATES));
    for (size_t i = 0; i < report->source_count; i++) {
        const tdb_report_source *source = &report->sources[i];
        const tdb_report_metric *metric = &source->metrics[TDB_DIMENSION_LINK_RATE];
        if (!metric->present) continue;
        char rate[32];
        format_rate(metric, language, rate, sizeof rate);
        double target = metric->has_target ? metric->target : TDB_REPORT_TARGET;
        bool meets = metric->has_rate && metric->rate >= target;
        fputs("  ", out);
        print_cell(out, source->name, 16);
        print_cell(out, rate, -8);
        fprintf(out, "  (%lld / %lld)  %s\n", metric->numerator, metric->denominator,
                tdb_report_text_of(language, meets ? TDB_LABEL_MEETS_TARGET : TDB_LABEL_BELOW_TARGET));
    }
}

tdb_status tdb_report_print_text(const tdb_report *report, tdb_report_language language, FILE *out)
{
    fprintf(out, "%s: %s, %s %s (themedb %s)\n\n", tdb_report_text_of(language, TDB_LABEL_TITLE), report->name,
            tdb_report_text_of(language, TDB_LABEL_AS_OF), report->as_of, report->version);
    print_metrics(report, language, out);
    print_rules(report, language, out);
    print_link_rates(report, language, out);
    return ferror(out) ? TDB_ERR_IO : TDB_OK;
}

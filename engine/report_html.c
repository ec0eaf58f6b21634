/* The HTML quality report: one self-contained page (inline CSS, charts as inline
 * SVG, no scripts, no external fonts or resources) that can be mailed to a
 * department or opened offline. */
#include "report.h"

#include <string.h>

enum {
    BAR_LABEL_WIDTH = 96,        /* SVG user units */
    BAR_WIDTH = 240,
    BAR_HEIGHT = 16,
    BAR_GAP = 8,
    RULE_LABEL_WIDTH = 170,
    RULE_BAR_WIDTH = 420,
};

static const char *const severity_colors[TDB_SEVERITY_COUNT] = {"#c62828", "#ef8f00", "#5c7c99"};

static void put_escaped(FILE *out, const char *text)
{
    for (const char *c = text; *c != '\0'; c++) {
        switch (*c) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        default: fputc(*c, out); break;
        }
    }
}

static const char *label(tdb_report_language language, tdb_report_label label_id)
{
    return tdb_report_text_of(language, label_id);
}

static void print_head(const tdb_report *report, tdb_report_language language, FILE *out)
{
    fprintf(out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n",
            language == TDB_REPORT_ZH ? "zh-CN" : "en");
    fputs("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>", out);
    put_escaped(out, label(language, TDB_LABEL_TITLE));
    fputs(" – ", out);
    put_escaped(out, report->name);
    fputs("</title>\n<style>\n"
          "body{margin:0;background:#f4f6f8;color:#1f2933;font:15px/1.5 system-ui,-apple-system,"
          "\"Segoe UI\",\"Noto Sans CJK SC\",\"Microsoft YaHei\",\"PingFang SC\",\"WenQuanYi Micro Hei\",sans-serif}\n"
          "header{background:#17324d;color:#fff;padding:24px 40px}\n"
          "header h1{margin:0;font-size:26px;font-weight:600}\n"
          "header p{margin:4px 0 0;color:#c9d6e3}\n"
          "main{padding:24px 40px;max-width:1280px}\n"
          "h2{font-size:19px;margin:28px 0 12px;color:#17324d}\n"
          ".note{color:#52606d;font-size:13px;font-weight:400;margin-left:8px}\n"
          ".kpis{display:flex;gap:16px;flex-wrap:wrap}\n"
          ".kpi{background:#fff;border-radius:8px;padding:14px 20px;min-width:170px;"
          "box-shadow:0 1px 3px rgba(0,0,0,.08)}\n"
          ".kpi b{display:block;font-size:28px;font-weight:600}\n"
          ".kpi span{color:#52606d;font-size:13px}\n"
          ".good{color:#2e7d32}.bad{color:#c62828}\n"
          ".cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(400px,1fr));gap:16px}\n"
          ".card{background:#fff;border-radius:8px;padding:14px 18px;box-shadow:0 1px 3px rgba(0,0,0,.08)}\n"
          ".card h3{margin:0;font-size:16px}.card p{margin:2px 0 8px;color:#52606d;font-size:13px}\n"
          "svg text{font-size:12px;fill:#1f2933}\n"
          "table{border-collapse:collapse;background:#fff;border-radius:8px;overflow:hidden;"
          "box-shadow:0 1px 3px rgba(0,0,0,.08)}\n"
          "th,td{padding:7px 14px;text-align:left;border-bottom:1px solid #e4e7eb;font-size:14px}\n"
          "th{background:#e9eef3;white-space:nowrap}td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
          "th.n{text-align:right}td.zero{color:#b0b8c1}\n"
          ".message{color:#52606d;font-size:12px;max-width:460px}\n"
          ".legend span{display:inline-block;margin-right:16px;font-size:13px}\n"
          ".legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:5px}\n"
          "footer{padding:8px 40px 32px;color:#52606d;font-size:13px}\n"
          "code{background:#e9eef3;padding:2px 5px;border-radius:4px}\n"
          "</style>\n</head>\n<body>\n",
          out);
}

static void print_header(const tdb_report *report, tdb_report_language language, FILE *out)
{
    fputs("<header><h1>", out);
    put_escaped(out, label(language, TDB_LABEL_TITLE));
    fputs("</h1><p>", out);
    put_escaped(out, report->name);
    fputs(" · ", out);
    put_escaped(out, label(language, TDB_LABEL_AS_OF));
    fputc(' ', out);
    put_escaped(out, report->as_of);
    fputs(" · ", out);
    put_escaped(out, label(language, TDB_LABEL_GENERATED));
    fputc(' ', out);
    put_escaped(out, report->finished_at);
    fputs(" · themedb ", out);
    put_escaped(out, report->version);
    fputs("</p></header>\n<main>\n", out);
}

/* The rate of DIMENSION over all sources: the sum of numerators over the sum of
 * denominators. Returns false when no source measured it. */
static bool overall_rate(const tdb_report *report, tdb_dimension dimension, double *rate)
{
    long long numerator = 0;
    long long denominator = 0;
    for (size_t i = 0; i < report->source_count; i++) {
        const tdb_report_metric *metric = &report->sources[i].metrics[dimension];
        if (!metric->present) continue;
        numerator += metric->numerator;
        denominator += metric->denominator;
    }
    bool defined;
    *rate = tdb_quality_rate((uint64_t)numerator, (uint64_t)denominator, &defined);
    return defined;
}

static void print_kpi_rate(const tdb_report *report, tdb_report_language language, tdb_dimension dimension,
                           FILE *out)
{
    double rate;
    fputs("<div class=\"kpi\">", out);
    if (overall_rate(report, dimension, &rate))
        fprintf(out, "<b class=\"%s\">%.1f%%</b>", rate >= TDB_REPORT_TARGET ? "good" : "bad", rate * 100.0);
    else
        fprintf(out, "<b>%s</b>", label(language, TDB_LABEL_NOT_MEASURED));
    fputs("<span>", out);
    put_escaped(out, tdb_report_dimension(language, dimension));
    fprintf(out, " (%s 90%%)</span></div>\n", label(language, TDB_LABEL_TARGET));
}

static void print_kpis(const tdb_report *report, tdb_report_language language, FILE *out)
{
    long long errors = 0;
    for (size_t i = 0; i < report->source_count; i++) errors += report->sources[i].issues[TDB_SEVERITY_ERROR];
    fputs("<section class=\"kpis\">\n", out);
    fprintf(out, "<div class=\"kpi\"><b>%lld</b><span>", report->issue_total);
    put_escaped(out, label(language, TDB_LABEL_TOTAL_ISSUES));
    fprintf(out, "</span></div>\n<div class=\"kpi\"><b class=\"%s\">%lld</b><span>", errors ? "bad" : "good",
            errors);
    put_escaped(out, label(language, TDB_LABEL_ERRORS));
    fputs("</span></div>\n", out);
    print_kpi_rate(report, language, TDB_DIMENSION_LINK_RATE, out);
    print_kpi_rate(report, language, TDB_DIMENSION_FRESHNESS, out);
    fputs("</section>\n", out);
}

/* One bar of a source's metric chart, at row ROW. */
static void print_metric_bar(const tdb_report_metric *metric, const char *name, tdb_report_language language,
                             int row, FILE *out)
{
    int y = row * (BAR_HEIGHT + BAR_GAP);
    fprintf(out, "<text x=\"0\" y=\"%d\">", y + 12);
    put_escaped(out, name);
    fprintf(out, "</text><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"3\" fill=\"#e4e7eb\"/>",
            BAR_LABEL_WIDTH, y, BAR_WIDTH, BAR_HEIGHT);
    if (metric->present && metric->has_rate) {
        const char *color = metric->rate >= TDB_REPORT_TARGET ? "#2e7d32" : "#d84315";
        fprintf(out, "<rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" rx=\"3\" fill=\"%s\">",
                BAR_LABEL_WIDTH, y, metric->rate * BAR_WIDTH, BAR_HEIGHT, color);
        fprintf(out, "<title>%lld / %lld</title></rect>", metric->numerator, metric->denominator);
        fprintf(out, "<text x=\"%d\" y=\"%d\">%.1f%%</text>\n", BAR_LABEL_WIDTH + BAR_WIDTH + 8, y + 12,
                metric->rate * 100.0);
    } else {
        fprintf(out, "<text x=\"%d\" y=\"%d\" style=\"fill:#7b8794\">%s</text>\n", BAR_LABEL_WIDTH + BAR_WIDTH + 8,
                y + 12, metric->present ? label(language, TDB_LABEL_NOT_MEASURED) : "–");
    }
}

static void print_source_card(const tdb_report_source *source, tdb_report_language language, FILE *out)
{
    int height = TDB_DIMENSION_COUNT * (BAR_HEIGHT + BAR_GAP);
    int target_x = BAR_LABEL_WIDTH + (int)(TDB_REPORT_TARGET * BAR_WIDTH);
    fputs("<div class=\"card\"><h3>", out);
    put_escaped(out, source->name);
    fputs("</h3><p>", out);
    put_escaped(out, source->department);
    fprintf(out, " · %s %lld · %s %lld</p>\n", label(language, TDB_LABEL_RECORDS), source->rows_loaded,
            label(language, TDB_LABEL_REJECTED), source->rows_rejected);
    fprintf(out, "<svg class=\"chart metrics\" role=\"img\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n",
            BAR_LABEL_WIDTH + BAR_WIDTH + 56, height + 14, BAR_LABEL_WIDTH + BAR_WIDTH + 56, height + 14);
    for (int d = 0; d < TDB_DIMENSION_COUNT; d++)
        print_metric_bar(&source->metrics[d], tdb_report_dimension(language, (tdb_dimension)d), language, d, out);
    fprintf(out, "<line x1=\"%d\" y1=\"-2\" x2=\"%d\" y2=\"%d\" stroke=\"#17324d\" stroke-dasharray=\"3 3\"/>",
            target_x, target_x, height - BAR_GAP + 2);
    fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" style=\"font-size:10px\">90%%</text>\n</svg></div>\n",
            target_x, height + 10);
}

static void print_metrics(const tdb_report *report, tdb_report_language language, FILE *out)
{
    fputs("<h2>", out);
    put_escaped(out, label(language, TDB_LABEL_METRICS));
    fputs("<span class=\"note\">", out);
    put_escaped(out, label(language, TDB_LABEL_TARGET));
    fputs(" 90%</span></h2>\n<section class=\"cards\">\n", out);
    for (size_t i = 0; i < report->source_count; i++) print_source_card(&report->sources[i], language, out);
    fputs("</section>\n", out);
}

static void print_legend(tdb_report_language language, FILE *out)
{
    fputs("<p class=\"legend\">", out);
    for (int s = 0; s < TDB_SEVERITY_COUNT; s++) {
        fprintf(out, "<span><i style=\"background:%s\"></i>", severity_colors[s]);
        put_escaped(out, tdb_report_severity(language, tdb_severity_name((tdb_severity)s)));
        fputs("</span>", out);
    }
    fputs("</p>\n", out);
}

static void print_rules(const tdb_report *report, tdb_report_language language, FILE *out)
{
    size_t shown = report->rule_count < 20 ? report->rule_count : 20;
    long long largest = shown > 0 ? report->rules[0].count : 1;
    int row_height = BAR_HEIGHT + BAR_GAP;
    int width = RULE_LABEL_WIDTH + RULE_BAR_WIDTH + 70;

    fputs("<h2>", out);
    put_escaped(out, label(language, TDB_LABEL_PROBLEMS));
    fputs("<span class=\"note\">", out);
    put_escaped(out, label(language, TDB_LABEL_PROBLEMS_NOTE));
    fputs("</span></h2>\n", out);
    if (shown == 0) {
        fputs("<p>", out);
        put_escaped(out, label(language, TDB_LABEL_NO_ISSUES));
        fputs("</p>\n", out);
        return;
    }
    print_legend(language, out);
    fprintf(out, "<div class=\"card\"><svg class=\"chart rules\" role=\"img\" width=\"%d\" height=\"%d\" "
                 "viewBox=\"0 0 %d %d\">\n", width, (int)shown * row_height, width, (int)shown * row_height);
    for (size_t i = 0; i < shown; i++) {
        const tdb_report_rule *rule = &report->rules[i];
        int y = (int)i * row_height;
        double length = (double)rule->count / (double)largest * RULE_BAR_WIDTH;
        fprintf(out, "<text x=\"0\" y=\"%d\">", y + 12);
        put_escaped(out, rule->code);
        fprintf(out, "</text><rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" rx=\"3\" fill=\"%s\">"
                     "<title>", RULE_LABEL_WIDTH, y, length < 1 ? 1 : length, BAR_HEIGHT,
                severity_colors[tdb_report_severity_of(rule->severity)]);
        put_escaped(out, language == TDB_REPORT_ZH ? rule->message_zh : rule->message_en);
        fprintf(out, "</title></rect><text x=\"%.1f\" y=\"%d\">%lld</text>\n",
                RULE_LABEL_WIDTH + (length < 1 ? 1 : length) + 6, y + 12, rule->count);
    }
    fputs("</svg></div>\n", out);
}

/* Rules by source: which department gets how many work orders of each rule. */
static void print_rule_table(const tdb_report *report, tdb_report_language language, FILE *out)
{
    if (report->rule_count == 0) return;
    fprintf(out, "<h2>%s</h2>\n<table class=\"rules\">\n<tr><th>%s</th><th>%s</th><th>%s</th>",
            label(language, TDB_LABEL_RULES), label(language, TDB_LABEL_RULE), label(language, TDB_LABEL_SEVERITY),
            label(language, TDB_LABEL_COUNT_COLUMN));
    for (size_t s = 0; s < report->source_count; s++) {
        fputs("<th class=\"n\">", out);
        put_escaped(out, report->sources[s].name);
        fputs("</th>", out);
    }
    fputs("</tr>\n", out);
    for (size_t i = 0; i < report->rule_count; i++) {
        const tdb_report_rule *rule = &report->rules[i];
        fputs("<tr><td><code>", out);
        put_escaped(out, rule->code);
        fputs("</code><div class=\"message\">", out);
        put_escaped(out, language == TDB_REPORT_ZH ? rule->message_zh : rule->message_en);
        fputs("</div></td><td>", out);
        put_escaped(out, tdb_report_severity(language, rule->severity));
        fprintf(out, "</td><td class=\"n\"><b>%lld</b></td>", rule->count);
        for (size_t s = 0; s < report->source_count; s++) {
            long long count = rule->per_source ? rule->per_source[s] : 0;
            if (count > 0)
                fprintf(out, "<td class=\"n\">%lld</td>", count);
            else
                fputs("<td class=\"n zero\">·</td>", out);
        }
        fputs("</tr>\n", out);
    }
    fputs("</table>\n", out);
}

static void print_sources(const tdb_report *report, tdb_report_language language, FILE *out)
{
    fprintf(out, "<h2>%s</h2>\n<table>\n<tr><th>%s</th><th>%s</th><th>%s</th>", label(language, TDB_LABEL_ISSUES_BY_SOURCE),
            label(language, TDB_LABEL_SOURCE), label(language, TDB_LABEL_DEPARTMENT), label(language, TDB_LABEL_RECORDS));
    for (int s = 0; s < TDB_SEVERITY_COUNT; s++)
        fprintf(out, "<th>%s</th>", tdb_report_severity(language, tdb_severity_name((tdb_severity)s)));
    fputs("</tr>\n", out);
    for (size_t i = 0; i < report->source_count; i++) {
        const tdb_report_source *source = &report->sources[i];
        fputs("<tr><td>", out);
        put_escaped(out, source->name);
        fputs("</td><td>", out);
        put_escaped(out, source->department);
        fprintf(out, "</td><td class=\"n\">%lld</td>", source->rows_loaded);
        for (int s = 0; s < TDB_SEVERITY_COUNT; s++) fprintf(out, "<td class=\"n\">%lld</td>", source->issues[s]);
        fputs("</tr>\n", out);
    }
    fputs("</table>\n", out);
}

tdb_status tdb_report_print_html(const tdb_report *report, tdb_report_language language, FILE *out)
{
    print_head(report, language, out);
    print_header(report, language, out);
    print_kpis(report, language, out);
    print_metrics(report, language, out);
    print_rules(report, language, out);
    print_sources(report, language, out);
    print_rule_table(report, language, out);
    fputs("</main>\n<footer>", out);
    put_escaped(out, label(language, TDB_LABEL_EXPORT_HINT));
    fputs("</footer>\n</body>\n</html>\n", out);
    return ferror(out) ? TDB_ERR_IO : TDB_OK;
}

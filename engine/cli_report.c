/* `themedb report`: the data-quality report of a theme database, as a text summary
 * on standard output or as a self-contained HTML page. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "log.h"
#include "report.h"

static void print_report_help(FILE *out)
{
    fprintf(out, _("Usage: themedb report THEME.DB [OPTIONS]\n"
                   "\n"
                   "Print the data-quality report of a theme database: every source's metrics\n"
                   "against the 90 %% targets, the largest problem classes and the link rates.\n"
                   "\n"
                   "Options:\n"
                   "      --html FILE     also write the report as one self-contained HTML page\n"
                   "      --lang LANG     report language: zh or en (default: from the locale)\n"
                   "  -h, --help          show this help\n"));
}

static int write_html(const tdb_report *report, tdb_report_language language, const char *path)
{
    FILE *out = fopen(path, "w");
    if (out == NULL) {
        fprintf(stderr, _("themedb report: cannot create %s: %s\n"), path, strerror(errno));
        return 1;
    }
    tdb_status status = tdb_report_print_html(report, language, out);
    if (fclose(out) != 0) status = TDB_ERR_IO;
    if (status != TDB_OK) {
        fprintf(stderr, _("themedb report: cannot write %s: %s\n"), path, strerror(errno));
        return 1;
    }
    return 0;
}

int tdb_cmd_report(int argc, char **argv)
{
    static const struct option long_options[] = {
        {"html", required_argument, NULL, 'H'}, {"lang", required_argument, NULL, 'l'},
        {"help", no_argument, NULL, 'h'},       {NULL, 0, NULL, 0}};
    const char *html = NULL;
    tdb_report_language language = tdb_i18n_is_chinese() ? TDB_REPORT_ZH : TDB_REPORT_EN;
    int option;
    optind = 1;
    while ((option = getopt_long(argc, argv, "h", long_options, NULL)) != -1) {
        switch (option) {
        case 'H': html = optarg; break;
        case 'l':
            if (strcmp(optarg, "zh") == 0 || strcmp(optarg, "zh_CN") == 0) {
                language = TDB_REPORT_ZH;
            } else if (strcmp(optarg, "en") == 0) {
                language = TDB_REPORT_EN;
            } else {
                fprintf(stderr, _("themedb report: unknown language '%s': expected zh or en\n"), optarg);
                return 2;
            }
            break;
        case 'h': print_report_help(stdout); return 0;
        default: print_report_help(stderr); return 2;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, _("themedb report: expected exactly one theme database\n"));
        print_report_help(stderr);
        return 2;
    }

    const char *path = argv[optind];
    sqlite3 *db = NULL;
    tdb_report report = {0};
    tdb_buf message = {0};
    int result = 1;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        fprintf(stderr, _("themedb report: cannot open %s: %s\n"), path, sqlite3_errmsg(db));
        goto cleanup;
    }
    tdb_status status = tdb_report_load(db, &report, &message);
    if (status != TDB_OK) {
        fprintf(stderr, _("themedb report: %s is not a theme database with quality tables (%s)\n"), path,
                message.data ? message.data : tdb_status_str(status));
        goto cleanup;
    }
    result = tdb_report_print_text(&report, language, stdout) == TDB_OK ? 0 : 1;
    if (result == 0 && html != NULL) result = write_html(&report, language, html);
cleanup:
    tdb_report_free(&report);
    tdb_buf_free(&message);
    sqlite3_close(db);
    return result;
}

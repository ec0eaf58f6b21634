/* `themedb build` and `themedb summary`. */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "cli.h"
#include "log.h"
#include "manifest.h"
#include "themedb/build.h"

static void print_build_help(FILE *out)
{
    fprintf(out, _("Usage: themedb build MANIFEST [OPTIONS]\n"
                   "\n"
                   "Build a theme database from the sources that MANIFEST lists. The output is\n"
                   "written to a temporary file and renamed over the target at the end, so a\n"
                   "failed build leaves the previous database untouched.\n"
                   "\n"
                   "Options:\n"
                   "  -o, --output FILE   output database (default: [build] output, else theme.db\n"
                   "                      beside the manifest)\n"
                   "  -j, --threads N     worker threads, 0 for all cores (default: [build] threads,\n"
                   "                      else all cores)\n"
                   "      --as-of DATE    reference date YYYY-MM-DD for freshness and date checks\n"
                   "                      (default: [build] as_of, else today)\n"
                   "  -v, --verbose       also print debug messages\n"
                   "  -q, --quiet         print only warnings and errors\n"
                   "  -h, --help          show this help\n"));
}

int tdb_cmd_build(int argc, char **argv)
{
    static const struct option long_options[] = {
        {"output", required_argument, NULL, 'o'}, {"threads", required_argument, NULL, 'j'},
        {"as-of", required_argument, NULL, 'a'},  {"verbose", no_argument, NULL, 'v'},
        {"quiet", no_argument, NULL, 'q'},        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    tdb_build_options options = {0};
    int option;
    optind = 1;
    while ((option = getopt_long(argc, argv, "o:j:vqh", long_options, NULL)) != -1) {
        switch (option) {
        case 'o':
            options.output_path = optarg;
            break;
        case 'j': {
            char *end = NULL;
            long threads = strtol(optarg, &end, 10);
            if (end == optarg || *end != '\0' || threads < 0 || threads > 1024) {
                fprintf(stderr, _("themedb build: invalid thread count '%s': expected 0 (all cores) to 1024\n"), optarg);
                return 2;
            }
            options.threads = threads == 0 ? -1 : (int)threads;
            break;
        }
        case 'a':
            options.as_of = tdb_parse_date(optarg, strlen(optarg));
            if (options.as_of == 0) {
                fprintf(stderr, _("themedb build: invalid date '%s': expected YYYY-MM-DD\n"), optarg);
                return 2;
            }
            break;
        case 'v':
            tdb_log_set_level(TDB_LOG_DEBUG);
            break;
        case 'q':
            tdb_log_set_level(TDB_LOG_WARN);
            break;
        case 'h':
            print_build_help(stdout);
            return 0;
        default:
            print_build_help(stderr);
            return 2;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, _("themedb build: expected exactly one manifest file\n"));
        print_build_help(stderr);
        return 2;
    }
    options.manifest_path = argv[optind];
    return tdb_build(&options) == TDB_OK ? 0 : 1;
}

int tdb_cmd_summary(int argc, char **argv)
{
    static const char *const tables[] = {
        "source_file", "reject", "division", "address", "person", "legal_entity", "certificate",
        "vehicle", "housing", "housing_owner", "link", "quality_issue", "quality_metric"};
    if (argc != 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fprintf(argc == 2 ? stdout : stderr,
                _("Usage: themedb summary THEME.DB\n\nPrint the number of rows in each table.\n"));
        return argc == 2 ? 0 : 2;
    }
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        fprintf(stderr, _("themedb summary: cannot open %s: %s\n"), argv[1], sqlite3_errmsg(db));
        sqlite3_close(db);
        return 1;
    }
    int result = 0;
    sqlite3_stmt *probe = NULL;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM build_run", -1, &probe, NULL) != SQLITE_OK) {
        fprintf(stderr, _("themedb summary: %s is not a theme database (%s)\n"), argv[1], sqlite3_errmsg(db));
        sqlite3_finalize(probe);
        sqlite3_close(db);
        return 1;
    }
    sqlite3_finalize(probe);
    tdb_print_cell(stdout, _("table"), 16, false);
    putchar(' ');
    tdb_print_cell(stdout, _("rows"), 10, true);
    putchar('\n');
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        char sql[128];
        sqlite3_stmt *statement = NULL;
        snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", tables[i]);
        if (sqlite3_prepare_v2(db, sql, -1, &statement, NULL) != SQLITE_OK ||
            sqlite3_step(statement) != SQLITE_ROW) {
            fprintf(stderr, _("themedb summary: %s is not a theme database (%s)\n"), argv[1],
                    sqlite3_errmsg(db));
            sqlite3_finalize(statement);
            result = 1;
            break;
        }
        printf("%-16s %10lld\n", tables[i], (long long)sqlite3_column_int64(statement, 0));
        sqlite3_finalize(statement);
    }
    sqlite3_close(db);
    return result;
}

/* Command-line entry point: dispatches `themedb COMMAND ...` to the command modules. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "cli.h"
#include "log.h"

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary; /* translated at print time */
} command;

static const command commands[] = {
    {"build", tdb_cmd_build, N_("build theme.db from a manifest")},
    {"eval", tdb_cmd_eval, N_("measure links against a truth file: precision, recall, F1")},
    {"explain", tdb_cmd_explain, N_("show why a record is linked to its owner, or why not")},
    {"summary", tdb_cmd_summary, N_("print the row counts of a theme database")},
    {"version", tdb_cmd_version, N_("print the version")},
    {"check-id", tdb_cmd_check_id, N_("check ID numbers, credit codes, VINs, plates and other identifiers")},
    {"hash", tdb_cmd_hash, N_("print a content hash of every table of a theme database")},
    {"address", tdb_cmd_address, N_("normalize or compare Chinese addresses")},
    {"report", tdb_cmd_report, N_("print the data-quality report of a theme database, or write it as HTML")},
    {"export", tdb_cmd_export, N_("write a table of a theme database as CSV, such as one department's work orders")},
};

static void print_usage(FILE *out)
{
    fprintf(out, _("Usage: themedb COMMAND [OPTIONS] ...\n\nCommands:\n"));
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
    fprintf(out, _("\nRun 'themedb COMMAND --help' for the options of one command.\n"));
}

int tdb_cmd_version(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("themedb %s\n", TDB_VERSION);
    return 0;
}

int main(int argc, char **argv)
{
    tdb_i18n_init(argv[0]);
    /* SQLite's memory statistics take a global mutex on every allocation and free, and
     * themedb never reads them. The setting must precede the first use of SQLite. */
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);

    if (argc < 2) {
        print_usage(stderr);
        return 2;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
        print_usage(stdout);
        return 0;
    }
    if (strcmp(name, "--version") == 0) return tdb_cmd_version(argc - 1, argv + 1);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(name, commands[i].name) == 0) return commands[i].run(argc - 1, argv + 1);
    }
    fprintf(stderr, _("themedb: unknown command '%s'\n"), name);
    print_usage(stderr);
    return 2;
}

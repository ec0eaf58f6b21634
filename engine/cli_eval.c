/* `themedb eval`: precision, recall and F1 of the links in a theme database against
 * a truth file with the columns link_type, source, line, to_kind, to_key. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "cli.h"
#include "csv_reader.h"
#include "log.h"
#include "util.h"

static const char *const truth_columns[] = {"link_type", "source", "line", "to_kind", "to_key"};

static void print_eval_help(FILE *out)
{
    fprintf(out, _("Usage: themedb eval THEME.DB TRUTH.CSV\n"
                   "\n"
                   "Compare the links in THEME.DB with the correct links listed in TRUTH.CSV\n"
                   "(header: link_type,source,line,to_kind,to_key; line is where the department\n"
                   "record starts in its file) and print precision, recall and F1 per link type.\n"
                   "A truth link whose target is in no base table of THEME.DB cannot be found;\n"
                   "the column 'reachable' counts the others, and 'recall*' is measured on them.\n"));
}

/* Load the truth file into a temporary table of DB. */
static int load_truth(sqlite3 *db, const char *path)
{
    tdb_csv_options options = {0};
    tdb_csv_reader *reader = NULL;
    tdb_csv_record record;
    sqlite3_stmt *insert = NULL;
    int result = 1;

    if (tdb_csv_open(path, &options, &reader) != TDB_OK) {
        fprintf(stderr, _("themedb eval: cannot open %s\n"), path);
        return 1;
    }
    if (tdb_csv_next(reader, &record) != TDB_OK || record.field_count != 5) {
        fprintf(stderr, _("themedb eval: %s: expected the header link_type,source,line,to_kind,to_key\n"), path);
        goto cleanup;
    }
    for (size_t i = 0; i < 5; i++) {
        if (record.lengths[i] != strlen(truth_columns[i]) ||
            memcmp(record.fields[i], truth_columns[i], record.lengths[i]) != 0) {
            fprintf(stderr, _("themedb eval: %s: expected the header link_type,source,line,to_kind,to_key\n"), path);
            goto cleanup;
        }
    }
    sqlite3_exec(db, "CREATE TEMP TABLE truth (link_type TEXT, source TEXT, line INTEGER, to_kind TEXT, to_key TEXT)",
                 NULL, NULL, NULL);
    if (sqlite3_prepare_v2(db, "INSERT INTO temp.truth VALUES (?1, ?2, ?3, ?4, ?5)", -1, &insert, NULL) != SQLITE_OK)
        goto cleanup;
    tdb_status status;
    while ((status = tdb_csv_next(reader, &record)) == TDB_OK) {
        if (record.error != NULL || record.field_count != 5) {
            fprintf(stderr, _("themedb eval: %s:%ld: expected 5 fields; the line is skipped\n"), path, record.line);
            continue;
        }
        for (int i = 0; i < 5; i++)
            sqlite3_bind_text(insert, i + 1, record.fields[i], (int)record.lengths[i], SQLITE_TRANSIENT);
        sqlite3_step(insert);
        sqlite3_reset(insert);
    }
    if (status != TDB_ERR_NOT_FOUND) {
        fprintf(stderr, _("themedb eval: cannot read %s: %s\n"), path, tdb_csv_error_message(reader));
        goto cleanup;
    }
    /* Without an index, matching every link against the truth is quadratic: several
     * minutes for a county of 100,000 persons. */
    sqlite3_exec(db, "CREATE INDEX temp.truth_site ON truth (link_type, source, line, to_key)",
                 NULL, NULL, NULL);
    result = 0;
cleanup:
    sqlite3_finalize(insert);
    tdb_csv_close(reader);
    return result;
}

static const char eval_sql[] =
    "WITH got AS (SELECT l.link_type, f.source, l.source_line AS line, l.to_key"
    "             FROM link l JOIN source_file f USING (source_file_id)),"
    " base AS (SELECT id_number AS key FROM person UNION SELECT uscc FROM legal_entity),"
    " types AS (SELECT link_type FROM got UNION SELECT link_type FROM temp.truth),"
    " counts AS ("
    "  SELECT t.link_type,"
    "   (SELECT count(*) FROM got g WHERE g.link_type = t.link_type) AS found,"
    "   (SELECT count(*) FROM got g WHERE g.link_type = t.link_type AND EXISTS ("
    "      SELECT 1 FROM temp.truth r WHERE r.link_type = g.link_type AND r.source = g.source"
    "      AND r.line = g.line AND r.to_key = g.to_key)) AS correct,"
    "   (SELECT count(*) FROM temp.truth r WHERE r.link_type = t.link_type) AS expected,"
    "   (SELECT count(*) FROM temp.truth r WHERE r.link_type = t.link_type"
    "      AND r.to_key IN (SELECT key FROM base)) AS reachable"
    "  FROM types t)"
    " SELECT link_type, found, correct, expected, reachable FROM counts ORDER BY link_type";

static void print_row(const char *type, long found, long correct, long expected, long reachable)
{
    double precision = found ? (double)correct / (double)found : 0.0;
    double recall = expected ? (double)correct / (double)expected : 0.0;
    double reachable_recall = reachable ? (double)correct / (double)reachable : 0.0;
    double f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0;
    printf("%-20s %8ld %8ld %8ld %9ld %9.4f %9.4f %9.4f %9.4f\n", type, found, correct, expected,
           reachable, precision, recall, f1, reachable_recall);
}

int tdb_cmd_eval(int argc, char **argv)
{
    if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        print_eval_help(stdout);
        return 0;
    }
    if (argc != 3) {
        print_eval_help(stderr);
        return 2;
    }
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        fprintf(stderr, _("themedb eval: cannot open %s: %s\n"), argv[1], sqlite3_errmsg(db));
        sqlite3_close(db);
        return 1;
    }
    int result = load_truth(db, argv[2]);
    sqlite3_stmt *query = NULL;
    if (result == 0 && sqlite3_prepare_v2(db, eval_sql, -1, &query, NULL) != SQLITE_OK) {
        fprintf(stderr, _("themedb eval: %s is not a theme database (%s)\n"), argv[1], sqlite3_errmsg(db));
        result = 1;
    }
    if (result == 0) {
        long totals[4] = {0, 0, 0, 0};
        const char *headers[] = {_("found"), _("correct"), _("expected"), _("reachable"),
                                 _("precision"), _("recall"), "F1", _("recall*")};
        static const int widths[] = {8, 8, 8, 9, 9, 9, 9, 9};
        tdb_print_cell(stdout, _("link type"), 20, false);
        for (size_t i = 0; i < 8; i++) {
            putchar(' ');
            tdb_print_cell(stdout, headers[i], widths[i], true);
        }
        putchar('\n');
        while (sqlite3_step(query) == SQLITE_ROW) {
            long values[4];
            for (int i = 0; i < 4; i++) {
                values[i] = (long)sqlite3_column_int64(query, i + 1);
                totals[i] += values[i];
            }
            print_row((const char *)sqlite3_column_text(query, 0), values[0], values[1], values[2], values[3]);
        }
        print_row(_("all"), totals[0], totals[1], totals[2], totals[3]);
    }
    sqlite3_finalize(query);
    sqlite3_close(db);
    return result;
}

/* `themedb export`: one table or view of a theme database as CSV (RFC 4180: header
 * row, CRLF line ends, fields quoted when they contain a comma, quote, CR or LF), in
 * UTF-8 or GB18030. The table name is checked against sqlite_master and quoted; the
 * --department and --source filters are bound values; a --where expression runs on a
 * read-only connection whose authorizer allows reading and nothing else. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "cli.h"
#include "log.h"
#include "util.h"

typedef struct export_options {
    const char *database;
    const char *table;
    const char *output;
    const char *encoding;        /* NULL for UTF-8 */
    const char *where;
    const char *department;
    const char *source;
    const char *department_column; /* department, or 责任部门 in the Chinese views */
    const char *source_column;     /* source, or 数据来源 in the Chinese views */
} export_options;

static void print_export_help(FILE *out)
{
    fprintf(out, _("Usage: themedb export THEME.DB TABLE [OPTIONS]\n"
                   "\n"
                   "Write one table or view of a theme database as CSV (RFC 4180, header row,\n"
                   "CRLF line ends) to standard output.\n"
                   "\n"
                   "Options:\n"
                   "  -o, --output FILE       write to FILE instead of standard output\n"
                   "      --encoding NAME     output encoding: utf-8 (default) or gb18030\n"
                   "      --department NAME   only rows whose department column equals NAME\n"
                   "      --source NAME       only rows whose source column equals NAME\n"
                   "      --where EXPR        only rows for which the SQL expression EXPR is true,\n"
                   "                          such as \"severity = 'error'\"\n"
                   "  -h, --help              show this help\n"
                   "\n"
                   "Example: the work orders of one department, for Excel on Windows:\n"
                   "  themedb export theme.db quality_issue --department 县公安局 --encoding gb18030 -o orders.csv\n"));
}

/* Allow only what a SELECT needs: reading columns, and functions. */
static int read_only_authorizer(void *context, int action, const char *first, const char *second,
                                const char *database, const char *trigger)
{
    (void)context;
    (void)first;
    (void)second;
    (void)database;
    (void)trigger;
    return action == SQLITE_SELECT || action == SQLITE_READ || action == SQLITE_FUNCTION ? SQLITE_OK
                                                                                         : SQLITE_DENY;
}

/* Append the names of every table and view to LIST, comma-separated. */
static void list_tables(sqlite3 *db, tdb_buf *list)
{
    sqlite3_stmt *statement = NULL;
    if (sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
                               "AND name NOT LIKE 'sqlite_%' ORDER BY type, name",
                           -1, &statement, NULL) != SQLITE_OK)
        return;
    while (sqlite3_step(statement) == SQLITE_ROW) {
        if (list->len > 0) tdb_buf_append_str(list, ", ");
        tdb_buf_append_str(list, (const char *)sqlite3_column_text(statement, 0));
    }
    sqlite3_finalize(statement);
}

static bool table_exists(sqlite3 *db, const char *name)
{
    sqlite3_stmt *statement = NULL;
    bool found = false;
    if (sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = ?1",
                           -1, &statement, NULL) == SQLITE_OK) {
        sqlite3_bind_text(statement, 1, name, -1, SQLITE_STATIC);
        found = sqlite3_step(statement) == SQLITE_ROW;
    }
    sqlite3_finalize(statement);
    return found;
}

static bool column_exists(sqlite3 *db, const char *table, const char *column)
{
    sqlite3_stmt *statement = NULL;
    bool found = false;
    if (sqlite3_prepare_v2(db, "SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2", -1, &statement,
                           NULL) == SQLITE_OK) {
        sqlite3_bind_text(statement, 1, table, -1, SQLITE_STATIC);
        sqlite3_bind_text(statement, 2, column, -1, SQLITE_STATIC);
        found = sqlite3_step(statement) == SQLITE_ROW;
    }
    sqlite3_finalize(statement);
    return found;
}

/* Append NAME as a quoted SQL identifier. */
static tdb_status append_identifier(tdb_buf *sql, const char *name)
{
    tdb_status status = TDB_OK;
    TDB_FORWARD(tdb_buf_append_char(sql, '"'));
    for (const char *c = name; *c != '\0'; c++) {
        if (*c == '"') TDB_FORWARD(tdb_buf_append_char(sql, '"'));
        TDB_FORWARD(tdb_buf_append_char(sql, *c));
    }
    TDB_FORWARD(tdb_buf_append_char(sql, '"'));
cleanup:
    return status;
}

/* Build the SELECT, with ?1 for the department and ?2 for the source. */
static tdb_status build_query(const export_options *options, tdb_buf *sql)
{
    tdb_status status = TDB_OK;
    const char *joiner = " WHERE ";
    TDB_FORWARD(tdb_buf_append_str(sql, "SELECT * FROM "));
    TDB_FORWARD(append_identifier(sql, options->table));
    if (options->department != NULL) {
        TDB_FORWARD(tdb_buf_append_str(sql, joiner));
        TDB_FORWARD(append_identifier(sql, options->department_column));
        TDB_FORWARD(tdb_buf_append_str(sql, " = ?1"));
        joiner = " AND ";
    }
    if (options->source != NULL) {
        TDB_FORWARD(tdb_buf_append_str(sql, joiner));
        TDB_FORWARD(append_identifier(sql, options->source_column));
        TDB_FORWARD(tdb_buf_append_str(sql, " = ?2"));
        joiner = " AND ";
    }
    if (options->where != NULL) TDB_FORWARD(tdb_buf_printf(sql, "%s(%s\n)", joiner, options->where));
cleanup:
    return status;
}

/* Append one CSV field, quoted when it contains a comma, quote, CR or LF. */
static tdb_status append_field(tdb_buf *line, const char *text, size_t length)
{
    tdb_status status = TDB_OK;
    bool quote = false;
    for (size_t i = 0; i < length && !quote; i++)
        quote = text[i] == ',' || text[i] == '"' || text[i] == '\r' || text[i] == '\n';
    if (!quote) return tdb_buf_append(line, text, length);
    TDB_FORWARD(tdb_buf_append_char(line, '"'));
    for (size_t i = 0; i < length; i++) {
        if (text[i] == '"') TDB_FORWARD(tdb_buf_append_char(line, '"'));
        TDB_FORWARD(tdb_buf_append_char(line, text[i]));
    }
    TDB_FORWARD(tdb_buf_append_char(line, '"'));
cleanup:
    return status;
}

/* Write LINE to OUT, converted through CONVERTER when one is given. */
static bool write_line(FILE *out, iconv_t converter, const tdb_buf *line, tdb_buf *scratch)
{
    if (converter == (iconv_t)-1) return fwrite(line->data, 1, line->len, out) == line->len;
    tdb_buf_clear(scratch);
    scratch->len = 0;
    char *input = line->data;
    size_t input_left = line->len;
    while (input_left > 0) {
        char chunk[4096];
        char *output = chunk;
        size_t output_left = sizeof chunk;
        size_t result = iconv(converter, &input, &input_left, &output, &output_left);
        if (tdb_buf_append(scratch, chunk, sizeof chunk - output_left) != TDB_OK) return false;
        if (result == (size_t)-1 && errno != E2BIG) return false;
    }
    return fwrite(scratch->data, 1, scratch->len, out) == scratch->len;
}

static int write_rows(sqlite3_stmt *statement, FILE *out, iconv_t converter, long *rows)
{
    tdb_buf line = {0};
    tdb_buf scratch = {0};
    int columns = sqlite3_column_count(statement);
    int result = 0;
    int step = SQLITE_ROW;

    for (int row = -1; result == 0; row++) {
        if (row >= 0 && (step = sqlite3_step(statement)) != SQLITE_ROW) break;
        if (row >= 0) (*rows)++;
        tdb_buf_clear(&line);
        line.len = 0;
        for (int c = 0; c < columns; c++) {
            const char *text = row < 0 ? sqlite3_column_name(statement, c)
                                       : (const char *)sqlite3_column_text(statement, c);
            size_t length = row < 0 ? strlen(text) : (size_t)sqlite3_column_bytes(statement, c);
            if (c > 0) tdb_buf_append_char(&line, ',');
            if (append_field(&line, text ? text : "", text ? length : 0) != TDB_OK) result = 1;
        }
        if (tdb_buf_append_str(&line, "\r\n") != TDB_OK || !write_line(out, converter, &line, &scratch)) {
            fprintf(stderr, _("themedb export: cannot write or convert the output: %s\n"), strerror(errno));
            result = 1;
        }
    }
    if (result == 0 && step != SQLITE_DONE) {
        fprintf(stderr, _("themedb export: query failed: %s\n"),
                sqlite3_errmsg(sqlite3_db_handle(statement)));
        result = 1;
    }
    tdb_buf_free(&line);
    tdb_buf_free(&scratch);
    return result;
}

static int parse_export_options(int argc, char **argv, export_options *options)
{
    static const struct option long_options[] = {
        {"output", required_argument, NULL, 'o'},     {"encoding", required_argument, NULL, 'e'},
        {"where", required_argument, NULL, 'w'},      {"department", required_argument, NULL, 'd'},
        {"source", required_argument, NULL, 's'},     {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    int option;
    optind = 1;
    while ((option = getopt_long(argc, argv, "o:h", long_options, NULL)) != -1) {
        switch (option) {
        case 'o': options->output = optarg; break;
        case 'w': options->where = optarg; break;
        case 'd': options->department = optarg; break;
        case 's': options->source = optarg; break;
        case 'e':
            if (strcasecmp(optarg, "gb18030") == 0) {
                options->encoding = "GB18030";
            } else if (strcasecmp(optarg, "utf-8") != 0 && strcasecmp(optarg, "utf8") != 0) {
                fprintf(stderr, _("themedb export: unknown encoding '%s': expected utf-8 or gb18030\n"), optarg);
                return 2;
            }
            break;
        case 'h': print_export_help(stdout); return 0;
        default: print_export_help(stderr); return 2;
        }
    }
    if (optind != argc - 2) {
        fprintf(stderr, _("themedb export: expected a database and a table name\n"));
        print_export_help(stderr);
        return 2;
    }
    options->database = argv[optind];
    options->table = argv[optind + 1];
    return -1;
}

/* Check the table and filter columns; print what is wrong. */
static bool check_request(sqlite3 *db, export_options *options)
{
    if (!table_exists(db, options->table)) {
        tdb_buf list = {0};
        list_tables(db, &list);
        fprintf(stderr, _("themedb export: no table or view named '%s' in %s; valid names: %s\n"),
                options->table, options->database, list.data ? list.data : "");
        tdb_buf_free(&list);
        return false;
    }
    /* The Chinese views name the same columns in Chinese. */
    const char *names[2][2] = {{"department", "责任部门"}, {"source", "数据来源"}};
    const char *values[2] = {options->department, options->source};
    const char **columns[2] = {&options->department_column, &options->source_column};
    for (int i = 0; i < 2; i++) {
        if (values[i] == NULL) continue;
        if (column_exists(db, options->table, names[i][0]))
            *columns[i] = names[i][0];
        else if (column_exists(db, options->table, names[i][1]))
            *columns[i] = names[i][1];
        else {
            fprintf(stderr, _("themedb export: table '%s' has no column '%s' to filter on\n"), options->table,
                    names[i][0]);
            return false;
        }
    }
    return true;
}

static int run_export(sqlite3 *db, const export_options *options)
{
    tdb_buf sql = {0};
    sqlite3_stmt *statement = NULL;
    FILE *out = stdout;
    iconv_t converter = (iconv_t)-1;
    const char *tail = NULL;
    int result = 1;

    if (build_query(options, &sql) != TDB_OK) goto cleanup;
    sqlite3_set_authorizer(db, read_only_authorizer, NULL);
    if (sqlite3_prepare_v2(db, sql.data, -1, &statement, &tail) != SQLITE_OK || statement == NULL ||
        (tail != NULL && tail[strspn(tail, " \t\r\n")] != '\0')) {
        fprintf(stderr, _("themedb export: invalid --where expression: %s\n"),
                statement ? _("more than one statement") : sqlite3_errmsg(db));
        goto cleanup;
    }
    if (options->department) sqlite3_bind_text(statement, 1, options->department, -1, SQLITE_STATIC);
    if (options->source) sqlite3_bind_text(statement, 2, options->source, -1, SQLITE_STATIC);

    if (options->encoding != NULL) {
        converter = iconv_open(options->encoding, "UTF-8");
        if (converter == (iconv_t)-1) {
            fprintf(stderr, _("themedb export: this system cannot convert to %s\n"), options->encoding);
            goto cleanup;
        }
    }
    if (options->output != NULL && (out = fopen(options->output, "wb")) == NULL) {
        fprintf(stderr, _("themedb export: cannot create %s: %s\n"), options->output, strerror(errno));
        out = stdout;
        goto cleanup;
    }
    long rows = 0;
    result = write_rows(statement, out, converter, &rows);
    if (result == 0 && rows == 0 && (options->department != NULL || options->source != NULL))
        fprintf(stderr, _("themedb export: no row matches the filter; check the department or source name (see themedb report for the names)\n"));
    if (fflush(out) != 0) result = 1;
cleanup:
    if (out != stdout && fclose(out) != 0) result = 1;
    if (converter != (iconv_t)-1) iconv_close(converter);
    sqlite3_finalize(statement);
    tdb_buf_free(&sql);
    return result;
}

int tdb_cmd_export(int argc, char **argv)
{
    export_options options = {0};
    int parsed = parse_export_options(argc, argv, &options);
    if (parsed >= 0) return parsed;

    sqlite3 *db = NULL;
    if (sqlite3_open_v2(options.database, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        fprintf(stderr, _("themedb export: cannot open %s: %s\n"), options.database, sqlite3_errmsg(db));
        sqlite3_close(db);
        return 1;
    }
    int result = check_request(db, &options) ? run_export(db, &options) : 1;
    sqlite3_close(db);
    return result;
}

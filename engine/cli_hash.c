/* `themedb hash`: a content hash of a theme database that does not depend on its
 * physical layout (page size, row order on disk, indexes, ANALYZE statistics).
 *
 * Each table's rows are read sorted by all of their columns, so two databases with the
 * same rows in a different insertion order hash the same. Every value is hashed with
 * its SQLite storage class: the class byte, then an INTEGER or REAL as 8 bytes in
 * little-endian order, a TEXT or BLOB as its 8-byte length and its bytes. build_run is
 * left out because it records the run itself (times, thread count), and so are
 * SQLite's own sqlite_* tables. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "cli.h"
#include "log.h"
#include "util.h"

typedef struct table_hash {
    char *name;
    uint64_t rows;
    uint64_t hash;
} table_hash;

static void print_hash_help(FILE *out)
{
    fprintf(out, _("Usage: themedb hash THEME.DB\n"
                   "\n"
                   "Print a content hash of every table of a theme database: one line per table\n"
                   "with its name, row count and hash, then a line 'total' with the sum of the\n"
                   "row counts and a hash over all tables. Rows are hashed in the order of their\n"
                   "sorted values, with the type of each value, so the hash depends on the table\n"
                   "contents only, not on how SQLite stored them. The build_run table is left\n"
                   "out because it records the run itself (times, thread count), so two builds of\n"
                   "the same inputs print the same hashes.\n"
                   "\n"
                   "Options:\n"
                   "  -h, --help          show this help\n"));
}

static void hash_u64(XXH3_state_t *state, uint64_t value)
{
    unsigned char bytes[8];
    for (int i = 0; i < 8; i++) bytes[i] = (unsigned char)(value >> (8 * i));
    XXH3_64bits_update(state, bytes, sizeof bytes);
}

static void hash_value(XXH3_state_t *state, sqlite3_stmt *statement, int column)
{
    int type = sqlite3_column_type(statement, column);
    unsigned char tag = (unsigned char)type;
    XXH3_64bits_update(state, &tag, 1);
    switch (type) {
    case SQLITE_INTEGER:
        hash_u64(state, (uint64_t)sqlite3_column_int64(statement, column));
        break;
    case SQLITE_FLOAT: {
        double number = sqlite3_column_double(statement, column);
        uint64_t bits;
        memcpy(&bits, &number, sizeof bits);
        hash_u64(state, bits);
        break;
    }
    case SQLITE_TEXT:
    case SQLITE_BLOB: {
        const void *bytes = type == SQLITE_TEXT ? (const void *)sqlite3_column_text(statement, column)
                                                : sqlite3_column_blob(statement, column);
        int length = sqlite3_column_bytes(statement, column);
        hash_u64(state, (uint64_t)length);
        if (length > 0) XXH3_64bits_update(state, bytes, (size_t)length);
        break;
    }
    default: /* NULL: the tag alone */
        break;
    }
}

/* Build "SELECT * FROM "NAME" ORDER BY 1, 2, ..., COLUMNS". */
static tdb_status sorted_select(tdb_buf *sql, const char *name, int columns)
{
    tdb_status status = TDB_OK;
    tdb_buf_clear(sql);
    TDB_FORWARD(tdb_buf_append_str(sql, "SELECT * FROM \""));
    for (const char *c = name; *c != '\0'; c++) {
        if (*c == '"') TDB_FORWARD(tdb_buf_append_char(sql, '"'));
        TDB_FORWARD(tdb_buf_append_char(sql, *c));
    }
    TDB_FORWARD(tdb_buf_append_str(sql, "\" ORDER BY "));
    for (int i = 1; i <= columns; i++) TDB_FORWARD(tdb_buf_printf(sql, "%s%d", i > 1 ? ", " : "", i));
cleanup:
    return status;
}

static int count_columns(sqlite3 *db, const char *name)
{
    sqlite3_stmt *statement = NULL;
    int columns = 0;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM pragma_table_info(?1)", -1, &statement, NULL) ==
        SQLITE_OK) {
        sqlite3_bind_text(statement, 1, name, -1, SQLITE_STATIC);
        if (sqlite3_step(statement) == SQLITE_ROW) columns = sqlite3_column_int(statement, 0);
    }
    sqlite3_finalize(statement);
    return columns;
}

/* Hash the rows of table NAME into RESULT. Returns TDB_ERR_SQLITE when a statement
 * fails, and then sqlite3_errmsg(DB) describes the failure. */
static tdb_status hash_table(sqlite3 *db, const char *name, table_hash *result)
{
    tdb_status status = TDB_OK;
    tdb_buf sql = {0};
    sqlite3_stmt *statement = NULL;
    XXH3_state_t state;
    XXH3_64bits_reset(&state);

    int columns = count_columns(db, name);
    TDB_FAIL_IF(columns <= 0, TDB_ERR_SQLITE);
    TDB_FORWARD(sorted_select(&sql, name, columns));
    TDB_FAIL_IF(sqlite3_prepare_v2(db, sql.data, -1, &statement, NULL) != SQLITE_OK, TDB_ERR_SQLITE);

    int step;
    result->rows = 0;
    while ((step = sqlite3_step(statement)) == SQLITE_ROW) {
        for (int column = 0; column < columns; column++) hash_value(&state, statement, column);
        result->rows++;
    }
    TDB_FAIL_IF(step != SQLITE_DONE, TDB_ERR_SQLITE);
    result->hash = XXH3_64bits_digest(&state);
cleanup:
    sqlite3_finalize(statement);
    tdb_buf_free(&sql);
    return status;
}

/* List the user tables except build_run, sorted by name. */
static tdb_status list_tables(sqlite3 *db, table_hash **tables, size_t *count)
{
    tdb_status status = TDB_OK;
    sqlite3_stmt *statement = NULL;
    size_t capacity = 0;
    *tables = NULL;
    *count = 0;

    TDB_FAIL_IF(sqlite3_prepare_v2(db,
                                   "SELECT name FROM sqlite_schema WHERE type = 'table' "
                                   "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
                                   "AND name != 'build_run' ORDER BY name",
                                   -1, &statement, NULL) != SQLITE_OK,
                TDB_ERR_SQLITE);
    int step;
    while ((step = sqlite3_step(statement)) == SQLITE_ROW) {
        void *array = *tables;
        TDB_FORWARD(tdb_grow(&array, &capacity, *count + 1, sizeof(table_hash)));
        *tables = array;
        table_hash *entry = &(*tables)[*count];
        memset(entry, 0, sizeof *entry);
        entry->name = tdb_strdup((const char *)sqlite3_column_text(statement, 0));
        TDB_FAIL_IF(entry->name == NULL, TDB_ERR_NOMEM);
        (*count)++;
    }
    TDB_FAIL_IF(step != SQLITE_DONE, TDB_ERR_SQLITE);
cleanup:
    sqlite3_finalize(statement);
    return status;
}

/* Print one line per table and the total line. The total hash covers every table's
 * name, row count and hash in name order. */
static tdb_status print_hashes(sqlite3 *db, const char *path)
{
    tdb_status status = TDB_OK;
    table_hash *tables = NULL;
    size_t count = 0;
    uint64_t total_rows = 0;
    XXH3_state_t total;
    XXH3_64bits_reset(&total);

    status = list_tables(db, &tables, &count);
    if (status == TDB_OK && count == 0) {
        fprintf(stderr, _("themedb hash: %s has no tables\n"), path);
        status = TDB_ERR_NOT_FOUND;
    }
    for (size_t i = 0; status == TDB_OK && i < count; i++) {
        status = hash_table(db, tables[i].name, &tables[i]);
        if (status != TDB_OK) break;
        printf("%-16s %10llu %016llx\n", tables[i].name, (unsigned long long)tables[i].rows,
               (unsigned long long)tables[i].hash);
        XXH3_64bits_update(&total, tables[i].name, strlen(tables[i].name) + 1);
        hash_u64(&total, tables[i].rows);
        hash_u64(&total, tables[i].hash);
        total_rows += tables[i].rows;
    }
    if (status == TDB_OK)
        printf("%-16s %10llu %016llx\n", "total", (unsigned long long)total_rows,
               (unsigned long long)XXH3_64bits_digest(&total));
    else if (status == TDB_ERR_SQLITE)
        fprintf(stderr, _("themedb hash: cannot read %s: %s\n"), path, sqlite3_errmsg(db));
    else if (status == TDB_ERR_NOMEM)
        fprintf(stderr, _("themedb hash: out of memory\n"));

    for (size_t i = 0; i < count; i++) tdb_free(tables[i].name);
    tdb_free(tables);
    return status;
}

int tdb_cmd_hash(int argc, char **argv)
{
    if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        print_hash_help(stdout);
        return 0;
    }
    if (argc != 2 || argv[1][0] == '-') {
        print_hash_help(stderr);
        return 2;
    }
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        fprintf(stderr, _("themedb hash: cannot open %s: %s\n"), argv[1],
                db ? sqlite3_errmsg(db) : _("out of memory"));
        sqlite3_close(db);
        return 1;
    }
    tdb_status status = print_hashes(db, argv[1]);
    sqlite3_close(db);
    return status == TDB_OK ? 0 : 1;
}

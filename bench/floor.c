/* bench-floor: the SQLite floor of a build. It reads every row of a theme database
 * that `themedb build` wrote and keeps them in memory. Then it times writing exactly
 * those rows, indexes and views into a new SQLite file with the build's settings:
 * 32 KiB pages, journal and synchronous off, exclusive locking, one transaction,
 * prepared statements, indexes after the load, ANALYZE and fsync. No build can write
 * its output faster, so build time / floor time shows what the other stages cost.
 *
 * Usage: bench-floor THEME_DB SCRATCH_DB
 * Prints one line: floor_seconds=… insert_seconds=… index_seconds=… rows=… */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

enum { VALUE_NULL, VALUE_INTEGER, VALUE_FLOAT, VALUE_TEXT, VALUE_BLOB };

typedef struct table_rows {
    char *name;
    char *create_sql;
    int column_count;
    size_t row_count;
    tdb_buf values; /* per value: a type byte, then 8 bytes or a 4-byte length and bytes */
} table_rows;

typedef struct snapshot {
    table_rows *tables;
    size_t table_count;
    tdb_buf after_load_sql; /* indexes and views, each statement ending with ';' */
    size_t total_rows;
} snapshot;

static tdb_status append_value(tdb_buf *values, sqlite3_stmt *statement, int column)
{
    tdb_status status = TDB_OK;
    int type = sqlite3_column_type(statement, column);
    if (type == SQLITE_INTEGER) {
        int64_t integer = sqlite3_column_int64(statement, column);
        TDB_FORWARD(tdb_buf_append_char(values, VALUE_INTEGER));
        TDB_FORWARD(tdb_buf_append(values, &integer, sizeof integer));
    } else if (type == SQLITE_FLOAT) {
        double real = sqlite3_column_double(statement, column);
        TDB_FORWARD(tdb_buf_append_char(values, VALUE_FLOAT));
        TDB_FORWARD(tdb_buf_append(values, &real, sizeof real));
    } else if (type == SQLITE_TEXT || type == SQLITE_BLOB) {
        const void *bytes = type == SQLITE_TEXT ? (const void *)sqlite3_column_text(statement, column)
                                                : sqlite3_column_blob(statement, column);
        uint32_t length = (uint32_t)sqlite3_column_bytes(statement, column);
        TDB_FORWARD(tdb_buf_append_char(values, type == SQLITE_TEXT ? VALUE_TEXT : VALUE_BLOB));
        TDB_FORWARD(tdb_buf_append(values, &length, sizeof length));
        if (length > 0) TDB_FORWARD(tdb_buf_append(values, bytes, length));
    } else {
        TDB_FORWARD(tdb_buf_append_char(values, VALUE_NULL));
    }
cleanup:
    return status;
}

static tdb_status read_table(sqlite3 *db, table_rows *table)
{
    tdb_status status = TDB_OK;
    sqlite3_stmt *statement = NULL;
    tdb_buf sql = {0};
    TDB_FORWARD(tdb_buf_printf(&sql, "SELECT * FROM \"%s\"", table->name));
    TDB_FAIL_IF(sqlite3_prepare_v2(db, sql.data, -1, &statement, NULL) != SQLITE_OK, TDB_ERR_SQLITE);
    table->column_count = sqlite3_column_count(statement);
    int result;
    while ((result = sqlite3_step(statement)) == SQLITE_ROW) {
        for (int column = 0; column < table->column_count; column++)
            TDB_FORWARD(append_value(&table->values, statement, column));
        table->row_count++;
    }
    TDB_FAIL_IF(result != SQLITE_DONE, TDB_ERR_SQLITE);
cleanup:
    sqlite3_finalize(statement);
    tdb_buf_free(&sql);
    return status;
}

/* Read the schema and every row of PATH into SNAPSHOT. */
static tdb_status read_snapshot(const char *path, snapshot *snap)
{
    tdb_status status = TDB_OK;
    sqlite3 *db = NULL;
    sqlite3_stmt *statement = NULL;
    size_t capacity = 0;
    TDB_FAIL_IF(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK, TDB_ERR_NOT_FOUND);

    /* Tables in creation order; sqlite_stat1 is written by ANALYZE, not by the load. */
    TDB_FAIL_IF(sqlite3_prepare_v2(db, "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL "
                                       "AND name NOT LIKE 'sqlite_%' ORDER BY rowid", -1, &statement, NULL) != SQLITE_OK,
                TDB_ERR_SQLITE);
    while (sqlite3_step(statement) == SQLITE_ROW) {
        const char *type = (const char *)sqlite3_column_text(statement, 0);
        const char *sql = (const char *)sqlite3_column_text(statement, 2);
        if (strcmp(type, "table") != 0) {
            TDB_FORWARD(tdb_buf_append_str(&snap->after_load_sql, sql));
            TDB_FORWARD(tdb_buf_append_str(&snap->after_load_sql, ";\n"));
            continue;
        }
        void *array = snap->tables;
        TDB_FORWARD(tdb_grow(&array, &capacity, snap->table_count + 1, sizeof *snap->tables));
        snap->tables = array;
        table_rows *table = &snap->tables[snap->table_count++];
        memset(table, 0, sizeof *table);
        table->name = tdb_strdup((const char *)sqlite3_column_text(statement, 1));
        table->create_sql = tdb_strdup(sql);
        TDB_FAIL_IF(!table->name || !table->create_sql, TDB_ERR_NOMEM);
    }
    for (size_t i = 0; i < snap->table_count; i++) {
        TDB_FORWARD(read_table(db, &snap->tables[i]));
        snap->total_rows += snap->tables[i].row_count;
    }
cleanup:
    if (status == TDB_ERR_SQLITE && db) fprintf(stderr, "bench-floor: reading %s: %s\n", path, sqlite3_errmsg(db));
    sqlite3_finalize(statement);
    sqlite3_close(db);
    return status;
}

static const unsigned char *bind_value(sqlite3_stmt *statement, int index, const unsigned char *cursor)
{
    unsigned char type = *cursor++;
    if (type == VALUE_INTEGER || type == VALUE_FLOAT) {
        int64_t integer;
        double real;
        if (type == VALUE_INTEGER) {
            memcpy(&integer, cursor, sizeof integer);
            sqlite3_bind_int64(statement, index, integer);
        } else {
            memcpy(&real, cursor, sizeof real);
            sqlite3_bind_double(statement, index, real);
        }
        return cursor + 8;
    }
    if (type == VALUE_TEXT || type == VALUE_BLOB) {
        uint32_t length;
        memcpy(&length, cursor, sizeof length);
        cursor += sizeof length;
        if (type == VALUE_TEXT) sqlite3_bind_text(statement, index, (const char *)cursor, (int)length, SQLITE_STATIC);
        else sqlite3_bind_blob(statement, index, cursor, (int)length, SQLITE_STATIC);
        return cursor + length;
    }
    sqlite3_bind_null(statement, index);
    return cursor;
}

static tdb_status insert_table(sqlite3 *db, const table_rows *table)
{
    tdb_status status = TDB_OK;
    sqlite3_stmt *statement = NULL;
    tdb_buf sql = {0};
    TDB_FORWARD(tdb_buf_printf(&sql, "INSERT INTO \"%s\" VALUES (", table->name));
    for (int column = 0; column < table->column_count; column++)
        TDB_FORWARD(tdb_buf_append_str(&sql, column == 0 ? "?" : ", ?"));
    TDB_FORWARD(tdb_buf_append_char(&sql, ')'));
    TDB_FAIL_IF(sqlite3_prepare_v2(db, sql.data, -1, &statement, NULL) != SQLITE_OK, TDB_ERR_SQLITE);

    const unsigned char *cursor = (const unsigned char *)table->values.data;
    for (size_t row = 0; row < table->row_count; row++) {
        for (int column = 0; column < table->column_count; column++)
            cursor = bind_value(statement, column + 1, cursor);
        TDB_FAIL_IF(sqlite3_step(statement) != SQLITE_DONE, TDB_ERR_SQLITE);
        sqlite3_reset(statement);
    }
cleanup:
    sqlite3_finalize(statement);
    tdb_buf_free(&sql);
    return status;
}

static tdb_status exec(sqlite3 *db, const char *sql)
{
    char *error = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &error) == SQLITE_OK) return TDB_OK;
    fprintf(stderr, "bench-floor: %s\n", error ? error : "out of memory");
    sqlite3_free(error);
    return TDB_ERR_SQLITE;
}

/* Write SNAP into PATH as the build writes its output; store the phase times. */
static tdb_status write_snapshot(const snapshot *snap, const char *path, double *insert_seconds,
                                 double *index_seconds)
{
    tdb_status status = TDB_OK;
    sqlite3 *db = NULL;
    unlink(path);
    TDB_FAIL_IF(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK, TDB_ERR_IO);
    double start = tdb_now();
    TDB_FORWARD(exec(db, "PRAGMA page_size = 32768; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; "
                         "PRAGMA locking_mode = EXCLUSIVE; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -131072;"));
    for (size_t i = 0; i < snap->table_count; i++) TDB_FORWARD(exec(db, snap->tables[i].create_sql));
    TDB_FORWARD(exec(db, "BEGIN"));
    for (size_t i = 0; i < snap->table_count; i++) {
        status = insert_table(db, &snap->tables[i]);
        if (status == TDB_ERR_SQLITE) fprintf(stderr, "bench-floor: %s: %s\n", snap->tables[i].name, sqlite3_errmsg(db));
        if (status != TDB_OK) goto cleanup;
    }
    TDB_FORWARD(exec(db, "COMMIT"));
    double loaded = tdb_now();
    *insert_seconds = loaded - start;

    if (snap->after_load_sql.len > 0) TDB_FORWARD(exec(db, snap->after_load_sql.data));
    TDB_FORWARD(exec(db, "ANALYZE"));
    TDB_FAIL_IF(sqlite3_close(db) != SQLITE_OK, TDB_ERR_SQLITE);
    db = NULL;
    int descriptor = open(path, O_RDONLY);
    if (descriptor >= 0) {
        fsync(descriptor);
        close(descriptor);
    }
    *index_seconds = tdb_now() - loaded;
cleanup:
    if (db) sqlite3_close(db);
    return status;
}

int main(int argc, char **argv)
{
    if (argc != 3 || strcmp(argv[1], "--help") == 0) {
        fprintf(argc == 2 ? stdout : stderr,
                "Usage: bench-floor THEME_DB SCRATCH_DB\n"
                "Time writing the rows, indexes and views of THEME_DB into SCRATCH_DB (replaced)\n"
                "with the build's SQLite settings. Prints floor_seconds, insert_seconds,\n"
                "index_seconds (indexes, views, ANALYZE and fsync) and rows.\n");
        return argc == 2 ? 0 : 2;
    }
    snapshot snap = {0};
    double insert_seconds = 0, index_seconds = 0;
    tdb_status status = read_snapshot(argv[1], &snap);
    if (status == TDB_OK) status = write_snapshot(&snap, argv[2], &insert_seconds, &index_seconds);
    if (status == TDB_OK)
        printf("floor_seconds=%.3f insert_seconds=%.3f index_seconds=%.3f rows=%zu\n", insert_seconds + index_seconds,
               insert_seconds, index_seconds, snap.total_rows);
    else
        fprintf(stderr, "bench-floor: failed: %s\n", tdb_status_str(status));

    for (size_t i = 0; i < snap.table_count; i++) {
        tdb_free(snap.tables[i].name);
        tdb_free(snap.tables[i].create_sql);
        tdb_buf_free(&snap.tables[i].values);
    }
    tdb_free(snap.tables);
    tdb_buf_free(&snap.after_load_sql);
    return status == TDB_OK ? 0 : 1;
}

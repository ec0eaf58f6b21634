/* SQLite output. The load runs with the journal off and synchronous off inside one
 * transaction: the temporary file is thrown away on any failure, so the protection a
 * journal gives would only cost time. Indexes are created after the load. */
#define _GNU_SOURCE
#include "out_sqlite.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"

extern const char tdb_schema_theme_sql[];
extern const char tdb_schema_indexes_sql[];
extern const char tdb_schema_views_zh_sql[];

/* At most this many statements in schemas/indexes.sql (one bit each in indexes_done). */
enum { MAX_INDEX_STATEMENTS = 64 };

struct tdb_writer {
    sqlite3 *db;
    char *target;
    char *temp_path;
    tdb_buf *message;
    uint64_t indexes_done;       /* bit i: statement i of indexes.sql has run */
    tdb_buf analyzed;            /* "\nTABLE\n" for each table ANALYZE has run on */
};

sqlite3 *tdb_writer_db(tdb_writer *writer) { return writer->db; }

/* Return true when FILE_PATH has grown to the process's file size limit
 * (RLIMIT_FSIZE, as `ulimit -f` sets it), and store the limit in *LIMIT. SQLite
 * reports a write past the limit as a plain I/O error. */
static bool file_size_limit_reached(const char *file_path, unsigned long long *limit)
{
    struct rlimit file_size;
    struct stat info;
    if (getrlimit(RLIMIT_FSIZE, &file_size) != 0 || file_size.rlim_cur == RLIM_INFINITY) return false;
    if (stat(file_path, &info) != 0) return false;
    *limit = (unsigned long long)file_size.rlim_cur;
    /* SQLite writes whole pages, so the file stops up to one page short of the limit. */
    return (unsigned long long)info.st_size + 65536 >= *limit;
}

static tdb_status sqlite_failure(tdb_writer *writer, const char *action)
{
    int code = sqlite3_errcode(writer->db);
    int system_error = sqlite3_system_errno(writer->db);
    unsigned long long limit;
    if ((code == SQLITE_FULL || code == SQLITE_IOERR) &&
        file_size_limit_reached(writer->temp_path, &limit))
        tdb_buf_printf(writer->message,
                       _("cannot write %s: the file size limit of %llu bytes was reached (see ulimit -f)"),
                       writer->temp_path, limit);
    else if ((code == SQLITE_FULL || code == SQLITE_IOERR) && system_error != 0)
        tdb_buf_printf(writer->message, _("cannot write %s: %s (%s)"), writer->temp_path,
                       sqlite3_errmsg(writer->db), strerror(system_error));
    else if (code == SQLITE_FULL || code == SQLITE_IOERR)
        tdb_buf_printf(writer->message, _("cannot write %s: %s (disk full or file size limit reached?)"),
                       writer->temp_path, sqlite3_errmsg(writer->db));
    else
        tdb_buf_printf(writer->message, _("SQLite failed while %s on %s: %s"), _(action),
                       writer->temp_path, sqlite3_errmsg(writer->db));
    return TDB_ERR_SQLITE;
}

static tdb_status exec(tdb_writer *writer, const char *sql, const char *action)
{
    if (sqlite3_exec(writer->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return sqlite_failure(writer, action);
    return TDB_OK;
}

/* Find statement NUMBER of indexes.sql: START and LENGTH of its text, and the table
 * its CREATE INDEX ... ON names. Returns false past the last statement. */
static bool index_statement(size_t number, const char **start, size_t *length, const char **table,
                            size_t *table_length)
{
    const char *cursor = tdb_schema_indexes_sql;
    for (size_t i = 0;; i++) {
        const char *end = strchr(cursor, ';');
        if (end == NULL) return false;
        if (i == number) {
            *start = cursor;
            *length = (size_t)(end - cursor) + 1;
            const char *create = strstr(cursor, "CREATE INDEX");
            const char *on = create ? strstr(create, " ON ") : NULL;
            *table = NULL;
            *table_length = 0;
            if (on != NULL && on < end) {
                *table = on + 4;
                *table_length = strcspn(*table, " (");
            }
            return true;
        }
        cursor = end + 1;
    }
}

/* Run the index statements not run yet, only those on TABLE unless TABLE is NULL. */
static tdb_status run_indexes(tdb_writer *writer, const char *table)
{
    tdb_status status = TDB_OK;
    tdb_buf sql = {0};
    const char *start;
    const char *on;
    size_t length;
    size_t on_length;
    for (size_t i = 0; index_statement(i, &start, &length, &on, &on_length); i++) {
        TDB_FAIL_IF(i >= MAX_INDEX_STATEMENTS, TDB_ERR_LIMIT);
        if (writer->indexes_done & ((uint64_t)1 << i)) continue;
        if (table != NULL &&
            (on == NULL || strlen(table) != on_length || memcmp(on, table, on_length) != 0))
            continue;
        tdb_buf_clear(&sql);
        TDB_FORWARD(tdb_buf_append(&sql, start, length));
        TDB_FORWARD(tdb_buf_append_char(&sql, '\0'));
        TDB_FORWARD(exec(writer, sql.data, N_("creating indexes")));
        writer->indexes_done |= (uint64_t)1 << i;
    }
cleanup:
    tdb_buf_free(&sql);
    return status;
}

static bool was_analyzed(const tdb_writer *writer, const char *table)
{
    const char *names = writer->analyzed.data;
    size_t length = strlen(table);
    for (const char *at = names; at != NULL && (at = strstr(at, table)) != NULL; at++) {
        if (at > names && at[-1] == '\n' && at[length] == '\n') return true;
    }
    return false;
}

/* Run ANALYZE on TABLE, a table name from the schema, and remember that it ran. */
static tdb_status analyze_table(tdb_writer *writer, const char *table)
{
    tdb_status status = TDB_OK;
    tdb_buf sql = {0};
    TDB_FORWARD(tdb_buf_printf(&sql, "ANALYZE \"%s\"", table));
    TDB_FORWARD(exec(writer, sql.data, N_("running ANALYZE")));
    TDB_FORWARD(tdb_buf_printf(&writer->analyzed, "\n%s\n", table));
cleanup:
    tdb_buf_free(&sql);
    return status;
}

tdb_status tdb_writer_index_table(tdb_writer *writer, const char *table)
{
    tdb_status status = TDB_OK;
    TDB_FORWARD(run_indexes(writer, table));
    if (!was_analyzed(writer, table)) TDB_FORWARD(analyze_table(writer, table));
cleanup:
    return status;
}

/* Run ANALYZE on every table that tdb_writer_index_table has not analyzed, in schema
 * order, so sqlite_stat1 gets its rows in the same order in every build. */
static tdb_status analyze_remaining(tdb_writer *writer)
{
    tdb_status status = TDB_OK;
    sqlite3_stmt *statement = NULL;
    tdb_buf names = {0};
    int result;
    TDB_FORWARD(tdb_writer_prepare(writer,
                                   "SELECT name FROM sqlite_master WHERE type = 'table' "
                                   "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid",
                                   &statement));
    while ((result = sqlite3_step(statement)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(statement, 0);
        if (!was_analyzed(writer, name)) TDB_FORWARD(tdb_buf_printf(&names, "%s\n", name));
    }
    if (result != SQLITE_DONE) {
        status = sqlite_failure(writer, N_("running ANALYZE"));
        goto cleanup;
    }
    sqlite3_finalize(statement);
    statement = NULL;

    char *end;
    for (char *name = names.data; name != NULL && (end = strchr(name, '\n')) != NULL; name = end + 1) {
        *end = '\0';
        TDB_FORWARD(analyze_table(writer, name));
    }
cleanup:
    sqlite3_finalize(statement);
    tdb_buf_free(&names);
    return status;
}

/* Remove TARGET.tmp-PID files whose process no longer runs.
 * NOTE: a temporary file whose PID now belongs to an unrelated process is kept until
 * that process ends; a later build removes it then. */
static void remove_stale_temporaries(const char *target)
{
    char directory[4096];
    const char *slash = strrchr(target, '/');
    const char *base = slash ? slash + 1 : target;
    snprintf(directory, sizeof directory, "%.*s", slash ? (int)(slash - target) : 1,
             slash ? target : ".");
    if (directory[0] == '\0') snprintf(directory, sizeof directory, "/");

    DIR *folder = opendir(directory);
    if (folder == NULL) return;
    size_t base_length = strlen(base);
    struct dirent *entry;
    while ((entry = readdir(folder)) != NULL) {
        const char *name = entry->d_name;
        if (strncmp(name, base, base_length) != 0 || strncmp(name + base_length, ".tmp-", 5) != 0)
            continue;
        long pid = strtol(name + base_length + 5, NULL, 10);
        if (pid <= 0 || (kill((pid_t)pid, 0) != 0 && errno == ESRCH)) {
            char path[8192];
            snprintf(path, sizeof path, "%s/%s", directory, name);
            if (unlink(path) == 0)
                TDB_LOG(TDB_LOG_INFO, _("removed a temporary file left by an interrupted build: %s"), path);
        }
    }
    closedir(folder);
}

/* A process over its file size limit (RLIMIT_FSIZE) gets SIGXFSZ, which kills it by
 * default. Ignored, the signal turns into a write() that fails with EFBIG, so the build
 * reports the file and leaves the old output in place. */
static void ignore_file_size_signal(void)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = SIG_IGN;
    sigemptyset(&action.sa_mask);
    sigaction(SIGXFSZ, &action, NULL);
}

tdb_status tdb_writer_open(const char *target, tdb_writer **out, tdb_buf *message)
{
    tdb_status status = TDB_OK;
    tdb_writer *writer = tdb_calloc(1, sizeof *writer);
    *out = NULL;
    if (writer == NULL) return TDB_ERR_NOMEM;
    writer->message = message;
    writer->target = tdb_strdup(target);
    tdb_buf temp = {0};
    TDB_FORWARD(tdb_buf_printf(&temp, "%s.tmp-%ld", target, (long)getpid()));
    writer->temp_path = temp.data;
    TDB_FAIL_IF(writer->target == NULL, TDB_ERR_NOMEM);

    ignore_file_size_signal();
    remove_stale_temporaries(target);
    unlink(writer->temp_path);
    if (sqlite3_open_v2(writer->temp_path, &writer->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK) {
        tdb_buf_printf(message, _("cannot create %s: %s"), writer->temp_path,
                       writer->db ? sqlite3_errmsg(writer->db) : "out of memory");
        status = TDB_ERR_IO;
        goto cleanup;
    }
    TDB_FORWARD(exec(writer, "PRAGMA page_size = 32768; PRAGMA journal_mode = OFF; "
                             "PRAGMA synchronous = OFF; PRAGMA locking_mode = EXCLUSIVE; "
                             "PRAGMA temp_store = MEMORY; PRAGMA cache_size = -131072;",
                     N_("setting pragmas")));
    TDB_FORWARD(exec(writer, tdb_schema_theme_sql, N_("creating the schema")));
    TDB_FORWARD(exec(writer, "BEGIN", N_("starting the load transaction")));
    *out = writer;
    return TDB_OK;
cleanup:
    tdb_writer_abort(writer);
    return status;
}

tdb_status tdb_writer_prepare(tdb_writer *writer, const char *sql, sqlite3_stmt **statement)
{
    if (sqlite3_prepare_v2(writer->db, sql, -1, statement, NULL) != SQLITE_OK)
        return sqlite_failure(writer, N_("preparing a statement"));
    return TDB_OK;
}

tdb_status tdb_writer_insert(tdb_writer *writer, sqlite3_stmt *statement)
{
    tdb_status status = TDB_OK;
    if (sqlite3_step(statement) != SQLITE_DONE) status = sqlite_failure(writer, N_("inserting rows"));
    sqlite3_reset(statement);
    sqlite3_clear_bindings(statement);
    return status;
}

void tdb_bind_text(sqlite3_stmt *statement, int index, const char *text, size_t length)
{
    if (text == NULL || length == 0)
        sqlite3_bind_null(statement, index);
    else
        sqlite3_bind_text(statement, index, text, (int)length, SQLITE_STATIC);
}

void tdb_bind_cstr(sqlite3_stmt *statement, int index, const char *text)
{
    tdb_bind_text(statement, index, text, text ? strlen(text) : 0);
}

static tdb_status sync_path(const char *path, int flags)
{
    int descriptor = open(path, flags);
    if (descriptor < 0) return TDB_ERR_IO;
    int result = fsync(descriptor);
    close(descriptor);
    return result == 0 ? TDB_OK : TDB_ERR_IO;
}

tdb_status tdb_writer_finish(tdb_writer *writer, tdb_buf *message)
{
    tdb_status status = TDB_OK;
    TDB_FORWARD(exec(writer, "COMMIT", N_("committing the load")));
    TDB_FORWARD(run_indexes(writer, NULL));
    TDB_FORWARD(exec(writer, tdb_schema_views_zh_sql, N_("creating the Chinese views")));
    TDB_FORWARD(analyze_remaining(writer));
    if (sqlite3_close(writer->db) != SQLITE_OK) {
        status = sqlite_failure(writer, N_("closing"));
        goto cleanup;
    }
    writer->db = NULL;

    if (sync_path(writer->temp_path, O_RDONLY) != TDB_OK) {
        tdb_buf_printf(message, _("cannot flush %s to disk: %s"), writer->temp_path, strerror(errno));
        status = TDB_ERR_IO;
        goto cleanup;
    }
    if (rename(writer->temp_path, writer->target) != 0) {
        tdb_buf_printf(message, _("cannot rename %s to %s: %s"), writer->temp_path, writer->target,
                       strerror(errno));
        status = TDB_ERR_IO;
        goto cleanup;
    }
    char directory[4096];
    const char *slash = strrchr(writer->target, '/');
    snprintf(directory, sizeof directory, "%.*s", slash ? (int)(slash - writer->target) : 1,
             slash ? writer->target : ".");
    sync_path(directory[0] ? directory : "/", O_RDONLY | O_DIRECTORY);
    tdb_buf_free(&writer->analyzed);
    tdb_free(writer->target);
    tdb_free(writer->temp_path);
    tdb_free(writer);
    return TDB_OK;
cleanup:
    tdb_writer_abort(writer);
    return status;
}

void tdb_writer_abort(tdb_writer *writer)
{
    if (writer == NULL) return;
    if (writer->db != NULL) sqlite3_close_v2(writer->db);
    if (writer->temp_path != NULL) unlink(writer->temp_path);
    tdb_buf_free(&writer->analyzed);
    tdb_free(writer->target);
    tdb_free(writer->temp_path);
    tdb_free(writer);
}

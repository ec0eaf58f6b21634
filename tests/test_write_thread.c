/* The write thread. Jobs run in queue order on the thread's SQLite connection. A
 * failing job stops the later ones and leaves no file behind, and an abort drops the
 * temporary file. The indexes made per table plus those made at the finish are all
 * of schemas/indexes.sql. */
#define _DEFAULT_SOURCE
#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <sqlite3.h>

#include "write_thread.h"

typedef struct fixture {
    char folder[64];
    char target[128];
} fixture;

/* A job that inserts one link_model row named after its CONTEXT, a static string. */
static tdb_status insert_model(void *context, tdb_writer *writer)
{
    char sql[160];
    snprintf(sql, sizeof sql,
             "INSERT INTO link_model VALUES ('%s', 'prior', 0, 'prior', 0.5, 0.5, 0)",
             (const char *)context);
    return sqlite3_exec(tdb_writer_db(writer), sql, NULL, NULL, NULL) == SQLITE_OK ? TDB_OK
                                                                                    : TDB_ERR_SQLITE;
}

static tdb_status fail_job(void *context, tdb_writer *writer)
{
    (void)context;
    (void)writer;
    return TDB_ERR_INVALID;
}

static tdb_status index_person(void *context, tdb_writer *writer)
{
    (void)context;
    return tdb_writer_index_table(writer, "person");
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->folder, sizeof f->folder, "/tmp/themedb-write-XXXXXX");
    if (mkdtemp(f->folder) == NULL) return -1;
    snprintf(f->target, sizeof f->target, "%s/theme.db", f->folder);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    char path[192];
    snprintf(path, sizeof path, "%s/theme.db.tmp-%ld", f->folder, (long)getpid());
    unlink(path);
    unlink(f->target);
    rmdir(f->folder);
    free(f);
    return 0;
}

static bool temporary_exists(const fixture *f)
{
    char path[192];
    snprintf(path, sizeof path, "%s/theme.db.tmp-%ld", f->folder, (long)getpid());
    return access(path, F_OK) == 0;
}

/* Return the result of a one-value query on the finished database. */
static long long query_number(const fixture *f, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *statement = NULL;
    long long value = -1;
    if (sqlite3_open_v2(f->target, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &statement, NULL) == SQLITE_OK &&
        sqlite3_step(statement) == SQLITE_ROW)
        value = sqlite3_column_int64(statement, 0);
    sqlite3_finalize(statement);
    sqlite3_close(db);
    return value;
}

static void test_jobs_in_order(void **state)
{
    fixture *f = *state;
    tdb_write_thread *thread = NULL;
    tdb_buf message = {0};
    assert_int_equal(tdb_write_thread_start(f->target, &thread), TDB_OK);
    assert_int_equal(tdb_write_thread_push(thread, "first", insert_model, "first"), TDB_OK);
    assert_int_equal(tdb_write_thread_push(thread, "second", insert_model, "second"), TDB_OK);
    assert_int_equal(tdb_write_thread_wait(thread, &message), TDB_OK);
    assert_int_equal(tdb_write_thread_push(thread, "third", insert_model, "third"), TDB_OK);
    assert_int_equal(tdb_write_thread_finish(thread, &message), TDB_OK);

    assert_int_equal(query_number(f, "SELECT count(*) FROM link_model"), 3);
    assert_int_equal(query_number(f, "SELECT rowid FROM link_model WHERE model = 'first'"), 1);
    assert_int_equal(query_number(f, "SELECT rowid FROM link_model WHERE model = 'third'"), 3);
    assert_false(temporary_exists(f));
    tdb_buf_free(&message);
}

static void test_failed_job_stops(void **state)
{
    fixture *f = *state;
    tdb_write_thread *thread = NULL;
    tdb_buf message = {0};
    assert_int_equal(tdb_write_thread_start(f->target, &thread), TDB_OK);
    assert_int_equal(tdb_write_thread_push(thread, "failing", fail_job, NULL), TDB_OK);
    assert_int_equal(tdb_write_thread_push(thread, "after", insert_model, "after"), TDB_OK);
    assert_int_equal(tdb_write_thread_wait(thread, &message), TDB_ERR_INVALID);
    assert_int_equal(tdb_write_thread_finish(thread, &message), TDB_ERR_INVALID);
    assert_int_equal(access(f->target, F_OK), -1);
    assert_false(temporary_exists(f));
    tdb_buf_free(&message);
}

static void test_abort_drops_file(void **state)
{
    fixture *f = *state;
    tdb_write_thread *thread = NULL;
    assert_int_equal(tdb_write_thread_start(f->target, &thread), TDB_OK);
    assert_int_equal(tdb_write_thread_push(thread, "row", insert_model, "row"), TDB_OK);
    tdb_write_thread_abort(thread);
    tdb_write_thread_abort(NULL);
    assert_int_equal(access(f->target, F_OK), -1);
    assert_false(temporary_exists(f));
}

static void test_open_failure_reported(void **state)
{
    fixture *f = *state;
    tdb_write_thread *thread = NULL;
    tdb_buf message = {0};
    char target[192];
    snprintf(target, sizeof target, "%s/missing/theme.db", f->folder);
    assert_int_equal(tdb_write_thread_start(target, &thread), TDB_OK);
    assert_int_equal(tdb_write_thread_push(thread, "row", insert_model, "row"), TDB_OK);
    assert_int_equal(tdb_write_thread_wait(thread, &message), TDB_ERR_IO);
    assert_non_null(message.data);
    assert_non_null(strstr(message.data, "missing/theme.db"));
    assert_int_equal(tdb_write_thread_finish(thread, &message), TDB_ERR_IO);
    tdb_buf_free(&message);
}

static void test_indexes_complete(void **state)
{
    fixture *f = *state;
    tdb_write_thread *thread = NULL;
    tdb_buf message = {0};
    assert_int_equal(tdb_write_thread_start(f->target, &thread), TDB_OK);
    assert_int_equal(tdb_write_thread_push(thread, "person indexes", index_person, NULL), TDB_OK);
    assert_int_equal(tdb_write_thread_finish(thread, &message), TDB_OK);

    assert_int_equal(query_number(f, "SELECT count(*) FROM sqlite_master WHERE type = 'index' "
                                     "AND name = 'person_name'"), 1);
    assert_int_equal(query_number(f, "SELECT count(*) FROM sqlite_master WHERE type = 'index' "
                                     "AND name = 'quality_issue_source'"), 1);
    assert_int_equal(query_number(f, "SELECT count(*) FROM sqlite_master WHERE type = 'index' "
                                     "AND sql IS NOT NULL"), 16);
    tdb_buf_free(&message);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_jobs_in_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_job_stops, setup, teardown),
        cmocka_unit_test_setup_teardown(test_abort_drops_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_failure_reported, setup, teardown),
        cmocka_unit_test_setup_teardown(test_indexes_complete, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

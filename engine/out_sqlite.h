/* The SQLite writer: builds the output in a temporary file beside the target and
 * renames it over the target only when everything succeeded, so a failed or killed
 * build never leaves a half-written or missing theme.db. */
#ifndef THEMEDB_OUT_SQLITE_H
#define THEMEDB_OUT_SQLITE_H

#include <sqlite3.h>

#include "util.h"

typedef struct tdb_writer tdb_writer;

/* Create the temporary database for TARGET, create the schema and open the load
 * transaction. Removes temporary files that earlier killed builds left beside TARGET.
 * On failure MESSAGE describes the cause. */
tdb_status tdb_writer_open(const char *target, tdb_writer **writer, tdb_buf *message);

/* Prepare SQL on the writer's connection. */
tdb_status tdb_writer_prepare(tdb_writer *writer, const char *sql, sqlite3_stmt **statement);

/* Run a prepared insert once and reset it for the next row. */
tdb_status tdb_writer_insert(tdb_writer *writer, sqlite3_stmt *statement);

/* Bind TEXT[0..LENGTH) at INDEX (from 1); an empty text becomes NULL. The text is not
 * copied, so it must stay unchanged until the statement has run (tdb_writer_insert). */
void tdb_bind_text(sqlite3_stmt *statement, int index, const char *text, size_t length);
void tdb_bind_cstr(sqlite3_stmt *statement, int index, const char *text);

/* Create the indexes of schemas/indexes.sql on TABLE and run ANALYZE on it, inside the
 * load transaction. Call it once TABLE is fully loaded, so each index is built in one
 * pass, and the work overlaps with later stages when the writer runs on its own
 * thread. tdb_writer_finish does the same for the tables not named here. */
tdb_status tdb_writer_index_table(tdb_writer *writer, const char *table);

/* Commit, create indexes and views, run ANALYZE, close, and rename the temporary file
 * over the target. The writer is freed whatever the result. */
tdb_status tdb_writer_finish(tdb_writer *writer, tdb_buf *message);

/* Drop the temporary file and free the writer; accepts NULL. */
void tdb_writer_abort(tdb_writer *writer);

/* Return the connection, for statements the writer does not wrap. */
sqlite3 *tdb_writer_db(tdb_writer *writer);

#endif

/* The write thread: one thread that owns the SQLite writer and runs write jobs in the
 * order they were queued, so the serial SQLite load overlaps with the stages that
 * still run. The connection is used by this thread only. Each job reads build state
 * that the stages have finished with, and the caller must leave that state unchanged
 * until the thread has finished or been stopped. Because jobs run in queue order on one
 * thread, the output does not depend on the build's thread count. */
#ifndef THEMEDB_WRITE_THREAD_H
#define THEMEDB_WRITE_THREAD_H

#include "out_sqlite.h"
#include "util.h"

typedef struct tdb_write_thread tdb_write_thread;

/* A write job: writes rows through WRITER. CONTEXT is the pointer given when queued. */
typedef tdb_status (*tdb_write_job)(void *context, tdb_writer *writer);

/* Start the thread, which opens the writer for TARGET (tdb_writer_open). A failure to
 * open shows at the next tdb_write_thread_wait or tdb_write_thread_finish. */
tdb_status tdb_write_thread_start(const char *target, tdb_write_thread **thread);

/* Queue JOB with CONTEXT; CONTEXT must stay valid until the thread has finished.
 * NAME (static) names the job in the log. Returns TDB_ERR_LIMIT when the queue (16
 * jobs) is full. */
tdb_status tdb_write_thread_push(tdb_write_thread *thread, const char *name, tdb_write_job job,
                                 void *context);

/* Wait until every queued job has run. Returns the first failure of the writer or of
 * a job, with its description appended to MESSAGE; later jobs are skipped after a
 * failure. */
tdb_status tdb_write_thread_wait(tdb_write_thread *thread, tdb_buf *message);

/* Run the queued jobs, then tdb_writer_finish (indexes, views, ANALYZE, rename), stop
 * the thread and free it. Returns the first failure with its description appended to
 * MESSAGE; on failure the target is left unchanged. */
tdb_status tdb_write_thread_finish(tdb_write_thread *thread, tdb_buf *message);

/* Stop the thread after its current job, drop the temporary file and free the
 * thread; accepts NULL. */
void tdb_write_thread_abort(tdb_write_thread *thread);

#endif

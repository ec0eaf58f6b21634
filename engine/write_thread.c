/* The write thread: a queue of write jobs served by one POSIX thread that owns the
 * SQLite writer. The main thread queues a job as soon as the state it reads is final
 * and goes on with the next stage. The mutex guards only the queue and the flags. */
#define _POSIX_C_SOURCE 200809L
#include "write_thread.h"

#include <pthread.h>
#include <stdbool.h>

#include "log.h"

enum { MAX_JOBS = 16 };

typedef struct queued_job {
    tdb_write_job run;
    void *context;
    const char *name;
} queued_job;

struct tdb_write_thread {
    pthread_t thread;
    pthread_mutex_t mutex;
    pthread_cond_t changed;      /* signalled on a new job, a finished job, finish or abort */
    queued_job jobs[MAX_JOBS];
    size_t job_count;
    size_t jobs_done;            /* run or skipped */
    bool finishing;              /* no more jobs: finish the writer after the queue */
    bool aborting;
    bool stopped;                /* the thread has returned */
    char *target;
    tdb_writer *writer;          /* opened by tdb_write_thread_start, then used by the thread only */
    tdb_status open_status;
    tdb_status status;           /* first failure */
    tdb_buf message;             /* what the first failure was; written by the thread */
};

/* Take the next job, or return false when the thread should stop. */
static bool next_job(tdb_write_thread *thread, queued_job *job)
{
    bool found = false;
    pthread_mutex_lock(&thread->mutex);
    while (!thread->aborting && !thread->finishing && thread->jobs_done == thread->job_count)
        pthread_cond_wait(&thread->changed, &thread->mutex);
    if (!thread->aborting && thread->jobs_done < thread->job_count) {
        *job = thread->jobs[thread->jobs_done];
        found = true;
    }
    pthread_mutex_unlock(&thread->mutex);
    return found;
}

static void job_done(tdb_write_thread *thread, tdb_status status)
{
    pthread_mutex_lock(&thread->mutex);
    if (thread->status == TDB_OK) thread->status = status;
    thread->jobs_done++;
    pthread_cond_broadcast(&thread->changed);
    pthread_mutex_unlock(&thread->mutex);
}

static void *serve(void *argument)
{
    tdb_write_thread *thread = argument;
    tdb_writer *writer = thread->writer;
    tdb_status status = thread->open_status;
    queued_job job;

    while (next_job(thread, &job)) {
        double started = tdb_now();
        tdb_status result = status == TDB_OK ? job.run(job.context, writer) : TDB_OK;
        if (status == TDB_OK && result == TDB_OK)
            TDB_LOG(TDB_LOG_INFO, _("write thread: %s written in %.2f s"), job.name,
                    tdb_now() - started);
        if (status == TDB_OK) status = result;
        job_done(thread, status);
    }

    pthread_mutex_lock(&thread->mutex);
    bool finish = thread->finishing && !thread->aborting && status == TDB_OK;
    pthread_mutex_unlock(&thread->mutex);
    if (finish) {
        status = tdb_writer_finish(writer, &thread->message);
    } else {
        tdb_writer_abort(writer);
        if (status == TDB_OK) status = TDB_ERR_INVALID; /* stopped before finishing */
    }

    pthread_mutex_lock(&thread->mutex);
    if (thread->status == TDB_OK) thread->status = status;
    thread->stopped = true;
    pthread_cond_broadcast(&thread->changed);
    pthread_mutex_unlock(&thread->mutex);
    return NULL;
}

tdb_status tdb_write_thread_start(const char *target, tdb_write_thread **out)
{
    tdb_status status = TDB_OK;
    tdb_write_thread *thread = tdb_calloc(1, sizeof *thread);
    *out = NULL;
    TDB_FAIL_IF(thread == NULL, TDB_ERR_NOMEM);
    thread->target = tdb_strdup(target);
    if (thread->target == NULL) {
        tdb_free(thread);
        return TDB_ERR_NOMEM;
    }
    /* The temporary database exists when this returns, before any job runs, so a build
     * killed later always leaves its temporary file for the next build to remove. */
    thread->open_status = tdb_writer_open(thread->target, &thread->writer, &thread->message);
    pthread_mutex_init(&thread->mutex, NULL);
    pthread_cond_init(&thread->changed, NULL);
    if (pthread_create(&thread->thread, NULL, serve, thread) != 0) {
        tdb_writer_abort(thread->writer);
        pthread_cond_destroy(&thread->changed);
        pthread_mutex_destroy(&thread->mutex);
        tdb_free(thread->target);
        tdb_free(thread);
        return TDB_ERR_NOMEM;
    }
    *out = thread;
cleanup:
    return status;
}

tdb_status tdb_write_thread_push(tdb_write_thread *thread, const char *name, tdb_write_job job,
                                 void *context)
{
    tdb_status status = TDB_OK;
    pthread_mutex_lock(&thread->mutex);
    if (thread->job_count == MAX_JOBS) {
        status = TDB_ERR_LIMIT;
    } else {
        thread->jobs[thread->job_count++] = (queued_job){job, context, name};
        pthread_cond_broadcast(&thread->changed);
    }
    pthread_mutex_unlock(&thread->mutex);
    return status;
}

/* Append the thread's failure description to MESSAGE; the thread has stopped
 * writing to it once the queue is drained or the thread has returned. */
static void copy_message(const tdb_write_thread *thread, tdb_buf *message)
{
    if (thread->message.len > 0) tdb_buf_append(message, thread->message.data, thread->message.len);
}

tdb_status tdb_write_thread_wait(tdb_write_thread *thread, tdb_buf *message)
{
    pthread_mutex_lock(&thread->mutex);
    while (!thread->stopped && thread->jobs_done < thread->job_count)
        pthread_cond_wait(&thread->changed, &thread->mutex);
    tdb_status status = thread->status;
    pthread_mutex_unlock(&thread->mutex);
    if (status != TDB_OK) copy_message(thread, message);
    return status;
}

/* Set FLAG (finishing or aborting), wake the thread and wait until it returns. */
static void stop(tdb_write_thread *thread, bool *flag)
{
    pthread_mutex_lock(&thread->mutex);
    *flag = true;
    pthread_cond_broadcast(&thread->changed);
    pthread_mutex_unlock(&thread->mutex);
    pthread_join(thread->thread, NULL);
}

static void free_thread(tdb_write_thread *thread)
{
    pthread_cond_destroy(&thread->changed);
    pthread_mutex_destroy(&thread->mutex);
    tdb_buf_free(&thread->message);
    tdb_free(thread->target);
    tdb_free(thread);
}

tdb_status tdb_write_thread_finish(tdb_write_thread *thread, tdb_buf *message)
{
    stop(thread, &thread->finishing);
    tdb_status status = thread->status;
    if (status != TDB_OK) copy_message(thread, message);
    free_thread(thread);
    return status;
}

void tdb_write_thread_abort(tdb_write_thread *thread)
{
    if (thread == NULL) return;
    stop(thread, &thread->aborting);
    free_thread(thread);
}

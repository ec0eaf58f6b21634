/* Internal helpers used by every module: allocation, error propagation, growable
 * buffers and UTF-8 decoding. Nothing here is part of the public API. */
#ifndef THEMEDB_UTIL_H
#define THEMEDB_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "themedb/status.h"

/* Propagate a failed status to the function's single cleanup label. The function must
 * declare `tdb_status status` and a `cleanup:` label. */
#define TDB_FORWARD(expr)                  \
    do {                                   \
        status = (expr);                   \
        if (status != TDB_OK) goto cleanup; \
    } while (0)

#define TDB_FAIL_IF(condition, code)      \
    do {                                  \
        if (condition) {                  \
            status = (code);              \
            goto cleanup;                 \
        }                                 \
    } while (0)

#define TDB_ARRAY_LEN(array) (sizeof(array) / sizeof((array)[0]))

/* Cheap invariant check that stays on in release builds. Input-dependent conditions
 * are checked errors, never assertions. */
#define TDB_ASSERT(condition)                                                  \
    do {                                                                       \
        if (!(condition)) tdb_assert_failed(#condition, __FILE__, __LINE__);   \
    } while (0)

_Noreturn void tdb_assert_failed(const char *condition, const char *file, int line);

/* All allocation goes through these wrappers so that tests can inject failures.
 * They return NULL on failure; tdb_free accepts NULL. */
void *tdb_malloc(size_t size);
void *tdb_calloc(size_t count, size_t size);
void *tdb_realloc(void *pointer, size_t size);
char *tdb_strdup(const char *text);
char *tdb_strndup(const char *text, size_t length);
void tdb_free(void *pointer);

/* Grow *ARRAY so that it has room for at least NEEDED elements of ELEMENT_SIZE bytes, doubling
 * the capacity stored in *CAPACITY. Returns TDB_ERR_NOMEM and leaves *ARRAY valid on
 * failure. */
tdb_status tdb_grow(void **array, size_t *capacity, size_t needed, size_t element_size);

/* Test hook: the Nth allocation from now (1 = the next one) fails, and so do all later
 * ones until the hook is reset with 0. Not thread-safe; tests call it single-threaded. */
void tdb_alloc_fail_after(long count);

/* Growable byte buffer, always NUL-terminated after a successful append. */
typedef struct tdb_buf {
    char *data;
    size_t len;
    size_t cap;
} tdb_buf;

tdb_status tdb_buf_append(tdb_buf *buf, const void *bytes, size_t length);
tdb_status tdb_buf_append_str(tdb_buf *buf, const char *text);
tdb_status tdb_buf_append_char_slow(tdb_buf *buf, char c);

/* Append one byte; the common case, with room left, stays inline. */
static inline tdb_status tdb_buf_append_char(tdb_buf *buf, char c)
{
    if (buf->len + 1 < buf->cap) {
        buf->data[buf->len++] = c;
        buf->data[buf->len] = '\0';
        return TDB_OK;
    }
    return tdb_buf_append_char_slow(buf, c);
}
tdb_status tdb_buf_printf(tdb_buf *buf, const char *format, ...)
    __attribute__((format(printf, 2, 3)));
/* Append code point CP as UTF-8. */
tdb_status tdb_buf_append_utf8(tdb_buf *buf, int32_t cp);
void tdb_buf_clear(tdb_buf *buf);
void tdb_buf_free(tdb_buf *buf);

/* Decode one UTF-8 code point from TEXT[*POS..LENGTH) and advance *POS. Returns the code
 * point, or -1 for an invalid sequence (then *POS advances by one byte). */
int32_t tdb_utf8_next(const char *text, size_t length, size_t *pos);

/* Return true when TEXT[0..LENGTH) is valid UTF-8. */
bool tdb_utf8_valid(const char *text, size_t length);

/* Return the byte offset of the first invalid UTF-8 sequence in TEXT[0..LENGTH), or
 * LENGTH when there is none. */
size_t tdb_utf8_invalid_offset(const char *text, size_t length);

/* Decode TEXT[0..LENGTH) into at most CAPACITY code points in OUT and return the number
 * decoded; invalid bytes become U+FFFD. */
size_t tdb_utf8_decode(const char *text, size_t length, int32_t *out, size_t capacity);

/* Return the current wall-clock time in seconds, for stage timings. */
double tdb_now(void);

#endif

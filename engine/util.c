/* Allocation wrappers, status strings, growable buffers and UTF-8 decoding.
 *
 * Allocation failure injection keeps one process-wide counter. It is the only mutable
 * global in the engine, it is a test hook, and production code never sets it. */
#define _POSIX_C_SOURCE 200809L
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <utf8proc.h>

static long alloc_failure_countdown;

void tdb_alloc_fail_after(long count) { alloc_failure_countdown = count; }

static bool alloc_should_fail(void)
{
    if (alloc_failure_countdown <= 0) return false;
    if (alloc_failure_countdown == 1) return true;
    alloc_failure_countdown--;
    return false;
}

void *tdb_malloc(size_t size)
{
    if (alloc_should_fail()) return NULL;
    return malloc(size ? size : 1);
}

void *tdb_calloc(size_t count, size_t size)
{
    if (alloc_should_fail()) return NULL;
    return calloc(count ? count : 1, size ? size : 1);
}

void *tdb_realloc(void *pointer, size_t size)
{
    if (alloc_should_fail()) return NULL;
    return realloc(pointer, size ? size : 1);
}

char *tdb_strndup(const char *text, size_t length)
{
    char *copy = tdb_malloc(length + 1);
    if (copy == NULL) return NULL;
    memcpy(copy, text, length);
    copy[length] = '\0';
    return copy;
}

char *tdb_strdup(const char *text) { return tdb_strndup(text, strlen(text)); }

void tdb_free(void *pointer) { free(pointer); }

void tdb_assert_failed(const char *condition, const char *file, int line)
{
    fprintf(stderr, "themedb: internal error: assertion '%s' failed at %s:%d\n",
            condition, file, line);
    abort();
}

const char *tdb_status_str(tdb_status status)
{
    switch (status) {
    case TDB_OK: return "ok";
    case TDB_ERR_NOMEM: return "out of memory";
    case TDB_ERR_IO: return "input/output error";
    case TDB_ERR_INVALID: return "invalid argument";
    case TDB_ERR_FORMAT: return "malformed input";
    case TDB_ERR_NOT_FOUND: return "not found";
    case TDB_ERR_SQLITE: return "SQLite error";
    case TDB_ERR_LIMIT: return "size limit reached";
    }
    return "unknown status";
}

tdb_status tdb_grow(void **array, size_t *capacity, size_t needed, size_t element_size)
{
    if (needed <= *capacity) return TDB_OK;
    size_t new_capacity = *capacity ? *capacity : 16;
    while (new_capacity < needed) {
        if (new_capacity > SIZE_MAX / 2 / element_size) return TDB_ERR_NOMEM;
        new_capacity *= 2;
    }
    void *grown = tdb_realloc(*array, new_capacity * element_size);
    if (grown == NULL) return TDB_ERR_NOMEM;
    *array = grown;
    *capacity = new_capacity;
    return TDB_OK;
}

tdb_status tdb_buf_append(tdb_buf *buf, const void *bytes, size_t length)
{
    void *data = buf->data;
    tdb_status status = tdb_grow(&data, &buf->cap, buf->len + length + 1, 1);
    if (status != TDB_OK) return status;
    buf->data = data;
    if (length) memcpy(buf->data + buf->len, bytes, length);
    buf->len += length;
    buf->data[buf->len] = '\0';
    return TDB_OK;
}

tdb_status tdb_buf_append_str(tdb_buf *buf, const char *text)
{
    return tdb_buf_append(buf, text, strlen(text));
}

tdb_status tdb_buf_append_char_slow(tdb_buf *buf, char c) { return tdb_buf_append(buf, &c, 1); }

tdb_status tdb_buf_printf(tdb_buf *buf, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    int needed = vsnprintf(NULL, 0, format, args);
    va_end(args);
    if (needed < 0) return TDB_ERR_INVALID;

    void *data = buf->data;
    tdb_status status = tdb_grow(&data, &buf->cap, buf->len + (size_t)needed + 1, 1);
    if (status != TDB_OK) return status;
    buf->data = data;

    va_start(args, format);
    vsnprintf(buf->data + buf->len, (size_t)needed + 1, format, args);
    va_end(args);
    buf->len += (size_t)needed;
    return TDB_OK;
}

tdb_status tdb_buf_append_utf8(tdb_buf *buf, int32_t cp)
{
    utf8proc_uint8_t bytes[4];
    utf8proc_ssize_t length = utf8proc_encode_char(cp, bytes);
    if (length <= 0) return TDB_ERR_INVALID;
    return tdb_buf_append(buf, bytes, (size_t)length);
}

void tdb_buf_clear(tdb_buf *buf)
{
    buf->len = 0;
    if (buf->data) buf->data[0] = '\0';
}

void tdb_buf_free(tdb_buf *buf)
{
    tdb_free(buf->data);
    buf->data = NULL;
    buf->len = buf->cap = 0;
}

int32_t tdb_utf8_next(const char *text, size_t length, size_t *pos)
{
    utf8proc_int32_t cp;
    utf8proc_ssize_t used = utf8proc_iterate((const utf8proc_uint8_t *)text + *pos,
                                             (utf8proc_ssize_t)(length - *pos), &cp);
    if (used <= 0) {
        *pos += 1;
        return -1;
    }
    *pos += (size_t)used;
    return cp;
}

bool tdb_utf8_valid(const char *text, size_t length)
{
    return tdb_utf8_invalid_offset(text, length) == length;
}

size_t tdb_utf8_invalid_offset(const char *text, size_t length)
{
    const unsigned char *bytes = (const unsigned char *)text;
    size_t pos = 0;
    while (pos < length) {
        /* ASCII runs are the common case in exports: check eight bytes at a time. */
        while (pos + 8 <= length) {
            uint64_t word;
            memcpy(&word, bytes + pos, 8);
            if (word & 0x8080808080808080ULL) break;
            pos += 8;
        }
        if (pos >= length) break;
        unsigned char lead = bytes[pos];
        if (lead < 0x80) {
            pos++;
            continue;
        }
        size_t count;
        uint32_t minimum;
        uint32_t cp;
        if (lead >= 0xC2 && lead <= 0xDF) {
            count = 1;
            minimum = 0x80;
            cp = lead & 0x1F;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            count = 2;
            minimum = 0x800;
            cp = lead & 0x0F;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            count = 3;
            minimum = 0x10000;
            cp = lead & 0x07;
        } else {
            return pos;
        }
        for (size_t i = 1; i <= count; i++) {
            if (pos + i >= length || (bytes[pos + i] & 0xC0) != 0x80) return pos;
            cp = (cp << 6) | (bytes[pos + i] & 0x3F);
        }
        /* Overlong forms, UTF-16 surrogates and code points past U+10FFFF are invalid. */
        if (cp < minimum || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return pos;
        pos += count + 1;
    }
    return length;
}

size_t tdb_utf8_decode(const char *text, size_t length, int32_t *out, size_t capacity)
{
    size_t pos = 0;
    size_t count = 0;
    while (pos < length && count < capacity) {
        int32_t cp = tdb_utf8_next(text, length, &pos);
        out[count++] = cp < 0 ? 0xFFFD : cp;
    }
    return count;
}

double tdb_now(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

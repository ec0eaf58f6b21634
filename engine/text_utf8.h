/* Inline UTF-8 decoding and encoding for the hot loops of text folding and address
 * parsing, where most characters are ASCII or 3-byte CJK. */
#ifndef THEMEDB_TEXT_UTF8_H
#define THEMEDB_TEXT_UTF8_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* Decode one code point like tdb_utf8_next, but return U+FFFD for an invalid sequence
 * (advancing one byte), and decode ASCII and 3-byte sequences without a call. */
static inline int32_t tdb_utf8_next_fast(const char *text, size_t length, size_t *pos)
{
    const unsigned char *s = (const unsigned char *)text + *pos;
    size_t left = length - *pos;
    if (s[0] < 0x80) {
        (*pos)++;
        return s[0];
    }
    if (left >= 3 && (s[0] & 0xF0) == 0xE0 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
        int32_t cp = ((int32_t)(s[0] & 0x0F) << 12) | ((int32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
        if (cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)) {
            *pos += 3;
            return cp;
        }
    }
    int32_t cp = tdb_utf8_next(text, length, pos);
    return cp < 0 ? 0xFFFD : cp;
}

/* Encode CP (a valid scalar value) into BYTES and return the byte count (1 to 4). */
static inline size_t tdb_utf8_encode_fast(int32_t cp, char *bytes)
{
    if (cp < 0x80) {
        bytes[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        bytes[0] = (char)(0xC0 | (cp >> 6));
        bytes[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        bytes[0] = (char)(0xE0 | (cp >> 12));
        bytes[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        bytes[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    bytes[0] = (char)(0xF0 | (cp >> 18));
    bytes[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    bytes[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    bytes[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

#endif

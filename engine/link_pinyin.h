/* Toneless pinyin of Chinese names, for blocking keys and homophone comparison. */
#ifndef THEMEDB_LINK_PINYIN_H
#define THEMEDB_LINK_PINYIN_H

#include <stddef.h>
#include <stdint.h>

/* One code point and the index of its toneless syllable in tdb_pinyin_syllables. */
typedef struct tdb_pinyin_entry {
    uint32_t code_point;
    uint16_t syllable;
} tdb_pinyin_entry;

/* Generated from Unihan kMandarin at build time: syllables in byte order ("a", "ai",
 * ...), and entries sorted by code point. */
extern const char *const tdb_pinyin_syllables[];
extern const size_t tdb_pinyin_syllable_count;
extern const tdb_pinyin_entry tdb_pinyin_entries[];
extern const size_t tdb_pinyin_entry_count;

/* Syllable of each code point of CJK Extension A and the main CJK block, where nearly
 * every name character lies, indexed by code point - TDB_PINYIN_DENSE_START. */
#define TDB_PINYIN_DENSE_START 0x3400
#define TDB_PINYIN_DENSE_END 0xA000
extern const uint16_t tdb_pinyin_dense[TDB_PINYIN_DENSE_END - TDB_PINYIN_DENSE_START];

/* Syllable value for a code point without a Mandarin reading (Latin letters, digits,
 * rare ideographs): the comparison then falls back to the code point itself. */
#define TDB_PINYIN_NONE 0xFFFFu

/* Return the syllable index of CODE_POINT, or TDB_PINYIN_NONE. */
uint16_t tdb_pinyin_of(int32_t code_point);

/* Return the syllable index of the toneless syllable TEXT ("zhang"), or
 * TDB_PINYIN_NONE when it is not a Mandarin syllable. */
uint16_t tdb_pinyin_find(const char *text);

/* Return the number of code points of the surname at the start of NAME[0..LENGTH).
 * It is 2 for a compound surname (欧阳, 司马, 诸葛 ...) followed by a given name, 1 for
 * any other name of two or more code points, and LENGTH for shorter names. */
size_t tdb_pinyin_surname_length(const int32_t *name, size_t length);

/* Write the syllables of NAME[0..LENGTH) to OUT (room for LENGTH values). Surnames
 * with a special reading (单 shan, 解 xie, 曾 zeng, 尉迟 yuchi ...) use it in the
 * surname position. A code point without a reading yields TDB_PINYIN_NONE. */
void tdb_pinyin_of_name(const int32_t *name, size_t length, uint16_t *out);

/* Append the syllables of NAME to OUT as text, separated by spaces, for logs, tests
 * and `explain`. Returns the number of bytes written, excluding the NUL; OUT is
 * always NUL-terminated when CAPACITY > 0 and the text is cut at CAPACITY - 1. */
size_t tdb_pinyin_format(const int32_t *name, size_t length, char *out, size_t capacity);

#endif

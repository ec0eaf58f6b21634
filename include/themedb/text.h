/* Text folding: the normal form that addresses and person names are compared in. */
#ifndef THEMEDB_TEXT_H
#define THEMEDB_TEXT_H

#include <stddef.h>

#include "themedb/status.h"

typedef struct tdb_buf tdb_buf; /* growable byte buffer, defined in engine/util.h */

/* How tdb_text_fold_with treats whitespace (after NFKC, so U+3000 and U+00A0 count). */
typedef enum tdb_fold_spaces {
    TDB_FOLD_SPACES_DROP = 0, /* remove every whitespace character (names, addresses) */
    TDB_FOLD_SPACES_COLLAPSE  /* one ASCII space per run, none at either end */
} tdb_fold_spaces;

/* Append the folded form of TEXT[0..LENGTH) to OUT, dropping all whitespace.
 * Folding applies, per code point: NFKC (utf8proc), CJK radical look-alikes to their
 * unified ideograph (⻄ → 西), and traditional to simplified (Unihan
 * kSimplifiedVariant, skipping characters that are also simplified forms, such as 乾
 * and 著). It also maps a small set of variant characters used in place names
 * (廻 → 回), dashes to '-' and ASCII letters to upper case. Control and zero-width
 * characters are removed, and invalid UTF-8 bytes become U+FFFD. Thread-safe, and it
 * allocates only by growing OUT. Returns TDB_ERR_NOMEM when OUT cannot grow, and then
 * OUT contains a prefix of the result. */
tdb_status tdb_text_fold(const char *text, size_t length, tdb_buf *out);

/* The same as tdb_text_fold with a choice of whitespace handling. */
tdb_status tdb_text_fold_with(const char *text, size_t length, tdb_fold_spaces spaces,
                              tdb_buf *out);

/* Return the folded form of the single code point CP, or CP when folding leaves it
 * unchanged. Covers the table mappings only (radicals, traditional, variants), not
 * NFKC; callers that fold whole strings use tdb_text_fold. */
int tdb_text_fold_ideograph(int cp);

#endif

/* The generated fold table: single code points (CJK radicals, traditional characters,
 * place-name variants) and the code point each folds to, sorted by source. */
#ifndef THEMEDB_TEXT_TABLE_H
#define THEMEDB_TEXT_TABLE_H

#include <stddef.h>
#include <stdint.h>

typedef struct tdb_fold_pair {
    uint32_t from;
    uint32_t to;
} tdb_fold_pair;

extern const tdb_fold_pair tdb_fold_pairs[];
extern const size_t tdb_fold_pair_count;

/* Bit (cp - TDB_FOLD_BITMAP_FIRST) is set when code point cp in
 * [TDB_FOLD_BITMAP_FIRST, TDB_FOLD_BITMAP_END) has a pair, so most ideographs skip the
 * binary search. */
#define TDB_FOLD_BITMAP_FIRST 0x2E80
#define TDB_FOLD_BITMAP_END 0xA000
extern const uint16_t tdb_fold_bitmap[];

#endif

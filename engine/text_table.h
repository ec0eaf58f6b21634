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

#endif

/* Hash index of typed keys: open addressing with linear probing over XXH3-64 hashes.
 * The table stores the hash and a 32-bit value (a row number). The caller confirms a
 * hit by comparing the key itself, so a hash collision can never join two records.
 * Probing is read-only and safe from several threads once inserting is done. */
#ifndef THEMEDB_KEY_INDEX_H
#define THEMEDB_KEY_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

typedef enum tdb_key_type {
    TDB_KEY_ID = 1,      /* citizen ID number */
    TDB_KEY_USCC,        /* unified social credit code */
    TDB_KEY_VIN,
    TDB_KEY_PLATE,
    TDB_KEY_UNIT,        /* property unit number */
    TDB_KEY_CERT,        /* certificate type + number */
    TDB_KEY_ADDRESS,     /* canonical address */
    TDB_KEY_TEXT         /* anything else */
} tdb_key_type;

typedef struct tdb_key_index {
    uint64_t *hashes;    /* 0 marks an empty slot */
    uint32_t *values;
    size_t capacity;     /* a power of two */
    size_t count;
} tdb_key_index;

/* Return the hash of KEY[0..LENGTH) under TYPE; never 0. */
uint64_t tdb_key_hash(tdb_key_type type, const char *key, size_t length);

/* Prepare INDEX for about EXPECTED keys. */
tdb_status tdb_key_index_init(tdb_key_index *index, size_t expected);

/* Call VISIT for each value stored under HASH until it returns true; returns that
 * value, or UINT32_MAX when no visit accepted one. */
uint32_t tdb_key_index_find(const tdb_key_index *index, uint64_t hash,
                            bool (*accept)(const void *context, uint32_t value),
                            const void *context);

/* Add VALUE under HASH (several values may share a hash). Grows as needed. */
tdb_status tdb_key_index_add(tdb_key_index *index, uint64_t hash, uint32_t value);

void tdb_key_index_free(tdb_key_index *index);

#endif

/* Open-addressing hash index. The load factor stays at or below one half, so a
 * probe for a missing key ends after a short run of occupied slots. */
#include "key_index.h"

#include <string.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

uint64_t tdb_key_hash(tdb_key_type type, const char *key, size_t length)
{
    uint64_t hash = XXH3_64bits_withSeed(key, length, (uint64_t)type);
    return hash == 0 ? 1 : hash;
}

static tdb_status allocate(tdb_key_index *index, size_t capacity)
{
    index->hashes = tdb_calloc(capacity, sizeof(uint64_t));
    index->values = tdb_malloc(capacity * sizeof(uint32_t));
    if (index->hashes == NULL || index->values == NULL) {
        tdb_free(index->hashes);
        tdb_free(index->values);
        index->hashes = NULL;
        index->values = NULL;
        return TDB_ERR_NOMEM;
    }
    index->capacity = capacity;
    index->count = 0;
    return TDB_OK;
}

tdb_status tdb_key_index_init(tdb_key_index *index, size_t expected)
{
    size_t capacity = 64;
    while (capacity < expected * 2) capacity *= 2;
    memset(index, 0, sizeof *index);
    return allocate(index, capacity);
}

static void insert_slot(tdb_key_index *index, uint64_t hash, uint32_t value)
{
    size_t mask = index->capacity - 1;
    size_t slot = (size_t)hash & mask;
    while (index->hashes[slot] != 0) slot = (slot + 1) & mask;
    index->hashes[slot] = hash;
    index->values[slot] = value;
    index->count++;
}

static tdb_status grow(tdb_key_index *index)
{
    tdb_key_index bigger;
    tdb_status status = allocate(&bigger, index->capacity * 2);
    if (status != TDB_OK) return status;
    for (size_t slot = 0; slot < index->capacity; slot++) {
        if (index->hashes[slot] != 0) insert_slot(&bigger, index->hashes[slot], index->values[slot]);
    }
    tdb_key_index_free(index);
    *index = bigger;
    return TDB_OK;
}

tdb_status tdb_key_index_add(tdb_key_index *index, uint64_t hash, uint32_t value)
{
    if ((index->count + 1) * 2 > index->capacity) {
        tdb_status status = grow(index);
        if (status != TDB_OK) return status;
    }
    insert_slot(index, hash, value);
    return TDB_OK;
}

uint32_t tdb_key_index_find(const tdb_key_index *index, uint64_t hash,
                            bool (*accept)(const void *context, uint32_t value),
                            const void *context)
{
    if (index->capacity == 0) return UINT32_MAX;
    size_t mask = index->capacity - 1;
    for (size_t slot = (size_t)hash & mask; index->hashes[slot] != 0; slot = (slot + 1) & mask) {
        if (index->hashes[slot] == hash && accept(context, index->values[slot]))
            return index->values[slot];
    }
    return UINT32_MAX;
}

void tdb_key_index_free(tdb_key_index *index)
{
    tdb_free(index->hashes);
    tdb_free(index->values);
    memset(index, 0, sizeof *index);
}

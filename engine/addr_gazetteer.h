/* Internal view of the division gazetteer, shared by the loader and the parser. */
#ifndef THEMEDB_ADDR_GAZETTEER_H
#define THEMEDB_ADDR_GAZETTEER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "themedb/address.h"

#define TDB_GAZ_NONE UINT32_MAX

/* A unit's flags. */
enum {
    TDB_GAZ_PLACEHOLDER = 1u << 0 /* a city row such as 市辖区 that names no place */
};

/* One division. Units are sorted by (code, level), so the descendants of unit i are
 * the units i + 1 .. end - 1. */
typedef struct tdb_gaz_unit {
    uint64_t code;            /* 12 digits, padded with zeros */
    uint32_t name;            /* offset in the pool of the folded standard name */
    uint32_t original;        /* offset of the folded name as the source wrote it */
    uint32_t parent;          /* index of the nearest enclosing unit, or TDB_GAZ_NONE */
    uint32_t end;             /* one past the last descendant */
    int32_t first_char;       /* first code point of the name, to scan villages fast */
    uint16_t name_length;     /* bytes */
    uint16_t alias_length;    /* bytes of the name without its suffix, 0 when none */
    uint16_t original_length; /* bytes */
    uint8_t level;            /* tdb_addr_level */
    uint8_t flags;            /* TDB_GAZ_* */
} tdb_gaz_unit;

/* Kinds of name key. */
enum {
    TDB_GAZ_KEY_FULL = 0,
    TDB_GAZ_KEY_ALIAS,        /* the name without its suffix */
    TDB_GAZ_KEY_ORIGINAL,     /* a village name with its committee suffix */
    TDB_GAZ_KEY_FORMER,       /* the name before a renaming (襄樊市 for 襄阳市) */
    TDB_GAZ_KEY_FORMER_ALIAS
};

typedef struct tdb_gaz_entry {
    uint32_t unit;
    uint8_t kind;  /* TDB_GAZ_KEY_* */
    uint8_t level; /* the unit's level, kept here to avoid a cache miss */
} tdb_gaz_entry;

/* Slot flags: the hash is a whole key, a proper prefix of some key, or both. Bit
 * TDB_GAZ_SLOT_SHARED << level is set when several units of that level share the key. */
enum { TDB_GAZ_SLOT_KEY = 1u << 0, TDB_GAZ_SLOT_PREFIX = 1u << 1, TDB_GAZ_SLOT_SHARED = 1u << 2 };

typedef struct tdb_gaz_slot {
    uint64_t hash; /* 0 marks an empty slot */
    uint32_t first; /* first entry in `entries` */
    uint16_t count;
    uint16_t flags;
} tdb_gaz_slot;

/* A village filed under its county and first character, so that the villages of a
 * county that start like the text are found by binary search. */
typedef struct tdb_gaz_village {
    uint32_t county; /* unit index */
    int32_t first_char;
    uint32_t unit;
} tdb_gaz_village;

struct tdb_gazetteer {
    tdb_gaz_unit *units;
    size_t count;
    size_t capacity;
    char *pool; /* folded names, each NUL-terminated */
    size_t pool_length;
    size_t pool_capacity;

    /* Name index over provinces, cities, counties and towns. Villages are found
     * through their town or county instead, because a village name alone is
     * ambiguous nationwide. */
    tdb_gaz_slot *slots;
    size_t slot_mask;
    tdb_gaz_entry *entries;
    size_t entry_count;
    tdb_gaz_village *villages; /* sorted by (county, first_char, unit) */
    size_t village_count;
    bool indexed;
};

/* FNV-1a over name bytes, extended one code point at a time while scanning text. */
#define TDB_GAZ_HASH_SEED 0xcbf29ce484222325ULL

static inline uint64_t tdb_gaz_hash_extend(uint64_t hash, const char *bytes, size_t length)
{
    for (size_t i = 0; i < length; i++) {
        hash ^= (unsigned char)bytes[i];
        hash *= 0x100000001b3ULL;
    }
    return hash ? hash : 1;
}

/* Return the slot of HASH, or NULL when no key or prefix has it. */
const tdb_gaz_slot *tdb_gaz_find(const tdb_gazetteer *g, uint64_t hash);

/* Return the index of the unit with CODE at LEVEL, or TDB_GAZ_NONE. Valid once the
 * units are sorted, i.e. during and after tdb_gazetteer_index. */
uint32_t tdb_gaz_find_code(const tdb_gazetteer *g, uint64_t code, tdb_addr_level level);

/* Return the first entry of `villages` for COUNTY and FIRST_CHAR; the matching
 * entries follow it while county and first_char stay equal. */
size_t tdb_gaz_find_villages(const tdb_gazetteer *g, uint32_t county, int32_t first_char);

/* Return the number of code digits at LEVEL (2, 4, 6, 9, 12; 0 for none). */
int tdb_gaz_level_digits(tdb_addr_level level);

/* Return CODE truncated to LEVEL and padded back to 12 digits. */
uint64_t tdb_gaz_code_at(uint64_t code, tdb_addr_level level);

/* Return true when unit A is B or one of B's ancestors. */
static inline bool tdb_gaz_contains(const tdb_gazetteer *g, uint32_t a, uint32_t b)
{
    return b >= a && b < g->units[a].end;
}

static inline const char *tdb_gaz_unit_name(const tdb_gazetteer *g, const tdb_gaz_unit *unit)
{
    return g->pool + unit->name;
}

#endif

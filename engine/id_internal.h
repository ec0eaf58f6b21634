/* Shared pieces of the identifier module (id_*.c): the folded form of an input value,
 * result helpers and the per-kind checkers. Not part of the public API. */
#ifndef THEMEDB_ID_INTERNAL_H
#define THEMEDB_ID_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "themedb/id.h"

/* Reason codes. docs/identifiers.md describes each one. */
#define ID_REASON_NONE ""
#define ID_REASON_EMPTY "empty"
#define ID_REASON_PLACEHOLDER "placeholder"
#define ID_REASON_UNRECOGNIZED "unrecognized"
#define ID_REASON_LENGTH "length"
#define ID_REASON_CHARSET "charset"
#define ID_REASON_FORMAT "format"
#define ID_REASON_CHECKSUM "checksum"
#define ID_REASON_ORG_CHECKSUM "org_checksum"
#define ID_REASON_BIRTH_DATE "birth_date"
#define ID_REASON_REGION_UNKNOWN "region_unknown"
#define ID_REASON_ISSUE_YEAR "issue_year"

/* Maximum number of folded code points kept. The longest valid identifier, a
 * certificate number with a 16-character place name, has 37. */
#define ID_MAX_CHARS 64

/* An input value after folding: full-width forms mapped to ASCII, ASCII letters
 * upper-cased, white space, hyphens, dashes and middle dots removed, control
 * characters and invalid UTF-8 replaced by U+FFFD. */
typedef struct id_text {
    uint32_t chars[ID_MAX_CHARS];
    size_t count;
    bool ascii;    /* every kept character is ASCII */
    bool visible;  /* the input had a character other than white space */
    bool too_long; /* the input had more than ID_MAX_CHARS, so the rest was dropped */
} id_text;

void tdb_id_fold(const char *text, size_t length, id_text *out);

/* Return true when TEXT is a stand-in for a missing value: only separators or
 * punctuation, a word such as 无, 不详 or NULL, or five or more copies of one
 * character. */
bool tdb_id_is_placeholder(const id_text *text);

/* Encode CHARS[0..COUNT) as UTF-8 into OUT (TDB_ID_TEXT_SIZE bytes), stopping at the
 * last whole character that fits. Returns the byte length. */
size_t tdb_id_encode(const uint32_t *chars, size_t count, char *out);

/* Mark RESULT invalid for REASON and clear its normal form. */
void tdb_id_reject(tdb_id_result *result, const char *reason);

/* Mark RESULT valid, copy its candidate to its normal form, and record WARNING
 * ("" for none). */
void tdb_id_accept(tdb_id_result *result, const char *warning);

static inline bool id_is_digit(uint32_t c) { return c >= '0' && c <= '9'; }
static inline bool id_is_upper(uint32_t c) { return c >= 'A' && c <= 'Z'; }
static inline bool id_is_alnum(uint32_t c) { return id_is_digit(c) || id_is_upper(c); }

/* Return true when TEXT[FROM..FROM+COUNT) are all ASCII digits. */
bool tdb_id_all_digits(const id_text *text, size_t from, size_t count);

/* Return the value of the COUNT digits at TEXT[FROM..), which must be digits. */
int tdb_id_digits_value(const id_text *text, size_t from, size_t count);

/* Return true when YEAR-MONTH-DAY is a date of the Gregorian calendar. */
bool tdb_id_calendar_date(int year, int month, int day);

/* Return true when CP is the one-character abbreviation of a mainland province-level
 * division used on plates and certificates (京, 粤, 川 ...). */
bool tdb_id_is_province_abbreviation(uint32_t cp);

/* Per-kind candidates: write the best-effort normal form of TEXT to OUT
 * (TDB_ID_TEXT_SIZE bytes) and return its length. */
size_t tdb_id_candidate_citizen(const id_text *text, char *out);
size_t tdb_id_candidate_phone(const id_text *text, char *out);
size_t tdb_id_candidate_plate(const id_text *text, char *out);
size_t tdb_id_candidate_cert_number(const id_text *text, char *out);

/* Per-kind checkers. Each fills valid, warning, reason, normalized and candidate of
 * RESULT (kind is set by the caller) for a folded, non-blank, non-placeholder TEXT.
 * OPTIONS is never NULL. */
void tdb_id_check_citizen(const id_text *text, const tdb_id_options *options,
                          tdb_id_result *result);
void tdb_id_check_uscc(const id_text *text, tdb_id_result *result);
void tdb_id_check_vin(const id_text *text, tdb_id_result *result);
void tdb_id_check_plate(const id_text *text, tdb_id_result *result);
void tdb_id_check_property_unit(const id_text *text, tdb_id_result *result);
void tdb_id_check_cert_number(const id_text *text, const tdb_id_options *options,
                              tdb_id_result *result);
void tdb_id_check_phone(const id_text *text, tdb_id_result *result);

/* Structure tests used by kind detection; see tdb_id_check. */
bool tdb_id_looks_like_citizen(const id_text *text);
bool tdb_id_looks_like_legacy_citizen(const id_text *text); /* 15 digits */
bool tdb_id_looks_like_phone(const id_text *text);
bool tdb_id_looks_like_uscc(const id_text *text);

#endif

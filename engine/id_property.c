/* Real-estate identifiers: property unit numbers (不动产单元号, GB/T 37346) and
 * real-estate certificate numbers such as 粤(2020)龙川县不动产权第0001234号. */
#include "id_internal.h"

#include "util.h"

/* ---- Property unit numbers ----
 *
 * 28 characters: county region code (6 digits), cadastral zone and sub-zone (3 + 3
 * digits), parcel feature code (2 letters), parcel number (5 digits), fixture code
 * (1 letter) and fixture unit number (8 digits). */

/* First letter of the parcel feature code: land owned by the state (G), by a
 * collective (J), or ownership undetermined (Z). */
static bool is_ownership_letter(uint32_t c) { return c == 'G' || c == 'J' || c == 'Z'; }

/* Second letter: the kind of right over the parcel or sea area, A (collective
 * ownership) to Y (other use rights), as listed in GB/T 37346. */
static bool is_right_letter(uint32_t c)
{
    switch (c) {
    case 'A': case 'B': case 'C': case 'D': case 'E': case 'F': case 'G': case 'H':
    case 'L': case 'N': case 'S': case 'W': case 'X': case 'Y':
        return true;
    default:
        return false;
    }
}

/* Fixture code: building or structure (F), forest (L), other fixture (Q), none (W). */
static bool is_fixture_letter(uint32_t c)
{
    return c == 'F' || c == 'L' || c == 'Q' || c == 'W';
}

static bool property_unit_layout_valid(const id_text *text)
{
    const uint32_t *c = text->chars;
    if (!tdb_id_all_digits(text, 0, 12)) return false;
    if (!is_ownership_letter(c[12]) || !is_right_letter(c[13])) return false;
    if (!tdb_id_all_digits(text, 14, 5)) return false;
    if (!is_fixture_letter(c[19])) return false;
    if (!tdb_id_all_digits(text, 20, 8)) return false;

    /* A parcel without a fixture has the unit number 00000000. */
    if (c[19] == 'W' && tdb_id_digits_value(text, 20, 8) != 0) return false;
    return true;
}

void tdb_id_check_property_unit(const id_text *text, tdb_id_result *result)
{
    tdb_id_encode(text->chars, text->count, result->candidate);

    if (text->count != 28) {
        tdb_id_reject(result, ID_REASON_LENGTH);
        return;
    }
    for (size_t i = 0; i < 28; i++) {
        if (!id_is_alnum(text->chars[i])) {
            tdb_id_reject(result, ID_REASON_CHARSET);
            return;
        }
    }
    if (!property_unit_layout_valid(text)) {
        tdb_id_reject(result, ID_REASON_FORMAT);
        return;
    }
    tdb_id_accept(result, ID_REASON_NONE);
}

/* ---- Certificate numbers ----
 *
 * Province abbreviation, issue year in brackets, registration office (a place name),
 * 不动产权 (certificate of title) or 不动产证明 (certificate of registration), and
 * 第 + 7-digit serial + 号. The normal form uses ASCII parentheses. */

enum { CERT_SERIAL_DIGITS = 7, CERT_MAX_PLACE_CHARS = 16 };

/* Earliest accepted issue year. NOTE: an estimate. The unified real-estate
 * registration rules took effect on 1 March 2015, and one year more allows for
 * pilot offices. */
enum { CERT_FIRST_YEAR = 2014 };

static bool is_open_bracket(uint32_t c)
{
    return c == '(' || c == '[' || c == 0x3014 /* 〔 */ || c == 0x3010 /* 【 */;
}

static bool is_close_bracket(uint32_t c)
{
    return c == ')' || c == ']' || c == 0x3015 /* 〕 */ || c == 0x3011 /* 】 */;
}

static bool is_han(uint32_t c)
{
    return (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3FFFF);
}

static const uint32_t word_title[] = {0x4E0D, 0x52A8, 0x4EA7, 0x6743};         /* 不动产权 */
static const uint32_t word_proof[] = {0x4E0D, 0x52A8, 0x4EA7, 0x8BC1, 0x660E}; /* 不动产证明 */
enum { CHAR_DI = 0x7B2C /* 第 */, CHAR_HAO = 0x53F7 /* 号 */ };

/* Return the length of WORD when it starts at TEXT[AT], else 0. */
static size_t match_word(const id_text *text, size_t at, const uint32_t *word, size_t length)
{
    if (at + length > text->count) return 0;
    for (size_t i = 0; i < length; i++) {
        if (text->chars[at + i] != word[i]) return 0;
    }
    return length;
}

static size_t match_certificate_word(const id_text *text, size_t at)
{
    size_t length = match_word(text, at, word_title, TDB_ARRAY_LEN(word_title));
    if (length == 0) length = match_word(text, at, word_proof, TDB_ARRAY_LEN(word_proof));
    return length;
}

size_t tdb_id_candidate_cert_number(const id_text *text, char *out)
{
    uint32_t chars[ID_MAX_CHARS];
    for (size_t i = 0; i < text->count; i++) {
        uint32_t c = text->chars[i];
        chars[i] = is_open_bracket(c) ? '(' : is_close_bracket(c) ? ')' : c;
    }
    return tdb_id_encode(chars, text->count, out);
}

/* Check the layout of TEXT and store the issue year in *YEAR. Returns NULL or the
 * reason code. */
static const char *cert_layout_problem(const id_text *text, int *year)
{
    const uint32_t *c = text->chars;
    size_t n = text->count;
    if (n < 8 || !tdb_id_is_province_abbreviation(c[0])) return ID_REASON_FORMAT;
    if (!is_open_bracket(c[1]) || !tdb_id_all_digits(text, 2, 4) || !is_close_bracket(c[6]))
        return ID_REASON_FORMAT;
    *year = tdb_id_digits_value(text, 2, 4);

    /* The place name runs up to the certificate word. */
    size_t at = 7;
    while (at < n && is_han(c[at]) && match_certificate_word(text, at) == 0) at++;
    size_t place_length = at - 7;
    size_t word_length = match_certificate_word(text, at);
    if (place_length == 0 || place_length > CERT_MAX_PLACE_CHARS || word_length == 0)
        return ID_REASON_FORMAT;
    at += word_length;

    if (at >= n || c[at] != CHAR_DI) return ID_REASON_FORMAT;
    at++;
    if (!tdb_id_all_digits(text, at, CERT_SERIAL_DIGITS)) return ID_REASON_FORMAT;
    at += CERT_SERIAL_DIGITS;
    if (at + 1 != n || c[at] != CHAR_HAO) return ID_REASON_FORMAT;
    return NULL;
}

void tdb_id_check_cert_number(const id_text *text, const tdb_id_options *options,
                              tdb_id_result *result)
{
    tdb_id_candidate_cert_number(text, result->candidate);

    int year = 0;
    const char *problem = cert_layout_problem(text, &year);
    if (problem != NULL) {
        tdb_id_reject(result, problem);
        return;
    }
    int latest_year = options->reference_date > 0 ? options->reference_date / 10000 : 9999;
    if (year < CERT_FIRST_YEAR || year > latest_year) {
        tdb_id_reject(result, ID_REASON_ISSUE_YEAR);
        return;
    }
    tdb_id_accept(result, ID_REASON_NONE);
}

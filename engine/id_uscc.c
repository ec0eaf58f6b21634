/* Unified social credit codes (统一社会信用代码, GB 32100-2015): registration authority,
 * category, 6-digit region code, 9-character organisation code (GB 11714, with its
 * own check character) and a check character over the 31-character alphabet.
 *
 * Some codes issued before 2016 fail the checksum yet are registered, so a failed
 * checksum is a warning: the value stays valid and keeps its normal form. */
#include "id_internal.h"

#include "util.h"

/* Digits and upper-case letters without I, O, S, V and Z, in value order. */
static const char alphabet[31] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

static const int check_weights[17] = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                      29, 25, 13, 8,  24, 10, 30, 28};
static const int org_weights[8] = {3, 7, 9, 10, 5, 8, 4, 2};

/* Return the value of C in the alphabet, or -1. */
static int alphabet_value(uint32_t c)
{
    if (id_is_digit(c)) return (int)(c - '0');
    if (!id_is_upper(c)) return -1;
    for (int value = 10; value < 31; value++) {
        if ((uint32_t)alphabet[value] == c) return value;
    }
    return -1;
}

/* Return true when AUTHORITY and CATEGORY form a pair published with GB 32100 or
 * added by later notices. */
static bool authority_category_known(uint32_t authority, uint32_t category)
{
    /* Each entry lists the categories of one registration authority. */
    static const struct {
        char authority;
        const char *categories;
    } pairs[] = {
        {'1', "1239"},   /* institutional staffing: organs, public institutions */
        {'2', "19"},     /* foreign affairs */
        {'3', "123459"}, /* justice: law firms, notaries, arbitration */
        {'4', "19"},     /* culture */
        {'5', "1239"},   /* civil affairs: associations, foundations */
        {'6', "129"},    /* tourism */
        {'7', "129"},    /* religious affairs */
        {'8', "19"},     /* trade unions */
        {'9', "123"},    /* market regulation: enterprises, sole traders, cooperatives */
        {'A', "19"},     /* central military commission */
        {'N', "1239"},   /* agriculture: rural collective economic organisations */
        {'Y', "1"},      /* other */
    };
    for (size_t i = 0; i < TDB_ARRAY_LEN(pairs); i++) {
        if ((uint32_t)pairs[i].authority != authority) continue;
        for (const char *c = pairs[i].categories; *c != '\0'; c++) {
            if ((uint32_t)*c == category) return true;
        }
    }
    return false;
}

/* Return true when CODE is the first two digits of a province-level region code, or
 * 10 for bodies registered at national level. */
static bool region_province_plausible(int code)
{
    return code == 10 || (code >= 11 && code <= 15) || (code >= 21 && code <= 23) ||
           (code >= 31 && code <= 37) || (code >= 41 && code <= 46) ||
           (code >= 50 && code <= 54) || (code >= 61 && code <= 65) || code == 71 ||
           code == 81 || code == 82;
}

bool tdb_id_looks_like_uscc(const id_text *text)
{
    if (text->count != 18 || !text->ascii) return false;
    if (!authority_category_known(text->chars[0], text->chars[1])) return false;
    if (!tdb_id_all_digits(text, 2, 6)) return false;
    if (!region_province_plausible(tdb_id_digits_value(text, 2, 2))) return false;
    for (size_t i = 8; i < 18; i++) {
        if (!id_is_alnum(text->chars[i])) return false;
    }
    return true;
}

static bool checksum_matches(const id_text *text)
{
    int sum = 0;
    for (int i = 0; i < 17; i++) sum += alphabet_value(text->chars[i]) * check_weights[i];
    return (uint32_t)alphabet[(31 - sum % 31) % 31] == text->chars[17];
}

/* Check characters 9-17, the organisation code: GB 11714 values digits as
 * themselves and letters A-Z as 10-35, and its check value 10 is written X and 11
 * is written 0. */
static bool org_checksum_matches(const id_text *text)
{
    int sum = 0;
    for (int i = 0; i < 8; i++) {
        uint32_t c = text->chars[8 + i];
        int value = id_is_digit(c) ? (int)(c - '0') : (int)(c - 'A') + 10;
        sum += value * org_weights[i];
    }
    int check = 11 - sum % 11;
    uint32_t expected = (uint32_t)('0' + check);
    if (check == 10) expected = 'X';
    if (check == 11) expected = '0';
    return text->chars[16] == expected;
}

void tdb_id_check_uscc(const id_text *text, tdb_id_result *result)
{
    tdb_id_encode(text->chars, text->count, result->candidate);

    if (text->count != 18) {
        tdb_id_reject(result, ID_REASON_LENGTH);
        return;
    }
    for (size_t i = 0; i < 18; i++) {
        if (alphabet_value(text->chars[i]) < 0) {
            tdb_id_reject(result, ID_REASON_CHARSET);
            return;
        }
    }
    if (!tdb_id_all_digits(text, 2, 6)) {
        tdb_id_reject(result, ID_REASON_FORMAT);
        return;
    }

    if (!checksum_matches(text))
        tdb_id_accept(result, ID_REASON_CHECKSUM);
    else if (!org_checksum_matches(text))
        tdb_id_accept(result, ID_REASON_ORG_CHECKSUM);
    else
        tdb_id_accept(result, ID_REASON_NONE);
}

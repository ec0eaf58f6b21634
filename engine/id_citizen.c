/* Citizen ID numbers (公民身份号码, GB 11643-1999): 6-digit region code, 8-digit
 * birth date, 3-digit sequence number whose parity gives the gender, and a check
 * character. 15-digit numbers issued before 1999 are upgraded to 18 digits by
 * inserting the century "19" after the region code and appending the check
 * character. */
#include "id_internal.h"

#include <string.h>

#include "util.h"

/* ISO 7064 MOD 11-2 as GB 11643 states it: the digit at 0-based index i has the
 * weight 2^(17-i) mod 11. */
static const int check_weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
static const char check_characters[11] = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};

static char check_character(const char digits[17])
{
    int sum = 0;
    for (int i = 0; i < 17; i++) sum += (digits[i] - '0') * check_weights[i];
    return check_characters[sum % 11];
}

/* Return true when the first two digits name a province-level division: 11-15,
 * 21-23, 31-37, 41-46, 50-54, 61-65, 71 (Taiwan), 81 and 82 (Hong Kong, Macao), and
 * 83, which residence permits for Taiwan residents use. */
static bool province_code_known(int code)
{
    return (code >= 11 && code <= 15) || (code >= 21 && code <= 23) ||
           (code >= 31 && code <= 37) || (code >= 41 && code <= 46) ||
           (code >= 50 && code <= 54) || (code >= 61 && code <= 65) || code == 71 ||
           code == 81 || code == 82 || code == 83;
}

bool tdb_id_looks_like_citizen(const id_text *text)
{
    if (text->count != 18 || !tdb_id_all_digits(text, 0, 17)) return false;
    uint32_t last = text->chars[17];
    if (!id_is_digit(last) && last != 'X') return false;
    if (!province_code_known(tdb_id_digits_value(text, 0, 2))) return false;

    /* A loose date shape, so that 30 February is still read as a bad ID number. */
    int year = tdb_id_digits_value(text, 6, 4);
    int month = tdb_id_digits_value(text, 10, 2);
    int day = tdb_id_digits_value(text, 12, 2);
    return year >= 1800 && year <= 2099 && month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

bool tdb_id_looks_like_legacy_citizen(const id_text *text)
{
    return text->count == 15 && tdb_id_all_digits(text, 0, 15) &&
           province_code_known(tdb_id_digits_value(text, 0, 2));
}

/* Write the 18-character form of a 15-digit TEXT to NUMBER (no terminator). */
static void upgrade_legacy(const id_text *text, char number[18])
{
    for (int i = 0; i < 6; i++) number[i] = (char)text->chars[i];
    number[6] = '1';
    number[7] = '9';
    for (int i = 6; i < 15; i++) number[i + 2] = (char)text->chars[i];
    number[17] = check_character(number);
}

size_t tdb_id_candidate_citizen(const id_text *text, char *out)
{
    if (text->count == 15 && tdb_id_all_digits(text, 0, 15)) {
        upgrade_legacy(text, out);
        out[18] = '\0';
        return 18;
    }
    return tdb_id_encode(text->chars, text->count, out);
}

/* Return the reason the characters of TEXT break the layout, or NULL. */
static const char *layout_problem(const id_text *text)
{
    if (text->count != 18 && text->count != 15) return ID_REASON_LENGTH;
    for (size_t i = 0; i < text->count; i++) {
        uint32_t c = text->chars[i];
        if (id_is_digit(c)) continue;
        if (i == 17 && c == 'X') continue;
        return ID_REASON_CHARSET;
    }
    return NULL;
}

/* Return true when NUMBER's birth date is a real date from 1800-01-01 to the
 * reference date; then store it and the gender in RESULT. */
static bool read_birth_date(const char number[18], const tdb_id_options *options,
                            tdb_id_result *result)
{
    int date = 0;
    for (int i = 6; i < 14; i++) date = date * 10 + (number[i] - '0');
    int year = date / 10000;
    int month = date / 100 % 100;
    int day = date % 100;
    if (year < 1800 || !tdb_id_calendar_date(year, month, day)) return false;
    if (options->reference_date > 0 && date > options->reference_date) return false;

    memcpy(result->birth_date, number + 6, 8);
    result->birth_date[8] = '\0';
    result->gender = (number[16] - '0') % 2 == 1 ? 'M' : 'F';
    return true;
}

static bool region_known(const char number[18], const tdb_id_options *options)
{
    if (!province_code_known((number[0] - '0') * 10 + (number[1] - '0'))) return false;
    if (options->region_known == NULL) return true;
    return options->region_known(options->region_context, number);
}

void tdb_id_check_citizen(const id_text *text, const tdb_id_options *options,
                          tdb_id_result *result)
{
    tdb_id_candidate_citizen(text, result->candidate);

    const char *problem = layout_problem(text);
    if (problem != NULL) {
        tdb_id_reject(result, problem);
        return;
    }

    /* The candidate is the 18-character number now, upgraded when the input had 15. */
    const char *number = result->candidate;
    if (!read_birth_date(number, options, result)) {
        tdb_id_reject(result, ID_REASON_BIRTH_DATE);
        return;
    }

    if (text->count == 18 && check_character(number) != number[17]) {
        tdb_id_reject(result, ID_REASON_CHECKSUM);
        return;
    }

    tdb_id_accept(result, region_known(number, options) ? ID_REASON_NONE
                                                        : ID_REASON_REGION_UNKNOWN);
}

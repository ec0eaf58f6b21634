/* Vehicle identifiers: VINs (GB 16735 / ISO 3779) with their check digit, and
 * licence plate numbers. A plate is a province abbreviation, an issuing-office letter
 * and a serial. The serial has 5 characters, or 4 and a suffix (挂 trailer,
 * 学 driving school, 警 police, 港 and 澳 cross-border), or 6 on new-energy plates. */
#include "id_internal.h"

#include "util.h"

/* ---- VIN ---- */

/* Value of each letter in the VIN check digit calculation, A..Z. I, O and Q are
 * not used in VINs and have no value (-1). */
static const int vin_letter_values[26] = {
    1, 2, 3, 4, 5, 6, 7, 8, -1, 1, 2, 3, 4, 5, -1, 7, -1, 9, 2, 3, 4, 5, 6, 7, 8, 9,
};
static const int vin_weights[17] = {8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2};

static int vin_value(uint32_t c)
{
    if (id_is_digit(c)) return (int)(c - '0');
    if (id_is_upper(c)) return vin_letter_values[c - 'A'];
    return -1;
}

void tdb_id_check_vin(const id_text *text, tdb_id_result *result)
{
    tdb_id_encode(text->chars, text->count, result->candidate);

    if (text->count != 17) {
        tdb_id_reject(result, ID_REASON_LENGTH);
        return;
    }
    int sum = 0;
    for (size_t i = 0; i < 17; i++) {
        int value = vin_value(text->chars[i]);
        if (value < 0) {
            tdb_id_reject(result, ID_REASON_CHARSET);
            return;
        }
        sum += value * vin_weights[i];
    }

    /* The check digit is the weighted sum mod 11, with 10 written X. */
    int remainder = sum % 11;
    uint32_t expected = remainder == 10 ? 'X' : (uint32_t)('0' + remainder);
    if (text->chars[8] != expected) {
        tdb_id_reject(result, ID_REASON_CHECKSUM);
        return;
    }
    tdb_id_accept(result, ID_REASON_NONE);
}

/* ---- Licence plates ---- */

static bool is_plate_suffix(uint32_t cp)
{
    return cp == 0x6302 /* 挂 */ || cp == 0x5B66 /* 学 */ || cp == 0x8B66 /* 警 */ ||
           cp == 0x6E2F /* 港 */ || cp == 0x6FB3 /* 澳 */;
}

/* Letters that open or close a new-energy serial. The original rules use D (pure
 * electric) and F (other new-energy vehicles).
 * NOTE: A, B, C, E and G, H, J, K follow a later expansion of the series. That list
 * is not checked against the official notice, so these letters are accepted, not
 * required. */
static bool is_energy_letter(uint32_t c)
{
    return c == 'D' || c == 'A' || c == 'B' || c == 'C' || c == 'E' || c == 'F' ||
           c == 'G' || c == 'H' || c == 'J' || c == 'K';
}

/* Copy TEXT without ASCII full stops, which people also type as the middle dot. */
static size_t plate_chars(const id_text *text, uint32_t *chars)
{
    size_t count = 0;
    for (size_t i = 0; i < text->count; i++) {
        if (text->chars[i] != '.') chars[count++] = text->chars[i];
    }
    return count;
}

size_t tdb_id_candidate_plate(const id_text *text, char *out)
{
    uint32_t chars[ID_MAX_CHARS];
    size_t count = plate_chars(text, chars);
    return tdb_id_encode(chars, count, out);
}

/* Return true when the 6-character SERIAL of a new-energy plate has the small-car
 * layout (energy letter, letter or digit, 4 digits) or the large-vehicle layout
 * (5 digits, energy letter). */
static bool energy_serial_valid(const uint32_t *serial)
{
    for (int i = 2; i < 5; i++) {
        if (!id_is_digit(serial[i])) return false;
    }

    if (is_energy_letter(serial[0]) && id_is_digit(serial[5])) return true;
    return id_is_digit(serial[0]) && id_is_digit(serial[1]) && is_energy_letter(serial[5]);
}

/* Return the reason SERIAL[0..COUNT), the characters after the office letter, is not
 * a plate serial, or NULL. */
static const char *serial_problem(const uint32_t *serial, size_t count)
{
    bool has_suffix = count == 5 && is_plate_suffix(serial[4]);
    size_t alnum_count = has_suffix ? 4 : count;
    if (count != 5 && count != 6) return ID_REASON_LENGTH;

    for (size_t i = 0; i < alnum_count; i++) {
        uint32_t c = serial[i];
        if (!id_is_alnum(c) || c == 'I' || c == 'O') return ID_REASON_CHARSET;
    }
    if (count == 6 && !energy_serial_valid(serial)) return ID_REASON_FORMAT;
    return NULL;
}

void tdb_id_check_plate(const id_text *text, tdb_id_result *result)
{
    uint32_t chars[ID_MAX_CHARS] = {0};
    size_t count = plate_chars(text, chars);
    tdb_id_encode(chars, count, result->candidate);

    if (count < 7 || count > 8) {
        tdb_id_reject(result, ID_REASON_LENGTH);
        return;
    }
    if (!tdb_id_is_province_abbreviation(chars[0])) {
        tdb_id_reject(result, ID_REASON_FORMAT);
        return;
    }

    /* The issuing-office letter: any letter but I and O. */
    uint32_t office = chars[1];
    if (office == 'I' || office == 'O') {
        tdb_id_reject(result, ID_REASON_CHARSET);
        return;
    }
    if (!id_is_upper(office)) {
        tdb_id_reject(result, ID_REASON_FORMAT);
        return;
    }

    const char *problem = serial_problem(chars + 2, count - 2);
    if (problem != NULL) {
        tdb_id_reject(result, problem);
        return;
    }
    tdb_id_accept(result, ID_REASON_NONE);
}

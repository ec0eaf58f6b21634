/* Mainland mobile phone numbers: 11 digits starting 13 to 19. The country code
 * (+86, 86 or 0086), parentheses and full stops are removed before the check. */
#include "id_internal.h"

#include "util.h"

/* Copy the characters of TEXT that can be part of the number to CHARS, dropping
 * parentheses, full stops and the country code. Returns the count. */
static size_t phone_chars(const id_text *text, uint32_t *chars)
{
    size_t count = 0;
    for (size_t i = 0; i < text->count; i++) {
        uint32_t c = text->chars[i];
        if (c != '(' && c != ')' && c != '.') chars[count++] = c;
    }

    size_t prefix = 0;
    if (count >= 3 && chars[0] == '+' && chars[1] == '8' && chars[2] == '6')
        prefix = 3;
    else if (count == 13 && chars[0] == '8' && chars[1] == '6')
        prefix = 2;
    else if (count == 15 && chars[0] == '0' && chars[1] == '0' && chars[2] == '8' &&
             chars[3] == '6')
        prefix = 4;
    for (size_t i = prefix; i < count; i++) chars[i - prefix] = chars[i];
    return count - prefix;
}

static bool all_digits(const uint32_t *chars, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        if (!id_is_digit(chars[i])) return false;
    }
    return true;
}

size_t tdb_id_candidate_phone(const id_text *text, char *out)
{
    uint32_t chars[ID_MAX_CHARS];
    size_t count = phone_chars(text, chars);
    return tdb_id_encode(chars, count, out);
}

bool tdb_id_looks_like_phone(const id_text *text)
{
    if (text->count < 11) return false;
    uint32_t chars[ID_MAX_CHARS];
    size_t count = phone_chars(text, chars);
    return count == 11 && chars[0] == '1' && all_digits(chars, count);
}

void tdb_id_check_phone(const id_text *text, tdb_id_result *result)
{
    uint32_t chars[ID_MAX_CHARS];
    size_t count = phone_chars(text, chars);
    tdb_id_encode(chars, count, result->candidate);

    if (!all_digits(chars, count)) {
        tdb_id_reject(result, ID_REASON_CHARSET);
        return;
    }
    if (count != 11) {
        tdb_id_reject(result, ID_REASON_LENGTH);
        return;
    }
    if (chars[0] != '1' || chars[1] < '3') {
        tdb_id_reject(result, ID_REASON_FORMAT);
        return;
    }
    tdb_id_accept(result, ID_REASON_NONE);
}

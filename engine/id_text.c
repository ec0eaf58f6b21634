/* Folding of identifier values before any check: one pass over the UTF-8 input maps
 * full-width forms to ASCII, upper-cases letters and drops white space and
 * separators, so that every kind checker receives the same compact code points. Also
 * placeholder detection, UTF-8 output and small date and digit helpers. */
#include "id_internal.h"

#include <string.h>

#include "util.h"

enum { FOLD_SPACE = 0x110000, FOLD_SEPARATOR = 0x110001 };

/* Map one code point to its folded form, FOLD_SPACE or FOLD_SEPARATOR. */
static uint32_t fold_char(uint32_t cp)
{
    /* Full-width ASCII variants (U+FF01..U+FF5E) become their ASCII forms first,
     * so that a full-width hyphen or letter is then treated like the ASCII one. */
    if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;

    if (cp < 0x80) {
        if (cp >= 'a' && cp <= 'z') return cp - ('a' - 'A');
        if (cp == ' ' || (cp >= '\t' && cp <= '\r')) return FOLD_SPACE;
        if (cp == '-') return FOLD_SEPARATOR;
        if (cp < 0x20 || cp == 0x7F) return 0xFFFD;
        return cp;
    }
    switch (cp) {
    case 0x00A0: /* no-break space */
    case 0x200B: /* zero-width space */
    case 0x202F: /* narrow no-break space */
    case 0x205F: /* medium mathematical space */
    case 0x3000: /* ideographic space */
    case 0xFEFF: /* byte order mark */
        return FOLD_SPACE;
    case 0x00B7: /* middle dot, as in 粤P·12345 */
    case 0x2022: /* bullet */
    case 0x2027: /* hyphenation point */
    case 0x2212: /* minus sign */
    case 0x22C5: /* dot operator */
    case 0x30FB: /* katakana middle dot */
    case 0xFE58: /* small em dash */
    case 0xFE63: /* small hyphen-minus */
    case 0xFF65: /* half-width katakana middle dot */
        return FOLD_SEPARATOR;
    default:
        break;
    }
    if (cp >= 0x2000 && cp <= 0x200A) return FOLD_SPACE;     /* en quad .. hair space */
    if (cp >= 0x2010 && cp <= 0x2015) return FOLD_SEPARATOR; /* hyphen .. horizontal bar */
    if (cp >= 0x80 && cp < 0xA0) return 0xFFFD;              /* C1 controls */
    return cp;
}

/* Decode the well-formed 2- or 3-byte UTF-8 sequence at TEXT[*POS..LENGTH), which
 * covers every CJK character in the basic plane, and advance *POS; fall back to the
 * full decoder for anything else. Invalid sequences become U+FFFD. */
static uint32_t decode_multibyte(const char *text, size_t length, size_t *pos)
{
    const unsigned char *bytes = (const unsigned char *)text + *pos;
    size_t left = length - *pos;
    if (left >= 2 && (bytes[0] & 0xE0) == 0xC0 && bytes[0] >= 0xC2 && (bytes[1] & 0xC0) == 0x80) {
        *pos += 2;
        return (uint32_t)(bytes[0] & 0x1F) << 6 | (bytes[1] & 0x3F);
    }
    if (left >= 3 && (bytes[0] & 0xF0) == 0xE0 && (bytes[1] & 0xC0) == 0x80 &&
        (bytes[2] & 0xC0) == 0x80) {
        uint32_t cp = (uint32_t)(bytes[0] & 0x0F) << 12 | (uint32_t)(bytes[1] & 0x3F) << 6 |
                      (bytes[2] & 0x3F);
        /* Overlong forms and surrogates are invalid. */
        if (cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)) {
            *pos += 3;
            return cp;
        }
    }
    int32_t decoded = tdb_utf8_next(text, length, pos);
    return decoded < 0 ? 0xFFFD : (uint32_t)decoded;
}

void tdb_id_fold(const char *text, size_t length, id_text *out)
{
    out->count = 0;
    out->ascii = true;
    out->visible = false;
    out->too_long = false;

    size_t pos = 0;
    while (pos < length) {
        unsigned char byte = (unsigned char)text[pos];
        uint32_t cp;
        if (byte < 0x80) {
            cp = byte;
            pos++;
        } else {
            cp = decode_multibyte(text, length, &pos);
        }

        cp = fold_char(cp);
        if (cp == FOLD_SPACE) continue;
        out->visible = true;
        if (cp == FOLD_SEPARATOR) continue;
        if (out->count == ID_MAX_CHARS) {
            out->too_long = true;
            return;
        }
        out->chars[out->count++] = cp;
        if (cp >= 0x80) out->ascii = false;
    }
}

/* Words that departments type where the value is unknown, in folded form, as code
 * points: 无, 暂无, 不详, 未知, 空, 缺, NULL, NONE, NIL, N/A and NA. */
enum { PLACEHOLDER_MAX_CHARS = 4 };
static const uint32_t placeholder_words[][PLACEHOLDER_MAX_CHARS + 1] = {
    {0x65E0},
    {0x6682, 0x65E0},
    {0x4E0D, 0x8BE6},
    {0x672A, 0x77E5},
    {0x7A7A},
    {0x7F3A},
    {'N', 'U', 'L', 'L'},
    {'N', 'O', 'N', 'E'},
    {'N', 'I', 'L'},
    {'N', '/', 'A'},
    {'N', 'A'},
};

/* Return true when TEXT is the zero-terminated WORD. */
static bool text_equals(const id_text *text, const uint32_t *word)
{
    size_t index = 0;
    while (index < PLACEHOLDER_MAX_CHARS && word[index] != 0) {
        if (index >= text->count || text->chars[index] != word[index]) return false;
        index++;
    }
    return index == text->count;
}

bool tdb_id_is_placeholder(const id_text *text)
{
    if (text->count == 0) return text->visible;

    bool punctuation_only = true;
    bool all_same = true;
    for (size_t i = 0; i < text->count; i++) {
        uint32_t c = text->chars[i];
        if (c >= 0x80 || id_is_alnum(c)) punctuation_only = false;
        if (c != text->chars[0]) all_same = false;
    }
    if (punctuation_only) return true;
    if (all_same && text->count >= 5) return true;

    if (text->count > PLACEHOLDER_MAX_CHARS) return false;
    for (size_t i = 0; i < TDB_ARRAY_LEN(placeholder_words); i++) {
        if (text_equals(text, placeholder_words[i])) return true;
    }
    return false;
}

size_t tdb_id_encode(const uint32_t *chars, size_t count, char *out)
{
    size_t used = 0;
    for (size_t i = 0; i < count; i++) {
        uint32_t c = chars[i];
        size_t width = 4;
        if (c < 0x80)
            width = 1;
        else if (c < 0x800)
            width = 2;
        else if (c < 0x10000)
            width = 3;
        if (used + width >= TDB_ID_TEXT_SIZE) break;

        unsigned char *bytes = (unsigned char *)out + used;
        switch (width) {
        case 1:
            bytes[0] = (unsigned char)c;
            break;
        case 2:
            bytes[0] = (unsigned char)(0xC0 | (c >> 6));
            bytes[1] = (unsigned char)(0x80 | (c & 0x3F));
            break;
        case 3:
            bytes[0] = (unsigned char)(0xE0 | (c >> 12));
            bytes[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
            bytes[2] = (unsigned char)(0x80 | (c & 0x3F));
            break;
        default:
            bytes[0] = (unsigned char)(0xF0 | (c >> 18));
            bytes[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3F));
            bytes[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
            bytes[3] = (unsigned char)(0x80 | (c & 0x3F));
            break;
        }
        used += width;
    }
    out[used] = '\0';
    return used;
}

void tdb_id_reject(tdb_id_result *result, const char *reason)
{
    result->valid = false;
    result->warning = false;
    result->reason = reason;
    result->normalized[0] = '\0';
}

void tdb_id_accept(tdb_id_result *result, const char *warning)
{
    result->valid = true;
    result->warning = warning[0] != '\0';
    result->reason = warning;
    memcpy(result->normalized, result->candidate, sizeof result->normalized);
}

bool tdb_id_all_digits(const id_text *text, size_t from, size_t count)
{
    if (from + count > text->count) return false;
    for (size_t i = from; i < from + count; i++) {
        if (!id_is_digit(text->chars[i])) return false;
    }
    return true;
}

int tdb_id_digits_value(const id_text *text, size_t from, size_t count)
{
    int value = 0;
    for (size_t i = from; i < from + count; i++) value = value * 10 + (int)(text->chars[i] - '0');
    return value;
}

bool tdb_id_calendar_date(int year, int month, int day)
{
    static const int month_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12 || day < 1) return false;
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    int days = month_days[month - 1] + (month == 2 && leap ? 1 : 0);
    return day <= days;
}

bool tdb_id_is_province_abbreviation(uint32_t cp)
{
    /* The 31 mainland provinces, autonomous regions and municipalities. */
    static const uint32_t abbreviations[] = {
        0x4EAC /* 京 */, 0x6D25 /* 津 */, 0x6CAA /* 沪 */, 0x6E1D /* 渝 */, 0x5180 /* 冀 */,
        0x8C6B /* 豫 */, 0x4E91 /* 云 */, 0x8FBD /* 辽 */, 0x9ED1 /* 黑 */, 0x6E58 /* 湘 */,
        0x7696 /* 皖 */, 0x9C81 /* 鲁 */, 0x65B0 /* 新 */, 0x82CF /* 苏 */, 0x6D59 /* 浙 */,
        0x8D63 /* 赣 */, 0x9102 /* 鄂 */, 0x6842 /* 桂 */, 0x7518 /* 甘 */, 0x664B /* 晋 */,
        0x8499 /* 蒙 */, 0x9655 /* 陕 */, 0x5409 /* 吉 */, 0x95FD /* 闽 */, 0x8D35 /* 贵 */,
        0x7CA4 /* 粤 */, 0x9752 /* 青 */, 0x85CF /* 藏 */, 0x5DDD /* 川 */, 0x5B81 /* 宁 */,
        0x743C /* 琼 */,
    };
    for (size_t i = 0; i < TDB_ARRAY_LEN(abbreviations); i++) {
        if (abbreviations[i] == cp) return true;
    }
    return false;
}

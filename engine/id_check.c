/* Entry points of the identifier module: fold the input, detect the kind from the
 * structure of the value (never from which checksum passes), and hand the folded
 * value to the checker of that kind. Kind names and the descriptions of kinds and
 * reason codes live here too. */
#include "id_internal.h"

#include <string.h>

#include "log.h"
#include "util.h"

static const char *const kind_names[TDB_ID_KIND_COUNT] = {
    "unknown", "id_number", "uscc", "vin", "plate", "property_unit", "cert_number", "phone",
};

static const char *const kind_descriptions[TDB_ID_KIND_COUNT] = {
    N_("unrecognized value"),
    N_("citizen ID number"),
    N_("unified social credit code"),
    N_("vehicle identification number (VIN)"),
    N_("licence plate number"),
    N_("property unit number"),
    N_("real-estate certificate number"),
    N_("mobile phone number"),
};

static const struct {
    const char *code;
    const char *description;
} reasons[] = {
    {ID_REASON_EMPTY, N_("the value is empty")},
    {ID_REASON_PLACEHOLDER, N_("the value is a placeholder, not an identifier")},
    {ID_REASON_UNRECOGNIZED, N_("the value has the structure of no known identifier kind")},
    {ID_REASON_LENGTH, N_("the value has the wrong number of characters for its kind")},
    {ID_REASON_CHARSET, N_("the value contains a character its kind does not use")},
    {ID_REASON_FORMAT, N_("the characters are not laid out as its kind requires")},
    {ID_REASON_CHECKSUM, N_("the check character does not match the other characters")},
    {ID_REASON_ORG_CHECKSUM, N_("the check character of the embedded organisation code does not match")},
    {ID_REASON_BIRTH_DATE, N_("the birth date is not a real date between 1800-01-01 and the reference date")},
    {ID_REASON_REGION_UNKNOWN, N_("the region code is not in the division list; it may be a retired code")},
    {ID_REASON_ISSUE_YEAR, N_("the issue year is before 2014 or after the reference date")},
};

const char *tdb_id_kind_name(tdb_id_kind kind)
{
    if ((unsigned)kind >= TDB_ID_KIND_COUNT) return kind_names[TDB_ID_UNKNOWN];
    return kind_names[kind];
}

bool tdb_id_kind_parse(const char *name, tdb_id_kind *kind)
{
    for (int i = 0; i < TDB_ID_KIND_COUNT; i++) {
        if (strcmp(name, kind_names[i]) == 0) {
            *kind = (tdb_id_kind)i;
            return true;
        }
    }
    return false;
}

const char *tdb_id_kind_description(tdb_id_kind kind)
{
    if ((unsigned)kind >= TDB_ID_KIND_COUNT) return kind_descriptions[TDB_ID_UNKNOWN];
    return kind_descriptions[kind];
}

const char *tdb_id_reason_description(const char *reason)
{
    for (size_t i = 0; i < TDB_ARRAY_LEN(reasons); i++) {
        if (strcmp(reason, reasons[i].code) == 0) return reasons[i].description;
    }
    return NULL;
}

static bool contains_real_estate_word(const id_text *text)
{
    /* 不动产 appears in every certificate number. */
    for (size_t i = 0; i + 3 <= text->count; i++) {
        if (text->chars[i] == 0x4E0D && text->chars[i + 1] == 0x52A8 &&
            text->chars[i + 2] == 0x4EA7)
            return true;
    }
    return false;
}

/* Return true when TEXT is 17 digits and a final digit or X, with a province code
 * and a century (18, 19 or 20) where an ID number has them: an ID number whose
 * birth date was mistyped. */
static bool looks_like_damaged_citizen(const id_text *text)
{
    if (text->count != 18 || !tdb_id_all_digits(text, 0, 17)) return false;
    uint32_t last = text->chars[17];
    if (!id_is_digit(last) && last != 'X') return false;
    int century = tdb_id_digits_value(text, 6, 2);
    return century >= 18 && century <= 20;
}

/* Choose the kind of an 18-character ASCII value. An ID number is 17 digits, a digit
 * or X, and a plausible birth date. A credit code starts with a registration
 * authority and category and may contain letters. A value that fits both is an ID
 * number.
 * NOTE: an all-digit credit code whose first two digits are also a province code
 * (such as 12 or 51) and whose characters 7-14 read as a date is taken for an ID
 * number. Callers that know the column force the kind. */
static tdb_id_kind detect_eighteen(const id_text *text)
{
    if (tdb_id_looks_like_citizen(text)) return TDB_ID_NUMBER;
    if (tdb_id_looks_like_uscc(text)) return TDB_ID_USCC;
    if (looks_like_damaged_citizen(text)) return TDB_ID_NUMBER;
    if (tdb_id_all_digits(text, 0, 6)) return TDB_ID_NUMBER;
    return TDB_ID_USCC;
}

static tdb_id_kind detect_kind(const id_text *text)
{
    if (!text->ascii) {
        if (contains_real_estate_word(text)) return TDB_ID_CERT_NUMBER;
        if (tdb_id_is_province_abbreviation(text->chars[0])) return TDB_ID_PLATE;
        return TDB_ID_UNKNOWN;
    }
    if (text->chars[0] == '+' || tdb_id_looks_like_phone(text)) return TDB_ID_PHONE;

    bool has_letter = false;
    for (size_t i = 0; i < text->count; i++) {
        if (id_is_upper(text->chars[i])) has_letter = true;
    }
    switch (text->count) {
    case 15:
        return tdb_id_looks_like_legacy_citizen(text) ? TDB_ID_NUMBER : TDB_ID_UNKNOWN;
    case 17:
        /* A VIN has letters; 17 digits are an ID number without its check digit. */
        if (has_letter) return TDB_ID_VIN;
        return tdb_id_all_digits(text, 0, 17) ? TDB_ID_NUMBER : TDB_ID_UNKNOWN;
    case 18:
        return detect_eighteen(text);
    case 28:
        return TDB_ID_PROPERTY_UNIT;
    default:
        return TDB_ID_UNKNOWN;
    }
}

/* Write the best-effort normal form of TEXT read as KIND to OUT. */
static size_t kind_candidate(const id_text *text, tdb_id_kind kind, char *out)
{
    switch (kind) {
    case TDB_ID_NUMBER: return tdb_id_candidate_citizen(text, out);
    case TDB_ID_PLATE: return tdb_id_candidate_plate(text, out);
    case TDB_ID_CERT_NUMBER: return tdb_id_candidate_cert_number(text, out);
    case TDB_ID_PHONE: return tdb_id_candidate_phone(text, out);
    default: return tdb_id_encode(text->chars, text->count, out);
    }
}

static void run_checker(const id_text *text, const tdb_id_options *options,
                        tdb_id_result *result)
{
    switch (result->kind) {
    case TDB_ID_NUMBER: tdb_id_check_citizen(text, options, result); return;
    case TDB_ID_USCC: tdb_id_check_uscc(text, result); return;
    case TDB_ID_VIN: tdb_id_check_vin(text, result); return;
    case TDB_ID_PLATE: tdb_id_check_plate(text, result); return;
    case TDB_ID_PROPERTY_UNIT: tdb_id_check_property_unit(text, result); return;
    case TDB_ID_CERT_NUMBER: tdb_id_check_cert_number(text, options, result); return;
    case TDB_ID_PHONE: tdb_id_check_phone(text, result); return;
    case TDB_ID_UNKNOWN: break;
    }
    kind_candidate(text, result->kind, result->candidate);
    tdb_id_reject(result, ID_REASON_UNRECOGNIZED);
}

void tdb_id_check(const char *text, size_t length, tdb_id_kind forced,
                  const tdb_id_options *options, tdb_id_result *result)
{
    static const tdb_id_options no_options = {0, NULL, NULL};
    if (options == NULL) options = &no_options;
    if ((unsigned)forced >= TDB_ID_KIND_COUNT) forced = TDB_ID_UNKNOWN;

    result->kind = forced;
    result->candidate[0] = '\0';
    result->birth_date[0] = '\0';
    result->gender = 0;

    id_text folded;
    tdb_id_fold(text, length, &folded);
    if (!folded.visible) {
        tdb_id_reject(result, ID_REASON_EMPTY);
        return;
    }
    if (folded.too_long) {
        kind_candidate(&folded, forced, result->candidate);
        tdb_id_reject(result, ID_REASON_LENGTH);
        return;
    }

    if (forced == TDB_ID_UNKNOWN && folded.count > 0) result->kind = detect_kind(&folded);
    if (tdb_id_is_placeholder(&folded)) {
        kind_candidate(&folded, result->kind, result->candidate);
        tdb_id_reject(result, ID_REASON_PLACEHOLDER);
        return;
    }
    run_checker(&folded, options, result);
}

size_t tdb_id_normalize(const char *text, size_t length, tdb_id_kind kind,
                        char out[TDB_ID_TEXT_SIZE])
{
    id_text folded;
    tdb_id_fold(text, length, &folded);
    return kind_candidate(&folded, kind, out);
}

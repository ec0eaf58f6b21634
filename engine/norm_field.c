/* Field types and their normalizers. */
#include "norm_field.h"

#include <stdlib.h>
#include <string.h>


#include "manifest.h"
#include "normalize.h"
#include "themedb/id.h"
#include "themedb/text.h"

tdb_field_type tdb_field_type_of(tdb_kind kind, size_t field)
{
    switch (kind) {
    case TDB_KIND_PERSON: {
        static const tdb_field_type types[] = {
            [PERSON_ID_NUMBER] = TDB_FIELD_ID_NUMBER, [PERSON_NAME] = TDB_FIELD_NAME,
            [PERSON_GENDER] = TDB_FIELD_GENDER, [PERSON_BIRTH_DATE] = TDB_FIELD_DATE,
            [PERSON_ETHNICITY] = TDB_FIELD_TEXT, [PERSON_REGISTERED_ADDRESS] = TDB_FIELD_ADDRESS,
            [PERSON_RESIDENCE_ADDRESS] = TDB_FIELD_ADDRESS, [PERSON_PHONE] = TDB_FIELD_PHONE,
            [PERSON_UPDATED_AT] = TDB_FIELD_DATE};
        return types[field];
    }
    case TDB_KIND_LEGAL_ENTITY: {
        static const tdb_field_type types[] = {
            [ENTITY_USCC] = TDB_FIELD_USCC, [ENTITY_NAME] = TDB_FIELD_NAME,
            [ENTITY_LEGAL_REP_NAME] = TDB_FIELD_NAME, [ENTITY_LEGAL_REP_ID] = TDB_FIELD_ID_NUMBER,
            [ENTITY_ADDRESS] = TDB_FIELD_ADDRESS, [ENTITY_TYPE] = TDB_FIELD_TEXT,
            [ENTITY_STATUS] = TDB_FIELD_TEXT, [ENTITY_ESTABLISHED_ON] = TDB_FIELD_DATE,
            [ENTITY_UPDATED_AT] = TDB_FIELD_DATE};
        return types[field];
    }
    case TDB_KIND_DIVISION:
        return field == DIVISION_NAME ? TDB_FIELD_NAME : TDB_FIELD_TEXT;
    case TDB_KIND_ADDRESS_POINT: {
        static const tdb_field_type types[] = {
            [POINT_ADDRESS] = TDB_FIELD_ADDRESS, [POINT_ADDRESS_CODE] = TDB_FIELD_TEXT,
            [POINT_DIVISION_CODE] = TDB_FIELD_TEXT, [POINT_LONGITUDE] = TDB_FIELD_NUMBER,
            [POINT_LATITUDE] = TDB_FIELD_NUMBER, [POINT_UPDATED_AT] = TDB_FIELD_DATE};
        return types[field];
    }
    case TDB_KIND_CERTIFICATE: {
        static const tdb_field_type types[] = {
            [CERT_TYPE] = TDB_FIELD_TEXT, [CERT_NUMBER] = TDB_FIELD_ANY_ID,
            [CERT_HOLDER_NAME] = TDB_FIELD_NAME, [CERT_HOLDER_ID] = TDB_FIELD_PARTY_ID,
            [CERT_ISSUER] = TDB_FIELD_TEXT, [CERT_ISSUED_ON] = TDB_FIELD_DATE,
            [CERT_VALID_UNTIL] = TDB_FIELD_DATE, [CERT_SUBJECT_KEY] = TDB_FIELD_ANY_ID,
            [CERT_UPDATED_AT] = TDB_FIELD_DATE};
        return types[field];
    }
    case TDB_KIND_VEHICLE: {
        static const tdb_field_type types[] = {
            [VEHICLE_PLATE] = TDB_FIELD_PLATE, [VEHICLE_PLATE_TYPE] = TDB_FIELD_TEXT,
            [VEHICLE_VIN] = TDB_FIELD_VIN, [VEHICLE_OWNER_NAME] = TDB_FIELD_NAME,
            [VEHICLE_OWNER_ID] = TDB_FIELD_PARTY_ID, [VEHICLE_OWNER_ADDRESS] = TDB_FIELD_ADDRESS,
            [VEHICLE_BRAND] = TDB_FIELD_TEXT, [VEHICLE_TYPE] = TDB_FIELD_TEXT,
            [VEHICLE_USE_NATURE] = TDB_FIELD_TEXT, [VEHICLE_STATUS] = TDB_FIELD_TEXT,
            [VEHICLE_REGISTERED_ON] = TDB_FIELD_DATE, [VEHICLE_UPDATED_AT] = TDB_FIELD_DATE};
        return types[field];
    }
    case TDB_KIND_HOUSING: {
        static const tdb_field_type types[] = {
            [HOUSING_PROPERTY_UNIT_NO] = TDB_FIELD_PROPERTY_UNIT,
            [HOUSING_CERT_NUMBER] = TDB_FIELD_CERT_NUMBER, [HOUSING_LOCATION] = TDB_FIELD_ADDRESS,
            [HOUSING_OWNER_NAME] = TDB_FIELD_NAMES, [HOUSING_OWNER_ID] = TDB_FIELD_PARTY_IDS,
            [HOUSING_AREA] = TDB_FIELD_NUMBER, [HOUSING_USAGE] = TDB_FIELD_TEXT,
            [HOUSING_REGISTERED_ON] = TDB_FIELD_DATE, [HOUSING_UPDATED_AT] = TDB_FIELD_DATE};
        return types[field];
    }
    case TDB_KIND_COUNT:
        break;
    }
    return TDB_FIELD_TEXT;
}

bool tdb_norm_is_placeholder(const char *text, size_t length)
{
    static const char *const placeholders[] = {"无", "不详", "空", "暂无", "未知", "NULL", "null",
                                               "-", "--", "/", "N/A", "n/a", "#N/A"};
    for (size_t i = 0; i < TDB_ARRAY_LEN(placeholders); i++) {
        if (strlen(placeholders[i]) == length && memcmp(placeholders[i], text, length) == 0)
            return true;
    }
    return false;
}

tdb_status tdb_norm_fold(const char *text, size_t length, bool drop_spaces, tdb_buf *out)
{
    return tdb_text_fold_with(text, length, drop_spaces ? TDB_FOLD_SPACES_DROP : TDB_FOLD_SPACES_COLLAPSE,
                              out);
}

static bool is_separator(int32_t cp, const char *separators)
{
    size_t length = strlen(separators);
    size_t pos = 0;
    while (pos < length) {
        if (tdb_utf8_next(separators, length, &pos) == cp) return true;
    }
    return false;
}

/* Append DATE (YYYYMMDD) as YYYY-MM-DD. Dates are frequent cells, and printf showed
 * in the profile of the normalize stage. */
static tdb_status append_iso_date(tdb_buf *out, int date)
{
    int year = date / 10000;
    if (year < 0 || year > 9999)
        return tdb_buf_printf(out, "%04d-%02d-%02d", year, date / 100 % 100, date % 100);
    int month = date / 100 % 100;
    int day = date % 100;
    char text[10] = {(char)('0' + year / 1000), (char)('0' + year / 100 % 10),
                     (char)('0' + year / 10 % 10), (char)('0' + year % 10), '-',
                     (char)('0' + month / 10), (char)('0' + month % 10), '-',
                     (char)('0' + day / 10), (char)('0' + day % 10)};
    return tdb_buf_append(out, text, sizeof text);
}

static tdb_status normalize_date(tdb_norm_context *context, const char *raw, size_t length,
                                 tdb_norm_output *out)
{
    tdb_buf *scratch = context->scratch;
    int date = tdb_parse_date(raw, length);
    if (date == 0) {
        out->reason = "date_invalid";
        out->flags &= ~(unsigned)TDB_NORM_VALID;
        return tdb_norm_fold(raw, length, false, scratch);
    }
    if (context->reference_date > 0 && date > context->reference_date) {
        out->reason = "date_future";
        out->flags &= ~(unsigned)TDB_NORM_VALID;
    } else if (date < 19000101) {
        out->reason = "date_too_old";
        out->flags &= ~(unsigned)TDB_NORM_VALID;
    }
    return append_iso_date(scratch, date);
}

static tdb_status normalize_gender(tdb_norm_context *context, const char *raw, size_t length,
                                   tdb_norm_output *out)
{
    static const char *const male[] = {"男", "M", "m", "1", "男性"};
    static const char *const female[] = {"女", "F", "f", "2", "女性"};
    for (size_t i = 0; i < TDB_ARRAY_LEN(male); i++) {
        if (strlen(male[i]) == length && memcmp(male[i], raw, length) == 0)
            return tdb_buf_append_str(context->scratch, "M");
        if (strlen(female[i]) == length && memcmp(female[i], raw, length) == 0)
            return tdb_buf_append_str(context->scratch, "F");
    }
    out->reason = "gender_invalid";
    out->flags &= ~(unsigned)TDB_NORM_VALID;
    return tdb_buf_append(context->scratch, raw, length);
}

static tdb_status normalize_number(tdb_norm_context *context, const char *raw, size_t length,
                                   tdb_norm_output *out)
{
    tdb_status status = tdb_norm_fold(raw, length, true, context->scratch);
    if (status != TDB_OK) return status;
    char *end = NULL;
    strtod(context->scratch->data, &end);
    if (end == context->scratch->data || *end != '\0') {
        out->reason = "number_invalid";
        out->flags &= ~(unsigned)TDB_NORM_VALID;
    }
    return TDB_OK;
}

static tdb_id_kind identifier_kind(tdb_field_type type)
{
    switch (type) {
    case TDB_FIELD_ID_NUMBER: return TDB_ID_NUMBER;
    case TDB_FIELD_USCC: return TDB_ID_USCC;
    case TDB_FIELD_VIN: return TDB_ID_VIN;
    case TDB_FIELD_PLATE: return TDB_ID_PLATE;
    case TDB_FIELD_PROPERTY_UNIT: return TDB_ID_PROPERTY_UNIT;
    case TDB_FIELD_CERT_NUMBER: return TDB_ID_CERT_NUMBER;
    case TDB_FIELD_PHONE: return TDB_ID_PHONE;
    default: return TDB_ID_UNKNOWN; /* detected from the structure of the value */
    }
}

/* Check one identifier. The cell keeps the normal form when the value is valid and
 * the best-effort candidate otherwise, so that a mistyped ID can still be matched
 * by the fuzzy linker. The reason code names what is wrong. The detected kind goes into
 * the upper bits of the flags for the typed joins. */
static tdb_status normalize_identifier(tdb_norm_context *context, tdb_field_type type,
                                       const char *raw, size_t length, tdb_norm_output *out)
{
    tdb_id_result result;
    tdb_id_options options = {.reference_date = context->reference_date,
                              .region_known = context->regions ? tdb_region_set_contains : NULL,
                              .region_context = context->regions};
    tdb_id_check(raw, length, identifier_kind(type), &options, &result);

    if (strcmp(result.reason, "placeholder") == 0) {
        /* A placeholder ID identifies no one, so it stays only in the raw column. */
        out->reason = "placeholder";
        out->flags = TDB_NORM_PLACEHOLDER;
        return TDB_OK;
    }
    out->flags = (out->flags & ~(unsigned)TDB_NORM_KIND_MASK) |
                 ((unsigned)result.kind << TDB_NORM_KIND_SHIFT);
    if (!result.valid) {
        out->flags &= ~(unsigned)TDB_NORM_VALID;
        if (out->reason[0] == '\0') out->reason = result.reason;
    } else if (result.warning && out->reason[0] == '\0') {
        out->reason = result.reason;
    }
    const char *value = result.valid ? result.normalized : result.candidate;
    return tdb_buf_append_str(context->scratch, value);
}

bool tdb_region_set_contains(const void *context, const char code[6])
{
    const tdb_region_set *set = context;
    uint32_t value = 0;
    for (int i = 0; i < 6; i++) {
        if (code[i] < '0' || code[i] > '9') return false;
        value = value * 10 + (uint32_t)(code[i] - '0');
    }
    size_t low = 0;
    size_t high = set->count;
    while (low < high) {
        size_t middle = low + (high - low) / 2;
        if (set->codes[middle] < value)
            low = middle + 1;
        else
            high = middle;
    }
    return low < set->count && set->codes[low] == value;
}

/* Split a multi-valued cell and normalize each part with TYPE, joining the results
 * with TDB_MULTI_SEPARATOR. The first failing part's reason is kept. */
static tdb_status normalize_multi(tdb_norm_context *context, tdb_field_type type,
                                  const char *raw, size_t length, tdb_norm_output *out)
{
    tdb_status status = TDB_OK;
    tdb_buf part_scratch = {0};
    tdb_norm_context part_context = {.reference_date = context->reference_date,
                                     .scratch = &part_scratch,
                                     .multi_separators = context->multi_separators,
                                     .regions = context->regions};
    size_t pos = 0;
    size_t part_start = 0;
    bool first = true;

    while (pos <= length) {
        size_t here = pos;
        int32_t cp = pos < length ? tdb_utf8_next(raw, length, &pos) : -2;
        if (cp != -2 && !is_separator(cp, context->multi_separators)) continue;
        if (cp == -2) pos = length + 1;

        const char *part = raw + part_start;
        size_t part_length = here - part_start;
        part_start = pos;
        while (part_length > 0 && part[0] == ' ') { part++; part_length--; }
        while (part_length > 0 && part[part_length - 1] == ' ') part_length--;

        tdb_buf_clear(&part_scratch);
        part_scratch.len = 0;
        if (part_length > 0) {
            if (type == TDB_FIELD_NAMES)
                TDB_FORWARD(tdb_norm_fold(part, part_length, true, &part_scratch));
            else
                TDB_FORWARD(normalize_identifier(&part_context, TDB_FIELD_PARTY_ID, part, part_length, out));
        }
        if (!first) TDB_FORWARD(tdb_buf_append_char(context->scratch, TDB_MULTI_SEPARATOR));
        TDB_FORWARD(tdb_buf_append(context->scratch, part_scratch.data ? part_scratch.data : "",
                                   part_scratch.len));
        first = false;
    }
cleanup:
    tdb_buf_free(&part_scratch);
    return status;
}

tdb_status tdb_norm_field(tdb_norm_context *context, tdb_kind kind, size_t field,
                          const char *raw, size_t length, tdb_norm_output *out)
{
    tdb_status status = TDB_OK;
    tdb_buf *scratch = context->scratch;
    tdb_field_type type = tdb_field_type_of(kind, field);
    tdb_buf_clear(scratch);
    scratch->len = 0;
    out->reason = "";
    out->flags = 0;

    if (length == 0) {
        out->value = "";
        out->value_length = 0;
        return TDB_OK;
    }
    if (tdb_norm_is_placeholder(raw, length)) {
        out->reason = "placeholder";
        out->flags = TDB_NORM_PLACEHOLDER;
        out->value = "";
        out->value_length = 0;
        return TDB_OK;
    }
    out->flags = TDB_NORM_PRESENT | TDB_NORM_VALID;

    switch (type) {
    case TDB_FIELD_TEXT:
        TDB_FORWARD(tdb_norm_fold(raw, length, false, scratch));
        break;
    case TDB_FIELD_NAME:
    case TDB_FIELD_ADDRESS:
        TDB_FORWARD(tdb_norm_fold(raw, length, true, scratch));
        break;
    case TDB_FIELD_NAMES:
    case TDB_FIELD_PARTY_IDS:
        TDB_FORWARD(normalize_multi(context, type, raw, length, out));
        break;
    case TDB_FIELD_DATE:
        TDB_FORWARD(normalize_date(context, raw, length, out));
        break;
    case TDB_FIELD_NUMBER:
        TDB_FORWARD(normalize_number(context, raw, length, out));
        break;
    case TDB_FIELD_GENDER:
        TDB_FORWARD(normalize_gender(context, raw, length, out));
        break;
    default:
        TDB_FORWARD(normalize_identifier(context, type, raw, length, out));
        break;
    }
    out->value = scratch->data ? scratch->data : "";
    out->value_length = scratch->len;
cleanup:
    return status;
}

/* Rule checks of one ingest table: every mapped cell (presence, identifiers, names,
 * dates, addresses), then every record (duplicate keys, freshness, owner and holder links).
 * Each check both adds the issues it finds and counts the metric it belongs to, so
 * the metrics and the work orders never disagree. */
#define _POSIX_C_SOURCE 200809L
#include "quality.h"

#include <stdio.h>

#include <string.h>

#include "themedb/id.h"

typedef struct table_check {
    const tdb_quality_context *context;
    const tdb_build_state *state;
    uint32_t table_index;
    const tdb_table *table;
    const tdb_source_config *config;
    tdb_quality_issues *issues;
    tdb_quality_counts *counts;
    tdb_id_options id_options;
    uint32_t *first_row;         /* entity -> first row of this table, for duplicates */
    tdb_key_index point_index;   /* address point text -> first row, for duplicates */
    int updated_field;           /* -1 when the kind has no updated_at */
} table_check;

/* One identifier of a cell: the whole cell, or one co-owner of a multi-valued cell. */
typedef struct id_part {
    uint32_t seq;                /* 0 for a single-valued cell, else 1-based position */
    const char *raw;             /* trimmed raw text */
    size_t raw_length;
    const char *value;           /* normal form, or the best-effort candidate when invalid */
    size_t value_length;
    const char *reason;          /* reason code of the identifier check, "" when clean */
    bool valid;
    bool placeholder;
} id_part;

/* Department reference fields: an owner, holder or representative ID and its name. */
typedef struct reference_field {
    tdb_kind kind;
    size_t id_field;
    size_t name_field;
} reference_field;

static const reference_field reference_fields[] = {
    {TDB_KIND_VEHICLE, VEHICLE_OWNER_ID, VEHICLE_OWNER_NAME},
    {TDB_KIND_HOUSING, HOUSING_OWNER_ID, HOUSING_OWNER_NAME},
    {TDB_KIND_CERTIFICATE, CERT_HOLDER_ID, CERT_HOLDER_NAME},
    {TDB_KIND_LEGAL_ENTITY, ENTITY_LEGAL_REP_ID, ENTITY_LEGAL_REP_NAME},
};

/* Address levels that count as not resolved, and their rules. A level missing here
 * (town, village and anything finer the address module adds) counts as resolved. */
static const struct {
    const char *level;
    const char *rule;
} address_level_rules[] = {
    {"none", "address_unresolved"},
    {"province", "address_partial"},
    {"city", "address_partial"},
    {"county", "address_partial"},
};

/* Fields that a work order reports when empty. Key fields are not listed: a row
 * without its key is rejected at ingest. */
static bool field_required(tdb_kind kind, size_t field)
{
    switch (kind) {
    case TDB_KIND_PERSON: return field == PERSON_NAME;
    case TDB_KIND_LEGAL_ENTITY:
        return field == ENTITY_NAME || field == ENTITY_LEGAL_REP_NAME || field == ENTITY_LEGAL_REP_ID;
    case TDB_KIND_CERTIFICATE:
        return field == CERT_TYPE || field == CERT_HOLDER_NAME || field == CERT_HOLDER_ID;
    case TDB_KIND_VEHICLE: return field == VEHICLE_OWNER_NAME || field == VEHICLE_OWNER_ID;
    case TDB_KIND_HOUSING: return field == HOUSING_OWNER_NAME || field == HOUSING_OWNER_ID;
    default: return false;
    }
}

static bool type_is_identifier(tdb_field_type type)
{
    switch (type) {
    case TDB_FIELD_ID_NUMBER:
    case TDB_FIELD_USCC:
    case TDB_FIELD_PARTY_ID:
    case TDB_FIELD_PARTY_IDS:
    case TDB_FIELD_VIN:
    case TDB_FIELD_PLATE:
    case TDB_FIELD_PROPERTY_UNIT:
    case TDB_FIELD_CERT_NUMBER:
    case TDB_FIELD_ANY_ID:
    case TDB_FIELD_PHONE:
        return true;
    default:
        return false;
    }
}

static const reference_field *find_reference(tdb_kind kind, size_t field)
{
    for (size_t i = 0; i < TDB_ARRAY_LEN(reference_fields); i++) {
        if (reference_fields[i].kind == kind && reference_fields[i].id_field == field)
            return &reference_fields[i];
    }
    return NULL;
}

static bool is_reference_source(tdb_kind kind)
{
    return kind == TDB_KIND_VEHICLE || kind == TDB_KIND_HOUSING || kind == TDB_KIND_CERTIFICATE;
}

static void count(table_check *check, int field, tdb_dimension dimension, bool good)
{
    tdb_quality_count *cell = &check->counts->cells[field < 0 ? TDB_MAX_FIELDS : field][dimension];
    cell->measured = true;
    cell->denominator++;
    cell->numerator += good;
}

static void trim(const char **text, size_t *length)
{
    while (*length > 0 && ((*text)[0] == ' ' || (*text)[0] == '\t')) {
        (*text)++;
        (*length)--;
    }
    while (*length > 0 && ((*text)[*length - 1] == ' ' || (*text)[*length - 1] == '\t')) (*length)--;
}

/* Return true when a date is written as YYYY-MM-DD, optionally followed by a time
 * " HH:MM" or " HH:MM:SS" (GB/T 7408 calendar date and time). */
static bool date_is_standard(const char *text, size_t length)
{
    static const char pattern[] = "dddd-dd-dd dd:dd:dd";
    if (length != 10 && length != 16 && length != 19) return false;
    for (size_t i = 0; i < length; i++) {
        bool digit = text[i] >= '0' && text[i] <= '9';
        if (pattern[i] == 'd' ? !digit : text[i] != pattern[i]) return false;
    }
    return true;
}

long tdb_quality_days(int date)
{
    long year = date / 10000;
    long month = date / 100 % 100;
    long day = date % 100;
    year -= month <= 2;
    long era = (year >= 0 ? year : year - 399) / 400;
    long year_of_era = year - era * 400;
    long day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    long day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + day_of_era - 719468;
}

static const tdb_link *find_link(const table_check *check, uint32_t row, uint32_t seq)
{
    return tdb_quality_find_link(check->context, (tdb_record_ref){check->table_index, row}, seq);
}

/* ---- identifiers --------------------------------------------------------------- */

/* Add the issue of an identifier's reason code ("checksum" becomes id_checksum). */
static tdb_status report_id_reason(table_check *check, uint32_t row, size_t field,
                                   const id_part *part)
{
    tdb_status status = TDB_OK;
    char code[48];
    snprintf(code, sizeof code, "id_%s", part->reason);
    if (tdb_quality_rule_find(code) < 0) return TDB_OK;

    /* On an owner or holder field, a later link (fuzzy linkage) may know which
     * record a mistyped value meant. Links start only from those fields. */
    const char *suggestion = NULL;
    size_t suggestion_length = 0;
    bool reference = find_reference(check->table->kind, field) != NULL;
    const tdb_link *link = reference ? find_link(check, row, part->seq) : NULL;
    if (link != NULL) {
        const tdb_build_state *state = check->state;
        size_t key_field = link->to_kind == TDB_ENTITY_PERSON ? PERSON_ID_NUMBER : ENTITY_USCC;
        const char *key = tdb_build_value(state, state->entities[link->to_kind].chosen[link->to],
                                          key_field, &suggestion_length, NULL);
        if (suggestion_length != part->value_length || memcmp(key, part->value, suggestion_length) != 0)
            suggestion = key;
    }
    int severity = part->valid ? TDB_SEVERITY_WARNING : TDB_SEVERITY_ERROR;
    TDB_FORWARD(tdb_quality_add_issue(check->issues, check->state, (tdb_record_ref){check->table_index, row},
                                      (int)field, code, severity, part->raw, part->raw_length,
                                      suggestion, suggestion_length));
cleanup:
    return status;
}

static tdb_status check_id_part(table_check *check, uint32_t row, size_t field, const id_part *part)
{
    tdb_status status = TDB_OK;
    tdb_record_ref record = {check->table_index, row};
    if (part->placeholder) {
        return tdb_quality_add_issue(check->issues, check->state, record, (int)field, "placeholder", -1,
                                     part->raw, part->raw_length, NULL, 0);
    }
    bool standard = part->raw_length == part->value_length &&
                    memcmp(part->raw, part->value, part->value_length) == 0;
    count(check, (int)field, TDB_DIMENSION_ACCURACY, part->valid);
    count(check, (int)field, TDB_DIMENSION_NORMATIVITY, standard);

    if (part->reason[0] != '\0') TDB_FORWARD(report_id_reason(check, row, field, part));
    if (part->valid && !standard)
        TDB_FORWARD(tdb_quality_add_issue(check->issues, check->state, record, (int)field, "id_nonstandard",
                                          -1, part->raw, part->raw_length, part->value,
                                          part->value_length));
cleanup:
    return status;
}

/* Return the N-th (1-based) part of a normalized multi-valued cell, "" past the end. */
static const char *multi_part(const char *value, size_t length, uint32_t n, size_t *part_length)
{
    const char *part = value;
    const char *end = value + length;
    for (uint32_t i = 1; i < n; i++) {
        const char *stop = memchr(part, TDB_MULTI_SEPARATOR, (size_t)(end - part));
        if (stop == NULL) {
            *part_length = 0;
            return "";
        }
        part = stop + 1;
    }
    const char *stop = memchr(part, TDB_MULTI_SEPARATOR, (size_t)(end - part));
    *part_length = (size_t)((stop ? stop : end) - part);
    return part;
}

/* Compare the department's name of a linked owner with the base record's name, and
 * report an owner whose valid ID links to no base record. */
static tdb_status check_reference(table_check *check, uint32_t row, const reference_field *reference,
                                  const id_part *part, bool *linked)
{
    tdb_status status = TDB_OK;
    const tdb_build_state *state = check->state;
    tdb_record_ref record = {check->table_index, row};
    const tdb_link *link = find_link(check, row, part->seq);

    if (link == NULL) {
        if (part->valid && !part->placeholder && part->value_length > 0)
            TDB_FORWARD(tdb_quality_add_issue(check->issues, state, record, (int)reference->id_field,
                                              "party_not_found", -1, part->raw, part->raw_length,
                                              NULL, 0));
        return status;
    }
    *linked = true;

    size_t names_length;
    size_t name_length;
    const char *names = tdb_build_value(state, record, reference->name_field, &names_length, NULL);
    const char *name = part->seq == 0 ? names : multi_part(names, names_length, part->seq, &name_length);
    if (part->seq == 0) name_length = names_length;
    size_t base_field = link->to_kind == TDB_ENTITY_PERSON ? PERSON_NAME : ENTITY_NAME;
    size_t base_length;
    const char *base = tdb_build_value(state, state->entities[link->to_kind].chosen[link->to], base_field,
                                       &base_length, NULL);
    if (name_length == 0 || base_length == 0) return status;

    bool same = name_length == base_length && memcmp(name, base, base_length) == 0;
    count(check, (int)reference->name_field, TDB_DIMENSION_CONSISTENCY, same);
    if (!same)
        TDB_FORWARD(tdb_quality_add_issue(check->issues, state, record, (int)reference->name_field,
                                          "name_mismatch", -1, name, name_length, base, base_length));
cleanup:
    return status;
}

/* Cursor over the parts of a multi-valued raw cell, split at the source's
 * separators and trimmed, in the order the normalizer numbers them. */
typedef struct part_cursor {
    const char *raw;
    size_t length;
    const char *separators;
    size_t pos;
    bool done;
} part_cursor;

/* Set *PART to the next part and return true, or return false after the last. */
static bool next_part(part_cursor *cursor, const char **part, size_t *part_length)
{
    if (cursor->done) return false;
    size_t start = cursor->pos;
    size_t separator_count = strlen(cursor->separators);
    size_t end = cursor->length;
    while (cursor->pos < cursor->length) {
        size_t here = cursor->pos;
        int32_t cp = tdb_utf8_next(cursor->raw, cursor->length, &cursor->pos);
        bool separator = false;
        size_t s = 0;
        while (s < separator_count && !separator)
            separator = tdb_utf8_next(cursor->separators, separator_count, &s) == cp;
        if (separator) {
            end = here;
            break;
        }
    }
    if (end == cursor->length) cursor->done = true;
    *part = cursor->raw + start;
    *part_length = end - start;
    trim(part, part_length);
    return true;
}

static part_cursor cell_parts(const table_check *check, uint32_t row, size_t field)
{
    part_cursor cursor = {.separators = check->config->multi_separators ? check->config->multi_separators : ""};
    cursor.raw = tdb_table_cell(check->table, row, field, &cursor.length);
    return cursor;
}

/* Compare the names of a reference without an ID, for a link that later stages
 * found by other fields. SEQ is the co-owner position, 0 for a single owner. */
static tdb_status check_unkeyed(table_check *check, uint32_t row, const reference_field *reference,
                                uint32_t seq, bool *linked)
{
    id_part part = {.seq = seq, .raw = "", .value = "", .reason = ""};
    return check_reference(check, row, reference, &part, linked);
}

/* Report a co-owner whose name is given but whose ID part is empty ("ID;" or ";ID"). */
static tdb_status check_missing_part(table_check *check, uint32_t row, size_t field,
                                     const reference_field *reference, uint32_t seq, bool *linked)
{
    tdb_status status = TDB_OK;
    if (reference == NULL) return TDB_OK;
    tdb_record_ref record = {check->table_index, row};
    size_t names_length;
    size_t name_length;
    const char *names = tdb_build_value(check->state, record, reference->name_field, &names_length, NULL);
    multi_part(names, names_length, seq, &name_length);
    if (name_length == 0) return TDB_OK;
    TDB_FORWARD(tdb_quality_add_issue(check->issues, check->state, record, (int)field, "value_missing", -1,
                                      NULL, 0, NULL, 0));
    TDB_FORWARD(check_unkeyed(check, row, reference, seq, linked));
cleanup:
    return status;
}

/* Check each co-owner of a multi-valued identifier cell. The identifier module runs
 * again on each raw part, because the normalized cell keeps one reason per cell. */
static tdb_status check_id_multi(table_check *check, uint32_t row, size_t field, bool *linked)
{
    tdb_status status = TDB_OK;
    const reference_field *reference = find_reference(check->table->kind, field);
    part_cursor cursor = cell_parts(check, row, field);
    uint32_t seq = 0;
    id_part part;

    while (next_part(&cursor, &part.raw, &part.raw_length)) {
        part.seq = ++seq;
        if (part.raw_length == 0) {
            TDB_FORWARD(check_missing_part(check, row, field, reference, part.seq, linked));
            continue;
        }
        tdb_id_result result;
        tdb_id_check(part.raw, part.raw_length, TDB_ID_UNKNOWN, &check->id_options, &result);
        part.placeholder = strcmp(result.reason, "placeholder") == 0;
        part.valid = result.valid;
        part.reason = part.placeholder ? "" : result.reason;
        part.value = result.valid ? result.normalized : result.candidate;
        part.value_length = strlen(part.value);
        TDB_FORWARD(check_id_part(check, row, field, &part));
        if (reference != NULL) TDB_FORWARD(check_reference(check, row, reference, &part, linked));
    }
cleanup:
    return status;
}

/* Count the parts of a normalized multi-valued cell; 0 when empty. */
static uint32_t multi_count(const char *value, size_t length)
{
    if (length == 0) return 0;
    uint32_t count = 1;
    for (size_t i = 0; i < length; i++) count += value[i] == TDB_MULTI_SEPARATOR;
    return count;
}

/* An owner or holder cell without any ID: value_missing is reported per record, and
 * a link found by other fields still gets its names compared. */
static tdb_status check_empty_reference(table_check *check, uint32_t row, size_t field, bool *linked)
{
    tdb_status status = TDB_OK;
    const reference_field *reference = find_reference(check->table->kind, field);
    if (reference == NULL) return TDB_OK;
    if (tdb_field_type_of(check->table->kind, field) != TDB_FIELD_PARTY_IDS)
        return check_unkeyed(check, row, reference, 0, linked);

    size_t names_length;
    const char *names = tdb_build_value(check->state, (tdb_record_ref){check->table_index, row},
                                        reference->name_field, &names_length, NULL);
    uint32_t owners = multi_count(names, names_length);
    for (uint32_t seq = 1; seq <= owners; seq++) TDB_FORWARD(check_unkeyed(check, row, reference, seq, linked));
cleanup:
    return status;
}

static tdb_status check_identifier(table_check *check, uint32_t row, size_t field, bool *linked)
{
    tdb_status status = TDB_OK;
    const tdb_build_state *state = check->state;
    tdb_record_ref record = {check->table_index, row};
    size_t cell_length;
    tdb_table_cell(check->table, row, field, &cell_length);
    if (cell_length == 0) return check_empty_reference(check, row, field, linked);
    if (tdb_field_type_of(check->table->kind, field) == TDB_FIELD_PARTY_IDS)
        return check_id_multi(check, row, field, linked);

    unsigned flags;
    id_part part = {.seq = 0};
    part.value = tdb_build_value(state, record, field, &part.value_length, &flags);
    part.raw = tdb_table_cell(check->table, row, field, &part.raw_length);
    trim(&part.raw, &part.raw_length);
    part.reason = tdb_norm_reason(&state->normalized[check->table_index], row, field);
    part.valid = (flags & TDB_NORM_VALID) != 0;
    part.placeholder = (flags & TDB_NORM_PLACEHOLDER) != 0;
    if (part.placeholder) part.reason = "";
    if (part.raw_length == 0) return TDB_OK;
    /* A field that takes any kind of number (certificate numbers of every type)
     * makes no claim that an unrecognized value is wrong. */
    if (tdb_field_type_of(check->table->kind, field) == TDB_FIELD_ANY_ID &&
        strcmp(part.reason, "unrecognized") == 0)
        return TDB_OK;

    TDB_FORWARD(check_id_part(check, row, field, &part));
    const reference_field *reference = find_reference(check->table->kind, field);
    if (reference != NULL) TDB_FORWARD(check_reference(check, row, reference, &part, linked));
cleanup:
    return status;
}

/* ---- other values -------------------------------------------------------------- */

/* Return true when the folded TEXT names every administrative level (province down
 * to village) that the address registry resolved for ENTRY. An address that leaves
 * out its province and city, or its town, is not written in the standard form. */
static bool address_names_levels(const tdb_address_entry *entry, const char *text, size_t length)
{
    for (int level = 0; level < 5; level++) {
        const char *name = entry->components[level];
        if (name == NULL || name[0] == '\0') continue;
        size_t name_length = strlen(name);
        bool found = false;
        for (size_t i = 0; i + name_length <= length && !found; i++)
            found = memcmp(text + i, name, name_length) == 0;
        if (!found) return false;
    }
    return true;
}

static tdb_status check_address(table_check *check, uint32_t row, size_t field)
{
    const tdb_build_state *state = check->state;
    tdb_record_ref record = {check->table_index, row};
    size_t length;
    size_t raw_length;
    const char *value = tdb_build_value(state, record, field, &length, NULL);
    const char *raw = tdb_table_cell(check->table, row, field, &raw_length);
    uint32_t number = tdb_address_lookup(state, value, length);
    if (number == TDB_NONE) return TDB_OK;
    const tdb_address_entry *entry = &state->addresses.addresses[number];

    const char *rule = NULL;
    for (size_t i = 0; i < TDB_ARRAY_LEN(address_level_rules); i++) {
        if (strcmp(entry->level, address_level_rules[i].level) == 0) rule = address_level_rules[i].rule;
    }
    bool resolved = rule == NULL;
    bool unresolved = strcmp(entry->level, "none") == 0;
    /* Both sides are folded (traditional, variant and look-alike characters), so an
     * official name such as 廻龙镇 matches its folded component 回龙镇. */
    bool standard = !unresolved && address_names_levels(entry, value, length);
    count(check, (int)field, TDB_DIMENSION_ACCURACY, resolved);
    count(check, (int)field, TDB_DIMENSION_NORMATIVITY, standard);

    /* The canonical form is a useful suggestion only once something was resolved. */
    bool same = strlen(entry->canonical) == length && memcmp(entry->canonical, value, length) == 0;
    const char *suggestion = !unresolved && !same ? entry->canonical : NULL;
    size_t suggestion_length = suggestion ? strlen(suggestion) : 0;
    if (!resolved)
        return tdb_quality_add_issue(check->issues, state, record, (int)field, rule, -1, raw, raw_length,
                                     suggestion, suggestion_length);
    if (!standard)
        return tdb_quality_add_issue(check->issues, state, record, (int)field, "address_nonstandard", -1,
                                     raw, raw_length, suggestion, suggestion_length);
    return TDB_OK;
}

/* Compare one written name with its normal form (NFKC, simplified characters,
 * spaces removed). */
static tdb_status check_name_part(table_check *check, uint32_t row, size_t field, const char *raw,
                                  size_t raw_length, const char *value, size_t value_length)
{
    bool standard = raw_length == value_length && memcmp(raw, value, value_length) == 0;
    count(check, (int)field, TDB_DIMENSION_NORMATIVITY, standard);
    if (standard || value_length == 0) return TDB_OK;
    return tdb_quality_add_issue(check->issues, check->state, (tdb_record_ref){check->table_index, row},
                                 (int)field, "name_nonstandard", -1, raw, raw_length, value, value_length);
}

static tdb_status check_name(table_check *check, uint32_t row, size_t field, tdb_field_type type)
{
    tdb_status status = TDB_OK;
    size_t value_length;
    const char *value = tdb_build_value(check->state, (tdb_record_ref){check->table_index, row}, field,
                                        &value_length, NULL);
    part_cursor cursor = cell_parts(check, row, field);
    if (type == TDB_FIELD_NAME) {
        const char *raw = cursor.raw;
        size_t raw_length = cursor.length;
        trim(&raw, &raw_length);
        return check_name_part(check, row, field, raw, raw_length, value, value_length);
    }

    const char *part;
    size_t part_length;
    uint32_t seq = 0;
    while (next_part(&cursor, &part, &part_length)) {
        size_t normal_length;
        const char *normal = multi_part(value, value_length, ++seq, &normal_length);
        if (part_length > 0)
            TDB_FORWARD(check_name_part(check, row, field, part, part_length, normal, normal_length));
    }
cleanup:
    return status;
}

/* Return true when a cell is an expiry date: such a date lies in the future, and
 * 长期 (no expiry) is a valid value. */
static bool is_expiry(tdb_kind kind, size_t field, const char *raw, size_t length, bool *no_expiry)
{
    static const char *const no_expiry_words[] = {"长期", "长期有效", "永久", "永久有效"};
    *no_expiry = false;
    if (kind != TDB_KIND_CERTIFICATE || field != CERT_VALID_UNTIL) return false;
    for (size_t i = 0; i < TDB_ARRAY_LEN(no_expiry_words); i++) {
        if (strlen(no_expiry_words[i]) == length && memcmp(no_expiry_words[i], raw, length) == 0)
            *no_expiry = true;
    }
    return true;
}

/* Dates, genders and numbers: accuracy from the normalizer's validity, normativity
 * for dates from the written form, an issue named after the normalizer's reason. */
static tdb_status check_checked_value(table_check *check, uint32_t row, size_t field,
                                      tdb_field_type type, unsigned flags)
{
    tdb_record_ref record = {check->table_index, row};
    size_t raw_length;
    const char *raw = tdb_table_cell(check->table, row, field, &raw_length);
    trim(&raw, &raw_length);
    const char *reason = tdb_norm_reason(&check->state->normalized[check->table_index], row, field);
    bool valid = (flags & TDB_NORM_VALID) != 0;
    bool no_expiry;
    if (is_expiry(check->table->kind, field, raw, raw_length, &no_expiry) &&
        (no_expiry || strcmp(reason, "date_future") == 0)) {
        valid = true;
        reason = "";
    }
    count(check, (int)field, TDB_DIMENSION_ACCURACY, valid);
    if (type == TDB_FIELD_DATE)
        count(check, (int)field, TDB_DIMENSION_NORMATIVITY, no_expiry || date_is_standard(raw, raw_length));

    if (reason[0] == '\0' || tdb_quality_rule_find(reason) < 0) return TDB_OK;
    return tdb_quality_add_issue(check->issues, check->state, record, (int)field, reason, -1, raw,
                                 raw_length, NULL, 0);
}

static tdb_status check_cell(table_check *check, uint32_t row, size_t field, bool *linked)
{
    tdb_record_ref record = {check->table_index, row};
    tdb_kind kind = check->table->kind;
    tdb_field_type type = tdb_field_type_of(kind, field);
    unsigned flags;
    size_t raw_length;
    tdb_build_value(check->state, record, field, NULL, &flags);
    const char *raw = tdb_table_cell(check->table, row, field, &raw_length);
    count(check, (int)field, TDB_DIMENSION_COMPLETENESS, (flags & TDB_NORM_PRESENT) != 0);

    if (type_is_identifier(type)) return check_identifier(check, row, field, linked);
    if (flags & TDB_NORM_PLACEHOLDER)
        return tdb_quality_add_issue(check->issues, check->state, record, (int)field, "placeholder", -1,
                                     raw, raw_length, NULL, 0);
    if (!(flags & TDB_NORM_PRESENT)) return TDB_OK;
    if (type == TDB_FIELD_ADDRESS) return check_address(check, row, field);
    if (type == TDB_FIELD_NAME || type == TDB_FIELD_NAMES) return check_name(check, row, field, type);
    if (type == TDB_FIELD_DATE || type == TDB_FIELD_GENDER || type == TDB_FIELD_NUMBER)
        return check_checked_value(check, row, field, type, flags);
    return TDB_OK;
}

/* ---- records ------------------------------------------------------------------- */

typedef struct point_probe {
    const table_check *check;
    const char *text;
    size_t length;
} point_probe;

static bool same_point(const void *context, uint32_t row)
{
    const point_probe *probe = context;
    size_t length;
    const char *text = tdb_build_value(probe->check->state, (tdb_record_ref){probe->check->table_index, row},
                                       POINT_ADDRESS, &length, NULL);
    return length == probe->length && memcmp(text, probe->text, length) == 0;
}

/* Return true when an earlier row of the table has the same key. */
static tdb_status is_duplicate(table_check *check, uint32_t row, bool *duplicate)
{
    tdb_status status = TDB_OK;
    *duplicate = false;
    if (check->first_row != NULL) {
        uint32_t entity = check->state->row_entity[check->table_index][row];
        *duplicate = check->first_row[entity] != TDB_NONE;
        if (!*duplicate) check->first_row[entity] = row;
    } else if (check->table->kind == TDB_KIND_ADDRESS_POINT) {
        size_t length;
        const char *text = tdb_build_value(check->state, (tdb_record_ref){check->table_index, row},
                                           POINT_ADDRESS, &length, NULL);
        if (length == 0) return TDB_OK;
        uint64_t hash = tdb_key_hash(TDB_KEY_TEXT, text, length);
        point_probe probe = {check, text, length};
        *duplicate = tdb_key_index_find(&check->point_index, hash, same_point, &probe) != TDB_NONE;
        if (!*duplicate) TDB_FORWARD(tdb_key_index_add(&check->point_index, hash, row));
    }
cleanup:
    return status;
}

static tdb_status check_freshness(table_check *check, uint32_t row)
{
    if (check->updated_field < 0) return TDB_OK;
    tdb_record_ref record = {check->table_index, row};
    size_t length;
    unsigned flags;
    const char *value = tdb_build_value(check->state, record, (size_t)check->updated_field, &length, &flags);
    int date = (flags & TDB_NORM_VALID) && length >= 10 ? tdb_parse_date(value, 10) : 0;
    long age = date ? check->context->as_of_days - tdb_quality_days(date) : -1;
    bool fresh = date != 0 && age <= check->context->freshness_days;
    count(check, -1, TDB_DIMENSION_FRESHNESS, fresh);
    if (date == 0 || fresh) return TDB_OK;

    size_t raw_length;
    const char *raw = tdb_table_cell(check->table, row, (size_t)check->updated_field, &raw_length);
    return tdb_quality_add_issue(check->issues, check->state, record, check->updated_field, "stale_record", -1,
                                 raw, raw_length, NULL, 0);
}

static tdb_status check_row(table_check *check, uint32_t row)
{
    tdb_status status = TDB_OK;
    tdb_record_ref record = {check->table_index, row};
    const tdb_kind_info *info = tdb_kind_get(check->table->kind);
    bool linked = false;

    for (size_t field = 0; field < info->field_count; field++) {
        if (check->config->columns[field] == NULL) continue;
        TDB_FORWARD(check_cell(check, row, field, &linked));

        unsigned flags;
        tdb_build_value(check->state, record, field, NULL, &flags);
        if (!(flags & (TDB_NORM_PRESENT | TDB_NORM_PLACEHOLDER)) && field_required(check->table->kind, field))
            TDB_FORWARD(tdb_quality_add_issue(check->issues, check->state, record, (int)field,
                                              "value_missing", -1, NULL, 0, NULL, 0));
    }

    bool duplicate;
    TDB_FORWARD(is_duplicate(check, row, &duplicate));
    if (duplicate) {
        size_t length;
        const char *key = tdb_table_cell(check->table, row, info->key_field, &length);
        TDB_FORWARD(tdb_quality_add_issue(check->issues, check->state, record, (int)info->key_field,
                                          "duplicate_key", -1, key, length, NULL, 0));
    }
    TDB_FORWARD(check_freshness(check, row));
    if (is_reference_source(check->table->kind)) count(check, -1, TDB_DIMENSION_LINK_RATE, linked);
cleanup:
    return status;
}

/* Mark the metrics that apply to each mapped field, so that a metric whose
 * denominator stays 0 is still written (with a NULL rate). */
static void mark_measured(table_check *check)
{
    tdb_kind kind = check->table->kind;
    const tdb_kind_info *info = tdb_kind_get(kind);
    tdb_quality_counts *counts = check->counts;
    for (size_t field = 0; field < info->field_count; field++) {
        if (check->config->columns[field] == NULL) continue;
        tdb_field_type type = tdb_field_type_of(kind, field);
        counts->cells[field][TDB_DIMENSION_COMPLETENESS].measured = true;
        bool checked = type_is_identifier(type) || type == TDB_FIELD_DATE || type == TDB_FIELD_ADDRESS ||
                       type == TDB_FIELD_GENDER || type == TDB_FIELD_NUMBER;
        counts->cells[field][TDB_DIMENSION_ACCURACY].measured = checked;
        counts->cells[field][TDB_DIMENSION_NORMATIVITY].measured =
            type_is_identifier(type) || type == TDB_FIELD_DATE || type == TDB_FIELD_ADDRESS ||
            type == TDB_FIELD_NAME || type == TDB_FIELD_NAMES;
    }
    for (size_t i = 0; i < TDB_ARRAY_LEN(reference_fields); i++) {
        const reference_field *reference = &reference_fields[i];
        if (reference->kind == kind && check->config->columns[reference->name_field] != NULL &&
            check->config->columns[reference->id_field] != NULL)
            counts->cells[reference->name_field][TDB_DIMENSION_CONSISTENCY].measured = true;
    }
    if (check->updated_field >= 0) counts->cells[TDB_MAX_FIELDS][TDB_DIMENSION_FRESHNESS].measured = true;
    if (is_reference_source(kind)) counts->cells[TDB_MAX_FIELDS][TDB_DIMENSION_LINK_RATE].measured = true;
}

/* Add a row_rejected issue for each reject of the table, in line order. */
static tdb_status report_rejects(table_check *check)
{
    tdb_status status = TDB_OK;
    const tdb_reject_list *rejects = &check->state->ingest.rejects;
    tdb_buf value = {0};
    for (size_t i = 0; i < rejects->count; i++) {
        const tdb_reject *reject = &rejects->items[i];
        if (reject->table != check->table_index) continue;
        tdb_buf_clear(&value);
        value.len = 0;
        TDB_FORWARD(tdb_buf_append_str(&value, reject->reason));
        if (reject->detail_length > 0) {
            TDB_FORWARD(tdb_buf_append_str(&value, ": "));
            TDB_FORWARD(tdb_buf_append(&value, rejects->arena.data + reject->detail_offset,
                                       reject->detail_length));
        }
        TDB_FORWARD(tdb_quality_add_line_issue(check->issues, check->table_index, reject->line,
                                               "row_rejected", value.data, value.len));
    }
cleanup:
    tdb_buf_free(&value);
    return status;
}

tdb_status tdb_quality_check_table(const tdb_quality_context *context, size_t table_index,
                                   tdb_quality_issues *issues, tdb_quality_counts *counts)
{
    tdb_status status = TDB_OK;
    const tdb_build_state *state = context->state;
    const tdb_table *table = &state->ingest.tables[table_index];
    table_check check = {
        .context = context,
        .state = state,
        .table_index = (uint32_t)table_index,
        .table = table,
        .config = &state->manifest->sources[table->source_index],
        .issues = issues,
        .counts = counts,
        .id_options = {.reference_date = state->as_of,
                       .region_known = state->regions.count ? tdb_region_set_contains : NULL,
                       .region_context = &state->regions},
        .updated_field = tdb_kind_field_index(table->kind, "updated_at"),
    };
    memset(counts, 0, sizeof *counts);
    /* Division codes are reference data, not a department's records. */
    if (table->kind == TDB_KIND_DIVISION) return TDB_OK;
    if (check.updated_field >= 0 && check.config->columns[check.updated_field] == NULL) check.updated_field = -1;

    tdb_entity_kind kind = tdb_quality_entity_kind(table->kind);
    if (kind != TDB_ENTITY_COUNT && state->row_entity != NULL && state->row_entity[table_index] != NULL) {
        size_t slots = state->entities[kind].count ? state->entities[kind].count : 1;
        check.first_row = tdb_malloc(slots * sizeof(uint32_t));
        TDB_FAIL_IF(check.first_row == NULL, TDB_ERR_NOMEM);
        memset(check.first_row, 0xFF, slots * sizeof(uint32_t)); /* TDB_NONE everywhere */
    }
    if (table->kind == TDB_KIND_ADDRESS_POINT) TDB_FORWARD(tdb_key_index_init(&check.point_index, table->row_count));

    mark_measured(&check);
    TDB_FORWARD(report_rejects(&check));
    for (size_t row = 0; row < table->row_count; row++) TDB_FORWARD(check_row(&check, (uint32_t)row));
cleanup:
    tdb_free(check.first_row);
    tdb_key_index_free(&check.point_index);
    return status;
}

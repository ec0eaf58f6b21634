/* Theme table rows. Each theme row shows the values of its entity's representative
 * row: normal forms in the main columns, raw text in the *_raw columns, and the
 * owner or holder found by the link stage for that row. */
#define _POSIX_C_SOURCE 200809L
#include "write_theme.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

typedef struct writer_context {
    const tdb_build_state *state;
    tdb_writer *writer;
    tdb_key_index cert_subject;  /* certificate subject key -> certificate entity */
} writer_context;

/* ---- helpers ------------------------------------------------------------------- */

static void bind_value(sqlite3_stmt *statement, int index, const tdb_build_state *state,
                       tdb_record_ref record, size_t field)
{
    size_t length;
    const char *value = tdb_build_value(state, record, field, &length, NULL);
    tdb_bind_text(statement, index, value, length);
}

static void bind_raw(sqlite3_stmt *statement, int index, const tdb_build_state *state,
                     tdb_record_ref record, size_t field)
{
    size_t length;
    const char *value = tdb_table_cell(&state->ingest.tables[record.table], record.row, field, &length);
    tdb_bind_text(statement, index, value, length);
}

/* Bind the validity ("valid"/"invalid", NULL when absent) and reason of a field. */
static void bind_validity(sqlite3_stmt *statement, int index, const tdb_build_state *state,
                          tdb_record_ref record, size_t field)
{
    unsigned flags;
    tdb_build_value(state, record, field, NULL, &flags);
    const char *reason = tdb_norm_reason(&state->normalized[record.table], record.row, field);
    if (flags & TDB_NORM_PRESENT)
        tdb_bind_cstr(statement, index, (flags & TDB_NORM_VALID) ? "valid" : "invalid");
    else if (flags & TDB_NORM_PLACEHOLDER)
        tdb_bind_cstr(statement, index, "invalid");
    else
        sqlite3_bind_null(statement, index);
    if (reason[0] != '\0' || (flags & (TDB_NORM_PRESENT | TDB_NORM_PLACEHOLDER)))
        sqlite3_bind_text(statement, index + 1, reason, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(statement, index + 1);
}

static void bind_address(sqlite3_stmt *statement, int index, const tdb_build_state *state,
                         tdb_record_ref record, size_t field)
{
    size_t length;
    const char *text = tdb_build_value(state, record, field, &length, NULL);
    uint32_t number = tdb_address_lookup(state, text, length);
    if (number == TDB_NONE)
        sqlite3_bind_null(statement, index);
    else
        sqlite3_bind_text(statement, index, state->addresses.addresses[number].id, -1, SQLITE_STATIC);
}

static long source_file_id(tdb_record_ref record) { return (long)record.table + 1; }

static long source_line(const tdb_build_state *state, tdb_record_ref record)
{
    return (long)state->ingest.tables[record.table].lines[record.row];
}

static const tdb_link *find_link(const writer_context *context, tdb_record_ref record, uint32_t seq)
{
    return tdb_find_link(context->state, record, seq);
}

static const char *entity_kind_name(tdb_entity_kind kind)
{
    return kind == TDB_ENTITY_PERSON ? "person" : "legal_entity";
}

static const char *match_name(const tdb_link *link)
{
    if (link == NULL) return "none";
    return link->field_weights == NULL ? "exact" : "fuzzy";
}

/* Bind owner_kind, owner_person_id, owner_entity_id, owner_match from LINK. */
static void bind_owner(sqlite3_stmt *statement, int index, const writer_context *context,
                       const tdb_link *link)
{
    const tdb_build_state *state = context->state;
    if (link == NULL) {
        sqlite3_bind_null(statement, index);
        sqlite3_bind_null(statement, index + 1);
        sqlite3_bind_null(statement, index + 2);
    } else {
        const char *id = state->entities[link->to_kind].ids[link->to];
        sqlite3_bind_text(statement, index, entity_kind_name(link->to_kind), -1, SQLITE_STATIC);
        if (link->to_kind == TDB_ENTITY_PERSON) {
            sqlite3_bind_text(statement, index + 1, id, -1, SQLITE_STATIC);
            sqlite3_bind_null(statement, index + 2);
        } else {
            sqlite3_bind_null(statement, index + 1);
            sqlite3_bind_text(statement, index + 2, id, -1, SQLITE_STATIC);
        }
    }
    sqlite3_bind_text(statement, index + 3, match_name(link), -1, SQLITE_STATIC);
}

/* ---- files, rejects, divisions ------------------------------------------------- */

static tdb_status write_source_files(writer_context *context)
{
    const tdb_build_state *state = context->state;
    sqlite3_stmt *statement = NULL;
    tdb_status status = tdb_writer_prepare(
        context->writer,
        "INSERT INTO source_file VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", &statement);
    if (status != TDB_OK) return status;
    for (size_t t = 0; t < state->ingest.table_count; t++) {
        const tdb_table *table = &state->ingest.tables[t];
        const tdb_source_config *config = &state->manifest->sources[table->source_index];
        char hash[17];
        snprintf(hash, sizeof hash, "%016llx", (unsigned long long)table->content_hash);
        sqlite3_bind_int64(statement, 1, (sqlite3_int64)t + 1);
        tdb_bind_cstr(statement, 2, config->name);
        tdb_bind_cstr(statement, 3, tdb_kind_get(table->kind)->name);
        sqlite3_bind_text(statement, 4, config->department, -1, SQLITE_STATIC);
        tdb_bind_cstr(statement, 5, table->path);
        tdb_bind_cstr(statement, 6, hash);
        sqlite3_bind_int64(statement, 7, (sqlite3_int64)table->bytes);
        sqlite3_bind_int64(statement, 8, (sqlite3_int64)table->rows_read);
        sqlite3_bind_int64(statement, 9, (sqlite3_int64)table->row_count);
        sqlite3_bind_int64(statement, 10, (sqlite3_int64)table->rows_rejected);
        TDB_FORWARD(tdb_writer_insert(context->writer, statement));
    }
cleanup:
    sqlite3_finalize(statement);
    return status;
}

static tdb_status write_rejects(writer_context *context)
{
    const tdb_reject_list *rejects = &context->state->ingest.rejects;
    sqlite3_stmt *statement = NULL;
    tdb_status status = tdb_writer_prepare(
        context->writer, "INSERT INTO reject VALUES (NULL, ?1, ?2, ?3, ?4, ?5)", &statement);
    if (status != TDB_OK) return status;
    for (size_t i = 0; i < rejects->count; i++) {
        const tdb_reject *reject = &rejects->items[i];
        sqlite3_bind_int64(statement, 1, (sqlite3_int64)reject->table + 1);
        sqlite3_bind_int64(statement, 2, reject->line);
        sqlite3_bind_text(statement, 3, reject->reason, -1, SQLITE_STATIC);
        sqlite3_bind_text(statement, 4, rejects->arena.data + reject->detail_offset,
                          (int)reject->detail_length, SQLITE_STATIC);
        sqlite3_bind_blob(statement, 5, rejects->arena.data + reject->raw_offset,
                          (int)reject->raw_length, SQLITE_STATIC);
        TDB_FORWARD(tdb_writer_insert(context->writer, statement));
    }
cleanup:
    sqlite3_finalize(statement);
    return status;
}

/* A division is in scope when its code starts with the scope, or when it is an
 * ancestor of the scope (the province and city of a county). */
static bool division_in_scope(const char *code, size_t length, const char *scope)
{
    size_t scope_length = strlen(scope);
    if (scope_length == 0) return true;
    if (length >= scope_length) return memcmp(code, scope, scope_length) == 0;
    return memcmp(code, scope, length) == 0;
}

static tdb_status write_divisions(writer_context *context)
{
    const tdb_build_state *state = context->state;
    sqlite3_stmt *statement = NULL;
    tdb_status status = tdb_writer_prepare(
        context->writer, "INSERT OR IGNORE INTO division VALUES (?1, ?2, ?3, ?4)", &statement);
    if (status != TDB_OK) return status;
    for (size_t t = 0; t < state->ingest.table_count; t++) {
        const tdb_table *table = &state->ingest.tables[t];
        if (table->kind != TDB_KIND_DIVISION) continue;
        for (size_t row = 0; row < table->row_count; row++) {
            size_t length;
            const char *code = tdb_table_cell(table, row, DIVISION_CODE, &length);
            if (!division_in_scope(code, length, state->manifest->scope)) continue;
            for (int field = 0; field < 4; field++)
                bind_raw(statement, field + 1, state, (tdb_record_ref){(uint32_t)t, (uint32_t)row},
                         (size_t)field);
            TDB_FORWARD(tdb_writer_insert(context->writer, statement));
        }
    }
cleanup:
    sqlite3_finalize(statement);
    return status;
}

static tdb_status write_addresses(writer_context *context)
{
    const tdb_address_registry *registry = &context->state->addresses;
    sqlite3_stmt *statement = NULL;
    tdb_status status = tdb_writer_prepare(
        context->writer,
        "INSERT INTO address VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
        " ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28)",
        &statement);
    if (status != TDB_OK) return status;
    for (size_t a = 0; a < registry->address_count; a++) {
        const tdb_address_entry *entry = &registry->addresses[a];
        sqlite3_bind_text(statement, 1, entry->id, -1, SQLITE_STATIC);
        /* Bound as '' when empty (a text of punctuation only): the column is NOT NULL. */
        sqlite3_bind_text(statement, 2, entry->canonical ? entry->canonical : "", -1, SQLITE_STATIC);
        tdb_bind_cstr(statement, 3, registry->texts.data + registry->text_offsets[entry->first_text]);
        tdb_bind_cstr(statement, 4, entry->division_code);
        tdb_bind_cstr(statement, 5, entry->level);
        for (int c = 0; c < TDB_ADDRESS_COMPONENTS; c++)
            tdb_bind_cstr(statement, 6 + c, entry->components[c]);
        sqlite3_bind_text(statement, 20, entry->flags ? entry->flags : "", -1, SQLITE_STATIC);
        if (entry->has_coordinates) {
            sqlite3_bind_double(statement, 21, entry->longitude);
            sqlite3_bind_double(statement, 22, entry->latitude);
            sqlite3_bind_text(statement, 23, "address_point", -1, SQLITE_STATIC);
        }
        sqlite3_bind_int64(statement, 24, entry->persons_registered);
        sqlite3_bind_int64(statement, 25, entry->persons_residing);
        sqlite3_bind_int64(statement, 26, entry->legal_entities);
        sqlite3_bind_int64(statement, 27, entry->houses);
        sqlite3_bind_int64(statement, 28, entry->vehicle_owners);
        TDB_FORWARD(tdb_writer_insert(context->writer, statement));
    }
cleanup:
    sqlite3_finalize(statement);
    return status;
}

/* ---- base records -------------------------------------------------------------- */

static tdb_status write_persons(writer_context *context)
{
    const tdb_build_state *state = context->state;
    const tdb_entity_set *set = &state->entities[TDB_ENTITY_PERSON];
    sqlite3_stmt *statement = NULL;
    tdb_status status = tdb_writer_prepare(
        context->writer,
        "INSERT INTO person VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
        " ?15, ?16, ?17, ?18)",
        &statement);
    if (status != TDB_OK) return status;
    for (size_t e = 0; e < set->count; e++) {
        tdb_record_ref record = set->chosen[e];
        sqlite3_bind_text(statement, 1, set->ids[e], -1, SQLITE_STATIC);
        size_t length;
        const char *id = tdb_build_value(state, record, PERSON_ID_NUMBER, &length, NULL);
        sqlite3_bind_text(statement, 2, id, (int)length, SQLITE_STATIC);
        bind_raw(statement, 3, state, record, PERSON_ID_NUMBER);
        bind_validity(statement, 4, state, record, PERSON_ID_NUMBER);
        bind_value(statement, 6, state, record, PERSON_NAME);
        bind_raw(statement, 7, state, record, PERSON_NAME);
        bind_value(statement, 8, state, record, PERSON_GENDER);
        bind_value(statement, 9, state, record, PERSON_BIRTH_DATE);
        bind_value(statement, 10, state, record, PERSON_ETHNICITY);
        bind_address(statement, 11, state, record, PERSON_REGISTERED_ADDRESS);
        bind_raw(statement, 12, state, record, PERSON_REGISTERED_ADDRESS);
        bind_address(statement, 13, state, record, PERSON_RESIDENCE_ADDRESS);
        bind_raw(statement, 14, state, record, PERSON_RESIDENCE_ADDRESS);
        bind_value(statement, 15, state, record, PERSON_PHONE);
        bind_value(statement, 16, state, record, PERSON_UPDATED_AT);
        sqlite3_bind_int64(statement, 17, source_file_id(record));
        sqlite3_bind_int64(statement, 18, source_line(state, record));
        TDB_FORWARD(tdb_writer_insert(context->writer, statement));
    }
cleanup:
    sqlite3_finalize(statement);
    return status;
}

static tdb_status write_legal_entities(writer_context *context)
{
    const tdb_build_state *state = context->state;
    const tdb_entity_set *set = &state->entities[TDB_ENTITY_LEGAL_ENTITY];
    sqlite3_stmt *statement = NULL;
    tdb_status status = tdb_writer_prepare(
        context->writer,
        "INSERT INTO legal_entity VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
        " ?14, ?15, ?16, ?17)",
        &statement);
    if (status != TDB_OK) return status;
    for (size_t e = 0; e < set->count; e++) {
        tdb_record_ref record = set->chosen[e];
        sqlite3_bind_text(statement, 1, set->ids[e], -1, SQLITE_STATIC);
        size_t length;
        const char *uscc = tdb_build_value(state, record, ENTITY_USCC, &length, NULL);
        sqlite3_bind_text(statement, 2, uscc, (int)length, SQLITE_STATIC);
        bind_raw(statement, 3, state, record, ENTITY_USCC);
        bind_validity(statement, 4, state, record, ENTITY_USCC);
        bind_value(statement, 6, state, record, ENTITY_NAME);
        bind_value(statement, 7, state, record, ENTITY_LEGAL_REP_NAME);
        bind_value(statement, 8, state, record, ENTITY_LEGAL_REP_ID);
        const tdb_link *link = find_link(context, record, 0);
        if (link != NULL && link->to_kind == TDB_ENTITY_PERSON)
            sqlite3_bind_text(statement, 9, state->entities[TDB_ENTITY_PERSON].ids[link->to], -1,
                              SQLITE_STATIC);
        bind_address(statement, 10, state, record, ENTITY_ADDRESS);
        bind_raw(statement, 11, state, record, ENTITY_ADDRESS);
        bind_value(statement, 12, state, record, ENTITY_TYPE);
        bind_value(statement, 13, state, record, ENTITY_STATUS);
        bind_value(statement, 14, state, record, ENTITY_ESTABLISHED_ON);
        bind_value(statement, 15, state, record, ENTITY_UPDATED_AT);
        sqlite3_bind_int64(statement, 16, source_file_id(record));
        sqlite3_bind_int64(statement, 17, source_line(state, record));
        TDB_FORWARD(tdb_writer_insert(context->writer, statement));
    }
cleanup:
    sqlite3_finalize(statement);
    return status;
}

static tdb_status write_certificates(writer_context *context)
{
    const tdb_build_state *state = context->state;
    const tdb_entity_set *set = &state->entities[TDB_ENTITY_CERTIFICATE];
    sqlite3_stmt *statement = NULL;
    tdb_status status = tdb_writer_prepare(
        context->writer,
        "INSERT INTO certificate VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
        " ?14, ?15, ?16, ?17, ?18, ?19)",
        &statement);
    if (status != TDB_OK) return status;
    for (size_t e = 0; e < set->count; e++) {
        tdb_record_ref record = set->chosen[e];
        const tdb_link *link = find_link(context, record, 0);
        sqlite3_bind_text(statement, 1, set->ids[e], -1, SQLITE_STATIC);
        bind_value(statement, 2, state, record, CERT_TYPE);
        bind_value(statement, 3, state, record, CERT_NUMBER);
        bind_raw(statement, 4, state, record, CERT_NUMBER);
        bind_value(statement, 5, state, record, CERT_HOLDER_NAME);
        bind_value(statement, 6, state, record, CERT_HOLDER_ID);
        bind_raw(statement, 7, state, record, CERT_HOLDER_ID);
        bind_validity(statement, 8, state, record, CERT_HOLDER_ID);
        if (link != NULL) {
            sqlite3_bind_text(statement, 10, entity_kind_name(link->to_kind), -1, SQLITE_STATIC);
            sqlite3_bind_text(statement, 11, state->entities[link->to_kind].ids[link->to], -1,
                              SQLITE_STATIC);
        }
        sqlite3_bind_text(statement, 12, match_name(link), -1, SQLITE_STATIC);
        bind_value(statement, 13, state, record, CERT_ISSUER);
        bind_value(statement, 14, state, record, CERT_ISSUED_ON);
        bind_value(statement, 15, state, record, CERT_VALID_UNTIL);
        bind_value(statement, 16, state, record, CERT_SUBJECT_KEY);
        bind_value(statement, 17, state, record, CERT_UPDATED_AT);
        sqlite3_bind_int64(statement, 18, source_file_id(record));
        sqlite3_bind_int64(statement, 19, source_line(state, record));
        TDB_FORWARD(tdb_writer_insert(context->writer, statement));
    }
cleanup:
    sqlite3_finalize(statement);
    return status;
}

/* ---- vehicles and houses ------------------------------------------------------- */

typedef struct subject_probe {
    const tdb_build_state *state;
    char cert_class;
    const char *key;
    size_t length;
} subject_probe;

/* 'V' for a vehicle's driving licence (行驶证), 'H' for a real-estate certificate. */
static char certificate_class(const tdb_build_state *state, tdb_record_ref record)
{
    size_t length;
    const char *type = tdb_build_value(state, record, CERT_TYPE, &length, NULL);
    if (strstr(type, "行驶证") != NULL) return 'V';
    if (strstr(type, "不动产") != NULL || strstr(type, "房屋所有权") != NULL) return 'H';
    return 0;
}

static uint64_t subject_hash(char cert_class, const char *key, size_t length)
{
    return tdb_key_hash(cert_class == 'V' ? TDB_KEY_PLATE : TDB_KEY_UNIT, key, length);
}

static bool same_subject(const void *context, uint32_t entity)
{
    const subject_probe *probe = context;
    tdb_record_ref record = probe->state->entities[TDB_ENTITY_CERTIFICATE].chosen[entity];
    if (certificate_class(probe->state, record) != probe->cert_class) return false;
    size_t fields[] = {CERT_SUBJECT_KEY, CERT_NUMBER};
    for (size_t i = 0; i < (probe->cert_class == 'H' ? 2u : 1u); i++) {
        size_t length;
        const char *value = tdb_build_value(probe->state, record, fields[i], &length, NULL);
        if (length == probe->length && memcmp(value, probe->key, length) == 0) return true;
    }
    return false;
}

static tdb_status index_certificate_subjects(writer_context *context)
{
    const tdb_build_state *state = context->state;
    const tdb_entity_set *set = &state->entities[TDB_ENTITY_CERTIFICATE];
    tdb_status status = tdb_key_index_init(&context->cert_subject, set->count);
    for (size_t e = 0; e < set->count && status == TDB_OK; e++) {
        char cert_class = certificate_class(state, set->chosen[e]);
        if (cert_class == 0) continue;
        size_t length;
        const char *subject = tdb_build_value(state, set->chosen[e], CERT_SUBJECT_KEY, &length, NULL);
        if (length > 0)
            status = tdb_key_index_add(&context->cert_subject, subject_hash(cert_class, subject, length),
                                       (uint32_t)e);
        const char *number = tdb_build_value(state, set->chosen[e], CERT_NUMBER, &length, NULL);
        if (status == TDB_OK && cert_class == 'H' && length > 0)
            status = tdb_key_index_add(&context->cert_subject, subject_hash('H', number, length),
                                       (uint32_t)e);
    }
    return status;
}

/* Bind the certificate whose subject is FIELD of RECORD; returns false when none. */
static bool bind_certificate(sqlite3_stmt *statement, int index, const writer_context *context,
                             char cert_class, tdb_record_ref record, size_t field)
{
    const tdb_build_state *state = context->state;
    size_t length;
    const char *key = tdb_build_value(state, record, field, &length, NULL);
    if (length == 0) return false;
    subject_probe probe = {state, cert_class, key, length};
    uint32_t entity = tdb_key_index_find(&context->cert_subject, subject_hash(cert_class, key, length),
                                         same_subject, &probe);
    if (entity == TDB_NONE) return false;
    sqlite3_bind_text(statement, index, state->entities[TDB_ENTITY_CERTIFICATE].ids[entity], -1,
                      SQLITE_STATIC);
    return true;
}

static tdb_status write_vehicles(writer_context *context)
{
    const tdb_build_state *state = context->state;
    const tdb_entity_set *set = &state->entities[TDB_ENTITY_VEHICLE];
    sqlite3_stmt *statement = NULL;
    tdb_status status = tdb_writer_prepare(
        context->writer,
        "INSERT INTO vehicle VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
        " ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30)",
        &statement);
    if (status != TDB_OK) return status;
    for (size_t e = 0; e < set->count; e++) {
        tdb_record_ref record = set->chosen[e];
        const tdb_link *link = find_link(context, record, 0);
        sqlite3_bind_text(statement, 1, set->ids[e], -1, SQLITE_STATIC);
        bind_value(statement, 2, state, record, VEHICLE_VIN);
        bind_raw(statement, 3, state, record, VEHICLE_VIN);
        bind_validity(statement, 4, state, record, VEHICLE_VIN);
        size_t length;
        const char *plate = tdb_build_value(state, record, VEHICLE_PLATE, &length, NULL);
        sqlite3_bind_text(statement, 6, plate, (int)length, SQLITE_STATIC);
        bind_raw(statement, 7, state, record, VEHICLE_PLATE);
        bind_validity(statement, 8, state, record, VEHICLE_PLATE);
        bind_value(statement, 10, state, record, VEHICLE_PLATE_TYPE);
        bind_value(statement, 11, state, record, VEHICLE_OWNER_NAME);
        bind_value(statement, 12, state, record, VEHICLE_OWNER_ID);
        bind_raw(statement, 13, state, record, VEHICLE_OWNER_ID);
        bind_validity(statement, 14, state, record, VEHICLE_OWNER_ID);
        bind_owner(statement, 16, context, link);
        bind_address(statement, 20, state, record, VEHICLE_OWNER_ADDRESS);
        bind_raw(statement, 21, state, record, VEHICLE_OWNER_ADDRESS);
        bind_value(statement, 22, state, record, VEHICLE_BRAND);
        bind_value(statement, 23, state, record, VEHICLE_TYPE);
        bind_value(statement, 24, state, record, VEHICLE_USE_NATURE);
        bind_value(statement, 25, state, record, VEHICLE_STATUS);
        bind_value(statement, 26, state, record, VEHICLE_REGISTERED_ON);
        bind_value(statement, 27, state, record, VEHICLE_UPDATED_AT);
        bind_certificate(statement, 28, context, 'V', record, VEHICLE_PLATE);
        sqlite3_bind_int64(statement, 29, source_file_id(record));
        sqlite3_bind_int64(statement, 30, source_line(state, record));
        TDB_FORWARD(tdb_writer_insert(context->writer, statement));
    }
cleanup:
    sqlite3_finalize(statement);
    return status;
}

/* Return the N-th (from 0) part of a multi-valued normalized cell. */
static const char *multi_part(const char *value, size_t length, size_t n, size_t *part_length)
{
    const char *part = value;
    const char *end = value + length;
    for (size_t i = 0; i < n; i++) {
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

static size_t multi_count(const char *value, size_t length)
{
    if (length == 0) return 0;
    size_t count = 1;
    for (size_t i = 0; i < length; i++) count += value[i] == TDB_MULTI_SEPARATOR;
    return count;
}

static tdb_status write_housing_owners(writer_context *context, sqlite3_stmt *statement,
                                       size_t entity, tdb_record_ref record, size_t owners)
{
    const tdb_build_state *state = context->state;
    tdb_status status = TDB_OK;
    size_t names_length;
    size_t ids_length;
    const char *names = tdb_build_value(state, record, HOUSING_OWNER_NAME, &names_length, NULL);
    const char *ids = tdb_build_value(state, record, HOUSING_OWNER_ID, &ids_length, NULL);
    unsigned id_flags;
    tdb_build_value(state, record, HOUSING_OWNER_ID, NULL, &id_flags);

    for (size_t seq = 1; seq <= owners; seq++) {
        size_t length;
        const char *name = multi_part(names, names_length, seq - 1, &length);
        sqlite3_bind_text(statement, 1, state->entities[TDB_ENTITY_HOUSING].ids[entity], -1, SQLITE_STATIC);
        sqlite3_bind_int64(statement, 2, (sqlite3_int64)seq);
        tdb_bind_text(statement, 3, name, length);
        const char *id = multi_part(ids, ids_length, seq - 1, &length);
        tdb_bind_text(statement, 4, id, length);
        tdb_bind_text(statement, 5, id, length);
        if (length > 0) {
            sqlite3_bind_text(statement, 6, (id_flags & TDB_NORM_VALID) ? "valid" : "invalid", -1,
                              SQLITE_STATIC);
            sqlite3_bind_text(statement, 7,
                              tdb_norm_reason(&state->normalized[record.table], record.row,
                                              HOUSING_OWNER_ID), -1, SQLITE_STATIC);
        }
        bind_owner(statement, 8, context, find_link(context, record, (uint32_t)seq));
        TDB_FORWARD(tdb_writer_insert(context->writer, statement));
    }
cleanup:
    return status;
}

static tdb_status write_housing(writer_context *context)
{
    const tdb_build_state *state = context->state;
    const tdb_entity_set *set = &state->entities[TDB_ENTITY_HOUSING];
    sqlite3_stmt *statement = NULL;
    sqlite3_stmt *owner_statement = NULL;
    tdb_status status = TDB_OK;
    TDB_FORWARD(tdb_writer_prepare(
        context->writer,
        "INSERT INTO housing VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
        " ?15, ?16, ?17, ?18, ?19)",
        &statement));
    TDB_FORWARD(tdb_writer_prepare(
        context->writer,
        "INSERT INTO housing_owner VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        &owner_statement));
    for (size_t e = 0; e < set->count; e++) {
        tdb_record_ref record = set->chosen[e];
        size_t names_length;
        size_t ids_length;
        const char *names = tdb_build_value(state, record, HOUSING_OWNER_NAME, &names_length, NULL);
        const char *ids = tdb_build_value(state, record, HOUSING_OWNER_ID, &ids_length, NULL);
        size_t owners = multi_count(names, names_length);
        if (multi_count(ids, ids_length) > owners) owners = multi_count(ids, ids_length);

        sqlite3_bind_text(statement, 1, set->ids[e], -1, SQLITE_STATIC);
        bind_value(statement, 2, state, record, HOUSING_PROPERTY_UNIT_NO);
        bind_raw(statement, 3, state, record, HOUSING_PROPERTY_UNIT_NO);
        bind_validity(statement, 4, state, record, HOUSING_PROPERTY_UNIT_NO);
        bind_value(statement, 6, state, record, HOUSING_CERT_NUMBER);
        bind_raw(statement, 7, state, record, HOUSING_CERT_NUMBER);
        bind_raw(statement, 8, state, record, HOUSING_LOCATION);
        bind_address(statement, 9, state, record, HOUSING_LOCATION);
        size_t length;
        const char *location = tdb_build_value(state, record, HOUSING_LOCATION, &length, NULL);
        uint32_t address = tdb_address_lookup(state, location, length);
        if (address != TDB_NONE && state->addresses.addresses[address].has_coordinates) {
            sqlite3_bind_double(statement, 10, state->addresses.addresses[address].longitude);
            sqlite3_bind_double(statement, 11, state->addresses.addresses[address].latitude);
        }
        unsigned area_flags;
        const char *area = tdb_build_value(state, record, HOUSING_AREA, NULL, &area_flags);
        if (area_flags & TDB_NORM_VALID) sqlite3_bind_double(statement, 12, strtod(area, NULL));
        bind_value(statement, 13, state, record, HOUSING_USAGE);
        bind_value(statement, 14, state, record, HOUSING_REGISTERED_ON);
        bind_value(statement, 15, state, record, HOUSING_UPDATED_AT);
        sqlite3_bind_int64(statement, 16, (sqlite3_int64)owners);
        if (!bind_certificate(statement, 17, context, 'H', record, HOUSING_PROPERTY_UNIT_NO))
            bind_certificate(statement, 17, context, 'H', record, HOUSING_CERT_NUMBER);
        sqlite3_bind_int64(statement, 18, source_file_id(record));
        sqlite3_bind_int64(statement, 19, source_line(state, record));
        TDB_FORWARD(tdb_writer_insert(context->writer, statement));
        TDB_FORWARD(write_housing_owners(context, owner_statement, e, record, owners));
    }
cleanup:
    sqlite3_finalize(statement);
    sqlite3_finalize(owner_statement);
    return status;
}

/* ---- links and lineage --------------------------------------------------------- */

static const char *const link_type_names[TDB_LINK_TYPE_COUNT] = {
    [TDB_LINK_VEHICLE_OWNER] = "vehicle_owner",
    [TDB_LINK_HOUSING_OWNER] = "housing_owner",
    [TDB_LINK_CERTIFICATE_HOLDER] = "certificate_holder",
    [TDB_LINK_LEGAL_REP] = "legal_rep",
};

static const char *const entity_table_names[TDB_ENTITY_COUNT] = {
    [TDB_ENTITY_PERSON] = "person",
    [TDB_ENTITY_LEGAL_ENTITY] = "legal_entity",
    [TDB_ENTITY_CERTIFICATE] = "certificate",
    [TDB_ENTITY_VEHICLE] = "vehicle",
    [TDB_ENTITY_HOUSING] = "housing",
};

static tdb_status write_links(writer_context *context)
{
    const tdb_build_state *state = context->state;
    sqlite3_stmt *statement = NULL;
    tdb_status status = tdb_writer_prepare(
        context->writer,
        "INSERT INTO link VALUES (NULL, ?1, ?2, ?3, ?13, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        &statement);
    if (status != TDB_OK) return status;
    for (size_t i = 0; i < state->links.count; i++) {
        const tdb_link *link = &state->links.items[i];
        const tdb_entity_set *to = &state->entities[link->to_kind];
        size_t key_field = link->to_kind == TDB_ENTITY_PERSON ? PERSON_ID_NUMBER : ENTITY_USCC;
        sqlite3_bind_text(statement, 1, link_type_names[link->type], -1, SQLITE_STATIC);
        sqlite3_bind_text(statement, 2, entity_table_names[link->from_kind], -1, SQLITE_STATIC);
        sqlite3_bind_text(statement, 3, state->entities[link->from_kind].ids[link->from], -1,
                          SQLITE_STATIC);
        sqlite3_bind_int64(statement, 4, source_file_id(link->record));
        sqlite3_bind_int64(statement, 5, source_line(state, link->record));
        sqlite3_bind_text(statement, 6, entity_kind_name(link->to_kind), -1, SQLITE_STATIC);
        sqlite3_bind_text(statement, 7, to->ids[link->to], -1, SQLITE_STATIC);
        bind_value(statement, 8, state, to->chosen[link->to], key_field);
        sqlite3_bind_text(statement, 9, link->rule, -1, SQLITE_STATIC);
        if (link->field_weights != NULL) sqlite3_bind_double(statement, 10, link->weight);
        sqlite3_bind_double(statement, 11, link->probability);
        tdb_bind_cstr(statement, 12, link->field_weights);
        sqlite3_bind_int64(statement, 13, link->seq);
        TDB_FORWARD(tdb_writer_insert(context->writer, statement));
    }
cleanup:
    sqlite3_finalize(statement);
    return status;
}

static tdb_status write_link_models(writer_context *context)
{
    static const char *const model_names[2] = {"person", "legal_entity"};
    const tdb_build_state *state = context->state;
    sqlite3_stmt *statement = NULL;
    tdb_status status = tdb_writer_prepare(
        context->writer, "INSERT INTO link_model VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", &statement);
    if (status != TDB_OK) return status;
    for (int model = 0; model < 2; model++) {
        if (!state->link_model_present[model]) continue;
        const tdb_link_model *parameters = &state->link_models[model];
        sqlite3_bind_text(statement, 1, model_names[model], -1, SQLITE_STATIC);
        sqlite3_bind_text(statement, 2, "prior", -1, SQLITE_STATIC);
        sqlite3_bind_int(statement, 3, 0);
        sqlite3_bind_text(statement, 4, "prior", -1, SQLITE_STATIC);
        sqlite3_bind_double(statement, 5, parameters->lambda);
        sqlite3_bind_double(statement, 6, 1.0 - parameters->lambda);
        sqlite3_bind_double(statement, 7, parameters->prior_weight);
        TDB_FORWARD(tdb_writer_insert(context->writer, statement));
        for (int field = 0; field < TDB_LINK_FIELDS; field++) {
            for (int level = 0; level < parameters->levels[field]; level++) {
                sqlite3_bind_text(statement, 1, model_names[model], -1, SQLITE_STATIC);
                sqlite3_bind_text(statement, 2, tdb_link_field_name(field), -1, SQLITE_STATIC);
                sqlite3_bind_int(statement, 3, level);
                sqlite3_bind_text(statement, 4, tdb_link_level_name(field, level), -1, SQLITE_STATIC);
                sqlite3_bind_double(statement, 5, parameters->m[field][level]);
                sqlite3_bind_double(statement, 6, parameters->u[field][level]);
                sqlite3_bind_double(statement, 7, parameters->weight[field][level]);
                TDB_FORWARD(tdb_writer_insert(context->writer, statement));
            }
        }
    }
cleanup:
    sqlite3_finalize(statement);
    return status;
}

static tdb_status write_lineage(writer_context *context)
{
    const tdb_build_state *state = context->state;
    sqlite3_stmt *statement = NULL;
    tdb_status status = tdb_writer_prepare(
        context->writer, "INSERT INTO lineage VALUES (?1, ?2, ?3, ?4)", &statement);
    if (status != TDB_OK) return status;
    for (size_t t = 0; t < state->ingest.table_count; t++) {
        const tdb_table *table = &state->ingest.tables[t];
        if (state->row_entity[t] == NULL) continue;
        tdb_entity_kind kind = TDB_ENTITY_COUNT;
        for (int k = 0; k < TDB_ENTITY_COUNT; k++) {
            static const tdb_kind source_kinds[TDB_ENTITY_COUNT] = {
                TDB_KIND_PERSON, TDB_KIND_LEGAL_ENTITY, TDB_KIND_CERTIFICATE, TDB_KIND_VEHICLE,
                TDB_KIND_HOUSING};
            if (source_kinds[k] == table->kind) kind = (tdb_entity_kind)k;
        }
        if (kind == TDB_ENTITY_COUNT) continue;
        for (size_t row = 0; row < table->row_count; row++) {
            sqlite3_bind_text(statement, 1, entity_table_names[kind], -1, SQLITE_STATIC);
            sqlite3_bind_text(statement, 2, state->entities[kind].ids[state->row_entity[t][row]], -1,
                              SQLITE_STATIC);
            sqlite3_bind_int64(statement, 3, (sqlite3_int64)t + 1);
            sqlite3_bind_int64(statement, 4, table->lines[row]);
            TDB_FORWARD(tdb_writer_insert(context->writer, statement));
        }
    }
cleanup:
    sqlite3_finalize(statement);
    return status;
}

/* Create the indexes of each named table, in order. */
static tdb_status index_tables(tdb_writer *writer, const char *const *tables, size_t count)
{
    tdb_status status = TDB_OK;
    for (size_t i = 0; i < count; i++) TDB_FORWARD(tdb_writer_index_table(writer, tables[i]));
cleanup:
    return status;
}

tdb_status tdb_write_sources(const tdb_build_state *state, tdb_writer *writer)
{
    static const char *const tables[] = {"source_file", "reject", "division"};
    tdb_status status = TDB_OK;
    writer_context context = {.state = state, .writer = writer};
    TDB_FORWARD(write_source_files(&context));
    TDB_FORWARD(write_rejects(&context));
    TDB_FORWARD(write_divisions(&context));
    TDB_FORWARD(index_tables(writer, tables, TDB_ARRAY_LEN(tables)));
cleanup:
    return status;
}

tdb_status tdb_write_lineage(const tdb_build_state *state, tdb_writer *writer)
{
    tdb_status status = TDB_OK;
    writer_context context = {.state = state, .writer = writer};
    TDB_FORWARD(write_lineage(&context));
    TDB_FORWARD(tdb_writer_index_table(writer, "lineage"));
cleanup:
    return status;
}

tdb_status tdb_write_assembled(const tdb_build_state *state, tdb_writer *writer)
{
    static const char *const tables[] = {"address", "person"};
    tdb_status status = TDB_OK;
    writer_context context = {.state = state, .writer = writer};
    TDB_FORWARD(write_addresses(&context));
    TDB_FORWARD(write_persons(&context));
    TDB_FORWARD(index_tables(writer, tables, TDB_ARRAY_LEN(tables)));
cleanup:
    return status;
}

tdb_status tdb_write_linked(const tdb_build_state *state, tdb_writer *writer)
{
    static const char *const tables[] = {"legal_entity", "certificate", "vehicle", "housing",
                                         "housing_owner", "link"};
    tdb_status status = TDB_OK;
    writer_context context = {.state = state, .writer = writer};
    TDB_FORWARD(index_certificate_subjects(&context));
    TDB_FORWARD(write_legal_entities(&context));
    TDB_FORWARD(write_certificates(&context));
    TDB_FORWARD(write_vehicles(&context));
    TDB_FORWARD(write_housing(&context));
    TDB_FORWARD(write_links(&context));
    TDB_FORWARD(write_link_models(&context));
    TDB_FORWARD(index_tables(writer, tables, TDB_ARRAY_LEN(tables)));
cleanup:
    tdb_key_index_free(&context.cert_subject);
    return status;
}

tdb_status tdb_write_theme(const tdb_build_state *state, tdb_writer *writer)
{
    tdb_status status = TDB_OK;
    TDB_FORWARD(tdb_write_sources(state, writer));
    TDB_FORWARD(tdb_write_lineage(state, writer));
    TDB_FORWARD(tdb_write_assembled(state, writer));
    TDB_FORWARD(tdb_write_linked(state, writer));
cleanup:
    return status;
}

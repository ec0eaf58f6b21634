/* Assemble: group source rows into theme entities by canonical key.
 *
 * Rows are visited in manifest order, then file order, so the entity numbering and
 * the choice of each entity's representative row do not depend on thread count. The
 * representative is the row with the latest updated_at; among equal dates, the first
 * row read wins. */
#define _POSIX_C_SOURCE 200809L
#include "build.h"

#include <stdio.h>
#include <string.h>

#include "log.h"

typedef struct entity_rule {
    tdb_kind kind;
    tdb_key_type key_type;
    char prefix;                 /* first letter of the stable ID */
    int updated_field;
} entity_rule;

static const entity_rule entity_rules[TDB_ENTITY_COUNT] = {
    [TDB_ENTITY_PERSON] = {TDB_KIND_PERSON, TDB_KEY_ID, 'P', PERSON_UPDATED_AT},
    [TDB_ENTITY_LEGAL_ENTITY] = {TDB_KIND_LEGAL_ENTITY, TDB_KEY_USCC, 'E', ENTITY_UPDATED_AT},
    [TDB_ENTITY_CERTIFICATE] = {TDB_KIND_CERTIFICATE, TDB_KEY_CERT, 'C', CERT_UPDATED_AT},
    [TDB_ENTITY_VEHICLE] = {TDB_KIND_VEHICLE, TDB_KEY_VIN, 'V', VEHICLE_UPDATED_AT},
    [TDB_ENTITY_HOUSING] = {TDB_KIND_HOUSING, TDB_KEY_UNIT, 'H', HOUSING_UPDATED_AT},
};

const char *tdb_build_value(const tdb_build_state *state, tdb_record_ref record, size_t field,
                            size_t *length, unsigned *flags)
{
    return tdb_norm_value(&state->normalized[record.table], record.row, field, length, flags);
}

/* Write the canonical key of RECORD as an entity of KIND into KEY; returns its type. */
static tdb_key_type entity_key(const tdb_build_state *state, tdb_entity_kind kind,
                               tdb_record_ref record, tdb_buf *key)
{
    size_t length;
    const char *value;
    tdb_buf_clear(key);
    key->len = 0;

    switch (kind) {
    case TDB_ENTITY_PERSON:
        value = tdb_build_value(state, record, PERSON_ID_NUMBER, &length, NULL);
        tdb_buf_append(key, value, length);
        return TDB_KEY_ID;
    case TDB_ENTITY_LEGAL_ENTITY:
        value = tdb_build_value(state, record, ENTITY_USCC, &length, NULL);
        tdb_buf_append(key, value, length);
        return TDB_KEY_USCC;
    case TDB_ENTITY_CERTIFICATE:
        value = tdb_build_value(state, record, CERT_TYPE, &length, NULL);
        tdb_buf_append(key, value, length);
        tdb_buf_append_char(key, '|');
        value = tdb_build_value(state, record, CERT_NUMBER, &length, NULL);
        tdb_buf_append(key, value, length);
        return TDB_KEY_CERT;
    case TDB_ENTITY_VEHICLE:
        value = tdb_build_value(state, record, VEHICLE_VIN, &length, NULL);
        if (length > 0) {
            tdb_buf_append(key, value, length);
            return TDB_KEY_VIN;
        }
        value = tdb_build_value(state, record, VEHICLE_PLATE, &length, NULL);
        tdb_buf_append(key, value, length);
        tdb_buf_append_char(key, '|');
        value = tdb_build_value(state, record, VEHICLE_PLATE_TYPE, &length, NULL);
        tdb_buf_append(key, value, length);
        return TDB_KEY_PLATE;
    case TDB_ENTITY_HOUSING:
        value = tdb_build_value(state, record, HOUSING_PROPERTY_UNIT_NO, &length, NULL);
        if (length > 0) {
            tdb_buf_append(key, value, length);
            return TDB_KEY_UNIT;
        }
        value = tdb_build_value(state, record, HOUSING_CERT_NUMBER, &length, NULL);
        if (length > 0) {
            tdb_buf_append(key, value, length);
            return TDB_KEY_CERT;
        }
        value = tdb_build_value(state, record, HOUSING_LOCATION, &length, NULL);
        tdb_buf_append(key, value, length);
        return TDB_KEY_ADDRESS;
    case TDB_ENTITY_COUNT:
        break;
    }
    return TDB_KEY_TEXT;
}

typedef struct key_match {
    const tdb_build_state *state;
    tdb_entity_kind kind;
    tdb_key_type type;
    const tdb_buf *key;
    tdb_buf *scratch;
} key_match;

static bool same_key(const void *context, uint32_t entity)
{
    const key_match *match = context;
    const tdb_entity_set *set = &match->state->entities[match->kind];
    tdb_key_type type = entity_key(match->state, match->kind, set->chosen[entity], match->scratch);
    if (match->scratch->len == 0) return false; /* rows without a key never merge */
    return type == match->type && match->scratch->len == match->key->len &&
           memcmp(match->scratch->data, match->key->data, match->key->len) == 0;
}

static bool newer(const tdb_build_state *state, tdb_record_ref candidate,
                  tdb_record_ref current, int updated_field)
{
    size_t candidate_length;
    size_t current_length;
    const char *candidate_date = tdb_build_value(state, candidate, (size_t)updated_field,
                                                 &candidate_length, NULL);
    const char *current_date = tdb_build_value(state, current, (size_t)updated_field,
                                               &current_length, NULL);
    return strcmp(candidate_date, current_date) > 0;
}

static tdb_status add_entity(tdb_entity_set *set, tdb_record_ref record, char prefix,
                             uint64_t hash, uint32_t *number)
{
    tdb_status status = TDB_OK;
    size_t capacity = set->capacity;
    void *chosen = set->chosen;
    TDB_FORWARD(tdb_grow(&chosen, &capacity, set->count + 1, sizeof(tdb_record_ref)));
    set->chosen = chosen;
    capacity = set->capacity;
    void *ids = set->ids;
    TDB_FORWARD(tdb_grow(&ids, &capacity, set->count + 1, sizeof set->ids[0]));
    set->ids = ids;
    set->capacity = capacity;

    *number = (uint32_t)set->count;
    set->chosen[set->count] = record;
    snprintf(set->ids[set->count], sizeof set->ids[0], "%c%016llx", prefix,
             (unsigned long long)hash);
    set->count++;
    TDB_FORWARD(tdb_key_index_add(&set->index, hash, *number));
cleanup:
    return status;
}

static tdb_status assemble_kind(tdb_build_state *state, tdb_entity_kind kind)
{
    tdb_status status = TDB_OK;
    const entity_rule *rule = &entity_rules[kind];
    tdb_entity_set *set = &state->entities[kind];
    tdb_buf key = {0};
    tdb_buf scratch = {0};
    size_t expected = 0;

    for (size_t t = 0; t < state->ingest.table_count; t++) {
        if (state->ingest.tables[t].kind == rule->kind) expected += state->ingest.tables[t].row_count;
    }
    TDB_FORWARD(tdb_key_index_init(&set->index, expected));

    for (size_t t = 0; t < state->ingest.table_count; t++) {
        const tdb_table *table = &state->ingest.tables[t];
        if (table->kind != rule->kind) continue;
        state->row_entity[t] = tdb_malloc((table->row_count ? table->row_count : 1) * sizeof(uint32_t));
        TDB_FAIL_IF(state->row_entity[t] == NULL, TDB_ERR_NOMEM);

        for (size_t row = 0; row < table->row_count; row++) {
            tdb_record_ref record = {(uint32_t)t, (uint32_t)row};
            tdb_key_type type = entity_key(state, kind, record, &key);
            if (key.len == 0) {
                /* No usable key (a placeholder ID, say): the row is an entity of its own. */
                type = TDB_KEY_TEXT;
                TDB_FORWARD(tdb_buf_printf(&key, "#row:%zu:%zu", t, row));
            }
            uint64_t hash = tdb_key_hash(type, key.data ? key.data : "", key.len);
            key_match match = {state, kind, type, &key, &scratch};
            uint32_t entity = tdb_key_index_find(&set->index, hash, same_key, &match);
            if (entity == TDB_NONE) {
                TDB_FORWARD(add_entity(set, record, rule->prefix, hash, &entity));
            } else if (newer(state, record, set->chosen[entity], rule->updated_field)) {
                set->chosen[entity] = record;
            }
            state->row_entity[t][row] = entity;
        }
    }
cleanup:
    tdb_buf_free(&key);
    tdb_buf_free(&scratch);
    return status;
}

tdb_status tdb_assemble_entities(tdb_build_state *state)
{
    tdb_status status = TDB_OK;
    state->row_entity = tdb_calloc(state->ingest.table_count ? state->ingest.table_count : 1,
                                   sizeof(uint32_t *));
    if (state->row_entity == NULL) return TDB_ERR_NOMEM;
    for (int kind = 0; kind < TDB_ENTITY_COUNT; kind++) {
        TDB_FORWARD(assemble_kind(state, (tdb_entity_kind)kind));
        TDB_LOG(TDB_LOG_DEBUG, "assemble: %d: %zu entities", kind, state->entities[kind].count);
    }
cleanup:
    return status;
}

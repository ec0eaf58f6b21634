/* Exact joins: owner, holder and legal-representative references to persons (by
 * citizen ID number) and legal entities (by unified social credit code), through the
 * key indexes that assembly built. One link is stored per source row that carries a
 * reference, so duplicate department rows each keep their own link. */
#include <string.h>

#include "build.h"
#include "log.h"
#include "themedb/id.h"

typedef struct party_probe {
    const tdb_build_state *state;
    tdb_entity_kind kind;
    size_t key_field;
    const char *key;
    size_t key_length;
} party_probe;

static bool party_key_equal(const void *context, uint32_t entity)
{
    const party_probe *probe = context;
    const tdb_entity_set *set = &probe->state->entities[probe->kind];
    size_t length;
    const char *value = tdb_build_value(probe->state, set->chosen[entity], probe->key_field,
                                        &length, NULL);
    return length == probe->key_length && memcmp(value, probe->key, length) == 0;
}

/* Find the person or legal entity whose key is KEY. ID_KIND is the kind the
 * identifier check gave the value: an ID number is looked up only among persons and
 * a credit code only among legal entities, whichever checksum happens to pass. */
static bool find_party(const tdb_build_state *state, const char *key, size_t length,
                       tdb_id_kind id_kind, tdb_entity_kind *kind, uint32_t *entity,
                       const char **rule)
{
    party_probe person = {state, TDB_ENTITY_PERSON, PERSON_ID_NUMBER, key, length};
    *entity = TDB_NONE;
    if (id_kind != TDB_ID_USCC)
        *entity = tdb_key_index_find(&state->entities[TDB_ENTITY_PERSON].index,
                                     tdb_key_hash(TDB_KEY_ID, key, length), party_key_equal, &person);
    if (*entity != TDB_NONE) {
        *kind = TDB_ENTITY_PERSON;
        *rule = "exact_id";
        return true;
    }
    if (id_kind == TDB_ID_NUMBER) return false;
    party_probe company = {state, TDB_ENTITY_LEGAL_ENTITY, ENTITY_USCC, key, length};
    *entity = tdb_key_index_find(&state->entities[TDB_ENTITY_LEGAL_ENTITY].index,
                                 tdb_key_hash(TDB_KEY_USCC, key, length), party_key_equal, &company);
    if (*entity != TDB_NONE) {
        *kind = TDB_ENTITY_LEGAL_ENTITY;
        *rule = "exact_uscc";
        return true;
    }
    return false;
}

static tdb_status add_link(tdb_link_list *list, const tdb_link *link)
{
    void *items = list->items;
    tdb_status status = tdb_grow(&items, &list->capacity, list->count + 1, sizeof(tdb_link));
    if (status != TDB_OK) return status;
    list->items = items;
    list->items[list->count++] = *link;
    return TDB_OK;
}

/* Certificates whose number is the holder's own identifier: an identity card and a
 * driving licence carry the citizen ID number, a business licence the credit code. */
static bool number_is_holder_id(const char *cert_type)
{
    return strstr(cert_type, "身份证") != NULL || strstr(cert_type, "驾驶证") != NULL ||
           strstr(cert_type, "营业执照") != NULL;
}

const char *tdb_reference_key(const tdb_build_state *state, tdb_record_ref record, size_t field,
                              size_t *length, unsigned *flags)
{
    const char *value = tdb_build_value(state, record, field, length, flags);
    if (*length > 0 || state->ingest.tables[record.table].kind != TDB_KIND_CERTIFICATE ||
        field != CERT_HOLDER_ID)
        return value;
    size_t type_length;
    const char *cert_type = tdb_build_value(state, record, CERT_TYPE, &type_length, NULL);
    if (!number_is_holder_id(cert_type)) return value;
    return tdb_build_value(state, record, CERT_NUMBER, length, flags);
}

static tdb_status link_field(tdb_build_state *state, tdb_kind source_kind, tdb_link_type type,
                             tdb_entity_kind from_kind, size_t field)
{
    tdb_status status = TDB_OK;
    for (size_t t = 0; t < state->ingest.table_count; t++) {
        const tdb_table *table = &state->ingest.tables[t];
        if (table->kind != source_kind) continue;
        for (size_t row = 0; row < table->row_count; row++) {
            tdb_record_ref record = {(uint32_t)t, (uint32_t)row};
            size_t length;
            unsigned flags;
            const char *value = tdb_reference_key(state, record, field, &length, &flags);
            /* Multi-valued cells carry the kind of their first part only. */
            tdb_id_kind id_kind = type == TDB_LINK_HOUSING_OWNER
                                      ? TDB_ID_UNKNOWN
                                      : (tdb_id_kind)((flags & TDB_NORM_KIND_MASK) >> TDB_NORM_KIND_SHIFT);
            uint32_t seq = type == TDB_LINK_HOUSING_OWNER ? 1 : 0;

            /* Multi-valued cells hold one key per co-owner. */
            const char *part = value;
            const char *end = value + length;
            while (part <= end) {
                const char *stop = memchr(part, TDB_MULTI_SEPARATOR, (size_t)(end - part));
                if (stop == NULL) stop = end;
                tdb_link link = {.type = type, .from_kind = from_kind, .seq = seq,
                                 .from = state->row_entity[t][row], .record = record,
                                 .probability = 1.0};
                if (stop > part && find_party(state, part, (size_t)(stop - part), id_kind, &link.to_kind,
                                              &link.to, &link.rule))
                    TDB_FORWARD(add_link(&state->links, &link));
                part = stop + 1;
                if (seq > 0) seq++;
            }
        }
    }
cleanup:
    return status;
}

tdb_status tdb_link_exact(tdb_build_state *state)
{
    tdb_status status = TDB_OK;
    TDB_FORWARD(link_field(state, TDB_KIND_VEHICLE, TDB_LINK_VEHICLE_OWNER, TDB_ENTITY_VEHICLE,
                           VEHICLE_OWNER_ID));
    TDB_FORWARD(link_field(state, TDB_KIND_HOUSING, TDB_LINK_HOUSING_OWNER, TDB_ENTITY_HOUSING,
                           HOUSING_OWNER_ID));
    TDB_FORWARD(link_field(state, TDB_KIND_CERTIFICATE, TDB_LINK_CERTIFICATE_HOLDER,
                           TDB_ENTITY_CERTIFICATE, CERT_HOLDER_ID));
    TDB_FORWARD(link_field(state, TDB_KIND_LEGAL_ENTITY, TDB_LINK_LEGAL_REP,
                           TDB_ENTITY_LEGAL_ENTITY, ENTITY_LEGAL_REP_ID));
    TDB_LOG(TDB_LOG_INFO, _("link: %zu exact links"), state->links.count);
cleanup:
    return status;
}

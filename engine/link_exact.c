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

/* ---- links through a certificate's subject ------------------------------------ */

typedef struct subject_owner {
    tdb_entity_kind subject_kind;  /* the vehicle or house the certificate is about */
    uint32_t subject;
} subject_owner;

typedef struct plate_probe {
    const tdb_build_state *state;
    const char *plate;
    size_t length;
} plate_probe;

static bool same_plate(const void *context, uint32_t entity)
{
    const plate_probe *probe = context;
    size_t length;
    const char *plate = tdb_build_value(probe->state, probe->state->entities[TDB_ENTITY_VEHICLE].chosen[entity],
                                        VEHICLE_PLATE, &length, NULL);
    return length == probe->length && memcmp(plate, probe->plate, length) == 0;
}

static bool same_unit(const void *context, uint32_t entity)
{
    const plate_probe *probe = context;
    size_t length;
    const char *unit = tdb_build_value(probe->state, probe->state->entities[TDB_ENTITY_HOUSING].chosen[entity],
                                       HOUSING_PROPERTY_UNIT_NO, &length, NULL);
    return length == probe->length && memcmp(unit, probe->plate, length) == 0;
}

/* Find the vehicle (driving licence) or house (real-estate certificate) that a
 * certificate is about. */
static bool find_subject(const tdb_build_state *state, const tdb_key_index *plates,
                         tdb_record_ref certificate, subject_owner *out)
{
    size_t type_length;
    size_t key_length;
    const char *cert_type = tdb_build_value(state, certificate, CERT_TYPE, &type_length, NULL);
    const char *key = tdb_build_value(state, certificate, CERT_SUBJECT_KEY, &key_length, NULL);
    if (key_length == 0) return false;
    plate_probe probe = {state, key, key_length};
    if (strstr(cert_type, "行驶证") != NULL) {
        out->subject_kind = TDB_ENTITY_VEHICLE;
        out->subject = tdb_key_index_find(plates, tdb_key_hash(TDB_KEY_PLATE, key, key_length), same_plate, &probe);
    } else if (strstr(cert_type, "不动产") != NULL) {
        out->subject_kind = TDB_ENTITY_HOUSING;
        out->subject = tdb_key_index_find(&state->entities[TDB_ENTITY_HOUSING].index,
                                          tdb_key_hash(TDB_KEY_UNIT, key, key_length), same_unit, &probe);
    } else {
        return false;
    }
    return out->subject != TDB_NONE;
}

static tdb_status index_plates(const tdb_build_state *state, tdb_key_index *plates)
{
    const tdb_entity_set *vehicles = &state->entities[TDB_ENTITY_VEHICLE];
    tdb_status status = tdb_key_index_init(plates, vehicles->count);
    for (size_t e = 0; e < vehicles->count && status == TDB_OK; e++) {
        size_t length;
        const char *plate = tdb_build_value(state, vehicles->chosen[e], VEHICLE_PLATE, &length, NULL);
        if (length > 0) status = tdb_key_index_add(plates, tdb_key_hash(TDB_KEY_PLATE, plate, length), (uint32_t)e);
    }
    return status;
}

typedef struct owner_probe {
    const tdb_build_state *state;
    tdb_record_ref subject;
    const char *name;
    size_t name_length;
} owner_probe;

static uint64_t record_hash(tdb_record_ref record)
{
    uint32_t key[2] = {record.table, record.row};
    return tdb_key_hash(TDB_KEY_TEXT, (const char *)key, sizeof key);
}

/* Accept an owner link of the subject row whose target has the holder's name. */
static bool owner_with_name(const void *context, uint32_t number)
{
    const owner_probe *probe = context;
    const tdb_link *owner = &probe->state->links.items[number];
    if (owner->record.table != probe->subject.table || owner->record.row != probe->subject.row) return false;
    size_t field = owner->to_kind == TDB_ENTITY_PERSON ? PERSON_NAME : ENTITY_NAME;
    size_t length;
    const char *name = tdb_build_value(probe->state, probe->state->entities[owner->to_kind].chosen[owner->to],
                                       field, &length, NULL);
    return length == probe->name_length && memcmp(name, probe->name, length) == 0;
}

static bool same_record(const void *context, uint32_t number)
{
    const owner_probe *probe = context;
    const tdb_link *link = &probe->state->links.items[number];
    return link->record.table == probe->subject.table && link->record.row == probe->subject.row;
}

/* Link a certificate holder without a link to the owner of the certificate's subject
 * when that owner has exactly the holder's name: a driving licence (行驶证) belongs to
 * its vehicle's owner, a real-estate certificate to one of the house's owners. */
tdb_status tdb_link_through_subject(tdb_build_state *state)
{
    tdb_status status = TDB_OK;
    tdb_key_index plates = {0};
    tdb_key_index owners = {0};
    tdb_key_index holders = {0};
    size_t links_before = state->links.count;

    TDB_FORWARD(index_plates(state, &plates));
    TDB_FORWARD(tdb_key_index_init(&owners, links_before));
    TDB_FORWARD(tdb_key_index_init(&holders, links_before));
    for (size_t i = 0; i < links_before; i++) {
        const tdb_link *link = &state->links.items[i];
        if (link->type == TDB_LINK_VEHICLE_OWNER || link->type == TDB_LINK_HOUSING_OWNER)
            TDB_FORWARD(tdb_key_index_add(&owners, record_hash(link->record), (uint32_t)i));
        else if (link->type == TDB_LINK_CERTIFICATE_HOLDER)
            TDB_FORWARD(tdb_key_index_add(&holders, record_hash(link->record), (uint32_t)i));
    }

    for (size_t t = 0; t < state->ingest.table_count; t++) {
        if (state->ingest.tables[t].kind != TDB_KIND_CERTIFICATE) continue;
        for (size_t row = 0; row < state->ingest.tables[t].row_count; row++) {
            tdb_record_ref record = {(uint32_t)t, (uint32_t)row};
            subject_owner subject;
            size_t name_length;
            const char *holder = tdb_build_value(state, record, CERT_HOLDER_NAME, &name_length, NULL);
            if (name_length == 0 || !find_subject(state, &plates, record, &subject)) continue;
            owner_probe linked = {state, record, NULL, 0};
            if (tdb_key_index_find(&holders, record_hash(record), same_record, &linked) != TDB_NONE) continue;

            tdb_record_ref subject_record = state->entities[subject.subject_kind].chosen[subject.subject];
            owner_probe probe = {state, subject_record, holder, name_length};
            uint32_t number = tdb_key_index_find(&owners, record_hash(subject_record), owner_with_name, &probe);
            if (number == TDB_NONE) continue;
            const tdb_link *owner = &state->links.items[number];
            tdb_link link = {.type = TDB_LINK_CERTIFICATE_HOLDER, .from_kind = TDB_ENTITY_CERTIFICATE,
                             .from = state->row_entity[t][row], .record = record, .to_kind = owner->to_kind,
                             .to = owner->to, .rule = "subject_owner", .probability = 1.0};
            TDB_FORWARD(add_link(&state->links, &link));
        }
    }
    TDB_LOG(TDB_LOG_INFO, _("link: %zu certificate holders linked through the certificate's subject"),
            state->links.count - links_before);
cleanup:
    tdb_key_index_free(&plates);
    tdb_key_index_free(&owners);
    tdb_key_index_free(&holders);
    return status;
}

/* ---- links by source row ------------------------------------------------------- */

static uint64_t link_site_hash(tdb_record_ref record, uint32_t seq)
{
    uint32_t key[3] = {record.table, record.row, seq};
    return tdb_key_hash(TDB_KEY_TEXT, (const char *)key, sizeof key);
}

typedef struct link_site_probe {
    const tdb_build_state *state;
    tdb_record_ref record;
    uint32_t seq;
} link_site_probe;

static bool same_link_site(const void *context, uint32_t number)
{
    const link_site_probe *probe = context;
    const tdb_link *link = &probe->state->links.items[number];
    return link->record.table == probe->record.table && link->record.row == probe->record.row &&
           link->seq == probe->seq;
}

tdb_status tdb_index_links(tdb_build_state *state)
{
    tdb_key_index_free(&state->link_index);
    tdb_status status = tdb_key_index_init(&state->link_index, state->links.count);
    for (size_t i = 0; i < state->links.count && status == TDB_OK; i++) {
        const tdb_link *link = &state->links.items[i];
        status = tdb_key_index_add(&state->link_index, link_site_hash(link->record, link->seq), (uint32_t)i);
    }
    return status;
}

const tdb_link *tdb_find_link(const tdb_build_state *state, tdb_record_ref record, uint32_t seq)
{
    link_site_probe probe = {state, record, seq};
    uint32_t number = tdb_key_index_find(&state->link_index, link_site_hash(record, seq), same_link_site, &probe);
    return number == TDB_NONE ? NULL : &state->links.items[number];
}

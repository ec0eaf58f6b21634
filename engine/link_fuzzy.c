/* Fuzzy linkage in the build: the department references that exact joins left
 * unlinked, or linked to a record whose name disagrees, are matched against persons
 * and legal entities with the probabilistic linkage module.
 *
 * A reference is a query of the person model unless its identifier is a credit code
 * or its name reads as an organisation's. Those go to the legal-entity model. A fuzzy
 * match replaces an exact link only when it points to another record, which happens
 * when a mistyped ID is the valid ID of another person. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>

#include "build.h"
#include "log.h"
#include "themedb/id.h"
#include "themedb/link.h"

/* One department reference: a source row, the co-owner position, and its fields. */
typedef struct reference {
    tdb_link_type type;
    tdb_entity_kind from_kind;
    tdb_record_ref record;
    uint32_t seq;
    size_t name_field;
    size_t id_field;
    size_t address_field;        /* SIZE_MAX when the kind has no address for the owner */
    ssize_t exact_link;          /* index into state->links, or -1 */
} reference;

typedef struct reference_list {
    reference *items;
    size_t count;
    size_t capacity;
    tdb_buf strings;             /* co-owner parts, NUL-terminated */
    size_t *name_offsets;
    size_t *id_offsets;
} reference_list;

static const char *const organisation_words[] = {"公司", "有限", "厂", "店", "中心", "合作社",
                                                 "集团", "委员会", "学校", "医院", "商行", "经营部",
                                                 "事务所", "协会", "局", "馆", "部"};

static bool looks_like_organisation(const char *name)
{
    for (size_t i = 0; i < TDB_ARRAY_LEN(organisation_words); i++) {
        if (strstr(name, organisation_words[i]) != NULL) return true;
    }
    return false;
}

/* The part of a multi-valued cell at SEQ (from 1; 0 means the whole cell). */
static tdb_status copy_part(const char *value, size_t length, uint32_t seq, tdb_buf *out,
                            size_t *offset)
{
    const char *part = value;
    const char *end = value + length;
    for (uint32_t i = 1; seq > 0 && i < seq && part <= end; i++) {
        const char *stop = memchr(part, TDB_MULTI_SEPARATOR, (size_t)(end - part));
        part = stop ? stop + 1 : end + 1;
    }
    size_t part_length = 0;
    if (part <= end) {
        const char *stop = seq > 0 ? memchr(part, TDB_MULTI_SEPARATOR, (size_t)(end - part)) : NULL;
        part_length = (size_t)((stop ? stop : end) - part);
    }
    *offset = out->len;
    tdb_status status = tdb_buf_append(out, part <= end ? part : "", part_length);
    if (status == TDB_OK) status = tdb_buf_append_char(out, '\0');
    return status;
}

/* Return the address key the linkage module compares: the canonical address, so that
 * the same house is an exact match and another house of the village a partial one.
 * NULL when there is none. */
static const char *address_key(const tdb_build_state *state, tdb_record_ref record, size_t field)
{
    size_t length;
    const char *text = tdb_build_value(state, record, field, &length, NULL);
    uint32_t number = tdb_address_lookup(state, text, length);
    if (number == TDB_NONE) return NULL;
    const tdb_address_entry *entry = &state->addresses.addresses[number];
    return entry->canonical && entry->canonical[0] ? entry->canonical : NULL;
}

typedef struct link_site {
    tdb_kind source_kind;
    tdb_link_type type;
    tdb_entity_kind from_kind;
    size_t name_field;
    size_t id_field;
    size_t address_field;
} link_site;

static const link_site link_sites[] = {
    {TDB_KIND_VEHICLE, TDB_LINK_VEHICLE_OWNER, TDB_ENTITY_VEHICLE, VEHICLE_OWNER_NAME,
     VEHICLE_OWNER_ID, VEHICLE_OWNER_ADDRESS},
    {TDB_KIND_HOUSING, TDB_LINK_HOUSING_OWNER, TDB_ENTITY_HOUSING, HOUSING_OWNER_NAME,
     HOUSING_OWNER_ID, HOUSING_LOCATION},
    {TDB_KIND_CERTIFICATE, TDB_LINK_CERTIFICATE_HOLDER, TDB_ENTITY_CERTIFICATE, CERT_HOLDER_NAME,
     CERT_HOLDER_ID, SIZE_MAX},
    {TDB_KIND_LEGAL_ENTITY, TDB_LINK_LEGAL_REP, TDB_ENTITY_LEGAL_ENTITY, ENTITY_LEGAL_REP_NAME,
     ENTITY_LEGAL_REP_ID, SIZE_MAX},
};

static size_t part_count(const char *value, size_t length)
{
    if (length == 0) return 0;
    size_t count = 1;
    for (size_t i = 0; i < length; i++) count += value[i] == TDB_MULTI_SEPARATOR;
    return count;
}

/* Name of the record an exact link points to. */
static const char *target_name(const tdb_build_state *state, const tdb_link *link)
{
    size_t length;
    size_t field = link->to_kind == TDB_ENTITY_PERSON ? PERSON_NAME : ENTITY_NAME;
    return tdb_build_value(state, state->entities[link->to_kind].chosen[link->to], field, &length, NULL);
}

static tdb_status add_reference(reference_list *list, const reference *item, const char *name,
                                size_t name_length, const char *id, size_t id_length)
{
    tdb_status status = TDB_OK;
    size_t capacity = list->capacity;
    void *items = list->items;
    TDB_FORWARD(tdb_grow(&items, &capacity, list->count + 1, sizeof(reference)));
    list->items = items;
    capacity = list->capacity;
    void *names = list->name_offsets;
    TDB_FORWARD(tdb_grow(&names, &capacity, list->count + 1, sizeof(size_t)));
    list->name_offsets = names;
    capacity = list->capacity;
    void *ids = list->id_offsets;
    TDB_FORWARD(tdb_grow(&ids, &capacity, list->count + 1, sizeof(size_t)));
    list->id_offsets = ids;
    list->capacity = capacity;

    list->items[list->count] = *item;
    TDB_FORWARD(copy_part(name, name_length, item->seq, &list->strings, &list->name_offsets[list->count]));
    TDB_FORWARD(copy_part(id, id_length, item->seq, &list->strings, &list->id_offsets[list->count]));
    list->count++;
cleanup:
    return status;
}

/* Collect every reference without an exact link, or whose exact link's target has
 * another name. */
static tdb_status collect_references(const tdb_build_state *state, reference_list *list)
{
    tdb_status status = TDB_OK;
    for (size_t s = 0; s < TDB_ARRAY_LEN(link_sites); s++) {
        const link_site *site = &link_sites[s];
        for (size_t t = 0; t < state->ingest.table_count; t++) {
            if (state->ingest.tables[t].kind != site->source_kind) continue;
            for (size_t row = 0; row < state->ingest.tables[t].row_count; row++) {
                tdb_record_ref record = {(uint32_t)t, (uint32_t)row};
                size_t name_length;
                size_t id_length;
                const char *name = tdb_build_value(state, record, site->name_field, &name_length, NULL);
                unsigned id_flags;
                const char *id = tdb_reference_key(state, record, site->id_field, &id_length, &id_flags);
                bool multi = site->type == TDB_LINK_HOUSING_OWNER;
                size_t parts = multi ? part_count(name, name_length) : 1;
                if (multi && part_count(id, id_length) > parts) parts = part_count(id, id_length);

                for (size_t p = 0; p < parts; p++) {
                    reference item = {site->type, site->from_kind, record, multi ? (uint32_t)p + 1 : 0,
                                      site->name_field, site->id_field, site->address_field, -1};
                    const tdb_link *exact_link = tdb_find_link(state, record, item.seq);
                    size_t exact = exact_link ? (size_t)(exact_link - state->links.items) : SIZE_MAX;
                    size_t before = list->count;
                    TDB_FORWARD(add_reference(list, &item, name, name_length, id, id_length));
                    const char *query_name = list->strings.data + list->name_offsets[before];
                    const char *query_id = list->strings.data + list->id_offsets[before];
                    bool keep = false;
                    if (exact == SIZE_MAX) {
                        keep = query_name[0] != '\0' || query_id[0] != '\0';
                    } else if (query_name[0] != '\0') {
                        list->items[before].exact_link = (ssize_t)exact;
                        keep = strcmp(query_name, target_name(state, &state->links.items[exact])) != 0;
                    }
                    if (!keep) list->count = before; /* the strings stay; they are small */
                }
            }
        }
    }
cleanup:
    return status;
}

/* Records of one side, with the strings they point to. */
typedef struct side {
    tdb_link_record *records;
    char (*birth_dates)[9];
    size_t count;
} side;

static void free_side(side *records)
{
    tdb_free(records->records);
    tdb_free(records->birth_dates);
    memset(records, 0, sizeof *records);
}

static const char *or_null(const char *value) { return value != NULL && value[0] ? value : NULL; }

static tdb_status person_base(const tdb_build_state *state, side *out)
{
    const tdb_entity_set *set = &state->entities[TDB_ENTITY_PERSON];
    out->count = set->count;
    out->records = tdb_calloc(set->count ? set->count : 1, sizeof(tdb_link_record));
    out->birth_dates = tdb_calloc(set->count ? set->count : 1, sizeof out->birth_dates[0]);
    if (out->records == NULL || out->birth_dates == NULL) return TDB_ERR_NOMEM;
    for (size_t e = 0; e < set->count; e++) {
        tdb_record_ref record = set->chosen[e];
        size_t length;
        tdb_link_record *base = &out->records[e];
        base->name = or_null(tdb_build_value(state, record, PERSON_NAME, &length, NULL));
        base->id_number = or_null(tdb_build_value(state, record, PERSON_ID_NUMBER, &length, NULL));
        const char *date = tdb_build_value(state, record, PERSON_BIRTH_DATE, &length, NULL);
        if (length == 10) {
            snprintf(out->birth_dates[e], sizeof out->birth_dates[e], "%.4s%.2s%.2s", date, date + 5, date + 8);
            base->birth_date = out->birth_dates[e];
        }
        base->phone = or_null(tdb_build_value(state, record, PERSON_PHONE, &length, NULL));
        base->address_key = address_key(state, record, PERSON_REGISTERED_ADDRESS);
        base->gender = or_null(tdb_build_value(state, record, PERSON_GENDER, &length, NULL));
    }
    return TDB_OK;
}

static tdb_status entity_base(const tdb_build_state *state, side *out)
{
    const tdb_entity_set *set = &state->entities[TDB_ENTITY_LEGAL_ENTITY];
    out->count = set->count;
    out->records = tdb_calloc(set->count ? set->count : 1, sizeof(tdb_link_record));
    if (out->records == NULL) return TDB_ERR_NOMEM;
    for (size_t e = 0; e < set->count; e++) {
        size_t length;
        out->records[e].name = or_null(tdb_build_value(state, set->chosen[e], ENTITY_NAME, &length, NULL));
        out->records[e].id_number = or_null(tdb_build_value(state, set->chosen[e], ENTITY_USCC, &length, NULL));
        out->records[e].address_key = address_key(state, set->chosen[e], ENTITY_ADDRESS);
    }
    return TDB_OK;
}

/* Decide which model a reference goes to: 0 persons, 1 legal entities. */
static int model_of(const tdb_build_state *state, const reference_list *list, size_t i)
{
    const reference *item = &list->items[i];
    if (item->type == TDB_LINK_LEGAL_REP) return 0;
    unsigned flags;
    size_t length;
    tdb_reference_key(state, item->record, item->id_field, &length, &flags);
    tdb_id_kind kind = (tdb_id_kind)((flags & TDB_NORM_KIND_MASK) >> TDB_NORM_KIND_SHIFT);
    if (item->seq == 0 && kind == TDB_ID_USCC) return 1;
    if (item->seq == 0 && kind == TDB_ID_NUMBER) return 0;
    return looks_like_organisation(list->strings.data + list->name_offsets[i]) ? 1 : 0;
}

static tdb_status weights_json(const tdb_link_match *match, char **out)
{
    tdb_buf json = {0};
    tdb_status status = tdb_buf_append_char(&json, '{');
    for (int field = 0; field < TDB_LINK_FIELDS && status == TDB_OK; field++) {
        const char *level = match->levels[field] == TDB_LINK_LEVEL_NULL
                                ? "null"
                                : tdb_link_level_name(field, match->levels[field]);
        status = tdb_buf_printf(&json, "%s\"%s\": {\"level\": \"%s\", \"weight\": %.3f}",
                                field ? ", " : "", tdb_link_field_name(field), level,
                                match->field_weights[field]);
    }
    if (status == TDB_OK) status = tdb_buf_append_char(&json, '}');
    if (status != TDB_OK) {
        tdb_buf_free(&json);
        return status;
    }
    *out = json.data;
    return TDB_OK;
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

/* Store the matches of one model as links: new ones for unlinked references, or in
 * place of an exact link that pointed to another record. */
static tdb_status apply_matches(tdb_build_state *state, const reference_list *list,
                                const size_t *query_reference, tdb_entity_kind to_kind,
                                const tdb_link_result *result)
{
    tdb_status status = TDB_OK;
    for (size_t m = 0; m < result->match_count; m++) {
        const tdb_link_match *match = &result->matches[m];
        const reference *item = &list->items[query_reference[match->query]];
        tdb_link link = {.type = item->type, .from_kind = item->from_kind,
                         .from = state->row_entity[item->record.table][item->record.row],
                         .seq = item->seq, .record = item->record, .to_kind = to_kind,
                         .to = match->base, .rule = match->rule, .weight = match->weight,
                         .probability = match->probability};
        const char *query_id = list->strings.data + list->id_offsets[query_reference[match->query]];
        size_t key_length;
        size_t key_field = to_kind == TDB_ENTITY_PERSON ? PERSON_ID_NUMBER : ENTITY_USCC;
        const char *target_key = tdb_build_value(state, state->entities[to_kind].chosen[match->base],
                                                 key_field, &key_length, NULL);
        link.corrects_id = query_id[0] != '\0' && strcmp(query_id, target_key) != 0;

        if (item->exact_link >= 0) {
            tdb_link *exact = &state->links.items[item->exact_link];
            if (exact->to_kind == to_kind && exact->to == match->base) continue;
            TDB_FORWARD(weights_json(match, &link.field_weights));
            tdb_free(exact->field_weights);
            *exact = link;
        } else {
            TDB_FORWARD(weights_json(match, &link.field_weights));
            status = add_link(&state->links, &link);
            if (status != TDB_OK) {
                tdb_free(link.field_weights);
                goto cleanup;
            }
        }
    }
cleanup:
    return status;
}

static tdb_status run_model(tdb_build_state *state, const reference_list *list, int model,
                            const side *base)
{
    tdb_status status = TDB_OK;
    tdb_link_record *queries = tdb_calloc(list->count ? list->count : 1, sizeof(tdb_link_record));
    size_t *query_reference = tdb_calloc(list->count ? list->count : 1, sizeof(size_t));
    tdb_link_result *result = NULL;
    size_t query_count = 0;
    TDB_FAIL_IF(queries == NULL || query_reference == NULL, TDB_ERR_NOMEM);

    for (size_t i = 0; i < list->count; i++) {
        if (model_of(state, list, i) != model) continue;
        const reference *item = &list->items[i];
        tdb_link_record *query = &queries[query_count];
        query->name = or_null(list->strings.data + list->name_offsets[i]);
        query->id_number = or_null(list->strings.data + list->id_offsets[i]);
        if (item->address_field != SIZE_MAX) query->address_key = address_key(state, item->record, item->address_field);
        query_reference[query_count++] = i;
    }
    if (query_count == 0 || base->count == 0) goto cleanup;

    tdb_link_config config;
    tdb_link_config_init(&config);
    config.threshold = state->manifest->link_threshold;
    config.one_to_one = state->manifest->link_one_to_one;
    config.max_block_size = state->manifest->link_max_block;
    config.threads = state->threads;
    TDB_FORWARD(tdb_link_run(&config, base->records, base->count, queries, query_count, &result));
    state->link_models[model] = result->model;
    state->link_model_present[model] = true;
    TDB_FORWARD(apply_matches(state, list, query_reference,
                              model == 0 ? TDB_ENTITY_PERSON : TDB_ENTITY_LEGAL_ENTITY, result));
cleanup:
    tdb_link_result_free(result);
    tdb_free(queries);
    tdb_free(query_reference);
    return status;
}

tdb_status tdb_link_fuzzy(tdb_build_state *state)
{
    tdb_status status = TDB_OK;
    reference_list list = {0};
    side persons = {0};
    side entities = {0};
    size_t links_before = state->links.count;

    TDB_FORWARD(collect_references(state, &list));
    TDB_LOG(TDB_LOG_INFO, _("link: %zu references left for fuzzy matching"), list.count);
    if (list.count == 0) goto cleanup;
    TDB_FORWARD(person_base(state, &persons));
    TDB_FORWARD(entity_base(state, &entities));
    TDB_FORWARD(run_model(state, &list, 0, &persons));
    TDB_FORWARD(run_model(state, &list, 1, &entities));
    TDB_LOG(TDB_LOG_INFO, _("link: %zu fuzzy links added"), state->links.count - links_before);
cleanup:
    free_side(&persons);
    free_side(&entities);
    tdb_free(list.items);
    tdb_free(list.name_offsets);
    tdb_free(list.id_offsets);
    tdb_buf_free(&list.strings);
    return status;
}

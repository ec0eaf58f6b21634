/* Address registry: every address text of every source, normalized once per distinct
 * text, grouped by canonical address. Coordinates come from address points; the
 * per-address counts come from the theme entities that refer to the address. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "log.h"

typedef struct address_field {
    tdb_kind kind;
    size_t field;
} address_field;

static const address_field address_fields[] = {
    {TDB_KIND_ADDRESS_POINT, POINT_ADDRESS},
    {TDB_KIND_PERSON, PERSON_REGISTERED_ADDRESS},
    {TDB_KIND_PERSON, PERSON_RESIDENCE_ADDRESS},
    {TDB_KIND_LEGAL_ENTITY, ENTITY_ADDRESS},
    {TDB_KIND_VEHICLE, VEHICLE_OWNER_ADDRESS},
    {TDB_KIND_HOUSING, HOUSING_LOCATION},
};

typedef struct text_probe {
    const tdb_address_registry *registry;
    const char *text;
    size_t length;
} text_probe;

static bool same_text(const void *context, uint32_t number)
{
    const text_probe *probe = context;
    const char *stored = probe->registry->texts.data + probe->registry->text_offsets[number];
    return strlen(stored) == probe->length && memcmp(stored, probe->text, probe->length) == 0;
}

uint32_t tdb_address_lookup(const tdb_build_state *state, const char *text, size_t length)
{
    const tdb_address_registry *registry = &state->addresses;
    if (length == 0) return TDB_NONE;
    text_probe probe = {registry, text, length};
    uint32_t number = tdb_key_index_find(&registry->text_index,
                                         tdb_key_hash(TDB_KEY_TEXT, text, length), same_text, &probe);
    return number == TDB_NONE ? TDB_NONE : registry->text_address[number];
}

static tdb_status add_text(tdb_address_registry *registry, const char *text, size_t length,
                           uint64_t hash)
{
    tdb_status status = TDB_OK;
    size_t capacity = registry->text_capacity;
    void *offsets = registry->text_offsets;
    TDB_FORWARD(tdb_grow(&offsets, &capacity, registry->text_count + 1, sizeof(uint32_t)));
    registry->text_offsets = offsets;
    capacity = registry->text_capacity;
    void *addresses = registry->text_address;
    TDB_FORWARD(tdb_grow(&addresses, &capacity, registry->text_count + 1, sizeof(uint32_t)));
    registry->text_address = addresses;
    registry->text_capacity = capacity;

    TDB_FAIL_IF(registry->texts.len > UINT32_MAX, TDB_ERR_LIMIT);
    registry->text_offsets[registry->text_count] = (uint32_t)registry->texts.len;
    registry->text_address[registry->text_count] = TDB_NONE;
    TDB_FORWARD(tdb_buf_append(&registry->texts, text, length));
    TDB_FORWARD(tdb_buf_append_char(&registry->texts, '\0'));
    TDB_FORWARD(tdb_key_index_add(&registry->text_index, hash, (uint32_t)registry->text_count));
    registry->text_count++;
cleanup:
    return status;
}

static tdb_status collect_texts(tdb_build_state *state)
{
    tdb_status status = TDB_OK;
    tdb_address_registry *registry = &state->addresses;
    TDB_FORWARD(tdb_key_index_init(&registry->text_index, 1024));

    for (size_t f = 0; f < TDB_ARRAY_LEN(address_fields); f++) {
        for (size_t t = 0; t < state->ingest.table_count; t++) {
            const tdb_table *table = &state->ingest.tables[t];
            if (table->kind != address_fields[f].kind) continue;
            for (size_t row = 0; row < table->row_count; row++) {
                size_t length;
                tdb_record_ref record = {(uint32_t)t, (uint32_t)row};
                const char *text = tdb_build_value(state, record, address_fields[f].field, &length, NULL);
                if (length == 0) continue;
                uint64_t hash = tdb_key_hash(TDB_KEY_TEXT, text, length);
                text_probe probe = {registry, text, length};
                if (tdb_key_index_find(&registry->text_index, hash, same_text, &probe) == TDB_NONE)
                    TDB_FORWARD(add_text(registry, text, length, hash));
            }
        }
    }
cleanup:
    return status;
}

/* Parse one address text against the gazetteer, with the build's scope as the hint
 * for names that exist in several counties. Without a gazetteer the parser still
 * splits the text into components. */
static tdb_status parse_text(const tdb_build_state *state, tdb_address_scratch *scratch,
                             const char *text, size_t length, tdb_address *parsed)
{
    const char *scope = state->manifest->scope[0] ? state->manifest->scope : NULL;
    return tdb_address_parse(state->gazetteer, scratch, scope, text, length, parsed);
}

static void append_flag(tdb_buf *flags, const char *name)
{
    if (flags->len > 0) tdb_buf_append_char(flags, ',');
    tdb_buf_append_str(flags, name);
}

/* Fill ENTRY's canonical string, components, code, level and flags from PARSED. */
static tdb_status fill_entry(tdb_address_entry *entry, const tdb_address *parsed)
{
    static const struct {
        uint32_t flag;
        const char *name;
    } flag_names[] = {
        {TDB_ADDR_UPPER_COMPLETED, "upper_completed"}, {TDB_ADDR_ALIAS_USED, "alias_used"},
        {TDB_ADDR_SCOPE_USED, "scope_used"},           {TDB_ADDR_RENAMED, "renamed"},
        {TDB_ADDR_NOISE_DROPPED, "noise_dropped"},     {TDB_ADDR_TRUNCATED, "truncated"},
        {TDB_ADDR_UNPARSED, "unparsed"},
    };
    tdb_buf flags = {0};
    entry->canonical = tdb_strndup(parsed->text + parsed->canonical_offset, parsed->canonical_length);
    if (entry->canonical == NULL) return TDB_ERR_NOMEM;
    for (int c = 0; c < TDB_ADDRESS_COMPONENTS; c++) {
        size_t length;
        const char *value = tdb_address_value(parsed, (tdb_addr_component)c, &length);
        if (value == NULL || length == 0) continue;
        entry->components[c] = tdb_strndup(value, length);
        if (entry->components[c] == NULL) return TDB_ERR_NOMEM;
    }
    if (parsed->code != 0)
        snprintf(entry->division_code, sizeof entry->division_code, "%012llu",
                 (unsigned long long)parsed->code);
    entry->level = tdb_addr_level_name(parsed->level);
    entry->parsed_level = parsed->level;
    for (size_t i = 0; i < TDB_ARRAY_LEN(flag_names); i++) {
        if (parsed->flags & flag_names[i].flag) append_flag(&flags, flag_names[i].name);
    }
    entry->flags = flags.data ? flags.data : tdb_strdup("");
    return entry->flags ? TDB_OK : TDB_ERR_NOMEM;
}

static tdb_status key_texts(const tdb_build_state *state, uint64_t *keys)
{
    tdb_status status = TDB_OK;
    const tdb_address_registry *registry = &state->addresses;
    long count = (long)registry->text_count;
#pragma omp parallel num_threads(state->threads)
    {
        tdb_address_scratch *scratch = NULL;
        tdb_address *parsed = tdb_malloc(sizeof *parsed);
        tdb_status thread_status = parsed ? tdb_address_scratch_new(&scratch) : TDB_ERR_NOMEM;
#pragma omp for schedule(dynamic, 256)
        for (long i = 0; i < count; i++) {
            if (thread_status != TDB_OK) continue;
            const char *text = registry->texts.data + registry->text_offsets[i];
            thread_status = parse_text(state, scratch, text, strlen(text), parsed);
            keys[i] = parsed->key;
        }
        if (thread_status != TDB_OK) {
#pragma omp critical(address_status)
            status = thread_status;
        }
        tdb_address_scratch_free(scratch);
        tdb_free(parsed);
    }
    return status;
}

typedef struct address_probe {
    const tdb_address_registry *registry;
    uint64_t key;
} address_probe;

static bool same_address(const void *context, uint32_t number)
{
    const address_probe *probe = context;
    return probe->registry->addresses[number].key == probe->key;
}

static tdb_status group_addresses(tdb_build_state *state, const uint64_t *keys)
{
    tdb_status status = TDB_OK;
    tdb_address_scratch *scratch = NULL;
    tdb_address *parsed = NULL;
    tdb_address_registry *registry = &state->addresses;
    TDB_FORWARD(tdb_key_index_init(&registry->address_index, registry->text_count));

    for (size_t i = 0; i < registry->text_count; i++) {
        address_probe probe = {registry, keys[i]};
        uint32_t number = tdb_key_index_find(&registry->address_index, keys[i], same_address, &probe);
        if (number == TDB_NONE) {
            void *addresses = registry->addresses;
            TDB_FORWARD(tdb_grow(&addresses, &registry->address_capacity,
                                 registry->address_count + 1, sizeof(tdb_address_entry)));
            registry->addresses = addresses;
            number = (uint32_t)registry->address_count++;
            tdb_address_entry *entry = &registry->addresses[number];
            memset(entry, 0, sizeof *entry);
            entry->key = keys[i];
            entry->first_text = (uint32_t)i;
            snprintf(entry->id, sizeof entry->id, "A%016llx", (unsigned long long)keys[i]);
            TDB_FORWARD(tdb_key_index_add(&registry->address_index, keys[i], number));
        }
        registry->text_address[i] = number;
    }

    /* Parse each address's first text again to fill its components. */
    TDB_FORWARD(tdb_address_scratch_new(&scratch));
    parsed = tdb_malloc(sizeof *parsed);
    TDB_FAIL_IF(parsed == NULL, TDB_ERR_NOMEM);
    for (size_t a = 0; a < registry->address_count; a++) {
        tdb_address_entry *entry = &registry->addresses[a];
        const char *text = registry->texts.data + registry->text_offsets[entry->first_text];
        TDB_FORWARD(parse_text(state, scratch, text, strlen(text), parsed));
        TDB_FORWARD(fill_entry(entry, parsed));
    }
cleanup:
    tdb_address_scratch_free(scratch);
    tdb_free(parsed);
    return status;
}

static void attach_coordinates(tdb_build_state *state)
{
    for (size_t t = 0; t < state->ingest.table_count; t++) {
        const tdb_table *table = &state->ingest.tables[t];
        if (table->kind != TDB_KIND_ADDRESS_POINT) continue;
        for (size_t row = 0; row < table->row_count; row++) {
            tdb_record_ref record = {(uint32_t)t, (uint32_t)row};
            size_t length;
            unsigned lon_flags;
            unsigned lat_flags;
            const char *text = tdb_build_value(state, record, POINT_ADDRESS, &length, NULL);
            uint32_t number = tdb_address_lookup(state, text, length);
            const char *longitude = tdb_build_value(state, record, POINT_LONGITUDE, NULL, &lon_flags);
            const char *latitude = tdb_build_value(state, record, POINT_LATITUDE, NULL, &lat_flags);
            if (number == TDB_NONE || !(lon_flags & TDB_NORM_VALID) || !(lat_flags & TDB_NORM_VALID))
                continue;
            tdb_address_entry *entry = &state->addresses.addresses[number];
            if (entry->has_coordinates) continue; /* the first point read wins */
            entry->longitude = strtod(longitude, NULL);
            entry->latitude = strtod(latitude, NULL);
            entry->has_coordinates = true;
        }
    }
}

static void count_one(tdb_build_state *state, tdb_entity_kind kind, size_t field, size_t counter)
{
    const tdb_entity_set *set = &state->entities[kind];
    for (size_t e = 0; e < set->count; e++) {
        size_t length;
        const char *text = tdb_build_value(state, set->chosen[e], field, &length, NULL);
        uint32_t number = tdb_address_lookup(state, text, length);
        if (number == TDB_NONE) continue;
        tdb_address_entry *entry = &state->addresses.addresses[number];
        uint32_t *counters[] = {&entry->persons_registered, &entry->persons_residing,
                                &entry->legal_entities, &entry->houses, &entry->vehicle_owners};
        (*counters[counter])++;
    }
}

tdb_status tdb_assemble_addresses(tdb_build_state *state)
{
    tdb_status status = TDB_OK;
    uint64_t *keys = NULL;
    TDB_FORWARD(collect_texts(state));
    keys = tdb_malloc((state->addresses.text_count + 1) * sizeof(uint64_t));
    TDB_FAIL_IF(keys == NULL, TDB_ERR_NOMEM);
    TDB_FORWARD(key_texts(state, keys));
    TDB_FORWARD(group_addresses(state, keys));
    attach_coordinates(state);
    count_one(state, TDB_ENTITY_PERSON, PERSON_REGISTERED_ADDRESS, 0);
    count_one(state, TDB_ENTITY_PERSON, PERSON_RESIDENCE_ADDRESS, 1);
    count_one(state, TDB_ENTITY_LEGAL_ENTITY, ENTITY_ADDRESS, 2);
    count_one(state, TDB_ENTITY_HOUSING, HOUSING_LOCATION, 3);
    count_one(state, TDB_ENTITY_VEHICLE, VEHICLE_OWNER_ADDRESS, 4);
    TDB_LOG(TDB_LOG_INFO, _("address: %zu distinct texts, %zu addresses"),
            state->addresses.text_count, state->addresses.address_count);
cleanup:
    tdb_free(keys);
    return status;
}

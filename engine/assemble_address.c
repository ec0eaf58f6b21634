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

/* Parse results of every distinct text, kept compactly so that each text is parsed
 * once: texts are split into fixed chunks, each with its own arena, so threads write
 * without locks and the layout does not depend on the thread count. An arena record is
 * the canonical string, the 14 components, the division code and the flags, each
 * NUL-terminated, then one byte for the level. */
enum { TEXT_CHUNK = 1024 };

typedef struct parsed_texts {
    uint64_t *keys;
    uint32_t *offsets;       /* into the arena of the text's chunk */
    tdb_buf *arenas;
    size_t chunk_count;
} parsed_texts;

static const struct {
    uint32_t flag;
    const char *name;
} flag_names[] = {
    {TDB_ADDR_UPPER_COMPLETED, "upper_completed"}, {TDB_ADDR_ALIAS_USED, "alias_used"},
    {TDB_ADDR_SCOPE_USED, "scope_used"},           {TDB_ADDR_RENAMED, "renamed"},
    {TDB_ADDR_NOISE_DROPPED, "noise_dropped"},     {TDB_ADDR_TRUNCATED, "truncated"},
    {TDB_ADDR_UNPARSED, "unparsed"},
};

static tdb_status store_parsed(const tdb_address *parsed, tdb_buf *arena)
{
    tdb_status status = TDB_OK;
    TDB_FORWARD(tdb_buf_append(arena, parsed->text + parsed->canonical_offset, parsed->canonical_length));
    TDB_FORWARD(tdb_buf_append_char(arena, '\0'));
    for (int c = 0; c < TDB_ADDRESS_COMPONENTS; c++) {
        size_t length = 0;
        const char *value = tdb_address_value(parsed, (tdb_addr_component)c, &length);
        if (value != NULL) TDB_FORWARD(tdb_buf_append(arena, value, length));
        TDB_FORWARD(tdb_buf_append_char(arena, '\0'));
    }
    if (parsed->code != 0) TDB_FORWARD(tdb_buf_printf(arena, "%012llu", (unsigned long long)parsed->code));
    TDB_FORWARD(tdb_buf_append_char(arena, '\0'));
    bool first = true;
    for (size_t i = 0; i < TDB_ARRAY_LEN(flag_names); i++) {
        if (!(parsed->flags & flag_names[i].flag)) continue;
        if (!first) TDB_FORWARD(tdb_buf_append_char(arena, ','));
        TDB_FORWARD(tdb_buf_append_str(arena, flag_names[i].name));
        first = false;
    }
    TDB_FORWARD(tdb_buf_append_char(arena, '\0'));
    TDB_FORWARD(tdb_buf_append_char(arena, (char)parsed->level));
cleanup:
    return status;
}

/* Fill ENTRY from the stored parse result at RECORD. */
static tdb_status fill_entry(tdb_address_entry *entry, const char *record)
{
    entry->canonical = tdb_strdup(record);
    if (entry->canonical == NULL) return TDB_ERR_NOMEM;
    record += strlen(record) + 1;
    for (int c = 0; c < TDB_ADDRESS_COMPONENTS; c++) {
        size_t length = strlen(record);
        if (length > 0) {
            entry->components[c] = tdb_strndup(record, length);
            if (entry->components[c] == NULL) return TDB_ERR_NOMEM;
        }
        record += length + 1;
    }
    snprintf(entry->division_code, sizeof entry->division_code, "%s", record);
    record += strlen(record) + 1;
    entry->flags = tdb_strdup(record);
    if (entry->flags == NULL) return TDB_ERR_NOMEM;
    record += strlen(record) + 1;
    entry->parsed_level = (tdb_addr_level)(unsigned char)record[0];
    entry->level = tdb_addr_level_name(entry->parsed_level);
    return TDB_OK;
}

static tdb_status parse_chunk(const tdb_build_state *state, parsed_texts *out, size_t chunk,
                              tdb_address_scratch *scratch, tdb_address *parsed)
{
    tdb_status status = TDB_OK;
    const tdb_address_registry *registry = &state->addresses;
    size_t first = chunk * TEXT_CHUNK;
    size_t last = first + TEXT_CHUNK < registry->text_count ? first + TEXT_CHUNK : registry->text_count;
    for (size_t i = first; i < last; i++) {
        const char *text = registry->texts.data + registry->text_offsets[i];
        TDB_FORWARD(parse_text(state, scratch, text, strlen(text), parsed));
        out->keys[i] = parsed->key;
        TDB_FAIL_IF(out->arenas[chunk].len > UINT32_MAX, TDB_ERR_LIMIT);
        out->offsets[i] = (uint32_t)out->arenas[chunk].len;
        TDB_FORWARD(store_parsed(parsed, &out->arenas[chunk]));
    }
cleanup:
    return status;
}

static tdb_status parse_texts(const tdb_build_state *state, parsed_texts *out)
{
    tdb_status status = TDB_OK;
    size_t count = state->addresses.text_count;
    out->chunk_count = (count + TEXT_CHUNK - 1) / TEXT_CHUNK;
    out->keys = tdb_malloc((count + 1) * sizeof(uint64_t));
    out->offsets = tdb_malloc((count + 1) * sizeof(uint32_t));
    out->arenas = tdb_calloc(out->chunk_count + 1, sizeof(tdb_buf));
    if (out->keys == NULL || out->offsets == NULL || out->arenas == NULL) return TDB_ERR_NOMEM;

    long chunks = (long)out->chunk_count;
#pragma omp parallel num_threads(state->threads)
    {
        tdb_address_scratch *scratch = NULL;
        tdb_address *parsed = tdb_malloc(sizeof *parsed);
        tdb_status thread_status = parsed ? tdb_address_scratch_new(&scratch) : TDB_ERR_NOMEM;
#pragma omp for schedule(dynamic, 1)
        for (long chunk = 0; chunk < chunks; chunk++) {
            if (thread_status == TDB_OK) thread_status = parse_chunk(state, out, (size_t)chunk, scratch, parsed);
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

static void free_parsed_texts(parsed_texts *texts)
{
    for (size_t i = 0; texts->arenas != NULL && i < texts->chunk_count; i++) tdb_buf_free(&texts->arenas[i]);
    tdb_free(texts->arenas);
    tdb_free(texts->keys);
    tdb_free(texts->offsets);
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

static tdb_status group_addresses(tdb_build_state *state, const parsed_texts *texts)
{
    tdb_status status = TDB_OK;
    tdb_address_registry *registry = &state->addresses;
    TDB_FORWARD(tdb_key_index_init(&registry->address_index, registry->text_count));

    for (size_t i = 0; i < registry->text_count; i++) {
        uint64_t key = texts->keys[i];
        address_probe probe = {registry, key};
        uint32_t number = tdb_key_index_find(&registry->address_index, key, same_address, &probe);
        if (number == TDB_NONE) {
            void *addresses = registry->addresses;
            TDB_FORWARD(tdb_grow(&addresses, &registry->address_capacity,
                                 registry->address_count + 1, sizeof(tdb_address_entry)));
            registry->addresses = addresses;
            number = (uint32_t)registry->address_count++;
            tdb_address_entry *entry = &registry->addresses[number];
            memset(entry, 0, sizeof *entry);
            entry->key = key;
            entry->first_text = (uint32_t)i;
            snprintf(entry->id, sizeof entry->id, "A%016llx", (unsigned long long)key);
            TDB_FORWARD(tdb_key_index_add(&registry->address_index, key, number));
            TDB_FORWARD(fill_entry(entry, texts->arenas[i / TEXT_CHUNK].data + texts->offsets[i]));
        }
        registry->text_address[i] = number;
    }
cleanup:
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
    parsed_texts texts = {0};
    TDB_FORWARD(collect_texts(state));
    TDB_FORWARD(parse_texts(state, &texts));
    TDB_FORWARD(group_addresses(state, &texts));
    attach_coordinates(state);
    count_one(state, TDB_ENTITY_PERSON, PERSON_REGISTERED_ADDRESS, 0);
    count_one(state, TDB_ENTITY_PERSON, PERSON_RESIDENCE_ADDRESS, 1);
    count_one(state, TDB_ENTITY_LEGAL_ENTITY, ENTITY_ADDRESS, 2);
    count_one(state, TDB_ENTITY_HOUSING, HOUSING_LOCATION, 3);
    count_one(state, TDB_ENTITY_VEHICLE, VEHICLE_OWNER_ADDRESS, 4);
    TDB_LOG(TDB_LOG_INFO, _("address: %zu distinct texts, %zu addresses"),
            state->addresses.text_count, state->addresses.address_count);
cleanup:
    free_parsed_texts(&texts);
    return status;
}

/* Parsed-address output: component values, the canonical string, the address key, and
 * comparison of two parsed addresses.
 *
 * Division components come from the gazetteer, so 龙川 and 龙川县 give one value, and
 * the levels above the deepest division read are filled in. The other components come
 * from the lexer's spans. The key hashes the canonical components, so two writings of
 * one place share it. */
#include "addr_parse.h"

#include <string.h>

#include "log.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

/* JSON keys, marked for translation because the text output shows them as labels. */
static const char *const component_names[TDB_ADDR_COMPONENT_COUNT] = {
    N_("province"), N_("city"),    N_("county"), N_("town"),     N_("village"),
    N_("group"),    N_("devzone"), N_("road"),   N_("road_no"),  N_("estate"),
    N_("building"), N_("unit"),    N_("floor"),  N_("room"),
};

const char *tdb_addr_component_name(tdb_addr_component component)
{
    return component < TDB_ADDR_COMPONENT_COUNT ? component_names[component] : "unknown";
}

const char *tdb_addr_level_name(tdb_addr_level level)
{
    static const char *const names[] = {
        N_("none"), N_("province"), N_("city"), N_("county"), N_("town"), N_("village"),
    };
    return level <= TDB_LEVEL_VILLAGE ? names[level] : "none";
}

const char *tdb_addr_match_name(tdb_addr_match match)
{
    switch (match) {
    case TDB_ADDR_MATCH_EXACT: return "exact";
    case TDB_ADDR_MATCH_PARTIAL: return "partial";
    case TDB_ADDR_MATCH_NONE: break;
    }
    return "none";
}

const char *tdb_address_value(const tdb_address *a, tdb_addr_component component,
                              size_t *length)
{
    if (component >= TDB_ADDR_COMPONENT_COUNT || a->parts[component].length == 0) {
        *length = 0;
        return NULL;
    }
    *length = a->parts[component].length;
    return a->text + a->parts[component].offset;
}

size_t tdb_addr_copy_chars(const tdb_address_scratch *scratch, size_t start, size_t end,
                           char *buf, size_t capacity)
{
    if (end > scratch->count) end = scratch->count;
    if (start >= end) return 0;
    size_t from = scratch->offsets[start];
    size_t length = scratch->offsets[end] - from;
    if (length > capacity) length = capacity;
    memcpy(buf, scratch->folded.data + from, length);
    return length;
}

bool tdb_addr_add_span(tdb_address_scratch *scratch, tdb_addr_component component,
                       size_t start, size_t end, const char *value, size_t value_length)
{
    if (scratch->span_count == ADDR_SPANS_MAX ||
        scratch->values_length + value_length > sizeof scratch->values)
        return false;
    addr_span *span = &scratch->spans[scratch->span_count++];
    span->component = component;
    span->start = (uint16_t)start;
    span->end = (uint16_t)end;
    span->value_offset = (uint16_t)scratch->values_length;
    span->value_length = (uint16_t)value_length;
    memcpy(scratch->values + scratch->values_length, value, value_length);
    scratch->values_length += value_length;
    return true;
}

/* Append VALUE to OUT->text and return false when it does not fit. */
static bool append_text(tdb_address *out, const char *value, size_t length)
{
    if ((size_t)out->text_length + length > sizeof out->text) return false;
    memcpy(out->text + out->text_length, value, length);
    out->text_length = (uint16_t)(out->text_length + length);
    return true;
}

static void set_part(const tdb_address_scratch *scratch, tdb_address *out,
                     tdb_addr_component component, const char *value, size_t length,
                     size_t span_start, size_t span_end)
{
    tdb_addr_part *part = &out->parts[component];
    size_t offset = out->text_length;
    if (length == 0 || !append_text(out, value, length)) return;
    part->offset = (uint16_t)offset;
    part->length = (uint16_t)length;
    part->span_offset = span_end > span_start ? scratch->offsets[span_start] : 0;
    part->span_length =
        span_end > span_start ? (uint16_t)(scratch->offsets[span_end] - scratch->offsets[span_start]) : 0;
}

/* Return the segment that read UNIT, or NULL when it was completed. */
static const addr_segment *segment_of(const tdb_address_scratch *scratch, uint32_t unit)
{
    for (size_t i = 0; i < scratch->segment_count; i++) {
        if (scratch->segments[i].unit == unit) return &scratch->segments[i];
    }
    return NULL;
}

/* Fill the division components from the deepest unit and its ancestors. */
static void fill_divisions(tdb_address_scratch *scratch, tdb_address *out)
{
    const tdb_gazetteer *g = scratch->g;
    uint32_t chain[TDB_LEVEL_VILLAGE + 1] = {0};
    bool present[TDB_LEVEL_VILLAGE + 1] = {false};

    if (scratch->deepest == TDB_GAZ_NONE) return;
    for (uint32_t i = scratch->deepest; i != TDB_GAZ_NONE; i = g->units[i].parent) {
        chain[g->units[i].level] = i;
        present[g->units[i].level] = true;
    }
    out->code = g->units[scratch->deepest].code;
    out->level = (tdb_addr_level)g->units[scratch->deepest].level;

    for (int level = TDB_LEVEL_PROVINCE; level <= TDB_LEVEL_VILLAGE; level++) {
        if (!present[level]) continue;
        const tdb_gaz_unit *unit = &g->units[chain[level]];
        /* A municipality's 市辖区 city takes the municipality's name (上海市). */
        if (unit->flags & TDB_GAZ_PLACEHOLDER) {
            const tdb_gaz_unit *province = present[TDB_LEVEL_PROVINCE] ? &g->units[chain[1]] : NULL;
            const char *suffix = "市";
            if (province == NULL || province->name_length < 3 ||
                memcmp(g->pool + province->name + province->name_length - 3, suffix, 3) != 0)
                continue;
            unit = province;
        }
        const addr_segment *segment = segment_of(scratch, chain[level]);
        if (segment == NULL && unit != &g->units[chain[level]])
            segment = segment_of(scratch, chain[TDB_LEVEL_PROVINCE]);
        if (segment == NULL) scratch->flags |= TDB_ADDR_UPPER_COMPLETED;
        set_part(scratch, out, (tdb_addr_component)(level - 1), g->pool + unit->name,
                 unit->name_length, segment ? segment->start : 0, segment ? segment->end : 0);
    }
}

/* Fill the remaining components from the lexer spans; spans of one component are
 * joined (a road and a sub-road). */
static void fill_spans(tdb_address_scratch *scratch, tdb_address *out)
{
    unsigned present = 0;
    for (size_t i = 0; i < scratch->span_count; i++) present |= 1u << scratch->spans[i].component;

    for (int component = 0; component < TDB_ADDR_COMPONENT_COUNT; component++) {
        if (!(present & (1u << component)) || out->parts[component].length != 0) continue;
        size_t offset = out->text_length;
        size_t first = SIZE_MAX;
        size_t last = 0;
        for (size_t i = 0; i < scratch->span_count; i++) {
            const addr_span *span = &scratch->spans[i];
            if ((int)span->component != component) continue;
            if (!append_text(out, scratch->values + span->value_offset, span->value_length))
                scratch->flags |= TDB_ADDR_UNPARSED;
            if (first == SIZE_MAX) first = span->start;
            last = span->end;
        }
        if (first == SIZE_MAX || out->text_length == offset) continue;
        tdb_addr_part *part = &out->parts[component];
        part->offset = (uint16_t)offset;
        part->length = (uint16_t)(out->text_length - offset);
        part->span_offset = scratch->offsets[first];
        part->span_length = (uint16_t)(scratch->offsets[last] - scratch->offsets[first]);
    }
}

/* Build the canonical string and the key from the component values. */
static void fill_canonical(tdb_address_scratch *scratch, tdb_address *out)
{
    size_t offset = out->text_length;
    /* The values all fit in out->text, so the key input fits with one separator each. */
    char key_input[TDB_ADDRESS_TEXT_MAX + TDB_ADDR_COMPONENT_COUNT];
    size_t key_length = 0;

    for (int component = 0; component < TDB_ADDR_COMPONENT_COUNT; component++) {
        size_t length = 0;
        const char *value = tdb_address_value(out, (tdb_addr_component)component, &length);
        if (value) memcpy(key_input + key_length, value, length);
        key_length += length;
        key_input[key_length++] = '\x1F';
        /* 上海市上海市 and 东莞市东莞市 (a city and its same-named county) read once */
        size_t previous_length = 0;
        const char *previous =
            component > 0 ? tdb_address_value(out, (tdb_addr_component)(component - 1), &previous_length)
                          : NULL;
        bool repeated = previous && component <= TDB_ADDR_VILLAGE && previous_length == length &&
                        memcmp(previous, value, length) == 0;
        if (value && !repeated && !append_text(out, value, length))
            scratch->flags |= TDB_ADDR_UNPARSED;
    }
    out->canonical_offset = (uint16_t)offset;
    out->canonical_length = (uint16_t)(out->text_length - offset);
    out->key = XXH3_64bits(key_input, key_length);
}

void tdb_addr_build_output(tdb_address_scratch *scratch, tdb_address *out)
{
    memset(out->parts, 0, sizeof out->parts);
    out->code = 0;
    out->level = TDB_LEVEL_NONE;
    out->text_length = 0;
    out->folded_length = (uint16_t)scratch->folded.len;
    memcpy(out->folded, scratch->folded.data, scratch->folded.len);
    out->folded[scratch->folded.len] = '\0';

    fill_divisions(scratch, out);
    fill_spans(scratch, out);
    fill_canonical(scratch, out);
    out->flags = scratch->flags;
}

/* ---- Comparison ----------------------------------------------------------------- */

tdb_addr_match tdb_address_compare(const tdb_address *a, const tdb_address *b)
{
    bool agree = false;
    bool same_components = true;

    /* Two resolved codes must lie on one branch of the division tree. */
    if (a->code != 0 && b->code != 0) {
        tdb_addr_level common = a->level < b->level ? a->level : b->level;
        if (tdb_gaz_code_at(a->code, common) != tdb_gaz_code_at(b->code, common))
            return TDB_ADDR_MATCH_NONE;
    }
    for (int component = 0; component < TDB_ADDR_COMPONENT_COUNT; component++) {
        size_t a_length = 0;
        size_t b_length = 0;
        const char *a_value = tdb_address_value(a, (tdb_addr_component)component, &a_length);
        const char *b_value = tdb_address_value(b, (tdb_addr_component)component, &b_length);
        if (a_value == NULL && b_value == NULL) continue;
        if (a_value == NULL || b_value == NULL) {
            same_components = false; /* unknown on one side, not a mismatch */
            continue;
        }
        if (a_length != b_length || memcmp(a_value, b_value, a_length) != 0)
            return TDB_ADDR_MATCH_NONE;
        agree = true;
    }
    if (!agree) return TDB_ADDR_MATCH_NONE;
    return same_components ? TDB_ADDR_MATCH_EXACT : TDB_ADDR_MATCH_PARTIAL;
}

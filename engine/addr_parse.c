/* Address parsing entry point and division resolution.
 *
 * The administrative part at the start of an address is resolved by a depth-first
 * search over whole segmentations: at each position every gazetteer name that matches
 * there (full name, alias without suffix, or a village of the division already read) is
 * tried, and each complete path gets a score. Characters covered count for a path;
 * aliases, skipped levels, names outside the scope hint and changed suffixes count
 * against it. A candidate must lie inside the division already read, so a division name
 * inside a road or estate name (陕西南路 after 上海市) never overrides the hierarchy. */
#include "addr_parse.h"

#include <string.h>

#include "themedb/text.h"

#define ADMIN_NAME_CHARS_MAX 24 /* longest gazetteer key searched, in characters */
#define ADMIN_CANDIDATES_MAX 64
#define ADMIN_SEARCH_STEPS_MAX 4000

/* Score weights, in characters covered. */
#define SCORE_ALIAS (-0.6)      /* a name read without its suffix */
#define SCORE_RENAMED (-1.5)    /* a name whose suffix differs from the gazetteer's */
#define SCORE_FORMER (-0.5)     /* a name from before a renaming (襄樊 for 襄阳) */
#define SCORE_SKIPPED (-0.3)    /* per level skipped between two names */
#define SCORE_OUT_OF_SCOPE (-2.0)
#define SCORE_REPEAT_FACTOR 0.5 /* a name repeated (广东省广东省) counts half */
#define SCORE_SEGMENT (-0.05)   /* prefer fewer, longer names */
#define SCORE_LEVEL (-0.05)     /* at the start, per level: prefer 辽阳市 over 辽阳县 */

typedef struct admin_candidate {
    uint32_t unit;
    uint16_t end;   /* character position after the match */
    uint8_t kind;   /* TDB_GAZ_KEY_* */
    bool renamed;   /* an alias followed by another suffix of the same level */
    bool repeat;    /* the unit already read, or one of its ancestors */
    bool scope_used;
} admin_candidate;

typedef struct candidate_list {
    admin_candidate items[ADMIN_CANDIDATES_MAX];
    size_t count;
} candidate_list;

static bool char_in(int32_t cp, const char *set)
{
    size_t pos = 0;
    size_t length = strlen(set);
    while (pos < length) {
        if (tdb_utf8_next(set, length, &pos) == cp) return true;
    }
    return false;
}

static bool chars_equal(const tdb_address_scratch *scratch, size_t pos, const char *word)
{
    size_t offset = 0;
    size_t length = strlen(word);
    while (offset < length) {
        if (pos >= scratch->count) return false;
        if (scratch->chars[pos++] != tdb_utf8_next(word, length, &offset)) return false;
    }
    return true;
}

/* Words that end a road, estate or institution name: a division alias followed by one
 * of them is part of that name (重庆路, 龙泉苑, 中山街). */
static bool starts_detail_word(const tdb_address_scratch *scratch, size_t pos)
{
    static const char *const words[] = {
        "大道", "大街", "大厦", "小区", "花园", "广场", "公寓", "新村", "中学", "小学",
        "大学", "学院", "医院", "公司", "家园", "山庄", "商城", "市场", "宾馆", "酒店",
    };
    if (pos >= scratch->count) return false;
    if (char_in(scratch->chars[pos], "路街道巷弄胡苑园庭府阁楼院坊湾桥港门宫寺庙塔店厂"))
        return true;
    for (size_t i = 0; i < TDB_ARRAY_LEN(words); i++) {
        if (chars_equal(scratch, pos, words[i])) return true;
    }
    /* 陕西南路, 四川北路: a direction, then a road word */
    return char_in(scratch->chars[pos], "东南西北中") && pos + 1 < scratch->count &&
           char_in(scratch->chars[pos + 1], "路街道巷大");
}

/* Return the number of characters of a suffix of LEVEL at POS (another suffix than
 * the unit's own, read as a renamed unit: 增城县 for 增城区), or 0. */
static size_t suffix_at(const tdb_address_scratch *scratch, size_t pos, tdb_addr_level level)
{
    if (pos >= scratch->count) return 0;
    int32_t cp = scratch->chars[pos];
    switch (level) {
    case TDB_LEVEL_PROVINCE: return char_in(cp, "省市") ? 1 : 0;
    case TDB_LEVEL_CITY:
        if (chars_equal(scratch, pos, "地区")) return 2;
        return char_in(cp, "市州盟") ? 1 : 0;
    case TDB_LEVEL_COUNTY: return char_in(cp, "市区县旗") ? 1 : 0;
    case TDB_LEVEL_TOWN:
        if (chars_equal(scratch, pos, "街道")) return 2;
        return char_in(cp, "镇乡") ? 1 : 0;
    case TDB_LEVEL_VILLAGE:
    case TDB_LEVEL_NONE: return 0;
    }
    return 0;
}

static bool is_separator(int32_t cp)
{
    return char_in(cp, ",.;:/_-|·、，。；：\"'“”‘’");
}

static bool in_scope(const tdb_address_scratch *scratch, uint32_t unit)
{
    if (scratch->scope == TDB_GAZ_NONE) return true;
    return tdb_gaz_contains(scratch->g, scratch->scope, unit) ||
           tdb_gaz_contains(scratch->g, unit, scratch->scope);
}

/* Add CANDIDATE after the alias checks. */
static void add_candidate(const tdb_address_scratch *scratch, candidate_list *list,
                          admin_candidate candidate)
{
    const tdb_gaz_unit *unit = &scratch->g->units[candidate.unit];

    if (candidate.kind == TDB_GAZ_KEY_FORMER || candidate.kind == TDB_GAZ_KEY_FORMER_ALIAS)
        candidate.renamed = true;
    if (candidate.kind == TDB_GAZ_KEY_ALIAS || candidate.kind == TDB_GAZ_KEY_FORMER_ALIAS) {
        if (starts_detail_word(scratch, candidate.end)) return;
        size_t suffix = suffix_at(scratch, candidate.end, (tdb_addr_level)unit->level);
        if (suffix > 0) {
            candidate.renamed = true;
            candidate.end = (uint16_t)(candidate.end + suffix);
        } else if (candidate.end < scratch->count &&
                   char_in(scratch->chars[candidate.end], "省市区县镇乡村旗")) {
            return; /* a suffix of another level contradicts the alias */
        }
    }
    if (list->count < ADMIN_CANDIDATES_MAX) list->items[list->count++] = candidate;
}

/* Return true when UNIT can follow CUR: inside it and deeper, or a repeat of it. */
static bool follows(const tdb_address_scratch *scratch, uint32_t cur, uint32_t unit,
                    bool *repeat)
{
    const tdb_gazetteer *g = scratch->g;
    *repeat = false;
    if (cur == TDB_GAZ_NONE) return true;
    if (tdb_gaz_contains(g, unit, cur)) {
        *repeat = true;
        return true;
    }
    return tdb_gaz_contains(g, cur, unit) && g->units[unit].level > g->units[cur].level;
}

/* Add the units of one key slot that may follow CUR. At the start of the text a name
 * shared by several units of one level is kept only for those inside the scope. */
static void add_slot_units(const tdb_address_scratch *scratch, const tdb_gaz_slot *slot,
                           size_t end, uint32_t cur, candidate_list *list)
{
    const tdb_gazetteer *g = scratch->g;
    unsigned per_level[TDB_LEVEL_VILLAGE + 1] = {0};
    unsigned in_scope_per_level[TDB_LEVEL_VILLAGE + 1] = {0};

    if (cur == TDB_GAZ_NONE) {
        for (uint32_t i = 0; i < slot->count; i++) {
            uint32_t unit = g->entries[slot->first + i].unit;
            per_level[g->units[unit].level]++;
            in_scope_per_level[g->units[unit].level] += in_scope(scratch, unit);
        }
    }
    for (uint32_t i = 0; i < slot->count; i++) {
        const tdb_gaz_entry *entry = &g->entries[slot->first + i];
        bool repeat = false;
        if (!follows(scratch, cur, entry->unit, &repeat)) continue;
        admin_candidate candidate = {entry->unit, (uint16_t)end, (uint8_t)entry->kind,
                                     false, repeat, false};
        if (cur == TDB_GAZ_NONE) {
            uint8_t level = g->units[entry->unit].level;
            if (per_level[level] > 1) {
                if (!in_scope(scratch, entry->unit) || scratch->scope == TDB_GAZ_NONE) continue;
                candidate.scope_used = in_scope_per_level[level] < per_level[level];
            }
        }
        add_candidate(scratch, list, candidate);
    }
}

/* Add the names from the global index that start at POS. */
static void find_indexed(const tdb_address_scratch *scratch, size_t pos, uint32_t cur,
                         candidate_list *list)
{
    uint64_t hash = TDB_GAZ_HASH_SEED;
    size_t limit = scratch->count < pos + ADMIN_NAME_CHARS_MAX ? scratch->count
                                                                : pos + ADMIN_NAME_CHARS_MAX;
    for (size_t end = pos; end < limit; end++) {
        size_t offset = scratch->offsets[end];
        hash = tdb_gaz_hash_extend(hash, scratch->folded.data + offset,
                                   scratch->offsets[end + 1] - offset);
        const tdb_gaz_slot *slot = tdb_gaz_find(scratch->g, hash);
        if (slot == NULL) return;
        if (slot->flags & TDB_GAZ_SLOT_KEY) add_slot_units(scratch, slot, end + 1, cur, list);
        if (!(slot->flags & TDB_GAZ_SLOT_PREFIX)) return;
    }
}

/* Return the character count when NAME[0..LENGTH) is at POS, else 0. */
static size_t match_bytes(const tdb_address_scratch *scratch, size_t pos, const char *name,
                          size_t length)
{
    size_t offset = scratch->offsets[pos];
    size_t available = scratch->offsets[scratch->count] - offset;
    if (length == 0 || length > available) return 0;
    if (memcmp(scratch->folded.data + offset, name, length) != 0) return 0;
    size_t end = pos;
    while (end < scratch->count && scratch->offsets[end] < offset + length) end++;
    return scratch->offsets[end] == offset + length ? end - pos : 0;
}

/* Return the position after a committee word at POS (华新社区 + 居委会), or POS. */
static size_t skip_committee_word(const tdb_address_scratch *scratch, size_t pos)
{
    static const char *const words[] = {
        "社区居民委员会", "村民委员会", "居民委员会", "村委会", "居委会", "委员会",
    };
    for (size_t i = 0; i < TDB_ARRAY_LEN(words); i++) {
        /* every character of these words is 3 bytes of UTF-8 */
        if (chars_equal(scratch, pos, words[i])) return pos + strlen(words[i]) / 3;
    }
    return pos;
}

/* Add the villages under BASE (a town or county) whose name starts at POS. */
static void find_villages(const tdb_address_scratch *scratch, size_t pos, uint32_t base,
                          candidate_list *list)
{
    const tdb_gazetteer *g = scratch->g;
    const tdb_gaz_unit *base_unit = &g->units[base];
    const unsigned char first = (unsigned char)scratch->folded.data[scratch->offsets[pos]];

    for (uint32_t i = base + 1; i < base_unit->end; i++) {
        const tdb_gaz_unit *unit = &g->units[i];
        if (unit->level != TDB_LEVEL_VILLAGE) continue;
        if ((unsigned char)g->pool[unit->name] != first &&
            (unsigned char)g->pool[unit->original] != first)
            continue;
        const struct {
            uint32_t offset;
            uint16_t length;
            uint8_t kind;
        } names[] = {
            {unit->original, unit->original_length, TDB_GAZ_KEY_ORIGINAL},
            {unit->name, unit->name_length, TDB_GAZ_KEY_FULL},
            {unit->name, unit->alias_length, TDB_GAZ_KEY_ALIAS},
        };
        for (size_t k = 0; k < TDB_ARRAY_LEN(names); k++) {
            size_t matched = match_bytes(scratch, pos, g->pool + names[k].offset, names[k].length);
            if (matched == 0) continue;
            size_t end = skip_committee_word(scratch, pos + matched);
            admin_candidate candidate = {i, (uint16_t)end, names[k].kind, false, false, false};
            add_candidate(scratch, list, candidate);
            break; /* the longest form that matches is enough */
        }
    }
}

static void find_candidates(const tdb_address_scratch *scratch, size_t pos, uint32_t cur,
                            candidate_list *list)
{
    const tdb_gazetteer *g = scratch->g;
    list->count = 0;
    find_indexed(scratch, pos, cur, list);

    uint32_t base = cur;
    if (base == TDB_GAZ_NONE && scratch->scope != TDB_GAZ_NONE &&
        g->units[scratch->scope].level >= TDB_LEVEL_COUNTY)
        base = scratch->scope;
    if (base != TDB_GAZ_NONE && g->units[base].level >= TDB_LEVEL_COUNTY &&
        g->units[base].level < TDB_LEVEL_VILLAGE)
        find_villages(scratch, pos, base, list);
}

/* Count the levels between CUR and UNIT that a reader would expect to see written.
 * Placeholder cities (市辖区) and a county named like its city (东莞市) do not count. */
static int skipped_levels(const tdb_gazetteer *g, uint32_t cur, uint32_t unit)
{
    int skipped = 0;
    for (uint32_t i = g->units[unit].parent; i != TDB_GAZ_NONE && i != cur; i = g->units[i].parent) {
        const tdb_gaz_unit *between = &g->units[i];
        if (between->flags & TDB_GAZ_PLACEHOLDER) continue;
        uint32_t parent = between->parent;
        if (parent != TDB_GAZ_NONE && g->units[parent].name_length == between->name_length &&
            memcmp(g->pool + g->units[parent].name, g->pool + between->name,
                   between->name_length) == 0)
            continue;
        skipped++;
    }
    return skipped;
}

static double candidate_score(const tdb_address_scratch *scratch, size_t pos, uint32_t cur,
                              const admin_candidate *candidate)
{
    const tdb_gazetteer *g = scratch->g;
    double score = (double)(candidate->end - pos) + SCORE_SEGMENT;

    if (candidate->kind == TDB_GAZ_KEY_ALIAS || candidate->kind == TDB_GAZ_KEY_FORMER_ALIAS)
        score += SCORE_ALIAS;
    if (candidate->kind == TDB_GAZ_KEY_FORMER || candidate->kind == TDB_GAZ_KEY_FORMER_ALIAS)
        score += SCORE_FORMER;
    else if (candidate->renamed)
        score += SCORE_RENAMED;
    if (candidate->repeat) return score * SCORE_REPEAT_FACTOR;
    if (!in_scope(scratch, candidate->unit)) score += SCORE_OUT_OF_SCOPE;
    if (cur == TDB_GAZ_NONE)
        score += SCORE_LEVEL * g->units[candidate->unit].level;
    else
        score += SCORE_SKIPPED * skipped_levels(g, cur, candidate->unit);
    return score;
}

static size_t skip_separators(const tdb_address_scratch *scratch, size_t pos)
{
    while (pos < scratch->count && is_separator(scratch->chars[pos])) pos++;
    return pos;
}

static void search(tdb_address_scratch *scratch, size_t pos, uint32_t cur, size_t depth,
                   double score)
{
    candidate_list list;

    if (++scratch->search_steps > ADMIN_SEARCH_STEPS_MAX) return;
    if (score > scratch->best_score) {
        scratch->best_score = score;
        scratch->segment_count = depth;
        memcpy(scratch->segments, scratch->trial, depth * sizeof scratch->trial[0]);
        scratch->admin_end = pos;
        scratch->deepest = cur;
    }
    if (depth == TDB_ARRAY_LEN(scratch->trial)) return;

    size_t start = skip_separators(scratch, pos);
    if (start >= scratch->count) return;
    find_candidates(scratch, start, cur, &list);
    for (size_t i = 0; i < list.count; i++) {
        const admin_candidate *candidate = &list.items[i];
        double delta = candidate_score(scratch, start, cur, candidate);
        if (delta <= 0) continue;
        addr_segment *segment = &scratch->trial[depth];
        segment->unit = candidate->unit;
        segment->start = (uint16_t)start;
        segment->end = candidate->end;
        bool alias = candidate->kind == TDB_GAZ_KEY_ALIAS ||
                     candidate->kind == TDB_GAZ_KEY_FORMER_ALIAS;
        segment->flags = (alias ? TDB_ADDR_ALIAS_USED : 0) |
                         (candidate->renamed ? TDB_ADDR_RENAMED : 0) |
                         (candidate->scope_used ? TDB_ADDR_SCOPE_USED : 0);
        if (candidate->repeat) segment->unit = TDB_GAZ_NONE;
        search(scratch, candidate->end, candidate->repeat ? cur : candidate->unit, depth + 1,
               score + delta);
    }
}

void tdb_addr_resolve(tdb_address_scratch *scratch)
{
    scratch->segment_count = 0;
    scratch->admin_end = 0;
    scratch->deepest = TDB_GAZ_NONE;
    scratch->best_score = 0;
    scratch->search_steps = 0;
    if (scratch->g == NULL || !scratch->g->indexed || scratch->count == 0) return;
    search(scratch, 0, TDB_GAZ_NONE, 0, 0.0);
    for (size_t i = 0; i < scratch->segment_count; i++) scratch->flags |= scratch->segments[i].flags;
}

/* ---- Entry point ---------------------------------------------------------------- */

tdb_status tdb_address_scratch_new(tdb_address_scratch **out)
{
    *out = tdb_calloc(1, sizeof **out);
    return *out ? TDB_OK : TDB_ERR_NOMEM;
}

void tdb_address_scratch_free(tdb_address_scratch *scratch)
{
    if (scratch == NULL) return;
    tdb_buf_free(&scratch->folded);
    tdb_buf_free(&scratch->key_input);
    tdb_free(scratch);
}

/* Resolve the scope hint SCOPE (digits) to a unit index, or TDB_GAZ_NONE. */
static uint32_t find_scope(const tdb_gazetteer *g, const char *scope)
{
    if (g == NULL || !g->indexed || scope == NULL) return TDB_GAZ_NONE;
    size_t digits = strlen(scope);
    static const tdb_addr_level levels[] = {
        TDB_LEVEL_VILLAGE, TDB_LEVEL_TOWN, TDB_LEVEL_COUNTY, TDB_LEVEL_CITY, TDB_LEVEL_PROVINCE,
    };
    uint64_t code = 0;
    for (size_t i = 0; i < 12; i++) {
        int digit = i < digits ? scope[i] - '0' : 0;
        if (digit < 0 || digit > 9) return TDB_GAZ_NONE;
        code = code * 10 + (uint64_t)digit;
    }
    for (size_t i = 0; i < TDB_ARRAY_LEN(levels); i++) {
        if ((size_t)tdb_gaz_level_digits(levels[i]) < digits) break;
        uint32_t unit = tdb_gaz_find_code(g, code, levels[i]);
        if (unit != TDB_GAZ_NONE) return unit;
    }
    return TDB_GAZ_NONE;
}

/* Fold TEXT and split it into characters, keeping at most TDB_ADDRESS_INPUT_MAX bytes. */
static tdb_status load_text(tdb_address_scratch *scratch, const char *text, size_t length)
{
    tdb_status status = TDB_OK;

    tdb_buf_clear(&scratch->folded);
    TDB_FORWARD(tdb_text_fold(text, length, &scratch->folded));
    size_t pos = 0;
    scratch->count = 0;
    while (pos < scratch->folded.len && scratch->count < ADDR_CHARS_MAX) {
        size_t start = pos;
        int32_t cp = tdb_utf8_next(scratch->folded.data, scratch->folded.len, &pos);
        if (pos > TDB_ADDRESS_INPUT_MAX) {
            pos = start;
            scratch->flags |= TDB_ADDR_TRUNCATED;
            break;
        }
        scratch->offsets[scratch->count] = (uint16_t)start;
        scratch->chars[scratch->count++] = cp;
    }
    if (pos < scratch->folded.len) scratch->flags |= TDB_ADDR_TRUNCATED;
    scratch->offsets[scratch->count] = (uint16_t)pos;
    scratch->folded.len = pos;
    scratch->folded.data[pos] = '\0';

cleanup:
    return status;
}

tdb_status tdb_address_parse(const tdb_gazetteer *g, tdb_address_scratch *scratch,
                             const char *scope, const char *text, size_t length,
                             tdb_address *out)
{
    tdb_status status = TDB_OK;

    scratch->flags = 0;
    scratch->span_count = 0;
    scratch->values_length = 0;
    scratch->g = g;
    scratch->scope = find_scope(g, scope);
    TDB_FORWARD(load_text(scratch, text, length));
    tdb_addr_resolve(scratch);
    tdb_addr_lex(scratch);
    TDB_FORWARD(tdb_addr_build_output(scratch, out));

cleanup:
    return status;
}

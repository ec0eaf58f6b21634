/* Address parsing entry point and division resolution.
 *
 * The administrative part at the start of an address is resolved by a depth-first
 * search over whole segmentations. At each position, every gazetteer name that matches
 * there is tried: a full name, an alias without its suffix, or a village of the
 * division already read. Each complete path gets a score. Characters covered count
 * for a path, and aliases, skipped levels, names outside the scope hint and changed
 * suffixes count against it. A candidate must lie inside the division already read, so
 * a division name inside a road or estate name (陕西南路 after 上海市) never overrides
 * the hierarchy. */
#include "addr_parse.h"

#include <string.h>

#include "text_utf8.h"
#include "themedb/text.h"

#define ADMIN_NAME_CHARS_MAX 24 /* maximum gazetteer key length searched, in characters */
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

#define char_in tdb_addr_char_in

static bool chars_equal(const tdb_address_scratch *scratch, size_t pos, const char32_t *word)
{
    return tdb_addr_word_at(scratch, pos, word) > 0;
}

static bool is_separator(int32_t cp)
{
    if (cp >= 0x4E00 && cp <= 0x9FFF) return false; /* no separator is an ideograph */
    return char_in(cp, U",.;:/_-|·、，。；：\"'“”‘’");
}

/* Words that end a road, estate or institution name: a division alias followed by one
 * of them is part of that name (重庆路, 龙泉苑, 中山街). */
static bool starts_detail_word(const tdb_address_scratch *scratch, size_t pos)
{
    static const char32_t *const words[] = {
        U"大道", U"大街", U"大厦", U"小区", U"花园", U"广场", U"公寓", U"新村", U"中学", U"小学",
        U"大学", U"学院", U"医院", U"公司", U"家园", U"山庄", U"商城", U"市场", U"宾馆", U"酒店",
        U"开发", U"工业", U"园区", U"高新", U"新城", U"经济开发", U"经济技术",
    };
    if (pos >= scratch->count) return false;
    if (char_in(scratch->chars[pos], U"路街道巷弄胡苑园庭府阁楼院坊湾桥港门宫寺庙塔店厂"))
        return true;
    /* the first characters of WORDS, checked first */
    if (char_in(scratch->chars[pos], U"大小花广公新中学医家山商市宾酒开工园高经")) {
        for (size_t i = 0; i < TDB_ARRAY_LEN(words); i++) {
            if (chars_equal(scratch, pos, words[i])) return true;
        }
    }
    /* 陕西南路, 四川北路: a direction, then a road word */
    if (char_in(scratch->chars[pos], U"东南西北中") && pos + 1 < scratch->count &&
        char_in(scratch->chars[pos + 1], U"路街道巷大"))
        return true;
    /* 江东塘路: one more character and a road suffix, because a road name is rarely a
     * single character */
    return pos + 1 < scratch->count && scratch->chars[pos] >= 0x4E00 &&
           scratch->chars[pos] <= 0x9FFF && char_in(scratch->chars[pos + 1], U"路巷") &&
           !char_in(scratch->chars[pos], U"省市区县镇乡村旗");
}

/* Return the number of characters of a suffix of LEVEL at POS (another suffix than
 * the unit's own, read as a renamed unit: 增城县 for 增城区), or 0. */
static size_t suffix_at(const tdb_address_scratch *scratch, size_t pos, tdb_addr_level level)
{
    if (pos >= scratch->count) return 0;
    int32_t cp = scratch->chars[pos];
    switch (level) {
    case TDB_LEVEL_PROVINCE: return char_in(cp, U"省市") ? 1 : 0;
    case TDB_LEVEL_CITY:
        if (chars_equal(scratch, pos, U"地区")) return 2;
        return char_in(cp, U"市州盟") ? 1 : 0;
    case TDB_LEVEL_COUNTY: return char_in(cp, U"市区县旗") ? 1 : 0;
    case TDB_LEVEL_TOWN:
        if (chars_equal(scratch, pos, U"街道")) return 2;
        return char_in(cp, U"镇乡") ? 1 : 0;
    case TDB_LEVEL_VILLAGE:
    case TDB_LEVEL_NONE: return 0;
    }
    return 0;
}


static bool in_scope(const tdb_address_scratch *scratch, uint32_t unit)
{
    if (scratch->scope == TDB_GAZ_NONE) return true;
    return tdb_gaz_contains(scratch->g, scratch->scope, unit) ||
           tdb_gaz_contains(scratch->g, unit, scratch->scope);
}

/* Return true when a town suffix follows within three characters of POS, so that a
 * town alias there is only the start of a longer name (四季 in 四季青街道). */
static bool town_suffix_follows(const tdb_address_scratch *scratch, size_t pos)
{
    for (size_t k = 1; k <= 3; k++) {
        if (suffix_at(scratch, pos + k, TDB_LEVEL_TOWN) > 0) return true;
    }
    return false;
}

/* Return true when a village alias may end at POS: at the end, before a separator or
 * before a number. Inside other words, a village name without 村 or 社区 is too often
 * the start of an estate or POI name. */
static bool village_alias_ends(const tdb_address_scratch *scratch, size_t pos)
{
    if (pos >= scratch->count) return true;
    int32_t cp = scratch->chars[pos];
    return is_separator(cp) || (cp >= '0' && cp <= '9');
}

/* Return false when an alias candidate is contradicted by what follows it. */
static bool alias_acceptable(const tdb_address_scratch *scratch, bool at_start,
                             tdb_addr_level level, size_t end)
{
    if (starts_detail_word(scratch, end)) return false;
    if (level == TDB_LEVEL_TOWN) {
        /* A town alias alone is too common a word without a scope hint. */
        if (at_start && scratch->scope == TDB_GAZ_NONE) return false;
        if (town_suffix_follows(scratch, end)) return false;
    }
    if (level == TDB_LEVEL_VILLAGE && !village_alias_ends(scratch, end)) return false;
    return true;
}

/* Add CANDIDATE after the alias checks. AT_START is true when no division was read
 * before it. */
static void add_candidate(const tdb_address_scratch *scratch, candidate_list *list,
                          admin_candidate candidate, bool at_start)
{
    const tdb_gaz_unit *unit = &scratch->g->units[candidate.unit];
    tdb_addr_level level = (tdb_addr_level)unit->level;

    if (candidate.kind == TDB_GAZ_KEY_FORMER || candidate.kind == TDB_GAZ_KEY_FORMER_ALIAS)
        candidate.renamed = true;
    if (candidate.kind == TDB_GAZ_KEY_ALIAS || candidate.kind == TDB_GAZ_KEY_FORMER_ALIAS) {
        size_t suffix = suffix_at(scratch, candidate.end, level);
        /* 富阳市场口镇: a suffix of the unit's level wins over 市场 */
        if (suffix == 0 && !alias_acceptable(scratch, at_start, level, candidate.end)) return;
        if (suffix > 0 && at_start && level == TDB_LEVEL_TOWN && scratch->scope == TDB_GAZ_NONE)
            return;
        if (suffix > 0) {
            candidate.renamed = true;
            candidate.end = (uint16_t)(candidate.end + suffix);
        } else if (candidate.end < scratch->count &&
                   char_in(scratch->chars[candidate.end], U"省市区县镇乡村旗")) {
            return; /* a suffix of another level contradicts the alias */
        }
    }
    if (list->count < ADMIN_CANDIDATES_MAX) list->items[list->count++] = candidate;
}


/* Add the units of a key slot at the start of the text. A name shared by several
 * units of one level is kept only for those inside the scope. */
static void add_start_units(const tdb_address_scratch *scratch, const tdb_gaz_slot *slot,
                            size_t end, candidate_list *list)
{
    const tdb_gazetteer *g = scratch->g;

    for (uint32_t i = 0; i < slot->count; i++) {
        const tdb_gaz_entry *entry = &g->entries[slot->first + i];
        admin_candidate candidate = {entry->unit, (uint16_t)end, entry->kind, false, false, false};
        if (slot->flags & (TDB_GAZ_SLOT_SHARED << entry->level)) {
            if (scratch->scope == TDB_GAZ_NONE || !in_scope(scratch, entry->unit)) continue;
            candidate.scope_used = true;
        }
        add_candidate(scratch, list, candidate, true);
    }
}

/* Return the first entry of SLOT whose unit is at least UNIT (entries of a slot are
 * sorted by unit). */
static uint32_t slot_lower_bound(const tdb_gazetteer *g, const tdb_gaz_slot *slot, uint32_t unit)
{
    uint32_t low = slot->first;
    uint32_t high = slot->first + slot->count;
    while (low < high) {
        uint32_t middle = low + (high - low) / 2;
        if (g->entries[middle].unit < unit)
            low = middle + 1;
        else
            high = middle;
    }
    return low;
}

/* Return the position after the separators at POS, and after a NULL that a database
 * export left in place of an empty field (河源市NULL广东省河源市龙川县). */
static size_t skip_separators(const tdb_address_scratch *scratch, size_t pos)
{
    for (;;) {
        while (pos < scratch->count && is_separator(scratch->chars[pos])) pos++;
        if (!tdb_addr_word_at(scratch, pos, U"NULL")) return pos;
        pos += 4;
    }
}

static const addr_key_hits *key_hits_at(tdb_address_scratch *scratch, size_t pos);

/* Return true when a name or alias of CUR, of one of its ancestors or of one of its
 * descendants starts at POS, after separators. */
static bool division_follows(tdb_address_scratch *scratch, size_t pos, uint32_t cur)
{
    const tdb_gazetteer *g = scratch->g;
    pos = skip_separators(scratch, pos);
    if (pos >= scratch->count) return false;
    const addr_key_hits *hits = key_hits_at(scratch, pos);
    for (size_t h = 0; h < hits->count; h++) {
        const tdb_gaz_slot *slot = hits->slots[h];
        for (uint32_t i = slot->first; i < slot->first + slot->count; i++) {
            uint32_t unit = g->entries[i].unit;
            uint8_t kind = g->entries[i].kind;
            if (kind != TDB_GAZ_KEY_FULL && kind != TDB_GAZ_KEY_ALIAS) continue;
            if (tdb_gaz_contains(g, unit, cur) || tdb_gaz_contains(g, cur, unit)) return true;
        }
    }
    return false;
}

/* Add the units of one key slot that may follow CUR: its descendants, found by binary
 * search because they form one range of unit indexes, and CUR or its ancestors as a
 * repeated name (广东省广东省). */
static void add_slot_units(tdb_address_scratch *scratch, const tdb_gaz_slot *slot,
                           size_t end, uint32_t cur, candidate_list *list)
{
    const tdb_gazetteer *g = scratch->g;
    uint32_t slot_end = slot->first + slot->count;

    if (cur == TDB_GAZ_NONE) {
        add_start_units(scratch, slot, end, list);
        return;
    }
    for (uint32_t a = cur; a != TDB_GAZ_NONE; a = g->units[a].parent) {
        uint32_t i = slot_lower_bound(g, slot, a);
        for (; i < slot_end && g->entries[i].unit == a; i++) {
            /* A full or former name repeats (广东省广东省). An alias repeats only
             * before another division name (河源市龙川县河源龙川老隆镇), because 浙江
             * in 城关镇浙江华达贸易有限公司 starts a company or estate name. */
            uint8_t kind = g->entries[i].kind;
            if (kind != TDB_GAZ_KEY_FULL && kind != TDB_GAZ_KEY_FORMER &&
                !(kind == TDB_GAZ_KEY_ALIAS && division_follows(scratch, end, cur)))
                continue;
            admin_candidate candidate = {a, (uint16_t)end, (uint8_t)g->entries[i].kind,
                                         false, true, false};
            add_candidate(scratch, list, candidate, false);
        }
    }
    for (uint32_t i = slot_lower_bound(g, slot, cur + 1);
         i < slot_end && g->entries[i].unit < g->units[cur].end; i++) {
        admin_candidate candidate = {g->entries[i].unit, (uint16_t)end,
                                     (uint8_t)g->entries[i].kind, false, false, false};
        add_candidate(scratch, list, candidate, false);
    }
}

/* Look up the keys that start at POS once, because the search reaches one position
 * through several paths. The hits are kept in scratch->key_hits[POS]. */
static const addr_key_hits *key_hits_at(tdb_address_scratch *scratch, size_t pos)
{
    addr_key_hits *hits = &scratch->key_hits[pos];
    if (hits->generation == scratch->generation) return hits;
    hits->generation = scratch->generation;
    hits->count = 0;

    uint64_t hash = TDB_GAZ_HASH_SEED;
    size_t limit = scratch->count < pos + ADMIN_NAME_CHARS_MAX ? scratch->count
                                                                : pos + ADMIN_NAME_CHARS_MAX;
    for (size_t end = pos; end < limit; end++) {
        size_t offset = scratch->offsets[end];
        hash = tdb_gaz_hash_extend(hash, scratch->folded.data + offset,
                                   scratch->offsets[end + 1] - offset);
        const tdb_gaz_slot *slot = tdb_gaz_find(scratch->g, hash);
        if (slot == NULL) break;
        if ((slot->flags & TDB_GAZ_SLOT_KEY) && hits->count < ADDR_KEY_HITS_MAX) {
            hits->slots[hits->count] = slot;
            hits->ends[hits->count++] = (uint16_t)(end + 1);
        }
        if (!(slot->flags & TDB_GAZ_SLOT_PREFIX)) break;
    }
    return hits;
}

/* Add the names from the global index that start at POS. */
static void find_indexed(tdb_address_scratch *scratch, size_t pos, uint32_t cur,
                         candidate_list *list)
{
    const addr_key_hits *hits = key_hits_at(scratch, pos);
    for (size_t i = 0; i < hits->count; i++)
        add_slot_units(scratch, hits->slots[i], hits->ends[i], cur, list);
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
    static const char32_t *const words[] = {
        U"社区居民委员会", U"村民委员会", U"居民委员会", U"村委会", U"居委会", U"委员会",
    };
    for (size_t i = 0; i < TDB_ARRAY_LEN(words); i++) {
        size_t length = tdb_addr_word_at(scratch, pos, words[i]);
        if (length) return pos + length;
    }
    /* 联城村 + 委会: the 村 of 村委会 was read as the end of the village name */
    if (pos > 0 && scratch->chars[pos - 1] == 0x6751 /* 村 */) {
        size_t length = tdb_addr_word_at(scratch, pos, U"民委员会");
        if (length == 0) length = tdb_addr_word_at(scratch, pos, U"委会");
        return pos + length;
    }
    return pos;
}

/* Add village UNIT when one of its names starts at POS. */
static void try_village(const tdb_address_scratch *scratch, size_t pos, uint32_t index,
                        candidate_list *list)
{
    const tdb_gazetteer *g = scratch->g;
    const tdb_gaz_unit *unit = &g->units[index];
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
        admin_candidate candidate = {index, (uint16_t)end, names[k].kind, false, false, false};
        add_candidate(scratch, list, candidate, false);
        return; /* one candidate, the longest matching form, is enough */
    }
}

/* Add the villages under BASE (a town or county) whose name starts at POS. The
 * standard and original names share the first character, because they differ only
 * in the suffix, so the first character selects the villages to try. */
static void find_villages(const tdb_address_scratch *scratch, size_t pos, uint32_t base,
                          candidate_list *list)
{
    const tdb_gazetteer *g = scratch->g;
    const int32_t first = scratch->chars[pos];

    if (g->units[base].level == TDB_LEVEL_COUNTY) {
        for (size_t i = tdb_gaz_find_villages(g, base, first);
             i < g->village_count && g->villages[i].county == base &&
             g->villages[i].first_char == first;
             i++)
            try_village(scratch, pos, g->villages[i].unit, list);
        return;
    }
    for (uint32_t i = base + 1; i < g->units[base].end; i++) {
        const tdb_gaz_unit *unit = &g->units[i];
        if (unit->first_char == first && unit->level == TDB_LEVEL_VILLAGE)
            try_village(scratch, pos, i, list);
    }
}

static void find_candidates(tdb_address_scratch *scratch, size_t pos, uint32_t cur,
                            candidate_list *list)
{
    const tdb_gazetteer *g = scratch->g;
    list->count = 0;
    find_indexed(scratch, pos, cur, list);

    uint32_t base = cur;
    if (base == TDB_GAZ_NONE && scratch->scope != TDB_GAZ_NONE &&
        g->units[scratch->scope].level >= TDB_LEVEL_COUNTY)
        base = scratch->scope;
    if (base == TDB_GAZ_NONE || g->units[base].level < TDB_LEVEL_COUNTY ||
        g->units[base].level == TDB_LEVEL_VILLAGE)
        return;
    /* Scanning a whole county for villages is the costly case, and a town read here
     * makes it unnecessary, because its villages are tried on the next step. */
    if (g->units[base].level == TDB_LEVEL_COUNTY) {
        for (size_t i = 0; i < list->count; i++) {
            if (g->units[list->items[i].unit].level == TDB_LEVEL_TOWN) return;
        }
    }
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


/* Record that the search reached (POS, CUR) with SCORE. Returns false when it reached
 * that state before with a score at least as high: what follows depends only on the
 * state, so this path cannot do better. When the table is full nothing is pruned.
 * NOTE: the depth limit also shapes what follows, but only addresses with more than
 * TDB_LEVEL_VILLAGE + 2 division names reach it. */
static bool visit_state(tdb_address_scratch *scratch, size_t pos, uint32_t cur, double score)
{
    uint32_t key = (uint32_t)pos * 2654435761u ^ cur * 40503u;
    for (size_t probe = 0; probe < ADDR_VISITS_MAX; probe++) {
        addr_visit *visit = &scratch->visits[(key + probe) % ADDR_VISITS_MAX];
        if (visit->generation != scratch->generation) {
            visit->generation = scratch->generation;
            visit->pos = (uint16_t)pos;
            visit->cur = cur;
            visit->score = score;
            return true;
        }
        if (visit->pos == pos && visit->cur == cur) {
            if (visit->score >= score) return false;
            visit->score = score;
            return true;
        }
    }
    return true;
}

/* The division a candidate leaves the search in: a repeated name stays at CUR. */
static uint32_t next_division(const admin_candidate *candidate, uint32_t cur)
{
    return candidate->repeat ? cur : candidate->unit;
}

/* Return true when another candidate of LIST reaches the same state (end, division) as
 * candidate I with a higher score, or with the same score before it. What follows
 * depends only on the state, so candidate I cannot start the best path. An alias read
 * with its suffix (广东 + 省) and the full name (广东省) are such a pair. */
static bool outranked(const candidate_list *list, const double *deltas, size_t i, uint32_t cur)
{
    const admin_candidate *candidate = &list->items[i];
    uint32_t division = next_division(candidate, cur);
    for (size_t j = 0; j < list->count; j++) {
        const admin_candidate *other = &list->items[j];
        if (j == i || other->end != candidate->end || next_division(other, cur) != division)
            continue;
        if (deltas[j] > deltas[i] || (deltas[j] == deltas[i] && j < i)) return true;
    }
    return false;
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
    if (!visit_state(scratch, pos, cur, score)) return;

    size_t start = skip_separators(scratch, pos);
    if (start >= scratch->count) return;
    find_candidates(scratch, start, cur, &list);
    double deltas[ADMIN_CANDIDATES_MAX];
    for (size_t i = 0; i < list.count; i++)
        deltas[i] = candidate_score(scratch, start, cur, &list.items[i]);
    for (size_t i = 0; i < list.count; i++) {
        const admin_candidate *candidate = &list.items[i];
        double delta = deltas[i];
        if (delta <= 0 || outranked(&list, deltas, i, cur)) continue;
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
        search(scratch, candidate->end, next_division(candidate, cur), depth + 1, score + delta);
    }
}

void tdb_addr_resolve(tdb_address_scratch *scratch)
{
    scratch->segment_count = 0;
    scratch->admin_end = 0;
    scratch->deepest = TDB_GAZ_NONE;
    scratch->best_score = 0;
    scratch->search_steps = 0;
    /* A new generation empties the visit table and the key hits. */
    if (++scratch->generation == 0) {
        memset(scratch->visits, 0, sizeof scratch->visits);
        memset(scratch->key_hits, 0, sizeof scratch->key_hits);
        scratch->generation = 1;
    }
    if (scratch->g == NULL || !scratch->g->indexed || scratch->count == 0) return;
    /* A leading country name (中国浙江省) is skipped. */
    size_t start = tdb_addr_word_at(scratch, 0, U"中国") ? 2 : 0;
    scratch->admin_end = start;
    search(scratch, start, TDB_GAZ_NONE, 0, 0.0);
    for (size_t i = 0; i < scratch->segment_count; i++) scratch->flags |= scratch->segments[i].flags;
}

/* ---- Entry point ---------------------------------------------------------------- */

tdb_status tdb_address_scratch_new(tdb_address_scratch **out)
{
    *out = tdb_calloc(1, sizeof **out);
    if (*out == NULL) return TDB_ERR_NOMEM;
    tdb_addr_lex_init(*out);
    return TDB_OK;
}

void tdb_address_scratch_free(tdb_address_scratch *scratch)
{
    if (scratch == NULL) return;
    tdb_buf_free(&scratch->folded);
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

/* Resolve SCOPE as find_scope does, reusing the last result when SCOPE and G are the
 * same as in the last call. */
static uint32_t find_scope_cached(tdb_address_scratch *scratch, const tdb_gazetteer *g,
                                  const char *scope)
{
    if (g == NULL || !g->indexed || scope == NULL) return find_scope(g, scope);
    size_t length = strlen(scope);
    if (length >= sizeof scratch->scope_cache.text) return find_scope(g, scope);
    if (scratch->scope_cache.g == g && scratch->scope_cache.units == g->units &&
        scratch->scope_cache.count == g->count && strcmp(scratch->scope_cache.text, scope) == 0)
        return scratch->scope_cache.unit;
    uint32_t unit = find_scope(g, scope);
    scratch->scope_cache.g = g;
    scratch->scope_cache.units = g->units;
    scratch->scope_cache.count = g->count;
    memcpy(scratch->scope_cache.text, scope, length + 1);
    scratch->scope_cache.unit = unit;
    return unit;
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
        int32_t cp = tdb_utf8_next_fast(scratch->folded.data, scratch->folded.len, &pos);
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
    scratch->scope = find_scope_cached(scratch, g, scope);
    TDB_FORWARD(load_text(scratch, text, length));
    tdb_addr_resolve(scratch);
    tdb_addr_lex(scratch);
    tdb_addr_build_output(scratch, out);

cleanup:
    return status;
}

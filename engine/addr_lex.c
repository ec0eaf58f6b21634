/* Lexer for the part of an address after the divisions: village, group, development
 * zone, road, road number, estate, building, unit, floor and room.
 *
 * It reads left to right. A token that starts with a number (Arabic, Chinese or a
 * letter such as A座) is classified by the marker after it (栋, 单元, 层, 室, 号 …) and
 * by what was read before (the first 号 after a road is the road number, a later one a
 * building). Any other token runs to the nearest road, town, village or zone suffix, or
 * else to the next number, and a token with no such suffix is an estate or POI name. */
#include "addr_parse.h"

#include <stdio.h>
#include <string.h>

#define NUMBER_TEXT_MAX 32
#define WORD_CHARS_MAX 24 /* a longer run without a suffix is cut into several tokens */

typedef struct lexer {
    tdb_address_scratch *scratch;
    size_t pos;
    bool seen[TDB_ADDR_COMPONENT_COUNT];
    bool detail_started; /* a road, estate or number was read */
} lexer;

typedef struct number {
    size_t end;
    char text[NUMBER_TEXT_MAX];
    size_t length;
    bool chinese;
} number;

/* Markers after a number, longest first. */
typedef enum marker_kind {
    MARKER_NONE,
    MARKER_GROUP,
    MARKER_BUILDING,
    MARKER_UNIT,
    MARKER_FLOOR,
    MARKER_ROOM,
    MARKER_HAO,  /* 号: road number, building or room by context */
    MARKER_LANE, /* 弄: a road number in Shanghai-style addresses */
    MARKER_PHASE /* 期, 区: part of an estate name */
} marker_kind;

static const struct {
    const char *text;
    marker_kind kind;
} markers[] = {
    {"村民小组", MARKER_GROUP}, {"号楼", MARKER_BUILDING}, {"号房", MARKER_ROOM},
    {"单元", MARKER_UNIT},      {"栋", MARKER_BUILDING},   {"幢", MARKER_BUILDING},
    {"座", MARKER_BUILDING},    {"号", MARKER_HAO},        {"层", MARKER_FLOOR},
    {"楼", MARKER_FLOOR},       {"室", MARKER_ROOM},       {"房", MARKER_ROOM},
    {"户", MARKER_ROOM},        {"组", MARKER_GROUP},      {"队", MARKER_GROUP},
    {"弄", MARKER_LANE},        {"期", MARKER_PHASE},      {"区", MARKER_PHASE},
};

/* Suffixes that end a token, with the component they make. Longer ones come first so
 * that 街道 is a town before 街 is a road. */
typedef struct suffix_rule {
    const char *text;
    tdb_addr_component component;
} suffix_rule;

static const suffix_rule strong_suffixes[] = {
    {"高新技术产业开发区", TDB_ADDR_DEVZONE}, {"经济技术开发区", TDB_ADDR_DEVZONE},
    {"工业园区", TDB_ADDR_DEVZONE},   {"开发区", TDB_ADDR_DEVZONE},
    {"工业区", TDB_ADDR_DEVZONE},     {"高新区", TDB_ADDR_DEVZONE},
    {"工业园", TDB_ADDR_DEVZONE},     {"产业园", TDB_ADDR_DEVZONE},
    {"园区", TDB_ADDR_DEVZONE},       {"经济区", TDB_ADDR_DEVZONE},
    {"街道办事处", TDB_ADDR_TOWN},    {"街道", TDB_ADDR_TOWN},
    {"镇", TDB_ADDR_TOWN},            {"乡", TDB_ADDR_TOWN},
    {"社区居民委员会", TDB_ADDR_VILLAGE}, {"村民委员会", TDB_ADDR_VILLAGE},
    {"社区", TDB_ADDR_VILLAGE},       {"村委会", TDB_ADDR_VILLAGE},
    {"居委会", TDB_ADDR_VILLAGE},     {"村", TDB_ADDR_VILLAGE},
    {"大道", TDB_ADDR_ROAD},          {"大街", TDB_ADDR_ROAD},
    {"公路", TDB_ADDR_ROAD},          {"胡同", TDB_ADDR_ROAD},
    {"路", TDB_ADDR_ROAD},            {"街", TDB_ADDR_ROAD},
    {"巷", TDB_ADDR_ROAD},            {"道", TDB_ADDR_ROAD},
    {"省", TDB_ADDR_PROVINCE},        {"市", TDB_ADDR_CITY},
    {"县", TDB_ADDR_COUNTY},          {"区", TDB_ADDR_COUNTY},
    {"旗", TDB_ADDR_COUNTY},
};

/* Words before which a number is noise (附近, not 附1) and trailing directions. */
static const char *const noise_words[] = {
    "斜对面", "对面", "旁边", "附近", "隔壁", "对过", "边上", "楼下",
};

static bool char_in(int32_t cp, const char *set)
{
    size_t pos = 0;
    size_t length = strlen(set);
    while (pos < length) {
        if (tdb_utf8_next(set, length, &pos) == cp) return true;
    }
    return false;
}

static int32_t char_at(const lexer *lex, size_t pos)
{
    return pos < lex->scratch->count ? lex->scratch->chars[pos] : -1;
}

/* Return the length in characters of WORD when it is at POS, else 0. */
static size_t word_at(const lexer *lex, size_t pos, const char *word)
{
    size_t offset = 0;
    size_t length = strlen(word);
    size_t count = 0;
    while (offset < length) {
        if (char_at(lex, pos + count) != tdb_utf8_next(word, length, &offset)) return 0;
        count++;
    }
    return count;
}

static bool is_digit(int32_t cp) { return cp >= '0' && cp <= '9'; }
static bool is_letter(int32_t cp) { return cp >= 'A' && cp <= 'Z'; }
static bool is_chinese_digit(int32_t cp) { return char_in(cp, "零〇一二三四五六七八九两"); }
static bool is_chinese_numeral(int32_t cp) { return is_chinese_digit(cp) || char_in(cp, "十百千"); }
static bool is_separator(int32_t cp) { return char_in(cp, ",.;:/_|·、，。；：#＃ \"'“”‘’"); }
static bool is_open_bracket(int32_t cp) { return char_in(cp, "([{<【〔《「『"); }
static bool is_close_bracket(int32_t cp) { return char_in(cp, ")]}>】〕》」』"); }

static int chinese_digit_value(int32_t cp)
{
    static const char *const digits[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
    if (cp == 0x3007) return 0; /* 〇 */
    if (cp == 0x4E24) return 2; /* 两 */
    for (int i = 0; i < 10; i++) {
        size_t pos = 0;
        if (tdb_utf8_next(digits[i], strlen(digits[i]), &pos) == cp) return i;
    }
    return -1;
}

/* Convert a Chinese numeral: positional (十二 → 12, 一百零五 → 105) when it has 十, 百
 * or 千, else digit by digit (三零一 → 301). */
static void convert_chinese(const int32_t *chars, size_t count, number *out)
{
    bool positional = false;
    for (size_t i = 0; i < count; i++) positional |= char_in(chars[i], "十百千");

    if (!positional) {
        for (size_t i = 0; i < count && out->length + 1 < NUMBER_TEXT_MAX; i++)
            out->text[out->length++] = (char)('0' + chinese_digit_value(chars[i]));
        out->text[out->length] = '\0';
        return;
    }
    long total = 0;
    long digit = 0;
    for (size_t i = 0; i < count; i++) {
        int value = chinese_digit_value(chars[i]);
        if (value >= 0) {
            digit = value;
            continue;
        }
        long unit = chars[i] == 0x5341 ? 10 : chars[i] == 0x767E ? 100 : 1000; /* 十 百 千 */
        total += (digit ? digit : 1) * unit;
        digit = 0;
    }
    total += digit;
    out->length = (size_t)snprintf(out->text, NUMBER_TEXT_MAX, "%ld", total);
}

/* Read a number at POS: Arabic digits with an optional letter before or after (A12,
 * 12B), a lone letter (A座), or a run of Chinese numerals. */
static bool read_number(const lexer *lex, size_t pos, number *out)
{
    size_t end = pos;
    out->length = 0;
    out->chinese = false;

    if (is_chinese_numeral(char_at(lex, pos))) {
        while (end < lex->scratch->count && is_chinese_numeral(char_at(lex, end)) &&
               end - pos < NUMBER_TEXT_MAX / 4)
            end++;
        convert_chinese(lex->scratch->chars + pos, end - pos, out);
        out->chinese = true;
        out->end = end;
        return true;
    }
    if (is_letter(char_at(lex, end))) end++;
    while (is_digit(char_at(lex, end)) && end - pos < NUMBER_TEXT_MAX - 2) end++;
    if (end > pos && is_digit(char_at(lex, end - 1)) && is_letter(char_at(lex, end)) &&
        !is_letter(char_at(lex, end + 1)))
        end++;
    if (end == pos) return false;
    /* Letters alone must be a single one (A座), not a word such as KTV. */
    if (end - pos > 1 && !is_digit(char_at(lex, pos)) && !is_digit(char_at(lex, pos + 1)))
        return false;
    for (size_t i = pos; i < end; i++) out->text[out->length++] = (char)char_at(lex, i);
    out->text[out->length] = '\0';
    out->end = end;
    return true;
}

static marker_kind marker_at(const lexer *lex, size_t pos, size_t *length)
{
    for (size_t i = 0; i < TDB_ARRAY_LEN(markers); i++) {
        size_t matched = word_at(lex, pos, markers[i].text);
        if (matched) {
            *length = matched;
            return markers[i].kind;
        }
    }
    *length = 0;
    return MARKER_NONE;
}

static void add_span(lexer *lex, tdb_addr_component component, size_t start, size_t end,
                     const char *value, size_t value_length)
{
    if (!tdb_addr_add_span(lex->scratch, component, start, end, value, value_length))
        lex->scratch->flags |= TDB_ADDR_UNPARSED;
    lex->seen[component] = true;
    if (component >= TDB_ADDR_GROUP) lex->detail_started = true;
}

/* Add a span whose value is its own text. */
static void add_text_span(lexer *lex, tdb_addr_component component, size_t start, size_t end)
{
    char value[TDB_ADDRESS_INPUT_MAX];
    size_t length = tdb_addr_copy_chars(lex->scratch, start, end, value, sizeof value);
    add_span(lex, component, start, end, value, length);
}

/* Add a number span with its unified marker (3栋, 2单元, 301室). */
static void add_number_span(lexer *lex, tdb_addr_component component, size_t start,
                            size_t end, const number *num, const char *marker)
{
    char value[NUMBER_TEXT_MAX + 16];
    int length = snprintf(value, sizeof value, "%s%s", num->text, marker);
    add_span(lex, component, start, end, value, (size_t)length);
}

/* ---- Number tokens -------------------------------------------------------------- */

/* Read `5-2-301` (building, unit, room) or `3-502` (building, room) at POS. */
static bool lex_dashed(lexer *lex, size_t pos, const number *first)
{
    number parts[4];
    size_t starts[4];
    size_t count = 1;
    parts[0] = *first;
    starts[0] = pos;
    size_t end = first->end;

    while (count < 4 && char_at(lex, end) == '-' && is_digit(char_at(lex, end + 1))) {
        starts[count] = end + 1;
        if (!read_number(lex, end + 1, &parts[count]) || parts[count].chinese) break;
        end = parts[count].end;
        count++;
    }
    if (count < 2) return false;

    size_t marker_length = 0;
    marker_kind marker = marker_at(lex, end, &marker_length);
    /* 12-3号 right after a road is one road number. */
    if (count == 2 && lex->seen[TDB_ADDR_ROAD] && !lex->seen[TDB_ADDR_ROAD_NO] &&
        (marker == MARKER_HAO || marker == MARKER_NONE) && !lex->seen[TDB_ADDR_ESTATE]) {
        char value[2 * NUMBER_TEXT_MAX + 8];
        int length = snprintf(value, sizeof value, "%s-%s号", parts[0].text, parts[1].text);
        add_span(lex, TDB_ADDR_ROAD_NO, pos, end + marker_length, value, (size_t)length);
        lex->pos = end + marker_length;
        return true;
    }
    static const tdb_addr_component layouts[3][4] = {
        {TDB_ADDR_BUILDING, TDB_ADDR_ROOM},
        {TDB_ADDR_BUILDING, TDB_ADDR_UNIT, TDB_ADDR_ROOM},
        {TDB_ADDR_BUILDING, TDB_ADDR_UNIT, TDB_ADDR_FLOOR, TDB_ADDR_ROOM},
    };
    static const char *const marker_text[] = {
        [TDB_ADDR_BUILDING] = "栋", [TDB_ADDR_UNIT] = "单元", [TDB_ADDR_FLOOR] = "层",
        [TDB_ADDR_ROOM] = "室",
    };
    for (size_t i = 0; i < count; i++) {
        tdb_addr_component component = layouts[count - 2][i];
        size_t part_end = i + 1 < count ? parts[i].end : end + marker_length;
        add_number_span(lex, component, starts[i], part_end, &parts[i], marker_text[component]);
    }
    lex->pos = end + marker_length;
    return true;
}

/* Classify 号 by what came before: road number, then building, then room. */
static tdb_addr_component hao_component(const lexer *lex)
{
    if (!lex->seen[TDB_ADDR_ROAD_NO] && !lex->seen[TDB_ADDR_BUILDING] &&
        (lex->seen[TDB_ADDR_ROAD] || !lex->seen[TDB_ADDR_ESTATE]))
        return TDB_ADDR_ROAD_NO;
    if (!lex->seen[TDB_ADDR_BUILDING]) return TDB_ADDR_BUILDING;
    return TDB_ADDR_ROOM;
}

/* Read a road number of the forms 12号, 12之3号, 12号附1. */
static void lex_road_number(lexer *lex, size_t start, const number *num, size_t marker_end)
{
    char value[3 * NUMBER_TEXT_MAX];
    size_t end = marker_end;
    int length = snprintf(value, sizeof value, "%s号", num->text);
    number extra;

    if (word_at(lex, end, "附") && read_number(lex, end + 1, &extra) && !extra.chinese) {
        length += snprintf(value + length, sizeof value - (size_t)length, "附%s", extra.text);
        end = extra.end;
    }
    add_span(lex, TDB_ADDR_ROAD_NO, start, end, value, (size_t)length);
    lex->pos = end;
}

/* A number with no marker: a room after a building, unit or floor, else a road
 * number after a road. Returns false when it is part of a name instead. */
static bool lex_bare_number(lexer *lex, size_t start, const number *num)
{
    int32_t next = char_at(lex, num->end);
    bool at_boundary = next < 0 || is_separator(next) || is_open_bracket(next);
    if (!at_boundary) return false;
    if (num->chinese && !(lex->seen[TDB_ADDR_BUILDING] || lex->seen[TDB_ADDR_UNIT] ||
                          lex->seen[TDB_ADDR_FLOOR]))
        return false;

    if (lex->seen[TDB_ADDR_BUILDING] || lex->seen[TDB_ADDR_UNIT] || lex->seen[TDB_ADDR_FLOOR] ||
        lex->seen[TDB_ADDR_ROAD_NO])
        add_number_span(lex, TDB_ADDR_ROOM, start, num->end, num, "室");
    else if (lex->seen[TDB_ADDR_ROAD])
        add_number_span(lex, TDB_ADDR_ROAD_NO, start, num->end, num, "号");
    else
        add_number_span(lex, TDB_ADDR_ROOM, start, num->end, num, "室");
    lex->pos = num->end;
    return true;
}

/* Read a token that starts with a number. Returns false when POS starts none. */
static bool lex_number(lexer *lex)
{
    size_t start = lex->pos;
    number num;
    size_t marker_length = 0;

    if (!read_number(lex, start, &num)) return false;
    if (!num.chinese && char_at(lex, num.end) == '-' && lex_dashed(lex, start, &num)) return true;

    /* 12之3号 */
    number second;
    if (!num.chinese && word_at(lex, num.end, "之") && read_number(lex, num.end + 1, &second) &&
        !second.chinese && word_at(lex, second.end, "号")) {
        char value[2 * NUMBER_TEXT_MAX + 8];
        int length = snprintf(value, sizeof value, "%s之%s号", num.text, second.text);
        add_span(lex, hao_component(lex), start, second.end + 1, value, (size_t)length);
        lex->pos = second.end + 1;
        return true;
    }

    marker_kind marker = marker_at(lex, num.end, &marker_length);
    size_t end = num.end + marker_length;
    switch (marker) {
    case MARKER_NONE: return lex_bare_number(lex, start, &num);
    case MARKER_GROUP: add_number_span(lex, TDB_ADDR_GROUP, start, end, &num, "组"); break;
    case MARKER_BUILDING: add_number_span(lex, TDB_ADDR_BUILDING, start, end, &num, "栋"); break;
    case MARKER_UNIT: add_number_span(lex, TDB_ADDR_UNIT, start, end, &num, "单元"); break;
    case MARKER_FLOOR: add_number_span(lex, TDB_ADDR_FLOOR, start, end, &num, "层"); break;
    case MARKER_ROOM: add_number_span(lex, TDB_ADDR_ROOM, start, end, &num, "室"); break;
    case MARKER_LANE:
        if (lex->seen[TDB_ADDR_ROAD_NO]) return false;
        add_number_span(lex, TDB_ADDR_ROAD_NO, start, end, &num, "弄");
        break;
    case MARKER_PHASE: return false; /* part of an estate name: 二期, A区 */
    case MARKER_HAO: {
        tdb_addr_component component = hao_component(lex);
        if (component == TDB_ADDR_ROAD_NO) {
            lex_road_number(lex, start, &num, end);
            return true;
        }
        add_number_span(lex, component, start, end, &num, component == TDB_ADDR_ROOM ? "室" : "栋");
        break;
    }
    }
    lex->pos = end;
    return true;
}

/* ---- Word tokens ---------------------------------------------------------------- */

/* Return true when COMPONENT may still be read by suffix at this point. */
static bool suffix_allowed(const lexer *lex, tdb_addr_component component)
{
    switch (component) {
    case TDB_ADDR_PROVINCE:
    case TDB_ADDR_CITY:
    case TDB_ADDR_COUNTY:
        return !lex->detail_started && !lex->seen[component] && !lex->seen[TDB_ADDR_TOWN] &&
               !lex->seen[TDB_ADDR_VILLAGE];
    case TDB_ADDR_TOWN: return !lex->detail_started && !lex->seen[TDB_ADDR_TOWN] && !lex->seen[TDB_ADDR_VILLAGE];
    case TDB_ADDR_VILLAGE:
        return !lex->seen[TDB_ADDR_VILLAGE] && !lex->seen[TDB_ADDR_ROAD] && !lex->seen[TDB_ADDR_ESTATE];
    default: return true;
    }
}

/* Find the end of the token at START: the nearest strong suffix before the next number
 * or separator. Returns the end and sets *COMPONENT, or ends at the boundary with
 * TDB_ADDR_ESTATE. */
static size_t find_word_end(const lexer *lex, size_t start, tdb_addr_component *component)
{
    size_t limit = start;
    size_t count = lex->scratch->count;

    /* A name may start with digits or a letter (327国道, 2期). */
    while (limit < count && (is_digit(char_at(lex, limit)) || is_letter(char_at(lex, limit))))
        limit++;
    while (limit < count && limit - start < WORD_CHARS_MAX) {
        int32_t cp = char_at(lex, limit);
        if (limit > start && (is_digit(cp) || is_separator(cp) || is_open_bracket(cp))) break;
        if (is_close_bracket(cp)) break;
        limit++;
    }
    for (size_t end = start + 1; end <= limit; end++) {
        for (size_t i = 0; i < TDB_ARRAY_LEN(strong_suffixes); i++) {
            size_t length = 0;
            const char *text = strong_suffixes[i].text;
            size_t offset = 0;
            size_t text_length = strlen(text);
            while (offset < text_length) {
                tdb_utf8_next(text, text_length, &offset);
                length++;
            }
            if (length >= end - start || end < length) continue; /* needs a name before */
            if (!word_at(lex, end - length, text)) continue;
            if (!suffix_allowed(lex, strong_suffixes[i].component)) continue;
            /* 街 before 道 is the town suffix 街道, read at the next position */
            if (word_at(lex, end, "道") && (word_at(lex, end - 1, "街"))) continue;
            if (strong_suffixes[i].component == TDB_ADDR_COUNTY && word_at(lex, end - 2, "小区"))
                continue;
            *component = strong_suffixes[i].component;
            return end;
        }
    }
    *component = TDB_ADDR_ESTATE;
    return limit > start ? limit : start + 1;
}

/* Skip a noise word (对面, 附近 …) at the current position. */
static bool lex_noise(lexer *lex)
{
    for (size_t i = 0; i < TDB_ARRAY_LEN(noise_words); i++) {
        size_t length = word_at(lex, lex->pos, noise_words[i]);
        if (length == 0) continue;
        lex->pos += length;
        lex->scratch->flags |= TDB_ADDR_NOISE_DROPPED;
        return true;
    }
    if (word_at(lex, lex->pos, "旁") && (lex->pos + 1 >= lex->scratch->count ||
                                         is_separator(char_at(lex, lex->pos + 1)))) {
        lex->pos++;
        lex->scratch->flags |= TDB_ADDR_NOISE_DROPPED;
        return true;
    }
    return false;
}

/* Skip a bracketed part: noise for the key, but kept in the folded input. */
static bool lex_bracket(lexer *lex)
{
    if (!is_open_bracket(char_at(lex, lex->pos))) return false;
    size_t end = lex->pos + 1;
    while (end < lex->scratch->count && !is_close_bracket(char_at(lex, end))) end++;
    lex->pos = end < lex->scratch->count ? end + 1 : end;
    lex->scratch->flags |= TDB_ADDR_NOISE_DROPPED;
    return true;
}

static void lex_word(lexer *lex)
{
    size_t start = lex->pos;
    tdb_addr_component component = TDB_ADDR_ESTATE;
    size_t end = find_word_end(lex, start, &component);

    /* A word right after an estate continues it (阳光花园 + 二期). */
    addr_span *last = lex->scratch->span_count ? &lex->scratch->spans[lex->scratch->span_count - 1] : NULL;
    if (component == TDB_ADDR_ESTATE && last && last->component == TDB_ADDR_ESTATE &&
        last->end == start) {
        char value[TDB_ADDRESS_INPUT_MAX];
        size_t length = tdb_addr_copy_chars(lex->scratch, last->start, end, value, sizeof value);
        lex->scratch->span_count--;
        lex->scratch->values_length = last->value_offset;
        add_span(lex, TDB_ADDR_ESTATE, last->start, end, value, length);
    } else {
        add_text_span(lex, component, start, end);
    }
    lex->pos = end;
}

void tdb_addr_lex(tdb_address_scratch *scratch)
{
    lexer lex = {.scratch = scratch, .pos = scratch->admin_end};

    for (size_t i = 0; i < scratch->segment_count; i++) {
        if (scratch->segments[i].unit == TDB_GAZ_NONE) continue;
        tdb_addr_level level = (tdb_addr_level)scratch->g->units[scratch->segments[i].unit].level;
        lex.seen[level - 1] = true;
    }
    while (lex.pos < scratch->count) {
        int32_t cp = char_at(&lex, lex.pos);
        if (is_separator(cp) || cp == '-' || is_close_bracket(cp)) {
            lex.pos++;
            continue;
        }
        if (lex_bracket(&lex) || lex_noise(&lex)) continue;
        if ((is_digit(cp) || is_letter(cp) || is_chinese_numeral(cp)) && lex_number(&lex)) continue;
        lex_word(&lex);
    }
}

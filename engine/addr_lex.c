/* Lexer for the part of an address after the divisions: village, group, development
 * zone, road, road number, estate, building, unit, floor and room.
 *
 * It reads left to right. A token that starts with a number (Arabic, Chinese or a
 * letter such as A座) is classified by the marker after it (栋, 单元, 层, 室, 号 …) and
 * by what was read before. For example, the first 号 after a road is the road number
 * and a later one a building. Any other token runs to the nearest road, town, village
 * or zone suffix, else to an estate suffix or the next number, and a token without a
 * road, town, village or zone suffix is an estate or POI name. */
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
    const char32_t *text;
    marker_kind kind;
} markers[] = {
    {U"村民小组", MARKER_GROUP}, {U"号楼", MARKER_BUILDING}, {U"号房", MARKER_ROOM},
    {U"单元", MARKER_UNIT},      {U"栋", MARKER_BUILDING},   {U"幢", MARKER_BUILDING},
    {U"座", MARKER_BUILDING},    {U"号", MARKER_HAO},        {U"层", MARKER_FLOOR},
    {U"楼", MARKER_FLOOR},       {U"室", MARKER_ROOM},       {U"房", MARKER_ROOM},
    {U"户", MARKER_ROOM},        {U"组", MARKER_GROUP},      {U"队", MARKER_GROUP},
    {U"弄", MARKER_LANE},        {U"期", MARKER_PHASE},      {U"区", MARKER_PHASE},
};

/* Suffixes that end a token, with the component they make. Longer ones come first so
 * that 街道 is a town before 街 is a road. */
typedef struct suffix_rule {
    const char32_t *text;
    size_t length; /* characters */
    tdb_addr_component component;
} suffix_rule;

#define SUFFIX(text, component) {text, sizeof(text) / sizeof(char32_t) - 1, component}

static const suffix_rule strong_suffixes[] = {
    SUFFIX(U"高新技术产业开发区", TDB_ADDR_DEVZONE), SUFFIX(U"经济技术开发区", TDB_ADDR_DEVZONE),
    SUFFIX(U"开发区", TDB_ADDR_DEVZONE),     SUFFIX(U"高新区", TDB_ADDR_DEVZONE),
    SUFFIX(U"经济区", TDB_ADDR_DEVZONE),
    SUFFIX(U"街道办事处", TDB_ADDR_TOWN),    SUFFIX(U"街道", TDB_ADDR_TOWN),
    SUFFIX(U"镇", TDB_ADDR_TOWN),            SUFFIX(U"乡", TDB_ADDR_TOWN),
    SUFFIX(U"社区居民委员会", TDB_ADDR_VILLAGE), SUFFIX(U"村民委员会", TDB_ADDR_VILLAGE),
    SUFFIX(U"社区", TDB_ADDR_VILLAGE),       SUFFIX(U"村委会", TDB_ADDR_VILLAGE),
    SUFFIX(U"居委会", TDB_ADDR_VILLAGE),     SUFFIX(U"村", TDB_ADDR_VILLAGE),
    SUFFIX(U"大道", TDB_ADDR_ROAD),          SUFFIX(U"大街", TDB_ADDR_ROAD),
    SUFFIX(U"公路", TDB_ADDR_ROAD),          SUFFIX(U"胡同", TDB_ADDR_ROAD),
    SUFFIX(U"路", TDB_ADDR_ROAD),            SUFFIX(U"街", TDB_ADDR_ROAD),
    SUFFIX(U"巷", TDB_ADDR_ROAD),            SUFFIX(U"道", TDB_ADDR_ROAD),
    SUFFIX(U"省", TDB_ADDR_PROVINCE),        SUFFIX(U"市", TDB_ADDR_CITY),
    SUFFIX(U"县", TDB_ADDR_COUNTY),          SUFFIX(U"区", TDB_ADDR_COUNTY),
    SUFFIX(U"旗", TDB_ADDR_COUNTY),
};

/* Words that end an estate or POI name. */
static const suffix_rule estate_suffixes[] = {
    SUFFIX(U"工业园区", TDB_ADDR_ESTATE), SUFFIX(U"工业区", TDB_ADDR_ESTATE), SUFFIX(U"产业园", TDB_ADDR_ESTATE), SUFFIX(U"花园", TDB_ADDR_ESTATE), SUFFIX(U"大厦", TDB_ADDR_ESTATE), SUFFIX(U"广场", TDB_ADDR_ESTATE), SUFFIX(U"市场", TDB_ADDR_ESTATE), SUFFIX(U"中心", TDB_ADDR_ESTATE), SUFFIX(U"公司", TDB_ADDR_ESTATE), SUFFIX(U"小区", TDB_ADDR_ESTATE),
    SUFFIX(U"公寓", TDB_ADDR_ESTATE), SUFFIX(U"家园", TDB_ADDR_ESTATE), SUFFIX(U"大楼", TDB_ADDR_ESTATE), SUFFIX(U"商城", TDB_ADDR_ESTATE), SUFFIX(U"大学", TDB_ADDR_ESTATE), SUFFIX(U"学院", TDB_ADDR_ESTATE), SUFFIX(U"中学", TDB_ADDR_ESTATE), SUFFIX(U"小学", TDB_ADDR_ESTATE), SUFFIX(U"医院", TDB_ADDR_ESTATE), SUFFIX(U"宾馆", TDB_ADDR_ESTATE), SUFFIX(U"酒店", TDB_ADDR_ESTATE),
    SUFFIX(U"科技园", TDB_ADDR_ESTATE), SUFFIX(U"城", TDB_ADDR_ESTATE), SUFFIX(U"苑", TDB_ADDR_ESTATE), SUFFIX(U"园", TDB_ADDR_ESTATE), SUFFIX(U"庭", TDB_ADDR_ESTATE), SUFFIX(U"阁", TDB_ADDR_ESTATE), SUFFIX(U"府", TDB_ADDR_ESTATE), SUFFIX(U"院", TDB_ADDR_ESTATE), SUFFIX(U"店", TDB_ADDR_ESTATE), SUFFIX(U"厂", TDB_ADDR_ESTATE), SUFFIX(U"馆", TDB_ADDR_ESTATE),
};

/* The last characters of the suffixes above, checked first because most characters
 * end no suffix. */
static const char32_t strong_suffix_last_chars[] = U"区处道镇乡会村路街巷同省市县旗";
static const char32_t estate_suffix_last_chars[] = U"区园厦场心司寓楼城学院店厂馆苑庭阁府";

/* Directions and remarks that are not part of the place: 对面, 附近 (not 附1), 电联
 * (call on arrival). */
static const char32_t *const noise_words[] = {
    U"斜对面", U"对面", U"旁边", U"附近", U"隔壁", U"对过", U"边上", U"楼下", U"电话联系", U"电联",
    U"交叉口", U"交汇处", U"入口处", U"门口", U"左侧", U"右侧", U"东侧", U"西侧", U"南侧", U"北侧",
    U"交界口", U"交界处", U"转角处",
};

#define char_in tdb_addr_char_in

static int32_t char_at(const lexer *lex, size_t pos)
{
    return pos < lex->scratch->count ? lex->scratch->chars[pos] : -1;
}

static size_t word_at(const lexer *lex, size_t pos, const char32_t *word)
{
    return tdb_addr_word_at(lex->scratch, pos, word);
}

static bool is_digit(int32_t cp) { return cp >= '0' && cp <= '9'; }
static bool is_letter(int32_t cp) { return cp >= 'A' && cp <= 'Z'; }
static bool is_chinese_digit(int32_t cp) { return char_in(cp, U"零〇一二三四五六七八九两"); }
static bool is_chinese_numeral(int32_t cp) { return is_chinese_digit(cp) || char_in(cp, U"十百千"); }
/* No separator or bracket is a CJK unified ideograph, which most characters are. */
static bool is_ideograph(int32_t cp) { return cp >= 0x4E00 && cp <= 0x9FFF; }
static bool is_separator(int32_t cp)
{
    return !is_ideograph(cp) && char_in(cp, U",.;:/_|·、，。；：#＃ \"'“”‘’");
}
static bool is_open_bracket(int32_t cp) { return !is_ideograph(cp) && char_in(cp, U"([{<【〔《「『"); }
static bool is_close_bracket(int32_t cp) { return !is_ideograph(cp) && char_in(cp, U")]}>】〕》」』"); }

/* Character classes, computed once per character before lexing because the rules
 * test them many times. */
enum {
    CLASS_SEPARATOR = 1u << 0,
    CLASS_OPEN = 1u << 1,
    CLASS_CLOSE = 1u << 2,
    CLASS_NUMERAL = 1u << 3,     /* a Chinese numeral */
    CLASS_STRONG_LAST = 1u << 4, /* the last character of a strong suffix */
    CLASS_ESTATE_LAST = 1u << 5, /* the last character of an estate suffix */
    CLASS_NOISE_FIRST = 1u << 6  /* the first character of a noise word */
};

/* Compute the classes of CP from the character sets above (slow: used to fill the
 * scratch's class table once). */
static uint8_t compute_classes(int32_t cp)
{
    uint8_t classes = 0;
    if (is_separator(cp)) classes |= CLASS_SEPARATOR;
    if (is_open_bracket(cp)) classes |= CLASS_OPEN;
    if (is_close_bracket(cp)) classes |= CLASS_CLOSE;
    if (is_chinese_numeral(cp)) classes |= CLASS_NUMERAL;
    if (char_in(cp, strong_suffix_last_chars)) classes |= CLASS_STRONG_LAST;
    if (char_in(cp, estate_suffix_last_chars)) classes |= CLASS_ESTATE_LAST;
    for (size_t i = 0; i < TDB_ARRAY_LEN(noise_words); i++) {
        if ((int32_t)noise_words[i][0] == cp) classes |= CLASS_NOISE_FIRST;
    }
    return classes;
}

static size_t class_slot(int32_t cp)
{
    return ((uint32_t)cp * 2654435761u >> 20) % ADDR_CLASS_TABLE_SIZE;
}

static void class_table_add(tdb_address_scratch *scratch, int32_t cp)
{
    size_t slot = class_slot(cp);
    while (scratch->class_table[slot].cp != 0 && scratch->class_table[slot].cp != cp)
        slot = (slot + 1) % ADDR_CLASS_TABLE_SIZE;
    scratch->class_table[slot].cp = cp;
    scratch->class_table[slot].classes = compute_classes(cp);
}

static void class_table_add_all(tdb_address_scratch *scratch, const char32_t *set)
{
    for (; *set; set++) class_table_add(scratch, (int32_t)*set);
}

void tdb_addr_lex_init(tdb_address_scratch *scratch)
{
    memset(scratch->class_table, 0, sizeof scratch->class_table);
    class_table_add_all(scratch, U",.;:/_|·、，。；：#＃ \"'“”‘’([{<【〔《「『)]}>】〕》」』");
    class_table_add_all(scratch, U"零〇一二三四五六七八九两十百千");
    class_table_add_all(scratch, strong_suffix_last_chars);
    class_table_add_all(scratch, estate_suffix_last_chars);
    for (size_t i = 0; i < TDB_ARRAY_LEN(noise_words); i++)
        class_table_add(scratch, (int32_t)noise_words[i][0]);
}

/* Return the classes of CP with one probe of the scratch's table in the usual case. */
static uint8_t classify(const tdb_address_scratch *scratch, int32_t cp)
{
    size_t slot = class_slot(cp);
    while (scratch->class_table[slot].cp != 0) {
        if (scratch->class_table[slot].cp == cp) return scratch->class_table[slot].classes;
        slot = (slot + 1) % ADDR_CLASS_TABLE_SIZE;
    }
    return 0;
}

static bool has_class(const lexer *lex, size_t pos, unsigned classes)
{
    return pos < lex->scratch->count && (lex->scratch->classes[pos] & classes);
}

static int chinese_digit_value(int32_t cp)
{
    static const char32_t digits[] = U"零一二三四五六七八九";
    if (cp == 0x3007) return 0; /* 〇 */
    if (cp == 0x4E24) return 2; /* 两 */
    for (int i = 0; i < 10; i++) {
        if ((int32_t)digits[i] == cp) return i;
    }
    return -1;
}

/* Convert a Chinese numeral: positional (十二 → 12, 一百零五 → 105) when it has 十, 百
 * or 千, else digit by digit (三零一 → 301). */
static void convert_chinese(const int32_t *chars, size_t count, number *out)
{
    bool positional = false;
    for (size_t i = 0; i < count; i++) positional |= char_in(chars[i], U"十百千");

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
        long unit = 1000; /* 千 */
        if (chars[i] == 0x5341) unit = 10;  /* 十 */
        if (chars[i] == 0x767E) unit = 100; /* 百 */
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

    if (has_class(lex, pos, CLASS_NUMERAL)) {
        while (has_class(lex, end, CLASS_NUMERAL) &&
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

/* Append the string TEXT to BUF (LENGTH bytes used of CAPACITY), cut to fit, and return
 * the new length. The number values are built this way because snprintf is slower. */
static size_t append_text(char *buf, size_t capacity, size_t length, const char *text)
{
    size_t add = strlen(text);
    if (add > capacity - 1 - length) add = capacity - 1 - length;
    memcpy(buf + length, text, add);
    buf[length + add] = '\0';
    return length + add;
}

/* Add a number span with its unified marker (3栋, 2单元, 301室). */
static void add_number_span(lexer *lex, tdb_addr_component component, size_t start,
                            size_t end, const number *num, const char *marker)
{
    char value[NUMBER_TEXT_MAX + 16];
    size_t length = append_text(value, sizeof value, 0, num->text);
    length = append_text(value, sizeof value, length, marker);
    add_span(lex, component, start, end, value, length);
}

/* ---- Number tokens -------------------------------------------------------------- */

/* Return true when a road word follows 号 at POS: 李庄二号路, 24号大街. */
static bool numbered_road_follows(const lexer *lex, size_t pos)
{
    return char_in(char_at(lex, pos), U"路街巷弄道") || word_at(lex, pos, U"大街") ||
           word_at(lex, pos, U"大道");
}

/* Return true when the last span read is of COMPONENT and ends where the lexer is. */
static bool last_span_is(const lexer *lex, tdb_addr_component component)
{
    size_t count = lex->scratch->span_count;
    return count > 0 && lex->scratch->spans[count - 1].component == component &&
           lex->scratch->spans[count - 1].end == lex->pos;
}

/* Return the length of the dash between two numbers at POS: '-' or '--', or 一 used as
 * a dash between digits (17一10一6). Returns 0 when there is none. */
static size_t dash_length(const lexer *lex, size_t pos)
{
    if (char_at(lex, pos) == '-') return char_at(lex, pos + 1) == '-' ? 2 : 1;
    if (char_at(lex, pos) == 0x4E00 && is_digit(char_at(lex, pos - 1)) && is_digit(char_at(lex, pos + 1)))
        return 1;
    return 0;
}

/* Return true when A-B is a range of house numbers: same width, B above A. */
static bool is_range(const number *a, const number *b)
{
    return a->length == b->length && a->length >= 2 && strcmp(b->text, a->text) > 0;
}

/* Read `5-2-301` (building, unit, room) or `3-502` (building, room) at POS. */
static bool lex_dashed(lexer *lex, size_t pos, const number *first)
{
    number parts[4];
    size_t starts[4];
    size_t count = 1;
    parts[0] = *first;
    starts[0] = pos;
    size_t end = first->end;

    for (;;) {
        size_t dashes = dash_length(lex, end);
        if (count == 4 || dashes == 0) break;
        if (!is_digit(char_at(lex, end + dashes)) && !is_letter(char_at(lex, end + dashes))) break;
        starts[count] = end + dashes;
        if (!read_number(lex, end + dashes, &parts[count]) || parts[count].chinese) break;
        end = parts[count].end;
        count++;
    }
    if (count < 2) return false;

    size_t marker_length = 0;
    marker_kind marker = marker_at(lex, end, &marker_length);
    /* 659-697号, 0919-0922号: a range of numbers is one number */
    if (count == 2 && marker == MARKER_HAO && is_range(&parts[0], &parts[1])) {
        char value[2 * NUMBER_TEXT_MAX + 8];
        int length = snprintf(value, sizeof value, "%s-%s号", parts[0].text, parts[1].text);
        tdb_addr_component component = lex->seen[TDB_ADDR_ROAD_NO] || last_span_is(lex, TDB_ADDR_ESTATE)
                                           ? TDB_ADDR_ROOM
                                           : TDB_ADDR_ROAD_NO;
        add_span(lex, component, pos, end + marker_length, value, (size_t)length);
        lex->pos = end + marker_length;
        return true;
    }
    /* 12-3号 right after a road is one road number. */
    if (count == 2 && lex->seen[TDB_ADDR_ROAD] && !lex->seen[TDB_ADDR_ROAD_NO] &&
        (marker == MARKER_HAO || marker == MARKER_NONE) && !lex->seen[TDB_ADDR_ESTATE]) {
        char value[2 * NUMBER_TEXT_MAX + 8];
        int length = snprintf(value, sizeof value, "%s-%s号", parts[0].text, parts[1].text);
        add_span(lex, TDB_ADDR_ROAD_NO, pos, end + marker_length, value, (size_t)length);
        lex->pos = end + marker_length;
        return true;
    }
    /* 121栋9-459: after a building, two parts are the unit and the room */
    if (count == 2 && lex->seen[TDB_ADDR_BUILDING] && !lex->seen[TDB_ADDR_UNIT]) {
        add_number_span(lex, TDB_ADDR_UNIT, starts[0], parts[0].end, &parts[0], "单元");
        add_number_span(lex, TDB_ADDR_ROOM, starts[1], end + marker_length, &parts[1], "室");
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


/* Classify 号 by what came before: a room after a unit or floor, else the first one is
 * the road number (also after a village or estate: 东升村陈屋12号), then a building. */
static tdb_addr_component hao_component(const lexer *lex, const number *num)
{
    if (lex->seen[TDB_ADDR_UNIT] || lex->seen[TDB_ADDR_FLOOR]) return TDB_ADDR_ROOM;
    /* 34幢4号: a short number after a building is its unit, 3栋502号 a room */
    if (lex->seen[TDB_ADDR_BUILDING]) return num->length <= 2 ? TDB_ADDR_UNIT : TDB_ADDR_ROOM;
    /* 匹配城632号: right after an estate outside a village, a building */
    if (last_span_is(lex, TDB_ADDR_ESTATE) && !lex->seen[TDB_ADDR_VILLAGE]) return TDB_ADDR_BUILDING;
    if (!lex->seen[TDB_ADDR_ROAD_NO]) return TDB_ADDR_ROAD_NO;
    return TDB_ADDR_BUILDING;
}

/* Read a road number of the forms 12号, 12之3号, 12号附1. */
static void lex_road_number(lexer *lex, size_t start, const number *num, size_t marker_end)
{
    char value[3 * NUMBER_TEXT_MAX];
    size_t end = marker_end;
    size_t length = append_text(value, sizeof value, 0, num->text);
    length = append_text(value, sizeof value, length, "号");
    number extra;

    if (word_at(lex, end, U"附") && read_number(lex, end + 1, &extra) && !extra.chinese) {
        length = append_text(value, sizeof value, length, "附");
        length = append_text(value, sizeof value, length, extra.text);
        end = extra.end;
    }
    add_span(lex, TDB_ADDR_ROAD_NO, start, end, value, length);
    lex->pos = end;
}

/* A number with no marker: a room after a building, unit or floor, else a road
 * number after a road. Returns false when it is part of a name instead. */
static bool lex_bare_number(lexer *lex, size_t start, const number *num)
{
    int32_t next = char_at(lex, num->end);
    bool at_boundary = next < 0 || has_class(lex, num->end, CLASS_SEPARATOR | CLASS_OPEN);
    /* 和平路1980华美电器: digits right after a road are its number */
    size_t spans = lex->scratch->span_count;
    if (!num->chinese && !lex->seen[TDB_ADDR_ROAD_NO] && spans > 0 &&
        lex->scratch->spans[spans - 1].component == TDB_ADDR_ROAD &&
        lex->scratch->spans[spans - 1].end == start && !is_letter(char_at(lex, start))) {
        add_number_span(lex, TDB_ADDR_ROAD_NO, start, num->end, num, "号");
        lex->pos = num->end;
        return true;
    }
    if (!at_boundary) return false;
    if (num->chinese && !(lex->seen[TDB_ADDR_BUILDING] || lex->seen[TDB_ADDR_UNIT] ||
                          lex->seen[TDB_ADDR_FLOOR]))
        return false;

    bool after_number = lex->seen[TDB_ADDR_BUILDING] || lex->seen[TDB_ADDR_UNIT] ||
                        lex->seen[TDB_ADDR_FLOOR] || lex->seen[TDB_ADDR_ROAD_NO];
    bool named_place = lex->seen[TDB_ADDR_ROAD] || lex->seen[TDB_ADDR_ESTATE] ||
                       lex->seen[TDB_ADDR_VILLAGE];
    /* 王家桥235 is a road number; 金星大厦2169, F1314 and 3栋502 are rooms */
    if (!after_number && named_place && !is_letter(char_at(lex, start)) &&
        !(last_span_is(lex, TDB_ADDR_ESTATE) && !lex->seen[TDB_ADDR_VILLAGE]))
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
    if (!num.chinese && dash_length(lex, num.end) && lex_dashed(lex, start, &num)) return true;

    /* 12之3号 */
    number second;
    if (!num.chinese && word_at(lex, num.end, U"之") && read_number(lex, num.end + 1, &second) &&
        !second.chinese && word_at(lex, second.end, U"号")) {
        char value[2 * NUMBER_TEXT_MAX + 8];
        int length = snprintf(value, sizeof value, "%s之%s号", num.text, second.text);
        add_span(lex, hao_component(lex, &num), start, second.end + 1, value, (size_t)length);
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
        /* 李庄二号路: a numbered road name, not a house number */
        if (numbered_road_follows(lex, end)) return false;
        tdb_addr_component component = hao_component(lex, &num);
        if (component == TDB_ADDR_ROAD_NO) {
            lex_road_number(lex, start, &num, end);
            return true;
        }
        const char *unified = component == TDB_ADDR_ROOM ? "室" : "栋";
        if (component == TDB_ADDR_UNIT) unified = "单元";
        add_number_span(lex, component, start, end, &num, unified);
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
        /* a division by suffix only where no deeper one was read (新城市家园) */
        for (int deeper = component; deeper <= TDB_ADDR_VILLAGE; deeper++) {
            if (lex->seen[deeper]) return false;
        }
        return !lex->detail_started;
    case TDB_ADDR_TOWN:
        /* 建设大道东城街道: a town may follow roads, but not numbers or estates */
        return !lex->seen[TDB_ADDR_TOWN] && !lex->seen[TDB_ADDR_VILLAGE] &&
               !lex->seen[TDB_ADDR_ROAD_NO] && !lex->seen[TDB_ADDR_BUILDING] &&
               !lex->seen[TDB_ADDR_ESTATE];
    case TDB_ADDR_VILLAGE:
        return !lex->seen[TDB_ADDR_VILLAGE] && !lex->seen[TDB_ADDR_ROAD] && !lex->seen[TDB_ADDR_ESTATE];
    default: return true;
    }
}

/* Return true when a number token starts at POS inside a word: ASCII digits or
 * letters, or Chinese numerals followed by a marker (幸福家园八幢, 金桂阁二楼). */
static bool number_starts(const lexer *lex, size_t pos)
{
    int32_t cp = char_at(lex, pos);
    if (is_digit(cp)) {
        /* 阳光80小区, 平安佳苑2区: digits inside an estate name */
        size_t end = pos;
        while (is_digit(char_at(lex, end))) end++;
        return !(word_at(lex, end, U"小区") || word_at(lex, end, U"区"));
    }
    if (is_letter(cp)) {
        /* A16, B座, C-3 start numbers; SOHO and E家 are parts of names */
        int32_t next = char_at(lex, pos + 1);
        size_t marker_length = 0;
        return next < 0 || is_digit(next) || next == '-' ||
               has_class(lex, pos + 1, CLASS_SEPARATOR | CLASS_OPEN) ||
               marker_at(lex, pos + 1, &marker_length) != MARKER_NONE;
    }
    if (!has_class(lex, pos, CLASS_NUMERAL)) return false;
    size_t end = pos;
    while (has_class(lex, end, CLASS_NUMERAL)) end++;
    size_t marker_length = 0;
    marker_kind marker = marker_at(lex, end, &marker_length);
    if (marker == MARKER_HAO && numbered_road_follows(lex, end + 1)) return false;
    return marker != MARKER_NONE && marker != MARKER_PHASE && marker != MARKER_LANE;
}

static bool noise_at(const lexer *lex, size_t pos)
{
    for (size_t i = 0; i < TDB_ARRAY_LEN(noise_words); i++) {
        if (word_at(lex, pos, noise_words[i])) return true;
    }
    return false;
}

/* Return the end of the longest run of characters from START that can form one name:
 * up to a number, separator or bracket, and at most WORD_CHARS_MAX characters. */
static size_t word_limit(const lexer *lex, size_t start)
{
    size_t limit = start;
    size_t count = lex->scratch->count;

    /* A name may start with digits or a letter (327国道, 2期). */
    while (limit < count && (is_digit(char_at(lex, limit)) || is_letter(char_at(lex, limit))))
        limit++;
    while (limit < count && limit - start < WORD_CHARS_MAX) {
        int32_t cp = char_at(lex, limit);
        bool noise = has_class(lex, limit, CLASS_NOISE_FIRST) && noise_at(lex, limit);
        if (limit > start && (has_class(lex, limit, CLASS_SEPARATOR | CLASS_OPEN) || cp == '-' ||
                              number_starts(lex, limit) || noise))
            break;
        if (has_class(lex, limit, CLASS_CLOSE)) break;
        limit++;
    }
    return limit;
}

/* Return true when the suffix of RULE ends at character END with at least MIN_NAME
 * characters of name between START and it. */
static bool suffix_ends_at(const lexer *lex, size_t start, size_t end, const suffix_rule *rule,
                           size_t min_name)
{
    if (start + min_name + rule->length > end) return false;
    if ((int32_t)rule->text[rule->length - 1] != char_at(lex, end - 1)) return false;
    return word_at(lex, end - rule->length, rule->text) > 0;
}

/* Return true when the strong suffix rule RULE ending at END is read as such. */
static bool strong_suffix_applies(const lexer *lex, const suffix_rule *rule, size_t end)
{
    if (!suffix_allowed(lex, rule->component)) return false;
    /* 横街镇, 中山街道: a road word before a town suffix is part of the town name */
    if (rule->component == TDB_ADDR_ROAD && char_in(char_at(lex, end), U"道镇乡村区")) return false;
    if (rule->component == TDB_ADDR_ROAD && word_at(lex, end, U"街道")) return false; /* 石巷街道 */
    /* 河道南路: a road word followed by a direction and a road suffix goes on */
    if (rule->component == TDB_ADDR_ROAD && char_in(char_at(lex, end), U"东西南北中") &&
        char_in(char_at(lex, end + 1), U"路街"))
        return false;
    /* 红街公寓, 花园街小区: a road word inside an estate name. A one-character estate
     * suffix there starts the next name instead (人民路城市广场). */
    if (rule->component == TDB_ADDR_ROAD) {
        for (size_t i = 0; i < TDB_ARRAY_LEN(estate_suffixes); i++) {
            if (estate_suffixes[i].length >= 2 && word_at(lex, end, estate_suffixes[i].text))
                return false;
        }
    }
    /* 东村村委会, 镇南村委会, 许村镇: the village or town name goes on */
    if (rule->component == TDB_ADDR_VILLAGE && rule->length == 1 &&
        (char_in(char_at(lex, end), U"委镇乡") || word_at(lex, end, U"村委") ||
         word_at(lex, end, U"民委员会") || word_at(lex, end, U"街道")))
        return false;
    /* 红星新村 is an estate, not a village */
    if (rule->component == TDB_ADDR_VILLAGE && word_at(lex, end - 2, U"新村")) return false;
    if (rule->component == TDB_ADDR_COUNTY && word_at(lex, end - 2, U"小区")) return false;
    /* 花园西区, 阳光三区, 科技园区: parts of estates and zones, not counties (but 江北区
     * and 城北区 are) */
    if (rule->component == TDB_ADDR_COUNTY && word_at(lex, end - 1, U"区") &&
        ((end - lex->pos > 3 && char_in(char_at(lex, end - 2), U"东西南北中一二三四五六七八九十园业新")) ||
         end - lex->pos > 4))
        return false;
    /* 县前路, 城区街: a division suffix that a road suffix follows is part of the road
     * name (but 江北区街道 is a town after a county) */
    if ((rule->component == TDB_ADDR_PROVINCE || rule->component == TDB_ADDR_CITY ||
         rule->component == TDB_ADDR_COUNTY) &&
        (char_in(char_at(lex, end), U"路巷弄") || word_at(lex, end, U"大道") ||
         (char_at(lex, end) == 0x8857 /* 街 */ && !word_at(lex, end, U"街道"))))
        return false;
    /* 市场, 市民: the suffix character starts another word */
    if (rule->component == TDB_ADDR_CITY && char_in(char_at(lex, end), U"场民")) return false;
    return true;
}

/* Return the end of the first strong suffix (road, town, village, zone, division) in
 * [START, LIMIT), or 0 when there is none. */
static size_t find_strong_suffix(const lexer *lex, size_t start, size_t limit,
                                 tdb_addr_component *component)
{
    for (size_t end = start + 1; end <= limit; end++) {
        if (!has_class(lex, end - 1, CLASS_STRONG_LAST)) continue;
        for (size_t i = 0; i < TDB_ARRAY_LEN(strong_suffixes); i++) {
            const suffix_rule *rule = &strong_suffixes[i];
            /* a zone word alone is a zone (开发区); other suffixes need a name */
            size_t min_name = rule->component == TDB_ADDR_DEVZONE ? 0 : 1;
            if (!suffix_ends_at(lex, start, end, rule, min_name)) continue;
            if (!strong_suffix_applies(lex, rule, end)) continue;
            *component = rule->component;
            return end;
        }
    }
    return 0;
}

/* Return the end of the first estate suffix (花园, 大厦, 苑 …) in [START, LIMIT) that
 * leaves at least two characters of name before it, or 0. */
static size_t find_estate_suffix(const lexer *lex, size_t start, size_t limit)
{
    for (size_t end = start + 1; end <= limit; end++) {
        if (!has_class(lex, end - 1, CLASS_ESTATE_LAST)) continue;
        /* 城东工业园区, 金色未来街区: the name goes on */
        if (char_in(char_at(lex, end), U"区路街市")) continue;
        for (size_t i = 0; i < TDB_ARRAY_LEN(estate_suffixes); i++) {
            if (suffix_ends_at(lex, start, end, &estate_suffixes[i], 2)) return end;
        }
    }
    return 0;
}

/* Find the end of the token at START and its component: a name ending in a strong
 * suffix, else an estate name ending in an estate suffix, else the whole run. An
 * estate suffix before a strong one ends the estate only when two or more characters
 * are left for the road or zone name (金星大厦 | 和平街, but 中山花园路 is one road). */
static size_t find_word_end(const lexer *lex, size_t start, tdb_addr_component *component)
{
    size_t limit = word_limit(lex, start);
    size_t strong_end = find_strong_suffix(lex, start, limit, component);
    size_t estate_end = find_estate_suffix(lex, start, strong_end ? strong_end : limit);

    if (strong_end && !(estate_end && estate_end + 2 <= strong_end - 1)) return strong_end;
    *component = TDB_ADDR_ESTATE;
    if (estate_end) return estate_end;
    return limit > start ? limit : start + 1;
}

/* Skip a noise word (对面, 附近 …) at the current position. */
static bool lex_noise(lexer *lex)
{
    for (size_t i = 0; has_class(lex, lex->pos, CLASS_NOISE_FIRST) && i < TDB_ARRAY_LEN(noise_words);
         i++) {
        size_t length = word_at(lex, lex->pos, noise_words[i]);
        if (length == 0) continue;
        lex->pos += length;
        lex->scratch->flags |= TDB_ADDR_NOISE_DROPPED;
        return true;
    }
    if (word_at(lex, lex->pos, U"旁") && (lex->pos + 1 >= lex->scratch->count ||
                                         has_class(lex, lex->pos + 1, CLASS_SEPARATOR))) {
        lex->pos++;
        lex->scratch->flags |= TDB_ADDR_NOISE_DROPPED;
        return true;
    }
    return false;
}

/* Skip a bracketed part: noise for the key, but kept in the folded input. */
static bool lex_bracket(lexer *lex)
{
    if (!has_class(lex, lex->pos, CLASS_OPEN)) return false;
    size_t end = lex->pos + 1;
    while (end < lex->scratch->count && !has_class(lex, end, CLASS_CLOSE)) end++;
    lex->pos = end < lex->scratch->count ? end + 1 : end;
    lex->scratch->flags |= TDB_ADDR_NOISE_DROPPED;
    return true;
}

/* Skip a section word (人民大道中段, 环城北路东段) or 口 right after a road. */
static bool lex_road_section(lexer *lex)
{
    size_t count = lex->scratch->span_count;
    if (count == 0 || lex->scratch->spans[count - 1].component != TDB_ADDR_ROAD ||
        lex->scratch->spans[count - 1].end != lex->pos)
        return false;
    /* 解放路口: the crossing, not a name that starts with 口 */
    if (char_at(lex, lex->pos) == 0x53E3) { /* 口 */
        lex->pos++;
        return true;
    }
    if (!char_in(char_at(lex, lex->pos), U"东西南北中") || !word_at(lex, lex->pos + 1, U"段"))
        return false;
    lex->pos += 2;
    return true;
}

/* Skip 与 or 和 between two roads (解放路与人民路交叉口). */
static bool lex_conjunction(lexer *lex)
{
    size_t count = lex->scratch->span_count;
    if (count == 0 || lex->scratch->spans[count - 1].component != TDB_ADDR_ROAD ||
        lex->scratch->spans[count - 1].end != lex->pos || !char_in(char_at(lex, lex->pos), U"与和"))
        return false;
    lex->pos++;
    return true;
}

static void lex_word(lexer *lex)
{
    size_t start = lex->pos;
    tdb_addr_component component = TDB_ADDR_ESTATE;
    size_t end = find_word_end(lex, start, &component);

    /* A lone character left between other tokens (门 in 97号门, 南 after a number) is
     * not a name. A name after the floor or room (服务台, 质检部, a shop on that floor)
     * is a remark for the courier, not part of the place. */
    bool after_room = lex->seen[TDB_ADDR_ROOM] || lex->seen[TDB_ADDR_FLOOR];
    if (component == TDB_ADDR_ESTATE &&
        (after_room || (end - start == 1 && !is_digit(char_at(lex, start)) &&
                        !is_letter(char_at(lex, start))))) {
        lex->scratch->flags |= TDB_ADDR_NOISE_DROPPED;
        lex->pos = end;
        return;
    }
    add_text_span(lex, component, start, end);
    lex->pos = end;
}

void tdb_addr_lex(tdb_address_scratch *scratch)
{
    lexer lex = {.scratch = scratch, .pos = scratch->admin_end};

    for (size_t i = scratch->admin_end; i < scratch->count; i++)
        scratch->classes[i] = classify(scratch, scratch->chars[i]);
    for (size_t i = 0; i < scratch->segment_count; i++) {
        if (scratch->segments[i].unit == TDB_GAZ_NONE) continue;
        tdb_addr_level level = (tdb_addr_level)scratch->g->units[scratch->segments[i].unit].level;
        lex.seen[level - 1] = true;
    }
    while (lex.pos < scratch->count) {
        int32_t cp = char_at(&lex, lex.pos);
        if (has_class(&lex, lex.pos, CLASS_SEPARATOR | CLASS_CLOSE) || cp == '-') {
            lex.pos++;
            continue;
        }
        if (lex_bracket(&lex) || lex_noise(&lex) || lex_road_section(&lex) || lex_conjunction(&lex))
            continue;
        if ((is_digit(cp) || is_letter(cp) || has_class(&lex, lex.pos, CLASS_NUMERAL)) &&
            lex_number(&lex))
            continue;
        lex_word(&lex);
    }
}

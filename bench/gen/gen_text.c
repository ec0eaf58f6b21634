/* Names and text dirt for the generator: surname and given-name lists weighted for a
 * Hakka county of eastern Guangdong, compound surnames, transliterated minority names
 * with the · separator, and the homophone and traditional-character tables used to
 * dirty names and addresses. */
#include <string.h>

#include "gen.h"

const char *const gen_ethnicities[] = {"汉族", "畲族", "壮族", "瑶族", "维吾尔族", "土家族", "苗族"};
enum { ETHNICITY_HAN = 0, ETHNICITY_SHE = 1, ETHNICITY_UYGHUR = 4 };

typedef struct weighted_text {
    const char *text;
    unsigned weight;
} weighted_text;

/* Rough frequencies for Heyuan: 黄, 刘, 陈, 张, 李 and 曾 lead, as in most Hakka counties. */
static const weighted_text surnames[] = {
    {"黄", 90}, {"刘", 85}, {"陈", 70}, {"张", 60}, {"李", 55}, {"曾", 50}, {"叶", 40},
    {"邓", 35}, {"罗", 35}, {"钟", 35}, {"林", 30}, {"何", 28}, {"骆", 25}, {"谢", 25},
    {"温", 22}, {"赖", 22}, {"魏", 20}, {"杨", 20}, {"吴", 20}, {"王", 18}, {"朱", 15},
    {"徐", 15}, {"廖", 15}, {"郑", 12}, {"邱", 12}, {"彭", 12}, {"古", 10}, {"袁", 10},
    {"丘", 8}, {"蓝", 6}, {"雷", 5}, {"欧阳", 4}, {"司马", 2}, {"司徒", 2}, {"上官", 1},
    {"诸葛", 1},
};

static const char *const compound_surnames[] = {"欧阳", "司马", "司徒", "上官", "诸葛"};

static const char *const male_given[] = {
    "伟", "强", "军", "明", "华", "国", "建", "平", "志", "文", "海", "东", "勇", "俊",
    "杰", "涛", "斌", "辉", "锋", "浩", "宇", "鹏", "晨", "新", "福", "荣", "光", "庆",
    "德", "胜", "昌", "兴", "龙", "振", "永", "家", "伦", "鸿", "嘉", "航",
};
static const char *const female_given[] = {
    "丽", "芳", "娟", "敏", "静", "婷", "红", "梅", "兰", "霞", "燕", "玲", "秀", "英",
    "慧", "琴", "雪", "佳", "欣", "颖", "珍", "春", "凤", "莉", "萍", "洁", "琳", "晓",
    "思", "雨", "艳", "桂", "月", "美", "文", "倩",
};

/* Transliterated Uyghur names: the person's own name, then the father's. */
static const char *const dotted_male[] = {"阿卜杜拉", "艾尔肯", "买买提", "吐尔洪", "努尔", "艾力", "热合曼"};
static const char *const dotted_female[] = {"古丽娜尔", "热依拉", "迪丽拜尔", "阿依古丽", "帕提古丽", "米娜瓦尔"};
static const char *const dotted_fathers[] = {"艾买提", "吐尔逊", "热合曼", "阿不都", "卡德尔", "尼亚孜"};

#define NAME_DOT "\xC2\xB7" /* U+00B7 MIDDLE DOT, as the household registry writes it */

static const char *draw_surname(gen_rng *rng)
{
    unsigned weights[TDB_ARRAY_LEN(surnames)];
    for (size_t i = 0; i < TDB_ARRAY_LEN(surnames); i++) weights[i] = surnames[i].weight;
    return surnames[gen_rng_weighted(rng, weights, TDB_ARRAY_LEN(surnames))].text;
}

static void draw_dotted(gen_rng *rng, gen_name *name, const gen_name *father, bool male)
{
    const char *own = male ? dotted_male[gen_rng_below(rng, TDB_ARRAY_LEN(dotted_male))]
                           : dotted_female[gen_rng_below(rng, TDB_ARRAY_LEN(dotted_female))];
    char second[48];
    if (father && father->dotted) {
        /* The child's second part is the father's own name. */
        const char *dot = strstr(father->text, NAME_DOT);
        size_t length = dot ? (size_t)(dot - father->text) : strlen(father->text);
        gen_format(second, sizeof second, "%.*s", (int)length, father->text);
    } else {
        gen_format(second, sizeof second, "%s", dotted_fathers[gen_rng_below(rng, TDB_ARRAY_LEN(dotted_fathers))]);
    }
    gen_format(name->text, sizeof name->text, "%s" NAME_DOT "%s", own, second);
    name->dotted = true;
    name->ethnicity = ETHNICITY_UYGHUR;
}

static uint8_t draw_ethnicity(gen_rng *rng, const char *surname)
{
    /* The She people of eastern Guangdong mostly carry 蓝, 雷 or 钟. */
    bool she_surname = strcmp(surname, "蓝") == 0 || strcmp(surname, "雷") == 0;
    if (she_surname && gen_rng_chance(rng, 0.6)) return ETHNICITY_SHE;
    if (gen_rng_chance(rng, 0.985)) return ETHNICITY_HAN;
    static const uint8_t minorities[] = {1, 2, 3, 5, 6};
    return minorities[gen_rng_below(rng, TDB_ARRAY_LEN(minorities))];
}

void gen_name_draw(gen_rng *rng, gen_name *name, const gen_name *father, bool male)
{
    memset(name, 0, sizeof *name);
    if ((father && father->dotted) || (!father && gen_rng_chance(rng, 0.004))) {
        draw_dotted(rng, name, father, male);
        return;
    }

    char surname[16];
    if (father) gen_name_surname(father->text, surname);
    else gen_format(surname, sizeof surname, "%s", draw_surname(rng));

    const char *const *pool = male ? male_given : female_given;
    size_t pool_size = male ? TDB_ARRAY_LEN(male_given) : TDB_ARRAY_LEN(female_given);
    const char *first = pool[gen_rng_below(rng, (uint32_t)pool_size)];
    if (gen_rng_chance(rng, 0.25)) {
        gen_format(name->text, sizeof name->text, "%s%s", surname, first);
    } else {
        const char *second = pool[gen_rng_below(rng, (uint32_t)pool_size)];
        gen_format(name->text, sizeof name->text, "%s%s%s", surname, first, second);
    }
    name->ethnicity = father ? father->ethnicity : draw_ethnicity(rng, surname);
}

void gen_name_surname(const char *name, char out[16])
{
    for (size_t i = 0; i < TDB_ARRAY_LEN(compound_surnames); i++) {
        size_t length = strlen(compound_surnames[i]);
        if (strncmp(name, compound_surnames[i], length) == 0) {
            gen_format(out, 16, "%s", compound_surnames[i]);
            return;
        }
    }
    size_t pos = 0;
    tdb_utf8_next(name, strlen(name), &pos);
    gen_format(out, 16, "%.*s", (int)pos, name);
}

typedef struct char_pair {
    const char *from;
    const char *to;
} char_pair;

/* Same reading in Mandarin (tones included), so a clerk typing by pinyin picks the
 * wrong one. */
static const char_pair homophones[] = {
    {"张", "章"}, {"李", "理"}, {"王", "汪"}, {"刘", "留"}, {"黄", "皇"}, {"林", "琳"},
    {"杨", "阳"}, {"吴", "吾"}, {"钟", "忠"}, {"曾", "增"}, {"叶", "业"}, {"罗", "萝"},
    {"何", "和"}, {"赖", "籁"}, {"伟", "玮"}, {"华", "桦"}, {"明", "铭"}, {"丽", "莉"},
    {"芳", "方"}, {"娟", "鹃"}, {"军", "君"}, {"静", "靖"}, {"婷", "亭"}, {"红", "洪"},
    {"文", "雯"}, {"敏", "闵"}, {"勇", "涌"}, {"杰", "洁"}, {"辉", "晖"}, {"玲", "铃"},
    {"英", "瑛"}, {"燕", "艳"}, {"梅", "玫"}, {"霞", "暇"}, {"龙", "隆"}, {"志", "智"},
};

static const char_pair traditional[] = {
    {"龙", "龍"}, {"县", "縣"}, {"东", "東"}, {"镇", "鎮"}, {"区", "區"}, {"园", "園"}, {"华", "華"}, {"门", "門"},
    {"号", "號"}, {"楼", "樓"}, {"单", "單"}, {"广", "廣"}, {"阳", "陽"}, {"岭", "嶺"}, {"风", "風"}, {"兴", "興"},
    {"业", "業"}, {"环", "環"}, {"宾", "賓"}, {"滨", "濱"}, {"乡", "鄉"}, {"组", "組"}, {"会", "會"}, {"员", "員"},
    {"陈", "陳"}, {"刘", "劉"}, {"黄", "黃"}, {"张", "張"}, {"叶", "葉"}, {"邓", "鄧"}, {"罗", "羅"}, {"钟", "鍾"},
    {"国", "國"}, {"兰", "蘭"}, {"丽", "麗"}, {"红", "紅"}, {"军", "軍"}, {"伟", "偉"}, {"强", "強"}, {"杨", "楊"},
    {"谢", "謝"}, {"赖", "賴"}, {"温", "溫"}, {"郑", "鄭"}, {"庆", "慶"}, {"荣", "榮"}, {"凤", "鳳"}, {"鸿", "鴻"},
    {"庙", "廟"}, {"坝", "壩"}, {"围", "圍"}, {"厂", "廠"}, {"场", "場"}, {"车", "車"}, {"马", "馬"}, {"长", "長"},
    {"联", "聯"}, {"乐", "樂"}, {"庄", "莊"}, {"湾", "灣"}, {"桥", "橋"}, {"头", "頭"}, {"岗", "崗"}, {"贝", "貝"},
    {"铁", "鐵"}, {"丰", "豐"}, {"义", "義"}, {"鹤", "鶴"}, {"织", "織"}, {"厦", "廈"}, {"宁", "寧"}, {"锦", "錦"},
    {"绣", "繡"}, {"云", "雲"}, {"关", "關"}, {"宝", "寶"}, {"进", "進"}, {"达", "達"}, {"发", "發"}, {"万", "萬"},
    {"观", "觀"}, {"岩", "巖"}, {"为", "為"}, {"学", "學"},
};

static const char *find_pair(const char_pair *table, size_t count, const char *text, size_t length)
{
    for (size_t i = 0; i < count; i++) {
        if (strlen(table[i].from) == length && memcmp(table[i].from, text, length) == 0
            && strcmp(table[i].from, table[i].to) != 0)
            return table[i].to;
    }
    return NULL;
}

bool gen_text_homophone(gen_rng *rng, const char *name, tdb_buf *out)
{
    /* Collect the characters that have a homophone, then replace one of them. */
    size_t length = strlen(name), pos = 0, candidates[16], candidate_count = 0;
    while (pos < length && candidate_count < TDB_ARRAY_LEN(candidates)) {
        size_t start = pos;
        tdb_utf8_next(name, length, &pos);
        if (find_pair(homophones, TDB_ARRAY_LEN(homophones), name + start, pos - start))
            candidates[candidate_count++] = start;
    }
    if (candidate_count == 0) return false;

    size_t chosen = candidates[gen_rng_below(rng, (uint32_t)candidate_count)];
    size_t end = chosen;
    tdb_utf8_next(name, length, &end);
    const char *replacement = find_pair(homophones, TDB_ARRAY_LEN(homophones), name + chosen, end - chosen);
    if (tdb_buf_append(out, name, chosen) != TDB_OK) return false;
    if (tdb_buf_append_str(out, replacement) != TDB_OK) return false;
    return tdb_buf_append_str(out, name + end) == TDB_OK;
}

bool gen_text_traditional(const char *text, tdb_buf *out)
{
    size_t length = strlen(text), pos = 0;
    bool changed = false;
    while (pos < length) {
        size_t start = pos;
        tdb_utf8_next(text, length, &pos);
        const char *replacement = find_pair(traditional, TDB_ARRAY_LEN(traditional), text + start, pos - start);
        if (replacement) {
            changed = true;
            if (tdb_buf_append_str(out, replacement) != TDB_OK) return false;
        } else if (tdb_buf_append(out, text + start, pos - start) != TDB_OK) {
            return false;
        }
    }
    return changed;
}

bool gen_text_separator(gen_rng *rng, const char *name, tdb_buf *out)
{
    /* Clerks type the dot as a space, a full stop, a bullet or the katakana middle dot. */
    static const char *const separators[] = {" ", ".", "\xE2\x80\xA2", "\xE3\x83\xBB", ""};
    const char *dot = strstr(name, NAME_DOT);
    if (!dot) return false;
    if (tdb_buf_append(out, name, (size_t)(dot - name)) != TDB_OK) return false;
    if (tdb_buf_append_str(out, separators[gen_rng_below(rng, TDB_ARRAY_LEN(separators))]) != TDB_OK) return false;
    return tdb_buf_append_str(out, dot + strlen(NAME_DOT)) == TDB_OK;
}

/* Toneless pinyin of names, from the table generated out of Unihan kMandarin.
 *
 * Unihan gives one reading per character, the most common one, and a surname often
 * reads otherwise (单 is dān in words but Shàn as a surname). Names therefore take
 * their surname from a short table of compound surnames and surname readings first,
 * and every other character from the generated table. */
#include "link_pinyin.h"

#include <string.h>

#include "util.h"

/* Compound surnames, kept whole so that 欧阳 is one surname and not 欧 + 阳. */
static const struct {
    int32_t first, second;
    const char *reading_first, *reading_second; /* NULL: the ordinary reading */
} compound_surnames[] = {
    {0x6B27, 0x9633, NULL, NULL},       /* 欧阳 ouyang */
    {0x53F8, 0x9A6C, NULL, NULL},       /* 司马 sima */
    {0x8BF8, 0x845B, NULL, NULL},       /* 诸葛 zhuge */
    {0x4E0A, 0x5B98, NULL, NULL},       /* 上官 shangguan */
    {0x7687, 0x752B, NULL, NULL},       /* 皇甫 huangfu */
    {0x4EE4, 0x72D0, NULL, NULL},       /* 令狐 linghu */
    {0x4E1C, 0x65B9, NULL, NULL},       /* 东方 dongfang */
    {0x6155, 0x5BB9, NULL, NULL},       /* 慕容 murong */
    {0x5C09, 0x8FDF, "yu", "chi"},      /* 尉迟 yuchi */
    {0x53F8, 0x5F92, NULL, NULL},       /* 司徒 situ */
    {0x516C, 0x5B59, NULL, NULL},       /* 公孙 gongsun */
    {0x590F, 0x4FAF, NULL, NULL},       /* 夏侯 xiahou */
    {0x8F69, 0x8F95, NULL, NULL},       /* 轩辕 xuanyuan */
    {0x957F, 0x5B59, "zhang", "sun"},   /* 长孙 zhangsun */
    {0x5B87, 0x6587, NULL, NULL},       /* 宇文 yuwen */
    {0x897F, 0x95E8, NULL, NULL},       /* 西门 ximen */
    {0x5357, 0x5BAB, NULL, NULL},       /* 南宫 nangong */
    {0x72EC, 0x5B64, NULL, NULL},       /* 独孤 dugu */
    {0x7AEF, 0x6728, NULL, NULL},       /* 端木 duanmu */
    {0x6FB9, 0x53F0, "tan", "tai"},     /* 澹台 tantai */
    {0x7533, 0x5C60, NULL, NULL},       /* 申屠 shentu */
    {0x547C, 0x5EF6, NULL, NULL},       /* 呼延 huyan */
    {0x8D6B, 0x8FDE, NULL, NULL},       /* 赫连 helian */
    {0x4E07, 0x4FDF, "mo", "qi"},       /* 万俟 moqi */
    {0x95FB, 0x4EBA, NULL, NULL},       /* 闻人 wenren */
    {0x949F, 0x79BB, NULL, NULL},       /* 钟离 zhongli */
    {0x5B97, 0x653F, NULL, NULL},       /* 宗政 zongzheng */
    {0x6FEE, 0x9633, NULL, NULL},       /* 濮阳 puyang */
    {0x6DF3, 0x4E8E, NULL, NULL},       /* 淳于 chunyu */
    {0x5355, 0x4E8E, "chan", "yu"},     /* 单于 chanyu */
    {0x516C, 0x51B6, NULL, NULL},       /* 公冶 gongye */
    {0x53F8, 0x7A7A, NULL, NULL},       /* 司空 sikong */
    {0x62D3, 0x8DCB, NULL, NULL},       /* 拓跋 tuoba */
};

/* Single-character surnames whose surname reading differs from the first kMandarin
 * reading. */
static const struct {
    int32_t code_point;
    const char *reading;
} surname_readings[] = {
    {0x5355, "shan"},  /* 单 */
    {0x89E3, "xie"},   /* 解 */
    {0x66FE, "zeng"},  /* 曾 */
    {0x4EC7, "qiu"},   /* 仇 */
    {0x533A, "ou"},    /* 区 */
    {0x6734, "piao"},  /* 朴 */
    {0x67E5, "zha"},   /* 查 */
    {0x76D6, "ge"},    /* 盖 */
    {0x7F2A, "miao"},  /* 缪 */
    {0x4E50, "yue"},   /* 乐 */
    {0x79D8, "bi"},    /* 秘 */
    {0x79CD, "chong"}, /* 种 */
    {0x8983, "qin"},   /* 覃 */
    {0x53EC, "shao"},  /* 召 */
    {0x7FDF, "zhai"},  /* 翟 */
    {0x5C09, "yu"},    /* 尉 */
};

uint16_t tdb_pinyin_of(int32_t code_point)
{
    if (code_point >= TDB_PINYIN_DENSE_START && code_point < TDB_PINYIN_DENSE_END)
        return tdb_pinyin_dense[code_point - TDB_PINYIN_DENSE_START];

    size_t low = 0;
    size_t high = tdb_pinyin_entry_count;
    while (low < high) {
        size_t middle = low + (high - low) / 2;
        uint32_t found = tdb_pinyin_entries[middle].code_point;
        if (found == (uint32_t)code_point) return tdb_pinyin_entries[middle].syllable;
        if (found < (uint32_t)code_point)
            low = middle + 1;
        else
            high = middle;
    }
    return TDB_PINYIN_NONE;
}

uint16_t tdb_pinyin_find(const char *text)
{
    size_t low = 0;
    size_t high = tdb_pinyin_syllable_count;
    while (low < high) {
        size_t middle = low + (high - low) / 2;
        int order = strcmp(tdb_pinyin_syllables[middle], text);
        if (order == 0) return (uint16_t)middle;
        if (order < 0)
            low = middle + 1;
        else
            high = middle;
    }
    return TDB_PINYIN_NONE;
}

/* Return the index of the compound surname that starts NAME, or -1. */
static int find_compound_surname(const int32_t *name, size_t length)
{
    if (length < 3) return -1;
    for (size_t i = 0; i < TDB_ARRAY_LEN(compound_surnames); i++) {
        if (name[0] == compound_surnames[i].first && name[1] == compound_surnames[i].second)
            return (int)i;
    }
    return -1;
}

size_t tdb_pinyin_surname_length(const int32_t *name, size_t length)
{
    if (length < 2) return length;
    return find_compound_surname(name, length) >= 0 ? 2 : 1;
}

static uint16_t reading_or_default(const char *reading, int32_t code_point)
{
    uint16_t syllable = reading ? tdb_pinyin_find(reading) : TDB_PINYIN_NONE;
    return syllable != TDB_PINYIN_NONE ? syllable : tdb_pinyin_of(code_point);
}

void tdb_pinyin_of_name(const int32_t *name, size_t length, uint16_t *out)
{
    for (size_t i = 0; i < length; i++) out[i] = tdb_pinyin_of(name[i]);
    if (length < 2) return;

    int compound = find_compound_surname(name, length);
    if (compound >= 0) {
        out[0] = reading_or_default(compound_surnames[compound].reading_first, name[0]);
        out[1] = reading_or_default(compound_surnames[compound].reading_second, name[1]);
        return;
    }
    for (size_t i = 0; i < TDB_ARRAY_LEN(surname_readings); i++) {
        if (name[0] == surname_readings[i].code_point) {
            out[0] = reading_or_default(surname_readings[i].reading, name[0]);
            break;
        }
    }
}

size_t tdb_pinyin_format(const int32_t *name, size_t length, char *out, size_t capacity)
{
    uint16_t syllables[64];
    size_t used = 0;
    if (capacity == 0) return 0;
    out[0] = '\0';
    if (length > TDB_ARRAY_LEN(syllables)) length = TDB_ARRAY_LEN(syllables);
    tdb_pinyin_of_name(name, length, syllables);

    for (size_t i = 0; i < length; i++) {
        const char *text = syllables[i] == TDB_PINYIN_NONE ? "?" : tdb_pinyin_syllables[syllables[i]];
        size_t text_length = strlen(text);
        size_t needed = text_length + (i > 0 ? 1 : 0);
        if (used + needed >= capacity) break;
        if (i > 0) out[used++] = ' ';
        memcpy(out + used, text, text_length);
        used += text_length;
        out[used] = '\0';
    }
    return used;
}

/* Preparation of linkage records: decode every field to code points once, into one
 * arena per side, and compute what blocking and comparison need (hashes, pinyin,
 * birth date, surname length). Then count values over both sides to find generic
 * ones: placeholders such as 无 or 000000000000000000, and values held by so many
 * records (a shared phone, the commonest names) that they identify no one. */
#define _POSIX_C_SOURCE 200809L
#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "link_internal.h"
#include "link_pinyin.h"
#include "util.h"

/* Values that departments write for "unknown"; they are never evidence. */
static const char *const placeholder_values[] = {
    "无", "不详", "未知", "暂无", "空", "其他", "其它", "无名", "null", "NULL", "none", "-", "--",
    "/", "\\", "?", "？", "*", "0",
};

uint64_t tdb_link_hash(const void *bytes, size_t length, uint64_t seed)
{
    uint64_t hash = XXH3_64bits_withSeed(bytes, length, seed);
    return hash ? hash : 1;
}

/* Maximum length of a placeholder in bytes (暂无, 不详, 未知 are 6). */
#define MAX_PLACEHOLDER_BYTES 6

static bool is_placeholder(const char *text)
{
    /* Most values are longer than any placeholder, so check the length first. */
    if (strnlen(text, MAX_PLACEHOLDER_BYTES + 1) > MAX_PLACEHOLDER_BYTES) return false;
    for (size_t i = 0; i < TDB_ARRAY_LEN(placeholder_values); i++) {
        if (strcmp(text, placeholder_values[i]) == 0) return true;
    }
    return false;
}

/* An ID or phone made of one repeated character (000000000000000000, 11111111111). */
static bool is_repeated_character(const int32_t *text, size_t length)
{
    if (length < 5) return false;
    for (size_t i = 1; i < length; i++) {
        if (text[i] != text[0]) return false;
    }
    return true;
}

static const char *record_text(const tdb_link_record *record, int text)
{
    switch (text) {
    case LINK_TEXT_NAME: return record->name;
    case LINK_TEXT_ID: return record->id_number;
    case LINK_TEXT_PHONE: return record->phone;
    default: return record->address_key;
    }
}

static const int text_fields[LINK_TEXTS] = {TDB_LINK_NAME, TDB_LINK_ID_NUMBER, TDB_LINK_PHONE,
                                            TDB_LINK_ADDRESS};

/* Return the code points of TEXT, capped at TDB_LINK_MAX_FIELD_LENGTH; 0 for NULL, the
 * empty string and placeholders. Sets *TRUNCATED when the value is longer and
 * *PLACEHOLDER for a placeholder. */
static size_t text_length(const char *text, bool *truncated, bool *placeholder)
{
    *truncated = false;
    *placeholder = false;
    if (text == NULL || text[0] == '\0') return 0;
    if (is_placeholder(text)) {
        *placeholder = true;
        return 0;
    }
    size_t count = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if ((*p & 0xC0) != 0x80) count++;
    }
    if (count > TDB_LINK_MAX_FIELD_LENGTH) {
        *truncated = true;
        return TDB_LINK_MAX_FIELD_LENGTH;
    }
    return count;
}

static uint32_t parse_digits(const int32_t *text, size_t count)
{
    uint32_t value = 0;
    for (size_t i = 0; i < count; i++) {
        if (text[i] < '0' || text[i] > '9') return 0;
        value = value * 10 + (uint32_t)(text[i] - '0');
    }
    return value;
}

static uint32_t valid_date(uint32_t date)
{
    uint32_t year = date / 10000, month = date / 100 % 100, day = date % 100;
    if (year < 1850 || year > 2100 || month < 1 || month > 12 || day < 1 || day > 31) return 0;
    return date;
}

/* True when ID[0..LENGTH) is all digits, but for a final X: the shape of an ID
 * number, which a credit code with letters does not have. */
static bool has_id_number_shape(const int32_t *id, size_t length)
{
    for (size_t i = 0; i < length; i++) {
        bool digit = id[i] >= '0' && id[i] <= '9';
        if (!digit && !(i == length - 1 && id[i] == 'X')) return false;
    }
    return true;
}

/* Birth date from the record, or else from an 18-digit or 15-digit ID number. */
static uint32_t birth_date_of(const tdb_link_record *record, const int32_t *id, size_t id_length)
{
    if (record->birth_date != NULL && strlen(record->birth_date) == 8) {
        int32_t digits[8];
        tdb_utf8_decode(record->birth_date, 8, digits, 8);
        uint32_t date = valid_date(parse_digits(digits, 8));
        if (date) return date;
    }
    if (!has_id_number_shape(id, id_length)) return 0;
    if (id_length == 18) return valid_date(parse_digits(id + 6, 8));
    if (id_length == 15) {
        uint32_t short_date = parse_digits(id + 6, 6);
        return short_date ? valid_date(19000000 + short_date) : 0;
    }
    return 0;
}

static uint8_t gender_of(const char *gender)
{
    if (gender == NULL) return 0;
    if (strcmp(gender, "M") == 0 || strcmp(gender, "男") == 0) return 1;
    if (strcmp(gender, "F") == 0 || strcmp(gender, "女") == 0) return 2;
    return 0;
}

/* Hash of the name's syllables; a character without a reading enters as itself. */
static uint64_t pinyin_hash(const int32_t *name, const uint16_t *syllables, size_t length)
{
    int32_t key[TDB_LINK_MAX_FIELD_LENGTH];
    for (size_t i = 0; i < length; i++)
        key[i] = syllables[i] != TDB_PINYIN_NONE ? (int32_t)syllables[i] : name[i] | 0x40000000;
    return tdb_link_hash(key, length * sizeof *key, 0x7079);
}

/* Fill ENTRY from RECORD once its texts are laid out in SIDE's arenas. */
static void fill_entry(const tdb_link_record *record, tdb_link_side *side, tdb_link_entry *entry)
{
    for (int text = 0; text < LINK_TEXTS; text++) {
        size_t length = entry->text_lengths[text];
        if (length == 0) continue;
        int32_t *out = (int32_t *)tdb_link_text(side->code_points, entry, text);
        const char *value = record_text(record, text);
        tdb_utf8_decode(value, strlen(value), out, length);

        bool placeholder = (text == LINK_TEXT_ID || text == LINK_TEXT_PHONE) &&
                           is_repeated_character(out, length);
        if (placeholder) entry->generic |= (uint8_t)(1u << text_fields[text]);
        entry->hashes[text] = tdb_link_hash(out, length * sizeof *out, (uint64_t)text);
    }

    size_t name_length = entry->text_lengths[LINK_TEXT_NAME];
    const int32_t *name = tdb_link_text(side->code_points, entry, LINK_TEXT_NAME);
    uint16_t *syllables = side->pinyin + entry->pinyin_offset;
    tdb_pinyin_of_name(name, name_length, syllables);
    entry->surname_length = (uint8_t)tdb_pinyin_surname_length(name, name_length);
    if (name_length > 0) entry->pinyin_hash = pinyin_hash(name, syllables, name_length);

    entry->birth_date = birth_date_of(record, tdb_link_text(side->code_points, entry, LINK_TEXT_ID),
                                      entry->text_lengths[LINK_TEXT_ID]);
    entry->gender = gender_of(record->gender);
}

/* First pass: code point lengths of every text. */
static size_t measure_side(const tdb_link_record *records, size_t count, tdb_link_side *side)
{
    size_t truncated = 0;
#pragma omp parallel for schedule(static) reduction(+ : truncated)
    for (size_t i = 0; i < count; i++) {
        tdb_link_entry *entry = &side->entries[i];
        for (int text = 0; text < LINK_TEXTS; text++) {
            bool cut = false;
            bool placeholder = false;
            entry->text_lengths[text] =
                (uint8_t)text_length(record_text(&records[i], text), &cut, &placeholder);
            truncated += cut;
            if (placeholder) entry->generic |= (uint8_t)(1u << text_fields[text]);
        }
    }
    return truncated;
}

/* Allocate COUNT zeroed entries aligned to 64 bytes, one cache line each. */
static tdb_status allocate_entries(tdb_link_side *side, size_t count)
{
    _Static_assert(sizeof(tdb_link_entry) == 64, "an entry fills one cache line");
    side->entries_allocation = tdb_calloc(count + 1, sizeof(tdb_link_entry));
    if (side->entries_allocation == NULL) return TDB_ERR_NOMEM;
    uintptr_t address = (uintptr_t)side->entries_allocation;
    side->entries = (tdb_link_entry *)((address + 63) & ~(uintptr_t)63);
    return TDB_OK;
}

tdb_status tdb_link_prepare_side(const tdb_link_record *records, size_t count,
                                 tdb_link_side *side)
{
    tdb_status status = TDB_OK;
    memset(side, 0, sizeof *side);
    side->count = count;
    TDB_FORWARD(allocate_entries(side, count));
    side->truncated_values = measure_side(records, count, side);

    /* Lay the texts out record by record, so that one record's texts are adjacent. */
    size_t code_points = 0;
    size_t pinyin = 0;
    for (size_t i = 0; i < count; i++) {
        tdb_link_entry *entry = &side->entries[i];
        TDB_FAIL_IF(code_points > UINT32_MAX || pinyin > UINT32_MAX, TDB_ERR_LIMIT);
        entry->text_offset = (uint32_t)code_points;
        for (int text = 0; text < LINK_TEXTS; text++) code_points += entry->text_lengths[text];
        entry->pinyin_offset = (uint32_t)pinyin;
        pinyin += entry->text_lengths[LINK_TEXT_NAME];
    }
    TDB_FAIL_IF(code_points > UINT32_MAX || pinyin > UINT32_MAX, TDB_ERR_LIMIT);
    side->code_points = tdb_malloc(code_points * sizeof *side->code_points);
    side->pinyin = tdb_malloc(pinyin * sizeof *side->pinyin);
    TDB_FAIL_IF(side->code_points == NULL || side->pinyin == NULL, TDB_ERR_NOMEM);
    side->code_point_count = code_points;
    side->pinyin_count = pinyin;

#pragma omp parallel for schedule(static)
    for (size_t i = 0; i < count; i++) fill_entry(&records[i], side, &side->entries[i]);

cleanup:
    return status;
}

void tdb_link_side_free(tdb_link_side *side)
{
    if (side == NULL) return;
    tdb_free(side->entries_allocation);
    tdb_free(side->code_points);
    tdb_free(side->pinyin);
    memset(side, 0, sizeof *side);
}

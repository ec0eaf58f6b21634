/* The quality rule table, value masking, rate arithmetic and the issue list.
 *
 * The rule table is the single source of the work-order messages: each issue stores
 * both the Chinese and the English text of its rule, so a work order reads the same
 * whatever the locale of the build. docs/quality-rules.md documents every code. */
#include "quality.h"

#include <string.h>

static const tdb_quality_rule rules[] = {
    /* Identifiers, one rule per reason code of the identifier module. */
    {"id_unrecognized", TDB_DIMENSION_ACCURACY, TDB_SEVERITY_ERROR,
     "标识符不符合任何已知证件号码或代码的结构",
     "the identifier has the structure of no known kind of ID number or code"},
    {"id_length", TDB_DIMENSION_ACCURACY, TDB_SEVERITY_ERROR,
     "标识符位数错误", "the identifier has the wrong number of characters"},
    {"id_charset", TDB_DIMENSION_ACCURACY, TDB_SEVERITY_ERROR,
     "标识符含有不允许的字符", "the identifier contains a character its kind does not use"},
    {"id_format", TDB_DIMENSION_ACCURACY, TDB_SEVERITY_ERROR,
     "标识符的字符排列不符合编码规则",
     "the characters of the identifier are not laid out as its kind requires"},
    {"id_checksum", TDB_DIMENSION_ACCURACY, TDB_SEVERITY_ERROR,
     "校验码错误，号码可能录入有误",
     "the check character does not match; the number was probably mistyped"},
    {"id_org_checksum", TDB_DIMENSION_ACCURACY, TDB_SEVERITY_WARNING,
     "统一社会信用代码中嵌入的组织机构代码校验码错误",
     "the check character of the organisation code inside the credit code does not match"},
    {"id_birth_date", TDB_DIMENSION_ACCURACY, TDB_SEVERITY_ERROR,
     "身份号码中的出生日期不是有效日期",
     "the birth date inside the ID number is not a real date in range"},
    {"id_region_unknown", TDB_DIMENSION_ACCURACY, TDB_SEVERITY_WARNING,
     "身份号码的行政区划代码不在区划库中（可能是已撤销的旧代码）",
     "the region code of the ID number is not in the division list (it may be a retired code)"},
    {"id_issue_year", TDB_DIMENSION_ACCURACY, TDB_SEVERITY_ERROR,
     "证书编号中的年份早于2014年或晚于基准日期",
     "the year in the certificate number is before 2014 or after the reference date"},
    {"id_nonstandard", TDB_DIMENSION_NORMATIVITY, TDB_SEVERITY_INFO,
     "标识符未按标准格式填写（全角字符、小写字母、15位旧号码或分隔符），请改为建议值",
     "the identifier is not written in its standard form (full width, lower case, 15-digit "
     "legacy number or separators); use the suggested value"},

    /* Presence. */
    {"placeholder", TDB_DIMENSION_COMPLETENESS, TDB_SEVERITY_WARNING,
     "字段填写了占位值（如“无”“不详”“000000000000000000”），实际值缺失",
     "the field holds a placeholder (such as 无, 不详 or 000000000000000000) instead of a value"},
    {"value_missing", TDB_DIMENSION_COMPLETENESS, TDB_SEVERITY_WARNING,
     "必填字段为空", "a required field is empty"},
    {"row_rejected", TDB_DIMENSION_COMPLETENESS, TDB_SEVERITY_ERROR,
     "该行无法解析或缺少主键，未能入库（原因见问题值）",
     "the row could not be parsed or has no key and was not loaded (the value gives the reason)"},

    /* Links and consistency between sources. */
    {"party_not_found", TDB_DIMENSION_LINK_RATE, TDB_SEVERITY_ERROR,
     "证件号码有效，但在人口库和法人库中均未找到对应主体",
     "the ID number or credit code is valid but found in neither the person nor the legal "
     "entity base table"},
    {"name_mismatch", TDB_DIMENSION_CONSISTENCY, TDB_SEVERITY_WARNING,
     "同一证件号码在基础库中登记的名称不同，建议值为基础库名称",
     "the base table records a different name for the same ID number; the suggestion is "
     "the base table's name"},
    {"name_nonstandard", TDB_DIMENSION_NORMATIVITY, TDB_SEVERITY_INFO,
     "姓名或名称未按规范填写（繁体字、全角字符或多余空格），请改为建议值",
     "the name is not written in its standard form (traditional characters, full width or "
     "extra spaces); use the suggested value"},
    {"duplicate_key", TDB_DIMENSION_CONSISTENCY, TDB_SEVERITY_WARNING,
     "同一数据源中主键重复，该记录与前面的记录主键相同",
     "the key repeats within the source: an earlier record has the same key"},

    /* Dates. */
    {"date_invalid", TDB_DIMENSION_ACCURACY, TDB_SEVERITY_ERROR,
     "日期无法识别或不是有效的日历日期", "the date cannot be read or is not a real calendar date"},
    {"date_future", TDB_DIMENSION_ACCURACY, TDB_SEVERITY_ERROR,
     "日期晚于基准日期", "the date is after the reference date"},
    {"date_too_old", TDB_DIMENSION_ACCURACY, TDB_SEVERITY_WARNING,
     "日期早于1900年", "the date is before 1900"},
    {"stale_record", TDB_DIMENSION_FRESHNESS, TDB_SEVERITY_INFO,
     "记录更新时间超出鲜活期，请核实并更新",
     "the record was last updated longer ago than the freshness window; check and update it"},

    /* Other values. */
    {"gender_invalid", TDB_DIMENSION_ACCURACY, TDB_SEVERITY_ERROR,
     "性别不是“男”或“女”", "the gender is neither male nor female"},
    {"number_invalid", TDB_DIMENSION_ACCURACY, TDB_SEVERITY_ERROR,
     "数值无法识别", "the number cannot be read"},

    /* Addresses, by the level the address registry resolved. */
    {"address_unresolved", TDB_DIMENSION_ACCURACY, TDB_SEVERITY_WARNING,
     "地址无法对应到行政区划", "the address cannot be resolved to any administrative division"},
    {"address_partial", TDB_DIMENSION_ACCURACY, TDB_SEVERITY_INFO,
     "地址只能解析到县级或以上，缺少乡镇（街道）或村（社区）",
     "the address resolves only to county level or above; the town and village are missing"},
    {"address_nonstandard", TDB_DIMENSION_NORMATIVITY, TDB_SEVERITY_INFO,
     "地址未写全省、市、县、乡镇、村各级行政区划名称，建议值为标准地址",
     "the address leaves out an administrative level (province, city, county, town, "
     "village); the suggestion is the standard address"},
};

static const char *const severity_names[TDB_SEVERITY_COUNT] = {"error", "warning", "info"};

static const char *const dimension_names[TDB_DIMENSION_COUNT] = {
    "consistency", "normativity", "completeness", "accuracy", "freshness", "link_rate",
};

const tdb_quality_rule *tdb_quality_rules(size_t *count)
{
    *count = TDB_ARRAY_LEN(rules);
    return rules;
}

const tdb_quality_rule *tdb_quality_rule_at(size_t number)
{
    return number < TDB_ARRAY_LEN(rules) ? &rules[number] : NULL;
}

int tdb_quality_rule_find(const char *code)
{
    for (size_t i = 0; i < TDB_ARRAY_LEN(rules); i++) {
        if (strcmp(rules[i].code, code) == 0) return (int)i;
    }
    return -1;
}

const char *tdb_severity_name(tdb_severity severity)
{
    return (unsigned)severity < TDB_SEVERITY_COUNT ? severity_names[severity] : "info";
}

const char *tdb_dimension_name(tdb_dimension dimension)
{
    return (unsigned)dimension < TDB_DIMENSION_COUNT ? dimension_names[dimension] : "";
}

tdb_status tdb_quality_mask(const char *text, size_t length, tdb_buf *out)
{
    tdb_status status = TDB_OK;
    size_t characters = 0;
    size_t pos = 0;
    while (pos < length) {
        tdb_utf8_next(text, length, &pos);
        characters++;
    }

    /* Short values keep less, so that at least half of them is hidden. */
    size_t head = characters >= 14 ? 6 : characters / 4;
    size_t tail = characters >= 14 ? 4 : characters / 4;
    size_t index = 0;
    pos = 0;
    while (pos < length) {
        size_t start = pos;
        tdb_utf8_next(text, length, &pos);
        if (index < head || index >= characters - tail)
            TDB_FORWARD(tdb_buf_append(out, text + start, pos - start));
        else
            TDB_FORWARD(tdb_buf_append_char(out, '*'));
        index++;
    }
cleanup:
    return status;
}

double tdb_quality_rate(uint64_t numerator, uint64_t denominator, bool *defined)
{
    *defined = denominator > 0;
    return denominator > 0 ? (double)numerator / (double)denominator : 0.0;
}

/* Return true when FIELD of KIND contains a citizen ID number or a credit code. */
static bool field_is_masked(tdb_kind kind, int field)
{
    if (field < 0) return false;
    switch (tdb_field_type_of(kind, (size_t)field)) {
    case TDB_FIELD_ID_NUMBER:
    case TDB_FIELD_USCC:
    case TDB_FIELD_PARTY_ID:
    case TDB_FIELD_PARTY_IDS:
        return true;
    default:
        return false;
    }
}

/* Append TEXT to the arena, masked when MASKED, and store its offset. */
static tdb_status store_text(tdb_buf *arena, const char *text, size_t length, bool masked,
                             uint32_t *offset)
{
    tdb_status status = TDB_OK;
    *offset = (uint32_t)arena->len;
    if (text != NULL && masked)
        TDB_FORWARD(tdb_quality_mask(text, length, arena));
    else if (text != NULL)
        TDB_FORWARD(tdb_buf_append(arena, text, length));
    TDB_FORWARD(tdb_buf_append_char(arena, '\0'));
cleanup:
    return status;
}

static tdb_status push_issue(tdb_quality_issues *issues, const tdb_quality_issue *issue,
                             const char *value, size_t value_length, const char *suggestion,
                             size_t suggestion_length, bool masked)
{
    tdb_status status = TDB_OK;
    tdb_quality_issue item = *issue;
    void *items = issues->items;
    TDB_FORWARD(tdb_grow(&items, &issues->capacity, issues->count + 1, sizeof item));
    issues->items = items;
    TDB_FORWARD(store_text(&issues->arena, value, value_length, masked, &item.value_offset));
    item.has_suggestion = suggestion != NULL;
    item.suggestion_offset = 0;
    if (suggestion != NULL)
        TDB_FORWARD(store_text(&issues->arena, suggestion, suggestion_length, masked,
                               &item.suggestion_offset));
    issues->items[issues->count++] = item;
cleanup:
    return status;
}

tdb_status tdb_quality_add_issue(tdb_quality_issues *issues, const tdb_build_state *state,
                                 tdb_record_ref record, int field, const char *code,
                                 int severity, const char *value, size_t value_length,
                                 const char *suggestion, size_t suggestion_length)
{
    int rule = tdb_quality_rule_find(code);
    if (rule < 0) return TDB_ERR_INVALID;
    const tdb_table *table = &state->ingest.tables[record.table];
    tdb_quality_issue issue = {
        .table = record.table,
        .line = table->lines[record.row],
        .field = field,
        .rule = (uint16_t)rule,
        .severity = (uint8_t)(severity < 0 ? (int)rules[rule].severity : severity),
    };
    return push_issue(issues, &issue, value, value_length, suggestion, suggestion_length,
                      field_is_masked(table->kind, field));
}

tdb_status tdb_quality_add_line_issue(tdb_quality_issues *issues, uint32_t table, uint32_t line,
                                      const char *code, const char *value, size_t value_length)
{
    int rule = tdb_quality_rule_find(code);
    if (rule < 0) return TDB_ERR_INVALID;
    tdb_quality_issue issue = {.table = table, .line = line, .field = -1, .rule = (uint16_t)rule,
                               .severity = (uint8_t)rules[rule].severity};
    return push_issue(issues, &issue, value, value_length, NULL, 0, false);
}

void tdb_quality_issues_free(tdb_quality_issues *issues)
{
    tdb_free(issues->items);
    tdb_buf_free(&issues->arena);
    memset(issues, 0, sizeof *issues);
}

void tdb_quality_result_free(tdb_quality_result *result)
{
    tdb_quality_issues_free(&result->issues);
    tdb_free(result->counts);
    memset(result, 0, sizeof *result);
}

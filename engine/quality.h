/* Quality stage: rule checks that turn problems in the source records into work
 * orders (quality_issue rows) for the department that owns each source, and the
 * metrics per source, field and dimension (quality_metric rows).
 *
 * Each ingest table is checked on its own, with its own issue list and counters, and
 * the results are concatenated in table order, so the output is the same whatever
 * the thread count. docs/quality-rules.md lists every rule code. */
#ifndef THEMEDB_QUALITY_H
#define THEMEDB_QUALITY_H

#include <stdbool.h>
#include <stdint.h>

#include "build.h"
#include "out_sqlite.h"

typedef enum tdb_severity {
    TDB_SEVERITY_ERROR,
    TDB_SEVERITY_WARNING,
    TDB_SEVERITY_INFO,
    TDB_SEVERITY_COUNT
} tdb_severity;

/* The measured dimensions of the programme's data-quality targets. */
typedef enum tdb_dimension {
    TDB_DIMENSION_CONSISTENCY,   /* 一致性: a name agrees with the base record of its ID */
    TDB_DIMENSION_NORMATIVITY,   /* 规范性: the value is written in its standard form */
    TDB_DIMENSION_COMPLETENESS,  /* 完整性: the value is present */
    TDB_DIMENSION_ACCURACY,      /* 准确性: the value passes its checks */
    TDB_DIMENSION_FRESHNESS,     /* 鲜活率: updated within freshness_days of as_of */
    TDB_DIMENSION_LINK_RATE,     /* 信息共享率: the owner or holder links to a base record */
    TDB_DIMENSION_COUNT
} tdb_dimension;

/* One rule: a stable code, the dimension it counts against, its default severity,
 * and the work-order message in Chinese and English (both stored in every issue,
 * whatever the locale). */
typedef struct tdb_quality_rule {
    const char *code;
    tdb_dimension dimension;
    tdb_severity severity;
    const char *message_zh;
    const char *message_en;
} tdb_quality_rule;

/* Return the rule table and its length through COUNT. */
const tdb_quality_rule *tdb_quality_rules(size_t *count);

/* Return the rule numbered NUMBER in the table, or NULL when out of range. */
const tdb_quality_rule *tdb_quality_rule_at(size_t number);

/* Return the number of the rule CODE in the table, or -1 when there is no such rule. */
int tdb_quality_rule_find(const char *code);

/* Return the stable name of SEVERITY ("error", "warning", "info") or DIMENSION
 * ("consistency", ..., "link_rate"). */
const char *tdb_severity_name(tdb_severity severity);
const char *tdb_dimension_name(tdb_dimension dimension);

/* Append TEXT[0..LENGTH) to OUT with its middle characters replaced by '*'.
 * Characters are UTF-8 code points. A value of 14 or more characters keeps its first
 * 6 (the region code) and last 4, as in 441622********1234. A shorter value keeps a
 * quarter at each end. Returns TDB_OK or TDB_ERR_NOMEM. */
tdb_status tdb_quality_mask(const char *text, size_t length, tdb_buf *out);

/* Return NUMERATOR / DENOMINATOR and set *DEFINED, or return 0 and clear *DEFINED
 * when DENOMINATOR is 0 (the metric's rate is then NULL). */
double tdb_quality_rate(uint64_t numerator, uint64_t denominator, bool *defined);

/* One work order. Texts live in the owning list's arena. */
typedef struct tdb_quality_issue {
    uint32_t table;              /* ingest table */
    uint32_t line;               /* line where the record starts, 0 for none */
    int32_t field;               /* canonical field of the table's kind, -1 for the record */
    uint16_t rule;               /* number in the rule table */
    uint8_t severity;            /* tdb_severity */
    bool has_suggestion;
    uint32_t value_offset;       /* masked value, NUL-terminated; "" stores NULL */
    uint32_t suggestion_offset;
} tdb_quality_issue;

typedef struct tdb_quality_issues {
    tdb_quality_issue *items;
    size_t count;
    size_t capacity;
    tdb_buf arena;
} tdb_quality_issues;

/* Numerator and denominator of one metric of one ingest table. */
typedef struct tdb_quality_count {
    uint64_t numerator;
    uint64_t denominator;
    bool measured;               /* the dimension applies to this field */
} tdb_quality_count;

/* Per-table counters: [field][dimension], plus whole-record measures in row
 * TDB_MAX_FIELDS (the '*' field of quality_metric). */
typedef struct tdb_quality_counts {
    tdb_quality_count cells[TDB_MAX_FIELDS + 1][TDB_DIMENSION_COUNT];
} tdb_quality_counts;

typedef struct tdb_quality_result {
    tdb_quality_issues issues;
    tdb_quality_counts *counts;  /* one per ingest table */
    size_t table_count;
} tdb_quality_result;

/* Add an issue about FIELD (-1 for the whole record) of RECORD under the rule CODE.
 * SEVERITY < 0 takes the rule's default. VALUE and SUGGESTION (NULL when none) are
 * masked when FIELD contains a citizen ID number or credit code. This is the entry point
 * for later stages that find a likely correct value, such as fuzzy linkage proposing
 * the ID number a mistyped one was meant to be. Returns TDB_OK, TDB_ERR_INVALID for an
 * unknown CODE, or TDB_ERR_NOMEM. */
tdb_status tdb_quality_add_issue(tdb_quality_issues *issues, const tdb_build_state *state,
                                 tdb_record_ref record, int field, const char *code,
                                 int severity, const char *value, size_t value_length,
                                 const char *suggestion, size_t suggestion_length);

/* Add an issue about line LINE of ingest table TABLE, for records that never became
 * rows (rejects). Same contract as tdb_quality_add_issue. */
tdb_status tdb_quality_add_line_issue(tdb_quality_issues *issues, uint32_t table, uint32_t line,
                                      const char *code, const char *value, size_t value_length);

/* Read-only state shared by the table checks. */
typedef struct tdb_quality_context {
    const tdb_build_state *state;
    long as_of_days;             /* the build's as_of, in days since 1970-01-01 */
    long freshness_days;         /* updated_at older than this many days is stale */
} tdb_quality_context;

/* Return the link that starts at RECORD for co-owner SEQ (0 for single owners), or
 * NULL when the reference did not link. */
const tdb_link *tdb_quality_find_link(const tdb_quality_context *context, tdb_record_ref record,
                                      uint32_t seq);

/* Return the theme entity kind built from source KIND, or TDB_ENTITY_COUNT for kinds
 * without theme entities (divisions, address points). */
tdb_entity_kind tdb_quality_entity_kind(tdb_kind kind);

/* Return the days since 1970-01-01 of the Gregorian date YYYYMMDD. */
long tdb_quality_days(int date);

/* Check every record of ingest table TABLE, appending its issues to ISSUES (which
 * must start zeroed) and filling COUNTS. Reads CONTEXT only, so several tables can
 * be checked at once from different threads. */
tdb_status tdb_quality_check_table(const tdb_quality_context *context, size_t table,
                                   tdb_quality_issues *issues, tdb_quality_counts *counts);

/* Run the quality stage over the whole build state (after linking). RESULT must be
 * zeroed; free it with tdb_quality_result_free whatever the status. */
tdb_status tdb_quality_run(const tdb_build_state *state, tdb_quality_result *result);

/* Write RESULT as quality_issue and quality_metric rows. */
tdb_status tdb_quality_write(const tdb_build_state *state, const tdb_quality_result *result,
                             tdb_writer *writer);

/* Free the issues and counts; accepts a zeroed or partly filled RESULT. */
void tdb_quality_result_free(tdb_quality_result *result);
void tdb_quality_issues_free(tdb_quality_issues *issues);

#endif

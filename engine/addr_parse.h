/* Internal state of the address parser, shared by its stages: division resolution
 * (addr_parse.c), the lexer of the detail part (addr_lex.c) and the output builder
 * (addr_output.c). */
#ifndef THEMEDB_ADDR_PARSE_H
#define THEMEDB_ADDR_PARSE_H

#include <stdbool.h>
#include <stdint.h>

#include "addr_gazetteer.h"
#include "themedb/address.h"
#include "util.h"

#define ADDR_CHARS_MAX TDB_ADDRESS_INPUT_MAX
#define ADDR_SPANS_MAX 32

/* A piece of the folded input assigned to a component. VALUE is the normalized text
 * (numbers in Arabic digits, markers unified); it lives in the scratch value pool. */
typedef struct addr_span {
    tdb_addr_component component;
    uint16_t start; /* character positions in scratch->chars */
    uint16_t end;
    uint16_t value_offset;
    uint16_t value_length;
} addr_span;

/* One resolved division read from the text. */
typedef struct addr_segment {
    uint32_t unit;
    uint16_t start;
    uint16_t end;
    uint32_t flags; /* TDB_ADDR_ALIAS_USED, TDB_ADDR_RENAMED, TDB_ADDR_SCOPE_USED */
} addr_segment;

struct tdb_address_scratch {
    tdb_buf folded;
    int32_t chars[ADDR_CHARS_MAX];
    uint16_t offsets[ADDR_CHARS_MAX + 1]; /* byte offset of each character in folded */
    size_t count;

    /* Division resolution. */
    const tdb_gazetteer *g;
    uint32_t scope; /* unit index of the scope hint, or TDB_GAZ_NONE */
    addr_segment segments[TDB_LEVEL_VILLAGE + 3];
    size_t segment_count;
    addr_segment trial[TDB_LEVEL_VILLAGE + 3];
    double best_score;
    size_t admin_end;
    uint32_t deepest;
    uint32_t flags;
    long search_steps;

    /* Detail lexing. */
    addr_span spans[ADDR_SPANS_MAX];
    size_t span_count;
    char values[TDB_ADDRESS_TEXT_MAX];
    size_t values_length;

    tdb_buf key_input;
};

/* Resolve the divisions at the start of scratch->chars. */
void tdb_addr_resolve(tdb_address_scratch *scratch);

/* Lex scratch->chars[scratch->admin_end..count) into spans. */
void tdb_addr_lex(tdb_address_scratch *scratch);

/* Append a span for COMPONENT over characters [START, END) with value VALUE. Returns
 * false when the span table or value pool is full. */
bool tdb_addr_add_span(tdb_address_scratch *scratch, tdb_addr_component component,
                       size_t start, size_t end, const char *value, size_t value_length);

/* Append the UTF-8 of characters [START, END) to BUF (at most CAPACITY bytes); returns
 * the bytes written. */
size_t tdb_addr_copy_chars(const tdb_address_scratch *scratch, size_t start, size_t end,
                           char *buf, size_t capacity);

/* Fill OUT from the resolved segments and the lexed spans. */
tdb_status tdb_addr_build_output(tdb_address_scratch *scratch, tdb_address *out);

#endif

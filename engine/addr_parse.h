/* Internal state of the address parser, shared by its stages: division resolution
 * (addr_parse.c), the lexer of the detail part (addr_lex.c) and the output builder
 * (addr_output.c). */
#ifndef THEMEDB_ADDR_PARSE_H
#define THEMEDB_ADDR_PARSE_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <uchar.h>

#include "addr_gazetteer.h"
#include "themedb/address.h"
#include "util.h"

#define ADDR_CHARS_MAX TDB_ADDRESS_INPUT_MAX
#define ADDR_SPANS_MAX 32
#define ADDR_CLASS_TABLE_SIZE 1024 /* a power of two, at most 1/8 full */

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

/* The gazetteer keys that start at one position: at most ADDR_KEY_HITS_MAX, in order of
 * length (a position starts few keys: 河源, 河源市). */
#define ADDR_KEY_HITS_MAX 6
typedef struct addr_key_hits {
    uint32_t generation; /* the scratch's generation when computed */
    uint8_t count;
    uint16_t ends[ADDR_KEY_HITS_MAX];
    const tdb_gaz_slot *slots[ADDR_KEY_HITS_MAX];
} addr_key_hits;

/* A search state (position, division read last) and the best score it was reached
 * with; entries of an older generation are empty. */
#define ADDR_VISITS_MAX 128
typedef struct addr_visit {
    uint32_t generation;
    uint16_t pos;
    uint32_t cur;
    double score;
} addr_visit;

struct tdb_address_scratch {
    tdb_buf folded;
    int32_t chars[ADDR_CHARS_MAX];
    uint16_t offsets[ADDR_CHARS_MAX + 1]; /* byte offset of each character in folded */
    size_t count;

    /* Division resolution. */
    const tdb_gazetteer *g;
    uint32_t scope; /* unit index of the scope hint, or TDB_GAZ_NONE */
    /* The last scope hint resolved, because callers pass the same one every time. */
    struct {
        const tdb_gazetteer *g;
        const tdb_gaz_unit *units; /* g->units then, to notice a new gazetteer */
        size_t count;
        char text[16];
        uint32_t unit;
    } scope_cache;
    addr_segment segments[TDB_LEVEL_VILLAGE + 3];
    size_t segment_count;
    addr_segment trial[TDB_LEVEL_VILLAGE + 3];
    double best_score;
    size_t admin_end;
    uint32_t deepest;
    uint32_t flags;
    long search_steps;
    addr_key_hits key_hits[ADDR_CHARS_MAX];
    addr_visit visits[ADDR_VISITS_MAX];
    uint32_t generation; /* of the current parse, for the visit table and key hits */

    /* Detail lexing. */
    uint8_t classes[ADDR_CHARS_MAX]; /* character classes of addr_lex.c */
    struct {
        int32_t cp; /* 0 marks an empty slot */
        uint8_t classes;
    } class_table[ADDR_CLASS_TABLE_SIZE]; /* the few characters with a class */
    addr_span spans[ADDR_SPANS_MAX];
    size_t span_count;
    char values[TDB_ADDRESS_TEXT_MAX];
    size_t values_length;

};

/* Return true when code point CP is one of the characters of SET (a U"" literal). */
static inline bool tdb_addr_char_in(int32_t cp, const char32_t *set)
{
    for (; *set; set++) {
        if ((int32_t)*set == cp) return true;
    }
    return false;
}

/* Return the length in characters of WORD (a U"" literal) when the input has it at
 * character POS, else 0. */
static inline size_t tdb_addr_word_at(const tdb_address_scratch *scratch, size_t pos,
                                      const char32_t *word)
{
    size_t length = 0;
    for (; word[length]; length++) {
        if (pos + length >= scratch->count || scratch->chars[pos + length] != (int32_t)word[length])
            return 0;
    }
    return length;
}

/* Resolve the divisions at the start of scratch->chars. */
void tdb_addr_resolve(tdb_address_scratch *scratch);

/* Fill the scratch's character class table; called once when the scratch is made. */
void tdb_addr_lex_init(tdb_address_scratch *scratch);

/* Lex scratch->chars[scratch->admin_end..count) into spans. */
void tdb_addr_lex(tdb_address_scratch *scratch);

/* Append a span for COMPONENT over characters [START, END) with value VALUE. Returns
 * false when the span table or value pool is full. */
bool tdb_addr_add_span(tdb_address_scratch *scratch, tdb_addr_component component,
                       size_t start, size_t end, const char *value, size_t value_length);

/* Copy the UTF-8 of characters [START, END) into BUF, at most CAPACITY bytes, and
 * return the bytes written. */
size_t tdb_addr_copy_chars(const tdb_address_scratch *scratch, size_t start, size_t end,
                           char *buf, size_t capacity);

/* Fill OUT from the resolved segments and the lexed spans. */
void tdb_addr_build_output(tdb_address_scratch *scratch, tdb_address *out);

#endif

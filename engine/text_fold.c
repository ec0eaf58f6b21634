/* Text folding for matching: NFKC, look-alike and traditional characters, width and
 * whitespace.
 *
 * The one idea: almost every code point in Chinese records is ASCII or a CJK unified
 * ideograph, and both are already NFKC-stable, so those take a fast path straight to the
 * table lookup. Everything else is gathered into a short run and normalized by utf8proc
 * into a stack buffer, so nothing is allocated except by growing the output buffer. */
#include "themedb/text.h"

#include <stdbool.h>
#include <stdint.h>

#include <utf8proc.h>

#include "text_table.h"
#include "util.h"

/* Code points normalized together at most; a run this long is flushed in pieces.
 * NOTE: a combining sequence split at that boundary is not composed. */
#define FOLD_RUN_MAX 64
/* Decomposed code points per run: the longest NFKC expansion is 18 code points
 * (U+FDFA in Unicode 13), so a full run always fits. */
#define FOLD_DECOMPOSED_MAX (FOLD_RUN_MAX * 18)

typedef struct fold_state {
    tdb_buf *out;
    tdb_fold_spaces spaces;
    bool pending_space; /* a whitespace run was seen after some output */
} fold_state;

int tdb_text_fold_ideograph(int cp)
{
    size_t low = 0;
    size_t high = tdb_fold_pair_count;

    if (cp < 0x2E80) return cp;
    while (low < high) {
        size_t middle = low + (high - low) / 2;
        uint32_t from = tdb_fold_pairs[middle].from;
        if (from == (uint32_t)cp) return (int)tdb_fold_pairs[middle].to;
        if (from < (uint32_t)cp)
            low = middle + 1;
        else
            high = middle;
    }
    return cp;
}

static bool is_fold_space(int32_t cp)
{
    return cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || cp == 0x85 || cp == 0xA0 ||
           cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 ||
           cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

/* Control, format and zero-width characters that carry no text. */
static bool is_ignorable(int32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || (cp >= 0x200B && cp <= 0x200F) ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2064) ||
           cp == 0xFEFF || cp == 0xAD || (cp >= 0xFE00 && cp <= 0xFE0F);
}

static bool is_dash(int32_t cp)
{
    return (cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212 || cp == 0xFE58 || cp == 0xFE63 ||
           cp == 0x2E3A || cp == 0x2E3B || cp == 0x30FC || cp == 0x2500 || cp == 0x2501;
}

/* Append one NFKC-normalized code point after the table, dash and case folds. */
static tdb_status fold_emit(fold_state *state, int32_t cp)
{
    tdb_status status = TDB_OK;

    if (is_fold_space(cp)) {
        if (state->spaces == TDB_FOLD_SPACES_COLLAPSE && state->out->len > 0)
            state->pending_space = true;
        return TDB_OK;
    }
    if (is_ignorable(cp)) return TDB_OK;

    if (state->pending_space) {
        state->pending_space = false;
        TDB_FORWARD(tdb_buf_append_char(state->out, ' '));
    }
    if (cp < 0x80) {
        if (cp >= 'a' && cp <= 'z') cp -= 'a' - 'A';
        TDB_FORWARD(tdb_buf_append_char(state->out, (char)cp));
        return TDB_OK;
    }
    if (is_dash(cp)) {
        TDB_FORWARD(tdb_buf_append_char(state->out, '-'));
        return TDB_OK;
    }
    TDB_FORWARD(tdb_buf_append_utf8(state->out, tdb_text_fold_ideograph(cp)));

cleanup:
    return status;
}

/* Normalize RUN[0..COUNT) to NFKC and emit the result. */
static tdb_status fold_flush_run(fold_state *state, const int32_t *run, size_t count)
{
    tdb_status status = TDB_OK;
    utf8proc_uint8_t encoded[FOLD_RUN_MAX * 4];
    utf8proc_int32_t decomposed[FOLD_DECOMPOSED_MAX];
    utf8proc_ssize_t encoded_length = 0;
    const utf8proc_option_t options = UTF8PROC_COMPAT | UTF8PROC_STABLE;
    const utf8proc_option_t decompose_options = options | UTF8PROC_DECOMPOSE;

    if (count == 0) return TDB_OK;
    for (size_t i = 0; i < count; i++)
        encoded_length += utf8proc_encode_char(run[i], encoded + encoded_length);

    utf8proc_ssize_t decomposed_count =
        utf8proc_decompose(encoded, encoded_length, decomposed, FOLD_DECOMPOSED_MAX,
                           decompose_options);
    if (decomposed_count < 0 || decomposed_count > FOLD_DECOMPOSED_MAX) {
        /* Not expected, because the buffer fits the longest expansion; emit as is. */
        for (size_t i = 0; i < count; i++) TDB_FORWARD(fold_emit(state, run[i]));
        return TDB_OK;
    }
    decomposed_count = utf8proc_normalize_utf32(decomposed, decomposed_count,
                                                options | UTF8PROC_COMPOSE);
    for (utf8proc_ssize_t i = 0; i < decomposed_count; i++)
        TDB_FORWARD(fold_emit(state, decomposed[i]));

cleanup:
    return status;
}

/* ASCII and the main CJK block are NFKC-stable and never compose with a neighbour. */
static bool is_stable(int32_t cp)
{
    return cp < 0x80 || (cp >= 0x4E00 && cp <= 0x9FFF);
}

static int32_t decode_next(const char *text, size_t length, size_t *pos)
{
    int32_t cp = tdb_utf8_next(text, length, pos);
    return cp < 0 ? 0xFFFD : cp;
}

tdb_status tdb_text_fold_with(const char *text, size_t length, tdb_fold_spaces spaces,
                              tdb_buf *out)
{
    tdb_status status = TDB_OK;
    fold_state state = {out, spaces, false};
    int32_t run[FOLD_RUN_MAX];
    size_t run_count = 0;
    size_t pos = 0;

    /* Make sure OUT is a valid string even when TEXT folds to nothing. */
    TDB_FORWARD(tdb_buf_append(out, "", 0));
    int32_t cp = pos < length ? decode_next(text, length, &pos) : -1;
    while (cp >= 0) {
        int32_t next = pos < length ? decode_next(text, length, &pos) : -1;

        /* A stable code point followed by another one (or the end) skips utf8proc. */
        if (is_stable(cp) && (next < 0 || is_stable(next))) {
            TDB_FORWARD(fold_flush_run(&state, run, run_count));
            run_count = 0;
            TDB_FORWARD(fold_emit(&state, cp));
        } else {
            if (run_count == FOLD_RUN_MAX) {
                TDB_FORWARD(fold_flush_run(&state, run, run_count));
                run_count = 0;
            }
            run[run_count++] = cp;
        }
        cp = next;
    }
    TDB_FORWARD(fold_flush_run(&state, run, run_count));

cleanup:
    return status;
}

tdb_status tdb_text_fold(const char *text, size_t length, tdb_buf *out)
{
    return tdb_text_fold_with(text, length, TDB_FOLD_SPACES_DROP, out);
}

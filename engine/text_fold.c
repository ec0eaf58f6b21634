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
#include <string.h>

#include <utf8proc.h>

#include "text_table.h"
#include "text_utf8.h"
#include "util.h"

/* Code points normalized together at most; a longer run is flushed in pieces, each
 * ending before a starter, so no combining sequence is split. */
#define FOLD_RUN_MAX 64
/* Decomposed code points per run: the longest NFKC expansion is 18 code points
 * (U+FDFA in Unicode 13), so a full run always fits. */
#define FOLD_DECOMPOSED_MAX (FOLD_RUN_MAX * 18)

typedef struct fold_state {
    tdb_buf *out;
    tdb_fold_spaces spaces;
    bool pending_space;  /* a whitespace run was seen after some output */
    bool space_dropped;  /* the last character was whitespace that was dropped */
    size_t start_length; /* OUT's length before this fold */
} fold_state;

int tdb_text_fold_ideograph(int cp)
{
    size_t low = 0;
    size_t high = tdb_fold_pair_count;

    if (cp < TDB_FOLD_BITMAP_FIRST) return cp;
    if (cp < TDB_FOLD_BITMAP_END) {
        int bit = cp - TDB_FOLD_BITMAP_FIRST;
        if (!(tdb_fold_bitmap[bit / 16] & (1u << (bit % 16)))) return cp;
    }
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

/* Append CP to OUT, writing in place when the buffer has room (it usually has, because
 * tdb_text_fold_with reserves the input length up front). */
static tdb_status emit_code_point(tdb_buf *out, int32_t cp)
{
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) cp = 0xFFFD;
    if (out->len + 5 > out->cap) return tdb_buf_append_utf8(out, cp);
    out->len += tdb_utf8_encode_fast(cp, out->data + out->len);
    out->data[out->len] = '\0';
    return TDB_OK;
}

/* Append one NFKC-normalized code point after the table, dash and case folds. */
static tdb_status fold_emit(fold_state *state, int32_t cp)
{
    tdb_status status = TDB_OK;

    /* The common case first: an ideograph of the main CJK block is no space, control
     * character, combining mark or dash. */
    if (cp >= 0x4E00 && cp <= 0x9FFF && !state->pending_space) {
        state->space_dropped = false;
        return emit_code_point(state->out, tdb_text_fold_ideograph(cp));
    }
    if (is_fold_space(cp)) {
        if (state->spaces == TDB_FOLD_SPACES_COLLAPSE && state->out->len > state->start_length)
            state->pending_space = true;
        else
            state->space_dropped = true;
        return TDB_OK;
    }
    if (is_ignorable(cp)) return TDB_OK;
    /* NFKC turns a spacing accent into a space and a combining mark (U+02D9 → U+0020
     * U+0307). With the space dropped, the mark would combine with the character
     * before it on a second fold, so it goes too: folding stays idempotent. */
    if (state->space_dropped && cp >= 0x300 && utf8proc_get_property(cp)->combining_class != 0)
        return TDB_OK;
    state->space_dropped = false;

    if (state->pending_space) {
        state->pending_space = false;
        TDB_FORWARD(emit_code_point(state->out, ' '));
    }
    if (cp < 0x80) {
        if (cp >= 'a' && cp <= 'z') cp -= 'a' - 'A';
        return emit_code_point(state->out, cp);
    }
    if (is_dash(cp)) return emit_code_point(state->out, '-');
    TDB_FORWARD(emit_code_point(state->out, tdb_text_fold_ideograph(cp)));

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

/* Decode the next code point that is not ignorable, or return -1 at the end. Control
 * and zero-width characters go before normalization, so that they cannot separate
 * combining marks that NFKC would otherwise reorder. */
static int32_t decode_next(const char *text, size_t length, size_t *pos)
{
    while (*pos < length) {
        int32_t cp = tdb_utf8_next_fast(text, length, pos);
        if (!is_ignorable(cp)) return cp;
    }
    return -1;
}

static bool is_starter(int32_t cp)
{
    return cp < 0x300 || utf8proc_get_property(cp)->combining_class == 0;
}

/* Flush a full run up to its last starter and keep the rest, so that a combining
 * sequence is normalized as a whole. Returns the count kept. */
static tdb_status flush_full_run(fold_state *state, int32_t *run, size_t *count)
{
    size_t starter_end = *count; /* one past the last starter */
    while (starter_end > 0 && !is_starter(run[starter_end - 1])) starter_end--;
    /* Flush before the last starter. With the 30-mark limit a full run always has one
     * after its first code point; without it, everything is flushed. */
    size_t split = starter_end > 1 ? starter_end - 1 : *count;
    tdb_status status = fold_flush_run(state, run, split);
    if (status != TDB_OK) return status;
    memmove(run, run + split, (*count - split) * sizeof run[0]);
    *count -= split;
    return TDB_OK;
}

tdb_status tdb_text_fold_with(const char *text, size_t length, tdb_fold_spaces spaces,
                              tdb_buf *out)
{
    tdb_status status = TDB_OK;
    fold_state state = {out, spaces, false, false, out->len};
    int32_t run[FOLD_RUN_MAX];
    size_t run_count = 0;
    size_t pos = 0;

    /* Reserve room for the usual case, where the output is no longer than the input.
     * This also makes OUT a valid string when TEXT folds to nothing. */
    void *data = out->data;
    TDB_FORWARD(tdb_grow(&data, &out->cap, out->len + length + 16, 1));
    out->data = data;
    out->data[out->len] = '\0';
    size_t non_starters = 0;
    int32_t cp = decode_next(text, length, &pos);
    while (cp >= 0) {
        int32_t next = decode_next(text, length, &pos);

        /* A stable code point followed by another one (or the end) skips utf8proc. */
        if (is_stable(cp) && (next < 0 || is_stable(next))) {
            if (run_count > 0) TDB_FORWARD(fold_flush_run(&state, run, run_count));
            run_count = 0;
            non_starters = 0;
            TDB_FORWARD(fold_emit(&state, cp));
        } else {
            /* As in the stream-safe format of UAX #15, at most 30 combining marks in a
             * row are kept, so a run always has a starter to split at. */
            non_starters = is_starter(cp) ? 0 : non_starters + 1;
            if (non_starters <= 30) {
                if (run_count == FOLD_RUN_MAX) TDB_FORWARD(flush_full_run(&state, run, &run_count));
                run[run_count++] = cp;
            }
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

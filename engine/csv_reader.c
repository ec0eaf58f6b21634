/* Streaming CSV reader.
 *
 * Input flows through three buffers: raw file bytes (hashed as they are read), plain
 * bytes (inflated when the file starts with the gzip magic bytes), and UTF-8 text
 * (converted with iconv when the source is GB18030). The record parser reads the text
 * buffer one byte at a time. A byte sequence that iconv cannot convert becomes the byte
 * 0xFF, which never occurs in valid UTF-8, so the record that contains it fails UTF-8
 * validation and is rejected as invalid_encoding instead of stopping the file. */
#define _POSIX_C_SOURCE 200809L
#include "csv_reader.h"

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <string.h>

#define XXH_INLINE_ALL
#include <xxhash.h>
#include <zlib.h>

#include "util.h"

enum {
    RAW_CAPACITY = 1 << 16,
    PLAIN_CAPACITY = 1 << 16,
    TEXT_CAPACITY = 1 << 18,
    RAW_RECORD_CAP = 1 << 16,
    INVALID_BYTE_MARKER = 0xFF
};

struct tdb_csv_reader {
    tdb_csv_options options;

    FILE *file;
    const unsigned char *memory;
    size_t memory_size;
    size_t memory_pos;
    XXH3_state_t hash;
    uint64_t raw_byte_count;

    unsigned char raw[RAW_CAPACITY];
    size_t raw_len;
    size_t raw_pos;
    bool raw_eof;

    bool format_known;
    bool gzip;
    bool gzip_member_done;
    z_stream inflater;
    bool inflater_open;

    unsigned char plain[PLAIN_CAPACITY];
    size_t plain_len;
    size_t plain_pos;
    bool plain_eof;

    iconv_t converter;
    unsigned char text[TEXT_CAPACITY];
    size_t text_len;
    size_t text_pos;
    bool text_eof;

    long line;
    bool at_file_start;

    tdb_buf field_bytes;        /* all fields of the current record, NUL-separated */
    size_t *field_offsets;
    size_t *field_lengths;
    const char **field_pointers;
    size_t field_capacity;
    tdb_buf raw_record;

    char error_message[256];
};

/* ---- input layers --------------------------------------------------------------- */

static tdb_status read_raw(tdb_csv_reader *reader)
{
    if (reader->raw_pos < reader->raw_len) {
        memmove(reader->raw, reader->raw + reader->raw_pos, reader->raw_len - reader->raw_pos);
    }
    reader->raw_len -= reader->raw_pos;
    reader->raw_pos = 0;

    size_t room = RAW_CAPACITY - reader->raw_len;
    size_t got;
    if (reader->file != NULL) {
        got = fread(reader->raw + reader->raw_len, 1, room, reader->file);
        if (got < room && ferror(reader->file)) {
            snprintf(reader->error_message, sizeof reader->error_message, "%s",
                     strerror(errno));
            return TDB_ERR_IO;
        }
        if (got < room) reader->raw_eof = true;
    } else {
        size_t left = reader->memory_size - reader->memory_pos;
        got = left < room ? left : room;
        memcpy(reader->raw + reader->raw_len, reader->memory + reader->memory_pos, got);
        reader->memory_pos += got;
        if (reader->memory_pos == reader->memory_size) reader->raw_eof = true;
    }
    XXH3_64bits_update(&reader->hash, reader->raw + reader->raw_len, got);
    reader->raw_byte_count += got;
    reader->raw_len += got;
    return TDB_OK;
}

static tdb_status detect_format(tdb_csv_reader *reader)
{
    while (reader->raw_len < 2 && !reader->raw_eof) {
        tdb_status status = read_raw(reader);
        if (status != TDB_OK) return status;
    }
    reader->format_known = true;
    reader->gzip = reader->raw_len >= 2 && reader->raw[0] == 0x1f && reader->raw[1] == 0x8b;
    if (reader->gzip) {
        memset(&reader->inflater, 0, sizeof reader->inflater);
        if (inflateInit2(&reader->inflater, 16 + MAX_WBITS) != Z_OK) return TDB_ERR_NOMEM;
        reader->inflater_open = true;
    }
    return TDB_OK;
}

static tdb_status inflate_some(tdb_csv_reader *reader, size_t room)
{
    if (reader->raw_pos == reader->raw_len && !reader->raw_eof) {
        tdb_status status = read_raw(reader);
        if (status != TDB_OK) return status;
    }
    if (reader->raw_pos == reader->raw_len && reader->raw_eof) {
        if (!reader->gzip_member_done) {
            snprintf(reader->error_message, sizeof reader->error_message,
                     "gzip stream is truncated");
            return TDB_ERR_FORMAT;
        }
        reader->plain_eof = true;
        return TDB_OK;
    }
    if (reader->gzip_member_done) {
        /* Another gzip member follows, as `cat a.gz b.gz` produces. */
        inflateReset(&reader->inflater);
        reader->gzip_member_done = false;
    }

    z_stream *stream = &reader->inflater;
    stream->next_in = reader->raw + reader->raw_pos;
    stream->avail_in = (uInt)(reader->raw_len - reader->raw_pos);
    stream->next_out = reader->plain + reader->plain_len;
    stream->avail_out = (uInt)room;
    int result = inflate(stream, Z_NO_FLUSH);
    reader->raw_pos = reader->raw_len - stream->avail_in;
    reader->plain_len += room - stream->avail_out;
    if (result == Z_STREAM_END) {
        reader->gzip_member_done = true;
    } else if (result != Z_OK && result != Z_BUF_ERROR) {
        snprintf(reader->error_message, sizeof reader->error_message,
                 "gzip stream is corrupt (%s)", stream->msg ? stream->msg : "inflate failed");
        return TDB_ERR_FORMAT;
    }
    return TDB_OK;
}

/* Append more plain bytes, leaving unconsumed bytes at the front. */
static tdb_status fill_plain(tdb_csv_reader *reader)
{
    if (reader->plain_pos > 0) {
        memmove(reader->plain, reader->plain + reader->plain_pos,
                reader->plain_len - reader->plain_pos);
        reader->plain_len -= reader->plain_pos;
        reader->plain_pos = 0;
    }
    size_t room = PLAIN_CAPACITY - reader->plain_len;
    if (room == 0 || reader->plain_eof) return TDB_OK;
    if (!reader->format_known) {
        tdb_status status = detect_format(reader);
        if (status != TDB_OK) return status;
    }
    if (reader->gzip) return inflate_some(reader, room);

    if (reader->raw_pos == reader->raw_len) {
        if (reader->raw_eof) {
            reader->plain_eof = true;
            return TDB_OK;
        }
        tdb_status status = read_raw(reader);
        if (status != TDB_OK) return status;
    }
    size_t available = reader->raw_len - reader->raw_pos;
    size_t count = available < room ? available : room;
    memcpy(reader->plain + reader->plain_len, reader->raw + reader->raw_pos, count);
    reader->plain_len += count;
    reader->raw_pos += count;
    if (reader->raw_pos == reader->raw_len && reader->raw_eof) reader->plain_eof = true;
    return TDB_OK;
}

static void convert_plain(tdb_csv_reader *reader)
{
    char *in = (char *)reader->plain + reader->plain_pos;
    size_t in_left = reader->plain_len - reader->plain_pos;
    char *out = (char *)reader->text + reader->text_len;
    size_t out_left = TEXT_CAPACITY - reader->text_len;

    while (in_left > 0 && out_left >= 4) {
        size_t result = iconv(reader->converter, &in, &in_left, &out, &out_left);
        if (result != (size_t)-1) break;
        if (errno == E2BIG) break;
        if (errno == EINVAL && !reader->plain_eof) break; /* completed by the next chunk */
        /* EILSEQ, or an incomplete sequence at the end of the file. */
        *out++ = (char)INVALID_BYTE_MARKER;
        out_left--;
        in++;
        in_left--;
    }
    reader->plain_pos = reader->plain_len - in_left;
    reader->text_len = TEXT_CAPACITY - out_left;
}

/* Refill the text buffer. Sets text_eof when no more text will come. */
static tdb_status fill_text(tdb_csv_reader *reader)
{
    reader->text_len = 0;
    reader->text_pos = 0;
    while (reader->text_len == 0) {
        if (reader->plain_pos == reader->plain_len || !reader->plain_eof) {
            tdb_status status = fill_plain(reader);
            if (status != TDB_OK) return status;
        }
        if (reader->plain_pos == reader->plain_len && reader->plain_eof) {
            reader->text_eof = true;
            return TDB_OK;
        }
        if (reader->options.encoding == TDB_CSV_GB18030) {
            size_t before = reader->plain_pos;
            convert_plain(reader);
            if (reader->plain_pos == before && reader->text_len == 0 && reader->plain_eof) {
                reader->text_eof = true;
                return TDB_OK;
            }
        } else {
            size_t count = reader->plain_len - reader->plain_pos;
            if (count > TEXT_CAPACITY) count = TEXT_CAPACITY;
            memcpy(reader->text, reader->plain + reader->plain_pos, count);
            reader->plain_pos += count;
            reader->text_len = count;
        }
    }
    return TDB_OK;
}

/* Return the next text byte, -1 at the end of input, or -2 after a stopping failure
 * (the status is stored in *STATUS). */
static inline int next_byte(tdb_csv_reader *reader, tdb_status *status)
{
    if (reader->text_pos == reader->text_len) {
        if (reader->text_eof) return -1;
        *status = fill_text(reader);
        if (*status != TDB_OK) return -2;
        if (reader->text_eof) return -1;
    }
    return reader->text[reader->text_pos++];
}

static inline int peek_byte(tdb_csv_reader *reader, tdb_status *status)
{
    int c = next_byte(reader, status);
    if (c >= 0) reader->text_pos--;
    return c;
}

/* ---- record parser -------------------------------------------------------------- */

typedef struct record_state {
    size_t field_start;
    size_t field_count;
    bool too_long;
    bool too_many_fields;
} record_state;

static tdb_status finish_field(tdb_csv_reader *reader, record_state *state)
{
    tdb_buf *bytes = &reader->field_bytes;
    size_t length = bytes->len - state->field_start;
    if (state->field_count >= reader->options.max_fields) {
        state->too_many_fields = true;
        bytes->len = state->field_start; /* keep memory bounded: drop the extra field */
        return TDB_OK;
    }
    tdb_status status = TDB_OK;
    if (state->field_count >= reader->field_capacity) {
        size_t capacity = reader->field_capacity;
        void *offsets = reader->field_offsets;
        TDB_FORWARD(tdb_grow(&offsets, &capacity, state->field_count + 1, sizeof(size_t)));
        reader->field_offsets = offsets;
        capacity = reader->field_capacity;
        void *lengths = reader->field_lengths;
        TDB_FORWARD(tdb_grow(&lengths, &capacity, state->field_count + 1, sizeof(size_t)));
        reader->field_lengths = lengths;
        capacity = reader->field_capacity;
        void *pointers = reader->field_pointers;
        TDB_FORWARD(tdb_grow(&pointers, &capacity, state->field_count + 1, sizeof(char *)));
        reader->field_pointers = pointers;
        reader->field_capacity = capacity;
    }
    reader->field_offsets[state->field_count] = state->field_start;
    reader->field_lengths[state->field_count] = length;
    state->field_count++;
    TDB_FORWARD(tdb_buf_append_char(bytes, '\0'));
    state->field_start = bytes->len;
cleanup:
    return status;
}

static tdb_status append_field_byte(tdb_csv_reader *reader, record_state *state, int c)
{
    if (state->too_long) return TDB_OK;
    if (reader->field_bytes.len >= reader->options.max_record_bytes) {
        state->too_long = true;
        return TDB_OK;
    }
    return tdb_buf_append_char(&reader->field_bytes, (char)c);
}

static tdb_status append_raw_byte(tdb_csv_reader *reader, int c)
{
    if (reader->raw_record.len >= RAW_RECORD_CAP) return TDB_OK;
    return tdb_buf_append_char(&reader->raw_record, (char)c);
}

/* Append the run of ordinary bytes that follows in the text buffer in one step, so the
 * byte-by-byte loop only handles delimiters, quotes and line ends. */
static tdb_status append_plain_run(tdb_csv_reader *reader, record_state *state, bool in_quotes)
{
    const unsigned char *start = reader->text + reader->text_pos;
    const unsigned char *end = reader->text + reader->text_len;
    const unsigned char *cursor = start;
    const unsigned char delimiter = (unsigned char)reader->options.delimiter;
    if (in_quotes) {
        while (cursor < end && *cursor != '"' && *cursor != '\n') cursor++;
    } else {
        while (cursor < end && *cursor != delimiter && *cursor != '"' && *cursor != '\n' &&
               *cursor != '\r')
            cursor++;
    }
    size_t count = (size_t)(cursor - start);
    if (count == 0) return TDB_OK;
    reader->text_pos += count;

    tdb_status status = TDB_OK;
    size_t raw_room = reader->raw_record.len < RAW_RECORD_CAP ? RAW_RECORD_CAP - reader->raw_record.len : 0;
    TDB_FORWARD(tdb_buf_append(&reader->raw_record, start, count < raw_room ? count : raw_room));
    if (state->too_long) return TDB_OK;
    if (reader->field_bytes.len + count > reader->options.max_record_bytes) {
        state->too_long = true;
        return TDB_OK;
    }
    TDB_FORWARD(tdb_buf_append(&reader->field_bytes, start, count));
cleanup:
    return status;
}

/* Skip to the end of the physical line after a record grew past the size limit.
 * Quotes are ignored so that one stray quote cannot swallow the rest of the file. */
static tdb_status skip_rest_of_line(tdb_csv_reader *reader)
{
    tdb_status status = TDB_OK;
    for (;;) {
        int c = next_byte(reader, &status);
        if (c == -2) return status;
        if (c == -1) return TDB_OK;
        if (c == '\n') {
            reader->line++;
            return TDB_OK;
        }
    }
}

static const char *validate_fields(const tdb_csv_reader *reader, size_t field_count)
{
    for (size_t i = 0; i < field_count; i++) {
        const char *field = reader->field_bytes.data + reader->field_offsets[i];
        size_t length = reader->field_lengths[i];
        if (memchr(field, '\0', length) != NULL) return "nul_byte";
        if (!tdb_utf8_valid(field, length)) return "invalid_encoding";
    }
    return NULL;
}

static bool field_is_empty_or_bom(const tdb_csv_reader *reader, const record_state *state)
{
    size_t length = reader->field_bytes.len - state->field_start;
    if (length == 0) return true;
    return length == 3 && state->field_count == 0 &&
           memcmp(reader->field_bytes.data, "\xEF\xBB\xBF", 3) == 0;
}

/* Parse one record into the reader's buffers. Returns TDB_ERR_NOT_FOUND at the end of
 * input when no record started. */
static tdb_status parse_record(tdb_csv_reader *reader, record_state *state, bool *unterminated)
{
    tdb_status status = TDB_OK;
    const int delimiter = (unsigned char)reader->options.delimiter;
    bool in_quotes = false;
    bool field_was_quoted = false;
    bool any_byte = false;

    for (;;) {
        int c = next_byte(reader, &status);
        if (c == -2) return status;
        if (c == -1) {
            if (!any_byte) return TDB_ERR_NOT_FOUND;
            *unterminated = in_quotes;
            return finish_field(reader, state);
        }
        any_byte = true;
        TDB_FORWARD(append_raw_byte(reader, c));

        if (in_quotes) {
            if (c == '"') {
                int next = peek_byte(reader, &status);
                if (next == -2) return status;
                if (next == '"') {
                    next_byte(reader, &status);
                    TDB_FORWARD(append_raw_byte(reader, '"'));
                    TDB_FORWARD(append_field_byte(reader, state, '"'));
                } else {
                    in_quotes = false;
                }
                continue;
            }
            if (c == '\n') reader->line++;
            TDB_FORWARD(append_field_byte(reader, state, c));
            TDB_FORWARD(append_plain_run(reader, state, true));
        } else if (c == delimiter) {
            TDB_FORWARD(finish_field(reader, state));
            field_was_quoted = false;
        } else if (c == '\n') {
            reader->line++;
            return finish_field(reader, state);
        } else if (c == '\r') {
            int next = peek_byte(reader, &status);
            if (next == -2) return status;
            if (next == '\n') continue; /* CRLF: the LF ends the record */
            return finish_field(reader, state); /* a lone CR ends a record too */
        } else if (c == '"' && !field_was_quoted && field_is_empty_or_bom(reader, state)) {
            reader->field_bytes.len = state->field_start; /* a leading BOM is not data */
            in_quotes = true;
            field_was_quoted = true;
        } else {
            /* A quote inside an unquoted field, or text after a closing quote, is kept
             * as text: exports do this and the intent is clear. */
            TDB_FORWARD(append_field_byte(reader, state, c));
            TDB_FORWARD(append_plain_run(reader, state, false));
        }

        if (state->too_long) {
            TDB_FORWARD(skip_rest_of_line(reader));
            return TDB_OK;
        }
    }
cleanup:
    return status;
}

static bool record_is_blank(const tdb_csv_reader *reader, const record_state *state)
{
    return state->field_count == 1 && reader->field_lengths[0] == 0 && reader->raw_record.len <= 2;
}

static void strip_bom(tdb_csv_reader *reader, record_state *state)
{
    /* A BOM at the start of the file, or at the start of a record when files were
     * concatenated, is not data. */
    static const char bom[] = "\xEF\xBB\xBF";
    char *first = reader->field_bytes.data;
    if (state->field_count > 0 && reader->field_lengths[0] >= 3 && memcmp(first, bom, 3) == 0) {
        memmove(first, first + 3, reader->field_bytes.len - 3);
        reader->field_bytes.len -= 3;
        reader->field_lengths[0] -= 3;
        for (size_t i = 1; i < state->field_count; i++) reader->field_offsets[i] -= 3;
    }
}

tdb_status tdb_csv_next(tdb_csv_reader *reader, tdb_csv_record *record)
{
    for (;;) {
        record_state state = {0};
        bool unterminated = false;
        tdb_buf_clear(&reader->field_bytes);
        tdb_buf_clear(&reader->raw_record);
        long start_line = reader->line;

        tdb_status status = parse_record(reader, &state, &unterminated);
        if (status != TDB_OK) return status;
        reader->at_file_start = false;
        if (record_is_blank(reader, &state)) continue;
        strip_bom(reader, &state);

        for (size_t i = 0; i < state.field_count; i++)
            reader->field_pointers[i] = reader->field_bytes.data + reader->field_offsets[i];

        record->line = start_line;
        record->field_count = state.field_count;
        record->fields = reader->field_pointers;
        record->lengths = reader->field_lengths;
        record->raw = reader->raw_record.data ? reader->raw_record.data : "";
        record->raw_length = reader->raw_record.len;
        /* The line end is not part of the record. */
        if (record->raw_length > 0 && record->raw[record->raw_length - 1] == '\n') record->raw_length--;
        if (record->raw_length > 0 && record->raw[record->raw_length - 1] == '\r') record->raw_length--;
        if (state.too_long)
            record->error = "too_long";
        else if (unterminated)
            record->error = "unterminated_quote";
        else if (state.too_many_fields)
            record->error = "too_many_fields";
        else
            record->error = validate_fields(reader, state.field_count);
        return TDB_OK;
    }
}

/* ---- opening and closing -------------------------------------------------------- */

static tdb_status reader_create(const tdb_csv_options *options, tdb_csv_reader **out)
{
    tdb_csv_reader *reader = tdb_calloc(1, sizeof *reader);
    if (reader == NULL) return TDB_ERR_NOMEM;
    reader->options = *options;
    if (reader->options.delimiter == 0) reader->options.delimiter = ',';
    if (reader->options.max_record_bytes == 0) reader->options.max_record_bytes = 1 << 20;
    if (reader->options.max_fields == 0) reader->options.max_fields = 1024;
    reader->converter = (iconv_t)-1;
    reader->line = 1;
    reader->at_file_start = true;
    XXH3_64bits_reset(&reader->hash);
    if (options->encoding == TDB_CSV_GB18030) {
        reader->converter = iconv_open("UTF-8", "GB18030");
        if (reader->converter == (iconv_t)-1) {
            tdb_free(reader);
            return TDB_ERR_INVALID;
        }
    }
    *out = reader;
    return TDB_OK;
}

tdb_status tdb_csv_open(const char *path, const tdb_csv_options *options, tdb_csv_reader **out)
{
    *out = NULL;
    FILE *file = fopen(path, "rb");
    if (file == NULL) return TDB_ERR_IO;
    tdb_csv_reader *reader = NULL;
    tdb_status status = reader_create(options, &reader);
    if (status != TDB_OK) {
        fclose(file);
        return status;
    }
    reader->file = file;
    *out = reader;
    return TDB_OK;
}

tdb_status tdb_csv_open_memory(const void *data, size_t size, const tdb_csv_options *options,
                               tdb_csv_reader **out)
{
    *out = NULL;
    tdb_csv_reader *reader = NULL;
    tdb_status status = reader_create(options, &reader);
    if (status != TDB_OK) return status;
    reader->memory = data;
    reader->memory_size = size;
    reader->raw_eof = size == 0;
    *out = reader;
    return TDB_OK;
}

const char *tdb_csv_error_message(const tdb_csv_reader *reader) { return reader->error_message; }

long tdb_csv_line(const tdb_csv_reader *reader) { return reader->line; }

uint64_t tdb_csv_content_hash(const tdb_csv_reader *reader)
{
    return XXH3_64bits_digest(&reader->hash);
}

uint64_t tdb_csv_raw_bytes(const tdb_csv_reader *reader) { return reader->raw_byte_count; }

void tdb_csv_close(tdb_csv_reader *reader)
{
    if (reader == NULL) return;
    if (reader->file != NULL) fclose(reader->file);
    if (reader->inflater_open) inflateEnd(&reader->inflater);
    if (reader->converter != (iconv_t)-1) iconv_close(reader->converter);
    tdb_buf_free(&reader->field_bytes);
    tdb_buf_free(&reader->raw_record);
    tdb_free(reader->field_offsets);
    tdb_free(reader->field_lengths);
    tdb_free(reader->field_pointers);
    tdb_free(reader);
}

/* Output files of the generator: CSV records quoted as RFC 4180 requires, converted to
 * GB18030 with iconv where a department uses it, optionally with CRLF line ends and a
 * UTF-8 BOM, and optionally gzip-compressed with zlib. The gzip header carries no file
 * name and a zero modification time, so the bytes depend only on the content. */
#include <errno.h>
#include <iconv.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "gen.h"

struct gen_file {
    FILE *stream;
    bool gzip;
    z_stream deflater;
    iconv_t converter; /* (iconv_t)-1 for UTF-8 output */
    bool crlf;
    long line;          /* physical line at which the next record starts */
    tdb_buf record;     /* pending record, UTF-8 */
    size_t field_count;
    size_t last_field_start;
    tdb_buf encoded;    /* the last record in the file's encoding */
    tdb_buf saved;      /* a copy of a record, UTF-8, without its line end */
    unsigned char chunk[1 << 16];
};

static tdb_status write_bytes(gen_file *file, const void *bytes, size_t length, int flush)
{
    if (!file->gzip) return fwrite(bytes, 1, length, file->stream) == length ? TDB_OK : TDB_ERR_IO;

    file->deflater.next_in = (Bytef *)bytes;
    file->deflater.avail_in = (uInt)length;
    do {
        file->deflater.next_out = file->chunk;
        file->deflater.avail_out = sizeof file->chunk;
        int result = deflate(&file->deflater, flush);
        if (result == Z_STREAM_ERROR) return TDB_ERR_IO;
        size_t produced = sizeof file->chunk - file->deflater.avail_out;
        if (fwrite(file->chunk, 1, produced, file->stream) != produced) return TDB_ERR_IO;
    } while (file->deflater.avail_out == 0 || (flush == Z_FINISH && file->deflater.avail_in > 0));
    return TDB_OK;
}

tdb_status gen_file_open(gen_file **out, const char *dir, const gen_file_format *format)
{
    tdb_status status = TDB_OK;
    char path[4096];
    gen_file *file = tdb_calloc(1, sizeof *file);
    TDB_FAIL_IF(!file, TDB_ERR_NOMEM);
    file->converter = (iconv_t)-1;
    file->crlf = format->crlf;
    file->line = 1;

    snprintf(path, sizeof path, "%s/%s", dir, format->file_name);
    file->stream = fopen(path, "wb");
    if (!file->stream) {
        fprintf(stderr, "gen-county: cannot create %s: %s\n", path, strerror(errno));
        TDB_FAIL_IF(true, TDB_ERR_IO);
    }
    if (format->encoding == GEN_GB18030) {
        file->converter = iconv_open("GB18030", "UTF-8");
        TDB_FAIL_IF(file->converter == (iconv_t)-1, TDB_ERR_IO);
    }
    if (format->gzip) {
        /* windowBits 15 + 16 selects the gzip wrapper; its header has mtime 0. */
        file->gzip = true;
        TDB_FAIL_IF(deflateInit2(&file->deflater, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK, TDB_ERR_NOMEM);
    }
    if (format->bom) TDB_FORWARD(write_bytes(file, "\xEF\xBB\xBF", 3, Z_NO_FLUSH));
    *out = file;
    file = NULL;
cleanup:
    if (file) gen_file_close(file);
    return status;
}

long gen_file_line(const gen_file *file)
{
    return file->line;
}

tdb_status gen_file_field(gen_file *file, const char *value)
{
    tdb_status status = TDB_OK;
    if (file->field_count++ > 0) TDB_FORWARD(tdb_buf_append_char(&file->record, ','));
    file->last_field_start = file->record.len;
    if (strpbrk(value, ",\"\r\n") == NULL) return tdb_buf_append_str(&file->record, value);

    TDB_FORWARD(tdb_buf_append_char(&file->record, '"'));
    for (const char *c = value; *c; c++) {
        if (*c == '"') TDB_FORWARD(tdb_buf_append_char(&file->record, '"'));
        TDB_FORWARD(tdb_buf_append_char(&file->record, *c));
    }
    TDB_FORWARD(tdb_buf_append_char(&file->record, '"'));
cleanup:
    return status;
}

void gen_file_drop_last_field(gen_file *file)
{
    if (file->field_count < 2) return;
    file->record.len = file->last_field_start - 1;
    file->record.data[file->record.len] = '\0';
    file->field_count--;
}

tdb_status gen_file_save_record(gen_file *file)
{
    tdb_buf_clear(&file->saved);
    return tdb_buf_append(&file->saved, file->record.data ? file->record.data : "", file->record.len);
}

static tdb_status encode_record(gen_file *file)
{
    tdb_buf_clear(&file->encoded);
    if (file->converter == (iconv_t)-1) return tdb_buf_append(&file->encoded, file->record.data, file->record.len);

    /* GB18030 encodes every Unicode code point, so iconv can fail here only on invalid
     * UTF-8 (then TDB_ERR_FORMAT). Seeded invalid bytes are inserted after encoding. */
    tdb_status status = TDB_OK;
    char *input = file->record.data;
    size_t input_left = file->record.len;
    char buffer[4096];
    while (input_left > 0) {
        char *output = buffer;
        size_t output_left = sizeof buffer;
        size_t result = iconv(file->converter, &input, &input_left, &output, &output_left);
        TDB_FORWARD(tdb_buf_append(&file->encoded, buffer, sizeof buffer - output_left));
        TDB_FAIL_IF(result == (size_t)-1 && errno != E2BIG, TDB_ERR_FORMAT);
    }
cleanup:
    return status;
}

/* Put a byte that no UTF-8 or GB18030 decoder accepts before the first comma. */
static tdb_status insert_invalid_byte(tdb_buf *encoded)
{
    tdb_status status = tdb_buf_append_char(encoded, ' ');
    if (status != TDB_OK) return status;
    char *comma = memchr(encoded->data, ',', encoded->len - 1);
    size_t at = comma ? (size_t)(comma - encoded->data) : 0;
    memmove(encoded->data + at + 1, encoded->data + at, encoded->len - 1 - at);
    encoded->data[at] = (char)0xFF;
    return TDB_OK;
}

static tdb_status emit_encoded(gen_file *file)
{
    for (size_t i = 0; i < file->encoded.len; i++)
        if (file->encoded.data[i] == '\n') file->line++;
    return write_bytes(file, file->encoded.data, file->encoded.len, Z_NO_FLUSH);
}

tdb_status gen_file_end_record(gen_file *file, bool invalid_byte)
{
    tdb_status status = TDB_OK;
    TDB_FORWARD(tdb_buf_append_str(&file->record, file->crlf ? "\r\n" : "\n"));
    TDB_FORWARD(encode_record(file));
    if (invalid_byte) TDB_FORWARD(insert_invalid_byte(&file->encoded));
    TDB_FORWARD(emit_encoded(file));
cleanup:
    tdb_buf_clear(&file->record);
    file->field_count = 0;
    return status;
}

tdb_status gen_file_write_saved(gen_file *file)
{
    tdb_buf_clear(&file->record);
    tdb_status status = tdb_buf_append(&file->record, file->saved.data ? file->saved.data : "", file->saved.len);
    if (status != TDB_OK) return status;
    return gen_file_end_record(file, false);
}

tdb_status gen_file_repeat_record(gen_file *file)
{
    return emit_encoded(file);
}

tdb_status gen_file_close(gen_file *file)
{
    tdb_status status = TDB_OK;
    if (!file) return TDB_OK;
    if (file->gzip) {
        if (file->stream) status = write_bytes(file, "", 0, Z_FINISH);
        deflateEnd(&file->deflater);
    }
    if (file->stream && fclose(file->stream) != 0 && status == TDB_OK) status = TDB_ERR_IO;
    if (file->converter != (iconv_t)-1) iconv_close(file->converter);
    tdb_buf_free(&file->record);
    tdb_buf_free(&file->encoded);
    tdb_buf_free(&file->saved);
    tdb_free(file);
    return status;
}

tdb_status gen_truth_open(gen_truth *truth, const char *dir)
{
    char path[4096];
    memset(truth, 0, sizeof *truth);
    snprintf(path, sizeof path, "%s/truth", dir);
    if (mkdir(path, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "gen-county: cannot create %s: %s\n", path, strerror(errno));
        return TDB_ERR_IO;
    }
    snprintf(path, sizeof path, "%s/truth/links.csv", dir);
    truth->links = fopen(path, "wb");
    snprintf(path, sizeof path, "%s/truth/problems.csv", dir);
    truth->problems = fopen(path, "wb");
    if (!truth->links || !truth->problems) {
        fprintf(stderr, "gen-county: cannot create %s: %s\n", path, strerror(errno));
        gen_truth_close(truth);
        return TDB_ERR_IO;
    }
    fputs("link_type,source,line,to_kind,to_key\n", truth->links);
    fputs("source,line,field,problem\n", truth->problems);
    return TDB_OK;
}

tdb_status gen_truth_close(gen_truth *truth)
{
    tdb_status status = TDB_OK;
    if (truth->links && fclose(truth->links) != 0) status = TDB_ERR_IO;
    if (truth->problems && fclose(truth->problems) != 0) status = TDB_ERR_IO;
    truth->links = truth->problems = NULL;
    return status;
}

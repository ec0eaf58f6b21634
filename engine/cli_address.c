/* The `themedb address` command: normalize addresses or compare two, from the
 * arguments or from standard input, as text or as one JSON object per line. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "log.h"
#include "themedb/address.h"
#include "util.h"

typedef enum output_format { FORMAT_TEXT, FORMAT_JSON } output_format;

typedef struct address_options {
    output_format format;
    const char *divisions;
    const char *scope;
    bool compare;
    int first_text; /* index in argv of the first address */
    int text_count; /* number of addresses on the command line */
} address_options;

static const struct {
    unsigned flag;
    const char *name;
} flag_names[] = {
    {TDB_ADDR_UPPER_COMPLETED, "upper_completed"}, {TDB_ADDR_ALIAS_USED, "alias_used"},
    {TDB_ADDR_SCOPE_USED, "scope_used"},           {TDB_ADDR_RENAMED, "renamed"},
    {TDB_ADDR_NOISE_DROPPED, "noise_dropped"},     {TDB_ADDR_TRUNCATED, "truncated"},
    {TDB_ADDR_UNPARSED, "unparsed"},
};

static void print_help(void)
{
    printf(_("Usage: themedb address [OPTIONS] [TEXT...]\n"
             "       themedb address --compare [OPTIONS] [A B]\n"
             "\n"
             "Parse Chinese addresses into components, resolve their divisions and print\n"
             "the canonical form, the 12-digit division code and the address key. Without\n"
             "TEXT, each line of standard input is one address.\n"
             "\n"
             "Options:\n"
             "  --format text|json  output format (default text); json prints one object\n"
             "                      per line\n"
             "  --divisions DIR     folder with the division CSV files (default %s)\n"
             "  --scope CODE        division code (2 to 12 digits) the addresses probably\n"
             "                      lie in, used to choose between same-named divisions\n"
             "  --compare           compare A with B and print exact, partial or none;\n"
             "                      without A and B, read tab-separated pairs from\n"
             "                      standard input and print one result per line\n"
             "  --help              print this help\n"),
           TDB_DIVISION_DIR);
}

/* Parse the options, which may come before or after the addresses; the addresses are
 * moved to the end of ARGV in their order. Returns 0 to continue, -1 after --help, or
 * the exit status of a usage error. */
static int parse_options(int argc, char **argv, address_options *options)
{
    options->format = FORMAT_TEXT;
    options->divisions = TDB_DIVISION_DIR;
    options->scope = NULL;
    options->compare = false;

    int texts = 0;
    bool options_ended = false;
    for (int i = 1; i < argc; i++) {
        const char *option = argv[i];
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;
        if (options_ended || option[0] != '-' || option[1] != '-') {
            argv[1 + texts++] = argv[i]; /* 1 + texts <= i: no unread argument is overwritten */
            continue;
        }
        if (strcmp(option, "--") == 0) {
            options_ended = true;
        } else if (strcmp(option, "--help") == 0) {
            print_help();
            return -1;
        } else if (strcmp(option, "--compare") == 0) {
            options->compare = true;
        } else if (value == NULL) {
            fprintf(stderr, _("themedb address: option %s requires a value\n"), option);
            return 2;
        } else if (strcmp(option, "--format") == 0) {
            if (strcmp(value, "text") != 0 && strcmp(value, "json") != 0) {
                fprintf(stderr, _("themedb address: invalid format '%s'; use text or json\n"), value);
                return 2;
            }
            options->format = strcmp(value, "json") == 0 ? FORMAT_JSON : FORMAT_TEXT;
            i++;
        } else if (strcmp(option, "--divisions") == 0) {
            options->divisions = value;
            i++;
        } else if (strcmp(option, "--scope") == 0) {
            size_t digits = strlen(value);
            if (digits < 2 || digits > 12 || strspn(value, "0123456789") != digits) {
                fprintf(stderr, _("themedb address: invalid scope '%s'; use a division code of 2 to 12 digits\n"),
                        value);
                return 2;
            }
            options->scope = value;
            i++;
        } else {
            fprintf(stderr, _("themedb address: unknown option '%s'\n"), option);
            return 2;
        }
    }
    options->first_text = 1;
    options->text_count = texts;
    if (options->compare && texts != 0 && texts != 2) {
        fprintf(stderr, _("themedb address: --compare takes two addresses, or none to read pairs from standard input\n"));
        return 2;
    }
    return 0;
}

/* Write TEXT[0..LENGTH) as a JSON string. */
static void print_json_string(const char *text, size_t length)
{
    putchar('"');
    for (size_t i = 0; i < length; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == '"' || c == '\\')
            printf("\\%c", c);
        else if (c == '\n')
            fputs("\\n", stdout);
        else if (c == '\t')
            fputs("\\t", stdout);
        else if (c < 0x20)
            printf("\\u%04x", c);
        else
            putchar(c);
    }
    putchar('"');
}

static void print_json(const char *input, size_t input_length, const tdb_address *a)
{
    fputs("{\"input\":", stdout);
    print_json_string(input, input_length);
    fputs(",\"canonical\":", stdout);
    print_json_string(a->text + a->canonical_offset, a->canonical_length);
    printf(",\"key\":\"%016llx\",\"code\":", (unsigned long long)a->key);
    if (a->code)
        printf("\"%012llu\"", (unsigned long long)a->code);
    else
        fputs("null", stdout);
    printf(",\"level\":\"%s\",\"components\":{", tdb_addr_level_name(a->level));
    bool first = true;
    for (int c = 0; c < TDB_ADDR_COMPONENT_COUNT; c++) {
        size_t length = 0;
        const char *value = tdb_address_value(a, (tdb_addr_component)c, &length);
        if (value == NULL) continue;
        printf("%s\"%s\":", first ? "" : ",", tdb_addr_component_name((tdb_addr_component)c));
        print_json_string(value, length);
        first = false;
    }
    fputs("},\"flags\":[", stdout);
    first = true;
    for (size_t i = 0; i < TDB_ARRAY_LEN(flag_names); i++) {
        if (!(a->flags & flag_names[i].flag)) continue;
        printf("%s\"%s\"", first ? "" : ",", flag_names[i].name);
        first = false;
    }
    fputs("]}\n", stdout);
}

static void print_text(const char *input, size_t input_length, const tdb_address *a)
{
    printf("%.*s\n", (int)input_length, input);
    printf("  %s: %.*s\n", _("canonical"), (int)a->canonical_length, a->text + a->canonical_offset);
    if (a->code)
        printf("  %s: %012llu (%s)\n", _("code"), (unsigned long long)a->code,
               _(tdb_addr_level_name(a->level)));
    printf("  %s: %016llx\n", _("key"), (unsigned long long)a->key);
    for (int c = 0; c < TDB_ADDR_COMPONENT_COUNT; c++) {
        size_t length = 0;
        const char *value = tdb_address_value(a, (tdb_addr_component)c, &length);
        if (value) printf("  %s: %.*s\n", _(tdb_addr_component_name((tdb_addr_component)c)),
                          (int)length, value);
    }
}

typedef struct address_context {
    const address_options *options;
    tdb_gazetteer *g;
    tdb_address_scratch *scratch;
    tdb_address first;
    tdb_address second;
} address_context;

static tdb_status normalize_one(address_context *context, const char *text, size_t length)
{
    tdb_status status = tdb_address_parse(context->g, context->scratch, context->options->scope,
                                          text, length, &context->first);
    if (status != TDB_OK) return status;
    if (context->options->format == FORMAT_JSON)
        print_json(text, length, &context->first);
    else
        print_text(text, length, &context->first);
    return TDB_OK;
}

static tdb_status compare_pair(address_context *context, const char *a, size_t a_length,
                               const char *b, size_t b_length)
{
    tdb_status status = TDB_OK;
    const char *scope = context->options->scope;
    TDB_FORWARD(tdb_address_parse(context->g, context->scratch, scope, a, a_length, &context->first));
    TDB_FORWARD(tdb_address_parse(context->g, context->scratch, scope, b, b_length, &context->second));
    puts(tdb_addr_match_name(tdb_address_compare(&context->first, &context->second)));

cleanup:
    return status;
}

/* Handle one line of standard input: an address, or a tab-separated pair. */
static tdb_status handle_line(address_context *context, char *line, size_t length,
                              size_t line_number)
{
    while (length > 0 && (line[length - 1] == '\n' || line[length - 1] == '\r')) length--;
    line[length] = '\0';
    if (!context->options->compare) return normalize_one(context, line, length);

    char *tab = memchr(line, '\t', length);
    if (tab == NULL) {
        fprintf(stderr, _("themedb address: line %zu: expected two addresses separated by a tab\n"),
                line_number);
        puts("none");
        return TDB_OK;
    }
    return compare_pair(context, line, (size_t)(tab - line), tab + 1,
                        length - (size_t)(tab - line) - 1);
}

static tdb_status read_stdin(address_context *context)
{
    tdb_status status = TDB_OK;
    char *line = NULL;
    size_t capacity = 0;
    size_t line_number = 0;
    ssize_t length;

    while ((length = getline(&line, &capacity, stdin)) >= 0) {
        TDB_FORWARD(handle_line(context, line, (size_t)length, ++line_number));
    }

cleanup:
    free(line); /* allocated by getline */
    return status;
}

int tdb_cmd_address(int argc, char **argv)
{
    address_options options;
    address_context *context = NULL;
    tdb_status status = TDB_OK;
    int exit_status = parse_options(argc, argv, &options);

    if (exit_status != 0) return exit_status < 0 ? 0 : exit_status;
    context = tdb_calloc(1, sizeof *context);
    TDB_FAIL_IF(context == NULL, TDB_ERR_NOMEM);
    context->options = &options;
    TDB_FORWARD(tdb_gazetteer_new(&context->g));
    TDB_FORWARD(tdb_gazetteer_load_dir(context->g, options.divisions, NULL));
    TDB_FORWARD(tdb_address_scratch_new(&context->scratch));

    if (options.text_count == 0) {
        TDB_FORWARD(read_stdin(context));
    } else if (options.compare) {
        const char *a = argv[options.first_text];
        const char *b = argv[options.first_text + 1];
        TDB_FORWARD(compare_pair(context, a, strlen(a), b, strlen(b)));
    } else {
        for (int i = options.first_text; i < options.first_text + options.text_count; i++)
            TDB_FORWARD(normalize_one(context, argv[i], strlen(argv[i])));
    }

cleanup:
    if (status != TDB_OK)
        fprintf(stderr, _("themedb address: failed: %s\n"), tdb_status_str(status));
    if (context) {
        tdb_address_scratch_free(context->scratch);
        tdb_gazetteer_free(context->g);
        tdb_free(context);
    }
    return status == TDB_OK ? 0 : 1;
}

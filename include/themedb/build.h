/* Building a theme database from a manifest. */
#ifndef THEMEDB_BUILD_API_H
#define THEMEDB_BUILD_API_H

#include "themedb/status.h"

typedef struct tdb_build_options {
    const char *manifest_path;
    const char *output_path;   /* NULL: the manifest's [build] output, else theme.db beside it */
    int threads;               /* 0: the manifest's setting, else all cores; -1: all cores */
    int as_of;                 /* YYYYMMDD; 0: the manifest's setting, else today (UTC) */
} tdb_build_options;

/* Run a whole build. On failure, the existing output file is left untouched and
 * the problems have been printed to stderr. Returns TDB_ERR_INVALID for manifest
 * problems, or the status of the failure that stopped the build. */
tdb_status tdb_build(const tdb_build_options *options);

#endif

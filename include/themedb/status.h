/* Status codes shared by every themedb function that can fail. */
#ifndef THEMEDB_STATUS_H
#define THEMEDB_STATUS_H

typedef enum tdb_status {
    TDB_OK = 0,
    TDB_ERR_NOMEM,     /* an allocation failed */
    TDB_ERR_IO,        /* reading or writing a file failed; errno has the cause */
    TDB_ERR_INVALID,   /* an argument or a configuration value is invalid */
    TDB_ERR_FORMAT,    /* input data is malformed beyond what can be rejected row by row */
    TDB_ERR_NOT_FOUND, /* a named file, table or key does not exist */
    TDB_ERR_SQLITE,    /* SQLite returned an error */
    TDB_ERR_LIMIT      /* a size limit was reached (line length, column count, file size) */
} tdb_status;

/* Returns a short English description of STATUS; never NULL. */
const char *tdb_status_str(tdb_status status);

#endif

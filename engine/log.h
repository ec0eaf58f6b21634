/* Leveled logging to stderr and message translation through gettext. */
#ifndef THEMEDB_LOG_H
#define THEMEDB_LOG_H

#include <libintl.h>
#include <stdbool.h>
#include <stdio.h>

#define _(text) gettext(text)
#define N_(text) text

typedef enum tdb_log_level {
    TDB_LOG_ERROR = 0,
    TDB_LOG_WARN,
    TDB_LOG_INFO,
    TDB_LOG_DEBUG
} tdb_log_level;

/* Set the most verbose level that is printed. Call once at startup, before any
 * thread starts: the level is process-wide configuration, read but never written
 * by the stages. */
void tdb_log_set_level(tdb_log_level level);
bool tdb_log_enabled(tdb_log_level level);

/* Print one line to stderr with a level prefix. Prefer TDB_LOG, which skips the
 * formatting when the level is off. Never pass a full identifier or a person's name:
 * logs carry counts, file names and line numbers only. */
void tdb_log(tdb_log_level level, const char *format, ...) __attribute__((format(printf, 2, 3)));

#define TDB_LOG(level, ...)                                 \
    do {                                                    \
        if (tdb_log_enabled(level)) tdb_log(level, __VA_ARGS__); \
    } while (0)

/* Show "LABEL: COUNT rows" as a progress line on stderr when stderr is a terminal
 * and info messages are on, at most five times a second. Call only from the main
 * thread. tdb_progress_end clears the line before the next log message. */
void tdb_progress(const char *label, unsigned long long count);
void tdb_progress_end(void);

/* Return the number of terminal columns TEXT takes: two for each wide (East Asian)
 * character, one for the others. */
int tdb_display_width(const char *text);

/* Print TEXT padded with spaces to WIDTH terminal columns, on the right of the text or
 * (RIGHT_ALIGN) on its left, so that Chinese and ASCII columns line up. */
void tdb_print_cell(FILE *out, const char *text, int width, bool right_align);

/* Select the locale from the environment and bind the "themedb" message catalogue.
 * ARGV0 locates a catalogue installed beside the binary. */
void tdb_i18n_init(const char *argv0);

/* Return true when messages are being translated to Chinese. */
bool tdb_i18n_is_chinese(void);

#endif

/* Logging and locale set-up. The log level is the one piece of process-wide
 * configuration; it is written once by main() before any thread starts. */
#define _GNU_SOURCE
#define _POSIX_C_SOURCE 200809L
#include "log.h"

#include <limits.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <utf8proc.h>

#ifndef TDB_LOCALEDIR
#define TDB_LOCALEDIR "/usr/local/share/locale"
#endif

static tdb_log_level log_level = TDB_LOG_INFO;

/* Progress state, touched by the main thread only. */
static struct timespec progress_last;
static bool progress_shown;

void tdb_log_set_level(tdb_log_level level) { log_level = level; }

bool tdb_log_enabled(tdb_log_level level) { return level <= log_level; }

void tdb_log(tdb_log_level level, const char *format, ...)
{
    static const char *const prefixes[] = {N_("error"), N_("warning"), N_("info"), N_("debug")};
    bool color = isatty(STDERR_FILENO) && getenv("NO_COLOR") == NULL;
    static const char *const colors[] = {"\033[31m", "\033[33m", "\033[32m", "\033[2m"};
    char line[4096];

    va_list args;
    va_start(args, format);
    vsnprintf(line, sizeof line, format, args);
    va_end(args);
    tdb_progress_end();

    if (color)
        fprintf(stderr, "themedb: %s%s\033[0m: %s\n", colors[level], _(prefixes[level]), line);
    else
        fprintf(stderr, "themedb: %s: %s\n", _(prefixes[level]), line);
}

void tdb_progress(const char *label, unsigned long long count)
{
    if (!tdb_log_enabled(TDB_LOG_INFO) || !isatty(STDERR_FILENO)) return;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double elapsed = (double)(now.tv_sec - progress_last.tv_sec) +
                     (double)(now.tv_nsec - progress_last.tv_nsec) / 1e9;
    if (progress_shown && elapsed < 0.2) return;
    progress_last = now;
    progress_shown = true;
    fprintf(stderr, "\r\033[K");
    fprintf(stderr, _("%s: %llu rows"), label, count);
    fflush(stderr);
}

void tdb_progress_end(void)
{
    if (!progress_shown) return;
    fprintf(stderr, "\r\033[K");
    fflush(stderr);
    progress_shown = false;
}

int tdb_display_width(const char *text)
{
    int width = 0;
    size_t length = strlen(text);
    size_t pos = 0;
    while (pos < length) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t used = utf8proc_iterate((const utf8proc_uint8_t *)text + pos,
                                                 (utf8proc_ssize_t)(length - pos), &cp);
        if (used <= 0) {
            pos++;
            width++;
            continue;
        }
        pos += (size_t)used;
        int columns = utf8proc_charwidth(cp);
        width += columns > 0 ? columns : 0;
    }
    return width;
}

void tdb_print_cell(FILE *out, const char *text, int width, bool right_align)
{
    int padding = width - tdb_display_width(text);
    if (right_align)
        for (int i = 0; i < padding; i++) fputc(' ', out);
    fputs(text, out);
    if (!right_align)
        for (int i = 0; i < padding; i++) fputc(' ', out);
}

static const char *locale_from_environment(void)
{
    static const char *const names[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *value = getenv(names[i]);
        if (value != NULL && value[0] != '\0') return value;
    }
    return NULL;
}

static bool directory_has_catalogue(const char *directory)
{
    char path[PATH_MAX];
    int written = snprintf(path, sizeof path, "%s/zh_CN/LC_MESSAGES/themedb.mo", directory);
    if (written < 0 || (size_t)written >= sizeof path) return false;
    return access(path, R_OK) == 0;
}

void tdb_i18n_init(const char *argv0)
{
    (void)argv0;
    if (setlocale(LC_ALL, "") == NULL) {
        /* The requested locale is not installed. C.UTF-8 keeps UTF-8 output, and
         * LANGUAGE still selects the catalogue because glibc honours it in every
         * locale except plain "C". */
        const char *requested = locale_from_environment();
        setlocale(LC_ALL, "C.UTF-8");
        if (requested != NULL && getenv("LANGUAGE") == NULL) {
            char language[64];
            snprintf(language, sizeof language, "%s", requested);
            language[strcspn(language, ".@")] = '\0';
            setenv("LANGUAGE", language, 0);
        }
    }

    const char *directory = getenv("THEMEDB_LOCALEDIR");
    char beside_binary[PATH_MAX];
    if (directory == NULL) {
        ssize_t length = readlink("/proc/self/exe", beside_binary, sizeof beside_binary - 32);
        if (length > 0) {
            beside_binary[length] = '\0';
            char *slash = strrchr(beside_binary, '/');
            if (slash != NULL) {
                /* build/themedb finds build/locale; PREFIX/bin/themedb finds PREFIX/share/locale. */
                strcpy(slash, "/locale");
                if (directory_has_catalogue(beside_binary)) {
                    directory = beside_binary;
                } else {
                    strcpy(slash, "/../share/locale");
                    if (directory_has_catalogue(beside_binary)) directory = beside_binary;
                }
            }
        }
    }
    if (directory == NULL) directory = TDB_LOCALEDIR;

    bindtextdomain("themedb", directory);
    bind_textdomain_codeset("themedb", "UTF-8");
    textdomain("themedb");
}

bool tdb_i18n_is_chinese(void)
{
    /* The catalogue's own header entry is translated only when a catalogue is in use. */
    const char *probe = _("English");
    return strcmp(probe, "English") != 0;
}

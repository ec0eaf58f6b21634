/* Date parsing for the forms department exports use. */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "manifest.h"

bool tdb_date_valid(int year, int month, int day)
{
    static const int days_in_month[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (year < 1 || month < 1 || month > 12 || day < 1) return false;
    int limit = days_in_month[month - 1];
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (month == 2 && leap) limit = 29;
    return day <= limit;
}

/* Read up to MAX_DIGITS ASCII digits at TEXT[*POS]; returns -1 when there are none. */
static int read_number(const char *text, size_t length, size_t *pos, int max_digits)
{
    int value = 0;
    int digits = 0;
    while (*pos < length && digits < max_digits && text[*pos] >= '0' && text[*pos] <= '9') {
        value = value * 10 + (text[*pos] - '0');
        (*pos)++;
        digits++;
    }
    return digits == 0 ? -1 : value;
}

/* Skip one separator: '-', '/', '.', or the UTF-8 characters 年 and 月. */
static bool skip_separator(const char *text, size_t length, size_t *pos)
{
    if (*pos < length && (text[*pos] == '-' || text[*pos] == '/' || text[*pos] == '.')) {
        (*pos)++;
        return true;
    }
    static const char *const words[] = {"年", "月"};
    for (size_t i = 0; i < 2; i++) {
        size_t word_length = strlen(words[i]);
        if (*pos + word_length <= length && memcmp(text + *pos, words[i], word_length) == 0) {
            *pos += word_length;
            return true;
        }
    }
    return false;
}

int tdb_parse_date(const char *text, size_t length)
{
    size_t pos = 0;
    while (pos < length && text[pos] == ' ') pos++;
    size_t start = pos;
    int year;
    int month;
    int day;

    size_t digit_run = 0;
    while (start + digit_run < length && text[start + digit_run] >= '0' &&
           text[start + digit_run] <= '9')
        digit_run++;

    if (digit_run == 8) {
        year = read_number(text, length, &pos, 4);
        month = read_number(text, length, &pos, 2);
        day = read_number(text, length, &pos, 2);
    } else if (digit_run == 4) {
        year = read_number(text, length, &pos, 4);
        if (!skip_separator(text, length, &pos)) return 0;
        month = read_number(text, length, &pos, 2);
        if (month < 0 || !skip_separator(text, length, &pos)) return 0;
        day = read_number(text, length, &pos, 2);
        if (day < 0) return 0;
        if (pos + 3 <= length && memcmp(text + pos, "日", 3) == 0) pos += 3;
    } else {
        return 0;
    }

    /* Whatever follows must be a time part or trailing spaces. */
    if (pos < length && text[pos] != ' ' && text[pos] != 'T') return 0;
    if (!tdb_date_valid(year, month, day)) return 0;
    return year * 10000 + month * 100 + day;
}

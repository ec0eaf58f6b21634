/* Comparators for record linkage: Jaro-Winkler, bounded Levenshtein, one-edit
 * classification and date agreement, all over code points. The callers keep names and
 * keys short (at most TDB_LINK_MAX_FIELD_LENGTH code points), so the working arrays
 * live on the stack. */
#include "link_compare.h"

#include <stdbool.h>
#include <string.h>

#include "themedb/link.h"

double tdb_link_jaro_winkler(const int32_t *a, size_t a_length, const int32_t *b,
                             size_t b_length)
{
    if (a_length == 0 && b_length == 0) return 1.0;
    if (a_length == 0 || b_length == 0) return 0.0;

    bool a_matched[TDB_LINK_MAX_FIELD_LENGTH];
    bool b_matched[TDB_LINK_MAX_FIELD_LENGTH];
    memset(a_matched, 0, a_length);
    memset(b_matched, 0, b_length);
    size_t longer = a_length > b_length ? a_length : b_length;
    size_t window = longer / 2 > 0 ? longer / 2 - 1 : 0;

    /* Matching code points: equal and no further apart than the window. */
    size_t matches = 0;
    for (size_t i = 0; i < a_length; i++) {
        size_t start = i > window ? i - window : 0;
        size_t end = i + window + 1 < b_length ? i + window + 1 : b_length;
        for (size_t j = start; j < end; j++) {
            if (b_matched[j] || a[i] != b[j]) continue;
            a_matched[i] = b_matched[j] = true;
            matches++;
            break;
        }
    }
    if (matches == 0) return 0.0;

    /* Half the matched code points that appear in a different order. */
    size_t out_of_order = 0;
    size_t j = 0;
    for (size_t i = 0; i < a_length; i++) {
        if (!a_matched[i]) continue;
        while (!b_matched[j]) j++;
        if (a[i] != b[j]) out_of_order++;
        j++;
    }
    double m = (double)matches;
    double jaro = (m / (double)a_length + m / (double)b_length +
                   (m - (double)(out_of_order / 2)) / m) / 3.0;
    if (jaro < 0.7) return jaro;

    size_t prefix = 0;
    while (prefix < 4 && prefix < a_length && prefix < b_length && a[prefix] == b[prefix])
        prefix++;
    return jaro + (double)prefix * 0.1 * (1.0 - jaro);
}

size_t tdb_link_levenshtein(const int32_t *a, size_t a_length, const int32_t *b,
                            size_t b_length, size_t bound)
{
    size_t difference = a_length > b_length ? a_length - b_length : b_length - a_length;
    if (difference > bound) return bound + 1;
    if (a_length == 0) return b_length;
    if (b_length == 0) return a_length;

    size_t rows[2][TDB_LINK_MAX_FIELD_LENGTH + 1];
    size_t *previous = rows[0];
    size_t *current = rows[1];
    for (size_t j = 0; j <= b_length; j++) previous[j] = j;

    for (size_t i = 1; i <= a_length; i++) {
        current[0] = i;
        size_t row_minimum = current[0];
        for (size_t j = 1; j <= b_length; j++) {
            size_t substitution = previous[j - 1] + (a[i - 1] != b[j - 1]);
            size_t deletion = previous[j] + 1;
            size_t insertion = current[j - 1] + 1;
            size_t best = substitution < deletion ? substitution : deletion;
            current[j] = best < insertion ? best : insertion;
            if (current[j] < row_minimum) row_minimum = current[j];
        }
        /* Distances never decrease down the table, so a row above the bound ends it. */
        if (row_minimum > bound) return bound + 1;
        size_t *swap = previous;
        previous = current;
        current = swap;
    }
    return previous[b_length] <= bound ? previous[b_length] : bound + 1;
}

int tdb_link_edit_class(const int32_t *a, size_t a_length, const int32_t *b, size_t b_length)
{
    if (a_length == b_length) {
        size_t first = a_length;
        size_t mismatches = 0;
        for (size_t i = 0; i < a_length; i++) {
            if (a[i] == b[i]) continue;
            if (mismatches++ == 0) first = i;
            if (mismatches > 2) return 2;
        }
        if (mismatches == 0) return 0;
        if (mismatches == 1) return 1;
        bool swapped = first + 1 < a_length && a[first] == b[first + 1] &&
                       a[first + 1] == b[first];
        return swapped ? 1 : 2;
    }

    /* Lengths differ: one deletion from the longer string must give the shorter. */
    const int32_t *longer = a_length > b_length ? a : b;
    const int32_t *shorter = a_length > b_length ? b : a;
    size_t long_length = a_length > b_length ? a_length : b_length;
    size_t short_length = a_length > b_length ? b_length : a_length;
    if (long_length != short_length + 1) return 2;
    size_t i = 0;
    while (i < short_length && longer[i] == shorter[i]) i++;
    for (size_t j = i; j < short_length; j++) {
        if (longer[j + 1] != shorter[j]) return 2;
    }
    return 1;
}

int tdb_link_date_class(uint32_t a, uint32_t b)
{
    if (a == b) return 0;

    int32_t a_digits[8];
    int32_t b_digits[8];
    uint32_t a_rest = a;
    uint32_t b_rest = b;
    for (int i = 7; i >= 0; i--) {
        a_digits[i] = (int32_t)(a_rest % 10);
        b_digits[i] = (int32_t)(b_rest % 10);
        a_rest /= 10;
        b_rest /= 10;
    }
    if (tdb_link_edit_class(a_digits, 8, b_digits, 8) == 1) return 1;

    bool same_year = a / 10000 == b / 10000;
    bool month_day_swapped = (a / 100) % 100 == b % 100 && a % 100 == (b / 100) % 100;
    return same_year && month_day_swapped ? 1 : 2;
}

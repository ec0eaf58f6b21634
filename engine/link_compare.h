/* String and value comparators for record linkage. Every string is an array of code
 * points, never UTF-8 bytes, so that one Chinese character counts as one. */
#ifndef THEMEDB_LINK_COMPARE_H
#define THEMEDB_LINK_COMPARE_H

#include <stddef.h>
#include <stdint.h>

/* Return the Jaro-Winkler similarity of A and B, from 0 (nothing in common) to 1
 * (equal), with prefix scale 0.1 over at most 4 code points, applied when the Jaro
 * similarity is at least 0.7. Two empty strings are equal (1). Both lengths must be at
 * most TDB_LINK_MAX_FIELD_LENGTH. */
double tdb_link_jaro_winkler(const int32_t *a, size_t a_length, const int32_t *b,
                             size_t b_length);

/* Return the Levenshtein distance between A and B when it is at most BOUND, and
 * BOUND + 1 otherwise. Runs in O(length * (2 * BOUND + 1)). */
size_t tdb_link_levenshtein(const int32_t *a, size_t a_length, const int32_t *b,
                            size_t b_length, size_t bound);

/* Return 0 when A equals B, 1 when one substitution, insertion, deletion or swap of
 * two adjacent code points turns A into B, and 2 otherwise. */
int tdb_link_edit_class(const int32_t *a, size_t a_length, const int32_t *b, size_t b_length);

/* Return 0 when the dates YYYYMMDD are equal, 1 when they differ in one digit, by two
 * swapped adjacent digits or by month and day swapped, and 2 otherwise. */
int tdb_link_date_class(uint32_t a, uint32_t b);

#endif

/* Common includes for the cmocka unit tests. */
#ifndef THEMEDB_TEST_UTIL_H
#define THEMEDB_TEST_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#endif

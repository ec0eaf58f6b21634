/* Deterministic random numbers (xoshiro256** seeded by splitmix64), calendar
 * arithmetic and Chinese numerals for the county generator. */
#include <math.h>
#include <stdarg.h>

#include "gen.h"

static uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void gen_rng_seed(gen_rng *rng, uint64_t seed, uint64_t stream)
{
    uint64_t state = seed ^ (stream * 0xd1342543de82ef95ULL);
    for (int i = 0; i < 4; i++) rng->state[i] = splitmix64(&state);
}

static uint64_t rotate_left(uint64_t value, int bits)
{
    return (value << bits) | (value >> (64 - bits));
}

uint64_t gen_rng_next(gen_rng *rng)
{
    uint64_t *s = rng->state;
    uint64_t result = rotate_left(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotate_left(s[3], 45);
    return result;
}

uint32_t gen_rng_below(gen_rng *rng, uint32_t bound)
{
    /* Lemire's multiply-and-shift with rejection keeps the result unbiased. */
    uint64_t product = (gen_rng_next(rng) >> 32) * (uint64_t)bound;
    uint32_t low = (uint32_t)product;
    if (low < bound) {
        uint32_t threshold = (uint32_t)(-bound) % bound;
        while (low < threshold) {
            product = (gen_rng_next(rng) >> 32) * (uint64_t)bound;
            low = (uint32_t)product;
        }
    }
    return (uint32_t)(product >> 32);
}

int gen_rng_range(gen_rng *rng, int low, int high)
{
    return low + (int)gen_rng_below(rng, (uint32_t)(high - low + 1));
}

double gen_rng_unit(gen_rng *rng)
{
    return (double)(gen_rng_next(rng) >> 11) * 0x1.0p-53;
}

bool gen_rng_chance(gen_rng *rng, double probability)
{
    return gen_rng_unit(rng) < probability;
}

double gen_rng_normal(gen_rng *rng)
{
    double u1 = gen_rng_unit(rng);
    double u2 = gen_rng_unit(rng);
    if (u1 < 1e-300) u1 = 1e-300;
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

size_t gen_rng_weighted(gen_rng *rng, const unsigned *weights, size_t count)
{
    unsigned long total = 0;
    for (size_t i = 0; i < count; i++) total += weights[i];
    unsigned long pick = gen_rng_below(rng, (uint32_t)total);
    for (size_t i = 0; i < count; i++) {
        if (pick < weights[i]) return i;
        pick -= weights[i];
    }
    return count - 1;
}

/* Day numbers follow the proleptic Gregorian calendar (Howard Hinnant's civil-date
 * algorithms, with eras of 400 years). */
int32_t gen_days_from_civil(int year, int month, int day)
{
    year -= month <= 2;
    int era = (year >= 0 ? year : year - 399) / 400;
    int year_of_era = year - era * 400;
    int day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    int day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + day_of_era - 719468;
}

void gen_civil_from_days(int32_t days, int *year, int *month, int *day)
{
    days += 719468;
    int era = (days >= 0 ? days : days - 146096) / 146097;
    int day_of_era = days - era * 146097;
    int year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    int day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    int month_index = (5 * day_of_year + 2) / 153;
    *day = day_of_year - (153 * month_index + 2) / 5 + 1;
    *month = month_index + (month_index < 10 ? 3 : -9);
    *year = year_of_era + era * 400 + (*month <= 2);
}

static const char *const cn_digits[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};

tdb_status gen_append_cn_number(tdb_buf *out, unsigned number)
{
    static const char *const units[] = {"千", "百", "十", ""};
    static const unsigned powers[] = {1000, 100, 10, 1};
    tdb_status status = TDB_OK;

    if (number == 0) return tdb_buf_append_str(out, cn_digits[0]);
    bool started = false, pending_zero = false;
    for (int i = 0; i < 4; i++) {
        unsigned digit = (number / powers[i]) % 10;
        if (digit == 0) {
            if (started) pending_zero = true;
            continue;
        }
        if (pending_zero) TDB_FORWARD(tdb_buf_append_str(out, cn_digits[0]));
        pending_zero = false;
        /* 十二 rather than 一十二 when the number starts with the tens. */
        if (!(i == 2 && digit == 1 && !started)) TDB_FORWARD(tdb_buf_append_str(out, cn_digits[digit]));
        TDB_FORWARD(tdb_buf_append_str(out, units[i]));
        started = true;
    }
cleanup:
    return status;
}

tdb_status gen_append_cn_digits(tdb_buf *out, unsigned number)
{
    char digits[16];
    tdb_status status = TDB_OK;
    int length = snprintf(digits, sizeof digits, "%u", number);
    for (int i = 0; i < length; i++) TDB_FORWARD(tdb_buf_append_str(out, cn_digits[digits[i] - '0']));
cleanup:
    return status;
}

void gen_format(char *out, size_t size, const char *format, ...)
{
    va_list arguments;
    va_start(arguments, format);
    vsnprintf(out, size, format, arguments);
    va_end(arguments);
}

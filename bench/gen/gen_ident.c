/* Valid identifiers for the generator: citizen ID numbers (GB 11643-1999), unified
 * social credit codes (GB 32100-2015) with their embedded organisation code
 * (GB 11714-1997), and VINs (ISO 3779 / GB 16735 check digit). */
#include <string.h>

#include "gen.h"

char gen_id_check_char(const char *digits17)
{
    static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static const char check[] = "10X98765432";
    int sum = 0;
    for (int i = 0; i < 17; i++) sum += (digits17[i] - '0') * weights[i];
    return check[sum % 11];
}

void gen_id_make(char out[19], const char *region, int32_t birth, unsigned sequence)
{
    int year, month, day;
    gen_civil_from_days(birth, &year, &month, &day);
    snprintf(out, 19, "%.6s%04d%02d%02d%03u", region, year, month, day, sequence % 1000);
    out[17] = gen_id_check_char(out);
    out[18] = '\0';
}

void gen_id_legacy15(char out[16], const char *id18)
{
    /* The legacy number has the region, a two-digit year, month, day and sequence. */
    memcpy(out, id18, 6);
    memcpy(out + 6, id18 + 8, 9);
    out[15] = '\0';
}

/* GB 11714 values: digits are 0-9, letters A-Z are 10-35. */
static int org_value(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c - 'A' + 10;
}

char gen_org_check_char(const char *body8)
{
    static const int weights[8] = {3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (int i = 0; i < 8; i++) sum += org_value(body8[i]) * weights[i];
    int check = 11 - sum % 11;
    if (check == 10) return 'X';
    if (check == 11) return '0';
    return (char)('0' + check);
}

void gen_uscc_make(char out[19], const char *category, const char *region, const char *body8)
{
    static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    static const int weights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

    memcpy(out, category, 2);
    memcpy(out + 2, region, 6);
    memcpy(out + 8, body8, 8);
    out[16] = gen_org_check_char(body8);

    int sum = 0;
    for (int i = 0; i < 17; i++) {
        const char *found = strchr(alphabet, out[i]);
        sum += (int)(found - alphabet) * weights[i];
    }
    out[17] = alphabet[(31 - sum % 31) % 31];
    out[18] = '\0';
}

static int vin_value(char c)
{
    static const char letters[] = "ABCDEFGHJKLMNPRSTUVWXYZ";
    static const int values[] = {1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 7, 9, 2, 3, 4, 5, 6, 7, 8, 9};
    if (c >= '0' && c <= '9') return c - '0';
    const char *found = strchr(letters, c);
    return found ? values[found - letters] : 0;
}

void gen_vin_make(gen_rng *rng, char out[18], const char *wmi, int model_year)
{
    static const char vds_chars[] = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ";
    static const char year_codes[] = "ABCDEFGHJKLMNPRSTVWXY123456789";
    static const char plants[] = "ABCDEFGHJKLMN0123456789";

    memcpy(out, wmi, 3);
    for (int i = 3; i < 8; i++) out[i] = vds_chars[gen_rng_below(rng, sizeof vds_chars - 1)];
    out[9] = year_codes[(model_year - 1980) % 30];
    out[10] = plants[gen_rng_below(rng, sizeof plants - 1)];
    for (int i = 11; i < 17; i++) out[i] = (char)('0' + gen_rng_below(rng, 10));
    out[8] = '0';

    out[17] = '\0';
    out[8] = gen_vin_check_char(out);
}

char gen_vin_check_char(const char *vin17)
{
    static const int weights[17] = {8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2};
    int sum = 0;
    for (int i = 0; i < 17; i++) sum += vin_value(vin17[i]) * weights[i];
    return sum % 11 == 10 ? 'X' : (char)('0' + sum % 11);
}

/* Shared types of the synthetic county generator (gen-county).
 *
 * The generator builds a whole county in memory first (geography, households,
 * persons, legal entities, vehicles, houses, certificates), then writes one file per
 * source. Dirt is applied only while writing, so the clean model stays the truth and
 * every seeded problem is recorded next to the physical line it lands on. All
 * randomness comes from gen_rng streams derived from the seed, never from rand(), so a
 * seed gives the same bytes on every run. */
#ifndef THEMEDB_GEN_H
#define THEMEDB_GEN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "util.h"

/* ---- random numbers (gen_random.c) ---- */

/* xoshiro256** state, seeded through splitmix64. */
typedef struct gen_rng {
    uint64_t state[4];
} gen_rng;

/* Seed RNG from SEED and a STREAM number, so that each output file draws from its own
 * sequence and changing one file's logic leaves the others' bytes unchanged. */
void gen_rng_seed(gen_rng *rng, uint64_t seed, uint64_t stream);
uint64_t gen_rng_next(gen_rng *rng);
/* Return a uniform integer in [0, BOUND); BOUND must be positive. */
uint32_t gen_rng_below(gen_rng *rng, uint32_t bound);
/* Return a uniform integer in [LOW, HIGH]. */
int gen_rng_range(gen_rng *rng, int low, int high);
/* Return a uniform double in [0, 1). */
double gen_rng_unit(gen_rng *rng);
bool gen_rng_chance(gen_rng *rng, double probability);
/* Return a normally distributed double (Box-Muller) with mean 0 and deviation 1. */
double gen_rng_normal(gen_rng *rng);
/* Pick an index from WEIGHTS[0..COUNT), with probability proportional to the weight. */
size_t gen_rng_weighted(gen_rng *rng, const unsigned *weights, size_t count);

/* Format into OUT[SIZE], truncating silently: generated names are far shorter. */
void gen_format(char *out, size_t size, const char *format, ...) __attribute__((format(printf, 3, 4)));

/* ---- dates (gen_random.c) ---- */

/* Dates are day numbers since 1970-01-01 (negative before). */
int32_t gen_days_from_civil(int year, int month, int day);
void gen_civil_from_days(int32_t days, int *year, int *month, int *day);

/* Append a number written in Chinese numerals: 12 -> 十二, 105 -> 一百零五 (0..9999). */
tdb_status gen_append_cn_number(tdb_buf *out, unsigned number);
/* Append each decimal digit of NUMBER as a Chinese digit: 301 -> 三零一. */
tdb_status gen_append_cn_digits(tdb_buf *out, unsigned number);

/* ---- identifiers (gen_ident.c) ---- */

/* Check character of the first 17 digits of a citizen ID number (GB 11643-1999). */
char gen_id_check_char(const char *digits17);
/* Write the 18-character ID number for REGION (6 digits), BIRTH (day number) and the
 * 3-digit SEQUENCE (its last digit is odd for men) into OUT[19]. */
void gen_id_make(char out[19], const char *region, int32_t birth, unsigned sequence);
/* Write the 15-digit legacy form of an 18-digit ID number born 1900-1999 into OUT[16]. */
void gen_id_legacy15(char out[16], const char *id18);
/* Write a unified social credit code (GB 32100-2015) into OUT[19]: registration
 * department and category (e.g. "91"), 6-digit region, and an organisation code body
 * of 8 characters whose GB 11714 check character is appended. */
void gen_uscc_make(char out[19], const char *category, const char *region, const char *body8);
/* GB 11714 check character of an 8-character organisation code body. */
char gen_org_check_char(const char *body8);
/* Check digit (position 9) of a 17-character VIN, ISO 3779 weights; the character at
 * position 9 itself has weight 0. */
char gen_vin_check_char(const char *vin17);
/* Write a 17-character VIN with a valid ISO 3779 check digit into OUT[18]. */
void gen_vin_make(gen_rng *rng, char out[18], const char *wmi, int model_year);

/* ---- text (gen_text.c) ---- */

typedef struct gen_name {
    char text[48];  /* UTF-8, e.g. 欧阳晓明 or 阿卜杜拉·艾买提 */
    uint8_t ethnicity; /* index into gen_ethnicities */
    bool dotted;       /* a transliterated minority name with the · separator */
} gen_name;

extern const char *const gen_ethnicities[];

/* Draw a person's name. A child of FATHER (NULL for none) takes his family name, or
 * for a transliterated name his first name as the second part. */
void gen_name_draw(gen_rng *rng, gen_name *name, const gen_name *father, bool male);
/* Copy the family name of a Han name into OUT (the compound surnames included). */
void gen_name_surname(const char *name, char out[16]);
/* Replace one character of NAME by a homophone (张 -> 章). Returns false when no
 * character of the name has one in the table. */
bool gen_text_homophone(gen_rng *rng, const char *name, tdb_buf *out);
/* Rewrite TEXT with traditional characters where the table has one. Returns false
 * when nothing changed. */
bool gen_text_traditional(const char *text, tdb_buf *out);
/* Replace the · of a minority name by a space, a full stop or a look-alike dot. */
bool gen_text_separator(gen_rng *rng, const char *name, tdb_buf *out);

/* ---- geography and addresses (gen_geo.c) ---- */

typedef struct gen_town {
    char code[10];
    char name[64];
    char county_code[7];
    char county_name[64];
    double longitude, latitude;
    int first_village, village_count;
} gen_town;

typedef struct gen_village {
    char code[13];
    char name[96];       /* as in the division data: 市东社区居民委员会 */
    char short_name[96]; /* as written in addresses: 市东社区, 桂林村 */
    bool urban;
    int town;
    double longitude, latitude;
    uint32_t next_address; /* counter that keeps generated addresses unique */
} gen_village;

typedef struct gen_geo {
    char province[64], city[64];
    char scope[7];          /* the selected division code (4 or 6 digits) */
    gen_town *towns;
    size_t town_count;
    gen_village *villages;
    size_t village_count;
    char (*other_regions)[7]; /* other county codes of the province, for migrants */
    size_t other_region_count;
    double longitude_min, longitude_max, latitude_min, latitude_max;
    bool box_approximate;
} gen_geo;

tdb_status gen_geo_load(gen_geo *geo, const char *division_dir, const char *code);
void gen_geo_free(gen_geo *geo);

typedef enum gen_address_kind { GEN_ADDRESS_ROAD, GEN_ADDRESS_ESTATE, GEN_ADDRESS_RURAL } gen_address_kind;

typedef struct gen_address {
    int32_t village;
    uint8_t kind;
    uint8_t group;    /* rural: 村民小组 */
    uint16_t building; /* estate: 栋 */
    uint8_t unit;      /* estate: 单元 */
    uint16_t road;    /* road or estate index */
    uint16_t number;  /* road or rural house number */
    uint16_t room;    /* estate: floor * 100 + room */
    double longitude, latitude;
} gen_address;

/* Render flags: each one is a kind of address dirt. */
enum {
    GEN_RENDER_ABBREVIATED = 1 << 0, /* province and city left out */
    GEN_RENDER_LEVEL_MISSING = 1 << 1, /* town left out */
    GEN_RENDER_CN_NUMERALS = 1 << 2,
    GEN_RENDER_SHORTHAND = 1 << 3,   /* 5-2-301 for 5栋2单元301房 */
    GEN_RENDER_NOISE = 1 << 4,       /* a remark in brackets */
    GEN_RENDER_TRADITIONAL = 1 << 5,
    GEN_RENDER_COMMITTEE = 1 << 6,   /* 市东社区居委会, 桂林村委会 */
    GEN_RENDER_LINE_BREAK = 1 << 7   /* a newline between the county and the rest */
};

/* Create a new, unique address in VILLAGE (urban villages get roads and estates). */
void gen_address_new(gen_geo *geo, gen_rng *rng, int32_t village, gen_address *address);
/* Render ADDRESS with the dirt FLAGS into OUT (appended). */
tdb_status gen_address_render(const gen_geo *geo, const gen_address *address, unsigned flags,
                              gen_rng *rng, tdb_buf *out);
/* Return true when FLAG changes the rendering of ADDRESS (SHORTHAND needs an estate). */
bool gen_address_flag_applies(const gen_address *address, unsigned flag);

/* ---- the county model (gen_model.c) ---- */

typedef struct gen_options {
    long persons;
    uint64_t seed;
    const char *out_dir;
    const char *division;
    const char *division_dir;
    double dirt_id, dirt_name, dirt_address, missing_owner, unknown_owner;
    double duplicates, stale, malformed;
    int32_t as_of; /* day number */
    int freshness_days;
} gen_options;

typedef struct gen_person {
    char id[19];
    gen_name name;
    int32_t birth;
    uint8_t sex; /* 1 male, 2 female */
    bool in_base; /* false: lives elsewhere, owns something here (owner_unknown) */
    int32_t household;
    char phone[12];
} gen_person;

typedef struct gen_household {
    gen_address registered;
    gen_address residence;
} gen_household;

typedef struct gen_entity {
    char uscc[19];
    char name[128];
    int32_t representative; /* person index */
    gen_address address;
    uint8_t type, status;
    int32_t established;
} gen_entity;

/* Owner reference: a person index, or an entity index when ENTITY is set. */
typedef struct gen_owner {
    int32_t index;
    bool entity;
} gen_owner;

typedef struct gen_vehicle {
    char plate[24];
    char vin[18];
    gen_owner owner;
    uint8_t plate_type, brand, vehicle_type, use_nature, status;
    int32_t registered;
} gen_vehicle;

#define GEN_MAX_CO_OWNERS 3

typedef struct gen_house {
    char unit_number[29];
    char cert_number[64];
    gen_address location;
    gen_owner owners[GEN_MAX_CO_OWNERS];
    uint8_t owner_count;
    uint32_t area_tenths; /* square metres times 10 */
    uint8_t usage;
    int32_t registered;
} gen_house;

typedef enum gen_cert_type {
    GEN_CERT_ID_CARD, GEN_CERT_DRIVING_LICENCE, GEN_CERT_VEHICLE_LICENCE,
    GEN_CERT_PROPERTY, GEN_CERT_BUSINESS_LICENCE
} gen_cert_type;

typedef struct gen_cert {
    uint8_t type;
    gen_owner holder;
    int32_t subject; /* vehicle or house index, or -1 */
    char number[64];
    int32_t issued, valid_until;
} gen_cert;

typedef struct gen_county {
    gen_geo geo;
    gen_person *persons;      /* base persons first, then outsiders */
    size_t person_count, base_person_count;
    gen_household *households;
    size_t household_count;
    gen_entity *entities;
    size_t entity_count;
    gen_vehicle *vehicles;
    size_t vehicle_count;
    gen_house *houses;
    size_t house_count;
    gen_cert *certs;
    size_t cert_count;
} gen_county;

tdb_status gen_county_build(gen_county *county, const gen_options *options);
void gen_county_free(gen_county *county);

/* ---- output files (gen_output.c) ---- */

typedef enum gen_encoding { GEN_UTF8, GEN_GB18030 } gen_encoding;

typedef struct gen_file_format {
    const char *file_name;
    gen_encoding encoding;
    bool gzip;
    bool crlf;
    bool bom;
} gen_file_format;

typedef struct gen_file gen_file;

/* Open DIR/FORMAT->file_name for writing. */
tdb_status gen_file_open(gen_file **file, const char *dir, const gen_file_format *format);
/* Physical line number (1-based) at which the next record starts. */
long gen_file_line(const gen_file *file);
/* Append one field to the pending record, quoting it as RFC 4180 requires. */
tdb_status gen_file_field(gen_file *file, const char *value);
/* Remove the last field of the pending record (for ragged rows). */
void gen_file_drop_last_field(gen_file *file);
/* Keep a copy of the pending record, to be written later by gen_file_write_saved. */
tdb_status gen_file_save_record(gen_file *file);
/* Write the record kept by gen_file_save_record as a well-formed record. */
tdb_status gen_file_write_saved(gen_file *file);
/* End the pending record: convert, compress and write it. INVALID_BYTE appends one
 * byte that is invalid in the file's encoding to the record's first field. */
tdb_status gen_file_end_record(gen_file *file, bool invalid_byte);
/* Write the last record again (a duplicate row). */
tdb_status gen_file_repeat_record(gen_file *file);
tdb_status gen_file_close(gen_file *file);

/* Truth tables: truth/links.csv and truth/problems.csv. */
typedef struct gen_truth {
    FILE *links;
    FILE *problems;
} gen_truth;

tdb_status gen_truth_open(gen_truth *truth, const char *dir);
tdb_status gen_truth_close(gen_truth *truth);

/* ---- records with dirt and truth (gen_record.c) ---- */

typedef struct gen_pending_problem {
    const char *field;
    const char *problem;
} gen_pending_problem;

typedef struct gen_pending_link {
    const char *link_type;
    gen_owner to;
} gen_pending_link;

/* Writer of one source file: it decides the dirt of each record, and sends the record's
 * links and problems to the truth tables with the line the record starts on. */
typedef struct gen_record {
    const gen_county *county;
    const gen_options *options;
    gen_truth *truth;
    const char *source; /* manifest section name */
    bool base;          /* a base table: a malformed row is followed by a clean copy */
    gen_file *file;
    gen_rng rng;
    long line;
    enum { GEN_ROW_WELL_FORMED, GEN_ROW_RAGGED, GEN_ROW_INVALID_BYTE } malformed;
    gen_pending_problem problems[24];
    size_t problem_count;
    gen_pending_link links[8];
    size_t link_count;
} gen_record;

/* Open DIR/FORMAT's file for SOURCE, write the HEADER row; STREAM selects the random
 * sequence of this file. */
tdb_status gen_record_open(gen_record *record, const gen_county *county, const gen_options *options,
                           gen_truth *truth, const char *source, const gen_file_format *format,
                           const char *const *header, size_t header_count, uint64_t stream);
tdb_status gen_record_close(gen_record *record);
/* Start a record: decide whether it will be malformed. */
void gen_record_begin(gen_record *record);
tdb_status gen_record_field(gen_record *record, const char *value);
/* Write an updated_at field, stale at the rate of --stale. */
tdb_status gen_record_updated(gen_record *record, const char *field);
/* Finish the record, flush its truth rows and maybe write it twice (--duplicates). */
tdb_status gen_record_end(gen_record *record);
void gen_record_problem(gen_record *record, const char *field, const char *problem);
void gen_record_link(gen_record *record, const char *link_type, gen_owner to);

/* Append the ID of a base person with the dirt a registry leaves (legacy 15-digit
 * numbers, lower-case x, full-width digits). */
tdb_status gen_dirt_base_id(gen_record *record, const char *field, const gen_person *person, tdb_buf *out);
/* Append an owner's or holder's ID number or credit code as a department writes it, and
 * record the LINK_TYPE link to the owner unless the owner is in no base table. */
tdb_status gen_dirt_owner_id(gen_record *record, const char *field, gen_owner owner, const char *link_type,
                             tdb_buf *out);
/* Append NAME, dirty at RATE. */
tdb_status gen_dirt_name(gen_record *record, const char *field, const char *name, double rate, tdb_buf *out);
/* Append ADDRESS, dirty at the rate of --dirt-address, broken over two lines at
 * LINE_BREAK_RATE. */
tdb_status gen_dirt_address(gen_record *record, const char *field, const gen_address *address,
                            double line_break_rate, tdb_buf *out);
typedef enum gen_date_style {
    GEN_DATE_DASH,    /* 2026-12-01 */
    GEN_DATE_SLASH,   /* 2026/12/01 */
    GEN_DATE_COMPACT, /* 20261201 */
    GEN_DATE_CHINESE  /* 2026年12月01日 */
} gen_date_style;

tdb_status gen_append_date(tdb_buf *out, gen_date_style style, int32_t days);

/* ---- sources (gen_sources.c) ---- */

/* Write every source file, the truth tables and manifest.ini into OPTIONS->out_dir. */
tdb_status gen_write_sources(const gen_county *county, const gen_options *options);

#endif

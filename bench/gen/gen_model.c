/* The clean county model: households and persons, people registered elsewhere who own
 * something here, legal entities, vehicles, houses and e-certificates. Every key is
 * valid and unique here; dirt is added later, while the files are written. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

/* ---- a set of 64-bit key hashes, to keep IDs, plates and codes unique ---- */

typedef struct key_set {
    uint64_t *slots;
    size_t mask;
} key_set;

static tdb_status key_set_init(key_set *set, size_t expected)
{
    size_t capacity = 1024;
    while (capacity < expected * 2) capacity *= 2;
    set->slots = tdb_calloc(capacity, sizeof *set->slots);
    set->mask = capacity - 1;
    return set->slots ? TDB_OK : TDB_ERR_NOMEM;
}

static uint64_t hash_text(const char *text)
{
    uint64_t hash = 0xcbf29ce484222325ULL; /* FNV-1a */
    for (; *text; text++) hash = (hash ^ (unsigned char)*text) * 0x100000001b3ULL;
    return hash | 1; /* 0 marks an empty slot */
}

/* Insert the hash of TEXT; return false when it was already present. */
static bool key_set_insert(key_set *set, const char *text)
{
    uint64_t hash = hash_text(text);
    for (size_t slot = hash & set->mask;; slot = (slot + 1) & set->mask) {
        if (set->slots[slot] == hash) return false;
        if (set->slots[slot] == 0) {
            set->slots[slot] = hash;
            return true;
        }
    }
}

typedef struct build_context {
    gen_county *county;
    const gen_options *options;
    gen_rng rng;
    key_set keys;
    unsigned *village_weights; /* running sums of the village weights */
    unsigned *urban_weights;
    size_t person_capacity, household_capacity, vehicle_capacity, house_capacity, cert_capacity;
} build_context;

static int age_at(int32_t birth, int32_t as_of)
{
    int birth_year, birth_month, birth_day, year, month, day;
    gen_civil_from_days(birth, &birth_year, &birth_month, &birth_day);
    gen_civil_from_days(as_of, &year, &month, &day);
    int age = year - birth_year;
    if (month < birth_month || (month == birth_month && day < birth_day)) age--;
    return age;
}

/* Draw a village with probability proportional to its weight. The weights are stored as
 * running sums, so a binary search finds the same village as gen_rng_weighted would. */
static int32_t draw_village(build_context *context, bool urban)
{
    const unsigned *sums = urban ? context->urban_weights : context->village_weights;
    size_t count = context->county->geo.village_count;
    uint32_t pick = gen_rng_below(&context->rng, sums[count - 1]);
    size_t low = 0, high = count - 1;
    while (low < high) {
        size_t middle = low + (high - low) / 2;
        if (sums[middle] > pick) high = middle;
        else low = middle + 1;
    }
    return (int32_t)low;
}

static tdb_status init_weights(build_context *context)
{
    const gen_geo *geo = &context->county->geo;
    context->village_weights = tdb_calloc(geo->village_count, sizeof(unsigned));
    context->urban_weights = tdb_calloc(geo->village_count, sizeof(unsigned));
    if (!context->village_weights || !context->urban_weights) return TDB_ERR_NOMEM;

    /* Town communities hold more people than a village; if the county has no community
     * at all, "urban" draws fall back to every village. */
    bool any_urban = false;
    for (size_t i = 0; i < geo->village_count; i++) {
        context->village_weights[i] = geo->villages[i].urban ? 8 : 1;
        context->urban_weights[i] = geo->villages[i].urban ? 1 : 0;
        any_urban |= geo->villages[i].urban;
    }
    if (!any_urban)
        for (size_t i = 0; i < geo->village_count; i++) context->urban_weights[i] = 1;
    for (size_t i = 1; i < geo->village_count; i++) {
        context->village_weights[i] += context->village_weights[i - 1];
        context->urban_weights[i] += context->urban_weights[i - 1];
    }
    return TDB_OK;
}

/* ---- persons ---- */

static const char *draw_region(build_context *context, int32_t birth, const char *home)
{
    const gen_geo *geo = &context->county->geo;
    double pick = gen_rng_unit(&context->rng);

    /* Longchuan belonged to Huiyang prefecture with code 442529 until 1988; people
     * registered then kept that code in their ID number. */
    if (strcmp(home, "441622") == 0 && birth < gen_days_from_civil(1988, 1, 1) && pick < 0.05) return "442529";
    if (pick > 0.92 && geo->other_region_count > 0)
        return geo->other_regions[gen_rng_below(&context->rng, (uint32_t)geo->other_region_count)];
    return home;
}

static void draw_phone(gen_rng *rng, char out[12])
{
    static const char *const prefixes[] = {
        "135", "136", "137", "138", "139", "150", "151", "152", "158", "159", "182", "187",
        "188", "133", "153", "180", "189", "130", "131", "132", "155", "156", "186", "177",
    };
    gen_format(out, 12, "%s%08u", prefixes[gen_rng_below(rng, TDB_ARRAY_LEN(prefixes))], gen_rng_below(rng, 100000000));
}

static tdb_status grow_persons(build_context *context)
{
    gen_county *county = context->county;
    void *array = county->persons;
    tdb_status status = tdb_grow(&array, &context->person_capacity, county->person_count + 1, sizeof *county->persons);
    county->persons = array;
    return status;
}

/* Append a person born AGE years before as_of; FATHER gives the child's family name. */
static tdb_status add_person(build_context *context, int age, bool male, const gen_name *father,
                             const char *home_region, int32_t household)
{
    tdb_status status = TDB_OK;
    gen_county *county = context->county;
    TDB_FORWARD(grow_persons(context));

    gen_person *person = &county->persons[county->person_count];
    memset(person, 0, sizeof *person);
    person->sex = male ? 1 : 2;
    person->household = household;
    person->in_base = household >= 0;
    person->birth = context->options->as_of - (int32_t)(age * 365.25) - (int32_t)gen_rng_below(&context->rng, 365);
    gen_name_draw(&context->rng, &person->name, father, male);
    if (age >= 12) draw_phone(&context->rng, person->phone);

    /* Draw sequence numbers until the ID is unused; the last digit's parity is the sex. */
    const char *region = draw_region(context, person->birth, home_region);
    do {
        unsigned sequence = gen_rng_below(&context->rng, 500) * 2 + (male ? 1 : 0);
        gen_id_make(person->id, region, person->birth, sequence);
    } while (!key_set_insert(&context->keys, person->id));
    county->person_count++;
cleanup:
    return status;
}

static int draw_household_size(gen_rng *rng)
{
    static const unsigned weights[] = {12, 22, 25, 22, 12, 7};
    return (int)gen_rng_weighted(rng, weights, TDB_ARRAY_LEN(weights)) + 1;
}

static tdb_status add_household(build_context *context, long persons_left)
{
    tdb_status status = TDB_OK;
    gen_county *county = context->county;
    gen_rng *rng = &context->rng;
    void *array = county->households;
    TDB_FORWARD(tdb_grow(&array, &context->household_capacity, county->household_count + 1, sizeof *county->households));
    county->households = array;

    int32_t index = (int32_t)county->household_count++;
    gen_household *household = &county->households[index];
    int32_t village = draw_village(context, false);
    gen_address_new(&county->geo, rng, village, &household->registered);
    if (gen_rng_chance(rng, 0.3)) gen_address_new(&county->geo, rng, draw_village(context, true), &household->residence);
    else household->residence = household->registered;

    const char *home = county->geo.towns[county->geo.villages[village].town].county_code;
    int size = draw_household_size(rng);
    if (size > persons_left) size = (int)persons_left;

    /* Head, spouse, then children or an elderly parent. */
    int head_age = 22 + (int)fabs(gen_rng_normal(rng) * 18.0 + 18.0);
    if (head_age > 90) head_age = 90;
    bool head_male = gen_rng_chance(rng, 0.8);
    TDB_FORWARD(add_person(context, head_age, head_male, NULL, home, index));
    size_t head = county->person_count - 1;
    for (int member = 1; member < size; member++) {
        gen_name head_name = county->persons[head].name;
        const gen_name *father = head_male ? &head_name : NULL;
        if (member == 1) {
            int age = head_age + gen_rng_range(rng, -5, 5);
            TDB_FORWARD(add_person(context, age < 20 ? 20 : age, !head_male, NULL, home, index));
        } else if (gen_rng_chance(rng, 0.75) && head_age >= 20) {
            int age = head_age - gen_rng_range(rng, 20, 38);
            if (age < 0) age = (int)gen_rng_below(rng, (uint32_t)(head_age - 18));
            TDB_FORWARD(add_person(context, age, gen_rng_chance(rng, 0.52), father, home, index));
        } else {
            int age = head_age + gen_rng_range(rng, 20, 30);
            TDB_FORWARD(add_person(context, age > 100 ? 100 : age, gen_rng_chance(rng, 0.45), NULL, home, index));
        }
    }
cleanup:
    return status;
}

static tdb_status build_persons(build_context *context)
{
    tdb_status status = TDB_OK;
    gen_county *county = context->county;
    long target = context->options->persons;
    while ((long)county->person_count < target)
        TDB_FORWARD(add_household(context, target - (long)county->person_count));
    county->base_person_count = county->person_count;

    /* People registered in other counties who own a car or a house here. About 3 in 10
     * were born here and moved their registration away, so their ID numbers carry this
     * county's code. The choice is a hash of the index, not an RNG draw, so that it
     * leaves every other value unchanged. */
    size_t outsiders = county->base_person_count / 50 + 5;
    for (size_t i = 0; i < outsiders; i++) {
        const gen_geo *geo = &county->geo;
        const char *region = geo->other_region_count > 0
            ? geo->other_regions[gen_rng_below(&context->rng, (uint32_t)geo->other_region_count)] : "440106";
        if ((uint32_t)(i * 2654435761u) % 10 < 3) region = geo->towns[0].county_code;
        TDB_FORWARD(add_person(context, gen_rng_range(&context->rng, 20, 70), gen_rng_chance(&context->rng, 0.6),
                               NULL, region, -1));
    }
cleanup:
    return status;
}

/* ---- legal entities ---- */

enum { ENTITY_COMPANY, ENTITY_INDIVIDUAL, ENTITY_COOPERATIVE, ENTITY_INSTITUTION, ENTITY_SOCIETY, ENTITY_TYPE_COUNT };
static const char *const entity_categories[ENTITY_TYPE_COUNT] = {"91", "92", "93", "12", "51"};
static const unsigned entity_type_weights[ENTITY_TYPE_COUNT] = {45, 35, 8, 7, 5};

static const char *const trade_names[] = {
    "宏达", "兴旺", "鑫源", "恒通", "华辉", "东江", "佗城", "金龙", "永兴", "德昌", "富民",
    "嘉盛", "粤龙", "客家", "霍山", "顺发", "利民", "新源",
};
static const char *const industries[] = {
    "贸易", "建材", "农业发展", "电子", "食品", "运输", "物流", "房地产开发", "水电", "茶业",
    "商贸", "建筑工程", "汽车维修",
};
static const char *const shops[] = {"商行", "五金店", "餐馆", "便利店", "农资店", "服装店", "米粉店"};
static const char *const shop_marks[] = {"好运来", "客家人", "老字号", "兴隆"};
static const char *const crops[] = {"茶叶", "水稻", "养殖", "蔬菜", "油茶", "脐橙"};
static const char *const institutions[] = {"中心小学", "卫生院", "文化站", "农业技术推广站", "中学"};
static const char *const societies[] = {"个体劳动者协会", "老年人协会", "书法家协会", "商会", "慈善会", "篮球协会"};

#define PICK(rng, list) list[gen_rng_below(rng, TDB_ARRAY_LEN(list))]

static void name_entity(build_context *context, gen_entity *entity)
{
    gen_rng *rng = &context->rng;
    const gen_geo *geo = &context->county->geo;
    const gen_village *village = &geo->villages[entity->address.village];
    const gen_town *town = &geo->towns[village->town];
    char surname[16];
    gen_name_surname(context->county->persons[entity->representative].name.text, surname);

    switch (entity->type) {
    case ENTITY_COMPANY:
        gen_format(entity->name, sizeof entity->name, "%s%s%s有限公司", town->county_name, PICK(rng, trade_names),
                 PICK(rng, industries));
        break;
    case ENTITY_INDIVIDUAL:
        /* A few shop names carry quotation marks, which the CSV writer must double. */
        if (gen_rng_chance(rng, 0.1))
            gen_format(entity->name, sizeof entity->name, "%s%s\"%s\"%s", town->county_name, town->name,
                     PICK(rng, shop_marks), PICK(rng, shops));
        else
            gen_format(entity->name, sizeof entity->name, "%s%s%s记%s", town->county_name, town->name, surname,
                     PICK(rng, shops));
        break;
    case ENTITY_COOPERATIVE:
        gen_format(entity->name, sizeof entity->name, "%s%s%s%s专业合作社", town->county_name, town->name,
                 village->short_name, PICK(rng, crops));
        break;
    case ENTITY_INSTITUTION:
        gen_format(entity->name, sizeof entity->name, "%s%s%s", town->county_name, town->name, PICK(rng, institutions));
        break;
    default:
        gen_format(entity->name, sizeof entity->name, "%s%s", town->county_name, PICK(rng, societies));
        break;
    }
}

/* Organisation code body: old numeric codes, or the MA… form issued since 2015. */
static void draw_org_body(gen_rng *rng, char body[9])
{
    static const char letters[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    if (gen_rng_chance(rng, 0.5)) {
        body[0] = 'M', body[1] = 'A';
        for (int i = 2; i < 8; i++) body[i] = letters[gen_rng_below(rng, sizeof letters - 1)];
    } else {
        for (int i = 0; i < 8; i++) body[i] = (char)('0' + gen_rng_below(rng, 10));
    }
    body[8] = '\0';
}

static int32_t draw_adult(build_context *context, int min_age, int max_age)
{
    const gen_county *county = context->county;
    int32_t index = 0;
    /* A very small county may have no person in the range, so give up after a while. */
    for (int attempt = 0; attempt < 10000; attempt++) {
        index = (int32_t)gen_rng_below(&context->rng, (uint32_t)county->base_person_count);
        int age = age_at(county->persons[index].birth, context->options->as_of);
        if (age >= min_age && age <= max_age) break;
    }
    return index;
}

static tdb_status build_entities(build_context *context)
{
    gen_county *county = context->county;
    gen_rng *rng = &context->rng;
    county->entity_count = county->base_person_count / 20 + 3;
    county->entities = tdb_calloc(county->entity_count, sizeof *county->entities);
    if (!county->entities) return TDB_ERR_NOMEM;

    static const unsigned status_weights[] = {70, 15, 10, 5};
    for (size_t i = 0; i < county->entity_count; i++) {
        gen_entity *entity = &county->entities[i];
        entity->type = (uint8_t)gen_rng_weighted(rng, entity_type_weights, ENTITY_TYPE_COUNT);
        entity->representative = draw_adult(context, 22, 70);
        gen_address_new(&county->geo, rng, draw_village(context, gen_rng_chance(rng, 0.7)), &entity->address);
        name_entity(context, entity);
        entity->status = (uint8_t)gen_rng_weighted(rng, status_weights, TDB_ARRAY_LEN(status_weights));
        entity->established = context->options->as_of - gen_rng_range(rng, 30, 9000);

        const gen_village *village = &county->geo.villages[entity->address.village];
        const char *region = county->geo.towns[village->town].county_code;
        do {
            char body[9];
            draw_org_body(rng, body);
            gen_uscc_make(entity->uscc, entity_categories[entity->type], region, body);
        } while (!key_set_insert(&context->keys, entity->uscc));
    }
    return TDB_OK;
}

/* ---- vehicles ---- */

typedef struct brand {
    const char *model;
    const char *wmi;
    uint8_t vehicle_type;
} brand;

static const brand brands[] = {
    {"比亚迪牌BYD7152", "LC0", 0}, {"丰田牌GTM7164", "LVG", 0}, {"大众牌SVW7157", "LSV", 0},
    {"本田牌HG7152", "LHG", 0},    {"吉利牌JL7152", "L6T", 0},  {"五菱牌LZW6432", "LZW", 1},
    {"长安牌SC7164", "LS5", 0},    {"日产牌DFL7161", "LGB", 0}, {"传祺牌GAC6450", "LMG", 1},
    {"东风牌DFH5180", "LGA", 2},   {"江铃牌JX1041", "LEF", 3},
};

/* Province abbreviations by the first two digits of the division code. */
static const char *province_abbreviation(const char *code)
{
    static const struct {
        char code[3];
        const char *abbreviation;
    } table[] = {
        {"11", "京"}, {"12", "津"}, {"13", "冀"}, {"14", "晋"}, {"15", "蒙"}, {"21", "辽"}, {"22", "吉"},
        {"23", "黑"}, {"31", "沪"}, {"32", "苏"}, {"33", "浙"}, {"34", "皖"}, {"35", "闽"}, {"36", "赣"},
        {"37", "鲁"}, {"41", "豫"}, {"42", "鄂"}, {"43", "湘"}, {"44", "粤"}, {"45", "桂"}, {"46", "琼"},
        {"50", "渝"}, {"51", "川"}, {"52", "贵"}, {"53", "云"}, {"54", "藏"}, {"61", "陕"}, {"62", "甘"},
        {"63", "青"}, {"64", "宁"}, {"65", "新"},
    };
    for (size_t i = 0; i < TDB_ARRAY_LEN(table); i++)
        if (strncmp(table[i].code, code, 2) == 0) return table[i].abbreviation;
    return "粤";
}

static void draw_plate(build_context *context, gen_vehicle *vehicle)
{
    static const char letters[] = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    gen_rng *rng = &context->rng;
    const char *scope = context->county->geo.scope;
    const char *province = province_abbreviation(scope);
    /* Heyuan's plates are 粤P; other cities get a letter from their code (approximate). */
    char city = strncmp(scope, "4416", 4) == 0 ? 'P' : letters[(unsigned)atoi(scope + 2) / (strlen(scope) == 6 ? 100 : 1) % 24];
    do {
        char tail[8];
        if (vehicle->plate_type == 1) {
            /* Small new-energy plates: D (battery) or F (hybrid), then five digits. */
            gen_format(tail, sizeof tail, "%c%05u", gen_rng_chance(rng, 0.7) ? 'D' : 'F', gen_rng_below(rng, 100000));
        } else if (gen_rng_chance(rng, 0.3)) {
            gen_format(tail, sizeof tail, "%c%04u", letters[gen_rng_below(rng, sizeof letters - 1)], gen_rng_below(rng, 10000));
        } else {
            gen_format(tail, sizeof tail, "%05u", gen_rng_below(rng, 100000));
        }
        gen_format(vehicle->plate, sizeof vehicle->plate, "%s%c%s", province, city, tail);
    } while (!key_set_insert(&context->keys, vehicle->plate));
}

static tdb_status add_vehicle(build_context *context, gen_owner owner)
{
    tdb_status status = TDB_OK;
    gen_county *county = context->county;
    gen_rng *rng = &context->rng;
    void *array = county->vehicles;
    TDB_FORWARD(tdb_grow(&array, &context->vehicle_capacity, county->vehicle_count + 1, sizeof *county->vehicles));
    county->vehicles = array;

    gen_vehicle *vehicle = &county->vehicles[county->vehicle_count++];
    memset(vehicle, 0, sizeof *vehicle);
    vehicle->owner = owner;
    if (!owner.entity && gen_rng_chance(rng, context->options->unknown_owner)) {
        size_t outsiders = county->person_count - county->base_person_count;
        vehicle->owner.index = (int32_t)(county->base_person_count + gen_rng_below(rng, (uint32_t)outsiders));
    }
    vehicle->brand = (uint8_t)gen_rng_below(rng, owner.entity ? TDB_ARRAY_LEN(brands) : TDB_ARRAY_LEN(brands) - 2);
    vehicle->vehicle_type = brands[vehicle->brand].vehicle_type;
    vehicle->plate_type = vehicle->vehicle_type >= 2 ? 2 : gen_rng_chance(rng, 0.1) ? 1 : 0;
    vehicle->use_nature = owner.entity && vehicle->vehicle_type >= 2 ? 1 : 0;
    static const unsigned status_weights[] = {90, 4, 2, 4};
    vehicle->status = (uint8_t)gen_rng_weighted(rng, status_weights, TDB_ARRAY_LEN(status_weights));
    vehicle->registered = context->options->as_of - gen_rng_range(rng, 30, 5400);
    int year, month, day;
    gen_civil_from_days(vehicle->registered, &year, &month, &day);
    draw_plate(context, vehicle);
    do gen_vin_make(rng, vehicle->vin, brands[vehicle->brand].wmi, year);
    while (!key_set_insert(&context->keys, vehicle->vin));
cleanup:
    return status;
}

static tdb_status build_vehicles(build_context *context)
{
    tdb_status status = TDB_OK;
    gen_county *county = context->county;
    gen_rng *rng = &context->rng;

    /* About 0.3 vehicles per adult: 27 % own one, a tenth of those a second. */
    for (size_t i = 0; i < county->base_person_count; i++) {
        if (age_at(county->persons[i].birth, context->options->as_of) < 18) continue;
        if (!gen_rng_chance(rng, 0.27)) continue;
        gen_owner owner = {(int32_t)i, false};
        TDB_FORWARD(add_vehicle(context, owner));
        if (gen_rng_chance(rng, 0.1)) TDB_FORWARD(add_vehicle(context, owner));
    }
    for (size_t i = 0; i < county->entity_count; i++) {
        uint8_t type = county->entities[i].type;
        int count = type == ENTITY_COMPANY ? gen_rng_range(rng, 0, 3) : type == ENTITY_INDIVIDUAL ? gen_rng_range(rng, 0, 1) : 0;
        gen_owner owner = {(int32_t)i, true};
        for (int k = 0; k < count; k++) TDB_FORWARD(add_vehicle(context, owner));
    }
cleanup:
    return status;
}

/* ---- houses ---- */

static tdb_status add_house(build_context *context, const gen_address *location, const gen_owner *owners,
                            int owner_count, uint32_t *village_parcels)
{
    tdb_status status = TDB_OK;
    gen_county *county = context->county;
    gen_rng *rng = &context->rng;
    void *array = county->houses;
    TDB_FORWARD(tdb_grow(&array, &context->house_capacity, county->house_count + 1, sizeof *county->houses));
    county->houses = array;

    size_t index = county->house_count++;
    gen_house *house = &county->houses[index];
    memset(house, 0, sizeof *house);
    house->location = *location;
    house->owner_count = (uint8_t)owner_count;
    memcpy(house->owners, owners, (size_t)owner_count * sizeof *owners);
    if (!owners[0].entity && gen_rng_chance(rng, context->options->unknown_owner)) {
        size_t outsiders = county->person_count - county->base_person_count;
        house->owners[0].index = (int32_t)(county->base_person_count + gen_rng_below(rng, (uint32_t)outsiders));
    }

    /* Unit number: region, cadastral zone (town and village digits), parcel feature code
     * (GB state-owned construction land, JC rural homestead), parcel, F, fixture unit. */
    const gen_village *village = &county->geo.villages[location->village];
    const gen_town *town = &county->geo.towns[village->town];
    bool rural = location->kind == GEN_ADDRESS_RURAL;
    uint32_t parcel = ++village_parcels[location->village];
    unsigned building = 1, room = 1;
    if (location->kind == GEN_ADDRESS_ESTATE) {
        building = location->building;
        room = location->room;
    }
    gen_format(house->unit_number, sizeof house->unit_number, "%.6s%.3s%.3s%s%05uF%04u%04u", town->county_code,
             town->code + 6, village->code + 9, rural ? "JC" : "GB", parcel % 100000, building % 10000, room % 10000);

    house->registered = context->options->as_of - gen_rng_range(rng, 20, 6000);
    int year, month, day;
    gen_civil_from_days(house->registered, &year, &month, &day);

    /* Real-estate certificates in this numbering exist since 2015; a house registered
     * before then got one when it was registered again. The year comes from the house
     * number, not from RNG, so that this rule leaves every other value unchanged. */
    if (year < 2015) {
        int as_of_year, as_of_month, as_of_day;
        gen_civil_from_days(context->options->as_of, &as_of_year, &as_of_month, &as_of_day);
        uint32_t spread = (uint32_t)(as_of_year - 2015 + 1);
        year = 2015 + (int)((uint32_t)(index * 2654435761u) % spread);
    }
    gen_format(house->cert_number, sizeof house->cert_number, "%s(%d)%s不动产权第%07zu号",
             province_abbreviation(town->county_code), year, town->county_name, index + 1);
    house->area_tenths = rural ? (uint32_t)gen_rng_range(rng, 900, 3000) : (uint32_t)gen_rng_range(rng, 600, 1800);
    house->usage = owners[0].entity ? (uint8_t)gen_rng_range(rng, 1, 2) : gen_rng_chance(rng, 0.95) ? 0 : 1;
cleanup:
    return status;
}

/* Owners of a household's house: the head, often with the spouse, rarely an adult child. */
static int household_owners(build_context *context, size_t first, size_t count, gen_owner owners[GEN_MAX_CO_OWNERS])
{
    gen_rng *rng = &context->rng;
    int owner_count = 0;
    owners[owner_count++] = (gen_owner){(int32_t)first, false};
    if (count >= 2 && gen_rng_chance(rng, 0.45)) owners[owner_count++] = (gen_owner){(int32_t)first + 1, false};
    if (count >= 3 && owner_count == 2 && gen_rng_chance(rng, 0.1)) {
        int32_t child = (int32_t)first + 2;
        if (age_at(context->county->persons[child].birth, context->options->as_of) >= 18)
            owners[owner_count++] = (gen_owner){child, false};
    }
    return owner_count;
}

static tdb_status build_houses(build_context *context)
{
    tdb_status status = TDB_OK;
    gen_county *county = context->county;
    gen_rng *rng = &context->rng;
    uint32_t *village_parcels = tdb_calloc(county->geo.village_count, sizeof *village_parcels);
    TDB_FAIL_IF(!village_parcels, TDB_ERR_NOMEM);

    /* Persons are stored household by household, so members are contiguous. */
    size_t first = 0;
    while (first < county->base_person_count) {
        int32_t household = county->persons[first].household;
        size_t count = 0;
        while (first + count < county->base_person_count && county->persons[first + count].household == household) count++;
        gen_owner owners[GEN_MAX_CO_OWNERS];
        if (gen_rng_chance(rng, 0.9)) {
            int owner_count = household_owners(context, first, count, owners);
            TDB_FORWARD(add_house(context, &county->households[household].residence, owners, owner_count, village_parcels));
        }
        if (gen_rng_chance(rng, 0.08)) {
            gen_address second;
            gen_address_new(&county->geo, rng, draw_village(context, true), &second);
            int owner_count = household_owners(context, first, count, owners);
            TDB_FORWARD(add_house(context, &second, owners, owner_count, village_parcels));
        }
        first += count;
    }
    for (size_t i = 0; i < county->entity_count; i++) {
        if (county->entities[i].type != ENTITY_COMPANY || !gen_rng_chance(rng, 0.2)) continue;
        gen_address location;
        gen_address_new(&county->geo, rng, draw_village(context, true), &location);
        gen_owner owner = {(int32_t)i, true};
        TDB_FORWARD(add_house(context, &location, &owner, 1, village_parcels));
    }
cleanup:
    tdb_free(village_parcels);
    return status;
}

/* ---- certificates ---- */

static tdb_status add_cert(build_context *context, gen_cert_type type, gen_owner holder, int32_t subject,
                           const char *number, int valid_years)
{
    tdb_status status = TDB_OK;
    gen_county *county = context->county;
    void *array = county->certs;
    TDB_FORWARD(tdb_grow(&array, &context->cert_capacity, county->cert_count + 1, sizeof *county->certs));
    county->certs = array;

    gen_cert *cert = &county->certs[county->cert_count++];
    memset(cert, 0, sizeof *cert);
    cert->type = (uint8_t)type;
    cert->holder = holder;
    cert->subject = subject;
    gen_format(cert->number, sizeof cert->number, "%s", number);
    cert->issued = context->options->as_of - gen_rng_range(&context->rng, 10, 3600);
    cert->valid_until = valid_years > 0 ? cert->issued + (int32_t)(valid_years * 365.25) : 0;
cleanup:
    return status;
}

static tdb_status build_person_certs(build_context *context, const bool *drives)
{
    tdb_status status = TDB_OK;
    gen_county *county = context->county;
    gen_rng *rng = &context->rng;

    for (size_t i = 0; i < county->base_person_count; i++) {
        const gen_person *person = &county->persons[i];
        int age = age_at(person->birth, context->options->as_of);
        gen_owner holder = {(int32_t)i, false};
        if (age >= 16 && gen_rng_chance(rng, 0.25)) {
            /* ID cards last 10 years under 26, 20 years under 46, and without end after. */
            int years = 0;
            if (age < 26) years = 10;
            else if (age < 46) years = 20;
            TDB_FORWARD(add_cert(context, GEN_CERT_ID_CARD, holder, -1, person->id, years));
        }
        if (age >= 18 && age <= 75 && (drives[i] || gen_rng_chance(rng, 0.2))) {
            /* A driving licence's number is its holder's ID number, as on the licence. */
            TDB_FORWARD(add_cert(context, GEN_CERT_DRIVING_LICENCE, holder, -1, person->id, 6));
        }
    }
cleanup:
    return status;
}

static tdb_status build_certs(build_context *context)
{
    tdb_status status = TDB_OK;
    gen_county *county = context->county;
    gen_rng *rng = &context->rng;
    const char *county_code = county->geo.towns[0].county_code;
    char number[64];
    bool *drives = tdb_calloc(county->person_count + 1, sizeof *drives);
    TDB_FAIL_IF(!drives, TDB_ERR_NOMEM);

    for (size_t i = 0; i < county->vehicle_count; i++)
        if (!county->vehicles[i].owner.entity) drives[county->vehicles[i].owner.index] = true;
    TDB_FORWARD(build_person_certs(context, drives));

    for (size_t i = 0; i < county->vehicle_count; i++) {
        if (!gen_rng_chance(rng, 0.6)) continue;
        gen_format(number, sizeof number, "%.6s%08zu", county_code, i + 1);
        TDB_FORWARD(add_cert(context, GEN_CERT_VEHICLE_LICENCE, county->vehicles[i].owner, (int32_t)i, number, 0));
    }
    for (size_t i = 0; i < county->house_count; i++) {
        if (!gen_rng_chance(rng, 0.7)) continue;
        TDB_FORWARD(add_cert(context, GEN_CERT_PROPERTY, county->houses[i].owners[0], (int32_t)i,
                             county->houses[i].cert_number, 0));
    }
    for (size_t i = 0; i < county->entity_count; i++) {
        if (!gen_rng_chance(rng, 0.85)) continue;
        gen_owner holder = {(int32_t)i, true};
        TDB_FORWARD(add_cert(context, GEN_CERT_BUSINESS_LICENCE, holder, (int32_t)i, county->entities[i].uscc, 0));
    }
cleanup:
    tdb_free(drives);
    return status;
}

tdb_status gen_county_build(gen_county *county, const gen_options *options)
{
    tdb_status status = TDB_OK;
    build_context context = {.county = county, .options = options};
    memset(county, 0, sizeof *county);
    gen_rng_seed(&context.rng, options->seed, 2);

    TDB_FORWARD(gen_geo_load(&county->geo, options->division_dir, options->division));
    TDB_FORWARD(key_set_init(&context.keys, (size_t)options->persons * 2 + 4096));
    TDB_FORWARD(init_weights(&context));
    TDB_FORWARD(build_persons(&context));
    TDB_FORWARD(build_entities(&context));
    TDB_FORWARD(build_vehicles(&context));
    TDB_FORWARD(build_houses(&context));
    TDB_FORWARD(build_certs(&context));
cleanup:
    tdb_free(context.keys.slots);
    tdb_free(context.village_weights);
    tdb_free(context.urban_weights);
    if (status != TDB_OK) gen_county_free(county);
    return status;
}

void gen_county_free(gen_county *county)
{
    gen_geo_free(&county->geo);
    tdb_free(county->persons);
    tdb_free(county->households);
    tdb_free(county->entities);
    tdb_free(county->vehicles);
    tdb_free(county->houses);
    tdb_free(county->certs);
    memset(county, 0, sizeof *county);
}

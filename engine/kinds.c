/* The canonical field lists of the seven source kinds. */
#include "kinds.h"

#include <string.h>

#include "util.h"

static const char *const person_fields[] = {
    "id_number", "name", "gender", "birth_date", "ethnicity", "registered_address",
    "residence_address", "phone", "updated_at"};
static const char *const entity_fields[] = {
    "uscc", "name", "legal_rep_name", "legal_rep_id", "address", "entity_type", "status",
    "established_on", "updated_at"};
static const char *const division_fields[] = {"code", "name", "parent_code", "level"};
static const char *const point_fields[] = {
    "address", "address_code", "division_code", "longitude", "latitude", "updated_at"};
static const char *const certificate_fields[] = {
    "cert_type", "cert_number", "holder_name", "holder_id", "issuer", "issued_on",
    "valid_until", "subject_key", "updated_at"};
static const char *const vehicle_fields[] = {
    "plate", "plate_type", "vin", "owner_name", "owner_id", "owner_address", "brand",
    "vehicle_type", "use_nature", "status", "registered_on", "updated_at"};
static const char *const housing_fields[] = {
    "property_unit_no", "cert_number", "location", "owner_name", "owner_id", "area", "usage",
    "registered_on", "updated_at"};

static const tdb_kind_info kinds[TDB_KIND_COUNT] = {
    [TDB_KIND_PERSON] = {"person", person_fields, TDB_ARRAY_LEN(person_fields), PERSON_ID_NUMBER},
    [TDB_KIND_LEGAL_ENTITY] = {"legal_entity", entity_fields, TDB_ARRAY_LEN(entity_fields),
                               ENTITY_USCC},
    [TDB_KIND_DIVISION] = {"division", division_fields, TDB_ARRAY_LEN(division_fields),
                           DIVISION_CODE},
    [TDB_KIND_ADDRESS_POINT] = {"address_point", point_fields, TDB_ARRAY_LEN(point_fields),
                                POINT_ADDRESS},
    [TDB_KIND_CERTIFICATE] = {"certificate", certificate_fields,
                              TDB_ARRAY_LEN(certificate_fields), CERT_NUMBER},
    [TDB_KIND_VEHICLE] = {"vehicle", vehicle_fields, TDB_ARRAY_LEN(vehicle_fields),
                          VEHICLE_PLATE},
    [TDB_KIND_HOUSING] = {"housing", housing_fields, TDB_ARRAY_LEN(housing_fields),
                          HOUSING_LOCATION},
};

const tdb_kind_info *tdb_kind_get(tdb_kind kind) { return &kinds[kind]; }

bool tdb_kind_parse(const char *name, tdb_kind *kind)
{
    for (int i = 0; i < TDB_KIND_COUNT; i++) {
        if (strcmp(kinds[i].name, name) == 0) {
            *kind = (tdb_kind)i;
            return true;
        }
    }
    return false;
}

int tdb_kind_field_index(tdb_kind kind, const char *field)
{
    const tdb_kind_info *info = &kinds[kind];
    for (size_t i = 0; i < info->field_count; i++) {
        if (strcmp(info->fields[i], field) == 0) return (int)i;
    }
    return -1;
}

/* Source kinds and their canonical fields. A manifest maps each source file's columns
 * to the canonical fields of its kind. Every later stage refers to fields by these
 * indexes, never by the department's column names. */
#ifndef THEMEDB_KINDS_H
#define THEMEDB_KINDS_H

#include <stdbool.h>
#include <stddef.h>

typedef enum tdb_kind {
    TDB_KIND_PERSON,
    TDB_KIND_LEGAL_ENTITY,
    TDB_KIND_DIVISION,
    TDB_KIND_ADDRESS_POINT,
    TDB_KIND_CERTIFICATE,
    TDB_KIND_VEHICLE,
    TDB_KIND_HOUSING,
    TDB_KIND_COUNT
} tdb_kind;

enum { TDB_MAX_FIELDS = 12 };

enum tdb_person_field {
    PERSON_ID_NUMBER, PERSON_NAME, PERSON_GENDER, PERSON_BIRTH_DATE, PERSON_ETHNICITY,
    PERSON_REGISTERED_ADDRESS, PERSON_RESIDENCE_ADDRESS, PERSON_PHONE, PERSON_UPDATED_AT
};
enum tdb_entity_field {
    ENTITY_USCC, ENTITY_NAME, ENTITY_LEGAL_REP_NAME, ENTITY_LEGAL_REP_ID, ENTITY_ADDRESS,
    ENTITY_TYPE, ENTITY_STATUS, ENTITY_ESTABLISHED_ON, ENTITY_UPDATED_AT
};
enum tdb_division_field { DIVISION_CODE, DIVISION_NAME, DIVISION_PARENT_CODE, DIVISION_LEVEL };
enum tdb_point_field {
    POINT_ADDRESS, POINT_ADDRESS_CODE, POINT_DIVISION_CODE, POINT_LONGITUDE, POINT_LATITUDE,
    POINT_UPDATED_AT
};
enum tdb_certificate_field {
    CERT_TYPE, CERT_NUMBER, CERT_HOLDER_NAME, CERT_HOLDER_ID, CERT_ISSUER, CERT_ISSUED_ON,
    CERT_VALID_UNTIL, CERT_SUBJECT_KEY, CERT_UPDATED_AT
};
enum tdb_vehicle_field {
    VEHICLE_PLATE, VEHICLE_PLATE_TYPE, VEHICLE_VIN, VEHICLE_OWNER_NAME, VEHICLE_OWNER_ID,
    VEHICLE_OWNER_ADDRESS, VEHICLE_BRAND, VEHICLE_TYPE, VEHICLE_USE_NATURE, VEHICLE_STATUS,
    VEHICLE_REGISTERED_ON, VEHICLE_UPDATED_AT
};
enum tdb_housing_field {
    HOUSING_PROPERTY_UNIT_NO, HOUSING_CERT_NUMBER, HOUSING_LOCATION, HOUSING_OWNER_NAME,
    HOUSING_OWNER_ID, HOUSING_AREA, HOUSING_USAGE, HOUSING_REGISTERED_ON, HOUSING_UPDATED_AT
};

typedef struct tdb_kind_info {
    const char *name;           /* manifest spelling: "person", "vehicle", ... */
    const char *const *fields;  /* canonical field names, indexed by the enums above */
    size_t field_count;
    size_t key_field;           /* a row without this field is rejected */
} tdb_kind_info;

/* Return the description of KIND; KIND must be below TDB_KIND_COUNT. */
const tdb_kind_info *tdb_kind_get(tdb_kind kind);

/* Look up a kind by its manifest name. Returns false when NAME is not a kind. */
bool tdb_kind_parse(const char *name, tdb_kind *kind);

/* Return the index of FIELD in KIND, or -1 when KIND has no such field. */
int tdb_kind_field_index(tdb_kind kind, const char *field);

#endif

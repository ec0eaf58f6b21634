/* The state of one build, shared by the stages after ingest: which source rows make
 * each theme entity, the links between them, and the address registry. Entities are
 * numbered in the order their first row was read, so numbering is deterministic. */
#ifndef THEMEDB_BUILD_H
#define THEMEDB_BUILD_H

#include <stdbool.h>
#include <stdint.h>

#include "ingest.h"
#include "key_index.h"
#include "manifest.h"
#include "norm_field.h"
#include "normalize.h"
#include "themedb/address.h"
#include "themedb/link.h"

#define TDB_NONE UINT32_MAX

typedef struct tdb_record_ref {
    uint32_t table;
    uint32_t row;
} tdb_record_ref;

/* Theme entities of one kind, such as all vehicles. */
typedef enum tdb_entity_kind {
    TDB_ENTITY_PERSON,
    TDB_ENTITY_LEGAL_ENTITY,
    TDB_ENTITY_CERTIFICATE,
    TDB_ENTITY_VEHICLE,
    TDB_ENTITY_HOUSING,
    TDB_ENTITY_COUNT
} tdb_entity_kind;

typedef struct tdb_entity_set {
    tdb_record_ref *chosen;      /* the row whose values the theme row shows */
    char (*ids)[24];             /* stable theme IDs such as "V0123456789abcdef" */
    size_t count;
    size_t capacity;
    tdb_key_index index;         /* canonical key hash -> entity number */
} tdb_entity_set;

typedef enum tdb_link_type {
    TDB_LINK_VEHICLE_OWNER,
    TDB_LINK_HOUSING_OWNER,
    TDB_LINK_CERTIFICATE_HOLDER,
    TDB_LINK_LEGAL_REP,
    TDB_LINK_TYPE_COUNT
} tdb_link_type;

typedef struct tdb_link {
    tdb_link_type type;
    tdb_entity_kind from_kind;
    uint32_t from;               /* entity number */
    uint32_t seq;                /* co-owner position, from 1; 0 for single owners */
    tdb_record_ref record;       /* the source row that carries the reference */
    tdb_entity_kind to_kind;     /* person or legal entity */
    uint32_t to;
    const char *rule;            /* static: exact_id, exact_uscc, or a blocking rule */
    double weight;               /* match weight for fuzzy links */
    double probability;
    char *field_weights;         /* JSON for fuzzy links, NULL for exact ones */
    bool corrects_id;            /* fuzzy link whose target's key differs from the ID given */
} tdb_link;

typedef struct tdb_link_list {
    tdb_link *items;
    size_t count;
    size_t capacity;
} tdb_link_list;

struct tdb_address_entry;

/* Distinct address texts and the canonical addresses they normalize to. */
typedef struct tdb_address_registry {
    tdb_key_index text_index;    /* folded text hash -> text number */
    tdb_buf texts;               /* folded texts, NUL-separated */
    uint32_t *text_offsets;
    uint32_t *text_address;      /* text number -> address number */
    size_t text_count;
    size_t text_capacity;

    tdb_key_index address_index; /* canonical key -> address number */
    struct tdb_address_entry *addresses;
    size_t address_count;
    size_t address_capacity;
} tdb_address_registry;

enum { TDB_ADDRESS_COMPONENTS = 14 };

typedef struct tdb_address_entry {
    uint64_t key;
    char id[24];
    uint32_t first_text;         /* the text first seen for this address */
    tdb_record_ref first_record;
    char *canonical;
    char *components[TDB_ADDRESS_COMPONENTS]; /* NULL when absent */
    char division_code[24];      /* 12 digits, "" when unresolved */
    const char *level;           /* static: province ... village, or "none" */
    tdb_addr_level parsed_level;
    char *flags;                 /* comma-separated guesses, "" when none */
    double longitude;
    double latitude;
    bool has_coordinates;
    uint32_t persons_registered;
    uint32_t persons_residing;
    uint32_t legal_entities;
    uint32_t houses;
    uint32_t vehicle_owners;
} tdb_address_entry;

typedef struct tdb_stage_timing {
    const char *stage;
    double seconds;
} tdb_stage_timing;

typedef struct tdb_build_state {
    const tdb_manifest *manifest;
    int threads;
    int as_of;                   /* YYYYMMDD */
    tdb_ingest_result ingest;
    tdb_region_set regions;      /* region codes of the division sources */
    tdb_gazetteer *gazetteer;    /* every division source row; NULL without division sources */
    tdb_norm_table *normalized;  /* one per ingest table */
    tdb_entity_set entities[TDB_ENTITY_COUNT];
    uint32_t **row_entity;       /* per table: row -> entity number of the table's kind */
    tdb_link_list links;
    tdb_key_index link_index;    /* (table, row, seq) -> link number; built once linking is done */
    tdb_link_model link_models[2];   /* fuzzy models: persons, legal entities */
    bool link_model_present[2];
    tdb_address_registry addresses;
    tdb_stage_timing timings[16];
    size_t timing_count;
    const char *test_pause;      /* THEMEDB_TEST_PAUSE: stage at which the build stops itself */
} tdb_build_state;

/* Return the normalized value of a record's field. */
const char *tdb_build_value(const tdb_build_state *state, tdb_record_ref record, size_t field,
                            size_t *length, unsigned *flags);

/* Collect the region codes of every division source into state->regions. */
tdb_status tdb_collect_regions(tdb_build_state *state);

/* Build state->gazetteer from the rows of every division source: provinces, cities
 * and counties of the whole country, towns and villages of the scope's province only,
 * which keeps the index small. An address elsewhere resolves to its county. */
tdb_status tdb_build_gazetteer(tdb_build_state *state);

/* Group rows into theme entities (persons, legal entities, certificates, vehicles,
 * houses) by their canonical keys, and fill row_entity. */
tdb_status tdb_assemble_entities(tdb_build_state *state);

/* Return the identifier a reference gives for its owner or holder: FIELD of RECORD,
 * or for a certificate without a holder ID, the certificate number when the
 * certificate type carries the holder's own ID (identity card, driving licence,
 * business licence). */
const char *tdb_reference_key(const tdb_build_state *state, tdb_record_ref record, size_t field,
                              size_t *length, unsigned *flags);

/* Join owner, holder and legal-representative references to persons and legal
 * entities by exact typed keys. */
tdb_status tdb_link_exact(tdb_build_state *state);

/* Link certificate holders without a link to the owner of the certificate's vehicle
 * or house who has exactly the holder's name (rule subject_owner). */
tdb_status tdb_link_through_subject(tdb_build_state *state);

/* Match the references that exact joins left unlinked, or linked to a record with
 * another name, with the probabilistic linkage module. The exact links must be
 * indexed with tdb_index_links first. */
tdb_status tdb_link_fuzzy(tdb_build_state *state);

/* Index the links by source row and co-owner position, for tdb_find_link, replacing
 * any earlier index. Call again after a pass adds links and before anything reads
 * links by row. */
tdb_status tdb_index_links(tdb_build_state *state);

/* Return the link of RECORD's reference at SEQ (0 for a single owner), or NULL.
 * Read-only, so safe from several threads once tdb_index_links has run. */
const tdb_link *tdb_find_link(const tdb_build_state *state, tdb_record_ref record, uint32_t seq);

/* Collect every address text, normalize each distinct one, and attach coordinates
 * from address points and the per-address counts. */
tdb_status tdb_assemble_addresses(tdb_build_state *state);

/* Return the address number of a folded address text, or TDB_NONE. */
uint32_t tdb_address_lookup(const tdb_build_state *state, const char *text, size_t length);

void tdb_build_state_free(tdb_build_state *state);

#endif

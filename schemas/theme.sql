-- themedb output schema. Every table name and column name is English; Chinese-named
-- views for users are in views_zh.sql. Identifier columns keep the raw value beside
-- the normal form, its validity ('valid' or 'invalid') and a reason code.
-- Indexes are in indexes.sql, created after the bulk load.

CREATE TABLE build_run (
    run_id INTEGER PRIMARY KEY,
    version TEXT NOT NULL,
    manifest_path TEXT NOT NULL,
    manifest_hash TEXT NOT NULL,      -- XXH3-64 of the manifest bytes, hex
    name TEXT NOT NULL,
    scope TEXT NOT NULL,              -- division code prefix of the county, city or province
    as_of TEXT NOT NULL,              -- reference date, YYYY-MM-DD
    started_at TEXT NOT NULL,         -- UTC, ISO 8601
    finished_at TEXT NOT NULL,
    threads INTEGER NOT NULL,
    stage_timings TEXT NOT NULL       -- JSON object: stage name -> seconds
);

CREATE TABLE source_file (
    source_file_id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,             -- manifest section name
    kind TEXT NOT NULL,
    department TEXT NOT NULL,
    path TEXT NOT NULL,
    content_hash TEXT NOT NULL,       -- XXH3-64 of the file bytes as stored, hex
    bytes INTEGER NOT NULL,
    rows_read INTEGER NOT NULL,
    rows_loaded INTEGER NOT NULL,
    rows_rejected INTEGER NOT NULL,
    CHECK (rows_read = rows_loaded + rows_rejected)
);

CREATE TABLE reject (
    reject_id INTEGER PRIMARY KEY,
    source_file_id INTEGER NOT NULL REFERENCES source_file,
    line INTEGER NOT NULL,            -- line where the record starts; the header is line 1
    reason TEXT NOT NULL,             -- field_count, missing_key, invalid_encoding, ...
    detail TEXT NOT NULL,
    raw BLOB NOT NULL                 -- the record's bytes after decoding, at most 64 KiB
);

-- Where each theme row came from: one row per contributing source record.
CREATE TABLE lineage (
    table_name TEXT NOT NULL,
    row_id TEXT NOT NULL,
    source_file_id INTEGER NOT NULL REFERENCES source_file,
    line INTEGER NOT NULL
);

CREATE TABLE division (
    code TEXT PRIMARY KEY,            -- 2 to 12 digits as published
    name TEXT NOT NULL,
    parent_code TEXT,
    level TEXT NOT NULL               -- province, city, county, town, village
);

CREATE TABLE address (
    address_id TEXT PRIMARY KEY,      -- 'A' + hex XXH3 of the canonical components
    canonical TEXT NOT NULL,
    raw_example TEXT NOT NULL,        -- the first address text (after text folding) that normalized to this address
    division_code TEXT,               -- 12 digits, deepest resolved division
    level TEXT NOT NULL,              -- deepest resolved level or 'none'
    province TEXT, city TEXT, county TEXT, town TEXT, village TEXT, grp TEXT, devzone TEXT,
    road TEXT, road_no TEXT, estate TEXT, building TEXT, unit TEXT, floor TEXT, room TEXT,
    flags TEXT NOT NULL,              -- comma-separated guesses made while parsing
    longitude REAL,
    latitude REAL,
    coord_source TEXT,                -- address_point, or NULL without coordinates
    persons_registered INTEGER NOT NULL DEFAULT 0,
    persons_residing INTEGER NOT NULL DEFAULT 0,
    legal_entities INTEGER NOT NULL DEFAULT 0,
    houses INTEGER NOT NULL DEFAULT 0,
    vehicle_owners INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE person (
    person_id TEXT PRIMARY KEY,       -- 'P' + hex XXH3 of the normalized ID number
    id_number TEXT NOT NULL,          -- normal form (18 characters when valid)
    id_number_raw TEXT NOT NULL,
    id_valid TEXT NOT NULL,
    id_reason TEXT NOT NULL,
    name TEXT,
    name_raw TEXT,
    gender TEXT,
    birth_date TEXT,
    ethnicity TEXT,
    registered_address_id TEXT REFERENCES address,
    registered_address_raw TEXT,
    residence_address_id TEXT REFERENCES address,
    residence_address_raw TEXT,
    phone TEXT,
    updated_at TEXT,
    source_file_id INTEGER NOT NULL REFERENCES source_file,
    source_line INTEGER NOT NULL
);

CREATE TABLE legal_entity (
    entity_id TEXT PRIMARY KEY,       -- 'E' + hex XXH3 of the normalized credit code
    uscc TEXT NOT NULL,
    uscc_raw TEXT NOT NULL,
    uscc_valid TEXT NOT NULL,
    uscc_reason TEXT NOT NULL,
    name TEXT,
    legal_rep_name TEXT,
    legal_rep_id TEXT,
    legal_rep_person_id TEXT REFERENCES person,
    address_id TEXT REFERENCES address,
    address_raw TEXT,
    entity_type TEXT,
    status TEXT,
    established_on TEXT,
    updated_at TEXT,
    source_file_id INTEGER NOT NULL REFERENCES source_file,
    source_line INTEGER NOT NULL
);

CREATE TABLE certificate (
    cert_id TEXT PRIMARY KEY,         -- 'C' + hex XXH3 of type and normalized number
    cert_type TEXT,
    cert_number TEXT NOT NULL,
    cert_number_raw TEXT NOT NULL,
    holder_name TEXT,
    holder_id TEXT,
    holder_id_raw TEXT,
    holder_id_valid TEXT,
    holder_id_reason TEXT,
    holder_kind TEXT,                 -- person, legal_entity or NULL when not linked
    holder_ref TEXT,                  -- person_id or entity_id
    holder_match TEXT NOT NULL,       -- exact, fuzzy or none
    issuer TEXT,
    issued_on TEXT,
    valid_until TEXT,
    subject_key TEXT,                 -- normalized plate, property unit number or credit code
    updated_at TEXT,
    source_file_id INTEGER NOT NULL REFERENCES source_file,
    source_line INTEGER NOT NULL
);

CREATE TABLE vehicle (
    vehicle_id TEXT PRIMARY KEY,      -- 'V' + hex XXH3 of VIN, or of plate and plate type
    vin TEXT,
    vin_raw TEXT,
    vin_valid TEXT,
    vin_reason TEXT,
    plate TEXT NOT NULL,
    plate_raw TEXT NOT NULL,
    plate_valid TEXT NOT NULL,
    plate_reason TEXT NOT NULL,
    plate_type TEXT,
    owner_name TEXT,
    owner_id TEXT,
    owner_id_raw TEXT,
    owner_id_valid TEXT,
    owner_id_reason TEXT,
    owner_kind TEXT,                  -- person, legal_entity or NULL when not linked
    owner_person_id TEXT REFERENCES person,
    owner_entity_id TEXT REFERENCES legal_entity,
    owner_match TEXT NOT NULL,        -- exact, fuzzy or none
    owner_address_id TEXT REFERENCES address,
    owner_address_raw TEXT,
    brand TEXT,
    vehicle_type TEXT,
    use_nature TEXT,
    status TEXT,
    registered_on TEXT,
    updated_at TEXT,
    license_cert_id TEXT REFERENCES certificate,   -- the driving licence of the vehicle (行驶证)
    source_file_id INTEGER NOT NULL REFERENCES source_file,
    source_line INTEGER NOT NULL
);

CREATE TABLE housing (
    housing_id TEXT PRIMARY KEY,      -- 'H' + hex XXH3 of unit number, else certificate number, else address
    property_unit_no TEXT,
    property_unit_no_raw TEXT,
    unit_no_valid TEXT,
    unit_no_reason TEXT,
    cert_number TEXT,
    cert_number_raw TEXT,
    location_raw TEXT NOT NULL,
    address_id TEXT REFERENCES address,
    longitude REAL,
    latitude REAL,
    area REAL,
    usage TEXT,
    registered_on TEXT,
    updated_at TEXT,
    owner_count INTEGER NOT NULL,
    property_cert_id TEXT REFERENCES certificate,
    source_file_id INTEGER NOT NULL REFERENCES source_file,
    source_line INTEGER NOT NULL
);

CREATE TABLE housing_owner (
    housing_id TEXT NOT NULL REFERENCES housing,
    seq INTEGER NOT NULL,             -- 1-based position in the multi-valued cell
    owner_name TEXT,
    owner_id TEXT,
    owner_id_raw TEXT,
    owner_id_valid TEXT,
    owner_id_reason TEXT,
    owner_kind TEXT,
    owner_person_id TEXT REFERENCES person,
    owner_entity_id TEXT REFERENCES legal_entity,
    owner_match TEXT NOT NULL,
    PRIMARY KEY (housing_id, seq)
);

CREATE TABLE link (
    link_id INTEGER PRIMARY KEY,
    link_type TEXT NOT NULL,          -- vehicle_owner, housing_owner, certificate_holder, legal_rep, address_point
    from_table TEXT NOT NULL,
    from_id TEXT NOT NULL,
    seq INTEGER NOT NULL,             -- co-owner position in a multi-valued cell, from 1; 0 for a single owner
    source_file_id INTEGER NOT NULL REFERENCES source_file,
    source_line INTEGER NOT NULL,
    to_kind TEXT NOT NULL,            -- person, legal_entity or address
    to_id TEXT NOT NULL,
    to_key TEXT NOT NULL,             -- the canonical ID number, credit code or address
    rule TEXT NOT NULL,               -- exact_id, exact_uscc, or the blocking rule of a fuzzy link
    weight REAL,                      -- total match weight in bits (log2 of the Bayes factor), fuzzy links only
    probability REAL NOT NULL,        -- 1 for exact links
    field_weights TEXT                -- fuzzy links: JSON object, field -> {"level": name, "weight": bits}
);

-- The Fellegi-Sunter models the fuzzy links were scored with: for each compared field
-- and level, P(level | match), P(level | non-match) and the weight log2(m / u). The row
-- with field 'prior' contains lambda, the probability that a random (department record,
-- base record) pair matches (m), 1 - lambda (u) and its weight log2(lambda / (1 - lambda)).
CREATE TABLE link_model (
    model TEXT NOT NULL,              -- person or legal_entity
    field TEXT NOT NULL,
    level INTEGER NOT NULL,
    level_name TEXT NOT NULL,
    m REAL NOT NULL,
    u REAL NOT NULL,
    weight REAL NOT NULL,
    PRIMARY KEY (model, field, level)
);

CREATE TABLE quality_issue (
    issue_id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    department TEXT NOT NULL,
    source_file_id INTEGER REFERENCES source_file,
    line INTEGER,
    field TEXT,
    value TEXT,                       -- ID numbers masked beyond the region code and last 4 characters
    rule TEXT NOT NULL,
    severity TEXT NOT NULL,           -- error, warning, info
    message_zh TEXT NOT NULL,
    message_en TEXT NOT NULL,
    suggestion TEXT
);

CREATE TABLE quality_metric (
    source TEXT NOT NULL,
    field TEXT NOT NULL,              -- '*' for whole-record measures
    dimension TEXT NOT NULL,          -- consistency, normativity, completeness, accuracy, freshness, link_rate
    numerator INTEGER NOT NULL,
    denominator INTEGER NOT NULL,
    rate REAL,                        -- numerator / denominator, NULL when the denominator is 0
    target REAL,
    PRIMARY KEY (source, field, dimension)
);

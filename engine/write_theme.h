/* Writing the theme tables: turns the build state into rows of the output schema. */
#ifndef THEMEDB_WRITE_THEME_H
#define THEMEDB_WRITE_THEME_H

#include "build.h"
#include "out_sqlite.h"

/* Write source_file, reject, division, address, person, legal_entity, certificate,
 * vehicle, housing, housing_owner, link and lineage rows: the four calls below in
 * order. */
tdb_status tdb_write_theme(const tdb_build_state *state, tdb_writer *writer);

/* Write and index source_file, reject and division. Reads only the ingest result, so
 * it may run on another thread once ingest is done. */
tdb_status tdb_write_sources(const tdb_build_state *state, tdb_writer *writer);

/* Write and index lineage. Reads the entities and row_entity only, so it may run on
 * another thread once the entities are assembled, while the addresses are parsed. */
tdb_status tdb_write_lineage(const tdb_build_state *state, tdb_writer *writer);

/* Write and index address and person. Reads the ingest result, the normalized cells,
 * the entities and the address registry, but not the links, so it may run on another
 * thread once assemble is done. */
tdb_status tdb_write_assembled(const tdb_build_state *state, tdb_writer *writer);

/* Write and index legal_entity, certificate, vehicle, housing, housing_owner, link and
 * link_model. Needs the links, so it runs after the link stage. */
tdb_status tdb_write_linked(const tdb_build_state *state, tdb_writer *writer);

#endif

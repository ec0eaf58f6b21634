/* Writing the theme tables: turns the build state into rows of the output schema. */
#ifndef THEMEDB_WRITE_THEME_H
#define THEMEDB_WRITE_THEME_H

#include "build.h"
#include "out_sqlite.h"

/* Write source_file, reject, division, address, person, legal_entity, certificate,
 * vehicle, housing, housing_owner, link and lineage rows. */
tdb_status tdb_write_theme(const tdb_build_state *state, tdb_writer *writer);

#endif

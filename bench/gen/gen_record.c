/* Records with seeded dirt. Each record of a source file decides its own problems
 * (mistyped IDs, homophone names, abbreviated addresses, stale dates, duplicate and
 * malformed rows). It writes them and its correct links to the truth tables, under the
 * physical line number where the record starts. */
#include <string.h>

#include "gen.h"

tdb_status gen_record_open(gen_record *record, const gen_county *county, const gen_options *options,
                           gen_truth *truth, const char *source, const gen_file_format *format,
                           const char *const *header, size_t header_count, uint64_t stream)
{
    tdb_status status = TDB_OK;
    memset(record, 0, sizeof *record);
    record->county = county;
    record->options = options;
    record->truth = truth;
    record->source = source;
    gen_rng_seed(&record->rng, options->seed, stream);
    TDB_FORWARD(gen_file_open(&record->file, options->out_dir, format));
    for (size_t i = 0; i < header_count; i++) TDB_FORWARD(gen_file_field(record->file, header[i]));
    TDB_FORWARD(gen_file_end_record(record->file, false));
cleanup:
    return status;
}

tdb_status gen_record_close(gen_record *record)
{
    tdb_status status = gen_file_close(record->file);
    record->file = NULL;
    return status;
}

void gen_record_begin(gen_record *record)
{
    record->line = gen_file_line(record->file);
    record->problem_count = 0;
    record->link_count = 0;
    record->malformed = GEN_ROW_WELL_FORMED;
    if (gen_rng_chance(&record->rng, record->options->malformed))
        record->malformed = gen_rng_chance(&record->rng, 0.5) ? GEN_ROW_RAGGED : GEN_ROW_INVALID_BYTE;
}

tdb_status gen_record_field(gen_record *record, const char *value)
{
    return gen_file_field(record->file, value);
}

void gen_record_problem(gen_record *record, const char *field, const char *problem)
{
    if (record->problem_count < TDB_ARRAY_LEN(record->problems))
        record->problems[record->problem_count++] = (gen_pending_problem){field, problem};
}

void gen_record_link(gen_record *record, const char *link_type, gen_owner to)
{
    if (record->link_count < TDB_ARRAY_LEN(record->links))
        record->links[record->link_count++] = (gen_pending_link){link_type, to};
}

tdb_status gen_append_date(tdb_buf *out, gen_date_style style, int32_t days)
{
    int year, month, day;
    gen_civil_from_days(days, &year, &month, &day);
    switch (style) {
    case GEN_DATE_SLASH: return tdb_buf_printf(out, "%04d/%02d/%02d", year, month, day);
    case GEN_DATE_COMPACT: return tdb_buf_printf(out, "%04d%02d%02d", year, month, day);
    case GEN_DATE_CHINESE: return tdb_buf_printf(out, "%04d年%02d月%02d日", year, month, day);
    default: return tdb_buf_printf(out, "%04d-%02d-%02d", year, month, day);
    }
}

tdb_status gen_record_updated(gen_record *record, const char *field)
{
    tdb_status status = TDB_OK;
    tdb_buf value = {0};
    const gen_options *options = record->options;
    gen_rng *rng = &record->rng;
    int32_t day;

    if (gen_rng_chance(rng, options->stale)) {
        day = options->as_of - options->freshness_days - gen_rng_range(rng, 1, 1500);
        gen_record_problem(record, field, "stale");
    } else {
        day = options->as_of - (int32_t)gen_rng_below(rng, (uint32_t)(options->freshness_days * 4 / 5 + 1));
    }
    unsigned seconds = gen_rng_below(rng, 86400);
    TDB_FORWARD(gen_append_date(&value, GEN_DATE_DASH, day));
    TDB_FORWARD(tdb_buf_printf(&value, " %02u:%02u:%02u", seconds / 3600, seconds / 60 % 60, seconds % 60));
    TDB_FORWARD(gen_record_field(record, value.data));
cleanup:
    tdb_buf_free(&value);
    return status;
}

static const char *owner_key(const gen_county *county, gen_owner owner)
{
    return owner.entity ? county->entities[owner.index].uscc : county->persons[owner.index].id;
}

static tdb_status flush_truth(gen_record *record)
{
    if (record->malformed != GEN_ROW_WELL_FORMED) {
        /* The engine rejects the row, so its other problems and links do not count. */
        const char *what = record->malformed == GEN_ROW_RAGGED ? "columns" : "bytes";
        fprintf(record->truth->problems, "%s,%ld,%s,malformed_row\n", record->source, record->line, what);
        return TDB_OK;
    }
    for (size_t i = 0; i < record->problem_count; i++)
        fprintf(record->truth->problems, "%s,%ld,%s,%s\n", record->source, record->line,
                record->problems[i].field, record->problems[i].problem);
    for (size_t i = 0; i < record->link_count; i++) {
        const gen_pending_link *link = &record->links[i];
        fprintf(record->truth->links, "%s,%s,%ld,%s,%s\n", link->link_type, record->source, record->line,
                link->to.entity ? "legal_entity" : "person", owner_key(record->county, link->to));
    }
    return ferror(record->truth->problems) || ferror(record->truth->links) ? TDB_ERR_IO : TDB_OK;
}

tdb_status gen_record_end(gen_record *record)
{
    tdb_status status = TDB_OK;
    if (record->malformed != GEN_ROW_WELL_FORMED && record->base) TDB_FORWARD(gen_file_save_record(record->file));
    if (record->malformed == GEN_ROW_RAGGED) {
        /* Half of the ragged rows lose their last field, half gain an extra one. */
        if (gen_rng_chance(&record->rng, 0.5)) gen_file_drop_last_field(record->file);
        else TDB_FORWARD(gen_file_field(record->file, "备注"));
    }
    TDB_FORWARD(gen_file_end_record(record->file, record->malformed == GEN_ROW_INVALID_BYTE));
    TDB_FORWARD(flush_truth(record));

    /* A base table sends the broken row and then the record again, intact, so that the
     * links to it still hold. The intact copy carries the record's problems and links. */
    if (record->malformed != GEN_ROW_WELL_FORMED && record->base) {
        record->line = gen_file_line(record->file);
        record->malformed = GEN_ROW_WELL_FORMED;
        TDB_FORWARD(gen_file_write_saved(record->file));
        TDB_FORWARD(flush_truth(record));
    }

    /* An exported row sent twice: the copy names the same owners, so its links are
     * correct links too, and the truth lists them under the copy's line. */
    if (record->malformed == GEN_ROW_WELL_FORMED && gen_rng_chance(&record->rng, record->options->duplicates)) {
        long line = gen_file_line(record->file);
        TDB_FORWARD(gen_file_repeat_record(record->file));
        fprintf(record->truth->problems, "%s,%ld,,duplicate_row\n", record->source, line);
        for (size_t i = 0; i < record->link_count; i++) {
            const gen_pending_link *link = &record->links[i];
            fprintf(record->truth->links, "%s,%s,%ld,%s,%s\n", link->link_type, record->source, line,
                    link->to.entity ? "legal_entity" : "person", owner_key(record->county, link->to));
        }
    }
cleanup:
    return status;
}

/* ---- identifier dirt ---- */

static tdb_status append_fullwidth(tdb_buf *out, const char *id)
{
    tdb_status status = TDB_OK;
    for (const char *c = id; *c; c++) {
        if (*c >= '0' && *c <= '9') TDB_FORWARD(tdb_buf_append_utf8(out, 0xFF10 + (*c - '0')));
        else if (*c >= 'A' && *c <= 'Z') TDB_FORWARD(tdb_buf_append_utf8(out, 0xFF21 + (*c - 'A')));
        else TDB_FORWARD(tdb_buf_append_char(out, *c));
    }
cleanup:
    return status;
}

static bool born_last_century(const char *id)
{
    return id[6] == '1' && id[7] == '9';
}

/* Register-side dirt keeps the ID readable: the engine must normalize it. */
static const char *dirty_id_normalizable(gen_rng *rng, const char *id, tdb_buf *out, tdb_status *status)
{
    double pick = gen_rng_unit(rng);
    if (pick < 0.4 && born_last_century(id)) {
        char legacy[16];
        gen_id_legacy15(legacy, id);
        *status = tdb_buf_append_str(out, legacy);
        return "id_legacy15";
    }
    if (pick < 0.7 && id[17] == 'X') {
        *status = tdb_buf_append(out, id, 17);
        if (*status == TDB_OK) *status = tdb_buf_append_char(out, 'x');
        return "id_lowercase_x";
    }
    *status = append_fullwidth(out, id);
    return "id_fullwidth";
}

/* Department-side dirt: typing errors and placeholders as well. */
static const char *dirty_id(gen_rng *rng, const char *id, tdb_buf *out, tdb_status *status)
{
    static const unsigned weights[] = {30, 20, 15, 10, 15, 10};
    char copy[19];
    memcpy(copy, id, 19);
    switch (gen_rng_weighted(rng, weights, TDB_ARRAY_LEN(weights))) {
    case 0: {
        /* A different digit always breaks the check: every weight is nonzero mod 11. */
        int at = (int)gen_rng_below(rng, 17);
        copy[at] = (char)('0' + (copy[at] - '0' + 1 + gen_rng_below(rng, 9)) % 10);
        *status = tdb_buf_append_str(out, copy);
        return "id_mistyped";
    }
    case 1: {
        /* Neighbouring weights differ, so swapping two different digits breaks the check. */
        int at = (int)gen_rng_below(rng, 16);
        for (int tries = 0; tries < 16 && copy[at] == copy[at + 1]; tries++) at = (at + 1) % 16;
        if (copy[at] == copy[at + 1]) break;
        char swap = copy[at];
        copy[at] = copy[at + 1];
        copy[at + 1] = swap;
        *status = tdb_buf_append_str(out, copy);
        return "id_transposed";
    }
    case 5: {
        static const char *const placeholders[] = {"000000000000000000", "无", "不详"};
        *status = tdb_buf_append_str(out, placeholders[gen_rng_below(rng, TDB_ARRAY_LEN(placeholders))]);
        return "id_placeholder";
    }
    default:
        return dirty_id_normalizable(rng, id, out, status);
    }
    return dirty_id_normalizable(rng, id, out, status);
}

tdb_status gen_dirt_base_id(gen_record *record, const char *field, const gen_person *person, tdb_buf *out)
{
    tdb_status status = TDB_OK;
    if (!gen_rng_chance(&record->rng, record->options->dirt_id * 0.5)) return tdb_buf_append_str(out, person->id);
    const char *problem = dirty_id_normalizable(&record->rng, person->id, out, &status);
    gen_record_problem(record, field, problem);
    return status;
}

tdb_status gen_dirt_owner_id(gen_record *record, const char *field, gen_owner owner, const char *link_type,
                             tdb_buf *out)
{
    tdb_status status = TDB_OK;
    const gen_county *county = record->county;
    const char *key = owner_key(county, owner);
    bool known = owner.entity || county->persons[owner.index].in_base;

    if (known) gen_record_link(record, link_type, owner);
    else gen_record_problem(record, field, "owner_unknown");

    if (gen_rng_chance(&record->rng, record->options->missing_owner)) {
        gen_record_problem(record, field, "owner_id_missing");
        return TDB_OK;
    }
    if (!gen_rng_chance(&record->rng, record->options->dirt_id)) return tdb_buf_append_str(out, key);
    if (owner.entity) {
        /* Credit codes suffer less: a clerk types the letters in lower case. */
        size_t start = out->len;
        TDB_FORWARD(tdb_buf_append_str(out, key));
        bool lowered = false;
        for (size_t i = start; i < out->len; i++) {
            if (out->data[i] >= 'A' && out->data[i] <= 'Z') {
                out->data[i] = (char)(out->data[i] - 'A' + 'a');
                lowered = true;
            }
        }
        if (lowered) gen_record_problem(record, field, "uscc_lowercase");
        return TDB_OK;
    }
    const char *problem = dirty_id(&record->rng, key, out, &status);
    gen_record_problem(record, field, problem);
cleanup:
    return status;
}

tdb_status gen_dirt_name(gen_record *record, const char *field, const char *name, double rate, tdb_buf *out)
{
    gen_rng *rng = &record->rng;
    if (!gen_rng_chance(rng, rate)) return tdb_buf_append_str(out, name);

    size_t start = out->len;
    if (gen_text_separator(rng, name, out)) {
        gen_record_problem(record, field, "name_separator");
        return TDB_OK;
    }
    out->len = start;
    if (gen_rng_chance(rng, 0.55) && gen_text_homophone(rng, name, out)) {
        gen_record_problem(record, field, "name_homophone");
        return TDB_OK;
    }
    out->len = start;
    if (gen_text_traditional(name, out)) {
        gen_record_problem(record, field, "name_traditional");
        return TDB_OK;
    }
    out->len = start;
    if (gen_text_homophone(rng, name, out)) {
        gen_record_problem(record, field, "name_homophone");
        return TDB_OK;
    }
    out->len = start;
    return tdb_buf_append_str(out, name);
}

tdb_status gen_dirt_address(gen_record *record, const char *field, const gen_address *address,
                            double line_break_rate, tdb_buf *out)
{
    static const struct {
        unsigned flag;
        const char *problem;
    } kinds[] = {
        {GEN_RENDER_ABBREVIATED, "address_abbreviated"},
        {GEN_RENDER_LEVEL_MISSING, "address_level_missing"},
        {GEN_RENDER_CN_NUMERALS, "address_chinese_numerals"},
        {GEN_RENDER_SHORTHAND, "address_shorthand"},
        {GEN_RENDER_NOISE, "address_noise"},
        {GEN_RENDER_TRADITIONAL, "address_traditional"},
        {GEN_RENDER_COMMITTEE, "address_committee_suffix"},
    };
    gen_rng *rng = &record->rng;
    unsigned flags = 0;

    if (gen_rng_chance(rng, record->options->dirt_address)) {
        size_t kind = gen_rng_below(rng, TDB_ARRAY_LEN(kinds));
        if (!gen_address_flag_applies(address, kinds[kind].flag)) kind = 4; /* noise applies everywhere */
        flags |= kinds[kind].flag;
        gen_record_problem(record, field, kinds[kind].problem);
    }
    if (gen_rng_chance(rng, line_break_rate)) {
        flags |= GEN_RENDER_LINE_BREAK;
        gen_record_problem(record, field, "address_line_break");
    }
    return gen_address_render(&record->county->geo, address, flags, rng, out);
}

/* `themedb explain`: why a record is linked to its owner or holder, or why not, field
 * by field, as a waterfall of match weights. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "cli.h"
#include "log.h"

typedef struct explain_kind {
    const char *name;        /* the KIND argument */
    const char *table;
    const char *id_column;
    const char *lookup;      /* WHERE clause finding the record by any of its keys */
    const char *owner_sql;   /* reference columns: seq, name, id_raw, id, validity, reason */
} explain_kind;

static const explain_kind kinds[] = {
    {"vehicle", "vehicle", "vehicle_id",
     "vehicle_id = ?1 OR plate = ?1 OR plate_raw = ?1 OR vin = ?1",
     "SELECT 0, owner_name, owner_id_raw, owner_id, owner_id_valid, owner_id_reason FROM vehicle WHERE vehicle_id = ?1"},
    {"housing", "housing", "housing_id",
     "housing_id = ?1 OR property_unit_no = ?1 OR cert_number = ?1 OR cert_number_raw = ?1",
     "SELECT seq, owner_name, owner_id_raw, owner_id, owner_id_valid, owner_id_reason FROM housing_owner WHERE housing_id = ?1 ORDER BY seq"},
    {"certificate", "certificate", "cert_id",
     "cert_id = ?1 OR cert_number = ?1 OR cert_number_raw = ?1",
     "SELECT 0, holder_name, holder_id_raw, holder_id, holder_id_valid, holder_id_reason FROM certificate WHERE cert_id = ?1"},
    {"legal_entity", "legal_entity", "entity_id",
     "entity_id = ?1 OR uscc = ?1 OR uscc_raw = ?1",
     "SELECT 0, legal_rep_name, legal_rep_id, legal_rep_id, NULL, NULL FROM legal_entity WHERE entity_id = ?1"},
};

static void print_explain_help(FILE *out)
{
    fprintf(out, _("Usage: themedb explain THEME.DB KIND KEY\n"
                   "\n"
                   "Show why a record is linked to its owner, holder or legal representative, or\n"
                   "why not. KIND is vehicle (KEY: vehicle ID, plate or VIN), housing (housing ID,\n"
                   "property unit number or certificate number), certificate (certificate ID or\n"
                   "number) or legal_entity (entity ID or credit code). For a fuzzy link, every\n"
                   "compared field is listed with its comparison level and match weight, from the\n"
                   "prior to the total.\n"));
}

/* Coded values that explain prints, marked for translation. */
static const char *const coded_values[] = {N_("person"), N_("legal_entity"), N_("valid"), N_("invalid")};

/* Return the translation of a coded value, or VALUE itself when it is not one. */
static const char *translate_code(const char *value)
{
    for (size_t i = 0; i < sizeof coded_values / sizeof coded_values[0]; i++) {
        if (value != NULL && strcmp(value, coded_values[i]) == 0) return _(coded_values[i]);
    }
    return value;
}

static const char *text_or(sqlite3_stmt *statement, int column, const char *fallback)
{
    const unsigned char *text = sqlite3_column_text(statement, column);
    return text ? (const char *)text : fallback;
}

/* Print the weights of a fuzzy link, one field per line, with the running total. */
static void print_waterfall(sqlite3 *db, sqlite3_int64 link_id, const char *model)
{
    sqlite3_stmt *prior = NULL;
    sqlite3_stmt *fields = NULL;
    double total = 0.0;
    if (sqlite3_prepare_v2(db, "SELECT weight FROM link_model WHERE model = ?1 AND field = 'prior'", -1,
                           &prior, NULL) == SQLITE_OK) {
        sqlite3_bind_text(prior, 1, model, -1, SQLITE_STATIC);
        if (sqlite3_step(prior) == SQLITE_ROW) {
            total = sqlite3_column_double(prior, 0);
            printf("    %-12s %-14s %+9.2f %9.2f\n", _("prior"), "", total, total);
        }
    }
    if (sqlite3_prepare_v2(db,
                           "SELECT key, json_extract(value, '$.level'), json_extract(value, '$.weight')"
                           " FROM link, json_each(link.field_weights) WHERE link_id = ?1",
                           -1, &fields, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(fields, 1, link_id);
        while (sqlite3_step(fields) == SQLITE_ROW) {
            double weight = sqlite3_column_double(fields, 2);
            total += weight;
            printf("    %-12s %-14s %+9.2f %9.2f\n", text_or(fields, 0, "?"), text_or(fields, 1, "?"),
                   weight, total);
        }
    }
    sqlite3_finalize(prior);
    sqlite3_finalize(fields);
}

/* Print the links of one reference (SEQ 0 for a single owner). Returns how many. */
static int print_links(sqlite3 *db, const explain_kind *kind, const char *record_id, int seq)
{
    static const char sql[] =
        "SELECT l.link_id, l.rule, l.probability, l.to_kind, l.to_key, l.weight, l.field_weights IS NOT NULL,"
        " coalesce(p.name, e.name)"
        " FROM link l LEFT JOIN person p ON p.person_id = l.to_id"
        " LEFT JOIN legal_entity e ON e.entity_id = l.to_id"
        " WHERE l.from_table = ?1 AND l.from_id = ?2 AND l.seq = ?3"
        " ORDER BY l.link_id";
    sqlite3_stmt *statement = NULL;
    int count = 0;
    if (sqlite3_prepare_v2(db, sql, -1, &statement, NULL) != SQLITE_OK) return 0;
    sqlite3_bind_text(statement, 1, kind->table, -1, SQLITE_STATIC);
    sqlite3_bind_text(statement, 2, record_id, -1, SQLITE_STATIC);
    sqlite3_bind_int(statement, 3, seq);
    while (sqlite3_step(statement) == SQLITE_ROW) {
        const char *to_kind = text_or(statement, 3, "");
        count++;
        printf(_("  linked to %s %s (%s) by rule %s, probability %.6f\n"), translate_code(to_kind),
               text_or(statement, 4, ""), text_or(statement, 7, ""), text_or(statement, 1, ""),
               sqlite3_column_double(statement, 2));
        if (sqlite3_column_int(statement, 6)) {
            fputs("    ", stdout);
            tdb_print_cell(stdout, _("field"), 12, false);
            putchar(' ');
            tdb_print_cell(stdout, _("level"), 14, false);
            putchar(' ');
            tdb_print_cell(stdout, _("weight"), 9, true);
            putchar(' ');
            tdb_print_cell(stdout, _("total"), 9, true);
            putchar('\n');
            print_waterfall(db, sqlite3_column_int64(statement, 0), to_kind);
        }
    }
    sqlite3_finalize(statement);
    return count;
}

/* Say why a reference has no link: what its identifier looks like and whether any
 * base record carries it or the name. */
static void print_no_link(sqlite3 *db, const char *name, const char *id_raw, const char *id,
                          const char *validity, const char *reason)
{
    printf(_("  not linked\n"));
    if (id_raw == NULL || id_raw[0] == '\0') {
        printf(_("    the record gives no identifier\n"));
    } else {
        printf(_("    identifier %s: %s%s%s\n"), id ? id : id_raw, validity ? translate_code(validity) : "",
               reason && reason[0] ? ", " : "", reason ? reason : "");
        sqlite3_stmt *statement = NULL;
        if (sqlite3_prepare_v2(db, "SELECT (SELECT count(*) FROM person WHERE id_number = ?1)"
                                   " + (SELECT count(*) FROM legal_entity WHERE uscc = ?1)",
                               -1, &statement, NULL) == SQLITE_OK) {
            sqlite3_bind_text(statement, 1, id ? id : id_raw, -1, SQLITE_STATIC);
            if (sqlite3_step(statement) == SQLITE_ROW && sqlite3_column_int(statement, 0) == 0)
                printf(_("    no person or legal entity has this identifier\n"));
        }
        sqlite3_finalize(statement);
    }
    if (name != NULL && name[0] != '\0') {
        sqlite3_stmt *statement = NULL;
        if (sqlite3_prepare_v2(db, "SELECT (SELECT count(*) FROM person WHERE name = ?1)"
                                   " + (SELECT count(*) FROM legal_entity WHERE name = ?1)",
                               -1, &statement, NULL) == SQLITE_OK) {
            sqlite3_bind_text(statement, 1, name, -1, SQLITE_STATIC);
            if (sqlite3_step(statement) == SQLITE_ROW)
                printf(_("    %d base records have the name %s; no candidate reached the match threshold\n"),
                       sqlite3_column_int(statement, 0), name);
        }
        sqlite3_finalize(statement);
    }
}

static int explain_record(sqlite3 *db, const explain_kind *kind, const char *record_id)
{
    sqlite3_stmt *owners = NULL;
    if (sqlite3_prepare_v2(db, kind->owner_sql, -1, &owners, NULL) != SQLITE_OK) {
        fprintf(stderr, _("themedb explain: cannot read the database: %s\n"), sqlite3_errmsg(db));
        return 1;
    }
    sqlite3_bind_text(owners, 1, record_id, -1, SQLITE_STATIC);
    printf("%s %s\n", kind->name, record_id);
    while (sqlite3_step(owners) == SQLITE_ROW) {
        int seq = sqlite3_column_int(owners, 0);
        const char *name = (const char *)sqlite3_column_text(owners, 1);
        if (seq > 0)
            printf(_(" co-owner %d: %s\n"), seq, name ? name : "");
        else
            printf(_(" owner or holder: %s\n"), name ? name : "");
        if (print_links(db, kind, record_id, seq) == 0)
            print_no_link(db, name, (const char *)sqlite3_column_text(owners, 2),
                          (const char *)sqlite3_column_text(owners, 3),
                          (const char *)sqlite3_column_text(owners, 4),
                          (const char *)sqlite3_column_text(owners, 5));
    }
    sqlite3_finalize(owners);
    return 0;
}

int tdb_cmd_explain(int argc, char **argv)
{
    if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        print_explain_help(stdout);
        return 0;
    }
    if (argc != 4) {
        print_explain_help(stderr);
        return 2;
    }
    const explain_kind *kind = NULL;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        if (strcmp(argv[2], kinds[i].name) == 0) kind = &kinds[i];
    }
    if (kind == NULL) {
        fprintf(stderr, _("themedb explain: unknown kind '%s' (expected vehicle, housing, certificate or legal_entity)\n"), argv[2]);
        return 2;
    }
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        fprintf(stderr, _("themedb explain: cannot open %s: %s\n"), argv[1], sqlite3_errmsg(db));
        sqlite3_close(db);
        return 1;
    }
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT %s FROM %s WHERE %s ORDER BY 1", kind->id_column, kind->table, kind->lookup);
    sqlite3_stmt *records = NULL;
    int result = 0;
    int found = 0;
    if (sqlite3_prepare_v2(db, sql, -1, &records, NULL) != SQLITE_OK) {
        fprintf(stderr, _("themedb explain: %s is not a theme database (%s)\n"), argv[1], sqlite3_errmsg(db));
        result = 1;
    } else {
        sqlite3_bind_text(records, 1, argv[3], -1, SQLITE_STATIC);
        while (result == 0 && sqlite3_step(records) == SQLITE_ROW) {
            found++;
            result = explain_record(db, kind, (const char *)sqlite3_column_text(records, 0));
        }
        if (result == 0 && found == 0) {
            fprintf(stderr, _("themedb explain: no %s with the key '%s'\n"), kind->name, argv[3]);
            result = 1;
        }
    }
    sqlite3_finalize(records);
    sqlite3_close(db);
    return result;
}

/* Unit tests for the identifier module. The check characters of the values below
 * were computed separately from the standards' weights, not with this module. */
#include "test_util.h"

#include <stdio.h>

#include "themedb/id.h"
#include "util.h"

enum { REFERENCE_DATE = 20261204 };

typedef struct id_case {
    const char *name;
    const char *input;
    tdb_id_kind forced;
    tdb_id_kind kind;
    bool valid;
    const char *reason;
    const char *normalized; /* "" when invalid */
} id_case;

/* Region codes the test gazetteer contains. 442529 (Longchuan before 1988) is not one. */
static bool test_region_known(const void *context, const char code[6])
{
    (void)context;
    static const char *const known[] = {"110105", "440524", "441622", "511102"};
    for (size_t i = 0; i < TDB_ARRAY_LEN(known); i++) {
        if (memcmp(code, known[i], 6) == 0) return true;
    }
    return false;
}

static const tdb_id_options test_options = {REFERENCE_DATE, test_region_known, NULL};

static void check_case(const id_case *c, const tdb_id_options *options)
{
    tdb_id_result result;
    tdb_id_check(c->input, strlen(c->input), c->forced, options, &result);
    if (result.kind != c->kind)
        fail_msg("%s: kind %s, expected %s", c->name, tdb_id_kind_name(result.kind),
                 tdb_id_kind_name(c->kind));
    if (result.valid != c->valid)
        fail_msg("%s: valid %d, expected %d (reason '%s')", c->name, result.valid, c->valid,
                 result.reason);
    if (strcmp(result.reason, c->reason) != 0)
        fail_msg("%s: reason '%s', expected '%s'", c->name, result.reason, c->reason);
    if (strcmp(result.normalized, c->normalized) != 0)
        fail_msg("%s: normalized '%s', expected '%s'", c->name, result.normalized, c->normalized);
    if (result.warning != (c->valid && c->reason[0] != '\0'))
        fail_msg("%s: warning %d", c->name, result.warning);
}

static void check_cases(const id_case *cases, size_t count)
{
    for (size_t i = 0; i < count; i++) check_case(&cases[i], &test_options);
}

#define U TDB_ID_UNKNOWN
#define ID TDB_ID_NUMBER

static void id_number_cases(void **state)
{
    (void)state;
    static const id_case cases[] = {
        {"gb11643 example", "11010519491231002X", U, ID, true, "", "11010519491231002X"},
        {"gb11643 second example", "440524188001010014", U, ID, true, "", "440524188001010014"},
        {"lower-case x", "11010519491231002x", U, ID, true, "", "11010519491231002X"},
        {"full-width digits", "１１０１０５１９４９１２３１００２Ｘ", U, ID, true, "", "11010519491231002X"},
        {"full-width lower x", "１１０１０５１９４９１２３１００２ｘ", U, ID, true, "", "11010519491231002X"},
        {"spaces inside", "110105 19491231 002X", U, ID, true, "", "11010519491231002X"},
        {"ideographic space", "110105\u300019491231002X", U, ID, true, "", "11010519491231002X"},
        {"hyphens", "110105-19491231-002X", U, ID, true, "", "11010519491231002X"},
        {"fifteen digits upgraded", "110105491231002", U, ID, true, "", "11010519491231002X"},
        {"fifteen digits forced", "110105491231002", ID, ID, true, "", "11010519491231002X"},
        {"wrong check char", "110105194912310021", U, ID, false, "checksum", ""},
        {"x where check is 0", "44162219900101007X", U, ID, false, "checksum", ""},
        {"check value 0", "441622199001010070", U, ID, true, "", "441622199001010070"},
        {"30 february", "440524188002300013", U, ID, false, "birth_date", ""},
        {"29 february leap", "441622200002290022", U, ID, true, "", "441622200002290022"},
        {"29 february 1900", "441622190002290026", U, ID, false, "birth_date", ""},
        {"born before 1800", "110105179912310024", U, ID, false, "birth_date", ""},
        {"born in the future", "441622203001010010", U, ID, false, "birth_date", ""},
        {"letter in birth date", "1101051949A231002X", U, ID, false, "charset", ""},
        {"letter in date forced", "1101051949A231002X", ID, ID, false, "charset", ""},
        {"all zeros", "000000000000000000", U, ID, false, "placeholder", ""},
        {"all zeros forced", "000000000000000000", ID, ID, false, "placeholder", ""},
        {"17 digits", "11010519491231002", U, ID, false, "length", ""},
        {"19 digits forced", "1101051949123100201", ID, ID, false, "length", ""},
        {"x inside", "1101051949123X0021", ID, ID, false, "charset", ""},
        {"region retired", "442529199001010011", U, ID, true, "region_unknown", "442529199001010011"},
        {"region province 99", "991622199001010019", ID, ID, true, "region_unknown", "991622199001010019"},
    };
    check_cases(cases, TDB_ARRAY_LEN(cases));
}

static void id_number_birth_and_gender(void **state)
{
    (void)state;
    tdb_id_result result;
    tdb_id_check("11010519491231002X", 18, TDB_ID_UNKNOWN, &test_options, &result);
    assert_string_equal(result.birth_date, "19491231");
    assert_int_equal(result.gender, 'F');

    tdb_id_check("440524188001010014", 18, TDB_ID_UNKNOWN, &test_options, &result);
    assert_string_equal(result.birth_date, "18800101");
    assert_int_equal(result.gender, 'M');

    /* A wrong check character keeps the birth date for fuzzy linking. */
    tdb_id_check("110105194912310021", 18, TDB_ID_UNKNOWN, &test_options, &result);
    assert_string_equal(result.birth_date, "19491231");

    tdb_id_check("440524188002300013", 18, TDB_ID_UNKNOWN, &test_options, &result);
    assert_string_equal(result.birth_date, "");
    assert_int_equal(result.gender, 0);

    tdb_id_check("91441622MA4UABCD92", 18, TDB_ID_UNKNOWN, &test_options, &result);
    assert_string_equal(result.birth_date, "");
}

static void id_number_region_callback(void **state)
{
    (void)state;
    tdb_id_result result;
    tdb_id_check("442529199001010011", 18, TDB_ID_NUMBER, &test_options, &result);
    assert_true(result.valid);
    assert_true(result.warning);
    assert_string_equal(result.reason, "region_unknown");

    tdb_id_check("441622199001010011", 18, TDB_ID_NUMBER, &test_options, &result);
    assert_true(result.valid);
    assert_false(result.warning);
    assert_string_equal(result.reason, "");

    /* Without a callback only the province is checked. */
    tdb_id_options no_lookup = {REFERENCE_DATE, NULL, NULL};
    tdb_id_check("442529199001010011", 18, TDB_ID_NUMBER, &no_lookup, &result);
    assert_false(result.warning);
}

static void id_number_without_options(void **state)
{
    (void)state;
    tdb_id_result result;
    /* No reference date: a birth date in the future is accepted. */
    tdb_id_check("441622203001010010", 18, TDB_ID_UNKNOWN, NULL, &result);
    assert_true(result.valid);
    assert_string_equal(result.reason, "");
}

static void candidate_for_invalid_values(void **state)
{
    (void)state;
    tdb_id_result result;
    tdb_id_check("1101 0519 4912 3100 21", 22, TDB_ID_UNKNOWN, &test_options, &result);
    assert_false(result.valid);
    assert_string_equal(result.normalized, "");
    assert_string_equal(result.candidate, "110105194912310021");

    tdb_id_check("１１０１０５１９４９１２３１００２", 51, TDB_ID_NUMBER, &test_options, &result);
    assert_string_equal(result.reason, "length");
    assert_string_equal(result.candidate, "11010519491231002");

    tdb_id_check("粤（2020)龙川县不动产权第001234号", strlen("粤（2020)龙川县不动产权第001234号"),
                 TDB_ID_UNKNOWN, &test_options, &result);
    assert_false(result.valid);
    assert_string_equal(result.candidate, "粤(2020)龙川县不动产权第001234号");

    tdb_id_check("", 0, TDB_ID_UNKNOWN, &test_options, &result);
    assert_string_equal(result.candidate, "");
}

#define USCC TDB_ID_USCC

static void uscc_cases(void **state)
{
    (void)state;
    static const id_case cases[] = {
        {"letters in 9-17", "91441622MA4UABCD92", U, USCC, true, "", "91441622MA4UABCD92"},
        {"lower case", "91441622ma4uabcd92", U, USCC, true, "", "91441622MA4UABCD92"},
        {"check value 0", "91441622MA4U000J70", U, USCC, true, "", "91441622MA4U000J70"},
        {"check 0 digits", "914416223100910080", U, USCC, true, "", "914416223100910080"},
        {"category 12", "12441622456001239R", U, USCC, true, "", "12441622456001239R"},
        {"org check X", "91441622MA4U0001XJ", U, USCC, true, "", "91441622MA4U0001XJ"},
        {"checksum warning", "91441622MA4UABCD93", U, USCC, true, "checksum", "91441622MA4UABCD93"},
        {"org checksum warning", "91441622MA4UABCD19", U, USCC, true, "org_checksum",
         "91441622MA4UABCD19"},
        {"letter I", "91441622MA4UIBCD92", U, USCC, false, "charset", ""},
        {"letter O", "91441622MA4UOBCD92", U, USCC, false, "charset", ""},
        {"letter Z", "91441622MA4UZBCD92", U, USCC, false, "charset", ""},
        {"letter S", "91441622MA4USBCD92", U, USCC, false, "charset", ""},
        {"letter V", "91441622MA4UVBCD92", U, USCC, false, "charset", ""},
        {"17 characters", "91441622MA4UABCD9", USCC, USCC, false, "length", ""},
        {"letter in region", "914416A2MA4UABCD92", USCC, USCC, false, "format", ""},
        {"all zeros", "000000000000000000", USCC, USCC, false, "placeholder", ""},
    };
    check_cases(cases, TDB_ARRAY_LEN(cases));
}

static void ambiguous_value_read_by_structure(void **state)
{
    (void)state;
    /* 511102199001012020 passes the ID number checksum and, read as a credit code of a
     * social association, both credit code checksums. */
    static const id_case cases[] = {
        {"detected", "511102199001012020", U, ID, true, "", "511102199001012020"},
        {"forced uscc", "511102199001012020", USCC, USCC, true, "", "511102199001012020"},
        {"month 13 stays id", "440524188013010014", U, ID, false, "birth_date", ""},
        /* With month 13 the value no longer fits an ID number but still fits a credit
         * code, whose checksum then fails. */
        {"month 13 fits uscc", "511102199013012020", U, USCC, true, "checksum", "511102199013012020"},
    };
    check_cases(cases, TDB_ARRAY_LEN(cases));
}

#define VIN TDB_ID_VIN

static void vin_cases(void **state)
{
    (void)state;
    static const id_case cases[] = {
        {"check digit", "LSVAA4181E2123456", U, VIN, true, "", "LSVAA4181E2123456"},
        {"check digit X", "LSVAA418XE2002456", U, VIN, true, "", "LSVAA418XE2002456"},
        {"iso example", "1M8GDM9AXKP042788", U, VIN, true, "", "1M8GDM9AXKP042788"},
        {"lower case", "lsvaa4181e2123456", U, VIN, true, "", "LSVAA4181E2123456"},
        {"wrong check digit", "LSVAA4182E2123456", U, VIN, false, "checksum", ""},
        {"letter I", "LSVAA4181E2I23456", U, VIN, false, "charset", ""},
        {"letter O", "LSVAA4181E2O23456", U, VIN, false, "charset", ""},
        {"letter Q", "LSVAA4181E2Q23456", U, VIN, false, "charset", ""},
        {"16 characters", "LSVAA4181E212345", VIN, VIN, false, "length", ""},
    };
    check_cases(cases, TDB_ARRAY_LEN(cases));
}

#define PLATE TDB_ID_PLATE

static void plate_cases(void **state)
{
    (void)state;
    static const id_case cases[] = {
        {"middle dot", "粤P·12345", U, PLATE, true, "", "粤P12345"},
        {"lower case", "粤p12345", U, PLATE, true, "", "粤P12345"},
        {"full-width", "粤Ｐ１２３４５", U, PLATE, true, "", "粤P12345"},
        {"katakana dot", "粤P・12345", U, PLATE, true, "", "粤P12345"},
        {"full stop", "粤P.12345", U, PLATE, true, "", "粤P12345"},
        {"letters in serial", "京A8B2C7", U, PLATE, true, "", "京A8B2C7"},
        {"new energy small", "粤AD12345", U, PLATE, true, "", "粤AD12345"},
        {"new energy large", "粤A12345F", U, PLATE, true, "", "粤A12345F"},
        {"8 chars not energy", "粤A123456", U, PLATE, false, "format", ""},
        {"trailer suffix", "粤A1234挂", U, PLATE, true, "", "粤A1234挂"},
        {"driving school", "粤A1234学", U, PLATE, true, "", "粤A1234学"},
        {"hong kong suffix", "粤Z1234港", U, PLATE, true, "", "粤Z1234港"},
        {"suffix after 5", "粤A12345挂", U, PLATE, false, "charset", ""},
        {"office letter I", "粤I12345", U, PLATE, false, "charset", ""},
        {"office letter O", "粤O12345", U, PLATE, false, "charset", ""},
        {"serial letter O", "粤A1O345", U, PLATE, false, "charset", ""},
        {"serial letter I", "粤A123I5", U, PLATE, false, "charset", ""},
        {"office digit", "粤112345", U, PLATE, false, "format", ""},
        {"too short", "粤A1234", U, PLATE, false, "length", ""},
        {"not a province", "港A12345", PLATE, PLATE, false, "format", ""},
    };
    check_cases(cases, TDB_ARRAY_LEN(cases));
}

#define UNIT TDB_ID_PROPERTY_UNIT

static void property_unit_cases(void **state)
{
    (void)state;
    static const id_case cases[] = {
        {"house", "441622001001GB00001F00010001", U, UNIT, true, "", "441622001001GB00001F00010001"},
        {"lower case spaced", "441622 001001 gb00001 f00010001", U, UNIT, true, "",
         "441622001001GB00001F00010001"},
        {"no fixture", "441622001001JC00012W00000000", U, UNIT, true, "",
         "441622001001JC00012W00000000"},
        {"no fixture number", "441622001001JC00012W00010001", U, UNIT, false, "format", ""},
        {"fixture code X", "441622001001GB00001X00010001", U, UNIT, false, "format", ""},
        {"ownership letter", "441622001001AB00001F00010001", U, UNIT, false, "format", ""},
        {"letter in zone", "441622A01001GB00001F00010001", U, UNIT, false, "format", ""},
        {"27 characters", "441622001001GB00001F0001000", UNIT, UNIT, false, "length", ""},
        {"punctuation", "441622001001GB00001F0001000/", U, UNIT, false, "charset", ""},
    };
    check_cases(cases, TDB_ARRAY_LEN(cases));
}

#define CERT TDB_ID_CERT_NUMBER
#define CERT_NORMAL "粤(2020)龙川县不动产权第0001234号"

static void cert_number_cases(void **state)
{
    (void)state;
    static const id_case cases[] = {
        {"ascii brackets", "粤(2020)龙川县不动产权第0001234号", U, CERT, true, "", CERT_NORMAL},
        {"full-width brackets", "粤（2020）龙川县不动产权第0001234号", U, CERT, true, "", CERT_NORMAL},
        {"tortoise brackets", "粤〔2020〕龙川县不动产权第0001234号", U, CERT, true, "", CERT_NORMAL},
        {"square brackets", "粤[2020]龙川县不动产权第0001234号", U, CERT, true, "", CERT_NORMAL},
        {"full-width square", "粤［2020］龙川县不动产权第0001234号", U, CERT, true, "", CERT_NORMAL},
        {"lenticular brackets", "粤【2020】龙川县不动产权第0001234号", U, CERT, true, "", CERT_NORMAL},
        {"full-width digits", "粤（２０２０）龙川县不动产权第０００１２３４号", U, CERT, true, "",
         CERT_NORMAL},
        {"spaces", "粤 (2020) 龙川县 不动产权第 0001234 号", U, CERT, true, "", CERT_NORMAL},
        {"certificate of proof", "粤(2021)龙川县不动产证明第0000056号", U, CERT, true, "",
         "粤(2021)龙川县不动产证明第0000056号"},
        {"six-digit serial", "粤(2020)龙川县不动产权第001234号", U, CERT, false, "format", ""},
        {"missing di", "粤(2020)龙川县不动产权0001234号", U, CERT, false, "format", ""},
        {"missing place", "粤(2020)不动产权第0001234号", U, CERT, false, "format", ""},
        {"missing province", "(2020)龙川县不动产权第0001234号", U, CERT, false, "format", ""},
        {"year after reference", "粤(2027)龙川县不动产权第0001234号", U, CERT, false, "issue_year", ""},
        {"year before 2014", "粤(2010)龙川县不动产权第0001234号", U, CERT, false, "issue_year", ""},
    };
    check_cases(cases, TDB_ARRAY_LEN(cases));
}

#define PHONE TDB_ID_PHONE

static void phone_cases(void **state)
{
    (void)state;
    static const id_case cases[] = {
        {"plain", "13800138000", U, PHONE, true, "", "13800138000"},
        {"plus 86 separators", "+86 138-0013-8000", U, PHONE, true, "", "13800138000"},
        {"86 prefix", "8613800138000", U, PHONE, true, "", "13800138000"},
        {"0086 prefix", "0086 13800138000", U, PHONE, true, "", "13800138000"},
        {"parentheses", "(+86)19912345678", U, PHONE, true, "", "19912345678"},
        {"full-width", "１３８００１３８０００", U, PHONE, true, "", "13800138000"},
        {"second digit 2", "12345678901", U, PHONE, false, "format", ""},
        {"other country", "+1 4155550100", U, PHONE, false, "charset", ""},
        {"ten digits", "1380013800", PHONE, PHONE, false, "length", ""},
        {"letter", "1380013800A", PHONE, PHONE, false, "charset", ""},
    };
    check_cases(cases, TDB_ARRAY_LEN(cases));
}

static void generic_cases(void **state)
{
    (void)state;
    static const id_case cases[] = {
        {"empty", "", U, U, false, "empty", ""},
        {"blank", " \t\u3000", U, U, false, "empty", ""},
        {"empty forced", "", ID, ID, false, "empty", ""},
        {"word wu", "无", U, U, false, "placeholder", ""},
        {"word buxiang", "不详", ID, ID, false, "placeholder", ""},
        {"null", "null", U, U, false, "placeholder", ""},
        {"dash only", "-", U, U, false, "placeholder", ""},
        {"slash", "/", ID, ID, false, "placeholder", ""},
        {"free text", "张三", U, U, false, "unrecognized", ""},
        {"short number", "12345", U, U, false, "unrecognized", ""},
        {"bad utf-8", "\xFF\xFE", U, U, false, "unrecognized", ""},
        {"bad utf-8 forced", "11010519491231002\xFF", ID, ID, false, "charset", ""},
        {"control char", "11010519491231002\x01", ID, ID, false, "charset", ""},
    };
    check_cases(cases, TDB_ARRAY_LEN(cases));
}

static void too_long_input(void **state)
{
    (void)state;
    char text[200];
    memset(text, '1', sizeof text);
    tdb_id_result result;
    tdb_id_check(text, sizeof text, TDB_ID_UNKNOWN, &test_options, &result);
    assert_false(result.valid);
    assert_string_equal(result.reason, "length");
    assert_int_equal(strlen(result.candidate), 64);
}

static void embedded_nul_counted(void **state)
{
    (void)state;
    tdb_id_result result;
    tdb_id_check("11010519491231002X\0", 19, TDB_ID_NUMBER, &test_options, &result);
    assert_false(result.valid);
    assert_string_equal(result.reason, "length");
}

static void kind_names_round_trip(void **state)
{
    (void)state;
    static const char *const names[] = {"unknown", "id_number", "uscc", "vin", "plate",
                                        "property_unit", "cert_number", "phone"};
    for (int i = 0; i < TDB_ID_KIND_COUNT; i++) {
        tdb_id_kind kind = TDB_ID_UNKNOWN;
        assert_string_equal(tdb_id_kind_name((tdb_id_kind)i), names[i]);
        assert_true(tdb_id_kind_parse(names[i], &kind));
        assert_int_equal(kind, i);
        assert_non_null(tdb_id_kind_description((tdb_id_kind)i));
    }
    tdb_id_kind kind = TDB_ID_VIN;
    assert_false(tdb_id_kind_parse("ID_NUMBER", &kind));
    assert_int_equal(kind, TDB_ID_VIN);
    assert_string_equal(tdb_id_kind_name((tdb_id_kind)99), "unknown");
}

static void reason_descriptions_cover_codes(void **state)
{
    (void)state;
    static const char *const codes[] = {
        "empty", "placeholder", "unrecognized", "length", "charset", "format",
        "checksum", "org_checksum", "birth_date", "region_unknown", "issue_year",
    };
    for (size_t i = 0; i < TDB_ARRAY_LEN(codes); i++)
        assert_non_null(tdb_id_reason_description(codes[i]));
    assert_null(tdb_id_reason_description(""));
    assert_null(tdb_id_reason_description("bogus"));
}

static void normalize_matches_candidate(void **state)
{
    (void)state;
    static const struct {
        const char *input;
        tdb_id_kind kind;
    } cases[] = {
        {"110105491231002", TDB_ID_NUMBER},
        {"1101 0519 4912 3100 21", TDB_ID_NUMBER},
        {"91441622ma4uabcd92", TDB_ID_USCC},
        {"lsvaa4181e2123456", TDB_ID_VIN},
        {"粤p·12345", TDB_ID_PLATE},
        {"441622 001001 gb00001 f00010001", TDB_ID_PROPERTY_UNIT},
        {"粤〔2020〕龙川县不动产权第0001234号", TDB_ID_CERT_NUMBER},
        {"+86 138-0013-8000", TDB_ID_PHONE},
    };
    for (size_t i = 0; i < TDB_ARRAY_LEN(cases); i++) {
        char out[TDB_ID_TEXT_SIZE];
        tdb_id_result result;
        size_t length = strlen(cases[i].input);
        size_t written = tdb_id_normalize(cases[i].input, length, cases[i].kind, out);
        tdb_id_check(cases[i].input, length, cases[i].kind, &test_options, &result);
        assert_string_equal(out, result.candidate);
        assert_int_equal(written, strlen(out));
    }
}

/* The check allocates nothing: it works while every allocation fails. */
static void check_needs_no_allocation(void **state)
{
    (void)state;
    tdb_id_result result;
    tdb_alloc_fail_after(1);
    tdb_id_check("粤（2020）龙川县不动产权第0001234号", strlen("粤（2020）龙川县不动产权第0001234号"),
                 TDB_ID_UNKNOWN, &test_options, &result);
    tdb_alloc_fail_after(0);
    assert_true(result.valid);
    assert_string_equal(result.normalized, CERT_NORMAL);
}

/* Results computed by several OpenMP threads at once equal the serial ones. */
static void threads_agree_with_serial(void **state)
{
    (void)state;
    static const char *const inputs[] = {
        "11010519491231002x", "110105491231002", "91441622MA4UABCD93", "LSVAA418XE2002456",
        "粤P·12345", "441622001001GB00001F00010001", "粤〔2020〕龙川县不动产权第0001234号",
        "+86 138-0013-8000", "442529199001010011", "000000000000000000",
    };
    enum { INPUT_COUNT = TDB_ARRAY_LEN(inputs), ROUNDS = 2000 };
    tdb_id_result serial[INPUT_COUNT];
    for (size_t i = 0; i < INPUT_COUNT; i++)
        tdb_id_check(inputs[i], strlen(inputs[i]), TDB_ID_UNKNOWN, &test_options, &serial[i]);

    long mismatches = 0;
#pragma omp parallel for num_threads(4) reduction(+ : mismatches)
    for (long round = 0; round < ROUNDS * (long)INPUT_COUNT; round++) {
        size_t i = (size_t)round % INPUT_COUNT;
        tdb_id_result result;
        tdb_id_check(inputs[i], strlen(inputs[i]), TDB_ID_UNKNOWN, &test_options, &result);
        if (result.kind != serial[i].kind || result.valid != serial[i].valid ||
            strcmp(result.reason, serial[i].reason) != 0 ||
            strcmp(result.normalized, serial[i].normalized) != 0)
            mismatches++;
    }
    assert_int_equal(mismatches, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(id_number_cases),
        cmocka_unit_test(id_number_birth_and_gender),
        cmocka_unit_test(id_number_region_callback),
        cmocka_unit_test(id_number_without_options),
        cmocka_unit_test(candidate_for_invalid_values),
        cmocka_unit_test(uscc_cases),
        cmocka_unit_test(ambiguous_value_read_by_structure),
        cmocka_unit_test(vin_cases),
        cmocka_unit_test(plate_cases),
        cmocka_unit_test(property_unit_cases),
        cmocka_unit_test(cert_number_cases),
        cmocka_unit_test(phone_cases),
        cmocka_unit_test(generic_cases),
        cmocka_unit_test(too_long_input),
        cmocka_unit_test(embedded_nul_counted),
        cmocka_unit_test(kind_names_round_trip),
        cmocka_unit_test(reason_descriptions_cover_codes),
        cmocka_unit_test(normalize_matches_candidate),
        cmocka_unit_test(check_needs_no_allocation),
        cmocka_unit_test(threads_agree_with_serial),
    };
    return cmocka_run_group_tests_name("id", tests, NULL, NULL);
}

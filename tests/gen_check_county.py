#!/usr/bin/env python3
"""Check a county written by gen-county, independently of the engine.

Usage: gen_check_county.py DIR

Every file must decode in its manifest encoding and parse as CSV with the manifest's
columns, except the rows that truth/problems.csv lists as malformed_row. Every key in
the truth tables must be valid (ID number, credit code) and present in its base file,
and every truth row must point at the line where a record starts. Exit status 1 lists
each failure.
"""
import configparser
import csv
import gzip
import io
import re
import sys
import unicodedata

ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CHECK = "10X98765432"
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]
VIN_VALUES = dict(zip("ABCDEFGHJKLMNPRSTUVWXYZ", [1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 7, 9, 2, 3, 4, 5, 6, 7, 8, 9]))
VIN_WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2]

failures = []


def fail(message):
    failures.append(message)


def id_valid(value):
    if not re.fullmatch(r"\d{17}[\dX]", value):
        return False
    if ID_CHECK[sum(int(c) * w for c, w in zip(value, ID_WEIGHTS)) % 11] != value[17]:
        return False
    year, month, day = int(value[6:10]), int(value[10:12]), int(value[12:14])
    return 1900 <= year <= 2026 and 1 <= month <= 12 and 1 <= day <= 31


def id_normalize(value):
    """Return the canonical 18-character form of a registry ID, or None."""
    value = unicodedata.normalize("NFKC", value).strip().upper()
    if re.fullmatch(r"\d{15}", value):
        body = value[:6] + "19" + value[6:]
        value = body + ID_CHECK[sum(int(c) * w for c, w in zip(body, ID_WEIGHTS)) % 11]
    return value if id_valid(value) else None


def org_code_valid(body, check):
    values = [int(c) if c.isdigit() else ord(c) - ord("A") + 10 for c in body]
    expected = 11 - sum(v * w for v, w in zip(values, ORG_WEIGHTS)) % 11
    return check == {10: "X", 11: "0"}.get(expected, str(expected))


def uscc_valid(value):
    if len(value) != 18 or any(c not in USCC_ALPHABET for c in value):
        return False
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(value, USCC_WEIGHTS))
    return USCC_ALPHABET[(31 - total % 31) % 31] == value[17] and org_code_valid(value[8:16], value[16])


def vin_valid(value):
    if not re.fullmatch(r"[0-9A-HJ-NPR-Z]{17}", value):
        return False
    total = sum((int(c) if c.isdigit() else VIN_VALUES[c]) * w for c, w in zip(value, VIN_WEIGHTS))
    return value[8] == ("X" if total % 11 == 10 else str(total % 11))


def read_manifest(folder):
    parser = configparser.ConfigParser(inline_comment_prefixes=(";",), comment_prefixes=(";", "#"),
                                       interpolation=None)
    with open(f"{folder}/manifest.ini", encoding="utf-8") as stream:
        parser.read_string(stream.read())
    sources = {}
    for section in parser.sections():
        if not section.startswith("source ") or "path" not in parser[section]:
            continue
        options = parser[section]
        columns = {key[len("column."):]: value for key, value in options.items() if key.startswith("column.")}
        sources[section[len("source "):]] = {"path": options["path"], "encoding": options["encoding"],
                                             "columns": columns}
    return sources


def read_rows(folder, source):
    """Return {start line: fields}, the header, and the start lines of undecodable rows."""
    raw = open(f"{folder}/{source['path']}", "rb").read()
    if raw[:2] == b"\x1f\x8b":
        if raw[4:8] != b"\0\0\0\0" or raw[3] & 0x08:
            fail(f"{source['path']}: gzip header carries a time stamp or a file name")
        raw = gzip.decompress(raw)
    if raw[:3] == b"\xef\xbb\xbf":
        raw = raw[3:]
    codec = "gb18030" if source["encoding"] == "gb18030" else "utf-8"
    text = raw.decode(codec, errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""))
    rows, invalid, line = {}, set(), 1
    for fields in reader:
        rows[line] = fields
        if any("\ufffd" in field for field in fields):
            invalid.add(line)
        line = reader.line_num + 1
    header = rows.pop(1)
    return rows, header, invalid


def read_truth(folder, name):
    with open(f"{folder}/truth/{name}", encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def check_source(name, source, rows, header, invalid, problems):
    missing = [column for column in source["columns"].values() if column not in header]
    if missing:
        fail(f"{name}: header lacks columns {missing}")
    malformed = {int(p["line"]): p["field"] for p in problems if p["source"] == name and p["problem"] == "malformed_row"}
    for line, fields in rows.items():
        ragged = len(fields) != len(header)
        if ragged != (malformed.get(line) == "columns"):
            fail(f"{name}:{line}: {len(fields)} fields, header has {len(header)}")
        if (line in invalid) != (malformed.get(line) == "bytes"):
            fail(f"{name}:{line}: invalid bytes do not match truth/problems.csv")
    for problem in problems:
        if problem["source"] == name and int(problem["line"]) not in rows:
            fail(f"{name}:{problem['line']}: problem {problem['problem']} is not at the start of a record")


def intact_rows(parsed, name):
    """Yield (line, fields) of the rows that are neither ragged nor undecodable."""
    rows, header, invalid = parsed[name]
    for line, fields in rows.items():
        if len(fields) == len(header) and line not in invalid:
            yield line, fields


def base_keys(sources, parsed):
    persons, entities = set(), set()
    person_column = sources["persons"]["columns"]["id_number"]
    index = parsed["persons"][1].index(person_column)
    for line, fields in intact_rows(parsed, "persons"):
        canonical = id_normalize(fields[index])
        if canonical is None:
            fail(f"persons:{line}: ID number {fields[index]!r} does not normalize to a valid one")
        persons.add(canonical)
    index = parsed["legal_entities"][1].index(sources["legal_entities"]["columns"]["uscc"])
    for line, fields in intact_rows(parsed, "legal_entities"):
        if not uscc_valid(fields[index]):
            fail(f"legal_entities:{line}: invalid credit code {fields[index]!r}")
        entities.add(fields[index])
    return persons, entities


def check_identifiers(sources, parsed):
    """Check VINs, plates, property unit numbers and certificate numbers."""
    header = parsed["vehicles"][1]
    vin = header.index(sources["vehicles"]["columns"]["vin"])
    plate = header.index(sources["vehicles"]["columns"]["plate"])
    for line, fields in intact_rows(parsed, "vehicles"):
        if not vin_valid(fields[vin]):
            fail(f"vehicles:{line}: invalid VIN {fields[vin]!r}")
        if not re.fullmatch(r"[\u4e00-\u9fff][A-Za-z]\u00b7?([A-HJ-NP-Z0-9]{5}|[DF]\d{5})", fields[plate]):
            fail(f"vehicles:{line}: unexpected plate {fields[plate]!r}")
    header = parsed["housing"][1]
    unit = header.index(sources["housing"]["columns"]["property_unit_no"])
    cert = header.index(sources["housing"]["columns"]["cert_number"])
    for line, fields in intact_rows(parsed, "housing"):
        if not re.fullmatch(r"\d{12}[A-Z]{2}\d{5}[FLQW]\d{8}", fields[unit]):
            fail(f"housing:{line}: invalid property unit number {fields[unit]!r}")
        if not re.fullmatch(r"[\u4e00-\u9fff]\(\d{4}\)\w+不动产权第\d{7}号", fields[cert]):
            fail(f"housing:{line}: invalid certificate number {fields[cert]!r}")


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    folder = sys.argv[1]
    sources = read_manifest(folder)
    problems = read_truth(folder, "problems.csv")
    links = read_truth(folder, "links.csv")
    parsed = {name: read_rows(folder, source) for name, source in sources.items()}
    for name, source in sources.items():
        check_source(name, source, *parsed[name], problems)
    persons, entities = base_keys(sources, parsed)
    check_identifiers(sources, parsed)

    for link in links:
        key, source, line = link["to_key"], link["source"], int(link["line"])
        if link["to_kind"] == "person":
            if not id_valid(key):
                fail(f"links: invalid ID number {key} ({source}:{line})")
            elif key not in persons:
                fail(f"links: ID number {key} is in no row of persons ({source}:{line})")
        elif link["to_kind"] == "legal_entity":
            if not uscc_valid(key):
                fail(f"links: invalid credit code {key} ({source}:{line})")
            elif key not in entities:
                fail(f"links: credit code {key} is in no row of legal_entities ({source}:{line})")
        else:
            fail(f"links: unknown to_kind {link['to_kind']!r}")
        if source not in parsed or line not in parsed[source][0]:
            fail(f"links: {source}:{line} is not the start of a record")

    for message in failures[:50]:
        print(f"gen_check_county: {message}")
    if failures:
        print(f"gen_check_county: {len(failures)} failures in {folder}")
        return 1
    print(f"gen_check_county: {folder}: {len(links)} links, {len(problems)} problems, "
          f"{sum(len(rows) for rows, _, _ in parsed.values())} records checked")
    return 0


if __name__ == "__main__":
    sys.exit(main())

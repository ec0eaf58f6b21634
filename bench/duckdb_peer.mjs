// The DuckDB peer of a build: what a county engineer would write by hand on the same
// files with DuckDB (npm @duckdb/node-api). It loads every source and joins owners and
// holders to persons and legal entities on their ID cells. For the references left
// over it compares names with Jaro-Winkler inside blocks of the same birth date. It
// prints one JSON line with the phase times in seconds, for bench/run.
//
// Usage: node bench/duckdb_peer.mjs COUNTY_DIR [THREADS]
// DUCKDB_NODE_DIR names the folder where @duckdb/node-api is installed.
//
// GB18030 files are converted to UTF-8 first (in Node, with TextDecoder), because
// DuckDB reads only UTF-8 and UTF-16 without its encodings extension, which it would
// download. The conversion counts in the load time, as iconv would for an engineer.
import { createRequire } from "node:module";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";

const [countyDir, threadArgument] = process.argv.slice(2);
if (!countyDir || !process.env.DUCKDB_NODE_DIR) {
  console.error("usage: DUCKDB_NODE_DIR=DIR node bench/duckdb_peer.mjs COUNTY_DIR [THREADS]");
  process.exit(2);
}
const require = createRequire(join(process.env.DUCKDB_NODE_DIR, "package.json"));
const { DuckDBInstance } = require("@duckdb/node-api");

// Read the [source NAME] sections of manifest.ini: path, encoding and column mapping.
function readManifest(dir) {
  const sources = {};
  let current = null;
  for (const rawLine of readFileSync(join(dir, "manifest.ini"), "utf8").split("\n")) {
    const line = rawLine.trim();
    const section = line.match(/^\[source (\S+)\]$/);
    if (section) {
      current = sources[section[1]] = { columns: {} };
      continue;
    }
    if (line.startsWith("[")) current = null;
    const pair = line.match(/^([^=;#]+?)\s*=\s*(.*?)\s*$/);
    if (!current || !pair) continue;
    if (pair[1].startsWith("column.")) current.columns[pair[1].slice(7)] = pair[2];
    else current[pair[1]] = pair[2];
  }
  return sources;
}

function quoteIdentifier(name) {
  return `"${name.replaceAll('"', '""')}"`;
}

function quoteLiteral(text) {
  return `'${text.replaceAll("'", "''")}'`;
}

// Return a path DuckDB can read: gzip UTF-8 as is, GB18030 converted into SCRATCH.
function readablePath(dir, source, scratch, name) {
  const path = join(dir, source.path);
  if (source.encoding !== "gb18030") return path;
  let bytes = readFileSync(path);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  const converted = join(scratch, `${name}.csv`);
  writeFileSync(converted, new TextDecoder("gb18030").decode(bytes));
  return converted;
}

async function main() {
  const sources = readManifest(countyDir);
  const scratch = mkdtempSync(join(tmpdir(), "duckdb-peer-"));
  const instance = await DuckDBInstance.create(":memory:", { threads: String(threadArgument || 2) });
  const connection = await instance.connect();
  const times = {};
  let started = performance.now();
  const lap = (phase) => {
    const now = performance.now();
    times[phase] = (now - started) / 1000;
    started = now;
  };

  // Load: every column as text, ragged and undecodable rows skipped.
  for (const [name, source] of Object.entries(sources)) {
    if (!source.path) continue;
    const path = readablePath(countyDir, source, scratch, name);
    const select = Object.entries(source.columns)
      .map(([field, header]) => `${quoteIdentifier(header)} AS ${field}`)
      .join(", ");
    await connection.run(
      `CREATE TABLE ${name} AS SELECT ${select} FROM read_csv(${quoteLiteral(path)}, header = true, ` +
        `all_varchar = true, ignore_errors = true, quote = '"', escape = '"')`,
    );
  }
  lap("load");

  // Exact joins on the cleaned-up ID cells; co-owner cells are split first.
  await connection.run(`
    CREATE TABLE owner_ref AS
      SELECT 'vehicles' AS source, plate AS record, owner_name AS name, upper(trim(owner_id)) AS id FROM vehicles
      UNION ALL
      SELECT 'housing', location, trim(names.name), upper(trim(ids.id))
        FROM housing,
             unnest(string_split(owner_id, ';')) WITH ORDINALITY AS ids(id, position),
             unnest(string_split(owner_name, '、')) WITH ORDINALITY AS names(name, name_position)
        WHERE ids.position = names.name_position
      UNION ALL
      SELECT 'certificates', cert_number, holder_name, upper(trim(holder_id)) FROM certificates
      UNION ALL
      SELECT 'legal_entities', uscc, legal_rep_name, upper(trim(legal_rep_id)) FROM legal_entities`);
  const exact = await connection.runAndReadAll(`
    CREATE TABLE exact_link AS
      SELECT r.source, r.record, r.id AS to_key FROM owner_ref r JOIN persons p ON upper(trim(p.id_number)) = r.id
      UNION ALL
      SELECT r.source, r.record, r.id FROM owner_ref r JOIN legal_entities e ON upper(trim(e.uscc)) = r.id;
    SELECT count(*) FROM exact_link`);
  lap("join");

  // Left-over references: Jaro-Winkler on names within the same birth date.
  const fuzzy = await connection.runAndReadAll(`
    WITH leftover AS (
      SELECT r.* FROM owner_ref r
      WHERE NOT EXISTS (SELECT 1 FROM exact_link x WHERE x.source = r.source AND x.record = r.record)
        AND length(r.id) = 18),
    pairs AS (
      SELECT l.source, l.record, p.id_number,
             jaro_winkler_similarity(l.name, p.name) AS score
      FROM leftover l JOIN persons p ON substr(p.id_number, 7, 8) = substr(l.id, 7, 8))
    SELECT count(*) AS pairs, count(*) FILTER (WHERE score >= 0.9) AS matches FROM pairs`);
  lap("fuzzy");

  const [[exactLinks]] = exact.getRows();
  const [[pairs, matches]] = fuzzy.getRows();
  const total = times.load + times.join + times.fuzzy;
  console.log(JSON.stringify({
    load: times.load, join: times.join, fuzzy: times.fuzzy, total,
    exact_links: Number(exactLinks), fuzzy_pairs: Number(pairs), fuzzy_matches: Number(matches),
  }));
  connection.closeSync?.();
  rmSync(scratch, { recursive: true, force: true });
}

await main();

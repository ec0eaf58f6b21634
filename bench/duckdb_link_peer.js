// Speed peer for the linkage benchmark: scores the pairs that bench_link wrote with
// --pairs-csv by DuckDB's jaro_winkler_similarity on names and address keys, on 1 and
// 2 threads. DuckDB compares UTF-8 bytes, not code points, so its similarities differ
// from themedb's on Chinese text; only the speed is comparable.
//
// Usage: DUCKDB_NODE_DIR=.cache/duckdb-node-api-1.5.6-r.1 node bench/duckdb_link_peer.js PAIRS.csv
'use strict';

const path = require('path');

async function main() {
    const csv = process.argv[2];
    const moduleDir = process.env.DUCKDB_NODE_DIR;
    if (!csv || !moduleDir) {
        console.error('usage: DUCKDB_NODE_DIR=DIR node bench/duckdb_link_peer.js PAIRS.csv');
        process.exit(2);
    }
    const { DuckDBInstance } = require(path.resolve(moduleDir, 'node_modules/@duckdb/node-api'));
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();

    let started = process.hrtime.bigint();
    await connection.run(
        `CREATE TABLE pairs AS SELECT * FROM read_csv('${csv.replace(/'/g, "''")}', ` +
        `header = true, all_varchar = true)`);
    const loaded = Number(process.hrtime.bigint() - started) / 1e9;
    const countReader = await connection.runAndReadAll('SELECT count(*) FROM pairs');
    const count = Number(countReader.getRows()[0][0]);
    const version = (await connection.runAndReadAll('SELECT version()')).getRows()[0][0];
    console.log(`duckdb ${version}: ${count} pairs loaded in ${loaded.toFixed(3)} s`);

    const query = 'SELECT sum(jaro_winkler_similarity(name_a, name_b)) + ' +
        'sum(coalesce(jaro_winkler_similarity(address_a, address_b), 0)) FROM pairs';
    for (const threads of [1, 2]) {
        await connection.run(`SET threads = ${threads}`);
        let best = Infinity;
        let total = 0;
        // Best of three runs, so that a busy machine disturbs the figure less.
        for (let run = 0; run < 3; run++) {
            started = process.hrtime.bigint();
            const reader = await connection.runAndReadAll(query);
            const seconds = Number(process.hrtime.bigint() - started) / 1e9;
            total = Number(reader.getRows()[0][0]);
            best = Math.min(best, seconds);
        }
        console.log(`  threads ${threads}: ${best.toFixed(3)} s, ` +
            `${(count / best / 1e6).toFixed(2)} M pairs per second (sum ${total.toFixed(3)})`);
    }
}

main().catch((error) => {
    console.error(`duckdb_link_peer: ${error.message}`);
    process.exit(1);
});

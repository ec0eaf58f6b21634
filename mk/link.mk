# Record linkage benchmark: `make bench` builds and runs bench/bench_link.c.
BENCH_LINK := $(BUILD)/bench/bench_link
BENCH_LINK_ARGS ?=
DUCKDB_NODE_DIR ?= .cache/duckdb-node-api-1.5.6-r.1

$(BENCH_LINK): bench/bench_link.c $(BUILD)/libthemedb.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libthemedb.a $(LDFLAGS_ALL) $(LIBS)

bench: bench-link

bench-link: $(BENCH_LINK) ## Run the linkage benchmark (BENCH_LINK_ARGS="--base N --queries N --threads 1,2")
	$(BENCH_LINK) $(BENCH_LINK_ARGS)

# DuckDB's jaro_winkler_similarity on the same village pairs, as a speed peer. Needs
# `npm install --prefix $(DUCKDB_NODE_DIR) @duckdb/node-api@1.5.6-r.1` once.
bench-link-duckdb: $(BENCH_LINK) ## Time DuckDB's Jaro-Winkler on the benchmark's pairs (needs @duckdb/node-api in DUCKDB_NODE_DIR)
	$(BENCH_LINK) --per-query 20 --pairs-csv $(BUILD)/bench/link_pairs.csv $(BENCH_LINK_ARGS)
	DUCKDB_NODE_DIR=$(DUCKDB_NODE_DIR) node bench/duckdb_link_peer.js $(BUILD)/bench/link_pairs.csv

.PHONY: bench-link bench-link-duckdb

# Synthetic county generator (bench/gen) and the benchmark suite (bench/).

GEN_COUNTY_SRCS := $(sort $(wildcard bench/gen/*.c))
GEN_COUNTY_OBJS := $(GEN_COUNTY_SRCS:%.c=$(BUILD)/%.o)
GEN_COUNTY := $(BUILD)/gen-county
# Options of the committed fixture; tests/e2e_fixture_regen.sh reads them back from the
# first line of fixtures/longchuan/manifest.ini.
FIXTURE_ARGS := --persons 2000 --seed 20261201 --division 441622

.PHONY: fixture

all: $(GEN_COUNTY)

$(GEN_COUNTY_OBJS): bench/gen/gen.h

# The library is named literally: LIBRARY is defined after the fragments are included.
$(GEN_COUNTY): $(GEN_COUNTY_OBJS) $(BUILD)/libthemedb.a
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LIBS)

fixture: $(GEN_COUNTY) ## Regenerate fixtures/longchuan from its options and seed
	rm -rf fixtures/longchuan/truth fixtures/longchuan/*.csv fixtures/longchuan/*.csv.gz fixtures/longchuan/manifest.ini
	$(GEN_COUNTY) $(FIXTURE_ARGS) --out fixtures/longchuan

# Benchmark helpers: the SQLite floor and the zlib reference for ingest.
BENCH_TOOLS := $(BUILD)/bench-floor $(BUILD)/bench-inflate

$(BUILD)/bench-%: $(BUILD)/bench/%.o $(BUILD)/libthemedb.a
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LIBS)

all: $(BENCH_TOOLS)

# BENCH_FLAGS passes options to bench/run, e.g. BENCH_FLAGS="--million --runs 5".
# `make bench` runs this benchmark and those of the other modules.
.PHONY: bench-county
bench: bench-county
bench-county: all ## Benchmark builds of 10k and 100k synthetic persons (BENCH_FLAGS=--million adds 1M)
	sh bench/run $(BENCH_FLAGS)

# tests/test_gen.c tests the generator's own code, so it links the generator's objects
# (all but its main) beside the library; this rule takes precedence over the pattern
# rule for tests/test_*.c.
GEN_COUNTY_LIB_OBJS := $(filter-out $(BUILD)/bench/gen/gen_main.o,$(GEN_COUNTY_OBJS))

$(BUILD)/tests/test_gen: tests/test_gen.c tests/test_util.h bench/gen/gen.h $(GEN_COUNTY_LIB_OBJS) $(BUILD)/libthemedb.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests -Ibench/gen -o $@ $< $(GEN_COUNTY_LIB_OBJS) $(BUILD)/libthemedb.a \
		$(LDFLAGS_ALL) $(LIBS) -lcmocka

# Identifier module: the validation benchmark. `make bench` builds and runs it;
# `make build/bench/bench_id` only builds it (run it with a value count argument).
# LIBRARY is not defined yet when this file is read, so the archive is named here.
BENCH_ID := $(BUILD)/bench/bench_id

$(BENCH_ID): bench/bench_id.c include/themedb/id.h engine/util.h $(BUILD)/libthemedb.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libthemedb.a $(LDFLAGS_ALL) $(LIBS)

.PHONY: bench-id
bench-id: $(BENCH_ID) ## Run the identifier validation benchmark
	$(BENCH_ID)

bench: bench-id

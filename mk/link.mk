# Record linkage benchmark: `make bench` builds and runs bench/bench_link.c.
BENCH_LINK := $(BUILD)/bench/bench_link
BENCH_LINK_ARGS ?=

$(BENCH_LINK): bench/bench_link.c $(BUILD)/libthemedb.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libthemedb.a $(LDFLAGS_ALL) $(LIBS)

bench: bench-link

bench-link: $(BENCH_LINK) ## Run the linkage benchmark (BENCH_LINK_ARGS="--base N --queries N --threads 1,2")
	$(BENCH_LINK) $(BENCH_LINK_ARGS)

.PHONY: bench-link

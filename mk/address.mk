# Address parser: the labelled-set evaluation and throughput benchmark.
ADDRESS_EVAL := $(BUILD)/bench/address_eval

# LIBRARY is defined after the mk fragments are included, so name the file here.
$(ADDRESS_EVAL): bench/address_eval.c $(BUILD)/libthemedb.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libthemedb.a $(LDFLAGS_ALL) $(LIBS)

.PHONY: address-bench
bench: address-bench
address-bench: $(ADDRESS_EVAL) ## Measure address parsing F1 and speed (ADDRESS_EVAL_DATA=dev.txt)
	$(ADDRESS_EVAL)

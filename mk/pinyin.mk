# Pinyin table for record linkage, generated from the Unihan kMandarin readings.
PINYIN_READINGS := $(UNICODE_DIR)/Unihan_Readings.txt.bz2
GEN_SRCS += $(BUILD)/gen/link_pinyin_table.c

$(BUILD)/gen/link_pinyin_table.c: tools/gen_pinyin.sh $(PINYIN_READINGS)
	@mkdir -p $(dir $@)
	tools/gen_pinyin.sh $(PINYIN_READINGS) $@

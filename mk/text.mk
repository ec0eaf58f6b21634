# Text folding: the table of single-code-point folds, generated from the Unicode data.
TEXT_TABLE := $(BUILD)/gen/text_table.c
GEN_SRCS += $(TEXT_TABLE)

$(TEXT_TABLE): tools/gen_text_table.sh $(UNICODE_DIR)/Unihan_Variants.txt.bz2 \
		$(UNICODE_DIR)/EquivalentUnifiedIdeograph.txt
	@mkdir -p $(dir $@)
	sh tools/gen_text_table.sh $(UNICODE_DIR) > $@.tmp
	mv $@.tmp $@

# The output schema is embedded into the binary from schemas/*.sql.
SCHEMA_FILES := schemas/theme.sql schemas/indexes.sql schemas/views_zh.sql
GEN_SRCS += $(BUILD)/gen/schema_sql.c

$(BUILD)/gen/schema_sql.c: $(SCHEMA_FILES) tools/embed_sql.sh
	@mkdir -p $(dir $@)
	sh tools/embed_sql.sh $@ tdb_schema_theme_sql=schemas/theme.sql \
		tdb_schema_indexes_sql=schemas/indexes.sql tdb_schema_views_zh_sql=schemas/views_zh.sql

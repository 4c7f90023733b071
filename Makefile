# slant -- one non-recursive Makefile (see README.md).
MAKEFLAGS += -r
VERSION   = 0.1.0
PREFIX   ?= /usr/local
CC       ?= cc
CFLAGS   ?= -O2 -g
WARN      = -std=c11 -Wall -Wextra -Wpedantic -Wstrict-prototypes -Wold-style-definition \
            -Wwrite-strings -Wvla -Wformat=2 -Wpointer-arith -Wshadow
CPPFLAGS += -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DPCRE2_CODE_UNIT_WIDTH=8 -Iinclude \
            -DSLANT_VERSION='"$(VERSION)"'
DATADIR   = $(PREFIX)/share/slant
DOCDIR    = $(PREFIX)/share/doc/slant
PKGS      = libxml-2.0 libpcre2-8 sqlite3 jansson zlib
DEB_PKGS  = build-essential pkg-config libxml2-dev libpcre2-dev libsqlite3-dev libjansson-dev \
            libcmocka-dev zlib1g-dev jq sqlite3 pcre2-utils python3
PKG_CFLAGS  = $(shell pkg-config --cflags $(PKGS) 2>/dev/null) -pthread
PKG_LIBS    = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm -pthread
CMOCKA_LIBS = $(shell pkg-config --libs cmocka 2>/dev/null)

# Sanitized builds live apart, so 'make test' and 'make test SANITIZE=1' never mix objects.
ifdef SANITIZE
ifeq ($(SANITIZE),1)
override SANITIZE = address,undefined
endif
BUILD    = build/san
BIN      = build/san/bin
CFLAGS  += -O1 -fsanitize=$(SANITIZE) -fno-sanitize-recover=all -fno-omit-frame-pointer
LDFLAGS += -fsanitize=$(SANITIZE)
else
BUILD    = build
BIN      = bin
endif
ifdef DEVELOPER
WARN += -Werror
endif

LIB_SRCS    = $(wildcard lib/*.c)
STAGE_SRCS  = $(wildcard stages/*.c)
STAGE_NAMES = $(patsubst stages/%.c,%,$(STAGE_SRCS))
TEST_SRCS   = $(wildcard tests/unit/test_*.c)

LIB_OBJS   = $(patsubst %.c,$(BUILD)/%.o,$(LIB_SRCS)) $(BUILD)/site_assets.o
SITE_FILES = lib/site/slant.css lib/site/slant.js
STAGE_OBJS = $(patsubst %.c,$(BUILD)/%.o,$(STAGE_SRCS)) $(BUILD)/registry.o
TEST_BINS  = $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(TEST_SRCS))
# stages/slant.c is the driver, bin/slant; every other stages/X.c is bin/slant-X.
PROG_NAME  = $(if $(filter slant,$(1)),slant,slant-$(1))
PROGS      = $(foreach s,$(STAGE_NAMES),$(BIN)/$(call PROG_NAME,$(s)))

all: $(PROGS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(WARN) $(CFLAGS) $(PKG_CFLAGS) -MMD -MP -c -o $@ $<

# The data directory compiled into lib/conf.c follows PREFIX: the object
# depends on a stamp holding the value, rewritten only when it changes, so
# 'make && make install PREFIX=/opt/x' rebuilds it for /opt/x.
$(BUILD)/datadir.stamp: FORCE
	@mkdir -p $(dir $@)
	@echo '$(DATADIR)' | cmp -s - $@ 2>/dev/null || echo '$(DATADIR)' >$@
$(BUILD)/lib/conf.o: CPPFLAGS += -DSLANT_DATADIR='"$(DATADIR)"'
$(BUILD)/lib/conf.o: $(BUILD)/datadir.stamp
FORCE:

# The HTML report's stylesheet and script (lib/site/) as C arrays of lines
# (NULL-terminated; one string would pass ISO C's 4095-character limit):
# site_css and site_js. '?' is escaped so no trigraph forms.
$(BUILD)/site_assets.c: $(SITE_FILES) Makefile
	@mkdir -p $(dir $@)
	@for f in $(SITE_FILES); do \
	  n=$$(basename $$f | sed 's/^slant\./site_/'); \
	  printf 'const char *const %s[] = {\n' $$n; \
	  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/?/\\?/g' -e 's/^/\t"/' -e 's/$$/\\n",/' $$f; \
	  printf '\t0,\n};\n'; done >$@
$(BUILD)/site_assets.o: $(BUILD)/site_assets.c
	$(CC) $(CPPFLAGS) $(WARN) $(CFLAGS) -c -o $@ $<

$(BUILD)/libslant.a: $(LIB_OBJS)
	$(AR) rcs $@ $^

# Every stage function in one archive: the driver's fused mode and the tests link it.
# Regenerated when a stage file is added (or changed): the list comes from the wildcard.
$(BUILD)/registry.c: Makefile $(STAGE_SRCS)
	@mkdir -p $(dir $@)
	@{ echo '#include <string.h>'; echo '#include "slant/registry.h"'; \
	  for s in $(STAGE_NAMES); do echo "extern const struct stage stage_$$s;"; done; \
	  echo 'const struct stage *const stage_registry[] = {'; \
	  for s in $(STAGE_NAMES); do echo "	&stage_$$s,"; done; \
	  echo '	NULL,'; echo '};'; \
	  printf 'const struct stage *stage_find(const char *name)\n{\n\tconst struct stage *const *s;\n\n\tfor (s = stage_registry; *s; s++)\n\t\tif (!strcmp((*s)->name, name))\n\t\t\treturn *s;\n\treturn NULL;\n}\n'; } > $@
$(BUILD)/registry.o: $(BUILD)/registry.c
	$(CC) $(CPPFLAGS) $(WARN) $(CFLAGS) $(PKG_CFLAGS) -c -o $@ $<
$(BUILD)/libstages.a: $(STAGE_OBJS)
	$(AR) rcs $@ $^

$(BUILD)/main-%.c:
	@mkdir -p $(dir $@)
	@printf '#include "slant/stage.h"\nextern const struct stage stage_%s;\nint main(int argc, char **argv)\n{\n\treturn stage_main(&stage_%s, argc, argv);\n}\n' $* $* > $@

$(BUILD)/main-%.o: $(BUILD)/main-%.c
	$(CC) $(CPPFLAGS) $(WARN) $(CFLAGS) $(PKG_CFLAGS) -c -o $@ $<

define PROG_RULE
$(BIN)/$(call PROG_NAME,$(1)): $(BUILD)/main-$(1).o $(BUILD)/libstages.a $(BUILD)/libslant.a
	@mkdir -p $(BIN)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $$@ $$^ $(BUILD)/libslant.a $(PKG_LIBS)
endef
$(foreach s,$(STAGE_NAMES),$(eval $(call PROG_RULE,$(s))))

$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(BUILD)/libstages.a $(BUILD)/libslant.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(BUILD)/libslant.a $(PKG_LIBS) $(CMOCKA_LIBS)

# ====== Tests ======
test: check-deps
	@$(MAKE) --no-print-directory $(PROGS) $(TEST_BINS) $(REPLAY_BINS)
	@BIN=$(BIN) BUILD=$(BUILD) sh tests/run.sh $(TEST_BINS) $(REPLAY_BINS)

# ====== Fuzzing (docs/reliability.md) ======
# 'make test' replays each harness's tests/fuzz/regressions/NAME/* without
# libFuzzer; 'make fuzz' builds the harnesses with clang's libFuzzer into
# build/fuzz and runs each for FUZZ_SECONDS on a scratch copy of its seeds.
FUZZ_NAMES   = $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
REPLAY_BINS  = $(addprefix $(BUILD)/replay/,$(FUZZ_NAMES))
FUZZ_SECONDS ?= 60
FUZZ_CC      ?= clang
FUZZ_CFLAGS   = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all

$(BUILD)/replay/%: $(BUILD)/tests/fuzz/%.o $(BUILD)/tests/fuzz/replay.o $(BUILD)/libstages.a $(BUILD)/libslant.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(BUILD)/libslant.a $(PKG_LIBS)
$(BUILD)/fuzzer/%: $(BUILD)/tests/fuzz/%.o $(BUILD)/libstages.a $(BUILD)/libslant.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -fsanitize=fuzzer -o $@ $^ $(BUILD)/libslant.a $(PKG_LIBS)
fuzz-bins: $(addprefix $(BUILD)/fuzzer/,$(FUZZ_NAMES))
fuzz:
	@command -v $(FUZZ_CC) >/dev/null || { echo "fuzz: needs $(FUZZ_CC) with libFuzzer (apt-get install clang)"; exit 2; }
	@$(MAKE) --no-print-directory BUILD=build/fuzz BIN=build/fuzz/bin CC=$(FUZZ_CC) \
	  CFLAGS='$(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link' fuzz-bins
	@sh tests/fuzz/run.sh build/fuzz $(FUZZ_SECONDS) $(FUZZ_NAMES)

# Install what is missing when we can (root on Debian), else say what to do.
check-deps:
	@pkg-config --exists $(PKGS) cmocka 2>/dev/null || { \
	  echo "missing libraries: $$(for p in $(PKGS) cmocka; do pkg-config --exists $$p 2>/dev/null || printf '%s ' $$p; done)"; \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then $(MAKE) deps; \
	  else echo "run 'make deps' as root to install them"; exit 2; fi; }

deps:
	@if pkg-config --exists $(PKGS) cmocka && command -v jq >/dev/null && command -v sqlite3 >/dev/null \
	    && command -v pcre2grep >/dev/null; then echo "dependencies present"; else \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DEB_PKGS); fi

# ====== Demo: the chain over the bundled sample ======
demo: deps
	$(MAKE) all
	rm -f slant.db slant.db-wal slant.db-shm
	$(BIN)/slant run --db slant.db samples/
	@sh tests/demo-summary.sh slant.db

# ====== Evaluations (data outside the project; skipped when absent) ======
EXTRACT_DEV ?= ../shared/corpus/extraction-dev
# Hand labels of the same pages' metadata (tests/fixtures/extraction-dev/METADATA.md).
EXTRACT_META ?= tests/fixtures/extraction-dev/metadata.tsv
eval-extract: $(PROGS)
	@EXTRACT_META=$(EXTRACT_META) sh bench/eval-extract.sh $(BIN) $(EXTRACT_DEV)
WIKI_WEASEL ?= ../shared/corpus/wiki-weasel
POLNEAR     ?= ../shared/corpus/polnear
eval-attrib: $(PROGS)
	@python3 bench/eval-attrib.py $(BIN) $(WIKI_WEASEL) $(POLNEAR)

# ====== slant-frame: evaluation on PTC and the speed bench (docs/frame.md) ======
PTC_DEV ?= ../shared/corpus/ptc-dev
RAW_LIST ?= ../shared/lexicon-sources/recasens2013/strong_subjectives_riloff2003.txt
eval-frame: $(PROGS)
	@sh bench/eval-frame.sh $(BIN) $(PTC_DEV) $(RAW_LIST) $(BUILD)/eval-frame-entries.tsv
# ====== The audit set: hand-annotated news pages in the project (tests/fixtures/audit) ======
AUDIT ?= tests/fixtures/audit
eval-audit: $(PROGS)
	@python3 bench/eval-audit.py $(BIN) $(AUDIT)
# ====== Score validity: the report against independent outlet ratings (docs/evaluation.md) ======
VALIDITY_DEV ?= ../shared/corpus/validity-dev
SUBJ_LIST    ?= ../shared/lexicon-sources/recasens2013/strong_subjectives_riloff2003.txt
eval-validity: $(PROGS)
	@python3 bench/eval-validity.py $(BIN) pipeline.conf $(VALIDITY_DEV) $(SUBJ_LIST) --tsv $(BUILD)/eval-validity.tsv
# ====== slant-eval: per-label and per-entry figures on gold data (docs/evaluation.md) ======
eval-gold: $(PROGS)
	@sh bench/eval-gold.sh $(BIN) $(PTC_DEV) $(POLNEAR)
# ====== The register's coverage of a corpus's outlets (docs/register.md) ======
VALIDITY_DEV ?= ../shared/corpus/validity-dev
eval-register:
	@python3 bench/eval-register.py lexicons/outlets.tsv $(VALIDITY_DEV)
# The project's benchmark: stages, the chain, slant-frame and the baselines over
# 100 MB (bench/README.md, docs/performance.md).
bench: $(PROGS)
	@sh bench/bench.sh $(BIN) $(BUILD)/bench

# ====== Install ======
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/slant/lexicons \
	  $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(DOCDIR)
	install -m 755 $(PROGS) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 lexicons/*.tsv $(DESTDIR)$(PREFIX)/share/slant/lexicons/
	install -m 644 pipeline.conf $(DESTDIR)$(PREFIX)/share/slant/pipeline.conf
	install -m 644 README.md docs/*.md $(DESTDIR)$(DOCDIR)/
	@# The man pages name the docs where they are installed.
	for f in docs/man/*.1; do \
	  sed 's|/usr/local/share/doc/slant|$(DOCDIR)|g' $$f >$(DESTDIR)$(PREFIX)/share/man/man1/$${f##*/} \
	  && chmod 644 $(DESTDIR)$(PREFIX)/share/man/man1/$${f##*/} || exit 1; done

clean:
	rm -rf build bin

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
.PHONY: FORCE all test check-deps deps demo install clean eval-extract eval-attrib eval-frame eval-gold eval-audit eval-validity eval-register bench fuzz fuzz-bins
.SECONDARY:

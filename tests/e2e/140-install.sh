#!/bin/sh
# make install PREFIX=...: programs, lexicons, pipeline.conf, man pages and
# docs land under PREFIX, and the programs' compiled-in data directory is
# PREFIX/share/slant even when the tree was built for another PREFIX first.
. tests/e2e/lib.sh

INST=$TMP/inst
# Start from the tested build's objects when we know where they are (make
# test says): only lib/conf.o, which holds the data directory, is rebuilt.
if [ -n "${BUILD:-}" ] && [ -d "$BUILD" ]; then
	cp -a "$BUILD" "$TMP/build"
fi
# The caller's MAKEFLAGS (SANITIZE=1, DEVELOPER=1, ...) carry over; these win.
make -s -j4 BUILD="$TMP/build" BIN="$TMP/build/bin" PREFIX="$INST" install >"$TMP/make.out" 2>&1
rc=$?
check "make install PREFIX=$INST" "0" "$rc"
[ "$rc" = 0 ] || sed 's/^/  /' "$TMP/make.out" | tail -20

# ====== What is installed ======
nprog=$(ls stages/*.c | wc -l | tr -d ' ')
check "every program" "$nprog" "$(ls "$INST/bin" | grep -c '^slant')"
check "every lexicon and pipeline.conf" "$(ls lexicons/*.tsv | wc -l | tr -d ' ') 1" \
	"$(ls "$INST/share/slant/lexicons" | grep -c '\.tsv$') $(ls "$INST/share/slant" | grep -c '^pipeline.conf$')"
check "a man page for every program" "$nprog" "$(ls "$INST/share/man/man1" | grep -c '^slant.*\.1$')"
check "README and docs/*.md in PREFIX/share/doc/slant" "" "$(for f in docs/*.md README.md; do
	cmp -s "$f" "$INST/share/doc/slant/${f##*/}" || printf ' %s' "$f"; done)"
missing=
for d in $(grep -ho 'docs/[a-z]*\.md' docs/man/*.1 | sort -u); do
	[ -f "$INST/share/doc/slant/${d#docs/}" ] || missing="$missing $d"
done
check "every docs/X.md a man page names is installed" "" "$missing"
check_grep "man pages say where the docs are" "installed as $INST/share/doc/slant/NAME.md" \
	"$INST/share/man/man1/slant-store.1"

# ====== The installed programs find their data ======
mkdir "$TMP/elsewhere"
cd "$TMP/elsewhere" || exit 1
unset SLANT_CONFIG
check_rc "installed slant run from another directory" 0 "$INST/bin/slant" run --db x.db "$SEEDS"
check "articles stored, with the installed config" "5|$(readlink -f "$INST/share/slant/pipeline.conf")" \
	"$(sqlite3 x.db "SELECT count(*) FROM articles")|$(readlink -f "$(sqlite3 x.db "SELECT config_path FROM runs")")"
check "and the installed lexicons" "$(sha256sum "$INST/share/slant/lexicons/framing.tsv" | cut -c1-16)" \
	"$(sqlite3 x.db "SELECT json_extract(value, '$.sha256') FROM runs, json_each(runs.lexicons) WHERE json_extract(value, '$.key') = 'frame:framing.tsv'")"
check_rc "installed slant run --pipe" 0 "$INST/bin/slant" run --pipe --db y.db "$SEEDS"
# Away from PREFIX/bin, a program can only find its data by the compiled-in directory.
mkdir "$TMP/moved"
cp "$INST/bin/slant-frame" "$TMP/moved/"
"$INST/bin/slant-ingest" "$SEEDS" 2>/dev/null | "$INST/bin/slant-segment" | "$INST/bin/slant-attrib" >"$TMP/seg.jsonl"
check_rc "a copy elsewhere finds the data directory compiled in" 0 "$TMP/moved/slant-frame" -v <"$TMP/seg.jsonl"
check_grep "PREFIX/share/slant" "lexicon '$INST/share/slant/lexicons/framing.tsv'" "$TMP/err"

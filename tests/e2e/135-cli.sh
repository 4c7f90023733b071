#!/bin/sh
# What every program says: --help that reads well, -v counts that mean
# something, option errors that name the option, the driver's list of
# stages, and running out of memory inside jansson.
. tests/e2e/lib.sh

# ====== --help ======
for p in "$BIN"/slant "$BIN"/slant-*; do
	name=${p##*/}
	"$p" --help >"$TMP/help" 2>&1
	rc=$?
	long=$(awk 'length > 80' "$TMP/help" | head -1)
	nopt=$(grep -c '^Options:$' "$TMP/help")
	nexit=$(grep -c '^Exit status:' "$TMP/help")
	# Under Options: only option lines and their continuations.
	stray=$(sed -n '/^Options:$/,/^$/p' "$TMP/help" | sed '1d;/^$/d' | grep -Ev '^  (-|    )' | head -1)
	check "$name --help: exit 0, 80 columns, one Options section of options only, one exit status" \
		"0||1|1|" "$rc|$long|$nopt|$nexit|$stray"
done
for p in slant slant-lexicon; do
	"$BIN/$p" --help >"$TMP/help"
	check "$p --help: its commands before its options" "Commands: Options:" \
		"$(grep -E '^(Commands|Options):$' "$TMP/help" | tr '\n' ' ' | sed 's/ $//')"
done
check_grep "slant-lexicon --help: import under Commands" '^  import --words FILE' "$TMP/help"
check_grep "slant-lexicon --help: its exit note after the common one" \
	'^Exit status 1: lint has findings' "$TMP/help"
for p in slant slant-report slant-lexicon slant-eval; do
	"$BIN/$p" --help >"$TMP/help"
	check "$p --help: no record counts or rejected records" "0" \
		"$(grep -c 'records read\|records rejected' "$TMP/help")"
done
"$BIN/slant-eval" --help >"$TMP/help"
check "slant-eval --help: usage line" "usage: slant-eval [options] GOLD" "$(head -1 "$TMP/help")"

# ====== -v ======
counts() { grep -E "^$1: read [0-9]+, written [0-9]+, rejected [0-9]+$" "$TMP/err"; }
check_rc "slant-ingest -v" 0 "$BIN/slant-ingest" -v "$SEEDS"
check "ingest counts the inputs it read" "slant-ingest: read 5, written 5, rejected 0" "$(counts slant-ingest)"
printf '{"text":"One\\n\\nBody."}\n\n{"text":"Two\\n\\nBody."}\nnot json\n' >"$TMP/in.jsonl"
check_rc "slant-ingest -v, JSON Lines and a missing file" 1 "$BIN/slant-ingest" -v "$TMP/in.jsonl" "$TMP/nosuch"
check "a line is an input, and so is a file it cannot open" "slant-ingest: read 4, written 4, rejected 2" \
	"$(counts slant-ingest)"
check_rc "slant -v run" 0 "$BIN/slant" -v run --stages "ingest segment" "$SEEDS"
check "fused: ingest's and segment's counts, none of the driver's" \
	"slant-ingest: read 5, written 5, rejected 0|slant-segment: read 5, written 5, rejected 0|" \
	"$(counts 'slant-[a-z]*' | tr '\n' '|')$(counts slant)"
check_rc "slant-lexicon -v stats" 0 "$BIN/slant-lexicon" -v stats lexicons/hedges.tsv
check "slant-lexicon -v: no record counts" "" "$(counts slant-lexicon)"
"$BIN/slant-store" --db "$TMP/e.db" </dev/null
check_rc "slant-report -v, an unknown article" 1 "$BIN/slant-report" -v --db "$TMP/e.db" --markdown c-none
check "slant-report -v: no record counts" "" "$(counts slant-report)"
check_rc "slant-eval -v, no gold" 2 "$BIN/slant-eval" -v "$TMP/nosuch"
check "slant-eval -v: no record counts" "" "$(counts slant-eval)"
"$BIN/slant-store" --db "$TMP/s.db" </dev/null
check_rc "slant-store -v --merge" 0 "$BIN/slant-store" -v --merge "$TMP/m.db" "$TMP/s.db"
check "slant-store -v --merge: no record counts" "" "$(counts slant-store)"
check_rc "slant-store -v, records without ids" 1 "$BIN/slant-store" -v --db "$TMP/s.db" <"$TMP/in.jsonl"
check_grep "slant-store -v reading records: counts" "^slant-store: read 3, written 0, rejected 3$" "$TMP/err"

# ====== Option errors name the option ======
check_rc "slant-score --weight nosuch=3" 2 "$BIN/slant-score" --weight nosuch=3
check_grep "names the option and the components" \
	"^slant-score: --weight: no component 'nosuch' \(components: framing, headline, attribution, sources, transparency, verbs\)$" \
	"$TMP/err"
check "no configuration key in it" "0" "$(grep -c 'configuration key' "$TMP/err")"
check_rc "slant-score --weight framing=30" 0 "$BIN/slant-score" --weight framing=30 </dev/null

# ====== The driver offers chain stages only ======
chain="affil, attrib, frame, ingest, score, segment, store"
for st in report lexicon eval slant nosuch; do
	check_rc "stage '$st' in a chain" 2 "$BIN/slant" run --stages "ingest $st store" "$SEEDS"
	check_grep "'$st': unknown, the chain stages listed" \
		"unknown stage '$st' \(known stages: $chain\)$" "$TMP/err"
done

# ====== Out of memory inside jansson: said, exit 3 ======
# A sanitizer build reserves terabytes of address space: no 'ulimit -v' then.
if ldd "$BIN/slant-segment" 2>/dev/null | grep -q 'libasan\|libclang_rt.asan'; then
	skip "out of memory in jansson (no ulimit -v under a sanitizer)"
else
	# 3 million empty objects: 9 MB of JSON, more than 400 MB in jansson.
	awk 'BEGIN { printf "{\"id\":\"c-x\",\"text\":\"a\",\"junk\":["
		for (i = 0; i < 3000000; i++) printf "{},"; printf "{}]}\n" }' >"$TMP/big.jsonl"
	check_rc "a record too big for memory" 3 sh -c 'ulimit -v 400000 && exec "$0" <"$1"' \
		"$BIN/slant-segment" "$TMP/big.jsonl"
	check_grep "says out of memory, not bad JSON" "^slant-segment: out of memory" "$TMP/err"
fi

# Issue 19 item 11: the man page of slant has every command its --help lists, and
# the README's example paths are files in the tree.
for c in $("$BIN/slant" --help 2>&1 | sed -n '/^Commands:/,/^$/p' | awk 'NR > 1 && NF { print $1 }'); do
	check "slant.1 has 'slant $c'" "yes" "$(grep -q "^\.B slant $c\$" docs/man/slant.1 && echo yes)"
done
for p in $(grep -o 'bin/slant-ingest [^ |]*' README.md | awk '{ print $2 }' | sort -u); do
	check "README example path '$p' exists" "yes" "$(ls -d $p >/dev/null 2>&1 && echo yes)"
done

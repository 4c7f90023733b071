#!/bin/sh
# slant-eval: gold in PTC and BRAT form (code point offsets), the mapping file,
# figures per unit and per entry, alignment after ingest, --stream, TSV/JSON,
# --baseline, --decisions, and the failure paths.
. tests/e2e/lib.sh
EVAL="$BIN/slant-eval"
G="$FIX/gold"
MAP="$G/map.tsv"
LEX="$G/lexicon.tsv"

check_rc "--help" 0 "$EVAL" --help
check_grep "--help names --baseline" '--baseline FILE' "$TMP/out"
check_rc "no gold set is a usage error" 2 "$EVAL"
check_rc "missing gold set" 2 "$EVAL" "$TMP/nothing"
check_grep "says what is missing" "cannot open gold '.*nothing'" "$TMP/err"
check_rc "bad --split" 2 "$EVAL" --split middle "$G/ptc"
# Issue 19 item 9: options after the gold set, as GNU tools take them.
check_rc "options after the gold set" 0 "$EVAL" --map "$MAP" --lexicon "$LEX" "$G/ptc" --split odd
check_grep "are applied" "of 3 documents \(split odd\)" "$TMP/out"

# ====== PTC, with the test lexicon ======
check_rc "PTC fixture" 0 "$EVAL" --map "$MAP" --lexicon "$LEX" --examples 1 \
	--json "$TMP/a.json" --tsv "$TMP/a.tsv" "$G/ptc"
cp "$TMP/out" "$TMP/ptc.out"
check_grep "3 documents" "3 of 3 documents \\(split all\\), 3 scored" "$TMP/ptc.out"
# 7 gold spans; 8 predictions: 'critics' twice wrong, 'regime' in "tax regime" excluded.
check_grep "frame/loaded: exact, overlap and token figures" \
	'frame/loaded +7 +8 +0.375 0.429 0.400 +0.750 0.857 0.800 +0.800 0.615 0.696' "$TMP/ptc.out"
check_grep "recall per gold label" 'Name_Calling,Labeling +3 +found 0.667' "$TMP/ptc.out"
check_grep "scare quote unit from its own mapping line" 'frame/scare_quote +1 +1 +1.000' "$TMP/ptc.out"
check_grep "worst entry first" '^    critics +lexicon.tsv +2 +0 +2 +0.00' "$TMP/ptc.out"
check_grep "its false positive in context (offsets past the accented title)" \
	'^      1 .*“dissent” again\.  \[Critics\]  call the militia' "$TMP/ptc.out"
check_grep "missed gold span listed" '^ +1  puppet parliament' "$TMP/ptc.out"
check_grep "TSV: token row" '^token	frame/loaded	-	-	-	10	8	2	13	8	0.8000	0.6154	0.6957' "$TMP/a.tsv"
check_grep "TSV: entry row" '^entry	frame/loaded	critics	lexicon.tsv	8	2	0	2	-	-	0.0000' "$TMP/a.tsv"
check "JSON: units" "frame/loaded frame/scare_quote" "$(jq -r '[.units[].name] | join(" ")' "$TMP/a.json")"
check "JSON: entry figures" "1 1 0" "$(jq -r '.entries[] | select(.entry == "corrupt") | "\(.hits) \(.tp) \(.fp)"' "$TMP/a.json")"

check_rc "--split odd" 0 "$EVAL" --map "$MAP" --lexicon "$LEX" --split odd "$G/ptc"
check_grep "odd ids: articles 1 and 3" "2 of 3 documents \\(split odd\\)" "$TMP/out"
check_rc "--split even" 0 "$EVAL" --map "$MAP" --lexicon "$LEX" --split even "$G/ptc"
check_grep "even ids: article 2" "1 of 3 documents \\(split even\\)" "$TMP/out"

# ====== Alignment: slant-ingest rewrites white space; a stream with quotes replaced ======
check_rc "--ingest" 0 "$EVAL" --ingest --map "$MAP" --lexicon "$LEX" "$G/ptc"
check_grep "same figures through slant-ingest" \
	'frame/loaded +7 +8 +0.375 0.429 0.400 +0.750 0.857 0.800 +0.800 0.615 0.696' "$TMP/out"
for f in "$G"/ptc/articles/*.txt; do
	jq -Rsc --arg p "$f" '{format: 1, id: ("s-" + ($p | ltrimstr("x"))), source: {path: $p, type: "text"},
		text: (gsub("\\s+"; " ") | gsub("[“”]"; "\"")), stages: ["ingest"]}' "$f"
done | "$BIN/slant-segment" | "$BIN/slant-attrib" | "$BIN/slant-frame" --lexicon "$LEX" >"$TMP/s.jsonl"
check_rc "--stream with collapsed white space and straight quotes" 0 "$EVAL" --map "$MAP" \
	--stream "$TMP/s.jsonl" "$G/ptc"
check_grep "gold spans aligned: same overlap figures" \
	'frame/loaded +7 +8 +0.375 0.429 0.400 +0.750 0.857 0.800' "$TMP/out"
check_rc "--stream and --lexicon exclude each other" 2 "$EVAL" --stream "$TMP/s.jsonl" \
	--lexicon "$LEX" "$G/ptc"
head -1 "$TMP/s.jsonl" >"$TMP/one.jsonl"
check_rc "a stream missing documents" 0 "$EVAL" --map "$MAP" --stream "$TMP/one.jsonl" "$G/ptc"
check_grep "is said" "2 gold documents had no record" "$TMP/err"

# ====== --baseline ======
grep -v '^critics' "$LEX" >"$TMP/lex2.tsv"
check_rc "--baseline" 0 "$EVAL" --map "$MAP" --lexicon "$TMP/lex2.tsv" --baseline "$TMP/a.json" "$G/ptc"
check_grep "unit change" 'frame/loaded +overlap +P 0.750 -> 1.000 \(\+0.250\)' "$TMP/out"
check_grep "entry gone" '^    critics +lexicon.tsv +tp +0 -> +0  fp +2 -> +0  \(gone\)' "$TMP/out"
echo '{"units": 3}' >"$TMP/bad.json"
check_rc "a baseline that is not ours" 2 "$EVAL" --map "$MAP" --lexicon "$LEX" --baseline "$TMP/bad.json" "$G/ptc"
check_grep "is refused" "is not a slant-eval --json file" "$TMP/err"

# ====== BRAT (PolNeAR layout: ann/ and text/, two annotators) ======
check_rc "BRAT fixture" 0 "$EVAL" --map "$G/brat-map.tsv" "$G/brat"
check_grep "second annotator's file skipped, and said" "1 .ann file for texts already read" "$TMP/err"
check_grep "sources: 2 gold (discontinuous cue is 2 spans)" \
	'^  attrib/attributed,vague,anonymous,speaker@source,speaker +2 ' "$TMP/out"
check_grep "cue spans: 3" '^  attrib/attributed,vague,anonymous@cue +3 ' "$TMP/out"

# ====== Bad gold and mappings ======
mkdir -p "$TMP/bad/articles"
printf 'A text\n' >"$TMP/bad/articles/article7.txt"
printf '7\tLoaded_Language\t3\t99\n7\tLoaded_Language\tx\t2\n7\tLoaded_Language\n9\tLoaded_Language\t0\t1\n' \
	>"$TMP/bad/labels.tsv"
check_rc "bad PTC labels: usage error" 2 "$EVAL" "$TMP/bad"
check_grep "span past the end, located" 'labels.tsv:1\): span end 99 past the end' "$TMP/err"
check_grep "bad number, located" "labels.tsv:2\\): start and end must be numbers" "$TMP/err"
check_grep "missing field, located" "labels.tsv:3\\): expected 4 tab-separated fields" "$TMP/err"
check_grep "label for an absent article counted" "1 label line for articles not in" "$TMP/err"
printf 'Loaded_Language\tframe\nName_Calling\tFrame/loaded\nx\n' >"$TMP/badmap.tsv"
check_rc "bad mapping" 2 "$EVAL" --map "$TMP/badmap.tsv" "$G/ptc"
check_grep "target without a label" "badmap.tsv:1\\): target must be STAGE/LABEL" "$TMP/err"
check_grep "bad stage name" "badmap.tsv:2\\): bad stage name" "$TMP/err"
check_grep "no tab" "badmap.tsv:3\\): expected 'GOLD_LABEL<TAB>STAGE/LABEL'" "$TMP/err"
printf 'x\ty/z\nx\ty/w\n' >"$TMP/dupmap.tsv"
check_rc "gold label mapped twice" 2 "$EVAL" --map "$TMP/dupmap.tsv" "$G/ptc"
check_grep "is refused" "dupmap.tsv:2\\): gold label 'x' mapped twice" "$TMP/err"
printf 'not json\n' >"$TMP/junk.jsonl"
check_rc "a stream line that is not JSON is reported, not fatal" 0 "$EVAL" --map "$MAP" \
	--stream "$TMP/junk.jsonl" "$G/ptc"
check_grep "with its line" "junk.jsonl:1\\)" "$TMP/err"

# ====== --decisions ======
if command -v sqlite3 >/dev/null; then
	sqlite3 "$TMP/d.db" "CREATE TABLE decisions (article_id TEXT, start INTEGER, end INTEGER,
		stage TEXT, label TEXT, entry TEXT, lexicon TEXT, decision TEXT);
		INSERT INTO decisions VALUES ('a', 0, 5, 'frame', 'loaded', 'critics', 'lexicon.tsv', 'reject'),
		('b', 0, 5, 'frame', 'loaded', 'critics', 'lexicon.tsv', 'accept'),
		('b', 9, 15, 'frame', 'loaded', 'critics', 'lexicon.tsv', 'reject');"
	check_rc "--decisions" 0 "$EVAL" --map "$MAP" --lexicon "$LEX" --decisions "$TMP/d.db" "$G/ptc"
	check_grep "editor precision beside gold precision" \
		'^    critics +lexicon.tsv +2 +0 +2 +0.00 +editors 1/3 +0.33' "$TMP/out"
	sqlite3 "$TMP/e.db" "CREATE TABLE t (x);"
	check_rc "--decisions without the table" 0 "$EVAL" --map "$MAP" --lexicon "$LEX" --decisions "$TMP/e.db" "$G/ptc"
	check_grep "skipped with a message" "has no decisions table" "$TMP/err"
else
	skip "--decisions (no sqlite3 program)"
fi
check_rc "--decisions with no such file" 2 "$EVAL" --map "$MAP" --decisions "$TMP/none.db" "$G/ptc"
check_rc "unwritable --json" 3 "$EVAL" --map "$MAP" --lexicon "$LEX" --json /nonexistent/x.json "$G/ptc"

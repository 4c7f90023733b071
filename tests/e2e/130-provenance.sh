#!/bin/sh
# Which lexicons annotated a record: each stage adds the files it loaded to
# the record's 'lexicons' ("STAGE:FILE" -> 16 hex digits of SHA-256), and
# slant-store records in runs.lexicons the union the stream carried, not
# what its own config names (docs/stream.md, docs/schema.md).
. tests/e2e/lib.sh

q() { sqlite3 -batch "$1" "$2"; }
h16() { sha256sum "$1" | cut -c1-16; }
top=$(pwd)

# An alternate framing lexicon: the shipped one less an entry.
grep -v '^regime	' lexicons/framing.tsv >"$TMP/alt.tsv"
alt=$(h16 "$TMP/alt.tsv")
verbs=$(h16 lexicons/reporting_verbs.tsv)
"$BIN/slant-ingest" "$SEEDS" 2>/dev/null | "$BIN/slant-segment" >"$TMP/seg.jsonl"

# ====== In the stream ======
check "segment names the reporting verbs it reads for pull quotes" "{\"segment:reporting_verbs.tsv\":\"$verbs\"}" \
	"$(head -1 "$TMP/seg.jsonl" | jq -c .lexicons)"
"$BIN/slant-attrib" <"$TMP/seg.jsonl" >"$TMP/attrib.jsonl"
check "attrib adds its four to segment's" \
	"segment:reporting_verbs.tsv attrib:reporting_verbs.tsv attrib:weasel.tsv attrib:hedges.tsv attrib:boilerplate.tsv" \
	"$(head -1 "$TMP/attrib.jsonl" | jq -r '.lexicons | keys_unsorted | join(" ")')"
check "attrib's hashes" "$(h16 lexicons/weasel.tsv) $(h16 lexicons/hedges.tsv)" \
	"$(head -1 "$TMP/attrib.jsonl" | jq -r '.lexicons | [.["attrib:weasel.tsv"], .["attrib:hedges.tsv"]] | join(" ")')"
check_rc "slant-frame --lexicon alt.tsv" 0 "$BIN/slant-frame" --lexicon "$TMP/alt.tsv" <"$TMP/attrib.jsonl"
mv "$TMP/out" "$TMP/frame.jsonl"
check "frame adds the lexicon it loaded, and no verbs of its own" "$alt null" \
	"$(head -1 "$TMP/frame.jsonl" | jq -r '.lexicons | [.["frame:alt.tsv"], (.["frame:reporting_verbs.tsv"] | tostring)] | join(" ")')"
check "every record says so" "5" "$(jq -r '.lexicons["frame:alt.tsv"]' "$TMP/frame.jsonl" | grep -c "^$alt\$")"
"$BIN/slant-affil" --register lexicons/outlets.tsv <"$TMP/frame.jsonl" >"$TMP/affil.jsonl"
check "affil adds its register" "$(h16 lexicons/outlets.tsv)" \
	"$(head -1 "$TMP/affil.jsonl" | jq -r '.lexicons["affil:outlets.tsv"]')"
# Error records pass through untouched.
printf '{"id":"error-1","status":"error","errors":[{"stage":"ingest","message":"x"}]}\n' |
	"$BIN/slant-frame" >"$TMP/err.jsonl" 2>/dev/null
check "an error record gets none" "null" "$(jq -c .lexicons "$TMP/err.jsonl")"
# Two files of one name are told apart.
mkdir "$TMP/a" "$TMP/b"
printf '@category\tloaded\tx\nslam\tloaded\t1\n' >"$TMP/a/x.tsv"
printf '@category\tloaded\tx\nblast\tloaded\t1\n' >"$TMP/b/x.tsv"
"$BIN/slant-frame" --lexicon "$TMP/a/x.tsv" --lexicon "$TMP/b/x.tsv" <"$TMP/attrib.jsonl" >"$TMP/two.jsonl"
check "same basename, other content: both kept" "$(h16 "$TMP/a/x.tsv") $(h16 "$TMP/b/x.tsv")" \
	"$(head -1 "$TMP/two.jsonl" | jq -r '.lexicons | [.["frame:x.tsv"], .["frame:x.tsv#2"]] | join(" ")')"

# ====== In the database ======
# The store's config names the shipped lexicons; the stream says alt.tsv.
DB=$TMP/alt.db
check_rc "frame --lexicon alt.tsv | store" 0 "$BIN/slant-store" --db "$DB" <"$TMP/frame.jsonl"
weasel=$(h16 lexicons/weasel.tsv)
hedges=$(h16 lexicons/hedges.tsv)
boiler=$(h16 lexicons/boilerplate.tsv)
check "runs.lexicons: what the stages loaded, not the store's config" \
	"attrib:boilerplate.tsv=$boiler attrib:hedges.tsv=$hedges attrib:reporting_verbs.tsv=$verbs attrib:weasel.tsv=$weasel frame:alt.tsv=$alt frame:quote_cues.tsv=$(h16 lexicons/quote_cues.tsv) segment:reporting_verbs.tsv=$verbs" \
	"$(q "$DB" "SELECT group_concat(k || '=' || h, ' ') FROM (SELECT json_extract(value, '$.key') AS k, json_extract(value, '$.sha256') AS h FROM runs, json_each(runs.lexicons) ORDER BY k)")"
check "and each article keeps its own" "5|$alt" \
	"$(q "$DB" "SELECT count(*), min(json_extract(extra, '$.lexicons.\"frame:alt.tsv\"')) FROM articles")"
# A stream annotated with two versions of a lexicon: both recorded.
"$BIN/slant-frame" <"$TMP/attrib.jsonl" >"$TMP/shipped.jsonl"
cat "$TMP/frame.jsonl" "$TMP/shipped.jsonl" | "$BIN/slant-store" --db "$TMP/two.db"
check "two versions in one stream: the union" \
	"attrib:boilerplate.tsv attrib:hedges.tsv attrib:reporting_verbs.tsv attrib:weasel.tsv frame:alt.tsv frame:framing.tsv frame:quote_cues.tsv segment:reporting_verbs.tsv" \
	"$(q "$TMP/two.db" "SELECT group_concat(k, ' ') FROM (SELECT json_extract(value, '$.key') AS k FROM runs, json_each(runs.lexicons) ORDER BY k)")"
# Recorded with the batch, so a load still running (or killed) has them too.
printf '[store]\nbatch = 1\n' >"$TMP/b1.conf"
{ head -2 "$TMP/frame.jsonl"; sleep 4; } | "$BIN/slant-store" --config "$TMP/b1.conf" --db "$TMP/b1.db" &
i=0
while [ $i -lt 40 ] && [ "$(q "$TMP/b1.db" "SELECT count(*) FROM articles" 2>/dev/null)" != 2 ]; do
	sleep 0.1
	i=$((i + 1))
done
check "mid-load: recorded with the first batch" "7|" \
	"$(q "$TMP/b1.db" "SELECT json_array_length(lexicons), finished FROM runs")"
wait

# ====== The driver: the stages in the chain only; fused and pipe alike ======
cat >"$TMP/alt.conf" <<EOF
[frame]
lexicon = $TMP/alt.tsv
[attrib]
reporting_verbs = $top/lexicons/reporting_verbs.tsv
weasel = $top/lexicons/weasel.tsv
hedges = $top/lexicons/hedges.tsv
boilerplate = $top/lexicons/boilerplate.tsv
[affil]
register = $top/lexicons/outlets.tsv
cues = $top/lexicons/affil_cues.tsv
EOF
for mode in --fused --pipe; do
	check_rc "slant run $mode without affil" 0 "$BIN/slant" run $mode -c "$TMP/alt.conf" \
		--stages "ingest segment attrib frame score store" --db "$TMP/run$mode.db" "$SEEDS"
	q "$TMP/run$mode.db" "SELECT lexicons FROM runs" >"$TMP/lex$mode"
	q "$TMP/run$mode.db" "SELECT id, json_extract(extra, '$.lexicons') FROM articles ORDER BY id" >"$TMP/art$mode"
done
check "no register listed when affil did not run" "0" "$(grep -c affil "$TMP/lex--fused")"
check "alt.tsv listed" "1" "$(grep -c "\"frame:alt.tsv\",\"sha256\":\"$alt\"" "$TMP/lex--fused")"
check "seven lexicons: segment's one, attrib's four, frame's two" "7" "$(q "$TMP/run--fused.db" "SELECT json_array_length(lexicons) FROM runs")"
check_diff "fused and pipe: the same runs.lexicons" "$TMP/lex--fused" "$TMP/lex--pipe"
check_diff "fused and pipe: the same per article" "$TMP/art--fused" "$TMP/art--pipe"

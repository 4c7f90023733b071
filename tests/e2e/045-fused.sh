#!/bin/sh
# slant run, fused (the default) and --pipe: the same records, the same database
# content, the same messages, over the seeds and a generated corpus with bad input.
. tests/e2e/lib.sh
. tests/e2e/dump-db.sh

SLANT=$BIN/slant
q() { sqlite3 -batch "$1" "$2"; }
# The chain as pipeline.conf orders it, up to the sink.
ALL=$(sed -n 's/^stages *= *//p' pipeline.conf | sed 's/ *store$//')
sh tests/e2e/gen-jsonl.sh 400 >"$TMP/gen.jsonl"
IN="$SEEDS $TMP/gen.jsonl"

# The project's config; and one with a small lexicon for frame (the others as shipped).
C="--config pipeline.conf"
top=$(pwd)
cat >"$TMP/small.conf" <<EOF
[frame]
lexicon = $top/tests/fixtures/lexicons/framing.tsv
[attrib]
reporting_verbs = $top/lexicons/reporting_verbs.tsv
weasel = $top/lexicons/weasel.tsv
hedges = $top/lexicons/hedges.tsv
boilerplate = $top/lexicons/boilerplate.tsv
[affil]
register = $top/lexicons/outlets.tsv
cues = $top/lexicons/affil_cues.tsv
EOF
sed "s|^lexicon = .*|lexicon = $top/tests/fixtures/lexicons/bad.tsv|" "$TMP/small.conf" >"$TMP/bad.conf"

# ====== The stream: byte for byte ======
check_rc "fused stream" 1 "$SLANT" run $C --stages "$ALL" $IN
mv "$TMP/out" "$TMP/fused.jsonl"
sed 's/^slant-[a-z]*: //' "$TMP/err" | sort >"$TMP/fused.err"
check_rc "pipe stream" 1 "$SLANT" run $C --pipe --stages "$ALL" $IN
mv "$TMP/out" "$TMP/pipe.jsonl"
sed 's/^slant-[a-z]*: //' "$TMP/err" | sort >"$TMP/pipe.err"
check "records out" "$(($(grep -c . "$TMP/gen.jsonl") + 5))" "$(wc -l <"$TMP/fused.jsonl" | tr -d ' ')"
if cmp -s "$TMP/fused.jsonl" "$TMP/pipe.jsonl"; then ok "fused and pipe streams identical"; else
	notok "fused and pipe streams identical"
	diff "$TMP/fused.jsonl" "$TMP/pipe.jsonl" | head -c 1500 | sed 's/^/  /'; fi
check_diff "the same messages" "$TMP/pipe.err" "$TMP/fused.err"
check "every record through every stage" "0" \
	"$(grep -v '"status":"error"' "$TMP/fused.jsonl" | grep -vFc "\"stages\":[\"$(echo $ALL | sed 's/ /","/g')\"]")"

# ====== The database ======
for mode in --fused --pipe; do
	check_rc "$mode: into a database" 1 "$SLANT" run $C $mode --stages "$ALL store" \
		--db "$TMP/$mode.db" $IN
	dump_db "$TMP/$mode.db" >"$TMP/$mode.dump"
done
# Every 53rd generated article re-uses an earlier URL, so its id: the later one wins.
check "articles stored" "$(jq -r 'select(.status != "error") | .id' "$TMP/fused.jsonl" | sort -u | wc -l)" \
	"$(q "$TMP/--fused.db" "SELECT count(*) FROM articles WHERE status = 'ok'")"
check "errors stored" "$(grep -c '"errors":' "$TMP/fused.jsonl")" \
	"$(q "$TMP/--fused.db" "SELECT count(DISTINCT record_id) FROM errors")"
check "scores stored" "$(q "$TMP/--fused.db" "SELECT count(*) FROM articles WHERE status = 'ok'")" \
	"$(q "$TMP/--fused.db" "SELECT count(*) FROM scores")"
check_diff "fused and pipe: identical database content" "$TMP/--pipe.dump" "$TMP/--fused.dump"

# ====== Options reach the stages as in pipe mode ======
# --config: a small lexicon for frame; --db to the sink; -v counts.
for mode in --fused --pipe; do
	mkdir "$TMP/$mode"
	check_rc "$mode: -v with another config" 0 "$SLANT" run -v --config "$TMP/small.conf" $mode \
		--stages "$ALL store" --db "$TMP/$mode/small.db" "$SEEDS"
	sed -E "s/run [0-9]{8}T[0-9]{6}Z-[0-9a-f]{8}/run RUN/; s|$TMP/$mode/||" "$TMP/err" |
		sort >"$TMP/v$mode.err"
	dump_db "$TMP/$mode/small.db" >"$TMP/small$mode.dump"
done
check "only the small lexicon's entries" "" "$(q "$TMP/--fused/small.db" \
	"SELECT DISTINCT json_extract(fields, '\$.entry') FROM annotations WHERE stage = 'frame'" |
	grep -vxE 'regime|regime change|dictator\*|mercenar(y|ies)|so-called|puppet|thugs|re:.*|massive|.*fixture.*' || true)"
check_grep "-v: each stage's counts" "^slant-frame: read 5, written 5, rejected 0" "$TMP/v--fused.err"
check_diff "-v: the same counts and messages" "$TMP/v--pipe.err" "$TMP/v--fused.err"
check_diff "another config: identical database content" "$TMP/small--pipe.dump" "$TMP/small--fused.dump"

# ====== --strict: both stop at the first rejection ======
for mode in --fused --pipe; do
	check_rc "$mode --strict: exit 1" 1 "$SLANT" run $C $mode --strict --stages "$ALL store" \
		--db "$TMP/strict$mode.db" "$TMP/gen.jsonl"
	dump_db "$TMP/strict$mode.db" >"$TMP/strict$mode.dump"
done
check "--strict: stopped early" "yes" \
	"$([ "$(q "$TMP/strict--fused.db" 'SELECT count(*) FROM articles')" -lt 100 ] && echo yes || echo no)"
check_diff "--strict: identical database content" "$TMP/strict--pipe.dump" "$TMP/strict--fused.dump"

# ====== Failures ======
check_rc "fused: a bad lexicon: exit 2" 2 "$SLANT" run --config "$TMP/bad.conf" \
	--stages "$ALL store" --db "$TMP/bad.db" "$SEEDS"
check_grep "names the file and line" "bad.tsv:[0-9]+" "$TMP/err"
check_grep "and the stage" "^slant: stage 'frame' exited with status 2" "$TMP/err"
check "nothing stored" "0" "$(q "$TMP/bad.db" 'SELECT count(*) FROM articles' 2>/dev/null || echo 0)"
check_rc "fused: write error: exit 3" 3 sh -c "'$SLANT' run --stages ingest '$SEEDS' >/dev/full"
check_grep "says so" "write error" "$TMP/err"

#!/bin/sh
# Scale (docs/scale.md): slant run -j N, slant-store --merge, GNU parallel over the
# stage programs, and the stream partitioned by outlet. Every way gives the same
# database content as one chain (runs aside).
. tests/e2e/lib.sh
. tests/e2e/dump-db.sh

SLANT=$BIN/slant
STORE=$BIN/slant-store
q() { sqlite3 -batch "$1" "$2"; }
# The chain as pipeline.conf orders it.
ALL=$(sed -n 's/^stages *= *//p' pipeline.conf)
FILTERS=$(echo "$ALL" | sed 's/^ingest //; s/ store$//')
C="--config pipeline.conf"
sh tests/e2e/gen-jsonl.sh 400 >"$TMP/gen.jsonl"
IN="$SEEDS $TMP/gen.jsonl"

# ====== -j N against one chain ======
mkdir "$TMP/j"
check_rc "-j 1" 1 "$SLANT" run $C --stages "$ALL" --db "$TMP/j/one.db" $IN
dump_db "$TMP/j/one.db" >"$TMP/one.dump"
check "a database to compare" "yes" "$([ "$(wc -l <"$TMP/one.dump")" -gt 5000 ] && echo yes || echo no)"
for j in "-j 2" "-j 3" "-j 2 --pipe"; do
	name=$(echo "$j" | tr -d ' -')
	check_rc "$j: exit 1 as -j 1 (ingest rejected some input)" 1 "$SLANT" run $C $j \
		--stages "$ALL" --db "$TMP/j/$name.db" $IN
	check_grep "$j: the rejections reported" "^slant: stage 'ingest' exited with status 1" "$TMP/err"
	dump_db "$TMP/j/$name.db" >"$TMP/$name.dump"
	check_diff "$j: same database content as -j 1" "$TMP/one.dump" "$TMP/$name.dump"
done
check "-j 3: one run per shard" "3" "$(q "$TMP/j/j3.db" 'SELECT count(*) FROM runs')"
check "shards merged and removed" "j2.db j2pipe.db j3.db one.db" "$(cd "$TMP/j" && echo *.db)"
check "no shard left beside" "" "$(cd "$TMP/j" && ls | grep -v '\.db$' || true)"
check_rc "-j 2 again over the same database: upsert" 1 "$SLANT" run $C -j 2 --stages "$ALL" \
	--db "$TMP/j/j2.db" $IN
# Scores are kept per run (docs/schema.md), so a second run adds its own.
dump_db "$TMP/j/j2.db" articles annotations errors >"$TMP/j2again.dump"
dump_db "$TMP/j/one.db" articles annotations errors >"$TMP/one3.dump"
check_diff "-j 2 again: same articles, annotations, errors" "$TMP/one3.dump" "$TMP/j2again.dump"

check_rc "-j without a sink" 2 "$SLANT" run -j 2 --stages "ingest segment" "$SEEDS"
check_grep "says why" "-j needs a chain that ends in a sink" "$TMP/err"
check_rc "-j 0" 2 "$SLANT" run -j 0 --stages "ingest store" --db "$TMP/x.db" "$SEEDS"
check_rc "-j x" 2 "$SLANT" run -j x --stages "ingest store" --db "$TMP/x.db" "$SEEDS"
mkdir "$TMP/dir.db"
check_rc "-j 2: database cannot be opened: exit 2" 2 "$SLANT" run -j 2 --stages "ingest store" \
	--db "$TMP/dir.db" "$SEEDS"
check "no shard made" "" "$(ls "$TMP" | grep '\.j[0-9]' || true)"
check_rc "-j 2 --strict: exit 1" 1 "$SLANT" run $C -j 2 --strict --stages "$ALL" \
	--db "$TMP/strict.db" "$TMP/gen.jsonl"
check "--strict: stopped early" "yes" \
	"$([ "$(q "$TMP/strict.db" 'SELECT count(*) FROM articles')" -lt 200 ] && echo yes || echo no)"

# ====== slant-store --merge ======
mkdir "$TMP/m"
"$SLANT" run $C --stages "$ALL" --db "$TMP/m/a.db" "$SEEDS" 2>/dev/null
"$SLANT" run $C --stages "$ALL" --db "$TMP/m/b.db" "$TMP/gen.jsonl" 2>/dev/null
check_rc "merge two shards" 0 "$STORE" --merge "$TMP/m/out.db" "$TMP/m/a.db" "$TMP/m/b.db"
dump_db "$TMP/m/out.db" >"$TMP/m1.dump"
check_diff "merged = one chain over both" "$TMP/one.dump" "$TMP/m1.dump"
check "both runs" "2" "$(q "$TMP/m/out.db" 'SELECT count(*) FROM runs')"
sqlite3 "$TMP/m/out.db" .dump >"$TMP/m1.sql"
check_rc "merge the same shard again" 0 "$STORE" -v --merge "$TMP/m/out.db" "$TMP/m/b.db"
check_grep "nothing to do" "0 runs, 0 articles, 0 errors, 0 other rows merged" "$TMP/err"
sqlite3 "$TMP/m/out.db" .dump >"$TMP/m2.sql"
check_diff "merging twice changes nothing (every table, every row)" "$TMP/m1.sql" "$TMP/m2.sql"
check_rc "in the other order" 0 "$STORE" --merge "$TMP/m/ba.db" "$TMP/m/b.db" "$TMP/m/a.db"
dump_db "$TMP/m/ba.db" >"$TMP/ba.dump"
check_diff "order does not matter" "$TMP/m1.dump" "$TMP/ba.dump"
# A later run of the same articles: merged over, it replaces them (upsert), rows not doubled.
"$SLANT" run $C --stages "$ALL" --db "$TMP/m/a2.db" "$SEEDS" 2>/dev/null
check_rc "a re-run of the same articles" 0 "$STORE" --merge "$TMP/m/out.db" "$TMP/m/a2.db"
check "same articles, the seeds' now from the later run" "$(q "$TMP/j/one.db" 'SELECT count(*) FROM articles')|5" \
	"$(q "$TMP/m/out.db" "SELECT count(*), count(*) FILTER (WHERE run_id = '$(q "$TMP/m/a2.db" 'SELECT id FROM runs')') FROM articles")"
check "annotations not doubled" "$(q "$TMP/m/a.db" 'SELECT count(*) FROM annotations')" \
	"$(q "$TMP/m/out.db" "SELECT count(*) FROM annotations WHERE article_id IN (SELECT id FROM articles WHERE source_path NOT LIKE '%gen.jsonl')")"

printf 'not a database\n' >"$TMP/m/junk.db"
cp "$TMP/m/out.db" "$TMP/m/before.db"
check_rc "a shard that is not a database: exit 1" 1 "$STORE" --merge "$TMP/m/out.db" \
	"$TMP/m/junk.db" "$TMP/m/a.db"
check_grep "names it" "cannot merge '$TMP/m/junk.db'" "$TMP/err"
check_grep "and counts it" "1 of 2 shards not merged" "$TMP/err"
check_rc "a missing shard: exit 1" 1 "$STORE" --merge "$TMP/m/out.db" "$TMP/m/nope.db"
check_grep "names it" "cannot merge '$TMP/m/nope.db': No such file" "$TMP/err"
check "not created by the attempt" "no" "$([ -e "$TMP/m/nope.db" ] && echo yes || echo no)"
check_rc "into itself: exit 1" 1 "$STORE" --merge "$TMP/m/out.db" "$TMP/m/out.db"
check_grep "refused" "into itself" "$TMP/err"
sqlite3 "$TMP/m/empty.db" 'CREATE TABLE t (x)'
check_rc "a SQLite file that is not slant's: exit 1" 1 "$STORE" --merge "$TMP/m/out.db" "$TMP/m/empty.db"
check_grep "says so" "not a slant database" "$TMP/err"
dump_db "$TMP/m/out.db" >"$TMP/after.dump"
dump_db "$TMP/m/before.db" >"$TMP/before.dump"
check_diff "the bad shards changed nothing" "$TMP/before.dump" "$TMP/after.dump"
check_rc "--merge with no shard: exit 2" 2 "$STORE" --merge "$TMP/m/out.db"
check_rc "--merge --help" 0 "$STORE" --help
check_grep "documented" "--merge" "$TMP/out"

# ====== GNU parallel over the stage programs ======
if command -v parallel >/dev/null 2>&1; then
	mkdir "$TMP/par"
	# As docs/scale.md: ingest once, shard the stream by lines, a chain per block.
	chain=$(for s in $FILTERS; do printf "'%s/slant-%s' %s | " "$BIN" "$s" "$C"; done)
	"$BIN/slant-ingest" $IN 2>/dev/null |
		parallel --will-cite --pipe --block 200k -j 2 \
			"$chain '$BIN/slant-store' $C --db '$TMP/par/shard-{#}.db'" 2>"$TMP/par.err"
	check "parallel: ran" "0" "$?"
	check "parallel: several shards" "yes" "$([ "$(ls "$TMP/par" | grep -c '\.db$')" -ge 2 ] && echo yes || echo no)"
	# In block order, so of two records with one id in two blocks the later wins, as in
	# one chain. (Both runs' scores are kept then: -j N shards by id and has no such case.)
	check_rc "parallel: merge" 0 "$STORE" --merge "$TMP/par/all.db" \
		$(ls "$TMP/par"/shard-*.db | sort -t- -k2 -n)
	dump_db "$TMP/par/all.db" articles annotations errors >"$TMP/par.dump"
	check_diff "parallel: same articles, annotations, errors as one chain" "$TMP/one3.dump" "$TMP/par.dump"
else
	skip "parallel: GNU parallel not installed (apt-get install parallel)"
	skip "parallel: shards"
	skip "parallel: merge"
	skip "parallel: same content"
fi

# ====== The stream partitioned by outlet ======
P="ingest segment affil"
check_rc "--by-outlet" 1 "$SLANT" run $C --stages "$P" --by-outlet "$TMP/parts" $IN
check "nothing on standard output" "" "$(head -c 1 "$TMP/out")"
"$SLANT" run $C --stages "$P" $IN >"$TMP/all.jsonl" 2>/dev/null
check "every record in one file" "$(sort "$TMP/all.jsonl" | cksum)" "$(cat "$TMP/parts"/*.jsonl | sort | cksum)"
check "a file per outlet, one for errors" "yes yes yes" "$([ -s "$TMP/parts/_errors.jsonl" ] && echo yes) \
$([ -s "$TMP/parts/reuters.jsonl" ] && echo yes) $([ "$(ls "$TMP/parts" | wc -l)" -ge 8 ] && echo yes)"
bad=
for f in "$TMP/parts"/*.jsonl; do
	case $f in */_errors.jsonl) want='"error"' ;; *) want= ;; esac
	n=$(jq -r '.publisher.name // .outlet.name // .outlet.domain // "-"' "$f" | sort -u | wc -l)
	[ "$n" = 1 ] || bad="$bad $(basename "$f")"
	# In stream order within each file.
	grep -Fxf "$f" "$TMP/all.jsonl" | cmp -s - "$f" || bad="$bad $(basename "$f"):order"
	[ -z "$want" ] || [ "$(grep -vc '"status":"error"' "$f")" = 0 ] || bad="$bad $(basename "$f"):errors"
done
check "each file one outlet, in stream order" "" "$bad"
# More outlets than files kept open: closed and reopened for appending, nothing lost.
awk 'BEGIN { for (i = 0; i < 600; i++) printf "{\"title\":\"T%d\",\"outlet\":\"Outlet %d\",\"text\":\"Body %d.\"}\n", i, i % 150, i }' \
	>"$TMP/many.jsonl"
check_rc "--by-outlet, 150 outlets" 0 "$SLANT" run --stages ingest --by-outlet "$TMP/many" "$TMP/many.jsonl"
check "150 files" "150" "$(ls "$TMP/many" | wc -l | tr -d ' ')"
check "four records each, in order" "T7 T157 T307 T457" "$(jq -r .title "$TMP/many/outlet-7.jsonl" | tr '\n' ' ' | sed 's/ $//')"
check_rc "--by-outlet with a sink" 2 "$SLANT" run --stages "ingest store" --by-outlet "$TMP/o2" "$SEEDS"
check_grep "says why" "--by-outlet writes the stream" "$TMP/err"
check_rc "--by-outlet into a file" 3 "$SLANT" run --stages ingest --by-outlet "$TMP/all.jsonl" "$SEEDS"
# A name cut at the key's 80 bytes inside a character: the file name ends before it.
a79=$(printf '%079d' 0 | tr 0 a) a78=$(printf '%078d' 0 | tr 0 a)
printf '{"title":"T","outlet":"%s\303\251","text":"Body."}\n{"title":"T","outlet":"%s\342\202\254x","text":"Body."}\n' \
	"$a79" "$a78" >"$TMP/long.jsonl"
check_rc "--by-outlet, names cut inside a character" 0 "$SLANT" run --stages ingest --by-outlet "$TMP/cut" "$TMP/long.jsonl"
check "whole characters in file names" "$a78.jsonl $a79.jsonl" "$(cd "$TMP/cut" && echo *)"
# Links already in the directory are replaced, not written through.
mkdir "$TMP/links"
echo precious >"$TMP/victim"
echo precious >"$TMP/victim2"
ln -s "$TMP/victim" "$TMP/links/outlet-1.jsonl"
ln "$TMP/victim2" "$TMP/links/outlet-2.jsonl"
check_rc "--by-outlet over a symbolic and a hard link" 0 "$SLANT" run --stages ingest --by-outlet "$TMP/links" "$TMP/many.jsonl"
check "their targets untouched" "precious precious" "$(cat "$TMP/victim" "$TMP/victim2" | tr '\n' ' ' | sed 's/ $//')"
check "the files written instead" "f f T1 T2" "$(find "$TMP/links/outlet-1.jsonl" "$TMP/links/outlet-2.jsonl" -printf '%y ' |
	sed 's/ $//') $(jq -r .title "$TMP/links/outlet-1.jsonl" | head -1) $(jq -r .title "$TMP/links/outlet-2.jsonl" | head -1)"

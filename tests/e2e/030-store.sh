#!/bin/sh
# slant-store: upsert, error records, re-runs, the runs table, batches, a killed load.
. tests/e2e/lib.sh

STORE=$BIN/slant-store
q() { sqlite3 -batch "$DB" "$1"; }

# A config of our own, with one lexicon file, so the hashes are known.
printf 'term\tcategory\nslam\tloaded\n' >"$TMP/framing.tsv"
cat >"$TMP/p.conf" <<EOF
[pipeline]
stages = ingest segment store
db = from-config.db
[frame]
lexicon = framing.tsv
[store]
batch = 2
EOF
conf_hash=$(sha256sum "$TMP/p.conf" | cut -d' ' -f1)

# Hand-made stream: two articles, a bad JSON line, an ingest error record,
# an article a stage rejected, and one without an id.
cat >"$TMP/in.jsonl" <<'EOF'
{"format":1,"id":"c-a","source":{"path":"a.txt","type":"text"},"outlet":{"name":"A News","domain":"a.test"},"title":"A","text":"A\n\nFirst body.","stages":["ingest","segment"],"annotations":[{"stage":"segment","label":"headline","start":0,"end":1,"text":"A"},{"stage":"segment","label":"sentence","start":3,"end":14,"text":"First body.","index":1,"paragraph":1}],"publisher":{"name":"A News"}}
{"format":1,"id":"c-b","source":{"path":"b.txt","type":"text"},"title":"B","text":"B\n\nSecond body here.","annotations":[{"stage":"segment","label":"headline","start":0,"end":1,"text":"B"}]}
{"format":1,"id":"c-trunc","title":"cut off
{"format":1,"id":"error-1234","status":"error","source":{"path":"bin.dat"},"raw":"\u00ff","errors":[{"stage":"ingest","message":"'bin.dat' is a binary file","line":0}]}
{"format":1,"id":"c-c","status":"error","text":"C\n\nOdd.","errors":[{"stage":"segment","message":"cannot segment","line":4}]}
{"format":1,"text":"no id here"}
EOF

DB=$TMP/s.db
check_rc "store exits 1 when a line is rejected" 1 "$STORE" --config "$TMP/p.conf" --db "$DB" <"$TMP/in.jsonl"
check_grep "bad line reported with its position" "^slant-store: error \(at <stdin>:3\): bad JSON" "$TMP/err"
check_grep "record without id reported" "^slant-store: error \(at <stdin>:6\): record has no 'id'" "$TMP/err"
check "articles: two good, one rejected, one without id" "4" "$(q 'SELECT count(*) FROM articles')"
# [store] skip: segment's sentences (and paragraphs) get no row by default.
check "annotations: one row each, but not the sentence" "c-a|0|segment/headline c-b|0|segment/headline" \
	"$(q "SELECT article_id || '|' || seq || '|' || stage || '/' || label FROM annotations ORDER BY 1" | tr '\n' ' ' | sed 's/ $//')"
check "errors: bad line, ingest error, rejected article, missing id" "4" "$(q 'SELECT count(*) FROM errors')"
check "ingest error filed with its input" "ingest|'bin.dat' is a binary file|bin.dat|" \
	"$(q "SELECT stage, message, input, article_id FROM errors WHERE record_id = 'error-1234'")"
check "rejected article kept with status error" "error|c-c" \
	"$(q "SELECT a.status, e.article_id FROM articles a JOIN errors e ON e.article_id = a.id WHERE a.id = 'c-c'")"
check "bad line keeps its raw bytes" '{"format":1,"id":"c-trunc","title":"cut off' \
	"$(q "SELECT raw FROM errors WHERE message LIKE 'bad JSON%'")"
check "columns filled (words: the body's, as the report counts them)" "A News|a.test|a.txt|text|ok|14|2" \
	"$(q "SELECT outlet_name, outlet_domain, source_path, source_type, status, bytes, words FROM articles WHERE id = 'c-a'")"
check "other fields in extra" '{"name":"A News"}|["ingest","segment"]' \
	"$(q "SELECT json_extract(extra, '$.publisher'), json_extract(extra, '$.stages') FROM articles WHERE id = 'c-a'")"
printf '[store]\nskip =\n' >"$TMP/rows.conf"
DB=$TMP/rows.db
"$STORE" --config "$TMP/rows.conf" --db "$DB" <"$TMP/in.jsonl" 2>/dev/null
check "skip empty: every annotation a row" "3" "$(q 'SELECT count(*) FROM annotations')"
check "annotation fields as JSON" "1|1" \
	"$(q "SELECT json_extract(fields, '$.index'), json_extract(fields, '$.paragraph') FROM annotations WHERE article_id = 'c-a' AND seq = 1")"
printf '[store]\nskip = segment/headline\n' >"$TMP/skip-h.conf"
DB=$TMP/skip-h.db
"$STORE" --config "$TMP/skip-h.conf" --db "$DB" <"$TMP/in.jsonl" 2>/dev/null
check "skip = segment/headline: seq stays the index in the array" "c-a|1|sentence" \
	"$(q "SELECT article_id || '|' || seq || '|' || label FROM annotations")"
for bad in segment segment/ /sentence a/b/c; do
	printf '[store]\n\nskip = segment/quote %s\n' "$bad" >"$TMP/skip-bad.conf"
	check_rc "skip = '$bad' is a config error" 2 "$STORE" --config "$TMP/skip-bad.conf" --db "$TMP/sb.db" </dev/null
	check_grep "skip = '$bad': file:line, the word" "skip-bad.conf:3: '$bad' is not STAGE/LABEL" "$TMP/err"
done
DB=$TMP/s.db
check "runs: config path and hash" "$TMP/p.conf|$conf_hash|6|4|4" \
	"$(q 'SELECT config_path, config_hash, n_read, n_stored, n_errors FROM runs')"
# The config names framing.tsv, but no record says a stage used it (tests/e2e/130-provenance.sh).
check "runs: no lexicon the stream does not name" "[]" "$(q 'SELECT lexicons FROM runs')"
check "runs: finished, version" "1|slant-store" "$(q 'SELECT finished IS NOT NULL, program FROM runs')"

# The same stream again: same rows, one more run.
counts() { q "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM annotations), (SELECT count(*) FROM errors)"; }
before=$(counts)
"$STORE" --config "$TMP/p.conf" --db "$DB" <"$TMP/in.jsonl" 2>/dev/null
check "loading twice duplicates nothing" "$before" "$(counts)"
check "two runs recorded" "2" "$(q 'SELECT count(*) FROM runs')"
check "integrity_check" "ok" "$(q 'PRAGMA integrity_check')"
check "WAL mode" "wal" "$(q 'PRAGMA journal_mode')"
check "schema version" "3" "$(q 'PRAGMA user_version')"
check "annotation text shown from the article's bytes, not stored" "A|0" \
	"$(q "SELECT text, (SELECT count(*) FROM pragma_table_info('annotation_rows') WHERE name = 'text') FROM annotations WHERE article_id = 'c-a' AND seq = 0")"

# The text's origin (slant-affil, issue 17) in the article_origin view; schema 2 files get it.
printf '%s\n' '{"id":"c-o","text":"T\n\nWASHINGTON (Reuters) - Text.","origin":{"name":"Reuters","entry":"reuters-gb","state_affiliated":false,"found_by":"dateline","evidence":"WASHINGTON (Reuters) -"}}' >"$TMP/origin.jsonl"
check_rc "store a record with an origin" 0 "$STORE" --config "$TMP/p.conf" --db "$TMP/v2.db" <"$TMP/origin.jsonl"
check "article_origin view" "c-o|Reuters|reuters-gb|0|dateline|WASHINGTON (Reuters) -" \
	"$(sqlite3 "$TMP/v2.db" "SELECT article_id, origin, origin_entry, origin_state_affiliated, found_by, evidence FROM article_origin")"
sqlite3 "$TMP/v2.db" 'DROP VIEW article_origin; PRAGMA user_version = 2'
check_rc "schema 2 migrated on open" 0 "$STORE" --db "$TMP/v2.db" </dev/null
check "migrated from 2: version, origin view" "3|Reuters" \
	"$(sqlite3 "$TMP/v2.db" "SELECT (SELECT user_version FROM pragma_user_version), (SELECT origin FROM article_origin)")"

# Re-running an article replaces its annotations.
printf '%s\n' '{"id":"c-a","text":"A\n\nNew body.","annotations":[{"stage":"segment","label":"headline","start":0,"end":1,"text":"A"},{"stage":"frame","label":"loaded","start":3,"end":6,"text":"New","entry":"new"},{"stage":"frame","label":"loaded","start":7,"end":11,"text":"body","entry":"body"}]}' >"$TMP/rerun.jsonl"
check_rc "re-run one article" 0 "$STORE" --config "$TMP/p.conf" --db "$DB" <"$TMP/rerun.jsonl"
check "its annotations replaced" "segment/headline frame/loaded frame/loaded" \
	"$(q "SELECT group_concat(stage || '/' || label, ' ') FROM (SELECT * FROM annotations WHERE article_id = 'c-a' ORDER BY seq)")"
check "its text replaced, others untouched" "A

New body.|4" "$(q "SELECT text, (SELECT count(*) FROM articles) FROM articles WHERE id = 'c-a'")"

# Database from the config: an output, so relative to the working directory
# (lexicons, inputs, are relative to the config file).
mkdir -p "$TMP/wd"
check_rc "default database from [pipeline] db" 0 sh -c "cd '$TMP/wd' && '$STORE' --config '$TMP/p.conf' </dev/null"
check "it is in the working directory" "1" "$(sqlite3 "$TMP/wd/from-config.db" 'SELECT count(*) FROM runs')"

# Usage and failures.
check_rc "--help" 0 "$STORE" --help
check_grep "--help names --db" "--db PATH" "$TMP/out"
check_rc "--version" 0 "$STORE" --version
check_grep "--version" "^slant-store \(slant\) [0-9]" "$TMP/out"
check_rc "bad flag is a usage error" 2 "$STORE" --bogus
check_rc "operand is a usage error" 2 "$STORE" file.jsonl
mkdir "$TMP/dir.db"
check_rc "a directory as database" 3 "$STORE" --db "$TMP/dir.db" </dev/null
check_grep "message names the database" "cannot open database '$TMP/dir.db'" "$TMP/err"
printf 'not a database, just text that is long enough for sqlite to look at it ........\n' >"$TMP/junk.db"
check_rc "a file that is not a database" 3 "$STORE" --db "$TMP/junk.db" </dev/null
check_grep "says so" "junk.db.*not a database" "$TMP/err"
sqlite3 "$TMP/new.db" 'PRAGMA user_version = 7'
check_rc "a newer schema is refused" 3 "$STORE" --db "$TMP/new.db" </dev/null
check_grep "says which version" "schema version 7" "$TMP/err"
printf '[store]\nbatch = 0\n' >"$TMP/b0.conf"
check_rc "batch = 0 is a config error" 2 "$STORE" --config "$TMP/b0.conf" --db "$TMP/b0.db" </dev/null

# Many records, small batches: all land.
awk 'BEGIN { for (i = 0; i < 1200; i++)
	printf "{\"id\":\"g-%d\",\"text\":\"Title %d\\n\\nBody %d.\",\"annotations\":[{\"stage\":\"segment\",\"label\":\"headline\",\"start\":0,\"end\":5,\"text\":\"Title\"},{\"stage\":\"segment\",\"label\":\"quote\",\"start\":0,\"end\":5,\"text\":\"Title\",\"index\":0}]}\n", i, i, i }' >"$TMP/gen.jsonl"
DB=$TMP/gen.db
check_rc "1200 records" 0 "$STORE" --config "$TMP/p.conf" --db "$DB" <"$TMP/gen.jsonl"
check "all stored" "1200|2400" "$(q 'SELECT count(*), (SELECT count(*) FROM annotations) FROM articles')"

# A load killed mid-stream: committed articles are whole, none is half there,
# and loading again completes without duplicates.
DB=$TMP/killed.db
printf '[store]\nbatch = 50\n' >"$TMP/k.conf"
mkfifo "$TMP/fifo"
"$STORE" --config "$TMP/k.conf" --db "$DB" <"$TMP/fifo" 2>/dev/null &
spid=$!
exec 7>"$TMP/fifo"
head -n 730 "$TMP/gen.jsonl" >&7
sleep 1.5
kill -9 "$spid"
wait "$spid" 2>/dev/null
exec 7>&-
check "killed load: integrity_check" "ok" "$(q 'PRAGMA integrity_check')"
got=$(q 'SELECT count(*) FROM articles')
if [ "$got" -ge 50 ] && [ "$got" -le 730 ]; then ok "killed load: committed batches kept ($got)"; else
	notok "killed load: committed batches kept"; echo "  articles: $got"; fi
check "killed load: no half article" "0" \
	"$(q 'SELECT count(*) FROM articles a WHERE (SELECT count(*) FROM annotations n WHERE n.article_id = a.id) <> 2')"
check "killed load: run left unfinished" "1" "$(q 'SELECT count(*) FROM runs WHERE finished IS NULL')"
check_rc "load again" 0 "$STORE" --config "$TMP/k.conf" --db "$DB" <"$TMP/gen.jsonl"
check "complete, no duplicates" "1200|2400" "$(q 'SELECT count(*), (SELECT count(*) FROM annotations) FROM articles')"

# Annotations that break docs/stream.md get no row, and are reported with input
# and line and filed in errors: nothing stored silently, nothing lost silently.
cat >"$TMP/badann.jsonl" <<'EOF'
{"id":"c-v","text":"Caf\u00e9 au lait","annotations":[{},{"stage":"frame","label":"loaded","start":0,"end":5,"text":"Caf\u00e9"},{"stage":"frame","start":0,"end":1},{"stage":"frame","label":"loaded","start":6,"end":99},{"stage":"frame","label":"loaded","start":0,"end":4},{"stage":"frame","label":"loaded","start":0,"end":5},{"stage":"frame","label":"loaded","start":0,"end":5,"text":"other"},7]}
{"id":"c-w","text":"fine","annotations":[{"stage":"frame","label":"loaded","start":0,"end":4,"text":"fine"}]}
EOF
DB=$TMP/badann.db
check_rc "bad annotations: exit 1" 1 "$STORE" --config "$TMP/rows.conf" --db "$DB" <"$TMP/badann.jsonl"
check_grep "bad annotations: input, line, count, the first" \
	"^slant-store: error \(at <stdin>:1\): 5 of 8 annotations not stored: annotation 0: no 'stage' string$" "$TMP/err"
check "bad annotations: one message for the record" "1" "$(wc -l <"$TMP/err" | tr -d ' ')"
check "bad annotations: the good ones stored, both articles" "c-v|1|Café c-v|5|Café c-v|6|other c-w|0|fine" \
	"$(q "SELECT article_id || '|' || seq || '|' || text FROM annotations ORDER BY 1" | tr '\n' ' ' | sed 's/ $//')"
check "a text that is not its span's bytes is kept" '{"text":"other"}' \
	"$(q "SELECT fields FROM annotations WHERE article_id = 'c-v' AND seq = 6")"
check "bad annotations: filed in errors with the first one" "store|5 of 8 annotations not stored: annotation 0: no 'stage' string|{}|c-v" \
	"$(q "SELECT stage, message, raw, article_id FROM errors WHERE record_id = 'c-v'")"
# 10,000 empty annotations: no row for any, one message.
awk 'BEGIN { printf "{\"id\":\"c-many\",\"text\":\"x\",\"annotations\":["; for (i = 0; i < 10000; i++) printf "%s{}", i ? "," : ""; print "]}" }' >"$TMP/many.jsonl"
check_rc "10,000 empty annotations: exit 1" 1 "$STORE" --config "$TMP/rows.conf" --db "$DB" <"$TMP/many.jsonl"
check "10,000 empty annotations: no row, one error" "0|1|1" \
	"$(q "SELECT (SELECT count(*) FROM annotations WHERE article_id = 'c-many'), (SELECT count(*) FROM errors WHERE record_id = 'c-many'), (SELECT count(*) FROM articles WHERE id = 'c-many')")"

# A database of schema 1 is migrated on open: text no longer stored, but
# shown; a stored text that was not its span's bytes kept in fields.
DB=$TMP/v1.db
sqlite3 "$DB" >/dev/null <<'EOF'
PRAGMA journal_mode = WAL;
CREATE TABLE runs (id TEXT PRIMARY KEY, started TEXT NOT NULL, finished TEXT, program TEXT, version TEXT, config_path TEXT, config_hash TEXT, lexicons TEXT, n_read INTEGER NOT NULL DEFAULT 0, n_stored INTEGER NOT NULL DEFAULT 0, n_errors INTEGER NOT NULL DEFAULT 0);
CREATE TABLE articles (id TEXT PRIMARY KEY, run_id TEXT, url TEXT, title TEXT, outlet_name TEXT, outlet_domain TEXT, byline TEXT, published TEXT, text TEXT, source_path TEXT, source_type TEXT, source_line INTEGER, status TEXT NOT NULL DEFAULT 'ok', bytes INTEGER, words INTEGER, extra TEXT NOT NULL DEFAULT '{}');
CREATE TABLE annotations (article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE, seq INTEGER NOT NULL, stage TEXT, label TEXT, start INTEGER, end INTEGER, text TEXT, fields TEXT NOT NULL DEFAULT '{}', PRIMARY KEY (article_id, seq));
CREATE INDEX annotations_stage_label ON annotations(stage, label);
CREATE TABLE errors (id INTEGER PRIMARY KEY, run_id TEXT, record_id TEXT, article_id TEXT, stage TEXT, message TEXT NOT NULL, input TEXT, line INTEGER, raw TEXT);
INSERT INTO articles (id, text) VALUES ('c-old', 'Caf' || char(233) || ' noir');
INSERT INTO annotations VALUES ('c-old', 0, 'frame', 'loaded', 0, 5, 'Caf' || char(233), '{"entry":"cafe"}');
INSERT INTO annotations VALUES ('c-old', 1, 'frame', 'loaded', 0, 5, 'other', '{}');
PRAGMA user_version = 1;
EOF
check_rc "schema 1 migrated on open" 0 "$STORE" --db "$DB" </dev/null
check "migrated: version, rows, text shown" "3|Café|{\"entry\":\"cafe\"} other|{\"text\":\"other\"}" \
	"$(q "SELECT (SELECT user_version FROM pragma_user_version), group_concat(text || '|' || fields, ' ') FROM annotations")"
check "migrated: annotations a view, no (stage, label) index" "view|0" \
	"$(q "SELECT (SELECT type FROM sqlite_master WHERE name = 'annotations'), (SELECT count(*) FROM sqlite_master WHERE name = 'annotations_stage_label')")"

# A shard is untrusted: --merge never runs SQL it holds. This one's table
# definition, put in with writable_schema, attaches another file and writes
# there and in the output; the merge must refuse it and write nothing.
DB=$TMP/sh-good.db
"$STORE" --config "$TMP/p.conf" --db "$DB" <"$TMP/in.jsonl" 2>/dev/null
cp "$DB" "$TMP/sh-evil.db"
sqlite3 "$TMP/sh-evil.db" "CREATE TABLE notes (x);"
sqlite3 "$TMP/sh-evil.db" "PRAGMA writable_schema = ON; UPDATE sqlite_master SET sql = 'CREATE TABLE notes (x); ATTACH ''$TMP/pwned.db'' AS p; CREATE TABLE p.t (x); DELETE FROM main.runs' WHERE name = 'notes';"
"$STORE" --config "$TMP/p.conf" --db "$TMP/out.db" </dev/null 2>/dev/null
check_rc "a shard with a doctored schema is refused" 1 "$STORE" --merge "$TMP/out.db" "$TMP/sh-evil.db"
check_grep "it says which table" "sh-evil.db': its table 'notes' is not one slant-store writes" "$TMP/err"
check "its SQL was not run" "no|1" "$([ -e "$TMP/pwned.db" ] && echo yes || echo no)|$(sqlite3 "$TMP/out.db" 'SELECT count(*) FROM runs')"
# Another column in a known table: refused too.
cp "$TMP/sh-good.db" "$TMP/sh-col.db"
sqlite3 "$TMP/sh-col.db" "ALTER TABLE articles ADD COLUMN evil TEXT"
check_rc "a shard with another column is refused" 1 "$STORE" --merge "$TMP/out.db" "$TMP/sh-col.db"
check_rc "the good shard merges" 0 "$STORE" --merge "$TMP/out.db" "$TMP/sh-good.db"
check "merged: articles with their annotations and text" "4|2|A" \
	"$(sqlite3 "$TMP/out.db" "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM annotations), (SELECT text FROM annotations WHERE article_id = 'c-a' AND seq = 0)")"

# Issue 20: the views and the reports' queries must be linear in articles and
# annotations. Annotations are read by article key, never by scanning or by a
# (stage, label) index, and a view asked for one outlet (slant-report's outlet
# pages) finds that outlet's articles by index instead of computing every row.
DB=$TMP/s.db
plan() { q "EXPLAIN QUERY PLAN $1" | tr -d '|`-' | sed 's/^ *//'; }
check "outlet_summary: annotations by article key only" "0" \
	"$(plan 'SELECT * FROM outlet_summary' | grep -E '^(SCAN|SEARCH) n ' | grep -Fvc 'SEARCH n USING PRIMARY KEY (article_key=?)')"
check "outlet_summary: no scan of annotations" "0" "$(plan 'SELECT * FROM outlet_summary' | grep -c '^SCAN n')"
for v in "outlet_summary WHERE publisher" "term_frequency WHERE outlet" "sources_cited WHERE outlet"; do
	check "$v = ?: by the publisher index" "0" \
		"$(plan "SELECT * FROM $v = 'x'" | grep -E '(SCAN|SEARCH) a( |$)' | grep -Evc 'articles_publisher|autoindex_articles')"
	check "$v = ?: no scan" "0" "$(plan "SELECT * FROM $v = 'x'" | grep -Ec '^SCAN (n|a|k)( |$)')"
	check "$v = ?: annotations by article key" "0" \
		"$(plan "SELECT * FROM $v = 'x'" | grep -E '^(SCAN|SEARCH) n ' | grep -Fvc 'USING PRIMARY KEY (article_key=?)')"
done
check "one article's annotations by key" "1" \
	"$(plan "SELECT * FROM annotations WHERE article_id = 'c-a'" | grep -c 'SEARCH n USING PRIMARY KEY')"

# ====== One word count: the database's is the report's ======
"$BIN/slant-ingest" "$SEEDS" 2>/dev/null | "$BIN/slant-segment" | "$BIN/slant-attrib" | "$BIN/slant-frame" |
	"$BIN/slant-affil" | "$BIN/slant-score" >"$TMP/scored.jsonl"
"$BIN/slant-store" --db "$TMP/words.db" <"$TMP/scored.jsonl" 2>/dev/null
check "articles.words equals report.words for every seed" \
	"$(jq -r '.id + "|" + (.report.words | tostring)' "$TMP/scored.jsonl" | sort | tr '\n' ' ')" \
	"$(sqlite3 -batch "$TMP/words.db" "SELECT id || '|' || words FROM articles ORDER BY id" | sort | tr '\n' ' ')"

#!/bin/sh
# Fault tests (docs/reliability.md): a reader that goes away, a stage killed
# mid-stream, slant-store killed with SIGKILL during a large load, two
# writers on one database, a file size limit, hostile HTML, hostile
# lexicon and config lines. Large inputs are generated in $TMP.
. tests/e2e/lib.sh

q() { sqlite3 -batch "$DB" "$1"; }
# A sanitizer build reserves terabytes of address space: no 'ulimit -v' then.
if ldd "$BIN/slant-ingest" 2>/dev/null | grep -q 'libasan\|libclang_rt.asan'; then
	vlimit=unlimited
	slow=3
else
	vlimit=1048576 # KiB: 1 GiB for one program on hostile input
	slow=1
fi
# bounded SECONDS CMD...: run CMD with a time limit (scaled under ASan) and
# the memory limit; stdout/stderr to $TMP/out, $TMP/err; sets $rc.
bounded() {
	secs=$(($1 * slow))
	shift
	(ulimit -v $vlimit 2>/dev/null; exec timeout -s KILL "$secs" "$@") >"$TMP/out" 2>"$TMP/err"
	rc=$?
}
# the pids of children of PID running program NAME
children() {
	for p in /proc/[0-9]*; do
		[ "$(cat "$p/comm" 2>/dev/null)" = "$2" ] || continue
		[ "$(awk '{ print $4 }' "$p/stat" 2>/dev/null)" = "$1" ] && echo "${p#/proc/}"
	done
}
# Expected annotation counts per article of a stream, as a table in $DB.
expect_table() {
	jq -r '[.id, (.annotations | length)] | @tsv' "$1" >"$TMP/expect.tsv"
	sqlite3 -batch "$DB" "DROP TABLE IF EXISTS expect; CREATE TABLE expect (id TEXT PRIMARY KEY, n INT);" \
		".mode tabs" ".import $TMP/expect.tsv expect"
}
# Articles whose stored annotations are not exactly those of the stream.
half_articles() {
	q "SELECT count(*) FROM articles a LEFT JOIN expect e ON e.id = a.id
	   WHERE e.n IS NULL OR e.n <> (SELECT count(*) FROM annotations n WHERE n.article_id = a.id)
	      OR e.n <> (SELECT coalesce(max(seq) + 1, 0) FROM annotations n WHERE n.article_id = a.id)"
}

# ====== Generated input: N articles as JSON Lines, then segmented ======
N=800
awk -v n=$N 'BEGIN { srand(7); for (i = 0; i < n; i++) {
	printf "{\"url\":\"https://news.example/a/%d\",\"title\":\"Article %d on the budget\",\"text\":\"", i, i
	for (p = 0; p < 6; p++) {
		for (s = 0; s < 4; s++)
			printf "Officials said on Tuesday that plan %d would cost %d million. ", i, int(rand() * 1000)
		printf "\\u201cWe will not back down,\\u201d the minister told reporters.\\n\\n"
	}
	printf "\"}\n" } }' >"$TMP/big.jsonl"
"$BIN/slant-ingest" "$TMP/big.jsonl" | "$BIN/slant-segment" >"$TMP/stream.jsonl"
check "generated stream" "$N" "$(wc -l <"$TMP/stream.jsonl" | tr -d ' ')"
# Every annotation a row ([store] skip empty), so "whole" counts all of them.
printf '[store]\nbatch = 25\nskip =\n' >"$TMP/small-batch.conf"
printf '[store]\nskip =\n' >"$TMP/rows.conf"
# Nothing lost on the way in: from a pipe, and through the driver (fused and piped).
check "ingest from a pipe: every record" "$N" "$(cat "$TMP/big.jsonl" | "$BIN/slant-ingest" | wc -l | tr -d ' ')"
printf '[pipeline]\nstages = ingest segment store\n[store]\nskip =\n[attrib]\nreporting_verbs = %s/lexicons/reporting_verbs.tsv\n' "$(pwd)" >"$TMP/chain.conf"
for mode in --fused --pipe; do
	DB=$TMP/chain$mode.db
	"$BIN/slant" run $mode --config "$TMP/chain.conf" --db "$DB" - <"$TMP/big.jsonl" 2>"$TMP/err"
	check "driver $mode from stdin: exit 0, every article, whole" "0 $N 0" \
		"$? $(q 'SELECT count(*) FROM articles') $(expect_table "$TMP/stream.jsonl"; half_articles)"
done

# ====== Downstream closes early ======
{ "$BIN/slant-ingest" "$TMP/big.jsonl" 2>"$TMP/err1"; echo $? >"$TMP/rc1"; } | head -1 >"$TMP/out1"
rc=$(cat "$TMP/rc1")
case $rc in 0 | 141) ok "ingest | head -1: quiet exit ($rc)" ;; *) notok "ingest | head -1: exit $rc" ;; esac
check "ingest | head -1: nothing on stderr" "" "$(head -c 500 "$TMP/err1")"
check "ingest | head -1: one whole record" "u-" "$(jq -r '.id' <"$TMP/out1" | cut -c1-2)"
{ "$BIN/slant-segment" <"$TMP/stream.jsonl" 2>"$TMP/err1"; echo $? >"$TMP/rc1"; } | head -1 >/dev/null
rc=$(cat "$TMP/rc1")
case $rc in 0 | 141) ok "segment | head -1: quiet exit ($rc)" ;; *) notok "segment | head -1: exit $rc" ;; esac
check "segment | head -1: nothing on stderr" "" "$(head -c 500 "$TMP/err1")"
check_rc "a full disk on stdout: exit 3" 3 sh -c 'exec "$0" <"$1" >/dev/full' "$BIN/slant-segment" "$TMP/stream.jsonl"
check_grep "a full disk on stdout: write error" "^slant-segment: write error" "$TMP/err"

# ====== A stage killed mid-stream: the driver (--pipe) says which and how ======
mkfifo "$TMP/fifo"
"$BIN/slant" run --pipe --config "$TMP/chain.conf" --db "$TMP/k.db" - <"$TMP/fifo" >/dev/null 2>"$TMP/kerr" &
dpid=$!
exec 7>"$TMP/fifo"
head -100 "$TMP/big.jsonl" >&7
victim=
for i in 1 2 3 4 5 6 7 8 9 10; do
	victim=$(children "$dpid" slant-segment)
	[ -n "$victim" ] && break
	sleep 0.2
done
if [ -n "$victim" ]; then
	kill -TERM "$victim"
	sleep 0.2
	head -200 "$TMP/big.jsonl" >&7 2>/dev/null
	exec 7>&-
	wait "$dpid"
	check "middle stage killed: driver exits 3" "3" "$?"
	check_grep "middle stage killed: named with its signal" \
		"^slant: stage 'segment' was killed by signal 15" "$TMP/kerr"
	if grep -q "stage 'ingest'" "$TMP/kerr"; then
		notok "middle stage killed: ingest's broken pipe not blamed"; sed 's/^/  /' "$TMP/kerr"
	else ok "middle stage killed: ingest's broken pipe not blamed"; fi
else
	exec 7>&-
	wait "$dpid"
	skip "middle stage killed: slant-segment not found in /proc"
	skip "middle stage killed: message"
	skip "middle stage killed: blame"
fi

# ====== slant-store killed with SIGKILL during a large load, three times ======
DB=$TMP/killed.db
expect_table "$TMP/stream.jsonl"
for k in 1 2 3; do
	# Never more than 500 of the 800 records: the load cannot finish before the kill.
	"$BIN/slant-store" --config "$TMP/small-batch.conf" --db "$DB" <"$TMP/fifo" 2>/dev/null &
	spid=$!
	exec 7>"$TMP/fifo"
	head -n 500 "$TMP/stream.jsonl" >&7 2>/dev/null &
	wpid=$!
	# Wait until this run (the k-th in the runs table) has committed a
	# good part, then kill it.
	for i in $(seq 1 200); do
		c=$(q "SELECT count(*) FROM articles WHERE run_id = (SELECT id FROM runs ORDER BY rowid DESC LIMIT 1)
		       AND (SELECT count(*) FROM runs) = $k" 2>/dev/null)
		[ "${c:-0}" -ge $((k * 100)) ] && break
		sleep 0.05
	done
	kill -9 "$spid"
	wait "$spid" 2>/dev/null
	wait "$wpid" 2>/dev/null
	exec 7>&-
done
check "killed loads: integrity_check" "ok" "$(q 'PRAGMA integrity_check')"
got=$(q 'SELECT count(*) FROM articles')
if [ "$got" -gt 0 ] && [ "$got" -lt $N ]; then ok "killed loads: committed articles kept ($got of $N)"; else
	notok "killed loads: committed articles kept"; echo "  articles: $got"; fi
check "killed loads: every article whole, no half article" "0" "$(half_articles)"
check "killed loads: each run on record, unfinished" "3" "$(q 'SELECT count(*) FROM runs WHERE finished IS NULL')"
check_rc "load again" 0 "$BIN/slant-store" --config "$TMP/rows.conf" --db "$DB" <"$TMP/stream.jsonl"
check "load again: complete, no duplicates" "$N|$N" "$(q 'SELECT count(*), count(DISTINCT id) FROM articles')"
check "load again: every article whole" "0" "$(half_articles)"
check "load again: annotations not duplicated" "$(q 'SELECT sum(n) FROM expect')" "$(q 'SELECT count(*) FROM annotations')"

# ====== Two writers on one database ======
DB=$TMP/two.db
head -n 500 "$TMP/stream.jsonl" >"$TMP/a.jsonl"
tail -n +301 "$TMP/stream.jsonl" >"$TMP/b.jsonl"
"$BIN/slant-store" --config "$TMP/small-batch.conf" --db "$DB" <"$TMP/a.jsonl" 2>"$TMP/err-a" &
apid=$!
"$BIN/slant-store" --config "$TMP/small-batch.conf" --db "$DB" <"$TMP/b.jsonl" 2>"$TMP/err-b" &
bpid=$!
wait "$apid"
arc=$?
wait "$bpid"
check "two writers: both finish" "0 0" "$arc $?"
check "two writers: no complaint" "" "$(cat "$TMP/err-a" "$TMP/err-b" | head -c 500)"
expect_table "$TMP/stream.jsonl"
check "two writers: nothing lost, nothing twice" "$N|$N" "$(q 'SELECT count(*), count(DISTINCT id) FROM articles')"
check "two writers: every article whole" "0" "$(half_articles)"
check "two writers: both runs finished" "2" "$(q 'SELECT count(*) FROM runs WHERE finished IS NOT NULL')"
check "two writers: integrity_check" "ok" "$(q 'PRAGMA integrity_check')"
# Two writers creating the same new database at once, a few times over.
head -n 20 "$TMP/stream.jsonl" >"$TMP/c.jsonl"
bad=0
for i in 1 2 3 4 5 6 7 8; do
	rm -f "$TMP/new.db" "$TMP/new.db-wal" "$TMP/new.db-shm"
	"$BIN/slant-store" --config "$TMP/rows.conf" --db "$TMP/new.db" <"$TMP/c.jsonl" 2>>"$TMP/err-c" &
	apid=$!
	"$BIN/slant-store" --config "$TMP/rows.conf" --db "$TMP/new.db" <"$TMP/c.jsonl" 2>>"$TMP/err-c" || bad=$((bad + 1))
	wait "$apid" || bad=$((bad + 1))
done
check "two writers creating one database: all finish" "0" "$bad"
[ "$bad" -eq 0 ] || sort "$TMP/err-c" | uniq -c | sed 's/^/  /'

# ====== File size limit (a full disk, as far as SQLite can tell) ======
# full_disk WHAT INPUT CMD...: CMD <INPUT under a file size limit, loading $DB:
# it stops with exit 3 and says why, and what it stored is whole.
full_disk() {
	what=$1 in=$2
	shift 2
	# 4096 blocks: 2 MiB under dash, 4 MiB under bash; the stream is far bigger.
	(ulimit -f 4096 && exec "$@" <"$in") >/dev/null 2>"$TMP/err"
	check "$what: exit 3, not killed by SIGXFSZ" "3" "$?"
	check_grep "$what: a clear message" "^slant-store: .*(disk is full|too large|disk I/O error|not stored)" "$TMP/err"
	check "$what: integrity_check" "ok" "$(q 'PRAGMA integrity_check')"
	expect_table "$TMP/stream.jsonl"
	check "$what: every stored article whole" "0" "$(half_articles)"
}
DB=$TMP/full.db
"$BIN/slant-store" --config "$TMP/rows.conf" --db "$DB" </dev/null
full_disk "file size limit" "$TMP/stream.jsonl" "$BIN/slant-store" --config "$TMP/small-batch.conf" --db "$DB"
check_rc "file size limit lifted: the load completes" 0 "$BIN/slant-store" --config "$TMP/rows.conf" --db "$DB" <"$TMP/stream.jsonl"
check "file size limit lifted: all there" "$N" "$(q 'SELECT count(*) FROM articles')"
# The same through the fused driver, where slant-store fails in its own thread.
DB=$TMP/full-fused.db
printf '[pipeline]\nstages = ingest segment store\n[store]\nbatch = 25\nskip =\n[attrib]\nreporting_verbs = %s/lexicons/reporting_verbs.tsv\n' "$(pwd)" >"$TMP/fchain.conf"
full_disk "fused, file size limit" "$TMP/big.jsonl" "$BIN/slant" run --config "$TMP/fchain.conf" --db "$DB" -
got=$(q 'SELECT count(*) FROM articles')
if [ "$got" -gt 0 ] && [ "$got" -lt "$N" ]; then ok "fused, file size limit: committed batches kept ($got)"; else
	notok "fused, file size limit: committed batches kept"; echo "  articles: $got"; fi

# ====== Hostile HTML: bounded time and memory, sane records ======
H=$TMP/hostile
mkdir "$H"
{
	echo '<?xml version="1.0"?><!DOCTYPE html [<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">'
	prev=a
	for e in b c d e f g h i j; do
		echo "<!ENTITY $e \"&$prev;&$prev;&$prev;&$prev;&$prev;&$prev;&$prev;&$prev;&$prev;&$prev;\">"
		prev=$e
	done
	echo ']><html><head><title>Entity bomb</title></head><body><p>Laughs: &j;&j;&j;</p>'
	echo '<p>A real paragraph of text so that there is an article to find here.</p></body></html>'
} >"$H/entity-bomb.html"
cat >"$H/external.html" <<'EOF'
<!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY % p SYSTEM "http://127.0.0.1:9/x.dtd"> %p;]>
<html><head><title>External entities</title></head><body><article><p>Secret: &xxe; end.</p>
<p>A second paragraph of the article, long enough to be the body of it.</p>
<img src="file:///etc/passwd"><iframe src="http://127.0.0.1:9/"></iframe></article></body></html>
EOF
awk 'BEGIN { printf "<html><head><title>Deep</title></head><body>"; for (i = 0; i < 100000; i++) printf "<div>";
	printf "<p>Deep text.</p>"; for (i = 0; i < 100000; i++) printf "</div>"; print "</body></html>" }' >"$H/deep.html"
awk 'BEGIN { printf "<html><head><title>Big attribute</title></head><body><p title=\""; s = "abcdefghij";
	for (i = 0; i < 12; i++) s = s s; for (i = 0; i < 1280; i++) printf "%s", s
	print "\">After the attribute.</p><p>More text of the article here.</p></body></html>" }' >"$H/attr50m.html"
printf '<html><head><meta charset="x-no-such-charset"><title>Bogus charset</title></head><body><p>Caf\351 \377\376 bytes.</p></body></html>\n' >"$H/bogus-charset.html"
printf '<html><head><meta charset="utf-8"><title>Lies \300\200 utf-8</title></head><body><p>Bad \355\240\200 surrogate \364\220\200\200 and \377.</p></body></html>\n' >"$H/bad-utf8.html"
printf '<html><head><meta http-equiv="Content-Type" content="text/html; charset=shift_jis"><title>SJIS</title></head><body><p>\201\201\377\377\240 half</p></body></html>\n' >"$H/sjis.html"
printf '<html><head><title>No charset \341\342\343</title></head><body><p>Undeclared \200\201\202\203 bytes \351t\351.</p></body></html>\n' >"$H/undeclared.html"
printf '<html><head><title>NUL\000bytes</title></head><body><p>Before\000after NUL.</p>\000<p>More.</p></body></html>\n' >"$H/nul.html"
printf '<html><head><meta charset="utf-16"><title>Claims UTF-16</title></head><body><p>But is ASCII.</p></body></html>\n' >"$H/claims-utf16.html"
size=$(wc -c <"$H/attr50m.html" | tr -d ' ')
[ "$size" -gt 50000000 ] && ok "50 MB attribute generated" || notok "50 MB attribute generated ($size)"
for f in "$H"/*.html; do
	name=$(basename "$f")
	bounded 20 "$BIN/slant-ingest" "$f"
	case $rc in 0 | 1) ok "hostile $name: done in bounded time and memory (exit $rc)" ;;
	*) notok "hostile $name: exit $rc (137: killed at the time limit)"; head -c 500 "$TMP/err" | sed 's/^/  /' ;; esac
	if jq -e 'select((.text // "" | test("\u0000")) or (.text // "" | test("root:x:0")))' \
		<"$TMP/out" >/dev/null 2>&1; then notok "hostile $name: NUL or file contents in text"
	elif ! jq -e . <"$TMP/out" >/dev/null 2>&1; then notok "hostile $name: output is not JSON"
	else ok "hostile $name: output is clean JSON"; fi
done
bounded 20 "$BIN/slant-ingest" "$H/entity-bomb.html"
check "entity bomb: not expanded" "0" "$(jq -r '.text' <"$TMP/out" | grep -c aaaaaaaaaa)"
check_grep "entity bomb: DOCTYPE subset reported" "internal subset ignored" "$TMP/err"

# ====== Hostile lexicon and config lines ======
L=$TMP/lex
mkdir "$L"
awk 'BEGIN { printf "@category\tloaded\tx\n"; s = "w"; for (i = 0; i < 20; i++) s = s s; print s "\tloaded\t1\t-\t-\tlong" }' >"$L/long.tsv"
{ printf '@category\tloaded\tx\n'; head -c 20000 /dev/urandom; } >"$L/binary.tsv"
printf '@category\tloaded\tx\nre:(a+)+$\tloaded\t1\t-\t-\tcatastrophic\nre:(?:(?:a*)*)*b\tloaded\t1\t-\t-\tnested\nsafe term\tloaded\t1\t-\t-\tok\n' >"$L/redos.tsv"
cat >"$TMP/redos.jsonl" <<EOF
{"format":1,"id":"c-redos","text":"Safe term here.\n\naaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!"}
EOF
"$BIN/slant-segment" <"$TMP/redos.jsonl" | "$BIN/slant-attrib" >"$TMP/redos.seg"
for f in long binary; do
	bounded 10 "$BIN/slant-frame" --lexicon "$L/$f.tsv" </dev/null
	check "lexicon with a $f line: exit 2" "2" "$rc"
	check_grep "lexicon with a $f line: file:line message" "$f\.tsv:[0-9]+" "$TMP/err"
	bytes=$(wc -c <"$TMP/err" | tr -d ' ')
	[ "$bytes" -lt 20000 ] && ok "lexicon with a $f line: short message ($bytes bytes)" ||
		notok "lexicon with a $f line: $bytes bytes of messages"
done
# The outlet register: the same checks through slant-affil.
hdr=$(head -3 lexicons/outlets.tsv | grep '^id')
{ echo "$hdr"; awk 'BEGIN { s = "n"; for (i = 0; i < 20; i++) s = s s; print "x-long\t" s }'; } >"$L/reg-long.tsv"
{ echo "$hdr"; head -c 20000 /dev/urandom; } >"$L/reg-binary.tsv"
for f in reg-long reg-binary; do
	bounded 10 "$BIN/slant-affil" --register "$L/$f.tsv" </dev/null
	check "register with a ${f#reg-} line: exit 2" "2" "$rc"
	check_grep "register with a ${f#reg-} line: file:line message" "$f\.tsv:[0-9]+" "$TMP/err"
	bytes=$(wc -c <"$TMP/err" | tr -d ' ')
	[ "$bytes" -lt 20000 ] && ok "register with a ${f#reg-} line: short message ($bytes bytes)" ||
		notok "register with a ${f#reg-} line: $bytes bytes of messages"
done
bounded 20 "$BIN/slant-frame" --lexicon "$L/redos.tsv" <"$TMP/redos.seg"
case $rc in 0 | 1) ok "catastrophic regex: no hang (exit $rc)" ;; *) notok "catastrophic regex: exit $rc" ;; esac
check_grep "catastrophic regex: limit reported" "(limit|too complex)" "$TMP/err"
check "catastrophic regex: the record goes on" "c-redos" "$(jq -r .id <"$TMP/out")"

awk 'BEGIN { print "[segment]"; s = "9"; for (i = 0; i < 17; i++) s = s s; print "max_quote = x" s; print s }' >"$TMP/long.conf"
{ printf '[pipeline]\n'; head -c 20000 /dev/urandom; } >"$TMP/binary.conf"
awk 'BEGIN { s = "k"; for (i = 0; i < 17; i++) s = s s; print "[pipeline]"; print s " = 1" }' >"$TMP/longkey.conf"
for f in long binary longkey; do
	bounded 10 "$BIN/slant-segment" --config "$TMP/$f.conf" </dev/null
	check "config with a $f line: exit 2" "2" "$rc"
	check_grep "config with a $f line: file:line message" "$f\.conf(:[0-9]+)?: " "$TMP/err"
	bytes=$(wc -c <"$TMP/err" | tr -d ' ')
	[ "$bytes" -lt 20000 ] && ok "config with a $f line: short message ($bytes bytes)" ||
		notok "config with a $f line: $bytes bytes of messages"
done
bounded 10 "$BIN/slant-segment" --config /dev/zero </dev/null
check "config that never ends (/dev/zero): exit 2" "2" "$rc"
check_grep "config that never ends: refused" "'/dev/zero' is larger than" "$TMP/err"

# ====== The size limits ======
# A stream line over REC_MAX_LINE (64 MiB) becomes an error record.
awk 'BEGIN { s = "abcdefghijklmnop"; for (i = 0; i < 16; i++) s = s s; printf "{\"id\":\"c-huge\",\"text\":\""
	for (i = 0; i < 65; i++) printf "%s", s; print "\"}"; print "{\"id\":\"c-next\",\"text\":\"Next.\"}" }' >"$TMP/huge.jsonl"
"$BIN/slant-segment" <"$TMP/huge.jsonl" >"$TMP/out" 2>"$TMP/err"
check "line over 64 MiB: exit 1" "1" "$?"
check_grep "line over 64 MiB: reported with its line" "error \(at <stdin>:1\): .*longer than the limit" "$TMP/err"
check "line over 64 MiB: error record, then the next one" "error c-next" \
	"$(jq -r '.status // .id' <"$TMP/out" | tr '\n' ' ' | sed 's/ $//')"
# A text over REC_MAX_TEXT (16 MiB): ingest cuts it, says so and marks it.
awk 'BEGIN { print "Huge title"; print ""; s = "word "; for (i = 0; i < 12; i++) s = s s;
	for (i = 0; i < 1100; i++) print s }' >"$TMP/huge.txt"
"$BIN/slant-ingest" "$TMP/huge.txt" >"$TMP/out" 2>"$TMP/err"
check "text over 16 MiB: ingest exits 0" "0" "$?"
check "text over 16 MiB: truncated, at most 16 MiB" "true true" \
	"$(jq -r '[.truncated, (.text | utf8bytelength <= 16777216)] | map(tostring) | join(" ")' <"$TMP/out")"
check_grep "text over 16 MiB: a warning on stderr" "cut to [0-9]+ bytes" "$TMP/err"
# A record from another tool with a text over 16 MiB: every stage rejects it
# alike (an error entry, passed on), and slant-store files it.
awk 'BEGIN { s = "word "; for (i = 0; i < 12; i++) s = s s; printf "{\"id\":\"c-big\",\"text\":\"T\\n\\n"
	for (i = 0; i < 850; i++) printf "%s", s; print "\"}"; print "{\"id\":\"c-small\",\"text\":\"Small.\"}" }' >"$TMP/bigtext.jsonl"
"$BIN/slant-segment" <"$TMP/bigtext.jsonl" >"$TMP/out" 2>"$TMP/err"
check "text over 16 MiB from a tool: segment exits 1" "1" "$?"
check_grep "text over 16 MiB from a tool: reported" "error \(at <stdin>:1\): text of [0-9]+ bytes is longer than the limit of 16777216" "$TMP/err"
check "text over 16 MiB from a tool: error record, next one segmented" "error segment" \
	"$(jq -r '.status // .stages[-1]' <"$TMP/out" | tr '\n' ' ' | sed 's/ $//')"
DB=$TMP/bigtext.db
"$BIN/slant-store" --config "$TMP/rows.conf" --db "$DB" <"$TMP/bigtext.jsonl" 2>/dev/null
check "text over 16 MiB from a tool: store files it" "c-big|error|1" \
	"$(q "SELECT a.id, a.status, (SELECT count(*) FROM errors e WHERE e.record_id = a.id) FROM articles a WHERE a.id = 'c-big'")"

#!/bin/sh
# Bad input through `slant run`: each bad file is named in a message, lands in
# the errors table (or as an article carrying its problem), the good articles
# around it still reach the database, and nothing crashes or hangs.
. tests/e2e/lib.sh

SLANT=$BIN/slant
DB=$TMP/bad.db
q() { sqlite3 -batch "$DB" "$1"; }
printf '[pipeline]\nstages = ingest store\n' >"$TMP/chain.conf"

D=$TMP/in
mkdir "$D"
cp "$SEEDS"/*.txt "$D/"
# Binary: the start of an executable.
head -c 4096 "$SLANT" >"$D/binary.txt"
# Invalid UTF-8 in the body.
printf 'A headline\n\nA body with bad \377\376 bytes in it.\n' >"$D/latin.txt"
: >"$D/empty.txt"
# A 50 MB single line.
awk 'BEGIN { s = "word "; while (length(s) < 1048576) s = s s; s = substr(s, 1, 1048576);
	for (i = 0; i < 50; i++) printf "%s", s; printf "\n" }' >"$D/long.txt"
# JSON Lines: a good record, then a truncated one.
printf '%s\n%s\n' '{"title":"Good JSON","text":"A fine body of text for the record."}' \
	'{"title":"Cut","text":"the line ends in the midd' >"$D/feed.jsonl"
# HTML nested 100,000 levels deep.
awk 'BEGIN { printf "<html><head><title>Deep</title></head><body>";
	for (i = 0; i < 100000; i++) printf "<div>"; printf "<p>deep text</p>";
	for (i = 0; i < 100000; i++) printf "</div>"; printf "</body></html>\n" }' >"$D/deep.html"
# An entity bomb: a billion "lol"s if expanded.
{
	echo '<?xml version="1.0"?>'
	echo '<!DOCTYPE lolz ['
	echo ' <!ENTITY lol "lol">'
	prev=lol
	for k in 1 2 3 4 5 6 7 8 9; do
		printf ' <!ENTITY lol%s "' "$k"
		for j in 1 2 3 4 5 6 7 8 9 10; do printf '&%s;' "$prev"; done
		echo '">'
		prev=lol$k
	done
	echo ']>'
	echo '<html><head><title>Bomb</title></head><body><p>Before &lol9; after.</p></body></html>'
} >"$D/bomb.html"
# Unreadable: chmod 000 does not stop root, so a missing path stands in for it there.
MISSING=$TMP/gone/missing.html
if [ "$(id -u)" != 0 ]; then
	printf 'Locked\n\nYou cannot read me.\n' >"$D/locked.txt"
	chmod 000 "$D/locked.txt"
fi

timeout 120 "$SLANT" run --config "$TMP/chain.conf" --db "$DB" "$D" "$MISSING" \
	>"$TMP/out" 2>"$TMP/err"
rc=$?
check "exit 1: input rejected, run completed" "1" "$rc"
check_grep "driver names the stage" "^slant: stage 'ingest' exited with status 1" "$TMP/err"
if grep -q 'killed by signal\|Segmentation\|Aborted' "$TMP/err"; then
	notok "no stage crashed"; sed 's/^/  /' "$TMP/err"; else ok "no stage crashed"; fi

for f in binary.txt empty.txt feed.jsonl deep.html; do
	check_grep "message names $f" "$f" "$TMP/err"
	check "$f in errors" "1" "$(q "SELECT count(*) > 0 FROM errors WHERE input LIKE '%/$f'")"
done
check_grep "truncated JSON line located" "feed.jsonl:2" "$TMP/err"
check "its line number kept" "2" "$(q "SELECT line FROM errors WHERE input LIKE '%/feed.jsonl'")"
check_grep "message names the missing path" "$MISSING" "$TMP/err"
check "missing path in errors" "1" "$(q "SELECT count(*) FROM errors WHERE input = '$MISSING'")"
if [ "$(id -u)" != 0 ]; then
	check_grep "message names the unreadable file" "locked.txt" "$TMP/err"
	check "unreadable file in errors" "1" "$(q "SELECT count(*) > 0 FROM errors WHERE input LIKE '%/locked.txt'")"
else
	skip "unreadable file: running as root, chmod 000 does not stop reads"
	skip "unreadable file in errors"
fi
# Saved with a loss or rejected, either way on record and named.
for f in latin.txt long.txt bomb.html; do
	check_grep "message names $f" "$f" "$TMP/err"
	check "$f accounted for" "1" "$(q "SELECT (SELECT count(*) FROM articles WHERE source_path LIKE '%/$f')
		+ (SELECT count(*) FROM errors WHERE input LIKE '%/$f') > 0")"
done
check "entities never expanded" "0" "$(q "SELECT count(*) FROM articles WHERE text LIKE '%lollol%'")"
check "long line bounded" "1" "$(q "SELECT coalesce(max(bytes), 0) <= 16777216 FROM articles")"

check "the five seeds stored whole" "5" \
	"$(q "SELECT count(*) FROM articles WHERE status = 'ok' AND source_path LIKE '%/00_\_%.txt' ESCAPE '\\'")"
check "the good JSON line stored" "1" "$(q "SELECT count(*) FROM articles WHERE title = 'Good JSON'")"
check "integrity_check" "ok" "$(q 'PRAGMA integrity_check')"
check "the run counted the errors" "1" "$(q 'SELECT n_errors >= 5 FROM runs')"

# The same bad input again: nothing piles up.
counts() { q "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM errors)"; }
before=$(counts)
timeout 120 "$SLANT" run --config "$TMP/chain.conf" --db "$DB" "$D" "$MISSING" >/dev/null 2>&1
check "re-run: same articles and errors" "$before" "$(counts)"
if [ -f "$D/locked.txt" ]; then chmod 600 "$D/locked.txt"; fi

#!/bin/sh
# The HTML report in a real browser: headless chromium renders an article page;
# the highlights in the DOM must be the article's flagged annotations, one each.
. tests/e2e/lib.sh

CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then
	skip "chromium not installed: browser check of the HTML report"
	exit 0
fi
CONF=$(pwd)/pipeline.conf
DB=$TMP/b.db
browse() {
	timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$TMP/prof" "$@" 2>>"$TMP/chromium.log"
}

"$BIN/slant-ingest" "$SEEDS" | "$BIN/slant-segment" | "$BIN/slant-attrib" | "$BIN/slant-frame" |
	"$BIN/slant-affil" | "$BIN/slant-score" -c "$CONF" | "$BIN/slant-store" -c "$CONF" --db "$DB" 2>"$TMP/err"
id=$(sqlite3 -batch "$DB" "SELECT id FROM articles WHERE source_path LIKE '%002_%'")
check "seed 002 stored" "1" "$(printf '%s' "$id" | grep -c '^c-')"
check_rc "html site" 0 "$BIN/slant-report" -c "$CONF" --db "$DB" --html "$TMP/site"
page=$TMP/site/articles/$id.html
want=$(sqlite3 -batch "$DB" "SELECT count(*) FROM flagged_spans WHERE article_id = '$id'")

browse --dump-dom "file://$page" >"$TMP/dom.html"
check "page rendered" "1" "$(grep -c '<div id="tip"' "$TMP/dom.html")"
# Each annotation has one element opened at its start (crossings add "part" elements).
got=$(grep -o '<mark class="hl k-[a-z]*" data-a="[0-9]*"' "$TMP/dom.html" | sort -u | wc -l | tr -d ' ')
check "highlights in the DOM = flagged annotations in the database ($want)" "$want" "$got"
check "more than a handful of highlights" "true" "$([ "$want" -gt 10 ] && echo true || echo false)"
ids=$(grep -o 'data-a="[0-9]*"' "$TMP/dom.html" | sort -u | wc -l | tr -d ' ')
check "no annotation lost in splitting" "$want" "$ids"
check "the review script ran (decision counts filled)" "1" "$(grep -c "0 accepted · 0 rejected · $want to review" "$TMP/dom.html")"

# A link to one flag opens its tooltip with the review buttons.
first=$(sqlite3 -batch "$DB" "SELECT seq FROM flagged_spans WHERE article_id = '$id' AND stage = 'frame' ORDER BY seq LIMIT 1")
browse --dump-dom "file://$page#a$first" >"$TMP/dom2.html"
check_grep "tooltip shown for #a$first" '<div id="tip" class="tip" style="[^"]*"><div class="t">Loaded term' "$TMP/dom2.html"
check_grep "tooltip has accept and reject" '<div class="btns"><button class="acc[^"]*" data-d="accept">' "$TMP/dom2.html"

browse --screenshot="$TMP/shot.png" --window-size=1280,2000 "file://$page" >/dev/null
size=$(wc -c <"$TMP/shot.png" 2>/dev/null || echo 0)
check "screenshot taken" "true" "$([ "$size" -gt 20000 ] && echo true || echo false)"
[ -n "${SLANT_SHOT:-}" ] && cp "$TMP/shot.png" "$SLANT_SHOT"
exit 0

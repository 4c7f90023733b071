#!/bin/sh
# The review round trip in a real browser (issue 19): headless Chromium, driven
# over the DevTools pipe (tests/e2e/cdp.py), accepts a flag with the mouse
# (the page must not scroll), rejects one with the keyboard only, rejects all
# flags of one lexicon entry, adds a span slant missed, exports; slant-store
# imports the file; the regenerated site, text and Markdown show each
# decision and the score without the rejected flags, as they say; a second
# editor's browser starts from the first one's decisions; and a site of
# another database does not see this one's decisions.
. tests/e2e/lib.sh

CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then
	skip "chromium not installed: review round trip in a browser"
	exit 0
fi
CONF=$(pwd)/pipeline.conf
DB=$TMP/r.db
sq() { sqlite3 -batch "$DB" "$1"; }
"$BIN/slant-ingest" "$SEEDS" | "$BIN/slant-segment" | "$BIN/slant-attrib" | "$BIN/slant-frame" |
	"$BIN/slant-affil" | "$BIN/slant-score" -c "$CONF" | "$BIN/slant-store" -c "$CONF" --db "$DB" 2>"$TMP/err"
id=$(sq "SELECT id FROM articles WHERE source_path LIKE '%002_%'")
check_rc "html site" 0 "$BIN/slant-report" -c "$CONF" --db "$DB" --html "$TMP/site"
page=$TMP/site/articles/$id.html
# The flags to decide: one loaded term by mouse, an unattributed claim by keyboard,
# every flag of an entry found twice or more in bulk.
bulk=$(sq "SELECT entry FROM flagged_spans WHERE article_id = '$id' AND stage = 'frame' AND entry IS NOT NULL
	GROUP BY entry HAVING count(*) >= 2 ORDER BY count(*) DESC, entry LIMIT 1")
nbulk=$(sq "SELECT count(*) FROM flagged_spans WHERE article_id = '$id' AND stage = 'frame' AND entry = '$bulk'")
acc=$(sq "SELECT seq FROM flagged_spans WHERE article_id = '$id' AND stage = 'frame' AND entry <> '$bulk' ORDER BY seq LIMIT 1")
key=$(sq "SELECT seq FROM flagged_spans WHERE article_id = '$id' AND label = 'unattributed' ORDER BY seq DESC LIMIT 1")
first=$(sq "SELECT seq FROM flagged_spans WHERE article_id = '$id' AND stage = 'frame' AND entry = '$bulk' ORDER BY seq LIMIT 1")
check "flags to decide found" "yes" "$([ -n "$acc" ] && [ -n "$key" ] && [ "${nbulk:-0}" -ge 2 ] && echo yes)"
before=$(sq "SELECT score FROM scores WHERE article_id = '$id'")

mark() { printf 'mark.hl[data-a=\\"%s\\"]:not(.part)' "$1"; }
li() { printf "document.querySelector('li[data-f=\\\\\"%s\\\\\"]').dataset.dec" "$1"; }
cat >"$TMP/s1.json" <<EOF
[
 {"open": "file://$page", "name": "opened"},
 {"eval": "var r=document.getElementById('reviewer');r.value='Test Editor';r.dispatchEvent(new Event('change'));document.querySelector('$(mark "$acc")').scrollIntoView({block:'center'});window.scrollY", "name": "y0"},
 {"click": "$(mark "$acc")", "name": "clicked"},
 {"eval": "window.scrollY", "name": "y1"},
 {"eval": "(function(){var t=document.getElementById('tip'),r=t.getBoundingClientRect();return !t.hidden&&r.top>=0&&r.bottom<=innerHeight})()", "name": "tip_on_screen"},
 {"click": "#tip button.acc", "name": "accept"},
 {"eval": "$(li "$acc")", "name": "accepted"},
 {"key": "Escape"},
 {"eval": "document.querySelector('$(mark "$key")').scrollIntoView({block:'center'});document.querySelector('$(mark "$key")').focus();document.activeElement.dataset.a", "name": "focused"},
 {"eval": "window.scrollY", "name": "y2"},
 {"key": "Enter", "name": "enter"},
 {"eval": "window.scrollY", "name": "y3"},
 {"eval": "document.querySelector('#tip .t').textContent", "name": "opened_by_key"},
 {"key": "r", "name": "r"},
 {"eval": "$(li "$key")", "name": "rejected_by_key"},
 {"key": "Escape"},
 {"eval": "document.querySelector('$(mark "$first")').scrollIntoView({block:'center'})"},
 {"click": "$(mark "$first")", "name": "clicked_bulk"},
 {"click": "#tip .bulk button.rej", "name": "reject_all"},
 {"eval": "document.querySelectorAll('.flags li[data-dec=reject]').length", "name": "n_rejected"},
 {"key": "Escape"},
 {"eval": "(function(){var w=document.createTreeWalker(document.getElementById('text'),NodeFilter.SHOW_TEXT),n;while((n=w.nextNode()))if(!n.parentNode.closest('mark.k-loaded')&&/\\\\bMoscow\\\\b/.test(n.data))break;var i=n.data.search(/\\\\bMoscow\\\\b/),r=document.createRange();r.setStart(n,i);r.setEnd(n,i+6);window.scrollBy(0,r.getBoundingClientRect().top-innerHeight/2);var s=getSelection();s.removeAllRanges();s.addRange(r);document.getElementById('text').dispatchEvent(new MouseEvent('mouseup',{bubbles:true}));return s.toString()})()", "name": "selected"},
 {"click": ".addbox button[data-kind=loaded]", "name": "added"},
 {"eval": "document.getElementById('dec-counts').textContent", "name": "counts"},
 {"shot": "$TMP/review.png", "name": "shot"},
 {"click": "#export", "name": "export"},
 {"download": "decisions-*.json", "name": "file"}
]
EOF
python3 tests/e2e/cdp.py "$CHROMIUM" "$TMP/prof" "$TMP/dl" "$TMP/s1.json" >"$TMP/r1" 2>"$TMP/cdp.err"
val() { sed -n "s/^$1=//p" "$TMP/r1" | head -1; }
check "page opened" "ok" "$(val opened)"
check "clicking a highlight does not scroll the page (issue 19 item 4)" "$(val y0)" "$(val y1)"
check "the review card is on screen" "true" "$(val tip_on_screen)"
check "accepted with the mouse" '"accept"' "$(val accepted)"
check "a highlight takes focus" "\"$key\"" "$(val focused)"
check "Enter opens the focused highlight" "yes" "$(val opened_by_key | grep -q "#$key" && echo yes)"
check "opening one far from its flag list row does not scroll the page either" "$(val y2)" "$(val y3)"
check "r rejects it" '"reject"' "$(val rejected_by_key)"
check "reject all flags of '$bulk' (and the one by key)" "$((nbulk + 1))" "$(val n_rejected)"
check "a missed span selected" '"Moscow"' "$(val selected)"
check "counts say what was done" "\"1 accepted · $((nbulk + 1)) rejected · " "$(val counts | sed 's/[0-9]* to review.*//')"
check_grep "counts say one added" 'added' "$TMP/r1"
file=$(val file)
check "decisions exported" "yes" "$([ -s "$file" ] && echo yes)"
[ -n "${SLANT_SHOT:-}" ] && cp "$TMP/review.png" "$SLANT_SHOT"

# Import, regenerate, and find the decisions shown and the score changed as the report says.
check_rc "slant-store --decisions imports the export" 0 "$BIN/slant-store" -c "$CONF" --db "$DB" --decisions "$file"
check "rejections, acceptance and the reviewer in the database" "$((nbulk + 1))|1|Test Editor" \
	"$(sq "SELECT sum(decision = 'reject'), sum(decision = 'accept'), max(reviewer) FROM decisions")"
check "the added span is a miss" "1|frame|loaded|Moscow" "$(sq "SELECT count(*), stage, label, text FROM missed_spans")"
check "review_recall counts it" "1" "$(sq "SELECT missed FROM review_recall WHERE stage = 'frame' AND label = 'loaded'")"
check_rc "regenerated" 0 "$BIN/slant-report" -c "$CONF" --db "$DB" --html "$TMP/site"
check "each decision shown on its flag with who" "$((nbulk + 2))" "$(grep -c '<div class="rev">.* by Test Editor' "$page")"
check "rejected flags say they are left out" "$((nbulk + 1))" "$(grep -c 'Rejected by Test Editor, [0-9-]* — left out of the score' "$page")"
after=$(grep -o '<div class="big"[^>]*>[0-9]*' "$page" | sed 's/.*>//')
said=$(grep -o 'Before review: [0-9.]*' "$page" | sed 's/.*: //')
check "the page says what the score was before review" "$before" "$said"
check "and the score shown changed" "yes" "$(awk -v a="$after" -v b="$before" 'BEGIN { print (a != int(b + 0.5) ? "yes" : "no") }')"
check "the index lists the score after review" "$after" "$(grep -o "<span class=\"pill\"[^>]*title=\"after review; $before before\">[0-9]*" "$TMP/site/index.html" | sed 's/.*>//')"
check_grep "the page says how many were left out" "Reviewed: $((nbulk + 1)) flags rejected and left out of this score, 1 accepted" "$page"
COLUMNS=200 "$BIN/slant-report" -c "$CONF" --db "$DB" "$id" >"$TMP/text"
check "text report: the decisions on their flags" "$((nbulk + 1))" "$(grep -c 'rejected by Test Editor, [0-9-]*; left out of the score' "$TMP/text")"
check_grep "text report: the score after review" "Reviewed: $((nbulk + 1)) flags rejected \\(left out of the score\\), 1 accepted; before review $before" "$TMP/text"
"$BIN/slant-report" -c "$CONF" --db "$DB" --markdown "$id" >"$TMP/md"
check "markdown: the decisions on their flags" "$((nbulk + 2))" "$(grep -c '| [a-z]* by Test Editor' "$TMP/md")"

# A second editor (another browser) starts from the first one's decisions.
cat >"$TMP/s2.json" <<EOF
[
 {"open": "file://$page", "name": "opened"},
 {"eval": "document.getElementById('dec-counts').textContent", "name": "counts"},
 {"eval": "$(li "$acc")", "name": "accepted"},
 {"eval": "document.querySelector('$(mark "$key")').classList.contains('dec-reject')", "name": "painted"},
 {"shot": "$TMP/article.png", "name": "shot", "full": true},
 {"open": "file://$TMP/site/index.html", "name": "index"},
 {"shot": "$TMP/index.png", "name": "shot2", "full": true}
]
EOF
python3 tests/e2e/cdp.py "$CHROMIUM" "$TMP/prof2" "$TMP/dl2" "$TMP/s2.json" >"$TMP/r1" 2>>"$TMP/cdp.err"
check "second editor: counts start from the database's decisions" "\"1 accepted · $((nbulk + 1)) rejected · " "$(val counts | sed 's/[0-9]* to review.*//')"
check "second editor: the accepted flag is marked" '"accept"' "$(val accepted)"
check "second editor: the rejected highlight is struck" "true" "$(val painted)"

# Decisions are kept per site: another database's site in the first browser sees none of them.
"$BIN/slant-ingest" "$SEEDS" | "$BIN/slant-segment" | "$BIN/slant-store" -c "$CONF" --db "$TMP/other.db" 2>/dev/null
"$BIN/slant-report" -c "$CONF" --db "$TMP/other.db" --html "$TMP/other" 2>/dev/null
cat >"$TMP/s3.json" <<EOF
[
 {"open": "file://$TMP/other/index.html", "name": "other"},
 {"eval": "document.getElementById('n-dec').textContent", "name": "other_n"},
 {"open": "file://$TMP/site/index.html", "name": "same"},
 {"eval": "document.getElementById('n-dec').textContent", "name": "same_n"}
]
EOF
python3 tests/e2e/cdp.py "$CHROMIUM" "$TMP/prof" "$TMP/dl" "$TMP/s3.json" >"$TMP/r1" 2>>"$TMP/cdp.err"
check "another database's site keeps none of them (issue 19 item 2)" '"0 decisions kept for this site"' "$(val other_n)"
check "this site keeps them" "\"$((nbulk + 3)) decisions kept for this site\"" "$(val same_n)"
# Item 3 across the site: one entry accepted everywhere from one page; slant-store
# spreads it over every flag of that entry in the database.
site=$(sq "SELECT entry FROM flagged_spans WHERE stage = 'frame' AND entry IS NOT NULL AND entry <> '$bulk'
	AND entry IN (SELECT entry FROM flagged_spans WHERE article_id = '$id' AND stage = 'frame' AND seq <> $acc)
	AND entry <> (SELECT entry FROM flagged_spans WHERE article_id = '$id' AND seq = $acc)
	GROUP BY entry HAVING count(DISTINCT article_id) >= 2 ORDER BY count(*) DESC, entry LIMIT 1")
if [ -n "$site" ]; then
	sseq=$(sq "SELECT seq FROM flagged_spans WHERE article_id = '$id' AND stage = 'frame' AND entry = '$site' ORDER BY seq LIMIT 1")
	nsite=$(sq "SELECT count(*) FROM flagged_spans WHERE stage = 'frame' AND entry = '$site'")
	other=$(sq "SELECT article_id || '|' || seq FROM flagged_spans WHERE stage = 'frame' AND entry = '$site' AND article_id <> '$id' LIMIT 1")
	cat >"$TMP/s4.json" <<EOF
[
 {"open": "file://$page", "name": "opened"},
 {"click": "$(mark "$sseq")", "name": "clicked"},
 {"click": "#tip .bulk.site button.acc", "name": "everywhere"},
 {"eval": "$(li "$sseq")", "name": "accepted"},
 {"click": "#export", "name": "export"},
 {"download": "decisions-*.json", "name": "file"}
]
EOF
	rm -rf "$TMP/dl3"
	python3 tests/e2e/cdp.py "$CHROMIUM" "$TMP/prof3" "$TMP/dl3" "$TMP/s4.json" >"$TMP/r1" 2>>"$TMP/cdp.err"
	check "'$site' accepted across the site from one page" '"accept"' "$(val accepted)"
	check_rc "imported" 0 "$BIN/slant-store" -c "$CONF" --db "$DB" --decisions "$(val file)"
	check "every flag of '$site' in the database accepted ($nsite)" "$nsite" \
		"$(sq "SELECT count(*) FROM decisions WHERE entry = '$site' AND decision = 'accept'")"
	"$BIN/slant-report" -c "$CONF" --db "$DB" --html "$TMP/site" 2>/dev/null
	check "another article's page shows it accepted" "1" \
		"$(grep -c "<li data-f=\"${other#*|}\" class=\"k-loaded\" data-dec=\"accept\">" "$TMP/site/articles/${other%|*}.html")"
else
	notok "no entry found in two articles for the across-the-site check"
fi
[ -n "${SLANT_SHOTS:-}" ] && cp "$TMP/review.png" "$TMP/article.png" "$TMP/index.png" "$SLANT_SHOTS/" 2>/dev/null
[ -s "$TMP/cdp.err" ] && sed "s/^/  cdp: /" "$TMP/cdp.err" | tail -3
exit 0

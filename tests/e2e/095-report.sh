#!/bin/sh
# slant-report: text, Markdown and HTML from the database; hostile text; the views; decisions.
. tests/e2e/lib.sh

REPORT=$BIN/slant-report
CONF=$(pwd)/pipeline.conf
DB=$TMP/r.db
q() { sqlite3 -batch "$DB" "$1"; }

# Two outlets; one article with hostile title, byline, URL and body.
cat >"$TMP/in.jsonl" <<'EOF2'
{"format":1,"id":"c-good","title":"Calm headline","text":"Calm headline\n\nThe council said the budget passed.","outlet":{"name":"Good News"},"byline":"Ann Lee","published":"2025-01-02","stages":["ingest","segment","attrib","frame"],"annotations":[{"stage":"segment","label":"headline","start":0,"end":13,"text":"Calm headline"},{"stage":"attrib","label":"attributed","start":15,"end":50,"text":"The council said the budget passed.","source":"The council","source_start":15,"source_end":26,"cue":"said","cue_start":27,"cue_end":31,"stance":"neutral"}]}
{"format":1,"id":"../evil id","title":"<script>alert(1)</script> \"Q\" & 'A'","url":"javascript:alert(2)","byline":"\u001b[31mRed\u001b[0m","outlet":{"name":"Bad <b>Outlet</b>"},"text":"<script>alert(1)</script> \"Q\" & 'A'\n\nRobert'); DROP TABLE articles;-- said the regime </script> did it.","stages":["ingest","segment","attrib","frame"],"annotations":[{"stage":"segment","label":"headline","start":0,"end":35,"text":"x"},{"stage":"frame","label":"loaded","start":79,"end":85,"text":"regime","entry":"regime","category":"labelling","weight":2,"voice":"authorial","alternative":"<government>","lexicon":"framing.tsv","lexicon_line":7},{"stage":"attrib","label":"unattributed","start":37,"end":103,"text":"x"},{"stage":"attrib","label":"hedge","start":70,"end":82,"text":"x","entry":"said the"},{"stage":"attrib","label":"none","start":37,"end":39,"text":"x"}]}
EOF2
"$BIN/slant-score" -c "$CONF" <"$TMP/in.jsonl" | "$BIN/slant-store" -c "$CONF" --db "$DB" 2>"$TMP/err"
check "stored, the SQL in the text did nothing" "2" "$(q 'SELECT count(*) FROM articles')"
check "scores filled from the reports" "2|12" "$(q 'SELECT (SELECT count(*) FROM scores), (SELECT count(*) FROM score_components)')"

# Text.
check_rc "text report of all articles" 0 "$REPORT" -c "$CONF" --db "$DB"
check_grep "text has the title" "^Calm headline$" "$TMP/out"
check_grep "text has the score line" "Score +[0-9.]+ / 100" "$TMP/out"
check "no escape sequences when not a terminal" "0" "$(tr -cd '\033' <"$TMP/out" | wc -c | tr -d ' ')"
check_rc "one article by id" 0 "$REPORT" -c "$CONF" --db "$DB" c-good
check "only that article" "1" "$(grep -c '^Calm headline$' "$TMP/out")"
check_rc "unknown id: exit 1" 1 "$REPORT" -c "$CONF" --db "$DB" c-nope
check_grep "unknown id named" "no article 'c-nope'" "$TMP/err"
check_rc "missing database: exit 2" 2 "$REPORT" -c "$CONF" --db "$TMP/none.db"
check_grep "missing database named" "no database '.*none.db'" "$TMP/err"
check_rc "two modes: exit 2" 2 "$REPORT" -c "$CONF" --db "$DB" --text --markdown
printf 'not a database' >"$TMP/junk.db"
check_rc "not a database: exit 3" 3 "$REPORT" -c "$CONF" --db "$TMP/junk.db"

# Markdown.
check_rc "markdown" 0 "$REPORT" -c "$CONF" --db "$DB" --markdown
check_grep "component table" "^\| Component \| Points \| Value \| Detail \|$" "$TMP/out"
check "markdown escapes HTML" "0" "$(grep -c '<script>' "$TMP/out")"

# HTML.
check_rc "html site" 0 "$REPORT" -c "$CONF" --db "$DB" --html "$TMP/site"
check "index, two articles, two outlets" "1 2 2" \
	"$(ls "$TMP/site/index.html" | wc -l) $(ls "$TMP/site/articles" | wc -l) $(ls "$TMP/site/outlets" | wc -l)"
check "hostile id gets a safe file name" "1" "$(ls "$TMP/site/articles" | grep -c '^x-[0-9a-f]*\.html$')"
evil=$TMP/site/articles/$(ls "$TMP/site/articles" | grep '^x-')
check "no script from the data" "0" "$(cat "$TMP/site"/index.html "$TMP/site"/outlets/*.html "$TMP/site"/articles/*.html | grep -c '<script>alert\|<b>Outlet')"
check "no javascript: URL" "0" "$(grep -c 'javascript:' "$evil")"
check "title escaped (title element and headline)" "2" "$(grep -c '&lt;script&gt;alert(1)&lt;/script&gt; &quot;Q&quot; &amp; &#39;A&#39;' "$evil")"
check "two script elements per page, ours" "2" "$(grep -o '</script>' "$evil" | wc -l | tr -d ' ')"
check "no network: nothing fetched" "0" "$(cat "$TMP/site"/*.html "$TMP/site"/*/*.html | grep -c 'src=\"http\|href=\"//\|@import\|url(http')"
n_db=$(q "SELECT count(*) FROM flagged_spans WHERE article_id = '../evil id'")
check "one highlight per flagged annotation" "$n_db" "$(grep -o 'data-a="[0-9]*" tabindex' "$evil" | sort -u | wc -l | tr -d ' ')"
check "crossing spans: the inner one split into a part" "1" "$(grep -c 'k-loaded part' "$evil")"
check_grep "tooltip data: the neutral alternative, escaped" '\\u003cgovernment\\u003e' "$evil"
check_grep "index sortable" 'data-sort="num"' "$TMP/site/index.html"
check_grep "score chart" '<svg class="chart"' "$TMP/site/articles/c-good.html"
check_rc "html for one id" 0 "$REPORT" -c "$CONF" --db "$DB" --html "$TMP/one" c-good
check "only its page" "c-good.html" "$(ls "$TMP/one/articles")"
check_rc "html into an unwritable place: exit 3" 3 "$REPORT" -c "$CONF" --db "$DB" --html /proc/nope
# Issue 20: one stylesheet and one script for the whole site, no inline script.
check "slant.css and slant.js beside index.html" "2" "$(ls "$TMP/site/slant.css" "$TMP/site/slant.js" | wc -l | tr -d ' ')"
check "every page links them" "0" "$(for f in "$TMP/site"/index.html "$TMP/site"/*/*.html; do
	grep -q 'href="\(\.\./\)\{0,1\}slant.css"' "$f" && grep -q 'src="\(\.\./\)\{0,1\}slant.js"></script>' "$f" || echo "$f"; done | wc -l | tr -d ' ')"
check "no inline script or style" "0" "$(cat "$TMP/site"/*.html "$TMP/site"/*/*.html | grep -c '<script>\|<style')"
check_grep "the policy allows the site's own files only" "script-src 'self';" "$TMP/site/index.html"

# Over the seeds: threads write the same site; the outlet pages' sources and terms are the views' rows.
SDB=$TMP/seeds.db
"$BIN/slant-ingest" "$SEEDS" 2>/dev/null | "$BIN/slant-segment" | "$BIN/slant-attrib" | "$BIN/slant-frame" |
	"$BIN/slant-affil" | "$BIN/slant-score" -c "$CONF" | "$BIN/slant-store" -c "$CONF" --db "$SDB" 2>/dev/null
check_rc "seeds site, one thread" 0 "$REPORT" -c "$CONF" --db "$SDB" --html "$TMP/s1" --jobs 1
check_rc "seeds site, three threads" 0 "$REPORT" -c "$CONF" --db "$SDB" --html "$TMP/s3" --jobs 3
check "the same bytes" "" "$(diff -r "$TMP/s1" "$TMP/s3" 2>&1 | head -3)"
check_rc "--jobs 0 is a usage error" 2 "$REPORT" -c "$CONF" --db "$SDB" --html "$TMP/s0" --jobs 0
"$REPORT" -c "$CONF" --db "$SDB" --html "$TMP/s1/" --jobs 1 2>"$TMP/open.err"
check_grep "--html says which file to open (issue 19 item 7)" "^slant-report: wrote 5 article pages; open $TMP/s1/index.html$" "$TMP/open.err"

# Issue 19, item 5: the score explained where editors see it.
art=$(ls "$TMP/s1"/articles/*.html | head -1)
check_grep "a reading aid, not a verdict" '<b>A reading aid, not a verdict.</b>' "$art"
check_grep "the bands beside the score" 'Bands: 80–100 sound · 60–<80 mixed · 40–<60 weak · 0–<40 poor' "$art"
check_grep "a link to what the components mean" 'href="../about.html#components"' "$art"
check "about.html explains each component" "6" "$(grep -o '<dt id="c-[a-z]*">' "$TMP/s1/about.html" | wc -l | tr -d ' ')"
check "component details read plainly" "0" "$(cat "$TMP/s1"/articles/*.html | grep -c 'leaves no points')"
# Item 6: findings first, quiet attributed sentences, a pattern per kind besides its colour.
check "the flag list starts with findings, attributed claims last" "loaded attributed" \
	"$(grep -o '<li class="grp k-[a-z]*">' "$art" | sed 's/.*k-//; s/">//' | sed -n '1p;$p' | tr '\n' ' ' | sed 's/ $//')"
css=$TMP/s1/slant.css
pat() { grep "^mark.k-$1{" "$css" | grep -o 'underline [a-z]*\|border-bottom:[0-9]*px [a-z]*\|outline:1px [a-z]*' | head -1; }
check "each finding has a pattern of its own" "7" \
	"$(for k in loaded scare hedge verb unattributed vague anonymous; do pat $k; done | sort -u | wc -l | tr -d ' ')"
check "unattributed claims are not red" "0" "$(grep '^mark.k-unattributed{' "$css" | grep -ci 'e03131\|red')"
# Item 7: outlet tables in a scrolling wrapper, no empty term row, stale pages gone.
check "outlet tables wrapped to fit their cards" "0" "$(cat "$TMP"/s1/outlets/*.html | grep -o '.\{0,16\}<table>' | grep -vc 'class="tw"><table>')"
check "no term row without a term" "0" "$(cat "$TMP"/s1/outlets/*.html | grep -c '<tr><td></td><td>[a-z_]*</td><td>[a-z]*</td><td class="num"')"
check_grep "a scare quote row is named" '<tr><td>\(scare quotes\)</td>' "$(grep -l 'scare quotes' "$TMP"/s1/outlets/*.html | head -1)"
: >"$TMP/s1/articles/gone.html"
: >"$TMP/s1/outlets/gone-00000000.html"
: >"$TMP/s1/articles/keep.txt"
"$REPORT" -c "$CONF" --db "$SDB" --html "$TMP/s1" c-nothere 2>/dev/null
check "a report of some ids leaves other pages be" "2" "$(ls "$TMP/s1/articles/gone.html" "$TMP/s1/outlets/gone-00000000.html" | wc -l | tr -d ' ')"
"$REPORT" -c "$CONF" --db "$SDB" --html "$TMP/s1" 2>/dev/null
check "regenerating the whole site removes stale pages" "0|keep.txt" \
	"$(ls "$TMP/s1/articles/gone.html" "$TMP/s1/outlets/gone-00000000.html" 2>/dev/null | wc -l | tr -d ' ')|$(ls "$TMP/s1/articles" | grep -v html)"
check "and keeps the current ones" "5" "$(ls "$TMP/s1/articles" | grep -c html)"

# Item 1 without a browser: decisions imported by hand show in text and Markdown, 'add' is a miss.
aid=$(sqlite3 -batch "$SDB" "SELECT article_id FROM flagged_spans WHERE stage = 'frame' GROUP BY article_id ORDER BY count(*) DESC LIMIT 1")
sqlite3 -batch -json "$SDB" "SELECT article_id AS article, start, \"end\", stage, label, COALESCE(entry, '') AS entry,
	'reject' AS decision, 'Ed' AS reviewer, '2026-01-02T03:04:05Z' AS decided FROM flagged_spans
	WHERE article_id = '$aid' AND stage = 'frame' ORDER BY seq LIMIT 2" >"$TMP/dec.json"
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); d.append(dict(d[0], start=0, end=3, label='loaded', decision='add', text='abc')); json.dump(d, open(sys.argv[1], 'w'))" "$TMP/dec.json"
check_rc "decisions with an added span import" 0 "$BIN/slant-store" -c "$CONF" --db "$SDB" --decisions "$TMP/dec.json"
check "two decisions, one miss" "2|1" "$(sqlite3 -batch "$SDB" "SELECT (SELECT count(*) FROM decisions), (SELECT count(*) FROM missed_spans)")"
COLUMNS=200 "$REPORT" -c "$CONF" --db "$SDB" "$aid" >"$TMP/rt.txt" 2>"$TMP/rt.err"
check "text: each decision on its flag" "2" "$(grep -c 'rejected by Ed, 2026-01-02; left out of the score' "$TMP/rt.txt")"
check_grep "text: the score after review, and before" '^  Reviewed: 2 flags rejected \(left out of the score\), 0 accepted; before review [0-9.]+ [a-z]+$' "$TMP/rt.txt"
check "text: scored again without a warning" "" "$(cat "$TMP/rt.err")"
"$REPORT" -c "$CONF" --db "$SDB" --markdown "$aid" >"$TMP/rt.md"
check "markdown: each decision on its flag" "2" "$(grep -c '| rejected by Ed, 2026-01-02; left out of the score |$' "$TMP/rt.md")"
echo '[{"article": "x", "start": 0, "end": 1, "stage": "segment", "label": "sentence", "decision": "add"}]' >"$TMP/bad.json"
check_rc "an added span must be a kind slant flags" 1 "$BIN/slant-store" -c "$CONF" --db "$SDB" --decisions "$TMP/bad.json"
check_rc "a decisions file that is not there: exit 3 (issue 19 item 11)" 3 "$BIN/slant-store" -c "$CONF" --db "$SDB" --decisions "$TMP/nope.json"

# Issue 19 item 8: the terminal report reads at a glance.
COLUMNS=80 "$REPORT" -c "$CONF" --db "$SDB" >"$TMP/t80" 2>"$TMP/t80.err"
check_grep "a summary first" '^5 articles from 3 outlets; scores [0-9]+–[0-9]+, median [0-9]+' "$(printf '%s' "$TMP/t80")"
check "the summary is the first line" "1" "$(grep -n '^5 articles from 3 outlets' "$TMP/t80" | cut -d: -f1)"
check "no line over 80 columns" "0" "$(python3 -c 'import sys; print(sum(len(l.rstrip("\n")) > 80 for l in open(sys.argv[1], encoding="utf-8")))' "$TMP/t80")"
check_grep "findings grouped by kind" '^  Loaded term \([0-9]+\)$' "$TMP/t80"
check_grep "and by lexicon entry" "^    'regime' ×[0-9]+ — loaded term" "$TMP/t80"
# A group's header holds for every flag under it: one voice a group (sample 002 has
# 'regime' in its headline and in its body).
a002=$(sqlite3 -batch "$SDB" "SELECT id FROM articles WHERE source_path LIKE '%002_%'")
COLUMNS=80 "$REPORT" -c "$CONF" --db "$SDB" --article "$a002" >"$TMP/t002"
check "a group per entry and voice" "reported headline authorial" \
	"$(sed -n "s/^    'regime' ×[0-9]* — loaded term (pejorative_label) in the \([a-z]*\) voice.*/\1/p" "$TMP/t002" | sort -r | tr '\n' ' ' | sed 's/ $//')"
# line:column of a loaded term, counted from the stored text.
lc=$(sqlite3 -batch "$SDB" "SELECT f.seq, f.start, a.id FROM flagged_spans f JOIN articles a ON a.id = f.article_id
	WHERE f.stage = 'frame' AND f.label = 'loaded' ORDER BY f.start DESC LIMIT 1")
want=$(python3 - "$SDB" "$lc" <<'PY'
import sqlite3, sys
seq, start, aid = sys.argv[2].split("|")
text = sqlite3.connect(sys.argv[1]).execute("SELECT text FROM articles WHERE id = ?", (aid,)).fetchone()[0]
b = text.encode()[: int(start)].decode()
print("%d:%d #%s" % (b.count("\n") + 1, len(b) - (b.rfind("\n") + 1) + 1, seq))
PY
)
check_grep "each flag at line:column with its id ($want)" "^    $want +.*\[" "$TMP/t80"
COLUMNS=60 "$REPORT" -c "$CONF" --db "$SDB" >"$TMP/t60"
check "wrapped to the width given" "0" "$(python3 -c 'import sys; print(sum(len(l.rstrip("\n")) > 60 for l in open(sys.argv[1], encoding="utf-8")))' "$TMP/t60")"
"$REPORT" -c "$CONF" --db "$SDB" --kind vague >"$TMP/tk"
check "--kind vague: only vague attributions" "Vague attribution" "$(grep -o '^  [A-Z][a-z ]* ([0-9]*)$' "$TMP/tk" | sed 's/ ([0-9]*)$//; s/^  //' | sort -u)"
check_rc "--kind with a kind that is not: exit 2" 2 "$REPORT" -c "$CONF" --db "$SDB" --kind loaded,nope
check_grep "names it" "no kind 'nope'" "$TMP/err"
"$REPORT" -c "$CONF" --db "$SDB" --json >"$TMP/j"
check "--json: one object per article" "5" "$(jq -c . "$TMP/j" | wc -l | tr -d ' ')"
check "--json: flags with line and column" "true" "$(jq -s '[.[].flags[] | (.line >= 1 and .column >= 1)] | all' "$TMP/j")"
check "--json: the findings by default" "false" "$(jq -s '[.[].flags[].kind] | any(. == "attributed")' "$TMP/j")"
"$REPORT" -c "$CONF" --db "$SDB" --json --min-weight 3 >"$TMP/jw"
check "--min-weight 3: every flag weighs 3 or more" "true" "$(jq -s '[.[].flags[] | .weight >= 3] | all' "$TMP/jw")"
check "--min-weight 3: some flags" "yes" "$([ "$(jq -s '[.[].flags[]] | length' "$TMP/jw")" -gt 0 ] && echo yes)"
"$REPORT" -c "$CONF" --db "$SDB" --json --outlet CiberCuba >"$TMP/jo"
check "--outlet: that outlet's articles only" "CiberCuba CiberCuba" "$(jq -r .publisher "$TMP/jo" | tr '\n' ' ' | sed 's/ $//')"
check_rc "--outlet the database does not know: exit 1" 1 "$REPORT" -c "$CONF" --db "$SDB" --outlet Nope
check_grep "--outlet the database does not know: said" "no outlet 'Nope' in the database" "$TMP/err"
one=$(jq -r .id "$TMP/jo" | head -1)
check "--article: that article" "$one" "$("$REPORT" -c "$CONF" --db "$SDB" --json --article "$one" | jq -r .id)"
check_rc "--kind with --html: exit 2" 2 "$REPORT" -c "$CONF" --db "$SDB" --html "$TMP/x" --kind loaded
if command -v script >/dev/null 2>&1 && script -qec true /dev/null >/dev/null 2>&1; then
	PAGER="cat >$TMP/paged" script -qec "'$REPORT' -c '$CONF' --db '$SDB'" /dev/null >/dev/null 2>&1
	check "on a terminal the report goes through \$PAGER" "1" "$(grep -c '5 articles from 3 outlets' "$TMP/paged" 2>/dev/null)"
	rm -f "$TMP/paged"
	PAGER="cat >$TMP/paged" "$REPORT" -c "$CONF" --db "$SDB" >/dev/null
	check "not through a pipe" "no" "$([ -e "$TMP/paged" ] && echo yes || echo no)"
else
	skip "pager: no 'script' to give a terminal"
fi

# Issue 19 item 10: a category table per article (LIWC-like) and keyness between groups.
check_rc "--categories tsv" 0 "$REPORT" -c "$CONF" --db "$SDB" --categories tsv
cp "$TMP/out" "$TMP/cat.tsv"
check "a row per article, and the header" "6" "$(wc -l <"$TMP/cat.tsv" | tr -d ' ')"
check "hits of a category = its annotations" "$(sqlite3 -batch "$SDB" "SELECT count(*) FROM annotations n WHERE json_extract(n.fields, '$.category') = 'pejorative_label' AND json_extract(n.fields, '$.lexicon') IS NOT NULL")" \
	"$(awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "pejorative_label") c = i; next } { s += $c } END { print s }' "$TMP/cat.tsv")"
check "rates per 1,000 words" "ok" "$(awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "pejorative_label") c = i; next }
	{ if (sprintf("%.2f", $c * 1000 / $3) != $(c + 1)) bad++ } END { print bad ? "bad" : "ok" }' "$TMP/cat.tsv")"
check "by voice: the voices add up" "ok" "$(awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "pejorative_label") c = i; if ($i ~ /^pejorative_label\./) v[i] = 1 } next }
	{ t = 0; for (i in v) t += $i; if (t != $c) bad++ } END { print bad ? "bad" : "ok" }' "$TMP/cat.tsv")"
check_rc "--categories csv" 0 "$REPORT" -c "$CONF" --db "$SDB" --categories csv
check_grep "comma-separated" '^article,publisher,words,' "$TMP/out"
check_rc "--categories xml: exit 2" 2 "$REPORT" -c "$CONF" --db "$SDB" --categories xml
check_rc "--keyness" 0 "$REPORT" -c "$CONF" --db "$SDB" --keyness CiberCuba --reference "The Washington Times,(unknown)"
cp "$TMP/out" "$TMP/key.tsv"
check_grep "a row per entry: hits in each group, G2, log ratio" '^term	target	reference	g2	log_ratio$' "$TMP/key.tsv"
# G2 of the first term, computed here from the hits and the groups' words.
first=$(sed -n 2p "$TMP/key.tsv")
words() { sqlite3 -batch "$SDB" "SELECT sum(a.words) FROM articles a JOIN article_publisher p ON p.article_id = a.id WHERE p.publisher IN ($1)"; }
c=$(words "'CiberCuba'") d=$(words "'The Washington Times', '(unknown)'")
check "G2 as Dunning's log-likelihood" "$(printf '%s' "$first" | cut -f4)" "$(printf '%s' "$first" | awk -F'\t' -v c="$c" -v d="$d" '
	function xl(o, e) { return o > 0 ? o * log(o / e) : 0 }
	{ a = $2; b = $3; n = c + d; g = 2 * (xl(a, c * (a + b) / n) + xl(b, d * (a + b) / n) + xl(c - a, c * (n - a - b) / n) + xl(d - b, d * (n - a - b) / n))
	  printf "%.3f", (a / c >= b / d) ? g : -g }')"
check_rc "--keyness without --reference: exit 2" 2 "$REPORT" -c "$CONF" --db "$SDB" --keyness CiberCuba
sq() { sqlite3 -batch "$SDB" "$1"; }
rows() { awk -v h="$2" 'index($0, h) { on = 1 } on && /<tr><td/ { n++ } on && /<\/table>/ { exit } END { print n + 0 }' "$1"; }
for pub in $(sq "SELECT DISTINCT replace(publisher, ' ', '_') FROM article_publisher"); do
	p=$(printf '%s' "$pub" | tr _ ' ')
	page=$(grep -l "<h1>$p</h1>" "$TMP/s1"/outlets/*.html | head -1)
	[ -n "$page" ] || continue
	# Issue 19: one row per source and how it was found (the view splits it by role and the rest).
	check "outlet '$p': a row per source" "$(sq "SELECT min(200, count(DISTINCT source || '|' || via)) FROM sources_cited WHERE outlet = '$p'")" "$(rows "$page" '<h2>Sources cited')"
	check "outlet '$p': terms = term_frequency's rows" "$(sq "SELECT min(200, count(*)) FROM term_frequency WHERE outlet = '$p'")" "$(rows "$page" '<h2>Loaded terms')"
	check "outlet '$p': mentions = sources_cited's" "$(sq "SELECT sum(mentions) FROM sources_cited WHERE outlet = '$p'")" \
		"$(awk 'index($0, "<h2>Sources cited") { on = 1 } on && /<tr><td/ { n = split($0, c, "data-v=\""); split(c[n - 1], v, "\""); s += v[1] } on && /<\/table>/ { exit } END { print s + 0 }' "$page")"
done

# Views: one SELECT each.
check "article_report" "c-good|Good News|1.0" \
	"$(q "SELECT article_id, publisher, attribution_coverage FROM article_report WHERE article_id = 'c-good'")"
check "outlet_summary" "Bad <b>Outlet</b>|1|0.0|Good News|1|1.0" \
	"$(q "SELECT publisher, articles, attribution_coverage FROM outlet_summary ORDER BY publisher" | tr '\n' '|' | sed 's/|$//')"
check "term_frequency" "regime|Bad <b>Outlet</b>|authorial|1" \
	"$(q "SELECT term, outlet, voice, hits FROM term_frequency")"
check "sources_cited" "attribution|The council|attributed|Good News|1" \
	"$(q "SELECT via, source, role, outlet, mentions FROM sources_cited")"
"$BIN/slant-score" -c "$CONF" --weight framing=0 <"$TMP/in.jsonl" | "$BIN/slant-store" -c "$CONF" --db "$DB" 2>"$TMP/err"
check "run_comparison: both runs side by side" "2" \
	"$(q "SELECT count(*) FROM run_comparison WHERE article_id = 'c-good'")"
check "run_summary: two runs" "2" "$(q 'SELECT count(*) FROM run_summary')"
check "the second run has a previous one" "1" \
	"$(q "SELECT count(*) FROM run_comparison WHERE article_id = '../evil id' AND previous_run IS NOT NULL")"

# Review decisions, as the article page exports them.
cat >"$TMP/dec.json" <<'EOF2'
{"format":1,"kind":"slant-decisions","decisions":[
{"article":"../evil id","start":79,"end":85,"stage":"frame","label":"loaded","entry":"regime","lexicon":"framing.tsv","text":"regime","decision":"accept"},
{"article":"../evil id","start":70,"end":82,"stage":"attrib","label":"hedge","entry":"said the","text":"x'); DROP TABLE decisions;--","decision":"reject"}]}
EOF2
check_rc "decisions imported" 0 "$BIN/slant-store" -c "$CONF" --db "$DB" --decisions "$TMP/dec.json"
check "per-entry precision is one query" "regime|1|0|1.0" \
	"$(q "SELECT entry, accepted, rejected, precision FROM decision_precision WHERE entry = 'regime'")"
check_rc "re-import replaces, never duplicates" 0 "$BIN/slant-store" -c "$CONF" --db "$DB" --decisions "$TMP/dec.json"
check "still two decisions" "2" "$(q 'SELECT count(*) FROM decisions')"
printf '{"decisions":[{"article":"a","start":3,"end":1,"stage":"frame","label":"loaded","decision":"accept"}]}' >"$TMP/bad.json"
check_rc "bad decision file: exit 1" 1 "$BIN/slant-store" -c "$CONF" --db "$DB" --decisions "$TMP/bad.json"
check_grep "bad decision located" "bad.json': decision 1: 'start' and 'end'" "$TMP/err"
printf '{"decisions": [' >"$TMP/trunc.json"
check_rc "truncated decision file: exit 1" 1 "$BIN/slant-store" -c "$CONF" --db "$DB" --decisions "$TMP/trunc.json"

# A database from before the views: the report makes its own for the session.
cp "$DB" "$TMP/old.db"
sqlite3 "$TMP/old.db" "DROP VIEW decision_precision; DROP VIEW article_report; DROP TRIGGER articles_score_insert; DROP TRIGGER articles_score_update; DROP TABLE scores; DROP TABLE score_components;"
chmod a-w "$TMP/old.db"
check_rc "report on an older file, read-only" 0 "$REPORT" -c "$CONF" --db "$TMP/old.db" c-good
check_grep "its score recovered from the record" "Score +[0-9.]+ / 100" "$TMP/out"

# The driver.
check_rc "slant report runs slant-report" 0 "$BIN/slant" report -c "$CONF" --db "$DB" --markdown c-good
check_grep "driver output is the report" "^### Calm headline" "$TMP/out"

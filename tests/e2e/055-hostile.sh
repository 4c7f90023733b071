#!/bin/sh
# Hostile input and real sizes (issue 20): gzip anywhere, control and bidi
# characters, crossing spans, bad numbers in the config, symbolic links out of
# the tree, unchecked dates and URLs, directories where files belong, and
# links planted in a report directory.
. tests/e2e/lib.sh
ING="$BIN/slant-ingest"
J() { jq -r "$@"; }
# A sanitizer build reserves terabytes of address space: no 'ulimit -v' then.
if ldd "$ING" 2>/dev/null | grep -q 'libasan\|libclang_rt.asan'; then
	vlimit=unlimited
else
	vlimit=262144 # KiB
fi

# ====== gzip by its magic bytes, wherever input comes from ======
printf '{"title":"One","text":"First body."}\n{"title":"Two","text":"Second body."}\n' >"$TMP/two.jsonl"
gzip -c "$TMP/two.jsonl" >"$TMP/two.jsonl.gz"
check_rc ".jsonl.gz: exit 0" 0 "$ING" "$TMP/two.jsonl.gz"
check ".jsonl.gz: one record per line" "One:1 Two:2" \
	"$(J '.title + ":" + (.source.line | tostring)' "$TMP/out" | tr '\n' ' ' | sed 's/ $//')"
check ".jsonl.gz: no message" "" "$(cat "$TMP/err")"
gzip -c "$TMP/two.jsonl" | "$ING" >"$TMP/out" 2>"$TMP/err"
check "gzip JSON Lines on stdin: one record per line" "One|jsonl Two|jsonl" \
	"$(J '.title + "|" + .source.type' "$TMP/out" | tr '\n' ' ' | sed 's/ $//')"
cp "$TMP/two.jsonl.gz" "$TMP/noext"
"$ING" "$TMP/noext" >"$TMP/out" 2>"$TMP/err"
check "gzip JSON Lines without an extension" "One Two" "$(J .title "$TMP/out" | tr '\n' ' ' | sed 's/ $//')"
printf 'Plain title\n\nPlain body.\n' | gzip -c | "$ING" >"$TMP/out" 2>"$TMP/err"
check "gzip text on stdin" "Plain title|text" "$(J '.title + "|" + .source.type' "$TMP/out")"
gzip -c "$FIX/ingest/article.html" | "$ING" - >"$TMP/out" 2>"$TMP/err"
check "gzip HTML on stdin" "html" "$(J .source.type "$TMP/out")"
# Two members in a row (cat a.gz b.gz) are one stream.
{ printf '{"title":"A","text":"a."}\n' | gzip -c; printf '{"title":"B","text":"b."}\n' | gzip -c; } >"$TMP/multi.jsonl.gz"
"$ING" "$TMP/multi.jsonl.gz" >"$TMP/out" 2>"$TMP/err"
check "gzip members in a row" "A B" "$(J .title "$TMP/out" | tr '\n' ' ' | sed 's/ $//')"
# Cut short: the whole lines are kept, the cut one and the cut stream are named.
awk 'BEGIN { for (i = 1; i <= 3000; i++) printf "{\"title\":\"T%d\",\"text\":\"Body %d of the stream, long enough to compress.\"}\n", i, i }' |
	gzip -c >"$TMP/big.jsonl.gz"
head -c "$(($(wc -c <"$TMP/big.jsonl.gz") / 2))" "$TMP/big.jsonl.gz" >"$TMP/cut.jsonl.gz"
check_rc "cut .jsonl.gz: exit 1" 1 "$ING" "$TMP/cut.jsonl.gz"
check_grep "cut .jsonl.gz: named" "^slant-ingest: '.*cut\.jsonl\.gz': gzip data ends early" "$TMP/err"
good=$(J 'select(.status != "error") | .title' "$TMP/out" | wc -l | tr -d ' ')
check "cut .jsonl.gz: the lines before the cut are kept" yes "$([ "$good" -gt 100 ] && echo yes || echo no)"
check "cut .jsonl.gz: the error is a record" "gzip data ends early" \
	"$(J 'select(.status == "error") | .errors[].message' "$TMP/out" | grep -o 'gzip data ends early' | head -1)"
printf 'not gzip\n' >"$TMP/fake.jsonl.gz"
check_rc "a .jsonl.gz that is not gzip: exit 1" 1 "$ING" "$TMP/fake.jsonl.gz"
check_grep "a .jsonl.gz that is not gzip: named" "fake\.jsonl\.gz': not gzip data" "$TMP/err"
# A gzip bomb of JSON Lines (one 200 MB line of zeros, 200 KB compressed) is read in bounded memory.
head -c 200000000 /dev/zero | gzip -1 -c >"$TMP/bomb.jsonl.gz"
(ulimit -v $vlimit 2>/dev/null; exec "$ING" "$TMP/bomb.jsonl.gz") >"$TMP/out" 2>"$TMP/err"
check "gzip bomb of JSON Lines: an error record, in bounded memory" "error" "$(J .status "$TMP/out")"

# ====== Bidirectional controls: removed by ingest, with a warning ======
printf '{"title":"Evil \\u202eelttit\\u202c","text":"The re\\u2066gime\\u2069 spoke.","byline":"A \\u202aB"}\n' >"$TMP/bidi.jsonl"
check_rc "bidi controls: the article is kept (exit 0)" 0 "$ING" "$TMP/bidi.jsonl"
check "bidi controls: none left in any field" 0 \
	"$(grep -c "$(printf '\342\200[\252-\256]\|\342\201[\246-\251]')" "$TMP/out")"
check "bidi controls: the text reads as stored" "Evil elttit|The regime spoke.|A B" \
	"$(J '[.title, (.text | split("\n\n")[1]), .byline] | join("|")' "$TMP/out")"
check_grep "bidi controls: warned with file and line" "bidi\.jsonl:1: 5 bidirectional control characters removed" "$TMP/err"
check "bidi controls: noted in errors" 1 "$(J '.errors | length' "$TMP/out")"

# ====== Numbers in pipeline.conf: NaN and infinities are not numbers ======
for v in nan NaN inf -infinity 1e999; do
	printf '[ingest]\nmax_text = %s\n' "$v" >"$TMP/nan.conf"
	check_rc "max_text = $v: exit 2" 2 "$ING" --config "$TMP/nan.conf" "$TMP/two.jsonl"
	check_grep "max_text = $v: named with file and line" "nan\.conf:2: .*not a (finite )?number" "$TMP/err"
done
printf '[segment]\nmax_quote = nan\n' >"$TMP/nan.conf"
printf 'T\n\nBody.\n' | "$ING" | "$BIN/slant-segment" --config "$TMP/nan.conf" >/dev/null 2>"$TMP/err"
check "segment.max_quote = nan: exit 2" 2 "$?"
printf '[score]\nweight_framing = inf\n' >"$TMP/nan.conf"
"$BIN/slant-score" --config "$TMP/nan.conf" </dev/null >/dev/null 2>"$TMP/err"
check "score.weight_framing = inf: exit 2" 2 "$?"
"$BIN/slant-score" --weight framing=nan </dev/null >/dev/null 2>"$TMP/err"
check "--weight framing=nan: exit 2" 2 "$?"

# ====== Symbolic links out of the tree are not followed unless asked ======
mkdir -p "$TMP/tree/sub" "$TMP/outside"
printf 'Secret\n\nroot:x:0:0 outside the tree.\n' >"$TMP/outside/secret.txt"
printf 'Inside\n\nAn article in the tree.\n' >"$TMP/tree/sub/inside.txt"
ln -s "$TMP/outside/secret.txt" "$TMP/tree/escape.txt"
ln -s ../../outside/secret.txt "$TMP/tree/sub/relative.txt"
ln -s sub/inside.txt "$TMP/tree/alias.txt"
check_rc "links out of the tree: exit 0" 0 "$ING" "$TMP/tree"
check "links out of the tree: not read; a link inside it is" "Inside Inside" \
	"$(J .title "$TMP/out" | tr '\n' ' ' | sed 's/ $//')"
check "links out of the tree: each named in a warning" 2 \
	"$(grep -c "not following a symbolic link out of '.*tree'" "$TMP/err")"
check_rc "--follow-links: exit 0" 0 "$ING" --follow-links "$TMP/tree"
check "--follow-links: read" "Inside Secret Inside Secret" "$(J .title "$TMP/out" | tr '\n' ' ' | sed 's/ $//')"
check_rc "a link named on the command line is read" 0 "$ING" "$TMP/tree/escape.txt"

# ====== 'published' and 'url' from JSON Lines are checked ======
cat >"$TMP/meta.jsonl" <<'JSONL'
{"title":"Good","text":"Body.","published":"2024-05-02T08:15:00Z","url":"https://news.example.org/a"}
{"title":"Bad date","text":"Body.","published":"last Tuesday","url":"javascript:alert(1)"}
{"title":"Bad month","text":"Body.","date":"2024-13-02","url":"https://ex ample.org/"}
{"title":"Not strings","text":"Body.","published":20240502,"url":["https://x.org/"]}
{"title":"Date only","text":"Body.","published":" 2024-05-02 ","url":"http://news.example.org/b?q=1#c"}
JSONL
check_rc "checked meta: every article kept (exit 0)" 0 "$ING" "$TMP/meta.jsonl"
check "checked meta: valid values kept, invalid left out" \
	"Good|2024-05-02T08:15:00Z|https://news.example.org/a Bad date|-|- Bad month|-|- Not strings|-|- Date only|2024-05-02|http://news.example.org/b?q=1#c" \
	"$(J '[.title, (.published // "-"), (.url // "-")] | join("|")' "$TMP/out" | tr '\n' ' ' | sed 's/ $//')"
check_grep "checked meta: a bad date named with input and line" \
	"meta\.jsonl:2: 'published' is not an ISO 8601 date .*: 'last Tuesday'; left out" "$TMP/err"
check_grep "checked meta: a bad URL named with input and line" \
	"meta\.jsonl:2: 'url' is not an absolute http\(s\) URL: 'javascript:alert\(1\)'; left out" "$TMP/err"
check_grep "checked meta: the key that held it is named" "meta\.jsonl:3: 'date' is not an ISO 8601 date" "$TMP/err"
check_grep "checked meta: a value that is not a string is named" "meta\.jsonl:4: 'published' is not a string; left out" "$TMP/err"
check "checked meta: the bad value is kept in the record's errors" "last Tuesday" \
	"$(J 'select(.title == "Bad date") | .errors[].message' "$TMP/out" | grep -o 'last Tuesday')"

# ====== A directory where a file belongs: said plainly, exit 2 ======
mkdir -p "$TMP/adir"
check_rc "slant-report --db DIR: exit 2" 2 "$BIN/slant-report" --db "$TMP/adir"
check "slant-report --db DIR: said plainly" "slant-report: '$TMP/adir' is a directory, not a database file" "$(cat "$TMP/err")"
check_rc "slant-report --html with --db DIR: exit 2" 2 "$BIN/slant-report" --db "$TMP/adir" --html "$TMP/site"
check_rc "slant-report --compare DIR DIR: exit 2" 2 "$BIN/slant-report" --compare "$TMP/adir" "$TMP/adir"
check_rc "slant-lexicon lint DIR: exit 2" 2 "$BIN/slant-lexicon" lint "$TMP/adir"
check "slant-lexicon lint DIR: said plainly, no 'finding'" "slant-lexicon: '$TMP/adir' is a directory, not a file" "$(cat "$TMP/err")"
check_rc "slant-lexicon stats DIR: exit 2" 2 "$BIN/slant-lexicon" stats "$TMP/adir"
check "slant-lexicon stats DIR: no empty tables" "" "$(cat "$TMP/out")"

# ====== slant-report --html never writes through links planted in DIR ======
CONF=$(pwd)/pipeline.conf
DB=$TMP/site.db
printf '{"format":1,"id":"c-one","title":"One","text":"One\\n\\nA body.","outlet":{"name":"Good News"},"stages":["ingest","segment","frame","attrib"],"annotations":[{"stage":"segment","label":"headline","start":0,"end":3,"text":"One"}]}\n' |
	"$BIN/slant-score" -c "$CONF" | "$BIN/slant-store" -c "$CONF" --db "$DB" 2>"$TMP/err"
mkdir -p "$TMP/site/articles" "$TMP/victim"
printf 'precious\n' >"$TMP/victim/index"
printf 'precious\n' >"$TMP/victim/article"
ln -s "$TMP/victim/index" "$TMP/site/index.html"
ln -s "$TMP/victim/article" "$TMP/site/articles/c-one.html"
ln -s "$TMP/victim" "$TMP/site/outlets"
check_rc "--html over planted links: refused (exit 3)" 3 "$BIN/slant-report" -c "$CONF" --db "$DB" --html "$TMP/site"
check_grep "--html: a linked subdirectory is named" "'.*site/outlets' is a symbolic link" "$TMP/err"
check "--html: the link targets are untouched" "precious precious" "$(cat "$TMP/victim/index" "$TMP/victim/article" | tr '\n' ' ' | sed 's/ $//')"
check "--html: nothing written into the linked directory" "article index" "$(ls "$TMP/victim" | tr '\n' ' ' | sed 's/ $//')"
rm "$TMP/site/outlets"
check_rc "--html over planted page links: exit 0" 0 "$BIN/slant-report" -c "$CONF" --db "$DB" --html "$TMP/site"
check "--html: the targets of page links are untouched" "precious precious" "$(cat "$TMP/victim/index" "$TMP/victim/article" | tr '\n' ' ' | sed 's/ $//')"
check "--html: the links were replaced by pages" "no no" \
	"$([ -L "$TMP/site/index.html" ] && echo yes || echo no) $([ -L "$TMP/site/articles/c-one.html" ] && echo yes || echo no)"
check_grep "--html: the page is written" "One" "$TMP/site/articles/c-one.html"
check "--html: no temporary files left" "" "$(find "$TMP/site" -name '*.tmp*')"

# ====== Offsets: one document view, one policy, in every stage (items 4 and 5) ======
# A quotation whose content starts far past the text (slant-attrib read past
# it), paragraphs out of order (slant-affil asked for 2^64 bytes): each stage
# rejects the record, says which annotation, and goes on with the next line.
seg='{"stage":"segment","label":"headline","start":0,"end":5},{"stage":"segment","label":"sentence","start":7,"end":22,"paragraph":1}'
printf '%s\n' \
	"{\"id\":\"far\",\"title\":\"Title\",\"text\":\"Title\n\n“Hi,” said.\",\"stages\":[\"ingest\",\"segment\"],\"annotations\":[$seg,{\"stage\":\"segment\",\"label\":\"quote\",\"start\":7,\"end\":16,\"content_start\":9000000000,\"content_end\":9000000001,\"kind\":\"direct\"}]}" \
	"{\"id\":\"order\",\"title\":\"Title\",\"text\":\"Title\n\nOne. Two.\",\"stages\":[\"ingest\",\"segment\"],\"annotations\":[{\"stage\":\"segment\",\"label\":\"paragraph\",\"start\":7,\"end\":16},{\"stage\":\"segment\",\"label\":\"paragraph\",\"start\":0,\"end\":5}]}" \
	'{"id":"good","title":"Title","text":"Title\n\nFine."}' >"$TMP/spans.jsonl"
"$BIN/slant-segment" <"$TMP/spans.jsonl" >"$TMP/spans.seg" 2>/dev/null
for st in attrib affil score; do
	check_rc "slant-$st: bad spans rejected, exit 1" 1 "$BIN/slant-$st" <"$TMP/spans.seg"
	check_grep "slant-$st: content_start past the text, named" \
		"error \\(at <stdin>:1\\): annotation 2 \\(segment/quote\\): 'content_start' is not an offset into the text" "$TMP/err"
	check_grep "slant-$st: paragraphs out of order, named" \
		"error \\(at <stdin>:2\\): annotation 1: segment paragraph out of order" "$TMP/err"
	check "slant-$st: every record out, the good one processed" "far:error order:error good:ok" \
		"$(J '.id + ":" + (.status // "ok")' "$TMP/out" | tr '\n' ' ' | sed 's/ $//')"
done

# ====== A stage run twice (item 14): rejected, or harmless where it replaces ======
printf '%s\n' '{"id":"t","title":"Regime thugs","text":"Regime thugs\n\nThe regime fell, critics say."}' |
	"$BIN/slant-segment" | "$BIN/slant-attrib" | "$BIN/slant-frame" >"$TMP/once.jsonl"
for st in attrib frame; do
	check_rc "slant-$st twice: rejected, exit 1" 1 "$BIN/slant-$st" <"$TMP/once.jsonl"
	check_grep "slant-$st twice: said" "record has been through slant-$st already" "$TMP/err"
	check "slant-$st twice: no annotation added" \
		"$(jq '.annotations | length' "$TMP/once.jsonl")" "$(J '.annotations | length' "$TMP/out")"
done
"$BIN/slant-affil" <"$TMP/once.jsonl" >"$TMP/affil.jsonl"
check_rc "slant-affil twice: rejected, exit 1" 1 "$BIN/slant-affil" <"$TMP/affil.jsonl"
"$BIN/slant-score" <"$TMP/affil.jsonl" >"$TMP/s1.jsonl"
check_rc "slant-score twice: allowed (it replaces its report)" 0 "$BIN/slant-score" <"$TMP/s1.jsonl"
check "slant-score twice: the same score, listed once" \
	"$(J '[.report.score, (.stages | join(" "))] | map(tostring) | join("|")' "$TMP/s1.jsonl")" \
	"$(J '[.report.score, (.stages | join(" "))] | map(tostring) | join("|")' "$TMP/out")"
"$BIN/slant-segment" <"$TMP/once.jsonl" >"$TMP/seg2.jsonl"
check_diff "slant-segment over its own output: nothing changes" "$TMP/once.jsonl" "$TMP/seg2.jsonl"

#!/bin/sh
# slant-lexicon: lint, stats, test, import; and slant-report --kwic / --compare.
. tests/e2e/lib.sh
LX="$BIN/slant-lexicon"
G="$FIX/gold"

check_rc "--help" 0 "$LX" --help
check_grep "--help lists the commands" 'import --liwc DIC' "$TMP/out"
check_rc "no command" 2 "$LX"
check_rc "unknown command" 2 "$LX" frobnicate
check_grep "named" "unknown command 'frobnicate'" "$TMP/err"

# ====== lint ======
check_rc "lint finds problems: exit 1" 1 "$LX" lint --corpus "$G/corpus.txt" --max-forms 5 "$G/lint.tsv"
check_grep "duplicate, located" "lint.tsv:11: duplicate entry 'Thugs'" "$TMP/err"
check_grep "literal after a wildcard is shadowed" "lint.tsv:4: shadowed: 'dictators' is never matched: 'dictator\\*'" "$TMP/out"
check_grep "literal a later wildcard covers is redundant" "lint.tsv:5: redundant: 'tyrant' is covered by 'tyrant\\*'" "$TMP/out"
check_grep "wildcard under a shorter earlier one is shadowed" "lint.tsv:13: shadowed: 'dictatorial\\*'" "$TMP/out"
check_grep "entry without a source" "lint.tsv:7: no source: 'regime'" "$TMP/out"
check_grep "wildcard matching too much" "lint.tsv:8: too broad: 'a\\*' matches 11 distinct forms" "$TMP/out"
check_grep "regex matching too much" "lint.tsv:9: too broad: 're:.*' matches 13 distinct forms" "$TMP/out"
check "nothing else flagged" 6 "$(wc -l <"$TMP/out" | tr -d ' ')"
cat "$SEEDS"/* >"$TMP/seeds.txt"
check_rc "the shipped framing lexicon is clean" 0 "$LX" lint --corpus "$TMP/seeds.txt" lexicons/framing.tsv
# Issue 19 item 9: a corpus directory is every file under it, not "Is a directory".
check_rc "a corpus directory" 0 "$LX" lint --corpus "$SEEDS" lexicons/framing.tsv
check "its files are read" "" "$(grep -i 'directory' "$TMP/err")"
check_rc "an unreadable corpus is an error" 2 "$LX" lint --corpus "$TMP/none.txt" lexicons/framing.tsv
printf '@category	loaded	fixture
mercenary	loaded	2	-	-	fixture
mercenar*	loaded	2	-	hired _	fixture
' >"$TMP/shadow.tsv"
check_rc "a wildcard's exclusions shadowed by an earlier literal" 1 "$LX" lint --corpus "$TMP/seeds.txt" "$TMP/shadow.tsv"
check_grep "is a finding" "shadow.tsv:3: shadowed exclusions: 'mercenary' \(shadow.tsv:2\) comes first" "$TMP/out"
printf 'The brutal regime.\n' >"$TMP/t.txt"
check_rc "test LEXICON FILE reads the file" 0 "$LX" test "$G/lexicon.tsv" "$TMP/t.txt"
check_grep "its text matched" '^4-17	brutal regime	lexicon.tsv:2' "$TMP/out"
check_grep "and says so" "reading the file" "$TMP/err"
# The register (issue 17): its own checks, beside affil_cues.tsv for the masthead words.
mkdir -p "$TMP/reg"
cp lexicons/affil_cues.tsv "$TMP/reg/"
{
	printf 'id\tname\taliases\tdomains\tcountry\tkind\townership\tcontrol\tsmm_typology\tconflict_party\tparent\tmatch\tflags\tsource\tchecked\n'
	printf 'post-us\tThe Daily Post\tPost|DP\tpost.example\tUS\tnews_outlet\tprivate\t\t\t\t\ttext\t\thttps://post.example/about\tno\n'
	printf 'abc-us\tABC News\tABC\tabc.example\tUS\tbroadcaster\tprivate\t\t\t\t\ttext\t\thttps://abc.example/\tno\n'
	printf 'abc-au\tAustralian Broadcasting Corporation\tABC\tabc.example.au\tAU\tbroadcaster\tpublic_service\t\t\t\t\ttext\t\tWikipedia, from memory\tno\n'
	printf 'dup-us\tDup\t\tpost.example\tUS\tnews_outlet\tprivate\t\t\t\t\ttext\t\thttps://dup.example/\tmaybe\n'
	printf 'star-gb\tStar\t\t\tGB\tnews_outlet\tprivate\t\t\t\t\ttext\t\thttps://star.example/\tno\n'
} >"$TMP/reg/outlets.tsv"
check_rc "register lint finds problems: exit 1" 1 "$LX" lint "$TMP/reg/outlets.tsv"
check_grep "a common word as an alias" "outlets.tsv:2: common word: alias 'Post' of 'post-us'" "$TMP/out"
check_grep "a common word as a text-matched name" "outlets.tsv:6: common word: name 'Star'" "$TMP/out"
check_grep "an alias shared across countries" "outlets.tsv:3: shared: 'ABC' names abc-us \\(US\\) and abc-au \\(AU\\)" "$TMP/out"
check_grep "an entry without a source URL" "outlets.tsv:4: no source URL: 'abc-au'" "$TMP/out"
check_grep "a bad checked value, located" "outlets.tsv:5\\): checked 'maybe'" "$TMP/err"
sed -i '/^dup-us/d' "$TMP/reg/outlets.tsv"
printf 'dup-us\tDup\t\tpost.example\tUS\tnews_outlet\tprivate\t\t\t\t\ttext\t\thttps://dup.example/\tno\n' >>"$TMP/reg/outlets.tsv"
check_rc "duplicate domain: exit 1" 1 "$LX" lint "$TMP/reg/outlets.tsv"
check_grep "a duplicate domain, located" "outlets.tsv:6\\): domain 'post.example' already belongs to 'post-us'" "$TMP/err"
check_rc "the shipped register loads (findings are for review)" 1 "$LX" lint lexicons/outlets.tsv
check_grep "no common-word alias in the shipped register" "lint: lexicons/outlets.tsv: [0-9]+ entries" "$TMP/err"
if grep -q 'common word' "$TMP/out"; then notok "shipped register has common-word aliases"; grep 'common word' "$TMP/out" | head -5; else ok "shipped register has no common-word aliases"; fi
check_rc "lint of a missing file" 2 "$LX" lint "$TMP/none.tsv"
check_rc "lint without files" 2 "$LX" lint
check_rc "bad --max-forms" 2 "$LX" lint --max-forms 0 "$G/lint.tsv"

# ====== stats ======
check_rc "stats" 0 "$LX" stats "$G/lexicon.tsv"
check_grep "kinds" 'entries 8: words 7 \(phrases 1\), wildcards 1, regexes 0; with a neutral alternative 2, with exclusions 1' "$TMP/out"
check_grep "per category with weights" '^loaded +8 +1.00 +2.12 +3.00' "$TMP/out"
check_grep "sources" '^test +8$' "$TMP/out"

# ====== test ======
check_rc "test a text" 0 "$LX" test "$G/lexicon.tsv" "The brutal regime and the tax regime."
check_grep "match with offsets, entry, file:line" '^4-17	brutal regime	lexicon.tsv:2	loaded	3	government' "$TMP/out"
check_grep "overlapped match shown" "^11-17	regime	lexicon.tsv:3	overlapped" "$TMP/out"
check_grep "exclusion that fired" "^30-36	regime	lexicon.tsv:3	excluded by 'tax _'" "$TMP/out"
check_grep "with its context" "the tax  \\[regime\\] \\." "$TMP/out"
printf 'Critics said it was a catastrophe.\n' >"$TMP/t.txt"
check_rc "test --text FILE" 0 "$LX" test --text "$TMP/t.txt" "$G/lexicon.tsv"
check_grep "wildcard match" '^22-33	catastroph\*' "$TMP/out"
check_rc "test an entry's own term shows the entry" 0 "$LX" test "$G/lexicon.tsv" "so-called"
check_grep "entry line" "^entry 'so-called' \\(lexicon.tsv:6\\): category loaded, weight 2" "$TMP/out"
check_rc "test with a bad lexicon" 2 "$LX" test "$G/lint.tsv" "x"
check_rc "test without text" 2 "$LX" test

# ====== import ======
check_rc "import --liwc" 0 "$LX" import --liwc "$G/small.dic"
cp "$TMP/out" "$TMP/liwc.tsv"
check_grep "categories declared" '^@category	posemo	posemo \(positive emotion\)' "$TMP/liwc.tsv"
check_grep "wildcard kept" '^hate\*	negemo	1	-	-	imported from' "$TMP/liwc.tsv"
# Issue 19 item 10: a word in several LIWC categories keeps every one.
check_grep "every category of a multi-category word" '^bittersweet	posemo,negemo	1	-	-	imported from' "$TMP/liwc.tsv"
check_grep "phrase kept" '^kind of	posemo' "$TMP/liwc.tsv"
check_grep "LIWC conditional entry skipped, said" "small.dic:9: '\\(53 83\\)like' skipped" "$TMP/err"
check_grep "unknown category number, said" "small.dic:10: 'sad': category '9' not in the header" "$TMP/err"
check_rc "the import loads" 0 "$LX" stats "$TMP/liwc.tsv"
printf 'A bittersweet day\n\nIt was a bittersweet ending.\n' >"$TMP/bs.txt"
"$BIN/slant-ingest" "$TMP/bs.txt" | "$BIN/slant-segment" | "$BIN/slant-attrib" |
	"$BIN/slant-frame" --lexicon "$TMP/liwc.tsv" >"$TMP/bs.jsonl"
check "frame gives every category" '["posemo","negemo"]' "$(jq -c '[.annotations[] | select(.stage == "frame") | .categories][0]' "$TMP/bs.jsonl")"
"$BIN/slant-store" --db "$TMP/bs.db" <"$TMP/bs.jsonl" 2>/dev/null
"$BIN/slant-report" --db "$TMP/bs.db" --categories tsv >"$TMP/bs.tsv"
check "--categories counts the word in each" "2 2" "$(awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "posemo") p = i; if ($i == "negemo") n = i } next } { print $p, $n }' "$TMP/bs.tsv")"
check_rc "import one LIWC category" 0 "$LX" import --liwc "$G/small.dic" --category negemo
check "only negemo entries" "hate* bittersweet" "$(grep -v '^[#@t]' "$TMP/out" | cut -f1 | tr '\n' ' ' | sed 's/ $//')"
check_rc "import --words" 0 "$LX" import --words "$G/words.txt" --category "Pejorative Label" --weight 2
check_grep "category made a name" '^regime	pejorative_label	2	-	-	imported from' "$TMP/out"
check_grep "repeated word said" "words.txt:4: 'Regime' repeated" "$TMP/err"
check_grep "unmatchable word said" "words.txt:5: 'U.S.' skipped" "$TMP/err"
check_rc "import --words without --category" 2 "$LX" import --words "$G/words.txt"
check_rc "import with a bad weight" 2 "$LX" import --words "$G/words.txt" --category x --weight 11
printf '%%\n1\tposemo\n' >"$TMP/bad.dic"
printf 'happy\t1\n' >"$TMP/nohead.dic"
check_rc "LIWC file without a header" 2 "$LX" import --liwc "$TMP/nohead.dic"
check_grep "located" "nohead.dic:1\\): a LIWC dictionary starts with" "$TMP/err"
printf '\377\n' >"$TMP/latin.txt"
check_rc "non-UTF-8 word list" 2 "$LX" import --words "$TMP/latin.txt" --category x
check_rc "write error" 3 sh -c "'$LX' stats '$G/lexicon.tsv' >/dev/full"

# ====== slant-report --kwic and --compare ======
"$BIN/slant" run --db "$TMP/a.db" "$SEEDS" >/dev/null 2>&1
grep -v '^regime	' lexicons/framing.tsv >"$TMP/framing.tsv"
top=$(pwd)
cat >"$TMP/b.conf" <<CONF
[pipeline]
db = $TMP/b.db
[frame]
lexicon = $TMP/framing.tsv
[attrib]
reporting_verbs = $top/lexicons/reporting_verbs.tsv
weasel = $top/lexicons/weasel.tsv
hedges = $top/lexicons/hedges.tsv
boilerplate = $top/lexicons/boilerplate.tsv
[affil]
register = $top/lexicons/outlets.tsv
cues = $top/lexicons/affil_cues.tsv
CONF
"$BIN/slant" run -c "$TMP/b.conf" "$SEEDS" >/dev/null 2>&1
check_rc "--kwic" 0 "$BIN/slant-report" --db "$TMP/a.db" --kwic regime --sort outlet
check_grep "headline hit with outlet and voice" 'CiberCuba +headline .* \[regime\]' "$TMP/out"
check_grep "authorial hit" 'authorial .*the Cuban  \[regime\]  seeks' "$TMP/out"
check_grep "count" "hits of 'regime'" "$TMP/err"
check "sorted by outlet" "$(cut -c22-41 "$TMP/out" | sort -s)" "$(cut -c22-41 "$TMP/out")"
check_rc "--kwic of a term never flagged" 0 "$BIN/slant-report" --db "$TMP/a.db" --kwic zzzz
check_grep "zero hits" "0 hits of 'zzzz'" "$TMP/err"
check_rc "--sort nonsense" 2 "$BIN/slant-report" --db "$TMP/a.db" --kwic regime --sort date
# Issue 19 item 9: a window of one's choosing, and globs.
check_rc "--kwic --window 10" 0 "$BIN/slant-report" --db "$TMP/a.db" --kwic regime --window 10
check "ten bytes of context at most either side" "0" "$(awk -F' \\[|\\] ' '{ if (length($1) - 53 > 12 || length($3) > 12) n++ } END { print n + 0 }' "$TMP/out")"
check_grep "narrower than the default" 'authorial +the Cuban  \[regime\]  seeks' "$TMP/out"
check_rc "--kwic 'regime*' is a glob" 0 "$BIN/slant-report" --db "$TMP/a.db" --kwic 'regime*'
check_grep "it takes 'regimes'" '\[regimes\]' "$TMP/out"
check_grep "and 'regime'" '\[regime\]' "$TMP/out"
check_rc "--window 0: exit 2" 2 "$BIN/slant-report" --db "$TMP/a.db" --kwic regime --window 0
check_rc "--compare" 0 "$BIN/slant-report" --compare "$TMP/a.db" "$TMP/b.db"
check_grep "lexicon hash changed" 'lexicon frame:framing.tsv +changed' "$TMP/out"
check_grep "others unchanged" 'lexicon attrib:hedges.tsv +unchanged' "$TMP/out"
check_grep "the entry removed: its annotations gone" '^frame +loaded +regime +[1-9][0-9]* +0$' "$TMP/out"
check_grep "and shown in context (issue 19 item 9)" '^gone frame/loaded regime +c-[0-9a-f]+ .*\[regime\]' "$TMP/out"
check "at most three of a group" "3" "$(grep -c '^gone frame/loaded regime ' "$TMP/out")"
check_rc "--compare a file with itself" 3 "$BIN/slant-report" --compare "$TMP/a.db" "$TMP/a.db"
check_rc "--compare with one file" 2 "$BIN/slant-report" --compare "$TMP/a.db"
check_rc "--compare with a missing file (no database file: 2, as for --db)" 2 "$BIN/slant-report" --compare "$TMP/a.db" "$TMP/none.db"

#!/bin/sh
# slant-affil: the seeds' publishers, cited outlets and their affiliations;
# HTML metadata resolved in the register; a broken register and bad input.
. tests/e2e/lib.sh
AFF="$BIN/slant-affil"
REG=$(pwd)/lexicons/outlets.tsv
J() { jq -r "$@"; }

# Until slant-segment exists, mark the records as segmented (affil falls back
# to blank-line paragraphs when segment's annotations are absent).
segment() {
	if [ -x "$BIN/slant-segment" ]; then "$BIN/slant-segment"; else jq -c '.stages += ["segment"]'; fi
}

"$BIN/slant-ingest" "$SEEDS"/0*.txt | segment >"$TMP/seg"
check_rc "seeds pass" 0 "$AFF" --register "$REG" <"$TMP/seg"
cp "$TMP/out" "$TMP/aff"
check "five records out" 5 "$(wc -l <"$TMP/aff" | tr -d ' ')"
pub() { J --arg f "$1" 'select(.source.path | endswith($f)) | .publisher | if . == null then "none" else "\(.entry) \(.found_by)" end' "$TMP/aff"; }
ann() { J --arg f "$1" --arg t "$2" 'select(.source.path | endswith($f)) | .annotations[] | select(.stage == "affil" and .label == "outlet" and .text == $t) | '"$3" "$TMP/aff" | head -1; }

# ====== Publishers: where the text gives one ======
check "000: CiberCuba from its trailer" "cibercuba trailer" "$(pub 000_7bf5dbbb5adf2aa7.txt)"
check "002: CiberCuba from its trailer" "cibercuba trailer" "$(pub 002_5908578a15ea984f.txt)"
check "003: 'Source: WT' is the Washington Times" "washington-times-us trailer" "$(pub 003_8684e471e390c72c.txt)"
check "001: the text names no publisher" "none" "$(pub 001_de46c21c1fbc89a5.txt)"
check "004: the text names no publisher" "none" "$(pub 004_8cfc8557c1524ca0.txt)"
check "000: 'Photo (c) Cubadebate' is a photo credit" "photo_credit cubadebate-cu" \
	"$(ann 000_7bf5dbbb5adf2aa7.txt Cubadebate '"\(.role) \(.entry)"')"
check "000: byline is the editorial team" "team" "$(J 'select(.source.path | endswith("000_7bf5dbbb5adf2aa7.txt")) | .byline_kind' "$TMP/aff")"

# ====== The Putin article: RT, GUR ======
check "002: RT state-affiliated, disclosed as state media" "rt-ru true true state media" \
	"$(ann 002_5908578a15ea984f.txt 'Russia Today (RT)' '"\(.entry) \(.state_affiliated) \(.disclosed) \(.disclosure)"')"
check "002: GUR is the intelligence service of a party to the war" \
	"gur-ua military_intelligence russia-ukraine war: ukraine true" \
	"$(ann 002_5908578a15ea984f.txt 'Ukrainian military intelligence (GUR)' '"\(.entry) \(.kind) \(.conflict_party) \(.disclosed)"')"
check "002: Forbes and EFE cited" "cited_source cited_source" \
	"$(ann 002_5908578a15ea984f.txt Forbes .role) $(ann 002_5908578a15ea984f.txt EFE .role)"

# ====== Belta ======
check "001: Belta state-owned; 'the official Belta agency' discloses it" "state_owned true official" \
	"$(ann 001_de46c21c1fbc89a5.txt Belta '"\(.ownership) \(.disclosed) \(.disclosure)"')"

# ====== The op-ed ======
check "003: three authors' affiliations" \
	"ADN America|ADN Cuba|Assembly of the Cuban Resistance|U.S. Office of Cuba Broadcasting|Washington Times" \
	"$(J 'select(.source.path | endswith("003_8684e471e390c72c.txt")) | .annotations[] | select(.role == "author_affiliation") | .text' "$TMP/aff" | sort | paste -sd'|' -)"
check "003: authors named" "Gelet Martinez Fragela|Jeffrey Scott Shapiro|Orlando Gutierrez Boronat" \
	"$(J 'select(.source.path | endswith("003_8684e471e390c72c.txt")) | .annotations[] | select(.role == "author_affiliation") | .person' "$TMP/aff" | sort -u | paste -sd'|' -)"
check "003: Radio and Television Marti government-funded, disclosed" "government_funded_international true" \
	"$(ann 003_8684e471e390c72c.txt 'Radio and Television Martí' '"\(.ownership) \(.disclosed)"')"
# Opinion comes from metadata and labels only: the plain-text op-ed carries none,
# and its contributors' note is a paragraph of the body, no label (issue 16).
check "no article without a label is opinion, the op-ed's note included" "false false false false false" \
	"$(J '.opinion.is_opinion' "$TMP/aff" | paste -sd' ' -)"
check "unknown organisations are listed" "yes" \
	"$(J '[.annotations[] | select(.stage == "affil" and .label == "unknown")] | length' "$TMP/aff" | awk '{s+=$1} END {print (s > 0 ? "yes" : "no")}')"

# ====== HTML metadata: og:site_name and domain ======
cat >"$TMP/belta.html" <<'HTML'
<html><head><title>Minsk talks</title><meta property="og:site_name" content="BelTA">
<link rel="canonical" href="https://www.belta.by/politics/view/talks-1.html"></head>
<body><article><h1>Minsk talks</h1><p>The ministers met in Minsk on Tuesday to discuss trade and defence.</p>
<p>They agreed to meet again next year, the ministry said.</p></article></body></html>
HTML
"$BIN/slant-ingest" "$TMP/belta.html" | segment | "$AFF" --register "$REG" >"$TMP/html" 2>"$TMP/err"
check "HTML: publisher from the register" "belta-by state_owned true" \
	"$(J '.publisher | "\(.entry) \(.ownership) \(.state_affiliated)"' "$TMP/html")"
printf '{"id":"h","outlet":{"domain":"sports.cctv.com"},"text":"T\\n\\nBody."}\n' | jq -c '.stages = ["ingest","segment"]' >"$TMP/in"
check "a subdomain walks up to the registered domain" "china-central-television-cn domain" \
	"$("$AFF" --register "$REG" <"$TMP/in" | J '"\(.publisher.entry) \(.publisher.found_by)"')"

# ====== Origin of republished copy (issue 17), through score, store and every report ======
printf '%s\n' '{"id":"c-origin","outlet":{"name":"Some Portal"},"text":"Sanctions\n\nTehran rejected the sanctions, Press TV said.\n\nThis article has been adapted from its original source. Copyright \u00a9 2019 Press TV"}' \
	| jq -c '.stages = ["ingest"]' | segment >"$TMP/o-seg"
"$AFF" --register "$REG" <"$TMP/o-seg" >"$TMP/o-aff"
check "origin: Press TV, by its credit, state-affiliated" "press-tv-ir origin_credit true" \
	"$(J '"\(.origin.entry) \(.origin.found_by) \(.origin.state_affiliated)"' "$TMP/o-aff")"
check "the publisher stays the portal" "Some Portal" "$(J '.publisher.name' "$TMP/o-aff")"
CONF=$(pwd)/pipeline.conf
"$BIN/slant-score" -c "$CONF" <"$TMP/o-aff" | "$BIN/slant-store" -c "$CONF" --db "$TMP/o.db" 2>"$TMP/err"
check "the transparency detail names the state-affiliated origin" "yes" \
	"$(sqlite3 "$TMP/o.db" "SELECT json_extract(extra, '$.report.components') FROM articles" | grep -q 'state-affiliated outlet, Press TV' && echo yes || echo no)"
check "article_origin view" "c-origin|press-tv-ir|origin_credit" \
	"$(sqlite3 "$TMP/o.db" "SELECT article_id, origin_entry, found_by FROM article_origin")"
"$BIN/slant-report" -c "$CONF" --db "$TMP/o.db" >"$TMP/o.txt" 2>"$TMP/err"
check_grep "text report: the origin line" "^Origin: Press TV \\(state-affiliated; origin_credit" "$TMP/o.txt"
"$BIN/slant-report" -c "$CONF" --db "$TMP/o.db" --markdown >"$TMP/o.md" 2>"$TMP/err"
check_grep "Markdown report: the origin line" "^Origin: Press TV" "$TMP/o.md"
"$BIN/slant-report" -c "$CONF" --db "$TMP/o.db" --html "$TMP/o-site" c-origin 2>"$TMP/err"
check "HTML report: the origin line" "1" "$(cat "$TMP"/o-site/*/*.html "$TMP"/o-site/*.html 2>/dev/null | grep -c 'Origin: Press TV (state-affiliated')"

# ====== Failures ======
printf '{"id":"x","text":"T"}\n' >"$TMP/in"
check_rc "unsegmented record: rejected, exit 1" 1 "$AFF" --register "$REG" <"$TMP/in"
check_grep "and says what to run" "run slant-segment before slant-affil" "$TMP/err"
printf 'id\tname\n' >"$TMP/bad.tsv"
check_rc "broken register: exit 2" 2 "$AFF" --register "$TMP/bad.tsv" </dev/null
check_grep "with file:line" "bad.tsv:1" "$TMP/err"
check_rc "missing register: exit 2" 2 "$AFF" --register "$TMP/none.tsv" </dev/null
printf 'not json\n' >"$TMP/in"
check_rc "bad line: exit 1" 1 "$AFF" --register "$REG" <"$TMP/in"
check_grep "located message" "<stdin>:1" "$TMP/err"
check_rc "empty input" 0 "$AFF" --register "$REG" </dev/null
check_rc "bad flag: exit 2" 2 "$AFF" --bogus
if [ -w /dev/full ]; then
	"$AFF" --register "$REG" <"$TMP/seg" >/dev/full 2>"$TMP/err"
	check "write error: exit 3" 3 "$?"
fi
check_rc "--help" 0 "$AFF" --help
check_grep "--help names --register" "--register FILE" "$TMP/out"

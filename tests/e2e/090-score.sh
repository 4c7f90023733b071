#!/bin/sh
# slant-score: components on a hand-made record, the seed articles, missing inputs, bad config.
. tests/e2e/lib.sh

SCORE=$BIN/slant-score
CONF=$(pwd)/pipeline.conf

# Hand-made: 40 words of body, so per-1,000 figures use the 150-word floor.
cat >"$TMP/one.jsonl" <<'EOF2'
{"format":1,"id":"c-hand","text":"Regime thugs crush protest\n\nPolice said 40 people were arrested. Critics say the crackdown was brutal. The regime claimed the march was illegal.","byline":"Jane Doe","published":"2025-03-14","byline_kind":"person","opinion":{"is_opinion":false,"marker":null},"publisher":{"name":"Example","entry":"example","state_affiliated":false},"stages":["ingest","segment","attrib","frame","affil"],"annotations":[
{"stage":"segment","label":"headline","start":0,"end":26,"text":"Regime thugs crush protest"},
{"stage":"frame","label":"loaded","start":0,"end":6,"text":"Regime","entry":"regime","weight":2,"voice":"headline"},
{"stage":"frame","label":"loaded","start":7,"end":12,"text":"thugs","entry":"thug*","weight":3,"voice":"headline"},
{"stage":"frame","label":"loaded","start":93,"end":99,"text":"brutal","entry":"brutal","weight":1,"voice":"reported"},
{"stage":"frame","label":"loaded","start":105,"end":111,"text":"regime","entry":"regime","weight":2,"voice":"authorial"},
{"stage":"attrib","label":"attributed","start":28,"end":64,"text":"Police said 40 people were arrested.","source":"Police","stance":"neutral"},
{"stage":"attrib","label":"vague","start":65,"end":100,"text":"Critics say the crackdown was brutal.","source":"Critics","stance":"neutral"},
{"stage":"attrib","label":"attributed","start":101,"end":144,"text":"The regime claimed the march was illegal.","source":"The regime","stance":"loaded"}]}
EOF2
tr -d '\n' <"$TMP/one.jsonl" | sed 's/\]}$/]}\n/' >"$TMP/in.jsonl"
check_rc "hand-made record scores" 0 "$SCORE" -c "$CONF" <"$TMP/in.jsonl"
cp "$TMP/out" "$TMP/scored.jsonl"
got() { jq -r "$1" "$TMP/scored.jsonl"; }
check "six components in order" "framing headline attribution sources transparency verbs" \
	"$(got '[.report.components[].name] | join(" ")')"
check "framing: 2 weighted over 150 words" "13.33 8.3 [4]" \
	"$(got '.report.components[0] | "\(.value) \(.points) \(.evidence|tojson)"')"
check "headline counted apart: 5 weighted, no points" "5 0 [1,2]" \
	"$(got '.report.components[1] | "\(.value) \(.points) \(.evidence|tojson)"')"
check "attribution: 2 of 3, vague at a quarter" "0.667 18.8 3 1" \
	"$(got '.report.components[2] | "\(.value) \(.points) \(.counts.claims) \(.counts.vague)"')"
check "loaded verb 'claimed' is evidence" "[7]" "$(got '.report.components[5].evidence|tojson')"
check "transparency: four checks, all met" "4 4" \
	"$(got '.report.components[4] | "\(.value) \(.counts.checks)"')"
check "sources: police and the regime" "2 11.9" "$(got '.report.components[3] | "\(.value) \(.points)"')"
check "verbs: one loaded verb over 150 words" "6.67 4.4" "$(got '.report.components[5] | "\(.value) \(.points)"')"
check "score and band" "584 weak" "$(got '"\(.report.score * 10 | round) \(.report.band)"')"
check "settings hash recorded" "64" "$(got '.report.config_hash | length')"
check "other fields pass through" "c-hand Jane Doe" "$(got '"\(.id) \(.byline)"')"

# --weight: only framing counts, so the score is framing's share.
check_rc "--weight overrides the config" 0 "$SCORE" -c "$CONF" --weight framing=100 \
	--weight headline=0 --weight attribution=0 --weight sources=0 --weight transparency=0 \
	--weight verbs=0 <"$TMP/in.jsonl"
check "score from framing alone" "333" "$(jq -r '.report.score * 10 | round' "$TMP/out")"

# Missing inputs are named, not fatal; without segment the stage rejects the record.
printf '%s\n' '{"format":1,"id":"c-seg","text":"T\n\nBody.","stages":["ingest","segment"],"annotations":[{"stage":"segment","label":"headline","start":0,"end":1,"text":"T"}]}' >"$TMP/seg.jsonl"
check_rc "segment-only record scores" 0 "$SCORE" -c "$CONF" <"$TMP/seg.jsonl"
check "missing stages listed" '["frame","attrib","affil"]' "$(jq -c '.report.missing' "$TMP/out")"
check "too little measured: band incomplete" "incomplete" "$(jq -r '.report.band' "$TMP/out")"
check "framing not applicable" "false null" "$(jq -r '.report.components[0] | "\(.applicable) \(.points)"' "$TMP/out")"
printf '%s\n' '{"format":1,"id":"c-raw","text":"T\n\nBody.","stages":["ingest"]}' >"$TMP/raw.jsonl"
check_rc "without segment: rejected, exit 1" 1 "$SCORE" -c "$CONF" <"$TMP/raw.jsonl"
check_grep "says which stage is missing" "run slant-segment before slant-score" "$TMP/err"

# Bad settings are config errors with file:line.
printf '[score]\nweight_framing = lots\nbands = 10 low, 50 high\n' >"$TMP/bad.conf"
check_rc "bad [score] values: exit 2" 2 "$SCORE" -c "$TMP/bad.conf" <"$TMP/in.jsonl"
check_grep "bad number located" "bad.conf:2: 'lots' is not a number" "$TMP/err"
check_grep "bad bands located" "bad.conf:3: 'bands': bands must go from the highest score down" "$TMP/err"
check_rc "--weight without '='" 2 "$SCORE" -c "$CONF" --weight framing <"$TMP/in.jsonl"
check_rc "--weight of an unknown component" 2 "$SCORE" -c "$CONF" --weight colour=3 <"$TMP/in.jsonl"
check_rc "empty input" 0 "$SCORE" -c "$CONF" </dev/null
printf 'not json\n' >"$TMP/junk"
check_rc "bad line: exit 1" 1 "$SCORE" -c "$CONF" <"$TMP/junk"
check_grep "bad line located" "error \(at <stdin>:1\)" "$TMP/err"
if [ -w /dev/full ]; then
	"$SCORE" -c "$CONF" <"$TMP/in.jsonl" >/dev/full 2>"$TMP/err"
	check "write error is an error" "3" "$?"
fi

# The seed articles: what a careful reader sees.
"$BIN/slant-ingest" "$SEEDS" | "$BIN/slant-segment" | "$BIN/slant-attrib" | "$BIN/slant-frame" |
	"$BIN/slant-affil" | "$SCORE" -c "$CONF" >"$TMP/seeds.jsonl" 2>"$TMP/err"
check "five seed reports" "5" "$(jq -s '[.[] | select(.report.components | length == 6)] | length' "$TMP/seeds.jsonl")"
check "every score within 0-100 with a band" "5" \
	"$(jq -s '[.[] | select(.report.score >= 0 and .report.score <= 100 and (.report.band | length > 0))] | length' "$TMP/seeds.jsonl")"
seed() { jq -r "select(.source.path | contains(\"$1\")) | $2" "$TMP/seeds.jsonl"; }
check "002: 'regime' in the headline costs headline points" "true" \
	"$(seed 002_ '[.report.components[] | select(.name == "headline")][0].points < 10')"
check "004: 'mercenaries' in the headline costs headline points" "true" \
	"$(seed 004_ '[.report.components[] | select(.name == "headline")][0].points < 10')"
check "000: a plain headline keeps its points" "10" \
	"$(seed 000_ '[.report.components[] | select(.name == "headline")][0].points')"
check "003: the most loaded own voice of the five" "003" \
	"$(jq -rs 'max_by(.report.components[0].value) | .source.path' "$TMP/seeds.jsonl" | sed 's/.*\/\(00[0-9]\).*/\1/')"
check "002 scores lowest" "002" \
	"$(jq -rs 'min_by(.report.score) | .source.path' "$TMP/seeds.jsonl" | sed 's/.*\/\(00[0-9]\).*/\1/')"
check "evidence ids point at annotations" "0" \
	"$(jq -s '[.[] | .annotations as $a | .report.components[].evidence[] | select(. >= ($a|length))] | length' "$TMP/seeds.jsonl")"

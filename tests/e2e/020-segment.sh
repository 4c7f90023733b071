#!/bin/sh
# slant-segment: headline, paragraph, sentence and quote spans over the seeds,
# every span checked against the bytes of 'text'; pinned sentences and quotes;
# bad records and bad options.
. tests/e2e/lib.sh
SEG="$BIN/slant-segment"
J() { jq -r "$@"; }

# ====== The seeds: ingest (or hand-made records), then segment ======
if [ -x "$BIN/slant-ingest" ]; then
	"$BIN/slant-ingest" "$SEEDS"/0*.txt >"$TMP/in" 2>"$TMP/err"
else
	# Records as docs/stream.md has them: title, blank line, the body paragraphs.
	for f in "$SEEDS"/0*.txt; do
		jq -Rsc --arg p "$f" '(split("\n") | map(select(test("\\S")))) as $l |
			{format: 1, id: $p, source: {path: $p, type: "text"}, title: $l[0],
			 text: ($l | join("\n\n")), stages: ["ingest"]}' "$f"
	done >"$TMP/in"
fi
check_rc "seeds segmented" 0 "$SEG" <"$TMP/in"
cp "$TMP/out" "$TMP/seg"
check "five records out" 5 "$(wc -l <"$TMP/seg" | tr -d ' ')"

# Offsets are bytes: check them in Python, not jq (which slices by code point).
if command -v python3 >/dev/null; then
	python3 - "$TMP/seg" >"$TMP/check" 2>&1 <<'EOF'
import json, sys
bad = []
for n, line in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    r = json.loads(line)
    t = r["text"].encode("utf-8")
    def at(a, s, e, what):
        if not (0 <= s <= e <= len(t)):
            bad.append("%d: %s [%d,%d) outside text" % (n, what, s, e))
            return None
        for o in (s, e):
            if o < len(t) and (t[o] & 0xC0) == 0x80:
                bad.append("%d: %s offset %d splits a character" % (n, what, o))
        return t[s:e].decode("utf-8", "replace")
    seg = [a for a in r["annotations"] if a["stage"] == "segment"]
    paras = [a for a in seg if a["label"] == "paragraph"]
    sents = [a for a in seg if a["label"] == "sentence"]
    heads = [a for a in seg if a["label"] == "headline"]
    for a in seg:
        if a["start"] >= a["end"]:
            bad.append("%d: empty %s at %d" % (n, a["label"], a["start"]))
        if at(a, a["start"], a["end"], a["label"]) != a["text"]:
            bad.append("%d: %s text differs from bytes [%d,%d)" % (n, a["label"], a["start"], a["end"]))
    if len(heads) != 1 or heads[0]["start"] != paras[0]["start"] or heads[0]["end"] != paras[0]["end"]:
        bad.append("%d: headline is not paragraph 0" % n)
    elif "title" in r and heads[0]["text"] != r["title"]:
        bad.append("%d: headline %r is not the title %r" % (n, heads[0]["text"], r["title"]))
    if [p["index"] for p in paras] != list(range(len(paras))):
        bad.append("%d: paragraph indexes not 0..n-1" % n)
    for i, p in enumerate(paras[1:], 1):
        gap = t[paras[i - 1]["end"]:p["start"]].decode("utf-8", "replace")
        if gap.count("\n") < 2 or gap.strip() != "":
            bad.append("%d: paragraph %d not after a blank line" % (n, i))
    prev = 0
    for i, s in enumerate(sents):
        p = paras[s["paragraph"]]
        if s["index"] != i or s["start"] < prev:
            bad.append("%d: sentence %d out of order or overlapping" % (n, i))
        if not (p["start"] <= s["start"] and s["end"] <= p["end"]):
            bad.append("%d: sentence %d outside its paragraph" % (n, i))
        if s["text"] != s["text"].strip():
            bad.append("%d: sentence %d not trimmed" % (n, i))
        prev = s["end"]
    covered = sum(len(s["text"].encode()) for s in sents)
    for q in (a for a in seg if a["label"] == "quote"):
        if not (q["start"] < q["content_start"] <= q["content_end"] <= q["end"]):
            bad.append("%d: quote at %d: content outside its marks" % (n, q["start"]))
        if not t[q["start"]:].startswith(q["mark"].encode()):
            bad.append("%d: quote at %d: mark %r is not there" % (n, q["start"], q["mark"]))
        if q["kind"] not in ("direct", "nested", "pull") or q["words"] < 1:
            bad.append("%d: quote at %d: kind %r words %r" % (n, q["start"], q["kind"], q["words"]))
        if "speaker" in q and at(q, q["speaker_start"], q["speaker_end"], "speaker") != q["speaker"]:
            bad.append("%d: quote at %d: speaker text differs from its bytes" % (n, q["start"]))
    if len(sents) < 5:
        bad.append("%d: only %d sentences" % (n, len(sents)))
print("\n".join(bad) if bad else "all spans good")
EOF
	check "every span of every seed matches its bytes, sentences in order, in paragraphs" \
		"all spans good" "$(cat "$TMP/check")"
else
	skip "python3 not installed: byte offsets not checked"
fi

# ====== Pinned sentences and quotes of the seeds ======
sentence() { J --arg s "$1" '.annotations[] | select(.label == "sentence" and .text == $s) | .text' "$TMP/seg"; }
s1='The U.S. administration has used these allegations to urge its allies to vote against the UN resolution calling for an end to the embargo against Cuba, arguing that the Cuban regime supports the Russian invasion of Ukraine.'
check "\"The U.S. administration\" is not split" "$s1" "$(sentence "$s1")"
s2='The revelation comes just days after Cuban Interior Minister Lazaro Alvarez Casas went to Moscow to meet with Russian Security Secretary Nikolai Patrushev, who was sanctioned by the U.S. in 2018 for “serious human rights violations” under the Magnitsky Act.'
check "\"by the U.S. in 2018\" is not split" "$s2" "$(sentence "$s2")"
s3='“Our advisers are there, there is a center for the training of anti-drug units, but how much it deals only with this is a good question,” he said.'
check "quotation and its reporting clause are one sentence" "$s3" "$(sentence "$s3")"
check "the headline of 002" "Putin formalizes his military alliance with the Cuban regime" \
	"$(J 'select(.source.path | endswith("002_5908578a15ea984f.txt")) | .annotations[] | select(.label == "headline") | .text' "$TMP/seg")"

# Who says a quotation is slant-attrib's call: its 'speaker' annotation names the quote's index.
"$BIN/slant-attrib" <"$TMP/seg" >"$TMP/attr"
SPEAKERS='([.annotations[] | select(.stage == "attrib" and .label == "speaker") | {key: (.quote | tostring), value: .speaker}] | from_entries) as $sp'
quote() { J --arg q "$1" "$SPEAKERS"' | .annotations | to_entries[] | select(.value.label == "quote" and (.value.text | startswith($q))) | [.value.kind, .value.mark, (.value.words | tostring), ($sp[.key | tostring] // "-")] | join("|")' "$TMP/attr"; }
check "Duma article: the memo's quote and speaker" "direct|“|16|the memo" \
	"$(quote '“After North Korea, Cuba has become the largest source of foreign mercenaries for the Russian military,”')"
check "Duma article: the document's quote (said-first)" \
	"direct|“|41|the document presented to the Legislature by the Russian Cabinet of Ministers" \
	"$(quote '“Ratify the agreement')"
check "Duma article: a phrase quoted inside the memo's sentence is the memo's" "direct|“|14|the memo" \
	"$(quote '“failed to protect its citizens')"
check "WT article: \"wrote Alvaro Alba\"" \
	"direct|“|12|Alvaro Alba of the U.S. government’s Cuba broadcasting network" \
	"$(quote '“In the span of five months')"
check "WT article: the quotation continued in the same paragraph is his too" \
	"direct|“|110|Alvaro Alba of the U.S. government’s Cuba broadcasting network" \
	"$(quote '“In March, the CEO')"
check "CiberCuba: straight quotes, speaker before the quote" "direct|\"|9|The regime" \
	"$(quote '"Cuba does not deploy')"
check "CiberCuba: a quoted name is a quotation without a speaker" "direct|\"|1|-" "$(quote '"Primorye"')"
check "apostrophes in the seeds open no quotation" 0 \
	"$(J '.annotations[] | select(.label == "quote" and (.mark == "'"'"'" or .mark == "‘")) | .text' "$TMP/seg" | wc -l | tr -d ' ')"
check "quote count per seed" "2 10 4 3 5" \
	"$(J '[.annotations[] | select(.label == "quote")] | length' "$TMP/seg" | tr '\n' ' ' | sed 's/ $//')"

# ====== JSON Lines from other tools: no ingest needed ======
printf '%s\n' '{"text":"Title\n\n\"We will win. They will lose,\" he said."}' >"$TMP/one"
check_rc "a record that has not been through ingest" 0 "$SEG" <"$TMP/one"
check "its sentences (one may end inside a quotation)" '"We will win.|They will lose," he said.' \
	"$(J '[.annotations[] | select(.label == "sentence" and .paragraph == 1) | .text] | join("|")' "$TMP/out")"
check "its quotation spans both sentences, and segment names no speaker" 'direct|"We will win. They will lose,"|-' \
	"$(J '.annotations[] | select(.label == "quote") | [.kind, .text, (.speaker // "-")] | join("|")' "$TMP/out")"
check "stages marked" '["segment"]' "$(J -c .stages "$TMP/out")"
"$SEG" <"$TMP/out" >"$TMP/twice"
check_diff "segmenting twice adds nothing" "$TMP/out" "$TMP/twice"
printf '%s\n' '{"text":"\n\n\n"}' '{"text":""}' | "$SEG" >"$TMP/out"
check "blank texts: no annotations" "0 0" "$(J '.annotations | length' "$TMP/out" | tr '\n' ' ' | sed 's/ $//')"

# ====== Bad records and bad options ======
printf '%s\n' '{"title":"no text"}' '{"text":5}' '{"text":"Fine."}' '{"text":' >"$TMP/bad"
check_rc "malformed records: exit 1" 1 "$SEG" <"$TMP/bad"
check_grep "missing text named with its line" "slant-segment: error \(at <stdin>:1\): record has no 'text' string" "$TMP/err"
check_grep "text not a string named with its line" "\(at <stdin>:2\): record has no 'text' string" "$TMP/err"
check_grep "bad JSON named with its line" "\(at <stdin>:4\)" "$TMP/err"
check "every record still passes on, the bad ones marked" "error|error|-|error" \
	"$(J '.status // "-"' "$TMP/out" | tr '\n' '|' | sed 's/|$//')"
check "the good one is segmented" "Fine." "$(J 'select(.text == "Fine.") | .annotations[0].text' "$TMP/out")"
check_rc "--strict stops at the first" 1 "$SEG" --strict <"$TMP/bad"
check "--strict wrote only the first" 1 "$(wc -l <"$TMP/out" | tr -d ' ')"
check_rc "empty input" 0 "$SEG" </dev/null
check "empty input, empty output" "" "$(cat "$TMP/out")"
check_rc "--max-quote 0 is a usage error" 2 "$SEG" --max-quote 0 </dev/null
check_grep "and says so" "max_quote" "$TMP/err"
check_rc "--max-quote abc is a usage error" 2 "$SEG" --max-quote abc </dev/null
check_rc "unknown option" 2 "$SEG" --bogus </dev/null
check_rc "--help" 0 "$SEG" --help
check_grep "--help names --max-quote" "--max-quote BYTES" "$TMP/out"
printf '%s\n' '{"text":"A \"short quote\" here."}' >"$TMP/q"
"$SEG" --max-quote 10 <"$TMP/q" >"$TMP/out"
check "--max-quote drops longer quotations" 0 "$(J '[.annotations[] | select(.label == "quote")] | length' "$TMP/out")"
if [ -w /dev/full ]; then
	check_rc "write error is a runtime failure" 3 sh -c "'$SEG' <'$TMP/in' >/dev/full"
	check_grep "and says so" "write error" "$TMP/err"
fi

#!/bin/sh
# bench-frame.sh BIN DIR [LEXICON] -- time slant-frame against pcre2grep and GNU grep
# over >= 100 MB of article text (bench/gen-corpus.sh), at the shipped lexicon size and
# with the lexicon grown tenfold by generated entries. Prints MB/s, ratios and peak RSS.
#   matcher   slant-frame --bench-text: the lexicon matcher alone over the raw text
#   program   slant-frame over the records (JSON parse and write included)
#   pcre2grep pcre2grep -o -i '\b(?:t1|t2|...)\b' with the lexicon's literal terms
#   grep      grep -o -i -w -F -f TERMS
# Literal terms are the entries without '*' or 're:' (the baselines cannot take the rest).
set -eu
bin=$1 dir=$2 lex=${3:-lexicons/framing.tsv}
[ -f "$lex" ] || lex=tests/fixtures/lexicons/framing.tsv
# BEST_LIMIT: seconds after which a run is stopped (GNU grep -i -w with thousands of
# terms can take many minutes); the row then shows ">LIMIT" and ratios are lower bounds.
limit=${BEST_LIMIT:-60}
sh bench/gen-corpus.sh "$bin" "$dir"
txt=$dir/corpus.txt js=$dir/corpus.jsonl
mb=$(awk -v b="$(wc -c <"$txt")" 'BEGIN { printf "%.1f", b / 1e6 }')
# Seconds are CPU time (user + system) when /usr/bin/time is there, so that other work on
# the machine does not skew the ratios; wall-clock time otherwise.
timecmd() { # OUT CMD...: seconds and peak RSS (KiB) of CMD into OUT
	out=$1
	shift
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%U %S %M' -o "$out.raw" "$@" || { tail -n 1 "$out.raw" |
			awk '{ printf "%.2f %s\n", $1 + $2, $3 }' >"$out"; return 1; }
		tail -n 1 "$out.raw" | awk '{ printf "%.2f %s\n", $1 + $2, $3 }' >"$out"
	else
		s=$(date +%s.%N)
		"$@"
		awk -v a="$s" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f 0\n", b - a }' >"$out"
	fi
}

# The tenfold lexicon: the shipped one plus generated words, phrases and prefixes that
# start like real words (so lookups hit the tables) but never occur in the corpus.
python3 - "$lex" "$dir/lex10.tsv" "$dir/terms1.txt" "$dir/terms10.txt" <<'PY'
import random, re, sys
src, out10, t1, t10 = sys.argv[1:]
lines = open(src, encoding="utf-8").read().splitlines()
terms, cats = [], []
for l in lines:
    f = l.split("\t")
    if l.startswith("@category"):
        cats.append(f[1])
    elif l and not l.startswith("#") and f[0] != "term" and len(f) >= 3:
        terms.append(f[0])
n = len(terms)
lit = [t for t in terms if not t.startswith("re:") and not t.endswith("*")]
rng = random.Random(7)
seen = {t.lower() for t in terms}
gen = []
while len(gen) < 9 * n:
    w = "".join(rng.choice("bcdfghjklmnpqrstvwxz") + rng.choice("aeiou") for _ in range(rng.randint(2, 4))) + "q"
    k = rng.random()
    t = w if k < 0.6 else (rng.choice(["the", "a", "regime", "cuban", "military"]) + " " + w if k < 0.9 else w + "*")
    if t.lower() not in seen:
        seen.add(t.lower())
        gen.append(t)
with open(out10, "w", encoding="utf-8") as fp:
    fp.write("\n".join(lines) + "\n")
    for t in gen:
        fp.write("%s\t%s\t1\t-\t-\tgenerated for the bench\n" % (t, cats[0]))
open(t1, "w", encoding="utf-8").write("\n".join(lit) + "\n")
open(t10, "w", encoding="utf-8").write("\n".join(lit + [t for t in gen if not t.endswith("*")]) + "\n")
# One alternation, cut into lines under pcre2grep's 8 KB pattern limit when it must be.
for terms_file in (t1, t10):
    ts = [l for l in open(terms_file, encoding="utf-8").read().splitlines() if l]
    pats, cur = [], []
    for t in ts:
        if cur and len("|".join(cur + [re.escape(t)])) > 8000:
            pats.append(cur)
            cur = []
        cur.append(re.escape(t))
    pats.append(cur)
    with open(terms_file + ".re", "w", encoding="utf-8") as fp:
        for p in pats:
            fp.write(r"\b(?:" + "|".join(p) + r")\b" + "\n")
PY

echo "bench-frame: $mb MB of article text in $txt ($(wc -l <"$js" | tr -d ' ') records);"
echo "seconds: CPU (user + system); best of 2 runs (1 if over 5 s); runs stopped after $limit s wall (BEST_LIMIT)"
printf '%-10s %-8s %8s %9s %10s %9s %11s\n' tool lexicon entries matches seconds "MB/s" "peak KiB"
best() { # NAME SIZE ENTRIES INPUT CMD...: run twice (once if slow), keep the faster; set $sec
	name=$1 size=$2 entries=$3 input=$4
	shift 4
	sec= timed_out=
	for i in 1 2; do
		rc=0
		timecmd "$dir/time" timeout "$limit" sh -c 'in=$1 out=$2; shift 2; "$@" <"$in" >"$out"' \
			sh "$input" "$dir/output" "$@" || rc=1
		read -r s rss <"$dir/time"
		if [ $rc = 1 ]; then
			sec=$limit best_rss=$rss timed_out=yes
			break
		fi
		if [ -z "$sec" ] || [ "$(awk -v a="$s" -v b="$sec" 'BEGIN { print (a < b) }')" = 1 ]; then
			sec=$s best_rss=$rss
		fi
		[ "$(awk -v a="$s" 'BEGIN { print (a > 5) }')" = 1 ] && break
	done
	case $name in
	matcher) count=$(sed 's/.*matches \([0-9]*\).*/\1/' "$dir/output") ;;
	program) count=$(grep -o '"stage":"frame"' "$dir/output" | wc -l | tr -d ' ') ;;
	*) count=$(wc -l <"$dir/output" | tr -d ' ') ;;
	esac
	if [ -n "$timed_out" ]; then
		printf '%-10s %-8s %8s %9s %10s %9s %11s\n' "$name" "$size" "$entries" - ">$limit" \
			"<$(awk -v m="$mb" -v s="$sec" 'BEGIN { printf "%.1f", m / s }')" -
	else
		printf '%-10s %-8s %8s %9s %10s %9s %11s\n' "$name" "$size" "$entries" "$count" "$sec" \
			"$(awk -v m="$mb" -v s="$sec" 'BEGIN { printf "%.1f", (s > 0 ? m / s : 0) }')" "$best_rss"
	fi
}
for size in x1 x10; do
	if [ $size = x1 ]; then l=$lex t=$dir/terms1.txt; else l=$dir/lex10.tsv t=$dir/terms10.txt; fi
	n=$(grep -cvE '^(#|@|term\b|$)' "$l")
	nt=$(wc -l <"$t" | tr -d ' ')
	np=$(wc -l <"$t.re" | tr -d ' ')
	[ "$np" -gt 1 ] && echo "note: pcre2grep $size: the alternation is cut into $np patterns (8 KB limit each)"
	best matcher $size "$n" /dev/null "$bin/slant-frame" --lexicon "$l" --bench-text "$txt"
	m=$sec
	best program $size "$n" "$js" "$bin/slant-frame" --lexicon "$l"
	p=$sec
	best pcre2grep $size "$nt" /dev/null pcre2grep -o -i -f "$t.re" "$txt"
	pc=$sec
	best grep $size "$nt" /dev/null grep -o -i -w -F -f "$t" "$txt"
	g=$sec
	eval "m_$size=$m p_$size=$p pc_$size=$pc g_$size=$g"
	awk -v m="$m" -v p="$p" -v pc="$pc" -v g="$g" -v s="$size" -v l="$limit" 'BEGIN {
		a = (pc >= l ? ">=" : ""); b = (g >= l ? ">=" : "")
		printf "ratios %s: pcre2grep/matcher %s%.2fx, pcre2grep/program %s%.2fx, grep/matcher %s%.2fx, grep/program %s%.2fx\n",
			s, a, pc / m, a, pc / p, b, g / m, b, g / p }'
done
awk -v a="$m_x1" -v b="$m_x10" -v c="$p_x1" -v d="$p_x10" 'BEGIN {
	printf "tenfold lexicon: matcher %.2fx the time, program %.2fx the time (target <= 1.3x)\n", b / a, d / c }'
# Peak memory must not grow with input: the program over a tenth of the records and over all.
head -n "$(($(wc -l <"$js") / 10))" "$js" >"$dir/tenth.jsonl"
timecmd "$dir/time" sh -c '"$@" >/dev/null' x "$bin/slant-frame" --lexicon "$lex" <"$dir/tenth.jsonl"
read -r s1 r1 <"$dir/time"
timecmd "$dir/time" sh -c '"$@" >/dev/null' x "$bin/slant-frame" --lexicon "$lex" <"$js"
read -r s2 r2 <"$dir/time"
: "$s1" "$s2"
echo "peak RSS of slant-frame: $r1 KiB over a tenth of the records, $r2 KiB over all"
rm -f "$dir/tenth.jsonl" "$dir/time" "$dir/time.raw" "$dir/output"

#!/bin/sh
# bench.sh BIN DIR -- the project's benchmark (`make bench`; bench/README.md).
#
# Builds (or reuses) >= BENCH_MB (100) MB of plain-text articles in DIR/corpus
# (bench/gen-bench-corpus.py), then in one run times
#   stage     each stage alone on its own input: ingest over the article files,
#             each later stage over the records the one before it wrote
#             (kept in DIR/stages); peak RSS at a quarter of the input and at the end
#   scale     over the database slant-store filled: every view queried whole, and
#             slant-report --html and --markdown over every article, each against
#             the load's time (issue 20: no report slower than the load)
#   chain     `slant run` into a fresh database: fused, --pipe, and -j 2 beside
#             them when the driver has -j
#   frame     slant-frame's matcher alone (--bench-text) and as a program, with
#             the shipped lexicon and one grown tenfold
#   baseline  cat, pcre2grep -o -i and grep -o -i -w -F -f with the lexicon's
#             literal terms over the same bytes, and bench/baseline_frame.py
#             (Python re) over the first BENCH_PY_FILES (500) articles
# and prints MB/s (of article text), articles/s, peak RSS and every ratio against
# the targets of docs/performance.md. Results go to DIR/results-TIMESTAMP.tsv and
# DIR/latest.tsv. Times are wall clock; cpu (user + system) is beside them, since
# a busy machine stretches wall time but not cpu time.
set -eu
bin=$1 dir=$2
mb=${BENCH_MB:-100}
pyfiles=${BENCH_PY_FILES:-500}
# BENCH_ONLY=scale: the store and the scale step alone, over the stage records an
# earlier run left in DIR/stages (made first when missing), for comparing reports.
only=${BENCH_ONLY:-}
case $only in '' | scale) ;; *) echo "bench: BENCH_ONLY must be empty or 'scale'" >&2; exit 2 ;; esac
lex=lexicons/framing.tsv
[ -f "$lex" ] || { echo "bench: no $lex (run from the project root)" >&2; exit 2; }
for tool in python3 pcre2grep grep; do
	command -v $tool >/dev/null || { echo "bench: needs $tool (make deps)" >&2; exit 2; }
done
t0=$(date +%s)
stamp=$(date -u +%Y%m%dT%H%M%SZ)
corpus=$dir/corpus st=$dir/stages
mkdir -p "$dir" "$st"
: >"$dir/bench.log"
# The measuring wrapper: in C, since a peak RSS taken from a child of Python includes Python's.
[ "$dir/runstat" -nt bench/runstat.c ] || ${CC:-cc} -O2 -o "$dir/runstat" bench/runstat.c
python3 bench/gen-bench-corpus.py "$corpus" "$mb"
txt=$corpus/corpus.txt
bytes=$(wc -c <"$txt" | tr -d ' ')
articles=$(sed -n 's/^articles=\([0-9]*\).*/\1/p' "$corpus/corpus.stamp")
tsv=$dir/results-$stamp.tsv
printf 'run\tsection\tname\tinput_bytes\ttext_bytes\tarticles\twall_s\tcpu_s\ttext_mb_s\tarticles_s\tpeak_rss_kib\tquarter_rss_kib\trc\n' >"$tsv"
ratios=$dir/ratios.$$
: >"$ratios"
trap 'rm -f "$ratios" "$dir/m.$$"' EXIT

echo "bench: $(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }') MB of article text, $articles articles ($corpus); $(nproc 2>/dev/null || echo '?') cores"

# measure SECTION NAME IN OUT TEXTBYTES ARTICLES CMD...: run CMD once (stdin IN,
# stdout OUT) under bench/runstat.c; print a row, append it to the TSV, and
# leave wall seconds in $wall.
measure() {
	sec=$1 name=$2 in=$3 out=$4 tb=$5 na=$6
	shift 6
	# The programs' own messages (warnings, the driver's progress line) go to the log.
	"$dir/runstat" --in "$in" --out "$out" -- "$@" 3>"$dir/m.$$" 2>>"$dir/bench.log"
	read -r wall user sys rss q rc <"$dir/m.$$"
	ib=0
	[ -f "$in" ] && ib=$(wc -c <"$in" | tr -d ' ')
	awk -v run="$stamp" -v sec="$sec" -v name="$name" -v ib="$ib" -v tb="$tb" -v na="$na" \
	    -v wall="$wall" -v user="$user" -v sys="$sys" -v rss="$rss" -v q="$q" -v rc="$rc" -v tsv="$tsv" 'BEGIN {
		cpu = user + sys
		mbs = wall > 0 ? tb / 1e6 / wall : 0
		as = wall > 0 ? na / wall : 0
		printf "%-9s %-22s %9.1f %8.2f %8.2f %9.1f %10.0f %9.1f %9s %4s\n", sec, name, ib / 1e6, wall, cpu,
			mbs, as, rss / 1024, (q == "-" ? "-" : sprintf("%.1f", q / 1024)), rc
		printf "%s\t%s\t%s\t%d\t%d\t%d\t%.3f\t%.3f\t%.2f\t%.1f\t%d\t%s\t%s\n", run, sec, name, ib, tb, na,
			wall, cpu, mbs, as, rss, q, rc >> tsv
	}'
	case $rc in 0 | 1) ;; *) echo "bench: '$name' exited with status $rc" >&2 ;; esac
}
header() {
	printf '\n%-9s %-22s %9s %8s %8s %9s %10s %9s %9s %4s\n' section name "in MB" "wall s" "cpu s" \
		"text MB/s" articles/s "peak MiB" "@1/4 MiB" rc
}
# ratio NAME VALUE TARGET CMP: one line of the closing table; CMP is ">=" or "<=".
ratio() {
	awk -v n="$1" -v v="$2" -v t="$3" -v c="$4" -v run="$stamp" -v tsv="$tsv" 'BEGIN {
		ok = (c == ">=") ? (v >= t) : (v <= t)
		printf "  %-52s %9.2f  target %s %-6s %s\n", n, v, c, t, ok ? "ok" : "MISSED"
		printf "%s\tratio\t%s\t\t\t\t\t\t%.3f\t\t\t%s %s\t%s\n", run, n, v, c, t, ok ? "ok" : "missed" >> tsv
	}' >>"$ratios"
}
wall_of() { awk -F'\t' -v n="$1" '$3 == n { w = $7 } END { print w + 0 }' "$tsv"; }
col_of() { awk -F'\t' -v n="$1" -v c="$2" '$3 == n { w = $c } END { print w + 0 }' "$tsv"; }

# ====== (a) each stage alone on its own input ======
header
if [ "$only" != scale ] || [ ! -s "$st/score.jsonl" ]; then
# The first quarter of the article directories, for ingest's memory at a quarter.
ndirs=$(ls "$corpus/txt" | wc -l | tr -d ' ')
quarter=$(ls "$corpus/txt" | head -n $(((ndirs + 3) / 4)) | sed "s|^|$corpus/txt/|")
# shellcheck disable=SC2086
measure stage ingest-1/4 /dev/null /dev/null 0 0 "$bin/slant-ingest" $quarter
qi=$(awk -F'\t' 'END { print $11 }' "$tsv")
measure stage ingest /dev/null "$st/ingest.jsonl" "$bytes" "$articles" "$bin/slant-ingest" "$corpus/txt"
# ingest's "memory at a quarter" is its peak over a quarter of the files.
awk -F'\t' -v OFS='\t' -v q="$qi" 'NR > 1 && $3 == "ingest" { $12 = q } { print }' "$tsv" >"$tsv.tmp" && mv "$tsv.tmp" "$tsv"
prev=ingest
for s in segment attrib frame affil score; do
	measure stage "$s" "$st/$prev.jsonl" "$st/$s.jsonl" "$bytes" "$articles" "$bin/slant-$s"
	prev=$s
done
fi
rm -f "$st/store.db" "$st/store.db-wal" "$st/store.db-shm"
measure stage store "$st/score.jsonl" /dev/null "$bytes" "$articles" "$bin/slant-store" --db "$st/store.db"

# ====== (a2) scale: every view and the reports over the database just loaded ======
# Issue 20: each must be linear in articles and annotations, so none may take
# longer than the load that filled the database.
for v in $(sqlite3 "$st/store.db" "SELECT name FROM sqlite_master WHERE type = 'view' ORDER BY name"); do
	measure scale "view-$v" /dev/null /dev/null "$bytes" "$articles" sqlite3 "$st/store.db" "SELECT * FROM $v"
done
rm -rf "$dir/site"
measure scale report-html /dev/null /dev/null "$bytes" "$articles" "$bin/slant-report" --db "$st/store.db" --html "$dir/site"
measure scale report-markdown /dev/null /dev/null "$bytes" "$articles" "$bin/slant-report" --db "$st/store.db" --markdown
rm -rf "$dir/site" "$st/store.db" "$st/store.db-wal" "$st/store.db-shm"

if [ "$only" = scale ]; then
	load=$(wall_of store)
	for r in $(awk -F'\t' '$2 == "scale" { print $3 }' "$tsv"); do
		ratio "$r time / slant-store load time" "$(awk -v a="$(wall_of "$r")" -v b="$load" 'BEGIN { print (b > 0 ? a / b : 0) }')" 1 "<="
	done
	printf '\nratios:\n'
	cat "$ratios"
	echo "bench: scale step only; results in $tsv; $(($(date +%s) - t0)) s in all"
	exit 0
fi

# ====== (b) the whole chain into a fresh database ======
help=$("$bin/slant" run --help 2>&1 || true)
modes=fused
case $help in *--pipe*) modes="$modes pipe" ;; esac
case $help in *--jobs*) modes="$modes fused-j2 pipe-j2" ;; esac
for m in $modes; do
	db=$dir/chain-$m.db
	rm -f "$db" "$db-wal" "$db-shm"
	case $m in
	fused) set -- ;;
	pipe) set -- --pipe ;;
	fused-j2) set -- -j 2 ;;
	pipe-j2) set -- --pipe -j 2 ;;
	esac
	case $help in *--fused*) [ "${1:-}" = --pipe ] || set -- --fused "$@" ;; esac
	measure chain "$m" /dev/null /dev/null "$bytes" "$articles" "$bin/slant" run "$@" --db "$db" "$corpus/txt"
	stored=$(sqlite3 "$db" 'SELECT count(*) FROM articles' 2>/dev/null || echo '?')
	[ "$stored" = "$articles" ] || echo "bench: chain $m stored $stored of $articles articles" >&2
	rm -f "$db" "$db-wal" "$db-shm"
done

# ====== (c) slant-frame against the baselines, on the same bytes ======
python3 - "$lex" "$dir" <<'PY'
# The lexicon's literal terms for grep and pcre2grep (they cannot take '*' or re:), and
# the lexicon grown tenfold by generated entries that start like words but never occur.
import random, re, sys
src, out = sys.argv[1:]
lines = open(src, encoding="utf-8").read().splitlines()
terms, cats = [], []
for l in lines:
    f = l.split("\t")
    if l.startswith("@category"):
        cats.append(f[1])
    elif l.strip() and not l.startswith("#") and f[0] != "term" and len(f) >= 3:
        terms.append(f[0])
lit = [t for t in terms if not t.startswith("re:") and not t.endswith("*")]
open(out + "/terms.txt", "w", encoding="utf-8").write("\n".join(lit) + "\n")
# One alternation, cut under pcre2grep's 8 KB pattern limit.
pats, cur = [], []
for t in lit:
    if cur and len("|".join(cur + [re.escape(t)])) > 8000:
        pats.append(cur)
        cur = []
    cur.append(re.escape(t))
pats.append(cur)
open(out + "/terms.re", "w", encoding="utf-8").write("".join(r"\b(?:" + "|".join(p) + r")\b" + "\n" for p in pats))
rng, seen, gen = random.Random(7), {t.lower() for t in terms}, []
while len(gen) < 9 * len(terms):
    w = "".join(rng.choice("bcdfghjklmnpqrstvwxz") + rng.choice("aeiou") for _ in range(rng.randint(2, 4))) + "q"
    k = rng.random()
    t = w if k < 0.6 else (rng.choice(["the", "a", "regime", "cuban", "military"]) + " " + w if k < 0.9 else w + "*")
    if t.lower() not in seen:
        seen.add(t.lower())
        gen.append(t)
with open(out + "/lex10.tsv", "w", encoding="utf-8") as fp:
    fp.write("\n".join(lines) + "\n")
    for t in gen:
        fp.write("%s\t%s\t1\t-\t-\tgenerated for the bench\n" % (t, cats[0]))
PY
measure frame matcher /dev/null "$dir/frame.out" "$bytes" "$articles" "$bin/slant-frame" --lexicon "$lex" --bench-text "$txt"
measure frame matcher-x10 /dev/null "$dir/frame.out" "$bytes" "$articles" "$bin/slant-frame" --lexicon "$dir/lex10.tsv" --bench-text "$txt"
measure frame program "$st/segment.jsonl" /dev/null "$bytes" "$articles" "$bin/slant-frame" --lexicon "$lex"
measure frame program-x10 "$st/segment.jsonl" /dev/null "$bytes" "$articles" "$bin/slant-frame" --lexicon "$dir/lex10.tsv"
measure baseline cat "$txt" /dev/null "$bytes" "$articles" cat
measure baseline pcre2grep /dev/null "$dir/pcre2grep.out" "$bytes" "$articles" pcre2grep -o -i -f "$dir/terms.re" "$txt"
measure baseline grep-F /dev/null "$dir/grep.out" "$bytes" "$articles" grep -o -i -w -F -f "$dir/terms.txt" "$txt"
# Python at well under 1 MB/s would take minutes over the whole corpus: a slice of it.
pyslice=$(ls "$corpus/txt"/*/*.txt | head -n "$pyfiles" | tr '\n' ' ')
pybytes=$(cat $pyslice | wc -c | tr -d ' ')
# shellcheck disable=SC2086
mkdir -p "$dir/pyslice" && rm -f "$dir/pyslice"/*.txt && cp $pyslice "$dir/pyslice/"
measure baseline python-re /dev/null "$dir/python.out" "$pybytes" "$pyfiles" python3 bench/baseline_frame.py "$lex" "$dir/pyslice"
rm -rf "$dir/pyslice" "$dir/frame.out" "$dir/pcre2grep.out" "$dir/grep.out" "$dir/python.out"

# ====== Ratios against the targets ======
mbs() { awk -F'\t' -v n="$1" '$3 == n { v = $9 } END { print v + 0 }' "$tsv"; }
ratio "chain fused, MB/s of text" "$(mbs fused)" 30 ">="
case $modes in *pipe*) ratio "chain --pipe, MB/s of text" "$(mbs pipe)" 15 ">=" ;; esac
case $modes in *fused-j2*)
	ratio "chain fused -j 2, MB/s of text" "$(mbs fused-j2)" 30 ">="
	ratio "chain --pipe -j 2, MB/s of text" "$(mbs pipe-j2)" 15 ">=" ;;
esac
ratio "chain fused MB/s / Python re baseline MB/s" "$(awk -v a="$(mbs fused)" -v b="$(mbs python-re)" 'BEGIN { print (b > 0 ? a / b : 0) }')" 10 ">="
pc=$(wall_of pcre2grep)
ratio "pcre2grep time / slant-frame matcher time" "$(awk -v a="$pc" -v b="$(wall_of matcher)" 'BEGIN { print (b > 0 ? a / b : 0) }')" 3 ">="
ratio "pcre2grep time / slant-frame program time" "$(awk -v a="$pc" -v b="$(wall_of program)" 'BEGIN { print (b > 0 ? a / b : 0) }')" 2 ">="
ratio "grep -F time / slant-frame matcher time" "$(awk -v a="$(wall_of grep-F)" -v b="$(wall_of matcher)" 'BEGIN { print (b > 0 ? a / b : 0) }')" 1 ">="
ratio "matcher time, tenfold lexicon / shipped" "$(awk -v a="$(col_of matcher-x10 8)" -v b="$(col_of matcher 8)" 'BEGIN { print (b > 0 ? a / b : 0) }')" 1.3 "<="
ratio "slant-frame time, tenfold lexicon / shipped" "$(awk -v a="$(col_of program-x10 8)" -v b="$(col_of program 8)" 'BEGIN { print (b > 0 ? a / b : 0) }')" 1.3 "<="
load=$(wall_of store)
for r in $(awk -F'\t' '$2 == "scale" { print $3 }' "$tsv"); do
	ratio "$r time / slant-store load time" "$(awk -v a="$(wall_of "$r")" -v b="$load" 'BEGIN { print (b > 0 ? a / b : 0) }')" 1 "<="
done
for s in ingest segment attrib frame affil score store; do
	ratio "slant-$s peak RSS, MiB" "$(awk -v r="$(col_of $s 11)" 'BEGIN { print r / 1024 }')" 64 "<="
	# Streaming: what the last three quarters of the input add to the peak (allocator noise aside).
	ratio "slant-$s peak RSS growth, quarter to all, MiB" "$(awk -v r="$(col_of $s 11)" -v q="$(col_of $s 12)" 'BEGIN { print (q > 0 ? (r - q) / 1024 : 99) }')" 1 "<="
done
printf '\nratios (tenfold-lexicon ratios use cpu time):\n'
cat "$ratios"
cp "$tsv" "$dir/latest.tsv"
echo "bench: results in $tsv and $dir/latest.tsv; $(($(date +%s) - t0)) s in all"

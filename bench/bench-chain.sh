#!/bin/sh
# bench-chain.sh BIN [MB] [OUT.tsv] -- time the whole chain `slant run` from JSON Lines to
# SQLite: fused and --pipe, each with -j 1 and -j 2 (docs/scale.md). The corpus is MB
# megabytes (default 30) of generated articles (tests/e2e/gen-jsonl.sh: the seeds'
# paragraphs reshuffled, with some bad lines), made once in $BENCH_DIR (default
# /tmp/slant-bench-chain). Prints one line per mode and, with OUT.tsv, appends them:
#   mode  jobs  articles  input_MB  seconds  MB_per_s  articles_per_s
# The chain is pipeline.conf's stage list with every stage: ingest segment attrib frame
# affil score store. Meant to be called by `make bench`; not a test (nothing is checked
# but that the four databases hold the same number of articles).
set -eu
bin=$1 mb=${2:-30} tsv=${3:-}
dir=${BENCH_DIR:-/tmp/slant-bench-chain}
stages="ingest segment attrib frame affil score store"
mkdir -p "$dir"
corpus=$dir/corpus-$mb.jsonl
if [ ! -s "$corpus" ]; then
	# About 2.3 KB an article.
	sh tests/e2e/gen-jsonl.sh $((mb * 1000000 / 2300)) >"$corpus"
fi
bytes=$(wc -c <"$corpus")
printf '%-6s %4s %9s %8s %8s %8s %10s\n' mode jobs articles MB seconds MB/s articles/s
for mode in fused pipe; do
	for jobs in 1 2; do
		db=$dir/$mode-$jobs.db
		rm -f "$db" "$db-wal" "$db-shm"
		t0=$(date +%s.%N)
		"$bin/slant" run --config pipeline.conf --$mode -j "$jobs" --stages "$stages" \
			--db "$db" "$corpus" 2>/dev/null || [ $? -eq 1 ]
		t1=$(date +%s.%N)
		n=$(sqlite3 "$db" 'SELECT count(*) FROM articles')
		line=$(awk -v m="$mode" -v j="$jobs" -v n="$n" -v b="$bytes" -v t0="$t0" -v t1="$t1" \
			'BEGIN { s = t1 - t0; printf "%s\t%d\t%d\t%.1f\t%.2f\t%.1f\t%.0f", m, j, n, b / 1e6, s, b / 1e6 / s, n / s }')
		echo "$line" | awk -F'\t' '{ printf "%-6s %4s %9s %8s %8s %8s %10s\n", $1, $2, $3, $4, $5, $6, $7 }'
		[ -z "$tsv" ] || printf '%s\n' "$line" >>"$tsv"
	done
done

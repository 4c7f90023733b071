#!/bin/sh
# Run each libFuzzer harness for a while: tests/fuzz/run.sh BUILD SECONDS NAME...
# Seeds are copied from tests/fixtures, samples/ and lexicons/ into a scratch
# corpus under $TMPDIR that is thrown away afterwards; crashes land in
# BUILD/artifacts/NAME/. A crash input, minimised, belongs in
# tests/fuzz/regressions/NAME/ so that 'make test' replays it for ever.
set -u
LC_ALL=C
export LC_ALL
build=$1 secs=$2
shift 2
top=$(cd "$(dirname "$0")/../.." && pwd)
scratch=$(mktemp -d "${TMPDIR:-/tmp}/slant-fuzz.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
failed=""

# seed FILE NAME [PREFIX]: copy FILE into the corpus, after PREFIX (the
# harness's selector byte) if given, cut to 64 KiB.
seed() {
	{ [ -n "${3:-}" ] && printf '%s' "$3"; head -c 65536 "$1"; } >"$corpus/$2"
}

for name in "$@"; do
	corpus=$scratch/$name
	mkdir -p "$corpus" "$build/artifacts/$name"
	maxlen=16384
	case $name in
	fuzz_ingest)
		maxlen=65536
		for f in "$top"/tests/fixtures/ingest/*.html; do seed "$f" "$(basename "$f")" 0; done
		for f in "$top"/tests/fixtures/ingest/*.jsonl; do seed "$f" "$(basename "$f")" 2; done
		for f in "$top"/samples/*.txt; do seed "$f" "$(basename "$f")" 1; done
		i=0
		for f in "$top"/tests/fixtures/extraction-dev/html/*.html.gz; do
			i=$((i + 1))
			[ $i -gt 12 ] && break
			gzip -dc "$f" >"$scratch/page" && seed "$scratch/page" "page$i.html" 0
			[ $i -le 2 ] && seed "$f" "page$i.html.gz" 5
		done ;;
	fuzz_jsonl)
		for f in "$top"/tests/fixtures/ingest/*.jsonl; do seed "$f" "$(basename "$f")"; done
		printf '{"id":"x","text":"T\\n\\nBody \\u201cq\\u201d."}\n{bad\n\n"str"\n' >"$corpus/mixed" ;;
	fuzz_conf)
		seed "$top/pipeline.conf" pipeline.conf
		for f in "$top"/tests/fixtures/*.conf "$top"/tests/fixtures/*/*.conf; do
			[ -f "$f" ] && seed "$f" "$(basename "$f")"
		done ;;
	fuzz_lex)
		for f in "$top"/lexicons/*.tsv "$top"/tests/fixtures/lexicons/*.tsv; do
			case $f in */outlets.tsv) continue ;; esac
			seed "$f" "$(basename "$f")"
		done ;;
	fuzz_register)
		head -60 "$top/lexicons/outlets.tsv" >"$corpus/outlets-head.tsv"
		for f in "$top"/tests/fixtures/register/*.tsv "$top"/tests/fixtures/*/outlets*.tsv; do
			[ -f "$f" ] && seed "$f" "$(basename "$f")"
		done ;;
	fuzz_segment)
		for f in "$top"/samples/*.txt; do seed "$f" "$(basename "$f")"; done ;;
	esac
	# Regression inputs are seeds too.
	[ -d "$top/tests/fuzz/regressions/$name" ] &&
		cp "$top/tests/fuzz/regressions/$name"/* "$corpus/" 2>/dev/null
	log=$build/artifacts/$name/fuzz.log
	"$build/fuzzer/$name" -max_total_time="$secs" -max_len=$maxlen -timeout=10 \
		-rss_limit_mb=2048 -close_fd_mask=2 -print_final_stats=1 \
		-artifact_prefix="$build/artifacts/$name/" "$corpus" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1 runs in \2 s/p' "$log")
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
	if [ $rc -eq 0 ]; then
		printf 'fuzz %-16s ok: %s, %s, corpus %s\n' "$name" "${runs:-?}" "${cov:-?}" \
			"$(ls "$corpus" | wc -l)"
	else
		failed="$failed $name"
		printf 'fuzz %-16s FAILED (exit %d); log %s\n' "$name" $rc "$log"
		grep -E '^(==[0-9]+==ERROR|SUMMARY|artifact_prefix|Test unit written)|runtime error' "$log" |
			head -5 | sed 's/^/  /'
	fi
done
[ -z "$failed" ] || { echo "fuzz: crashes in:$failed (see $build/artifacts)"; exit 1; }

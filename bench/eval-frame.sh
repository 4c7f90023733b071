#!/bin/sh
# eval-frame.sh BIN PTC_DIR RAW_LIST OUT_TSV -- `make eval-frame`: slant-frame's
# loaded spans against PTC-dev (Loaded_Language, Name_Calling,Labeling) with
# slant-eval, on the tuning half (odd article ids) and the held-out half (even),
# then the raw word list RAW_LIST matched the same way, as the baseline.
# Per-entry figures of the tuning half go to OUT_TSV. Data absent: skip.
set -u
bin=$1 ptc=$2 raw=$3 out=$4
if [ ! -f "$ptc/labels.tsv" ]; then
	echo "eval-frame: no PTC data at '$ptc' (labels.tsv missing); skipped"
	exit 0
fi
rc=0
echo "== lexicons/framing.tsv, odd article ids (tuning half)"
"$bin/slant-eval" --split odd --tsv "$out" --top 10 --examples 1 "$ptc" || rc=1
echo
echo "== lexicons/framing.tsv, even article ids (held out)"
"$bin/slant-eval" --split even --top 5 --examples 1 "$ptc" || rc=1
if [ -f "$raw" ]; then
	tmp=$(mktemp "${TMPDIR:-/tmp}/eval-frame.XXXXXX")
	trap 'rm -f "$tmp"' EXIT
	# A list word that cannot be a lexicon term ("anti-") is skipped with a message.
	"$bin/slant-lexicon" import --words "$raw" --category raw --note "raw word list" >"$tmp"
	if [ -s "$tmp" ]; then
		echo
		echo "== baseline: the raw list $(basename "$raw"), even article ids"
		# The summary rows only: a raw list's per-entry table is thousands of lines.
		"$bin/slant-eval" --lexicon "$tmp" --split even --top 0 --examples 0 "$ptc" |
			grep -E '^(slant-eval|  unit|  frame)' || rc=1
	else
		rc=1
	fi
fi
echo
echo "eval-frame: per-entry figures of the tuning half in $out"
exit $rc

#!/bin/sh
# eval-gold.sh BIN PTC_DIR POLNEAR_DIR -- the slant-eval figures of docs/evaluation.md.
# Tuning halves first (PTC odd article ids, PolNeAR train), then the held-out ones
# (PTC even ids, PolNeAR dev). Data absent: say so and skip (the project keeps no copy).
set -u
bin=$1 ptc=$2 polnear=$3
rc=0
if [ -f "$ptc/labels.tsv" ]; then
	for split in odd even; do
		echo "== PTC-dev, $split article ids ($( [ $split = odd ] && echo tuning || echo held out))"
		"$bin/slant-eval" --split $split --top 5 --examples 1 "$ptc" || rc=1
		echo
	done
else
	echo "eval-gold: no PTC data at '$ptc' (labels.tsv missing); skipped"
fi
if [ -d "$polnear/dev" ]; then
	for split in train dev; do
		echo "== PolNeAR $split ($( [ $split = train ] && echo tuning || echo held out))"
		"$bin/slant-eval" --top 5 --examples 1 "$polnear/$split" || rc=1
		echo
	done
else
	echo "eval-gold: no PolNeAR data at '$polnear'; skipped"
fi
exit $rc

#!/bin/sh
# bench/eval-validity.py (make eval-validity): the statistics on synthetic
# numbers (--self-test), the skip without data, and a run over invented articles
# and ratings (tests/fixtures/validity): the join by line, a rejected line
# counted and shown, a service piece reported apart, perfect separation read as
# AUC 1, a constant feature as 0.5, the TSV, and bad labels named by line.
. tests/e2e/lib.sh
EV="python3 bench/eval-validity.py"
V="$FIX/validity"

check_rc "self-test of AUC, Spearman, bootstrap and the not-news rule" 0 $EV --self-test
check_grep "self-test passes" '^self-test: ok \(0 failed\)' "$TMP/out"
check_rc "absent folder: skipped, exit 0" 0 $EV "$BIN" pipeline.conf "$TMP/none" "$V/subj.txt"
check_grep "says so" 'no .*none/articles.jsonl and labels.tsv: skipped' "$TMP/out"

check_rc "synthetic run" 0 $EV "$BIN" pipeline.conf "$V" "$V/subj.txt" --resamples 50 --tsv "$TMP/v.tsv"
cp "$TMP/out" "$TMP/run"
check_grep "counts" '^articles 14 \(lines 14\), reports 13, chain errors 1, without a report 1' "$TMP/run"
check_grep "the rejected line shown" '^  chain error: line 14: ingest: bad JSON' "$TMP/run"
check_grep "groups" 'with pc1: 13 articles \(high 7, mid 0, low 6\); with a label: 13 \(reliable 7, unreliable 6\)' "$TMP/run"
check_grep "the how-to is not news" '^not news .*high 1 of 7, mid 0 of 0, low 0 of 6' "$TMP/run"
check_grep "news-only table without it" '^== news only: 12 articles ==' "$TMP/run"
check_grep "all-articles table" '^== all articles: 13 articles ==' "$TMP/run"
check_grep "loaded outlets score lower: AUC 1 at article and outlet level" \
	'^score +12 +1\.000 \[1\.00,1\.00\] +1\.000 .* 1\.000 \[1\.00,1\.00\] +1\.000' "$TMP/run"
check_grep "the exclamation baseline separates them too" '^base: ! \+ CAPS /1k +12 +1\.000' "$TMP/run"
check_grep "a constant feature sits at 0.5, no rho" '^verbs +12 +0\.500 \[0\.50,0\.50\] +0\.500 \[0\.50,0\.50\] +- ' "$TMP/run"
check_grep "TSV header" '^subset	feature	criterion	n	value	ci_low	ci_high$' "$TMP/v.tsv"
check_grep "TSV row" '^news only	score	outlet_auc_hilo	12	1\.0000	1\.0000	1\.0000$' "$TMP/v.tsv"

mkdir "$TMP/bad"
cp "$V/articles.jsonl" "$TMP/bad/"
sed '3s/	0\.9	/	high	/' "$V/labels.tsv" >"$TMP/bad/labels.tsv"
check_rc "a bad pc1 stops the run" 1 $EV "$BIN" pipeline.conf "$TMP/bad" "$V/subj.txt"
check_grep "naming file and line" 'bad/labels.tsv:3: pc1 .high. is not a number' "$TMP/err"
check_rc "a missing subjectivity list stops the run" 1 $EV "$BIN" pipeline.conf "$V" "$TMP/nolist.txt"
check_grep "and says which" 'cannot open the subjectivity list .*nolist.txt' "$TMP/err"
check_grep "candidate and part rows are labelled" '^cand: clickbait headline +12 ' "$TMP/run"
check_grep "a part of a component measured alone" '^part: transp opinion +12 ' "$TMP/run"
check_grep "AUC within each dataset" '^score +1\.000 +1\.000 *$' "$TMP/run"

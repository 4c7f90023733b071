#!/bin/sh
# Print a short summary of a slant database: what `make demo` shows after the run.
# usage: sh tests/demo-summary.sh slant.db
set -eu
LC_ALL=C
export LC_ALL
db=${1:-slant.db}
if [ ! -f "$db" ]; then
	echo "demo-summary: no database '$db'" >&2
	exit 2
fi
command -v sqlite3 >/dev/null 2>&1 || { echo "demo-summary: sqlite3 not installed" >&2; exit 2; }
q() { sqlite3 -batch -noheader "$db" "$1"; }

echo
echo "== $db =="
q "SELECT printf('%d articles (%d ok, %d with status error), %d annotations, %d errors, %d run(s)',
	(SELECT count(*) FROM articles), (SELECT count(*) FROM articles WHERE status = 'ok'),
	(SELECT count(*) FROM articles WHERE status = 'error'), (SELECT count(*) FROM annotations),
	(SELECT count(*) FROM errors), (SELECT count(*) FROM runs))"
q "SELECT printf('last run %s: %s %s, config %s (sha256 %.12s...), %d read, %d stored, %d errors',
	id, program, version, coalesce(config_path, '(built-in)'), coalesce(config_hash, '-'),
	n_read, n_stored, n_errors) FROM runs ORDER BY started DESC, id DESC LIMIT 1"

echo
echo "Articles:"
q "SELECT printf('  %-18s %5d words  %s', id, words,
	substr(coalesce(title, '(no title)'), 1, 60) || CASE WHEN length(title) > 60 THEN '...' ELSE '' END)
	FROM articles ORDER BY source_path, id LIMIT 10"

echo
echo "Annotations by stage and label:"
q "SELECT printf('  %-8s %-14s %6d', coalesce(stage, '?'), coalesce(label, '?'), count(*))
	FROM annotations GROUP BY stage, label ORDER BY stage, label"

if [ "$(q "SELECT count(*) FROM annotations WHERE label = 'quote'")" -gt 0 ]; then
	echo
	echo "Example quotations (article, [start,end), speaker):"
	# The speaker is slant-attrib's, on its 'speaker' annotation over the same span.
	q "SELECT printf('  %.10s [%d,%d) %-20s %s', q.article_id, q.start, q.end,
		coalesce((SELECT json_extract(s.fields, '$.speaker') FROM annotations s
			WHERE s.article_id = q.article_id AND s.stage = 'attrib' AND s.label = 'speaker'
			AND s.start = q.start AND s.end = q.end LIMIT 1), '-'),
		substr(replace(q.text, char(10), ' '), 1, 70) || CASE WHEN length(q.text) > 70 THEN '...' ELSE '' END)
		FROM annotations q WHERE q.stage = 'segment' AND q.label = 'quote' ORDER BY q.article_id, q.seq LIMIT 5"
fi
if [ "$(q "SELECT count(*) FROM annotations WHERE stage <> 'segment'")" -gt 0 ]; then
	echo
	echo "Example annotations from later stages:"
	q "SELECT printf('  %.10s %-7s %-12s %s', article_id, stage, label,
		substr(replace(text, char(10), ' '), 1, 60))
		FROM annotations WHERE stage <> 'segment' AND label <> 'none' ORDER BY article_id, seq LIMIT 5"
fi

echo
if [ "$(q 'SELECT count(*) FROM errors')" -gt 0 ]; then
	echo "Errors (first 5):"
	q "SELECT printf('  %s%s: %s: %s', coalesce(input, '?'), coalesce(':' || line, ''),
		coalesce(stage, '?'), message) FROM errors ORDER BY id LIMIT 5"
else
	echo "Errors: none"
fi
echo
echo "Query it: sqlite3 $db 'SELECT label, count(*) FROM annotations GROUP BY label'"
echo "(tables and example queries: docs/schema.md)"

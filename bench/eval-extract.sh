#!/bin/sh
# eval-extract.sh BIN DIR [--per-page] -- score slant-ingest's body extraction on the
# article-extraction benchmark pages in DIR (html/*.html.gz and ground-truth.json),
# with the benchmark's own rule (bench/extract_score.py): precision, recall, F1. With
# metadata labels (EXTRACT_META, else DIR/metadata.tsv: hand labels, METADATA.md), also each metadata field's accuracy
# (bench/extract_meta.py) on the records after slant-segment | slant-affil, which
# decides byline_kind and opinion.
set -u
bin=${1:?usage: eval-extract.sh BIN DIR [--per-page]}
dir=${2:?usage: eval-extract.sh BIN DIR [--per-page]}
shift 2
if [ ! -f "$dir/ground-truth.json" ] || [ ! -d "$dir/html" ]; then
	echo "eval-extract: $dir not found (html/ and ground-truth.json); skipped"
	exit 0
fi
command -v python3 >/dev/null || { echo "eval-extract: python3 not found; skipped"; exit 0; }
here=$(dirname "$0")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/slant-eval.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# The body is the text without its first paragraph (the title).
"$bin/slant-ingest" "$dir/html" 2>"$tmp/err" >"$tmp/rec.jsonl"
python3 -c '
import json, os, sys
for line in sys.stdin:
    r = json.loads(line)
    path = r.get("source", {}).get("path", "")
    key = os.path.basename(path).split(".")[0]
    text = r.get("text", "") if r.get("status") != "error" else ""
    body = text.split("\n\n", 1)[1] if "\n\n" in text else ""
    print(json.dumps({"id": key, "body": body}))
' <"$tmp/rec.jsonl" >"$tmp/pred.jsonl" || { echo "eval-extract: failed"; cat "$tmp/err"; exit 1; }
python3 "$here/extract_score.py" "$dir/ground-truth.json" "$tmp/pred.jsonl" "$@" || exit 1
meta=${EXTRACT_META:-$dir/metadata.tsv}
[ -f "$meta" ] || { echo "eval-extract: no metadata labels ($meta); metadata not scored"; exit 0; }
"$bin/slant-segment" <"$tmp/rec.jsonl" 2>>"$tmp/err" | "$bin/slant-affil" -c "$here/../pipeline.conf" \
	>"$tmp/affil.jsonl" 2>>"$tmp/err" || { echo "eval-extract: slant-affil failed"; cat "$tmp/err"; exit 1; }
python3 "$here/extract_meta.py" "$meta" "$tmp/affil.jsonl" "$@"

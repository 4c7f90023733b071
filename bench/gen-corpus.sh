#!/bin/sh
# gen-corpus.sh BIN DIR [MB] -- build a bench corpus of at least MB (default 100) megabytes
# of article text from the seed articles in samples/, reused when present:
#   DIR/corpus.txt    raw article text (title, blank line, paragraphs), one article
#                     after another, for the matcher-only bench and grep/pcre2grep;
#   DIR/corpus.jsonl  the same articles as records after slant-segment (or marked as
#                     segmented when slant-segment is not built), for slant-frame.
# Articles are the seeds' paragraphs reshuffled with a fixed seed, so term frequencies
# stay those of real news text and two runs build the same bytes.
set -eu
bin=$1 dir=$2 mb=${3:-100}
mkdir -p "$dir"
if [ -s "$dir/corpus.txt" ] && [ -s "$dir/corpus.jsonl" ] &&
   [ "$(wc -c <"$dir/corpus.txt")" -ge $((mb * 1000000)) ]; then
	exit 0
fi
echo "gen-corpus: writing $mb MB of article text to $dir" >&2
python3 - "$dir" "$mb" samples/0*.txt <<'PY'
import json, random, sys
out, mb, files = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
paras, titles = [], []
for f in files:
    parts = [p.strip() for p in open(f, encoding="utf-8").read().split("\n\n") if p.strip()]
    titles.append(parts[0])
    paras.extend(parts[1:])
rng = random.Random(20250314)
size, n = 0, 0
with open(out + "/corpus.txt", "w", encoding="utf-8") as txt, \
     open(out + "/ingest.jsonl", "w", encoding="utf-8") as js:
    while size < mb * 1000000:
        title = rng.choice(titles)
        body = rng.sample(paras, rng.randint(6, 14))
        text = title + "\n\n" + "\n\n".join(body)
        txt.write(text + "\n\n")
        js.write(json.dumps({"format": 1, "id": "c-%016x" % n, "source": {"path": "bench", "type": "text"},
                             "title": title, "text": text, "stages": ["ingest"], "annotations": []},
                            ensure_ascii=False) + "\n")
        size += len(text.encode("utf-8")) + 2
        n += 1
PY
if [ -x "$bin/slant-segment" ]; then
	"$bin/slant-segment" <"$dir/ingest.jsonl" >"$dir/corpus.jsonl"
else
	echo "gen-corpus: $bin/slant-segment not built; records marked as segmented" >&2
	sed 's/"stages": \["ingest"\]/"stages": ["ingest", "segment"]/' "$dir/ingest.jsonl" >"$dir/corpus.jsonl"
fi
rm -f "$dir/ingest.jsonl"

#!/usr/bin/env python3
"""gen-bench-corpus.py DIR [MB] -- the benchmark corpus for `make bench` (bench/README.md).

Writes at least MB (default 100) megabytes of plain-text articles built from the
seed articles in samples/:

  DIR/txt/NNN/NNNNNN.txt  one article per file, as slant-ingest reads plain text
                          (title line, blank line, paragraphs separated by blank lines)
  DIR/corpus.txt          the same files' bytes one after the other (for cat, grep,
                          pcre2grep and the Python baseline: the same bytes)
  DIR/corpus.stamp        what was built (MB, articles, bytes); a later run with the
                          same MB and generator reuses the corpus

The seeds' paragraphs are shuffled across articles, and each article gets its own
people, places and numbers: names found in the seeds are replaced, per article, by
names drawn from a pool of generated ones, and every number by another of the same
shape. So every article is different (ids differ), the vocabulary grows with the
corpus as real news does, and the matcher sees varied text, while the framing
vocabulary keeps the frequencies of real news text. A fixed seed: two runs build
the same bytes.
"""
import glob
import hashlib
import os
import random
import re
import sys

VERSION = "3"  # bump when the output changes, so old corpora are rebuilt


def paragraphs(path):
    text = open(path, encoding="utf-8").read().replace("\r\n", "\n")
    parts = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    if len(parts) == 1:  # a body without blank lines: a paragraph per line
        parts = [p.strip() for p in text.split("\n") if p.strip()]
    return [re.sub(r"\s+", " ", p) for p in parts]


# Capitalised words that are not names (sentence starts, months, titles).
COMMON = set("""The A An In On At Of For And But Or To From By With As It Its This That These
Those He She They We I You His Her Their Our Your Who What When Where Why How According
However Last Next During After Before While Since Although Related Photo Reference Image
Mr Ms Mrs Dr President Minister Ministry Government Deputy Secretary General Department
Republic Federation State States United Council Chamber Legislature Cabinet Academy
January February March April May June July August September October November December
Monday Tuesday Wednesday Thursday Friday Saturday Sunday Island Cold War Act Agency
Defense Defence Civil Protection Emergencies Interior Security Foreign Affairs Military
International Cooperation Affairs Army Armed Forces Navy Air Force Embassy Meeting""".split())

SYL = ["ba", "ka", "lo", "mi", "ra", "ve", "do", "sa", "ni", "to", "ge", "ru", "li", "ma",
       "po", "ze", "ha", "el", "an", "or", "is", "ta", "ko", "vi", "na", "de", "su", "fa"]


def make_name(rng):
    w = "".join(rng.choice(SYL) for _ in range(rng.randint(2, 4)))
    return w[0].upper() + w[1:]


def main():
    out = sys.argv[1]
    mb = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    seeds = sorted(glob.glob("samples/0*.txt"))
    if not seeds:
        sys.exit("gen-bench-corpus: no samples/0*.txt (run from the project root)")
    h = hashlib.sha256(VERSION.encode())
    for s in seeds:
        h.update(open(s, "rb").read())
    stamp_want = "mb=%d gen=%s" % (mb, h.hexdigest()[:16])
    stamp = os.path.join(out, "corpus.stamp")
    if os.path.exists(stamp) and open(stamp).read().split("\n")[0] == stamp_want \
            and os.path.exists(os.path.join(out, "corpus.txt")):
        return
    print("gen-bench-corpus: writing %d MB of articles to %s" % (mb, out), file=sys.stderr)

    titles, paras = [], []
    for s in seeds:
        p = paragraphs(s)
        # The title is the first line that reads like a headline (001 opens with
        # a site banner, "Euro ES Euro").
        t = next(i for i, x in enumerate(p) if len(x) >= 30)
        titles.append(p[t])
        paras.extend(p[:t] + p[t + 1:])
    # Names of the seeds: capitalised words not at a sentence start and not common.
    found = {}
    for p in titles + paras:
        for m in re.finditer(r"(?<=[a-z,;] )([A-Z][a-záéíóúñ]{2,})\b", p):
            w = m.group(1)
            if w not in COMMON:
                found[w] = found.get(w, 0) + 1
    names = sorted(found)
    name_re = re.compile(r"\b(" + "|".join(map(re.escape, names)) + r")\b")
    num_re = re.compile(r"\d+")

    rng = random.Random(20250314)
    pool = sorted({make_name(rng) for _ in range(60000)})

    def perturb(text, mapping):
        text = name_re.sub(lambda m: mapping.get(m.group(1), m.group(1)), text)

        def num(m):
            d = m.group(0)
            if len(d) == 4 and d[:2] in ("19", "20"):
                return str(rng.randint(1990, 2030))
            return str(rng.randint(10 ** (len(d) - 1) if len(d) > 1 else 0, 10 ** len(d) - 1))
        return num_re.sub(num, text)

    txtdir = os.path.join(out, "txt")
    os.makedirs(txtdir, exist_ok=True)
    for old in glob.glob(os.path.join(txtdir, "*", "*.txt")):
        os.unlink(old)
    size = n = 0
    with open(os.path.join(out, "corpus.txt"), "w", encoding="utf-8") as cat:
        while size < mb * 1000000:
            # About a third of the seeds' names take another name in this article.
            mapping = {w: rng.choice(pool) for w in names if rng.random() < 0.35}
            title = perturb(rng.choice(titles), mapping)
            body = [perturb(p, mapping) for p in rng.sample(paras, rng.randint(12, 28))]
            text = title + "\n\n" + "\n\n".join(body) + "\n"
            sub = os.path.join(txtdir, "%03d" % (n // 1000))
            if n % 1000 == 0:
                os.makedirs(sub, exist_ok=True)
            with open(os.path.join(sub, "%06d.txt" % n), "w", encoding="utf-8") as fp:
                fp.write(text)
            cat.write(text)
            size += len(text.encode("utf-8"))
            n += 1
    with open(stamp, "w") as fp:
        fp.write("%s\narticles=%d bytes=%d\n" % (stamp_want, n, size))
    print("gen-bench-corpus: %d articles, %d bytes" % (n, size), file=sys.stderr)


if __name__ == "__main__":
    main()

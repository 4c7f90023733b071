#!/usr/bin/env python3
"""baseline_frame.py LEXICON PATH -- THE BASELINE, not slant: the framing lexicon
matched the way a researcher would write it in an afternoon with Python's `re`.

Loads the TSV lexicon (term, category, weight, ...), turns every entry into a
regex -- a literal term escaped (a space or hyphen between words matching either),
`word*` as `word\\w*`, `re:PATTERN` as is -- joins them into one big
case-insensitive alternation between word boundaries (longest first, so phrases
win), and runs it over every article: PATH is a directory of .txt files (one
article each) or one text file. Prints articles, bytes and matches per category.
It does no exclusions, no voice, no JSON: it only finds the terms. `make bench`
times it on the same bytes as slant (bench/README.md).
"""
import collections
import os
import re
import sys


def load(path):
    entries = []
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#") or line.startswith("@"):
            continue
        f = [x.strip() for x in line.split("\t")]
        if f[0] == "term" or len(f) < 3:
            continue
        entries.append((f[0], f[1]))
    return entries


def pattern(term):
    if term.startswith("re:"):
        return term[3:]
    wild = term.endswith("*")
    words = re.split(r"[\s-]+", term.rstrip("*"))
    p = r"[\s-]+".join(re.escape(w) for w in words)
    return p + (r"\w*" if wild else "")


def main():
    lexicon, path = sys.argv[1], sys.argv[2]
    entries = load(lexicon)
    entries.sort(key=lambda e: -len(e[0]))
    category = {}
    alts = []
    for i, (term, cat) in enumerate(entries):
        # One named group per entry would pass Python's 100-group limit: keep a
        # list of patterns and find the entry of a match by its lower-cased text.
        alts.append("(?:%s)" % pattern(term))
        category[term.lower().rstrip("*")] = cat
    big = re.compile(r"\b(?:" + "|".join(alts) + r")\b", re.IGNORECASE)
    if os.path.isdir(path):
        files = sorted(os.path.join(d, f) for d, _, fs in os.walk(path) for f in fs
                       if f.endswith(".txt"))
    else:
        files = [path]
    counts = collections.Counter()
    narticles = nbytes = nmatches = 0
    for name in files:
        with open(name, encoding="utf-8") as fp:
            text = fp.read()
        narticles += 1
        nbytes += len(text.encode("utf-8"))
        for m in big.finditer(text):
            nmatches += 1
            counts[category.get(m.group(0).lower(), "other")] += 1
    print("articles %d bytes %d matches %d" % (narticles, nbytes, nmatches))
    for cat, n in counts.most_common():
        print("%s\t%d" % (cat, n))


if __name__ == "__main__":
    main()

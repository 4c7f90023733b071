#!/usr/bin/env python3
"""Write the audit set's BRAT standoff by quoting text, not counting bytes.

    audit-brat.py add DIR NAME LABEL "exact text" [N]

appends a T line for the N-th (default 1st) occurrence of the exact text in
DIR/text/NAME.txt to DIR/ann/NAME.ann, with BRAT's offsets (characters, which
slant-eval converts to bytes). It refuses text that is not in the file, an N
past the last occurrence, and a span already annotated with the same label.

    audit-brat.py check DIR

checks every .ann against its text (labels, offsets, covered text) and prints
the counts per label. The labels are those of tests/fixtures/audit/GUIDELINES.md.
"""
import os
import sys

LABELS = {
    "Loaded_own", "Scare_quote",
    "Attributed", "Vague", "Anonymous", "Unattributed", "None",
    "Source", "Cue",
}


def paths(d, name):
    return os.path.join(d, "text", name + ".txt"), os.path.join(d, "ann", name + ".ann")


def read_ann(path):
    rows = []
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                line = line.rstrip("\n")
                if not line:
                    continue
                tid, mid, text = line.split("\t")
                label, s, e = mid.split(" ")
                rows.append((n, tid, label, int(s), int(e), text))
    return rows


def add(d, name, label, quote, nth):
    tpath, apath = paths(d, name)
    if label not in LABELS:
        sys.exit("audit-brat: unknown label '%s' (one of %s)" % (label, " ".join(sorted(LABELS))))
    with open(tpath, encoding="utf-8") as f:
        text = f.read()
    if "\n" in quote or "\t" in quote:
        sys.exit("audit-brat: a span is on one line: annotate each paragraph's part apart")
    at = -1
    for _ in range(nth):
        at = text.find(quote, at + 1)
        if at < 0:
            sys.exit("audit-brat: %s: occurrence %d of %r not found" % (tpath, nth, quote))
    rows = read_ann(apath)
    if any(r[2] == label and r[3] == at and r[4] == at + len(quote) for r in rows):
        sys.exit("audit-brat: %s %r is annotated already" % (label, quote))
    os.makedirs(os.path.dirname(apath), exist_ok=True)
    with open(apath, "a", encoding="utf-8") as f:
        f.write("T%d\t%s %d %d\t%s\n" % (len(rows) + 1, label, at, at + len(quote), quote))


def check(d):
    counts, bad = {}, 0
    for fn in sorted(os.listdir(os.path.join(d, "ann"))):
        name = fn[:-4]
        tpath, apath = paths(d, name)
        with open(tpath, encoding="utf-8") as f:
            text = f.read()
        for n, tid, label, s, e, quote in read_ann(apath):
            if label not in LABELS or text[s:e] != quote:
                print("%s:%d: %s %d %d does not cover %r" % (apath, n, label, s, e, quote))
                bad += 1
            counts[label] = counts.get(label, 0) + 1
    for label in sorted(counts):
        print("%-14s %5d" % (label, counts[label]))
    return 1 if bad else 0


def main(argv):
    if len(argv) >= 6 and argv[1] == "add":
        add(argv[2], argv[3], argv[4], argv[5], int(argv[6]) if len(argv) > 6 else 1)
        return 0
    if len(argv) == 3 and argv[1] == "check":
        return check(argv[2])
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv))

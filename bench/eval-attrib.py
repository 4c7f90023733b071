#!/usr/bin/env python3
"""eval-attrib.py -- score slant-attrib against public gold data (make eval-attrib).

usage: eval-attrib.py BIN WIKI_WEASEL POLNEAR [--tune]

wiki-weasel (CoNLL-2010 Wikipedia, train.csv: text,label): a sentence counts as
marked when slant-attrib labels it vague or anonymous or puts a hedge in it;
F1 against label 1 (uncertain). Data rows with an odd 0-based index are
reported; the others (1st, 3rd, 5th, ...) were used for tuning the lexicons
(--tune scores those).

PolNeAR (BRAT standoff, code-point offsets): the dev split is reported (train
with --tune). A gold sentence is attributed when it holds a Cue span or is at
least half covered by Content spans; slant's are those labelled attributed,
vague or anonymous. Sources: slant's source spans (of uncarried labels) and
speaker spans against gold Source spans, matched by overlap.

The records fed to the chain carry the text exactly, so offsets map: byte
offsets from slant are turned into code points here.
"""
import csv
import json
import os
import re
import subprocess
import sys


def run_chain(bindir, records):
    """Feed records through slant-segment | slant-attrib; return output records by id."""
    seg = subprocess.Popen([os.path.join(bindir, "slant-segment")], stdin=subprocess.PIPE,
                           stdout=subprocess.PIPE)
    att = subprocess.Popen([os.path.join(bindir, "slant-attrib")], stdin=seg.stdout,
                           stdout=subprocess.PIPE)
    seg.stdout.close()
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()
    import threading
    t = threading.Thread(target=lambda: (seg.stdin.write(data), seg.stdin.close()))
    t.start()
    out = att.stdout.read()
    t.join()
    seg.wait()
    att.wait()
    if att.returncode not in (0, 1):
        sys.exit("eval-attrib: slant-attrib exited with %d" % att.returncode)
    return {r["id"]: r for r in map(json.loads, out.decode().splitlines())}


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def detok(s):
    s = s.replace("-LRB-", "(").replace("-RRB-", ")").replace("``", '"').replace("''", '"')
    return re.sub(r"\s+", " ", s).strip()


def wiki(bindir, path, tune):
    csvf = os.path.join(path, "train.csv")
    with open(csvf, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    half = [(i, r) for i, r in enumerate(rows) if (i % 2 == 0) == tune]
    recs = []
    for i, r in half:
        text = "Wikipedia sentence %d\n\n%s" % (i, detok(r["text"]))
        recs.append({"format": 1, "id": "w%d" % i, "text": text, "stages": ["ingest"]})
    out = run_chain(bindir, recs)
    tp = fp = fn = 0
    for i, r in half:
        o = out.get("w%d" % i)
        body = len(("Wikipedia sentence %d\n\n" % i).encode())
        marked = False
        for a in (o or {}).get("annotations", []):
            if a["stage"] == "attrib" and a["start"] >= body and \
                    a["label"] in ("vague", "anonymous", "hedge"):
                marked = True
        gold = r["label"].strip() == "1"
        tp += marked and gold
        fp += marked and not gold
        fn += gold and not marked
    p, r, f = prf(tp, fp, fn)
    print("wiki-weasel %s half (%d sentences, %d uncertain): P %.3f R %.3f F1 %.3f"
          % ("tuning" if tune else "held-out", len(half), tp + fn, p, r, f))


def read_ann(path):
    spans = {"Source": [], "Cue": [], "Content": []}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 2 or not parts[0].startswith("T"):
                continue
            fields = parts[1].split(" ", 1)
            if fields[0] not in spans or len(fields) < 2:
                continue
            for piece in fields[1].split(";"):
                s, e = piece.split()
                spans[fields[0]].append((int(s), int(e)))
    return spans


def byte_to_cp(text):
    """Map byte offset -> code point offset."""
    m = []
    for i, ch in enumerate(text):
        m.extend([i] * len(ch.encode()))
    m.append(len(text))
    return m


def overlap(a, b):
    return a[0] < b[1] and b[0] < a[1]


def polnear(bindir, path, tune):
    split = "train" if tune else "dev"
    tdir = os.path.join(path, split, "text")
    adir = os.path.join(path, split, "attributions")
    anns = sorted(os.listdir(adir))
    docs = []
    for name in sorted(os.listdir(tdir)):
        base = name[:-4]
        ann = [a for a in anns if a.startswith(base + "_")]
        if not ann:
            continue
        with open(os.path.join(tdir, name), encoding="utf-8") as f:
            text = f.read()
        docs.append((base, text, read_ann(os.path.join(adir, ann[0]))))
    recs = [{"format": 1, "id": b, "text": t, "stages": ["ingest"]} for b, t, _ in docs]
    out = run_chain(bindir, recs)
    stp = sfp = sfn = 0
    src_found = src_pred = src_gold_hit = src_gold = 0
    for base, text, gold in docs:
        o = out.get(base)
        if not o:
            continue
        b2c = byte_to_cp(text)
        cp = lambda a, s="start", e="end": (b2c[a[s]], b2c[a[e]])
        pred_src = set()
        for a in o.get("annotations", []):
            if a["stage"] != "attrib":
                continue
            if a["label"] in ("attributed", "vague", "anonymous", "unattributed", "none"):
                span = cp(a)
                n = span[1] - span[0]
                cov = sum(max(0, min(span[1], e) - max(span[0], s)) for s, e in gold["Content"])
                g = any(overlap(span, c) for c in gold["Cue"]) or (n and cov * 2 >= n)
                p = a["label"] in ("attributed", "vague", "anonymous")
                stp += p and g
                sfp += p and not g
                sfn += g and not p
                if p and not a.get("carried") and a.get("source_end") is not None:
                    pred_src.add(cp(a, "source_start", "source_end"))
            elif a["label"] == "speaker":
                pred_src.add(cp(a, "speaker_start", "speaker_end"))
        src_pred += len(pred_src)
        src_found += sum(1 for p in pred_src if any(overlap(p, g) for g in gold["Source"]))
        src_gold += len(gold["Source"])
        src_gold_hit += sum(1 for g in gold["Source"] if any(overlap(p, g) for p in pred_src))
    p, r, f = prf(stp, sfp, sfn)
    print("PolNeAR %s (%d articles): attributed sentences P %.3f R %.3f F1 %.3f"
          % (split, len(docs), p, r, f))
    sp = src_found / src_pred if src_pred else 0.0
    sr = src_gold_hit / src_gold if src_gold else 0.0
    print("PolNeAR %s: sources P %.3f (%d of %d found) R %.3f (%d of %d gold)"
          % (split, sp, src_found, src_pred, sr, src_gold_hit, src_gold))


def main():
    args = [a for a in sys.argv[1:] if a != "--tune"]
    tune = "--tune" in sys.argv
    if len(args) != 3:
        sys.exit(__doc__.strip().splitlines()[2])
    bindir, wpath, ppath = args
    if os.path.exists(os.path.join(wpath, "train.csv")):
        wiki(bindir, wpath, tune)
    else:
        print("eval-attrib: skipping wiki-weasel: no '%s/train.csv'" % wpath)
    if os.path.isdir(os.path.join(ppath, "dev" if not tune else "train", "text")):
        polnear(bindir, ppath, tune)
    else:
        print("eval-attrib: skipping PolNeAR: no '%s'" % ppath)


if __name__ == "__main__":
    main()

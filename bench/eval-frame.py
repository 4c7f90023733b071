#!/usr/bin/env python3
"""eval-frame.py -- score slant-frame against PTC gold spans (docs/frame.md, 'Evaluation').

usage: eval-frame.py BIN PTC_DIR [--lexicon FILE]... [--baseline-list FILE] [--entries OUT.tsv]

PTC_DIR holds articles/articleNNN.txt and labels.tsv (article, technique, start, end;
offsets in code points). Gold spans are the techniques Loaded_Language and
Name_Calling,Labeling. Each article becomes one record whose text is exactly the
file's content, so code-point offsets map to slant's byte offsets 1:1. Records go
through BIN/slant-segment (if built) and BIN/slant-frame; every "loaded" annotation
is a predicted span (scare quotes are not: PTC has no such technique).

Figures, for all articles and for odd and even article ids apart (the lexicon is
tuned on the odd half only; the even half is the held-out figure):
  token-overlap P/R/F1: word tokens covered by predicted spans against word tokens
      covered by gold spans, micro-averaged over all articles;
  span-overlap P/R/F1: a predicted span is right when it overlaps a gold span, a gold
      span is found when a predicted span overlaps it.
Per lexicon entry (odd half only), hits / TP / FP go to --entries (default
build/eval-frame-entries.tsv), with the top lines printed, and the gold words most
often missed.
"""
import collections
import json
import os
import re
import subprocess
import sys

GOLD = {"Loaded_Language", "Name_Calling,Labeling"}
WORD = re.compile(r"\w+(?:['\u2019]\w+)*")


def usage():
    sys.stderr.write(__doc__.split("\n\n")[1] + "\n")
    sys.exit(2)


def load_ptc(root):
    arts = {}
    adir = os.path.join(root, "articles")
    for name in sorted(os.listdir(adir)):
        m = re.match(r"article(\d+)\.txt$", name)
        if not m:
            continue
        with open(os.path.join(adir, name), encoding="utf-8", newline="") as fp:
            arts[m.group(1)] = {"path": os.path.join(adir, name), "text": fp.read(), "gold": []}
    with open(os.path.join(root, "labels.tsv"), encoding="utf-8") as fp:
        for line in fp:
            f = line.rstrip("\n").split("\t")
            if len(f) == 4 and f[1] in GOLD and f[0] in arts:
                arts[f[0]]["gold"].append((int(f[2]), int(f[3])))
    return arts


def run_frame(binp, arts, lexicons):
    recs = []
    for aid, a in arts.items():
        text = a["text"]
        title = text.split("\n", 1)[0]
        recs.append(json.dumps({"format": 1, "id": "c-ptc" + aid,
                                "source": {"path": a["path"], "type": "text"},
                                "title": title, "text": text, "stages": ["ingest"],
                                "annotations": []}, ensure_ascii=False))
    data = ("\n".join(recs) + "\n").encode("utf-8")
    seg = os.path.join(binp, "slant-segment")
    if os.access(seg, os.X_OK):
        data = subprocess.run([seg], input=data, stdout=subprocess.PIPE, check=True).stdout
    else:
        print("note: %s not built; records marked as segmented without annotations" % seg)
        data = data.replace(b'"stages": ["ingest"]', b'"stages": ["ingest", "segment"]')
    cmd = [os.path.join(binp, "slant-frame")]
    for lx in lexicons:
        cmd += ["--lexicon", lx]
    out = subprocess.run(cmd, input=data, stdout=subprocess.PIPE, check=True).stdout
    pred = {}
    for line in out.decode("utf-8").splitlines():
        r = json.loads(line)
        aid = r["id"][len("c-ptc"):]
        b = r["text"].encode("utf-8")
        spans = []
        for an in r.get("annotations", []):
            if an.get("stage") != "frame" or an.get("label") != "loaded":
                continue
            # Byte offsets to code points.
            s = len(b[:an["start"]].decode("utf-8"))
            e = s + len(b[an["start"]:an["end"]].decode("utf-8"))
            spans.append((s, e, "%s:%s" % (an.get("lexicon", "?"), an.get("entry", "?"))))
        pred[aid] = spans
    return pred


def baseline_spans(text, words, prefixes):
    """A raw word list: every token equal to a word (or starting with a prefix)."""
    out = []
    for m in WORD.finditer(text):
        w = m.group(0).lower().replace("\u2019", "'")
        if w in words or any(w.startswith(p) for p in prefixes):
            out.append((m.start(), m.end(), w))
    return out


def covered_tokens(text, spans):
    marks = bytearray(len(text) + 1)
    for s, e, *_ in spans:
        for i in range(max(0, s), min(e, len(text))):
            marks[i] = 1
    toks = set()
    for m in WORD.finditer(text):
        if any(marks[i] for i in range(m.start(), m.end())):
            toks.add(m.start())
    return toks


def overlaps(a, b):
    return a[0] < b[1] and b[0] < a[1]


def prf(tp_p, n_p, tp_r, n_r):
    p = tp_p / n_p if n_p else 0.0
    r = tp_r / n_r if n_r else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(arts, pred, ids):
    tok = [0, 0, 0]   # tp, pred, gold
    span = [0, 0, 0, 0]  # pred right, pred, gold found, gold
    for aid in ids:
        text, gold, ps = arts[aid]["text"], arts[aid]["gold"], pred.get(aid, [])
        pt, gt = covered_tokens(text, ps), covered_tokens(text, gold)
        tok[0] += len(pt & gt)
        tok[1] += len(pt)
        tok[2] += len(gt)
        span[0] += sum(1 for p in ps if any(overlaps(p, g) for g in gold))
        span[1] += len(ps)
        span[2] += sum(1 for g in gold if any(overlaps(p, g) for p in ps))
        span[3] += len(gold)
    return prf(tok[0], tok[1], tok[0], tok[2]), prf(span[0], span[1], span[2], span[3]), span[1]


def report(title, arts, pred, groups):
    print(title)
    print("  %-10s %8s  %-22s %-22s" % ("articles", "spans", "token P / R / F1", "span P / R / F1"))
    for name, ids in groups:
        (tp, tr, tf), (sp, sr, sf), n = score(arts, pred, ids)
        print("  %-10s %8d  %.3f / %.3f / %.3f    %.3f / %.3f / %.3f   (%s, %d articles)"
              % (name, n, tp, tr, tf, sp, sr, sf, name, len(ids)))


def lexicon_terms(paths):
    words, prefixes = set(), []
    for path in paths:
        with open(path, encoding="utf-8") as fp:
            for line in fp:
                f = line.rstrip("\n").split("\t")
                t = f[0].strip().lower()
                if not t or t.startswith(("#", "@", "re:")) or t == "term" or len(f) < 3:
                    continue
                if " " in t or "-" in t:
                    continue
                if t.endswith("*"):
                    prefixes.append(t[:-1])
                else:
                    words.add(t)
    return words, prefixes


def main(argv):
    args, lexicons, baseline, entries_out = [], [], None, "build/eval-frame-entries.tsv"
    i = 0
    while i < len(argv):
        if argv[i] == "--lexicon" and i + 1 < len(argv):
            lexicons.append(argv[i + 1])
            i += 2
        elif argv[i] == "--baseline-list" and i + 1 < len(argv):
            baseline = argv[i + 1]
            i += 2
        elif argv[i] == "--entries" and i + 1 < len(argv):
            entries_out = argv[i + 1]
            i += 2
        elif argv[i].startswith("-"):
            usage()
        else:
            args.append(argv[i])
            i += 1
    if len(args) != 2:
        usage()
    binp, root = args
    if not os.path.isfile(os.path.join(root, "labels.tsv")):
        print("eval-frame: no PTC data at '%s' (labels.tsv missing); skipped" % root)
        return 0
    if not lexicons:
        lexicons = ["lexicons/framing.tsv"]
    for lx in lexicons:
        if not os.path.isfile(lx):
            print("eval-frame: lexicon '%s' not found; skipped" % lx)
            return 0
    arts = load_ptc(root)
    ids = sorted(arts)
    odd = [a for a in ids if int(a) % 2 == 1]
    even = [a for a in ids if int(a) % 2 == 0]
    groups = [("all", ids), ("odd", odd), ("even", even)]
    ngold = sum(len(arts[a]["gold"]) for a in ids)
    print("eval-frame: %d articles, %d gold spans (%s); lexicons: %s"
          % (len(ids), ngold, ", ".join(sorted(GOLD)), " ".join(lexicons)))
    print("  odd ids: %d articles (tuning half), even ids: %d (held out)\n" % (len(odd), len(even)))

    pred = run_frame(binp, arts, lexicons)
    report("slant-frame (loaded annotations):", arts, pred, groups)

    words, prefixes = lexicon_terms(lexicons)
    base = {a: baseline_spans(arts[a]["text"], words, prefixes) for a in ids}
    print()
    report("baseline: the lexicon's single words as a raw word list (no phrases, "
           "exclusions, regexes):", arts, base, groups)
    if baseline and os.path.isfile(baseline):
        with open(baseline, encoding="utf-8", errors="replace") as fp:
            bw = {l.strip().lower() for l in fp if l.strip() and not l.startswith(("#", ";"))}
        base = {a: baseline_spans(arts[a]["text"], bw, []) for a in ids}
        print()
        report("baseline: raw word list %s (%d words):" % (os.path.basename(baseline), len(bw)),
               arts, base, groups)

    # Per entry, on the tuning half only.
    stats = collections.defaultdict(lambda: [0, 0, 0])
    missed = collections.Counter()
    for aid in odd:
        gold = arts[aid]["gold"]
        for s, e, ent in pred.get(aid, []):
            st = stats[ent]
            st[0] += 1
            st[1 if any(overlaps((s, e), g) for g in gold) else 2] += 1
        for g in gold:
            if not any(overlaps(p, g) for p in pred.get(aid, [])):
                missed[arts[aid]["text"][g[0]:g[1]].lower().strip()[:40]] += 1
    os.makedirs(os.path.dirname(entries_out) or ".", exist_ok=True)
    with open(entries_out, "w", encoding="utf-8") as fp:
        fp.write("entry\thits\ttp\tfp\tprecision\n")
        for ent, (h, tp, fp_) in sorted(stats.items(), key=lambda kv: (-kv[1][0], kv[0])):
            fp.write("%s\t%d\t%d\t%d\t%.2f\n" % (ent, h, tp, fp_, tp / h if h else 0))
    print("\nper entry, odd half (all in %s):" % entries_out)
    print("  most false positives:")
    for ent, (h, tp, fp_) in sorted(stats.items(), key=lambda kv: (-kv[1][2], kv[0]))[:15]:
        print("    %-40s hits %4d  tp %4d  fp %4d" % (ent, h, tp, fp_))
    print("  most true positives:")
    for ent, (h, tp, fp_) in sorted(stats.items(), key=lambda kv: (-kv[1][1], kv[0]))[:15]:
        print("    %-40s hits %4d  tp %4d  fp %4d" % (ent, h, tp, fp_))
    print("  gold spans most often missed (odd half):")
    for text, n in missed.most_common(20):
        print("    %4d  %s" % (n, text))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/env python3
"""make eval-audit: slant against the hand-annotated audit set.

    eval-audit.py BIN AUDIT_DIR [--errors]

With --errors it also prints every miss (page, class, slant's and the gold's
reading, the sentence) for reading the errors by hand.

Runs slant-segment | slant-attrib | slant-frame over every AUDIT_DIR/text/NAME.txt
that has AUDIT_DIR/ann/NAME.ann (rules: AUDIT_DIR/GUIDELINES.md) and prints,
per class:

- own-voice framing: precision and recall of frame's `loaded` flags with voice
  `authorial` or `headline` against `Loaded_own` (a flag is right when it
  overlaps a gold span);
- scare quotes: precision and recall of `scare_quote` against `Scare_quote`;
- attribution label accuracy: each gold sentence against the attrib label of the
  slant sentence that overlaps it most;
- source accuracy: for gold sentences with a `Source`, whether slant's source of
  that sentence is the same span (exact) or overlaps it;
- anonymous recall: gold `Anonymous` sentences that slant labels anonymous.

Offsets: BRAT counts characters, the stream bytes; both are compared in bytes.
"""
import json
import os
import subprocess
import sys

SENT_LABELS = {"Attributed": "attributed", "Vague": "vague", "Anonymous": "anonymous",
               "Unattributed": "unattributed", "None": "none"}


def read_gold(path, text):
    spans = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            tid, mid, quote = line.rstrip("\n").split("\t")
            label, s, e = mid.split(" ")
            s, e = int(s), int(e)
            if text[s:e] != quote:
                sys.exit("eval-audit: %s: %s does not cover %r" % (path, tid, quote))
            bs = len(text[:s].encode("utf-8"))
            spans.append((label, bs, bs + len(quote.encode("utf-8"))))
    return spans


def overlap(a, b):
    return min(a[1], b[1]) - max(a[0], b[0])


def run_chain(bindir, records):
    cmd = " | ".join("'%s/slant-%s'" % (bindir, s) for s in ("segment", "attrib", "frame"))
    # pipefail: a stage that refuses its lexicon must fail the run, not score nothing.
    p = subprocess.run("set -o pipefail; " + cmd, shell=True, executable="/bin/bash",
                       input="".join(json.dumps(r) + "\n" for r in records),
                       capture_output=True, text=True)
    if p.returncode:
        sys.exit("eval-audit: the chain failed (exit %d):\n%s" % (p.returncode, p.stderr))
    out = p.stdout
    return [json.loads(line) for line in out.splitlines()]


def ratio(n, d):
    return "%.3f (%d of %d)" % (n / d if d else 0.0, n, d)


def main(bindir, audit, errors=False):
    adir = os.path.join(audit, "ann")
    names = sorted(f[:-4] for f in os.listdir(adir) if f.endswith(".ann")) if os.path.isdir(adir) else []
    if not names:
        print("eval-audit: no annotated pages in %s/ann: skipped" % audit)
        return 0
    records, gold, texts = [], {}, {}
    for n in names:
        with open(os.path.join(audit, "text", n + ".txt"), encoding="utf-8") as f:
            text = f.read()
        records.append({"format": 1, "id": n, "title": text.split("\n", 1)[0], "text": text})
        texts[n] = text
        gold[n] = read_gold(os.path.join(audit, "ann", n + ".ann"), text)
    c = dict.fromkeys(("own_tp", "own_n", "own_gold", "own_found", "sq_tp", "sq_n", "sq_gold",
                       "sq_found", "lab_ok", "lab_n", "src_exact", "src_overlap", "src_n",
                       "anon_ok", "anon_n"), 0)
    confusion = {}
    for rec in run_chain(bindir, records):
        g = gold[rec["id"]]
        tb = texts[rec["id"]].encode("utf-8")

        def show(kind, span, detail):
            if errors:
                seg = tb[span[0]:span[1]].decode("utf-8", "replace").replace("\n", " ")
                print("ERR %s %s [%s] %s" % (rec["id"], kind, detail, seg[:300]))
        anns = rec.get("annotations", [])
        if rec.get("status") == "error":
            print("eval-audit: %s: %s" % (rec["id"], rec.get("errors")))
            continue
        own = [(a["start"], a["end"]) for a in anns if a["stage"] == "frame"
               and a["label"] == "loaded" and a.get("voice") in ("authorial", "headline")]
        sq = [(a["start"], a["end"]) for a in anns if a["stage"] == "frame"
              and a["label"] == "scare_quote"]
        for flags, glabel, k in ((own, "Loaded_own", "own"), (sq, "Scare_quote", "sq")):
            gspans = [(s, e) for lb, s, e in g if lb == glabel]
            c[k + "_n"] += len(flags)
            c[k + "_tp"] += sum(any(overlap(f, gs) > 0 for gs in gspans) for f in flags)
            c[k + "_gold"] += len(gspans)
            c[k + "_found"] += sum(any(overlap(f, gs) > 0 for f in flags) for gs in gspans)
            for f in flags:
                if not any(overlap(f, gs) > 0 for gs in gspans):
                    show(k + "-fp", f, "")
            for gs in gspans:
                if not any(overlap(f, gs) > 0 for f in flags):
                    show(k + "-miss", gs, "")
        sents = [a for a in anns if a["stage"] == "attrib" and a["label"] in SENT_LABELS.values()]
        sources = [(s, e) for lb, s, e in g if lb == "Source"]
        for lb, s, e in g:
            if lb not in SENT_LABELS:
                continue
            best = max(sents, key=lambda a: overlap((a["start"], a["end"]), (s, e)), default=None)
            got = best["label"] if best and overlap((best["start"], best["end"]), (s, e)) > 0 else "-"
            want = SENT_LABELS[lb]
            c["lab_n"] += 1
            c["lab_ok"] += got == want
            confusion[(want, got)] = confusion.get((want, got), 0) + 1
            if got != want:
                show("label", (s, e), "gold %s, slant %s" % (want, got))
            if want == "anonymous":
                c["anon_n"] += 1
                c["anon_ok"] += got == "anonymous"
            gsrc = [x for x in sources if x[0] >= s and x[1] <= e]
            if not gsrc:
                continue
            c["src_n"] += 1
            ps = None
            if best and best.get("source_start") is not None:
                ps = (best["source_start"], best["source_end"])
                c["src_exact"] += any(ps == x for x in gsrc)
                c["src_overlap"] += any(overlap(ps, x) > 0 for x in gsrc)
            if not ps or not any(ps == x for x in gsrc):
                want_src = tb[gsrc[0][0]:gsrc[0][1]].decode("utf-8", "replace")
                got_src = tb[ps[0]:ps[1]].decode("utf-8", "replace") if ps else "-"
                show("source", (s, e), "gold %r, slant %r" % (want_src, got_src))
    print("audit set: %d pages (%s)" % (len(names), audit))
    print("  own-voice framing   precision %s   recall %s" % (ratio(c["own_tp"], c["own_n"]),
                                                          ratio(c["own_found"], c["own_gold"])))
    print("  scare quotes        precision %s   recall %s" % (ratio(c["sq_tp"], c["sq_n"]),
                                                          ratio(c["sq_found"], c["sq_gold"])))
    print("  attribution labels  accuracy  %s" % ratio(c["lab_ok"], c["lab_n"]))
    print("  sources             exact     %s   overlap %s" % (ratio(c["src_exact"], c["src_n"]),
                                                            ratio(c["src_overlap"], c["src_n"])))
    print("  anonymous           recall    %s" % ratio(c["anon_ok"], c["anon_n"]))
    print("  labels, gold -> slant (count):")
    for (want, got), k in sorted(confusion.items(), key=lambda x: -x[1]):
        if want != got:
            print("    %-13s -> %-13s %4d" % (want, got, k))
    return 0


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4) or (len(sys.argv) == 4 and sys.argv[3] != "--errors"):
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2], len(sys.argv) == 4))

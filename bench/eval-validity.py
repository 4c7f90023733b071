#!/usr/bin/env python3
"""make eval-validity: does the credibility score agree with independent outlet ratings?

usage: eval-validity.py BIN CONFIG VALIDITY_DEV SUBJ_LIST [--tsv FILE] [--resamples N]
       eval-validity.py --self-test

Runs `slant run --stages 'ingest segment attrib frame affil score'` with CONFIG over
VALIDITY_DEV/articles.jsonl, joins each report with VALIDITY_DEV/labels.tsv by line
(the record's source.line) and prints, for the score, each component and a few
naive baselines and candidate features:

- AUC hi/lo: article-level ROC AUC, articles of outlets with pc1 >= 0.75 against
  those of outlets with pc1 < 0.5;
- AUC rel: the same, label 1 (reliable) against label 0 (unreliable);
- rho: Spearman's rho with pc1 (all articles with a pc1);
- out hi/lo, out rel: AUC over outlet means (outlets with >= 3 articles).

Every feature is signed so that higher should mean more credible: an AUC under
0.5 means it points the wrong way. Brackets are 95% bootstrap intervals
resampling outlets (each group's outlets apart, so both stay present; articles
without an outlet are their own cluster), with a fixed seed. The interval of rho
keeps the full-sample ranks (a weighted Pearson of ranks per resample), which is
close to re-ranking and far cheaper.

A component that is not applicable to an article (nothing to measure) is left
out of that row only; its n says how many articles it had. Articles the chain
rejects are counted and listed. Articles that look like service pieces rather
than news (see not_news) are counted per group and the table is printed for news
only and for all articles.

Standard library only. --self-test checks the statistics on synthetic numbers.
"""
import bisect
import json
import math
import os
import random
import re
import subprocess
import sys
import time

MIN_OUTLET_ARTICLES = 3
SEED = 18
COMPONENTS = ("framing", "headline", "attribution", "sources", "transparency", "verbs")

# ====== Statistics ======


def auc(pos, neg):
    """ROC AUC: P(a positive outscores a negative), ties count half. None if a side is empty."""
    if not pos or not neg:
        return None
    neg = sorted(neg)
    wins = 0.0
    for x in pos:
        lo = bisect.bisect_left(neg, x)
        hi = bisect.bisect_right(neg, x)
        wins += lo + 0.5 * (hi - lo)
    return wins / (len(pos) * len(neg))


def ranks(xs):
    """Average ranks (1-based), ties sharing the mean of their positions."""
    order = sorted(range(len(xs)), key=lambda i: xs[i])
    r = [0.0] * len(xs)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and xs[order[j + 1]] == xs[order[i]]:
            j += 1
        for k in range(i, j + 1):
            r[order[k]] = (i + j) / 2.0 + 1
        i = j + 1
    return r


def pearson_sums(n, sx, sy, sxx, syy, sxy):
    vx = n * sxx - sx * sx
    vy = n * syy - sy * sy
    if vx <= 0 or vy <= 0:
        return None
    return (n * sxy - sx * sy) / math.sqrt(vx * vy)


def spearman(xs, ys):
    if len(xs) < 3:
        return None
    rx, ry = ranks(xs), ranks(ys)
    return pearson_sums(len(rx), sum(rx), sum(ry), sum(a * a for a in rx),
                        sum(b * b for b in ry), sum(a * b for a, b in zip(rx, ry)))


def percentile_ci(vals):
    vals = sorted(v for v in vals if v is not None)
    if len(vals) < 10:
        return None
    return vals[int(0.025 * (len(vals) - 1))], vals[int(math.ceil(0.975 * (len(vals) - 1)))]


def weighted_auc(wins, plen, nlen, mp, mn):
    """The AUC of a resample: cluster i of pos taken mp[i] times, j of neg mn[j] times."""
    fmn = [float(m) for m in mn]
    w = 0.0
    for i, m in enumerate(mp):
        if m:
            w += m * sum(map(float.__mul__, wins[i], fmn))
    d = sum(map(int.__mul__, mp, plen)) * sum(map(int.__mul__, mn, nlen))
    return w / d if d else None


def pair_wins(pos, neg):
    """wins[i][j]: how often pos cluster i's values beat neg cluster j's (ties half)."""
    nsorted = [sorted(v) for v in neg]
    wins = []
    for xs in pos:
        row = [0.0] * len(nsorted)
        for x in xs:
            for j, v in enumerate(nsorted):
                lo = bisect.bisect_left(v, x)
                row[j] += lo + 0.5 * (bisect.bisect_right(v, x) - lo)
        wins.append(row)
    return wins


def auc_boot(pos, neg, resamples, rng):
    """AUC of pos vs neg and its outlet bootstrap interval.

    pos, neg: {cluster: [values]}. The wins of every (pos cluster, neg cluster) pair
    are counted once; a resample is then a multiplicity per cluster, and its AUC the
    multiplicity-weighted sum of those wins over the weighted number of pairs.
    """
    pk = [k for k in pos if pos[k]]
    nk = [k for k in neg if neg[k]]
    if not pk or not nk:
        return None, None
    nlen = [len(neg[k]) for k in nk]
    plen = [len(pos[k]) for k in pk]
    wins = pair_wins([pos[k] for k in pk], [neg[k] for k in nk])
    point = sum(map(sum, wins)) / (sum(plen) * sum(nlen))
    if len(pk) < 2 or len(nk) < 2 or not resamples:
        return point, None
    out = []
    P, N = len(pk), len(nk)
    for _ in range(resamples):
        mp = [0] * P
        for i in rng.choices(range(P), k=P):
            mp[i] += 1
        mn = [0] * N
        for j in rng.choices(range(N), k=N):
            mn[j] += 1
        out.append(weighted_auc(wins, plen, nlen, mp, mn))
    return point, percentile_ci(out)


def spearman_boot(clusters, resamples, rng):
    """clusters: {cluster: [(feature, target)]}; rho and its outlet bootstrap interval."""
    keys = [k for k in clusters if clusters[k]]
    pairs = [p for k in keys for p in clusters[k]]
    if len(pairs) < 3:
        return None, None
    rx = ranks([p[0] for p in pairs])
    ry = ranks([p[1] for p in pairs])
    sums, i = [], 0
    for k in keys:
        n = len(clusters[k])
        a, b = rx[i:i + n], ry[i:i + n]
        sums.append((n, sum(a), sum(b), sum(x * x for x in a), sum(y * y for y in b),
                     sum(x * y for x, y in zip(a, b))))
        i += n
    point = pearson_sums(*[sum(s[c] for s in sums) for c in range(6)])
    if len(keys) < 3 or not resamples:
        return point, None
    out = []
    for _ in range(resamples):
        tot = [0.0] * 6
        for idx in rng.choices(range(len(keys)), k=len(keys)):
            s = sums[idx]
            for c in range(6):
                tot[c] += s[c]
        out.append(pearson_sums(*tot))
    return point, percentile_ci(out)


def self_test():
    """The statistics on numbers whose answers are known; exit 1 on a mismatch."""
    bad = []

    def check(what, got, want, tol=1e-9):
        if got is None or want is None:
            if got is not want:
                bad.append("%s: got %r, want %r" % (what, got, want))
        elif abs(got - want) > tol:
            bad.append("%s: got %r, want %r" % (what, got, want))

    check("auc perfect", auc([3, 4], [1, 2]), 1.0)
    check("auc reversed", auc([1, 2], [3, 4]), 0.0)
    check("auc ties count half", auc([1, 1], [1, 1]), 0.5)
    # pos 2 beats 1, ties 2, loses to 3; pos 3 beats 1 and 2, ties 3: (1.5 + 2.5) / 6
    check("auc mixed", auc([2, 3], [1, 2, 3]), 4 / 6)
    check("auc empty side", auc([], [1]), None)
    check("ranks with ties", sum(abs(a - b) for a, b in zip(ranks([10, 20, 20, 5]), [2, 3.5, 3.5, 1])), 0.0)
    check("spearman monotone", spearman([1, 2, 3, 4], [10, 100, 1000, 10000]), 1.0)
    check("spearman reversed", spearman([1, 2, 3, 4], [4, 3, 2, 1]), -1.0)
    # textbook case: d^2 = 0,1,1,4,0 ... computed by 1 - 6 sum d^2 / (n (n^2 - 1))
    x, y = [1, 2, 3, 4, 5], [2, 1, 4, 3, 5]
    check("spearman formula", spearman(x, y), 1 - 6 * 4 / (5 * 24))
    check("spearman constant", spearman([1, 1, 1], [1, 2, 3]), None)
    rng = random.Random(1)
    # clusters: the point estimate equals the plain AUC over all articles
    pos = {"a": [0.9, 0.8], "b": [0.7], "c": [0.4, 0.95]}
    neg = {"x": [0.1, 0.5], "y": [0.3], "z": [0.8, 0.2]}
    pt, ci = auc_boot(pos, neg, 200, rng)
    check("auc_boot point = auc", pt, auc([v for k in pos for v in pos[k]], [v for k in neg for v in neg[k]]))
    if not ci or not (ci[0] <= pt <= ci[1]):
        bad.append("auc_boot interval %r does not hold the point %r" % (ci, pt))
    # well separated clusters: every resample is perfect
    pt, ci = auc_boot({"a": [5, 6], "b": [7]}, {"x": [1], "y": [2, 3]}, 100, rng)
    check("auc_boot separated", pt, 1.0)
    check("auc_boot separated interval", ci and ci[0], 1.0)
    # a resample is a weighted AUC: with cluster weights drawn, check against brute force
    wins = auc_boot({"a": [1, 3]}, {"x": [2]}, 0, rng)[0]
    check("auc_boot one pair", wins, 0.5)
    # a resample's weighted AUC is the plain AUC of the clusters repeated as drawn
    r2 = random.Random(7)
    pos = [[r2.random() for _ in range(r2.randint(1, 4))] for i in range(12)]
    neg = [[r2.random() for _ in range(r2.randint(1, 4))] for i in range(9)]
    wins = pair_wins(pos, neg)
    for _ in range(20):
        mp = [r2.randint(0, 3) for _ in pos]
        mn = [r2.randint(0, 3) for _ in neg]
        check("weighted_auc = auc of the repeated clusters",
              weighted_auc(wins, [len(v) for v in pos], [len(v) for v in neg], mp, mn),
              auc([x for v, m in zip(pos, mp) for x in v * m], [x for v, m in zip(neg, mn) for x in v * m]))
    # noise: the interval holds the point and is not degenerate
    pt, ci = auc_boot(dict(enumerate(pos)), dict(enumerate(neg)), 300, rng)
    if not ci or not (ci[0] <= pt <= ci[1]) or ci[1] - ci[0] < 0.05:
        bad.append("auc_boot on noise: %r %r" % (pt, ci))
    cl = {i: [(r2.random(), r2.random()) for _ in range(4)] for i in range(40)}
    pt, ci = spearman_boot(cl, 300, rng)
    allp = [p for k in cl for p in cl[k]]
    check("spearman_boot point", pt, spearman([p[0] for p in allp], [p[1] for p in allp]))
    if not ci or not (ci[0] < pt < ci[1]):
        bad.append("spearman_boot interval %r around %r" % (ci, pt))
    cl = {i: [(i + j / 10, i + j / 10) for j in range(3)] for i in range(20)}
    pt, ci = spearman_boot(cl, 100, rng)
    check("spearman_boot identical", pt, 1.0)
    check("spearman_boot identical interval", ci and ci[0], 1.0)
    # not-news heuristic
    for title, text, want in (("How to pick a mattress", "Text.", True),
                              ("The 7 best laptops of the year", "Text.", True),
                              ("Review: a quiet phone", "Text.", True),
                              ("Senate passes the budget", "The Senate voted.\n\nIt passed.", False),
                              ("Gyms reopen", "\n\n".join("%d. Item %d" % (i, i) for i in range(1, 6)), True)):
        if bool(not_news(title, text)) != want:
            bad.append("not_news(%r) should be %r" % (title, want))
    for b in bad:
        print("self-test: FAIL " + b)
    print("self-test: %s (%d failed)" % ("ok" if not bad else "FAILED", len(bad)))
    return 1 if bad else 0

# ====== Features from the text (baselines, candidates) ======


WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
CAPS = re.compile(r"\b[A-Z]{3,}\b")
# Acronyms are all-caps without being shouting; only the most common are spared.
ACRONYMS = frozenset("USA NATO CEO FBI CIA GOP CNN NBC CBS ABC BBC NPR COVID CDC WHO FDA EPA DOJ "
                     "NFL NBA NHS UK EU UN US AP AFP NYC LLC ICE DHS IRS NASA PDF GDP".split())
SECOND = frozenset("you your you're yours yourself yourselves you've you'll you'd".split())
FIRST = frozenset("i me my mine myself i'm i've i'd i'll".split())
CLICKBAIT = re.compile(r"(\?|!|\byou won'?t believe\b|\bhere'?s\b|\bthis is why\b|\bwhat happens\b|"
                       r"\bwatch\b|\bshocking\b|^\d+\s)", re.I)

# Service pieces rather than news: a title of a known service form, or list-shaped
# text (four or more paragraphs, at least a quarter of them, open with "1." "2)" or
# a bullet). Kept simple and documented in docs/evaluation.md.
NOT_NEWS_TITLE = re.compile(
    r"(^\s*how (to|do|can|i)\b|^\s*(the\s+)?\d+\s+([a-z]+\s+)?(best|things|ways|tips|reasons|signs|foods|"
    r"mistakes|questions|places|products|steps|habits|ideas|easy)\b|\bhere'?s how\b|"
    r"^\s*here (is|are)\b|^\s*(review|recipe)s?:|\breview:|\brecipe\b|\bbest [a-z]+ (of|for) 20\d\d\b|"
    r"\b(gift guide|deals? of the day|what to buy|buying guide)\b)", re.I)
LIST_PARA = re.compile(r"^\s*(\d{1,2}[.)]\s|[•●▪*-]\s)")


def not_news(title, text):
    """The reason this looks like a service piece, or None."""
    if NOT_NEWS_TITLE.search(title or ""):
        return "title"
    paras = [p for p in text.split("\n") if p.strip()]
    listy = sum(1 for p in paras if LIST_PARA.match(p))
    if listy >= 4 and listy * 4 >= len(paras):
        return "list"
    return None


def read_subjective(path):
    words = set()
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            w = line.strip().lower()
            if not w or w.startswith("#"):
                continue
            if " " in w:
                sys.exit("eval-validity: %s:%d: one word a line expected, got %r" % (path, n, w))
            words.add(w)
    return words


def text_features(title, body, subj, rec):
    words = WORD.findall(body)
    n = max(len(words), 1)
    lower = [w.lower().replace("’", "'") for w in words]
    caps = sum(1 for w in CAPS.findall(body) if w not in ACRONYMS)
    per_k = 1000.0 / max(n, 150)
    ann = rec.get("annotations", [])
    quotes = sum(1 for a in ann if a["stage"] == "segment" and a["label"] == "quote")
    attributed = sum(1 for a in ann if a["stage"] == "attrib" and a["label"] == "attributed")
    pub = rec.get("publisher") or {}
    comp = {c["name"]: c.get("counts") or {} for c in rec["report"]["components"]}
    verbs, attr, tr = comp.get("verbs", {}), comp.get("attribution", {}), comp.get("transparency", {})
    claims = attr.get("claims") or 0
    # Signed so that higher should mean more credible.
    return {
        "base: subjective share": -sum(1 for w in lower if w in subj) / n,
        "base: ! + CAPS /1k": -(body.count("!") + title.count("!") + caps) * per_k,
        "cand: 2nd person /1k": -sum(1 for w in lower if w in SECOND) * per_k,
        "cand: 1st person sg /1k": -sum(1 for w in lower if w in FIRST) * per_k,
        "cand: clickbait headline": -1.0 if CLICKBAIT.search(title or "") else 0.0,
        "cand: quotes /1k": quotes * per_k,
        "cand: attributed /1k": attributed * per_k,
        "cand: log words": math.log(n),
        "cand: byline person": 1.0 if rec.get("byline_kind") == "person" else 0.0,
        "cand: pub in register": 1.0 if pub.get("entry") else 0.0,
        "cand: pub not state-ctl": 0.0 if pub.get("state_affiliated") else 1.0,
        # The parts of today's components, apart: do they pull the same way?
        "part: loaded verbs /1k": -verbs.get("loaded_verbs", 0) * per_k,
        "part: hedges /1k (+)": verbs.get("hedges", 0) * per_k,
        "part: unattributed share": -attr.get("unattributed", 0) / claims if claims else None,
        "part: transp author": tr.get("author"),
        "part: transp date": tr.get("date"),
        "part: transp opinion": tr.get("opinion"),
    }

# ====== The run ======


def read_labels(path):
    rows = {}
    with open(path, encoding="utf-8") as f:
        head = f.readline().rstrip("\n").split("\t")
        if head[:5] != ["line", "dataset", "outlet", "pc1", "label"]:
            sys.exit("eval-validity: %s:1: header 'line dataset outlet pc1 label' expected" % path)
        for n, line in enumerate(f, 2):
            p = line.rstrip("\n").split("\t")
            if len(p) < 5 or not p[0].isdigit():
                sys.exit("eval-validity: %s:%d: 5 tab-separated fields expected" % (path, n))
            try:
                pc1 = float(p[3]) if p[3] else None
            except ValueError:
                sys.exit("eval-validity: %s:%d: pc1 %r is not a number" % (path, n, p[3]))
            if p[4] not in ("", "0", "1"):
                sys.exit("eval-validity: %s:%d: label %r is not 0, 1 or empty" % (path, n, p[4]))
            rows[int(p[0])] = {"dataset": p[1], "outlet": p[2], "pc1": pc1,
                               "label": int(p[4]) if p[4] else None}
    return rows


def run_chain(bindir, config, articles):
    cmd = [os.path.join(bindir, "slant"), "run", "-c", config,
           "-s", "ingest segment attrib frame affil score", articles]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode not in (0, 1):
        sys.exit("eval-validity: %s exited with %d:\n%s" % (" ".join(cmd), p.returncode, p.stderr))
    return [json.loads(line) for line in p.stdout.splitlines()], p.stderr


def fmt(v, ci):
    if v is None:
        return "%-19s" % "-"
    if ci is None:
        return "%-19s" % ("%.3f" % v)
    return "%-19s" % ("%.3f [%.2f,%.2f]" % (v, ci[0], ci[1]))


def table(title, arts, names, resamples, tsv_rows):
    print("\n== %s: %d articles ==" % (title, len(arts)))
    print("%-26s %5s  %-19s %-19s %-19s %-19s %-19s" %
          ("feature", "n", "AUC hi/lo", "AUC rel", "rho pc1", "out hi/lo", "out rel"))
    for name in names:
        rng = random.Random(SEED)
        have = [a for a in arts if a["f"].get(name) is not None]
        hi, lo, rel, unrel, rho = {}, {}, {}, {}, {}
        outl = {}
        for a in have:
            v, c = a["f"][name], a["cluster"]
            if a["pc1"] is not None:
                (hi if a["pc1"] >= 0.75 else lo if a["pc1"] < 0.5 else {}).setdefault(c, []).append(v)
                rho.setdefault(c, []).append((v, a["pc1"]))
            if a["label"] is not None:
                (rel if a["label"] == 1 else unrel).setdefault(c, []).append(v)
            if a["outlet"]:
                outl.setdefault(a["outlet"], []).append(a)
        r1 = auc_boot(hi, lo, resamples, rng)
        r2 = auc_boot(rel, unrel, resamples, rng)
        r3 = spearman_boot(rho, resamples, rng)
        # Outlet level: one mean per outlet with enough articles; each outlet is a cluster.
        ohi, olo, orel, ounrel = {}, {}, {}, {}
        for o, xs in outl.items():
            if len(xs) < MIN_OUTLET_ARTICLES:
                continue
            m = sum(x["f"][name] for x in xs) / len(xs)
            pc1, lab = xs[0]["pc1"], xs[0]["label"]
            if pc1 is not None and (pc1 >= 0.75 or pc1 < 0.5):
                (ohi if pc1 >= 0.75 else olo)[o] = [m]
            labs = [x["label"] for x in xs if x["label"] is not None]
            if labs and len(set(labs)) == 1:
                (orel if labs[0] == 1 else ounrel)[o] = [m]
        r4 = auc_boot(ohi, olo, resamples, rng)
        r5 = auc_boot(orel, ounrel, resamples, rng)
        print("%-26s %5d  %s %s %s %s %s" % (name, len(have), fmt(*r1), fmt(*r2), fmt(*r3),
                                            fmt(*r4), fmt(*r5)))
        for crit, (v, ci) in zip(("auc_hilo", "auc_rel", "rho_pc1", "outlet_auc_hilo", "outlet_auc_rel"),
                                 (r1, r2, r3, r4, r5)):
            tsv_rows.append((title, name, crit, len(have), v, ci[0] if ci else None, ci[1] if ci else None))
    n_ohi = sum(1 for o in {a["outlet"] for a in arts if a["outlet"]}
                if sum(1 for a in arts if a["outlet"] == o) >= MIN_OUTLET_ARTICLES)
    print("(outlets with >= %d articles here: %d)" % (MIN_OUTLET_ARTICLES, n_ohi))


def main(argv):
    if argv[1:2] == ["--self-test"]:
        return self_test()
    args, tsv, resamples = [], None, 1000
    i = 1
    while i < len(argv):
        if argv[i] == "--tsv" and i + 1 < len(argv):
            tsv, i = argv[i + 1], i + 2
        elif argv[i] == "--resamples" and i + 1 < len(argv) and argv[i + 1].isdigit():
            resamples, i = int(argv[i + 1]), i + 2
        elif argv[i].startswith("--"):
            sys.exit("eval-validity: unknown option %s\n%s" % (argv[i], __doc__.split("\n\n")[1]))
        else:
            args.append(argv[i])
            i += 1
    if len(args) != 4:
        sys.exit(__doc__.split("\n\n")[1])
    bindir, config, folder, subj_path = args
    arts_path = os.path.join(folder, "articles.jsonl")
    labels_path = os.path.join(folder, "labels.tsv")
    if not os.path.isfile(arts_path) or not os.path.isfile(labels_path):
        print("eval-validity: no %s/articles.jsonl and labels.tsv: skipped" % folder)
        return 0
    if not os.path.isfile(subj_path):
        sys.exit("eval-validity: cannot open the subjectivity list %s (SUBJ_LIST=...)" % subj_path)
    t0 = time.time()
    subj = read_subjective(subj_path)
    labels = read_labels(labels_path)
    with open(arts_path, encoding="utf-8") as f:
        n_lines = sum(1 for line in f if line.strip())
    recs, stderr = run_chain(bindir, config, arts_path)
    t_chain = time.time() - t0

    arts, errors, seen = [], [], set()
    for r in recs:
        line = (r.get("source") or {}).get("line")
        if r.get("status") == "error" or "report" not in r:
            errors.append("line %s: %s" % (line, "; ".join(
                "%s: %s" % (e.get("stage"), e.get("message")) if isinstance(e, dict) else str(e)
                for e in r.get("errors") or ["no report"])))
            continue
        if line not in labels:
            sys.exit("eval-validity: record %s (line %s) has no row in %s" % (r.get("id"), line, labels_path))
        seen.add(line)
        lab = labels[line]
        rep = r["report"]
        f = {"score": rep["score"]}
        for c in rep["components"]:
            if c["name"] in COMPONENTS:
                f[c["name"]] = c["points"] / c["weight"] if c["applicable"] and c["weight"] else None
        text = r.get("text", "")
        title = r.get("title") or ""
        body = text[len(title):] if title and text.startswith(title) else text
        f.update(text_features(title, body, subj, r))
        arts.append({"line": line, "dataset": lab["dataset"], "outlet": lab["outlet"], "pc1": lab["pc1"], "label": lab["label"],
                     "cluster": lab["outlet"] or "line%d" % line, "f": f, "band": rep["band"],
                     "nn": not_news(title, body)})
    missing = sorted(set(labels) - seen)

    def group(a):
        if a["pc1"] is None:
            return "no pc1"
        return "high" if a["pc1"] >= 0.75 else "low" if a["pc1"] < 0.5 else "mid"

    print("eval-validity: %s" % folder)
    print("articles %d (lines %d), reports %d, chain errors %d, without a report %d" %
          (len(recs), n_lines, len(arts), len(errors), len(missing)))
    print("outlets %d; with pc1: %d articles (high %d, mid %d, low %d); with a label: %d (reliable %d, unreliable %d)" %
          (len({a["outlet"] for a in arts if a["outlet"]}), sum(1 for a in arts if a["pc1"] is not None),
           sum(1 for a in arts if group(a) == "high"), sum(1 for a in arts if group(a) == "mid"),
           sum(1 for a in arts if group(a) == "low"), sum(1 for a in arts if a["label"] is not None),
           sum(1 for a in arts if a["label"] == 1), sum(1 for a in arts if a["label"] == 0)))
    for e in errors[:20]:
        print("  chain error: " + e)
    if missing:
        print("  lines without a report: %s" % " ".join(map(str, missing[:30])))
    warn = [l for l in stderr.splitlines() if ": warning: " in l]
    if warn:
        print("  chain warnings: %d (first: %s)" % (len(warn), warn[0]))
    print("not news (service pieces, lists) by group:", ", ".join(
        "%s %d of %d" % (g, sum(1 for a in arts if group(a) == g and a["nn"]), sum(1 for a in arts if group(a) == g))
        for g in ("high", "mid", "low", "no pc1")),
        "; reliable %d, unreliable %d" % (sum(1 for a in arts if a["label"] == 1 and a["nn"]),
                                         sum(1 for a in arts if a["label"] == 0 and a["nn"])),
        "(by title %d, list-shaped %d)" % (sum(1 for a in arts if a["nn"] == "title"),
                                           sum(1 for a in arts if a["nn"] == "list")))
    names = ["score"] + list(COMPONENTS) + [k for k in arts[0]["f"] if k.startswith("base:")] + \
        [k for k in arts[0]["f"] if k.startswith("cand:")] + \
        [k for k in arts[0]["f"] if k.startswith("part:")] if arts else []
    print("\nFeatures are signed so that higher should mean more credible; [95%% outlet bootstrap, "
          "%d resamples, seed %d]. base: naive baselines; cand: candidate features, not the score; part: a piece of a component alone." %
          (resamples, SEED))
    rows = []
    table("news only", [a for a in arts if not a["nn"]], names, resamples, rows)
    table("all articles", arts, names, resamples, rows)
    # Within each dataset: the sets differ in how they were collected (ReCOVery always
    # has a date, for one), so a feature can separate datasets rather than outlets.
    dsets = [d for d in sorted({a["dataset"] for a in arts})
             if any(a["dataset"] == d and group(a) == "high" for a in arts)
             and any(a["dataset"] == d and group(a) == "low" for a in arts)]
    if len(dsets) > 1:
        print("\n== AUC hi/lo within each dataset (news only, no interval) ==")
        print("%-26s " % "feature" + " ".join("%-16s" % d[:16] for d in dsets))
        news = [a for a in arts if not a["nn"]]
        for name in names:
            cells = []
            for d in dsets:
                sub = [a for a in news if a["dataset"] == d and a["f"].get(name) is not None]
                v = auc([a["f"][name] for a in sub if group(a) == "high"],
                        [a["f"][name] for a in sub if group(a) == "low"])
                cells.append("%-16s" % ("-" if v is None else "%.3f" % v))
                rows.append(("news only, " + d, name, "auc_hilo", len(sub), v, None, None))
            print("%-26s " % name + " ".join(cells))
    # Bands: where high and low outlets' articles land.
    bands = sorted({a["band"] for a in arts})
    print("\nbands (all articles): " + "; ".join(
        "%s: high %d, low %d" % (b, sum(1 for a in arts if a["band"] == b and group(a) == "high"),
                                 sum(1 for a in arts if a["band"] == b and group(a) == "low")) for b in bands))
    if tsv:
        os.makedirs(os.path.dirname(tsv) or ".", exist_ok=True)
        with open(tsv, "w", encoding="utf-8") as f:
            f.write("subset\tfeature\tcriterion\tn\tvalue\tci_low\tci_high\n")
            for r in rows:
                f.write("\t".join("" if x is None else ("%.4f" % x if isinstance(x, float) else str(x))
                                  for x in r) + "\n")
        print("per-feature figures written to %s" % tsv)
    print("time: chain %.1f s, total %.1f s" % (t_chain, time.time() - t0))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

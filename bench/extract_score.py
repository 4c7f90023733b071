#!/usr/bin/env python3
"""Score extracted article bodies against the article-extraction benchmark.

usage: extract_score.py GROUND_TRUTH.json PREDICTIONS.jsonl [--per-page]

PREDICTIONS holds one JSON object a line: {"id": page id, "body": text}.
The rule is the benchmark's (scrapinghub/article-extraction-benchmark,
evaluate.py): \\w+ tokens, overlapping 4-token shingles counted with
multiplicity, per page tp/fp/fn normalised to sum 1; precision and recall
are the means over pages (a page with no shingles on a side is left out of
that mean), F1 their harmonic mean. A page with no prediction counts as an
empty body.
"""
import json
import re
import sys
from collections import Counter

TOKEN = re.compile(r'\w+', re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)
N = 4


def shingles(text):
    tokens = TOKEN.findall(text or '')
    out = Counter()
    for i in range(max(1, len(tokens) - N + 1)):
        s = tuple(tokens[i:i + N])
        if s:
            out[s] += 1
    return out


def match(true, pred):
    t, p = shingles(true), shingles(pred)
    tp = fp = fn = 0.0
    for k in set(t) | set(p):
        a, b = t.get(k, 0), p.get(k, 0)
        tp += min(a, b)
        fp += max(0, b - a)
        fn += max(0, a - b)
    s = tp + fp + fn
    return (tp / s, fp / s, fn / s) if s else (tp, fp, fn)


def precision(tp, fp, fn):
    if fp == fn == 0:
        return 1.0
    if tp == fp == 0:
        return 0.0
    return tp / (tp + fp)


def recall(tp, fp, fn):
    if fp == fn == 0:
        return 1.0
    if tp == fn == 0:
        return 0.0
    return tp / (tp + fn)


def main():
    if len(sys.argv) < 3:
        sys.exit('usage: extract_score.py GROUND_TRUTH.json PREDICTIONS.jsonl [--per-page]')
    with open(sys.argv[1], encoding='utf-8') as f:
        truth = json.load(f)
    pred = {}
    with open(sys.argv[2], encoding='utf-8') as f:
        for line in f:
            if line.strip():
                o = json.loads(line)
                pred[o['id']] = o.get('body', '')
    rows = []
    for key in sorted(truth):
        rows.append((key, match(truth[key].get('articleBody', ''), pred.get(key, ''))))
    ps = [precision(*r) for _, r in rows if r[0] + r[1] > 0]
    rs = [recall(*r) for _, r in rows if r[0] + r[2] > 0]
    p = sum(ps) / len(ps) if ps else 0.0
    r = sum(rs) / len(rs) if rs else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    if '--per-page' in sys.argv:
        for key, (tp, fp, fn) in sorted(rows, key=lambda x: x[1][0]):
            print('%s  P=%.3f R=%.3f' % (key[:16], precision(tp, fp, fn), recall(tp, fp, fn)))
    print('pages=%d precision=%.3f recall=%.3f F1=%.3f' % (len(rows), p, r, f1))


if __name__ == '__main__':
    main()

#!/usr/bin/env python3
"""extract_meta.py GOLD PRED [--per-page] -- score page metadata (title, byline,
byline_kind, published, opinion, site) of slant records PRED (JSON Lines: slant-ingest,
or after slant-affil for byline_kind and opinion) against the hand labels GOLD
(tests/fixtures/extraction-dev/metadata.tsv; rules in METADATA.md)."""
import json, os, re, sys, unicodedata
from datetime import datetime, timedelta, timezone


def norm_text(s):
    s = unicodedata.normalize('NFKC', s or '')
    s = s.translate(str.maketrans('‘’‚‛“”„‟–—―', "''''\"\"\"\"---"))
    return re.sub(r'\s+', ' ', s).strip().casefold()


def norm_name(s):
    s = unicodedata.normalize('NFKD', s or '')
    s = ''.join(c for c in s if not unicodedata.combining(c))
    return re.sub(r'[^\w]+', ' ', s.casefold()).strip()


def squash(s):
    return re.sub(r'[\W_]+', '', unicodedata.normalize('NFKC', s or '').casefold())


DATE = re.compile(r'(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d)(?:\.\d+)?)?\s*(Z|[+-]\d\d:?\d\d)?)?')


def parse_date(s):
    """(date string, aware datetime or None)."""
    m = DATE.match((s or '').strip())
    if not m:
        return None, None
    day = '%s-%s-%s' % m.group(1, 2, 3)
    if m.group(4) is None or m.group(7) is None:
        return day, None
    off = m.group(7)
    if off == 'Z':
        tz = timezone.utc
    else:
        off = off.replace(':', '')
        sign = -1 if off[0] == '-' else 1
        tz = timezone(sign * timedelta(hours=int(off[1:3]), minutes=int(off[3:5])))
    dt = datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)), int(m.group(4)),
                  int(m.group(5)), int(m.group(6) or 0), tzinfo=tz)
    return day, dt


def date_ok(gold, pred):
    pday, pdt = parse_date(pred)
    if not pday:
        return False
    for g in gold.split('||'):
        gday, gdt = parse_date(g)
        if gdt and pdt:
            if pdt.astimezone(gdt.tzinfo).date() == gdt.date():
                return True
        elif gday == pday:
            return True
    return False


def load_gold(path):
    gold = {}
    with open(path, encoding='utf-8') as f:
        header = None
        for n, line in enumerate(f, 1):
            if line.startswith('#') or not line.strip():
                continue
            cols = line.rstrip('\n').split('\t')
            if header is None:
                header = cols
                continue
            if len(cols) != len(header):
                sys.exit('%s:%d: %d columns, expected %d' % (path, n, len(cols), len(header)))
            gold[cols[0]] = dict(zip(header, cols))
    return gold


def main():
    gold = load_gold(sys.argv[1])
    per_page = '--per-page' in sys.argv[3:]
    pred = {}
    with open(sys.argv[2], encoding='utf-8') as f:
        for line in f:
            r = json.loads(line)
            key = os.path.basename(r.get('source', {}).get('path', '')).split('.')[0]
            pred[key] = r
    fields = ('title', 'byline', 'byline_kind', 'published', 'opinion', 'site')
    right = {k: 0 for k in fields}
    misses = []
    nonop = nonop_right = op = op_right = 0
    for key, g in sorted(gold.items()):
        r = pred.get(key, {})
        got = {}
        got['title'] = r.get('title', '')
        ok_title = norm_text(got['title']) in {norm_text(t) for t in g['title'].split('||')}
        names = r.get('authors') or ([r['byline']] if r.get('byline') else [])
        got['byline'] = '; '.join(names)
        gnames = [n for n in g['authors'].split(';') if n]
        ok_byline = sorted(map(norm_name, names)) == sorted(map(norm_name, gnames))
        got['byline_kind'] = r.get('byline_kind', '')
        ok_kind = got['byline_kind'] == g['byline_kind']
        got['published'] = r.get('published', '')
        ok_date = date_ok(g['published'], got['published'])
        o = r.get('opinion')
        is_op = bool(o.get('is_opinion')) if isinstance(o, dict) else False
        got['opinion'] = 'yes' if is_op else 'no'
        ok_op = got['opinion'] == g['opinion']
        if g['opinion'] == 'yes':
            op += 1
            op_right += ok_op
        else:
            nonop += 1
            nonop_right += ok_op
        got['site'] = (r.get('outlet') or {}).get('name', '')
        ok_site = squash(got['site']) in {squash(s) for s in g['site'].split('||')}
        gk = {'title': 'title', 'byline': 'authors', 'byline_kind': 'byline_kind',
              'published': 'published', 'opinion': 'opinion', 'site': 'site'}
        for k, ok in zip(fields, (ok_title, ok_byline, ok_kind, ok_date, ok_op, ok_site)):
            right[k] += ok
            if not ok:
                misses.append((k, key[:8], g[gk[k]], got[k]))
    n = len(gold)
    print('metadata: pages=%d ' % n + ' '.join('%s=%.3f' % (k, right[k] / n) for k in fields) +
          ' opinion_on_news=%d/%d opinion_on_opinion=%d/%d' % (nonop_right, nonop, op_right, op))
    if per_page:
        for k, key, want, have in sorted(misses):
            print('  %-11s %s want %r got %r' % (k, key, want, have))


main()

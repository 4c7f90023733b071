#!/usr/bin/env python3
"""make eval-register: how much of a corpus's outlets the register knows.

    eval-register.py REGISTER... VALIDITY_DIR

Reads VALIDITY_DIR/articles.jsonl (one article a line, with "outlet": {"domain"}
or a "url") and prints the share of distinct outlet domains, and of articles,
whose domain the register knows: the host without "www.", then each parent
domain, as reg_by_domain() in lib/register.c does. Then the register's own
counts: entries, checked=yes and checked=no. Only counts are printed, never a
domain of the corpus, so nothing of it finds its way into the project.
"""
import json
import os
import sys
from urllib.parse import urlsplit


def load_register(paths):
    domains, entries, checked = set(), 0, {}
    for path in paths:
        header = None
        with open(path, encoding='utf-8') as f:
            for line in f:
                line = line.rstrip('\n')
                if not line or line.startswith('#'):
                    continue
                cols = line.split('\t')
                if header is None:
                    header = cols
                    continue
                row = dict(zip(header, cols))
                entries += 1
                for d in filter(None, row.get('domains', '').split('|')):
                    domains.add(d)
                c = row.get('checked', '(no column)')
                checked[c] = checked.get(c, 0) + 1
    return domains, entries, checked


def known(domains, host):
    host = host.lower().rstrip('.')
    if host.startswith('www.'):
        host = host[4:]
    while '.' in host:
        if host in domains:
            return True
        host = host.split('.', 1)[1]
    return False


def host_of(art):
    outlet = art.get('outlet') or {}
    d = outlet.get('domain') if isinstance(outlet, dict) else None
    if d:
        return d
    u = art.get('url') or ''
    return urlsplit(u if '://' in u else 'http://' + u).hostname or ''


def main(argv):
    if len(argv) < 3:
        sys.exit('usage: eval-register.py REGISTER... VALIDITY_DIR')
    regs, vdir = argv[1:-1], argv[-1]
    domains, n, checked = load_register(regs)
    print('register: %d entries, %d domains; checked: %s' % (
        n, len(domains), ', '.join('%s %d' % kv for kv in sorted(checked.items()))))
    arts = os.path.join(vdir, 'articles.jsonl')
    if not os.path.exists(arts):
        print('eval-register: %s not found: coverage skipped (VALIDITY_DEV=DIR)' % arts)
        return
    hosts = []
    with open(arts, encoding='utf-8') as f:
        for k, line in enumerate(f, 1):
            try:
                hosts.append(host_of(json.loads(line)))
            except ValueError as e:
                sys.exit('eval-register: %s:%d: %s' % (arts, k, e))
    outlets = {h.lower().removeprefix('www.') for h in hosts if h}
    ko = sum(1 for h in outlets if known(domains, h))
    ka = sum(1 for h in hosts if h and known(domains, h))
    print('outlet domains known: %d of %d (%.1f%%)' % (ko, len(outlets), 100.0 * ko / max(len(outlets), 1)))
    print('articles whose outlet is known: %d of %d (%.1f%%)' % (ka, len(hosts), 100.0 * ka / max(len(hosts), 1)))


if __name__ == '__main__':
    main(sys.argv)

#!/usr/bin/env python3
"""Regenerate the generated block of lexicons/framing.tsv.

framing.tsv is edited by hand; only the lines between

    # begin generated: evaluative ...
    # end generated: evaluative

come from this script. They are the strongly subjective negative evaluative
words that two published lists agree on: the Riloff & Wiebe (2003) strong
subjectivity clues and the Hu & Liu (2004) negative opinion words, both as
shipped in ../shared/lexicon-sources/recasens2013/. Of those, it keeps single
words with an adjective or adverb ending (-ous, -ful, -less, -ive, -able, ...),
which carry the evaluation in news prose far more often than the verbs and
abstract nouns of the lists (measured on the odd half of PTC-dev: about 0.4
token precision for those endings, under 0.1 for -ion and plural nouns), and
leaves out:
  - words any hand-written entry already covers (exact or by its '*' prefix);
  - the DROP list below: words that are mostly neutral in news reporting.

Usage: build-framing.py [--sources DIR] [--check] [LEXICON]
  LEXICON defaults to lexicons/framing.tsv beside this folder. --check only
  tells whether the block is up to date (exit 1 if not). Python 3, no packages.
"""
import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BEGIN = '# begin generated: evaluative'
END = '# end generated: evaluative'
NOTE = 'Riloff & Wiebe 2003 strong subjective; Hu & Liu 2004 negative opinion words'

# Endings that mark an adjective or adverb (checked in this order).
ENDINGS = ('ous', 'ful', 'less', 'ive', 'able', 'ible', 'ical', 'ish', 'ant', 'ic')

# Neutral or mostly descriptive in news (reporting of facts, medicine, law, weather),
# ambiguous with a common neutral sense, verbs caught by an ending (-ish: punish),
# and misspellings in the source lists. Reviewed by hand; keep sorted.
DROP = set('''
abrupt abruptly acrimonious addicted admonish adverse adversely afflicted afflictive
aggravated ailing alarmed ambiguous angry anguish annoyed anxious anxiously apprehensive
archaic argumentative ashamed banish bankrupt bashful bereaved biased blandish blind
blinding bloody boring broke bumpy burdensome busy chronic complicated concerned
confused confusing conspicuous contentious contrive controversial costly critic critical
crowded cursed damaged damaging dangerous dangerously dead deadly debatable debilitating
deceive decrepit defective defensive delayed depressed depressing deprive desperately
destructive detrimental difficult disabled disappointed disappointing discontinued
disputable disputed disrespectable dissuasive distracting distressed disturbed doubtful
drastic dubious dubitable embarrassed embarrassing emotional emphatic erratic excessive
excessively expensive explosive fallen fastidious fastuous fatal fatally fatigued feeble
fictional frail frightened frustrated frustrating guilty harmful hazardous hesitant
hostile hurt hurtful ill illegal illegally illicit immovable imperfect impossible
inaccurate inadequate inadequately inappropriate incapable incorrect incorrectly
inescapable inevitable inevitably inexplainable inextricable infected inflammatory
injured insecure insociable insufficient insufficiently invalid invasive invective
ironic irreformable irregular irrelevant irreplacible irreversible isolated lacking
laconic languish lengthy lonely monotonous mysterious mysteriously nebulous negative
nervous noisy obsolete offensive overdue painful panic passive perish poorly precipitous
provocative punish quarrellous questionable recant revulsive risky sad satirical scared
serious seriously sick sickly skeptical slow sluggish sorry stolen stressful strict
stuck suspicious tired traumatic troubled troubling unable unattractive uncertain
unclear uncomfortable unconstitutional unemployed unfavorable unfortunate unfortunately
unhappy unimportant unlamentable unlawful unlawfully unpopular unpredictable unstable
unsuccessful unsure unusual unwanted uproarous upset vagrant villianous vulnerable weak
weakly worried worrying worse worst wrong wrongly
'''.split())


def read_list(path, encoding='utf-8'):
    words = set()
    with open(path, encoding=encoding, errors='replace') as f:
        for line in f:
            w = line.strip().lower()
            if w and w[0] not in '#;':
                words.add(w)
    return words


def fold(term):
    return ' '.join(term.lower().replace('\u2019', "'").replace('-', ' ').split())


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('lexicon', nargs='?', default=os.path.join(ROOT, 'lexicons', 'framing.tsv'))
    ap.add_argument('--sources', default=os.path.join(ROOT, '..', 'shared', 'lexicon-sources',
                                                      'recasens2013'))
    ap.add_argument('--check', action='store_true')
    args = ap.parse_args()

    try:
        strong = read_list(os.path.join(args.sources, 'strong_subjectives_riloff2003.txt'))
        neg = read_list(os.path.join(args.sources, 'negative_liu2005.txt'), 'latin-1')
    except OSError as e:
        sys.exit(f'build-framing: {e}')

    with open(args.lexicon, encoding='utf-8') as f:
        lines = f.read().split('\n')
    try:
        b = next(i for i, l in enumerate(lines) if l.startswith(BEGIN))
        e = next(i for i, l in enumerate(lines) if l.startswith(END))
    except StopIteration:
        sys.exit(f'build-framing: {args.lexicon}: no "{BEGIN}" ... "{END}" block')
    if e < b:
        sys.exit(f'build-framing: {args.lexicon}: block markers out of order')

    exact, prefixes = set(), []
    for n, l in enumerate(lines):
        if b <= n <= e or not l or l.startswith('#') or l.startswith('@'):
            continue
        term = l.split('\t', 1)[0]
        if term.startswith('re:'):
            continue
        t = fold(term)
        if t.endswith('*'):
            prefixes.append(t[:-1])
        else:
            exact.add(t)

    def covered(w):
        return w in exact or any(w.startswith(p) and ' ' not in p for p in prefixes)

    picked = []
    for w in sorted(strong & neg):
        if not w.isalpha() or not w.isascii() or len(w) < 4 or w in DROP or covered(w):
            continue
        if not w.endswith(ENDINGS):
            continue
        picked.append(w)

    block = [f'{BEGIN} -- {len(picked)} entries by lexicons/tools/build-framing.py; '
             'edit the script (DROP, ENDINGS) or move a line above this block to keep a hand edit']
    block += [f'{w}\tevaluative\t1\t-\t-\t{NOTE}' for w in picked]
    block.append(END)
    new = lines[:b] + block + lines[e + 1:]
    if args.check:
        if new != lines:
            print(f'build-framing: {args.lexicon}: generated block is out of date', file=sys.stderr)
            return 1
        return 0
    with open(args.lexicon, 'w', encoding='utf-8') as f:
        f.write('\n'.join(new))
    print(f'build-framing: {args.lexicon}: {len(picked)} generated entries')
    return 0


if __name__ == '__main__':
    sys.exit(main())

#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""
people_eval.py: scores `piiscan people` against the truth of bench/gen_people.py.

Reads DIR/truth.tsv, the JSON report (for the count) and the --list-records output (one line
a person's record: path, line, field, person), maps each listed record to the true person
whose part of a row (fields) or block (lines) holds it, and prints the true and counted number
of people, the error in %, the clusters that merge different people (must be 0), the people
split over several clusters, and the records the truth does not know.
"""

import json
import sys
from collections import defaultdict


def main():
    outdir, report_path, listing_path = sys.argv[1:4]
    truth = defaultdict(list)  # (file, line) -> [(a, b, who)]
    everyone = set()
    with open('%s/truth.tsv' % outdir, encoding='utf-8') as fp:
        for line in fp:
            name, first, last, a, b, who = line.rstrip('\n').split('\t')
            for ln in range(int(first), int(last) + 1):
                truth[(name, ln)].append((int(a), int(b), who))
            everyone.add(who)
    with open(report_path, encoding='utf-8') as fp:
        counted = json.load(fp)['people']
    clusters = defaultdict(set)
    unknown = 0
    with open(listing_path, encoding='utf-8') as fp:
        for line in fp:
            path, ln, field, person = line.rstrip('\n').split('\t')
            name = path.rsplit('/', 1)[-1]
            ln, field = int(ln), int(field)
            who = None
            for a, b, w in truth.get((name, ln), ()):
                if a == 0 or a <= field <= b:
                    who = w
                    break
            if who is None:
                unknown += 1
                continue
            clusters[person].add(who)
    true_n = len(everyone)
    merged = [c for c in clusters.values() if len(c) > 1]
    where = defaultdict(set)
    for person, members in clusters.items():
        for w in members:
            where[w].add(person)
    split = sum(1 for w in where if len(where[w]) > 1)
    missed = len(everyone - set(where))
    err = 100.0 * (counted - true_n) / true_n
    print('people: true %d (customers and the shop), counted %d, error %+.2f %%'
          % (true_n, counted, err))
    print('merges of different people: %d clusters (%d people in them)'
          % (len(merged), sum(len(c) for c in merged)))
    print('people split over several clusters: %d; people not found at all: %d; '
          'records the truth does not know: %d' % (split, missed, unknown))
    return 0 if abs(err) <= 1.0 and not merged else 1


if __name__ == '__main__':
    sys.exit(main())

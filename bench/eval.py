#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""
eval.py: scores piiscan (and MeCab, when installed) against the labelled corpus that
bench/gen_eval.py wrote, and prints precision, recall and F1 per type and per corpus category,
with the targets of the accuracy benchmark next to them (bench/README.md, "Accuracy").

A finding is a hit when its type and byte span equal a label's (the first table); the second
table counts a finding as a hit when it overlaps a label of its type, so that a span one
character too long or too short shows as a near miss rather than as a miss and a false alarm.
A finding that touches only optional labels (a prefecture column, the shop's own sender block)
counts neither way. A type with no finding anywhere in the corpus is printed as "not reported":
the detector does not exist yet, which is not the same as a detector that finds nothing.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time

TYPES = ['name', 'address', 'phone', 'email', 'postal_code', 'my_number', 'credit_card']
CATEGORIES = ['structured', 'freetext', 'negative']

# (category, type) -> (minimum precision, minimum recall, text shown)
TARGETS = {
    ('structured', 'name'): (0.99, 0.99, 'P>=0.99 R>=0.99'),
    ('structured', 'address'): (0.99, 0.99, 'P>=0.99 R>=0.99'),
    ('freetext', 'name'): (0.95, 0.95, 'R>=0.95 at P>=0.95'),
}

CODECS = {('UTF-8', False): 'utf-8', ('UTF-8', True): 'utf-8', ('CP932', False): 'cp932',
          ('EUC-JP', False): 'euc_jp', ('UTF-16LE', True): 'utf-16-le',
          ('UTF-16BE', True): 'utf-16-be'}
BOM_BYTES = {'utf-8': 3, 'utf-16-le': 2, 'utf-16-be': 2}


def load_corpus(d):
    with open(os.path.join(d, 'manifest.jsonl'), encoding='utf-8') as fp:
        manifest = [json.loads(line) for line in fp]
    labels = {}
    for m in manifest:
        with open(os.path.join(d, 'labels', m['file'] + '.labels.jsonl'), encoding='utf-8') as fp:
            labels[m['file']] = [json.loads(line) for line in fp]
    return manifest, labels


# ---------------------------------------------------------------------------------------------
# Running the tools


def run_piiscan(binary, files_dir, extra):
    cmd = [binary, 'scan', '--format', 'jsonl', '--show-values'] + extra + [files_dir]
    t0 = time.monotonic()
    res = subprocess.run(cmd, capture_output=True)
    secs = time.monotonic() - t0
    if res.returncode not in (0, 1):
        sys.stderr.write(res.stderr.decode('utf-8', 'replace'))
        raise SystemExit('eval: %s exited with status %d' % (' '.join(cmd), res.returncode))
    findings = {}
    prefix = os.path.join(files_dir, '')
    for line in res.stdout.decode('utf-8', 'replace').splitlines():
        if not line.strip():
            continue
        f = json.loads(line)
        path = f['path']
        name = path[len(prefix):] if path.startswith(prefix) else os.path.basename(path)
        findings.setdefault(name, []).append(f)
    return findings, secs


# Debian's mecab-ipadic-utf8 dictionary. Named explicitly: with mecab-jumandic also installed,
# the system default may be JUMAN's, whose tags have no 名詞,固有名詞,人名.
IPADIC = os.environ.get('MECAB_DICDIR', '/var/lib/mecab/dic/ipadic-utf8')


def mecab_status():
    """None when MeCab with the UTF-8 IPA dictionary can run, else the reason it cannot."""
    if shutil.which('mecab') is None:
        return 'mecab not installed'
    if not os.path.isfile(os.path.join(IPADIC, 'sys.dic')):
        return 'mecab installed, but not mecab-ipadic-utf8 (%s)' % IPADIC
    # mecab -D exits with 1 even when it prints the dictionary's header.
    res = subprocess.run(['mecab', '-d', IPADIC, '-D'], capture_output=True)
    info = res.stdout.decode('utf-8', 'replace').lower()
    if 'charset:\tutf-8' not in info and 'charset:\tutf8' not in info:
        return 'mecab dictionary in %s is not UTF-8' % IPADIC
    return None


def byte_offsets(text, codec, bom):
    """offs[i] = byte offset of character i in the file (offs[len] = end of text)."""
    offs = [0] * (len(text) + 1)
    pos = bom
    cache = {}
    for i, ch in enumerate(text):
        offs[i] = pos
        n = cache.get(ch)
        if n is None:
            n = cache[ch] = len(ch.encode(codec))
        pos += n
    offs[len(text)] = pos
    return offs


def mecab_names(text):
    """Person-name spans (character offsets) MeCab tags in text, with the seconds it took.

    Tabs and carriage returns become spaces (same length) so that the default output format,
    surface TAB features, stays parseable; tokens are then found in the text in order, since
    MeCab drops the white space between them. Adjacent person-name tokens (a 姓 and a 名, with
    or without a space between them) are merged into one name, as a label is.
    """
    feed = text.replace('\t', ' ').replace('\r', ' ')
    t0 = time.monotonic()
    res = subprocess.run(['mecab', '-d', IPADIC, '--input-buffer-size=1048576'],
                         input=feed.encode('utf-8'),
                         capture_output=True)
    secs = time.monotonic() - t0
    spans = []
    pos = 0
    prev_sub = None
    for line in res.stdout.decode('utf-8', 'replace').split('\n'):
        if not line or line == 'EOS':
            continue
        surface, _, feat = line.partition('\t')
        if not surface:
            continue
        idx = feed.find(surface, pos)
        if idx < 0:
            continue
        start, end = idx, idx + len(surface)
        pos = end
        if surface.strip('\u3000') == '':
            continue  # a full-width space is a token of its own; it may sit inside a name
        parts = feat.split(',')
        if parts[:3] != ['名詞', '固有名詞', '人名']:
            prev_sub = None
            continue
        sub = parts[3] if len(parts) > 3 else '*'
        if spans and prev_sub is not None:
            # Tokens that touch are one name (関|陽|向 for 関陽向); across a space only a 姓 (or
            # an unclassified name) continues, so that two people in a row stay two.
            gap = feed[spans[-1][1]:start]
            if gap == '' or (prev_sub != '名' and gap.strip(' \u3000') == ''):
                spans[-1][1] = end
                prev_sub = sub
                continue
        spans.append([start, end])
        prev_sub = sub
    return spans, secs, res.returncode


def run_mecab(d, manifest):
    findings = {}
    secs = 0.0
    failures = 0
    for m in manifest:
        codec = CODECS[(m['encoding'], m['bom'])]
        bom = BOM_BYTES.get(codec, 0) if m['bom'] else 0
        with open(os.path.join(d, 'files', m['file']), 'rb') as fp:
            data = fp.read()
        text = data[bom:].decode(codec)
        spans, s, rc = mecab_names(text)
        secs += s
        failures += rc != 0
        offs = byte_offsets(text, codec, bom)
        findings[m['file']] = [{'type': 'name', 'start': offs[a], 'end': offs[b],
                                'value': text[a:b]} for a, b in spans]
    return findings, secs, failures


# ---------------------------------------------------------------------------------------------
# Scoring


class Score:
    def __init__(self):
        self.labels = 0
        self.tp = 0          # labels hit (exact) / labels touched (overlap)
        self.good = 0        # findings that hit (overlap mode counts findings, too)
        self.fp = 0
        self.ignored = 0
        self.findings = 0
        self.fn_ex = []
        self.fp_ex = []

    def add(self, other):
        for k in ('labels', 'tp', 'good', 'fp', 'ignored', 'findings'):
            setattr(self, k, getattr(self, k) + getattr(other, k))
        self.fn_ex += other.fn_ex
        self.fp_ex += other.fp_ex

    def p(self):
        return self.good / (self.good + self.fp) if self.good + self.fp else None

    def r(self):
        return self.tp / self.labels if self.labels else None

    def f1(self):
        p, r = self.p(), self.r()
        if p is None or r is None or p + r == 0:
            return None
        return 2 * p * r / (p + r)


def overlaps(a, b):
    return a['start'] < b['end'] and b['start'] < a['end']


def score_file(name, labels, findings, type_, overlap, by_form=None):
    s = Score()
    labs = [x for x in labels if x['type'] == type_]
    real = [x for x in labs if not x.get('optional')]
    opt = [x for x in labs if x.get('optional')]
    fnd = [f for f in findings if f['type'] == type_]
    s.labels = len(real)
    s.findings = len(fnd)
    hit = set()
    exact = {(x['start'], x['end']): i for i, x in enumerate(real)}
    for f in fnd:
        if overlap:
            touched = [i for i, x in enumerate(real) if overlaps(f, x)]
            if touched:
                hit.update(touched)
                s.good += 1
                continue
        else:
            i = exact.get((f['start'], f['end']))
            if i is not None:
                if i not in hit:
                    s.good += 1
                hit.add(i)
                continue
            if any(overlaps(f, x) for x in real):
                s.fp += 1
                s.fp_ex.append((name, f))
                continue
        if any(overlaps(f, x) for x in opt):
            s.ignored += 1
            continue
        s.fp += 1
        s.fp_ex.append((name, f))
    s.tp = len(hit)
    for i, x in enumerate(real):
        if by_form is not None:
            c = by_form.setdefault(x['form'], [0, 0])
            c[0] += 1
            c[1] += i in hit
        if i not in hit:
            s.fn_ex.append((name, x))
    return s


def score_all(manifest, labels, findings, type_, overlap, group_key='category', forms=None):
    groups = {}
    for m in manifest:
        s = score_file(m['file'], labels[m['file']], findings.get(m['file'], []), type_, overlap,
                       forms.setdefault(m[group_key], {}) if forms is not None else None)
        groups.setdefault(m[group_key], Score()).add(s)
    return groups


# ---------------------------------------------------------------------------------------------
# Printing


def fmt(x):
    return '   -  ' if x is None else '%6.3f' % x


def verdict(cat, type_, s):
    if cat == 'negative':
        return '0 findings: ' + ('met' if s.fp == 0 else 'MISSED')
    t = TARGETS.get((cat, type_))
    if t is None:
        return ''
    p, r = s.p(), s.r()
    ok = p is not None and r is not None and p >= t[0] and r >= t[1]
    return '%s: %s' % (t[2], 'met' if ok else 'MISSED')


def print_table(title, manifest, labels, findings, reported, overlap, forms):
    print('\n%s' % title)
    print('%-11s %-12s %7s %8s %7s %7s %7s %7s %6s %6s %6s  %s' % (
        'category', 'type', 'labels', 'findings', 'hit', 'false', 'ignored', 'missed', 'P', 'R',
        'F1', 'target'))
    results = {}
    for type_ in TYPES:
        groups = score_all(manifest, labels, findings, type_, overlap, forms=forms.setdefault(
            type_, {}))
        results[type_] = groups
        for cat in CATEGORIES:
            s = groups.get(cat, Score())
            if cat == 'negative':
                tail = '%7s %8d %7s %7d %7d %7s %6s %6s %6s  %s' % (
                    '-', s.findings, '-', s.fp, s.ignored, '-', '', '', '',
                    verdict(cat, type_, s))
                if type_ not in reported:
                    tail = '%7s %8s   not reported' % ('-', '-')
            elif type_ not in reported:
                t = TARGETS.get((cat, type_))
                tail = '%7d %8s   not reported: piiscan has no %s findings anywhere%s' % (
                    s.labels, '-', type_, ('  (target %s)' % t[2]) if t else '')
            else:
                tail = '%7d %8d %7d %7d %7d %7d %s %s %s  %s' % (
                    s.labels, s.findings, s.tp, s.fp, s.ignored, s.labels - s.tp, fmt(s.p()),
                    fmt(s.r()), fmt(s.f1()), verdict(cat, type_, s))
            print('%-11s %-12s %s' % (cat, type_, tail))
    print('(a value split over several columns, as Rakuten\'s 郵便番号1/2 and 電話番号1/2/3, is '
          'one label per part: form "split" below)')
    return results


def print_kinds(manifest, labels, findings, reported):
    print('\nRecall by file kind (exact / overlap), and false alarms in exact mode:')
    kinds = []
    for m in manifest:
        if m['kind'] not in kinds:
            kinds.append(m['kind'])
    types = [t for t in TYPES if t in reported]
    print('%-9s ' % 'kind' + ' '.join('%-19s' % t for t in types))
    ex = {t: score_all(manifest, labels, findings, t, False, 'kind') for t in types}
    ov = {t: score_all(manifest, labels, findings, t, True, 'kind') for t in types}
    for k in kinds:
        cells = []
        for t in types:
            a, b = ex[t].get(k, Score()), ov[t].get(k, Score())
            if a.labels == 0 and a.fp == 0:
                cells.append('%-19s' % '.')
            else:
                cells.append('%-19s' % ('%s/%s fp %d' % (fmt(a.r()).strip(), fmt(b.r()).strip(),
                                                         a.fp)))
        print('%-9s ' % k + ' '.join(cells))


def print_forms(forms_ex, forms_ov, reported):
    print('\nRecall by label form (how the value is written), exact / overlap:')
    for t in TYPES:
        if t not in reported:
            continue
        merged = {}
        for cat, fm in forms_ex.get(t, {}).items():
            for form, (n, h) in fm.items():
                c = merged.setdefault(form, [0, 0, 0])
                c[0] += n
                c[1] += h
        for cat, fm in forms_ov.get(t, {}).items():
            for form, (n, h) in fm.items():
                merged[form][2] += h
        print('  %-12s ' % t + '  '.join('%s %d: %.3f/%.3f' % (f, c[0], c[1] / c[0], c[2] / c[0])
                                         for f, c in sorted(merged.items()) if c[0]))


def print_examples(results, reported, n):
    """At most n misses per label form and n false alarms per file kind, so that one layout's
    many misses do not hide the others'."""
    if n <= 0:
        return
    print('\nExamples (exact match; at most %d per label form or file kind):' % n)
    for t in TYPES:
        if t not in reported:
            continue
        for cat in CATEGORIES:
            s = results[t].get(cat)
            if s is None:
                continue
            seen = {}
            for name, x in s.fn_ex:
                key = x['form']
                seen[key] = seen.get(key, 0) + 1
                if seen[key] <= n:
                    print('  missed %-11s %-10s %-9s %s %d..%d %r' % (
                        t, cat, key, name, x['start'], x['end'], x['text']))
            seen = {}
            for name, f in s.fp_ex:
                key = name.split('_')[0]
                seen[key] = seen.get(key, 0) + 1
                if seen[key] <= n:
                    print('  false  %-11s %-10s %-9s %s %d..%d %r %s' % (
                        t, cat, '', name, f['start'], f['end'], f.get('value', ''),
                        f.get('detector', '')))


def name_row(label, s, reported=True):
    if not reported:
        return '%-22s %s' % (label, 'not reported')
    if s is None:
        return '%-22s %s' % (label, '')
    return '%-22s %s %s %s' % (label, fmt(s.p()), fmt(s.r()), fmt(s.f1()))


def print_mecab(manifest, labels, pii, pii_secs, name_reported, mecab, mecab_secs, status,
                total_bytes):
    mb = total_bytes / (1 << 20)
    print('\nNames: piiscan against MeCab (ipadic, 名詞,固有名詞,人名; 姓+名 merged)')
    if status:
        print('  %s: only piiscan is measured' % status)
    head = ('category', 'match', 'labels', 'piiscan  P      R      F1', 'MeCab  P      R      F1')
    print('%-11s %-8s %7s | %-22s| %-22s' % head)
    for overlap in (False, True):
        a = score_all(manifest, labels, pii, 'name', overlap)
        b = score_all(manifest, labels, mecab, 'name', overlap) if mecab is not None else {}
        for cat in CATEGORIES:
            sa, sb = a.get(cat, Score()), b.get(cat)
            mode = 'overlap' if overlap else 'exact'
            if cat == 'negative':
                pa = '%d findings' % sa.findings if name_reported else 'not reported'
                pb = '%d findings' % sb.findings if sb is not None else ''
                print('%-11s %-8s %7s | %-22s| %-22s' % (cat, mode, '-', pa, pb))
                continue
            ra = ('%s %s %s' % (fmt(sa.p()), fmt(sa.r()), fmt(sa.f1()))) if name_reported \
                else 'not reported'
            rb = ('%s %s %s' % (fmt(sb.p()), fmt(sb.r()), fmt(sb.f1()))) if sb is not None else ''
            print('%-11s %-8s %7d | %-22s| %-22s' % (cat, mode, sa.labels, ra, rb))
    fa, fb = {}, {}
    score_all(manifest, labels, pii, 'name', False, forms=fa)
    if mecab is not None:
        score_all(manifest, labels, mecab, 'name', False, forms=fb)
    merged = {}
    for src, col in ((fa, 0), (fb, 1)):
        for fm in src.values():
            for form, (n, h) in fm.items():
                c = merged.setdefault(form, [0, 0, 0])
                c[2] = c[2] + n if col == 0 else c[2]
                c[col] += h
    for form, (ha, hb, n) in sorted(merged.items()):
        if not n:
            continue
        ra = ('R %.3f' % (ha / n)) if name_reported else 'not reported'
        rb = ('R %.3f' % (hb / n)) if mecab is not None else ''
        print('%-11s %-8s %7d | %-22s| %-22s' % ('  ' + form, 'exact', n, ra, rb))
    sp_a = '%.1f MB/s (all types)' % (mb / pii_secs) if pii_secs > 0 else '-'
    sp_b = '%.1f MB/s' % (mb / mecab_secs) if mecab is not None and mecab_secs > 0 else ''
    print('%-11s %-8s %7s | %-22s| %-22s' % ('speed', '', '', sp_a, sp_b))


def main():
    ap = argparse.ArgumentParser(description='Scores piiscan (and MeCab) on the corpus that '
                                 'bench/gen_eval.py wrote.')
    ap.add_argument('corpus', help='corpus directory (files/, labels/, manifest.jsonl)')
    ap.add_argument('--piiscan', default=os.environ.get('PIISCAN', './cli/piiscan'))
    ap.add_argument('--piiscan-arg', action='append', default=[],
                    help='one more option for piiscan scan (repeatable)')
    ap.add_argument('--no-mecab', action='store_true', help='do not run MeCab')
    ap.add_argument('--examples', type=int, default=5, help='missed/false examples per row')
    a = ap.parse_args()

    manifest, labels = load_corpus(a.corpus)
    files_dir = os.path.join(a.corpus, 'files')
    total = sum(m['bytes'] for m in manifest)
    pii, pii_secs = run_piiscan(a.piiscan, files_dir, a.piiscan_arg)
    reported = {f['type'] for fs in pii.values() for f in fs}
    nlab = sum(len(v) for v in labels.values())
    print('Corpus: %s, %d files, %.2f MB, %d labels (%s)' % (
        a.corpus, len(manifest), total / (1 << 20), nlab, ', '.join(
            '%s %d' % (c, sum(1 for m in manifest if m['category'] == c)) for c in CATEGORIES)))
    print('piiscan: %s; types with findings: %s' % (a.piiscan, ', '.join(
        t for t in TYPES if t in reported) or 'none'))
    keys = [(name, f['type'], f['start'], f['end']) for name, fs in pii.items() for f in fs]
    if len(keys) != len(set(keys)):
        print('warning: %d findings repeat the type and span of another (scored once)'
              % (len(keys) - len(set(keys))))
    missing = [t for t in TYPES if t not in reported]
    if missing:
        print('not reported (no finding of the type anywhere in the corpus, so no score): %s'
              % ', '.join(missing))

    forms_ex, forms_ov = {}, {}
    results = print_table('Exact span match (type, start and end equal a label\'s)', manifest,
                          labels, pii, reported, False, forms_ex)
    print_table('Overlap match (a finding that overlaps a label of its type is a hit)', manifest,
                labels, pii, reported, True, forms_ov)
    print_kinds(manifest, labels, pii, reported)
    print_forms(forms_ex, forms_ov, reported)

    status = None if not a.no_mecab else 'MeCab skipped (--no-mecab)'
    if status is None:
        status = mecab_status()
    mecab, mecab_secs = None, 0.0
    if status is None:
        mecab, mecab_secs, failures = run_mecab(a.corpus, manifest)
        if failures:
            print('warning: mecab failed on %d files' % failures)
    print_mecab(manifest, labels, pii, pii_secs, 'name' in reported, mecab, mecab_secs, status,
                total)
    print_examples(results, reported, a.examples)
    return 0


if __name__ == '__main__':
    sys.exit(main())

#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""
gen_people.py: the corpus of the people benchmark (bench/README.md, "People").

Makes a population of made-up customers (bench/names_eval.tsv, bench/places_eval.tsv, through
gen_eval.py's Person) and writes them into four exports of one shop, each person in one or more
of them and in other forms: a Rakuten-like order export (CP932; names, readings, postal codes
and phone numbers split over columns, the orderer and the recipient of a gift in one row), an
Amazon-like TSV (UTF-8; buyer in romaji or kanji, phone as +81, the prefecture in a column of
its own), a Yamato-like label export (CP932; recipient first, full-width phones, kanji numerals,
half-width readings, the shop as sender in every row) and an inquiry log (EUC-JP; a few lines
a person). DIR/truth.tsv says, for each person's part of a row or block, its file, its first and
last line, its first and last field, and who it is: a person's number, or "shop".

No two people share a phone number, an e-mail address, or a name at one address: the truth is
then unambiguous. The output depends only on the seed and the size.
"""

import argparse
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_eval  # noqa: E402  (the tables and Person of the accuracy corpus)
from gen_eval import FW_DIGITS, KANJI_DIGITS, Person, Tables, kanji_number  # noqa: E402


def kanji_digits(n):
    """101 as 一〇一, as a label printer writes a room or a long block number."""
    return ''.join(KANJI_DIGITS[int(d)] for d in str(n))


class File:
    def __init__(self, name, encoding, sep):
        self.name, self.encoding, self.sep = name, encoding, sep
        self.lines = []
        self.truth = []  # (first line, last line, first field, last field, who)

    def row(self, fields, parts=()):
        """A row of fields; parts: (first field, last field, who), 1-based fields."""
        self.lines.append(self.sep.join(fields))
        n = len(self.lines)
        for a, b, who in parts:
            self.truth.append((n, n, a, b, who))

    def block(self, lines, who):
        first = len(self.lines) + 1
        self.lines.extend(lines)
        self.truth.append((first, len(self.lines), 0, 0, who))
        self.lines.append('')

    def write(self, outdir):
        data = '\r\n'.join(self.lines) + '\r\n'
        for a, b in gen_eval.SWAPS.get(self.encoding, {}).items():
            data = data.replace(a, b)
        with open(os.path.join(outdir, self.name), 'wb') as fp:
            fp.write(data.encode({'cp932': 'cp932', 'euc-jp': 'euc_jp'}.get(self.encoding,
                                                                             'utf-8')))


def is_numbered_town(town):
    return town.startswith(('字', '大字')) or '通' in town or town.endswith(('町', '側'))


def block_numbers(p):
    """The numbers of p's address as Person.street() writes them (its styles drop some)."""
    c, b, g = p.chome
    if is_numbered_town(p.place['town']):
        return (b * 37 % 2000 + 1, g)
    return (b, g) if p.street_style == 5 else (c, b, g)


def make_people(rng, t, n):
    people, phones, emails, homes = [], set(), set(), set()
    while len(people) < n:
        p = Person(rng, t)
        place = (p.place['city'], p.place['town'], block_numbers(p),
                 p.room if p.building else None)
        home = (p.sei['kanji'] + p.mei['kanji'],) + place
        home_kana = (p.sei['kana'] + p.mei['kana'],) + place
        if p.phone in phones or p.email in emails or home in homes or home_kana in homes:
            continue
        phones.add(p.phone)
        emails.add(p.email)
        homes.add(home)
        homes.add(home_kana)
        p.id = len(people) + 1
        people.append(p)
    return people


def street_kanji(p):
    """六本木一丁目二番三号: every number in kanji, as some label software prints them."""
    town = p.place['town']
    nums = block_numbers(p)
    if is_numbered_town(town):
        return '%s%s番地%s' % (town, kanji_digits(nums[0]), kanji_number(nums[1]))
    if len(nums) == 2:
        return '%s%s番%s号' % (town, kanji_number(nums[0]), kanji_number(nums[1]))
    return '%s%s丁目%s番%s号' % (town, kanji_number(nums[0]), kanji_number(nums[1]),
                               kanji_number(nums[2]))


def building(p, rng):
    if not p.building:
        return ''
    return p.building + rng.choice(['', ' ']) + rng.choice([p.room, p.room + '号室'])


def rakuten(rng, buyers, everyone, f):
    head = ['注文番号', '注文者名字', '注文者名前', '注文者名字フリガナ', '注文者名前フリガナ',
            '注文者郵便番号1', '注文者郵便番号2', '注文者住所：都道府県', '注文者住所：都市区',
            '注文者住所：町以降', '注文者電話番号1', '注文者電話番号2', '注文者電話番号3',
            'メールアドレス', '送付先名字', '送付先名前', '送付先名字フリガナ', '送付先名前フリガナ',
            '送付先郵便番号1', '送付先郵便番号2', '送付先住所：都道府県', '送付先住所：都市区',
            '送付先住所：町以降', '送付先電話番号1', '送付先電話番号2', '送付先電話番号3', '商品名']
    f.row(head)

    def party(p):
        post = p.place['postal'].split('-')
        return [p.sei['kanji'], p.mei['kanji'], p.sei['kana'], p.mei['kana'], post[0], post[1],
                p.place['pref'], p.place['city'], p.street() + p.building_text(), *p.phone]

    for i, a in enumerate(buyers):
        # One order in four is a gift: the recipient is someone else, often a customer too.
        b = rng.choice(everyone) if rng.random() < 0.25 else a
        row = ['%06d' % (i + 1)] + party(a) + [a.email] + party(b) + \
            [rng.choice(gen_eval.PRODUCTS)]
        parts = [(2, 14, a.id), (15, 26, b.id)] if b is not a else [(2, 26, a.id)]
        f.row(row, parts)


def amazon(rng, buyers, f):
    head = ['order-id', 'buyer-email', 'buyer-name', 'buyer-phone-number', 'product-name',
            'recipient-name', 'ship-address-1', 'ship-address-2', 'ship-city', 'ship-state',
            'ship-postal-code', 'ship-phone-number']
    f.row(head)
    for i, p in enumerate(buyers):
        a, b, c = p.phone
        intl = '+81 %s %s %s' % (a[1:], b, c)
        buyer = p.roman() if rng.random() < 0.5 else p.full_kanji(' ')
        row = ['250-%07d' % i, p.email, buyer, intl, rng.choice(gen_eval.PRODUCTS),
               p.full_kanji(''), p.street(), building(p, rng), p.place['city'],
               p.place['pref'], p.place['postal'], p.phone_text('dash')]
        f.row(row, [(2, 12, p.id)])


SHOP = gen_eval.SHOP


def yamato(rng, recipients, f):
    head = ['お客様管理番号', 'お届け先電話番号', 'お届け先郵便番号', 'お届け先住所',
            'お届け先アパートマンション名', 'お届け先名', 'お届け先名(ｶﾅ)', '敬称',
            'ご依頼主電話番号', 'ご依頼主郵便番号', 'ご依頼主住所', 'ご依頼主アパートマンション',
            'ご依頼主名', '品名１']
    f.row(head)
    for i, p in enumerate(recipients):
        phone = p.phone_text(rng.choice(['fw', 'fw', 'dash', 'bare']))
        street = street_kanji(p) if rng.random() < 0.6 else p.street()
        pref = p.place['pref'] if rng.random() < 0.7 else ''
        row = ['A%07d' % (i + 1), phone, p.place['postal'], pref + p.place['city'] + street,
               building(p, rng), p.full_kanji(rng.choice([' ', '\u3000'])),
               p.full_kana('hw', ' '), '様', SHOP['phone'], SHOP['postal'], SHOP['addr'],
               SHOP['bldg'], SHOP['name'], rng.choice(gen_eval.PRODUCTS)]
        f.row(row, [(2, 8, p.id), (9, 13, 'shop')])


def inquiries(rng, askers, f):
    for i, p in enumerate(askers):
        lines = ['件名: %s' % rng.choice(gen_eval.ISSUES),
                 'お名前: %s 様' % p.full_kanji(rng.choice([' ', '\u3000', '']))]
        contact = rng.choice(['phone', 'both'])  # a form asks for a phone number
        if contact in ('phone', 'both'):
            lines.append('電話番号: %s' % p.phone_text())
        if contact in ('email', 'both'):
            lines.append('メール: %s' % p.email)
        lines.append('いつもお世話になっております。お手数ですがご確認ください。')
        f.block(lines, p.id)


def generate(outdir, seed, n):
    rng = random.Random('%s/people/%d' % (seed, n))
    t = Tables()
    people = make_people(rng, t, n)
    # Where each person appears: at least once, most in two or three exports.
    roles = {'rakuten': [], 'amazon': [], 'yamato': [], 'inquiry': []}
    for p in people:
        mine = [r for r, share in (('rakuten', 0.55), ('amazon', 0.3), ('yamato', 0.5),
                                   ('inquiry', 0.2)) if rng.random() < share]
        for r in mine or [rng.choice(list(roles))]:
            roles[r].append(p)
    for r in roles:
        rng.shuffle(roles[r])
    os.makedirs(outdir, exist_ok=True)
    files = [File('rakuten_orders.csv', 'cp932', ','), File('amazon_orders.tsv', 'utf-8', '\t'),
             File('yamato_labels.csv', 'cp932', ','), File('inquiries.txt', 'euc-jp', '')]
    rakuten(rng, roles['rakuten'], people, files[0])
    amazon(rng, roles['amazon'], files[1])
    yamato(rng, roles['yamato'], files[2])
    inquiries(rng, roles['inquiry'], files[3])
    with open(os.path.join(outdir, 'truth.tsv'), 'w', encoding='utf-8') as fp:
        for fl in files:
            fl.write(outdir)
            for first, last, a, b, who in fl.truth:
                fp.write('%s\t%d\t%d\t%d\t%d\t%s\n' % (fl.name, first, last, a, b, who))
    print('gen_people: %d people in %d files in %s' % (n, len(files), outdir), file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('outdir')
    ap.add_argument('--people', type=int, default=5000)
    ap.add_argument('--seed', default='piiscan')
    args = ap.parse_args()
    generate(args.outdir, args.seed, args.people)


if __name__ == '__main__':
    main()

#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""
gen_eval.py: the labelled corpus of the accuracy benchmark (bench/README.md, "Accuracy").

Writes shop order exports, carrier label exports, an Excel "Unicode text" export, inquiry logs
and negative files (product catalogues, shop notices) into DIR/files/, each in one of the
encodings piiscan reads, and next to them in DIR/labels/ one NAME.labels.jsonl per file: one
object per span of personal data, with byte offsets in the file's own encoding. DIR/manifest.jsonl
lists the files with their category, kind and encoding.

Every value is made up from bench/names_eval.tsv and bench/places_eval.tsv, which are written by
hand and kept apart from dict/, so the score is not the detector reading its own tables. A file is
built as a list of pieces, some of them labelled; a label's offsets are the byte lengths of the
encoded pieces before it, so they are exact by construction, and --check proves it afterwards.

The output depends only on the seed and the size: random.Random seeded with a string is stable
across runs and machines, and nothing reads the clock.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))

# Python codec, iconv name, byte-order mark written at the start of the file.
ENCODINGS = {
    'utf-8': ('utf-8', 'UTF-8', b''),
    'utf-8-bom': ('utf-8', 'UTF-8', b'\xef\xbb\xbf'),
    'cp932': ('cp932', 'CP932', b''),
    'euc-jp': ('euc_jp', 'EUC-JP', b''),
    'utf-16le': ('utf-16-le', 'UTF-16LE', b'\xff\xfe'),
    'utf-16be': ('utf-16-be', 'UTF-16BE', b'\xfe\xff'),
}

# Characters that one legacy encoding lacks and the other has, mapped to the one it has (iconv's
# CP932 has U+FF0D and U+FF5E, its EUC-JP has U+2212 and U+301C). The swap is made piece by
# piece before the offsets are counted, so the labels stay exact.
SWAPS = {
    'cp932': {'\u2212': '\uff0d', '\u301c': '\uff5e'},
    'euc-jp': {'\uff0d': '\u2212', '\uff5e': '\u301c'},
}


# ---------------------------------------------------------------------------------------------
# Tables


def read_tsv(name):
    rows = []
    with open(os.path.join(HERE, name), encoding='utf-8') as fp:
        for line in fp:
            line = line.rstrip('\n')
            if not line or line.startswith('#'):
                continue
            rows.append(line.split('\t'))
    return rows


def legacy_ok(s):
    """True when s is in both CP932 and EUC-JP, so every file can carry it."""
    try:
        s.encode('cp932')
        s.encode('euc_jp')
        return True
    except UnicodeEncodeError:
        return False


class Tables:
    def __init__(self):
        self.sei, self.mei = [], []
        for part, kanji, kana, roman, kind, gender in read_tsv('names_eval.tsv'):
            if not (legacy_ok(kanji) and legacy_ok(kana)):
                continue
            entry = {'kanji': kanji, 'kana': kana, 'roman': roman, 'kind': kind, 'g': gender}
            (self.sei if part == 'sei' else self.mei).append(entry)
        self.sei_common = [e for e in self.sei if e['kind'] != 'rare']
        self.sei_rare = [e for e in self.sei if e['kind'] == 'rare']
        self.places, self.buildings = [], []
        for row in read_tsv('places_eval.tsv'):
            if row[0] == 'place':
                self.places.append({'postal': row[1], 'pref': row[2], 'city': row[3],
                                    'town': row[4]})
            elif row[0] == 'building':
                self.buildings.append(row[1])


# Area codes of the cities in places_eval.tsv that have a short one; other places get a
# four-digit code of the 0ABCD-E-FFFF shape or a mobile number.
AREA = {'東京都': '03', '大阪府': '06', '愛知県': '052', '神奈川県': '045', '京都府': '075',
        '北海道': '011', '福岡県': '092', '宮城県': '022', '兵庫県': '078', '広島県': '082'}
AREA4 = ['0263', '0266', '0276', '0466', '0495', '0555', '0721', '0736', '0852', '0877', '0985',
         '0994']

PRODUCTS = ['北海道産じゃがいも 5kg', '山田錦 純米大吟醸 720ml', '佐藤錦 さくらんぼ 500g',
            '松本一本ねぎ 2kg', '夕張メロン 2玉', '宇治抹茶 100g', '紀州南高梅 1kg',
            '博多明太子 300g', '鳴門金時 3kg', '仙台牛タン 500g', '讃岐うどん 10食',
            '信州そば 6人前', '下仁田ねぎ 3kg', '甲州ぶどう 2房', '鹿児島黒豚 ロース 600g',
            '今治タオル フェイス 3枚組', '有田焼 湯呑み', '南部鉄器 急須', '九谷焼 豆皿 5枚',
            '越前がに 1杯', '京都府警 お墨付き 防犯ブザー', '秋田こまち 10kg', '長野県産 りんご 5kg',
            '青森県産 にんにく 1kg', '静岡茶 深蒸し 200g', '高橋さんちの干し芋 300g',
            '鈴木農園の新米 コシヒカリ 5kg', '田中屋の最中 12個入']
COMPANIES = ['株式会社山田商店', '有限会社佐藤農園', '鈴木酒造株式会社', '田中屋本店',
             '株式会社高橋製作所', '合同会社森林資源', '株式会社松本物産', '小林食品株式会社',
             '有限会社中村水産', '株式会社伊藤園芸']
STATIONS = ['新宿駅', '高田馬場駅', '松本駅', '吉祥寺駅', '中野駅', '上野駅', '大塚駅', '目白駅',
            '池袋駅', '田町駅', '浜松町駅', '神田駅', '秋葉原駅', '渋谷駅', '品川駅', '大崎駅',
            '五反田駅', '恵比寿駅', '京都駅', '梅田駅', '天神駅', '札幌駅', '金沢駅', '岡山駅']
ORIGINS = ['北海道', '青森県', '山形県', '長野県', '静岡県', '京都府', '和歌山県', '福岡県',
           '鹿児島県', '沖縄県', '新潟県', '愛媛県']
ISSUES = ['商品未着の件', '配送日変更の依頼', '請求書の再発行', '商品破損の連絡', '返品の相談',
          'ギフト包装の確認', '領収書の宛名変更', '在庫の問い合わせ', 'のし紙の指定']
DOMAINS = ['example.jp', 'example.com', 'example.ne.jp', 'example.co.jp', 'example.or.jp']


# ---------------------------------------------------------------------------------------------
# Pieces and files


class Doc:
    """A file under construction: text pieces, each either plain or one labelled span."""

    def __init__(self):
        self.pieces = []  # (text, label dict or None)

    def add(self, text, label=None):
        if text:
            self.pieces.append((text, label))

    def add_value(self, segs):
        for text, label in segs:
            self.add(text, label)


def lab(type_, form, optional=False):
    d = {'type': type_, 'form': form}
    if optional:
        d['optional'] = True
    return d


def plain(text):
    return [(text, None)]


def seg_text(segs):
    return ''.join(t for t, _ in segs)


def csv_field(segs, sep, quote_all):
    """A CSV/TSV field: quoted when it must be (or always); quotes inside are doubled."""
    text = seg_text(segs)
    must = sep in text or '"' in text or '\n' in text or '\r' in text
    if not (quote_all or must):
        return segs
    out = [('"', None)]
    for t, label in segs:
        out.append((t.replace('"', '""'), label))
    out.append(('"', None))
    return out


def write_row(doc, fields, sep=',', quote_all=False, eol='\r\n'):
    for i, f in enumerate(fields):
        if i:
            doc.add(sep)
        segs = plain(f) if isinstance(f, str) else f
        doc.add_value(csv_field(segs, sep, quote_all))
    doc.add(eol)


def encode_doc(doc, enc):
    """Bytes of the file and its labels with byte offsets in that encoding."""
    codec, _, bom = ENCODINGS[enc]
    swaps = SWAPS.get(enc, {})
    out = [bom]
    pos = len(bom)
    labels = []
    for text, label in doc.pieces:
        for a, b in swaps.items():
            text = text.replace(a, b)
        data = text.encode(codec)
        if label is not None:
            rec = {'type': label['type'], 'start': pos, 'end': pos + len(data), 'text': text,
                   'form': label['form']}
            if label.get('optional'):
                rec['optional'] = True
            labels.append(rec)
        out.append(data)
        pos += len(data)
    return b''.join(out), labels


# ---------------------------------------------------------------------------------------------
# Value shapes

HW = {}
for _c in range(0xFF61, 0xFFA0):
    HW[unicodedata.normalize('NFKC', chr(_c))] = chr(_c)


def to_halfwidth(kata):
    out = []
    for ch in kata:
        if ch == '\u3000':
            out.append(' ')
        elif ch in HW:
            out.append(HW[ch])
        else:
            base = unicodedata.normalize('NFD', ch)
            if len(base) == 2 and base[0] in HW:
                out.append(HW[base[0]] + ('\uff9e' if base[1] == '\u3099' else '\uff9f'))
            else:
                out.append(ch)
    return ''.join(out)


def to_hiragana(kata):
    return ''.join(chr(ord(c) - 0x60) if 0x30A1 <= ord(c) <= 0x30F6 else c for c in kata)


FW_DIGITS = str.maketrans('0123456789-', '０１２３４５６７８９－')
KANJI_DIGITS = '〇一二三四五六七八九'


def kanji_number(n):
    if n < 10:
        return KANJI_DIGITS[n]
    if n < 20:
        return '十' + (KANJI_DIGITS[n - 10] if n > 10 else '')
    return KANJI_DIGITS[n // 10] + '十' + (KANJI_DIGITS[n % 10] if n % 10 else '')


class Person:
    def __init__(self, rng, t):
        # Three surnames in four are common ones, as in a real customer list; the rare quarter
        # is what a dictionary-bound detector misses.
        self.sei = rng.choice(t.sei_rare if rng.random() < 0.25 else t.sei_common)
        self.mei = rng.choice(t.mei)
        self.place = rng.choice(t.places)
        self.rng = rng
        self.mobile = rng.random() < 0.7
        area = AREA.get(self.place['pref'])
        if self.mobile:
            # The number plan: a mobile's second block and a local number never start with 0
            # (or 1), so 090-0123-4567 is no one's number.
            self.phone = (rng.choice(['090', '080', '070']), '%04d' % rng.randrange(1000, 10000),
                          '%04d' % rng.randrange(10000))
        elif area and len(area) == 2:
            self.phone = (area, '%04d' % rng.randrange(2000, 10000), '%04d' % rng.randrange(10000))
        elif area:
            self.phone = (area, '%03d' % rng.randrange(200, 1000), '%04d' % rng.randrange(10000))
        else:
            self.phone = (rng.choice(AREA4), '%02d' % rng.randrange(20, 100),
                          '%04d' % rng.randrange(10000))
        roman = self.mei['roman'], self.sei['roman']
        local = rng.choice(['%s.%s' % roman, '%s_%s' % roman[::-1], '%s%s%d' % (roman[0][0],
                            roman[1], rng.randrange(1960, 2010)), '%s-%s' % roman[::-1],
                            '%s%02d' % (roman[1], rng.randrange(100))])
        self.email = local + '@' + rng.choice(DOMAINS)
        self.building = rng.choice(t.buildings) if rng.random() < 0.55 else None
        self.room = '%d%02d' % (rng.randrange(1, 9), rng.randrange(1, 12))
        self.chome = (rng.randrange(1, 8), rng.randrange(1, 30), rng.randrange(1, 25))
        self.street_style = rng.randrange(6)

    # Names -------------------------------------------------------------------------------

    def full_kanji(self, sep=None):
        if sep is None:
            sep = self.rng.choice(['', ' ', ' ', '\u3000'])
        return self.sei['kanji'] + sep + self.mei['kanji']

    def full_kana(self, style='kata', sep=None):
        if sep is None:
            sep = self.rng.choice([' ', '\u3000', ''])
        s = self.sei['kana'] + sep + self.mei['kana']
        if style == 'hira':
            return to_hiragana(s)
        if style == 'hw':
            return to_halfwidth(s)
        return s

    def roman(self):
        sei, mei = self.sei['roman'], self.mei['roman']
        return self.rng.choice([mei.title() + ' ' + sei.title(), sei.upper() + ' ' + mei.title(),
                                sei.title() + ' ' + mei.title(), mei.upper() + ' ' + sei.upper()])

    def name_value(self, forms=('kanji',)):
        """A name in one field as (segments): the form is drawn from forms."""
        form = self.rng.choice(forms)
        if form == 'kanji':
            return [(self.full_kanji(), lab('name', 'kanji'))]
        if form == 'kana':
            return [(self.full_kana(), lab('name', 'kana'))]
        if form == 'hira':
            return [(self.full_kana('hira'), lab('name', 'hira'))]
        if form == 'hw':
            return [(self.full_kana('hw', ' '), lab('name', 'halfwidth'))]
        return [(self.roman(), lab('name', 'romaji'))]

    # Phones, postal codes ----------------------------------------------------------------

    def phone_text(self, style=None):
        a, b, c = self.phone
        if style is None:
            style = self.rng.choice(['dash', 'dash', 'dash', 'bare', 'paren', 'space', 'fw',
                                     'intl'])
        if style == 'dash':
            return '%s-%s-%s' % (a, b, c)
        if style == 'bare':
            return a + b + c
        if style == 'paren':
            return '%s(%s)%s' % (a, b, c) if self.mobile else '(%s)%s-%s' % (a, b, c)
        if style == 'space':
            return '%s %s %s' % (a, b, c)
        if style == 'fw':
            return ('%s-%s-%s' % (a, b, c)).translate(FW_DIGITS)
        return '+81-%s-%s-%s' % (a[1:], b, c)

    def postal_text(self, style=None):
        p = self.place['postal']
        if style is None:
            style = self.rng.choice(['dash', 'dash', 'bare', 'fw'])
        if style == 'bare':
            return p.replace('-', '')
        if style == 'fw':
            return p.translate(FW_DIGITS)
        return p

    # Addresses ---------------------------------------------------------------------------

    def street(self):
        """Town and block number: 六本木1-2-3, 六本木一丁目2番3号, 大字軽井沢1323-4 …"""
        town = self.place['town']
        c, b, g = self.chome
        s = self.street_style
        if town.startswith(('字', '大字')) or '通' in town or town.endswith(('町', '側')):
            if s % 2:
                return '%s%d番地%d' % (town, b * 37 % 2000 + 1, g)
            return '%s%d-%d' % (town, b * 37 % 2000 + 1, g)
        if s == 0:
            return '%s%d-%d-%d' % (town, c, b, g)
        if s == 1:
            return town + ('%d-%d-%d' % (c, b, g)).translate(FW_DIGITS)
        if s == 2:
            street = '%d丁目%d番%d号' % (c, b, g)
            return town + (street.translate(FW_DIGITS) if b % 2 else street)
        if s == 3:
            return '%s%s丁目%d-%d' % (town, kanji_number(c), b, g)
        if s == 4:
            return '%s%d丁目%d-%d' % (town, c, b, g)
        return '%s%d-%d' % (town, b, g)

    def building_text(self, sep=None):
        if not self.building:
            return ''
        if sep is None:
            sep = self.rng.choice([' ', '\u3000', ''])
        room = self.rng.choice([self.room, self.room + '号室', self.room + '号'])
        return sep + self.building + room if sep else self.building + ' ' + room

    def building_only(self):
        if not self.building:
            return ''
        return self.building + self.rng.choice([' ', '']) + self.rng.choice(
            [self.room, self.room + '号室'])

    def address_full(self, with_pref=None):
        """The whole address in one field, from the prefecture to the room."""
        if with_pref is None:
            with_pref = self.rng.random() < 0.85
        p = self.place
        head = (p['pref'] if with_pref else '') + p['city']
        return head + self.street() + self.building_text()


# Split-column values: every part of a person's address is personal data, the prefecture may be
# reported or not (an optional label, neither a hit nor a false alarm).
def pref_seg(p):
    return [(p.place['pref'], lab('address', 'prefecture', optional=True))]


def addr_seg(text, form):
    return [(text, lab('address', form))] if text else []


def name_seg(text, form):
    return [(text, lab('name', form))] if text else []


def phone_seg(text, form='phone'):
    return [(text, lab('phone', form))] if text else []


# ---------------------------------------------------------------------------------------------
# Structured exports


def order_no(rng, day):
    return '%06d-2026%04d-%010d' % (rng.randrange(100000, 999999), day,
                                    rng.randrange(10 ** 9, 10 ** 10))


def date_of(rng):
    m = rng.randrange(1, 13)
    d = rng.randrange(1, 29)
    return m, d, '2026-%02d-%02d %02d:%02d:%02d' % (m, d, rng.randrange(24), rng.randrange(60),
                                                    rng.randrange(60))


def tracking(rng):
    return '%012d' % rng.randrange(10 ** 11, 10 ** 12)


def gen_rakuten(rng, t, n, doc):
    head = ['受注番号', '受注ステータス', '注文日時', '注文者郵便番号1', '注文者郵便番号2',
            '注文者住所都道府県', '注文者住所郡市区', '注文者住所それ以降の住所', '注文者姓',
            '注文者名', '注文者姓カナ', '注文者名カナ', '注文者電話番号1', '注文者電話番号2',
            '注文者電話番号3', '注文者メールアドレス', '注文者性別', '送付先郵便番号1',
            '送付先郵便番号2', '送付先住所都道府県', '送付先住所郡市区',
            '送付先住所それ以降の住所', '送付先姓', '送付先名', '送付先姓カナ', '送付先名カナ',
            '送付先電話番号1', '送付先電話番号2', '送付先電話番号3', '商品名', '商品番号', '単価',
            '個数', '合計金額', '配送方法', 'お荷物伝票番号', '備考']
    write_row(doc, head, quote_all=True)

    def person_cols(p):
        a, b = p.place['postal'].split('-')
        ph = p.phone
        return [[(a, lab('postal_code', 'split'))], [(b, lab('postal_code', 'split'))],
                pref_seg(p), addr_seg(p.place['city'], 'city'),
                addr_seg(p.street() + p.building_text(), 'street'),
                name_seg(p.sei['kanji'], 'sei'), name_seg(p.mei['kanji'], 'mei'),
                name_seg(p.sei['kana'], 'sei-kana'), name_seg(p.mei['kana'], 'mei-kana'),
                phone_seg(ph[0], 'split'), phone_seg(ph[1], 'split'), phone_seg(ph[2], 'split')]

    for _ in range(n):
        buyer = Person(rng, t)
        dest = Person(rng, t) if rng.random() < 0.3 else buyer
        m, d, when = date_of(rng)
        no = order_no(rng, m * 100 + d)
        note = plain('')
        r = rng.random()
        if dest is not buyer and r < 0.5:
            note = [('ギフト。差出人は', None), (buyer.full_kanji(''), lab('name', 'text')),
                    ('様でお願いします', None)]
        elif r < 0.3:
            note = plain(rng.choice(['不在時は宅配ボックスへ', '午前中指定', '領収書不要']))
        for item in range(rng.choice([1, 1, 1, 2, 3])):
            bc = person_cols(buyer)
            dc = person_cols(dest)
            row = ([no, '発送待ち', when] + bc[:3] + bc[3:5] + bc[5:9] + bc[9:12] +
                   [[(buyer.email, lab('email', 'email'))], rng.choice(['男', '女'])] +
                   dc[:3] + dc[3:5] + dc[5:9] + dc[9:12] +
                   [rng.choice(PRODUCTS), 'item-%05d' % rng.randrange(100000),
                    str(rng.randrange(5, 300) * 100), str(rng.randrange(1, 4)),
                    str(rng.randrange(10, 900) * 100), rng.choice(['宅配便', 'メール便']),
                    tracking(rng), note])
            write_row(doc, row, quote_all=True)


def gen_amazon(rng, t, n, doc):
    head = ['order-id', 'order-item-id', 'purchase-date', 'payments-date', 'buyer-email',
            'buyer-name', 'buyer-phone-number', 'sku', 'product-name', 'quantity-purchased',
            'currency', 'item-price', 'item-tax', 'shipping-price', 'shipping-tax',
            'ship-service-level', 'recipient-name', 'ship-address-1', 'ship-address-2',
            'ship-address-3', 'ship-city', 'ship-state', 'ship-postal-code', 'ship-country',
            'ship-phone-number', 'delivery-start-date', 'delivery-end-date', 'delivery-time-zone',
            'delivery-Instructions']
    write_row(doc, head, sep='\t', eol='\n')
    for _ in range(n):
        buyer = Person(rng, t)
        dest = Person(rng, t) if rng.random() < 0.25 else buyer
        m, d, _ = date_of(rng)
        oid = '%03d-%07d-%07d' % (rng.randrange(200, 700), rng.randrange(10 ** 7),
                                  rng.randrange(10 ** 7))
        when = '2026-%02d-%02dT%02d:%02d:%02d+09:00' % (m, d, rng.randrange(24), rng.randrange(60),
                                                        rng.randrange(60))
        forms = ('kanji', 'kanji', 'kanji', 'kanji', 'romaji')
        # Amazon puts the town and block in ship-address-1, the building in ship-address-2;
        # some buyers type the city into ship-address-1 as well.
        if rng.random() < 0.2:
            a1 = dest.place['city'] + dest.street()
        else:
            a1 = dest.street()
        row = [oid, '%014d' % rng.randrange(10 ** 13, 10 ** 14), when, when,
               [(buyer.email, lab('email', 'email'))], buyer.name_value(forms),
               phone_seg(buyer.phone_text(rng.choice(['dash', 'bare', 'intl']))),
               'SKU-%06d' % rng.randrange(10 ** 6), rng.choice(PRODUCTS), str(rng.randrange(1, 4)),
               'JPY', str(rng.randrange(5, 300) * 100), str(rng.randrange(0, 30) * 10),
               str(rng.choice([0, 500, 800])), '0', rng.choice(['Standard', 'Expedited']),
               dest.name_value(forms), addr_seg(a1, 'street'),
               addr_seg(dest.building_only(), 'building'), '',
               addr_seg(dest.place['city'], 'city'),
               pref_seg(dest), [(dest.postal_text('dash'), lab('postal_code', 'postal'))], 'JP',
               phone_seg(dest.phone_text(rng.choice(['dash', 'bare']))), '', '', '',
               rng.choice(['', '', '置き配希望'])]
        write_row(doc, row, sep='\t', eol='\n')


def gen_yahoo(rng, t, n, doc):
    head = ['OrderId', 'OrderTime', 'BillLastName', 'BillFirstName', 'BillLastNameKana',
            'BillFirstNameKana', 'BillZipCode', 'BillPrefecture', 'BillCity', 'BillAddress1',
            'BillAddress2', 'BillPhoneNumber', 'BillMailAddress', 'ShipLastName', 'ShipFirstName',
            'ShipLastNameKana', 'ShipFirstNameKana', 'ShipZipCode', 'ShipPrefecture', 'ShipCity',
            'ShipAddress1', 'ShipAddress2', 'ShipPhoneNumber', 'ItemId', 'Title', 'Quantity',
            'UnitPrice', 'TotalPrice', 'ShipInvoiceNumber1']
    write_row(doc, head, quote_all=True)

    def cols(p):
        return [name_seg(p.sei['kanji'], 'sei'), name_seg(p.mei['kanji'], 'mei'),
                name_seg(p.sei['kana'], 'sei-kana'), name_seg(p.mei['kana'], 'mei-kana'),
                [(p.postal_text('bare'), lab('postal_code', 'postal'))], pref_seg(p),
                addr_seg(p.place['city'], 'city'), addr_seg(p.street(), 'street'),
                addr_seg(p.building_only(), 'building'),
                phone_seg(p.phone_text(rng.choice(['bare', 'bare', 'dash'])))]

    for i in range(n):
        bill = Person(rng, t)
        ship = Person(rng, t) if rng.random() < 0.3 else bill
        _, _, when = date_of(rng)
        row = (['store-%08d' % (10000000 + i * 7 + rng.randrange(7)), when] + cols(bill) +
               [[(bill.email, lab('email', 'email'))]] + cols(ship)[:10] +
               ['item%04d' % rng.randrange(10000), rng.choice(PRODUCTS), str(rng.randrange(1, 4)),
                str(rng.randrange(5, 300) * 100), str(rng.randrange(10, 900) * 100),
                tracking(rng)])
        write_row(doc, row, quote_all=True)


def gen_store(rng, t, n, doc):
    head = ['注文ID', '注文日', 'お名前', 'フリガナ', '会社名', '郵便番号', '住所', '電話番号',
            'メールアドレス', 'お届け先お名前', 'お届け先フリガナ', 'お届け先郵便番号',
            'お届け先住所', 'お届け先電話番号', '商品名', '数量', '小計', '支払方法', '備考']
    write_row(doc, head)
    for i in range(n):
        buyer = Person(rng, t)
        dest = Person(rng, t) if rng.random() < 0.3 else buyer
        _, _, when = date_of(rng)

        def nm(p):
            v = p.name_value(('kanji', 'kanji', 'kanji', 'romaji'))
            if rng.random() < 0.15:
                v = v + [(' 様', None)]
            return v

        def kana(p):
            style = rng.choice(['kata', 'kata', 'hira'])
            return [(p.full_kana(style), lab('name', 'kana' if style == 'kata' else 'hira'))]

        def postal(p):
            v = [(p.postal_text(), lab('postal_code', 'postal'))]
            return [('〒', None)] + v if rng.random() < 0.3 else v

        def addr(p):
            # Some customers type the postal code into the address field as well.
            v = [(p.address_full(), lab('address', 'full'))]
            if rng.random() < 0.1:
                v = [('〒', None), (p.postal_text('dash'), lab('postal_code', 'postal')),
                     (' ', None)] + v
            return v

        def tel(p):
            v = phone_seg(p.phone_text())
            return [('TEL:', None)] + v if rng.random() < 0.05 else v

        company = rng.choice(COMPANIES) if rng.random() < 0.15 else ''
        note = ''
        if rng.random() < 0.15:
            note = [('配達前に', None), (dest.phone_text('dash'), lab('phone', 'text')),
                    ('へ電話ください', None)]
        row = ['%d' % (20000 + i), when[:10], nm(buyer), kana(buyer), company, postal(buyer),
               addr(buyer), tel(buyer), [(buyer.email, lab('email', 'email'))],
               nm(dest), kana(dest), postal(dest), addr(dest), tel(dest),
               rng.choice(PRODUCTS), str(rng.randrange(1, 4)), str(rng.randrange(10, 900) * 100),
               rng.choice(['クレジットカード', '代金引換', '銀行振込']), note]
        write_row(doc, row)


# The shop's own sender block on a shipping label: business data that may be reported or not.
SHOP = {'name': '株式会社みどり商店', 'kana': 'ｶﾌﾞｼｷｶﾞｲｼｬﾐﾄﾞﾘｼｮｳﾃﾝ', 'phone': '0263-12-3456',
        'postal': '390-0811', 'addr': '長野県松本市中央2-1-1', 'bldg': 'みどりビル3F'}


def shop_seg(key, type_):
    return [(SHOP[key], lab(type_, 'shop', optional=True))]


def gen_yamato(rng, t, n, doc):
    head = ['お客様管理番号', '送り状種類', 'クール区分', '伝票番号', '出荷予定日', 'お届け予定日',
            '配達時間帯', 'お届け先コード', 'お届け先電話番号', 'お届け先電話番号枝番',
            'お届け先郵便番号', 'お届け先住所', 'お届け先アパートマンション名',
            'お届け先会社・部門１', 'お届け先会社・部門２', 'お届け先名', 'お届け先名(ｶﾅ)', '敬称',
            'ご依頼主コード', 'ご依頼主電話番号', 'ご依頼主電話番号枝番', 'ご依頼主郵便番号',
            'ご依頼主住所', 'ご依頼主アパートマンション', 'ご依頼主名', 'ご依頼主名(ｶﾅ)',
            '品名コード１', '品名１', '荷扱い１', '記事']
    write_row(doc, head, quote_all=True)
    for i in range(n):
        p = Person(rng, t)
        m, d, _ = date_of(rng)
        company = rng.choice(COMPANIES) if rng.random() < 0.1 else ''
        row = ['A%07d' % (i + 1), rng.choice(['0', '0', '2', '5']), '0', tracking(rng),
               '2026/%02d/%02d' % (m, d), '2026/%02d/%02d' % (m, min(d + 1, 28)),
               rng.choice(['', '0812', '1416', '1921']), '',
               phone_seg(p.phone_text(rng.choice(['dash', 'dash', 'bare']))), '',
               [(p.postal_text(rng.choice(['dash', 'bare'])), lab('postal_code', 'postal'))],
               addr_seg(p.place['pref'] + p.place['city'] + p.street(), 'full'),
               addr_seg(p.building_only(), 'building'), company, '',
               [(p.full_kanji(rng.choice([' ', '\u3000'])), lab('name', 'kanji'))],
               [(p.full_kana('hw', ' '), lab('name', 'halfwidth'))], '様', '',
               shop_seg('phone', 'phone'), '', shop_seg('postal', 'postal_code'),
               shop_seg('addr', 'address'), shop_seg('bldg', 'address'), SHOP['name'],
               SHOP['kana'], '', rng.choice(PRODUCTS), rng.choice(['', 'ワレ物注意', '下積厳禁']),
               '']
        write_row(doc, row, quote_all=True)


def gen_sagawa(rng, t, n, doc):
    head = ['お届け先コード取得区分', 'お届け先コード', 'お届け先電話番号', 'お届け先郵便番号',
            'お届け先住所１', 'お届け先住所２', 'お届け先住所３', 'お届け先名称１',
            'お届け先名称２', 'お客様管理番号', 'お客様コード', '部署ご担当者名称',
            'ご依頼主電話番号', 'ご依頼主郵便番号', 'ご依頼主住所１', 'ご依頼主住所２',
            'ご依頼主名称１', '荷姿', '品名１', '出荷個数', '便種', '配達日', '配達指定時間帯',
            'お問い合せ送り状No.']
    write_row(doc, head)
    staff = [Person(rng, t) for _ in range(3)]
    for i in range(n):
        p = Person(rng, t)
        s = rng.choice(staff)
        m, d, _ = date_of(rng)
        if rng.random() < 0.1:
            person = [(p.full_kanji(' '), lab('name', 'kanji')), (' 様', None)]
            names = [plain(rng.choice(COMPANIES)), person]
        else:
            names = [[(p.full_kanji(), lab('name', 'kanji'))], '']
        row = ['0', '', phone_seg(p.phone_text(rng.choice(['dash', 'bare', 'paren']))),
               [(p.postal_text('dash'), lab('postal_code', 'postal'))],
               addr_seg(p.place['pref'] + p.place['city'], 'city'), addr_seg(p.street(), 'street'),
               addr_seg(p.building_only(), 'building')] + names + [
               'K%06d' % (i + 1), '123456789012', [(s.sei['kanji'], lab('name', 'staff'))],
               shop_seg('phone', 'phone'), shop_seg('postal', 'postal_code'),
               shop_seg('addr', 'address'), shop_seg('bldg', 'address'), SHOP['name'], '箱',
               rng.choice(PRODUCTS), '1', '飛脚宅配便', '2026%02d%02d' % (m, d),
               rng.choice(['', '01', '12', '16']), tracking(rng)]
        write_row(doc, row)


def gen_excel(rng, t, n, doc):
    head = ['No', '氏名', 'ふりがな', '生年月日', '郵便番号', '住所', '電話番号', '携帯電話',
            'メールアドレス', '会員ランク', '最終購入日', 'メモ']
    write_row(doc, head, sep='\t')
    for i in range(n):
        p = Person(rng, t)
        home = Person(rng, t)
        memo = ''
        r = rng.random()
        if r < 0.1:
            memo = [('夫 ', None), (home.mei['kanji'], lab('name', 'text')),
                    ('さん宛に届くことあり。\n連絡は ', None),
                    (p.phone_text('dash'), lab('phone', 'text')), (' へ', None)]
        elif r < 0.2:
            memo = plain('ギフト多め、のし「御中元」')
        row = [str(i + 1), [(p.full_kanji(rng.choice([' ', '\u3000'])), lab('name', 'kanji'))],
               [(p.full_kana('hira'), lab('name', 'hira'))],
               '%d/%d/%d' % (rng.randrange(1940, 2006), rng.randrange(1, 13), rng.randrange(1, 29)),
               [(p.postal_text(), lab('postal_code', 'postal'))],
               [(p.address_full(), lab('address', 'full'))],
               phone_seg(home.phone_text('dash') if not home.mobile else ''),
               phone_seg(p.phone_text('dash') if p.mobile else ''),
               [(p.email, lab('email', 'email'))], rng.choice(['ゴールド', 'シルバー', '一般']),
               '2026/%d/%d' % (rng.randrange(1, 13), rng.randrange(1, 29)), memo]
        write_row(doc, row, sep='\t')


# ---------------------------------------------------------------------------------------------
# Free text


def luhn_number(rng, prefix, length):
    digits = [int(c) for c in prefix] + [rng.randrange(10) for _ in range(length - len(prefix) - 1)]
    total = 0
    for i, dgt in enumerate(reversed(digits)):
        dgt = dgt * 2 if i % 2 == 0 else dgt
        total += dgt - 9 if dgt > 9 else dgt
    return ''.join(map(str, digits)) + str((10 - total % 10) % 10)


def my_number(rng):
    digits = [rng.randrange(10) for _ in range(11)]
    total = 0
    for n in range(1, 12):
        q = n + 1 if n <= 6 else n - 5
        total += digits[11 - n] * q
    r = total % 11
    check = 0 if r <= 1 else 11 - r
    return ''.join(map(str, digits)) + str(check)


def gen_inquiry(rng, t, n, doc):
    staff = [rng.choice(t.sei)['kanji'] for _ in range(4)]
    for _ in range(n):
        p = Person(rng, t)
        m, d, _ = date_of(rng)
        hh, mm = rng.randrange(9, 19), rng.randrange(60)
        st = rng.choice(staff)
        doc.add('----- %d月%d日 %02d:%02d 受付: ' % (m, d, hh, mm))
        doc.add(st, lab('name', 'staff'))
        doc.add(' -----\n')
        k = rng.randrange(12)
        full = p.full_kanji(rng.choice(['', '', ' ']))
        if k == 0:
            doc.add('%d月%d日 ' % (m, d))
            doc.add(full, lab('name', 'text'))
            doc.add('様より電話。%s。折り返し ' % rng.choice(ISSUES))
            doc.add(p.phone_text(), lab('phone', 'text'))
            doc.add(' へ。\n')
        elif k == 1:
            doc.add(p.sei['kanji'], lab('name', 'text-sei'))
            doc.add('様（')
            doc.add(p.full_kana('kata', ''), lab('name', 'text-kana'))
            doc.add('様）から問い合わせ。注文番号 %s、お届け先を' % order_no(rng, m * 100 + d))
            doc.add(p.address_full(), lab('address', 'text'))
            doc.add('に変更したいとのこと。\n')
        elif k == 2:
            doc.add('以下メール転送。\n> From: ')
            doc.add(p.roman(), lab('name', 'romaji'))
            doc.add(' <')
            doc.add(p.email, lab('email', 'text'))
            doc.add('>\n> いつもお世話になっております。')
            doc.add(full, lab('name', 'text'))
            doc.add('です。\n> %sについてご連絡いたしました。\n' % rng.choice(ISSUES))
        elif k == 3:
            doc.add(full, lab('name', 'text'))
            doc.add('さんの件、〒')
            doc.add(p.postal_text('dash'), lab('postal_code', 'text'))
            doc.add(' ')
            doc.add(p.address_full(True), lab('address', 'text'))
            doc.add(' 宛に再送済み。伝票 %s\n' % tracking(rng))
        elif k == 4:
            doc.add('お客様 ')
            doc.add(full, lab('name', 'text'))
            doc.add(' 様 TEL:')
            doc.add(p.phone_text('dash'), lab('phone', 'text'))
            doc.add(' メール ')
            doc.add(p.email, lab('email', 'text'))
            doc.add('\n')
        elif k == 5:
            # Issuer prefixes that exist: Visa 4, Mastercard 51-55, JCB 3528-3589.
            card = luhn_number(rng, rng.choice(['4', '5%d' % rng.randrange(1, 6),
                                                '35%d' % rng.randrange(28, 90)]), 16)
            if rng.random() < 0.5:
                card = ' '.join(card[i:i + 4] for i in range(0, 16, 4))
            doc.add('カード番号 ')
            doc.add(card, lab('credit_card', 'text'))
            doc.add(' で決済できないとのこと（')
            doc.add(p.sei['kanji'], lab('name', 'text-sei'))
            doc.add('様）。カード会社へ確認をお願いした。\n')
        elif k == 6:
            mn = my_number(rng)
            if rng.random() < 0.5:
                mn = ' '.join(mn[i:i + 4] for i in range(0, 12, 4))
            doc.add(full, lab('name', 'text'))
            doc.add('様より個人番号の提出。マイナンバー ')
            doc.add(mn, lab('my_number', 'text'))
            doc.add(' を受領、原本は返却済み。\n')
        elif k == 7:
            doc.add('%sの在庫確認。%sの倉庫より発送予定、%sから徒歩5分。%s様より入荷連絡あり。\n'
                    % (rng.choice(PRODUCTS), rng.choice(['松本市', '長野県松本市', '札幌市',
                                                        '京都市']),
                       rng.choice(STATIONS), rng.choice(COMPANIES)))
        elif k == 8:
            doc.add(p.full_kana('hira', ''), lab('name', 'text-hira'))
            doc.add('さん（お孫さんへのギフト）、電話 ')
            doc.add(p.phone_text('bare'), lab('phone', 'text'))
            doc.add('。北海道産じゃがいもを追加。\n')
        elif k == 9:
            doc.add('佐藤錦と山田錦の詰め合わせについて、')
            doc.add(p.sei['kanji'], lab('name', 'text-sei'))
            doc.add('さんから質問。%s月%s日発送予定と回答。\n' % (m, d))
        elif k == 10:
            doc.add('住所変更: ')
            doc.add(p.address_full(), lab('address', 'text'))
            doc.add('（')
            doc.add(full, lab('name', 'text'))
            doc.add('様）\n')
        else:
            doc.add('Tel from ')
            doc.add(p.roman(), lab('name', 'romaji'))
            doc.add(', call back at ')
            doc.add(p.phone_text(rng.choice(['intl', 'dash'])), lab('phone', 'text'))
            doc.add('. 京都府警 お墨付きの防犯ブザーについて。\n')
        doc.add('\n')


# ---------------------------------------------------------------------------------------------
# Negative files: no personal data at all


def jan(rng):
    digits = [4, 9] + [rng.randrange(10) for _ in range(10)]
    s = sum(dgt * (3 if i % 2 else 1) for i, dgt in enumerate(digits))
    return ''.join(map(str, digits)) + str((10 - s % 10) % 10)


def gen_catalog(rng, t, n, doc):
    write_row(doc, ['JANコード', '商品コード', '商品名', '産地', 'メーカー', '内容量', '価格',
                    '在庫数', '入荷日', '説明'])
    for i in range(n):
        prod = rng.choice(PRODUCTS)
        origin = rng.choice(ORIGINS)
        desc = rng.choice([
            '%s産。%sの契約農家から直送します。' % (
                origin, rng.choice(['長野県松本市', '山形県東根市', '北海道帯広市'])),
            '%sより徒歩3分の直営店でも販売中。' % rng.choice(STATIONS),
            '東京都公安委員会許可 第301号 古物商。',
            '%sが自信を持ってお届けします。' % rng.choice(COMPANIES),
            '受注番号 %s のお客様向け再入荷分。' % order_no(rng, rng.randrange(101, 1228)),
            '松本一本ねぎ・佐藤錦・山田錦など季節の品を取り揃えています。'])
        row = [jan(rng), 'P-%05d' % (i + 1), prod, origin, rng.choice(COMPANIES),
               rng.choice(['1個', '500g', '1kg', '720ml', '5kg']),
               '%d' % (rng.randrange(3, 500) * 10), str(rng.randrange(0, 999)),
               '2026/%02d/%02d' % (rng.randrange(1, 13), rng.randrange(1, 29)), desc]
        write_row(doc, row)


def gen_notice(rng, t, n, doc):
    for _ in range(n):
        m, d = rng.randrange(1, 13), rng.randrange(1, 29)
        doc.add(rng.choice([
            '%d月%d日より%sの販売を開始しました。%s前店にて試食会を行います。\n' % (
                m, d, rng.choice(PRODUCTS), rng.choice(STATIONS)[:-1]),
            '【お知らせ】%sの配送センター移転に伴い、%d月%d日の出荷はお休みです。\n' % (
                rng.choice(['松本市', '長野県松本市', '札幌市', '京都府京都市']), m, d),
            '%s・%s産の新物が入荷しました。価格 %d円（税込）。JAN %s\n' % (
                rng.choice(PRODUCTS), rng.choice(ORIGINS), rng.randrange(3, 500) * 10, jan(rng)),
            '%s様との共同企画「林業と森林を守る」フェアを%d月に開催します。\n' % (
                rng.choice(COMPANIES), m),
            '注文番号 %s 以降のご注文は%d月%d日に発送します。\n' % (order_no(rng, m * 100 + d), m, d),
            '京都府警 お墨付きの防犯グッズ、%sで好評販売中。\n' % rng.choice(STATIONS),
        ]))


# ---------------------------------------------------------------------------------------------

# Every kind but Excel's is written in its own two encodings first (the order of the list sets
# each file's number and seed), then in EUC-JP and both UTF-16s.
OTHER_ENCODINGS = ['euc-jp', 'utf-16le', 'utf-16be']
CP932_FIRST = ['cp932', 'utf-8'] + OTHER_ENCODINGS
UTF8_FIRST = ['utf-8', 'cp932'] + OTHER_ENCODINGS

KINDS = [
    # kind, category, generator, extension, encodings
    ('rakuten', 'structured', gen_rakuten, 'csv', CP932_FIRST),
    ('amazon', 'structured', gen_amazon, 'txt', UTF8_FIRST),
    ('yahoo', 'structured', gen_yahoo, 'csv', CP932_FIRST),
    ('store', 'structured', gen_store, 'csv', ['utf-8-bom', 'cp932'] + OTHER_ENCODINGS),
    ('yamato', 'structured', gen_yamato, 'csv', CP932_FIRST),
    ('sagawa', 'structured', gen_sagawa, 'csv', CP932_FIRST),
    ('excel', 'structured', gen_excel, 'txt', ['utf-16le', 'utf-16le']),
    ('inquiry', 'freetext', gen_inquiry, 'txt', UTF8_FIRST),
    ('catalog', 'negative', gen_catalog, 'csv', CP932_FIRST),
    ('notice', 'negative', gen_notice, 'txt', UTF8_FIRST),
]


def generate(outdir, seed, records):
    t = Tables()
    os.makedirs(os.path.join(outdir, 'files'), exist_ok=True)
    os.makedirs(os.path.join(outdir, 'labels'), exist_ok=True)
    manifest = []
    for kind, category, fn, ext, encs in KINDS:
        for idx, enc in enumerate(encs):
            rng = random.Random('%s/%s/%d/%d' % (seed, kind, idx, records))
            doc = Doc()
            fn(rng, t, records, doc)
            data, labels = encode_doc(doc, enc)
            name = '%s_%d_%s.%s' % (kind, idx + 1, enc, ext)
            with open(os.path.join(outdir, 'files', name), 'wb') as fp:
                fp.write(data)
            with open(os.path.join(outdir, 'labels', name + '.labels.jsonl'), 'w',
                      encoding='utf-8') as fp:
                for rec in labels:
                    fp.write(json.dumps(rec, ensure_ascii=False) + '\n')
            manifest.append({'file': name, 'category': category, 'kind': kind,
                             'encoding': ENCODINGS[enc][1], 'bom': bool(ENCODINGS[enc][2]),
                             'bytes': len(data), 'labels': len(labels)})
    with open(os.path.join(outdir, 'manifest.jsonl'), 'w', encoding='utf-8') as fp:
        for rec in manifest:
            fp.write(json.dumps(rec, ensure_ascii=False) + '\n')
    total = sum(m['bytes'] for m in manifest)
    nlab = sum(m['labels'] for m in manifest)
    print('gen_eval: %d files, %d bytes, %d labels in %s' % (len(manifest), total, nlab, outdir),
          file=sys.stderr)


def read_manifest(outdir):
    with open(os.path.join(outdir, 'manifest.jsonl'), encoding='utf-8') as fp:
        return [json.loads(line) for line in fp]


def codec_of(m):
    for codec, iconv_name, bom in ENCODINGS.values():
        if iconv_name == m['encoding'] and bool(bom) == m['bom']:
            return codec, iconv_name, bom
    raise ValueError(m['encoding'])


def check(outdir):
    """Proves the labels: each span decodes to its text, and spans fall on character bounds.

    The file is cut at every label boundary and each piece decoded on its own; the pieces join to
    the whole file's decoding only when no cut splits a character. iconv decodes the whole file
    too, and must agree with Python's codec, so the offsets hold for a reader built on iconv.
    """
    bad = 0
    nlab = 0
    for m in read_manifest(outdir):
        codec, iconv_name, bom = codec_of(m)
        path = os.path.join(outdir, 'files', m['file'])
        with open(path, 'rb') as fp:
            data = fp.read()
        if not data.startswith(bom):
            print('%s: byte-order mark missing' % m['file'])
            bad += 1
        body = data[len(bom):]
        whole = body.decode(codec)
        res = subprocess.run(['iconv', '-f', iconv_name, '-t', 'UTF-8'], input=body,
                             capture_output=True)
        if res.returncode != 0 or res.stdout.decode('utf-8') != whole:
            print('%s: iconv -f %s decodes it differently from Python' % (m['file'], iconv_name))
            bad += 1
        with open(os.path.join(outdir, 'labels', m['file'] + '.labels.jsonl'),
                  encoding='utf-8') as fp:
            labels = [json.loads(line) for line in fp]
        cuts = sorted({len(bom), len(data)} | {x['start'] for x in labels} |
                      {x['end'] for x in labels})
        try:
            joined = ''.join(data[a:b].decode(codec) for a, b in zip(cuts, cuts[1:]))
        except UnicodeDecodeError as e:
            joined = None
            print('%s: a label boundary splits a character (%s)' % (m['file'], e))
        if joined is not None and joined != whole:
            print('%s: a label boundary splits a character' % m['file'])
            bad += 1
        for x in labels:
            nlab += 1
            try:
                got = data[x['start']:x['end']].decode(codec)
            except UnicodeDecodeError:
                got = None
            if got != x['text']:
                bad += 1
                print('%s: label %s %d..%d decodes to %r, not %r' % (
                    m['file'], x['type'], x['start'], x['end'], got, x['text']))
    print('gen_eval --check: %d labels, %d problems' % (nlab, bad), file=sys.stderr)
    return 1 if bad else 0


def main():
    ap = argparse.ArgumentParser(description='Writes the labelled corpus of the accuracy '
                                 'benchmark into DIR/files, DIR/labels and DIR/manifest.jsonl.')
    ap.add_argument('-o', '--out', default='bench/accuracy', help='corpus directory')
    ap.add_argument('-s', '--seed', default='42', help='seed (any string)')
    ap.add_argument('-n', '--records', type=int, default=200, help='records per file')
    ap.add_argument('--check', action='store_true',
                    help='do not generate; verify the labels of the corpus in --out')
    a = ap.parse_args()
    if a.check:
        return check(a.out)
    generate(a.out, a.seed, a.records)
    return 0


if __name__ == '__main__':
    sys.exit(main())

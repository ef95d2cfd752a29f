#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# trie_keys.sh - the keys of the compiled dictionary matcher, one per line, at every build.
#
# Usage: trie_keys.sh DICTDIR | trie_gen > dict_trie.c
#
# Prints "key <TAB> kinds <TAB> tier <TAB> reading" for every person name (person_naist.tsv,
# person_unidic.tsv: the written form, its katakana reading and Hepburn romanisations of the
# reading), prefecture, municipality (with its county 郡 alone and the town or village after
# it), town name (町域, residential lines of postal_all.tsv), and the hand-written context
# words of name_context.tsv and address_context.tsv. trie_gen merges repeated keys.
#
# Keys are folded the way the matcher folds text: hiragana -> katakana, ASCII upper -> lower,
# full-width ASCII -> ASCII. kinds is a bit set: keep the numbers in step with PII_LEX_* in
# libpiiscan/src/internal.h (tests/unit/test_trie.c checks every source entry). tier is the
# JUMAN frequency tier of a name: 3 = among the 100 commonest, 2 = the 1,000 commonest,
# 1 = ranked, 0 = unranked or not a name. reading is the katakana reading of a written name,
# empty for other keys (a reading or a romanisation is its own reading). POSIX sh and awk only ($AWK if set).

set -eu

# shellcheck source=dict/tables.sh
. "$(dirname "$0")/tables.sh"
dict_args "DICTDIR" "$@"
dict_require "$dir" person_naist.tsv person_unidic.tsv name_rank_juman.tsv prefecture.tsv \
    municipality.tsv postal_all.tsv name_context.tsv address_context.tsv

# shellcheck disable=SC2016 # the awk program is meant to be quoted
${AWK:-awk} -v prog="$0" "$DICT_AWK_FAIL"'
function utf8(cp) {
    if (cp < 128)
        return sprintf("%c", cp)
    if (cp < 2048)
        return sprintf("%c%c", 192 + int(cp / 64), 128 + cp % 64)
    return sprintf("%c%c%c", 224 + int(cp / 4096), 128 + int(cp / 64) % 64, 128 + cp % 64)
}

# Splits s into UTF-8 characters: ch[1..n]; returns n.
function chars(s, ch,    n, i, c, len) {
    n = 0
    i = 1
    len = length(s)
    while (i <= len) {
        c = substr(s, i, 1)
        if (c < "\300")
            ch[++n] = c
        else if (c < "\340")
            ch[++n] = substr(s, i, 2)
        else if (c < "\360")
            ch[++n] = substr(s, i, 3)
        else
            ch[++n] = substr(s, i, 4)
        i += length(ch[n])
    }
    return n
}

# The matcher folds hiragana to katakana, ASCII and full-width ASCII to lower-case ASCII.
function fold(s,    ch, n, i, out, c) {
    if (s !~ /[\200-\377A-Z]/)
        return s
    n = chars(s, ch)
    out = ""
    for (i = 1; i <= n; i++) {
        c = ch[i]
        if (c in folded)
            c = folded[c]
        out = out c
    }
    return out
}

# Hepburn romanisation of a katakana reading; sets rv[1..k] to its spellings and returns k:
# as written (サトウ satou, オオノ oono), long vowels shortened (sato, ono), long vowels as
# "oh" (satoh, ohno), each also with m for n before b, m, p (namba). Spellings that are not
# all ASCII letters (a reading with a character the table lacks) are dropped.
function romaji(r, rv,    ch, n, i, s, c, two, syl, k, v, base, t) {
    n = chars(r, ch)
    s = ""
    sokuon = 0
    for (i = 1; i <= n; i++) {
        c = ch[i]
        two = (i < n) ? c ch[i + 1] : ""
        if (two in roma) {
            syl = roma[two]
            i++
        } else if (c in roma) {
            syl = roma[c]
        } else if (c == "ッ") {
            sokuon = 1
            continue
        } else if (c == "ー") {
            continue
        } else {
            return 0
        }
        if (sokuon) {
            syl = (substr(syl, 1, 2) == "ch" ? "t" : substr(syl, 1, 1)) syl
            sokuon = 0
        }
        s = s syl
    }
    if (s == "" || s !~ /^[a-z]+$/)
        return 0
    k = 0
    base[1] = s
    t = s
    gsub(/ou/, "o", t)
    gsub(/oo/, "o", t)
    gsub(/uu/, "u", t)
    base[2] = t
    t = s
    gsub(/ou/, "oh", t)
    gsub(/oo/, "oh", t)
    base[3] = t
    for (v = 1; v <= 3; v++) {
        if (!((base[v]) in seen_r)) {
            seen_r[base[v]] = 1
            rv[++k] = base[v]
        }
        t = base[v]
        if (gsub(/n[bmp]/, "m&", t) > 0) {
            gsub(/mn/, "m", t)
            if (!(t in seen_r)) {
                seen_r[t] = 1
                rv[++k] = t
            }
        }
    }
    for (t in seen_r)
        delete seen_r[t]
    return k
}

function emit(key, kinds, tier, reading) {
    key = fold(key)
    if (key == "")
        return
    printf "%s\t%d\t%d\t%s\n", key, kinds, tier, reading
}

function tier_of(rank) {
    if (rank == "")
        return 0
    return rank <= 100 ? 3 : rank <= 1000 ? 2 : 1
}

BEGIN {
    FS = "\t"
    SURNAME = 1; GIVEN = 2; PREFECTURE = 4; MUNICIPALITY = 8; TOWN = 16; HONORIFIC = 32
    NOT_NAME_AFTER = 64; NOT_NAME_BEFORE = 128; NOT_NAME = 256; NOT_ADDRESS_AFTER = 512
    BUILDING = 1024; COUNTY = 2048; READING = 4096
    context["honorific"] = HONORIFIC
    context["not_name_after"] = NOT_NAME_AFTER
    context["not_name_before"] = NOT_NAME_BEFORE
    context["not_name"] = NOT_NAME
    context["not_address_after"] = NOT_ADDRESS_AFTER
    context["building"] = BUILDING

    # Hiragana U+3041..U+3096 -> katakana (+0x60); full-width ASCII U+FF01..U+FF5E -> ASCII.
    for (cp = 12353; cp <= 12438; cp++)
        folded[utf8(cp)] = utf8(cp + 96)
    for (cp = 65281; cp <= 65374; cp++)
        folded[utf8(cp)] = tolower(utf8(cp - 65248))
    for (cp = 65; cp <= 90; cp++)
        folded[utf8(cp)] = utf8(cp + 32)

    split("ア a イ i ウ u エ e オ o カ ka キ ki ク ku ケ ke コ ko ガ ga ギ gi グ gu ゲ ge ゴ go " \
          "サ sa シ shi ス su セ se ソ so ザ za ジ ji ズ zu ゼ ze ゾ zo タ ta チ chi ツ tsu " \
          "テ te ト to ダ da ヂ ji ヅ zu デ de ド do ナ na ニ ni ヌ nu ネ ne ノ no ハ ha ヒ hi " \
          "フ fu ヘ he ホ ho バ ba ビ bi ブ bu ベ be ボ bo パ pa ピ pi プ pu ペ pe ポ po " \
          "マ ma ミ mi ム mu メ me モ mo ヤ ya ユ yu ヨ yo ラ ra リ ri ル ru レ re ロ ro " \
          "ワ wa ヰ i ヱ e ヲ o ン n ヴ vu ァ a ィ i ゥ u ェ e ォ o ャ ya ュ yu ョ yo " \
          "キャ kya キュ kyu キョ kyo ギャ gya ギュ gyu ギョ gyo シャ sha シュ shu ショ sho " \
          "ジャ ja ジュ ju ジョ jo チャ cha チュ chu チョ cho ヂャ ja ヂュ ju ヂョ jo " \
          "ニャ nya ニュ nyu ニョ nyo ヒャ hya ヒュ hyu ヒョ hyo ビャ bya ビュ byu ビョ byo " \
          "ピャ pya ピュ pyu ピョ pyo ミャ mya ミュ myu ミョ myo リャ rya リュ ryu リョ ryo " \
          "シェ she ジェ je チェ che ティ ti ディ di デュ dyu ファ fa フィ fi フェ fe フォ fo " \
          "ウィ wi ウェ we ウォ wo", kv, " ")
    for (i = 1; i in kv; i += 2)
        roma[kv[i]] = kv[i + 1]
}

FILENAME ~ /name_rank_juman\.tsv$/ {
    if (NF != 5 || ($1 != "sei" && $1 != "mei") || $4 !~ /^[0-9]+$/)
        fail("expected sei|mei <TAB> surface <TAB> reading <TAB> rank <TAB> frequency")
    k = $1 SUBSEP fold($2)
    if (!(k in rank) || $4 + 0 < rank[k])
        rank[k] = $4 + 0
    k = $1 SUBSEP fold($3)
    if (!(k in rank) || $4 + 0 < rank[k])
        rank[k] = $4 + 0
    next
}

FILENAME ~ /person_(naist|unidic)\.tsv$/ {
    if (NF != 4 || ($1 != "sei" && $1 != "mei") || $2 == "")
        fail("expected sei|mei <TAB> surface <TAB> katakana reading <TAB> cost")
    kind = $1 == "sei" ? SURNAME : GIVEN
    surface = fold($2)
    reading = fold($3)
    if (reading == "*")
        reading = ""
    t = tier_of(rank[$1 SUBSEP surface])
    rt = tier_of(rank[$1 SUBSEP reading])
    emit(surface, kind, t, reading)
    if (reading != "" && reading != surface) {
        emit(reading, kind + READING, rt, "")
        k = romaji(reading, rv)
        for (i = 1; i <= k; i++)
            emit(rv[i], kind + READING, rt, "")
    }
    next
}

FILENAME ~ /prefecture\.tsv$/ {
    if (NF != 3 || $2 == "")
        fail("expected code <TAB> name <TAB> kana")
    emit($2, PREFECTURE, 0, "")
    next
}

# 政令市の区 come as 札幌市中央区: the city alone is a municipality too. Counties come as
# 石狩郡当別町: an address may give the county or leave it out.
FILENAME ~ /municipality\.tsv$/ {
    if (NF != 4 || $3 == "")
        fail("expected code <TAB> prefecture <TAB> name <TAB> kana")
    emit($3, MUNICIPALITY, 0, "")
    if ($3 ~ /郡./) {
        p = index($3, "郡")
        emit(substr($3, 1, p + 2), COUNTY, 0, "")
        emit(substr($3, p + 3), MUNICIPALITY, 0, "")
    }
    if ($3 ~ /市.+区$/) {
        p = index($3, "市")
        emit(substr($3, 1, p + 2), MUNICIPALITY, 0, "")
        emit(substr($3, p + 3), MUNICIPALITY, 0, "")
    }
    next
}

# Residential lines only (business lines name an office, column 6). Parenthesised notes
# (（１〜３丁目）, （高層棟）) and the placeholder rows are not town names.
FILENAME ~ /postal_all\.tsv$/ {
    if ($6 != "")
        next
    town = $4
    p = index(town, "（")
    if (p > 0)
        town = substr(town, 1, p - 1)
    if (town == "" || town ~ /場合|一円$|以下に掲載/)
        next
    town = fold(town)
    if (town ~ /[0-9a-z]/ || length(town) < 6)
        next
    emit(town, TOWN, 0, "")
    next
}

/^#/ || /^$/ {
    next
}

FILENAME ~ /(name|address)_context\.tsv$/ {
    if (NF != 2 || !($1 in context))
        fail("expected kind <TAB> word, kind one of honorific, not_name_after, " \
             "not_name_before, not_name, not_address_after, building")
    emit(fold($2), context[$1], 0, "")
    next
}

END {
    if (failed)
        exit 1
}
' "$dir/name_rank_juman.tsv" "$dir/person_naist.tsv" "$dir/person_unidic.tsv" \
    "$dir/prefecture.tsv" "$dir/municipality.tsv" "$dir/postal_all.tsv" \
    "$dir/name_context.tsv" "$dir/address_context.tsv"

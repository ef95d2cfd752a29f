#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# compile.sh - turn the text tables of dict/ into C, at every build.
#
# Usage: compile.sh DICTDIR > dict_data.c
#
# Emits the objects declared in the "dict_data.c" section of libpiiscan/src/internal.h:
# postal codes (from postal_all.tsv), area codes (areacode.tsv), column-header terms
# (column_header.tsv), context keywords (keyword.tsv) and prefecture names (prefecture.tsv).
# Fails, with the file and line on stderr, on a malformed line, an unknown meaning or match
# word, a duplicate, or a table out of order. POSIX sh and awk only ($AWK if set).

set -eu

# shellcheck source=dict/tables.sh
. "$(dirname "$0")/tables.sh"
dict_args "DICTDIR > dict_data.c" "$@"
dict_require "$dir" postal_all.tsv areacode.tsv column_header.tsv keyword.tsv prefecture.tsv

# shellcheck disable=SC2016 # the awk program is meant to be quoted
${AWK:-awk} -v prog="$0" "$DICT_AWK_FAIL"'
# A C string literal. UTF-8 bytes may stand as they are in C11 source; "?" is escaped so that
# no trigraph can form under -std=c11.
function cstring(s) {
    gsub(/\\/, "\\\\", s)
    gsub(/"/, "\\\"", s)
    gsub(/\?/, "\\?", s)
    return "\"" s "\""
}

# A term in canonical form: what pii_canonical_label leaves of it is the term itself.
function check_canonical(t) {
    if (t == "")
        fail("empty term")
    if (length(t) > 255)
        fail("term longer than 255 bytes")
    if (t ~ /[A-Z]/)
        fail("term \"" t "\" has upper-case ASCII")
    if (t ~ "[][ _.:()*/-]" || t ~ /[\001-\037\177]/)
        fail("term \"" t "\" has a space, control or label punctuation")
    if (index(t, "\343\203\273") || index(t, "\343\200\220") || index(t, "\343\200\221") ||
        index(t, "\343\200\214") || index(t, "\343\200\215") || index(t, "\342\200\273") ||
        index(t, "\343\200\200"))
        fail("term \"" t "\" has label punctuation (・ 【 】 「 」 ※ or an ideographic space)")
    if (t ~ /\357\274[\201-\277]/ || t ~ /\357\275[\200-\236]/)
        fail("term \"" t "\" has full-width ASCII")
    if (t ~ /\357\275[\241-\277]/ || t ~ /\357\276[\200-\237]/)
        fail("term \"" t "\" has half-width katakana")
}

function is_one_char(t) {
    return length(t) == 1 || t ~ /^[\300-\367][\200-\277]*$/
}

# Insertion sort of keys[1..n] by byte order; the tables are a few hundred lines.
function sort_keys(n,    i, j, k) {
    for (i = 2; i <= n; i++) {
        k = keys[i]
        for (j = i - 1; j >= 1 && (keys[j] "") > (k ""); j--)
            keys[j + 1] = keys[j]
        keys[j + 1] = k
    }
}

function emit_terms(name, n, tmeaning, tmatch,    i, t) {
    printf "\nconst struct pii_term %s[] = {\n", name
    for (i = 1; i <= n; i++) {
        t = keys[i]
        printf "    {%s, %d, PII_COL_%s, PII_MATCH_%s},\n", cstring(t), length(t),
            toupper(tmeaning[t]), toupper(tmatch[t])
    }
    printf "};\nconst size_t %s_count = %d;\n", name, n
}

BEGIN {
    FS = "\t"
    split("not_pii name name_kana address prefecture city street building phone " \
          "postal_code email my_number credit_card", m, " ")
    for (i in m)
        meanings[m[i]] = 1
    matches["exact"] = matches["contains"] = matches["suffix"] = 1
    last_postal = -1
}

FILENAME ~ /postal_all\.tsv$/ {
    if ($1 !~ /^[0-9][0-9][0-9][0-9][0-9][0-9][0-9]$/)
        fail("first column is not a 7-digit postal code")
    code = $1 + 0
    if (code < last_postal)
        fail("postal codes out of order (the file is sorted by LC_ALL=C sort)")
    if (code != last_postal)
        postal[++npostal] = code
    last_postal = code
    next
}

FILENAME ~ /areacode\.tsv$/ {
    if (NF != 2 || $1 !~ /^0[1-9][0-9]?[0-9]?[0-9]?$/ || $2 + 0 != 10 - length($1))
        fail("expected area code <TAB> 10 minus its length")
    if (narea > 0 && !(area[narea] "" < $1 ""))
        fail("area codes out of order or repeated")
    area[++narea] = $1
    next
}

FILENAME ~ /prefecture\.tsv$/ {
    if (NF != 3 || $1 + 0 != npref + 1 || $1 !~ /^[0-9][0-9]$/ || $2 == "")
        fail("expected JIS code 01..47 in order <TAB> name <TAB> kana")
    pref[++npref] = $2
    next
}

/^#/ || /^$/ {
    next
}

FILENAME ~ /column_header\.tsv$/ {
    if (NF != 3)
        fail("expected meaning <TAB> term <TAB> match")
    if (!($1 in meanings))
        fail("unknown meaning \"" $1 "\"")
    if (!($3 in matches))
        fail("unknown match \"" $3 "\" (exact, contains or suffix)")
    check_canonical($2)
    if ($2 ~ /[0-9]$/)
        fail("term \"" $2 "\" ends in a digit, which the look-up drops from headers")
    if ($3 == "contains" && is_one_char($2))
        fail("single-character term \"" $2 "\" must be exact or suffix")
    if ($2 in col_meaning)
        fail("duplicate term \"" $2 "\" (first at line " col_line[$2] ")")
    col_meaning[$2] = $1
    col_match[$2] = $3
    col_line[$2] = FNR
    ncol++
    next
}

FILENAME ~ /keyword\.tsv$/ {
    if (NF != 2)
        fail("expected meaning <TAB> keyword")
    if (!($1 in meanings))
        fail("unknown meaning \"" $1 "\"")
    check_canonical($2)
    if (length($2) < 3)
        fail("keyword \"" $2 "\" is shorter than 3 bytes, which pii_keyword_mask assumes")
    if ($2 in kw_meaning)
        fail("duplicate keyword \"" $2 "\" (first at line " kw_line[$2] ")")
    kw_meaning[$2] = $1
    kw_match[$2] = "contains"
    kw_line[$2] = FNR
    nkw++
    next
}

END {
    if (failed)
        exit 1
    if (npref != 47) {
        printf "%s: prefecture.tsv: %d prefectures, expected 47\n", prog, npref > "/dev/stderr"
        exit 1
    }
    if (npostal == 0 || narea == 0 || ncol == 0 || nkw == 0) {
        printf "%s: an input table is empty\n", prog > "/dev/stderr"
        exit 1
    }

    print "/* Generated by dict/compile.sh from dict/postal_all.tsv, dict/areacode.tsv,"
    print " * dict/column_header.tsv, dict/keyword.tsv and dict/prefecture.tsv. Do not edit:"
    print " * change the tables and rebuild. Sources and licences: dict/SOURCES.md, dict/NOTICE. */"
    print "#include \"internal.h\""
    print ""
    print "/* Laid out by the generator; tests/check_format.sh sees it in in-tree builds. */"
    print "/* clang-format off */"

    printf "\nconst uint32_t pii_postal_codes[] = {\n"
    for (i = 1; i <= npostal; i++)
        printf "%s%d,%s", (i % 10 == 1 ? "    " : " "), postal[i], (i % 10 == 0 ? "\n" : "")
    if (npostal % 10 != 0)
        printf "\n"
    printf "};\nconst size_t pii_postal_codes_count = %d;\n", npostal

    printf "\nconst struct pii_area_code pii_area_codes[] = {\n"
    for (i = 1; i <= narea; i++)
        printf "    {\"%s\", %d},\n", area[i], 10 - length(area[i])
    printf "};\nconst size_t pii_area_codes_count = %d;\n", narea

    n = 0
    for (t in col_meaning)
        keys[++n] = t
    sort_keys(n)
    emit_terms("pii_column_terms", n, col_meaning, col_match)

    n = 0
    for (t in kw_meaning)
        keys[++n] = t
    sort_keys(n)
    emit_terms("pii_keywords", n, kw_meaning, kw_match)

    printf "\nconst char *const pii_prefectures[] = {\n"
    for (i = 1; i <= npref; i++)
        printf "    %s,\n", cstring(pref[i])
    printf "};\nconst size_t pii_prefectures_count = %d;\n", npref
    print "/* clang-format on */"
}
' "$dir/postal_all.tsv" "$dir/areacode.tsv" "$dir/prefecture.tsv" "$dir/column_header.tsv" \
    "$dir/keyword.tsv"

#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# check_xlsx_libreoffice.sh - a redacted workbook as a real spreadsheet application reads it.
# A workbook is made here (libxlsxwriter, through tests/cli/make_xlsx: shared and rich-text
# strings, a number that lost its leading 0, a formula, a merged range, a comment, a hidden
# sheet), redacted with `piiscan redact -o`, and both are converted to text by LibreOffice
# (`soffice --headless --convert-to csv`, every sheet, tab-separated). Then, sheet by sheet,
# every cell where `piiscan scan` reports personal data must differ from the original and
# every other cell must read exactly as the original's, and both must have the same rows.
# Exits 77 (skipped) only when soffice is not installed (Debian: libreoffice-calc-nogui).
# Needs PIISCAN_BIN and PIISCAN_BUILDDIR, as make check sets them.

: "${PIISCAN_BIN:?PIISCAN_BIN is not set: run through make check}"
: "${PIISCAN_BUILDDIR:?PIISCAN_BUILDDIR is not set: run through make check}"
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
LC_ALL=C.UTF-8
export LC_ALL

if ! command -v soffice >/dev/null 2>&1; then
    echo "SKIP: soffice is not installed (Debian package libreoffice-calc-nogui)"
    exit 77
fi

make_work lo
cd "$work" || exit 99

tab=$(printf '\t')
cat >book.tsv <<EOF
author${tab}hanako.sato@example.co.jp
sheet${tab}顧客
string${tab}A1${tab}2026年11月 顧客一覧
merge${tab}A2:D2${tab}備考: 月末締め、返品は7日以内
string${tab}A3${tab}氏名
string${tab}B3${tab}電話番号
string${tab}C3${tab}メールアドレス
string${tab}D3${tab}数量
string${tab}E3${tab}商品名
string${tab}A4${tab}山田 太郎
string${tab}B4${tab}090-1234-5678
string${tab}C4${tab}yamada@example.jp
number${tab}D4${tab}3
string${tab}E4${tab}ボールペン 黒
string${tab}A5${tab}佐藤 花子
number${tab}B5${tab}9012345678
rich${tab}C5${tab}sato|.hanako|@example.com
number${tab}D5${tab}12
string${tab}E5${tab}ノート A5
formula${tab}D6${tab}=SUM(D4:D5)
string${tab}E6${tab}合計
comment${tab}A5${tab}折り返し 03-3456-7890 まで
hidden${tab}控え
string${tab}A1${tab}連絡先 080-2345-6789
string${tab}A2${tab}在庫表 2026
number${tab}B2${tab}42
EOF
"$PIISCAN_BUILDDIR/tests/cli/make_xlsx" book.tsv book.xlsx || exit 99

# The places with personal data, as "SHEET<TAB>CELL" lines (cells of a sheet only: comments
# and document properties are not in a CSV).
status=0
"$PIISCAN_BIN" scan --format jsonl book.xlsx >findings.jsonl || status=$?
if [ "$status" != 1 ]; then
    echo "FAIL: the fixture should have findings (scan exited $status)"
    exit 1
fi
sed -n 's/.*"sheet":"\([^"]*\)","cell":"\([A-Z][A-Z]*[0-9][0-9]*\)".*/\1\t\2/p' findings.jsonl |
    sort -u >places.tsv
echo "places to redact: $(wc -l <places.tsv | tr -d ' ')"

mkdir out csv || exit 99
status=0
"$PIISCAN_BIN" redact -o out book.xlsx >redact.out 2>&1 || status=$?
if [ "$status" != 1 ]; then
    echo "FAIL: redact exited $status:"
    cat redact.out
    exit 1
fi
cp out/book.xlsx red.xlsx || exit 99

# Both workbooks in one run of soffice, each sheet to NAME-SHEET.csv: tab-separated (9), text
# in quotes only when needed (34), UTF-8 (76), formulas as their values, every sheet (-1).
filter='csv:Text - txt - csv (StarCalc):9,34,76,1,,0,false,true,false,false,false,-1'
started=$(date +%s)
if ! timeout 300 soffice --headless --norestore "-env:UserInstallation=file://$work/profile" \
    --convert-to "$filter" --outdir csv book.xlsx red.xlsx >soffice.out 2>&1; then
    echo "FAIL: soffice could not convert the workbooks:"
    cat soffice.out
    exit 1
fi
echo "soffice converted both workbooks in $(($(date +%s) - started)) s"

failed=0
sheets=0
for original in csv/book-*.csv; do
    [ -e "$original" ] || break
    sheet=${original#csv/book-}
    sheet=${sheet%.csv}
    redacted=csv/red-$sheet.csv
    sheets=$((sheets + 1))
    if [ ! -f "$redacted" ]; then
        echo "FAIL: sheet $sheet is missing from the redacted workbook"
        failed=1
        continue
    fi
    # Cell by cell: A1 references of the places, then both CSVs as rows of tab-separated
    # fields (the fixture has no tab, quote or line break in a cell).
    if ! awk -F '\t' -v sheet="$sheet" '
        function column(ref,   i, c, n) {
            n = 0
            for (i = 1; i <= length(ref); i++) {
                c = substr(ref, i, 1)
                if (c !~ /[A-Z]/)
                    break
                n = n * 26 + index("ABCDEFGHIJKLMNOPQRSTUVWXYZ", c)
            }
            return n
        }
        function name(r, c,   s) {
            s = ""
            for (; c > 0; c = int((c - 1) / 26))
                s = substr("ABCDEFGHIJKLMNOPQRSTUVWXYZ", (c - 1) % 26 + 1, 1) s
            return s r
        }
        FILENAME == ARGV[1] {
            if ($1 == sheet) {
                ref = $2
                sub(/^[A-Z]+/, "", ref)
                redact[ref + 0, column($2)] = 1
                expected++
            }
            next
        }
        FILENAME == ARGV[2] { rows_a = FNR; for (c = 1; c <= NF; c++) a[FNR, c] = $c; if (NF > w) w = NF; next }
        { rows_b = FNR; for (c = 1; c <= NF; c++) b[FNR, c] = $c; if (NF > w) w = NF }
        END {
            bad = 0
            if (rows_a != rows_b) {
                printf "FAIL: %s: %d rows in the original, %d redacted\n", sheet, rows_a, rows_b
                bad = 1
            }
            for (r = 1; r <= rows_a; r++) {
                for (c = 1; c <= w; c++) {
                    if ((r, c) in redact) {
                        seen++
                        if (a[r, c] == "" || a[r, c] == b[r, c]) {
                            printf "FAIL: %s!%s should be redacted: \"%s\" -> \"%s\"\n", sheet, name(r, c), a[r, c], b[r, c]
                            bad = 1
                        }
                    } else if (a[r, c] != b[r, c]) {
                        printf "FAIL: %s!%s changed: \"%s\" -> \"%s\"\n", sheet, name(r, c), a[r, c], b[r, c]
                        bad = 1
                    } else if (a[r, c] != "") {
                        kept++
                    }
                }
            }
            if (seen != expected) {
                printf "FAIL: %s: %d places to redact, %d seen in the CSV\n", sheet, expected, seen
                bad = 1
            }
            printf "%s: %d cells redacted, %d cells as they were\n", sheet, seen, kept
            exit bad
        }' places.tsv "$original" "$redacted"; then
        failed=1
    fi
done
if [ "$sheets" -lt 2 ]; then
    echo "FAIL: soffice wrote $sheets sheets, the fixture has 2:"
    ls csv
    cat soffice.out
    exit 1
fi
if [ "$failed" != 0 ]; then
    exit 1
fi
echo "PASS: LibreOffice reads every cell of the redacted workbook as expected"

#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# The cost and the gain of `scan --state`: `make bench-state` runs it from the top build
# directory. Three measures, each the best of BENCH_RUNS runs, page cache warm, in wall
# seconds and in CPU seconds (user + system; a machine busy with other work inflates only
# the wall time):
#   1. a tree of BENCH_FILES small CSV files of BENCH_ROWS rows (1 in 10 holding phone numbers
#      and names):
#      a sweep without state, the first sweep with a new state file, and a second sweep over
#      the unchanged tree;
#   2. one large file (BENCH_BIG_MB): a plain scan, a first sweep with state (the scan and the
#      content digest), and a sweep after `touch` (the digest only: same bytes, new times);
#   3. BLAKE2b alone, as b2sum reads the same file, for the digest's share.
# Environment: PIISCAN (./cli/piiscan), RUNSTAT (./bench/runstat), BENCH_DIR (./bench/out),
# BENCH_FILES (10000), BENCH_ROWS (20: about 1 KB a file), BENCH_BIG_MB (200),
# BENCH_RUNS (3). MB means MiB.

set -u
PIISCAN=${PIISCAN:-./cli/piiscan}
RUNSTAT=${RUNSTAT:-./bench/runstat}
BENCH_DIR=${BENCH_DIR:-./bench/out}
BENCH_FILES=${BENCH_FILES:-10000}
BENCH_ROWS=${BENCH_ROWS:-20}
BENCH_BIG_MB=${BENCH_BIG_MB:-200}
BENCH_RUNS=${BENCH_RUNS:-3}

die() {
    echo "bench-state: $*" >&2
    exit 2
}
[ -x "$PIISCAN" ] || die "no $PIISCAN (run from the top build directory)"
[ -x "$RUNSTAT" ] || die "no $RUNSTAT (make bench/runstat)"
mkdir -p "$BENCH_DIR" || die "cannot make $BENCH_DIR"

tree=$BENCH_DIR/state_tree_${BENCH_FILES}x$BENCH_ROWS
if [ ! -d "$tree" ]; then
    echo "making $BENCH_FILES files in $tree ..." >&2
    awk -v n="$BENCH_FILES" -v rows="$BENCH_ROWS" -v dir="$tree" 'BEGIN {
        for (i = 0; i < n; i++) {
            d = sprintf("%s/d%03d", dir, i % 100)
            if (i < 100)
                system("mkdir -p " d)
            f = sprintf("%s/export_%05d.csv", d, i)
            print "注文番号,商品名,数量,金額,メモ" > f
            for (r = 0; r < rows; r++) {
                if (i % 10 == 0 && r % 5 == 0)
                    printf "A-%05d-%02d,山田 太郎,090-%04d-%04d,1,平日のみ\n", i, r, 1000 + i % 9000, 2000 + r > f
                else
                    printf "A-%05d-%02d,クリアファイル A4,%d,%d,\n", i, r, r + 1, 100 * (r + 1) > f
            }
            close(f)
        }
    }' || die "cannot make the tree"
fi
big=$BENCH_DIR/state_big_${BENCH_BIG_MB}mb.csv
if [ ! -f "$big" ]; then
    echo "making $big ..." >&2
    awk -v mb="$BENCH_BIG_MB" 'BEGIN {
        print "注文番号,氏名,電話番号,メモ"
        for (i = 0; bytes < mb * 1048576; i++) {
            line = sprintf("A-%08d,クリアファイル A4,%d,平日のみ配達のお願い", i, i % 9 + 1)
            print line
            bytes += length(line) + 1
        }
    }' >"$big" || die "cannot make $big"
fi
# Files younger than two seconds are read again at the next sweep (cli/state.h): wait that
# out, so the second sweep measures the steady state of a nightly run.
sleep 3

# min A B: the smaller number
min() { awk -v a="$1" -v b="$2" 'BEGIN { print (b == "" || a + 0 < b + 0) ? a : b }'; }

# best CMD...: "WALL CPU", the best of BENCH_RUNS runs of each, in seconds
best() {
    w=
    c=
    i=0
    while [ "$i" -lt "$BENCH_RUNS" ]; do
        out=$("$RUNSTAT" -- "$@" 2>/dev/null)
        s=$(printf '%s\n' "$out" | sed -n 's/^seconds=\([0-9.]*\).*/\1/p')
        u=$(printf '%s\n' "$out" | sed -n 's/.* cpu=\([0-9.]*\).*/\1/p')
        [ -n "$s" ] && [ -n "$u" ] || die "could not time: $*"
        w=$(min "$s" "$w")
        c=$(min "$u" "$c")
        i=$((i + 1))
    done
    echo "$w $c"
}

db=$BENCH_DIR/state_bench.db
cat "$tree"/*/* "$big" >/dev/null # warm the page cache

# The first sweep of each run makes a new state file; the touched file gets new times.
first_sweep='rm -f "$1" "$1-wal" "$1-shm" && exec "$2" scan -q --state "$1" "$3"'
touched_sweep='touch "$1" && exec "$2" scan -q --state "$3" "$1"'

plain=$(best "$PIISCAN" scan -q "$tree")
first=$(best sh -c "$first_sweep" sh "$db" "$PIISCAN" "$tree")
second=$(best "$PIISCAN" scan -q --state "$db" "$tree")

big_plain=$(best "$PIISCAN" scan -q "$big")
big_first=$(best sh -c "$first_sweep" sh "$db" "$PIISCAN" "$big")
big_touched=$(best sh -c "$touched_sweep" sh "$big" "$PIISCAN" "$db")
b2=
if command -v b2sum >/dev/null 2>&1; then
    b2=$(best b2sum -l 256 "$big")
fi
rm -f "$db" "$db-wal" "$db-shm"

# row LABEL "WALL CPU" AMOUNT UNIT: a table row with the rates of wall and CPU time
row() {
    set -- "$1" ${2} "$3" "$4"
    awk -v l="$1" -v w="$2" -v c="$3" -v n="$4" -v u="$5" 'BEGIN {
        f = (u == "files") ? "%.0f" : "%.1f"
        printf "| %s | %.3f | %.3f | " f " %s/s |\n", l, w, c, n / c, u
    }'
}
echo
echo "| sweep | wall s | CPU s | rate (CPU) |"
echo "|---|---:|---:|---:|"
row "$BENCH_FILES files of $BENCH_ROWS rows, no state" "$plain" "$BENCH_FILES" files
row "$BENCH_FILES files of $BENCH_ROWS rows, first sweep with --state" "$first" "$BENCH_FILES" files
row "$BENCH_FILES files of $BENCH_ROWS rows, second sweep, unchanged" "$second" "$BENCH_FILES" files
row "$BENCH_BIG_MB MB file, no state" "$big_plain" "$BENCH_BIG_MB" MB
row "$BENCH_BIG_MB MB file, first sweep (scan + digest)" "$big_first" "$BENCH_BIG_MB" MB
row "$BENCH_BIG_MB MB file touched, same bytes (digest only)" "$big_touched" "$BENCH_BIG_MB" MB
[ -n "$b2" ] && row "$BENCH_BIG_MB MB file, b2sum -l 256" "$b2" "$BENCH_BIG_MB" MB
exit 0

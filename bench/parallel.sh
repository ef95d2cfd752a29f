#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# The speed-up of piiscan's workers (-j): a sweep of a folder of many order exports, and of one
# large export, with 1 worker and with every processor; `make bench-parallel` runs it from the
# top build directory. Each run is timed best of BENCH_RUNS with a warm page cache; the report
# goes to /dev/null in JSON Lines, so the ordering gate is part of what is timed.
#
# Environment (all optional):
#   PIISCAN       piiscan binary                     default ./cli/piiscan
#   GEN_ORDERS    corpus generator                   default ./bench/gen_orders
#   RUNSTAT       timer                              default ./bench/runstat
#   BENCH_DIR     where corpora are kept             default ./bench/out
#   BENCH_FILES   files in the folder                default 200
#   BENCH_FILE_MB size of each of them in MiB        default 1
#   BENCH_MB      size of the one large file in MiB  default 200
#   BENCH_RUNS    timed runs per setting             default 3

set -u

PIISCAN=${PIISCAN:-./cli/piiscan}
GEN_ORDERS=${GEN_ORDERS:-./bench/gen_orders}
RUNSTAT=${RUNSTAT:-./bench/runstat}
BENCH_DIR=${BENCH_DIR:-./bench/out}
BENCH_FILES=${BENCH_FILES:-200}
BENCH_FILE_MB=${BENCH_FILE_MB:-1}
BENCH_MB=${BENCH_MB:-200}
BENCH_RUNS=${BENCH_RUNS:-3}
TARGET=1.8

die() {
    echo "bench: $*" >&2
    exit 2
}

for tool in "$PIISCAN" "$GEN_ORDERS" "$RUNSTAT"; do
    [ -x "$tool" ] || die "$tool not found: build it (make bench/gen_orders bench/runstat)"
done
mkdir -p "$BENCH_DIR" || die "cannot create $BENCH_DIR"

field() {
    printf '%s\n' "$2" | sed -n "s/.*$1=\\([^ ]*\\).*/\\1/p"
}

# best SECONDS-VARIABLE CMD...: the fastest of BENCH_RUNS runs; exit 0 or 1 is success.
best() {
    var=$1
    shift
    b=
    i=0
    while [ "$i" -lt "$BENCH_RUNS" ]; do
        stat=$("$RUNSTAT" -- "$@") || die "runstat failed on: $*"
        case $(field status "$stat") in
        0 | 1) ;;
        *) die "'$*' failed: $stat" ;;
        esac
        s=$(field seconds "$stat")
        b=$(awk -v a="$b" -v x="$s" 'BEGIN { print (a == "" || x + 0 < a + 0) ? x : a }')
        i=$((i + 1))
    done
    eval "$var=\$b"
}

# The folder: BENCH_FILES exports of different seeds, made once.
FOLDER=$BENCH_DIR/folder_${BENCH_FILES}x${BENCH_FILE_MB}mb
if [ ! -f "$FOLDER/.complete" ]; then
    echo "making $FOLDER ..."
    rm -rf "$FOLDER" && mkdir -p "$FOLDER" || die "cannot create $FOLDER"
    n=1
    while [ "$n" -le "$BENCH_FILES" ]; do
        "$GEN_ORDERS" -c -m "$BENCH_FILE_MB" -s "$n" | iconv -f UTF-8 -t CP932 \
            >"$FOLDER/orders_$n.csv" || die "making $FOLDER/orders_$n.csv failed"
        n=$((n + 1))
    done
    touch "$FOLDER/.complete"
fi
BIG=$BENCH_DIR/orders_cp932_${BENCH_MB}mb.csv
if [ ! -f "$BIG" ]; then
    echo "making $BIG ..."
    "$GEN_ORDERS" -c -m "$BENCH_MB" | iconv -f UTF-8 -t CP932 >"$BIG.tmp" &&
        mv "$BIG.tmp" "$BIG" || die "making $BIG failed"
fi

ncpu=$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN)
echo "piiscan parallel benchmark: $ncpu CPUs, $(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' \
    /proc/cpuinfo | head -n 1)"
echo "runs: best of $BENCH_RUNS, page cache warm, --format jsonl to /dev/null"
echo
printf '%-44s %9s %9s %9s %8s\n' "input" "-j 1 (s)" "-j $ncpu (s)" "MB/s -j$ncpu" "speed-up"

# row LABEL BYTES PATH...
row() {
    label=$1
    bytes=$2
    shift 2
    cat "$@" >/dev/null 2>&1 # warm the page cache
    best one "$PIISCAN" scan -j 1 --format jsonl "$@"
    best all "$PIISCAN" scan -j "$ncpu" --format jsonl "$@"
    awk -v l="$label" -v a="$one" -v b="$all" -v by="$bytes" -v n="$ncpu" 'BEGIN {
        printf "%-44s %9.3f %9.3f %9.1f %7.2fx\n", l, a, b, by / 1048576 / b, a / b
    }'
    SPEEDUP=$(awk -v a="$one" -v b="$all" 'BEGIN { printf "%.2f", a / b }')
}

folder_bytes=$(cat "$FOLDER"/*.csv | wc -c)
row "$BENCH_FILES files of $BENCH_FILE_MB MB (CP932 CSV)" "$folder_bytes" "$FOLDER"
folder_speedup=$SPEEDUP
row "one file of $BENCH_MB MB (CP932 CSV)" "$(wc -c <"$BIG")" "$BIG"
echo
awk -v s="$folder_speedup" -v t="$TARGET" -v n="$ncpu" 'BEGIN {
    printf "folder speed-up on %d CPUs: %.2fx (target >= %.1fx on 2 CPUs): %s\n", n, s, t,
        (n != 2) ? "not comparable (not 2 CPUs)" : (s + 0 >= t + 0) ? "met" : "NOT met"
}'
echo "one large file is scanned by one worker: its speed-up is expected to be about 1x."

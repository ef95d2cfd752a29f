#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# piiscan's speed and memory benchmark; `make bench` runs it from the top build directory.
# It makes a CP932 order-export corpus once (kept in BENCH_DIR), warms the page cache, times
# cat, iconv and piiscan on it (best of BENCH_RUNS for time, largest peak RSS of the runs) and
# prints one table, then what piiscan found. iconv alone is the bar: piiscan decodes CP932 too,
# so scanning should cost less than a separate conversion pass would.
#
# Environment (all optional):
#   PIISCAN       piiscan binary                     default ./cli/piiscan
#   GEN_ORDERS    corpus generator                   default ./bench/gen_orders
#   RUNSTAT       timer                              default ./bench/runstat
#   BENCH_MB      corpus size in MiB                 default 200
#   BENCH_DIR     where corpora are kept             default ./bench/out
#   BENCH_RSS_MB  also scan a corpus this large and report peak RSS (e.g. 1024); 0 = skip
#   BENCH_RUNS    timed runs per tool                default 3
#   BENCH_SEED    generator seed                     default 42
# The same settings can be given as options: --mb N --rss-mb N --dir DIR --runs N --seed N.
# MB means MiB (2^20 bytes) throughout.

set -u

PIISCAN=${PIISCAN:-./cli/piiscan}
GEN_ORDERS=${GEN_ORDERS:-./bench/gen_orders}
RUNSTAT=${RUNSTAT:-./bench/runstat}
BENCH_MB=${BENCH_MB:-200}
BENCH_DIR=${BENCH_DIR:-./bench/out}
BENCH_RSS_MB=${BENCH_RSS_MB:-0}
BENCH_RUNS=${BENCH_RUNS:-3}
BENCH_SEED=${BENCH_SEED:-42}

# The targets the table is read against (see bench/README.md).
RSS_TARGET_MB=32

die() {
    echo "bench: $*" >&2
    exit 2
}

usage() {
    cat <<EOF
usage: sh bench/run.sh [--mb N] [--rss-mb N] [--dir DIR] [--runs N] [--seed N]
Run from the top build directory (make bench does). Environment: PIISCAN, GEN_ORDERS,
RUNSTAT, BENCH_MB, BENCH_RSS_MB, BENCH_DIR, BENCH_RUNS, BENCH_SEED; see bench/README.md.
EOF
}

# shellcheck source=bench/options.sh
. "$(dirname "$0")/options.sh"
bench_options "--mb=BENCH_MB --rss-mb=BENCH_RSS_MB --dir=BENCH_DIR --runs=BENCH_RUNS \
    --seed=BENCH_SEED" "$@"

is_count() {
    case $1 in
    '' | *[!0-9]*) return 1 ;;
    esac
    return 0
}
is_positive() {
    is_count "$1" && [ "$1" -gt 0 ]
}
is_positive "$BENCH_MB" || die "BENCH_MB must be a positive number of MiB"
is_count "$BENCH_RSS_MB" || die "BENCH_RSS_MB must be a number of MiB (0 to skip)"
is_positive "$BENCH_RUNS" || die "BENCH_RUNS must be a positive count"
is_count "$BENCH_SEED" || die "BENCH_SEED must be a non-negative integer"

[ -x "$PIISCAN" ] ||
    die "$PIISCAN not found or not executable: build it (make) or set PIISCAN=/path/to/piiscan"
for tool in "$GEN_ORDERS" "$RUNSTAT"; do
    [ -x "$tool" ] || die "$tool not found: build it with 'make bench/gen_orders bench/runstat'"
done
command -v iconv >/dev/null 2>&1 || die "iconv not found (Debian package libc-bin)"
printf 'a' | iconv -f UTF-8 -t CP932 >/dev/null 2>&1 || die "this iconv cannot convert to CP932"
mkdir -p "$BENCH_DIR" || die "cannot create $BENCH_DIR"

# ---------------------------------------------------------------------------------------------
# Helpers

# field NAME LINE: the value of NAME=value in a runstat line.
field() {
    printf '%s\n' "$2" | sed -n "s/.*$1=\\([^ ]*\\).*/\\1/p"
}

# Sets CORPUS to a CP932 corpus of at least $1 MiB, made on first use and whenever gen_orders
# is newer than it (so a changed generator never leaves a stale corpus behind).
make_corpus() {
    name=orders_cp932_$1mb.csv
    [ "$BENCH_SEED" = 42 ] || name=orders_cp932_$1mb_seed$BENCH_SEED.csv
    CORPUS=$BENCH_DIR/$name
    if [ -f "$CORPUS" ] && [ -z "$(find "$GEN_ORDERS" -newer "$CORPUS")" ]; then
        return 0
    fi
    echo "making $CORPUS ($1 MB, seed $BENCH_SEED) ..."
    tmp=$CORPUS.tmp
    # -c counts the size as CP932, so the file is $1 MiB after iconv, as its name says.
    # shellcheck disable=SC2016 # the inner shell expands its own positional parameters
    stat=$("$RUNSTAT" -o "$tmp" -- sh -c '"$0" -c -m "$1" -s "$2" | iconv -f UTF-8 -t CP932' \
        "$GEN_ORDERS" "$1" "$BENCH_SEED") || die "runstat failed while making $CORPUS"
    bytes=$(wc -c <"$tmp")
    # The pipeline's status is iconv's; a generator that failed shows as a short file.
    if [ "$(field status "$stat")" != 0 ] || [ "$bytes" -lt $(($1 * 1048576)) ]; then
        rm -f "$tmp"
        die "making $CORPUS failed ($stat, $bytes bytes)"
    fi
    mv "$tmp" "$CORPUS" || die "cannot rename $tmp"
    awk -v s="$(field seconds "$stat")" -v b="$bytes" 'BEGIN {
        printf "  made in %.2f s (generator and iconv to CP932: %.1f MB/s)\n", s,
            (s + 0 > 0) ? b / 1048576 / s : 0
    }'
}

# measure OK_STATUSES CMD...: runs CMD BENCH_RUNS times with stdout to /dev/null; sets BEST_S
# (fastest wall time) and RSS_KB (largest peak RSS). Any exit status not in OK_STATUSES stops
# the benchmark: a tool that failed has not done the work being timed.
measure() {
    ok=$1
    shift
    BEST_S=
    RSS_KB=0
    i=0
    while [ "$i" -lt "$BENCH_RUNS" ]; do
        stat=$("$RUNSTAT" -- "$@") || die "runstat failed on: $*"
        s=$(field seconds "$stat")
        k=$(field maxrss_kb "$stat")
        st=$(field status "$stat")
        case " $ok " in
        *" $st "*) ;;
        *) die "'$*' exited with status $st" ;;
        esac
        BEST_S=$(awk -v a="$BEST_S" -v b="$s" 'BEGIN { print (a == "" || b + 0 < a + 0) ? b : a }')
        [ "$k" -gt "$RSS_KB" ] && RSS_KB=$k
        i=$((i + 1))
    done
}

# row TOOL SECONDS RSS_KB: one line of the table, relative to the cat and iconv times.
row() {
    awk -v tool="$1" -v s="$2" -v k="$3" -v b="$BYTES" -v cat_s="$CAT_S" -v iconv_s="$ICONV_S" '
        function ratio(x, y) { return (y + 0 > 0) ? sprintf("%.2f", x / y) : "-" }
        BEGIN {
            mbs = (s + 0 > 0) ? sprintf("%.1f", b / 1048576 / s) : "-"
            printf "%-34s %8.4f %9s %7s %8s %12.1f\n", tool, s, mbs, ratio(s, cat_s),
                ratio(s, iconv_s), k / 1024
        }'
}

# ---------------------------------------------------------------------------------------------
# The machine and the versions

cpu=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo 2>/dev/null | head -n 1)
[ -n "$cpu" ] || cpu=$(uname -m)
ncpu=$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN)
version=$("$PIISCAN" --version 2>/dev/null | head -n 1)
[ -n "$version" ] || version="unknown ($PIISCAN --version printed nothing)"

echo "piiscan benchmark"
echo "machine: $ncpu CPUs, $cpu, $(uname -sr)"
echo "piiscan: $version"
echo "iconv:   $(iconv --version 2>/dev/null | head -n 1)"

# The CLI scans files in parallel once it has -j; the table is about one thread's speed.
JOBS=
scan_help=$("$PIISCAN" scan --help 2>&1)
if printf '%s\n' "$scan_help" | grep -Eq -- '(^|[^[:alnum:]-])-j([^[:alnum:]]|$)'; then
    JOBS="-j 1"
elif printf '%s\n' "$scan_help" | grep -q -- '--jobs'; then
    JOBS="--jobs=1"
fi

make_corpus "$BENCH_MB"
FILE=$CORPUS
BYTES=$(wc -c <"$FILE")
awk -v f="$FILE" -v b="$BYTES" -v r="$BENCH_RUNS" 'BEGIN {
    printf "corpus:  %s (%d bytes = %.1f MB, CP932, CRLF)\n", f, b, b / 1048576
    printf "runs:    best of %d for time, largest peak RSS of them; page cache warm\n\n", r
}'

# ---------------------------------------------------------------------------------------------
# Speed

cat "$FILE" >/dev/null # warm the page cache, so every tool reads from memory

measure 0 cat "$FILE"
CAT_S=$BEST_S
CAT_KB=$RSS_KB
measure 0 iconv -f CP932 -t UTF-8 "$FILE"
ICONV_S=$BEST_S
ICONV_KB=$RSS_KB
# Exit 1 means "findings", the expected outcome on this corpus.
# shellcheck disable=SC2086 # $JOBS is empty or an option and its value
measure "0 1" "$PIISCAN" scan $JOBS --format jsonl "$FILE"
SCAN_S=$BEST_S
SCAN_KB=$RSS_KB

printf '%-34s %8s %9s %7s %8s %12s\n' tool seconds MB/s "x cat" "x iconv" "peak RSS MB"
row "cat" "$CAT_S" "$CAT_KB"
row "iconv -f CP932 -t UTF-8" "$ICONV_S" "$ICONV_KB"
row "piiscan scan --format jsonl${JOBS:+ $JOBS}" "$SCAN_S" "$SCAN_KB"
echo
awk -v s="$SCAN_S" -v i="$ICONV_S" 'BEGIN {
    printf "speed target (piiscan faster than iconv alone): %s (%.2f x iconv)\n",
        (s + 0 < i + 0) ? "met" : "NOT met", (i + 0 > 0) ? s / i : 0
}'

# ---------------------------------------------------------------------------------------------
# What was found: the count, and the count per type (the "type" member of each JSON line).

echo
# shellcheck disable=SC2086
"$PIISCAN" scan $JOBS --format jsonl "$FILE" 2>/dev/null | awk '
    {
        n++
        if (match($0, /"type":[ ]*"[^"]*"/)) {
            t = substr($0, RSTART, RLENGTH)
            sub(/^"type":[ ]*"/, "", t)
            sub(/"$/, "", t)
        } else {
            t = "(no type member)"
        }
        c[t]++
    }
    END {
        printf "findings: %d\n", n
        fflush()
        for (t in c)
            printf "  %-20s %10d\n", t, c[t] | "sort -k2,2nr"
        close("sort -k2,2nr")
    }'

# ---------------------------------------------------------------------------------------------
# Memory on a large file: the peak must not grow with the input.

if [ "$BENCH_RSS_MB" -gt 0 ]; then
    echo
    make_corpus "$BENCH_RSS_MB"
    cat "$CORPUS" >/dev/null
    # shellcheck disable=SC2086
    stat=$("$RUNSTAT" -- "$PIISCAN" scan $JOBS --format jsonl "$CORPUS") ||
        die "runstat failed on piiscan"
    case $(field status "$stat") in
    0 | 1) ;;
    *) die "piiscan exited with status $(field status "$stat") on $CORPUS" ;;
    esac
    awk -v mb="$BENCH_RSS_MB" -v s="$(field seconds "$stat")" -v k="$(field maxrss_kb "$stat")" \
        -v b="$(wc -c <"$CORPUS")" -v t="$RSS_TARGET_MB" 'BEGIN {
        printf "piiscan on %d MB: %.3f s, %.1f MB/s, peak RSS %.1f MB\n", mb, s,
            (s + 0 > 0) ? b / 1048576 / s : 0, k / 1024
        printf "memory target (peak RSS < %d MB on a large file): %s\n", t,
            (k / 1024 < t) ? "met" : "NOT met"
    }'
fi

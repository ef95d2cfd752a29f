#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# piiscan's accuracy benchmark; `make accuracy` runs it from the top build directory.
# It writes the labelled corpus (bench/gen_eval.py), proves its labels (gen_eval.py --check),
# then scores piiscan, and MeCab when it is installed, on it (bench/eval.py). The corpus is made
# again on every run: it takes about a second, and a stale corpus would score the wrong labels.
#
# Environment (all optional):
#   PIISCAN            piiscan binary                 default ./cli/piiscan
#   PYTHON             Python 3 interpreter           default python3
#   ACCURACY_DIR       where the corpus is written    default ./bench/accuracy
#   ACCURACY_SEED      generator seed (any string)    default 42
#   ACCURACY_RECORDS   records per corpus file        default 200
#   ACCURACY_MECAB     0 to leave MeCab out           default 1
#   ACCURACY_EXAMPLES  missed/false examples per row  default 5
#   PIISCAN_ARGS       extra options for piiscan scan, e.g. "--min-confidence 0.3" (split on
#                      white space)
# The same settings can be given as options: --dir DIR --seed S --records N --no-mecab
# --examples N.

set -u

PIISCAN=${PIISCAN:-./cli/piiscan}
PYTHON=${PYTHON:-python3}
ACCURACY_DIR=${ACCURACY_DIR:-./bench/accuracy}
ACCURACY_SEED=${ACCURACY_SEED:-42}
ACCURACY_RECORDS=${ACCURACY_RECORDS:-200}
ACCURACY_MECAB=${ACCURACY_MECAB:-1}
ACCURACY_EXAMPLES=${ACCURACY_EXAMPLES:-5}
PIISCAN_ARGS=${PIISCAN_ARGS:-}

die() {
    echo "accuracy: $*" >&2
    exit 2
}

usage() {
    cat <<EOF
usage: sh bench/accuracy.sh [--dir DIR] [--seed S] [--records N] [--no-mecab] [--examples N]
Run from the top build directory (make accuracy does). Environment: PIISCAN, PYTHON,
ACCURACY_DIR, ACCURACY_SEED, ACCURACY_RECORDS, ACCURACY_MECAB, ACCURACY_EXAMPLES;
see bench/README.md.
EOF
}

# shellcheck source=bench/options.sh
. "$(dirname "$0")/options.sh"
bench_options "--no-mecab=ACCURACY_MECAB=0 --dir=ACCURACY_DIR --seed=ACCURACY_SEED \
    --records=ACCURACY_RECORDS --examples=ACCURACY_EXAMPLES" "$@"

case $ACCURACY_RECORDS in
'' | *[!0-9]* | 0) die "records per file must be a positive number, not '$ACCURACY_RECORDS'" ;;
esac
case $ACCURACY_EXAMPLES in
'' | *[!0-9]*) die "examples must be a number, not '$ACCURACY_EXAMPLES'" ;;
esac

# The Python files live next to this script, in the source tree; the build tree has none.
here=$(cd "$(dirname "$0")" && pwd) || die "cannot find the directory of $0"
command -v "$PYTHON" >/dev/null 2>&1 || die "$PYTHON not found (set PYTHON to a Python 3)"
[ -x "$PIISCAN" ] || die "$PIISCAN is not an executable (build it, or set PIISCAN)"
command -v iconv >/dev/null 2>&1 || die "iconv not found (the label check needs it)"

# Old files of another seed or size must not linger in the scanned directory.
rm -rf "$ACCURACY_DIR/files" "$ACCURACY_DIR/labels" "$ACCURACY_DIR/manifest.jsonl"
"$PYTHON" "$here/gen_eval.py" --out "$ACCURACY_DIR" --seed "$ACCURACY_SEED" \
    --records "$ACCURACY_RECORDS" || die "the corpus generator failed"
"$PYTHON" "$here/gen_eval.py" --out "$ACCURACY_DIR" --check ||
    die "the corpus labels do not match the files (a generator bug; the scores would be wrong)"

set -- --piiscan "$PIISCAN" --examples "$ACCURACY_EXAMPLES"
[ "$ACCURACY_MECAB" = 0 ] && set -- "$@" --no-mecab
for arg in $PIISCAN_ARGS; do
    set -- "$@" "--piiscan-arg=$arg"
done
echo "$("$PIISCAN" --version 2>/dev/null | head -n 1); seed $ACCURACY_SEED," \
    "$ACCURACY_RECORDS records per file${PIISCAN_ARGS:+; piiscan scan $PIISCAN_ARGS};" \
    "$(uname -srm)"
exec "$PYTHON" "$here/eval.py" "$@" "$ACCURACY_DIR"

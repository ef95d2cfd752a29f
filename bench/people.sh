#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# The people benchmark; `make people-accuracy` runs it from the top build directory. It writes
# the corpus (bench/gen_people.py: one shop's exports, the same customers in several of them in
# other forms, with the truth), counts the people with `piiscan people` under a throw-away site
# key, and scores the count and the linking (bench/people_eval.py). Exits 1 when the count is
# more than 1 % off or any two different people were merged.
#
# Environment (all optional):
#   PIISCAN         piiscan binary                   default ./cli/piiscan
#   PYTHON          Python 3 interpreter             default python3
#   PEOPLE_DIR      where the corpus is written      default ./bench/people
#   PEOPLE_SEED     generator seed (any string)      default 42
#   PEOPLE_COUNT    customers in the population      default 5000

set -u

PIISCAN=${PIISCAN:-./cli/piiscan}
PYTHON=${PYTHON:-python3}
PEOPLE_DIR=${PEOPLE_DIR:-./bench/people}
PEOPLE_SEED=${PEOPLE_SEED:-42}
PEOPLE_COUNT=${PEOPLE_COUNT:-5000}
here=$(cd "$(dirname "$0")" && pwd)

[ -x "$PIISCAN" ] || { echo "people: no piiscan at $PIISCAN (make first)" >&2; exit 2; }
rm -rf "$PEOPLE_DIR"
mkdir -p "$PEOPLE_DIR/files" || exit 2
"$PYTHON" "$here/gen_people.py" --seed "$PEOPLE_SEED" --people "$PEOPLE_COUNT" \
    "$PEOPLE_DIR/files" || exit 2
mv "$PEOPLE_DIR/files/truth.tsv" "$PEOPLE_DIR/truth.tsv"
key=$PEOPLE_DIR/site.key
(umask 077 && head -c 32 /dev/urandom >"$key") || exit 2

"$PIISCAN" people --key-file "$key" --format json -v "$PEOPLE_DIR/files" \
    >"$PEOPLE_DIR/report.json" 2>"$PEOPLE_DIR/report.err"
[ $? -le 1 ] || { cat "$PEOPLE_DIR/report.err" >&2; exit 2; }
"$PIISCAN" people --key-file "$key" --list-records "$PEOPLE_DIR/files" \
    >"$PEOPLE_DIR/records.tsv"
[ $? -le 1 ] || exit 2
grep 'bytes for linking' "$PEOPLE_DIR/report.err" | sed 's/^piiscan: /linking memory: /'
"$PYTHON" "$here/people_eval.py" "$PEOPLE_DIR" "$PEOPLE_DIR/report.json" "$PEOPLE_DIR/records.tsv"

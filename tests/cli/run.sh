#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# run.sh - end-to-end cases of the piiscan command. Each directory in tests/cli/cases is one
# case, named for the behaviour it shows:
#   args             one line of shell words: the arguments (paths relative to the case)
#   stdin            piped to the command when present (else /dev/null); setup may make it
#   convert          lines "ENCODING SRC DST": DST made from the UTF-8 file SRC with iconv, so
#                    that CP932, EUC-JP and UTF-16 inputs are made here and never committed;
#                    ENCODING may end in +CRLF (line ends made CRLF first) and +BOM (a byte
#                    order mark put first), e.g. UTF-16LE+CRLF+BOM; "gzip" compresses SRC.
#                    DST goes through printf %b, so a name can hold any byte (\0203 for
#                    0x83, \\ for a backslash); its directory is made when missing
#   links            lines "TARGET NAME": symbolic links made with ln -s
#   data             lines naming directories of tests/data copied into the case first
#   expected.jsonl   the expected standard output (or expected.txt; none: empty)
#   expected.stderr  the expected standard error (none: it must be empty)
#   expected.exit    the expected exit status
#   setup            a shell script run (sh setup) in the case's copy before the command, for
#                    what the files above cannot make (modes, hard links, old stray files)
#   check            a shell script run (sh check) in the case's copy after the command, to
#                    look at the files it wrote; it fails the case by exiting non-zero and
#                    says why on its output. Both see PIISCAN_BIN and CASE_DIR (the case's
#                    directory in the source tree, as it was before the run)
#   needs            a shell script run (sh needs) in the case's copy first: while it fails,
#                    the case is skipped and says so (SKIP), for a case written ahead of an
#                    option the command does not have yet
# Each case runs in a fresh copy of its directory, which is the working directory. Needs
# PIISCAN_BIN (the built command), PIISCAN_SRCDIR and PIISCAN_TEST_DATA, as make check sets.
# Prints PASS/FAIL per case and a count; exits non-zero when a case failed.

: "${PIISCAN_SRCDIR:?PIISCAN_SRCDIR is not set: run through make check}"
: "${PIISCAN_BIN:?PIISCAN_BIN is not set: run through make check}"
: "${PIISCAN_TEST_DATA:=$PIISCAN_SRCDIR/tests/data}"

# Messages from the C library (strerror, getopt) in their untranslated words.
LC_ALL=C
export LC_ALL

cases_dir="$PIISCAN_SRCDIR/tests/cli/cases"
work=$(mktemp -d "${TMPDIR:-/tmp}/piiscan-cli.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT
trap 'exit 99' HUP INT TERM
# The site key made on first use goes to $HOME/.config: a home of the run's own keeps the
# user's real key out of the tests, and the tests' keys out of the user's home.
HOME=$work/home
XDG_CONFIG_HOME=
unset XDG_CONFIG_HOME PIISCAN_KEY_FILE
export HOME

passed=0
failed=0
skipped=0

# convert ENCODING SRC DST
convert() {
    enc=$1
    src=$2
    dst=$(printf '%b' "$3")
    mkdir -p "$(dirname "$dst")" || return 1
    bom=
    crlf=
    while :; do
        case $enc in
        *+BOM) bom=yes enc=${enc%+BOM} ;;
        *+CRLF) crlf=yes enc=${enc%+CRLF} ;;
        *) break ;;
        esac
    done
    if [ "$enc" = gzip ]; then
        gzip -n -c <"$src" >"$dst"
        return
    fi
    if [ -n "$crlf" ]; then
        awk '{ printf "%s\r\n", $0 }' <"$src" >"$dst.lf" || return 1
        src=$dst.lf
    fi
    {
        if [ -n "$bom" ]; then
            case $enc in
            UTF-8) printf '\357\273\277' ;;
            UTF-16LE) printf '\377\376' ;;
            UTF-16BE) printf '\376\377' ;;
            *) echo "convert: no byte order mark in $enc" >&2; return 1 ;;
            esac
        fi
        iconv -f UTF-8 -t "$enc" <"$src"
    } >"$dst" || return 1
    rm -f "$dst.lf"
}

# prepare CASE_DIR TMP: the copy of the case with its converted inputs and data
prepare() {
    cp -R "$1/." "$2/" || return 1
    if [ -f "$2/data" ]; then
        while read -r dir; do
            [ -n "$dir" ] || continue
            cp -R "$PIISCAN_TEST_DATA/$dir" "$2/" || return 1
        done <"$2/data"
    fi
    # make distcheck hands out a read-only source tree; the copy gets links and conversions.
    chmod -R u+w "$2" || return 1
    if [ -f "$2/links" ]; then
        while read -r target link; do
            [ -n "$target" ] || continue
            (cd "$2" && mkdir -p "$(dirname "$link")" && ln -s "$target" "$link") || return 1
        done <"$2/links"
    fi
    if [ -f "$2/convert" ]; then
        while read -r enc src dst; do
            [ -n "$enc" ] || continue
            (cd "$2" && convert "$enc" "$src" "$dst") || {
                echo "convert failed: $enc $src $dst"
                return 1
            }
        done <"$2/convert"
    fi
}

# compare WHAT EXPECTED ACTUAL: diff output on a mismatch
compare() {
    if cmp -s "$2" "$3"; then
        return 0
    fi
    echo "--- $1 differs (expected, actual):"
    diff -u "$2" "$3" | sed -n '3,$p'
    return 1
}

for case_dir in "$cases_dir"/*/; do
    case_dir=${case_dir%/}
    name=${case_dir##*/}
    tmp=$work/$name
    out=$work/$name.out
    mkdir "$tmp" || exit 99
    log=$work/$name.log
    ok=yes
    if ! prepare "$case_dir" "$tmp" >"$log" 2>&1; then
        ok=no
    elif [ -f "$case_dir/needs" ] && ! (cd "$tmp" && PIISCAN_BIN=$PIISCAN_BIN sh ./needs) \
        >/dev/null 2>&1; then
        echo "SKIP: $name (its needs script fails)"
        skipped=$((skipped + 1))
        continue
    elif [ ! -f "$case_dir/args" ] || [ ! -f "$case_dir/expected.exit" ]; then
        echo "a case needs args and expected.exit" >"$log"
        ok=no
    else
        args=$(cat "$case_dir/args")
        if [ -f "$case_dir/setup" ]; then
            (cd "$tmp" && CASE_DIR=$case_dir sh ./setup) >"$log" 2>&1 || ok=no
        fi
        input=/dev/null
        [ -f "$tmp/stdin" ] && input=$tmp/stdin
        (
            cd "$tmp" || exit 99
            eval "set -- $args"
            exec "$PIISCAN_BIN" "$@" <"$input" >"$out.stdout" 2>"$out.stderr"
        )
        echo "$?" >"$out.exit"

        expected_out=/dev/null
        [ -f "$case_dir/expected.txt" ] && expected_out=$case_dir/expected.txt
        [ -f "$case_dir/expected.jsonl" ] && expected_out=$case_dir/expected.jsonl
        expected_err=/dev/null
        [ -f "$case_dir/expected.stderr" ] && expected_err=$case_dir/expected.stderr
        {
            compare "exit status" "$case_dir/expected.exit" "$out.exit" || ok=no
            compare "standard output" "$expected_out" "$out.stdout" || ok=no
            compare "standard error" "$expected_err" "$out.stderr" || ok=no
            if [ -f "$case_dir/check" ]; then
                (cd "$tmp" && CASE_DIR=$case_dir PIISCAN_BIN=$PIISCAN_BIN sh ./check) || {
                    echo "--- check failed"
                    ok=no
                }
            fi
        } >>"$log" 2>&1
    fi
    if [ "$ok" = yes ]; then
        echo "PASS: $name"
        passed=$((passed + 1))
    else
        echo "FAIL: $name"
        sed 's/^/    /' "$log"
        failed=$((failed + 1))
    fi
done

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]

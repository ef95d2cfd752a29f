#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# The three places that describe the command agree: every option that `piiscan COMMAND --help`
# lists is in the man page, and is shown at work in an example (a command line starting with
# "piiscan" in the README or the man page). Every command `piiscan --help` lists has its
# section in the man page.

set -u

PIISCAN=${PIISCAN_BIN:-./cli/piiscan}
SRCDIR=${PIISCAN_SRCDIR:-.}
MAN=$SRCDIR/cli/piiscan.1
README=$SRCDIR/README.md
failed=0

fail() {
    echo "FAIL: $*"
    failed=1
}

[ -x "$PIISCAN" ] || {
    echo "no $PIISCAN"
    exit 99
}

# Example command lines: README lines that run piiscan (in code blocks, after a "$ " prompt
# or a pipe), and the man page's, with the roff escapes of hyphens undone.
examples=$(mktemp) || exit 99
trap 'rm -f "$examples"' EXIT
# A command continued over lines (ending in \, or \e in roff) is joined first.
join_continued() {
    awk '{ if (sub(/(\\e|\\)$/, "")) { held = held $0 } else { print held $0; held = "" } }'
}
{
    join_continued <"$README" | grep -E '(^ *|[$|&;(] *)piiscan '
    sed 's/\\-/-/g' "$MAN" | join_continued | grep -E '(^ *|[$|&;("] *)piiscan '
} >"$examples"
man_text=$(sed 's/\\-/-/g' "$MAN")

commands=$("$PIISCAN" --help | sed -n 's/^  \([a-z][a-z-]*\)  .*/\1/p' | grep -v '^help$')
[ -n "$commands" ] || fail "piiscan --help lists no commands"
for cmd in $commands; do
    printf '%s\n' "$man_text" | grep -Eq "^\\.SS.*\\b$cmd\\b|^\\.SH.*\\b$cmd\\b|piiscan $cmd" ||
        fail "command '$cmd' has no place in the man page"
    help=$("$PIISCAN" "$cmd" --help) || fail "piiscan $cmd --help failed"
    # Options are the lines that start with one ("  -q, --quiet", "      --types=LIST"); an
    # option named inside a description ("git diff --name-only") is not one of ours.
    options=$(printf '%s\n' "$help" | grep -oE -- '^ +(-[a-zA-Z0-9], )?--[a-z0-9][a-z0-9-]*' |
        grep -oE -- '--[a-z0-9-]+' | sort -u)
    for opt in $options; do
        [ "$opt" = --help ] && continue
        printf '%s\n' "$man_text" | grep -q -- "$opt" ||
            fail "piiscan $cmd $opt: not in the man page"
        # An option with a short form ("  -q, --quiet") may be shown by either.
        short=$(printf '%s\n' "$help" | sed -n "s/^ *\(-[a-zA-Z0-9]\), $opt\([= ].*\)*\$/\1/p")
        pattern="$opt"
        [ -n "$short" ] && pattern="($opt|$short)"
        grep -E "piiscan $cmd .*$pattern([^a-z0-9-]|\$)" "$examples" >/dev/null ||
            fail "piiscan $cmd $opt: no example (a 'piiscan $cmd ... $opt' line in README or man page)"
    done
done
exit $failed

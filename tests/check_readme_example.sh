#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# The C example in the README compiles against the built library and finds what it says.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
awk '/^```c$/ { inside = 1; next } /^```$/ { inside = 0 } inside' "$PIISCAN_SRCDIR/README.md" \
    > "$tmp/example.c"
[ -s "$tmp/example.c" ] || { echo "FAIL: no C example in README.md"; exit 1; }
cd "$PIISCAN_BUILDDIR"
./libtool --quiet --mode=link ${PIISCAN_CC:-cc} -std=c11 -Wall -Werror \
    -I"$PIISCAN_SRCDIR/libpiiscan/include" -o "$tmp/example" "$tmp/example.c" \
    libpiiscan/libpiiscan.la
out=$(./libtool --mode=execute "$tmp/example")
echo "$out"
case "$out" in
*"phone at bytes 33-46, line 2: 090-1234-5678"*) echo "PASS: the README example works" ;;
*)
    echo "FAIL: the README example printed something else"
    exit 1
    ;;
esac

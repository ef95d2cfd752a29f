#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# The shared library exports exactly the functions the public header declares.
set -eu
lib="$PIISCAN_BUILDDIR/libpiiscan/.libs/libpiiscan.so"
header="$PIISCAN_SRCDIR/libpiiscan/include/piiscan.h"
if [ ! -f "$lib" ]; then
    echo "SKIP: no shared library at $lib"
    exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
nm -D --defined-only "$lib" | awk '$2 == "T" { print $3 }' | sort > "$tmp/exported"
grep -v '^#' "$header" | tr '\n' ' ' | grep -o 'PIISCAN_API [^(]*(' | sed 's/ *($//; s/.*[ *]//' |
    sort > "$tmp/declared"
if ! diff -u "$tmp/declared" "$tmp/exported"; then
    echo "FAIL: exported symbols differ from the header (- declared, + exported)"
    exit 1
fi
echo "PASS: $(wc -l < "$tmp/exported") exported functions match the header"

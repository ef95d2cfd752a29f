#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# configure.ac, the public header and the built CLI agree on the version.
set -eu
header="$PIISCAN_SRCDIR/libpiiscan/include/piiscan.h"
macro() { sed -n "s/^#define PIISCAN_VERSION_$1 \([0-9]*\)$/\1/p" "$header"; }
from_header="$(macro MAJOR).$(macro MINOR).$(macro PATCH)"
from_configure=$(sed -n 's/^PACKAGE_VERSION=.\([0-9.]*\).$/\1/p' "$PIISCAN_BUILDDIR/config.status" 2>/dev/null ||
    true)
[ -n "$from_configure" ] || from_configure=$(grep -o 'define PACKAGE_VERSION "[^"]*"' \
    "$PIISCAN_BUILDDIR/config.h" | sed 's/.*"\(.*\)"/\1/')
from_cli=$("$PIISCAN_BIN" --version | awk 'NR == 1 { print $2 }')
echo "header $from_header, configure $from_configure, piiscan --version $from_cli"
if [ "$from_header" != "$from_configure" ] || [ "$from_header" != "$from_cli" ]; then
    echo "FAIL: versions disagree"
    exit 1
fi
echo "PASS: versions agree"

#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# C sources follow .clang-format; CI fails on drift.
set -eu
cd "$PIISCAN_SRCDIR"
files=$(find libpiiscan cli tests bench -name '*.[ch]' | sort)
if ! clang-format --dry-run --Werror $files; then
    echo "FAIL: run clang-format -i on the files above"
    exit 1
fi
echo "PASS: $(echo "$files" | wc -l) files formatted"

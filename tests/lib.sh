# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=sh
#
# lib.sh - the preamble the shell checks of make check share (check_redact_faults.sh,
# check_state.sh, check_hook.sh, check_xlsx_libreoffice.sh): the C locale, a scratch
# directory removed however the check ends, and the PASS/FAIL/SKIP tally with its summary.
# Sourced, never run: . "$(dirname "$0")/lib.sh"

LC_ALL=C
export LC_ALL

# make_work NAME: $work, a new directory ${TMPDIR:-/tmp}/piiscan-NAME.XXXXXX, removed on exit;
# a signal ends the check with 99 (a hard error to the test driver).
make_work() {
    work=$(mktemp -d "${TMPDIR:-/tmp}/piiscan-$1.XXXXXX") || exit 99
    trap 'rm -rf "$work"' EXIT
    trap 'exit 99' HUP INT TERM
}

passed=0
failed=0
skipped=0
# A file a FAIL shows, indented, when it is set and exists (the output of the command checked).
fail_log=

pass() {
    echo "PASS: $1"
    passed=$((passed + 1))
}
fail() {
    echo "FAIL: $1"
    if [ -n "$fail_log" ] && [ -f "$fail_log" ]; then
        sed 's/^/    /' "$fail_log"
    fi
    failed=$((failed + 1))
}
skip() {
    echo "SKIP: $1"
    skipped=$((skipped + 1))
}

# summary: the tally, then the check's status: true when nothing failed and something passed.
summary() {
    echo "$passed passed, $failed failed, $skipped skipped"
    [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
}

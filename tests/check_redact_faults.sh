#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# check_redact_faults.sh - `piiscan redact --in-place` under faults: the original must come
# out byte for byte as it was (or as the other writer left it), the command must say so and
# exit 2, and at most a temporary file of piiscan's own name may remain, which the next run
# removes and scans never read. One check per fault of issue 5:
#   disk full (RLIMIT_FSIZE, for a text file and a workbook, and a 64 KiB tmpfs when this
#   machine lets us mount one),
#   permission denied, read-only directory (both as an unprivileged user: root ignores
#   permissions), the file changed during the redaction (appended to, and replaced by another
#   file), the process killed in the middle of writing.
# The concurrent cases stop the redaction (SIGSTOP) as soon as its temporary file appears,
# change or kill, then let it go on: deterministic as long as the rest of the run outlasts
# the shell's reaction; a lost race is retried with a larger file, never passed.
# Needs PIISCAN_BIN; setpriv (util-linux) for the permission checks when run as root.

: "${PIISCAN_BIN:?PIISCAN_BIN is not set: run through make check}"
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

make_work faults
chmod 755 "$work"
cd "$work" || exit 99

# orders ROWS > FILE: a CSV export with a phone number and an e-mail address on every row.
orders() {
    awk -v n="$1" 'BEGIN {
        print "注文番号,氏名,電話番号,メールアドレス,メモ"
        for (i = 1; i <= n; i++)
            printf "A-%07d,山田 太郎,090-%04d-%04d,user%d@example.jp,平日のみ配達\n", i, 1000 + i % 9000, 1000 + (i * 7) % 9000, i
    }'
}

# no_temp DIR: no temporary file of piiscan's is left in DIR.
no_temp() {
    for f in "$1"/.*.piiscan-*.tmp; do
        [ -e "$f" ] && return 1
    done
    return 0
}

# expect_intact NAME FILE COPY STATUS STDERR WORDS: the run exited 2, said WORDS, left FILE
# as COPY and no temporary file beside it.
expect_intact() {
    name=$1
    if [ "$4" -ne 2 ]; then
        fail "$name: exit status $4, expected 2"
    elif ! grep -q "$6" "$5"; then
        fail "$name: stderr does not say '$6':"
        sed 's/^/    /' "$5"
    elif ! cmp -s "$2" "$3"; then
        fail "$name: the original was changed"
    elif ! no_temp "$(dirname "$2")"; then
        fail "$name: a temporary file was left"
    else
        pass "$name"
    fi
}

# ------------------------------------------------------------------------------------------
# Disk full

mkdir fsize
orders 3000 >fsize/orders.csv
cp fsize/orders.csv fsize.copy
# The limit lets the input be read but not its copy written (write() fails with EFBIG).
prlimit --fsize=65536 "$PIISCAN_BIN" redact --in-place fsize/orders.csv >out 2>err
expect_intact "disk full (RLIMIT_FSIZE): original intact, temporary file removed" \
    fsize/orders.csv fsize.copy $? err "File too large"

# A workbook: libzip's write fails in the middle of the package.
if [ -x "${PIISCAN_BUILDDIR:-}/tests/cli/make_xlsx" ]; then
    mkdir fsize_xlsx
    awk 'BEGIN {
        print "sheet\t顧客"; print "string\tA1\t氏名"; print "string\tB1\t電話番号"
        for (i = 2; i <= 6000; i++)
            printf "string\tA%d\t山田 太郎\nstring\tB%d\t090-%04d-%04d\n", i, i, i % 10000, (i * 7) % 10000
    }' >book.tsv
    "$PIISCAN_BUILDDIR/tests/cli/make_xlsx" book.tsv fsize_xlsx/book.xlsx || exit 99
    cp fsize_xlsx/book.xlsx fsize_xlsx.copy
    prlimit --fsize=65536 "$PIISCAN_BIN" redact --in-place fsize_xlsx/book.xlsx >out 2>err
    expect_intact "workbook, disk full (RLIMIT_FSIZE): original intact, temporary file removed" \
        fsize_xlsx/book.xlsx fsize_xlsx.copy $? err "File too large"
else
    skip "workbook, disk full: PIISCAN_BUILDDIR/tests/cli/make_xlsx is not built"
fi

mkdir small
if unshare -m true 2>/dev/null; then
    orders 500 >small.copy
    unshare -m sh -c '
        mount -t tmpfs -o size=64k tmpfs small || exit 77
        cp small.copy small/orders.csv || exit 78
        "$1" redact --in-place small/orders.csv >out 2>err
        echo $? >status
        cmp -s small.copy small/orders.csv && echo same >same
        ls -A small >left
    ' sh "$PIISCAN_BIN"
    rc=$?
    if [ "$rc" -eq 77 ] || [ "$rc" -eq 78 ]; then
        skip "disk full (64 KiB tmpfs): cannot mount or fill a tmpfs here"
    elif [ "$(cat status)" -ne 2 ] || ! grep -q "No space left on device" err; then
        fail "disk full (64 KiB tmpfs): exit $(cat status), stderr: $(cat err)"
    elif [ ! -f same ] || [ "$(cat left)" != orders.csv ]; then
        fail "disk full (64 KiB tmpfs): original changed or files left: $(cat left)"
    else
        pass "disk full (ENOSPC on a 64 KiB tmpfs): original intact, temporary file removed"
    fi
else
    skip "disk full (64 KiB tmpfs): no mount namespaces here"
fi

# ------------------------------------------------------------------------------------------
# Permissions, as an unprivileged user

as_user=
if [ "$(id -u)" -eq 0 ]; then
    if command -v setpriv >/dev/null 2>&1 &&
        setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
        as_user="setpriv --reuid=65534 --regid=65534 --clear-groups"
        owner=65534:65534
    fi
else
    as_user=" "
    owner=$(id -u):$(id -g)
fi
if [ -z "$as_user" ]; then
    skip "permission denied: cannot drop root privileges (no setpriv)"
    skip "read-only directory: cannot drop root privileges (no setpriv)"
else
    mkdir denied
    orders 10 >denied/orders.csv
    chmod 600 denied/orders.csv # root's, unreadable to the user
    chown "$owner" denied
    cp denied/orders.csv denied.copy
    $as_user "$PIISCAN_BIN" redact --in-place denied/orders.csv >out 2>err
    expect_intact "permission denied: reported, original intact" \
        denied/orders.csv denied.copy $? err "Permission denied"

    mkdir readonly
    orders 10 >readonly/orders.csv
    chown -R "$owner" readonly
    chmod 555 readonly
    cp readonly/orders.csv readonly.copy
    $as_user "$PIISCAN_BIN" redact --in-place readonly/orders.csv >out 2>err
    expect_intact "read-only directory: no temporary file possible, original intact" \
        readonly/orders.csv readonly.copy $? err "cannot create a temporary file"
    chmod 755 readonly
fi

# ------------------------------------------------------------------------------------------
# Concurrent faults: stop the run when its temporary file appears

# stop_when_temp DIR PID: waits for a temporary file in DIR, then stops PID. Returns 1 when
# the run ended first.
stop_when_temp() {
    while kill -0 "$2" 2>/dev/null; do
        for f in "$1"/.*.piiscan-*.tmp; do
            if [ -e "$f" ]; then
                kill -STOP "$2"
                return 0
            fi
        done
    done
    return 1
}

# changed KIND: the file is changed while the redaction is stopped: appended to (pass 2 finds
# it longer than pass 1 did, or the last look before the rename does), rewritten in place at
# the same size, or replaced by another file (the last look sees another inode).
changed() {
    rows=100000
    for try in 1 2 3; do
        rm -rf changed && mkdir changed
        orders $rows >changed/orders.csv
        "$PIISCAN_BIN" redact --in-place changed/orders.csv >out 2>err &
        pid=$!
        if stop_when_temp changed $pid; then
            if [ "$1" = append ]; then
                echo "A-9999999,佐藤 花子,080-1111-2222,new@example.jp," >>changed/orders.csv
                words="changed"
            elif [ "$1" = rewrite ]; then
                # The same size, the same inode: the modification time tells, or, if pass 2
                # had read that byte already, the comparison of the output with the original.
                # The order number of the last row: A-0100000 becomes B-0100000.
                at=$(($(wc -c <changed/orders.csv) - $(tail -n 1 changed/orders.csv | wc -c)))
                printf 'B' | dd of=changed/orders.csv bs=1 seek=$at conv=notrunc 2>/dev/null
                words="changed while it was being redacted\|differs in the output"
            else
                orders 5 >changed/new.csv
                mv changed/new.csv changed/orders.csv
                words="changed while it was being redacted"
            fi
            cp changed/orders.csv changed.copy
            kill -CONT $pid
            wait $pid
            expect_intact "file changed during the redaction ($1): the change is kept" \
                changed/orders.csv changed.copy $? err "$words"
            return
        fi
        wait $pid
        rows=$((rows * 4))
    done
    fail "file changed during the redaction ($1): the run always ended before it could be stopped"
}
changed append
changed rewrite
changed replace

# Killed while writing: the original is intact; the stray temporary file is never scanned,
# and the next run removes it and redacts the file.
killed() {
    rows=100000
    for try in 1 2 3; do
        rm -rf killed && mkdir killed
        orders $rows >killed/orders.csv
        cp killed/orders.csv killed.copy
        "$PIISCAN_BIN" redact --in-place killed/orders.csv >out 2>err &
        pid=$!
        if stop_when_temp killed $pid; then
            kill -KILL $pid
            { wait $pid; } 2>/dev/null
            if ! cmp -s killed/orders.csv killed.copy; then
                fail "killed mid-write: the original was changed"
            elif no_temp killed; then
                fail "killed mid-write: no temporary file to clean up (the test is wrong)"
            elif "$PIISCAN_BIN" scan -v killed >out 2>err; [ $? -ne 1 ] ||
                ! grep -q "skipped: piiscan temporary file" err; then
                fail "killed mid-write: scan did not skip the stray temporary file"
            elif "$PIISCAN_BIN" redact --in-place killed/orders.csv >out 2>err; [ $? -ne 1 ]; then
                fail "killed mid-write: the next run failed: $(cat err)"
            elif ! no_temp killed; then
                fail "killed mid-write: the next run did not remove the stray temporary file"
            elif grep -q "090-" killed/orders.csv; then
                fail "killed mid-write: the next run did not redact the file"
            else
                pass "killed mid-write: original intact; the next run removes the stray and redacts"
            fi
            return
        fi
        wait $pid
        rows=$((rows * 4))
    done
    fail "killed mid-write: the run always ended before it could be stopped"
}
killed

summary

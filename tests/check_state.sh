#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# check_state.sh - incremental sweeps end to end: `piiscan scan --state` twice in a row (the
# second reads nothing that did not change, and still exits 1 for the personal data that is
# still there), a sweep after changes (new, changed, deleted files), `piiscan state` and its
# selections and formats, two sweeps at once on one state file (the second is refused with
# exit 2 and the first finishes well), and the progress line: drawn and cleared on a
# terminal (under script(1)), never written when standard error is a file or with -q.
# Sweeps a tree made here; waits out the two seconds in which a new file is not trusted as
# unchanged (cli/state.h). Needs PIISCAN_BIN.

: "${PIISCAN_BIN:?PIISCAN_BIN is not set: run through make check}"
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
TZ=UTC
export TZ

make_work state
first_pid=
cd "$work" || exit 99

# check NAME COMMAND...: PASS when the command succeeds, else FAIL with the log shown.
check() {
    name=$1
    shift
    if "$@" >check.log 2>&1; then
        pass "$name"
    else
        fail "$name"
        sed 's/^/    /' check.log
    fi
}

# expect_exit WANT GOT: the exit status, said on failure
expect_exit() {
    [ "$2" -eq "$1" ] || {
        echo "exit status $2, expected $1"
        return 1
    }
}

# has FILE REGEX [COUNT]: FILE has lines matching REGEX (exactly COUNT of them if given)
has() {
    n=$(grep -c -E "$2" "$1")
    if [ -n "${3:-}" ]; then
        [ "$n" -eq "$3" ] || {
            echo "$1: $n lines match '$2', expected $3:"
            cat "$1"
            return 1
        }
    else
        [ "$n" -gt 0 ] || {
            echo "$1: no line matches '$2':"
            cat "$1"
            return 1
        }
    fi
}

mkdir -p tree/sub || exit 99
printf '注文番号,氏名,電話番号\nA-1,山田 太郎,090-2345-6789\nA-2,佐藤 花子,03-3456-7890\n' >tree/orders.csv
printf '連絡先 090-1111-2222 までお電話ください\n' >tree/sub/memo.txt
printf 'nothing personal here\n' >tree/sub/clean.txt
printf '配送メモ 080-3333-4444\n' >tree/sub/gone.txt
sleep 2.2 # files younger than two seconds are read again at the next sweep (racy times)

# --- two sweeps in a row ----------------------------------------------------------------------
sweep1() {
    "$PIISCAN_BIN" scan --summary --format jsonl --state state.db tree >s1.jsonl 2>s1.err
    expect_exit 1 $? || return 1
    [ ! -s s1.err ] || { cat s1.err; return 1; }
    has s1.jsonl '"status":"scanned"' 4 &&
        [ "$(stat -c %a state.db)" = 600 ] || { echo "state.db mode $(stat -c %a state.db)"; return 1; }
}
check "first sweep scans every file and makes the state file 0600" sweep1

sweep2() {
    "$PIISCAN_BIN" scan --summary --format jsonl --state state.db tree >s2.jsonl 2>s2.err
    expect_exit 1 $? || return 1
    [ ! -s s2.err ] || { cat s2.err; return 1; }
    has s2.jsonl '"status":"unchanged"' 4 &&
        has s2.jsonl '"status":"scanned"' 0 || return 1
    # The counts of an unchanged file are those of its last scan.
    want=$(grep orders.csv s1.jsonl | sed 's/.*"findings"/"findings"/; s/,"decode_errors".*//')
    got=$(grep orders.csv s2.jsonl | sed 's/.*"findings"/"findings"/; s/,"decode_errors".*//')
    [ "$want" = "$got" ] || { echo "counts: first $want, second $got"; return 1; }
}
check "second sweep reads no unchanged file, keeps their counts and still exits 1" sweep2

quiet_unchanged_exits_1() {
    "$PIISCAN_BIN" scan -q --state state.db tree
    expect_exit 1 $?
}
check "a sweep over unchanged files that hold personal data exits 1" quiet_unchanged_exits_1

text_report_of_unchanged() {
    line='^tree/orders.csv: 4 findings in 2 rows \(name 2, phone 2; unchanged since the last sweep\)$'
    "$PIISCAN_BIN" scan --summary --state state.db tree >text.out 2>&1
    expect_exit 1 $? || return 1
    has text.out "$line" 1 || return 1
    # Without --summary too: the findings were not read again, yet the data is there.
    "$PIISCAN_BIN" scan --state state.db tree >text2.out 2>&1
    expect_exit 1 $? || return 1
    has text2.out "$line" 1 && has text2.out '^tree/' 3
}
check "text report says which unchanged files hold personal data, with or without --summary" \
    text_report_of_unchanged

rules_change() {
    "$PIISCAN_BIN" scan --summary --format jsonl --types phone --state state.db tree >r.jsonl
    expect_exit 1 $? || return 1
    has r.jsonl '"status":"scanned"' 4
}
check "other --types rescan every file" rules_change

# --- changes: one edited, one deleted, one added ----------------------------------------------
"$PIISCAN_BIN" scan -q --state state.db tree # back to the default rules: the previous sweep
printf 'もう電話番号はありません\n' >tree/sub/memo.txt
rm tree/sub/gone.txt
printf 'メール taro.yamada@example.jp\n' >tree/new.txt

sweep3() {
    "$PIISCAN_BIN" scan --summary --format jsonl --state state.db tree >s3.jsonl 2>s3.err
    expect_exit 1 $? || return 1
    has s3.jsonl '"path":"tree/(orders.csv|sub/clean.txt)","status":"unchanged"' 2 &&
        has s3.jsonl '"path":"tree/(new.txt|sub/memo.txt)","status":"scanned"' 2 &&
        has s3.jsonl 'gone.txt' 0
}
check "sweep after changes reads only the new and changed files" sweep3

state_default() {
    "$PIISCAN_BIN" state --state state.db >st.txt 2>st.err
    expect_exit 1 $? || return 1
    [ ! -s st.err ] || { cat st.err; return 1; }
    has st.txt '^last sweep: [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8} to .*, 4 files: 2 scanned, 2 unchanged, 0 skipped, 0 failed; exit status 1$' 1 &&
        has st.txt '^2 files hold personal data \(1 new\); 2 resolved since the previous sweep$' 1 &&
        has st.txt '^tree/orders.csv: 4 findings in 2 rows \(name 2, phone 2\) since [0-9-]{10} [0-9:]{8}$' 1 &&
        has st.txt '^tree/new.txt: 1 finding in 1 row \(email 1\) since .*, new$' 1 &&
        has st.txt 'memo.txt|gone.txt|clean.txt' 0
}
check "state lists the files that hold personal data, since when, and which are new" state_default

state_new() {
    "$PIISCAN_BIN" state --state state.db --new >new.txt
    expect_exit 1 $? || return 1
    has new.txt '^tree/' 1 && has new.txt '^tree/new.txt: ' 1
}
check "state --new lists only what was found since the previous sweep" state_new

state_resolved() {
    "$PIISCAN_BIN" state --state state.db --resolved >res.txt
    expect_exit 1 $? || return 1
    has res.txt '^tree/' 2 &&
        has res.txt '^tree/sub/gone.txt: resolved .*: deleted$' 1 &&
        has res.txt '^tree/sub/memo.txt: resolved .*: no personal data found$' 1
}
check "state --resolved lists the deleted and the cleaned files" state_resolved

state_all_json() {
    "$PIISCAN_BIN" state --state state.db --all --format json >all.json
    expect_exit 1 $? || return 1
    has all.json '^\{"state_file":"state.db","last_sweep":\{"id":[0-9]+,"started":"[0-9-]{10}T[0-9:]{8}Z"' 1 &&
        has all.json '"holding":2,"new":1,"resolved":2,"files":\[$' 1 &&
        has all.json '^\{"path":"tree/orders.csv","state":"holds","new":false,"resolved":false,"since":"[^"]+Z",.*"findings":4,"rows":2,"by_type":\{"name":2,"phone":2\}\},?$' 1 &&
        has all.json '^\{"path":"tree/sub/clean.txt","state":"clean"' 1 &&
        has all.json '^\{"path":"tree/sub/gone.txt","state":"deleted","new":false,"resolved":true' 1 &&
        has all.json '^\]\}$' 1
}
check "state --all --format json has every file with its state and counts" state_all_json

state_clean_exits_0() {
    rm tree/orders.csv tree/new.txt
    "$PIISCAN_BIN" scan -q --state state.db tree
    expect_exit 0 $? || return 1
    "$PIISCAN_BIN" state --state state.db >clean.txt
    expect_exit 0 $? || return 1
    has clean.txt '^0 files hold personal data \(0 new\); 2 resolved since the previous sweep$' 1
}
check "once nothing holds personal data, scan and state exit 0" state_clean_exits_0

state_errors() {
    "$PIISCAN_BIN" state >/dev/null 2>e1.txt
    expect_exit 2 $? || return 1
    has e1.txt 'no state file' 1 || return 1
    "$PIISCAN_BIN" state --state missing.db >/dev/null 2>e2.txt
    expect_exit 2 $? || return 1
    has e2.txt '^piiscan: missing.db: cannot open the state file: No such file or directory$' 1 &&
        [ ! -e missing.db ] || return 1
    printf 'not a database, just text that is long enough to be read as one\n' >text.db
    "$PIISCAN_BIN" scan --state text.db tree >/dev/null 2>e3.txt
    expect_exit 2 $? || return 1
    has e3.txt '^piiscan: text.db: not a piiscan state file' 1
}
check "state without a state file, or with one that is not ours, exits 2" state_errors

# --- two sweeps at once ---------------------------------------------------------------------
# The first sweep blocks on a named pipe given as a PATH, with its lock held, until the pipe is
# written to; the second starts meanwhile.
two_at_once() {
    mkfifo pipe || return 1
    "$PIISCAN_BIN" scan -q --state busy.db pipe tree >first.out 2>first.err &
    first_pid=$!
    i=0
    until "$PIISCAN_BIN" state --state busy.db 2>&1 | grep -q 'is running'; do
        i=$((i + 1))
        [ "$i" -lt 100 ] || { echo "the first sweep never took the lock"; return 1; }
        sleep 0.1
    done
    "$PIISCAN_BIN" scan -q --state busy.db tree >second.out 2>second.err
    second=$?
    printf 'メール hanako@example.jp\n' >pipe
    wait "$first_pid"
    first=$?
    first_pid=
    expect_exit 2 "$second" || return 1
    has second.err "^piiscan: busy.db: another sweep is using this state file \\(pid [0-9]+, started .*\\); not starting a second one\$" 1 || return 1
    expect_exit 1 "$first" || { cat first.err; return 1; }
    # The pipe held the data, and a pipe is never recorded: the state holds none.
    "$PIISCAN_BIN" state --state busy.db >busy.txt
    expect_exit 0 $? || return 1
    has busy.txt 'files: 3 scanned, 0 unchanged' 1 && has busy.txt '^previous sweep: none$' 1
}
check "a second sweep on the same state file is refused with exit 2; the first ends well" two_at_once
[ -n "$first_pid" ] && kill "$first_pid" 2>/dev/null

# --- the progress line ------------------------------------------------------------------------
# About 8 MB of orders, so that the scan outlasts the first draws.
awk 'BEGIN { print "注文番号,氏名,電話番号,メモ"
             for (i = 0; i < 120000; i++) printf "A-%07d,山田 太郎,090-%04d-%04d,平日のみ配達のお願い\n", i, i % 9000 + 1000, i % 7000 + 2000 }' >big.csv

no_progress_off_terminal() {
    "$PIISCAN_BIN" scan --summary big.csv >/dev/null 2>p.err
    expect_exit 1 $? || return 1
    [ ! -s p.err ] || { echo "stderr is a file, yet:"; od -c p.err | head; return 1; }
}
check "no progress line when standard error is not a terminal" no_progress_off_terminal

# What the command writes to the terminal comes out on script's standard output.
if script -qec true /dev/null </dev/null >/dev/null 2>&1; then
    progress_on_terminal() {
        script -qec "$PIISCAN_BIN scan --summary big.csv >p.out; echo \"exit \$?\" >p.exit" \
            /dev/null </dev/null >tty.log 2>&1
        has p.exit '^exit 1$' 1 && has p.out '^big.csv: ' 1 || return 1
        # Drawn: "\rpiiscan: N/M+ files, X MB...\033[K" while the walk goes on, or "N/M
        # files, X/Y MB" once it has found every file; cleared at the end: "\r\033[K".
        tr '\r\033' '\n#' <tty.log >tty.txt
        has tty.txt '^piiscan: [0-9]+/[0-9]+\+? files, [0-9]+\.[0-9](/[0-9]+\.[0-9])? MB' &&
            has tty.txt '^#\[K$' || return 1
        last=$(tail -c 4 tty.log | od -An -c | tr -d ' ')
        [ "$last" = '\r033[K' ] || { echo "the line is not cleared at the end: $last"; return 1; }
    }
    check "on a terminal the progress line is drawn on stderr and cleared at the end" \
        progress_on_terminal

    progress_quiet() {
        script -qec "$PIISCAN_BIN scan -q big.csv" /dev/null </dev/null >tty2.log 2>&1
        [ ! -s tty2.log ] || { echo "-q on a terminal, yet:"; od -c tty2.log | head; return 1; }
    }
    check "with -q no progress line even on a terminal" progress_quiet
else
    skip "progress line on a terminal (script(1) cannot run here)"
    skip "no progress line with -q on a terminal"
fi

summary

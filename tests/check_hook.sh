#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# check_hook.sh - piiscan in git commits, end to end, in a temporary repository:
#   `piiscan hook install` writes a pre-commit hook that refuses a commit whose staged
#   content holds a phone number, with a masked report (the number itself never printed),
#   lets a clean commit through, scans what is staged rather than the work tree, obeys the
#   staged .piiscanignore, takes Japanese names and links, goes where core.hooksPath says,
#   and replaces a hook it did not write only with --force;
#   the entry of .pre-commit-hooks.yaml, run with the staged names as arguments the way the
#   pre-commit framework runs it (the framework itself is not needed), does the same.
# Needs git, PIISCAN_BIN and PIISCAN_SRCDIR; exits 77 (skipped) without git.

: "${PIISCAN_BIN:?PIISCAN_BIN is not set: run through make check}"
: "${PIISCAN_SRCDIR:?PIISCAN_SRCDIR is not set: run through make check}"
command -v git >/dev/null 2>&1 || {
    echo "SKIP: git is not installed"
    exit 77
}
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

make_work hook-test

# Only this repository's configuration: no user's or system's hooksPath, signing or hooks.
HOME=$work
GIT_CONFIG_NOSYSTEM=1
export HOME GIT_CONFIG_NOSYSTEM
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE PIISCAN
# The hooks run `piiscan` from PATH, as they would after make install.
bindir=$(cd "$(dirname "$PIISCAN_BIN")" && pwd) || exit 99
PATH=$bindir:$PATH
export PATH

# A failure shows what the command said.
fail_log=$work/out

phone=090-1234-5678
masked='090-\*\*\*\*-5678'
phone_csv() {
    printf '氏名,電話番号\n山田 太郎,%s\n' "$phone"
}
clean_csv() {
    printf '商品,数量\nりんご,3\n'
}

# new_repo NAME: an empty repository in $work/NAME, made the current directory.
new_repo() {
    cd "$work" && git init -q "$1" && cd "$1" &&
        git config user.name piiscan && git config user.email piiscan@localhost &&
        git config commit.gpgsign false || exit 99
}

# commits: the number of commits on the current branch.
commits() {
    git rev-list --count HEAD 2>/dev/null || echo 0
}

# try_commit MESSAGE: git commit, its output in $work/out; returns git's status.
try_commit() {
    git commit -q -m "$1" >"$work/out" 2>&1
}

# refused NAME WHAT: the last commit was refused, with the number masked and never in full.
refused() {
    if [ "$2" -eq 0 ]; then
        fail "$1: the commit went through"
    elif ! grep -q "$masked" "$work/out"; then
        fail "$1: no masked report"
    elif grep -q "$phone" "$work/out"; then
        fail "$1: the phone number was printed"
    elif ! grep -q 'commit refused' "$work/out"; then
        fail "$1: the hook did not say the commit was refused"
    else
        pass "$1"
    fi
}

# ---------------------------------------------------------------------------------------------
# piiscan hook install

new_repo plain
if ! piiscan hook install >"$work/out" 2>&1; then
    fail "hook install in a fresh repository"
elif [ ! -x .git/hooks/pre-commit ] || ! grep -q '^# piiscan pre-commit hook' .git/hooks/pre-commit; then
    fail "hook install: no executable piiscan hook in .git/hooks/pre-commit"
else
    pass "hook install writes .git/hooks/pre-commit"
fi

phone_csv >customers.csv
git add customers.csv
try_commit "customers"
refused "a staged CSV with a phone number is refused, masked" $?
[ "$(commits)" -eq 0 ] || fail "the refused commit was made anyway"

# The work tree is made clean, but the index still holds the number: refused all the same.
clean_csv >customers.csv
try_commit "customers, work tree cleaned"
refused "the staged content is scanned, not the work tree" $?

# The other way round: a clean file staged, a phone number only in the work tree.
git add customers.csv
phone_csv >customers.csv
if try_commit "clean staged"; then
    pass "a clean staged file commits, whatever the work tree holds"
else
    fail "a clean staged file was refused"
fi
git checkout -q customers.csv

clean_csv >stock.csv
git add stock.csv
if try_commit "stock" && [ "$(commits)" -eq 2 ]; then
    pass "a clean file commits"
else
    fail "a clean file was refused"
fi

# Staged .piiscanignore files apply: fake data under fixtures/ is allowed.
mkdir fixtures
phone_csv >fixtures/fake.csv
printf 'fixtures/\n' >.piiscanignore
git add .piiscanignore fixtures/fake.csv
if try_commit "fixtures"; then
    pass "the staged .piiscanignore lets listed fake data in"
else
    fail "a file listed in the staged .piiscanignore was refused"
fi

# A Japanese name with a space (git -z and piiscan -0 carry it as it is).
phone_csv >"顧客 一覧.csv"
git add "顧客 一覧.csv"
try_commit "japanese name"
status=$?
refused "a Japanese file name is scanned and refused" $status
if [ "$status" -ne 0 ] && ! grep -q '顧客 一覧.csv' "$work/out"; then
    fail "the report does not name 顧客 一覧.csv as it is"
fi
git rm -q --cached "顧客 一覧.csv" && rm -f "顧客 一覧.csv"

# A link pointing nowhere is committed as a link: the hook reads its target text only.
ln -s /nonexistent/secret.csv dangling
git add dangling
if try_commit "link"; then
    pass "a staged symbolic link commits without being followed"
else
    fail "a staged symbolic link was refused"
fi

# git commit -a stages what it commits into a temporary index; the hook sees that one.
phone_csv >stock.csv
git commit -q -a -m "commit -a" >"$work/out" 2>&1
refused "git commit -a is scanned too" $?
git checkout -q stock.csv

# A hook piiscan did not write is left alone, and replaced only with --force.
printf '#!/bin/sh\nexit 0\n' >.git/hooks/pre-commit
if piiscan hook install >"$work/out" 2>&1; then
    fail "hook install replaced a foreign hook without --force"
elif ! grep -q -- '--force' "$work/out" || ! grep -q '^exit 0' .git/hooks/pre-commit; then
    fail "hook install without --force: the foreign hook changed, or --force not suggested"
else
    pass "a foreign hook is kept without --force"
fi
if piiscan hook install --force >"$work/out" 2>&1 &&
    grep -q '^# piiscan pre-commit hook' .git/hooks/pre-commit &&
    grep -q '^exit 0' .git/hooks/pre-commit.before-piiscan; then
    pass "--force replaces a foreign hook and keeps it beside"
else
    fail "hook install --force"
fi
if piiscan hook install >"$work/out" 2>&1 && grep -q '^updated' "$work/out"; then
    pass "installing again updates piiscan's own hook"
else
    fail "installing over piiscan's own hook"
fi

# Options for scan after --: --types email leaves the phone number out, so the commit
# goes through.
piiscan hook install -- --types email >"$work/out" 2>&1 || fail "hook install -- --types email"
phone_csv >phones.csv
git add phones.csv
if try_commit "phones, types email"; then
    pass "scan options after -- are passed to the hook's scan"
else
    fail "the hook ignored the scan options given after --"
fi
piiscan hook install >/dev/null 2>&1

# ---------------------------------------------------------------------------------------------
# core.hooksPath

new_repo shared
git config core.hooksPath ci/hooks
mkdir sub
(cd sub && piiscan hook install >"$work/out" 2>&1)
if [ ! -x ci/hooks/pre-commit ] || [ -e .git/hooks/pre-commit ]; then
    fail "hook install does not follow core.hooksPath (run from a subdirectory)"
else
    phone_csv >sub/orders.csv
    git add sub/orders.csv
    try_commit "orders"
    refused "the hook installed in core.hooksPath refuses the commit" $?
fi

# ---------------------------------------------------------------------------------------------
# Outside a repository

mkdir "$work/norepo"
if (cd "$work/norepo" && GIT_CEILING_DIRECTORIES=$work piiscan hook install) >"$work/out" 2>&1; then
    fail "hook install outside a repository succeeded"
else
    pass "hook install outside a repository fails"
fi

# ---------------------------------------------------------------------------------------------
# .pre-commit-hooks.yaml, run the way the pre-commit framework runs a system hook: entry,
# then args, then the staged files' names, from the top of the work tree.

yaml=$PIISCAN_SRCDIR/.pre-commit-hooks.yaml
field() {
    sed -n "s/^ *-\{0,1\} *$1: *//p" "$yaml" | head -n 1
}
id=$(field id)
language=$(field language)
entry=$(field entry)
if [ "$id" != piiscan ] || [ "$language" != system ] || [ -z "$entry" ]; then
    fail ".pre-commit-hooks.yaml: id '$id', language '$language', entry '$entry'"
else
    pass ".pre-commit-hooks.yaml declares the piiscan hook (language: system)"
fi
case $(field pass_filenames) in
false) fail ".pre-commit-hooks.yaml: pass_filenames is false" ;;
esac

new_repo framework
phone_csv >orders.csv
clean_csv >stock.csv
git add orders.csv stock.csv
# shellcheck disable=SC2086 # entry is words, as the framework splits it
git diff --cached --name-only -z | xargs -0 $entry >"$work/out" 2>&1
status=$?
# xargs says 123 when the command exited 1 to 125.
if [ "$status" -ne 123 ] && [ "$status" -ne 1 ]; then
    fail "the entry on a staged phone number: exit $status, expected 1 (xargs: 123)"
elif ! grep -q "orders.csv:2:2: phone $masked" "$work/out" || grep -q "$phone" "$work/out"; then
    fail "the entry's report is not one masked finding in orders.csv"
else
    pass "the entry with staged names fails on personal data, masked"
fi
git rm -q --cached orders.csv
# shellcheck disable=SC2086
if git diff --cached --name-only -z | xargs -0 $entry >"$work/out" 2>&1; then
    pass "the entry with clean staged names succeeds"
else
    fail "the entry failed on a clean staged file"
fi

summary

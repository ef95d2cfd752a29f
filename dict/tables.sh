# shellcheck shell=sh
# SPDX-License-Identifier: BSD-3-Clause
#
# tables.sh - what the build-time compilers of dict/ share; compile.sh and trie_keys.sh source
# it. POSIX sh and awk only.
#
# dict_args USAGE ARG...: a compiler takes one argument, the directory of the tables, which
# goes to `dir`; else it prints "usage: $0 USAGE" on standard error and exits 2.
# dict_require DIR TABLE...: every TABLE of DIR can be read, or the compiler stops, naming it.
# The byte locale: awk's length() must count bytes and "<" must compare like strcmp.
# DICT_AWK_FAIL: the awk function fail(msg), which names the table and line being read, sets
# `failed` and stops; a program that has it starts its END block with
#     if (failed)
#         exit 1

dict_args() {
    if [ $# -ne 2 ]; then
        echo "usage: $0 $1" >&2
        exit 2
    fi
    # shellcheck disable=SC2034 # read by the script that sources this one
    dir=$2
}

dict_require() {
    dict_dir=$1
    shift
    for dict_table in "$@"; do
        if [ ! -r "$dict_dir/$dict_table" ]; then
            echo "$0: $dict_dir/$dict_table: cannot read" >&2
            exit 1
        fi
    done
}

LC_ALL=C
export LC_ALL

# shellcheck disable=SC2034 # read by the scripts that source this one
DICT_AWK_FAIL='
function fail(msg) {
    printf "%s: %s:%d: %s\n", prog, FILENAME, FNR, msg > "/dev/stderr"
    failed = 1
    exit 1
}
'

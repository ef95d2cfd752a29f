# shellcheck shell=sh
# SPDX-License-Identifier: BSD-3-Clause
#
# options.sh - the command line of the benchmark scripts (run.sh, accuracy.sh), which source
# it: each option sets the variable that its environment setting names, so both ways of
# setting a run agree.
#
# bench_options SPEC ARG...: SPEC is a list of OPTION=VARIABLE, an option whose value follows
# it (--mb=BENCH_MB: "--mb 7" sets BENCH_MB=7), or OPTION=VARIABLE=VALUE, an option without a
# value (--no-mecab=ACCURACY_MECAB=0). -h and --help print usage() and exit 0; an option
# without its value dies; anything else prints usage() on standard error and exits 2. The
# script defines usage() and die().

bench_options() {
    bench_spec=$1
    shift
    while [ $# -gt 0 ]; do
        case $1 in
        -h | --help)
            usage
            exit 0
            ;;
        esac
        bench_set=
        for bench_entry in $bench_spec; do
            [ "${bench_entry%%=*}" = "$1" ] && bench_set=${bench_entry#*=}
        done
        case $bench_set in
        '')
            usage >&2
            exit 2
            ;;
        *=*)
            eval "$bench_set"
            shift
            ;;
        *)
            [ $# -ge 2 ] || die "$1 needs a value"
            eval "$bench_set=\$2"
            shift 2
            ;;
        esac
    done
}

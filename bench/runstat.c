// SPDX-License-Identifier: BSD-3-Clause
/*
 * runstat: run one command and print its wall time, peak resident set size, exit status and CPU
 * time on one line,
 *   seconds=1.2345 maxrss_kb=5678 status=0 cpu=1.1000
 * so bench/run.sh needs neither /usr/bin/time (often not installed) nor a shell's `time`, whose
 * output format differs between shells. The command's stdout goes to -o FILE or /dev/null, so
 * writing the report to a terminal is not what gets measured; its stdin and stderr are inherited.
 * Peak RSS is the kernel's ru_maxrss of the waited-for child (Linux: KiB). status is the exit
 * status, 128 + N for a child killed by signal N (as shells report it), 127 when exec failed.
 * cpu is the child's user + system time in seconds.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void usage(FILE *to)
{
    fputs("usage: runstat [-o OUTFILE] -- CMD [ARGS...]\n"
          "Run CMD with its stdout sent to OUTFILE (default /dev/null) and print\n"
          "  seconds=S maxrss_kb=K status=N cpu=C\n"
          "with the wall time, the peak resident set size, the exit status and the\n"
          "CPU time (user + system).\n",
          to);
}

static double seconds_between(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/* In the child: point stdout at the output file, then become the command. Never returns. */
static void exec_child(const char *outfile, char **argv)
{
    int fd = open(outfile, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        fprintf(stderr, "runstat: %s: %s\n", outfile, strerror(errno));
        _exit(127);
    }
    if (dup2(fd, STDOUT_FILENO) < 0) {
        fprintf(stderr, "runstat: dup2: %s\n", strerror(errno));
        _exit(127);
    }
    execvp(argv[0], argv);
    fprintf(stderr, "runstat: %s: %s\n", argv[0], strerror(errno));
    _exit(127);
}

int main(int argc, char **argv)
{
    const char *outfile = "/dev/null";
    int opt;
    /* '+': options end at the command's name even without "--". */
    while ((opt = getopt(argc, argv, "+o:h")) != -1) {
        switch (opt) {
        case 'o':
            outfile = optarg;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return 2;
    }

    /* The report goes out after the child ends; flush now so the child inherits nothing. */
    fflush(stdout);
    struct timespec start;
    struct timespec end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "runstat: fork: %s\n", strerror(errno));
        return 2;
    }
    if (pid == 0)
        exec_child(outfile, argv + optind);

    int wstatus;
    struct rusage ru;
    pid_t got;
    do {
        got = wait4(pid, &wstatus, 0, &ru);
    } while (got < 0 && errno == EINTR);
    clock_gettime(CLOCK_MONOTONIC, &end);
    if (got < 0) {
        fprintf(stderr, "runstat: wait4: %s\n", strerror(errno));
        return 2;
    }

    int status;
    if (WIFEXITED(wstatus))
        status = WEXITSTATUS(wstatus);
    else if (WIFSIGNALED(wstatus))
        status = 128 + WTERMSIG(wstatus);
    else
        status = 255;
    /* cpu: user + system time of the child, which a machine busy with other work does not
     * inflate the way it does the wall time. */
    double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
                 (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
    printf("seconds=%.4f maxrss_kb=%ld status=%d cpu=%.4f\n", seconds_between(&start, &end),
           ru.ru_maxrss, status, cpu);
    return fflush(stdout) == 0 ? 0 : 2;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * main.c - the piiscan command: global options, then one subcommand from a table. Each
 * subcommand parses its own options and returns the exit status. Options after the command
 * name belong to the command, so global option parsing stops at the first word that is not
 * an option.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "progress.h"

static int cmd_help(int argc, char **argv);

static const struct command {
    const char *name;
    command_fn fn;
    const char *summary;
} commands[] = {
    {"scan", cmd_scan, "report findings"},
    {"redact", cmd_redact, "replace findings in place or in a copy"},
    {"people", cmd_people, "count the distinct people whose data the files hold"},
    {"state", cmd_state, "report what the sweeps of scan --state found"},
    {"hook", cmd_hook, "install a git pre-commit hook that scans staged files"},
    {"help", cmd_help, "show the help of a command"},
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

void cli_message(const char *path, const char *fmt, ...)
{
    va_list ap;
    progress_pause(); /* the progress line is erased first, and drawn again after */
    fflush(stdout);   /* keep the report and the messages in order on a shared terminal */
    if (path != NULL)
        fprintf(stderr, "%s: %s: ", PROGRAM_NAME, path);
    else
        fprintf(stderr, "%s: ", PROGRAM_NAME);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    putc('\n', stderr);
    progress_resume();
}

/* Makes getopt_long start over on a new argv. */
static void reset_getopt(void)
{
    /* 0 makes glibc and musl start over from argv[1] and forget a half-read option group. */
    optind = 0;
}

static void usage(FILE *fp)
{
    fputs("Usage: piiscan [--help] [--version] COMMAND [ARGS]\n"
          "Find Japanese personal data in CSV, TSV and text exports.\n"
          "\n"
          "Commands:\n",
          fp);
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(fp, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fputs("\n"
          "Run 'piiscan COMMAND --help' for the options of a command.\n",
          fp);
}

static int print_version(void)
{
#ifdef HAVE_CONFIG_H
    printf("%s %s (libpiiscan %s)\n", PROGRAM_NAME, PACKAGE_VERSION, piiscan_version_string());
#else
    printf("%s %s\n", PROGRAM_NAME, piiscan_version_string());
#endif
    return fflush(stdout) == 0 && !ferror(stdout) ? EXIT_CLEAN : EXIT_TROUBLE;
}

static const struct command *find_command(const char *name)
{
    for (size_t i = 0; i < NCOMMANDS; i++) {
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    }
    return NULL;
}

static int unknown_command(const char *name)
{
    cli_message(NULL, "unknown command '%s'", name);
    fputs("Run 'piiscan --help' for the list of commands.\n", stderr);
    return EXIT_TROUBLE;
}

/* Runs a command with its argv[0] set to "piiscan COMMAND", the name getopt_long puts in
 * front of its messages. */
static int run_command(const struct command *cmd, int argc, char **argv)
{
    char name[64];
    snprintf(name, sizeof name, "%s %s", PROGRAM_NAME, cmd->name);
    argv[0] = name;
    reset_getopt();
    return cmd->fn(argc, argv);
}

/* `piiscan help` prints the usage; `piiscan help COMMAND` the command's --help. */
static int cmd_help(int argc, char **argv)
{
    if (argc < 2) {
        usage(stdout);
        return fflush(stdout) == 0 && !ferror(stdout) ? EXIT_CLEAN : EXIT_TROUBLE;
    }
    const struct command *cmd = find_command(argv[1]);
    if (cmd == NULL)
        return unknown_command(argv[1]);
    char help[] = "--help";
    char *sub_argv[] = {NULL, help, NULL};
    return run_command(cmd, 2, sub_argv);
}

int main(int argc, char **argv)
{
    static const struct option options[] = {
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    static char program_name[] = PROGRAM_NAME;
    int c;

    if (argc > 0)
        argv[0] = program_name; /* getopt's messages say "piiscan:", however it was run */
    /* '+': stop at the command name; what follows it is the command's. */
    while ((c = getopt_long(argc, argv, "+hV", options, NULL)) != -1) {
        switch (c) {
        case 'h':
            usage(stdout);
            return fflush(stdout) == 0 && !ferror(stdout) ? EXIT_CLEAN : EXIT_TROUBLE;
        case 'V':
            return print_version();
        default:
            usage(stderr);
            return EXIT_TROUBLE;
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return EXIT_TROUBLE;
    }
    const struct command *cmd = find_command(argv[optind]);
    if (cmd == NULL)
        return unknown_command(argv[optind]);
    return run_command(cmd, argc - optind, argv + optind);
}

int print_usage_error(const char *usage, const char *command)
{
    fprintf(stderr, "%sTry 'piiscan %s --help' for more information.\n", usage, command);
    return EXIT_TROUBLE;
}

int print_help(const char *usage, const char *help)
{
    fputs(usage, stdout);
    fputs(help, stdout);
    return fflush(stdout) == 0 && !ferror(stdout) ? EXIT_CLEAN : EXIT_TROUBLE;
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cli_message_stub.h - the suites of CLI modules link cli_message_stub.c instead of main.c:
 * its cli_message() keeps the last message ("PATH: message", or the message alone without a
 * path) in test_cli_message, for the tests to read what the module said.
 */
#ifndef PIISCAN_TEST_CLI_MESSAGE_STUB_H
#define PIISCAN_TEST_CLI_MESSAGE_STUB_H

extern char test_cli_message[512];

#endif /* PIISCAN_TEST_CLI_MESSAGE_STUB_H */

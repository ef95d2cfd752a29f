/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_uri.c - file paths as the URIs of SARIF reports: relative references stay relative,
 * absolute paths become file: URIs, and every byte that could change the meaning of a
 * reference, or is not ASCII, is percent-encoded.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct uri_case {
    char label[48];
    char path[48];
    char uri[96];
};

ParameterizedTestParameters(uri, paths_become_uri_references)
{
    static struct uri_case cases[] = {
        {"plain relative path", "exports/orders.csv", "exports/orders.csv"},
        {"unreserved characters kept", "a-b_c.d~e", "a-b_c.d~e"},
        {"space", "my orders.csv", "my%20orders.csv"},
        {"percent sign", "100%.csv", "100%25.csv"},
        {"fragment and query marks", "a#b?c.csv", "a%23b%3Fc.csv"},
        {"colon, not a scheme", "c:orders.csv", "c%3Aorders.csv"},
        {"quote and backslash", "a\"b\\c", "a%22b%5Cc"},
        {"UTF-8 name, upper-case hex", "顧客.csv", "%E9%A1%A7%E5%AE%A2.csv"},
        {"CP932 bytes of a name", "\x8c\xda\x8b\x71.csv", "%8C%DA%8Bq.csv"},
        {"leading ./ dropped", "./a/b.csv", "a/b.csv"},
        {"repeated ./ dropped", "././/a.csv", "a.csv"},
        {"parent kept", "../a.csv", "../a.csv"},
        {"absolute path", "/srv/share/a b.csv", "file:///srv/share/a%20b.csv"},
        {"leading // is not a host", "//srv/a.csv", "file:///srv/a.csv"},
    };
    return cr_make_param_array(struct uri_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct uri_case *c, uri, paths_become_uri_references)
{
    char *uri = uri_of_path(c->path);
    cr_assert_not_null(uri);
    cr_expect_str_eq(uri, c->uri, "%s: [%s] is <%s>, not <%s>", c->label, c->path, c->uri, uri);
    free(uri);
}

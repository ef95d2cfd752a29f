/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_repeated_units.c - a CSV/TSV unit that repeats the same column of the record before
 * takes that record's candidates instead of being detected again (stream.c's unit memo).
 * Property checked: every record of a file gives exactly the findings it gives scanned alone,
 * whatever came before it, also when only its context or its column's meaning differs.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "piiscan.h"
#include "scan_helpers.h"

static piiscan_stream *st;
static test_findings got;

static void setup(void)
{
    test_scanner_setup();
    cr_assert_eq(piiscan_stream_new(test_scanner, test_collect, &got, &st), PIISCAN_OK);
}

static void teardown(void)
{
    piiscan_stream_free(st);
    test_findings_free(&got);
    test_scanner_teardown();
}

TestSuite(repeated_units, .init = setup, .fini = teardown);

/* The findings of UTF-8 CSV text, scanned with the suite's stream (reused, as a sweep does);
 * the caller frees them. */
static test_findings scan_text(const char *text)
{
    test_findings_clear(&got);
    piiscan_source src = {.name = "orders.csv"};
    int rc = test_feed(st, text, strlen(text), 0, &src);
    cr_assert_eq(rc, PIISCAN_OK, "scan of [%s]: %s", text, piiscan_stream_error(st)->text);
    return test_findings_take(&got);
}

/* Asserts that the findings of `rows[k]` within the file made of `header` and all rows are
 * those of a file made of `header` and rows[k] alone, moved to where the row sits. Returns
 * the number of findings of the file. */
static size_t assert_rows_as_alone(const char *header, const char *const *rows, size_t nrows)
{
    char file[4096];
    size_t len = (size_t)snprintf(file, sizeof file, "%s", header);
    size_t at[16];
    cr_assert_leq(nrows, sizeof at / sizeof at[0]);
    for (size_t k = 0; k < nrows; k++) {
        at[k] = len;
        len += (size_t)snprintf(file + len, sizeof file - len, "%s", rows[k]);
        cr_assert_lt(len, sizeof file, "the test file fits its buffer");
    }
    test_findings whole = scan_text(file);
    size_t next = 0; /* findings of `whole` are in row order */
    uint64_t header_lines = 0;
    for (const char *p = header; *p; p++)
        header_lines += *p == '\n';
    for (size_t k = 0; k < nrows; k++) {
        char alone_file[1024];
        snprintf(alone_file, sizeof alone_file, "%s%s", header, rows[k]);
        test_findings alone = scan_text(alone_file);
        size_t shift = at[k] - strlen(header);
        for (size_t i = 0; i < alone.n; i++, next++) {
            const test_finding *a = &alone.v[i];
            cr_assert_lt(next, whole.n, "row %zu [%s]: finding %zu (%s) is missing in the file", k,
                         rows[k], i, a->detector);
            const test_finding *w = &whole.v[next];
            cr_assert(w->type == a->type && w->start == a->start + shift &&
                          w->end == a->end + shift && w->line == a->line + k &&
                          w->field == a->field && w->confidence == a->confidence &&
                          strcmp(w->detector, a->detector) == 0,
                      "row %zu [%s]: finding %zu is %s %lu-%lu line %lu field %u %.2f in the "
                      "file, %s %lu-%lu line %lu field %u %.2f alone",
                      k, rows[k], i, w->detector, (unsigned long)w->start, (unsigned long)w->end,
                      (unsigned long)w->line, w->field, w->confidence, a->detector,
                      (unsigned long)(a->start + shift), (unsigned long)(a->end + shift),
                      (unsigned long)(a->line + k), a->field, a->confidence);
        }
        cr_assert(next == whole.n || whole.v[next].line > header_lines + k + 1,
                  "row %zu [%s]: the file reports more than the row alone (%s at line %lu)", k,
                  rows[k], whole.v[next].detector, (unsigned long)whole.v[next].line);
        test_findings_free(&alone);
    }
    cr_assert_eq(next, whole.n, "every finding of the file belongs to a row");
    test_findings_free(&whole);
    return next;
}

Test(repeated_units, an_order_of_several_items_repeats_its_customer_columns)
{
    const char *header = "注文番号,注文者姓,注文者名,郵便番号,住所,電話番号,メール,商品名\r\n";
    const char *rows[] = {
        "100-1,山田,太郎,150-0001,東京都渋谷区神宮前1-2-3,090-1234-5678,taro@example.jp,急須\r\n",
        "100-1,山田,太郎,150-0001,東京都渋谷区神宮前1-2-3,090-1234-5678,taro@example.jp,茶碗\r\n",
        "100-1,山田,太郎,150-0001,東京都渋谷区神宮前1-2-3,090-1234-5678,taro@example.jp,箸\r\n",
        "100-2,佐藤,花子,060-0001,北海道札幌市中央区北一条西2,011-222-3333,h@example.jp,箸\r\n",
        "100-3,山田,太郎,150-0001,東京都渋谷区神宮前1-2-3,090-1234-5678,taro@example.jp,急須\r\n",
    };
    size_t n = assert_rows_as_alone(header, rows, sizeof rows / sizeof rows[0]);
    cr_assert_eq(n, 5 * 6, "each row has its name (2), postal code, address, phone and e-mail");
}

/* Without a header the field before is a unit's context: the same number after 個人番号 is a
 * My Number, after 備考 it is not, however often it repeats. */
Test(repeated_units, a_repeated_field_after_another_field_is_weighed_in_its_own_context)
{
    const char *rows[] = {
        "個人番号,123456789018\r\n",
        "個人番号,123456789018\r\n",
        "備考,123456789018\r\n",
        "個人番号,123456789018\r\n",
    };
    size_t n = assert_rows_as_alone("", rows, sizeof rows / sizeof rows[0]);
    cr_assert_eq(n, 3, "the three numbers after 個人番号 are reported, not the one after 備考");
    test_findings whole = scan_text("個人番号,123456789018\r\n備考,123456789018\r\n");
    cr_assert_eq(whole.n, 1, "only the number after 個人番号 is reported, not the one after 備考");
    cr_assert_eq(whole.v[0].type, PIISCAN_TYPE_MY_NUMBER);
    cr_assert_eq(whole.v[0].line, 1);
    test_findings_free(&whole);
}

/* The same value in the same column of the next file, where the header gives the column
 * another meaning: a number that Excel stripped of its leading 0 is a phone number only in a
 * phone column. */
Test(repeated_units, the_next_input_weighs_a_repeated_value_by_its_own_header)
{
    test_findings phones = scan_text("電話番号,氏名\r\n9012345678,山田太郎\r\n");
    size_t n_phone = 0;
    for (size_t i = 0; i < phones.n; i++)
        n_phone += phones.v[i].type == PIISCAN_TYPE_PHONE;
    cr_assert_eq(n_phone, 1, "a stripped mobile number in a phone column is reported");
    test_findings counts = scan_text("数量,氏名\r\n9012345678,山田太郎\r\n");
    for (size_t i = 0; i < counts.n; i++)
        cr_assert_neq(counts.v[i].type, PIISCAN_TYPE_PHONE,
                      "the same digits in a 数量 column are no phone number");
    cr_assert_eq(counts.n, 1, "the name is still reported");
    test_findings_free(&phones);
    test_findings_free(&counts);
}

/* The same values quoted, unquoted, and with the comma moved into a quoted field: the context
 * bytes differ with the quotes, and each row gets what it gets alone. */
Test(repeated_units, quoting_that_moves_the_field_boundary_is_not_a_repeat)
{
    const char *rows[] = {
        "\"東京都渋谷区\",\"神宮前1-2-3 山田\"\r\n",
        "\"東京都渋谷区,神宮前1-2-3\",\"山田\"\r\n",
        "東京都渋谷区,神宮前1-2-3 山田\r\n",
        "\"東京都渋谷区\",\"神宮前1-2-3 山田\"\r\n",
    };
    size_t n = assert_rows_as_alone("住所,住所2\r\n", rows, sizeof rows / sizeof rows[0]);
    cr_assert_geq(n, 4, "every row has an address, or the test proves nothing");
}

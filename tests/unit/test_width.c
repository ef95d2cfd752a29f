/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_width.c - how wide text shows in a Japanese spreadsheet, for the columns of the
 * report workbook: full-width characters two columns, half-width ones one, marks none.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <string.h>

#include "cli.h"

struct width_case {
    char label[48];
    char text[48];
    size_t width;
};

ParameterizedTestParameters(width, text_takes_its_display_width)
{
    static struct width_case cases[] = {
        {"ASCII", "orders.csv", 10},
        {"kanji", "東京都", 6},
        {"hiragana and katakana", "やまだヤマダ", 12},
        {"half-width katakana", "ﾔﾏﾀﾞ", 4},
        {"full-width digits and letters", "０９０ＡＢ", 10},
        {"full-width asterisk of masks", "山＊*＊＊", 9},
        {"mixed header", "顧客ID", 6},
        {"ideographic space", "山田　太郎", 10},
        {"circled digit and reference mark", "①※", 4},
        {"Greek as Japanese fonts draw it", "αβ", 4},
        {"accented Latin letters", "café", 4},
        {"combining dakuten adds nothing", "か\xE3\x82\x99", 2},
        {"control characters add nothing", "a\tb", 2},
        {"invalid bytes count one each", "a\x83\x8c", 3},
        {"kanji beyond the BMP", "𠮷", 2},
        {"empty", "", 0},
    };
    return cr_make_param_array(struct width_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct width_case *c, width, text_takes_its_display_width)
{
    size_t w = text_width(c->text, strlen(c->text));
    cr_expect_eq(w, c->width, "%s: [%s] is %zu columns wide, not %zu", c->label, c->text, c->width,
                 w);
}

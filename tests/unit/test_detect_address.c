/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_detect_address.c - Japanese addresses: every combined shape the issue lists is found
 * from the prefecture (or municipality, or town) to the room, each part of a split layout is
 * found through its column, and place names that are no one's address are not.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "detect_helpers.h"

TestSuite(detect_address);

/* The address detector alone: it keeps no compiled state, so the suite needs no set-up. */
static const struct pii_detector *const address = &pii_detector_address;

ParameterizedTestParameters(detect_address, every_written_shape_is_found_to_the_room)
{
    static struct detect_evidence_case cases[] = {
        {"full address with postal code, building and room",
         "〒106-0032 東京都港区六本木１丁目２番３号 コーポ森 101号室",
         "東京都港区六本木１丁目２番３号 コーポ森 101号室", PII_COL_NONE, "address/dict"},
        {"dashed block numbers", "東京都港区六本木1-2-3", "東京都港区六本木1-2-3", PII_COL_NONE,
         "address/dict"},
        {"in a sentence: the room ends the span", "住所を東京都港区六本木1-2-3 コーポ森101号に変更",
         "東京都港区六本木1-2-3 コーポ森101号", PII_COL_NONE, "address/dict"},
        {"a building named without a building word, then its room",
         "港区六本木1-2-3 ステラ光ヶ丘 205", "港区六本木1-2-3 ステラ光ヶ丘 205", PII_COL_NONE,
         "address/dict"},
        {"a building name with its room glued on", "港区六本木1-2-3 フォレスト欅台406",
         "港区六本木1-2-3 フォレスト欅台406", PII_COL_NONE, "address/dict"},
        {"without the prefecture", "港区六本木1-2-3", "港区六本木1-2-3", PII_COL_NONE,
         "address/dict"},
        {"chome and dashes", "東京都港区六本木1丁目2-3", "東京都港区六本木1丁目2-3", PII_COL_NONE,
         "address/dict"},
        {"kanji numerals", "東京都港区六本木一丁目二番三号", "東京都港区六本木一丁目二番三号",
         PII_COL_NONE, "address/dict"},
        {"full-width numerals and dashes", "東京都港区六本木１－２－３",
         "東京都港区六本木１－２－３", PII_COL_NONE, "address/dict"},
        {"town and chome alone", "六本木一丁目", "六本木一丁目", PII_COL_NONE, "address/town"},
        {"town and block numbers alone", "六本木1-2-3", "六本木1-2-3", PII_COL_NONE,
         "address/town"},
        {"banchi", "長野県松本市大字里山辺123番地", "長野県松本市大字里山辺123番地", PII_COL_NONE,
         "address/dict"},
        {"aza and a bare number", "北海道虻田郡倶知安町字山田123", "北海道虻田郡倶知安町字山田123",
         PII_COL_NONE, "address/dict"},
        {"county, village and number", "長野県北安曇郡白馬村北城1234",
         "長野県北安曇郡白馬村北城1234", PII_COL_NONE, "address/dict"},
        {"Kyoto agaru", "京都府京都市中京区烏丸通三条上ル場之町123",
         "京都府京都市中京区烏丸通三条上ル場之町123", PII_COL_NONE, "address/dict"},
        {"Kyoto higashi-iru without a number", "京都市下京区四条通烏丸東入長刀鉾町",
         "京都市下京区四条通烏丸東入長刀鉾町", PII_COL_NONE, "address/dict"},
        {"Kyoto nishi-iru", "京都市中京区二条通柳馬場西入ル", "京都市中京区二条通柳馬場西入ル",
         PII_COL_NONE, "address/dict"},
        {"Kyoto sagaru", "京都市下京区烏丸通四条下ル水銀屋町620",
         "京都市下京区烏丸通四条下ル水銀屋町620", PII_COL_NONE, "address/dict"},
        {"Hokkaido jo and chome", "北海道札幌市中央区北一条西2丁目1",
         "北海道札幌市中央区北一条西2丁目1", PII_COL_NONE, "address/dict"},
        {"building and room number", "港区六本木1-2-3 六本木ハイツ 305",
         "港区六本木1-2-3 六本木ハイツ 305", PII_COL_NONE, "address/dict"},
        {"in a sentence", "住所は東京都港区六本木1-2-3です", "東京都港区六本木1-2-3", PII_COL_NONE,
         "address/dict"},
        {"address column", "〒106-0032 東京都港区六本木1-2-3", "東京都港区六本木1-2-3",
         PII_COL_ADDRESS, "address/column"},
        {"city column", "港区", "港区", PII_COL_CITY, "address/column"},
        {"street column", "六本木1-2-3", "六本木1-2-3", PII_COL_STREET, "address/column"},
        {"street column without numbers", "六本木", "六本木", PII_COL_STREET, "address/column"},
        {"building column", "コーポ森 101号室", "コーポ森 101号室", PII_COL_BUILDING,
         "address/column"},
    };
    return cr_make_param_array(struct detect_evidence_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct detect_evidence_case *p, detect_address,
                  every_written_shape_is_found_to_the_room)
{
    detect_expect_one(p->label, NULL, p->input, (enum pii_column)p->column, address,
                      PIISCAN_TYPE_ADDRESS, p->expected, p->evidence);
}

struct not_address_case {
    char label[64];
    char input[128];
    int column;
};

ParameterizedTestParameters(detect_address, places_that_are_no_ones_address_are_not_reported)
{
    static struct not_address_case cases[] = {
        {"an origin", "北海道産", PII_COL_NONE},
        {"an origin in a product name", "北海道産じゃがいも 10kg", PII_COL_NONE},
        {"a prefecture and city as origin", "長野県松本市産りんご 5kg", PII_COL_NONE},
        {"prefectural police", "京都府警", PII_COL_NONE},
        {"a licence line", "東京都公安委員会許可 第301号", PII_COL_NONE},
        {"a station", "新宿駅", PII_COL_NONE},
        {"a station and a distance", "東京駅から徒歩5分", PII_COL_NONE},
        {"a city in a description", "松本市の美しい風景をお届けします", PII_COL_NONE},
        {"a prefecture and city alone", "東京都港区", PII_COL_NONE},
        {"a prefecture column", "東京都", PII_COL_PREFECTURE},
        {"a prefecture alone", "東京都", PII_COL_NONE},
        {"a number with a counter", "第301号", PII_COL_NONE},
        {"a date", "2024-01-02", PII_COL_NONE},
    };
    return cr_make_param_array(struct not_address_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct not_address_case *p, detect_address,
                  places_that_are_no_ones_address_are_not_reported)
{
    detect_expect_none(p->label, NULL, p->input, (enum pii_column)p->column, address,
                       DETECT_THRESHOLD, "is no one's address");
}

Test(detect_address, building_and_room_alone_is_a_weak_candidate)
{
    /* A split building column read without its header: too little to report alone. */
    struct detect_run r = {0};
    detect_unit(&r, NULL, "コーポ森 101号室", PII_COL_NONE, address, DETECT_UNSCORED);
    const pii_candidate *c = detect_find(&r, PIISCAN_TYPE_ADDRESS);
    cr_assert_not_null(c, "コーポ森 101号室 is a candidate; got %s", detect_describe(&r));
    cr_expect(c->confidence > 0.0 && c->confidence < DETECT_THRESHOLD,
              "below the threshold alone; got %s", detect_describe(&r));
    cr_expect_str_eq(c->detector, "address/building", "evidence of a building word and a room");
    detect_free(&r);
}

Test(detect_address, municipality_alone_is_a_weak_candidate)
{
    struct detect_run r = {0};
    detect_unit(&r, NULL, "港区", PII_COL_NONE, address, DETECT_UNSCORED);
    const pii_candidate *c = detect_find(&r, PIISCAN_TYPE_ADDRESS);
    cr_assert_not_null(c, "港区 is a candidate; got %s", detect_describe(&r));
    cr_expect(c->confidence < DETECT_THRESHOLD, "below the threshold alone; got %s",
              detect_describe(&r));
    detect_free(&r);
}

Test(detect_address, masked_or_tokenised_address_field_is_not_found_again)
{
    /* A partial mask keeps the prefecture and municipality, which identify no one: a scan of
     * the redacted file finds nothing at the replaced place. */
    detect_expect_none("partial mask", NULL, "東京都渋谷区＊＊＊＊*-**-*", PII_COL_ADDRESS, address,
                       DETECT_THRESHOLD, "is no address");
    detect_expect_none("token", NULL, "ADR_bdfghjklmnpqrstw", PII_COL_ADDRESS, address,
                       DETECT_THRESHOLD, "is no address");
}

Test(detect_address, postal_code_before_the_address_stays_outside_its_span)
{
    struct detect_run r = {0};
    const char *text = "〒106-0032 東京都港区六本木1-2-3";
    detect_unit(&r, NULL, text, PII_COL_NONE, address, DETECT_THRESHOLD);
    cr_assert_eq(r.found.len, 1, "one address; got %s", detect_describe(&r));
    size_t s;
    size_t e;
    detect_input_span(&r, &r.found.v[0], &s, &e);
    cr_expect_geq(s, strlen("〒106-0032 "), "the span starts after the postal code; got %s",
                  detect_describe(&r));
    detect_free(&r);
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_link.c - record linking: a shared strong identifier or the same name at the same
 * address make one person; a name alone, an address alone, a common surname in one building
 * and a shop's number in every row do not.
 */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "link.h"

static struct linker *lk;

static void open_linker(void)
{
    lk = linker_new();
    cr_assert_not_null(lk, "a new linker");
}

static void close_linker(void)
{
    linker_free(lk);
}

TestSuite(link, .init = open_linker, .fini = close_linker);

/* Keys stand for fingerprint prefixes: any distinct non-zero numbers do. */
enum {
    PHONE_A = 101,
    PHONE_B,
    PHONE_SHOP,
    EMAIL_A = 201,
    YAMADA_TARO = 301,
    YAMADA_HANAKO,
    YAMADA = 303,
    READING_TARO = 351,
    ADDR_A = 401,
    ADDR_B,
    ADDR_ROOM_101,
    ADDR_ROOM_102
};

static uint32_t add(uint64_t phone, uint64_t email, uint64_t name, uint64_t reading,
                    uint64_t address)
{
    struct mention m = {.name = name, .reading = reading, .address = address};
    if (phone != 0)
        m.strong[m.nstrong++] = phone;
    if (email != 0)
        m.strong[m.nstrong++] = email;
    uint32_t id = UINT32_MAX;
    int rc = linker_add(lk, &m, &id);
    cr_assert_eq(rc, 1, "a mention with a name or strong identifier is a person's");
    return id;
}

static bool same(uint32_t a, uint32_t b)
{
    return linker_find(lk, a) == linker_find(lk, b);
}

Test(link, shared_phone_links_across_forms_of_the_name)
{
    uint32_t a = add(PHONE_A, 0, YAMADA_TARO, 0, ADDR_A);
    uint32_t b = add(PHONE_A, 0, 0, READING_TARO, 0);
    uint32_t c = add(0, EMAIL_A, YAMADA_TARO, 0, 0);
    uint32_t d = add(PHONE_A, EMAIL_A, 0, 0, 0);
    cr_assert_eq(linker_finish(lk), 0);
    cr_expect(same(a, b), "the same phone in two exports is one person");
    cr_expect(same(a, c), "linked through the record that holds phone and e-mail");
    cr_expect(same(c, d));
    cr_expect_eq(linker_people(lk), 1, "four records, one person");
}

Test(link, name_alone_does_not_link)
{
    uint32_t a = add(PHONE_A, 0, YAMADA_TARO, 0, 0);
    uint32_t b = add(PHONE_B, 0, YAMADA_TARO, 0, 0);
    cr_assert_eq(linker_finish(lk), 0);
    cr_expect(!same(a, b), "two 山田太郎 with different phones are two people");
    cr_expect_eq(linker_people(lk), 2);
}

Test(link, name_with_address_links_and_address_alone_does_not)
{
    uint32_t a = add(PHONE_A, 0, YAMADA_TARO, 0, ADDR_A);
    uint32_t b = add(0, EMAIL_A, YAMADA_TARO, 0, ADDR_A);
    uint32_t c = add(PHONE_B, 0, YAMADA_HANAKO, 0, ADDR_A);
    uint32_t d = add(0, 0, 0, READING_TARO, ADDR_A);
    uint32_t e = add(0, 0, 0, READING_TARO, ADDR_A);
    cr_assert_eq(linker_finish(lk), 0);
    cr_expect(same(a, b), "the same name at the same address is one person");
    cr_expect(!same(a, c), "another name at the same address is someone else (a family)");
    cr_expect(same(d, e), "the same reading at the same address is one person");
    cr_expect(!same(a, d), "a reading and a kanji name are two keys: nothing joins them here");
}

Test(link, common_surname_in_one_building_is_not_merged)
{
    /* 山田様 in two flats of one building: the canonical address keeps the rooms apart. */
    uint32_t a = add(0, 0, YAMADA, 0, ADDR_ROOM_101);
    uint32_t b = add(0, 0, YAMADA, 0, ADDR_ROOM_102);
    uint32_t c = add(PHONE_A, 0, YAMADA, 0, 0);
    uint32_t d = add(PHONE_B, 0, YAMADA, 0, 0);
    cr_assert_eq(linker_finish(lk), 0);
    cr_expect(!same(a, b), "same surname, same building, other room");
    cr_expect(!same(c, d), "same surname, different phones");
    cr_expect_eq(linker_people(lk), 4);
}

Test(link, shop_phone_in_every_row_does_not_merge_everyone)
{
    /* A carrier export: each row is another customer, with the shop's number beside them. */
    uint32_t ids[LINK_SHARED_NAMES * 3];
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
        ids[i] = add(PHONE_SHOP, 0, 1000 + i, 0, 2000 + i);
    uint32_t again = add(0, 0, 1000, 0, 2000); /* the first customer again, by name and place */
    cr_assert_eq(linker_finish(lk), 0);
    cr_expect(linker_is_shared(lk, PHONE_SHOP), "a number seen with %d names is shared",
              LINK_SHARED_NAMES * 3);
    cr_expect(!same(ids[0], ids[1]), "two customers stay two");
    cr_expect(same(ids[0], again), "name with address still links");
    cr_expect_eq(linker_people(lk), sizeof ids / sizeof ids[0], "one person per customer");
}

Test(link, household_phone_with_few_names_still_links)
{
    uint32_t ids[LINK_SHARED_NAMES];
    for (size_t i = 0; i < LINK_SHARED_NAMES; i++)
        ids[i] = add(PHONE_A, 0, 1000 + i % 3, 0, 0); /* three names, many orders */
    cr_assert_eq(linker_finish(lk), 0);
    cr_expect(!linker_is_shared(lk, PHONE_A), "three names is a household, not a shop");
    cr_expect(same(ids[0], ids[LINK_SHARED_NAMES - 1]));
}

Test(link, mention_without_name_or_strong_identifier_is_no_one)
{
    struct mention m = {.address = ADDR_B};
    uint32_t id = 12345;
    cr_expect_eq(linker_add(lk, &m, &id), 0, "an address alone is no person");
    cr_expect_eq(id, 12345, "no id given");
    cr_assert_eq(linker_finish(lk), 0);
    cr_expect_eq(linker_records(lk), 0);
    cr_expect_eq(linker_people(lk), 0);
}

Test(link, many_records_grow_the_tables_and_keep_links)
{
    /* 200,000 people, each in two records (phone; then e-mail and phone): past every growth. */
    const uint32_t n = 200000;
    for (uint32_t i = 0; i < n; i++)
        add(1000000 + i, 0, 0, 0, 0);
    for (uint32_t i = 0; i < n; i++)
        add(1000000 + i, 5000000 + i, 0, 0, 0);
    cr_assert_eq(linker_finish(lk), 0);
    cr_expect_eq(linker_records(lk), 2 * n);
    cr_expect_eq(linker_people(lk), n, "each pair is one person");
    cr_expect(same(17, n + 17));
    cr_expect(!same(17, 18));
}

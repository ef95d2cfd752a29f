// SPDX-License-Identifier: BSD-3-Clause
/*
 * gen_orders: a synthetic Japanese online-shop order export (a Rakuten-RMS-like CSV) in UTF-8 on
 * stdout, as the benchmark corpus. Every name, address, phone number and e-mail is made up from
 * the tables below; postal codes are real and match the prefecture, city and town written next
 * to them, and landline numbers use that city's area code, so the values look like a real export.
 * The same seed and size always give the same bytes (splitmix64, no libc randomness, no clock).
 * Leaves out: half-width kana (they would make the CP932 size count inexact) and any character
 * that CP932 cannot encode, so `| iconv -t CP932` never fails.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Large writes keep the generator far faster than iconv and piiscan behind it. */
#define OUT_BYTES (1u << 20)
/* One order (up to 3 item rows) is far below this; it is the slack past OUT_BYTES. */
#define ORDER_BYTES (64u << 10)

struct name {
    const char *kanji;
    const char *kana; /* 読み仮名 in katakana, as the カナ columns hold it */
    const char *roman;
};

static const struct name surnames[] = {
    {"佐藤", "サトウ", "sato"},
    {"鈴木", "スズキ", "suzuki"},
    {"高橋", "タカハシ", "takahashi"},
    {"田中", "タナカ", "tanaka"},
    {"伊藤", "イトウ", "ito"},
    {"渡辺", "ワタナベ", "watanabe"},
    {"山本", "ヤマモト", "yamamoto"},
    {"中村", "ナカムラ", "nakamura"},
    {"小林", "コバヤシ", "kobayashi"},
    {"加藤", "カトウ", "kato"},
    {"吉田", "ヨシダ", "yoshida"},
    {"山田", "ヤマダ", "yamada"},
    {"佐々木", "ササキ", "sasaki"},
    {"山口", "ヤマグチ", "yamaguchi"},
    {"松本", "マツモト", "matsumoto"},
    {"井上", "イノウエ", "inoue"},
    {"木村", "キムラ", "kimura"},
    {"林", "ハヤシ", "hayashi"},
    {"斎藤", "サイトウ", "saito"},
    {"清水", "シミズ", "shimizu"},
    {"山崎", "ヤマザキ", "yamazaki"},
    {"森", "モリ", "mori"},
    {"池田", "イケダ", "ikeda"},
    {"橋本", "ハシモト", "hashimoto"},
    {"阿部", "アベ", "abe"},
    {"石川", "イシカワ", "ishikawa"},
    {"山下", "ヤマシタ", "yamashita"},
    {"中島", "ナカジマ", "nakajima"},
    {"石井", "イシイ", "ishii"},
    {"小川", "オガワ", "ogawa"},
    {"前田", "マエダ", "maeda"},
    {"岡田", "オカダ", "okada"},
    {"長谷川", "ハセガワ", "hasegawa"},
    {"藤田", "フジタ", "fujita"},
    {"後藤", "ゴトウ", "goto"},
    {"近藤", "コンドウ", "kondo"},
    {"村上", "ムラカミ", "murakami"},
    {"遠藤", "エンドウ", "endo"},
    {"青木", "アオキ", "aoki"},
    {"坂本", "サカモト", "sakamoto"},
    {"斉藤", "サイトウ", "saito"},
    {"福田", "フクダ", "fukuda"},
    {"太田", "オオタ", "ota"},
    {"西村", "ニシムラ", "nishimura"},
    {"藤井", "フジイ", "fujii"},
    {"金子", "カネコ", "kaneko"},
    {"岡本", "オカモト", "okamoto"},
    {"藤原", "フジワラ", "fujiwara"},
    {"中野", "ナカノ", "nakano"},
    {"三浦", "ミウラ", "miura"},
    {"原田", "ハラダ", "harada"},
    {"中川", "ナカガワ", "nakagawa"},
    {"松田", "マツダ", "matsuda"},
    {"竹内", "タケウチ", "takeuchi"},
    {"小野", "オノ", "ono"},
    {"田村", "タムラ", "tamura"},
    {"中山", "ナカヤマ", "nakayama"},
    {"和田", "ワダ", "wada"},
    {"石田", "イシダ", "ishida"},
    {"森田", "モリタ", "morita"},
    {"上田", "ウエダ", "ueda"},
    {"原", "ハラ", "hara"},
    {"内田", "ウチダ", "uchida"},
    {"柴田", "シバタ", "shibata"},
    {"酒井", "サカイ", "sakai"},
    {"宮崎", "ミヤザキ", "miyazaki"},
    {"横山", "ヨコヤマ", "yokoyama"},
    {"高木", "タカギ", "takagi"},
    {"安藤", "アンドウ", "ando"},
    {"宮本", "ミヤモト", "miyamoto"},
    {"大野", "オオノ", "ono"},
    {"小島", "コジマ", "kojima"},
    {"谷口", "タニグチ", "taniguchi"},
    {"今井", "イマイ", "imai"},
    {"工藤", "クドウ", "kudo"},
    {"高田", "タカダ", "takada"},
    {"増田", "マスダ", "masuda"},
    {"丸山", "マルヤマ", "maruyama"},
    {"杉山", "スギヤマ", "sugiyama"},
    {"村田", "ムラタ", "murata"},
    {"大塚", "オオツカ", "otsuka"},
    {"新井", "アライ", "arai"},
    {"小山", "コヤマ", "koyama"},
    {"平野", "ヒラノ", "hirano"},
    {"藤本", "フジモト", "fujimoto"},
    {"河野", "コウノ", "kono"},
    {"上野", "ウエノ", "ueno"},
    {"野口", "ノグチ", "noguchi"},
    {"武田", "タケダ", "takeda"},
    {"松井", "マツイ", "matsui"},
    {"千葉", "チバ", "chiba"},
    {"岩崎", "イワサキ", "iwasaki"},
    {"菅原", "スガワラ", "sugawara"},
    {"木下", "キノシタ", "kinoshita"},
    {"久保", "クボ", "kubo"},
    {"佐野", "サノ", "sano"},
    {"野村", "ノムラ", "nomura"},
    {"松尾", "マツオ", "matsuo"},
    {"菊地", "キクチ", "kikuchi"},
    {"杉本", "スギモト", "sugimoto"},
    {"市川", "イチカワ", "ichikawa"},
    {"五十嵐", "イガラシ", "igarashi"},
    {"服部", "ハットリ", "hattori"},
    {"東", "アズマ", "azuma"},
    {"望月", "モチヅキ", "mochizuki"},
    {"大久保", "オオクボ", "okubo"},
};

static const struct name given_names[] = {
    {"太郎", "タロウ", "taro"},
    {"一郎", "イチロウ", "ichiro"},
    {"健太", "ケンタ", "kenta"},
    {"翔太", "ショウタ", "shota"},
    {"大輔", "ダイスケ", "daisuke"},
    {"拓也", "タクヤ", "takuya"},
    {"直樹", "ナオキ", "naoki"},
    {"誠", "マコト", "makoto"},
    {"浩", "ヒロシ", "hiroshi"},
    {"隆", "タカシ", "takashi"},
    {"健一", "ケンイチ", "kenichi"},
    {"和也", "カズヤ", "kazuya"},
    {"達也", "タツヤ", "tatsuya"},
    {"翔", "ショウ", "sho"},
    {"蓮", "レン", "ren"},
    {"大翔", "ヒロト", "hiroto"},
    {"悠真", "ユウマ", "yuma"},
    {"陽翔", "ハルト", "haruto"},
    {"湊", "ミナト", "minato"},
    {"樹", "イツキ", "itsuki"},
    {"大樹", "ダイキ", "daiki"},
    {"涼太", "リョウタ", "ryota"},
    {"亮", "リョウ", "ryo"},
    {"修", "オサム", "osamu"},
    {"茂", "シゲル", "shigeru"},
    {"稔", "ミノル", "minoru"},
    {"清", "キヨシ", "kiyoshi"},
    {"博之", "ヒロユキ", "hiroyuki"},
    {"康弘", "ヤスヒロ", "yasuhiro"},
    {"正人", "マサト", "masato"},
    {"雄一", "ユウイチ", "yuichi"},
    {"俊介", "シュンスケ", "shunsuke"},
    {"慎也", "シンヤ", "shinya"},
    {"剛", "ツヨシ", "tsuyoshi"},
    {"哲也", "テツヤ", "tetsuya"},
    {"秀樹", "ヒデキ", "hideki"},
    {"智之", "トモユキ", "tomoyuki"},
    {"陸", "リク", "riku"},
    {"颯太", "ソウタ", "sota"},
    {"悠斗", "ユウト", "yuto"},
    {"優太", "ユウタ", "yuta"},
    {"健二", "ケンジ", "kenji"},
    {"裕介", "ユウスケ", "yusuke"},
    {"勇気", "ユウキ", "yuki"},
    {"光", "ヒカル", "hikaru"},
    {"豊", "ユタカ", "yutaka"},
    {"昭", "アキラ", "akira"},
    {"勝", "マサル", "masaru"},
    {"進", "ススム", "susumu"},
    {"学", "マナブ", "manabu"},
    {"花子", "ハナコ", "hanako"},
    {"陽子", "ヨウコ", "yoko"},
    {"恵子", "ケイコ", "keiko"},
    {"幸子", "サチコ", "sachiko"},
    {"裕子", "ユウコ", "yuko"},
    {"直美", "ナオミ", "naomi"},
    {"美穂", "ミホ", "miho"},
    {"愛", "アイ", "ai"},
    {"彩", "アヤ", "aya"},
    {"舞", "マイ", "mai"},
    {"麻衣", "マイ", "mai"},
    {"由美", "ユミ", "yumi"},
    {"真由美", "マユミ", "mayumi"},
    {"久美子", "クミコ", "kumiko"},
    {"智子", "トモコ", "tomoko"},
    {"明美", "アケミ", "akemi"},
    {"香織", "カオリ", "kaori"},
    {"美咲", "ミサキ", "misaki"},
    {"陽菜", "ヒナ", "hina"},
    {"結衣", "ユイ", "yui"},
    {"さくら", "サクラ", "sakura"},
    {"凛", "リン", "rin"},
    {"葵", "アオイ", "aoi"},
    {"結菜", "ユイナ", "yuina"},
    {"芽依", "メイ", "mei"},
    {"美月", "ミヅキ", "mizuki"},
    {"杏", "アン", "an"},
    {"紬", "ツムギ", "tsumugi"},
    {"莉子", "リコ", "riko"},
    {"千尋", "チヒロ", "chihiro"},
    {"優子", "ユウコ", "yuko"},
    {"亜希子", "アキコ", "akiko"},
    {"奈々", "ナナ", "nana"},
    {"沙織", "サオリ", "saori"},
    {"瞳", "ヒトミ", "hitomi"},
    {"遥", "ハルカ", "haruka"},
    {"綾香", "アヤカ", "ayaka"},
    {"真央", "マオ", "mao"},
    {"千夏", "チナツ", "chinatsu"},
    {"京子", "キョウコ", "kyoko"},
    {"洋子", "ヨウコ", "yoko"},
    {"和子", "カズコ", "kazuko"},
    {"節子", "セツコ", "setsuko"},
    {"典子", "ノリコ", "noriko"},
    {"由香", "ユカ", "yuka"},
    {"絵里", "エリ", "eri"},
    {"麻美", "アサミ", "asami"},
    {"理恵", "リエ", "rie"},
    {"望", "ノゾミ", "nozomi"},
    {"ひかり", "ヒカリ", "hikari"},
};

struct place {
    const char *postal;     /* 郵便番号, 7 digits; each checked against the national table */
    const char *prefecture; /* 都道府県 */
    const char *city;       /* 市区町村 */
    const char *town;       /* 町域 */
    const char *area_code;  /* 市外局番 of the city, with the trunk 0 */
};

static const struct place places[] = {
    {"1000005", "東京都", "千代田区", "丸の内", "03"},
    {"1000014", "東京都", "千代田区", "永田町", "03"},
    {"1010021", "東京都", "千代田区", "外神田", "03"},
    {"1020083", "東京都", "千代田区", "麹町", "03"},
    {"1030027", "東京都", "中央区", "日本橋", "03"},
    {"1040061", "東京都", "中央区", "銀座", "03"},
    {"1050011", "東京都", "港区", "芝公園", "03"},
    {"1060032", "東京都", "港区", "六本木", "03"},
    {"1070052", "東京都", "港区", "赤坂", "03"},
    {"1080075", "東京都", "港区", "港南", "03"},
    {"1500001", "東京都", "渋谷区", "神宮前", "03"},
    {"1500002", "東京都", "渋谷区", "渋谷", "03"},
    {"1600022", "東京都", "新宿区", "新宿", "03"},
    {"1600023", "東京都", "新宿区", "西新宿", "03"},
    {"1700013", "東京都", "豊島区", "東池袋", "03"},
    {"1100005", "東京都", "台東区", "上野", "03"},
    {"1310045", "東京都", "墨田区", "押上", "03"},
    {"1350064", "東京都", "江東区", "青海", "03"},
    {"1540004", "東京都", "世田谷区", "太子堂", "03"},
    {"1800004", "東京都", "武蔵野市", "吉祥寺本町", "0422"},
    {"1920083", "東京都", "八王子市", "旭町", "042"},
    {"2200012", "神奈川県", "横浜市西区", "みなとみらい", "045"},
    {"2310023", "神奈川県", "横浜市中区", "山下町", "045"},
    {"2100007", "神奈川県", "川崎市川崎区", "駅前本町", "044"},
    {"2480006", "神奈川県", "鎌倉市", "小町", "0467"},
    {"3300853", "埼玉県", "さいたま市大宮区", "錦町", "048"},
    {"2600013", "千葉県", "千葉市中央区", "中央", "043"},
    {"2790031", "千葉県", "浦安市", "舞浜", "047"},
    {"0600001", "北海道", "札幌市中央区", "北一条西", "011"},
    {"0600042", "北海道", "札幌市中央区", "大通西", "011"},
    {"0400063", "北海道", "函館市", "若松町", "0138"},
    {"9800021", "宮城県", "仙台市青葉区", "中央", "022"},
    {"9800811", "宮城県", "仙台市青葉区", "一番町", "022"},
    {"4500002", "愛知県", "名古屋市中村区", "名駅", "052"},
    {"4600008", "愛知県", "名古屋市中区", "栄", "052"},
    {"5300001", "大阪府", "大阪市北区", "梅田", "06"},
    {"5420076", "大阪府", "大阪市中央区", "難波", "06"},
    {"5410041", "大阪府", "大阪市中央区", "北浜", "06"},
    {"5450052", "大阪府", "大阪市阿倍野区", "阿倍野筋", "06"},
    {"6008216", "京都府", "京都市下京区", "東塩小路町", "075"},
    {"6050073", "京都府", "京都市東山区", "祇園町北側", "075"},
    {"6500001", "兵庫県", "神戸市中央区", "加納町", "078"},
    {"6500044", "兵庫県", "神戸市中央区", "東川崎町", "078"},
    {"7300011", "広島県", "広島市中区", "基町", "082"},
    {"7000024", "岡山県", "岡山市北区", "駅元町", "086"},
    {"8100001", "福岡県", "福岡市中央区", "天神", "092"},
    {"8120012", "福岡県", "福岡市博多区", "博多駅中央街", "092"},
    {"8600806", "熊本県", "熊本市中央区", "花畑町", "096"},
    {"8900053", "鹿児島県", "鹿児島市", "中央町", "099"},
    {"9000006", "沖縄県", "那覇市", "おもろまち", "098"},
    {"9200031", "石川県", "金沢市", "広岡", "076"},
    {"9500086", "新潟県", "新潟市中央区", "花園", "025"},
    {"4200851", "静岡県", "静岡市葵区", "黒金町", "054"},
    {"7600019", "香川県", "高松市", "サンポート", "087"},
    {"7900001", "愛媛県", "松山市", "一番町", "089"},
};

static const char *const building_heads[] = {
    "グランド", "パーク",     "サン",         "ロイヤル",   "シティ",   "リバー",
    "ベル",     "クレスト",   "エスポワール", "ライオンズ", "プラウド", "ルミエール",
    "アーバン", "フォレスト", "さくら",       "みどり",
};

static const char *const building_tails[] = {
    "メゾン",     "ハイツ", "コーポ", "レジデンス", "タワー", "ハイム",
    "マンション", "コート", "テラス", "ヴィラ",     "荘",     "ビル",
};

struct product {
    const char *name; /* a comma or a quote in it makes the field quoted */
    const char *code; /* 商品番号 as the shop assigned it */
    unsigned price_yen;
};

static const struct product products[] = {
    {"山田錦 純米大吟醸 720ml", "sake-yamadanishiki-720", 5500},
    {"北海道産 じゃがいも 5kg", "hokkaido-potato-5kg", 2480},
    {"新潟県産 コシヒカリ 10kg 令和4年産", "niigata-koshihikari-10", 4980},
    {"静岡県産 深蒸し煎茶 100g×3袋", "shizuoka-sencha-3p", 2160},
    {"宇治抹茶 50g 缶入り", "uji-matcha-50", 1620},
    {"鹿児島県産 黒豚しゃぶしゃぶセット 600g", "kurobuta-shabu-600", 5980},
    {"博多明太子 無着色 500g", "mentaiko-500", 3980},
    {"北海道 いくら醤油漬け 250g", "ikura-250", 4280},
    {"愛媛県産 温州みかん 5kg", "ehime-mikan-5kg", 2980},
    {"青森県産 ふじりんご 10kg 訳あり", "aomori-fuji-10kg", 5400},
    {"山形県産 さくらんぼ 佐藤錦 500g", "sakuranbo-sato-500", 6480},
    {"夕張メロン 2玉 化粧箱", "yubari-melon-2", 8800},
    {"讃岐うどん 10人前 つゆ付き", "sanuki-udon-10", 1980},
    {"信州そば 乾麺 200g×10袋", "shinshu-soba-10", 2580},
    {"今治タオル フェイスタオル 3枚組", "imabari-face-3", 2750},
    {"南部鉄器 急須 0.6L", "nanbu-kyusu-06", 8250},
    {"有田焼 マグカップ ペア", "arita-mug-pair", 4400},
    {"九谷焼 湯呑み 夫婦セット", "kutani-yunomi-2", 3300},
    {"【送料無料】国産 うなぎ蒲焼 2尾", "unagi-kabayaki-2", 6980},
    {"【ギフト】\"極み\" 黒毛和牛 すき焼き用 500g", "wagyu-sukiyaki-500", 10800},
    {"こだわりのドリップコーヒー 10袋入", "drip-coffee-10", 1280},
    {"有機 ルイボスティー 30包", "rooibos-30", 1480},
    {"国産 はちみつ 500g", "honey-500", 2680},
    {"京都 宇治 ほうじ茶 ティーバッグ 20袋", "hojicha-tb-20", 1080},
    {"北海道 生チョコレート 詰め合わせ", "namachoco-set", 2160},
    {"ミネラルウォーター 2L×6本", "water-2l-6", 980},
    {"洗濯洗剤 詰め替え 1.5kg", "detergent-refill-15", 1280},
    {"加湿器 スチーム式 4.5L ホワイト", "humidifier-45-wh", 12800},
    {"ワイヤレスイヤホン Bluetooth5.3 ブラック", "earphone-bt53-bk", 3980},
    {"USB-C 充電ケーブル 1m 2本セット", "usbc-cable-1m-2", 1280},
    {"モバイルバッテリー 10000mAh", "battery-10000", 2980},
    {"スマホケース 手帳型, ネイビー", "case-notebook-nv", 1980},
    {"ステンレス ボトル 500ml", "bottle-500", 2480},
    {"綿100% Tシャツ メンズ Lサイズ", "tshirt-cotton-l", 1990},
    {"キッズ スニーカー 19cm", "kids-sneaker-19", 3490},
    {"ヨガマット 厚さ10mm", "yogamat-10", 2480},
    {"電気ケトル 1.0L", "kettle-10", 3980},
    {"土鍋 8号 3～4人用", "donabe-8", 4980},
    {"羽毛布団 シングル ダウン90%", "down-single-90", 19800},
    {"炭酸水 500ml×24本", "soda-500-24", 1980},
};

static const char *const mail_domains[] = {
    "example.jp",  "example.com", "example.co.jp",   "example.ne.jp",
    "example.net", "example.org", "mail.example.jp", "mobile.example.ne.jp",
};

/* Shop IDs: the first part of an RMS order number (店舗ID-注文日-連番). */
static const unsigned shop_ids[] = {382930, 214385, 100472, 331107};

static const char *const kanji_digits[] = {"〇", "一", "二", "三", "四",
                                           "五", "六", "七", "八", "九"};

static const char header[] =
    "注文番号,注文日時,注文者姓,注文者名,注文者姓カナ,注文者名カナ,注文者郵便番号,注文者住所,"
    "注文者電話番号,注文者メールアドレス,送付先姓,送付先名,送付先郵便番号,送付先住所,"
    "送付先電話番号,"
    "商品名,商品番号,単価,個数,お荷物伝票番号\r\n";

/* ------------------------------------------------------------------------------------------- */
/* Randomness: splitmix64 alone is fast and well-distributed enough for picking table rows. */

static uint64_t rng_state;

static uint64_t next64(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* A number in [0, n): the multiply-shift map; its bias (< n / 2^32) does not matter here. */
static unsigned below(unsigned n)
{
    return (unsigned)(((next64() >> 32) * (uint64_t)n) >> 32);
}

/* True with probability percent / 100. */
static bool chance(unsigned percent)
{
    return below(100) < percent;
}

static unsigned between(unsigned lo, unsigned hi)
{
    return lo + below(hi - lo + 1);
}

/* ------------------------------------------------------------------------------------------- */
/* Writers: each appends at p and returns the new end; the caller guarantees the room. */

static char *put_bytes(char *p, const char *s, size_t n)
{
    memcpy(p, s, n);
    return p + n;
}

static char *put(char *p, const char *s)
{
    return put_bytes(p, s, strlen(s));
}

static char *put_char(char *p, char c)
{
    *p = c;
    return p + 1;
}

/* v in decimal, zero-padded to width digits (width 0: no padding). */
static char *put_uint(char *p, uint64_t v, unsigned width)
{
    char tmp[24];
    unsigned n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    while (n < width && n < sizeof tmp)
        tmp[n++] = '0';
    while (n > 0)
        *p++ = tmp[--n];
    return p;
}

/* One ASCII digit or '-' as its full-width form (U+FF10..U+FF19, U+FF0D), 3 bytes in UTF-8. */
static char *put_wide(char *p, char c)
{
    *p++ = (char)0xef;
    *p++ = (char)0xbc;
    *p++ = c == '-' ? (char)0x8d : (char)(0x90 + (c - '0'));
    return p;
}

/* An ASCII string of digits and '-' with every character made full-width. */
static char *put_wide_str(char *p, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p = put_wide(p, s[i]);
    return p;
}

/* A CSV field, quoted (RFC 4180: inner quotes doubled) only when it has to be, as exporters do. */
static char *put_field(char *p, const char *s, size_t n)
{
    if (memchr(s, ',', n) == NULL && memchr(s, '"', n) == NULL && memchr(s, '\n', n) == NULL) {
        memcpy(p, s, n);
        return p + n;
    }
    *p++ = '"';
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            *p++ = '"';
        *p++ = s[i];
    }
    *p++ = '"';
    return p;
}

/* ------------------------------------------------------------------------------------------- */
/* Values */

/* 2022-01-01 as days since 1970-01-01. */
#define EPOCH_DAYS 18993

/* Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's civil_from_days). */
static void civil_from_days(int64_t z, unsigned *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (unsigned)(yoe + era * 400) + (*m <= 2);
}

struct stamp {
    unsigned year, month, day, hour, minute, second;
};

static struct stamp stamp_from(uint64_t seconds)
{
    struct stamp s;
    civil_from_days(EPOCH_DAYS + (int64_t)(seconds / 86400), &s.year, &s.month, &s.day);
    s.hour = (unsigned)(seconds % 86400 / 3600);
    s.minute = (unsigned)(seconds % 3600 / 60);
    s.second = (unsigned)(seconds % 60);
    return s;
}

/* 注文番号: shop ID, order date, 10-digit sequence, e.g. 382930-20220705-0123456789. */
static char *put_order_number(char *p, const struct stamp *s)
{
    p = put_uint(p, shop_ids[below(COUNT(shop_ids))], 6);
    p = put_char(p, '-');
    p = put_uint(p, s->year * 10000u + s->month * 100u + s->day, 8);
    p = put_char(p, '-');
    return put_uint(p, (uint64_t)below(100000) * 100000u + below(100000), 10);
}

static char *put_stamp(char *p, const struct stamp *s)
{
    p = put_uint(p, s->year, 4);
    p = put_char(p, '-');
    p = put_uint(p, s->month, 2);
    p = put_char(p, '-');
    p = put_uint(p, s->day, 2);
    p = put_char(p, ' ');
    p = put_uint(p, s->hour, 2);
    p = put_char(p, ':');
    p = put_uint(p, s->minute, 2);
    p = put_char(p, ':');
    return put_uint(p, s->second, 2);
}

/* 郵便番号 as people type it: mostly 106-0032, also bare, with 〒, or full-width. */
static char *put_postal(char *p, const char *postal)
{
    char dashed[8];
    memcpy(dashed, postal, 3);
    dashed[3] = '-';
    memcpy(dashed + 4, postal + 3, 4);
    unsigned style = below(100);
    if (style < 65)
        return put_bytes(p, dashed, 8);
    if (style < 90)
        return put_bytes(p, postal, 7);
    if (style < 95)
        return put_bytes(put(p, "〒"), dashed, 8);
    return put_wide_str(p, dashed, 8);
}

/* A phone number: digits, and the lengths of its three groups as written with dashes. */
struct phone {
    char digits[12];
    unsigned group[3];
};

static void random_digits(char *d, unsigned n)
{
    /* A local exchange never starts with 0 or 1, or it would read as a trunk or service code. */
    d[0] = (char)('2' + below(8));
    for (unsigned i = 1; i < n; i++)
        d[i] = (char)('0' + below(10));
}

static struct phone make_phone(const struct place *pl)
{
    struct phone ph;
    if (chance(60)) {
        static const char *const mobile[] = {"090", "080", "070"};
        memcpy(ph.digits, mobile[below(COUNT(mobile))], 3);
        ph.group[0] = 3;
        ph.group[1] = 4;
    } else {
        size_t n = strlen(pl->area_code);
        memcpy(ph.digits, pl->area_code, n);
        ph.group[0] = (unsigned)n;
        ph.group[1] = 6 - (unsigned)n; /* 10 digits in all: 03-xxxx, 011-xxx, 0467-xx */
    }
    ph.group[2] = 4;
    random_digits(ph.digits + ph.group[0], ph.group[1] + ph.group[2]);
    return ph;
}

/* The three groups with a character after the first and the second: 090-1234-5678, 03(1234)5678. */
static char *put_grouped(char *p, const struct phone *ph, char after_first, char after_second)
{
    const char *d = ph->digits;
    p = put_bytes(p, d, ph->group[0]);
    p = put_char(p, after_first);
    p = put_bytes(p, d + ph->group[0], ph->group[1]);
    p = put_char(p, after_second);
    return put_bytes(p, d + ph->group[0] + ph->group[1], ph->group[2]);
}

/* The forms seen in order data: dashed, bare, parenthesised, spaced, and full-width. */
static char *put_phone(char *p, const struct phone *ph)
{
    unsigned a = ph->group[0];
    unsigned b = ph->group[1];
    unsigned c = ph->group[2];
    unsigned style = below(100);
    if (style < 45)
        return put_grouped(p, ph, '-', '-');
    if (style < 70)
        return put_bytes(p, ph->digits, a + b + c);
    if (style < 77)
        return put_grouped(p, ph, '(', ')');
    if (style < 80)
        return put_grouped(put_char(p, '('), ph, ')', '-');
    if (style < 85)
        return put_grouped(p, ph, ' ', ' ');
    if (style < 95) {
        char ascii[16];
        char *e = put_grouped(ascii, ph, '-', '-');
        return put_wide_str(p, ascii, (size_t)(e - ascii));
    }
    return put_wide_str(p, ph->digits, a + b + c);
}

/* 1-2-3: chome, ban and go in ASCII digits. */
static char *put_dashed_number(char *p, unsigned chome, unsigned ban, unsigned go)
{
    p = put_uint(p, chome, 0);
    p = put_char(p, '-');
    p = put_uint(p, ban, 0);
    p = put_char(p, '-');
    return put_uint(p, go, 0);
}

/* The street number after the town: 1-2-3, １－２－３, 1丁目2-3, 1丁目2番3号, 六丁目10番1号, or
 * 1-2. */
static char *put_street_number(char *p)
{
    unsigned chome = between(1, 9);
    unsigned ban = between(1, 30);
    unsigned go = between(1, 25);
    unsigned style = below(100);
    if (style < 50)
        return put_dashed_number(p, chome, ban, go);
    if (style < 65) {
        char ascii[16];
        char *e = put_dashed_number(ascii, chome, ban, go);
        return put_wide_str(p, ascii, (size_t)(e - ascii));
    }
    if (style < 75) {
        p = put_uint(p, chome, 0);
        p = put(p, "丁目");
        p = put_uint(p, ban, 0);
        p = put_char(p, '-');
        return put_uint(p, go, 0);
    }
    if (style < 95) {
        p = style < 90 ? put_uint(p, chome, 0) : put(p, kanji_digits[chome]);
        p = put(p, "丁目");
        p = put_uint(p, ban, 0);
        p = put(p, "番");
        p = put_uint(p, go, 0);
        return put(p, "号");
    }
    p = put_uint(p, chome, 0);
    p = put_char(p, '-');
    return put_uint(p, ban, 0);
}

/* 住所: prefecture (sometimes left out) + city + town + number, and a building and room in 4 of
 * 10; the separator before the building is sometimes ", " (so the field gets quoted) and rarely
 * a line break, as when a form's second address line is exported inside the quotes. */
static char *put_address(char *p, const struct place *pl)
{
    char tmp[512];
    char *t = tmp;
    if (!chance(5))
        t = put(t, pl->prefecture);
    t = put(t, pl->city);
    t = put(t, pl->town);
    t = put_street_number(t);
    if (chance(40)) {
        unsigned sep = below(1000);
        /* Below 300: no separator at all, the building name runs on from the number. */
        if (sep >= 300 && sep < 600)
            t = put_char(t, ' ');
        else if (sep < 800)
            t = put(t, "　");
        else if (sep < 995)
            t = put(t, ", ");
        else
            t = put_char(t, '\n');
        t = put(t, building_heads[below(COUNT(building_heads))]);
        t = put(t, building_tails[below(COUNT(building_tails))]);
        unsigned room = between(1, 15) * 100 + between(1, 10);
        unsigned form = below(3);
        if (form == 0) {
            t = put_char(t, ' ');
            t = put_uint(t, room, 0);
            t = put(t, "号室");
        } else if (form == 1) {
            t = put_uint(t, room, 0);
        } else {
            t = put(t, "　");
            t = put_uint(t, room, 0);
        }
    }
    return put_field(p, tmp, (size_t)(t - tmp));
}

/* An e-mail address made from the person's name, at an example domain. */
static char *put_email(char *p, const struct name *sur, const struct name *given)
{
    unsigned style = below(5);
    if (style == 0) {
        p = put(p, given->roman);
        p = put_char(p, '.');
        p = put(p, sur->roman);
        if (chance(50))
            p = put_uint(p, below(100), 2);
    } else if (style == 1) {
        p = put(p, sur->roman);
        p = put_char(p, '_');
        p = put(p, given->roman);
    } else if (style == 2) {
        p = put(p, given->roman);
        p = put_uint(p, between(1955, 2005), 4);
    } else if (style == 3) {
        p = put_char(p, given->roman[0]);
        p = put_char(p, '.');
        p = put(p, sur->roman);
    } else {
        p = put(p, sur->roman);
        p = put_uint(p, below(1000), 3);
    }
    p = put_char(p, '@');
    return put(p, mail_domains[below(COUNT(mail_domains))]);
}

/* ------------------------------------------------------------------------------------------- */
/* Orders */

/* A person's columns, written once: a recipient who is the buyer repeats them byte for byte. */
struct person {
    const struct name *sur;
    const struct name *given;
    char postal[32];
    char address[1100]; /* the quoted field: at most 2 * 512 + 2 bytes */
    char phone[64];
    size_t postal_len;
    size_t address_len;
    size_t phone_len;
};

static void make_person(struct person *ps)
{
    ps->sur = &surnames[below(COUNT(surnames))];
    ps->given = &given_names[below(COUNT(given_names))];
    const struct place *pl = &places[below(COUNT(places))];
    ps->postal_len = (size_t)(put_postal(ps->postal, pl->postal) - ps->postal);
    ps->address_len = (size_t)(put_address(ps->address, pl) - ps->address);
    struct phone ph = make_phone(pl);
    ps->phone_len = (size_t)(put_phone(ps->phone, &ph) - ps->phone);
}

/* One order: its customer and recipient columns once, then a row per item (1 to 3 items),
 * each repeating them as RMS exports do. Returns the end of what was written. */
static char *put_order(char *p, uint64_t seconds)
{
    struct stamp st = stamp_from(seconds);
    struct person buyer;
    struct person gift;
    const struct person *to = &buyer;
    make_person(&buyer);
    if (chance(30)) {
        /* A gift: another person, often of the same family name. */
        make_person(&gift);
        if (chance(30))
            gift.sur = buyer.sur;
        to = &gift;
    }

    char *row = p;
    p = put_order_number(p, &st);
    p = put_char(p, ',');
    p = put_stamp(p, &st);
    p = put_char(p, ',');
    p = put(p, buyer.sur->kanji);
    p = put_char(p, ',');
    p = put(p, buyer.given->kanji);
    p = put_char(p, ',');
    p = put(p, buyer.sur->kana);
    p = put_char(p, ',');
    p = put(p, buyer.given->kana);
    p = put_char(p, ',');
    p = put_bytes(p, buyer.postal, buyer.postal_len);
    p = put_char(p, ',');
    p = put_bytes(p, buyer.address, buyer.address_len);
    p = put_char(p, ',');
    p = put_bytes(p, buyer.phone, buyer.phone_len);
    p = put_char(p, ',');
    p = put_email(p, buyer.sur, buyer.given);
    p = put_char(p, ',');
    p = put(p, to->sur->kanji);
    p = put_char(p, ',');
    p = put(p, to->given->kanji);
    p = put_char(p, ',');
    p = put_bytes(p, to->postal, to->postal_len);
    p = put_char(p, ',');
    p = put_bytes(p, to->address, to->address_len);
    p = put_char(p, ',');
    p = put_bytes(p, to->phone, to->phone_len);
    p = put_char(p, ',');
    size_t prefix_len = (size_t)(p - row);

    /* お荷物伝票番号: 12 digits once shipped, empty before. */
    uint64_t tracking = 0;
    bool is_shipped = chance(85);
    if (is_shipped)
        tracking = (uint64_t)between(100000, 999999) * 1000000u + below(1000000);

    unsigned items = below(10) < 7 ? 1 : below(3) < 2 ? 2 : 3;
    unsigned first = below(COUNT(products));
    for (unsigned i = 0; i < items; i++) {
        if (i > 0)
            p = put_bytes(p, row, prefix_len);
        const struct product *pr = &products[(first + i * 7) % COUNT(products)];
        p = put_field(p, pr->name, strlen(pr->name));
        p = put_char(p, ',');
        p = put(p, pr->code);
        p = put_char(p, ',');
        p = put_uint(p, pr->price_yen, 0);
        p = put_char(p, ',');
        unsigned qty = below(100);
        p = put_uint(p, qty < 75 ? 1 : qty < 90 ? 2 : between(3, 5), 0);
        p = put_char(p, ',');
        if (is_shipped)
            p = put_uint(p, tracking, 12);
        p = put(p, "\r\n");
    }
    return p;
}

/* The size of UTF-8 text once converted to CP932. Every character used here that is not ASCII
 * is a JIS X 0208 character, two bytes in CP932: the 2-byte UTF-8 ones (×) keep their size and
 * the 3-byte ones (lead byte 0xE0 or above; there are no 4-byte ones) lose a byte. */
static uint64_t cp932_bytes(const char *s, size_t n)
{
    uint64_t three_byte = 0;
    for (size_t i = 0; i < n; i++)
        three_byte += (unsigned char)s[i] >= 0xe0;
    return n - three_byte;
}

static int write_all(const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(STDOUT_FILENO, buf, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

static void usage(FILE *to)
{
    fputs("usage: gen_orders [-m MB] [-s SEED] [-c]\n"
          "Write a synthetic Japanese shop order export (CSV, UTF-8, CRLF) to stdout.\n"
          "  -m, --megabytes MB  stop after the row that reaches MB MiB (default 10)\n"
          "  -s, --seed SEED     seed of the generator; same seed, same bytes (default 42)\n"
          "  -c, --cp932-size    measure the size as the text would be in CP932, for\n"
          "                      `gen_orders -c -m 200 | iconv -f UTF-8 -t CP932`\n"
          "  -h, --help          show this help\n",
          to);
}

static bool parse_u64(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    if (*s == '-' || *s == '\0')
        return false;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0')
        return false;
    *out = v;
    return true;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"megabytes", required_argument, NULL, 'm'},
        {"seed", required_argument, NULL, 's'},
        {"cp932-size", no_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    uint64_t megabytes = 10;
    uint64_t seed = 42;
    bool is_cp932_size = false;
    int opt;
    while ((opt = getopt_long(argc, argv, "m:s:ch", longopts, NULL)) != -1) {
        switch (opt) {
        case 'm':
            if (!parse_u64(optarg, &megabytes) || megabytes > (UINT64_MAX >> 21)) {
                fprintf(stderr, "gen_orders: -m: not a size in MiB: %s\n", optarg);
                return 2;
            }
            break;
        case 's':
            if (!parse_u64(optarg, &seed)) {
                fprintf(stderr, "gen_orders: -s: not a non-negative integer: %s\n", optarg);
                return 2;
            }
            break;
        case 'c':
            is_cp932_size = true;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (optind != argc) {
        usage(stderr);
        return 2;
    }

    int rc = 1;
    char *buf = malloc(OUT_BYTES + ORDER_BYTES);
    if (buf == NULL) {
        fputs("gen_orders: out of memory\n", stderr);
        goto cleanup;
    }
    rng_state = seed;
    uint64_t target = megabytes << 20;
    size_t len = (size_t)(put(buf, header) - buf);
    uint64_t total = is_cp932_size ? cp932_bytes(buf, len) : len;
    uint64_t seconds = 0;
    while (total < target) {
        /* Orders arrive on average every two minutes, so the dates move through the years. */
        seconds += between(1, 239);
        char *start = buf + len;
        char *end = put_order(start, seconds);
        size_t n = (size_t)(end - start);
        len += n;
        total += is_cp932_size ? cp932_bytes(start, n) : n;
        if (len >= OUT_BYTES) {
            if (write_all(buf, len) != 0)
                goto write_error;
            len = 0;
        }
    }
    if (write_all(buf, len) != 0)
        goto write_error;
    rc = 0;
    goto cleanup;
write_error:
    fprintf(stderr, "gen_orders: write: %s\n", strerror(errno));
cleanup:
    free(buf);
    return rc;
}

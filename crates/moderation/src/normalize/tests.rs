use proptest::prelude::*;

use super::*;

fn norm(text: &str) -> String {
    Normalized::new(text).as_str().to_owned()
}

/// The original text behind the first occurrence of `needle` in the
/// normalized text.
fn original_of<'a>(original: &'a str, needle: &str) -> &'a str {
    let n = Normalized::new(original);
    let pos = n
        .as_str()
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in {:?}", n.as_str()));
    &original[n.original_range(pos..pos + needle.len())]
}

#[test]
fn folds_case_width_and_invisibles() {
    assert_eq!(norm("ＦＲＥＥ\u{200B}Usdt"), "freeusdt");
    assert_eq!(
        norm("f\u{200C}r\u{200D}e\u{2060}e\u{FEFF} u\u{00AD}s\u{202E}d\u{2066}t"),
        "free usdt"
    );
    assert_eq!(norm("fr\u{FE0F}ee\u{180E}"), "free");
}

#[test]
fn maps_back_to_original_bytes() {
    let original = "Ｈi 加微信";
    let n = Normalized::new(original);
    let pos = n.as_str().find("微信").unwrap();
    let range = n.original_range(pos..pos + "微信".len());
    assert_eq!(&original[range], "微信");
    let range = n.original_range(0..1);
    assert_eq!(&original[range], "Ｈ");
}

#[test]
fn styled_letters_become_plain() {
    for styled in [
        "ＦＲＥＥ",
        "𝐅𝐑𝐄𝐄",
        "𝔽ℝ𝔼𝔼",
        "𝓕𝓡𝓔𝓔",
        "Ⓕⓡⓔⓔ",
        "🅵🆁🅴🅴",
        "🅕🅡🅔🅔",
        "⒡⒭⒠⒠",
        "ꜰʀᴇᴇ",
        "ƒŗéè",
        "F\u{0336}R\u{0336}E\u{0336}E\u{0336}",
        "f\u{0301}\u{0316}r\u{0334}e\u{0352}\u{0489}e\u{1DC4}",
    ] {
        assert_eq!(norm(styled), "free", "{styled}");
    }
    assert_eq!(norm("①③⑧ １３８ 𝟏𝟑𝟖 1\u{FE0F}\u{20E3}"), "138 138 138 1");
    assert_eq!(norm("⑴⒉"), "12");
    assert_eq!(norm("Straße STRASSE"), "strasse strasse");
    assert_eq!(norm("ΣΟΦΟΣ σοφος"), "σοφοσ σοφοσ");
}

#[test]
fn cyrillic_keeps_its_letters() {
    assert_eq!(norm("Мой ЙОД"), "мой йод");
    // A decomposed й (macOS input, or on purpose) is the same й.
    assert_eq!(norm("мои\u{0306}"), "мой");
    assert_eq!(norm("Ёлка ещё"), "елка еще");
    assert_eq!(norm("удалённая работа"), norm("удаленная работа"));
    assert_eq!(norm("Привет, как дела?"), "привет, как дела?");
}

#[test]
fn mixed_script_words_fold_to_one_script() {
    // Latin c in a Russian word.
    assert_eq!(norm("cпам"), "спам");
    assert_eq!(norm("Заработок в интернетe"), "заработок в интернете");
    // Cyrillic е, о, а, с in English words.
    assert_eq!(norm("frее usdt"), "free usdt");
    assert_eq!(norm("Crypto аirdrоp"), "crypto airdrop");
    assert_eq!(norm("саsinо bоnus"), "casino bonus");
    // Only Latin can hold every letter of this one.
    assert_eq!(norm("РауРаl"), "paypal");
    // Upper-case look-alikes: Н, В, Т, М.
    assert_eq!(norm("НОТ ВЕТ"), "нот вет");
    assert_eq!(norm("HОT"), "hot");
    // Greek in Latin.
    assert_eq!(norm("ΒΙΤcoin"), "bitcoin");
    // Russian leetspeak with Latin n and u.
    assert_eq!(norm("npuвет"), "привет");
    assert_eq!(norm("саsinо"), "casino");
    // Pure words are never touched.
    assert_eq!(norm("cap сар"), "cap сар");
    assert_eq!(norm("рек мех"), "рек мех");
}

#[test]
fn ties_between_scripts() {
    // As many Latin as Cyrillic letters, all foldable either way.
    assert_eq!(norm("hоmе"), "home");
    assert_eq!(norm("npuвет"), "привет");
    assert_eq!(norm("ok pа"), "ok ра");
}

#[test]
fn spelled_out_words_are_joined() {
    for spelled in [
        "s p a m",
        "s.p.a.m",
        "s-p-a-m",
        "s_p_a_m",
        "s*p*a*m",
        "s/p/a/m",
        "s·p·a·m",
        "s, p, a, m",
        "S . P . A . M",
        "s\u{200B}p\u{200B}a\u{200B}m",
        "s  p  a  m",
        "ｓ　ｐ　ａ　ｍ",
    ] {
        assert_eq!(norm(spelled), "spam", "{spelled}");
    }
    assert_eq!(norm("buy s p a m now"), "buy spam now");
    assert_eq!(norm("c п а м"), "спам");
    assert_eq!(norm("п и ш и в л с"), "пишивлс");
    assert_eq!(norm("1 3 8 0 0 1 3 8 0 0 0"), "13800138000");
}

#[test]
fn ordinary_words_are_not_joined() {
    assert_eq!(norm("I am a cat"), "i am a cat");
    assert_eq!(norm("в том числе"), "в том числе");
    assert_eq!(norm("Я и ты"), "я и ты");
    assert_eq!(norm("a b"), "a b");
    assert_eq!(norm("send 1 btc"), "send 1 btc");
    assert_eq!(
        norm("version 1.2.3 on 1/2/2025"),
        "version 1.2.3 on 1/2/2025"
    );
    assert_eq!(norm("I.  like it"), "i. like it");
    assert_eq!(
        norm("see https://doc.rust-lang.org/book/"),
        "see https://doc.rust-lang.org/book/"
    );
    assert_eq!(norm("www.example.com"), "www.example.com");
}

#[test]
fn han_separators_are_dropped_but_clauses_kept() {
    assert_eq!(norm("加 . 微 . 信"), "加微信");
    assert_eq!(norm("免 费 领 取"), "免费领取");
    assert_eq!(norm("免-费*领/取"), "免费领取");
    assert_eq!(norm("免费\n领取"), "免费领取");
    assert_eq!(norm("我们 今天 去 吃饭"), "我们今天去吃饭");
    assert_eq!(norm("今天，我们去吃饭。明天见"), "今天,我们去吃饭。明天见");
    assert_eq!(norm("好的、谢谢"), "好的、谢谢");
    // Han next to Latin keeps its space.
    assert_eq!(norm("我们 use rust 写代码"), "我们 use rust 写代码");
}

#[test]
fn long_repeats_collapse_to_two() {
    assert_eq!(norm("freeeeeee"), "free");
    assert_eq!(norm("FREEEE!!!!!!"), "free!!");
    assert_eq!(norm("good"), "good");
    assert_eq!(norm("哈哈哈哈哈"), "哈哈");
    assert_eq!(norm("сууупер"), "сууупер".replace("ууу", "уу"));
    // Digits are amounts and phone numbers.
    assert_eq!(norm("earn $10000 a day"), "earn $10000 a day");
    assert_eq!(norm("13800000000"), "13800000000");
    // The evidence covers the whole run.
    assert_eq!(original_of("get freeeeee now", "free"), "freeeeee");
}

#[test]
fn traditional_chinese_is_simplified() {
    assert_eq!(norm("免費領取"), "免费领取");
    assert_eq!(norm("兼職刷單"), "兼职刷单");
    assert_eq!(norm("冻结賬戶"), "冻结账户");
    assert_eq!(norm("維信"), "微信");
}

#[test]
fn wechat_stand_ins_become_weixin() {
    for text in [
        "vx",
        "VX",
        "wx",
        "weixin",
        "WeiXin",
        "v信",
        "V 信",
        "薇信",
        "威信",
        "维信",
        "徽信",
        "微芯",
        "維信",
        "ｖｘ",
        "vх",
        "w e i x i n",
    ] {
        assert_eq!(norm(text), "微信", "{text}");
    }
    assert_eq!(norm("加vx: abc123"), "加微信: abc123");
    assert_eq!(norm("vx123456"), "微信123456");
    assert_eq!(norm("加我wx"), "加我微信");
}

#[test]
fn latin_stand_ins_only_as_whole_tokens() {
    for text in [
        "wax",
        "vxyz",
        "wxyz",
        "avx",
        "weixing",
        "t.me/vx12345",
        "@wx_shop",
        "mail wx@example.com",
        "see vx.example.com",
        "vivid",
        "qqq",
    ] {
        assert!(!norm(text).contains("微信"), "{text}");
    }
    assert_eq!(norm("my wx."), "my 微信.");
}

#[test]
fn qq_stand_ins_become_qq() {
    for text in [
        "扣扣",
        "抠抠",
        "QQ号",
        "qq号码",
        "企鹅号",
        "扣扣号",
        "扣扣扣扣",
    ] {
        assert_eq!(norm(text), "qq", "{text}");
    }
    assert_eq!(norm("企鹅很可爱"), "企鹅很可爱");
    assert_eq!(norm("+qq 12345"), "加qq 12345");
    // QQ stays a word of its own.
    assert_eq!(norm("спам扣扣"), "спам扣扣");
    assert_eq!(norm("扣扣123"), "qq123");
}

#[test]
fn add_stand_ins_become_add_wechat() {
    for text in [
        "加v", "+v", "➕V", "十v", "＋V", "+ v", "加 V", "+vx", "十wx", "+微信", "+薇信",
    ] {
        assert_eq!(norm(text), "加微信", "{text}");
    }
    assert_eq!(norm("加V：abc123"), "加微信:abc123");
    assert_eq!(norm("加v领取"), "加微信领取");
    assert_eq!(norm("加 vx 领取"), "加微信领取");
    // Not "add": links, sums, C++.
    assert_eq!(norm("t.me/+v1AbCd"), "t.me/+v1abcd");
    assert_eq!(norm("1+v"), "1+v");
    assert_eq!(norm("c++ vs rust"), "c++ vs rust");
    assert_eq!(norm("十万"), "十万");
}

#[test]
fn evidence_points_at_the_disguise() {
    assert_eq!(original_of("加 . 薇 . 信", "微信"), "薇 . 信");
    assert_eq!(original_of("加 . 薇 . 信", "加微信"), "加 . 薇 . 信");
    assert_eq!(
        original_of("hi ＦＲＥＥ ＵＳＤＴ!", "free usdt"),
        "ＦＲＥＥ ＵＳＤＴ"
    );
    assert_eq!(original_of("buy s.p.a.m now", "spam"), "s.p.a.m");
    assert_eq!(original_of("это cпам", "спам"), "cпам");
    assert_eq!(original_of("联系 vx123", "微信"), "vx");
    assert_eq!(original_of("➕V：abc", "加微信"), "➕V");
    assert_eq!(original_of("免費領取", "费领"), "費領");
    assert_eq!(original_of("f\u{0301}ree", "f"), "f\u{0301}");
}

#[test]
fn original_range_edge_cases() {
    let original = "ａb 微信";
    let n = Normalized::new(original);
    assert_eq!(n.original_range(0..0), 0..0);
    let len = n.as_str().len();
    assert_eq!(n.original_range(len..len), original.len()..original.len());
    assert_eq!(n.original_range(0..len + 1), 0..0);
    assert_eq!(n.original_range(Range { start: 3, end: 1 }), 0..0);
    // A range that cuts a folded character still lands on boundaries.
    let cut = n.original_range(len - 1..len);
    assert_eq!(&original[cut], "信");
    let empty = Normalized::new("");
    assert_eq!(empty.as_str(), "");
    assert_eq!(empty.original_range(0..0), 0..0);
    assert_eq!(empty.original_range(0..1), 0..0);
}

#[test]
fn normalizing_twice_changes_nothing_for_known_traps() {
    for text in [
        "ᄀ ᅡ，a加",
        "спам扣扣",
        "vx扣扣",
        "扣扣vx",
        "qq號號",
        "спам100扣扣",
        "vx100aaaпиши в лс",
        "+V1iй",
        "ςааＦqаq加аＦ",
    ] {
        let once = norm(text);
        assert_eq!(norm(&once), once, "{text}");
    }
}

#[test]
fn keywords_of_the_default_rules_are_stable() {
    let rules = crate::RuleSet::default_rules();
    for rule in rules.rules {
        if let crate::RuleKind::Keywords { words, .. } = rule.kind {
            for word in words {
                let once = norm(&word);
                assert_eq!(norm(&once), once, "{word}");
                assert!(!once.is_empty(), "{word}");
            }
        }
    }
}

/// Checks the map of `original` for every range on character boundaries of
/// the normalized text.
fn check_boundaries(original: &str) -> Result<(), TestCaseError> {
    let n = Normalized::new(original);
    let text = n.as_str();
    prop_assert_eq!(n.origin().len(), text.len());
    let mut previous = 0;
    for &(start, end) in n.origin() {
        prop_assert!(start <= end && start >= previous);
        previous = start;
    }
    let cuts: Vec<usize> = (0..=text.len())
        .filter(|&i| text.is_char_boundary(i))
        .collect();
    for (i, &a) in cuts.iter().enumerate() {
        for &b in cuts.get(i..).unwrap_or_default() {
            let r = n.original_range(a..b);
            prop_assert!(
                r.start <= r.end && r.end <= original.len(),
                "{a}..{b} → {r:?}"
            );
            prop_assert!(original.is_char_boundary(r.start) && original.is_char_boundary(r.end));
        }
    }
    Ok(())
}

/// Characters disguises are made of, to make the generated strings hit the
/// interesting paths far more often than uniform Unicode does.
const DISGUISE_ALPHABET: &[char] = &[
    'a', 'c', 'e', 'f', 'i', 'm', 'o', 'p', 'q', 's', 'v', 'w', 'x', 'y', 'A', 'V', 'X', 'W', 'Q',
    'а', 'е', 'о', 'р', 'с', 'у', 'х', 'и', 'й', 'ё', 'П', 'Н', 'α', 'ο', 'ς', 'Σ', 'ß', '加',
    '微', '薇', '信', '維', '扣', '企', '鹅', '号', '码', '十', '費', '哈', '，', '。', ' ', ' ',
    '.', '-', '_', '*', '/', '+', '➕', '@', ':', '1', '0', '①', 'Ｆ', '𝐅', 'Ⓕ', '🅵', '⒡', 'ᴇ',
    '\u{200B}', '\u{FE0F}', '\u{0301}', '\u{0306}', '\u{0308}', '\u{20E3}', '\u{3099}', 'カ', 'ﾞ',
    '\u{1100}', '\u{1161}', '한', '\u{FDFA}', 'İ', 'ǅ', '\n', '\0', '\u{85}',
];

fn disguise_string() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(DISGUISE_ALPHABET), 0..40)
        .prop_map(|chars| chars.into_iter().collect())
}

/// Keyword-like text: words in one of the scripts, contact words,
/// separators people write inside keywords.
fn keyword_string() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(
        &[
            "free",
            "usdt",
            "спам",
            "казино",
            "免费",
            "领取",
            "加",
            "微信",
            "vx",
            "qq",
            "扣扣",
            " ",
            " ",
            "пиши в лс",
            "dm me for",
            "send 1 btc",
            "ё",
            "й",
            "!",
            "100",
            "cпам",
            "frее",
            "v",
            "+",
            "薇信",
            "號",
            "wax",
            "www.",
            "aaa",
            "哈哈哈",
        ][..],
    );
    prop::collection::vec(piece, 1..6).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 512,
        // Failures are reported in the output; no regression files in the
        // source tree.
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_text_maps_to_char_boundaries(text in any::<String>()) {
        check_boundaries(&text)?;
    }

    #[test]
    fn printable_text_maps_to_char_boundaries(text in "\\PC*") {
        check_boundaries(&text)?;
    }

    #[test]
    fn byte_soup_maps_to_char_boundaries(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        check_boundaries(&String::from_utf8_lossy(&bytes))?;
    }

    #[test]
    fn disguises_map_to_char_boundaries(text in disguise_string()) {
        check_boundaries(&text)?;
    }

    #[test]
    fn normalizing_keywords_twice_changes_nothing(text in keyword_string()) {
        let once = norm(&text);
        prop_assert_eq!(norm(&once), once, "{:?}", text);
    }

    #[test]
    fn normalizing_disguises_twice_changes_nothing(text in disguise_string()) {
        let once = norm(&text);
        prop_assert_eq!(norm(&once), once, "{:?}", text);
    }
}

/// A rough speed figure: `cargo test --release -p steward-moderation
/// normalize_speed -- --nocapture`. Prints, asserts nothing about time.
#[test]
fn normalize_speed() {
    let groups: [(&str, &[&str]); 2] = [
        (
            "ordinary",
            &[
                "hello everyone, does anyone know how lifetimes work here?",
                "ok",
                "see https://doc.rust-lang.org/book/ch10-03-lifetime-syntax.html",
                "大家好，今天的咖啡很好喝，我们明天再去吧",
                "Привет, кто-нибудь пробовал новый релиз?",
                "lol 😂😂",
            ],
        ),
        (
            "disguised",
            &[
                "兼职刷单日结300，加V：abc123",
                "Заработок от 5000 в день, пиши в лc",
                "ＦＲＥＥ ＵＳＤＴ airdrop!!! claim now 🚀🚀🚀",
                "加 . 薇 . 信 领取 免費紅包",
                "cпам frее s.p.a.m",
                "𝐅𝐑𝐄𝐄 Ⓤⓢⓓⓣ, f\u{200B}r\u{200B}e\u{200B}e",
            ],
        ),
    ];
    let rounds = if cfg!(debug_assertions) { 200 } else { 20_000 };
    for (name, messages) in groups {
        let started = std::time::Instant::now();
        let mut bytes = 0usize;
        for _ in 0..rounds {
            for m in messages {
                bytes += std::hint::black_box(Normalized::new(std::hint::black_box(m)))
                    .as_str()
                    .len();
            }
        }
        let elapsed = started.elapsed();
        let count = rounds * messages.len();
        let average = messages.iter().map(|m| m.len()).sum::<usize>() / messages.len();
        println!(
            "normalize, {name}: {count} messages (avg {average} bytes) in {elapsed:?}: {:.0} ns/message ({bytes} bytes out)",
            elapsed.as_nanos() as f64 / count as f64
        );
    }
}

#[test]
fn a_spelled_out_word_does_not_swallow_the_next_link() {
    // Regression: the single letter "t" of "t.me" used to join the run.
    assert_eq!(norm("К а з и н о t.me/x"), "казино t.me/x");
    assert_eq!(norm("s p a m"), "spam");
    assert_eq!(norm("s.p.a.m"), "spam");
}

//! The shipped starter model: it loads, it is what the trainer wrote, and
//! it tells obvious spam from ordinary chat in all three languages. The
//! texts are written for this test (tests never read the shared corpora).

use steward_classifier::Model;

fn starter() -> Model {
    Model::starter().unwrap_or_else(|e| panic!("the starter model does not load: {e}"))
}

const SPAM: &[&str] = &[
    // Chinese
    "兼职刷单，日结300，加微信 vx88990 详聊",
    "代开各类发票，可验证后付款，联系QQ 2837461",
    "免费领取100元红包，名额有限，点击 http://hongbao-lingqu.example/r/8x2 立即领取",
    "宝妈学生党手机兼职，每天两小时，日赚500+，加V：fuli_77",
    // Russian
    "Заработок от 5000 в день, без вложений, пиши в лс",
    "Нужны люди на удалёнку, 2-3 часа в день, от 50 000 ₽ в неделю. Пишите в ЛС",
    "Казино бонус 200% на первый депозит, переходи по ссылке t.me/casino_bonus_777",
    // English
    "Crypto airdrop! Claim your free USDT now at https://claim-airdrop.example/q8Zk",
    "Earn $500 a day from home, no experience needed, DM me for details",
    "I made $12,000 in a week with Mr. Carter's trading signals, contact him on WhatsApp +1 555 201 7788",
];

const HAM: &[&str] = &[
    // Chinese
    "今天的燕麦拿铁有点苦，下次试试美式",
    "周末有人一起去爬山吗？",
    "我把会议纪要发到群里了，大家看一下",
    "明天几点集合？我可能会晚到十分钟",
    "新人报到，请多关照～",
    // Russian
    "Кто-нибудь пробовал новую версию tokio? У меня после обновления всё сломалось",
    "Спасибо, помогло!",
    "Завтра созвон в 11 по Москве, не забудьте",
    "Подскажите, как вернуть ошибку из замыкания?",
    // English
    "Has anyone tried the new borrow checker diagnostics? They look much better",
    "See you at the meetup tomorrow, I'll bring the stickers",
    "Thanks, the fix worked for me",
    "Happy birthday! 🎉",
    "ok",
];

#[test]
fn starter_loads_and_is_sane() {
    let model = starter();
    let stats = model.stats();
    assert!(stats.used_buckets > 10_000, "{stats:?}");
    assert!(stats.spam_features > 0 && stats.ham_features > 0);
    let t = model.threshold();
    assert!(t > 0.0 && t < 1.0, "threshold {t}");
    // Loading and saving gives back the shipped bytes.
    let bytes = model.to_bytes();
    let again = Model::from_bytes(&bytes).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again.to_bytes(), bytes);
}

#[test]
fn starter_flags_obvious_spam() {
    let model = starter();
    for text in SPAM {
        let v = model.classify(text);
        assert!(v.is_spam, "missed: {text} ({v:?})");
    }
}

#[test]
fn starter_leaves_ordinary_chat_alone() {
    let model = starter();
    for text in HAM {
        let v = model.classify(text);
        assert!(!v.is_spam, "flagged: {text} ({v:?})");
        assert!(v.spam_probability < 0.5, "{text}: {v:?}");
    }
}

#[test]
fn starter_explains_spam_with_its_words() {
    let model = starter();
    let text = "兼职刷单，日结300，加微信 vx88990 详聊";
    let e = model.explain(text, 5);
    assert!(e.verdict.is_spam);
    assert!(!e.evidence.is_empty());
    let highlighted: String = e.spans().into_iter().map(|r| &text[r]).collect();
    assert!(
        highlighted.contains("刷单")
            || highlighted.contains("兼职")
            || highlighted.contains("微信"),
        "highlighted {highlighted:?} in {text}"
    );
}

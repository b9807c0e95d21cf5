//! Sentiment on chat messages in Chinese, Russian and English: clear cases,
//! negation, emoji, and a small labelled set per language whose signs must
//! be at least 80% right.

use proptest::prelude::*;
use steward_insights::sentiment::{Sentiment, score};

fn negative(text: &str) {
    let s = score(text);
    assert!(
        s.negative && !s.positive,
        "{text:?} should be negative: {s:?}"
    );
}

fn positive(text: &str) {
    let s = score(text);
    assert!(
        s.positive && !s.negative,
        "{text:?} should be positive: {s:?}"
    );
}

fn neutral(text: &str) {
    let s = score(text);
    assert!(
        !s.positive && !s.negative,
        "{text:?} should be neutral: {s:?}"
    );
}

#[test]
fn chinese_clear_cases() {
    positive("这个产品太棒了，非常满意！");
    positive("客服很耐心，点赞");
    negative("垃圾产品，气死我了");
    negative("骗子！还我钱");
    neutral("明天下午三点开会");
}

#[test]
fn chinese_negation() {
    negative("不好");
    positive("不错");
    negative("这个一点都不好用");
    negative("质量不太好");
    negative("客服态度不是很好");
    positive("没问题");
}

#[test]
fn russian_clear_cases() {
    positive("Отличный сервис, спасибо большое!");
    positive("Всё супер, очень довольна");
    negative("Ужасно, ничего не работает");
    negative("Это обман, верните деньги!");
    neutral("Встреча завтра в три часа");
}

#[test]
fn russian_stems_and_negation() {
    negative("ужасно");
    negative("ужасный сервис");
    negative("ужасная доставка");
    negative("не хорошо");
    let not_bad = score("не плохо");
    assert!(!not_bad.negative, "{not_bad:?}");
    positive("совсем не плохо");
    negative("не нравится");
}

#[test]
fn english_clear_cases() {
    positive("This is great, thanks a lot!");
    positive("Love it 😍");
    negative("Terrible support, total waste of money");
    negative("It doesn't work at all");
    neutral("The meeting is at 3pm tomorrow");
}

#[test]
fn english_negation() {
    let not_bad = score("not bad");
    assert!(!not_bad.negative, "{not_bad:?}");
    negative("not good");
    negative("I don't like it");
    negative("this isn't working");
    positive("never had a problem with them");
}

#[test]
fn emoji_and_emoticons() {
    positive("👍");
    positive("😊😊");
    positive("❤️");
    negative("😡");
    negative("👎👎");
    negative("😢");
    positive(":)");
    negative(":(");
    positive("спасибо)))");
    // A negator does not reach an emoji.
    positive("no 👍");
}

#[test]
fn empty_and_noise() {
    assert_eq!(score(""), Sentiment::NEUTRAL);
    neutral("   ");
    neutral("12345 ... ???");
    neutral("https://example.com/path?q=1");
}

#[test]
fn repeated_punctuation_adds_intensity() {
    let calm = score("bad");
    let loud = score("bad!!!");
    assert!(loud.score < calm.score, "{calm:?} {loud:?}");
    let zh_calm = score("太差了");
    let zh_loud = score("太差了？？");
    assert!(zh_loud.score < zh_calm.score, "{zh_calm:?} {zh_loud:?}");
    neutral("what???");
}

#[test]
fn intensifiers_strengthen() {
    assert!(score("very good").score > score("good").score);
    assert!(score("очень плохо").score < score("плохо").score);
    assert!(score("非常好").score > score("好").score);
}

#[test]
fn mixed_messages_lean_to_the_stronger_side() {
    negative("the design is nice but it is a scam and a total disaster");
    positive("a small bug, but overall excellent and I love it");
    let mixed = score("good and bad");
    assert!(mixed.score.abs() < 0.2, "{mixed:?}");
}

#[test]
fn complaints_are_flagged() {
    assert!(score("我要投诉，马上退款").complaint);
    assert!(score("верните деньги").complaint);
    assert!(score("this is a scam, I want a refund").complaint);
    assert!(!score("great service").complaint);
    assert!(!score("no refund needed, all good").complaint);
    let settled = score("我不想退款了，问题解决了");
    assert!(!settled.complaint && settled.positive, "{settled:?}");
}

/// Accuracy on the sign: `+` positive, `-` negative. Neutral sentences are
/// left out; a miss is a neutral or wrong-signed score.
fn accuracy(set: &[(&str, char)]) -> (f32, Vec<String>) {
    let mut misses = Vec::new();
    for (text, label) in set {
        let s = score(text);
        let right = match label {
            '+' => s.positive,
            _ => s.negative,
        };
        if !right {
            misses.push(format!("{text:?} ({label}) -> {:.2}", s.score));
        }
    }
    let right = set.len() - misses.len();
    (right as f32 / set.len() as f32, misses)
}

#[test]
fn chinese_labelled_set() {
    let set = [
        ("群主人真好，谢谢大家帮忙", '+'),
        ("今天的活动太精彩了", '+'),
        ("这款耳机音质很棒，推荐", '+'),
        ("发货速度快，包装也很好", '+'),
        ("老师讲得很清楚，受益匪浅", '+'),
        ("终于解决了，感谢客服", '+'),
        ("这个价格真的很划算", '+'),
        ("支持一下，加油！", '+'),
        ("味道不错，下次还来", '+'),
        ("大家都好热情，很开心加入", '+'),
        ("用了一周，非常稳定好用", '+'),
        ("恭喜中奖的朋友们🎉", '+'),
        ("等了三天还没发货，太慢了", '-'),
        ("这是什么垃圾服务", '-'),
        ("客服一直不回复，很失望", '-'),
        ("app又闪退了，烦死了", '-'),
        ("被骗了，大家小心这个骗子", '-'),
        ("质量太差，我要退货", '-'),
        ("说好的优惠没有兑现，坑人", '-'),
        ("登不上去，到底怎么回事😡", '-'),
        ("收到的东西是坏的，太恶心了", '-'),
        ("一点都不好玩，浪费时间", '-'),
        ("又涨价了，割韭菜吧", '-'),
        ("我要投诉你们的态度", '-'),
    ];
    let (acc, misses) = accuracy(&set);
    assert!(acc >= 0.8, "accuracy {acc}: {misses:#?}");
}

#[test]
fn russian_labelled_set() {
    let set = [
        ("Спасибо за помощь, всё заработало", '+'),
        ("Отличная идея, поддерживаю", '+'),
        ("Очень понравилась встреча вчера", '+'),
        ("Классный чат, много полезного", '+'),
        ("Доставили быстро, всё целое, рекомендую", '+'),
        ("Молодцы, так держать!", '+'),
        ("Вкусно и недорого, приятно удивлён", '+'),
        ("Шикарный вечер получился", '+'),
        ("Рада, что нашла это сообщество", '+'),
        ("Приложение удобное и быстрое", '+'),
        ("Поздравляю победителей!", '+'),
        ("Неплохо, я доволен", '+'),
        ("Ужасная поддержка, никто не отвечает", '-'),
        ("Опять ничего не работает, бесит", '-'),
        ("Это развод, не ведитесь", '-'),
        ("Заказ не пришёл, хочу вернуть деньги, верните деньги", '-'),
        ("Качество отвратительное", '-'),
        ("Приложение постоянно виснет и тормозит", '-'),
        ("Очень разочарован покупкой", '-'),
        ("Хамство в чате просто надоело", '-'),
        ("Какой же бред тут пишут", '-'),
        ("Мошенники, напишу жалобу", '-'),
        ("Грустно, что всё так плохо организовано", '-'),
        ("Не нравится новый дизайн", '-'),
    ];
    let (acc, misses) = accuracy(&set);
    assert!(acc >= 0.8, "accuracy {acc}: {misses:#?}");
}

#[test]
fn english_labelled_set() {
    let set = [
        ("Thanks everyone, this group is awesome", '+'),
        ("The update works perfectly now", '+'),
        ("Great event yesterday, loved it", '+'),
        ("Super helpful answer, thank you!", '+'),
        ("Highly recommend their support team", '+'),
        ("That was a fun quiz 😂", '+'),
        ("Congrats to the winners!", '+'),
        ("The new version is so much better", '+'),
        ("Fast delivery and excellent quality", '+'),
        ("I'm really happy with this", '+'),
        ("Nice work on the docs 👍", '+'),
        ("Not bad at all, pleasantly surprised", '+'),
        ("This is the worst app I have used", '-'),
        ("Still waiting for my refund, this is a scam", '-'),
        ("The app keeps crashing, so frustrating", '-'),
        ("Support ignored me for a week", '-'),
        ("Total garbage, don't buy it", '-'),
        ("I'm really disappointed with the quality", '-'),
        ("Login doesn't work again 😡", '-'),
        ("Stop spamming this chat, so annoying", '-'),
        ("The price is ridiculous", '-'),
        ("I hate the new layout", '-'),
        ("Package never arrived and nobody answers", '-'),
        ("Not good enough, sorry", '-'),
    ];
    let (acc, misses) = accuracy(&set);
    assert!(acc >= 0.8, "accuracy {acc}: {misses:#?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn never_panics_and_stays_in_range(text in "\\PC{0,200}") {
        let s = score(&text);
        prop_assert!((-1.0..=1.0).contains(&s.score));
        prop_assert!(!(s.positive && s.negative));
    }

    #[test]
    fn never_panics_on_mixed_scripts(text in "[a-zа-я不好很:)(!?！？'’ 😡👍\\n.,]{0,120}") {
        let s = score(&text);
        prop_assert!(s.score.is_finite());
    }
}

#[test]
fn long_text_is_cut_safely() {
    let long = "好".repeat(10_000);
    let s = score(&long);
    assert!(s.score.is_finite());
    let long = format!("{}😡", "a".repeat(4095));
    let _ = score(&long);
}

//! Keyword trends: the terms of chat messages (segmented, stemmed, without
//! stop words or chat noise), the most used terms of a period, and the ones
//! rising fastest against the period before.
//!
//! Counts are "messages that used the term" when they come from
//! [`chat_terms`], since it keeps each term once per message: one member
//! repeating a word does not make it a trend.

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// Added to both counts when comparing periods, so a term going from 0 to 1
/// grows by (1 + 5) / (0 + 5) = 1.2, not infinitely.
pub const SMOOTHING: f64 = 5.0;

/// A term of a period with its counts.
#[derive(Debug, Clone, PartialEq)]
pub struct Rising {
    pub term: String,
    pub current: u64,
    pub previous: u64,
    /// `(current + SMOOTHING) / (previous + SMOOTHING)`.
    pub growth: f64,
}

/// The `n` most used terms, most used first; ties by term, so the answer
/// does not depend on the map's order.
pub fn top_terms(counts: &HashMap<String, u64>, n: usize) -> Vec<(String, u64)> {
    let mut all: Vec<(&String, u64)> = counts
        .iter()
        .filter(|(_, c)| **c > 0)
        .map(|(t, c)| (t, *c))
        .collect();
    all.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    all.into_iter()
        .take(n)
        .map(|(t, c)| (t.clone(), c))
        .collect()
}

/// The `n` terms that grew most from `previous` to `current`, among those
/// used at least `min_count` times now and more than before. Growth is
/// smoothed by [`SMOOTHING`]; ties go to the larger current count, then to
/// the term.
pub fn rising_terms(
    current: &HashMap<String, u64>,
    previous: &HashMap<String, u64>,
    n: usize,
    min_count: u64,
) -> Vec<Rising> {
    let mut all: Vec<Rising> = current
        .iter()
        .filter(|(_, c)| **c >= min_count.max(1))
        .filter_map(|(term, &now)| {
            let before = previous.get(term).copied().unwrap_or(0);
            (now > before).then(|| Rising {
                term: term.clone(),
                current: now,
                previous: before,
                growth: (now as f64 + SMOOTHING) / (before as f64 + SMOOTHING),
            })
        })
        .collect();
    all.sort_by(|a, b| {
        b.growth
            .partial_cmp(&a.growth)
            .unwrap_or(Ordering::Equal)
            .then_with(|| b.current.cmp(&a.current))
            .then_with(|| a.term.cmp(&b.term))
    });
    all.truncate(n);
    all
}

/// Adds the terms of one message to `counts` (each term once).
pub fn count_message(counts: &mut HashMap<String, u64>, text: &str) {
    for term in chat_terms(text) {
        *counts.entry(term).or_default() += 1;
    }
}

/// The terms of a chat message worth trending: [`steward_faq::terms`]
/// without links, @mentions, numbers, single letters, emoji and chat
/// filler (哈哈, 好的, ok, lol, спасибо, ну, …), each term once, in order.
pub fn chat_terms(text: &str) -> Vec<String> {
    let cleaned = without_links_and_mentions(text);
    let stop = chat_stop();
    let mut seen = HashSet::new();
    steward_faq::terms(&cleaned)
        .into_iter()
        .filter(|t| keep(t) && !stop.contains(t.as_str()))
        .filter(|t| seen.insert(t.clone()))
        .collect()
}

fn keep(term: &str) -> bool {
    let mut chars = term.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let single = chars.next().is_none();
    if single && !is_han(first) {
        return false;
    }
    if term.chars().all(|c| c.is_numeric()) {
        return false;
    }
    term.chars().any(char::is_alphanumeric)
}

/// The text with every whitespace-separated piece that is a link or a
/// mention (`https://…`, `www.…`, `t.me/…`, `@name`) left out.
fn without_links_and_mentions(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for piece in text.split_whitespace() {
        let lower = piece.trim_start_matches(|c: char| !c.is_alphanumeric() && c != '@');
        let link = lower.contains("://")
            || lower
                .get(..4)
                .is_some_and(|p| p.eq_ignore_ascii_case("www."))
            || lower
                .get(..5)
                .is_some_and(|p| p.eq_ignore_ascii_case("t.me/"));
        if link || lower.starts_with('@') {
            out.push(' ');
            continue;
        }
        out.push_str(piece);
        out.push(' ');
    }
    out
}

/// Chat filler, as `steward_faq::terms` turns it into terms (so stemmed
/// the same way as the messages).
fn chat_stop() -> &'static HashSet<String> {
    static STOP: OnceLock<HashSet<String>> = OnceLock::new();
    STOP.get_or_init(|| {
        CHAT_STOP
            .iter()
            .flat_map(|w| steward_faq::terms(w))
            .collect()
    })
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
}

const CHAT_STOP: &[&str] = &[
    // Chinese
    "哈哈",
    "哈哈哈",
    "哈哈哈哈",
    "呵呵",
    "嘿嘿",
    "嗯",
    "嗯嗯",
    "哦",
    "噢",
    "啊",
    "呀",
    "吧",
    "啦",
    "嘛",
    "好的",
    "好",
    "谢谢",
    "多谢",
    "感谢",
    "收到",
    "是的",
    "对",
    "对的",
    "可以",
    "行",
    "没事",
    "大家",
    "我们",
    "你们",
    "他们",
    "这个",
    "那个",
    "什么",
    "一下",
    "现在",
    "今天",
    "知道",
    "觉得",
    "还是",
    "就是",
    "然后",
    "因为",
    "所以",
    "但是",
    "已经",
    "一个",
    "自己",
    "有没有",
    "怎么样",
    // Russian
    "спасибо",
    "пожалуйста",
    "да",
    "нет",
    "ну",
    "ага",
    "угу",
    "ок",
    "окей",
    "привет",
    "ладно",
    "хорошо",
    "понятно",
    "ясно",
    "вообще",
    "просто",
    "тоже",
    "еще",
    "уже",
    "всем",
    "все",
    "это",
    "вот",
    "так",
    "там",
    "тут",
    "здесь",
    "если",
    "только",
    "можно",
    "нужно",
    "надо",
    "сейчас",
    "сегодня",
    "кто",
    "они",
    "она",
    "он",
    "был",
    "было",
    "будет",
    "очень",
    "вроде",
    // English
    "ok",
    "okay",
    "lol",
    "lmao",
    "haha",
    "hahaha",
    "yes",
    "yeah",
    "yep",
    "nope",
    "thanks",
    "thank",
    "thx",
    "ty",
    "hey",
    "guys",
    "everyone",
    "all",
    "have",
    "has",
    "had",
    "he",
    "she",
    "they",
    "them",
    "his",
    "her",
    "one",
    "also",
    "too",
    "very",
    "really",
    "like",
    "know",
    "think",
    "now",
    "today",
    "here",
    "then",
    "than",
    "some",
    "more",
    "out",
    "up",
    "im",
    "u",
    "ur",
    "gonna",
    "want",
    "need",
    "go",
    "going",
    "well",
    "oh",
    "yup",
    "sure",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(pairs: &[(&str, u64)]) -> HashMap<String, u64> {
        pairs.iter().map(|(t, c)| ((*t).to_owned(), *c)).collect()
    }

    #[test]
    fn top_terms_orders_by_count_then_term() {
        let c = counts(&[("b", 5), ("a", 5), ("c", 9), ("d", 1), ("z", 0)]);
        assert_eq!(
            top_terms(&c, 3),
            vec![
                ("c".to_owned(), 9),
                ("a".to_owned(), 5),
                ("b".to_owned(), 5)
            ]
        );
        assert_eq!(top_terms(&c, 10).len(), 4, "zero counts are left out");
    }

    #[test]
    fn rising_terms_are_smoothed_and_need_a_minimum_count() {
        let previous = counts(&[("refund", 2), ("price", 10), ("old", 30)]);
        let current = counts(&[
            ("refund", 20),
            ("price", 12),
            ("new", 1),
            ("fresh", 6),
            ("old", 3),
        ]);
        let rising = rising_terms(&current, &previous, 10, 3);
        let names: Vec<&str> = rising.iter().map(|r| r.term.as_str()).collect();
        // refund (25/7 = 3.57) before fresh (11/5 = 2.2) before price (17/15);
        // new (0 -> 1) is under the minimum, old fell.
        assert_eq!(names, vec!["refund", "fresh", "price"]);
        assert_eq!(rising[0].previous, 2);
        assert!((rising[0].growth - 25.0 / 7.0).abs() < 1e-9);
    }

    #[test]
    fn zero_to_one_is_not_the_fastest_riser() {
        let previous = counts(&[("bug", 4)]);
        let current = counts(&[("bug", 16), ("once", 1)]);
        let rising = rising_terms(&current, &previous, 2, 1);
        assert_eq!(rising[0].term, "bug");
        assert_eq!(rising[1].term, "once");
    }

    #[test]
    fn rising_ties_are_broken_by_count_then_term() {
        let previous = HashMap::new();
        let current = counts(&[("b", 5), ("a", 5), ("c", 5)]);
        let names: Vec<String> = rising_terms(&current, &previous, 3, 1)
            .into_iter()
            .map(|r| r.term)
            .collect();
        assert_eq!(names, vec!["a", "b", "c"]);
    }

    #[test]
    fn chat_terms_drop_noise_and_repeats() {
        let terms =
            chat_terms("OK lol @alice see https://example.com/x price price 2024 x 👍 thanks");
        assert_eq!(terms, vec!["see".to_owned(), "price".to_owned()]);
    }

    #[test]
    fn chat_terms_in_chinese_and_russian() {
        let zh = chat_terms("哈哈哈 好的，退款什么时候到账？");
        assert!(zh.contains(&"退款".to_owned()), "{zh:?}");
        assert!(!zh.iter().any(|t| t == "哈哈哈" || t == "好的"), "{zh:?}");
        let ru = chat_terms("Ну да, спасибо. Доставка опять задерживается, доставка!");
        assert!(
            !ru.iter()
                .any(|t| t == "ну" || t == "да" || t.starts_with("спасиб")),
            "{ru:?}"
        );
        assert_eq!(
            ru.iter().filter(|t| t.starts_with("доставк")).count(),
            1,
            "{ru:?}"
        );
    }

    #[test]
    fn count_message_counts_each_term_once_per_message() {
        let mut c = HashMap::new();
        count_message(&mut c, "refund refund refund");
        count_message(&mut c, "refund please");
        assert_eq!(c.get("refund"), Some(&2));
    }
}

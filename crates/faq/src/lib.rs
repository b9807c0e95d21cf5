//! FAQ matching: which of a group's frequently asked questions a member's
//! message asks, and how sure that is.
//!
//! Texts become terms the same way whatever their language: runs of Chinese
//! characters are segmented into words with jieba, Cyrillic words are
//! stemmed as Russian and Latin ones as English (Snowball), and each
//! language's stop words (question words, pronouns, particles) are dropped.
//! An [`Index`] is built once from the entries (their titles and example
//! phrasings, in every language at once, so a question in any language
//! finds its entry) and answers [`Index::best`] per message: a keyword
//! present in the message marks a strong candidate, and every entry is
//! scored by TF-IDF cosine similarity against its closest phrasing. Stems
//! that differ only at the end (Russian fleeting vowels: `деньги`/`денег`)
//! count as a partial match.
//!
//! Pure: no IO, no clock. The segmenter's dictionary is compiled in and
//! loaded once per process, on first use.

use std::collections::HashMap;
use std::sync::OnceLock;

use jieba_rs::Jieba;
use rust_stemmers::{Algorithm, Stemmer};

/// Similarity above which a question is answered, unless a group sets its own.
pub const DEFAULT_MIN_SCORE: f32 = 0.4;

/// Below this similarity a question counts as unanswered (collected for the
/// team); between it and the answer threshold the bot is unsure and stays
/// quiet without collecting.
pub const DEFAULT_UNANSWERED_BELOW: f32 = 0.2;

/// How much a partial match (shared stem beginning) counts against an
/// exact one.
const PARTIAL: f32 = 0.9;

/// The longest text looked at, in bytes: the rest of a wall of text says
/// nothing more about the question, and segmentation costs per character.
const MAX_TEXT: usize = 2000;

/// One FAQ entry as the matcher sees it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entry {
    /// The entry's id, handed back in a [`Match`].
    pub id: i64,
    /// Words or phrases whose presence marks the entry a strong candidate.
    pub keywords: Vec<String>,
    /// Ways the question is asked (titles included), in any language.
    pub phrasings: Vec<String>,
}

/// The best entry for a message.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Match {
    /// The entry's id.
    pub entry: i64,
    /// Cosine similarity to the entry's closest phrasing, 0 to 1.
    pub score: f32,
    /// One of the entry's keywords occurs in the message.
    pub keyword: bool,
}

/// A phrasing as a weighted term vector.
#[derive(Debug, Clone)]
struct Vector {
    terms: Vec<(String, f32)>,
    norm: f32,
}

#[derive(Debug, Clone)]
struct Indexed {
    id: i64,
    /// Keywords containing Chinese characters, lowercased: matched as
    /// substrings, since segmentation may split them differently.
    cjk_keywords: Vec<String>,
    /// Other keywords as their terms: all must occur.
    term_keywords: Vec<Vec<String>>,
    phrasings: Vec<Vector>,
}

/// The entries of one group, ready to match messages against. Build it once
/// per change to the entries; matching is cheap.
#[derive(Debug, Clone, Default)]
pub struct Index {
    entries: Vec<Indexed>,
    idf: HashMap<String, f32>,
    /// The weight of a term no phrasing has.
    unseen: f32,
}

impl Index {
    /// Indexes `entries`.
    pub fn build(entries: &[Entry]) -> Index {
        let docs: Vec<Vec<Vec<String>>> = entries
            .iter()
            .map(|e| e.phrasings.iter().map(|p| terms(p)).collect())
            .collect();
        let mut df: HashMap<&str, usize> = HashMap::new();
        let mut n = 0usize;
        for doc in docs.iter().flatten() {
            n += 1;
            let mut seen: Vec<&str> = doc.iter().map(String::as_str).collect();
            seen.sort_unstable();
            seen.dedup();
            for term in seen {
                *df.entry(term).or_default() += 1;
            }
        }
        let weight = |df: usize| (1.0 + (n as f32 + 1.0) / (df as f32 + 1.0)).ln();
        let idf: HashMap<String, f32> = df
            .iter()
            .map(|(term, &d)| ((*term).to_owned(), weight(d)))
            .collect();
        let unseen = weight(0);
        let indexed = entries
            .iter()
            .zip(&docs)
            .map(|(entry, doc)| {
                let mut cjk_keywords = Vec::new();
                let mut term_keywords = Vec::new();
                for keyword in &entry.keywords {
                    let keyword = keyword.trim().to_lowercase();
                    if keyword.is_empty() {
                        continue;
                    }
                    if keyword.chars().any(is_han) {
                        cjk_keywords.push(keyword);
                    } else {
                        let t = terms(&keyword);
                        if !t.is_empty() {
                            term_keywords.push(t);
                        }
                    }
                }
                Indexed {
                    id: entry.id,
                    cjk_keywords,
                    term_keywords,
                    phrasings: doc
                        .iter()
                        .filter(|t| !t.is_empty())
                        .map(|t| vector(t, &idf, unseen))
                        .collect(),
                }
            })
            .collect();
        Index {
            entries: indexed,
            idf,
            unseen,
        }
    }

    /// Whether the index has no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The best entry for `text`: keyword hits first, then the highest
    /// similarity. `None` when there are no entries or the text has no
    /// terms.
    pub fn best(&self, text: &str) -> Option<Match> {
        let text = cut(text);
        let words = terms(text);
        let lowered = text.to_lowercase();
        let query = vector(&words, &self.idf, self.unseen);
        self.entries
            .iter()
            .map(|entry| {
                let keyword = entry.cjk_keywords.iter().any(|k| lowered.contains(k))
                    || entry
                        .term_keywords
                        .iter()
                        .any(|k| k.iter().all(|t| words.contains(t)));
                let score = entry
                    .phrasings
                    .iter()
                    .map(|p| cosine(&query, p))
                    .fold(0.0f32, f32::max);
                Match {
                    entry: entry.id,
                    score,
                    keyword,
                }
            })
            .filter(|m| m.keyword || m.score > 0.0)
            .max_by(|a, b| {
                (a.keyword, a.score)
                    .partial_cmp(&(b.keyword, b.score))
                    .unwrap_or(std::cmp::Ordering::Equal)
            })
    }
}

/// Whether `text` reads as a question: it ends with a question mark, starts
/// with a question word, or (Chinese) ends with a question particle.
pub fn looks_like_question(text: &str) -> bool {
    let text = cut(text).trim();
    let trimmed = text.trim_end_matches(|c: char| !c.is_alphanumeric() && c != '?' && c != '？');
    if trimmed.ends_with(['?', '？']) {
        return true;
    }
    let bare = trimmed.trim_end_matches(|c: char| !c.is_alphanumeric());
    if bare.ends_with(['吗', '呢', '么']) {
        return true;
    }
    let lowered = text.to_lowercase();
    if ZH_QUESTION.iter().any(|w| lowered.starts_with(w)) {
        return true;
    }
    let first = lowered
        .split(|c: char| !c.is_alphanumeric())
        .find(|w| !w.is_empty())
        .unwrap_or("");
    RU_QUESTION.contains(&first) || EN_QUESTION.contains(&first)
}

/// The terms of a text: segmented, lowercased, stemmed, without stop words.
pub fn terms(text: &str) -> Vec<String> {
    let text = cut(text).to_lowercase();
    let mut out = Vec::new();
    let mut run = String::new();
    let mut run_han = false;
    let flush = |run: &mut String, han: bool, out: &mut Vec<String>| {
        if run.is_empty() {
            return;
        }
        if han {
            for token in jieba().cut(run, true) {
                let word = token.word.trim();
                if !word.is_empty() && !ZH_STOP.contains(&word) {
                    out.push(word.to_owned());
                }
            }
        } else {
            push_word(run, out);
        }
        run.clear();
    };
    for c in text.chars() {
        let han = is_han(c);
        if c.is_alphanumeric() {
            if !run.is_empty() && han != run_han {
                flush(&mut run, run_han, &mut out);
            }
            run_han = han;
            run.push(c);
        } else if run_han && !run.is_empty() {
            // Chinese punctuation separates sentences; keep segmenting per
            // clause.
            flush(&mut run, true, &mut out);
        } else {
            flush(&mut run, run_han, &mut out);
        }
    }
    flush(&mut run, run_han, &mut out);
    out
}

/// Stems one non-Chinese word and keeps it unless it is a stop word.
fn push_word(word: &str, out: &mut Vec<String>) {
    let cyrillic = word.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c));
    if cyrillic {
        let word = word.replace('ё', "е");
        if RU_STOP.contains(&word.as_str()) {
            return;
        }
        out.push(russian().stem(&word).into_owned());
    } else {
        if EN_STOP.contains(&word) {
            return;
        }
        out.push(english().stem(word).into_owned());
    }
}

/// The first [`MAX_TEXT`] bytes of `text`, on a character boundary.
fn cut(text: &str) -> &str {
    if text.len() <= MAX_TEXT {
        return text;
    }
    let mut end = MAX_TEXT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
}

fn vector(terms: &[String], idf: &HashMap<String, f32>, unseen: f32) -> Vector {
    let mut tf: HashMap<&str, f32> = HashMap::new();
    for t in terms {
        *tf.entry(t.as_str()).or_default() += 1.0;
    }
    let terms: Vec<(String, f32)> = tf
        .into_iter()
        .map(|(t, n)| {
            let w = (1.0 + n.ln()) * idf.get(t).copied().unwrap_or(unseen);
            (t.to_owned(), w)
        })
        .collect();
    let norm = terms.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
    Vector { terms, norm }
}

/// Cosine similarity where each query term meets its closest phrasing term:
/// the same term counts fully, a shared beginning partly.
fn cosine(query: &Vector, phrasing: &Vector) -> f32 {
    if query.norm == 0.0 || phrasing.norm == 0.0 {
        return 0.0;
    }
    let mut used = vec![false; phrasing.terms.len()];
    let mut dot = 0.0;
    for (term, w) in &query.terms {
        let best = phrasing
            .terms
            .iter()
            .enumerate()
            .filter(|(i, _)| !used[*i])
            .map(|(i, (other, v))| (i, likeness(term, other) * v))
            .filter(|(_, s)| *s > 0.0)
            .max_by(|a, b| a.1.partial_cmp(&b.1).unwrap_or(std::cmp::Ordering::Equal));
        if let Some((i, s)) = best {
            used[i] = true;
            dot += w * s;
        }
    }
    (dot / (query.norm * phrasing.norm)).min(1.0)
}

/// 1 for the same term; [`PARTIAL`] for alphabetic stems sharing a
/// beginning of at least three letters and 60% of the shorter; else 0.
fn likeness(a: &str, b: &str) -> f32 {
    if a == b {
        return 1.0;
    }
    if a.chars().any(is_han) || b.chars().any(is_han) {
        return 0.0;
    }
    let shared = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    let shorter = a.chars().count().min(b.chars().count());
    if shared >= 3 && shared * 10 >= shorter * 6 {
        PARTIAL
    } else {
        0.0
    }
}

/// The process's one Chinese segmenter, with its dictionary loaded on first
/// use (shared with other crates so it is loaded once).
pub fn jieba() -> &'static Jieba {
    static JIEBA: OnceLock<Jieba> = OnceLock::new();
    JIEBA.get_or_init(Jieba::new)
}

/// The Russian Snowball stemmer.
pub fn russian() -> &'static Stemmer {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    STEMMER.get_or_init(|| Stemmer::create(Algorithm::Russian))
}

/// The English Snowball stemmer.
pub fn english() -> &'static Stemmer {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    STEMMER.get_or_init(|| Stemmer::create(Algorithm::English))
}

/// Chinese openings that make a question.
const ZH_QUESTION: &[&str] = &[
    "怎么",
    "怎样",
    "如何",
    "什么",
    "为什么",
    "为何",
    "哪里",
    "哪儿",
    "哪个",
    "哪些",
    "是否",
    "能不能",
    "能否",
    "可不可以",
    "请问",
    "多少",
    "多久",
    "几时",
    "谁",
    "有没有",
];

/// Russian words that open a question.
const RU_QUESTION: &[&str] = &[
    "где",
    "как",
    "что",
    "почему",
    "зачем",
    "когда",
    "сколько",
    "кто",
    "какой",
    "какая",
    "какое",
    "какие",
    "куда",
    "откуда",
    "чем",
    "можно",
    "подскажите",
    "скажите",
    "есть",
    "ли",
];

/// English words that open a question.
const EN_QUESTION: &[&str] = &[
    "how", "what", "where", "why", "when", "who", "which", "can", "could", "is", "are", "do",
    "does", "did", "will", "would", "should", "anyone", "any", "whats", "hows", "wheres",
];

/// Chinese stop words: question words, pronouns, particles.
const ZH_STOP: &[&str] = &[
    "怎么",
    "怎样",
    "怎么样",
    "如何",
    "什么",
    "为什么",
    "为何",
    "哪里",
    "哪儿",
    "哪个",
    "是否",
    "能不能",
    "能否",
    "可以",
    "请问",
    "我",
    "你",
    "他",
    "她",
    "我们",
    "你们",
    "的",
    "了",
    "吗",
    "呢",
    "吧",
    "啊",
    "是",
    "在",
    "有",
    "和",
    "要",
    "想",
    "会",
    "能",
    "这",
    "那",
    "个",
    "一下",
    "么",
    "怎",
    "呀",
    "哦",
    "嗯",
    "就",
    "都",
    "也",
    "还",
    "把",
    "被",
    "给",
    "让",
];

/// Russian stop words (before stemming).
const RU_STOP: &[&str] = &[
    "как",
    "где",
    "что",
    "почему",
    "зачем",
    "когда",
    "кто",
    "куда",
    "откуда",
    "чем",
    "ли",
    "а",
    "и",
    "в",
    "во",
    "на",
    "с",
    "со",
    "к",
    "ко",
    "по",
    "о",
    "об",
    "от",
    "до",
    "за",
    "из",
    "у",
    "для",
    "не",
    "ни",
    "но",
    "же",
    "бы",
    "то",
    "это",
    "этот",
    "эта",
    "я",
    "мне",
    "меня",
    "мы",
    "нам",
    "вы",
    "вам",
    "вас",
    "ты",
    "тебе",
    "он",
    "она",
    "они",
    "мой",
    "моя",
    "мои",
    "свой",
    "можно",
    "мочь",
    "могу",
    "может",
    "подскажите",
    "скажите",
    "пожалуйста",
    "есть",
    "ещё",
    "еще",
    "уже",
    "так",
    "там",
    "тут",
    "здесь",
    "какой",
    "какая",
    "какое",
    "какие",
    "сколько",
];

/// English stop words (before stemming).
const EN_STOP: &[&str] = &[
    "how", "what", "where", "why", "when", "who", "which", "a", "an", "the", "i", "me", "my", "we",
    "our", "you", "your", "it", "its", "is", "are", "was", "were", "be", "been", "am", "do",
    "does", "did", "can", "could", "will", "would", "should", "shall", "may", "might", "to", "of",
    "in", "on", "at", "for", "with", "from", "by", "about", "and", "or", "but", "not", "no", "get",
    "got", "there", "this", "that", "these", "those", "any", "anyone", "please", "pls", "hi",
    "hello", "s", "t", "whats", "hows", "if", "so", "just",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: i64, keywords: &[&str], phrasings: &[&str]) -> Entry {
        Entry {
            id,
            keywords: keywords.iter().map(|s| (*s).to_owned()).collect(),
            phrasings: phrasings.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    fn index() -> Index {
        Index::build(&[
            entry(1, &[], &["如何申请退款", "возврат денег", "refund request"]),
            entry(
                2,
                &["发票"],
                &["怎么开发票", "как получить счёт", "invoice for my order"],
            ),
            entry(3, &["opening hours"], &["when are you open"]),
        ])
    }

    #[test]
    fn chinese_is_segmented() {
        let t = terms("怎么退款？");
        assert_eq!(t, vec!["退款"]);
        assert!(terms("如何申请退款").contains(&"退款".to_owned()));
    }

    #[test]
    fn each_language_finds_the_refund_entry() {
        let index = index();
        for question in [
            "怎么退款？",
            "Как вернуть деньги?",
            "How do I get a refund?",
        ] {
            let best = index.best(question).expect(question);
            assert_eq!(best.entry, 1, "{question}: {best:?}");
            assert!(best.score >= DEFAULT_MIN_SCORE, "{question}: {best:?}");
            assert!(!best.keyword);
        }
    }

    #[test]
    fn keywords_mark_a_strong_candidate() {
        let index = index();
        let best = index.best("我要发票").unwrap();
        assert_eq!((best.entry, best.keyword), (2, true));
        let best = index.best("What are your Opening Hours").unwrap();
        assert_eq!((best.entry, best.keyword), (3, true));
        // A keyword's words must all be there.
        assert!(index.best("the hours").is_none_or(|m| !m.keyword));
    }

    #[test]
    fn unrelated_text_scores_low() {
        let index = index();
        for text in [
            "今天天气很好",
            "Кто играет в футбол?",
            "Nice photo of the cat",
        ] {
            let score = index.best(text).map_or(0.0, |m| m.score);
            assert!(score < DEFAULT_UNANSWERED_BELOW, "{text}: {score}");
        }
    }

    #[test]
    fn questions_are_recognised() {
        for text in [
            "怎么退款",
            "退款要多久？",
            "可以退款吗",
            "Как вернуть деньги",
            "Где счёт?",
            "how do i pay",
            "Refund?",
            "refund ? 🙏",
        ] {
            assert!(looks_like_question(text), "{text}");
        }
        for text in ["谢谢大家", "Спасибо всем", "thanks a lot", ""] {
            assert!(!looks_like_question(text), "{text}");
        }
    }

    #[test]
    fn empty_and_huge_inputs_are_safe() {
        let index = index();
        assert!(index.best("").is_none());
        assert!(Index::default().best("how?").is_none());
        let long = "退款".repeat(5000) + "é";
        let _ = index.best(&long);
        let _ = looks_like_question(&long);
    }
}

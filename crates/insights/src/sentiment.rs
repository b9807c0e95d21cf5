//! Sentiment of one chat message, in Chinese, Russian or English, from
//! word lists rather than a trained model, so a score can be explained
//! ("骗子", "не работает") and recomputed when the lists change
//! ([`SENTIMENT_SCHEME`]).
//!
//! The method:
//! - The text (its first [`MAX_TEXT`] bytes) is lowercased once; `’` becomes
//!   `'` and `ё` becomes `е`.
//! - Runs of Chinese characters are segmented with jieba and each word is
//!   looked up in the Chinese list; multi-character entries jieba did not cut
//!   as one word are also found by longest match over the raw run
//!   (Aho-Corasick), unless they overlap a word already found.
//! - Russian and English words are looked up by their Snowball stem, so
//!   `ужасно` and `ужасный` are the same entry; entries with a space
//!   (`верните деньги`, `doesn't work`) and emoticons (`:)`, `)))`) are
//!   matched as phrases on the lowercased text, at word boundaries.
//! - A negator (不/没/别, не/нет/ни, not/no/never/…n't) flips, and damps, the
//!   next sentiment word within [`NEGATION_SCOPE`] words of the same clause:
//!   "not bad" is mildly positive. An intensifier (很/非常/太, очень/совсем,
//!   very/so/really) multiplies the next one. Emoji count as words but are
//!   never negated. Each run of `!!`/`？？` adds a little in the direction
//!   the message already leans.
//! - The sum is squashed into -1..=1 by `x / sqrt(x² + 15)` (as VADER does).
//!
//! Cost: linear in the (capped) text: one lowercased copy, one Aho-Corasick
//! pass, jieba per Chinese run, one stemmer call per Latin or Cyrillic word
//! (which allocates only when the stem differs), and a small vector of
//! units; nothing is done per character beyond classifying it. The lists
//! and jieba's dictionary are loaded once per process, on first use.

use std::collections::HashMap;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, MatchKind};
// The segmenter and stemmers are steward-faq's, so the dictionary is loaded
// once per process and words are cut the same way for FAQs and trends.
use steward_faq::{english, jieba, russian};

/// Version of the lexicons and of the scoring; stored with every score so
/// scores of an older scheme can be recomputed. Bump it whenever a file in
/// `lexicon/` or the scoring below changes.
pub const SENTIMENT_SCHEME: u32 = 1;

/// Only the first this many bytes of a message are scored: chat messages are
/// short, and a pasted novel must not cost more than a message.
pub const MAX_TEXT: usize = 4096;

/// How many words after a negator its effect may reach, within a clause.
pub const NEGATION_SCOPE: u8 = 3;

/// A score at or below minus this is negative, at or above it positive.
pub const THRESHOLD: f32 = 0.15;

/// A negated word counts this much, the other way round.
const NEGATION_FACTOR: f32 = 0.74;
/// Added per run of repeated `!`/`?`, in the direction of the sum.
const EXCLAIM_BONUS: f32 = 0.3;
/// The most an intensifier (or a chain of them) multiplies by.
const MAX_BOOST: f32 = 2.5;
/// VADER's normalisation constant: a sum of ±1 gives about ±0.25.
const ALPHA: f32 = 15.0;

/// The sentiment of one message.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sentiment {
    /// From -1.0 (very negative) to 1.0 (very positive); 0.0 when neutral.
    pub score: f32,
    /// `score <= -THRESHOLD`.
    pub negative: bool,
    /// `score >= THRESHOLD`.
    pub positive: bool,
    /// The message uses a complaint word not negated (退款, обман, refund,
    /// scam, "doesn't work" is not one, "верните деньги" is).
    pub complaint: bool,
}

impl Sentiment {
    /// A message with no sentiment at all.
    pub const NEUTRAL: Sentiment = Sentiment {
        score: 0.0,
        negative: false,
        positive: false,
        complaint: false,
    };

    fn from_sum(sum: f32, complaint: bool) -> Sentiment {
        let score = if sum.is_finite() {
            (sum / (sum * sum + ALPHA).sqrt()).clamp(-1.0, 1.0)
        } else {
            0.0
        };
        Sentiment {
            score,
            negative: score <= -THRESHOLD,
            positive: score >= THRESHOLD,
            complaint,
        }
    }
}

/// Scores one message. Never panics, whatever the text.
pub fn score(text: &str) -> Sentiment {
    let lowered = lower(cut(text));
    let units = units(&lowered);
    sum_up(&units)
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Term {
        weight: f32,
        complaint: bool,
        negatable: bool,
    },
    Negator,
    Intensifier(f32),
    /// The end of a clause: negation and intensity stop here.
    Boundary,
    /// A run of two or more `!`/`?`; also ends a clause.
    Exclaim,
    /// Any other word: it uses up negation scope.
    Other,
}

#[derive(Debug, Clone, Copy)]
struct Unit {
    start: usize,
    end: usize,
    kind: Kind,
}

fn sum_up(units: &[Unit]) -> Sentiment {
    let mut sum = 0.0f32;
    let mut complaint = false;
    let mut exclaims = 0u32;
    let mut negation_left = 0u8;
    let mut boost = 1.0f32;
    for unit in units {
        match unit.kind {
            Kind::Boundary | Kind::Exclaim => {
                if unit.kind == Kind::Exclaim {
                    exclaims += 1;
                }
                negation_left = 0;
                boost = 1.0;
            }
            Kind::Negator => negation_left = NEGATION_SCOPE,
            Kind::Intensifier(factor) => boost = (boost * factor).min(MAX_BOOST),
            Kind::Other => {
                negation_left = negation_left.saturating_sub(1);
                boost = 1.0;
            }
            Kind::Term {
                weight,
                complaint: is_complaint,
                negatable,
            } => {
                let mut value = weight * boost;
                if negatable && negation_left > 0 {
                    value *= -NEGATION_FACTOR;
                    negation_left = 0;
                } else if is_complaint {
                    complaint = true;
                }
                sum += value;
                boost = 1.0;
            }
        }
    }
    if sum != 0.0 {
        sum += sum.signum() * EXCLAIM_BONUS * exclaims.min(3) as f32;
    }
    Sentiment::from_sum(sum, complaint)
}

/// Splits lowered text into units, in order.
fn units(text: &str) -> Vec<Unit> {
    let lex = lexicon();
    let phrases = phrase_matches(lex, text);
    let mut phrases = phrases.iter().peekable();
    let mut out = Vec::new();
    // The current run: where it started, and whether it is Chinese.
    let mut run: Option<(usize, bool)> = None;
    let mut punct: Option<(usize, char, u32)> = None;
    let mut skip_to = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if i < skip_to {
            continue;
        }
        if let Some(&&(start, end, kind)) = phrases.peek()
            && start == i
        {
            flush_run(lex, text, &mut run, i, &mut out);
            flush_punct(&mut punct, &mut out);
            out.push(Unit { start, end, kind });
            skip_to = end;
            phrases.next();
            continue;
        }
        let han = is_han(c);
        let wordy = c.is_alphanumeric()
            || (c == '\''
                && run.is_some_and(|(_, h)| !h)
                && chars.peek().is_some_and(|(_, n)| n.is_alphanumeric()));
        if wordy {
            flush_punct(&mut punct, &mut out);
            if let Some((_, run_han)) = run
                && run_han != han
            {
                flush_run(lex, text, &mut run, i, &mut out);
            }
            if run.is_none() {
                run = Some((i, han));
            }
            continue;
        }
        flush_run(lex, text, &mut run, i, &mut out);
        match c {
            '!' | '！' | '?' | '？' => {
                let class = if matches!(c, '!' | '！') { '!' } else { '?' };
                match &mut punct {
                    Some((_, k, n)) if *k == class => *n += 1,
                    _ => {
                        flush_punct(&mut punct, &mut out);
                        punct = Some((i, class, 1));
                    }
                }
            }
            _ => {
                flush_punct(&mut punct, &mut out);
                if is_boundary(c) {
                    out.push(Unit {
                        start: i,
                        end: i + c.len_utf8(),
                        kind: Kind::Boundary,
                    });
                } else if let Some(weight) = emoji_weight(c) {
                    out.push(Unit {
                        start: i,
                        end: i + c.len_utf8(),
                        kind: Kind::Term {
                            weight,
                            complaint: false,
                            negatable: false,
                        },
                    });
                }
            }
        }
    }
    flush_run(lex, text, &mut run, text.len(), &mut out);
    flush_punct(&mut punct, &mut out);
    out
}

fn flush_punct(punct: &mut Option<(usize, char, u32)>, out: &mut Vec<Unit>) {
    if let Some((start, _, n)) = punct.take() {
        out.push(Unit {
            start,
            end: start + n as usize,
            kind: if n >= 2 {
                Kind::Exclaim
            } else {
                Kind::Boundary
            },
        });
    }
}

fn flush_run(
    lex: &Lexicon,
    text: &str,
    run: &mut Option<(usize, bool)>,
    end: usize,
    out: &mut Vec<Unit>,
) {
    let Some((start, han)) = run.take() else {
        return;
    };
    let Some(word) = text.get(start..end) else {
        return;
    };
    if han {
        chinese_units(lex, word, start, out);
    } else {
        out.push(Unit {
            start,
            end,
            kind: word_kind(lex, word),
        });
    }
}

/// A Russian or English word (or a Latin word in Chinese chat: `yyds`).
fn word_kind(lex: &Lexicon, word: &str) -> Kind {
    if word.ends_with("n't") || RU_NEGATORS.contains(&word) || EN_NEGATORS.contains(&word) {
        return Kind::Negator;
    }
    if let Some(&(_, f)) = INTENSIFIERS.iter().find(|(w, _)| *w == word) {
        return Kind::Intensifier(f);
    }
    let stem = stem(word);
    match lex.words.get(stem.as_ref()) {
        Some(&(weight, complaint)) => Kind::Term {
            weight,
            complaint,
            negatable: true,
        },
        None => Kind::Other,
    }
}

fn stem(word: &str) -> std::borrow::Cow<'_, str> {
    if word.chars().any(is_cyrillic) {
        russian().stem(word)
    } else {
        english().stem(word)
    }
}

/// Units of one run of Chinese characters starting at byte `offset`.
fn chinese_units(lex: &Lexicon, run: &str, offset: usize, out: &mut Vec<Unit>) {
    let mut local: Vec<Unit> = Vec::new();
    let mut at = 0;
    for token in jieba().cut(run, true) {
        let start = at;
        at += token.word.len();
        local.push(Unit {
            start,
            end: at,
            kind: chinese_kind(lex, token.word),
        });
    }
    // Multi-character entries jieba cut differently: keep those that cut no
    // sentiment word jieba found in two (没问题 over 没 + 问题, but not 不好
    // over 不 + 好看), in place of the units they cover.
    if let Some(ac) = &lex.zh_automaton {
        for m in ac.find_iter(run) {
            let (s, e) = (m.start(), m.end());
            let overlaps = |u: &Unit| u.start < e && s < u.end;
            let inside = |u: &Unit| s <= u.start && u.end <= e;
            if local
                .iter()
                .any(|u| overlaps(u) && !inside(u) && matches!(u.kind, Kind::Term { .. }))
            {
                continue;
            }
            let Some(&(weight, complaint)) = lex.zh_multi.get(m.pattern().as_usize()) else {
                continue;
            };
            local.retain(|u| !overlaps(u));
            local.push(Unit {
                start: s,
                end: e,
                kind: Kind::Term {
                    weight,
                    complaint,
                    negatable: true,
                },
            });
        }
        local.sort_by_key(|u| u.start);
    }
    out.extend(local.into_iter().map(|u| Unit {
        start: u.start + offset,
        end: u.end + offset,
        kind: u.kind,
    }));
}

fn chinese_kind(lex: &Lexicon, word: &str) -> Kind {
    if let Some(&(weight, complaint)) = lex.words.get(word) {
        return Kind::Term {
            weight,
            complaint,
            negatable: true,
        };
    }
    if ZH_NEGATORS.contains(&word) {
        return Kind::Negator;
    }
    if let Some(&(_, f)) = INTENSIFIERS.iter().find(|(w, _)| *w == word) {
        return Kind::Intensifier(f);
    }
    // 不太好/非常差 cut as one word: a negator and/or an intensifier in
    // front of an entry.
    let negator = ZH_NEGATORS
        .iter()
        .filter(|n| word.len() > n.len() && word.starts_with(**n))
        .max_by_key(|n| n.len());
    let rest = negator.map_or(word, |n| &word[n.len()..]);
    let (rest, boost) = match INTENSIFIERS
        .iter()
        .filter(|(w, _)| rest.len() > w.len() && rest.starts_with(*w))
        .max_by_key(|(w, _)| w.len())
    {
        Some((w, f)) => (&rest[w.len()..], *f),
        None => (rest, 1.0),
    };
    if rest.len() < word.len()
        && let Some(&(weight, complaint)) = lex.words.get(rest)
    {
        let negated = negator.is_some();
        return Kind::Term {
            weight: weight * boost * if negated { -NEGATION_FACTOR } else { 1.0 },
            complaint: complaint && !negated,
            negatable: !negated,
        };
    }
    Kind::Other
}

/// Phrase and emoticon matches as (start, end, kind), in order, each at a
/// word boundary where it begins or ends with a letter.
fn phrase_matches(lex: &Lexicon, text: &str) -> Vec<(usize, usize, Kind)> {
    let Some(ac) = &lex.phrase_automaton else {
        return Vec::new();
    };
    ac.find_iter(text)
        .filter(|m| at_word_boundary(text, m.start(), m.end()))
        .filter_map(|m| {
            let &(weight, complaint, negatable) = lex.phrases.get(m.pattern().as_usize())?;
            Some((
                m.start(),
                m.end(),
                Kind::Term {
                    weight,
                    complaint,
                    negatable,
                },
            ))
        })
        .collect()
}

fn at_word_boundary(text: &str, start: usize, end: usize) -> bool {
    let inside = &text[start..end];
    let first_wordy = inside.chars().next().is_some_and(char::is_alphanumeric);
    let last_wordy = inside
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric);
    let before = text[..start]
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric);
    let after = text[end..]
        .chars()
        .next()
        .is_some_and(char::is_alphanumeric);
    let glued = (first_wordy && before) || (last_wordy && after);
    !glued
}

/// The lists, parsed once.
struct Lexicon {
    /// Chinese words as written; Russian and English words by their stem.
    words: HashMap<String, (f32, bool)>,
    /// Multi-character Chinese entries, by automaton pattern index.
    zh_multi: Vec<(f32, bool)>,
    zh_automaton: Option<AhoCorasick>,
    /// Phrases and emoticons (weight, complaint, negatable), by pattern index.
    phrases: Vec<(f32, bool, bool)>,
    phrase_automaton: Option<AhoCorasick>,
}

/// One parsed lexicon line.
#[derive(Debug, PartialEq)]
struct Entry<'a> {
    word: &'a str,
    weight: f32,
    complaint: bool,
}

/// Parses `word<TAB>weight[<TAB>complaint]`; `None` for comments, blank
/// lines and malformed lines (a test checks the shipped files have none).
fn parse_line(line: &str) -> Option<Entry<'_>> {
    let line = line.trim_end_matches('\r');
    if line.trim().is_empty() || line.starts_with('#') {
        return None;
    }
    let mut fields = line.split('\t');
    let word = fields.next()?.trim();
    let weight: f32 = fields.next()?.trim().parse().ok()?;
    let complaint = match fields.next().map(str::trim) {
        None => false,
        Some("complaint") => true,
        Some(_) => return None,
    };
    if word.is_empty() || !weight.is_finite() || fields.next().is_some() {
        return None;
    }
    Some(Entry {
        word,
        weight,
        complaint,
    })
}

const ZH_LEXICON: &str = include_str!("../lexicon/zh.txt");
const RU_LEXICON: &str = include_str!("../lexicon/ru.txt");
const EN_LEXICON: &str = include_str!("../lexicon/en.txt");

fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(build_lexicon)
}

fn build_lexicon() -> Lexicon {
    let mut words = HashMap::new();
    let mut zh_patterns = Vec::new();
    let mut zh_multi = Vec::new();
    let mut phrase_patterns: Vec<String> = Vec::new();
    let mut phrases = Vec::new();
    for line in [ZH_LEXICON, RU_LEXICON, EN_LEXICON]
        .into_iter()
        .flat_map(str::lines)
    {
        let Some(entry) = parse_line(line) else {
            continue;
        };
        let word = lower(entry.word);
        if word.contains(' ') {
            phrase_patterns.push(word);
            phrases.push((entry.weight, entry.complaint, true));
        } else if word.chars().any(is_han) {
            if word.chars().count() > 1 {
                zh_patterns.push(word.clone());
                zh_multi.push((entry.weight, entry.complaint));
            }
            words.entry(word).or_insert((entry.weight, entry.complaint));
        } else {
            // The first form listed wins when two share a stem.
            let key = stem(&word).into_owned();
            words.entry(key).or_insert((entry.weight, entry.complaint));
        }
    }
    for (emoticon, weight) in EMOTICONS {
        phrase_patterns.push((*emoticon).to_owned());
        phrases.push((*weight, false, false));
    }
    Lexicon {
        words,
        zh_multi,
        zh_automaton: automaton(&zh_patterns),
        phrases,
        phrase_automaton: automaton(&phrase_patterns),
    }
}

fn automaton(patterns: &[String]) -> Option<AhoCorasick> {
    if patterns.is_empty() {
        return None;
    }
    AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .build(patterns)
        .ok()
}

/// Lowercases, and folds `’` to `'` and `ё` to `е`, in one pass.
fn lower(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '’' | '‘' | '`' => out.push('\''),
            'ё' | 'Ё' => out.push('е'),
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
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

fn is_cyrillic(c: char) -> bool {
    ('\u{0400}'..='\u{04FF}').contains(&c)
}

fn is_boundary(c: char) -> bool {
    matches!(
        c,
        '.' | ',' | ';' | ':' | '\n' | '。' | '，' | '；' | '：' | '、' | '…' | '~' | '～'
    )
}

fn emoji_weight(c: char) -> Option<f32> {
    EMOJI.iter().find(|(e, _)| *e == c).map(|&(_, w)| w)
}

const ZH_NEGATORS: &[&str] = &[
    "不",
    "没",
    "没有",
    "别",
    "不是",
    "并不",
    "并没有",
    "从不",
    "从来不",
    "从没",
    "无",
    "未",
    "不要",
    "不想",
    "不用",
    "不需要",
    "不必",
    "无需",
    "不会",
    "不太",
    "不怎么",
    "不够",
    "毫不",
    "决不",
    "绝不",
    "非",
];

const RU_NEGATORS: &[&str] = &[
    "не",
    "нет",
    "ни",
    "никогда",
    "ничего",
    "ничуть",
    "нисколько",
    "без",
    "вовсе",
];

const EN_NEGATORS: &[&str] = &[
    "not", "no", "never", "nothing", "nobody", "none", "neither", "nor", "without", "dont", "cant",
    "wont", "isnt", "doesnt", "didnt", "aint", "wasnt", "hardly", "barely",
];

/// Words that strengthen the next sentiment word, and by how much.
const INTENSIFIERS: &[(&str, f32)] = &[
    ("很", 1.3),
    ("非常", 1.6),
    ("太", 1.5),
    ("特别", 1.5),
    ("真", 1.3),
    ("真的", 1.3),
    ("超", 1.5),
    ("超级", 1.6),
    ("十分", 1.5),
    ("极其", 1.8),
    ("极", 1.6),
    ("最", 1.5),
    ("巨", 1.5),
    ("挺", 1.2),
    ("相当", 1.4),
    ("实在", 1.4),
    ("贼", 1.4),
    ("蛮", 1.2),
    ("更", 1.2),
    ("очень", 1.5),
    ("совсем", 1.4),
    ("так", 1.2),
    ("слишком", 1.4),
    ("крайне", 1.7),
    ("реально", 1.3),
    ("абсолютно", 1.6),
    ("совершенно", 1.5),
    ("настолько", 1.4),
    ("вообще", 1.3),
    ("very", 1.5),
    ("so", 1.3),
    ("really", 1.4),
    ("too", 1.3),
    ("extremely", 1.8),
    ("super", 1.5),
    ("totally", 1.5),
    ("absolutely", 1.6),
    ("completely", 1.5),
    ("incredibly", 1.7),
    ("quite", 1.2),
    ("such", 1.3),
];

/// Emoticons, matched as phrases; never negated.
const EMOTICONS: &[(&str, f32)] = &[
    (":)", 1.5),
    (":-)", 1.5),
    (":))", 2.0),
    (":d", 2.0),
    (":-d", 2.0),
    (";)", 1.0),
    (";-)", 1.0),
    ("^_^", 1.5),
    ("^^", 1.0),
    ("<3", 2.0),
    (")))", 1.5),
    ("))", 1.0),
    (":(", -1.5),
    (":-(", -1.5),
    (":((", -2.0),
    (":'(", -2.0),
    ("(((", -1.5),
    ("((", -1.0),
    ("t_t", -1.5),
    ("-_-", -1.0),
    ("qaq", -1.5),
];

/// Emoji (single code points; a variation selector after one is ignored).
const EMOJI: &[(char, f32)] = &[
    ('😡', -2.5),
    ('🤬', -3.0),
    ('👎', -2.0),
    ('😢', -2.0),
    ('😭', -2.0),
    ('😞', -2.0),
    ('😠', -2.5),
    ('💩', -2.0),
    ('🙄', -1.0),
    ('😒', -1.5),
    ('😤', -2.0),
    ('😔', -1.5),
    ('☹', -1.5),
    ('🙁', -1.5),
    ('😩', -2.0),
    ('😫', -2.0),
    ('💔', -2.0),
    ('🤮', -2.5),
    ('🤢', -2.0),
    ('😰', -1.5),
    ('😖', -1.5),
    ('👍', 2.0),
    ('😊', 2.0),
    ('❤', 2.0),
    ('😍', 2.5),
    ('🥰', 2.5),
    ('😀', 1.5),
    ('😃', 1.5),
    ('😄', 2.0),
    ('😁', 2.0),
    ('😂', 1.0),
    ('🤣', 1.0),
    ('🙂', 1.0),
    ('😉', 1.0),
    ('👏', 2.0),
    ('🎉', 2.0),
    ('💯', 2.0),
    ('🔥', 1.0),
    ('🙏', 1.0),
    ('💪', 1.5),
    ('👌', 1.5),
    ('💕', 2.0),
    ('💖', 2.0),
    ('😘', 2.0),
    ('🤗', 2.0),
    ('🥳', 2.0),
    ('✨', 1.0),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_lexicon_line_parses() {
        for (name, file) in [("zh", ZH_LEXICON), ("ru", RU_LEXICON), ("en", EN_LEXICON)] {
            let mut entries = 0;
            for line in file.lines() {
                if line.starts_with('#') || line.trim().is_empty() {
                    continue;
                }
                assert!(parse_line(line).is_some(), "{name}: bad line {line:?}");
                entries += 1;
            }
            assert!(entries >= 200, "{name} has only {entries} entries");
        }
    }

    /// FNV-1a over the three lexicons, so a change to them without a new
    /// [`SENTIMENT_SCHEME`] fails here.
    fn fingerprint() -> u64 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in [ZH_LEXICON, RU_LEXICON, EN_LEXICON]
            .iter()
            .flat_map(|f| f.bytes())
        {
            h ^= u64::from(byte);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        h
    }

    #[test]
    fn lexicon_changes_bump_the_scheme() {
        // When this fails: bump SENTIMENT_SCHEME and record the new pair.
        let known: &[(u32, u64)] = &[(1, 0x3fe6_32be_1d34_b9a3)];
        assert!(
            known.contains(&(SENTIMENT_SCHEME, fingerprint())),
            "lexicon fingerprint {:#x} is not recorded for scheme {SENTIMENT_SCHEME}",
            fingerprint()
        );
    }

    #[test]
    fn parse_line_refuses_malformed_lines() {
        assert_eq!(parse_line("# comment"), None);
        assert_eq!(parse_line("good"), None);
        assert_eq!(parse_line("good\tmuch"), None);
        assert_eq!(parse_line("good\tNaN"), None);
        assert_eq!(parse_line("good\t1\tangry"), None);
        assert_eq!(
            parse_line("scam\t-3\tcomplaint"),
            Some(Entry {
                word: "scam",
                weight: -3.0,
                complaint: true
            })
        );
    }

    #[test]
    fn multi_char_chinese_entry_found_when_jieba_cuts_it_apart() {
        let lex = lexicon();
        // Whatever jieba does with it, 气死 must be found inside the run.
        let mut out = Vec::new();
        chinese_units(lex, "真是气死我了", 0, &mut out);
        assert!(
            out.iter()
                .any(|u| matches!(u.kind, Kind::Term { weight, .. } if weight < 0.0)),
            "{out:?}"
        );
    }

    #[test]
    fn phrases_respect_word_boundaries() {
        // "scam" is a word entry, "rip off" a phrase; "tripoff" holds neither.
        assert!(!score("tripoffs everywhere").negative);
        assert!(score("what a rip off").negative);
    }
}

//! Keyword lists, and the literals patterns start with, in one automaton.
//!
//! Every keyword of every list that folds disguises (the default) goes into
//! one Aho-Corasick automaton run over the normalized text, together with
//! the pattern prefilter's literals (`prefilter`), so one pass over the text
//! finds both the keywords and the patterns worth running. Lists with
//! `normalize = false` get a second automaton over the text only lowercased,
//! built and run only when such a list exists.
//!
//! A list's options decide what counts as a hit: `match` (whole words or
//! anywhere) is checked at each match, `min_hits` (so many different words
//! of the list) once the pass is over.

use std::collections::HashMap;
use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use crate::normalize::Normalized;
use crate::rules::KeywordMatch;

/// Automata up to this many strings are DFAs: the fastest search (about
/// 12 MB for 10,000 keywords); past that a DFA's memory grows too fast,
/// and the builder's own choice is kept.
const DFA_STRINGS: usize = 20_000;

/// What one string of an automaton stands for.
#[derive(Debug, Clone, Copy)]
enum Owner {
    /// A keyword of a list.
    Keyword {
        /// The rule's index.
        rule: usize,
        /// The word's number within its list (equal folded words share
        /// one), for counting different words.
        word: u32,
        whole_word: bool,
        /// Different words needed before the rule fires.
        min_hits: u32,
    },
    /// A literal of the pattern prefilter.
    Literal(usize),
}

/// One automaton and what its strings stand for.
#[derive(Debug, Clone)]
struct Automaton {
    searcher: AhoCorasick,
    owners: Vec<Owner>,
}

/// Strings gathered for one automaton.
#[derive(Debug, Default)]
struct Strings {
    strings: Vec<String>,
    owners: Vec<Owner>,
}

impl Strings {
    fn build(self) -> Result<Option<Automaton>, String> {
        if self.strings.is_empty() {
            return Ok(None);
        }
        let searcher = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind((self.strings.len() <= DFA_STRINGS).then_some(AhoCorasickKind::DFA))
            .build(&self.strings)
            .map_err(|e| e.to_string())?;
        Ok(Some(Automaton {
            searcher,
            owners: self.owners,
        }))
    }
}

/// Collects keyword lists for [`Keywords`].
#[derive(Debug, Default)]
pub(crate) struct KeywordsBuilder {
    folded: Strings,
    lowered: Strings,
}

/// A list's options, as the rule gives them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ListOptions {
    pub(crate) matching: KeywordMatch,
    pub(crate) normalize: bool,
    pub(crate) min_hits: usize,
}

impl KeywordsBuilder {
    /// Adds rule `rule`'s list; the problem with it, if any, in words an
    /// admin can act on.
    pub(crate) fn add_list(
        &mut self,
        rule: usize,
        words: &[String],
        options: ListOptions,
    ) -> Result<(), String> {
        if words.is_empty() {
            return Err("the keyword list is empty".into());
        }
        if options.min_hits == 0 {
            return Err("min_hits must be at least 1".into());
        }
        let mut ids: HashMap<String, u32> = HashMap::new();
        let mut folded_words = Vec::with_capacity(words.len());
        for word in words {
            let folded = if options.normalize {
                Normalized::new(word.trim()).as_str().to_owned()
            } else {
                lowercase(word.trim())
            };
            if folded.is_empty() {
                let how = if options.normalize {
                    "once normalized"
                } else {
                    "once trimmed"
                };
                return Err(format!("keyword {word:?} is empty {how}"));
            }
            if !ids.contains_key(&folded) {
                ids.insert(folded.clone(), u32::try_from(ids.len()).unwrap_or(u32::MAX));
                folded_words.push(folded);
            }
        }
        if options.min_hits > folded_words.len() {
            return Err(format!(
                "min_hits is {} but the list has only {} different words",
                options.min_hits,
                folded_words.len()
            ));
        }
        let min_hits = u32::try_from(options.min_hits).unwrap_or(u32::MAX);
        let target = if options.normalize {
            &mut self.folded
        } else {
            &mut self.lowered
        };
        for (word, folded) in folded_words.into_iter().enumerate() {
            let whole_word = match options.matching {
                KeywordMatch::Auto => {
                    folded.chars().next().is_some_and(is_word_char)
                        || folded.chars().next_back().is_some_and(is_word_char)
                }
                KeywordMatch::Word => true,
                KeywordMatch::Substring => false,
            };
            target.strings.push(folded);
            target.owners.push(Owner::Keyword {
                rule,
                word: u32::try_from(word).unwrap_or(u32::MAX),
                whole_word,
                min_hits,
            });
        }
        Ok(())
    }

    /// Whether any list was added.
    pub(crate) fn has_lists(&self) -> bool {
        !self.folded.strings.is_empty() || !self.lowered.strings.is_empty()
    }

    /// The automata, with `literals` (lowercase, matched on the normalized
    /// text) in the first; the automaton builder's reason if it refused.
    pub(crate) fn build(mut self, literals: &[String]) -> Result<Keywords, String> {
        for (idx, literal) in literals.iter().enumerate() {
            self.folded.strings.push(literal.clone());
            self.folded.owners.push(Owner::Literal(idx));
        }
        Ok(Keywords {
            folded: self.folded.build()?,
            lowered: self.lowered.build()?,
        })
    }
}

/// The compiled keyword lists and prefilter literals.
#[derive(Debug, Clone, Default)]
pub(crate) struct Keywords {
    /// Over the normalized text.
    folded: Option<Automaton>,
    /// Over the text only lowercased.
    lowered: Option<Automaton>,
}

/// A keyword hit that waits for its list's `min_hits`.
#[derive(Debug, Clone)]
struct Pending {
    rule: usize,
    word: u32,
    min_hits: u32,
    range: Range<usize>,
}

impl Keywords {
    /// Runs the automata: keyword hits go to `hit` (with the text their
    /// range is in), the numbers of the prefilter literals found to
    /// `literals`. `original` is what `folded` was normalized from.
    pub(crate) fn scan(
        &self,
        folded: &Normalized,
        original: &str,
        hit: &mut impl FnMut(&Normalized, usize, Range<usize>),
        literals: &mut Vec<usize>,
    ) {
        if let Some(automaton) = &self.folded {
            automaton.scan(folded, hit, literals);
        }
        if let Some(automaton) = &self.lowered {
            let lowered = Normalized::lowercased(original);
            automaton.scan(&lowered, hit, literals);
        }
    }
}

impl Automaton {
    fn scan(
        &self,
        text: &Normalized,
        hit: &mut impl FnMut(&Normalized, usize, Range<usize>),
        literals: &mut Vec<usize>,
    ) {
        let haystack = text.as_str();
        let mut pending: Vec<Pending> = Vec::new();
        for m in self.searcher.find_overlapping_iter(haystack) {
            match self.owners.get(m.pattern().as_usize()) {
                Some(&Owner::Literal(idx)) => literals.push(idx),
                Some(&Owner::Keyword {
                    rule,
                    word,
                    whole_word,
                    min_hits,
                }) => {
                    if whole_word && !at_word_boundaries(haystack, m.start(), m.end()) {
                        continue;
                    }
                    if min_hits <= 1 {
                        hit(text, rule, m.range());
                    } else {
                        pending.push(Pending {
                            rule,
                            word,
                            min_hits,
                            range: m.range(),
                        });
                    }
                }
                None => {}
            }
        }
        if !pending.is_empty() {
            settle(text, &pending, hit);
        }
    }
}

/// Reports the pending hits of the lists that reached their `min_hits`,
/// in text order.
fn settle(
    text: &Normalized,
    pending: &[Pending],
    hit: &mut impl FnMut(&Normalized, usize, Range<usize>),
) {
    let mut words: Vec<(usize, u32)> = pending.iter().map(|p| (p.rule, p.word)).collect();
    words.sort_unstable();
    words.dedup();
    let reached = |rule: usize, min_hits: u32| {
        let different = words.iter().filter(|(r, _)| *r == rule).count();
        different >= min_hits as usize
    };
    for p in pending {
        if reached(p.rule, p.min_hits) {
            hit(text, p.rule, p.range.clone());
        }
    }
}

/// `text` lowercased a character at a time, as [`Normalized::lowercased`]
/// does, so keywords and text agree.
fn lowercase(text: &str) -> String {
    text.chars().flat_map(char::to_lowercase).collect()
}

/// Letters and digits of scripts written with spaces between words.
fn is_word_char(ch: char) -> bool {
    ch.is_alphanumeric() && !is_cjk(ch)
}

fn is_cjk(ch: char) -> bool {
    matches!(ch as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF)
}

fn at_word_boundaries(text: &str, start: usize, end: usize) -> bool {
    let before = text.get(..start).and_then(|s| s.chars().next_back());
    let after = text.get(end..).and_then(|s| s.chars().next());
    !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char)
}

#[cfg(test)]
mod tests {
    use crate::rules::{KeywordMatch, Rule, RuleKind, RuleSet, Severity};
    use crate::{BehaviourRules, Engine, RuleError};

    fn list(words: &[&str], matching: KeywordMatch, normalize: bool, min_hits: usize) -> RuleKind {
        RuleKind::Keywords {
            words: words.iter().map(|w| (*w).to_owned()).collect(),
            matching,
            normalize,
            min_hits,
        }
    }

    fn engine(kind: RuleKind) -> Result<Engine, RuleError> {
        Engine::compile(&RuleSet {
            rules: vec![Rule::new("list", "d", Severity::Low, kind)],
            behaviour: BehaviourRules::default(),
        })
    }

    fn hits(engine: &Engine, text: &str) -> Vec<String> {
        engine
            .check(text)
            .hits
            .into_iter()
            .flat_map(|h| h.evidence)
            .map(|r| text[r].to_owned())
            .collect()
    }

    #[test]
    fn substring_lists_match_inside_words() {
        let auto = engine(list(&["spam"], KeywordMatch::Auto, true, 1)).unwrap();
        let anywhere = engine(list(&["spam"], KeywordMatch::Substring, true, 1)).unwrap();
        assert!(hits(&auto, "spamming all day").is_empty());
        assert_eq!(hits(&anywhere, "spamming all day"), ["spam"]);
        assert_eq!(hits(&anywhere, "no spam"), ["spam"]);
    }

    #[test]
    fn word_lists_want_whole_words_in_every_script() {
        let auto = engine(list(&["广告"], KeywordMatch::Auto, true, 1)).unwrap();
        let word = engine(list(&["广告", "spam"], KeywordMatch::Word, true, 1)).unwrap();
        // Chinese has no spaces to find words by: auto matches anywhere.
        assert_eq!(hits(&auto, "看广告abc"), ["广告"]);
        // `word` wants no Latin or Cyrillic letter or digit next to it...
        assert!(hits(&word, "看广告abc").is_empty());
        assert!(hits(&word, "spammer").is_empty());
        // ...which Han characters are not.
        assert_eq!(hits(&word, "这是广告啊"), ["广告"]);
        assert_eq!(hits(&word, "spam!"), ["spam"]);
    }

    #[test]
    fn unnormalized_lists_see_the_text_only_lowercased() {
        let folded = engine(list(&["free usdt"], KeywordMatch::Auto, true, 1)).unwrap();
        let plain = engine(list(&["Free USDT"], KeywordMatch::Auto, false, 1)).unwrap();
        for disguised in ["ＦＲＥＥ ＵＳＤＴ", "f.r.e.e usdt", "frее usdt"] {
            assert!(!hits(&folded, disguised).is_empty(), "{disguised}");
            assert!(hits(&plain, disguised).is_empty(), "{disguised}");
        }
        // Evidence still points at the original text.
        let text = "Get FREE USDT now";
        assert_eq!(hits(&plain, text), ["FREE USDT"]);
        assert_eq!(engine_hit_normalized(&plain, text), ["free usdt"]);
        // Whole words still apply.
        assert!(hits(&plain, "freeusdt usdtfree free usdtx").is_empty());
        // Both kinds of list work side by side, each on its own text.
        let both = Engine::compile(&RuleSet {
            rules: vec![
                Rule::new(
                    "plain",
                    "d",
                    Severity::Low,
                    list(&["İstanbul"], KeywordMatch::Auto, false, 1),
                ),
                Rule::new("folded", "d", Severity::Low, RuleKind::keywords(["казино"])),
            ],
            behaviour: BehaviourRules::default(),
        })
        .unwrap();
        let text = "İSTANBUL К а з и н о";
        let verdict = both.check(text);
        let rules: Vec<&str> = verdict.hits.iter().map(|h| h.rule.as_str()).collect();
        assert_eq!(rules, ["plain", "folded"]);
        assert_eq!(&text[verdict.hits[0].evidence[0].clone()], "İSTANBUL");
    }

    fn engine_hit_normalized(engine: &Engine, text: &str) -> Vec<String> {
        engine
            .check(text)
            .hits
            .into_iter()
            .flat_map(|h| h.normalized)
            .collect()
    }

    #[test]
    fn min_hits_counts_different_words() {
        let two = engine(list(
            &["casino", "bonus", "slots"],
            KeywordMatch::Auto,
            true,
            2,
        ))
        .unwrap();
        assert!(hits(&two, "the casino is closed").is_empty());
        assert!(
            hits(&two, "casino casino casino").is_empty(),
            "one word thrice"
        );
        assert_eq!(hits(&two, "casino bonus here"), ["casino", "bonus"]);
        assert_eq!(
            hits(&two, "slots, casino and a casino"),
            ["slots", "casino", "casino"]
        );
        // Words that fold to the same are one word.
        let same = engine(list(&["casino", "CASINO"], KeywordMatch::Auto, true, 1)).unwrap();
        assert_eq!(hits(&same, "casino"), ["casino"]);
    }

    #[test]
    fn bad_options_are_refused_by_rule() {
        let err = engine(list(&["a", "b"], KeywordMatch::Auto, true, 0)).unwrap_err();
        assert_eq!(err.rule, "list");
        assert!(err.problem.contains("min_hits must be at least 1"), "{err}");
        let err = engine(list(&["a", "A", "b"], KeywordMatch::Auto, true, 3)).unwrap_err();
        assert_eq!(err.rule, "list");
        assert!(err.problem.contains("only 2 different words"), "{err}");
        let err = engine(list(&["ok", "  "], KeywordMatch::Auto, false, 1)).unwrap_err();
        assert!(err.problem.contains("empty once trimmed"), "{err}");
        let err = engine(list(&[], KeywordMatch::Substring, true, 1)).unwrap_err();
        assert!(err.problem.contains("empty"), "{err}");
    }

    #[test]
    fn options_read_and_write_by_their_names() {
        let rule: Rule = serde_json::from_value(serde_json::json!({
            "id": "r", "description": "d", "type": "keywords", "words": ["a"],
            "match": "substring", "normalize": false, "min_hits": 1
        }))
        .unwrap();
        assert_eq!(rule.kind, list(&["a"], KeywordMatch::Substring, false, 1));
        // Defaults are left out, so existing rule sets read and write as before.
        let plain: Rule = serde_json::from_value(serde_json::json!({
            "id": "r", "description": "d", "type": "keywords", "words": ["a"]
        }))
        .unwrap();
        assert_eq!(plain.kind, RuleKind::keywords(["a"]));
        let written = serde_json::to_value(&plain).unwrap();
        assert!(written.get("match").is_none() && written.get("min_hits").is_none());
        let bad = serde_json::from_value::<Rule>(serde_json::json!({
            "id": "r", "description": "d", "type": "keywords", "words": ["a"], "match": "fuzzy"
        }));
        assert!(bad.unwrap_err().to_string().contains("unknown variant"));
    }
}

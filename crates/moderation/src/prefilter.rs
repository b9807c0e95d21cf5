//! Which patterns are worth running on a text.
//!
//! Running a few hundred regular expressions on every message is the slow
//! part of a naive bot. Most patterns start with a literal (`earn`, `加`,
//! `заработ`): every match begins with one of a few strings. Those strings
//! for all patterns go into one Aho-Corasick automaton; a pattern runs only
//! when one of its strings occurs in the text. Patterns with no such strings
//! (`\d{11}`) run always.

use aho_corasick::{AhoCorasick, MatchKind};
use regex_syntax::hir::literal::{ExtractKind, Extractor};

/// At most this many literals per pattern; beyond that the pattern runs
/// always (a huge alternation gains little from the prefilter).
const MAX_LITERALS: usize = 64;

/// The prefilter for a list of patterns.
#[derive(Debug, Clone, Default)]
pub(crate) struct Prefilter {
    automaton: Option<AhoCorasick>,
    /// For each literal in the automaton, the pattern it belongs to.
    owner: Vec<usize>,
    /// Patterns without literals.
    always: Vec<usize>,
    n_patterns: usize,
}

impl Prefilter {
    /// Builds the prefilter; `patterns` are matched case-insensitively on
    /// lowercase text.
    pub(crate) fn new(patterns: &[String]) -> Prefilter {
        let mut literals = Vec::new();
        let mut owner = Vec::new();
        let mut always = Vec::new();
        for (idx, pattern) in patterns.iter().enumerate() {
            match prefixes(pattern) {
                Some(found) => {
                    for literal in found {
                        literals.push(literal);
                        owner.push(idx);
                    }
                }
                None => always.push(idx),
            }
        }
        let automaton = if literals.is_empty() {
            None
        } else {
            AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .build(&literals)
                .ok()
        };
        if automaton.is_none() {
            // Without an automaton every pattern must run.
            always = (0..patterns.len()).collect();
            owner.clear();
        }
        Prefilter {
            automaton,
            owner,
            always,
            n_patterns: patterns.len(),
        }
    }

    /// The patterns to run on `text`, in order, each once.
    pub(crate) fn candidates(&self, text: &str) -> Vec<usize> {
        if self.n_patterns == 0 {
            return Vec::new();
        }
        let mut wanted = vec![false; self.n_patterns];
        for &idx in &self.always {
            if let Some(slot) = wanted.get_mut(idx) {
                *slot = true;
            }
        }
        if let Some(automaton) = &self.automaton {
            for m in automaton.find_overlapping_iter(text) {
                if let Some(slot) = self
                    .owner
                    .get(m.pattern().as_usize())
                    .and_then(|&i| wanted.get_mut(i))
                {
                    *slot = true;
                }
            }
        }
        wanted
            .iter()
            .enumerate()
            .filter_map(|(i, &w)| w.then_some(i))
            .collect()
    }
}

/// The lowercase strings every match of `pattern` starts with, or `None` if
/// there is no short finite set of them.
fn prefixes(pattern: &str) -> Option<Vec<String>> {
    let hir = regex_syntax::ParserBuilder::new()
        .case_insensitive(true)
        .build()
        .parse(pattern)
        .ok()?;
    let mut extractor = Extractor::new();
    extractor
        .kind(ExtractKind::Prefix)
        .limit_total(MAX_LITERALS * 4);
    let seq = extractor.extract(&hir);
    let literals = seq.literals()?;
    let mut found: Vec<String> = Vec::with_capacity(literals.len());
    for literal in literals {
        let text = std::str::from_utf8(literal.as_bytes()).ok()?;
        if text.is_empty() {
            return None;
        }
        found.push(text.to_lowercase());
    }
    found.sort();
    found.dedup();
    (found.len() <= MAX_LITERALS).then_some(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_with_literal_starts_run_only_when_the_literal_is_there() {
        let patterns = vec![
            r"earn\s*\$?\d{3,}".to_owned(),
            r"(加|\+)\s*(微信|qq)".to_owned(),
            r"\d{11}".to_owned(),
            r"Заработ\w*".to_owned(),
        ];
        let prefilter = Prefilter::new(&patterns);
        assert_eq!(prefilter.candidates("hello there"), [2]);
        assert_eq!(prefilter.candidates("earn 500 now"), [0, 2]);
        assert_eq!(prefilter.candidates("快来加我"), [1, 2]);
        assert_eq!(prefilter.candidates("заработок"), [2, 3]);
        assert!(Prefilter::new(&[]).candidates("x").is_empty());
    }

    #[test]
    fn the_prefilter_never_hides_a_match() {
        let patterns: Vec<String> = [
            r"ab+c",
            r"(?i)Hello\s+World",
            r"x|yz",
            r"[a-c]{2}\d",
            r".*needle",
            r"\bfoo",
        ]
        .iter()
        .map(|p| (*p).to_owned())
        .collect();
        let prefilter = Prefilter::new(&patterns);
        for text in [
            "abbbc",
            "hello   world",
            "zzz yz",
            "bc9",
            "haystack needle",
            "a foo",
            "nothing",
        ] {
            let candidates = prefilter.candidates(text);
            for (idx, pattern) in patterns.iter().enumerate() {
                let regex = regex::RegexBuilder::new(pattern)
                    .case_insensitive(true)
                    .build()
                    .unwrap();
                if regex.is_match(text) {
                    assert!(candidates.contains(&idx), "{pattern} on {text}");
                }
            }
        }
    }
}

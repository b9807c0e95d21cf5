//! Which patterns are worth running on a text.
//!
//! Running a few hundred regular expressions on every message is the slow
//! part of a naive bot. Most patterns start with a literal (`earn`, `加`,
//! `заработ`): every match begins with one of a few strings. Those strings
//! for all patterns go into the keyword automaton (`keywords`), so the one
//! pass that finds keywords also finds them; a pattern runs only when one of
//! its strings occurs in the text. Patterns with no such strings (`\d{11}`)
//! run always.

use regex_syntax::hir::literal::{ExtractKind, Extractor};

/// At most this many literals per pattern; beyond that the pattern runs
/// always (a huge alternation gains little from the prefilter).
const MAX_LITERALS: usize = 64;

/// The prefilter for a list of patterns.
#[derive(Debug, Clone, Default)]
pub(crate) struct Prefilter {
    /// The lowercase literals, for the automaton.
    literals: Vec<String>,
    /// For each literal, the pattern it belongs to.
    owner: Vec<usize>,
    /// Patterns without literals.
    always: Vec<usize>,
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
        Prefilter {
            literals,
            owner,
            always,
        }
    }

    /// The same patterns, all run always: for when no automaton holds the
    /// literals.
    pub(crate) fn run_all(patterns: usize) -> Prefilter {
        Prefilter {
            always: (0..patterns).collect(),
            ..Prefilter::default()
        }
    }

    /// The literals to look for, lowercase.
    pub(crate) fn literals(&self) -> &[String] {
        &self.literals
    }

    /// Turns the numbers of the literals found in a text into the patterns
    /// to run on it, in order, each once.
    pub(crate) fn candidates(&self, found: &mut Vec<usize>) {
        for literal in found.iter_mut() {
            *literal = self.owner.get(*literal).copied().unwrap_or(usize::MAX);
        }
        found.extend_from_slice(&self.always);
        found.sort_unstable();
        found.dedup();
        found.retain(|&idx| idx != usize::MAX);
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

    impl Prefilter {
        /// The patterns to run on `text`, with an automaton of its own.
        fn candidates_in(&self, text: &str) -> Vec<usize> {
            let mut found = Vec::new();
            if !self.literals.is_empty() {
                let automaton = aho_corasick::AhoCorasick::new(&self.literals).unwrap();
                for m in automaton.find_overlapping_iter(text) {
                    found.push(m.pattern().as_usize());
                }
            }
            self.candidates(&mut found);
            found
        }
    }

    #[test]
    fn patterns_with_literal_starts_run_only_when_the_literal_is_there() {
        let patterns = vec![
            r"earn\s*\$?\d{3,}".to_owned(),
            r"(加|\+)\s*(微信|qq)".to_owned(),
            r"\d{11}".to_owned(),
            r"Заработ\w*".to_owned(),
        ];
        let prefilter = Prefilter::new(&patterns);
        assert_eq!(prefilter.candidates_in("hello there"), [2]);
        assert_eq!(prefilter.candidates_in("earn 500 now"), [0, 2]);
        assert_eq!(prefilter.candidates_in("快来加我"), [1, 2]);
        assert_eq!(prefilter.candidates_in("заработок"), [2, 3]);
        assert!(Prefilter::new(&[]).candidates_in("x").is_empty());
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
            let candidates = prefilter.candidates_in(text);
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

//! Rules compiled into one matcher.

use std::collections::BTreeMap;
use std::ops::Range;

use aho_corasick::{AhoCorasick, MatchKind};
use regex::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};

use crate::normalize::Normalized;
use crate::rules::{RuleKind, RuleSet, Severity};
use crate::verdict::{Hit, Verdict};

/// Compiled-program size limit per pattern: large enough for any sensible
/// rule, small enough that no rule can eat the engine's memory.
const REGEX_SIZE_LIMIT: usize = 1 << 20;

/// A rule that could not be compiled.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("rule `{rule}`: {problem}")]
pub struct RuleError {
    /// The rule's id.
    pub rule: String,
    /// What is wrong with it.
    pub problem: String,
}

#[derive(Debug, Clone)]
struct RuleMeta {
    id: String,
    description: String,
    severity: Severity,
}

/// A rule set compiled for checking.
#[derive(Debug, Clone)]
pub struct Engine {
    rules: Vec<RuleMeta>,
    keywords: Option<AhoCorasick>,
    /// For each keyword pattern: its rule and whether it must match whole words.
    keyword_owner: Vec<(usize, bool)>,
    patterns: RegexSet,
    pattern_regexes: Vec<(usize, Regex)>,
    deny_domains: Vec<(String, usize)>,
    invite_rule: Option<usize>,
    link: Regex,
    invite: Regex,
}

impl Engine {
    /// Compiles a rule set; the first bad rule is reported by id.
    pub fn compile(rule_set: &RuleSet) -> Result<Engine, RuleError> {
        let mut rules = Vec::new();
        let mut words = Vec::new();
        let mut keyword_owner = Vec::new();
        let mut pattern_sources = Vec::new();
        let mut pattern_regexes = Vec::new();
        let mut deny_domains = Vec::new();
        let mut invite_rule = None;
        let mut seen = std::collections::HashSet::new();
        for (idx, rule) in rule_set.rules.iter().enumerate() {
            let bad = |problem: String| RuleError {
                rule: rule.id.clone(),
                problem,
            };
            if rule.id.trim().is_empty() {
                return Err(bad("the id is empty".into()));
            }
            if !seen.insert(rule.id.as_str()) {
                return Err(bad("another rule has the same id".into()));
            }
            rules.push(RuleMeta {
                id: rule.id.clone(),
                description: rule.description.clone(),
                severity: rule.severity,
            });
            match &rule.kind {
                RuleKind::Keywords { words: list } => {
                    if list.is_empty() {
                        return Err(bad("the keyword list is empty".into()));
                    }
                    for word in list {
                        let folded = Normalized::new(word.trim()).as_str().to_owned();
                        if folded.is_empty() {
                            return Err(bad(format!("keyword {word:?} is empty once normalized")));
                        }
                        let whole_word = folded.chars().next().is_some_and(is_word_char)
                            || folded.chars().last().is_some_and(is_word_char);
                        words.push(folded);
                        keyword_owner.push((idx, whole_word));
                    }
                }
                RuleKind::Pattern { regex } => {
                    let compiled = RegexBuilder::new(regex)
                        .size_limit(REGEX_SIZE_LIMIT)
                        .dfa_size_limit(REGEX_SIZE_LIMIT)
                        .case_insensitive(true)
                        .build()
                        .map_err(|e| bad(format!("invalid pattern: {e}")))?;
                    pattern_sources.push(regex.clone());
                    pattern_regexes.push((idx, compiled));
                }
                RuleKind::DenyDomains { domains } => {
                    for domain in domains {
                        let domain = domain.trim().trim_start_matches('.').to_lowercase();
                        if domain.is_empty() || !domain.contains('.') {
                            return Err(bad(format!("{domain:?} is not a domain")));
                        }
                        deny_domains.push((domain, idx));
                    }
                }
                RuleKind::InviteLinks => invite_rule = Some(idx),
            }
        }
        let keywords = if words.is_empty() {
            None
        } else {
            Some(
                AhoCorasick::builder()
                    .match_kind(MatchKind::Standard)
                    .build(&words)
                    .map_err(|e| RuleError {
                        rule: "keywords".into(),
                        problem: e.to_string(),
                    })?,
            )
        };
        let patterns = RegexSetBuilder::new(&pattern_sources)
            .size_limit(REGEX_SIZE_LIMIT * 8)
            .dfa_size_limit(REGEX_SIZE_LIMIT * 8)
            .case_insensitive(true)
            .build()
            .map_err(|e| RuleError {
                rule: "patterns".into(),
                problem: e.to_string(),
            })?;
        Ok(Engine {
            rules,
            keywords,
            keyword_owner,
            patterns,
            pattern_regexes,
            deny_domains,
            invite_rule,
            link: built_in(r"(?:https?://)?(?:[a-z0-9-]+\.)+[a-z]{2,}(?::\d+)?(?:/[^\s]*)?"),
            invite: built_in(
                r"(?:t|telegram)\.me/(?:\+|joinchat/)?[a-z0-9_-]{4,}|chat\.whatsapp\.com/\w+|discord(?:\.gg|(?:app)?\.com/invite)/\w+|qm\.qq\.com/\S+",
            ),
        })
    }

    /// The number of rules.
    pub fn rule_count(&self) -> usize {
        self.rules.len()
    }

    /// Checks a message's text, plus links the platform marked up that do not
    /// appear in the text.
    pub fn check_message(&self, text: &str, links: &[String]) -> Verdict {
        let mut found: BTreeMap<usize, (Vec<Range<usize>>, Vec<String>)> = BTreeMap::new();
        let normalized = Normalized::new(text);
        self.scan(&normalized, true, &mut found);
        for link in links {
            let folded = Normalized::new(link);
            // Evidence for a hidden link has no place in the text.
            let mut hidden = BTreeMap::new();
            self.scan_links(&folded, &mut hidden);
            for (rule, (_, matched)) in hidden {
                found.entry(rule).or_default().1.extend(matched);
            }
        }
        let hits = found
            .into_iter()
            .filter_map(|(idx, (evidence, normalized))| {
                let meta = self.rules.get(idx)?;
                Some(Hit {
                    rule: meta.id.clone(),
                    description: meta.description.clone(),
                    severity: meta.severity,
                    evidence,
                    normalized,
                })
            })
            .collect();
        Verdict::from_hits(hits)
    }

    /// Checks a text.
    pub fn check(&self, text: &str) -> Verdict {
        self.check_message(text, &[])
    }

    fn scan(
        &self,
        normalized: &Normalized,
        with_text_rules: bool,
        found: &mut BTreeMap<usize, (Vec<Range<usize>>, Vec<String>)>,
    ) {
        let text = normalized.as_str();
        let mut record = |rule: usize, range: Range<usize>| {
            let entry = found.entry(rule).or_default();
            let original = normalized.original_range(range.clone());
            if !entry.0.contains(&original) {
                entry.0.push(original);
                entry.1.push(text.get(range).unwrap_or_default().to_owned());
            }
        };
        if with_text_rules {
            if let Some(keywords) = &self.keywords {
                for m in keywords.find_overlapping_iter(text) {
                    let Some(&(rule, whole_word)) = self.keyword_owner.get(m.pattern().as_usize())
                    else {
                        continue;
                    };
                    if whole_word && !at_word_boundaries(text, m.start(), m.end()) {
                        continue;
                    }
                    record(rule, m.range());
                }
            }
            for set_idx in self.patterns.matches(text).iter() {
                if let Some((rule, regex)) = self.pattern_regexes.get(set_idx) {
                    for m in regex.find_iter(text) {
                        record(*rule, m.range());
                    }
                }
            }
        }
        let mut link_hits = BTreeMap::new();
        self.scan_links(normalized, &mut link_hits);
        for (rule, (ranges, _)) in link_hits {
            for range in ranges {
                record(rule, range);
            }
        }
    }

    /// Link rules; ranges are in the normalized text.
    fn scan_links(
        &self,
        normalized: &Normalized,
        found: &mut BTreeMap<usize, (Vec<Range<usize>>, Vec<String>)>,
    ) {
        let text = normalized.as_str();
        if let Some(rule) = self.invite_rule {
            for m in self.invite.find_iter(text) {
                let entry = found.entry(rule).or_default();
                entry.0.push(m.range());
                entry.1.push(m.as_str().to_owned());
            }
        }
        if self.deny_domains.is_empty() {
            return;
        }
        for m in self.link.find_iter(text) {
            let host = host_of(m.as_str());
            for (domain, rule) in &self.deny_domains {
                if host == domain || host.ends_with(&format!(".{domain}")) {
                    let entry = found.entry(*rule).or_default();
                    entry.0.push(m.range());
                    entry.1.push(m.as_str().to_owned());
                }
            }
        }
    }
}

fn built_in(pattern: &str) -> Regex {
    // The built-in patterns are constants; a failure here is a bug caught by
    // every test that compiles an engine.
    RegexBuilder::new(pattern)
        .size_limit(REGEX_SIZE_LIMIT)
        .build()
        .unwrap_or_else(|e| panic!("built-in pattern does not compile: {e}"))
}

fn host_of(link: &str) -> &str {
    let rest = link.split_once("://").map_or(link, |(_, rest)| rest);
    let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    host.split(':').next().unwrap_or(host)
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
    use super::*;
    use crate::rules::Rule;

    fn default_engine() -> Engine {
        Engine::compile(&RuleSet::default_rules()).unwrap()
    }

    fn rules_hit(text: &str) -> Vec<String> {
        default_engine()
            .check(text)
            .hits
            .into_iter()
            .map(|h| h.rule)
            .collect()
    }

    #[test]
    fn default_rules_catch_obvious_spam_in_three_languages() {
        assert_eq!(
            rules_hit("兼职刷单日结300，加V：abc123"),
            ["ads-zh", "contact-zh"]
        );
        assert_eq!(rules_hit("Заработок от 5000 в день, пиши в лс"), ["ads-ru"]);
        assert_eq!(rules_hit("Crypto airdrop! Claim now"), ["ads-en"]);
        assert_eq!(rules_hit("join t.me/+AbCdEf123"), ["invite-links"]);
        assert_eq!(rules_hit("Earn $500 a day from home"), ["earn-per-day"]);
    }

    #[test]
    fn ordinary_talk_is_clean() {
        for text in [
            "大家好，今天的咖啡很好喝",
            "Привет, кто-нибудь пробовал новый релиз?",
            "Does anyone know how lifetimes work here?",
            "see https://doc.rust-lang.org/book/",
            "",
        ] {
            assert!(rules_hit(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn latin_keywords_match_whole_words_only() {
        let engine = Engine::compile(&RuleSet {
            rules: vec![Rule {
                id: "w".into(),
                description: "d".into(),
                severity: Severity::Low,
                kind: RuleKind::Keywords {
                    words: vec!["spam".into(), "广告".into()],
                },
            }],
        })
        .unwrap();
        assert!(engine.check("this is spam!").is_violation());
        assert!(!engine.check("spamming is fine").is_violation());
        assert!(engine.check("这是广告啊").is_violation());
    }

    #[test]
    fn evidence_points_at_the_original_text() {
        let text = "Hi! ＦＲＥＥ ＵＳＤＴ here";
        let verdict = default_engine().check(text);
        let hit = &verdict.hits[0];
        assert_eq!(&text[hit.evidence[0].clone()], "ＦＲＥＥ ＵＳＤＴ");
        assert_eq!(hit.normalized[0], "free usdt");
    }

    #[test]
    fn deny_domains_match_subdomains_and_hidden_links() {
        let engine = Engine::compile(&RuleSet {
            rules: vec![Rule {
                id: "bad".into(),
                description: "d".into(),
                severity: Severity::High,
                kind: RuleKind::DenyDomains {
                    domains: vec!["scam.example".into()],
                },
            }],
        })
        .unwrap();
        assert!(
            engine
                .check("go to https://www.scam.example/x")
                .is_violation()
        );
        assert!(!engine.check("go to notscam.example").is_violation());
        let verdict = engine.check_message("click here", &["http://scam.example".into()]);
        assert!(verdict.is_violation());
        assert!(verdict.hits[0].evidence.is_empty());
    }

    #[test]
    fn bad_rules_are_named() {
        let err = Engine::compile(&RuleSet {
            rules: vec![Rule {
                id: "broken".into(),
                description: "d".into(),
                severity: Severity::Low,
                kind: RuleKind::Pattern {
                    regex: "(unclosed".into(),
                },
            }],
        })
        .unwrap_err();
        assert_eq!(err.rule, "broken");
        assert!(err.problem.contains("invalid pattern"));
    }

    #[test]
    fn huge_patterns_are_refused() {
        let err = Engine::compile(&RuleSet {
            rules: vec![Rule {
                id: "huge".into(),
                description: "d".into(),
                severity: Severity::Low,
                kind: RuleKind::Pattern {
                    regex: r"\w{1000}\w{1000}\w{1000}".into(),
                },
            }],
        })
        .unwrap_err();
        assert_eq!(err.rule, "huge");
    }
}

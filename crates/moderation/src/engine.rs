//! Rules compiled into one matcher.
//!
//! All keyword lists share one Aho-Corasick automaton (`keywords`), and
//! patterns run only when the literal they must start with occurs in the
//! text (`prefilter`; the same automaton finds the literals), so checking a
//! message costs about the same with ten rules or ten thousand. Rules that
//! count (mentions, emoji, capitals, length) or look at structure
//! (attachments, forwards) are plain functions run after.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

use regex::{Regex, RegexBuilder};
use steward_classifier::Model;
use steward_core::{AttachmentKind, ForwardOrigin, MessageContent};

use crate::keywords::{Keywords, KeywordsBuilder, ListOptions};
use crate::links::{self, DomainList, FoundKind, LinkExtractor};
use crate::normalize::Normalized;
use crate::prefilter::Prefilter;
use crate::rules::{Mode, RuleKind, RuleSet, Severity};
use crate::verdict::{Hit, Verdict};
use crate::{BehaviourRules, TrustLevel};

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

/// What one message (or name) offers the rules.
#[derive(Debug, Clone, Copy, Default)]
pub struct Subject<'a> {
    /// The text (message text, caption, display name or username).
    pub text: &'a str,
    /// Links the platform marked up, which may not appear in the text.
    pub links: &'a [String],
    /// How many members it mentions.
    pub mentions: usize,
    /// Its attachments.
    pub attachments: &'a [AttachmentKind],
    /// Where it was forwarded from.
    pub forwarded_from: Option<&'a ForwardOrigin>,
}

impl<'a> Subject<'a> {
    /// A bare text.
    pub fn text(text: &'a str) -> Subject<'a> {
        Subject {
            text,
            ..Subject::default()
        }
    }

    /// A message, with its links, mentions, attachments and origin.
    pub fn message(message: &'a MessageContent, attachments: &'a [AttachmentKind]) -> Subject<'a> {
        Subject {
            text: &message.text,
            links: &message.links,
            mentions: message.mentions.len(),
            attachments,
            forwarded_from: message.forwarded_from.as_ref(),
        }
    }
}

#[derive(Debug, Clone)]
struct RuleMeta {
    id: String,
    description: String,
    severity: Severity,
    mode: Mode,
    mute_minutes: Option<i64>,
    spare_from: TrustLevel,
    only_below: Option<TrustLevel>,
}

/// Rules that count or look at structure, run one by one.
#[derive(Debug, Clone)]
enum Count {
    Mentions(usize),
    Emoji(usize),
    Caps { max_percent: u8, min_letters: usize },
    Length(usize),
    Attachments(Vec<AttachmentKind>),
    Forwards { channels_only: bool },
    AnyLink,
    AllowDomains(DomainList),
    Phones,
    ContactIds,
}

/// A rule set compiled for checking.
#[derive(Debug, Clone)]
pub struct Engine {
    rules: Vec<RuleMeta>,
    /// The keyword lists, and the literals of `patterns`.
    keywords: Keywords,
    patterns: Prefilter,
    pattern_regexes: Vec<(usize, Regex)>,
    /// Each deny-domain rule's list, with its hosts in ASCII form computed
    /// once (a per-call conversion of every listed domain costs
    /// milliseconds on a long list).
    deny_domains: Vec<(DomainList, usize)>,
    invite_rules: Vec<usize>,
    counts: Vec<(usize, Count)>,
    behaviour: BehaviourRules,
    links: LinkExtractor,
    /// The classifier rule, its threshold, and the model (set with
    /// [`Engine::with_model`]; without one the rule finds nothing).
    classifier: Option<(usize, Option<f32>)>,
    model: Option<SharedModel>,
}

/// The classifier's model, shared between engines (it is a few MB).
#[derive(Clone)]
struct SharedModel(Arc<Model>);

impl std::fmt::Debug for SharedModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Model")
            .field("stats", &self.0.stats())
            .finish()
    }
}

impl Engine {
    /// Compiles a rule set; the first bad rule is reported by id.
    pub fn compile(rule_set: &RuleSet) -> Result<Engine, RuleError> {
        let mut rules = Vec::new();
        let mut keywords = KeywordsBuilder::default();
        let mut pattern_sources = Vec::new();
        let mut pattern_regexes = Vec::new();
        let mut deny_domains = Vec::new();
        let mut invite_rules = Vec::new();
        let mut counts = Vec::new();
        let mut classifier = None;
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
            if rule.mute_minutes.is_some_and(|m| m <= 0) {
                return Err(bad("mute_minutes must be positive".into()));
            }
            rules.push(RuleMeta {
                id: rule.id.clone(),
                description: rule.description.clone(),
                severity: rule.severity,
                mode: rule.mode,
                mute_minutes: rule.mute_minutes,
                spare_from: rule.spare_from,
                only_below: rule.only_below,
            });
            match &rule.kind {
                RuleKind::Keywords {
                    words,
                    matching,
                    normalize,
                    min_hits,
                } => {
                    let options = ListOptions {
                        matching: *matching,
                        normalize: *normalize,
                        min_hits: *min_hits,
                    };
                    keywords.add_list(idx, words, options).map_err(bad)?;
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
                    deny_domains
                        .push((DomainList::new(checked_domains(domains).map_err(bad)?), idx));
                }
                RuleKind::AllowDomains { domains } => {
                    counts.push((
                        idx,
                        Count::AllowDomains(DomainList::new(
                            checked_domains(domains).map_err(bad)?,
                        )),
                    ));
                }
                RuleKind::InviteLinks => invite_rules.push(idx),
                RuleKind::AnyLink => counts.push((idx, Count::AnyLink)),
                RuleKind::Phones => counts.push((idx, Count::Phones)),
                RuleKind::ContactIds => counts.push((idx, Count::ContactIds)),
                RuleKind::Mentions { max } => counts.push((idx, Count::Mentions(*max))),
                RuleKind::Emoji { max } => counts.push((idx, Count::Emoji(*max))),
                RuleKind::Caps {
                    max_percent,
                    min_letters,
                } => {
                    if *max_percent > 100 {
                        return Err(bad("max_percent must be 0 to 100".into()));
                    }
                    counts.push((
                        idx,
                        Count::Caps {
                            max_percent: *max_percent,
                            min_letters: *min_letters,
                        },
                    ));
                }
                RuleKind::Length { max_chars } => counts.push((idx, Count::Length(*max_chars))),
                RuleKind::Attachments { kinds } => {
                    if kinds.is_empty() {
                        return Err(bad("the list of attachment kinds is empty".into()));
                    }
                    counts.push((idx, Count::Attachments(kinds.clone())));
                }
                RuleKind::Classifier { threshold } => {
                    if threshold.is_some_and(|t| !(0.0..=1.0).contains(&t)) {
                        return Err(bad("threshold must be between 0 and 1".into()));
                    }
                    if classifier.is_some() {
                        return Err(bad("only one classifier rule is allowed".into()));
                    }
                    classifier = Some((idx, *threshold));
                }
                RuleKind::Forwards { channels_only } => {
                    counts.push((
                        idx,
                        Count::Forwards {
                            channels_only: *channels_only,
                        },
                    ));
                }
            }
        }
        let prefilter = Prefilter::new(&pattern_sources);
        let has_lists = keywords.has_lists();
        let (keywords, patterns) = match keywords.build(prefilter.literals()) {
            Ok(keywords) => (keywords, prefilter),
            Err(problem) if has_lists => {
                return Err(RuleError {
                    rule: "keywords".into(),
                    problem,
                });
            }
            // Only the literals were refused: without them every pattern
            // runs, which is slower but finds the same.
            Err(_) => (
                Keywords::default(),
                Prefilter::run_all(pattern_sources.len()),
            ),
        };
        Ok(Engine {
            rules,
            keywords,
            patterns,
            pattern_regexes,
            deny_domains,
            invite_rules,
            counts,
            behaviour: rule_set.behaviour.clone(),
            links: LinkExtractor::new(),
            classifier,
            model: None,
        })
    }

    /// The engine with a spam classifier model for its `classifier` rule.
    #[must_use]
    pub fn with_model(mut self, model: Arc<Model>) -> Engine {
        self.model = Some(SharedModel(model));
        self
    }

    /// The classifier model, if one is set.
    pub fn model(&self) -> Option<&Arc<Model>> {
        self.model.as_ref().map(|m| &m.0)
    }

    /// The number of rules.
    pub fn rule_count(&self) -> usize {
        self.rules.len()
    }

    /// The behaviour limits of the rule set.
    pub fn behaviour(&self) -> &BehaviourRules {
        &self.behaviour
    }

    /// Checks a text.
    pub fn check(&self, text: &str) -> Verdict {
        self.check_subject(&Subject::text(text))
    }

    /// Checks a message's text plus links the platform marked up.
    pub fn check_message(&self, text: &str, links: &[String]) -> Verdict {
        self.check_subject(&Subject {
            text,
            links,
            ..Subject::default()
        })
    }

    /// Checks everything a message offers.
    pub fn check_subject(&self, subject: &Subject<'_>) -> Verdict {
        Normalized::scoped(subject.text, |normalized| {
            self.check_normalized(subject, normalized)
        })
    }

    fn check_normalized(&self, subject: &Subject<'_>, normalized: &Normalized) -> Verdict {
        let mut found = Found::default();
        self.scan_text(normalized, subject.text, &mut found);
        let links = self.links.extract(normalized.as_str());
        self.scan_links(normalized, &links, &mut found);
        // Links the platform marked up but the text hides: their evidence is
        // the link itself, not a place in the text.
        let mut hidden = Vec::new();
        for link in subject.links {
            let folded = Normalized::new(link);
            let mut scratch = Found::default();
            let extracted = self.links.extract(folded.as_str());
            self.scan_links(&folded, &extracted, &mut scratch);
            for (rule, (_, matched)) in scratch.0 {
                found.0.entry(rule).or_default().1.extend(matched);
            }
            hidden.extend(
                extracted
                    .into_iter()
                    .filter_map(|f| Some((f.host()?.to_owned(), f.value))),
            );
        }
        // A forward's origin (a spam channel's name) answers to the same
        // keywords and patterns; its evidence is the name, not the text.
        if let Some(name) = subject.forwarded_from.and_then(|f| f.name.as_deref()) {
            let folded = Normalized::new(name);
            let mut scratch = Found::default();
            self.scan_text(&folded, name, &mut scratch);
            for (rule, (_, matched)) in scratch.0 {
                let entry = found.0.entry(rule).or_default();
                entry
                    .1
                    .extend(matched.into_iter().map(|m| format!("forwarded from: {m}")));
            }
        }
        self.run_counts(subject, normalized, &links, &hidden, &mut found);
        self.run_classifier(subject.text, &mut found);
        self.verdict(found)
    }

    fn verdict(&self, found: Found) -> Verdict {
        let hits = found
            .0
            .into_iter()
            .filter_map(|(idx, (evidence, normalized))| {
                let meta = self.rules.get(idx)?;
                Some(Hit {
                    rule: meta.id.clone(),
                    description: meta.description.clone(),
                    severity: meta.severity,
                    mode: meta.mode,
                    evidence,
                    normalized,
                    mute_minutes: meta.mute_minutes,
                    spare_from: meta.spare_from,
                    only_below: meta.only_below,
                })
            })
            .collect();
        Verdict::from_hits(hits)
    }

    /// Keywords and patterns over `normalized`, folded from `original`.
    fn scan_text(&self, normalized: &Normalized, original: &str, found: &mut Found) {
        // The literals found, then the patterns they call for; empty (no
        // allocation) for most messages.
        let mut candidates = Vec::new();
        self.keywords.scan(
            normalized,
            original,
            &mut |text, rule, range| found.record(text, rule, range),
            &mut candidates,
        );
        self.patterns.candidates(&mut candidates);
        let text = normalized.as_str();
        for set_idx in candidates {
            if let Some((rule, regex)) = self.pattern_regexes.get(set_idx) {
                for m in regex.find_iter(text) {
                    found.record(normalized, *rule, m.range());
                }
            }
        }
    }

    /// The classifier rule; its evidence is the n-grams that weighed most.
    fn run_classifier(&self, text: &str, found: &mut Found) {
        let (Some((rule, threshold)), Some(model)) = (self.classifier, &self.model) else {
            return;
        };
        if text.is_empty() {
            return;
        }
        let model = &model.0;
        let verdict = model.classify_at(text, threshold.unwrap_or_else(|| model.threshold()));
        if !verdict.is_spam {
            return;
        }
        let entry = found.0.entry(rule).or_default();
        entry
            .1
            .push(format!("spam probability {:.2}", verdict.spam_probability));
        if let Some(near) = verdict.near_duplicate {
            entry.1.push(format!(
                "near-duplicate of known spam (distance {})",
                near.distance
            ));
        }
        for span in model.explain(text, 5).spans() {
            if text.is_char_boundary(span.start)
                && text.is_char_boundary(span.end)
                && span.end <= text.len()
            {
                entry.0.push(span);
            }
        }
    }

    /// Invite and deny-domain rules over the links found in the text.
    fn scan_links(&self, normalized: &Normalized, links: &[links::Found], found: &mut Found) {
        for link in links {
            if matches!(link.kind, FoundKind::Invite { .. }) {
                for &rule in &self.invite_rules {
                    found.record(normalized, rule, link.range.clone());
                }
            }
            let Some(host) = link.host() else { continue };
            for (list, rule) in &self.deny_domains {
                if list.contains_host(host) {
                    found.record(normalized, *rule, link.range.clone());
                }
            }
        }
    }

    fn run_counts(
        &self,
        subject: &Subject<'_>,
        normalized: &Normalized,
        links: &[links::Found],
        hidden: &[(String, String)],
        found: &mut Found,
    ) {
        if self.counts.is_empty() {
            return;
        }
        for (rule, count) in &self.counts {
            let rule = *rule;
            match count {
                Count::Mentions(max) => {
                    let n = subject.mentions.max(subject.text.matches('@').count());
                    if n > *max {
                        found.note(rule, format!("{n} mentions"));
                    }
                }
                Count::Emoji(max) => {
                    let n = subject.text.chars().filter(|c| is_emoji(*c)).count();
                    if n > *max {
                        found.note(rule, format!("{n} emoji"));
                    }
                }
                Count::Caps {
                    max_percent,
                    min_letters,
                } => {
                    let letters = subject
                        .text
                        .chars()
                        .filter(|c| c.is_uppercase() || c.is_lowercase());
                    let (n, upper) = letters.fold((0usize, 0usize), |(n, u), c| {
                        (n + 1, u + usize::from(c.is_uppercase()))
                    });
                    if n >= *min_letters && upper * 100 > n * usize::from(*max_percent) {
                        found.note(rule, format!("{upper} of {n} letters in capitals"));
                    }
                }
                Count::Length(max) => {
                    let n = subject.text.chars().count();
                    if n > *max {
                        found.note(rule, format!("{n} characters"));
                    }
                }
                Count::Attachments(kinds) => {
                    for kind in subject.attachments.iter().filter(|k| kinds.contains(k)) {
                        found.note(rule, format!("{kind:?}").to_lowercase());
                    }
                }
                Count::Forwards { channels_only } => {
                    if let Some(origin) = subject.forwarded_from {
                        let from_channel = origin.kind.as_deref() == Some("channel");
                        if from_channel || !channels_only {
                            let name = origin
                                .name
                                .as_deref()
                                .or(origin.id.as_deref())
                                .unwrap_or("?");
                            found.note(rule, format!("forwarded from {name}"));
                        }
                    }
                }
                Count::AnyLink => {
                    for link in links.iter().filter(|l| is_link(&l.kind)) {
                        found.record(normalized, rule, link.range.clone());
                    }
                    for (_, value) in hidden {
                        found.note(rule, value.clone());
                    }
                }
                Count::AllowDomains(allowed) => {
                    let outside = |host: &str| !allowed.contains_host(host);
                    for link in links.iter().filter(|l| is_link(&l.kind)) {
                        if link.host().is_some_and(outside) {
                            found.record(normalized, rule, link.range.clone());
                        }
                    }
                    for (host, value) in hidden {
                        if outside(host) {
                            found.note(rule, value.clone());
                        }
                    }
                }
                Count::Phones => {
                    for link in links.iter().filter(|l| l.kind == FoundKind::Phone) {
                        found.record(normalized, rule, link.range.clone());
                    }
                }
                Count::ContactIds => {
                    for link in links
                        .iter()
                        .filter(|l| matches!(l.kind, FoundKind::WeChatId | FoundKind::QqId))
                    {
                        found.record(normalized, rule, link.range.clone());
                    }
                }
            }
        }
    }
}

/// Hits gathered while checking: rule index → (evidence ranges in the
/// original text, matched normalized fragments).
#[derive(Default)]
struct Found(BTreeMap<usize, (Vec<Range<usize>>, Vec<String>)>);

impl Found {
    fn record(&mut self, normalized: &Normalized, rule: usize, range: Range<usize>) {
        let entry = self.0.entry(rule).or_default();
        let original = normalized.original_range(range.clone());
        if !entry.0.contains(&original) {
            entry.0.push(original);
            entry.1.push(
                normalized
                    .as_str()
                    .get(range)
                    .unwrap_or_default()
                    .to_owned(),
            );
        }
    }

    /// A hit whose evidence is a count, not a place in the text.
    fn note(&mut self, rule: usize, what: String) {
        self.0.entry(rule).or_default().1.push(what);
    }
}

fn checked_domains(domains: &[String]) -> Result<Vec<String>, String> {
    domains
        .iter()
        .map(|domain| {
            let folded = domain
                .trim()
                .trim_start_matches('.')
                .trim_end_matches('.')
                .to_lowercase();
            if folded.is_empty() || !folded.contains('.') {
                return Err(format!("{domain:?} is not a domain"));
            }
            Ok(folded)
        })
        .collect()
}

fn is_link(kind: &FoundKind) -> bool {
    matches!(kind, FoundKind::Url { .. } | FoundKind::Invite { .. })
}

fn is_emoji(ch: char) -> bool {
    matches!(ch as u32,
        0x1F300..=0x1F5FF | 0x1F600..=0x1F64F | 0x1F680..=0x1F6FF | 0x1F900..=0x1F9FF
        | 0x1FA70..=0x1FAFF | 0x2600..=0x26FF | 0x2700..=0x27BF | 0x1F1E6..=0x1F1FF)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Rule;

    fn one_rule(rule: Rule) -> Result<Engine, RuleError> {
        Engine::compile(&RuleSet {
            rules: vec![rule],
            behaviour: BehaviourRules::default(),
        })
    }

    fn default_engine() -> Engine {
        Engine::compile(&RuleSet::default_rules()).unwrap()
    }

    fn rules_hit(text: &str) -> Vec<String> {
        default_engine()
            .check(text)
            .hits
            .into_iter()
            .filter(|h| h.mode == Mode::Enforce)
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
        let engine = one_rule(Rule::new(
            "w",
            "d",
            Severity::Low,
            RuleKind::keywords(["spam", "广告"]),
        ))
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
        let engine = one_rule(Rule::new(
            "bad",
            "d",
            Severity::High,
            RuleKind::DenyDomains {
                domains: vec!["scam.example".into()],
            },
        ))
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
        let err = one_rule(Rule::new(
            "broken",
            "d",
            Severity::Low,
            RuleKind::Pattern {
                regex: "(unclosed".into(),
            },
        ))
        .unwrap_err();
        assert_eq!(err.rule, "broken");
        assert!(err.problem.contains("invalid pattern"));
    }

    #[test]
    fn huge_patterns_are_refused() {
        let err = one_rule(Rule::new(
            "huge",
            "d",
            Severity::Low,
            RuleKind::Pattern {
                regex: r"\w{1000}\w{1000}\w{1000}".into(),
            },
        ))
        .unwrap_err();
        assert_eq!(err.rule, "huge");
    }

    #[test]
    fn counting_rules_fire_above_their_limits() {
        let rule = |kind| one_rule(Rule::new("r", "d", Severity::Low, kind)).unwrap();
        let mentions = rule(RuleKind::Mentions { max: 2 });
        assert!(mentions.check("@a @b @c hi").is_violation());
        assert!(!mentions.check("@a @b hi").is_violation());
        let caps = rule(RuleKind::Caps {
            max_percent: 70,
            min_letters: 10,
        });
        assert!(caps.check("BUY NOW CHEAP WATCHES").is_violation());
        assert!(!caps.check("OK fine").is_violation(), "too short to judge");
        assert!(!caps.check("Hello World, how are you").is_violation());
        let emoji = rule(RuleKind::Emoji { max: 3 });
        assert!(emoji.check("🔥🔥🔥🔥 sale").is_violation());
        let length = rule(RuleKind::Length { max_chars: 5 });
        assert!(length.check("你好你好你好").is_violation());
        assert!(!length.check("你好你好你").is_violation());
    }

    #[test]
    fn structure_rules_see_attachments_forwards_and_links() {
        let rule = |kind| one_rule(Rule::new("r", "d", Severity::Low, kind)).unwrap();
        let media = rule(RuleKind::Attachments {
            kinds: vec![AttachmentKind::Video],
        });
        let video = [AttachmentKind::Video];
        assert!(
            media
                .check_subject(&Subject {
                    attachments: &video,
                    ..Subject::text("x")
                })
                .is_violation()
        );
        assert!(
            !media
                .check_subject(&Subject {
                    attachments: &[AttachmentKind::Photo],
                    ..Subject::text("x")
                })
                .is_violation()
        );
        let forwards = rule(RuleKind::Forwards {
            channels_only: true,
        });
        let channel = ForwardOrigin {
            id: None,
            name: Some("Deals".into()),
            kind: Some("channel".into()),
        };
        let user = ForwardOrigin {
            kind: Some("user".into()),
            ..channel.clone()
        };
        assert!(
            forwards
                .check_subject(&Subject {
                    forwarded_from: Some(&channel),
                    ..Subject::text("x")
                })
                .is_violation()
        );
        assert!(
            !forwards
                .check_subject(&Subject {
                    forwarded_from: Some(&user),
                    ..Subject::text("x")
                })
                .is_violation()
        );
        let allow = rule(RuleKind::AllowDomains {
            domains: vec!["rust-lang.org".into()],
        });
        assert!(
            !allow
                .check("see https://doc.rust-lang.org/book")
                .is_violation()
        );
        let verdict = allow.check("see https://evil.example/x");
        assert_eq!(verdict.hits[0].evidence, vec![(4..26)]);
        let phones = rule(RuleKind::Phones);
        let text = "call 13800138000 now";
        let verdict = phones.check(text);
        assert_eq!(&text[verdict.hits[0].evidence[0].clone()], "13800138000");
        assert!(
            rule(RuleKind::ContactIds)
                .check("加微信：abc_12345")
                .is_violation()
        );
    }

    #[test]
    fn shadow_rules_report_without_a_violation() {
        let engine = default_engine();
        let verdict = engine.check("see https://example.com/page");
        assert_eq!(verdict.verdict, "clean");
        assert_eq!(verdict.hits.len(), 1);
        assert_eq!(verdict.hits[0].rule, "newcomer-links");
        assert_eq!(verdict.hits[0].mode, Mode::Shadow);
    }

    #[test]
    fn the_classifier_rule_uses_the_model_and_explains_itself() {
        let model = Arc::new(Model::starter().unwrap());
        let engine = default_engine().with_model(model);
        let text = "Лучший способ заработать: пишите в личку, выплаты каждый день без вложений";
        let verdict = engine.check(text);
        let hit = verdict
            .hits
            .iter()
            .find(|h| h.rule == "spam-classifier")
            .expect("classifier hit");
        assert!(hit.normalized[0].starts_with("spam probability"));
        assert!(!hit.evidence.is_empty());
        for range in &hit.evidence {
            assert!(text.is_char_boundary(range.start) && text.is_char_boundary(range.end));
        }
        let clean = engine.check("Does anyone know how lifetimes work in this example?");
        assert!(clean.hits.iter().all(|h| h.rule != "spam-classifier"));
        // Without a model the rule finds nothing.
        assert!(
            default_engine()
                .check(text)
                .hits
                .iter()
                .all(|h| h.rule != "spam-classifier")
        );
    }

    #[test]
    fn forward_origins_answer_to_keywords() {
        let engine = default_engine();
        let origin = ForwardOrigin {
            id: None,
            name: Some("Crypto Airdrop Daily".into()),
            kind: Some("channel".into()),
        };
        let verdict = engine.check_subject(&Subject {
            forwarded_from: Some(&origin),
            ..Subject::text("look at this")
        });
        let hit = verdict
            .hits
            .iter()
            .find(|h| h.rule == "ads-en")
            .expect("the channel name is checked");
        assert!(hit.evidence.is_empty());
        assert_eq!(hit.normalized, ["forwarded from: crypto airdrop"]);
    }
}

//! Nickname rules (名称规范): the format a group wants its members' names in,
//! and the check of a name against it.
//!
//! Admins write the format the way they would tell members: a template of
//! fields and separators, `City-Name-Trade` or `城市-姓名-行业`, where each
//! run of letters or digits is a field a member fills in with anything and
//! everything else is a separator that must appear as written (spaces
//! around a separator are forgiven). Or, for anything else, a regular
//! expression between slashes, `/^\[[A-Z]{2}\] .+$/`, compiled by the
//! `regex` crate (no backtracking) with a size limit; a pattern that does
//! not compile, or is too big, is refused with the reason.

use regex::{Regex, RegexBuilder};
use serde::{Deserialize, Serialize};

/// The most a compiled pattern may take, as the moderation rules allow.
const REGEX_SIZE_LIMIT: usize = 1 << 20;

/// The longest pattern, in characters.
pub const MAX_PATTERN_CHARS: usize = 300;

/// The longest description or example, in characters.
pub const MAX_TEXT_CHARS: usize = 200;

/// The grace period when none is set, in hours.
pub const DEFAULT_GRACE_HOURS: u32 = 24;

/// The longest grace period: a month.
pub const MAX_GRACE_HOURS: u32 = 24 * 31;

/// A group's nickname rule.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NicknameRule {
    /// The format: a template of fields (`City-Name-Trade`) or a `/regex/`.
    pub pattern: String,
    /// How the format is described to members; empty: the pattern itself
    /// (a template describes itself; a regex should be described).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// A name that follows the rule, shown in the reminder.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub example: String,
    /// Hours a member has to fix their name before they are muted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grace_hours: Option<u32>,
}

/// Why a rule is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NicknameError {
    /// Nothing was written.
    #[error("the pattern is empty")]
    Empty,
    /// The pattern is too long.
    #[error("the pattern is longer than {MAX_PATTERN_CHARS} characters")]
    TooLong,
    /// A template needs two fields at least, or it would accept any name.
    #[error("a template needs at least two fields with separators between them, like City-Name")]
    TooFewFields,
    /// The regular expression does not compile or is too big.
    #[error("the regular expression is refused: {0}")]
    BadRegex(String),
    /// The example breaks the rule it illustrates.
    #[error("the example “{0}” does not follow the pattern")]
    BadExample(String),
    /// The grace period is out of range.
    #[error("grace_hours must be from 1 to {MAX_GRACE_HOURS}")]
    BadGrace,
    /// A description or example is too long.
    #[error("the description and the example may have at most {MAX_TEXT_CHARS} characters")]
    TextTooLong,
}

/// A rule ready to check names.
#[derive(Debug, Clone)]
pub struct CompiledNickname {
    regex: Regex,
    /// The fields of a template, by name; empty for a regex.
    fields: Vec<String>,
}

/// The parts of a template: fields and the separators between them.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Field(String),
    Sep(String),
}

fn template_parts(template: &str) -> Vec<Part> {
    let mut parts: Vec<Part> = Vec::new();
    for c in template.trim().chars() {
        let field = c.is_alphanumeric();
        match (parts.last_mut(), field) {
            (Some(Part::Field(f)), true) => f.push(c),
            (Some(Part::Sep(s)), false) => s.push(c),
            (_, true) => parts.push(Part::Field(c.to_string())),
            (_, false) => parts.push(Part::Sep(c.to_string())),
        }
    }
    parts
}

/// The regular expression a template stands for: each field is one or
/// more characters none of which is a separator character, each separator
/// is literal with optional spaces around it.
fn template_regex(parts: &[Part]) -> String {
    let mut sep_chars: Vec<char> = parts
        .iter()
        .filter_map(|p| match p {
            Part::Sep(s) => Some(s.chars().filter(|c| !c.is_whitespace())),
            Part::Field(_) => None,
        })
        .flatten()
        .collect();
    sep_chars.sort_unstable();
    sep_chars.dedup();
    let excluded: String = sep_chars
        .iter()
        .map(|c| regex::escape(&c.to_string()))
        .collect();
    let field = if excluded.is_empty() {
        r"(\S(?:.*\S)?)".to_owned()
    } else {
        format!(r"([^\s{excluded}](?:[^{excluded}]*[^\s{excluded}])?)")
    };
    let mut out = String::from(r"^\s*");
    for part in parts {
        match part {
            Part::Field(_) => out.push_str(&field),
            Part::Sep(s) => {
                let literal = s.trim();
                if literal.is_empty() {
                    out.push_str(r"\s+");
                } else {
                    out.push_str(r"\s*");
                    out.push_str(&regex::escape(literal));
                    out.push_str(r"\s*");
                }
            }
        }
    }
    out.push_str(r"\s*$");
    out
}

impl NicknameRule {
    /// Whether the pattern is a `/regex/`.
    pub fn is_regex(&self) -> bool {
        let p = self.pattern.trim();
        p.len() >= 2 && p.starts_with('/') && p.ends_with('/')
    }

    /// Compiles the rule, or says why it is refused.
    pub fn compile(&self) -> Result<CompiledNickname, NicknameError> {
        let pattern = self.pattern.trim();
        if pattern.is_empty() {
            return Err(NicknameError::Empty);
        }
        if pattern.chars().count() > MAX_PATTERN_CHARS {
            return Err(NicknameError::TooLong);
        }
        let (source, fields) = if self.is_regex() {
            let inner = &pattern[1..pattern.len() - 1];
            if inner.is_empty() {
                return Err(NicknameError::Empty);
            }
            (inner.to_owned(), Vec::new())
        } else {
            let parts = template_parts(pattern);
            let fields: Vec<String> = parts
                .iter()
                .filter_map(|p| match p {
                    Part::Field(f) => Some(f.clone()),
                    Part::Sep(_) => None,
                })
                .collect();
            if fields.len() < 2 {
                return Err(NicknameError::TooFewFields);
            }
            (template_regex(&parts), fields)
        };
        let regex = RegexBuilder::new(&source)
            .size_limit(REGEX_SIZE_LIMIT)
            .dfa_size_limit(REGEX_SIZE_LIMIT)
            .build()
            .map_err(|e| NicknameError::BadRegex(e.to_string()))?;
        Ok(CompiledNickname { regex, fields })
    }

    /// Every problem: the pattern, the example, the grace period.
    pub fn check(&self) -> Result<CompiledNickname, NicknameError> {
        let compiled = self.compile()?;
        if self.description.chars().count() > MAX_TEXT_CHARS
            || self.example.chars().count() > MAX_TEXT_CHARS
        {
            return Err(NicknameError::TextTooLong);
        }
        if !self.example.trim().is_empty() && !compiled.accepts(&self.example) {
            return Err(NicknameError::BadExample(self.example.trim().to_owned()));
        }
        if self
            .grace_hours
            .is_some_and(|h| h == 0 || h > MAX_GRACE_HOURS)
        {
            return Err(NicknameError::BadGrace);
        }
        Ok(compiled)
    }

    /// The format as members are told it.
    pub fn format(&self) -> &str {
        let description = self.description.trim();
        if description.is_empty() {
            self.pattern.trim()
        } else {
            description
        }
    }

    /// Hours a member has to fix their name.
    pub fn grace_hours(&self) -> u32 {
        self.grace_hours
            .unwrap_or(DEFAULT_GRACE_HOURS)
            .clamp(1, MAX_GRACE_HOURS)
    }
}

impl CompiledNickname {
    /// Whether `name` follows the rule.
    pub fn accepts(&self, name: &str) -> bool {
        self.regex.is_match(name)
    }

    /// A template's field names, in order (empty for a regex).
    pub fn fields(&self) -> &[String] {
        &self.fields
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(pattern: &str) -> NicknameRule {
        NicknameRule {
            pattern: pattern.into(),
            ..NicknameRule::default()
        }
    }

    #[test]
    fn a_template_checks_fields_and_separators() {
        let c = rule("City-Name-Trade").compile().unwrap();
        assert_eq!(c.fields(), ["City", "Name", "Trade"]);
        assert!(c.accepts("Shanghai-Li-Tea"));
        assert!(c.accepts("Shanghai - Li Wei - Tea trade"));
        assert!(c.accepts("上海-小李-茶叶"));
        assert!(!c.accepts("Li Wei"));
        assert!(!c.accepts("Shanghai-Li"));
        assert!(!c.accepts("Shanghai--Tea"));
        assert!(!c.accepts("Shanghai-Li-Tea-Extra"));
        assert!(!c.accepts("-Li-Tea"));
    }

    #[test]
    fn chinese_templates_and_brackets_work() {
        let c = rule("城市-姓名-行业").compile().unwrap();
        assert!(c.accepts("北京-王五-外贸"));
        assert!(!c.accepts("王五"));
        let c = rule("[City] Name").compile().unwrap();
        assert!(c.accepts("[Kazan] Oleg"));
        assert!(c.accepts("[Kazan] Oleg Petrov"));
        assert!(!c.accepts("Oleg"));
    }

    #[test]
    fn a_regex_is_used_as_written() {
        let c = rule(r"/^\[[A-Z]{2}\] .+$/").compile().unwrap();
        assert!(c.accepts("[RU] Oleg"));
        assert!(!c.accepts("Oleg"));
        assert!(rule("/(unclosed/").compile().is_err());
        assert!(matches!(
            rule(r"/\w{1000}\w{1000}\w{1000}/").compile(),
            Err(NicknameError::BadRegex(_))
        ));
    }

    #[test]
    fn bad_rules_are_refused_by_name() {
        assert_eq!(rule("").compile().unwrap_err(), NicknameError::Empty);
        assert_eq!(
            rule("Name").compile().unwrap_err(),
            NicknameError::TooFewFields
        );
        let with_example = NicknameRule {
            example: "Li Wei".into(),
            ..rule("City-Name")
        };
        assert_eq!(
            with_example.check().unwrap_err(),
            NicknameError::BadExample("Li Wei".into())
        );
        let grace = NicknameRule {
            grace_hours: Some(0),
            ..rule("City-Name")
        };
        assert_eq!(grace.check().unwrap_err(), NicknameError::BadGrace);
    }

    #[test]
    fn the_format_is_the_description_or_the_pattern() {
        assert_eq!(rule("City-Name").format(), "City-Name");
        let described = NicknameRule {
            description: "[XX] Name".into(),
            ..rule(r"/^\[[A-Z]{2}\] .+$/")
        };
        assert_eq!(described.format(), "[XX] Name");
        assert_eq!(rule("a-b").grace_hours(), 24);
    }
}

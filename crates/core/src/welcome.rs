//! Welcome messages: a group's templates (one per language, and a default),
//! their variables, optional link buttons, and how long the message stays.
//!
//! A template is plain text with variables in braces: `{name}` (the
//! newcomers' names), `{group}` (the group's title), `{rules}` (a link to
//! the rules, or a hint to send /rules), `{inviter}` (who added them) and
//! `{count}` (how many joined together). `{{` and `}}` write a brace. A
//! variable Steward does not know is refused by name when the template is
//! saved, so a typo never reaches the chat. A line whose `{inviter}` is
//! unknown is left out, so "Invited by {inviter}" never ends in nothing.

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

/// The variables a template may use.
pub const VARIABLES: [&str; 5] = ["name", "group", "rules", "inviter", "count"];

/// The longest template, in characters (Telegram allows 4096 per message;
/// the names of a grouped welcome need the rest).
pub const MAX_TEMPLATE_CHARS: usize = 2000;

/// Most rows of buttons, and buttons per row.
pub const MAX_BUTTON_ROWS: usize = 8;
/// Most buttons on one row.
pub const MAX_BUTTONS_PER_ROW: usize = 4;

/// Longest the welcome may stay before it is deleted: two days, the limit
/// Telegram puts on a bot deleting its own messages.
pub const MAX_DELETE_AFTER_SECONDS: u32 = 48 * 3600;

/// Longest grouping window.
pub const MAX_GROUP_SECONDS: u32 = 600;

/// The grouping window when none is set.
pub const DEFAULT_GROUP_SECONDS: u32 = 30;

/// How many names a grouped welcome lists before it says "and N more".
pub const MAX_NAMES: usize = 30;

/// A group's welcome. With no template at all, nobody is welcomed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Welcome {
    /// The template used when the group's language has none of its own.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub text: String,
    /// The template for a Chinese-speaking group.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub zh: String,
    /// The template for a Russian-speaking group.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub ru: String,
    /// The template for an English-speaking group.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub en: String,
    /// Rows of link buttons under the message.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub buttons: Vec<Vec<LinkButton>>,
    /// Seconds after which the welcome is deleted; none keeps it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delete_after: Option<u32>,
    /// Joins within this many seconds of the first get one welcome
    /// together; 0 welcomes each alone. Default 30.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_seconds: Option<u32>,
}

/// A button that opens a link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkButton {
    /// The label.
    pub text: String,
    /// The link opened.
    pub url: String,
}

/// What is wrong with a template or a welcome, naming the culprit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WelcomeError {
    /// A variable Steward does not know.
    #[error(
        "unknown variable {{{0}}}; use {{name}}, {{group}}, {{rules}}, {{inviter}} or {{count}}"
    )]
    UnknownVariable(String),
    /// A `{` without its `}` (or a lone `}`).
    #[error("unbalanced brace at character {0}; write {{{{ or }}}} for a brace itself")]
    Unbalanced(usize),
    /// The template is too long.
    #[error("the template is longer than {MAX_TEMPLATE_CHARS} characters")]
    TooLong,
    /// A button lacks a label or a usable link.
    #[error("button “{0}” needs a label and an http(s) or tg:// link")]
    BadButton(String),
    /// Too many buttons.
    #[error("at most {MAX_BUTTON_ROWS} rows of {MAX_BUTTONS_PER_ROW} buttons")]
    TooManyButtons,
    /// The deletion delay is out of range.
    #[error("delete_after must be from 1 to {MAX_DELETE_AFTER_SECONDS} seconds")]
    BadDeleteAfter,
    /// The grouping window is out of range.
    #[error("group_seconds must be from 0 to {MAX_GROUP_SECONDS}")]
    BadGroupSeconds,
}

/// One piece of a parsed template.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece<'a> {
    Text(&'a str),
    Brace(char),
    Var(&'a str),
}

/// Splits a template into text and variables.
fn parse(template: &str) -> Result<Vec<Piece<'_>>, WelcomeError> {
    let mut pieces = Vec::new();
    let mut rest = template;
    let mut offset = 0;
    while let Some(pos) = rest.find(['{', '}']) {
        if pos > 0 {
            pieces.push(Piece::Text(&rest[..pos]));
        }
        let at = template[..offset + pos].chars().count() + 1;
        let brace = rest.as_bytes()[pos];
        let after = &rest[pos + 1..];
        if after.as_bytes().first() == Some(&brace) {
            pieces.push(Piece::Brace(char::from(brace)));
            offset += pos + 2;
            rest = &after[1..];
            continue;
        }
        if brace == b'}' {
            return Err(WelcomeError::Unbalanced(at));
        }
        let Some(end) = after.find(['}', '{', '\n']) else {
            return Err(WelcomeError::Unbalanced(at));
        };
        if after.as_bytes()[end] != b'}' {
            return Err(WelcomeError::Unbalanced(at));
        }
        let name = after[..end].trim();
        if !VARIABLES.contains(&name) {
            return Err(WelcomeError::UnknownVariable(name.to_owned()));
        }
        pieces.push(Piece::Var(name));
        offset += pos + 1 + end + 1;
        rest = &after[end + 1..];
    }
    if !rest.is_empty() {
        pieces.push(Piece::Text(rest));
    }
    Ok(pieces)
}

/// Checks a template: known variables, balanced braces, length.
pub fn check_template(template: &str) -> Result<(), WelcomeError> {
    if template.chars().count() > MAX_TEMPLATE_CHARS {
        return Err(WelcomeError::TooLong);
    }
    parse(template).map(drop)
}

/// What a welcome's variables stand for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Newcomers {
    /// The newcomers' platform ids, so one joining twice is named once.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ids: Vec<String>,
    /// The newcomers' display names, in the order they joined.
    pub names: Vec<String>,
    /// Who added or invited them (distinct, in order); empty when unknown.
    pub inviters: Vec<String>,
}

/// Everything a template is filled with.
#[derive(Debug, Clone, Copy)]
pub struct Fill<'a> {
    /// Who joined.
    pub newcomers: &'a Newcomers,
    /// The group's title.
    pub group: &'a str,
    /// The rules link, or the hint to send /rules.
    pub rules: &'a str,
    /// The language names are listed in.
    pub lang: Lang,
}

/// Names listed as the language lists them: "Ann, Bob and Cy",
/// "Ann、Bob 和 Cy"; past [`MAX_NAMES`], the rest are counted.
pub fn list_names(names: &[String], lang: Lang) -> String {
    let shown: Vec<&str> = names.iter().take(MAX_NAMES).map(String::as_str).collect();
    let more = names.len().saturating_sub(MAX_NAMES);
    let (sep, and) = match lang {
        Lang::Zh => ("、", " 和 "),
        Lang::Ru => (", ", " и "),
        Lang::En => (", ", " and "),
    };
    if more > 0 {
        let others = match lang {
            Lang::Zh => format!("另外 {more} 人"),
            Lang::Ru => format!("ещё {more}"),
            Lang::En => format!("{more} more"),
        };
        return format!("{}{and}{others}", shown.join(sep));
    }
    match shown.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).to_owned(),
        Some((last, first)) => format!("{}{and}{last}", first.join(sep)),
    }
}

/// Fills a template. Lines that use `{inviter}` are left out when nobody
/// is known to have invited the newcomers. An invalid template renders as
/// it was written (templates are checked when saved).
pub fn render(template: &str, fill: &Fill<'_>) -> String {
    let Ok(pieces) = parse(template) else {
        return template.to_owned();
    };
    let names = list_names(&fill.newcomers.names, fill.lang);
    let inviter = list_names(&fill.newcomers.inviters, fill.lang);
    let count = fill.newcomers.names.len().to_string();
    let mut lines: Vec<(String, bool)> = vec![(String::new(), false)];
    for piece in pieces {
        let (text, uses_inviter) = match piece {
            Piece::Text(t) => (t, false),
            Piece::Brace('{') => ("{", false),
            Piece::Brace(_) => ("}", false),
            Piece::Var("name") => (names.as_str(), false),
            Piece::Var("group") => (fill.group, false),
            Piece::Var("rules") => (fill.rules, false),
            Piece::Var("inviter") => (inviter.as_str(), true),
            Piece::Var(_) => (count.as_str(), false),
        };
        let mut parts = text.split('\n');
        if let Some(first) = parts.next()
            && let Some(line) = lines.last_mut()
        {
            line.0.push_str(first);
            line.1 |= uses_inviter;
        }
        for part in parts {
            lines.push((part.to_owned(), false));
        }
    }
    let no_inviter = fill.newcomers.inviters.is_empty();
    lines
        .into_iter()
        .filter(|(_, uses_inviter)| !(no_inviter && *uses_inviter))
        .map(|(line, _)| line)
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_owned()
}

impl Welcome {
    /// The template for a group speaking `lang`: its own, else the default;
    /// none when the welcome is off.
    pub fn template(&self, lang: Lang) -> Option<&str> {
        let own = match lang {
            Lang::Zh => &self.zh,
            Lang::Ru => &self.ru,
            Lang::En => &self.en,
        };
        [own, &self.text]
            .into_iter()
            .map(|t| t.trim())
            .find(|t| !t.is_empty())
    }

    /// Whether any template is set.
    pub fn is_on(&self) -> bool {
        Lang::ALL.iter().any(|&l| self.template(l).is_some())
    }

    /// The grouping window in seconds.
    pub fn group_seconds(&self) -> u32 {
        self.group_seconds
            .unwrap_or(DEFAULT_GROUP_SECONDS)
            .min(MAX_GROUP_SECONDS)
    }

    /// The templates with the field each is kept in.
    pub fn templates(&self) -> [(&'static str, &str); 4] {
        [
            ("text", &self.text),
            ("zh", &self.zh),
            ("ru", &self.ru),
            ("en", &self.en),
        ]
    }

    /// Problems, each naming its field.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        for (field, template) in self.templates() {
            if let Err(err) = check_template(template) {
                problems.push(format!("welcome.{field}: {err}"));
            }
        }
        if let Err(err) = check_buttons(&self.buttons) {
            problems.push(format!("welcome.buttons: {err}"));
        }
        if self
            .delete_after
            .is_some_and(|s| s == 0 || s > MAX_DELETE_AFTER_SECONDS)
        {
            problems.push(format!(
                "welcome.delete_after: {}",
                WelcomeError::BadDeleteAfter
            ));
        }
        if self.group_seconds.is_some_and(|s| s > MAX_GROUP_SECONDS) {
            problems.push(format!(
                "welcome.group_seconds: {}",
                WelcomeError::BadGroupSeconds
            ));
        }
        problems
    }
}

/// Whether `url` is a link a chat button may open.
fn is_link(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    ["https://", "http://", "tg://"]
        .iter()
        .any(|p| lower.starts_with(p) && lower.len() > p.len())
        && !url.chars().any(char::is_whitespace)
}

/// Checks rows of buttons.
pub fn check_buttons(rows: &[Vec<LinkButton>]) -> Result<(), WelcomeError> {
    if rows.len() > MAX_BUTTON_ROWS || rows.iter().any(|r| r.len() > MAX_BUTTONS_PER_ROW) {
        return Err(WelcomeError::TooManyButtons);
    }
    for button in rows.iter().flatten() {
        if button.text.trim().is_empty()
            || button.text.chars().count() > 64
            || !is_link(&button.url)
        {
            return Err(WelcomeError::BadButton(format!(
                "{} {}",
                button.text, button.url
            )));
        }
    }
    Ok(())
}

/// Reads buttons as admins write them: one row per line, buttons on a row
/// separated by `|`, each a label followed by its link:
/// `Rules https://example.org/rules | Site https://example.org`.
pub fn parse_buttons(text: &str) -> Result<Vec<Vec<LinkButton>>, WelcomeError> {
    let mut rows = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            continue;
        }
        let mut row = Vec::new();
        for part in line.split('|') {
            let part = part.trim();
            let bad = || WelcomeError::BadButton(part.to_owned());
            let (label, url) = part.rsplit_once(char::is_whitespace).ok_or_else(bad)?;
            let button = LinkButton {
                text: label.trim().to_owned(),
                url: url.trim().to_owned(),
            };
            if button.text.is_empty() || !is_link(&button.url) {
                return Err(bad());
            }
            row.push(button);
        }
        rows.push(row);
    }
    check_buttons(&rows)?;
    Ok(rows)
}

/// Buttons as [`parse_buttons`] reads them.
pub fn buttons_to_text(rows: &[Vec<LinkButton>]) -> String {
    rows.iter()
        .map(|row| {
            row.iter()
                .map(|b| format!("{} {}", b.text, b.url))
                .collect::<Vec<_>>()
                .join(" | ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fill<'a>(newcomers: &'a Newcomers, lang: Lang) -> Fill<'a> {
        Fill {
            newcomers,
            group: "Rust Chat",
            rules: "https://example.org/rules",
            lang,
        }
    }

    fn one(name: &str) -> Newcomers {
        Newcomers {
            names: vec![name.to_owned()],
            ..Newcomers::default()
        }
    }

    #[test]
    fn variables_are_filled() {
        let n = Newcomers {
            names: vec!["Ann".into()],
            inviters: vec!["Bob".into()],
            ..Newcomers::default()
        };
        let out = render(
            "Hi {name}, welcome to {group}! Rules: {rules}\nInvited by {inviter} ({count})",
            &fill(&n, Lang::En),
        );
        assert_eq!(
            out,
            "Hi Ann, welcome to Rust Chat! Rules: https://example.org/rules\nInvited by Bob (1)"
        );
    }

    #[test]
    fn a_line_with_an_unknown_inviter_is_left_out() {
        let out = render(
            "Hi {name}!\nInvited by {inviter}.\nBye",
            &fill(&one("Ann"), Lang::En),
        );
        assert_eq!(out, "Hi Ann!\nBye");
    }

    #[test]
    fn braces_are_escaped_by_doubling() {
        let out = render("{{name}} is {name}", &fill(&one("Ann"), Lang::En));
        assert_eq!(out, "{name} is Ann");
    }

    #[test]
    fn unknown_variables_are_refused_by_name() {
        assert_eq!(
            check_template("Hello {first}"),
            Err(WelcomeError::UnknownVariable("first".into()))
        );
        assert!(matches!(
            check_template("Hello {name"),
            Err(WelcomeError::Unbalanced(7))
        ));
        assert!(matches!(
            check_template("oops }"),
            Err(WelcomeError::Unbalanced(_))
        ));
        assert!(check_template("欢迎 {name} 加入 {group}！共 {count} 人").is_ok());
        let err = WelcomeError::UnknownVariable("first".into()).to_string();
        assert!(err.contains("{first}"), "{err}");
    }

    #[test]
    fn names_are_listed_in_the_language() {
        let names: Vec<String> = ["A", "B", "C"].iter().map(|s| s.to_string()).collect();
        assert_eq!(list_names(&names, Lang::En), "A, B and C");
        assert_eq!(list_names(&names, Lang::Zh), "A、B 和 C");
        assert_eq!(list_names(&names, Lang::Ru), "A, B и C");
        assert_eq!(list_names(&names[..1], Lang::En), "A");
        let many: Vec<String> = (0..35).map(|i| i.to_string()).collect();
        assert!(list_names(&many, Lang::En).ends_with(" and 5 more"));
    }

    #[test]
    fn the_group_language_picks_and_the_default_backs_it() {
        let welcome = Welcome {
            text: "Welcome {name}".into(),
            zh: "欢迎 {name}".into(),
            ..Welcome::default()
        };
        assert_eq!(welcome.template(Lang::Zh), Some("欢迎 {name}"));
        assert_eq!(welcome.template(Lang::Ru), Some("Welcome {name}"));
        assert!(welcome.is_on());
        assert!(!Welcome::default().is_on());
    }

    #[test]
    fn buttons_read_as_written() {
        let rows = parse_buttons(
            "Rules https://e.org/r | Site https://e.org\n\nChannel tg://resolve?domain=x",
        )
        .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0][1].text, "Site");
        assert_eq!(parse_buttons(&buttons_to_text(&rows)).unwrap(), rows);
        assert!(parse_buttons("NoLink").is_err());
        assert!(parse_buttons("Label javascript:alert(1)").is_err());
    }

    #[test]
    fn problems_name_the_field() {
        let welcome = Welcome {
            ru: "Привет {имя}".into(),
            delete_after: Some(0),
            ..Welcome::default()
        };
        let problems = welcome.problems();
        assert!(problems[0].starts_with("welcome.ru:"), "{problems:?}");
        assert!(problems[0].contains("{имя}"));
        assert!(problems[1].starts_with("welcome.delete_after"));
    }
}

//! A JSON object as labelled form fields, and the form back into JSON.
//!
//! Rules and behaviour limits are edited generically: strings become text
//! inputs, numbers number inputs, booleans checkboxes, lists of strings a
//! textarea with one item per line, nested objects a fieldset whose fields
//! have dotted names (`flood.count`). Fields the JSON alone cannot describe
//! (choices such as severity, numbers that may be empty) are known by name.
//! Reading a form back starts from the same JSON, so a field the form does
//! not carry keeps its value.

use maud::{Markup, html};
use serde_json::{Map, Value};

use super::super::i18n;
use super::super::page::Dash;

/// Severities, mildest first.
pub(crate) const SEVERITIES: &[&str] = &["low", "medium", "high", "critical"];
/// Rule modes.
pub(crate) const MODES: &[&str] = &["enforce", "shadow"];
/// Trust levels, lowest first.
pub(crate) const TRUST_LEVELS: &[&str] = &["new", "basic", "member", "regular", "leader"];
/// Where keywords match.
const MATCHING: &[&str] = &["auto", "word", "substring"];

/// The prefix of the form names of fields (keeps them apart from `_csrf`
/// and `comment`).
const PREFIX: &str = "f.";

/// How a field is edited.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Text,
    Integer,
    Float,
    /// A number that may be left empty (JSON `null`).
    OptionalInteger,
    OptionalFloat,
    Bool,
    /// A list, one item per line.
    Lines,
    Choice(&'static [&'static str]),
    /// A choice that may be left empty (JSON `null`).
    OptionalChoice(&'static [&'static str]),
    /// Shown, not edited (the rule's type).
    Fixed,
    /// A nested object (a fieldset).
    Group,
}

fn kind_of(key: &str, value: &Value) -> Kind {
    match key {
        "type" => return Kind::Fixed,
        "severity" => return Kind::Choice(SEVERITIES),
        "mode" => return Kind::Choice(MODES),
        "spare_from" => return Kind::Choice(TRUST_LEVELS),
        "only_below" => return Kind::OptionalChoice(TRUST_LEVELS),
        "match" => return Kind::Choice(MATCHING),
        "mute_minutes" => return Kind::OptionalInteger,
        "threshold" => return Kind::OptionalFloat,
        _ => {}
    }
    match value {
        Value::Bool(_) => Kind::Bool,
        Value::Number(n) if n.is_i64() || n.is_u64() => Kind::Integer,
        Value::Number(_) => Kind::Float,
        Value::Array(_) => Kind::Lines,
        Value::Object(_) => Kind::Group,
        Value::String(_) | Value::Null => Kind::Text,
    }
}

/// A field that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FieldError {
    /// The dotted name.
    pub(crate) field: String,
    /// What is wrong, in the user's language.
    pub(crate) problem: String,
}

/// The submitted value of the field `path`, if any.
fn submitted<'a>(form: &'a [(String, String)], path: &str) -> Option<&'a str> {
    form.iter()
        .find(|(k, _)| k.strip_prefix(PREFIX) == Some(path))
        .map(|(_, v)| v.as_str())
}

/// The label of a field: a known key's text, else its name.
fn label(dash: &Dash, key: &str) -> String {
    let text_key = format!("rules-field-{}", key.replace('_', "-"));
    if i18n::has(dash.lang, &text_key) {
        dash.t(&text_key)
    } else {
        key.to_owned()
    }
}

/// The label of a choice's value (severity, mode, trust level, matching).
pub(crate) fn value_label(dash: &Dash, value: &str) -> String {
    let key = format!("rules-value-{value}");
    if i18n::has(dash.lang, &key) {
        dash.t(&key)
    } else {
        value.to_owned()
    }
}

/// The keys of `object` in the order a person reads a rule: what it is,
/// what it looks for, how serious, whom it spares; behaviour windows in
/// their usual order.
fn ordered(object: &Map<String, Value>) -> Vec<(&String, &Value)> {
    const ORDER: &[&str] = &[
        "id",
        "description",
        "type",
        "words",
        "regex",
        "domains",
        "kinds",
        "match",
        "normalize",
        "min_hits",
        "severity",
        "mode",
        "spare_from",
        "only_below",
        "mute_minutes",
        "flood",
        "repeat",
        "wave",
        "raid",
        "count",
        "seconds",
    ];
    let rank = |key: &str| ORDER.iter().position(|k| *k == key).unwrap_or(7);
    let mut entries: Vec<_> = object.iter().collect();
    entries.sort_by_key(|(key, _)| rank(key));
    entries
}

fn as_text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items
            .iter()
            .map(|item| match item {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect::<Vec<_>>()
            .join("\n"),
        other => other.to_string(),
    }
}

/// The fields of `object`, labelled; `form` (a refused submission) wins
/// over the JSON so nothing typed is lost.
pub(crate) fn render(
    dash: &Dash,
    object: &Map<String, Value>,
    form: Option<&[(String, String)]>,
) -> Markup {
    render_at(dash, object, "", form)
}

fn render_at(
    dash: &Dash,
    object: &Map<String, Value>,
    prefix: &str,
    form: Option<&[(String, String)]>,
) -> Markup {
    html! {
        @for (key, value) in ordered(object) {
            @let path = format!("{prefix}{key}");
            @let name = format!("{PREFIX}{path}");
            @let id = format!("field-{}", path.replace('.', "-"));
            @let kind = kind_of(key, value);
            @let shown = form.map_or_else(
                || as_text(value),
                |form| submitted(form, &path).unwrap_or_default().to_owned(),
            );
            @match kind {
                Kind::Group => {
                    @if let Value::Object(inner) = value {
                        fieldset {
                            legend { (label(dash, key)) }
                            (render_at(dash, inner, &format!("{path}."), form))
                        }
                    }
                }
                Kind::Fixed => {
                    div.field {
                        span { (label(dash, key)) }
                        code { (as_text(value)) }
                    }
                }
                Kind::Bool => {
                    @let checked = match form {
                        Some(form) => submitted(form, &path).is_some(),
                        None => value.as_bool().unwrap_or(false),
                    };
                    label for=(id) {
                        input #(id) type="checkbox" name=(name) value="true" checked[checked];
                        " " (label(dash, key))
                    }
                }
                Kind::Lines => {
                    div.field {
                        label for=(id) { (label(dash, key)) }
                        @let hint = format!("{id}-hint");
                        textarea #(id) name=(name) rows="6" aria-describedby=(hint) { (shown) }
                        span.muted #(hint) { (dash.t("rules-one-per-line")) }
                    }
                }
                Kind::Choice(choices) | Kind::OptionalChoice(choices) => {
                    div.field {
                        label for=(id) { (label(dash, key)) }
                        select #(id) name=(name) {
                            @if kind == Kind::OptionalChoice(choices) {
                                option value="" selected[shown.is_empty()] { (dash.t("rules-value-none")) }
                            }
                            @for choice in choices {
                                option value=(choice) selected[shown == *choice] { (value_label(dash, choice)) }
                            }
                        }
                    }
                }
                Kind::Integer | Kind::OptionalInteger => {
                    div.field {
                        label for=(id) { (label(dash, key)) }
                        input #(id) type="number" step="1" name=(name) value=(shown) required[kind == Kind::Integer];
                    }
                }
                Kind::Float | Kind::OptionalFloat => {
                    div.field {
                        label for=(id) { (label(dash, key)) }
                        input #(id) type="number" step="any" name=(name) value=(shown) required[kind == Kind::Float];
                    }
                }
                Kind::Text => {
                    div.field {
                        label for=(id) { (label(dash, key)) }
                        input #(id) type="text" name=(name) value=(shown) required[key == "id"];
                    }
                }
            }
        }
    }
}

/// `object` with the submitted fields read into it.
pub(crate) fn read(
    dash: &Dash,
    object: &Map<String, Value>,
    form: &[(String, String)],
) -> Result<Map<String, Value>, FieldError> {
    read_at(dash, object, "", form)
}

fn read_at(
    dash: &Dash,
    object: &Map<String, Value>,
    prefix: &str,
    form: &[(String, String)],
) -> Result<Map<String, Value>, FieldError> {
    let mut out = Map::new();
    for (key, value) in object {
        let path = format!("{prefix}{key}");
        let kind = kind_of(key, value);
        let sent = submitted(form, &path);
        let bad = |problem_key: &str| FieldError {
            field: path.clone(),
            problem: dash.t(problem_key),
        };
        let new = match (kind, sent) {
            (Kind::Group, _) => match value {
                Value::Object(inner) => {
                    Value::Object(read_at(dash, inner, &format!("{path}."), form)?)
                }
                other => other.clone(),
            },
            (Kind::Fixed, _) => value.clone(),
            (Kind::Bool, sent) => Value::Bool(sent.is_some()),
            (_, None) => value.clone(),
            (Kind::Text, Some(sent)) => {
                if value.is_null() && sent.trim().is_empty() {
                    Value::Null
                } else {
                    Value::String(sent.trim().to_owned())
                }
            }
            (Kind::Lines, Some(sent)) => Value::Array(
                sent.lines()
                    .map(str::trim)
                    .filter(|line| !line.is_empty())
                    .map(|line| Value::String(line.to_owned()))
                    .collect(),
            ),
            (Kind::Choice(choices) | Kind::OptionalChoice(choices), Some(sent)) => {
                if sent.is_empty() && matches!(kind, Kind::OptionalChoice(_)) {
                    Value::Null
                } else if choices.contains(&sent) {
                    Value::String(sent.to_owned())
                } else {
                    return Err(bad("rules-problem-choice"));
                }
            }
            (Kind::Integer | Kind::OptionalInteger, Some(sent)) => {
                let sent = sent.trim();
                if sent.is_empty() && kind == Kind::OptionalInteger {
                    Value::Null
                } else {
                    let n: i64 = sent.parse().map_err(|_| bad("rules-problem-integer"))?;
                    if n < 0 {
                        return Err(bad("rules-problem-negative"));
                    }
                    Value::from(n)
                }
            }
            (Kind::Float | Kind::OptionalFloat, Some(sent)) => {
                let sent = sent.trim();
                if sent.is_empty() && kind == Kind::OptionalFloat {
                    Value::Null
                } else {
                    let n: f64 = sent.parse().map_err(|_| bad("rules-problem-number"))?;
                    serde_json::Number::from_f64(n)
                        .map(Value::Number)
                        .ok_or_else(|| bad("rules-problem-number"))?
                }
            }
        };
        out.insert(key.clone(), new);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use steward_core::i18n::Lang;
    use steward_core::model::DashboardUser;

    fn dash() -> Dash {
        Dash {
            user: DashboardUser {
                id: steward_core::UserId(1),
                name: "ann".into(),
                role: steward_core::Role::Admin,
            },
            lang: Lang::En,
            csrf: "x".into(),
            session_hash: "h".into(),
            operators_decide: false,
            path: "/rules".into(),
        }
    }

    fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn a_form_reads_back_into_typed_json() {
        let object = json!({
            "id": "ads", "type": "keywords", "words": ["a", "b"], "normalize": true,
            "min_hits": 1, "mute_minutes": null, "only_below": null, "severity": "medium",
            "threshold": null, "flood": {"count": 8, "seconds": 10}
        });
        let object = object.as_object().unwrap();
        let sent = form(&[
            ("f.id", " ads2 "),
            ("f.type", "pattern"),
            ("f.words", "x\r\n\r\n y \nz"),
            ("f.min_hits", "2"),
            ("f.mute_minutes", ""),
            ("f.only_below", "basic"),
            ("f.severity", "high"),
            ("f.threshold", "0.5"),
            ("f.flood.count", "3"),
            ("f.flood.seconds", "60"),
        ]);
        let read = read(&dash(), object, &sent).unwrap();
        assert_eq!(
            Value::Object(read),
            json!({
                "id": "ads2", "type": "keywords", "words": ["x", "y", "z"], "normalize": false,
                "min_hits": 2, "mute_minutes": null, "only_below": "basic", "severity": "high",
                "threshold": 0.5, "flood": {"count": 3, "seconds": 60}
            })
        );
    }

    #[test]
    fn a_bad_field_is_named() {
        let object = json!({"max": 5, "severity": "low"});
        let object = object.as_object().unwrap();
        let error = read(&dash(), object, &form(&[("f.max", "many")])).unwrap_err();
        assert_eq!(error.field, "max");
        let error = read(&dash(), object, &form(&[("f.severity", "dire")])).unwrap_err();
        assert_eq!(error.field, "severity");
    }

    #[test]
    fn fields_are_labelled_and_escaped() {
        let object = json!({"description": "<script>", "words": ["a"], "flood": {"count": 1}});
        let html = render(&dash(), object.as_object().unwrap(), None).into_string();
        assert!(
            html.contains(r#"<label for="field-description">"#),
            "{html}"
        );
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(html.contains(r#"name="f.flood.count""#), "{html}");
        assert!(html.contains("<fieldset>"), "{html}");
    }
}

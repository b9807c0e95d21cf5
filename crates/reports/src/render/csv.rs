//! The CSV rendering: one long, tidy table that opens in a spreadsheet and
//! pivots, with four columns:
//!
//! - `section`: what the row is about: `figures` (the key figures),
//!   `day`, `hour`, `contributor`, `term`, `rising_term`, `rule`, `cause`
//!   (ticket root causes), `group`;
//! - `key`: the measure, e.g. `messages`, `active_members`,
//!   `moderation_violations`, `count`, `previous`; for `hour`, the weekday
//!   (`mon`..`sun`);
//! - `period`: `current` or `previous` for `figures`; the date for `day`;
//!   the hour (`0`..`23`) for `hour`; the member's, term's, rule's, cause's
//!   or group's name for the others;
//! - `value`: the number (shares as fractions, `0.061`, not percentages;
//!   empty when undefined, e.g. a median with nothing to take it of).
//!
//! Violation cases and alerts are text, not figures: they are in the JSON,
//! Markdown and HTML renderings.

use crate::model::{Figures, Report};

const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// A cell value: a whole number, a fraction, or nothing.
enum Value {
    Int(i128),
    Float(f64),
    None,
}

impl Value {
    fn text(&self) -> String {
        match self {
            Value::Int(n) => n.to_string(),
            Value::Float(x) if x.is_finite() => x.to_string(),
            Value::Float(_) | Value::None => String::new(),
        }
    }
}

fn int(n: impl Into<i128>) -> Value {
    Value::Int(n.into())
}

fn opt(x: Option<f64>) -> Value {
    x.map_or(Value::None, Value::Float)
}

/// The figures flattened to `(key, value)`, in a stable order.
fn flatten(f: &Figures) -> Vec<(&'static str, Value)> {
    let mut rows = vec![
        ("messages", int(f.messages)),
        ("active_members", int(f.active_members)),
        ("daily_active_average", Value::Float(f.daily_active_average)),
        ("members", int(f.members)),
        ("posting_share", Value::Float(f.posting_share)),
        ("joins", int(f.joins)),
        ("leaves", int(f.leaves)),
        ("net_growth", int(f.net_growth)),
        ("retention_week1_cohort", int(f.retention.week1_cohort)),
        ("retention_week1_retained", int(f.retention.week1_retained)),
        ("retention_week4_cohort", int(f.retention.week4_cohort)),
        ("retention_week4_retained", int(f.retention.week4_retained)),
        ("questions_asked", int(f.questions.asked)),
        ("questions_answered", int(f.questions.answered)),
        (
            "questions_median_response_seconds",
            opt(f.questions.median_response_seconds),
        ),
        ("content_text", int(f.content.text)),
        ("content_links", int(f.content.links)),
        ("content_media", int(f.content.media)),
    ];
    let m = &f.moderation;
    rows.extend([
        ("moderation_violations", int(m.violations)),
        ("moderation_deletions", int(m.deletions)),
        ("moderation_warnings", int(m.warnings)),
        ("moderation_mutes", int(m.mutes)),
        ("moderation_bans", int(m.bans)),
        ("moderation_cases_decided", int(m.cases_decided)),
        ("moderation_reversed", int(m.reversed)),
        ("moderation_false_positive_rate", opt(m.false_positive_rate)),
    ]);
    let p = &f.participation;
    rows.extend([
        ("participation_checkins", int(p.checkins)),
        ("participation_poll_votes", int(p.poll_votes)),
        ("participation_quiz_answers", int(p.quiz_answers)),
        ("participation_raffle_entries", int(p.raffle_entries)),
        ("participation_event_signups", int(p.event_signups)),
        ("participation_participants", int(p.participants)),
    ]);
    let t = &f.tickets;
    let s = &f.sentiment;
    rows.extend([
        ("tickets_opened", int(t.opened)),
        ("tickets_resolved", int(t.resolved)),
        ("tickets_median_resolve_hours", opt(t.median_resolve_hours)),
        ("tickets_overdue", int(t.overdue)),
        ("sentiment_scored", int(s.scored)),
        ("sentiment_negative", int(s.negative)),
        ("sentiment_positive", int(s.positive)),
        ("sentiment_negative_share", Value::Float(s.negative_share)),
    ]);
    rows
}

/// A cell of member-written text (a name, a term, a group's title) that a
/// spreadsheet will not run as a formula: one starting with `=`, `+`, `-`,
/// `@`, a tab or a carriage return gets a leading `'`.
fn inert(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_owned(),
    }
}

/// Every row of the table, header excluded.
fn rows(r: &Report) -> Vec<[String; 4]> {
    let mut out = Vec::new();
    let mut push = |section: &str, key: &str, period: &str, value: Value| {
        out.push([
            section.to_owned(),
            key.to_owned(),
            inert(period),
            value.text(),
        ]);
    };
    for (period, figures) in [("current", &r.current), ("previous", &r.previous)] {
        for (key, value) in flatten(figures) {
            push("figures", key, period, value);
        }
    }
    for d in &r.days {
        let date = d.date.to_string();
        push("day", "messages", &date, int(d.messages));
        push("day", "active_members", &date, int(d.active_members));
        push("day", "joins", &date, int(d.joins));
        push("day", "leaves", &date, int(d.leaves));
        push("day", "violations", &date, int(d.violations));
        push(
            "day",
            "negative_share",
            &date,
            Value::Float(d.negative_share),
        );
    }
    for (day, row) in r.hours.iter().enumerate().take(7) {
        for (hour, &n) in row.iter().enumerate() {
            push("hour", WEEKDAYS[day], &hour.to_string(), int(n));
        }
    }
    for c in &r.top_contributors {
        push("contributor", "messages", &c.name, int(c.messages));
    }
    for (section, list) in [("term", &r.top_terms), ("rising_term", &r.rising_terms)] {
        for t in list {
            push(section, "count", &t.term, int(t.count));
            push(section, "previous", &t.term, int(t.previous));
        }
    }
    for v in &r.violations_by_rule {
        push("rule", "violations", &v.rule, int(v.count));
        push("rule", "previous", &v.rule, int(v.previous));
    }
    for (cause, n) in &r.current.tickets.causes {
        push("cause", "tickets", cause, int(*n));
    }
    for g in &r.groups {
        push("group", "messages", &g.name, int(g.messages));
        push(
            "group",
            "previous_messages",
            &g.name,
            int(g.previous_messages),
        );
        push("group", "active_members", &g.name, int(g.active_members));
        push("group", "net_growth", &g.name, int(g.net_growth));
        push("group", "violations", &g.name, int(g.violations));
        push(
            "group",
            "negative_share",
            &g.name,
            Value::Float(g.negative_share),
        );
    }
    out
}

/// Renders the report as CSV (`section,key,period,value`, with a header).
pub fn csv(r: &Report) -> String {
    let mut writer = ::csv::Writer::from_writer(Vec::new());
    // Writing to a Vec cannot fail; a failure would only lose rows, so it
    // is not worth a Result in every caller's signature.
    let _ = writer.write_record(["section", "key", "period", "value"]);
    for row in rows(r) {
        let _ = writer.write_record(&row);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::sample;

    fn parse(text: &str) -> Vec<[String; 4]> {
        let mut reader = ::csv::Reader::from_reader(text.as_bytes());
        let head = reader.headers().unwrap().clone();
        assert_eq!(
            head.iter().collect::<Vec<_>>(),
            ["section", "key", "period", "value"]
        );
        reader
            .records()
            .map(|rec| {
                let rec = rec.unwrap();
                std::array::from_fn(|i| rec[i].to_owned())
            })
            .collect()
    }

    fn find<'a>(rows: &'a [[String; 4]], section: &str, key: &str, period: &str) -> &'a str {
        rows.iter()
            .find(|r| r[0] == section && r[1] == key && r[2] == period)
            .map(|r| r[3].as_str())
            .unwrap_or_else(|| panic!("no row {section},{key},{period}"))
    }

    #[test]
    fn csv_parses_back_to_the_figures() {
        let mut r = sample();
        r.top_contributors[0].name = "Alice, \"the\" admin\nsecond line".into();
        let rows = parse(&csv(&r));
        assert_eq!(find(&rows, "figures", "messages", "current"), "1234");
        assert_eq!(find(&rows, "figures", "messages", "previous"), "1100");
        assert_eq!(find(&rows, "figures", "net_growth", "current"), "8");
        assert_eq!(
            find(&rows, "figures", "sentiment_negative_share", "current"),
            "0.061"
        );
        assert_eq!(find(&rows, "day", "messages", "2026-11-17"), "240");
        assert_eq!(find(&rows, "hour", "tue", "20"), "20");
        assert_eq!(
            find(
                &rows,
                "contributor",
                "messages",
                "Alice, \"the\" admin\nsecond line"
            ),
            "57"
        );
        assert_eq!(find(&rows, "term", "count", "async"), "96");
        assert_eq!(find(&rows, "rising_term", "previous", "tokio"), "9");
        assert_eq!(find(&rows, "rule", "violations", "spam links"), "5");
        assert_eq!(find(&rows, "cause", "tickets", "billing"), "2");
        assert_eq!(find(&rows, "group", "messages", "Rust 新手群"), "404");
        assert!(rows.iter().all(|r| !r[3].contains("NaN")));
    }

    #[test]
    fn member_text_never_becomes_a_formula() {
        let mut r = crate::sample::sample();
        r.top_contributors[0].name = "=HYPERLINK(\"http://x\")".to_owned();
        let rows = parse(&csv(&r));
        assert!(rows.iter().any(|row| row[2] == "'=HYPERLINK(\"http://x\")"));
        assert!(!rows.iter().any(|row| row[2].starts_with('=')));
    }

    #[test]
    fn undefined_values_are_empty() {
        let mut r = sample();
        r.current.questions.median_response_seconds = None;
        r.current.sentiment.negative_share = f64::NAN;
        let rows = parse(&csv(&r));
        assert_eq!(
            find(
                &rows,
                "figures",
                "questions_median_response_seconds",
                "current"
            ),
            ""
        );
        assert_eq!(
            find(&rows, "figures", "sentiment_negative_share", "current"),
            ""
        );
    }
}

//! The Markdown rendering: a title, the key-figures table against the period
//! before, then one section per subject (activity, hours, contributors,
//! terms, content, questions, moderation, participation, tickets,
//! sentiment, violation cases, groups). Tables are GitHub flavoured.
//!
//! User text (names, terms, rules, group titles) goes through [`md`], so a
//! member named `*|[x](y)` can neither break a table nor make a link.

use std::fmt::Write;

use steward_core::i18n::Lang;

use super::numbers::{self, busiest, duration, hour_slot, percent, ratio, signed};
use super::texts::{self, Text, weekday_full, weekday_short};
use crate::model::Report;
use crate::period::Period;

/// Escapes user text for Markdown: punctuation that makes emphasis, links,
/// headings, code or table cells is backslash-escaped, `<`, `>` and `&`
/// become entities (no raw HTML), and line breaks become spaces.
pub fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '*' | '_' | '[' | ']' | '(' | ')' | '|' | '#' | '`' | '~' | '!' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Renders the report as Markdown.
pub fn markdown(r: &Report) -> String {
    let mut out = String::new();
    let lang = r.language;
    let _ = writeln!(out, "# {}\n", texts::title(r, &md(&r.scope.name)));
    let _ = writeln!(
        out,
        "{}: {} · {}: {} · {}: {} · {}: {}\n",
        Text::Period.get(lang),
        span(&r.period),
        Text::PreviousPeriod.get(lang),
        span(&r.previous_period),
        Text::TimeZone.get(lang),
        md(&r.time_zone),
        Text::Generated.get(lang),
        r.generated_at.format("%Y-%m-%d %H:%M UTC"),
    );
    if r.current.messages == 0 {
        let _ = writeln!(out, "_{}_\n", Text::NoMessages.get(lang));
    }
    key_figures(&mut out, r);
    activity(&mut out, r);
    hours(&mut out, r);
    retention(&mut out, r);
    contributors(&mut out, r);
    terms(&mut out, r);
    content(&mut out, r);
    questions(&mut out, r);
    moderation(&mut out, r);
    participation(&mut out, r);
    tickets(&mut out, r);
    sentiment(&mut out, r);
    cases(&mut out, r);
    groups(&mut out, r);
    out
}

/// A period's first and last day: "2026-11-16 – 2026-11-22".
pub(crate) fn span(p: &Period) -> String {
    format!("{} – {}", p.start, p.end.pred_opt().unwrap_or(p.end))
}

/// Week-1 and week-4 retention as "60% (6/10)".
pub(crate) fn retention_facts(r: &Report) -> [(Text, String); 2] {
    let t = &r.current.retention;
    let fact =
        |kept: u64, cohort: u64| format!("{} ({kept}/{cohort})", percent(ratio(kept, cohort)));
    [
        (Text::RetentionWeek1, fact(t.week1_retained, t.week1_cohort)),
        (Text::RetentionWeek4, fact(t.week4_retained, t.week4_cohort)),
    ]
}

fn retention(out: &mut String, r: &Report) {
    let lang = r.language;
    heading(out, Text::Retention, lang);
    for (label, value) in retention_facts(r) {
        let _ = writeln!(out, "- {}: {value}", label.get(lang));
    }
    out.push('\n');
}

fn heading(out: &mut String, text: Text, lang: Lang) {
    let _ = writeln!(out, "## {}\n", text.get(lang));
}

fn numeric(cell: &str) -> bool {
    cell.starts_with(|c: char| c.is_ascii_digit() || "+−–".contains(c))
}

/// Writes a table; columns of numbers align right.
fn table(out: &mut String, head: &[&str], rows: &[Vec<String>]) {
    let _ = writeln!(out, "| {} |", head.join(" | "));
    let align: Vec<&str> = (0..head.len())
        .map(|i| {
            let numbers = rows.iter().all(|r| r.get(i).is_some_and(|c| numeric(c)));
            if numbers && i > 0 { "---:" } else { "---" }
        })
        .collect();
    let _ = writeln!(out, "| {} |", align.join(" | "));
    for row in rows {
        let _ = writeln!(out, "| {} |", row.join(" | "));
    }
    out.push('\n');
}

fn key_figures(out: &mut String, r: &Report) {
    let lang = r.language;
    heading(out, Text::KeyFigures, lang);
    let rows: Vec<Vec<String>> = numbers::key_figures(r)
        .into_iter()
        .map(|k| {
            vec![
                k.label.get(lang).to_owned(),
                k.current,
                k.previous,
                k.change,
            ]
        })
        .collect();
    let head = [Text::Figure, Text::ThisPeriod, Text::Previous, Text::Change].map(|t| t.get(lang));
    table(out, &head, &rows);
}

fn activity(out: &mut String, r: &Report) {
    let lang = r.language;
    if r.days.is_empty() {
        return;
    }
    heading(out, Text::Activity, lang);
    let rows: Vec<Vec<String>> = r
        .days
        .iter()
        .map(|d| {
            vec![
                d.date.to_string(),
                d.messages.to_string(),
                d.active_members.to_string(),
                d.joins.to_string(),
                d.leaves.to_string(),
                d.violations.to_string(),
                percent(Some(d.negative_share)),
            ]
        })
        .collect();
    let head = [
        Text::Date,
        Text::Messages,
        Text::ActiveMembers,
        Text::Joins,
        Text::Leaves,
        Text::Violations,
        Text::NegativeShare,
    ]
    .map(|t| t.get(lang));
    table(out, &head, &rows);
}

fn hours(out: &mut String, r: &Report) {
    let lang = r.language;
    let Some((day, hour, by_hour, by_day)) = busiest(&r.hours) else {
        return;
    };
    heading(out, Text::Hours, lang);
    let _ = writeln!(
        out,
        "- {}: {} {}\n- {}: {}\n- {}: {}\n",
        Text::BusiestSlot.get(lang),
        weekday_short(day, lang),
        hour_slot(hour),
        Text::BusiestHour.get(lang),
        hour_slot(by_hour),
        Text::BusiestDay.get(lang),
        weekday_full(by_day, lang),
    );
}

fn contributors(out: &mut String, r: &Report) {
    let lang = r.language;
    if r.top_contributors.is_empty() {
        return;
    }
    heading(out, Text::TopContributors, lang);
    let rows: Vec<Vec<String>> = r
        .top_contributors
        .iter()
        .enumerate()
        .map(|(i, c)| vec![(i + 1).to_string(), md(&c.name), c.messages.to_string()])
        .collect();
    table(
        out,
        &[Text::Rank, Text::Name, Text::Messages].map(|t| t.get(lang)),
        &rows,
    );
}

fn terms(out: &mut String, r: &Report) {
    let lang = r.language;
    for (text, list) in [
        (Text::TopTerms, &r.top_terms),
        (Text::RisingTerms, &r.rising_terms),
    ] {
        if list.is_empty() {
            continue;
        }
        heading(out, text, lang);
        let rows: Vec<Vec<String>> = list
            .iter()
            .map(|t| {
                let (change, _) = numbers::relative_change(t.count as f64, t.previous as f64, lang);
                vec![
                    md(&t.term),
                    t.count.to_string(),
                    t.previous.to_string(),
                    change,
                ]
            })
            .collect();
        let head =
            [Text::Term, Text::ThisPeriod, Text::Previous, Text::Change].map(|t| t.get(lang));
        table(out, &head, &rows);
    }
}

fn content(out: &mut String, r: &Report) {
    let lang = r.language;
    let c = &r.current.content;
    heading(out, Text::ContentTypes, lang);
    let total = c.text + c.links + c.media;
    let rows: Vec<Vec<String>> = [
        (Text::TextOnly, c.text),
        (Text::Links, c.links),
        (Text::Media, c.media),
    ]
    .into_iter()
    .map(|(t, n)| {
        vec![
            t.get(lang).to_owned(),
            n.to_string(),
            percent(ratio(n, total)),
        ]
    })
    .collect();
    table(
        out,
        &[Text::Kind.get(lang), Text::Count.get(lang), "%"],
        &rows,
    );
}

fn questions(out: &mut String, r: &Report) {
    let lang = r.language;
    let q = &r.current.questions;
    heading(out, Text::Questions, lang);
    let _ = writeln!(
        out,
        "- {}: {}\n- {}: {}\n- {}: {}\n",
        Text::QuestionsAsked.get(lang),
        q.asked,
        Text::AnsweredShare.get(lang),
        percent(ratio(q.answered, q.asked)),
        Text::MedianResponse.get(lang),
        duration(q.median_response_seconds, lang),
    );
}

fn moderation(out: &mut String, r: &Report) {
    let lang = r.language;
    let m = &r.current.moderation;
    heading(out, Text::Moderation, lang);
    let _ = writeln!(
        out,
        "- {}: {}\n- {}: {} · {}: {} · {}: {} · {}: {}\n- {}: {} · {}: {} · {}: {}\n",
        Text::Violations.get(lang),
        m.violations,
        Text::Deletions.get(lang),
        m.deletions,
        Text::Warnings.get(lang),
        m.warnings,
        Text::Mutes.get(lang),
        m.mutes,
        Text::Bans.get(lang),
        m.bans,
        Text::CasesDecided.get(lang),
        m.cases_decided,
        Text::Reversed.get(lang),
        m.reversed,
        Text::FalsePositiveRate.get(lang),
        percent(m.false_positive_rate),
    );
    if r.violations_by_rule.is_empty() {
        return;
    }
    let _ = writeln!(out, "### {}\n", Text::ViolationsByRule.get(lang));
    let rows: Vec<Vec<String>> = r
        .violations_by_rule
        .iter()
        .map(|v| {
            let (change, _) = numbers::relative_change(v.count as f64, v.previous as f64, lang);
            vec![
                md(&v.rule),
                v.count.to_string(),
                v.previous.to_string(),
                change,
            ]
        })
        .collect();
    let head = [Text::Rule, Text::ThisPeriod, Text::Previous, Text::Change].map(|t| t.get(lang));
    table(out, &head, &rows);
}

fn participation(out: &mut String, r: &Report) {
    let lang = r.language;
    let p = &r.current.participation;
    heading(out, Text::Participation, lang);
    let rows: Vec<Vec<String>> = [
        (Text::Checkins, p.checkins),
        (Text::PollVotes, p.poll_votes),
        (Text::QuizAnswers, p.quiz_answers),
        (Text::RaffleEntries, p.raffle_entries),
        (Text::EventSignups, p.event_signups),
        (Text::Participants, p.participants),
    ]
    .into_iter()
    .map(|(t, n)| vec![t.get(lang).to_owned(), n.to_string()])
    .collect();
    table(out, &[Text::Kind.get(lang), Text::Count.get(lang)], &rows);
}

fn tickets(out: &mut String, r: &Report) {
    let lang = r.language;
    let t = &r.current.tickets;
    heading(out, Text::Tickets, lang);
    let _ = writeln!(
        out,
        "- {}: {} · {}: {} · {}: {}\n- {}: {}\n",
        Text::TicketsOpened.get(lang),
        t.opened,
        Text::TicketsResolved.get(lang),
        t.resolved,
        Text::Overdue.get(lang),
        t.overdue,
        Text::MedianResolve.get(lang),
        duration(t.median_resolve_hours.map(|h| h * 3600.0), lang),
    );
    if t.causes.is_empty() {
        return;
    }
    let _ = writeln!(out, "### {}\n", Text::RootCauses.get(lang));
    let rows: Vec<Vec<String>> = t
        .causes
        .iter()
        .map(|(cause, n)| vec![md(cause), n.to_string()])
        .collect();
    table(out, &[Text::Cause.get(lang), Text::Count.get(lang)], &rows);
}

fn sentiment(out: &mut String, r: &Report) {
    let lang = r.language;
    let s = &r.current.sentiment;
    heading(out, Text::Sentiment, lang);
    let negative = (s.scored > 0).then_some(s.negative_share);
    let _ = writeln!(
        out,
        "- {}: {} · {}: {} · {}: {}\n- {}: {}\n",
        Text::Scored.get(lang),
        s.scored,
        Text::Positive.get(lang),
        s.positive,
        Text::Negative.get(lang),
        s.negative,
        Text::NegativeShare.get(lang),
        percent(negative),
    );
    if r.alerts.is_empty() {
        return;
    }
    let _ = writeln!(out, "### {}\n", Text::Alerts.get(lang));
    let rows: Vec<Vec<String>> = r
        .alerts
        .iter()
        .map(|a| {
            vec![
                a.at.format("%Y-%m-%d %H:%M UTC").to_string(),
                md(&a.group),
                md(&texts::alert_kind(&a.kind, lang)),
                md(&a.detail),
            ]
        })
        .collect();
    let head = [Text::Time, Text::Group, Text::Kind, Text::Detail].map(|t| t.get(lang));
    table(out, &head, &rows);
}

fn cases(out: &mut String, r: &Report) {
    let lang = r.language;
    if r.cases.is_empty() {
        return;
    }
    heading(out, Text::Cases, lang);
    let rows: Vec<Vec<String>> = r
        .cases
        .iter()
        .map(|c| {
            vec![
                c.at.format("%Y-%m-%d %H:%M UTC").to_string(),
                md(&c.group),
                md(&c.member),
                md(&c.rule),
                md(&c.severity),
                md(&c.action),
                md(&texts::case_status(&c.status, lang)),
            ]
        })
        .collect();
    let head = [
        Text::Time,
        Text::Group,
        Text::Member,
        Text::Rule,
        Text::Severity,
        Text::Action,
        Text::Status,
    ]
    .map(|t| t.get(lang));
    table(out, &head, &rows);
}

fn groups(out: &mut String, r: &Report) {
    let lang = r.language;
    if r.groups.is_empty() {
        return;
    }
    heading(out, Text::Groups, lang);
    let rows: Vec<Vec<String>> = r
        .groups
        .iter()
        .map(|g| {
            let (change, _) =
                numbers::relative_change(g.messages as f64, g.previous_messages as f64, lang);
            vec![
                md(&g.name),
                g.messages.to_string(),
                change,
                g.active_members.to_string(),
                signed(g.net_growth),
                g.violations.to_string(),
                percent(Some(g.negative_share)),
            ]
        })
        .collect();
    let head = [
        Text::Group.get(lang),
        Text::Messages.get(lang),
        Text::VsPrevious.get(lang),
        Text::ActiveMembers.get(lang),
        Text::NetGrowth.get(lang),
        Text::Violations.get(lang),
        Text::NegativeShare.get(lang),
    ];
    table(out, &head, &rows);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::sample;

    #[test]
    fn markdown_shows_figures_with_their_changes() {
        let out = markdown(&sample());
        assert!(
            out.starts_with("# Weekly report: Rust Chat, 2026-W47\n"),
            "{out}"
        );
        assert!(out.contains("| Messages | 1234 | 1100 | +12% |"), "{out}");
        assert!(
            out.contains("| Active members | 181 | 190 | −5% |"),
            "{out}"
        );
        assert!(out.contains("| Net growth | +8 | +3 | +5 |"), "{out}");
        assert!(
            out.contains("| Negative share | 6.1% | 5% | +1.1 pp |"),
            "{out}"
        );
        assert!(
            out.contains("| Median response time | 4 min | 7 min | −43% |"),
            "{out}"
        );
        assert!(out.contains("| flood | 2 | 0 | new |"), "{out}");
        assert!(out.contains("Busiest time: Tue 19:00–20:00"), "{out}");
        assert!(out.contains("Busiest weekday: Tuesday"), "{out}");
        assert!(out.contains("## Violation cases"), "{out}");
        assert!(out.contains("- Week-4 retention: 37.5% (3/8)"), "{out}");
        assert!(
            out.contains("Previous period: 2026-11-09 – 2026-11-15"),
            "{out}"
        );
        assert!(out.contains("| Rust 新手群 | 404 | +19% |"), "{out}");
    }

    #[test]
    fn markdown_escapes_user_text() {
        let mut r = sample();
        r.top_contributors[0].name = "*|[x](y)\n# h <b>".into();
        let out = markdown(&r);
        assert!(
            out.contains(r"| 1 | \*\|\[x\]\(y\) \# h &lt;b&gt; | 57 |"),
            "{out}"
        );
        assert!(!out.contains("[x](y)"));
        assert!(!out.contains("<b>"));
    }

    #[test]
    fn markdown_speaks_the_report_language() {
        let mut r = sample();
        r.language = Lang::Zh;
        let out = markdown(&r);
        assert!(out.contains("| 活跃成员 | 181 | 190 | −5% |"), "{out}");
        assert!(out.contains("## 违规案例"), "{out}");
        r.language = Lang::Ru;
        assert!(markdown(&r).contains("## Случаи нарушений"));
    }
}

//! The HTML rendering: [`html`] is a standalone page (doctype, charset, the
//! report's `lang`, a `<style>` block, no scripts, no external resources)
//! and [`html_body`] the same content for the dashboard, which forbids
//! inline styles: the body uses classes and SVG presentation attributes
//! only, never `style=`. All user text goes through [`escape`].
//!
//! Class names, for the dashboard stylesheet:
//! - `report`: the `<article>` holding everything (carries `lang`);
//! - `report-header`, `report-meta`: the title block and its period line;
//! - `report-empty`: the "no messages in this period" note;
//! - `report-section` plus `report-<subject>` (`figures`, `activity`,
//!   `hours`, `retention`, `contributors`, `terms`, `content`, `questions`,
//!   `moderation`, `participation`, `tickets`, `sentiment`, `cases`,
//!   `groups`): sections;
//! - `report-table`: tables; `num`: numeric cells; `change-up`,
//!   `change-down`, `change-flat`: change cells by direction;
//! - `report-facts`: the `<ul>` of single figures in a section;
//! - `report-chart`: the `<figure>` around a chart, with `<figcaption>`;
//! - in the SVGs: `chart` plus `chart-bars`, `chart-line`, `chart-heatmap`,
//!   `chart-hbars`; marks `chart-bar`, `chart-ref` (the previous period's
//!   average), `chart-path`, `chart-dot`, `chart-cell`, `chart-axis`,
//!   `chart-label`, `chart-value`.

use std::fmt::Write;

use steward_core::i18n::Lang;

use super::escape;
use super::markdown::{retention_facts, span};
use super::numbers::{self, Trend, busiest, decimal, duration, hour_slot, percent, ratio, signed};
use super::svg::{self, Point};
use super::texts::{self, Text, weekday_full, weekday_short};
use crate::model::Report;

const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI','PingFang SC','Microsoft YaHei',sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#222;line-height:1.45}\
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}\
.report-meta{color:#666}.report-table{border-collapse:collapse;margin:.5rem 0 1rem}\
.report-table th,.report-table td{border:1px solid #ddd;padding:.25rem .6rem;text-align:left}\
.report-table .num{text-align:right;font-variant-numeric:tabular-nums}\
.change-up{color:#1a7f37}.change-down{color:#cf222e}.change-flat{color:#666}\
.report-chart{margin:1rem 0}.report-chart svg{max-width:100%;height:auto}\
.report-chart figcaption{color:#666;font-size:.9rem}";

/// Renders the report as a standalone HTML page.
pub fn html(r: &Report) -> String {
    let title = texts::title(r, &escape(&r.scope.name));
    format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        lang = r.language.as_str(),
        body = html_body(r),
    )
}

/// Renders the report's content for embedding (the dashboard): no
/// `<html>`, `<head>` or `<style>`, and no `style=` attribute anywhere.
pub fn html_body(r: &Report) -> String {
    let lang = r.language;
    let mut out = String::new();
    let _ = writeln!(out, "<article class=\"report\" lang=\"{}\">", lang.as_str());
    header(&mut out, r);
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
    out.push_str("</article>\n");
    out
}

/// A table cell: escaped text, and whether it is numeric.
enum Cell {
    Text(String),
    Num(String),
    Change(String, Trend),
}

fn text(s: &str) -> Cell {
    Cell::Text(s.to_owned())
}

fn num(s: impl ToString) -> Cell {
    Cell::Num(s.to_string())
}

fn section(out: &mut String, subject: &str, heading: Text, lang: Lang) {
    let _ = writeln!(
        out,
        "<section class=\"report-section report-{subject}\">\n<h2>{}</h2>",
        escape(heading.get(lang))
    );
}

fn table(out: &mut String, head: &[&str], rows: Vec<Vec<Cell>>) {
    out.push_str("<table class=\"report-table\"><thead><tr>");
    for h in head {
        let _ = write!(out, "<th scope=\"col\">{}</th>", escape(h));
    }
    out.push_str("</tr></thead><tbody>\n");
    for row in rows {
        out.push_str("<tr>");
        for cell in row {
            let _ = match cell {
                Cell::Text(s) => write!(out, "<td>{}</td>", escape(&s)),
                Cell::Num(s) => write!(out, "<td class=\"num\">{}</td>", escape(&s)),
                Cell::Change(s, t) => {
                    write!(out, "<td class=\"num {}\">{}</td>", t.class(), escape(&s))
                }
            };
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table>\n");
}

fn facts(out: &mut String, items: &[(Text, String)], lang: Lang) {
    out.push_str("<ul class=\"report-facts\">");
    for (label, value) in items {
        let _ = write!(
            out,
            "<li>{}: {}</li>",
            escape(label.get(lang)),
            escape(value)
        );
    }
    out.push_str("</ul>\n");
}

fn chart(out: &mut String, svg: &str, caption: &str) {
    let _ = writeln!(
        out,
        "<figure class=\"report-chart\">{svg}<figcaption>{}</figcaption></figure>",
        escape(caption)
    );
}

fn header(out: &mut String, r: &Report) {
    let lang = r.language;
    let _ = writeln!(
        out,
        "<header class=\"report-header\"><h1>{}</h1><p class=\"report-meta\">{}: {} · {}: {} · {}: {} · {}: {}</p></header>",
        texts::title(r, &escape(&r.scope.name)),
        escape(Text::Period.get(lang)),
        span(&r.period),
        escape(Text::PreviousPeriod.get(lang)),
        span(&r.previous_period),
        escape(Text::TimeZone.get(lang)),
        escape(&r.time_zone),
        escape(Text::Generated.get(lang)),
        r.generated_at.format("%Y-%m-%d %H:%M UTC"),
    );
    if r.current.messages == 0 {
        let _ = writeln!(
            out,
            "<p class=\"report-empty\">{}</p>",
            escape(Text::NoMessages.get(lang))
        );
    }
}

fn key_figures(out: &mut String, r: &Report) {
    let lang = r.language;
    section(out, "figures", Text::KeyFigures, lang);
    let rows = numbers::key_figures(r)
        .into_iter()
        .map(|k| {
            vec![
                text(k.label.get(lang)),
                num(k.current),
                num(k.previous),
                Cell::Change(k.change, k.trend),
            ]
        })
        .collect();
    let head = [Text::Figure, Text::ThisPeriod, Text::Previous, Text::Change].map(|t| t.get(lang));
    table(out, &head, rows);
    out.push_str("</section>\n");
}

fn day_points(r: &Report, value: impl Fn(&crate::model::DayRow) -> (f64, String)) -> Vec<Point> {
    r.days
        .iter()
        .map(|d| {
            let (value, shown) = value(d);
            Point {
                label: d.date.format("%m-%d").to_string(),
                value,
                shown,
            }
        })
        .collect()
}

fn activity(out: &mut String, r: &Report) {
    let lang = r.language;
    section(out, "activity", Text::Activity, lang);
    let days = r.previous_period.days().max(1) as f64;
    let average = r.previous.messages as f64 / days;
    let reference = (
        average,
        format!("{}: {}", Text::PreviousAverage.get(lang), decimal(average)),
    );
    let messages = day_points(r, |d| (d.messages as f64, d.messages.to_string()));
    let title = Text::MessagesPerDay.get(lang);
    let svg = svg::bars_with_line(&messages, Some(reference.clone()), title, decimal);
    chart(out, &svg, &format!("{title}; {}", reference.1));
    let active = day_points(r, |d| {
        (d.active_members as f64, d.active_members.to_string())
    });
    let title = Text::ActivePerDay.get(lang);
    chart(out, &svg::line(&active, title, decimal), title);
    let rows = r
        .days
        .iter()
        .map(|d| {
            vec![
                text(&d.date.to_string()),
                num(d.messages),
                num(d.active_members),
                num(d.joins),
                num(d.leaves),
                num(d.violations),
                num(percent(Some(d.negative_share))),
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
    table(out, &head, rows);
    out.push_str("</section>\n");
}

fn hours(out: &mut String, r: &Report) {
    let lang = r.language;
    section(out, "hours", Text::Hours, lang);
    if let Some((day, hour, by_hour, by_day)) = busiest(&r.hours) {
        let slot = format!("{} {}", weekday_short(day, lang), hour_slot(hour));
        let items = [
            (Text::BusiestSlot, slot),
            (Text::BusiestHour, hour_slot(by_hour)),
            (Text::BusiestDay, weekday_full(by_day, lang).to_owned()),
        ];
        facts(out, &items, lang);
    }
    let names: [&str; 7] = std::array::from_fn(|d| weekday_short(d, lang));
    let title = Text::Heatmap.get(lang);
    let svg = svg::heatmap(&r.hours, names, title, |d, h, n| {
        format!("{} {}: {n}", weekday_short(d, lang), hour_slot(h))
    });
    chart(out, &svg, title);
    out.push_str("</section>\n");
}

fn retention(out: &mut String, r: &Report) {
    let lang = r.language;
    section(out, "retention", Text::Retention, lang);
    facts(out, &retention_facts(r), lang);
    out.push_str("</section>\n");
}

fn contributors(out: &mut String, r: &Report) {
    let lang = r.language;
    if r.top_contributors.is_empty() {
        return;
    }
    section(out, "contributors", Text::TopContributors, lang);
    let rows = r
        .top_contributors
        .iter()
        .enumerate()
        .map(|(i, c)| vec![num(i + 1), text(&c.name), num(c.messages)])
        .collect();
    table(
        out,
        &[Text::Rank, Text::Name, Text::Messages].map(|t| t.get(lang)),
        rows,
    );
    out.push_str("</section>\n");
}

fn terms(out: &mut String, r: &Report) {
    let lang = r.language;
    if r.top_terms.is_empty() && r.rising_terms.is_empty() {
        return;
    }
    section(out, "terms", Text::TopTerms, lang);
    for (heading, list) in [
        (None, &r.top_terms),
        (Some(Text::RisingTerms), &r.rising_terms),
    ] {
        if list.is_empty() {
            continue;
        }
        if let Some(h) = heading {
            let _ = writeln!(out, "<h3>{}</h3>", escape(h.get(lang)));
        }
        let rows = list
            .iter()
            .map(|t| {
                let (change, trend) =
                    numbers::relative_change(t.count as f64, t.previous as f64, lang);
                vec![
                    text(&t.term),
                    num(t.count),
                    num(t.previous),
                    Cell::Change(change, trend),
                ]
            })
            .collect();
        let head =
            [Text::Term, Text::ThisPeriod, Text::Previous, Text::Change].map(|t| t.get(lang));
        table(out, &head, rows);
    }
    out.push_str("</section>\n");
}

fn content(out: &mut String, r: &Report) {
    let lang = r.language;
    let c = &r.current.content;
    section(out, "content", Text::ContentTypes, lang);
    let rows: Vec<(String, u64)> = [
        (Text::TextOnly, c.text),
        (Text::Links, c.links),
        (Text::Media, c.media),
    ]
    .into_iter()
    .map(|(t, n)| (t.get(lang).to_owned(), n))
    .collect();
    let title = Text::ContentTypes.get(lang);
    chart(out, &svg::hbars(&rows, title), title);
    out.push_str("</section>\n");
}

fn questions(out: &mut String, r: &Report) {
    let lang = r.language;
    let q = &r.current.questions;
    section(out, "questions", Text::Questions, lang);
    let items = [
        (Text::QuestionsAsked, q.asked.to_string()),
        (Text::AnsweredShare, percent(ratio(q.answered, q.asked))),
        (
            Text::MedianResponse,
            duration(q.median_response_seconds, lang),
        ),
    ];
    facts(out, &items, lang);
    out.push_str("</section>\n");
}

fn moderation(out: &mut String, r: &Report) {
    let lang = r.language;
    let m = &r.current.moderation;
    section(out, "moderation", Text::Moderation, lang);
    let items = [
        (Text::Violations, m.violations.to_string()),
        (Text::Deletions, m.deletions.to_string()),
        (Text::Warnings, m.warnings.to_string()),
        (Text::Mutes, m.mutes.to_string()),
        (Text::Bans, m.bans.to_string()),
        (Text::CasesDecided, m.cases_decided.to_string()),
        (Text::Reversed, m.reversed.to_string()),
        (Text::FalsePositiveRate, percent(m.false_positive_rate)),
    ];
    facts(out, &items, lang);
    if !r.violations_by_rule.is_empty() {
        let rows: Vec<(String, u64)> = r
            .violations_by_rule
            .iter()
            .map(|v| (v.rule.clone(), v.count))
            .collect();
        let title = Text::ViolationsByRule.get(lang);
        chart(out, &svg::hbars(&rows, title), title);
    }
    out.push_str("</section>\n");
}

fn participation(out: &mut String, r: &Report) {
    let lang = r.language;
    let p = &r.current.participation;
    section(out, "participation", Text::Participation, lang);
    let items = [
        (Text::Checkins, p.checkins.to_string()),
        (Text::PollVotes, p.poll_votes.to_string()),
        (Text::QuizAnswers, p.quiz_answers.to_string()),
        (Text::RaffleEntries, p.raffle_entries.to_string()),
        (Text::EventSignups, p.event_signups.to_string()),
        (Text::Participants, p.participants.to_string()),
    ];
    facts(out, &items, lang);
    out.push_str("</section>\n");
}

fn tickets(out: &mut String, r: &Report) {
    let lang = r.language;
    let t = &r.current.tickets;
    section(out, "tickets", Text::Tickets, lang);
    let items = [
        (Text::TicketsOpened, t.opened.to_string()),
        (Text::TicketsResolved, t.resolved.to_string()),
        (Text::Overdue, t.overdue.to_string()),
        (
            Text::MedianResolve,
            duration(t.median_resolve_hours.map(|h| h * 3600.0), lang),
        ),
    ];
    facts(out, &items, lang);
    if !t.causes.is_empty() {
        let _ = writeln!(out, "<h3>{}</h3>", escape(Text::RootCauses.get(lang)));
        let rows = t
            .causes
            .iter()
            .map(|(c, n)| vec![text(c), num(n)])
            .collect();
        table(out, &[Text::Cause.get(lang), Text::Count.get(lang)], rows);
    }
    out.push_str("</section>\n");
}

fn sentiment(out: &mut String, r: &Report) {
    let lang = r.language;
    let s = &r.current.sentiment;
    section(out, "sentiment", Text::Sentiment, lang);
    let items = [
        (Text::Scored, s.scored.to_string()),
        (Text::Positive, s.positive.to_string()),
        (Text::Negative, s.negative.to_string()),
        (
            Text::NegativeShare,
            percent((s.scored > 0).then_some(s.negative_share)),
        ),
    ];
    facts(out, &items, lang);
    let points = day_points(r, |d| (d.negative_share, percent(Some(d.negative_share))));
    let title = Text::NegativePerDay.get(lang);
    chart(out, &svg::line(&points, title, |m| percent(Some(m))), title);
    if !r.alerts.is_empty() {
        let _ = writeln!(out, "<h3>{}</h3>", escape(Text::Alerts.get(lang)));
        let rows = r
            .alerts
            .iter()
            .map(|a| {
                vec![
                    text(&a.at.format("%Y-%m-%d %H:%M UTC").to_string()),
                    text(&a.group),
                    text(&texts::alert_kind(&a.kind, lang)),
                    text(&a.detail),
                ]
            })
            .collect();
        let head = [Text::Time, Text::Group, Text::Kind, Text::Detail].map(|t| t.get(lang));
        table(out, &head, rows);
    }
    out.push_str("</section>\n");
}

fn cases(out: &mut String, r: &Report) {
    let lang = r.language;
    if r.cases.is_empty() {
        return;
    }
    section(out, "cases", Text::Cases, lang);
    let rows = r
        .cases
        .iter()
        .map(|c| {
            vec![
                text(&c.at.format("%Y-%m-%d %H:%M UTC").to_string()),
                text(&c.group),
                text(&c.member),
                text(&c.rule),
                text(&c.severity),
                text(&c.action),
                text(&texts::case_status(&c.status, lang)),
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
    table(out, &head, rows);
    out.push_str("</section>\n");
}

fn groups(out: &mut String, r: &Report) {
    let lang = r.language;
    if r.groups.is_empty() {
        return;
    }
    section(out, "groups", Text::Groups, lang);
    let rows = r
        .groups
        .iter()
        .map(|g| {
            let (change, trend) =
                numbers::relative_change(g.messages as f64, g.previous_messages as f64, lang);
            vec![
                text(&g.name),
                num(g.messages),
                Cell::Change(change, trend),
                num(g.active_members),
                num(signed(g.net_growth)),
                num(g.violations),
                num(percent(Some(g.negative_share))),
            ]
        })
        .collect();
    let head = [
        Text::Group,
        Text::Messages,
        Text::VsPrevious,
        Text::ActiveMembers,
        Text::NetGrowth,
        Text::Violations,
        Text::NegativeShare,
    ]
    .map(|t| t.get(lang));
    table(out, &head, rows);
    out.push_str("</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Figures, Report};
    use crate::sample::sample;

    #[test]
    fn page_is_standalone_and_body_has_no_inline_style() {
        let r = sample();
        let page = html(&r);
        assert!(page.starts_with("<!doctype html>\n<html lang=\"en\">"));
        assert!(page.contains("<meta charset=\"utf-8\">") && page.contains("<style>"));
        for banned in ["<script", "http://", "https://", "src="] {
            let without_ns = page.replace("http://www.w3.org/2000/svg", "");
            assert!(!without_ns.contains(banned), "page has {banned}");
        }
        let body = html_body(&r);
        assert!(!body.contains("style") && !body.contains("<html"), "{body}");
        assert_eq!(body.matches("role=\"img\"").count(), 6, "six charts");
        assert!(
            body.contains("<td class=\"num change-up\">+12%</td>"),
            "{body}"
        );
        assert!(body.contains("<title>11-17: 240</title>"), "{body}");
        assert!(
            body.contains("Previous period&#39;s daily average: 157.1"),
            "{body}"
        );
    }

    #[test]
    fn user_text_is_escaped() {
        let mut r = sample();
        r.scope.name = "<script>alert(1)</script>".into();
        r.groups[0].name = "<script>alert(1)</script>".into();
        r.violations_by_rule[0].rule = "\"><img onerror=x>".into();
        let page = html(&r);
        assert!(
            !page.contains("<script>") && !page.contains("<img"),
            "{page}"
        );
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(page.contains("&quot;&gt;&lt;img onerror=x&gt;"));
    }

    #[test]
    fn an_empty_period_renders_without_nan() {
        let mut r: Report = sample();
        r.current = Figures::default();
        r.previous = Figures::default();
        for d in &mut r.days {
            *d = crate::model::DayRow {
                date: d.date,
                ..Default::default()
            };
        }
        r.hours = vec![[0; 24]; 7];
        r.top_contributors.clear();
        r.violations_by_rule.clear();
        for lang in Lang::ALL {
            r.language = lang;
            let page = html(&r);
            assert!(!page.contains("NaN") && !page.contains("inf"), "{page}");
            assert!(page.contains(Text::NoMessages.get(lang)));
            let md = crate::render::markdown(&r);
            assert!(!md.contains("NaN") && !md.contains("inf"), "{md}");
        }
        r.days.clear();
        r.hours.clear();
        assert!(!html(&r).contains("NaN"));
    }
}

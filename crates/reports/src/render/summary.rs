//! The short message posted to the admins' chat when a report is ready:
//! plain text (no Markdown: chat platforms disagree on its dialect), in the
//! report's language, with the title, the key figures and their changes,
//! the fastest rising term and the link to the full report. Always under
//! 1000 characters: long names and terms are shortened.

use std::fmt::Write;

use steward_core::i18n::Lang;

use super::numbers::{self, percent, signed};
use super::texts::{self, Text};
use crate::model::Report;

/// The longest name or term shown, in characters.
const MAX_NAME: usize = 80;
/// The longest link shown, in characters; a longer one is left out rather
/// than cut (a cut link is a broken link).
const MAX_LINK: usize = 300;

fn shorten(text: &str, max: usize) -> String {
    let flat: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if flat.chars().count() <= max {
        return flat;
    }
    let mut short: String = flat.chars().take(max - 1).collect();
    short.push('…');
    short
}

/// The chat summary of `r`, with `link` to the full report when given.
pub fn chat_summary(r: &Report, link: Option<&str>) -> String {
    let lang = r.language;
    let (c, p) = (&r.current, &r.previous);
    // Chinese punctuation is full width.
    let (colon, open, close, comma) = match lang {
        Lang::Zh => ("：", "（", "）", "，"),
        Lang::Ru | Lang::En => (": ", " (", ")", ", "),
    };
    let mut out = texts::title(r, &shorten(&r.scope.name, MAX_NAME));
    out.push('\n');
    let line = |out: &mut String, label: Text, value: String, change: String| {
        let _ = writeln!(
            out,
            "{}{colon}{value}{open}{change}{close}",
            label.get(lang)
        );
    };
    let rel = |a: u64, b: u64| numbers::relative_change(a as f64, b as f64, lang).0;
    line(
        &mut out,
        Text::Messages,
        c.messages.to_string(),
        rel(c.messages, p.messages),
    );
    line(
        &mut out,
        Text::ActiveMembers,
        c.active_members.to_string(),
        rel(c.active_members, p.active_members),
    );
    let _ = writeln!(
        out,
        "{}{colon}{}{open}{} {}{comma}{} {}{close}",
        Text::NetGrowth.get(lang),
        signed(c.net_growth),
        Text::Joins.get(lang),
        c.joins,
        Text::Leaves.get(lang),
        c.leaves,
    );
    line(
        &mut out,
        Text::Violations,
        c.moderation.violations.to_string(),
        rel(c.moderation.violations, p.moderation.violations),
    );
    let negative = |scored: u64, share: f64| (scored > 0).then_some(share);
    let (now, before) = (
        negative(c.sentiment.scored, c.sentiment.negative_share),
        negative(p.sentiment.scored, p.sentiment.negative_share),
    );
    line(
        &mut out,
        Text::NegativeShare,
        percent(now),
        numbers::points_change(now, before, lang).0,
    );
    if c.tickets.opened > 0 || c.tickets.overdue > 0 {
        let _ = writeln!(
            out,
            "{}{colon}{} · {}{colon}{}",
            Text::TicketsOpened.get(lang),
            c.tickets.opened,
            Text::Overdue.get(lang),
            c.tickets.overdue,
        );
    }
    if let Some(term) = r.rising_terms.first() {
        let _ = writeln!(
            out,
            "{}{colon}{}{open}{} → {}{close}",
            Text::RisingTerms.get(lang),
            shorten(&term.term, MAX_NAME),
            term.previous,
            term.count,
        );
    }
    if let Some(link) = link.filter(|l| l.chars().count() <= MAX_LINK) {
        let _ = writeln!(out, "{}{colon}{link}", Text::Link.get(lang));
    }
    out.trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::sample;

    #[test]
    fn summary_carries_the_key_figures() {
        let text = chat_summary(&sample(), Some("https://steward.example/reports/1"));
        assert!(
            text.starts_with("Weekly report: Rust Chat, 2026-W47\n"),
            "{text}"
        );
        for expected in [
            "Messages: 1234 (+12%)",
            "Active members: 181 (−5%)",
            "Net growth: +8 (Joins 13, Leaves 5)",
            "Violations: 8 (+60%)",
            "Negative share: 6.1% (+1.1 pp)",
            "Tickets opened: 4 · Overdue: 1",
            "Rising terms: tokio (9 → 38)",
            "Full report: https://steward.example/reports/1",
        ] {
            assert!(text.contains(expected), "missing {expected:?} in {text}");
        }
        assert!(!text.contains('*') && !text.contains('|'));
    }

    #[test]
    fn summary_stays_short_whatever_the_names() {
        let mut r = sample();
        r.scope.name = "长".repeat(2000);
        r.rising_terms[0].term = "x".repeat(5000);
        for lang in Lang::ALL {
            r.language = lang;
            let text = chat_summary(&r, Some(&"l".repeat(250)));
            assert!(
                text.chars().count() < 1000,
                "{} chars",
                text.chars().count()
            );
        }
        r.language = Lang::Zh;
        let text = chat_summary(&r, None);
        assert!(text.contains("消息数：1234（+12%）"), "{text}");
    }
}

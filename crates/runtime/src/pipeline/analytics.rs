//! Analytics at ingest: each new message is scored for sentiment and cut
//! into terms before the write turn (pure work, overlapping another batch's
//! database work), and every accepted event is counted into the roll-ups
//! (`steward_storage::analytics`) in the transaction that stores it.
//!
//! Days and hours are the group's local ones, in its time zone at the
//! event's time. A message counts once, when it is new; edits and Steward's
//! own messages are not counted.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate, Timelike};
use steward_core::zone::Zone;
use steward_core::{EventPayload, GroupId, IncomingEvent, MemberId, MessageContent, Timestamp};
use steward_insights::{sentiment, trends};
use steward_storage::Tx;
use steward_storage::analytics::{QuestionRow, ReplyRow, Rollup};

use super::{Pipeline, PipelineError};

/// Term counts not written yet, by group, day and term, and since when.
#[derive(Debug, Default)]
pub(super) struct PendingTerms {
    counts: BTreeMap<(GroupId, i64, String), i64>,
    since: Option<std::time::Instant>,
}

/// Pending term rows that make ingest write them at once.
const TERMS_FLUSH_ROWS: usize = 50_000;
/// How long term counts wait at most before the timers write them.
const TERMS_FLUSH_AFTER: std::time::Duration = std::time::Duration::from_secs(5);

/// What the pure pass found in a message.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Analysis {
    /// Its sentiment score, when it has text.
    pub(super) sentiment: Option<f32>,
    negative: bool,
    positive: bool,
    /// Its terms, each once.
    terms: Vec<String>,
    /// Whether it reads as a question.
    question: bool,
}

/// Scores a new message; `None` for other events and empty texts.
pub(super) fn analyze(event: &IncomingEvent) -> Option<Analysis> {
    let EventPayload::Message { message } = &event.payload else {
        return None;
    };
    let text = message.text.trim();
    if text.is_empty() {
        return None;
    }
    let mood = sentiment::score(text);
    Some(Analysis {
        sentiment: Some(mood.score),
        negative: mood.negative,
        positive: mood.positive,
        terms: trends::chat_terms(text),
        question: steward_faq::looks_like_question(text),
    })
}

/// The local day number and hour of `at` in `zone`.
pub(crate) fn local_day_hour(zone: Zone, at: Timestamp) -> (i64, u8) {
    let local = at.with_timezone(&zone.offset_at(at));
    let day = (local.date_naive() - NaiveDate::default()).num_days();
    (day, local.hour() as u8)
}

/// Whether a message carries a link, marked up by the platform or written
/// out.
fn has_link(message: &MessageContent) -> bool {
    !message.links.is_empty() || message.text.contains("://") || message.text.contains("www.")
}

/// Counts one accepted event into `rollup`.
pub(crate) fn count_event(
    rollup: &mut Rollup,
    event: &IncomingEvent,
    group: GroupId,
    member: MemberId,
    day: i64,
    hour: u8,
    analysis: Option<&Analysis>,
) {
    match &event.payload {
        EventPayload::Message { message } => {
            let counts = rollup.day(group, day);
            counts.messages += 1;
            let link = has_link(message);
            let media = !message.attachments.is_empty();
            if link {
                counts.link_messages += 1;
            }
            if media {
                counts.media_messages += 1;
            }
            if !link && !media && !message.text.trim().is_empty() {
                counts.text_messages += 1;
            }
            if let Some(a) = analysis {
                counts.scored += 1;
                counts.negative += i64::from(a.negative);
                counts.positive += i64::from(a.positive);
                counts.questions += i64::from(a.question);
                for term in &a.terms {
                    *rollup.terms.entry((group, day, term.clone())).or_default() += 1;
                }
                if a.question {
                    rollup.questions.push(QuestionRow {
                        group,
                        message_id: message.id.clone(),
                        member,
                        day,
                        asked_at: event.at,
                        answered_at: None,
                    });
                }
            }
            *rollup.member_days.entry((group, day, member)).or_default() += 1;
            *rollup.hours.entry((group, day, hour)).or_default() += 1;
            if let Some(replied) = &message.reply_to {
                rollup.replies.push(ReplyRow {
                    group,
                    message_id: replied.clone(),
                    member,
                    at: event.at,
                });
            }
        }
        EventPayload::MemberJoined { .. } => {
            rollup.day(group, day).joins += 1;
            rollup.joins.insert((group, day, member));
        }
        EventPayload::MemberLeft { .. } => {
            rollup.day(group, day).leaves += 1;
        }
        _ => {}
    }
}

/// The weekday (0 = Monday) of a day number.
pub(crate) fn weekday_of(day: i64) -> usize {
    (NaiveDate::default() + chrono::Duration::days(day))
        .weekday()
        .num_days_from_monday() as usize
}

impl Pipeline {
    /// Whether ingest keeps the analytics roll-ups.
    pub fn analytics_enabled(&self) -> bool {
        self.inner
            .analytics
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Turns the analytics roll-ups on or off (the `analytics.enabled`
    /// setting; benchmarks compare both).
    pub fn set_analytics(&self, enabled: bool) {
        self.inner
            .analytics
            .store(enabled, std::sync::atomic::Ordering::Relaxed);
    }

    /// Moves a batch's term counts to the pending ones; true when so many
    /// are pending that they should be written now.
    pub(super) fn hold_terms(&self, rollup: &mut Rollup) -> bool {
        if rollup.terms.is_empty() {
            return false;
        }
        let mut pending = self
            .inner
            .pending_terms
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        pending.since.get_or_insert_with(std::time::Instant::now);
        for (key, n) in std::mem::take(&mut rollup.terms) {
            *pending.counts.entry(key).or_default() += n;
        }
        pending.counts.len() >= TERMS_FLUSH_ROWS
    }

    /// Writes the pending term counts. The timers call it every few
    /// seconds and `steward serve` on its way out; a crash loses at most
    /// those seconds of term counts (the events themselves are stored, so
    /// nothing else is lost).
    pub async fn flush_terms(&self) -> Result<usize, PipelineError> {
        let counts = {
            let mut pending = self
                .inner
                .pending_terms
                .lock()
                .unwrap_or_else(|p| p.into_inner());
            pending.since = None;
            std::mem::take(&mut pending.counts)
        };
        if counts.is_empty() {
            return Ok(0);
        }
        let n = counts.len();
        let rollup = Rollup {
            terms: counts,
            ..Rollup::default()
        };
        let turn = self.inner.write_turn.lock().await;
        let mut tx = self.inner.store.begin().await?;
        tx.apply_rollup(&rollup).await?;
        tx.commit().await?;
        drop(turn);
        Ok(n)
    }

    /// Writes the pending term counts once they have waited long enough.
    pub(super) async fn flush_terms_when_due(&self) -> Result<usize, PipelineError> {
        let due = self
            .inner
            .pending_terms
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .since
            .is_some_and(|since| since.elapsed() >= TERMS_FLUSH_AFTER);
        if due { self.flush_terms().await } else { Ok(0) }
    }

    /// The zone of each group, read once per batch.
    pub(super) async fn zone_of(
        &self,
        tx: &mut Tx,
        zones: &mut HashMap<GroupId, Zone>,
        group: GroupId,
    ) -> Result<Zone, PipelineError> {
        if let Some(zone) = zones.get(&group) {
            return Ok(*zone);
        }
        let zone = self.settings(tx, group).await?.zone();
        zones.insert(group, zone);
        Ok(zone)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use steward_core::{GroupRef, MemberRef, Platform};

    fn message(text: &str, reply_to: Option<&str>) -> IncomingEvent {
        IncomingEvent {
            platform: Platform::Http,
            event_id: "e1".into(),
            group: GroupRef {
                id: "g".into(),
                title: None,
            },
            member: MemberRef::with_id("m"),
            at: "2026-11-22T23:30:00Z".parse().unwrap(),
            payload: EventPayload::Message {
                message: MessageContent {
                    id: "m1".into(),
                    text: text.into(),
                    reply_to: reply_to.map(str::to_owned),
                    ..MessageContent::default()
                },
            },
        }
    }

    #[test]
    fn a_message_counts_on_the_groups_local_day_and_hour() {
        let event = message("How do I reset my password?", Some("m0"));
        let zone = Zone::parse("Asia/Shanghai").unwrap();
        let (day, hour) = local_day_hour(zone, event.at);
        assert_eq!(hour, 7);
        assert_eq!(
            day,
            ("2026-11-23".parse::<NaiveDate>().unwrap() - NaiveDate::default()).num_days()
        );
        let analysis = analyze(&event).unwrap();
        assert!(analysis.question);
        let mut rollup = Rollup::default();
        count_event(
            &mut rollup,
            &event,
            GroupId(1),
            MemberId(2),
            day,
            hour,
            Some(&analysis),
        );
        let counts = rollup.days[&(GroupId(1), day)];
        assert_eq!(
            (counts.messages, counts.text_messages, counts.questions),
            (1, 1, 1)
        );
        assert_eq!(rollup.member_days[&(GroupId(1), day, MemberId(2))], 1);
        assert_eq!(rollup.questions.len(), 1);
        assert_eq!(rollup.replies.len(), 1);
        assert!(
            rollup
                .terms
                .keys()
                .any(|(_, _, t)| t.starts_with("password"))
        );
    }

    #[test]
    fn links_and_media_are_told_apart_from_text() {
        let mut rollup = Rollup::default();
        let link = message("see https://example.org", None);
        count_event(&mut rollup, &link, GroupId(1), MemberId(2), 0, 0, None);
        let counts = rollup.days[&(GroupId(1), 0)];
        assert_eq!((counts.link_messages, counts.text_messages), (1, 0));
        assert_eq!(weekday_of(0), 3, "1970-01-01 was a Thursday");
    }
}

//! History imports: a group's past (a Telegram Desktop export, say) stored
//! as events and counted into the roll-ups, so reports cover the time
//! before Steward joined.
//!
//! History is recorded, never acted on: no rule, command, welcome or point
//! runs on it, and member names are not rewritten from it (a name in an old
//! message is not the member's name now). Event ids are the platform's, so
//! an import run twice, or one overlapping what Steward saw live, stores
//! each event once and counts it once.

use std::collections::{BTreeMap, HashMap};

use steward_core::{EventPayload, GroupId, IncomingEvent, MemberId, Timestamp};
use steward_storage::Tx;
use steward_storage::analytics::Rollup;
use steward_storage::events::NewEvent;

use super::analytics::{self, Analysis};
use super::{Pipeline, PipelineError};

/// What an import batch did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportSummary {
    /// Events stored for the first time.
    pub inserted: u64,
    /// Events already stored (an earlier import, or seen live).
    pub duplicates: u64,
}

impl std::ops::AddAssign for ImportSummary {
    fn add_assign(&mut self, other: ImportSummary) {
        self.inserted += other.inserted;
        self.duplicates += other.duplicates;
    }
}

/// What an import remembers from one batch to the next.
#[derive(Debug, Default)]
pub struct ImportState {
    members: HashMap<String, MemberId>,
    /// Questions stored and not answered yet, by message id: when they were
    /// asked and by whom.
    open_questions: HashMap<String, (Timestamp, MemberId)>,
}

impl ImportState {
    /// A fresh import.
    pub fn new() -> Self {
        Self::default()
    }
}

/// Scores the messages of a batch and serializes them, on every core.
fn prepare(events: &[IncomingEvent]) -> (Vec<Option<Analysis>>, Vec<String>) {
    let one = |e: &IncomingEvent| {
        (
            analytics::analyze(e),
            serde_json::to_string(e).unwrap_or_default(),
        )
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let prepared: Vec<(Option<Analysis>, String)> = if threads < 2 || events.len() < 256 {
        events.iter().map(one).collect()
    } else {
        let size = events.len().div_ceil(threads);
        std::thread::scope(|scope| {
            let parts: Vec<_> = events
                .chunks(size)
                .map(|chunk| scope.spawn(move || chunk.iter().map(one).collect::<Vec<_>>()))
                .collect();
            parts
                .into_iter()
                .flat_map(|part| part.join().unwrap_or_default())
                .collect()
        })
    };
    prepared.into_iter().unzip()
}

impl Pipeline {
    /// Stores a batch of past events of `group` (their group references are
    /// ignored) and adds them to the roll-ups. Events must come in the
    /// order they happened, batch after batch, for questions to find their
    /// answers.
    pub async fn import_history(
        &self,
        group: GroupId,
        events: &[IncomingEvent],
        state: &mut ImportState,
        received_at: Timestamp,
    ) -> Result<ImportSummary, PipelineError> {
        let (analyses, payloads) = prepare(events);

        let turn = self.inner.write_turn.lock().await;
        let mut tx = self.inner.store.begin().await?;
        let mut members = Vec::with_capacity(events.len());
        for event in events {
            members.push(self.import_member(&mut tx, state, event).await?);
        }
        let rows: Vec<NewEvent<'_>> = events
            .iter()
            .zip(&members)
            .zip(&payloads)
            .zip(&analyses)
            .map(|(((event, member), payload), analysis)| NewEvent {
                group,
                platform_event_id: &event.event_id,
                kind: event.kind(),
                member: *member,
                at: event.at,
                received_at,
                payload,
                sentiment: analysis.as_ref().and_then(|a| a.sentiment),
            })
            .collect();
        let ids = tx.insert_events(&rows).await?;

        let zone = self.settings(&mut tx, group).await?.zone();
        let mut rollup = Rollup::default();
        let mut activity: BTreeMap<MemberId, (Timestamp, i64)> = BTreeMap::new();
        let mut summary = ImportSummary::default();
        for (((event, member), id), analysis) in
            events.iter().zip(&members).zip(&ids).zip(&analyses)
        {
            if id.is_none() {
                summary.duplicates += 1;
                continue;
            }
            summary.inserted += 1;
            match event.payload {
                EventPayload::MemberJoined { .. } => {
                    tx.import_membership(group, *member, Some(event.at), None)
                        .await?;
                }
                EventPayload::MemberLeft { .. } => {
                    tx.import_membership(group, *member, None, Some(event.at))
                        .await?;
                }
                _ => {}
            }
            // Steward's own messages are stored, not counted, as live.
            if self.is_own(event) {
                continue;
            }
            let (day, hour) = analytics::local_day_hour(zone, event.at);
            let before = rollup.questions.len();
            analytics::count_event(
                &mut rollup,
                event,
                group,
                *member,
                day,
                hour,
                analysis.as_ref(),
            );
            if let EventPayload::Message { message } = &event.payload {
                let last = activity.entry(*member).or_insert((event.at, 0));
                last.0 = last.0.max(event.at);
                last.1 += 1;
                if rollup.questions.len() > before {
                    state
                        .open_questions
                        .insert(message.id.clone(), (event.at, *member));
                }
            }
        }
        answer_in_memory(&mut rollup, state);
        tx.apply_rollup(&rollup).await?;
        let touched: Vec<_> = activity
            .into_iter()
            .map(|(member, (last, n))| (group, member, last, n))
            .collect();
        tx.touch_memberships(&touched).await?;
        tx.add_group_messages(group, touched.iter().map(|(_, _, _, n)| n).sum::<i64>())
            .await?;
        tx.commit().await?;
        drop(turn);
        Ok(summary)
    }

    /// The member of a past event: found or created, never renamed.
    async fn import_member(
        &self,
        tx: &mut Tx,
        state: &mut ImportState,
        event: &IncomingEvent,
    ) -> Result<MemberId, PipelineError> {
        if let Some(id) = state.members.get(&event.member.id) {
            return Ok(*id);
        }
        let id = match tx.find_member(event.platform, &event.member.id).await? {
            Some(found) => found.id,
            None => {
                tx.insert_member(
                    event.platform,
                    &event.member.id,
                    event.member.name.as_deref(),
                    event.member.username.as_deref(),
                    event.member.is_bot,
                    event.at,
                )
                .await?
            }
        };
        state.members.insert(event.member.id.clone(), id);
        Ok(id)
    }
}

/// Answers questions from replies the import has seen: those asked in this
/// batch get their answer time before they are stored; those stored by an
/// earlier batch are updated. Replies to anything else are dropped here, so
/// an import does not run one update per reply.
fn answer_in_memory(rollup: &mut Rollup, state: &mut ImportState) {
    let replies = std::mem::take(&mut rollup.replies);
    let mut in_batch: HashMap<String, usize> = rollup
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| (q.message_id.clone(), i))
        .collect();
    for reply in replies {
        let Some(&(asked, asker)) = state.open_questions.get(&reply.message_id) else {
            continue;
        };
        let late = (reply.at - asked).num_milliseconds()
            > steward_storage::analytics::ANSWER_WINDOW_MILLIS;
        if asker == reply.member || reply.at < asked || late {
            continue;
        }
        state.open_questions.remove(&reply.message_id);
        match in_batch.remove(&reply.message_id) {
            Some(i) => rollup.questions[i].answered_at = Some(reply.at),
            None => rollup.replies.push(reply),
        }
    }
    // Questions older than the answer window can no longer be answered.
    if let Some(latest) = rollup.questions.iter().map(|q| q.asked_at).max() {
        state.open_questions.retain(|_, (asked, _)| {
            (latest - *asked).num_milliseconds() <= steward_storage::analytics::ANSWER_WINDOW_MILLIS
        });
    }
}

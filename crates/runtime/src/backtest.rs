//! Backtests: a rule set replayed over a group's stored history, to see what
//! it would have done before turning it on.
//!
//! The replay runs the same engine, behaviour windows and ladder as live
//! ingest, at each event's own time, with violation standing kept in memory
//! (nothing is written). Trust is judged as it was at the time too: tenure
//! from the member's last join before the event, the messages they had
//! posted and their last violation before it, from the stored history
//! (`Store::member_record_at`; roles are today's, the store keeps no history of
//! them). Those inputs are read once per member per day, at their first hit
//! that day, and reused for the day's later hits (at each hit's own time),
//! so a long backtest costs a query per member-day, not per hit. The report
//! says how many hits fell on members trusted at the time.

use std::collections::{BTreeMap, HashMap};

use chrono::Duration;
use serde::Serialize;
use steward_core::model::GroupRole;
use steward_core::{EventId, EventPayload, GroupId, IncomingEvent, MemberId, Timestamp};
use steward_moderation::{
    BehaviourState, Engine, Hit, Ladder, MessageContext, Mode, Normalized, Subject, TrustInputs,
    TrustLevel, fingerprint,
};
use steward_storage::{Store, StoreError};

/// What a backtest found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct BacktestReport {
    /// The group, by internal id.
    pub group: i64,
    /// The start of the replayed history.
    pub since: Timestamp,
    /// Events replayed.
    pub events: u64,
    /// Messages checked.
    pub messages: u64,
    /// Messages at least one enforced rule matched.
    pub violations: u64,
    /// Hits per rule (enforced and shadow).
    pub by_rule: BTreeMap<String, u64>,
    /// Actions the ladder would have taken, per kind.
    pub by_action: BTreeMap<String, u64>,
    /// Hits on members trusted at level `member` or above at the time.
    pub hits_on_trusted: u64,
    /// Hits spared because the member's trust exempts them.
    pub spared: u64,
    /// A few examples per rule.
    pub samples: BTreeMap<String, Vec<Sample>>,
}

/// One example of a hit.
#[derive(Debug, Clone, Serialize)]
pub struct Sample {
    /// The stored event.
    pub event: i64,
    /// When it happened.
    pub at: Timestamp,
    /// The member's platform id.
    pub member: String,
    /// The text.
    pub text: String,
    /// Byte ranges of the evidence in the text.
    pub evidence: Vec<std::ops::Range<usize>>,
    /// The ladder step it would have reached.
    pub step: Option<usize>,
}

const SAMPLES_PER_RULE: usize = 5;
const SECONDS_PER_DAY: i64 = 24 * 60 * 60;
const PAGE: i64 = 2000;

/// Replays `group`'s events since `since` through `engine` and `ladder`,
/// calling `progress` with the number of events done after each page.
pub async fn backtest(
    store: &Store,
    engine: &Engine,
    ladder: &Ladder,
    group: GroupId,
    since: Timestamp,
    mut progress: impl FnMut(u64),
) -> Result<BacktestReport, StoreError> {
    let mut report = BacktestReport {
        group: group.0,
        since,
        ..BacktestReport::default()
    };
    let lang = store
        .list_groups()
        .await?
        .into_iter()
        .find(|g| g.group.id == group)
        .map(|g| g.group.language)
        .unwrap_or_default();
    let mut behaviour = BehaviourState::default();
    let mut standing: HashMap<MemberId, Vec<Timestamp>> = HashMap::new();
    // A member's trust inputs, per (member, day of the event).
    let mut trust_cache: HashMap<(MemberId, i64), TrustInputs> = HashMap::new();
    let mut after = EventId(0);
    loop {
        let page = store.group_events(group, since, after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        for stored in &page {
            report.events += 1;
            let Ok(event) = serde_json::from_str::<IncomingEvent>(&stored.payload) else {
                continue;
            };
            let (EventPayload::Message { message } | EventPayload::MessageEdited { message }) =
                &event.payload
            else {
                if matches!(event.payload, EventPayload::MemberJoined { .. }) {
                    behaviour.observe_join(engine.behaviour(), group.0, event.at);
                }
                continue;
            };
            report.messages += 1;
            let kinds: Vec<_> = message.attachments.iter().map(|a| a.kind).collect();
            let mut verdict = engine.check_subject(&Subject::message(message, &kinds));
            if matches!(event.payload, EventPayload::Message { .. }) {
                let long_enough = message.text.chars().filter(|c| c.is_alphabetic()).count() >= 6;
                let text_fingerprint =
                    long_enough.then(|| fingerprint(Normalized::new(&message.text).as_str()));
                let hits = behaviour.observe_message(
                    engine.behaviour(),
                    group.0,
                    stored.member.0,
                    text_fingerprint,
                    event.at,
                );
                verdict.extend(hits.iter().map(Hit::behaviour));
            }
            if !verdict.has_hits() {
                continue;
            }
            let day = event.at.timestamp().div_euclid(SECONDS_PER_DAY);
            let inputs = match trust_cache.get(&(stored.member, day)) {
                Some(inputs) => *inputs,
                None => {
                    let inputs = trust_inputs_at(store, group, stored.member, event.at).await?;
                    trust_cache.insert((stored.member, day), inputs);
                    inputs
                }
            };
            let trust = TrustLevel::of(&inputs, event.at);
            let before = verdict.hits.len();
            verdict.retain_for(trust);
            report.spared += (before - verdict.hits.len()) as u64;
            if trust >= TrustLevel::Member {
                report.hits_on_trusted += verdict.hits.len() as u64;
            }
            for hit in &verdict.hits {
                *report.by_rule.entry(hit.rule.clone()).or_default() += 1;
            }
            let enforced = verdict.only(Mode::Enforce);
            let mut step = None;
            if enforced.is_violation() {
                report.violations += 1;
                let expiry = Duration::hours(ladder.points_expire_after_hours);
                let times = standing.entry(stored.member).or_default();
                times.retain(|at| event.at - *at < expiry);
                let ctx = MessageContext {
                    message_id: Some(&message.id),
                    member_id: &event.member.id,
                    member_name: event.member.name.as_deref().unwrap_or(&event.member.id),
                    lang,
                    prior_violations: i64::try_from(times.len()).unwrap_or(i64::MAX),
                    now: event.at,
                };
                if let Some(decision) = ladder.decide(&enforced, &ctx) {
                    times.push(event.at);
                    step = Some(decision.step);
                    for action in &decision.actions {
                        *report
                            .by_action
                            .entry(action.kind().as_str().to_owned())
                            .or_default() += 1;
                    }
                }
            }
            for hit in &verdict.hits {
                let samples = report.samples.entry(hit.rule.clone()).or_default();
                if samples.len() < SAMPLES_PER_RULE {
                    samples.push(Sample {
                        event: stored.id.0,
                        at: event.at,
                        member: event.member.id.clone(),
                        text: message.text.clone(),
                        evidence: hit.evidence.clone(),
                        step,
                    });
                }
            }
        }
        progress(report.events);
    }
    Ok(report)
}

/// What the member's trust was computed from at `at`.
async fn trust_inputs_at(
    store: &Store,
    group: GroupId,
    member: MemberId,
    at: Timestamp,
) -> Result<TrustInputs, StoreError> {
    let record = store.member_record_at(group, member, at).await?;
    Ok(TrustInputs {
        since: record.since,
        messages: record.messages,
        last_violation: record.last_violation,
        is_admin: record.role != GroupRole::Member,
    })
}

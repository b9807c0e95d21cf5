//! The ingest pipeline: store, de-duplicate, decide, queue, audit.
//!
//! One batch is one transaction: an event and everything decided from it are
//! committed together or not at all. A crash before the commit loses nothing
//! the sender was told was accepted, and a resent event is a duplicate.

use std::collections::{BTreeMap, HashMap};
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::Utc;
use serde_json::json;
use steward_classifier::{Label, Model};
use steward_core::i18n::Lang;
use steward_core::model::GroupRole;
use steward_core::{
    Capabilities, EventId, EventKind, EventPayload, GroupId, IncomingEvent, MemberId, MemberRef,
    PlannedAction, Platform, Timestamp,
};
use steward_moderation::{
    BehaviourState, Decision, Engine, Hit, Ladder, MessageContext, Mode, Normalized, Penalty,
    RuleError, RuleSet, Severity, Subject, TrustInputs, TrustLevel, Verdict, fingerprint,
};
use steward_storage::audit::NewAudit;
use steward_storage::cases::NewCase;
use steward_storage::entities::MemberRecord;
use steward_storage::events::NewEvent;
use steward_storage::outbox::NewAction;
use steward_storage::violations::NewViolation;
use steward_storage::{Store, StoreError, Tx};

mod activities;
mod analytics;
pub(crate) use analytics::weekday_of;
mod ban_list;
mod bulk;
mod faq;
mod import;
pub use import::{ImportState, ImportSummary};
mod interact;
mod lifecycle;
mod manual;
mod nickname;
mod points;
mod polls;
mod posts;
mod raffles;
mod referrals;
mod screening;
mod tickets;
mod timers;
mod watch;
mod welcome;
pub use activities::{ActivityError, ActivitySpec};
pub use ban_list::{BanListAdded, BanListMerged, BanListRemoved};
pub use bulk::{
    BulkConfirmed, BulkCriteria, BulkError, BulkPlan, BulkUndone, Pace, Spared, candidate_name,
};
pub use faq::{FaqProbe, faq_probe};
pub use manual::{ManualError, ManualOutcome, ManualQueued, ManualSkipped};
pub use polls::{
    MAX_POLL_OPTION, MAX_POLL_OPTIONS, MAX_POLL_TEXT, MAX_QUIZ_QUESTIONS, PollError, PollSpec,
    QuizSpec,
};
pub use posts::{PostError, check_post};
pub use raffles::{
    MAX_RAFFLE_PRIZE, MAX_RAFFLE_TITLE, MAX_RAFFLE_WINNERS, RaffleError, RaffleSpec,
};
pub use screening::JoinDecision;
pub use tickets::{MAX_TICKET_TEXT, TicketChange, TicketError, ticket_age};

/// The name the spam classifier's model is stored under.
pub const SPAM_MODEL: &str = "spam";

/// A pipeline failure: the whole batch was rolled back.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What happened to one event of a batch.
#[derive(Debug, Clone, PartialEq)]
pub struct IngestOutcome {
    /// New, or already taken.
    pub status: IngestStatus,
    /// Its internal id, when it was stored now.
    pub event: Option<EventId>,
    /// The actions Steward decided from it.
    pub actions: Vec<PlannedAction>,
}

/// Whether an event was new.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IngestStatus {
    /// Stored and processed now.
    Accepted,
    /// An event with the same (platform, group, id) was already taken.
    Duplicate,
}

/// Settings of one group that come from the config or the dashboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupSettings {
    /// The community the group belongs to.
    pub community: Option<String>,
    /// The language Steward speaks there.
    pub language: Lang,
    /// The admins' chat, in-chat moderators, rules text, join questions.
    pub chat: steward_core::settings::ChatSettings,
}

/// What the engine found in one event, before any state is consulted.
#[derive(Default)]
struct Checked {
    /// Content hits (enforced or shadow); `None` when nothing matched.
    verdict: Option<Verdict>,
    /// For behaviour rules: the text's fingerprint, for texts long enough.
    fingerprint: Option<u64>,
    /// The engine panicked on this input.
    panicked: bool,
}

#[derive(Debug, Clone, Copy)]
struct GroupInfo {
    id: GroupId,
    lang: Lang,
}

#[derive(Debug, Default)]
struct Caches {
    groups: HashMap<(Platform, String), GroupInfo>,
    members: HashMap<(Platform, String), MemberRecord>,
    /// Roles last written, so an unchanged role costs no write.
    roles: HashMap<(GroupId, MemberId), GroupRole>,
    /// Chat settings per group, read on first need.
    settings: HashMap<GroupId, Arc<steward_core::settings::ChatSettings>>,
    /// Groups' own penalty ladders (`None`: the default ladder), read on
    /// first need.
    ladders: HashMap<GroupId, Option<Arc<Ladder>>>,
    /// Groups' FAQ entries, indexed on first need; cleared when any entry
    /// changes.
    faq: HashMap<GroupId, Arc<faq::GroupFaq>>,
}

/// The key a group's own ladder is stored under (absent or empty: the
/// default ladder).
fn ladder_key(group: GroupId) -> String {
    format!("group:{}:ladder", group.0)
}

/// The ingest pipeline. Cheap to clone; clones share state.
#[derive(Clone)]
pub struct Pipeline {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    /// Swapped whole when admins change the rules; readers keep the engine
    /// they started a batch with.
    engine: std::sync::RwLock<Arc<Engine>>,
    /// The rule set the engine was compiled from.
    rule_set: std::sync::RwLock<RuleSet>,
    /// The spam classifier's model, attached to every engine; learning
    /// takes turns here.
    model: tokio::sync::Mutex<Option<Arc<Model>>>,
    ladder: Ladder,
    default_language: Lang,
    caches: Mutex<Caches>,
    /// Flood, repeat, wave and raid windows.
    behaviour: Mutex<BehaviourState>,
    /// Steward's own bot accounts, whose messages are never checked.
    own_accounts: std::sync::RwLock<std::collections::HashSet<(Platform, String)>>,
    /// The bots' usernames per platform, for commands addressed
    /// `/cmd@bot`.
    own_usernames: std::sync::RwLock<HashMap<Platform, String>>,
    /// SQLite has one writer at a time; taking turns here is cheaper than
    /// letting transactions collide on the database lock.
    write_turn: tokio::sync::Mutex<()>,
    /// Bumped after every commit that queued actions; delivery workers watch it.
    queued: tokio::sync::watch::Sender<u64>,
    /// Whether ingest keeps the analytics roll-ups (on unless turned off).
    analytics: std::sync::atomic::AtomicBool,
    /// When the mood watch and the report schedule last looked.
    analytics_looked: Mutex<Option<Timestamp>>,
    /// The dashboard's public address, for links in messages.
    public_url: std::sync::RwLock<Option<String>>,
    /// The UTC day the term roll-ups were last compacted.
    terms_compacted: Mutex<Option<i64>>,
    /// Term counts gathered from recent batches, written by the timers
    /// (see `pipeline/analytics.rs`).
    pending_terms: Mutex<analytics::PendingTerms>,
}

/// Per-batch aggregates written once at the end of the batch.
#[derive(Default)]
struct BatchTotals {
    activity: BTreeMap<(GroupId, MemberId), (Timestamp, i64)>,
    messages: BTreeMap<GroupId, i64>,
    new_groups: Vec<((Platform, String), GroupInfo)>,
    new_members: Vec<((Platform, String), MemberRecord)>,
    new_roles: Vec<((GroupId, MemberId), GroupRole)>,
}

impl Pipeline {
    /// A pipeline over `store` that judges messages by `rule_set` and `ladder`.
    pub fn new(
        store: Store,
        rule_set: RuleSet,
        ladder: Ladder,
        default_language: Lang,
    ) -> Result<Pipeline, RuleError> {
        let engine = Engine::compile(&rule_set)?;
        Ok(Pipeline {
            inner: Arc::new(Inner {
                store,
                engine: std::sync::RwLock::new(Arc::new(engine)),
                rule_set: std::sync::RwLock::new(rule_set),
                model: tokio::sync::Mutex::new(None),
                ladder,
                default_language,
                caches: Mutex::default(),
                behaviour: Mutex::default(),
                own_accounts: std::sync::RwLock::default(),
                own_usernames: std::sync::RwLock::default(),
                write_turn: tokio::sync::Mutex::new(()),
                queued: tokio::sync::watch::Sender::new(0),
                analytics: std::sync::atomic::AtomicBool::new(true),
                analytics_looked: Mutex::default(),
                public_url: std::sync::RwLock::default(),
                terms_compacted: Mutex::default(),
                pending_terms: Mutex::default(),
            }),
        })
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// Erases a member's data on request ([`Store::erase_member`]) between
    /// ingest batches, and forgets what the pipeline remembers of them, so
    /// no name comes back from a cache. `None` when there is no such member.
    pub async fn erase_member(
        &self,
        member: MemberId,
        actor: &str,
        now: Timestamp,
    ) -> Result<Option<steward_storage::privacy::Erased>, PipelineError> {
        let turn = self.inner.write_turn.lock().await;
        let erased = self.inner.store.erase_member(member, actor, now).await?;
        self.caches().members.retain(|_, known| known.id != member);
        drop(turn);
        Ok(erased)
    }

    /// The moderation engine in effect.
    pub fn engine(&self) -> Arc<Engine> {
        self.inner
            .engine
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// Puts a new rule set (and its compiled engine) in effect for the
    /// batches that start after this.
    pub async fn replace_rules(&self, rule_set: RuleSet, engine: Engine) {
        // Holding the model's lock keeps a concurrent `learn` from swapping
        // in an engine built from the old rules.
        let slot = self.inner.model.lock().await;
        let engine = match slot.as_ref() {
            Some(model) => engine.with_model(model.clone()),
            None => engine,
        };
        *self
            .inner
            .engine
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Arc::new(engine);
        *self
            .inner
            .rule_set
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = rule_set;
    }

    /// Declares an account as Steward's own bot: its messages are never
    /// checked (adapters call this with the id the platform gives the bot).
    pub fn add_own_account(&self, platform: Platform, id: &str) {
        self.inner
            .own_accounts
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .insert((platform, id.to_owned()));
    }

    /// Declares the username of Steward's bot on a platform, so commands
    /// addressed to it (`/warn@StewardBot`) are taken and those addressed
    /// to other bots are left alone.
    pub fn set_own_username(&self, platform: Platform, username: &str) {
        self.inner
            .own_usernames
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .insert(platform, username.to_owned());
    }

    fn own_username(&self, platform: Platform) -> Option<String> {
        self.inner
            .own_usernames
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .get(&platform)
            .cloned()
    }

    fn is_own(&self, event: &IncomingEvent) -> bool {
        self.inner
            .own_accounts
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .contains(&(event.platform, event.member.id.clone()))
    }

    /// Gives the classifier rule its model.
    pub async fn set_model(&self, model: Model) {
        let model = Arc::new(model);
        *self.inner.model.lock().await = Some(model.clone());
        self.swap_model(model);
    }

    fn swap_model(&self, model: Arc<Model>) {
        let engine = (*self.engine()).clone().with_model(model);
        *self
            .inner
            .engine
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Arc::new(engine);
    }

    /// Teaches the classifier an admin's judgement of a text, stores the
    /// model, and puts it in effect.
    pub async fn learn(&self, text: &str, label: Label) -> Result<(), PipelineError> {
        let mut slot = self.inner.model.lock().await;
        let Some(current) = slot.as_ref() else {
            return Ok(());
        };
        let mut model = Model::clone(current);
        model.learn(text, label);
        self.inner
            .store
            .save_model(SPAM_MODEL, &model.to_bytes(), chrono::Utc::now())
            .await?;
        let model = Arc::new(model);
        *slot = Some(model.clone());
        self.swap_model(model);
        Ok(())
    }

    /// The rule set in effect.
    pub fn rule_set(&self) -> RuleSet {
        self.inner
            .rule_set
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// The default penalty ladder (from the config), for groups without
    /// their own.
    pub fn ladder(&self) -> &Ladder {
        &self.inner.ladder
    }

    /// The group's own ladder, if its admins set one.
    pub async fn group_ladder(&self, group: GroupId) -> Result<Option<Ladder>, PipelineError> {
        let cached = self.caches().ladders.get(&group).cloned();
        let ladder = match cached {
            Some(found) => found,
            // A read on the pool: a transaction would take SQLite's write
            // lock just to look.
            None => {
                let stored = self.inner.store.kv_get(&ladder_key(group)).await?;
                self.remember_ladder(group, stored.as_deref())
            }
        };
        Ok(ladder.map(|l| l.as_ref().clone()))
    }

    /// The ladder that judges `group`: its own, or the default.
    pub async fn ladder_for(&self, group: GroupId) -> Result<Ladder, PipelineError> {
        Ok(self
            .group_ladder(group)
            .await?
            .unwrap_or_else(|| self.inner.ladder.clone()))
    }

    /// Gives `group` its own ladder, or with `None` returns it to the
    /// default. The caller audits the change.
    pub async fn set_group_ladder(
        &self,
        group: GroupId,
        ladder: Option<&Ladder>,
    ) -> Result<(), PipelineError> {
        let value = match ladder {
            Some(ladder) => serde_json::to_string(ladder).unwrap_or_default(),
            None => String::new(),
        };
        {
            let _turn = self.inner.write_turn.lock().await;
            let mut tx = self.inner.store.begin().await?;
            tx.kv_set(&ladder_key(group), &value).await?;
            tx.commit().await?;
        }
        self.caches()
            .ladders
            .insert(group, ladder.map(|l| Arc::new(l.clone())));
        Ok(())
    }

    /// The group's own ladder, cached after the first read. A stored ladder
    /// that no longer parses falls back to the default, loudly.
    async fn own_ladder(
        &self,
        tx: &mut Tx,
        group: GroupId,
    ) -> Result<Option<Arc<Ladder>>, PipelineError> {
        if let Some(found) = self.caches().ladders.get(&group) {
            return Ok(found.clone());
        }
        let stored = tx.kv_get(&ladder_key(group)).await?;
        Ok(self.remember_ladder(group, stored.as_deref()))
    }

    /// Parses a stored ladder and caches it. One that no longer parses
    /// falls back to the default, loudly.
    fn remember_ladder(&self, group: GroupId, stored: Option<&str>) -> Option<Arc<Ladder>> {
        let ladder = match stored {
            None | Some("") => None,
            Some(json) => match serde_json::from_str::<Ladder>(json) {
                Ok(ladder) => Some(Arc::new(ladder)),
                Err(err) => {
                    tracing::error!(group = group.0, error = %err, "a stored group ladder does not parse; using the default");
                    None
                }
            },
        };
        self.caches().ladders.insert(group, ladder.clone());
        ladder
    }

    /// A signal that changes whenever a batch queued actions, so delivery
    /// workers can wake at once instead of polling.
    pub fn queued_signal(&self) -> tokio::sync::watch::Receiver<u64> {
        self.inner.queued.subscribe()
    }

    /// Creates or updates a group with settings from the config or the
    /// dashboard.
    pub async fn configure_group(
        &self,
        platform: Platform,
        platform_id: &str,
        title: Option<&str>,
        settings: &GroupSettings,
    ) -> Result<GroupId, PipelineError> {
        let store = &self.inner.store;
        let now = Utc::now();
        let _turn = self.inner.write_turn.lock().await;
        let mut tx = store.begin().await?;
        let (id, _) = tx
            .upsert_group(platform, platform_id, title, settings.language, now)
            .await?;
        let chat = serde_json::to_string(&settings.chat).unwrap_or_else(|_| "{}".to_owned());
        tx.set_group_settings(id, &chat).await?;
        tx.commit().await?;
        self.caches()
            .settings
            .insert(id, Arc::new(settings.chat.clone()));
        let community = match &settings.community {
            Some(name) => Some(store.ensure_community(name, now).await?),
            None => None,
        };
        store
            .configure_group(id, community, settings.language)
            .await?;
        self.caches().groups.insert(
            (platform, platform_id.to_owned()),
            GroupInfo {
                id,
                lang: settings.language,
            },
        );
        Ok(id)
    }

    /// Stores a batch of events and processes the new ones. Returns one
    /// outcome per event, in order.
    pub async fn ingest(
        &self,
        events: &[IncomingEvent],
        received_at: Timestamp,
    ) -> Result<Vec<IngestOutcome>, PipelineError> {
        // Pure work first, outside the write turn, so it overlaps with another
        // batch's database work.
        let payloads: Vec<String> = events
            .iter()
            .map(|e| serde_json::to_string(e).unwrap_or_default())
            .collect();
        let engine = self.engine();
        let checks: Vec<Checked> = events
            .iter()
            .map(|e| {
                if self.is_own(e) {
                    Checked::default()
                } else {
                    check(&engine, e)
                }
            })
            .collect();
        let analytics = self.analytics_enabled();
        let analyses: Vec<Option<analytics::Analysis>> = events
            .iter()
            .map(|e| {
                if analytics && !self.is_own(e) {
                    analytics::analyze(e)
                } else {
                    None
                }
            })
            .collect();

        let turn = self.inner.write_turn.lock().await;
        let mut tx = self.inner.store.begin().await?;
        let mut totals = BatchTotals::default();
        let mut resolved = Vec::with_capacity(events.len());
        for event in events {
            let group = self.resolve_group(&mut tx, event, &mut totals).await?;
            let member = self
                .resolve_member(
                    &mut tx,
                    event.platform,
                    &event.member,
                    event.at,
                    &mut totals,
                )
                .await?;
            resolved.push((group, member));
        }
        let rows: Vec<NewEvent<'_>> = events
            .iter()
            .zip(&resolved)
            .zip(&payloads)
            .zip(&analyses)
            .map(|(((event, (group, member)), payload), analysis)| NewEvent {
                group: group.id,
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
        let mut outcomes = Vec::with_capacity(events.len());
        let mut n_actions = 0;
        let mut deferred = Vec::new();
        let mut rollup = steward_storage::analytics::Rollup::default();
        let mut zones = HashMap::new();
        for ((((event, &(group, member)), id), checked), analysis) in events
            .iter()
            .zip(&resolved)
            .zip(ids)
            .zip(checks)
            .zip(&analyses)
        {
            let Some(event_id) = id else {
                if !self.is_own(event) {
                    self.credit_join_seen_again(&mut tx, event, group, member)
                        .await?;
                }
                outcomes.push(IngestOutcome {
                    status: IngestStatus::Duplicate,
                    event: None,
                    actions: Vec::new(),
                });
                continue;
            };
            self.apply_membership(&mut tx, event, group.id, member, &mut totals)
                .await?;
            if analytics && !self.is_own(event) {
                let zone = self.zone_of(&mut tx, &mut zones, group.id).await?;
                let (day, hour) = analytics::local_day_hour(zone, event.at);
                analytics::count_event(
                    &mut rollup,
                    event,
                    group.id,
                    member,
                    day,
                    hour,
                    analysis.as_ref(),
                );
            }
            if let Some(role) = event.member.role {
                let key = (group.id, member);
                let known = totals
                    .new_roles
                    .iter()
                    .rev()
                    .find(|(k, _)| *k == key)
                    .map(|(_, r)| *r)
                    .or_else(|| self.caches().roles.get(&key).copied());
                if known != Some(role) {
                    tx.set_group_role(group.id, member, role).await?;
                    totals.new_roles.push((key, role));
                }
            }
            if checked.panicked {
                tracing::error!(event = %event_id, "moderation engine panicked; event kept");
                tx.set_event_error(event_id, "moderation engine panicked")
                    .await?;
            }
            let mut verdict = checked.verdict.unwrap_or_default();
            if !self.is_own(event) {
                self.observe_behaviour(
                    &mut tx,
                    event,
                    group.id,
                    member,
                    event_id,
                    checked.fingerprint,
                    &mut verdict,
                )
                .await?;
            }
            // A join request is answered by approving or declining it, not
            // by the ladder: the applicant is not in the group yet.
            let is_request = event.kind() == EventKind::JoinRequest;
            let mut actions = if verdict.has_hits() && !is_request && !self.is_own(event) {
                self.judge(&mut tx, event, group, member, event_id, verdict.clone())
                    .await?
            } else {
                Vec::new()
            };
            // A message the rules acted on is not also taken as a command.
            if actions.is_empty() && !self.is_own(event) {
                actions.extend(
                    self.interact(
                        &mut tx,
                        event,
                        group,
                        member,
                        event_id,
                        &verdict,
                        &mut deferred,
                    )
                    .await?,
                );
            }
            self.message_points(&mut tx, event, group, member, event_id, &verdict, &actions)
                .await?;
            n_actions += actions.len();
            outcomes.push(IngestOutcome {
                status: IngestStatus::Accepted,
                event: Some(event_id),
                actions,
            });
        }
        let activity: Vec<_> = totals
            .activity
            .iter()
            .map(|(&(group, member), &(last, n))| (group, member, last, n))
            .collect();
        tx.touch_memberships(&activity).await?;
        for (&group, &n) in &totals.messages {
            tx.add_group_messages(group, n).await?;
        }
        // Terms are merged over batches and written by the timers: most of
        // a batch's term rows repeat the last batch's, so merging writes far
        // fewer rows than writing each batch's.
        let flush = self.hold_terms(&mut rollup);
        if !rollup.is_empty() {
            tx.apply_rollup(&rollup).await?;
        }
        tx.commit().await?;
        {
            let mut caches = self.caches();
            caches.groups.extend(totals.new_groups);
            caches.members.extend(totals.new_members);
            caches.roles.extend(totals.new_roles);
        }
        let accepted = outcomes
            .iter()
            .filter(|o| o.status == IngestStatus::Accepted)
            .count();
        metrics::counter!("steward_events_accepted_total").increment(accepted as u64);
        metrics::counter!("steward_events_duplicate_total")
            .increment((outcomes.len() - accepted) as u64);
        metrics::counter!("steward_actions_decided_total").increment(n_actions as u64);
        if n_actions > 0 {
            self.wake_delivery();
        }
        drop(turn);
        if flush {
            self.flush_terms().await?;
        }
        self.run_deferred(deferred).await;
        Ok(outcomes)
    }

    /// Tells the delivery workers that new actions are in the outbox.
    pub(super) fn wake_delivery(&self) {
        self.inner.queued.send_modify(|n| *n = n.wrapping_add(1));
    }

    fn caches(&self) -> MutexGuard<'_, Caches> {
        // A panic while holding the lock leaves plain maps behind, still valid.
        self.inner
            .caches
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Feeds the behaviour windows; flood, repeat and wave hits join the
    /// verdict, a raid is recorded for the admins.
    #[allow(clippy::too_many_arguments)]
    async fn observe_behaviour(
        &self,
        tx: &mut Tx,
        event: &IncomingEvent,
        group: GroupId,
        member: MemberId,
        event_id: EventId,
        text_fingerprint: Option<u64>,
        verdict: &mut Verdict,
    ) -> Result<(), PipelineError> {
        let engine = self.engine();
        let rules = engine.behaviour();
        let (hits, raid) = {
            let mut state = self
                .inner
                .behaviour
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            match event.kind() {
                EventKind::Message => (
                    state.observe_message(rules, group.0, member.0, text_fingerprint, event.at),
                    None,
                ),
                EventKind::MemberJoined => {
                    (Vec::new(), state.observe_join(rules, group.0, event.at))
                }
                _ => (Vec::new(), None),
            }
        };
        verdict.extend(hits.iter().map(Hit::behaviour));
        // Report a raid once, when it crosses the line, not for every joiner after.
        if let Some(raid) = raid.filter(|r| rules.raid.is_some_and(|w| r.count == w.count)) {
            tx.insert_audit(&NewAudit {
                at: event.at,
                actor: "system".to_owned(),
                action: "raid_detected".to_owned(),
                group: Some(group),
                member: Some(member),
                reason: Some(format!("{} joins within the raid window", raid.count)),
                rule: Some("raid".to_owned()),
                event: Some(event_id),
                ..NewAudit::default()
            })
            .await?;
        }
        Ok(())
    }

    /// Applies the verdict to this member: spares whom the rules spare,
    /// records what shadow rules would have done, and enacts the ladder's
    /// decision for enforced ones.
    async fn judge(
        &self,
        tx: &mut Tx,
        event: &IncomingEvent,
        group: GroupInfo,
        member: MemberId,
        event_id: EventId,
        mut verdict: Verdict,
    ) -> Result<Vec<PlannedAction>, PipelineError> {
        let record = tx.member_record(group.id, member).await?;
        let trust = TrustLevel::of(
            &TrustInputs {
                since: record.since,
                messages: record.messages,
                last_violation: record.last_violation,
                is_admin: record.role != GroupRole::Member,
            },
            event.at,
        );
        verdict.retain_for(trust);
        if !verdict.has_hits() {
            return Ok(Vec::new());
        }
        let standing = tx.standing(group.id, member, event.at).await?;
        let message = event.payload.message();
        let ctx = MessageContext {
            message_id: message.map(|m| m.id.as_str()),
            member_id: &event.member.id,
            member_name: display_name(&event.member),
            lang: group.lang,
            prior_violations: standing.violations,
            now: event.at,
        };
        let text = message.map_or_else(|| display_name(&event.member), |m| m.text.as_str());
        let own = self.own_ladder(tx, group.id).await?;
        let ladder = own.as_deref().unwrap_or(&self.inner.ladder);
        let shadow = verdict.only(Mode::Shadow);
        if let Some(would) = ladder.decide(&shadow, &ctx) {
            let evidence = json!({"text": text, "hits": shadow.hits, "trust": trust});
            let kinds: Vec<&str> = would.actions.iter().map(|a| a.kind().as_str()).collect();
            tx.insert_audit(&NewAudit {
                at: event.at,
                actor: "system".to_owned(),
                action: "shadow".to_owned(),
                group: Some(group.id),
                member: Some(member),
                target: Some(event.member.id.clone()),
                reason: Some(format!(
                    "{}; would have: {}",
                    would.reason,
                    kinds.join(", ")
                )),
                rule: Some(would.rule.clone()),
                ladder_step: i64::try_from(would.step).ok(),
                evidence: Some(evidence.to_string()),
                event: Some(event_id),
                ..NewAudit::default()
            })
            .await?;
        }
        let enforced = verdict.only(Mode::Enforce);
        let Some(decision) = ladder.decide(&enforced, &ctx) else {
            return Ok(Vec::new());
        };
        let evidence = json!({"text": text, "hits": enforced.hits, "trust": trust});
        self.enact(tx, event, group, member, event_id, &decision, &evidence)
            .await
    }

    /// Records a violation and queues and audits the decided actions.
    #[allow(clippy::too_many_arguments)]
    async fn enact(
        &self,
        tx: &mut Tx,
        event: &IncomingEvent,
        info: GroupInfo,
        member: MemberId,
        event_id: EventId,
        decision: &Decision,
        evidence: &serde_json::Value,
    ) -> Result<Vec<PlannedAction>, PipelineError> {
        let group = info.id;
        tx.insert_violation(&NewViolation {
            group,
            member,
            event: Some(event_id),
            rule: &decision.rule,
            severity: decision.severity.as_str(),
            points: decision.points,
            at: event.at,
            expires_at: decision.expires_at,
        })
        .await?;
        let capabilities = Capabilities::of_platform(event.platform);
        let evidence = evidence.to_string();
        let mut planned = Vec::new();
        for (idx, action) in decision.actions.iter().enumerate() {
            // The engine never asks an adapter for what it cannot do.
            if !capabilities.supports(action.kind()) {
                continue;
            }
            let action = PlannedAction {
                group: event.group.id.clone(),
                action: action.clone(),
            };
            let key = format!(
                "{}:{}:{}:{}",
                event.platform, event.group.id, event.event_id, idx
            );
            let outbox = tx
                .insert_action(&NewAction {
                    platform: event.platform,
                    group,
                    event: Some(event_id),
                    idempotency_key: &key,
                    action: &action,
                    at: event.at,
                })
                .await?;
            tx.insert_audit(&NewAudit {
                at: event.at,
                actor: "system".to_owned(),
                action: action.action.kind().as_str().to_owned(),
                group: Some(group),
                member: Some(member),
                target: action.action.target_member().map(str::to_owned),
                reason: Some(decision.reason.clone()),
                rule: Some(decision.rule.clone()),
                ladder_step: i64::try_from(decision.step).ok(),
                evidence: Some(evidence.clone()),
                event: Some(event_id),
                outbox,
                parent: None,
            })
            .await?;
            planned.push(action);
        }
        // Serious cases go up to the admins, with what was done, so they can
        // confirm it, change it or reverse it.
        let serious = decision.severity >= Severity::High
            || matches!(decision.penalty, Penalty::Ban { .. } | Penalty::Kick);
        if serious {
            let case = tx
                .insert_case(&NewCase {
                    group,
                    member,
                    event: Some(event_id),
                    kind: "escalation",
                    rule: Some(&decision.rule),
                    severity: Some(decision.severity.as_str()),
                    reason: Some(&decision.reason),
                    evidence: Some(&evidence),
                    actions: &planned,
                    note: None,
                    at: event.at,
                })
                .await?;
            let done: Vec<&str> = planned.iter().map(|a| a.action.kind().as_str()).collect();
            self.escalation_card(
                tx,
                event,
                info,
                event_id,
                case,
                &decision.rule,
                &decision.reason,
                &done.join(", "),
            )
            .await?;
        }
        Ok(planned)
    }

    async fn apply_membership(
        &self,
        tx: &mut Tx,
        event: &IncomingEvent,
        group: GroupId,
        member: MemberId,
        totals: &mut BatchTotals,
    ) -> Result<(), PipelineError> {
        match &event.payload {
            EventPayload::Message { .. } => {
                let entry = totals
                    .activity
                    .entry((group, member))
                    .or_insert((event.at, 0));
                entry.0 = entry.0.max(event.at);
                entry.1 += 1;
                *totals.messages.entry(group).or_default() += 1;
            }
            EventPayload::MemberJoined { inviter, .. } => {
                let invited_by = match inviter {
                    Some(inviter) if inviter.id != event.member.id => Some(
                        self.resolve_member(tx, event.platform, inviter, event.at, totals)
                            .await?,
                    ),
                    _ => None,
                };
                tx.record_join(group, member, event.at, invited_by).await?;
            }
            EventPayload::MemberLeft { .. } => tx.record_leave(group, member, event.at).await?,
            EventPayload::MemberRenamed { new_name, .. } => {
                let key = (event.platform, event.member.id.clone());
                let known = self.known_member(&key, totals);
                if known.as_ref().and_then(|m| m.name.as_deref()) != Some(new_name.as_str())
                    && !tx.member_is_erased(member).await?
                {
                    tx.rename_member(member, Some(new_name), None, event.at)
                        .await?;
                    totals.new_members.push((
                        key,
                        MemberRecord {
                            id: member,
                            name: Some(new_name.clone()),
                            username: known.and_then(|m| m.username),
                        },
                    ));
                }
            }
            _ => {}
        }
        Ok(())
    }

    async fn resolve_group(
        &self,
        tx: &mut Tx,
        event: &IncomingEvent,
        totals: &mut BatchTotals,
    ) -> Result<GroupInfo, PipelineError> {
        let key = (event.platform, event.group.id.clone());
        let cached = self.caches().groups.get(&key).copied().or_else(|| {
            totals
                .new_groups
                .iter()
                .rev()
                .find(|(k, _)| *k == key)
                .map(|(_, g)| *g)
        });
        if let Some(info) = cached {
            return Ok(info);
        }
        let (id, lang) = tx
            .upsert_group(
                event.platform,
                &event.group.id,
                event.group.title.as_deref(),
                self.inner.default_language,
                event.at,
            )
            .await?;
        let info = GroupInfo { id, lang };
        totals.new_groups.push((key, info));
        Ok(info)
    }

    fn known_member(&self, key: &(Platform, String), totals: &BatchTotals) -> Option<MemberRecord> {
        totals
            .new_members
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, m)| m.clone())
            .or_else(|| self.caches().members.get(key).cloned())
    }

    async fn resolve_member(
        &self,
        tx: &mut Tx,
        platform: Platform,
        member: &MemberRef,
        at: Timestamp,
        totals: &mut BatchTotals,
    ) -> Result<MemberId, PipelineError> {
        let key = (platform, member.id.clone());
        let known = match self.known_member(&key, totals) {
            Some(known) => Some(known),
            None => tx.find_member(platform, &member.id).await?,
        };
        let record = match known {
            None => {
                let id = tx
                    .insert_member(
                        platform,
                        &member.id,
                        member.name.as_deref(),
                        member.username.as_deref(),
                        member.is_bot,
                        at,
                    )
                    .await?;
                MemberRecord {
                    id,
                    name: member.name.clone(),
                    username: member.username.clone(),
                }
            }
            Some(known) => {
                let renamed = member.name.is_some() && member.name != known.name;
                let new_username = member.username.is_some() && member.username != known.username;
                if !renamed && !new_username {
                    if !self.caches().members.contains_key(&key) {
                        totals.new_members.push((key, known.clone()));
                    }
                    return Ok(known.id);
                }
                if tx.member_is_erased(known.id).await? {
                    // An erased member stays pseudonymous: nothing is written.
                    // The cache keeps the names the platform sends (it is
                    // never shown), so the next event is not a rename again.
                    let id = known.id;
                    totals.new_members.push((
                        key,
                        MemberRecord {
                            id,
                            name: member.name.clone().or(known.name),
                            username: member.username.clone().or(known.username),
                        },
                    ));
                    return Ok(id);
                }
                tx.rename_member(
                    known.id,
                    member.name.as_deref().filter(|_| renamed),
                    member.username.as_deref().filter(|_| new_username),
                    at,
                )
                .await?;
                MemberRecord {
                    id: known.id,
                    name: member.name.clone().or(known.name),
                    username: member.username.clone().or(known.username),
                }
            }
        };
        let id = record.id;
        totals.new_members.push((key, record));
        Ok(id)
    }
}

/// The engine's findings on an event: message content, or the names of
/// a member joining or asking to join. Pure, so it runs outside the
/// write turn.
fn check(engine: &Engine, event: &IncomingEvent) -> Checked {
    let found = std::panic::catch_unwind(AssertUnwindSafe(|| match &event.payload {
        EventPayload::Message { message } | EventPayload::MessageEdited { message } => {
            let kinds: Vec<_> = message.attachments.iter().map(|a| a.kind).collect();
            let verdict = engine.check_subject(&Subject::message(message, &kinds));
            let long_enough = message.text.chars().filter(|c| c.is_alphabetic()).count() >= 6;
            let fingerprint = (long_enough && event.kind() == EventKind::Message)
                .then(|| fingerprint(Normalized::new(&message.text).as_str()));
            (verdict, fingerprint)
        }
        EventPayload::MemberJoined { .. } | EventPayload::JoinRequest { .. } => {
            let mut verdict = Verdict::default();
            let bio = match &event.payload {
                EventPayload::JoinRequest { answer, .. } => answer,
                _ => &None,
            };
            for name in [&event.member.name, &event.member.username, bio]
                .into_iter()
                .flatten()
            {
                verdict.extend(engine.check(name).hits);
            }
            (verdict, None)
        }
        _ => (Verdict::default(), None),
    }));
    match found {
        Ok((verdict, fingerprint)) => Checked {
            verdict: verdict.has_hits().then_some(verdict),
            fingerprint,
            panicked: false,
        },
        Err(_) => Checked {
            panicked: true,
            ..Checked::default()
        },
    }
}

fn display_name(member: &MemberRef) -> &str {
    member
        .name
        .as_deref()
        .or(member.username.as_deref())
        .unwrap_or(&member.id)
}

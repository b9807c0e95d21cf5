//! Raffles (抽奖): opening one (a fresh secret seed from the operating
//! system's CSPRNG, its SHA-256 announced in the group with an Enter
//! button), entries by `/enter` (or `/join_raffle`) and by the button, one
//! per member and only for those the raffle's rules let in (messages in
//! the last days, days in the group, points, an entry cost in points), and
//! the draw at the end time or when an admin closes it early: the seed,
//! the entry list's digest and the winners posted in the group.
//!
//! The draw itself is `steward_core::raffle::draw`; anyone can re-run it
//! from the published data with `steward raffle verify`.

use chrono::Duration;
use rand::RngCore;
use steward_core::audit::AuditKind;
use steward_core::points::Reason;
use steward_core::raffle::{self, Eligibility, Facts, Ineligible, RaffleText};
use steward_core::{
    Action, ActionKind, Button, Capabilities, GroupId, IncomingEvent, MemberId, PlannedAction,
    Timestamp,
};
use steward_storage::Tx;
use steward_storage::audit::NewAudit;
use steward_storage::points::{NewPoints, Spend};
use steward_storage::raffles::{NewRaffle, Raffle};

use super::interact::Sink;
use super::{GroupInfo, Pipeline, PipelineError, display_name};

/// The longest title.
pub const MAX_RAFFLE_TITLE: usize = 100;
/// The longest prize text.
pub const MAX_RAFFLE_PRIZE: usize = 300;
/// The most winners one raffle draws.
pub const MAX_RAFFLE_WINNERS: u32 = 100;
/// Raffles drawn per timer round.
const TIMER_BATCH: i64 = 20;

/// A raffle an admin asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RaffleSpec {
    /// The group it runs in.
    pub group: GroupId,
    /// Its title.
    pub title: String,
    /// The prize.
    pub prize: String,
    /// How many win.
    pub winners: u32,
    /// When it is drawn.
    pub ends: Timestamp,
    /// Who may enter.
    pub eligibility: Eligibility,
}

/// Why a raffle could not be opened or closed.
#[derive(Debug, thiserror::Error)]
pub enum RaffleError {
    /// No such raffle or group.
    #[error("no such raffle or group")]
    NotFound,
    /// A field is out of bounds; names the field.
    #[error("invalid {0}")]
    Invalid(&'static str),
    /// The pipeline (the store) failed.
    #[error(transparent)]
    Pipeline(#[from] PipelineError),
}

impl From<steward_storage::StoreError> for RaffleError {
    fn from(err: steward_storage::StoreError) -> Self {
        RaffleError::Pipeline(err.into())
    }
}

/// What entering came to: the answer, in the group's language.
struct Entry {
    text: String,
}

impl Pipeline {
    /// Opens a raffle: draws a secret seed, stores it, and announces the
    /// raffle with the seed's hash. Returns its id.
    pub async fn open_raffle(
        &self,
        spec: &RaffleSpec,
        actor: &str,
        now: Timestamp,
    ) -> Result<i64, RaffleError> {
        let title = spec.title.trim();
        let prize = spec.prize.trim();
        if title.is_empty() || title.chars().count() > MAX_RAFFLE_TITLE {
            return Err(RaffleError::Invalid("title"));
        }
        if prize.is_empty() || prize.chars().count() > MAX_RAFFLE_PRIZE {
            return Err(RaffleError::Invalid("prize"));
        }
        if spec.winners == 0 || spec.winners > MAX_RAFFLE_WINNERS {
            return Err(RaffleError::Invalid("winners"));
        }
        if spec.ends <= now {
            return Err(RaffleError::Invalid("ends"));
        }
        let e = &spec.eligibility;
        if e.min_points < 0 || e.entry_cost < 0 {
            return Err(RaffleError::Invalid("points"));
        }
        let mut seed = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut seed);
        let seed_hex = raffle::to_hex(&seed);
        let seed_hash = raffle::seed_hash(&seed);

        let turn = self.inner.write_turn.lock().await;
        let mut tx = self.inner.store.begin().await?;
        let Some((platform, group_pid)) = tx.group_platform_id(spec.group).await? else {
            return Err(RaffleError::NotFound);
        };
        let lang = self.group_lang(&mut tx, spec.group).await?;
        let settings = self.settings(&mut tx, spec.group).await?;
        let id = tx
            .create_raffle(&NewRaffle {
                group: spec.group,
                title,
                prize,
                winners: spec.winners,
                ends: spec.ends,
                eligibility: spec.eligibility,
                seed: &seed_hex,
                seed_hash: &seed_hash,
                created_by: actor,
                at: now,
            })
            .await?;
        let local = spec.ends.with_timezone(&settings.utc_offset_at(spec.ends));
        let ends = format!(
            "{} {}",
            local.format("%Y-%m-%d %H:%M"),
            settings.zone().label_at(spec.ends)
        );
        let text = RaffleText::Opened {
            id,
            title,
            prize,
            winners: spec.winners,
            ends: &ends,
            rules: spec.eligibility,
            seed_hash: &seed_hash,
        }
        .render(lang);
        let buttons = if Capabilities::of_platform(platform).supports(ActionKind::AnswerButton) {
            vec![vec![Button {
                text: RaffleText::EnterButton.render(lang),
                data: Some(format!("raffle:{id}:enter")),
                url: None,
            }]]
        } else {
            Vec::new()
        };
        let mut sink = Sink::new(
            platform,
            spec.group,
            &group_pid,
            None,
            format!("raffle:{id}:open"),
            actor.to_owned(),
            now,
        );
        let announcement = Action::SendMessage {
            text,
            buttons,
            reply_to: None,
            delete_after: None,
        };
        self.queue(&mut tx, &mut sink, announcement, None, None)
            .await?;
        tx.insert_audit(&NewAudit {
            at: now,
            actor: actor.to_owned(),
            action: AuditKind::RaffleOpened.as_str().to_owned(),
            group: Some(spec.group),
            target: Some(format!("raffle:{id}")),
            reason: Some(format!("{title} (seed hash {seed_hash})")),
            ..NewAudit::default()
        })
        .await?;
        tx.commit().await?;
        drop(turn);
        self.wake_delivery();
        Ok(id)
    }

    /// Draws a raffle now (an admin closing it early, or its end time):
    /// records the winners and posts the seed, the entries' digest and the
    /// winners. False when it was drawn already.
    pub async fn close_raffle(
        &self,
        id: i64,
        actor: &str,
        now: Timestamp,
    ) -> Result<bool, RaffleError> {
        let turn = self.inner.write_turn.lock().await;
        let mut tx = self.inner.store.begin().await?;
        let Some(found) = tx.raffle(id).await? else {
            return Err(RaffleError::NotFound);
        };
        if !found.is_open() {
            return Ok(false);
        }
        let drawn = self.draw_raffle(&mut tx, &found, actor, now).await?;
        tx.commit().await?;
        drop(turn);
        if drawn {
            self.wake_delivery();
        }
        Ok(drawn)
    }

    /// Raffles whose end time has come, drawn.
    pub(super) async fn raffle_timers(&self, now: Timestamp) -> Result<usize, PipelineError> {
        let due = self.inner.store.raffles_due(now, TIMER_BATCH).await?;
        let mut done = 0;
        for id in due {
            match self.close_raffle(id, "system", now).await {
                Ok(true) => done += 1,
                Ok(false) | Err(RaffleError::NotFound) => {}
                Err(RaffleError::Pipeline(err)) => return Err(err),
                Err(err @ RaffleError::Invalid(_)) => {
                    tracing::warn!(raffle = id, error = %err, "cannot draw a raffle");
                }
            }
        }
        Ok(done)
    }

    async fn draw_raffle(
        &self,
        tx: &mut Tx,
        found: &Raffle,
        actor: &str,
        now: Timestamp,
    ) -> Result<bool, PipelineError> {
        let Some((platform, group_pid)) = tx.group_platform_id(found.group).await? else {
            return Ok(false);
        };
        let Some(seed) = raffle::parse_seed(&found.seed) else {
            tracing::warn!(raffle = found.id, "a raffle's stored seed is unreadable");
            return Ok(false);
        };
        let entries = tx.raffle_entries(found.id).await?;
        let ids: Vec<String> = entries.iter().map(|e| e.platform_id.clone()).collect();
        let digest = raffle::entries_digest(&ids);
        let winners = raffle::draw(&seed, &ids, found.winners as usize);
        let by = (actor != "system").then_some(actor);
        if !tx
            .record_raffle_draw(found.id, &digest, &winners, now, by)
            .await?
        {
            return Ok(false);
        }
        let lang = self.group_lang(tx, found.group).await?;
        let shown: Vec<String> = winners
            .iter()
            .map(|w| {
                match entries
                    .iter()
                    .find(|e| &e.platform_id == w)
                    .and_then(|e| e.name.as_deref())
                {
                    Some(name) => format!("{name} ({w})"),
                    None => w.clone(),
                }
            })
            .collect();
        let text = RaffleText::Drawn {
            title: &found.title,
            prize: &found.prize,
            entries: ids.len(),
            winners: &shown,
            seed: &found.seed,
            seed_hash: &found.seed_hash,
            digest: &digest,
        }
        .render(lang);
        // Queued for now even when asked about a later time: the outbox runs
        // on the wall clock.
        let mut sink = Sink::new(
            platform,
            found.group,
            &group_pid,
            None,
            format!("raffle:{}:draw", found.id),
            actor.to_owned(),
            now.min(chrono::Utc::now()),
        );
        let result = Action::SendMessage {
            text,
            buttons: Vec::new(),
            reply_to: None,
            delete_after: None,
        };
        self.queue(tx, &mut sink, result, None, None).await?;
        tx.insert_audit(&NewAudit {
            at: now,
            actor: actor.to_owned(),
            action: AuditKind::RaffleDrawn.as_str().to_owned(),
            group: Some(found.group),
            target: Some(format!("raffle:{}", found.id)),
            reason: Some(format!(
                "{}: {} entries, winners [{}]",
                found.title,
                ids.len(),
                winners.join(", ")
            )),
            ..NewAudit::default()
        })
        .await?;
        Ok(true)
    }

    /// `/enter [id]` (or `/join_raffle`): enters the member into the open
    /// raffle (the one named, or the only one open), with the answer in
    /// reply.
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn enter_command(
        &self,
        tx: &mut Tx,
        sink: &mut Sink<'_>,
        event: &IncomingEvent,
        group: GroupInfo,
        member: MemberId,
        raffle: Option<i64>,
        reply_to: Option<String>,
    ) -> Result<Vec<PlannedAction>, PipelineError> {
        let open = tx.open_raffles_in(group.id).await?;
        let chosen = match raffle {
            Some(id) => match tx.raffle(id).await? {
                Some(found) if found.group == group.id => Some(found),
                _ => None,
            },
            None if open.len() > 1 => {
                let list: Vec<(i64, String)> =
                    open.iter().map(|r| (r.id, r.title.clone())).collect();
                let text = RaffleText::Which(&list).render(group.lang);
                return self.reply(tx, sink, text, reply_to).await;
            }
            None => open.into_iter().next(),
        };
        let text = match chosen {
            Some(found) => self.enter(tx, event, group, member, &found).await?.text,
            None => RaffleText::NoneOpen.render(group.lang),
        };
        self.reply(tx, sink, text, reply_to).await
    }

    /// `/raffle`: the group's open raffles, each announced again.
    pub(super) async fn raffles_command(
        &self,
        tx: &mut Tx,
        sink: &mut Sink<'_>,
        group: GroupInfo,
        reply_to: Option<String>,
    ) -> Result<Vec<PlannedAction>, PipelineError> {
        let open = tx.open_raffles_in(group.id).await?;
        let text = if open.is_empty() {
            RaffleText::NoneOpen.render(group.lang)
        } else {
            let settings = self.settings(tx, group.id).await?;
            open.iter()
                .map(|r| {
                    let local = r.ends.with_timezone(&settings.utc_offset_at(r.ends));
                    let ends = format!(
                        "{} {}",
                        local.format("%Y-%m-%d %H:%M"),
                        settings.zone().label_at(r.ends)
                    );
                    RaffleText::Opened {
                        id: r.id,
                        title: &r.title,
                        prize: &r.prize,
                        winners: r.winners,
                        ends: &ends,
                        rules: r.eligibility,
                        seed_hash: &r.seed_hash,
                    }
                    .render(group.lang)
                })
                .collect::<Vec<_>>()
                .join("\n\n")
        };
        self.reply(tx, sink, text, reply_to).await
    }

    /// A press on a raffle's Enter button (`raffle:{id}:enter`): the answer
    /// goes to the presser alone.
    pub(super) async fn raffle_press(
        &self,
        tx: &mut Tx,
        sink: &mut Sink<'_>,
        event: &IncomingEvent,
        group: GroupInfo,
        data: &str,
        query: Option<String>,
    ) -> Result<Vec<PlannedAction>, PipelineError> {
        let id = data
            .strip_prefix("raffle:")
            .and_then(|rest| rest.strip_suffix(":enter"))
            .and_then(|id| id.parse::<i64>().ok());
        let found = match id {
            Some(id) => tx.raffle(id).await?.filter(|r| r.group == group.id),
            None => None,
        };
        let text = match found {
            Some(found) => {
                let member = self
                    .member_id(tx, event.platform, &event.member, event.at)
                    .await?;
                self.enter(tx, event, group, member, &found).await?.text
            }
            None => RaffleText::NoneOpen.render(group.lang),
        };
        let Some(query) = query else {
            return Ok(Vec::new());
        };
        let action = Action::AnswerButton {
            query,
            text: Some(text),
        };
        Ok(self
            .queue(tx, sink, action, None, None)
            .await?
            .into_iter()
            .collect())
    }

    /// Enters a member into a raffle if its rules let them.
    async fn enter(
        &self,
        tx: &mut Tx,
        event: &IncomingEvent,
        group: GroupInfo,
        member: MemberId,
        found: &Raffle,
    ) -> Result<Entry, PipelineError> {
        let lang = group.lang;
        let say = |text: RaffleText<'_>| Entry {
            text: text.render(lang),
        };
        if !found.is_open() || found.ends <= event.at {
            return Ok(say(RaffleText::Closed {
                title: &found.title,
            }));
        }
        if tx.has_entered_raffle(found.id, member).await? {
            return Ok(say(RaffleText::AlreadyEntered {
                title: &found.title,
            }));
        }
        let rules = &found.eligibility;
        let mut facts = Facts::default();
        if rules.min_messages > 0 {
            let since = (rules.message_days > 0)
                .then(|| event.at - Duration::days(i64::from(rules.message_days)));
            let n = tx
                .messages_between(group.id, member, since, event.at)
                .await?;
            facts.messages = u32::try_from(n).unwrap_or(u32::MAX);
        }
        if rules.min_member_days > 0 {
            facts.member_days = tx
                .joined_at(group.id, member)
                .await?
                .map(|joined| u32::try_from((event.at - joined).num_days().max(0)).unwrap_or(0));
        }
        if rules.min_points > 0 || rules.entry_cost > 0 {
            facts.points = Some(tx.points_balance(group.id, member).await?);
        }
        if let Err(why) = raffle::check(rules, &facts) {
            return Ok(say(RaffleText::NotEligible(why)));
        }
        let name = display_name(&event.member);
        let actor = format!("{}:{}", event.platform, event.member.id);
        if rules.entry_cost > 0 {
            let reference = format!("raffle:{}", found.id);
            let spent = tx
                .spend_points(&NewPoints {
                    group: group.id,
                    member,
                    delta: -rules.entry_cost,
                    reason: Reason::RaffleEntry,
                    note: Some(&found.title),
                    actor: &actor,
                    event: None,
                    reference: Some(&reference),
                    at: event.at,
                })
                .await?;
            if let Spend::Short { balance } = spent {
                return Ok(say(RaffleText::NotEligible(Ineligible::TooFewPoints {
                    need: rules.entry_cost,
                    have: balance,
                })));
            }
        }
        if !tx
            .enter_raffle(found.id, member, &event.member.id, Some(name), event.at)
            .await?
        {
            return Ok(say(RaffleText::AlreadyEntered {
                title: &found.title,
            }));
        }
        Ok(say(RaffleText::Entered {
            name,
            title: &found.title,
            cost: rules.entry_cost,
        }))
    }
}

//! Points (积分) and daily check-ins (签到) in chats: points for messages
//! (capped per day in the group's time zone), `/checkin` with its streak
//! and bonuses, `/points`, `/top [week|month|all]`, `/award` by admins,
//! points for counted referrals, and the spending and awarding the
//! dashboard and other activities (raffles) call.
//!
//! Every change is an entry in the append-only ledger (`points_ledger`);
//! an entry names its cause (`event:ID`, `referral:ID`, `checkin:DAY`), so
//! the same cause never pays twice.

use chrono::{Duration, NaiveDate};
use steward_core::points::{self, PointsSettings, PointsText, Reason, local_day, next_streak};
use steward_core::texts::BotText;
use steward_core::{
    AuditKind, EventId, EventPayload, GroupId, IncomingEvent, MemberId, PlannedAction, Timestamp,
};
use steward_moderation::Verdict;
use steward_storage::Tx;
use steward_storage::audit::NewAudit;
use steward_storage::points::{NewPoints, Spend};

use super::interact::Sink;
use super::{GroupInfo, Pipeline, PipelineError, display_name};
use crate::command::{self, Command, Target};

/// How many members `/top` shows.
const TOP: i64 = 10;
/// Days are stored as `YYYY-MM-DD`.
const DAY_FORMAT: &str = "%Y-%m-%d";

impl Pipeline {
    /// Points for a message: an accepted group message that no rule hit
    /// and nothing answered (not a command), from a member who is not a
    /// bot or Steward, up to the group's daily cap. One query.
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn message_points(
        &self,
        tx: &mut Tx,
        event: &IncomingEvent,
        group: GroupInfo,
        member: MemberId,
        event_id: EventId,
        verdict: &Verdict,
        actions: &[PlannedAction],
    ) -> Result<(), PipelineError> {
        let EventPayload::Message { message } = &event.payload else {
            return Ok(());
        };
        if verdict.has_hits() || !actions.is_empty() || event.member.is_bot || self.is_own(event) {
            return Ok(());
        }
        let bot = self.own_username(event.platform);
        if command::parse(&message.text, message.reply_to.is_some(), bot.as_deref()).is_some() {
            return Ok(());
        }
        let settings = self.settings(tx, group.id).await?;
        let rules = &settings.points;
        if !rules.enabled || rules.message == 0 || rules.message_daily_cap == 0 {
            return Ok(());
        }
        let zone = settings.zone();
        let today = local_day(event.at, zone);
        let from = points::day_start(today, zone);
        let to = points::day_start(today + Duration::days(1), zone);
        let reference = format!("event:{}", event_id.0);
        let actor = format!("{}:{}", event.platform, event.member.id);
        tx.add_capped_points(
            &NewPoints {
                group: group.id,
                member,
                delta: i64::from(rules.message),
                reason: Reason::Message,
                note: None,
                actor: &actor,
                event: Some(event_id),
                reference: Some(&reference),
                at: event.at,
            },
            from,
            to,
            i64::from(rules.message_daily_cap),
        )
        .await?;
        Ok(())
    }

    /// Points for the counted referral of `newcomer` in `group`, if there
    /// is one (paid once per referral, dated at the join). Called when a
    /// join is credited and when a held newcomer's join starts to count.
    pub(super) async fn referral_points(
        &self,
        tx: &mut Tx,
        group: GroupId,
        newcomer: MemberId,
    ) -> Result<(), PipelineError> {
        let settings = self.settings(tx, group).await?;
        if !settings.points.enabled || settings.points.referral == 0 {
            return Ok(());
        }
        let Some((referral, referrer, at)) = tx.counted_referral_of(group, newcomer).await? else {
            return Ok(());
        };
        let reference = format!("referral:{referral}");
        tx.add_points(&NewPoints {
            group,
            member: referrer,
            delta: i64::from(settings.points.referral),
            reason: Reason::Referral,
            note: None,
            actor: "system",
            event: None,
            reference: Some(&reference),
            at,
        })
        .await?;
        Ok(())
    }

    /// `/checkin`, `/points`, `/top` and `/award`.
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn points_command(
        &self,
        tx: &mut Tx,
        sink: &mut Sink<'_>,
        event: &IncomingEvent,
        group: GroupInfo,
        member: MemberId,
        cmd: &Command,
        reply_to: Option<String>,
    ) -> Result<Vec<PlannedAction>, PipelineError> {
        let lang = group.lang;
        let settings = self.settings(tx, group.id).await?;
        if !settings.points.enabled {
            return self
                .reply(tx, sink, PointsText::Off.render(lang), reply_to)
                .await;
        }
        let rules = &settings.points;
        let zone = settings.zone();
        let name = display_name(&event.member).to_owned();
        let text = match cmd {
            Command::Checkin => self
                .checkin(tx, event, group.id, member, &name, rules, zone)
                .await?
                .render(lang),
            Command::Points => {
                let balance = tx.points_balance(group.id, member).await?;
                let rank = tx.points_rank(group.id, balance).await?;
                let (level, next) = rules.level(balance);
                let streak =
                    current_streak(tx, group.id, member, local_day(event.at, zone)).await?;
                PointsText::Status {
                    name: &name,
                    balance,
                    level: level.map_or("", |l| l.name(lang)),
                    next: next.map(|l| (l.name(lang), l.points - balance)),
                    rank,
                    streak,
                }
                .render(lang)
            }
            Command::Top { period } => {
                let from = period.start(event.at, zone);
                let leaders: Vec<(String, i64)> = tx
                    .points_leaders(group.id, from, TOP)
                    .await?
                    .into_iter()
                    .map(|l| (l.member.label(), l.points))
                    .collect();
                PointsText::Top {
                    period: *period,
                    leaders: &leaders,
                }
                .render(lang)
            }
            Command::Award {
                target,
                amount,
                reason,
            } => {
                return self
                    .award_command(
                        tx,
                        sink,
                        event,
                        group,
                        target,
                        *amount,
                        reason.as_deref(),
                        reply_to,
                    )
                    .await;
            }
            _ => return Ok(Vec::new()),
        };
        self.reply(tx, sink, text, reply_to).await
    }

    #[allow(clippy::too_many_arguments)]
    async fn checkin<'a>(
        &self,
        tx: &mut Tx,
        event: &IncomingEvent,
        group: GroupId,
        member: MemberId,
        name: &'a str,
        rules: &PointsSettings,
        zone: steward_core::zone::Zone,
    ) -> Result<PointsText<'a>, PipelineError> {
        let today = local_day(event.at, zone);
        let last = tx.last_checkin(group, member).await?;
        let last_day = last.as_ref().and_then(|c| {
            NaiveDate::parse_from_str(&c.day, DAY_FORMAT)
                .ok()
                .map(|d| (d, u32::try_from(c.streak).unwrap_or(0)))
        });
        let day = today.format(DAY_FORMAT).to_string();
        let streak = match next_streak(last_day, today) {
            Some(streak)
                if tx
                    .record_checkin(group, member, &day, i64::from(streak), event.at)
                    .await? =>
            {
                streak
            }
            _ => {
                let balance = tx.points_balance(group, member).await?;
                let streak = last.map_or(0, |c| u32::try_from(c.streak).unwrap_or(0));
                return Ok(PointsText::AlreadyCheckedIn {
                    name,
                    streak,
                    balance,
                });
            }
        };
        let reference = format!("checkin:{day}");
        let actor = format!("{}:{}", event.platform, event.member.id);
        let base = i64::from(rules.checkin);
        let bonus = i64::from(rules.streak_bonus(streak));
        for (delta, reason) in [(base, Reason::Checkin), (bonus, Reason::CheckinStreak)] {
            if delta == 0 {
                continue;
            }
            tx.add_points(&NewPoints {
                group,
                member,
                delta,
                reason,
                note: None,
                actor: &actor,
                event: None,
                reference: Some(&reference),
                at: event.at,
            })
            .await?;
        }
        let balance = tx.points_balance(group, member).await?;
        Ok(PointsText::CheckedIn {
            name,
            points: base,
            bonus,
            streak,
            balance,
        })
    }

    #[allow(clippy::too_many_arguments)]
    async fn award_command(
        &self,
        tx: &mut Tx,
        sink: &mut Sink<'_>,
        event: &IncomingEvent,
        group: GroupInfo,
        target: &Target,
        amount: Option<i64>,
        reason: Option<&str>,
        reply_to: Option<String>,
    ) -> Result<Vec<PlannedAction>, PipelineError> {
        let lang = group.lang;
        let Some(amount) = amount else {
            return self
                .reply(tx, sink, PointsText::AwardUsage.render(lang), reply_to)
                .await;
        };
        let Some(message) = event.payload.message() else {
            return Ok(Vec::new());
        };
        let found = self
            .resolve_target(tx, event, group.id, target, message)
            .await?;
        let Some((target_pid, Some(target_id), target_name)) = found else {
            let who = match target {
                Target::Username(name) => format!("@{name}"),
                Target::Id(id) => id.clone(),
                Target::Reply => "?".to_owned(),
            };
            let text = BotText::TargetNotFound { who: &who }.render(lang);
            return self.reply(tx, sink, text, reply_to).await;
        };
        let balance = award(
            tx,
            Award {
                group: group.id,
                member: target_id,
                target: Some(target_pid),
                amount,
                reason: Reason::Award,
                note: reason,
                actor: &sink.actor,
                event: sink.event,
                at: event.at,
            },
        )
        .await?;
        let text = PointsText::Awarded {
            name: &target_name,
            amount,
            balance,
        }
        .render(lang);
        self.reply(tx, sink, text, reply_to).await
    }

    /// Gives `member` `amount` points in `group` (negative: takes them),
    /// for `reason` (an award or a correction), audited as `actor`.
    /// Returns the balance after.
    #[allow(clippy::too_many_arguments)]
    pub async fn award_points(
        &self,
        group: GroupId,
        member: MemberId,
        amount: i64,
        reason: Reason,
        note: Option<&str>,
        actor: &str,
        at: Timestamp,
    ) -> Result<i64, PipelineError> {
        let _turn = self.inner.write_turn.lock().await;
        let mut tx = self.inner.store.begin().await?;
        let balance = award(
            &mut tx,
            Award {
                group,
                member,
                target: None,
                amount,
                reason,
                note,
                actor,
                event: None,
                at,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(balance)
    }

    /// Spends `amount` points of `member` in `group` for `reason` (a raffle
    /// entry); refused when the balance is short. `reference` names what
    /// they are spent on (`raffle:ID`): the same reference is never spent
    /// on twice. For spending inside the ingest transaction, use
    /// `Tx::spend_points`.
    #[allow(clippy::too_many_arguments)]
    pub async fn spend_points(
        &self,
        group: GroupId,
        member: MemberId,
        amount: i64,
        reason: Reason,
        reference: Option<&str>,
        actor: &str,
        at: Timestamp,
    ) -> Result<Spend, PipelineError> {
        let _turn = self.inner.write_turn.lock().await;
        let mut tx = self.inner.store.begin().await?;
        let spent = tx
            .spend_points(&NewPoints {
                group,
                member,
                delta: -amount.abs(),
                reason,
                note: None,
                actor,
                event: None,
                reference,
                at,
            })
            .await?;
        tx.commit().await?;
        Ok(spent)
    }
}

/// An award or correction to write and audit.
struct Award<'a> {
    group: GroupId,
    member: MemberId,
    target: Option<String>,
    amount: i64,
    reason: Reason,
    note: Option<&'a str>,
    actor: &'a str,
    event: Option<EventId>,
    at: Timestamp,
}

/// Writes an award to the ledger and the audit log. Returns the balance.
async fn award(tx: &mut Tx, award: Award<'_>) -> Result<i64, PipelineError> {
    tx.add_points(&NewPoints {
        group: award.group,
        member: award.member,
        delta: award.amount,
        reason: award.reason,
        note: award.note,
        actor: award.actor,
        event: award.event,
        reference: None,
        at: award.at,
    })
    .await?;
    let sign = if award.amount > 0 { "+" } else { "" };
    tx.insert_audit(&NewAudit {
        at: award.at,
        actor: award.actor.to_owned(),
        action: AuditKind::PointsAwarded.as_str().to_owned(),
        group: Some(award.group),
        member: Some(award.member),
        target: award.target,
        reason: Some(match award.note {
            Some(note) => format!("{sign}{} ({}): {note}", award.amount, award.reason.as_str()),
            None => format!("{sign}{} ({})", award.amount, award.reason.as_str()),
        }),
        event: award.event,
        ..NewAudit::default()
    })
    .await?;
    Ok(tx.points_balance(award.group, award.member).await?)
}

/// The streak still running on `today`: the last check-in's, when it was
/// today or yesterday.
async fn current_streak(
    tx: &mut Tx,
    group: GroupId,
    member: MemberId,
    today: NaiveDate,
) -> Result<u32, PipelineError> {
    let Some(last) = tx.last_checkin(group, member).await? else {
        return Ok(0);
    };
    let running = NaiveDate::parse_from_str(&last.day, DAY_FORMAT)
        .is_ok_and(|day| day == today || today.pred_opt() == Some(day));
    Ok(if running {
        u32::try_from(last.streak).unwrap_or(0)
    } else {
        0
    })
}

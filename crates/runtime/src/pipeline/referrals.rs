//! Referrals (裂变): joins credited to the member whose personal invite link
//! (or direct invitation) brought the newcomer in, `/invite` for one's own
//! link, and `/referrals` for the group's top referrers.
//!
//! A join through a recorded referral link credits the link's member; a
//! join where someone added the newcomer credits them. Every attributed
//! join is recorded; self-invites, leave-and-rejoin, a newcomer already
//! credited to someone in the group and bots are recorded as not counted,
//! with the reason. A join counts only once the newcomer is really in: one
//! held at the door (a CAPTCHA, raid mode) is recorded as `held` and counted
//! when screening lets them in; an account on the ban list is never
//! credited.
//!
//! `/invite` is cheap to send and a link is a platform call: a member gets
//! at most one new link per group a day, and at most one answer a minute.

use chrono::Duration;
use steward_core::settings::ChatSettings;
use steward_core::texts::BotText;
use steward_core::{
    Action, ActionKind, Capabilities, EventPayload, GroupId, IncomingEvent, LinkShare, MemberId,
    PlannedAction, Platform,
};
use steward_storage::Tx;
use steward_storage::referrals::{NewReferral, NotCounted, REFERRAL_LINK_REASON};
use steward_storage::screening::KIND_NEWCOMER;

use super::interact::Sink;
use super::lifecycle::Step;
use super::{GroupInfo, Pipeline, PipelineError, display_name};

/// The purpose recorded with members' personal links.
pub(crate) const REFERRAL: &str = "referral";
/// How many referrers `/referrals` shows.
const TOP: i64 = 10;
/// Telegram keeps 32 characters of a link's name.
const LINK_NAME_CHARS: usize = 32;
/// A member gets at most one new personal link per group in this long.
const NEW_LINK_EVERY_HOURS: i64 = 24;
/// Steward answers a member's `/invite` at most once in this long.
const ANSWER_EVERY_SECONDS: i64 = 60;

impl Pipeline {
    /// Credits the member who invited the newcomer, if anyone did. `held`:
    /// the screening step holds the newcomer at the door, so the join is
    /// recorded as not counted yet ([`Pipeline::count_held_referral`]
    /// counts it when they are let in).
    pub(super) async fn credit_referral(
        &self,
        tx: &mut Tx,
        sink: &mut Sink<'_>,
        event: &IncomingEvent,
        group: GroupInfo,
        member: MemberId,
        held: bool,
    ) -> Result<Step, PipelineError> {
        let EventPayload::MemberJoined {
            invite_link,
            inviter,
        } = &event.payload
        else {
            return Ok(Step::pass());
        };
        let Some(event_id) = sink.event else {
            return Ok(Step::pass());
        };
        let by_link = match invite_link {
            Some(link) => tx
                .invite_link(event.platform, link)
                .await?
                .filter(|l| l.purpose == REFERRAL && l.group == group.id)
                .and_then(|l| l.member.map(|m| (m, l.id))),
            None => None,
        };
        let (referrer, link, source) = match (by_link, inviter) {
            (Some((referrer, link)), _) => (referrer, Some(link), "link"),
            // A bot (Steward itself, approving a request) invites nobody.
            (None, Some(inviter)) if !inviter.is_bot => {
                // Whoever let in an applicant approved a request: they did
                // not bring the newcomer.
                if tx.asked_to_join(group.id, member, event_id).await? {
                    return Ok(Step::pass());
                }
                let referrer = self
                    .member_id(tx, event.platform, inviter, event.at)
                    .await?;
                (referrer, None, "added")
            }
            _ => return Ok(Step::pass()),
        };
        let not_counted = if event.member.is_bot {
            Some(NotCounted::Bot)
        } else if referrer == member {
            Some(NotCounted::SelfInvite)
        } else if tx.was_in_group_before(group.id, member, event_id).await? {
            Some(NotCounted::Rejoin)
        } else if tx.already_credited(group.id, member).await? {
            Some(NotCounted::AlreadyCredited)
        } else if held {
            Some(NotCounted::Held)
        } else {
            None
        };
        tx.record_referral(&NewReferral {
            group: group.id,
            referrer,
            newcomer: member,
            link,
            source,
            not_counted,
            event: Some(event_id),
            at: event.at,
        })
        .await?;
        self.referral_points(tx, group.id, member).await?;
        Ok(Step::pass())
    }

    /// A held newcomer was let in: their join, recorded as held, counts
    /// now. Called by screening when it lets a newcomer in.
    pub(super) async fn count_held_referral(
        &self,
        tx: &mut Tx,
        group: GroupId,
        member: MemberId,
    ) -> Result<(), PipelineError> {
        tx.count_held_referral(group, member).await?;
        self.referral_points(tx, group, member).await?;
        Ok(())
    }

    /// A join seen again, now with the link it came through. Telegram reports
    /// a join twice, as a service message (no link) and as a `chat_member`
    /// update (with it), under one event id; whichever comes second is a
    /// duplicate. When the first could not credit anyone, this one does.
    pub(super) async fn credit_join_seen_again(
        &self,
        tx: &mut Tx,
        event: &IncomingEvent,
        group: GroupInfo,
        member: MemberId,
    ) -> Result<(), PipelineError> {
        if !matches!(
            &event.payload,
            EventPayload::MemberJoined {
                invite_link: Some(_),
                ..
            }
        ) {
            return Ok(());
        }
        let Some(event_id) = tx.event_id_of(group.id, &event.event_id).await? else {
            return Ok(());
        };
        if tx.referral_recorded_for(event_id).await? {
            return Ok(());
        }
        // The first sighting stopped at the door: no credit for a listed
        // account.
        if tx
            .ban_entry_at_door(group.id, event.platform, &event.member.id)
            .await?
            .is_some()
        {
            return Ok(());
        }
        let held = tx
            .pending_screening_in(group.id, member)
            .await?
            .is_some_and(|s| s.kind == KIND_NEWCOMER);
        let mut sink = Sink::new(
            event.platform,
            group.id,
            &event.group.id,
            Some(event_id),
            format!(
                "{}:{}:{}:again",
                event.platform, event.group.id, event.event_id
            ),
            "system".to_owned(),
            event.at,
        );
        self.credit_referral(tx, &mut sink, event, group, member, held)
            .await
            .map(drop)
    }

    /// `/invite`: the member's personal invite link. An unexpired link made
    /// before is given again; otherwise one is created, recorded when the
    /// platform answers, and posted in reply. At most one link is created
    /// per member and group a day (a link asked for and not made yet, or
    /// expired within the day, gets no new one), and a member is answered
    /// at most once a minute: repeats in between are ignored, so `/invite`
    /// cannot flood the chat or the platform.
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn invite_command(
        &self,
        tx: &mut Tx,
        sink: &mut Sink<'_>,
        event: &IncomingEvent,
        group: GroupInfo,
        member: MemberId,
        settings: &ChatSettings,
        reply_to: Option<String>,
    ) -> Result<Vec<PlannedAction>, PipelineError> {
        let lang = group.lang;
        // Everything `/invite` queues is keyed by the member and the minute,
        // so the last answers are found by their keys.
        let minute = event.at.timestamp().div_euclid(ANSWER_EVERY_SECONDS);
        let keys = [minute, minute - 1]
            .map(|m| format!("{}:i0", answer_key(event.platform, group.id, member, m)));
        let since = event.at - Duration::seconds(ANSWER_EVERY_SECONDS);
        if tx.queued_since(&[&keys[0], &keys[1]], since).await? {
            return Ok(Vec::new());
        }
        let mut sink = Sink::new(
            sink.platform,
            sink.group,
            sink.group_pid,
            sink.event,
            answer_key(event.platform, group.id, member, minute),
            sink.actor.clone(),
            sink.at,
        );
        let sink = &mut sink;
        if !Capabilities::of_platform(event.platform).supports(ActionKind::CreateInviteLink) {
            let text = BotText::InviteUnsupported.render(lang);
            return self.reply(tx, sink, text, reply_to).await;
        }
        if let Some(link) = tx.referral_link_of(group.id, member, event.at).await? {
            let text = BotText::InviteLink { link: &link }.render(lang);
            return self.reply(tx, sink, text, reply_to).await;
        }
        let day_ago = event.at - Duration::hours(NEW_LINK_EVERY_HOURS);
        if tx
            .referral_link_asked_since(group.id, member, day_ago)
            .await?
        {
            // Asked for within the day: it is posted when the platform
            // makes it (or it expired early); no second one.
            return Ok(Vec::new());
        }
        let action = Action::CreateInviteLink {
            name: link_name(display_name(&event.member)),
            purpose: REFERRAL.to_owned(),
            member: Some(event.member.id.clone()),
            creates_join_request: screens_requests(settings),
            expires: None,
            share: Some(LinkShare {
                text: BotText::InviteLink { link: "{link}" }.render(lang),
                direct_to: None,
                reply_to,
            }),
        };
        Ok(self
            .queue(
                tx,
                sink,
                action,
                Some(member),
                Some(REFERRAL_LINK_REASON.to_owned()),
            )
            .await?
            .into_iter()
            .collect())
    }

    /// `/referrals`: the group's top referrers, in the running campaign
    /// when there is one, else of all time.
    pub(super) async fn referrals_command(
        &self,
        tx: &mut Tx,
        sink: &mut Sink<'_>,
        event: &IncomingEvent,
        group: GroupInfo,
        reply_to: Option<String>,
    ) -> Result<Vec<PlannedAction>, PipelineError> {
        let campaign = tx.running_campaign(group.id, event.at).await?;
        let (from, to) = match &campaign {
            Some(c) => (Some(c.starts), Some(c.ends)),
            None => (None, None),
        };
        let leaders: Vec<(String, i64)> = tx
            .referral_leaders(group.id, from, to, TOP)
            .await?
            .into_iter()
            .map(|l| (l.member.label(), l.count))
            .collect();
        let text = BotText::ReferralTop {
            campaign: campaign.as_ref().map(|c| c.name.as_str()),
            leaders: &leaders,
        }
        .render(group.lang);
        self.reply(tx, sink, text, reply_to).await
    }
}

/// The idempotency key of a member's `/invite` answers in one minute
/// (`minute`: whole minutes since the epoch).
fn answer_key(platform: Platform, group: GroupId, member: MemberId, minute: i64) -> String {
    format!("{platform}:invite:{}:{}:{minute}", group.0, member.0)
}

/// Whether newcomers must come through a join request to be screened: a
/// personal link must not be a way around the group's screening.
fn screens_requests(settings: &ChatSettings) -> bool {
    !settings.join_questions.is_empty()
        || settings.manual_approval
        || settings.captcha.as_ref().is_some_and(|c| !c.on_joins())
}

/// The label kept with a member's link on the platform.
fn link_name(member: &str) -> String {
    let name: String = format!("ref · {member}")
        .chars()
        .take(LINK_NAME_CHARS)
        .collect();
    name
}

#[cfg(test)]
mod tests {
    use super::*;
    use steward_core::settings::{CaptchaOn, CaptchaSettings};

    #[test]
    fn link_names_fit_telegram() {
        assert_eq!(link_name("Ann"), "ref · Ann");
        let long = link_name(&"名".repeat(100));
        assert_eq!(long.chars().count(), LINK_NAME_CHARS);
    }

    #[test]
    fn links_go_through_requests_when_the_group_screens_them() {
        let mut settings = ChatSettings::default();
        assert!(!screens_requests(&settings));
        settings.manual_approval = true;
        assert!(screens_requests(&settings));
        settings.manual_approval = false;
        settings.captcha = Some(CaptchaSettings {
            on: CaptchaOn::Requests,
            ..CaptchaSettings::default()
        });
        assert!(screens_requests(&settings));
        settings.captcha = Some(CaptchaSettings {
            on: CaptchaOn::Both,
            ..CaptchaSettings::default()
        });
        assert!(!screens_requests(&settings));
    }
}

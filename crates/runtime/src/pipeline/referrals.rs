//! Referrals (裂变): joins credited to the member whose personal invite link
//! (or direct invitation) brought the newcomer in, `/invite` for one's own
//! link, and `/referrals` for the group's top referrers.
//!
//! A join through a recorded referral link credits the link's member; a
//! join where someone added the newcomer credits them. Every attributed
//! join is recorded; self-invites, leave-and-rejoin, a newcomer already
//! credited to someone in the group and bots are recorded as not counted,
//! with the reason.

use steward_core::settings::ChatSettings;
use steward_core::texts::BotText;
use steward_core::{
    Action, ActionKind, Capabilities, EventPayload, IncomingEvent, LinkShare, MemberId,
    PlannedAction,
};
use steward_storage::Tx;
use steward_storage::referrals::{NewReferral, NotCounted};

use super::interact::Sink;
use super::lifecycle::Step;
use super::{GroupInfo, Pipeline, PipelineError, display_name};

/// The purpose recorded with members' personal links.
pub(crate) const REFERRAL: &str = "referral";
/// How many referrers `/referrals` shows.
const TOP: i64 = 10;
/// Telegram keeps 32 characters of a link's name.
const LINK_NAME_CHARS: usize = 32;

impl Pipeline {
    /// Credits the member who invited the newcomer, if anyone did.
    pub(super) async fn credit_referral(
        &self,
        tx: &mut Tx,
        sink: &mut Sink<'_>,
        event: &IncomingEvent,
        group: GroupInfo,
        member: MemberId,
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
        Ok(Step::pass())
    }

    /// `/invite`: the member's personal invite link. An unexpired link made
    /// before is given again; otherwise one is created, recorded when the
    /// platform answers, and posted in reply.
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
        let mut sink = Sink::new(
            event.platform,
            group.id,
            &event.group.id,
            Some(event_id),
            format!("{}:{}:{}:again", event.platform, event.group.id, event.event_id),
            "system".to_owned(),
            event.at,
        );
        self.credit_referral(tx, &mut sink, event, group, member)
            .await
            .map(drop)
    }

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
        if !Capabilities::of_platform(event.platform).supports(ActionKind::CreateInviteLink) {
            let text = BotText::InviteUnsupported.render(lang);
            return self.reply(tx, sink, text, reply_to).await;
        }
        if let Some(link) = tx.referral_link_of(group.id, member, event.at).await? {
            let text = BotText::InviteLink { link: &link }.render(lang);
            return self.reply(tx, sink, text, reply_to).await;
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
                Some("/invite: personal referral link".to_owned()),
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

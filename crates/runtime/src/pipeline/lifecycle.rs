//! A member's way through a group: what runs when someone joins, leaves or
//! changes their name, in a fixed order, each step in its own module.
//!
//! On a join: the community's ban list first (a listed account goes no
//! further), then screening of newcomers (raid mode, a CAPTCHA in the group),
//! then the referral credit (counted once the newcomer is let in), then the
//! welcome (only for those let in), then the nickname check. Everything runs inside the ingest transaction.

use steward_core::{IncomingEvent, MemberId, PlannedAction};
use steward_storage::Tx;

use super::interact::Sink;
use super::{GroupInfo, Pipeline, PipelineError};

/// What a step decided about a newcomer.
#[derive(Debug, Default)]
pub(super) struct Step {
    /// Actions queued.
    pub(super) actions: Vec<PlannedAction>,
    /// The newcomer must not go on to the later steps (banned, removed).
    pub(super) stop: bool,
    /// The newcomer is not let in yet (a CAPTCHA is pending): no welcome
    /// now; the screening step welcomes them when they pass.
    pub(super) held: bool,
}

impl Step {
    /// Nothing to do.
    pub(super) fn pass() -> Step {
        Step::default()
    }
}

impl Pipeline {
    /// A member joined the group.
    pub(super) async fn member_joined(
        &self,
        tx: &mut Tx,
        sink: &mut Sink<'_>,
        event: &IncomingEvent,
        group: GroupInfo,
        member: MemberId,
    ) -> Result<Vec<PlannedAction>, PipelineError> {
        let mut actions = Vec::new();
        let listed = self
            .ban_list_on_join(tx, sink, event, group, member)
            .await?;
        actions.extend(listed.actions);
        if listed.stop {
            return Ok(actions);
        }
        let screened = self.screen_newcomer(tx, sink, event, group, member).await?;
        actions.extend(screened.actions);
        if screened.stop {
            return Ok(actions);
        }
        // A held newcomer's join counts only once screening lets them in.
        let referral = self
            .credit_referral(tx, sink, event, group, member, screened.held)
            .await?;
        actions.extend(referral.actions);
        if !screened.held {
            let welcome = self.welcome(tx, sink, event, group, member).await?;
            actions.extend(welcome.actions);
        }
        let nickname = self.check_nickname(tx, sink, event, group, member).await?;
        actions.extend(nickname.actions);
        Ok(actions)
    }

    /// A member left or was removed.
    pub(super) async fn member_left(
        &self,
        tx: &mut Tx,
        sink: &mut Sink<'_>,
        event: &IncomingEvent,
        group: GroupInfo,
        member: MemberId,
    ) -> Result<Vec<PlannedAction>, PipelineError> {
        let screening = self
            .screening_member_left(tx, sink, event, group, member)
            .await?;
        let nickname = self
            .nickname_member_left(tx, sink, event, group, member)
            .await?;
        Ok(screening
            .actions
            .into_iter()
            .chain(nickname.actions)
            .collect())
    }

    /// A member changed their name.
    pub(super) async fn member_renamed(
        &self,
        tx: &mut Tx,
        sink: &mut Sink<'_>,
        event: &IncomingEvent,
        group: GroupInfo,
        member: MemberId,
    ) -> Result<Vec<PlannedAction>, PipelineError> {
        Ok(self
            .check_nickname(tx, sink, event, group, member)
            .await?
            .actions)
    }
}

//! Scheduled posts (群SOP): the approval flow (an operator drafts and
//! submits, an admin approves or rejects with a reason; every move audited)
//! and the timer that sends approved posts at their times through the
//! outbox, to one group or every group of a community, holding a post in a
//! group's quiet hours until they end and past the group's daily cap until
//! the next day, and recording each publication.
//!
//! The rules themselves (the flow, schedules in the group's time zone,
//! quiet hours, the cap) are `steward_core::posts`.

use steward_core::audit::AuditKind;
use steward_core::posts::{
    self, LinkButton, MAX_POST_BUTTONS, MAX_POST_TEXT, MAX_POST_TITLE, Pacing, PostStatus, Schedule,
};
use steward_core::{Action, ActionKind, Button, Capabilities, GroupId, Timestamp};
use steward_storage::Tx;
use steward_storage::audit::NewAudit;
use steward_storage::posts::{PostDraft, PostTarget};

use super::interact::Sink;
use super::{Pipeline, PipelineError};

/// Post targets handled per timer round.
const TIMER_BATCH: i64 = 50;

/// Why a post could not be saved or moved.
#[derive(Debug, thiserror::Error)]
pub enum PostError {
    /// No such post, group or community.
    #[error("no such post")]
    NotFound,
    /// A field is out of bounds; names the field.
    #[error("invalid {0}")]
    Invalid(&'static str),
    /// The post is not in a status that allows this.
    #[error("the post is {0}")]
    WrongStatus(&'static str),
    /// The pipeline (the store) failed.
    #[error(transparent)]
    Pipeline(#[from] PipelineError),
}

impl From<steward_storage::StoreError> for PostError {
    fn from(err: steward_storage::StoreError) -> Self {
        PostError::Pipeline(err.into())
    }
}

/// Checks a draft's fields, naming the first one out of bounds.
pub fn check_post(draft: &PostDraft) -> Result<(), PostError> {
    let title = draft.title.trim();
    if title.is_empty() || title.chars().count() > MAX_POST_TITLE {
        return Err(PostError::Invalid("title"));
    }
    let text = draft.text.trim();
    if text.is_empty() || text.chars().count() > MAX_POST_TEXT {
        return Err(PostError::Invalid("text"));
    }
    if draft
        .image_url
        .as_deref()
        .is_some_and(|u| !posts::is_link(u))
    {
        return Err(PostError::Invalid("image_url"));
    }
    if draft.buttons.len() > MAX_POST_BUTTONS
        || draft.buttons.iter().any(|b| {
            b.text.trim().is_empty() || b.text.chars().count() > 64 || !posts::is_link(&b.url)
        })
    {
        return Err(PostError::Invalid("buttons"));
    }
    if draft.group.is_some() == draft.community.is_some() {
        return Err(PostError::Invalid("target"));
    }
    if let Schedule::Cron { expr } = &draft.schedule
        && posts::check_cron(expr).is_err()
    {
        return Err(PostError::Invalid("schedule"));
    }
    Ok(())
}

/// The message a post becomes on a platform: link buttons where the
/// platform has buttons, else the links in the text.
fn post_message(platform: steward_core::Platform, draft: &PostDraft) -> Action {
    let mut text = posts::message_text(&draft.text, draft.image_url.as_deref());
    let has_buttons = Capabilities::of_platform(platform).supports(ActionKind::AnswerButton);
    let buttons = if has_buttons {
        draft
            .buttons
            .iter()
            .map(|b: &LinkButton| {
                vec![Button {
                    text: b.text.clone(),
                    data: None,
                    url: Some(b.url.clone()),
                }]
            })
            .collect()
    } else {
        for b in &draft.buttons {
            text.push_str(&format!("\n{}: {}", b.text, b.url));
        }
        Vec::new()
    };
    Action::SendMessage {
        text,
        buttons,
        reply_to: None,
        delete_after: None,
    }
}

async fn audit(
    tx: &mut Tx,
    kind: AuditKind,
    actor: &str,
    group: Option<GroupId>,
    post: i64,
    reason: Option<String>,
    at: Timestamp,
) -> Result<(), PipelineError> {
    tx.insert_audit(&NewAudit {
        at,
        actor: actor.to_owned(),
        action: kind.as_str().to_owned(),
        group,
        target: Some(format!("post:{post}")),
        reason,
        ..NewAudit::default()
    })
    .await?;
    Ok(())
}

impl Pipeline {
    /// Stores a new draft. Returns its id.
    pub async fn draft_post(
        &self,
        draft: &PostDraft,
        actor: &str,
        now: Timestamp,
    ) -> Result<i64, PostError> {
        check_post(draft)?;
        let _turn = self.inner.write_turn.lock().await;
        let mut tx = self.inner.store.begin().await?;
        let id = tx.insert_post(draft, actor, now).await?;
        audit(
            &mut tx,
            AuditKind::PostDrafted,
            actor,
            draft.group,
            id,
            Some(draft.title.clone()),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Changes a draft.
    pub async fn edit_post(
        &self,
        id: i64,
        draft: &PostDraft,
        actor: &str,
        now: Timestamp,
    ) -> Result<(), PostError> {
        check_post(draft)?;
        let _turn = self.inner.write_turn.lock().await;
        let mut tx = self.inner.store.begin().await?;
        if tx.post(id).await?.is_none() {
            return Err(PostError::NotFound);
        }
        if !tx.update_post(id, draft).await? {
            return Err(PostError::WrongStatus("not a draft"));
        }
        audit(
            &mut tx,
            AuditKind::PostDrafted,
            actor,
            draft.group,
            id,
            Some(draft.title.clone()),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Moves a post along the flow: `Pending` (submit), `Scheduled`
    /// (approve), `Rejected` (with a reason), or back to `Draft`. The
    /// caller has checked the actor's permission for the move.
    pub async fn move_post(
        &self,
        id: i64,
        to: PostStatus,
        reason: Option<&str>,
        actor: &str,
        now: Timestamp,
    ) -> Result<(), PostError> {
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        if to == PostStatus::Rejected && reason.is_none() {
            return Err(PostError::Invalid("reason"));
        }
        let _turn = self.inner.write_turn.lock().await;
        let mut tx = self.inner.store.begin().await?;
        let Some(post) = tx.post(id).await? else {
            return Err(PostError::NotFound);
        };
        if !post.status.can_move_to(to) || to == PostStatus::Published {
            return Err(PostError::WrongStatus(post.status.as_str()));
        }
        let decided = matches!(to, PostStatus::Scheduled | PostStatus::Rejected);
        if !tx
            .move_post(
                id,
                post.status,
                to,
                decided.then_some((actor, now)),
                reason.filter(|_| to == PostStatus::Rejected),
            )
            .await?
        {
            return Err(PostError::WrongStatus(post.status.as_str()));
        }
        tx.clear_post_targets(id).await?;
        if to == PostStatus::Scheduled {
            let groups = tx.post_groups(&post.draft).await?;
            if groups.is_empty() {
                return Err(PostError::Invalid("target"));
            }
            for group in groups {
                let zone = self.settings(&mut tx, group).await?.zone();
                let slot = match &post.draft.schedule {
                    // A time already past when approved is sent at once.
                    Schedule::Once { at } => Some(*at),
                    cron => cron.next_after(zone, now),
                };
                tx.set_post_target(id, group, slot, slot).await?;
            }
        }
        let kind = match to {
            PostStatus::Pending => AuditKind::PostSubmitted,
            PostStatus::Scheduled => AuditKind::PostApproved,
            PostStatus::Rejected => AuditKind::PostRejected,
            _ => AuditKind::PostDrafted,
        };
        let note = match reason {
            Some(r) if to == PostStatus::Rejected => format!("{}: {r}", post.draft.title),
            _ => post.draft.title.clone(),
        };
        audit(&mut tx, kind, actor, post.draft.group, id, Some(note), now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Scheduled posts due at `now`: sent, or held by quiet hours or the
    /// daily cap.
    pub(super) async fn post_timers(&self, now: Timestamp) -> Result<usize, PipelineError> {
        let due = self.inner.store.post_targets_due(now, TIMER_BATCH).await?;
        let mut done = 0;
        for target in due {
            if self.run_post_target(target, now).await? {
                done += 1;
            }
        }
        if done > 0 {
            self.wake_delivery();
        }
        Ok(done)
    }

    async fn run_post_target(
        &self,
        target: PostTarget,
        now: Timestamp,
    ) -> Result<bool, PipelineError> {
        let _turn = self.inner.write_turn.lock().await;
        let mut tx = self.inner.store.begin().await?;
        // Read again under the write turn: another round may have sent it.
        let Some(target) = tx.post_target(target.post, target.group).await? else {
            return Ok(false);
        };
        let (Some(slot), Some(due)) = (target.slot, target.due) else {
            return Ok(false);
        };
        let Some(post) = tx.post(target.post).await? else {
            return Ok(false);
        };
        if due > now || post.status != PostStatus::Scheduled {
            return Ok(false);
        }
        let Some((platform, group_pid)) = tx.group_platform_id(target.group).await? else {
            tx.set_post_target(post.id, target.group, None, None)
                .await?;
            tx.commit().await?;
            return Ok(false);
        };
        let settings = self.settings(&mut tx, target.group).await?;
        let zone = settings.zone();
        let (day_start, day_end) = posts::day_bounds(zone, now);
        let sent_today = tx
            .post_publications_between(target.group, day_start, day_end)
            .await?;
        let sent_today = u32::try_from(sent_today).unwrap_or(u32::MAX);
        match settings.posts.pacing(zone, now, sent_today) {
            Pacing::Quiet { until } | Pacing::Capped { until } => {
                let why = if settings.posts.quiet_until(zone, now).is_some() {
                    "quiet hours"
                } else {
                    "daily cap"
                };
                tx.set_post_target(post.id, target.group, Some(slot), Some(until))
                    .await?;
                audit(
                    &mut tx,
                    AuditKind::PostHeld,
                    "system",
                    Some(target.group),
                    post.id,
                    Some(format!(
                        "{}: {why}, until {}",
                        post.draft.title,
                        until.to_rfc3339()
                    )),
                    now,
                )
                .await?;
                tx.commit().await?;
                Ok(false)
            }
            Pacing::Send => {
                let cause = format!(
                    "post:{}:{}:{}",
                    post.id,
                    target.group.0,
                    slot.timestamp_millis()
                );
                // Queued for now even when asked about a later time: the
                // outbox runs on the wall clock.
                let mut sink = Sink::new(
                    platform,
                    target.group,
                    &group_pid,
                    None,
                    cause.clone(),
                    "system".to_owned(),
                    now.min(chrono::Utc::now()),
                );
                let message = post_message(platform, &post.draft);
                self.queue(&mut tx, &mut sink, message, None, None).await?;
                let recorded = tx
                    .record_post_publication(
                        post.id,
                        target.group,
                        slot,
                        now,
                        &format!("{cause}:i0"),
                    )
                    .await?;
                let next = post.draft.schedule.next_after(zone, slot.max(now));
                tx.set_post_target(post.id, target.group, next, next)
                    .await?;
                if recorded {
                    audit(
                        &mut tx,
                        AuditKind::PostPublished,
                        "system",
                        Some(target.group),
                        post.id,
                        Some(post.draft.title.clone()),
                        now,
                    )
                    .await?;
                }
                if tx.post_targets_left(post.id).await? == 0
                    && tx
                        .move_post(
                            post.id,
                            PostStatus::Scheduled,
                            PostStatus::Published,
                            None,
                            None,
                        )
                        .await?
                {
                    audit(
                        &mut tx,
                        AuditKind::PostPublished,
                        "system",
                        post.draft.group,
                        post.id,
                        Some(format!("{}: done", post.draft.title)),
                        now,
                    )
                    .await?;
                }
                tx.commit().await?;
                Ok(recorded)
            }
        }
    }
}

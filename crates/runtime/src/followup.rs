//! What happens after a platform carried an action out and reported back:
//! a message meant to vanish is deleted later, a created invite link is
//! recorded (so joins through it can be credited) and sent where it was
//! asked for, a native poll's platform id is tied to the question it asks.
//!
//! Follow-ups go through the outbox like everything else, keyed from the
//! action they follow, so a repeat delivery never queues them twice; they
//! are written in the transaction that marks the action done, so a crash
//! cannot leave one without the other.

use chrono::Duration;
use steward_core::{Action, LinkShare, PlannedAction, Timestamp};
use steward_storage::invite_links::NewInviteLink;
use steward_storage::outbox::{NewAction, OutboxRow};
use steward_storage::{StoreError, Tx};

use crate::delivery::Delivered;

/// Queues what follows from `row` having been delivered with `delivered`,
/// in the transaction that marks it done.
pub(crate) async fn after_delivery(
    tx: &mut Tx,
    row: &OutboxRow,
    delivered: &Delivered,
    now: Timestamp,
) -> Result<(), StoreError> {
    match &row.action.action {
        Action::SendMessage {
            delete_after: Some(seconds),
            ..
        } => {
            let Some(message) = &delivered.message_id else {
                return Ok(());
            };
            let delete = Action::DeleteMessage {
                message: message.clone(),
            };
            let due = now + Duration::seconds(i64::from(*seconds));
            queue(tx, row, "expire", delete, now, due).await
        }
        Action::CreateInviteLink {
            name,
            purpose,
            member,
            expires,
            share,
            ..
        } => {
            let Some(link) = &delivered.invite_link else {
                return Ok(());
            };
            let member = match member {
                Some(pid) => tx.find_member(row.platform, pid).await?.map(|m| m.id),
                None => None,
            };
            tx.record_invite_link(&NewInviteLink {
                platform: row.platform,
                group: row.group,
                link,
                name,
                purpose,
                member,
                action: Some(row.id),
                at: now,
                expires: *expires,
            })
            .await?;
            if let Some(share) = share {
                queue(tx, row, "share", share_action(share, link), now, now).await?;
            }
            Ok(())
        }
        Action::SendPoll { .. } => {
            let (Some(native), Some((poll, question))) = (
                &delivered.poll_id,
                steward_core::quiz::parse_ask_key(&row.idempotency_key),
            ) else {
                return Ok(());
            };
            tx.record_native_poll(row.platform, native, poll, question)
                .await
        }
        _ => Ok(()),
    }
}

/// The message that carries a new link.
fn share_action(share: &LinkShare, link: &str) -> Action {
    let text = share.text.replace("{link}", link);
    match &share.direct_to {
        Some(member) => Action::DirectMessage {
            member: member.clone(),
            text,
        },
        None => Action::SendMessage {
            text,
            buttons: Vec::new(),
            reply_to: share.reply_to.clone(),
            delete_after: None,
        },
    }
}

async fn queue(
    tx: &mut Tx,
    row: &OutboxRow,
    suffix: &str,
    action: Action,
    now: Timestamp,
    due: Timestamp,
) -> Result<(), StoreError> {
    let key = format!("{}:{suffix}", row.idempotency_key);
    let planned = PlannedAction {
        group: row.action.group.clone(),
        action,
    };
    tx.insert_action_due(
        &NewAction {
            platform: row.platform,
            group: row.group,
            event: row.event,
            idempotency_key: &key,
            action: &planned,
            at: now,
        },
        due,
    )
    .await
    .map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shared_link_replaces_the_placeholder() {
        let share = LinkShare {
            text: "Your link: {link}".into(),
            direct_to: None,
            reply_to: Some("5".into()),
        };
        match share_action(&share, "https://t.me/+x") {
            Action::SendMessage { text, reply_to, .. } => {
                assert_eq!(text, "Your link: https://t.me/+x");
                assert_eq!(reply_to.as_deref(), Some("5"));
            }
            other => panic!("{other:?}"),
        }
        let direct = LinkShare {
            direct_to: Some("42".into()),
            ..share
        };
        assert!(matches!(
            share_action(&direct, "l"),
            Action::DirectMessage { member, .. } if member == "42"
        ));
    }
}

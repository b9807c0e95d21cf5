//! Welcomes gathered over a short window: the batch a group is filling, an
//! outbox row queued to go out when the window closes, and rewriting that
//! row while it still waits, so many joins make one message.

use steward_core::{GroupId, PlannedAction, Timestamp};

use crate::backend::on_tx;
use crate::{Result, Tx, corrupt, from_millis, to_millis};

/// The welcome a group is gathering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WelcomeBatch {
    /// The idempotency key of its outbox row.
    pub action_key: String,
    /// When the window closes and the welcome goes out.
    pub due_at: Timestamp,
    /// Who joined so far, as JSON (the runtime owns its shape).
    pub newcomers: String,
}

impl Tx {
    /// The batch `group` gathered last, if any (it may be long gone out).
    pub async fn welcome_batch(&mut self, group: GroupId) -> Result<Option<WelcomeBatch>> {
        let sql = "SELECT action_key, due_at, newcomers FROM welcome_batches WHERE group_id = $1";
        let row: Option<(String, i64, String)> = on_tx!(self, conn => sqlx::query_as(sql)
            .bind(group.0)
            .fetch_optional(conn)
            .await?);
        Ok(row.map(|(action_key, due, newcomers)| WelcomeBatch {
            action_key,
            due_at: from_millis(due),
            newcomers,
        }))
    }

    /// Makes `batch` the one `group` is gathering.
    pub async fn set_welcome_batch(&mut self, group: GroupId, batch: &WelcomeBatch) -> Result<()> {
        let sql = "INSERT INTO welcome_batches (group_id, action_key, due_at, newcomers)
                   VALUES ($1, $2, $3, $4)
                   ON CONFLICT (group_id) DO UPDATE
                   SET action_key = excluded.action_key, due_at = excluded.due_at,
                       newcomers = excluded.newcomers";
        on_tx!(self, conn => sqlx::query(sql)
            .bind(group.0)
            .bind(&batch.action_key)
            .bind(to_millis(batch.due_at))
            .bind(&batch.newcomers)
            .execute(conn)
            .await?
            .rows_affected());
        Ok(())
    }

    /// Replaces what a queued action says, only while no worker has taken
    /// it yet (pending and never attempted: a claim counts an attempt).
    /// False when it is already on its way or done.
    pub async fn rewrite_pending_action(
        &mut self,
        idempotency_key: &str,
        action: &PlannedAction,
    ) -> Result<bool> {
        let payload = serde_json::to_string(action).map_err(|e| corrupt("outbox", e))?;
        let sql = "UPDATE outbox SET payload = $1
                   WHERE idempotency_key = $2 AND kind = $3 AND status = 'pending' AND attempts = 0";
        let n = on_tx!(self, conn => sqlx::query(sql)
            .bind(payload)
            .bind(idempotency_key)
            .bind(action.action.kind().as_str())
            .execute(conn)
            .await?
            .rows_affected());
        Ok(n > 0)
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone, Utc};
    use steward_core::{Action, Platform};

    use crate::Store;
    use crate::outbox::NewAction;

    use super::*;

    fn message(text: &str) -> PlannedAction {
        PlannedAction {
            group: "g".into(),
            action: Action::SendMessage {
                text: text.into(),
                buttons: Vec::new(),
                reply_to: None,
                delete_after: Some(60),
            },
        }
    }

    crate::both_backends!(
        a_waiting_welcome_is_rewritten_until_claimed,
        |store: Store| async move {
            let t0 = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
            let mut tx = store.begin().await.unwrap();
            let (group, _) = tx
                .upsert_group(Platform::Http, "g", None, Default::default(), t0)
                .await
                .unwrap();
            let first = message("Welcome Ann");
            let due = t0 + Duration::seconds(30);
            tx.insert_action_due(
                &NewAction {
                    platform: Platform::Http,
                    group,
                    event: None,
                    idempotency_key: "welcome:1",
                    action: &first,
                    at: t0,
                },
                due,
            )
            .await
            .unwrap()
            .unwrap();
            let batch = WelcomeBatch {
                action_key: "welcome:1".into(),
                due_at: due,
                newcomers: "{}".into(),
            };
            tx.set_welcome_batch(group, &batch).await.unwrap();
            tx.set_welcome_batch(group, &batch).await.unwrap();
            assert_eq!(tx.welcome_batch(group).await.unwrap(), Some(batch));
            assert!(
                tx.rewrite_pending_action("welcome:1", &message("Welcome Ann and Bob"))
                    .await
                    .unwrap()
            );
            tx.commit().await.unwrap();
            // Not due before the window closes.
            let early = store
                .claim_due_actions(Platform::Http, t0, t0 + Duration::minutes(1), 10)
                .await
                .unwrap();
            assert!(early.is_empty());
            let claimed = store
                .claim_due_actions(Platform::Http, due, due + Duration::minutes(1), 10)
                .await
                .unwrap();
            assert_eq!(claimed.len(), 1);
            assert_eq!(claimed[0].action, message("Welcome Ann and Bob"));
            let mut tx = store.begin().await.unwrap();
            assert!(
                !tx.rewrite_pending_action("welcome:1", &message("too late"))
                    .await
                    .unwrap()
            );
            tx.commit().await.unwrap();
        }
    );
}

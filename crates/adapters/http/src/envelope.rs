//! An action as handed out to the system on the other side.

use serde::{Deserialize, Serialize};
use steward_core::PlannedAction;
use steward_storage::outbox::OutboxRow;
use utoipa::ToSchema;

/// An action with its delivery identity.
///
/// ```json
/// {"cursor": 17, "idempotency_key": "http:g1:e1:0", "created_at": "2026-11-21T10:00:00Z",
///  "action": {"kind": "delete_message", "group": "g1", "message": "m1"}}
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ActionEnvelope {
    /// The action's position in the outbox: pass the last one seen as
    /// `after` to get the next page, and acknowledge by it.
    pub cursor: i64,
    /// Unique per action and stable across retries: drop a repeat.
    pub idempotency_key: String,
    /// When Steward decided it.
    #[schema(value_type = String, format = DateTime)]
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// The action: `kind`, `group` and the kind's own fields.
    #[schema(value_type = Object)]
    pub action: PlannedAction,
}

impl From<&OutboxRow> for ActionEnvelope {
    fn from(row: &OutboxRow) -> ActionEnvelope {
        ActionEnvelope {
            cursor: row.id.0,
            idempotency_key: row.idempotency_key.clone(),
            created_at: row.created_at,
            action: row.action.clone(),
        }
    }
}

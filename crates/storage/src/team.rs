//! The dashboard team: invitations, role changes, removals, each user's
//! language and API tokens as the settings page lists them.
//!
//! Removing a user keeps their row (audit entries name them) but sets
//! `disabled_at`, ends their sessions and revokes their tokens.

use steward_core::model::DashboardUser;
use steward_core::{Role, Timestamp, UserId};

use crate::accounts::user_from;
use crate::backend::{on_pool, on_tx};
use crate::{Result, Store, Tx, from_millis, to_millis};

/// A team member as the settings page shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamMember {
    /// The user.
    pub user: DashboardUser,
    /// When they joined the team.
    pub created_at: Timestamp,
    /// Their dashboard language, if they picked one.
    pub language: Option<String>,
}

/// An API token as listed (the token itself is never stored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenInfo {
    /// Its row id.
    pub id: i64,
    /// The label given at creation.
    pub label: String,
    /// When it was made.
    pub created_at: Timestamp,
    /// When it was revoked.
    pub revoked_at: Option<Timestamp>,
}

/// An invitation that has not been used yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingInvite {
    /// The role it gives.
    pub role: Role,
    /// Who made it.
    pub created_by: String,
    /// When it was made.
    pub created_at: Timestamp,
    /// When it stops working.
    pub expires_at: Timestamp,
}

impl Tx {
    /// Uses up an invitation; the role it gives, or `None` when it is
    /// unknown, used or expired.
    pub async fn consume_invite(
        &mut self,
        token_hash: &str,
        used_by: &str,
        now: Timestamp,
    ) -> Result<Option<Role>> {
        let sql = "UPDATE invites SET used_at = $1, used_by = $2
                   WHERE token_hash = $3 AND used_at IS NULL AND expires_at > $1 RETURNING role";
        let role: Option<String> = on_tx!(self, conn => sqlx::query_scalar(sql)
            .bind(to_millis(now))
            .bind(used_by)
            .bind(token_hash)
            .fetch_optional(conn)
            .await?);
        role.map(|r| r.parse().map_err(|e| crate::corrupt("invites", e)))
            .transpose()
    }

    /// Changes a user's role; false when there is no such active user.
    pub async fn set_user_role(&mut self, user: UserId, role: Role) -> Result<bool> {
        let sql = "UPDATE users SET role = $1 WHERE id = $2 AND disabled_at IS NULL";
        let n = on_tx!(self, conn => sqlx::query(sql).bind(role.as_str()).bind(user.0).execute(conn).await?.rows_affected());
        Ok(n == 1)
    }

    /// Removes a user from the team: no more sign-in, sessions ended, tokens
    /// revoked. False when there is no such active user.
    pub async fn disable_user(&mut self, user: UserId, now: Timestamp) -> Result<bool> {
        let sql = "UPDATE users SET disabled_at = $1 WHERE id = $2 AND disabled_at IS NULL";
        let n = on_tx!(self, conn => sqlx::query(sql).bind(to_millis(now)).bind(user.0).execute(conn).await?.rows_affected());
        on_tx!(self, conn => sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user.0).execute(conn).await?.rows_affected());
        let sql = "UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL";
        on_tx!(self, conn => sqlx::query(sql).bind(to_millis(now)).bind(user.0).execute(conn).await?.rows_affected());
        Ok(n == 1)
    }

    /// Revokes one of a user's API tokens; false when it is not theirs or
    /// already revoked.
    pub async fn revoke_token(&mut self, user: UserId, token: i64, now: Timestamp) -> Result<bool> {
        let sql = "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL";
        let n = on_tx!(self, conn => sqlx::query(sql).bind(to_millis(now)).bind(token).bind(user.0).execute(conn).await?.rows_affected());
        Ok(n == 1)
    }
}

impl Store {
    /// Stores a one-time invitation for `role`.
    pub async fn insert_invite(
        &self,
        token_hash: &str,
        role: Role,
        created_by: &str,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<()> {
        let sql = "INSERT INTO invites (token_hash, role, created_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)";
        on_pool!(self, pool => sqlx::query(sql)
            .bind(token_hash)
            .bind(role.as_str())
            .bind(created_by)
            .bind(to_millis(now))
            .bind(to_millis(expires_at))
            .execute(pool).await?.rows_affected());
        Ok(())
    }

    /// The role an unused, unexpired invitation gives.
    pub async fn invite_role(&self, token_hash: &str, now: Timestamp) -> Result<Option<Role>> {
        let sql = "SELECT role FROM invites WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2";
        let role: Option<String> = on_pool!(self, pool => sqlx::query_scalar(sql).bind(token_hash).bind(to_millis(now)).fetch_optional(pool).await?);
        role.map(|r| r.parse().map_err(|e| crate::corrupt("invites", e)))
            .transpose()
    }

    /// Invitations not used yet and not expired, newest first.
    pub async fn pending_invites(&self, now: Timestamp) -> Result<Vec<PendingInvite>> {
        let sql = "SELECT role, created_by, created_at, expires_at FROM invites
                   WHERE used_at IS NULL AND expires_at > $1 ORDER BY created_at DESC";
        let rows: Vec<(String, String, i64, i64)> =
            on_pool!(self, pool => sqlx::query_as(sql).bind(to_millis(now)).fetch_all(pool).await?);
        rows.into_iter()
            .map(|(role, created_by, created_at, expires_at)| {
                Ok(PendingInvite {
                    role: role.parse().map_err(|e| crate::corrupt("invites", e))?,
                    created_by,
                    created_at: from_millis(created_at),
                    expires_at: from_millis(expires_at),
                })
            })
            .collect()
    }

    /// The active team, in id order.
    pub async fn team(&self) -> Result<Vec<TeamMember>> {
        let sql = "SELECT id, name, role, created_at, language FROM users WHERE disabled_at IS NULL ORDER BY id";
        let rows: Vec<(i64, String, String, i64, Option<String>)> =
            on_pool!(self, pool => sqlx::query_as(sql).fetch_all(pool).await?);
        rows.into_iter()
            .map(|(id, name, role, created_at, language)| {
                Ok(TeamMember {
                    user: user_from(id, name, role)?,
                    created_at: from_millis(created_at),
                    language,
                })
            })
            .collect()
    }

    /// An active user by id.
    pub async fn user(&self, user: UserId) -> Result<Option<DashboardUser>> {
        let sql = "SELECT id, name, role FROM users WHERE id = $1 AND disabled_at IS NULL";
        let row: Option<(i64, String, String)> =
            on_pool!(self, pool => sqlx::query_as(sql).bind(user.0).fetch_optional(pool).await?);
        row.map(|(id, name, role)| user_from(id, name, role))
            .transpose()
    }

    /// Sets (or with `None` clears) the user's dashboard language.
    pub async fn set_user_language(&self, user: UserId, language: Option<&str>) -> Result<()> {
        let sql = "UPDATE users SET language = $1 WHERE id = $2";
        on_pool!(self, pool => sqlx::query(sql).bind(language).bind(user.0).execute(pool).await?.rows_affected());
        Ok(())
    }

    /// A user's API tokens, newest first.
    pub async fn user_tokens(&self, user: UserId) -> Result<Vec<TokenInfo>> {
        let sql = "SELECT id, label, created_at, revoked_at FROM api_tokens WHERE user_id = $1 ORDER BY id DESC";
        let rows: Vec<(i64, String, i64, Option<i64>)> =
            on_pool!(self, pool => sqlx::query_as(sql).bind(user.0).fetch_all(pool).await?);
        Ok(rows
            .into_iter()
            .map(|(id, label, created_at, revoked_at)| TokenInfo {
                id,
                label,
                created_at: from_millis(created_at),
                revoked_at: revoked_at.map(from_millis),
            })
            .collect())
    }
}

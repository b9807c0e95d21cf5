//! Dashboard users, API tokens, dashboard sessions and the one-time setup
//! link. Secrets are stored only as SHA-256 hashes (tokens, session ids) or
//! argon2 hashes (passwords, hashed by the caller).

use sha2::{Digest, Sha256};
use steward_core::model::DashboardUser;
use steward_core::{Role, Timestamp, UserId};

use crate::backend::{on_pool, on_tx};
use crate::{Result, Store, Tx, corrupt, to_millis};

/// The SHA-256 hash, in hex, under which a token or session id is stored.
/// Tokens are long random strings, so a fast hash is enough to make a leaked
/// database useless for logging in.
pub fn hash_secret(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// A dashboard session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// The user.
    pub user: DashboardUser,
    /// The CSRF token state-changing requests must echo.
    pub csrf_token: String,
    /// The language the user picked for the dashboard (`zh`, `ru`, `en`).
    pub language: Option<String>,
}

pub(crate) fn user_from(id: i64, name: String, role: String) -> Result<DashboardUser> {
    Ok(DashboardUser {
        id: UserId(id),
        name,
        role: role.parse().map_err(|e| corrupt("users", e))?,
    })
}

impl Tx {
    /// Creates a user; `None` when the name is taken.
    pub async fn insert_user(
        &mut self,
        name: &str,
        role: Role,
        password_hash: Option<&str>,
        now: Timestamp,
    ) -> Result<Option<UserId>> {
        let sql =
            "INSERT INTO users (name, role, password_hash, created_at) VALUES ($1, $2, $3, $4)
                   ON CONFLICT (name) DO NOTHING RETURNING id";
        let id: Option<i64> = on_tx!(self, conn => sqlx::query_scalar(sql)
            .bind(name)
            .bind(role.as_str())
            .bind(password_hash)
            .bind(to_millis(now))
            .fetch_optional(conn)
            .await?);
        Ok(id.map(UserId))
    }

    /// Stores the hash of a new API token for a user.
    pub async fn insert_token(
        &mut self,
        user: UserId,
        token_hash: &str,
        label: &str,
        now: Timestamp,
    ) -> Result<()> {
        let sql = "INSERT INTO api_tokens (user_id, token_hash, label, created_at) VALUES ($1, $2, $3, $4)";
        on_tx!(self, conn => sqlx::query(sql).bind(user.0).bind(token_hash).bind(label).bind(to_millis(now)).execute(conn).await?.rows_affected());
        Ok(())
    }

    /// Uses up a setup link; false when it is unknown, used or expired.
    pub async fn consume_setup_token(&mut self, token_hash: &str, now: Timestamp) -> Result<bool> {
        let sql = "UPDATE setup_tokens SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1";
        let n = on_tx!(self, conn => sqlx::query(sql).bind(to_millis(now)).bind(token_hash).execute(conn).await?.rows_affected());
        Ok(n == 1)
    }
}

impl Store {
    /// The user with this name, and their password hash.
    pub async fn find_user(&self, name: &str) -> Result<Option<(DashboardUser, Option<String>)>> {
        let sql = "SELECT id, name, role, password_hash FROM users WHERE name = $1 AND disabled_at IS NULL";
        let row: Option<(i64, String, String, Option<String>)> =
            on_pool!(self, pool => sqlx::query_as(sql).bind(name).fetch_optional(pool).await?);
        row.map(|(id, name, role, hash)| Ok((user_from(id, name, role)?, hash)))
            .transpose()
    }

    /// Every user, in id order.
    pub async fn list_users(&self) -> Result<Vec<DashboardUser>> {
        let sql = "SELECT id, name, role FROM users WHERE disabled_at IS NULL ORDER BY id";
        let rows: Vec<(i64, String, String)> =
            on_pool!(self, pool => sqlx::query_as(sql).fetch_all(pool).await?);
        rows.into_iter()
            .map(|(id, name, role)| user_from(id, name, role))
            .collect()
    }

    /// Whether an owner account exists.
    pub async fn has_owner(&self) -> Result<bool> {
        let sql = "SELECT COUNT(*) FROM users WHERE role = 'owner'";
        let n: i64 = on_pool!(self, pool => sqlx::query_scalar(sql).fetch_one(pool).await?);
        Ok(n > 0)
    }

    /// The user an API token belongs to, if the token is valid.
    pub async fn user_by_token(&self, token_hash: &str) -> Result<Option<DashboardUser>> {
        let sql = "SELECT u.id, u.name, u.role FROM api_tokens t JOIN users u ON u.id = t.user_id
                   WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.disabled_at IS NULL";
        let row: Option<(i64, String, String)> = on_pool!(self, pool => sqlx::query_as(sql).bind(token_hash).fetch_optional(pool).await?);
        row.map(|(id, name, role)| user_from(id, name, role))
            .transpose()
    }

    /// Starts a dashboard session.
    pub async fn insert_session(
        &self,
        id_hash: &str,
        user: UserId,
        csrf_token: &str,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<()> {
        let sql = "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)";
        on_pool!(self, pool => sqlx::query(sql)
            .bind(id_hash)
            .bind(user.0)
            .bind(csrf_token)
            .bind(to_millis(now))
            .bind(to_millis(expires_at))
            .execute(pool).await?.rows_affected());
        Ok(())
    }

    /// The live session with this id.
    pub async fn find_session(&self, id_hash: &str, now: Timestamp) -> Result<Option<Session>> {
        let sql = "SELECT u.id, u.name, u.role, s.csrf_token, u.language FROM sessions s JOIN users u ON u.id = s.user_id
                   WHERE s.id_hash = $1 AND s.expires_at > $2 AND u.disabled_at IS NULL";
        let row: Option<(i64, String, String, String, Option<String>)> = on_pool!(self, pool => sqlx::query_as(sql)
            .bind(id_hash)
            .bind(to_millis(now))
            .fetch_optional(pool)
            .await?);
        row.map(|(id, name, role, csrf_token, language)| {
            Ok(Session {
                user: user_from(id, name, role)?,
                csrf_token,
                language,
            })
        })
        .transpose()
    }

    /// Ends one session.
    pub async fn delete_session(&self, id_hash: &str) -> Result<()> {
        on_pool!(self, pool => sqlx::query("DELETE FROM sessions WHERE id_hash = $1").bind(id_hash).execute(pool).await?.rows_affected());
        Ok(())
    }

    /// Ends every session of a user ("log out everywhere").
    pub async fn delete_user_sessions(&self, user: UserId) -> Result<u64> {
        let n = on_pool!(self, pool => sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user.0).execute(pool).await?.rows_affected());
        Ok(n)
    }

    /// Stores a one-time setup link.
    pub async fn insert_setup_token(
        &self,
        token_hash: &str,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<()> {
        let sql =
            "INSERT INTO setup_tokens (token_hash, created_at, expires_at) VALUES ($1, $2, $3)";
        on_pool!(self, pool => sqlx::query(sql).bind(token_hash).bind(to_millis(now)).bind(to_millis(expires_at)).execute(pool).await?.rows_affected());
        Ok(())
    }
}

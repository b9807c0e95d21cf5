//! Rule sets edited over the API: every change is a new version, so the
//! history of a group's rules can be read back.

use crate::backend::{on_pool, on_tx};
use crate::{Result, Store, Tx, from_millis, to_millis};
use steward_core::Timestamp;

/// A stored version of the rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleVersion {
    /// The version number, increasing.
    pub id: i64,
    /// The rule set, as JSON.
    pub rules: String,
    /// When it was saved.
    pub created_at: Timestamp,
    /// Who saved it.
    pub created_by: String,
    /// Why.
    pub comment: Option<String>,
}

impl Tx {
    /// Saves a new version; returns its number.
    pub async fn insert_rule_version(
        &mut self,
        rules: &str,
        by: &str,
        comment: Option<&str>,
        at: Timestamp,
    ) -> Result<i64> {
        let sql = "INSERT INTO rule_versions (rules, created_at, created_by, comment) VALUES ($1, $2, $3, $4) RETURNING id";
        let id = on_tx!(self, conn => sqlx::query_scalar(sql)
            .bind(rules)
            .bind(to_millis(at))
            .bind(by)
            .bind(comment)
            .fetch_one(conn)
            .await?);
        Ok(id)
    }
}

impl Store {
    /// The newest versions first.
    pub async fn rule_versions(&self, limit: i64) -> Result<Vec<RuleVersion>> {
        let sql = "SELECT id, rules, created_at, created_by, comment FROM rule_versions ORDER BY id DESC LIMIT $1";
        let rows: Vec<(i64, String, i64, String, Option<String>)> =
            on_pool!(self, pool => sqlx::query_as(sql).bind(limit).fetch_all(pool).await?);
        Ok(rows
            .into_iter()
            .map(|(id, rules, at, by, comment)| RuleVersion {
                id,
                rules,
                created_at: from_millis(at),
                created_by: by,
                comment,
            })
            .collect())
    }
}

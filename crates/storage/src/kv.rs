//! Small named values that must survive restarts: adapter offsets, sync
//! tokens, cursors.

use crate::backend::{on_pool, on_tx};
use crate::{Result, Store, Tx};

impl Store {
    /// The value stored under `name`.
    pub async fn kv_get(&self, name: &str) -> Result<Option<String>> {
        let sql = "SELECT value FROM kv WHERE name = $1";
        let value = on_pool!(self, pool => sqlx::query_scalar(sql)
            .bind(name)
            .fetch_optional(pool)
            .await?);
        Ok(value)
    }

    /// Stores `value` under `name`, replacing what was there.
    pub async fn kv_set(&self, name: &str, value: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.kv_set(name, value).await?;
        tx.commit().await
    }
}

impl Tx {
    /// The value stored under `name`, read in this transaction.
    pub async fn kv_get(&mut self, name: &str) -> Result<Option<String>> {
        let sql = "SELECT value FROM kv WHERE name = $1";
        let value = on_tx!(self, conn => sqlx::query_scalar(sql)
            .bind(name)
            .fetch_optional(conn)
            .await?);
        Ok(value)
    }

    /// Stores `value` under `name` in this transaction, so an offset can move
    /// together with the events it covers.
    pub async fn kv_set(&mut self, name: &str, value: &str) -> Result<()> {
        let sql = "INSERT INTO kv (name, value) VALUES ($1, $2)
                   ON CONFLICT (name) DO UPDATE SET value = excluded.value";
        on_tx!(self, conn => sqlx::query(sql).bind(name).bind(value).execute(conn).await?.rows_affected());
        Ok(())
    }
}

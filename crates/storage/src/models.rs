//! Learned models (the spam classifier), stored whole as bytes under a name.

use steward_core::Timestamp;

use crate::backend::on_pool;
use crate::{Result, Store, to_millis};

impl Store {
    /// The model stored under `name`.
    pub async fn load_model(&self, name: &str) -> Result<Option<Vec<u8>>> {
        let sql = "SELECT data FROM models WHERE name = $1";
        let data =
            on_pool!(self, pool => sqlx::query_scalar(sql).bind(name).fetch_optional(pool).await?);
        Ok(data)
    }

    /// Stores a model under `name`, replacing the one there.
    pub async fn save_model(&self, name: &str, data: &[u8], at: Timestamp) -> Result<()> {
        let sql = "INSERT INTO models (name, data, updated_at) VALUES ($1, $2, $3)
                   ON CONFLICT (name) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at";
        on_pool!(self, pool => sqlx::query(sql)
            .bind(name)
            .bind(data)
            .bind(to_millis(at))
            .execute(pool)
            .await?
            .rows_affected());
        Ok(())
    }
}

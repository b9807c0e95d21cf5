//! Throwaway stores for tests, one per backend, so every test suite can run
//! against both.
//!
//! The PostgreSQL store is a fresh database on the server named by
//! `STEWARD_TEST_DATABASE_URL` (which `scripts/test` sets), dropped when the
//! [`TestStore`] is dropped. Without that variable the PostgreSQL half of a
//! suite is skipped with a note, except under CI, where it fails.

use std::str::FromStr;

use rand::Rng;
use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection};

use crate::Store;

/// A store that cleans up after itself.
#[derive(Debug)]
pub struct TestStore {
    /// The store.
    pub store: Store,
    /// The URL it was opened with.
    pub url: String,
    cleanup: Cleanup,
}

#[derive(Debug)]
enum Cleanup {
    Dir(#[allow(dead_code)] tempfile::TempDir),
    Database { admin: String, name: String },
}

/// The backends a suite runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestBackend {
    /// A SQLite file in a temporary folder.
    Sqlite,
    /// A fresh PostgreSQL database.
    Postgres,
}

impl TestStore {
    /// A fresh store on `backend`; `None` when PostgreSQL is not configured
    /// (outside CI).
    pub async fn new(backend: TestBackend) -> Option<TestStore> {
        match backend {
            TestBackend::Sqlite => Some(TestStore::sqlite().await),
            TestBackend::Postgres => TestStore::postgres().await,
        }
    }

    /// A fresh SQLite store.
    pub async fn sqlite() -> TestStore {
        let dir = tempfile::tempdir().expect("temporary folder");
        let url = format!("sqlite://{}", dir.path().join("steward.db").display());
        let store = Store::open(&url).await.expect("open sqlite store");
        TestStore {
            store,
            url,
            cleanup: Cleanup::Dir(dir),
        }
    }

    /// A fresh PostgreSQL database, if `STEWARD_TEST_DATABASE_URL` is set.
    pub async fn postgres() -> Option<TestStore> {
        let Some(admin) = postgres_admin_url() else {
            eprintln!("note: STEWARD_TEST_DATABASE_URL is not set; PostgreSQL half skipped");
            return None;
        };
        let name = format!("steward_test_{:016x}", rand::thread_rng().r#gen::<u64>());
        let options = PgConnectOptions::from_str(&admin).expect("STEWARD_TEST_DATABASE_URL");
        let mut conn = options.connect().await.expect("connect to test PostgreSQL");
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut conn)
            .await
            .expect("create test database");
        conn.close().await.ok();
        let url = options.database(&name).to_url_lossy().to_string();
        let store = Store::open(&url).await.expect("open postgres store");
        Some(TestStore {
            store,
            url,
            cleanup: Cleanup::Database { admin, name },
        })
    }
}

/// The admin URL of the test server; panics under CI when it is missing,
/// because a CI run must test both backends.
pub fn postgres_admin_url() -> Option<String> {
    match std::env::var("STEWARD_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var_os("CI").is_some() => {
            panic!("CI must test PostgreSQL: set STEWARD_TEST_DATABASE_URL (scripts/test does)")
        }
        _ => None,
    }
}

impl Drop for TestStore {
    fn drop(&mut self) {
        let Cleanup::Database { admin, name } = &self.cleanup else {
            return;
        };
        let (admin, name) = (admin.clone(), name.clone());
        // Drop runs inside the test's runtime, which cannot block on itself.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            runtime.block_on(async {
                let options = PgConnectOptions::from_str(&admin).ok()?;
                let mut conn = options.connect().await.ok()?;
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                )))
                .execute(&mut conn)
                .await
                .ok()
            })
        });
        let _ = dropped.join();
    }
}

/// Runs an async test body once per backend: `both_backends!(name, |store| async { ... })`.
#[macro_export]
macro_rules! both_backends {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let test_store = $crate::testing::TestStore::sqlite().await;
                ($body)(test_store.store.clone()).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(test_store) = $crate::testing::TestStore::postgres().await {
                    ($body)(test_store.store.clone()).await;
                }
            }
        }
    };
}

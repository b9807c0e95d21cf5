//! Nothing lost, nothing twice: `steward serve` is killed with SIGKILL in the
//! middle of ingesting and delivering, restarted, and every event is stored
//! once and every action reaches the webhook, on SQLite and PostgreSQL.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use serde_json::{Value, json};
use steward_storage::Store;
use steward_storage::testing::TestStore;

const INGEST_TOKEN: &str = "crash-test-token";
const SECRET: &str = "crash-test-secret";
const BATCHES: usize = 24;
const PER_BATCH: usize = 10;

/// What the webhook receiver saw: deliveries per idempotency key.
#[derive(Default)]
struct Received {
    deliveries: BTreeMap<String, usize>,
    bad_signatures: usize,
}

async fn start_receiver() -> (String, Arc<Mutex<Received>>) {
    let received = Arc::new(Mutex::new(Received::default()));
    let state = received.clone();
    let handler = move |headers: HeaderMap, body: Bytes| {
        let state = state.clone();
        async move {
            // Slow enough that actions are in flight when the process dies.
            tokio::time::sleep(Duration::from_millis(5)).await;
            let header = |name: &str| {
                headers
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("")
                    .to_owned()
            };
            let timestamp: i64 = header("x-steward-timestamp").parse().unwrap_or(0);
            let ok = steward_adapter_http::verify(
                SECRET.as_bytes(),
                timestamp,
                &body,
                &header("x-steward-signature"),
            );
            let envelope: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
            let key = envelope["idempotency_key"]
                .as_str()
                .unwrap_or("")
                .to_owned();
            let mut received = state.lock().unwrap();
            if !ok || key.is_empty() || key != header("idempotency-key") {
                received.bad_signatures += 1;
                return StatusCode::UNAUTHORIZED;
            }
            *received.deliveries.entry(key).or_default() += 1;
            StatusCode::OK
        }
    };
    let app = axum::Router::new().route("/hook", axum::routing::post(handler));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, received)
}

struct Steward {
    child: Child,
    base: String,
}

impl Drop for Steward {
    fn drop(&mut self) {
        // A failing test must not leave a server behind.
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

fn start_steward(data_dir: &Path, database_url: &str, hook: &str) -> Steward {
    let config = data_dir.join("steward.toml");
    std::fs::write(
        &config,
        concat!(
            "[outbox]\nlease_seconds = 2\n\n[ingest.delivery]\nper_second = 10000\nper_group_per_minute = 100000\n",
            // The same spam in three groups is a wave; this test is about
            // delivery, so every event stays a plain first offence.
            "[moderation.behaviour]\nwave = { count = 0, seconds = 1 }\nrepeat = { count = 0, seconds = 1 }\n",
        ),
    )
    .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_steward"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("STEWARD_CONFIG", &config)
        .env("STEWARD_DATA_DIR", data_dir)
        .env("STEWARD_DATABASE_URL", database_url)
        .env("STEWARD_INGEST_TOKEN", INGEST_TOKEN)
        .env("STEWARD_WEBHOOK_URL", hook)
        .env("STEWARD_WEBHOOK_SECRET", SECRET)
        .env("STEWARD_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start steward");
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let base = loop {
        let line = lines
            .next()
            .expect("steward exited before listening")
            .unwrap();
        if let Some(addr) = line.strip_prefix("steward listening on ") {
            break addr.trim().to_owned();
        }
    };
    // Keep draining stdout so the child never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Steward { child, base }
}

fn spam_batch(batch: usize) -> Value {
    let events: Vec<Value> = (0..PER_BATCH)
        .map(|i| {
            let n = batch * PER_BATCH + i;
            json!({
                "id": format!("e{n}"), "group": {"id": format!("g{}", n % 3)},
                "at": "2026-11-21T10:00:00Z", "kind": "message",
                // A new member each time: every event is a first offence (delete + warn).
                "member": {"id": format!("u{n}"), "name": format!("spammer {n}")},
                "message": {"id": format!("m{n}"), "text": format!("Crypto airdrop {n}! Claim now")}
            })
        })
        .collect();
    Value::Array(events)
}

/// Sends a batch; `None` if the process died before answering.
async fn send(client: &reqwest::Client, base: &str, batch: usize) -> Option<Vec<(String, String)>> {
    let response = client
        .post(format!("{base}/api/v1/ingest"))
        .bearer_auth(INGEST_TOKEN)
        .json(&spam_batch(batch))
        .send()
        .await
        .ok()?;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.ok()?;
    Some(
        body["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["id"].as_str().unwrap().to_owned(),
                    r["status"].as_str().unwrap().to_owned(),
                )
            })
            .collect(),
    )
}

async fn crash_and_recover(database_url: String, check_store: impl AsyncFnOnce() -> Store) {
    let data_dir = tempfile::tempdir().unwrap();
    let (hook, received) = start_receiver().await;
    let client = reqwest::Client::new();
    let mut accepted: BTreeMap<String, usize> = BTreeMap::new();
    let mut record = |results: Vec<(String, String)>| {
        for (id, status) in results {
            assert!(
                status == "accepted" || status == "duplicate",
                "{id}: {status}"
            );
            if status == "accepted" {
                *accepted.entry(id).or_default() += 1;
            }
        }
    };

    // First life: half the batches answered, then a burst cut off by SIGKILL.
    let first = start_steward(data_dir.path(), &database_url, &hook);
    for batch in 0..BATCHES / 2 {
        record(
            send(&client, &first.base, batch)
                .await
                .expect("answered before the crash"),
        );
    }
    let burst: Vec<_> = (BATCHES / 2..BATCHES)
        .map(|batch| {
            let (client, base) = (client.clone(), first.base.clone());
            tokio::spawn(async move { send(&client, &base, batch).await })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(40)).await;
    drop(first); // SIGKILL: no shutdown, no flush.
    for task in burst {
        if let Some(results) = task.await.unwrap() {
            record(results);
        }
    }
    let delivered_before = received.lock().unwrap().deliveries.len();

    // Second life: the client resends every batch, as a client that lost
    // answers would; events already taken must come back as duplicates.
    let second = start_steward(data_dir.path(), &database_url, &hook);
    for batch in 0..BATCHES {
        record(
            send(&client, &second.base, batch)
                .await
                .expect("answered after restart"),
        );
    }
    let n_events = BATCHES * PER_BATCH;
    let expected_keys: BTreeSet<String> = (0..n_events)
        .flat_map(|n| (0..2).map(move |i| format!("http:g{}:e{n}:{i}", n % 3)))
        .collect();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let have: BTreeSet<String> = received
            .lock()
            .unwrap()
            .deliveries
            .keys()
            .cloned()
            .collect();
        if have == expected_keys {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "only {} of {} actions delivered",
            have.len(),
            expected_keys.len()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // The receiver has everything; the last answers may still be on their
    // way into the outbox. Stop once it says nothing is pending.
    loop {
        let ready: Value = client
            .get(format!("{}/readyz", second.base))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if ready["pending_actions"] == 0 {
            break;
        }
        assert!(Instant::now() < deadline, "actions still pending: {ready}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    drop(second);

    // No event accepted twice across both lives. An event whose answer was
    // lost in the kill comes back `duplicate`: it was stored then, and the
    // store's count below shows none is missing.
    assert!(accepted.len() <= n_events);
    assert!(
        accepted.values().all(|&n| n == 1),
        "an event was processed twice"
    );
    let (bad_signatures, repeats) = {
        let received = received.lock().unwrap();
        let repeats: usize = received.deliveries.values().map(|n| n - 1).sum();
        (received.bad_signatures, repeats)
    };
    assert_eq!(bad_signatures, 0);
    // Repeats are possible only for actions in flight at the kill, and carry
    // the same idempotency key; the claim batch (50) bounds them.
    assert!(repeats <= 50, "{repeats} repeated deliveries");
    eprintln!(
        "crash test: {n_events} events, {} actions; {delivered_before} delivered before the kill, {repeats} repeated after",
        expected_keys.len()
    );
    let store = check_store().await;
    assert_eq!(
        store.count_events().await.unwrap(),
        i64::try_from(n_events).unwrap()
    );
    let counts = store.outbox_counts().await.unwrap();
    assert_eq!(
        (counts.pending, counts.done, counts.failed),
        (0, i64::try_from(2 * n_events).unwrap(), 0)
    );
    assert_eq!(
        store.count_audit().await.unwrap(),
        i64::try_from(2 * n_events).unwrap()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_survives_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("steward.db");
    let url = format!("sqlite://{}", db.display());
    crash_and_recover(url, async || Store::open_sqlite(&db).await.unwrap()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_survives_kill_9() {
    let Some(test_store) = TestStore::postgres().await else {
        return;
    };
    let store = test_store.store.clone();
    crash_and_recover(test_store.url.clone(), async || store).await;
}

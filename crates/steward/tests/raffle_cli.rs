//! `steward raffle verify` and `steward raffle export` as a user drives them:
//! a raffle opened, entered by `/enter` on the HTTP platform and drawn;
//! its verification file exported, checked OK from the file and from the
//! store, and refused (exit 1, the mismatch named) once its seed, an entry
//! or a winner is changed. On both backends.

use std::path::Path;
use std::process::{Command, Output};

use chrono::{Duration, Utc};
use serde_json::Value;
use steward_core::i18n::Lang;
use steward_core::raffle::Eligibility;
use steward_core::{EventPayload, GroupRef, IncomingEvent, MemberRef, MessageContent, Platform};
use steward_moderation::{Ladder, RuleSet};
use steward_runtime::{GroupSettings, Pipeline, RaffleSpec};
use steward_storage::testing::TestStore;

/// A change made to a verification file.
type Tamper = Box<dyn Fn(&mut Value)>;

fn run(dir: &Path, url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_steward"))
        .env_remove("STEWARD_CONFIG")
        .env_remove("STEWARD_INGEST_TOKEN")
        .env("STEWARD_DATA_DIR", dir.join("data"))
        .env("STEWARD_DATABASE_URL", url)
        .env("STEWARD_LOG", "warn")
        .args(args)
        .output()
        .expect("run steward")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A drawn raffle with three entries; returns its id.
async fn drawn_raffle(store: steward_storage::Store) -> i64 {
    let pipeline = Pipeline::new(
        store.clone(),
        RuleSet::default_rules(),
        Ladder::default(),
        Lang::En,
    )
    .unwrap();
    pipeline
        .configure_group(
            Platform::Http,
            "g1",
            Some("Raffle Group"),
            &GroupSettings {
                community: None,
                language: Lang::En,
                chat: Default::default(),
            },
        )
        .await
        .unwrap();
    let group = store
        .find_group(Platform::Http, "g1")
        .await
        .unwrap()
        .unwrap()
        .id;
    let now = Utc::now();
    let id = pipeline
        .open_raffle(
            &RaffleSpec {
                group,
                title: "Stickers".into(),
                prize: "A sticker pack".into(),
                winners: 2,
                ends: now + Duration::hours(1),
                eligibility: Eligibility::default(),
            },
            "user:owner",
            now,
        )
        .await
        .unwrap();
    let events: Vec<IncomingEvent> = ["u100", "u7", "u42"]
        .iter()
        .enumerate()
        .map(|(i, member)| IncomingEvent {
            platform: Platform::Http,
            event_id: format!("e{i}"),
            group: GroupRef {
                id: "g1".into(),
                title: None,
            },
            member: MemberRef::with_id(*member),
            at: now + Duration::seconds(i as i64 + 1),
            payload: EventPayload::Message {
                message: MessageContent {
                    id: format!("m{i}"),
                    text: "/enter".into(),
                    ..MessageContent::default()
                },
            },
        })
        .collect();
    pipeline.ingest(&events, now).await.unwrap();
    assert_eq!(store.raffle_entries(id).await.unwrap().len(), 3);
    assert!(
        pipeline
            .close_raffle(id, "user:owner", now + Duration::minutes(5))
            .await
            .unwrap()
    );
    id
}

async fn verify_round_trip(test: TestStore) {
    let id = drawn_raffle(test.store.clone()).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();
    let file = path.join("raffle.json");
    let file_arg = file.to_str().unwrap();
    let exported = run(
        path,
        &test.url,
        &[
            "raffle",
            "export",
            "--raffle",
            &id.to_string(),
            "--out",
            file_arg,
        ],
    );
    assert!(
        exported.status.success(),
        "{}",
        String::from_utf8_lossy(&exported.stderr)
    );
    let published: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(published["entries"].as_array().unwrap().len(), 3);
    assert_eq!(published["winners"].as_array().unwrap().len(), 2);
    assert_eq!(published["seed"].as_str().unwrap().len(), 64);

    let ok = run(path, &test.url, &["raffle", "verify", file_arg]);
    assert_eq!(ok.status.code(), Some(0), "{}", stdout(&ok));
    assert!(stdout(&ok).starts_with("OK"), "{}", stdout(&ok));
    let ok = run(
        path,
        &test.url,
        &["raffle", "verify", "--raffle", &id.to_string()],
    );
    assert_eq!(ok.status.code(), Some(0), "{}", stdout(&ok));

    // Each kind of tampering is refused and named.
    let seed = published["seed"].as_str().unwrap();
    let other_seed = format!(
        "{}{}",
        if seed.starts_with('0') { "1" } else { "0" },
        &seed[1..]
    );
    let loser = published["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| !published["winners"].as_array().unwrap().contains(e))
        .unwrap()
        .clone();
    let cases: Vec<(&str, Tamper)> = vec![
        (
            "seed hash mismatch",
            Box::new(move |v: &mut Value| v["seed"] = other_seed.clone().into()),
        ),
        (
            "entries digest mismatch",
            Box::new(|v: &mut Value| v["entries"][0] = "u999".into()),
        ),
        (
            "winners mismatch",
            Box::new(move |v: &mut Value| v["winners"][0] = loser.clone()),
        ),
    ];
    for (expected, tamper) in cases {
        let mut copy = published.clone();
        tamper(&mut copy);
        let tampered = path.join("tampered.json");
        std::fs::write(&tampered, serde_json::to_string_pretty(&copy).unwrap()).unwrap();
        let out = run(
            path,
            &test.url,
            &["raffle", "verify", tampered.to_str().unwrap()],
        );
        assert_eq!(out.status.code(), Some(1), "{expected}: {}", stdout(&out));
        assert!(stdout(&out).contains("MISMATCH"), "{}", stdout(&out));
        assert!(
            stdout(&out).contains(expected),
            "{expected}: {}",
            stdout(&out)
        );
    }
    // Neither a file nor a raffle: a usage error.
    let neither = run(path, &test.url, &["raffle", "verify"]);
    assert!(!neither.status.success());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verify_on_sqlite() {
    verify_round_trip(TestStore::sqlite().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verify_on_postgres() {
    if let Some(test) = TestStore::postgres().await {
        verify_round_trip(test).await;
    }
}

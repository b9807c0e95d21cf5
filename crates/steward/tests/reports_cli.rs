//! `steward report` and `steward import telegram-export` as a user runs
//! them: a report of the demo community in every format, and a Telegram
//! Desktop export imported twice with nothing doubled, then reported on.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::{Value, json};

fn steward(data_dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_steward"));
    command
        .env_remove("STEWARD_CONFIG")
        .env_remove("STEWARD_DATABASE_URL")
        .env_remove("STEWARD_INGEST_TOKEN")
        .env("STEWARD_DATA_DIR", data_dir)
        .env("STEWARD_LOG", "warn");
    command
}

fn run(command: &mut Command) -> Output {
    let output = command.output().expect("run steward");
    assert!(
        output.status.success(),
        "steward failed: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn the_demo_community_is_reported_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    run(steward(dir.path()).args(["demo", "--no-serve", "--days", "9", "--scale", "0.05"]));
    // The demo's history ends today: the week of three days ago is in it.
    let at = (chrono::Utc::now() - chrono::Duration::days(3))
        .date_naive()
        .to_string();
    let report = |community: &str, format: &str| {
        stdout(&run(steward(dir.path()).args([
            "report",
            "weekly",
            "--community",
            community,
            "--format",
            format,
            "--at",
            &at,
        ])))
    };

    let json: Value = serde_json::from_str(&report("Rust Community", "json")).unwrap();
    let messages = json["current"]["messages"].as_u64().unwrap();
    assert!(messages > 50, "{}", json["current"]);
    assert!(json["current"]["active_members"].as_u64().unwrap() > 5);
    assert_eq!(json["scope"]["kind"], "community");
    assert_eq!(
        json["groups"].as_array().unwrap().len(),
        2,
        "{}",
        json["groups"]
    );
    assert_eq!(json["days"].as_array().unwrap().len(), 7);

    let csv = report("Rust Community", "csv");
    assert!(
        csv.lines()
            .any(|l| l == format!("figures,messages,current,{messages}")),
        "{csv}"
    );
    let markdown = report("Rust Community", "md");
    assert!(markdown.starts_with("# "), "{markdown}");
    assert!(markdown.contains(&messages.to_string()), "{markdown}");
    let html = report("Rust Community", "html");
    assert!(html.to_lowercase().starts_with("<!doctype html>"));
    assert!(html.contains("<svg"), "charts are drawn");
    // The Chinese community's report speaks Chinese.
    let chinese = report("星河咖啡", "md");
    assert!(chinese.contains("每周报告"), "{chinese}");

    // Bad input is named.
    let bad = steward(dir.path())
        .args([
            "report",
            "weekly",
            "--community",
            "Rust Community",
            "--format",
            "pdf",
        ])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("pdf"));
}

/// A small supergroup export in Telegram Desktop's format: 40 messages
/// over two days, a join and a leave.
fn export() -> Value {
    let mut messages = vec![json!({
        "id": 1, "type": "service", "date": "2026-11-02T09:00:00", "date_unixtime": "1793610000",
        "actor": "Dana", "actor_id": "user42", "action": "join_group_by_link", "inviter": "Group",
        "text": "", "text_entities": []
    })];
    for i in 0..40u32 {
        let at = 1_793_610_000 + 3_600 + i64::from(i) * 2_700;
        let user = 40 + i % 4;
        messages.push(json!({
            "id": 2 + i,
            "type": "message",
            "date": "2026-11-02T10:00:00",
            "date_unixtime": at.to_string(),
            "from": format!("Member {user}"),
            "from_id": format!("user{user}"),
            "text": if i % 10 == 0 {
                json!(["see ", {"type": "link", "text": "https://example.org"}])
            } else {
                json!(format!("message number {i} about the reading club"))
            },
            "text_entities": []
        }));
    }
    messages.push(json!({
        "id": 100, "type": "service", "date": "2026-11-03T20:00:00", "date_unixtime": "1793736000",
        "actor": "Member 43", "actor_id": "user43", "action": "remove_members", "members": ["Member 43"],
        "text": "", "text_entities": []
    }));
    json!({"name": "Readers", "type": "private_supergroup", "id": 1555000111, "messages": messages})
}

#[test]
fn an_export_imported_twice_is_stored_once() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("steward.toml");
    std::fs::write(
        &config,
        "[[groups]]\nplatform = \"telegram\"\nid = \"-1001555000111\"\ntitle = \"Readers\"\n",
    )
    .unwrap();
    let file = dir.path().join("result.json");
    std::fs::write(&file, serde_json::to_vec(&export()).unwrap()).unwrap();
    let import = || {
        stdout(&run(steward(dir.path())
            .env("STEWARD_CONFIG", &config)
            .args([
                "import",
                "telegram-export",
                file.to_str().unwrap(),
                "--group",
                "telegram:-1001555000111",
            ])))
    };
    let first = import();
    assert!(first.contains("42 new events, 0 already stored"), "{first}");
    let second = import();
    assert!(
        second.contains("0 new events, 42 already stored"),
        "{second}"
    );

    let report: Value = serde_json::from_str(&stdout(&run(steward(dir.path())
        .env("STEWARD_CONFIG", &config)
        .args([
            "report",
            "weekly",
            "--group",
            "-1001555000111",
            "--format",
            "json",
            "--at",
            "2026-11-03",
        ]))))
    .unwrap();
    let now = &report["current"];
    assert_eq!(now["messages"], 40);
    assert_eq!(now["active_members"], 4);
    assert_eq!(now["joins"], 1);
    assert_eq!(now["leaves"], 1);
    assert_eq!(now["content"]["links"], 4);

    // A file that is not an export is refused by name, and nothing is lost.
    std::fs::write(&file, b"{\"messages\": [{\"id\": \"x\"}]}").unwrap();
    let bad = steward(dir.path())
        .env("STEWARD_CONFIG", &config)
        .args([
            "import",
            "telegram-export",
            file.to_str().unwrap(),
            "--group",
            "-1001555000111",
        ])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    let error = String::from_utf8_lossy(&bad.stderr);
    assert!(
        error.contains("result.json") && error.contains("id"),
        "{error}"
    );
}

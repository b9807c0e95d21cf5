//! The `steward` command as a user drives it: config check, users and
//! tokens, the first-run setup link, and the demo.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

use serde_json::Value;

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
    command.output().expect("run steward")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

struct Server {
    child: Child,
    base: String,
    lines: Vec<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

/// Starts `steward serve` on a free port and reads its first lines.
fn serve(mut command: Command) -> Server {
    let mut child = command
        .args(["serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("start steward");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut seen = Vec::new();
    let base = loop {
        let line = lines
            .next()
            .expect("steward exited before listening")
            .unwrap();
        seen.push(line.clone());
        if let Some(addr) = line.strip_prefix("steward listening on ") {
            break addr.trim().to_owned();
        }
    };
    // The setup link, when there is one, follows the address.
    for line in lines.by_ref().take(2) {
        seen.push(line.unwrap());
    }
    std::thread::spawn(move || for _ in lines {});
    Server {
        child,
        base,
        lines: seen,
    }
}

/// A GET with a bearer token, for tests that run no async runtime.
fn get(url: &str, token: &str) -> (u16, Value) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let response = reqwest::Client::new()
            .get(url)
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    })
}

#[test]
fn config_check_accepts_the_example_and_names_the_line_of_a_mistake() {
    let dir = tempfile::tempdir().unwrap();
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../steward.example.toml");
    let ok = run(steward(dir.path()).args(["config", "check"]).arg(&example));
    assert!(ok.status.success(), "{}", text(&ok.stderr));
    assert!(text(&ok.stdout).starts_with("ok: "));

    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "[server]\nlisten = \"127.0.0.1:8080\"\nmax_batch = -1\n",
    )
    .unwrap();
    let out = run(steward(dir.path()).args(["config", "check"]).arg(&bad));
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(err.contains("bad.toml:3:"), "{err}");
    assert!(err.contains("`server.max_batch`"), "{err}");

    // serve refuses to start on the same file, with the same message.
    let out = run(steward(dir.path()).arg("--config").arg(&bad).arg("serve"));
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("bad.toml:3:"));
}

#[test]
fn users_tokens_and_the_setup_link() {
    let dir = tempfile::tempdir().unwrap();

    // First start with no owner: a one-time setup link.
    let server = serve(steward(dir.path()));
    assert!(
        server
            .lines
            .iter()
            .any(|l| l.contains("/setup?token=setup_")),
        "{:?}",
        server.lines
    );
    drop(server);

    let mut add = steward(dir.path())
        .args(["user", "add", "lead", "--role", "admin", "--password-stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    add.stdin
        .take()
        .unwrap()
        .write_all(b"a long enough password\n")
        .unwrap();
    let out = add.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stdout));
    let again = run(steward(dir.path()).args(["user", "add", "lead", "--role", "viewer"]));
    assert!(!again.status.success());
    assert!(text(&again.stderr).contains("already exists"));
    let bad_role = run(steward(dir.path()).args(["user", "add", "x", "--role", "boss"]));
    assert!(!bad_role.status.success());
    assert!(text(&bad_role.stderr).contains("unknown role `boss`"));
    let listed = run(steward(dir.path()).args(["user", "list"]));
    assert!(text(&listed.stdout).contains("lead\tadmin"));

    let out = run(steward(dir.path()).args(["token", "create", "--user", "lead"]));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let token = text(&out.stdout).trim().to_owned();
    assert!(token.starts_with("stw_"));
    let missing = run(steward(dir.path()).args(["token", "create", "--user", "nobody"]));
    assert!(!missing.status.success());

    let server = serve(steward(dir.path()));
    let (status, body) = get(&format!("{}/api/v1/groups", server.base), &token);
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["groups"], Value::Array(Vec::new()));
    let (status, _) = get(&format!("{}/api/v1/groups", server.base), "stw_wrong");
    assert_eq!(status, 401);
    // An owner is still missing, so the setup link is offered again.
    assert!(server.lines.iter().any(|l| l.contains("/setup?token=")));
}

#[test]
fn the_demo_fills_the_data_folder_once() {
    let dir = tempfile::tempdir().unwrap();
    let args = ["demo", "--no-serve", "--days", "3", "--scale", "0.05"];
    let first = run(steward(dir.path()).args(args));
    assert!(first.status.success(), "{}", text(&first.stderr));
    let summary = text(&first.stdout);
    let stored: u64 = summary
        .split("demo: ")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no summary in {summary:?}"));
    assert!(stored > 100, "{summary}");
    assert!(summary.contains("7 groups"), "{summary}");

    // Deterministic and idempotent: the same run again stores nothing new.
    let second = run(steward(dir.path()).args(args));
    assert!(
        text(&second.stdout).contains(&format!("demo: 0 events stored ({stored} already there)"))
    );

    let token = {
        run(steward(dir.path()).args(["user", "add", "viewer", "--role", "viewer"]));
        text(&run(steward(dir.path()).args(["token", "create", "--user", "viewer"])).stdout)
            .trim()
            .to_owned()
    };
    let server = serve(steward(dir.path()));
    let (_, body) = get(&format!("{}/api/v1/groups", server.base), &token);
    let groups = body["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 7);
    assert!(
        groups
            .iter()
            .any(|g| g["title"] == "Rust по-русски" && g["community"].is_string())
    );
    let messages: i64 = groups
        .iter()
        .map(|g| g["message_count"].as_i64().unwrap())
        .sum();
    assert!(messages > 50);
}

#[test]
fn eval_spam_prints_precision_recall_and_f1() {
    let dir = tempfile::tempdir().unwrap();
    let labeled = dir.path().join("labeled.tsv");
    std::fs::write(
        &labeled,
        "# a few of each\nspam\t兼职刷单日结300，加V：abc123\nham\t大家好，今天的咖啡很好喝\n\
         spam\tЗаработок от 5000 в день без вложений, пиши в лс\nham\tПривет, кто-нибудь пробовал новый релиз?\n\
         spam\tCrypto airdrop! Claim free USDT now at http://free-usdt.example\nham\tDoes anyone know how lifetimes work here?\n",
    )
    .unwrap();
    let out = run(steward(&dir.path().join("data"))
        .args(["eval", "spam", "--labeled"])
        .arg(&labeled));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let metrics: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(metrics["n"], 6);
    for key in ["precision", "recall", "f1"] {
        let value = metrics[key].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&value), "{key} = {value}");
    }
    assert!(metrics["f1"].as_f64().unwrap() > 0.6, "{metrics}");
    assert!(
        !dir.path().join("data").exists(),
        "eval never creates a store"
    );

    std::fs::write(&labeled, "spam\tok\nmaybe\tno\n").unwrap();
    let out = run(steward(dir.path())
        .args(["eval", "spam", "--labeled"])
        .arg(&labeled));
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("line 2"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn rules_test_prints_the_verdict_with_byte_ranges() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(steward(dir.path()).args(["rules", "test", "兼职刷单日结300，加V：abc123"]));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let verdict: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(verdict["verdict"], "violation");
    let hit = &verdict["hits"][0];
    assert!(hit["rule"].is_string() && hit["severity"].is_string());
    let range = &hit["evidence"][0];
    let text = "兼职刷单日结300，加V：abc123";
    let (start, end) = (
        range["start"].as_u64().unwrap() as usize,
        range["end"].as_u64().unwrap() as usize,
    );
    assert!(text.is_char_boundary(start) && text.is_char_boundary(end) && start < end);
    let clean = run(steward(dir.path()).args(["rules", "test", "good morning, everyone"]));
    let verdict: Value = serde_json::from_slice(&clean.stdout).unwrap();
    assert_eq!(verdict["verdict"], "clean");
}

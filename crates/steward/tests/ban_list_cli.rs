//! `steward ban-list` as a user drives it: add, export to a file, import
//! into another community (a bad file named and refused), remove. The
//! accounts are strangers to every group here, so no ban is queued at once
//! (the door check bans them when they arrive).

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn steward(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_steward"));
    command
        .env_remove("STEWARD_CONFIG")
        .env_remove("STEWARD_DATABASE_URL")
        .env_remove("STEWARD_INGEST_TOKEN")
        .env("STEWARD_DATA_DIR", dir.join("data"))
        .env("STEWARD_LOG", "warn")
        .arg("--config")
        .arg(dir.join("steward.toml"));
    command
}

fn run(dir: &Path, args: &[&str]) -> Output {
    steward(dir).args(args).output().expect("run steward")
}

fn json(output: &Output) -> Value {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON on stdout")
}

#[test]
fn export_import_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("steward.toml"),
        r#"
[[groups]]
platform = "http"
id = "a1"
community = "Acme"

[[groups]]
platform = "http"
id = "a2"
community = "Acme"

[[groups]]
platform = "http"
id = "b1"
community = "Beta"
"#,
    )
    .unwrap();
    let path = dir.path();
    let added = json(&run(
        path,
        &[
            "ban-list",
            "add",
            "--community",
            "Acme",
            "--platform",
            "http",
            "--account",
            "spam1",
            "--reason",
            "ads",
        ],
    ));
    assert_eq!(
        (added["bans_queued"].as_u64(), added["spared"].as_u64()),
        (Some(0), Some(0))
    );

    // A Telegram @username is refused, naming the field.
    let refused = run(
        path,
        &[
            "ban-list",
            "add",
            "--community",
            "Acme",
            "--platform",
            "telegram",
            "--account",
            "@spammer",
        ],
    );
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("account") && stderr.contains("numeric id"),
        "{stderr}"
    );

    let file = path.join("acme.json");
    let out = run(
        path,
        &[
            "ban-list",
            "export",
            "--community",
            "Acme",
            "--out",
            file.to_str().unwrap(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let exported: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(exported["format"], "steward-ban-list");
    assert_eq!(exported["entries"][0]["account"], "spam1");
    assert!(exported["entries"][0].get("added_by").is_none());

    let imported = json(&run(
        path,
        &[
            "ban-list",
            "import",
            file.to_str().unwrap(),
            "--community",
            "Beta",
        ],
    ));
    assert_eq!(
        (imported["added"].as_u64(), imported["bans_queued"].as_u64()),
        (Some(1), Some(0))
    );
    let beta = json(&run(path, &["ban-list", "export", "--community", "Beta"]));
    assert_eq!(beta["entries"][0]["account"], "spam1");
    assert_eq!(beta["entries"][0]["reason"], "ads");
    assert_eq!(
        beta["entries"][0]["added_at"],
        exported["entries"][0]["added_at"]
    );

    let bad = path.join("bad.json");
    std::fs::write(
        &bad,
        r#"{"format":"steward-ban-list","version":1,"entries":[{"platform":"http","account":"ok"},{"platform":"fax","account":"2"}]}"#,
    )
    .unwrap();
    let refused = run(
        path,
        &[
            "ban-list",
            "import",
            bad.to_str().unwrap(),
            "--community",
            "Beta",
        ],
    );
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("entries[1].platform"), "{stderr}");
    let beta = json(&run(path, &["ban-list", "export", "--community", "Beta"]));
    assert_eq!(beta["entries"].as_array().unwrap().len(), 1);

    let unknown = run(path, &["ban-list", "export", "--community", "Nope"]);
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("Acme"));

    let removed = json(&run(
        path,
        &[
            "ban-list",
            "remove",
            "--community",
            "Acme",
            "--platform",
            "http",
            "--account",
            "spam1",
            "--unban",
        ],
    ));
    assert_eq!(removed["removed"], true);
    assert_eq!(removed["unbans_queued"], 0);
}

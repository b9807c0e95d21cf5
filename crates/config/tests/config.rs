//! The config file: the example parses, bad files name their line and key,
//! and the environment overrides the file.

use std::path::Path;

use steward_config::{Config, ConfigError};

fn no_env(_: &str) -> Option<String> {
    None
}

#[test]
fn the_example_config_parses() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../steward.example.toml");
    let config = Config::load(Some(&path), no_env).unwrap();
    assert_eq!(config.server.listen.to_string(), "127.0.0.1:8080");
    assert!(!config.groups.is_empty());
}

#[test]
fn defaults_need_no_file() {
    let config = Config::load(None, no_env).unwrap();
    assert_eq!(config.database_url(), "sqlite://./steward-data/steward.db");
    assert_eq!(config.public_url(), "http://127.0.0.1:8080");
    assert!(config.ingest.token.is_empty());
}

fn parse_err(text: &str) -> String {
    match Config::parse(Path::new("steward.toml"), text) {
        Err(e @ ConfigError::Invalid { .. }) => e.to_string(),
        other => panic!("expected an error, got {other:?}"),
    }
}

#[test]
fn a_bad_value_names_file_line_and_key() {
    let err = parse_err("data_dir = \"d\"\n\n[server]\nlisten = \"not an address\"\n");
    assert!(err.starts_with("steward.toml:4:"), "{err}");
    assert!(err.contains("`server.listen`"), "{err}");
    assert!(err.contains("invalid socket address"), "{err}");
}

#[test]
fn an_unknown_key_is_refused_with_what_was_expected() {
    let err = parse_err("[server]\nlisten = \"127.0.0.1:1\"\nlisen = \"x\"\n");
    assert!(err.starts_with("steward.toml:3:"), "{err}");
    assert!(err.contains("unknown field `lisen`"), "{err}");
    assert!(err.contains("expected one of"), "{err}");
}

#[test]
fn a_wrong_type_names_the_key() {
    let err = parse_err("default_language = \"fr\"\n");
    assert!(err.contains("`default_language`"), "{err}");
    assert!(err.contains("zh"), "{err}");
    let err = parse_err("[server]\nmax_batch = \"many\"\n");
    assert!(err.starts_with("steward.toml:2:"), "{err}");
    assert!(err.contains("`server.max_batch`"), "{err}");
}

#[test]
fn broken_toml_names_the_line() {
    let err = parse_err("[server\nlisten = 1\n");
    assert!(err.starts_with("steward.toml:1:"), "{err}");
}

#[test]
fn a_bad_rule_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("steward.toml");
    std::fs::write(
        &path,
        "[[moderation.rules]]\nid = \"phones\"\ndescription = \"d\"\ntype = \"pattern\"\nregex = \"(\"\n",
    )
    .unwrap();
    let err = Config::load(Some(&path), no_env).unwrap_err().to_string();
    assert!(err.contains("`moderation.rules`"), "{err}");
    assert!(err.contains("rule `phones`"), "{err}");
}

#[test]
fn the_environment_overrides_the_file() {
    let env = |name: &str| match name {
        "STEWARD_INGEST_TOKEN" => Some("tok".to_owned()),
        "STEWARD_LISTEN" => Some("0.0.0.0:9000".to_owned()),
        "STEWARD_DATA_DIR" => Some("/var/lib/steward".to_owned()),
        _ => None,
    };
    let config = Config::load(None, env).unwrap();
    assert_eq!(config.ingest.token.expose(), "tok");
    assert_eq!(format!("{:?}", config.ingest.token), "***");
    assert_eq!(config.server.listen.to_string(), "0.0.0.0:9000");
    assert_eq!(
        config.database_url(),
        "sqlite:///var/lib/steward/steward.db"
    );
    let bad = |name: &str| (name == "STEWARD_LISTEN").then(|| "nowhere".to_owned());
    let err = Config::load(None, bad).unwrap_err().to_string();
    assert!(err.starts_with("STEWARD_LISTEN: `server.listen`"), "{err}");
}

#[test]
fn a_webhook_needs_a_secret() {
    let env =
        |name: &str| (name == "STEWARD_WEBHOOK_URL").then(|| "http://127.0.0.1:9/hook".to_owned());
    let err = Config::load(None, env).unwrap_err().to_string();
    assert!(err.contains("ingest.webhook_secret"), "{err}");
}

#[test]
fn own_accounts_are_platform_and_id() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("steward.toml");
    std::fs::write(
        &path,
        "[moderation]\nown_accounts = [\"http:bot-1\", \"bot-2\"]\n",
    )
    .unwrap();
    let err = Config::load(Some(&path), no_env).unwrap_err().to_string();
    assert!(
        err.contains("`moderation.own_accounts`") && err.contains("`bot-2`"),
        "{err}"
    );
    std::fs::write(&path, "[moderation]\nown_accounts = [\"http:bot-1\"]\n").unwrap();
    assert_eq!(
        Config::load(Some(&path), no_env)
            .unwrap()
            .moderation
            .own_accounts,
        ["http:bot-1"]
    );
}

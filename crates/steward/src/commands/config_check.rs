//! `steward config check`: parse, validate, show what is in effect.

use std::path::Path;
use std::process::ExitCode;

use steward_config::ENV_VARS;
use steward_moderation::Engine;

use crate::app;
use crate::cli::StoreArgs;

/// Checks the config; prints the problem and returns failure if there is one.
pub(crate) fn check(args: &StoreArgs, file: Option<&Path>) -> ExitCode {
    let config = match app::load_config(args, file) {
        Ok(config) => config,
        Err(err) => {
            eprintln!("error: {err:#}");
            return ExitCode::FAILURE;
        }
    };
    let rules = config.rule_set();
    let n_rules = Engine::compile(&rules).map(|e| e.rule_count()).unwrap_or(0);
    let source = file
        .or(args.config.as_deref())
        .map_or("built-in defaults".to_owned(), |p| p.display().to_string());
    println!("ok: {source}");
    println!("  data_dir          {}", config.data_dir.display());
    println!(
        "  database          {}",
        app::redact_url(&config.database_url())
    );
    println!("  listen            {}", config.server.listen);
    println!("  public_url        {}", config.public_url());
    println!("  default_language  {}", config.default_language);
    println!(
        "  ingest            {}",
        if config.ingest.token.is_empty() {
            "off (no token)"
        } else {
            "on (token set)"
        }
    );
    println!(
        "  webhook           {}",
        config
            .ingest
            .webhook_url
            .as_deref()
            .filter(|u| !u.is_empty())
            .unwrap_or("none (pull API)")
    );
    println!(
        "  rules             {n_rules} ({})",
        if config.moderation.rules.is_some() {
            "from the config"
        } else {
            "default rule set"
        }
    );
    println!("  ladder steps      {}", config.ladder().steps.len());
    println!("  groups configured {}", config.groups.len());
    let set: Vec<&str> = ENV_VARS
        .iter()
        .filter(|v| std::env::var_os(v.name).is_some())
        .map(|v| v.name)
        .collect();
    if !set.is_empty() {
        println!("  from environment  {}", set.join(", "));
    }
    ExitCode::SUCCESS
}

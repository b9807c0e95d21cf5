//! `steward rules test|backtest`: try rules before turning them on.

use std::path::Path;

use anyhow::{Context, Result, bail};
use chrono::{DateTime, Duration, Utc};
use indicatif::{ProgressBar, ProgressStyle};
use steward_config::Config;
use steward_core::GroupId;
use steward_moderation::{Engine, RuleSet};

use crate::app;

/// The rule set in effect, or the one in `file`.
fn rule_set(config: &Config, file: Option<&Path>) -> Result<RuleSet> {
    let Some(file) = file else {
        return Ok(config.rule_set());
    };
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let mut rule_set: RuleSet =
        toml::from_str(&text).with_context(|| format!("{}: not a rules file", file.display()))?;
    if rule_set.rules.is_empty() {
        rule_set.rules = config.rule_set().rules;
    }
    Ok(rule_set)
}

/// The engine for the rules, with the spam model in effect.
async fn engine(config: &Config, file: Option<&Path>) -> Result<Engine> {
    let rule_set = rule_set(config, file)?;
    let engine = Engine::compile(&rule_set).map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(engine.with_model(std::sync::Arc::new(app::model_in_effect(config).await?)))
}

/// Prints the verdict on `text` as JSON.
pub(crate) async fn test(config: &Config, file: Option<&Path>, text: &str) -> Result<()> {
    let verdict = engine(config, file).await?.check(text);
    println!("{}", serde_json::to_string_pretty(&verdict)?);
    Ok(())
}

/// Replays a group's history and prints the report as JSON.
pub(crate) async fn backtest(
    config: &Config,
    file: Option<&Path>,
    group: &str,
    since: &str,
) -> Result<()> {
    let engine = engine(config, file).await?;
    let since = parse_since(since, Utc::now())?;
    let store = app::open_store(config).await?;
    let group = find_group(&store, group).await?;
    let total = store.count_group_events(group, since).await?;
    let progress = ProgressBar::new(u64::try_from(total).unwrap_or(0));
    progress.set_style(ProgressStyle::with_template(
        "{spinner} backtest [{bar:40}] {pos}/{len} events ({per_sec}, {eta} left)",
    )?);
    let report =
        steward_runtime::backtest(&store, &engine, &config.ladder(), group, since, |done| {
            progress.set_position(done);
        })
        .await?;
    progress.finish_and_clear();
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}

/// `30d`, `12h`, `2w`, `45m` back from `now`, or an RFC 3339 time.
pub(crate) fn parse_since(since: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>> {
    if let Ok(at) = DateTime::parse_from_rfc3339(since) {
        return Ok(at.with_timezone(&Utc));
    }
    let (number, unit) = since.split_at(since.len().saturating_sub(1));
    let n: i64 = number.parse().with_context(|| {
        format!("`{since}`: expected like 30d, 12h, 2w, 45m, or an RFC 3339 time")
    })?;
    let span = match unit {
        "m" => Duration::minutes(n),
        "h" => Duration::hours(n),
        "d" => Duration::days(n),
        "w" => Duration::weeks(n),
        _ => bail!("`{since}`: the unit must be m, h, d or w"),
    };
    Ok(now - span)
}

/// A group by platform id, `platform:id`, or Steward's own id.
pub(crate) async fn find_group(store: &steward_storage::Store, wanted: &str) -> Result<GroupId> {
    let groups = store.list_groups().await?;
    let matches: Vec<_> = groups
        .iter()
        .filter(|g| {
            g.group.platform_id == wanted
                || format!("{}:{}", g.group.platform, g.group.platform_id) == wanted
        })
        .collect();
    match matches.as_slice() {
        [one] => return Ok(one.group.id),
        [] => {}
        many => bail!(
            "`{wanted}` names several groups: {}; say platform:id",
            many.iter()
                .map(|g| format!("{}:{}", g.group.platform, g.group.platform_id))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
    if let Ok(id) = wanted.parse::<i64>()
        && groups.iter().any(|g| g.group.id.0 == id)
    {
        return Ok(GroupId(id));
    }
    bail!("no group `{wanted}`; `GET /api/v1/groups` lists them")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_takes_spans_and_times() {
        let now = Utc::now();
        assert_eq!(parse_since("30d", now).unwrap(), now - Duration::days(30));
        assert_eq!(parse_since("2w", now).unwrap(), now - Duration::weeks(2));
        assert_eq!(
            parse_since("2026-11-01T00:00:00Z", now)
                .unwrap()
                .to_rfc3339(),
            "2026-11-01T00:00:00+00:00"
        );
        assert!(parse_since("soon", now).is_err());
        assert!(parse_since("3y", now).is_err());
    }
}

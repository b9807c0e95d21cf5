//! `steward report daily|weekly|monthly --group G|--community C`: a report
//! on demand, in Markdown, HTML with SVG charts, JSON or CSV, to standard
//! output or a file.

use std::path::Path;

use anyhow::{Context, Result, bail};
use chrono::Utc;
use steward_config::Config;
use steward_reports::PeriodKind;
use steward_reports::render::{Format, render};
use steward_runtime::reports::{ReportTarget, build_report};

use crate::app;
use crate::cli::ReportArgs;

/// Writes the report the arguments ask for.
pub(crate) async fn run(config: &Config, args: &ReportArgs) -> Result<()> {
    let kind: PeriodKind = args.period.parse().map_err(anyhow::Error::msg)?;
    let format: Format = args
        .format
        .parse()
        .map_err(|err| anyhow::anyhow!("--format: {err}"))?;
    let pipeline = app::open_pipeline(config).await?;
    let store = pipeline.store();
    let target = match (&args.group, &args.community) {
        (Some(group), None) => ReportTarget::Group(super::rules::find_group(store, group).await?),
        (None, Some(community)) => {
            let found = super::ban_list::community(&pipeline, community).await?;
            ReportTarget::Community(found.id.0)
        }
        _ => bail!("say either --group or --community"),
    };
    let report = build_report(store, target, kind, args.at, Utc::now()).await?;
    let text = render(&report, format);
    write(args.out.as_deref(), &text)
}

fn write(out: Option<&Path>, text: &str) -> Result<()> {
    match out {
        Some(path) => {
            std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
        }
        None => {
            use std::io::Write;
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(text.as_bytes())?;
            if !text.ends_with('\n') {
                stdout.write_all(b"\n")?;
            }
            Ok(())
        }
    }
}

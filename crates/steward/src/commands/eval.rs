//! `steward eval spam`: the classifier measured on labeled data.

use std::path::Path;

use anyhow::{Context, Result};
use steward_classifier::{evaluate, parse_labeled_tsv};
use steward_config::Config;

use crate::app;

/// Prints precision, recall and F1 as JSON.
pub(crate) async fn spam(config: &Config, labeled: &Path, threshold: Option<f32>) -> Result<()> {
    let text = std::fs::read_to_string(labeled)
        .with_context(|| format!("cannot read {}", labeled.display()))?;
    let examples =
        parse_labeled_tsv(&text).map_err(|e| anyhow::anyhow!("{}: {e}", labeled.display()))?;
    let model = app::model_in_effect(config).await?;
    let metrics = evaluate(
        &model,
        examples.iter().map(|(spam, text)| (*spam, text.as_str())),
        threshold.unwrap_or_else(|| model.threshold()),
    );
    println!("{}", serde_json::to_string_pretty(&metrics)?);
    Ok(())
}

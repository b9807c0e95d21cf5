//! Measuring a model on labeled messages: precision, recall and F1 for
//! `steward eval spam --labeled FILE.tsv`, and the parser of that file.
//!
//! The file has one message per line, `spam<TAB>text` or `ham<TAB>text`.
//! Blank lines and lines starting with `#` are skipped. Messages with a
//! newline in them cannot be written in this format; write them with the
//! newline replaced by a space (the classifier treats both the same).

use serde::Serialize;
use thiserror::Error;

use crate::model::Model;

/// How a model did on labeled messages ("positive" = spam).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Metrics {
    /// Of the messages called spam, the share that were spam (0 when none
    /// were called spam).
    pub precision: f64,
    /// Of the spam, the share called spam (0 when there was no spam).
    pub recall: f64,
    /// Harmonic mean of precision and recall (0 when both are 0).
    pub f1: f64,
    /// Share of all messages called right.
    pub accuracy: f64,
    /// Spam called spam.
    pub tp: u64,
    /// Ham called spam: the costly mistake.
    pub fp: u64,
    /// Ham called ham.
    pub tn: u64,
    /// Spam called ham.
    #[serde(rename = "fn")]
    pub fn_: u64,
    /// Messages evaluated.
    pub n: u64,
    /// The spam probability threshold used.
    pub threshold: f32,
}

impl Metrics {
    /// Metrics from the four counts.
    pub fn from_counts(tp: u64, fp: u64, tn: u64, fn_: u64, threshold: f32) -> Self {
        let ratio = |a: u64, b: u64| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let precision = ratio(tp, tp + fp);
        let recall = ratio(tp, tp + fn_);
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        let n = tp + fp + tn + fn_;
        Metrics {
            precision,
            recall,
            f1,
            accuracy: ratio(tp + tn, n),
            tp,
            fp,
            tn,
            fn_,
            n,
            threshold,
        }
    }
}

/// Classifies every `(is_spam, text)` at `threshold` (near duplicates of
/// known spam count as spam, as in [`Model::classify`]) and counts.
pub fn evaluate<'a>(
    model: &Model,
    labeled: impl IntoIterator<Item = (bool, &'a str)>,
    threshold: f32,
) -> Metrics {
    let (mut tp, mut fp, mut tn, mut fn_) = (0, 0, 0, 0);
    for (spam, text) in labeled {
        match (spam, model.classify_at(text, threshold).is_spam) {
            (true, true) => tp += 1,
            (false, true) => fp += 1,
            (false, false) => tn += 1,
            (true, false) => fn_ += 1,
        }
    }
    Metrics::from_counts(tp, fp, tn, fn_, threshold)
}

/// A line of a labeled file that is not `spam<TAB>text` or `ham<TAB>text`.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("line {line}: {problem}")]
pub struct ParseError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong with it.
    pub problem: String,
}

/// Parses a labeled file: `spam<TAB>text` / `ham<TAB>text` per line,
/// returning `(is_spam, text)`. Blank lines and `#` comments are skipped; a
/// trailing `\r` is dropped. The first bad line is an error naming it.
pub fn parse_labeled_tsv(input: &str) -> Result<Vec<(bool, String)>, ParseError> {
    let mut out = Vec::new();
    for (i, line) in input.lines().enumerate() {
        let line_no = i + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let bad = |problem: String| ParseError {
            line: line_no,
            problem,
        };
        let Some((label, text)) = line.split_once('\t') else {
            return Err(bad(format!(
                "expected `spam<TAB>text` or `ham<TAB>text`, found no tab in {:?}",
                preview(line)
            )));
        };
        let spam = match label.trim() {
            "spam" => true,
            "ham" => false,
            other => {
                return Err(bad(format!(
                    "the label must be `spam` or `ham`, found {:?}",
                    preview(other)
                )));
            }
        };
        if text.trim().is_empty() {
            return Err(bad("the message text after the tab is empty".to_owned()));
        }
        out.push((spam, text.to_owned()));
    }
    Ok(out)
}

/// The start of a line for an error message.
fn preview(s: &str) -> String {
    const MAX: usize = 40;
    match s.char_indices().nth(MAX) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_labels_and_skips_comments_and_blanks() {
        let input = "# a comment\nspam\tFree USDT\n\nham\tsee you at 5\r\nham\ttab\tinside\n";
        let parsed = parse_labeled_tsv(input);
        assert_eq!(
            parsed,
            Ok(vec![
                (true, "Free USDT".to_owned()),
                (false, "see you at 5".to_owned()),
                (false, "tab\tinside".to_owned()),
            ])
        );
    }

    #[test]
    fn errors_name_the_line() {
        let err = parse_labeled_tsv("spam\tok\nham no tab here\n");
        assert_eq!(err.as_ref().map_err(|e| e.line), Err(2));
        let msg = err.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(msg.starts_with("line 2: "), "{msg}");
        assert!(msg.contains("no tab"), "{msg}");

        let err = parse_labeled_tsv("\n\n# x\nSPAMM\ttext\n").err();
        assert_eq!(err.as_ref().map(|e| e.line), Some(4));
        assert!(err.is_some_and(|e| e.problem.contains("\"SPAMM\"")));

        let err = parse_labeled_tsv("ham\t   \n").err();
        assert_eq!(err.map(|e| e.line), Some(1));
    }

    #[test]
    fn metrics_from_counts() {
        let m = Metrics::from_counts(8, 2, 85, 5, 0.9);
        assert!((m.precision - 0.8).abs() < 1e-12);
        assert!((m.recall - 8.0 / 13.0).abs() < 1e-12);
        assert!((m.f1 - 2.0 * 0.8 * (8.0 / 13.0) / (0.8 + 8.0 / 13.0)).abs() < 1e-12);
        assert_eq!(m.n, 100);
        assert!((m.accuracy - 0.93).abs() < 1e-12);
        let none = Metrics::from_counts(0, 0, 10, 0, 0.9);
        assert_eq!((none.precision, none.recall, none.f1), (0.0, 0.0, 0.0));
    }

    #[test]
    fn metrics_serialize_with_plain_names() {
        let json = serde_json::to_value(Metrics::from_counts(1, 0, 1, 0, 0.5)).ok();
        let json = json.unwrap_or_default();
        for key in [
            "precision",
            "recall",
            "f1",
            "accuracy",
            "tp",
            "fp",
            "tn",
            "fn",
            "n",
        ] {
            assert!(json.get(key).is_some(), "{key} missing in {json}");
        }
    }
}

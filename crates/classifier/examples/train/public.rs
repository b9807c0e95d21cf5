//! The public corpora, read from the shared data folder when it is there.
//! Nothing from them is copied into the repository: only the trained counts
//! end up in the model.

use std::path::Path;

/// One public corpus as read.
pub(crate) struct Corpus {
    /// Short name used in the report.
    pub(crate) name: &'static str,
    /// Where it came from and under which terms, for SOURCES.md.
    pub(crate) provenance: &'static str,
    /// The files read, relative to the data folder.
    pub(crate) files: Vec<String>,
    /// `(is_spam, text)`.
    pub(crate) messages: Vec<(bool, String)>,
}

/// tg-spam's samples: one message per line in `spam-samples.txt` and
/// `ham-samples.txt` (blank lines skipped).
pub(crate) fn tg_spam(data: &Path) -> Result<Option<Corpus>, String> {
    let dir = data.join("tg-spam");
    let (spam, ham) = (dir.join("spam-samples.txt"), dir.join("ham-samples.txt"));
    if !spam.is_file() || !ham.is_file() {
        return Ok(None);
    }
    let mut messages = Vec::new();
    for (path, is_spam) in [(&spam, true), (&ham, false)] {
        let text = read(path)?;
        messages.extend(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(|l| (is_spam, l.to_owned())),
        );
    }
    Ok(Some(Corpus {
        name: "tg-spam",
        provenance: "umputun/tg-spam, data/spam-samples.txt and data/ham-samples.txt at commit \
            e14d516ef36b766d614080b01dc92b7dce5ee790; MIT License, Copyright (c) 2023 Umputun. \
            Real spam and ordinary messages from Russian-language Telegram groups (mostly Russian, some English).",
        files: vec![
            "tg-spam/spam-samples.txt".into(),
            "tg-spam/ham-samples.txt".into(),
        ],
        messages,
    }))
}

/// The SMS Spam Collection: `ham<TAB>text` / `spam<TAB>text` lines.
pub(crate) fn sms_spam_collection(data: &Path) -> Result<Option<Corpus>, String> {
    let path = data
        .join("sms-spam-collection-v1")
        .join("SMSSpamCollection");
    if !path.is_file() {
        return Ok(None);
    }
    let text = read(&path)?;
    let mut messages = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let Some((label, body)) = line.split_once('\t') else {
            return Err(format!("{}: line {}: no tab", path.display(), i + 1));
        };
        let spam = match label {
            "spam" => true,
            "ham" => false,
            other => {
                return Err(format!(
                    "{}: line {}: unknown label {other:?}",
                    path.display(),
                    i + 1
                ));
            }
        };
        messages.push((spam, body.trim().to_owned()));
    }
    Ok(Some(Corpus {
        name: "sms-spam-collection",
        provenance: "SMS Spam Collection v.1 by Tiago A. Almeida and José María Gómez Hidalgo (2011), \
            UCI ML Repository https://archive.ics.uci.edu/dataset/228; free to use, copyright held by the \
            authors, citation requested: Almeida, T.A., Gómez Hidalgo, J.M., Yamakami, A. Contributions to \
            the study of SMS Spam Filtering: New Collection and Results. DocEng'11, 2011. English SMS.",
        files: vec!["sms-spam-collection-v1/SMSSpamCollection".into()],
        messages,
    }))
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

//! Steward's spam classifier: no word segmentation, no IO, microseconds per
//! message.
//!
//! * A multinomial naive Bayes model over hashed character n-grams (1–3
//!   characters for Chinese, 4–5 for Latin and Cyrillic script) and a few
//!   whole-message signals, so Chinese, Russian and English need no word
//!   splitter, and spammers' disguises (look-alike letters, fullwidth forms,
//!   spaced-out characters) are folded away first.
//! * A SimHash near-duplicate index of known spam: a lightly edited copy of
//!   a message an admin marked as spam is caught even if the Bayes score is
//!   low.
//! * Online learning from admins' decisions ([`Model::learn`]), a compact
//!   byte format ([`Model::to_bytes`], [`Model::from_bytes`]) and a starter
//!   model trained by `scripts/train-spam-model` ([`Model::starter`]).
//! * [`evaluate`] and [`parse_labeled_tsv`] for `steward eval spam`.
//!
//! Modules:
//! * `tokenize`: normalization and features; `score`: the same pass as
//!   classifying needs it, without byte ranges.
//! * `bayes`: the count tables and weights.
//! * `simhash`: fingerprints; `neardup`: the index of known spam.
//! * `model`: the model, its verdicts and explanations; `codec`: its bytes.
//! * `eval`: metrics and the labeled-file parser.
//!
//! ```
//! use steward_classifier::{Label, Model};
//!
//! let mut model = Model::starter().expect("the starter model is built in");
//! let verdict = model.classify("兼职刷单日结300，加V：abc123");
//! assert!(verdict.is_spam);
//! model.learn("Totally normal looking message that an admin marked", Label::Spam);
//! ```

mod bayes;
mod codec;
mod eval;
mod model;
pub mod neardup;
mod score;
pub mod simhash;
pub mod tokenize;

pub use codec::ModelError;
pub use eval::{Metrics, ParseError, evaluate, parse_labeled_tsv};
pub use model::{
    Calibration, Evidence, Explanation, Label, Model, ModelConfig, ModelStats, Verdict,
};
pub use neardup::{NearDup, NearMatch};
pub use tokenize::Signal;

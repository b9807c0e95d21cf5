//! The moderation engine: a message goes in, a verdict that explains itself
//! comes out, and the penalty ladder turns the verdict into actions.
//!
//! * [`RuleSet`] is what admins write (TOML in the config): keyword lists,
//!   patterns and link rules, each with an id, a severity and a description.
//! * [`Engine::compile`] turns a rule set into one matcher: all keywords in a
//!   single Aho-Corasick automaton, and patterns behind a literal prefilter, with size
//!   limits, so the cost of a check barely grows with the number of rules.
//! * [`Engine::check`] returns a [`Verdict`]: every [`Hit`] names its rule,
//!   its severity and the evidence as byte ranges of the original text.
//! * [`Ladder::decide`] picks the step of the penalty ladder from the member's
//!   standing and returns the actions for that step.
//!
//! The crate does no IO and reads no clock; the caller passes the time in.
//!
//! ```
//! use steward_moderation::{Engine, RuleSet};
//! let engine = Engine::compile(&RuleSet::default_rules()).unwrap();
//! let verdict = engine.check("免费领取红包，加微信 abc123");
//! assert!(verdict.is_violation());
//! ```

mod behaviour;
mod engine;
mod keywords;
mod ladder;
pub mod links;
mod normalize;
mod prefilter;
mod rules;
mod trust;
mod verdict;

pub use behaviour::{BehaviourHit, BehaviourRules, BehaviourState, Window, fingerprint};
pub use engine::{Engine, RuleError, Subject};
pub use ladder::{Decision, Ladder, LadderStep, MessageContext, Penalty};
pub use links::host_matches;
pub use normalize::Normalized;
pub use rules::{KeywordMatch, Mode, Rule, RuleKind, RuleSet, Severity};
pub use trust::{TrustInputs, TrustLevel};
pub use verdict::{Hit, Verdict};

//! Forced-labour assessment. The taxonomy ([`taxonomy`]) and the rules ([`rules`]) are data, loaded and
//! linted like the schema; [`engine::assess`] applies the rules to each work spell of a testimony, keeps
//! only findings that cite evidence, and classifies each spell by the ICLS 2018 definition and the ILO 2012
//! scheme side by side. No IO: the caller reads statements from the store.

pub mod engine;
pub mod ledger;
pub mod legal;
pub mod measures;
pub mod rules;
pub mod taxonomy;

pub use engine::{Assessment, Finding, Outcome, SpellAssessment, assess};
pub use rules::Rules;
pub use taxonomy::Taxonomy;

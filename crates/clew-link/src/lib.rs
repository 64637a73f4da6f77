//! `clew-link`: entity resolution. Records read from CSV files (or assembled from a project's entities) are
//! blocked into candidate pairs by declared rules, compared field by field (names through `clew-names`, so
//! Hangul, Cyrillic and romanized forms compare properly), scored by a Fellegi–Sunter model trained without
//! labels (u from random pairs, m by expectation–maximisation over several blocking rules, term-frequency
//! adjustment for common values) or from reviewers' labels, and clustered with a guard against chaining.
//! Every pair's match weight comes with its explanation, field by field. Pure: no IO.

pub mod blocking;
pub mod cluster;
pub mod compare;
pub mod config;
mod error;
pub mod linkage;
pub mod model;
pub mod predict;
pub mod records;

pub use error::{Error, Problem};

/// The version of the linkage rules: comparison levels, training and clustering. Recorded in every model file
/// and with every stored judgement of the model.
pub const LINK_VERSION: &str = "clew-link-v1";

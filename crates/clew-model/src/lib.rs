//! The clew data model: the declarative schema (`schema/*.yaml`), typed identifiers, property values,
//! statements and the entities assembled from them, and span-aware reading of YAML/JSON input.
//! This crate does no IO.

pub mod doc;
pub mod ids;
pub mod read;
pub mod schema;
pub mod source;
pub mod statement;
pub mod value;

pub use ids::{EntityId, Sensitivity, SourceId, StatementId};
pub use read::Diagnostic;
pub use schema::{MODEL_VERSION, Model, Property, Schema};
pub use source::{Segment, Source, SourceKind, Translation};
pub use statement::{Claim, Entity, Locator, Name, Statement};
pub use value::{PartialDate, PropertyType};

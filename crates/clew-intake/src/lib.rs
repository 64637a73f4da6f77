//! Intake: the testimony format v1 (reading, checking, mapping to statements), FollowTheMoney import,
//! attachments, and the import driver that writes a whole batch in one transaction or nothing.

pub mod attach;
pub mod ftm;
pub mod import;
pub mod input;
pub mod mapping;
pub mod strip;
pub mod testimony;

/// The JSON Schema of testimony format v1 (what `clew schema testimony` prints).
pub const TESTIMONY_JSON_SCHEMA: &str = include_str!("../../../docs/testimony.schema.json");

pub use import::{ImportOptions, ImportReport, import_testimonies, prepare_testimony, write_prepared};
pub use testimony::{FORMAT_V1, Testimony, read_testimony};

//! Sources (where statements come from: testimonies, documents, imported files) and testimony segments.

use serde::{Deserialize, Serialize};

use crate::ids::SourceId;

/// What kind of thing a source is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// An interview record in the testimony format.
    Testimony,
    /// A file of FollowTheMoney entities.
    FtmFile,
    /// What `clew assess --record` derived from a testimony (`assess:TESTIMONY`): its outcomes and findings.
    Assessment,
    /// What `clew screen --record` found on sanctions lists for an entity (`screen:ENTITY`): its matches.
    Screening,
    /// What coders added to or corrected in a testimony (`code:TESTIMONY`): statements citing its segments,
    /// and retractions of the statements they replace. Kept apart from the testimony, so that importing a
    /// changed file (which retracts the testimony's earlier generation) neither drops nor repeats them.
    Coding,
}

impl SourceKind {
    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Testimony => "testimony",
            SourceKind::FtmFile => "ftm_file",
            SourceKind::Assessment => "assessment",
            SourceKind::Screening => "screening",
            SourceKind::Coding => "coding",
        }
    }

    /// Parses the stored word.
    pub fn parse(text: &str) -> Option<SourceKind> {
        match text {
            "testimony" => Some(SourceKind::Testimony),
            "ftm_file" => Some(SourceKind::FtmFile),
            "assessment" => Some(SourceKind::Assessment),
            "screening" => Some(SourceKind::Screening),
            "coding" => Some(SourceKind::Coding),
            _ => None,
        }
    }
}

/// A source as the store records it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    /// Its id (for a testimony, the testimony id).
    pub id: SourceId,
    /// What it is.
    pub kind: SourceKind,
    /// A title to show.
    pub title: String,
    /// SHA-256 of its canonical content: the same content imported again changes nothing.
    pub content_hash: String,
    /// Whether it is fictional demo or test data.
    pub synthetic: bool,
    /// Incremented each time a changed version is imported.
    pub generation: u32,
    /// When the current generation was imported (RFC 3339).
    pub imported_at: String,
    /// Who imported it.
    pub imported_by: String,
}

/// One narrative segment of a testimony: the witness's words in the original language, and a translation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Segment {
    /// Segment id, unique within the testimony.
    pub id: String,
    /// ISO 639-1 language of the original.
    pub lang: String,
    /// The original text.
    pub text: String,
    /// A translation, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub translation: Option<Translation>,
}

/// A translation of a segment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Translation {
    /// ISO 639-1 language.
    pub lang: String,
    /// The translated text.
    pub text: String,
}

//! Identifiers (newtypes so that an entity id is never passed where a statement id belongs) and sensitivity.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// SHA-256 of bytes, as lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Longest id accepted.
pub const MAX_ID_LEN: usize = 200;

fn check_id(kind: &str, text: &str) -> Result<(), String> {
    if text.is_empty() {
        return Err(format!("an {kind} id must not be empty"));
    }
    if text.len() > MAX_ID_LEN {
        return Err(format!("an {kind} id may be at most {MAX_ID_LEN} characters long"));
    }
    if let Some(bad) = text.chars().find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | ':' | '-'))) {
        let shown = if bad == ' ' { "a space".to_string() } else { format!("`{}`", bad.escape_default()) };
        return Err(format!("an {kind} id may contain only letters, digits and . _ : - (found {shown})"));
    }
    Ok(())
}

macro_rules! text_id {
    ($(#[$doc:meta])* $name:ident, $kind:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(Arc<str>);

        impl $name {
            /// Checks and wraps an id.
            pub fn new(text: &str) -> Result<Self, String> {
                check_id($kind, text)?;
                Ok(Self(Arc::from(text)))
            }

            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl TryFrom<String> for $name {
            type Error = String;
            fn try_from(text: String) -> Result<Self, String> {
                Self::new(&text)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0.to_string()
            }
        }
    };
}

text_id!(
    /// The id of an entity (person, company, worksite, relation...).
    EntityId,
    "entity"
);
text_id!(
    /// The id of a source: a testimony, a document, an imported file.
    SourceId,
    "source"
);

impl EntityId {
    /// An id derived from a source and a key local to it (`T-0001.c1`), for entities a source introduces.
    pub fn scoped(source: &SourceId, key: &str) -> Result<EntityId, String> {
        EntityId::new(&format!("{source}.{key}"))
    }
}

/// The id of a statement, 128 bits as 32 hex digits: 32 bits of SHA-256 over its source id, then 96 bits of
/// SHA-256 over its content (source included). The prefix tells, from an id alone, which few sources to look
/// in, so a store can index statements by (source, id) and still find one by its id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct StatementId([u8; 32]);

impl StatementId {
    /// Derives an id from the source and the content parts (separated by a byte text values do not hold).
    pub fn derive(source: &SourceId, parts: &[&str]) -> StatementId {
        let mut hasher = Sha256::new();
        for part in parts {
            hasher.update(part.as_bytes());
            hasher.update([0x1f]);
        }
        let content = hasher.finalize();
        let mut bytes = [0u8; 16];
        bytes[..4].copy_from_slice(&Self::source_prefix(source));
        bytes[4..].copy_from_slice(&content[..12]);
        Self::from_bytes(bytes)
    }

    /// The first 4 bytes of every statement id of a source.
    pub fn source_prefix(source: &SourceId) -> [u8; 4] {
        let digest = Sha256::digest(source.as_str().as_bytes());
        [digest[0], digest[1], digest[2], digest[3]]
    }

    /// The id from its 16 bytes.
    pub fn from_bytes(bytes: [u8; 16]) -> StatementId {
        let mut text = [0u8; 32];
        // Cannot fail: 16 bytes are 32 digits.
        let _ = hex::encode_to_slice(bytes, &mut text);
        StatementId(text)
    }

    /// The id's 16 bytes.
    pub fn to_bytes(&self) -> [u8; 16] {
        let mut bytes = [0u8; 16];
        // Cannot fail: an id holds 32 hex digits (`from_bytes`, `new`).
        let _ = hex::decode_to_slice(self.0, &mut bytes);
        bytes
    }

    /// Checks and wraps a statement id.
    pub fn new(text: &str) -> Result<StatementId, String> {
        match <[u8; 32]>::try_from(text.as_bytes()) {
            Ok(hex) if hex.iter().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b)) => Ok(StatementId(hex)),
            _ => Err("a statement id is 32 lower-case hex digits".to_string()),
        }
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        // Always ASCII: an id is made only by `from_bytes` and `new`, from hex digits.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl fmt::Display for StatementId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl TryFrom<String> for StatementId {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        StatementId::new(&text)
    }
}

impl From<StatementId> for String {
    fn from(id: StatementId) -> String {
        id.as_str().to_string()
    }
}

/// Who may see a statement. Identifying witness data is never a statement: it lives in the vault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sensitivity {
    /// May be published (e.g. facts from public sanctions lists).
    Public,
    /// For the project team and partners the consent allows.
    Internal,
    /// Could help re-identify a witness (links between a witness and places, dates, people).
    Restricted,
}

impl Sensitivity {
    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            Sensitivity::Public => "public",
            Sensitivity::Internal => "internal",
            Sensitivity::Restricted => "restricted",
        }
    }

    /// Parses the stored word.
    pub fn parse(text: &str) -> Result<Sensitivity, String> {
        match text {
            "public" => Ok(Sensitivity::Public),
            "internal" => Ok(Sensitivity::Internal),
            "restricted" => Ok(Sensitivity::Restricted),
            _ => Err(format!("`{text}` is not a sensitivity (public, internal, restricted)")),
        }
    }
}

impl fmt::Display for Sensitivity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_checked() {
        assert!(EntityId::new("T-0001.c1").is_ok());
        assert!(EntityId::new("").is_err());
        assert!(EntityId::new("a/b").unwrap_err().contains("`/`"));
        assert!(EntityId::new(&"x".repeat(MAX_ID_LEN + 1)).is_err());
        let source = SourceId::new("T-1").unwrap();
        let id = StatementId::derive(&source, &["a", "b"]);
        assert_eq!(id.as_str().len(), 32);
        assert_ne!(id, StatementId::derive(&source, &["ab", ""]));
        assert_eq!(StatementId::new(id.as_str()).unwrap(), id);
        assert_eq!(StatementId::from_bytes(id.to_bytes()), id);
        assert_eq!(id.to_bytes()[..4], StatementId::source_prefix(&source));
        let other = StatementId::derive(&SourceId::new("T-2").unwrap(), &["a", "b"]);
        assert_ne!(id.to_bytes()[..4], other.to_bytes()[..4]);
        assert!(StatementId::new("XYZ").is_err());
    }
}

//! Identifiers (newtypes so that an entity id is never passed where a statement id belongs) and sensitivity.

use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

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
        pub struct $name(String);

        impl $name {
            /// Checks and wraps an id.
            pub fn new(text: &str) -> Result<Self, String> {
                check_id($kind, text)?;
                Ok(Self(text.to_string()))
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
                id.0
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

/// The id of a statement: 128 bits of SHA-256 over its content, as 32 hex digits.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct StatementId(String);

impl StatementId {
    /// Hashes the parts (separated by a byte that text values cannot contain unescaped).
    pub fn hash(parts: &[&str]) -> StatementId {
        let mut hasher = Sha256::new();
        for part in parts {
            hasher.update(part.as_bytes());
            hasher.update([0x1f]);
        }
        let digest = hasher.finalize();
        let mut text = String::with_capacity(32);
        for byte in &digest[..16] {
            text.push(char::from_digit((byte >> 4) as u32, 16).unwrap_or('0'));
            text.push(char::from_digit((byte & 0xf) as u32, 16).unwrap_or('0'));
        }
        StatementId(text)
    }

    /// Checks and wraps a statement id.
    pub fn new(text: &str) -> Result<StatementId, String> {
        if text.len() == 32 && text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
            Ok(StatementId(text.to_string()))
        } else {
            Err("a statement id is 32 lower-case hex digits".to_string())
        }
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for StatementId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
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
        id.0
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
        let id = StatementId::hash(&["a", "b"]);
        assert_eq!(id.as_str().len(), 32);
        assert_ne!(id, StatementId::hash(&["ab", ""]));
        assert_eq!(StatementId::new(id.as_str()).unwrap(), id);
        assert!(StatementId::new("XYZ").is_err());
    }
}

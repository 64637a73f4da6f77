//! The names of clew's content-addressed files (blobs, kept sanctions lists) and the hashes its custody log
//! carries: a SHA-256 spelled as exactly 64 lower-case hex digits. A file name made from a [`Sha256Hex`]
//! cannot leave its folder, whoever supplied the text it was parsed from.

use std::fmt;
use std::str::FromStr;

use sha2::{Digest, Sha256};

/// A SHA-256 as 64 lower-case hex digits: made by hashing, or parsed from text that is exactly that.
/// Upper case is refused rather than folded: a hash names a file, and on a case-sensitive file system
/// `AB..` and `ab..` would name two; every hash clew writes (file names, the custody log) is lower case.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Sha256Hex([u8; 64]);

/// Why a text is not a [`Sha256Hex`]. The text is shown escaped and cut short: it may come from anywhere.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{shown}` is not a SHA-256 as clew writes it (64 hex digits, 0-9 and a-f): {reason}")]
pub struct NotSha256Hex {
    shown: String,
    reason: String,
}

/// How much of a refused text its error shows.
const SHOWN_CHARS: usize = 72;

impl Sha256Hex {
    /// The SHA-256 of `bytes`.
    pub fn of(bytes: &[u8]) -> Sha256Hex {
        Sha256Hex::from_digest(Sha256::digest(bytes).into())
    }

    /// A SHA-256 computed elsewhere (a hasher fed as a file streamed through it), as its 32 bytes.
    pub fn from_digest(digest: [u8; 32]) -> Sha256Hex {
        let mut text = [0u8; 64];
        // Cannot fail: 32 bytes are 64 digits.
        let _ = hex::encode_to_slice(digest, &mut text);
        Sha256Hex(text)
    }

    /// Checks that `text` is 64 lower-case hex digits.
    pub fn parse(text: &str) -> Result<Sha256Hex, NotSha256Hex> {
        let refuse = |reason: String| {
            let mut shown: String = text.chars().take(SHOWN_CHARS).flat_map(char::escape_debug).collect();
            if text.chars().count() > SHOWN_CHARS {
                shown.push('…');
            }
            NotSha256Hex { shown, reason }
        };
        if let Some(bad) = text.chars().find(|c| !c.is_ascii_hexdigit()) {
            return Err(refuse(format!("`{}` is not a hex digit", bad.escape_debug())));
        }
        if text.bytes().any(|b| b.is_ascii_uppercase()) {
            return Err(refuse("it has upper-case digits; clew writes hashes in lower case".into()));
        }
        match <[u8; 64]>::try_from(text.as_bytes()) {
            Ok(digits) => Ok(Sha256Hex(digits)),
            Err(_) => Err(refuse(format!("it has {} digits", text.len()))),
        }
    }

    /// The 64 digits.
    pub fn as_str(&self) -> &str {
        // Always ASCII: a value is made only from hex digits (`from_digest`, `parse`).
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl fmt::Display for Sha256Hex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Sha256Hex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Sha256Hex({})", self.as_str())
    }
}

impl FromStr for Sha256Hex {
    type Err = NotSha256Hex;
    fn from_str(text: &str) -> Result<Self, NotSha256Hex> {
        Sha256Hex::parse(text)
    }
}

impl From<Sha256Hex> for String {
    fn from(hash: Sha256Hex) -> String {
        hash.as_str().to_string()
    }
}

impl serde::Serialize for Sha256Hex {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Sha256Hex {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Sha256Hex::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const EMPTY: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    fn refused(text: &str) -> String {
        Sha256Hex::parse(text).unwrap_err().to_string()
    }

    #[test]
    fn hashing_and_parsing_give_the_same_lower_case_digits() {
        let hash = Sha256Hex::of(b"");
        assert_eq!(hash.as_str(), EMPTY);
        assert_eq!(hash.to_string(), EMPTY);
        assert_eq!(EMPTY.parse::<Sha256Hex>().unwrap(), hash);
        assert_eq!(serde_json::to_string(&hash).unwrap(), format!("\"{EMPTY}\""), "serialized as the same string");
        assert_eq!(serde_json::from_str::<Sha256Hex>(&format!("\"{EMPTY}\"")).unwrap(), hash);
    }

    #[test]
    fn anything_but_64_lower_case_hex_digits_is_refused() {
        let cases = [
            ("../x", "`../x` is not a SHA-256 as clew writes it (64 hex digits, 0-9 and a-f): `.` is not a hex digit"),
            (
                "/etc/passwd",
                "`/etc/passwd` is not a SHA-256 as clew writes it (64 hex digits, 0-9 and a-f): `/` is not a hex digit",
            ),
            ("", "`` is not a SHA-256 as clew writes it (64 hex digits, 0-9 and a-f): it has 0 digits"),
            (&EMPTY[..63], "it has 63 digits"),
            (&format!("{EMPTY}0"), "it has 65 digits"),
            (&EMPTY.to_uppercase(), "it has upper-case digits; clew writes hashes in lower case"),
            (&format!("{}g", &EMPTY[..63]), "`g` is not a hex digit"),
            (&format!("{}\n", &EMPTY[..63]), "`\\n` is not a hex digit"),
            (&format!("{}/", &EMPTY[..63]), "`/` is not a hex digit"),
            (&format!("{}é", &EMPTY[..62]), "`é` is not a hex digit"),
        ];
        for (text, expected) in cases {
            let error = refused(text);
            assert!(error.ends_with(expected), "{text:?}: {error}");
        }
        assert!(serde_json::from_str::<Sha256Hex>("\"../x\"").is_err(), "deserializing checks too");
    }

    #[test]
    fn a_refused_text_is_shown_escaped_and_cut_short() {
        let error = refused(&format!("\u{1b}[31m{}", "a".repeat(100)));
        assert!(error.starts_with("`\\u{1b}[31maaaa"), "{error}");
        assert!(error.contains("a…` is not"), "{error}");
        assert!(!error.contains('\u{1b}'));
    }
}

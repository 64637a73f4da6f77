//! Makes the message ids of `i18n/en.ftl` a Rust enum (`Msg`), so that a page naming a message that does not
//! exist does not compile, and refuses to build when the Korean or Russian file lacks a message English has or
//! has one English lacks: every message exists in all three languages, checked before the program exists.

use std::collections::BTreeSet;
use std::fmt::Write as _;

const LANGUAGES: [&str; 3] = ["en", "ko", "ru"];

/// The ids of a Fluent file's messages (`id = ...` at the start of a line; terms `-id` are not messages).
fn message_ids(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| {
            let (id, _) = line.split_once('=')?;
            let id = id.trim_end();
            let first = id.chars().next()?;
            (first.is_ascii_alphabetic() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                .then(|| id.to_string())
        })
        .collect()
}

fn variant(id: &str) -> String {
    id.split(['-', '_'])
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map(|c| c.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
        })
        .collect()
}

fn main() {
    let dir = std::path::PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into()));
    let mut sets = Vec::new();
    for lang in LANGUAGES {
        let path = dir.join("i18n").join(format!("{lang}.ftl"));
        println!("cargo::rerun-if-changed={}", path.display());
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let ids = message_ids(&text);
        let unique: BTreeSet<String> = ids.iter().cloned().collect();
        assert_eq!(unique.len(), ids.len(), "{}: a message id is defined twice", path.display());
        sets.push((lang, unique));
    }
    let english = &sets[0].1;
    for (lang, ids) in &sets[1..] {
        let missing: Vec<_> = english.difference(ids).collect();
        let extra: Vec<_> = ids.difference(english).collect();
        assert!(missing.is_empty(), "i18n/{lang}.ftl lacks messages English has: {missing:?}");
        assert!(extra.is_empty(), "i18n/{lang}.ftl has messages English lacks: {extra:?}");
    }
    let mut out = String::from(
        "/// A message of the web application: one variant per message id of `i18n/en.ftl` (made by build.rs).\n\
         #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]\npub enum Msg {\n",
    );
    for id in english {
        let _ = writeln!(out, "    /// `{id}`\n    {},", variant(id));
    }
    out.push_str("}\n\nimpl Msg {\n    /// Every message.\n    pub const ALL: &[Msg] = &[\n");
    for id in english {
        let _ = writeln!(out, "        Msg::{},", variant(id));
    }
    out.push_str(
        "    ];\n\n    /// Its id in the Fluent files.\n    pub fn id(self) -> &'static str {\n        match self {\n",
    );
    for id in english {
        let _ = writeln!(out, "            Msg::{} => \"{id}\",", variant(id));
    }
    out.push_str("        }\n    }\n}\n");
    let target = std::path::PathBuf::from(std::env::var("OUT_DIR").unwrap_or_else(|e| panic!("OUT_DIR: {e}")))
        .join("messages.rs");
    std::fs::write(&target, out).unwrap_or_else(|e| panic!("{}: {e}", target.display()));
}

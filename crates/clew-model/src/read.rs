//! Typed reading of a [`Node`] tree that collects every problem (position, field path, message) instead of
//! stopping at the first, so that a user sees all that is wrong with a file at once.

use std::fmt;

use crate::doc::{Node, NodeKind, Pos};

/// One problem found in an input, with where it is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Diagnostic {
    /// The file (or `-` for standard input), when known.
    pub file: Option<String>,
    /// Line and column, when known.
    pub pos: Option<Pos>,
    /// The field path, e.g. `facts.spells[1].hours_per_day`; empty for the whole document.
    pub path: String,
    /// What is wrong. Never contains the value of a protected field.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut wrote = false;
        if let Some(file) = &self.file {
            write!(f, "{file}")?;
            wrote = true;
        }
        if let Some(pos) = self.pos {
            write!(f, "{}{pos}", if wrote { ":" } else { "" })?;
            wrote = true;
        }
        if wrote {
            write!(f, ": ")?;
        }
        if !self.path.is_empty() {
            write!(f, "field `{}`: ", self.path)?;
        }
        write!(f, "{}", self.message)
    }
}

/// Joins a field path and a key.
pub fn child_path(path: &str, key: &str) -> String {
    if path.is_empty() { key.to_string() } else { format!("{path}.{key}") }
}

/// Joins a field path and a list index.
pub fn index_path(path: &str, index: usize) -> String {
    format!("{path}[{index}]")
}

/// Collects diagnostics while values are read out of a tree.
#[derive(Debug, Default)]
pub struct Reader {
    /// Everything wrong found so far.
    pub diagnostics: Vec<Diagnostic>,
}

impl Reader {
    /// Records a problem at a node.
    pub fn error(&mut self, node: &Node, path: &str, message: impl Into<String>) {
        self.error_at(Some(node.pos), path, message);
    }

    /// Records a problem at a position.
    pub fn error_at(&mut self, pos: Option<Pos>, path: &str, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic { file: None, pos, path: path.to_string(), message: message.into() });
    }

    /// Whether nothing is wrong so far.
    pub fn is_clean(&self) -> bool {
        self.diagnostics.is_empty()
    }

    /// Reads a mapping.
    pub fn map<'a>(&mut self, node: &'a Node, path: &str) -> Option<MapReader<'a>> {
        match &node.kind {
            NodeKind::Map(entries) => Some(MapReader {
                pos: node.pos,
                entries,
                path: path.to_string(),
                used: vec![false; entries.len()],
                known: Vec::new(),
                missing: Vec::new(),
                finished: false,
            }),
            _ => {
                self.error(node, path, format!("expected a mapping, found {}", node.kind_name()));
                None
            }
        }
    }

    /// Reads a list. A single value where a list is expected is an error, not silently wrapped.
    pub fn list<'a>(&mut self, node: &'a Node, path: &str) -> Option<&'a [Node]> {
        match &node.kind {
            NodeKind::Seq(items) => Some(items),
            _ => {
                self.error(node, path, format!("expected a list, found {}", node.kind_name()));
                None
            }
        }
    }

    /// Reads a non-empty text value. Plain scalars (unquoted YAML words and numbers) count as text.
    pub fn string(&mut self, node: &Node, path: &str) -> Option<String> {
        match &node.kind {
            NodeKind::Scalar { text, .. } if !text.trim().is_empty() => Some(text.clone()),
            NodeKind::Scalar { .. } => {
                self.error(node, path, "must not be empty");
                None
            }
            _ => {
                self.error(node, path, format!("expected a string, found {}", node.kind_name()));
                None
            }
        }
    }

    /// Reads a finite number.
    pub fn number(&mut self, node: &Node, path: &str) -> Option<f64> {
        match &node.kind {
            NodeKind::Scalar { text, quoted: false } => match text.parse::<f64>() {
                Ok(value) if value.is_finite() => Some(value),
                _ => {
                    self.error(node, path, "expected a number");
                    None
                }
            },
            _ => {
                self.error(node, path, format!("expected a number, found {}", node.kind_name()));
                None
            }
        }
    }

    /// Reads `true` or `false`.
    pub fn boolean(&mut self, node: &Node, path: &str) -> Option<bool> {
        match &node.kind {
            NodeKind::Scalar { text, quoted: false } if text == "true" => Some(true),
            NodeKind::Scalar { text, quoted: false } if text == "false" => Some(false),
            _ => {
                self.error(node, path, format!("expected true or false, found {}", node.kind_name()));
                None
            }
        }
    }

    /// Reads one of a fixed set of words.
    pub fn choice(&mut self, node: &Node, path: &str, allowed: &[&str]) -> Option<String> {
        let value = self.string(node, path)?;
        if allowed.contains(&value.as_str()) {
            Some(value)
        } else {
            self.error(node, path, format!("`{value}` is not one of: {}", allowed.join(", ")));
            None
        }
    }

    /// Reads a list of strings.
    pub fn strings(&mut self, node: &Node, path: &str) -> Option<Vec<String>> {
        let items = self.list(node, path)?;
        let mut values = Vec::with_capacity(items.len());
        for (index, item) in items.iter().enumerate() {
            values.push(self.string(item, &index_path(path, index))?);
        }
        Some(values)
    }
}

/// Reads the fields of one mapping, remembering which were asked for so that the rest can be reported as unknown.
#[derive(Debug)]
pub struct MapReader<'a> {
    pos: Pos,
    entries: &'a [(String, Node)],
    path: String,
    used: Vec<bool>,
    known: Vec<&'static str>,
    missing: Vec<&'static str>,
    finished: bool,
}

impl<'a> MapReader<'a> {
    /// The mapping's own field path.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Where the mapping starts.
    pub fn pos(&self) -> Pos {
        self.pos
    }

    /// An optional field (absent or null gives `None`) with its path.
    pub fn get(&mut self, key: &'static str) -> Option<(&'a Node, String)> {
        self.known.push(key);
        let index = self.entries.iter().position(|(name, _)| name == key)?;
        self.used[index] = true;
        let node = &self.entries[index].1;
        if matches!(node.kind, NodeKind::Null) {
            return None;
        }
        Some((node, child_path(&self.path, key)))
    }

    /// A required field; its absence is reported (at the mapping) by [`MapReader::finish`].
    pub fn required(&mut self, key: &'static str) -> Option<(&'a Node, String)> {
        let found = self.get(key);
        if found.is_none() {
            self.missing.push(key);
        }
        found
    }

    /// All entries, for mappings whose keys are data (names of things) rather than fields.
    pub fn entries(&mut self) -> &'a [(String, Node)] {
        self.used.iter_mut().for_each(|used| *used = true);
        self.entries
    }

    /// Reports missing required fields, and every field that was never asked for.
    pub fn finish(mut self, reader: &mut Reader) {
        self.finished = true;
        for key in &self.missing {
            reader.error_at(Some(self.pos), &child_path(&self.path, key), "required field is missing");
        }
        for ((key, node), used) in self.entries.iter().zip(&self.used) {
            if !used {
                let mut known = self.known.clone();
                known.sort_unstable();
                known.dedup();
                reader.error(
                    node,
                    &child_path(&self.path, key),
                    format!("unknown field; expected one of: {}", known.join(", ")),
                );
            }
        }
    }
}

impl Drop for MapReader<'_> {
    fn drop(&mut self) {
        // A reader dropped without `finish` would lose its missing-field and unknown-field reports.
        debug_assert!(
            self.finished || std::thread::panicking(),
            "MapReader for `{}` dropped without finish()",
            self.path
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::{TextFormat, parse};

    #[test]
    fn all_problems_are_reported_with_paths() {
        let docs = parse("a: x\nb: [1, true]\nc: 3\n", TextFormat::Yaml).unwrap();
        let mut reader = Reader::default();
        let mut map = reader.map(&docs[0], "").unwrap();
        if let Some((node, path)) = map.required("a") {
            reader.number(node, &path);
        }
        if let Some((node, path)) = map.required("b") {
            for (index, item) in reader.list(node, &path).unwrap().iter().enumerate() {
                reader.boolean(item, &index_path(&path, index));
            }
        }
        map.required("d");
        map.finish(&mut reader);
        let lines: Vec<String> = reader.diagnostics.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [
                "1:4: field `a`: expected a number",
                "2:5: field `b[0]`: expected true or false, found a number",
                "1:1: field `d`: required field is missing",
                "3:4: field `c`: unknown field; expected one of: a, b, d",
            ]
        );
    }
}

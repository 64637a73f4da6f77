//! Span-aware documents: YAML or JSON text parsed into a tree whose every node knows its line and column,
//! so that input errors can say exactly where they are.
//!
//! JSON is read by the same YAML 1.2 parser (JSON is a subset of it) after a strict JSON syntax check, so one
//! tree type and one set of readers serve both formats.

use std::fmt;

use saphyr_parser::{Event, Parser, ScalarStyle};

/// Deepest nesting accepted; deeper input is refused rather than risking unbounded recursion.
pub const MAX_DEPTH: usize = 64;

/// A position in a text: 1-based line and column (columns count characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, serde::Serialize)]
pub struct Pos {
    /// Line, from 1.
    pub line: u32,
    /// Column, from 1.
    pub column: u32,
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// One node of a parsed document.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// What the node holds.
    pub kind: NodeKind,
    /// Where it starts.
    pub pos: Pos,
}

impl Node {
    /// Overwrites every scalar and key of the tree with zeros, then empties them: a parsed testimony holds its
    /// protected block in the clear, and nothing else would wipe it before the memory is reused. Iterative, so
    /// any depth is wiped without recursion.
    pub fn wipe(&mut self) {
        use zeroize::Zeroize;
        let mut pending: Vec<&mut Node> = vec![self];
        while let Some(node) = pending.pop() {
            match &mut node.kind {
                NodeKind::Null => {}
                NodeKind::Scalar { text, .. } => text.zeroize(),
                NodeKind::Seq(items) => pending.extend(items.iter_mut()),
                NodeKind::Map(entries) => {
                    for (key, value) in entries.iter_mut() {
                        key.zeroize();
                        pending.push(value);
                    }
                }
            }
        }
    }
}

/// The content of a [`Node`].
#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    /// `null`, `~` or an empty value.
    Null,
    /// A scalar with its text; `quoted` tells a quoted string from a plain scalar (number, boolean, word).
    Scalar {
        /// The scalar's text.
        text: String,
        /// Whether it was written in quotes (so it is text, never a number or boolean).
        quoted: bool,
    },
    /// A list.
    Seq(Vec<Node>),
    /// A mapping, in document order; keys are unique (duplicates are refused at parse time).
    Map(Vec<(String, Node)>),
}

impl Node {
    /// A short name of the node's kind for error messages ("a mapping", "a list", ...).
    pub fn kind_name(&self) -> &'static str {
        match &self.kind {
            NodeKind::Null => "null",
            NodeKind::Scalar { quoted: true, .. } => "a string",
            NodeKind::Scalar { text, .. } => scalar_kind_name(text),
            NodeKind::Seq(_) => "a list",
            NodeKind::Map(_) => "a mapping",
        }
    }

    /// Converts the node to JSON keeping every scalar as the text written (`007` stays `"007"`), for data
    /// that must be kept exactly, such as a testimony's protected block.
    pub fn to_json_text(&self) -> serde_json::Value {
        use serde_json::Value;
        match &self.kind {
            NodeKind::Null => Value::Null,
            NodeKind::Scalar { text, .. } => Value::String(text.clone()),
            NodeKind::Seq(items) => Value::Array(items.iter().map(Node::to_json_text).collect()),
            NodeKind::Map(entries) => {
                Value::Object(entries.iter().map(|(k, v)| (k.clone(), v.to_json_text())).collect())
            }
        }
    }

    /// Converts the node to JSON (scalars are typed as YAML 1.2 core schema would type them).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value;
        match &self.kind {
            NodeKind::Null => Value::Null,
            NodeKind::Scalar { text, quoted: true } => Value::String(text.clone()),
            NodeKind::Scalar { text, quoted: false } => match text.as_str() {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                _ => {
                    if let Ok(i) = text.parse::<i64>() {
                        Value::from(i)
                    } else if let Some(n) = text.parse::<f64>().ok().and_then(serde_json::Number::from_f64) {
                        Value::Number(n)
                    } else {
                        Value::String(text.clone())
                    }
                }
            },
            NodeKind::Seq(items) => Value::Array(items.iter().map(Node::to_json).collect()),
            NodeKind::Map(entries) => Value::Object(entries.iter().map(|(k, v)| (k.clone(), v.to_json())).collect()),
        }
    }
}

fn scalar_kind_name(text: &str) -> &'static str {
    if text == "true" || text == "false" {
        "a boolean"
    } else if text.parse::<f64>().is_ok() {
        "a number"
    } else {
        "a string"
    }
}

/// The text formats a document can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextFormat {
    /// One JSON value.
    Json,
    /// JSON Lines: one JSON value a line.
    JsonLines,
    /// A YAML stream of one or more documents.
    Yaml,
}

impl TextFormat {
    /// Guesses the format from a file name, falling back on the first significant character of the text.
    pub fn detect(file_name: Option<&str>, text: &str) -> TextFormat {
        let lower = file_name.map(str::to_ascii_lowercase).unwrap_or_default();
        if lower.ends_with(".jsonl") || lower.ends_with(".ndjson") {
            return TextFormat::JsonLines;
        }
        if lower.ends_with(".yaml") || lower.ends_with(".yml") {
            return TextFormat::Yaml;
        }
        let body = text.trim_start_matches('\u{feff}').trim_start();
        match body.chars().next() {
            // FtM tools write JSON Lines into `.json` files: a complete object on the first line, more after it.
            Some('{') if Self::first_line_is_a_whole_value(body) => TextFormat::JsonLines,
            Some('{') | Some('[') => TextFormat::Json,
            _ if lower.ends_with(".json") => TextFormat::Json,
            _ => TextFormat::Yaml,
        }
    }

    fn first_line_is_a_whole_value(body: &str) -> bool {
        let (first, rest) = body.split_once('\n').unwrap_or((body, ""));
        !rest.trim().is_empty() && serde_json::from_str::<serde::de::IgnoredAny>(first).is_ok()
    }
}

/// A syntax error with its position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// Where.
    pub pos: Pos,
    /// What.
    pub message: String,
}

/// Parses text into its documents: a JSON value (an array counts as one document per element only if the
/// caller splits it), each line of JSON Lines, or each document of a YAML stream.
pub fn parse(text: &str, format: TextFormat) -> Result<Vec<Node>, SyntaxError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match format {
        TextFormat::Json => {
            check_json(text, 0)?;
            parse_yaml(text, 0)
        }
        TextFormat::JsonLines => {
            let mut docs = Vec::new();
            for (index, line) in text.lines().enumerate() {
                if line.trim().is_empty() {
                    continue;
                }
                check_json(line, index)?;
                docs.extend(parse_yaml(line, index)?);
            }
            Ok(docs)
        }
        TextFormat::Yaml => parse_yaml(text, 0),
    }
}

fn check_json(text: &str, line_offset: usize) -> Result<(), SyntaxError> {
    match serde_json::from_str::<serde::de::IgnoredAny>(text) {
        Ok(_) => Ok(()),
        Err(error) => Err(SyntaxError {
            pos: Pos { line: (error.line() + line_offset) as u32, column: error.column() as u32 },
            message: format!("invalid JSON: {}", json_error_message(&error)),
        }),
    }
}

/// serde_json appends " at line L column C" to its messages; the position is reported separately.
fn json_error_message(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.rfind(" at line ") {
        Some(cut) => text[..cut].to_string(),
        None => text,
    }
}

enum Frame {
    Seq(Pos, Vec<Node>),
    Map(Pos, Vec<(String, Node)>, Option<(String, Pos)>),
}

fn parse_yaml(text: &str, line_offset: usize) -> Result<Vec<Node>, SyntaxError> {
    let mut docs = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut current_doc: Option<Node> = None;
    let position = |marker: &saphyr_parser::Marker| Pos {
        line: (marker.line() + line_offset) as u32,
        column: marker.col() as u32 + 1,
    };
    for item in Parser::new_from_str(text) {
        let (event, span) = item.map_err(|error| SyntaxError {
            pos: position(error.marker()),
            message: format!("invalid YAML: {}", error.info()),
        })?;
        let pos = position(&span.start);
        let finished = match event {
            Event::StreamStart | Event::StreamEnd | Event::Nothing => continue,
            Event::DocumentStart(_) => {
                current_doc = None;
                continue;
            }
            Event::DocumentEnd => {
                docs.push(current_doc.take().unwrap_or(Node { kind: NodeKind::Null, pos }));
                continue;
            }
            Event::Alias(_) => {
                return Err(SyntaxError { pos, message: "YAML aliases are not supported; write the value out".into() });
            }
            Event::Scalar(value, style, _, _) => {
                let quoted = !matches!(style, ScalarStyle::Plain);
                let kind = if !quoted && matches!(value.as_ref(), "" | "~" | "null" | "Null" | "NULL") {
                    NodeKind::Null
                } else {
                    NodeKind::Scalar { text: value.into_owned(), quoted }
                };
                Node { kind, pos }
            }
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(SyntaxError { pos, message: format!("nested deeper than {MAX_DEPTH} levels") });
                }
                stack.push(if matches!(event, Event::SequenceStart(..)) {
                    Frame::Seq(pos, Vec::new())
                } else {
                    Frame::Map(pos, Vec::new(), None)
                });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Frame::Seq(start, items)) => Node { kind: NodeKind::Seq(items), pos: start },
                Some(Frame::Map(start, entries, _)) => Node { kind: NodeKind::Map(entries), pos: start },
                None => {
                    return Err(SyntaxError { pos, message: "unbalanced YAML structure".into() });
                }
            },
        };
        match stack.last_mut() {
            None => current_doc = Some(finished),
            Some(Frame::Seq(_, items)) => items.push(finished),
            Some(Frame::Map(_, entries, pending)) => match pending.take() {
                None => {
                    let key = match finished.kind {
                        NodeKind::Scalar { text, .. } => text,
                        NodeKind::Null => String::new(),
                        _ => {
                            return Err(SyntaxError {
                                pos: finished.pos,
                                message: "mapping keys must be plain strings".into(),
                            });
                        }
                    };
                    // The key is not repeated in the message: inside `protected`, keys can be names.
                    if let Some((_, first)) = entries.iter().find(|(existing, _)| *existing == key) {
                        return Err(SyntaxError {
                            pos: finished.pos,
                            message: format!(
                                "duplicate key in the same mapping (the value at {} has it too)",
                                first.pos
                            ),
                        });
                    }
                    *pending = Some((key, finished.pos));
                }
                Some((key, _)) => entries.push((key, finished)),
            },
        }
    }
    Ok(docs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_for_yaml_and_json() {
        let docs = parse("a: 1\nb:\n  - x\n", TextFormat::Yaml).unwrap();
        let NodeKind::Map(entries) = &docs[0].kind else { panic!("not a map") };
        assert_eq!(entries[0].1.pos, Pos { line: 1, column: 4 });
        let NodeKind::Seq(items) = &entries[1].1.kind else { panic!("not a seq") };
        assert_eq!(items[0].pos, Pos { line: 3, column: 5 });

        let docs = parse("{\n  \"a\": [1, \"two\"]\n}", TextFormat::Json).unwrap();
        let NodeKind::Map(entries) = &docs[0].kind else { panic!("not a map") };
        let NodeKind::Seq(items) = &entries[0].1.kind else { panic!("not a seq") };
        assert_eq!(items[1].pos, Pos { line: 2, column: 12 });
        assert_eq!(items[1].kind_name(), "a string");
        assert_eq!(items[0].kind_name(), "a number");
    }

    #[test]
    fn json_syntax_errors_have_positions() {
        let error = parse("{\n  \"a\": 1,\n  \"b\" 2\n}", TextFormat::Json).unwrap_err();
        assert_eq!(error.pos.line, 3);
        assert!(error.message.starts_with("invalid JSON"), "{}", error.message);
    }

    #[test]
    fn json_lines_report_the_line_of_the_bad_record() {
        let error = parse("{\"a\":1}\n{\"a\":2}\n{\"a\":\n", TextFormat::JsonLines).unwrap_err();
        assert_eq!(error.pos.line, 3);
    }

    #[test]
    fn duplicate_keys_and_aliases_are_refused() {
        let error = parse("a: 1\na: 2\n", TextFormat::Yaml).unwrap_err();
        assert_eq!(error.pos, Pos { line: 2, column: 1 });
        assert_eq!(error.message, "duplicate key in the same mapping (the value at 1:4 has it too)");
        let error = parse("a: &x 1\nb: *x\n", TextFormat::Yaml).unwrap_err();
        assert!(error.message.contains("aliases"));
        let error = parse("{\"a\": 1, \"a\": 2}", TextFormat::Json).unwrap_err();
        assert!(error.message.contains("duplicate key"));
    }

    #[test]
    fn yaml_streams_give_one_node_per_document() {
        let docs = parse("---\na: 1\n---\na: 2\n", TextFormat::Yaml).unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[1].to_json(), serde_json::json!({"a": 2}));
    }

    #[test]
    fn a_wiped_tree_keeps_its_shape_and_no_text() {
        let mut tree = parse("name: SYNTHETIC-NAME\nrelatives: [SYNTHETIC-A, {b: SYNTHETIC-B}]\n", TextFormat::Yaml)
            .unwrap()
            .remove(0);
        tree.wipe();
        let text = format!("{tree:?}");
        assert!(!text.contains("SYNTHETIC") && !text.contains("name") && !text.contains("relatives"), "{text}");
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
        let error = parse(&text, TextFormat::Yaml).unwrap_err();
        assert!(error.message.contains("nested deeper"));
    }

    #[test]
    fn format_detection() {
        assert_eq!(TextFormat::detect(Some("x.JSONL"), ""), TextFormat::JsonLines);
        assert_eq!(TextFormat::detect(None, "  {\"a\":1}"), TextFormat::Json);
        assert_eq!(TextFormat::detect(None, "a: 1"), TextFormat::Yaml);
        assert_eq!(TextFormat::detect(Some("x.json"), "{\"a\":1}\n{\"a\":2}\n"), TextFormat::JsonLines);
        assert_eq!(TextFormat::detect(Some("x.json"), "{\n\"a\":1}\n"), TextFormat::Json);
    }
}

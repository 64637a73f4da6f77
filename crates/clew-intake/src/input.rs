//! Reading input files: size limit, UTF-8 check with the position of the first bad byte, directories and
//! standard input, and splitting a file into records.

use std::io::Read;
use std::path::{Path, PathBuf};

use clew_model::Diagnostic;
use clew_model::doc::{Node, NodeKind, Pos, TextFormat, parse};

/// The largest input file read (a testimony file is kilobytes; a batch file some megabytes).
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// Where input comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputPath {
    /// A file.
    File(PathBuf),
    /// Standard input.
    Stdin,
}

impl InputPath {
    /// The name shown in messages.
    pub fn display_name(&self) -> String {
        match self {
            InputPath::File(path) => path.display().to_string(),
            InputPath::Stdin => "-".to_string(),
        }
    }
}

fn problem(file: &str, pos: Option<Pos>, message: impl Into<String>) -> Diagnostic {
    Diagnostic { file: Some(file.to_string()), pos, path: String::new(), message: message.into() }
}

/// Expands arguments: `-` is standard input, a directory gives its `.json`, `.jsonl`, `.ndjson`, `.yaml` and
/// `.yml` files (recursively, sorted, not following symbolic links), a file is itself.
pub fn expand(arguments: &[String]) -> Result<Vec<InputPath>, Diagnostic> {
    let mut inputs = Vec::new();
    for argument in arguments {
        if argument == "-" {
            inputs.push(InputPath::Stdin);
            continue;
        }
        let path = PathBuf::from(argument);
        let metadata = std::fs::metadata(&path);
        if metadata.as_ref().is_ok_and(|m| !m.is_dir() && !m.is_file()) {
            return Err(problem(
                argument,
                None,
                "not a regular file (a FIFO, device or socket); clew reads regular files only",
            ));
        }
        if path.is_dir() {
            let mut found = Vec::new();
            walk(&path, &mut found).map_err(|e| problem(argument, None, format!("cannot read directory: {e}")))?;
            found.sort();
            if found.is_empty() {
                return Err(problem(
                    argument,
                    None,
                    "the directory holds no .json, .jsonl, .ndjson, .yaml or .yml file",
                ));
            }
            inputs.extend(found.into_iter().map(InputPath::File));
        } else if path.exists() {
            inputs.push(InputPath::File(path));
        } else {
            return Err(problem(argument, None, "no such file or directory"));
        }
    }
    Ok(inputs)
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        // A link could lead back up the tree, or out of it: only what is really inside is read. A FIFO, device
        // or socket is passed over: opening one could block for ever.
        let file_type = entry.file_type()?;
        let path = entry.path();
        if file_type.is_dir() {
            walk(&path, found)?;
        } else if file_type.is_file()
            && matches!(
                path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref(),
                Some("json" | "jsonl" | "ndjson" | "yaml" | "yml")
            )
        {
            found.push(path);
        }
    }
    Ok(())
}

/// Reads an input as UTF-8 text: a regular file (never a FIFO or device, which could block for ever) or
/// standard input, refusing anything over [`MAX_FILE_BYTES`].
pub fn read_text(input: &InputPath) -> Result<String, Diagnostic> {
    let name = input.display_name();
    let bytes = match input {
        InputPath::File(path) => clew_files::read(path, MAX_FILE_BYTES).map_err(|error| match error {
            clew_files::FileError::TooLarge { size, .. } => problem(
                &name,
                None,
                format!(
                    "the file is {} MiB; clew reads files up to {} MiB: split it (JSON Lines or several files)",
                    size / (1024 * 1024),
                    MAX_FILE_BYTES / (1024 * 1024)
                ),
            ),
            other => problem(&name, None, other.to_string().trim_start_matches(&format!("{name}: ")).to_string()),
        })?,
        InputPath::Stdin => {
            let mut bytes = Vec::new();
            std::io::stdin()
                .take(MAX_FILE_BYTES + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| problem(&name, None, format!("cannot read: {e}")))?;
            if bytes.len() as u64 > MAX_FILE_BYTES {
                return Err(problem(&name, None, format!("input is over {} MiB", MAX_FILE_BYTES / (1024 * 1024))));
            }
            bytes
        }
    };
    String::from_utf8(bytes).map_err(|error| {
        let valid = &error.as_bytes()[..error.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|b| **b == b'\n').count() as u32 + 1;
        let line_start = valid.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&valid[line_start..]).chars().count() as u32 + 1;
        problem(&name, Some(Pos { line, column }), "invalid UTF-8: save the file as UTF-8")
    })
}

/// Splits a text into records: the documents of a YAML stream, the lines of JSON Lines, or the elements of a
/// top-level JSON or YAML list; anything else is one record.
pub fn records(name: &str, text: &str) -> Result<Vec<Node>, Diagnostic> {
    if text.trim().is_empty() {
        return Err(problem(name, None, "the file is empty"));
    }
    let format = TextFormat::detect(Some(name).filter(|n| *n != "-"), text);
    let documents = parse(text, format).map_err(|e| problem(name, Some(e.pos), e.message))?;
    let mut records = Vec::new();
    for document in documents {
        match document.kind {
            NodeKind::Seq(items) if format != TextFormat::JsonLines => records.extend(items),
            NodeKind::Null => {}
            _ => records.push(document),
        }
    }
    if records.is_empty() {
        return Err(problem(name, None, "the file holds no record"));
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fifo_is_never_opened_so_nothing_blocks() {
        // A FIFO in an input folder made `validate` and `import` wait for ever.
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.yaml"), "id: x\n").unwrap();
        let fifo = dir.path().join("b.yaml");
        assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
        let found = expand(&[dir.path().display().to_string()]).unwrap();
        assert_eq!(found, vec![InputPath::File(dir.path().join("a.yaml"))]);
        let error = expand(&[fifo.display().to_string()]).unwrap_err();
        assert!(error.message.contains("not a regular file"), "{error:?}");
        let error = read_text(&InputPath::File(fifo.clone())).unwrap_err();
        assert_eq!(error.message, "not a regular file (it is a FIFO); clew reads regular files only");
    }

    #[test]
    fn invalid_utf8_is_located() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.json");
        std::fs::write(&path, b"{\n  \"id\": \"ab\xffcd\"\n}").unwrap();
        let error = read_text(&InputPath::File(path)).unwrap_err();
        assert_eq!(error.pos, Some(Pos { line: 2, column: 12 }));
        assert!(error.message.contains("invalid UTF-8"));
    }

    #[test]
    fn huge_files_are_refused_before_reading() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("huge.json");
        // A sparse 1 GiB file: no disk space is used, and nothing is read.
        std::fs::File::create(&path).unwrap().set_len(1 << 30).unwrap();
        let error = read_text(&InputPath::File(path)).unwrap_err();
        assert!(error.message.contains("1024 MiB"), "{}", error.message);
    }

    #[test]
    fn empty_and_record_splitting() {
        assert!(records("x.json", "  \n").unwrap_err().message.contains("empty"));
        assert_eq!(records("x.json", "[{\"a\":1},{\"a\":2}]").unwrap().len(), 2);
        assert_eq!(records("x.jsonl", "{\"a\":1}\n\n{\"a\":2}\n").unwrap().len(), 2);
        assert_eq!(records("x.yaml", "a: 1\n---\na: 2\n").unwrap().len(), 2);
        assert!(records("x.yaml", "---\n").unwrap_err().message.contains("no record"));
    }
}

//! Records to link: the columns a config reads, each value interned per column so that equal values compare
//! as equal integers. Read from CSV files (each file one source) or built from rows.

use rustc_hash::FxHashMap;

use crate::{Error, Problem};

/// The value id of an empty cell.
pub const NULL: u32 = 0;

/// Longest value read from a records file (a name, date, identifier or place): [`clew_names::MAX_NAME_CHARS`].
pub const MAX_VALUE_CHARS: usize = clew_names::MAX_NAME_CHARS;

/// The records of one or more sources, column by column.
#[derive(Debug, Clone)]
pub struct Records {
    columns: Vec<String>,
    ids: Vec<String>,
    sources: Vec<u16>,
    origins: Vec<String>,
    cells: Vec<Vec<u32>>,
    values: Vec<Vec<String>>,
    index: Vec<FxHashMap<String, u32>>,
    /// Per source, its ids: ids are unique within a file, and two files may use the same ones.
    seen_ids: Vec<FxHashMap<String, u32>>,
}

impl Records {
    /// No records yet, with the columns to keep (the first is the id column).
    pub fn new(columns: Vec<String>) -> Records {
        let n = columns.len();
        Records {
            columns,
            ids: Vec::new(),
            sources: Vec::new(),
            origins: Vec::new(),
            cells: vec![Vec::new(); n],
            values: vec![vec![String::new()]; n],
            index: vec![FxHashMap::default(); n],
            seen_ids: Vec::new(),
        }
    }

    /// Adds a CSV file as a new source. Every problem is reported (file:line and column) and then nothing is
    /// added. Values are trimmed; an empty value is missing.
    pub fn add_csv(&mut self, origin: &str, bytes: &[u8]) -> Result<(), Error> {
        let text = std::str::from_utf8(bytes).map_err(|e| {
            let line = bytes[..e.valid_up_to()].iter().filter(|b| **b == b'\n').count() + 1;
            Error::at(origin, Some(line), "not UTF-8 text; save the file as UTF-8")
        })?;
        let text = text.trim_start_matches('\u{feff}');
        let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(text.as_bytes());
        let headers: Vec<String> = match reader.headers() {
            Ok(h) => h.iter().map(|c| c.trim().to_string()).collect(),
            Err(e) => return Err(Error::at(origin, Some(1), format!("bad CSV header: {e}"))),
        };
        let mut problems = Vec::new();
        let mut positions = Vec::new();
        for column in &self.columns {
            match headers.iter().position(|h| h == column) {
                Some(p) => positions.push(p),
                None => problems.push(Problem {
                    origin: origin.into(),
                    line: Some(1),
                    message: format!(
                        "no column `{column}`, which the config reads (the header has: {})",
                        headers.join(", ")
                    ),
                }),
            }
        }
        if !problems.is_empty() {
            return Err(Error::Input(problems));
        }
        // Rows are kept as they are read; if anything is wrong, everything this file added is taken back, so
        // bad input adds nothing.
        let before = (self.ids.len(), self.values.iter().map(Vec::len).collect::<Vec<_>>());
        let source = self.begin_source(origin);
        // Room for every row at once (a line count is an upper bound when no value spans lines): growing a
        // million-row column by doubling costs more than counting.
        let rows = text.bytes().filter(|b| *b == b'\n').count();
        self.ids.reserve(rows);
        self.sources.reserve(rows);
        for cells in &mut self.cells[1..] {
            cells.reserve(rows);
        }
        self.seen_ids[source as usize].reserve(rows);
        let mut lines: Vec<u32> = Vec::with_capacity(rows);
        let mut record = csv::StringRecord::new();
        let id_column = self.columns[0].clone();
        loop {
            match reader.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => {
                    let line = e.position().map(|p| p.line() as usize);
                    let unequal = matches!(e.kind(), csv::ErrorKind::UnequalLengths { .. });
                    let message = match e.kind() {
                        csv::ErrorKind::UnequalLengths { len, .. } => {
                            format!("{len} fields where the header has {}", headers.len())
                        }
                        _ => format!("bad CSV: {e}"),
                    };
                    problems.push(Problem { origin: origin.into(), line, message });
                    if unequal {
                        continue;
                    }
                    break;
                }
            }
            let line = record.position().map_or(0, |p| p.line() as usize);
            let id = record.get(positions[0]).unwrap_or("").trim();
            // A value is a name, date, identifier or place: a longer one is a broken or hostile file, and the
            // cost of comparing names grows with their length.
            let too_long = positions.iter().zip(&self.columns).find_map(|(p, column)| {
                let length = record.get(*p).unwrap_or("").chars().count();
                (length > MAX_VALUE_CHARS).then_some((column, length))
            });
            let problem = if let Some((column, length)) = too_long {
                Some(format!("`{column}`: a value of {length} characters; values are limited to {MAX_VALUE_CHARS}"))
            } else if id.is_empty() {
                Some(format!("`{id_column}`: empty; every record needs an id"))
            } else {
                self.seen_ids[source as usize].get(id).map(|first| {
                    let first = lines[*first as usize - before.0];
                    format!("`{id_column}`: `{id}` is used again (first on line {first})")
                })
            };
            match problem {
                Some(message) => problems.push(Problem { origin: origin.into(), line: Some(line), message }),
                None if problems.is_empty() => {
                    lines.push(line as u32);
                    let values = positions.iter().map(|p| record.get(*p).unwrap_or("").trim());
                    self.push(source, values);
                }
                // After a problem, rows are only checked: they will be taken back anyway.
                None => {
                    lines.push(line as u32);
                    self.seen_ids[source as usize].insert(id.to_string(), (before.0 + lines.len() - 1) as u32);
                }
            }
        }
        if !problems.is_empty() {
            self.take_back(before);
            return Err(Error::Input(problems));
        }
        Ok(())
    }

    /// Removes the last source and everything it added, back to the lengths given.
    fn take_back(&mut self, (records, values): (usize, Vec<usize>)) {
        self.origins.pop();
        self.seen_ids.pop();
        self.ids.truncate(records);
        self.sources.truncate(records);
        for (column, length) in values.into_iter().enumerate() {
            self.cells[column].truncate(records);
            for value in self.values[column].drain(length..) {
                self.index[column].remove(&value);
            }
        }
    }

    fn begin_source(&mut self, origin: &str) -> u16 {
        self.origins.push(origin.to_string());
        self.seen_ids.push(FxHashMap::default());
        (self.origins.len() - 1) as u16
    }

    /// Adds one record: its values in column order, the id first.
    fn push<'a>(&mut self, source: u16, mut values: impl Iterator<Item = &'a str>) {
        let id = values.next().unwrap_or_default().to_string();
        self.seen_ids[source as usize].insert(id.clone(), self.ids.len() as u32);
        self.ids.push(id);
        self.sources.push(source);
        for (column, value) in values.enumerate().map(|(i, v)| (i + 1, v)) {
            let id = if value.is_empty() {
                NULL
            } else if let Some(id) = self.index[column].get(value) {
                *id
            } else {
                let id = self.values[column].len() as u32;
                self.values[column].push(value.to_string());
                self.index[column].insert(value.to_string(), id);
                id
            };
            self.cells[column].push(id);
        }
    }

    /// Adds rows (the values of the columns, in order, the id first) as a new source. The caller has checked
    /// that ids are present and unique.
    pub fn add_rows(&mut self, origin: &str, rows: Vec<Vec<String>>) {
        let source = self.begin_source(origin);
        for row in &rows {
            self.push(source, row.iter().map(String::as_str));
        }
    }

    /// How many records.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The id of a record.
    pub fn id(&self, record: u32) -> &str {
        &self.ids[record as usize]
    }

    /// The record of a source (file, counted from 0) with an id.
    pub fn find(&self, source: u16, id: &str) -> Option<u32> {
        self.seen_ids.get(source as usize)?.get(id).copied()
    }

    /// The source (file) a record came from, counted from 0.
    pub fn source(&self, record: u32) -> u16 {
        self.sources[record as usize]
    }

    /// The sources' names.
    pub fn origins(&self) -> &[String] {
        &self.origins
    }

    /// How many records each source has.
    pub fn source_sizes(&self) -> Vec<u64> {
        let mut sizes = vec![0u64; self.origins.len()];
        for s in &self.sources {
            sizes[*s as usize] += 1;
        }
        sizes
    }

    /// The position of a column.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }

    /// The value ids of a column, one per record.
    pub fn cells(&self, column: usize) -> &[u32] {
        &self.cells[column]
    }

    /// The distinct values of a column, by value id (id 0 is the missing value).
    pub fn values(&self, column: usize) -> &[String] {
        &self.values[column]
    }

    /// A record's value in a column, if any.
    pub fn value(&self, column: usize, record: u32) -> Option<&str> {
        match self.cells[column][record as usize] {
            NULL => None,
            id => Some(&self.values[column][id as usize]),
        }
    }
}

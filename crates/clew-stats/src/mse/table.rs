//! Capture-history tables: read from CSV, checked whole, and given per stratum as counts by pattern.

use std::collections::BTreeMap;

/// The most people one row of a table may count: a billion. No list of people comes near it, and with at most
/// 2^16 - 1 patterns a stratum's total stays below 10^14, where every sum is exact in floating point and the
/// log-linear fits and the samplers work as they do on small tables. Counts of 10^18 and more used to pass and
/// then make every log-linear fit fail ("no maximum-likelihood estimate") without saying why.
pub const MAX_COUNT: f64 = 1e9;

/// The most lists a table may have: patterns are bit sets of 32 bits, and a stratum's counts take 2^lists
/// numbers.
pub const MAX_LISTS: usize = 16;

/// One problem with a table, and where (1-based line and column; 0 for the table as a whole or the whole
/// line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableProblem {
    /// The line.
    pub line: usize,
    /// The character column where the field at fault starts, from 1; 0 when the problem is the whole line.
    pub column: usize,
    /// What is wrong, naming the column.
    pub message: String,
}

/// The character column (from 1) at which each field of one CSV line starts, after the blanks the reader
/// trims. A quoted field may hold commas.
fn field_columns(line: &str) -> Vec<usize> {
    let mut columns = Vec::new();
    let (mut quoted, mut at_start, mut length) = (false, true, 0);
    for (index, c) in line.chars().enumerate() {
        length = index + 1;
        if at_start {
            if c == ' ' || c == '\t' {
                continue;
            }
            columns.push(index + 1);
            at_start = false;
        }
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => at_start = true,
            _ => {}
        }
    }
    if at_start {
        columns.push(length + 1);
    }
    columns
}

/// The character columns of the fields of the line that starts at byte `offset` of `text`.
fn columns_at(text: &str, offset: usize) -> Vec<usize> {
    let line = text.get(offset..).and_then(|rest| rest.lines().next()).unwrap_or("");
    field_columns(line.trim_end_matches('\r'))
}

/// A capture-history table.
#[derive(Debug, Clone, PartialEq)]
pub struct CaptureTable {
    /// The lists, in column order.
    pub lists: Vec<String>,
    /// The stratum columns, if any.
    pub stratum_columns: Vec<String>,
    /// Counts by stratum (its values, in column order) and pattern (bit i: on list i).
    pub cells: BTreeMap<Vec<String>, BTreeMap<u32, f64>>,
    /// The notes of the lines starting with `#` before the header (e.g. that the table is synthetic).
    pub notes: Vec<String>,
}

impl CaptureTable {
    /// Whether a note says the table was made from synthetic (fictional) data: `# SYNTHETIC DATA...`, as clew
    /// writes it.
    pub fn synthetic(&self) -> bool {
        self.notes.iter().any(|note| note.starts_with("SYNTHETIC DATA"))
    }
}

impl CaptureTable {
    /// Reads a table: the `count` column, the stratum columns named, and every other column a list. Every
    /// problem is reported with its line and column: a list value other than 0 or 1, a count that is negative,
    /// fractional, not a number or more than [`MAX_COUNT`], a pattern given twice, the all-zero pattern (nobody
    /// can be counted on no list), fewer than two lists or more than [`MAX_LISTS`], a list with no one on it.
    pub fn read(text: &str, strata: &[&str]) -> Result<CaptureTable, Vec<TableProblem>> {
        // Lines starting with `#` are notes, not rows: a table made from synthetic data says so in one.
        let mut reader =
            csv::ReaderBuilder::new().trim(csv::Trim::All).comment(Some(b'#')).from_reader(text.as_bytes());
        let header_offset = text.split_inclusive('\n').take_while(|line| line.starts_with('#')).map(str::len).sum();
        let notes: Vec<String> = text
            .lines()
            .take_while(|line| line.starts_with('#'))
            .map(|line| line.trim_start_matches('#').trim().to_string())
            .collect();
        let header_line = notes.len() + 1;
        let problem = |line: usize, column: usize, message: String| TableProblem { line, column, message };
        let header: Vec<String> = match reader.headers() {
            Ok(h) => h.iter().map(String::from).collect(),
            Err(e) => return Err(vec![problem(header_line, 0, format!("bad CSV header: {e}"))]),
        };
        let header_columns = columns_at(text, header_offset);
        let header_column = |field: usize| header_columns.get(field).copied().unwrap_or(0);
        let mut problems = Vec::new();
        let count_column = header.iter().position(|h| h == "count");
        if count_column.is_none() {
            problems.push(problem(
                header_line,
                0,
                format!("no `count` column (the header has: {})", header.join(", ")),
            ));
        }
        for (i, name) in header.iter().enumerate() {
            if header[..i].contains(name) {
                problems.push(problem(header_line, header_column(i), format!("the column `{name}` is named twice")));
            }
        }
        let mut stratum_positions = Vec::new();
        for stratum in strata {
            match header.iter().position(|h| h == stratum) {
                Some(p) => stratum_positions.push(p),
                None => problems.push(problem(header_line, 0, format!("no stratum column `{stratum}`"))),
            }
        }
        let Some(count_column) = count_column else { return Err(problems) };
        let list_positions: Vec<usize> =
            (0..header.len()).filter(|i| *i != count_column && !stratum_positions.contains(i)).collect();
        if list_positions.len() < 2 {
            problems.push(problem(
                1,
                0,
                format!("{} list column(s): estimation needs at least two lists", list_positions.len()),
            ));
        }
        if list_positions.len() > MAX_LISTS {
            problems.push(problem(
                1,
                0,
                format!("{} list columns: at most {MAX_LISTS} lists are supported", list_positions.len()),
            ));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut cells: BTreeMap<Vec<String>, BTreeMap<u32, f64>> = BTreeMap::new();
        let mut first_seen: BTreeMap<(Vec<String>, u32), usize> = BTreeMap::new();
        for record in reader.records() {
            let record = match record {
                Ok(r) => r,
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line() as usize);
                    problems.push(problem(line, 0, format!("bad CSV: {e}")));
                    continue;
                }
            };
            let (line, offset) = record.position().map_or((0, None), |p| (p.line() as usize, Some(p.byte())));
            // Columns are worked out only for a row with a problem: most rows have none.
            let column_of =
                |field: usize| offset.and_then(|o| columns_at(text, o as usize).get(field).copied()).unwrap_or(0);
            let mut pattern = 0u32;
            let mut ok = true;
            for (bit, position) in list_positions.iter().enumerate() {
                match record.get(*position).unwrap_or("") {
                    "1" => pattern |= 1 << bit,
                    "0" => {}
                    other => {
                        ok = false;
                        problems.push(problem(
                            line,
                            column_of(*position),
                            format!("`{}`: `{other}` is not 0 or 1", header[*position]),
                        ));
                    }
                }
            }
            let count_text = record.get(count_column).unwrap_or("");
            let count = match count_text.parse::<f64>() {
                Ok(c) if c >= 0.0 && c.fract() == 0.0 && c <= MAX_COUNT => c,
                Ok(c) if c > MAX_COUNT => {
                    ok = false;
                    problems.push(problem(
                        line,
                        column_of(count_column),
                        format!(
                            "`count`: `{count_text}` is more than {}, the most people a row may count",
                            super::thousands(MAX_COUNT as u64)
                        ),
                    ));
                    0.0
                }
                _ => {
                    ok = false;
                    problems.push(problem(
                        line,
                        column_of(count_column),
                        format!("`count`: `{count_text}` is not a whole number of people, 0 or more"),
                    ));
                    0.0
                }
            };
            if !ok {
                continue;
            }
            if pattern == 0 {
                problems.push(problem(
                    line,
                    0,
                    "the all-zero pattern: people on no list cannot be counted (that is what is estimated)".into(),
                ));
                continue;
            }
            let stratum: Vec<String> =
                stratum_positions.iter().map(|p| record.get(*p).unwrap_or("").to_string()).collect();
            if let Some(first) = first_seen.insert((stratum.clone(), pattern), line) {
                problems.push(problem(line, 0, format!("the same pattern as line {first}")));
                continue;
            }
            cells.entry(stratum).or_default().insert(pattern, count);
        }
        if problems.is_empty() {
            for (bit, position) in list_positions.iter().enumerate() {
                let on: f64 =
                    cells.values().flat_map(|c| c.iter()).filter(|(p, _)| *p & (1 << bit) != 0).map(|(_, c)| c).sum();
                if on == 0.0 {
                    problems.push(problem(0, 0, format!("list `{}` has no one on it", header[*position])));
                }
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(CaptureTable {
            lists: list_positions.iter().map(|p| header[*p].clone()).collect(),
            stratum_columns: strata.iter().map(|s| s.to_string()).collect(),
            cells,
            notes,
        })
    }

    /// The lists (by index) that have someone on them in a stratum: the others are left out of its models.
    pub fn lists_with_records(&self, stratum: &[String]) -> Vec<usize> {
        let given = self.cells.get(stratum);
        (0..self.lists.len())
            .filter(|list| given.is_some_and(|c| c.iter().any(|(p, n)| *n > 0.0 && p >> list & 1 == 1)))
            .collect()
    }

    /// The counts of one stratum (the table's only one when it has no stratum columns), every observable
    /// pattern present (0 when not given).
    pub fn counts(&self, stratum: &[String]) -> Vec<f64> {
        let given = self.cells.get(stratum);
        (1..(1u32 << self.lists.len())).map(|p| given.and_then(|c| c.get(&p)).copied().unwrap_or(0.0)).collect()
    }
}

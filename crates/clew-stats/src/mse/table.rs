//! Capture-history tables: read from CSV, checked whole, and given per stratum as counts by pattern.

use std::collections::BTreeMap;

/// One problem with a table, and where (1-based line; 0 for the table as a whole).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableProblem {
    /// The line.
    pub line: usize,
    /// What is wrong, naming the column.
    pub message: String,
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
}

impl CaptureTable {
    /// Reads a table: the `count` column, the stratum columns named, and every other column a list. Every
    /// problem is reported: a list value other than 0 or 1, a count that is negative, fractional or not a
    /// number, a pattern given twice, the all-zero pattern (nobody can be counted on no list), fewer than two
    /// lists, a list with no one on it.
    pub fn read(text: &str, strata: &[&str]) -> Result<CaptureTable, Vec<TableProblem>> {
        let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(text.as_bytes());
        let at = |line: usize, message: String| vec![TableProblem { line, message }];
        let header: Vec<String> = match reader.headers() {
            Ok(h) => h.iter().map(String::from).collect(),
            Err(e) => return Err(at(1, format!("bad CSV header: {e}"))),
        };
        let mut problems = Vec::new();
        let count_column = header.iter().position(|h| h == "count");
        if count_column.is_none() {
            problems.push(TableProblem {
                line: 1,
                message: format!("no `count` column (the header has: {})", header.join(", ")),
            });
        }
        for (i, name) in header.iter().enumerate() {
            if header[..i].contains(name) {
                problems.push(TableProblem { line: 1, message: format!("the column `{name}` is named twice") });
            }
        }
        let mut stratum_positions = Vec::new();
        for stratum in strata {
            match header.iter().position(|h| h == stratum) {
                Some(p) => stratum_positions.push(p),
                None => problems.push(TableProblem { line: 1, message: format!("no stratum column `{stratum}`") }),
            }
        }
        let Some(count_column) = count_column else { return Err(problems) };
        let list_positions: Vec<usize> =
            (0..header.len()).filter(|i| *i != count_column && !stratum_positions.contains(i)).collect();
        if list_positions.len() < 2 {
            problems.push(TableProblem {
                line: 1,
                message: format!("{} list column(s): estimation needs at least two lists", list_positions.len()),
            });
        }
        if list_positions.len() > 16 {
            problems.push(TableProblem { line: 1, message: "more than 16 lists".into() });
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
                    problems.push(TableProblem { line, message: format!("bad CSV: {e}") });
                    continue;
                }
            };
            let line = record.position().map_or(0, |p| p.line() as usize);
            let mut pattern = 0u32;
            let mut ok = true;
            for (bit, position) in list_positions.iter().enumerate() {
                match record.get(*position).unwrap_or("") {
                    "1" => pattern |= 1 << bit,
                    "0" => {}
                    other => {
                        ok = false;
                        problems.push(TableProblem {
                            line,
                            message: format!("`{}`: `{other}` is not 0 or 1", header[*position]),
                        });
                    }
                }
            }
            let count_text = record.get(count_column).unwrap_or("");
            let count = match count_text.parse::<f64>() {
                Ok(c) if c >= 0.0 && c.fract() == 0.0 && c.is_finite() => c,
                _ => {
                    ok = false;
                    problems.push(TableProblem {
                        line,
                        message: format!("`count`: `{count_text}` is not a whole number of people, 0 or more"),
                    });
                    0.0
                }
            };
            if !ok {
                continue;
            }
            if pattern == 0 {
                problems.push(TableProblem {
                    line,
                    message: "the all-zero pattern: people on no list cannot be counted (that is what is estimated)"
                        .into(),
                });
                continue;
            }
            let stratum: Vec<String> =
                stratum_positions.iter().map(|p| record.get(*p).unwrap_or("").to_string()).collect();
            if let Some(first) = first_seen.insert((stratum.clone(), pattern), line) {
                problems.push(TableProblem { line, message: format!("the same pattern as line {first}") });
                continue;
            }
            cells.entry(stratum).or_default().insert(pattern, count);
        }
        if problems.is_empty() {
            for (bit, position) in list_positions.iter().enumerate() {
                let on: f64 =
                    cells.values().flat_map(|c| c.iter()).filter(|(p, _)| *p & (1 << bit) != 0).map(|(_, c)| c).sum();
                if on == 0.0 {
                    problems.push(TableProblem {
                        line: 0,
                        message: format!("list `{}` has no one on it", header[*position]),
                    });
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
        })
    }

    /// The counts of one stratum (the table's only one when it has no stratum columns), every observable
    /// pattern present (0 when not given).
    pub fn counts(&self, stratum: &[String]) -> Vec<f64> {
        let given = self.cells.get(stratum);
        (1..(1u32 << self.lists.len())).map(|p| given.and_then(|c| c.get(&p)).copied().unwrap_or(0.0)).collect()
    }
}

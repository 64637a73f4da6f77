//! The errors of linkage: bad input (with file, line and field), a bad config, too many comparisons.

use std::fmt;

/// One thing wrong with an input, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file (or config) it is in.
    pub origin: String,
    /// The line (1-based), when known.
    pub line: Option<usize>,
    /// What is wrong, naming the field.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.origin, self.message),
            None => write!(f, "{}: {}", self.origin, self.message),
        }
    }
}

/// Why linkage could not run. Nothing is written when it fails.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input files or the config are wrong; every problem found is listed.
    #[error("{}", list(.0))]
    Input(Vec<Problem>),
    /// The blocking rules (or a training rule) would create more comparisons than the config allows.
    #[error(
        "the rules would create up to {total} comparisons, more than the limit of {limit} \
         (blocking.max_comparisons):\n{detail}\nmake the rules stricter or raise the limit"
    )]
    TooManyComparisons {
        /// Comparisons the blocking rules together (or the largest training rule) would create (an upper bound).
        total: u64,
        /// The configured limit.
        limit: u64,
        /// One line per rule.
        detail: String,
    },
    /// Training could not estimate the model, and why.
    #[error("cannot train the model: {0}")]
    Training(String),
    /// The model file does not fit the config.
    #[error("the model does not fit the config: {0}")]
    Model(String),
}

fn list(problems: &[Problem]) -> String {
    let mut text: Vec<String> = problems.iter().take(50).map(Problem::to_string).collect();
    if problems.len() > 50 {
        text.push(format!("... and {} more", problems.len() - 50));
    }
    text.join("\n")
}

impl Error {
    /// One problem with a file or the config.
    pub fn at(origin: &str, line: Option<usize>, message: impl Into<String>) -> Error {
        Error::Input(vec![Problem { origin: origin.to_string(), line, message: message.into() }])
    }
}

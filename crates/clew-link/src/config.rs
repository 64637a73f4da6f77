//! The linkage config, a TOML file: the id column, how each field is compared, the blocking rules that make
//! candidate pairs, how the model is trained and how pairs are clustered. Checked whole when read.

use serde::Deserialize;

use crate::{Error, LINK_VERSION, Problem};

/// A linkage config as read from its file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Must be `clew-link-v1`.
    pub version: String,
    /// The column holding each record's unique id.
    pub id: String,
    /// How fields are compared, in order.
    #[serde(rename = "comparison")]
    pub comparisons: Vec<ComparisonSpec>,
    /// Which pairs are compared at all.
    pub blocking: BlockingSpec,
    /// How the model is estimated.
    pub training: TrainingSpec,
    /// How pairs become clusters.
    #[serde(default)]
    pub clustering: ClusteringSpec,
}

/// One comparison: a field (or fields read together) and its kind.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComparisonSpec {
    /// Its name in the model and the explanations.
    pub name: String,
    /// How values are compared.
    pub kind: Kind,
    /// The columns read; names may join several (given name and surname), places take latitude and longitude.
    pub columns: Vec<String>,
    /// Term-frequency adjustment: an exact match on a common value counts for less than one on a rare value.
    #[serde(default)]
    pub tf: bool,
    /// The level thresholds: name scores (default 0.92, 0.8, 0.7), edit counts (default 1, 2), or kilometres
    /// (default 1, 10, 50).
    pub thresholds: Option<Vec<f64>>,
    /// Whether agreement here is evidence independent of the name (default: every kind but names). A pair is
    /// never linked on names alone.
    pub independent: Option<bool>,
}

/// How a comparison compares values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// A person's name, in any script (Korean names by syllable).
    PersonName,
    /// An organisation, place or other name, word by word.
    Name,
    /// A date, possibly partial (YYYY, YYYY-MM, YYYY-MM-DD or YYYYMMDD).
    Date,
    /// Any text, by edit distance (identifiers, postcodes).
    Edit,
    /// Equal or not.
    Exact,
    /// A place by latitude and longitude, by distance.
    Geo,
}

impl Kind {
    /// Whether this kind compares names.
    pub fn is_name(self) -> bool {
        matches!(self, Kind::PersonName | Kind::Name)
    }
}

/// The blocking rules.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlockingSpec {
    /// Each rule makes the pairs whose keys are equal; the union of all rules is compared.
    pub rules: Vec<String>,
    /// Refuse to run when the rules would make more comparisons than this.
    #[serde(default = "default_max_comparisons")]
    pub max_comparisons: u64,
}

fn default_max_comparisons() -> u64 {
    100_000_000
}

/// Training without labels: the prior from rules that are nearly certain, u from random pairs, m by EM.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrainingSpec {
    /// Rules whose pairs are almost all true matches; they give the prior.
    pub prior_rules: Vec<String>,
    /// The share of all true matches those rules are believed to find.
    #[serde(default = "default_prior_recall")]
    pub prior_recall: f64,
    /// The blocking rules EM is run on; a comparison is estimated from the rules that do not block on it.
    pub em_rules: Vec<String>,
    /// How many random pairs estimate u.
    #[serde(default = "default_u_pairs")]
    pub u_pairs: u64,
    /// EM runs on at most this many pairs of each rule, a seeded random sample when the rule makes more.
    #[serde(default = "default_u_pairs")]
    pub em_max_pairs: u64,
    /// The seed of the random pairs.
    #[serde(default)]
    pub seed: u64,
    /// EM stops after this many iterations...
    #[serde(default = "default_em_iterations")]
    pub em_max_iterations: u32,
    /// ...or when no parameter moves more than this.
    #[serde(default = "default_em_convergence")]
    pub em_convergence: f64,
}

fn default_prior_recall() -> f64 {
    0.9
}
fn default_u_pairs() -> u64 {
    1_000_000
}
fn default_em_iterations() -> u32 {
    25
}
fn default_em_convergence() -> f64 {
    1e-4
}

/// Clustering.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClusteringSpec {
    /// The match weight from which a pair is a link; absent, the threshold that maximises the model's own
    /// expected F1 is used (chosen without any truth).
    pub threshold: Option<f64>,
    /// A pair is linked only when some comparison other than a name agrees (names alone never link two people:
    /// docs/linkage.md). `false` is for benchmark files that hold nothing but names; it is warned of on every
    /// run, and a project's linkage refuses it.
    #[serde(default = "yes")]
    pub require_independent: bool,
}

fn yes() -> bool {
    true
}

impl Default for ClusteringSpec {
    fn default() -> Self {
        ClusteringSpec { threshold: None, require_independent: true }
    }
}

/// One part of a blocking key, as written: `column`, `year(column)`, `prefix(column, n)`, `keys(column)`
/// (every name key of `clew-names`), `surname(column)` (the Korean surnames a name can have), `given(column)`
/// (how a Korean given name sounds, in any script); or `left = right`
/// to join one column of the first record with another of the second (a given-name/surname swap).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RulePart {
    /// The key of the first record of a pair.
    pub left: KeySpec,
    /// The key of the second.
    pub right: KeySpec,
}

/// A key taken from a record.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum KeySpec {
    /// The value as it is.
    Column(String),
    /// The year of a date.
    Year(String),
    /// The first n letters.
    Prefix(String, usize),
    /// Every blocking key of the name (words, skeletons, Korean surnames): many per record.
    Keys(String),
    /// The Korean surnames the name can be read with: many per record.
    Surname(String),
    /// How the Korean given name sounds, in any script (the first consonant of each syllable, by class).
    Given(String),
}

impl KeySpec {
    /// The column the key is taken from.
    pub fn column(&self) -> &str {
        match self {
            KeySpec::Column(c)
            | KeySpec::Year(c)
            | KeySpec::Prefix(c, _)
            | KeySpec::Keys(c)
            | KeySpec::Surname(c)
            | KeySpec::Given(c) => c,
        }
    }

    fn parse(text: &str) -> Result<KeySpec, String> {
        let text = text.trim();
        let Some(open) = text.find('(') else {
            return if is_column_name(text) {
                Ok(KeySpec::Column(text.to_string()))
            } else {
                Err(format!("`{text}` is not a column name or a key function"))
            };
        };
        let Some(inner) = text[open + 1..].strip_suffix(')') else {
            return Err(format!("`{text}`: missing `)`"));
        };
        let arguments: Vec<&str> = inner.split(',').map(str::trim).collect();
        let column = arguments[0].to_string();
        if !is_column_name(&column) {
            return Err(format!("`{text}`: `{column}` is not a column name"));
        }
        match (&text[..open], arguments.len()) {
            ("year", 1) => Ok(KeySpec::Year(column)),
            ("keys", 1) => Ok(KeySpec::Keys(column)),
            ("surname", 1) => Ok(KeySpec::Surname(column)),
            ("given", 1) => Ok(KeySpec::Given(column)),
            ("prefix", 2) => match arguments[1].parse::<usize>() {
                Ok(n) if n > 0 => Ok(KeySpec::Prefix(column, n)),
                _ => Err(format!("`{text}`: the length must be a whole number above 0")),
            },
            (function, _) => Err(format!(
                "`{text}`: `{function}` takes other arguments or is not a key function \
                 (year(c), prefix(c, n), keys(c), surname(c), given(c))"
            )),
        }
    }
}

fn is_column_name(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == '.')
}

/// A blocking rule: parts joined by `&`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// As written.
    pub text: String,
    /// Its parts; all must agree.
    pub parts: Vec<RulePart>,
}

impl Rule {
    /// Reads a rule such as `given_name & surname`, `year(birth_date) & surname(name)` or
    /// `given_name = surname & surname = given_name`.
    pub fn parse(text: &str) -> Result<Rule, String> {
        let mut parts = Vec::new();
        for part in text.split('&') {
            let (left, right) = match part.split_once('=') {
                Some((l, r)) => (KeySpec::parse(l)?, KeySpec::parse(r)?),
                None => {
                    let key = KeySpec::parse(part)?;
                    (key.clone(), key)
                }
            };
            parts.push(RulePart { left, right });
        }
        if parts.len() > crate::blocking::MAX_PARTS {
            return Err(format!("`{}`: at most {} parts", text.trim(), crate::blocking::MAX_PARTS));
        }
        Ok(Rule { text: text.trim().to_string(), parts })
    }

    /// The columns the rule reads.
    pub fn columns(&self) -> Vec<&str> {
        self.parts.iter().flat_map(|p| [p.left.column(), p.right.column()]).collect()
    }
}

/// A config read and checked: its rules parsed.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The config.
    pub config: Config,
    /// `blocking.rules`, parsed.
    pub blocking: Vec<Rule>,
    /// `training.prior_rules`, parsed.
    pub prior: Vec<Rule>,
    /// `training.em_rules`, parsed.
    pub em: Vec<Rule>,
}

impl Checked {
    /// Every column the config reads, the id column first.
    pub fn columns(&self) -> Vec<String> {
        let mut columns = vec![self.config.id.clone()];
        let from_rules = [&self.blocking, &self.prior, &self.em]
            .into_iter()
            .flatten()
            .flat_map(|r| r.columns().into_iter().map(String::from).collect::<Vec<_>>());
        for column in self.config.comparisons.iter().flat_map(|c| c.columns.iter().cloned()).chain(from_rules) {
            if !columns.contains(&column) {
                columns.push(column);
            }
        }
        columns
    }
}

/// Reads and checks a config; every problem found is reported.
pub fn read(origin: &str, text: &str) -> Result<Checked, Error> {
    let config: Config = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|span| text[..span.start.min(text.len())].matches('\n').count() + 1);
        Error::at(origin, line, e.message().to_string())
    })?;
    let mut problems = Vec::new();
    let mut problem = |message: String| problems.push(Problem { origin: origin.to_string(), line: None, message });
    if config.version != LINK_VERSION {
        problem(format!("version: `{}` is not {LINK_VERSION}", config.version));
    }
    if config.comparisons.is_empty() {
        problem("no [[comparison]]: nothing would be compared".into());
    }
    for (index, comparison) in config.comparisons.iter().enumerate() {
        let at = format!("comparison {} (`{}`)", index + 1, comparison.name);
        if config.comparisons[..index].iter().any(|c| c.name == comparison.name) {
            problem(format!("{at}: the name is used twice"));
        }
        let wanted = if comparison.kind == Kind::Geo { "two columns (latitude, longitude)" } else { "a column" };
        let count_ok = match comparison.kind {
            Kind::Geo => comparison.columns.len() == 2,
            Kind::PersonName | Kind::Name => !comparison.columns.is_empty(),
            _ => comparison.columns.len() == 1,
        };
        if !count_ok {
            problem(format!("{at}: columns: a {:?} comparison takes {wanted}", comparison.kind));
        }
        if let Some(thresholds) = &comparison.thresholds {
            let descending = thresholds.windows(2).all(|w| w[0] > w[1]);
            let ascending = thresholds.windows(2).all(|w| w[0] < w[1]);
            let ok = match comparison.kind {
                Kind::PersonName | Kind::Name => descending && thresholds.iter().all(|t| *t > 0.0 && *t <= 1.0),
                Kind::Edit => ascending && thresholds.iter().all(|t| *t >= 1.0 && *t <= 10.0 && t.fract() == 0.0),
                Kind::Geo => ascending && thresholds.iter().all(|t| *t > 0.0),
                Kind::Date | Kind::Exact => false,
            };
            if thresholds.is_empty() || thresholds.len() > 20 || !ok {
                problem(format!(
                    "{at}: thresholds: {}",
                    match comparison.kind {
                        Kind::PersonName | Kind::Name => "name scores in (0, 1], highest first",
                        Kind::Edit => "whole numbers of edits from 1 to 10, smallest first",
                        Kind::Geo => "kilometres above 0, smallest first",
                        Kind::Date | Kind::Exact => "this kind has fixed levels and takes none",
                    }
                ));
            }
        }
        if comparison.tf && comparison.kind == Kind::Geo {
            problem(format!("{at}: tf: places are not adjusted for frequency"));
        }
    }
    let mut parse_all = |key: &str, rules: &[String]| -> Vec<Rule> {
        if rules.is_empty() {
            problem(format!("{key}: give at least one rule"));
        }
        rules
            .iter()
            .enumerate()
            .filter_map(|(i, text)| match Rule::parse(text) {
                Ok(rule) => Some(rule),
                Err(message) => {
                    problem(format!("{key}[{}]: {message}", i + 1));
                    None
                }
            })
            .collect()
    };
    let blocking = parse_all("blocking.rules", &config.blocking.rules);
    let prior = parse_all("training.prior_rules", &config.training.prior_rules);
    let em = parse_all("training.em_rules", &config.training.em_rules);
    if !(config.training.prior_recall > 0.0 && config.training.prior_recall <= 1.0) {
        problem("training.prior_recall: a share in (0, 1]".into());
    }
    if !(1_000..=100_000_000).contains(&config.training.u_pairs) {
        problem("training.u_pairs: from 1000 to 100000000 random pairs".into());
    }
    if config.training.em_max_pairs < 1_000 {
        problem("training.em_max_pairs: at least 1000 pairs".into());
    }
    if config.clustering.threshold.is_some_and(|t| !t.is_finite()) {
        problem("clustering.threshold: a finite match weight".into());
    }
    // The id column names records; it is not compared or blocked on (it is not kept as a value).
    let id_used = config.comparisons.iter().any(|c| c.columns.contains(&config.id))
        || [&blocking, &prior, &em].into_iter().flatten().any(|r| r.columns().contains(&config.id.as_str()));
    if id_used {
        problem(format!("id: the id column `{}` cannot also be compared or blocked on", config.id));
    }
    if problems.is_empty() { Ok(Checked { config, blocking, prior, em }) } else { Err(Error::Input(problems)) }
}

/// The config clew ships for linking a project's entities of a schema, as (file name, text).
pub fn builtin(schema: &str) -> Option<(&'static str, &'static str)> {
    match schema {
        "Person" => Some(("person.toml", include_str!("../data/person.toml"))),
        "Company" | "Organization" | "PublicBody" | "LegalEntity" => {
            Some(("company.toml", include_str!("../data/company.toml")))
        }
        "Worksite" => Some(("worksite.toml", include_str!("../data/worksite.toml"))),
        _ => None,
    }
}

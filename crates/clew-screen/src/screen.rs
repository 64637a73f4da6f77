//! Screening: who on the lists a query may be, with a score and the reasons for it.
//!
//! Candidates come from an in-memory index of name keys ([`crate::index::KeyIndex`] of words, consonant
//! skeletons, Korean surnames; see `clew_names::Name::keys`), so that recall does not rest on comparing every
//! query with every entry. Each candidate's score is its best name score (a weak alias counts
//! [`WEAK_ALIAS_FACTOR`] of it), raised to [`IDENTIFIER_SCORE`] by a shared identifier, then lowered by conflicts
//! of date of birth, country and gender with the weights of OpenSanctions' logic-v2. Scoring version:
//! [`SCORER_VERSION`].

use clew_names::{Name, NameKind, NameMatch, compare, score as score_names};
use serde::Serialize;

use crate::countries::code_of;
use crate::entity::{BirthDate, EntityKind, Gender, ListEntity, normalize_identifier};
use crate::index::KeyIndex;
use crate::kinds::{Evidence, KindChoice, infer_from_name};
use crate::lists::{LoadError, text_of};

/// The version of the scoring rules, recorded with stored results.
pub const SCORER_VERSION: &str = "clew-screen-v1";
/// Default score from which a candidate is a match.
pub const DEFAULT_THRESHOLD: f64 = 0.7;
/// What a weak alias's name score counts.
pub const WEAK_ALIAS_FACTOR: f64 = 0.8;
/// Score given by an identifier both have.
pub const IDENTIFIER_SCORE: f64 = 0.85;
/// Lowered when no year of birth can be the same.
pub const BIRTH_YEAR_CONFLICT: f64 = -0.15;
/// Lowered when the years agree but no full date does (half when day and month are swapped).
pub const BIRTH_DAY_CONFLICT: f64 = -0.25;
/// Lowered when the countries have none in common.
pub const COUNTRY_CONFLICT: f64 = -0.2;
/// Lowered when the genders differ.
pub const GENDER_CONFLICT: f64 = -0.2;

/// Someone or something to screen.
#[derive(Debug, Clone)]
pub struct Query {
    /// Where it comes from (`queries.csv:2`, an entity id).
    pub id: String,
    /// What it is; `None` when neither given nor clear: it is then screened against entries of every kind.
    pub kind: Option<EntityKind>,
    /// How its kind was chosen.
    pub kind_choice: KindChoice,
    /// Its names.
    pub names: Vec<Name>,
    /// Dates of birth.
    pub birth_dates: Vec<BirthDate>,
    /// Countries (ISO alpha-2).
    pub countries: Vec<String>,
    /// Gender.
    pub gender: Option<Gender>,
    /// Identifiers (normalised).
    pub identifiers: Vec<String>,
}

/// One adjustment of a candidate's score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Qualifier {
    /// Which (`birth_year_conflict`, `birth_day_conflict`, `country_conflict`, `gender_conflict`, `identifier`).
    pub feature: &'static str,
    /// Added to the score (negative: lowered).
    pub effect: f64,
    /// The values compared.
    pub detail: String,
}

/// A list entry the query may be.
#[derive(Debug, Clone, Serialize)]
pub struct Candidate {
    /// The entry's id.
    pub entity_id: String,
    /// Its list.
    pub list: String,
    /// The list's version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub list_version: Option<String>,
    /// SHA-256 of the list's file(s).
    pub list_sha256: String,
    /// Its schema.
    pub schema: &'static str,
    /// The final score.
    pub score: f64,
    /// Whether the score reaches the threshold.
    pub matched: bool,
    /// The query name that matched best.
    pub query_name: String,
    /// The entry's name it matched.
    pub list_name: String,
    /// Whether that name is a weak alias.
    pub weak_alias: bool,
    /// The name comparison, explained.
    pub name_match: NameMatch,
    /// Adjustments after the name score.
    pub qualifiers: Vec<Qualifier>,
}

/// How to screen.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Score from which a candidate is a match.
    pub threshold: f64,
    /// Most candidates returned per query.
    pub top: usize,
    /// Compare with every entry instead of those the index proposes (to measure what the index misses).
    pub exhaustive: bool,
    /// Candidates below this score are not returned.
    pub cutoff: f64,
    /// Most entries the index proposes for scoring, rarest shared keys first.
    pub candidates: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options { threshold: DEFAULT_THRESHOLD, top: 5, exhaustive: false, cutoff: 0.5, candidates: 250 }
    }
}

/// The lists' entries with their index.
#[derive(Debug)]
pub struct Screener {
    entities: Vec<ListEntity>,
    index: KeyIndex,
}

impl Screener {
    /// Indexes the entries of one or more lists.
    pub fn new(entities: Vec<ListEntity>) -> Screener {
        let mut index = KeyIndex::new();
        for (position, entity) in entities.iter().enumerate() {
            let keys = entity
                .names
                .iter()
                .flat_map(|n| n.name.keys())
                .chain(entity.identifiers.iter().map(|i| format!("id:{i}")));
            index.insert(position as u32, keys);
        }
        Screener { entities, index }
    }

    /// The entries.
    pub fn entities(&self) -> &[ListEntity] {
        &self.entities
    }

    /// Entries the index proposes for a query: those sharing a key with one of its names, ranked by the
    /// rarity of the keys they share (the sum of each key's inverse document frequency), at most `limit`.
    pub fn proposals(&self, query: &Query, limit: usize) -> Vec<u32> {
        // Name keys, and identifiers: a shared passport number finds an entry whatever its names.
        let mut keys: Vec<String> = query.names.iter().flat_map(Name::keys).collect();
        keys.extend(query.identifiers.iter().map(|i| format!("id:{i}")));
        let ranked = self.index.proposals(&keys, limit, usize::MAX, |_| true);
        let mut found: Vec<u32> = ranked.into_iter().map(|(position, _)| position).collect();
        found.sort_unstable();
        found
    }

    /// Screens a query: candidates at or above the cutoff, best first, at most `top`.
    pub fn screen(&self, query: &Query, options: &Options) -> Vec<Candidate> {
        let positions: Vec<u32> = if options.exhaustive {
            (0..self.entities.len() as u32).collect()
        } else {
            self.proposals(query, options.candidates)
        };
        let mut candidates: Vec<Candidate> = positions
            .into_iter()
            .filter_map(|position| score(query, &self.entities[position as usize], options))
            .collect();
        candidates.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.entity_id.cmp(&b.entity_id)));
        candidates.truncate(options.top);
        candidates
    }
}

/// Whether entries of this kind can be the query's (of a query of unknown kind, every entry can).
fn kinds_fit(query: Option<EntityKind>, entity: EntityKind) -> bool {
    match query {
        Some(EntityKind::Person) => entity == EntityKind::Person,
        Some(EntityKind::Other) | None => true,
        Some(_) => entity != EntityKind::Person,
    }
}

/// The name rules for a query's names: a query of unknown kind is prepared as a person's name, so that it
/// meets listed people by the Korean rules; against an organisation's name (which has no Korean reading) it
/// is compared word by word, exactly as an organisation's name is.
pub fn query_name_kind(kind: Option<EntityKind>) -> NameKind {
    kind.map_or(NameKind::Person, EntityKind::name_kind)
}

/// A query's kind when its file does not give one: inferred from a person's name parts or gender (the first of
/// `person_fields` that is filled), or from its name ([`infer_from_name`]); when the two disagree (an
/// organisation's word and a date of birth) or neither says, `None`: both are tried.
pub fn infer_kind(name: &str, person_fields: &[&'static str]) -> (Option<EntityKind>, KindChoice) {
    let from_name = infer_from_name(name);
    let inferred = |kind, evidence| (Some(kind), KindChoice::Inferred { evidence });
    match (person_fields.first(), from_name) {
        (Some(_), Some((EntityKind::Organization, _))) => (None, KindChoice::BothTried),
        (Some(field), _) => inferred(EntityKind::Person, Evidence::Field(field)),
        (None, Some((kind, evidence))) => inferred(kind, evidence),
        (None, None) => (None, KindChoice::BothTried),
    }
}

/// Scores one entry for a query; `None` when it cannot be the query (another kind) or scores below the cutoff.
/// Names are scored without explanation; the best pair is then compared again with its explanation.
pub fn score(query: &Query, entity: &ListEntity, options: &Options) -> Option<Candidate> {
    if !kinds_fit(query.kind, entity.kind) {
        return None;
    }
    let mut best: Option<(f64, usize, usize)> = None;
    for (query_index, query_name) in query.names.iter().enumerate() {
        for (list_index, list_name) in entity.names.iter().enumerate() {
            let found = score_names(query_name, &list_name.name);
            let value = if list_name.weak { found * WEAK_ALIAS_FACTOR } else { found };
            if best.is_none_or(|(b, ..)| value > b) {
                best = Some((value, query_index, list_index));
            }
        }
    }
    let (name_score, query_index, list_index) = best?;
    let mut qualifiers = Vec::new();
    let mut score = name_score;
    if let Some(shared) = query.identifiers.iter().find(|id| entity.identifiers.contains(id))
        && score < IDENTIFIER_SCORE
    {
        qualifiers.push(Qualifier { feature: "identifier", effect: IDENTIFIER_SCORE - score, detail: shared.clone() });
        score = IDENTIFIER_SCORE;
    }
    if let Some(qualifier) = birth_conflict(&query.birth_dates, &entity.birth_dates) {
        qualifiers.push(qualifier);
    }
    if !query.countries.is_empty()
        && !entity.countries.is_empty()
        && !query.countries.iter().any(|c| entity.countries.contains(c))
    {
        qualifiers.push(Qualifier {
            feature: "country_conflict",
            effect: COUNTRY_CONFLICT,
            detail: format!("{} / {}", query.countries.join(","), entity.countries.join(",")),
        });
    }
    if let (Some(a), Some(b)) = (query.gender, entity.gender)
        && a != b
    {
        qualifiers.push(Qualifier {
            feature: "gender_conflict",
            effect: GENDER_CONFLICT,
            detail: format!("{a:?} / {b:?}"),
        });
    }
    score += qualifiers.iter().filter(|q| q.feature != "identifier").map(|q| q.effect).sum::<f64>();
    let score = score.clamp(0.0, 1.0);
    if score < options.cutoff {
        return None;
    }
    let (query_name, list_name) = (&query.names[query_index], &entity.names[list_index]);
    Some(Candidate {
        entity_id: entity.id.clone(),
        list: entity.list.name.clone(),
        list_version: entity.list.version.clone(),
        list_sha256: entity.list.sha256.clone(),
        schema: entity.kind.schema(),
        score,
        matched: score >= options.threshold,
        query_name: query_name.text.clone(),
        list_name: list_name.text.clone(),
        weak_alias: list_name.weak,
        name_match: compare(query_name, &list_name.name),
        qualifiers,
    })
}

/// The conflict of two sets of birth dates, if they have one.
fn birth_conflict(query: &[BirthDate], entity: &[BirthDate]) -> Option<Qualifier> {
    if query.is_empty() || entity.is_empty() {
        return None;
    }
    let detail = || {
        let show = |dates: &[BirthDate]| dates.iter().map(show_date).collect::<Vec<_>>().join(",");
        format!("{} / {}", show(query), show(entity))
    };
    let years_meet = query.iter().any(|a| {
        entity.iter().any(|b| {
            let ((a0, a1), (b0, b1)) = (a.years(), b.years());
            a0 <= b1 && b0 <= a1
        })
    });
    if !years_meet {
        return Some(Qualifier { feature: "birth_year_conflict", effect: BIRTH_YEAR_CONFLICT, detail: detail() });
    }
    let days = |dates: &[BirthDate]| -> Vec<(u16, u8, u8)> {
        dates
            .iter()
            .filter_map(|d| match d {
                BirthDate::Date(date) => Some((date.year, date.month?, date.day?)),
                BirthDate::Years { .. } => None,
            })
            .collect()
    };
    let (a, b) = (days(query), days(entity));
    if a.is_empty() || b.is_empty() || a.iter().any(|x| b.contains(x)) {
        return None;
    }
    // A date known only to the year (or month) on either side that fits the other is no conflict of days.
    let coarse_fit = |xs: &[BirthDate], ys: &[BirthDate]| {
        xs.iter().any(|x| {
            !matches!(x, BirthDate::Date(d) if d.day.is_some())
                && ys.iter().any(|y| {
                    let ((x0, x1), (y0, y1)) = (x.years(), y.years());
                    x0 <= y1 && y0 <= x1
                })
        })
    };
    if coarse_fit(query, entity) || coarse_fit(entity, query) {
        return None;
    }
    // Lists and forms confuse day and month: half the conflict when swapping them makes the dates agree.
    let swapped = a.iter().any(|(y, m, d)| b.contains(&(*y, *d, *m)));
    let effect = if swapped { BIRTH_DAY_CONFLICT / 2.0 } else { BIRTH_DAY_CONFLICT };
    Some(Qualifier { feature: "birth_day_conflict", effect, detail: detail() })
}

fn show_date(date: &BirthDate) -> String {
    match date {
        BirthDate::Date(date) => date.to_string(),
        BirthDate::Years { from, to } if from == to => from.to_string(),
        BirthDate::Years { from, to } => format!("{from}..{to}"),
    }
}

/// A date of birth as query files write it: `1984`, `1984-01-08`, `1984-1-8`.
pub fn parse_birth_date(text: &str) -> Result<BirthDate, String> {
    let parts: Vec<&str> = text.trim().split('-').collect();
    let padded = match parts.as_slice() {
        [y] => y.to_string(),
        [y, m] => format!("{y}-{m:0>2}"),
        [y, m, d] => format!("{y}-{m:0>2}-{d:0>2}"),
        _ => return Err(format!("`{text}` is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")),
    };
    padded.parse().map(BirthDate::Date).map_err(|e: String| format!("`{text}`: {e}"))
}

/// Reads queries from a CSV file with the columns of the yente fixtures: `full_name` (required), `first_name`,
/// `middle_name`, `last_name`, `gender`, `date_of_birth`, `place_of_birth`, `nationality`; and optionally
/// `schema`, `id`, `identifiers` (separated by `;`). Without a `schema` (no column, or an empty cell) the kind
/// is inferred ([`infer_kind`]): a person when a field only a person has is filled (a first, middle or last
/// name, a gender), an organisation when its name has an organisation's word (LLC,
/// ООО, 은행: `crate::kinds`); otherwise the query is screened against entries of every kind. Every
/// bad row is an error naming its line and column; nothing is screened until all rows read. A date of birth
/// that is not a date but begins with a year (1974-01-32) keeps its year, with a warning.
pub fn read_queries(origin: &str, bytes: &[u8]) -> Result<(Vec<Query>, Vec<String>), LoadError> {
    let text = text_of(origin, bytes)?;
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| LoadError::At { origin: origin.into(), line: 1, column: 1, message: format!("bad CSV: {e}") })?
        .clone();
    let column = |name: &str| headers.iter().position(|h| h.trim().eq_ignore_ascii_case(name));
    let Some(full_name) = column("full_name") else {
        return Err(LoadError::At {
            origin: origin.into(),
            line: 1,
            column: 1,
            message: "no `full_name` column in the header".into(),
        });
    };
    let columns = [
        "first_name",
        "middle_name",
        "last_name",
        "gender",
        "date_of_birth",
        "place_of_birth",
        "nationality",
        "schema",
        "id",
        "identifiers",
    ]
    .map(column);
    // `place_of_birth` is accepted, as the yente fixtures have it, but weighs on no score.
    let [first, middle, last, gender, birth, _place, nationality, schema, id, identifiers] = columns;
    let mut queries = Vec::new();
    let mut warnings = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| LoadError::At {
            origin: origin.into(),
            line: e.position().map_or(0, |p| p.line() as usize),
            column: 1,
            message: format!("bad CSV: {e}"),
        })?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        let field = |column: Option<usize>| column.and_then(|c| record.get(c)).map(str::trim).filter(|v| !v.is_empty());
        let at = |column: Option<usize>, message: String| LoadError::At {
            origin: origin.to_string(),
            line,
            column: column.map_or(1, |c| c + 1),
            message,
        };
        let Some(name) = field(Some(full_name)) else {
            return Err(at(Some(full_name), "empty `full_name`".into()));
        };
        for column in [Some(full_name), first, middle, last] {
            if let Some(text) = field(column) {
                clew_names::check_length(text).map_err(|message| at(column, message))?;
            }
        }
        let (kind, kind_choice) = match field(schema) {
            Some(text) => {
                let kind = EntityKind::parse(text).ok_or_else(|| {
                    at(schema, format!("`schema`: `{text}` is not Person, Organization, Company, Vessel or Airplane"))
                })?;
                (Some(kind), KindChoice::Given)
            }
            None => {
                // Filled fields only a person has; a gender counts only when it is one. A date or place of birth
                // does not narrow the search: a registration date typed into that column would hide every
                // organisation, and screening must not miss in silence. It still weighs on people's scores.
                let person_fields: Vec<&'static str> =
                    [("first_name", first), ("middle_name", middle), ("last_name", last)]
                        .into_iter()
                        .filter(|(_, column)| field(*column).is_some())
                        .map(|(name, _)| name)
                        .chain(field(gender).and_then(Gender::parse).map(|_| "gender"))
                        .collect();
                infer_kind(name, &person_fields)
            }
        };
        let name_kind = query_name_kind(kind);
        let mut names = vec![Name::new(name, name_kind)];
        let parts: Vec<&str> = [first, middle, last].into_iter().filter_map(field).collect();
        if parts.len() >= 2 {
            let joined = parts.join(" ");
            if joined != name {
                names.push(Name::new(&joined, name_kind));
            }
        }
        let birth_dates = match field(birth) {
            Some(text) => match parse_birth_date(text) {
                Ok(date) => vec![date],
                Err(problem) => match text.get(..4).and_then(|y| parse_birth_date(y).ok()) {
                    Some(year) => {
                        warnings.push(format!("{origin}:{line}: `date_of_birth`: {problem}; only its year is used"));
                        vec![year]
                    }
                    None => return Err(at(birth, format!("`date_of_birth`: {problem}"))),
                },
            },
            None => Vec::new(),
        };
        queries.push(Query {
            id: field(id).map_or_else(|| format!("{origin}:{line}"), String::from),
            kind,
            kind_choice,
            names,
            birth_dates,
            countries: field(nationality).and_then(code_of).into_iter().collect(),
            gender: field(gender).and_then(Gender::parse),
            identifiers: field(identifiers)
                .map(|ids| ids.split(';').map(normalize_identifier).filter(|i| !i.is_empty()).collect())
                .unwrap_or_default(),
        });
    }
    Ok((queries, warnings))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn birth_dates_conflict_by_year_then_by_day() {
        let date = |t: &str| parse_birth_date(t).unwrap();
        assert_eq!(birth_conflict(&[date("1984")], &[date("1984-01-08")]), None);
        assert_eq!(birth_conflict(&[date("1985")], &[date("1984-01-08")]).unwrap().effect, BIRTH_YEAR_CONFLICT);
        assert_eq!(birth_conflict(&[date("1984-1-9")], &[date("1984-01-08")]).unwrap().effect, BIRTH_DAY_CONFLICT);
        assert_eq!(
            birth_conflict(&[date("1984-8-1")], &[date("1984-01-08")]).unwrap().effect,
            BIRTH_DAY_CONFLICT / 2.0
        );
        assert_eq!(birth_conflict(&[date("1961")], &[BirthDate::Years { from: 1960, to: 1962 }]), None);
        // The entry's year-only alternative fits: no conflict of days.
        assert_eq!(
            birth_conflict(&[date("1966-05-01")], &[date("1962-03-17"), BirthDate::Years { from: 1966, to: 1966 }]),
            None
        );
        assert!(parse_birth_date("1984-13-01").is_err());
    }
}

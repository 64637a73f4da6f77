//! The match of entities against the sanctions lists a project keeps, in the shape of yente's
//! `POST /match/{dataset}` (the OpenSanctions matching API: <https://www.opensanctions.org/docs/api/matching/>,
//! the models of `yente/data/common.py`), so that a client written for yente can ask clew. The types here are
//! the API's contract: the server deserializes a request into them and serializes the response back.
//!
//! Each query is an example entity (an FtM schema and properties), read as screening reads a list's entity
//! (the names of `clew_screen::lists::FTM_NAME_PROPERTIES`, a first, middle and last name joined, dates of
//! birth, the countries and identifiers of the FtM properties), and screened by `clew-screen`
//! ([`SCORER_VERSION`]): every result has its score, `match` when it reaches the threshold, and its features
//! with their explanations in words. A dataset is a kept list (named by a slug of its name, `ofac_sdn`), or all
//! of them (`default`, or `sanctions`).
//!
//! The kept lists' screeners are built once and kept in the [`Service`], built again when the lists kept change
//! (a list imported, a newer version of one). What one request may ask is bounded (queries, names, values,
//! lengths, results) and anything beyond is refused naming its field (`queries.q1.properties.name[3]`); the size
//! of the body itself is the server's to bound before it is parsed.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, PoisonError};

use clew_screen::countries::code_of;
use clew_screen::entity::{BirthDate, EntityKind, Gender, ListEntity, normalize_identifier};
use clew_screen::kinds::KindChoice;
use clew_screen::lists::{FTM_COUNTRY_PROPERTIES, FTM_IDENTIFIER_PROPERTIES, FTM_NAME_PROPERTIES};
use clew_screen::screen::{
    Candidate, DEFAULT_THRESHOLD, Options, Query, SCORER_VERSION, Screener, WEAK_ALIAS_FACTOR, parse_birth_date,
    query_name_kind,
};
use serde::{Deserialize, Deserializer, Serialize};

use crate::lists::newest_kept;
use crate::screening::explain_name_match;
use crate::{Code, Error, Result, Service};

/// Most queries in one request (yente's `MAX_BATCH`).
pub const MAX_MATCH_QUERIES: usize = 100;
/// Most characters in a query's key (it is echoed back, and named in errors).
pub const MAX_QUERY_KEY_CHARS: usize = 100;
/// Most properties one query gives.
pub const MAX_QUERY_PROPERTIES: usize = 50;
/// Most values of one property.
pub const MAX_PROPERTY_VALUES: usize = 20;
/// Most names one query is screened by (its names, aliases and a first-with-last name together): each is
/// compared with every candidate's names.
pub const MAX_QUERY_NAMES: usize = 20;
/// Most characters in one value. Listed names run to a few hundred characters.
pub const MAX_VALUE_CHARS: usize = 500;
/// Results per query when the request does not say (yente's `MATCH_PAGE`).
pub const DEFAULT_MATCH_LIMIT: usize = 5;
/// Most results per query.
pub const MAX_MATCH_LIMIT: usize = 100;
/// Candidates scored per query and list: those the index proposes, rarest shared keys first.
pub const MATCH_CANDIDATES: usize = 250;
/// Most characters in a dataset's name.
pub const MAX_DATASET_CHARS: usize = 100;
/// Most entity ids one request may exclude (yente's limit).
pub const MAX_EXCLUDED_IDS: usize = 50;
/// The datasets that mean every list the project keeps.
pub const ALL_LISTS: [&str; 2] = ["default", "sanctions"];
/// The algorithm names taken: clew's scorer, by its version or as `default` or `best`.
pub const ALGORITHMS: [&str; 3] = ["default", "best", SCORER_VERSION];

/// A match request's body (yente's `EntityMatchQuery`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchRequest {
    /// Feature weights: clew's are fixed, so a request giving any is refused.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub weights: BTreeMap<String, f64>,
    /// Algorithm settings: clew's scorer takes none, so a request giving any is refused.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub config: BTreeMap<String, serde_json::Value>,
    /// The examples to match, by a key of the client's choosing (answered under the same key).
    pub queries: BTreeMap<String, EntityExample>,
}

/// An example entity: what is known of whom or what is looked for (yente's `EntityExample`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntityExample {
    /// The client's id for it, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Its FollowTheMoney schema: `Person`, `Company`, `Organization`, `PublicBody`, `LegalEntity`, `Vessel`,
    /// `Airplane` (or `Thing`: every kind).
    pub schema: String,
    /// Its FollowTheMoney properties, each a list of values (a single string is taken as a list of one).
    #[serde(deserialize_with = "values_or_value")]
    pub properties: BTreeMap<String, Vec<String>>,
}

/// The query parameters of a match (yente's names).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MatchParams {
    /// Results per query, 1 to [`MAX_MATCH_LIMIT`]; [`DEFAULT_MATCH_LIMIT`] when not given.
    pub limit: Option<usize>,
    /// Score from which a result is a match, between 0 and 1; [`DEFAULT_THRESHOLD`] when not given.
    pub threshold: Option<f64>,
    /// Results scoring below it are not returned (at most the threshold; yente calls it deprecated); clew's
    /// screening cutoff when not given.
    pub cutoff: Option<f64>,
    /// The scoring algorithm: one of [`ALGORITHMS`].
    pub algorithm: Option<String>,
    /// Results of these schemata are left out.
    pub exclude_schema: Vec<String>,
    /// Results only from these datasets (of those the path names).
    pub include_dataset: Vec<String>,
    /// Results from these datasets are left out.
    pub exclude_dataset: Vec<String>,
    /// Results with these ids are left out (false positives a person decided on), at most [`MAX_EXCLUDED_IDS`].
    pub exclude_entity_ids: Vec<String>,
}

/// A match's response (yente's `EntityMatchResponse`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchResponse {
    /// Each query's results, under its key.
    pub responses: BTreeMap<String, EntityMatches>,
    /// The most results given per query.
    pub limit: usize,
}

/// One query's results (yente's `EntityMatches`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntityMatches {
    /// 200: the query was answered (a query that cannot be answered refuses the whole request).
    pub status: u16,
    /// The results, best first.
    pub results: Vec<ScoredEntity>,
    /// How many of the candidates scored were matches (yente counts matches, not results).
    pub total: TotalSpec,
    /// The query, as given.
    pub query: EntityExample,
}

/// A count (yente's `TotalSpec`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TotalSpec {
    /// The count.
    pub value: usize,
    /// `eq`: the count is exact.
    pub relation: String,
}

/// One list entry a query may be (yente's `ScoredEntityResponse`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoredEntity {
    /// The entry's id (`un-KPe.001`, `ofac-12345`).
    pub id: String,
    /// Its first name.
    pub caption: String,
    /// Its FollowTheMoney schema (coarsened: `Person`, `Organization`, `Vessel`, `Airplane`, `LegalEntity`).
    pub schema: String,
    /// What the list says of it, as FollowTheMoney properties (`name`, `alias`, `weakAlias`, `birthDate`,
    /// `nationality` or `country`, `gender`, `idNumber`, `program`, `topics`).
    pub properties: BTreeMap<String, Vec<String>>,
    /// The dataset it comes from (the list's slug).
    pub datasets: Vec<String>,
    /// Other ids of it: none (clew does not merge lists' entries).
    pub referents: Vec<String>,
    /// Whether it is a target of sanctions: every entry of a sanctions list is.
    pub target: bool,
    /// When it was first seen: clew does not know.
    pub first_seen: Option<String>,
    /// When it was last seen: clew does not know.
    pub last_seen: Option<String>,
    /// When it last changed: clew does not know.
    pub last_change: Option<String>,
    /// The score, in [0, 1].
    pub score: f64,
    /// What made the score: the name score, then each adjustment (as older yente versions give them).
    pub features: BTreeMap<String, f64>,
    /// The same features with what each compared, in words (as newer yente versions give them).
    pub explanations: BTreeMap<String, FeatureResult>,
    /// Whether the score reaches the threshold.
    #[serde(rename = "match")]
    pub is_match: bool,
}

/// One feature of a score, explained (nomenklatura's `FeatureResult`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureResult {
    /// What it added to the score (negative: lowered).
    pub score: f64,
    /// Why, in words.
    pub detail: Option<String>,
    /// The query's value it compared.
    pub query: Option<String>,
    /// The candidate's value it compared.
    pub candidate: Option<String>,
}

/// A property's values: a list of strings, or one string (yente takes both).
fn values_or_value<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> std::result::Result<BTreeMap<String, Vec<String>>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Values {
        One(String),
        Many(Vec<String>),
    }
    let properties = BTreeMap::<String, Values>::deserialize(deserializer)?;
    Ok(properties
        .into_iter()
        .map(|(property, values)| match values {
            Values::One(value) => (property, vec![value]),
            Values::Many(values) => (property, values),
        })
        .collect())
}

/// The kept lists' screeners kept between requests (in the [`Service`]).
#[derive(Default)]
pub(crate) struct ScreenerCache {
    kept: Mutex<Option<Arc<KeptScreeners>>>,
}

impl std::fmt::Debug for ScreenerCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let guard = self.kept.lock().unwrap_or_else(PoisonError::into_inner);
        let lists = guard.as_ref().map(|kept| kept.lists.len());
        f.debug_struct("ScreenerCache").field("lists", &lists).finish()
    }
}

/// The screeners of the lists kept, each list's apart (a dataset is a list).
#[derive(Debug)]
pub(crate) struct KeptScreeners {
    /// The SHA-256 of each list screened, in the order imported: what the screeners were built from.
    sha256: Vec<String>,
    lists: Vec<KeptScreener>,
}

/// One kept list's screener.
#[derive(Debug)]
struct KeptScreener {
    /// The list's dataset name: its name, in lower case, letters and digits with `_` between.
    dataset: String,
    screener: Screener,
    /// Each entry's position, by id.
    positions: HashMap<String, usize>,
}

/// A dataset's name for a list: `OFAC SDN` is `ofac_sdn`, `UN SC consolidated list` `un_sc_consolidated_list`.
pub fn dataset_name(list_name: &str) -> String {
    let mut slug = String::new();
    for c in list_name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('_') {
            slug.push('_');
        }
    }
    slug.trim_end_matches('_').to_string()
}

impl Service {
    /// Matches each query of `request` against the kept lists `dataset` names (a list's dataset name, see
    /// [`dataset_name`], or all of them: [`ALL_LISTS`]), as yente's `POST /match/{dataset}` does. A dataset the
    /// project does not keep is `not_found`; a request beyond the limits, an unknown schema, algorithm or
    /// setting, or a value that cannot be read is `usage`, naming its field.
    pub fn match_queries(&self, dataset: &str, request: &MatchRequest, params: &MatchParams) -> Result<MatchResponse> {
        let settings = Settings::of(params)?;
        if let Some(weight) = request.weights.keys().next() {
            return Err(Error::usage(format!(
                "weights.{weight}: {SCORER_VERSION} scores with fixed weights; give none"
            )));
        }
        if let Some(setting) = request.config.keys().next() {
            return Err(Error::usage(format!("config.{setting}: {SCORER_VERSION} takes no configuration")));
        }
        if request.queries.len() > MAX_MATCH_QUERIES {
            return Err(Error::usage(format!(
                "queries: {} in one request; at most {MAX_MATCH_QUERIES}",
                request.queries.len()
            )));
        }
        if request.queries.is_empty() {
            return Err(Error::usage("queries: none given"));
        }
        // Every query is read before any is screened: a bad one refuses the request before any work.
        let queries: Vec<(&String, &EntityExample, Query)> = request
            .queries
            .iter()
            .map(|(key, example)| Ok((key, example, query_of(key, example)?)))
            .collect::<Result<_>>()?;
        let kept = self.kept_screeners()?;
        let lists = kept.select(dataset)?;
        let lists: Vec<&KeptScreener> = lists
            .into_iter()
            .filter(|list| settings.include_dataset.is_empty() || settings.include_dataset.contains(&list.dataset))
            .filter(|list| !settings.exclude_dataset.contains(&list.dataset))
            .collect();
        let options = Options {
            threshold: settings.threshold,
            top: MATCH_CANDIDATES,
            exhaustive: false,
            cutoff: settings.cutoff,
            candidates: MATCH_CANDIDATES,
        };
        let mut responses = BTreeMap::new();
        for (key, example, query) in queries {
            let mut found: Vec<(&KeptScreener, Candidate)> = Vec::new();
            for list in &lists {
                found.extend(list.screener.screen(&query, &options).into_iter().map(|c| (*list, c)));
            }
            found.retain(|(_, candidate)| {
                !settings.exclude_schema.iter().any(|s| s.as_str() == candidate.schema)
                    && !settings.exclude_entity_ids.contains(&candidate.entity_id)
            });
            found.sort_by(|(_, a), (_, b)| b.score.total_cmp(&a.score).then_with(|| a.entity_id.cmp(&b.entity_id)));
            let matches = found.iter().filter(|(_, candidate)| candidate.matched).count();
            found.truncate(settings.limit);
            let results = found.into_iter().map(|(list, candidate)| list.scored(&candidate)).collect::<Result<_>>()?;
            responses.insert(
                key.clone(),
                EntityMatches {
                    status: 200,
                    results,
                    total: TotalSpec { value: matches, relation: "eq".into() },
                    query: example.clone(),
                },
            );
        }
        Ok(MatchResponse { responses, limit: settings.limit })
    }

    /// The kept lists' screeners, current: built again when the lists kept (the newest version of each) are not
    /// those they were built from, by one caller while the others wait.
    pub(crate) fn kept_screeners(&self) -> Result<Arc<KeptScreeners>> {
        // Which lists are kept is read before the lock is taken, so that requests wait on one another only
        // while the screeners are built (once, for all of them), never for a read of the store.
        let newest = newest_kept(self.lists()?);
        let sha256: Vec<String> = newest.iter().map(|list| list.sha256.clone()).collect();
        let mut cached = self.kept_screeners.kept.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(kept) = cached.as_ref()
            && kept.sha256 == sha256
        {
            return Ok(Arc::clone(kept));
        }
        *cached = None;
        let lists = self
            .read_kept_lists(&newest)?
            .into_iter()
            .map(|list| {
                let positions = list.entities.iter().enumerate().map(|(i, e)| (e.id.clone(), i)).collect();
                KeptScreener {
                    dataset: dataset_name(&list.info.name),
                    screener: Screener::new(list.entities),
                    positions,
                }
            })
            .collect();
        let kept = Arc::new(KeptScreeners { sha256, lists });
        *cached = Some(Arc::clone(&kept));
        Ok(kept)
    }
}

impl KeptScreeners {
    /// The lists a dataset names.
    fn select(&self, dataset: &str) -> Result<Vec<&KeptScreener>> {
        let dataset = dataset.trim();
        if dataset.chars().count() > MAX_DATASET_CHARS {
            return Err(Error::usage(format!("a dataset's name is at most {MAX_DATASET_CHARS} characters")));
        }
        if self.lists.is_empty() {
            return Err(Error::new(
                Code::NotFound,
                "this project keeps no sanctions list to match against (see `clew lists import`)",
            ));
        }
        if ALL_LISTS.contains(&dataset) {
            return Ok(self.lists.iter().collect());
        }
        let named: Vec<&KeptScreener> = self.lists.iter().filter(|list| list.dataset == dataset).collect();
        if named.is_empty() {
            let mut known: Vec<&str> = ALL_LISTS.to_vec();
            known.extend(self.lists.iter().map(|list| list.dataset.as_str()));
            return Err(Error::new(
                Code::NotFound,
                format!("no dataset `{dataset}` in this project; it has {}", known.join(", ")),
            ));
        }
        Ok(named)
    }
}

impl KeptScreener {
    /// A candidate as yente gives a result: the entry's properties, its score and features, explained.
    fn scored(&self, candidate: &Candidate) -> Result<ScoredEntity> {
        let entity = self
            .positions
            .get(&candidate.entity_id)
            .and_then(|&position| self.screener.entities().get(position))
            .ok_or_else(|| Error::internal(format!("candidate {} is not on its list", candidate.entity_id)))?;
        let name_score = if candidate.weak_alias {
            candidate.name_match.score * WEAK_ALIAS_FACTOR
        } else {
            candidate.name_match.score
        };
        let mut detail = explain_name_match(&candidate.name_match);
        if candidate.weak_alias {
            detail.push_str(&format!(" (a weak alias: counts {WEAK_ALIAS_FACTOR})"));
        }
        let mut features = BTreeMap::from([("name".to_string(), name_score)]);
        let mut explanations = BTreeMap::from([(
            "name".to_string(),
            FeatureResult {
                score: name_score,
                detail: Some(detail),
                query: Some(candidate.query_name.clone()),
                candidate: Some(candidate.list_name.clone()),
            },
        )]);
        for qualifier in &candidate.qualifiers {
            features.insert(qualifier.feature.to_string(), qualifier.effect);
            explanations.insert(
                qualifier.feature.to_string(),
                FeatureResult {
                    score: qualifier.effect,
                    detail: Some(qualifier.detail.clone()),
                    query: None,
                    candidate: None,
                },
            );
        }
        Ok(ScoredEntity {
            id: entity.id.clone(),
            caption: entity.names.first().map(|n| n.text.clone()).unwrap_or_else(|| entity.id.clone()),
            schema: candidate.schema.to_string(),
            properties: ftm_properties(entity),
            datasets: vec![self.dataset.clone()],
            referents: Vec::new(),
            target: true,
            first_seen: None,
            last_seen: None,
            last_change: None,
            score: candidate.score,
            features,
            explanations,
            is_match: candidate.matched,
        })
    }
}

/// What a list says of an entry, as FollowTheMoney properties (what `clew_screen::lists::read_ftm` reads back).
fn ftm_properties(entity: &ListEntity) -> BTreeMap<String, Vec<String>> {
    let mut properties: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut put = |property: &str, value: String| {
        let values = properties.entry(property.to_string()).or_default();
        if !values.contains(&value) {
            values.push(value);
        }
    };
    for (i, name) in entity.names.iter().enumerate() {
        let property = if name.weak {
            "weakAlias"
        } else if i == 0 {
            "name"
        } else {
            "alias"
        };
        put(property, name.text.clone());
    }
    for date in &entity.birth_dates {
        match date {
            BirthDate::Date(date) => put("birthDate", date.to_string()),
            BirthDate::Years { from, to } => {
                put("birthDate", from.to_string());
                put("birthDate", to.to_string());
            }
        }
    }
    let country = if entity.kind == EntityKind::Person { "nationality" } else { "country" };
    for code in &entity.countries {
        put(country, code.clone());
    }
    if let Some(gender) = entity.gender {
        put("gender", if gender == Gender::Male { "male" } else { "female" }.to_string());
    }
    for identifier in &entity.identifiers {
        put("idNumber", identifier.clone());
    }
    for program in &entity.programs {
        put("program", program.clone());
    }
    put("topics", "sanction".to_string());
    properties
}

/// The parameters, checked.
struct Settings {
    limit: usize,
    threshold: f64,
    cutoff: f64,
    include_dataset: Vec<String>,
    exclude_dataset: Vec<String>,
    exclude_schema: Vec<String>,
    exclude_entity_ids: Vec<String>,
}

impl Settings {
    fn of(params: &MatchParams) -> Result<Settings> {
        let limit = params.limit.unwrap_or(DEFAULT_MATCH_LIMIT);
        if !(1..=MAX_MATCH_LIMIT).contains(&limit) {
            return Err(Error::usage(format!("limit: {limit} results; from 1 to {MAX_MATCH_LIMIT}")));
        }
        let threshold = params.threshold.unwrap_or(DEFAULT_THRESHOLD);
        if !(0.0..=1.0).contains(&threshold) {
            return Err(Error::usage(format!("threshold: {threshold} is not between 0 and 1")));
        }
        let cutoff = params.cutoff.unwrap_or(Options::default().cutoff);
        if !(0.0..=1.0).contains(&cutoff) {
            return Err(Error::usage(format!("cutoff: {cutoff} is not between 0 and 1")));
        }
        if let Some(algorithm) = &params.algorithm
            && !ALGORITHMS.contains(&algorithm.as_str())
        {
            let shown: String = algorithm.chars().take(MAX_DATASET_CHARS).collect();
            return Err(Error::usage(format!(
                "algorithm: `{shown}` is not offered; clew scores with {SCORER_VERSION} (also called default or best)"
            )));
        }
        for (field, values) in [
            ("include_dataset", &params.include_dataset),
            ("exclude_dataset", &params.exclude_dataset),
            ("exclude_schema", &params.exclude_schema),
            ("exclude_entity_ids", &params.exclude_entity_ids),
        ] {
            if values.len() > MAX_EXCLUDED_IDS {
                return Err(Error::usage(format!("{field}: {} values; at most {MAX_EXCLUDED_IDS}", values.len())));
            }
            if let Some(i) = values.iter().position(|v| v.chars().count() > MAX_VALUE_CHARS) {
                return Err(Error::usage(format!("{field}[{i}]: longer than {MAX_VALUE_CHARS} characters")));
            }
        }
        Ok(Settings {
            limit,
            threshold,
            // A cutoff above the threshold would hide matches.
            cutoff: cutoff.min(threshold),
            include_dataset: params.include_dataset.clone(),
            exclude_dataset: params.exclude_dataset.clone(),
            exclude_schema: params.exclude_schema.clone(),
            exclude_entity_ids: params.exclude_entity_ids.clone(),
        })
    }
}

/// A query's kind from its FollowTheMoney schema: `LegalEntity` and `Thing` are every kind (in FollowTheMoney
/// both people and organisations are legal entities); anything but the schemata lists hold is refused.
fn kind_of_schema(schema: &str) -> Option<Option<EntityKind>> {
    match schema {
        "LegalEntity" | "Thing" => Some(None),
        "Person" | "Organization" | "Company" | "PublicBody" | "Vessel" | "Airplane" => {
            Some(Some(EntityKind::of_schema(schema)))
        }
        _ => None,
    }
}

/// A query read from its example, every value checked: refused naming the first field beyond a limit or that
/// cannot be read.
fn query_of(key: &str, example: &EntityExample) -> Result<Query> {
    let length = key.chars().count();
    if length > MAX_QUERY_KEY_CHARS {
        return Err(Error::usage(format!("queries: a key of {length} characters; at most {MAX_QUERY_KEY_CHARS}")));
    }
    let at = format!("queries.{key}");
    let Some(kind) = kind_of_schema(&example.schema) else {
        return Err(Error::usage(format!(
            "{at}.schema: not a schema lists hold \
             (Person, Organization, Company, PublicBody, LegalEntity, Vessel, Airplane)"
        )));
    };
    if example.properties.len() > MAX_QUERY_PROPERTIES {
        return Err(Error::usage(format!(
            "{at}.properties: {} properties; at most {MAX_QUERY_PROPERTIES}",
            example.properties.len()
        )));
    }
    for (property, values) in &example.properties {
        if values.len() > MAX_PROPERTY_VALUES {
            return Err(Error::usage(format!(
                "{at}.properties.{property}: {} values; at most {MAX_PROPERTY_VALUES}",
                values.len()
            )));
        }
        for (i, value) in values.iter().enumerate() {
            let length = value.chars().count();
            if length > MAX_VALUE_CHARS {
                return Err(Error::usage(format!(
                    "{at}.properties.{property}[{i}]: {length} characters; at most {MAX_VALUE_CHARS}"
                )));
            }
        }
    }
    let values = |property: &str| -> Vec<&str> {
        example.properties.get(property).into_iter().flatten().map(|v| v.trim()).filter(|v| !v.is_empty()).collect()
    };
    let name_kind = query_name_kind(kind);
    let mut names: Vec<String> = FTM_NAME_PROPERTIES.iter().flat_map(|p| values(p)).map(String::from).collect();
    let parts: Vec<&str> =
        ["firstName", "middleName", "lastName"].iter().filter_map(|p| values(p).first().copied()).collect();
    if parts.len() >= 2 {
        names.push(parts.join(" "));
    }
    let mut seen = std::collections::HashSet::new();
    names.retain(|name| seen.insert(name.clone()));
    if names.is_empty() {
        return Err(Error::usage(format!(
            "{at}.properties: no name to match by (give name, alias, or firstName with lastName)"
        )));
    }
    if names.len() > MAX_QUERY_NAMES {
        return Err(Error::usage(format!("{at}.properties: {} names; at most {MAX_QUERY_NAMES}", names.len())));
    }
    let mut birth_dates = Vec::new();
    for (i, date) in values("birthDate").into_iter().enumerate() {
        // FollowTheMoney dates may carry a time; the day is what is compared.
        let day = date.get(..date.len().min(10)).unwrap_or(date);
        let parsed = parse_birth_date(day)
            .map_err(|problem| Error::usage(format!("{at}.properties.birthDate[{i}]: {problem}")))?;
        birth_dates.push(parsed);
    }
    let mut countries: Vec<String> =
        FTM_COUNTRY_PROPERTIES.iter().flat_map(|p| values(p)).filter_map(code_of).collect();
    countries.sort();
    countries.dedup();
    let identifiers = FTM_IDENTIFIER_PROPERTIES
        .iter()
        .flat_map(|p| values(p))
        .map(normalize_identifier)
        .filter(|i| !i.is_empty())
        .collect();
    Ok(Query {
        id: key.to_string(),
        kind,
        kind_choice: if kind.is_some() { KindChoice::Given } else { KindChoice::BothTried },
        names: names.iter().map(|n| clew_names::Name::new(n, name_kind)).collect(),
        birth_dates,
        countries,
        gender: values("gender").first().and_then(|g| Gender::parse(g)),
        identifiers,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    use std::path::PathBuf;

    use crate::tests::project;
    use crate::{Actor, ListFile};

    /// A real list shipped for tests (public-domain reference data: crates/clew-screen/test_data/lists/).
    fn shipped(file: &str) -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../clew-screen/test_data/lists").join(file)
    }

    fn keep(service: &Service, actor: &Actor, path: &std::path::Path) {
        service.import_list(actor, &ListFile::read(path, None).unwrap()).unwrap();
    }

    fn request(json: serde_json::Value) -> MatchRequest {
        serde_json::from_value(json).unwrap()
    }

    /// The example request of yente's `/match` documentation, as its API reference gives it (the docstring of
    /// `yente/routers/match.py`, shown at https://api.opensanctions.org/#tag/Matching; tutorial:
    /// https://www.opensanctions.org/docs/api/matching/).
    const YENTE_EXAMPLE: &str = r#"{
    "queries": {
        "entity1": {
            "schema": "Person",
            "properties": {
                "name": ["John Doe"],
                "birthDate": ["1975-04-21"],
                "nationality": ["us"]
            }
        },
        "entity2": {
            "schema": "Company",
            "properties": {
                "name": ["Brilliant Amazing Limited"],
                "jurisdiction": ["hk"],
                "registrationNumber": ["84BA99810"]
            }
        }
    }
}"#;

    #[test]
    fn yentes_example_request_is_answered_against_a_kept_list() {
        let (_dir, service, actor) = project();
        keep(&service, &actor, &shipped("un_sc_consolidated_2024-09-26.xml"));
        let example: MatchRequest = serde_json::from_str(YENTE_EXAMPLE).unwrap();
        let response = service.match_queries("default", &example, &MatchParams::default()).unwrap();
        assert_eq!(response.limit, DEFAULT_MATCH_LIMIT);
        assert_eq!(response.responses.keys().collect::<Vec<_>>(), ["entity1", "entity2"]);
        for (key, answer) in &response.responses {
            assert_eq!(answer.status, 200);
            assert_eq!(&answer.query, &example.queries[key], "the query is given back");
            // Neither invented example is on the UN list.
            assert!(answer.results.iter().all(|r| !r.is_match), "{key}: {:#?}", answer.results);
            assert_eq!(answer.total, TotalSpec { value: 0, relation: "eq".into() });
        }

        // A listed entity, by an alias, as a client would ask (the UN's own entry KPe.001, Korea Mining
        // Development Trading Corporation), and as yente's quickstart asks for a person (first and last name).
        let listed = request(serde_json::json!({"queries": {
            "komid": {"schema": "Company", "properties": {"name": "Changgwang Sinyong Corporation"}},
            "person": {
                "schema": "Person",
                "properties": {"firstName": ["Ho-jin"], "lastName": ["Yun"], "birthDate": ["1944"]}
            },
        }}));
        let params = MatchParams { limit: Some(3), ..MatchParams::default() };
        let response = service.match_queries("un_sc_consolidated_list", &listed, &params).unwrap();
        let komid = &response.responses["komid"];
        let best = &komid.results[0];
        assert_eq!((best.id.as_str(), best.is_match, best.schema.as_str()), ("un-KPe.001", true, "Organization"));
        assert_eq!(best.caption, "KOREA MINING DEVELOPMENT TRADING CORPORATION");
        assert_eq!(best.datasets, ["un_sc_consolidated_list"]);
        assert!(best.properties["alias"].contains(&"CHANGGWANG SINYONG CORPORATION".to_string()), "{best:#?}");
        assert_eq!(best.properties["topics"], ["sanction"]);
        assert!(best.target);
        assert_eq!(best.features["name"], best.explanations["name"].score);
        assert_eq!(best.explanations["name"].candidate.as_deref(), Some("CHANGGWANG SINYONG CORPORATION"));
        assert!(komid.total.value >= 1);
        let person = &response.responses["person"].results[0];
        assert_eq!((person.id.as_str(), person.is_match), ("un-KPi.001", true), "{person:#?}");
        assert!(person.explanations["name"].detail.as_deref().unwrap().contains("Korean"), "{person:#?}");
        assert!(response.responses.values().all(|answer| answer.results.len() <= 3));

        // The threshold decides `match`; what is excluded is left out.
        let strict = MatchParams { threshold: Some(1.0), cutoff: Some(0.5), ..MatchParams::default() };
        let response = service.match_queries("default", &listed, &strict).unwrap();
        assert!(response.responses["person"].results.iter().all(|r| r.is_match == (r.score >= 1.0)));
        let excluded = MatchParams { exclude_entity_ids: vec!["un-KPe.001".into()], ..MatchParams::default() };
        let response = service.match_queries("default", &listed, &excluded).unwrap();
        assert!(response.responses["komid"].results.iter().all(|r| r.id != "un-KPe.001"));
    }

    #[test]
    fn requests_and_responses_round_trip() {
        let body = serde_json::json!({"queries": {"q1": {
            "id": "client-7",
            "schema": "Person",
            "properties": {"name": "Pak Yong Jin", "alias": ["박영진"], "birthDate": ["1970-01-02"]}
        }}});
        let parsed = request(body);
        assert_eq!(parsed.queries["q1"].properties["name"], ["Pak Yong Jin"], "one value is a list of one");
        let written = serde_json::to_value(&parsed).unwrap();
        assert_eq!(written["queries"]["q1"]["properties"]["name"], serde_json::json!(["Pak Yong Jin"]));
        assert_eq!(request(written), parsed);
        assert!(
            serde_json::from_value::<MatchRequest>(serde_json::json!({"queries": {"q": {"schema": "Person"}}}))
                .is_err()
        );

        let (dir, service, actor) = project();
        let list = dir.path().join("list.csv");
        std::fs::write(&list, "id,name,schema,birth_date\nS-1,Pak Yong Jin,Person,1970-01-02\n").unwrap();
        keep(&service, &actor, &list);
        let response = service.match_queries("list_csv", &parsed, &MatchParams::default()).unwrap();
        let result = &response.responses["q1"].results[0];
        assert_eq!((result.id.as_str(), result.score, result.is_match), ("S-1", 1.0, true));
        let json = serde_json::to_value(&response).unwrap();
        assert_eq!(json["responses"]["q1"]["results"][0]["match"], true);
        assert_eq!(json["responses"]["q1"]["results"][0]["first_seen"], serde_json::Value::Null);
        assert_eq!(json["responses"]["q1"]["total"], serde_json::json!({"value": 1, "relation": "eq"}));
        let back: MatchResponse = serde_json::from_value(json).unwrap();
        assert_eq!(back, response);
    }

    #[test]
    fn datasets_are_kept_lists_and_an_unknown_one_is_not_found() {
        let (dir, service, actor) = project();
        let query = request(serde_json::json!({"queries": {
            "q": {"schema": "Company", "properties": {"name": ["SYNTHETIC TRADING LLC"]}}
        }}));
        let params = MatchParams::default();
        let none = service.match_queries("default", &query, &params).unwrap_err();
        assert_eq!(none.code(), Code::NotFound, "no list kept: {none}");
        let list = dir.path().join("synthetic.csv");
        std::fs::write(&list, "id,name,schema\nS-1,SYNTHETIC TRADING LLC,Company\n").unwrap();
        keep(&service, &actor, &list);
        let error = service.match_queries("us_ofac_sdn", &query, &params).unwrap_err();
        assert_eq!(error.code(), Code::NotFound);
        assert!(error.message().contains("it has default, sanctions, synthetic_csv"), "{error}");
        for dataset in ["default", "sanctions", "synthetic_csv"] {
            let response = service.match_queries(dataset, &query, &params).unwrap();
            assert_eq!(response.responses["q"].results[0].id, "S-1", "{dataset}");
        }
        let elsewhere = MatchParams { include_dataset: vec!["another".into()], ..MatchParams::default() };
        assert!(service.match_queries("default", &query, &elsewhere).unwrap().responses["q"].results.is_empty());
        assert_eq!(dataset_name("UN SC consolidated list"), "un_sc_consolidated_list");
        assert_eq!(dataset_name(" OFAC consolidated (non-SDN) "), "ofac_consolidated_non_sdn");

        // The screeners are kept while the lists kept are the same, built again when one is added.
        let first = service.kept_screeners().unwrap();
        service.match_queries("default", &query, &params).unwrap();
        assert!(Arc::ptr_eq(&first, &service.kept_screeners().unwrap()));
        std::fs::write(&list, "id,name,schema\nS-2,SYNTHETIC TRADING LLC,Company\n").unwrap();
        keep(&service, &actor, &list);
        let second = service.kept_screeners().unwrap();
        assert!(!Arc::ptr_eq(&first, &second));
        let response = service.match_queries("default", &query, &params).unwrap();
        assert_eq!(response.responses["q"].results[0].id, "S-2", "the newest version of the list only");
    }

    #[test]
    fn a_request_beyond_the_limits_is_refused_naming_its_field() {
        let (dir, service, actor) = project();
        let list = dir.path().join("synthetic.csv");
        std::fs::write(&list, "id,name,schema\nS-1,SYNTHETIC TRADING LLC,Company\n").unwrap();
        keep(&service, &actor, &list);
        let refused = |body: serde_json::Value, params: &MatchParams| {
            let error = service.match_queries("default", &request(body), params).unwrap_err();
            assert_eq!(error.code(), Code::Usage, "{error}");
            error.message().to_string()
        };
        let defaults = MatchParams::default();
        let queries: serde_json::Map<String, serde_json::Value> = (0..=MAX_MATCH_QUERIES)
            .map(|i| (format!("q{i}"), serde_json::json!({"schema": "Person", "properties": {"name": ["A B"]}})))
            .collect();
        assert!(refused(serde_json::json!({"queries": queries}), &defaults).starts_with("queries: 101 in one request"));
        assert_eq!(refused(serde_json::json!({"queries": {}}), &defaults), "queries: none given");
        let long = "x".repeat(MAX_VALUE_CHARS + 1);
        let message = refused(
            serde_json::json!({"queries": {"q1": {"schema": "Person", "properties": {"name": ["a", "b", "c", long]}}}}),
            &defaults,
        );
        assert!(message.starts_with("queries.q1.properties.name[3]: 501 characters"), "{message}");
        let many: Vec<String> = (0..=MAX_PROPERTY_VALUES).map(|i| format!("n{i}")).collect();
        let message = refused(
            serde_json::json!({"queries": {"q1": {"schema": "Person", "properties": {"alias": many}}}}),
            &defaults,
        );
        assert!(message.starts_with("queries.q1.properties.alias: 21 values"), "{message}");
        let message = refused(
            serde_json::json!({"queries": {
                "q1": {"schema": "Person", "properties": {"name": ["A B"], "birthDate": ["1970", "soon"]}}
            }}),
            &defaults,
        );
        assert!(message.starts_with("queries.q1.properties.birthDate[1]:"), "{message}");
        let message = refused(
            serde_json::json!({"queries": {"q1": {"schema": "Person", "properties": {"birthDate": ["1970"]}}}}),
            &defaults,
        );
        assert!(message.starts_with("queries.q1.properties: no name"), "{message}");
        let message = refused(
            serde_json::json!({"queries": {"q1": {"schema": "Sanction", "properties": {"name": ["A"]}}}}),
            &defaults,
        );
        assert!(message.starts_with("queries.q1.schema:"), "{message}");
        let body = serde_json::json!({"queries": {"q1": {"schema": "Person", "properties": {"name": ["A B"]}}}});
        let with = |field: &str, value: serde_json::Value| {
            let mut body = body.clone();
            body[field] = value;
            body
        };
        assert!(
            refused(with("weights", serde_json::json!({"name_literal": 0.8})), &defaults)
                .starts_with("weights.name_literal")
        );
        assert!(
            refused(with("config", serde_json::json!({"nm_number_mismatch": 0.4})), &defaults).starts_with("config.")
        );
        for params in [
            MatchParams { limit: Some(0), ..MatchParams::default() },
            MatchParams { limit: Some(MAX_MATCH_LIMIT + 1), ..MatchParams::default() },
            MatchParams { threshold: Some(1.5), ..MatchParams::default() },
            MatchParams { algorithm: Some("logic-v1".into()), ..MatchParams::default() },
            MatchParams { exclude_entity_ids: vec!["x".into(); MAX_EXCLUDED_IDS + 1], ..MatchParams::default() },
        ] {
            refused(body.clone(), &params);
        }
        let ours = MatchParams { algorithm: Some(SCORER_VERSION.into()), ..MatchParams::default() };
        assert!(service.match_queries("default", &request(body), &ours).is_ok());
    }
}

//! Search: the project's entities (people, companies, public bodies, worksites, ...) whose names match a query
//! in any script, each hit with its score and why, for a viewer who may see statements up to a sensitivity.
//!
//! Names are compared by `clew-names` (`Ким Чен Ын` finds `김정은` and `Kim Jong Un`; a company is found by a
//! word of its name) and proposed by the same key index as screening (`clew_screen::index::KeyIndex`). The
//! index is built in one pass over the project's entities and kept in the [`Service`], shared by every thread
//! that searches; it is built again only when a statement was added since (`ReadTx::statements_version`: a
//! withdrawal, a correction and a retraction are statements too), by the first search that sees it so, while
//! the others wait for it rather than build it twice or search what the project no longer says.
//!
//! Every indexed name carries the lowest sensitivity of the statements that state it, and every entity its
//! schema and caption as a viewer of each ceiling would see them (from the statements at or below it), so one
//! index serves every ceiling: a name above the viewer's ceiling is never proposed, scored or shown, and an
//! entity is shown only as its visible statements make it.
//!
//! The index is built from the statements of names and captions alone (`ReadTx::for_each_entity_with`): an
//! entity's schema and caption are what those statements make. Like exports, it leaves out sources with any
//! withdrawal of consent (the entity view leaves out only those withdrawn entirely): the safer side.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use clew_model::value::PropertyType;
use clew_model::{Entity, EntityId, Model, Sensitivity, Statement};
use clew_names::{Name, NameKind, NameMatch, compare, score};
use clew_screen::entity::EntityKind;
use clew_screen::index::KeyIndex;
use clew_store::ReadTx;
use serde::Serialize;

use crate::analysis::model;
use crate::entities::Schemata;
use crate::screening::explain_name_match;
use crate::{Error, Result, Service};

/// Most characters in a query: a name, or a few.
pub const MAX_SEARCH_CHARS: usize = 256;
/// Most hits one search returns.
pub const MAX_SEARCH_LIMIT: usize = 100;
/// Names scoring below this are not hits (screening's cutoff)... unless every word of the query is in them
/// ([`WORD_FOUND`]): a search by a word of a long name (`dormitory`, of `a dormitory at DEMO site 00012`, 0.38)
/// finds it, though the rest of the name weighs against the score.
pub const SEARCH_CUTOFF: f64 = 0.5;
/// How alike a query's word and a name's must be for the word to count as found in the name (word by word).
pub const WORD_FOUND: f64 = 0.9;
/// Most distinct names scored per query, those sharing the rarest keys with it first.
pub const SEARCH_CANDIDATES: usize = 500;
/// Most index postings read per query (`KeyIndex::proposals`), and most occurrences of the names scored that
/// are looked at: the work of one query is bounded whatever it holds and however common its words are.
pub const SEARCH_BUDGET: usize = 200_000;

/// The ceilings an index serves, lowest first.
const CEILINGS: [Sensitivity; 3] = [Sensitivity::Public, Sensitivity::Internal, Sensitivity::Restricted];

/// One entity found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchHit {
    /// The entity.
    pub entity: EntityId,
    /// Its schema, as its statements visible to the viewer make it.
    pub schema: String,
    /// Its caption, as its statements visible to the viewer make it.
    pub caption: String,
    /// Its name that matched best (one the viewer may see).
    pub matched_name: String,
    /// The name score, in [0, 1].
    pub score: f64,
    /// How the names compared, in words (part by part for Korean names, word by word otherwise).
    pub explanation: String,
}

/// What a search found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchResults {
    /// The query, as searched (trimmed).
    pub query: String,
    /// How many entities matched from [`SEARCH_CUTOFF`] (of the names the query's work allowed).
    pub total: usize,
    /// The best, at most the limit asked, best first (ties by entity id).
    pub hits: Vec<SearchHit>,
    /// Whether the project holds synthetic (demo) data only.
    pub synthetic: bool,
}

/// What the search index holds, and what building it took.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchIndexInfo {
    /// The statements version it was built at (`ReadTx::statements_version`).
    pub statements_version: u64,
    /// Entities with a name.
    pub entities: usize,
    /// Distinct names (each prepared and keyed once, however many entities bear it).
    pub names: usize,
    /// Names borne by entities (a name per entity and sensitivity).
    pub occurrences: usize,
    /// Distinct keys.
    pub keys: usize,
    /// Seconds the build took (reading the project included).
    pub build_seconds: f64,
}

/// An entity as a viewer of one ceiling sees it.
#[derive(Debug, Clone)]
struct View {
    /// Its schema (a position in [`SearchIndex::schemata`]).
    schema: u16,
    caption: Arc<str>,
}

/// An entity with a name.
#[derive(Debug)]
struct IndexedEntity {
    id: EntityId,
    /// As each ceiling ([`CEILINGS`]) sees it; `None` where none of its statements is visible.
    views: [Option<View>; 3],
}

/// An entity bearing a name, and the lowest sensitivity of the statements saying so.
#[derive(Debug, Clone, Copy)]
struct Occurrence {
    entity: u32,
    sensitivity: Sensitivity,
}

/// The project's names, indexed.
#[derive(Debug)]
pub(crate) struct SearchIndex {
    info: SearchIndexInfo,
    /// Every schema of the model, in order (views refer to them by position).
    schemata: Vec<String>,
    entities: Vec<IndexedEntity>,
    /// Distinct names, prepared.
    names: Vec<Name>,
    /// Of each name, the lowest sensitivity of its occurrences, so that a name no one of the ceiling may see is
    /// never proposed.
    lowest: Vec<Sensitivity>,
    /// Of each name, the schemata of the entities bearing it (bit `i` for schema `i`; every bit for a model of
    /// more than 64), so that a name only entities of other schemata bear is never proposed.
    schema_bits: Vec<u64>,
    /// The occurrences of name `i` are `occurrences[starts[i]..starts[i + 1]]`.
    starts: Vec<u32>,
    occurrences: Vec<Occurrence>,
    keys: KeyIndex,
}

/// The search index kept between searches (in the [`Service`]).
#[derive(Default)]
pub(crate) struct IndexCache {
    index: Mutex<Option<Arc<SearchIndex>>>,
}

impl std::fmt::Debug for IndexCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let guard = self.index.lock().unwrap_or_else(PoisonError::into_inner);
        let version = guard.as_ref().map(|index| index.info.statements_version);
        f.debug_struct("IndexCache").field("statements_version", &version).finish()
    }
}

impl Service {
    /// The entities of `schemata` whose names match `query` in any script, as a viewer who may see statements up
    /// to `ceiling` sees them: at most `limit` (1 to [`MAX_SEARCH_LIMIT`]), best first. A query is at most
    /// [`MAX_SEARCH_CHARS`] characters, and its work is bounded ([`SEARCH_CANDIDATES`], [`SEARCH_BUDGET`]).
    /// The first search after statements were added builds the index again.
    pub fn search(
        &self,
        query: &str,
        schemata: &Schemata,
        ceiling: Sensitivity,
        limit: usize,
    ) -> Result<SearchResults> {
        let query = query.trim();
        if query.is_empty() {
            return Err(Error::usage("a search needs a name or a word to look for"));
        }
        let length = query.chars().count();
        if length > MAX_SEARCH_CHARS {
            return Err(Error::usage(format!(
                "a query of {length} characters; a search is at most {MAX_SEARCH_CHARS} (a name, or a few words)"
            )));
        }
        if limit == 0 || limit > MAX_SEARCH_LIMIT {
            return Err(Error::usage(format!("a search returns 1 to {MAX_SEARCH_LIMIT} hits, not {limit}")));
        }
        let index = self.search_index()?;
        let (total, hits) = index.search(query, schemata, ceiling, limit);
        Ok(SearchResults { query: query.to_string(), total, hits, synthetic: self.synthetic() })
    }

    /// What the search index holds, building it first if statements were added since it was built (a server
    /// calls it at start, so that no one's first search waits for the build).
    pub fn search_index_info(&self) -> Result<SearchIndexInfo> {
        Ok(self.search_index()?.info.clone())
    }

    /// The search index, current: built again when a statement was added since, by one caller while the others
    /// wait. The version is read from the snapshot the index is built from, opened while the cache is held.
    pub(crate) fn search_index(&self) -> Result<Arc<SearchIndex>> {
        let mut cached = self.search_index.index.lock().unwrap_or_else(PoisonError::into_inner);
        let store = self.project.read()?;
        let version = store.statements_version()?;
        if let Some(index) = cached.as_ref()
            && index.info.statements_version == version
        {
            return Ok(Arc::clone(index));
        }
        // The old index goes before the new one is built: a project's index is not held twice.
        *cached = None;
        let index = Arc::new(SearchIndex::build(model()?, &*store, version)?);
        *cached = Some(Arc::clone(&index));
        Ok(index)
    }
}

/// The index being built: names are interned, so that a name borne by many entities (a site's minder named in
/// every testimony from it) is prepared and keyed once.
struct Builder<'m> {
    model: &'m Model,
    schemata: Vec<String>,
    /// Of each schema, its properties of type name.
    name_properties: HashMap<&'m str, Vec<&'m str>>,
    entities: Vec<IndexedEntity>,
    names: Vec<Name>,
    interned: HashMap<(bool, String), u32>,
    lowest: Vec<Sensitivity>,
    schema_bits: Vec<u64>,
    occurrences: Vec<(u32, Occurrence)>,
    keys: KeyIndex,
}

impl SearchIndex {
    /// Builds the index from one snapshot, whose statements version is `version`.
    fn build(model: &Model, store: &dyn ReadTx, version: u64) -> Result<SearchIndex> {
        let started = Instant::now();
        let name_properties = model
            .schemata
            .iter()
            .map(|(name, schema)| {
                let names = schema
                    .properties
                    .iter()
                    .filter(|(_, property)| property.kind == PropertyType::Name)
                    .map(|(property, _)| property.as_str())
                    .collect();
                (name.as_str(), names)
            })
            .collect();
        let mut builder = Builder {
            model,
            schemata: model.schemata.keys().cloned().collect(),
            name_properties,
            entities: Vec::new(),
            names: Vec::new(),
            interned: HashMap::new(),
            lowest: Vec::new(),
            schema_bits: Vec::new(),
            occurrences: Vec::new(),
            keys: KeyIndex::new(),
        };
        // Only the statements of names and captions are read (a tenth of a project's): what the index keeps.
        let mut read: Vec<&str> = model
            .schemata
            .values()
            .flat_map(|schema| schema.caption.iter().map(String::as_str))
            .chain(builder.name_properties.values().flatten().copied())
            .collect();
        read.sort_unstable();
        read.dedup();
        store.for_each_entity_with(&read, &mut |id, statements| {
            builder.add(id, statements);
            Ok(())
        })?;
        let Builder { schemata, entities, names, lowest, schema_bits, mut occurrences, keys, .. } = builder;
        // Occurrences by name, each name's in the order its entities came.
        occurrences.sort_by_key(|(name, _)| *name);
        let mut starts = Vec::with_capacity(names.len() + 1);
        let mut next = 0;
        for name in 0..names.len() as u32 {
            starts.push(next as u32);
            while next < occurrences.len() && occurrences[next].0 == name {
                next += 1;
            }
        }
        starts.push(occurrences.len() as u32);
        let occurrences: Vec<Occurrence> = occurrences.into_iter().map(|(_, occurrence)| occurrence).collect();
        let info = SearchIndexInfo {
            statements_version: version,
            entities: entities.len(),
            names: names.len(),
            occurrences: occurrences.len(),
            keys: keys.keys(),
            build_seconds: started.elapsed().as_secs_f64(),
        };
        Ok(SearchIndex { info, schemata, entities, names, lowest, schema_bits, starts, occurrences, keys })
    }

    /// Searches: how many entities matched, and the best `limit` of them.
    fn search(&self, text: &str, schemata: &Schemata, ceiling: Sensitivity, limit: usize) -> (usize, Vec<SearchHit>) {
        // A query of no stated kind is prepared as a person's name: it meets people by the Korean rules and
        // everything else word by word (`clew_screen::screen::query_name_kind`).
        let query = Name::new(text, clew_screen::screen::query_name_kind(None));
        let allowed: Vec<bool> = self.schemata.iter().map(|schema| schemata.includes(schema)).collect();
        let allowed_bits = schema_bits_of(allowed.iter().enumerate().filter(|(_, a)| **a).map(|(i, _)| i));
        let level = ceiling as usize;
        let proposals = self.keys.proposals(&query.keys(), SEARCH_CANDIDATES, SEARCH_BUDGET, |name| {
            self.lowest[name as usize] <= ceiling && self.schema_bits[name as usize] & allowed_bits != 0
        });
        // Each entity's best visible name.
        let mut best: HashMap<u32, (f64, u32)> = HashMap::new();
        // The comparisons made with their explanation (of names below the cutoff), to explain the hits.
        let mut compared: HashMap<u32, NameMatch> = HashMap::new();
        let mut budget = SEARCH_BUDGET;
        for (name, _) in proposals {
            let bearer = &self.names[name as usize];
            let found = score(&query, bearer);
            if found < SEARCH_CUTOFF {
                let explained = compare(&query, bearer);
                if found == 0.0 || !every_word_found(&explained) {
                    continue;
                }
                compared.insert(name, explained);
            }
            let occurrences =
                &self.occurrences[self.starts[name as usize] as usize..self.starts[name as usize + 1] as usize];
            let occurrences = &occurrences[..occurrences.len().min(budget)];
            budget -= occurrences.len();
            for occurrence in occurrences {
                if occurrence.sensitivity > ceiling {
                    continue;
                }
                let entity = &self.entities[occurrence.entity as usize];
                if !entity.views[level].as_ref().is_some_and(|view| allowed[view.schema as usize]) {
                    continue;
                }
                // Names come rarest keys first: of two names scoring alike, the first found stays.
                best.entry(occurrence.entity)
                    .and_modify(|kept| {
                        if found > kept.0 {
                            *kept = (found, name);
                        }
                    })
                    .or_insert((found, name));
            }
            if budget == 0 {
                break;
            }
        }
        let total = best.len();
        let mut ranked: Vec<(u32, f64, u32)> =
            best.into_iter().map(|(entity, (score, name))| (entity, score, name)).collect();
        ranked.sort_by(|a, b| {
            b.1.total_cmp(&a.1).then_with(|| self.entities[a.0 as usize].id.cmp(&self.entities[b.0 as usize].id))
        });
        ranked.truncate(limit);
        let mut explained: HashMap<u32, String> = HashMap::new();
        let hits = ranked
            .into_iter()
            .filter_map(|(entity, score, name)| {
                let entity = &self.entities[entity as usize];
                let view = entity.views[level].as_ref()?;
                let bearer = &self.names[name as usize];
                let explanation = explained
                    .entry(name)
                    .or_insert_with(|| match compared.get(&name) {
                        Some(found) => format!("{}; every word of the query is in it", explain_name_match(found)),
                        None => explain_name_match(&compare(&query, bearer)),
                    })
                    .clone();
                Some(SearchHit {
                    entity: entity.id.clone(),
                    schema: self.schemata[view.schema as usize].clone(),
                    caption: view.caption.to_string(),
                    matched_name: bearer.text.clone(),
                    score,
                    explanation,
                })
            })
            .collect();
        (total, hits)
    }
}

/// Whether every word of the query is in the name: compared word by word, each of the query's words paired with
/// one of the name's at least [`WORD_FOUND`] alike.
fn every_word_found(found: &NameMatch) -> bool {
    let Some(generic) = &found.generic else { return false };
    let mut words = generic.pairs.iter().filter(|pair| !pair.left.is_empty()).peekable();
    words.peek().is_some() && words.all(|pair| pair.similarity >= WORD_FOUND)
}

/// The bits of schemata at these positions (every bit for a position past 63: such a model is not narrowed).
fn schema_bits_of(positions: impl Iterator<Item = usize>) -> u64 {
    positions.fold(0, |bits, i| bits | if i < 64 { 1 << i } else { u64::MAX })
}

impl Builder<'_> {
    /// Adds an entity's names, if it has any.
    fn add(&mut self, id: EntityId, statements: Vec<Statement>) {
        // Most entities (relations, payments, testimonies) have no name: they are passed over before assembling.
        let named = |s: &Statement| self.name_properties.get(&*s.schema).is_some_and(|p| p.contains(&&*s.property));
        if !statements.iter().any(named) {
            return;
        }
        let Some(entity) = Entity::assemble(self.model, &id, statements) else { return };
        let Some(properties) = self.name_properties.get(entity.schema.as_str()) else { return };
        // Each name once, with the lowest sensitivity of the statements saying it.
        let mut names: Vec<(String, Sensitivity)> = Vec::new();
        let mut add = |text: &str, sensitivity: Sensitivity| {
            let text = text.trim();
            if text.is_empty() {
                return;
            }
            match names.iter_mut().find(|(known, _)| known == text) {
                Some((_, known)) => *known = (*known).min(sensitivity),
                None => names.push((text.to_string(), sensitivity)),
            }
        };
        for property in properties {
            for statement in entity.properties.get(*property).into_iter().flatten() {
                add(&statement.value, statement.sensitivity);
            }
        }
        // A first name with a last name is a name too (as screening reads a project's people), visible where
        // both are.
        let first_of = |property: &str| entity.properties.get(property).and_then(|s| s.first());
        if let (Some(first), Some(last)) = (first_of("firstName"), first_of("lastName")) {
            add(&format!("{} {}", first.value, last.value), first.sensitivity.max(last.sensitivity));
        }
        if names.is_empty() {
            return;
        }
        let views = self.views(&entity);
        let position = self.entities.len() as u32;
        let bits = schema_bits_of(views.iter().flatten().map(|view| view.schema as usize));
        let kind = EntityKind::of_schema(&entity.schema).name_kind();
        for (text, sensitivity) in names {
            let name = self.intern(text, kind);
            self.lowest[name as usize] = self.lowest[name as usize].min(sensitivity);
            self.schema_bits[name as usize] |= bits;
            self.occurrences.push((name, Occurrence { entity: position, sensitivity }));
        }
        self.entities.push(IndexedEntity { id, views });
    }

    /// The entity as each ceiling sees it: assembled again from its active statements at or below the ceiling
    /// (only where some are above it).
    fn views(&self, entity: &Entity) -> [Option<View>; 3] {
        let highest = entity.properties.values().flatten().map(|s| s.sensitivity).max().unwrap_or(Sensitivity::Public);
        let view_of = |entity: &Entity| View {
            schema: self.schemata.binary_search(&entity.schema).map_or(0, |i| i as u16),
            caption: Arc::from(entity.caption(self.model)),
        };
        let whole = view_of(entity);
        CEILINGS.map(|ceiling| {
            if ceiling >= highest {
                return Some(whole.clone());
            }
            let visible: Vec<Statement> =
                entity.properties.values().flatten().filter(|s| s.sensitivity <= ceiling).cloned().collect();
            Entity::assemble(self.model, &entity.id, visible).map(|seen| view_of(&seen))
        })
    }

    /// The position of a name, prepared and keyed the first time it is seen.
    fn intern(&mut self, text: String, kind: NameKind) -> u32 {
        let key = (kind == NameKind::Person, text);
        if let Some(position) = self.interned.get(&key) {
            return *position;
        }
        let position = self.names.len() as u32;
        let name = Name::new(&key.1, kind);
        self.keys.insert(position, name.keys());
        self.names.push(name);
        self.lowest.push(Sensitivity::Restricted);
        self.schema_bits.push(0);
        self.interned.insert(key, position);
        position
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    use std::path::Path;

    use crate::Code;
    use crate::tests::project;

    /// Imports FtM entities (one JSON object a line) from a file of this name, every statement of this
    /// sensitivity.
    fn import(service: &Service, dir: &Path, file: &str, entities: &str, sensitivity: Sensitivity) {
        let path = dir.join(file);
        std::fs::write(&path, entities).unwrap();
        let options = clew_intake::ftm::FtmImportOptions {
            dry_run: false,
            recorded_by: "tester".into(),
            skip_unknown: false,
            sensitivity,
            source: None,
        };
        let input = clew_intake::input::InputPath::File(path);
        let imported = clew_intake::ftm::import_ftm(
            model().unwrap(),
            Some(service.project().store()),
            &[input],
            &options,
            &mut |_| {},
        )
        .unwrap();
        assert!(imported.diagnostics.is_empty(), "{:?}", imported.diagnostics);
    }

    /// The ids of what a search finds, best first.
    fn found(service: &Service, query: &str, ceiling: Sensitivity) -> Vec<String> {
        let results = service.search(query, &Schemata::default(), ceiling, 10).unwrap();
        results.hits.iter().map(|hit| hit.entity.to_string()).collect()
    }

    // Synthetic entities. The Korean name is one the synthetic demo gives (`clew_demo::possible_korean_names`),
    // no one's in particular; the companies' names say they are synthetic.
    const PEOPLE: &str = r#"{"id": "syn.person.1", "schema": "Person", "properties": {"name": ["박영진"]}}
{"id": "syn.person.2", "schema": "Person", "properties": {"name": ["Pak Yong Jin"]}}
{"id": "syn.person.3", "schema": "Person", "properties": {"name": ["Choe Kwang Hak"]}}
{"id": "syn.company.1", "schema": "Company", "properties": {"name": ["SYNTHETIC NORTHERN BRIDGE TRADING LLC"], "alias": ["ООО «СИНТЕТИЧЕСКИЙ СЕВЕРНЫЙ МОСТ»"]}}
{"id": "syn.body.1", "schema": "PublicBody", "properties": {"name": ["SYNTHETIC NORTHERN MINISTRY OF FOREST WORKS NO. 7"]}}
"#;

    #[test]
    fn names_are_found_across_scripts_and_explained() {
        let (dir, service, _) = project();
        import(&service, dir.path(), "people.ftm.json", PEOPLE, Sensitivity::Internal);
        let results = service.search("  Пак Ён Джин ", &Schemata::default(), Sensitivity::Internal, 10).unwrap();
        assert_eq!(results.query, "Пак Ён Джин");
        let ids: Vec<&str> = results.hits.iter().map(|hit| hit.entity.as_str()).collect();
        assert_eq!(ids[..2], ["syn.person.1", "syn.person.2"], "{results:#?}");
        assert!(!ids.contains(&"syn.person.3"), "another person: {results:#?}");
        let hangul = &results.hits[0];
        assert_eq!(
            (hangul.schema.as_str(), hangul.caption.as_str(), hangul.matched_name.as_str()),
            ("Person", "박영진", "박영진")
        );
        assert!(hangul.score >= 0.9, "{hangul:?}");
        assert!(hangul.explanation.contains("Korean"), "{}", hangul.explanation);
        assert_eq!(found(&service, "박영진", Sensitivity::Internal)[..2], ["syn.person.1", "syn.person.2"]);
        assert_eq!(found(&service, "PAK YONG-JIN", Sensitivity::Internal)[..2], ["syn.person.1", "syn.person.2"]);

        // A word of a long name finds it, though the rest of the name weighs against its score.
        let results = service.search("Ministry", &Schemata::default(), Sensitivity::Internal, 10).unwrap();
        assert_eq!(results.hits.len(), 1, "{results:#?}");
        assert!(results.hits[0].score < SEARCH_CUTOFF, "{results:#?}");
        assert!(results.hits[0].explanation.ends_with("every word of the query is in it"), "{results:#?}");
        // A company by a word of its name, in either script; the explanation pairs the words.
        let results = service.search("Bridge", &Schemata::default(), Sensitivity::Internal, 10).unwrap();
        assert_eq!(results.hits.len(), 1, "{results:#?}");
        let company = &results.hits[0];
        assert_eq!((company.entity.as_str(), company.schema.as_str()), ("syn.company.1", "Company"));
        assert_eq!(company.caption, "SYNTHETIC NORTHERN BRIDGE TRADING LLC");
        assert!(company.explanation.contains("word by word: bridge~bridge"), "{}", company.explanation);
        assert_eq!(found(&service, "Северный мост", Sensitivity::Internal), ["syn.company.1"]);
        // Schemata narrow it: a word two entities share finds the one of the schema asked for.
        assert_eq!(found(&service, "Northern", Sensitivity::Internal).len(), 2);
        let companies = Schemata::named(&["Organization".to_string()]).unwrap();
        let organisations = service.search("Northern", &companies, Sensitivity::Internal, 10).unwrap();
        assert_eq!(organisations.total, 2, "a public body and a company are organisations");
        let companies = Schemata::named(&["Company".to_string()]).unwrap();
        let hits = service.search("Northern", &companies, Sensitivity::Internal, 10).unwrap().hits;
        assert_eq!(hits.iter().map(|h| h.entity.as_str()).collect::<Vec<_>>(), ["syn.company.1"]);
        // Nothing like it: nothing found.
        assert!(found(&service, "Zzyzx Qwerty", Sensitivity::Internal).is_empty());
    }

    #[test]
    fn what_is_above_the_ceiling_is_neither_searched_nor_shown() {
        let (dir, service, _) = project();
        // One entity: its name restricted (a witness's account), an alias public.
        import(
            &service,
            dir.path(),
            "restricted.ftm.json",
            r#"{"id": "syn.person.9", "schema": "Person", "properties": {"name": ["Han Kwang Il"]}}"#,
            Sensitivity::Restricted,
        );
        import(
            &service,
            dir.path(),
            "public.ftm.json",
            r#"{"id": "syn.person.9", "schema": "Person", "properties": {"alias": ["SYNTHETIC ALIAS NINE"]}}"#,
            Sensitivity::Public,
        );
        for ceiling in [Sensitivity::Public, Sensitivity::Internal] {
            assert!(found(&service, "Han Kwang Il", ceiling).is_empty(), "{ceiling:?}");
            assert!(found(&service, "한광일", ceiling).is_empty(), "{ceiling:?}");
            // Found by what it may see, shown as what it may see: not by the restricted name.
            let hits = service.search("Synthetic Alias Nine", &Schemata::default(), ceiling, 10).unwrap().hits;
            assert_eq!(hits.len(), 1);
            assert_eq!(
                (hits[0].caption.as_str(), hits[0].matched_name.as_str()),
                ("syn.person.9", "SYNTHETIC ALIAS NINE")
            );
            assert_eq!(hits[0].schema, "Person");
        }
        let hits = service.search("한광일", &Schemata::default(), Sensitivity::Restricted, 10).unwrap().hits;
        assert_eq!(hits.len(), 1);
        assert_eq!((hits[0].caption.as_str(), hits[0].matched_name.as_str()), ("Han Kwang Il", "Han Kwang Il"));
        let hits =
            service.search("Synthetic Alias Nine", &Schemata::default(), Sensitivity::Restricted, 10).unwrap().hits;
        assert_eq!(hits[0].caption, "Han Kwang Il", "a viewer who may see the name is shown it");
    }

    #[test]
    fn the_index_is_built_once_and_again_only_after_statements_are_added() {
        let (dir, service, actor) = project();
        import(&service, dir.path(), "people.ftm.json", PEOPLE, Sensitivity::Internal);
        let first = service.search_index().unwrap();
        assert!(Arc::ptr_eq(&first, &service.search_index().unwrap()), "nothing added: the same index");
        service.search("Pak Yong Jin", &Schemata::default(), Sensitivity::Internal, 5).unwrap();
        assert!(Arc::ptr_eq(&first, &service.search_index().unwrap()));
        // Writes that add no statement (a custody event) keep it.
        service.log_event(&actor, clew_custody::EventKind::Export, &serde_json::json!({"test": true})).unwrap();
        assert!(Arc::ptr_eq(&first, &service.search_index().unwrap()));
        let info = service.search_index_info().unwrap();
        assert_eq!((info.entities, info.names, info.occurrences), (5, 6, 6), "{info:?}");
        // An import adds statements: the next search sees what it added.
        assert!(found(&service, "Ri Song Hak", Sensitivity::Internal).is_empty());
        import(
            &service,
            dir.path(),
            "more.ftm.json",
            r#"{"id": "syn.person.4", "schema": "Person", "properties": {"name": ["Ri Song Hak"]}}"#,
            Sensitivity::Internal,
        );
        assert_eq!(found(&service, "Ri Song Hak", Sensitivity::Internal), ["syn.person.4"]);
        let second = service.search_index().unwrap();
        assert!(!Arc::ptr_eq(&first, &second));
        assert!(second.info.statements_version > first.info.statements_version);
        assert!(Arc::ptr_eq(&second, &service.search_index().unwrap()));

        // Threads searching a fresh service at once: one builds, the others wait for it and use it.
        let shared = Service::open(service.dir()).unwrap();
        let built: Vec<Arc<SearchIndex>> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..4).map(|_| scope.spawn(|| shared.search_index().unwrap())).collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert!(built.iter().all(|index| Arc::ptr_eq(index, &built[0])));
    }

    #[test]
    fn a_query_beyond_the_limits_is_refused() {
        let (dir, service, _) = project();
        import(&service, dir.path(), "people.ftm.json", PEOPLE, Sensitivity::Internal);
        let all = Schemata::default();
        let search = |query: &str, limit: usize| service.search(query, &all, Sensitivity::Restricted, limit);
        assert_eq!(search("   ", 10).unwrap_err().code(), Code::Usage);
        let error = search(&"a".repeat(MAX_SEARCH_CHARS + 1), 10).unwrap_err();
        assert_eq!(error.code(), Code::Usage);
        assert!(error.message().contains("257 characters"), "{error}");
        assert_eq!(search("Pak", 0).unwrap_err().code(), Code::Usage);
        assert_eq!(search("Pak", MAX_SEARCH_LIMIT + 1).unwrap_err().code(), Code::Usage);
        // The longest query taken, of many words, is answered.
        let words: String = (0..MAX_SEARCH_CHARS / 4).map(|i| format!("k{i:02} ")).collect();
        assert!(search(words.trim(), MAX_SEARCH_LIMIT).is_ok());
        assert!(search(&"가".repeat(MAX_SEARCH_CHARS), 10).is_ok());
    }

    #[test]
    fn the_service_is_shared_by_threads() {
        fn shared<T: Send + Sync>() {}
        shared::<Service>();
    }
}

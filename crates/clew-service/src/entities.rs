//! Reading the entity graph: listings by schema, one entity with the statements behind each value (and the
//! words of the segments they cite), its relations to other entities in both directions and the sanctions
//! matches recorded for it, the project's counts, and the custody log's events.

use std::collections::BTreeMap;

use clew_model::value::PropertyType;
use clew_model::{Entity, EntityId, Model, Sensitivity, SourceId, Statement};
use clew_store::ReadTx;
pub use clew_store::{CustodyEvent, EntityRow, Stats};

use crate::analysis::model;
use crate::{Code, Error, Result, Service};

/// One entity as its statements say it is, with what showing it needs.
#[derive(Debug, Clone)]
pub struct EntityView {
    /// Every statement about it in the order recorded, retracted ones and retractions included.
    pub history: Vec<Statement>,
    /// The entity its active statements make; `None` when every statement was retracted.
    pub entity: Option<Entity>,
    /// The words of each segment a statement cites (translation when there is one), by source and segment.
    words: BTreeMap<(SourceId, String), String>,
    /// The names of the entities its values and ends refer to, by id (those with a name other than the id).
    names: BTreeMap<String, String>,
    /// Its relations as the reader sees them: the entities it names first, then those naming it, the kinds of
    /// link taking turns (so that the first few show a company's worksites and its workers, not only one kind);
    /// at most [`RELATIONS_KEPT`].
    pub relations: Vec<Relation>,
    /// How many relations it has in all, as the reader sees them (more than `relations` holds past
    /// [`RELATIONS_KEPT`]).
    pub relations_total: usize,
    /// Whether more statements name it than were read ([`REFERENCES_READ`]): `relations_total` then counts only
    /// the entities naming it among those read.
    pub relations_capped: bool,
    /// The sanctions matches recorded for it (`clew screen --record`) that the reader may see, best score first.
    pub matches: Vec<RecordedMatch>,
}

/// Which way a relation goes: who names whom.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// The entity names the other (one of its entity-valued properties, or an end of the relation it is).
    Outgoing,
    /// The other entity names it, or a relation entity does (an Employment whose employer it is links it to the
    /// employee).
    Incoming,
}

/// A relation entity that links two others (an Employment between a company and a worker).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Via {
    /// Its id.
    pub id: EntityId,
    /// Its schema (`Employment`, `Dispatch`, ...).
    pub schema: String,
}

/// One relation of an entity: the entity at its other end, and how the two are linked.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Relation {
    /// The entity at the other end.
    pub id: EntityId,
    /// Its name as the reader sees it (from statements at or under their ceiling), when it has one other than
    /// its id.
    pub name: Option<String>,
    /// Its schema as the reader sees it; `None` when no statement about it is theirs to see.
    pub schema: Option<String>,
    /// Who names whom.
    pub direction: Direction,
    /// The property that makes the link: the entity's own (outgoing), or that of the entity naming it
    /// (incoming: a worksite's `operator`, an Employment's `employer`).
    pub property: String,
    /// The relation entity the link goes through, when the other end is found through one.
    pub via: Option<Via>,
}

/// A sanctions list's entry recorded as a match for an entity (`clew screen --record`): a lead for a person to
/// check, not a finding.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RecordedMatch {
    /// The match's own entity (schema `SanctionsMatch`).
    pub id: EntityId,
    /// The list's name.
    pub list: String,
    /// The list's version, when it gives one.
    pub list_version: Option<String>,
    /// The entry's id on the list.
    pub list_entry: String,
    /// The entry's name that matched.
    pub matched_name: String,
    /// The score, between 0 and 1.
    pub score: f64,
    /// Why, in words: how the names compared and what the other features added or took off.
    pub explanation: String,
    /// The matching rules' versions.
    pub matcher_version: String,
}

impl EntityView {
    /// How many sources (testimonies, documents, lists) say `property` has `value`: the corroboration a
    /// reader weighs. Two interviews of one witness are two sources.
    pub fn sources_saying(&self, property: &str, value: &str) -> usize {
        let Some(entity) = &self.entity else { return 0 };
        let sources: std::collections::BTreeSet<&SourceId> = entity
            .properties
            .get(property)
            .into_iter()
            .flatten()
            .filter(|statement| statement.value == value)
            .map(|statement| &statement.source_id)
            .collect();
        sources.len()
    }

    /// The words of the segment `locator` cites in `source` (`segment:ID` or `segment:ID#span`), if any.
    pub fn words(&self, source: &SourceId, locator: &str) -> Option<&str> {
        let segment = locator.strip_prefix("segment:")?;
        let segment = segment.split('#').next().unwrap_or(segment);
        self.words.get(&(source.clone(), segment.to_string())).map(String::as_str)
    }

    /// The name of the entity `id`, when it has one other than its id.
    pub fn name(&self, id: &str) -> Option<&str> {
        self.names.get(id).map(String::as_str)
    }
}

/// The most entities [`Service::entities_within`] reads for one page.
pub const ENTITIES_SCANNED: usize = 2000;

/// A page of a listing: its rows, and where the next page begins (`None` at the end).
#[derive(Debug, Clone, serde::Serialize)]
pub struct EntityPage {
    /// The rows.
    pub rows: Vec<EntityRow>,
    /// The `after` of the next page.
    pub next: Option<EntityId>,
}

/// How many entity views [`Service::entity`] keeps between writes.
pub const ENTITY_VIEWS_KEPT: usize = 4096;

/// The most relations an entity view holds (each one costs a read or two of the entities at its ends); the
/// rest are counted.
pub const RELATIONS_KEPT: usize = 200;

/// The most statements naming an entity read for its view: a bound on the work of an entity named by nearly
/// every testimony (the demo's busiest dispatcher is named by about 13,000 statements of 100,000 testimonies).
pub const REFERENCES_READ: usize = 100_000;

/// The schema of a recorded sanctions match: shown as a match with its explanation, not as a relation.
pub(crate) const SANCTIONS_MATCH: &str = "SanctionsMatch";

/// Fills in `view`'s relations and sanctions matches: the entities its entity-valued properties name, and
/// those whose statements name it (found by [`ReadTx::statements_naming`], an index lookup), each link only
/// when the statements making it are at or under `ceiling`.
fn relations_of(model: &Model, store: &dyn ReadTx, view: &mut EntityView, ceiling: Sensitivity) -> Result<()> {
    let Some(entity) = &view.entity else { return Ok(()) };
    let id = &entity.id;
    let schema = model.schema(&entity.schema);
    let is_reference = |schema: Option<&clew_model::Schema>, property: &str| {
        schema.and_then(|s| s.properties.get(property)).is_some_and(|p| p.kind == PropertyType::Entity)
    };
    // What it names: its own statements, already under the ceiling.
    let mut outgoing: Vec<(String, String)> = Vec::new();
    for name in entity.properties.keys().filter(|name| is_reference(schema, name)) {
        for value in entity.values(name) {
            if value != id.as_str() && !outgoing.iter().any(|(p, v)| p == name && v == value) {
                outgoing.push((name.clone(), value.to_string()));
            }
        }
    }
    // What names it: one link per entity naming it (by the first property that does), in the order
    // recorded, grouped by kind of link so that the kinds can take turns.
    let naming = store.statements_naming(id, REFERENCES_READ)?;
    view.relations_capped = naming.len() == REFERENCES_READ;
    let mut seen: std::collections::HashSet<&EntityId> = std::collections::HashSet::new();
    let mut kinds: Vec<((&str, &str), Vec<&Statement>)> = Vec::new();
    let mut matches: Vec<&EntityId> = Vec::new();
    for statement in &naming {
        let referrer = model.schema(&statement.schema);
        if statement.sensitivity > ceiling
            || statement.entity_id == *id
            || !is_reference(referrer, &statement.property)
            || !seen.insert(&statement.entity_id)
        {
            continue;
        }
        if referrer.is_some_and(|s| s.is_a(SANCTIONS_MATCH)) {
            matches.push(&statement.entity_id);
            continue;
        }
        let kind = (&*statement.schema, &*statement.property);
        match kinds.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, statements)) => statements.push(statement),
            None => kinds.push((kind, vec![statement])),
        }
    }
    let incoming_total: usize = kinds.iter().map(|(_, statements)| statements.len()).sum();
    view.relations_total = outgoing.len() + incoming_total;
    let mut incoming: Vec<&Statement> = Vec::with_capacity(incoming_total.min(RELATIONS_KEPT));
    let mut turn = 0;
    while incoming.len() < incoming_total && outgoing.len() + incoming.len() < RELATIONS_KEPT {
        incoming.extend(kinds.iter().filter_map(|(_, statements)| statements.get(turn)));
        turn += 1;
    }

    let mut relations = Vec::new();
    for (property, value) in outgoing.into_iter().take(RELATIONS_KEPT) {
        let Ok(other) = EntityId::new(&value) else { continue };
        let (name, schema) = seen_as(model, store, &other, ceiling)?;
        relations.push(Relation { id: other, name, schema, direction: Direction::Outgoing, property, via: None });
    }
    for statement in incoming {
        if relations.len() == RELATIONS_KEPT {
            break;
        }
        relations.extend(relations_through(model, store, statement, id, ceiling)?);
    }
    relations.truncate(RELATIONS_KEPT);
    view.relations = relations;

    view.matches = recorded_matches(model, store, matches, ceiling)?;
    Ok(())
}

/// The sanctions matches `match_ids` (`SanctionsMatch` entities) as a reader with `ceiling` sees them, best
/// score first.
pub(crate) fn recorded_matches<'a>(
    model: &Model,
    store: &dyn ReadTx,
    match_ids: impl IntoIterator<Item = &'a EntityId>,
    ceiling: Sensitivity,
) -> Result<Vec<RecordedMatch>> {
    let mut matches = Vec::new();
    for match_id in match_ids {
        let mut statements = store.statements_for_entity(match_id)?;
        statements.retain(|statement| statement.sensitivity <= ceiling);
        let Some(found) = Entity::assemble(model, match_id, statements) else { continue };
        let first = |property: &str| found.values(property).first().map(|v| v.to_string());
        matches.push(RecordedMatch {
            id: match_id.clone(),
            list: first("listName").unwrap_or_default(),
            list_version: first("listVersion"),
            list_entry: first("listEntry").unwrap_or_default(),
            matched_name: first("matchedName").unwrap_or_default(),
            score: first("score").and_then(|s| s.parse().ok()).unwrap_or(0.0),
            explanation: first("explanation").unwrap_or_default(),
            matcher_version: first("matcherVersion").unwrap_or_default(),
        });
    }
    matches.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
    Ok(matches)
}

/// The relations one statement naming entity `id` makes: when it is an end of a relation entity (an
/// Employment's employer), the entities at the relation's other end, through it; otherwise (or when the
/// reader sees no other end) the entity making the statement.
fn relations_through(
    model: &Model,
    store: &dyn ReadTx,
    statement: &Statement,
    id: &EntityId,
    ceiling: Sensitivity,
) -> Result<Vec<Relation>> {
    let referrer = &statement.entity_id;
    let property = statement.property.to_string();
    let mut statements = store.statements_for_entity(referrer)?;
    statements.retain(|statement| statement.sensitivity <= ceiling);
    let assembled = Entity::assemble(model, referrer, statements);
    let edge = model.schema(&statement.schema).and_then(|s| s.edge.as_ref());
    let other_end = edge.and_then(|edge| {
        if statement.property.as_ref() == edge.source {
            Some(&edge.target)
        } else if statement.property.as_ref() == edge.target {
            Some(&edge.source)
        } else {
            None
        }
    });
    let mut relations = Vec::new();
    if let (Some(relation), Some(end)) = (&assembled, other_end) {
        let via = Via { id: referrer.clone(), schema: relation.schema.clone() };
        for value in relation.values(end) {
            let Ok(other) = EntityId::new(value) else { continue };
            if other == *id {
                continue;
            }
            let (name, schema) = seen_as(model, store, &other, ceiling)?;
            let via = Some(via.clone());
            relations.push(Relation {
                id: other,
                name,
                schema,
                direction: Direction::Incoming,
                property: property.clone(),
                via,
            });
        }
    }
    if relations.is_empty() {
        let name = assembled.as_ref().map(|e| e.caption(model)).filter(|caption| caption != referrer.as_str());
        let schema = assembled.map(|e| e.schema);
        relations.push(Relation {
            id: referrer.clone(),
            name,
            schema,
            direction: Direction::Incoming,
            property,
            via: None,
        });
    }
    Ok(relations)
}

/// Entity `id`'s name (as [`crate::browse::name_under`] gives it) and schema, as a reader with `ceiling` sees it.
fn seen_as(
    model: &Model,
    store: &dyn ReadTx,
    id: &EntityId,
    ceiling: Sensitivity,
) -> Result<(Option<String>, Option<String>)> {
    let Some(entity) = crate::browse::entity_under(model, store, id, ceiling)? else { return Ok((None, None)) };
    let caption = entity.caption(model);
    Ok(((caption != id.as_str()).then_some(caption), Some(entity.schema)))
}

/// The name of the entity `id` (the caption of its statements), when it has one other than its id.
pub fn entity_name(model: &Model, store: &dyn ReadTx, id: &str) -> Result<Option<String>> {
    let Ok(id) = EntityId::new(id) else { return Ok(None) };
    let statements = store.statements_for_entity(&id)?;
    Ok(Entity::assemble(model, &id, statements).map(|e| e.caption(model)).filter(|caption| *caption != id.as_str()))
}

/// Schemata to list: those named, each with the schemata that extend it; none named, every entity.
#[derive(Debug, Clone, Default)]
pub struct Schemata(Vec<String>);

impl Schemata {
    /// The schemata named, checked against the schema (an unknown name is refused before any project is read).
    pub fn named(names: &[String]) -> Result<Schemata> {
        let model = model()?;
        let mut schemata = Vec::new();
        for name in names {
            if model.schema(name).is_none() {
                return Err(Error::usage(format!("{} (see `clew schema model`)", model.unknown_schema(name))));
            }
            schemata.extend(model.schemata.values().filter(|s| s.is_a(name)).map(|s| s.name.clone()));
        }
        Ok(Schemata(schemata))
    }

    /// Whether entities of `schema` are among them (every one is when none was named).
    pub fn includes(&self, schema: &str) -> bool {
        self.0.is_empty() || self.0.iter().any(|s| s == schema)
    }
}

impl Service {
    /// Entities of `schemata`, in id order after `after`, at most `limit`.
    pub fn entities(&self, schemata: &Schemata, after: Option<&EntityId>, limit: usize) -> Result<Vec<EntityRow>> {
        Ok(self.project.read()?.list_entities(&schemata.0, after, limit)?)
    }

    /// Entities as [`Service::entities`] lists them, as a reader with `ceiling` sees them: an entity with no
    /// statement at or under the ceiling is left out, and a caption comes from such statements only. At most
    /// [`ENTITIES_SCANNED`] entities are read for one page, so that a reader who may see few of them cannot make
    /// one request read the whole project: the page then holds fewer than `limit` rows, and its `next` goes on
    /// from where the reading stopped.
    pub fn entities_within(
        &self,
        schemata: &Schemata,
        after: Option<&EntityId>,
        limit: usize,
        ceiling: Sensitivity,
    ) -> Result<EntityPage> {
        let store = &*self.project.read()?;
        if ceiling == Sensitivity::Restricted {
            let rows = store.list_entities(&schemata.0, after, limit)?;
            let next = (rows.len() == limit).then(|| rows.last().map(|row| row.id.clone())).flatten();
            return Ok(EntityPage { rows, next });
        }
        let model = model()?;
        let mut rows = Vec::new();
        let mut from = after.cloned();
        let mut scanned = 0;
        // Pages of the listing until `limit` rows are visible, the listing ends or the reading budget is spent.
        loop {
            let want = limit.max(50).min(ENTITIES_SCANNED - scanned);
            let page = store.list_entities(&schemata.0, from.as_ref(), want)?;
            let ended = page.len() < want;
            for row in page {
                scanned += 1;
                from = Some(row.id.clone());
                let mut statements = store.statements_for_entity(&row.id)?;
                statements.retain(|statement| statement.sensitivity <= ceiling);
                if let Some(entity) = Entity::assemble(model, &row.id, statements) {
                    let caption = entity.caption(model);
                    let caption = (caption != row.id.as_str()).then_some(caption);
                    rows.push(EntityRow { id: row.id, schema: entity.schema, caption });
                    if rows.len() == limit {
                        return Ok(EntityPage { rows, next: from });
                    }
                }
            }
            if ended {
                return Ok(EntityPage { rows, next: None });
            }
            if scanned >= ENTITIES_SCANNED {
                return Ok(EntityPage { rows, next: from });
            }
        }
    }

    /// One entity, from one snapshot: its statements up to `ceiling` (a reader sees nothing more sensitive), the
    /// words they cite and the names of what it refers to. An entity whose every statement was retracted, or is
    /// above the ceiling, is `not_found`, unless its `history` is asked for.
    ///
    /// Views are kept (up to [`ENTITY_VIEWS_KEPT`]) until a statement is added: a page read many times between
    /// writes is read from the store once.
    pub fn entity(&self, id: &EntityId, history: bool, ceiling: Sensitivity) -> Result<std::sync::Arc<EntityView>> {
        let store = &*self.project.read()?;
        let version = store.statements_version()?;
        let key = (id.clone(), history, ceiling);
        if let Some(view) = self.entity_views.get(version, &key) {
            return Ok(view);
        }
        let view = std::sync::Arc::new(self.entity_from(store, id, history, ceiling)?);
        self.entity_views.put(version, key, std::sync::Arc::clone(&view));
        Ok(view)
    }

    fn entity_from(
        &self,
        store: &dyn ReadTx,
        id: &EntityId,
        history: bool,
        ceiling: Sensitivity,
    ) -> Result<EntityView> {
        let model = model()?;
        let mut statements = store.statements_for_entity(id)?;
        statements.retain(|statement| statement.sensitivity <= ceiling);
        let entity = Entity::assemble(model, id, statements.clone());
        if statements.is_empty() || (entity.is_none() && !history) {
            return Err(Error::new(
                Code::NotFound,
                format!("no entity `{id}` in this project (see `clew entity list`)"),
            ));
        }
        let history = statements;
        let mut view = EntityView {
            history,
            entity,
            words: BTreeMap::new(),
            names: BTreeMap::new(),
            relations: Vec::new(),
            relations_total: 0,
            relations_capped: false,
            matches: Vec::new(),
        };
        let Some(entity) = &view.entity else { return Ok(view) };
        let schema = model.schema(&entity.schema);
        let mut refers: Vec<String> = Vec::new();
        if let Some(edge) = schema.and_then(|s| s.edge.as_ref()) {
            for end in [&edge.source, &edge.target] {
                refers.extend(entity.values(end).first().map(|v| v.to_string()));
            }
        }
        for (name, statements) in &entity.properties {
            let property = schema.and_then(|s| s.properties.get(name));
            if property.is_some_and(|p| p.kind == clew_model::value::PropertyType::Entity) {
                refers.extend(entity.values(name).into_iter().map(str::to_string));
            }
            // The witness's words are internal: a reader below that sees the facts, not the words.
            for statement in statements.iter().filter(|_| ceiling >= Sensitivity::Internal) {
                let Some(segment) = statement.locator.strip_prefix("segment:") else { continue };
                let segment = segment.split('#').next().unwrap_or(segment).to_string();
                let key = (statement.source_id.clone(), segment);
                if view.words.contains_key(&key) {
                    continue;
                }
                if let Some(found) = store.segment(&key.0, &key.1)? {
                    view.words.insert(key, found.translation.map(|t| t.text).unwrap_or(found.text));
                }
            }
        }
        for id in refers {
            if !view.names.contains_key(&id)
                && let Some(name) = crate::browse::name_under(model, store, &id, ceiling)?
            {
                view.names.insert(id, name);
            }
        }
        relations_of(model, store, &mut view, ceiling)?;
        Ok(view)
    }

    /// The project's counts.
    pub fn stats(&self) -> Result<Stats> {
        Ok(self.project.read()?.stats()?)
    }

    /// The newest custody events, newest first: at most `limit`, before sequence number `before` when given.
    pub fn recent_events(&self, before: Option<u64>, limit: usize) -> Result<Vec<CustodyEvent>> {
        Ok(self.project.read()?.events_newest_first(before.map(|b| b.min(i64::MAX as u64)), limit)?)
    }

    /// Custody events after sequence number `since`, at most `limit`.
    pub fn events(&self, since: u64, limit: usize) -> Result<Vec<CustodyEvent>> {
        // Sequence numbers are SQLite integers, at most i64::MAX: nothing comes after a larger one, and the store
        // must never see one that would wrap to negative and list every event.
        Ok(self.project.read()?.events(since.min(i64::MAX as u64), limit)?)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_listing_under_a_ceiling_reads_a_bounded_number_of_entities_a_page_and_misses_none() {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("demo");
        crate::demo::build_demo(&project, 320, 7, &mut |_| {}).unwrap();
        let service = Service::open(&project).unwrap();
        let all = Schemata::named(&[]).unwrap();
        let everything = service.entities(&all, None, usize::MAX).unwrap();
        assert!(everything.len() > 2 * ENTITIES_SCANNED, "{} entities", everything.len());
        for ceiling in [Sensitivity::Public, Sensitivity::Internal] {
            // What a reader under the ceiling may see, entity by entity.
            let store = service.project.read().unwrap();
            let visible: Vec<EntityId> = everything
                .iter()
                .filter(|row| {
                    let mut statements = store.statements_for_entity(&row.id).unwrap();
                    statements.retain(|s| s.sensitivity <= ceiling);
                    Entity::assemble(model().unwrap(), &row.id, statements).is_some()
                })
                .map(|row| row.id.clone())
                .collect();
            drop(store);
            assert!(visible.len() < everything.len(), "{ceiling:?}: something is above it");
            let (mut seen, mut after, mut calls) = (Vec::new(), None, 0);
            loop {
                let page = service.entities_within(&all, after.as_ref(), 50, ceiling).unwrap();
                calls += 1;
                seen.extend(page.rows.into_iter().map(|row| row.id));
                match page.next {
                    Some(next) => after = Some(next),
                    None => break,
                }
            }
            assert_eq!(seen, visible, "{ceiling:?}: paging on finds every visible entity once, in order");
            // No call read more than its budget: reading every entity took at least this many calls.
            assert!(calls >= everything.len().div_ceil(ENTITIES_SCANNED), "{ceiling:?}: {calls} calls");
        }
    }
}

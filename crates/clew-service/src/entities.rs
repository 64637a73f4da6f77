//! Reading the entity graph: listings by schema, one entity with the statements behind each value (and the
//! words of the segments they cite), the project's counts, and the custody log's events.

use std::collections::BTreeMap;

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
        let mut view = EntityView { history, entity, words: BTreeMap::new(), names: BTreeMap::new() };
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

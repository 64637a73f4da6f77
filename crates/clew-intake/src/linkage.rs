//! What linkage reads from and writes to a project: the project's entities of a schema as rows to link (every
//! name of an entity in one cell, `a | b`), and reviewers' judgements on pairs of entities, appended with their
//! custody event. Linkage never edits a statement.

use clew_model::{Entity, EntityId, Model};
use clew_store::{Batch, ReadTx, Store, StoredJudgement};

use crate::import::{WriteError, now_rfc3339, record_event};

/// What separates the names of one entity in a cell (as `clew_link::compare::ALTERNATIVES` reads it).
const ALTERNATIVES: &str = " | ";

/// A project's entities as rows to link.
#[derive(Debug, Clone, Default)]
pub struct EntityRows {
    /// The columns, the id first.
    pub columns: Vec<String>,
    /// One row per entity with a name.
    pub rows: Vec<Vec<String>>,
    /// Per row, the sources of its active statements (which lists the entity is on).
    pub sources: Vec<Vec<String>>,
    /// Per row, the first value of the stratum property asked for (empty when it has none).
    pub strata: Vec<String>,
}

/// What clew links: a name, the schemata linked together under it, and the columns of their rows.
type Linked = (&'static str, &'static [&'static str], &'static [&'static str]);

const LINKED: [Linked; 3] = [
    ("Person", &["Person"], &["id", "name", "birth_date", "nationality", "position"]),
    ("Company", &["Company", "Organization", "PublicBody", "LegalEntity"], &["id", "name", "country", "registration"]),
    ("Worksite", &["Worksite"], &["id", "name", "region", "country"]),
];

/// The schemata linked together with `schema`, and the columns their rows have.
pub fn columns_of(schema: &str) -> Option<(&'static [&'static str], &'static [&'static str])> {
    LINKED
        .iter()
        .find(|(_, schemata, _)| schemata.contains(&schema))
        .map(|(_, schemata, columns)| (*schemata, *columns))
}

/// The project's entities of a schema (companies with organisations and public bodies) as rows: id, every name,
/// and the fields the schema's linkage config compares. Entities without a name are left out.
pub fn entity_rows(store: &dyn ReadTx, schema: &str, stratum: Option<&str>) -> Result<EntityRows, WriteError> {
    let Some((schemata, columns)) = columns_of(schema) else {
        return Err(WriteError::Refused(format!("`{schema}`: clew links Person, Company and Worksite entities")));
    };
    let model = Model::builtin().map_err(|e| WriteError::Mapping(format!("the built-in schema: {e:?}")))?;
    let (mut rows, mut sources, mut strata) = (Vec::new(), Vec::new(), Vec::new());
    store.for_each_entity(&mut |id, statements| {
        let Some(entity) = Entity::assemble(model, &id, statements) else { return Ok(()) };
        let mut from: Vec<String> = entity.properties.values().flatten().map(|s| s.source_id.to_string()).collect();
        from.sort();
        from.dedup();
        if !schemata.contains(&entity.schema.as_str()) {
            return Ok(());
        }
        let mut names: Vec<String> = Vec::new();
        for name in ["name", "alias", "weakAlias", "previousName"].iter().flat_map(|p| entity.values(p)) {
            if !names.iter().any(|n| n == name) {
                names.push(name.replace(ALTERNATIVES.trim(), " "));
            }
        }
        if names.is_empty() {
            return Ok(());
        }
        let first = |properties: &[&str]| -> String {
            properties.iter().flat_map(|p| entity.values(p)).next().unwrap_or_default().to_string()
        };
        let mut row = vec![id.to_string(), names.join(ALTERNATIVES)];
        for column in &columns[2..] {
            row.push(match *column {
                "birth_date" => first(&["birthDate"]),
                "nationality" => first(&["nationality", "citizenship"]),
                "position" => first(&["position"]),
                "country" => first(&["country", "jurisdiction"]),
                "registration" => first(&["registrationNumber", "innCode", "ogrnCode"]),
                "region" => first(&["region"]),
                _ => String::new(),
            });
        }
        rows.push(row);
        sources.push(from);
        strata.push(stratum.map(|p| first(&[p])).unwrap_or_default());
        Ok(())
    })?;
    Ok(EntityRows { columns: columns.iter().map(|c| c.to_string()).collect(), rows, sources, strata })
}

/// Appends a reviewer's judgement on two entities (both must exist and be linked together: two people, two
/// organisations or two worksites), with its custody event, in one transaction. The note is kept in the
/// project; the event carries only a salted digest of it.
pub fn record_judgement(
    store: &dyn Store,
    a: &EntityId,
    b: &EntityId,
    verdict: &str,
    note: &str,
    recorded_by: &str,
) -> Result<StoredJudgement, WriteError> {
    if !["same", "different", "unsure"].contains(&verdict) {
        return Err(WriteError::Refused(format!("`{verdict}` is not same, different or unsure")));
    }
    if a == b {
        return Err(WriteError::Refused(format!("{a} and {b} are one entity")));
    }
    let batch =
        Batch { recorded_by: recorded_by.to_string(), recorded_at: now_rfc3339(), operation: "link-judgement".into() };
    // The entities are checked inside the transaction that writes the judgement: what is judged is what is
    // there when it is written.
    let mut tx = store.write(&batch)?;
    let model = Model::builtin().map_err(|e| WriteError::Mapping(format!("the built-in schema: {e:?}")))?;
    let mut linked_with = Vec::new();
    for id in [a, b] {
        let Some(entity) = Entity::assemble(model, id, tx.reads().statements_for_entity(id)?) else {
            return Err(WriteError::Refused(format!("no entity {id} in the project")));
        };
        match LINKED.iter().find(|(_, schemata, _)| schemata.contains(&entity.schema.as_str())) {
            Some((schema, _, _)) => linked_with.push(*schema),
            None => {
                return Err(WriteError::Refused(format!(
                    "{id} is a {}: clew links people, organisations and worksites",
                    entity.schema
                )));
            }
        }
    }
    if linked_with[0] != linked_with[1] {
        return Err(WriteError::Refused(format!(
            "{a} is linked with the {0} entities, {b} with the {1} entities: they are never compared",
            linked_with[0], linked_with[1]
        )));
    }
    let judgement = StoredJudgement {
        entity_a: a.to_string(),
        entity_b: b.to_string(),
        verdict: verdict.to_string(),
        note: note.to_string(),
        recorded_by: batch.recorded_by.clone(),
        recorded_at: batch.recorded_at.clone(),
        salt: clew_vault::random_hex(16),
        batch: Some(tx.batch()),
    };
    tx.put_link_judgement(&judgement)?;
    let detail = serde_json::json!({
        "entity_a": judgement.entity_a, "entity_b": judgement.entity_b, "verdict": verdict,
        "note_sha256": note_digest(&judgement.salt, note),
    });
    record_event(tx.as_mut(), &batch, "link-judgement", &detail)?;
    tx.commit()?;
    Ok(judgement)
}

/// The digest of a judgement's note its custody event carries: SHA-256 of the salt and the note, so that the
/// log cannot be used to test guesses of what a note says.
pub fn note_digest(salt: &str, note: &str) -> String {
    clew_model::ids::sha256_hex(format!("{salt}\n{note}").as_bytes())
}

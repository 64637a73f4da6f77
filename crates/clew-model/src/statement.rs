//! Statements (one fact: value + source + locator + who + when) and entities assembled from them.
//!
//! Statements are never changed: a correction or a retraction is a new statement.

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::ids::{EntityId, Sensitivity, SourceId, StatementId};
use crate::schema::Model;

/// Where in its source a statement comes from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Locator {
    /// Nowhere more precise than the source itself.
    Source,
    /// A narrative segment of a testimony, optionally a character range of it (start inclusive, end exclusive).
    Segment {
        /// Segment id.
        segment: String,
        /// Character range within the segment's original text.
        chars: Option<(u32, u32)>,
    },
    /// A page of a document.
    Page(u32),
    /// A field of a structured record, e.g. `interview.date`.
    Field(String),
    /// A line of an imported file.
    Line(u64),
}

impl fmt::Display for Locator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Locator::Source => f.write_str("source"),
            Locator::Segment { segment, chars: None } => write!(f, "segment:{segment}"),
            Locator::Segment { segment, chars: Some((start, end)) } => {
                write!(f, "segment:{segment}#chars={start}-{end}")
            }
            Locator::Page(page) => write!(f, "page:{page}"),
            Locator::Field(path) => write!(f, "field:{path}"),
            Locator::Line(line) => write!(f, "line:{line}"),
        }
    }
}

impl FromStr for Locator {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || format!("`{text}` is not a locator (source, segment:ID[#chars=A-B], page:N, field:PATH, line:N)");
        if text == "source" {
            return Ok(Locator::Source);
        }
        let (kind, rest) = text.split_once(':').ok_or_else(bad)?;
        match kind {
            "segment" => match rest.split_once("#chars=") {
                None if !rest.is_empty() => Ok(Locator::Segment { segment: rest.to_string(), chars: None }),
                Some((segment, range)) if !segment.is_empty() => {
                    let (start, end) = range.split_once('-').ok_or_else(bad)?;
                    let start: u32 = start.parse().map_err(|_| bad())?;
                    let end: u32 = end.parse().map_err(|_| bad())?;
                    if start >= end {
                        return Err(bad());
                    }
                    Ok(Locator::Segment { segment: segment.to_string(), chars: Some((start, end)) })
                }
                _ => Err(bad()),
            },
            "page" => rest.parse().map(Locator::Page).map_err(|_| bad()),
            "line" => rest.parse().map(Locator::Line).map_err(|_| bad()),
            "field" if !rest.is_empty() => Ok(Locator::Field(rest.to_string())),
            _ => Err(bad()),
        }
    }
}

/// A schema or property name. Shared: a million statements of one property hold one copy of its name, and
/// cloning one copies no text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Name(std::sync::Arc<str>);

impl Name {
    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for Name {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for Name {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for Name {
    fn from(text: &str) -> Name {
        Name(text.into())
    }
}

impl From<String> for Name {
    fn from(text: String) -> Name {
        Name(text.into())
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        *self.0 == *other
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<String> for Name {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<Name> for str {
    fn eq(&self, other: &Name) -> bool {
        *self == *other.0
    }
}

impl PartialEq<Name> for &str {
    fn eq(&self, other: &Name) -> bool {
        **self == *other.0
    }
}

impl PartialEq<Name> for String {
    fn eq(&self, other: &Name) -> bool {
        **self == *other.0
    }
}

/// One fact about one entity, with its provenance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Statement {
    /// Content hash (see [`Statement::compute_id`]).
    pub id: StatementId,
    /// The entity the fact is about.
    pub entity_id: EntityId,
    /// The entity's schema according to this statement.
    pub schema: Name,
    /// The property.
    pub property: Name,
    /// The canonical value.
    pub value: String,
    /// The source that says so.
    pub source_id: SourceId,
    /// Where in the source.
    pub locator: String,
    /// Who recorded it (a user or a tool with its version).
    pub recorded_by: String,
    /// When it was recorded (RFC 3339, UTC).
    pub recorded_at: String,
    /// Confidence in [0, 1] that the source says this.
    pub confidence: f64,
    /// Who may see it.
    pub sensitivity: Sensitivity,
    /// When set, this statement retracts that one (and carries the retracted statement's content).
    pub retracts: Option<StatementId>,
}

/// What a new statement says and where it comes from; [`Statement::new`] derives its id.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim<'a> {
    /// The entity.
    pub entity_id: EntityId,
    /// Its schema.
    pub schema: &'a str,
    /// The property.
    pub property: &'a str,
    /// The canonical value.
    pub value: String,
    /// The source.
    pub source_id: &'a SourceId,
    /// Where in the source.
    pub locator: String,
    /// The source's generation.
    pub generation: u32,
}

impl Statement {
    /// A new statement of a claim, recorded by whom and when, with its confidence and sensitivity.
    pub fn new(
        claim: Claim<'_>,
        recorded_by: &str,
        recorded_at: &str,
        confidence: f64,
        sensitivity: Sensitivity,
    ) -> Self {
        Statement {
            id: Statement::compute_id(
                &claim.entity_id,
                claim.schema,
                claim.property,
                &claim.value,
                claim.source_id,
                &claim.locator,
                claim.generation,
            ),
            entity_id: claim.entity_id,
            schema: claim.schema.into(),
            property: claim.property.into(),
            value: claim.value,
            source_id: claim.source_id.clone(),
            locator: claim.locator,
            recorded_by: recorded_by.to_string(),
            recorded_at: recorded_at.to_string(),
            confidence,
            sensitivity,
            retracts: None,
        }
    }

    /// The content hash of a statement. `generation` distinguishes successive imports of a changed source,
    /// so that a fact asserted again after a retraction gets a new statement.
    #[allow(clippy::too_many_arguments)]
    pub fn compute_id(
        entity_id: &EntityId,
        schema: &str,
        property: &str,
        value: &str,
        source_id: &SourceId,
        locator: &str,
        generation: u32,
    ) -> StatementId {
        StatementId::derive(
            source_id,
            &[entity_id.as_str(), schema, property, value, source_id.as_str(), locator, &generation.to_string()],
        )
    }

    /// A statement that retracts this one.
    pub fn retraction(&self, recorded_by: &str, recorded_at: &str) -> Statement {
        Statement {
            id: StatementId::derive(&self.source_id, &["retract", self.id.as_str()]),
            retracts: Some(self.id.clone()),
            recorded_by: recorded_by.to_string(),
            recorded_at: recorded_at.to_string(),
            ..self.clone()
        }
    }
}

/// An entity as its active (not retracted) statements say it is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entity {
    /// Its id.
    pub id: EntityId,
    /// The most specific schema its statements agree on.
    pub schema: String,
    /// Statements by property, in the order recorded.
    pub properties: BTreeMap<String, Vec<Statement>>,
    /// Schemata the statements gave that do not fit together (kept, shown, never silently dropped).
    pub schema_conflicts: Vec<String>,
}

impl Entity {
    /// Assembles an entity from statements about it; retractions and the statements they retract are left out.
    /// Returns `None` when no active statement remains.
    pub fn assemble(model: &Model, id: &EntityId, statements: Vec<Statement>) -> Option<Entity> {
        let retracted: HashSet<StatementId> = statements.iter().filter_map(|s| s.retracts.clone()).collect();
        let mut schema: Option<String> = None;
        let mut conflicts = Vec::new();
        let mut properties: BTreeMap<String, Vec<Statement>> = BTreeMap::new();
        for statement in statements {
            if statement.retracts.is_some() || retracted.contains(&statement.id) {
                continue;
            }
            schema = Some(match schema {
                None => statement.schema.to_string(),
                Some(current) => match model.common_schema(&current, &statement.schema) {
                    Some(common) => common.to_string(),
                    None => {
                        if !conflicts.iter().any(|c: &String| **c == *statement.schema) {
                            conflicts.push(statement.schema.to_string());
                        }
                        current
                    }
                },
            });
            properties.entry(statement.property.to_string()).or_default().push(statement);
        }
        Some(Entity { id: id.clone(), schema: schema?, properties, schema_conflicts: conflicts })
    }

    /// Distinct values of a property, in the order first recorded.
    pub fn values(&self, property: &str) -> Vec<&str> {
        let mut seen = Vec::new();
        for statement in self.properties.get(property).into_iter().flatten() {
            if !seen.contains(&statement.value.as_str()) {
                seen.push(statement.value.as_str());
            }
        }
        seen
    }

    /// A name to show: the first value of the schema's caption properties; for a relation without one,
    /// its two ends (`A employs B`); else the id.
    pub fn caption(&self, model: &Model) -> String {
        let schema = model.schema(&self.schema);
        let captions = schema.map(|s| s.caption.as_slice()).unwrap_or_default();
        if let Some(caption) = captions.iter().find_map(|property| self.values(property).first().map(|v| v.to_string()))
        {
            return caption;
        }
        if let Some(edge) = schema.and_then(|s| s.edge.as_ref()) {
            let end = |property: &str| self.values(property).first().map_or("?".to_string(), |v| v.to_string());
            return format!("{} {} {}", end(&edge.source), edge.label, end(&edge.target));
        }
        self.id.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn statement(entity: &str, schema: &str, property: &str, value: &str) -> Statement {
        let source = SourceId::new("T-1").unwrap();
        let claim = Claim {
            entity_id: EntityId::new(entity).unwrap(),
            schema,
            property,
            value: value.into(),
            source_id: &source,
            locator: "segment:s1".into(),
            generation: 1,
        };
        Statement::new(claim, "test", "2026-01-01T00:00:00Z", 1.0, Sensitivity::Internal)
    }

    #[test]
    fn locators_round_trip() {
        for text in ["source", "segment:s3", "segment:s3#chars=4-19", "page:12", "field:interview.date", "line:7"] {
            assert_eq!(text.parse::<Locator>().unwrap().to_string(), text);
        }
        for bad in ["segment:", "segment:s1#chars=9-3", "page:x", "nowhere", "field:"] {
            assert!(bad.parse::<Locator>().is_err(), "{bad}");
        }
    }

    #[test]
    fn assembly_takes_the_most_specific_schema_and_skips_retracted() {
        let model = Model::builtin().unwrap();
        let name = statement("c1", "Organization", "name", "Blue Hill LLC");
        let country = statement("c1", "Company", "country", "ru");
        let wrong = statement("c1", "Company", "country", "cn");
        let retraction = wrong.retraction("coder", "2026-01-02T00:00:00Z");
        let id = EntityId::new("c1").unwrap();
        let entity = Entity::assemble(model, &id, vec![name, country, wrong, retraction]).unwrap();
        assert_eq!(entity.schema, "Company");
        assert_eq!(entity.values("country"), ["ru"]);
        assert_eq!(entity.caption(model), "Blue Hill LLC");
        assert!(entity.schema_conflicts.is_empty());

        let person = statement("c1", "Person", "name", "X");
        let entity = Entity::assemble(model, &id, vec![statement("c1", "Company", "name", "Y"), person]).unwrap();
        assert_eq!(entity.schema_conflicts, ["Person"]);

        let only = statement("c1", "Company", "name", "Y");
        let gone = only.retraction("coder", "2026-01-02T00:00:00Z");
        assert!(Entity::assemble(model, &id, vec![only, gone]).is_none());
    }
}

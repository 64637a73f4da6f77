//! Turns a checked testimony into statements: one per value and cited segment, so that every fact can be
//! traced to the witness's words.

use clew_model::{Claim, EntityId, Model, Sensitivity, SourceId, Statement};

use crate::testimony::{Amount, Flag, Quantity, Spell, Testimony};

/// A statement before its source generation (and so its id) is known.
#[derive(Debug, Clone, PartialEq)]
pub struct Fact<'m> {
    /// Entity.
    pub entity_id: EntityId,
    /// Schema of the entity.
    pub schema: &'m str,
    /// Property.
    pub property: &'m str,
    /// Canonical value.
    pub value: String,
    /// Locator text.
    pub locator: String,
    /// Confidence.
    pub confidence: f64,
    /// Sensitivity.
    pub sensitivity: Sensitivity,
}

impl Fact<'_> {
    /// The finished statement for a source generation.
    pub fn into_statement(self, source: &SourceId, generation: u32, recorded_by: &str, recorded_at: &str) -> Statement {
        let claim = Claim {
            entity_id: self.entity_id,
            schema: self.schema,
            property: self.property,
            value: self.value,
            source_id: source,
            locator: self.locator,
            generation,
        };
        Statement::new(claim, recorded_by, recorded_at, self.confidence, self.sensitivity)
    }
}

/// SHA-256 (hex) of a testimony's canonical JSON, the same whether it was written in YAML or JSON. The
/// protected block is left out: the hash is stored in clear, and with the rest of the testimony in the
/// database, a hash over it would let anyone test guesses of what it says.
pub fn content_hash(testimony: &Testimony) -> Result<String, String> {
    let mut value = serde_json::to_value(testimony).map_err(|e| e.to_string())?;
    if let Some(object) = value.as_object_mut() {
        object.remove("protected");
    }
    let canonical = serde_json::to_vec(&value).map_err(|e| e.to_string())?;
    Ok(clew_model::ids::sha256_hex(&canonical))
}

/// The character every id clew derives with a prefix holds (`witness:PSEUDONYM`, and the sources
/// `assess:ID`, `screen:ID`, `ftm:FILE`, `code:ID`), and that testimony ids and coded entity ids may therefore not hold:
/// no testimony can then write statements about another witness's Person or into a derived source. One
/// character rather than a list of prefixes, so that a prefix added later is reserved too.
pub const DERIVED_ID_MARK: char = ':';

/// The prefixes of the ids clew derives, and what each names: for refusals that say which id a file tried
/// to take. (The rule itself is [`DERIVED_ID_MARK`]; a test holds this list to the functions that make them.)
pub const DERIVED_ID_PREFIXES: [(&str, &str); 5] = [
    ("witness:", "a witness's Person"),
    ("assess:", "a recorded assessment"),
    ("screen:", "a recorded screening"),
    ("ftm:", "an imported FtM file"),
    ("code:", "a testimony's coders' facts"),
];

/// The id of the witness's Person entity.
pub fn witness_entity_id(pseudonym: &str) -> Result<EntityId, String> {
    EntityId::new(&format!("witness:{pseudonym}"))
}

/// The source id of a testimony's recorded assessment.
pub fn assessment_source(testimony: &SourceId) -> Result<SourceId, String> {
    SourceId::new(&format!("assess:{testimony}"))
}

/// The testimony an assessment source was derived from.
pub fn assessed_testimony(source: &SourceId) -> Option<SourceId> {
    source.as_str().strip_prefix("assess:").and_then(|id| SourceId::new(id).ok())
}

/// The source id of what coders added to or corrected in a testimony (clew-service writes it).
pub fn coding_source(testimony: &SourceId) -> Result<SourceId, String> {
    SourceId::new(&format!("code:{testimony}"))
}

/// The testimony a coding source belongs to.
pub fn coded_testimony(source: &SourceId) -> Option<SourceId> {
    source.as_str().strip_prefix("code:").and_then(|id| SourceId::new(id).ok())
}

/// The source id of an entity's recorded screening (clew-service records it).
pub fn screening_source(entity: &EntityId) -> Result<SourceId, String> {
    SourceId::new(&format!("screen:{entity}"))
}

/// The entity a recorded screening's source is of.
pub fn screened_entity(source: &SourceId) -> Option<EntityId> {
    source.as_str().strip_prefix("screen:").and_then(|entity| EntityId::new(entity).ok())
}

/// Maps a testimony to facts, grouped by entity.
pub fn testimony_facts<'m>(model: &'m Model, testimony: &Testimony) -> Result<Vec<Fact<'m>>, String> {
    let witness = witness_entity_id(&testimony.witness.pseudonym)?;
    let mut out = Emitter {
        model,
        facts: Vec::new(),
        synthetic: testimony.synthetic,
        witness: witness.clone(),
        restricted: false,
    };
    let source = &testimony.id;
    // The reader refuses these; a testimony made in code must not get round it. (Testimony ids with a `:`
    // pass here: the reader lets in those a project held before they were refused.)
    if let Some(entity) =
        testimony.facts.entities.iter().find(|e| e.id.as_ref().is_some_and(|id| id.as_str().contains(DERIVED_ID_MARK)))
    {
        return Err(format!(
            "entity `{}` has an id holding `{DERIVED_ID_MARK}`, kept for ids clew derives",
            entity.key
        ));
    }
    let entity_of = |key: &str| -> Result<EntityId, String> {
        match testimony.facts.entities.iter().find(|e| e.key == key).and_then(|e| e.id.clone()) {
            Some(id) => Ok(id),
            None => EntityId::scoped(source, key),
        }
    };

    // The testimony itself, located by field.
    let doc = EntityId::new(source.as_str())?;
    let t = "Testimony";
    let field = |path: &str| format!("field:{path}");
    let title = testimony.title.clone().unwrap_or_else(|| format!("Testimony {source}"));
    out.put(&doc, t, "title", &title, &field("title"), 1.0)?;
    out.put(&doc, t, "interviewDate", &testimony.interview.date.to_string(), &field("interview.date"), 1.0)?;
    if let Some(place) = &testimony.interview.place {
        out.put(&doc, t, "interviewPlace", place, &field("interview.place"), 1.0)?;
    }
    out.put(&doc, t, "language", &testimony.interview.language, &field("interview.language"), 1.0)?;
    out.put(&doc, t, "interviewer", &testimony.interview.interviewer, &field("interview.interviewer"), 1.0)?;
    if let Some(interpreter) = &testimony.interview.interpreter {
        out.put(&doc, t, "interpreter", &interpreter.pseudonym, &field("interview.interpreter"), 1.0)?;
    }
    if let Some(coder) = &testimony.coded_by {
        out.put(&doc, t, "codedBy", coder, &field("coded_by"), 1.0)?;
    }
    out.put(&doc, t, "witness", witness.as_str(), &field("witness.pseudonym"), 1.0)?;
    out.put(&doc, t, "formatVersion", &testimony.format, &field("format"), 1.0)?;
    out.mark_synthetic(&doc, t)?;

    // The witness, by pseudonym only.
    let p = "Person";
    out.put(&witness, p, "pseudonym", &testimony.witness.pseudonym, &field("witness.pseudonym"), 1.0)?;
    if let Some(gender) = &testimony.witness.gender {
        out.put(&witness, p, "gender", gender, &field("witness.gender"), 1.0)?;
    }
    if let Some(nationality) = &testimony.witness.nationality {
        out.put(&witness, p, "nationality", nationality, &field("witness.nationality"), 1.0)?;
    }
    out.mark_synthetic(&witness, p)?;

    for entity in &testimony.facts.entities {
        let id = entity_of(&entity.key)?;
        let schema = model_schema(model, &entity.schema)?;
        let confidence = entity.confidence.unwrap_or(1.0);
        for (index, name) in entity.names.iter().enumerate() {
            let property = if index == 0 { "name" } else { "alias" };
            out.cited(&id, schema, property, name, &entity.segments, confidence)?;
        }
        for (property, values) in &entity.properties {
            let property = model_property(model, schema, property)?;
            for value in values {
                let value = out.reference_or_value(model, schema, property, value, &entity_of)?;
                out.cited(&id, schema, property, &value, &entity.segments, confidence)?;
            }
        }
        out.mark_synthetic(&id, schema)?;
    }

    // A work spell is the witness's own story (where, when, for whom, for how much): all of it is restricted.
    out.restricted = true;
    for spell in &testimony.facts.spells {
        spell_facts(&mut out, spell, &entity_of, &witness, source)?;
    }
    out.restricted = false;

    for relation in &testimony.facts.relations {
        let id = EntityId::scoped(source, &relation.key)?;
        let schema = model_schema(model, &relation.schema)?;
        let confidence = relation.confidence.unwrap_or(1.0);
        for (property, values) in &relation.properties {
            let property = model_property(model, schema, property)?;
            for value in values {
                let value = out.reference_or_value(model, schema, property, value, &entity_of)?;
                out.cited(&id, schema, property, &value, &relation.segments, confidence)?;
            }
        }
        out.mark_synthetic(&id, schema)?;
    }
    Ok(out.facts)
}

fn spell_facts(
    out: &mut Emitter<'_>,
    spell: &Spell,
    entity_of: &dyn Fn(&str) -> Result<EntityId, String>,
    witness: &EntityId,
    source: &SourceId,
) -> Result<(), String> {
    let employment = EntityId::scoped(source, &spell.key)?;
    let e = "Employment";
    let segments = &spell.segments;
    let dates =
        |out: &mut Emitter<'_>, id: &EntityId, schema: &'static str, segments: &[String]| -> Result<(), String> {
            if let Some(start) = spell.period.start {
                out.cited(id, schema, "startDate", &start.to_string(), segments, 1.0)?;
            }
            if let Some(end) = spell.period.end {
                out.cited(id, schema, "endDate", &end.to_string(), segments, 1.0)?;
            }
            Ok(())
        };
    out.cited(&employment, e, "employee", witness.as_str(), segments, 1.0)?;
    if let Some(employer) = &spell.employer {
        out.cited(&employment, e, "employer", entity_of(employer)?.as_str(), segments, 1.0)?;
    }
    if let Some(worksite) = &spell.worksite {
        out.cited(&employment, e, "worksite", entity_of(worksite)?.as_str(), segments, 1.0)?;
    }
    if let Some(sector) = &spell.sector {
        out.cited(&employment, e, "sector", sector, segments, 1.0)?;
    }
    dates(out, &employment, e, segments)?;
    let quantity = |out: &mut Emitter<'_>, property: &'static str, q: &Option<Quantity>| match q {
        Some(q) => out.cited(&employment, e, property, &clew_model::value::canonical_number(q.value), &q.segments, 1.0),
        None => Ok(()),
    };
    quantity(out, "hoursPerDay", &spell.hours_per_day)?;
    quantity(out, "restDaysPerMonth", &spell.rest_days_per_month)?;
    if let Some(promised) = &spell.promised_wage {
        out.cited(&employment, e, "promisedWage", &money(promised), &promised.segments, 1.0)?;
        out.cited(&employment, e, "promisedWagePeriod", &promised.per, &promised.segments, 1.0)?;
    }
    if let Some(received) = &spell.worker_received {
        out.cited(&employment, e, "wagePaidWhen", &received.when, &received.amount.segments, 1.0)?;
    }
    if let Some(confiscation) = &spell.document_confiscation {
        out.cited(&employment, e, "documentsConfiscated", bool_text(confiscation.value), &confiscation.segments, 1.0)?;
        if let Some(holder) = &confiscation.held_by {
            out.cited(&employment, e, "documentsHeldBy", entity_of(holder)?.as_str(), &confiscation.segments, 1.0)?;
        }
    }
    if let Some(surveillance) = &spell.surveillance {
        out.cited(&employment, e, "surveillance", bool_text(surveillance.value), &surveillance.segments, 1.0)?;
    }
    let flag = |out: &mut Emitter<'_>, property: &'static str, flag: &Option<Flag>| match flag {
        Some(flag) => out.cited(&employment, e, property, bool_text(flag.value), &flag.segments, 1.0),
        None => Ok(()),
    };
    flag(out, "movementRestricted", &spell.movement_restriction)?;
    flag(out, "threatsToFamily", &spell.threats_to_family)?;
    flag(out, "violence", &spell.violence)?;
    flag(out, "isolation", &spell.isolation)?;
    flag(out, "debtBondage", &spell.debt_bondage)?;
    flag(out, "escaped", &spell.escape)?;
    for finding in &spell.findings {
        out.cited(&employment, e, "codedFinding", &finding.code, &finding.segments, 1.0)?;
    }
    out.mark_synthetic(&employment, e)?;

    let part = |name: &str| EntityId::scoped(source, &format!("{}.{name}", spell.key));
    if let Some(dispatcher) = &spell.dispatcher {
        let id = part("dispatch")?;
        out.cited(&id, "Dispatch", "dispatcher", entity_of(dispatcher)?.as_str(), segments, 1.0)?;
        out.cited(&id, "Dispatch", "worker", witness.as_str(), segments, 1.0)?;
        if let Some(intermediary) = &spell.intermediary {
            out.cited(&id, "Dispatch", "intermediary", entity_of(intermediary)?.as_str(), segments, 1.0)?;
        }
        dates(out, &id, "Dispatch", segments)?;
        out.mark_synthetic(&id, "Dispatch")?;
    }
    if let Some(permit) = &spell.permit {
        let id = part("permit")?;
        out.cited(&id, "Permit", "holder", witness.as_str(), &permit.segments, 1.0)?;
        out.cited(&id, "Permit", "permitType", &permit.permit_type, &permit.segments, 1.0)?;
        if let Some(purpose) = &permit.purpose {
            out.cited(&id, "Permit", "purpose", purpose, &permit.segments, 1.0)?;
        }
        out.mark_synthetic(&id, "Permit")?;
    }
    if let Some(paid) = &spell.employer_paid {
        let id = part("paid")?;
        let beneficiary = match &paid.paid_to {
            Some(key) => entity_of(key)?,
            None => witness.clone(),
        };
        let kind = if paid.paid_to.is_some() { "fee_to_dispatcher" } else { "wage" };
        let s = &paid.amount.segments;
        if let Some(employer) = &spell.employer {
            out.cited(&id, "Payment", "payer", entity_of(employer)?.as_str(), s, 1.0)?;
        }
        out.cited(&id, "Payment", "beneficiary", beneficiary.as_str(), s, 1.0)?;
        out.cited(&id, "Payment", "amount", &money(&paid.amount), s, 1.0)?;
        out.cited(&id, "Payment", "period", &paid.amount.per, s, 1.0)?;
        out.cited(&id, "Payment", "paymentKind", kind, s, 1.0)?;
        out.cited(&id, "Payment", "employment", employment.as_str(), s, 1.0)?;
        dates(out, &id, "Payment", s)?;
        out.mark_synthetic(&id, "Payment")?;
    }
    if let Some(received) = &spell.worker_received {
        let id = part("received")?;
        let s = &received.amount.segments;
        if let Some(payer) = &received.paid_by {
            out.cited(&id, "Payment", "payer", entity_of(payer)?.as_str(), s, 1.0)?;
        }
        out.cited(&id, "Payment", "beneficiary", witness.as_str(), s, 1.0)?;
        out.cited(&id, "Payment", "amount", &money(&received.amount), s, 1.0)?;
        out.cited(&id, "Payment", "period", &received.amount.per, s, 1.0)?;
        out.cited(&id, "Payment", "paymentKind", "wage", s, 1.0)?;
        out.cited(&id, "Payment", "paidWhen", &received.when, s, 1.0)?;
        out.cited(&id, "Payment", "employment", employment.as_str(), s, 1.0)?;
        dates(out, &id, "Payment", s)?;
        out.mark_synthetic(&id, "Payment")?;
    }
    for (index, deduction) in spell.deductions.iter().enumerate() {
        let id = part(&format!("deduction-{}", index + 1))?;
        let d = "Deduction";
        let s = &deduction.segments;
        out.cited(&id, d, "worker", witness.as_str(), s, 1.0)?;
        out.cited(&id, d, "deductionKind", &deduction.kind, s, 1.0)?;
        if let Some(taken_by) = &deduction.taken_by {
            out.cited(&id, d, "beneficiary", entity_of(taken_by)?.as_str(), s, 1.0)?;
        }
        if let (Some(amount), Some(currency)) = (deduction.amount, &deduction.currency) {
            let value = format!("{} {currency}", clew_model::value::canonical_number(amount));
            out.cited(&id, d, "amount", &value, s, 1.0)?;
        }
        if let Some(per) = &deduction.per {
            out.cited(&id, d, "period", per, s, 1.0)?;
        }
        if let Some(share) = deduction.share {
            out.cited(&id, d, "share", &clew_model::value::canonical_number(share), s, 1.0)?;
        }
        out.cited(&id, d, "employment", employment.as_str(), s, 1.0)?;
        dates(out, &id, d, s)?;
        out.mark_synthetic(&id, d)?;
    }
    if let Some(housing) = &spell.housing {
        let id = part("housing")?;
        let s = &housing.segments;
        out.cited(&id, "Housing", "resident", witness.as_str(), s, 1.0)?;
        out.cited(&id, "Housing", "housingType", &housing.housing_type, s, 1.0)?;
        if let Some(accommodation) = &housing.accommodation {
            out.cited(&id, "Housing", "accommodation", entity_of(accommodation)?.as_str(), s, 1.0)?;
        }
        if let Some(occupants) = housing.occupants {
            out.cited(&id, "Housing", "occupants", &clew_model::value::canonical_number(occupants), s, 1.0)?;
        }
        dates(out, &id, "Housing", s)?;
        out.mark_synthetic(&id, "Housing")?;
    }
    if let Some(surveillance) = &spell.surveillance
        && let Some(by) = &surveillance.by
    {
        let id = part("supervision")?;
        let s = &surveillance.segments;
        out.cited(&id, "Supervision", "supervisor", entity_of(by)?.as_str(), s, 1.0)?;
        out.cited(&id, "Supervision", "subject", witness.as_str(), s, 1.0)?;
        if let Some(role) = &surveillance.role {
            out.cited(&id, "Supervision", "supervisorRole", role, s, 1.0)?;
        }
        if let Some(worksite) = &spell.worksite {
            out.cited(&id, "Supervision", "worksite", entity_of(worksite)?.as_str(), s, 1.0)?;
        }
        dates(out, &id, "Supervision", s)?;
        out.mark_synthetic(&id, "Supervision")?;
    }
    Ok(())
}

fn money(amount: &Amount) -> String {
    format!("{} {}", clew_model::value::canonical_number(amount.amount), amount.currency)
}

fn bool_text(value: bool) -> &'static str {
    if value { "true" } else { "false" }
}

/// A schema name borrowed from the model (facts borrow names rather than copy them).
fn model_schema<'m>(model: &'m Model, name: &str) -> Result<&'m str, String> {
    model.schema(name).map(|s| s.name.as_str()).ok_or_else(|| model.unknown_schema(name).to_string())
}

fn model_property<'m>(model: &'m Model, schema: &str, name: &str) -> Result<&'m str, String> {
    model.property(schema, name).map(|p| p.name.as_str()).map_err(|e| e.to_string())
}

struct Emitter<'m> {
    model: &'m Model,
    facts: Vec<Fact<'m>>,
    synthetic: bool,
    witness: EntityId,
    /// Whether every statement made now is restricted.
    restricted: bool,
}

impl<'m> Emitter<'m> {
    fn put(
        &mut self,
        entity: &EntityId,
        schema: &'m str,
        property: &'m str,
        value: &str,
        locator: &str,
        confidence: f64,
    ) -> Result<(), String> {
        let definition = self.model.property(schema, property).map_err(|e| e.to_string())?;
        let value = self.model.normalize_typed(definition, value).map_err(|e| format!("{schema}.{property}: {e}"))?;
        // Statements about the witness, or linking the witness to places and people, can re-identify them.
        let about_witness = *entity == self.witness || value == self.witness.as_str();
        let sensitivity = if self.restricted || definition.sensitive || about_witness {
            Sensitivity::Restricted
        } else {
            Sensitivity::Internal
        };
        self.facts.push(Fact {
            entity_id: entity.clone(),
            schema,
            property,
            value,
            locator: locator.to_string(),
            confidence,
            sensitivity,
        });
        Ok(())
    }

    /// One statement per cited segment.
    fn cited(
        &mut self,
        entity: &EntityId,
        schema: &'m str,
        property: &'m str,
        value: &str,
        segments: &[String],
        confidence: f64,
    ) -> Result<(), String> {
        for segment in segments {
            self.put(entity, schema, property, value, &format!("segment:{segment}"), confidence)?;
        }
        Ok(())
    }

    fn mark_synthetic(&mut self, entity: &EntityId, schema: &'m str) -> Result<(), String> {
        if self.synthetic { self.put(entity, schema, "synthetic", "true", "source", 1.0) } else { Ok(()) }
    }

    fn reference_or_value(
        &self,
        model: &Model,
        schema: &str,
        property: &str,
        value: &str,
        entity_of: &dyn Fn(&str) -> Result<EntityId, String>,
    ) -> Result<String, String> {
        let definition = model.property(schema, property).map_err(|e| e.to_string())?;
        if definition.kind == clew_model::PropertyType::Entity {
            Ok(entity_of(value)?.to_string())
        } else {
            Ok(value.to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    /// Testimony ids and coded entity ids are kept apart from derived ids by [`DERIVED_ID_MARK`] alone: every
    /// id clew derives with a prefix must hold it.
    #[test]
    fn every_prefixed_id_clew_derives_holds_the_mark() {
        let testimony = SourceId::new("T-0001").unwrap();
        let entity = EntityId::new("demo.company.0000").unwrap();
        let input = crate::input::InputPath::File("list.ftm.json".into());
        let derived = [
            witness_entity_id("W-0001").unwrap().to_string(),
            assessment_source(&testimony).unwrap().to_string(),
            screening_source(&entity).unwrap().to_string(),
            crate::ftm::ftm_source_id(&input).to_string(),
            coding_source(&testimony).unwrap().to_string(),
        ];
        for (id, (prefix, _)) in derived.iter().zip(DERIVED_ID_PREFIXES) {
            assert!(id.starts_with(prefix) && prefix.ends_with(DERIVED_ID_MARK), "{id}");
        }
    }
}

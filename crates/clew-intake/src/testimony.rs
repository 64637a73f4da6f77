//! Testimony format v1 (`clew-testimony/1`): the typed record of one interview, and its reader, which checks
//! a parsed document and reports every problem with its line, column and field path.
//!
//! The format is documented in docs/testimony-format.md and described by docs/testimony.schema.json.

use std::collections::{BTreeMap, HashSet};

use clew_model::doc::{Node, NodeKind};
use clew_model::read::{MapReader, Reader, index_path};
use clew_model::{EntityId, Model, PartialDate, Segment, SourceId, Translation};
use serde::{Deserialize, Serialize};

use crate::mapping::{DERIVED_ID_MARK, DERIVED_ID_PREFIXES};

/// The value of the `format` field of a version 1 testimony.
pub const FORMAT_V1: &str = "clew-testimony/1";

/// Schemata a testimony may introduce in `facts.entities`.
pub const ENTITY_SCHEMATA: [&str; 8] =
    ["Person", "Organization", "Company", "PublicBody", "Worksite", "Accommodation", "Address", "Document"];

/// Kinds of relation a testimony may code in `facts.relations`.
pub const RELATION_SCHEMATA: [&str; 10] = [
    "Ownership",
    "Directorship",
    "Presence",
    "Supervision",
    "Dispatch",
    "Employment",
    "Payment",
    "Deduction",
    "Housing",
    "Travel",
];

/// Longest testimony id and witness pseudonym: ids derived from them (`ID.key.part`) must stay within
/// [`clew_model::ids::MAX_ID_LEN`].
pub const MAX_TESTIMONY_ID_LEN: usize = 80;

/// Why `what` (a testimony id, an entity id) may not be `id`, which holds [`DERIVED_ID_MARK`]; naming the id
/// clew derives that it takes, when it begins like one.
fn reserved_id_message(what: &str, id: &str) -> String {
    match DERIVED_ID_PREFIXES.iter().find(|(prefix, _)| id.starts_with(prefix)) {
        Some((prefix, name)) => format!(
            "{what} may not begin with `{prefix}` (clew's id for {name}), nor contain `:` anywhere: clew keeps it \
             for the ids it derives"
        ),
        None => format!(
            "{what} may not contain `:`, which clew keeps for the ids it derives (`witness:PSEUDONYM`, \
             `assess:ID`, `screen:ID`, `ftm:FILE`)"
        ),
    }
}

/// Longest key of an entity, spell, relation or segment.
pub const MAX_KEY_LEN: usize = 40;

/// One interview.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Testimony {
    /// Always [`FORMAT_V1`].
    pub format: String,
    /// The testimony's pseudonymous id.
    pub id: SourceId,
    /// Fictional demo or test data.
    #[serde(default)]
    pub synthetic: bool,
    /// A title to show.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Who coded the facts (pseudonym).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coded_by: Option<String>,
    /// The interview.
    pub interview: Interview,
    /// The witness, by pseudonym.
    pub witness: Witness,
    /// Identifying data: only custodians may read it; never turned into statements.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protected: Option<ProtectedBlock>,
    /// The consent record.
    pub consent: Consent,
    /// Narrative segments.
    pub segments: Vec<Segment>,
    /// Coded facts.
    #[serde(default)]
    pub facts: Facts,
}

/// Interview metadata.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Interview {
    /// Date (partial dates allowed).
    pub date: PartialDate,
    /// Coarse place (a city or country).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// ISO 639-1 language of the interview.
    pub language: String,
    /// Interviewer pseudonym.
    pub interviewer: String,
    /// Interpreter, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interpreter: Option<Interpreter>,
    /// Setting: could the interview be overheard?
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub setting: Option<Setting>,
}

/// An interpreter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Interpreter {
    /// Pseudonym.
    pub pseudonym: String,
    /// Vetted by the organisation.
    pub vetted: bool,
}

/// Where the interview took place, as far as safety is concerned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Setting {
    /// Held in private.
    pub private: bool,
    /// Could be observed or overheard.
    pub overheard: bool,
}

/// The witness as analytic data knows them: a pseudonym and coarse attributes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Witness {
    /// Pseudonym, unique in the project.
    pub pseudonym: String,
    /// Gender code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<String>,
    /// Nationality (ISO 3166-1 alpha-2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nationality: Option<String>,
}

/// The consent record (docs/background.md §6).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Consent {
    /// Version of this consent record (a re-confirmation or change is a new version).
    pub version: u32,
    /// When consent was given.
    pub date: PartialDate,
    /// What the witness was told, item by item.
    pub informed_of: InformedOf,
    /// Which uses were agreed.
    pub uses: ConsentUses,
    /// Audio recording agreed.
    pub audio: bool,
    /// Video or photo agreed.
    pub video: bool,
    /// Verbatim quotation agreed.
    pub quotation: bool,
    /// Publication under a pseudonym agreed.
    pub pseudonym_publication: bool,
    /// Re-contact agreed.
    pub recontact: bool,
    /// Follow-up interviews agreed.
    pub follow_up: bool,
    /// Consent re-confirmed at the end of the interview.
    pub reconfirmed_at_end: bool,
    /// Capacity and well-being notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity_notes: Option<String>,
    /// Referrals offered.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub referrals: Vec<String>,
    /// Promises made (should be none beyond referrals).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub promises: Option<String>,
    /// Keep until.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention_until: Option<PartialDate>,
    /// A withdrawal, if the witness withdrew consent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawal: Option<Withdrawal>,
}

/// What the witness was told before consenting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InformedOf {
    /// Purpose of the interview.
    pub purpose: bool,
    /// Each intended use.
    pub uses: bool,
    /// Risks.
    pub risks: bool,
    /// Right to skip questions.
    pub right_to_skip: bool,
    /// Right to stop at any time.
    pub right_to_stop: bool,
    /// Right to restrict or withdraw use.
    pub right_to_withdraw: bool,
}

/// The recipient classes and uses the witness agreed to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConsentUses {
    /// Internal analysis.
    pub internal_analysis: bool,
    /// Publication.
    pub publication: bool,
    /// Advocacy.
    pub advocacy: bool,
    /// Sharing with UN bodies / OHCHR.
    pub un: bool,
    /// Sharing with MSMT member states and sanctions monitors.
    pub sanctions_monitors: bool,
    /// Sharing with prosecutors or courts.
    pub prosecutors: bool,
    /// Sharing with researchers.
    pub researchers: bool,
    /// Sharing with journalists.
    pub journalists: bool,
}

/// A withdrawal of consent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Withdrawal {
    /// When.
    pub date: PartialDate,
    /// What it covers.
    pub scope: String,
}

/// Coded facts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Facts {
    /// Companies, public bodies, people, worksites and places the witness names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entities: Vec<NamedEntity>,
    /// Work spells.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub spells: Vec<Spell>,
    /// Further relations between named entities.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub relations: Vec<Relation>,
}

/// An entity named in a testimony.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NamedEntity {
    /// Key, unique within the testimony; cited by spells and relations.
    pub key: String,
    /// A project-wide id, when the coder knows the entity is already in the project.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<EntityId>,
    /// One of [`ENTITY_SCHEMATA`].
    pub schema: String,
    /// Names as the witness gives them, in any script; the first is the main name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub names: Vec<String>,
    /// Further properties of the schema (values as text, or lists of them).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub properties: BTreeMap<String, Vec<String>>,
    /// Segments that say this.
    pub segments: Vec<String>,
    /// Coder's confidence in [0, 1].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,
}

/// Longest name or property value of a coded entity (the same limit as sanctions lists' names): a longer one is
/// a broken or hostile file, and every analysis that compares names would pay for it.
pub const MAX_VALUE_CHARS: usize = 1_000;

/// A testimony's `protected` block as read (identities, relatives, contacts, escape routes), until it is sealed
/// to the custodians. Every string in it (keys and values) is wiped from memory when it is dropped, and its
/// `Debug` never shows it.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ProtectedBlock(pub serde_json::Value);

impl std::fmt::Debug for ProtectedBlock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ProtectedBlock(..)")
    }
}

impl Drop for ProtectedBlock {
    fn drop(&mut self) {
        wipe(&mut self.0);
    }
}

/// Overwrites every string of a JSON value with zeros (keys too: the map is taken apart to reach them).
fn wipe(value: &mut serde_json::Value) {
    use zeroize::Zeroize;
    match value {
        serde_json::Value::String(text) => text.zeroize(),
        serde_json::Value::Array(items) => items.iter_mut().for_each(wipe),
        serde_json::Value::Object(map) => {
            for (mut key, mut item) in std::mem::take(map) {
                key.zeroize();
                wipe(&mut item);
            }
        }
        _ => {}
    }
}

/// A period given at month precision or coarser (exact days can single out a witness: put them in `protected`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Period {
    /// First month.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<PartialDate>,
    /// Last month.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<PartialDate>,
}

/// A yes/no fact with its evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Flag {
    /// Whether it was so.
    pub value: bool,
    /// Segments that say so.
    pub segments: Vec<String>,
}

/// A number with its evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quantity {
    /// The number.
    pub value: f64,
    /// Segments that say so.
    pub segments: Vec<String>,
}

/// An amount of money per period, with its evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Amount {
    /// Amount (≥ 0).
    pub amount: f64,
    /// ISO 4217 currency.
    pub currency: String,
    /// Per hour, day, month, year or in total.
    pub per: String,
    /// Segments that say so.
    pub segments: Vec<String>,
}

/// One work spell: a period with one employer, and the conditions the witness reports for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Spell {
    /// Key, unique within the testimony.
    pub key: String,
    /// When.
    #[serde(default)]
    pub period: Period,
    /// Sector code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sector: Option<String>,
    /// Employer (entity key).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employer: Option<String>,
    /// Dispatching DPRK entity (entity key).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dispatcher: Option<String>,
    /// Intermediary between dispatcher and employer (entity key).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intermediary: Option<String>,
    /// Worksite (entity key).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub worksite: Option<String>,
    /// Segments for the spell itself (period, employer, sector, worksite).
    pub segments: Vec<String>,
    /// Visa or permit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permit: Option<PermitFact>,
    /// Hours worked per day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours_per_day: Option<Quantity>,
    /// Rest days per month.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rest_days_per_month: Option<Quantity>,
    /// Wage promised before departure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub promised_wage: Option<Amount>,
    /// What the employer paid, and to whom.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employer_paid: Option<EmployerPaid>,
    /// Deductions from the wage.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deductions: Vec<DeductionFact>,
    /// What reached the worker, and when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub worker_received: Option<WorkerReceived>,
    /// Housing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub housing: Option<HousingFact>,
    /// Surveillance, and by whom.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub surveillance: Option<SurveillanceFact>,
    /// Identity documents held by others.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_confiscation: Option<ConfiscationFact>,
    /// Movement restricted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub movement_restriction: Option<Flag>,
    /// Threats against family at home.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threats_to_family: Option<Flag>,
    /// Physical violence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub violence: Option<Flag>,
    /// Isolation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub isolation: Option<Flag>,
    /// Debt bondage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub debt_bondage: Option<Flag>,
    /// The spell ended by escape (route and dates belong in `protected`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub escape: Option<Flag>,
    /// Forced-labour findings the coder records by hand, each citing its segments.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<CodedFinding>,
}

/// A finding a coder records by hand: a code of the forced-labour taxonomy and the segments it rests on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodedFinding {
    /// The taxonomy code (`INV..`, `COE..`, `IND..`).
    pub code: String,
    /// The segments it rests on.
    pub segments: Vec<String>,
}

/// A visa or permit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PermitFact {
    /// Permit type code.
    #[serde(rename = "type")]
    pub permit_type: String,
    /// Declared purpose code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
    /// Segments.
    pub segments: Vec<String>,
}

/// Payment by the employer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmployerPaid {
    /// The amount.
    #[serde(flatten)]
    pub amount: Amount,
    /// Paid to (entity key; absent means to the worker).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paid_to: Option<String>,
}

/// One deduction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeductionFact {
    /// Deduction kind code.
    pub kind: String,
    /// Amount, when the witness gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<f64>,
    /// Currency of the amount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Per period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per: Option<String>,
    /// Share of the wage in [0, 1], when the witness gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share: Option<f64>,
    /// Taken by (entity key).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taken_by: Option<String>,
    /// Segments.
    pub segments: Vec<String>,
}

/// What reached the worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkerReceived {
    /// The amount.
    #[serde(flatten)]
    pub amount: Amount,
    /// When code (monthly, irregular, on_return, never, unknown).
    pub when: String,
    /// Paid by (entity key).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paid_by: Option<String>,
}

/// Housing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HousingFact {
    /// Housing type code.
    #[serde(rename = "type")]
    pub housing_type: String,
    /// Accommodation (entity key).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accommodation: Option<String>,
    /// Occupants per room or container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occupants: Option<f64>,
    /// Segments.
    pub segments: Vec<String>,
}

/// Surveillance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurveillanceFact {
    /// Whether the witness was watched.
    pub value: bool,
    /// By whom (entity key of a Person).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// Their role code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Segments.
    pub segments: Vec<String>,
}

/// Confiscation of identity documents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConfiscationFact {
    /// Whether documents were held.
    pub value: bool,
    /// By whom (entity key).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub held_by: Option<String>,
    /// Segments.
    pub segments: Vec<String>,
}

/// A relation between entities named in the testimony (or already in the project).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Relation {
    /// Key, unique within the testimony.
    pub key: String,
    /// One of [`RELATION_SCHEMATA`].
    pub schema: String,
    /// Properties; entity properties take entity keys.
    pub properties: BTreeMap<String, Vec<String>>,
    /// Segments.
    pub segments: Vec<String>,
    /// Coder's confidence in [0, 1].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,
}

/// Reads and checks one testimony document. Returns `None` when anything is wrong (all of it is in the reader).
pub fn read_testimony(model: &Model, node: &Node, reader: &mut Reader) -> Option<Testimony> {
    read_testimony_in_project(model, node, reader, &HashSet::new())
}

/// Reads a testimony as [`read_testimony`] does, for a project that already holds `earlier_ids`:
/// testimonies whose ids hold a `:`, imported before such ids were refused. Those ids are accepted again,
/// so that such a testimony can still be corrected or its consent withdrawn (its id already exists: letting
/// it in again opens no new collision).
pub fn read_testimony_in_project(
    model: &Model,
    node: &Node,
    reader: &mut Reader,
    earlier_ids: &HashSet<String>,
) -> Option<Testimony> {
    let mut cx =
        Cx { model, reader, earlier_ids, segment_ids: HashSet::new(), keys: HashSet::new(), refs: BTreeMap::new() };
    let testimony = cx.testimony(node);
    let clean = cx.reader.is_clean();
    testimony.filter(|_| clean)
}

struct Cx<'m, 'r> {
    model: &'m Model,
    reader: &'r mut Reader,
    /// Testimony ids with a `:` the project already holds (see [`read_testimony_in_project`]).
    earlier_ids: &'m HashSet<String>,
    segment_ids: HashSet<String>,
    /// Every key declared so far, for finding duplicates.
    keys: HashSet<String>,
    /// Keys that can be referred to (entities and spells) with their schema, collected before reading.
    refs: BTreeMap<String, String>,
}

type Field<'a> = Option<(&'a Node, String)>;

impl Cx<'_, '_> {
    fn string(&mut self, field: Field) -> Option<String> {
        field.and_then(|(node, path)| self.reader.string(node, &path))
    }

    fn boolean(&mut self, field: Field) -> Option<bool> {
        field.and_then(|(node, path)| self.reader.boolean(node, &path))
    }

    fn date(&mut self, field: Field) -> Option<PartialDate> {
        let (node, path) = field?;
        let text = self.reader.string(node, &path)?;
        text.parse().map_err(|message: String| self.reader.error(node, &path, message)).ok()
    }

    fn number_in(&mut self, field: Field, low: f64, high: f64) -> Option<f64> {
        let (node, path) = field?;
        let value = self.reader.number(node, &path)?;
        if value < low || value > high {
            self.reader.error(node, &path, format!("must be between {low} and {high}"));
            return None;
        }
        Some(value)
    }

    fn code(&mut self, field: Field, list: &str) -> Option<String> {
        let (node, path) = field?;
        let codes: Vec<&str> = self.model.codes.get(list).map(|c| c.keys().map(String::as_str).collect())?;
        self.reader.choice(node, &path, &codes)
    }

    fn table_code(
        &mut self,
        field: Field,
        table: fn(&Model) -> &clew_model::schema::CodeList,
        what: &str,
    ) -> Option<String> {
        let (node, path) = field?;
        let text = self.reader.string(node, &path)?;
        // Currency codes are upper case, country and language codes lower case; either spelling is accepted.
        let table = table(self.model);
        if let Some(canonical) =
            [text.to_ascii_uppercase(), text.to_ascii_lowercase()].into_iter().find(|code| table.contains_key(code))
        {
            Some(canonical)
        } else {
            self.reader.error(node, &path, format!("`{text}` is not a known {what} code"));
            None
        }
    }

    /// A key: letters, digits, `_` and `-` (no `.`, which joins keys into derived ids), at most
    /// [`MAX_KEY_LEN`] characters.
    fn key(&mut self, field: Field) -> Option<String> {
        let (node, path) = field?;
        let key = self.reader.string(node, &path)?;
        if key.len() > MAX_KEY_LEN || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
            self.reader.error(
                node,
                &path,
                format!("a key has at most {MAX_KEY_LEN} letters, digits, `_` and `-` (no spaces or dots)"),
            );
            return None;
        }
        Some(key)
    }

    /// The testimony id or witness pseudonym: an id of at most [`MAX_TESTIMONY_ID_LEN`] characters.
    fn short_id(&mut self, field: Field, what: &str) -> Option<String> {
        let (node, path) = field?;
        let text = self.reader.string(node, &path)?;
        if text.len() > MAX_TESTIMONY_ID_LEN {
            self.reader.error(node, &path, format!("{what} may be at most {MAX_TESTIMONY_ID_LEN} characters long"));
            return None;
        }
        EntityId::new(&text)
            .map_err(|message| self.reader.error(node, &path, message.replace("an entity id", what)))
            .ok()?;
        Some(text)
    }

    /// A reference to an entity key; checks that it exists and fits the range.
    fn reference(&mut self, field: Field, range: &str) -> Option<String> {
        let (node, path) = field?;
        let key = self.reader.string(node, &path)?;
        match self.refs.get(&key) {
            None => {
                self.reader.error(node, &path, format!("no entity or spell with key `{key}` in facts"));
                None
            }
            Some(schema) if !self.model.schema(schema).is_some_and(|s| s.is_a(range)) => {
                self.reader.error(node, &path, format!("`{key}` is a {schema}, but a {range} is needed here"));
                None
            }
            Some(_) => Some(key),
        }
    }

    fn segments(&mut self, map: &mut MapReader) -> Vec<String> {
        let Some((node, path)) = map.required("segments") else {
            return Vec::new();
        };
        let Some(ids) = self.reader.strings(node, &path) else {
            return Vec::new();
        };
        if ids.is_empty() {
            self.reader.error(node, &path, "a fact must cite at least one segment");
        }
        let items = match &node.kind {
            NodeKind::Seq(items) => items.as_slice(),
            _ => &[],
        };
        // A set, not a search of the ids before: 200,000 citations took 26.6 s that way.
        let mut cited = HashSet::with_capacity(ids.len());
        for (index, (id, item)) in ids.iter().zip(items).enumerate() {
            if !cited.insert(id.as_str()) {
                self.reader.error(item, &index_path(&path, index), format!("cites segment `{id}` twice"));
            } else if !self.segment_ids.contains(id) {
                self.reader.error(
                    item,
                    &index_path(&path, index),
                    format!("cites segment `{id}`, which does not exist"),
                );
            }
        }
        ids
    }

    fn confidence(&mut self, map: &mut MapReader) -> Option<f64> {
        self.number_in(map.get("confidence"), 0.0, 1.0)
    }

    fn testimony(&mut self, node: &Node) -> Option<Testimony> {
        let mut map = self.reader.map(node, "")?;
        let format = map.required("format").and_then(|(node, path)| {
            let format = self.reader.string(node, &path)?;
            if format == FORMAT_V1 {
                Some(format)
            } else {
                self.reader.error(node, &path, format!("unsupported format `{format}`; this clew reads `{FORMAT_V1}`"));
                None
            }
        });
        let id = self.short_id(map.required("id"), "a testimony id").and_then(|text| {
            // A testimony's id is its source's id and its Testimony entity's: with a `:` it could take an id
            // clew derives (another witness's Person, an assessment's source) and merge into it.
            if text.contains(DERIVED_ID_MARK) && !self.earlier_ids.contains(&text) {
                if let Some((node, path)) = map.get("id") {
                    self.reader.error(node, &path, reserved_id_message("a testimony id", &text));
                }
                return None;
            }
            SourceId::new(&text).ok()
        });
        let synthetic = self.boolean(map.get("synthetic")).unwrap_or(false);
        let title = self.string(map.get("title"));
        let coded_by = self.string(map.get("coded_by"));
        let interview = map.required("interview").and_then(|(n, p)| self.interview(n, &p));
        let witness = map.required("witness").and_then(|(n, p)| self.witness(n, &p));
        // The protected block is kept as it is; its values are never echoed in messages.
        let protected = map.get("protected").and_then(|(node, path)| match node.kind {
            // Kept exactly as written: `007` stays "007", `+8210...` keeps its plus.
            NodeKind::Map(_) => Some(ProtectedBlock(node.to_json_text())),
            _ => {
                self.reader.error(node, &path, format!("expected a mapping, found {}", node.kind_name()));
                None
            }
        });
        let consent = map.required("consent").and_then(|(n, p)| self.consent(n, &p));
        let segments = map.required("segments").and_then(|(n, p)| self.segment_list(n, &p));
        let facts = match map.get("facts") {
            Some((node, path)) => self.facts(node, &path),
            None => Some(Facts::default()),
        };
        map.finish(self.reader);
        Some(Testimony {
            format: format?,
            id: id?,
            synthetic,
            title,
            coded_by,
            interview: interview?,
            witness: witness?,
            protected,
            consent: consent?,
            segments: segments?,
            facts: facts?,
        })
    }

    fn interview(&mut self, node: &Node, path: &str) -> Option<Interview> {
        let mut map = self.reader.map(node, path)?;
        let date = self.date(map.required("date"));
        let place = self.string(map.get("place"));
        let language = self.table_code(map.required("language"), |m| &m.languages, "ISO 639-1 language");
        let interviewer = self.string(map.required("interviewer"));
        let interpreter = map.get("interpreter").and_then(|(node, path)| {
            let mut map = self.reader.map(node, &path)?;
            let pseudonym = self.string(map.required("pseudonym"));
            let vetted = self.boolean(map.required("vetted"));
            map.finish(self.reader);
            Some(Interpreter { pseudonym: pseudonym?, vetted: vetted? })
        });
        let setting = map.get("setting").and_then(|(node, path)| {
            let mut map = self.reader.map(node, &path)?;
            let private = self.boolean(map.required("private"));
            let overheard = self.boolean(map.required("overheard"));
            map.finish(self.reader);
            Some(Setting { private: private?, overheard: overheard? })
        });
        map.finish(self.reader);
        Some(Interview { date: date?, place, language: language?, interviewer: interviewer?, interpreter, setting })
    }

    fn witness(&mut self, node: &Node, path: &str) -> Option<Witness> {
        let mut map = self.reader.map(node, path)?;
        let pseudonym = self.short_id(map.required("pseudonym"), "a pseudonym");
        let gender = self.code(map.get("gender"), "gender");
        let nationality = self.table_code(map.get("nationality"), |m| &m.countries, "ISO 3166-1 country");
        map.finish(self.reader);
        Some(Witness { pseudonym: pseudonym?, gender, nationality })
    }

    fn consent(&mut self, node: &Node, path: &str) -> Option<Consent> {
        let mut map = self.reader.map(node, path)?;
        let version = self.number_in(map.required("version"), 1.0, 1e6).map(|v| v as u32);
        let date = self.date(map.required("date"));
        let informed_of = map.required("informed_of").and_then(|(node, path)| {
            let mut m = self.reader.map(node, &path)?;
            let mut flag = |m: &mut MapReader, key| self.boolean(m.required(key));
            let informed = (
                flag(&mut m, "purpose"),
                flag(&mut m, "uses"),
                flag(&mut m, "risks"),
                flag(&mut m, "right_to_skip"),
                flag(&mut m, "right_to_stop"),
                flag(&mut m, "right_to_withdraw"),
            );
            m.finish(self.reader);
            Some(InformedOf {
                purpose: informed.0?,
                uses: informed.1?,
                risks: informed.2?,
                right_to_skip: informed.3?,
                right_to_stop: informed.4?,
                right_to_withdraw: informed.5?,
            })
        });
        let uses = map.required("uses").and_then(|(node, path)| {
            let mut m = self.reader.map(node, &path)?;
            let mut flag = |m: &mut MapReader, key| self.boolean(m.required(key));
            let uses = (
                flag(&mut m, "internal_analysis"),
                flag(&mut m, "publication"),
                flag(&mut m, "advocacy"),
                flag(&mut m, "un"),
                flag(&mut m, "sanctions_monitors"),
                flag(&mut m, "prosecutors"),
                flag(&mut m, "researchers"),
                flag(&mut m, "journalists"),
            );
            m.finish(self.reader);
            Some(ConsentUses {
                internal_analysis: uses.0?,
                publication: uses.1?,
                advocacy: uses.2?,
                un: uses.3?,
                sanctions_monitors: uses.4?,
                prosecutors: uses.5?,
                researchers: uses.6?,
                journalists: uses.7?,
            })
        });
        let mut flag = |map: &mut MapReader, key| self.boolean(map.required(key));
        let flags = (
            flag(&mut map, "audio"),
            flag(&mut map, "video"),
            flag(&mut map, "quotation"),
            flag(&mut map, "pseudonym_publication"),
            flag(&mut map, "recontact"),
            flag(&mut map, "follow_up"),
            flag(&mut map, "reconfirmed_at_end"),
        );
        let capacity_notes = self.string(map.get("capacity_notes"));
        let referrals = map.get("referrals").and_then(|(n, p)| self.reader.strings(n, &p)).unwrap_or_default();
        let promises = self.string(map.get("promises"));
        let retention_until = self.date(map.get("retention_until"));
        let withdrawal = map.get("withdrawal").and_then(|(node, path)| {
            let mut m = self.reader.map(node, &path)?;
            let date = self.date(m.required("date"));
            let scope =
                m.required("scope").and_then(|(n, p)| self.reader.choice(n, &p, &["all", "publication", "sharing"]));
            m.finish(self.reader);
            Some(Withdrawal { date: date?, scope: scope? })
        });
        map.finish(self.reader);
        Some(Consent {
            version: version?,
            date: date?,
            informed_of: informed_of?,
            uses: uses?,
            audio: flags.0?,
            video: flags.1?,
            quotation: flags.2?,
            pseudonym_publication: flags.3?,
            recontact: flags.4?,
            follow_up: flags.5?,
            reconfirmed_at_end: flags.6?,
            capacity_notes,
            referrals,
            promises,
            retention_until,
            withdrawal,
        })
    }

    fn segment_list(&mut self, node: &Node, path: &str) -> Option<Vec<Segment>> {
        let items = self.reader.list(node, path)?;
        if items.is_empty() {
            self.reader.error(node, path, "a testimony needs at least one narrative segment");
        }
        let mut segments = Vec::with_capacity(items.len());
        let mut ok = true;
        for (index, item) in items.iter().enumerate() {
            let path = index_path(path, index);
            let Some(mut map) = self.reader.map(item, &path) else {
                ok = false;
                continue;
            };
            let id = map.required("id").and_then(|field| {
                let node = field.0;
                let id = self.key(Some(field.clone()))?;
                if !self.segment_ids.insert(id.clone()) {
                    self.reader.error(node, &field.1, format!("duplicate segment id `{id}`"));
                }
                Some(id)
            });
            let lang = self.table_code(map.required("lang"), |m| &m.languages, "ISO 639-1 language");
            let text = self.string(map.required("text"));
            let translation = map.get("translation").and_then(|(node, path)| {
                let mut m = self.reader.map(node, &path)?;
                let lang = self.table_code(m.required("lang"), |m| &m.languages, "ISO 639-1 language");
                let text = self.string(m.required("text"));
                m.finish(self.reader);
                Some(Translation { lang: lang?, text: text? })
            });
            map.finish(self.reader);
            match (id, lang, text) {
                (Some(id), Some(lang), Some(text)) => segments.push(Segment { id, lang, text, translation }),
                _ => ok = false,
            }
        }
        ok.then_some(segments)
    }

    fn facts(&mut self, node: &Node, path: &str) -> Option<Facts> {
        let mut map = self.reader.map(node, path)?;
        let mut facts = Facts::default();
        let mut ok = true;
        self.collect_references(node);
        if let Some((node, path)) = map.get("entities") {
            for (index, item) in self.reader.list(node, &path).unwrap_or_default().iter().enumerate() {
                match self.named_entity(item, &index_path(&path, index)) {
                    Some(entity) => facts.entities.push(entity),
                    None => ok = false,
                }
            }
        }
        if let Some((node, path)) = map.get("spells") {
            for (index, item) in self.reader.list(node, &path).unwrap_or_default().iter().enumerate() {
                match self.spell(item, &index_path(&path, index)) {
                    Some(spell) => facts.spells.push(spell),
                    None => ok = false,
                }
            }
        }
        if let Some((node, path)) = map.get("relations") {
            for (index, item) in self.reader.list(node, &path).unwrap_or_default().iter().enumerate() {
                match self.relation(item, &index_path(&path, index)) {
                    Some(relation) => facts.relations.push(relation),
                    None => ok = false,
                }
            }
        }
        map.finish(self.reader);
        ok.then_some(facts)
    }

    /// Finds the keys of entities and spells before anything is read, so that references may point forward.
    fn collect_references(&mut self, facts: &Node) {
        let NodeKind::Map(sections) = &facts.kind else {
            return;
        };
        for (section, list) in sections {
            let NodeKind::Seq(items) = &list.kind else {
                continue;
            };
            for item in items {
                let NodeKind::Map(fields) = &item.kind else {
                    continue;
                };
                let text = |name: &str| {
                    fields.iter().find(|(k, _)| k == name).and_then(|(_, n)| match &n.kind {
                        NodeKind::Scalar { text, .. } => Some(text.clone()),
                        _ => None,
                    })
                };
                let schema = match section.as_str() {
                    "entities" => text("schema").filter(|s| ENTITY_SCHEMATA.contains(&s.as_str())),
                    "spells" => Some("Employment".to_string()),
                    _ => None,
                };
                if let (Some(key), Some(schema)) = (text("key"), schema) {
                    self.refs.entry(key).or_insert(schema);
                }
            }
        }
    }

    fn new_key(&mut self, map: &mut MapReader) -> Option<String> {
        let field = map.required("key")?;
        let node = field.0;
        let key = self.key(Some(field.clone()))?;
        if key == "witness" || !self.keys.insert(key.clone()) {
            self.reader.error(node, &field.1, format!("duplicate key `{key}`"));
            return None;
        }
        Some(key)
    }

    /// Whether a name or property value is within [`MAX_VALUE_CHARS`]; records the problem when not.
    fn short_enough(&mut self, node: &Node, path: &str, text: &str) -> bool {
        let length = text.chars().count();
        if length > MAX_VALUE_CHARS {
            self.reader.error(
                node,
                path,
                format!(
                    "a value of {length} characters; names and values are limited to {MAX_VALUE_CHARS} (the witness's \
                     words belong in `segments`)"
                ),
            );
            return false;
        }
        true
    }

    /// Reads a mapping of schema properties; entity properties take keys of entities or spells.
    fn property_values(&mut self, schema: &str, node: &Node, path: &str) -> Option<BTreeMap<String, Vec<String>>> {
        let mut map = self.reader.map(node, path)?;
        let mut properties = BTreeMap::new();
        let mut ok = true;
        let entries = map.entries();
        map.finish(self.reader);
        for (name, value_node) in entries {
            let path = clew_model::read::child_path(path, name);
            let property = match self.model.property(schema, name) {
                Ok(property) => property.clone(),
                Err(error) => {
                    self.reader.error(value_node, &path, error.to_string());
                    ok = false;
                    continue;
                }
            };
            let items: Vec<&Node> = match &value_node.kind {
                NodeKind::Seq(items) => items.iter().collect(),
                _ => vec![value_node],
            };
            let mut values = Vec::new();
            for (index, item) in items.into_iter().enumerate() {
                let item_path =
                    if matches!(value_node.kind, NodeKind::Seq(_)) { index_path(&path, index) } else { path.clone() };
                let Some(raw) = self.reader.string(item, &item_path) else {
                    ok = false;
                    continue;
                };
                if property.kind != clew_model::PropertyType::Text && !self.short_enough(item, &item_path, &raw) {
                    ok = false;
                    continue;
                }
                if property.kind == clew_model::PropertyType::Entity {
                    let range = property.range.clone().unwrap_or_default();
                    match self.reference(Some((item, item_path)), &range) {
                        Some(key) => values.push(key),
                        None => ok = false,
                    }
                    continue;
                }
                match self.model.normalize_typed(&property, &raw) {
                    Ok(value) => values.push(value),
                    Err(message) => {
                        self.reader.error(item, &item_path, message);
                        ok = false;
                    }
                }
            }
            properties.insert(name.clone(), values);
        }
        ok.then_some(properties)
    }

    fn named_entity(&mut self, node: &Node, path: &str) -> Option<NamedEntity> {
        let mut map = self.reader.map(node, path)?;
        let schema = map.required("schema").and_then(|(n, p)| self.reader.choice(n, &p, &ENTITY_SCHEMATA));
        let key = self.new_key(&mut map);
        let id = map.get("id").and_then(|(node, path)| {
            let text = self.reader.string(node, &path)?;
            let id = EntityId::new(&text).map_err(|message| self.reader.error(node, &path, message)).ok()?;
            // Statements about `witness:W-0001` would merge into another witness's Person (restricted, kept
            // out of exports) and bring it into them. Ids from other sources (FtM) never hold a `:`.
            if text.contains(DERIVED_ID_MARK) {
                self.reader.error(node, &path, reserved_id_message("an entity id", &text));
                return None;
            }
            Some(id)
        });
        let names_field = map.get("names");
        let names = names_field.as_ref().and_then(|(n, p)| self.reader.strings(n, p)).unwrap_or_default();
        if let Some((NodeKind::Seq(items), path)) = names_field.as_ref().map(|(n, p)| (&n.kind, p)) {
            for (index, (item, name)) in items.iter().zip(&names).enumerate() {
                self.short_enough(item, &index_path(path, index), name);
            }
        }
        let properties = match (map.get("properties"), &schema) {
            (Some((node, path)), Some(schema)) => self.property_values(schema, node, &path),
            (Some(_), None) => None,
            (None, _) => Some(BTreeMap::new()),
        };
        let segments = self.segments(&mut map);
        let confidence = self.confidence(&mut map);
        if names.is_empty() && properties.as_ref().is_some_and(BTreeMap::is_empty) {
            // Without a name or a property the entity would make no statement, and references to it would dangle.
            self.reader.error_at(Some(map.pos()), path, "an entity needs `names` or `properties`");
        }
        map.finish(self.reader);
        Some(NamedEntity { key: key?, id, schema: schema?, names, properties: properties?, segments, confidence })
    }

    fn period(&mut self, field: Field) -> Option<Period> {
        let Some((node, path)) = field else {
            return Some(Period::default());
        };
        let mut map = self.reader.map(node, &path)?;
        let month = |cx: &mut Self, field: Field| {
            let (node, path) = field.clone()?;
            let date = cx.date(field)?;
            if date.day.is_some() {
                cx.reader.error(
                    node,
                    &path,
                    "give work periods to the month (YYYY-MM); exact days can identify a witness and belong in `protected`",
                );
                return None;
            }
            Some(date)
        };
        let start_field = map.get("start");
        let end_field = map.get("end");
        let start = month(self, start_field.clone());
        let end = month(self, end_field.clone());
        if let (Some(start), Some(end), Some((node, path))) = (start, end, end_field)
            && end < start
        {
            self.reader.error(node, &path, format!("the period ends ({end}) before it starts ({start})"));
        }
        map.finish(self.reader);
        Some(Period { start, end })
    }

    fn flag(&mut self, field: Field) -> Option<Flag> {
        let (node, path) = field?;
        let mut map = self.reader.map(node, &path)?;
        let value = self.boolean(map.required("value"));
        let segments = self.segments(&mut map);
        map.finish(self.reader);
        Some(Flag { value: value?, segments })
    }

    fn quantity(&mut self, field: Field, low: f64, high: f64) -> Option<Quantity> {
        let (node, path) = field?;
        let mut map = self.reader.map(node, &path)?;
        let value = self.number_in(map.required("value"), low, high);
        let segments = self.segments(&mut map);
        map.finish(self.reader);
        Some(Quantity { value: value?, segments })
    }

    fn amount_fields(&mut self, map: &mut MapReader) -> Option<Amount> {
        let amount = self.number_in(map.required("amount"), 0.0, 1e12);
        let currency = self.table_code(map.required("currency"), |m| &m.currencies, "ISO 4217 currency");
        let per = self.code(map.required("per"), "moneyPeriod");
        let segments = self.segments(map);
        Some(Amount { amount: amount?, currency: currency?, per: per?, segments })
    }

    fn spell(&mut self, node: &Node, path: &str) -> Option<Spell> {
        let mut map = self.reader.map(node, path)?;
        let key = self.new_key(&mut map);
        let period = self.period(map.get("period"));
        let sector = self.code(map.get("sector"), "sector");
        let employer = self.reference(map.get("employer"), "LegalEntity");
        let dispatcher = self.reference(map.get("dispatcher"), "LegalEntity");
        let intermediary = self.reference(map.get("intermediary"), "LegalEntity");
        let worksite = self.reference(map.get("worksite"), "Worksite");
        let segments = self.segments(&mut map);
        let permit = map.get("permit").and_then(|(node, path)| {
            let mut m = self.reader.map(node, &path)?;
            let permit_type = self.code(m.required("type"), "permitType");
            let purpose = self.code(m.get("purpose"), "permitPurpose");
            let segments = self.segments(&mut m);
            m.finish(self.reader);
            Some(PermitFact { permit_type: permit_type?, purpose, segments })
        });
        let hours_per_day = self.quantity(map.get("hours_per_day"), 0.0, 24.0);
        let rest_days_per_month = self.quantity(map.get("rest_days_per_month"), 0.0, 31.0);
        let promised_wage = map.get("promised_wage").and_then(|(node, path)| {
            let mut m = self.reader.map(node, &path)?;
            let amount = self.amount_fields(&mut m);
            m.finish(self.reader);
            amount
        });
        let employer_paid = map.get("employer_paid").and_then(|(node, path)| {
            let mut m = self.reader.map(node, &path)?;
            let amount = self.amount_fields(&mut m);
            let paid_to = self.reference(m.get("paid_to"), "LegalEntity");
            m.finish(self.reader);
            Some(EmployerPaid { amount: amount?, paid_to })
        });
        let mut deductions = Vec::new();
        if let Some((node, path)) = map.get("deductions") {
            for (index, item) in self.reader.list(node, &path).unwrap_or_default().iter().enumerate() {
                if let Some(deduction) = self.deduction(item, &index_path(&path, index)) {
                    deductions.push(deduction);
                }
            }
        }
        let worker_received = map.get("worker_received").and_then(|(node, path)| {
            let mut m = self.reader.map(node, &path)?;
            let amount = self.amount_fields(&mut m);
            let when = self.code(m.required("when"), "paidWhen");
            let paid_by = self.reference(m.get("paid_by"), "LegalEntity");
            m.finish(self.reader);
            Some(WorkerReceived { amount: amount?, when: when?, paid_by })
        });
        let housing = map.get("housing").and_then(|(node, path)| {
            let mut m = self.reader.map(node, &path)?;
            let housing_type = self.code(m.required("type"), "housingType");
            let accommodation = self.reference(m.get("accommodation"), "Accommodation");
            let occupants = self.number_in(m.get("occupants"), 1.0, 10_000.0);
            let segments = self.segments(&mut m);
            m.finish(self.reader);
            Some(HousingFact { housing_type: housing_type?, accommodation, occupants, segments })
        });
        let surveillance = map.get("surveillance").and_then(|(node, path)| {
            let mut m = self.reader.map(node, &path)?;
            let value = self.boolean(m.required("value"));
            let by = self.reference(m.get("by"), "Person");
            let role = self.code(m.get("role"), "supervisorRole");
            let segments = self.segments(&mut m);
            m.finish(self.reader);
            Some(SurveillanceFact { value: value?, by, role, segments })
        });
        let document_confiscation = map.get("document_confiscation").and_then(|(node, path)| {
            let mut m = self.reader.map(node, &path)?;
            let value = self.boolean(m.required("value"));
            let held_by = self.reference(m.get("held_by"), "LegalEntity");
            let segments = self.segments(&mut m);
            m.finish(self.reader);
            Some(ConfiscationFact { value: value?, held_by, segments })
        });
        let movement_restriction = self.flag(map.get("movement_restriction"));
        let threats_to_family = self.flag(map.get("threats_to_family"));
        let violence = self.flag(map.get("violence"));
        let isolation = self.flag(map.get("isolation"));
        let debt_bondage = self.flag(map.get("debt_bondage"));
        let escape = self.flag(map.get("escape"));
        let mut findings = Vec::new();
        if let Some((node, path)) = map.get("findings") {
            for (index, item) in self.reader.list(node, &path).unwrap_or_default().iter().enumerate() {
                if let Some(finding) = self.coded_finding(item, &index_path(&path, index)) {
                    findings.push(finding);
                }
            }
        }
        map.finish(self.reader);
        Some(Spell {
            key: key?,
            period: period?,
            sector,
            employer,
            dispatcher,
            intermediary,
            worksite,
            segments,
            permit,
            hours_per_day,
            rest_days_per_month,
            promised_wage,
            employer_paid,
            deductions,
            worker_received,
            housing,
            surveillance,
            document_confiscation,
            movement_restriction,
            threats_to_family,
            violence,
            isolation,
            debt_bondage,
            escape,
            findings,
        })
    }

    fn coded_finding(&mut self, node: &Node, path: &str) -> Option<CodedFinding> {
        let mut map = self.reader.map(node, path)?;
        let code = map.required("code").and_then(|(node, path)| {
            let code = self.reader.string(node, &path)?;
            let known =
                clew_assess::Taxonomy::builtin().ok().and_then(|t| t.code(&code)).is_some_and(|c| !c.deprecated);
            if !known {
                self.reader.error(
                    node,
                    &path,
                    format!("`{code}` is not a code of the forced-labour taxonomy (INV.., COE.., IND..)"),
                );
                return None;
            }
            Some(code)
        });
        let segments = self.segments(&mut map);
        map.finish(self.reader);
        Some(CodedFinding { code: code?, segments })
    }

    fn deduction(&mut self, node: &Node, path: &str) -> Option<DeductionFact> {
        let mut map = self.reader.map(node, path)?;
        let kind = self.code(map.required("kind"), "deductionKind");
        let amount_field = map.get("amount");
        let amount = self.number_in(amount_field.clone(), 0.0, 1e12);
        let currency = self.table_code(map.get("currency"), |m| &m.currencies, "ISO 4217 currency");
        let per = self.code(map.get("per"), "moneyPeriod");
        let share = self.number_in(map.get("share"), 0.0, 1.0);
        let taken_by = self.reference(map.get("taken_by"), "LegalEntity");
        let segments = self.segments(&mut map);
        if amount_field.is_some() && (currency.is_none() || per.is_none()) {
            self.reader.error_at(Some(map.pos()), path, "an amount needs `currency` and `per`");
        }
        if amount_field.is_none() && share.is_none() {
            self.reader.error_at(Some(map.pos()), path, "a deduction needs an `amount` or a `share`");
        }
        map.finish(self.reader);
        Some(DeductionFact { kind: kind?, amount, currency, per, share, taken_by, segments })
    }

    fn relation(&mut self, node: &Node, path: &str) -> Option<Relation> {
        let mut map = self.reader.map(node, path)?;
        let schema = map.required("schema").and_then(|(n, p)| self.reader.choice(n, &p, &RELATION_SCHEMATA));
        let key = self.new_key(&mut map);
        let properties = match (map.required("properties"), &schema) {
            (Some((node, path)), Some(schema)) => self.property_values(schema, node, &path),
            _ => None,
        };
        let segments = self.segments(&mut map);
        let confidence = self.confidence(&mut map);
        map.finish(self.reader);
        Some(Relation { key: key?, schema: schema?, properties: properties?, segments, confidence })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_protected_block_is_wiped_and_never_shown() {
        // It was held as a plain `serde_json::Value` and never wiped.
        let mut value = serde_json::json!({"name": "SYNTHETIC-NAME", "relatives": ["SYNTHETIC-RELATIVE"]});
        assert_eq!(format!("{:?}", ProtectedBlock(value.clone())), "ProtectedBlock(..)");
        wipe(&mut value);
        assert_eq!(value, serde_json::json!({}), "taken apart and its strings zeroed");
        let mut text = serde_json::json!(["SYNTHETIC"]);
        wipe(&mut text);
        assert_eq!(text, serde_json::json!([""]), "zeroed, then emptied");
    }
}

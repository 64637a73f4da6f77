//! Browsing and coding testimonies, for the web pages of `clew serve`: the list of testimonies with filters and
//! facet counts, one testimony beside its segments (the statements citing each and the findings resting on
//! them), and a coder's new or corrected fact.
//!
//! Every read takes a sensitivity ceiling (the reader's role's, [`crate::accounts::Role::ceiling`]) and never
//! returns a statement above it, nor a value, count or finding derived from one: what is derived (a spell's
//! sector or outcome, a facet count) is derived from the statements under the ceiling alone. The witness's
//! words (segments) are internal: shown from [`Sensitivity::Internal`] up. Protected data is never read here.
//!
//! The list is a filter over summaries kept in memory (one pass over every testimony builds them; a later
//! write of statements updates the summaries of the testimonies it touched), so that a request over a hundred
//! thousand testimonies is a scan of memory, not of the database.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex, PoisonError, RwLock};

use clew_assess::engine::SPELL_SCHEMATA;
use clew_assess::measures::{MEASURE_SCHEMATA, spell_measures};
use clew_assess::{Outcome, Rules, Taxonomy};
use clew_custody::EventKind;
use clew_intake::mapping::{DERIVED_ID_MARK, coded_testimony, coding_source};
use clew_model::{
    Claim, Diagnostic, Entity, EntityId, Model, PropertyType, Sensitivity, SourceId, SourceKind, Statement,
    StatementId, Translation,
};
use clew_store::{BatchId, ReadTx, SourceDraft, SourceOutcome};
use serde::Serialize;

use crate::analysis::{model, rules, taxonomy};
use crate::{Actor, Code, Error, Result, Service};

/// What the list of testimonies can be filtered and counted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Facet {
    /// A work spell's sector (a code of the `sector` list).
    Sector,
    /// The region of a spell's worksite.
    Region,
    /// The year a spell began.
    Year,
    /// The declared purpose of a spell's permit (a code of the `permitPurpose` list): the visa channel.
    Visa,
    /// A spell's ICLS 2018 outcome under the built-in rules (an outcome code: `FL`, `INV_ONLY`, ...).
    Outcome,
    /// Who recorded the testimony's statements: who imported it, and each coder who added to it.
    Coder,
}

impl Facet {
    /// Every facet, in the order pages list them.
    pub const ALL: [Facet; 6] = [Facet::Sector, Facet::Region, Facet::Year, Facet::Visa, Facet::Outcome, Facet::Coder];

    /// Its name, as in URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            Facet::Sector => "sector",
            Facet::Region => "region",
            Facet::Year => "year",
            Facet::Visa => "visa",
            Facet::Outcome => "outcome",
            Facet::Coder => "coder",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Which testimonies to list: each filter given must hold (a testimony with two spells matches a value of
/// either), all of them together.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TestimonyFilter {
    /// A spell's sector code.
    pub sector: Option<String>,
    /// A spell's worksite region.
    pub region: Option<String>,
    /// The year a spell began (`YYYY`).
    pub year: Option<String>,
    /// A spell's permit purpose (visa channel) code.
    pub visa: Option<String>,
    /// A spell's ICLS 2018 outcome code.
    pub outcome: Option<String>,
    /// Who recorded statements of it (an importer's or a coder's name).
    pub coder: Option<String>,
}

impl TestimonyFilter {
    /// The value asked for a facet, if any.
    pub fn get(&self, facet: Facet) -> Option<&str> {
        match facet {
            Facet::Sector => self.sector.as_deref(),
            Facet::Region => self.region.as_deref(),
            Facet::Year => self.year.as_deref(),
            Facet::Visa => self.visa.as_deref(),
            Facet::Outcome => self.outcome.as_deref(),
            Facet::Coder => self.coder.as_deref(),
        }
    }
}

/// One testimony as listed: what the reader's ceiling lets them see of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TestimonySummary {
    /// Its id.
    pub id: SourceId,
    /// The interview date as coded (a year, a month or a day), when the reader may see it.
    pub interview_date: Option<String>,
    /// Whether it is synthetic (demo or example) data.
    pub synthetic: bool,
    /// Its spells' sectors.
    pub sectors: Vec<String>,
    /// Its spells' worksite regions.
    pub regions: Vec<String>,
    /// The years its spells began.
    pub years: Vec<String>,
    /// Its spells' visa channels (permit purposes).
    pub visas: Vec<String>,
    /// Its spells' ICLS 2018 outcome codes.
    pub outcomes: Vec<String>,
    /// Who recorded its statements.
    pub coders: Vec<String>,
    /// Segments of its current generation; `None` below [`Sensitivity::Internal`] (the witness's words are
    /// internal).
    pub segments: Option<u64>,
    /// Its active statements under the ceiling (its coders' included).
    pub statements: u64,
}

/// A facet value and how many testimonies have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FacetValue {
    /// The value, as a filter takes it.
    pub value: String,
    /// In words: a code's label from its list, an outcome's label, else the value.
    pub label: String,
    /// Testimonies with it.
    pub count: u64,
}

/// One facet's values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FacetCounts {
    /// The facet.
    pub facet: Facet,
    /// Its values with a count above zero, in the order of their text.
    pub values: Vec<FacetValue>,
}

/// A page of the list of testimonies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TestimonyPage {
    /// The testimonies, in id order.
    pub testimonies: Vec<TestimonySummary>,
    /// The id to ask for the next page after (`after`); `None` on the last page.
    pub next: Option<SourceId>,
    /// Testimonies matching the filter (on every page).
    pub total: u64,
    /// Each facet's values with their counts. A facet's counts are over the testimonies matching every
    /// *other* filter (so that they say what choosing another value of it would give), under the ceiling:
    /// a value seen only in statements above it is neither listed nor counted.
    pub facets: Vec<FacetCounts>,
    /// Whether a testimony matching the filter is synthetic: what is shown of the page must say so.
    pub synthetic: bool,
}

/// The non-identifying parts of a testimony's consent record (those an evidence package carries): never its
/// notes on the witness's capacity and well-being, referrals or promises, which are free text about the witness.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConsentSummary {
    /// The record's version.
    pub version: u32,
    /// When consent was given; `None` below [`Sensitivity::Internal`] (it dates the interview).
    pub date: Option<String>,
    /// The uses agreed.
    pub uses: clew_intake::testimony::ConsentUses,
    /// Verbatim quotation agreed.
    pub quotation: bool,
    /// Publication under a pseudonym agreed.
    pub pseudonym_publication: bool,
    /// Audio recording agreed.
    pub audio: bool,
    /// Video or photo agreed.
    pub video: bool,
    /// The withdrawal in force (`all`, `sharing`, `publication`), the stricter of the record's and the
    /// project's.
    pub withdrawn: Option<String>,
}

/// Whether a statement still stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum StatementStatus {
    /// It stands.
    Active,
    /// A coder retracted it (with a correction, when `replacement` is given).
    Superseded {
        /// Who retracted it.
        by: String,
        /// When (RFC 3339).
        at: String,
        /// The statement written in its place, when one was.
        replacement: Option<StatementId>,
    },
}

/// One statement of a testimony, as shown beside the segment it cites.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatementView {
    /// Its id.
    pub id: StatementId,
    /// Its source: the testimony, or its coders' source (`code:ID`).
    pub source: SourceId,
    /// The entity it is about.
    pub entity: EntityId,
    /// That entity's name, made from statements under the ceiling only, when it has one other than its id.
    pub entity_name: Option<String>,
    /// The entity's schema according to it.
    pub schema: String,
    /// The property.
    pub property: String,
    /// The value.
    pub value: String,
    /// For a reference to another entity: that entity's name under the ceiling, when it has one.
    pub value_name: Option<String>,
    /// Where in the testimony (`segment:s3`, `field:interview.date`, ...).
    pub locator: String,
    /// Who may see it.
    pub sensitivity: Sensitivity,
    /// Who recorded it.
    pub recorded_by: String,
    /// When (RFC 3339).
    pub recorded_at: String,
    /// Whether it stands.
    #[serde(flatten)]
    pub status: StatementStatus,
}

/// A taxonomy code with its label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CodeLabel {
    /// The code (`IND04`, `COE05`, ...).
    pub code: String,
    /// Its name in the taxonomy.
    pub label: String,
}

/// A finding of the testimony's assessment (built-in rules, statements under the ceiling), shown beside each
/// segment its evidence cites.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FindingView {
    /// The work spell it is about.
    pub spell: Option<EntityId>,
    /// The rule that found it.
    pub rule: String,
    /// The rule in words.
    pub summary: String,
    /// The codes found, with their labels.
    pub codes: Vec<CodeLabel>,
    /// The statements it rests on.
    pub evidence: Vec<StatementId>,
}

/// A work spell's outcome in the testimony's assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SpellOutcome {
    /// The spell.
    pub spell: Option<EntityId>,
    /// Its ICLS 2018 outcome code.
    pub icls: String,
    /// In words.
    pub icls_label: String,
}

/// The witness's words of one segment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SegmentWords {
    /// The original's language (ISO 639-1).
    pub lang: String,
    /// The original text.
    pub text: String,
    /// A translation, when there is one.
    pub translation: Option<Translation>,
}

/// One segment of a testimony with what cites it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SegmentView {
    /// Its id.
    pub id: String,
    /// Its words; `None` below [`Sensitivity::Internal`].
    pub words: Option<SegmentWords>,
    /// The statements citing it (`segment:ID`, `segment:ID#chars=A-B`), under the ceiling, in the order recorded.
    pub statements: Vec<StatementView>,
    /// The findings whose evidence cites it.
    pub findings: Vec<FindingView>,
}

/// One testimony for its page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TestimonyView {
    /// Its id.
    pub id: SourceId,
    /// Its kind (a testimony).
    pub kind: SourceKind,
    /// Its generation (a changed file imported again is the next).
    pub generation: u32,
    /// Whether it is synthetic.
    pub synthetic: bool,
    /// When its current generation was imported.
    pub imported_at: String,
    /// Who imported it.
    pub imported_by: String,
    /// Its title, when the reader may see it.
    pub title: Option<String>,
    /// The interview date as coded, when the reader may see it.
    pub interview_date: Option<String>,
    /// The interview's language, when the reader may see it.
    pub language: Option<String>,
    /// Its consent record's non-identifying parts.
    pub consent: Option<ConsentSummary>,
    /// Its segments in id order, each with the statements and findings citing it. Empty when the witness
    /// withdrew consent to every use (nothing of it is shown then but this page's head).
    pub segments: Vec<SegmentView>,
    /// Statements citing no segment of its current generation (fields of the testimony, or a segment a later
    /// file no longer has), under the ceiling.
    pub apart: Vec<StatementView>,
    /// Findings whose evidence cites no segment.
    pub findings_apart: Vec<FindingView>,
    /// Each work spell's outcome.
    pub outcomes: Vec<SpellOutcome>,
}

/// A fact a coder adds, citing a segment of a testimony, or a correction of one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFact {
    /// The testimony.
    pub testimony: SourceId,
    /// The segment of its current generation the fact rests on.
    pub segment: String,
    /// The entity it is about (existing, or new).
    pub entity: EntityId,
    /// The entity's schema: needed for a new entity; for an existing one, empty or a schema it fits.
    pub schema: String,
    /// The property.
    pub property: String,
    /// The value, as typed (checked and written in its canonical form).
    pub value: String,
    /// The active statement of the testimony this one replaces (it is retracted), if any.
    pub replaces: Option<StatementId>,
    /// Why, in the coder's words (kept as a `notes` statement of the entity beside the fact; may be empty).
    pub note: String,
}

/// What [`Service::add_fact`] wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AddedFact {
    /// The new statement.
    pub statement: StatementId,
    /// The source it was written to (`code:TESTIMONY`).
    pub source: SourceId,
    /// The statement it replaced (now retracted), if any.
    pub replaced: Option<StatementId>,
    /// The note's statement, if a note was given.
    pub note: Option<StatementId>,
    /// The sensitivity given to it.
    pub sensitivity: Sensitivity,
    /// The custody event's sequence number.
    pub event: u64,
}

/// The longest value or note a coder may write.
pub const MAX_FACT_CHARS: usize = 10_000;

/// Testimonies changed since the summaries were made that are brought up to date one by one; more than this,
/// and every summary is made again in one pass.
const UPDATE_ONE_BY_ONE: usize = 512;

/// The active statements of a testimony and then those of its coders' source (`code:ID`): what an analysis of
/// one testimony reads, the same as [`ReadTx::for_each_testimony`] hands over for it.
pub(crate) fn testimony_statements(
    store: &dyn ReadTx,
    id: &SourceId,
) -> std::result::Result<Vec<Statement>, clew_store::Error> {
    let mut statements = store.source_statements(id)?;
    if let Ok(coding) = coding_source(id) {
        statements.extend(store.source_statements(&coding)?);
    }
    Ok(statements)
}

/// Facet values, each text kept once and numbered.
#[derive(Debug, Clone, Default)]
struct Values {
    texts: Vec<Arc<str>>,
    numbers: HashMap<Arc<str>, u32>,
}

impl Values {
    fn number(&mut self, text: &str) -> u32 {
        if let Some(number) = self.numbers.get(text) {
            return *number;
        }
        let number = self.texts.len() as u32;
        let text: Arc<str> = text.into();
        self.texts.push(text.clone());
        self.numbers.insert(text, number);
        number
    }
}

/// What one testimony's summary is made of, before its facet values are numbered.
#[derive(Debug, Clone, Default)]
struct Computed {
    /// Facet values, each with the lowest ceiling it is seen under.
    tags: Vec<(Facet, String, Sensitivity)>,
    /// Interview dates with their statements' sensitivity.
    interview_dates: Vec<(String, Sensitivity)>,
    /// Active statements by sensitivity (public, internal, restricted).
    statements: [u64; 3],
}

/// Where a summary's value goes: a facet ([`Facet::index`], 0 to 5), or the interview date.
const DATE: usize = 6;

/// Facets and the interview date.
const FIELDS: usize = 7;

/// One value of a testimony's summary: its field, its number among that field's values, and the lowest
/// ceiling that sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Tag {
    value: u32,
    field: u8,
    ceiling: Sensitivity,
}

/// One testimony in the index. Its values are a range of the index's one array of tags, so that a request reads
/// memory in order rather than following a pointer per testimony.
#[derive(Debug, Clone)]
struct Entry {
    id: SourceId,
    synthetic: bool,
    /// Where its tags are: start and end.
    tags: (u32, u32),
    segments: u64,
    statements: [u64; 3],
}

/// The summaries of every testimony whose witness did not withdraw consent to every use, as of one statements
/// version.
#[derive(Debug)]
struct Index {
    version: u64,
    values: [Values; FIELDS],
    tags: Vec<Tag>,
    /// In id order.
    entries: Vec<Entry>,
}

/// The index kept between requests, and the lock that lets one caller at a time make it.
#[derive(Default)]
pub(crate) struct IndexCache {
    current: RwLock<Option<Arc<Index>>>,
    building: Mutex<()>,
    /// How many times the summaries were made or brought up to date.
    made: std::sync::atomic::AtomicU64,
}

impl std::fmt::Debug for IndexCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let version = self.current().map(|index| index.version);
        f.debug_struct("IndexCache").field("version", &version).finish()
    }
}

impl IndexCache {
    fn current(&self) -> Option<Arc<Index>> {
        self.current.read().unwrap_or_else(PoisonError::into_inner).clone()
    }

    fn at(&self, version: u64) -> Option<Arc<Index>> {
        self.current().filter(|index| index.version == version)
    }
}

fn level(sensitivity: Sensitivity) -> usize {
    match sensitivity {
        Sensitivity::Public => 0,
        Sensitivity::Internal => 1,
        Sensitivity::Restricted => 2,
    }
}

const LEVELS: [Sensitivity; 3] = [Sensitivity::Public, Sensitivity::Internal, Sensitivity::Restricted];

/// Who recorded a coders' source's active statements, each with the lowest sensitivity of theirs.
fn coder_tags(statements: &[Statement]) -> Vec<(String, Sensitivity)> {
    let mut coders: BTreeMap<&str, Sensitivity> = BTreeMap::new();
    for statement in statements {
        let lowest = coders.entry(statement.recorded_by.as_str()).or_insert(statement.sensitivity);
        *lowest = (*lowest).min(statement.sensitivity);
    }
    coders.into_iter().map(|(name, sensitivity)| (name.to_string(), sensitivity)).collect()
}

/// What one testimony's summary says: its facet values and counts, each value from the statements under each
/// ceiling alone (the measures of `clew aggregate`, made three times over the statements each ceiling shows).
fn compute(
    id: &SourceId,
    statements: Vec<Statement>,
    importer: Option<&str>,
    coders: &[(String, Sensitivity)],
    rules: &Rules,
    taxonomy: &Taxonomy,
) -> Computed {
    let mut computed = Computed::default();
    let mut own_lowest: Option<Sensitivity> = None;
    for statement in &statements {
        computed.statements[level(statement.sensitivity)] += 1;
        if statement.source_id == *id {
            own_lowest = Some(own_lowest.map_or(statement.sensitivity, |s| s.min(statement.sensitivity)));
        }
        if statement.entity_id.as_str() == id.as_str() && statement.property == "interviewDate" {
            computed.interview_dates.push((statement.value.clone(), statement.sensitivity));
        }
    }
    let mut tags: Vec<(Facet, String, Sensitivity)> = Vec::new();
    let mut tag = |facet: Facet, value: &str, sensitivity: Sensitivity| {
        if !tags.iter().any(|(f, v, _)| *f == facet && v == value) {
            tags.push((facet, value.to_string(), sensitivity));
        }
    };
    if let (Some(importer), Some(lowest)) = (importer, own_lowest) {
        tag(Facet::Coder, importer, lowest);
    }
    for (coder, sensitivity) in coders {
        tag(Facet::Coder, coder, *sensitivity);
    }
    let measured: Vec<Statement> =
        statements.into_iter().filter(|s| MEASURE_SCHEMATA.contains(&s.schema.as_str())).collect();
    let mut seen = 0;
    for ceiling in LEVELS {
        let under = measured.iter().filter(|s| s.sensitivity <= ceiling).count();
        // Nothing new under this ceiling: the same measures as under the one below.
        if under == seen {
            continue;
        }
        seen = under;
        let spells = if under == measured.len() {
            spell_measures(&measured, rules, taxonomy)
        } else {
            let subset: Vec<Statement> = measured.iter().filter(|s| s.sensitivity <= ceiling).cloned().collect();
            spell_measures(&subset, rules, taxonomy)
        };
        for spell in spells {
            let groups = [
                (Facet::Sector, spell.sector.as_deref()),
                (Facet::Region, spell.region.as_deref()),
                (Facet::Year, spell.year.as_deref()),
                (Facet::Visa, spell.visa.as_deref()),
                (Facet::Outcome, Some(spell.icls.code())),
            ];
            for (facet, value) in groups {
                if let Some(value) = value {
                    tag(facet, value, ceiling);
                }
            }
        }
    }
    computed.tags = tags;
    computed
}

/// What a testimony's summary takes from its source's row: whether it is synthetic, its segments.
struct Listed {
    synthetic: bool,
    segments: u64,
}

impl Index {
    /// A testimony's entry, its values numbered and put at the end of `tags`.
    fn entry(
        values: &mut [Values; FIELDS],
        tags: &mut Vec<Tag>,
        id: SourceId,
        listed: &Listed,
        computed: Computed,
    ) -> Entry {
        let start = tags.len() as u32;
        for (facet, value, ceiling) in &computed.tags {
            let value = values[facet.index()].number(value);
            tags.push(Tag { value, field: facet.index() as u8, ceiling: *ceiling });
        }
        let mut dates: Vec<(String, Sensitivity)> = Vec::new();
        for (date, ceiling) in computed.interview_dates {
            match dates.iter_mut().find(|(known, _)| *known == date) {
                Some((_, lowest)) => *lowest = (*lowest).min(ceiling),
                None => dates.push((date, ceiling)),
            }
        }
        for (date, ceiling) in dates {
            tags.push(Tag { value: values[DATE].number(&date), field: DATE as u8, ceiling });
        }
        Entry {
            id,
            synthetic: listed.synthetic,
            tags: (start, tags.len() as u32),
            segments: listed.segments,
            statements: computed.statements,
        }
    }

    fn tags(&self, entry: &Entry) -> &[Tag] {
        self.tags.get(entry.tags.0 as usize..entry.tags.1 as usize).unwrap_or_default()
    }

    /// Every summary made anew, in one pass over every testimony (reading on this thread, summarising on
    /// another, as `clew assess` does).
    fn build(store: &dyn ReadTx, version: u64) -> Result<Index> {
        type Testimonies = Vec<(SourceId, Vec<Statement>)>;
        const BATCH: usize = 128;
        let (rules, taxonomy) = (rules(None)?, taxonomy()?);
        let listing: Vec<_> = store
            .source_listing(SourceKind::Testimony)?
            .into_iter()
            .filter(|listed| listed.withdrawn.as_deref() != Some("all"))
            .collect();
        let importers: HashMap<&SourceId, &str> =
            listing.iter().map(|l| (&l.source.id, l.source.imported_by.as_str())).collect();
        let mut coders: HashMap<SourceId, Vec<(String, Sensitivity)>> = HashMap::new();
        for coding in store.source_listing(SourceKind::Coding)? {
            if let Some(testimony) = coded_testimony(&coding.source.id) {
                coders.insert(testimony, coder_tags(&store.source_statements(&coding.source.id)?));
            }
        }
        let (send, receive) = std::sync::mpsc::sync_channel::<Testimonies>(4);
        let mut computed = std::thread::scope(|scope| -> Result<HashMap<SourceId, Computed>> {
            let (rules, importers, coders) = (&rules, &importers, &coders);
            let summariser = scope.spawn(move || {
                let mut computed = HashMap::new();
                for (id, statements) in receive.into_iter().flatten() {
                    let importer = importers.get(&id).copied();
                    let coders = coders.get(&id).map_or(&[][..], Vec::as_slice);
                    let summary = compute(&id, statements, importer, coders, rules, taxonomy);
                    computed.insert(id, summary);
                }
                computed
            });
            let stopped = || clew_store::Error::internal("making the testimonies' summaries stopped");
            let mut batch = Vec::with_capacity(BATCH);
            let read = store
                .for_each_testimony(&[], &mut |id, statements| {
                    batch.push((id, statements));
                    if batch.len() == BATCH {
                        send.send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH))).map_err(|_| stopped())?;
                    }
                    Ok(())
                })
                .and_then(|()| send.send(batch).map_err(|_| stopped()));
            drop(send);
            let computed =
                summariser.join().map_err(|_| Error::internal("making the testimonies' summaries failed"))?;
            read?;
            Ok(computed)
        })?;
        let mut listing = listing;
        listing.sort_by(|a, b| a.source.id.cmp(&b.source.id));
        let mut values: [Values; FIELDS] = Default::default();
        let mut tags = Vec::new();
        let mut entries = Vec::with_capacity(listing.len());
        for listed in listing {
            let source = listed.source;
            let about = Listed { synthetic: source.synthetic, segments: listed.segments };
            let summary = computed.remove(&source.id).unwrap_or_default();
            entries.push(Index::entry(&mut values, &mut tags, source.id, &about, summary));
        }
        Ok(Index { version, values, tags, entries })
    }

    /// The index brought up to `version` by making again the summaries of the testimonies written since its
    /// own (they are few after a coder's fact or a small import); `None` when there are too many, and every
    /// summary is better made anew.
    fn updated(&self, store: &dyn ReadTx, version: u64) -> Result<Option<Index>> {
        let mut testimonies = BTreeSet::new();
        for (source, kind) in store.sources_written_since(self.version)? {
            // Other sources (assessments and screenings recorded, FtM files) say nothing a summary shows.
            let testimony = match kind {
                SourceKind::Testimony => source,
                SourceKind::Coding => match coded_testimony(&source) {
                    Some(testimony) => testimony,
                    None => continue,
                },
                SourceKind::FtmFile | SourceKind::Assessment | SourceKind::Screening => continue,
            };
            if testimonies.len() == UPDATE_ONE_BY_ONE {
                return Ok(None);
            }
            testimonies.insert(testimony);
        }
        let (rules, taxonomy) = (rules(None)?, taxonomy()?);
        // Each changed testimony's summary anew; `None` for one that is no longer listed.
        let mut fresh: BTreeMap<SourceId, Option<(Listed, Computed)>> = BTreeMap::new();
        for id in testimonies {
            let Some(source) = store.source(&id)?.filter(|s| s.kind == SourceKind::Testimony) else { continue };
            if store.consent(&id)?.and_then(|c| c.withdrawn).as_deref() == Some("all") {
                fresh.insert(id, None);
                continue;
            }
            let statements = testimony_statements(store, &id)?;
            let coders = match coding_source(&id) {
                Ok(coding) => coder_tags(&store.source_statements(&coding)?),
                Err(_) => Vec::new(),
            };
            let listed = Listed { synthetic: source.synthetic, segments: store.segments(&id)?.len() as u64 };
            let summary = compute(&id, statements, Some(&source.imported_by), &coders, &rules, taxonomy);
            fresh.insert(id, Some((listed, summary)));
        }
        let mut values = self.values.clone();
        let mut tags = Vec::with_capacity(self.tags.len() + 64);
        let mut entries = Vec::with_capacity(self.entries.len() + fresh.len());
        let mut kept = self.entries.iter().peekable();
        let keep = |entry: &Entry, tags: &mut Vec<Tag>| {
            let start = tags.len() as u32;
            tags.extend_from_slice(self.tags(entry));
            Entry { tags: (start, tags.len() as u32), ..entry.clone() }
        };
        for (id, summary) in fresh {
            while let Some(entry) = kept.next_if(|entry| entry.id < id) {
                entries.push(keep(entry, &mut tags));
            }
            kept.next_if(|entry| entry.id == id);
            if let Some((listed, computed)) = summary {
                entries.push(Index::entry(&mut values, &mut tags, id, &listed, computed));
            }
        }
        for entry in kept {
            entries.push(keep(entry, &mut tags));
        }
        Ok(Some(Index { version, values, tags, entries }))
    }

    fn summary(&self, entry: &Entry, ceiling: Sensitivity) -> TestimonySummary {
        let mut by_field: [Vec<String>; FIELDS] = Default::default();
        for tag in self.tags(entry) {
            let field = usize::from(tag.field);
            if tag.ceiling <= ceiling {
                by_field[field].push(self.values[field].texts[tag.value as usize].to_string());
            }
        }
        let [mut sectors, mut regions, mut years, mut visas, mut outcomes, mut coders, dates] = by_field;
        for values in [&mut sectors, &mut regions, &mut years, &mut visas, &mut outcomes, &mut coders] {
            values.sort();
        }
        TestimonySummary {
            id: entry.id.clone(),
            interview_date: dates.into_iter().next(),
            synthetic: entry.synthetic,
            sectors,
            regions,
            years,
            visas,
            outcomes,
            coders,
            segments: (ceiling >= Sensitivity::Internal).then_some(entry.segments),
            statements: entry.statements[..=level(ceiling)].iter().sum(),
        }
    }

    fn page(
        &self,
        model: &Model,
        filter: &TestimonyFilter,
        ceiling: Sensitivity,
        after: Option<&SourceId>,
        limit: usize,
    ) -> TestimonyPage {
        // A value asked for that no testimony has matches nothing.
        let wanted: Vec<(u8, Option<u32>)> = Facet::ALL
            .into_iter()
            .filter_map(|facet| {
                let text = filter.get(facet)?;
                Some((facet.index() as u8, self.values[facet.index()].numbers.get(text).copied()))
            })
            .collect();
        let mut counts: [Vec<u64>; 6] = Default::default();
        for facet in Facet::ALL {
            counts[facet.index()] = vec![0; self.values[facet.index()].texts.len()];
        }
        let start = after.map_or(0, |after| self.entries.partition_point(|entry| entry.id <= *after));
        let (mut total, mut synthetic, mut more) = (0, false, false);
        let mut page = Vec::new();
        for (index, entry) in self.entries.iter().enumerate() {
            let tags = self.tags(entry);
            // The filters it fails: none, it is listed; one, it counts towards that facet's other values.
            let (mut fails, mut failed) = (0, 0);
            for (field, value) in &wanted {
                let holds = tags.iter().any(|t| t.field == *field && Some(t.value) == *value && t.ceiling <= ceiling);
                if !holds {
                    fails += 1;
                    failed = *field;
                    if fails > 1 {
                        break;
                    }
                }
            }
            if fails > 1 {
                continue;
            }
            for tag in tags {
                if usize::from(tag.field) < DATE && tag.ceiling <= ceiling && (fails == 0 || tag.field == failed) {
                    counts[usize::from(tag.field)][tag.value as usize] += 1;
                }
            }
            if fails > 0 {
                continue;
            }
            total += 1;
            synthetic |= entry.synthetic;
            if index >= start {
                if page.len() < limit {
                    page.push(self.summary(entry, ceiling));
                } else {
                    more = true;
                }
            }
        }
        let facets = Facet::ALL
            .into_iter()
            .map(|facet| {
                let texts = &self.values[facet.index()].texts;
                let mut values: Vec<FacetValue> = counts[facet.index()]
                    .iter()
                    .enumerate()
                    .filter(|(_, count)| **count > 0)
                    .map(|(number, count)| {
                        let value = texts[number].to_string();
                        FacetValue { label: label(model, facet, &value), value, count: *count }
                    })
                    .collect();
                values.sort_by(|a, b| a.value.cmp(&b.value));
                FacetCounts { facet, values }
            })
            .collect();
        let next = if more { page.last().map(|summary: &TestimonySummary| summary.id.clone()) } else { None };
        TestimonyPage { testimonies: page, next, total, facets, synthetic }
    }
}

/// The ICLS 2018 outcomes, for their labels.
const OUTCOMES: [Outcome; 6] = [
    Outcome::Undetermined,
    Outcome::None,
    Outcome::NoStrong,
    Outcome::InvOnly,
    Outcome::CoeOnly,
    Outcome::ForcedLabour,
];

/// A facet value in words: a code's label from its list (sectors, permit purposes), an outcome's label, else
/// the value itself.
fn label(model: &Model, facet: Facet, value: &str) -> String {
    let list = |name: &str| model.codes.get(name).and_then(|codes| codes.get(value)).cloned();
    let found = match facet {
        Facet::Sector => list("sector"),
        Facet::Visa => list("permitPurpose"),
        Facet::Outcome => OUTCOMES.iter().find(|o| o.code() == value).map(|o| o.label().to_string()),
        Facet::Region | Facet::Year | Facet::Coder => None,
    };
    found.unwrap_or_else(|| value.to_string())
}

/// The segment a locator cites (`segment:ID` or `segment:ID#chars=A-B`), if it cites one.
fn cited_segment(locator: &str) -> Option<&str> {
    let segment = locator.strip_prefix("segment:")?;
    Some(segment.split('#').next().unwrap_or(segment))
}

/// The name of an entity made from its statements under the ceiling only, when it has one other than its id.
/// The name of entity `id` as a reader with `ceiling` sees it (from statements at or under it), when it has one
/// other than its id.
pub(crate) fn name_under(model: &Model, store: &dyn ReadTx, id: &str, ceiling: Sensitivity) -> Result<Option<String>> {
    let Ok(id) = EntityId::new(id) else { return Ok(None) };
    Ok(entity_under(model, store, &id, ceiling)?.map(|e| e.caption(model)).filter(|caption| *caption != id.as_str()))
}

/// Entity `id` as a reader with `ceiling` sees it (from statements at or under it), if any is theirs to see.
pub(crate) fn entity_under(
    model: &Model,
    store: &dyn ReadTx,
    id: &EntityId,
    ceiling: Sensitivity,
) -> Result<Option<Entity>> {
    let statements: Vec<Statement> =
        store.statements_for_entity(id)?.into_iter().filter(|s| s.sensitivity <= ceiling).collect();
    Ok(Entity::assemble(model, id, statements))
}

/// A refusal of a fact, naming the field.
fn problem(field: &str, message: impl Into<String>) -> Diagnostic {
    Diagnostic { file: None, pos: None, path: field.to_string(), message: message.into() }
}

/// The problems of a coder's fact: each in English (a diagnostic at its field) and as a [`Reason`] a server
/// says in its reader's language.
#[derive(Default)]
struct FactProblems {
    diagnostics: Vec<Diagnostic>,
    reasons: Vec<crate::Reason>,
}

impl FactProblems {
    fn add(&mut self, field: &str, id: &'static str, args: &[(&'static str, &str)], english: impl Into<String>) {
        debug_assert!(crate::error::REASONS.contains(&id), "{id}");
        self.diagnostics.push(problem(field, english));
        let args = args.iter().map(|(name, value)| (*name, value.to_string())).collect();
        self.reasons.push(crate::Reason { field: field.to_string(), id, args });
    }

    fn is_empty(&self) -> bool {
        self.diagnostics.is_empty()
    }

    fn into_error(self) -> Error {
        Error::invalid(self.diagnostics).with_reasons(self.reasons)
    }
}

impl Service {
    /// The summaries as of the project's statements now: kept from an earlier request while no statement was
    /// added, brought up to date otherwise (one caller at a time; the others wait for it and use what it made).
    fn testimony_index(&self) -> Result<Arc<Index>> {
        let version = self.project.read()?.statements_version()?;
        if let Some(index) = self.browse.at(version) {
            return Ok(index);
        }
        let _building = self.browse.building.lock().unwrap_or_else(PoisonError::into_inner);
        let store = self.project.read()?;
        let version = store.statements_version()?;
        let earlier = self.browse.current();
        if let Some(index) = earlier.as_ref().filter(|index| index.version == version) {
            return Ok(index.clone());
        }
        let updated = match &earlier {
            Some(earlier) if earlier.version < version => earlier.updated(&*store, version)?,
            _ => None,
        };
        let index = Arc::new(match updated {
            Some(index) => index,
            None => Index::build(&*store, version)?,
        });
        *self.browse.current.write().unwrap_or_else(PoisonError::into_inner) = Some(index.clone());
        self.browse.made.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(index)
    }

    /// Makes the testimonies' summaries now, if the project's statements changed since they were made: a server
    /// calls it when it starts, so that no request waits for the first pass over every testimony.
    pub fn prepare_testimonies(&self) -> Result<()> {
        self.testimony_index().map(|_| ())
    }

    /// Testimonies matching `filter`, in id order after `after`, at most `limit`, each summarised as the
    /// `ceiling` lets its reader see it, with the number matching and each facet's values and counts (see
    /// [`TestimonyPage::facets`]). Testimonies whose witness withdrew consent to every use are not listed. A
    /// spell's values are those of `clew aggregate` (its measures under the built-in rules), each shown only to
    /// the ceilings whose statements alone give it.
    pub fn testimonies(
        &self,
        filter: &TestimonyFilter,
        ceiling: Sensitivity,
        after: Option<&SourceId>,
        limit: usize,
    ) -> Result<TestimonyPage> {
        let model = model()?;
        Ok(self.testimony_index()?.page(model, filter, ceiling, after, limit))
    }

    /// One testimony, from one snapshot, as the `ceiling` lets its reader see it: its source, its consent's
    /// non-identifying parts, each segment with the statements citing it (its coders' included, with whether
    /// each still stands) and the findings resting on them, the statements citing no segment, and its spells'
    /// outcomes. The assessment is made under the built-in rules from the statements under the ceiling. A
    /// testimony whose witness withdrew consent to every use shows its head only.
    pub fn testimony(&self, id: &SourceId, ceiling: Sensitivity) -> Result<TestimonyView> {
        let (model, taxonomy, rules) = (model()?, taxonomy()?, rules(None)?);
        let store = &*self.project.read()?;
        let source = store
            .source(id)?
            .filter(|s| s.kind == SourceKind::Testimony)
            .ok_or_else(|| Error::new(Code::NotFound, format!("there is no testimony `{id}` in this project")))?;
        let consent = clew_disclosure::package::source_consent(store, id)?;
        let withdrawn = consent.as_ref().and_then(|(_, withdrawn)| withdrawn.clone());
        let mut view = TestimonyView {
            id: id.clone(),
            kind: source.kind,
            generation: source.generation,
            synthetic: source.synthetic,
            imported_at: source.imported_at.clone(),
            imported_by: source.imported_by.clone(),
            title: None,
            interview_date: None,
            language: None,
            consent: consent.map(|(record, withdrawn)| ConsentSummary {
                version: record.version,
                date: (ceiling >= Sensitivity::Internal).then(|| record.date.to_string()),
                uses: record.uses,
                quotation: record.quotation,
                pseudonym_publication: record.pseudonym_publication,
                audio: record.audio,
                video: record.video,
                withdrawn,
            }),
            segments: Vec::new(),
            apart: Vec::new(),
            findings_apart: Vec::new(),
            outcomes: Vec::new(),
        };
        if withdrawn.as_deref() == Some("all") {
            return Ok(view);
        }
        let mut history = store.source_history(id)?;
        if let Ok(coding) = coding_source(id) {
            history.extend(store.source_history(&coding)?);
        }
        // Who retracted what: a retraction by the testimony itself ends an earlier generation; one in its coders'
        // source supersedes, and the first other statement that write added is what replaced it.
        let mut written_first: HashMap<BatchId, &Statement> = HashMap::new();
        for (batch, statement) in &history {
            if statement.retracts.is_none() && statement.source_id != *id {
                written_first.entry(*batch).or_insert(statement);
            }
        }
        let mut superseded: HashMap<&StatementId, StatementStatus> = HashMap::new();
        for (batch, statement) in &history {
            if let Some(retracted) = &statement.retracts
                && statement.source_id != *id
            {
                // A replacement above the ceiling is not named (not even by its id).
                let replacement = written_first.get(batch).filter(|s| s.sensitivity <= ceiling).map(|s| s.id.clone());
                let status = StatementStatus::Superseded {
                    by: statement.recorded_by.clone(),
                    at: statement.recorded_at.clone(),
                    replacement,
                };
                superseded.insert(retracted, status);
            }
        }
        let retracted: BTreeSet<&StatementId> = history.iter().filter_map(|(_, s)| s.retracts.as_ref()).collect();
        // The testimony's statements of its current generation and every statement of its coders.
        let current = |s: &Statement| {
            s.source_id != *id
                || Statement::compute_id(
                    &s.entity_id,
                    &s.schema,
                    &s.property,
                    &s.value,
                    &s.source_id,
                    &s.locator,
                    source.generation,
                ) == s.id
        };
        let shown: Vec<&Statement> = history
            .iter()
            .map(|(_, s)| s)
            .filter(|s| s.retracts.is_none() && s.sensitivity <= ceiling && current(s))
            .collect();
        let active: Vec<Statement> =
            shown.iter().filter(|s| !retracted.contains(&s.id)).map(|s| (*s).clone()).collect();
        for statement in &active {
            if statement.entity_id.as_str() == id.as_str() {
                let slot = match statement.property.as_str() {
                    "title" => &mut view.title,
                    "interviewDate" => &mut view.interview_date,
                    "language" => &mut view.language,
                    _ => continue,
                };
                slot.get_or_insert_with(|| statement.value.clone());
            }
        }
        // Names, each made once, from statements under the ceiling: as this testimony and its coders name an
        // entity (an employer named in thousands of testimonies is not read whole for each page), and as the
        // project does an entity the testimony says nothing about.
        let mut described: HashMap<&str, Vec<Statement>> = HashMap::new();
        for statement in &active {
            described.entry(statement.entity_id.as_str()).or_default().push(statement.clone());
        }
        let mut names: HashMap<String, Option<String>> = HashMap::new();
        let mut name = |entity: &str| -> Result<Option<String>> {
            if let Some(found) = names.get(entity) {
                return Ok(found.clone());
            }
            let found = match (described.remove(entity), EntityId::new(entity)) {
                (Some(statements), Ok(id)) => Entity::assemble(model, &id, statements)
                    .map(|e| e.caption(model))
                    .filter(|caption| *caption != id.as_str()),
                _ => name_under(model, store, entity, ceiling)?,
            };
            names.insert(entity.to_string(), found.clone());
            Ok(found)
        };
        let segments = store.segments(id)?;
        let mut placed: BTreeMap<String, SegmentView> = segments
            .into_iter()
            .map(|segment| {
                let words = (ceiling >= Sensitivity::Internal).then_some(SegmentWords {
                    lang: segment.lang,
                    text: segment.text,
                    translation: segment.translation,
                });
                (
                    segment.id.clone(),
                    SegmentView { id: segment.id, words, statements: Vec::new(), findings: Vec::new() },
                )
            })
            .collect();
        for statement in shown {
            let reference =
                model.property(&statement.schema, &statement.property).is_ok_and(|p| p.kind == PropertyType::Entity);
            let statement_view = StatementView {
                id: statement.id.clone(),
                source: statement.source_id.clone(),
                entity: statement.entity_id.clone(),
                entity_name: name(statement.entity_id.as_str())?,
                schema: statement.schema.to_string(),
                property: statement.property.to_string(),
                value: statement.value.clone(),
                value_name: if reference { name(&statement.value)? } else { None },
                locator: statement.locator.clone(),
                sensitivity: statement.sensitivity,
                recorded_by: statement.recorded_by.clone(),
                recorded_at: statement.recorded_at.clone(),
                status: superseded.get(&statement.id).cloned().unwrap_or(StatementStatus::Active),
            };
            match cited_segment(&statement.locator).and_then(|segment| placed.get_mut(segment)) {
                Some(segment) => segment.statements.push(statement_view),
                None => view.apart.push(statement_view),
            }
        }
        let assessment = clew_assess::assess(id, &active, &rules, taxonomy);
        for spell in &assessment.spells {
            view.outcomes.push(SpellOutcome {
                spell: spell.spell.clone(),
                icls: spell.icls.code().to_string(),
                icls_label: spell.icls.label().to_string(),
            });
            for finding in &spell.findings {
                let finding_view = FindingView {
                    spell: spell.spell.clone(),
                    rule: finding.rule.clone(),
                    summary: finding.summary.clone(),
                    codes: finding
                        .codes
                        .iter()
                        .map(|code| CodeLabel {
                            code: code.clone(),
                            label: taxonomy.code(code).map_or_else(|| code.clone(), |c| c.name.clone()),
                        })
                        .collect(),
                    evidence: finding.evidence.iter().map(|fact| fact.statement.clone()).collect(),
                };
                let cited: BTreeSet<&str> =
                    finding.evidence.iter().filter_map(|fact| cited_segment(&fact.locator)).collect();
                let mut anywhere = false;
                for segment in cited {
                    if let Some(segment) = placed.get_mut(segment) {
                        segment.findings.push(finding_view.clone());
                        anywhere = true;
                    }
                }
                if !anywhere {
                    view.findings_apart.push(finding_view);
                }
            }
        }
        view.segments = placed.into_values().collect();
        Ok(view)
    }

    /// Adds a coder's fact citing a segment of a testimony, or corrects one (`replaces`), for `actor`: nothing
    /// is edited. The fact is a new statement and a correction also a retraction of the statement it replaces,
    /// both in the testimony's coders' source, `code:TESTIMONY` (a source of kind `coding`, made at its first
    /// fact; the note, when given, a `notes` statement beside the fact). They live there, not in the testimony,
    /// because importing a changed testimony file retracts every statement of the testimony's earlier
    /// generation: there they would be dropped without a word, and written again by no one. Kept apart, they
    /// stay, and come with the testimony wherever its statements go (analyses, the entity's page, packages,
    /// under its consent and withdrawal); a fact whose segment the new file no longer has is shown apart from
    /// the segments, and a value the new file says again (as a statement of its new generation) stands beside
    /// the correction until a coder replaces it too. The statement's locator cites the testimony's segment.
    ///
    /// Everything is checked against the model and the project inside the write's transaction, and any problem
    /// refuses the whole fact with every problem named by its field (`segment`, `entity`, `schema`, `property`,
    /// `value`, `replaces`, `note`), writing nothing. The fact's sensitivity is restricted when its property is
    /// sensitive, it is about or points at a witness, its entity is part of a work spell or already has
    /// restricted statements, or it replaces a restricted statement; internal otherwise. One custody event
    /// (`fact-add`) records it, with the ids written and never a value.
    pub fn add_fact(&self, actor: &Actor, fact: &NewFact) -> Result<AddedFact> {
        let model = model()?;
        let batch = crate::batch(actor, EventKind::FactAdd.as_str());
        let mut tx = self.project.store().write(&batch)?;
        let reads = tx.reads();
        let testimony = &fact.testimony;
        let source = reads.source(testimony)?.filter(|s| s.kind == SourceKind::Testimony).ok_or_else(|| {
            Error::new(Code::NotFound, format!("there is no testimony `{testimony}` in this project"))
        })?;
        let withdrawn = reads.consent(testimony)?.and_then(|c| c.withdrawn);
        if withdrawn.as_deref() == Some("all") {
            return Err(Error::usage(format!(
                "the witness of `{testimony}` withdrew consent to every use: nothing is added to it"
            )));
        }
        let coding = coding_source(testimony).map_err(|e| Error::usage(format!("testimony: {e}")))?;
        let mut problems = FactProblems::default();
        if reads.segment(testimony, &fact.segment)?.is_none() {
            problems.add(
                "segment",
                "reason-no-segment",
                &[("segment", &fact.segment)],
                format!("testimony `{testimony}` has no segment `{}` (in its current generation)", fact.segment),
            );
        }
        // The entity: one the project has (its schema is what its statements say, or a more specific one
        // given), or a new one of the schema given.
        let existing = Entity::assemble(model, &fact.entity, reads.statements_for_entity(&fact.entity)?);
        let given = fact.schema.trim();
        let entity_id = fact.entity.as_str();
        let schema: Option<String> = match &existing {
            Some(entity) if given.is_empty() => Some(entity.schema.clone()),
            Some(entity) => match model.common_schema(&entity.schema, given) {
                Some(common) => Some(common.to_string()),
                None => {
                    problems.add(
                        "schema",
                        "reason-kind-mismatch",
                        &[("entity", entity_id), ("kind", &entity.schema), ("given", given)],
                        format!("`{}` is a {}, which a {given} is not", fact.entity, entity.schema),
                    );
                    None
                }
            },
            None => {
                if entity_id.contains(DERIVED_ID_MARK) {
                    let mark = DERIVED_ID_MARK.to_string();
                    problems.add(
                        "entity",
                        "reason-derived-id",
                        &[("mark", &mark)],
                        format!("a new entity's id may not hold `{DERIVED_ID_MARK}` (kept for ids clew derives)"),
                    );
                }
                match model.schema(given) {
                    _ if given.is_empty() => {
                        problems.add(
                            "schema",
                            "reason-kind-needed",
                            &[("entity", entity_id)],
                            format!("`{}` is a new entity: give its schema", fact.entity),
                        );
                        None
                    }
                    Some(found) if !found.is_abstract => Some(found.name.clone()),
                    Some(found) => {
                        problems.add(
                            "schema",
                            "reason-kind-too-general",
                            &[("kind", &found.name)],
                            format!("`{}` is abstract: give a schema under it", found.name),
                        );
                        None
                    }
                    None => {
                        problems.add(
                            "schema",
                            "reason-unknown-kind",
                            &[("kind", given)],
                            model.unknown_schema(given).to_string(),
                        );
                        None
                    }
                }
            }
        };
        let mut value = None;
        let mut sensitive = false;
        if let Some(schema) = &schema {
            match model.property(schema, &fact.property) {
                Err(error) => problems.add(
                    "property",
                    "reason-unknown-property",
                    &[("kind", schema), ("property", &fact.property)],
                    error.to_string(),
                ),
                Ok(property) if property.name == "synthetic" || property.name == "notes" => problems.add(
                    "property",
                    "reason-written-by-clew",
                    &[("property", &property.name)],
                    format!("`{}` is written by clew (a note goes in the note)", property.name),
                ),
                Ok(property) if fact.value.chars().count() > MAX_FACT_CHARS => {
                    let max = MAX_FACT_CHARS.to_string();
                    problems.add(
                        "value",
                        "reason-too-long",
                        &[("max", &max)],
                        format!("at most {MAX_FACT_CHARS} characters"),
                    );
                    sensitive = property.sensitive;
                }
                Ok(property) => {
                    sensitive = property.sensitive;
                    match model.normalize_typed(property, &fact.value) {
                        Err(message) => problems.add(
                            "value",
                            "reason-bad-value",
                            &[("property", &property.label), ("kind", property.kind.name())],
                            format!("{schema}.{}: {message}", property.name),
                        ),
                        Ok(normal) if property.kind == PropertyType::Entity => {
                            match check_reference(model, reads, &normal, property.range.as_deref())? {
                                Some(message) => problems.add(
                                    "value",
                                    "reason-no-entity",
                                    &[("entity", &normal), ("kind", property.range.as_deref().unwrap_or("Thing"))],
                                    message,
                                ),
                                None => value = Some(normal),
                            }
                        }
                        Ok(normal) => value = Some(normal),
                    }
                }
            }
        }
        let note = fact.note.trim();
        if note.chars().count() > MAX_FACT_CHARS {
            let max = MAX_FACT_CHARS.to_string();
            problems.add("note", "reason-too-long", &[("max", &max)], format!("at most {MAX_FACT_CHARS} characters"));
        }
        // What it replaces: an active statement of this testimony (its own, or one its coders added).
        let mut replaced: Option<Statement> = None;
        if let Some(replaces) = &fact.replaces {
            let found = testimony_statements(reads, testimony)?.into_iter().find(|s| s.id == *replaces);
            match found {
                Some(statement) => replaced = Some(statement),
                None => problems.add(
                    "replaces",
                    "reason-not-replaceable",
                    &[("statement", &replaces.to_string())],
                    format!("`{replaces}` is not an active statement of testimony `{testimony}`"),
                ),
            }
        }
        let (Some(schema), Some(value), true) = (schema, value, problems.is_empty()) else {
            return Err(problems.into_error());
        };
        // Sensitivity: as intake decides it, and never below what the entity or the replaced statement already is.
        let is_witness = |text: &str| text.starts_with("witness:");
        let in_spell = SPELL_SCHEMATA.iter().any(|spell| model.schema(&schema).is_some_and(|s| s.is_a(spell)));
        let restricted_already = existing
            .as_ref()
            .is_some_and(|e| e.properties.values().flatten().any(|s| s.sensitivity == Sensitivity::Restricted));
        let sensitivity = if sensitive
            || is_witness(fact.entity.as_str())
            || is_witness(&value)
            || in_spell
            || restricted_already
            || replaced.as_ref().is_some_and(|s| s.sensitivity == Sensitivity::Restricted)
        {
            Sensitivity::Restricted
        } else {
            Sensitivity::Internal
        };
        let property = model.property(&schema, &fact.property).map_err(|e| Error::internal(e.to_string()))?;
        let draft = SourceDraft {
            id: coding.clone(),
            kind: SourceKind::Coding,
            title: format!("Coders' facts on {testimony}"),
            // Never changes, so that the source is never taken for a changed one (which would retract every
            // fact in it).
            content_hash: clew_model::ids::sha256_hex(format!("clew coding source\n{testimony}\n").as_bytes()),
            synthetic: source.synthetic,
            withdrawn,
        };
        let generation = match tx.put_source(&draft)? {
            SourceOutcome::New { generation } | SourceOutcome::Unchanged { generation } => generation,
            SourceOutcome::Changed { .. } => {
                return Err(Error::internal(format!(
                    "the coders' source of `{testimony}` was taken for a changed one"
                )));
            }
        };
        let locator = format!("segment:{}", fact.segment);
        let (recorded_by, recorded_at) = (batch.recorded_by.as_str(), batch.recorded_at.as_str());
        let statement = |property: &str, value: String, locator: String| {
            let claim = Claim {
                entity_id: fact.entity.clone(),
                schema: &schema,
                property,
                value,
                source_id: &coding,
                locator,
                generation,
            };
            Statement::new(claim, recorded_by, recorded_at, 1.0, sensitivity)
        };
        let added = statement(&property.name, value, locator.clone());
        // Statement ids are content hashes: the same fact again is the same statement, which is never written
        // twice (nor brought back once retracted).
        let before = tx.reads().source_history(&coding)?;
        if let Some((_, earlier)) = before.iter().find(|(_, s)| s.id == added.id) {
            let retracted = before.iter().any(|(_, s)| s.retracts.as_ref() == Some(&earlier.id));
            let why = if retracted { "was recorded before and since replaced" } else { "is already recorded" };
            return Err(Error::new(
                Code::Conflict,
                format!("this fact {why} (statement {}): nothing was written", earlier.id),
            ));
        }
        if let Some(same) = tx.reads().source_statements(testimony)?.iter().find(|s| {
            s.entity_id == added.entity_id
                && s.property == added.property
                && s.value == added.value
                && s.locator == locator
        }) {
            return Err(Error::new(
                Code::Conflict,
                format!("the testimony already says this (statement {}): nothing was written", same.id),
            ));
        }
        // The new statement first: the first statement a write adds beside a retraction is what replaced it.
        let mut written = vec![added.clone()];
        let retraction = replaced.as_ref().map(|replaced| {
            let mut retraction = replaced.retraction(recorded_by, recorded_at);
            retraction.source_id = coding.clone();
            retraction.id = StatementId::derive(&coding, &["retract", replaced.id.as_str()]);
            retraction
        });
        written.extend(retraction.clone());
        let note_statement = (!note.is_empty()).then(|| statement("notes", note.to_string(), locator.clone()));
        written.extend(note_statement.clone());
        if existing.is_none() && source.synthetic {
            written.push(statement("synthetic", "true".into(), "source".into()));
        }
        tx.put_statements(&written)?;
        let detail = serde_json::json!({
            "testimony": testimony.as_str(),
            "source": coding.as_str(),
            "segment": fact.segment,
            "entity": fact.entity.as_str(),
            "schema": schema,
            "property": property.name,
            "statement": added.id.as_str(),
            "replaces": replaced.as_ref().map(|s| s.id.as_str()),
            "note": note_statement.as_ref().map(|s| s.id.as_str()),
            "sensitivity": sensitivity.as_str(),
            "statements": written.len(),
            "statements_sha256": tx.batch_digest()?,
        });
        let event = clew_custody::record_event(tx.as_mut(), &batch, EventKind::FactAdd, &detail)?;
        tx.commit()?;
        Ok(AddedFact {
            statement: added.id,
            source: coding,
            replaced: replaced.map(|s| s.id),
            note: note_statement.map(|s| s.id),
            sensitivity,
            event,
        })
    }
}

/// Why an entity reference does not fit its property (`None` when it does): the entity must exist and be of
/// the property's range.
fn check_reference(model: &Model, store: &dyn ReadTx, id: &str, range: Option<&str>) -> Result<Option<String>> {
    let Ok(entity_id) = EntityId::new(id) else { return Ok(Some(format!("`{id}` is not an entity id"))) };
    let Some(entity) = Entity::assemble(model, &entity_id, store.statements_for_entity(&entity_id)?) else {
        return Ok(Some(format!("there is no entity `{id}` in this project")));
    };
    Ok(match range {
        Some(range) if !model.schema(&entity.schema).is_some_and(|s| s.is_a(range)) => {
            Some(format!("`{id}` is a {}, and this property takes a {range}", entity.schema))
        }
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::intake::{ImportFormat, Inputs};
    use crate::tests::{events, project};

    /// The synthetic example testimony of the repository (every person, company and place in it fictional).
    const EXAMPLE: &str = include_str!("../../../docs/examples/testimony-synthetic.yaml");
    const EXAMPLE_ID: &str = "T-EXAMPLE-0001";

    /// The example with its id and pseudonym changed and other words put for some (a variant, synthetic too).
    fn variant(id: &str, witness: &str, changes: &[(&str, &str)]) -> String {
        let mut text = EXAMPLE.replace(EXAMPLE_ID, id).replace("W-EX-0001", witness);
        for (from, to) in changes {
            assert!(text.contains(from), "{from}");
            text = text.replace(from, to);
        }
        text
    }

    /// Imports testimony texts for `who`.
    fn import(service: &Service, who: &str, texts: &[&str]) {
        let dir = tempfile::tempdir().unwrap();
        let mut files = Vec::new();
        for (index, text) in texts.iter().enumerate() {
            let path = dir.path().join(format!("t{index}.yaml"));
            std::fs::write(&path, text).unwrap();
            files.push(path.display().to_string());
        }
        let inputs = Inputs::expand(&files).unwrap();
        let actor = Actor::new(who).unwrap();
        let report = service.import(&actor, &inputs, &ImportFormat::Testimony, false, &mut |_| {}).unwrap();
        assert!(report.committed, "{report:?}");
    }

    /// A project with a custodian (the example has protected data) and three synthetic testimonies: the
    /// example and a copy of it imported by `tester`, and one of another sector, region, year and visa imported
    /// by `alice`.
    fn three() -> (tempfile::TempDir, Service, Actor) {
        let (dir, service, actor) = project();
        service.add_custodian(&actor, &clew_vault::new_custodian("test").key, "test").unwrap();
        import(&service, "tester", &[EXAMPLE, &variant("T-EXAMPLE-0003", "W-EX-0003", &[])]);
        let other = variant(
            "T-EXAMPLE-0002",
            "W-EX-0002",
            &[
                ("construction", "logging"),
                ("Primorsky Krai", "Khabarovsk Krai"),
                ("start: 2019-05", "start: 2017-05"),
                ("purpose: study", "purpose: work"),
            ],
        );
        import(&service, "alice", &[&other]);
        (dir, service, actor)
    }

    fn id(text: &str) -> SourceId {
        SourceId::new(text).unwrap()
    }

    fn facet(page: &TestimonyPage, facet: Facet) -> Vec<(&str, u64)> {
        let counts = page.facets.iter().find(|f| f.facet == facet).unwrap();
        counts.values.iter().map(|v| (v.value.as_str(), v.count)).collect()
    }

    fn ids(page: &TestimonyPage) -> Vec<&str> {
        page.testimonies.iter().map(|t| t.id.as_str()).collect()
    }

    #[test]
    fn a_service_with_its_summaries_is_shared_by_threads() {
        fn shared<T: Send + Sync>() {}
        shared::<Service>();
    }

    #[test]
    fn each_role_reads_up_to_its_ceiling() {
        use crate::accounts::Role;
        assert_eq!(Role::Viewer.ceiling(), Sensitivity::Public);
        assert_eq!(Role::Analyst.ceiling(), Sensitivity::Internal);
        for role in [Role::Coder, Role::Custodian, Role::Admin] {
            assert_eq!(role.ceiling(), Sensitivity::Restricted);
        }
    }

    #[test]
    fn testimonies_are_filtered_counted_and_paged() {
        let (_dir, service, _) = three();
        let all = service.testimonies(&TestimonyFilter::default(), Sensitivity::Restricted, None, 10).unwrap();
        assert_eq!(all.total, 3);
        assert!(all.synthetic);
        assert_eq!(ids(&all), ["T-EXAMPLE-0001", "T-EXAMPLE-0002", "T-EXAMPLE-0003"]);
        assert_eq!(facet(&all, Facet::Sector), [("construction", 2), ("logging", 1)]);
        assert_eq!(facet(&all, Facet::Region), [("Khabarovsk Krai", 1), ("Primorsky Krai", 2)]);
        assert_eq!(facet(&all, Facet::Year), [("2017", 1), ("2019", 2)]);
        assert_eq!(facet(&all, Facet::Visa), [("study", 2), ("work", 1)]);
        assert_eq!(facet(&all, Facet::Coder), [("alice", 1), ("tester", 2)]);
        let outcomes = facet(&all, Facet::Outcome);
        assert_eq!(outcomes.iter().map(|(_, n)| n).sum::<u64>(), 3, "{outcomes:?}");
        let sectors = all.facets.iter().find(|f| f.facet == Facet::Sector).unwrap();
        assert_eq!(sectors.values[1].label, "Logging and forestry", "a code is labelled from its list");
        let first = &all.testimonies[0];
        assert_eq!(first.interview_date.as_deref(), Some("2025-03"));
        assert_eq!(
            (first.sectors.as_slice(), first.years.as_slice()),
            (&["construction".to_string()][..], &["2019".to_string()][..])
        );
        assert_eq!(first.segments, Some(5));
        assert!(first.synthetic && first.statements > 50, "{first:?}");

        // A filter narrows the list; its own facet still counts every value (what choosing another would
        // give), the others count within it.
        let construction = TestimonyFilter { sector: Some("construction".into()), ..Default::default() };
        let page = service.testimonies(&construction, Sensitivity::Restricted, None, 10).unwrap();
        assert_eq!((page.total, ids(&page)), (2, vec!["T-EXAMPLE-0001", "T-EXAMPLE-0003"]));
        assert_eq!(facet(&page, Facet::Sector), [("construction", 2), ("logging", 1)]);
        assert_eq!(facet(&page, Facet::Region), [("Primorsky Krai", 2)]);
        assert_eq!(facet(&page, Facet::Coder), [("tester", 2)]);
        let both = TestimonyFilter { coder: Some("alice".into()), ..construction.clone() };
        let page = service.testimonies(&both, Sensitivity::Restricted, None, 10).unwrap();
        assert_eq!(page.total, 0);
        assert_eq!(facet(&page, Facet::Coder), [("tester", 2)], "alice's one testimony is not construction");
        assert_eq!(facet(&page, Facet::Sector), [("logging", 1)]);
        for (filter, expected) in [
            (TestimonyFilter { year: Some("2017".into()), ..Default::default() }, vec!["T-EXAMPLE-0002"]),
            (
                TestimonyFilter { visa: Some("study".into()), ..Default::default() },
                vec!["T-EXAMPLE-0001", "T-EXAMPLE-0003"],
            ),
            (TestimonyFilter { region: Some("Khabarovsk Krai".into()), ..Default::default() }, vec!["T-EXAMPLE-0002"]),
            (TestimonyFilter { outcome: Some(outcomes[0].0.to_string()), ..Default::default() }, vec![]),
            (TestimonyFilter { sector: Some("no such sector".into()), ..Default::default() }, vec![]),
        ] {
            let page = service.testimonies(&filter, Sensitivity::Restricted, None, 10).unwrap();
            if filter.outcome.is_some() {
                assert_eq!(page.total, outcomes[0].1);
                continue;
            }
            assert_eq!(ids(&page), expected, "{filter:?}");
        }

        // Pages follow one another by id.
        let first = service.testimonies(&TestimonyFilter::default(), Sensitivity::Restricted, None, 2).unwrap();
        assert_eq!(ids(&first), ["T-EXAMPLE-0001", "T-EXAMPLE-0002"]);
        assert_eq!(first.next.as_ref().map(SourceId::as_str), Some("T-EXAMPLE-0002"));
        let second =
            service.testimonies(&TestimonyFilter::default(), Sensitivity::Restricted, first.next.as_ref(), 2).unwrap();
        assert_eq!((ids(&second), second.next.clone(), second.total), (vec!["T-EXAMPLE-0003"], None, 3));
        let exact = service.testimonies(&TestimonyFilter::default(), Sensitivity::Restricted, None, 3).unwrap();
        assert_eq!(exact.next, None, "no next page when the last fits");
        let page = service.testimonies(&construction, Sensitivity::Restricted, Some(&id("T-EXAMPLE-0001")), 1).unwrap();
        assert_eq!((ids(&page), page.next.clone()), (vec!["T-EXAMPLE-0003"], None));
    }

    #[test]
    fn a_reader_sees_nothing_above_their_ceiling_not_even_as_a_count() {
        let (_dir, service, _) = three();
        let construction = TestimonyFilter { sector: Some("construction".into()), ..Default::default() };
        // A viewer: every statement of a testimony is internal or restricted.
        let page = service.testimonies(&TestimonyFilter::default(), Sensitivity::Public, None, 10).unwrap();
        assert_eq!(page.total, 3, "the list itself (ids, synthetic) is there");
        for summary in &page.testimonies {
            assert_eq!(summary.statements, 0);
            assert_eq!((summary.segments, summary.interview_date.as_ref()), (None, None));
            assert!(summary.sectors.is_empty() && summary.outcomes.is_empty() && summary.coders.is_empty());
        }
        assert!(page.facets.iter().all(|f| f.values.is_empty()), "{:?}", page.facets);
        let page = service.testimonies(&construction, Sensitivity::Public, None, 10).unwrap();
        assert_eq!(page.total, 0, "a restricted value matches nothing for a viewer");
        // An analyst: spells are restricted, so no spell's values nor outcomes, not even counted.
        let page = service.testimonies(&TestimonyFilter::default(), Sensitivity::Internal, None, 10).unwrap();
        for facet_values in &page.facets {
            let expected = if facet_values.facet == Facet::Coder { 2 } else { 0 };
            assert_eq!(facet_values.values.len(), expected, "{facet_values:?}");
        }
        let summary = &page.testimonies[0];
        assert!(summary.sectors.is_empty() && summary.regions.is_empty() && summary.outcomes.is_empty());
        assert_eq!((summary.segments, summary.interview_date.as_deref()), (Some(5), Some("2025-03")));
        let all = service.testimonies(&TestimonyFilter::default(), Sensitivity::Restricted, None, 10).unwrap();
        assert!(summary.statements > 0 && summary.statements < all.testimonies[0].statements);

        // One testimony: a viewer gets no words and no statement; an analyst no restricted statement nor a
        // finding resting on one.
        let viewer = service.testimony(&id(EXAMPLE_ID), Sensitivity::Public).unwrap();
        assert!(viewer.segments.iter().all(|s| s.words.is_none() && s.statements.is_empty() && s.findings.is_empty()));
        assert!(viewer.apart.is_empty() && viewer.outcomes.is_empty() && viewer.title.is_none());
        let consent = viewer.consent.as_ref().unwrap();
        assert!(consent.date.is_none() && consent.uses.prosecutors);
        let analyst = service.testimony(&id(EXAMPLE_ID), Sensitivity::Internal).unwrap();
        assert!(analyst.segments.iter().all(|s| s.words.is_some() && s.findings.is_empty()));
        let statements = analyst.segments.iter().flat_map(|s| &s.statements).chain(&analyst.apart);
        assert!(statements.clone().count() > 0);
        assert!(statements.clone().all(|s| s.sensitivity <= Sensitivity::Internal));
        assert!(!statements.clone().any(|s| s.schema == "Employment"), "spells are restricted");
        assert!(analyst.outcomes.is_empty());
        // The witness's Person is restricted: not even as the name of what a statement points at.
        let json = serde_json::to_string(&analyst).unwrap();
        assert!(!json.contains("SYNTHETIC-PROTECTED"), "protected data is never read");
        assert!(!json.contains("\"gender\""), "{json}");
    }

    #[test]
    fn a_testimony_shows_each_segment_with_its_statements_and_findings() {
        let (_dir, service, _) = three();
        let view = service.testimony(&id(EXAMPLE_ID), Sensitivity::Restricted).unwrap();
        assert_eq!((view.kind, view.generation, view.synthetic), (SourceKind::Testimony, 1, true));
        assert_eq!((view.interview_date.as_deref(), view.language.as_deref()), (Some("2025-03"), Some("ko")));
        let segments: Vec<&str> = view.segments.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(segments, ["s1", "s2", "s3", "s4", "s5"]);
        let s2 = &view.segments[1];
        assert!(s2.words.as_ref().unwrap().translation.as_ref().unwrap().text.contains("12 hours"));
        let properties: BTreeSet<&str> = s2.statements.iter().map(|s| s.property.as_str()).collect();
        assert_eq!(properties, BTreeSet::from(["hoursPerDay", "restDaysPerMonth"]));
        for segment in &view.segments {
            for statement in &segment.statements {
                assert_eq!(cited_segment(&statement.locator), Some(segment.id.as_str()));
                assert_eq!(statement.status, StatementStatus::Active);
                assert_eq!(statement.recorded_by, "tester");
            }
        }
        let employer = view.segments[0].statements.iter().find(|s| s.property == "employer").unwrap();
        assert_eq!(employer.value_name.as_deref(), Some("(fictional) Blue Hill Construction LLC"));
        assert!(view.apart.iter().all(|s| cited_segment(&s.locator).is_none()));
        assert!(view.apart.iter().any(|s| s.property == "interviewDate"));
        // Findings sit beside the segments their evidence cites: the threat to the family is in s5.
        assert_eq!(view.outcomes.len(), 1);
        assert_eq!(view.outcomes[0].icls, "FL", "{:?}", view.outcomes);
        let s5 = &view.segments[4];
        assert!(!s5.findings.is_empty());
        let all_statements: BTreeSet<&StatementId> =
            view.segments.iter().flat_map(|s| &s.statements).chain(&view.apart).map(|s| &s.id).collect();
        for segment in &view.segments {
            for finding in &segment.findings {
                assert!(finding.codes.iter().all(|c| !c.label.is_empty() && c.label != c.code), "{finding:?}");
                assert!(finding.evidence.iter().all(|e| all_statements.contains(e)));
                let cites_it = segment.statements.iter().any(|s| finding.evidence.contains(&s.id));
                assert!(cites_it, "a finding beside {} rests on a statement citing it", segment.id);
            }
        }
        let error = service.testimony(&id("T-NONE"), Sensitivity::Restricted).unwrap_err();
        assert_eq!(error.code(), Code::NotFound);
    }

    /// The statement of the example's spell that gives its sector.
    fn spell_sector(service: &Service) -> StatementView {
        let view = service.testimony(&id(EXAMPLE_ID), Sensitivity::Restricted).unwrap();
        view.segments[0].statements.iter().find(|s| s.schema == "Employment" && s.property == "sector").unwrap().clone()
    }

    fn correction(replaces: Option<StatementId>) -> NewFact {
        NewFact {
            testimony: id(EXAMPLE_ID),
            segment: "s1".into(),
            entity: EntityId::new("T-EXAMPLE-0001.spell1").unwrap(),
            schema: String::new(),
            property: "sector".into(),
            value: "shipbuilding".into(),
            replaces,
            note: "(fictional) the site was a shipyard".into(),
        }
    }

    #[test]
    fn a_coders_correction_is_a_new_statement_and_a_retraction_with_its_custody_event() {
        let (_dir, service, _) = three();
        let coder = Actor::new("coder-1").unwrap();
        let before = spell_sector(&service);
        let listed = service.testimonies(&TestimonyFilter::default(), Sensitivity::Restricted, None, 10).unwrap();
        let added = service.add_fact(&coder, &correction(Some(before.id.clone()))).unwrap();
        assert_eq!(added.source.as_str(), "code:T-EXAMPLE-0001");
        assert_eq!((added.replaced.as_ref(), added.sensitivity), (Some(&before.id), Sensitivity::Restricted));

        // Beside its segment: the new statement, and the one it replaced as superseded by it.
        let view = service.testimony(&id(EXAMPLE_ID), Sensitivity::Restricted).unwrap();
        let s1 = &view.segments[0];
        let new = s1.statements.iter().find(|s| s.id == added.statement).unwrap();
        assert_eq!(
            (new.value.as_str(), new.recorded_by.as_str(), &new.status),
            ("shipbuilding", "coder-1", &StatementStatus::Active)
        );
        assert_eq!(new.source, added.source);
        let old = s1.statements.iter().find(|s| s.id == before.id).unwrap();
        match &old.status {
            StatementStatus::Superseded { by, replacement, .. } => {
                assert_eq!((by.as_str(), replacement.as_ref()), ("coder-1", Some(&added.statement)));
            }
            other => panic!("{other:?}"),
        }
        assert!(s1.statements.iter().any(|s| Some(&s.id) == added.note.as_ref() && s.property == "notes"));
        // The entity says so, and so do the list and its facets.
        let spell =
            service.entity(&EntityId::new("T-EXAMPLE-0001.spell1").unwrap(), false, Sensitivity::Restricted).unwrap();
        assert_eq!(spell.entity.as_ref().unwrap().values("sector"), ["shipbuilding"]);
        let page = service.testimonies(&TestimonyFilter::default(), Sensitivity::Restricted, None, 10).unwrap();
        assert_eq!(facet(&page, Facet::Sector), [("construction", 1), ("logging", 1), ("shipbuilding", 1)]);
        assert_eq!(facet(&page, Facet::Coder), [("alice", 1), ("coder-1", 1), ("tester", 2)]);
        assert_ne!(page, listed);
        // One custody event, naming the ids and never the value nor the note.
        let event = events(&service).into_iter().last().unwrap();
        assert_eq!((event.kind.as_str(), event.recorded_by.as_str(), event.seq), ("fact-add", "coder-1", added.event));
        assert!(event.detail.contains(added.statement.as_str()) && event.detail.contains(before.id.as_str()));
        assert!(!event.detail.contains("shipbuilding") && !event.detail.contains("shipyard"), "{}", event.detail);
        // The project verifies: the event vouches for every statement the write added.
        let verified = service.verify(None, None).unwrap();
        assert!(verified.report.problems.is_empty(), "{:?}", verified.report.problems);
        // What coders add is bound by the testimony's consent, wherever it goes (packages, exports).
        let store = service.project.read().unwrap();
        let bound = clew_disclosure::package::source_consent(&*store, &added.source).unwrap().unwrap();
        let own = clew_disclosure::package::source_consent(&*store, &id(EXAMPLE_ID)).unwrap().unwrap();
        assert_eq!((bound.0, bound.1), (own.0, own.1));
        drop(store);
        // The analyses read the correction too.
        let assessed = service.assess_testimony(&id(EXAMPLE_ID), &rules(None).unwrap()).unwrap();
        assert_eq!(assessed.value.assessment.spells.len(), 1);

        // The same fact again is refused, and so is replacing what no longer stands.
        let again = service.add_fact(&coder, &correction(None)).unwrap_err();
        assert_eq!(again.code(), Code::Conflict, "{again}");
        let replaced_twice =
            service.add_fact(&coder, &NewFact { value: "fishing".into(), ..correction(Some(before.id)) });
        assert_eq!(replaced_twice.unwrap_err().diagnostics()[0].path, "replaces");
    }

    #[test]
    fn a_new_entity_needs_its_schema_and_gets_the_synthetic_mark() {
        let (_dir, service, actor) = three();
        let fact = NewFact {
            testimony: id(EXAMPLE_ID),
            segment: "s4".into(),
            entity: EntityId::new("T-EXAMPLE-0001.minder2").unwrap(),
            schema: String::new(),
            property: "name".into(),
            value: "(fictional) Second minder".into(),
            replaces: None,
            note: String::new(),
        };
        let refused = service.add_fact(&actor, &fact).unwrap_err();
        assert_eq!(refused.diagnostics()[0].path, "schema");
        let added = service.add_fact(&actor, &NewFact { schema: "Person".into(), ..fact }).unwrap();
        assert_eq!((added.sensitivity, added.note.as_ref()), (Sensitivity::Internal, None));
        let person =
            service.entity(&EntityId::new("T-EXAMPLE-0001.minder2").unwrap(), false, Sensitivity::Restricted).unwrap();
        let person = person.entity.as_ref().unwrap();
        assert_eq!((person.schema.as_str(), person.values("synthetic")), ("Person", vec!["true"]));
        let view = service.testimony(&id(EXAMPLE_ID), Sensitivity::Internal).unwrap();
        assert!(view.segments[3].statements.iter().any(|s| s.id == added.statement), "an analyst sees it");
    }

    #[test]
    fn a_refused_fact_writes_nothing_and_names_its_field() {
        let (_dir, service, actor) = three();
        let other = service.testimony(&id("T-EXAMPLE-0002"), Sensitivity::Restricted).unwrap();
        let elsewhere = other.segments[0].statements[0].id.clone();
        let version = service.project.read().unwrap().statements_version().unwrap();
        let logged = events(&service).len();
        for (fact, field) in [
            (NewFact { property: "colour".into(), ..correction(None) }, "property"),
            (NewFact { value: "not a sector".into(), ..correction(None) }, "value"),
            (NewFact { property: "hoursPerDay".into(), value: "twelve".into(), ..correction(None) }, "value"),
            (NewFact { property: "employer".into(), value: "no-such-company".into(), ..correction(None) }, "value"),
            (
                NewFact { property: "worksite".into(), value: "T-EXAMPLE-0001.employer".into(), ..correction(None) },
                "value",
            ),
            (NewFact { segment: "s99".into(), ..correction(None) }, "segment"),
            (NewFact { replaces: Some(elsewhere.clone()), ..correction(None) }, "replaces"),
            (NewFact { schema: "Company".into(), ..correction(None) }, "schema"),
            (NewFact { property: "synthetic".into(), value: "false".into(), ..correction(None) }, "property"),
            (
                NewFact {
                    entity: EntityId::new("made:up").unwrap(),
                    schema: "Person".into(),
                    property: "name".into(),
                    ..correction(None)
                },
                "entity",
            ),
            (NewFact { note: "x".repeat(MAX_FACT_CHARS + 1), ..correction(None) }, "note"),
        ] {
            let error = service.add_fact(&actor, &fact).unwrap_err();
            assert_eq!(error.code(), Code::InvalidInput, "{fact:?}: {error}");
            let fields: Vec<&str> = error.diagnostics().iter().map(|d| d.path.as_str()).collect();
            assert_eq!(fields, [field], "{fact:?}: {:?}", error.diagnostics());
        }
        let missing = service.add_fact(&actor, &NewFact { testimony: id("T-NONE"), ..correction(None) }).unwrap_err();
        assert_eq!(missing.code(), Code::NotFound);
        assert_eq!(service.project.read().unwrap().statements_version().unwrap(), version, "nothing was written");
        assert_eq!(events(&service).len(), logged, "nothing was logged");
        assert!(service.project.read().unwrap().source(&id("code:T-EXAMPLE-0001")).unwrap().is_none());
    }

    #[test]
    fn the_summaries_are_made_again_only_after_statements_are_written() {
        let (_dir, service, actor) = three();
        let list = |service: &Service| {
            service.testimonies(&TestimonyFilter::default(), Sensitivity::Restricted, None, 100).unwrap()
        };
        let first = list(&service);
        let index = service.browse.current().unwrap();
        assert_eq!(list(&service), first);
        assert!(Arc::ptr_eq(&index, &service.browse.current().unwrap()), "nothing written: the same summaries");
        service.log_event(&actor, EventKind::Export, &serde_json::json!({})).unwrap();
        list(&service);
        assert!(Arc::ptr_eq(&index, &service.browse.current().unwrap()), "an event is no statement");

        assert_eq!(service.browse.made.load(std::sync::atomic::Ordering::Relaxed), 1);

        // An import brings the new testimony in, as a fresh pass would; threads asking at once wait for one of
        // them to do it.
        import(&service, "bob", &[&variant("T-EXAMPLE-0004", "W-EX-0004", &[("construction", "fishing")])]);
        let pages: Vec<TestimonyPage> = std::thread::scope(|scope| {
            let asking: Vec<_> = (0..4).map(|_| scope.spawn(|| list(&service))).collect();
            asking.into_iter().map(|thread| thread.join().unwrap()).collect()
        });
        assert!(pages.windows(2).all(|two| two[0] == two[1]));
        assert_eq!(service.browse.made.load(std::sync::atomic::Ordering::Relaxed), 2, "made once more, not four times");
        let after = list(&service);
        assert!(!Arc::ptr_eq(&index, &service.browse.current().unwrap()));
        assert_eq!(after.total, 4);
        assert_eq!(facet(&after, Facet::Coder), [("alice", 1), ("bob", 1), ("tester", 2)]);
        let fresh = Service::open(service.dir()).unwrap();
        assert_eq!(list(&fresh), after, "brought up to date, the summaries are those made anew");

        // A coder's fact too; a testimony withdrawn entirely leaves the list.
        service.add_fact(&actor, &correction(Some(spell_sector(&service).id))).unwrap();
        let withdrawn = variant(
            "T-EXAMPLE-0003",
            "W-EX-0003",
            &[("retention_until: 2035-03", "retention_until: 2035-03\n  withdrawal: {date: 2025-06, scope: all}")],
        );
        import(&service, "tester", &[&withdrawn]);
        let after = list(&service);
        assert_eq!(ids(&after), ["T-EXAMPLE-0001", "T-EXAMPLE-0002", "T-EXAMPLE-0004"]);
        assert_eq!(list(&Service::open(service.dir()).unwrap()), after);
        let view = service.testimony(&id("T-EXAMPLE-0003"), Sensitivity::Restricted).unwrap();
        assert!(view.segments.is_empty() && view.apart.is_empty());
        assert_eq!(view.consent.unwrap().withdrawn.as_deref(), Some("all"));
        let refused = service.add_fact(&actor, &NewFact { testimony: id("T-EXAMPLE-0003"), ..correction(None) });
        assert_eq!(refused.unwrap_err().code(), Code::Usage);
    }

    #[test]
    fn a_coders_fact_outlives_the_testimony_imported_again() {
        let (_dir, service, _) = three();
        let coder = Actor::new("coder-1").unwrap();
        let before = spell_sector(&service);
        let added = service.add_fact(&coder, &correction(Some(before.id.clone()))).unwrap();
        let shown = |service: &Service| {
            let view = service.testimony(&id(EXAMPLE_ID), Sensitivity::Restricted).unwrap();
            let sectors: Vec<(String, bool)> = view.segments[0]
                .statements
                .iter()
                .filter(|s| s.schema == "Employment" && s.property == "sector")
                .map(|s| (s.value.clone(), s.status == StatementStatus::Active))
                .collect();
            (view.generation, sectors)
        };
        // The same file again changes nothing.
        import(&service, "tester", &[EXAMPLE]);
        assert_eq!(shown(&service), (1, vec![("construction".to_string(), false), ("shipbuilding".to_string(), true)]));
        // A changed file retracts its own earlier generation, not the coder's fact, which is neither dropped nor
        // written twice; what the new file says again stands beside it until a coder replaces it too.
        import(&service, "tester", &[&EXAMPLE.replace("Far East (synthetic", "Far East, reviewed (synthetic")]);
        let (generation, sectors) = shown(&service);
        assert_eq!(generation, 2);
        assert_eq!(sectors, [("construction".to_string(), true), ("shipbuilding".to_string(), true)]);
        let spell =
            service.entity(&EntityId::new("T-EXAMPLE-0001.spell1").unwrap(), false, Sensitivity::Restricted).unwrap();
        let mut values =
            spell.entity.as_ref().unwrap().values("sector").into_iter().map(String::from).collect::<Vec<_>>();
        values.sort();
        assert_eq!(values, ["construction", "shipbuilding"]);
        let coded = service.project.read().unwrap().source_statements(&added.source).unwrap();
        assert_eq!(coded.iter().filter(|s| s.property == "sector").count(), 1);
        let verified = service.verify(None, None).unwrap();
        assert!(verified.report.problems.is_empty(), "{:?}", verified.report.problems);
    }
}

//! Reading sanctions lists: the UN Security Council consolidated list (XML), OFAC's SDN list (the legacy CSV
//! files `sdn.csv`, `alt.csv`, `add.csv`; the advanced XML is read by [`crate::ofac_xml`]), FollowTheMoney /
//! OpenSanctions entities (JSON lines), and a simple CSV. Every reader takes the file's text and a name for it (for messages); a list is read whole or not at
//! all: any error names the file, line and column (or the row and field) and nothing of the list is used.

use std::sync::Arc;

use clew_model::value::PartialDate;
use quick_xml::events::Event;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::countries::code_of;
use crate::entity::{BirthDate, EntityKind, Gender, ListEntity, ListInfo, ListName, normalize_identifier};

/// A list that could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum LoadError {
    /// The file is not UTF-8.
    #[error(
        "{origin}: not UTF-8 text (first bad byte at offset {offset}); convert it first, e.g. `iconv -f windows-1252 -t utf-8`"
    )]
    Encoding {
        /// The file.
        origin: String,
        /// Byte offset of the first invalid byte.
        offset: usize,
    },
    /// Bad syntax or a bad value at a place in the file.
    #[error("{origin}:{line}:{column}: {message}")]
    At {
        /// The file.
        origin: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// The file as a whole is wrong (truncated, empty, not this format).
    #[error("{origin}: {message}")]
    File {
        /// The file.
        origin: String,
        /// What is wrong.
        message: String,
    },
}

/// The formats clew reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// UN Security Council consolidated list, XML.
    UnXml,
    /// OFAC SDN legacy CSV (`sdn.csv`, with `alt.csv` and `add.csv` beside it when present).
    OfacCsv,
    /// OFAC's lists in the advanced XML format (`sdn_advanced.xml`, `cons_advanced.xml`).
    OfacXml,
    /// FollowTheMoney entities, one JSON object per line.
    Ftm,
    /// A CSV with a header: `name` required; `id`, `schema`, `aliases` (separated by `;`), `birth_date`,
    /// `nationality`, `gender`, `identifiers` (`;`), `program` optional.
    Csv,
}

impl Format {
    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::UnXml => "un-xml",
            Format::OfacCsv => "ofac-csv",
            Format::OfacXml => "ofac-xml",
            Format::Ftm => "ftm",
            Format::Csv => "csv",
        }
    }

    /// From its command-line name.
    pub fn parse(text: &str) -> Option<Format> {
        [Format::UnXml, Format::OfacCsv, Format::OfacXml, Format::Ftm, Format::Csv]
            .into_iter()
            .find(|f| f.name() == text)
    }

    /// Guesses the format from a file's name and first bytes.
    pub fn detect(file_name: &str, head: &[u8]) -> Option<Format> {
        let text = String::from_utf8_lossy(&head[..head.len().min(4096)]);
        let start = text.trim_start_matches('\u{feff}').trim_start();
        let lower = file_name.to_ascii_lowercase();
        if start.starts_with('<') {
            // OFAC's advanced format has the root <Sanctions> (with a namespace); the UN's <CONSOLIDATED_LIST>.
            return Some(if text.contains("<Sanctions") { Format::OfacXml } else { Format::UnXml });
        }
        if start.starts_with('{') {
            return Some(Format::Ftm);
        }
        if lower.ends_with(".csv") || lower.ends_with(".txt") {
            let first = start.lines().next().unwrap_or("");
            if first.split(',').next().is_some_and(|f| !f.is_empty() && f.trim().chars().all(|c| c.is_ascii_digit())) {
                return Some(Format::OfacCsv);
            }
            return Some(Format::Csv);
        }
        None
    }
}

/// A list read into memory.
#[derive(Debug, Clone)]
pub struct List {
    /// Which list and version.
    pub info: Arc<ListInfo>,
    /// Its entities.
    pub entities: Vec<ListEntity>,
    /// What was read but could not be fully used (e.g. a name in a script clew cannot read).
    pub warnings: Vec<String>,
}

/// The text of a file, or [`LoadError::Encoding`].
pub fn text_of<'a>(origin: &str, bytes: &'a [u8]) -> Result<&'a str, LoadError> {
    std::str::from_utf8(bytes)
        .map(|text| text.trim_start_matches('\u{feff}'))
        .map_err(|e| LoadError::Encoding { origin: origin.to_string(), offset: e.valid_up_to() })
}

pub(crate) fn sha256_of(parts: &[&[u8]]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part);
    }
    hex::encode(hasher.finalize())
}

/// Line and column (1-based) of a byte offset.
pub(crate) fn position(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Most names (primary name and aliases) one list entry may have. The most aliased entries of the UN and OFAC
/// lists have a few dozen; thousands mean a broken or hostile file.
pub const MAX_NAMES_PER_ENTITY: usize = 1_000;

/// Deepest nesting of XML elements read. The UN list nests 4 deep and OFAC's advanced XML about 12; a deeper
/// file is refused before it can exhaust the stack or memory.
pub const MAX_XML_DEPTH: usize = 64;

/// How many years either side of an approximate year of birth (the UN list's `TYPE_OF_DATE` APPROXIMATELY) a
/// date of birth may fall and still agree with it.
pub const APPROXIMATE_YEARS: u16 = 2;

/// The error for an element nested deeper than [`MAX_XML_DEPTH`].
pub(crate) fn too_deep() -> String {
    format!("elements nested more than {MAX_XML_DEPTH} deep; this is not a sanctions list")
}

/// Entity being assembled.
#[derive(Default)]
pub(crate) struct Draft {
    pub(crate) id: String,
    pub(crate) kind: Option<EntityKind>,
    pub(crate) names: Vec<(String, bool)>,
    pub(crate) birth_dates: Vec<BirthDate>,
    pub(crate) countries: Vec<String>,
    pub(crate) gender: Option<Gender>,
    pub(crate) identifiers: Vec<String>,
    pub(crate) programs: Vec<String>,
}

impl Draft {
    /// The entity, or `Ok(None)` when none of its names has letters clew can read. A name longer than
    /// [`clew_names::MAX_NAME_CHARS`] or more than [`MAX_NAMES_PER_ENTITY`] names refuse the list.
    pub(crate) fn finish(self, list: &Arc<ListInfo>, warnings: &mut Vec<String>) -> Result<Option<ListEntity>, String> {
        let kind = self.kind.unwrap_or(EntityKind::Other);
        if self.names.len() > MAX_NAMES_PER_ENTITY {
            return Err(format!(
                "entry {}: {} names; an entry may have at most {MAX_NAMES_PER_ENTITY}",
                self.id,
                self.names.len()
            ));
        }
        let mut names: Vec<ListName> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (text, weak) in self.names {
            clew_names::check_length(&text).map_err(|message| format!("entry {}: {message}", self.id))?;
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            if text.is_empty() || !seen.insert(text.clone()) {
                continue;
            }
            if clew_names::generic::fold(&text).is_empty() {
                warnings.push(format!("{}: the name `{text}` has no letters clew can read; it is left out", self.id));
                continue;
            }
            names.push(ListName::new(&text, weak, kind));
        }
        if names.is_empty() {
            return Ok(None);
        }
        let mut countries = self.countries;
        countries.sort();
        countries.dedup();
        Ok(Some(ListEntity {
            id: self.id,
            kind,
            names,
            birth_dates: self.birth_dates,
            countries,
            gender: self.gender,
            identifiers: self.identifiers,
            programs: self.programs,
            list: Arc::clone(list),
        }))
    }

    fn country(&mut self, text: &str) {
        if let Some(code) = code_of(text) {
            self.countries.push(code);
        }
    }
}

/// The text an entity or character reference (`&amp;`, `&#233;`) stands for.
pub(crate) fn resolve_reference(reference: &quick_xml::events::BytesRef) -> Result<String, String> {
    let name = reference.decode().map_err(|e| format!("bad reference: {e}"))?;
    match reference.resolve_char_ref().map_err(|e| format!("bad reference: {e}"))? {
        Some(c) => Ok(c.to_string()),
        None => quick_xml::escape::resolve_predefined_entity(&name)
            .map(String::from)
            .ok_or_else(|| format!("unknown entity `&{name};`")),
    }
}

/// Reads the UN Security Council consolidated list (XML).
pub fn read_un_xml(origin: &str, bytes: &[u8]) -> Result<List, LoadError> {
    let text = text_of(origin, bytes)?;
    let at = |offset: u64, message: String| {
        let (line, column) = position(text, offset as usize);
        LoadError::At { origin: origin.to_string(), line, column, message }
    };
    let mut reader = quick_xml::Reader::from_str(text);
    // Text is not trimmed piece by piece: `A &amp; B` comes as three pieces whose spaces matter.
    reader.config_mut().trim_text(false);
    let mut stack: Vec<String> = Vec::new();
    let mut version = None;
    let mut drafts: Vec<Draft> = Vec::new();
    let mut draft: Option<Draft> = None;
    let mut names = [String::new(), String::new(), String::new(), String::new()];
    let mut alias = (String::new(), false);
    let mut birth = (String::new(), None::<String>, None::<u16>, None::<u16>, None::<u16>);
    let mut saw_root = false;
    // The text of the element being read (pieces and references gathered until it ends).
    let mut buffer = String::new();
    loop {
        let offset = reader.buffer_position();
        let event = reader.read_event().map_err(|e| at(reader.error_position(), format!("bad XML: {e}")))?;
        match event {
            Event::Start(element) => {
                let name = String::from_utf8_lossy(element.name().as_ref()).to_string();
                if stack.is_empty() {
                    if name != "CONSOLIDATED_LIST" {
                        return Err(at(
                            offset,
                            format!("expected <CONSOLIDATED_LIST> (a UN consolidated list), found <{name}>"),
                        ));
                    }
                    saw_root = true;
                    for attribute in element.attributes().flatten() {
                        if attribute.key.as_ref() == b"dateGenerated" {
                            version = Some(String::from_utf8_lossy(&attribute.value).to_string());
                        }
                    }
                }
                match name.as_str() {
                    "INDIVIDUAL" | "ENTITY" => {
                        draft = Some(Draft {
                            kind: Some(if name == "INDIVIDUAL" {
                                EntityKind::Person
                            } else {
                                EntityKind::Organization
                            }),
                            ..Draft::default()
                        });
                        names = Default::default();
                    }
                    "INDIVIDUAL_ALIAS" | "ENTITY_ALIAS" => alias = (String::new(), false),
                    "INDIVIDUAL_DATE_OF_BIRTH" => birth = (String::new(), None, None, None, None),
                    _ => {}
                }
                buffer.clear();
                if stack.len() >= MAX_XML_DEPTH {
                    return Err(at(offset, too_deep()));
                }
                stack.push(name);
            }
            Event::End(element) => {
                let name = String::from_utf8_lossy(element.name().as_ref()).to_string();
                if stack.last() != Some(&name) {
                    return Err(at(offset, format!("</{name}> closes an element that is not open")));
                }
                if let Some(current) = draft.as_mut().filter(|_| !buffer.trim().is_empty()) {
                    let value = std::mem::take(&mut buffer);
                    let parent = stack.len().checked_sub(2).and_then(|i| stack.get(i)).map(String::as_str);
                    let year = |text: &str| {
                        text.trim().parse::<u16>().map_err(|_| at(offset, format!("`{text}` is not a year")))
                    };
                    match (parent, stack.last().map(String::as_str)) {
                        (_, Some("FIRST_NAME")) => names[0] = value,
                        (_, Some("SECOND_NAME")) => names[1] = value,
                        (_, Some("THIRD_NAME")) => names[2] = value,
                        (_, Some("FOURTH_NAME")) => names[3] = value,
                        (_, Some("NAME_ORIGINAL_SCRIPT")) => current.names.push((value, false)),
                        (_, Some("REFERENCE_NUMBER")) => current.id = format!("un-{}", value.trim()),
                        (_, Some("UN_LIST_TYPE")) => current.programs.push(value.trim().to_string()),
                        (Some("NATIONALITY"), Some("VALUE")) => current.country(&value),
                        (_, Some("GENDER")) => current.gender = Gender::parse(&value),
                        (Some("INDIVIDUAL_ALIAS" | "ENTITY_ALIAS"), Some("ALIAS_NAME")) => alias.0 = value,
                        (Some("INDIVIDUAL_ALIAS" | "ENTITY_ALIAS"), Some("QUALITY")) => {
                            alias.1 = value.trim().eq_ignore_ascii_case("low");
                        }
                        (Some("INDIVIDUAL_DATE_OF_BIRTH"), Some("TYPE_OF_DATE")) => birth.0 = value,
                        (Some("INDIVIDUAL_DATE_OF_BIRTH"), Some("DATE")) => birth.1 = Some(value.trim().to_string()),
                        (Some("INDIVIDUAL_DATE_OF_BIRTH"), Some("YEAR")) => birth.2 = Some(year(&value)?),
                        (Some("INDIVIDUAL_DATE_OF_BIRTH"), Some("FROM_YEAR")) => birth.3 = Some(year(&value)?),
                        (Some("INDIVIDUAL_DATE_OF_BIRTH"), Some("TO_YEAR")) => birth.4 = Some(year(&value)?),
                        (Some("INDIVIDUAL_DOCUMENT"), Some("NUMBER")) => {
                            let id = normalize_identifier(&value);
                            if !id.is_empty() {
                                current.identifiers.push(id);
                            }
                        }
                        _ => {}
                    }
                }
                buffer.clear();
                stack.pop();
                let Some(current) = draft.as_mut() else { continue };
                match name.as_str() {
                    "INDIVIDUAL" | "ENTITY" => {
                        let mut finished = draft.take().unwrap_or_default();
                        let primary = names.iter().filter(|n| !n.is_empty()).cloned().collect::<Vec<_>>().join(" ");
                        finished.names.insert(0, (primary, false));
                        if finished.id.is_empty() {
                            return Err(at(offset, format!("a <{name}> without <REFERENCE_NUMBER>")));
                        }
                        drafts.push(finished);
                    }
                    "INDIVIDUAL_ALIAS" | "ENTITY_ALIAS" => {
                        let (text, weak) = std::mem::take(&mut alias);
                        current.names.push((text, weak));
                    }
                    "INDIVIDUAL_DATE_OF_BIRTH" => {
                        let (kind, date, year, from, to) = std::mem::take(&mut birth);
                        let date = date.and_then(|d| d.get(..10).and_then(|d| d.parse::<PartialDate>().ok()));
                        // "APPROXIMATELY 1961" is a guess at the year, not the year: it is read as the years
                        // around it, so that a query born a year or two off is not taken for a conflict.
                        let approximate = kind.trim().eq_ignore_ascii_case("APPROXIMATELY");
                        let around = |year: u16| BirthDate::Years {
                            from: year.saturating_sub(APPROXIMATE_YEARS),
                            to: year.saturating_add(APPROXIMATE_YEARS),
                        };
                        if let Some(date) = date {
                            current.birth_dates.push(if approximate {
                                around(date.year)
                            } else {
                                BirthDate::Date(date)
                            });
                        } else if let Some(year) = year {
                            current.birth_dates.push(if approximate {
                                around(year)
                            } else {
                                BirthDate::Years { from: year, to: year }
                            });
                        } else if let (Some(from), Some(to)) = (from, to) {
                            current.birth_dates.push(BirthDate::Years { from: from.min(to), to: from.max(to) });
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(content) => {
                let value = content.decode().map_err(|e| at(offset, format!("bad text: {e}")))?;
                buffer.push_str(&value);
            }
            Event::GeneralRef(reference) => {
                // `&amp;` and the like come as events of their own between pieces of text.
                buffer.push_str(&resolve_reference(&reference).map_err(|message| at(offset, message))?);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_root {
        return Err(LoadError::File {
            origin: origin.to_string(),
            message: "no <CONSOLIDATED_LIST>: not a UN consolidated list".into(),
        });
    }
    if let Some(open) = stack.last() {
        return Err(LoadError::File {
            origin: origin.to_string(),
            message: format!("the file ends inside <{open}>: it is truncated"),
        });
    }
    let info = Arc::new(ListInfo {
        name: "UN SC consolidated list".into(),
        version,
        format: Format::UnXml.name(),
        sha256: sha256_of(&[bytes]),
    });
    finish(origin, info, drafts)
}

pub(crate) fn finish(origin: &str, info: Arc<ListInfo>, drafts: Vec<Draft>) -> Result<List, LoadError> {
    let mut warnings = Vec::new();
    let mut entities = Vec::with_capacity(drafts.len());
    for draft in drafts {
        let id = draft.id.clone();
        let finished = draft
            .finish(&info, &mut warnings)
            .map_err(|message| LoadError::File { origin: origin.to_string(), message })?;
        match finished {
            Some(entity) => entities.push(entity),
            None => warnings.push(format!("{id}: no name clew can read; the entry is left out")),
        }
    }
    if entities.is_empty() {
        return Err(LoadError::File { origin: origin.to_string(), message: "no listed entity with a name".into() });
    }
    Ok(List { info, entities, warnings })
}

/// A vessel's number without the `IMO` OFAC writes before it, so that `IMO 9123456` and `9123456` agree.
pub(crate) fn without_imo(text: &str) -> &str {
    let trimmed = text.trim();
    match trimmed.get(..3) {
        Some(prefix) if prefix.eq_ignore_ascii_case("imo") => trimmed[3..].trim_start(),
        _ => trimmed,
    }
}

/// The remarks of OFAC entries that carry identifier numbers.
const OFAC_IDENTIFIERS: &[&str] = &[
    "Passport ",
    "National ID No. ",
    "Tax ID No. ",
    "Registration Number ",
    "Registration ID ",
    "Identification Number ",
    "Vessel Registration Identification IMO ",
    "IMO ",
    "MMSI ",
];

/// Months as OFAC writes them in dates of birth.
const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/// Dates of birth in OFAC remarks: `DOB 08 Jan 1984`, `DOB Jan 1984`, `DOB 1984`, `DOB circa 1960`,
/// `DOB 1960 to 1962`.
fn ofac_birth_date(text: &str) -> Option<BirthDate> {
    let words: Vec<String> =
        text.split_whitespace().map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_ascii_lowercase()).collect();
    let year = |w: &str| w.parse::<u16>().ok().filter(|y| (1000..=2999).contains(y));
    let words: Vec<&str> = words.iter().map(String::as_str).filter(|w| *w != "circa" && !w.is_empty()).collect();
    match words.as_slice() {
        [d, m, y, ..] if d.parse::<u8>().is_ok() && MONTHS.contains(m) && year(y).is_some() => {
            let month = MONTHS.iter().position(|x| x == m)? as u8 + 1;
            format!("{}-{month:02}-{:02}", year(y)?, d.parse::<u8>().ok()?).parse().ok().map(BirthDate::Date)
        }
        [m, y, ..] if MONTHS.contains(m) && year(y).is_some() => {
            let month = MONTHS.iter().position(|x| x == m)? as u8 + 1;
            format!("{}-{month:02}", year(y)?).parse().ok().map(BirthDate::Date)
        }
        [a, "to", b, ..] if year(a).is_some() && year(b).is_some() => {
            Some(BirthDate::Years { from: year(a)?, to: year(b)? })
        }
        [y, ..] if year(y).is_some() => Some(BirthDate::Years { from: year(y)?, to: year(y)? }),
        _ => None,
    }
}

/// The names of the files of an OFAC list in its legacy CSV form that come with the primary file, by its name:
/// `sdn.csv` brings `alt.csv` (aliases) and `add.csv` (addresses); the consolidated (non-SDN) list's
/// `cons_prim.csv` brings `cons_alt.csv` and `cons_add.csv`; a dated copy (`ofac_sdn_2022-01.csv`) its
/// like-named `alt` and `add` files. `None` for a name that is neither.
pub fn ofac_companion_names(primary: &str) -> Option<(String, String)> {
    let lower = primary.to_ascii_lowercase();
    for part in ["prim", "sdn"] {
        if let Some(at) = lower.find(part) {
            let with = |word: &str| format!("{}{word}{}", &primary[..at], &primary[at + part.len()..]);
            return Some((with("alt"), with("add")));
        }
    }
    None
}

/// The list an OFAC legacy CSV file is, by its name: the consolidated (non-SDN) lists come as `cons_prim.csv`
/// (a dated copy may be `ofac_cons_prim_2024-09.csv`), the SDN list as `sdn.csv`.
pub fn ofac_list_name(primary: &str) -> &'static str {
    let name = std::path::Path::new(primary).file_name().map_or(String::new(), |n| n.to_string_lossy().to_lowercase());
    if name.contains("cons") || name.contains("prim") { "OFAC consolidated (non-SDN)" } else { "OFAC SDN" }
}

/// Reads an OFAC list in its legacy CSV form: the primary file (`sdn.csv` or `cons_prim.csv`, required), its
/// aliases (`alt.csv`) and its addresses (`add.csv`, whose countries count as the entry's countries) when given.
/// The list's name follows the primary file's ([`ofac_list_name`]).
pub fn read_ofac_csv(
    sdn: (&str, &[u8]),
    alt: Option<(&str, &[u8])>,
    add: Option<(&str, &[u8])>,
) -> Result<List, LoadError> {
    let (origin, bytes) = sdn;
    let text = text_of(origin, bytes)?;
    let mut drafts: Vec<Draft> = Vec::new();
    let mut by_number: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let empty = |field: &str| -> Option<String> {
        let field = field.trim();
        if field.is_empty() || field == "-0-" { None } else { Some(field.to_string()) }
    };
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(origin, text, &e))?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        if record.len() == 1 && record[0].trim().is_empty() || record.get(0).is_some_and(|f| f.starts_with('\u{1a}')) {
            continue;
        }
        if record.len() != 12 {
            return Err(LoadError::At {
                origin: origin.into(),
                line,
                column: 1,
                message: format!("{} fields, expected the 12 of an OFAC SDN row", record.len()),
            });
        }
        let number = record[0].trim().to_string();
        if number.parse::<u64>().is_err() {
            return Err(LoadError::At {
                origin: origin.into(),
                line,
                column: 1,
                message: format!("`{number}` is not an SDN entry number"),
            });
        }
        let kind = match record[2].trim().to_ascii_lowercase().as_str() {
            "individual" => EntityKind::Person,
            "vessel" => EntityKind::Vessel,
            "aircraft" => EntityKind::Aircraft,
            _ => EntityKind::Organization,
        };
        let mut draft = Draft { id: format!("ofac-{number}"), kind: Some(kind), ..Draft::default() };
        let Some(name) = empty(&record[1]) else {
            return Err(LoadError::At {
                origin: origin.into(),
                line,
                column: 2,
                message: format!("SDN entry {number} has no name"),
            });
        };
        draft.names.push((name, false));
        if let Some(programs) = empty(&record[3]) {
            draft.programs = programs.trim_matches(['[', ']']).split("] [").map(|p| p.trim().to_string()).collect();
        }
        if let Some(remarks) = empty(&record[11]) {
            for item in remarks.split(';') {
                let item = item.trim().trim_end_matches('.');
                let lower = item.to_ascii_lowercase();
                if let Some(rest) = lower.strip_prefix("dob ").or_else(|| lower.strip_prefix("alt. dob ")) {
                    draft.birth_dates.extend(ofac_birth_date(rest));
                } else if let Some(rest) = item.strip_prefix("a.k.a. ").or_else(|| item.strip_prefix("f.k.a. ")) {
                    // Short and weak names OFAC keeps in the remarks (a.k.a. 'BNC').
                    let alias = rest.trim().trim_matches('\'').trim();
                    if !alias.is_empty() {
                        draft.names.push((alias.to_string(), true));
                    }
                } else if let Some(rest) = item.strip_prefix("nationality ").or_else(|| item.strip_prefix("citizen ")) {
                    draft.country(rest);
                } else if let Some(rest) = item.strip_prefix("Gender ") {
                    draft.gender = Gender::parse(rest);
                } else if let Some(rest) = OFAC_IDENTIFIERS.iter().find_map(|prefix| item.strip_prefix(prefix)) {
                    let number = rest.split(" (").next().unwrap_or(rest);
                    let id = normalize_identifier(number);
                    if !id.is_empty() {
                        draft.identifiers.push(id);
                    }
                }
            }
        }
        by_number.insert(number, drafts.len());
        drafts.push(draft);
    }
    let mut parts: Vec<&[u8]> = vec![bytes];
    if let Some((alt_origin, alt_bytes)) = alt {
        parts.push(alt_bytes);
        companion_rows(alt_origin, alt_bytes, 5, "alias", |line, record| {
            let Some(&index) = by_number.get(record[0].trim()) else {
                return Err(LoadError::At {
                    origin: alt_origin.into(),
                    line,
                    column: 1,
                    message: format!("alias of SDN entry {}, which the SDN file does not have", record[0].trim()),
                });
            };
            if let Some(name) = empty(&record[3]) {
                drafts[index].names.push((name, false));
            }
            Ok(())
        })?;
    }
    let mut unknown_addresses = Vec::new();
    if let Some((add_origin, add_bytes)) = add {
        parts.push(add_bytes);
        companion_rows(add_origin, add_bytes, 6, "address", |line, record| {
            // OFAC's published address file can run ahead of its primary file (entries added or removed
            // between the two downloads): such rows are counted and passed over, not a reason to refuse.
            match by_number.get(record[0].trim()) {
                Some(&index) => {
                    if let Some(country) = empty(&record[4]) {
                        drafts[index].country(&country);
                    }
                }
                None => unknown_addresses.push(line),
            }
            Ok(())
        })?;
    }
    let info = Arc::new(ListInfo {
        name: ofac_list_name(origin).into(),
        version: None,
        format: Format::OfacCsv.name(),
        sha256: sha256_of(&parts),
    });
    let mut list = finish(origin, info, drafts)?;
    if let (Some((add_origin, _)), Some(first)) = (add, unknown_addresses.first()) {
        list.warnings.push(format!(
            "{add_origin}: {} addresses (the first on line {first}) are of entries {origin} does not have; they \
             were passed over (are the two files from the same day?)",
            unknown_addresses.len()
        ));
    }
    Ok(list)
}

/// Reads the rows of one of an OFAC legacy list's companion files (no header, a `^Z` line at the end), each of
/// `fields` fields, refusing any other with its line; `row` gets each row with its line.
fn companion_rows(
    origin: &str,
    bytes: &[u8],
    fields: usize,
    what: &str,
    mut row: impl FnMut(usize, &csv::StringRecord) -> Result<(), LoadError>,
) -> Result<(), LoadError> {
    let text = text_of(origin, bytes)?;
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(origin, text, &e))?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        if record.len() == 1 && (record[0].trim().is_empty() || record[0].starts_with('\u{1a}')) {
            continue;
        }
        if record.len() != fields {
            return Err(LoadError::At {
                origin: origin.into(),
                line,
                column: 1,
                message: format!("{} fields, expected the {fields} of an OFAC {what} row", record.len()),
            });
        }
        row(line, &record)?;
    }
    Ok(())
}

fn csv_error(origin: &str, text: &str, error: &csv::Error) -> LoadError {
    let (line, column) = match error.position() {
        Some(p) => position(text, p.byte() as usize),
        None => (0, 0),
    };
    LoadError::At { origin: origin.to_string(), line, column, message: format!("bad CSV: {error}") }
}

/// The FollowTheMoney properties read as an entity's names, in this order; a `weakAlias` is a weak alias. The
/// names, countries and identifiers of a project's entities are screened by these same properties (and the kind
/// by [`EntityKind::of_schema`]): what a list's entity would be read by, a project's entity is screened by.
pub const FTM_NAME_PROPERTIES: [&str; 4] = ["name", "alias", "previousName", "weakAlias"];

/// The FollowTheMoney properties read as an entity's countries.
pub const FTM_COUNTRY_PROPERTIES: [&str; 4] = ["nationality", "citizenship", "country", "jurisdiction"];

/// The FollowTheMoney properties read as an entity's identifiers (normalised by
/// [`normalize_identifier`]).
pub const FTM_IDENTIFIER_PROPERTIES: [&str; 7] =
    ["idNumber", "passportNumber", "registrationNumber", "innCode", "ogrnCode", "imoNumber", "taxNumber"];

/// Reads FollowTheMoney entities, one JSON object per line (an OpenSanctions export, `clew export --format ftm`).
pub fn read_ftm(origin: &str, bytes: &[u8]) -> Result<List, LoadError> {
    let text = text_of(origin, bytes)?;
    let mut drafts = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        if line.trim().is_empty() {
            continue;
        }
        let at = |column: usize, message: String| LoadError::At {
            origin: origin.to_string(),
            line: number,
            column,
            message,
        };
        let value: serde_json::Value =
            serde_json::from_str(line).map_err(|e| at(e.column(), format!("bad JSON: {e}")))?;
        let id = value.get("id").and_then(|v| v.as_str()).ok_or_else(|| at(1, "an entity without an `id`".into()))?;
        let schema = value
            .get("schema")
            .and_then(|v| v.as_str())
            .ok_or_else(|| at(1, format!("entity `{id}` has no `schema`")))?;
        let properties = value.get("properties").and_then(|v| v.as_object());
        if let Some(properties) = properties {
            for (property, value) in properties {
                if !value.as_array().is_some_and(|a| a.iter().all(serde_json::Value::is_string)) {
                    return Err(at(
                        1,
                        format!("entity `{id}`: property `{property}` must be a list of strings (FollowTheMoney)"),
                    ));
                }
            }
        } else if value.get("properties").is_some() {
            return Err(at(1, format!("entity `{id}`: `properties` must be an object")));
        }
        let values = |name: &str| -> Vec<String> {
            properties
                .and_then(|p| p.get(name))
                .and_then(|v| v.as_array())
                .map(|a| a.iter().filter_map(|v| v.as_str().map(String::from)).collect())
                .unwrap_or_default()
        };
        let kind = EntityKind::of_schema(schema);
        let mut draft = Draft { id: id.to_string(), kind: Some(kind), ..Draft::default() };
        for property in FTM_NAME_PROPERTIES {
            for name in values(property) {
                draft.names.push((name, property == "weakAlias"));
            }
        }
        for date in values("birthDate") {
            if let Ok(parsed) = date.get(..date.len().min(10)).unwrap_or("").parse::<PartialDate>() {
                draft.birth_dates.push(BirthDate::Date(parsed));
            }
        }
        for property in FTM_COUNTRY_PROPERTIES {
            for country in values(property) {
                draft.country(&country);
            }
        }
        draft.gender = values("gender").iter().find_map(|g| Gender::parse(g));
        for property in FTM_IDENTIFIER_PROPERTIES {
            draft
                .identifiers
                .extend(values(property).iter().map(|v| normalize_identifier(v)).filter(|v| !v.is_empty()));
        }
        draft.programs = values("program");
        // Sanctions, addresses, ownerships and other nameless entities of an export are not screened.
        if draft.names.is_empty() {
            continue;
        }
        drafts.push(draft);
    }
    let name = std::path::Path::new(origin).file_name().map_or(origin.to_string(), |n| n.to_string_lossy().to_string());
    let info = Arc::new(ListInfo { name, version: None, format: Format::Ftm.name(), sha256: sha256_of(&[bytes]) });
    finish(origin, info, drafts)
}

/// Reads the simple CSV format (see [`Format::Csv`]).
pub fn read_csv(origin: &str, bytes: &[u8]) -> Result<List, LoadError> {
    let text = text_of(origin, bytes)?;
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| csv_error(origin, text, &e))?.clone();
    let column = |name: &str| headers.iter().position(|h| h.trim().eq_ignore_ascii_case(name));
    let Some(name_column) = column("name") else {
        return Err(LoadError::At {
            origin: origin.into(),
            line: 1,
            column: 1,
            message: "no `name` column in the header".into(),
        });
    };
    let (id_column, schema_column, aliases_column) = (column("id"), column("schema"), column("aliases"));
    let (birth_column, nationality_column, gender_column) =
        (column("birth_date"), column("nationality"), column("gender"));
    let (identifiers_column, program_column) = (column("identifiers"), column("program"));
    let mut drafts = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let record = record.map_err(|e| csv_error(origin, text, &e))?;
        let line = record.position().map_or(index + 2, |p| p.line() as usize);
        let field = |column: Option<usize>| column.and_then(|c| record.get(c)).map(str::trim).filter(|v| !v.is_empty());
        let at = |column: usize, message: String| LoadError::At {
            origin: origin.to_string(),
            line,
            column: column + 1,
            message,
        };
        let Some(name) = field(Some(name_column)) else {
            return Err(at(name_column, "empty `name`".into()));
        };
        let kind = match field(schema_column) {
            None => EntityKind::Person,
            Some(text) => EntityKind::parse(text).ok_or_else(|| {
                at(
                    schema_column.unwrap_or(0),
                    format!("`schema`: `{text}` is not Person, Organization, Company, Vessel or Airplane"),
                )
            })?,
        };
        let id = field(id_column).map_or_else(|| format!("row-{line}"), String::from);
        let mut draft = Draft { id, kind: Some(kind), ..Draft::default() };
        draft.names.push((name.to_string(), false));
        for alias in field(aliases_column).unwrap_or("").split(';').map(str::trim).filter(|a| !a.is_empty()) {
            draft.names.push((alias.to_string(), false));
        }
        if let Some(date) = field(birth_column) {
            let parsed: PartialDate =
                date.parse().map_err(|e: String| at(birth_column.unwrap_or(0), format!("`birth_date`: {e}")))?;
            draft.birth_dates.push(BirthDate::Date(parsed));
        }
        if let Some(country) = field(nationality_column) {
            draft.country(country);
        }
        draft.gender = field(gender_column).and_then(Gender::parse);
        if let Some(ids) = field(identifiers_column) {
            draft.identifiers = ids.split(';').map(normalize_identifier).filter(|i| !i.is_empty()).collect();
        }
        draft.programs = field(program_column).map(|p| vec![p.to_string()]).unwrap_or_default();
        drafts.push(draft);
    }
    let name = std::path::Path::new(origin).file_name().map_or(origin.to_string(), |n| n.to_string_lossy().to_string());
    let info = Arc::new(ListInfo { name, version: None, format: Format::Csv.name(), sha256: sha256_of(&[bytes]) });
    finish(origin, info, drafts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ofac_dates_of_birth_are_read() {
        let date = |text: &str| ofac_birth_date(text);
        assert_eq!(date("08 Jan 1984"), Some(BirthDate::Date("1984-01-08".parse().unwrap())));
        assert_eq!(date("Jan 1984"), Some(BirthDate::Date("1984-01".parse().unwrap())));
        assert_eq!(date("circa 1960"), Some(BirthDate::Years { from: 1960, to: 1960 }));
        assert_eq!(date("1960 to 1962"), Some(BirthDate::Years { from: 1960, to: 1962 }));
        assert_eq!(date("unknown"), None);
    }

    #[test]
    fn formats_are_told_apart() {
        assert_eq!(Format::detect("list.xml", b"<?xml version='1.0'?><CONSOLIDATED_LIST>"), Some(Format::UnXml));
        assert_eq!(Format::detect("x.jsonl", b"{\"id\": \"a\"}"), Some(Format::Ftm));
        assert_eq!(Format::detect("sdn.csv", b"36,AEROCARIBBEAN AIRLINES,-0- ,CUBA"), Some(Format::OfacCsv));
        assert_eq!(Format::detect("mine.csv", b"id,name\n1,x"), Some(Format::Csv));
        assert_eq!(Format::detect("x.bin", b"\x00\x01"), None);
    }

    #[test]
    fn positions_are_lines_and_columns() {
        assert_eq!(position("ab\ncd\nef", 4), (2, 2));
        assert_eq!(position("abc", 0), (1, 1));
    }
}

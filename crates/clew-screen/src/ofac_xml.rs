//! Reading OFAC's lists in the "advanced" XML format (`sdn_advanced.xml`, `cons_advanced.xml`; schema
//! `sdn_advanced.xsd`). Everything in it is a reference to something else: a party's type to a table of party
//! types, its citizenship to a location and the location to a country, its passports to its identity, its
//! programmes to its profile. The file is streamed, and each record below the top-level containers (a party,
//! a location, a document, a sanctions entry, a lookup table) is built as a small tree and folded into the
//! entities at once, so memory follows the entities, not the file. Element names are matched without their
//! namespace prefix.

use std::collections::HashMap;
use std::sync::Arc;

use clew_model::value::PartialDate;
use quick_xml::events::{BytesStart, Event};

use crate::countries::code_of;
use crate::entity::{BirthDate, EntityKind, Gender, ListInfo, normalize_identifier};
use crate::lists::{
    Draft, Format, List, LoadError, finish as finish_list, position, resolve_reference, sha256_of, text_of, without_imo,
};

/// One element of a record: its local name, attributes, text and children.
#[derive(Debug, Default)]
struct Node {
    name: String,
    attributes: Vec<(String, String)>,
    text: String,
    children: Vec<Node>,
}

impl Node {
    fn start(element: &BytesStart) -> Node {
        let attributes = element
            .attributes()
            .flatten()
            .map(|a| {
                let key = String::from_utf8_lossy(a.key.local_name().as_ref()).to_string();
                let value = a.unescape_value().map(|v| v.to_string()).unwrap_or_default();
                (key, value)
            })
            .collect();
        Node { name: String::from_utf8_lossy(element.local_name().as_ref()).to_string(), attributes, ..Node::default() }
    }

    fn attribute(&self, key: &str) -> Option<&str> {
        self.attributes.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    fn children<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }

    /// The text of a child, trimmed.
    fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.trim())
    }
}

/// A year, month and day as the format writes them (`<Year>`, `<Month>`, `<Day>`), any of them missing.
fn date_of(node: &Node) -> Option<(u16, Option<u8>, Option<u8>)> {
    let year = node.child_text("Year")?.parse().ok()?;
    let month = node.child_text("Month").and_then(|m| m.parse().ok());
    let day = node.child_text("Day").and_then(|d| d.parse().ok());
    Some((year, month, day))
}

/// A birth date from a `<DatePeriod>`: from the start's earliest date to the end's latest (either bound
/// standing in for a missing other). The same date at both ends is that date; a whole month, that month; a year
/// from 1 January to 31 December, that year; anything wider, a range of years.
fn birth_date(period: &Node) -> Option<BirthDate> {
    let bound = |outer: &str, inner: [&str; 2]| {
        let node = period.child(outer)?;
        inner.iter().find_map(|name| node.child(name).and_then(date_of))
    };
    let from = bound("Start", ["From", "To"]).or_else(|| bound("End", ["From", "To"]))?;
    let to = bound("End", ["To", "From"]).unwrap_or(from);
    let date = |text: String| text.parse::<PartialDate>().ok().map(BirthDate::Date);
    match (from, to) {
        ((y, Some(m), Some(d)), (y2, Some(m2), Some(d2))) if (y, m, d) == (y2, m2, d2) => {
            date(format!("{y:04}-{m:02}-{d:02}"))
        }
        ((y, Some(m), Some(1)), (y2, Some(m2), Some(d2)))
            if y == y2 && m == m2 && d2 == PartialDate::days_in_month(y, m) =>
        {
            date(format!("{y:04}-{m:02}"))
        }
        ((y, m, _), (y2, m2, _)) if y == y2 && m == m2 && m.is_some() => date(format!("{y:04}-{:02}", m.unwrap_or(1))),
        ((y, _, _), (y2, _, _)) => Some(BirthDate::Years { from: y.min(y2), to: y.max(y2) }),
    }
}

/// What the lookup tables say, by table entry name and ID.
#[derive(Default)]
struct References {
    entries: HashMap<(String, String), Node>,
}

impl References {
    fn get(&self, table: &str, id: Option<&str>) -> Option<&Node> {
        self.entries.get(&(table.to_string(), id?.to_string()))
    }

    fn text(&self, table: &str, id: Option<&str>) -> Option<&str> {
        self.get(table, id).map(|n| n.text.trim())
    }

    /// An entity's kind from its profile's party subtype.
    fn kind(&self, subtype: Option<&str>) -> EntityKind {
        let Some(subtype) = self.get("PartySubType", subtype) else { return EntityKind::Other };
        match (self.text("PartyType", subtype.attribute("PartyTypeID")), subtype.text.trim()) {
            (Some("Individual"), _) => EntityKind::Person,
            (Some("Entity"), _) => EntityKind::Organization,
            (_, "Vessel") => EntityKind::Vessel,
            (_, "Aircraft") => EntityKind::Aircraft,
            _ => EntityKind::Other,
        }
    }
}

/// The state of a read: entities so far, and what refers to them by ID.
#[derive(Default)]
struct Reading {
    version: Option<String>,
    references: References,
    location_countries: HashMap<String, String>,
    drafts: Vec<Draft>,
    by_profile: HashMap<String, usize>,
    by_identity: HashMap<String, usize>,
    /// Citizenship locations, resolved once every location is read.
    pending_countries: Vec<(usize, String)>,
    /// Documents and entries whose party may come later in the file.
    pending_documents: Vec<(String, String)>,
    pending_entries: Vec<(String, Vec<String>, Option<String>)>,
}

impl Reading {
    fn record(&mut self, container: &str, node: Node) -> Result<(), String> {
        match container {
            "DateOfIssue" => {
                let value = node.text.trim().parse::<u16>().ok();
                let version = self.version.get_or_insert_with(String::new);
                if let Some(v) = value {
                    let part = if node.name == "Year" { format!("{v:04}") } else { format!("-{v:02}") };
                    version.push_str(&part);
                }
            }
            "ReferenceValueSets" => {
                for entry in node.children {
                    if let Some(id) = entry.attribute("ID").map(String::from) {
                        self.references.entries.insert((entry.name.clone(), id), entry);
                    }
                }
            }
            "Locations" => {
                // The country by its ID, or else (some citizenship locations are only a name) by its name.
                let country = node.child("LocationCountry").and_then(|c| c.attribute("CountryID"));
                let iso2 = self
                    .references
                    .get("Country", country)
                    .and_then(|c| c.attribute("ISO2"))
                    .map(str::to_ascii_lowercase);
                let named = || {
                    node.children("LocationPart")
                        .flat_map(|part| part.children("LocationPartValue"))
                        .filter_map(|value| value.child_text("Value"))
                        .find_map(code_of)
                };
                if let (Some(id), Some(code)) = (node.attribute("ID"), iso2.or_else(named)) {
                    self.location_countries.insert(id.to_string(), code);
                }
            }
            "IDRegDocuments" => {
                if let (Some(identity), Some(number)) =
                    (node.attribute("IdentityID"), node.child_text("IDRegistrationNo"))
                {
                    self.pending_documents.push((identity.to_string(), number.to_string()));
                }
            }
            "SanctionsEntries" => {
                let Some(profile) = node.attribute("ProfileID") else { return Ok(()) };
                let programs = node
                    .children("SanctionsMeasure")
                    .filter_map(|m| m.child_text("Comment"))
                    .filter(|c| !c.is_empty())
                    .map(String::from)
                    .collect();
                let list = self.references.text("List", node.attribute("ListID")).map(String::from);
                self.pending_entries.push((profile.to_string(), programs, list));
            }
            "DistinctParties" => self.party(&node)?,
            _ => {}
        }
        Ok(())
    }

    fn party(&mut self, party: &Node) -> Result<(), String> {
        for (nth, profile) in party.children("Profile").enumerate() {
            // Its FixedRef is the entry's number in every OFAC file (the legacy CSV's too); the profile's ID is the
            // same number in OFAC's files, and stands in when FixedRef is missing.
            let Some(fixed) = party.attribute("FixedRef").or_else(|| profile.attribute("ID")) else {
                return Err("a <DistinctParty> with neither FixedRef nor a profile ID".into());
            };
            let index = self.drafts.len();
            let id = if nth == 0 { format!("ofac-{fixed}") } else { format!("ofac-{fixed}-{}", nth + 1) };
            let mut primaries = 0;
            let mut draft =
                Draft { id, kind: Some(self.references.kind(profile.attribute("PartySubTypeID"))), ..Draft::default() };
            if let Some(id) = profile.attribute("ID") {
                self.by_profile.insert(id.to_string(), index);
            }
            for identity in profile.children("Identity") {
                if let Some(id) = identity.attribute("ID") {
                    self.by_identity.insert(id.to_string(), index);
                }
                for alias in identity.children("Alias") {
                    let weak = alias.attribute("LowQuality") == Some("true");
                    let primary = alias.attribute("Primary") == Some("true");
                    // The primary alias's names go first, its "Primary Latin" one before those in other scripts.
                    let mut documented: Vec<&Node> = alias.children("DocumentedName").collect();
                    documented.sort_by_key(|d| {
                        self.references.text("DocNameStatus", d.attribute("DocNameStatusID")) != Some("Primary Latin")
                    });
                    for name in documented {
                        let parts: Vec<&str> = name
                            .children("DocumentedNamePart")
                            .filter_map(|p| p.child_text("NamePartValue"))
                            .filter(|p| !p.is_empty())
                            .collect();
                        let name = (parts.join(" "), weak);
                        if primary {
                            draft.names.insert(primaries, name);
                            primaries += 1;
                        } else {
                            draft.names.push(name);
                        }
                    }
                }
            }
            for feature in profile.children("Feature") {
                let kind = self.references.text("FeatureType", feature.attribute("FeatureTypeID")).unwrap_or("");
                for version in feature.children("FeatureVersion") {
                    match kind {
                        "Birthdate" => {
                            if let Some(date) = version.child("DatePeriod").and_then(birth_date) {
                                draft.birth_dates.push(date);
                            }
                        }
                        "Citizenship Country" | "Nationality Country" => {
                            if let Some(location) =
                                version.child("VersionLocation").and_then(|l| l.attribute("LocationID"))
                            {
                                self.pending_countries.push((index, location.to_string()));
                            }
                        }
                        // Identifiers written as features rather than documents.
                        "SWIFT/BIC" | "Vessel Registration Identification" | "MMSI" | "Aircraft Tail Number" => {
                            let id = version
                                .child_text("VersionDetail")
                                .map(|text| normalize_identifier(without_imo(text)))
                                .unwrap_or_default();
                            if !id.is_empty() {
                                draft.identifiers.push(id);
                            }
                        }
                        "Gender" => {
                            let detail = version.child("VersionDetail").and_then(|d| d.attribute("DetailReferenceID"));
                            draft.gender = self.references.text("DetailReference", detail).and_then(Gender::parse);
                        }
                        _ => {}
                    }
                }
            }
            self.drafts.push(draft);
        }
        Ok(())
    }
}

/// Reads an OFAC list in the advanced XML format.
pub fn read_ofac_xml(origin: &str, bytes: &[u8]) -> Result<List, LoadError> {
    let text = text_of(origin, bytes)?;
    let at = |offset: u64, message: String| {
        let (line, column) = position(text, offset as usize);
        LoadError::At { origin: origin.to_string(), line, column, message }
    };
    let mut reader = quick_xml::Reader::from_str(text);
    let mut names: Vec<String> = Vec::new();
    // The record being built: elements from depth 3 down.
    let mut open: Vec<Node> = Vec::new();
    let mut record_offset = 0;
    let mut reading = Reading::default();
    loop {
        let offset = reader.buffer_position();
        let event = reader.read_event().map_err(|e| at(reader.error_position(), format!("bad XML: {e}")))?;
        let (start, end) = match &event {
            Event::Start(element) => (Some(Node::start(element)), false),
            Event::Empty(element) => (Some(Node::start(element)), true),
            Event::End(_) => (None, true),
            Event::Text(content) => {
                if let Some(node) = open.last_mut() {
                    node.text.push_str(&content.decode().map_err(|e| at(offset, format!("bad text: {e}")))?);
                }
                continue;
            }
            Event::GeneralRef(reference) => {
                let resolved = resolve_reference(reference).map_err(|message| at(offset, message))?;
                if let Some(node) = open.last_mut() {
                    node.text.push_str(&resolved);
                }
                continue;
            }
            Event::CData(content) => {
                if let Some(node) = open.last_mut() {
                    node.text.push_str(&String::from_utf8_lossy(content));
                }
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        if let Some(node) = start {
            if names.is_empty() && node.name != "Sanctions" {
                return Err(at(
                    offset,
                    format!("expected <Sanctions> (an OFAC advanced XML list), found <{}>", node.name),
                ));
            }
            if names.len() >= crate::lists::MAX_XML_DEPTH {
                return Err(at(offset, crate::lists::too_deep()));
            }
            names.push(node.name.clone());
            // Depth 1 is <Sanctions>, 2 a container (<DistinctParties>...), 3 a record in it.
            if names.len() >= 3 {
                if open.is_empty() {
                    record_offset = offset;
                }
                open.push(node);
            }
        }
        if end {
            if names.len() >= 3
                && let Some(done) = open.pop()
            {
                match open.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => {
                        let container = names[1].clone();
                        reading.record(&container, done).map_err(|message| at(record_offset, message))?;
                    }
                }
            }
            if names.pop().is_none() {
                return Err(at(offset, "a closing tag with nothing open".into()));
            }
        }
    }
    if !names.is_empty() {
        return Err(LoadError::File {
            origin: origin.to_string(),
            message: format!("the file ends inside <{}>: it is cut short", names.join("><")),
        });
    }
    if reading.drafts.is_empty() {
        return Err(LoadError::File { origin: origin.to_string(), message: "no <DistinctParty> in the file".into() });
    }
    finish(origin, bytes, reading)
}

fn finish(origin: &str, bytes: &[u8], mut reading: Reading) -> Result<List, LoadError> {
    for (index, location) in std::mem::take(&mut reading.pending_countries) {
        if let Some(country) = reading.location_countries.get(&location) {
            reading.drafts[index].countries.push(country.clone());
        }
    }
    // Sets, not searches of what each entry has so far: a hostile file repeating one entry's documents or
    // programmes would otherwise cost the square of their number.
    let mut seen: std::collections::HashSet<(usize, String)> = std::collections::HashSet::new();
    for (index, draft) in reading.drafts.iter().enumerate() {
        seen.extend(draft.identifiers.iter().map(|id| (index, id.clone())));
    }
    for (identity, number) in std::mem::take(&mut reading.pending_documents) {
        if let Some(&index) = reading.by_identity.get(&identity) {
            let id = normalize_identifier(without_imo(&number));
            if !id.is_empty() && seen.insert((index, id.clone())) {
                reading.drafts[index].identifiers.push(id);
            }
        }
    }
    seen.clear();
    for (index, draft) in reading.drafts.iter().enumerate() {
        seen.extend(draft.programs.iter().map(|program| (index, program.clone())));
    }
    let mut lists: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    for (profile, programs, list) in std::mem::take(&mut reading.pending_entries) {
        if let Some(&index) = reading.by_profile.get(&profile) {
            for program in programs {
                if seen.insert((index, program.clone())) {
                    reading.drafts[index].programs.push(program);
                }
            }
        }
        lists.extend(list);
    }
    let lists: Vec<String> = lists.into_iter().collect();
    let info = Arc::new(ListInfo {
        name: if lists.is_empty() { "OFAC".to_string() } else { format!("OFAC {}", lists.join(", ")) },
        version: reading.version,
        format: Format::OfacXml.name(),
        sha256: sha256_of(&[bytes]),
    });
    finish_list(origin, info, reading.drafts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaf(name: &str, text: &str) -> Node {
        Node { name: name.into(), text: text.into(), ..Node::default() }
    }

    fn node(name: &str, children: Vec<Node>) -> Node {
        Node { name: name.into(), children, ..Node::default() }
    }

    fn day(name: &str, (y, m, d): (u16, u8, u8)) -> Node {
        node(name, vec![leaf("Year", &y.to_string()), leaf("Month", &m.to_string()), leaf("Day", &d.to_string())])
    }

    fn period(start: (u16, u8, u8), end: Option<(u16, u8, u8)>) -> Node {
        let mut bounds = vec![node("Start", vec![day("From", start), day("To", start)])];
        if let Some(end) = end {
            bounds.push(node("End", vec![day("From", end), day("To", end)]));
        }
        node("DatePeriod", bounds)
    }

    #[test]
    fn birth_dates_keep_the_precision_the_period_has() {
        let on = |text: &str| Some(BirthDate::Date(text.parse().unwrap()));
        assert_eq!(birth_date(&period((1980, 2, 8), Some((1980, 2, 8)))), on("1980-02-08"));
        assert_eq!(birth_date(&period((1984, 1, 1), Some((1984, 1, 31)))), on("1984-01"));
        assert_eq!(
            birth_date(&period((1962, 1, 1), Some((1962, 12, 31)))),
            Some(BirthDate::Years { from: 1962, to: 1962 })
        );
        assert_eq!(
            birth_date(&period((1960, 1, 1), Some((1962, 12, 31)))),
            Some(BirthDate::Years { from: 1960, to: 1962 })
        );
        // Only a start: that date.
        assert_eq!(birth_date(&period((1975, 3, 2), None)), on("1975-03-02"));
        assert_eq!(birth_date(&node("DatePeriod", vec![])), None);
    }
}

//! Integration tests of list reading and screening on the real lists in `test_data/lists`.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod hostile;
mod kinds;
mod korean;
mod korean_attested;

use std::path::PathBuf;

use clew_screen::entity::{BirthDate, EntityKind};
use clew_screen::lists::{Format, LoadError, read_csv, read_ftm, read_ofac_csv, read_un_xml};
use clew_screen::ofac_xml::read_ofac_xml;

fn shared(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("test_data/lists").join(path)
}

fn bytes(path: &str) -> Vec<u8> {
    std::fs::read(shared(path)).unwrap()
}

#[test]
fn the_un_consolidated_list_reads_whole() {
    let list = read_un_xml("un.xml", &bytes("un_sc_consolidated_2024-09-26.xml")).unwrap();
    assert_eq!(list.entities.len(), 875);
    assert_eq!(list.info.version.as_deref(), Some("2024-09-26T00:00:07.514Z"));
    let dprk_people = list.entities.iter().filter(|e| e.id.starts_with("un-KPi.")).count();
    let dprk_entities = list.entities.iter().filter(|e| e.id.starts_with("un-KPe.")).count();
    assert_eq!((dprk_people, dprk_entities), (80, 75));
    let pak = list.entities.iter().find(|e| e.id == "un-KPi.049").unwrap();
    assert_eq!(pak.kind, EntityKind::Person);
    let names: Vec<&str> = pak.names.iter().map(|n| n.text.as_str()).collect();
    assert_eq!(names, ["PAK HAN SE", "Kang Myong Chol"]);
    assert_eq!(pak.countries, ["kp"]);
    assert_eq!(pak.identifiers, ["290410121"]);
    assert_eq!(pak.programs, ["DPRK"]);
    // `&amp;` is read as `&`, not as the end of the name.
    assert!(list.entities.iter().any(|e| e.names[0].text == "PHYONGCHON SHIPPING & MARINE"), "&amp; in a name");
    let yun = list.entities.iter().find(|e| e.id == "un-KPi.001").unwrap();
    assert_eq!(yun.birth_dates, [BirthDate::Date("1944-10-13".parse().unwrap())]);
    // TYPE_OF_DATE APPROXIMATELY 1961 was read as exactly 1961: it is the years around it.
    let approximate = list.entities.iter().find(|e| e.id == "un-TAi.005").unwrap();
    assert_eq!(approximate.birth_dates, [BirthDate::Years { from: 1959, to: 1963 }]);
}

#[test]
fn a_truncated_or_broken_un_list_is_refused_with_its_place() {
    let full = bytes("un_sc_consolidated_2024-09-26.xml");
    let truncated = &full[..full.len() / 2];
    let cut = truncated.iter().rposition(|b| *b == b'\n').unwrap();
    let error = read_un_xml("un.xml", &truncated[..cut]).unwrap_err();
    assert!(error.to_string().contains("truncated"), "{error}");
    let broken = String::from_utf8(full.clone()).unwrap().replacen("</FIRST_NAME>", "</FIRST>", 1);
    let error = read_un_xml("un.xml", broken.as_bytes()).unwrap_err();
    let LoadError::At { line, .. } = &error else { panic!("{error}") };
    assert!(*line > 1, "{error}");
    let error = read_un_xml("un.xml", b"<other/>").unwrap_err();
    assert!(error.to_string().contains("CONSOLIDATED_LIST"), "{error}");
    let error = read_un_xml("un.xml", b"<CONSOLIDATED_LIST>\xff</CONSOLIDATED_LIST>").unwrap_err();
    assert!(matches!(error, LoadError::Encoding { offset: 19, .. }), "{error}");
}

#[test]
fn the_ofac_sdn_list_reads_with_its_aliases() {
    let sdn = bytes("ofac_sdn_2022-01.csv");
    let alt = bytes("ofac_alt_2022-01.csv");
    let add = bytes("ofac_add_2022-01.csv");
    let list = read_ofac_csv(("sdn.csv", &sdn), Some(("alt.csv", &alt)), Some(("add.csv", &add))).unwrap();
    assert_eq!(list.entities.len(), 9044);
    assert_eq!(list.info.name, "OFAC SDN");
    let dprk = list.entities.iter().filter(|e| e.programs.iter().any(|p| p.starts_with("DPRK"))).count();
    assert_eq!(dprk, 423);
    let kim = list.entities.iter().find(|e| e.id == "ofac-20157").unwrap();
    assert_eq!(kim.names[0].text, "KIM, Jong Un");
    assert_eq!(kim.birth_dates, [BirthDate::Date("1984-01-08".parse().unwrap())]);
    let mokran = list.entities.iter().find(|e| e.id == "ofac-30083").unwrap();
    assert_eq!(mokran.kind, EntityKind::Organization);
    assert!(mokran.identifiers.contains(&"7811489970".to_string()), "{:?}", mokran.identifiers);
    // add.csv was promised and never read: its countries are the entry's (Mokran's addresses are in Russia).
    assert_eq!(mokran.countries, ["ru"]);
    let bank = list.entities.iter().find(|e| e.id == "ofac-306").unwrap();
    assert!(bank.countries.contains(&"es".to_string()) && bank.countries.contains(&"ch".to_string()));
    let without = read_ofac_csv(("sdn.csv", &sdn), Some(("alt.csv", &alt)), None).unwrap();
    assert!(without.entities.iter().find(|e| e.id == "ofac-30083").unwrap().countries.is_empty());
    assert_ne!(without.info.sha256, list.info.sha256, "the addresses are part of what was read");
    let error = read_ofac_csv(("sdn.csv", &sdn), None, Some(("add.csv", b"1,2,x,y\n"))).unwrap_err();
    assert_eq!(error.to_string(), "add.csv:1:1: 4 fields, expected the 6 of an OFAC address row");
    // Alternative dates of birth and the short names OFAC keeps in its remarks are read (weak).
    let nasrallah = list.entities.iter().find(|e| e.id == "ofac-2686").unwrap();
    assert_eq!(nasrallah.birth_dates.len(), 4, "{:?}", nasrallah.birth_dates);
    let bank = list.entities.iter().find(|e| e.id == "ofac-306").unwrap();
    assert!(
        bank.names.iter().any(|n| n.text == "BNC" && n.weak),
        "{:?}",
        bank.names.iter().map(|n| &n.text).collect::<Vec<_>>()
    );
    let aliases: usize = list.entities.iter().map(|e| e.names.len() - 1).sum();
    assert!(aliases > 10_000, "{aliases}");
    // A row with a field missing is refused with its line.
    let broken = String::from_utf8(sdn.clone()).unwrap().replacen(",-0- ,CUBA,", ",CUBA,", 1);
    let error = read_ofac_csv(("sdn.csv", broken.as_bytes()), None, None).unwrap_err();
    assert!(matches!(error, LoadError::At { line: 1, .. }), "{error}");
    // An alias of an entry the SDN file lacks.
    let error =
        read_ofac_csv(("sdn.csv", &sdn), Some(("alt.csv", b"999999999,1,aka,NOBODY,-0- \n")), None).unwrap_err();
    assert!(error.to_string().contains("alt.csv:1:1"), "{error}");
}

#[test]
fn the_consolidated_list_is_named_for_what_it_is_and_finds_its_companions() {
    // Every legacy OFAC CSV was recorded as "OFAC SDN", and the consolidated list's cons_alt.csv never found.
    let row = b"12345,\"DEMO NON-SDN ENTITY (fictional)\",-0- ,\"SSI\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n";
    let list = read_ofac_csv(("/x/cons_prim.csv", row), None, None).unwrap();
    assert_eq!(list.info.name, "OFAC consolidated (non-SDN)");
    let dated = read_ofac_csv(("ofac_cons_prim_2024-09.csv", row), None, None).unwrap();
    assert_eq!(dated.info.name, "OFAC consolidated (non-SDN)");
    use clew_screen::lists::ofac_companion_names;
    assert_eq!(ofac_companion_names("cons_prim.csv"), Some(("cons_alt.csv".into(), "cons_add.csv".into())));
    assert_eq!(ofac_companion_names("sdn.csv"), Some(("alt.csv".into(), "add.csv".into())));
    assert_eq!(
        ofac_companion_names("ofac_sdn_2022-01.csv"),
        Some(("ofac_alt_2022-01.csv".into(), "ofac_add_2022-01.csv".into()))
    );
    assert_eq!(ofac_companion_names("un.xml"), None);
}

#[test]
fn ftm_entities_and_simple_csv_read() {
    let list = read_ftm("dprk.jsonl", &bytes("un_dprk_entities_2024-09-26.jsonl")).unwrap();
    assert_eq!(list.entities.len(), 155);
    let error =
        read_ftm("x.jsonl", b"{\"id\": \"a\", \"schema\": \"Person\", \"properties\": {}}\n{bad\n").unwrap_err();
    assert!(error.to_string().starts_with("x.jsonl:2:"), "a nameless entity is passed over; bad JSON is not: {error}");
    let list = read_ftm(
        "x.jsonl",
        b"{\"id\": \"s\", \"schema\": \"Sanction\", \"properties\": {}}\n{\"id\": \"p\", \"schema\": \"Person\", \"properties\": {\"name\": [\"SYNTHETIC PERSON\"]}}\n",
    )
    .unwrap();
    assert_eq!(list.entities.len(), 1);
    let list = read_csv(
        "mine.csv",
        "id,name,aliases,birth_date,nationality\nS-1,SYNTHETIC TRADING LLC,Synth Trade;ООО Синтез,,ru\n".as_bytes(),
    )
    .unwrap();
    assert_eq!(list.entities[0].names.len(), 3);
    assert_eq!(list.entities[0].countries, ["ru"]);
    let error = read_csv("mine.csv", b"id,name,birth_date\nS-1,X,1990-13-01\n").unwrap_err();
    assert_eq!(error.to_string(), "mine.csv:2:3: `birth_date`: month 13 does not exist");
    let error = read_csv("mine.csv", b"id,name,schema\nS-1,X,Planet\n").unwrap_err();
    assert!(error.to_string().starts_with("mine.csv:2:3: `schema`"), "{error}");
    assert!(read_csv("mine.csv", b"id,name,schema\nS-1,X,individual\n").is_ok(), "the usual synonyms");
    let error = read_csv("mine.csv", b"id,name\nS-1,\n").unwrap_err();
    assert_eq!(error.to_string(), "mine.csv:2:2: empty `name`");
}

#[test]
fn a_shared_identifier_finds_an_entry_whatever_its_names() {
    use clew_screen::screen::{Options, Screener, read_queries};
    let list = read_csv(
        "mine.csv",
        "id,name,schema,identifiers\nS-1,SYNTHETIC SHIPPING CO,Company,IMO 9999999\nS-2,OTHER SYNTHETIC CO,Company,\n"
            .as_bytes(),
    )
    .unwrap();
    let screener = Screener::new(list.entities);
    let (queries, _) =
        read_queries("q.csv", "full_name,schema,identifiers\nWholly Different Name,Company,IMO9999999\n".as_bytes())
            .unwrap();
    let found = screener.screen(&queries[0], &Options::default());
    assert_eq!(found.first().map(|c| c.entity_id.as_str()), Some("S-1"), "{found:?}");
    assert!(found[0].qualifiers.iter().any(|q| q.feature == "identifier"));
}

/// OFAC's advanced XML: an excerpt of the real consolidated list of 2020-03-17 (public domain), four parties
/// with their references resolved: names and aliases, dates of birth (a day, a whole year), citizenship (by
/// country ID, or only by name), gender, documents and SWIFT codes, programmes from every list they are on.
#[test]
fn the_ofac_advanced_xml_reads_with_every_reference_resolved() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("test_data/ofac_cons_advanced_excerpt.xml");
    let bytes = std::fs::read(path).unwrap();
    assert_eq!(Format::detect("cons_advanced.xml", &bytes), Some(Format::OfacXml));
    let list = read_ofac_xml("cons_advanced.xml", &bytes).unwrap();
    assert_eq!(list.info.version.as_deref(), Some("2020-03-17"));
    assert_eq!(list.info.format, "ofac-xml");
    assert!(list.info.name.starts_with("OFAC ") && list.info.name.contains("Consolidated List"), "{}", list.info.name);
    assert_eq!(list.entities.len(), 4);
    let find = |id: &str| list.entities.iter().find(|e| e.id == id).unwrap();
    let names = |id: &str| find(id).names.iter().map(|n| n.text.clone()).collect::<Vec<_>>();

    let kayakiran = find("ofac-26182");
    assert_eq!(kayakiran.kind, EntityKind::Person);
    assert_eq!(names("ofac-26182"), ["KAYAKIRAN Evren"]);
    assert_eq!(kayakiran.birth_dates, [BirthDate::Date("1980-02-08".parse().unwrap())]);
    assert_eq!(kayakiran.countries, ["tr"]);
    assert_eq!(kayakiran.gender, Some(clew_screen::entity::Gender::Male));
    assert_eq!(kayakiran.identifiers, ["U00242309"]);
    assert_eq!(kayakiran.programs, ["FSE-IR"]);

    let haniya = find("ofac-9639");
    assert_eq!(names("ofac-9639"), ["HANIYA Ismail Abdul Salah", "HANIYA Ismail", "HANIYYA Ismaeel"]);
    assert_eq!(haniya.birth_dates, [BirthDate::Years { from: 1962, to: 1962 }]);
    assert!(haniya.countries.is_empty() && haniya.identifiers.is_empty());
    assert_eq!(haniya.programs, ["NS-PLC"]);

    let tnk = find("ofac-28603");
    assert_eq!(tnk.kind, EntityKind::Organization);
    assert_eq!(names("ofac-28603"), ["TNK Trading International S.A."]);
    assert_eq!(tnk.identifiers, ["CHE267936404", "CH66005590112"]);
    assert_eq!(tnk.programs, ["UKRAINE-EO13662", "VENEZUELA-EO13850"]);

    let kunlun = find("ofac-15268");
    assert_eq!(
        names("ofac-15268"),
        ["BANK OF KUNLUN CO LTD", "KARAMAY URBAN CREDIT COOPERATIVES", "KARAMAY CITY COMMERCIAL BANK CO LTD."]
    );
    assert_eq!(kunlun.identifiers, ["CKLBCNBJ"]);
    assert_eq!(kunlun.programs, ["561-Related"]);
}

#[test]
fn a_broken_ofac_advanced_xml_is_refused_with_its_place() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("test_data/ofac_cons_advanced_excerpt.xml");
    let full = String::from_utf8(std::fs::read(path).unwrap()).unwrap();
    let cut = &full[..full.find("<SanctionsEntries>").unwrap()];
    let error = read_ofac_xml("cons.xml", cut.as_bytes()).unwrap_err();
    assert!(error.to_string().contains("cut short"), "{error}");
    let broken = full.replacen("</NamePartValue>", "</NamePart>", 1);
    let error = read_ofac_xml("cons.xml", broken.as_bytes()).unwrap_err();
    let LoadError::At { line, .. } = &error else { panic!("{error}") };
    assert!(*line > 100, "{error}");
    let error = read_ofac_xml("cons.xml", b"<CONSOLIDATED_LIST/>").unwrap_err();
    assert!(error.to_string().contains("expected <Sanctions>"), "{error}");
    // Without its FixedRef, a party is known by its profile's ID, the same number.
    let no_ref = full.replacen(" FixedRef=\"26182\"", "", 1);
    let list = read_ofac_xml("cons.xml", no_ref.as_bytes()).unwrap();
    assert!(list.entities.iter().any(|e| e.id == "ofac-26182"));
}

//! Hostile lists and queries: each is refused with its place, in bounded time and memory, never a crash.

use clew_screen::lists::{
    LoadError, MAX_NAMES_PER_ENTITY, MAX_XML_DEPTH, read_csv, read_ftm, read_ofac_csv, read_un_xml,
};
use clew_screen::ofac_xml::read_ofac_xml;
use clew_screen::screen::read_queries;

fn message(error: LoadError) -> String {
    error.to_string()
}

#[test]
fn deeply_nested_xml_is_refused_not_a_stack_overflow() {
    // 150,000 levels overflowed the stack (exit 134) in the OFAC reader.
    let deep = format!("<Sanctions><DistinctParties>{}", "<a>".repeat(150_000));
    let error = message(read_ofac_xml("deep.xml", deep.as_bytes()).unwrap_err());
    assert!(error.starts_with("deep.xml:1:") && error.contains(&format!("more than {MAX_XML_DEPTH} deep")), "{error}");
    let deep = format!("<CONSOLIDATED_LIST>{}", "<a>".repeat(150_000));
    let error = message(read_un_xml("deep.xml", deep.as_bytes()).unwrap_err());
    assert!(error.contains(&format!("more than {MAX_XML_DEPTH} deep")), "{error}");
}

fn un_list(name: &str) -> String {
    format!(
        "<CONSOLIDATED_LIST dateGenerated=\"2024-01-01\"><INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID>\
         <REFERENCE_NUMBER>KPi.999</REFERENCE_NUMBER><FIRST_NAME>{name}</FIRST_NAME></INDIVIDUAL></INDIVIDUALS>\
         <ENTITIES/></CONSOLIDATED_LIST>"
    )
}

#[test]
fn a_name_longer_than_the_limit_refuses_the_list() {
    // A 10 MB name was read into blocking keys that grew with the square of its length (killed at 24 GB).
    assert!(read_un_xml("un.xml", un_list("KIM CHOL").as_bytes()).is_ok());
    let error = message(read_un_xml("un.xml", un_list(&"A".repeat(10_000_000)).as_bytes()).unwrap_err());
    assert!(error.starts_with("un.xml: entry"), "{error}");
    assert!(error.contains("a name of 10000000 characters; names are limited to 1000"), "{error}");
    let error = message(read_csv("mine.csv", format!("name\n{}\n", "x".repeat(40_000)).as_bytes()).unwrap_err());
    assert!(error.contains("a name of 40000 characters"), "{error}");
}

#[test]
fn an_entry_with_too_many_aliases_refuses_the_list() {
    let aliases = |n: usize| (0..n).map(|i| format!("ALIAS NUMBER {i}")).collect::<Vec<_>>().join(";");
    let ok = format!("id,name,aliases\nS-1,MAIN NAME,{}\n", aliases(MAX_NAMES_PER_ENTITY - 1));
    assert_eq!(read_csv("mine.csv", ok.as_bytes()).unwrap().entities[0].names.len(), MAX_NAMES_PER_ENTITY);
    let bad = format!("id,name,aliases\nS-1,MAIN NAME,{}\n", aliases(200_000));
    let error = message(read_csv("mine.csv", bad.as_bytes()).unwrap_err());
    assert_eq!(error, format!("mine.csv: entry S-1: 200001 names; an entry may have at most {MAX_NAMES_PER_ENTITY}"));
    // OFAC's remarks: 100,000 a.k.a. items took 37 s to deduplicate; now the entry is refused.
    let remarks = (0..100_000).map(|i| format!("a.k.a. 'N{i}'")).collect::<Vec<_>>().join("; ");
    let sdn = format!("1,\"SOME NAME\",-0- ,\"DPRK\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"{remarks}\"\n");
    let error = message(read_ofac_csv(("sdn.csv", sdn.as_bytes()), None, None).unwrap_err());
    assert!(error.contains("entry ofac-1: 100001 names"), "{error}");
}

#[test]
fn ftm_properties_that_are_not_lists_of_strings_are_refused() {
    // A `name` given as a string or a number was dropped without a word ("3 listed entities" for 5 lines).
    for bad in [r#""KIM CHOL""#, "42", r#"[42]"#, r#"{"a": 1}"#] {
        let line = format!(r#"{{"id": "x-1", "schema": "Person", "properties": {{"name": {bad}}}}}"#);
        let error = message(read_ftm("dprk.jsonl", format!("{line}\n").as_bytes()).unwrap_err());
        assert_eq!(
            error, "dprk.jsonl:1:1: entity `x-1`: property `name` must be a list of strings (FollowTheMoney)",
            "{bad}"
        );
    }
    let error = message(read_ftm("d.jsonl", br#"{"id": "x-1", "schema": "Person", "properties": [1]}"#).unwrap_err());
    assert!(error.contains("`properties` must be an object"), "{error}");
}

#[test]
fn a_query_name_longer_than_the_limit_is_refused_with_its_place() {
    let queries = format!("full_name,schema\nKIM CHOL,Person\n{},Person\n", "w".repeat(1_000_001));
    let error = message(read_queries("q.csv", queries.as_bytes()).unwrap_err());
    assert_eq!(error, "q.csv:3:1: a name of 1000001 characters; names are limited to 1000");
}

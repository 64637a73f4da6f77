//! Integration tests of the store on real SQLite files: projects, migrations, refusals, reads.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod concurrency;

use clew_model::{Claim, EntityId, Segment, Sensitivity, SourceId, SourceKind, Statement, Translation};
use clew_store::{Batch, Error, Project, SourceDraft, SourceOutcome};

fn batch() -> Batch {
    Batch { recorded_by: "tester".into(), recorded_at: "2026-01-01T00:00:00Z".into(), operation: "test".into() }
}

fn draft(id: &str, hash: &str) -> SourceDraft {
    SourceDraft {
        id: SourceId::new(id).unwrap(),
        kind: SourceKind::Testimony,
        title: id.into(),
        content_hash: hash.into(),
        synthetic: true,
        withdrawn: None,
    }
}

fn statement(source: &str, entity: &str, schema: &str, property: &str, value: &str, generation: u32) -> Statement {
    let source = SourceId::new(source).unwrap();
    let claim = Claim {
        entity_id: EntityId::new(entity).unwrap(),
        schema,
        property,
        value: value.into(),
        source_id: &source,
        locator: "segment:s1".into(),
        generation,
    };
    Statement::new(claim, "", "", 0.75, Sensitivity::Restricted)
}

#[test]
fn a_directory_without_clew_toml_is_not_a_project() {
    let dir = tempfile::tempdir().unwrap();
    let error = Project::open(dir.path()).unwrap_err();
    assert!(matches!(error, Error::NotAProject { .. }));
    assert!(error.to_string().contains("clew init"), "{error}");
}

#[test]
fn init_twice_is_refused_and_nothing_is_touched() {
    let dir = tempfile::tempdir().unwrap();
    Project::init(dir.path(), "one", false).unwrap();
    let before = std::fs::read(dir.path().join("clew.toml")).unwrap();
    assert!(matches!(Project::init(dir.path(), "two", false).unwrap_err(), Error::AlreadyAProject { .. }));
    assert_eq!(std::fs::read(dir.path().join("clew.toml")).unwrap(), before);
}

#[test]
fn a_database_from_a_newer_clew_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    drop(Project::init(dir.path(), "p", false).unwrap());
    let connection = rusqlite::Connection::open(dir.path().join("clew.db")).unwrap();
    connection.execute_batch("PRAGMA user_version = 99").unwrap();
    drop(connection);
    let error = Project::open(dir.path()).unwrap_err();
    assert!(matches!(error, Error::NewerSchema { found: 99, .. }), "{error}");
    assert!(error.to_string().contains("upgrade clew"));
}

#[test]
fn a_broken_config_is_reported_with_its_path() {
    let dir = tempfile::tempdir().unwrap();
    drop(Project::init(dir.path(), "p", false).unwrap());
    std::fs::write(dir.path().join("clew.toml"), "format = 1\nname = \"p\"\ncolour = \"red\"\n").unwrap();
    let error = Project::open(dir.path()).unwrap_err();
    assert!(matches!(error, Error::Config { .. }));
    assert!(error.to_string().contains("clew.toml") && error.to_string().contains("colour"), "{error}");
}

#[test]
fn statements_round_trip_and_rollback_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let project = Project::init(dir.path(), "p", false).unwrap();
    let store = project.store();
    {
        let mut tx = store.write(&batch()).unwrap();
        assert_eq!(tx.put_source(&draft("T-1", "h1")).unwrap(), SourceOutcome::New { generation: 1 });
        tx.put_statements(&[statement("T-1", "c1", "Company", "name", "Example LLC", 1)]).unwrap();
        // Dropped without commit.
    }
    assert_eq!(store.read().unwrap().stats().unwrap().statements, 0);
    assert_eq!(store.read().unwrap().statements_version().unwrap(), 0, "a rolled-back write changes no version");
    assert!(store.read().unwrap().source(&SourceId::new("T-1").unwrap()).unwrap().is_none());

    let mut tx = store.write(&batch()).unwrap();
    tx.put_source(&draft("T-1", "h1")).unwrap();
    let written = statement("T-1", "c1", "Company", "name", "Example LLC", 1);
    tx.put_statements(&[written.clone(), written.clone()]).unwrap();
    tx.commit().unwrap();
    let read = store.read().unwrap().statements_for_entity(&EntityId::new("c1").unwrap()).unwrap();
    assert_eq!(read.len(), 1, "the same statement twice is stored once");
    assert_eq!(read[0].id, written.id);
    assert_eq!((read[0].confidence, read[0].sensitivity), (0.75, Sensitivity::Restricted));
    assert_eq!((read[0].recorded_by.as_str(), read[0].recorded_at.as_str()), ("tester", "2026-01-01T00:00:00Z"));
    let listed = store.read().unwrap().list_entities(&["Company".into()], None, 10).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].caption.as_deref(), Some("Example LLC"));

    // A changed source retracts what its earlier generation said.
    let mut tx = store.write(&batch()).unwrap();
    assert_eq!(tx.put_source(&draft("T-1", "h2")).unwrap(), SourceOutcome::Changed { generation: 2, retracted: 1 });
    tx.commit().unwrap();
    assert!(
        store.read().unwrap().list_entities(&[], None, 10).unwrap().is_empty(),
        "an entity with only retracted statements is not listed"
    );
    let stats = store.read().unwrap().stats().unwrap();
    assert_eq!((stats.statements, stats.retractions), (2, 1));
    let version = store.read().unwrap().statements_version().unwrap();
    assert!(version >= 2, "two statements stored: {version}");
    store.write(&batch()).unwrap().commit().unwrap();
    assert_eq!(store.read().unwrap().statements_version().unwrap(), version, "a write of no statement keeps it");
}

#[test]
fn the_database_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let project = Project::init(dir.path(), "p", false).unwrap();
    let mut tx = project.store().write(&batch()).unwrap();
    tx.put_source(&draft("T-1", "h1")).unwrap();
    tx.put_statements(&[statement("T-1", "c1", "Company", "name", "Example LLC", 1)]).unwrap();
    tx.commit().unwrap();
    drop(project);
    let project = Project::open(dir.path()).unwrap();
    assert_eq!(project.read().unwrap().stats().unwrap().statements, 1);
    assert_eq!(project.read().unwrap().source(&SourceId::new("T-1").unwrap()).unwrap().unwrap().generation, 1);
}

/// A project written by database version 1 (`test_data/project-v1`: the synthetic example testimony,
/// imported by the first release of the format) still opens and reads the same.
#[test]
fn a_version_1_project_still_opens() {
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/project-v1");
    let dir = tempfile::tempdir().unwrap();
    for file in ["clew.toml", "clew.db"] {
        std::fs::copy(fixture.join(file), dir.path().join(file)).unwrap();
    }
    let project = Project::open(dir.path()).unwrap();
    let stats = project.read().unwrap().stats().unwrap();
    assert_eq!((stats.statements, stats.retractions, stats.segments), (102, 0, 5));
    let hours =
        project.read().unwrap().statements_for_entity(&EntityId::new("T-EXAMPLE-0001.spell1").unwrap()).unwrap();
    let hours = hours.iter().find(|s| s.property == "hoursPerDay").unwrap();
    assert_eq!(
        (hours.value.as_str(), hours.locator.as_str(), hours.recorded_by.as_str()),
        ("12", "segment:s2", "fixture")
    );
    // Its sealed protected block still opens with the fixture's custodian key.
    let key = std::fs::read_to_string(fixture.with_file_name("project-v1-custodian.key")).unwrap();
    let identity = clew_vault::Identity::parse(&key, "fixture key").unwrap();
    let sealed = project.read().unwrap().protected(&SourceId::new("T-EXAMPLE-0001").unwrap()).unwrap().unwrap();
    let plaintext = clew_vault::open(&identity, &sealed).unwrap();
    assert!(String::from_utf8_lossy(&plaintext).contains("SYNTHETIC-PROTECTED-NAME-0001"));
    assert_eq!(project.read().unwrap().custodians().unwrap()[0].label, "fixture custodian");
}

/// The digest a write transaction computes as it writes equals the one recomputed from the table (what
/// `clew verify` checks), also when statements repeat across and within INSERT chunks and calls.
#[test]
fn batch_digest_matches_what_verify_recomputes() {
    let dir = tempfile::tempdir().unwrap();
    let project = Project::init(dir.path(), "p", false).unwrap();
    let store = project.store();
    let mut first = store.write(&batch()).unwrap();
    first.put_source(&draft("T-1", "h1")).unwrap();
    let earlier: Vec<Statement> =
        (0..10).map(|i| statement("T-1", &format!("e{i}"), "Company", "name", "X", 1)).collect();
    first.put_statements(&earlier).unwrap();
    first.commit().unwrap();

    let mut tx = store.write(&batch()).unwrap();
    tx.put_source(&draft("T-2", "h2")).unwrap();
    let mut statements: Vec<Statement> =
        (0..150).map(|i| statement("T-2", &format!("c{i}"), "Company", "name", &format!("N{i}"), 1)).collect();
    statements.insert(70, statements[3].clone()); // a repeat in a later chunk
    statements.insert(5, statements[4].clone()); // a repeat in the same chunk
    statements[100].confidence = -0.0;
    tx.put_statements(&statements).unwrap();
    tx.put_statements(&statements[..20]).unwrap(); // a second call repeating the first rows
    tx.put_statements(&earlier[..3]).unwrap(); // rows another batch wrote
    let segment = |id: &str, translated: bool| Segment {
        id: id.to_string(),
        lang: "ko".into(),
        text: format!("synthetic words {id}"),
        translation: translated.then(|| Translation { lang: "en".into(), text: String::new() }),
    };
    // Given out of order, a translation with empty text, and a consent record: hashed in id order.
    let source = SourceId::new("T-2").unwrap();
    tx.put_segments(&source, 1, &[segment("s10", true), segment("s2", false), segment("s1", true)]).unwrap();
    tx.put_consent(&source, 1, r#"{"version":1}"#).unwrap();
    let written = tx.batch_digest().unwrap();
    let records = tx.records_digest().unwrap();
    tx.commit().unwrap();
    let batches = store.read().unwrap().statement_batches().unwrap();
    assert_eq!(batches.len(), 2);
    assert_eq!(store.read().unwrap().batch_digest(batches[1]).unwrap(), written);
    assert_eq!(store.read().unwrap().records_digests().unwrap().get(&batches[1]), Some(&records));
}

/// The pass analyses make over all testimonies: each testimony once, with exactly its active statements,
/// even when a changed testimony's retractions and new statements were written long after its first ones.
#[test]
fn each_testimony_is_visited_once_with_its_active_statements() {
    let dir = tempfile::tempdir().unwrap();
    let project = Project::init(dir.path(), "p", false).unwrap();
    let store = project.store();
    let write = |store: &dyn clew_store::Store, source: &str, hash: &str, value: &str| {
        let mut tx = store.write(&batch()).unwrap();
        let generation = match tx.put_source(&draft(source, hash)).unwrap() {
            SourceOutcome::New { generation } | SourceOutcome::Changed { generation, .. } => generation,
            SourceOutcome::Unchanged { generation } => generation,
        };
        let statements: Vec<Statement> = (0..3)
            .map(|i| statement(source, &format!("{source}.e{i}"), "Company", "name", value, generation))
            .collect();
        tx.put_statements(&statements).unwrap();
        tx.commit().unwrap();
    };
    write(store, "T-1", "h1", "first");
    write(store, "T-2", "h2", "only");
    write(store, "T-1", "h1b", "second"); // retracts T-1's first three, writes three more, after T-2's
    let mut other = draft("F-1", "h");
    other.kind = SourceKind::FtmFile;
    let mut tx = store.write(&batch()).unwrap();
    tx.put_source(&other).unwrap();
    tx.put_statements(&[statement("F-1", "F-1.x", "Company", "name", "not a testimony", 1)]).unwrap();
    tx.commit().unwrap();

    let mut seen: Vec<(String, Vec<String>)> = Vec::new();
    store
        .read()
        .unwrap()
        .for_each_testimony(&["Company"], &mut |id, statements| {
            seen.push((id.to_string(), statements.iter().map(|s| s.value.clone()).collect()));
            Ok(())
        })
        .unwrap();
    seen.sort();
    assert_eq!(
        seen,
        [("T-1".to_string(), vec!["second".to_string(); 3]), ("T-2".to_string(), vec!["only".to_string(); 3])]
    );
    let mut none = 0;
    store
        .read()
        .unwrap()
        .for_each_testimony(&["Person"], &mut |_, statements| {
            none += statements.len();
            Ok(())
        })
        .unwrap();
    assert_eq!(none, 0, "a schema filter leaves other statements out");
}

#[test]
fn entities_are_visited_with_the_statements_of_the_properties_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let project = Project::init(dir.path(), "p", false).unwrap();
    let store = project.store();
    let mut tx = store.write(&batch()).unwrap();
    tx.put_source(&draft("T-1", "h1")).unwrap();
    let named = statement("T-1", "T-1.a", "Company", "name", "SYNTHETIC LLC", 1);
    let retraction = named.retraction("tester", "2026-01-01T00:00:00Z");
    tx.put_statements(&[
        named,
        statement("T-1", "T-1.a", "Company", "country", "ru", 1),
        statement("T-1", "T-1.b", "Company", "country", "ru", 1),
        statement("T-1", "T-1.c", "Company", "alias", "SYNTHETIC TWO LLC", 1),
        retraction,
    ])
    .unwrap();
    tx.commit().unwrap();
    let mut seen: Vec<(String, Vec<String>)> = Vec::new();
    store
        .read()
        .unwrap()
        .for_each_entity_with(&["name", "alias"], &mut |id, statements| {
            let properties = statements
                .iter()
                .map(|s| format!("{}{}", s.property, if s.retracts.is_some() { " retraction" } else { "" }));
            seen.push((id.to_string(), properties.collect()));
            Ok(())
        })
        .unwrap();
    assert_eq!(
        seen,
        [
            ("T-1.a".to_string(), vec!["name".to_string(), "name retraction".to_string()]),
            ("T-1.c".to_string(), vec!["alias".to_string()]),
        ]
    );
    let mut none = 0;
    store
        .read()
        .unwrap()
        .for_each_entity_with(&[], &mut |_, _| {
            none += 1;
            Ok(())
        })
        .unwrap();
    assert_eq!(none, 0);
}

/// The statements naming an entity: active ones only, in the order recorded, up to the limit, whatever their
/// property (the caller knows which are references), and none of a source whose consent was withdrawn entirely.
#[test]
fn statements_naming_an_entity_are_its_references() {
    let dir = tempfile::tempdir().unwrap();
    let project = Project::init(dir.path(), "p", false).unwrap();
    let store = project.store();
    let mut tx = store.write(&batch()).unwrap();
    tx.put_source(&draft("T-1", "h1")).unwrap();
    let retracted = statement("T-1", "T-1.job2", "Employment", "employer", "syn.company.1", 1);
    let retraction = retracted.retraction("tester", "2026-01-01T00:00:00Z");
    tx.put_statements(&[
        statement("T-1", "syn.company.1", "Company", "name", "SYNTHETIC LLC", 1),
        statement("T-1", "syn.site.1", "Worksite", "operator", "syn.company.1", 1),
        statement("T-1", "T-1.job", "Employment", "employer", "syn.company.1", 1),
        statement("T-1", "T-1.job", "Employment", "employee", "T-1.witness", 1),
        retracted,
        retraction,
        statement("T-1", "syn.company.2", "Company", "name", "syn.company.1", 1),
    ])
    .unwrap();
    tx.put_source(&SourceDraft { withdrawn: Some("all".into()), ..draft("T-2", "h1") }).unwrap();
    tx.put_statements(&[statement("T-2", "T-2.job", "Employment", "employer", "syn.company.1", 1)]).unwrap();
    tx.commit().unwrap();

    let read = store.read().unwrap();
    let naming = |id: &str, limit: usize| -> Vec<(String, String)> {
        let found = read.statements_naming(&EntityId::new(id).unwrap(), limit).unwrap();
        assert!(found.iter().all(|s| s.retracts.is_none() && s.value == id));
        found.into_iter().map(|s| (s.entity_id.to_string(), s.property.to_string())).collect()
    };
    let pair = |entity: &str, property: &str| (entity.to_string(), property.to_string());
    assert_eq!(
        naming("syn.company.1", 10),
        [pair("syn.site.1", "operator"), pair("T-1.job", "employer")],
        "in the order recorded; the retracted reference, the withdrawn testimony's and a name that happens to be \
         the id are left out"
    );
    assert_eq!(naming("syn.company.1", 1), [pair("syn.site.1", "operator")]);
    assert_eq!(naming("T-1.witness", 10), [pair("T-1.job", "employee")]);
    assert!(naming("syn.nobody", 10).is_empty());
}

/// What coders add to a testimony lives in its own source (`code:ID`), outside the testimony's generations: the
/// analyses' pass hands it over with the testimony and applies its retractions, a changed testimony leaves it
/// alone, its history keeps every statement with its batch, the listing counts segments, and the testimony's
/// withdrawal reaches it.
#[test]
fn coders_statements_go_with_their_testimony() {
    let dir = tempfile::tempdir().unwrap();
    let project = Project::init(dir.path(), "p", false).unwrap();
    let store = project.store();
    let mut tx = store.write(&batch()).unwrap();
    tx.put_source(&draft("T-1", "h1")).unwrap();
    let coded = statement("T-1", "T-1.c", "Company", "name", "Wrong LLC", 1);
    tx.put_statements(&[coded.clone(), statement("T-1", "T-1.d", "Company", "name", "Kept LLC", 1)]).unwrap();
    let segment = Segment { id: "s1".into(), lang: "en".into(), text: "(fictional)".into(), translation: None };
    tx.put_segments(&SourceId::new("T-1").unwrap(), 1, &[segment]).unwrap();
    tx.commit().unwrap();
    let first_batch = {
        let history = store.read().unwrap().source_history(&SourceId::new("T-1").unwrap()).unwrap();
        history[0].0
    };
    let before_coding = store.read().unwrap().statements_version().unwrap();
    assert!(store.read().unwrap().sources_written_since(before_coding).unwrap().is_empty());
    assert_eq!(
        store.read().unwrap().sources_written_since(0).unwrap(),
        [(SourceId::new("T-1").unwrap(), SourceKind::Testimony)]
    );

    let coding = SourceDraft { kind: SourceKind::Coding, ..draft("code:T-1", "coding") };
    let mut tx = store.write(&batch()).unwrap();
    tx.put_source(&coding).unwrap();
    let mut retraction = coded.retraction("", "");
    retraction.source_id = coding.id.clone();
    retraction.id = clew_model::StatementId::derive(&coding.id, &["retract", coded.id.as_str()]);
    let correction = statement("code:T-1", "T-1.c", "Company", "name", "Right LLC", 1);
    tx.put_statements(&[retraction, correction.clone()]).unwrap();
    let coding_batch = tx.batch();
    tx.commit().unwrap();
    assert_eq!(
        store.read().unwrap().sources_written_since(before_coding).unwrap(),
        [(coding.id.clone(), SourceKind::Coding)]
    );

    let names = |store: &dyn clew_store::Store| {
        let mut seen: Vec<(String, Vec<String>)> = Vec::new();
        store
            .read()
            .unwrap()
            .for_each_testimony(&["Company"], &mut |id, statements| {
                let mut values: Vec<String> = statements.iter().map(|s| s.value.clone()).collect();
                values.sort();
                seen.push((id.to_string(), values));
                Ok(())
            })
            .unwrap();
        seen
    };
    assert_eq!(names(store), [("T-1".to_string(), vec!["Kept LLC".to_string(), "Right LLC".to_string()])]);
    let active = store.read().unwrap().source_statements(&SourceId::new("T-1").unwrap()).unwrap();
    assert_eq!(active.len(), 1, "the retracted statement is not active, whichever source retracted it");

    let history = store.read().unwrap().source_history(&coding.id).unwrap();
    assert_eq!(history.len(), 2);
    assert!(history.iter().all(|(batch, _)| *batch == coding_batch));
    assert_eq!(history[0].1.retracts.as_ref(), Some(&coded.id));
    assert_eq!(history[1].1.id, correction.id);
    assert_eq!(history[1].1.recorded_by, "tester");
    assert_ne!(first_batch, coding_batch);

    // A changed testimony retracts its own earlier generation, not what its coders added.
    let mut tx = store.write(&batch()).unwrap();
    let withdrawn = SourceDraft { withdrawn: Some("sharing".into()), ..draft("T-1", "h2") };
    assert_eq!(tx.put_source(&withdrawn).unwrap(), SourceOutcome::Changed { generation: 2, retracted: 1 });
    tx.put_statements(&[statement("T-1", "T-1.d", "Company", "name", "Kept LLC", 2)]).unwrap();
    tx.commit().unwrap();
    assert_eq!(names(store), [("T-1".to_string(), vec!["Kept LLC".to_string(), "Right LLC".to_string()])]);

    let listed = store.read().unwrap().source_listing(SourceKind::Testimony).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!((listed[0].source.id.as_str(), listed[0].source.generation), ("T-1", 2));
    assert_eq!(listed[0].withdrawn.as_deref(), Some("sharing"));
    assert_eq!(listed[0].segments, 0, "the second generation has no segments");
    let coders = store.read().unwrap().source_listing(SourceKind::Coding).unwrap();
    assert_eq!(coders.len(), 1);
    assert_eq!(coders[0].withdrawn.as_deref(), Some("sharing"), "a testimony's withdrawal reaches its coders' facts");
}

/// Testimonies are handed over once the scan passes their newest statement, which each source records. A
/// record made wrong behind clew's back is an error for the analysis (never a testimony split in two or
/// statements dropped) and a problem `stale_last_statements` names; an older database gets the record filled in.
#[test]
fn a_wrong_record_of_a_testimonys_newest_statement_is_caught() {
    let dir = tempfile::tempdir().unwrap();
    let project = Project::init(dir.path(), "p", false).unwrap();
    for (source, hash) in [("T-1", "h1"), ("T-2", "h2")] {
        let mut tx = project.store().write(&batch()).unwrap();
        tx.put_source(&draft(source, hash)).unwrap();
        let statements: Vec<Statement> =
            (0..3).map(|i| statement(source, &format!("{source}.e{i}"), "Company", "name", "x", 1)).collect();
        tx.put_statements(&statements).unwrap();
        tx.commit().unwrap();
    }
    assert!(project.read().unwrap().stale_last_statements().unwrap().is_empty());
    drop(project);
    let path = dir.path().join("clew.db");
    let connection = rusqlite::Connection::open(&path).unwrap();
    connection.execute_batch("UPDATE source SET last_statement = last_statement - 2 WHERE id = 'T-1'").unwrap();
    drop(connection);

    let project = Project::open(dir.path()).unwrap();
    let stale = project.read().unwrap().stale_last_statements().unwrap();
    assert_eq!(stale, [SourceId::new("T-1").unwrap()]);
    let error = project.read().unwrap().for_each_testimony(&[], &mut |_, _| Ok(())).unwrap_err();
    assert!(matches!(error, Error::Corrupt(_)) && error.to_string().contains("last_statement"), "{error}");
    drop(project);

    // A version-4 database (no record yet) is migrated with the record filled in from its statements.
    let connection = rusqlite::Connection::open(&path).unwrap();
    connection
        .execute_batch(
            "DROP TABLE caseworker; DROP INDEX statement_reference; ALTER TABLE statement DROP COLUMN reference; DROP TABLE estimate; DROP TABLE api_token; DROP TABLE session; DROP TABLE account; DROP TABLE link_judgement; DROP TABLE sanctions_list; ALTER TABLE source DROP COLUMN last_statement; PRAGMA user_version = 4",
        )
        .unwrap();
    drop(connection);
    let project = Project::open(dir.path()).unwrap();
    assert!(project.read().unwrap().stale_last_statements().unwrap().is_empty());
    let mut seen = Vec::new();
    project
        .read()
        .unwrap()
        .for_each_testimony(&[], &mut |id, statements| {
            seen.push((id.to_string(), statements.len()));
            Ok(())
        })
        .unwrap();
    seen.sort();
    assert_eq!(seen, [("T-1".to_string(), 3), ("T-2".to_string(), 3)]);
}

/// A protected block stored again is a new version: the earlier one stays, the newest is current, and a key
/// rotation re-seals each version on its own (issue 14 F9).
#[test]
fn protected_blocks_are_appended_never_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let project = Project::init(dir.path(), "p", false).unwrap();
    let store = project.store();
    let source = SourceId::new("T-1").unwrap();
    let mut tx = store.write(&batch()).unwrap();
    tx.put_source(&draft("T-1", "h1")).unwrap();
    assert_eq!(tx.put_protected(&source, 1, b"first").unwrap(), 1);
    assert_eq!(tx.put_protected(&source, 1, b"second").unwrap(), 2);
    assert_eq!(tx.protected_written().unwrap().len(), 2);
    tx.commit().unwrap();
    let mut tx = store.write(&batch()).unwrap();
    assert_eq!(tx.put_protected(&source, 1, b"third").unwrap(), 3);
    tx.commit().unwrap();
    assert_eq!(store.read().unwrap().protected(&source).unwrap().as_deref(), Some(&b"third"[..]));
    let versions = store.read().unwrap().protected_versions().unwrap();
    assert_eq!(versions.iter().map(|v| (v.generation, v.version)).collect::<Vec<_>>(), [(1, 1), (1, 2), (1, 3)]);
    assert!(
        versions[0].batch.is_some() && versions[0].batch == versions[1].batch && versions[1].batch < versions[2].batch
    );

    let values = store.read().unwrap().sealed_values().unwrap();
    let sealed: Vec<&[u8]> = values.iter().map(|(_, sealed)| sealed.as_slice()).collect();
    assert_eq!(sealed, [&b"first"[..], b"second", b"third"]);
    let mut tx = store.write(&batch()).unwrap();
    tx.reseal(&values[0].0, b"first, re-sealed").unwrap();
    tx.commit().unwrap();
    let values = store.read().unwrap().sealed_values().unwrap();
    let sealed: Vec<&[u8]> = values.iter().map(|(_, sealed)| sealed.as_slice()).collect();
    assert_eq!(sealed, [&b"first, re-sealed"[..], b"second", b"third"]);
}

//! Importing into a real SQLite project: provenance, idempotence, retraction on change, FtM round trip.

use clew_disclosure::ftm::export_ftm;
use clew_disclosure::package::Audience;
use clew_intake::ftm::{FtmImportOptions, import_ftm};
use clew_intake::input::InputPath;
use clew_model::{Entity, EntityId, Sensitivity};

use crate::{example_text, import_files, model, new_project};

#[test]
fn example_imports_with_provenance_for_every_fact() {
    let (_dir, project) = new_project();
    let (_files, report) = import_files(Some(&project), &[("t.yaml", example_text().as_bytes())]);
    assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
    assert!(report.committed);
    assert_eq!(report.new_sources, 1);
    let store = project.read().unwrap();
    let employment = EntityId::new("T-EXAMPLE-0001.spell1").unwrap();
    let entity = Entity::assemble(model(), &employment, store.statements_for_entity(&employment).unwrap()).unwrap();
    assert_eq!(entity.schema, "Employment");
    assert_eq!(entity.values("hoursPerDay"), ["12"]);
    assert_eq!(entity.values("employer"), ["T-EXAMPLE-0001.employer"]);
    let hours = &entity.properties["hoursPerDay"][0];
    assert_eq!((hours.source_id.as_str(), hours.locator.as_str()), ("T-EXAMPLE-0001", "segment:s2"));
    assert_eq!(hours.recorded_by, "tester");
    // A work spell is the witness's own story: all of it can re-identify them.
    assert_eq!(entity.properties["employee"][0].sensitivity, Sensitivity::Restricted);
    assert_eq!(entity.properties["hoursPerDay"][0].sensitivity, Sensitivity::Restricted);
    // The companies and officials named are public-interest entities, not protected subjects.
    let employer = EntityId::new("T-EXAMPLE-0001.employer").unwrap();
    let employer = store.statements_for_entity(&employer).unwrap();
    assert!(employer.iter().all(|s| s.sensitivity == Sensitivity::Internal));
    let segment = store.segment(&hours.source_id, "s2").unwrap().unwrap();
    assert!(segment.translation.unwrap().text.contains("12 hours"));

    let deduction = EntityId::new("T-EXAMPLE-0001.spell1.deduction-1").unwrap();
    let entity = Entity::assemble(model(), &deduction, store.statements_for_entity(&deduction).unwrap()).unwrap();
    assert_eq!(entity.values("amount"), ["45000 RUB"]);
    assert_eq!(entity.values("deductionKind"), ["loyalty_fee"]);

    // The protected block is not turned into statements.
    let mut all = String::new();
    store
        .for_each_entity(&mut |_, statements| {
            for s in statements {
                all.push_str(&s.value);
            }
            Ok(())
        })
        .unwrap();
    assert!(!all.contains("SYNTHETIC-PROTECTED"));
}

#[test]
fn reimport_is_idempotent_and_a_change_retracts() {
    let (_dir, project) = new_project();
    let text = example_text();
    let (_f, first) = import_files(Some(&project), &[("t.yaml", text.as_bytes())]);
    let before = project.read().unwrap().stats().unwrap();
    // The same testimony as JSON is the same content.
    let json =
        serde_json::to_string(&clew_model::doc::parse(&text, clew_model::doc::TextFormat::Yaml).unwrap()[0].to_json())
            .unwrap();
    let (_f, again) = import_files(Some(&project), &[("t.json", json.as_bytes())]);
    assert_eq!((again.unchanged_sources, again.statements), (1, 0));
    assert_eq!(project.read().unwrap().stats().unwrap().statements, before.statements);

    let changed = text.replacen("hours_per_day: {value: 12,", "hours_per_day: {value: 14,", 1);
    let (_f, third) = import_files(Some(&project), &[("t.yaml", changed.as_bytes())]);
    assert_eq!(third.changed_sources, 1);
    assert_eq!(third.retracted, first.statements);
    let employment = EntityId::new("T-EXAMPLE-0001.spell1").unwrap();
    let statements = project.read().unwrap().statements_for_entity(&employment).unwrap();
    let entity = Entity::assemble(model(), &employment, statements.clone()).unwrap();
    assert_eq!(entity.values("hoursPerDay"), ["14"]);
    // Nothing was overwritten: the old value is still there, retracted.
    assert!(statements.iter().any(|s| s.property == "hoursPerDay" && s.value == "12" && s.retracts.is_none()));
    assert!(statements.iter().any(|s| s.property == "hoursPerDay" && s.value == "12" && s.retracts.is_some()));

    // Back to the first version: its facts are asserted again, as new statements.
    let (_f, fourth) = import_files(Some(&project), &[("t.yaml", text.as_bytes())]);
    assert_eq!(fourth.changed_sources, 1);
    let entity =
        Entity::assemble(model(), &employment, project.read().unwrap().statements_for_entity(&employment).unwrap())
            .unwrap();
    assert_eq!(entity.values("hoursPerDay"), ["12"]);
}

#[test]
fn dry_run_and_validate_write_nothing() {
    let (_dir, project) = new_project();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.yaml");
    std::fs::write(&path, example_text()).unwrap();
    let options = clew_intake::ImportOptions { dry_run: true, recorded_by: "tester".into(), synthetic_only: false };
    let inputs = [InputPath::File(path)];
    let report =
        clew_intake::import_testimonies(model(), Some(project.store()), &inputs, &options, &mut |_| {}).unwrap();
    assert!(!report.committed && report.statements > 0 && report.diagnostics.is_empty());
    assert_eq!(project.read().unwrap().stats().unwrap().statements, 0);
    let report = clew_intake::import_testimonies(model(), None, &inputs, &options, &mut |_| {}).unwrap();
    assert_eq!((report.records, report.diagnostics.len()), (1, 0));
}

#[test]
fn ftm_export_leaves_restricted_data_out_by_default() {
    let (_dir, project) = new_project();
    import_files(Some(&project), &[("t.yaml", example_text().as_bytes())]);
    let mut exported = Vec::new();
    let report =
        export_ftm(model(), &*project.read().unwrap(), Sensitivity::Internal, Audience::Internal, &mut exported)
            .unwrap();
    let text = String::from_utf8(exported).unwrap();
    let schemata: Vec<String> = text
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap()["schema"].as_str().unwrap().to_string())
        .collect();
    // The named entities and the coded relation between them; nothing of the witness's own spell.
    expect_test::expect![[r#"
        [
            "Document",
            "Company",
            "PublicBody",
            "Address",
            "Address",
            "Person",
            "Ownership",
        ]
    "#]]
    .assert_debug_eq(&schemata);
    assert!(report.left_out > 0);
    assert!(!text.contains("witness:") && !text.contains("spell1"), "{text}");
    assert!(text.contains(clew_disclosure::ftm::SYNTHETIC_NOTE));
}

#[test]
fn ftm_export_then_import_round_trips() {
    let (_dir, project) = new_project();
    import_files(Some(&project), &[("t.yaml", example_text().as_bytes())]);
    let mut exported = Vec::new();
    export_ftm(model(), &*project.read().unwrap(), Sensitivity::Restricted, Audience::Internal, &mut exported).unwrap();
    let text = String::from_utf8(exported.clone()).unwrap();
    assert!(text.contains(r#""amount":["45000"]"#) && text.contains(r#""currency":["RUB"]"#), "{text}");
    // Relations need both ends in FtM; the witness end is there at `restricted`.
    assert!(text.contains(r#""schema":"Employment""#), "{text}");

    let (_dir2, second) = new_project();
    let files = tempfile::tempdir().unwrap();
    let path = files.path().join("export.ftm.json");
    std::fs::write(&path, &exported).unwrap();
    let options = FtmImportOptions {
        dry_run: false,
        recorded_by: "tester".into(),
        skip_unknown: false,
        sensitivity: Sensitivity::Internal,
        source: None,
    };
    let report = import_ftm(model(), Some(second.store()), &[InputPath::File(path)], &options, &mut |_| {}).unwrap();
    assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
    // What can re-identify a witness stays restricted in the new project, whatever --sensitivity said.
    let employment = EntityId::new("T-EXAMPLE-0001.spell1").unwrap();
    let statements = second.read().unwrap().statements_for_entity(&employment).unwrap();
    let employee = statements.iter().find(|s| s.property == "employee").unwrap();
    assert_eq!(employee.sensitivity, Sensitivity::Restricted);
    // FtM is the lowest common denominator (a Worksite comes back as an Address): a second round changes nothing.
    let mut again = Vec::new();
    export_ftm(model(), &*second.read().unwrap(), Sensitivity::Restricted, Audience::Internal, &mut again).unwrap();
    let (_dir3, third) = new_project();
    let path = files.path().join("again.ftm.json");
    std::fs::write(&path, &again).unwrap();
    import_ftm(model(), Some(third.store()), &[InputPath::File(path)], &options, &mut |_| {}).unwrap();
    let mut third_export = Vec::new();
    export_ftm(model(), &*third.read().unwrap(), Sensitivity::Restricted, Audience::Internal, &mut third_export)
        .unwrap();
    assert_eq!(String::from_utf8(third_export).unwrap(), String::from_utf8(again).unwrap());
}

#[test]
fn two_ftm_inputs_never_share_a_source() {
    let (_dir, project) = new_project();
    let files = tempfile::tempdir().unwrap();
    let mut inputs = Vec::new();
    for folder in ["a", "b"] {
        std::fs::create_dir(files.path().join(folder)).unwrap();
        let path = files.path().join(folder).join("list.json");
        std::fs::write(
            &path,
            format!(r#"{{"id": "{folder}-1", "schema": "Company", "properties": {{"name": ["X"]}}}}"#),
        )
        .unwrap();
        inputs.push(InputPath::File(path));
    }
    let options = FtmImportOptions {
        dry_run: false,
        recorded_by: "tester".into(),
        skip_unknown: false,
        sensitivity: Sensitivity::Public,
        source: None,
    };
    let report = import_ftm(model(), Some(project.store()), &inputs, &options, &mut |_| {}).unwrap();
    assert_eq!(report.diagnostics.len(), 1);
    assert!(report.diagnostics[0].message.contains("would both be source `ftm:list.json`"));
    assert_eq!(project.read().unwrap().stats().unwrap().statements, 0);
}

#[test]
fn protected_values_are_kept_exactly_as_written() {
    let text = example_text().replacen(
        "  name: SYNTHETIC-PROTECTED-NAME-0001\n",
        "  name: SYNTHETIC-PROTECTED-NAME-0001\n  phone: +821000000000\n  unit: 007\n  passport: 0123e4\n",
        1,
    );
    let node = clew_model::doc::parse(&text, clew_model::doc::TextFormat::Yaml).unwrap().remove(0);
    let mut reader = clew_model::read::Reader::default();
    let testimony = clew_intake::read_testimony(model(), &node, &mut reader).unwrap();
    let custodian = clew_vault::new_custodian("test");
    let prepared =
        clew_intake::prepare_testimony(model(), testimony, Some(std::slice::from_ref(&custodian.key))).unwrap();
    let sealed = prepared.sealed_protected.unwrap();
    let identity = clew_vault::Identity::parse(&custodian.identity_file, "key").unwrap();
    let protected: serde_json::Value = serde_json::from_slice(&clew_vault::open(&identity, &sealed).unwrap()).unwrap();
    assert_eq!(protected["phone"], "+821000000000");
    assert_eq!(protected["unit"], "007");
    assert_eq!(protected["passport"], "0123e4");
}

#[test]
fn ftm_import_reports_unknown_schemata_and_bad_values() {
    let (_dir, project) = new_project();
    let files = tempfile::tempdir().unwrap();
    let path = files.path().join("list.json");
    std::fs::write(
        &path,
        concat!(
            r#"{"id": "un-KPe.001", "schema": "Company", "properties": {"name": ["Example Trading"], "country": ["kp"]}, "datasets": ["un_sc_sanctions"]}"#,
            "\n",
            r#"{"id": "vessel-1", "schema": "Vessel", "properties": {"name": ["Example"]}}"#,
            "\n",
            r#"{"id": "p-1", "schema": "Person", "properties": {"birthDate": ["1961-02-30"], "weight": ["80"]}}"#,
            "\n",
        ),
    )
    .unwrap();
    let mut options = FtmImportOptions {
        dry_run: false,
        recorded_by: "tester".into(),
        skip_unknown: false,
        sensitivity: Sensitivity::Public,
        source: None,
    };
    let inputs = [InputPath::File(path)];
    let report = import_ftm(model(), Some(project.store()), &inputs, &options, &mut |_| {}).unwrap();
    let lines: Vec<String> =
        report.diagnostics.iter().map(|d| format!("{}: {}: {}", d.pos.unwrap(), d.path, d.message)).collect();
    expect_test::expect![[r#"
        [
            "2:30: schema: FtM schema `Vessel` has no clew counterpart (use --skip-unknown to skip such entities)",
            "3:63: properties.birthDate[0]: day 30 does not exist in 1961-02 (it has 28 days)",
            "3:89: properties.weight: FtM property `weight` of Person has no clew counterpart (use --skip-unknown to skip such values)",
        ]
    "#]]
    .assert_debug_eq(&lines);
    assert_eq!(project.read().unwrap().stats().unwrap().statements, 0);
    options.skip_unknown = true;
    let report = import_ftm(model(), Some(project.store()), &inputs, &options, &mut |_| {}).unwrap();
    assert_eq!(report.diagnostics.len(), 1, "the impossible date is still an error");
    assert_eq!(report.warnings.len(), 2);
}

#[test]
fn protected_data_needs_a_custodian_and_is_stored_sealed() {
    // A project without custodians refuses a testimony with protected data, and writes nothing.
    let dir = tempfile::tempdir().unwrap();
    let bare = clew_store::Project::init(&dir.path().join("bare"), "bare", false).unwrap();
    let (_files, report) = import_files(Some(&bare), &[("t.yaml", example_text().as_bytes())]);
    let lines = crate::lines(&report);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].contains("field `protected`: has protected data, but the project has no custodian"), "{lines:?}");
    assert_eq!(bare.read().unwrap().stats().unwrap().statements, 0);

    // With a custodian, the store holds only the sealed form, which the custodian's key opens.
    let (project_dir, project) = new_project();
    import_files(Some(&project), &[("t.yaml", example_text().as_bytes())]);
    let sealed =
        project.read().unwrap().protected(&clew_model::SourceId::new("T-EXAMPLE-0001").unwrap()).unwrap().unwrap();
    assert!(sealed.starts_with(b"age-encryption.org/v1"));
    let key = std::fs::read_to_string(project_dir.path().join("custodian.key")).unwrap();
    let identity = clew_vault::Identity::parse(&key, "custodian.key").unwrap();
    let protected: serde_json::Value = serde_json::from_slice(&clew_vault::open(&identity, &sealed).unwrap()).unwrap();
    assert_eq!(protected["name"], "SYNTHETIC-PROTECTED-NAME-0001");
}

/// Issue 14 F8: a second testimony whose coded Person takes the first witness's id (`witness:W-EX-0001`)
/// would merge into that Person, which is restricted and kept out of exports, and bring it into the default
/// export. It is refused, and nothing of it is written.
#[test]
fn a_testimony_cannot_write_into_another_witness() {
    let (_dir, project) = new_project();
    let (_f, first) = import_files(Some(&project), &[("t.yaml", example_text().as_bytes())]);
    assert!(first.committed);
    let second = example_text()
        .replacen("id: T-EXAMPLE-0001", "id: T-EXAMPLE-0002", 1)
        .replacen("pseudonym: W-EX-0001", "pseudonym: W-EX-0002", 1)
        .replacen("    - key: minder\n", "    - key: minder\n      id: witness:W-EX-0001\n", 1);
    let before = project.read().unwrap().stats().unwrap();
    let (_f, report) = import_files(Some(&project), &[("t2.yaml", second.as_bytes())]);
    assert!(!report.committed);
    let lines = crate::lines(&report);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].starts_with("t2.yaml:") && lines[0].contains("field `facts.entities[4].id`"), "{lines:?}");
    assert_eq!(project.read().unwrap().stats().unwrap(), before, "a refused import writes nothing");
    let mut exported = Vec::new();
    export_ftm(model(), &*project.read().unwrap(), Sensitivity::Internal, Audience::Internal, &mut exported).unwrap();
    let text = String::from_utf8(exported).unwrap();
    assert!(!text.contains("witness:"), "{text}");
}

/// A testimony whose id has a `:`, imported before such ids were refused, can still be imported again (to be
/// corrected, or its consent withdrawn); a new one cannot.
#[test]
fn a_testimony_id_with_a_colon_already_in_the_project_is_accepted_again() {
    let (_dir, project) = new_project();
    let batch = clew_store::Batch {
        recorded_by: "t".into(),
        recorded_at: "2026-01-01T00:00:00Z".into(),
        operation: "t".into(),
    };
    let mut tx = project.store().write(&batch).unwrap();
    tx.put_source(&clew_store::SourceDraft {
        id: clew_model::SourceId::new("T:0001").unwrap(),
        kind: clew_model::SourceKind::Testimony,
        title: "an earlier testimony".into(),
        content_hash: "earlier".into(),
        synthetic: true,
        withdrawn: None,
    })
    .unwrap();
    tx.commit().unwrap();
    let earlier = example_text().replacen("id: T-EXAMPLE-0001", "id: T:0001", 1);
    let (_f, report) = import_files(Some(&project), &[("t.yaml", earlier.as_bytes())]);
    assert!(report.committed, "{:?}", report.diagnostics);
    assert_eq!(report.changed_sources, 1);
    let new = example_text().replacen("id: T-EXAMPLE-0001", "id: T:0002", 1);
    let (_f, report) = import_files(Some(&project), &[("t.yaml", new.as_bytes())]);
    assert!(!report.committed);
    assert!(crate::lines(&report)[0].contains("a testimony id may not contain `:`"), "{:?}", report.diagnostics);
}

/// Issue 14 F9: a testimony imported again with only its protected block changed is unchanged as far as
/// statements go, but its block is not replaced: the new one is kept as a new version beside the earlier
/// one, the import says so, and its custody event commits to it (the CLI test
/// `a_protected_block_version_deleted_behind_clews_back_is_named` deletes one).
#[test]
fn a_changed_protected_block_is_a_new_version_and_the_earlier_one_stays() {
    let (project_dir, project) = new_project();
    let text = example_text();
    import_files(Some(&project), &[("t.yaml", text.as_bytes())]);
    let changed = text.replacen("SYNTHETIC-PROTECTED-NAME-0001", "SYNTHETIC-PROTECTED-NAME-0002", 1);
    let (_f, report) = import_files(Some(&project), &[("t.yaml", changed.as_bytes())]);
    assert_eq!((report.unchanged_sources, report.statements, report.protected_versions), (1, 0, 1));
    assert_eq!(report.warnings.len(), 1, "{:?}", report.warnings);
    let warning = report.warnings[0].to_string();
    assert!(warning.contains("protected") && warning.contains("new version"), "{warning}");
    assert!(!warning.contains("SYNTHETIC-PROTECTED"), "{warning}");

    let store = &*project.read().unwrap();
    let source = clew_model::SourceId::new("T-EXAMPLE-0001").unwrap();
    let versions = store.protected_versions().unwrap();
    assert_eq!(versions.iter().map(|v| (v.generation, v.version)).collect::<Vec<_>>(), [(1, 1), (1, 2)]);
    let key = std::fs::read_to_string(project_dir.path().join("custodian.key")).unwrap();
    let identity = clew_vault::Identity::parse(&key, "custodian.key").unwrap();
    let open = |sealed: &[u8]| String::from_utf8(clew_vault::open(&identity, sealed).unwrap().to_vec()).unwrap();
    assert!(open(&store.protected(&source).unwrap().unwrap()).contains("NAME-0002"), "the newest is current");
    let all: Vec<String> = store.sealed_values().unwrap().iter().map(|(_, sealed)| open(sealed)).collect();
    assert!(all.iter().any(|p| p.contains("NAME-0001")), "the earlier version stays");

    // The import's event commits to the version it stored, and verification recomputes it.
    let events = store.events(0, 100).unwrap();
    let last: serde_json::Value = serde_json::from_str(&events.last().unwrap().detail).unwrap();
    assert_eq!((last["unchanged_sources"].as_u64(), last["protected_versions"].as_u64()), (Some(1), Some(1)));
    let verify = |project: &clew_store::Project| {
        clew_custody::verify::verify(&*project.read().unwrap(), &project.blob_dir(), &project.list_dir(), None, None)
            .unwrap()
            .problems
            .into_iter()
            // `new_project` adds its custodian without a custody event.
            .filter(|p| !p.starts_with("custodians:"))
            .collect::<Vec<_>>()
    };
    assert_eq!(verify(&project), Vec::<String>::new());
    // The same block again is still a new version (sealed blocks cannot be compared), and nothing else.
    let (_f, again) = import_files(Some(&project), &[("t.yaml", changed.as_bytes())]);
    assert_eq!((again.unchanged_sources, again.protected_versions), (1, 1));
    assert_eq!(project.read().unwrap().protected_versions().unwrap().len(), 3);
    assert_eq!(verify(&project), Vec::<String>::new());
}

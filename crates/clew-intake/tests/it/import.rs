//! Importing into a real SQLite project: provenance, idempotence, retraction on change, FtM round trip.

use clew_intake::ftm::{FtmImportOptions, export_ftm, import_ftm};
use clew_intake::input::InputPath;
use clew_model::{Entity, EntityId, Sensitivity};

use crate::{example_text, import_files, model, new_project};

#[test]
fn example_imports_with_provenance_for_every_fact() {
    let (_dir, mut project) = new_project();
    let (_files, report) = import_files(Some(&mut project), &[("t.yaml", example_text().as_bytes())]);
    assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
    assert!(report.committed);
    assert_eq!(report.new_sources, 1);
    let store = project.store();
    let employment = EntityId::new("T-EXAMPLE-0001.spell1").unwrap();
    let entity = Entity::assemble(model(), &employment, store.statements_for_entity(&employment).unwrap()).unwrap();
    assert_eq!(entity.schema, "Employment");
    assert_eq!(entity.values("hoursPerDay"), ["12"]);
    assert_eq!(entity.values("employer"), ["T-EXAMPLE-0001.employer"]);
    let hours = &entity.properties["hoursPerDay"][0];
    assert_eq!((hours.source_id.as_str(), hours.locator.as_str()), ("T-EXAMPLE-0001", "segment:s2"));
    assert_eq!(hours.recorded_by, "tester");
    // The link between the witness and the work spell can re-identify the witness.
    assert_eq!(entity.properties["employee"][0].sensitivity, Sensitivity::Restricted);
    assert_eq!(entity.properties["hoursPerDay"][0].sensitivity, Sensitivity::Internal);
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
    let (_dir, mut project) = new_project();
    let text = example_text();
    let (_f, first) = import_files(Some(&mut project), &[("t.yaml", text.as_bytes())]);
    let before = project.store().stats().unwrap();
    // The same testimony as JSON is the same content.
    let json =
        serde_json::to_string(&clew_model::doc::parse(&text, clew_model::doc::TextFormat::Yaml).unwrap()[0].to_json())
            .unwrap();
    let (_f, again) = import_files(Some(&mut project), &[("t.json", json.as_bytes())]);
    assert_eq!((again.unchanged_sources, again.statements), (1, 0));
    assert_eq!(project.store().stats().unwrap().statements, before.statements);

    let changed = text.replacen("hours_per_day: {value: 12,", "hours_per_day: {value: 14,", 1);
    let (_f, third) = import_files(Some(&mut project), &[("t.yaml", changed.as_bytes())]);
    assert_eq!(third.changed_sources, 1);
    assert_eq!(third.retracted, first.statements);
    let employment = EntityId::new("T-EXAMPLE-0001.spell1").unwrap();
    let statements = project.store().statements_for_entity(&employment).unwrap();
    let entity = Entity::assemble(model(), &employment, statements.clone()).unwrap();
    assert_eq!(entity.values("hoursPerDay"), ["14"]);
    // Nothing was overwritten: the old value is still there, retracted.
    assert!(statements.iter().any(|s| s.property == "hoursPerDay" && s.value == "12" && s.retracts.is_none()));
    assert!(statements.iter().any(|s| s.property == "hoursPerDay" && s.value == "12" && s.retracts.is_some()));

    // Back to the first version: its facts are asserted again, as new statements.
    let (_f, fourth) = import_files(Some(&mut project), &[("t.yaml", text.as_bytes())]);
    assert_eq!(fourth.changed_sources, 1);
    let entity =
        Entity::assemble(model(), &employment, project.store().statements_for_entity(&employment).unwrap()).unwrap();
    assert_eq!(entity.values("hoursPerDay"), ["12"]);
}

#[test]
fn dry_run_and_validate_write_nothing() {
    let (_dir, mut project) = new_project();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.yaml");
    std::fs::write(&path, example_text()).unwrap();
    let options = clew_intake::ImportOptions { dry_run: true, recorded_by: "tester".into() };
    let inputs = [InputPath::File(path)];
    let report =
        clew_intake::import_testimonies(model(), Some(project.store()), &inputs, &options, &mut |_| {}).unwrap();
    assert!(!report.committed && report.statements > 0 && report.diagnostics.is_empty());
    assert_eq!(project.store().stats().unwrap().statements, 0);
    let report = clew_intake::import_testimonies(model(), None, &inputs, &options, &mut |_| {}).unwrap();
    assert_eq!((report.records, report.diagnostics.len()), (1, 0));
}

#[test]
fn ftm_export_then_import_round_trips() {
    let (_dir, mut project) = new_project();
    import_files(Some(&mut project), &[("t.yaml", example_text().as_bytes())]);
    let mut exported = Vec::new();
    let report = export_ftm(model(), project.store_ref(), Sensitivity::Internal, &mut exported).unwrap();
    assert!(report.exported > 5);
    let text = String::from_utf8(exported.clone()).unwrap();
    // Nothing restricted (the witness, links to the witness) leaves with the default sensitivity.
    assert!(!text.contains("witness:"), "{text}");
    assert!(text.contains(r#""schema":"Company""#));
    assert!(text.contains(r#""amount":["45000"]"#) && text.contains(r#""currency":["RUB"]"#), "{text}");
    assert!(text.contains(clew_intake::ftm::SYNTHETIC_NOTE));

    let (_dir2, mut second) = new_project();
    let files = tempfile::tempdir().unwrap();
    let path = files.path().join("export.ftm.json");
    std::fs::write(&path, &exported).unwrap();
    let options = FtmImportOptions {
        dry_run: false,
        recorded_by: "tester".into(),
        skip_unknown: false,
        sensitivity: Sensitivity::Public,
    };
    let report = import_ftm(model(), Some(second.store()), &[InputPath::File(path)], &options, &mut |_| {}).unwrap();
    assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
    let mut again = Vec::new();
    export_ftm(model(), second.store_ref(), Sensitivity::Public, &mut again).unwrap();
    assert_eq!(String::from_utf8(again).unwrap(), text);
}

#[test]
fn ftm_import_reports_unknown_schemata_and_bad_values() {
    let (_dir, mut project) = new_project();
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
    assert_eq!(project.store().stats().unwrap().statements, 0);
    options.skip_unknown = true;
    let report = import_ftm(model(), Some(project.store()), &inputs, &options, &mut |_| {}).unwrap();
    assert_eq!(report.diagnostics.len(), 1, "the impossible date is still an error");
    assert_eq!(report.warnings.len(), 2);
}

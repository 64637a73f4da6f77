//! Recorded screenings: what is stored is what the content hash covers.

use clew_intake::screening::{ScreenedEntity, ScreeningMatch, record_screening};
use clew_model::EntityId;

use crate::new_project;

#[test]
fn a_changed_explanation_is_recorded_again() {
    // The hash left the stored explanation out: new rules giving the same score for other reasons were never
    // re-derived, and the old explanation stood as provenance.
    let (_dir, project) = new_project();
    let found = ScreeningMatch {
        list_entry: "F-1".into(),
        list_name: "fictional list".into(),
        list_version: Some("2026-01-01".into()),
        list_sha256: "ab".repeat(32),
        matched_name: "DEMO TRADING LLC".into(),
        score: 0.91,
        explanation: "name 0.91, word by word".into(),
    };
    let screened = |found: &ScreeningMatch| {
        vec![ScreenedEntity {
            entity: EntityId::new("demo.company.0001").unwrap(),
            synthetic: true,
            matches: vec![found.clone()],
        }]
    };
    let record = |project: &clew_store::Project, found: &ScreeningMatch| {
        record_screening(project.store(), &screened(found), "basis", "clew-names-v1", "tester").unwrap()
    };
    assert_eq!(record(&project, &found).recorded, 1);
    assert_eq!(record(&project, &found).unchanged, 1);
    let explained_otherwise = ScreeningMatch { explanation: "name 0.91, Korean syllables".into(), ..found.clone() };
    let again = record(&project, &explained_otherwise);
    assert_eq!((again.recorded, again.unchanged), (1, 0));
    let renamed_list = ScreeningMatch { list_name: "another list".into(), ..explained_otherwise };
    assert_eq!(record(&project, &renamed_list).recorded, 1);
}

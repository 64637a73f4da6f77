//! Attaching files while the project key is rotated: nothing sealed to a key set that changed is recorded.

use clew_intake::attach::{AttachError, AttachOptions, attach_files};
use clew_model::SourceId;
use clew_vault::signing::KeyFiles;

use crate::{example_text, import_files, new_project};

const PASSPHRASE: &str = "correct horse battery staple";

#[test]
fn a_rotation_begun_while_files_are_sealed_stops_the_attachment() {
    let (dir, project) = new_project();
    let (_files, report) = import_files(Some(&project), &[("t.yaml", example_text().as_bytes())]);
    assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
    let keys = KeyFiles::of_project(&project.dir);
    keys.create(PASSPHRASE, Some(10)).unwrap();
    keys.create_project_key(PASSPHRASE, Some(10)).unwrap();
    let file = dir.path().join("contract.txt");
    std::fs::write(&file, b"a synthetic contract").unwrap();
    let testimony = SourceId::new("T-EXAMPLE-0001").unwrap();
    let options = AttachOptions { key_files: &keys, strip_metadata: false, recorded_by: "tester" };
    // The rotation's next key appears once the file is sealed, before the attachment is recorded.
    let error = attach_files(
        project.store(),
        &project.blob_dir(),
        &testimony,
        std::slice::from_ref(&file),
        &options,
        &mut |_| {
            keys.begin_rotation(PASSPHRASE, Some(10)).unwrap();
        },
    )
    .unwrap_err();
    assert!(error.to_string().contains("rotated while the files were being sealed"), "{error}");
    assert!(matches!(error, AttachError::Write(_)));
    assert!(project.read().unwrap().attachments(&testimony).unwrap().is_empty());
    // Sealed to the old and the next key alike, the same file is attached.
    let attached =
        attach_files(project.store(), &project.blob_dir(), &testimony, &[file], &options, &mut |_| {}).unwrap();
    assert_eq!(attached.len(), 1);
    assert_eq!(project.read().unwrap().attachments(&testimony).unwrap().len(), 1);
}

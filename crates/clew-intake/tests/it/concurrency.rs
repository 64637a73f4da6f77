//! Writes that others overtake: a package export's head covers exactly the log that verified and its own export
//! event, however many commits fall between its snapshot and its write; an import whose protected blocks were
//! sealed to custodians that changed meanwhile writes nothing.

use std::sync::atomic::{AtomicUsize, Ordering};

use clew_custody::record_event;
use clew_custody::verify::{Anchor, verify};
use clew_disclosure::package::{Audience, ExportOptions, Subject, export_package, verify_package};
use clew_model::SourceId;
use clew_store::{Batch, Project, ReadTx, Store, WriteTx};

use crate::{example_text, import_files};

/// A store where another writer commits (`other`) just before each of the first `commits` write transactions
/// begins: the moment a write that read a snapshot first is most exposed.
struct Interleaved<'s> {
    inner: &'s dyn Store,
    commits: AtomicUsize,
    committed: AtomicUsize,
    other: fn(&mut dyn WriteTx, &Batch),
}

impl<'s> Interleaved<'s> {
    fn new(inner: &'s dyn Store, commits: usize, other: fn(&mut dyn WriteTx, &Batch)) -> Interleaved<'s> {
        Interleaved { inner, commits: commits.into(), committed: 0.into(), other }
    }
}

impl Store for Interleaved<'_> {
    fn write(&self, batch: &Batch) -> clew_store::Result<Box<dyn WriteTx + '_>> {
        if self.commits.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1)).is_ok() {
            let other = Batch { operation: "other".into(), ..batch.clone() };
            let mut tx = self.inner.write(&other)?;
            (self.other)(tx.as_mut(), &other);
            tx.commit()?;
            self.committed.fetch_add(1, Ordering::SeqCst);
        }
        self.inner.write(batch)
    }

    fn read(&self) -> clew_store::Result<Box<dyn ReadTx + '_>> {
        self.inner.read()
    }
}

/// A project with a logged custodian and the example testimony.
fn project() -> (tempfile::TempDir, Project) {
    let dir = tempfile::tempdir().unwrap();
    let project = Project::init(&dir.path().join("p"), "test", true).unwrap();
    let custodian = clew_vault::new_custodian("test custodian");
    let batch = Batch { recorded_by: "t".into(), recorded_at: "2026-01-01T00:00:00Z".into(), operation: "t".into() };
    let mut tx = project.store().write(&batch).unwrap();
    tx.put_custodian(&custodian.key.to_string(), "test").unwrap();
    let detail = serde_json::json!({"public_key": custodian.key.to_string()});
    record_event(tx.as_mut(), &batch, clew_custody::EventKind::CustodianAdd, &detail).unwrap();
    tx.commit().unwrap();
    let (_files, report) = import_files(Some(&project), &[("t.yaml", example_text().as_bytes())]);
    assert!(report.committed);
    (dir, project)
}

fn export_with(commits: usize) -> usize {
    let (dir, project) = project();
    let store = Interleaved::new(project.store(), commits, |tx, batch| {
        record_event(tx, batch, clew_custody::EventKind::Export, &serde_json::json!({"format": "ftm"})).unwrap();
    });
    let key = clew_vault::signing::ProjectSigningKey::generate();
    let options = ExportOptions {
        subject: Subject::Testimony(SourceId::new("T-EXAMPLE-0001").unwrap()),
        audience: Audience::Internal,
        recorded_by: "tester".into(),
        signing_key: &key,
        identity: None,
        seal_to: Vec::new(),
    };
    let out = dir.path().join("p.tar");
    let report = export_package(&store, &project.blob_dir(), &project.list_dir(), &options, &out).unwrap();
    let snapshot = project.read().unwrap();
    let log = snapshot.events(0, usize::MAX).unwrap();
    // The export's event is the newest, and the head covers everything up to it: every other event was in the
    // snapshot that verified (the ones committed meanwhile made it start again).
    assert_eq!(report.export_event, log.len() as u64);
    assert_eq!(report.tree_size, log.len() as u64);
    let head = hex::FromHex::from_hex(&report.tree_head).unwrap();
    let anchor = Anchor { size: report.tree_size, head };
    let checked = verify(&*snapshot, &project.blob_dir(), &project.list_dir(), None, Some(anchor)).unwrap();
    assert!(checked.problems.is_empty(), "{:?}", checked.problems);
    let package = verify_package(&out, None, Some(&key.public_hex())).unwrap();
    assert!(package.problems.is_empty(), "{:?}", package.problems);
    store.committed.load(Ordering::SeqCst)
}

#[test]
fn an_export_starts_again_when_the_log_grew_since_its_snapshot() {
    assert_eq!(export_with(0), 0);
    assert_eq!(export_with(2), 2, "two commits between snapshot and write: the third attempt goes through");
}

#[test]
fn an_export_the_log_keeps_outrunning_verifies_inside_its_transaction() {
    // Three snapshots overtaken, then a fourth attempt that verifies under the write lock: nothing can pass it.
    assert_eq!(export_with(usize::MAX), 4);
}

#[test]
fn an_import_sealed_to_custodians_that_changed_meanwhile_writes_nothing() {
    let (_dir, project) = project();
    let before = project.read().unwrap().stats().unwrap();
    // A custodian added after the import read the custodians (and sealed to them), before it writes.
    let store = Interleaved::new(project.store(), 1, |tx, batch| {
        let key = clew_vault::new_custodian("late custodian").key.to_string();
        tx.put_custodian(&key, "late").unwrap();
        record_event(tx, batch, clew_custody::EventKind::CustodianAdd, &serde_json::json!({"public_key": key}))
            .unwrap();
    });
    let changed = example_text().replace("T-EXAMPLE-0001", "T-EXAMPLE-0002").replace("W-EX-0001", "W-EX-0002");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.yaml");
    std::fs::write(&path, changed).unwrap();
    let inputs = [clew_intake::input::InputPath::File(path)];
    let error = clew_intake::import_testimonies(crate::model(), Some(&store), &inputs, &crate::options(), &mut |_| {})
        .unwrap_err();
    let clew_custody::WriteError::Store(error) = error else { panic!("{error}") };
    assert_eq!(error.kind(), clew_store::ErrorKind::Conflict, "{error}");
    assert!(error.to_string().contains("custodians changed"), "{error}");
    assert_eq!(project.read().unwrap().stats().unwrap(), before, "nothing of the import was written");
    assert_eq!(project.read().unwrap().custodians().unwrap().len(), 2, "the other write stands");
    // Run again, it seals to both and goes through.
    let report =
        clew_intake::import_testimonies(crate::model(), Some(project.store()), &inputs, &crate::options(), &mut |_| {})
            .unwrap();
    assert!(report.committed);
}

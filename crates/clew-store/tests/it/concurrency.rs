//! One store shared by many threads: concurrent writers, snapshots that hold still while they commit, and the
//! last-custodian rule kept inside the write transaction.

use std::sync::{Arc, Barrier};

use clew_model::{SourceId, Statement};
use clew_store::{ErrorKind, Project, ReadTx, Store};

use crate::{batch, draft, statement};

fn assert_send_sync<T: Send + Sync + ?Sized>() {}

#[test]
fn a_store_and_a_project_can_be_shared_between_threads() {
    assert_send_sync::<dyn Store>();
    assert_send_sync::<Project>();
}

/// One write as an import makes it: a source, its statements, and the custody event of its batch.
fn write_source(store: &dyn Store, source: &str) {
    write_source_in(store.write(&batch()).unwrap(), source);
}

/// What a checker reads of a snapshot, query by query: each must agree with the others.
fn check_snapshot(reads: &dyn ReadTx) -> usize {
    let events = reads.events(0, usize::MAX).unwrap();
    let batches = reads.statement_batches().unwrap();
    let statements = reads.stats().unwrap().statements;
    assert_eq!(events.len(), batches.len(), "every batch that wrote statements has its event in the same snapshot");
    assert_eq!(statements, 5 * events.len() as u64, "the statements of exactly the events seen");
    assert_eq!(events.iter().map(|e| e.batch).collect::<Vec<_>>(), batches, "the events name those batches");
    for event in &events {
        // The detail is the digest the write logged (see `write_source_in`).
        assert_eq!(reads.batch_digest(event.batch).unwrap(), event.detail);
    }
    events.len()
}

#[test]
fn writers_in_many_threads_and_a_reader_see_whole_writes_only() {
    const WRITERS: usize = 4;
    const WRITES: usize = 15;
    let dir = tempfile::tempdir().unwrap();
    let project = Arc::new(Project::init(dir.path(), "p", false).unwrap());
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let checker = {
        let (project, done) = (Arc::clone(&project), Arc::clone(&done));
        std::thread::spawn(move || {
            let mut checked = 0;
            while !done.load(std::sync::atomic::Ordering::Relaxed) || checked == 0 {
                let snapshot = project.read().unwrap();
                let seen = check_snapshot(&*snapshot);
                // Commits go on meanwhile; the snapshot does not move.
                std::thread::sleep(std::time::Duration::from_millis(2));
                assert_eq!(check_snapshot(&*snapshot), seen, "a snapshot holds still while others commit");
                checked += 1;
            }
            checked
        })
    };
    let writers: Vec<_> = (0..WRITERS)
        .map(|writer| {
            let project = Arc::clone(&project);
            std::thread::spawn(move || {
                for write in 0..WRITES {
                    write_source(project.store(), &format!("T-{writer}-{write}"));
                }
            })
        })
        .collect();
    for writer in writers {
        writer.join().unwrap();
    }
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    assert!(checker.join().unwrap() > 0);
    // Every acknowledged write is there.
    let reads = project.read().unwrap();
    assert_eq!(check_snapshot(&*reads), WRITERS * WRITES);
    for writer in 0..WRITERS {
        for write in 0..WRITES {
            let id = SourceId::new(&format!("T-{writer}-{write}")).unwrap();
            assert_eq!(reads.source_statements(&id).unwrap().len(), 5, "{id}");
        }
    }
}

#[test]
fn a_write_transaction_reads_what_it_has_written_and_others_do_not() {
    let dir = tempfile::tempdir().unwrap();
    let project = Project::init(dir.path(), "p", false).unwrap();
    let before = project.read().unwrap();
    let mut tx = project.store().write(&batch()).unwrap();
    tx.put_custodian("age1example", "someone").unwrap();
    assert_eq!(tx.reads().custodians().unwrap().len(), 1);
    assert!(project.read().unwrap().custodians().unwrap().is_empty(), "not visible before the commit");
    tx.commit().unwrap();
    assert!(before.custodians().unwrap().is_empty(), "an earlier snapshot does not see it");
    assert_eq!(project.read().unwrap().custodians().unwrap().len(), 1);
}

fn add_custodians(store: &dyn Store, keys: &[&str]) {
    let mut tx = store.write(&batch()).unwrap();
    for key in keys {
        tx.put_custodian(key, "custodian").unwrap();
    }
    tx.commit().unwrap();
}

#[test]
fn the_last_custodian_is_refused_inside_the_transaction() {
    let dir = tempfile::tempdir().unwrap();
    let project = Project::init(dir.path(), "p", false).unwrap();
    add_custodians(project.store(), &["age1one", "age1two"]);
    let mut tx = project.store().write(&batch()).unwrap();
    assert!(!tx.remove_custodian("age1unknown").unwrap(), "not a custodian");
    assert!(tx.remove_custodian("age1one").unwrap());
    let error = tx.remove_custodian("age1two").unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Conflict);
    assert!(error.to_string().starts_with("that is the project's last custodian"), "{error}");
    assert_eq!(tx.reads().custodians().unwrap().len(), 1, "the refused removal removed nothing");
    tx.commit().unwrap();
    assert_eq!(project.read().unwrap().custodians().unwrap()[0].public_key, "age1two");
}

#[test]
fn two_removals_at_once_never_leave_no_custodian() {
    for round in 0..10 {
        let dir = tempfile::tempdir().unwrap();
        let project = Arc::new(Project::init(dir.path(), "p", false).unwrap());
        let keys: [&'static str; 2] = ["age1first", "age1second"];
        add_custodians(project.store(), &keys);
        let barrier = Arc::new(Barrier::new(2));
        let removals: Vec<_> = keys
            .into_iter()
            .map(|key| {
                let (project, barrier) = (Arc::clone(&project), Arc::clone(&barrier));
                std::thread::spawn(move || {
                    barrier.wait();
                    let mut tx = project.store().write(&batch()).unwrap();
                    let removed = tx.remove_custodian(key);
                    if matches!(removed, Ok(true)) {
                        tx.commit().unwrap();
                    }
                    removed.map_err(|e| e.kind())
                })
            })
            .collect();
        let mut outcomes: Vec<_> = removals.into_iter().map(|r| r.join().unwrap()).collect();
        outcomes.sort_by_key(|o| o.is_err());
        assert_eq!(outcomes, [Ok(true), Err(ErrorKind::Conflict)], "round {round}");
        assert_eq!(project.read().unwrap().custodians().unwrap().len(), 1, "round {round}");
    }
}

#[test]
fn errors_keep_their_kind() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(Project::open(dir.path()).unwrap_err().kind(), ErrorKind::NotFound);
    drop(Project::init(dir.path(), "p", false).unwrap());
    assert_eq!(Project::init(dir.path(), "p", false).unwrap_err().kind(), ErrorKind::Conflict);
    // A source written as another kind than it is.
    let project = Project::open(dir.path()).unwrap();
    let mut tx = project.store().write(&batch()).unwrap();
    tx.put_source(&draft("T-1", "h")).unwrap();
    tx.commit().unwrap();
    let mut other = draft("T-1", "h");
    other.kind = clew_model::SourceKind::FtmFile;
    let mut tx = project.store().write(&batch()).unwrap();
    assert_eq!(tx.put_source(&other).unwrap_err().kind(), ErrorKind::Conflict);
    drop(tx);
    drop(project);
    // A file that is no database at all.
    std::fs::write(dir.path().join("clew.db"), vec![b'x'; 8192]).unwrap();
    let error = Project::open(dir.path()).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Corrupt, "{error}");
}

/// A write waits for another to finish rather than fail at once, and both are kept.
#[test]
fn a_writer_waits_for_another() {
    let dir = tempfile::tempdir().unwrap();
    let project = Arc::new(Project::init(dir.path(), "p", false).unwrap());
    let tx = project.store().write(&batch()).unwrap();
    let waiting = {
        let project = Arc::clone(&project);
        std::thread::spawn(move || write_source(project.store(), "T-2"))
    };
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert!(!waiting.is_finished(), "the second writer waits while the first holds the project");
    write_source_in(tx, "T-1");
    waiting.join().unwrap();
    assert_eq!(check_snapshot(&*project.read().unwrap()), 2);
}

fn write_source_in(mut tx: Box<dyn clew_store::WriteTx + '_>, source: &str) {
    tx.put_source(&draft(source, "h")).unwrap();
    let statements: Vec<Statement> =
        (0..5).map(|i| statement(source, &format!("{source}.e{i}"), "Company", "name", "X", 1)).collect();
    tx.put_statements(&statements).unwrap();
    let digest = tx.batch_digest().unwrap();
    tx.append_event("import", &digest, &[7; 32]).unwrap();
    tx.commit().unwrap();
}

//! Custody log benchmark: append N events (10,000 per transaction, as a large import would), then run
//! `clew verify`'s recomputation of the whole log. Prints appends/s and verify seconds.
//!
//!     cargo bench -p clew-custody --bench custody_log [-- EVENTS]      (default 1,000,000)
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::time::Instant;

use clew_store::{Batch, Project};

fn main() {
    let events: u64 = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(1_000_000);
    let dir = tempfile::tempdir().unwrap();
    let project = Project::init(&dir.path().join("p"), "bench", true).unwrap();
    let started = Instant::now();
    let mut written = 0;
    while written < events {
        let batch =
            Batch { recorded_by: "bench".into(), recorded_at: clew_custody::now_rfc3339(), operation: "import".into() };
        let mut tx = project.store().write(&batch).unwrap();
        for _ in 0..10_000.min(events - written) {
            let detail =
                serde_json::json!({"records": 1, "statements": 100, "sources_sha256": format!("{written:064x}")});
            clew_custody::record_event(tx.as_mut(), &batch, clew_custody::EventKind::Import, &detail).unwrap();
            written += 1;
        }
        tx.commit().unwrap();
    }
    let append_seconds = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let report =
        clew_custody::verify::verify(&*project.read().unwrap(), &project.blob_dir(), &project.list_dir(), None, None)
            .unwrap();
    let verify_seconds = started.elapsed().as_secs_f64();
    assert_eq!(report.events, events);
    assert!(report.problems.is_empty());
    println!("events: {events}");
    println!("append: {append_seconds:.2} s ({:.0} events/s)", events as f64 / append_seconds);
    println!("verify: {verify_seconds:.2} s (tree head {})", report.tree_head);
}

//! The kill -9 harness: imports, attachments and key rotations killed at many pseudo-random moments, spread
//! over the whole of each operation. After every kill the project opens, `clew verify` passes (attachment
//! contents included), every write clew acknowledged is there, and every write is all or nothing.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use super::{bulk_jsonl, run_then_kill, text};

/// Rounds of kills (import, attach and rotation in turn).
const ROUNDS: u64 = 30;
/// Testimonies per import round.
const PER_IMPORT: usize = 150;
/// Bytes per attachment round.
const ATTACHMENT_BYTES: u32 = 6 << 20;

/// xorshift64*: the same kill moments on every run, so a failure can be replayed.
struct Moments(u64);

impl Moments {
    fn next(&mut self, below: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % below.max(1)
    }
}

fn clew(dir: &Path, args: &[&str]) -> std::process::Output {
    let run = Command::new(env!("CARGO_BIN_EXE_clew"))
        .args(["--passphrase-env", "PASS"])
        .args(args)
        .current_dir(dir)
        .env_remove("CLEW_PROJECT")
        .env("CLEW_USER", "tester")
        .env("PASS", "clew-demo-passphrase")
        .output()
        .unwrap();
    assert!(run.status.success(), "clew {args:?}: {}{}", text(&run.stdout), text(&run.stderr));
    run
}

/// How long a command takes when it is not killed, in milliseconds.
fn timed(dir: &Path, args: &[&str]) -> u64 {
    let started = Instant::now();
    clew(dir, args);
    started.elapsed().as_millis() as u64
}

fn attachment_content(round: u64) -> Vec<u8> {
    (0..ATTACHMENT_BYTES).map(|i| (u64::from(i).wrapping_mul(2_654_435_761) >> 13 ^ round) as u8).collect()
}

#[test]
fn killed_at_many_moments_a_project_keeps_every_acknowledged_write_and_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    clew(dir, &["init", "p", "--no-keys"]);
    clew(dir, &["keys", "custodian", "new", "--out", "c.key"]);
    let key = std::fs::read_to_string(dir.join("c.key")).unwrap();
    let key = key.lines().find_map(|l| l.strip_prefix("# public key: ")).unwrap().to_string();
    clew(dir, &["--project", "p", "keys", "custodian", "add", &key]);

    // How long each operation takes unkilled, on this machine: kill moments spread over 0 to 1.3 times that.
    std::fs::write(dir.join("warmup.jsonl"), bulk_jsonl("T-WARM", PER_IMPORT)).unwrap();
    let import_ms = timed(dir, &["--project", "p", "import", "warmup.jsonl"]);
    // The median of three attaches: one measured on a busy machine can be twice the usual, and then every
    // kill lands after the attach has finished.
    let mut attach_times: Vec<u64> = (0..3)
        .map(|warmup| {
            std::fs::write(dir.join("warmup.bin"), attachment_content(u64::MAX - warmup)).unwrap();
            timed(dir, &["--project", "p", "attach", "T-WARM-00000", "warmup.bin"])
        })
        .collect();
    attach_times.sort_unstable();
    let attach_ms = attach_times[1];
    // Rotations run on a demo project: its light passphrase work factor keeps the harness quick.
    clew(dir, &["demo", "--dir", "d", "--testimonies", "50"]);
    let demo_key = "d/custodian-DEMO-ONLY.key";
    // The median of three rotations, as for attaches (the first rotation of a project can take longer).
    let mut rotate_times: Vec<u64> =
        (0..3).map(|_| timed(dir, &["--project", "d", "keys", "rotate", "--identity", demo_key])).collect();
    rotate_times.sort_unstable();
    let rotate_ms = rotate_times[1];

    // Kill moments for each kind spread over 0 to 1.3 times its time unkilled.
    let mut windows = [import_ms * 13 / 10, attach_ms * 13 / 10, rotate_ms * 13 / 10];
    let mut moments = Moments(0x5EED_2397);
    let mut acknowledged_imports: Vec<String> = Vec::new();
    let mut tried_imports: Vec<String> = Vec::new();
    let mut acknowledged_blobs: Vec<String> = Vec::new();
    let mut killed = [0u32; 3];
    let mut finished = [0u32; 3];
    for round in 0..ROUNDS {
        let kind = (round % 3) as usize;
        let done = match kind {
            0 => {
                let prefix = format!("T-K{round:02}");
                std::fs::write(dir.join("round.jsonl"), bulk_jsonl(&prefix, PER_IMPORT)).unwrap();
                let delay = moments.next(windows[0]);
                let done = run_then_kill(dir, &["--project", "p", "import", "round.jsonl"], delay);
                tried_imports.push(prefix.clone());
                if done {
                    acknowledged_imports.push(prefix);
                }
                done
            }
            1 => {
                let content = attachment_content(round);
                std::fs::write(dir.join("round.bin"), &content).unwrap();
                let delay = moments.next(windows[1]);
                let done = run_then_kill(dir, &["--project", "p", "attach", "T-WARM-00001", "round.bin"], delay);
                if done {
                    acknowledged_blobs.push(super::sha256sum::hex(&content));
                }
                done
            }
            _ => {
                let delay = moments.next(windows[2]);
                let args = ["--project", "d", "--passphrase-env", "PASS", "keys", "rotate", "--identity", demo_key];
                run_then_kill(dir, &args, delay)
            }
        };
        if done {
            finished[kind] += 1;
            // Done before the kill: it runs faster now than when it was timed (the machine was busier then,
            // as when other tests run beside this one), so later kills come sooner.
            windows[kind] = (windows[kind] * 3 / 4).max(5);
        } else {
            killed[kind] += 1;
        }

        // The project opens and verifies, blob contents included (with the custodian's key).
        clew(dir, &["--project", "p", "verify", "--identity", "c.key"]);
        // And without any key: no sealed file differs from the one its event logged, whatever the moment an
        // attach was killed at (a blob is sealed anew only with an event that logs it).
        clew(dir, &["--project", "p", "verify"]);
        let database = rusqlite::Connection::open(dir.join("p/clew.db")).unwrap();
        // Every import is all or nothing; every acknowledged one is there.
        for prefix in &tried_imports {
            let present: i64 = database
                .query_row("SELECT count(*) FROM source WHERE id LIKE ?1", [format!("{prefix}-%")], |r| r.get(0))
                .unwrap();
            assert!(present == 0 || present == PER_IMPORT as i64, "round {round}: {prefix} has {present} testimonies");
            if acknowledged_imports.contains(prefix) {
                assert_eq!(present, PER_IMPORT as i64, "round {round}: acknowledged import {prefix} lost");
            }
        }
        // Every acknowledged attachment is listed (and `verify` above opened and hashed its blob).
        let listed: Vec<String> = database
            .prepare("SELECT sha256 FROM attachment")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        for sha256 in &acknowledged_blobs {
            assert!(listed.contains(sha256), "round {round}: acknowledged attachment {sha256} lost");
        }
        drop(database);
        // Protected data still opens for the custodian, and the project key still opens the attachments,
        // whatever moment a rotation was killed at.
        clew(dir, &["--project", "p", "protected", "show", "T-WARM-00000", "--identity", "c.key"]);
        if kind == 2 {
            clew(dir, &["--project", "d", "verify", "--identity", demo_key]);
            // Without a key too: a rotation logs its blobs' new sealed files before it puts them in place.
            clew(dir, &["--project", "d", "verify"]);
            clew(dir, &["--project", "d", "protected", "show", "T-DEMO-000007", "--identity", demo_key]);
            clew(
                dir,
                &[
                    "--project",
                    "d",
                    "package",
                    "export",
                    "--testimony",
                    "T-DEMO-000000",
                    "--audience",
                    "internal",
                    "--out",
                    "k.tar",
                ],
            );
            clew(dir, &["package", "verify", "k.tar"]);
        }
    }
    // The harness proves something only if kills landed midway, for every kind of operation.
    for (kind, name) in ["import", "attach", "rotation"].iter().enumerate() {
        assert!(
            killed[kind] >= 2,
            "only {} kill(s) of {name} landed midway ({} finished)",
            killed[kind],
            finished[kind]
        );
    }
    eprintln!("kills midway (import, attach, rotation): {killed:?}; finished before the kill: {finished:?}");
}

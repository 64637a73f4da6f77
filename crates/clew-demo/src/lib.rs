//! Synthetic, fictional demo data. Every testimony, person, company and worksite here is invented and marked
//! `synthetic`; company and worksite names carry the word DEMO, ids begin `demo.`, `T-DEMO-` and `W-DEMO-`.
//! The distributions follow what public reporting says of DPRK workers in Russia (sectors and the cities they
//! are in, the "study" visa channel after 2019, wages that follow Russian prices and the rouble, the state's
//! share, hours, the border closure of 2020–23 and the new arrivals after it), so that analyses give
//! plausible shapes, not findings about anyone real. Most spells come out as forced labour, as the sources
//! report; some do not, some are coded too sparsely to assess, and a few ledgers do not add up.
//!
//! A witness's story is drawn first, then what an interview codes of it; some witnesses have several work
//! spells, and some are interviewed again (a follow-up testimony under the same pseudonym, later).
//! Generation is deterministic: testimony `i` of seed `s` depends only on `(s, i)`, and on the demo's size for
//! the number of companies it shares out; a follow-up redraws its witness's story from the earlier
//! testimony's numbers. The exchange rates and prices the wages follow are public
//! ([`synthetic_rate_table`]), so that the demo's ledgers can be converted with the same series.

mod interview;
mod lists;
mod rates;
mod story;
mod world;

use clew_intake::ImportReport;
use clew_intake::testimony::Testimony;
use clew_model::Model;
use clew_store::{Batch, Store};
use rand::Rng;

pub use lists::{DEMO_LISTS, DEMO_POPULATION, synthetic_capture_table};
pub use rates::{SYNTHETIC_CURRENCIES, SYNTHETIC_RATE_SOURCE, synthetic_rate_table, synthetic_rates};
pub use world::{NEVER_GENERATED, possible_korean_names};

/// Testimonies written per transaction: large enough to amortise commits, small enough to bound the WAL.
pub const TESTIMONIES_PER_COMMIT: u64 = 2_000;

/// What can stop a demo run.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Writing failed.
    #[error(transparent)]
    Write(#[from] clew_custody::WriteError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] clew_store::Error),
    /// The generating thread ended before making every testimony (a bug).
    #[error("internal error: the synthetic data generator stopped early")]
    GeneratorStopped,
}

/// A stream apart from the testimonies' own, for deciding which testimonies are follow-ups.
const FOLLOW_UP_STREAM: u64 = 0x666f_6c6c_6f77;
/// Share of testimonies that are a follow-up interview of an earlier witness.
const FOLLOW_UP_SHARE: f64 = 0.06;
/// Share of witnesses who agree to be interviewed again.
const AGREES_TO_FOLLOW_UP: f64 = 0.45;
/// How far back (in testimony numbers) a follow-up looks for its witness.
const FOLLOW_UP_WINDOW: u64 = 400;

/// Whether testimony `index` is a follow-up, and whether its witness (if it is a first interview) agreed to
/// one: both from a stream of their own, so that a later testimony can ask cheaply.
fn interview_plan(seed: u64, index: u64) -> (bool, bool) {
    if index == 0 {
        return (false, true);
    }
    let mut rng = world::rng_for(seed ^ FOLLOW_UP_STREAM, index);
    (rng.random_bool(FOLLOW_UP_SHARE), rng.random_bool(AGREES_TO_FOLLOW_UP))
}

/// The earlier first interview that testimony `index` follows up, if it is a follow-up and one is found.
fn followed_up(seed: u64, index: u64) -> Option<u64> {
    if !interview_plan(seed, index).0 {
        return None;
    }
    let mut rng = world::rng_for(seed ^ FOLLOW_UP_STREAM ^ 1, index);
    (0..12).map(|_| index - rng.random_range(1..=index.min(FOLLOW_UP_WINDOW))).find(|&earlier| {
        let (follow_up, agrees) = interview_plan(seed, earlier);
        !follow_up && agrees
    })
}

/// The story of the witness first interviewed in testimony `witness`, and that testimony's generator after
/// drawing it.
fn witness_story(seed: u64, witness: u64, total: u64) -> (story::Story, rand_chacha::ChaCha8Rng) {
    let (companies, dprk_entities) = world::pool_sizes(total);
    let pools = story::Pools { companies, dprk_entities };
    let mut rng = world::rng_for(seed, witness);
    // The first testimony is the one the tour shows: its employer is company 0, which the tour names too.
    let story = story::draw(&mut rng, seed, pools, witness == 0);
    (story, rng)
}

/// Generates testimony `index` of a demo of `total` testimonies with `seed`.
pub fn generate(seed: u64, index: u64, total: u64) -> Testimony {
    match followed_up(seed, index) {
        Some(witness) => {
            let (story, _) = witness_story(seed, witness, total);
            let mut rng = world::rng_for(seed, index);
            let kind = interview::Kind { index, witness, follow_up: true, showcase: false, agrees_to_follow_up: false };
            interview::testimony(&mut rng, seed, &story, &kind)
        }
        None => {
            let (story, mut rng) = witness_story(seed, index, total);
            let kind = interview::Kind {
                index,
                witness: index,
                follow_up: false,
                showcase: index == 0,
                agrees_to_follow_up: interview_plan(seed, index).1,
            };
            interview::testimony(&mut rng, seed, &story, &kind)
        }
    }
}

/// Writes `total` synthetic testimonies into a store, committing every [`TESTIMONIES_PER_COMMIT`]; their
/// protected blocks are sealed to the store's custodians (there must be one).
/// Generating and mapping run on a second thread while this one writes; `progress` is called after each
/// testimony with the number written.
pub fn write_demo(
    model: &Model,
    store: &dyn Store,
    seed: u64,
    total: u64,
    progress: &mut dyn FnMut(u64),
) -> Result<ImportReport, Error> {
    let custodians = clew_custody::custodian_keys(&*store.read()?)?;
    let custodians = custodians.as_slice();
    std::thread::scope(|scope| {
        // A bounded queue: memory stays flat however many testimonies are asked for.
        let (sender, receiver) = std::sync::mpsc::sync_channel(256);
        scope.spawn(move || {
            for index in 0..total {
                let prepared = clew_intake::prepare_testimony(model, generate(seed, index, total), Some(custodians));
                if sender.send(prepared).is_err() {
                    return;
                }
            }
        });
        let mut report = ImportReport::default();
        let mut received = receiver.into_iter();
        let mut written = 0;
        while written < total {
            let recorded_at = clew_custody::now_rfc3339();
            let batch = Batch {
                recorded_by: "clew-demo".into(),
                recorded_at: recorded_at.clone(),
                operation: clew_custody::EventKind::Demo.as_str().into(),
            };
            let mut tx = store.write(&batch)?;
            let end = (written + TESTIMONIES_PER_COMMIT).min(total);
            let first = written;
            while written < end {
                let Some(prepared) = received.next() else {
                    return Err(Error::GeneratorStopped);
                };
                let counts = clew_intake::write_prepared(tx.as_mut(), prepared?, "clew-demo", &recorded_at)?;
                clew_intake::import::count(&mut report, counts);
                report.records += 1;
                written += 1;
                progress(written);
            }
            let detail = serde_json::json!({
                "synthetic_testimonies": [first, written],
                "seed": seed,
                "statements_sha256": tx.batch_digest()?,
                "records_sha256": tx.records_digest()?,
            });
            clew_custody::record_event(tx.as_mut(), &batch, clew_custody::EventKind::Demo, &detail)?;
            tx.commit()?;
        }
        report.committed = true;
        Ok(report)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clew_model::read::Reader;

    #[test]
    fn generation_is_deterministic_and_valid() {
        let model = Model::builtin().unwrap();
        for index in [0, 1, 17, 999] {
            let testimony = generate(42, index, 1_000);
            assert_eq!(testimony, generate(42, index, 1_000));
            assert!(testimony.synthetic);
            // What the generator makes must pass the same checks as a file from a user.
            let json = serde_json::to_string_pretty(&testimony).unwrap();
            let node = &clew_model::doc::parse(&json, clew_model::doc::TextFormat::Json).unwrap()[0];
            let mut reader = Reader::default();
            let read = clew_intake::read_testimony(model, node, &mut reader);
            assert!(reader.diagnostics.is_empty(), "{:#?}", reader.diagnostics);
            assert_eq!(read.unwrap(), testimony);
        }
        assert_ne!(generate(42, 0, 1_000), generate(43, 0, 1_000));
    }
}

//! The demo's overlapping lists: a capture-history table of four fictional lists of workers, for the demo's
//! population estimate. No real list is behind it: a fictional population is drawn, each of its workers more
//! or less visible (a worker on a remote logging site is on fewer lists than one on a city building site), and
//! each list catches a worker with a chance that grows with that visibility. The table's first line says it is
//! synthetic and how many the fictional population really had, so the estimate can be held against it.

use rand::{Rng, SeedableRng};

/// The fictional lists, in the table's column order.
pub const DEMO_LISTS: [&str; 4] = ["ngo_interviews", "worksite_rosters", "press_reports", "court_records"];

/// How many workers the fictional population has.
pub const DEMO_POPULATION: u64 = 12_000;

/// Each list's chance of catching a worker of average visibility.
const CATCH: [f64; 4] = [0.10, 0.22, 0.06, 0.04];

/// The capture-history table (CSV: one 0/1 column per list and `count`), drawn with `seed`; its first line is
/// a `# SYNTHETIC DATA` note, which every estimate made from it repeats.
pub fn synthetic_capture_table(seed: u64) -> String {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed ^ 0x6c69_7374_735f_6d73);
    let mut counts = [0u64; 16];
    for _ in 0..DEMO_POPULATION {
        // Visibility: a worker's chances are all scaled by one factor, from a third to twice the average.
        let visibility: f64 = rng.random_range(0.33..2.0);
        let mut pattern = 0usize;
        for (list, chance) in CATCH.iter().enumerate() {
            if rng.random_bool((chance * visibility).min(1.0)) {
                pattern |= 1 << list;
            }
        }
        counts[pattern] += 1;
    }
    let mut table = format!(
        "# SYNTHETIC DATA (fictional lists of a clew demo; the fictional population had {DEMO_POPULATION} workers)\n{},count\n",
        DEMO_LISTS.join(",")
    );
    // Pattern 0 (on no list) is what the estimate is for: it is not in the table.
    for (pattern, count) in counts.iter().enumerate().skip(1) {
        let cells: Vec<&str> =
            (0..DEMO_LISTS.len()).map(|list| if pattern >> list & 1 == 1 { "1" } else { "0" }).collect();
        table.push_str(&format!("{},{count}\n", cells.join(",")));
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_says_it_is_synthetic_and_leaves_out_those_on_no_list() {
        let table = synthetic_capture_table(7);
        assert!(table.starts_with("# SYNTHETIC DATA"));
        assert_eq!(table, synthetic_capture_table(7), "the same seed, the same table");
        let rows: Vec<&str> = table.lines().skip(2).collect();
        assert_eq!(rows.len(), 15);
        let seen: u64 = rows.iter().map(|r| r.rsplit(',').next().unwrap_or("0").parse::<u64>().unwrap_or(0)).sum();
        assert!(seen > 2_000 && seen < DEMO_POPULATION, "{seen} seen of {DEMO_POPULATION}");
    }
}

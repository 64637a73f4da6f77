//! Writes the Korean linkage test set: fictional people (synthetic: names drawn from common surnames and
//! given-name syllables, not taken from anyone), each recorded one to four times as a roster, a case file or a
//! press report might: in Hangul (spaced or not), Revised Romanization, McCune–Reischauer (with breves, with
//! the UN list's apostrophes, plain), the DPRK's style, passport style, Kontsevich or Russian-media Cyrillic;
//! sometimes given name first; birth dates full, year only or missing, now and then mistyped; the province of
//! origin and the city of the worksite when known. Ids say who is who (`syn-17-2` is person 17's third record).
//!
//!     cargo run --release -p clew-link --example korean_set -- PEOPLE OUT.csv [SEED]

use std::fmt::Write as _;

use clew_names::hangul::Syllable;
use clew_names::romanize::{SYSTEMS, write};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Surnames, commonest first (their order in clew's surname table); drawn with weights falling as 1/rank.
const SURNAMES: &str = "김이박최정강조윤장임한오서신권황안송류유전홍고문양손배백허남심노하곽성차주우구민진나지엄채원천방공현함변염여추도소석선설마길연위표명기반라왕금옥육인맹제모탁국어은편용";
/// Given-name syllables.
const GIVEN: &str =
    "철성영일남호수국광명혁진용민석준정희선순옥숙미경춘현동학근범봉식길원만복룡세훈기태상혜은연주창종재하인";
const PROVINCES: [&str; 10] = [
    "South Hamgyong",
    "North Hamgyong",
    "Ryanggang",
    "Chagang",
    "South Pyongan",
    "North Pyongan",
    "Kangwon",
    "South Hwanghae",
    "North Hwanghae",
    "Pyongyang",
];
const CITIES: [&str; 10] =
    ["Vladivostok", "Khabarovsk", "Nakhodka", "Ussuriysk", "Tynda", "Yakutsk", "Moscow", "Tomsk", "Amursk", "Artyom"];

fn syllables(text: &str) -> Vec<Syllable> {
    text.chars().filter_map(Syllable::of).collect()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(people), Some(out)) = (args.get(1).and_then(|n| n.parse::<usize>().ok()), args.get(2)) else {
        eprintln!("usage: korean_set PEOPLE OUT.csv [SEED]");
        std::process::exit(2);
    };
    let seed = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(1);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let surnames: Vec<char> = SURNAMES.chars().collect();
    let weights: Vec<f64> = (1..=surnames.len()).map(|rank| 1.0 / rank as f64).collect();
    let total: f64 = weights.iter().sum();
    let given: Vec<char> = GIVEN.chars().collect();
    let mut csv = String::from("id,name,birth_date,province,worksite\n");
    for person in 0..people {
        let mut pick = rng.random::<f64>() * total;
        let surname = surnames[weights
            .iter()
            .position(|w| {
                pick -= w;
                pick <= 0.0
            })
            .unwrap_or(0)];
        let first_name: String = (0..2).map(|_| given[rng.random_range(0..given.len())]).collect();
        let (year, month, day) = (rng.random_range(1965..2004), rng.random_range(1..13), rng.random_range(1..29));
        let province = PROVINCES[rng.random_range(0..PROVINCES.len())];
        let city = CITIES[rng.random_range(0..CITIES.len())];
        let records = 1
            + usize::from(rng.random_bool(0.6))
            + usize::from(rng.random_bool(0.3))
            + usize::from(rng.random_bool(0.15));
        for copy in 0..records {
            let (family, first) = (syllables(&surname.to_string()), syllables(&first_name));
            let variant = rng.random_range(0..SYSTEMS.len() + 2);
            let mut name = match variant {
                v if v < SYSTEMS.len() => write(&family, &first, SYSTEMS[v]),
                v if v == SYSTEMS.len() => format!("{surname}{first_name}"),
                _ => format!("{surname} {first_name}"),
            };
            if rng.random_bool(0.2)
                && let Some((family_part, rest)) = name.split_once(' ')
            {
                name = format!("{rest} {family_part}");
            }
            let birth = match rng.random_range(0..10) {
                0 | 1 => String::new(),
                2 | 3 => format!("{year}"),
                4 => format!("{year}-{month:02}-{:02}", (day % 28) + 1),
                _ => format!("{year}-{month:02}-{day:02}"),
            };
            let province = if rng.random_bool(0.8) { province } else { "" };
            let city = match rng.random_range(0..10) {
                0..=2 => "",
                3 => CITIES[rng.random_range(0..CITIES.len())],
                _ => city,
            };
            let _ = writeln!(csv, "syn-{person}-{copy},{name},{birth},{province},{city}");
        }
    }
    if let Err(e) = std::fs::write(out, csv) {
        eprintln!("{out}: {e}");
        std::process::exit(1);
    }
}

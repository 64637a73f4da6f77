//! clew-link's tests: configs and records refused with their place, blocking counted and generated, comparison
//! levels, training, scoring and clustering on seeded synthetic records.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod blocking;
mod cluster;
mod compare;
mod input;
mod korean_handwritten;
mod train;

use clew_link::blocking::Mode;
use clew_link::config;
use clew_link::linkage::Linkage;
use clew_link::records::Records;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A config for person records with a name, a birth date, a city and an id number.
pub const PEOPLE: &str = r#"
version = "clew-link-v1"
id = "id"

[[comparison]]
name = "name"
kind = "person-name"
columns = ["name"]

[[comparison]]
name = "birth"
kind = "date"
columns = ["birth"]

[[comparison]]
name = "city"
kind = "name"
columns = ["city"]
independent = true
tf = true

[[comparison]]
name = "passport"
kind = "edit"
columns = ["passport"]

[blocking]
rules = ["keys(name) & year(birth)", "passport", "city & year(birth)"]

[training]
prior_rules = ["passport", "name & birth"]
prior_recall = 0.7
em_rules = ["year(birth)", "passport"]
u_pairs = 20000
seed = 7
"#;

/// A linkage over CSV text with the config text.
pub fn linkage(config_text: &str, files: &[&str], mode: Mode) -> Result<Linkage, clew_link::Error> {
    let checked = config::read("test.toml", config_text)?;
    let mut records = Records::new(checked.columns());
    for (i, file) in files.iter().enumerate() {
        records.add_csv(&format!("file{}.csv", i + 1), file.as_bytes())?;
    }
    Linkage::new(checked, records, mode)
}

/// Fictional people (synthetic: the names are drawn from syllables, not taken from anyone), each recorded one to
/// four times with typing errors, missing values and other spellings. Returns the CSV and the true pairs.
pub fn synthetic(people: usize, seed: u64) -> (String, Vec<(String, String)>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let surnames = ["Kim", "Ri", "Pak", "Choe", "Jong", "Kang", "Han", "O", "Ryu", "Sin"];
    let syllables =
        ["chol", "song", "hyok", "myong", "il", "nam", "su", "yong", "gwang", "jin", "hui", "ok", "chun", "ho"];
    let cities = ["Vladivostok", "Khabarovsk", "Nakhodka", "Ussuriysk", "Tynda", "Yakutsk", "Moscow", "Tomsk"];
    let mut csv = String::from("id,name,birth,city,passport\n");
    let mut truth = Vec::new();
    for person in 0..people {
        let surname = surnames[rng.random_range(0..surnames.len())];
        let given = format!(
            "{} {}",
            syllables[rng.random_range(0..syllables.len())],
            syllables[rng.random_range(0..syllables.len())]
        );
        let birth =
            format!("{}-{:02}-{:02}", rng.random_range(1960..2002), rng.random_range(1..13), rng.random_range(1..29));
        let city = cities[rng.random_range(0..cities.len())];
        let passport = format!("{}", rng.random_range(1_000_000..9_999_999));
        let copies = 1
            + usize::from(rng.random_bool(0.5))
            + usize::from(rng.random_bool(0.3))
            + usize::from(rng.random_bool(0.2));
        let mut ids = Vec::new();
        for copy in 0..copies {
            let id = format!("p{person}-{copy}");
            let mut name = format!("{surname} {given}");
            let (mut b, mut c, mut p) = (birth.clone(), city.to_string(), passport.clone());
            if copy > 0 {
                match rng.random_range(0..6) {
                    0 => name = format!("{given} {surname}"),
                    1 => {
                        let mut letters: Vec<char> = name.chars().collect();
                        let at = rng.random_range(1..letters.len());
                        letters.remove(at);
                        name = letters.into_iter().collect();
                    }
                    2 => b = b[..4].to_string(),
                    3 => p.clear(),
                    4 => c.clear(),
                    _ => {
                        let mut digits: Vec<char> = p.chars().collect();
                        digits.swap(2, 3);
                        p = digits.into_iter().collect();
                    }
                }
            }
            csv.push_str(&format!("{id},{name},{b},{c},{p}\n"));
            ids.push(id);
        }
        for (i, a) in ids.iter().enumerate() {
            for b in &ids[i + 1..] {
                truth.push((a.clone(), b.clone()));
            }
        }
    }
    (csv, truth)
}

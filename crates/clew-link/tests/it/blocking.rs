//! Blocking: counts known before running, each pair made once, swaps, links across files only.

use std::collections::BTreeSet;

use clew_link::blocking::{Blocker, Mode};
use clew_link::config::Rule;

use crate::{PEOPLE, linkage, synthetic};

fn pairs_of(linkage: &clew_link::linkage::Linkage, rule: &str) -> Vec<(String, String)> {
    let blocker = Blocker::new(&Rule::parse(rule).unwrap(), &linkage.records);
    let mut pairs = Vec::new();
    blocker.pairs(&linkage.records, linkage.mode, |a, b| {
        pairs.push((linkage.records.id(a).to_string(), linkage.records.id(b).to_string()))
    });
    pairs
}

#[test]
fn a_rule_on_plain_columns_makes_exactly_the_pairs_it_counts() {
    let (csv, _) = synthetic(300, 3);
    let linkage = linkage(PEOPLE, &[&csv], Mode::Dedupe).unwrap();
    for rule in ["city", "passport", "city & passport", "year(birth)"] {
        let blocker = Blocker::new(&Rule::parse(rule).unwrap(), &linkage.records);
        let pairs = pairs_of(&linkage, rule);
        let unique: BTreeSet<_> = pairs.iter().collect();
        assert_eq!(unique.len(), pairs.len(), "{rule}: a pair made twice");
        assert_eq!(blocker.count(&linkage.records, Mode::Dedupe), pairs.len() as u64, "{rule}");
    }
}

#[test]
fn pairs_share_the_key_and_the_union_has_each_pair_once() {
    let (csv, _) = synthetic(300, 4);
    let linkage = linkage(PEOPLE, &[&csv], Mode::Dedupe).unwrap();
    let city = linkage.records.column("city").unwrap();
    let rec = |id: &str| linkage.records.find(0, id).unwrap();
    for (a, b) in pairs_of(&linkage, "city") {
        assert_eq!(linkage.records.value(city, rec(&a)), linkage.records.value(city, rec(&b)));
    }
    let candidates = linkage.candidates();
    let unique: BTreeSet<_> = candidates.iter().collect();
    assert_eq!(unique.len(), candidates.len());
    assert!(candidates.iter().all(|(a, b)| a < b));
    // The union is the set of pairs some rule makes.
    let mut union = BTreeSet::new();
    for rule in ["keys(name) & year(birth)", "passport", "city & year(birth)"] {
        union.extend(pairs_of(&linkage, rule));
    }
    let named: BTreeSet<_> = candidates
        .iter()
        .map(|(a, b)| (linkage.records.id(*a).to_string(), linkage.records.id(*b).to_string()))
        .collect();
    assert_eq!(named, union);
}

#[test]
fn a_swap_rule_joins_given_name_and_surname_crosswise() {
    let config = PEOPLE
        .replace("columns = [\"name\"]", "columns = [\"given\", \"surname\"]")
        .replace(
            "rules = [\"keys(name) & year(birth)\", \"passport\", \"city & year(birth)\"]",
            "rules = [\"given = surname & surname = given\"]",
        )
        .replace("prior_rules = [\"passport\", \"name & birth\"]", "prior_rules = [\"passport\"]");
    let file = "id,given,surname,birth,city,passport\na,Chol,Kim,1970,Tomsk,1\nb,Kim,Chol,1970,Tomsk,1\nc,Chol,Kim,1971,Tomsk,2\nd,Nam,Ri,1970,Tomsk,3\n";
    let linkage = linkage(&config, &[file], Mode::Dedupe).unwrap();
    let pairs = pairs_of(&linkage, "given = surname & surname = given");
    assert_eq!(pairs, vec![("a".to_string(), "b".to_string()), ("b".to_string(), "c".to_string())]);
}

#[test]
fn linking_pairs_records_across_files_only() {
    let header = "id,name,birth,city,passport\n";
    let a = format!("{header}a1,Kim Chol,1970,Tomsk,1\na2,Kim Chol,1970,Tomsk,1\n");
    let b = format!("{header}b1,Kim Chol,1970,Tomsk,1\n");
    let linkage = linkage(PEOPLE, &[&a, &b], Mode::Link).unwrap();
    let pairs = pairs_of(&linkage, "passport");
    assert_eq!(pairs, vec![("a1".to_string(), "b1".to_string()), ("a2".to_string(), "b1".to_string())]);
    let blocker = Blocker::new(&Rule::parse("passport").unwrap(), &linkage.records);
    assert_eq!(blocker.count(&linkage.records, Mode::Link), 2);
}

#[test]
fn name_keys_meet_across_scripts() {
    let file = "id,name,birth,city,passport\na,김정은,1984,Pyongyang,\nb,KIM JONG UN,1984,Pyongyang,\nc,Ким Чен Ын,1984,,\nd,Pak Nam,1984,,\n";
    let linkage = linkage(PEOPLE, &[file], Mode::Dedupe).unwrap();
    let pairs = pairs_of(&linkage, "surname(name)");
    let ids: Vec<String> = pairs.iter().map(|(a, b)| format!("{a}{b}")).collect();
    assert_eq!(ids, vec!["ab", "ac", "bc"]);
    let pairs = pairs_of(&linkage, "surname(name) & given(name)");
    assert_eq!(pairs.len(), 3, "{pairs:?}");
}

#[test]
fn the_sound_of_a_korean_given_name_is_one_key_across_scripts() {
    let file = "id,name,birth,city,passport\na,최선희,,,\nb,CHOE SON HUI,,,\nc,Цой Сон Хи,,,\nd,Choe Myong Nam,,,\ne,Son Hui Choe,,,\n";
    let linkage = linkage(PEOPLE, &[file], Mode::Dedupe).unwrap();
    let ids: Vec<String> =
        pairs_of(&linkage, "surname(name) & given(name)").iter().map(|(a, b)| format!("{a}{b}")).collect();
    assert_eq!(ids, vec!["ab", "ac", "ae", "bc", "be", "ce"]);
}

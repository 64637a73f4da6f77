//! The rate table reader (`--rates FILE`, a project's `rates.csv`): every problem reported with its line, never
//! a panic; and a table that parses backs with the shipped one without a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(rates) = clew_assess::ledger::Rates::parse(text, "fuzz.csv")
        && let Ok(shipped) = clew_assess::ledger::Rates::shipped()
    {
        let rates = rates.with_fallback(shipped);
        let _ = rates.rate("RUB", "2019-05");
        let _ = rates.rate("EUR", "2019");
    }
});

//! The screening queries reader, and screening each query read against a small fixed list.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

fn screener() -> &'static clew_screen::screen::Screener {
    static SCREENER: OnceLock<clew_screen::screen::Screener> = OnceLock::new();
    SCREENER.get_or_init(|| {
        let list = clew_screen::lists::read_csv(
            "list.csv",
            "id,name,schema,birth_date,nationality\n\
             F-1,KIM CHOL SU,Person,1970-01-02,kp\nF-2,Чвэ Чхун Ен,Person,,\nF-3,DEMO TRADING LLC,Company,,ru\n"
                .as_bytes(),
        )
        .unwrap_or_else(|e| panic!("the fixed list reads: {e}"));
        clew_screen::screen::Screener::new(list.entities)
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok((queries, _)) = clew_screen::screen::read_queries("q.csv", data) else { return };
    for query in queries.iter().take(64) {
        let _ = screener().screen(query, &clew_screen::screen::Options::default());
    }
});

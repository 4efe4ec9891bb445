//! Dates as written in front matter and `date=`: anything may come in; what
//! is accepted must round-trip through its ISO form and be ordered.
#![no_main]

use dossier::model::date::EdtfDate;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(date) = EdtfDate::parse(text) {
        assert!(date.earliest() <= date.latest(), "{text}");
        let again = EdtfDate::parse(&date.to_string()).expect("a date's own form parses");
        assert_eq!(again, date, "{text}");
        let _ = date.datetime_attr();
        assert!(date.contains(&date));
    }
});

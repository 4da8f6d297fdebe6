//! Coverage-guided fuzzing of the report parser: any bytes must give facts or a
//! ParseError, never a panic, and a parse must be repeatable.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let first = peel::report::parse_report_bytes(data);
    let second = peel::report::parse_report_bytes(data);
    assert_eq!(first, second, "parsing is not deterministic");
});

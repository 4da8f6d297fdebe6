//! Throughput of `parse_report` on the seed report (std::time only).
//!
//! Run with `cargo bench --bench parse`; prints MB/s and microseconds per parse.

use std::hint::black_box;
use std::time::Instant;

use peel::report::parse_report;

fn main() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/reports/peel-effectiveness-2015-cambridgeshire.txt"
    );
    let text = std::fs::read_to_string(path).expect("seed fixture is readable");
    let facts = parse_report(&text).expect("seed parses");
    assert!(!facts.figures.is_empty());

    // Warm up, then time enough iterations for a stable figure.
    for _ in 0..50 {
        black_box(parse_report(black_box(&text)).ok());
    }
    let n: u32 = std::env::var("PEEL_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    let start = Instant::now();
    for _ in 0..n {
        black_box(parse_report(black_box(&text)).ok());
    }
    let elapsed = start.elapsed();
    let per_parse_us = elapsed.as_secs_f64() * 1e6 / f64::from(n);
    let mb_per_s = (text.len() as f64 * f64::from(n)) / elapsed.as_secs_f64() / 1e6;
    println!(
        "parse_report: {} bytes x {n} parses in {:.3} s: {per_parse_us:.1} us/parse, {mb_per_s:.1} MB/s",
        text.len(),
        elapsed.as_secs_f64()
    );
}

//! Time to draw the largest grade grid, 43 forces by the seven PEEL cycles (2014 to
//! 2023-25), as SVG and as PNG, through the same sink `peel -F svg` / `-F png` uses
//! (std::time only).
//!
//! Run with `cargo bench --bench pictures`; `PEEL_BENCH_N` sets the number of timed runs.

use std::hint::black_box;
use std::time::{Duration, Instant};

use peel::output::{self, Format, Options};
use peel::value::Value;

const GRADES: [&str; 5] = [
    "Outstanding",
    "Good",
    "Requires improvement",
    "Inadequate",
    "Adequate",
];
const CYCLES: [&str; 7] = [
    "2014", "2015", "2016", "2017", "2018/19", "2021/22", "2023-25",
];

/// 43 forces by 7 cycles, every grade used and one cell in nine empty.
fn grid() -> (Vec<String>, Vec<Vec<Value>>) {
    let mut columns = vec!["area_name".to_string()];
    columns.extend(CYCLES.iter().map(|c| c.to_string()));
    let rows = (0..43)
        .map(|f| {
            let mut row = vec![Value::Text(format!("Force number {f:02}"))];
            row.extend((0..CYCLES.len()).map(|c| {
                if (f + c) % 9 == 0 {
                    Value::Null
                } else {
                    Value::Text(GRADES[(f * 7 + c * 3) % GRADES.len()].into())
                }
            }));
            row
        })
        .collect();
    (columns, rows)
}

fn draw(format: Format, columns: &[String], rows: &[Vec<Value>]) -> usize {
    let mut out = Vec::new();
    {
        let mut sink = output::sink(format, &mut out, &Options::default());
        sink.begin(columns).unwrap();
        for r in rows {
            sink.row(r).unwrap();
        }
        sink.end().unwrap();
    }
    out.len()
}

fn time(format: Format, n: u32, columns: &[String], rows: &[Vec<Value>]) {
    for _ in 0..3 {
        black_box(draw(format, columns, rows));
    }
    let mut all = Vec::new();
    let mut bytes = 0;
    for _ in 0..n {
        let start = Instant::now();
        bytes = black_box(draw(format, black_box(columns), black_box(rows)));
        all.push(start.elapsed());
    }
    all.sort();
    let mean = all.iter().sum::<Duration>() / n;
    println!(
        "{format:?}: 43 x 7 grid, {bytes} bytes, {n} runs: mean {:.2} ms, min {:.2} ms, max {:.2} ms",
        mean.as_secs_f64() * 1e3,
        all[0].as_secs_f64() * 1e3,
        all[all.len() - 1].as_secs_f64() * 1e3
    );
}

fn main() {
    let n: u32 = std::env::var("PEEL_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50);
    let (columns, rows) = grid();
    time(Format::Svg, n, &columns, &rows);
    time(Format::Png, n, &columns, &rows);
}

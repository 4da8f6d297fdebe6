//! peel-gen: synthetic figures for benchmarks, never for the seed or an exported file.
//!
//! ```sh
//! cargo run --release --example peel-gen -- long 1000000 > rows-1m.csv
//! cargo run --release --example peel-gen -- home-office 100000 > prc-100k.csv
//! ```
//!
//! `long N` writes N rows of the long layout (`area,period,metric,value`): every one of
//! the seed's 55 areas (the 43 forces, regions, countries and England and Wales), 40
//! financial quarters (2010/11 Q1 to 2019/20 Q4), and as many metrics as N needs
//! (`synthetic-0001`, ...), in the order the Home Office publishes: period, then area,
//! then metric. Growing N grows the number of metrics, as a real database grows with
//! more offences and outcome types. Values are deterministic pseudo-random counts.
//!
//! `home-office N` writes N rows of the Home Office recorded crime table for the 43
//! forces, with synthetic offence codes (`S0001`, ...), over the same 40 quarters.
//!
//! Metric codes start `synthetic-` and offence codes `S`, so synthetic rows can never be
//! mistaken for published figures. Import them with
//! `peel import csv --create-metrics --unit count FILE`.

use std::io::{self, BufWriter, Write};

const AREAS_CSV: &str = include_str!("../seed/areas.csv");
const QUARTERS: usize = 40;
const FIRST_YEAR: usize = 2010;

/// A small, fast, deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

/// (ONS code, short name, kind) of every seed area.
fn areas() -> Vec<(String, String, String)> {
    let mut reader = csv::Reader::from_reader(AREAS_CSV.as_bytes());
    reader
        .records()
        .map(|r| {
            let r = r.expect("seed/areas.csv is valid CSV");
            (r[0].to_string(), r[3].to_string(), r[4].to_string())
        })
        .collect()
}

/// `2010/11 Q1` ... for quarter index `i`.
fn quarter(i: usize) -> (String, usize) {
    let year = FIRST_YEAR + i / 4;
    (format!("{year}/{:02}", (year + 1) % 100), i % 4 + 1)
}

fn long(n: u64, out: &mut dyn Write) -> io::Result<()> {
    let areas = areas();
    let per_metric = (areas.len() * QUARTERS) as u64;
    let metrics = n.div_ceil(per_metric).max(1);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    writeln!(out, "area,period,metric,value")?;
    let mut written = 0;
    'all: for q in 0..QUARTERS {
        let (year, quarter) = quarter(q);
        for (code, _, _) in &areas {
            for m in 1..=metrics {
                if written == n {
                    break 'all;
                }
                writeln!(
                    out,
                    "{code},{year} Q{quarter},synthetic-{m:04},{}",
                    rng.next() % 10_000
                )?;
                written += 1;
            }
        }
    }
    Ok(())
}

fn home_office(n: u64, out: &mut dyn Write) -> io::Result<()> {
    let forces: Vec<String> = areas()
        .into_iter()
        .filter(|(_, _, kind)| kind == "force")
        .map(|(_, name, _)| name)
        .collect();
    let per_offence = (forces.len() * QUARTERS) as u64;
    let offences = n.div_ceil(per_offence).max(1);
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    writeln!(
        out,
        "Financial Year,Financial Quarter,Force Name,Offence Description,Offence Group,Offence Subgroup,Offence Code,Number of Offences"
    )?;
    let mut written = 0;
    'all: for q in 0..QUARTERS {
        let (year, quarter) = quarter(q);
        for force in &forces {
            for o in 1..=offences {
                if written == n {
                    break 'all;
                }
                let quoted = if force.contains(',') {
                    format!("\"{force}\"")
                } else {
                    force.clone()
                };
                writeln!(
                    out,
                    "{year},{quarter},{quoted},Synthetic offence {o},Synthetic group,Synthetic subgroup,S{o:04},{}",
                    rng.next() % 2_000
                )?;
                written += 1;
            }
        }
    }
    Ok(())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: peel-gen long|home-office ROWS > FILE.csv";
    let (Some(layout), Some(n)) = (
        args.first(),
        args.get(1)
            .and_then(|n| n.replace('_', "").parse::<u64>().ok()),
    ) else {
        eprintln!("{usage}");
        std::process::exit(2);
    };
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let result = match layout.as_str() {
        "long" => long(n, &mut out),
        "home-office" => home_office(n, &mut out),
        _ => {
            eprintln!("{usage}");
            std::process::exit(2);
        }
    };
    if let Err(e) = result.and_then(|()| out.flush())
        && e.kind() != io::ErrorKind::BrokenPipe
    {
        eprintln!("peel-gen: {e}");
        std::process::exit(1);
    }
}

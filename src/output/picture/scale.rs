//! Axes: round tick values covering a range, and numbers written as people write them
//! (thousands grouped with commas).

/// About `count` round values (1, 2 or 5 times a power of ten apart) from at most `lo` to
/// at least `hi`.
pub(super) fn ticks(lo: f64, hi: f64, count: usize) -> Vec<f64> {
    let span = (hi - lo).abs().max(f64::EPSILON);
    let raw = span / count.max(1) as f64;
    let power = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|s| span / s <= count as f64)
        .unwrap_or(10.0 * power);
    let first = (lo / step).floor() * step;
    let mut out = Vec::new();
    for k in 0..=(count * 4 + 4) {
        // Rounded past the step's precision, so 0.30000000000000004 is 0.3.
        let precision = 10f64.powi(decimals_for(step) as i32 + 1);
        let v = ((first + k as f64 * step) * precision).round() / precision;
        out.push(v);
        if v >= hi - step * 1e-9 {
            break;
        }
    }
    out
}

/// `v` with its thousands grouped and `decimals` decimals: `127,192.46`, `-1,500`.
pub(super) fn number(v: f64, decimals: usize) -> String {
    let text = format!("{:.*}", decimals, v.abs());
    let (whole, fraction) = match text.split_once('.') {
        Some((w, f)) => (w.to_string(), f.to_string()),
        None => (text.clone(), String::new()),
    };
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if v < 0.0 && text.bytes().any(|b| b.is_ascii_digit() && b != b'0') {
        "-"
    } else {
        ""
    };
    if fraction.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{fraction}")
    }
}

/// The decimals values need to be shown as given: none for whole numbers, else up to two
/// (four below ten, where rates per 1,000 live: `2.3874`).
pub(super) fn decimals(values: &[f64]) -> usize {
    let largest = values.iter().fold(0.0_f64, |a, v| a.max(v.abs()));
    let most = if largest < 10.0 { 4 } else { 2 };
    let exact = |d: usize| {
        let f = 10f64.powi(d as i32);
        values
            .iter()
            .all(|v| ((v * f).round() - v * f).abs() < 1e-6)
    };
    (0..most).find(|&d| exact(d)).unwrap_or(most)
}

/// Decimals enough to tell ticks `step` apart.
pub(super) fn decimals_for(step: f64) -> usize {
    if step >= 1.0 {
        0
    } else {
        (-step.log10().floor()) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        assert_eq!(
            ticks(0.0, 32251.61, 5),
            [0.0, 10000.0, 20000.0, 30000.0, 40000.0]
        );
        assert_eq!(ticks(1.7, 2.45, 4), [1.6, 1.8, 2.0, 2.2, 2.4, 2.6]);
        assert_eq!(ticks(-10.0, 10.0, 4), [-10.0, -5.0, 0.0, 5.0, 10.0]);
    }

    #[test]
    fn numbers_group_thousands() {
        assert_eq!(number(127192.46, 2), "127,192.46");
        assert_eq!(number(1487.1, 2), "1,487.10");
        assert_eq!(number(-1500.0, 0), "-1,500");
        assert_eq!(number(-0.001, 2), "0.00");
        assert_eq!(number(999.0, 0), "999");
        assert_eq!(decimals(&[1487.1, 1730.52]), 2);
        assert_eq!(decimals(&[2.3874, 1.7]), 4);
        assert_eq!(decimals(&[3.0, 40.0]), 0);
    }
}

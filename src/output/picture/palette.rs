//! Colours, chosen to be told apart by readers with any common colour-vision deficiency,
//! and never the only carrier of meaning: every grade cell has its short label, the chosen
//! bar a bold label, each line a dash pattern and a label at its end.
//!
//! Grades use five colours of the Okabe–Ito palette (Okabe and Ito, "Color Universal
//! Design", 2002; also Wong, Nature Methods 8:441, 2011), made for colour-blind readers, as
//! a diverging scale: blue for the good side, orange for the bad, lightest in the middle
//! (Adequate). Blue against orange is the contrast that protanopia and deuteranopia (the
//! common red-green deficiencies) keep, and the lightness order (Outstanding darkest blue,
//! Good lighter, Adequate lightest, Requires improvement mid orange, Inadequate darker
//! vermillion) reads the same in grey. Each cell's label takes white or black, whichever
//! contrasts more; every pair is at least 4.5:1 (WCAG AA for normal text), checked by a
//! test.

use super::grid::Grade;

/// The fill of a grade's cell and the colour of its label.
pub(super) fn grade_colours(grade: Grade) -> (&'static str, &'static str) {
    match grade {
        // Okabe–Ito blue; white text 5.2:1.
        Grade::Outstanding => ("#0072B2", "#ffffff"),
        // Okabe–Ito sky blue; black text 9.1:1.
        Grade::Good => ("#56B4E9", "#000000"),
        // Okabe–Ito yellow; black text 15.9:1.
        Grade::Adequate => ("#F0E442", "#000000"),
        // Okabe–Ito orange; black text 9.3:1.
        Grade::RequiresImprovement => ("#E69F00", "#000000"),
        // Okabe–Ito vermillion; black text 5.4:1 (white would be 3.9:1).
        Grade::Inadequate => ("#D55E00", "#000000"),
        // Not a grade on the scale: white with a border, dark text.
        Grade::NotGraded => ("#ffffff", "#1a1a1a"),
    }
}

/// A cell with no grade in the database: light grey hatched, with a dash.
pub(super) const EMPTY_FILL: &str = "#f2f2f2";
/// The hatching and dash of an empty cell (4.8:1 on the fill).
pub(super) const EMPTY_INK: &str = "#6b6b6b";

/// Bars: the chosen force (Okabe–Ito blue), the others (mid grey, 3.0:1 against white:
/// large marks need no more).
pub(super) const BAR_SELECTED: &str = "#0072B2";
pub(super) const BAR_PLAIN: &str = "#949494";
/// The reference line (England and Wales).
pub(super) const REFERENCE: &str = "#1a1a1a";

/// Lines of a trend, in order: colour and dash pattern (empty for solid).
pub(super) const LINES: [(&str, &str); 4] = [
    ("#0072B2", ""),
    ("#D55E00", "7 4"),
    ("#009E73", "2 3"),
    ("#CC79A7", "10 3 2 3"),
];

/// Parses `#rrggbb`.
#[cfg(test)]
pub(super) fn rgb(hex: &str) -> (u8, u8, u8) {
    let v = u32::from_str_radix(hex.trim_start_matches('#'), 16).unwrap_or(0);
    ((v >> 16) as u8, (v >> 8) as u8, v as u8)
}

/// WCAG 2 relative luminance.
#[cfg(test)]
fn luminance(hex: &str) -> f64 {
    let (r, g, b) = rgb(hex);
    let channel = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
}

/// WCAG 2 contrast ratio of two colours.
#[cfg(test)]
pub(super) fn contrast(a: &str, b: &str) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_grade_label_contrasts_at_least_4_5_to_1_and_the_better_choice_is_taken() {
        for grade in Grade::ALL {
            let (fill, text) = grade_colours(grade);
            let ratio = contrast(fill, text);
            assert!(ratio >= 4.5, "{grade:?}: {ratio:.2}");
            let other = if text == "#ffffff" {
                "#000000"
            } else {
                "#ffffff"
            };
            if grade != Grade::NotGraded {
                assert!(ratio > contrast(fill, other), "{grade:?}");
            }
        }
        assert!(contrast(EMPTY_FILL, EMPTY_INK) >= 4.5);
    }

    #[test]
    fn grades_are_ordered_by_lightness_on_each_side() {
        // Without hue, Outstanding is darker than Good, and Inadequate darker than
        // Requires improvement, with Adequate lightest between them.
        let l = |g| luminance(grade_colours(g).0);
        assert!(l(Grade::Outstanding) < l(Grade::Good));
        assert!(l(Grade::Good) < l(Grade::Adequate));
        assert!(l(Grade::Inadequate) < l(Grade::RequiresImprovement));
        assert!(l(Grade::RequiresImprovement) < l(Grade::Adequate));
        let all: Vec<&str> = Grade::ALL.iter().map(|&g| grade_colours(g).0).collect();
        for (i, a) in all.iter().enumerate() {
            assert!(!all[i + 1..].contains(a), "{a} used twice");
        }
    }
}

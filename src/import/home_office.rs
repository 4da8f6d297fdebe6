//! The Home Office police recorded crime open data table, as a sheet saved to CSV:
//! recognising its header, cleaning the force names it prints, telling territorial
//! forces from the other bodies it reports (British Transport Police, Action Fraud, CIFAS,
//! UK Finance), and naming a metric per offence. Pure: no database.

use crate::resolve::normalize;

/// The columns of the table, as the Home Office heads them.
pub const COLUMNS: [&str; 8] = [
    "Financial Year",
    "Financial Quarter",
    "Force Name",
    "Offence Description",
    "Offence Group",
    "Offence Subgroup",
    "Offence Code",
    "Number of Offences",
];

/// Where each column is in a file's header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Columns {
    /// `Financial Year`: `2014/15`.
    pub year: usize,
    /// `Financial Quarter`: `1` to `4`.
    pub quarter: usize,
    /// `Force Name`.
    pub force: usize,
    /// `Offence Description`.
    pub description: usize,
    /// `Offence Group`.
    pub group: usize,
    /// `Offence Subgroup`.
    pub subgroup: usize,
    /// `Offence Code`.
    pub code: usize,
    /// `Number of Offences`.
    pub count: usize,
}

/// A header cell compared without case, spacing, punctuation or a byte-order mark.
pub fn header_key(cell: &str) -> String {
    normalize(cell.trim_start_matches('\u{feff}'))
}

/// The table's columns, when `header` has all eight (in any order, with any others).
pub fn recognise(header: &[String]) -> Option<Columns> {
    let keys: Vec<String> = header.iter().map(|h| header_key(h)).collect();
    let find = |name: &str| keys.iter().position(|k| *k == header_key(name));
    Some(Columns {
        year: find(COLUMNS[0])?,
        quarter: find(COLUMNS[1])?,
        force: find(COLUMNS[2])?,
        description: find(COLUMNS[3])?,
        group: find(COLUMNS[4])?,
        subgroup: find(COLUMNS[5])?,
        code: find(COLUMNS[6])?,
        count: find(COLUMNS[7])?,
    })
}

/// A force name without the footnote marks the Home Office adds to it:
/// `Metropolitan Police¹`, `Metropolitan Police [note 3]`, `Greater Manchester*`.
pub fn clean_force_name(printed: &str) -> String {
    let mut out = String::with_capacity(printed.len());
    let mut depth = 0usize;
    for c in printed.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            '¹' | '²' | '³' | '⁰' | '⁴' | '⁵' | '⁶' | '⁷' | '⁸' | '⁹' | '*' | '†' | '‡' =>
                {}
            _ => out.push(c),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Bodies the table reports that are not territorial police forces, so have no area in
/// peel: their rows are counted and reported, never stored.
const OTHER_BODIES: &[&str] = &[
    "british transport police",
    "action fraud",
    "cifas",
    "uk finance",
    "national fraud intelligence bureau",
];

/// The body's name, when a cleaned force name is one of the non-territorial bodies.
pub fn other_body(clean: &str) -> Option<&'static str> {
    let key = normalize(clean);
    OTHER_BODIES
        .iter()
        .find(|b| key == **b || key.starts_with(&format!("{b} ")))
        .map(|b| match *b {
            "british transport police" => "British Transport Police",
            "action fraud" => "Action Fraud",
            "cifas" => "CIFAS",
            "uk finance" => "UK Finance",
            _ => "National Fraud Intelligence Bureau",
        })
}

/// The metric code for an offence: `offences-` and the offence code in lower case with
/// anything but letters and digits as `-` (`8N` -> `offences-8n`, `195/2` ->
/// `offences-195-2`); the description's words when the code is empty.
pub fn offence_metric_code(code: &str, description: &str) -> Option<String> {
    let basis = if code.trim().is_empty() {
        description
    } else {
        code
    };
    let slug = normalize(basis).replace(' ', "-");
    let slug: String = slug
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let slug = slug
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    (!slug.is_empty()).then(|| format!("offences-{slug}"))
}

/// The quarter number from `1`, `Q1` or `q1`.
pub fn parse_quarter(text: &str) -> Option<u32> {
    let t = text.trim();
    let n = t.strip_prefix(['Q', 'q']).unwrap_or(t);
    n.parse().ok().filter(|q| (1..=4).contains(q))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_is_recognised_in_any_case_order_and_with_a_bom() {
        let header: Vec<String> = [
            "\u{feff}Financial Year",
            "Financial Quarter",
            "Force Name",
            "Offence Description",
            "Offence Group",
            "Offence Subgroup",
            "Offence Code",
            "Number of Offences",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let c = recognise(&header).unwrap();
        assert_eq!((c.year, c.force, c.count), (0, 2, 7));
        let mut shuffled = header.clone();
        shuffled.swap(0, 7);
        shuffled[3] = "offence description".into();
        assert_eq!(recognise(&shuffled).unwrap().year, 7);
        assert!(recognise(&header[..7]).is_none());
    }

    #[test]
    fn footnote_marks_are_removed_from_force_names() {
        assert_eq!(
            clean_force_name("Metropolitan Police¹"),
            "Metropolitan Police"
        );
        assert_eq!(
            clean_force_name("Metropolitan Police [note 3]"),
            "Metropolitan Police"
        );
        assert_eq!(clean_force_name(" London, City of  "), "London, City of");
        assert_eq!(
            clean_force_name("Greater Manchester*"),
            "Greater Manchester"
        );
    }

    #[test]
    fn non_territorial_bodies_are_told_apart() {
        assert_eq!(
            other_body("British Transport Police"),
            Some("British Transport Police")
        );
        assert_eq!(other_body("Action Fraud"), Some("Action Fraud"));
        assert_eq!(other_body("CIFAS"), Some("CIFAS"));
        assert_eq!(other_body("UK Finance"), Some("UK Finance"));
        assert_eq!(other_body("Kent"), None);
        assert_eq!(other_body("Cifasshire"), None);
    }

    #[test]
    fn offence_metric_codes() {
        assert_eq!(
            offence_metric_code("8N", "Assault with injury").as_deref(),
            Some("offences-8n")
        );
        assert_eq!(
            offence_metric_code(" 195/2 ", "x").as_deref(),
            Some("offences-195-2")
        );
        assert_eq!(
            offence_metric_code("", "Theft from the person").as_deref(),
            Some("offences-theft-from-the-person")
        );
        assert_eq!(offence_metric_code("", "  "), None);
        assert_eq!(parse_quarter("Q3"), Some(3));
        assert_eq!(parse_quarter("4"), Some(4));
        assert_eq!(parse_quarter("5"), None);
    }
}

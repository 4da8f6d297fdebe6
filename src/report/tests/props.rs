//! Property tests of the parser: arbitrary bytes and mutated seed text never panic and
//! any error names a line of the input; and facts rendered into report text in the
//! 2015 template parse back to the same facts.
//!
//! Case counts: proptest's default (256), or PROPTEST_CASES.

use proptest::prelude::*;
use proptest::sample::{Index, select};

use super::*;

/// The 43 forces' full names, as the seed's areas table prints them.
fn force_names() -> Vec<String> {
    let text = include_str!("../../../seed/areas.csv");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (kind, name) = (col("kind"), col("name"));
    let names: Vec<String> = reader
        .records()
        .map(Result::unwrap)
        .filter(|r| &r[kind] == "force")
        .map(|r| r[name].to_string())
        .collect();
    assert_eq!(names.len(), 43);
    names
}

/// Lines of `text` as the parser counts them: LF, CRLF and a lone CR each end one.
fn line_count(text: &[u8]) -> usize {
    let mut lines = 0;
    let mut i = 0;
    let mut open = false;
    while let Some(&b) = text.get(i) {
        match b {
            b'\r' if text.get(i + 1) == Some(&b'\n') => {
                lines += 1;
                open = false;
                i += 1;
            }
            b'\r' | b'\n' => {
                lines += 1;
                open = false;
            }
            _ => open = true,
        }
        i += 1;
    }
    (lines + usize::from(open)).max(1)
}

fn assert_error_line_exists(input: &[u8], result: Result<ReportFacts, ParseError>) {
    if let Err(e) = result {
        let lines = line_count(input);
        assert!(
            e.line >= 1 && e.line <= lines,
            "error at line {} of a {lines}-line input: {e}",
            e.line
        );
    }
}

/// One change to a text: where, and what.
#[derive(Debug, Clone)]
enum Mutation {
    Insert(Index, String),
    Delete(Index, usize),
    Replace(Index, usize, String),
    DuplicateLine(Index),
    SwapLines(Index, Index),
    Truncate(Index),
    FlipByte(Index, u8),
}

/// Text worth inserting: pieces of the template, line ends, odd characters.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        select(vec![
            "\n",
            "\r\n",
            "\r",
            "\u{c}",
            "\t",
            "  ",
            "Overall judgment",
            "Good",
            "Goood",
            "Requires improvement",
            "Summary of findings",
            "Areas for improvement",
            "Force in numbers",
            "- ",
            "12 months to 30 June 2015",
            "as at 31 March 2014",
            "England and Wales",
            "Figure 2: Police recorded crime rates (per 1,000 population) for the 12 months to 30 June 2015",
            "fell by 19 percent",
            "judged to be good at reducing crime",
            "crime inspection in 2014",
            "^{4 5",
            "\u{b9}\u{b2}",
            "\u{fb01}",
            "\u{a0}",
            "\u{2013}",
            "\u{ad}",
            "1,234.5",
            "%",
            "?",
        ])
        .prop_map(str::to_string),
        any::<String>(),
        "[ -~]{0,40}",
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<Index>(), fragment()).prop_map(|(i, s)| Mutation::Insert(i, s)),
        (any::<Index>(), 1usize..200).prop_map(|(i, n)| Mutation::Delete(i, n)),
        (any::<Index>(), 1usize..40, fragment()).prop_map(|(i, n, s)| Mutation::Replace(i, n, s)),
        any::<Index>().prop_map(Mutation::DuplicateLine),
        (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        any::<Index>().prop_map(Mutation::Truncate),
        (any::<Index>(), any::<u8>()).prop_map(|(i, b)| Mutation::FlipByte(i, b)),
    ]
}

/// The nearest char boundary at or before `i`.
fn boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Applies mutations to the seed; a flipped byte may leave invalid UTF-8, so the result
/// is bytes.
fn mutate(seed: &str, mutations: &[Mutation]) -> Vec<u8> {
    let mut text = seed.to_string();
    let mut bytes: Option<Vec<u8>> = None;
    for m in mutations {
        if let Some(b) = bytes.as_mut() {
            // Once bytes are broken, only byte-level changes apply.
            if let Mutation::FlipByte(i, v) = m
                && !b.is_empty()
            {
                let at = i.index(b.len());
                b[at] = *v;
            }
            continue;
        }
        let len = text.len().max(1);
        match m {
            Mutation::Insert(i, s) => {
                let at = boundary(&text, i.index(len));
                text.insert_str(at, s);
            }
            Mutation::Delete(i, n) => {
                let a = boundary(&text, i.index(len));
                let b = boundary(&text, a + n);
                text.replace_range(a..b, "");
            }
            Mutation::Replace(i, n, s) => {
                let a = boundary(&text, i.index(len));
                let b = boundary(&text, a + n);
                text.replace_range(a..b, s);
            }
            Mutation::DuplicateLine(i) | Mutation::Truncate(i) | Mutation::SwapLines(i, _)
                if text.is_empty() =>
            {
                let _ = i;
            }
            Mutation::DuplicateLine(i) => {
                let mut lines: Vec<&str> = text.split('\n').collect();
                let at = i.index(lines.len());
                lines.insert(at, lines[at]);
                text = lines.join("\n");
            }
            Mutation::SwapLines(a, b) => {
                let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
                let (x, y) = (a.index(lines.len()), b.index(lines.len()));
                lines.swap(x, y);
                text = lines.join("\n");
            }
            Mutation::Truncate(i) => {
                let at = boundary(&text, i.index(len));
                text.truncate(at);
            }
            Mutation::FlipByte(i, v) => {
                let mut b = text.clone().into_bytes();
                if !b.is_empty() {
                    let at = i.index(b.len());
                    b[at] = *v;
                }
                match String::from_utf8(b) {
                    Ok(t) => text = t,
                    Err(e) => bytes = Some(e.into_bytes()),
                }
            }
        }
    }
    bytes.unwrap_or_else(|| text.into_bytes())
}

// ---------------------------------------------------------------------------------------
// A renderer: facts into the 2015 template

/// The question headings of the 2015 effectiveness template, by question code.
const HEADINGS: [(&str, &str); 5] = [
    (
        "overall",
        "Overview - How effective is the force at keeping people safe and reducing crime?",
    ),
    (
        "prevention",
        "How effective is the force at preventing crime and anti-social behaviour, and keeping people safe?",
    ),
    (
        "investigation",
        "How effective is the force at investigating crime and managing offenders?",
    ),
    (
        "vulnerability",
        "How effective is the force at protecting from harm those who are vulnerable, and supporting victims?",
    ),
    (
        "serious-organised-crime",
        "How effective is the force at tackling serious and organised crime, including its arrangements for fulfilling its national policing responsibilities?",
    ),
];

/// The "Force in numbers" captions the parser knows: metric, caption, unit, percent sign.
const FIN_METRICS: [(&str, &str, &str, bool); 4] = [
    (
        "asb-per-1000",
        "Anti-social behaviour incidents per 1,000 population",
        "per 1,000 population",
        false,
    ),
    (
        "domestic-abuse-share",
        "Domestic abuse as a percentage of all recorded crime (excluding fraud)",
        "percent",
        true,
    ),
    (
        "ocg-per-million",
        "Organised crime groups per million population",
        "per million population",
        false,
    ),
    (
        "victim-satisfaction",
        "Victim satisfaction rate",
        "percent",
        true,
    ),
];

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn month_end(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// One "Force in numbers" block: metric index, month-end date (year, month), 12 months
/// (else a point), force tenths, England and Wales tenths, England and Wales first.
type Figure = (usize, (i32, u32), bool, u32, u32, bool);

/// What the generator chooses; the renderer turns it into text and the facts it states.
#[derive(Debug, Clone)]
struct Spec {
    force: String,
    pillar: &'static str,
    year: i32,
    published: Option<(u32, i32)>,
    isbn: Option<(u32, u32, u32)>,
    /// Grade index per question (only "overall" outside effectiveness).
    grades: [usize; 5],
    figures: Vec<Figure>,
    /// Bullets per question 1..=4.
    improvements: [Vec<String>; 4],
}

fn words() -> impl Strategy<Value = String> {
    proptest::collection::vec("[a-z]{1,10}", 1..12).prop_map(|w| {
        let mut text = w.join(" ");
        if let Some(first) = text.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        text.push('.');
        text
    })
}

fn spec() -> impl Strategy<Value = Spec> {
    let figure = (
        0usize..4,
        (2010i32..2021, 1u32..=12),
        any::<bool>(),
        0u32..100_000,
        0u32..100_000,
        any::<bool>(),
    );
    (
        select(force_names()),
        select(vec!["effectiveness", "efficiency", "legitimacy"]),
        2014i32..2030,
        proptest::option::of((1u32..=12, 2014i32..2031)),
        proptest::option::of((0u32..1_000_000, 0u32..100, 0u32..10)),
        [0usize..4, 0usize..4, 0usize..4, 0usize..4, 0usize..4],
        proptest::collection::vec(figure, 0..8),
        [
            proptest::collection::vec(words(), 0..4),
            proptest::collection::vec(words(), 0..4),
            proptest::collection::vec(words(), 0..4),
            proptest::collection::vec(words(), 0..4),
        ],
    )
        .prop_map(
            |(force, pillar, year, published, isbn, grades, figures, improvements)| Spec {
                force,
                pillar,
                year,
                published,
                isbn,
                grades,
                figures,
                improvements,
            },
        )
}

/// A number as a report prints it: one decimal, thousands grouped.
fn printed(tenths: u32, percent: bool) -> String {
    let whole = tenths / 10;
    let mut digits = whole.to_string();
    let mut grouped = String::new();
    while digits.len() > 3 {
        let tail = digits.split_off(digits.len() - 3);
        grouped = format!(",{tail}{grouped}");
    }
    format!(
        "{digits}{grouped}.{}{}",
        tenths % 10,
        if percent { "%" } else { "" }
    )
}

/// The report text and the facts it states.
fn render(spec: &Spec) -> (String, ReportFacts) {
    let mut lines: Vec<String> = Vec::new();
    // Pushes a line and returns its 1-based number.
    let push = |lines: &mut Vec<String>, text: &str| -> usize {
        lines.push(text.to_string());
        lines.len()
    };
    let title = format!("PEEL: Police {} {}", spec.pillar, spec.year);
    push(&mut lines, &title);
    push(&mut lines, "");
    push(&mut lines, &format!("An inspection of {}", spec.force));
    push(&mut lines, "");
    if let Some((m, y)) = spec.published {
        push(&mut lines, &format!("{} {y}", MONTH_NAMES[m as usize - 1]));
        push(&mut lines, "");
    }
    let isbn = spec
        .isbn
        .map(|(a, b, c)| format!("978-1-{a:06}-{b:02}-{c}"));
    if let Some(isbn) = &isbn {
        push(&mut lines, &format!("ISBN: {isbn}"));
        push(&mut lines, "");
    }
    let effectiveness = spec.pillar == "effectiveness";
    let questions = if effectiveness { 5 } else { 1 };
    let mut judgments = Vec::new();
    for (q, (code, heading)) in HEADINGS.iter().enumerate().take(questions) {
        push(&mut lines, heading);
        push(&mut lines, "");
        if q == 0 {
            push(&mut lines, "Overall judgment");
            push(&mut lines, "");
        }
        let grade = text::GRADES[spec.grades[q]];
        let line = push(&mut lines, grade);
        push(&mut lines, "");
        judgments.push(JudgmentFact {
            year: spec.year,
            pillar: spec.pillar.to_string(),
            question_code: code.to_string(),
            grade: grade.to_string(),
            line,
            earlier_inspection: None,
        });
    }

    let mut figures: Vec<FigureFact> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    let fin: Vec<_> = spec
        .figures
        .iter()
        .filter(|(metric, (y, m), twelve, ..)| seen.insert((*metric, *y, *m, *twelve)))
        .collect();
    if !fin.is_empty() {
        push(&mut lines, "Force in numbers");
        push(&mut lines, "");
    }
    for (metric, (y, m), twelve, force_value, ew_value, ew_first) in fin {
        let (code, caption, unit, percent) = FIN_METRICS[*metric];
        let d = month_end(*y, *m);
        let month = MONTH_NAMES[*m as usize - 1];
        let (label, kind, start) = if *twelve {
            let (sy, sm) = if *m == 12 { (*y, 1) } else { (*y - 1, *m + 1) };
            (
                format!("12 months to {d} {month} {y}"),
                "12-months",
                Some(format!("{sy:04}-{sm:02}-01")),
            )
        } else {
            (format!("as at {d} {month} {y}"), "point", None)
        };
        push(&mut lines, &format!("{caption} {label}"));
        let period = PeriodFact {
            label,
            kind: kind.to_string(),
            start,
            end: format!("{y:04}-{m:02}-{d:02}"),
        };
        let rows = [
            (Subject::Force, spec.force.as_str(), *force_value),
            (Subject::EnglandAndWales, "England and Wales", *ew_value),
        ];
        let order: Vec<_> = if *ew_first {
            rows.iter().rev().collect()
        } else {
            rows.iter().collect()
        };
        let mut stated = Vec::new();
        for (subject, name, tenths) in order {
            let line = push(
                &mut lines,
                &format!("{name}   {}", printed(*tenths, percent)),
            );
            stated.push(FigureFact {
                metric_code: code.to_string(),
                subject: *subject,
                period: period.clone(),
                value: f64::from(*tenths) / 10.0,
                unit: unit.to_string(),
                line,
            });
        }
        // The parser reports the force's value first.
        stated.sort_by_key(|f| f.subject != Subject::Force);
        figures.extend(stated);
        push(&mut lines, "");
    }

    let mut improvements = Vec::new();
    if effectiveness {
        for (q, bullets) in spec.improvements.iter().enumerate() {
            if bullets.is_empty() {
                continue;
            }
            let (code, heading) = HEADINGS[q + 1];
            push(&mut lines, heading);
            push(&mut lines, "");
            push(&mut lines, "Summary of findings");
            push(&mut lines, "");
            push(&mut lines, text::GRADES[spec.grades[q + 1]]);
            push(&mut lines, "");
            push(&mut lines, "Areas for improvement");
            push(&mut lines, "");
            for (n, bullet) in bullets.iter().enumerate() {
                let line = push(&mut lines, &format!("- {bullet}"));
                improvements.push(ImprovementFact {
                    question_code: code.to_string(),
                    ordinal: n as u32 + 1,
                    text: bullet.clone(),
                    line,
                });
            }
            push(&mut lines, "");
        }
    }
    let facts = ReportFacts {
        title,
        pillar: spec.pillar.to_string(),
        year: spec.year,
        force_name: spec.force.clone(),
        published: spec.published.map(|(m, y)| format!("{y:04}-{m:02}")),
        isbn,
        judgments,
        figures,
        improvements,
    };
    (lines.join("\n") + "\n", facts)
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let result = parse_report_bytes(&bytes);
        assert_error_line_exists(&bytes, result);
    }

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        let result = parse_report(&text);
        assert_error_line_exists(text.as_bytes(), result);
    }

    #[test]
    fn mutated_seed_text_never_panics(
        mutations in proptest::collection::vec(mutation(), 1..12),
        seed in select(vec![SEED, "synthetic-northumbria-2015.txt"]),
    ) {
        let text = text_fixture(seed);
        let bytes = mutate(&text, &mutations);
        let result = parse_report_bytes(&bytes);
        assert_error_line_exists(&bytes, result);
    }

    #[test]
    fn rendered_facts_parse_back_to_the_same_facts(spec in spec()) {
        let (text, facts) = render(&spec);
        match parse_report(&text) {
            Ok(parsed) => prop_assert_eq!(parsed, facts, "text:\n{}", text),
            Err(e) => prop_assert!(false, "{e}\ntext:\n{text}"),
        }
    }
}

#[test]
fn the_renderer_matches_the_parser_on_a_fixed_example() {
    let spec = Spec {
        force: "Northumbria Police".into(),
        pillar: "effectiveness",
        year: 2015,
        published: Some((3, 2016)),
        isbn: Some((911194, 99, 6)),
        grades: [1, 0, 1, 3, 2],
        figures: vec![(0, (2015, 6), true, 364, 329, false)],
        improvements: [
            vec![],
            vec!["The force should improve.".into()],
            vec![],
            vec![],
        ],
    };
    let (text, facts) = render(&spec);
    assert!(text.contains("Northumbria Police   36.4\nEngland and Wales   32.9"));
    assert_eq!(parse_report(&text).unwrap(), facts);
}

//! Turning what people type into the exact values peel stores: a force from its ONS code,
//! slug, name, alias, abbreviation ("cambs", "GMP") or an unambiguous fragment ("Met"); a
//! metric from its code, name or a fragment; a period from its label, ISO end date or a
//! year; a PEEL year from `2016` or `2018/19`; a grade on a scale.
//!
//! The matching functions are pure: they take candidate lists and return the candidate or
//! an error that lists what was meant ("did you mean ..."), so canned queries, the shell
//! and the bulk importer resolve names the same way. The `load_*` functions at the end are
//! the only code here that reads a database: they build candidate lists from it.
//!
//! Matching goes in tiers, and the first tier with a hit decides:
//! 1. exact: the input equals one of the candidate's names, ignoring case, punctuation and
//!    `&` versus `and` (`Avon & Somerset`, `dyfed powys`, `e23000023`);
//! 2. abbreviation: the input with county and compass short forms spelled out
//!    (`cambs` -> `cambridgeshire`, `s yorks` -> `south yorkshire`), or the initials of a
//!    name (`GMP`, `TVP`, `RI`);
//! 3. fragment: every word of the input starts a word of one name (`manchester`, `thames`);
//!    generic words such as "police" or "constabulary" are ignored when they match nothing;
//! 4. inside words: as a fragment, but a word of three or more characters may also sit
//!    inside a word of the name (`shire` in `Cambridgeshire`, `orkshire` in `Yorkshire`).
//!
//! Two or more hits in a tier are ambiguous, except in the exact tier where a single
//! preferred candidate wins (a force over the region of the same name). A name fits a
//! force or a region only through its own names: "london" is the London region's exact
//! name, so among areas it means the region, while among forces it is a fragment of both
//! City of London Police and the Metropolitan Police ("Metropolitan Police (London)" in
//! the seed) and so is ambiguous.
//!
//! The last tier never resolves, not even to a single hit: it only makes the error say
//! what the input fits. Letters inside a word are too weak a reading to act on: "adequate"
//! sits inside "Inadequate", the opposite grade. One hit becomes the suggestion of the
//! unknown-name error, in place of names spelt like the input (`unknown force "bridgesh";
//! did you mean Cambridgeshire (E23000023)?`); two or more make it ambiguous.
//!
//! An ambiguous error lists every candidate, in the order given, when there are at most
//! five; beyond that it gives the count and the first three by label, in alphabetical
//! order so that the reader can tell which were left out (`force "shire" fits 18
//! forces: Bedfordshire (E23000026), Cambridgeshire (E23000023), Cheshire (E23000006) and
//! 15 more; give more of the name, or the code`).

use std::collections::BTreeSet;

use rusqlite::Connection;

/// One thing a name can resolve to.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The value a query binds: an ONS code, a metric code, a period label, a grade name.
    pub value: String,
    /// How the candidate is shown in messages: `Cambridgeshire (E23000023)`.
    pub label: String,
    /// Every name it is known by; each matches exactly.
    pub names: Vec<String>,
    /// Short forms matched in the abbreviation tier (initials such as `gmp`).
    pub abbreviations: Vec<String>,
    /// Wins a tie among exact matches (forces over regions of the same name).
    pub preferred: bool,
}

impl Candidate {
    /// A candidate known by `names`, with the initials of its multi-word names as
    /// abbreviations.
    pub fn new(value: impl Into<String>, label: impl Into<String>, names: Vec<String>) -> Self {
        let mut abbreviations = BTreeSet::new();
        for name in &names {
            abbreviations.extend(initials(name));
        }
        Candidate {
            value: value.into(),
            label: label.into(),
            names,
            abbreviations: abbreviations.into_iter().collect(),
            preferred: false,
        }
    }

    /// Marks the candidate as the winner of exact-match ties.
    pub fn preferred(mut self, preferred: bool) -> Self {
        self.preferred = preferred;
        self
    }
}

/// How an input matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    /// One of the candidate's names, as typed.
    Exact,
    /// A short form or initials.
    Abbreviation,
    /// Words that start the candidate's words.
    Fragment,
    /// A rule of the kind of value: a year standing for the latest period ending in it,
    /// an ISO end date.
    Rule,
}

/// A successful match.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Resolved<'a> {
    /// The candidate matched.
    pub candidate: &'a Candidate,
    /// How it matched.
    pub how: How,
}

/// Why an input did not resolve to exactly one candidate.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ResolveError {
    /// Nothing was typed.
    #[error("no {what} given")]
    Empty {
        /// What was asked for: "force", "metric".
        what: String,
    },
    /// Nothing matched.
    #[error("unknown {what} {input:?}{}", unknown_tail(.suggestions, .hint))]
    Unknown {
        /// What was asked for.
        what: String,
        /// What was typed.
        input: String,
        /// The one candidate whose words hold the input, if there is one; else close
        /// spellings, best first.
        suggestions: Vec<String>,
        /// Where to look for valid values, when there are no suggestions.
        hint: String,
    },
    /// Several matched equally well.
    #[error("{}", ambiguous_message(.what, .input, .candidates))]
    Ambiguous {
        /// What was asked for.
        what: String,
        /// What was typed.
        input: String,
        /// The labels of the candidates that matched.
        candidates: Vec<String>,
    },
    /// The input has the wrong form or is not allowed here.
    #[error("{0}")]
    Invalid(String),
}

fn unknown_tail(suggestions: &[String], hint: &str) -> String {
    if !suggestions.is_empty() {
        format!("; did you mean {}?", or_list(suggestions))
    } else if !hint.is_empty() {
        format!("; {hint}")
    } else {
        String::new()
    }
}

/// Ambiguous errors with more candidates than this give a count and the first few.
const LISTED_IN_FULL: usize = 5;

/// How many candidates a counted ambiguous error shows.
const FIRST_FEW: usize = 3;

/// Every candidate when there are few; the count and the first few by label otherwise.
fn ambiguous_message(what: &str, input: &str, candidates: &[String]) -> String {
    if candidates.len() <= LISTED_IN_FULL {
        return format!(
            "ambiguous {what} {input:?}: did you mean {}? (give more of the name, or the code)",
            or_list(candidates)
        );
    }
    let mut sorted: Vec<&str> = candidates.iter().map(String::as_str).collect();
    sorted.sort_by_key(|label| label.to_lowercase());
    format!(
        "{what} {input:?} fits {} {what}s: {} and {} more; give more of the name, or the code",
        candidates.len(),
        sorted[..FIRST_FEW].join(", "),
        candidates.len() - FIRST_FEW
    )
}

/// `a`, `a or b`, `a, b or c`; long lists are cut with a count of the rest.
fn or_list(items: &[String]) -> String {
    const MAX: usize = 8;
    let shown: Vec<&str> = items.iter().take(MAX).map(String::as_str).collect();
    let mut text = match shown.len() {
        0 => String::new(),
        1 => shown[0].to_string(),
        n => format!("{} or {}", shown[..n - 1].join(", "), shown[n - 1]),
    };
    if items.len() > MAX {
        text.push_str(&format!(" (and {} more)", items.len() - MAX));
    }
    text
}

/// Lower case, `&` as `and`, every run of other characters a single space.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        if c == '&' {
            out.push_str(if out.is_empty() { "and" } else { " and" });
            pending_space = true;
        } else if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.extend(c.to_lowercase());
        } else {
            pending_space = true;
        }
    }
    out
}

/// Words that name no force in particular: ignored in fragments when they match nothing.
const GENERIC_WORDS: &[&str] = &[
    "police",
    "constabulary",
    "service",
    "force",
    "the",
    "and",
    "of",
];

/// Short forms analysts and the press use for counties and compass points, spelled out
/// before matching. (HMICFRS, the Home Office and local papers all write "Cambs", "Herts",
/// "Notts", "N Yorks".)
const SHORT_FORMS: &[(&str, &str)] = &[
    ("beds", "bedfordshire"),
    ("cambs", "cambridgeshire"),
    ("derbys", "derbyshire"),
    ("glos", "gloucestershire"),
    ("gloucs", "gloucestershire"),
    ("gtr", "greater"),
    ("hants", "hampshire"),
    ("herts", "hertfordshire"),
    ("lancs", "lancashire"),
    ("leics", "leicestershire"),
    ("lincs", "lincolnshire"),
    ("northants", "northamptonshire"),
    ("notts", "nottinghamshire"),
    ("staffs", "staffordshire"),
    ("warks", "warwickshire"),
    ("wilts", "wiltshire"),
    ("yorks", "yorkshire"),
    ("n", "north"),
    ("s", "south"),
    ("e", "east"),
    ("w", "west"),
];

fn expand_short_forms(normalized: &str) -> String {
    normalized
        .split(' ')
        .map(|w| {
            SHORT_FORMS
                .iter()
                .find(|(short, _)| *short == w)
                .map_or(w, |(_, long)| long)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The initials of a name of two or more alphabetic words, with and without the little
/// words: "City of London Police" gives `colp` and `clp`; "Requires improvement" gives
/// `ri`. Names with digits give none (a period label has no initials).
pub fn initials(name: &str) -> Vec<String> {
    let norm = normalize(name);
    let words: Vec<&str> = norm.split(' ').filter(|w| !w.is_empty()).collect();
    if words.len() < 2 || words.iter().any(|w| w.chars().any(|c| c.is_ascii_digit())) {
        return Vec::new();
    }
    let first = |ws: &mut dyn Iterator<Item = &&str>| -> String {
        ws.filter_map(|w| w.chars().next()).collect()
    };
    let all = first(&mut words.iter());
    let content = first(&mut words.iter().filter(|w| !["and", "of", "the"].contains(w)));
    let mut out = vec![all];
    if content.len() >= 2 && !out.contains(&content) {
        out.push(content);
    }
    out
}

/// The shortest input word matched inside a word of a name: shorter ones ("am", "x")
/// sit inside too many names to say anything.
const MIN_INSIDE: usize = 3;

/// True when every word of `input` starts some word of `name` or, with `inside`, is at
/// least [`MIN_INSIDE`] characters found anywhere in one (generic words may match
/// nothing); at least one non-generic word must match.
fn fragment_matches(input_words: &[&str], name: &str, inside: bool) -> bool {
    let name_words: Vec<&str> = name.split(' ').collect();
    let fits = |w: &str, nw: &str| {
        nw.starts_with(w) || (inside && w.chars().count() >= MIN_INSIDE && nw.contains(w))
    };
    let mut matched_any = false;
    for w in input_words {
        if name_words.iter().any(|nw| fits(w, nw)) {
            if !GENERIC_WORDS.contains(w) {
                matched_any = true;
            }
        } else if !GENERIC_WORDS.contains(w) {
            return false;
        }
    }
    matched_any
}

/// Resolves `input` against `candidates`; `what` names the kind of value in messages and
/// `hint` says where to find valid values ("list them with `peel run forces`").
pub fn resolve<'a>(
    what: &str,
    input: &str,
    candidates: &'a [Candidate],
    hint: &str,
) -> Result<Resolved<'a>, ResolveError> {
    let unknown = |suggestions: Vec<String>| ResolveError::Unknown {
        what: what.into(),
        input: crate::output::safe::visible(input, QUOTED),
        suggestions,
        hint: hint.into(),
    };
    // No name is this long; comparing spellings with it would take seconds.
    if input.chars().count() > LONGEST_NAME {
        return Err(unknown(Vec::new()));
    }
    let norm = normalize(input);
    if norm.is_empty() {
        // `%` or `_` is not "nothing given": it is a name that matches nothing (names
        // are not LIKE patterns).
        return Err(if input.trim().is_empty() {
            ResolveError::Empty { what: what.into() }
        } else {
            unknown(Vec::new())
        });
    }
    let pick = |hits: Vec<&'a Candidate>, how: How, allow_preferred: bool| {
        pick_one(what, input, hits, how, allow_preferred)
    };

    // 1. Exact.
    let exact: Vec<&Candidate> = candidates
        .iter()
        .filter(|c| c.names.iter().any(|n| normalize(n) == norm))
        .collect();
    if !exact.is_empty() {
        return pick(exact, How::Exact, true);
    }

    // 2. Abbreviations: short forms spelled out, or initials.
    let expanded = expand_short_forms(&norm);
    // Initials are compared on the letters alone, so "A&S" and "a.s." both give "as".
    let compact: String = input
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    let abbreviated: Vec<&Candidate> = candidates
        .iter()
        .filter(|c| {
            (expanded != norm && c.names.iter().any(|n| normalize(n) == expanded))
                || (!input.trim().contains(char::is_whitespace)
                    && compact.len() >= 2
                    && c.abbreviations.contains(&compact))
        })
        .collect();
    if !abbreviated.is_empty() {
        return pick(abbreviated, How::Abbreviation, true);
    }

    // 3. Fragments, on the spelled-out words.
    let words: Vec<&str> = expanded.split(' ').collect();
    let fragments_of = |inside: bool| -> Vec<&'a Candidate> {
        candidates
            .iter()
            .filter(|c| {
                c.names
                    .iter()
                    .any(|n| fragment_matches(&words, &normalize(n), inside))
            })
            .collect()
    };
    let fragments = fragments_of(false);
    if !fragments.is_empty() {
        return pick(fragments, How::Fragment, false);
    }

    // 4. Inside words: only to say what the input fits, never to resolve (module doc).
    let inside = fragments_of(true);
    if inside.len() >= 2 {
        return Err(ResolveError::Ambiguous {
            what: what.into(),
            input: input.into(),
            candidates: inside.iter().map(|c| c.label.clone()).collect(),
        });
    }
    // One name holding the input is a better guess than any spelling like it.
    let suggestions = match inside.first() {
        Some(c) => vec![c.label.clone()],
        None => suggestions(&norm, candidates),
    };
    Err(unknown(suggestions))
}

/// Longer input than any name peel knows is not compared with names at all.
const LONGEST_NAME: usize = 200;

/// How much of what was typed a message quotes.
const QUOTED: usize = 80;

fn pick_one<'a>(
    what: &str,
    input: &str,
    hits: Vec<&'a Candidate>,
    how: How,
    allow_preferred: bool,
) -> Result<Resolved<'a>, ResolveError> {
    if hits.len() == 1 {
        return Ok(Resolved {
            candidate: hits[0],
            how,
        });
    }
    if allow_preferred {
        let preferred: Vec<&Candidate> = hits.iter().copied().filter(|c| c.preferred).collect();
        if preferred.len() == 1 {
            return Ok(Resolved {
                candidate: preferred[0],
                how,
            });
        }
    }
    Err(ResolveError::Ambiguous {
        what: what.into(),
        input: input.into(),
        candidates: hits.iter().map(|c| c.label.clone()).collect(),
    })
}

/// Up to three candidates whose names are spelled most like `norm`, best first.
fn suggestions(norm: &str, candidates: &[Candidate]) -> Vec<String> {
    const THRESHOLD: f64 = 0.84;
    let mut scored: Vec<(f64, &Candidate)> = candidates
        .iter()
        .filter_map(|c| {
            let best = c
                .names
                .iter()
                .map(|n| {
                    let n = normalize(n);
                    // Compare with the whole name and with its first word alone, so a
                    // misspelt "cambrigeshire" finds "Cambridgeshire Constabulary".
                    let whole = strsim::jaro_winkler(norm, &n);
                    let head = n
                        .split(' ')
                        .next()
                        .map_or(0.0, |w| strsim::jaro_winkler(norm, w));
                    whole.max(head)
                })
                .fold(0.0, f64::max);
            (best >= THRESHOLD).then_some((best, c))
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.label.cmp(&b.1.label)));
    scored
        .into_iter()
        .take(3)
        .map(|(_, c)| c.label.clone())
        .collect()
}

/// An area from the `areas` table, as a candidate: matched by ONS code, slug, full name,
/// short name and each `|`-separated alias. Forces are preferred over other areas.
pub fn area_candidate(
    code: &str,
    slug: &str,
    name: &str,
    short_name: &str,
    kind: &str,
    aliases: &str,
) -> Candidate {
    let mut names = vec![
        code.to_string(),
        slug.to_string(),
        name.to_string(),
        short_name.to_string(),
    ];
    names.extend(
        aliases
            .split('|')
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(str::to_string),
    );
    let label = if kind == "force" {
        format!("{short_name} ({code})")
    } else {
        format!("{name} ({code})")
    };
    Candidate::new(code, label, names).preferred(kind == "force")
}

/// A metric as a candidate: matched by code and name.
pub fn metric_candidate(code: &str, name: &str) -> Candidate {
    let mut c = Candidate::new(
        code,
        format!("{code} ({name})"),
        vec![code.to_string(), name.to_string()],
    );
    // Initials of metric names ("pof") help nobody and could shadow a real fragment.
    c.abbreviations.clear();
    c
}

/// A PEEL programme year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cycle {
    /// The first calendar year (2018 for 2018/19).
    pub year: i64,
    /// The label HMICFRS uses: `2018/19`.
    pub label: String,
    /// The grading scale: `peel-4` or `peel-5`.
    pub scale: String,
}

/// Resolves a PEEL year: `2016`, or a cycle label such as `2018/19` or `2023-25`.
pub fn resolve_year<'a>(input: &str, cycles: &'a [Cycle]) -> Result<&'a Cycle, ResolveError> {
    let text = input.trim();
    if text.is_empty() {
        return Err(ResolveError::Empty {
            what: "year".into(),
        });
    }
    if let Some(c) = cycles.iter().find(|c| c.label == text) {
        return Ok(c);
    }
    let listed = || {
        cycles
            .iter()
            .map(|c| {
                if c.label == c.year.to_string() {
                    c.label.clone()
                } else {
                    format!("{} ({})", c.year, c.label)
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let year: i64 = match text.parse() {
        Ok(y) if text.len() == 4 => y,
        _ => {
            return Err(ResolveError::Invalid(format!(
                "{text:?} is not a year: give a PEEL year such as 2016 or 2018/19 (years: {})",
                listed()
            )));
        }
    };
    if let Some(c) = cycles.iter().find(|c| c.year == year) {
        return Ok(c);
    }
    // A calendar year inside a multi-year cycle: 2019 is in 2018/19, 2024 in 2023-25.
    let within: Vec<String> = cycles
        .iter()
        .filter(|c| c.year < year && cycle_last_year(c).is_some_and(|last| year <= last))
        .map(|c| format!("{} ({})", c.year, c.label))
        .collect();
    Err(ResolveError::Unknown {
        what: "PEEL year".into(),
        input: text.into(),
        suggestions: within,
        hint: format!("PEEL years: {}", listed()),
    })
}

/// The last calendar year a cycle label covers: 2019 for `2018/19`, 2025 for `2023-25`.
fn cycle_last_year(cycle: &Cycle) -> Option<i64> {
    let tail = cycle.label.split(['/', '-']).nth(1)?;
    let two: i64 = tail.parse().ok()?;
    Some(cycle.year - cycle.year % 100 + two)
}

/// A period from the `periods` table.
#[derive(Debug, Clone, PartialEq)]
pub struct Period {
    /// The label as printed: `12 months to 30 June 2015`.
    pub label: String,
    /// ISO end date.
    pub end_date: String,
    /// Whether the period has figures for the metric in question (all periods count when
    /// no metric is in question).
    pub has_figures: bool,
}

/// Resolves a period: its label (or a fragment such as `march 2015`), its ISO end date
/// (`2015-03-31`), or a year meaning the latest period ending in that year. Periods with
/// figures are preferred; a period without any is still returned (the query then finds no
/// rows), so only a period that does not exist at all is an error.
pub fn resolve_period<'a>(
    input: &str,
    periods: &'a [Period],
    hint: &str,
) -> Result<(&'a Period, How), ResolveError> {
    let text = input.trim();
    let by_preference = |mut hits: Vec<&'a Period>| -> Vec<&'a Period> {
        if hits.iter().any(|p| p.has_figures) {
            hits.retain(|p| p.has_figures);
        }
        hits
    };
    if crate::date::looks_like_iso(text) {
        let hits = by_preference(periods.iter().filter(|p| p.end_date == text).collect());
        return match hits.as_slice() {
            [one] => Ok((one, How::Rule)),
            [] => Err(ResolveError::Unknown {
                what: "period".into(),
                input: text.into(),
                suggestions: Vec::new(),
                hint: format!("no period ends on {text}; {hint}"),
            }),
            many => Err(ResolveError::Ambiguous {
                what: "period".into(),
                input: text.into(),
                candidates: many.iter().map(|p| p.label.clone()).collect(),
            }),
        };
    }
    if text.len() == 4 && text.chars().all(|c| c.is_ascii_digit()) {
        let hits = by_preference(
            periods
                .iter()
                .filter(|p| p.end_date.starts_with(text))
                .collect(),
        );
        // ISO dates sort as text; the latest end wins, and the first of equal ends.
        let latest = hits
            .into_iter()
            .fold(None::<&Period>, |best, p| match best {
                Some(b) if b.end_date >= p.end_date => Some(b),
                _ => Some(p),
            });
        return latest
            .map(|p| (p, How::Rule))
            .ok_or_else(|| ResolveError::Unknown {
                what: "period".into(),
                input: text.into(),
                suggestions: Vec::new(),
                hint: format!("no period ends in {text}; {hint}"),
            });
    }
    // A name that fits only one period with figures for the metric means that period
    // ("march 2015" for officer-fte), even when periods without figures share the words.
    let with_figures: Vec<&'a Period> = periods.iter().filter(|p| p.has_figures).collect();
    if !with_figures.is_empty()
        && with_figures.len() < periods.len()
        && let Ok(found) = resolve_period_by_name(text, &with_figures, hint)
    {
        return Ok(found);
    }
    let all: Vec<&'a Period> = periods.iter().collect();
    resolve_period_by_name(text, &all, hint)
}

fn resolve_period_by_name<'a>(
    text: &str,
    periods: &[&'a Period],
    hint: &str,
) -> Result<(&'a Period, How), ResolveError> {
    let candidates: Vec<Candidate> = periods
        .iter()
        .map(|p| {
            let mut c = Candidate::new(p.label.clone(), p.label.clone(), vec![p.label.clone()])
                .preferred(p.has_figures);
            c.abbreviations.clear();
            c
        })
        .collect();
    let resolved = resolve("period", text, &candidates, hint)?;
    let index = candidates
        .iter()
        .position(|c| std::ptr::eq(c, resolved.candidate))
        .unwrap_or_default();
    Ok((periods[index], resolved.how))
}

/// Grades of one scale as candidates, matched by name and initials (`RI`).
pub fn grade_candidates(names: &[String]) -> Vec<Candidate> {
    names
        .iter()
        .map(|n| Candidate::new(n.clone(), n.clone(), vec![n.clone()]))
        .collect()
}

/// The three PEEL pillars (2014 to 2018/19).
pub const PILLARS: &[&str] = &["effectiveness", "efficiency", "legitimacy"];

/// The pillars as candidates.
pub fn pillar_candidates() -> Vec<Candidate> {
    PILLARS
        .iter()
        .map(|p| {
            let mut c = Candidate::new(*p, *p, vec![p.to_string()]);
            c.abbreviations.clear();
            c
        })
        .collect()
}

/// Kinds of area a comparison can rank: each, or `all`.
pub fn area_kind_candidates() -> Vec<Candidate> {
    [
        ("force", "forces"),
        ("region", "regions"),
        ("country", "countries"),
        ("all", "all areas"),
    ]
    .iter()
    .map(|(k, plural)| Candidate::new(*k, *k, vec![k.to_string(), plural.to_string()]))
    .collect()
}

// ---------------------------------------------------------------------------------------
// Candidate lists read from a database.

/// Areas of the given kinds (`force`, `region`, `country`, `national`), in code order.
pub fn load_areas(conn: &Connection, kinds: &[&str]) -> rusqlite::Result<Vec<Candidate>> {
    let mut stmt = conn.prepare(
        "SELECT code, slug, name, short_name, kind, aliases FROM areas ORDER BY kind <> 'force', code",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (code, slug, name, short, kind, aliases) = row?;
        if kinds.contains(&kind.as_str()) {
            out.push(area_candidate(&code, &slug, &name, &short, &kind, &aliases));
        }
    }
    Ok(out)
}

/// The areas forces belong to (the English regions, and Wales), as candidates.
pub fn load_parent_areas(conn: &Connection) -> rusqlite::Result<Vec<Candidate>> {
    let mut stmt = conn.prepare(
        "SELECT p.code, p.slug, p.name, p.short_name, p.kind, p.aliases FROM areas p
         WHERE p.area_id IN (SELECT parent_id FROM areas WHERE kind = 'force') ORDER BY p.code",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(area_candidate(
            &r.get::<_, String>(0)?,
            &r.get::<_, String>(1)?,
            &r.get::<_, String>(2)?,
            &r.get::<_, String>(3)?,
            // Every parent is a region here, Wales included: none is preferred.
            "region",
            &r.get::<_, String>(5)?,
        ))
    })?;
    rows.collect()
}

/// Every metric, in code order.
pub fn load_metrics(conn: &Connection) -> rusqlite::Result<Vec<Candidate>> {
    let mut stmt = conn.prepare("SELECT code, name FROM metrics ORDER BY code")?;
    let rows = stmt.query_map([], |r| {
        Ok(metric_candidate(
            &r.get::<_, String>(0)?,
            &r.get::<_, String>(1)?,
        ))
    })?;
    rows.collect()
}

/// Every period, latest end first, marked with whether it has figures for `metric` (a
/// metric code), or any figures when `metric` is `None`.
pub fn load_periods(conn: &Connection, metric: Option<&str>) -> rusqlite::Result<Vec<Period>> {
    // Two statements rather than `?1 IS NULL OR m.code = ?1`: SQLite plans a statement
    // before it sees the value, and the OR would stop it seeking the (metric, period)
    // index, which matters with millions of figures.
    let mut stmt = conn.prepare(match metric {
        Some(_) => {
            "SELECT p.label, p.end_date,
                    EXISTS (SELECT 1 FROM metric_values v
                            WHERE v.metric_id = (SELECT metric_id FROM metrics WHERE code = ?1)
                              AND v.period_id = p.period_id)
             FROM periods p ORDER BY p.end_date DESC, p.label"
        }
        None => {
            "SELECT p.label, p.end_date,
                    EXISTS (SELECT 1 FROM metric_values v WHERE v.period_id = p.period_id)
             FROM periods p ORDER BY p.end_date DESC, p.label"
        }
    })?;
    let params: &[&dyn rusqlite::ToSql] = match &metric {
        Some(m) => &[m],
        None => &[],
    };
    let rows = stmt.query_map(params, |r| {
        Ok(Period {
            label: r.get(0)?,
            end_date: r.get(1)?,
            has_figures: r.get(2)?,
        })
    })?;
    rows.collect()
}

/// Every PEEL cycle, in year order.
pub fn load_cycles(conn: &Connection) -> rusqlite::Result<Vec<Cycle>> {
    let mut stmt = conn.prepare(
        "SELECT c.year, c.label, s.code FROM cycles c JOIN grade_scales s ON s.scale_id = c.scale_id
         ORDER BY c.year",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Cycle {
            year: r.get(0)?,
            label: r.get(1)?,
            scale: r.get(2)?,
        })
    })?;
    rows.collect()
}

/// The grade names of a scale (`peel-4`), best first; of every scale when `scale` is
/// `None`.
pub fn load_grade_names(conn: &Connection, scale: Option<&str>) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT g.name FROM grades g JOIN grade_scales s ON s.scale_id = g.scale_id
         WHERE ?1 IS NULL OR s.code = ?1
         GROUP BY g.name ORDER BY max(ifnull(g.rank, 0)) DESC, g.name",
    )?;
    let rows = stmt.query_map([scale], |r| r.get(0))?;
    rows.collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A few real rows of seed/areas.csv.
    fn areas() -> Vec<Candidate> {
        [
            (
                "E23000023",
                "cambridgeshire",
                "Cambridgeshire Constabulary",
                "Cambridgeshire",
                "force",
                "",
            ),
            (
                "E23000001",
                "metropolitan",
                "Metropolitan Police Service",
                "Metropolitan Police",
                "force",
                "Metropolitan|Met|Met Police|MPS|Metropolitan Police (London)",
            ),
            (
                "E23000005",
                "greater-manchester",
                "Greater Manchester Police",
                "Greater Manchester",
                "force",
                "",
            ),
            (
                "E23000014",
                "west-midlands",
                "West Midlands Police",
                "West Midlands",
                "force",
                "",
            ),
            (
                "E23000016",
                "west-mercia",
                "West Mercia Police",
                "West Mercia",
                "force",
                "",
            ),
            (
                "E12000005",
                "west-midlands-region",
                "West Midlands region",
                "West Midlands",
                "region",
                "West Midlands (region)",
            ),
            (
                "E23000009",
                "north-yorkshire",
                "North Yorkshire Police",
                "North Yorkshire",
                "force",
                "",
            ),
            (
                "E23000011",
                "south-yorkshire",
                "South Yorkshire Police",
                "South Yorkshire",
                "force",
                "",
            ),
            (
                "E23000010",
                "west-yorkshire",
                "West Yorkshire Police",
                "West Yorkshire",
                "force",
                "",
            ),
            (
                "E23000036",
                "avon-and-somerset",
                "Avon and Somerset Constabulary",
                "Avon and Somerset",
                "force",
                "Avon & Somerset",
            ),
            (
                "W15000004",
                "dyfed-powys",
                "Dyfed-Powys Police",
                "Dyfed-Powys",
                "force",
                "Dyfed Powys",
            ),
            (
                "E23000034",
                "city-of-london",
                "City of London Police",
                "City of London",
                "force",
                "London, City of|City of London",
            ),
            (
                "E23000008",
                "durham",
                "Durham Constabulary",
                "Durham",
                "force",
                "",
            ),
            (
                "E23000039",
                "dorset",
                "Dorset Police",
                "Dorset",
                "force",
                "",
            ),
            (
                "E23000026",
                "bedfordshire",
                "Bedfordshire Police",
                "Bedfordshire",
                "force",
                "",
            ),
            (
                "E23000018",
                "derbyshire",
                "Derbyshire Constabulary",
                "Derbyshire",
                "force",
                "",
            ),
            (
                "E23000030",
                "hampshire",
                "Hampshire Constabulary",
                "Hampshire",
                "force",
                "",
            ),
            (
                "E12000007",
                "london-region",
                "London region",
                "London",
                "region",
                "",
            ),
        ]
        .iter()
        .map(|(code, slug, name, short, kind, aliases)| {
            area_candidate(code, slug, name, short, kind, aliases)
        })
        .collect()
    }

    fn code(input: &str) -> Result<(String, How), ResolveError> {
        let list = areas();
        resolve("force", input, &list, "").map(|r| (r.candidate.value.clone(), r.how))
    }

    /// As `code`, among the forces alone (a force parameter's list).
    fn force_code(input: &str) -> Result<(String, How), ResolveError> {
        let list: Vec<Candidate> = areas().into_iter().filter(|c| c.preferred).collect();
        resolve("force", input, &list, "").map(|r| (r.candidate.value.clone(), r.how))
    }

    #[test]
    fn london_fits_both_london_forces_and_each_has_a_name_of_its_own() {
        assert_eq!(
            force_code("london").unwrap_err().to_string(),
            "ambiguous force \"london\": did you mean Metropolitan Police (E23000001) or City of London (E23000034)? (give more of the name, or the code)"
        );
        assert_eq!(
            force_code("London Police").unwrap_err().to_string(),
            "ambiguous force \"London Police\": did you mean Metropolitan Police (E23000001) or City of London (E23000034)? (give more of the name, or the code)"
        );
        let one = |s: &str| force_code(s).unwrap();
        assert_eq!(one("city of london"), ("E23000034".into(), How::Exact));
        assert_eq!(one("London, City of"), ("E23000034".into(), How::Exact));
        assert_eq!(one("city"), ("E23000034".into(), How::Fragment));
        assert_eq!(one("COLP"), ("E23000034".into(), How::Abbreviation));
        assert_eq!(one("met"), ("E23000001".into(), How::Exact));
        assert_eq!(one("metropolitan"), ("E23000001".into(), How::Exact));
        assert_eq!(one("MPS"), ("E23000001".into(), How::Exact));
        assert_eq!(
            one("Metropolitan Police (London)"),
            ("E23000001".into(), How::Exact)
        );
        assert_eq!(one("london met"), ("E23000001".into(), How::Fragment));
    }

    #[test]
    fn among_areas_london_is_the_region_and_forces_win_exact_ties_only() {
        // "London" is the region's short name: an exact hit beats the forces' fragments.
        assert_eq!(code("london").unwrap(), ("E12000007".into(), How::Exact));
        assert_eq!(
            code("London region").unwrap(),
            ("E12000007".into(), How::Exact)
        );
        assert_eq!(
            code("city of london").unwrap(),
            ("E23000034".into(), How::Exact)
        );
        // A fragment that fits the region and both forces prefers none of them.
        assert_eq!(
            code("london police").unwrap_err(),
            ResolveError::Ambiguous {
                what: "force".into(),
                input: "london police".into(),
                candidates: vec![
                    "Metropolitan Police (E23000001)".into(),
                    "City of London (E23000034)".into(),
                    "London region (E12000007)".into(),
                ],
            }
        );
    }

    #[test]
    fn letters_inside_many_names_say_how_many_they_fit() {
        let err = code("shire").unwrap_err();
        assert_eq!(
            err.to_string(),
            "force \"shire\" fits 7 forces: Bedfordshire (E23000026), Cambridgeshire (E23000023), Derbyshire (E23000018) and 4 more; give more of the name, or the code"
        );
        // The error keeps every candidate; only the message is cut.
        match err {
            ResolveError::Ambiguous { candidates, .. } => assert_eq!(
                candidates,
                [
                    "Cambridgeshire (E23000023)",
                    "North Yorkshire (E23000009)",
                    "South Yorkshire (E23000011)",
                    "West Yorkshire (E23000010)",
                    "Bedfordshire (E23000026)",
                    "Derbyshire (E23000018)",
                    "Hampshire (E23000030)",
                ]
            ),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            code("Shire Police").unwrap_err().to_string(),
            "force \"Shire Police\" fits 7 forces: Bedfordshire (E23000026), Cambridgeshire (E23000023), Derbyshire (E23000018) and 4 more; give more of the name, or the code"
        );
        assert_eq!(
            code("orkshire").unwrap_err().to_string(),
            "ambiguous force \"orkshire\": did you mean North Yorkshire (E23000009), South Yorkshire (E23000011) or West Yorkshire (E23000010)? (give more of the name, or the code)"
        );
    }

    #[test]
    fn letters_inside_one_name_are_a_suggestion_not_a_match() {
        assert_eq!(
            code("bridgesh").unwrap_err().to_string(),
            "unknown force \"bridgesh\"; did you mean Cambridgeshire (E23000023)?"
        );
        assert_eq!(
            code("23000023").unwrap_err().to_string(),
            "unknown force \"23000023\"; did you mean Cambridgeshire (E23000023)?"
        );
        // Two letters sit inside too many names to mean anything.
        let list = areas();
        assert_eq!(
            resolve("force", "am", &list, "list them with `peel run forces`")
                .unwrap_err()
                .to_string(),
            "unknown force \"am\"; list them with `peel run forces`"
        );
        // Why a single hit is not taken: the opposite grade.
        let peel4 = grade_candidates(&[
            "Outstanding".into(),
            "Good".into(),
            "Requires improvement".into(),
            "Inadequate".into(),
        ]);
        assert_eq!(
            resolve("grade", "Adequate", &peel4, "")
                .unwrap_err()
                .to_string(),
            "unknown grade \"Adequate\"; did you mean Inadequate?"
        );
    }

    #[test]
    fn ambiguous_errors_list_up_to_five_in_order_then_count_and_the_first_three() {
        let labels = |n: usize| -> Vec<String> {
            ["Fox", "Echo", "Delta", "bravo", "Charlie", "Alpha"][..n]
                .iter()
                .map(|s| s.to_string())
                .collect()
        };
        let message = |n: usize| {
            ResolveError::Ambiguous {
                what: "metric".into(),
                input: "x".into(),
                candidates: labels(n),
            }
            .to_string()
        };
        assert_eq!(
            message(5),
            "ambiguous metric \"x\": did you mean Fox, Echo, Delta, bravo or Charlie? (give more of the name, or the code)"
        );
        assert_eq!(
            message(6),
            "metric \"x\" fits 6 metrics: Alpha, bravo, Charlie and 3 more; give more of the name, or the code"
        );
    }

    #[test]
    fn normalizing_ignores_case_punctuation_and_ampersands() {
        assert_eq!(normalize("  Avon & Somerset "), "avon and somerset");
        assert_eq!(normalize("Dyfed-Powys"), "dyfed powys");
        assert_eq!(normalize("London, City of"), "london city of");
        assert_eq!(normalize("&"), "and");
        assert_eq!(normalize("x' OR '1'='1"), "x or 1 1");
    }

    #[test]
    fn forces_resolve_by_code_slug_name_alias_and_short_form() {
        let exact = |s: &str| code(s).unwrap();
        assert_eq!(exact("E23000023"), ("E23000023".into(), How::Exact));
        assert_eq!(exact("e23000023"), ("E23000023".into(), How::Exact));
        assert_eq!(exact("cambridgeshire"), ("E23000023".into(), How::Exact));
        assert_eq!(
            exact("Cambridgeshire Constabulary"),
            ("E23000023".into(), How::Exact)
        );
        assert_eq!(exact("Met"), ("E23000001".into(), How::Exact));
        assert_eq!(exact("avon & somerset"), ("E23000036".into(), How::Exact));
        assert_eq!(exact("Dyfed Powys"), ("W15000004".into(), How::Exact));
        assert_eq!(exact("cambs"), ("E23000023".into(), How::Abbreviation));
        assert_eq!(exact("Cambs"), ("E23000023".into(), How::Abbreviation));
        assert_eq!(exact("GMP"), ("E23000005".into(), How::Abbreviation));
        assert_eq!(exact("N Yorks"), ("E23000009".into(), How::Abbreviation));
        assert_eq!(exact("a&s"), ("E23000036".into(), How::Abbreviation));
        assert_eq!(exact("COLP"), ("E23000034".into(), How::Abbreviation));
        assert_eq!(exact("manchester"), ("E23000005".into(), How::Fragment));
        assert_eq!(exact("cambridge"), ("E23000023".into(), How::Fragment));
        assert_eq!(exact("Durham Police"), ("E23000008".into(), How::Fragment));
        assert_eq!(
            exact("s yorkshire"),
            ("E23000011".into(), How::Abbreviation)
        );
    }

    #[test]
    fn a_force_wins_an_exact_tie_with_its_region_but_fragments_must_be_unambiguous() {
        // "West Midlands" is the short name of both the force and the region.
        assert_eq!(code("West Midlands").unwrap().0, "E23000014");
        assert_eq!(code("west-midlands-region").unwrap().0, "E12000005");
        match code("west m") {
            Err(ResolveError::Ambiguous { candidates, .. }) => {
                assert_eq!(
                    candidates,
                    [
                        "West Midlands (E23000014)",
                        "West Mercia (E23000016)",
                        "West Midlands region (E12000005)"
                    ]
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn ambiguous_and_unknown_inputs_list_candidates() {
        let err = code("yorkshire").unwrap_err();
        assert_eq!(
            err.to_string(),
            "ambiguous force \"yorkshire\": did you mean North Yorkshire (E23000009), South Yorkshire (E23000011) or West Yorkshire (E23000010)? (give more of the name, or the code)"
        );
        let err = code("Durhma").unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown force \"Durhma\"; did you mean Durham (E23000008)?"
        );
        let err = code("Cambrigeshire").unwrap_err();
        assert!(
            err.to_string()
                .ends_with("did you mean Cambridgeshire (E23000023)?"),
            "{err}"
        );
        let list = areas();
        let err = resolve("force", "zzz", &list, "list them with `peel run forces`").unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown force \"zzz\"; list them with `peel run forces`"
        );
        assert_eq!(
            code("  ").unwrap_err(),
            ResolveError::Empty {
                what: "force".into()
            }
        );
    }

    #[test]
    fn an_injection_attempt_is_just_an_unknown_name() {
        assert!(matches!(
            code("x' OR '1'='1"),
            Err(ResolveError::Unknown { .. })
        ));
    }

    #[test]
    fn initials_skip_little_words_and_names_with_digits() {
        assert_eq!(initials("City of London Police"), ["colp", "clp"]);
        assert_eq!(initials("Requires improvement"), ["ri"]);
        assert!(initials("Durham").is_empty());
        assert!(initials("as at 30 June 2018").is_empty());
    }

    fn metrics() -> Vec<Candidate> {
        [
            ("population", "Population"),
            ("officer-fte", "Police officers (FTE)"),
            (
                "asb-per-1000",
                "Anti-social behaviour incidents per 1,000 population",
            ),
            ("asb-incidents", "Anti-social behaviour incidents"),
        ]
        .iter()
        .map(|(c, n)| metric_candidate(c, n))
        .collect()
    }

    #[test]
    fn metrics_resolve_by_code_name_or_fragment() {
        let list = metrics();
        let value = |s: &str| resolve("metric", s, &list, "").map(|r| r.candidate.value.clone());
        assert_eq!(value("officer-fte").unwrap(), "officer-fte");
        assert_eq!(value("Police officers (FTE)").unwrap(), "officer-fte");
        assert_eq!(value("officers").unwrap(), "officer-fte");
        assert_eq!(value("fte").unwrap(), "officer-fte");
        assert_eq!(value("asb per 1000").unwrap(), "asb-per-1000");
        let err = value("asb").unwrap_err();
        assert!(
            matches!(err, ResolveError::Ambiguous { ref candidates, .. } if candidates.len() == 2)
        );
        let err = value("populaton").unwrap_err();
        assert!(
            err.to_string()
                .contains("did you mean population (Population)?")
        );
    }

    fn cycles() -> Vec<Cycle> {
        [
            (2014, "2014", "peel-4"),
            (2015, "2015", "peel-4"),
            (2016, "2016", "peel-4"),
            (2018, "2018/19", "peel-4"),
            (2021, "2021/22", "peel-5"),
            (2023, "2023-25", "peel-5"),
        ]
        .iter()
        .map(|(y, l, s)| Cycle {
            year: *y,
            label: l.to_string(),
            scale: s.to_string(),
        })
        .collect()
    }

    #[test]
    fn years_are_peel_years_or_cycle_labels() {
        let list = cycles();
        assert_eq!(resolve_year("2016", &list).unwrap().year, 2016);
        assert_eq!(resolve_year(" 2018/19 ", &list).unwrap().year, 2018);
        assert_eq!(resolve_year("2023-25", &list).unwrap().scale, "peel-5");
        let err = resolve_year("2019", &list).unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown PEEL year \"2019\"; did you mean 2018 (2018/19)?"
        );
        let err = resolve_year("2030", &list).unwrap_err();
        assert!(
            err.to_string().ends_with(
                "PEEL years: 2014, 2015, 2016, 2018 (2018/19), 2021 (2021/22), 2023 (2023-25)"
            ),
            "{err}"
        );
        assert!(matches!(
            resolve_year("sixteen", &list),
            Err(ResolveError::Invalid(_))
        ));
        assert!(matches!(
            resolve_year("20166", &list),
            Err(ResolveError::Invalid(_))
        ));
    }

    fn periods() -> Vec<Period> {
        [
            ("as at 30 June 2018", "2018-06-30", false),
            ("as at 30 September 2015", "2015-09-30", true),
            ("12 months to 30 June 2015", "2015-06-30", false),
            ("as at 31 March 2015", "2015-03-31", true),
        ]
        .iter()
        .map(|(l, e, f)| Period {
            label: l.to_string(),
            end_date: e.to_string(),
            has_figures: *f,
        })
        .collect()
    }

    #[test]
    fn periods_resolve_by_label_date_or_year_preferring_those_with_figures() {
        let list = periods();
        let label = |s: &str| resolve_period(s, &list, "").map(|(p, how)| (p.label.clone(), how));
        assert_eq!(
            label("as at 31 March 2015").unwrap(),
            ("as at 31 March 2015".into(), How::Exact)
        );
        assert_eq!(
            label("2015-03-31").unwrap(),
            ("as at 31 March 2015".into(), How::Rule)
        );
        // The latest period ending in 2015 that has figures.
        assert_eq!(
            label("2015").unwrap(),
            ("as at 30 September 2015".into(), How::Rule)
        );
        // A period with no figures for the metric is still a period.
        assert_eq!(
            label("2018").unwrap(),
            ("as at 30 June 2018".into(), How::Rule)
        );
        assert_eq!(
            label("march 2015").unwrap(),
            ("as at 31 March 2015".into(), How::Fragment)
        );
        assert!(
            label("2016")
                .unwrap_err()
                .to_string()
                .contains("no period ends in 2016")
        );
        assert!(label("2015-02-28").is_err());
        assert!(matches!(label("june"), Err(ResolveError::Ambiguous { .. })));
    }

    #[test]
    fn grades_match_by_name_or_initials() {
        let list = grade_candidates(&[
            "Outstanding".into(),
            "Good".into(),
            "Requires improvement".into(),
            "Inadequate".into(),
        ]);
        let value = |s: &str| resolve("grade", s, &list, "").map(|r| r.candidate.value.clone());
        assert_eq!(value("RI").unwrap(), "Requires improvement");
        assert_eq!(value("outstanding").unwrap(), "Outstanding");
        assert_eq!(value("inad").unwrap(), "Inadequate");
        assert!(value("Adequate").is_err());
    }

    #[test]
    fn pillars_and_area_kinds() {
        let list = pillar_candidates();
        let value = |s: &str| resolve("pillar", s, &list, "").map(|r| r.candidate.value.clone());
        assert_eq!(value("Legitimacy").unwrap(), "legitimacy");
        assert_eq!(value("effective").unwrap(), "effectiveness");
        assert!(matches!(value("eff"), Err(ResolveError::Ambiguous { .. })));
        let kinds = area_kind_candidates();
        assert_eq!(
            resolve("area kind", "regions", &kinds, "")
                .unwrap()
                .candidate
                .value,
            "region"
        );
    }
}

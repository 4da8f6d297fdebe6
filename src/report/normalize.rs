//! Normalizer: raw extracted text to logical lines that remember where every
//! part came from.
//!
//! Stages, in order:
//!
//! 1. Split physical lines on LF, CRLF or lone CR (original numbering is
//!    1-based and counts each of those as one line end). A form feed marks a
//!    page break before the line it is on.
//! 2. Normalize characters per line: ligatures (U+FB00..U+FB06) expanded;
//!    Unicode spaces become spaces and runs collapse to one (a tab or a run
//!    of 2+ spaces marks the line as *columnar*); curly quotes become ASCII
//!    quotes; hyphen, en and em dash variants become '-'; superscript
//!    footnote markers (¹²³⁴⁵⁶⁷⁸⁹⁰ runs, "^{4 5 6}", "^12") are removed; a
//!    thin or narrow space between digit groups ("23 737") is removed so the
//!    number stays whole; zero-width characters, soft hyphens and control
//!    characters are removed; bullet glyphs at the start become "- ".
//! 3. Remove page furniture around form feeds: bare page numbers ("12",
//!    "Page 12", "xii"), short non-heading lines that repeat at half or more
//!    of the page breaks (running headers/footers), and anywhere in the text
//!    lines shaped like "PEEL: Police effectiveness 2015 - <force>" (except
//!    a cover title of that shape on page 1). The blank lines left at a
//!    break are dropped, so the two sides can join, when the line before
//!    does not end a sentence, heading or grade, the line after is not a
//!    bullet, footnote, grade or table row, and the line after starts in
//!    lower case or the line before fills the wrap width; two or more blank
//!    lines on one side always stay a paragraph break.
//! 4. Unwrap: consecutive non-blank lines A, B become one logical line when
//!    B starts in lower case; or A stops mid-sentence (letter or comma) and
//!    B starts with a digit; or A ends in a split word (hyphenation rule
//!    below); or B's first word would not have fitted on A given the wrap
//!    width (estimated as the 95th percentile line length; texts with one
//!    line per paragraph have none). Never when B is a bullet, numbered item,
//!    footnote, grade, "Figure N:" caption or "Source:" line, nor when A is a
//!    heading, a grade or a table/contents row that ends in a number.
//!    Blank lines separate logical lines and set `blank_before`.
//!
//! ## Hyphenation rule
//!
//! When a line ends in `letters-` and the next starts with a letter, the
//! word was split across lines. The hyphen is kept (no space) when:
//! the right part starts with a capital or either side is not letters
//! ("non-\nEnglish", "2015-\n16"); or the hyphenated pair ("anti-social")
//! occurs elsewhere in the text. Otherwise it is dropped when the closed
//! word ("investigation") occurs elsewhere. Otherwise it is kept when the
//! left part is a known prefix (anti, co, counter, cross, cyber, multi, non,
//! post, pre, re, self, semi, well) *and* the right part is a word found
//! elsewhere ("re-\noffending" keeps, "pre-\nvention" drops), or the left
//! part is a number word ("two-\nthirds", "five-\nyear"). In every
//! other case it is dropped, as a typesetter's hyphen. Fragments at line
//! breaks are not counted as "found elsewhere". A soft hyphen (U+00AD) at a
//! line end is always dropped; a line ending in an en/em dash joins with
//! the dash kept.

use std::collections::HashSet;

/// One logical line: a paragraph, heading, bullet, table row or value.
#[derive(Debug, Clone)]
pub(crate) struct Line {
    /// Normalized text, trimmed, single-spaced.
    pub text: String,
    /// ASCII-lower-cased copy of `text` (same byte offsets).
    pub lower: String,
    /// (byte offset in `text`, original 1-based line) for each joined piece.
    pub marks: Vec<(usize, usize)>,
    /// A blank line (or the start of the text) precedes this line.
    pub blank_before: bool,
    /// Some physical line had a tab or a run of 2+ spaces between words.
    pub columnar: bool,
    /// Starts with a footnote marker ("¹ A vulnerable person ...", "*Anti-social ...").
    pub footnote: bool,
    /// Starts with a bullet marker ("- ", "* ", or a bullet glyph).
    pub bullet: bool,
}

impl Line {
    /// Original line number of the first piece.
    pub(crate) fn line(&self) -> usize {
        self.marks.first().map_or(1, |m| m.1)
    }

    /// Original line number of the byte at `off` in `text`.
    pub(crate) fn line_at(&self, off: usize) -> usize {
        let idx = self.marks.partition_point(|m| m.0 <= off);
        idx.checked_sub(1)
            .and_then(|i| self.marks.get(i))
            .map_or_else(|| self.line(), |m| m.1)
    }
}

/// The normalized document.
#[derive(Debug)]
pub(crate) struct Normalized {
    /// Logical lines, blank lines removed.
    pub lines: Vec<Line>,
    /// Number of physical lines in the original input.
    pub total_lines: usize,
}

/// A physical line after character normalization.
#[derive(Debug, Clone, Default)]
struct Phys {
    line: usize,
    text: String,
    chars: usize,
    ff: bool,
    columnar: bool,
    footnote: bool,
    soft_hyphen_end: bool,
    dash_end: bool,
    removed: bool,
    /// Blank line inserted at a page break that is not a paragraph break.
    dropped_blank: bool,
    /// The cover title: never page furniture.
    protected: bool,
}

impl Phys {
    fn blank(&self) -> bool {
        self.text.is_empty()
    }
}

/// Runs all stages.
pub(crate) fn normalize(input: &str) -> Normalized {
    let mut phys = split_lines(input);
    let total_lines = phys.last().map_or(1, |p| p.line);
    let width = wrap_width(&phys);
    remove_furniture(&mut phys, width);
    let lines = unwrap(phys, width);
    Normalized { lines, total_lines }
}

/// Stage 1 and 2.
fn split_lines(input: &str) -> Vec<Phys> {
    let mut out = Vec::with_capacity(input.len() / 40 + 1);
    let bytes = input.as_bytes();
    let mut start = 0;
    let mut i = 0;
    let mut line = 1;
    while i < bytes.len() {
        match bytes.get(i) {
            Some(b'\n') | Some(b'\r') => {
                let next = if bytes.get(i) == Some(&b'\r') && bytes.get(i + 1) == Some(&b'\n') {
                    i + 2
                } else {
                    i + 1
                };
                out.push(normalize_chars(input.get(start..i).unwrap_or(""), line));
                line += 1;
                start = next;
                i = next;
            }
            _ => i += 1,
        }
    }
    if start < bytes.len() {
        out.push(normalize_chars(input.get(start..).unwrap_or(""), line));
    }
    out
}

/// Character normalizer state for one line.
struct Norm {
    out: String,
    ws: u32,
    ws_tab: bool,
    /// The current whitespace run must not count as a column gap.
    ws_soft: bool,
    columnar: bool,
    any_visible: bool,
    leading_marker: bool,
    footnote: bool,
    soft_end: bool,
    dash_end: bool,
    /// Chars in `out` (counted as pushed: cheaper than recounting).
    chars: usize,
}

impl Norm {
    /// Emits the pending whitespace run (as one space) before visible text.
    fn before_visible(&mut self) {
        if self.ws > 0 && !self.out.is_empty() {
            // A gap right after a short list marker ("-", "1.", "•") is layout, not a column.
            let marker = self.out.len() <= 3;
            if !marker && (self.ws_tab || (self.ws >= 2 && !self.ws_soft)) {
                self.columnar = true;
            }
            self.out.push(' ');
            self.chars += 1;
        }
        if !self.any_visible {
            self.any_visible = true;
            if self.leading_marker {
                self.footnote = true;
            }
        }
        self.ws = 0;
        self.ws_tab = false;
        self.ws_soft = false;
        self.soft_end = false;
        self.dash_end = false;
    }

    /// Pushes a run of plain visible ASCII in one go (the common case).
    fn push_run(&mut self, run: &str) {
        self.before_visible();
        self.out.push_str(run);
        self.chars += run.len();
    }

    fn push(&mut self, c: char) {
        self.before_visible();
        self.out.push(c);
        self.chars += 1;
    }

    fn push_str(&mut self, s: &str) {
        for c in s.chars() {
            self.push(c);
        }
    }

    fn space(&mut self, tab: bool) {
        self.ws += 1;
        self.ws_tab |= tab;
    }

    fn marker_removed(&mut self) {
        if !self.any_visible {
            self.leading_marker = true;
        }
        if self.ws > 0 {
            self.ws_soft = true;
        }
    }
}

fn is_superscript_digit(c: char) -> bool {
    matches!(
        c,
        '\u{b9}' | '\u{b2}' | '\u{b3}' | '\u{2070}' | '\u{2074}'..='\u{2079}'
    )
}

fn is_bullet_glyph(c: char) -> bool {
    matches!(
        c,
        '\u{2022}'
            | '\u{2023}'
            | '\u{2043}'
            | '\u{2219}'
            | '\u{25a0}'
            | '\u{25a1}'
            | '\u{25aa}'
            | '\u{25ab}'
            | '\u{25cf}'
            | '\u{25e6}'
            | '\u{27a2}'
            | '\u{b7}'
            | '\u{f076}'
            | '\u{f0a7}'
            | '\u{f0b7}'
            | '\u{f0d8}'
    )
}

/// Stage 2 for one physical line.
fn normalize_chars(raw: &str, line: usize) -> Phys {
    let mut n = Norm {
        out: String::with_capacity(raw.len()),
        ws: 0,
        ws_tab: false,
        ws_soft: false,
        columnar: false,
        any_visible: false,
        leading_marker: false,
        footnote: false,
        soft_end: false,
        dash_end: false,
        chars: 0,
    };
    let ff = raw.contains('\u{c}');
    let bytes = raw.as_bytes();
    let plain = |b: u8| (0x21..=0x7e).contains(&b) && b != b'^' && b != b'`';
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes.get(i).copied().unwrap_or(0);
        if plain(b) {
            let start = i;
            while bytes.get(i).is_some_and(|&b| plain(b)) {
                i += 1;
            }
            n.push_run(raw.get(start..i).unwrap_or(""));
            continue;
        }
        if b == b' ' {
            n.space(false);
            i += 1;
            continue;
        }
        let Some(c) = raw.get(i..).and_then(|r| r.chars().next()) else {
            break;
        };
        let after = i + c.len_utf8();
        i = after;
        match c {
            '\t' => n.space(true),
            ' '
            | '\u{a0}'
            | '\u{1680}'
            | '\u{2000}'..='\u{200a}'
            | '\u{202f}'
            | '\u{205f}'
            | '\u{3000}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{85}' => {
                // Thin/narrow/figure spaces between digit groups are thousands separators.
                let group_sep = matches!(c, '\u{2007}' | '\u{2008}' | '\u{2009}' | '\u{202f}')
                    && n.ws == 0
                    && n.out.ends_with(|p: char| p.is_ascii_digit())
                    && digit_group_follows(raw.get(after..).unwrap_or(""));
                if !group_sep {
                    n.space(false);
                }
            }
            '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' => {}
            '\u{ad}' => n.soft_end = true,
            '\u{fb00}' => n.push_str("ff"),
            '\u{fb01}' => n.push_str("fi"),
            '\u{fb02}' => n.push_str("fl"),
            '\u{fb03}' => n.push_str("ffi"),
            '\u{fb04}' => n.push_str("ffl"),
            '\u{fb05}' | '\u{fb06}' => n.push_str("st"),
            '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{2032}' | '\u{2035}' | '`'
            | '\u{b4}' => n.push('\''),
            '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{2033}' | '\u{2036}'
            | '\u{ab}' | '\u{bb}' => n.push('"'),
            '\u{2010}' | '\u{2011}' => n.push('-'),
            '\u{2012}'..='\u{2015}'
            | '\u{2212}'
            | '\u{fe58}'
            | '\u{fe63}'
            | '\u{ff0d}'
            | '\u{2e3a}'
            | '\u{2e3b}' => {
                n.push('-');
                n.dash_end = true;
            }
            '\u{2026}' => n.push_str("..."),
            c if is_superscript_digit(c) => n.marker_removed(),
            '^' => {
                let rest = raw.get(after..).unwrap_or("");
                if let Some(len) = caret_marker_len(rest) {
                    // The marker is ASCII, so this stays on a char boundary.
                    i = after + len;
                    n.marker_removed();
                } else {
                    n.push('^');
                }
            }
            c if is_bullet_glyph(c) => {
                if n.any_visible {
                    n.space(false);
                } else {
                    n.push('-');
                    n.space(false);
                    n.ws_soft = true;
                }
            }
            c if c.is_control() => {}
            c => n.push(c),
        }
    }
    let chars = n.chars;
    // "*Anti-social behaviour data is ..." is an asterisk footnote; "* item" is a bullet.
    let star_note = n.out.starts_with('*')
        && n.out
            .get(1..)
            .is_some_and(|r| r.starts_with(|c: char| c.is_alphabetic()));
    Phys {
        line,
        chars,
        ff,
        columnar: n.columnar,
        footnote: n.footnote || star_note,
        soft_hyphen_end: n.soft_end,
        dash_end: n.dash_end && n.out.ends_with('-'),
        text: n.out,
        removed: false,
        dropped_blank: false,
        protected: false,
    }
}

/// Three ASCII digits then a non-digit (or the end): the rest of a digit group.
fn digit_group_follows(rest: &str) -> bool {
    let b = rest.as_bytes();
    b.len() >= 3
        && b.iter().take(3).all(u8::is_ascii_digit)
        && !b.get(3).is_some_and(u8::is_ascii_digit)
}

/// Length (bytes after '^') of a pdftotext footnote marker: "{4 5 6}" or "12".
fn caret_marker_len(rest: &str) -> Option<usize> {
    if let Some(inner) = rest.strip_prefix('{') {
        // Look for the closing brace nearby only: a line of "^{^{^{" stays linear.
        let close = super::text::prefix_at_most(inner, 41).find('}')?;
        let body = inner.get(..close)?;
        let ok = close <= 40
            && body.chars().any(|c| c.is_ascii_digit())
            && body
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, ' ' | ',' | '-'));
        return ok.then_some(close + 2);
    }
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    (digits > 0 && digits <= 3).then_some(digits)
}

/// Estimated hard-wrap width in chars, or `usize::MAX` when paragraphs are
/// not hard-wrapped (one line per paragraph, as in the seed).
///
/// Hard-wrapped text piles its lines up just below the width, so the estimate comes from
/// that pile: the densest ten-character band of line lengths (30 to 160), and the 95th
/// percentile of the lines no longer than just past it. Lines far longer than the pile
/// (prose pasted after the report, unwrapped) do not move the width, so adding text never
/// changes how the report's own lines are read.
fn wrap_width(phys: &[Phys]) -> usize {
    const BAND: usize = 10;
    let lens: Vec<usize> = phys
        .iter()
        .filter(|p| !p.blank() && !p.columnar)
        .map(|p| p.chars)
        .collect();
    if lens.len() < 20 {
        return usize::MAX;
    }
    let long: Vec<usize> = lens.iter().copied().filter(|&l| l >= 30).collect();
    let in_band = |hi: usize| long.iter().filter(|&&l| l + BAND > hi && l <= hi).count();
    let Some((hi, count)) = (30 + BAND - 1..=160)
        .map(|hi| (hi, in_band(hi)))
        .max_by_key(|&(hi, count)| (count, std::cmp::Reverse(hi)))
    else {
        return usize::MAX;
    };
    // Not piled up: one line per paragraph, of every length.
    if count * 4 < long.len() {
        return usize::MAX;
    }
    let mut kept: Vec<usize> = lens.into_iter().filter(|&l| l <= hi + BAND).collect();
    kept.sort_unstable();
    let p95 = kept
        .get(kept.len() * 95 / 100)
        .copied()
        .unwrap_or(usize::MAX);
    if p95 > 160 { usize::MAX } else { p95.max(30) }
}

/// Bare page number: "12", "Page 12", "12 of 40", "- 12 -", roman "xii".
fn is_page_number(t: &str) -> bool {
    let t = t.trim_matches(|c: char| c == '-' || c == ' ');
    let t = super::text::strip_prefix_ci(t, "page ").unwrap_or(t);
    let core = match t.split_once(" of ") {
        Some((a, b)) if b.bytes().all(|c| c.is_ascii_digit()) => a,
        _ => t,
    };
    (!core.is_empty() && core.len() <= 4 && core.bytes().all(|c| c.is_ascii_digit()))
        || (!core.is_empty()
            && core.len() <= 6
            && core.bytes().all(|c| matches!(c, b'i' | b'v' | b'x' | b'l')))
}

/// "PEEL: Police effectiveness 2015 - Cambridgeshire Constabulary": a running header.
fn is_running_header(t: &str) -> bool {
    t.len() < 160
        && super::structure::parse_title(t).is_some_and(|title| title.force_suffix.is_some())
}

/// A page-furniture key: digits replaced so "Page 3" and "Page 4" match.
fn furniture_key(t: &str) -> String {
    t.chars()
        .map(|c| if c.is_ascii_digit() { '#' } else { c })
        .collect()
}

/// How far around a page break furniture and content are looked for.
const REACH: usize = 40;

/// Stage 3.
fn remove_furniture(phys: &mut [Phys], width: usize) {
    // A cover (page 1, before any form feed) that prints "PEEL: Police
    // effectiveness 2015 - <force>" as its only title line keeps it; every
    // other line of that shape is a running header, form feed or not.
    let cover = phys
        .iter()
        .enumerate()
        .take_while(|(_, p)| !p.ff)
        .filter(|(_, p)| !p.blank())
        .take(40)
        .find_map(|(i, p)| super::structure::parse_title(&p.text).map(|t| (i, t)));
    if let Some((i, title)) = cover
        && title.force_suffix.is_some()
        && let Some(p) = phys.get_mut(i)
    {
        p.protected = true;
    }
    for p in phys.iter_mut() {
        if !p.blank() && !p.protected && is_running_header(&p.text) {
            p.removed = true;
        }
    }
    let breaks: Vec<usize> = phys
        .iter()
        .enumerate()
        .filter(|(_, p)| p.ff)
        .map(|(i, _)| i)
        .collect();
    if breaks.is_empty() {
        return;
    }
    // Candidates: up to 2 non-blank lines after each break, 3 before,
    // looking no further than REACH lines (many form feeds stay linear).
    let candidates = |phys: &[Phys], b: usize| -> Vec<usize> {
        let after = (b..phys.len().min(b + REACH))
            .filter(|&j| phys.get(j).is_some_and(|p| !p.blank()))
            .take(2);
        let before = (b.saturating_sub(REACH)..b)
            .rev()
            .filter(|&j| phys.get(j).is_some_and(|p| !p.blank()))
            .take(3);
        after.chain(before).collect()
    };
    let mut counts: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for &b in &breaks {
        let mut seen = HashSet::new();
        for j in candidates(phys, b) {
            if let Some(p) = phys.get(j)
                && seen.insert(furniture_key(&p.text))
            {
                *counts.entry(furniture_key(&p.text)).or_insert(0) += 1;
            }
        }
    }
    let threshold = breaks.len().div_ceil(2).max(2);
    // Repetition alone only marks short lines that are not headings or
    // grades: "Summary of findings" may well start two pages.
    let is_furniture = |p: &Phys| {
        !p.protected
            && (is_page_number(&p.text)
                || is_running_header(&p.text)
                || (p.chars <= 100
                    && !is_standalone(&p.text)
                    && super::text::parse_grade(&p.text).is_none()
                    && super::structure::question_heading(&p.text.to_ascii_lowercase()).is_none()
                    && counts
                        .get(&furniture_key(&p.text))
                        .is_some_and(|&c| c >= threshold)))
    };
    for &b in &breaks {
        // Walk outwards from the break; stop at the first line that is content.
        let mut j = b;
        let mut taken = 0;
        while j < phys.len().min(b + REACH) && taken < 2 {
            let Some(p) = phys.get(j) else { break };
            if p.blank() || p.removed {
                j += 1;
                continue;
            }
            if !is_furniture(p) {
                break;
            }
            if let Some(p) = phys.get_mut(j) {
                p.removed = true;
            }
            taken += 1;
            j += 1;
        }
        let mut j = b;
        let mut taken = 0;
        while j > b.saturating_sub(REACH) && taken < 3 {
            j -= 1;
            let Some(p) = phys.get(j) else { break };
            if p.blank() || p.removed {
                continue;
            }
            if !is_furniture(p) {
                break;
            }
            if let Some(p) = phys.get_mut(j) {
                p.removed = true;
            }
            taken += 1;
        }
        bridge_page_gap(phys, b, width);
    }
}

/// After furniture is gone, decide whether the blank lines around a page
/// break separate paragraphs or are just page layout inside one paragraph.
fn bridge_page_gap(phys: &mut [Phys], b: usize, width: usize) {
    let content = |p: &Phys| !p.blank() && !p.removed;
    let Some(prev) = (b.saturating_sub(REACH)..b)
        .rev()
        .find(|&j| phys.get(j).is_some_and(content))
    else {
        return;
    };
    let Some(next) = (b..phys.len().min(b + REACH)).find(|&j| phys.get(j).is_some_and(content))
    else {
        return;
    };
    let (Some(a), Some(n)) = (phys.get(prev), phys.get(next)) else {
        return;
    };
    let is_blank = |j: usize| phys.get(j).is_some_and(|p| p.blank() && !p.removed);
    let has_blank = (prev + 1..next).any(is_blank);
    if !has_blank {
        return;
    }
    // Two or more blank lines on one side of the furniture are a paragraph
    // break in their own right; one may just be page padding.
    let first_removed = (prev + 1..next)
        .find(|&j| phys.get(j).is_some_and(|p| p.removed))
        .unwrap_or(b);
    let last_removed = (prev + 1..next)
        .rev()
        .find(|&j| phys.get(j).is_some_and(|p| p.removed))
        .unwrap_or(b);
    let before = (prev + 1..first_removed).filter(|&j| is_blank(j)).count();
    let after = (last_removed + 1..next).filter(|&j| is_blank(j)).count();
    if before >= 2 || after >= 2 {
        return;
    }
    let a_ends = a.text.chars().last().unwrap_or('.');
    let terminal = matches!(a_ends, '.' | '?' | '!' | ':' | ';')
        || super::text::parse_grade(&a.text).is_some()
        || is_standalone(&a.text);
    let n_first = n.text.chars().next().unwrap_or('A');
    let blocked = n.footnote
        || starts_bullet(&n.text)
        || starts_numbered(&n.text)
        || n.columnar
        || a.columnar
        || super::text::parse_grade(&n.text).is_some();
    let long = width != usize::MAX && a.chars + 10 >= width;
    let join = !terminal && !blocked && (n_first.is_lowercase() || long || a.text.ends_with('-'));
    if join {
        for j in prev + 1..next {
            if let Some(p) = phys.get_mut(j)
                && p.blank()
            {
                p.dropped_blank = true;
            }
        }
    }
}

/// Headings that are always a line of their own.
pub(crate) fn is_standalone(t: &str) -> bool {
    const HEADS: [&str; 9] = [
        "contents",
        "summary",
        "summary of findings",
        "areas for improvement",
        "force in numbers",
        "introduction",
        "overall judgment",
        "overall judgement",
        "our judgments",
    ];
    HEADS.iter().any(|h| t.eq_ignore_ascii_case(h))
}

/// "- text", "* text" (after bullet glyphs were normalized to "-").
pub(crate) fn starts_bullet(t: &str) -> bool {
    t.starts_with("- ") || t.starts_with("* ")
}

/// "1. text", "12) text".
fn starts_numbered(t: &str) -> bool {
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    (1..=2).contains(&digits)
        && t.get(digits..)
            .is_some_and(|r| r.starts_with(". ") || r.starts_with(") "))
}

/// Words seen in the document, for the hyphenation rule.
struct WordSets {
    words: HashSet<String>,
    pairs: HashSet<String>,
}

/// Does this line end with a word split by a hyphen (letter + '-')?
fn ends_split_word(t: &str) -> bool {
    let mut rev = t.chars().rev();
    rev.next() == Some('-') && rev.next().is_some_and(|c| c.is_alphabetic())
}

fn build_word_sets(phys: &[Phys]) -> WordSets {
    let live: Vec<&Phys> = phys.iter().filter(|p| !p.removed && !p.blank()).collect();
    let mut words = HashSet::new();
    let mut pairs = HashSet::new();
    let mut prev_split = false;
    for p in &live {
        let lower = p.text.to_ascii_lowercase();
        let split_here = ends_split_word(&p.text) && !p.dash_end;
        let compounds: Vec<&str> = lower
            .split(|c: char| !(c.is_ascii_alphabetic() || c == '-'))
            .filter(|s| s.chars().any(|c| c.is_ascii_alphabetic()))
            .collect();
        let count = compounds.len();
        for (k, comp) in compounds.iter().enumerate() {
            let parts: Vec<&str> = comp.split('-').filter(|s| !s.is_empty()).collect();
            // Fragments at a line-break hyphen are not evidence for themselves.
            let skip_first = k == 0 && prev_split;
            let skip_last = k + 1 == count && split_here;
            let n = parts.len();
            for (idx, part) in parts.iter().enumerate() {
                if (idx == 0 && skip_first) || (idx + 1 == n && skip_last) {
                    continue;
                }
                words.insert((*part).to_string());
            }
            for idx in 1..n {
                if (idx == 1 && skip_first) || (idx + 1 == n && skip_last) {
                    continue;
                }
                if let (Some(a), Some(b)) = (parts.get(idx - 1), parts.get(idx)) {
                    pairs.insert(format!("{a}-{b}"));
                }
            }
        }
        prev_split = split_here;
    }
    WordSets { words, pairs }
}

const PREFIXES: [&str; 13] = [
    "anti", "co", "counter", "cross", "cyber", "multi", "non", "post", "pre", "re", "self", "semi",
    "well",
];

/// Number words form compounds ("two-thirds", "five-year") that are never
/// closed up, whether or not the right part occurs elsewhere.
const NUMBER_WORDS: [&str; 14] = [
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twelve",
    "twenty", "fifty", "hundred",
];

/// Keep the hyphen of a word split across lines? See the module docs.
fn keep_hyphen(left: &str, right: &str, sets: &WordSets) -> bool {
    let l: String = left
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect::<String>()
        .to_ascii_lowercase();
    let r_raw: String = right
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect();
    if l.is_empty() || r_raw.is_empty() || r_raw.starts_with(|c: char| c.is_ascii_uppercase()) {
        return true;
    }
    let r = r_raw.to_ascii_lowercase();
    if sets.pairs.contains(&format!("{l}-{r}")) {
        return true;
    }
    if sets.words.contains(&format!("{l}{r}")) {
        return false;
    }
    NUMBER_WORDS.contains(&l.as_str())
        || (PREFIXES.contains(&l.as_str()) && sets.words.contains(&r))
}

/// How a line joins the logical line before it.
#[derive(Debug, PartialEq)]
enum Join {
    No,
    Space,
    /// Directly, keeping the trailing hyphen (or after a soft hyphen).
    Keep,
    /// Directly, removing the trailing hyphen.
    Drop,
}

/// What the unwrapper remembers of the last physical line it added.
struct Last<'a> {
    phys: &'a Phys,
    logical_text: &'a str,
}

/// Decides whether `b` continues the logical line ending with `last`.
fn join_kind(last: &Last<'_>, b: &Phys, width: usize, sets: Option<&WordSets>) -> Join {
    let a = last.phys;
    let b_first = b.text.chars().next().unwrap_or(' ');
    if b.footnote
        || starts_bullet(&b.text)
        || starts_numbered(&b.text)
        || super::text::parse_grade(&b.text).is_some()
        || super::text::is_figure_caption(&b.text)
        || super::text::strip_prefix_ci(&b.text, "source:").is_some()
    {
        return Join::No;
    }
    // A table or contents row is complete once it ends with a number; a
    // wrapped header row ("... England" + "and Wales ...") is not.
    let a_row_open = !a.text.ends_with(|c: char| c.is_ascii_digit()) && b_first.is_lowercase();
    if (a.columnar && !a_row_open)
        || is_standalone(last.logical_text)
        || super::text::parse_grade(last.logical_text).is_some()
    {
        return Join::No;
    }
    if b.columnar && !b_first.is_lowercase() {
        return Join::No;
    }
    if a.soft_hyphen_end && b_first.is_alphabetic() {
        // The soft hyphen itself was already removed: join directly.
        return Join::Keep;
    }
    if a.text.ends_with('-') && !a.text.ends_with(" -") && b_first.is_alphanumeric() {
        if a.dash_end || !ends_split_word(&a.text) || !b_first.is_alphabetic() {
            return Join::Keep;
        }
        let left = a.text.strip_suffix('-').unwrap_or(&a.text);
        return if sets.is_some_and(|sets| keep_hyphen(left, &b.text, sets)) {
            Join::Keep
        } else {
            Join::Drop
        };
    }
    if b_first.is_lowercase() {
        return Join::Space;
    }
    // "... fell by" + "24 percent ...": a number cannot start a sentence
    // after a line that stops mid-sentence.
    let a_last = a.text.chars().last().unwrap_or('.');
    if b_first.is_ascii_digit() && (a_last.is_alphabetic() || a_last == ',') {
        return Join::Space;
    }
    // A question usually ends a heading; but a bare page number wrapped
    // off a contents entry ("... re-offending?" + "25") still belongs to it.
    let bare_number = b.text.len() <= 3 && b.text.bytes().all(|c| c.is_ascii_digit());
    if width == usize::MAX || (a.text.ends_with('?') && !bare_number) {
        return Join::No;
    }
    // Would B's first word have fitted on A? If not, the break is a wrap.
    // The slack allows for ragged lines from proportional fonts.
    let first_word = b.text.split(' ').next().map_or(0, |w| w.chars().count());
    let slack = (width / 6).max(4);
    if a.chars + 1 + first_word + slack > width {
        Join::Space
    } else {
        Join::No
    }
}

/// Stage 4.
fn unwrap(mut phys: Vec<Phys>, width: usize) -> Vec<Line> {
    // The hyphenation rule needs the document's words; only build them when
    // some line ends in a split word.
    let sets = phys
        .iter()
        .any(|p| !p.removed && !p.dash_end && ends_split_word(&p.text))
        .then(|| build_word_sets(&phys));
    let mut lines: Vec<Line> = Vec::with_capacity(phys.len() / 2 + 1);
    let mut pending_blank = true;
    let mut last: Option<Phys> = None;
    for p in &mut phys {
        if p.removed || p.dropped_blank {
            continue;
        }
        if p.blank() {
            last = None;
            pending_blank = true;
            continue;
        }
        let join = match (&last, lines.last()) {
            (Some(a), Some(cur)) => join_kind(
                &Last {
                    phys: a,
                    logical_text: &cur.text,
                },
                p,
                width,
                sets.as_ref(),
            ),
            _ => Join::No,
        };
        // Keep only what the next decision needs from this line; move its text.
        let text = std::mem::take(&mut p.text);
        let bullet = starts_bullet(&text);
        match (join, lines.last_mut()) {
            (Join::No, _) | (_, None) => {
                lines.push(Line {
                    text: String::new(),
                    lower: String::new(),
                    marks: vec![(0, p.line)],
                    blank_before: pending_blank,
                    columnar: p.columnar,
                    footnote: p.footnote,
                    bullet,
                });
            }
            (kind, Some(cur)) => {
                match kind {
                    Join::Space => cur.text.push(' '),
                    Join::Drop if cur.text.ends_with('-') => {
                        cur.text.pop();
                    }
                    _ => {}
                }
                cur.marks.push((cur.text.len(), p.line));
                cur.columnar |= p.columnar;
            }
        }
        let tail = Phys {
            text: last_fragment(&text),
            ..p.clone()
        };
        if let Some(cur) = lines.last_mut() {
            cur.text.push_str(&text);
        }
        last = Some(tail);
        pending_blank = false;
    }
    for l in &mut lines {
        l.lower = l.text.to_ascii_lowercase();
    }
    lines
}

/// The end of a line that the next join decision looks at: its last word
/// with the space before it (so " -" still reads as a dash). The full char
/// count stays in `Phys::chars`.
fn last_fragment(text: &str) -> String {
    let start = text.rfind(' ').unwrap_or(0);
    text.get(start..).unwrap_or("").to_string()
}

#[cfg(test)]
mod unit {
    use super::*;

    fn texts(s: &str) -> Vec<String> {
        normalize(s).lines.into_iter().map(|l| l.text).collect()
    }

    #[test]
    fn characters() {
        let t = texts(
            "Overall judgment\u{b9}\n\n\u{fb01}nal \u{201c}x\u{201d} \u{2013} y\u{a0}z 23\u{2009}737 ^{4 5 6}end\u{b2}\u{b3}",
        );
        assert_eq!(t, vec!["Overall judgment", "final \"x\" - y z 23737 end"]);
    }

    #[test]
    fn line_ends_and_marks() {
        let n = normalize("a\r\nb\rc\n\nd");
        assert_eq!(n.total_lines, 5);
        let l = &n.lines;
        assert_eq!(l.len(), 2);
        assert_eq!(l[0].text, "a b c");
        assert_eq!(l[0].line_at(4), 3);
        assert_eq!(l[1].line(), 5);
    }

    #[test]
    fn columns() {
        let n =
            normalize("Sexual offences\t1.5\t1.6\nAssault with injury    4.4   6.3\n- item  one");
        assert!(n.lines[0].columnar);
        assert!(n.lines[1].columnar);
        assert_eq!(n.lines[1].text, "Assault with injury 4.4 6.3");
    }
}

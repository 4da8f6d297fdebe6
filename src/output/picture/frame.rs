//! What surrounds every picture: its title and the command that made it above; below, what
//! the result covers (the query's notes, and what the drawing itself left out), the sources
//! of its numbers and the date of the database. A picture leaves the terminal, so it must
//! say where its numbers came from on its own.

use super::svg::{self, Font, MUTED, RULE, Svg};

/// The width of every picture, in CSS pixels: A4 portrait is 794 px wide at 100%, and an
/// article column of 1200 px takes the PNG (rendered at 1.5 times, 1140 px) whole.
pub(super) const WIDTH: f64 = 760.0;
/// Space around the drawing.
pub(super) const MARGIN: f64 = 24.0;
/// Sources listed in the footer; the rest are counted, and the command lists them.
pub(super) const MAX_SOURCES: usize = 8;

const TITLE_FONT: f64 = 18.0;
const SUBTITLE_FONT: f64 = 12.0;
const FOOT_FONT: f64 = 10.5;
const FOOT_LINE: f64 = 14.0;

/// The title, the provenance and the coverage of one picture.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Frame {
    pub title: String,
    /// The command that made the result, shown under the title.
    pub command: Option<String>,
    /// What the result covers (the query's notes).
    pub notes: Vec<String>,
    /// The sources, numbered as `--with-sources` numbers them (`[1] https://...`).
    pub sources: Vec<String>,
    /// When the database was built or exported.
    pub database: Option<String>,
}

impl Frame {
    /// Draws the title and the command; returns where the drawing may start.
    pub(super) fn header(&self, svg: &mut Svg, width: f64) -> f64 {
        let room = width - 2.0 * MARGIN;
        let mut y = MARGIN + TITLE_FONT;
        for line in svg::wrap(&self.title, TITLE_FONT * 1.08, room) {
            svg.text(MARGIN, y, &line, Font::new(TITLE_FONT).bold());
            y += TITLE_FONT * 1.3;
        }
        if let Some(command) = &self.command {
            let text = svg::fit(command, SUBTITLE_FONT, room, false);
            svg.text(MARGIN, y - 2.0, &text, Font::new(SUBTITLE_FONT).fill(MUTED));
            y += SUBTITLE_FONT * 1.4;
        }
        y
    }

    /// Draws the footer from `y`: `coverage` (what the drawing left out), the notes, the
    /// sources and the database; returns the picture's height.
    pub(super) fn footer(&self, svg: &mut Svg, y: f64, width: f64, coverage: &[String]) -> f64 {
        let room = width - 2.0 * MARGIN;
        let mut y = y + 6.0;
        svg.line(MARGIN, y, width - MARGIN, y, RULE, "");
        y += 4.0;
        let lines = |svg: &mut Svg, y: &mut f64, text: &str, font: Font| {
            for line in svg::wrap(text, FOOT_FONT, room) {
                *y += FOOT_LINE;
                svg.text(MARGIN, *y, &line, font);
            }
        };
        let plain = Font::new(FOOT_FONT).fill(MUTED);
        let heading = Font::new(FOOT_FONT).bold();
        let notes: Vec<&String> = coverage.iter().chain(&self.notes).collect();
        if !notes.is_empty() {
            lines(svg, &mut y, "Coverage", heading);
            for note in notes {
                lines(svg, &mut y, note, plain);
            }
            y += 4.0;
        }
        lines(svg, &mut y, "Sources", heading);
        if self.sources.is_empty() {
            lines(svg, &mut y, "not recorded for this result", plain);
        }
        for source in self.sources.iter().take(MAX_SOURCES) {
            lines(svg, &mut y, source, plain);
        }
        if self.sources.len() > MAX_SOURCES {
            let more = self.sources.len() - MAX_SOURCES;
            let how = match &self.command {
                Some(c) => format!("{c} -F csv --with-sources"),
                None => "-F csv --with-sources".into(),
            };
            lines(
                svg,
                &mut y,
                &format!("and {more} more: `{how}` lists every one beside its row"),
                plain,
            );
        }
        y += 4.0;
        lines(svg, &mut y, &format!("{}.", self.made()), plain);
        y + MARGIN
    }

    /// `Made with peel 0.1.0 from the database built 2026-12-01`.
    fn made(&self) -> String {
        let mut text = format!("Made with peel {}", env!("CARGO_PKG_VERSION"));
        if let Some(d) = &self.database {
            text.push_str(&format!(" from the database {d}"));
        }
        text.push_str("; PEEL: HMIC/HMICFRS inspection results, Open Government Licence v3.0");
        text
    }

    /// The provenance in words, for the SVG's description.
    pub(super) fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(c) = &self.command {
            parts.push(format!("Made by: {c}."));
        }
        for n in &self.notes {
            parts.push(format!("{n}."));
        }
        parts.push(match self.sources.len() {
            0 => "Sources not recorded.".into(),
            1 => "1 source, listed under the picture.".into(),
            n => format!("{n} sources, listed under the picture."),
        });
        parts.push(format!("{}.", self.made()));
        parts.join(" ")
    }
}

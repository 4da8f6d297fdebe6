//! A small SVG writer: elements as strings with every piece of text and every attribute
//! value escaped, and the width of text as the embedded font sets it, so labels can be
//! sized and wrapped before they are placed.
//!
//! Written by hand rather than through a plotting crate so that what a reader and a screen
//! reader get is under our control: the `<title>` and `<desc>`, text as `<text>` (it can be
//! searched and selected), and the same document rendered to PNG (see [`super::render`]).

use std::fmt::Write as _;
use std::sync::OnceLock;

use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};

/// DejaVu Sans (Bitstream Vera licence, `assets/fonts/LICENSE`), embedded so that a PNG
/// looks the same on every machine and text is measured with the font that draws it.
pub(super) const FONT_REGULAR: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
/// DejaVu Sans Bold.
pub(super) const FONT_BOLD: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");

/// The family the SVG asks for. Verdana, which browsers without DejaVu fall back to, has
/// nearly the same widths (both descend from Bitstream Vera's design brief), so measured
/// labels still fit.
pub(super) const FAMILY: &str = "DejaVu Sans, Verdana, sans-serif";

/// The text colour of everything but labels inside coloured cells and bars.
pub(super) const INK: &str = "#1a1a1a";
/// Secondary text (subtitles, axes, the footer): 8.5:1 on white.
pub(super) const MUTED: &str = "#4d4d4d";
/// Grid lines and rules.
pub(super) const RULE: &str = "#d0d0d0";

/// Text with characters XML 1.0 cannot hold replaced by U+FFFD, and markup escaped: the
/// data comes from files someone else made.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// A coordinate or length with at most one decimal, without a trailing `.0`: the SVG text
/// stays short and the same on every platform.
pub(super) fn num(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

/// The font faces, parsed once.
struct Faces {
    regular: FontRef<'static>,
    bold: FontRef<'static>,
}

fn faces() -> &'static Faces {
    static FACES: OnceLock<Faces> = OnceLock::new();
    FACES.get_or_init(|| Faces {
        // The embedded fonts are fixed at build time; a test renders with both.
        regular: FontRef::new(FONT_REGULAR).expect("embedded DejaVu Sans parses"),
        bold: FontRef::new(FONT_BOLD).expect("embedded DejaVu Sans Bold parses"),
    })
}

/// The advance width of `text` at `size` pixels, in the regular or bold face. A character
/// the font lacks counts as an average one.
pub(super) fn text_width(text: &str, size: f64, bold: bool) -> f64 {
    let faces = faces();
    let font = if bold { &faces.bold } else { &faces.regular };
    let charmap = font.charmap();
    let metrics = font.glyph_metrics(Size::new(size as f32), LocationRef::default());
    text.chars()
        .map(|c| {
            charmap
                .map(c)
                .and_then(|g| metrics.advance_width(g))
                .map_or(size * 0.6, f64::from)
        })
        .sum()
}

/// Breaks `text` into lines no wider than `width` at `size`, at spaces; a word wider than
/// the line (a long URL) is broken where it must be.
pub(super) fn wrap(text: &str, size: f64, width: f64) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if text_width(&candidate, size, false) <= width {
            line = candidate;
            continue;
        }
        // A word wider than a line (a URL) starts on this line and breaks where it must.
        let mut rest = if text_width(word, size, false) > width && !line.is_empty() {
            format!("{line} {word}")
        } else {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            word.to_string()
        };
        line.clear();
        while text_width(&rest, size, false) > width {
            let mut cut = String::new();
            for c in rest.chars() {
                cut.push(c);
                if text_width(&cut, size, false) > width {
                    cut.pop();
                    break;
                }
            }
            if cut.is_empty() {
                break;
            }
            rest = rest[cut.len()..].to_string();
            lines.push(cut);
        }
        line = rest;
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// `text` shortened with `…` to fit `width`.
pub(super) fn fit(text: &str, size: f64, width: f64, bold: bool) -> String {
    if text_width(text, size, bold) <= width {
        return text.to_string();
    }
    let mut cut: String = text.to_string();
    while !cut.is_empty() && text_width(&format!("{cut}…"), size, bold) > width {
        cut.pop();
    }
    format!("{}…", cut.trim_end())
}

/// How a piece of text is set.
#[derive(Debug, Clone, Copy)]
pub(super) struct Font {
    pub size: f64,
    pub bold: bool,
    pub fill: &'static str,
    /// `start`, `middle` or `end`.
    pub anchor: &'static str,
}

impl Font {
    pub(super) const fn new(size: f64) -> Font {
        Font {
            size,
            bold: false,
            fill: INK,
            anchor: "start",
        }
    }
    pub(super) const fn bold(self) -> Font {
        Font { bold: true, ..self }
    }
    pub(super) const fn fill(self, fill: &'static str) -> Font {
        Font { fill, ..self }
    }
    pub(super) const fn anchor(self, anchor: &'static str) -> Font {
        Font { anchor, ..self }
    }
}

/// An SVG document being written.
pub(super) struct Svg {
    body: String,
    defs: String,
}

impl Svg {
    pub(super) fn new() -> Svg {
        Svg {
            body: String::new(),
            defs: String::new(),
        }
    }

    /// Adds to `<defs>` (patterns).
    pub(super) fn def(&mut self, element: &str) {
        self.defs.push_str(element);
        self.defs.push('\n');
    }

    /// A raw element, already escaped.
    pub(super) fn raw(&mut self, element: &str) {
        self.body.push_str(element);
        self.body.push('\n');
    }

    pub(super) fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, fill: &str, extra: &str) {
        let _ = writeln!(
            self.body,
            r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{fill}"{extra}/>"#,
            num(x),
            num(y),
            num(w.max(0.0)),
            num(h.max(0.0))
        );
    }

    pub(super) fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, stroke: &str, extra: &str) {
        let _ = writeln!(
            self.body,
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{stroke}"{extra}/>"#,
            num(x1),
            num(y1),
            num(x2),
            num(y2)
        );
    }

    /// Text at (`x`, `y`) (the baseline), escaped.
    pub(super) fn text(&mut self, x: f64, y: f64, text: &str, font: Font) {
        self.text_with(x, y, text, font, "");
    }

    /// Text with extra attributes (a rotation).
    pub(super) fn text_with(&mut self, x: f64, y: f64, text: &str, font: Font, extra: &str) {
        let weight = if font.bold {
            r#" font-weight="bold""#
        } else {
            ""
        };
        let anchor = if font.anchor == "start" {
            String::new()
        } else {
            format!(r#" text-anchor="{}""#, font.anchor)
        };
        let _ = writeln!(
            self.body,
            r#"<text x="{}" y="{}" font-size="{}"{weight}{anchor} fill="{}"{extra}>{}</text>"#,
            num(x),
            num(y),
            num(font.size),
            font.fill,
            escape(text)
        );
    }

    /// The whole document, `width` by `height` user units (CSS pixels), with its title and
    /// description for screen readers and search.
    pub(super) fn finish(self, width: f64, height: f64, title: &str, desc: &str) -> String {
        let (w, h) = (num(width), num(height));
        let mut out = String::with_capacity(self.body.len() + self.defs.len() + 1024);
        let _ = writeln!(
            out,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" aria-labelledby="title desc" font-family="{FAMILY}">"#
        );
        let _ = writeln!(out, r#"<title id="title">{}</title>"#, escape(title));
        let _ = writeln!(out, r#"<desc id="desc">{}</desc>"#, escape(desc));
        if !self.defs.is_empty() {
            out.push_str("<defs>\n");
            out.push_str(&self.defs);
            out.push_str("</defs>\n");
        }
        let _ = writeln!(out, r#"<rect width="{w}" height="{h}" fill="white"/>"#);
        out.push_str(&self.body);
        out.push_str("</svg>\n");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_markup_and_characters_xml_cannot_hold() {
        assert_eq!(
            escape("a<b & \"c\" 'd'>\u{1}\u{1b}[31m\n"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;\u{FFFD}\u{FFFD}[31m "
        );
    }

    #[test]
    fn numbers_keep_one_decimal_at_most() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.04), "12");
        assert_eq!(num(12.26), "12.3");
        assert_eq!(num(-0.04), "0");
    }

    #[test]
    fn text_is_measured_with_the_embedded_font() {
        // DejaVu Sans: "M" advances 1767 units of 2048, "i" 569; at 20 px, 17.26 and 5.56.
        assert!((text_width("M", 20.0, false) - 17.256).abs() < 0.01);
        assert!((text_width("i", 20.0, false) - 5.557).abs() < 0.01);
        assert!(text_width("Kent", 12.0, true) > text_width("Kent", 12.0, false));
    }

    #[test]
    fn wrapping_breaks_at_spaces_and_inside_long_words() {
        let lines = wrap(
            "one two three four",
            10.0,
            text_width("three four", 10.0, false),
        );
        assert_eq!(lines, ["one two", "three four"]);
        let url = "https://example.org/a/very/long/path/that/cannot/fit";
        let lines = wrap(url, 10.0, 60.0);
        assert!(lines.len() > 1);
        assert_eq!(lines.concat(), url);
        assert!(lines.iter().all(|l| text_width(l, 10.0, false) <= 60.0));
    }
}

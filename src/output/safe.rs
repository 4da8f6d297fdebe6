//! Output to a terminal, made safe from the data it shows.
//!
//! Text in a database someone sent can hold control characters and escape sequences.
//! Printed raw to a terminal they are instructions, not text: they can retitle the
//! window, move the cursor to overwrite what peel printed, hide text, write the
//! clipboard (OSC 52), or, on some terminals, make the terminal type a reply as if the
//! analyst had. [`TerminalSafe`] sits between peel and a terminal and shows such bytes
//! as visible text (`^[`, `^G`, `\u{9b}`), letting through only line ends, tabs and the
//! colour codes peel's own chart uses (SGR: `ESC [ digits ; ... m`).
//!
//! Files and pipes get every byte unchanged: there the data must be exact.

use std::io::{self, Write};

/// The longest SGR sequence let through; longer is shown as text.
const MAX_SGR: usize = 16;

/// A writer that shows control bytes as text when `enabled` (stdout is a terminal).
pub struct TerminalSafe<W: Write> {
    inner: W,
    enabled: bool,
    /// An escape sequence or UTF-8 lead byte held until its next bytes arrive.
    pending: Vec<u8>,
}

impl<W: Write> TerminalSafe<W> {
    /// Wraps `inner`; with `enabled` false every byte passes unchanged.
    pub fn new(inner: W, enabled: bool) -> Self {
        TerminalSafe {
            inner,
            enabled,
            pending: Vec::new(),
        }
    }

    /// The bytes to write for `input`, given what was pending.
    fn filter(&mut self, input: &[u8], out: &mut Vec<u8>) {
        for &b in input {
            if !self.pending.is_empty() {
                self.pending.push(b);
                self.settle(out);
                continue;
            }
            match b {
                b'\n' | b'\t' => out.push(b),
                0x1b | 0xc2 | 0xe2 | 0xd8 => {
                    self.pending.push(b);
                }
                0x00..=0x1f | 0x7f => caret(b, out),
                _ => out.push(b),
            }
        }
    }

    /// Decides a pending sequence once enough of it is known.
    fn settle(&mut self, out: &mut Vec<u8>) {
        let p = &self.pending;
        match p.first() {
            // UTF-8 for U+0080..U+00BF: C1 controls are U+0080..U+009F.
            Some(0xc2) => {
                let second = p[1];
                if (0x80..=0x9f).contains(&second) {
                    out.extend_from_slice(format!("\\u{{{second:x}}}").as_bytes());
                } else {
                    out.extend_from_slice(&[0xc2]);
                    // The second byte starts over: it may itself be special.
                    self.pending.clear();
                    self.filter(&[second], out);
                    return;
                }
                self.pending.clear();
            }
            // U+061C (D8 9C) and the bidi controls U+200E/F, U+202A-E, U+2066-9 (E2 ..):
            // they reorder what the terminal shows, so they are shown as their names.
            Some(0xd8) | Some(0xe2) => {
                let bidi = match (p[0], p.get(1), p.get(2)) {
                    (0xd8, Some(0x9c), _) => Some(Some(0x061c)),
                    (0xe2, Some(0x80 | 0x81), None) => None,
                    (0xe2, Some(0x80), Some(&c @ (0x8e | 0x8f | 0xaa..=0xae))) => {
                        Some(Some(0x2000 + (u32::from(c) - 0x80)))
                    }
                    (0xe2, Some(0x81), Some(&c @ 0xa6..=0xa9)) => {
                        Some(Some(0x2040 + (u32::from(c) - 0x80)))
                    }
                    _ => Some(None),
                };
                match bidi {
                    // Still one of them in the making: wait for the next byte.
                    None => {}
                    Some(Some(code)) => {
                        out.extend_from_slice(format!("<U+{code:04X}>").as_bytes());
                        self.pending.clear();
                    }
                    // Not one of them: what came before the last byte is ordinary text;
                    // the last byte starts over, as it may itself be special.
                    Some(None) => {
                        let (last, before) = p.split_last().expect("pending holds bytes");
                        let last = *last;
                        out.extend_from_slice(before);
                        self.pending.clear();
                        self.filter(&[last], out);
                    }
                }
            }
            Some(0x1b) => {
                let body = &p[1..];
                let params = body.get(1..).unwrap_or(&[]);
                let csi = body.first() == Some(&b'[');
                let numeric = |c: &u8| c.is_ascii_digit() || *c == b';';
                if csi
                    && params.last() == Some(&b'm')
                    && PEELS_SGR.contains(&&params[..params.len() - 1])
                {
                    // One of the chart's own colour codes. Any other (conceal, reverse,
                    // a colour that could make "Inadequate" read as "Good") is text.
                    out.extend_from_slice(p);
                    self.pending.clear();
                } else if csi && params.iter().all(numeric) && p.len() < MAX_SGR {
                    // Still a colour code in the making: wait for more.
                } else {
                    // Anything else: the escape as text, then the rest as usual.
                    let rest = body.to_vec();
                    self.pending.clear();
                    out.extend_from_slice(b"^[");
                    self.filter(&rest, out);
                }
            }
            _ => self.pending.clear(),
        }
    }

    /// Shows a pending incomplete sequence as text (at a flush or the end).
    fn release(&mut self, out: &mut Vec<u8>) {
        let pending = std::mem::take(&mut self.pending);
        match pending.split_first() {
            Some((0x1b, rest)) => {
                out.extend_from_slice(b"^[");
                self.filter(rest, out);
            }
            Some((_, _)) => out.extend_from_slice(&pending),
            None => {}
        }
    }
}

/// The SGR parameters the chart writes (`ESC[36m`, `ESC[1m`, `ESC[0m`); no others pass.
const PEELS_SGR: [&[u8]; 3] = [b"36", b"1", b"0"];

/// Characters that change the order in which a terminal shows the text around them.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Untrusted text (a file name, a header cell, an area name from a file, a value) as it
/// may be shown in a diagnostic or a terminal cell: control characters as `^[`, `^G`,
/// C1 controls as `\u{9b}`, bidi controls as `<U+202E>`, and at most `max_chars`
/// characters (then `…` and how many more), so a 50 MB cell is never echoed whole.
pub fn visible(text: &str, max_chars: usize) -> String {
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i >= max_chars {
            let rest = text.chars().count() - i;
            out.push_str(&format!("… ({rest} more characters)"));
            break;
        }
        match c {
            '\u{7f}' => out.push_str("^?"),
            c if (c as u32) < 0x20 => {
                out.push('^');
                out.push(char::from(c as u8 + 0x40));
            }
            c if ('\u{80}'..='\u{9f}').contains(&c) => {
                out.push_str(&format!("\\u{{{:x}}}", c as u32))
            }
            c if is_bidi_control(c) => out.push_str(&format!("<U+{:04X}>", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// `^@` .. `^_` for C0 controls, `^?` for DEL.
fn caret(b: u8, out: &mut Vec<u8>) {
    out.push(b'^');
    out.push(if b == 0x7f { b'?' } else { b + 0x40 });
}

impl<W: Write> Write for TerminalSafe<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if !self.enabled {
            return self.inner.write(buf);
        }
        let mut out = Vec::with_capacity(buf.len());
        self.filter(buf, &mut out);
        self.inner.write_all(&out)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.enabled && !self.pending.is_empty() {
            let mut out = Vec::new();
            self.release(&mut out);
            self.inner.write_all(&out)?;
        }
        self.inner.flush()
    }
}

impl<W: Write> Drop for TerminalSafe<W> {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn safe(pieces: &[&[u8]]) -> String {
        let mut out = Vec::new();
        {
            let mut w = TerminalSafe::new(&mut out, true);
            for p in pieces {
                w.write_all(p).unwrap();
            }
            w.flush().unwrap();
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn escape_sequences_from_data_become_text() {
        // OSC: retitle the window; OSC 52: write the clipboard; CSI: move the cursor.
        assert_eq!(safe(&[b"a\x1b]0;pwned\x07b"]), "a^[]0;pwned^Gb");
        assert_eq!(safe(&[b"\x1b]52;c;ZXZpbA==\x07"]), "^[]52;c;ZXZpbA==^G");
        assert_eq!(safe(&[b"x\x1b[2J\x1b[1;1H"]), "x^[[2J^[[1;1H");
        assert_eq!(safe(&[b"over\rwrite\x08\x7f"]), "over^Mwrite^H^?");
        // C1 controls (U+009B is a one-character CSI), and a lone ESC at the end.
        assert_eq!(safe(&["a\u{9b}2Jb\u{85}".as_bytes()]), "a\\u{9b}2Jb\\u{85}");
        assert_eq!(safe(&[b"end\x1b"]), "end^[");
    }

    #[test]
    fn peels_colours_text_and_line_ends_pass() {
        let chart = "\x1b[36m|\x1b[0m \x1b[1m>Kent\x1b[0m é ü £ ½ \u{a0}\n\tnext";
        assert_eq!(safe(&[chart.as_bytes()]), chart);
        // Split anywhere across writes, the result is the same.
        let bytes = "\x1b[36mé\x1b]0;x\x07\u{9b}".as_bytes();
        let whole = safe(&[bytes]);
        for cut in 1..bytes.len() {
            assert_eq!(safe(&[&bytes[..cut], &bytes[cut..]]), whole, "cut at {cut}");
        }
        // An SGR that never ends, or is too long, is text.
        assert_eq!(safe(&[b"\x1b[1;2;3;4;5;6;7;8;9m"]), "^[[1;2;3;4;5;6;7;8;9m");
    }

    #[test]
    fn only_the_charts_own_colours_pass_and_bidi_controls_are_named() {
        // SGR 8 conceals: "Inadequate" would read as nothing at all.
        assert_eq!(
            safe(&[b"\x1b[8mInadequate\x1b[0m"]),
            "^[[8mInadequate\x1b[0m"
        );
        assert_eq!(safe(&[b"\x1b[31;1mX"]), "^[[31;1mX");
        // Right-to-left override: "Good" typed backwards would show as "dooG" reversed.
        let text = "a\u{202e}b\u{2066}c\u{200f}d\u{61c}e \u{2014} \u{20ac}";
        assert_eq!(
            safe(&[text.as_bytes()]),
            "a<U+202E>b<U+2066>c<U+200F>d<U+061C>e \u{2014} \u{20ac}"
        );
        let bytes = text.as_bytes();
        for cut in 1..bytes.len() {
            assert_eq!(
                safe(&[&bytes[..cut], &bytes[cut..]]),
                safe(&[bytes]),
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn visible_text_names_controls_and_is_capped() {
        assert_eq!(
            visible("x\x1b]0;title\x07\u{202e}y\u{9b}", 100),
            "x^[]0;title^G<U+202E>y\\u{9b}"
        );
        assert_eq!(visible("abcdef", 3), "abc… (3 more characters)");
        assert_eq!(visible("abc", 3), "abc");
    }

    #[test]
    fn files_and_pipes_get_every_byte() {
        let mut out = Vec::new();
        {
            let mut w = TerminalSafe::new(&mut out, false);
            w.write_all(b"\x1b]0;x\x07\r\n").unwrap();
        }
        assert_eq!(out, b"\x1b]0;x\x07\r\n");
    }

    fn safe_bytes(pieces: &[&[u8]]) -> Vec<u8> {
        let mut out = Vec::new();
        {
            let mut w = TerminalSafe::new(&mut out, true);
            for p in pieces {
                w.write_all(p).unwrap();
            }
        }
        out
    }

    proptest::proptest! {
        /// Whatever the bytes and however they are split into writes, no control
        /// character reaches the terminal but line ends, tabs and complete colour codes.
        #[test]
        fn no_control_reaches_the_terminal(
            bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300),
            cut in proptest::prelude::any::<proptest::sample::Index>(),
        ) {
            let at = cut.index(bytes.len() + 1);
            let whole = safe_bytes(&[&bytes]);
            proptest::prop_assert_eq!(&safe_bytes(&[&bytes[..at], &bytes[at..]]), &whole);
            let mut i = 0;
            while let Some(&b) = whole.get(i) {
                match b {
                    0x1b => {
                        let params = whole[i + 1..].iter().position(|&c| c == b'm');
                        let ok = whole.get(i + 1) == Some(&b'[')
                            && params.is_some_and(|end| {
                                PEELS_SGR.contains(&&whole[i + 2..i + 1 + end])
                            });
                        proptest::prop_assert!(ok, "escape at {} in {:?}", i, whole);
                    }
                    b'\n' | b'\t' => {}
                    0x00..=0x1f | 0x7f => proptest::prop_assert!(false, "control {:#x} at {}", b, i),
                    0xc2 => proptest::prop_assert!(
                        !whole.get(i + 1).is_some_and(|c| (0x80..=0x9f).contains(c)),
                        "C1 control at {}",
                        i
                    ),
                    _ => {}
                }
                i += 1;
            }
        }
    }
}

//! Byte-level decoding: turns raw file bytes into UTF-8 text or a clear error.
//!
//! The database is fed whatever files people have; a UTF-16 export or a PDF
//! passed by mistake must say so plainly rather than fail later with a
//! puzzling "expected the report title".

use super::ParseError;

/// How many leading bytes are sampled for the UTF-16 / binary heuristics.
const SAMPLE: usize = 4096;

/// Returns the input as `&str` without a UTF-8 BOM, or an error saying why
/// it is not UTF-8 text.
pub(crate) fn decode(bytes: &[u8]) -> Result<&str, ParseError> {
    if bytes.is_empty() {
        return Err(ParseError::new(
            1,
            "empty input: expected the text of a PEEL report",
        ));
    }
    // UTF-32 BOMs first: FF FE 00 00 also starts with the UTF-16 LE BOM.
    if bytes.starts_with(&[0xFF, 0xFE, 0x00, 0x00]) || bytes.starts_with(&[0x00, 0x00, 0xFE, 0xFF])
    {
        return Err(ParseError::new(
            1,
            "input is UTF-32 (byte order mark found); expected UTF-8 text",
        ));
    }
    if bytes.starts_with(&[0xFF, 0xFE]) {
        return Err(ParseError::new(
            1,
            "input is UTF-16 little-endian (byte order mark FF FE); expected UTF-8 text",
        ));
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(ParseError::new(
            1,
            "input is UTF-16 big-endian (byte order mark FE FF); expected UTF-8 text",
        ));
    }
    let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    if body.is_empty() {
        return Err(ParseError::new(
            1,
            "empty input (only a byte order mark): expected the text of a PEEL report",
        ));
    }
    if let Some(which) = utf16_without_bom(body) {
        return Err(ParseError::new(
            1,
            format!(
                "input looks like UTF-16 {which} without a byte order mark (NUL in every other byte); expected UTF-8 text"
            ),
        ));
    }
    if let Some(pos) = body.iter().position(|&b| b == 0) {
        return Err(ParseError::new(
            line_of(body, pos),
            format!("input looks binary (NUL byte at byte offset {pos}); expected UTF-8 text"),
        ));
    }
    // Stray control bytes (other than tab, LF, CR, form feed) are normal in
    // small numbers in extracted text but dominate in binary files.
    let is_ctrl = |b: &u8| matches!(*b, 0x01..=0x08 | 0x0B | 0x0E..=0x1F | 0x7F);
    let controls = body.iter().filter(|b| is_ctrl(b)).count();
    if controls > 0 && controls.saturating_mul(50) > body.len() {
        let pos = body.iter().position(is_ctrl).unwrap_or(0);
        return Err(ParseError::new(
            line_of(body, pos),
            format!(
                "input looks binary ({controls} control bytes, the first at byte offset {pos}); expected UTF-8 text"
            ),
        ));
    }
    match std::str::from_utf8(body) {
        Ok(s) => Ok(s),
        Err(e) => {
            let pos = e.valid_up_to();
            Err(ParseError::new(
                line_of(body, pos),
                format!("invalid UTF-8 at byte offset {pos}; expected UTF-8 text"),
            ))
        }
    }
}

/// Detects BOM-less UTF-16: many NULs, nearly all at the same parity.
pub(crate) fn utf16_without_bom(bytes: &[u8]) -> Option<&'static str> {
    let sample = bytes.get(..SAMPLE).unwrap_or(bytes);
    if sample.len() < 4 {
        return None;
    }
    let (mut even, mut odd) = (0usize, 0usize);
    for (i, &b) in sample.iter().enumerate() {
        if b == 0 {
            if i % 2 == 0 {
                even += 1;
            } else {
                odd += 1;
            }
        }
    }
    let total = even + odd;
    // ASCII text in UTF-16 has a NUL in every other byte: about half the sample.
    if total * 4 < sample.len() {
        return None;
    }
    if odd * 10 >= total * 9 {
        Some("little-endian")
    } else if even * 10 >= total * 9 {
        Some("big-endian")
    } else {
        None
    }
}

/// 1-based line number of byte `pos`, counting LF, CRLF and lone CR as line ends
/// (the same rule the normalizer uses).
pub(crate) fn line_of(bytes: &[u8], pos: usize) -> usize {
    let head = bytes.get(..pos).unwrap_or(bytes);
    let mut line = 1;
    let mut prev_cr = false;
    for &b in head {
        match b {
            b'\n' if prev_cr => {}
            b'\n' | b'\r' => line += 1,
            _ => {}
        }
        prev_cr = b == b'\r';
    }
    line
}

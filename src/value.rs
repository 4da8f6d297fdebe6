//! The value of one result cell, independent of SQLite, so that output never sees a
//! `rusqlite` type and tests can build rows by hand.

use rusqlite::types::ValueRef;

/// One cell of a result row.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// SQL NULL.
    Null,
    /// A 64-bit integer.
    Integer(i64),
    /// A double.
    Real(f64),
    /// UTF-8 text (invalid UTF-8 from the database is replaced, never a panic).
    Text(String),
    /// A blob, shown as hex in text formats.
    Blob(Vec<u8>),
}

impl Value {
    /// Copies a SQLite cell.
    pub fn from_sql(value: ValueRef<'_>) -> Value {
        match value {
            ValueRef::Null => Value::Null,
            ValueRef::Integer(i) => Value::Integer(i),
            ValueRef::Real(f) => Value::Real(f),
            ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
            ValueRef::Blob(b) => Value::Blob(b.to_vec()),
        }
    }

    /// True for integers and reals, which table output right-aligns.
    pub fn is_number(&self) -> bool {
        matches!(self, Value::Integer(_) | Value::Real(_))
    }

    /// The cell as text for delimited and table formats; `None` for NULL so each format
    /// can show NULL its own way.
    pub fn to_text(&self) -> Option<String> {
        match self {
            Value::Null => None,
            Value::Integer(i) => Some(i.to_string()),
            Value::Real(f) => Some(format_real(*f)),
            Value::Text(s) => Some(s.clone()),
            Value::Blob(b) => Some(hex(b)),
        }
    }
}

/// Formats a double the shortest way that reads back to the same value, as sqlite3 does
/// for most values, but always with a decimal point so a real stays recognisable.
pub fn format_real(f: f64) -> String {
    if f.is_finite() && f == f.trunc() && f.abs() < 1e15 {
        format!("{f:.1}")
    } else {
        format!("{f}")
    }
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2 + 3);
    s.push_str("X'");
    for b in bytes {
        let _ = write!(s, "{b:02X}");
    }
    s.push('\'');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reals_keep_a_decimal_point_and_round_trip() {
        assert_eq!(format_real(56.3), "56.3");
        assert_eq!(format_real(2.0), "2.0");
        assert_eq!(format_real(6092.459999999999), "6092.459999999999");
        assert_eq!(format_real(f64::INFINITY), "inf");
    }

    #[test]
    fn blobs_show_as_sql_hex_literals() {
        assert_eq!(
            Value::Blob(vec![0, 255]).to_text().as_deref(),
            Some("X'00FF'")
        );
        assert_eq!(Value::Null.to_text(), None);
    }
}

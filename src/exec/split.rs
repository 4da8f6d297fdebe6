//! Splitting a script into statements in one pass. SQLite's `sqlite3_complete` answers
//! "does this text end a statement?" for a whole text; asking it at every semicolon of a
//! growing candidate is quadratic (a 400 kB string full of semicolons took 25 s). This is
//! the same state machine as SQLite's `complete.c`, run once over the script, so a
//! statement ends exactly where `sqlite3_complete` would say it does.

/// The tokens `complete.c` tells apart.
#[derive(Clone, Copy)]
enum Token {
    Semi = 0,
    Space = 1,
    Other = 2,
    Explain = 3,
    Create = 4,
    Temp = 5,
    Trigger = 6,
    End = 7,
}

/// `complete.c`'s transitions: `TRANSITIONS[state][token]`. State 1 after a semicolon
/// means a statement ended; states 5 to 7 are inside `CREATE TRIGGER ... END`.
const TRANSITIONS: [[u8; 8]; 8] = [
    /* 0 invalid */ [1, 0, 2, 3, 4, 2, 2, 2],
    /* 1 start   */ [1, 1, 2, 3, 4, 2, 2, 2],
    /* 2 normal  */ [1, 2, 2, 2, 2, 2, 2, 2],
    /* 3 explain */ [1, 3, 3, 2, 4, 2, 2, 2],
    /* 4 create  */ [1, 4, 2, 2, 2, 4, 5, 2],
    /* 5 trigger */ [6, 5, 5, 5, 5, 5, 5, 5],
    /* 6 semi    */ [6, 6, 5, 5, 5, 5, 5, 7],
    /* 7 end     */ [1, 7, 5, 5, 5, 5, 5, 5],
];

/// SQLite's identifier characters: letters, digits, `_`, `$` and every byte of a
/// multi-byte UTF-8 character.
fn is_id(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80
}

/// The byte offsets of the semicolons that end a statement, in order: where
/// `sqlite3_complete` of the text since the previous one first says yes.
pub fn statement_ends(sql: &str) -> Vec<usize> {
    let bytes = sql.as_bytes();
    let mut ends = Vec::new();
    let mut state = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let (token, next) = match bytes[i] {
            b';' => (Token::Semi, i + 1),
            b' ' | b'\r' | b'\t' | b'\n' | b'\x0c' => (Token::Space, i + 1),
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                match find(bytes, i + 2, b"*/") {
                    Some(at) => (Token::Space, at + 2),
                    // An open comment: nothing after it ends a statement.
                    None => return ends,
                }
            }
            b'-' if bytes.get(i + 1) == Some(&b'-') => match find(bytes, i + 2, b"\n") {
                Some(at) => (Token::Space, at + 1),
                None => return ends,
            },
            b'[' => match find(bytes, i + 1, b"]") {
                Some(at) => (Token::Other, at + 1),
                None => return ends,
            },
            quote @ (b'`' | b'"' | b'\'') => match find(bytes, i + 1, &[quote]) {
                Some(at) => (Token::Other, at + 1),
                None => return ends,
            },
            b if is_id(b) => {
                let mut end = i + 1;
                while end < bytes.len() && is_id(bytes[end]) {
                    end += 1;
                }
                (keyword(&bytes[i..end]), end)
            }
            _ => (Token::Other, i + 1),
        };
        state = usize::from(TRANSITIONS[state][token as usize]);
        if matches!(token, Token::Semi) && state == 1 {
            ends.push(i);
            // The next statement is judged on its own, as sqlite3_complete would be.
            state = 0;
        }
        i = next;
    }
    ends
}

fn find(haystack: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

fn keyword(word: &[u8]) -> Token {
    let is = |k: &str| word.eq_ignore_ascii_case(k.as_bytes());
    if is("create") {
        Token::Create
    } else if is("trigger") {
        Token::Trigger
    } else if is("temp") || is("temporary") {
        Token::Temp
    } else if is("end") {
        Token::End
    } else if is("explain") {
        Token::Explain
    } else {
        Token::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The oracle: SQLite's own `sqlite3_complete` asked at every semicolon.
    fn by_sqlite(sql: &str) -> Vec<usize> {
        let mut ends = Vec::new();
        let mut start = 0;
        for (i, _) in sql.match_indices(';') {
            if i >= start && super::super::is_complete(&sql[start..=i]) {
                ends.push(i);
                start = i + 1;
            }
        }
        ends
    }

    #[test]
    fn statements_end_where_sqlite_says() {
        for sql in [
            "SELECT 1; SELECT 2;",
            "SELECT 'a;b'; SELECT \"c;d\";",
            "-- x;\nSELECT 1; /* ; */ SELECT 2",
            "CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1; SELECT 2; END; SELECT 3;",
            "CREATE TEMP TRIGGER t AFTER INSERT ON x BEGIN SELECT 1; END ; ;",
            "EXPLAIN CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1; END;",
            "SELECT [a;b]; SELECT `c;d`;",
            "SELECT 'open; still open",
            "SELECT é; SELECT 1;",
            ";;",
            "SELECT 1 -- trailing",
        ] {
            assert_eq!(statement_ends(sql), by_sqlite(sql), "{sql:?}");
        }
    }

    #[test]
    fn a_long_string_full_of_semicolons_is_one_statement() {
        // `SELECT '` is 8 bytes, then the 400,000 semicolons, the closing quote at
        // 400,008 and the first statement's own semicolon at 400,009.
        let sql = format!("SELECT '{}'; SELECT 2;", ";".repeat(400_000));
        assert_eq!(statement_ends(&sql), [400_009, sql.len() - 1]);
    }

    proptest::proptest! {
        #[test]
        fn any_script_splits_as_sqlite_splits_it(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    ";", " ", "\n", "'", "\"", "`", "[", "]", "--", "/*", "*/", "-", "/",
                    "SELECT", "1", "create", "TEMP", "temporary", "trigger", "BEGIN", "end",
                    "explain", "x", "é", "$a", "_b",
                ]),
                0..40,
            )
        ) {
            let sql = pieces.join("");
            proptest::prop_assert_eq!(statement_ends(&sql), by_sqlite(&sql), "{:?}", sql);
        }
    }
}

//! Tests of parse.rs.
use super::*;

fn grades(text: &str) -> (Layout, Vec<GradeRow>) {
    match parse(text.as_bytes()).unwrap() {
        GradeFile::Grades(layout, rows) => (layout, rows),
        other => panic!("not grades: {other:?}"),
    }
}

#[test]
fn the_minimal_layout_reads_with_its_optional_columns() {
    let (layout, rows) = grades(
        "force,cycle,item,grade,source_url,level,wording,same_as\n\
         cambs,2025-27,A25_INV,Good,https://example.org/a,area,Investigating crime,A23_INV\n",
    );
    assert_eq!(layout, Layout::Minimal);
    let r = &rows[0];
    assert_eq!(
        (r.line, r.force.as_str(), r.cycle.as_str()),
        (2, "cambs", "2025-27")
    );
    assert_eq!(r.item, "A25_INV");
    assert_eq!(r.same_as.as_deref(), Some("A23_INV"));
    assert_eq!(r.wording.as_deref(), Some("Investigating crime"));
    assert_eq!(
        (r.trust.clone(), r.derived, r.carried_over),
        (None, None, false)
    );
}

#[test]
fn comment_lines_before_the_header_keep_line_numbers_true() {
    let text = "# source: somewhere\n\
                ons_code,force,cycle,level,pillar,item_code,item,grade,source_url,trust,derived,note\n\
                E23000023,Cambridgeshire,2017,question,effectiveness,Q17_E1,Words,Good,https://x.org/p,medium,0,\"HMICFRS says this question was not re-inspected in 2017\"\n\
                E23000023,Cambridgeshire,2017,question,effectiveness,Q17_E2,Words,Good,https://x.org/p,medium,0,some judgments were carried over\n";
    let (layout, rows) = grades(text);
    assert_eq!(layout, Layout::Full);
    assert_eq!(rows[0].line, 3);
    assert_eq!(rows[1].line, 4);
    assert_eq!(rows[0].force_name.as_deref(), Some("Cambridgeshire"));
    assert!(
        rows[0].carried_over,
        "the note says this one was not re-inspected"
    );
    assert!(
        !rows[1].carried_over,
        "a general remark is not about this grade"
    );
}

#[test]
fn bad_cells_are_errors_naming_line_and_column() {
    let head = "force,cycle,item,grade,source_url,derived,trust\n";
    let cases = [
        (
            "kent,2017,P17_EFFE,Good,seed/original/x.csv,0,high\n",
            "source_url",
            "not a web address",
        ),
        (
            "kent,2017,P17_EFFE,Good,https://x.org,maybe,high\n",
            "derived",
            "not 0 or 1",
        ),
        (
            "kent,2017,P17_EFFE,Good,https://x.org,0,certain\n",
            "trust",
            "not a trust level",
        ),
        ("kent,2017,,Good,https://x.org,0,high\n", "item", "is empty"),
    ];
    for (row, column, needle) in cases {
        let err = parse(format!("{head}{row}").as_bytes()).unwrap_err();
        assert_eq!(err.line, 2, "{row}");
        assert_eq!(err.column.as_deref(), Some(column), "{row}");
        assert!(err.message.contains(needle), "{row}: {err}");
    }
}

#[test]
fn counts_read_blank_as_not_stated_and_mark_partial_rows() {
    let text = "ons_code,force,cycle,n_graded_stated,outstanding,good,adequate,requires_improvement,inadequate,counts_as_published,source_url,trust,vs_project,note\n\
                E23000030,Lincolnshire,2023-25,8,,,,4,4,requires improvement 4; inadequate 4,https://x.org/l,high,new,n\n\
                E23000007,Northumbria,2023-25,1,,1,,,,good 1; adequate (rest),https://x.org/n,medium,new,n\n";
    let GradeFile::Counts(Layout::ForceCounts, rows) = parse(text.as_bytes()).unwrap() else {
        panic!("not force counts")
    };
    assert_eq!(
        rows[0].counts,
        vec![("Requires improvement", 4), ("Inadequate", 4)]
    );
    assert!(!rows[0].partial_marked);
    assert_eq!(rows[1].counts, vec![("Good", 1)]);
    assert!(rows[1].partial_marked);
}

#[test]
fn a_count_must_be_digits() {
    let text = "peel_year,pillar,outstanding,good,adequate,requires_improvement,inadequate,not_graded,source_url\n\
                2015,Effectiveness,1,2.5,,18,0,,https://x.org\n";
    let err = parse(text.as_bytes()).unwrap_err();
    assert_eq!((err.line, err.column.as_deref()), (2, Some("good")));
}

#[test]
fn unknown_and_missing_columns_are_named() {
    let err =
        parse(b"force,cycle,item,grade,source_url,colour\nx,y,z,w,https://a.b\n").unwrap_err();
    assert!(
        err.message.contains("unexpected column \"colour\""),
        "{err}"
    );
    let err = parse(b"force,cycle,item,grade\nx,y,z,w\n").unwrap_err();
    assert!(
        err.message.contains("missing column(s) source_url"),
        "{err}"
    );
    let err = parse(b"a,b\n1,2\n").unwrap_err();
    assert!(err.message.starts_with("not a grades file"), "{err}");
}

#[test]
fn errors_quote_a_short_excerpt_of_a_long_cell() {
    let long = "x".repeat(10_000);
    let text = format!("force,cycle,item,grade,source_url\nkent,2017,P17_EFFE,Good,{long}\n");
    let err = parse(text.as_bytes()).unwrap_err();
    assert!(err.message.len() < 200, "{}", err.message.len());
}

proptest::proptest! {
    /// Whatever the bytes, reading them gives rows or one error with a line: never a
    /// panic, and never an error message longer than a line on a terminal or two.
    #[test]
    fn any_bytes_read_or_fail_cleanly(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..400)) {
        if let Err(e) = parse(&bytes) {
            proptest::prop_assert!(e.line >= 1);
            proptest::prop_assert!(e.message.len() < 400, "{}", e.message);
        }
    }

    /// Cells of any text in the minimal layout: read, or one error naming the line.
    #[test]
    fn any_cells_in_the_minimal_layout_read_or_fail_cleanly(
        cells in proptest::collection::vec("[ -~]{0,20}", 5)
    ) {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(["force", "cycle", "item", "grade", "source_url"]).unwrap();
        w.write_record(&cells).unwrap();
        let text = w.into_inner().unwrap();
        match parse(&text) {
            Ok(GradeFile::Grades(Layout::Minimal, rows)) => proptest::prop_assert_eq!(rows[0].line, 2),
            Ok(other) => proptest::prop_assert!(false, "{other:?}"),
            Err(e) => proptest::prop_assert_eq!(e.line, 2, "{}", e),
        }
    }
}

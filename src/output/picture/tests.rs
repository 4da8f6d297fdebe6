//! Pictures read back as a reader sees them: the SVG parsed, the PNG's pixels sampled
//! where the layout put each cell and bar, and one small picture of each kind compared
//! with a reviewed copy under `tests/snapshots/` (`PEEL_SNAPSHOT_BLESS=1` rewrites them).

use std::cell::RefCell;
use std::io::Write;

use resvg::usvg::roxmltree;
use rusqlite::Connection;

use super::grid::{Cell, Grade};
use super::*;
use crate::console::call::{self, CallOptions};
use crate::console::{Choices, Console, Mode};
use crate::output::provenance::SourcesMode;
use crate::output::{Format, SparkLine};
use crate::queries;

fn seeded() -> Connection {
    let mut conn = Connection::open_in_memory().unwrap();
    crate::db::configure(&conn).unwrap();
    let tx = conn.transaction().unwrap();
    crate::db::create_schema(&tx).unwrap();
    crate::seed::load(&tx).unwrap();
    crate::seed::write_meta(&tx).unwrap();
    tx.commit().unwrap();
    conn
}

/// Everything a picture sink is handed for one result.
#[derive(Default)]
struct Captured {
    columns: Vec<String>,
    rows: Vec<Vec<Value>>,
    hints: Vec<ChartHint>,
    footer: Option<Vec<String>>,
}

impl RowSink for Captured {
    fn begin(&mut self, columns: &[String]) -> io::Result<()> {
        self.columns = columns.to_vec();
        Ok(())
    }
    fn row(&mut self, values: &[Value]) -> io::Result<()> {
        self.rows.push(values.to_vec());
        Ok(())
    }
    fn end(&mut self) -> io::Result<()> {
        Ok(())
    }
    fn hint(&mut self, hint: &ChartHint) {
        self.hints.push(hint.clone());
    }
    fn footer_first(&self) -> bool {
        true
    }
    fn footer(&mut self, _title: &str, items: &[String]) -> io::Result<()> {
        self.footer = Some(items.to_vec());
        Ok(())
    }
}

/// `peel run NAME ARGS -F svg` as `peel run` presents it, and what its sink was handed.
fn picture_of(conn: &Connection, name: &str, args: &[&str]) -> (String, Captured, Context) {
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let call = queries::prepare(conn, name, &args).unwrap();
    let console = Console::with_terminal(
        Mode::Command,
        &Choices {
            format: Some(Format::Svg),
            ..Choices::default()
        },
        false,
        || None,
    );
    let mut data = Vec::new();
    let mut note_bytes = Vec::new();
    {
        let notes: RefCell<&mut dyn Write> = RefCell::new(&mut note_bytes);
        call::present(
            &console,
            conn,
            &call,
            &CallOptions::default(),
            &mut data,
            &notes,
            true,
        )
        .unwrap();
    }
    let mut captured = Captured::default();
    call.run(conn, &mut captured, SourcesMode::Footnotes)
        .unwrap();
    (
        String::from_utf8(data).unwrap(),
        captured,
        call::context(conn, &call),
    )
}

/// The frame the sink builds for `captured`, and the drawing it chooses.
fn drawing_of(captured: &Captured, context: &Context) -> (Drawing, Picture<'static>) {
    let mut sink = Picture::new(Box::leak(Box::new(Vec::new())), Target::Svg, false);
    sink.context(context);
    sink.columns = captured.columns.clone();
    sink.rows = captured.rows.clone();
    sink.hints = captured.hints.clone();
    sink.footer = captured.footer.clone();
    let (columns, rows, _) = sink.data();
    (choose(&columns, &rows, &sink.hints).unwrap(), sink)
}

/// The colour of pixel (`x`, `y`) of a picture drawn at its own size.
fn pixel(pixmap: &resvg::tiny_skia::Pixmap, x: f64, y: f64) -> (u8, u8, u8) {
    let p = pixmap.pixel(x.round() as u32, y.round() as u32).unwrap();
    (p.red(), p.green(), p.blue())
}

fn texts(svg: &str) -> String {
    let doc = roxmltree::Document::parse(svg).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_grid_of_a_year_shows_each_grade_in_as_many_cells_as_the_query_returned() {
    let conn = seeded();
    let (svg, captured, context) = picture_of(&conn, "grades", &["2017"]);
    let (drawing, sink) = drawing_of(&captured, &context);
    let Drawing::Grid(grid) = drawing else {
        panic!("grades 2017 is not a grid")
    };
    let (drawn, geometry) = grid.draw(&sink.frame(None, sink.data().2));
    assert_eq!(drawn, svg, "the picture tested is the one peel writes");
    // 43 forces by 13 items (3 pillars, 10 questions) of 2017.
    assert_eq!((grid.rows.len(), grid.columns.len()), (43, 13));

    let pixmap = render::pixels(&svg, 1.0).unwrap();
    let mut seen = std::collections::BTreeMap::new();
    for i in 0..grid.rows.len() {
        for j in 0..grid.columns.len() {
            let (x, y) = geometry.cell(i, j);
            // Inside the cell's top-left corner: clear of its border and its label.
            let colour = pixel(&pixmap, x + 4.0, y + 4.0);
            let kind = Grade::ALL
                .into_iter()
                .find(|&g| palette::rgb(palette::grade_colours(g).0) == colour)
                .map_or("no grade", Grade::name);
            *seen.entry(kind).or_insert(0) += 1;
        }
    }
    // Counted from the query's rows: each grade as it is written ("Good (derived)" is
    // Good), and the cells it leaves empty.
    let mut returned = std::collections::BTreeMap::new();
    for r in &captured.rows {
        for c in &captured.columns {
            let i = captured.columns.iter().position(|x| x == c).unwrap();
            if ["area_code", "area_name", "sources"].contains(&c.as_str()) {
                continue;
            }
            let name = match r[i].to_text() {
                None => "no grade".to_string(),
                Some(t) => t.trim_end_matches(" (derived)").to_string(),
            };
            *returned.entry(name).or_insert(0) += 1;
        }
    }
    let returned: std::collections::BTreeMap<&str, i32> =
        returned.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    assert_eq!(seen, returned);
    // By hand from `peel run grades 2017`: 559 cells; Derbyshire and Norfolk have no
    // effectiveness grade, Greater Manchester was not graded on efficiency or
    // legitimacy, and most forces have no question grades held.
    let expected: std::collections::BTreeMap<&str, i32> = [
        ("Outstanding", 15),
        ("Good", 205),
        ("Requires improvement", 64),
        ("Not graded", 2),
        ("no grade", 273),
    ]
    .into_iter()
    .collect();
    assert_eq!(seen, expected);
    assert!(texts(&svg).contains("273 of 559 cells: no grade in the database"));
}

#[test]
fn the_chosen_force_is_the_one_highlighted_bar() {
    let conn = seeded();
    let (svg, captured, context) = picture_of(&conn, "peers", &["cambs", "officer-fte", "2023"]);
    let (drawing, sink) = drawing_of(&captured, &context);
    let Drawing::Bars(bars) = drawing else {
        panic!("peers is not bars")
    };
    let (drawn, geometry) = bars.draw(&sink.frame(bars.title.clone(), sink.data().2));
    assert_eq!(drawn, svg);
    let pixmap = render::pixels(&svg, 1.0).unwrap();
    let highlighted: Vec<&str> = bars
        .bars
        .iter()
        .enumerate()
        .filter(|(i, _)| {
            let y = geometry.top + *i as f64 * geometry.row_height + geometry.bar_height / 2.0;
            pixel(&pixmap, geometry.zero + 3.0, y) == palette::rgb(palette::BAR_SELECTED)
        })
        .map(|(_, b)| b.label.as_str())
        .collect();
    assert_eq!(highlighted, ["Cambridgeshire"]);
    // The East's six forces, largest first (officer FTE, 31 March 2023): Cambridgeshire
    // is fourth, after Essex, Hertfordshire and Norfolk.
    let order: Vec<&str> = bars.bars.iter().map(|b| b.label.as_str()).collect();
    assert_eq!(
        order,
        [
            "Essex",
            "Hertfordshire",
            "Norfolk",
            "Cambridgeshire",
            "Bedfordshire",
            "Suffolk"
        ]
    );
    // England and Wales (147,429.63) is far beyond the forces: named, not drawn.
    assert!(texts(&svg).contains("England and Wales: 147,429.63 (the total of all forces"));
}

#[test]
fn every_picture_is_svg_with_a_title_a_description_and_its_sources() {
    let conn = seeded();
    for (name, args) in [
        ("grades", vec!["2017"]),
        ("compare", vec!["officer-fte", "2015"]),
        ("trend", vec!["cambs", "officer-fte"]),
        ("history", vec!["cambs"]),
        ("grade-changes", vec!["2016", "2017"]),
        ("region", vec!["cambs", "officer-fte"]),
    ] {
        let (svg, _, context) = picture_of(&conn, name, &args);
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let root = doc.root_element();
        assert!(root.has_tag_name("svg"), "{name}");
        let width: f64 = root.attribute("width").unwrap().parse().unwrap();
        assert!(width <= 1200.0, "{name}: {width}");
        let children: Vec<&str> = root
            .children()
            .filter(|n| n.is_element())
            .map(|n| n.tag_name().name())
            .collect();
        assert_eq!(&children[..2], ["title", "desc"], "{name}");
        let text = texts(&svg);
        assert!(text.contains("Sources"), "{name}");
        assert!(text.contains("[1] http"), "{name}: no numbered source");
        assert!(
            text.contains(&format!(
                "from the database built {}",
                &context.database.unwrap()[6..]
            )),
            "{name}"
        );
        assert!(text.contains(context.command.as_deref().unwrap()), "{name}");
        // Each of the query's notes is in the picture.
        for note in &context.notes {
            let first_words: String = note.chars().take(40).collect();
            assert!(
                text.replace('\n', " ").contains(&first_words),
                "{name}: {note}"
            );
        }
    }
    let (svg, _, _) = picture_of(&conn, "compare", &["officer-fte", "2015"]);
    assert!(texts(&svg).contains("https://github.com/jamesLSI/ecom185/blob/"));
}

#[test]
fn the_png_is_the_svg_drawn_at_one_and_a_half_times() {
    let conn = seeded();
    let (svg, captured, context) = picture_of(&conn, "trend", &["cambs", "officer-fte"]);
    let mut png = Vec::new();
    {
        let mut sink = Picture::new(&mut png, Target::Png, false);
        sink.context(&context);
        for h in &captured.hints {
            sink.hint(h);
        }
        sink.footer("Sources:", captured.footer.as_deref().unwrap())
            .unwrap();
        sink.begin(&captured.columns).unwrap();
        for r in &captured.rows {
            sink.row(r).unwrap();
        }
        sink.end().unwrap();
    }
    let decoded = resvg::tiny_skia::Pixmap::decode_png(&png).unwrap();
    let drawn = render::pixels(&svg, render::PNG_SCALE).unwrap();
    assert_eq!(
        (decoded.width(), decoded.height()),
        (drawn.width(), drawn.height())
    );
    assert_eq!(decoded.width(), 1140);
    assert_eq!(decoded.data(), drawn.data());
}

#[test]
fn a_result_no_picture_fits_is_refused_in_one_line() {
    let mut out = Vec::new();
    let mut sink = Picture::new(&mut out, Target::Svg, false);
    sink.begin(&["name".into()]).unwrap();
    sink.row(&[Value::Text("Kent".into())]).unwrap();
    let error = sink.end().unwrap_err();
    let refused = error.get_ref().unwrap().downcast_ref::<Refused>().unwrap();
    assert_eq!(
        refused.to_string(),
        "svg: no picture fits this result (no numeric column); pictures draw grades as a grid, a series over time as lines, or a label and a number as bars"
    );
    assert!(out.is_empty());
}

#[test]
fn one_picture_per_output_and_no_png_to_a_terminal() {
    let mut out = Vec::new();
    let mut sink = Picture::new(&mut out, Target::Svg, false);
    sink.begin(&["area_name".into(), "value".into()]).unwrap();
    sink.row(&[Value::Text("Kent".into()), Value::Integer(3)])
        .unwrap();
    sink.end().unwrap();
    let again = sink.begin(&["area_name".into()]).unwrap_err();
    assert!(
        again.to_string().starts_with("svg holds one picture"),
        "{again}"
    );

    let mut out = Vec::new();
    let mut sink = Picture::new(&mut out, Target::Png, true);
    let refused = sink.begin(&["area_name".into()]).unwrap_err();
    assert!(
        refused
            .to_string()
            .starts_with("png is binary and stdout is a terminal")
    );
}

/// Compares `svg` with `tests/snapshots/NAME`, or rewrites it under PEEL_SNAPSHOT_BLESS.
fn snapshot(name: &str, svg: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(name);
    if std::env::var_os("PEEL_SNAPSHOT_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, svg).unwrap();
        return;
    }
    let kept = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; PEEL_SNAPSHOT_BLESS=1 writes it", path.display()));
    assert!(
        kept == svg,
        "{name} changed; review it and rerun with PEEL_SNAPSHOT_BLESS=1:\n{svg}"
    );
}

fn fixed_frame(title: &str) -> frame::Frame {
    frame::Frame {
        title: title.into(),
        command: Some("peel run example".into()),
        notes: vec!["3 of 3 forces graded".into()],
        sources: vec!["[1] https://example.org/peel".into()],
        database: Some("built 2026-12-01".into()),
    }
}

fn t(s: &str) -> Value {
    Value::Text(s.into())
}

#[test]
fn a_small_grid_is_drawn_as_reviewed() {
    let grid = grid::Grid {
        by_year: false,
        rows: vec!["Kent".into(), "Essex".into(), "Durham".into()],
        columns: vec!["effectiveness".into(), "efficiency".into()],
        cells: vec![
            vec![
                Cell::Grade(Grade::Good, false),
                Cell::Grade(Grade::Outstanding, false),
            ],
            vec![Cell::Grade(Grade::RequiresImprovement, true), Cell::Empty],
            vec![
                Cell::Grade(Grade::Inadequate, false),
                Cell::Grade(Grade::Adequate, false),
            ],
        ],
    };
    snapshot(
        "picture-grid.svg",
        &grid.draw(&fixed_frame("Grades: 2017")).0,
    );
}

#[test]
fn small_bars_are_drawn_as_reviewed() {
    let columns: Vec<String> = ["area_name", "value", "role"].map(String::from).to_vec();
    let rows = vec![
        vec![t("England and Wales"), Value::Real(2.4), t("reference")],
        vec![t("Kent"), Value::Real(3.1), t("area")],
        vec![t("Durham"), Value::Real(2.0), t("selected")],
        vec![t("Dorset"), Value::Null, t("area")],
    ];
    let bars = bars::build(&columns, &rows, &[0], 1, &[]);
    snapshot(
        "picture-bars.svg",
        &bars.draw(&fixed_frame("Officers per 1,000")).0,
    );
}

#[test]
fn small_trend_lines_are_drawn_as_reviewed() {
    let columns: Vec<String> = [
        "metric",
        "area_name",
        "period",
        "period_end",
        "value",
        "national_value",
    ]
    .map(String::from)
    .to_vec();
    let row = |label: &str, end: &str, v: f64, n: f64| {
        vec![
            t("officers per 1,000"),
            t("Kent"),
            t(label),
            t(end),
            Value::Real(v),
            Value::Real(n),
        ]
    };
    let rows = vec![
        row("as at 31 March 2021", "2021-03-31", 2.1, 2.3),
        row("as at 31 March 2022", "2022-03-31", 2.2, 2.35),
        row("as at 31 March 2023", "2023-03-31", 2.4, 2.45),
    ];
    let lines = [
        SparkLine {
            column: "value".into(),
            label: "value".into(),
            label_column: Some("area_name".into()),
        },
        SparkLine {
            column: "national_value".into(),
            label: "England and Wales".into(),
            label_column: None,
        },
    ];
    let trend = lines::build(&columns, &rows, &["metric".into()], "period_end", &lines).unwrap();
    assert_eq!(
        trend.series[0]
            .x
            .iter()
            .map(|(_, l)| l.as_str())
            .collect::<Vec<_>>(),
        ["Mar 2021", "Mar 2022", "Mar 2023"]
    );
    snapshot(
        "picture-lines.svg",
        &trend.draw(&fixed_frame("Trend: Kent")),
    );
}

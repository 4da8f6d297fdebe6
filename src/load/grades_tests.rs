//! Tests of grades.rs.
use super::*;
use crate::load::{NewSource, insert_source};

/// A schema with one force, the 2017 cycle, its efficiency pillar and two sources.
fn fixture() -> (Connection, i64, Item, i64, i64) {
    let conn = Connection::open_in_memory().unwrap();
    crate::db::create_schema(&conn).unwrap();
    conn.execute_batch(
        "INSERT INTO grade_scales (code, name) VALUES ('peel-4', 'four');
         INSERT INTO grades (scale_id, name, rank, meaning)
         VALUES (1, 'Good', 3, 'g'), (1, 'Requires improvement', 2, 'ri');
         INSERT INTO areas (code, slug, name, short_name, kind, country)
         VALUES ('K04000001', 'ew', 'E&W', 'E&W', 'national', 'England and Wales');
         INSERT INTO areas (code, slug, name, short_name, kind, parent_id, country)
         VALUES ('E23000012', 'humberside', 'Humberside Police', 'Humberside', 'force', 1, 'England');",
    )
    .unwrap();
    let cycle = insert_cycle(
        &conn,
        &NewCycle {
            year: 2017,
            label: "2017",
            scale: "peel-4",
            has_pillars: true,
            note: None,
        },
    )
    .unwrap();
    let item = insert_item(
        &conn,
        &NewItem {
            cycle_id: cycle,
            level: "pillar",
            pillar: Some("efficiency"),
            code: "P17_EFFI",
            wording: "How efficient?",
            graded: true,
            series: Some("P14_EFFI"),
        },
    )
    .unwrap();
    let source = |key: &str| {
        insert_source(
            &conn,
            &NewSource {
                key,
                kind: "url",
                location: key,
                title: key,
                trust: "high",
                ..NewSource::default()
            },
        )
        .unwrap()
    };
    let (release, page) = (
        source("https://x.org/release"),
        source("https://x.org/page"),
    );
    (conn, 2, item, release, page)
}

fn grade(conn: &Connection, name: &str) -> i64 {
    grade_id(conn, 1, name).unwrap().unwrap()
}

fn held_row(conn: &Connection) -> (String, String, i64, Vec<String>) {
    conn.query_row(
        "SELECT g.name, j.trust, j.derived, s.location FROM judgments j
         JOIN grades g USING (grade_id) JOIN sources s ON s.source_id = j.source_id",
        [],
        |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get(1)?,
                r.get(2)?,
                vec![r.get::<_, String>(3)?],
            ))
        },
    )
    .map(|(g, t, d, mut s)| {
        let others: Vec<String> = conn
            .prepare("SELECT s.location FROM judgment_sources js JOIN sources s USING (source_id)")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        s.extend(others);
        (g, t, d, s)
    })
    .unwrap()
}

#[test]
fn a_stated_grade_takes_the_place_of_a_derived_one_and_keeps_it_beside() {
    let (conn, force, item, release, page) = fixture();
    let ri = grade(&conn, "Requires improvement");
    let derived = NewJudgment {
        area_id: force,
        item_id: item.id,
        grade_id: ri,
        source_id: release,
        report_id: None,
        source_line: None,
        trust: "low",
        derived: true,
        cited: false,
        carried_over: false,
        note: Some("by elimination"),
    };
    assert_eq!(judgment(&conn, &derived, false).unwrap(), Judged::Inserted);
    let stated = NewJudgment {
        source_id: page,
        trust: "medium",
        derived: false,
        note: None,
        ..derived
    };
    assert_eq!(judgment(&conn, &stated, false).unwrap(), Judged::Confirmed);
    assert_eq!(
        held_row(&conn),
        (
            "Requires improvement".into(),
            "medium".into(),
            0,
            vec!["https://x.org/page".into(), "https://x.org/release".into()]
        )
    );
    // The same source again changes nothing.
    assert_eq!(
        judgment(&conn, &stated, false).unwrap(),
        Judged::AlreadyHeld
    );
}

#[test]
fn a_weaker_source_of_the_same_grade_is_kept_beside_the_stronger() {
    let (conn, force, item, release, page) = fixture();
    let good = grade(&conn, "Good");
    let strong = NewJudgment {
        area_id: force,
        item_id: item.id,
        grade_id: good,
        source_id: release,
        report_id: None,
        source_line: None,
        trust: "high",
        derived: false,
        cited: false,
        carried_over: false,
        note: None,
    };
    judgment(&conn, &strong, false).unwrap();
    let weak = NewJudgment {
        source_id: page,
        trust: "medium",
        carried_over: true,
        ..strong
    };
    assert_eq!(judgment(&conn, &weak, false).unwrap(), Judged::Confirmed);
    let (_, trust, _, sources) = held_row(&conn);
    assert_eq!(trust, "high");
    assert_eq!(sources, ["https://x.org/release", "https://x.org/page"]);
    let carried: i64 = conn
        .query_row("SELECT carried_over FROM judgments", [], |r| r.get(0))
        .unwrap();
    assert_eq!(carried, 1, "carried over whoever says so");
}

#[test]
fn a_different_grade_is_a_conflict_unless_replaced() {
    let (conn, force, item, release, page) = fixture();
    let first = NewJudgment {
        area_id: force,
        item_id: item.id,
        grade_id: grade(&conn, "Good"),
        source_id: release,
        report_id: None,
        source_line: None,
        trust: "high",
        derived: false,
        cited: false,
        carried_over: false,
        note: None,
    };
    judgment(&conn, &first, false).unwrap();
    let other = NewJudgment {
        grade_id: grade(&conn, "Requires improvement"),
        source_id: page,
        ..first
    };
    match judgment(&conn, &other, false) {
        Err(JudgmentError::Conflict(c)) => {
            assert_eq!(c.existing_grade, "Good");
            assert_eq!(c.existing_source, "https://x.org/release");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        judgment(&conn, &other, true).unwrap(),
        Judged::Replaced {
            previous: "Good".into()
        }
    );
    assert_eq!(held_row(&conn).3, ["https://x.org/page"]);
}

//! `peel check`: SQLite's own integrity checks plus the data's rules, as a list of
//! findings. Reads only; never repairs.

use rusqlite::Connection;

use crate::db;

/// The outcome of one check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// What was checked.
    pub check: &'static str,
    /// Whether it passed.
    pub ok: bool,
    /// What was found: a count, or the first problems.
    pub detail: String,
}

/// A rule of the data: a query counting the rows that break it, and an example of one.
struct Rule {
    check: &'static str,
    /// Returns one row per violation, as text, most useful first.
    violations: &'static str,
}

const RULES: &[Rule] = &[
    Rule {
        check: "every judgment's grade is on its cycle's scale",
        violations: "SELECT a.code || ' ' || c.label || ' ' || q.code || ': ' || g.name
                     FROM judgments j JOIN questions q USING (question_id)
                     JOIN cycles c ON c.cycle_id = q.cycle_id JOIN grades g ON g.grade_id = j.grade_id
                     JOIN areas a ON a.area_id = j.area_id
                     WHERE g.scale_id <> c.scale_id",
    },
    Rule {
        check: "every grade count is on its cycle's scale",
        violations: "SELECT a.code || ' ' || c.label || ': ' || g.name
                     FROM grade_counts gc JOIN cycles c USING (cycle_id) JOIN grades g USING (grade_id)
                     JOIN areas a ON a.area_id = gc.area_id
                     WHERE g.scale_id <> c.scale_id",
    },
    Rule {
        check: "every figure has a metric, area, period and source",
        violations: "SELECT 'value ' || v.value_id FROM metric_values v
                     WHERE NOT EXISTS (SELECT 1 FROM metrics m WHERE m.metric_id = v.metric_id)
                        OR NOT EXISTS (SELECT 1 FROM areas a WHERE a.area_id = v.area_id)
                        OR NOT EXISTS (SELECT 1 FROM periods p WHERE p.period_id = v.period_id)
                        OR NOT EXISTS (SELECT 1 FROM sources s WHERE s.source_id = v.source_id)",
    },
    Rule {
        check: "every figure is a number",
        violations: "SELECT 'value ' || value_id || ': ' || quote(value) FROM metric_values
                     WHERE typeof(value) NOT IN ('integer', 'real')",
    },
    Rule {
        check: "every judgment has a source",
        violations: "SELECT 'judgment ' || j.judgment_id FROM judgments j
                     WHERE NOT EXISTS (SELECT 1 FROM sources s WHERE s.source_id = j.source_id)",
    },
    Rule {
        check: "every grade's source can be followed (a web page, or an imported report and its line)",
        violations: "SELECT a.short_name || ' ' || q.code || ': ' || s.location FROM judgments j
                     JOIN sources s ON s.source_id = j.source_id
                     JOIN areas a ON a.area_id = j.area_id JOIN questions q ON q.question_id = j.question_id
                     WHERE NOT (s.kind = 'url' OR (j.report_id IS NOT NULL AND j.source_line IS NOT NULL))",
    },
    Rule {
        check: "every grade is on an item its cycle graded, and every derived grade has trust low",
        violations: "SELECT a.short_name || ' ' || q.code || CASE WHEN q.graded = 0 THEN ': item not graded'
                            ELSE ': derived with trust ' || j.trust END
                     FROM judgments j JOIN questions q ON q.question_id = j.question_id
                     JOIN areas a ON a.area_id = j.area_id
                     WHERE q.graded = 0 OR (j.derived = 1 AND j.trust <> 'low')",
    },
    Rule {
        check: "where all 43 forces' pillar grades are held, they reproduce the published national count",
        violations: "WITH national AS (SELECT area_id FROM areas WHERE kind = 'national'),
                     tally AS (
                       SELECT c.label, q.pillar, g.name, g.rank, gc.count AS published, gc.partial,
                              (SELECT count(*) FROM judgments j JOIN areas f ON f.area_id = j.area_id
                                WHERE f.kind = 'force' AND j.question_id = q.question_id
                                  AND j.grade_id = g.grade_id) AS held,
                              (SELECT count(*) FROM judgments j JOIN areas f ON f.area_id = j.area_id
                                WHERE f.kind = 'force' AND j.question_id = q.question_id) AS forces_held
                       FROM questions q JOIN cycles c ON c.cycle_id = q.cycle_id
                       JOIN grades g ON g.scale_id = c.scale_id
                       LEFT JOIN grade_counts gc ON gc.area_id = (SELECT area_id FROM national)
                            AND gc.cycle_id = c.cycle_id AND gc.pillar IS q.pillar AND gc.grade_id = g.grade_id
                       WHERE q.level = 'pillar')
                     SELECT label || ' ' || pillar || ': held '
                            || group_concat(CASE WHEN rank IS NOT NULL OR held > 0 OR published IS NOT NULL
                                            THEN name || ' ' || held END, ', ' ORDER BY rank IS NULL, rank DESC)
                            || '; published '
                            || group_concat(CASE WHEN rank IS NOT NULL OR held > 0 OR published IS NOT NULL
                                            THEN name || ' ' || ifnull(published, 'not stated') END,
                                            ', ' ORDER BY rank IS NULL, rank DESC)
                     FROM tally GROUP BY label, pillar
                     HAVING count(published) > 0 AND max(ifnull(partial, 0)) = 0
                        AND max(forces_held) = (SELECT count(*) FROM areas WHERE kind = 'force')
                        AND sum(held <> ifnull(published, 0)) > 0",
    },
    Rule {
        check: "every area has an ONS code and a name",
        violations: "SELECT 'area ' || area_id || ' ' || ifnull(name, '?') FROM areas
                     WHERE code IS NULL OR trim(code) = '' OR name IS NULL OR trim(name) = ''",
    },
    Rule {
        check: "every force belongs to a region",
        violations: "SELECT code || ' ' || name FROM areas f WHERE kind = 'force'
                     AND NOT EXISTS (SELECT 1 FROM areas r WHERE r.area_id = f.parent_id
                                     AND r.kind IN ('region', 'country'))",
    },
    Rule {
        check: "the 43 territorial forces are present",
        violations: "SELECT 'found ' || count(*) || ' forces' FROM areas WHERE kind = 'force'
                     HAVING count(*) <> 43",
    },
    Rule {
        check: "every imported report has its file's SHA-256",
        violations: "SELECT 'report ' || r.report_id || ' ' || r.title FROM reports r
                     JOIN sources s USING (source_id) WHERE s.sha256 IS NULL",
    },
    Rule {
        check: "the per-period counts agree with the figures",
        violations: "WITH actual AS (SELECT period_id, metric_id, count(*) AS figures
                                     FROM metric_values GROUP BY period_id, metric_id)
                     SELECT 'period ' || ifnull(a.period_id, c.period_id) || ', metric '
                            || ifnull(a.metric_id, c.metric_id) || ': ' || ifnull(a.figures, 0)
                            || ' figures, counted ' || ifnull(c.figures, 0)
                     FROM actual a FULL JOIN period_metric_counts c
                       ON c.period_id = a.period_id AND c.metric_id = a.metric_id
                     WHERE a.figures IS NOT c.figures
                     UNION ALL
                     SELECT 'period ' || p.period_id || ': counted ' || ifnull(pc.metrics, 0) || ' metrics and '
                            || ifnull(pc.figures, 0) || ' figures, expected ' || count(c.metric_id) || ' and '
                            || ifnull(sum(c.figures), 0)
                     FROM periods p LEFT JOIN period_counts pc ON pc.period_id = p.period_id
                     LEFT JOIN period_metric_counts c ON c.period_id = p.period_id
                     GROUP BY p.period_id
                     HAVING ifnull(pc.metrics, 0) <> count(c.metric_id)
                         OR ifnull(pc.figures, 0) <> ifnull(sum(c.figures), 0)",
    },
    Rule {
        check: "the per-metric counts agree with the per-period counts",
        violations: "WITH actual AS (
                       SELECT pc.metric_id, sum(pc.figures) AS figures, count(*) AS periods,
                              (SELECT max(p.end_date) FROM period_metric_counts x
                                 JOIN periods p ON p.period_id = x.period_id
                                WHERE x.metric_id = pc.metric_id) AS latest
                       FROM period_metric_counts pc GROUP BY pc.metric_id)
                     SELECT 'metric ' || ifnull(a.metric_id, c.metric_id) || ': ' || ifnull(a.figures, 0)
                            || ' figures in ' || ifnull(a.periods, 0) || ' periods, counted '
                            || ifnull(c.figures, 0) || ' in ' || ifnull(c.periods, 0)
                     FROM actual a FULL JOIN metric_counts c ON c.metric_id = a.metric_id
                     WHERE ifnull(c.figures, 0) <> ifnull(a.figures, 0)
                        OR ifnull(c.periods, 0) <> ifnull(a.periods, 0)
                        OR (SELECT end_date FROM periods WHERE period_id = c.latest_period_id) IS NOT a.latest",
    },
    Rule {
        check: "every rate peel derived has the figures it divides, and equals their quotient",
        violations: "SELECT 'value ' || v.value_id || ' (' || m.code || '): '
                            || CASE WHEN n.value IS NULL OR d.value IS NULL THEN 'no numerator or denominator'
                                    ELSE v.value || ', but ' || n.value || ' x 1,000 / ' || d.value || ' is '
                                         || round(n.value * 1000.0 / d.value, 4) END
                     FROM metric_values v
                     JOIN metrics m ON m.metric_id = v.metric_id
                     LEFT JOIN metric_values n ON n.value_id = v.numerator_id
                     LEFT JOIN metric_values d ON d.value_id = v.denominator_id
                     WHERE m.rate_of IS NOT NULL
                       AND v.derived = 1
                       AND (n.value IS NULL OR d.value IS NULL
                            OR abs(v.value - round(n.value * 1000.0 / d.value, 4)) > 0.00005)",
    },
];

fn run_rule(conn: &Connection, rule: &Rule) -> Finding {
    let result = conn.prepare(rule.violations).and_then(|mut stmt| {
        stmt.query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<String>>>()
    });
    match result {
        Ok(found) if found.is_empty() => Finding {
            check: rule.check,
            ok: true,
            detail: "ok".into(),
        },
        Ok(found) => Finding {
            check: rule.check,
            ok: false,
            detail: summarise(&found),
        },
        Err(e) => Finding {
            check: rule.check,
            ok: false,
            detail: format!("could not check: {}", crate::exec::sqlite_message(&e)),
        },
    }
}

fn summarise(found: &[String]) -> String {
    const SHOWN: usize = 3;
    let first: Vec<&str> = found.iter().take(SHOWN).map(String::as_str).collect();
    if found.len() > SHOWN {
        format!("{} problems, e.g. {}", found.len(), first.join("; "))
    } else {
        format!("{} problem(s): {}", found.len(), first.join("; "))
    }
}

fn pragma_rows(conn: &Connection, sql: &str) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(sql)?;
    let columns = stmt.column_count();
    stmt.query_map([], |r| {
        let mut parts = Vec::with_capacity(columns);
        for i in 0..columns {
            let v = crate::value::Value::from_sql(r.get_ref(i)?);
            parts.push(v.to_text().unwrap_or_else(|| "NULL".into()));
        }
        Ok(parts.join(" "))
    })?
    .collect()
}

/// Runs every check on an open database.
pub fn run_checks(conn: &Connection) -> Vec<Finding> {
    let mut findings = Vec::new();
    findings.push(match pragma_rows(conn, "PRAGMA integrity_check") {
        Ok(rows) if rows == ["ok"] => Finding {
            check: "SQLite integrity check",
            ok: true,
            detail: "ok".into(),
        },
        Ok(rows) => Finding {
            check: "SQLite integrity check",
            ok: false,
            detail: summarise(&rows),
        },
        Err(e) => Finding {
            check: "SQLite integrity check",
            ok: false,
            detail: crate::exec::sqlite_message(&e),
        },
    });
    findings.push(match pragma_rows(conn, "PRAGMA foreign_key_check") {
        Ok(rows) if rows.is_empty() => Finding {
            check: "foreign keys",
            ok: true,
            detail: "ok".into(),
        },
        Ok(rows) => Finding {
            check: "foreign keys",
            ok: false,
            detail: summarise(&rows),
        },
        Err(e) => Finding {
            check: "foreign keys",
            ok: false,
            detail: crate::exec::sqlite_message(&e),
        },
    });
    let version: rusqlite::Result<i64> =
        conn.pragma_query_value(None, "user_version", |r| r.get(0));
    findings.push(match version {
        Ok(v) if v == db::SCHEMA_VERSION => Finding {
            check: "schema version",
            ok: true,
            detail: format!("{v}"),
        },
        Ok(v) => Finding {
            check: "schema version",
            ok: false,
            detail: format!("{v}, expected {}", db::SCHEMA_VERSION),
        },
        Err(e) => Finding {
            check: "schema version",
            ok: false,
            detail: crate::exec::sqlite_message(&e),
        },
    });
    findings.push(definitions_finding(conn));
    for rule in RULES {
        findings.push(run_rule(conn, rule));
    }
    findings
}

/// Whether the file's tables, views, indexes and triggers are the ones peel defines: a
/// redefined view or a constraint edited out would make every answer suspect.
fn definitions_finding(conn: &Connection) -> Finding {
    const CHECK: &str = "tables, views, indexes and triggers are peel's own definitions";
    match db::definitions::differences(conn) {
        Ok((found, own)) if found.is_empty() => Finding {
            check: CHECK,
            ok: true,
            detail: if own.is_empty() {
                "ok".into()
            } else {
                format!(
                    "ok; also {} of the file's own: {}",
                    own.len(),
                    own.join(", ")
                )
            },
        },
        Ok((found, _)) => Finding {
            check: CHECK,
            ok: false,
            detail: summarise(&found),
        },
        Err(e) => Finding {
            check: CHECK,
            ok: false,
            detail: crate::exec::sqlite_message(&e),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seeded() -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        db::configure(&conn).unwrap();
        let tx = conn.transaction().unwrap();
        db::create_schema(&tx).unwrap();
        crate::seed::load(&tx).unwrap();
        tx.commit().unwrap();
        conn
    }

    #[test]
    fn the_seed_passes_every_check() {
        let conn = seeded();
        let failed: Vec<_> = run_checks(&conn).into_iter().filter(|f| !f.ok).collect();
        assert!(failed.is_empty(), "{failed:?}");
    }

    #[test]
    fn a_grade_from_the_wrong_scale_is_found() {
        let conn = seeded();
        // Give Durham's 2016 effectiveness grade the five-point scale's Adequate.
        conn.execute(
            "UPDATE judgments SET grade_id = (SELECT g.grade_id FROM grades g JOIN grade_scales s
                 USING (scale_id) WHERE s.code = 'peel-5' AND g.name = 'Adequate')
             WHERE area_id = (SELECT area_id FROM areas WHERE code = 'E23000008')
               AND question_id = (SELECT q.question_id FROM questions q JOIN cycles c USING (cycle_id)
                                     WHERE q.code = 'P16_EFFE')",
            [],
        )
        .unwrap();
        let failed: Vec<_> = run_checks(&conn).into_iter().filter(|f| !f.ok).collect();
        let checks: Vec<&str> = failed.iter().map(|f| f.check).collect();
        // Durham was the one Outstanding force, so the 2016 tally no longer holds either.
        assert_eq!(
            checks,
            [
                "every judgment's grade is on its cycle's scale",
                "where all 43 forces' pillar grades are held, they reproduce the published national count"
            ],
            "{failed:?}"
        );
        assert!(
            failed[0]
                .detail
                .contains("E23000008 2016 P16_EFFE: Adequate"),
            "{failed:?}"
        );
    }

    #[test]
    fn a_tally_that_no_longer_matches_the_published_count_is_named() {
        let conn = seeded();
        // Kent's 2015 effectiveness was Good (HMIC's 2015 page); make it Outstanding.
        conn.execute(
            "UPDATE judgments SET grade_id = (SELECT g.grade_id FROM grades g JOIN grade_scales s
                 USING (scale_id) WHERE s.code = 'peel-4' AND g.name = 'Outstanding')
             WHERE area_id = (SELECT area_id FROM areas WHERE code = 'E23000032')
               AND question_id = (SELECT question_id FROM questions WHERE code = 'P15_EFFE')",
            [],
        )
        .unwrap();
        let failed: Vec<_> = run_checks(&conn).into_iter().filter(|f| !f.ok).collect();
        assert_eq!(failed.len(), 1, "{failed:?}");
        assert_eq!(
            failed[0].detail,
            "1 problem(s): 2015 effectiveness: held Outstanding 2, Good 23, Requires improvement 18, \
             Inadequate 0; published Outstanding 1, Good 24, Requires improvement 18, Inadequate 0"
        );
    }

    #[test]
    fn a_grade_whose_source_is_a_file_inside_peel_is_found() {
        let conn = seeded();
        conn.execute(
            "UPDATE judgments SET source_id = (SELECT source_id FROM sources WHERE key = 'ref-forces')
             WHERE question_id = (SELECT question_id FROM questions WHERE code = 'P16_LEGI')
               AND area_id = (SELECT area_id FROM areas WHERE code = 'E23000032')",
            [],
        )
        .unwrap();
        let failed: Vec<_> = run_checks(&conn).into_iter().filter(|f| !f.ok).collect();
        assert_eq!(failed.len(), 1, "{failed:?}");
        assert_eq!(
            failed[0].detail,
            "1 problem(s): Kent P16_LEGI: seed/original/forces_england_wales_43.csv"
        );
    }

    #[test]
    fn a_dangling_reference_is_found() {
        let conn = seeded();
        conn.pragma_update(None, "foreign_keys", false).unwrap();
        conn.execute("DELETE FROM sources WHERE key = 'ons-pfa-mye2018'", [])
            .unwrap();
        let failed: Vec<&str> = run_checks(&conn)
            .into_iter()
            .filter(|f| !f.ok)
            .map(|f| f.check)
            .collect();
        assert!(failed.contains(&"foreign keys"), "{failed:?}");
        assert!(
            failed.contains(&"every figure has a metric, area, period and source"),
            "{failed:?}"
        );
    }
}

//! The canned queries about grades: a force's profile and history, the grade grid of a
//! cycle, changes between cycles, counts beside the published ones, the items a cycle
//! graded, areas for improvement and the cycles themselves.
//!
//! Every one says what it covers, in notes built from `v_item_coverage` and
//! `v_grade_tally`: how many of the 43 forces have grades held for an item, which do not,
//! and whether the held grades reproduce the counts HMIC/HMICFRS published. Questions are
//! followed across cycles by their `series`, never by a code that merely looks alike.

use super::super::{CannedQuery, Chart, Fallback::*, GradeGrid, Kind, ParamSpec, Pivot, Shape};
use super::{FORCE, PILLAR};

/// The latest cycle in which a force (`me`) has a grade or a published count, else the
/// latest cycle: what `force` shows. A CTE body named `latest`, after a CTE `me`.
macro_rules! latest_cycle_of_force {
    () => {
        "latest AS (
  SELECT coalesce(
    (SELECT max(c.year) FROM cycles c
      WHERE EXISTS (SELECT 1 FROM judgments j JOIN questions q ON q.question_id = j.question_id
                    WHERE q.cycle_id = c.cycle_id AND j.area_id = (SELECT area_id FROM me))
         OR EXISTS (SELECT 1 FROM grade_counts gc
                    WHERE gc.cycle_id = c.cycle_id AND gc.area_id = (SELECT area_id FROM me))),
    (SELECT max(year) FROM cycles)) AS year
)"
    };
}

/// The coverage note of one `v_item_coverage` row `cv`: `2018/19 effectiveness: 41 of 43
/// forces graded; not in the database: Humberside, Surrey`.
macro_rules! coverage_note {
    () => {
        "cv.cycle || ' ' || CASE WHEN cv.level = 'pillar' THEN cv.pillar ELSE cv.question_code END || ': '
       || cv.forces_held || ' of ' || cv.forces || ' forces '
       || CASE WHEN cv.not_graded > 0 THEN 'held (' || cv.not_graded || ' not graded by HMICFRS)' ELSE 'graded' END
       || CASE WHEN cv.forces_held = cv.forces THEN ''
               WHEN cv.forces - cv.forces_held <= 12 THEN '; not in the database: ' || cv.forces_not_held
               ELSE '; ' || (cv.forces - cv.forces_held) || ' forces not in the database' END"
    };
}

/// `force`.
pub const FORCE_PROFILE: CannedQuery = CannedQuery {
    name: "force",
    results: &["grades", "figures"],
    summary: "A force's profile: every item its latest inspection graded (\"not known\" where the database has no grade), then its latest figures beside England and Wales",
    params: &[FORCE],
    example: "cambs",
    sql: concat!(
        "WITH me AS (SELECT area_id, short_name FROM areas WHERE code = :force),
",
        latest_cycle_of_force!(),
        ",
items AS (
  SELECT q.question_id, q.code, q.level, q.pillar, q.wording, q.series, c.year, c.label AS cycle
  FROM questions q JOIN cycles c ON c.cycle_id = q.cycle_id
  WHERE c.year = (SELECT year FROM latest) AND q.graded = 1
), held AS (
  SELECT * FROM v_judgments WHERE area_code = :force
), previous AS (
  -- The force's grade on the same question (by series) in its latest earlier cycle.
  SELECT i.code, p.cycle AS previous_cycle, p.grade AS previous_grade, p.scale AS previous_scale,
         row_number() OVER (PARTITION BY i.code ORDER BY p.year DESC) AS n
  FROM items i JOIN held p ON p.series = i.series AND p.year < i.year
)
SELECT (SELECT short_name FROM me) AS area_name, i.cycle, i.pillar, i.code AS question_code,
       i.wording AS question, coalesce(h.grade, 'not known') AS grade,
       pv.previous_cycle, pv.previous_grade,
       CASE WHEN h.grade_rank IS NULL OR pg.rank IS NULL THEN NULL
            WHEN h.grade_rank > pg.rank THEN 'up'
            WHEN h.grade_rank < pg.rank THEN 'down'
            ELSE 'same' END AS direction,
       CASE WHEN pv.previous_scale <> h.scale
            THEN pv.previous_scale || ' to ' || h.scale || ': compared by rank on the ' || h.scale || ' scale'
       END AS scale_note,
       h.trust, h.derived, h.carried_over,
       h.source || CASE WHEN h.derived = 1 THEN ' (the grade is derived from it, not stated)' ELSE '' END
       || ifnull(char(10) || h.other_sources, '') AS _sources
FROM items i
LEFT JOIN held h ON h.question_code = i.code
LEFT JOIN previous pv ON pv.code = i.code AND pv.n = 1
LEFT JOIN grade_scales cs ON cs.code = h.scale
LEFT JOIN grades pg ON pg.scale_id = cs.scale_id AND pg.name = pv.previous_grade
ORDER BY i.question_id;

",
        "WITH me AS (SELECT area_id FROM areas WHERE code = :force),
-- From the base tables: through the view every one of the force's figures would be
-- joined to its source and England and Wales value just to find the latest period.
latest AS (
  -- The profile's metrics only (metrics.in_profile): thousands of imported offence codes
  -- would bury it, and make it read every figure of the force.
  SELECT v.metric_id, max(p.end_date) AS period_end
  FROM metrics m CROSS JOIN metric_values v ON v.metric_id = m.metric_id
                                           AND v.area_id = (SELECT area_id FROM me)
  JOIN periods p ON p.period_id = v.period_id
  WHERE m.in_profile = 1
  GROUP BY v.metric_id
), shown AS (
  -- CROSS JOIN keeps the profile's few metrics as the outer loop: left to itself the
  -- planner reads all of the force's figures.
  SELECT x.value_id, x.metric_id, x.period_id, m.code AS metric_code, p.label AS period_label
  FROM latest l CROSS JOIN metrics m ON m.metric_id = l.metric_id
  CROSS JOIN periods p ON p.end_date = l.period_end
  CROSS JOIN metric_values x ON x.metric_id = l.metric_id AND x.period_id = p.period_id
                            AND x.area_id = (SELECT area_id FROM me)
), ranked AS (
  -- Every force's figure for the shown metrics and periods, ranked once.
  SELECT o.metric_id, o.period_id, o.area_id,
         rank() OVER w AS rank, count(*) OVER w AS of_forces
  FROM shown s JOIN metric_values o ON o.metric_id = s.metric_id AND o.period_id = s.period_id
  JOIN areas oa ON oa.area_id = o.area_id AND oa.kind = 'force'
  JOIN metrics om ON om.metric_id = o.metric_id
  -- City of London is left out of per-head ranks: its resident population is too small.
  WHERE NOT (oa.code = 'E23000034' AND om.unit IN ('per 1,000 population', 'per million population'))
  WINDOW w AS (PARTITION BY o.metric_id, o.period_id ORDER BY o.value DESC
               RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
)
SELECT v.area_name, v.metric_code AS metric, v.metric_name, v.unit, v.period_label AS period,
       v.value, v.national_value, round(v.difference, 4) AS difference, v.ratio,
       v.share_of_national_pct, r.rank, r.of_forces,
       ",
            sources!("v"),
            " AS _sources
FROM shown s
CROSS JOIN v_metric_values v
  ON v.area_code = :force AND v.metric_code = s.metric_code AND v.period_label = s.period_label
LEFT JOIN ranked r ON r.metric_id = s.metric_id AND r.period_id = s.period_id
                  AND r.area_id = (SELECT area_id FROM me)
ORDER BY v.metric_code;"
    ),
    notes: concat!(
        "WITH me AS (SELECT area_id, short_name FROM areas WHERE code = :force),
",
        latest_cycle_of_force!(),
        ",
items AS (
  SELECT q.question_id, q.code, q.level, c.label AS cycle
  FROM questions q JOIN cycles c ON c.cycle_id = q.cycle_id
  WHERE c.year = (SELECT year FROM latest) AND q.graded = 1
), held AS (
  SELECT i.code FROM items i JOIN judgments j ON j.question_id = i.question_id
  WHERE j.area_id = (SELECT area_id FROM me)
), tally AS (
  SELECT * FROM v_grade_tally
  WHERE scope = 'force' AND area_code = :force AND year = (SELECT year FROM latest)
)
SELECT (SELECT short_name FROM me) || ' ' || max(cycle) || ': ' || (SELECT count(*) FROM held) || ' of '
       || count(*) || CASE WHEN max(level) = 'area' THEN ' graded areas' ELSE ' graded items' END
       || ' held in the database'
       || CASE WHEN count(*) > (SELECT count(*) FROM held)
               THEN '; not known: ' || group_concat(CASE WHEN code NOT IN (SELECT code FROM held) THEN code END, ', ')
               ELSE '' END
       || '; earlier cycles: peel run history'
FROM items
UNION ALL
SELECT 'HMICFRS published counts for ' || max(area_name) || ' ' || max(cycle) || ': '
       || group_concat(CASE WHEN published IS NOT NULL THEN grade || ' ' || published END, ', ' ORDER BY grade_rank DESC)
       || ' (' || sum(published) || ' areas'
       || CASE WHEN max(published_partial) = 1 THEN ', the rest not stated' ELSE '' END || '); held here: '
       || ifnull(group_concat(CASE WHEN held > 0 THEN grade || ' ' || held END, ', ' ORDER BY grade_rank DESC), 'none')
       || CASE WHEN max(published_partial) = 1 THEN ''
               WHEN sum(abs(held - ifnull(published, 0))) = 0 THEN ' (the same)'
               ELSE ' (not the same: the database does not hold every graded area)' END
FROM tally
HAVING count(published) > 0
UNION ALL
SELECT 'this force''s grades span the 2019/2021 change of scale (peel-4 to peel-5, which adds Adequate); grades compare by rank within each scale'
WHERE (SELECT count(DISTINCT scale) FROM v_judgments WHERE area_code = :force) > 1
UNION ALL
SELECT 'City of London is not ranked on per-head rates, and its rates say nothing comparable: its resident population is too small beside the people who work in and visit the City'
WHERE :force = 'E23000034'
UNION ALL
SELECT count(*) || ' metrics created by imports are not in the profile (metrics.in_profile = 0): see them with peel run trend FORCE METRIC or peel run compare METRIC'
FROM metrics WHERE in_profile = 0
HAVING count(*) > 0"
    ),
    shapes: &[
        Shape {
            grid: Some(GradeGrid::Named {
                label: &["pillar", "question_code"],
                columns: &[("grade", "cycle")],
            }),
            ..Shape::PLAIN
        },
        Shape {
            chart: Some(Chart::Bars {
                label: &["metric"],
                value: "ratio",
                title: &["area_name"],
            }),
            pivot: None,
            grid: None,
        },
    ],
};

/// `grades`.
pub const GRADES: CannedQuery = CannedQuery {
    name: "grades",
    results: &[],
    summary: "The grade grid for a year (latest when omitted): forces by pillar, question or area, with which forces have no grade",
    params: &[
        ParamSpec {
            name: "year",
            kind: Kind::Year,
            default: Latest,
            help: "a PEEL year: 2016, or 2018/19; the latest with grades when omitted",
        },
        PILLAR,
    ],
    example: "2016 effectiveness",
    sql: "SELECT j.area_code, j.area_name,
       CASE WHEN j.level = 'pillar' THEN j.pillar ELSE j.question_code END AS question,
       j.grade || CASE WHEN j.derived = 1 THEN ' (derived)' ELSE '' END AS grade,
       (SELECT q.question_id FROM questions q WHERE q.code = j.question_code) AS question_order,
       j.source || CASE WHEN j.derived = 1 THEN ' (the grade is derived from it, not stated)' ELSE '' END
       || ifnull(char(10) || j.other_sources, '') AS _sources
FROM v_judgments j
WHERE j.year = :year AND j.area_kind = 'force' AND (:pillar IS NULL OR j.pillar = :pillar)
ORDER BY j.area_name, question_order",
    notes: concat!(
        "SELECT note FROM (
  SELECT ",
        coverage_note!(),
        " AS note
  FROM v_item_coverage cv
  WHERE cv.year = :year AND (:pillar IS NULL OR cv.pillar = :pillar) AND cv.forces_held > 0
  ORDER BY cv.level <> 'pillar', cv.pillar, cv.question_code)
UNION ALL
SELECT max(cycle) || ': no grades held for ' || group_concat(question_code, ', ')
FROM v_item_coverage
WHERE year = :year AND (:pillar IS NULL OR pillar = :pillar) AND forces_held = 0
HAVING count(*) > 0
UNION ALL
SELECT 'an empty cell is a grade the database does not hold, not an ungraded force'
WHERE EXISTS (SELECT 1 FROM v_item_coverage WHERE year = :year AND (:pillar IS NULL OR pillar = :pillar)
              AND forces_held BETWEEN 1 AND forces - 1)
UNION ALL
SELECT label || ' has no pillars (graded areas replaced them), so no grade matches pillar ' || :pillar
FROM cycles WHERE year = :year AND has_pillars = 0 AND :pillar IS NOT NULL"
    ),
    shapes: &[Shape {
        chart: None,
        pivot: Some(Pivot {
            rows: &["area_code", "area_name"],
            column: "question",
            value: "grade",
            order: Some("question_order"),
        }),
        grid: None,
    }],
};

/// The pairs `grade-changes` compares: each force's grade in `:from_year` and `:to_year`
/// on the same series, with both grades ranked on the later cycle's scale. CTEs `a`, `b`,
/// `pairs` and `ranked`.
macro_rules! grade_pairs {
    () => {
        "WITH a AS (SELECT * FROM v_judgments
           WHERE year = :from_year AND area_kind = 'force' AND (:pillar IS NULL OR pillar = :pillar)),
     b AS (SELECT * FROM v_judgments
           WHERE year = :to_year AND area_kind = 'force' AND (:pillar IS NULL OR pillar = :pillar)),
     pairs AS (
  SELECT a.area_code, a.area_name, a.level, a.pillar, a.series,
         a.question_code AS from_item, b.question_code AS to_item,
         a.cycle AS from_cycle, a.grade AS from_grade, a.scale AS from_scale, a.derived AS from_derived,
         b.cycle AS to_cycle, b.grade AS to_grade, b.scale AS to_scale, b.derived AS to_derived,
         b.carried_over AS carried_over,
         CASE WHEN b.year >= a.year THEN b.scale ELSE a.scale END AS common_scale,
         a.source || CASE WHEN a.derived = 1 THEN ' (the grade is derived from it, not stated)' ELSE '' END
       || ifnull(char(10) || a.other_sources, '') || char(10)
           || b.source || CASE WHEN b.derived = 1 THEN ' (the grade is derived from it, not stated)' ELSE '' END
       || ifnull(char(10) || b.other_sources, '') AS _sources
  FROM a JOIN b ON b.area_code = a.area_code AND b.series = a.series
), ranked AS (
  SELECT p.*,
         (SELECT g.rank FROM grades g JOIN grade_scales s ON s.scale_id = g.scale_id
           WHERE s.code = p.common_scale AND g.name = p.from_grade) AS from_rank,
         (SELECT g.rank FROM grades g JOIN grade_scales s ON s.scale_id = g.scale_id
           WHERE s.code = p.common_scale AND g.name = p.to_grade) AS to_rank
  FROM pairs p
)"
    };
}

/// `grade-changes`.
pub const GRADE_CHANGES: CannedQuery = CannedQuery {
    name: "grade-changes",
    results: &[],
    summary: "Forces whose grade moved between two years, up or down (by grade rank), per pillar, question or area, comparing only forces graded in both",
    params: &[
        ParamSpec {
            name: "from_year",
            kind: Kind::Year,
            default: Required,
            help: "the earlier PEEL year",
        },
        ParamSpec {
            name: "to_year",
            kind: Kind::Year,
            default: Required,
            help: "the later PEEL year",
        },
        PILLAR,
    ],
    example: "2016 2017",
    sql: concat!(
        grade_pairs!(),
        "
SELECT area_code, area_name, pillar, from_item, from_cycle, from_grade, to_item, to_cycle, to_grade,
       CASE WHEN to_rank > from_rank THEN 'up' ELSE 'down' END AS direction,
       to_rank - from_rank AS steps,
       CASE WHEN from_derived = 1 AND to_derived = 1 THEN 'both'
            WHEN from_derived = 1 THEN 'from' WHEN to_derived = 1 THEN 'to' END AS derived,
       CASE WHEN from_scale <> to_scale
            THEN from_scale || ' to ' || to_scale || ': compared by rank on the ' || common_scale || ' scale'
       END AS scale_note,
       _sources
FROM ranked
WHERE from_rank IS NOT NULL AND to_rank IS NOT NULL AND from_rank <> to_rank
ORDER BY direction = 'down', area_name, level <> 'pillar', pillar, series"
    ),
    notes: concat!(
        grade_pairs!(),
        "
SELECT CASE WHEN max(level) = 'pillar' THEN max(pillar) || ' (' || max(from_item) || ' to ' || max(to_item) || ')'
            ELSE max(from_item) || ' to ' || max(to_item) END || ': '
       || sum(from_rank IS NOT NULL AND to_rank IS NOT NULL) || ' of '
       || (SELECT count(*) FROM areas WHERE kind = 'force') || ' forces graded in both years are compared ('
       || sum(to_rank > from_rank) || ' up, ' || sum(to_rank < from_rank) || ' down, '
       || sum(to_rank = from_rank) || ' the same)'
       || CASE WHEN sum(carried_over) > 0
               THEN '; carried over from an earlier inspection (not re-inspected): ' || sum(carried_over)
                    || ' of the ' || max(to_cycle) || ' grades'
               ELSE '' END
       || CASE WHEN sum(from_derived = 1 OR to_derived = 1) > 0
               THEN '; ' || sum(from_derived = 1 OR to_derived = 1) || ' comparisons involve a derived grade (see the derived column)'
               ELSE '' END
       || CASE WHEN sum(from_rank IS NULL OR to_rank IS NULL) > 0
               THEN '; ' || sum(from_rank IS NULL OR to_rank IS NULL) || ' not graded by HMICFRS in one of the years'
               ELSE '' END
FROM ranked
GROUP BY series
UNION ALL
SELECT CASE WHEN NOT EXISTS (
              SELECT 1 FROM questions qa JOIN questions qb ON qb.series = qa.series
              WHERE qa.cycle_id = fc.cycle_id AND qb.cycle_id = tc.cycle_id
                AND qa.graded = 1 AND qb.graded = 1 AND (:pillar IS NULL OR qa.pillar = :pillar))
            THEN fc.label || ' and ' || tc.label || ' share no graded question: HMICFRS changed what it graded'
                 || CASE WHEN fc.has_pillars <> tc.has_pillars
                         THEN ' (pillars gave way to areas of policing in 2021/22)' ELSE '' END
                 || '; see peel run items'
            ELSE 'no force has a grade held on the same question in both ' || fc.label || ' and ' || tc.label
       END
FROM cycles fc, cycles tc
WHERE fc.year = :from_year AND tc.year = :to_year AND NOT EXISTS (SELECT 1 FROM pairs)
UNION ALL
SELECT fc.label || ' is graded on the ' || fs.code || ' scale and ' || tc.label || ' on ' || ts.code
       || ' (Adequate is new, between Good and Requires improvement); grades compare by rank, each placed on the '
       || CASE WHEN tc.year >= fc.year THEN ts.code ELSE fs.code END || ' scale by name'
FROM cycles fc JOIN grade_scales fs ON fs.scale_id = fc.scale_id,
     cycles tc JOIN grade_scales ts ON ts.scale_id = tc.scale_id
WHERE fc.year = :from_year AND tc.year = :to_year AND fs.code <> ts.code
UNION ALL
SELECT label || ' has no pillars, so no grade matches pillar ' || :pillar
FROM cycles WHERE year IN (:from_year, :to_year) AND has_pillars = 0 AND :pillar IS NOT NULL"
    ),
    shapes: &[Shape {
        chart: Some(Chart::Bars {
            label: &["area_name", "pillar", "to_item"],
            value: "steps",
            title: &["from_cycle", "to_cycle"],
        }),
        pivot: None,
        grid: Some(GradeGrid::Named {
            label: &["area_name", "to_item"],
            columns: &[("from_grade", "from_cycle"), ("to_grade", "to_cycle")],
        }),
    }],
};

/// `grade-counts`.
pub const GRADE_COUNTS: CannedQuery = CannedQuery {
    name: "grade-counts",
    results: &[],
    summary: "How many forces got each grade, per pillar, question or area, for a year (latest when omitted), beside the published national count",
    params: &[ParamSpec {
        name: "year",
        kind: Kind::Year,
        default: Latest,
        help: "a PEEL year; the latest with grades when omitted",
    }],
    example: "2016",
    sql: "WITH counted AS (
  SELECT cv.cycle, cv.level, cv.pillar, cv.question_code, cv.forces_held, g.name AS grade, g.rank AS grade_rank,
         (SELECT count(*) FROM v_judgments j
           WHERE j.question_code = cv.question_code AND j.area_kind = 'force' AND j.grade = g.name) AS held,
         t.published, t.published_partial, t.published_source,
         (SELECT group_concat(source, char(10)) FROM (
            SELECT DISTINCT j.source FROM v_judgments j
            WHERE j.question_code = cv.question_code AND j.area_kind = 'force' AND j.grade = g.name)) AS grade_sources
  FROM v_item_coverage cv
  JOIN cycles c ON c.year = cv.year
  JOIN grades g ON g.scale_id = c.scale_id
  LEFT JOIN v_grade_tally t ON t.scope = 'national' AND cv.level = 'pillar' AND t.year = cv.year
                           AND t.pillar = cv.pillar AND t.grade = g.name
  WHERE cv.year = :year AND cv.forces_held > 0
)
SELECT cycle, pillar, question_code, grade, grade_rank, held, forces_held, published,
       CASE WHEN published IS NULL THEN NULL
            WHEN published_partial = 1 THEN 'published count partial'
            WHEN held = published THEN 'same'
            ELSE 'differs' END AS held_vs_published,
       trim(ifnull(grade_sources, '') || ifnull(char(10) || published_source, ''), char(10)) AS _sources
FROM counted
WHERE grade_rank IS NOT NULL OR held > 0 OR published > 0
ORDER BY level <> 'pillar', pillar IS NULL, pillar, question_code, grade_rank IS NULL, grade_rank DESC",
    notes: "SELECT t.cycle || ' ' || t.pillar || ': held grades of ' || max(t.forces_held) || ' of '
       || (SELECT count(*) FROM areas WHERE kind = 'force') || ' forces'
       || CASE WHEN max(t.published_partial) = 1
               THEN '; HMICFRS published only part of the count ('
                    || group_concat(CASE WHEN t.published IS NOT NULL THEN t.grade || ' ' || t.published END, ', ')
                    || '), so held and published cannot be compared'
               WHEN sum(t.held <> ifnull(t.published, 0)) = 0
               THEN '; held = published (' || group_concat(CASE WHEN t.grade_rank IS NOT NULL OR t.held > 0
                    THEN t.grade || ' ' || t.held END, ', ' ORDER BY t.grade_rank DESC) || ')'
               ELSE '; held differs from published: held '
                    || group_concat(CASE WHEN t.grade_rank IS NOT NULL OR t.held > 0 OR t.published > 0
                       THEN t.grade || ' ' || t.held END, ', ' ORDER BY t.grade_rank DESC) || ', published '
                    || group_concat(CASE WHEN t.grade_rank IS NOT NULL OR t.held > 0 OR t.published > 0
                       THEN t.grade || ' ' || ifnull(t.published, 'not stated') END, ', ' ORDER BY t.grade_rank DESC)
          END
FROM v_grade_tally t
WHERE t.scope = 'national' AND t.year = :year
GROUP BY t.pillar
HAVING count(t.published) > 0
UNION ALL
SELECT cv.cycle || ' ' || CASE WHEN cv.level = 'pillar' THEN cv.pillar ELSE cv.question_code END
       || ': grades held for ' || cv.forces_held || ' of ' || cv.forces
       || ' forces; the database holds no national count for it'
FROM v_item_coverage cv
WHERE cv.year = :year AND cv.forces_held > 0 AND NOT EXISTS (
  SELECT 1 FROM v_grade_tally t WHERE t.scope = 'national' AND t.year = cv.year AND cv.level = 'pillar'
     AND t.pillar = cv.pillar AND t.published IS NOT NULL)",
    shapes: &[Shape {
        chart: Some(Chart::Bars {
            label: &["pillar", "question_code", "grade"],
            value: "held",
            title: &["cycle"],
        }),
        pivot: None,
        grid: None,
    }],
};

/// `graded`.
pub const GRADED: CannedQuery = CannedQuery {
    name: "graded",
    results: &[],
    summary: "Forces given a grade (Inadequate, RI, ...) in a year (every year when omitted), with how many forces each count is out of",
    params: &[
        ParamSpec {
            name: "grade",
            kind: Kind::Grade { year: Some("year") },
            default: Required,
            help: "a grade of the year's scale: Outstanding, Good, Adequate (2021/22 on), Requires improvement (RI), Inadequate, Not graded",
        },
        ParamSpec {
            name: "year",
            kind: Kind::Year,
            default: All,
            help: "a PEEL year; every year when omitted",
        },
        PILLAR,
    ],
    example: "inadequate 2016",
    sql: "SELECT j.area_code, j.area_name, j.cycle, j.pillar, j.question_code, j.question, j.grade,
       j.trust, j.derived, j.carried_over, j.source || CASE WHEN j.derived = 1 THEN ' (the grade is derived from it, not stated)' ELSE '' END
       || ifnull(char(10) || j.other_sources, '') AS _sources
FROM v_judgments j
WHERE j.grade = :grade AND j.area_kind = 'force' AND (:year IS NULL OR j.year = :year)
  AND (:pillar IS NULL OR j.pillar = :pillar)
ORDER BY j.year DESC, j.level <> 'pillar', j.pillar IS NULL, j.pillar, j.question_code, j.area_name",
    notes: "SELECT note FROM (
  SELECT cv.cycle || ' ' || CASE WHEN cv.level = 'pillar' THEN cv.pillar ELSE cv.question_code END || ': '
         || count(j.area_code) || ' ' || :grade || ' among the ' || cv.forces_held || ' of ' || cv.forces
         || ' forces held' AS note
  FROM v_item_coverage cv
  LEFT JOIN v_judgments j ON j.question_code = cv.question_code AND j.grade = :grade AND j.area_kind = 'force'
  WHERE (:year IS NULL OR cv.year = :year) AND (:pillar IS NULL OR cv.pillar = :pillar)
    AND cv.forces_held > 0 AND (cv.level = 'pillar' OR cv.level = 'area' OR j.area_code IS NOT NULL)
  GROUP BY cv.question_code
  HAVING count(j.area_code) > 0 OR :year IS NOT NULL
  ORDER BY cv.year DESC, cv.level <> 'pillar', cv.pillar, cv.question_code)
UNION ALL
SELECT label || ' has no pillars (graded areas replaced them), so no grade matches pillar ' || :pillar
FROM cycles WHERE year = :year AND has_pillars = 0 AND :pillar IS NOT NULL",
    shapes: &[Shape::PLAIN],
};

/// `history`.
pub const HISTORY: CannedQuery = CannedQuery {
    name: "history",
    results: &[],
    summary: "Every grade a force was given, year by year, with the move from its previous grade on the same question",
    params: &[FORCE, PILLAR],
    example: "cambs",
    sql: "WITH j AS (
  SELECT v.*,
         lag(v.cycle) OVER w AS previous_cycle,
         lag(v.grade) OVER w AS previous_grade,
         lag(v.scale) OVER w AS previous_scale
  FROM v_judgments v
  WHERE v.area_code = :force AND (:pillar IS NULL OR v.pillar = :pillar)
  WINDOW w AS (PARTITION BY v.series ORDER BY v.year)
)
SELECT j.area_name, j.pillar, j.question_code, j.cycle, j.grade, j.previous_cycle, j.previous_grade,
       CASE WHEN j.grade_rank IS NULL OR pg.rank IS NULL THEN NULL
            WHEN j.grade_rank > pg.rank THEN 'up'
            WHEN j.grade_rank < pg.rank THEN 'down'
            ELSE 'same' END AS direction,
       CASE WHEN j.previous_scale <> j.scale
            THEN j.previous_scale || ' to ' || j.scale || ': compared by rank on the ' || j.scale || ' scale'
       END AS scale_note,
       j.trust, j.derived, j.carried_over, j.series,
       j.source || CASE WHEN j.derived = 1 THEN ' (the grade is derived from it, not stated)' ELSE '' END
       || ifnull(char(10) || j.other_sources, '') AS _sources
FROM j
LEFT JOIN grade_scales cs ON cs.code = j.scale
LEFT JOIN grades pg ON pg.scale_id = cs.scale_id AND pg.name = j.previous_grade
ORDER BY j.level <> 'pillar', j.pillar IS NULL, j.pillar, j.series, j.year",
    notes: "WITH me AS (SELECT area_id, short_name FROM areas WHERE code = :force),
per AS (
  SELECT c.year, c.label, count(q.question_id) AS items, count(j.judgment_id) AS held
  FROM cycles c
  JOIN questions q ON q.cycle_id = c.cycle_id AND q.graded = 1 AND (:pillar IS NULL OR q.pillar = :pillar)
  LEFT JOIN judgments j ON j.question_id = q.question_id AND j.area_id = (SELECT area_id FROM me)
  GROUP BY c.cycle_id
)
SELECT (SELECT short_name FROM me) || ': grades held for '
       || group_concat(label || ' ' || held || ' of ' || items, ', ' ORDER BY year)
       || ' graded items (a question not held here may still have been graded)'
FROM per
UNION ALL
SELECT 'these grades span the 2019/2021 change of scale (peel-4 to peel-5, which adds Adequate); grades compare by rank within each scale'
WHERE (SELECT count(DISTINCT scale) FROM v_judgments
       WHERE area_code = :force AND (:pillar IS NULL OR pillar = :pillar)) > 1",
    shapes: &[Shape {
        grid: Some(GradeGrid::Long {
            label: &["pillar", "series"],
            column: "cycle",
            value: "grade",
        }),
        ..Shape::PLAIN
    }],
};

/// The figures `beside` shows for metric parameter `$m`: every force's value of that
/// metric for its latest period ending in the cycle's first year, ranked (City of London
/// left out of per-head ranks). A CTE body.
macro_rules! figures_in_year {
    ($m:literal) => {
        concat!(
            "SELECT v.area_code, v.value, v.period_label,
         CASE WHEN v.area_code = 'E23000034' AND v.unit IN ('per 1,000 population', 'per million population')
              THEN NULL ELSE rank() OVER (PARTITION BY v.area_code = 'E23000034' AND v.unit IN ('per 1,000 population', 'per million population')
                                          ORDER BY v.value DESC) END AS rank
  FROM v_metric_values v
  WHERE v.metric_code = ",
            $m,
            " AND v.area_kind = 'force'
    AND v.period_end = (SELECT max(p.end_date) FROM periods p
                        JOIN period_metric_counts pc ON pc.period_id = p.period_id
                        JOIN metrics m ON m.metric_id = pc.metric_id
                        WHERE m.code = ",
            $m,
            " AND substr(p.end_date, 1, 4) = CAST(:year AS TEXT))"
        )
    };
}

/// `beside`.
pub const BESIDE: CannedQuery = CannedQuery {
    name: "beside",
    results: &[],
    summary: "Every force's pillar grade for a year beside two of its figures for the same year (officers and crime per 1,000 by default), each ranked",
    params: &[
        ParamSpec {
            name: "year",
            kind: Kind::Year,
            default: Required,
            help: "a PEEL year with pillars: 2014 to 2018/19",
        },
        ParamSpec {
            name: "pillar",
            kind: Kind::Pillar,
            default: Value("effectiveness"),
            help: "effectiveness, efficiency or legitimacy; effectiveness when omitted",
        },
        ParamSpec {
            name: "metric",
            kind: Kind::Metric,
            default: Value("officer-fte-per-1000"),
            help: "the first figure; officer-fte-per-1000 when omitted",
        },
        ParamSpec {
            name: "metric2",
            kind: Kind::Metric,
            default: Value("recorded-crime-per-1000"),
            help: "the second figure; recorded-crime-per-1000 when omitted",
        },
    ],
    example: "2017 effectiveness",
    sql: concat!(
        "WITH g AS (
  SELECT area_code, grade, grade_rank, derived,
         source || ifnull(char(10) || other_sources, '') AS sources
  FROM v_judgments WHERE year = :year AND level = 'pillar' AND pillar = :pillar AND area_kind = 'force'
), f1 AS (",
        figures_in_year!(":metric"),
        "), f2 AS (",
        figures_in_year!(":metric2"),
        ")
SELECT a.code AS area_code, a.short_name AS area_name,
       g.grade || CASE WHEN g.derived = 1 THEN ' (derived)' ELSE '' END AS grade,
       :metric AS metric, f1.period_label AS period, f1.value, f1.rank,
       :metric2 AS metric2, f2.period_label AS period2, f2.value AS value2, f2.rank AS rank2,
       g.sources AS _sources
FROM areas a
LEFT JOIN g ON g.area_code = a.code
LEFT JOIN f1 ON f1.area_code = a.code
LEFT JOIN f2 ON f2.area_code = a.code
WHERE a.kind = 'force'
ORDER BY g.grade_rank IS NULL, g.grade_rank DESC, f1.rank IS NULL, f1.rank, a.short_name"
    ),
    notes: "SELECT cv.cycle || ' ' || cv.pillar || ': ' || cv.forces_held || ' of ' || cv.forces || ' forces graded'
       || CASE WHEN cv.forces_held < cv.forces AND cv.forces - cv.forces_held <= 12
               THEN '; not in the database: ' || cv.forces_not_held ELSE '' END
FROM v_item_coverage cv WHERE cv.year = :year AND cv.level = 'pillar' AND cv.pillar = :pillar
UNION ALL
SELECT label || ' graded areas, not pillars: beside needs a year from 2014 to 2018/19'
FROM cycles WHERE year = :year AND has_pillars = 0
UNION ALL
SELECT m.code || ': ' || CASE WHEN p.label IS NULL
            THEN 'no figure for a period ending in ' || :year || ' in this database'
            ELSE p.label || ' (the latest period ending in ' || :year || '), '
                 || (SELECT count(*) FROM v_metric_values v WHERE v.metric_code = m.code
                       AND v.period_label = p.label AND v.area_kind = 'force') || ' of 43 forces' END
       || CASE WHEN m.unit IN ('per 1,000 population', 'per million population')
               THEN '; City of London is not ranked (its resident population is too small for per-head rates)' ELSE '' END
FROM metrics m
LEFT JOIN periods p ON p.end_date = (SELECT max(pp.end_date) FROM periods pp
                                     JOIN period_metric_counts pc ON pc.period_id = pp.period_id
                                     WHERE pc.metric_id = m.metric_id AND substr(pp.end_date, 1, 4) = CAST(:year AS TEXT))
                   AND EXISTS (SELECT 1 FROM period_metric_counts pc WHERE pc.period_id = p.period_id AND pc.metric_id = m.metric_id)
WHERE m.code IN (:metric, :metric2)
UNION ALL
SELECT 'a grade and a figure side by side are not cause and effect: ranks show where forces stand, not why'",
    shapes: &[Shape::PLAIN],
};

/// `items`.
pub const ITEMS: CannedQuery = CannedQuery {
    name: "items",
    results: &[],
    summary: "What each cycle graded (pillars, questions, areas) with its code, the item it continues, and how many forces the database holds a grade for",
    params: &[ParamSpec {
        name: "year",
        kind: Kind::Year,
        default: All,
        help: "a PEEL year; every year when omitted",
    }],
    example: "2017",
    sql:
        "SELECT c.label AS cycle, q.level, q.pillar, q.code AS question_code, q.wording AS question,
       CASE q.graded WHEN 1 THEN 'yes' ELSE 'no' END AS graded,
       (SELECT p.code FROM questions p JOIN cycles pc ON pc.cycle_id = p.cycle_id
         WHERE p.series = q.series AND pc.year < c.year ORDER BY pc.year DESC LIMIT 1) AS continues,
       cv.forces_held, cv.forces_not_held
FROM questions q
JOIN cycles c ON c.cycle_id = q.cycle_id
LEFT JOIN v_item_coverage cv ON cv.question_code = q.code
WHERE :year IS NULL OR c.year = :year
ORDER BY c.year, q.question_id",
    notes: "",
    shapes: &[Shape::PLAIN],
};

/// `improvements`.
pub const IMPROVEMENTS: CannedQuery = CannedQuery {
    name: "improvements",
    results: &[],
    summary: "Areas for improvement by force, report and question (every force when omitted), from the imported reports",
    params: &[ParamSpec {
        name: "force",
        kind: Kind::Force,
        default: All,
        help: "a force; every force when omitted",
    }],
    example: "cambs",
    sql: "SELECT i.area_code, i.area_name, i.cycle, i.pillar, i.question_code, i.ordinal, i.text,
       i.report, 'report: ' || i.report AS _sources
FROM v_improvements i
WHERE :force IS NULL OR i.area_code = :force
ORDER BY i.area_name, i.year, i.pillar IS NULL, i.pillar, i.source_line, i.ordinal",
    notes: "SELECT 'areas for improvement are held only for imported reports ('
       || CASE count(*) WHEN 0 THEN 'none imported yet'
               ELSE count(*) || ' imported: ' || group_concat(r.title || ', ' || a.short_name, '; ') END
       || '); import more with peel import report'
FROM reports r JOIN areas a ON a.area_id = r.area_id
UNION ALL
SELECT 'no report about ' || short_name || ' has been imported, so none of its areas for improvement are held'
FROM areas WHERE code = :force
  AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.area_id = areas.area_id)",
    shapes: &[Shape::PLAIN],
};

/// `years`.
pub const YEARS: CannedQuery = CannedQuery {
    name: "years",
    results: &[],
    summary: "The PEEL years (cycles), their grading scale, what they graded, and how many grades the database holds for each",
    params: &[],
    example: "",
    sql: "SELECT c.year, c.label AS cycle, s.code AS scale,
       CASE c.has_pillars WHEN 1 THEN 'pillars' ELSE 'graded areas' END AS graded_on,
       (SELECT count(*) FROM questions q WHERE q.cycle_id = c.cycle_id AND q.graded = 1) AS graded_items,
       (SELECT count(*) FROM judgments j JOIN questions q ON q.question_id = j.question_id
         WHERE q.cycle_id = c.cycle_id) AS judgments,
       (SELECT count(DISTINCT j.area_id) FROM judgments j JOIN questions q ON q.question_id = j.question_id
         WHERE q.cycle_id = c.cycle_id) AS forces_graded,
       (SELECT count(*) FROM judgments j JOIN questions q ON q.question_id = j.question_id
         WHERE q.cycle_id = c.cycle_id AND j.derived = 1) AS derived,
       c.note
FROM cycles c JOIN grade_scales s ON s.scale_id = c.scale_id
ORDER BY c.year",
    notes: "",
    shapes: &[Shape::PLAIN],
};

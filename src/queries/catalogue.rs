//! The canned queries: each a question analysts ask, as SQL over the views with `:named`
//! parameters, the parameters' types and defaults, and how the result is best drawn.
//!
//! Conventions every query here follows (and the catalogue test checks the first three):
//! - it only reads, and declares exactly the parameters its SQL uses;
//! - optional parameters whose default is "all" arrive as NULL and the SQL says
//!   `(:p IS NULL OR ...)`; nothing else is ever NULL;
//! - a row's sources are in a `_sources` column, one per line (see `output::provenance`);
//! - a `role` column marks England and Wales as `reference` and a chosen force as
//!   `selected`, which the chart draws differently;
//! - grades compare by rank within a scale; where two grades come from different scales
//!   (peel-4 before 2021/22, peel-5 after), each is placed on the later scale by name and
//!   a `scale_note` column says so.

use super::{CannedQuery, Chart, Fallback::*, Kind, ParamSpec, Shape};

/// The `_sources` of a row from `v_judgments` or `v_metric_values` aliased `x`: the
/// source, and the imported report when there is one. (A macro, so it can be pasted into
/// the SQL literals with `concat!`.)
macro_rules! sources {
    ($x:literal) => {
        concat!(
            $x,
            ".source || ifnull(char(10) || 'report: ' || (SELECT title FROM reports WHERE report_id = ",
            $x,
            ".report_id), '')"
        )
    };
}

/// Compares a grade with an earlier one by rank, placing the earlier grade on the later
/// grade's scale by name (all peel-4 grades exist in peel-5). Expects columns `grade`,
/// `grade_rank`, `scale`, `previous_grade`, `previous_scale` on `j`.
macro_rules! direction_columns {
    () => {
        "CASE WHEN j.grade_rank IS NULL OR pg.rank IS NULL THEN NULL
              WHEN j.grade_rank > pg.rank THEN 'up'
              WHEN j.grade_rank < pg.rank THEN 'down'
              ELSE 'same' END AS direction,
         CASE WHEN j.previous_scale <> j.scale
              THEN j.previous_scale || ' to ' || j.scale || ': compared by rank on the ' || j.scale || ' scale'
         END AS scale_note"
    };
}

/// Joins `pg`, the previous grade on the current judgment's scale, for `direction_columns`.
macro_rules! previous_grade_join {
    () => {
        "LEFT JOIN grade_scales cs ON cs.code = j.scale
         LEFT JOIN grades pg ON pg.scale_id = cs.scale_id AND pg.name = j.previous_grade"
    };
}

const FORCE: ParamSpec = ParamSpec {
    name: "force",
    kind: Kind::Force,
    default: Required,
    help: "a force: ONS code, slug, name, alias, abbreviation (cambs, GMP) or fragment (Met)",
};

const METRIC: ParamSpec = ParamSpec {
    name: "metric",
    kind: Kind::Metric,
    default: Required,
    help: "a metric: code (officer-fte), name or fragment; see `peel run metrics`",
};

const PERIOD: ParamSpec = ParamSpec {
    name: "period",
    kind: Kind::Period { metric: "metric" },
    default: Latest,
    help: "a period: label, ISO end date (2015-03-31), or a year for the latest period ending in it",
};

const PILLAR: ParamSpec = ParamSpec {
    name: "pillar",
    kind: Kind::Pillar,
    default: All,
    help: "effectiveness, efficiency or legitimacy (2014 to 2018/19; later years have graded areas)",
};

/// Every canned query, in the order `peel queries` lists them.
pub const CATALOGUE: &[CannedQuery] = &[
    CannedQuery {
        name: "force",
        summary: "A force's profile: latest grade per pillar/question, and its latest figures beside England and Wales",
        params: &[FORCE],
        example: "cambs",
        sql: concat!(
            "WITH j AS (
  SELECT v.*,
         row_number() OVER w AS n,
         lead(v.cycle) OVER w AS previous_cycle,
         lead(v.grade) OVER w AS previous_grade,
         lead(v.scale) OVER w AS previous_scale
  FROM v_judgments v
  WHERE v.area_code = :force
  WINDOW w AS (PARTITION BY ifnull(v.pillar, ''), v.question_code ORDER BY v.year DESC)
)
SELECT j.area_name, j.cycle, j.pillar, j.question_code, j.grade,
       j.previous_cycle, j.previous_grade,
       ",
            direction_columns!(),
            ",
       ",
            sources!("j"),
            " AS _sources
FROM j
",
            previous_grade_join!(),
            "
WHERE j.n = 1
ORDER BY j.year DESC, j.pillar IS NULL, j.pillar, j.question_code <> 'overall', j.question_code;

WITH me AS (SELECT area_id FROM areas WHERE code = :force),
-- From the base tables: through the view every one of the force's figures would be
-- joined to its source and England and Wales value just to find the latest period.
latest AS (
  SELECT v.metric_id, max(p.end_date) AS period_end
  FROM metric_values v JOIN periods p ON p.period_id = v.period_id
  WHERE v.area_id = (SELECT area_id FROM me)
  GROUP BY v.metric_id
), shown AS (
  SELECT x.metric_id, x.period_id, m.code AS metric_code, p.label AS period_label
  FROM latest l JOIN metrics m ON m.metric_id = l.metric_id
  JOIN periods p ON p.end_date = l.period_end
  JOIN metric_values x ON x.metric_id = l.metric_id AND x.period_id = p.period_id
                      AND x.area_id = (SELECT area_id FROM me)
), ranked AS (
  -- Every force's figure for the shown metrics and periods, ranked once.
  SELECT o.metric_id, o.period_id, o.area_id,
         rank() OVER w AS rank, count(*) OVER w AS of_forces
  FROM shown s JOIN metric_values o ON o.metric_id = s.metric_id AND o.period_id = s.period_id
  JOIN areas oa ON oa.area_id = o.area_id AND oa.kind = 'force'
  WINDOW w AS (PARTITION BY o.metric_id, o.period_id ORDER BY o.value DESC
               RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
)
SELECT v.area_name, v.metric_code AS metric, v.metric_name, v.unit, v.period_label AS period,
       v.value, v.national_value, round(v.difference, 4) AS difference, v.ratio,
       r.rank, r.of_forces,
       ",
            sources!("v"),
            " AS _sources
FROM shown s
JOIN v_metric_values v
  ON v.area_code = :force AND v.metric_code = s.metric_code AND v.period_label = s.period_label
JOIN ranked r ON r.metric_id = s.metric_id AND r.period_id = s.period_id
                  AND r.area_id = (SELECT area_id FROM me)
ORDER BY v.metric_code;"
        ),
        notes: "SELECT 'this force''s grades span the 2019/2021 change of scale (peel-4 to peel-5, which adds Adequate); grades compare by rank within each scale'
WHERE (SELECT count(DISTINCT scale) FROM v_judgments WHERE area_code = :force) > 1",
        shapes: &[
            Shape::PLAIN,
            Shape {
                chart: Some(Chart::Bars {
                    label: &["metric"],
                    value: "ratio",
                    title: &["area_name"],
                }),
                pivot: None,
            },
        ],
    },
    CannedQuery {
        name: "compare",
        summary: "All areas ranked on a metric for a period (latest when omitted), England and Wales as the reference row",
        params: &[
            METRIC,
            PERIOD,
            ParamSpec {
                name: "kind",
                kind: Kind::AreaKind,
                default: Value("force"),
                help: "which areas to rank: force, region, country or all",
            },
        ],
        example: "officer-fte 2015",
        sql: concat!(
            "WITH v AS (
  SELECT mv.*, m.higher_is_better, ",
            sources!("mv"),
            " AS _sources
  FROM v_metric_values mv JOIN metrics m ON m.code = mv.metric_code
  WHERE mv.metric_code = :metric AND mv.period_label = :period
), ranked AS (
  SELECT rank() OVER (ORDER BY v.value DESC) AS rank, 'area' AS role, v.* FROM v
  WHERE v.area_kind <> 'national' AND (:kind = 'all' OR v.area_kind = :kind)
  UNION ALL
  SELECT NULL, 'reference', v.* FROM v WHERE v.area_kind = 'national'
)
SELECT rank, area_code, area_name, area_kind, value, round(difference, 4) AS difference, ratio,
       CASE WHEN role = 'reference' OR national_value IS NULL
                 OR unit IN ('count', 'persons', 'households', 'fte') THEN NULL
            ELSE CASE WHEN value > national_value THEN 'higher'
                      WHEN value < national_value THEN 'lower' ELSE 'same' END
                 || CASE WHEN higher_is_better IS NULL OR value = national_value THEN ''
                         WHEN (value > national_value) = (higher_is_better = 1) THEN ' (better)'
                         ELSE ' (worse)' END
       END AS vs_national,
       role, metric_code AS metric, period_label AS period, unit, _sources
FROM ranked
ORDER BY role = 'reference' DESC, rank, area_name"
        ),
        notes: "",
        shapes: &[Shape {
            chart: Some(Chart::Bars {
                label: &["area_name"],
                value: "value",
                title: &["metric", "period", "unit"],
            }),
            pivot: None,
        }],
    },
    CannedQuery {
        name: "trend",
        summary: "A metric for a force (or any area) across all periods, with the change between periods and England and Wales beside it",
        params: &[
            ParamSpec {
                name: "force",
                kind: Kind::Area,
                default: Required,
                help: "a force, or any area (a region, England and Wales)",
            },
            ParamSpec {
                name: "metric",
                kind: Kind::Metric,
                default: All,
                help: "a metric; every metric when omitted",
            },
        ],
        example: "cambs officer-fte",
        sql: concat!(
            "SELECT v.area_name, v.metric_code AS metric, v.metric_name, v.unit,
       v.period_label AS period, v.period_end, v.value,
       round(v.value - lag(v.value) OVER w, 4) AS change,
       round(100.0 * (v.value - lag(v.value) OVER w) / lag(v.value) OVER w, 2) AS change_pct,
       v.national_value,
       round(v.national_value - lag(v.national_value) OVER w, 4) AS national_change,
       v.ratio,
       ",
            sources!("v"),
            " AS _sources
FROM (-- Two branches rather than `:metric IS NULL OR ...`, which SQLite plans before it
      -- sees the value and so reads every figure of the area; each branch seeks its index.
      SELECT * FROM v_metric_values WHERE area_code = :force AND metric_code = :metric
      UNION ALL
      SELECT * FROM v_metric_values WHERE area_code = :force AND :metric IS NULL) v
WINDOW w AS (PARTITION BY v.metric_code, v.period_kind ORDER BY v.period_end)
ORDER BY v.metric_code, v.period_kind, v.period_end"
        ),
        notes: "",
        shapes: &[Shape {
            chart: Some(Chart::Sparklines {
                series: &["metric_name", "unit"],
                x: "period_end",
                lines: &[("value", "value", Some("area_name")), ("national_value", "England and Wales", None)],
            }),
            pivot: None,
        }],
    },
    CannedQuery {
        name: "grades",
        summary: "The grade grid for a year (latest when omitted): forces by pillar/question",
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
        sql: concat!(
            "SELECT j.area_code, j.area_name,
       CASE WHEN j.pillar IS NULL THEN j.question_code
            WHEN j.question_code = 'overall' THEN j.pillar
            ELSE j.pillar || ': ' || j.question_code END AS question,
       j.grade,
       dense_rank() OVER (ORDER BY j.pillar IS NULL, j.pillar, j.question_code <> 'overall', j.question_code) AS question_order,
       ",
            sources!("j"),
            " AS _sources
FROM v_judgments j
WHERE j.year = :year AND (:pillar IS NULL OR j.pillar = :pillar)
ORDER BY j.area_name, question_order"
        ),
        notes: "SELECT label || ' has no pillars (graded areas replaced them), so no grade matches pillar ' || :pillar
FROM cycles WHERE year = :year AND has_pillars = 0 AND :pillar IS NOT NULL",
        shapes: &[Shape {
            chart: None,
            pivot: Some(super::Pivot {
                rows: &["area_code", "area_name"],
                column: "question",
                value: "grade",
                order: Some("question_order"),
            }),
        }],
    },
    CannedQuery {
        name: "grade-changes",
        summary: "Forces whose grade moved between two years, up or down (by grade rank), per pillar/question",
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
            "WITH a AS (SELECT * FROM v_judgments WHERE year = :from_year AND (:pillar IS NULL OR pillar = :pillar)),
     b AS (SELECT * FROM v_judgments WHERE year = :to_year AND (:pillar IS NULL OR pillar = :pillar)),
     pairs AS (
  SELECT a.area_code, a.area_name, a.pillar, a.question_code,
         a.cycle AS from_cycle, a.grade AS from_grade, a.scale AS from_scale,
         b.cycle AS to_cycle, b.grade AS to_grade, b.scale AS to_scale,
         CASE WHEN b.year >= a.year THEN b.scale ELSE a.scale END AS common_scale,
         ",
            sources!("a"),
            " || char(10) || ",
            sources!("b"),
            " AS _sources
  FROM a JOIN b ON b.area_code = a.area_code AND b.pillar IS a.pillar AND b.question_code = a.question_code
), ranked AS (
  SELECT p.*,
         (SELECT g.rank FROM grades g JOIN grade_scales s ON s.scale_id = g.scale_id
           WHERE s.code = p.common_scale AND g.name = p.from_grade) AS from_rank,
         (SELECT g.rank FROM grades g JOIN grade_scales s ON s.scale_id = g.scale_id
           WHERE s.code = p.common_scale AND g.name = p.to_grade) AS to_rank
  FROM pairs p
)
SELECT area_code, area_name, pillar, question_code, from_cycle, from_grade, to_cycle, to_grade,
       CASE WHEN to_rank > from_rank THEN 'up' ELSE 'down' END AS direction,
       to_rank - from_rank AS steps,
       CASE WHEN from_scale <> to_scale
            THEN from_scale || ' to ' || to_scale || ': compared by rank on the ' || common_scale || ' scale'
       END AS scale_note,
       _sources
FROM ranked
WHERE from_rank IS NOT NULL AND to_rank IS NOT NULL AND from_rank <> to_rank
ORDER BY direction = 'down', area_name, pillar IS NULL, pillar, question_code <> 'overall', question_code"
        ),
        notes: "SELECT fc.label || ' is graded on the ' || fs.code || ' scale and ' || tc.label || ' on ' || ts.code
       || ' (Adequate is new, between Good and Requires improvement); grades compare by rank, each placed on the '
       || CASE WHEN tc.year >= fc.year THEN ts.code ELSE fs.code END || ' scale by name'
FROM cycles fc JOIN grade_scales fs ON fs.scale_id = fc.scale_id,
     cycles tc JOIN grade_scales ts ON ts.scale_id = tc.scale_id
WHERE fc.year = :from_year AND tc.year = :to_year AND fs.code <> ts.code
UNION ALL
SELECT 'pillars were replaced by graded areas in 2021/22, so ' || fc.label || ' and ' || tc.label
       || ' share few or no questions to compare'
FROM cycles fc, cycles tc
WHERE fc.year = :from_year AND tc.year = :to_year AND fc.has_pillars <> tc.has_pillars
UNION ALL
SELECT label || ' has no pillars, so no grade matches pillar ' || :pillar
FROM cycles WHERE year IN (:from_year, :to_year) AND has_pillars = 0 AND :pillar IS NOT NULL",
        shapes: &[Shape {
            chart: Some(Chart::Bars {
                label: &["area_name", "pillar", "question_code"],
                value: "steps",
                title: &["from_cycle", "to_cycle"],
            }),
            pivot: None,
        }],
    },
    CannedQuery {
        name: "grade-counts",
        summary: "How many forces got each grade, per pillar/question, for a year (latest when omitted), beside the published national count",
        params: &[ParamSpec {
            name: "year",
            kind: Kind::Year,
            default: Latest,
            help: "a PEEL year; the latest with grades when omitted",
        }],
        example: "2016",
        sql: "WITH asked AS (
  SELECT q.question_id, q.pillar, q.code AS question_code, c.cycle_id, c.label AS cycle, c.scale_id
  FROM questions q JOIN cycles c ON c.cycle_id = q.cycle_id
  WHERE c.year = :year
    AND (EXISTS (SELECT 1 FROM judgments j WHERE j.question_id = q.question_id)
         OR (q.code = 'overall' AND EXISTS (
               SELECT 1 FROM grade_counts gc JOIN areas n ON n.area_id = gc.area_id AND n.kind = 'national'
               WHERE gc.cycle_id = c.cycle_id AND gc.pillar IS q.pillar)))
), counted AS (
  SELECT a.*, g.name AS grade, g.rank AS grade_rank,
         (SELECT count(*) FROM judgments j JOIN areas f ON f.area_id = j.area_id AND f.kind = 'force'
           WHERE j.question_id = a.question_id AND j.grade_id = g.grade_id) AS forces,
         (SELECT gc.count FROM grade_counts gc JOIN areas n ON n.area_id = gc.area_id AND n.kind = 'national'
           WHERE a.question_code = 'overall' AND gc.cycle_id = a.cycle_id AND gc.pillar IS a.pillar
             AND gc.grade_id = g.grade_id) AS published,
         (SELECT group_concat(location, char(10)) FROM (
            SELECT DISTINCT s.location FROM judgments j JOIN sources s ON s.source_id = j.source_id
            WHERE j.question_id = a.question_id AND j.grade_id = g.grade_id
            UNION
            SELECT s.location FROM grade_counts gc JOIN sources s ON s.source_id = gc.source_id
            JOIN areas n ON n.area_id = gc.area_id AND n.kind = 'national'
            WHERE a.question_code = 'overall' AND gc.cycle_id = a.cycle_id AND gc.pillar IS a.pillar
              AND gc.grade_id = g.grade_id)) AS _sources
  FROM asked a JOIN grades g ON g.scale_id = a.scale_id
)
SELECT cycle, pillar, question_code, grade, grade_rank, forces, published, _sources
FROM counted
WHERE grade_rank IS NOT NULL OR forces > 0 OR published > 0
ORDER BY pillar IS NULL, pillar, question_code <> 'overall', question_code, grade_rank IS NULL, grade_rank DESC",
        notes: "",
        shapes: &[Shape {
            chart: Some(Chart::Bars {
                label: &["pillar", "question_code", "grade"],
                value: "forces",
                title: &["cycle"],
            }),
            pivot: None,
        }],
    },
    CannedQuery {
        name: "graded",
        summary: "Forces given a grade (Inadequate, RI, ...) in a year (every year when omitted)",
        params: &[
            ParamSpec {
                name: "grade",
                kind: Kind::Grade { year: "year" },
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
        sql: concat!(
            "SELECT j.area_code, j.area_name, j.cycle, j.pillar, j.question_code, j.question, j.grade,
       j.derived, ",
            sources!("j"),
            " AS _sources
FROM v_judgments j
WHERE j.grade = :grade AND (:year IS NULL OR j.year = :year) AND (:pillar IS NULL OR j.pillar = :pillar)
ORDER BY j.year DESC, j.pillar IS NULL, j.pillar, j.question_code <> 'overall', j.question_code, j.area_name"
        ),
        notes: "SELECT label || ' has no pillars (graded areas replaced them), so no grade matches pillar ' || :pillar
FROM cycles WHERE year = :year AND has_pillars = 0 AND :pillar IS NOT NULL",
        shapes: &[Shape::PLAIN],
    },
    CannedQuery {
        name: "history",
        summary: "Every grade a force was given, year by year, with the move from the previous grade on the same question",
        params: &[FORCE, PILLAR],
        example: "cambs",
        sql: concat!(
            "WITH j AS (
  SELECT v.*,
         lag(v.cycle) OVER w AS previous_cycle,
         lag(v.grade) OVER w AS previous_grade,
         lag(v.scale) OVER w AS previous_scale
  FROM v_judgments v
  WHERE v.area_code = :force AND (:pillar IS NULL OR v.pillar = :pillar)
  WINDOW w AS (PARTITION BY ifnull(v.pillar, ''), v.question_code ORDER BY v.year)
)
SELECT j.area_name, j.pillar, j.question_code, j.cycle, j.grade, j.previous_cycle, j.previous_grade,
       ",
            direction_columns!(),
            ",
       j.derived, ",
            sources!("j"),
            " AS _sources
FROM j
",
            previous_grade_join!(),
            "
ORDER BY j.pillar IS NULL, j.pillar, j.question_code <> 'overall', j.question_code, j.year"
        ),
        notes: "SELECT 'these grades span the 2019/2021 change of scale (peel-4 to peel-5, which adds Adequate); grades compare by rank within each scale'
WHERE (SELECT count(DISTINCT scale) FROM v_judgments
       WHERE area_code = :force AND (:pillar IS NULL OR pillar = :pillar)) > 1",
        shapes: &[Shape::PLAIN],
    },
    CannedQuery {
        name: "peers",
        summary: "A force beside the other forces of its region on a metric (population when omitted), England and Wales as reference",
        params: &[
            FORCE,
            ParamSpec {
                name: "metric",
                kind: Kind::Metric,
                default: Value("population"),
                help: "a metric; population when omitted",
            },
            PERIOD,
        ],
        example: "cambs officer-fte",
        sql: concat!(
            "WITH me AS (
  SELECT a.parent_id, p.short_name AS region FROM areas a JOIN areas p ON p.area_id = a.parent_id
  WHERE a.code = :force
), v AS (
  SELECT mv.*, a.parent_id, ",
            sources!("mv"),
            " AS _sources
  FROM v_metric_values mv JOIN areas a ON a.code = mv.area_code
  WHERE mv.metric_code = :metric AND mv.period_label = :period
), rows AS (
  SELECT rank() OVER (ORDER BY v.value DESC) AS rank,
         CASE WHEN v.area_code = :force THEN 'selected' ELSE 'peer' END AS role, v.*
  FROM v WHERE v.area_kind = 'force' AND v.parent_id = (SELECT parent_id FROM me)
  UNION ALL
  SELECT NULL, 'reference', v.* FROM v WHERE v.area_kind = 'national'
)
SELECT rank, area_code, area_name,
       CASE WHEN role <> 'reference' THEN (SELECT region FROM me) END AS region, value,
       round(difference, 4) AS difference, ratio, role,
       metric_code AS metric, period_label AS period, unit, _sources
FROM rows
ORDER BY role = 'reference' DESC, rank, area_name"
        ),
        notes: "",
        shapes: &[Shape {
            chart: Some(Chart::Bars {
                label: &["area_name"],
                value: "value",
                title: &["region", "metric", "period", "unit"],
            }),
            pivot: None,
        }],
    },
    CannedQuery {
        name: "region",
        summary: "A force against its region on a metric, period by period: region total, mean of its forces, rank in region",
        params: &[FORCE, METRIC],
        example: "cambs officer-fte",
        sql: concat!(
            "WITH me AS (
  SELECT a.parent_id, p.code AS region_code, p.short_name AS region
  FROM areas a JOIN areas p ON p.area_id = a.parent_id WHERE a.code = :force
), peers AS (
  SELECT o.* FROM v_metric_values o JOIN areas oa ON oa.code = o.area_code
  WHERE oa.kind = 'force' AND oa.parent_id = (SELECT parent_id FROM me) AND o.metric_code = :metric
)
SELECT v.area_name, v.period_label AS period, v.period_end, v.value,
       me.region, r.value AS region_value,
       CASE WHEN r.value <> 0 THEN round(v.value * 1.0 / r.value, 4) END AS ratio_to_region,
       (SELECT round(avg(p.value), 4) FROM peers p WHERE p.period_label = v.period_label) AS region_force_mean,
       (SELECT count(*) + 1 FROM peers p WHERE p.period_label = v.period_label AND p.value > v.value) AS rank_in_region,
       (SELECT count(*) FROM peers p WHERE p.period_label = v.period_label) AS forces_in_region,
       v.national_value, v.ratio AS ratio_to_national, v.metric_code AS metric, v.unit,
       ",
            sources!("v"),
            " AS _sources
FROM v_metric_values v CROSS JOIN me
LEFT JOIN (SELECT period_label, value FROM v_metric_values
           WHERE area_code = (SELECT region_code FROM me) AND metric_code = :metric) r
       ON r.period_label = v.period_label
WHERE v.area_code = :force AND v.metric_code = :metric
ORDER BY v.period_end"
        ),
        notes: "",
        shapes: &[Shape {
            chart: Some(Chart::Sparklines {
                series: &["metric", "unit"],
                x: "period_end",
                lines: &[
                    ("value", "value", Some("area_name")),
                    ("region_force_mean", "mean of the region's forces", None),
                ],
            }),
            pivot: None,
        }],
    },
    CannedQuery {
        name: "improvements",
        summary: "Areas for improvement by force, report and question (every force when omitted)",
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
        notes: "",
        shapes: &[Shape::PLAIN],
    },
    CannedQuery {
        name: "metrics",
        summary: "The metrics, with how many figures each has and its latest period (SEARCH filters code, name and definition)",
        params: &[ParamSpec {
            name: "search",
            kind: Kind::Text,
            default: All,
            help: "text to look for in the code, name or definition; every metric when omitted",
        }],
        example: "officer",
        sql: "SELECT m.code AS metric, m.name, m.unit,
       CASE m.higher_is_better WHEN 1 THEN 'higher' WHEN 0 THEN 'lower' END AS better,
       count(v.value_id) AS figures, count(DISTINCT v.area_id) AS areas,
       count(DISTINCT v.period_id) AS periods,
       (SELECT p.label FROM metric_values x JOIN periods p ON p.period_id = x.period_id
         WHERE x.metric_id = m.metric_id ORDER BY p.end_date DESC LIMIT 1) AS latest_period,
       m.definition
FROM metrics m LEFT JOIN metric_values v ON v.metric_id = m.metric_id
WHERE :search IS NULL
   OR instr(lower(m.code || ' ' || m.name || ' ' || m.definition), lower(:search)) > 0
GROUP BY m.metric_id
ORDER BY figures = 0, m.code",
        notes: "",
        shapes: &[Shape::PLAIN],
    },
    CannedQuery {
        name: "forces",
        summary: "The 43 forces with their codes, slugs, regions and aliases (REGION filters)",
        params: &[ParamSpec {
            name: "region",
            kind: Kind::Region,
            default: All,
            help: "a region (or Wales); every force when omitted",
        }],
        example: "east",
        sql: "SELECT f.code AS area_code, f.slug, f.short_name AS area_name, f.name AS full_name,
       p.short_name AS region, f.country, replace(f.aliases, '|', ', ') AS aliases,
       s.location AS _sources
FROM areas f JOIN areas p ON p.area_id = f.parent_id
LEFT JOIN sources s ON s.source_id = f.source_id
WHERE f.kind = 'force' AND (:region IS NULL OR p.code = :region)
ORDER BY f.short_name",
        notes: "",
        shapes: &[Shape::PLAIN],
    },
    CannedQuery {
        name: "periods",
        summary: "The periods figures are given for, latest first, with how many metrics and figures each has",
        params: &[],
        example: "",
        // The counts are kept by triggers (see period_counts in schema.sql): counting the
        // figures here would read every one of them.
        sql: "SELECT p.label AS period, p.kind, p.start_date, p.end_date,
       ifnull(c.metrics, 0) AS metrics, ifnull(c.figures, 0) AS figures
FROM periods p LEFT JOIN period_counts c ON c.period_id = p.period_id
ORDER BY p.end_date DESC, p.label",
        notes: "",
        shapes: &[Shape::PLAIN],
    },
    CannedQuery {
        name: "years",
        summary: "The PEEL years (cycles), their grading scale, and how many grades the database holds for each",
        params: &[],
        example: "",
        sql: "SELECT c.year, c.label AS cycle, s.code AS scale,
       CASE c.has_pillars WHEN 1 THEN 'pillars' ELSE 'graded areas' END AS graded_on,
       (SELECT count(*) FROM questions q WHERE q.cycle_id = c.cycle_id) AS questions,
       (SELECT count(*) FROM judgments j JOIN questions q ON q.question_id = j.question_id
         WHERE q.cycle_id = c.cycle_id) AS judgments,
       (SELECT count(DISTINCT j.area_id) FROM judgments j JOIN questions q ON q.question_id = j.question_id
         WHERE q.cycle_id = c.cycle_id) AS forces_graded,
       c.note
FROM cycles c JOIN grade_scales s ON s.scale_id = c.scale_id
ORDER BY c.year",
        notes: "",
        shapes: &[Shape::PLAIN],
    },
];

//! The canned queries about figures: ranking areas on a metric, a force's series, its
//! region, and the catalogues of metrics, forces and periods. Each that compares forces
//! says in a note how many of the 43 it covers.

use super::super::{CannedQuery, Chart, Fallback::*, Kind, ParamSpec, Shape};
use super::{FORCE, METRIC, PERIOD};

/// `compare`.
pub const COMPARE: CannedQuery = CannedQuery {
    name: "compare",
    results: &[],
    summary: "All forces (or other areas) ranked on a metric for a period (latest when omitted): rates beside England and Wales's rate, counts by their share of its total",
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
    example: "officer-fte-per-1000 2023",
    sql: concat!(
        "WITH v AS (
  SELECT mv.*, m.higher_is_better, ",
        sources!("mv"),
        " AS _sources
  FROM v_metric_values mv JOIN metrics m ON m.code = mv.metric_code
  WHERE mv.metric_code = :metric AND mv.period_label = :period
), ranked AS (
  SELECT rank() OVER (ORDER BY v.value DESC) AS rank, count(*) OVER () AS of_ranked, 'area' AS role, v.*
  FROM v
  WHERE v.area_kind <> 'national' AND (:kind = 'all' OR v.area_kind = :kind)
    AND NOT (",
        left_out_per_head!("v"),
        ")
  UNION ALL
  SELECT NULL, NULL, 'reference', v.* FROM v WHERE v.area_kind = 'national'
)
SELECT rank, of_ranked, area_code, area_name, area_kind, value,
       round(difference, 4) AS difference, ratio, share_of_national_pct,
       CASE WHEN role = 'reference' OR national_value IS NULL
                 OR unit IN ('count', 'persons', 'households', 'fte') THEN NULL
            ELSE CASE WHEN value > national_value THEN 'higher'
                      WHEN value < national_value THEN 'lower' ELSE 'same' END
                 || CASE WHEN higher_is_better IS NULL OR value = national_value THEN ''
                         WHEN (value > national_value) = (higher_is_better = 1) THEN ' (better)'
                         ELSE ' (worse)' END
       END AS vs_national,
       role, metric_code AS metric, period_label AS period, unit, note, _sources
FROM ranked
ORDER BY role = 'reference' DESC, rank, area_name"
    ),
    notes: concat!(
        "SELECT :metric || ' for ' || :period || ': figures for ' || count(*) || ' of '
       || (SELECT count(*) FROM areas WHERE kind = 'force') || ' forces'
       || CASE WHEN count(*) = (SELECT count(*) FROM areas WHERE kind = 'force') THEN ''
               WHEN (SELECT count(*) FROM areas WHERE kind = 'force') - count(*) <= 12
               THEN '; not in the database: ' || (
                 SELECT group_concat(short_name, ', ') FROM (
                   SELECT f.short_name FROM areas f WHERE f.kind = 'force' AND NOT EXISTS (
                     SELECT 1 FROM v_metric_values x WHERE x.area_code = f.code
                        AND x.metric_code = :metric AND x.period_label = :period)
                   ORDER BY f.short_name))
               ELSE '' END
       || CASE WHEN NOT EXISTS (SELECT 1 FROM v_metric_values x WHERE x.area_kind = 'national'
                                 AND x.metric_code = :metric AND x.period_label = :period)
               THEN '; no England and Wales value for this period, so nothing is compared with it' ELSE '' END
FROM v_metric_values v
WHERE v.metric_code = :metric AND v.period_label = :period AND v.area_kind = 'force'
HAVING count(*) > 0
UNION ALL
",
        per_head_notes!("1"),
        "
UNION ALL
",
        count_note!(),
        "
UNION ALL
",
        no_rate_reason!()
    ),
    shapes: &[Shape {
        chart: Some(Chart::Bars {
            label: &["area_name"],
            value: "value",
            title: &["metric", "period", "unit"],
        }),
        pivot: None,
        grid: None,
    }],
};

/// `trend`.
pub const TREND: CannedQuery = CannedQuery {
    name: "trend",
    results: &[],
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
    notes: "WITH n AS (
  SELECT m.rate_of AS rate_of
  FROM metrics m
  WHERE m.code = :metric AND m.rate_of IS NOT NULL
), r AS (
  SELECT min(period_end) AS first, max(period_end) AS last FROM v_metric_values
  WHERE area_code = :force AND metric_code = :metric
), nr AS (
  SELECT min(v.period_end) AS first, max(v.period_end) AS last FROM v_metric_values v, n
  WHERE v.area_code = :force AND v.metric_code = n.rate_of
)
SELECT :metric || ' runs ' || ifnull(r.first, 'nowhere') || ' to ' || ifnull(r.last, '') || ', while '
       || n.rate_of || ' runs ' || nr.first || ' to ' || nr.last
       || ': a rate is derived only where the pairing rule finds a population estimate of the one population series (mid-2011 to mid-2023), never one of another edition or further away'
FROM n, r, nr
WHERE nr.first < ifnull(r.first, '9999') OR nr.last > ifnull(r.last, '')",
    shapes: &[Shape {
        chart: Some(Chart::Sparklines {
            series: &["metric_name", "unit"],
            x: "period_end",
            lines: &[
                ("value", "value", Some("area_name")),
                ("national_value", "England and Wales", None),
            ],
        }),
        pivot: None,
        grid: None,
    }],
};

/// `peers`.
pub const PEERS: CannedQuery = CannedQuery {
        name: "peers",
        results: &[],
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
  SELECT rank() OVER (ORDER BY v.value DESC) AS rank, count(*) OVER () AS of_ranked,
         CASE WHEN v.area_code = :force THEN 'selected' ELSE 'peer' END AS role, v.*
  FROM v WHERE v.area_kind = 'force' AND v.parent_id = (SELECT parent_id FROM me)
    AND NOT (",
            left_out_per_head!("v"),
            ")
  UNION ALL
  SELECT NULL, NULL, 'reference', v.* FROM v WHERE v.area_kind = 'national'
)
SELECT rank, of_ranked, area_code, area_name,
       CASE WHEN role <> 'reference' THEN (SELECT region FROM me) END AS region, value,
       round(difference, 4) AS difference, ratio, share_of_national_pct, role,
       metric_code AS metric, period_label AS period, unit, _sources
FROM rows
ORDER BY role = 'reference' DESC, rank, area_name"
        ),
        notes: concat!(
            "WITH me AS (SELECT a.parent_id, p.short_name AS region FROM areas a JOIN areas p ON p.area_id = a.parent_id
            WHERE a.code = :force)
SELECT (SELECT region FROM me) || ': ' || :metric || ' for ' || :period || ' held for ' || count(v.area_code)
       || ' of the region''s ' || count(*) || ' forces'
       || CASE WHEN count(v.area_code) < count(*)
               THEN '; not in the database: ' || group_concat(CASE WHEN v.area_code IS NULL THEN f.short_name END, ', ')
               ELSE '' END
FROM areas f
LEFT JOIN v_metric_values v ON v.area_code = f.code AND v.metric_code = :metric AND v.period_label = :period
WHERE f.kind = 'force' AND f.parent_id = (SELECT parent_id FROM me)
UNION ALL
",
            per_head_notes!("(SELECT parent_id FROM areas WHERE code = 'E23000034') = (SELECT parent_id FROM areas WHERE code = :force)"),
            "
UNION ALL
",
            count_note!(),
            "
UNION ALL
",
            no_rate_reason!()
        ),
        shapes: &[Shape {
            chart: Some(Chart::Bars {
                label: &["area_name"],
                value: "value",
                title: &["region", "metric", "period", "unit"],
            }),
            pivot: None,
            grid: None,
        }],
    };

/// `region`.
pub const REGION: CannedQuery = CannedQuery {
        name: "region",
        results: &[],
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
        notes: "WITH me AS (SELECT a.parent_id, p.short_name AS region FROM areas a JOIN areas p ON p.area_id = a.parent_id
            WHERE a.code = :force),
peers AS (SELECT f.code FROM areas f WHERE f.kind = 'force' AND f.parent_id = (SELECT parent_id FROM me)),
periods AS (SELECT v.period_label, count(DISTINCT v.area_code) AS held FROM v_metric_values v
            WHERE v.metric_code = :metric AND v.area_code IN (SELECT code FROM peers)
              AND v.period_label IN (SELECT period_label FROM v_metric_values
                                     WHERE area_code = :force AND metric_code = :metric)
            GROUP BY v.period_label)
SELECT (SELECT region FROM me) || ' has ' || (SELECT count(*) FROM peers) || ' forces; '
       || sum(held = (SELECT count(*) FROM peers)) || ' of ' || count(*)
       || ' periods have a figure for every one of them (the mean and rank of the others cover fewer forces)'
FROM periods
HAVING count(*) > 0",
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
            grid: None,
        }],
    };

/// `metrics`.
pub const METRICS: CannedQuery = CannedQuery {
    name: "metrics",
    results: &[],
    summary: "The metrics, with how many figures each has and its latest period (SEARCH filters code, name and definition)",
    params: &[ParamSpec {
        name: "search",
        kind: Kind::Text,
        default: All,
        help: "text to look for in the code, name or definition; every metric when omitted",
    }],
    example: "officer",
    // The counts are kept by triggers (metric_counts in schema.sql): counting figures here
    // would read every one of them.
    sql: "SELECT m.code AS metric, m.name, m.unit,
       CASE m.higher_is_better WHEN 1 THEN 'higher' WHEN 0 THEN 'lower' END AS better,
       ifnull(c.figures, 0) AS figures, ifnull(c.periods, 0) AS periods,
       p.label AS latest_period,
       (SELECT x.figures FROM period_metric_counts x
         WHERE x.period_id = c.latest_period_id AND x.metric_id = m.metric_id) AS areas_in_latest,
       CASE WHEN m.definition LIKE '%Derived by peel%' THEN 'derived' END AS derived,
       m.edition, m.definition
FROM metrics m
LEFT JOIN metric_counts c ON c.metric_id = m.metric_id
LEFT JOIN periods p ON p.period_id = c.latest_period_id
WHERE :search IS NULL
   OR instr(lower(m.code || ' ' || m.name || ' ' || m.definition), lower(:search)) > 0
ORDER BY figures = 0, m.code",
    notes: "",
    shapes: &[Shape::PLAIN],
};

/// `forces`.
pub const FORCES: CannedQuery = CannedQuery {
    name: "forces",
    results: &[],
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
};

/// `periods`.
pub const PERIODS: CannedQuery = CannedQuery {
    name: "periods",
    results: &[],
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
};

//! The canned queries: each a question analysts ask, as SQL over the views with `:named`
//! parameters, the parameters' types and defaults, and how the result is best drawn.
//! [`grades`] holds the questions about grades, [`figures`] those about figures.
//!
//! Conventions every query here follows (and the catalogue test checks the first three):
//! - it only reads, and declares exactly the parameters its SQL uses;
//! - optional parameters whose default is "all" arrive as NULL and the SQL says
//!   `(:p IS NULL OR ...)`; nothing else is ever NULL;
//! - a row's sources are in a `_sources` column, one per line (see `output::provenance`);
//! - an answer that compares or counts says what it covers in its notes (how many of the
//!   43 forces, which are missing, why a result is empty);
//! - a `role` column marks England and Wales as `reference` and a chosen force as
//!   `selected`, which the chart draws differently;
//! - grades compare by rank within a scale; where two grades come from different scales
//!   (peel-4 before 2021/22, peel-5 after), each is placed on the later scale by name and
//!   a `scale_note` column says so.

use super::{CannedQuery, Fallback::*, Kind, ParamSpec};

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

pub(super) const FORCE: ParamSpec = ParamSpec {
    name: "force",
    kind: Kind::Force,
    default: Required,
    help: "a force: ONS code, slug, name, alias, abbreviation (cambs, GMP) or fragment (Met)",
};

pub(super) const METRIC: ParamSpec = ParamSpec {
    name: "metric",
    kind: Kind::Metric,
    default: Required,
    help: "a metric: code (officer-fte), name or fragment; see `peel run metrics`",
};

pub(super) const PERIOD: ParamSpec = ParamSpec {
    name: "period",
    kind: Kind::Period {
        metric: Some("metric"),
    },
    default: Latest,
    help: "a period: label, ISO end date (2015-03-31), or a year for the latest period ending in it",
};

pub(super) const PILLAR: ParamSpec = ParamSpec {
    name: "pillar",
    kind: Kind::Pillar,
    default: All,
    help: "effectiveness, efficiency or legitimacy (2014 to 2018/19; later years have graded areas)",
};

/// True for a row `x` of `v_metric_values` left out of per-head rankings: City of London
/// on a rate per head of its resident population, which is too small to compare.
macro_rules! left_out_per_head {
    ($x:literal) => {
        concat!(
            $x,
            ".area_code = 'E23000034' AND ",
            $x,
            ".unit IN ('per 1,000 population', 'per million population')"
        )
    };
}

/// A note when City of London is left out of a per-head ranking of `:metric` for `:period`
/// (with `$also`, an SQL condition that must hold too, such as "the ranking is of its
/// region").
macro_rules! per_head_notes {
    ($also:literal) => {
        concat!(
            "SELECT 'City of London is left out of this per-head ranking: its resident population is too small for a rate per head to compare with other forces'' (its figure stays in v_metric_values)'
WHERE EXISTS (SELECT 1 FROM v_metric_values x WHERE x.metric_code = :metric AND x.period_label = :period
              AND x.area_code = 'E23000034' AND x.unit IN ('per 1,000 population', 'per million population'))
  AND ",
            $also
        )
    };
}

/// A note that `:metric` is a count, compared by share of England and Wales's total.
macro_rules! count_note {
    () => {
        "SELECT :metric || ' is a count (' || unit || '): areas are ranked and each is given as its share of England and Wales''s total, never a difference from it; compare a rate per 1,000 to compare forces of different sizes'
FROM metrics WHERE code = :metric AND unit IN ('count', 'persons', 'households', 'fte')"
    };
}

/// Why a rate peel derives has no figure for `:period`: its numerator has none, or the
/// pairing rule's population is not held (see `load::rates`); `metrics.rate_of` names the
/// rate's numerator.
macro_rules! no_rate_reason {
    () => {
        "SELECT CASE
         WHEN pop_date IS NULL
         THEN :metric || ' has no figure for ' || :period || ': a rate per 1,000 is derived only for a financial year, 31 March or 30 September, each paired with a mid-year population no more than a year away'
         WHEN NOT EXISTS (SELECT 1 FROM v_metric_values n WHERE n.metric_code = rate_of AND n.period_label = :period)
         THEN :metric || ' has no figure for ' || :period || ': ' || rate_of || ' has none for that period'
         WHEN NOT EXISTS (SELECT 1 FROM v_metric_values x WHERE x.metric_code = 'population' AND x.period_end = pop_date)
         THEN :metric || ' has no figure for ' || :period || ': the rate divides by the mid-' || substr(pop_date, 1, 4)
              || ' population estimate, which the database does not hold (population: '
              || (SELECT min(period_label) || ' to ' || max(period_label) FROM v_metric_values WHERE metric_code = 'population' AND area_kind = 'national')
              || '); peel never divides by a population further away'
         END
FROM (SELECT m.rate_of AS rate_of,
             CASE WHEN p.kind = 'financial-year' AND substr(p.start_date, 5) = '-04-01' THEN substr(p.start_date, 1, 4) || '-06-30'
                  WHEN p.kind = 'point' AND substr(p.end_date, 5) = '-03-31' THEN (CAST(substr(p.end_date, 1, 4) AS INTEGER) - 1) || '-06-30'
                  WHEN p.kind = 'point' AND substr(p.end_date, 5) = '-09-30' THEN substr(p.end_date, 1, 4) || '-06-30'
             END AS pop_date
      FROM metrics m, periods p
      WHERE m.code = :metric AND p.label = :period AND m.rate_of IS NOT NULL)
WHERE NOT EXISTS (SELECT 1 FROM v_metric_values v WHERE v.metric_code = :metric AND v.period_label = :period)"
    };
}

mod figures;
mod grades;

/// Every canned query, in the order `peel queries` lists them.
pub const CATALOGUE: &[CannedQuery] = &[
    grades::FORCE_PROFILE,
    figures::COMPARE,
    figures::TREND,
    grades::GRADES,
    grades::GRADE_CHANGES,
    grades::GRADE_COUNTS,
    grades::GRADED,
    grades::HISTORY,
    grades::ITEMS,
    grades::BESIDE,
    figures::PEERS,
    figures::REGION,
    grades::IMPROVEMENTS,
    figures::METRICS,
    figures::FORCES,
    figures::PERIODS,
    grades::YEARS,
];

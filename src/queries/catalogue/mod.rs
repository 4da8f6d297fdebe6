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
    kind: Kind::Period { metric: "metric" },
    default: Latest,
    help: "a period: label, ISO end date (2015-03-31), or a year for the latest period ending in it",
};

pub(super) const PILLAR: ParamSpec = ParamSpec {
    name: "pillar",
    kind: Kind::Pillar,
    default: All,
    help: "effectiveness, efficiency or legitimacy (2014 to 2018/19; later years have graded areas)",
};

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
    figures::PEERS,
    figures::REGION,
    grades::IMPROVEMENTS,
    figures::METRICS,
    figures::FORCES,
    figures::PERIODS,
    grades::YEARS,
];

//! Rates per 1,000 residents that peel derives: each from one figure and the population
//! of the same area that [`population_date_for`] pairs with its period, stored derived,
//! with the two figures it divides (`numerator_id`, `denominator_id`) so any rate can be
//! traced back, and a note saying what was divided by what.
//!
//! The pairing rule: a financial year, or a point at its end (31 March of year Y), pairs
//! with the mid-year population estimate inside that financial year (30 June of year Y-1);
//! a 30 September point pairs with the mid-year estimate of the same year. Nothing else
//! pairs, so a population is never more than a year away from the figure; where the paired
//! estimate is not held there is no rate (the queries say why). The population is always the
//! one series of one edition (`population`, mid-2011 on), so a rate series never mixes two.
//!
//! A region, country or England and Wales gets a rate only when every one of its forces
//! has the figure for that period: a total short of a force (Lancashire sent no 2017/18
//! arrests) divided by the whole population would understate the rate every force is
//! compared with.

use std::collections::{HashMap, HashSet};

use rusqlite::{Connection, OptionalExtension, params};

use super::NewValue;

/// The population metric rates divide by.
pub const POPULATION: &str = "population";

/// The City of London force's code: its resident population (under 10,000) is tiny beside
/// the people who work in and visit it, so per-head rates say nothing comparable.
pub const CITY_OF_LONDON: &str = "E23000034";

/// The rates peel derives, from the catalogue (`metrics.rate_of`): (rate metric id, id of
/// the metric it divides).
fn rates(conn: &Connection) -> rusqlite::Result<Vec<(i64, i64, String)>> {
    conn.prepare(
        "SELECT r.metric_id, n.metric_id, n.code FROM metrics r JOIN metrics n ON n.code = r.rate_of
         ORDER BY r.code",
    )?
    .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
    .collect()
}

/// The codes of the metrics a rate divides, and the population: importing figures of one
/// of them means deriving the rates again.
pub fn inputs(conn: &Connection) -> rusqlite::Result<std::collections::HashSet<String>> {
    let mut codes: std::collections::HashSet<String> =
        rates(conn)?.into_iter().map(|(_, _, code)| code).collect();
    codes.insert(POPULATION.to_string());
    Ok(codes)
}

/// The date of the mid-year population estimate a figure's period pairs with, or `None`
/// when the rule pairs none. `kind`, `start` and `end` are the period's (ISO dates).
pub fn population_date_for(kind: &str, start: Option<&str>, end: &str) -> Option<String> {
    let year = |date: &str| date.get(0..4)?.parse::<i32>().ok();
    match kind {
        "financial-year" => {
            let start = start?;
            let first = year(start)?;
            (start.get(4..) == Some("-04-01")).then(|| format!("{first}-06-30"))
        }
        "point" => match end.get(4..) {
            Some("-03-31") => Some(format!("{}-06-30", year(end)? - 1)),
            Some("-09-30") => Some(format!("{}-06-30", year(end)?)),
            _ => None,
        },
        _ => None,
    }
}

/// What [`derive_rates`] wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Derived {
    /// Rates written.
    pub rates: usize,
    /// Figures with no rate: the rule paired no population, or the paired one is not held.
    pub without_population: usize,
    /// Totals of a region, country or England and Wales with no rate because a member
    /// force has no figure for the period.
    pub incomplete_totals: usize,
}

/// Rewrites every derived rate (every metric with a `rate_of`) from the figures and
/// populations held now (earlier derived rates are removed first, so a replaced figure
/// never leaves a stale rate).
pub fn derive_rates(conn: &Connection) -> rusqlite::Result<Derived> {
    let mut out = Derived::default();
    let population: Option<i64> = conn
        .query_row(
            "SELECT metric_id FROM metrics WHERE code = ?1",
            [POPULATION],
            |r| r.get(0),
        )
        .optional()?;
    let Some(population) = population else {
        return Ok(out);
    };
    let members = member_forces(conn)?;
    for (rate_id, numerator_id, numerator) in rates(conn)? {
        conn.execute(
            "DELETE FROM metric_values WHERE metric_id = ?1 AND derived = 1",
            [rate_id],
        )?;
        let figures: Vec<Figure> = conn
            .prepare(
                "SELECT v.value_id, v.value, v.period_id, v.area_id, v.source_id, p.kind,
                        p.start_date, p.end_date, p.label, a.code
                 FROM metric_values v JOIN periods p ON p.period_id = v.period_id
                 JOIN areas a ON a.area_id = v.area_id
                 WHERE v.metric_id = ?1",
            )?
            .query_map([numerator_id], |r| {
                Ok(Figure {
                    value_id: r.get(0)?,
                    value: r.get(1)?,
                    period_id: r.get(2)?,
                    area_id: r.get(3)?,
                    source_id: r.get(4)?,
                    kind: r.get(5)?,
                    start: r.get(6)?,
                    end: r.get(7)?,
                    label: r.get(8)?,
                    area_code: r.get(9)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        // The forces with a figure, per period, to tell a whole total from a short one.
        let mut present: HashMap<i64, HashSet<i64>> = HashMap::new();
        for f in &figures {
            present.entry(f.period_id).or_default().insert(f.area_id);
        }
        for f in figures {
            if let Some(forces) = members.get(&f.area_id) {
                let held = present.get(&f.period_id);
                if !forces.iter().all(|id| held.is_some_and(|h| h.contains(id))) {
                    out.incomplete_totals += 1;
                    continue;
                }
            }
            let Some(date) = population_date_for(&f.kind, f.start.as_deref(), &f.end) else {
                out.without_population += 1;
                continue;
            };
            let held: Option<(i64, f64, String)> = conn
                .prepare_cached(
                    "SELECT v.value_id, v.value, p.label FROM metric_values v
                     JOIN periods p ON p.period_id = v.period_id
                     WHERE v.metric_id = ?1 AND v.area_id = ?2 AND p.kind = 'point' AND p.end_date = ?3",
                )?
                .query_row(params![population, f.area_id, date], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })
                .optional()?;
            let Some((population_id, residents, population_label)) = held.filter(|h| h.1 > 0.0)
            else {
                out.without_population += 1;
                continue;
            };
            let mut note = format!(
                "Derived by peel: {numerator} {} ({}) per 1,000 of the population {population_label} ({})",
                f.label,
                plain(f.value),
                plain(residents)
            );
            if f.area_code == CITY_OF_LONDON {
                note.push_str(
                    "; City of London's resident population is too small for a per-head rate to compare with other forces'",
                );
            }
            super::insert_value(
                conn,
                &NewValue {
                    metric_id: rate_id,
                    period_id: f.period_id,
                    area_id: f.area_id,
                    value: (f.value * 1000.0 / residents * 10_000.0).round() / 10_000.0,
                    source_id: f.source_id,
                    report_id: None,
                    source_line: None,
                    derived: 1,
                    note: Some(&note),
                    trust: None,
                    numerator_id: Some(f.value_id),
                    denominator_id: Some(population_id),
                },
            )?;
            out.rates += 1;
        }
    }
    Ok(out)
}

/// The forces of every region, country and England and Wales (by the `parent_id` chain).
fn member_forces(conn: &Connection) -> rusqlite::Result<HashMap<i64, Vec<i64>>> {
    let areas: Vec<(i64, String, Option<i64>)> = conn
        .prepare("SELECT area_id, kind, parent_id FROM areas")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    let parent: HashMap<i64, Option<i64>> = areas.iter().map(|(id, _, p)| (*id, *p)).collect();
    let mut out: HashMap<i64, Vec<i64>> = HashMap::new();
    for (id, kind, _) in &areas {
        if kind != "force" {
            continue;
        }
        let mut up = parent.get(id).copied().flatten();
        // The chain is at most force, region, country, England and Wales; the bound
        // keeps a file with a looped chain from spinning.
        for _ in 0..8 {
            let Some(area) = up else { break };
            out.entry(area).or_default().push(*id);
            up = parent.get(&area).copied().flatten();
        }
    }
    Ok(out)
}

/// A number as people write it: no `.0` on a whole number.
fn plain(x: f64) -> String {
    if x == x.trunc() && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

struct Figure {
    value_id: i64,
    value: f64,
    period_id: i64,
    area_id: i64,
    source_id: i64,
    kind: String,
    start: Option<String>,
    end: String,
    label: String,
    area_code: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pairing_rule_at_its_edges() {
        // A financial year pairs with the mid-year estimate inside it.
        assert_eq!(
            population_date_for("financial-year", Some("2017-04-01"), "2018-03-31").as_deref(),
            Some("2017-06-30")
        );
        // 31 March of year Y ends the financial year (Y-1)/Y: mid-(Y-1).
        assert_eq!(
            population_date_for("point", None, "2023-03-31").as_deref(),
            Some("2022-06-30")
        );
        // 30 September of year Y: mid-Y, three months away.
        assert_eq!(
            population_date_for("point", None, "2015-09-30").as_deref(),
            Some("2015-06-30")
        );
        // Anything else pairs with nothing rather than with a population further away.
        assert_eq!(population_date_for("point", None, "2015-06-30"), None);
        assert_eq!(population_date_for("point", None, "2015-12-31"), None);
        assert_eq!(
            population_date_for("12-months", Some("2014-07-01"), "2015-06-30"),
            None
        );
        assert_eq!(
            population_date_for("quarter", Some("2014-04-01"), "2014-06-30"),
            None
        );
        // A financial-year row whose start is not 1 April is not one.
        assert_eq!(
            population_date_for("financial-year", Some("2017-05-01"), "2018-04-30"),
            None
        );
    }
}
